// Offline use: registers the service worker (sw.js at the site root) and
// tells the visitor when what they read comes from their device rather
// than the network, with the date of the information (the footer's « Informations
// publiées le … »).
//
// Service workers do not run from file:// nor on plain http outside
// localhost: there, registration is skipped without a word. Nothing here
// leaves the site: the worker keeps only the site's own files.
//
// The script element may carry data-garder: paths, relative to the page,
// of files to keep with it (a territory page keeps its printable guide and
// its map data).
(function () {
  'use strict';

  var script = document.currentScript;

  // The banner's words in the page's language, from the page's data block
  // (written by alimap from the theme's translation files); French without it.
  var textes = {};
  try {
    var bloc = document.getElementById('alimap-textes');
    textes = (bloc && JSON.parse(bloc.textContent).hors_ligne) || {};
  } catch (e) { /* Keep French. */ }
  function tr(cle, francais) { return textes[cle] || francais; }

  /** Shows or removes the banner « Vous êtes hors ligne : informations du … ». */
  function etat() {
    var horsLigne = !navigator.onLine || document.documentElement.hasAttribute('data-hors-ligne');
    var bandeau = document.getElementById('bandeau-hors-ligne');
    if (!horsLigne) {
      if (bandeau) bandeau.remove();
      return;
    }
    if (bandeau) return;
    var date = document.querySelector('.pied .genere time');
    bandeau = document.createElement('div');
    bandeau.id = 'bandeau-hors-ligne';
    bandeau.className = 'hors-ligne';
    bandeau.setAttribute('role', 'status');
    var cadre = document.createElement('p');
    cadre.className = 'cadre';
    cadre.textContent = tr('bandeau', 'Vous êtes hors ligne : informations du {date}. Appelez avant de vous déplacer.')
      .replace('{date}', date ? date.textContent.trim() : tr('date_inconnue', 'jour de la publication du site'));
    bandeau.appendChild(cadre);
    var main = document.getElementById('contenu');
    if (main && main.parentNode) main.parentNode.insertBefore(bandeau, main);
    else document.body.insertBefore(bandeau, document.body.firstChild);
  }

  etat();
  window.addEventListener('online', etat);
  window.addEventListener('offline', etat);

  var web = location.protocol === 'https:' || location.protocol === 'http:';
  if (!web || !('serviceWorker' in navigator) || !script || !script.src) return;

  var travailleur = new URL('../sw.js', script.src).href;
  navigator.serviceWorker.register(travailleur).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (inscription) {
    // This page and what it loaded: on a first visit the worker was not yet
    // there to keep them.
    var liste = [location.href];
    performance.getEntriesByType('resource').forEach(function (e) { liste.push(e.name); });
    (script.getAttribute('data-garder') || '').split(/\s+/).forEach(function (chemin) {
      if (chemin) liste.push(new URL(chemin, location.href).href);
    });
    if (inscription.active) inscription.active.postMessage({ garder: liste });
  }).catch(function () {
    // No offline use in this browser; the site works the same.
  });
})();
