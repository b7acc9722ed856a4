// Every kind of page of the sample site, in its three languages, on a
// 320-pixel-wide phone, with the browser's text at its usual size and at
// 200 %: the document is never wider than the screen (no sideways
// scrolling), and every visible button, field, select, summary and
// `.bouton` link is at least 44 CSS pixels tall (WCAG 2.5.5's size); a
// checkbox counts with its label, which fills its row.
//
// Text at 200 % is the browser's default font size doubled (16 → 32 px,
// through the DevTools protocol's `Page.setFontSizes`, which is what a
// visitor's « Taille de police » setting changes): the site sizes its text,
// spacing and breakpoints in rem and em from it, so it reflows as for that
// visitor. A page zoom would only repeat the 320-pixel case.
//
// Pages are opened with every <details> open (the search page's « Filtres »
// once widened it to 441 px), the search page also with results, and the
// territory page also with its interactive map shown.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LANGUES, PAGES, launch, mapSettled, serve, site } from './support.mjs';

let browser;
let server;
before(async () => {
  browser = await launch();
  server = await serve(site());
});
after(async () => {
  await server?.close();
  await browser?.close();
});

/** What to do on a page once loaded, besides opening every <details>. */
const EXTRA = [
  ['recherche avec résultats', 'recherche.html?q=epicerie', async (page) => {
    await page.waitForFunction(() => document.querySelectorAll('#resultats > li').length > 0);
  }],
  ['carte ouverte', 'territoires/saint-denis.html', async (page) => {
    await page.locator('[data-ouvrir-carte]').first().click();
    await page.waitForFunction(() => window.alimapCarte && window.alimapCarte.pret, null, { timeout: 15000 });
    await mapSettled(page);
  }],
];

const ALL = LANGUES.flatMap(([code, dir]) =>
  [...PAGES, ...EXTRA].map(([kind, path, prepare]) => [`${kind} [${code}]`, dir + path, prepare]),
);

/** Problems of the page as it is now: width, then small targets. */
function measure() {
  const out = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) {
    // Name the innermost elements that stick out, outside any scrolling
    // frame (a wide table may scroll in its own frame), for whoever fixes it.
    const framed = (e) => {
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible') return true;
      }
      return false;
    };
    const out_ = (e) => e.getBoundingClientRect().right > width + 0.5;
    const culprits = [...document.body.querySelectorAll('*')]
      .filter((e) => e.checkVisibility() && out_(e) && !framed(e) && ![...e.children].some(out_))
      .slice(0, 3)
      .map((e) => `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).split(' ')[0] : ''} « ${e.textContent.trim().slice(0, 30)} »`);
    out.push(`${document.documentElement.scrollWidth} px wide at ${width} px (${culprits.join(', ')})`);
  }
  const targets = document.querySelectorAll('button, input, select, summary, .bouton');
  for (const el of targets) {
    if (!el.checkVisibility() || el.type === 'hidden') continue;
    // A checkbox or radio button is as tall as its label's row.
    const row = el.type === 'checkbox' || el.type === 'radio' ? el.parentElement : el;
    const h = row.getBoundingClientRect().height;
    if (h < 44 - 0.01) {
      const name = `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.type && el.tagName !== 'BUTTON' ? `[${el.type}]` : ''}`;
      out.push(`${name} « ${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30)} » is ${Math.round(h * 10) / 10} px tall`);
    }
  }
  return [...new Set(out)];
}

/** Opens every page of `ALL` in one context of a 320-pixel phone whose
 * default font size is `fontSize`, three at a time; returns the problems. */
async function check(fontSize) {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  const problems = [];
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: 3 }, async () => {
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send('Page.setFontSizes', { fontSizes: { standard: fontSize, fixed: Math.round((fontSize * 13) / 16) } });
        while (next < ALL.length) {
          const [kind, path, prepare] = ALL[next++];
          await page.goto(server.url + path);
          if (prepare) await prepare(page);
          await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
          problems.push(...(await page.evaluate(measure)).map((p) => `${kind} (${path}): ${p}`));
        }
      }),
    );
  } finally {
    await context.close();
  }
  return problems.sort();
}

