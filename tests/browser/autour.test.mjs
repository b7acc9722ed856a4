// « Autour de moi » on a phone (issue 21): from the home page, the nearest
// places, open ones first, the first card on the first screen of a
// 360×640 phone, in at most three taps counting the browser's permission
// (granted here by the browser context). Also the loading state of search
// on a slow network.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serve, site, lieux } from './support.mjs';

let browser;
let server;
let all;
before(async () => {
  browser = await launch();
  server = await serve(site());
  all = await lieux();
});
after(async () => {
  await server?.close();
  await browser?.close();
});

// Near the Saint-Denis CCAS (tests/browser/search.test.mjs uses it too).
const position = { latitude: 48.9348, longitude: 2.3578, accuracy: 20 };

async function phone(opts = {}) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 640 },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    geolocation: position,
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  if (opts.time) await page.clock.setFixedTime(new Date(opts.time));
  return page;
}

/** Taps « Autour de moi » on the home page (with « Ouvert maintenant »
 * first if asked); without it on the home page, opens what it leads to.
 * Returns the taps made. */
async function aroundMe(page, open) {
  await page.goto(server.url + 'index.html');
  let taps = 0;
  const home = page.locator('main form[action*="recherche"]').filter({ has: page.locator('[name="autour"]') });
  if (await home.count()) {
    if (open) {
      await home.locator('[name="ouvert"]').first().check();
      taps++;
    }
    await home.locator('[name="autour"]').first().click();
    taps++;
  } else {
    await page.goto(server.url + `recherche.html?autour=1${open ? '&ouvert=1' : ''}`);
  }
  // The permission: granted by the context, counted as a tap.
  taps++;
  await page.waitForSelector('#resultats > li .lieu-distance');
  await page.waitForFunction(() => document.getElementById('zone-resultats').getAttribute('aria-busy') === 'false');
  return taps;
}

async function cards(page) {
  return page.locator('#resultats > li article').evaluateAll((arts) =>
    arts.map((a) => {
      const [, n, unit] = a.querySelector('.lieu-distance').textContent.match(/^À ([\d,]+) (k?m)$/);
      return {
        nom: a.querySelector('h3').textContent,
        m: Number(n.replace(',', '.')) * (unit === 'km' ? 1000 : 1),
        ouvert: /^Ouvert/.test(a.querySelector('.lieu-jour').textContent),
      };
    }),
  );
}

for (const open of [false, true]) {
  test(`Autour de moi${open ? ' + Ouvert maintenant' : ''}: sorted by distance, first card on the first screen`, async () => {
    // A Tuesday at 10:30, as in the issue.
    const page = await phone({ time: '2026-12-01T10:30:00+01:00' });
    try {
      const taps = await aroundMe(page, open);
      assert.ok(taps <= 3, `${taps} taps`);
      const list = await cards(page);
      assert.ok(list.length > 0);
      const opened = list.filter((c) => c.ouvert);
      const closed = list.filter((c) => !c.ouvert);
      if (open) assert.equal(closed.length, 0, 'only open places');
      // Open ones first, each group by distance.
      assert.deepEqual(list.map((c) => c.nom), [...opened, ...closed].map((c) => c.nom));
      for (const g of [opened, closed]) {
        for (let i = 1; i < g.length; i++) assert.ok(g[i].m >= g[i - 1].m - 50, `sorted: ${g.map((c) => c.m)}`);
      }
      // The page brings the results to the first screen: no scrolling.
      await page.waitForFunction(() => document.getElementById('zone-resultats').getBoundingClientRect().top < 10);
      const first = page.locator('#resultats > li article').first();
      const box = await first.locator('h3').boundingBox();
      assert.ok(box.y >= 0 && box.y + box.height <= 640, `first card's title at ${box.y} px`);
      const call = first.locator('a[href^="tel:"]');
      if (await call.count()) {
        const b = await call.boundingBox();
        assert.ok(b.y + b.height <= 640, `« Appeler » at ${b.y} px`);
      }
      assert.ok(!page.url().includes('48.93'), 'the position stays on the device');
      assert.deepEqual(page.errors, []);
    } finally {
      await page.context().close();
    }
  });
}

test('a slow search says « Recherche en cours… », and the no-JavaScript message only when loading fails', async () => {
  const page = await phone();
  try {
    let release;
    const held = new Promise((ok) => (release = ok));
    await page.route('**/assets/recherche.js', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(server.url + 'recherche.html?q=epicerie', { waitUntil: 'domcontentloaded' });
    await page.locator('#chargement').waitFor({ state: 'visible' });
    assert.match(await page.locator('#chargement').innerText(), /Recherche en cours…/);
    assert.ok(!(await page.locator('#sans-js').isVisible()));
    release();
    await page.waitForSelector('#resultats > li');
    assert.ok(!(await page.locator('#chargement').isVisible()));
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
  const failing = await phone();
  try {
    await failing.route('**/assets/recherche.js', (route) => route.abort());
    await failing.goto(server.url + 'recherche.html?q=epicerie', { waitUntil: 'domcontentloaded' });
    await failing.waitForSelector('#sans-js', { state: 'visible' });
    assert.ok(!(await failing.locator('#chargement').isVisible()));
  } finally {
    await failing.context().close();
  }
});
