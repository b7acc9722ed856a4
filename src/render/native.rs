//! Point, commune, structure, guide and coordination pages written by Rust
//! code instead of Tera.
//!
//! Point pages are nearly all of a site's pages (10,000 of 11,211 at 10,000
//! points), and Tera spent about 100 µs on each, as much again for the
//! context it reads; commune and structure pages list every point again as
//! cards, a territory's printable guide every point in full, and its
//! coordination page draws a grid of 168 hours per kind of help. When the
//! theme overrides none of the templates such a page is made of
//! ([`Native::of`]), this module writes the very bytes the default templates
//! would, from the same views: a transcription of `base.html` with the
//! blocks of `lieu.html`, `commune.html`, `structure.html`, `guide.html` or
//! `coordination.html` (in `native/coordination.rs`, with its `grille` macro
//! and the `besoins_structure.html` it includes), and the macros of
//! `macros.html` and `carte.html` they call, in their order.
//!
//! The default templates stay the reference, and what a theme overrides.
//! Whoever edits one of them edits this module too: the test
//! `native_pages_are_the_templates_pages` builds sites in every language,
//! with and without tiles and the offline mode, once with the default theme
//! and once with a theme that overrides these templates with copies of
//! themselves, and requires the same bytes.

mod coordination;

pub(super) use coordination::coordination;

use super::common::Common;
use crate::pages::carte::{CarteView, StaticMapView};
use crate::pages::coord::{GuideLieu, GuidePage};
use crate::pages::gerer::Gerer;
use crate::pages::recherche::CommunePage;
use crate::pages::view::{DayView, Label, LieuCard, LieuPage, Link, Pagination, Phone, StructurePage};
use crate::text::html::{Html, escape_into};
use crate::text::i18n::Tr;
use crate::theme::Theme;

/// Which pages are written here: a page's own template, and `base.html`,
/// `macros.html` and `carte.html` (and `gerer.html` for point and structure
/// pages), overridden by none of the theme's files.
pub(super) struct Native {
    pub(super) lieu: bool,
    pub(super) commune: bool,
    pub(super) structure: bool,
    pub(super) guide: bool,
    /// `coordination.html` imports no `carte.html`, and includes
    /// `besoins_structure.html`.
    pub(super) coordination: bool,
}

impl Native {
    pub(super) fn of(theme: &Theme) -> Native {
        let none =
            |templates: &[&str]| templates.iter().all(|t| !theme.overridden.contains_key(&format!("templates/{t}")));
        let kept = |page: &str| none(&["base.html", "macros.html", "carte.html", page]);
        Native {
            lieu: kept("lieu.html") && none(&["gerer.html"]),
            commune: kept("commune.html"),
            structure: kept("structure.html") && none(&["gerer.html"]),
            guide: kept("guide.html"),
            coordination: none(&["base.html", "macros.html", "coordination.html", "besoins_structure.html"]),
        }
    }

    /// The page templates Tera never renders, which need not be compiled:
    /// those of the pages written here, when the site overrides no template
    /// (a template of the site could include one). No other default
    /// template includes them.
    pub(super) fn unused_templates(&self, theme: &Theme) -> &'static [&'static str] {
        let any_override = theme.overridden.keys().any(|k| k.starts_with("templates/"));
        let all = self.lieu && self.commune && self.structure && self.guide && self.coordination;
        if any_override || !all {
            return &[];
        }
        &["lieu.html", "commune.html", "structure.html", "guide.html", "coordination.html"]
    }
}

/// What a point page shows besides the common parts.
pub(super) struct Lieu<'a> {
    pub(super) page: &'a LieuPage,
    /// The JSON-LD, escaped for a `<script>` by `export::lieu_jsonld`.
    pub(super) jsonld: &'a str,
    pub(super) carte: Option<&'a CarteView>,
    pub(super) gerer: Option<&'a Gerer>,
}