test('at 320 px wide no page scrolls sideways and every button and field is at least 44 px tall, in every language', async () => {
  assert.deepEqual(await check(16), []);
});

test('at 320 px wide with text at 200 %, no page scrolls sideways, in every language', async () => {
  assert.deepEqual(await check(32), []);
});

test('on a phone, a point’s popup on the map stays clear of the zoom buttons and inside the map', async () => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  try {
    for (const [code, dir] of LANGUES) {
      const page = await context.newPage();
      // No tiles: only the site's own files.
      await page.route('**/*', (route) => (route.request().url().startsWith(server.url) ? route.continue() : route.abort()));
      await page.goto(server.url + dir + 'lieux/ccas-agora.html');
      await page.locator('[data-ouvrir-carte]').click();
      await page.waitForFunction(() => window.alimapCarte && window.alimapCarte.pret, null, { timeout: 15000 });
      await page.locator('.leaflet-popup').waitFor();
      // The popup pans the map once open.
      await mapSettled(page);
      const r = await page.evaluate(() => {
        const box = (s) => document.querySelector(s).getBoundingClientRect();
        return { popup: box('.leaflet-popup-content-wrapper'), zoom: box('.leaflet-control-zoom'), map: box('#carte') };
      });
      const { popup, zoom, map } = r;
      const apart = popup.left >= zoom.right || popup.top >= zoom.bottom || popup.right <= zoom.left || popup.bottom <= zoom.top;
      assert.ok(apart, `${code}: popup ${JSON.stringify(popup)} under the zoom buttons ${JSON.stringify(zoom)}`);
      assert.ok(popup.left >= map.left && popup.right <= map.right, `${code}: popup ${JSON.stringify(popup)} inside the map ${JSON.stringify(map)}`);
      await page.close();
    }
  } finally {
    await context.close();
  }
});

test('the printed guide keeps each point’s entry on one page and each phone number on one line', async () => {
  const context = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  try {
    const page = await context.newPage();
    await page.emulateMedia({ media: 'print' });
    for (const [code, dir] of LANGUES) {
      await page.goto(server.url + dir + 'guide/saint-denis.html');
      const r = await page.evaluate(() => ({
        entries: [...document.querySelectorAll('.guide-lieu')].map((e) => getComputedStyle(e).breakInside),
        phones: [...document.querySelectorAll('.guide-lieu .tel')].map((e) => [e.textContent, e.getClientRects().length, getComputedStyle(e).whiteSpace]),
      }));
      assert.ok(r.entries.length > 0 && r.entries.every((b) => b === 'avoid'), `${code}: ${r.entries}`);
      assert.ok(r.phones.length > 0, `${code}: phones are shown`);
      for (const [tel, lines, ws] of r.phones) assert.ok(lines === 1 && ws === 'nowrap', `${code}: ${tel} on ${lines} lines (${ws})`);
    }
  } finally {
    await context.close();
  }
});

test('at 1,280 px the coordination tables’ headers break between words, never inside one', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  try {
    const page = await context.newPage();
    for (const [code, dir] of LANGUES) {
      await page.goto(server.url + dir + 'coordination/saint-denis.html');
      const broken = await page.evaluate(() => {
        const out = [];
        for (const th of document.querySelectorAll('table th')) {
          const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
          for (let n; (n = walker.nextNode()); ) {
            // Each word (between spaces; a hyphen may break) on one line.
            for (const m of n.textContent.matchAll(/[^\s-]+/g)) {
              const range = document.createRange();
              range.setStart(n, m.index);
              range.setEnd(n, m.index + m[0].length);
              const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
              if (lines.size > 1) out.push(`« ${m[0]} » in « ${th.textContent.trim().slice(0, 40)} »`);
            }
          }
        }
        return out;
      });
      assert.deepEqual(broken, [], code);
    }
  } finally {
    await context.close();
  }
});
