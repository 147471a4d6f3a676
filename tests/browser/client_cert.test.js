// The browser harness itself: Chromium presents an inkan-issued certificate from its NSS
// database, chosen by policy, over real mutual TLS on loopback (openssl s_server checks it).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { Inkan } = require('./lib/inkan');
const { teardown } = require('./lib/teardown');
const { makeNssHome, autoSelectCertificateForLocalhost, launch } = require('./lib/client_cert_browser');

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((r) => { const c = net.connect(port, '127.0.0.1', () => { c.end(); r(true); }); c.on('error', () => r(false)); });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

test('Chromium authenticates with an inkan p12 from its NSS database, picked by policy', async (t) => {
  const defer = teardown(t);
  const ca = new Inkan('harness');
  defer(() => ca.cleanup());
  ca.init();
  ca.run('tenant', 'add', 'demo', '--name', 'Demo Care');
  const issued = ca.issue('demo', 'client300');
  const chain = ca.chainFile();

  // A throwaway server certificate for localhost, trusted in the browser's NSS database.
  const srvKey = path.join(ca.root, 'srv.key');
  const srvPem = path.join(ca.root, 'srv.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', srvKey, '-out', srvPem, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'],
    { stdio: 'pipe' });
  const home = path.join(ca.root, 'home');
  makeNssHome(home, { p12: issued.p12, passwordFile: issued.password_file, trustedCaPems: [srvPem] });

  const port = await freePort();
  const server = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', srvPem, '-key', srvKey,
    '-Verify', '2', '-verify_return_error', '-CAfile', chain, '-www', '-quiet'], { stdio: 'ignore' });
  defer(() => server.kill('SIGTERM'));
  await waitForPort(port);

  const removePolicy = autoSelectCertificateForLocalhost();
  defer(removePolicy);
  const browser = await launch({ home, profileDir: path.join(ca.root, 'profile') });
  defer(() => browser.close());
  const page = await browser.newPage();
  await page.goto(`https://localhost:${port}/`, { timeout: 15000 });
  const body = await page.textContent('body');
  assert.match(body, /Subject: O ?= ?Demo Care, CN ?= ?client300/);
  assert.match(body, /Verify return code: 0 \(ok\)/);
  const shots = process.env.INKAN_SCREENSHOTS;
  if (shots) {
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'harness-mutual-tls.png') });
  }
});
