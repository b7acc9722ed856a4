// Search in the visitor's browser, over the index that `alimap build`
// writes in recherche/ (see src/files/search.rs for the format).
//
// Data files are scripts calling ALIMAP_recu(name, data): a page opened
// from disk may load scripts but not fetch files. Only the files a query
// needs are loaded. The page's first, inline script (recherche-amorce.js)
// holds the index's settings, has already asked for the files of the
// query in the page's address, and loads this script; files that arrived
// before it wait in its queue. The visitor's position is used here and
// nowhere else: it is never sent, stored, or put in the page's address.
(function () {
  'use strict';
  var doc = document;
  var A = window.ALIMAP_amorce;
  if (!A || !window.Promise || !window.Intl) return;
  var form = null;
  var $ = function (id) { return doc.getElementById(id); };

  // Words in the page's language, from the page's data block (written by
  // alimap from the theme's translation files); French without it. A text
  // may depend on a number: its forms by plural category of the language.
  // The index itself stays French: labels are looked up here by value.
  var T = {};
  var lang = 'fr';
  var contenu = '';
  function readTexts() {
    try {
      var block = JSON.parse(doc.getElementById('alimap-textes').textContent);
      T = block.recherche || {};
      lang = block.lang || lang;
      contenu = lang === 'fr' ? '' : 'fr';
    } catch (e) { /* Keep French. */ }
  }
  readTexts();
  function tr(key, french, values) {
    var t = T[key] || french;
    if (typeof t === 'object') {
      var form = 'other';
      try { form = new Intl.PluralRules(lang).select(values.n); } catch (e) { /* Old browser: other. */ }
      t = t[form] || t.other;
    }
    return String(t).replace(/\{([a-z_]+)\}/g, function (m, k) { return values && k in values ? values[k] : m; });
  }
  var PAGE = 20;
  var FILTERS = ['aide', 'ouvert', 'jour', 'gratuit', 'sans-orientation', 'sans-justificatif', 'pmr', 'public', 'langue', 'regime'];
  var data = {};
  var waiting = {};
  var meta = null;
  var myPos = null; // From the geolocation button; kept in memory only.
  var autour = false; // The results are around the visitor's position.
  var waitingPos = false;
  var openFirst = false;
  var limit = PAGE;
  var run = 0;
  // The results' numbers, for the map of the results (assets/carte.js).
  // That script is asked for once the first results are drawn, so that on
  // a slow network it does not hold them back; it gets them when it runs.
  var mapIds = null;
  function toMap() { if (window.alimapCarte && mapIds) window.alimapCarte.filtrer(mapIds); }
  // Its button shows with the results, so that nothing moves under the
  // visitor's finger when the script arrives; pressed before, it waits.
  var mapBlock = doc.querySelector('[data-carte-bloc]');
  var openMap = false;
  function loadMap() {
    if (!mapBlock || A.demandes['carte.js']) return;
    A.demander('carte.js', 'assets/carte.js').addEventListener('load', function () {
      toMap();
      if (openMap && window.alimapCarte) window.alimapCarte.ouvrir();
    });
  }
  var mapButton = mapBlock && mapBlock.querySelector('[data-ouvrir-carte]');
  if (mapButton) {
    mapButton.addEventListener('click', function () {
      if (window.alimapCarte) return;
      openMap = true;
      loadMap();
    });
  }

  A.recu = function (name, value) {
    data[name] = value;
    (waiting[name] || []).forEach(function (w) { w[0](value); });
    delete waiting[name];
  };
  A.recus.forEach(function (r) { A.recu(r[0], r[1]); });

  // A file of the index, asked for once (perhaps already by the page's
  // first script).
  function load(name) {
    return new Promise(function (ok, ko) {
      if (name in data) return ok(data[name]);
      if (waiting[name]) return waiting[name].push([ok, ko]);
      waiting[name] = [[ok, ko]];
      var fail = function () {
        (waiting[name] || []).forEach(function (w) { w[1](new Error('recherche/' + name + '.js')); });
        delete waiting[name];
      };
      var s = A.demander(name);
      if (s.alimapEchec) fail();
      else s.addEventListener('error', fail);
    });
  }

  var fold = A.plier;
  var words = A.mots;
  // Point numbers, from sorted gaps in base 36 ("0,3,1a").
  function decode(s) {
    var id = 0;
    return s ? s.split(',').map(function (g) { id += parseInt(g, 36); return id; }) : [];
  }
  // A set of point numbers as one byte per point; "!" before the numbers
  // means every point but those.
  function mask(s) {
    var m = new Uint8Array(meta.nombre), not = s.charAt(0) === '!';
    if (not) { m.fill(1); s = s.slice(1); }
    decode(s).forEach(function (id) { m[id] = not ? 0 : 1; });
    return m;
  }
  // Two-letter keys run together ("abacad") -> { ab: true, ac: true, … }.
  function keySet(s) {
    var o = {};
    for (var i = 0; i + 1 < s.length; i += 2) o[s.slice(i, i + 2)] = true;
    return o;
  }
  // At most one substitution, insertion, deletion or swap of neighbours.
  function oneEdit(a, b) {
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    if (a.length === b.length) {
      return a.slice(i + 1) === b.slice(i + 1) ||
        (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // The word, or the start of it being typed, is one typo away from t.
  function typo(w, t) {
    return oneEdit(w, t) || [-1, 0, 1].some(function (d) {
      return t.length > w.length + d && oneEdit(w, t.slice(0, w.length + d));
    });
  }
  // The keys under which the index lists words one typo away (see
  // variant_keys in src/search.rs): first and second letters, second and
  // third, first and third.
  function variantKeys(w) {
    return [w[0] + w[1], w[1] + w[2], w[0] + w[2]].filter(function (k, i, all) {
      return meta.variantes[k] && all.indexOf(k) === i;
    });
  }
  function shard(key) { return meta.cles[key] ? load('t-' + key) : Promise.resolve({}); }
  // Typed words finding fewer points than this also look for the words one
  // typo away whose first two letters differ (the v- lists).
  var FEW = 3;

  // Points holding every word (a word may be the start of an indexed word,
  // or, for words of five letters or more, one typo away): id -> score.
  // The point numbers of a filter set ("!" before the numbers: every
  // point but those).
  function members(s) {
    if (s.charAt(0) !== '!') return decode(s);
    var out = [], not = {};
    decode(s.slice(1)).forEach(function (id) { not[id] = 1; });
    for (var i = 0; i < meta.nombre; i++) if (!not[i]) out.push(i);
    return out;
  }
  // A word's entry in its shard: its postings, and those of the points
  // whose commune has it ("*": all of them).
  function postingsOf(v) { return typeof v === 'string' ? v : v[0]; }

  async function matches(ws) {
    var result = null;
    await Promise.all(ws.map(function (w) { return shard(w.slice(0, 2)); }));
    for (var k = 0; k < ws.length; k++) {
      var w = ws[k];
      var key = w.slice(0, 2);
      var main = await shard(key);
      var found = {};
      var add = function (list, score) {
        list.forEach(function (id) { found[id] = Math.max(found[id] || 0, score); });
      };
      // Numbers (postal codes) must be typed right: 93100 is not 93200.
      var fuzzy = w.length >= 5 && !/[0-9]/.test(w);
      var commune = {};
      Object.keys(main).forEach(function (t) {
        var score = t === w ? 3 : t.slice(0, w.length) === w ? 2 : fuzzy && typo(w, t) ? 1 : 0;
        if (!score) return;
        var ids = decode(postingsOf(main[t]));
        add(ids, score);
        // A commune of that name ranks above a street of that name.
        if (score > 1 && typeof main[t] !== 'string') {
          (main[t][1] === '*' ? ids : decode(main[t][1])).forEach(function (id) { commune[id] = 1; });
        }
      });
      // The word in everyday language: kinds of help, publics, synonyms.
      var meant = await Promise.all(A.sens(w).map(function (c) {
        if (c.slice(0, 2) !== 't:') return load(c).then(members);
        var t = c.slice(2);
        return shard(t.slice(0, 2)).then(function (m) { return m[t] ? decode(postingsOf(m[t])) : []; });
      }));
      meant.forEach(function (ids) { add(ids, 3); });
      if (fuzzy && Object.keys(found).length < FEW) {
        // Words one typo away that start otherwise: a typo in the first
        // two letters, looked for only when the word as typed finds too
        // little.
        var lists = await Promise.all(variantKeys(w).map(function (v) { return load('v-' + v); }));
        var others = [];
        lists.forEach(function (list) {
          list.forEach(function (t) {
            if (t.slice(0, 2) !== key && others.indexOf(t) < 0 && typo(w, t)) others.push(t);
          });
        });
        var shards = await Promise.all(others.map(function (t) { return shard(t.slice(0, 2)); }));
        others.forEach(function (t, i) { if (shards[i][t]) add(decode(postingsOf(shards[i][t])), 1); });
      }
      Object.keys(commune).forEach(function (id) { found[id] += 0.5; });
      if (result === null) result = found;
      else {
        var next = {};
        Object.keys(result).forEach(function (id) { if (found[id]) next[id] = result[id] + found[id]; });
        result = next;
      }
    }
    return result;
  }

  function params() {
    var p = new URLSearchParams(location.search);
    var q = {};
    ['q', 'pres'].concat(FILTERS).forEach(function (n) { var v = p.get(n); if (v) q[n] = v; });
    // The home page's « Ouvert maintenant » box sends ouvert=1.
    if (q.ouvert === '1') q.ouvert = 'maintenant';
    return q;
  }
  function fromForm() {
    var q = {};
    ['q', 'pres'].concat(FILTERS).forEach(function (n) {
      var el = form.elements[n];
      var v = el.type === 'checkbox' ? (el.checked ? '1' : '') : el.value.trim();
      if (v) q[n] = v;
    });
    if (q.ouvert !== 'jour') delete q.jour;
    if (q.jour && !q.ouvert) q.ouvert = 'jour';
    return q;
  }
  function toForm(q) {
    ['q', 'pres'].concat(FILTERS).forEach(function (n) {
      var el = form.elements[n];
      if (el.type === 'checkbox') el.checked = q[n] === '1';
      else el.value = q[n] || '';
    });
    var header = $('q-entete');
    if (header) header.value = q.q || '';
  }

  // The wall-clock time in the site's time zone, whatever the device's.
  function clock() {
    var parts = {};
    new Intl.DateTimeFormat('en-GB', {
      timeZone: meta.fuseau, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(new Date()).forEach(function (x) { parts[x.type] = x.value; });
    return { date: parts.year + '-' + parts.month + '-' + parts.day, min: (+parts.hour % 24) * 60 + +parts.minute };
  }
  function utc(iso) { var p = iso.split('-'); return Date.UTC(+p[0], p[1] - 1, +p[2]); }
  function dayIndex(iso) { return Math.round((utc(iso) - utc(meta.debut)) / 864e5); }
  // One day of a point's hours: null when unknown.
  function day(h, i) {
    if (!h || i < 0 || i >= meta.jours) return null;
    var c = h[1][i];
    if (c === '?') return null;
    if (c === '!') return { p: [], fermeture: true };
    var pat = h[0][parseInt(c, 36)];
    return { p: pat ? pat.split(' ').map(function (x) { return x.split('-').map(Number); }) : [] };
  }
  function hm(m) {
    var h = Math.floor(m / 60), n = m % 60;
    return n ? tr('format_heure', '{h} h {mm}', { h: h, mm: (n < 10 ? '0' : '') + n }) : tr('format_heure_pile', '{h} h', { h: h });
  }
  var JOURS = T.jours || ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];

  // What to say about a point's hours at this moment.
  function state(h, now) {
    if (!h) return { texte: tr('horaires_non_communiques', 'Horaires non communiqués : appelez avant de vous déplacer') };
    var i = dayIndex(now.date);
    var t = day(h, i);
    if (!t) return { texte: tr('horaires_a_confirmer', 'Horaires à confirmer') };
    for (var k = 0; k < t.p.length; k++) {
      var p = t.p[k];
      if (now.min >= p[0] && now.min < p[1]) {
        return { ouvert: true, texte: p[1] < 1440 ? tr('ouvert_ferme_a', 'Ouvert maintenant, ferme à {heure}', { heure: hm(p[1]) }) : tr('ouvert_maintenant', 'Ouvert maintenant') };
      }
      if (p[0] > now.min) return { texte: tr('ferme_ouvre_a', 'Fermé pour l’instant, ouvre à {heure}', { heure: hm(p[0]) }) };
    }
    var why = t.fermeture ? tr('fermeture_aujourdhui', 'Fermeture exceptionnelle aujourd’hui')
      : t.p.length ? tr('ferme_pour_aujourdhui', 'Fermé pour aujourd’hui') : tr('ferme_aujourdhui', 'Fermé aujourd’hui');
    for (var j = i + 1; j < i + 8; j++) {
      var n = day(h, j);
      if (n && n.p.length) {
        var w = JOURS[new Date(utc(meta.debut) + j * 864e5).getUTCDay()];
        return { texte: j === i + 1 ? tr('ouvre_demain', '{etat}, ouvre demain à {heure}', { etat: why, heure: hm(n.p[0][0]) })
          : tr('ouvre_jour', '{etat}, ouvre {jour} à {heure}', { etat: why, jour: w, heure: hm(n.p[0][0]) }) };
      }
    }
    return { texte: why, sans_suite: true };
  }
  // "31 mars": a date of the index (YYYY-MM-DD) as the language writes it.
  function dayMonth(iso) {
    var p = iso.split('-'), d = +p[2];
    var mois = (T.mois || [])[+p[1] - 1] || p[1];
    return tr('format_jour_mois', '{jour} {mois}', { jour: d === 1 ? tr('format_premier', '1er') : d, mois: mois });
  }
  // The point's season, from the build date: open until a date, or when it
  // opens again (said only when nothing opens in the days ahead).
  function season(s, z, now) {
    if (!z || z[1] < now.date) return s;
    if (z[0] === 0) return { ouvert: s.ouvert, texte: tr('jusqu_au', '{etat} — jusqu’au {date}', { etat: s.texte, date: dayMonth(z[1]) }) };
    if (s.sans_suite) return { texte: tr('reprise_le', '{etat} — reprise le {date}', { etat: s.texte, date: dayMonth(z[1]) }) };
    return s;
  }

  var haversine = A.distance;
  function distance(m) {
    if (m < 1000) return tr('distance_m', 'À {n} m', { n: Math.max(10, Math.round(m / 10) * 10) });
    return tr('distance_km', 'À {n} km', { n: m < 10000 ? (m / 1000).toFixed(1).replace('.', tr('format_virgule', ',')) : Math.round(m / 1000) });
  }

  async function where(q) {
    if (!q.pres) return myPos;
    var text = A.lieu(q.pres);
    var key = text.replace(/ /g, '').slice(0, 2);
    if (!meta.lieux[key]) return { inconnu: true };
    var geo = await load('g-' + key);
    if (geo.codes[text]) return { lat: geo.codes[text][0], lon: geo.codes[text][1], nom: text };
    var plain = function (c) { return c[1].replace(/[^a-z0-9]+/g, ' '); };
    var c = geo.communes.find(function (c) { return plain(c) === text; }) ||
      geo.communes.find(function (c) { return plain(c).indexOf(text) === 0; });
    return c ? { lat: c[2], lon: c[3], nom: c[0] } : { inconnu: true };
  }

  function label(list, i, labels) { return list[i] ? (labels && labels[list[i][0]]) || list[i][1] : ''; }

  // Points meeting every filter, as a mask (null: no filter). Each filter
  // is one small file of point numbers, and "open" one file of the day's
  // groups of points by opening periods (see src/search/filters.rs).
  async function filtered(q, now) {
    var names = [];
    if (q.aide) names.push('aide-' + q.aide);
    ['gratuit', 'sans-orientation', 'sans-justificatif', 'pmr'].forEach(function (n) { if (q[n]) names.push(n); });
    ['public', 'langue', 'regime'].forEach(function (n) { if (q[n]) names.push(n + '-' + q[n]); });
    var sets = await Promise.all(names.map(function (n) {
      return meta.filtres.indexOf(n) >= 0 ? load('f-' + n).then(mask) : new Uint8Array(meta.nombre);
    }));
    var day = q.ouvert === 'jour' ? (q.jour ? dayIndex(q.jour) : null) : q.ouvert ? dayIndex(now.date) : null;
    if (day !== null) {
      // Past the days evaluated at build time, nothing is known to be open.
      var groups = day >= 0 && day < meta.jours ? await load('j-' + day) : [];
      var open = new Uint8Array(meta.nombre);
      groups.forEach(function (g) {
        var holds = q.ouvert !== 'maintenant' || g[0].split(' ').some(function (p) {
          p = p.split('-');
          return now.min >= +p[0] && now.min < +p[1];
        });
        if (holds) decode(g[1]).forEach(function (id) { open[id] = 1; });
      });
      sets.push(open);
    }
    if (!sets.length) return null;
    return sets.reduce(function (a, b) {
      for (var i = 0; i < a.length; i++) a[i] &= b[i];
      return a;
    });
  }

  // The k results nearest the place, as [{ id, d }]: cells of coordinates
  // nearest first, until no unread cell can hold a nearer result.
  async function nearest(place, ids, k) {
    var cells = meta.cellules;
    var box = function (c) { return A.boite(place, c); };
    var inCell = cells.map(function () { return []; });
    var c = 0;
    ids.slice().sort(function (a, b) { return a - b; }).forEach(function (id) {
      while (c + 1 < cells.length && cells[c + 1][0] <= id) c++;
      inCell[c].push(id);
    });
    var order = cells.map(function (x, i) { return i; })
      .filter(function (i) { return inCell[i].length; })
      .sort(function (a, b) { return box(cells[a]) - box(cells[b]) || a - b; });
    var best = [];
    for (var j = 0; j < order.length; j++) {
      var i = order[j];
      if (best.length >= k && box(cells[i]) > best[k - 1].d) break;
      var xy = await load('c-' + i);
      inCell[i].forEach(function (id) {
        var o = (id - cells[i][0]) * 2;
        best.push({ id: id, d: haversine(place, (xy[0] + xy[2][o]) / 1e5, (xy[1] + xy[2][o + 1]) / 1e5) });
      });
      best.sort(function (a, b) { return a.d - b.d || a.id - b.id; });
    }
    return best.slice(0, k);
  }

  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  // French content (names, addresses) kept in its own direction, so that
  // an Arabic page does not reorder it.
  function bdi(text) {
    var b = el('bdi', '', text);
    if (contenu) b.lang = contenu;
    return b;
  }
  // A result: the whole card leads to the point's page (its title's link
  // covers it, see style.css); « Appeler » and « Itinéraire » sit above.
  function card(x, now) {
    var r = x.r, li = el('li'), art = el('article', 'lieu-carte resultat');
    var h3 = el('h3', 'lieu-titre'), a = el('a');
    // The search page is at the root of its language's pages.
    a.href = 'lieux/' + r[0] + '.html';
    a.appendChild(bdi(r[1]));
    h3.appendChild(a);
    art.appendChild(h3);
    var s = season(state(x.h, now), x.r[13], now), p = el('p', 'lieu-jour');
    p.appendChild(el('span', 'badge ' + (s.ouvert ? 'ouvert' : 'ferme'), s.texte));
    art.appendChild(p);
    if (x.d !== undefined) art.appendChild(el('p', 'lieu-distance', distance(x.d)));
    var adresse = el('p', 'lieu-adresse');
    adresse.appendChild(bdi(r[4] + ', ' + r[5] + ' ' + r[3]));
    art.appendChild(adresse);
    var actions = el('p', 'lieu-actions');
    if (r[14]) {
      var call = el('a', 'bouton-action appeler', tr('appeler', 'Appeler') + ' ');
      call.href = 'tel:' + r[14][1];
      var number = el('bdi', '', r[14][0]);
      number.dir = 'ltr';
      call.appendChild(number);
      actions.appendChild(call);
    }
    var go = el('a', 'bouton-action', tr('itineraire', 'Itinéraire'));
    go.href = 'https://www.openstreetmap.org/directions?route=%3B' + r[6] + '%2C' + r[7] + '#map=17/' + r[6] + '/' + r[7];
    go.rel = 'noopener noreferrer';
    actions.appendChild(go);
    art.appendChild(actions);
    if (r[2]) {
      var structure = el('p', 'lieu-structure');
      structure.appendChild(bdi(r[2]));
      art.appendChild(structure);
    }
    art.appendChild(el('p', 'lieu-services', r[8].map(function (i) { return label(meta.services, i, T.services); }).join(' · ')));
    var cond = r[9].map(function (i) { return label(meta.acces, i, T.acces); });
    var frais = T.frais || {};
    cond.push(r[10] ? frais.gratuit || 'Gratuit' : frais.payant || 'Payant');
    cond.push(r[11] ? tr('justificatifs_demandes', 'justificatifs demandés') : tr('aucun_justificatif', 'aucun justificatif'));
    art.appendChild(el('p', 'lieu-conditions', tr('conditions', 'Conditions : ') + cond.join(tr('separateur', ' ; '))));
    li.appendChild(art);
    return li;
  }

  function say(text) { $('nombre').textContent = text; }

  async function search() {
    var mine = ++run;
    var zone = $('zone-resultats');
    // Screen readers wait for the end of a search to read the new count.
    zone.setAttribute('aria-busy', 'true');
    var q = fromForm();
    var shared = {};
    Object.keys(q).forEach(function (k) { shared[k] = q[k]; });
    // Around the visitor: the address asks for the position again, never
    // holds it.
    if (myPos && autour) shared.autour = '1';
    var qs = new URLSearchParams(shared).toString();
    try { history.replaceState(null, '', qs ? '?' + qs : location.pathname); } catch (e) { /* Some file:// setups refuse it. */ }
    var active = FILTERS.filter(function (n) { return q[n] && n !== 'jour'; }).length;
    $('nombre-filtres').textContent = active ? tr('filtres_actifs', active > 1 ? '({n} actifs)' : '({n} actif)', { n: active }) : '';
    var ws = words(q.q || '');
    var pos = await where(q);
    if (mine !== run) return;
    if (!ws.length && !pos && !active) {
      zone.hidden = true;
      zone.setAttribute('aria-busy', 'false');
      $('chargement').hidden = !waitingPos;
      if (!waitingPos) loadMap();
      return;
    }
    zone.hidden = false;
    if (mapBlock) mapBlock.hidden = false;
    var now = clock();
    var place = pos && !pos.inconnu ? pos : null;
    var found = ws.length ? await matches(ws) : null;
    var keep = await filtered(q, now);
    var ids = [];
    if (found) ids = Object.keys(found).map(Number).filter(function (id) { return !keep || keep[id]; });
    else for (var n = 0; n < meta.nombre; n++) if (!keep || keep[n]) ids.push(n);
    ids.sort(function (a, b) { return found ? found[b] - found[a] || a - b : a - b; });
    // Only the details and hours of the results shown are loaded, all at
    // once; the cards appear in order as their blocks arrive.
    var shown = place ? await nearest(place, ids, limit) : ids.slice(0, limit).map(function (id) { return { id: id }; });
    var block = function (x) { return 'p-' + Math.floor(x.id / meta.bloc); };
    if (place && place === myPos && openFirst) {
      // Around the visitor, from the home page: the open ones among the
      // nearest first, as their hours say.
      await Promise.all(shown.map(function (x) { return load(block(x)); }));
      var open = function (x) { return state(data[block(x)][x.id % meta.bloc][12], now).ouvert ? 1 : 0; };
      shown.forEach(function (x) { x.ouvert = open(x); });
      shown.sort(function (a, b) { return b.ouvert - a.ouvert || a.d - b.d || a.id - b.id; });
    }
    if (mine !== run) return;
    var total = ids.length;
    mapIds = ids;
    toMap();
    var ol = $('resultats');
    var drawn = 0;
    var draw = function () {
      if (mine !== run) return;
      if (!drawn) ol.textContent = '';
      while (drawn < shown.length && block(shown[drawn]) in data) {
        var x = shown[drawn++];
        var r = data[block(x)][x.id % meta.bloc];
        ol.appendChild(card({ id: x.id, r: r, h: r[12], s: found ? found[x.id] : 0, d: place ? haversine(place, r[6], r[7]) : undefined }, now));
      }
    };
    if (!shown.length) ol.textContent = '';
    await Promise.all(shown.map(function (x) { return load(block(x)).then(draw); }));
    if (mine !== run) return;
    $('plus').hidden = total <= limit;
    var text = total === 0 ? tr('aucun_resultat', 'Aucun lieu trouvé. Essayez un mot plus court ou plus simple (repas, colis, épicerie), une commune voisine, « Autour de moi », ou retirez des filtres')
      : tr('resultats', total > 1 ? '{n} lieux trouvés' : '{n} lieu trouvé', { n: total });
    if (total && place) {
      text += place.nom ? tr('plus_proche_de', ', du plus proche au plus loin de {lieu}', { lieu: place.nom })
        : tr('plus_proche_de_vous', ', du plus proche au plus loin de vous');
    }
    if (pos && pos.inconnu) text += tr('lieu_inconnu', '. « {lieu} » n’est pas une commune ni un code postal de cet annuaire : les lieux ne sont pas classés par distance', { lieu: q.pres });
    var i = dayIndex(now.date);
    if (i < 0 || i >= meta.jours) text += tr('hors_periode', '. Les horaires publiés ne couvrent pas la date d’aujourd’hui : horaires à confirmer');
    say(text + tr('fin', '.'));
    zone.setAttribute('aria-busy', 'false');
    $('chargement').hidden = true;
    loadMap();
  }

  var timer = 0;
  function soon() { clearTimeout(timer); limit = PAGE; timer = setTimeout(function () { search().catch(failed); }, 150); }

  // A file that cannot load (network down): the page says search could
  // not load, with the lists to browse.
  function failed() {
    $('chargement').hidden = true;
    doc.documentElement.className = doc.documentElement.className.replace(' recherche-js', '');
  }

  meta = A.meta;
  ['cles', 'variantes', 'lieux'].forEach(function (k) { meta[k] = keySet(meta[k]); });
  function start() {
    form = $('recherche');
    if (!form) return;
    readTexts();
    JOURS = T.jours || JOURS;
    $('sans-js').hidden = true;
    form.hidden = false;
    toForm(params());
    var safe = function () { return search().catch(failed); };
    // « Autour de moi » from the home page (autour=1): the position was
    // asked for by the page's first script; the results come before the
    // form, so that the first card is on the first screen.
    if (A.position) {
      autour = true;
      var zone = $('zone-resultats');
      zone.parentNode.insertBefore(zone, form);
      // The map's button after the list, not between the count and it.
      var map = zone.querySelector('.carte-interactive');
      if (map) zone.appendChild(map);
      $('position').textContent = tr('position_recherche', 'Recherche de votre position…');
      waitingPos = true;
      openFirst = true;
      A.position.then(function (pos) {
        waitingPos = false;
        if (!pos) $('chargement').hidden = true;
        $('position').textContent = pos ? tr('position_trouvee', 'Position trouvée : les lieux sont classés du plus proche au plus loin.')
          : tr('position_indisponible', 'Position indisponible : tapez une commune ou un code postal.');
        if (pos) {
          myPos = pos;
          limit = PAGE;
          // Once the first cards are shown, they are the first screen.
          safe().then(function () {
            if (myPos === pos && !$('zone-resultats').hidden) $('zone-resultats').scrollIntoView({ block: 'start' });
          });
        }
      });
    }
    form.addEventListener('submit', function (e) { e.preventDefault(); limit = PAGE; safe(); });
    form.addEventListener('input', function (e) {
      if (e.target.name === 'pres') { myPos = null; autour = false; }
      if (e.target.name === 'jour' && e.target.value) form.elements.ouvert.value = 'jour';
      soon();
    });
    form.addEventListener('change', soon);
    $('plus').addEventListener('click', function () { limit += PAGE; safe(); });
    $('autour').addEventListener('click', function () {
      var status = $('position');
      if (!navigator.geolocation) { status.textContent = tr('position_impossible', 'Votre navigateur ne donne pas la position : tapez une commune ou un code postal.'); return; }
      status.textContent = tr('position_recherche', 'Recherche de votre position…');
      navigator.geolocation.getCurrentPosition(function (p) {
        myPos = { lat: p.coords.latitude, lon: p.coords.longitude };
        autour = true;
        form.elements.pres.value = '';
        status.textContent = tr('position_trouvee', 'Position trouvée : les lieux sont classés du plus proche au plus loin.');
        limit = PAGE;
        safe();
      }, function () {
        status.textContent = tr('position_indisponible', 'Position indisponible : tapez une commune ou un code postal.');
      }, { timeout: 15000, maximumAge: 60000 });
    });
    safe();
  }
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
  else start();
})();
