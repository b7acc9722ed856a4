// The interactive map in a real browser: loaded only on demand, one marker
// per point, popups that lead to the right page, reachable with the
// keyboard, usable when tiles cannot be reached, and silent towards third
// parties when a site turns tiles off. The static SVG map needs no script.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { launch, mapSettled, pageFor, serve, site, lieux } from './support.mjs';

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

/** A page whose requests outside `base` are aborted and recorded. */
async function isolatedPage(base, opts) {
  const page = await pageFor(browser, opts);
  page.outside = [];
  page.loaded = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(base)) {
      page.loaded.push(url.slice(base.length));
      return route.continue();
    }
    page.outside.push(url);
    return route.abort();
  });
  return page;
}

/** Console errors other than the aborted tile requests. */
function realErrors(page) {
  return page.errors.filter((e) => !/net::ERR_FAILED/.test(e));
}

async function openMap(page) {
  await page.click('[data-ouvrir-carte]');
  await page.waitForFunction(() => window.alimapCarte && window.alimapCarte.pret, null, { timeout: 15000 });
  // Framing the points and clustering them are animated.
  await mapSettled(page);
}

/** Points on screen: single markers plus the counts written on clusters. */
async function shownPoints(page) {
  const markers = await page.locator('#carte .marqueur').count();
  const clusters = await page.locator('#carte .grappe span[aria-hidden]').allInnerTexts();
  return markers + clusters.reduce((sum, n) => sum + Number(n), 0);
}

test('the map scripts load only when the visitor opens the map', async () => {
  const page = await isolatedPage(server.url);
  await page.goto(server.url + 'territoires/saint-denis.html');
  await page.waitForLoadState('load');
  assert.ok(page.loaded.some((u) => u.endsWith('assets/carte.js')), 'the small loader is there');
  assert.ok(!page.loaded.some((u) => /leaflet|assets\/carte\//.test(u)), `nothing else yet: ${page.loaded}`);
  await openMap(page);
  for (const file of ['vendor/leaflet/leaflet.js', 'vendor/leaflet.markercluster/leaflet.markercluster.js', 'carte/territoires/saint-denis.js']) {
    assert.ok(page.loaded.some((u) => u.endsWith(file)), `${file} loaded on demand`);
  }
  assert.deepEqual(realErrors(page), []);
  await page.context().close();
});

test('a territory map shows one marker per point of the list, clusters counted', async () => {
  for (const id of ['saint-denis', 'paris', 'seine-saint-denis']) {
    const page = await isolatedPage(server.url);
    await page.goto(`${server.url}territoires/${id}.html`);
    const expected = await page.locator('.liste-carte li').count();
    assert.ok(expected > 0, id);
    await openMap(page);
    assert.equal(await page.getAttribute('#carte', 'data-nombre-lieux'), String(expected), id);
    assert.equal(await shownPoints(page), expected, `${id}: markers and clusters add up to the points`);
    assert.ok((await page.locator('#carte path.leaflet-interactive, #carte svg path').count()) > 0, `${id}: perimeter drawn`);
    await page.context().close();
  }
});

test('the home map shows every point of the site', async () => {
  const points = readdirSync(resolve(site(), 'lieux')).filter((f) => f.endsWith('.html')).length;
  const page = await isolatedPage(server.url);
  await page.goto(server.url + 'index.html');
  await openMap(page);
  assert.equal(await page.getAttribute('#carte', 'data-nombre-lieux'), String(points));
  assert.equal(await shownPoints(page), points);
  // The legend names the kinds of help, with their symbol.
  const legend = await page.locator('[data-carte-legende]').innerText();
  assert.match(legend, /Repas/);
  assert.match(legend, /Épicerie sociale et solidaire/);
  await page.context().close();
});

test('keyboard: Tab reaches a marker, Enter opens its popup, whose link leads to its page', async () => {
  const page = await isolatedPage(server.url);
  await page.goto(server.url + 'lieux/ccas-agora.html');
  await openMap(page);
  // Close the popup the point's page opens. On a loaded machine it may open
  // after openMap returns, and a closing popup fades out for a moment: wait
  // for it to come, then to be gone, so that only the next popup is found.
  await page.locator('.leaflet-popup').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('.leaflet-popup').waitFor({ state: 'detached' });
  await page.focus('[data-ouvrir-carte]');
  let title = null;
  for (let i = 0; i < 40 && !title; i++) {
    await page.keyboard.press('Tab');
    title = await page.evaluate(() => {
      const el = document.activeElement;
      return el && el.classList.contains('marqueur') ? el.getAttribute('title') : null;
    });
  }
  assert.ok(title, 'a marker is reachable with Tab');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('role')), 'button');
  await page.keyboard.press('Enter');
  const link = page.locator('.leaflet-popup .popup-lieu a');
  await link.waitFor();
  const name = await link.innerText();
  assert.ok(title.startsWith(name), `popup of the focused marker: ${name} / ${title}`);
  assert.equal(await page.evaluate(() => document.activeElement.closest('.popup-lieu') !== null), true, 'focus moves into the popup');
  const popup = await page.locator('.leaflet-popup').innerText();
  assert.match(popup, /Aujourd’hui/);
  assert.match(popup, /Conditions/);
  await page.keyboard.press('Enter');
  await page.waitForLoadState('load');
  assert.equal(await page.locator('h1').innerText(), name, 'the link opens the point’s page');
  await page.context().close();
});

