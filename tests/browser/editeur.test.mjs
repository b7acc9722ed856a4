// The form editor `admin/` (Decap CMS) in a real browser, with no network:
// the page is served over loopback, Decap's local backend (the proxy
// protocol of `npx decap-server`) is answered here, reading and writing a
// temporary copy of the site, and any other request is aborted and fails
// the test. A volunteer opens the point form, sees the keys and
// vocabularies of the configuration alimap generated, fills in a new point
// and saves it, then changes an existing point; the saved TOML must pass
// `alimap check`.
//
// Set by tests/it/browser.rs: ALIMAP_SITE_EDITEUR (the built fixture
// tests/fixtures/editeur/actif), ALIMAP_SOURCE_EDITEUR (its folder),
// ALIMAP_BIN (the alimap binary).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { launch, pageFor, serve } from './support.mjs';

const PROXY = 'http://localhost:8081/api/v1';

let browser;
let server;
let copy;
before(async () => {
  browser = await launch();
  server = await serve(process.env.ALIMAP_SITE_EDITEUR);
  copy = await mkdtemp(join(tmpdir(), 'alimap-editeur-'));
  await cp(process.env.ALIMAP_SOURCE_EDITEUR, copy, { recursive: true });
});
after(async () => {
  await server?.close();
  await browser?.close();
  if (copy) await rm(copy, { recursive: true, force: true });
});

/** A path Decap names, inside the copy of the site, or an error. */
function inside(rel) {
  const file = normalize(join(copy, rel));
  if (!file.startsWith(copy + sep)) throw new Error(`outside the site: ${rel}`);
  return file;
}

/** Files of `folder` with `extension`, `depth` levels down, as decap-server lists them. */
async function entries(folder, extension, depth) {
  const out = [];
  const walk = async (rel, level) => {
    for (const name of (await readdir(inside(rel)).catch(() => [])).sort()) {
      const path = `${rel}/${name}`;
      if ((await stat(inside(path))).isDirectory()) {
        if (level < depth) await walk(path, level + 1);
      } else if (name.endsWith(`.${extension}`)) {
        out.push({ file: { path }, data: await readFile(inside(path), 'utf8') });
      }
    }
  };
  await walk(folder, 1);
  return out;
}

/** Answers one request of Decap's local backend; `saved` collects the files written. */
async function proxy(action, params, saved) {
  switch (action) {
    case 'info':
      return { repo: 'annuaire', publish_modes: ['simple'], type: 'local_fs' };
    case 'entriesByFolder':
      return entries(params.folder, params.extension, params.depth);
    case 'entriesByFiles':
      return Promise.all(
        params.files.map(async (f) => ({ file: { path: f.path }, data: await readFile(inside(f.path), 'utf8') })),
      );
    case 'getEntry':
      return { file: { path: params.path }, data: await readFile(inside(params.path), 'utf8') };
    case 'persistEntry':
      for (const f of params.dataFiles) {
        await mkdir(dirname(inside(f.path)), { recursive: true });
        await writeFile(inside(f.path), f.raw);
        saved.push(f);
      }
      return { message: 'entry persisted' };
    case 'getMedia':
      return [];
    default:
      throw new Error(`action not expected: ${action}`);
  }
}

