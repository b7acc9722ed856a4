// The search page as a visitor uses it: words with or without accents, a
// typo, a postal code, near a place or near the device's position, open
// now at a given moment, each filter, a shared link, and no JavaScript.
// Every check runs over loopback HTTP and from file://. Expected results
// come from the sample content itself (content/lieux/).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, pageFor, bothWays, lieux, fold, site } from './support.mjs';

let browser;
let all;
before(async () => {
  browser = await launch();
  all = await lieux();
});
after(async () => {
  await browser?.close();
});

const byName = (nom) => {
  const found = all.filter((l) => l.nom === nom);
  assert.equal(found.length, 1, `one point named ${nom} in content/`);
  return found[0];
};

/** Opens the search page with these parameters and waits for the result
 * count; returns what a visitor reads. */
async function results(page, base, params = {}) {
  const qs = new URLSearchParams(params).toString();
  await page.goto(`${base}recherche.html${qs ? '?' + qs : ''}`);
  return read(page);
}

async function read(page) {
  // A search started by typing is over when the results are no longer busy.
  await page.waitForFunction(() => {
    const n = document.getElementById('nombre');
    const zone = document.getElementById('zone-resultats');
    return n && n.textContent.trim() !== '' && !zone.hidden && zone.getAttribute('aria-busy') === 'false';
  });
  const count = await page.locator('#nombre').innerText();
  const cards = await page.locator('#resultats > li').evaluateAll((lis) =>
    lis.map((li) => ({
      nom: li.querySelector('h3').textContent,
      href: li.querySelector('h3 a').getAttribute('href'),
      etat: li.querySelector('.lieu-jour').textContent,
      distance: li.querySelector('.lieu-distance')?.textContent,
      texte: li.textContent,
    })),
  );
  const m = count.match(/^(\d+) lieux? trouvés?/);
  return { message: count, total: m ? Number(m[1]) : 0, cards, noms: cards.map((c) => c.nom) };
}

/** Checks one thing in a fresh page, over HTTP and from disk. */
function check(name, opts, fn) {
  test(name, async () => {
    await bothWays(async (base, how) => {
      const page = await pageFor(browser, opts);
      try {
        await fn(page, base, how);
        assert.deepEqual(page.errors, [], `${how}: no errors in the console`);
      } catch (e) {
        e.message = `[${how}] ${e.message}`;
        throw e;
      } finally {
        await page.context().close();
      }
    });
  });
}

const epiceries = () => all.filter((l) => fold(l.nom).includes('epicerie'));

check('a word finds points with or without accents, in any case', {}, async (page, base) => {
  const plain = await results(page, base, { q: 'epicerie' });
  assert.ok(plain.total >= epiceries().length, plain.message);
  for (const q of ['Épicerie', 'ÉPICERIE', 'épicerie']) {
    const r = await results(page, base, { q });
    assert.equal(r.total, plain.total, `${q}: ${r.message}`);
    assert.deepEqual(r.noms, plain.noms, q);
  }
  for (const c of plain.cards) assert.match(fold(c.texte), /epicerie/, c.nom);
});

check('several words must all match, hyphens or not', {}, async (page, base) => {
  const spaced = await results(page, base, { q: 'saint denis' });
  const hyphen = await results(page, base, { q: 'Saint-Denis' });
  assert.equal(spaced.total, hyphen.total);
  const inCommune = all.filter((l) => l.commune === 'Saint-Denis');
  assert.ok(spaced.total >= inCommune.length, spaced.message);
  while (await page.locator('#plus').isVisible()) {
    await page.locator('#plus').click();
    await page.waitForFunction((n) => document.querySelectorAll('#resultats > li').length > n, spaced.cards.length);
    Object.assign(spaced, await read(page));
  }
  for (const l of inCommune) assert.ok(spaced.noms.includes(l.nom), `${l.nom} is found`);
  for (const c of spaced.cards) assert.match(fold(c.texte), /saint.*denis|denis.*saint/, c.nom);
});

