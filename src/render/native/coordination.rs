//! A territory's coordination page, as `coordination.html` renders it with
//! its `grille` macro and the included `besoins_structure.html`.
//!
//! Each kind of help has its grid: a table of 7 × 24 counts and a heat map
//! of as many squares, which Tera drew through a macro call and thousands
//! of variable look-ups per page.

use unicode_segmentation::UnicodeSegmentation;

use super::{Writer, close, contacts, contenu_of, fil, main, truthy};
use crate::pages::coord::{BesoinsView, CoordinationPage, GridView, HourLabel};
use crate::render::Common;
use crate::text::i18n::Tr;

/// The arguments of the `grille` macro that every grid of a page shares.
struct Grilles<'a> {
    svg_l: &'a str,
    svg_h: &'a str,
    heures: &'a [HourLabel],
}

pub(in crate::render) fn coordination(common: &Common<'_>, c: &CoordinationPage, tr: &Tr<'_>) -> String {
    let cells: usize = 1 + c.services.len();
    let mut w = Writer { out: String::with_capacity(16 * 1024 + 12 * 1024 * cells), tr, contenu: contenu_of(common) };
    super::open_pro(&mut w, common, "coordination", &c.nom);
    fil(&mut w, common);
    w.raw("<li><a href=\"");
    w.text(common.root);
    w.raw("territoires/");
    w.text(&c.id);
    w.raw(".html\"");
    w.attrs();
    w.raw(">");
    w.text(&c.nom);
    w.raw("</a></li><li aria-current=\"page\">");
    w.t("coordination.fil");
    w.raw("</li></ol></nav>");
    main(&mut w);

    // block content
    w.raw("\n\n<h1>");
    let nom = w.content_html(&c.nom);
    w.raw(&tr.html("coordination.titre", &[("nom", &nom, true)]));
    w.raw("</h1>\n<p class=\"pro-bandeau\" role=\"note\"><strong>");
    w.t("coordination.pour_les_pros");
    w.raw("</strong> ");
    let mut lien = String::from("<a href=\"");
    crate::text::html::escape_into(&mut lien, &format!("{}territoires/{}.html", common.root, c.id));
    lien.push_str("\">");
    crate::text::html::escape_into(&mut lien, tr.text("coordination.page_du_territoire"));
    lien.push_str("</a>");
    w.raw(&tr.html("coordination.pour_les_pros_suite", &[("lien", &lien, true)]));
    w.raw("</p>\n<p class=\"chapeau\">");
    w.raw(&tr.plural_html("coordination.total", c.total, &[]));
    w.raw(" <a href=\"");
    w.text(common.root);
    w.raw("guide/");
    w.text(&c.id);
    w.raw(".html\">");
    w.t("coordination.guide_imprimable");
    w.raw("</a> — <a href=\"");
    w.text(common.root);
    w.raw("donnees/index.html\">");
    w.t("coordination.donnees_ouvertes");
    w.raw("</a>.</p>\n\n<nav class=\"sommaire\" aria-labelledby=\"titre-sommaire\">\n  <h2 id=\"titre-sommaire\">");
    w.t("coordination.sur_cette_page");
    w.raw("</h2>\n  <ul>\n");
    for (id, key) in [
        ("couverture", "coordination.couverture"),
        ("communes", "coordination.lieux_par_commune"),
        ("acces", "coordination.acces"),
        ("fraicheur", "coordination.fraicheur"),
        ("fermetures", "coordination.fermetures"),
        ("instance", "coordination.instance"),
    ] {
        w.raw("    <li><a href=\"#");
        w.raw(id);
        w.raw("\">");
        w.t(key);
        w.raw("</a></li>\n");
    }
    w.raw("  </ul>\n</nav>\n\n");

    couverture(&mut w, c);
    communes(&mut w, c);
    acces(&mut w, c);
    fraicheur(&mut w, c);
    fermetures(&mut w, c);
    instance(&mut w, c);
    close(&mut w, common);
    w.out
}

