//! View structs: what templates see.
//!
//! Kept apart from the model so that templates get ready-to-print values
//! (labels, hours and dates in the page's language, relative links) and the
//! model stays free of presentation. Every field here is plain data; escaping is
//! the template engine's job, except for `*_html` fields, which hold
//! sanitised Markdown.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::model::hours::Day;
use crate::model::vocab::{self, Vocabulary};
use crate::model::{Lieu, Site, Structure, Territoire, Traduction};
use crate::site::index::{self, Index, LISTE_MAX};
use crate::site::urls;
use crate::text::format::phone_link;
use crate::text::html::Html;
use crate::text::i18n::Tr;
use crate::text::markdown;

/// A vocabulary value and its label in the page's language; `lang` is
/// `Some("fr")` when the language has no label for it and French shows.
#[derive(Serialize)]
pub(crate) struct Label {
    pub value: &'static str,
    pub label: String,
    /// Left out when absent (nearly always): templates test it with `if`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<&'static str>,
}

pub(crate) fn label<T: Vocabulary>(v: T, tr: &Tr<'_>) -> Label {
    Label { value: v.value(), label: tr.label(v).to_string(), lang: tr.lang_of(v.key()) }
}

pub(crate) fn labels<T: Vocabulary>(items: &[T], tr: &Tr<'_>) -> Vec<Label> {
    items.iter().map(|v| label(*v, tr)).collect()
}

#[derive(Debug, Serialize)]
pub(crate) struct Link {
    pub href: String,
    pub text: String,
}

#[derive(Serialize)]
pub(crate) struct Phone {
    pub text: String,
    pub href: String,
}

fn phone(p: &Option<String>) -> Option<Phone> {
    let text = p.as_ref()?;
    Some(Phone { text: text.clone(), href: format!("tel:{}", phone_link(text)?) })
}

/// One day in a point's hours.
#[derive(Clone, Serialize)]
pub(crate) struct DayView {
    pub jour: String,
    pub date: String,
    pub iso: String,
    /// The open periods ("9 h – 12 h, 14 h – 17 h"), or why there are none.
    pub texte: String,
    pub ouvert: bool,
    pub aujourdhui: bool,
    pub note: Option<String>,
    /// The reason of a temporary closure, as the volunteer wrote it.
    pub motif: Option<String>,
}

pub(crate) fn day_view(d: &Day, today: NaiveDate, tr: &Tr<'_>) -> DayView {
    let texte = if d.fermeture.is_some() {
        tr.text("jour.ferme").to_string()
    } else if d.periodes.is_empty() {
        tr.text(if d.incertain { "jour.a_confirmer" } else { "jour.ferme" }).to_string()
    } else {
        let periods: Vec<String> = d.periodes.iter().map(|p| tr.periode(*p)).collect();
        periods.join(tr.text("format.periodes_separateur"))
    };
    let note = match (&d.fermeture, d.ferie) {
        (Some(_), _) => Some(tr.text("jour.fermeture_exceptionnelle").to_string()),
        (None, true) => Some(tr.text("jour.ferie").to_string()),
        (None, false) if d.incertain && !d.periodes.is_empty() => {
            Some(tr.text("jour.en_partie_a_confirmer").to_string())
        }
        _ => None,
    };
    DayView {
        jour: tr.day(d.date.weekday()).to_string(),
        date: tr.day_month(d.date),
        iso: crate::text::format::iso_date(d.date),
        texte,
        ouvert: !d.periodes.is_empty() && d.fermeture.is_none(),
        aujourdhui: d.date == today,
        note,
        motif: d.fermeture.clone().filter(|m| !m.is_empty()),
    }
}

/// The seven days starting with `today`.
fn week(l: &Lieu, today: NaiveDate, tr: &Tr<'_>) -> Option<Vec<DayView>> {
    let h = l.horaires.as_ref()?;
    Some(today.iter_days().take(7).map(|date| day_view(&h.day(date, &l.fermetures), today, tr)).collect())
}

