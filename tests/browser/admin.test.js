// Issue 5 "Browser run": a tenant administrator's Chromium, holding their tenant-admin
// certificate (imported from its .p12 into NSS, auto-selected by policy), goes through every
// screen and action of the management site: log in, TOP, テナント情報, the list with a filter,
// a detail page (reveal the password, edit the notes, download the p12 and the zip, renew through
// the confirm dialog), reissue for an expired terminal, add a user, read the login history.
// Each screen is saved at desktop width and at 390 px to $INKAN_SCREENSHOTS (docs/portal.md).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { Inkan } = require('./lib/inkan');
const { teardown } = require('./lib/teardown');
const { serve } = require('./lib/server');
const { makeNssHome, autoSelectCertificateForLocalhost, launch } = require('./lib/client_cert_browser');
const { checkScreen, assertFitsPhone, assertTimesInJst, jst } = require('./lib/screens');

const ADMIN = 'kanri';
const ADMIN_PASSWORD = 'browser-admin-passw0rd';
const PASSWORD_FORMAT = /^[2-9A-HJ-NP-Za-km-z]{4}(-[2-9A-HJ-NP-Za-km-z]{4}){4}$/;

// Each screen at 390 px (lib/screens.js: no sideways scroll, tabs, serials, the list's expiry).
async function shots(page, name) {
  await checkScreen(page, `admin-${name}`);
}

async function saveDownload(page, selector, file) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  await download.saveAs(file);
  return download.suggestedFilename();
}

