/* alimap: the interactive map, loaded on demand.
 *
 * Pages with a map carry a hidden block (templates/carte.html) and this
 * small script (deferred). The script shows the block's button; Leaflet,
 * Leaflet.markercluster and the page's map data are loaded only when the
 * visitor presses it. Without JavaScript nothing of this shows, and the page
 * keeps its lists (and, on a territory page, its static SVG map).
 *
 * Map data files (assets/carte/...) are scripts assigning
 * window.alimapDonnees[key], so that the site also works opened from disk,
 * where browsers refuse fetch(). A page's data holds positions and kinds of
 * help only (src/map.rs, MapData); names, today's hours and conditions come
 * in blocks (assets/carte/fiches/<n>.js) loaded when a marker shows or opens.
 * Points are known by their number in the search index ("numero").
 *
 * Public API, for other scripts of the site (the search page):
 *
 *   alimapCarte.ouvrir(callback?)  load and show the map; callback(error)
 *                                  when ready (error is null on success).
 *   alimapCarte.filtrer(numeros)   show only the points whose numbers are in
 *                                  the array `numeros` (null: every point of
 *                                  the page's data) and frame them. May be
 *                                  called before the map is open: the filter
 *                                  is kept and applied when it opens.
 *   alimapCarte.afficher(points)   replace the points by `points`, an array of
 *                                  {numero, lat, lon, services: ["repas"…]}.
 *   alimapCarte.points()           the page's points, in that same form.
 *   alimapCarte.pret               true once the map is drawn.
 *
 * The document receives the event "alimap:carte-prete" when the map is drawn.
 *
 * Written in ES5 without Promise so that old phones run it.
 */