check('the start of a word finds it while typing', {}, async (page, base) => {
  const whole = await results(page, base, { q: 'epicerie' });
  const start = await results(page, base, { q: 'epic' });
  assert.ok(start.total >= whole.total, start.message);
  for (const n of whole.noms) assert.ok(start.noms.includes(n) || start.total > 20, n);
});

check('one typo in a longer word is forgiven', {}, async (page, base) => {
  const right = await results(page, base, { q: 'montreuil' });
  assert.ok(right.total > 0);
  // Anywhere in the word, the first two letters included: substitution,
  // insertion, deletion, swap of neighbours.
  for (const typo of ['montreiul', 'montreuill', 'montruil', 'nontreuil', 'mintreuil', 'xmontreuil', 'mxontreuil', 'ontreuil', 'mntreuil', 'omntreuil', 'mnotreuil']) {
    const r = await results(page, base, { q: typo });
    for (const n of right.noms) assert.ok(r.noms.includes(n), `${typo} finds ${n}`);
  }
  const none = await results(page, base, { q: 'zzzzzz' });
  assert.equal(none.total, 0);
  assert.match(none.message, /Aucun lieu trouvé/);
});

check('a postal code finds the points that have it', {}, async (page, base) => {
  const expected = all.filter((l) => l.code_postal === '93200').map((l) => l.nom).sort();
  const r = await results(page, base, { q: '93200' });
  assert.deepEqual([...r.noms].sort(), expected);
  assert.equal(r.total, expected.length);
});

check('results are a list, with the count announced politely', {}, async (page, base) => {
  await results(page, base, { q: 'epicerie' });
  assert.equal(await page.locator('#nombre').getAttribute('aria-live'), 'polite');
  assert.equal(await page.locator('ol#resultats > li article h3 a').count() > 0, true);
  // Typing updates the list and the announced count.
  await page.locator('#q').fill('93200');
  await page.waitForFunction(
    (n) => document.getElementById('nombre').textContent.startsWith(n + ' '),
    all.filter((l) => l.code_postal === '93200').length,
  );
  const href = await page.locator('#resultats h3 a').first().getAttribute('href');
  await page.locator('#resultats h3 a').first().click();
  await page.waitForURL(/lieux\/.*\.html$/);
  assert.match(href, /lieux\/[a-z0-9-]+\.html$/);
});

// The Bobigny CCAS: "Mo-Fr 09:00-12:00,14:00-17:00; PH off", closed on
// 2026-12-11 for training (see its file).
const ccas = () => byName('CCAS de Bobigny – aides alimentaires');
const stateAt = async (page, base, l) => (await results(page, base, { q: l.nom })).cards.find((c) => c.nom === l.nom);

check('hours: open on a weekday morning, in the site time zone', { time: '2026-11-30T10:00:00+01:00', timezoneId: 'America/New_York' }, async (page, base) => {
  const l = ccas();
  assert.match(l.horaires_accueil, /Mo-Fr 09:00-12:00,14:00-17:00/);
  const c = await stateAt(page, base, l);
  assert.equal(c.etat, 'Ouvert maintenant, ferme à 12 h');
});

check('hours: closed at lunch time, opens again at 14 h', { time: '2026-11-30T12:30:00+01:00' }, async (page, base) => {
  const c = await stateAt(page, base, ccas());
  assert.equal(c.etat, 'Fermé pour l’instant, ouvre à 14 h');
});

check('hours: closed on Sunday, opens on Monday', { time: '2026-11-29T10:00:00+01:00' }, async (page, base) => {
  const c = await stateAt(page, base, ccas());
  assert.equal(c.etat, 'Fermé aujourd’hui, ouvre demain à 9 h');
});

check('hours: closed on a public holiday (Christmas, a Friday)', { time: '2026-12-25T10:00:00+01:00' }, async (page, base) => {
  assert.match(ccas().horaires_accueil, /PH off/);
  const c = await stateAt(page, base, ccas());
  assert.equal(c.etat, 'Fermé aujourd’hui, ouvre lundi à 9 h');
});

check('hours: a temporary closure wins over the hours', { time: '2026-12-11T10:00:00+01:00' }, async (page, base) => {
  assert.deepEqual(ccas().fermetures.map((f) => f.du), ['2026-12-11']);
  const c = await stateAt(page, base, ccas());
  assert.equal(c.etat, 'Fermeture exceptionnelle aujourd’hui, ouvre lundi à 9 h');
});