test('a point’s page opens the map on that point with its popup', async () => {
  const page = await isolatedPage(server.url);
  await page.goto(server.url + 'lieux/ccas-agora.html');
  const h1 = await page.locator('h1').innerText();
  await openMap(page);
  const link = page.locator('.leaflet-popup .popup-lieu a');
  await link.waitFor();
  assert.equal(await link.innerText(), h1);
  assert.ok((await link.getAttribute('href')).endsWith('lieux/ccas-agora.html'));
  await page.context().close();
});

test('with tile servers unreachable the map still draws outlines and points', async () => {
  const page = await isolatedPage(server.url);
  await page.goto(server.url + 'territoires/saint-denis.html');
  const expected = await page.locator('.liste-carte li').count();
  await openMap(page);
  // The map gives up on tiles at the first that fails before any loaded.
  await page.waitForFunction(() => document.getElementById('carte').classList.contains('sans-tuiles'));
  assert.ok(page.outside.length > 0, 'tiles were asked for');
  for (const u of page.outside) {
    assert.ok(u.startsWith('https://tile.openstreetmap.org/'), `only the configured tile server: ${u}`);
  }
  assert.equal(await shownPoints(page), expected);
  assert.match(await page.getAttribute('#carte', 'class'), /sans-tuiles/, 'plain background instead of grey squares');
  assert.deepEqual(realErrors(page), []);
  await page.context().close();
});

test('other scripts filter the map through window.alimapCarte, by point number', async () => {
  const page = await isolatedPage(server.url);
  await page.goto(server.url + 'index.html');
  // Called before the map is open: kept and applied when it opens.
  await page.evaluate(() => window.alimapCarte.filtrer([0, 5]));
  await openMap(page);
  assert.equal(await page.getAttribute('#carte', 'data-nombre-lieux'), '2');
  assert.equal(await shownPoints(page), 2);
  // filtrer() redraws the markers before it returns.
  await page.evaluate(() => window.alimapCarte.filtrer(null));
  const all = readdirSync(resolve(site(), 'lieux')).length;
  assert.equal(await page.getAttribute('#carte', 'data-nombre-lieux'), String(all));
  await page.context().close();
});

/** The result count the search page announces, once a search finished. */
async function resultCount(page, differentFrom = -1) {
  const handle = await page.waitForFunction((n) => {
    if (document.getElementById('zone-resultats').getAttribute('aria-busy') !== 'false') return false;
    const m = document.getElementById('nombre').textContent.match(/^(\d+) lieux? trouvés?|^Aucun lieu/);
    if (!m) return false;
    const count = m[1] ? Number(m[1]) : 0;
    return count !== n ? { count } : false;
  }, differentFrom);
  return (await handle.jsonValue()).count;
}

