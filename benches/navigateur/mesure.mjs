// Browser benchmark of search on a slow phone network (see benches/README.md,
// "navigateur"). Run by `cargo bench --bench navigateur`, which builds the
// sites and passes their output folders:
//   node benches/navigateur/mesure.mjs <label>=<site folder> …
//
// For each site, in a fresh browser context (cold cache, no service
// worker), with the network emulated by the DevTools protocol at 2 s
// round trip and 50 KB/s down, it prints the time from the start of the
// navigation to the first result card:
// - `recherche.html?q=epicerie`;
// - « Autour de moi »: from the home page, the tap on its « Autour de moi »
//   (when the home page has one) to the first card sorted by distance, the
//   position granted; else from `recherche.html?autour=1`.
// The site is served over loopback HTTP/1.1 with gzip, as a static host
// serves it.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const require = createRequire(new URL('../../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const RTT_MS = 2000;
const DOWN_BYTES_S = 50_000;
const RUNS = Number(process.env.ALIMAP_BENCH_RUNS ?? 3);
// Saint-Denis, near the sample's points and inside the synthetic grid.
const POSITION = { latitude: 48.9362, longitude: 2.3574, accuracy: 20 };

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

async function serve(dir) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      let file = normalize(join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
      if (file !== root && !file.startsWith(root + sep)) throw new Error('outside');
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      let body = await readFile(file);
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      const headers = { 'content-type': type, 'cache-control': 'no-cache' };
      if (/text|json|svg|manifest/.test(type) && /gzip/.test(req.headers['accept-encoding'] ?? '')) {
        body = gzipSync(body, { level: 6 });
        headers['content-encoding'] = 'gzip';
      }
      headers['content-length'] = body.length;
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

/** A fresh page on the emulated network; `window.__premiere` will hold the
 * time (ms since the navigation started) the first result card appeared. */
async function slowPage(browser) {
  const context = await browser.newContext({
    serviceWorkers: 'block',
    geolocation: POSITION,
    permissions: ['geolocation'],
    viewport: { width: 360, height: 640 },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
  });
  await context.addInitScript(() => {
    new MutationObserver((_, obs) => {
      if (document.querySelector('#resultats > li')) {
        window.__premiere = performance.now();
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: RTT_MS,
    downloadThroughput: DOWN_BYTES_S,
    uploadThroughput: DOWN_BYTES_S,
  });
  let requests = 0;
  page.on('request', () => requests++);
  page.requests = () => requests;
  return page;
}

async function firstCard(page) {
  await page.waitForFunction(() => window.__premiere !== undefined, null, { timeout: 120_000, polling: 100 });
  return page.evaluate(() => window.__premiere);
}

async function query(browser, base) {
  const page = await slowPage(browser);
  try {
    await page.goto(`${base}recherche.html?q=epicerie`, { waitUntil: 'commit' });
    return { ms: await firstCard(page), requests: page.requests() };
  } finally {
    await page.context().close();
  }
}

async function around(browser, base) {
  const page = await slowPage(browser);
  try {
    await page.goto(base, { waitUntil: 'commit' });
    // The home page's « Autour de moi » (issue 21), if it has one.
    const button = page.locator('a[href*="autour=1"], button[name="autour"], form[action*="recherche"] [value="autour"]').first();
    let from = 'recherche.html?autour=1';
    let offset = 0;
    if (await button.count().catch(() => 0)) {
      // Times in the pages' own clocks: the click returns only once the
      // search page has begun to arrive, a round trip after the tap.
      const home = await page.evaluate(() => performance.timeOrigin);
      await button.click();
      from = 'accueil';
      await page.waitForURL(/recherche\.html/);
      offset = (await page.evaluate(() => performance.timeOrigin)) - home;
    } else {
      await page.goto(`${base}recherche.html?autour=1`, { waitUntil: 'commit' });
    }
    const ms = await firstCard(page);
    const sorted = await page.locator('#resultats > li .lieu-distance').count();
    // From the home page: the whole (its load, the tap, the search) and,
    // as `tap`, from the tap alone.
    return { ms: from === 'accueil' ? offset + ms : ms, tap: ms, from, sorted: sorted > 0, requests: page.requests() };
  } finally {
    await page.context().close();
  }
}

const sites = process.argv.slice(2).map((a) => a.split('='));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
});
try {
  for (const [label, dir] of sites) {
    const server = await serve(dir);
    try {
      for (const [name, fn] of [['recherche.html?q=epicerie', query], ['autour de moi', around]]) {
        const runs = [];
        for (let i = 0; i < RUNS; i++) runs.push(await fn(browser, server.url));
        const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
        const taps = runs.map((r) => r.tap).sort((a, b) => a - b);
        const fromTap = runs[0].from === 'accueil' ? ` after_tap_s=${(taps[0] / 1000).toFixed(1)}-${(taps[taps.length - 1] / 1000).toFixed(1)}` : '';
        const extra = runs[0].from ? ` from=${runs[0].from} sorted=${runs[0].sorted}${fromTap}` : '';
        console.log(
          `BENCH site=${label} case="${name}" first_card_s=${(ms[0] / 1000).toFixed(1)}-${(ms[ms.length - 1] / 1000).toFixed(1)} requests=${runs[0].requests}${extra}`,
        );
      }
    } finally {
      await server.close();
    }
  }
} finally {
  await browser.close();
}
