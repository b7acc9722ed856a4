// Accessibility of one page of each kind of the built sample site, in each
// of its languages (French at the root, English under en/, Arabic, written
// right to left, under ar/), in the way a checker and a visitor with a
// keyboard, a small screen, a zoom or a dislike of motion meet them:
// - axe-core (WCAG 2.0/2.1 A and AA rules) finds no violation, also with the
//   interactive map opened and with search results shown;
// - the skip link is the first thing Tab reaches and moves focus to the main
//   content; focus is visible;
// - at 320 and 640 CSS pixels wide (a 1280-pixel screen at 400 % and 200 %
//   zoom) nothing scrolls sideways;
// - with `prefers-reduced-motion: reduce` nothing animates;
// - every link and button has visible text, not only an icon.
//
// axe-core is a test dependency only (package.json); it is injected into
// the page with the CSP bypassed, since the pages allow only their own
// scripts. The other checks run with the pages' CSP in force.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { LANGUES, PAGES, launch, mapSettled, serve, site } from './support.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

/** Every kind of page in every language: [label, path, skip link text]. */
const ALL = LANGUES.flatMap(([code, dir, skip]) => PAGES.map(([kind, path]) => [`${kind} [${code}]`, dir + path, skip]));

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

/** Runs `fn` over `items`, a few at a time: pages of one browser in
 * parallel, without starving the two cores of the machine. */
async function parallel(items, fn, width = 3) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/** axe-core's violations on the page as it is now, one readable line per
 * failing element. */
async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
    }));
  });
  return violations.flatMap((v) => v.nodes.slice(0, 5).map((n) => `[${v.id}] ${v.help} — ${n}`));
}