check('hours: past the weeks evaluated at build time, the page does not guess', { time: '2027-03-01T10:00:00+01:00' }, async (page, base) => {
  const r = await results(page, base, { q: ccas().nom });
  assert.equal(r.cards[0].etat, 'Horaires à confirmer');
  assert.match(r.message, /horaires à confirmer/);
});

check('filter: open now on a Sunday morning keeps only what is open', { time: '2026-11-29T10:00:00+01:00' }, async (page, base) => {
  const r = await results(page, base, { ouvert: 'maintenant' });
  assert.ok(r.total > 0 && r.total < all.length, r.message);
  for (const c of r.cards) assert.match(c.etat, /^Ouvert maintenant/, c.nom);
  for (const l of all.filter((l) => l.horaires_accueil === '24/7')) {
    const found = await results(page, base, { ouvert: 'maintenant', q: l.nom });
    assert.ok(found.noms.includes(l.nom), `${l.nom} is open day and night`);
  }
  const ccasFound = await results(page, base, { ouvert: 'maintenant', q: ccas().nom });
  assert.ok(!ccasFound.noms.includes(ccas().nom));
});

check('filter: open today equals open on the chosen day that is today', { time: '2026-11-29T10:00:00+01:00' }, async (page, base) => {
  const today = await results(page, base, { ouvert: 'aujourdhui' });
  const chosen = await results(page, base, { ouvert: 'jour', jour: '2026-11-29' });
  const monday = await results(page, base, { ouvert: 'jour', jour: '2026-11-30' });
  assert.equal(chosen.total, today.total);
  assert.ok(monday.total > today.total, `${monday.message} / ${today.message}`);
});

const filters = [
  ['gratuit', '1', (l) => l.frais === 'gratuit'],
  ['sans-orientation', '1', (l) => !(l.acces ?? []).includes('orientation')],
  ['sans-justificatif', '1', (l) => !(l.justificatifs ?? []).length],
  ['pmr', '1', (l) => l.accessibilite_pmr === true],
  ['public', 'etudiants', (l) => (l.publics ?? ['tous-publics']).some((p) => p === 'etudiants' || p === 'tous-publics')],
  ['langue', 'ar', (l) => (l.langues ?? []).includes('ar')],
  ['regime', 'halal', (l) => (l.regimes ?? []).includes('halal')],
  ['aide', 'maraude', (l) => l.services.includes('maraude')],
];

check('each filter keeps the points that meet it, and they combine', {}, async (page, base) => {
  for (const [name, value, keep] of filters) {
    const expected = all.filter(keep).length;
    assert.ok(expected > 0 && expected < all.length, `${name}: the sample content exercises it`);
    const r = await results(page, base, { [name]: value });
    assert.equal(r.total, expected, `${name}=${value}: ${r.message}`);
    // The form shows the filter as set.
    const field = page.locator(`[name="${name}"]`);
    if ((await field.getAttribute('type')) === 'checkbox') assert.ok(await field.isChecked(), name);
    else assert.equal(await field.inputValue(), value, name);
  }
  const both = await results(page, base, { gratuit: '1', pmr: '1', q: 'epicerie' });
  const plain = await results(page, base, { q: 'epicerie' });
  assert.ok(both.total < plain.total);
  for (const c of both.cards) assert.match(c.texte, /Gratuit/, c.nom);
});

check('filters alone load their sets and the details of the results shown, not every point', {}, async (page, base) => {
  const blocks = readdirSync(join(site(), 'recherche')).filter((f) => /^p-\d+\.js$/.test(f)).length;
  const loaded = [];
  page.on('request', (req) => loaded.push(req.url().slice(base.length)));
  const r = await results(page, base, { gratuit: '1', 'sans-justificatif': '1' });
  assert.ok(r.total > r.cards.length, `more results than one page: ${r.message}`);
  const details = loaded.filter((u) => /^recherche\/p-\d+\.js$/.test(u));
  assert.ok(details.length <= r.cards.length && details.length < blocks, `${details.length} of ${blocks} blocks`);
  assert.ok(loaded.includes('recherche/f-gratuit.js') && loaded.includes('recherche/f-sans-justificatif.js'), `${loaded}`);
  assert.ok(!loaded.some((u) => /^recherche\/(t-|c-|cellules)/.test(u)), `no words, no place: ${loaded}`);
});