test('the search page shows its results on the map, and filtering the search updates the markers', async () => {
  const all = await lieux();
  const count = (service) => all.filter((l) => l.services.includes(service)).length;
  // The most common kind of help, then one with another number of points.
  const kinds = [...new Set(all.flatMap((l) => l.services))].sort((a, b) => count(b) - count(a) || a.localeCompare(b));
  const [one, other] = [kinds[0], kinds.find((k) => count(k) !== count(kinds[0]))];
  for (const base of [server.url, pathToFileURL(site()).href + '/']) {
    const page = await isolatedPage(base);
    await page.goto(base + 'recherche.html?aide=' + one);
    const before = await resultCount(page);
    assert.equal(before, count(one));
    assert.ok(!page.loaded.some((u) => /leaflet|assets\/carte\//.test(u)), `no map before it is asked for: ${page.loaded}`);
    await openMap(page);
    assert.equal(await page.getAttribute('#carte', 'data-nombre-lieux'), String(before));
    assert.equal(await shownPoints(page), before, 'one marker per result, clusters counted');
    // Another filter: the list and the map change together.
    await page.locator('#filtres summary').click();
    await page.locator('#aide').selectOption(other);
    const after = await resultCount(page, before);
    assert.equal(after, count(other));
    // The search gave the map its results before announcing their count.
    await mapSettled(page);
    assert.equal(await page.getAttribute('#carte', 'data-nombre-lieux'), String(after));
    assert.equal(await shownPoints(page), after, 'the markers follow the filter');
    // Words too; the one marker left is the one result, and its popup
    // leads to it.
    const l = all.find((x) => x.services.includes(other) && all.filter((y) => y.nom === x.nom).length === 1);
    await page.locator('#q').fill(l.nom);
    await page.waitForFunction(() => document.getElementById('carte').getAttribute('data-nombre-lieux') === '1');
    const first = await page.locator('#resultats h3 a').first();
    assert.equal(await first.innerText(), l.nom);
    await mapSettled(page);
    await page.locator('#carte .marqueur').click();
    const link = page.locator('.leaflet-popup .popup-lieu a');
    await link.waitFor();
    assert.equal(await link.innerText(), l.nom);
    assert.equal(await link.evaluate((a) => a.href), await first.evaluate((a) => a.href));
    assert.deepEqual(realErrors(page), []);
    await page.context().close();
  }
});

test('on the search page the map button shows with the results, nothing moves when its script arrives, and a press before opens the map', async () => {
  for (const early of [false, true]) {
    const page = await isolatedPage(server.url);
    // The map's script is held back, as on a slow network, until released.
    let release;
    const held = new Promise((ok) => { release = ok; });
    await page.route('**/assets/carte.js', async (route) => {
      await held;
      return route.continue();
    });
    await page.goto(server.url + 'recherche.html?aide=repas', { waitUntil: 'domcontentloaded' });
    const card = page.locator('#resultats > li').first();
    await card.waitFor();
    const top = () => card.evaluate((e) => e.getBoundingClientRect().top + window.scrollY);
    const before = await top();
    const button = page.locator('[data-ouvrir-carte]');
    assert.equal(await button.isVisible(), true, 'the button is there with the results');
    if (early) await button.click();
    release();
    await page.waitForFunction(() => window.alimapCarte);
    if (!early) {
      assert.equal(await top(), before, 'the script arrived and nothing above the results moved');
      await button.click();
    }
    await page.waitForFunction(() => window.alimapCarte.pret, null, { timeout: 15000 });
    assert.equal(await page.locator('#carte').isVisible(), true, 'the map opened');
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    assert.deepEqual(realErrors(page), []);
    await page.context().close();
  }
});

test('without JavaScript the map block stays hidden and the territory keeps its static map', async () => {
  const page = await pageFor(browser, { javaScript: false });
  await page.goto(server.url + 'territoires/saint-denis.html');
  assert.equal(await page.locator('[data-ouvrir-carte]').isVisible(), false, 'no button that would do nothing');
  const svg = page.locator('svg.carte-statique');
  assert.ok(await svg.isVisible());
  assert.equal(await svg.locator('g[data-numero]').count(), await page.locator('.liste-carte li').count());
  await page.context().close();
});

test('opened from disk, the map loads its scripts and data', async () => {
  const base = pathToFileURL(site()).href + '/';
  const page = await isolatedPage(base);
  await page.goto(base + 'territoires/paris.html');
  const expected = await page.locator('.liste-carte li').count();
  await openMap(page);
  assert.equal(await shownPoints(page), expected);
  assert.deepEqual(realErrors(page), []);
  await page.context().close();
});

test('with tiles off no request leaves for a third party', { skip: !process.env.ALIMAP_SITE_SANS_TUILES && 'ALIMAP_SITE_SANS_TUILES not set' }, async () => {
  const other = await serve(process.env.ALIMAP_SITE_SANS_TUILES);
  try {
    for (const path of ['index.html', 'territoires/ville-test.html', 'lieux/epicerie-nord.html']) {
      const page = await isolatedPage(other.url);
      await page.goto(other.url + path);
      // Once openMap returns, the map has settled and loaded all it shows.
      await openMap(page);
      assert.deepEqual(page.outside, [], `${path}: nothing outside the site`);
      assert.ok(!(await page.locator('#carte .leaflet-tile').count()), `${path}: no tile`);
      assert.ok((await page.locator('#carte path').count()) > 0, `${path}: the perimeter is drawn`);
      assert.ok((await shownPoints(page)) > 0, `${path}: points are drawn`);
      assert.deepEqual(realErrors(page), [], path);
      await page.context().close();
    }
  } finally {
    await other.close();
  }
});
