//! Views of the pages for professionals: a territory's coordination page
//! (coverage, communes, freshness, needs), its printable guide, the needs
//! of every structure, and the open data page.
//!
//! Figures come from [`crate::site::coverage`]; this module only shapes them for
//! templates (labels in the page's language, percentages, relative links).

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::vocab::{self, Vocabulary};
use crate::model::{Lieu, Site, Structure, Territoire};
use crate::pages::view::{Label, Link, Phone, in_language, label, labels};
use crate::pages::wording::{gap, hours_and_season, percent, varying_hours};
use crate::site::coverage::{self, Coverage, Grid, SEMAINES, SOIR, Semaines, reference_weeks};
use crate::site::index::{Index, LISTE_MAX};
use crate::site::urls;
use crate::text::format::phone_link;
use crate::text::html::{Html, escape_html};
use crate::text::i18n::Tr;
use crate::text::markdown;

fn phone(p: &Option<String>) -> Option<Phone> {
    let text = p.as_ref()?;
    Some(Phone { text: text.clone(), href: format!("tel:{}", phone_link(text)?) })
}

fn lieu_link(l: &Lieu, root: &str) -> Link {
    Link { href: urls::lieu(root, &l.id), text: l.nom.clone() }
}

/// One row of a coverage table: a day and its 24 hourly counts.
#[derive(Serialize)]
pub(crate) struct GridRow {
    pub jour: String,
    pub date: String,
    pub cellules: Vec<u32>,
    /// The largest hourly count of the day.
    pub max: u32,
}

/// A square of the SVG heat map.
#[derive(Serialize)]
pub(crate) struct SvgCell {
    pub x: u32,
    pub y: u32,
    pub opacite: String,
    pub titre: String,
}

#[derive(Serialize)]
pub(crate) struct GridView {
    pub lignes: Vec<GridRow>,
    pub max: u32,
    pub svg: Vec<SvgCell>,
}

/// Width and height of one square of the heat map, in SVG units.
const CELL: u32 = 18;
/// Room for day names on the left and hours on top.
const LEFT: u32 = 82;
const TOP: u32 = 18;

fn grid_view(g: &Grid, week: &[NaiveDate; 7], tr: &Tr<'_>) -> GridView {
    let max = g.iter().flatten().copied().max().unwrap_or(0);
    let mut svg = Vec::new();
    let lignes = (0..7)
        .map(|d| {
            for (h, &n) in g[d].iter().enumerate() {
                if n > 0 {
                    svg.push(SvgCell {
                        x: LEFT + h as u32 * CELL,
                        y: TOP + d as u32 * CELL,
                        opacite: format!("{:.2}", 0.15 + 0.85 * f64::from(n) / f64::from(max.max(1))),
                        titre: tr.plural(
                            "coordination.case",
                            n as usize,
                            &[("jour", tr.day_number(d)), ("heure", &h.to_string())],
                        ),
                    });
                }
            }
            GridRow {
                jour: tr.day_number(d).to_string(),
                date: tr.date(week[d]),
                cellules: g[d].to_vec(),
                max: g[d].iter().copied().max().unwrap_or(0),
            }
        })
        .collect();
    GridView { lignes, max, svg }
}

#[derive(Serialize)]
pub(crate) struct HourLabel {
    pub h: u32,
    /// « de 9 h à 10 h ».
    pub titre: String,
    /// « 9 h », on the chart's axis.
    pub court: String,
}

#[derive(Serialize)]
pub(crate) struct ServiceGrid {
    #[serde(flatten)]
    pub service: Label,
    pub lieux: usize,
    /// Of `lieux`, those without hours.
    pub sans_horaires: usize,
    pub grille: GridView,
}

#[derive(Serialize)]
pub(crate) struct Chiffre {
    pub libelle: String,
    pub nombre: usize,
    pub pourcent: String,
    /// Width of the bar in the SVG chart, out of 200.
    pub largeur: usize,
}

