// Helpers shared by the browser tests: where the built site is, a headless
// Chromium from the system (never downloaded), a loopback static server,
// and pages with an emulated position, clock or no JavaScript.
//
// The site is built by the Rust runner (tests/it/browser.rs), which sets
// ALIMAP_SITE; run by hand with
//   ALIMAP_SITE=/path/to/output node --test tests/browser/

import { createServer } from 'node:http';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/** The built site folder, from `ALIMAP_SITE`. */
export function site() {
  const dir = process.env.ALIMAP_SITE;
  if (!dir) {
    throw new Error('ALIMAP_SITE must name a built site folder (the Rust test tests/it/browser.rs sets it)');
  }
  return resolve(dir);
}

/** Flags for a headless Chromium run as root in a sandboxed machine, with
 * nothing fetched in the background. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches the system Chromium (`CHROMIUM` or /usr/bin/chromium).
 * Playwright gives each launch a fresh, temporary user-data-dir. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.geojson': 'application/geo+json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

/** Serves `dir` on 127.0.0.1 at a free port. Folders serve their
 * index.html; anything outside `dir` is refused. Returns `{ url, close }`,
 * `url` ending with `/`. */
export async function serve(dir) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) {
        res.writeHead(403).end();
        return;
      }
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-length': body.length,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/** `file://` URL of a page of the built site, e.g. `fileUrl('recherche.html')`. */
export function fileUrl(rel = 'index.html') {
  return pathToFileURL(join(site(), rel)).href;
}

/** A page in a fresh context.
 * - `javaScript: false` disables scripts;
 * - `position: { latitude, longitude }` grants geolocation at that place;
 * - `time: '2026-11-30T09:30:00+01:00'` fixes the clock (Date and Intl);
 * - `timezoneId` (default Europe/Paris), `locale` (default fr-FR).
 * Console errors and uncaught exceptions are collected in `page.errors`. */
export async function pageFor(browser, opts = {}) {
  const context = await browser.newContext({
    javaScriptEnabled: opts.javaScript ?? true,
    locale: opts.locale ?? 'fr-FR',
    timezoneId: opts.timezoneId ?? 'Europe/Paris',
    ...(opts.position ? { geolocation: { ...opts.position, accuracy: 20 }, permissions: ['geolocation'] } : {}),
  });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    // The browser asks for /favicon.ico on its own; the site has none.
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) {
      page.errors.push(`${m.text()} (${m.location().url})`);
    }
  });
  if (opts.time) {
    await page.clock.setFixedTime(new Date(opts.time));
  }
  return page;
}

/** Waits until the interactive map (`#carte`, themes/default/static/carte.js)
 * has settled: for three animation frames in a row, its pane carried no
 * zoom, pan or cluster animation and every block of popup texts the map
 * asked for (`…fiches/<n>.js`) had arrived. Three frames, since Leaflet
 * starts an animated zoom at the frame after it is asked for (a point's
 * page zooms once its block arrived); markercluster's animations follow on
 * from the zoom's without a frame between. Call it once the map is drawn
 * (`alimapCarte.pret`). */
export async function mapSettled(page) {
  await page.waitForFunction(
    (s) => {
      const pane = document.querySelector('#carte .leaflet-map-pane');
      const donnees = window.alimapDonnees || {};
      const still =
        pane &&
        !/\bleaflet-(zoom|pan|cluster)-anim\b/.test(pane.className) &&
        [...document.querySelectorAll('script[src*="fiches/"]')].every((e) => {
          const n = e.getAttribute('src').match(/fiches\/(\d+)\.js$/);
          return !n || `fiches/${n[1]}` in donnees;
        });
      s.frames = still ? s.frames + 1 : 0;
      return s.frames >= 3;
    },
    { frames: 0 },
  );
}

/** Runs `fn(base)` once over loopback HTTP and once from `file://`, where
 * `base` is the URL of the site root ending with `/`. */
export async function bothWays(fn) {
  const server = await serve(site());
  try {
    await fn(server.url, 'http');
  } finally {
    await server.close();
  }
  await fn(pathToFileURL(site()).href + '/', 'file');
}

/** The sample site's points, read from the TOML files under `content/lieux/` so that
 * tests compare what the page shows with what volunteers wrote. Reads the
 * flat keys the tests need (strings, numbers, booleans, arrays of strings,
 * dates as strings) and the `[[fermetures]]` tables; skips multi-line
 * strings. */
export async function lieux() {
  const dir = fileURLToPath(new URL('../../content/lieux/', import.meta.url));
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.toml')).sort();
  const out = [];
  for (const f of files) {
    const lieu = { id: basename(f, '.toml'), fermetures: [] };
    let table = lieu;
    let inMultiline = false;
    for (const line of (await readFile(join(dir, f), 'utf8')).split('\n')) {
      if (inMultiline) {
        if (line.includes('"""')) inMultiline = false;
        continue;
      }
      if (line.trim() === '[[fermetures]]') {
        table = {};
        lieu.fermetures.push(table);
        continue;
      }
      const m = line.match(/^([a-z_]+)\s*=\s*(.*)$/);
      if (!m) continue;
      const [, key, raw] = m;
      if (raw.startsWith('"""')) {
        inMultiline = !raw.slice(3).includes('"""');
        continue;
      }
      table[key] = /^\d{4}-\d\d-\d\d$/.test(raw) ? raw : JSON.parse(raw);
    }
    out.push(lieu);
  }
  return out;
}

/** Lower case without accents, as a visitor may type. */
export function fold(s) {
  return s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/** One page of each kind of the sample site. */
export const PAGES = [
  ['accueil', 'index.html'],
  ['territoire', 'territoires/saint-denis.html'],
  ['lieu', 'lieux/ccas-agora.html'],
  ['structure', 'structures/ccas-bobigny.html'],
  ['liste des structures', 'structures/index.html'],
  ['page Markdown', 'pages/a-propos.html'],
  ['mentions légales', 'pages/mentions-legales.html'],
  ['déclaration d’accessibilité', 'pages/accessibilite.html'],
  ['404', '404.html'],
  ['recherche', 'recherche.html'],
  ['commune', 'communes/saint-denis.html'],
  ['coordination', 'coordination/saint-denis.html'],
  ['guide', 'guide/saint-denis.html'],
  ['besoins', 'besoins/index.html'],
  ['données ouvertes', 'donnees/index.html'],
];

/** The sample site's languages: the folder of their pages, and the skip
 * link's text in each. */
export const LANGUES = [
  ['fr', '', 'Aller au contenu'],
  ['en', 'en/', 'Skip to content'],
  ['ar', 'ar/', 'الانتقال إلى المحتوى'],
];