test('a new point and a changed one are saved as TOML that alimap check accepts', { timeout: 60_000 }, async () => {
  const config = JSON.parse(await readFile(join(process.env.ALIMAP_SITE_EDITEUR, 'admin/config.yml'), 'utf8'));
  const lieu = config.collections.find((c) => c.name === 'lieu');
  const field = (name) => lieu.fields.find((f) => f.name === name);

  const page = await pageFor(browser);
  const outside = [];
  const saved = [];
  await page.context().route('**/*', async (route) => {
    const request = route.request();
    const url = request.url();
    if (url.startsWith(server.url)) return route.continue();
    if (url === PROXY && request.method() === 'POST') {
      const { action, params } = JSON.parse(request.postData());
      try {
        const body = await proxy(action, params, saved);
        return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
      } catch (e) {
        // decap-server answers a missing file this way; Decap asks before
        // creating one.
        return route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ error: String(e) }) });
      }
    }
    outside.push(url);
    return route.abort();
  });

  await page.goto(`${server.url}admin/`);
  // The local backend needs no account: Decap's sign-in button goes straight in.
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.goto(`${server.url}admin/#/collections/lieu/new`);

  // Every key of a point is a field, in the order of the key descriptions;
  // optional ones say so.
  await page.getByLabel('nom', { exact: true }).waitFor();
  for (const f of lieu.fields) {
    const label = f.required ? f.name : `${f.name} (optionnel)`;
    assert.equal(await page.getByText(label, { exact: true }).count() >= 1, true, `field ${label}`);
  }
  // A vocabulary is a list to pick from, with the model's labels.
  const services = page.getByLabel('services', { exact: true });
  await services.click();
  const shown = await page.getByRole('option').allInnerTexts();
  assert.deepEqual(shown, field('services').options.map((o) => o.label));
  await services.press('Escape');

  const pick = async (label, text) => {
    const input = page.getByLabel(label, { exact: true });
    await input.click();
    await input.pressSequentially(text);
    await page.getByRole('option', { name: text }).first().click();
  };
  await page.getByLabel('nom', { exact: true }).fill('Épicerie de l’Escale');
  // The structure is picked by its name, among the site's structures.
  await pick('structure', 'Association de test');
  await pick('services', field('services').options[0].label);
  await page.getByLabel('adresse', { exact: true }).fill('3 rue de la Gare');
  await page.getByLabel('code_postal', { exact: true }).fill('93200');
  await page.getByLabel('commune', { exact: true }).fill('Ville-Test');
  await page.getByLabel('latitude', { exact: true }).fill('48.95');
  await page.getByLabel('longitude', { exact: true }).fill('2.37');
  await pick('acces', field('acces').options.find((o) => o.value === 'sans-condition').label);
  await pick('frais', field('frais').options.find((o) => o.value === 'gratuit').label);
  assert.equal(await page.getByLabel('date_maj', { exact: true }).getAttribute('type'), 'date', 'a date picker');
  await page.getByLabel('date_maj', { exact: true }).fill('2026-11-20');

  await page.getByRole('button', { name: 'Publier' }).click();
  await page.getByText('Publier maintenant').click();
  await page.getByText('Entrée enregistrée').waitFor();
  // After the save Decap opens the new entry; it does so after the message,
  // so wait for it before going elsewhere, or it would come back here.
  await page.waitForURL(/#\/collections\/lieu\/entries\/ville-test\/epicerie-de-l-escale$/);

  // One file, in the commune's folder, named after the point.
  assert.deepEqual(
    saved.map((f) => f.path),
    ['content/lieux/ville-test/epicerie-de-l-escale.toml'],
  );
  const text = await readFile(inside(saved[0].path), 'utf8');
  assert.match(text, /^nom = "Épicerie de l’Escale"$/m);
  assert.match(text, /^structure = "asso-test"$/m);
  assert.match(text, /^frais = "gratuit"$/m);

  // An existing point opens with its values; changed and saved, it keeps
  // every other key as it was, TOML dates and sections included.
  // (Decap keeps an open entry's form when the address names another one.)
  await page.evaluate(() => {
    location.hash = '#/collections/lieu/entries/nord/epicerie-nord';
  });
  await page.reload();
  await page.waitForFunction(() => [...document.querySelectorAll('input')].some((i) => i.value === '1 rue de la Paix'));
  await page.getByLabel('adresse', { exact: true }).fill('2 rue de la Paix');
  await page.getByRole('button', { name: 'Publier' }).click();
  await page.getByText('Publier maintenant').click();
  for (let i = 0; saved.length < 2 && i < 200; i++) await page.waitForTimeout(100);
  assert.deepEqual(saved[1]?.path, 'content/lieux/nord/epicerie-nord.toml');
  const edited = await readFile(inside(saved[1].path), 'utf8');
  assert.match(edited, /^adresse = "2 rue de la Paix"$/m);
  assert.match(edited, /^date_maj = 2026-11-01$/m);
  assert.match(edited, /^\[\[fermetures\]\]\ndu = 2026-12-24\nau = 2027-01-03$/m);

  const run = promisify(execFile);
  const check = await run(process.env.ALIMAP_BIN, ['check', '--racine', copy]).catch((e) => e);
  assert.equal(check.code ?? 0, 0, `alimap check:\n${check.stdout}${check.stderr}\n${text}\n${edited}`);
  assert.match(`${check.stdout}${check.stderr}`, /3 lieux/, 'the new point is read');

  assert.deepEqual(outside, [], 'no request leaves the machine');
  // The only failed load is Decap asking whether the new file exists.
  assert.deepEqual(page.errors.filter((e) => !e.includes('404')), []);
});
