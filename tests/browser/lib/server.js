// Starting `inkan serve` for a browser test: a free loopback port, the server as a child
// process (its stderr kept for failure messages), and waiting until it listens.
'use strict';
const { spawn } = require('node:child_process');
const net = require('node:net');

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function waitForPort(port, child) {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`inkan serve exited with ${child.exitCode}`);
    const ok = await new Promise((r) => { const c = net.connect(port, '127.0.0.1', () => { c.end(); r(true); }); c.on('error', () => r(false)); });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`inkan serve did not listen on ${port}`);
}

// Serves `ca` (an Inkan) on 127.0.0.1; `defer` (lib/teardown.js) stops it. Returns { port, log() }.
// `extra` are more `serve` options (e.g. ['--admin-client-cert', 'off']).
async function serve(defer, ca, extra = []) {
  const port = await freePort();
  const server = spawn(process.env.INKAN_BIN, ['--dir', ca.dir, '--passphrase-file', ca.passfile, 'serve',
    '--listen', `127.0.0.1:${port}`, ...extra],
  // The machine's zone is UTC for the server: a time shown in JST comes from `inkan settings`.
  { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
  let log = '';
  server.stderr.on('data', (d) => { log += d; });
  defer(() => server.kill('SIGTERM'));
  await waitForPort(port, server);
  return { port, log: () => log };
}

module.exports = { serve };
