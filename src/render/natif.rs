//! Point pages written by Rust code instead of Tera.
//!
//! Point pages are nearly all of a site's pages (10,000 of 11,211 at 10,000
//! points), and Tera spent about 100 µs on each, as much again for the
//! context it reads. When the theme overrides none of the templates a point
//! page is made of ([`TEMPLATES`]), [`lieu`] writes the very bytes the
//! default templates would, from the same [`LieuPage`] view: a transcription
//! of `base.html` with the blocks of `lieu.html` and the macros of
//! `carte.html`, in their order.
//!
//! The default templates stay the reference, and what a theme overrides.
//! Whoever edits one of [`TEMPLATES`] edits this module too: the test
//! `native_point_pages_are_the_templates_pages` builds sites in every
//! language, with and without tiles and the offline mode, once with the
//! default theme and once with a theme that overrides these templates with
//! copies of themselves, and requires the same bytes.

use super::view::{DayView, Label, LieuPage};
use super::{Common, escape_into};
use crate::i18n::Tr;
use crate::map::CarteView;
use crate::theme::Theme;

/// The templates of a point page: `lieu.html` extends `base.html` and
/// imports `carte.html` and `macros.html`.
pub const TEMPLATES: [&str; 4] =
    ["templates/base.html", "templates/lieu.html", "templates/carte.html", "templates/macros.html"];

/// Whether point pages are written here: the theme overrides none of
/// [`TEMPLATES`].
pub(super) fn applies(theme: &Theme) -> bool {
    !TEMPLATES.iter().any(|t| theme.overridden.contains_key(*t))
}

/// What a point page shows besides the common parts.
pub(super) struct Lieu<'a> {
    pub(super) page: &'a LieuPage,
    /// The JSON-LD, escaped for a `<script>` by `export::lieu_jsonld`.
    pub(super) jsonld: &'a str,
    pub(super) carte: Option<&'a CarteView>,
}

