// Issue 18: the management site's 操作履歴 (activity) tab. A tenant administrator sees their own
// tenant's entries only (a reveal, a download, a renewal, a revocation, a user change), never
// another tenant's, and cannot ask for one; the operator sees every tenant and filters by tenant
// and action. Saved at desktop width and at 390 px to $INKAN_SCREENSHOTS (docs/admin-site.md).
// Logins by password only (`serve --admin-client-cert off`): the certificate login is admin.test.js's.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { Inkan } = require('./lib/inkan');
const { teardown } = require('./lib/teardown');
const { serve } = require('./lib/server');
const { CHROMIUM } = require('./lib/client_cert_browser');
const { checkScreen, assertFitsPhone, assertTimesInJst } = require('./lib/screens');

const PASSWORD = 'activity-admin-passw0rd';

// Each screen at 390 px (lib/screens.js), saved for docs/admin-site.md.
async function shots(page, name) {
  await checkScreen(page, `admin-${name}`);
}

async function login(page, base, user) {
  await page.goto(`${base}/admin/login`);
  await page.fill('#username', user);
  await page.fill('#password', PASSWORD);
  await page.click('#login-submit');
  await page.locator('#nav-activity').waitFor();
}

async function rows(page) {
  return page.$$eval('#activity tr[data-seq]', (trs) => trs.map((tr) => ({
    seq: Number(tr.dataset.seq), action: tr.dataset.action, tenant: tr.dataset.tenant, text: tr.textContent })));
}

test('操作履歴: own tenant only for a tenant administrator, everything filterable for the operator', async (t) => {
  const defer = teardown(t);
  const ca = new Inkan('activity');
  defer(() => ca.cleanup());
  ca.init();
  ca.timeZone('Asia/Tokyo');
  ca.run('tenant', 'add', 'demo', '--name', 'デモ介護施設');
  ca.run('tenant', 'add', 'other', '--name', 'Other Care');
  const mine = ca.issue('demo', 'client300', { daysLeft: 40 });
  const theirs = ca.issue('other', 'secret-terminal', { daysLeft: 40 });
  ca.run('password', mine.serial);
  ca.run('password', theirs.serial);
  ca.run('export', theirs.serial, '--out', path.join(ca.root, 'theirs.p12'));
  ca.run('export', mine.serial, '--out', path.join(ca.root, 'mine.p12'));
  ca.run('renew', mine.serial, '--out', path.join(ca.root, 'renewed'));
  ca.run('revoke', theirs.serial, '--reason', 'keyCompromise');
  const pw = path.join(ca.root, 'admin.pw');
  fs.writeFileSync(pw, PASSWORD + '\n', { mode: 0o600 });
  ca.run('user', 'add', 'kanri', '--tenant', 'demo', '--password-file', pw);
  ca.run('user', 'add', 'other-admin', '--tenant', 'other', '--password-file', pw);
  ca.run('user', 'add', 'unyo', '--operator', '--password-file', pw);

  const { port } = await serve(defer, ca, ['--admin-client-cert', 'off']);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  defer(() => browser.close());
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.setExtraHTTPHeaders({ 'Accept-Language': 'ja' });
  const base = `https://localhost:${port}`;

  // The tenant administrator: the tab sits next to ログイン履歴 and shows demo's entries only.
  await login(page, base, 'kanri');
  await page.click('#nav-activity');
  await page.locator('#activity').waitFor();
  assert.equal(await page.locator('h2').textContent(), '操作履歴');
  const own = await rows(page);
  const actions = new Set(own.map((r) => r.action));
  for (const a of ['cert.issue', 'password.reveal', 'cert.download', 'cert.renew', 'admin.add']) {
    assert.ok(actions.has(a), `the tenant administrator should see ${a}: ${[...actions]}`);
  }
  assert.ok(own.every((r) => r.tenant === 'demo'), JSON.stringify(own));
  const html = await page.content();
  assert.ok(!html.includes(theirs.serial) && !html.includes('other-admin') && !html.includes('tenant:other'),
    'an entry of another tenant leaked into the tenant administrator\'s 操作履歴');
  assert.ok(html.includes('パスワード表示') && html.includes('ダウンロード'));
  // 操作履歴 in JST, to the second (the server runs with TZ=UTC).
  const times = await assertTimesInJst(page, '#activity', '操作履歴');
  assert.ok(times.every((x) => /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d JST$/.test(x.text)), JSON.stringify(times[0]));
  await shots(page, '11-activity');

  // Filters: an action; and the cross-tenant sweep: asking for another tenant is a 404.
  await page.selectOption('#activity-action', 'password.reveal');
  await page.click('#activity-submit');
  await page.locator('#activity').waitFor();
  const reveals = await rows(page);
  assert.equal(reveals.length, 1);
  assert.ok(reveals[0].text.includes(mine.serial));
  for (const query of ['tenant=other', `serial=${theirs.serial}`, 'tenant=other&action=cert.revoke']) {
    const r = await page.goto(`${base}/admin/activity?${query}`);
    if (query.startsWith('tenant')) assert.equal(r.status(), 404, query);
    const html2 = await page.content();
    assert.ok(!html2.includes('secret-terminal') && !(await rows(page)).some((x) => x.tenant !== 'demo'), query);
  }
  await page.goto(`${base}/admin/`);
  await page.click('#logout');

  // The operator: every tenant, filterable by tenant.
  await login(page, base, 'unyo');
  await page.goto(`${base}/admin/activity`);
  const all = await rows(page);
  const tenants = new Set(all.map((r) => r.tenant));
  assert.ok(tenants.has('demo') && tenants.has('other') && tenants.has('-'), [...tenants].join(','));
  await page.fill('#activity-tenant', 'other');
  await page.selectOption('#activity-action', 'cert.revoke');
  await page.click('#activity-submit');
  await page.locator('#activity').waitFor();
  const revoked = await rows(page);
  assert.equal(revoked.length, 1);
  assert.ok(revoked[0].tenant === 'other' && revoked[0].text.includes(theirs.serial));
  await shots(page, '12-activity-operator');

  // The operator's other screens at 390 px: every tenant's list (with the tenant column), the
  // tenant page with its renewal-window forms, the users and the login history.
  for (const [url, table] of [['/admin/certificates', '#certificates'], ['/admin/tenant', 'main'],
    ['/admin/users', '#users'], ['/admin/login-history', '#login-history'], ['/admin/', null]]) {
    await page.goto(`${base}${url}`);
    if (table) await assertTimesInJst(page, table, `operator ${url}`);
    await page.setViewportSize({ width: 390, height: 844 });
    await assertFitsPhone(page, `operator ${url}`);
    await page.setViewportSize({ width: 1280, height: 800 });
  }
});