/// `<section id="couverture">`: the week's grids.
fn couverture(w: &mut Writer<'_>, c: &CoordinationPage) {
    let tr = w.tr;
    w.raw("<section id=\"couverture\" aria-labelledby=\"titre-couverture\">\n<h2 id=\"titre-couverture\">");
    w.t("coordination.couverture");
    w.raw("</h2>\n<p>");
    w.raw(&tr.html("coordination.semaine", &[("du", &c.semaine_du, false), ("au", &c.semaine_au, false)]));
    if !c.jours_remplaces.is_empty() {
        w.raw(" ");
        w.t("coordination.jours_remplaces");
        separated(w, &c.jours_remplaces);
        w.raw(".");
    }
    w.raw(" ");
    let mut lien = String::from("<a href=\"#fermetures\">");
    crate::text::html::escape_into(&mut lien, tr.text("coordination.listees_plus_bas"));
    lien.push_str("</a>");
    w.raw(&tr.html("coordination.fermetures_non_comptees", &[("lien", &lien, true)]));
    w.raw(" ");
    w.t("coordination.heure_comptee");
    w.raw(" ");
    w.raw(&tr.plural_html("coordination.semaines_lues", c.semaines, &[("au", &c.semaines_au, false)]));
    if !c.sans_horaires.is_empty() {
        w.raw(" ");
        w.raw(&tr.plural_html("coordination.sans_horaires", c.sans_horaires.len(), &[]));
    }
    if c.fins_ouvertes > 0 {
        w.raw(" ");
        w.raw(&tr.plural_html(
            "coordination.fin_ouverte",
            c.fins_ouvertes,
            &[("heure", &c.fin_ouverte.to_string(), false)],
        ));
    }
    w.raw("</p>\n\n<h3>");
    w.t("coordination.manques");
    w.raw("</h3>\n");
    if c.lacunes.is_empty() {
        w.raw("\n<p>");
        w.raw(&tr.html("coordination.aucun_manque", &[("heure", &c.soir.to_string(), false)]));
        w.raw("</p>\n");
    } else {
        w.raw("\n<ul class=\"lacunes\">");
        for l in &c.lacunes {
            w.raw("<li>");
            w.text(l);
            w.raw(".</li>");
        }
        w.raw("</ul>\n");
    }
    w.raw("\n\n");
    if !c.certaines_semaines.is_empty() {
        w.raw("\n<p>");
        w.raw(&tr.plural_html("coordination.certaines_semaines", c.certaines_semaines.len(), &[]));
        w.raw("</p>\n<ul class=\"certaines-semaines\">");
        for v in &c.certaines_semaines {
            w.raw("<li>");
            w.link(&v.lieu);
            w.raw(" — ");
            separated(w, &v.horaires);
            w.raw("</li>");
        }
        w.raw("</ul>\n");
    }
    w.raw("\n");
    if !c.sans_horaires.is_empty() {
        w.raw("<p class=\"horaires-inconnus\">");
        w.t("coordination.horaires_inconnus");
        w.raw(" ");
        w.links(&c.sans_horaires);
        w.raw(".</p>");
    }
    w.raw("\n\n<h3>");
    w.t("coordination.toutes_les_aides");
    w.raw("</h3>\n");
    let (svg_l, svg_h) = (c.svg_largeur.to_string(), c.svg_hauteur.to_string());
    let grilles = Grilles { svg_l: &svg_l, svg_h: &svg_h, heures: &c.heures };
    grille(w, &c.grille, "toutes", tr.text("coordination.toutes_les_aides"), &grilles);
    w.raw("\n\n<h3>");
    w.t("coordination.par_type");
    w.raw("</h3>\n");
    for s in &c.services {
        w.raw("\n<details class=\"type-aide\">\n  <summary>");
        w.label(&s.service);
        w.raw(" (");
        w.raw(&tr.plural_html("coordination.nombre_lieux", s.lieux, &[]));
        if s.sans_horaires > 0 {
            w.ta("format.liste_separateur");
            w.raw(&tr.plural_html("coordination.dont_horaires_inconnus", s.sans_horaires, &[]));
        }
        w.raw(")</summary>\n  ");
        grille(w, &s.grille, s.service.value, &s.service.label, &grilles);
        w.raw("\n</details>\n");
    }
    w.raw("\n</section>\n\n");
}

