// Debian's Chromium (never a downloaded browser) holding a client certificate the way an end user
// has one: imported from a .p12 into an NSS database, and auto-selected by enterprise policy so a
// page behind mutual TLS opens without the certificate picker.
'use strict';
const { chromium } = require('playwright-core');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const CHROMIUM = '/usr/bin/chromium';
const POLICY_DIR = '/etc/chromium/policies/managed';

// Flags from the machine notes: without the background-networking ones Chromium keeps dialling
// hosts that a closed network refuses.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// $home/.pki/nssdb is where Chromium on Linux reads user certificates.
function makeNssHome(home, { p12, passwordFile, trustedCaPems = [] }) {
  const db = path.join(home, '.pki', 'nssdb');
  fs.mkdirSync(db, { recursive: true, mode: 0o700 });
  execFileSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
  if (p12) execFileSync('pk12util', ['-i', p12, '-d', `sql:${db}`, '-w', passwordFile], { stdio: 'pipe' });
  trustedCaPems.forEach((pem, i) => {
    execFileSync('certutil', ['-A', '-d', `sql:${db}`, '-n', `trusted-ca-${i}`, '-t', 'C,,', '-i', pem]);
  });
  return db;
}

// AutoSelectCertificateForUrls for https://localhost on any port. Needs root (the policy
// directory is system-wide). One fixed file: two files setting the same policy conflict, and
// Chromium then ignores one of them. Returns a function that removes the policy again.
function autoSelectCertificateForLocalhost() {
  fs.mkdirSync(POLICY_DIR, { recursive: true });
  const file = path.join(POLICY_DIR, 'inkan-browser-tests.json');
  const rule = JSON.stringify({ pattern: 'https://localhost:*', filter: {} });
  fs.writeFileSync(file, JSON.stringify({ AutoSelectCertificateForUrls: [rule] }));
  return () => fs.rmSync(file, { force: true });
}

async function launch({ home, profileDir, viewport }) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: viewport || { width: 1280, height: 800 },
    env: { ...process.env, HOME: home },
  });
}

module.exports = { makeNssHome, autoSelectCertificateForLocalhost, launch, CHROMIUM };