#[derive(Serialize)]
pub(crate) struct Retard {
    pub lieu: Link,
    pub date_maj: String,
    pub frequence_mois: u32,
    pub structure: Option<Link>,
    pub telephone: Option<Phone>,
    pub courriel: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct FermetureView {
    pub lieu: Link,
    pub du: String,
    pub au: String,
    pub motif: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct FerieView {
    pub date: String,
    pub ouverts: usize,
    pub ouverts_jour_ordinaire: usize,
}

#[derive(Serialize)]
pub(crate) struct CommuneView {
    pub nom: String,
    pub code: Option<String>,
    pub nombre: usize,
    /// The first [`LISTE_MAX`] points; `autres` says how many more.
    pub lieux: Vec<Link>,
    pub autres: usize,
}

/// A structure's needs, as shown to volunteers and donors.
#[derive(Serialize)]
pub(crate) struct BesoinsView {
    pub structure: Link,
    pub benevoles: bool,
    pub benevoles_html: Option<Html>,
    pub dons: Vec<Label>,
    pub dons_html: Option<Html>,
    pub telephone: Option<Phone>,
    pub courriel: Option<String>,
    pub site_web: Option<String>,
}

fn besoins_view(s: &Structure, root: &str, tr: &Tr<'_>) -> Option<BesoinsView> {
    let b = s.besoins.as_ref()?;
    if !b.benevoles && b.dons.is_empty() && b.dons_precisions.is_none() {
        return None;
    }
    Some(BesoinsView {
        structure: Link { href: urls::structure(root, &s.id), text: s.nom.clone() },
        benevoles: b.benevoles,
        benevoles_html: b.benevoles_precisions.as_deref().filter(|_| b.benevoles).map(|p| markdown::render(p, 4)),
        dons: labels(&b.dons, tr),
        dons_html: b.dons_precisions.as_deref().map(|p| markdown::render(p, 4)),
        telephone: phone(&s.telephone),
        courriel: s.courriel.clone(),
        site_web: s.site_web.clone(),
    })
}

/// Structures present on a territory: running a point there, or members of
/// its coordination. Sorted by name.
fn structures_of<'s>(site: &'s Site, t: &Territoire, lieux: &[&Lieu]) -> Vec<&'s Structure> {
    // Each structure once, then sorted by folded name (folded once each).
    let mut ids: std::collections::BTreeSet<&str> = lieux.iter().map(|l| l.structure.as_str()).collect();
    if let Some(c) = &t.coordination {
        ids.extend(c.membres.iter().map(|(m, _)| m.as_str()));
    }
    let mut out: Vec<&Structure> = ids.into_iter().filter_map(|id| site.structure(id)).collect();
    out.sort_by_cached_key(|s| (crate::text::format::fold(&s.nom), s.id.clone()));
    out
}

/// A point whose hours are not the same every week, and its lines for the
/// days that vary.
#[derive(Serialize)]
pub(crate) struct LieuVariable {
    pub lieu: Link,
    pub horaires: Vec<String>,
}

#[derive(Serialize)]
pub(crate) struct CoordinationPage {
    pub id: String,
    pub nom: String,
    pub total: usize,
    pub semaine_du: String,
    pub semaine_au: String,
    pub jours_remplaces: Vec<String>,
    /// How many dates of each weekday are read, and the last of them.
    pub semaines: usize,
    pub semaines_au: String,
    pub certaines_semaines: Vec<LieuVariable>,
    /// The 24 hours of the grids' columns, with their labels: made here
    /// once rather than by each grid of the page.
    pub heures: Vec<HourLabel>,
    pub soir: usize,
    pub grille: GridView,
    pub services: Vec<ServiceGrid>,
    pub lacunes: Vec<String>,
    /// The points without hours (« horaires inconnus »), in no grid.
    pub sans_horaires: Vec<Link>,
    /// Points with an open-ended period, counted until `fin_ouverte` h.
    pub fins_ouvertes: usize,
    pub fin_ouverte: u16,
    pub chiffres: Vec<Chiffre>,
    pub pmr_non_renseigne: usize,
    pub a_jour: usize,
    pub a_jour_pourcent: String,
    pub en_retard: Vec<Retard>,
    pub frequence_site: u32,
    pub fermetures: Vec<FermetureView>,
    pub ferie: Option<FerieView>,
    pub perimetres_communes: bool,
    pub communes: Vec<CommuneView>,
    pub communes_sans_lieu: Vec<String>,
    /// The first [`LISTE_MAX`] points outside every commune, and how many more.
    pub hors_communes: Vec<Link>,
    pub hors_communes_autres: usize,
    pub coordination: Option<crate::pages::view::CoordinationView>,
    pub besoins: Vec<BesoinsView>,
    pub svg_largeur: u32,
    pub svg_hauteur: u32,
}

