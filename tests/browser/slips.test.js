// Issue 16 items 9 and 10, in Chromium. A tenant administrator downloads the p12 and the zip of a
// certificate with a Japanese CN from the management site: the file name Chromium suggests keeps
// the CN intact, and the zip's p12 member carries it too (UTF-8 flag set, read by Python's
// zipfile). Then the administrator prints the password slips from 証明書管理: the page is printed
// to PDF by Chromium (page.pdf, A4) and read back with pdftotext (poppler-utils): every password
// of the tenant appears exactly once, no other tenant's, and the facility name and CNs are there.
// Logins by password only (`serve --admin-client-cert off`).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { chromium } = require('playwright-core');
const { Inkan } = require('./lib/inkan');
const { teardown } = require('./lib/teardown');
const { serve } = require('./lib/server');
const { CHROMIUM } = require('./lib/client_cert_browser');

const PASSWORD = 'slips-admin-passw0rd';
const JAPANESE_CN = 'ひまわり苑 事務室PC';

function occurrences(text, needle) {
  return text.split(needle).length - 1;
}

test('Japanese download names and the printed password slips', async (t) => {
  const defer = teardown(t);
  const ca = new Inkan('slips');
  defer(() => ca.cleanup());
  ca.init();
  ca.run('tenant', 'add', 'himawari', '--name', 'ひまわり苑');
  ca.run('tenant', 'add', 'other', '--name', 'Other Care');
  const japanese = ca.issue('himawari', JAPANESE_CN);
  const terminals = [japanese, ca.issue('himawari', '介護記録端末①'), ca.issue('himawari', 'reception-2')];
  const theirs = ca.issue('other', 'other-terminal');
  const pw = path.join(ca.root, 'admin.pw');
  fs.writeFileSync(pw, PASSWORD + '\n', { mode: 0o600 });
  ca.run('user', 'add', 'kanri', '--tenant', 'himawari', '--password-file', pw);
  const passwords = terminals.map((c) => ca.run('password', c.serial).trim());
  const otherPassword = ca.run('password', theirs.serial).trim();

  const { port } = await serve(defer, ca, ['--admin-client-cert', 'off']);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  defer(() => browser.close());
  const context = await browser.newContext({ ignoreHTTPSErrors: true, acceptDownloads: true,
    viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.setExtraHTTPHeaders({ 'Accept-Language': 'ja' });
  const base = `https://localhost:${port}`;
  await page.goto(`${base}/admin/login`);
  await page.fill('#username', 'kanri');
  await page.fill('#password', PASSWORD);
  await page.click('#login-submit');
  await page.locator('#nav-certificates').waitFor();

  // Item 9: the suggested file names keep the Japanese CN.
  await page.goto(`${base}/admin/certificates/${japanese.serial}`);
  const stem = `himawari_${JAPANESE_CN}_${japanese.serial.slice(0, 8)}`;
  const save = async (selector, file) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    await download.saveAs(file);
    return download.suggestedFilename();
  };
  const p12 = path.join(ca.root, 'download.p12');
  assert.equal(await save('#download-p12', p12), `${stem}.p12`);
  const zip = path.join(ca.root, 'download.zip');
  assert.equal(await save('#download-zip', zip), `${stem}.zip`);
  const members = JSON.parse(execFileSync('/usr/bin/python3', ['-c',
    'import json, sys, zipfile\n' +
    'z = zipfile.ZipFile(sys.argv[1])\n' +
    'print(json.dumps([[i.filename, bool(i.flag_bits & 0x800)] for i in z.infolist()]))', zip], { encoding: 'utf8' }));
  const p12Member = members.find(([name]) => name.endsWith('.p12'));
  // On disk and in zips a space becomes '_'; the Japanese characters stay.
  assert.deepEqual(p12Member, [`himawari_ひまわり苑_事務室PC_${japanese.serial.slice(0, 8)}.p12`, true]);

  // Item 10: the slips page, from the certificate list, printed to PDF.
  await page.goto(`${base}/admin/certificates`);
  await Promise.all([page.waitForNavigation(), page.click('#slips-print')]);
  assert.equal(await page.locator('section.slip').count(), 3);
  const dir = process.env.INKAN_SCREENSHOTS;
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, 'admin-slips.png'), fullPage: true });
  }
  const pdf = path.join(ca.root, 'slips.pdf');
  await page.pdf({ path: pdf, format: 'A4', preferCSSPageSize: true, printBackground: true });
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
  for (const password of passwords) assert.equal(occurrences(text, password), 1, `${password} in:\n${text}`);
  assert.equal(occurrences(text, otherPassword), 0);
  assert.ok(text.includes('ひまわり苑') && text.includes('介護記録端末①') && text.includes('reception-2'), text);
  for (const c of terminals) assert.ok(text.includes(c.serial), `${c.serial} in:\n${text}`);
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))[1]);
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }));
  assert.ok(pages >= 1 && Math.abs(Number(size[1]) - 595.3) < 2 && Math.abs(Number(size[2]) - 841.9) < 2, size[0]);
});
