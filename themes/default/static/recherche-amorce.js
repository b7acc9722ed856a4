// The search page's first script, inlined in the page (alimap hashes it for
// the page's security policy). While the rest of the page arrives, it asks
// at once, in parallel, for recherche.js and for every file of the index
// that the query in the page's address needs (the words' shards, the
// place's, the cells of "near", the filters), so that a search takes two
// round trips after the page. recherche.js takes over what arrived.
(function () {
  'use strict';
  var d = document, me = d.currentScript;
  if (!me || !window.URLSearchParams || !window.Promise || !window.Intl) return;
  var meta;
  try { meta = JSON.parse(d.getElementById('alimap-index').textContent); } catch (e) { return; }
  var root = me.getAttribute('data-racine') || '';
  var has = function (keys, k) {
    for (var i = 0; i + 1 < keys.length; i += 2) if (keys.slice(i, i + 2) === k) return true;
    return false;
  };
  var a = window.ALIMAP_amorce = { meta: meta, recus: [], demandes: {}, echec: false, recu: null };
  // Files arriving before recherche.js (which sets `recu`) wait in a queue.
  // The cells of « Autour de moi » are looked at on their way.
  window.ALIMAP_recu = function (name, value) {
    if (a.cellules && name in a.cellules) a.cellule(name, value);
    if (a.recu) a.recu(name, value);
    else a.recus.push([name, value]);
  };
  a.demander = function (name, src) {
    if (a.demandes[name]) return a.demandes[name];
    var s = d.createElement('script');
    s.src = root + (src || 'recherche/' + name + '.js');
    s.onerror = function () { s.alimapEchec = true; };
    a.demandes[name] = s;
    d.head.appendChild(s);
    return s;
  };
  // Folded words, as recherche.js and the index fold them (Arabic letters
  // without their marks, tatweel and alef forms; Latin letters without
  // accents; words of two letters or more, common small words left out).
  a.plier = function (s) {
    return s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/œ/g, 'oe').replace(/æ/g, 'ae')
      .replace(/[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g, '').replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
      .replace(/\u0649/g, '\u064a').replace(/\u0629/g, '\u0647');
  };
  // The distance from a position to a box [lat, lon, lat, lon], in metres.
  a.distance = function (pos, lat, lon) {
    var r = Math.PI / 180;
    var x = Math.sin((lat - pos.lat) * r / 2), y = Math.sin((lon - pos.lon) * r / 2);
    return 12742000 * Math.asin(Math.min(1, Math.sqrt(x * x + Math.cos(pos.lat * r) * Math.cos(lat * r) * y * y)));
  };
  a.boite = function (pos, c) {
    var lat = Math.min(Math.max(pos.lat, c[1] / 1e5), c[3] / 1e5), lon = Math.min(Math.max(pos.lon, c[2] / 1e5), c[4] / 1e5);
    return a.distance(pos, lat, lon);
  };
  // Asks for the cells nearest a position until they hold k points: most
  // often all the cells the k nearest results are in. With `details`, once
  // they have all arrived, also for the detail blocks of the k nearest
  // points among them, without waiting for recherche.js: the results of
  // « Autour de moi » without filters, one round trip sooner.
  a.proches = function (pos, k, details) {
    var cells = meta.cellules || [];
    var order = cells.map(function (c, i) { return i; })
      .sort(function (i, j) { return a.boite(pos, cells[i]) - a.boite(pos, cells[j]) || i - j; });
    var n = 0, waited = {}, left = 0, near = [];
    for (var j = 0; j < order.length && n < k; j++) {
      var i = order[j];
      waited['c-' + i] = i;
      left++;
      n += (i + 1 < cells.length ? cells[i + 1][0] : meta.nombre) - cells[i][0];
    }
    if (details) {
      a.cellules = waited;
      a.cellule = function (name, xy) {
        var i = waited[name];
        delete waited[name];
        for (var o = 0; o < xy[2].length; o += 2) {
          near.push({ id: cells[i][0] + o / 2, d: a.distance(pos, (xy[0] + xy[2][o]) / 1e5, (xy[1] + xy[2][o + 1]) / 1e5) });
        }
        if (--left) return;
        near.sort(function (x, y) { return x.d - y.d || x.id - y.id; });
        near.slice(0, k).forEach(function (x) { a.demander('p-' + Math.floor(x.id / meta.bloc)); });
      };
    }
    Object.keys(waited).forEach(function (name) { a.demander(name); });
  };
  var STOP = ['a', 'au', 'aux', 'd', 'de', 'des', 'du', 'en', 'et', 'l', 'la', 'le', 'les', 'pour', 'sur', 'un', 'une'];
  // Place names write « St », « Ste » for Saint, Sainte.
  var ABREGES = { st: 'saint', ste: 'sainte', sts: 'saints', stes: 'saintes' };
  a.mots = function (s) {
    return a.plier(s).split(/[^a-z0-9\u0621-\u064a]+/).map(function (w) { return ABREGES[w] || w; })
      .filter(function (w) { return w.length >= 2 && STOP.indexOf(w) < 0; });
  };
  // A place typed, as the index writes places: folded words, one space.
  a.lieu = function (s) {
    return a.plier(s).split(/[^a-z0-9]+/).filter(Boolean).map(function (w) { return ABREGES[w] || w; }).join(' ');
  };

  // Everyday words in the page's language: the labels of the kinds of help,
  // publics, diets and « gratuit » in it and in French, and the theme's
  // synonyms (langues/*.toml, [recherche_synonymes]), each leading to a
  // filter set (`f-aide-repas`) or to a word of the index (`t:restaurants`).
  // The page's texts come after the style sheet, which this script runs
  // before: until the parser is past them, the French labels only.
  var textes = function () {
    var e = d.getElementById('alimap-textes');
    return e && e.nextSibling ? e : null;
  };
  var lexique = null;
  var lexicon = function () {
    if (lexique) return lexique;
    var el = textes(), T = {}, list = [];
    try { if (el) T = JSON.parse(el.textContent).recherche || {}; } catch (e) { /* French only. */ }
    var syn = T.synonymes || {};
    var entree = function (cible, labels) {
      var mots = [];
      labels.forEach(function (t) {
        if (t) a.mots(t).forEach(function (m) { if (m.length >= 3 && mots.indexOf(m) < 0) mots.push(m); });
      });
      list.push({ cible: cible, mots: mots });
    };
    (meta.services || []).forEach(function (x) { entree('f-aide-' + x[0], [x[1], (T.services || {})[x[0]], syn['aide-' + x[0]]]); });
    Object.keys(T.publics || {}).forEach(function (v) { entree('f-public-' + v, [T.publics[v], syn['public-' + v]]); });
    Object.keys(T.regimes || {}).forEach(function (v) { entree('f-regime-' + v, [T.regimes[v], syn['regime-' + v]]); });
    entree('f-gratuit', [(T.frais || {}).gratuit, syn.gratuit]);
    Object.keys(syn).forEach(function (k) { if (!/^(aide|public|regime)-|^gratuit$/.test(k)) entree('t:' + k, [syn[k]]); });
    if (el) lexique = list;
    return list;
  };
  // What a typed word may mean: the files of the filters and index words
  // it names, that exist.
  a.sens = function (w) {
    return lexicon().filter(function (e) {
      return e.mots.some(function (m) { return m === w || (w.length >= 3 && m.indexOf(w) === 0); });
    }).map(function (e) { return e.cible; }).filter(function (c) {
      return c.slice(0, 2) === 't:' ? has(meta.cles, c.slice(2, 4)) : meta.filtres.indexOf(c.slice(2)) >= 0;
    });
  };
  // Until recherche.js shows the form: « Recherche en cours… », not the
  // message for browsers without JavaScript (see style.css).
  d.documentElement.className += ' recherche-js';
  var script = a.demander('recherche.js', 'assets/recherche.js');
  script.addEventListener('error', function () {
    a.echec = true;
    d.documentElement.className = d.documentElement.className.replace(' recherche-js', '');
  });
  var p = new URLSearchParams(location.search);
  var mots = a.mots(p.get('q') || '');
  var sens = function () {
    mots.forEach(function (w) { a.sens(w).forEach(function (c) { a.demander(c.slice(0, 2) === 't:' ? 't-' + c.slice(2, 4) : c); }); });
  };
  mots.forEach(function (w) {
    if (/^[a-z0-9]/.test(w) && has(meta.cles, w.slice(0, 2))) a.demander('t-' + w.slice(0, 2));
  });
  sens();
  // Then, as soon as the page's texts are read, the words in its language.
  if (mots.length && !textes() && window.MutationObserver) {
    var watch = new MutationObserver(function () {
      if (textes()) {
        watch.disconnect();
        sens();
      }
    });
    watch.observe(d.documentElement, { childList: true, subtree: true });
  }
  var pres = a.lieu(p.get('pres') || '').replace(/ /g, '');
  if (pres.length >= 2 && has(meta.lieux, pres.slice(0, 2))) a.demander('g-' + pres.slice(0, 2));
  // « Autour de moi » (autour=1): the position is asked for at once, and
  // the cells nearest it as soon as it is known. It stays on the device:
  // only the names of cells of the index are asked for, as for any place.
  if (p.get('autour') && navigator.geolocation) {
    a.position = new Promise(function (ok) {
      navigator.geolocation.getCurrentPosition(function (x) {
        ok({ lat: x.coords.latitude, lon: x.coords.longitude });
      }, function () { ok(null); }, { timeout: 20000, maximumAge: 60000 });
    });
    // Without words or filters, the results are the nearest points.
    var plain = !mots.length && !pres && !['ouvert', 'gratuit', 'sans-orientation', 'sans-justificatif', 'pmr', 'aide', 'public', 'langue', 'regime']
      .some(function (n) { return p.get(n); });
    a.position.then(function (pos) { if (pos) a.proches(pos, 20, plain); });
  }
  // « Ouvert » (1 or maintenant: now; aujourdhui; jour, with jour=date):
  // the day's groups of open points.
  var ouvert = p.get('ouvert');
  if (ouvert) {
    try {
      var t = {};
      new Intl.DateTimeFormat('en-GB', { timeZone: meta.fuseau, year: 'numeric', month: '2-digit', day: '2-digit' })
        .formatToParts(new Date()).forEach(function (x) { t[x.type] = x.value; });
      var iso = ouvert === 'jour' ? p.get('jour') || '' : t.year + '-' + t.month + '-' + t.day;
      var utc = function (s) { var x = s.split('-'); return Date.UTC(+x[0], x[1] - 1, +x[2]); };
      var day = Math.round((utc(iso) - utc(meta.debut)) / 864e5);
      if (day >= 0 && day < meta.jours) a.demander('j-' + day);
    } catch (e) { /* recherche.js asks later. */ }
  }
  ['gratuit', 'sans-orientation', 'sans-justificatif', 'pmr'].forEach(function (n) {
    if (p.get(n) && meta.filtres.indexOf(n) >= 0) a.demander('f-' + n);
  });
  [['aide', 'aide-'], ['public', 'public-'], ['langue', 'langue-'], ['regime', 'regime-']].forEach(function (n) {
    var name = n[1] + p.get(n[0]);
    if (p.get(n[0]) && meta.filtres.indexOf(name) >= 0) a.demander('f-' + name);
  });
})();