/// A point as shown in a list: enough to decide whether to go.
#[derive(Serialize)]
pub(crate) struct LieuCard {
    pub id: String,
    pub href: String,
    pub nom: String,
    pub structure: String,
    pub services: Vec<Label>,
    pub adresse: String,
    pub commune: String,
    pub aujourdhui: Option<DayView>,
    /// Beyond the coming week: « jusqu’au 31 mars », « reprise le 15
    /// octobre » ([`crate::model::hours::Saison`]).
    pub saison: Option<String>,
    pub acces: Vec<Label>,
    pub frais: Label,
    pub justificatifs: bool,
    pub latitude: f64,
    pub longitude: f64,
    /// The number to call: the point's, else its structure's.
    pub appel: Option<Phone>,
    /// Directions to the point on OpenStreetMap.
    pub itineraire: String,
}

pub(crate) fn lieu_card(site: &Site, l: &Lieu, today: NaiveDate, root: &str, tr: &Tr<'_>) -> LieuCard {
    let aujourdhui = l.horaires.as_ref().map(|h| day_view(&h.day(today, &l.fermetures), today, tr));
    card_with(site, l, root, tr, aujourdhui, today)
}

/// A point's season on `today` in the words of `keys` (`carte_lieu` or
/// `lieu`), temporary closures included.
fn saison(l: &Lieu, today: NaiveDate, keys: &str, tr: &Tr<'_>) -> Option<String> {
    let s = l.horaires.as_ref()?.saison(today, &l.fermetures)?;
    Some(crate::pages::wording::season(s, keys, tr))
}

/// [`lieu_card`] with today's hours already made.
fn card_with(
    site: &Site,
    l: &Lieu,
    root: &str,
    tr: &Tr<'_>,
    aujourdhui: Option<DayView>,
    today: NaiveDate,
) -> LieuCard {
    LieuCard {
        id: l.id.clone(),
        href: urls::lieu(root, &l.id),
        nom: l.nom.clone(),
        structure: site.structure(&l.structure).map(|s| s.nom.clone()).unwrap_or_default(),
        services: labels(&l.services, tr),
        adresse: address_line(l),
        commune: l.adresse.commune.clone(),
        aujourdhui,
        saison: saison(l, today, "carte_lieu", tr),
        acces: labels(&l.acces, tr),
        frais: label(l.frais, tr),
        justificatifs: !l.justificatifs.is_empty(),
        latitude: l.latitude,
        longitude: l.longitude,
        appel: phone(&l.telephone).or_else(|| site.structure(&l.structure).and_then(|s| phone(&s.telephone))),
        itineraire: format!(
            "https://www.openstreetmap.org/directions?route=%3B{:.6}%2C{:.6}#map=17/{:.6}/{:.6}",
            l.latitude, l.longitude, l.latitude, l.longitude
        ),
    }
}

fn address_line(l: &Lieu) -> String {
    let a = &l.adresse;
    match &a.complement_adresse {
        Some(c) => format!("{}, {}, {} {}", a.adresse, c, a.code_postal, a.commune),
        None => format!("{}, {} {}", a.adresse, a.code_postal, a.commune),
    }
}

#[derive(Serialize)]
pub(crate) struct Closure {
    pub du: String,
    pub au: String,
    pub motif: Option<String>,
    pub en_cours: bool,
}

/// Everything about one point.
#[derive(Serialize)]
pub(crate) struct LieuPage {
    #[serde(flatten)]
    pub card: LieuCard,
    pub complement_adresse: Option<String>,
    pub rue: String,
    pub code_postal: String,
    pub structure_href: Option<String>,
    pub semaine: Option<Vec<DayView>>,
    /// Beyond the week shown, as a sentence.
    pub saison_texte: Option<String>,
    pub horaires_texte: Option<String>,
    pub fermetures: Vec<Closure>,
    pub conditions_acces: Option<String>,
    pub conditions_acces_lang: Option<String>,
    pub justificatifs_liste: Vec<String>,
    pub justificatifs_lang: Option<String>,
    pub frais_precisions: Option<String>,
    pub frais_precisions_lang: Option<String>,
    pub publics: Vec<Label>,
    pub publics_precisions: Option<String>,
    pub publics_precisions_lang: Option<String>,
    pub langues: Vec<Link>,
    pub accessibilite_pmr: Option<bool>,
    pub regimes: Vec<Label>,
    pub telephone: Option<Phone>,
    pub courriel: Option<String>,
    pub site_web: Option<String>,
    pub description_html: Option<Html>,
    /// `lang` of the description when it is not in the page's language.
    pub description_lang: Option<String>,
    pub date_maj: String,
    pub date_maj_iso: String,
    /// « Informations vérifiées le … » with its `<time>` (`Tr::html`).
    pub verifie_le_html: Html,
    pub a_verifier: bool,
    pub geo: String,
    /// The page of the point's commune.
    pub commune_href: Option<String>,
    pub territoires: Vec<Link>,
}