check('near a commune typed in: its points come first, with distances', {}, async (page, base) => {
  const inNanterre = all.filter((l) => l.commune === 'Nanterre');
  const r = await results(page, base, { pres: 'nanterre' });
  assert.equal(r.total, all.length);
  assert.match(r.message, /du plus proche au plus loin de Nanterre/);
  const first = r.cards.slice(0, inNanterre.length);
  for (const c of first) assert.match(c.texte, /Nanterre/, c.nom);
  for (const c of r.cards) assert.match(c.distance, /^À [\d,]+ k?m$/);
  const byCode = await results(page, base, { pres: '92000' });
  assert.deepEqual(byCode.noms.slice(0, inNanterre.length).sort(), first.map((c) => c.nom).sort());
});

const target = () => byName('CCAS – accueil du centre-ville');

check('near me: sorted by distance from the emulated position, which never leaves the page', { position: { latitude: 48.9348, longitude: 2.3578 } }, async (page, base) => {
  const l = target();
  assert.deepEqual([l.latitude, l.longitude], [48.9348, 2.3578]);
  const requests = [];
  page.on('request', (req) => requests.push(req.url()));
  await page.goto(base + 'recherche.html');
  await page.getByRole('button', { name: 'Autour de moi' }).click();
  const r = await read(page);
  assert.equal(r.noms[0], l.nom);
  assert.equal(r.cards[0].distance, 'À 10 m');
  const metres = r.cards.map((c) => {
    const [, n, unit] = c.distance.match(/^À ([\d,]+) (k?m)$/);
    return Number(n.replace(',', '.')) * (unit === 'km' ? 1000 : 1);
  });
  for (let i = 1; i < metres.length; i++) assert.ok(metres[i] >= metres[i - 1] - 50, `sorted at ${i}: ${metres}`);
  assert.match(await page.locator('#position').innerText(), /Position trouvée/);
  assert.match(await page.locator('main').innerText(), /Votre position reste sur votre appareil/);
  assert.ok(!page.url().includes('48.93') && !page.url().includes('2.35'), page.url());
  for (const u of requests) {
    assert.ok(u.startsWith(base), `only the site is asked: ${u}`);
    assert.ok(!u.includes('48.93') && !u.includes('2.357'), `no position in ${u}`);
  }
  // Words still apply near me.
  await page.locator('#q').fill('epicerie');
  await page.waitForFunction(() => /de vous/.test(document.getElementById('nombre').textContent) &&
    [...document.querySelectorAll('#resultats h3')].every((h) => /picerie/i.test(h.closest('article').textContent)));
});

check('the address of the page holds the query and filters, and can be shared', {}, async (page, base) => {
  await page.goto(base + 'recherche.html');
  await page.locator('#q').fill('épicerie');
  await page.locator('#filtres summary').click();
  await page.locator('#gratuit').check();
  await page.locator('#aide').selectOption('epicerie-sociale');
  await page.waitForFunction(() => location.search.includes('aide=epicerie-sociale') && location.search.includes('gratuit=1'));
  const shown = await read(page);
  const url = page.url();
  assert.match(decodeURIComponent(url), /q=épicerie/);
  const other = await pageFor(browser);
  try {
    await other.goto(url);
    const again = await read(other);
    assert.deepEqual(again.noms, shown.noms);
    assert.equal(await other.locator('#q').inputValue(), 'épicerie');
    assert.ok(await other.locator('#gratuit').isChecked());
  } finally {
    await other.context().close();
  }
});

check('the search box of every page leads to the results', {}, async (page, base) => {
  await page.goto(base + 'index.html');
  await page.getByRole('searchbox', { name: 'Rechercher un lieu' }).fill('93200');
  await page.getByRole('search').getByRole('button', { name: 'Rechercher' }).click();
  const r = await read(page);
  assert.equal(r.total, all.filter((l) => l.code_postal === '93200').length);
});