pub(crate) fn coordination_page(
    site: &Site,
    t: &Territoire,
    lieux: &[&Lieu],
    today: NaiveDate,
    root: &str,
    tr: &Tr<'_>,
) -> CoordinationPage {
    let c: Coverage<'_> = coverage::coverage(site, t, lieux, today);
    let week = c.semaine;
    let total = c.total;
    let chiffre = |key: &str, nombre: usize| Chiffre {
        libelle: tr.text(key).to_string(),
        nombre,
        pourcent: percent(nombre, total),
        largeur: (nombre * 200).checked_div(total).unwrap_or(0),
    };
    let chiffres = vec![
        chiffre("coordination.part_sans_orientation", c.sans_orientation),
        chiffre("coordination.part_gratuits", c.gratuits),
        chiffre("coordination.part_pmr", c.pmr),
        chiffre("coordination.part_a_jour", c.a_jour),
    ];
    let default_months = site.config.frequence_maj_mois;
    CoordinationPage {
        id: t.id.clone(),
        nom: t.nom.clone(),
        total,
        semaine_du: tr.date_long(today),
        semaine_au: tr.date_long(today + chrono::Duration::days(6)),
        jours_remplaces: today
            .iter_days()
            .take(7)
            .filter(|d| !week.contains(d))
            .map(|d| {
                let i = chrono::Datelike::weekday(&d).num_days_from_monday() as usize;
                tr.format(
                    "coordination.jour_remplace",
                    &[("ferie", &tr.date_long(d)), ("remplacant", &tr.date_long(week[i]))],
                )
            })
            .collect(),
        semaines: SEMAINES,
        semaines_au: tr.date_long(c.semaines.last()),
        certaines_semaines: c
            .certaines_semaines
            .iter()
            .map(|l| LieuVariable { lieu: lieu_link(l, root), horaires: varying_hours(l, &c.semaines, tr) })
            .collect(),
        heures: (0..24u32)
            .map(|h| {
                let (a, b) = (h.to_string(), (h + 1).to_string());
                HourLabel {
                    h,
                    titre: tr.format("coordination.de_h_a_h", &[("h", &a), ("h1", &b)]),
                    court: tr.format("coordination.heure_courte", &[("h", &a)]),
                }
            })
            .collect(),
        soir: SOIR,
        grille: grid_view(&c.grille, &week, tr),
        services: c
            .services
            .iter()
            .map(|s| ServiceGrid {
                service: label(s.service, tr),
                lieux: s.lieux,
                sans_horaires: s.sans_horaires,
                grille: grid_view(&s.grille, &week, tr),
            })
            .collect(),
        lacunes: c.lacunes.iter().map(|l| gap(l, tr)).collect(),
        sans_horaires: c.sans_horaires.iter().map(|l| lieu_link(l, root)).collect(),
        fins_ouvertes: c.fins_ouvertes,
        fin_ouverte: coverage::FIN_OUVERTE / 60,
        chiffres,
        pmr_non_renseigne: c.pmr_non_renseigne,
        a_jour: c.a_jour,
        a_jour_pourcent: percent(c.a_jour, total),
        en_retard: c
            .en_retard
            .iter()
            .map(|l| {
                let s = site.structure(&l.structure);
                Retard {
                    lieu: lieu_link(l, root),
                    date_maj: tr.date(l.date_maj),
                    frequence_mois: l.frequence_maj_mois.unwrap_or(default_months),
                    structure: s.map(|s| Link { href: urls::structure(root, &s.id), text: s.nom.clone() }),
                    telephone: s.and_then(|s| phone(&s.telephone)).or_else(|| phone(&l.telephone)),
                    courriel: s.and_then(|s| s.courriel.clone()).or_else(|| l.courriel.clone()),
                }
            })
            .collect(),
        frequence_site: default_months,
        fermetures: c
            .fermetures
            .iter()
            .map(|(l, f)| FermetureView {
                lieu: lieu_link(l, root),
                du: tr.date_long(f.du),
                au: tr.date_long(f.au),
                motif: f.motif.clone(),
            })
            .collect(),
        ferie: c.ferie.as_ref().map(|f| FerieView {
            date: tr.date_long(f.date),
            ouverts: f.ouverts,
            ouverts_jour_ordinaire: f.ouverts_jour_ordinaire,
        }),
        perimetres_communes: c.perimetres_communes,
        communes_sans_lieu: c.communes_sans_lieu().into_iter().map(String::from).collect(),
        communes: c
            .communes
            .iter()
            .map(|k| CommuneView {
                nom: k.nom.clone(),
                code: k.code.clone(),
                nombre: k.lieux.len(),
                lieux: k.lieux.iter().take(LISTE_MAX).map(|l| lieu_link(l, root)).collect(),
                autres: k.lieux.len().saturating_sub(LISTE_MAX),
            })
            .collect(),
        hors_communes: c.hors_communes.iter().take(LISTE_MAX).map(|l| lieu_link(l, root)).collect(),
        hors_communes_autres: c.hors_communes.len().saturating_sub(LISTE_MAX),
        coordination: crate::pages::view::coordination_view(site, t, root),
        besoins: structures_of(site, t, lieux).into_iter().filter_map(|s| besoins_view(s, root, tr)).collect(),
        svg_largeur: LEFT + 24 * CELL + 4,
        svg_hauteur: TOP + 7 * CELL + 4,
    }
}