/// A free text of a point in the page's language when the point has it
/// translated, else as written, with the `lang` of the content when that
/// differs from the page's.
pub(crate) fn in_language<T: Clone>(
    l: &Lieu,
    tr: &Tr<'_>,
    original: &Option<T>,
    translated: impl Fn(&Traduction) -> &Option<T>,
) -> (Option<T>, Option<String>) {
    if let Some(t) = l.traductions.get(tr.code()).and_then(|t| translated(t).as_ref()) {
        return (Some(t.clone()), None);
    }
    let lang = original.as_ref().and_then(|_| tr.contenu_lang()).map(String::from);
    (original.clone(), lang)
}

/// A point's page; `commune_slug` is its commune page's (the index's).
pub(crate) fn lieu_page(
    site: &Site,
    l: &Lieu,
    commune_slug: Option<&str>,
    today: NaiveDate,
    root: &str,
    tr: &Tr<'_>,
) -> LieuPage {
    let a_verifier = !l.a_jour(site.config.frequence_maj_mois, today);
    let date_maj_iso = crate::text::format::iso_date(l.date_maj);
    let (description, description_lang) = in_language(l, tr, &l.description, |t| &t.description);
    let (conditions_acces, conditions_acces_lang) = in_language(l, tr, &l.conditions_acces, |t| &t.conditions_acces);
    let (frais_precisions, frais_precisions_lang) = in_language(l, tr, &l.frais_precisions, |t| &t.frais_precisions);
    let (publics_precisions, publics_precisions_lang) =
        in_language(l, tr, &l.publics_precisions, |t| &t.publics_precisions);
    let written = (!l.justificatifs.is_empty()).then(|| l.justificatifs.clone());
    let (justificatifs, justificatifs_lang) = in_language(l, tr, &written, |t| &t.justificatifs);
    // Today's hours are the first of the week's.
    let semaine = week(l, today, tr);
    let aujourdhui = semaine.as_ref().and_then(|w| w.first().cloned());
    LieuPage {
        card: card_with(site, l, root, tr, aujourdhui, today),
        complement_adresse: l.adresse.complement_adresse.clone(),
        rue: l.adresse.adresse.clone(),
        code_postal: l.adresse.code_postal.clone(),
        structure_href: site.structure(&l.structure).map(|s| urls::structure(root, &s.id)),
        semaine,
        saison_texte: saison(l, today, "lieu", tr),
        horaires_texte: l.horaires.as_ref().map(|h| h.texte.clone()),
        fermetures: l
            .fermetures
            .iter()
            .filter(|f| f.au >= today)
            .map(|f| Closure {
                du: tr.date_long(f.du),
                au: tr.date_long(f.au),
                motif: f.motif.clone(),
                en_cours: f.contains(today),
            })
            .collect(),
        conditions_acces,
        conditions_acces_lang,
        justificatifs_liste: justificatifs.unwrap_or_default(),
        justificatifs_lang,
        frais_precisions,
        frais_precisions_lang,
        publics: labels(&l.publics, tr),
        publics_precisions,
        publics_precisions_lang,
        langues: l
            .langues
            .iter()
            .map(|c| Link { href: c.clone(), text: vocab::langue_label(c).unwrap_or(c).to_string() })
            .collect(),
        accessibilite_pmr: l.accessibilite_pmr,
        regimes: labels(&l.regimes, tr),
        telephone: phone(&l.telephone),
        courriel: l.courriel.clone(),
        site_web: l.site_web.clone(),
        description_html: description.as_deref().map(|d| markdown::render(d, 3)),
        description_lang,
        date_maj: tr.date(l.date_maj),
        verifie_le_html: {
            let time = format!(
                "<time datetime=\"{}\">{}</time>",
                date_maj_iso,
                crate::text::html::escape_html(&tr.date(l.date_maj))
            );
            tr.html("lieu.verifie_le", &[("date", &time, true)])
        },
        date_maj_iso,
        a_verifier,
        geo: format!("geo:{:.6},{:.6}", l.latitude, l.longitude),
        commune_href: commune_slug.map(|slug| urls::commune(root, slug)),
        territoires: l
            .territoires
            .iter()
            .filter_map(|id| site.territoire(id))
            .map(|t| Link { href: urls::territoire(root, &t.id), text: t.nom.clone() })
            .collect(),
    }
}