(function () {
  'use strict';

  var doc = document;

  // Words in the page's language, from the page's data block (written by
  // alimap from the theme's translation files); French without it. A text
  // may depend on a number: its forms by plural category of the language.
  var textes = {};
  var langue = 'fr';
  try {
    var donneesTextes = JSON.parse(doc.getElementById('alimap-textes').textContent);
    textes = donneesTextes.carte || {};
    langue = donneesTextes.lang || langue;
  } catch (e) { /* Keep French. */ }
  function tr(cle, francais, valeurs) {
    var t = textes[cle] || francais;
    if (typeof t === 'object') {
      var forme = 'other';
      try { forme = new Intl.PluralRules(langue).select(valeurs.n); } catch (e) { /* Old browser: other. */ }
      t = t[forme] || t.other;
    }
    return String(t).replace(/\{([a-z_]+)\}/g, function (m, k) { return valeurs && k in valeurs ? valeurs[k] : m; });
  }

  var bloc = doc.querySelector('[data-carte-bloc]');
  var conteneur = doc.getElementById('carte');
  var bouton = bloc && bloc.querySelector('[data-ouvrir-carte]');
  var legende = bloc && bloc.querySelector('[data-carte-legende]');

  // Each kind of help has a shape and a letter (never colour alone); kinds
  // that go together share a shape and a colour.
  var FORMES = {
    cercle: '<circle cx="14" cy="14" r="12"/>',
    carre: '<rect x="2.5" y="2.5" width="23" height="23" rx="3"/>',
    losange: '<path d="M14 .8 27.2 14 14 27.2.8 14Z"/>',
    triangle: '<path d="M14 1.5 27 25.5H1Z"/>',
    hexagone: '<path d="M7.4 2.5h13.2L27 14l-6.4 11.5H7.4L1 14Z"/>',
    pentagone: '<path d="M14 1.2 26.8 10.5 21.9 25.8H6.1L1.2 10.5Z"/>'
  };
  var SYMBOLES = {
    'repas': ['cercle', '#a4262c', 'R'],
    'petit-dejeuner': ['cercle', '#a4262c', 'P'],
    'colis-alimentaire': ['carre', '#0b5394', 'C'],
    'colis-bebe': ['carre', '#0b5394', 'B'],
    'cheques-alimentaires': ['carre', '#0b5394', '€'],
    'epicerie-sociale': ['losange', '#6a2c91', 'E'],
    'maraude': ['triangle', '#7a4100', 'M'],
    'frigo-solidaire': ['hexagone', '#00676a', 'F'],
    'eau-potable': ['hexagone', '#00676a', 'O'],
    'atelier-cuisine': ['pentagone', '#2d6a1f', 'A'],
    'jardin-solidaire': ['pentagone', '#2d6a1f', 'J']
  };

  var etat = {
    ids: null,            // the filter: null, or an object id -> true
    points: [],           // the points shown, in the public form
    libelles: {},         // service value -> label
    jour: '',
    carte: null,
    groupe: null,
    marqueurs: {},        // numero -> marker
    fiches: 32,           // points per block of popup texts
    racine: '',
    pages: '',            // prefix to the pages of the page's language
    dossierFiches: '',
    chargement: false,
    attente: [],
    dernier: null         // marker whose popup is open
  };

  var api = window.alimapCarte = {
    pret: false,
    ouvrir: function (rappel) { ouvrir(rappel); },
    filtrer: function (numeros) {
      etat.ids = numeros ? indexer(numeros) : null;
      if (api.pret) { dessinerPoints(true); }
    },
    afficher: function (points) {
      etat.points = points.slice();
      if (api.pret) { dessinerPoints(true); }
    },
    points: function () { return etat.points.slice(); }
  };

  if (!bloc || !conteneur || !bouton) { return; }
  bloc.hidden = false;
  bouton.addEventListener('click', function () {
    if (api.pret) { montrer(conteneur.hidden); } else { ouvrir(); }
  });

  function indexer(ids) {
    var o = {};
    for (var i = 0; i < ids.length; i++) { o[ids[i]] = true; }
    return o;
  }

  function montrer(visible) {
    conteneur.hidden = !visible;
    legende.hidden = !visible;
    bouton.setAttribute('aria-expanded', visible ? 'true' : 'false');
    bouton.textContent = visible ? tr('masquer', 'Masquer la carte') : tr('afficher', 'Afficher la carte');
    if (visible && etat.carte) { etat.carte.invalidateSize(); }
  }

  // ------------------------------------------------------------ loading

  function ouvrir(rappel) {
    if (api.pret) {
      montrer(true);
      if (rappel) { rappel(null); }
      return;
    }
    if (!bouton) {
      if (rappel) { rappel(new Error('pas de carte sur cette page')); }
      return;
    }
    if (rappel) { etat.attente.push(rappel); }
    if (etat.chargement) { return; }
    etat.chargement = true;
    bouton.disabled = true;
    bouton.textContent = tr('chargement', 'Chargement de la carte…');
    var racine = conteneur.getAttribute('data-racine') || '';
    style(racine + 'assets/vendor/leaflet/leaflet.css');
    style(racine + 'assets/vendor/leaflet.markercluster/MarkerCluster.css');
    enchainer([
      racine + 'assets/vendor/leaflet/leaflet.js',
      racine + 'assets/vendor/leaflet.markercluster/leaflet.markercluster.js',
      conteneur.getAttribute('data-donnees')
    ], function (erreur) {
      etat.chargement = false;
      bouton.disabled = false;
      if (!erreur) {
        try { dessiner(); } catch (e) { erreur = e; }
      }
      if (erreur) {
        bouton.textContent = tr('erreur', 'La carte n’a pas pu être chargée. Réessayer');
      } else {
        api.pret = true;
        montrer(true);
        signaler();
      }
      var attente = etat.attente;
      etat.attente = [];
      for (var i = 0; i < attente.length; i++) { attente[i](erreur || null); }
    });
  }

  function style(href) {
    var l = doc.createElement('link');
    l.rel = 'stylesheet';
    l.href = href;
    doc.head.appendChild(l);
  }

  // Scripts one after the other: each needs the one before.
  function enchainer(liste, fin) {
    if (!liste.length) { fin(null); return; }
    var s = doc.createElement('script');
    s.src = liste[0];
    s.onload = function () { enchainer(liste.slice(1), fin); };
    s.onerror = function () { fin(new Error('chargement impossible : ' + liste[0])); };
    doc.head.appendChild(s);
  }

  function signaler() {
    var ev;
    try {
      ev = new CustomEvent('alimap:carte-prete');
    } catch (e) {
      ev = doc.createEvent('CustomEvent');
      ev.initCustomEvent('alimap:carte-prete', false, false, null);
    }
    doc.dispatchEvent(ev);
  }

  // ------------------------------------------------------------ drawing

  function dessiner() {
    var L = window.L;
    var cle = conteneur.getAttribute('data-cle');
    var d = (window.alimapDonnees || {})[cle];
    if (!d) { throw new Error('données de carte absentes : ' + cle); }
    // Assets are under the site root; points' pages are in the page's
    // language, under data-pages (en/…) when it is not the site's.
    var racine = conteneur.getAttribute('data-racine') || '';
    etat.racine = racine;
    etat.pages = conteneur.getAttribute('data-pages') || racine;
    etat.fiches = d.fiches;
    etat.dossierFiches = d.dossier_fiches || 'assets/carte/fiches/';
    var services = [];
    for (var i = 0; i < d.services.length; i++) {
      services.push(d.services[i][0]);
      etat.libelles[d.services[i][0]] = d.services[i][1];
    }
    etat.jour = d.jour;
    // The legend's and popups' words come with the data, in its language.
    for (var k in d.interface || {}) { if (!textes[k]) { textes[k] = d.interface[k]; } }
    // Points given by afficher() before the map opened win over the page's.
    if (!etat.points.length) {
      var numero = 0, lat = 0, lon = 0;
      var ecarts = d.numeros ? d.numeros.split(',') : [];
      for (var k = 0; k < ecarts.length; k++) {
        numero += parseInt(ecarts[k], 36);
        lat += d.lat[k];
        lon += d.lon[k];
        var s = [];
        for (var b = 0; b < services.length; b++) { if (d.aides[k] & (1 << b)) { s.push(services[b]); } }
        etat.points.push({ numero: numero, lat: lat / 1e5, lon: lon / 1e5, services: s });
      }
    }

    conteneur.hidden = false;
    var zoomMax = parseInt(conteneur.getAttribute('data-zoom-max'), 10) || 19;
    var carte = L.map(conteneur, { maxZoom: zoomMax, zoomSnap: 1 });
    etat.carte = carte;
    carte.attributionControl.setPrefix(false);
    var tuiles = conteneur.getAttribute('data-tuiles');
    if (tuiles) {
      var couche = L.tileLayer(tuiles, {
        maxZoom: zoomMax,
        attribution: echapper(conteneur.getAttribute('data-attribution') || ''),
        // Tile servers such as OpenStreetMap's ask for a referrer; the site's
        // address is enough, never the page's.
        referrerPolicy: 'strict-origin'
      }).addTo(carte);
      // Unreachable tiles (offline, blocked): a plain background instead of
      // grey squares; the outlines and points stay.
      var chargees = 0;
      couche.on('tileload', function () { chargees++; });
      couche.on('tileerror', function () { if (!chargees) { conteneur.className += ' sans-tuiles'; } });
    } else {
      conteneur.className += ' sans-tuiles';
      carte.attributionControl.addAttribution(tr('sans_tuiles', 'Fond : périmètres des territoires, sans tuiles'));
    }

    var contours = [];
    for (var p = 0; p < d.perimetres.length; p++) {
      contours.push(L.polygon(anneaux(d.perimetres[p].polygones), {
        color: '#1d4e89', weight: 2, fillColor: '#1d4e89', fillOpacity: tuiles ? 0.04 : 0.1, interactive: false
      }));
    }
    // Leaflet draws nothing before the map has a view.
    etat.cadre = contours.length ? L.featureGroup(contours).getBounds() : null;
    if (etat.cadre) { carte.fitBounds(etat.cadre, { padding: [10, 10] }); } else { carte.setView([46.6, 2.4], 5); }
    for (var c = 0; c < contours.length; c++) { contours[c].addTo(carte); }

    etat.groupe = L.markerClusterGroup({
      chunkedLoading: true,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      maxClusterRadius: 50,
      iconCreateFunction: iconeGrappe
    });
    etat.groupe.on('click', function (e) { ouvrirPopup(e.layer, false); });
    etat.groupe.on('keypress', function (e) {
      if (e.originalEvent && e.originalEvent.keyCode === 13) { ouvrirPopup(e.layer, true); }
    });
    // A cluster opened with the keyboard disappears: keep the focus on the map.
    etat.groupe.on('animationend', function () {
      if (!doc.activeElement || doc.activeElement === doc.body) { conteneur.focus(); }
    });
    carte.on('popupclose', function () {
      var m = etat.dernier;
      etat.dernier = null;
      if (m && m._icon && conteneur.contains(doc.activeElement)) { m._icon.focus(); }
    });
    carte.addLayer(etat.groupe);
    dessinerPoints(false);
    dessinerLegende();

    var lieu = conteneur.getAttribute('data-lieu');
    if (lieu) { montrerLieu(lieu, (conteneur.getAttribute('data-position') || '').split(','), zoomMax); }
  }

  // A point's page: the marker at the point's position whose popup text has
  // its id (points may share a position), centred with its popup open.
  function montrerLieu(id, position, zoomMax) {
    var y = Math.round(+position[0] * 1e5), x = Math.round(+position[1] * 1e5);
    var candidats = etat.points.filter(function (p) {
      return Math.round(p.lat * 1e5) === y && Math.round(p.lon * 1e5) === x && etat.marqueurs[p.numero];
    });
    candidats.forEach(function (p) {
      fiche(p.numero, function (f) {
        if (!f || f[0] !== id) { return; }
        var cible = etat.marqueurs[p.numero];
        etat.carte.setView(cible.getLatLng(), Math.min(16, zoomMax));
        etat.groupe.zoomToShowLayer(cible, function () { ouvrirPopup(cible, false); });
      });
    });
  }

  // The popup text of a point: [id, name, today's hours, conditions], or
  // null when its block cannot be loaded (offline, say).
  var attenteFiches = {};
  function fiche(numero, rappel) {
    var n = Math.floor(numero / etat.fiches), cle = 'fiches/' + n;
    var bloc = function () {
      var d = (window.alimapDonnees || {})[cle];
      rappel(d ? d[numero % etat.fiches] || null : null);
    };
    if ((window.alimapDonnees || {})[cle]) { bloc(); return; }
    if (attenteFiches[cle]) { attenteFiches[cle].push(bloc); return; }
    attenteFiches[cle] = [bloc];
    var fin = function () {
      var liste = attenteFiches[cle];
      delete attenteFiches[cle];
      for (var i = 0; i < liste.length; i++) { liste[i](); }
    };
    enchainer([etat.racine + etat.dossierFiches + n + '.js'], fin);
  }

  // A marker's accessible name: its kinds of help, then its name as soon as
  // its popup text is there.
  function nommer(m) {
    if (m.nomme) { return; }
    fiche(m.lieu.numero, function (f) {
      if (!f || m.nomme) { return; }
      m.nomme = true;
      m.options.title = f[1] + ' (' + m.options.title + ')';
      if (m._icon) { m._icon.title = m.options.title; }
    });
  }

  function anneaux(polygones) {
    return polygones.map(function (rings) {
      return rings.map(function (plat) {
        var r = [];
        for (var i = 0; i + 1 < plat.length; i += 2) { r.push([plat[i + 1], plat[i]]); }
        return r;
      });
    });
  }

  // Markers of the points that pass the filter; frames them when asked.
  function dessinerPoints(cadrer) {
    var L = window.L;
    var marqueurs = [];
    etat.marqueurs = {};
    for (var i = 0; i < etat.points.length; i++) {
      var p = etat.points[i];
      if (etat.ids && !etat.ids[p.numero]) { continue; }
      var libelles = p.services.map(function (s) { return etat.libelles[s] || s; });
      var m = L.marker([p.lat, p.lon], {
        icon: icone(p.services),
        title: libelles.join(tr('liste_separateur', ', ')),
        keyboard: true,
        riseOnHover: true
      });
      m.lieu = p;
      m.on('add', onAjout);
      etat.marqueurs[p.numero] = m;
      marqueurs.push(m);
    }
    etat.groupe.clearLayers();
    etat.groupe.addLayers(marqueurs);
    conteneur.setAttribute('data-nombre-lieux', String(marqueurs.length));
    var carte = etat.carte;
    if (marqueurs.length && (cadrer || !etat.cadre)) {
      carte.fitBounds(L.featureGroup(marqueurs).getBounds(), { padding: [20, 20], maxZoom: 16 });
    } else if (etat.cadre) {
      carte.fitBounds(etat.cadre, { padding: [10, 10] });
    } else if (!marqueurs.length) {
      carte.setView([46.6, 2.4], 5);
    }
  }

  function onAjout(e) { nommer(e.target); }

  var icones = {};
  function icone(services) {
    var principal = services[0] || 'repas';
    var cle = principal + (services.length > 1 ? '+' : '');
    if (!icones[cle]) {
      icones[cle] = window.L.divIcon({
        className: 'marqueur',
        html: svgSymbole(principal, 28) + (services.length > 1 ? '<span class="marqueur-plus">+</span>' : ''),
        iconSize: [28, 28],
        iconAnchor: [14, 14],
        popupAnchor: [0, -12]
      });
    }
    return icones[cle];
  }

  function svgSymbole(service, taille) {
    var s = SYMBOLES[service] || ['cercle', '#333333', '?'];
    var y = s[0] === 'triangle' ? 22 : 18.5;
    return '<svg viewBox="0 0 28 28" width="' + taille + '" height="' + taille + '" aria-hidden="true" focusable="false">' +
      '<g fill="' + s[1] + '" stroke="#ffffff" stroke-width="1.6">' + FORMES[s[0]] + '</g>' +
      '<text x="14" y="' + y + '" text-anchor="middle" font-size="13" font-weight="bold" font-family="sans-serif" fill="#ffffff">' +
      s[2] + '</text></svg>';
  }

  function iconeGrappe(grappe) {
    var n = grappe.getChildCount();
    var taille = n < 10 ? 32 : n < 100 ? 38 : n < 1000 ? 44 : 50;
    return window.L.divIcon({
      className: 'grappe',
      html: '<span aria-hidden="true">' + n + '</span><span class="visuellement-cache">' +
        echapper(tr('grappe', '{n} lieux proches : appuyez pour zoomer', { n: n })) + '</span>',
      iconSize: [taille, taille]
    });
  }

  // Leaflet's popup: the margins of its content and its frame, in pixels.
  var POPUP_MARGES = 46;

  function ouvrirPopup(m, clavier) {
    if (!m || !m.lieu) { return; }
    etat.dernier = m;
    fiche(m.lieu.numero, function (f) {
      if (etat.dernier !== m) { return; }
      // Clear of the zoom buttons (top left, whatever the page's direction):
      // the map pans the popup right of them, and on a phone's narrow map
      // the popup is narrower than the room left.
      var zoom = etat.carte.zoomControl && etat.carte.zoomControl.getContainer();
      var gauche = zoom ? zoom.offsetLeft + zoom.offsetWidth + 8 : 16;
      var place = etat.carte.getSize().x - gauche - 16 - POPUP_MARGES;
      var popup = window.L.popup({
        maxWidth: Math.max(120, Math.min(260, place)),
        minWidth: Math.min(120, Math.max(place, 50)),
        autoPanPadding: [16, 16],
        autoPanPaddingTopLeft: [gauche, 16]
      })
        .setLatLng(m.getLatLng())
        .setContent(contenuPopup(m.lieu, f))
        .openOn(etat.carte);
      if (clavier) {
        var lien = popup.getElement() && popup.getElement().querySelector('.popup-lieu a');
        if (lien) { lien.focus(); }
      }
    });
  }

  // Built with DOM methods: names and texts never become markup.
  function contenuPopup(p, f) {
    var div = element('div', 'popup-lieu');
    var libelles = p.services.map(function (s) { return etat.libelles[s] || s; });
    if (!f) {
      div.appendChild(ligne(null, libelles.join(tr('liste_separateur', ', '))));
      div.appendChild(ligne(null, tr('fiche_indisponible', 'Fiche indisponible : vérifiez votre connexion.')));
      return div;
    }
    var titre = element('p', 'popup-titre');
    // The name, as volunteers wrote it, keeps its own direction.
    titre.dir = 'auto';
    var lien = element('a');
    lien.href = etat.pages + 'lieux/' + f[0] + '.html';
    lien.textContent = f[1];
    titre.appendChild(lien);
    div.appendChild(titre);
    div.appendChild(ligne(null, libelles.join(tr('liste_separateur', ', '))));
    div.appendChild(ligne(etat.jour ? tr('aujourdhui_jour', 'Aujourd’hui ({jour}) : ', { jour: etat.jour }) : tr('aujourdhui', 'Aujourd’hui : '),
      f[2] || tr('non_communique', 'non communiqué')));
    if (f[3]) { div.appendChild(ligne(tr('conditions', 'Conditions : '), f[3])); }
    return div;
  }

  function ligne(libelle, texte) {
    var l = element('p');
    if (libelle) {
      var b = element('span', 'libelle');
      b.textContent = libelle;
      l.appendChild(b);
    }
    l.appendChild(doc.createTextNode(texte));
    return l;
  }

  function element(nom, classe) {
    var e = doc.createElement(nom);
    if (classe) { e.className = classe; }
    return e;
  }

  function dessinerLegende() {
    var presents = {};
    for (var i = 0; i < etat.points.length; i++) {
      if (etat.points[i].services.length) { presents[etat.points[i].services[0]] = true; }
    }
    var html = '<p class="carte-legende-titre">' + echapper(tr('legende', 'Légende')) + '</p><ul>';
    for (var s in SYMBOLES) {
      if (presents[s]) {
        html += '<li>' + svgSymbole(s, 22) + ' ' + echapper(etat.libelles[s] || s) + '</li>';
      }
    }
    html += '<li><span class="legende-plus" aria-hidden="true">+</span> ' + echapper(tr('legende_plus', 'le lieu propose aussi d’autres aides')) + '</li>';
    html += '<li><span class="legende-grappe" aria-hidden="true">12</span> ' + echapper(tr('legende_grappe', 'plusieurs lieux proches : zoomez ou appuyez dessus')) + '</li>';
    html += '</ul><p class="discret">' + echapper(tr('legende_clavier', 'Au clavier : Tab atteint chaque repère, Entrée ouvre sa fiche résumée, les flèches déplacent la carte, + et − zooment.')) + '</p>';
    legende.innerHTML = html;
  }

  function echapper(t) {
    return String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  }
}());