#[derive(Serialize)]
pub(crate) struct BesoinsTerritoire {
    pub nom: String,
    pub href: String,
    pub structures: Vec<BesoinsView>,
}

/// Needs of every structure, by territory.
pub(crate) fn besoins_page(site: &Site, index: &Index<'_>, root: &str, tr: &Tr<'_>) -> Vec<BesoinsTerritoire> {
    site.territoires
        .iter()
        .map(|t| BesoinsTerritoire {
            nom: t.nom.clone(),
            href: urls::territoire(root, &t.id),
            structures: structures_of(site, t, index.territoire(&t.id))
                .into_iter()
                .filter_map(|s| besoins_view(s, root, tr))
                .collect(),
        })
        .collect()
}

#[derive(Serialize)]
pub(crate) struct GuideLieu {
    pub nom: String,
    pub structure: String,
    pub adresse: String,
    pub complement_adresse: Option<String>,
    pub ville: String,
    pub telephone: Option<String>,
    pub horaires: Vec<String>,
    /// Closures ahead, each a sentence whose reason, written in the
    /// content's language, is isolated in a `<bdi>` on a page in another.
    pub fermetures_html: Vec<Html>,
    pub acces: Vec<Label>,
    pub conditions_acces: Option<String>,
    pub conditions_acces_lang: Option<String>,
    pub justificatifs: Vec<String>,
    pub justificatifs_lang: Option<String>,
    pub frais: Label,
    pub frais_precisions: Option<String>,
    pub frais_precisions_lang: Option<String>,
    pub publics: Vec<Label>,
    pub langues: Vec<String>,
}

#[derive(Serialize)]
pub(crate) struct GuideGroupe {
    #[serde(flatten)]
    pub service: Label,
    pub lieux: Vec<GuideLieu>,
}

#[derive(Serialize)]
pub(crate) struct GuideCommune {
    pub nom: String,
    pub groupes: Vec<GuideGroupe>,
}

