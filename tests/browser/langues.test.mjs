// The sample site in its three languages, as a visitor sees it: the
// Arabic pages lay out right to left, with times and phone numbers still
// readable; the language switch keeps the visitor on the same page, with
// and without JavaScript.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serve, site } from './support.mjs';

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

async function open(path, opts = {}) {
  const context = await browser.newContext({ timezoneId: 'Europe/Paris', ...opts });
  const page = await context.newPage();
  await page.goto(server.url + path);
  return page;
}

test('Arabic pages are laid out right to left, and French content in them left to right', async () => {
  const page = await open('ar/lieux/frigo-jean-jaures.html');
  try {
    const r = await page.evaluate(() => {
      const css = (el) => getComputedStyle(el);
      const h1 = document.querySelector('h1');
      const main = document.querySelector('main').getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(document.querySelector('#titre-horaires'));
      const heading = range.getBoundingClientRect();
      return {
        page: css(document.documentElement).direction,
        lang: document.documentElement.lang,
        name: [h1.lang, css(h1).direction],
        // A section heading's text sits against the right edge of the content.
        right: Math.abs(main.right - heading.right) < Math.abs(main.left - heading.left),
      };
    });
    assert.equal(r.page, 'rtl');
    assert.equal(r.lang, 'ar');
    assert.deepEqual(r.name, ['fr', 'ltr']);
    assert.ok(r.right, 'headings are on the right');
  } finally {
    await page.context().close();
  }
});

test('in Arabic, a time range reads from the right and a phone number from the left', async () => {
  const page = await open('ar/lieux/tables-de-l-hiver-landy.html');
  try {
    const x = await page.evaluate(() => {
      /** The left edge of the first occurrence of `text` inside `el`. */
      const left = (el, text) => {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const i = n.data.indexOf(text);
          if (i >= 0) {
            const range = document.createRange();
            range.setStart(n, i);
            range.setEnd(n, i + text.length);
            return range.getBoundingClientRect().left;
          }
        }
        return null;
      };
      const monday = document.querySelectorAll('table.horaires tbody tr')[2].querySelector('td');
      const phone = document.querySelector('a[href^="tel:"]');
      return { opens: left(monday, '12:00'), closes: left(monday, '13:30'), first: left(phone, '01'), last: left(phone, phone.textContent.trim().slice(-2)) };
    });
    assert.ok(x.opens > x.closes, `12:00 (${x.opens}) is right of 13:30 (${x.closes})`);
    assert.ok(x.first < x.last, `the phone number reads left to right (${x.first} < ${x.last})`);
  } finally {
    await page.context().close();
  }
});

test('the language switch keeps the visitor on the same page, with or without JavaScript', async () => {
  for (const javaScriptEnabled of [true, false]) {
    const page = await open('lieux/tables-de-l-hiver-landy.html', { javaScriptEnabled });
    try {
      const name = await page.locator('h1').textContent();
      await page.locator('nav.langues a[hreflang="en"]').click();
      await page.waitForURL(/\/en\/lieux\/tables-de-l-hiver-landy\.html$/);
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.equal(await page.locator('h1').textContent(), name);
      assert.match(await page.locator('#titre-description + .texte').textContent(), /A hot meal served at the table/);
      await page.locator('nav.langues a[hreflang="ar"]').click();
      await page.waitForURL(/\/ar\/lieux\/tables-de-l-hiver-landy\.html$/);
      assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
      assert.match(await page.locator('#titre-description + .texte').textContent(), /وجبة ساخنة/);
      await page.locator('nav.langues a[hreflang="fr"]').click();
      await page.waitForURL(/\/lieux\/tables-de-l-hiver-landy\.html$/);
      assert.ok(!page.url().includes('/en/') && !page.url().includes('/ar/'), page.url());
      assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    } finally {
      await page.context().close();
    }
  }
});

test('the search speaks the page’s language and leads to its pages', async () => {
  const page = await open('en/recherche.html?q=epicerie');
  try {
    await page.waitForFunction(() => document.querySelectorAll('#resultats > li').length > 0);
    assert.match(await page.locator('#nombre').innerText(), /^\d+ places? found\.$/);
    const first = page.locator('#resultats > li').first();
    assert.match(await first.locator('.lieu-conditions').innerText(), /^Conditions: /);
    assert.doesNotMatch(await page.locator('#resultats').innerText(), /Ouvert|Fermé|Horaires|justificatif|Épicerie sociale et solidaire/);
    await first.locator('h3 a').click();
    await page.waitForURL(/\/en\/lieux\/[a-z0-9-]+\.html$/);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  } finally {
    await page.context().close();
  }
  const ar = await open('ar/recherche.html?q=epicerie');
  try {
    await ar.waitForFunction(() => document.querySelectorAll('#resultats > li').length > 0);
    assert.match(await ar.locator('#nombre').innerText(), /عُثر على/);
  } finally {
    await ar.context().close();
  }
});

test('the map speaks the page’s language and leads to its pages', async () => {
  const page = await open('en/territoires/saint-denis.html');
  try {
    const button = page.locator('[data-ouvrir-carte]');
    assert.equal(await button.innerText(), 'Show the map');
    await button.click();
    await page.waitForFunction(() => window.alimapCarte && window.alimapCarte.pret, null, { timeout: 15000 });
    assert.equal(await button.innerText(), 'Hide the map');
    assert.equal(await page.locator('.carte-legende-titre').innerText(), 'Key');
    assert.match(await page.locator('[data-carte-legende]').innerText(), /Meals|Food parcels|Community fridge/);
  } finally {
    await page.context().close();
  }
  // A point's page opens the map on its popup, whose words are English and
  // whose link stays among the English pages.
  const lieu = await open('en/lieux/ccas-agora.html');
  try {
    await lieu.locator('[data-ouvrir-carte]').click();
    const link = lieu.locator('.leaflet-popup .popup-lieu a');
    await link.waitFor({ timeout: 15000 });
    assert.match(await lieu.locator('.leaflet-popup').innerText(), /Today/);
    const href = await link.getAttribute('href');
    assert.equal(new URL(href, lieu.url()).pathname.split('/').slice(-3).join('/'), 'en/lieux/ccas-agora.html', href);
  } finally {
    await lieu.context().close();
  }
});
