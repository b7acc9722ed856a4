//! View structs: what templates see.
//!
//! Kept apart from the model so that templates get ready-to-print values
//! (French labels, formatted hours and dates, relative links) and the model
//! stays free of presentation. Every field here is plain data; escaping is
//! the template engine's job, except for `*_html` fields, which hold
//! sanitised Markdown.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::hours::{self, Day};
use crate::markdown;
use crate::model::{Lieu, Site, Structure, Territoire};
use crate::text::phone_link;
use crate::vocab::{self, Vocabulary};

/// Points by structure and by territory, computed once so that no page
/// scans every point.
pub struct Index<'a> {
    by_structure: BTreeMap<&'a str, Vec<&'a Lieu>>,
    by_territoire: BTreeMap<&'a str, Vec<&'a Lieu>>,
}

impl<'a> Index<'a> {
    pub fn new(site: &'a Site) -> Self {
        let mut by_structure: BTreeMap<&str, Vec<&Lieu>> = BTreeMap::new();
        let mut by_territoire: BTreeMap<&str, Vec<&Lieu>> = BTreeMap::new();
        for l in &site.lieux {
            by_structure.entry(l.structure.as_str()).or_default().push(l);
            for t in &l.territoires {
                by_territoire.entry(t.as_str()).or_default().push(l);
            }
        }
        Index { by_structure, by_territoire }
    }
    pub fn structure(&self, id: &str) -> &[&'a Lieu] {
        self.by_structure.get(id).map_or(&[], Vec::as_slice)
    }
    pub fn territoire(&self, id: &str) -> &[&'a Lieu] {
        self.by_territoire.get(id).map_or(&[], Vec::as_slice)
    }
}

#[derive(Serialize)]
pub struct Label {
    pub value: &'static str,
    pub label: &'static str,
}

fn labels<T: Vocabulary>(items: &[T]) -> Vec<Label> {
    items.iter().map(|v| Label { value: v.value(), label: v.label() }).collect()
}

#[derive(Debug, Serialize)]
pub struct Link {
    pub href: String,
    pub text: String,
}

#[derive(Serialize)]
pub struct Phone {
    pub text: String,
    pub href: String,
}

fn phone(p: &Option<String>) -> Option<Phone> {
    let text = p.as_ref()?;
    Some(Phone { text: text.clone(), href: format!("tel:{}", phone_link(text)?) })
}

/// One day in a point's hours.
#[derive(Serialize)]
pub struct DayView {
    pub jour: &'static str,
    pub date: String,
    pub iso: String,
    pub texte: String,
    pub ouvert: bool,
    pub aujourdhui: bool,
    pub note: Option<String>,
}

fn day_view(d: &Day, today: NaiveDate) -> DayView {
    let texte = if d.fermeture.is_some() {
        "Fermé".to_string()
    } else if d.periodes.is_empty() {
        if d.incertain { "À confirmer".to_string() } else { "Fermé".to_string() }
    } else {
        d.periodes.iter().map(|p| hours::format_periode(*p)).collect::<Vec<_>>().join(", ")
    };
    let note = match (&d.fermeture, d.ferie) {
        (Some(m), _) => Some(format!("Fermeture exceptionnelle : {m}")),
        (None, true) => Some("Jour férié".to_string()),
        (None, false) if d.incertain && !d.periodes.is_empty() => {
            Some("Certains horaires sont à confirmer".to_string())
        }
        _ => None,
    };
    DayView {
        jour: hours::jour(d.date.weekday()),
        date: format!("{} {}", d.date.day(), hours::MOIS[d.date.month0() as usize]),
        iso: d.date.format("%Y-%m-%d").to_string(),
        texte,
        ouvert: !d.periodes.is_empty() && d.fermeture.is_none(),
        aujourdhui: d.date == today,
        note,
    }
}

/// The seven days starting with `today`.
fn week(l: &Lieu, today: NaiveDate) -> Option<Vec<DayView>> {
    let h = l.horaires.as_ref()?;
    Some(today.iter_days().take(7).map(|date| day_view(&h.day(date, &l.fermetures), today)).collect())
}

/// A point as shown in a list: enough to decide whether to go.
#[derive(Serialize)]
pub struct LieuCard {
    pub id: String,
    pub href: String,
    pub nom: String,
    pub structure: String,
    pub services: Vec<Label>,
    pub adresse: String,
    pub commune: String,
    pub aujourdhui: Option<DayView>,
    pub acces: Vec<Label>,
    pub frais: Label,
    pub justificatifs: bool,
    pub latitude: f64,
    pub longitude: f64,
}