/// The points of one kind of help, on a territory's or a commune's page:
/// every card, or on a summed-up territory page (see [`LISTE_MAX`]) the
/// communes that have this kind of help.
#[derive(Serialize)]
pub(crate) struct ServiceGroup {
    #[serde(flatten)]
    pub service: Label,
    pub nombre: usize,
    pub lieux: Vec<LieuCard>,
    pub communes: Vec<CommuneCount>,
}

/// A commune on a summed-up territory page, with a link to its page (to
/// one kind of help on it when listed under that kind).
#[derive(Serialize)]
pub(crate) struct CommuneCount {
    pub nom: String,
    pub href: String,
    pub nombre: usize,
}

/// The points of each kind of help, in the order of the vocabulary, each
/// group sorted by `order`; a point with several kinds is in each.
fn by_service<'l>(
    lieux: &[&'l Lieu],
    order: impl Fn(&&Lieu, &&Lieu) -> std::cmp::Ordering,
) -> Vec<(vocab::Service, Vec<&'l Lieu>)> {
    vocab::Service::ALL
        .iter()
        .filter_map(|s| {
            let mut in_group: Vec<&Lieu> = lieux.iter().copied().filter(|l| l.services.contains(s)).collect();
            in_group.sort_by(&order);
            (!in_group.is_empty()).then_some((*s, in_group))
        })
        .collect()
}

/// Points grouped by kind of help, each with its card.
pub(crate) fn service_groups(
    site: &Site,
    lieux: &[&Lieu],
    today: NaiveDate,
    root: &str,
    tr: &Tr<'_>,
) -> Vec<ServiceGroup> {
    by_service(lieux, |a, b| (&a.adresse.commune, &a.nom, &a.id).cmp(&(&b.adresse.commune, &b.nom, &b.id)))
        .into_iter()
        .map(|(s, in_group)| ServiceGroup {
            service: label(s, tr),
            nombre: in_group.len(),
            lieux: in_group.into_iter().map(|l| lieu_card(site, l, today, root, tr)).collect(),
            communes: Vec::new(),
        })
        .collect()
}

#[derive(Serialize)]
pub(crate) struct CoordinationView {
    pub nom: String,
    pub presentation_html: Option<Html>,
    pub courriel: Option<String>,
    pub telephone: Option<Phone>,
    pub site_web: Option<String>,
    pub membres: Vec<Link>,
}

#[derive(Serialize)]
pub(crate) struct TerritoirePage {
    pub id: String,
    pub nom: String,
    pub type_label: Label,
    pub presentation_html: Option<Html>,
    pub coordination: Option<CoordinationView>,
    pub nombre_lieux: usize,
    pub communes: Vec<String>,
    pub groupes: Vec<ServiceGroup>,
    /// Whether the page sums its points up (more than [`LISTE_MAX`]):
    /// `groupes` then list communes, not cards.
    pub resume: bool,
    /// Every commune of the territory's points, with its number of points,
    /// linked to its page.
    pub par_commune: Vec<CommuneCount>,
}

/// A territory's page. `commune_slug` gives the page of a point's commune
/// (`communes/<slug>.html`), for summed-up pages.
pub(crate) fn territoire_page<'s>(
    site: &'s Site,
    t: &Territoire,
    lieux: &[&'s Lieu],
    today: NaiveDate,
    root: &str,
    tr: &Tr<'_>,
    commune_slug: &dyn Fn(&Lieu) -> Option<&'s str>,
) -> TerritoirePage {
    let mut communes: Vec<String> = lieux.iter().map(|l| l.adresse.commune.clone()).collect();
    communes.sort();
    communes.dedup();
    let resume = lieux.len() > LISTE_MAX;
    let (groupes, par_commune) = if resume {
        let groupes = by_service(lieux, |a, b| a.id.cmp(&b.id))
            .into_iter()
            .map(|(s, in_group)| ServiceGroup {
                service: label(s, tr),
                nombre: in_group.len(),
                lieux: Vec::new(),
                communes: commune_counts(&in_group, commune_slug, &|slug| {
                    format!("{}#aide-{}", urls::commune(root, slug), s.value())
                }),
            })
            .collect();
        (groupes, commune_counts(lieux, commune_slug, &|slug| urls::commune(root, slug)))
    } else {
        (
            service_groups(site, lieux, today, root, tr),
            commune_counts(lieux, commune_slug, &|slug| urls::commune(root, slug)),
        )
    };
    TerritoirePage {
        id: t.id.clone(),
        nom: t.nom.clone(),
        type_label: label(t.type_, tr),
        presentation_html: t.presentation.as_deref().map(|p| markdown::render(p, 2)),
        coordination: coordination_view(site, t, root),
        nombre_lieux: lieux.len(),
        communes,
        groupes,
        resume,
        par_commune,
    }
}