/// A point's page, as `lieu.html` renders it.
pub(super) fn lieu(common: &Common<'_>, p: &Lieu<'_>, tr: &Tr<'_>) -> String {
    let mut w = Writer { out: String::with_capacity(16 * 1024), tr };
    let l = p.page;
    let c = &l.card;
    let contenu = common.contenu.as_ref().map(|x| (x.lang, x.dir));
    // ` lang="…" dir="…"` of content on a page in another language.
    let attrs = |w: &mut Writer<'_>| {
        if let Some((lang, dir)) = contenu {
            w.raw(" lang=\"");
            w.text(lang);
            w.raw("\" dir=\"");
            w.text(dir);
            w.raw("\"");
        }
    };
    let dir = contenu.map_or("", |(_, d)| d);

    // base.html, up to the `csp_img` block.
    w.raw("<!doctype html>\n<html lang=\"");
    w.text(common.langue.code);
    w.raw("\" dir=\"");
    w.text(common.langue.dir);
    w.raw("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; img-src 'self' data:");
    // block csp_img: cm::csp(carte)
    if let Some(origine) = p.carte.and_then(|k| k.origine.as_deref()).filter(|o| !o.is_empty()) {
        w.raw(" ");
        w.text(origine);
    }
    w.raw("; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
    // block title
    w.text(&c.nom);
    w.raw(" (");
    w.text(&c.commune);
    w.raw(") — ");
    w.text(common.site.titre);
    w.raw("</title>\n<meta name=\"description\" content=\"");
    // block description
    for (i, s) in c.services.iter().enumerate() {
        w.text(&s.label);
        if i + 1 < c.services.len() {
            w.raw(", ");
        }
    }
    w.raw(" — ");
    w.text(&c.adresse);
    w.raw(". ");
    w.ta("lieu.description");
    w.raw("\">\n");
    if common.alternates {
        for v in &common.langues {
            w.raw("<link rel=\"alternate\" hreflang=\"");
            w.text(v.code);
            w.raw("\" href=\"");
            w.text(&v.url);
            w.raw("\">\n");
            if v.defaut {
                w.raw("<link rel=\"alternate\" hreflang=\"x-default\" href=\"");
                w.text(&v.url);
                w.raw("\">\n");
            }
        }
    }
    w.raw("<link rel=\"stylesheet\" href=\"");
    w.text(common.site_root);
    w.raw("assets/style.css\">\n<link rel=\"icon\" href=\"");
    w.text(common.site_root);
    w.raw("assets/icone.svg\" type=\"image/svg+xml\">\n<meta name=\"theme-color\" content=\"#0b5394\">\n");
    if !common.textes_js.is_empty() {
        w.raw("<script type=\"application/json\" id=\"alimap-textes\">");
        w.raw(common.textes_js);
        w.raw("</script>\n");
    }
    if common.site.hors_ligne {
        w.raw("<link rel=\"manifest\" href=\"");
        w.text(common.site_root);
        w.raw("manifest.webmanifest\">\n<script src=\"");
        w.text(common.site_root);
        // block garder: empty on a point's page.
        w.raw("assets/hors-ligne.js\" defer></script>\n");
    }
    // block head
    w.raw("<script type=\"application/ld+json\">");
    w.raw(p.jsonld);
    w.raw("</script>\n");
    // block tete: cm::script(carte)
    if let Some(k) = p.carte {
        w.raw("<script src=\"");
        w.text(&k.racine);
        w.raw("assets/carte.js\" defer></script>");
    }
    w.raw("\n</head>\n<body>\n<a class=\"evitement\" href=\"#contenu\">");
    w.t("commun.aller_au_contenu");
    w.raw("</a>\n<header class=\"entete\">\n  <div class=\"cadre\">\n    <p class=\"nom-site\"><a href=\"");
    w.text(common.root);
    w.raw("index.html\"");
    attrs(&mut w);
    w.raw(">");
    w.text(common.site.titre);
    w.raw("</a></p>\n    ");
    if !common.langues.is_empty() {
        w.raw("<nav class=\"langues\" aria-label=\"");
        w.ta("commun.langues");
        w.raw("\">\n      <ul>");
        for v in &common.langues {
            w.raw("<li>");
            if v.courante {
                w.raw("<span lang=\"");
                w.text(v.code);
                w.raw("\" dir=\"");
                w.text(v.dir);
                w.raw("\" aria-current=\"true\">");
                w.text(v.nom);
                w.raw("</span>");
            } else {
                w.raw("<a href=\"");
                w.text(&v.href);
                w.raw("\" lang=\"");
                w.text(v.code);
                w.raw("\" hreflang=\"");
                w.text(v.code);
                w.raw("\" dir=\"");
                w.text(v.dir);
                w.raw("\">");
                w.text(v.nom);
                w.raw("</a>");
            }
            w.raw("</li>");
        }
        w.raw("</ul>\n    </nav>\n    ");
    }
    w.raw("<form class=\"recherche-rapide\" role=\"search\" action=\"");
    w.text(common.root);
    w.raw("recherche.html\" method=\"get\">\n      <label for=\"q-entete\">");
    w.t("commun.rechercher_un_lieu");
    w.raw("</label>\n      <input id=\"q-entete\" name=\"q\" type=\"search\" autocomplete=\"off\" placeholder=\"");
    w.ta("commun.rechercher_exemple");
    w.raw("\">\n      <button type=\"submit\">");
    w.t("commun.rechercher");
    w.raw("</button>\n    </form>\n  </div>\n</header>\n");
    if common.site.exemple {
        w.raw("\n<div class=\"exemple\" role=\"note\">\n  <div class=\"cadre\"><strong>");
        w.t("commun.exemple_titre");
        w.raw("</strong> ");
        w.t("commun.exemple_texte");
        w.raw("</div>\n</div>\n");
    }
    w.raw("\n");

    // block fil
    w.raw("<nav class=\"fil cadre\" aria-label=\"");
    w.ta("commun.fil_ariane");
    w.raw("\"><ol><li><a href=\"");
    w.text(common.root);
    w.raw("index.html\">");
    w.t("commun.accueil");
    w.raw("</a></li>");
    if let Some(t) = l.territoires.first() {
        w.raw("<li><a href=\"");
        w.text(&t.href);
        w.raw("\"");
        attrs(&mut w);
        w.raw(">");
        w.text(&t.text);
        w.raw("</a></li>");
    }
    w.raw("<li aria-current=\"page\"");
    attrs(&mut w);
    w.raw(">");
    w.text(&c.nom);
    w.raw("</li></ol></nav>\n<main id=\"contenu\" class=\"cadre\" tabindex=\"-1\">\n");

    // block content
    w.raw("\n<h1");
    attrs(&mut w);
    w.raw(">");
    w.text(&c.nom);
    w.raw("</h1>\n<ul class=\"etiquettes\" aria-label=\"");
    w.ta("commun.types_d_aide");
    w.raw("\">");
    for s in &c.services {
        w.raw("<li class=\"etiquette service-");
        w.text(s.value);
        w.raw("\"");
        if let Some(lang) = s.lang {
            w.raw(" lang=\"");
            w.text(lang);
            w.raw("\"");
        }
        w.raw(">");
        w.text(&s.label);
        w.raw("</li>");
    }
    w.raw("</ul>\n<p class=\"lieu-structure\">");
    w.t("lieu.propose_par");
    if let Some(href) = l.structure_href.as_deref().filter(|h| !h.is_empty()) {
        w.raw("<a href=\"");
        w.text(href);
        w.raw("\"");
        attrs(&mut w);
        w.raw(">");
        w.text(&c.structure);
        w.raw("</a>");
    } else if contenu.is_some() {
        w.raw("<span");
        attrs(&mut w);
        w.raw(">");
        w.text(&c.structure);
        w.raw("</span>");
    } else {
        w.text(&c.structure);
    }
    w.raw("</p>\n\n");
    if !l.fermetures.is_empty() {
        w.raw("\n<div class=\"alerte\" role=\"note\">\n  <h2>");
        let n = l.fermetures.len();
        w.raw(&w.tr.plural_html("lieu.fermetures_exceptionnelles", n, &[]));
        w.raw("</h2>\n  <ul>");
        for f in &l.fermetures {
            w.raw("<li>");
            let dates = [("du", f.du.as_str(), false), ("au", f.au.as_str(), false)];
            if f.en_cours {
                w.raw("<strong>");
                w.t("lieu.en_ce_moment");
                w.raw("</strong> ");
                w.raw(&w.tr.html("lieu.ferme_du_au", &dates));
            } else {
                w.raw(&w.tr.html("lieu.ferme_du_au_debut", &dates));
            }
            if let Some(motif) = truthy(&f.motif) {
                w.raw(" (");
                w.contenu(motif, contenu);
                w.raw(")");
            }
            w.raw("</li>");
        }
        w.raw("</ul>\n</div>\n");
    }
    w.raw("\n\n<section aria-labelledby=\"titre-horaires\">\n<h2 id=\"titre-horaires\">");
    w.t("lieu.horaires");
    w.raw("</h2>\n");
    match l.semaine.as_deref().filter(|s| !s.is_empty()) {
        Some(semaine) => {
            w.raw("\n<table class=\"horaires\">\n  <caption>");
            w.raw(&w.tr.html("lieu.horaires_legende", &[("date", common.genere_le, false)]));
            w.raw("</caption>\n  <thead><tr><th scope=\"col\">");
            w.t("lieu.jour");
            w.raw("</th><th scope=\"col\">");
            w.t("lieu.horaires");
            w.raw("</th></tr></thead>\n  <tbody>\n  ");
            for d in semaine {
                w.raw("\n    ");
                day_row(&mut w, d, contenu);
                w.raw("\n  ");
            }
            w.raw("\n  </tbody>\n</table>\n");
        }
        None => {
            w.raw("\n<p>");
            w.t("lieu.horaires_non_communiques");
            w.raw("</p>\n");
        }
    }
    w.raw("\n</section>\n\n<section aria-labelledby=\"titre-conditions\">\n<h2 id=\"titre-conditions\">");
    w.t("lieu.conditions");
    w.raw("</h2>\n<dl class=\"details\">\n  <dt>");
    w.t("lieu.acces");
    w.raw("</dt><dd><ul>");
    for a in &c.acces {
        w.raw("<li");
        w.lang(a.lang);
        w.raw(">");
        w.text(&a.label);
        w.raw("</li>");
    }
    w.raw("</ul>");
    if let Some(text) = truthy(&l.conditions_acces) {
        w.raw("<p");
        w.langdir(&l.conditions_acces_lang, dir);
        w.raw(">");
        w.text(text);
        w.raw("</p>");
    }
    w.raw("</dd>\n  <dt>");
    w.t("lieu.prix");
    w.raw("</dt><dd>");
    w.label(&c.frais);
    if let Some(text) = truthy(&l.frais_precisions) {
        w.t("commun.deux_points");
        w.libre(text, &l.frais_precisions_lang, dir);
    }
    w.raw("</dd>\n  <dt>");
    w.t("lieu.documents");
    w.raw("</dt><dd>");
    if l.justificatifs_liste.is_empty() {
        w.t("lieu.aucun_document");
    } else {
        w.raw("<ul");
        w.langdir(&l.justificatifs_lang, dir);
        w.raw(">");
        for j in &l.justificatifs_liste {
            w.raw("<li>");
            w.text(j);
            w.raw("</li>");
        }
        w.raw("</ul>");
    }
    w.raw("</dd>\n  <dt>");
    w.t("lieu.pour_qui");
    w.raw("</dt><dd>");
    w.labels(&l.publics);
    if let Some(text) = truthy(&l.publics_precisions) {
        w.raw(". ");
        w.libre(text, &l.publics_precisions_lang, dir);
    }
    w.raw("</dd>\n  ");
    if !l.langues.is_empty() {
        w.raw("<dt>");
        w.t("lieu.langues_parlees");
        w.raw("</dt><dd>");
        for (i, x) in l.langues.iter().enumerate() {
            w.raw("<span lang=\"");
            w.text(&x.href);
            w.raw("\">");
            w.text(&x.text);
            w.raw("</span>");
            if i + 1 < l.langues.len() {
                w.raw(", ");
            }
        }
        w.raw("</dd>");
    }
    w.raw("\n  ");
    if !l.regimes.is_empty() {
        w.raw("<dt>");
        w.t("lieu.regimes");
        w.raw("</dt><dd>");
        w.labels(&l.regimes);
        w.raw("</dd>");
    }
    w.raw("\n  <dt>");
    w.t("lieu.fauteuil");
    w.raw("</dt><dd>");
    w.t(match l.accessibilite_pmr {
        Some(true) => "lieu.oui",
        Some(false) => "lieu.non",
        None => "lieu.non_renseigne",
    });
    w.raw("</dd>\n</dl>\n</section>\n\n<section aria-labelledby=\"titre-adresse\">\n<h2 id=\"titre-adresse\">");
    w.t("lieu.adresse_et_contact");
    w.raw("</h2>\n<address");
    attrs(&mut w);
    w.raw(">\n  ");
    w.text(&l.rue);
    w.raw("<br>\n  ");
    if let Some(x) = truthy(&l.complement_adresse) {
        w.text(x);
        w.raw("<br>");
    }
    w.raw("\n  ");
    w.text(&l.code_postal);
    w.raw(" ");
    w.text(&c.commune);
    w.raw("\n</address>\n<ul class=\"contacts\">\n  <li><a href=\"");
    w.text(&l.itineraire);
    w.raw("\" rel=\"noopener noreferrer\">");
    w.t("lieu.itineraire");
    w.raw("</a></li>\n  <li><a href=\"");
    w.text(&l.geo);
    w.raw("\">");
    w.t("lieu.application_cartes");
    w.raw("</a></li>\n  ");
    if let Some(tel) = &l.telephone {
        w.raw("<li>");
        w.t("commun.telephone");
        w.raw("<a href=\"");
        w.text(&tel.href);
        w.raw("\" dir=\"ltr\">");
        w.text(&tel.text);
        w.raw("</a></li>");
    }
    w.raw("\n  ");
    if let Some(courriel) = truthy(&l.courriel) {
        w.raw("<li>");
        w.t("commun.courriel");
        w.raw("<a href=\"mailto:");
        w.text(courriel);
        w.raw("\">");
        w.text(courriel);
        w.raw("</a></li>");
    }
    w.raw("\n  ");
    if let Some(site_web) = truthy(&l.site_web) {
        w.raw("<li>");
        w.t("commun.site_web");
        w.raw("<a href=\"");
        w.text(site_web);
        w.raw("\" rel=\"noopener noreferrer\">");
        w.text(site_web);
        w.raw("</a></li>");
    }
    w.raw("\n</ul>\n");
    if let Some(k) = p.carte {
        interactive_map(&mut w, k);
    }
    w.raw("\n</section>\n\n");
    if let Some(html) = truthy(&l.description_html) {
        w.raw("\n<section aria-labelledby=\"titre-description\">\n<h2 id=\"titre-description\">");
        w.t("lieu.a_savoir");
        w.raw("</h2>\n<div class=\"texte\"");
        w.langdir(&l.description_lang, dir);
        w.raw(">");
        w.raw(html);
        w.raw("</div>\n</section>\n");
    }
    w.raw("\n\n<p class=\"maj");
    if l.a_verifier {
        w.raw(" a-verifier");
    }
    w.raw("\">");
    w.raw(&l.verifie_le_html);
    if l.a_verifier {
        w.raw(" ");
        w.t("lieu.elles_datent");
    }
    w.raw("</p>\n");
    if !l.territoires.is_empty() {
        w.raw("<p class=\"discret\">");
        w.raw(&w.tr.plural_html("lieu.territoires", l.territoires.len(), &[]));
        for (i, t) in l.territoires.iter().enumerate() {
            w.raw("<a href=\"");
            w.text(&t.href);
            w.raw("\"");
            attrs(&mut w);
            w.raw(">");
            w.text(&t.text);
            w.raw("</a>");
            if i + 1 < l.territoires.len() {
                w.raw(", ");
            }
        }
        w.raw("</p>");
    }
    w.raw("\n");

    // base.html, after the `content` block.
    w.raw("\n</main>\n<footer class=\"pied\">\n  <div class=\"cadre\">\n    <nav aria-label=\"");
    w.ta("commun.pages_du_site");
    w.raw("\">\n      <ul class=\"liens-pied\">\n        <li><a href=\"");
    w.text(common.root);
    w.raw("index.html\">");
    w.t("commun.accueil");
    w.raw("</a></li>\n        ");
    for m in common.menu {
        w.raw("<li><a href=\"");
        w.text(&m.href);
        w.raw("\"");
        if let Some(lang) = truthy(&m.lang) {
            w.raw(" lang=\"");
            w.text(lang);
            w.raw("\"");
        }
        w.raw(">");
        w.text(&m.text);
        w.raw("</a></li>\n        ");
    }
    w.raw("\n      </ul>\n    </nav>\n    ");
    let s = &common.site;
    let nom = s.contact_nom.filter(|x| !x.is_empty());
    let courriel = s.contact_courriel.filter(|x| !x.is_empty());
    if nom.is_some() || courriel.is_some() || s.contact_telephone.is_some() {
        w.raw("\n    <p>");
        w.t("commun.contact");
        if let Some(nom) = nom {
            w.t("commun.deux_points");
            w.contenu(nom, contenu);
        }
        w.raw("\n      ");
        if let Some(courriel) = courriel {
            w.raw("— <a href=\"mailto:");
            w.text(courriel);
            w.raw("\">");
            w.text(courriel);
            w.raw("</a>");
        }
        w.raw("\n      ");
        if let Some(tel) = &s.contact_telephone {
            w.raw("— <a href=\"");
            w.text(&tel.href);
            w.raw("\" dir=\"ltr\">");
            w.text(&tel.text);
            w.raw("</a>");
        }
        w.raw("\n    </p>\n    ");
    }
    w.raw("\n    <p class=\"genere\">");
    w.raw(common.publie_le_html);
    w.raw(" ");
    w.t("commun.sans_cookie");
    w.raw("</p>\n  </div>\n</footer>\n\n</body>\n</html>\n");
    w.out
}