#[derive(Serialize)]
pub(crate) struct GuidePage {
    pub id: String,
    pub nom: String,
    pub total: usize,
    pub communes: Vec<GuideCommune>,
    pub coordination: Option<crate::pages::view::CoordinationView>,
    /// For a territory of more than [`crate::site::index::LISTE_MAX`] points, the
    /// guide is one per commune: here are their links, and `communes` is
    /// empty.
    pub parties: Vec<crate::pages::view::CommuneCount>,
    /// On the guide of one commune of such a territory: its name.
    pub partie: Option<String>,
    /// A commune's part of more than [`crate::site::index::LISTE_MAX`]
    /// points comes in pages.
    pub pagination: Option<crate::pages::view::Pagination>,
}

/// Days ahead for which the guide lists temporary closures: a printed
/// sheet is kept a few weeks.
const GUIDE_FERMETURES_JOURS: i64 = 60;

fn guide_lieu(site: &Site, l: &Lieu, week: &Semaines, today: NaiveDate, tr: &Tr<'_>) -> GuideLieu {
    let s = site.structure(&l.structure);
    let horizon = today + chrono::Duration::days(GUIDE_FERMETURES_JOURS);
    let (conditions_acces, conditions_acces_lang) = in_language(l, tr, &l.conditions_acces, |t| &t.conditions_acces);
    let (frais_precisions, frais_precisions_lang) = in_language(l, tr, &l.frais_precisions, |t| &t.frais_precisions);
    let written = (!l.justificatifs.is_empty()).then(|| l.justificatifs.clone());
    let (justificatifs, justificatifs_lang) = in_language(l, tr, &written, |t| &t.justificatifs);
    GuideLieu {
        nom: l.nom.clone(),
        structure: s.map(|s| s.nom.clone()).unwrap_or_default(),
        adresse: l.adresse.adresse.clone(),
        complement_adresse: l.adresse.complement_adresse.clone(),
        ville: format!("{} {}", l.adresse.code_postal, l.adresse.commune),
        telephone: l.telephone.clone().or_else(|| s.and_then(|s| s.telephone.clone())),
        horaires: hours_and_season(l, week, today, tr),
        fermetures_html: l
            .fermetures
            .iter()
            .filter(|f| f.au >= today && f.du <= horizon)
            .map(|f| {
                let motif = f.motif.as_ref().map(|m| {
                    let m = match tr.contenu_lang() {
                        Some(lang) => format!("<bdi lang=\"{}\">{}</bdi>", escape_html(lang), escape_html(m)),
                        None => escape_html(m),
                    };
                    tr.html("guide.motif", &[("motif", &m, true)])
                });
                let motif = motif.as_ref().map_or("", Html::as_str);
                if f.du == f.au {
                    tr.html("guide.ferme_le", &[("date", &tr.date(f.du), false), ("motif", motif, true)])
                } else {
                    let (du, au) = (tr.date(f.du), tr.date(f.au));
                    tr.html("guide.ferme_du_au", &[("du", &du, false), ("au", &au, false), ("motif", motif, true)])
                }
            })
            .collect(),
        acces: labels(&l.acces, tr),
        conditions_acces,
        conditions_acces_lang,
        justificatifs: justificatifs.unwrap_or_default(),
        justificatifs_lang,
        frais: label(l.frais, tr),
        frais_precisions,
        frais_precisions_lang,
        publics: l.publics.iter().filter(|p| **p != vocab::Public::TousPublics).map(|p| label(*p, tr)).collect(),
        langues: l.langues.iter().map(|c| vocab::langue_label(c).unwrap_or(c).to_string()).collect(),
    }
}