test('management site: every screen and action as a tenant administrator', async (t) => {
  const defer = teardown(t);
  const ca = new Inkan('admin');
  defer(() => ca.cleanup());
  ca.init();
  ca.timeZone('Asia/Tokyo');
  ca.run('tenant', 'add', 'demo', '--name', 'デモ介護施設');
  const passwordFile = path.join(ca.root, 'admin.pw');
  fs.writeFileSync(passwordFile, ADMIN_PASSWORD + '\n', { mode: 0o600 });
  ca.run('user', 'add', ADMIN, '--tenant', 'demo', '--password-file', passwordFile);
  // The certificate logs in this account only (issue 14 item 4).
  const adminCert = ca.json('issue', '--tenant', 'demo', '--cn', 'admin-pc', '--kind', 'tenant-admin',
    '--admin', ADMIN, '--key', 'ec-p256', '--out', path.join(ca.root, 'out'));
  const terminal = ca.issue('demo', 'client300', { daysLeft: 40 });
  const lapsed = ca.issue('demo', 'client301', { daysLeft: -3 });

  const chain = ca.chainFile();
  const rootPem = path.join(ca.root, 'root.pem');
  fs.writeFileSync(rootPem, fs.readFileSync(chain, 'utf8').split(/(?<=-----END CERTIFICATE-----\n)/)[1]);
  const home = path.join(ca.root, 'home');
  makeNssHome(home, { p12: adminCert.p12, passwordFile: adminCert.password_file, trustedCaPems: [rootPem] });

  const { port, log: serverLog } = await serve(defer, ca);

  defer(autoSelectCertificateForLocalhost());
  const browser = await launch({ home, profileDir: path.join(ca.root, 'profile') });
  defer(() => browser.close());
  const page = await browser.newPage({ acceptDownloads: true });
  await page.setExtraHTTPHeaders({ 'Accept-Language': 'ja' });
  const base = `https://localhost:${port}`;
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.accept(); });

  try {
    // Log in.
    // Not logged in: a 401 page that leads to the login form.
    const first = await page.goto(`${base}/admin/`, { timeout: 20000 });
    assert.equal(first.status(), 401);
    await page.click('a[href="/admin/login"]');
    await page.locator('form[name=login]').waitFor();
    await shots(page, '1-login');
    // A wrong password: the error message on the login form fits too.
    await page.fill('#username', ADMIN);
    await page.fill('#password', 'not-the-password');
    await page.click('#login-submit');
    await page.locator('#error').waitFor();
    await assertFitsPhone(page, 'login error');
    await page.fill('#username', ADMIN);
    await page.fill('#password', ADMIN_PASSWORD);
    await page.click('#login-submit');
    await page.locator('#nav-top').waitFor();
    await assertTimesInJst(page, 'main', 'TOP');
    await shots(page, '2-top');

    await page.click('#nav-tenant');
    assert.match(await page.locator('main').textContent(), /デモ介護施設/);
    await assertTimesInJst(page, 'main', 'テナント情報');
    await shots(page, '3-tenant');

    // The list, then a filter that leaves only the expired terminal.
    await page.click('#nav-certificates');
    const rows = page.locator('#certificates tr[data-serial]');
    await rows.first().waitFor();
    const listed = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.serial));
    for (const s of [adminCert.serial, terminal.serial, lapsed.serial]) assert.ok(listed.includes(s), `${s} not listed`);
    // 有効期限 in JST (the server runs with TZ=UTC; `inkan settings` chose Asia/Tokyo).
    assert.equal((await page.locator(`#certificates tr[data-serial="${terminal.serial}"] td.expiry`).textContent()).trim(),
      jst(terminal.not_after));
    await assertTimesInJst(page, '#certificates', 'list');
    await shots(page, '4-list');
    await page.selectOption('#filter-status', 'expired');
    await page.click('#filter-submit');
    await page.waitForURL(/status=expired/);
    const expiredOnly = await page.locator('#certificates tr[data-serial]').evaluateAll((trs) => trs.map((tr) => tr.dataset.serial));
    assert.deepEqual(expiredOnly, [lapsed.serial]);

    // The detail page of the active terminal.
    await page.goto(`${base}/admin/certificates`);
    await page.click(`#certificates tr[data-serial="${terminal.serial}"] a.cert-link`);
    await page.locator(`#certificate[data-serial="${terminal.serial}"]`).waitFor();
    assert.match(await page.locator('#days-left').textContent(), /\d/);
    assert.equal(await page.locator('#not-after time').textContent(), jst(terminal.not_after));
    assert.equal(await page.locator('#not-after time').getAttribute('datetime'), terminal.not_after);
    await assertTimesInJst(page, '#certificate', 'detail');
    await shots(page, '5-detail');

    // Reveal: the stored password, the one in the file inkan issue wrote.
    await page.click('#reveal');
    await page.locator('#password').waitFor();  // filled by the fetch, then shown
    const password = (await page.locator('#password').textContent()).trim();
    assert.match(password, PASSWORD_FORMAT);
    assert.equal(password, fs.readFileSync(terminal.password_file, 'utf8').trim());
    await shots(page, '6-password');

    // Notes: edit, save, shown back.
    if (!(await page.locator('#notes-text').isVisible())) await page.click('#notes-edit summary');
    await page.fill('#notes-text', '3階ナースステーションの端末');
    await page.click('#notes-save');
    await page.locator('#flash').waitFor();
    assert.match(await page.locator('#notes').textContent(), /3階ナースステーションの端末/);

    // Downloads: the p12 opens with the revealed password; the zip holds it and the password.
    const p12 = path.join(ca.root, 'dl.p12');
    const p12Name = await saveDownload(page, '#download-p12', p12);
    assert.match(p12Name, /\.p12$/);
    const pw = path.join(ca.root, 'dl.pw');
    fs.writeFileSync(pw, password + '\n', { mode: 0o600 });
    const leaf = execFileSync('openssl', ['pkcs12', '-in', p12, '-passin', `file:${pw}`, '-nokeys', '-clcerts'], { encoding: 'utf8' });
    assert.equal(execFileSync('openssl', ['x509', '-noout', '-serial'], { input: leaf, encoding: 'utf8' }).trim(), `serial=${terminal.serial}`);
    const zip = path.join(ca.root, 'dl.zip');
    assert.match(await saveDownload(page, '#download-zip', zip), /\.zip$/);
    const entries = execFileSync('/usr/bin/python3', ['-c', 'import sys,zipfile;print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', zip], { encoding: 'utf8' });
    assert.match(entries, /\.p12/);

    // Renew through the seed's confirm dialog.
    await page.click('#renew');
    await page.locator('#result[data-result]').waitFor();
    assert.ok(dialogs.includes('証明書を更新します。よろしいですか？'), `dialogs seen: ${JSON.stringify(dialogs)}`);
    assert.match(await page.locator('#result').textContent(), /証明書の更新に成功しました。/);
    const renewedSerial = (await page.locator('#new-serial').textContent()).trim();
    assert.notEqual(renewedSerial, terminal.serial);
    await shots(page, '7-renewed');
    assert.equal(ca.json('show', terminal.serial).successor, renewedSerial);

    // Reissue for the lapsed terminal, fetched from this (working) terminal.
    await page.goto(`${base}/admin/certificates/${lapsed.serial}`);
    await page.click('#reissue');
    await page.locator('#result[data-result]').waitFor();
    const reissued = (await page.locator('#new-serial').textContent()).trim();
    assert.notEqual(reissued, lapsed.serial);
    const p12New = path.join(ca.root, 'reissued.p12');
    await saveDownload(page, '#download-p12', p12New);
    assert.ok(fs.statSync(p12New).size > 500);
    assert.equal(ca.json('show', reissued).status, 'active');
    await shots(page, '8-reissued');

    // Users: add one; a one-time password is shown once.
    await page.click('#nav-users');
    await page.fill('#new-username', 'kanri2');
    await page.click('#add-user-submit');
    await page.locator('#one-time-password').waitFor();
    assert.ok((await page.locator('#one-time-password').textContent()).trim().length >= 12);
    await page.click('#nav-users');
    assert.ok(await page.locator('#users tr[data-user="kanri2"]').count() === 1);
    await shots(page, '9-users');

    // Login history: this session's successful login is there.
    await page.click('#nav-history');
    const results = await page.locator('#login-history tr[data-result]').evaluateAll((trs) => trs.map((tr) => tr.dataset.result));
    assert.ok(results.includes('success'), `login history results: ${results}`);
    const loginTimes = await assertTimesInJst(page, '#login-history', 'login history');
    assert.ok(loginTimes.every((x) => x.text.endsWith(' JST')));
    await shots(page, '10-history');

    // An unknown page of the management site: its error page fits a phone too.
    const missing = await page.goto(`${base}/admin/no-such-page`);
    assert.equal(missing.status(), 404);
    await assertFitsPhone(page, 'admin 404');
    await page.goto(`${base}/admin/login-history`);

    // English, then log out: the session is gone.
    await page.click('#lang-en');
    await page.locator('#nav-top').waitFor();
    assert.match(await page.locator('#tabs').textContent(), /Certificates/);
    // English pages: the same zone, written 2027-01-06 09:00 JST.
    await page.click('#nav-certificates');
    assert.equal((await page.locator(`#certificates tr[data-serial="${adminCert.serial}"] td.expiry`).textContent()).trim(),
      jst(adminCert.not_after, { lang: 'en' }));
    await assertTimesInJst(page, '#certificates', 'English list');
    await page.setViewportSize({ width: 390, height: 844 });
    await assertFitsPhone(page, 'English list');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.click('#logout');
    const after = await page.goto(`${base}/admin/certificates`);
    assert.equal(after.status(), 401);
  } catch (e) {
    await page.screenshot({ path: path.join(process.env.INKAN_SCREENSHOTS || ca.root, 'admin-failure.png'), fullPage: true }).catch(() => {});
    e.message += `\n--- inkan serve stderr ---\n${serverLog()}`;
    throw e;
  }
});