/// A point's page, as `lieu.html` renders it.
pub(super) fn lieu(common: &Common<'_>, p: &Lieu<'_>, tr: &Tr<'_>) -> String {
    let mut w = Writer { out: String::with_capacity(16 * 1024), tr, contenu: contenu_of(common) };
    let l = p.page;
    let c = &l.card;
    let contenu = w.contenu;
    let dir = contenu.map_or("", |(_, d)| d);
    let head = Head {
        csp_img: p.carte.and_then(|k| k.origine.as_deref()),
        title: &|w| {
            w.text(&c.nom);
            w.raw(" (");
            w.text(&c.commune);
            w.raw(") — ");
            w.text(common.site.titre);
        },
        description: Some(&|w| {
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
        }),
        head: &|w| {
            w.raw("<script type=\"application/ld+json\">");
            w.raw(p.jsonld);
            w.raw("</script>");
        },
        tete: &|w| {
            if let Some(k) = p.carte {
                w.raw("<script src=\"");
                w.text(&k.racine);
                w.raw("assets/carte.js\" defer></script>");
            }
        },
    };
    open(&mut w, common, &head);

    // block fil
    fil(&mut w, common);
    if let Some(t) = l.territoires.first() {
        w.raw("<li>");
        w.link(t);
        w.raw("</li>");
    }
    w.raw("<li aria-current=\"page\"");
    w.attrs();
    w.raw(">");
    w.text(&c.nom);
    w.raw("</li></ol></nav>");
    main(&mut w);

    // block content
    w.raw("\n<h1");
    w.attrs();
    w.raw(">");
    w.text(&c.nom);
    w.raw("</h1>\n<div class=\"lieu-essentiel\">\n");
    today_line(&mut w, c, common.aujourdhui);
    w.raw("\n<p class=\"lieu-adresse\"");
    w.attrs();
    w.raw(">");
    w.text(&l.rue);
    w.raw(", ");
    if let Some(x) = truthy(&l.complement_adresse) {
        w.text(x);
        w.raw(", ");
    }
    w.text(&l.code_postal);
    w.raw(" ");
    match truthy(&l.commune_href) {
        Some(href) => {
            w.raw("<a href=\"");
            w.text(href);
            w.raw("\">");
            w.text(&c.commune);
            w.raw("</a>");
        }
        None => w.text(&c.commune),
    }
    w.raw("</p>\n");
    actions(&mut w, c, "lieu.itineraire");
    w.raw("\n</div>\n<ul class=\"etiquettes\" aria-label=\"");
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
        w.attrs();
        w.raw(">");
        w.text(&c.structure);
        w.raw("</a>");
    } else if contenu.is_some() {
        w.raw("<span");
        w.attrs();
        w.raw(">");
        w.text(&c.structure);
        w.raw("</span>");
    } else {
        w.text(&c.structure);
    }
    w.raw("</p>\n\n");
    lieu_fermetures(&mut w, l);
    lieu_horaires(&mut w, l, common.genere_le);
    lieu_conditions(&mut w, l, dir);
    lieu_adresse(&mut w, l, p.carte);
    lieu_fin(&mut w, l, dir);
    gerer(&mut w, p.gerer);

    close(&mut w, common);
    w.out
}

/// A point page's temporary closures, when it has any.
fn lieu_fermetures(w: &mut Writer<'_>, l: &LieuPage) {
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
                w.content(motif);
                w.raw(")");
            }
            w.raw("</li>");
        }
        w.raw("</ul>\n</div>\n");
    }
}

/// A point page's opening hours, week by week.
fn lieu_horaires(w: &mut Writer<'_>, l: &LieuPage, genere_le: &str) {
    w.raw("\n\n<section aria-labelledby=\"titre-horaires\">\n<h2 id=\"titre-horaires\">");
    w.t("lieu.horaires");
    w.raw("</h2>\n");
    match l.semaine.as_deref().filter(|s| !s.is_empty()) {
        Some(semaine) => {
            w.raw("\n<table class=\"horaires\">\n  <caption>");
            w.raw(&w.tr.html("lieu.horaires_legende", &[("date", genere_le, false)]));
            w.raw("</caption>\n  <thead><tr><th scope=\"col\">");
            w.t("lieu.jour");
            w.raw("</th><th scope=\"col\">");
            w.t("lieu.horaires");
            w.raw("</th></tr></thead>\n  <tbody>\n  ");
            for d in semaine {
                w.raw("\n    ");
                day_row(w, d);
                w.raw("\n  ");
            }
            w.raw("\n  </tbody>\n</table>\n");
            if let Some(s) = &l.saison_texte {
                w.raw("<p class=\"saison\">");
                w.text(s);
                w.raw("</p>");
            }
            w.raw("\n");
        }
        None => {
            w.raw("\n<p>");
            w.t("lieu.horaires_non_communiques");
            w.raw("</p>\n");
        }
    }
}

/// A point page's conditions: access, price, documents, publics, languages.
fn lieu_conditions(w: &mut Writer<'_>, l: &LieuPage, dir: &str) {
    w.raw("\n</section>\n\n<section aria-labelledby=\"titre-conditions\">\n<h2 id=\"titre-conditions\">");
    w.t("lieu.conditions");
    w.raw("</h2>\n<dl class=\"details\">\n  <dt>");
    w.t("lieu.acces");
    w.raw("</dt><dd><ul>");
    for a in &l.card.acces {
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
    w.label(&l.card.frais);
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
                w.ta("format.liste_separateur");
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
}

/// A point page's address, ways to get there and contacts, and its map.
fn lieu_adresse(w: &mut Writer<'_>, l: &LieuPage, carte: Option<&CarteView>) {
    w.raw("</dd>\n</dl>\n</section>\n\n<section aria-labelledby=\"titre-adresse\">\n<h2 id=\"titre-adresse\">");
    w.t("lieu.adresse_et_contact");
    w.raw("</h2>\n<address");
    w.attrs();
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
    w.text(&l.card.commune);
    w.raw("\n</address>\n<ul class=\"contacts\">\n  <li><a href=\"");
    w.text(&l.geo);
    w.raw("\">");
    w.t("lieu.application_cartes");
    w.raw("</a></li>\n  ");
    contacts(w, &l.telephone, &l.courriel, &l.site_web);
    w.raw("\n</ul>\n");
    if let Some(k) = carte {
        interactive_map(w, k);
    }
    w.raw("\n</section>\n\n");
}

/// A point page's description, date of last check and territories.
fn lieu_fin(w: &mut Writer<'_>, l: &LieuPage, dir: &str) {
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
        w.links(&l.territoires);
        w.raw("</p>");
    }
    w.raw("\n");
}