/// One row of the week's hours.
fn day_row(w: &mut Writer<'_>, d: &DayView, contenu: Option<(&str, &str)>) {
    w.raw("<tr");
    if d.aujourdhui {
        w.raw(" class=\"aujourdhui\"");
    }
    w.raw("><th scope=\"row\"><time datetime=\"");
    w.text(&d.iso);
    w.raw("\">");
    w.text(&d.jour);
    w.raw(" ");
    w.text(&d.date);
    w.raw("</time>");
    if d.aujourdhui {
        w.raw(" <span class=\"discret\">");
        w.t("lieu.aujourdhui");
        w.raw("</span>");
    }
    w.raw("</th><td>");
    w.raw(if d.ouvert { "<span class=\"ouvert\">" } else { "<span class=\"ferme\">" });
    w.text(&d.texte);
    w.raw("</span>");
    if let Some(note) = truthy(&d.note) {
        w.raw(" <span class=\"note\">(");
        w.text(note);
        if let Some(motif) = truthy(&d.motif) {
            w.ta("commun.deux_points");
            w.contenu(motif, contenu);
        }
        w.raw(")</span>");
    }
    w.raw("</td></tr>");
}

/// `cm::interactive(carte, titre=ta("lieu.sur_la_carte"), niveau=3,
/// bouton=ta("lieu.afficher_sur_la_carte"))`.
fn interactive_map(w: &mut Writer<'_>, k: &CarteView) {
    w.raw("\n<section class=\"carte-interactive\" aria-labelledby=\"titre-carte-interactive\" data-carte-bloc hidden>\n<h3 id=\"titre-carte-interactive\">");
    w.ta("lieu.sur_la_carte");
    w.raw("</h3>\n<button type=\"button\" class=\"bouton-carte\" data-ouvrir-carte aria-controls=\"carte\" aria-expanded=\"false\">");
    if w.tr.text("lieu.afficher_sur_la_carte").is_empty() {
        w.t("carte.afficher");
    } else {
        w.ta("lieu.afficher_sur_la_carte");
    }
    w.raw("</button>\n<div id=\"carte\" class=\"carte\" data-cle=\"");
    w.text(&k.cle);
    w.raw("\" data-donnees=\"");
    w.text(&k.donnees);
    w.raw("\" data-racine=\"");
    w.text(&k.racine);
    w.raw("\"");
    if k.pages != k.racine {
        w.raw(" data-pages=\"");
        w.text(&k.pages);
        w.raw("\"");
    }
    if let Some(tuiles) = truthy(&k.tuiles) {
        w.raw(" data-tuiles=\"");
        w.text(tuiles);
        w.raw("\" data-attribution=\"");
        w.text(&k.attribution);
        w.raw("\"");
    }
    w.raw(" data-zoom-max=\"");
    w.raw(&k.zoom_max.to_string());
    w.raw("\"");
    if let Some(lieu) = truthy(&k.lieu) {
        w.raw(" data-lieu=\"");
        w.text(lieu);
        w.raw("\" data-position=\"");
        w.text(k.position.as_deref().unwrap_or_default());
        w.raw("\"");
    }
    w.raw(" hidden></div>\n<div class=\"carte-legende\" data-carte-legende hidden></div>\n</section>\n");
}

