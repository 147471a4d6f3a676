// Drives the real inkan binary for browser tests: a CA in a temp directory and issued p12s.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function inkanBin() {
  const bin = process.env.INKAN_BIN;
  if (!bin || !fs.existsSync(bin)) throw new Error('INKAN_BIN must name the built inkan binary');
  return bin;
}

class Inkan {
  constructor(label) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), `inkan-browser-${label}-`));
    this.dir = path.join(this.root, 'data');
    this.passfile = path.join(this.root, 'passphrase');
    fs.writeFileSync(this.passfile, 'browser test passphrase 9c1e\n', { mode: 0o600 });
  }
  run(...args) {
    return execFileSync(inkanBin(), ['--dir', this.dir, '--passphrase-file', this.passfile, ...args],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }
  json(...args) { return JSON.parse(this.run(...args, '--format', 'json')); }
  init() { this.run('init', '--name', 'Browser Test CA', '--root-key', 'ec-p256', '--issuing-key', 'ec-p256'); }
  // Screens show times in this zone (issue 16, item 8); the server itself runs with TZ=UTC.
  timeZone(zone) { this.run('settings', 'set', '--time-zone', zone); }
  // notBefore such that `daysLeft` days of a 3-year certificate remain today.
  static notBeforeFor(daysLeft) {
    const d = new Date(Date.now() + daysLeft * 86400000);
    d.setUTCFullYear(d.getUTCFullYear() - 3);
    return d.toISOString().slice(0, 10);
  }
  issue(tenant, cn, { daysLeft, key = 'ec-p256' } = {}) {
    const extra = daysLeft === undefined ? [] : ['--not-before', Inkan.notBeforeFor(daysLeft)];
    return this.json('issue', '--tenant', tenant, '--cn', cn, '--key', key, '--out', path.join(this.root, 'out'), ...extra);
  }
  chainFile() {
    const file = path.join(this.root, 'chain.pem');
    fs.writeFileSync(file, this.run('ca', 'cert', '--chain'));
    return file;
  }
  cleanup() { fs.rmSync(this.root, { recursive: true, force: true, maxRetries: 5 }); }
}

module.exports = { Inkan };
