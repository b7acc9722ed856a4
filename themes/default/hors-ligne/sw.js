// The service worker: keeps what a visitor read so that it stays readable
// without network. alimap writes VERSION (a hash of the built site) and
// GARDES (files kept from installation on: home, search page, search index,
// offline page) in front of this code.
//
// - Network first: a visitor online always gets the current page; every
//   page and file of the site that comes back is kept in the cache.
// - Without network, the kept copy is served, marked with the attribute
//   data-hors-ligne on <html> so that assets/hors-ligne.js says since when
//   the information dates; a page never visited gets hors-ligne.html, in
//   its language (en/hors-ligne.html for a page under en/).
// - Only this site's own files, only GET: map tiles and anything from
//   another origin go straight to the network, never into the cache.
// - Pages may ask to keep more (a territory's guide and map data) with a
//   message { garder: [urls] } from assets/hors-ligne.js.
// - A new build has a new VERSION: the new cache gets the kept files fresh
//   and takes the visited pages over from the old one, which is deleted.
//   Pages carry their own date, so an old copy never passes for a new one.

'use strict';

const PORTEE = self.registration.scope;
// Several sites may share one origin under different paths: each cache name
// carries the scope.
const PREFIXE = 'alimap ' + PORTEE + ' ';
const CACHE = PREFIXE + VERSION;
const PAGE_HORS_LIGNE = new URL('hors-ligne.html', PORTEE).href;
// The offline page of each language kept (hors-ligne.html, en/hors-ligne.html…),
// the deepest folder first.
const PAGES_HORS_LIGNE = GARDES.filter((p) => /(^|\/)hors-ligne\.html$/.test(p))
  .map((p) => new URL(p, PORTEE).href)
  .sort((a, b) => b.length - a.length);

/** The offline page of the folder holding `adresse`: its language's. */
function pageHorsLigne(adresse) {
  return PAGES_HORS_LIGNE.find((p) => adresse.startsWith(p.slice(0, p.lastIndexOf('/') + 1))) || PAGE_HORS_LIGNE;
}

/** The cache key of a URL: no fragment; pages without their query (the
 * search page keeps its query in the URL) and folders as their index.html. */
function cle(adresse) {
  const url = new URL(adresse);
  url.hash = '';
  if (url.pathname.endsWith('/')) url.pathname += 'index.html';
  if (url.pathname.endsWith('.html')) url.search = '';
  return url.href;
}

/** Whether a URL belongs to this site (same origin, inside the scope). */
function duSite(adresse) {
  return adresse.startsWith(PORTEE);
}

/** Files of an old cache worth taking over: pages and territory data, not
 * the scripts, styles and search index, which must match the new pages. */
function aReprendre(adresse) {
  const chemin = adresse.slice(PORTEE.length);
  if (chemin.startsWith('recherche/')) return false;
  return !chemin.startsWith('assets/') || chemin.startsWith('assets/carte/');
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // `reload`: past the browser's HTTP cache, so the files match VERSION.
    await cache.addAll(GARDES.map((p) => new Request(new URL(p, PORTEE).href, { cache: 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const nom of await caches.keys()) {
      if (!nom.startsWith(PREFIXE) || nom === CACHE) continue;
      const ancien = await caches.open(nom);
      for (const requete of await ancien.keys()) {
        if (!aReprendre(requete.url) || (await cache.match(requete))) continue;
        const reponse = await ancien.match(requete);
        if (reponse) await cache.put(requete, reponse);
      }
      await caches.delete(nom);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const requete = event.request;
  if (requete.method !== 'GET' || !duSite(requete.url)) return;
  event.respondWith(reseauPuisCache(event, requete));
});

async function reseauPuisCache(event, requete) {
  const page = requete.mode === 'navigate';
  try {
    const reponse = await fetch(requete);
    if (reponse.ok && reponse.type === 'basic') {
      const copie = reponse.clone();
      event.waitUntil(caches.open(CACHE).then((cache) => cache.put(cle(requete.url), copie)));
    }
    return reponse;
  } catch (erreur) {
    const cache = await caches.open(CACHE);
    const gardee = await cache.match(cle(requete.url));
    if (gardee) return page ? marquee(gardee) : gardee;
    if (page) {
      const horsLigne = await cache.match(pageHorsLigne(requete.url));
      if (horsLigne) return marquee(horsLigne);
    }
    throw erreur;
  }
}

/** The kept page with `data-hors-ligne` on its <html> element. */
async function marquee(reponse) {
  const texte = (await reponse.text()).replace('<html ', '<html data-hors-ligne ');
  // The text grew: the stored length no longer holds.
  const entetes = new Headers(reponse.headers);
  entetes.delete('content-length');
  return new Response(texte, { status: reponse.status, statusText: reponse.statusText, headers: entetes });
}

self.addEventListener('message', (event) => {
  const liste = event.data && Array.isArray(event.data.garder) ? event.data.garder : [];
  event.waitUntil(garder(liste));
});

/** Keeps the site's files of `liste` that the cache does not hold yet. */
async function garder(liste) {
  const cache = await caches.open(CACHE);
  for (const adresse of liste) {
    if (typeof adresse !== 'string' || !duSite(adresse)) continue;
    const k = cle(adresse);
    if (await cache.match(k)) continue;
    try {
      const reponse = await fetch(k);
      if (reponse.ok && reponse.type === 'basic') await cache.put(k, reponse);
    } catch {
      // Offline or gone: kept on a later visit.
    }
  }
}