/// The `grille` macro: a grid's table, and the same counts as a heat map.
fn grille(w: &mut Writer<'_>, g: &GridView, id: &str, titre: &str, a: &Grilles<'_>) {
    let tr = w.tr;
    w.raw("\n<div class=\"grille-bloc\">\n<div class=\"defilement\" role=\"region\" aria-labelledby=\"legende-");
    w.text(id);
    w.raw("\" tabindex=\"0\">\n<table class=\"grille\">\n  <caption id=\"legende-");
    w.text(id);
    w.raw("\">");
    w.raw(&tr.html("coordination.grille_legende", &[("titre", titre, false)]));
    w.raw("</caption>\n  <thead><tr><th scope=\"col\">");
    w.t("coordination.jour");
    w.raw("</th>");
    for x in a.heures {
        w.raw("<th scope=\"col\"><abbr title=\"");
        w.text(&x.titre);
        w.raw("\">");
        w.raw(&x.h.to_string());
        w.raw("</abbr></th>");
    }
    w.raw("</tr></thead>\n  <tbody>\n  ");
    for r in &g.lignes {
        w.raw("\n    <tr><th scope=\"row\">");
        w.text(&r.jour);
        w.raw("</th>");
        for n in &r.cellules {
            w.raw(if *n == 0 { "<td class=\"vide\">" } else { "<td>" });
            w.raw(&n.to_string());
            w.raw("</td>");
        }
        w.raw("</tr>\n  ");
    }
    w.raw("\n  </tbody>\n</table>\n</div>\n<figure class=\"graphique\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    w.text(a.svg_l);
    w.raw(" ");
    w.text(a.svg_h);
    w.raw("\" width=\"");
    w.text(a.svg_l);
    w.raw("\" height=\"");
    w.text(a.svg_h);
    w.raw("\" role=\"img\" aria-labelledby=\"svg-titre-");
    w.text(id);
    w.raw("\">\n  <title id=\"svg-titre-");
    w.text(id);
    w.raw("\">");
    w.text(&tr.format("coordination.grille_svg", &[("titre", titre)]));
    w.raw("</title>\n  ");
    for x in a.heures.iter().filter(|x| x.h % 3 == 0) {
        w.raw("<text x=\"");
        w.raw(&(82 + x.h * 18 + 9).to_string());
        w.raw("\" y=\"12\" text-anchor=\"middle\" font-size=\"10\" fill=\"#1b1b1b\">");
        w.text(&x.court);
        w.raw("</text>");
    }
    w.raw("\n  ");
    for (i, r) in g.lignes.iter().enumerate() {
        w.raw("<text x=\"76\" y=\"");
        w.raw(&(18 + i * 18 + 13).to_string());
        w.raw("\" text-anchor=\"end\" font-size=\"11\" fill=\"#1b1b1b\">");
        w.text(&r.jour);
        w.raw("</text>\n  <rect x=\"82\" y=\"");
        w.raw(&(18 + i * 18).to_string());
        w.raw("\" width=\"432\" height=\"18\" fill=\"#f5f5f5\" stroke=\"#c8c8c8\" stroke-width=\"0.5\"/>");
    }
    w.raw("\n  ");
    for s in &g.svg {
        w.raw("<rect x=\"");
        w.raw(&s.x.to_string());
        w.raw("\" y=\"");
        w.raw(&s.y.to_string());
        w.raw("\" width=\"18\" height=\"18\" fill=\"#0b5394\" fill-opacity=\"");
        w.text(&s.opacite);
        w.raw("\"><title>");
        w.text(&s.titre);
        w.raw("</title></rect>");
    }
    w.raw("\n</svg>\n<figcaption>");
    w.raw(&tr.html("coordination.grille_explication", &[("max", &g.max.to_string(), false)]));
    w.raw("</figcaption>\n</figure>\n</div>\n");
}

/// `<section id="communes">`: points by commune.
fn communes(w: &mut Writer<'_>, c: &CoordinationPage) {
    let tr = w.tr;
    w.raw("<section id=\"communes\" aria-labelledby=\"titre-communes\">\n<h2 id=\"titre-communes\">");
    w.t("coordination.lieux_par_commune");
    w.raw("</h2>\n");
    if c.perimetres_communes {
        w.raw("\n");
        if c.communes_sans_lieu.is_empty() {
            w.raw("\n<p>");
            w.t("coordination.chaque_commune");
            w.raw("</p>\n");
        } else {
            w.raw("\n<p><strong>");
            w.raw(&tr.plural_html("coordination.communes_sans_lieu", c.communes_sans_lieu.len(), &[]));
            w.raw("</strong> ");
            w.content(&c.communes_sans_lieu.join(tr.text("format.liste_separateur")));
            w.raw(".</p>\n");
        }
        w.raw("\n<p class=\"discret\">");
        w.t("coordination.comptage_perimetre");
        w.raw("</p>\n");
    } else {
        w.raw("\n<p class=\"discret\">");
        w.raw(&tr.html("coordination.sans_perimetres", &[("cle", "<code>communes</code>", true)]));
        w.raw("</p>\n");
    }
    w.raw("\n<table class=\"tableau\">\n  <caption>");
    w.t("coordination.table_communes");
    w.raw("</caption>\n  <thead><tr><th scope=\"col\">");
    w.t("coordination.commune");
    w.raw("</th><th scope=\"col\">");
    w.t("coordination.lieux");
    w.raw("</th><th scope=\"col\">");
    w.t("coordination.noms");
    w.raw("</th></tr></thead>\n  <tbody>\n  ");
    for k in &c.communes {
        w.raw(if k.nombre == 0 { "\n    <tr class=\"manque\">" } else { "\n    <tr>" });
        w.raw("<th scope=\"row\">");
        w.content(&k.nom);
        if let Some(code) = truthy(&k.code) {
            w.raw(" <span class=\"discret\">(");
            w.text(code);
            w.raw(")</span>");
        }
        w.raw("</th><td>");
        w.raw(&k.nombre.to_string());
        w.raw("</td><td>");
        w.links(&k.lieux);
        if k.autres > 0 {
            w.raw(&tr.plural_html("coordination.et_autres", k.autres, &[]));
        }
        w.raw("</td></tr>\n  ");
    }
    w.raw("\n  </tbody>\n</table>\n");
    if !c.hors_communes.is_empty() {
        w.raw("<p>");
        w.t("coordination.hors_communes");
        w.links(&c.hors_communes);
        if c.hors_communes_autres > 0 {
            w.raw(&tr.plural_html("coordination.et_autres", c.hors_communes_autres, &[]));
        }
        w.raw(".</p>");
    }
    w.raw("\n</section>\n\n");
}

/// `<section id="acces">`: shares of the points, as a table and bars.
fn acces(w: &mut Writer<'_>, c: &CoordinationPage) {
    let tr = w.tr;
    w.raw("<section id=\"acces\" aria-labelledby=\"titre-acces\">\n<h2 id=\"titre-acces\">");
    w.t("coordination.acces");
    w.raw("</h2>\n<div class=\"grille-bloc\">\n<table class=\"tableau\">\n  <caption>");
    w.raw(&tr.plural_html("coordination.table_parts", c.total, &[]));
    w.raw("</caption>\n  <thead><tr><th scope=\"col\">");
    w.t("coordination.lieux");
    w.raw("</th><th scope=\"col\">");
    w.t("coordination.nombre");
    w.raw("</th><th scope=\"col\">");
    w.t("coordination.part");
    w.raw("</th></tr></thead>\n  <tbody>\n  ");
    for x in &c.chiffres {
        w.raw("<tr><th scope=\"row\">");
        w.text(&x.libelle);
        w.raw("</th><td>");
        w.raw(&x.nombre.to_string());
        w.raw("</td><td>");
        w.text(&x.pourcent);
        w.raw("</td></tr>");
    }
    // One bar every 28 units, 4 above the first (the template sets
    // `barres` first: Tera reads `x | length * 28 + 4` as
    // `x | length * (28 + 4)`).
    let hauteur = (c.chiffres.len() * 28 + 4).to_string();
    w.raw("\n  </tbody>\n</table>\n<figure class=\"graphique\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 460 ");
    w.raw(&hauteur);
    w.raw("\" width=\"460\" height=\"");
    w.raw(&hauteur);
    w.raw("\" role=\"img\" aria-labelledby=\"svg-titre-parts\">\n  <title id=\"svg-titre-parts\">");
    w.ta("coordination.parts_svg");
    w.raw("</title>\n  ");
    for (i, x) in c.chiffres.iter().enumerate() {
        let (texte, barre) = ((i * 28 + 17).to_string(), (i * 28 + 4).to_string());
        w.raw("<text x=\"0\" y=\"");
        w.raw(&texte);
        w.raw("\" font-size=\"11\" fill=\"#1b1b1b\">");
        w.text(&truncate(&x.libelle, 30));
        w.raw("</text>\n  <rect x=\"200\" y=\"");
        w.raw(&barre);
        w.raw("\" width=\"200\" height=\"18\" fill=\"#f5f5f5\" stroke=\"#c8c8c8\" stroke-width=\"0.5\"/>\n  <rect x=\"200\" y=\"");
        w.raw(&barre);
        w.raw("\" width=\"");
        w.raw(&x.largeur.to_string());
        w.raw("\" height=\"18\" fill=\"#0b5394\"/>\n  <text x=\"406\" y=\"");
        w.raw(&texte);
        w.raw("\" font-size=\"11\" fill=\"#1b1b1b\">");
        w.text(&x.pourcent);
        w.raw("</text>");
    }
    w.raw("\n</svg>\n</figure>\n</div>\n<p class=\"discret\">");
    w.t("coordination.sans_orientation_explication");
    if c.pmr_non_renseigne > 0 {
        w.raw(" ");
        w.raw(&tr.plural_html("coordination.pmr_non_renseigne", c.pmr_non_renseigne, &[]));
    }
    w.raw("</p>\n</section>\n\n");
}

/// `<section id="fraicheur">`: points to check, and whom to ask.
fn fraicheur(w: &mut Writer<'_>, c: &CoordinationPage) {
    let tr = w.tr;
    w.raw("<section id=\"fraicheur\" aria-labelledby=\"titre-fraicheur\">\n<h2 id=\"titre-fraicheur\">");
    w.t("coordination.fraicheur");
    w.raw("</h2>\n<p>");
    let (total, mois) = (c.total.to_string(), c.frequence_site.to_string());
    let args = [("total", total.as_str(), false), ("pourcent", &c.a_jour_pourcent, false), ("mois", &mois, false)];
    w.raw(&tr.plural_html("coordination.a_jour", c.a_jour, &args));
    w.raw("</p>\n");
    if c.en_retard.is_empty() {
        w.raw("\n<p>");
        w.t("coordination.aucun_retard");
        w.raw("</p>\n");
    } else {
        w.raw("\n<table class=\"tableau\">\n  <caption>");
        w.t("coordination.table_retard");
        w.raw("</caption>\n  <thead><tr><th scope=\"col\">");
        w.t("coordination.lieu");
        w.raw("</th><th scope=\"col\">");
        w.t("coordination.verifie_le");
        w.raw("</th><th scope=\"col\">");
        w.t("coordination.delai");
        w.raw("</th><th scope=\"col\">");
        w.t("coordination.structure_a_contacter");
        w.raw("</th></tr></thead>\n  <tbody>\n  ");
        for r in &c.en_retard {
            w.raw("\n    <tr><th scope=\"row\">");
            w.link(&r.lieu);
            w.raw("</th><td>");
            w.text(&r.date_maj);
            w.raw("</td><td>");
            w.raw(&tr.plural_html("coordination.mois", r.frequence_mois as usize, &[]));
            w.raw("</td><td>");
            if let Some(s) = &r.structure {
                w.link(s);
            }
            if let Some(tel) = &r.telephone {
                w.raw("<br><a href=\"");
                w.text(&tel.href);
                w.raw("\" dir=\"ltr\">");
                w.text(&tel.text);
                w.raw("</a>");
            }
            if let Some(courriel) = truthy(&r.courriel) {
                w.raw("<br><a href=\"mailto:");
                w.text(courriel);
                w.raw("\" dir=\"ltr\">");
                w.text(courriel);
                w.raw("</a>");
            }
            w.raw("</td></tr>\n  ");
        }
        w.raw("\n  </tbody>\n</table>\n");
    }
    w.raw("\n</section>\n\n");
}

/// `<section id="fermetures">`: closures of the coming week, and the next
/// public holiday.
fn fermetures(w: &mut Writer<'_>, c: &CoordinationPage) {
    let tr = w.tr;
    w.raw("<section id=\"fermetures\" aria-labelledby=\"titre-fermetures\">\n<h2 id=\"titre-fermetures\">");
    w.t("coordination.fermetures");
    w.raw("</h2>\n");
    if c.fermetures.is_empty() {
        w.raw("\n<p>");
        w.t("coordination.aucune_fermeture");
        w.raw("</p>\n");
    } else {
        w.raw("\n<h3>");
        w.t("coordination.fermetures_7_jours");
        w.raw("</h3>\n<ul>");
        for f in &c.fermetures {
            w.raw("<li>");
            w.link(&f.lieu);
            w.raw(&tr.html("coordination.ferme_du_au", &[("du", &f.du, false), ("au", &f.au, false)]));
            if let Some(motif) = truthy(&f.motif) {
                w.raw(" (");
                w.content(motif);
                w.raw(")");
            }
            w.raw("</li>");
        }
        w.raw("</ul>\n");
    }
    w.raw("\n");
    if let Some(f) = &c.ferie {
        w.raw("\n<p>");
        let ordinaire = f.ouverts_jour_ordinaire.to_string();
        let args = [("date", f.date.as_str(), false), ("ordinaire", &ordinaire, false)];
        w.raw(&tr.plural_html("coordination.ferie", f.ouverts, &args));
        w.raw("</p>\n");
    }
    w.raw("\n</section>\n\n");
}

/// `<section id="instance">`: the coordination body and the structures'
/// needs.
fn instance(w: &mut Writer<'_>, c: &CoordinationPage) {
    let tr = w.tr;
    w.raw("<section id=\"instance\" aria-labelledby=\"titre-instance\">\n<h2 id=\"titre-instance\">");
    w.t("coordination.instance");
    w.raw("</h2>\n");
    match &c.coordination {
        Some(k) => {
            w.raw("\n<h3");
            w.attrs();
            w.raw(">");
            w.text(&k.nom);
            w.raw("</h3>\n");
            if let Some(html) = truthy(&k.presentation_html) {
                w.raw("<div class=\"texte\"");
                w.attrs();
                w.raw(">");
                w.raw(html);
                w.raw("</div>");
            }
            w.raw("\n<ul class=\"contacts\">\n  ");
            contacts(w, &k.telephone, &k.courriel, &k.site_web);
            w.raw("\n</ul>\n");
            if !k.membres.is_empty() {
                w.raw("<h4>");
                w.t("commun.structures_membres");
                w.raw("</h4>\n<ul>");
                for s in &k.membres {
                    w.raw("<li>");
                    w.link(s);
                    w.raw("</li>");
                }
                w.raw("</ul>");
            }
            w.raw("\n");
        }
        None => {
            w.raw("\n<p>");
            w.raw(&tr.html("coordination.sans_instance", &[("section", "<code>[coordination]</code>", true)]));
            w.raw("</p>\n");
        }
    }
    w.raw("\n<h3>");
    w.t("coordination.besoins");
    w.raw("</h3>\n");
    if c.besoins.is_empty() {
        w.raw("\n<p>");
        w.raw(&tr.html("coordination.sans_besoins", &[("section", "<code>[besoins]</code>", true)]));
        w.raw("</p>\n");
    } else {
        w.raw("\n");
        for b in &c.besoins {
            besoins(w, b, 4);
        }
        w.raw("\n");
    }
    w.raw("\n</section>\n");
}

/// `besoins_structure.html`: a structure's needs under a heading of level
/// `niveau`.
fn besoins(w: &mut Writer<'_>, b: &BesoinsView, niveau: u8) {
    let h = niveau.to_string();
    w.raw("<article class=\"besoin\">\n  <h");
    w.raw(&h);
    w.raw(">");
    w.link(&b.structure);
    w.raw("</h");
    w.raw(&h);
    w.raw(">\n  <ul>\n    ");
    if b.benevoles {
        w.raw("<li><strong>");
        w.t("besoins.cherche_benevoles");
        w.raw("</strong>");
        if let Some(html) = truthy(&b.benevoles_html) {
            w.raw("<div class=\"texte\"");
            w.attrs();
            w.raw(">");
            w.raw(html);
            w.raw("</div>");
        }
        w.raw("</li>");
    }
    w.raw("\n    ");
    let dons_html = truthy(&b.dons_html);
    if !b.dons.is_empty() || dons_html.is_some() {
        w.raw("<li><strong>");
        w.t("besoins.accepte_dons");
        w.raw("</strong>");
        if !b.dons.is_empty() {
            w.t("commun.deux_points");
            w.labels(&b.dons);
        }
        w.raw(".");
        if let Some(html) = dons_html {
            w.raw("<div class=\"texte\"");
            w.attrs();
            w.raw(">");
            w.raw(html);
            w.raw("</div>");
        }
        w.raw("</li>");
    }
    w.raw("\n  </ul>\n  ");
    let (courriel, site_web) = (truthy(&b.courriel), truthy(&b.site_web));
    if b.telephone.is_some() || courriel.is_some() || site_web.is_some() {
        w.raw("<p class=\"discret\">");
        w.t("commun.contact");
        w.t("commun.deux_points_fin");
        if let Some(tel) = &b.telephone {
            w.raw(" <a href=\"");
            w.text(&tel.href);
            w.raw("\" dir=\"ltr\">");
            w.text(&tel.text);
            w.raw("</a>");
        }
        if let Some(courriel) = courriel {
            if b.telephone.is_some() {
                w.raw(" —");
            }
            w.raw(" <a href=\"mailto:");
            w.text(courriel);
            w.raw("\" dir=\"ltr\">");
            w.text(courriel);
            w.raw("</a>");
        }
        if let Some(site_web) = site_web {
            if b.telephone.is_some() || courriel.is_some() {
                w.raw(" —");
            }
            w.raw(" <a href=\"");
            w.text(site_web);
            w.raw("\" rel=\"noopener noreferrer\" dir=\"ltr\">");
            w.text(site_web);
            w.raw("</a>");
        }
        w.raw("</p>");
    }
    w.raw("\n</article>\n");
}

/// Texts separated by `format.conditions_separateur`.
fn separated(w: &mut Writer<'_>, xs: &[String]) {
    for (i, x) in xs.iter().enumerate() {
        w.text(x);
        if i + 1 < xs.len() {
            w.ta("format.conditions_separateur");
        }
    }
}

/// Tera's `truncate(length=…)`: the first `length` grapheme clusters and
/// « … » when there are more.
fn truncate(s: &str, length: usize) -> std::borrow::Cow<'_, str> {
    match s.grapheme_indices(true).nth(length) {
        Some((i, _)) => format!("{}…", &s[..i]).into(),
        None => s.into(),
    }
}