/// `gerer.html`, included at the end of the `content` block, and the line
/// break after it.
fn gerer(w: &mut Writer<'_>, g: Option<&Gerer>) {
    if let Some(g) = g {
        w.raw("<section class=\"gerer\" aria-labelledby=\"titre-gerer\">\n<h2 id=\"titre-gerer\">");
        w.t("gerer.titre");
        w.raw("</h2>\n");
        if let Some(href) = truthy(&g.signaler) {
            w.raw("<p><a href=\"");
            w.text(href);
            w.raw("\">");
            w.t("gerer.signaler");
            w.raw("</a>");
            w.t("gerer.signaler_precisions");
            w.raw("</p>\n");
        }
        if let Some(href) = truthy(&g.modifier) {
            w.raw("<p>");
            w.t(match g.genre {
                "lieu" => "gerer.vous_gerez_lieu",
                "structure" => "gerer.vous_gerez_structure",
                _ => "gerer.vous_gerez_territoire",
            });
            w.raw(" <a href=\"");
            w.text(href);
            w.raw("\" rel=\"noopener noreferrer\">");
            w.t("gerer.modifier");
            w.raw("</a>");
            w.t("gerer.modifier_precisions");
            w.raw("</p>\n");
        }
        w.raw("</section>\n");
    }
    w.raw("\n");
}

/// The blocks of `base.html` before `fil` that a page fills.
struct Head<'a> {
    /// The tile server's origin, allowed in `img-src` (`cm::csp`).
    csp_img: Option<&'a str>,
    title: Block<'a>,
    /// `None`: the site's description.
    description: Option<Block<'a>>,
    head: Block<'a>,
    tete: Block<'a>,
}