async function axePage(url, prepare) {
  const context = await browser.newContext({ bypassCSP: true, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  const page = await context.newPage();
  try {
    const response = await page.goto(url);
    assert.ok(response.ok() || url.endsWith('404.html'), `${url} answers`);
    if (prepare) await prepare(page);
    return await axeViolations(page);
  } finally {
    await context.close();
  }
}

test('axe-core finds no WCAG 2.1 A or AA violation on any kind of page, in any language', async () => {
  const found = await parallel(ALL, async ([kind, path]) =>
    (await axePage(server.url + path)).map((v) => `${kind} (${path}): ${v}`),
  );
  assert.deepEqual(found.flat(), []);
});

test('axe-core finds no violation on the summed-up page and the guides of a territory of more than 100 points', { skip: !process.env.ALIMAP_SITE_GRAND && 'ALIMAP_SITE_GRAND not set' }, async () => {
  const grand = await serve(process.env.ALIMAP_SITE_GRAND);
  try {
    const pages = ['territoires/ville-test.html', 'guide/ville-test.html', 'guide/ville-test.bourg-test.html', 'communes/bourg-test.html'];
    const found = await parallel(pages, async (path) => (await axePage(grand.url + path)).map((v) => `${path}: ${v}`));
    assert.deepEqual(found.flat(), []);
  } finally {
    await grand.close();
  }
});

test('axe-core finds no violation with the interactive map open, in any language', async () => {
  const found = await parallel(LANGUES, async ([code, dir]) =>
    (await axePage(server.url + dir + 'territoires/saint-denis.html', async (page) => {
      await page.locator('[data-ouvrir-carte]').click();
      await page.waitForFunction(() => window.alimapCarte && window.alimapCarte.pret, null, { timeout: 15000 });
      await mapSettled(page);
    })).map((v) => `${code}: ${v}`),
  );
  assert.deepEqual(found.flat(), []);
});

test('axe-core finds no violation with search results shown, on the list and on the map, in any language', async () => {
  const found = await parallel(LANGUES, async ([code, dir]) => {
    const list = await axePage(server.url + dir + 'recherche.html?q=epicerie', async (page) => {
      await page.waitForFunction(() => document.querySelectorAll('#resultats > li').length > 0);
    });
    const withMap = await axePage(server.url + dir + 'recherche.html?q=epicerie', async (page) => {
      await page.waitForFunction(() => document.querySelectorAll('#resultats > li').length > 0);
      await page.locator('#zone-resultats [data-ouvrir-carte]').click();
      await page.waitForFunction(() => window.alimapCarte && window.alimapCarte.pret, null, { timeout: 15000 });
      await mapSettled(page);
    });
    return [...list, ...withMap].map((v) => `${code}: ${v}`);
  });
  assert.deepEqual(found.flat(), []);
});

/** A page with the site's CSP in force. */
async function plainPage(opts = {}) {
  const context = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris', ...opts });
  return context.newPage();
}

/** Everything checked on one page with its CSP in force, in one context:
 * the skip link, visible focus, reflow at 320 and 640 pixels, reduced
 * motion, links and buttons with text. Returns the problems found. */
async function keyboardAndLayout(path, skip) {
  const page = await plainPage({ reducedMotion: 'reduce', viewport: { width: 1280, height: 800 } });
  const out = [];
  try {
    await page.goto(server.url + path);

    // The skip link is the first Tab stop, visible, and moves focus to <main>.
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => {
      const el = document.activeElement;
      const box = el.getBoundingClientRect();
      return { text: el.textContent.trim(), href: el.getAttribute('href'), visible: box.width > 1 && box.height > 1 && box.top >= 0 };
    });
    if (first.text !== skip || first.href !== '#contenu') out.push(`first Tab reaches ${JSON.stringify(first)}`);
    else if (!first.visible) out.push('the focused skip link is not visible');
    await page.keyboard.press('Enter');
    const focused = await page.evaluate(() => document.activeElement.id);
    if (focused !== 'contenu') out.push(`after Enter, focus is on #${focused}`);

    // Focus shows on the next Tab stops (an outline of 2 px or a shadow).
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const s = getComputedStyle(el);
        const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
        const shadow = s.boxShadow && s.boxShadow !== 'none';
        return { ok: outline || shadow, what: `${el.tagName.toLowerCase()} « ${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40)} »` };
      });
      if (f && !f.ok) out.push(`no visible focus on ${f.what}`);
    }

    // Nothing animates when the visitor asked for reduced motion.
    const moving = await page.evaluate(() => {
      const secs = (v) => Math.max(...v.split(',').map((x) => parseFloat(x) * (x.trim().endsWith('ms') ? 0.001 : 1)));
      const found = [];
      if (getComputedStyle(document.documentElement).scrollBehavior === 'smooth') found.push('html: smooth scrolling');
      for (const el of document.querySelectorAll('*')) {
        const s = getComputedStyle(el);
        if ((s.animationName !== 'none' && secs(s.animationDuration) > 0.01) || secs(s.transitionDuration) > 0.01) {
          found.push(`${el.tagName.toLowerCase()}.${el.className} moves`);
        }
      }
      return found.slice(0, 5);
    });
    out.push(...moving);

    // Links and buttons show text: an icon alone says nothing to most people.
    const bare = await page.evaluate(() =>
      [...document.querySelectorAll('a[href], button, [role=button]')]
        .filter((el) => el.checkVisibility() && el.innerText.trim() === '')
        .map((el) => `a link or button without visible text: ${el.outerHTML.slice(0, 80)}`),
    );
    out.push(...bare);

    // 1,280 pixels at 200 % and 400 % zoom: nothing scrolls sideways.
    for (const width of [640, 320]) {
      await page.setViewportSize({ width, height: 800 });
      const r = await page.evaluate(() => {
        const w = document.documentElement.scrollWidth;
        // Name the widest elements to help whoever fixes it.
        const wide = [...document.body.querySelectorAll('*')]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
          .slice(0, 3)
          .map((e) => `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).split(' ')[0] : ''}`);
        return { w, wide };
      });
      if (r.w > width) out.push(`${r.w} px wide at a ${width} px viewport (${r.wide.join(', ')})`);
    }
  } finally {
    await page.context().close();
  }
  return out;
}

test('keyboard, focus, reflow at 320 and 640 px, reduced motion and text on links, on every kind of page, in any language', async () => {
  const problems = await parallel(ALL, async ([kind, path, skip]) =>
    (await keyboardAndLayout(path, skip)).map((p) => `${kind} (${path}): ${p}`),
  );
  assert.deepEqual(problems.flat(), []);
});