/// The printable guide: points by commune (from their address), then by
/// kind of help, with regular weekly hours.
/// `parties` are the communes of a territory too large for one guide, and
/// their point counts; `partie` the commune whose guide this is, and
/// `pagination` its pages when it has more than
/// [`crate::site::index::LISTE_MAX`] points (`lieux` are then this page's).
#[allow(clippy::too_many_arguments)]
pub(crate) fn guide_page(
    site: &Site,
    t: &Territoire,
    lieux: &[&Lieu],
    today: NaiveDate,
    root: &str,
    tr: &Tr<'_>,
    parties: Vec<crate::pages::view::CommuneCount>,
    partie: Option<&str>,
    pagination: Option<crate::pages::view::Pagination>,
) -> GuidePage {
    if !parties.is_empty() {
        return GuidePage {
            id: t.id.clone(),
            nom: t.nom.clone(),
            total: lieux.len(),
            communes: Vec::new(),
            coordination: crate::pages::view::coordination_view(site, t, root),
            parties,
            partie: None,
            pagination: None,
        };
    }
    let week = reference_weeks(today);
    let mut names: Vec<&str> = lieux.iter().map(|l| l.adresse.commune.as_str()).collect();
    names.sort_by_cached_key(|n| crate::text::format::fold(n));
    names.dedup();
    let communes = names
        .into_iter()
        .map(|commune| GuideCommune {
            nom: commune.to_string(),
            groupes: vocab::Service::ALL
                .iter()
                .filter_map(|s| {
                    let mut in_group: Vec<&Lieu> = lieux
                        .iter()
                        .copied()
                        .filter(|l| l.adresse.commune == commune && l.services.contains(s))
                        .collect();
                    in_group.sort_by(|a, b| (&a.nom, &a.id).cmp(&(&b.nom, &b.id)));
                    (!in_group.is_empty()).then(|| GuideGroupe {
                        service: label(*s, tr),
                        lieux: in_group.into_iter().map(|l| guide_lieu(site, l, &week, today, tr)).collect(),
                    })
                })
                .collect(),
        })
        .collect();
    GuidePage {
        id: t.id.clone(),
        nom: t.nom.clone(),
        total: pagination.as_ref().map_or(lieux.len(), |p| p.total),
        communes,
        coordination: crate::pages::view::coordination_view(site, t, root),
        parties,
        partie: partie.map(String::from),
        pagination,
    }
}

#[derive(Serialize)]
pub(crate) struct Fichier {
    pub href: String,
    pub nom: &'static str,
    pub format: &'static str,
    pub description: String,
}

/// The format of the open data files, as the export writes them.
pub struct FormatDonnees {
    pub colonnes: &'static [&'static str],
    pub separateur_liste: &'static str,
    pub thematique: &'static str,
}

#[derive(Serialize)]
pub(crate) struct DonneesPage {
    pub licence: Option<String>,
    pub nombre_lieux: usize,
    pub nombre_structures: usize,
    pub fichiers: Vec<Fichier>,
    pub colonnes: &'static [&'static str],
    pub separateur_liste: &'static str,
    pub thematique: &'static str,
}

/// The open data page; the files are shared by every language, in the
/// folder of the site language's page (`root` and `site_root` are equal
/// there).
pub(crate) fn donnees_page(
    site: &Site,
    format: &FormatDonnees,
    root: &str,
    site_root: &str,
    tr: &Tr<'_>,
) -> DonneesPage {
    let folder = if root == site_root { String::new() } else { format!("{site_root}{}/", urls::DONNEES) };
    let f = |nom: &'static str, format, key: &str| Fichier {
        href: format!("{folder}{nom}"),
        nom,
        format,
        description: tr.text(key).to_string(),
    };
    DonneesPage {
        licence: site.config.licence_donnees.clone(),
        nombre_lieux: site.lieux.len(),
        nombre_structures: site.structures.len(),
        fichiers: vec![
            f(urls::CSV, "CSV", "donnees.fichier_csv"),
            f(urls::GEOJSON, "GeoJSON", "donnees.fichier_geojson"),
            f(urls::STRUCTURES_JSON, "JSON data·inclusion v1", "donnees.fichier_structures"),
            f(urls::SERVICES_JSON, "JSON data·inclusion v1", "donnees.fichier_services"),
        ],
        colonnes: format.colonnes,
        separateur_liste: format.separateur_liste,
        thematique: format.thematique,
    }
}