type Block<'a> = &'a dyn Fn(&mut Writer<'_>);

/// `base.html` up to the `fil` block.
fn open(w: &mut Writer<'_>, common: &Common<'_>, blocks: &Head<'_>) {
    // base.html, up to the `csp_img` block.
    w.raw("<!doctype html>\n<html lang=\"");
    w.text(common.langue.code);
    w.raw("\" dir=\"");
    w.text(common.langue.dir);
    w.raw("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; img-src 'self' data:");
    // block csp_img: cm::csp(carte)
    if let Some(origine) = blocks.csp_img.filter(|o| !o.is_empty()) {
        w.raw(" ");
        w.text(origine);
    }
    w.raw("; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
    (blocks.title)(w);
    w.raw("</title>\n<meta name=\"description\" content=\"");
    match blocks.description {
        Some(description) => description(w),
        None => w.text(common.site.description),
    }
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
    (blocks.head)(w);
    w.raw("\n");
    (blocks.tete)(w);
    w.raw("\n</head>\n<body>\n<a class=\"evitement\" href=\"#contenu\">");
    w.t("commun.aller_au_contenu");
    w.raw("</a>\n<header class=\"entete\">\n  <div class=\"cadre\">\n    <p class=\"nom-site\"><a href=\"");
    w.text(common.root);
    w.raw("index.html\"");
    w.attrs();
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
}

/// `base.html` up to the `fil` block for a page for professionals, the
/// printable guide or the coordination page (`section`): its title and
/// description (`<section>.titre`, `<section>.description`) name the
/// territory, and it has the coordination style sheet.
fn open_pro(w: &mut Writer<'_>, common: &Common<'_>, section: &str, nom: &str) {
    let head = Head {
        csp_img: None,
        title: &|w| {
            w.text(&w.tr.format(&format!("{section}.titre"), &[("nom", nom)]));
            w.raw(" — ");
            w.text(common.site.titre);
        },
        description: Some(&|w| w.text(&w.tr.format(&format!("{section}.description"), &[("nom", nom)]))),
        head: &|w| {
            w.raw("<link rel=\"stylesheet\" href=\"");
            w.text(common.site_root);
            w.raw("assets/coordination.css\">");
        },
        tete: &|_| {},
    };
    open(w, common, &head);
}

/// Between the `fil` and `content` blocks.
fn main(w: &mut Writer<'_>) {
    w.raw("\n<main id=\"contenu\" class=\"cadre\" tabindex=\"-1\">\n");
}

/// `base.html` after the `content` block.
fn close(w: &mut Writer<'_>, common: &Common<'_>) {
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
            w.content(nom);
        }
        w.raw("\n      ");
        if let Some(courriel) = courriel {
            w.raw("— <a href=\"mailto:");
            w.text(courriel);
            w.raw("\" dir=\"ltr\">");
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
}

/// A commune's page, as `commune.html` renders it.
pub(super) fn commune(common: &Common<'_>, k: &CommunePage, tr: &Tr<'_>) -> String {
    let mut w = Writer { out: String::with_capacity(4096 + 1024 * k.nombre), tr, contenu: contenu_of(common) };
    let head = Head {
        csp_img: None,
        title: &|w| {
            w.text(&w.tr.format("commune.titre", &[("nom", &k.nom)]));
            w.raw(" — ");
            w.text(common.site.titre);
        },
        description: Some(&|w| {
            w.text(&w.tr.format("commune.description", &[("nom", &k.nom), ("codes", &k.codes_postaux)]));
        }),
        head: &|_| {},
        tete: &|_| {},
    };
    open(&mut w, common, &head);
    fil(&mut w, common);
    w.raw("<li><a href=\"");
    w.text(common.root);
    w.raw("recherche.html#parcourir\">");
    w.t("commune.communes");
    w.raw("</a></li><li aria-current=\"page\"");
    w.attrs();
    w.raw(">");
    w.text(&k.nom);
    w.raw("</li></ol></nav>");
    main(&mut w);

    w.raw("\n<h1>");
    let mut nom = Writer { out: String::new(), tr, contenu: w.contenu };
    nom.content(&k.nom);
    w.raw(&tr.html("commune.titre", &[("nom", &nom.out, true)]));
    w.raw("</h1>\n<p class=\"chapeau\"><span dir=\"ltr\">");
    w.text(&k.codes_postaux);
    w.raw("</span> — ");
    w.raw(&tr.plural_html("commune.nombre_lieux", k.nombre, &[]));
    w.raw("</p>");
    if let Some(p) = &k.pagination {
        pagination(&mut w, p);
    }
    w.raw("\n");
    if k.groupes.len() > 1 {
        w.raw("\n<nav class=\"sommaire\" aria-labelledby=\"titre-sommaire\">\n  <h2 id=\"titre-sommaire\">");
        w.t("commune.types_d_aide");
        w.raw("</h2>\n  <ul>");
        for g in &k.groupes {
            w.raw("<li><a href=\"#aide-");
            w.text(g.service.value);
            w.raw("\"");
            w.lang(g.service.lang);
            w.raw(">");
            w.text(&g.service.label);
            w.raw("</a> (");
            w.raw(&g.nombre.to_string());
            w.raw(")</li>");
        }
        w.raw("</ul>\n</nav>\n");
    }
    w.raw("\n");
    for g in &k.groupes {
        w.raw("\n<section id=\"aide-");
        w.text(g.service.value);
        w.raw("\" aria-labelledby=\"titre-");
        w.text(g.service.value);
        w.raw("\">\n<h2 id=\"titre-");
        w.text(g.service.value);
        w.raw("\"");
        w.lang(g.service.lang);
        w.raw(">");
        w.text(&g.service.label);
        w.raw("</h2>\n<div class=\"cartes\">\n");
        for l in &g.lieux {
            card(&mut w, l, common.aujourdhui);
        }
        w.raw("\n</div>\n</section>\n");
    }
    w.raw("\n");
    close(&mut w, common);
    w.out
}

/// A structure's page, as `structure.html` renders it.
pub(super) fn structure(common: &Common<'_>, st: &StructurePage, g: Option<&Gerer>, tr: &Tr<'_>) -> String {
    let capacity = 4096 + 1024 * st.lieux.len();
    let mut w = Writer { out: String::with_capacity(capacity), tr, contenu: contenu_of(common) };
    let head = Head {
        csp_img: None,
        title: &|w| {
            w.text(&st.nom);
            w.raw(" — ");
            w.text(common.site.titre);
        },
        description: None,
        head: &|_| {},
        tete: &|_| {},
    };
    open(&mut w, common, &head);
    fil(&mut w, common);
    w.raw("<li><a href=\"");
    w.text(common.root);
    w.raw("structures/index.html\">");
    w.t("structures.titre");
    w.raw("</a></li><li aria-current=\"page\"");
    w.attrs();
    w.raw(">");
    w.text(&st.nom);
    w.raw("</li></ol></nav>");
    main(&mut w);

    w.raw("\n<h1");
    w.attrs();
    w.raw(">");
    w.text(&st.nom);
    w.raw("</h1>\n<p class=\"chapeau\">");
    w.label(&st.type_label);
    if !st.reseaux.is_empty() {
        w.raw(" — ");
        w.t("structure.reseau");
        for (i, r) in st.reseaux.iter().enumerate() {
            w.content(r);
            if i + 1 < st.reseaux.len() {
                w.ta("format.liste_separateur");
            }
        }
    }
    w.raw("</p>\n");
    if let Some(html) = truthy(&st.presentation_html) {
        w.raw("<div class=\"texte\"");
        w.attrs();
        w.raw(">");
        w.raw(html);
        w.raw("</div>");
    }
    w.raw("\n<ul class=\"contacts\">\n  ");
    contacts(&mut w, &st.telephone, &st.courriel, &st.site_web);
    w.raw("\n  ");
    if let Some(siret) = truthy(&st.siret) {
        w.raw("<li>");
        w.t("structure.siret");
        w.text(siret);
        w.raw("</li>");
    }
    w.raw("\n  ");
    if let Some(rna) = truthy(&st.rna) {
        w.raw("<li>");
        w.t("structure.rna");
        w.text(rna);
        w.raw("</li>");
    }
    w.raw("\n</ul>\n<h2>");
    w.raw(&tr.plural_html("structure.ses_lieux", st.nombre_lieux, &[]));
    w.raw("</h2>");
    if let Some(p) = &st.pagination {
        pagination(&mut w, p);
    }
    w.raw("\n");
    if st.lieux.is_empty() {
        w.raw("<p>");
        w.t("structure.aucun_lieu");
        w.raw("</p>");
    } else {
        w.raw("<div class=\"cartes\">");
        for l in &st.lieux {
            card(&mut w, l, common.aujourdhui);
        }
        w.raw("</div>");
    }
    w.raw("\n<p class=\"maj\">");
    w.raw(&tr.html("structure.verifie_le", &[("date", &st.date_maj, false)]));
    w.raw("</p>\n");
    gerer(&mut w, g);
    close(&mut w, common);
    w.out
}

/// `macros.html`'s `pagination`: the links between the pages of a list.
fn pagination(w: &mut Writer<'_>, p: &Pagination) {
    w.raw("<nav class=\"pagination\" aria-label=\"");
    w.ta("pagination.titre");
    w.raw("\"><p>");
    let (du, au, total) = (p.du.to_string(), p.au.to_string(), p.total.to_string());
    let lieux = w.tr.html("pagination.lieux", &[("du", &du, false), ("au", &au, false), ("total", &total, false)]);
    w.raw(&lieux);
    w.raw("</p><ul>");
    for l in &p.pages {
        w.raw("<li><a href=\"");
        w.text(&l.href);
        w.raw(if l.courante { "\" aria-current=\"page\">" } else { "\">" });
        w.raw(&l.numero.to_string());
        w.raw("</a></li>");
    }
    w.raw("</ul></nav>");
}

/// A territory's printable guide, or one commune's part of it, as
/// `guide.html` renders it; `carte` is the static map of a guide in one part.
pub(super) fn guide(common: &Common<'_>, g: &GuidePage, carte: Option<&StaticMapView>, tr: &Tr<'_>) -> String {
    let points: usize = g.communes.iter().flat_map(|k| &k.groupes).map(|x| x.lieux.len()).sum();
    let mut w = Writer { out: String::with_capacity(8192 + 1536 * points), tr, contenu: contenu_of(common) };
    open_pro(&mut w, common, "guide", &g.nom);
    fil(&mut w, common);
    w.raw("<li><a href=\"");
    w.text(common.root);
    w.raw("territoires/");
    w.text(&g.id);
    w.raw(".html\"");
    w.attrs();
    w.raw(">");
    w.text(&g.nom);
    w.raw("</a></li>");
    match truthy(&g.partie) {
        Some(partie) => {
            w.raw("<li><a href=\"");
            w.text(common.root);
            w.raw("guide/");
            w.text(&g.id);
            w.raw(".html\">");
            w.t("guide.fil");
            w.raw("</a></li><li aria-current=\"page\"");
            w.attrs();
            w.raw(">");
            w.text(partie);
            w.raw("</li>");
        }
        None => {
            w.raw("<li aria-current=\"page\">");
            w.t("guide.fil");
            w.raw("</li>");
        }
    }
    w.raw("</ol></nav>");
    main(&mut w);

    w.raw("\n<div class=\"guide\">\n<h1>");
    let nom = w.content_html(&g.nom);
    match truthy(&g.partie) {
        Some(partie) => {
            let commune = w.content_html(partie);
            w.raw(&tr.html("guide.titre_partie", &[("commune", &commune, true), ("nom", &nom, true)]));
        }
        None => w.raw(&tr.html("territoire.titre", &[("nom", &nom, true)])),
    }
    w.raw("</h1>\n<p class=\"chapeau\">");
    let mut date = String::from("<time datetime=\"");
    escape_into(&mut date, common.genere_le_iso);
    date.push_str("\">");
    escape_into(&mut date, common.genere_le);
    date.push_str("</time>");
    w.raw(&tr.plural_html("guide.chapeau", g.total, &[("date", &date, true)]));
    w.raw("</p>\n<p class=\"ecran\">");
    w.t("guide.a_imprimer");
    w.raw("</p>\n");
    if common.site.exemple {
        w.raw("<p class=\"guide-exemple\"><strong>");
        w.t("guide.exemple");
        w.raw("</strong> ");
        w.t("guide.exemple_texte");
        w.raw("</p>");
    }
    if let Some(p) = &g.pagination {
        pagination(&mut w, p);
    }
    w.raw("\n\n");
    if !g.parties.is_empty() {
        w.raw("\n<section class=\"guide-parties\" aria-labelledby=\"titre-parties\">\n<h2 id=\"titre-parties\">");
        w.t("guide.parties_titre");
        w.raw("</h2>\n<p>");
        w.t("guide.parties");
        w.raw("</p>\n<ul class=\"communes-compte\">");
        for k in &g.parties {
            w.raw("<li><a href=\"");
            w.text(&k.href);
            w.raw("\"");
            w.attrs();
            w.raw(">");
            w.text(&k.nom);
            w.raw("</a> (");
            w.raw(&k.nombre.to_string());
            w.raw(")</li>");
        }
        w.raw("</ul>\n</section>\n");
    }
    w.raw("\n");
    if let Some(cs) = carte {
        guide_carte(&mut w, cs, common.root);
    }
    w.raw("\n\n");
    for (i, k) in g.communes.iter().enumerate() {
        let n = (i + 1).to_string();
        w.raw("\n<section class=\"guide-commune\" aria-labelledby=\"commune-");
        w.raw(&n);
        w.raw("\">\n<h2 id=\"commune-");
        w.raw(&n);
        w.raw("\"");
        w.attrs();
        w.raw(">");
        w.text(&k.nom);
        w.raw("</h2>\n");
        for groupe in &k.groupes {
            w.raw("\n<h3>");
            w.label(&groupe.service);
            w.raw("</h3>\n");
            for l in &groupe.lieux {
                guide_lieu(&mut w, l);
            }
            w.raw("\n");
        }
        w.raw("\n</section>\n");
    }
    w.raw("\n\n");
    if let Some(k) = &g.coordination {
        guide_coordination(&mut w, k);
    }
    w.raw("\n<p class=\"discret\">");
    let site = w.content_html(common.site.titre);
    let source = [("site", site.as_str(), true), ("url", common.site.url, false), ("date", common.genere_le, false)];
    w.raw(&tr.html("guide.source", &source));
    w.raw("</p>\n</div>\n");
    close(&mut w, common);
    w.out
}

/// The static map of a guide in one part, with the numbered list of its
/// points.
fn guide_carte(w: &mut Writer<'_>, cs: &StaticMapView, root: &str) {
    w.raw("\n<section class=\"guide-carte\" id=\"guide-carte\" aria-labelledby=\"guide-titre-carte\">\n<h2 id=\"guide-titre-carte\">");
    w.t("territoire.carte_des_lieux");
    w.raw("</h2>\n<figure class=\"carte-figure\">\n");
    match truthy(&cs.svg_html) {
        Some(svg) => w.raw(svg),
        None => {
            w.raw("<img src=\"");
            w.text(root);
            w.raw("territoires/");
            w.text(&cs.fichier);
            w.raw("\" alt=\"");
            w.text(&w.tr.plural("territoire.carte_alt", cs.lieux.len(), &[("titre", &cs.titre)]));
            w.raw("\">");
        }
    }
    w.raw("\n</figure>\n<ol class=\"liste-carte\" aria-label=\"");
    w.ta("territoire.lieux_numerotes");
    w.raw("\">\n");
    for p in &cs.lieux {
        w.raw("<li value=\"");
        w.raw(&p.numero.to_string());
        w.raw("\">");
        w.content(&p.nom);
        if !p.commune.is_empty() {
            w.raw(" <span class=\"discret\"");
            w.attrs();
            w.raw(">");
            w.text(&p.commune);
            w.raw("</span>");
        }
        w.raw("</li>\n");
    }
    w.raw("</ol>\n</section>\n");
}

/// The territory's coordination, at the end of its guide.
fn guide_coordination(w: &mut Writer<'_>, k: &crate::pages::view::CoordinationView) {
    w.raw("\n<section class=\"guide-coordination\" aria-labelledby=\"titre-coordination\">\n<h2 id=\"titre-coordination\">");
    let nom = w.content_html(&k.nom);
    w.raw(&w.tr.html("coordination.titre", &[("nom", &nom, true)]));
    w.raw("</h2>\n<p>");
    if let Some(tel) = &k.telephone {
        w.t("guide.tel");
        w.raw(" <span class=\"tel\" dir=\"ltr\">");
        w.text(&tel.text);
        w.raw("</span>");
    }
    let courriel = truthy(&k.courriel);
    if k.telephone.is_some() && courriel.is_some() {
        w.raw(" — ");
    }
    if let Some(courriel) = courriel {
        w.raw("<span dir=\"ltr\">");
        w.text(courriel);
        w.raw("</span>");
    }
    w.raw("</p>\n</section>\n");
}

/// One point of the guide.
fn guide_lieu(w: &mut Writer<'_>, l: &GuideLieu) {
    let dir = w.contenu.map_or("", |(_, d)| d);
    let sep = w.tr.text("format.conditions_separateur");
    w.raw("\n<article class=\"guide-lieu\">\n  <h4");
    w.attrs();
    w.raw(">");
    w.text(&l.nom);
    w.raw("</h4>\n  ");
    if !l.structure.is_empty() {
        w.raw("<p class=\"discret\"");
        w.attrs();
        w.raw(">");
        w.text(&l.structure);
        w.raw("</p>");
    }
    w.raw("\n  <p>");
    if w.contenu.is_some() {
        w.raw("<span");
        w.attrs();
        w.raw(">");
    }
    w.text(&l.adresse);
    if let Some(x) = truthy(&l.complement_adresse) {
        w.raw(", ");
        w.text(x);
    }
    w.raw(", ");
    w.text(&l.ville);
    if w.contenu.is_some() {
        w.raw("</span>");
    }
    if let Some(tel) = truthy(&l.telephone) {
        w.raw(" — ");
        w.t("guide.tel");
        w.raw(" <span class=\"tel\" dir=\"ltr\">");
        w.text(tel);
        w.raw("</span>");
    }
    w.raw("</p>\n  <p><strong>");
    w.t("guide.horaires");
    w.raw("</strong> ");
    if l.horaires.is_empty() {
        w.t("guide.horaires_non_communiques");
    } else {
        for (i, h) in l.horaires.iter().enumerate() {
            w.text(h);
            if i + 1 < l.horaires.len() {
                w.text(sep);
            }
        }
    }
    w.raw("</p>\n  ");
    for f in &l.fermetures_html {
        w.raw("<p class=\"guide-fermeture\">");
        w.raw(f.as_str());
        w.raw("</p>");
    }
    w.raw("\n  <p><strong>");
    w.t("guide.conditions");
    w.raw("</strong> ");
    for (i, a) in l.acces.iter().enumerate() {
        w.label(a);
        if i + 1 < l.acces.len() {
            w.text(sep);
        }
    }
    w.raw(" — ");
    w.label(&l.frais);
    if let Some(x) = truthy(&l.frais_precisions) {
        w.t("commun.deux_points");
        w.libre(x, &l.frais_precisions_lang, dir);
    }
    if let Some(x) = truthy(&l.conditions_acces) {
        w.raw(". ");
        w.libre(x, &l.conditions_acces_lang, dir);
    }
    w.raw("</p>\n  ");
    if !l.publics.is_empty() {
        w.raw("<p><strong>");
        w.t("guide.pour");
        w.raw("</strong> ");
        w.labels(&l.publics);
        w.raw("</p>");
    }
    w.raw("\n  <p><strong>");
    w.t("guide.documents");
    w.raw("</strong> ");
    if l.justificatifs.is_empty() {
        w.t("guide.aucun");
    } else {
        w.libre(&l.justificatifs.join(sep), &l.justificatifs_lang, dir);
    }
    w.raw("</p>\n  ");
    if !l.langues.is_empty() {
        w.raw("<p><strong>");
        w.t("guide.langues");
        w.raw("</strong> ");
        for (i, x) in l.langues.iter().enumerate() {
            w.text(x);
            if i + 1 < l.langues.len() {
                w.ta("format.liste_separateur");
            }
        }
        w.raw("</p>");
    }
    w.raw("\n</article>\n");
}

/// `m::carte_lieu(l, niveau=3, c=contenu, aujourdhui)`: a point in a list.
fn card(w: &mut Writer<'_>, l: &LieuCard, aujourdhui: &str) {
    w.raw("\n<article class=\"lieu-carte\" data-lieu=\"");
    w.text(&l.id);
    w.raw("\">\n  <h3 class=\"lieu-titre\"><a href=\"");
    w.text(&l.href);
    w.raw("\"");
    w.attrs();
    w.raw(">");
    w.text(&l.nom);
    w.raw("</a></h3>\n  \n  <p class=\"lieu-structure\"");
    w.attrs();
    w.raw(">");
    w.text(&l.structure);
    w.raw("</p>\n  ");
    w.raw("\n  ");
    today_line(w, l, aujourdhui);
    w.raw("\n  ");
    w.raw("\n  <p class=\"lieu-adresse\"");
    w.attrs();
    w.raw(">");
    w.text(&l.adresse);
    w.raw("</p>\n  ");
    actions(w, l, "carte_lieu.itineraire");
    w.raw("\n  <p class=\"lieu-conditions\"><span class=\"libelle\">");
    w.t("carte_lieu.conditions");
    w.raw("</span> ");
    for (i, a) in l.acces.iter().enumerate() {
        w.label(a);
        if i + 1 < l.acces.len() {
            w.ta("format.conditions_separateur");
        }
    }
    w.raw(" — ");
    w.label(&l.frais);
    w.raw(" — ");
    w.t(if l.justificatifs { "carte_lieu.justificatifs_demandes" } else { "carte_lieu.aucun_justificatif" });
    w.raw("</p>\n</article>\n");
}

/// A point's hours today, open ones marked with a badge; or that they are
/// not known.
fn today_line(w: &mut Writer<'_>, l: &LieuCard, aujourdhui: &str) {
    match &l.aujourdhui {
        Some(d) => {
            w.raw("<p class=\"lieu-jour\"><span class=\"libelle\">");
            w.text(aujourdhui);
            w.raw("</span> ");
            if d.ouvert {
                w.raw("<span class=\"etat\">");
                w.t("carte_lieu.ouvert");
                w.raw("</span> ");
            }
            day(w, d);
            if let Some(s) = &l.saison {
                w.raw(" — <span class=\"saison\">");
                w.text(s);
                w.raw("</span>");
            }
            w.raw("</p>");
        }
        None => {
            w.raw("<p class=\"lieu-jour\"><span class=\"libelle\">");
            w.t("carte_lieu.horaires");
            w.raw("</span> ");
            w.t("carte_lieu.horaires_non_communiques");
            w.raw("</p>");
        }
    }
}

/// « Appeler » (the point's phone, else its structure's) and the
/// directions, as buttons; `itineraire` is the directions' words.
fn actions(w: &mut Writer<'_>, l: &LieuCard, itineraire: &str) {
    w.raw("<p class=\"lieu-actions\">");
    if let Some(tel) = &l.appel {
        w.raw("<a class=\"action\" href=\"");
        w.text(&tel.href);
        w.raw("\">");
        w.t("carte_lieu.appeler");
        w.raw(" <span dir=\"ltr\">");
        w.text(&tel.text);
        w.raw("</span></a> ");
    }
    w.raw("<a class=\"action\" href=\"");
    w.text(&l.itineraire);
    w.raw("\" rel=\"noopener noreferrer\">");
    w.t(itineraire);
    w.raw("</a></p>");
}

/// The start of the `fil` block of every page: the breadcrumb's
/// navigation, up to its link to the home page.
fn fil(w: &mut Writer<'_>, common: &Common<'_>) {
    w.raw("<nav class=\"fil cadre\" aria-label=\"");
    w.ta("commun.fil_ariane");
    w.raw("\"><ol><li><a href=\"");
    w.text(common.root);
    w.raw("index.html\">");
    w.t("commun.accueil");
    w.raw("</a></li>");
}

/// The phone, email and website items of a point's or a structure's
/// contacts.
fn contacts(w: &mut Writer<'_>, telephone: &Option<Phone>, courriel: &Option<String>, site_web: &Option<String>) {
    if let Some(tel) = telephone {
        w.raw("<li>");
        w.t("commun.telephone");
        w.raw("<a href=\"");
        w.text(&tel.href);
        w.raw("\" dir=\"ltr\">");
        w.text(&tel.text);
        w.raw("</a></li>");
    }
    w.raw("\n  ");
    if let Some(courriel) = truthy(courriel) {
        w.raw("<li>");
        w.t("commun.courriel");
        w.raw("<a href=\"mailto:");
        w.text(courriel);
        w.raw("\" dir=\"ltr\">");
        w.text(courriel);
        w.raw("</a></li>");
    }
    w.raw("\n  ");
    if let Some(site_web) = truthy(site_web) {
        w.raw("<li>");
        w.t("commun.site_web");
        w.raw("<a href=\"");
        w.text(site_web);
        w.raw("\" rel=\"noopener noreferrer\" dir=\"ltr\">");
        w.text(site_web);
        w.raw("</a></li>");
    }
}

/// One row of the week's hours.
fn day_row(w: &mut Writer<'_>, d: &DayView) {
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
    day(w, d);
    w.raw("</td></tr>");
}

/// `m::jour`: a day's hours, and why it differs from the usual week.
fn day(w: &mut Writer<'_>, d: &DayView) {
    w.raw(if d.ouvert { "<span class=\"ouvert\">" } else { "<span class=\"ferme\">" });
    w.text(&d.texte);
    w.raw("</span>");
    if let Some(note) = truthy(&d.note) {
        w.raw(" <span class=\"note\">(");
        w.text(note);
        if let Some(motif) = truthy(&d.motif) {
            w.ta("commun.deux_points");
            w.content(motif);
        }
        w.raw(")</span>");
    }
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
fn truthy<T: std::ops::Deref<Target = str>>(x: &Option<T>) -> Option<&T> {
    x.as_ref().filter(|s| !s.is_empty())
}

/// The page being written, in the page's language.
struct Writer<'a> {
    out: String,
    tr: &'a Tr<'a>,
    /// `lang` and `dir` of content on a page in another language.
    contenu: Option<(&'a str, &'static str)>,
}

fn contenu_of<'a>(common: &Common<'a>) -> Option<(&'a str, &'static str)> {
    common.contenu.as_ref().map(|x| (x.lang, x.dir))
}

impl Writer<'_> {
    /// A link to a page of content (a point, a structure, a territory),
    /// marked with the content's language.
    fn link(&mut self, l: &Link) {
        self.raw("<a href=\"");
        self.text(&l.href);
        self.raw("\"");
        self.attrs();
        self.raw(">");
        self.text(&l.text);
        self.raw("</a>");
    }

    /// [`Writer::link`]s separated by commas.
    fn links(&mut self, ls: &[Link]) {
        for (i, l) in ls.iter().enumerate() {
            self.link(l);
            if i + 1 < ls.len() {
                self.ta("format.liste_separateur");
            }
        }
    }

    /// ` lang="…" dir="…"` of content on a page in another language
    /// (`{% if contenu %}…{% endif %}`).
    fn attrs(&mut self) {
        if let Some((lang, dir)) = self.contenu {
            self.raw(" lang=\"");
            self.text(lang);
            self.raw("\" dir=\"");
            self.text(dir);
            self.raw("\"");
        }
    }
    /// Markup, as is.
    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }
    /// Text, escaped as Tera's `{{ x }}` does with `text::html::escape_html`.
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
    fn content(&mut self, text: &str) {
        match self.contenu {
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
    /// What `m::contenu` gives as an argument of `t`: the text escaped,
    /// marked with its language on a page in another.
    fn content_html(&self, text: &str) -> Html {
        let mut w = Writer { out: String::new(), tr: self.tr, contenu: self.contenu };
        w.content(text);
        Html::trusted(w.out)
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
                self.ta("format.liste_separateur");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page goes back to Tera as soon as the theme overrides one of the
    /// templates it is made of, and only then.
    #[test]
    fn an_overridden_template_sends_its_pages_to_tera() {
        let with = |template: &str| {
            let file = (format!("t/templates/{template}"), b"{# autre #}".to_vec());
            Native::of(&Theme::assemble("t", &[file].into()))
        };
        for template in ["base.html", "macros.html", "coordination.html", "besoins_structure.html"] {
            assert!(!with(template).coordination, "{template}");
        }
        for template in ["carte.html", "guide.html", "besoins.html"] {
            assert!(with(template).coordination, "{template}");
        }
        assert!(!with("carte.html").guide);
        assert!(with("besoins_structure.html").guide);
    }
}