pub fn lieu_card(site: &Site, l: &Lieu, today: NaiveDate, root: &str) -> LieuCard {
    LieuCard {
        id: l.id.clone(),
        href: format!("{root}lieux/{}.html", l.id),
        nom: l.nom.clone(),
        structure: site.structure(&l.structure).map(|s| s.nom.clone()).unwrap_or_default(),
        services: labels(&l.services),
        adresse: address_line(l),
        commune: l.adresse.commune.clone(),
        aujourdhui: l.horaires.as_ref().map(|h| day_view(&h.day(today, &l.fermetures), today)),
        acces: labels(&l.acces),
        frais: Label { value: l.frais.value(), label: l.frais.label() },
        justificatifs: !l.justificatifs.is_empty(),
        latitude: l.latitude,
        longitude: l.longitude,
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
pub struct Closure {
    pub du: String,
    pub au: String,
    pub motif: Option<String>,
    pub en_cours: bool,
}

/// Everything about one point.
#[derive(Serialize)]
pub struct LieuPage {
    #[serde(flatten)]
    pub card: LieuCard,
    pub complement_adresse: Option<String>,
    pub rue: String,
    pub code_postal: String,
    pub structure_href: Option<String>,
    pub semaine: Option<Vec<DayView>>,
    pub horaires_texte: Option<String>,
    pub fermetures: Vec<Closure>,
    pub conditions_acces: Option<String>,
    pub justificatifs_liste: Vec<String>,
    pub frais_precisions: Option<String>,
    pub publics: Vec<Label>,
    pub publics_precisions: Option<String>,
    pub langues: Vec<Link>,
    pub accessibilite_pmr: Option<bool>,
    pub regimes: Vec<Label>,
    pub telephone: Option<Phone>,
    pub courriel: Option<String>,
    pub site_web: Option<String>,
    pub description_html: Option<String>,
    pub date_maj: String,
    pub date_maj_iso: String,
    pub a_verifier: bool,
    pub itineraire: String,
    pub geo: String,
    pub territoires: Vec<Link>,
}

pub fn lieu_page(site: &Site, l: &Lieu, today: NaiveDate, root: &str) -> LieuPage {
    let a_verifier = !l.a_jour(site.config.frequence_maj_mois, today);
    LieuPage {
        card: lieu_card(site, l, today, root),
        complement_adresse: l.adresse.complement_adresse.clone(),
        rue: l.adresse.adresse.clone(),
        code_postal: l.adresse.code_postal.clone(),
        structure_href: site.structure(&l.structure).map(|s| format!("{root}structures/{}.html", s.id)),
        semaine: week(l, today),
        horaires_texte: l.horaires.as_ref().map(|h| h.texte.clone()),
        fermetures: l
            .fermetures
            .iter()
            .filter(|f| f.au >= today)
            .map(|f| Closure {
                du: hours::format_date_long(f.du),
                au: hours::format_date_long(f.au),
                motif: f.motif.clone(),
                en_cours: f.contains(today),
            })
            .collect(),
        conditions_acces: l.conditions_acces.clone(),
        justificatifs_liste: l.justificatifs.clone(),
        frais_precisions: l.frais_precisions.clone(),
        publics: labels(&l.publics),
        publics_precisions: l.publics_precisions.clone(),
        langues: l
            .langues
            .iter()
            .map(|c| Link { href: c.clone(), text: vocab::langue_label(c).unwrap_or(c).to_string() })
            .collect(),
        accessibilite_pmr: l.accessibilite_pmr,
        regimes: labels(&l.regimes),
        telephone: phone(&l.telephone),
        courriel: l.courriel.clone(),
        site_web: l.site_web.clone(),
        description_html: l.description.as_deref().map(|d| markdown::render(d, 3)),
        date_maj: hours::format_date(l.date_maj),
        date_maj_iso: l.date_maj.format("%Y-%m-%d").to_string(),
        a_verifier,
        itineraire: format!(
            "https://www.openstreetmap.org/directions?route=%3B{:.6}%2C{:.6}#map=17/{:.6}/{:.6}",
            l.latitude, l.longitude, l.latitude, l.longitude
        ),
        geo: format!("geo:{:.6},{:.6}", l.latitude, l.longitude),
        territoires: l
            .territoires
            .iter()
            .filter_map(|id| site.territoire(id))
            .map(|t| Link { href: format!("{root}territoires/{}.html", t.id), text: t.nom.clone() })
            .collect(),
    }
}

#[derive(Serialize)]
pub struct ServiceGroup {
    pub value: &'static str,
    pub label: &'static str,
    pub lieux: Vec<LieuCard>,
}

#[derive(Serialize)]
pub struct CoordinationView {
    pub nom: String,
    pub presentation_html: Option<String>,
    pub courriel: Option<String>,
    pub telephone: Option<Phone>,
    pub site_web: Option<String>,
    pub membres: Vec<Link>,
}

#[derive(Serialize)]
pub struct TerritoirePage {
    pub id: String,
    pub nom: String,
    pub type_label: &'static str,
    pub presentation_html: Option<String>,
    pub coordination: Option<CoordinationView>,
    pub nombre_lieux: usize,
    pub communes: Vec<String>,
    pub groupes: Vec<ServiceGroup>,
}

pub fn territoire_page(site: &Site, t: &Territoire, lieux: &[&Lieu], today: NaiveDate, root: &str) -> TerritoirePage {
    let groupes = vocab::Service::ALL
        .iter()
        .filter_map(|s| {
            let mut in_group: Vec<&Lieu> = lieux.iter().copied().filter(|l| l.services.contains(s)).collect();
            in_group.sort_by(|a, b| (&a.adresse.commune, &a.nom, &a.id).cmp(&(&b.adresse.commune, &b.nom, &b.id)));
            (!in_group.is_empty()).then(|| ServiceGroup {
                value: s.value(),
                label: s.label(),
                lieux: in_group.into_iter().map(|l| lieu_card(site, l, today, root)).collect(),
            })
        })
        .collect();
    let mut communes: Vec<String> = lieux.iter().map(|l| l.adresse.commune.clone()).collect();
    communes.sort();
    communes.dedup();
    TerritoirePage {
        id: t.id.clone(),
        nom: t.nom.clone(),
        type_label: t.type_.label(),
        presentation_html: t.presentation.as_deref().map(|p| markdown::render(p, 2)),
        coordination: t.coordination.as_ref().map(|c| CoordinationView {
            nom: c.nom.clone(),
            presentation_html: c.presentation.as_deref().map(|p| markdown::render(p, 3)),
            courriel: c.courriel.clone(),
            telephone: phone(&c.telephone),
            site_web: c.site_web.clone(),
            membres: c
                .membres
                .iter()
                .filter_map(|(id, _)| site.structure(id))
                .map(|s| Link { href: format!("{root}structures/{}.html", s.id), text: s.nom.clone() })
                .collect(),
        }),
        nombre_lieux: lieux.len(),
        communes,
        groupes,
    }
}

#[derive(Serialize)]
pub struct StructurePage {
    pub id: String,
    pub nom: String,
    pub type_label: &'static str,
    pub presentation_html: Option<String>,
    pub site_web: Option<String>,
    pub telephone: Option<Phone>,
    pub courriel: Option<String>,
    pub siret: Option<String>,
    pub rna: Option<String>,
    pub reseaux: Vec<String>,
    pub lieux: Vec<LieuCard>,
    pub date_maj: String,
}

pub fn structure_page(site: &Site, s: &Structure, lieux: &[&Lieu], today: NaiveDate, root: &str) -> StructurePage {
    StructurePage {
        id: s.id.clone(),
        nom: s.nom.clone(),
        type_label: s.type_.label(),
        presentation_html: s.presentation.as_deref().map(|p| markdown::render(p, 2)),
        site_web: s.site_web.clone(),
        telephone: phone(&s.telephone),
        courriel: s.courriel.clone(),
        siret: s.siret.clone(),
        rna: s.rna.clone(),
        reseaux: s.reseaux_porteurs.iter().map(|r| vocab::reseau_porteur_label(r).unwrap_or(r).to_string()).collect(),
        lieux: lieux.iter().map(|l| lieu_card(site, l, today, root)).collect(),
        date_maj: hours::format_date(s.date_maj),
    }
}

#[derive(Serialize)]
pub struct TerritoireItem {
    pub href: String,
    pub nom: String,
    pub type_label: &'static str,
    pub nombre_lieux: usize,
}

#[derive(Serialize)]
pub struct ServiceItem {
    pub value: &'static str,
    pub label: &'static str,
    pub nombre_lieux: usize,
}

#[derive(Serialize)]
pub struct HomePage {
    pub territoires: Vec<TerritoireItem>,
    pub services: Vec<ServiceItem>,
    pub nombre_lieux: usize,
    pub nombre_structures: usize,
}

pub fn home_page(site: &Site, index: &Index<'_>, root: &str) -> HomePage {
    HomePage {
        territoires: site
            .territoires
            .iter()
            .map(|t| TerritoireItem {
                href: format!("{root}territoires/{}.html", t.id),
                nom: t.nom.clone(),
                type_label: t.type_.label(),
                nombre_lieux: index.territoire(&t.id).len(),
            })
            .collect(),
        services: vocab::Service::ALL
            .iter()
            .map(|s| ServiceItem {
                value: s.value(),
                label: s.label(),
                nombre_lieux: site.lieux.iter().filter(|l| l.services.contains(s)).count(),
            })
            .filter(|s| s.nombre_lieux > 0)
            .collect(),
        nombre_lieux: site.lieux.len(),
        nombre_structures: site.structures.len(),
    }
}

#[derive(Serialize)]
pub struct StructureItem {
    pub href: String,
    pub nom: String,
    pub type_label: &'static str,
    pub nombre_lieux: usize,
}

pub fn structures_index(site: &Site, index: &Index<'_>, root: &str) -> Vec<StructureItem> {
    let mut items: Vec<StructureItem> = site
        .structures
        .iter()
        .map(|s| StructureItem {
            href: format!("{root}structures/{}.html", s.id),
            nom: s.nom.clone(),
            type_label: s.type_.label(),
            nombre_lieux: index.structure(&s.id).len(),
        })
        .collect();
    items.sort_by_cached_key(|s| crate::text::fold(&s.nom));
    items
}
