// Issue 4 "Browser": an end user's Chromium holding a certificate with 30 days left (imported
// from its .p12 into NSS, auto-selected by policy) opens the portal, sees the banner, renews,
// reveals the password and downloads the new .p12 — which then opens with that password.
// Screenshots of each step go to $INKAN_SCREENSHOTS (docs/screenshots shows them).
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
const { checkScreen, assertFitsPhone, jst, PHONE, DESKTOP } = require('./lib/screens');

async function shot(page, name) {
  const dir = process.env.INKAN_SCREENSHOTS;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, name), fullPage: true });
}

async function phone(page, what) {
  await page.setViewportSize(PHONE);
  await assertFitsPhone(page, what);
  await page.setViewportSize(DESKTOP);
}

test('portal: banner, renew, reveal the password, download the new p12', async (t) => {
  const defer = teardown(t);
  const ca = new Inkan('portal');
  defer(() => ca.cleanup());
  ca.init();
  ca.timeZone('Asia/Tokyo');
  ca.run('tenant', 'add', 'demo', '--name', 'デモ介護施設');
  const old = ca.issue('demo', 'client300', { daysLeft: 30 });
  const chain = ca.chainFile();
  const rootPem = path.join(ca.root, 'root.pem');
  fs.writeFileSync(rootPem, fs.readFileSync(chain, 'utf8').split(/(?<=-----END CERTIFICATE-----\n)/)[1]);

  const home = path.join(ca.root, 'home');
  makeNssHome(home, { p12: old.p12, passwordFile: old.password_file, trustedCaPems: [rootPem] });

  const { port, log: serverLog } = await serve(defer, ca);

  defer(autoSelectCertificateForLocalhost());
  const browser = await launch({ home, profileDir: path.join(ca.root, 'profile') });
  defer(() => browser.close());
  const page = await browser.newPage({ acceptDownloads: true });
  await page.setExtraHTTPHeaders({ 'Accept-Language': 'ja' });

  try {
    await page.goto(`https://localhost:${port}/`, { timeout: 20000 });
    const banner = page.locator('#banner');
    await banner.waitFor();
    assert.match(await banner.textContent(), /クライアント証明書の有効期限が近づいています。/);
    assert.equal((await page.locator('#serial').textContent()).trim(), old.serial);
    // 有効期限 in JST (the server runs with TZ=UTC), the UTC value kept in <time datetime>.
    assert.equal(await page.locator('#not-after time').textContent(), jst(old.not_after));
    assert.equal(await page.locator('#not-after time').getAttribute('datetime'), old.not_after);
    await checkScreen(page, 'portal-1-banner');

    // The English portal: the same zone in its notation, and it fits a 390 px screen.
    await page.click('a[hreflang=en]');
    await page.locator('html[lang=en]').waitFor();
    assert.equal(await page.locator('#not-after time').textContent(), jst(old.not_after, { lang: 'en' }));
    await checkScreen(page, 'portal-1-banner-en');
    await page.click('a[hreflang=ja]');
    await page.locator('html[lang=ja]').waitFor();

    await page.click('#banner-renew');
    await page.locator('#renewed').waitFor();
    const newSerial = (await page.locator('#new-serial').textContent()).trim();
    assert.notEqual(newSerial, old.serial);
    assert.match(await page.locator('#new-not-after time').textContent(), /^\d{4}\/\d\d\/\d\d \d\d:\d\d JST$/);
    await checkScreen(page, 'portal-2-renewed');

    await page.click('#reveal summary');
    const password = (await page.locator('#password').textContent()).trim();
    assert.match(password, /^[2-9A-HJ-NP-Za-km-z]{4}(-[2-9A-HJ-NP-Za-km-z]{4}){4}$/);
    await checkScreen(page, 'portal-3-password');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const saved = path.join(ca.root, 'downloaded.p12');
    await download.saveAs(saved);
    const pw = path.join(ca.root, 'downloaded.pw');
    fs.writeFileSync(pw, password + '\n', { mode: 0o600 });
    const leaf = execFileSync('openssl', ['pkcs12', '-in', saved, '-passin', `file:${pw}`, '-nokeys', '-clcerts'], { encoding: 'utf8' });
    const serial = execFileSync('openssl', ['x509', '-noout', '-serial'], { input: leaf, encoding: 'utf8' });
    assert.equal(serial.trim(), `serial=${newSerial}`);

    // The store agrees: old superseded (still valid), new active and linked.
    const shown = ca.json('show', old.serial);
    assert.equal(shown.status, 'superseded');
    assert.equal(shown.successor, newSerial);

    // The portal's error page, in both languages, at 390 px.
    const missing = await page.goto(`https://localhost:${port}/no-such-page`);
    assert.equal(missing.status(), 404);
    await phone(page, 'portal 404 (ja)');
    await page.goto(`https://localhost:${port}/lang/en`);
    await page.goto(`https://localhost:${port}/no-such-page`);
    await phone(page, 'portal 404 (en)');
    await page.goto(`https://localhost:${port}/`);
    await phone(page, 'portal status (en)');
  } catch (e) {
    await shot(page, 'portal-failure.png').catch(() => {});
    e.message += `\n--- inkan serve stderr ---\n${serverLog()}`;
    throw e;
  }
});