check('without JavaScript: the page says so and browsing by commune works', { javaScript: false }, async (page, base) => {
  await page.goto(base + 'index.html');
  await page.getByRole('searchbox', { name: 'Rechercher un lieu' }).fill('epicerie');
  await page.getByRole('search').getByRole('button', { name: 'Rechercher' }).click();
  await page.waitForURL(/recherche\.html\?q=epicerie/);
  assert.match(await page.locator('#sans-js').innerText(), /La recherche a besoin de JavaScript/);
  assert.ok(!(await page.locator('#recherche').isVisible()));
  const inCommune = all.filter((l) => l.commune === 'Saint-Denis');
  await page.locator('.liste-communes').getByRole('link', { name: 'Saint-Denis', exact: true }).click();
  assert.match(await page.locator('h1').innerText(), /Saint-Denis/);
  // Grouped by kind of help: a point with several kinds is under each.
  const names = [...new Set(await page.locator('.lieu-carte h3').allInnerTexts())];
  assert.deepEqual(names.sort(), inCommune.map((l) => l.nom).sort());
  assert.ok(await page.locator('section#aide-repas h2').isVisible(), 'a section per kind of help');
  await page.locator('.fil').getByRole('link', { name: 'Communes' }).click();
  const territories = page.locator('#parcourir .liste-territoires a');
  assert.ok((await territories.count()) > 0);
});

// Issue 21: search in the page's language and in everyday words.

/** The cards' names of a search in any language, every page of results. */
async function allNames(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => {
    const zone = document.getElementById('zone-resultats');
    return document.getElementById('nombre').textContent.trim() !== '' && !zone.hidden && zone.getAttribute('aria-busy') === 'false';
  });
  while (await page.locator('#plus').isVisible()) {
    const n = await page.locator('#resultats > li').count();
    await page.locator('#plus').click();
    await page.waitForFunction((n) => document.querySelectorAll('#resultats > li').length > n, n);
  }
  return {
    message: await page.locator('#nombre').innerText(),
    noms: await page.locator('#resultats > li h3').allInnerTexts(),
  };
}

const meals = () => all.filter((l) => l.services.includes('repas')).map((l) => l.nom).sort();

check('"meal" on the English site and « وجبات » on the Arabic site find the meal places', {}, async (page, base) => {
  assert.ok(meals().length > 2, 'the sample has meal places');
  for (const [url, q] of [['en/recherche.html', 'meal'], ['en/recherche.html', 'Meals'], ['ar/recherche.html', 'وجبات'], ['ar/recherche.html', 'وَجَبَات']]) {
    const r = await allNames(page, `${base}${url}?q=${encodeURIComponent(q)}`);
    for (const n of meals()) assert.ok(r.noms.includes(n), `${q} finds ${n}: ${r.message}`);
  }
  // "food", "baby", "grocery": the labels' everyday words.
  const en = await allNames(page, `${base}en/recherche.html?q=grocery`);
  for (const l of all.filter((l) => l.services.includes('epicerie-sociale'))) assert.ok(en.noms.includes(l.nom), `grocery finds ${l.nom}`);
});

check('everyday French finds what a person means: manger, restos coeur, St Denis', {}, async (page, base) => {
  const manger = await allNames(page, `${base}recherche.html?q=manger`);
  for (const n of meals()) assert.ok(manger.noms.includes(n), `manger finds ${n}`);
  // The Restos du Cœur network runs Les Tables de l’hiver's points.
  const restos = all.filter((l) => l.structure === 'tables-de-l-hiver').map((l) => l.nom).sort();
  assert.ok(restos.length > 0);
  const coeur = await allNames(page, `${base}recherche.html?q=${encodeURIComponent('restos coeur')}`);
  assert.deepEqual([...coeur.noms].sort(), restos, coeur.message);
  const st = await allNames(page, `${base}recherche.html?q=${encodeURIComponent('St Denis')}`);
  const saint = await allNames(page, `${base}recherche.html?q=Saint-Denis`);
  assert.deepEqual(st.noms, saint.noms);
  // The commune's points come before a street of that name elsewhere.
  const inCommune = all.filter((l) => l.commune === 'Saint-Denis').map((l) => l.nom);
  const first = saint.noms.slice(0, inCommune.length);
  assert.deepEqual([...first].sort(), [...inCommune].sort(), saint.noms.join(' | '));
});