/// The communes of `lieux` with their number of points, alphabetical.
/// Communes are told apart by their page's slug (`commune_slug`: two
/// communes of the same name in different départements have different
/// pages), and `href` links a slug to what the count leads to.
pub(crate) fn commune_counts<'s>(
    lieux: &[&'s Lieu],
    commune_slug: &dyn Fn(&Lieu) -> Option<&'s str>,
    href: &dyn Fn(&str) -> String,
) -> Vec<CommuneCount> {
    let mut by_slug: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    for l in lieux {
        if let Some(slug) = commune_slug(l) {
            by_slug.entry(slug).or_insert((&l.adresse.commune, 0)).1 += 1;
        }
    }
    let mut out: Vec<CommuneCount> = by_slug
        .into_iter()
        .map(|(slug, (nom, nombre))| CommuneCount { nom: nom.to_string(), href: href(slug), nombre })
        .collect();
    out.sort_by_cached_key(|c| (crate::text::format::fold(&c.nom), c.href.clone()));
    out
}

/// A territory's coordination body, as its pages show it.
pub(crate) fn coordination_view(site: &Site, t: &Territoire, root: &str) -> Option<CoordinationView> {
    t.coordination.as_ref().map(|c| CoordinationView {
        nom: c.nom.clone(),
        presentation_html: c.presentation.as_deref().map(|p| markdown::render(p, 3)),
        courriel: c.courriel.clone(),
        telephone: phone(&c.telephone),
        site_web: c.site_web.clone(),
        membres: c
            .membres
            .iter()
            .filter_map(|(id, _)| site.structure(id))
            .map(|s| Link { href: urls::structure(root, &s.id), text: s.nom.clone() })
            .collect(),
    })
}

/// The links between the pages of a list cut into pages (see
/// [`index::page_count`]): every page links to every other, so that each
/// point is two links away without JavaScript.
#[derive(Serialize)]
pub(crate) struct Pagination {
    /// The points this page shows, counted from 1, and how many in all.
    pub du: usize,
    pub au: usize,
    pub total: usize,
    pub pages: Vec<PageLink>,
}

#[derive(Serialize)]
pub(crate) struct PageLink {
    pub numero: usize,
    pub href: String,
    pub courante: bool,
}

/// The pagination of page `page` (from 0) of a list of `total` points,
/// `href` giving the first page's link; none for a list of one page.
pub(crate) fn pagination(total: usize, page: usize, href: &str) -> Option<Pagination> {
    let count = index::page_count(total);
    (count > 1).then(|| Pagination {
        du: page * LISTE_MAX + 1,
        au: ((page + 1) * LISTE_MAX).min(total),
        total,
        pages: (1..=count)
            .map(|n| PageLink { numero: n, href: urls::nth(href.to_string(), n), courante: n == page + 1 })
            .collect(),
    })
}

#[derive(Serialize)]
pub(crate) struct StructurePage {
    pub id: String,
    pub nom: String,
    pub type_label: Label,
    pub presentation_html: Option<Html>,
    pub site_web: Option<String>,
    pub telephone: Option<Phone>,
    pub courriel: Option<String>,
    pub siret: Option<String>,
    pub rna: Option<String>,
    pub reseaux: Vec<String>,
    /// The points of this page (all of them, or [`LISTE_MAX`] a page).
    pub lieux: Vec<LieuCard>,
    pub nombre_lieux: usize,
    pub pagination: Option<Pagination>,
    pub date_maj: String,
}

