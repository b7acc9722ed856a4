// Offline use and privacy in a real browser: pages a visitor read stay
// readable when the network is cut, saying from which date their
// information is; a page never read gives a friendly page, not the
// browser's error; and, with map tiles off, no page asks anything of
// another site, not even when the visitor uses their position.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileUrl, launch, pageFor, serve, site } from './support.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Waits until `fn` (run in the page; it may return a promise, which
 * `page.waitForFunction` would not wait for) gives a truthy value, asking
 * again at each of the page's animation frames, for at most 10 s. */
async function until(page, fn, arg, what) {
  const deadline = Date.now() + 10_000;
  while (!(await page.evaluate(fn, arg))) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await page.evaluate(() => new Promise((frame) => requestAnimationFrame(() => frame())));
  }
}

async function bannerText(page) {
  const banner = page.locator('#bandeau-hors-ligne');
  return (await banner.count()) ? banner.innerText() : '';
}

test('pages read once stay readable offline, dated; others get the offline page', async () => {
  const server = await serve(site());
  const base = server.url;
  const page = await pageFor(browser);
  try {
    await page.goto(base + 'index.html');
    // The worker claims the page once active; reload once if it did not.
    await until(page, () => navigator.serviceWorker.getRegistration().then((r) => !!(r && r.active)), null, 'the service worker to be active');
    if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) await page.reload();
    await until(page, () => !!navigator.serviceWorker.controller, null, 'the service worker to control the page');
    assert.equal(await bannerText(page), '', 'online: no banner');

    const territory = await page.locator('main a[href^="territoires/"]').first().getAttribute('href');
    await page.goto(base + territory);
    const id = territory.replace(/^territoires\/|\.html$/g, '');
    const territoryTitle = await page.locator('h1').innerText();
    const point = await page.locator('main a[href^="../lieux/"]').first().getAttribute('href');
    await page.goto(new URL(point, base + territory).href);
    const pointUrl = page.url();
    const pointTitle = await page.locator('h1').innerText();
    const date = await page.locator('.pied .genere time').innerText();
    // The territory page asked to keep its printable guide.
    await until(page, (u) => caches.match(u).then(Boolean), base + `guide/${id}.html`, 'the guide to be kept');

    await page.context().setOffline(true);
    await server.close();

    await page.reload();
    assert.equal(await page.locator('h1').innerText(), pointTitle);
    assert.equal(await bannerText(page), `Vous êtes hors ligne : informations du ${date}. Appelez avant de vous déplacer.`);
    await page.goto(base + territory);
    assert.equal(await page.locator('h1').innerText(), territoryTitle);
    assert.match(await bannerText(page), /^Vous êtes hors ligne/);
    // Read in the footer of each page: the date the information dates from.
    assert.match(await page.locator('.pied .genere').innerText(), new RegExp(date));
    await page.goto(base + `guide/${id}.html`);
    assert.match(await page.title(), /^Guide imprimable/);

    // The search works from the kept index.
    await page.goto(base + 'recherche.html?q=epicerie');
    await page.waitForFunction(() => document.querySelectorAll('#resultats > li').length > 0);
    assert.match(await bannerText(page), /^Vous êtes hors ligne/);

    // A page never read: the offline page, with a way back.
    await page.goto(base + 'pages/mentions-legales.html');
    assert.equal(await page.locator('h1').innerText(), 'Cette page n’est pas disponible hors ligne');
    assert.match(await bannerText(page), /^Vous êtes hors ligne/);
    await page.locator('main a', { hasText: 'l’accueil' }).click();
    assert.equal(new URL(page.url()).pathname, '/index.html');
    assert.ok(await page.locator('main h1').count());

    // In another language, the offline page and the banner speak it.
    await page.goto(base + 'en/pages/mentions-legales.html');
    assert.equal(await page.locator('h1').innerText(), 'This page is not available offline');
    assert.match(await bannerText(page), /^You are offline: information from /);

    assert.deepEqual(page.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::/.test(e)), []);
    assert.ok(pointUrl.startsWith(base));
  } finally {
    await page.context().close();
    await server.close().catch(() => {});
  }
});

test('with tiles off, no page asks anything of another site, position included', { skip: !process.env.ALIMAP_SITE_SANS_TUILES && 'ALIMAP_SITE_SANS_TUILES not set' }, async () => {
  const server = await serve(process.env.ALIMAP_SITE_SANS_TUILES);
  const base = server.url;
  const position = { latitude: 48.9361, longitude: 2.3574 };
  const page = await pageFor(browser, { position });
  const requests = [];
  // The context sees the service worker's requests too.
  page.context().on('request', (r) => requests.push({ url: r.url(), cookie: r.headers().cookie }));
  try {
    for (const path of [
      'index.html',
      'territoires/ville-test.html',
      'lieux/epicerie-nord.html',
      'structures/asso-test.html',
      'coordination/ville-test.html',
      'guide/ville-test.html',
      'pages/a-propos.html',
    ]) {
      await page.goto(base + path);
      assert.ok(await page.locator('main h1').count(), path);
    }
    await page.goto(base + 'recherche.html?q=epicerie');
    await page.waitForFunction(() => document.querySelectorAll('#resultats > li').length > 0);
    await page.click('#autour');
    // The position found, the search that ranks the points by distance
    // from it has ended (recherche.js: the status changes as that search
    // starts, and aria-busy goes back to false when it ends).
    await page.waitForFunction(
      () =>
        /^Position trouvée/.test(document.getElementById('position').textContent) &&
        document.getElementById('zone-resultats').getAttribute('aria-busy') === 'false',
    );

    const outside = requests.filter((r) => !r.url.startsWith(base));
    assert.deepEqual(outside, [], 'nothing outside the site');
    const lat = String(position.latitude).slice(0, 5);
    assert.deepEqual(requests.filter((r) => r.url.includes(lat)), [], 'the position is never sent');
    assert.deepEqual(requests.filter((r) => r.cookie), [], 'no cookie');
    assert.equal(await page.evaluate(() => document.cookie), '');
    assert.deepEqual(await page.context().cookies(), []);
  } finally {
    await page.context().close();
    await server.close();
  }
});

test('opened from disk, the site works without a service worker and says nothing', async () => {
  const page = await pageFor(browser);
  try {
    await page.goto(fileUrl('index.html'));
    assert.ok(await page.locator('main h1').count());
    assert.equal(await page.evaluate(() => navigator.serviceWorker ? navigator.serviceWorker.controller : null), null);
    assert.equal(await bannerText(page), '', 'online: no banner');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});