/// A text as a template's `{% if x %}` sees it: absent or empty is false.
fn truthy(x: &Option<String>) -> Option<&str> {
    x.as_deref().filter(|s| !s.is_empty())
}

/// The page being written, in the page's language.
struct Writer<'a> {
    out: String,
    tr: &'a Tr<'a>,
}

impl Writer<'_> {
    /// Markup, as is.
    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }
    /// Text, escaped as Tera's `{{ x }}` does with `render::escape_html`.
    fn text(&mut self, s: &str) {
        escape_into(&mut self.out, s);
    }
    /// `{{ t(k=…) }}`: a text of the interface, French marked as such.
    fn t(&mut self, key: &str) {
        let html = self.tr.html(key, &[]);
        self.out.push_str(&html);
    }
    /// `{{ ta(k=…) }}`: a text of the interface for an attribute.
    fn ta(&mut self, key: &str) {
        escape_into(&mut self.out, self.tr.text(key));
    }
    /// ` lang="…"` of a label shown in French.
    fn lang(&mut self, lang: Option<&str>) {
        if let Some(l) = lang {
            self.raw(" lang=\"");
            self.text(l);
            self.raw("\"");
        }
    }
    /// `m::langdir`: ` lang="…" dir="…"` of a free text not in the page's
    /// language.
    fn langdir(&mut self, lang: &Option<String>, dir: &str) {
        if let Some(l) = truthy(lang) {
            self.raw(" lang=\"");
            self.text(l);
            self.raw("\" dir=\"");
            self.text(dir);
            self.raw("\"");
        }
    }
    /// `m::libre`: a free text, in a `<span>` with its language when not in
    /// the page's.
    fn libre(&mut self, text: &str, lang: &Option<String>, dir: &str) {
        if truthy(lang).is_some() {
            self.raw("<span");
            self.langdir(lang, dir);
            self.raw(">");
            self.text(text);
            self.raw("</span>");
        } else {
            self.text(text);
        }
    }
    /// `m::contenu`: content, marked with its language on a page in another.
    fn contenu(&mut self, text: &str, contenu: Option<(&str, &str)>) {
        match contenu {
            Some((lang, dir)) => {
                self.raw("<span lang=\"");
                self.text(lang);
                self.raw("\" dir=\"");
                self.text(dir);
                self.raw("\">");
                self.text(text);
                self.raw("</span>");
            }
            None => self.text(text),
        }
    }
    /// `m::libelle`: a label, in a `<span lang="fr">` when shown in French.
    fn label(&mut self, x: &Label) {
        match x.lang {
            Some(lang) => {
                self.raw("<span lang=\"");
                self.text(lang);
                self.raw("\">");
                self.text(&x.label);
                self.raw("</span>");
            }
            None => self.text(&x.label),
        }
    }
    /// Labels separated by commas.
    fn labels(&mut self, xs: &[Label]) {
        for (i, x) in xs.iter().enumerate() {
            self.label(x);
            if i + 1 < xs.len() {
                self.raw(", ");
            }
        }
    }
}