/// Page `page` (from 0) of a structure's page.
#[allow(clippy::too_many_arguments)]
pub(crate) fn structure_page(
    site: &Site,
    s: &Structure,
    lieux: &[&Lieu],
    page: usize,
    today: NaiveDate,
    root: &str,
    tr: &Tr<'_>,
) -> StructurePage {
    StructurePage {
        id: s.id.clone(),
        nom: s.nom.clone(),
        type_label: label(s.type_, tr),
        presentation_html: s.presentation.as_deref().map(|p| markdown::render(p, 2)),
        site_web: s.site_web.clone(),
        telephone: phone(&s.telephone),
        courriel: s.courriel.clone(),
        siret: s.siret.clone(),
        rna: s.rna.clone(),
        reseaux: s.reseaux_porteurs.iter().map(|r| vocab::reseau_porteur_label(r).unwrap_or(r).to_string()).collect(),
        lieux: index::page_of(lieux, page).iter().map(|l| lieu_card(site, l, today, root, tr)).collect(),
        nombre_lieux: lieux.len(),
        pagination: pagination(lieux.len(), page, &urls::structure(root, &s.id)),
        date_maj: tr.date(s.date_maj),
    }
}

#[derive(Serialize)]
pub(crate) struct TerritoireItem {
    pub href: String,
    pub nom: String,
    pub type_label: Label,
    pub nombre_lieux: usize,
}

#[derive(Serialize)]
pub(crate) struct ServiceItem {
    #[serde(flatten)]
    pub service: Label,
    pub nombre_lieux: usize,
    /// The search page showing this kind of help.
    pub href: String,
}

/// The home page: ways to find a place (search from the need, kinds of
/// help, territories and communes for browsing without JavaScript).
#[derive(Serialize)]
pub(crate) struct HomePage {
    pub territoires: Vec<TerritoireItem>,
    pub services: Vec<ServiceItem>,
    /// Every commune with a point, when they are few enough to list
    /// ([`COMMUNES_ACCUEIL`]); else empty, and `toutes_les_communes` leads
    /// to them.
    pub communes: Vec<Link>,
    pub nombre_communes: usize,
    pub toutes_les_communes: String,
    /// Where the search form leads.
    pub recherche: String,
    pub nombre_lieux: usize,
    pub nombre_structures: usize,
}

/// The most communes the home page lists by name.
pub(crate) const COMMUNES_ACCUEIL: usize = 40;

pub(crate) fn home_page(site: &Site, index: &Index<'_>, root: &str, tr: &Tr<'_>) -> HomePage {
    HomePage {
        territoires: site
            .territoires
            .iter()
            .map(|t| TerritoireItem {
                href: urls::territoire(root, &t.id),
                nom: t.nom.clone(),
                type_label: label(t.type_, tr),
                nombre_lieux: index.territoire(&t.id).len(),
            })
            .collect(),
        services: vocab::Service::ALL
            .iter()
            .map(|s| ServiceItem {
                service: label(*s, tr),
                nombre_lieux: site.lieux.iter().filter(|l| l.services.contains(s)).count(),
                href: urls::recherche_aide(root, s.value()),
            })
            .filter(|s| s.nombre_lieux > 0)
            .collect(),
        communes: if index.communes.len() <= COMMUNES_ACCUEIL {
            index.communes.iter().map(|c| Link { href: urls::commune(root, &c.slug), text: c.nom.clone() }).collect()
        } else {
            Vec::new()
        },
        nombre_communes: index.communes.len(),
        toutes_les_communes: urls::communes(root),
        recherche: format!("{root}{}", urls::RECHERCHE),
        nombre_lieux: site.lieux.len(),
        nombre_structures: site.structures.len(),
    }
}

#[derive(Serialize)]
pub(crate) struct StructureItem {
    pub href: String,
    pub nom: String,
    pub type_label: Label,
    pub nombre_lieux: usize,
}

pub(crate) fn structures_index(site: &Site, index: &Index<'_>, root: &str, tr: &Tr<'_>) -> Vec<StructureItem> {
    let mut items: Vec<StructureItem> = site
        .structures
        .iter()
        .map(|s| StructureItem {
            href: urls::structure(root, &s.id),
            nom: s.nom.clone(),
            type_label: label(s.type_, tr),
            nombre_lieux: index.structure(&s.id).len(),
        })
        .collect();
    items.sort_by_cached_key(|s| crate::text::format::fold(&s.nom));
    items
}