check('no result says so, with what to try next, in every language', {}, async (page, base) => {
  for (const [url, q, said] of [['recherche.html', 'zzzzzz', /Aucun lieu trouvé\. Essayez/], ['en/recherche.html', 'zzzzzz', /No place found\. Try/], ['ar/recherche.html', 'كلمةغريبة', /لم يُعثر على أي مكان/]]) {
    const r = await allNames(page, `${base}${url}?q=${encodeURIComponent(q)}`);
    assert.equal(r.noms.length, 0);
    assert.match(r.message, said);
    assert.ok(await page.locator('#nombre').isVisible(), `${url}: the message is shown`);
  }
});

check('near a commune without a point (Aubervilliers): sorted by distance from it', {}, async (page, base) => {
  assert.ok(!all.some((l) => l.commune === 'Aubervilliers'), 'Aubervilliers has no point in the sample');
  const r = await results(page, base, { pres: 'Aubervilliers' });
  assert.match(r.message, /du plus proche au plus loin de Aubervilliers/);
  const metres = r.cards.map((c) => {
    const [, n, unit] = c.distance.match(/^À ([\d,]+) (k?m)$/);
    return Number(n.replace(',', '.')) * (unit === 'km' ? 1000 : 1);
  });
  for (let i = 1; i < metres.length; i++) assert.ok(metres[i] >= metres[i - 1] - 50, `sorted at ${i}: ${metres}`);
  // Its neighbours first: Saint-Denis, Pantin, Paris, not Évry.
  assert.ok(metres[0] < 5000, `${metres[0]} m`);
  const byCode = await results(page, base, { pres: '93300' });
  assert.deepEqual(byCode.noms.slice(0, 5), r.noms.slice(0, 5));
});

check('result cards: call, directions, whole card clickable, French isolated on Arabic pages', {}, async (page, base) => {
  await page.goto(`${base}ar/recherche.html?q=epicerie`);
  await page.waitForSelector('#resultats > li');
  const cards = await page.locator('#resultats > li article').evaluateAll((arts) =>
    arts.map((a) => ({
      tel: a.querySelector('a[href^="tel:"]')?.getAttribute('href'),
      itineraire: !!a.querySelector('a[href^="https://www.openstreetmap.org/directions"]'),
      adresse: a.querySelector('.lieu-adresse bdi')?.textContent,
      badge: a.querySelector('.lieu-jour .badge')?.textContent,
    })),
  );
  for (const c of cards) {
    assert.ok(c.itineraire && c.adresse && c.badge, JSON.stringify(c));
    if (c.tel) assert.match(c.tel, /^tel:\+?\d+$/);
  }
  assert.ok(cards.some((c) => c.tel), 'a phone, the point’s or its structure’s');
  for (const b of await page.locator('#resultats .bouton-action').all()) {
    const box = await b.boundingBox();
    assert.ok(box.height >= 44, `button of ${box.height} px`);
  }
  // « Appeler » and the number read as two words, whatever the direction.
  const gaps = await page.locator('#resultats a.appeler').evaluateAll((links) =>
    links.map((a) => {
      const word = document.createRange();
      word.selectNodeContents(a.firstChild);
      const [w, n] = [word.getBoundingClientRect(), a.querySelector('bdi').getBoundingClientRect()];
      return Math.max(n.left - w.right, w.left - n.right);
    }),
  );
  assert.ok(gaps.length && gaps.every((g) => g >= 3), `space between « Appeler » and the number: ${gaps}`);
  // A tap on the card, outside its buttons, opens the point's page.
  const card = page.locator('#resultats > li article').first();
  await card.scrollIntoViewIfNeeded();
  const box = await card.boundingBox();
  await page.mouse.click(box.x + box.width - 5, box.y + box.height - 5);
  await page.waitForURL(/lieux\/.*\.html$/);
});
