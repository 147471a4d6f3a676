// What every screen of the browser tests is held to at phone width (issue 16, item 15), and the
// screenshots the docs embed (docs/screenshots; `npm run screenshots` writes them there).
'use strict';
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

// At 390 px: no sideways page scroll; every admin tab on screen (not hidden in a scroller);
// a serial (or any code) inside its table cell; the list's 有効期限 and 残り日数 cells on screen.
async function assertFitsPhone(page, name) {
  const problems = await page.evaluate(() => {
    const out = [];
    const vw = window.innerWidth;
    const root = document.documentElement;
    if (root.scrollWidth > vw) out.push(`the page is ${root.scrollWidth}px wide (viewport ${vw}px)`);
    const onScreen = (el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && r.left >= -0.5 && r.right <= vw + 0.5;
    };
    for (const a of document.querySelectorAll('#tabs a')) {
      if (!onScreen(a)) out.push(`tab ${a.id} is cut off (${Math.round(a.getBoundingClientRect().right)}px)`);
    }
    for (const code of document.querySelectorAll('table code')) {
      const cell = code.closest('td');
      if (!cell || code.getBoundingClientRect().width === 0) continue;
      const c = cell.getBoundingClientRect();
      const r = code.getBoundingClientRect();
      // A table that scrolls inside its own .table-wrap may reach past the screen; its cells may not spill.
      const inScroller = code.closest('.table-wrap') !== null;
      if (r.right > c.right + 0.5 || (!inScroller && r.right > vw + 0.5)) out.push(`${code.id || 'a code'} spills out of its cell`);
    }
    for (const tr of document.querySelectorAll('#certificates tr[data-serial]')) {
      for (const sel of ['td.expiry', 'td.days-left']) {
        const td = tr.querySelector(sel);
        if (!td || !onScreen(td)) out.push(`${sel} of ${tr.dataset.serial} is not on screen`);
      }
    }
    return out;
  });
  assert.deepEqual(problems, [], `${name} at 390px: ${problems.join('; ')}`);
}

// Checks the screen at 390 px, saving it at desktop width and at 390 px (`admin-<name>.png` and
// `admin-<name>-390.png` style names: pass the full file stem) when $INKAN_SCREENSHOTS is set.
async function checkScreen(page, stem, { desktop = true } = {}) {
  const dir = process.env.INKAN_SCREENSHOTS;
  if (dir) fs.mkdirSync(dir, { recursive: true });
  const before = page.viewportSize() || DESKTOP;
  if (dir && desktop) await page.screenshot({ path: path.join(dir, `${stem}.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  if (dir) await page.screenshot({ path: path.join(dir, `${stem}-390.png`), fullPage: true });
  await assertFitsPhone(page, stem);
  await page.setViewportSize(before);
}

// "2027/01/06 09:00 JST" (ja) or "2027-01-06 09:00 JST" (en) for an RFC 3339 UTC time.
function jst(rfc3339, { lang = 'ja', seconds = false } = {}) {
  const d = new Date(Date.parse(rfc3339) + 9 * 3600 * 1000);
  const p = (n) => String(n).padStart(2, '0');
  const sep = lang === 'ja' ? '/' : '-';
  const date = `${d.getUTCFullYear()}${sep}${p(d.getUTCMonth() + 1)}${sep}${p(d.getUTCDate())}`;
  return `${date} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}${seconds ? `:${p(d.getUTCSeconds())}` : ''} JST`;
}

// Every <time> in `selector`: its text in JST, its datetime the RFC 3339 UTC value.
async function assertTimesInJst(page, selector, what) {
  const times = await page.$$eval(`${selector} time`, (els) => els.map((e) => ({ text: e.textContent.trim(), utc: e.getAttribute('datetime') })));
  assert.ok(times.length > 0, `${what}: no <time> under ${selector}`);
  for (const t of times) {
    assert.match(t.utc, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, `${what}: datetime ${t.utc}`);
    const lang = t.text.includes('/') ? 'ja' : 'en';
    if (/^\d{4}.\d\d.\d\d$/.test(t.text)) {
      assert.equal(t.text, jst(t.utc, { lang }).slice(0, 10), `${what}: a date`);
    } else {
      assert.equal(t.text, jst(t.utc, { lang, seconds: t.text.split(':').length === 3 }), `${what}: a time`);
    }
  }
  return times;
}

module.exports = { checkScreen, assertFitsPhone, assertTimesInJst, jst, PHONE, DESKTOP };
