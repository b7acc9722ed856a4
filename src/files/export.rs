//! Open data: the directory as CSV, GeoJSON and data·inclusion v1 JSON, and
//! the schema.org JSON-LD block of each point's page.
//!
//! Everything here turns the model into bytes; `output` writes them under
//! `donnees/`. Content is untrusted: CSV cells that a spreadsheet would run
//! as a formula are neutralised, and JSON put inside an HTML `<script>` is
//! escaped so that no text can close the element.

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::files::kept::{KeyOf, PerPoint, per_point};
use crate::model::vocab::{Acces, Service, Vocabulary};
use crate::model::{Lieu, Site, Structure};
use crate::output::OutputFile;
use crate::pages::coord::FormatDonnees;
use crate::pages::wording::hours_and_season;
use crate::site::coverage::{JourHabituel, jours_habituels, reference_weeks, sans_orientation};
use crate::site::index::Index;
use crate::site::urls;
use crate::text::format::phone_link;
use crate::text::html::script_safe;
use crate::text::i18n::french;

use crate::site::urls::{CSV, DONNEES as DIR, GEOJSON, SERVICES_JSON as SERVICES, STRUCTURES_JSON as STRUCTURES};

/// data·inclusion `thematiques` value for food aid (checked against
/// `data/data-inclusion/v1/extra/thematiques.json` by a test).
pub const THEMATIQUE: &str = "equipement-et-alimentation--alimentation";

/// Producer name written in data·inclusion's `source` field.
pub const SOURCE: &str = "alimap";

/// A point's records in the exports that have one per point: its CSV
/// row, its GeoJSON feature and its data·inclusion service, each ready to
/// be joined into its file.
#[derive(Debug)]
pub struct Records {
    csv: Vec<u8>,
    feature: Vec<u8>,
    service: Vec<u8>,
}

/// Every export file, each handed to `put` as soon as it is made and then
/// dropped, so that the largest files of a site are not all in memory at
/// once; `put`'s results in a fixed order. With `kept` (and each point's
/// fingerprint: the point, its structure and the site's settings), serve
/// makes again only the records of the points that changed.
pub fn files<R: Send>(
    site: &Site,
    index: &Index<'_>,
    today: NaiveDate,
    kept: Option<(&mut PerPoint<Records>, KeyOf<'_>)>,
    put: &(dyn Fn(OutputFile) -> R + Sync),
) -> Vec<R> {
    let weeks = reference_weeks(today);
    let lieux: Vec<&Lieu> = site.lieux.iter().collect();
    let (csv_head, geojson_head) = (csv_head(), "{\"type\":\"FeatureCollection\",\"features\":[\n");
    let heads = [csv_head.as_slice(), geojson_head.as_bytes(), b"[\n"];
    let (joined, structures) = rayon::join(
        || match kept {
            // serve: each point's records, kept for the next build.
            Some(kept) => {
                let records = per_point(&lieux, Some(kept), |l| records(site, l, &weeks, today));
                let mut joined = Joined::new(heads, records.iter().map(|r| r.len()).sum());
                records.iter().for_each(|r| joined.push(r));
                joined
            }
            // build: the records of a few thousand points at a time, made in
            // parallel and joined into the files, then dropped: the next
            // ones reuse their memory, and the files are the only large
            // allocations.
            None => {
                let mut joined: Option<Joined> = None;
                for wave in lieux.chunks(WAVE) {
                    let records: Vec<Records> = wave.par_iter().map(|l| records(site, l, &weeks, today)).collect();
                    let joined = joined.get_or_insert_with(|| {
                        let size: usize = records.iter().map(Records::len).sum();
                        // The whole site's size, guessed from the first points.
                        Joined::new(heads, size / wave.len().max(1) * lieux.len() * 21 / 20)
                    });
                    records.iter().for_each(|r| joined.push(r));
                }
                joined.unwrap_or_else(|| Joined::new(heads, 0))
            }
        },
        || json_records("[\n", &site.structures, |s| structure(site, s), "]\n"),
    );
    let Joined { csv, mut geojson, mut services, features } = joined;
    let (tail, geojson_tail) = if lieux.is_empty() { ("", "]}\n") } else { ("\n", "\n]}\n") };
    services.extend_from_slice(format!("{tail}]\n").as_bytes());
    // Each territory's points, with the same features, in the order of its
    // static map.
    let position: std::collections::HashMap<&str, usize> =
        site.lieux.iter().enumerate().map(|(i, l)| (l.id.as_str(), i)).collect();
    // The files the territories' files are not made from are written while
    // those are made, and their memory is reused for them.
    let (written, territories) = rayon::join(
        || {
            [(CSV, csv), (STRUCTURES, structures), (SERVICES, services)]
                .map(|(name, bytes)| put(OutputFile { path: format!("{DIR}/{name}"), bytes }))
        },
        || {
            site.territoires
                .par_iter()
                .map(|t| {
                    let points = crate::site::index::map_order(index.territoire(&t.id));
                    let features: Vec<&[u8]> = points
                        .iter()
                        .filter_map(|l| position.get(l.id.as_str()))
                        .map(|&i| &geojson[features[i].clone()])
                        .collect();
                    let tail = if features.is_empty() { "]}\n" } else { "\n]}\n" };
                    // Copied once, into a file of the right size: these files hold
                    // every feature again.
                    let size = geojson_head.len() + features.iter().map(|f| f.len() + 2).sum::<usize>() + tail.len();
                    let mut bytes = Vec::with_capacity(size);
                    bytes.extend_from_slice(geojson_head.as_bytes());
                    for (i, f) in features.iter().enumerate() {
                        if i > 0 {
                            bytes.extend_from_slice(b",\n");
                        }
                        bytes.extend_from_slice(f);
                    }
                    bytes.extend_from_slice(tail.as_bytes());
                    put(OutputFile { path: urls::territoire_geojson(&t.id), bytes })
                })
                .collect::<Vec<R>>()
        },
    );
    geojson.extend_from_slice(geojson_tail.as_bytes());
    let geojson = put(OutputFile { path: format!("{DIR}/{GEOJSON}"), bytes: geojson });
    let [csv, structures, services] = written;
    let mut files = vec![csv, geojson, structures, services];
    files.extend(territories);
    files
}

/// Points whose records a build makes at a time ([`files`]).
const WAVE: usize = 2048;

/// The three exports with one record per point, joined in the points'
/// order after their heads, and where each point's feature is in the
/// GeoJSON (the territories' files take them from there).
struct Joined {
    csv: Vec<u8>,
    geojson: Vec<u8>,
    services: Vec<u8>,
    features: Vec<std::ops::Range<usize>>,
}

impl Joined {
    /// `size`: about how many bytes of records will be pushed.
    fn new(heads: [&[u8]; 3], size: usize) -> Joined {
        let with = |head: &[u8], share: usize| {
            let mut v = Vec::with_capacity(head.len() + share + 16);
            v.extend_from_slice(head);
            v
        };
        // The CSV row is about a fifth of a point's records, the feature and
        // the service two fifths each.
        Joined {
            csv: with(heads[0], size / 5),
            geojson: with(heads[1], size * 2 / 5),
            services: with(heads[2], size * 2 / 5),
            features: Vec::new(),
        }
    }

    fn push(&mut self, r: &Records) {
        let first = self.features.is_empty();
        self.csv.extend_from_slice(&r.csv);
        if !first {
            self.geojson.extend_from_slice(b",\n");
            self.services.extend_from_slice(b",\n");
        }
        let start = self.geojson.len();
        self.geojson.extend_from_slice(&r.feature);
        self.features.push(start..self.geojson.len());
        self.services.extend_from_slice(&r.service);
    }
}

impl Records {
    fn len(&self) -> usize {
        self.csv.len() + self.feature.len() + self.service.len()
    }
}

/// A point's [`Records`], its regular week read once for the CSV and the
/// GeoJSON.
fn records(site: &Site, l: &Lieu, weeks: &crate::site::coverage::Semaines, today: NaiveDate) -> Records {
    let semaine = hours_and_season(l, weeks, today, &french());
    let mut w = csv_writer(Vec::with_capacity(1024));
    // Writing to a Vec cannot fail; neither can serialising plain data.
    let _ = w.write_record(csv_row(site, l, &semaine).into_iter().map(protect_owned));
    let json = |size: usize, write: &dyn Fn(&mut Vec<u8>) -> serde_json::Result<()>| {
        let mut out = Vec::with_capacity(size);
        let _ = write(&mut out);
        out
    };
    Records {
        csv: w.into_inner().unwrap_or_default(),
        feature: json(2048, &|out| serde_json::to_writer(out, &feature(site, l, &semaine))),
        service: json(2048, &|out| serde_json::to_writer(out, &service(site, l))),
    }
}

/// Items per piece of an export made in parallel: large enough that
/// joining the pieces costs nothing, small enough to share the work.
const CHUNK: usize = 256;

/// A JSON array of one record per item, one record a line, between `head`
/// and `tail`: valid JSON that a reader or `diff` takes line by line.
/// Records are serialised in parallel, then joined in the items' order.
fn json_records<'s, T: Sync, R: Serialize>(
    head: &str,
    items: &'s [T],
    record: impl Fn(&'s T) -> R + Sync,
    tail: &str,
) -> Vec<u8> {
    let pieces: Vec<Vec<u8>> = items
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut out = Vec::with_capacity(chunk.len() * 512);
            for item in chunk {
                // Serialising plain data into a Vec cannot fail.
                let _ = serde_json::to_writer(&mut out, &record(item));
                out.extend_from_slice(b",\n");
            }
            out
        })
        .collect();
    let mut out = Vec::with_capacity(head.len() + pieces.iter().map(Vec::len).sum::<usize>() + tail.len());
    out.extend_from_slice(head.as_bytes());
    for p in &pieces {
        out.extend_from_slice(p);
    }
    // The last record takes no comma.
    if !items.is_empty() {
        out.truncate(out.len() - 2);
        out.push(b'\n');
    }
    out.extend_from_slice(tail.as_bytes());
    out
}

fn page_url(site: &Site, l: &Lieu) -> String {
    urls::lieu(&site.config.url, &l.id)
}

fn values<T: Vocabulary>(items: &[T]) -> Vec<&'static str> {
    items.iter().map(|v| v.value()).collect()
}

fn structure_of<'s>(site: &'s Site, l: &Lieu) -> Option<&'s Structure> {
    site.structure(&l.structure)
}

// ---------------------------------------------------------------------- CSV

/// Column names of the CSV, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "nom",
    "structure",
    "structure_nom",
    "services",
    "adresse",
    "complement_adresse",
    "code_postal",
    "commune",
    "code_insee",
    "latitude",
    "longitude",
    "horaires_accueil",
    "horaires_semaine",
    "acces",
    "conditions_acces",
    "justificatifs",
    "frais",
    "frais_precisions",
    "publics",
    "langues",
    "accessibilite_pmr",
    "telephone",
    "courriel",
    "site_web",
    "date_maj",
    "url",
];

/// Separator inside a cell holding a list of free texts.
pub const LIST_SEPARATOR: &str = " | ";

/// What the open data page says of the files' format.
pub const FORMAT: FormatDonnees =
    FormatDonnees { colonnes: CSV_COLUMNS, separateur_liste: LIST_SEPARATOR, thematique: THEMATIQUE };

/// The CSV is UTF-8 with a byte-order mark and `;` between cells: what a
/// spreadsheet set to French opens without an import dialog. One row per
/// point.
fn csv_writer(out: Vec<u8>) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().delimiter(b';').from_writer(out)
}

/// The byte-order mark and the row of column names.
fn csv_head() -> Vec<u8> {
    let mut head = csv_writer(Vec::from("\u{feff}".as_bytes()));
    let _ = head.write_record(CSV_COLUMNS.iter().map(|c| protect(c)));
    head.into_inner().unwrap_or_default()
}

/// A point's cells, in the order of [`CSV_COLUMNS`].
fn csv_row(site: &Site, l: &Lieu, semaine: &[String]) -> Vec<String> {
    let a = &l.adresse;
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    vec![
        l.id.clone(),
        l.nom.clone(),
        l.structure.clone(),
        structure_of(site, l).map(|s| s.nom.clone()).unwrap_or_default(),
        values(&l.services).join(", "),
        a.adresse.clone(),
        opt(&a.complement_adresse),
        a.code_postal.clone(),
        a.commune.clone(),
        opt(&a.code_insee),
        l.latitude.to_string(),
        l.longitude.to_string(),
        l.horaires.as_ref().map(|h| h.texte.clone()).unwrap_or_default(),
        semaine.join(" ; "),
        values(&l.acces).join(", "),
        opt(&l.conditions_acces),
        l.justificatifs.join(LIST_SEPARATOR),
        l.frais.value().to_string(),
        opt(&l.frais_precisions),
        values(&l.publics).join(", "),
        l.langues.join(", "),
        match l.accessibilite_pmr {
            Some(true) => "oui".into(),
            Some(false) => "non".into(),
            None => String::new(),
        },
        opt(&l.telephone),
        opt(&l.courriel),
        opt(&l.site_web),
        crate::text::format::iso_date(l.date_maj),
        page_url(site, l),
    ]
}

/// Characters that make a spreadsheet read a cell as a formula (and the
/// apostrophe itself, so that [`unprotect`] gives back exactly the text).
const FORMULA_START: &[char] = &['=', '+', '-', '@', '\t', '\r', '\''];

/// Neutralises a cell a spreadsheet would run as a formula by putting an
/// apostrophe in front of it. Numbers (`-1.55`) stay numbers.
pub fn protect(cell: &str) -> String {
    match cell.chars().next() {
        Some(c) if FORMULA_START.contains(&c) && cell.parse::<f64>().is_err() => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// [`protect`] of a cell already owned: most cells are kept as they are.
fn protect_owned(cell: String) -> String {
    if cell.starts_with(FORMULA_START) { protect(&cell) } else { cell }
}

/// The inverse of [`protect`], for programs reading the CSV back.
pub fn unprotect(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) && rest.parse::<f64>().is_err() => rest,
        _ => cell,
    }
}

// ------------------------------------------------------------------ GeoJSON

#[derive(Serialize)]
struct Feature<'a> {
    #[serde(rename = "type")]
    type_: &'static str,
    id: &'a str,
    geometry: Geometry,
    properties: Properties<'a>,
}

#[derive(Serialize)]
struct Geometry {
    #[serde(rename = "type")]
    type_: &'static str,
    /// Longitude first (RFC 7946).
    coordinates: [f64; 2],
}

/// What a reuser needs to send someone to a point: the CSV's columns under
/// the same names (lists as arrays, the position as the geometry), with
/// the labels of the kinds of help, the closures, the territories and the
/// details of the publics. Every GeoJSON export has these properties.
#[derive(Serialize)]
struct Properties<'a> {
    id: &'a str,
    nom: &'a str,
    structure: &'a str,
    structure_nom: Option<&'a str>,
    services: Vec<&'static str>,
    services_libelles: Vec<&'static str>,
    adresse: &'a str,
    complement_adresse: Option<&'a str>,
    code_postal: &'a str,
    commune: &'a str,
    code_insee: Option<&'a str>,
    /// OpenStreetMap `opening_hours` syntax.
    horaires_accueil: Option<&'a str>,
    horaires_semaine: &'a [String],
    /// Temporary closures, `[du, au]` (ISO dates).
    fermetures: Vec<[String; 2]>,
    acces: Vec<&'static str>,
    conditions_acces: Option<&'a str>,
    justificatifs: &'a [String],
    frais: &'static str,
    frais_precisions: Option<&'a str>,
    publics: Vec<&'static str>,
    publics_precisions: Option<&'a str>,
    langues: &'a [String],
    accessibilite_pmr: Option<bool>,
    telephone: Option<&'a str>,
    courriel: Option<&'a str>,
    site_web: Option<&'a str>,
    date_maj: String,
    territoires: &'a [String],
    /// The point's page, absolute from the site's URL.
    url: String,
}

/// A point's feature in the RFC 7946 FeatureCollections of points
/// (longitude first, one feature a line); `semaine` is its
/// [`hours_and_season`].
fn feature<'s>(site: &'s Site, l: &'s Lieu, semaine: &'s [String]) -> Feature<'s> {
    let a = &l.adresse;
    let iso = crate::text::format::iso_date;
    Feature {
        type_: "Feature",
        id: &l.id,
        geometry: Geometry { type_: "Point", coordinates: [l.longitude, l.latitude] },
        properties: Properties {
            id: &l.id,
            nom: &l.nom,
            structure: &l.structure,
            structure_nom: structure_of(site, l).map(|s| s.nom.as_str()),
            services: values(&l.services),
            services_libelles: l.services.iter().map(|s| s.label()).collect(),
            adresse: &a.adresse,
            complement_adresse: a.complement_adresse.as_deref(),
            code_postal: &a.code_postal,
            commune: &a.commune,
            code_insee: a.code_insee.as_deref(),
            horaires_accueil: l.horaires.as_ref().map(|h| h.texte.as_str()),
            horaires_semaine: semaine,
            fermetures: l.fermetures.iter().map(|f| [iso(f.du), iso(f.au)]).collect(),
            acces: values(&l.acces),
            conditions_acces: l.conditions_acces.as_deref(),
            justificatifs: &l.justificatifs,
            frais: l.frais.value(),
            frais_precisions: l.frais_precisions.as_deref(),
            publics: values(&l.publics),
            publics_precisions: l.publics_precisions.as_deref(),
            langues: &l.langues,
            accessibilite_pmr: l.accessibilite_pmr,
            telephone: l.telephone.as_deref(),
            courriel: l.courriel.as_deref(),
            site_web: l.site_web.as_deref(),
            date_maj: iso(l.date_maj),
            territoires: &l.territoires,
            url: page_url(site, l),
        },
    }
}

// ----------------------------------------------------------- data·inclusion

#[derive(Serialize)]
struct DiStructure {
    source: &'static str,
    id: String,
    nom: String,
    date_maj: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    siret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    telephone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    courriel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    site_web: Option<String>,
    lien_source: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    reseaux_porteurs: Vec<String>,
}

/// The data·inclusion v1 `structure` record of a structure.
fn structure(site: &Site, s: &Structure) -> DiStructure {
    DiStructure {
        source: SOURCE,
        id: s.id.clone(),
        nom: clip(&s.nom, 150),
        date_maj: crate::text::format::iso_date(s.date_maj),
        description: s
            .presentation
            .as_deref()
            .map(crate::text::markdown::plain_text)
            .filter(|p| p.chars().count() >= 5)
            .map(|p| clip(&p, 10_000)),
        siret: s.siret.clone(),
        telephone: s.telephone.as_deref().and_then(phone_link),
        courriel: s.courriel.clone(),
        site_web: s.site_web.clone(),
        lien_source: urls::structure(&site.config.url, &s.id),
        reseaux_porteurs: s.reseaux_porteurs.clone(),
    }
}

#[derive(Serialize)]
struct DiService {
    source: &'static str,
    id: String,
    structure_id: String,
    nom: String,
    description: String,
    date_maj: String,
    #[serde(rename = "type")]
    type_: &'static str,
    thematiques: Vec<&'static str>,
    frais: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    frais_precisions: Option<String>,
    publics: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publics_precisions: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    conditions_acces: Option<String>,
    adresse: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    complement_adresse: Option<String>,
    code_postal: String,
    commune: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_insee: Option<String>,
    latitude: f64,
    longitude: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    telephone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    courriel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    horaires_accueil: Option<String>,
    modes_accueil: Vec<&'static str>,
    modes_mobilisation: Vec<&'static str>,
    mobilisable_par: Vec<&'static str>,
    lien_source: String,
}

/// The data·inclusion v1 `service` record of a point: one per point, since
/// a point is one place, one team and one set of hours even when it gives
/// several kinds of food help (listed in the description).
fn service(site: &Site, l: &Lieu) -> DiService {
    {
        let a = &l.adresse;
        let kinds = l.services.iter().map(|s| s.label()).collect::<Vec<_>>().join(", ");
        let acces = l.acces.iter().map(|x| x.label()).collect::<Vec<_>>().join(" ; ");
        // data·inclusion's `description` is text, not Markdown.
        let description = match &l.description {
            Some(d) => format!("{kinds}. {acces}.\n\n{}", crate::text::markdown::plain_text(d)),
            None => format!("{kinds}. {acces}."),
        };
        let mut conditions: Vec<String> = l.conditions_acces.iter().cloned().collect();
        if !l.justificatifs.is_empty() {
            conditions.push(format!("Documents à apporter : {}", l.justificatifs.join(", ")));
        }
        let only_workshops = l.services.iter().all(|s| matches!(s, Service::AtelierCuisine | Service::JardinSolidaire));
        let telephone = l.telephone.as_deref().and_then(phone_link);
        let mut modes_mobilisation = Vec::new();
        if l.acces.contains(&Acces::SansCondition) {
            modes_mobilisation.push("se-presenter");
        }
        if telephone.is_some() {
            modes_mobilisation.push("telephoner");
        }
        if l.courriel.is_some() {
            modes_mobilisation.push("envoyer-un-courriel");
        }
        if modes_mobilisation.is_empty() {
            modes_mobilisation.push("se-presenter");
        }
        let mut mobilisable_par = Vec::new();
        if l.acces.contains(&Acces::Orientation) {
            mobilisable_par.push("professionnels");
        }
        if sans_orientation(l) {
            mobilisable_par.push("usagers");
        }
        DiService {
            source: SOURCE,
            id: l.id.clone(),
            structure_id: l.structure.clone(),
            nom: clip(&l.nom, 150),
            description: clip(&description, 10_000),
            date_maj: crate::text::format::iso_date(l.date_maj),
            type_: if only_workshops { "atelier" } else { "aide-materielle" },
            thematiques: vec![THEMATIQUE],
            frais: l.frais.value(),
            frais_precisions: l.frais_precisions.clone(),
            publics: values(&l.publics),
            publics_precisions: l.publics_precisions.clone(),
            conditions_acces: (!conditions.is_empty()).then(|| conditions.join(". ")),
            adresse: a.adresse.clone(),
            complement_adresse: a.complement_adresse.clone(),
            code_postal: a.code_postal.clone(),
            commune: a.commune.clone(),
            code_insee: a.code_insee.clone(),
            latitude: l.latitude,
            longitude: l.longitude,
            telephone,
            courriel: l.courriel.clone(),
            horaires_accueil: l.horaires.as_ref().map(|h| h.texte.clone()),
            modes_accueil: vec!["en-presentiel"],
            modes_mobilisation,
            mobilisable_par,
            lien_source: page_url(site, l),
        }
    }
}

/// At most `max` characters, cut at a character boundary.
fn clip(s: &str, max: usize) -> String {
    // A character is at least one byte: a text of at most `max` bytes is
    // kept whole without counting.
    if s.len() <= max {
        return s.to_string();
    }
    match s.char_indices().nth(max) {
        Some((end, _)) => s[..end].to_string(),
        None => s.to_string(),
    }
}

// ------------------------------------------------------------------ JSON-LD

/// `dayOfWeek` of each weekday, Monday first.
const SCHEMA_DAYS: [&str; 7] = [
    "https://schema.org/Monday",
    "https://schema.org/Tuesday",
    "https://schema.org/Wednesday",
    "https://schema.org/Thursday",
    "https://schema.org/Friday",
    "https://schema.org/Saturday",
    "https://schema.org/Sunday",
];

// The JSON-LD is written from these structs rather than built as a
// `serde_json::Value` (a map per object, a string per key): a point page
// is made for every point and language. Their fields are declared in the
// byte order of their keys, the order the `Value` maps printed them in,
// so that pages keep the same bytes; a test checks the order.

#[derive(Serialize)]
struct LdOrganization<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    type_: &'static str,
    location: LdPlace<'a>,
    name: &'a str,
    telephone: Option<String>,
    url: Option<String>,
}

#[derive(Serialize)]
struct LdPlace<'a> {
    #[serde(rename = "@type")]
    type_: &'static str,
    address: LdAddress<'a>,
    description: String,
    geo: LdGeo,
    #[serde(rename = "isAccessibleForFree")]
    is_accessible_for_free: bool,
    name: &'a str,
    #[serde(rename = "openingHoursSpecification")]
    opening_hours_specification: Vec<LdHours>,
    telephone: Option<String>,
    url: String,
}

#[derive(Serialize)]
struct LdAddress<'a> {
    #[serde(rename = "@type")]
    type_: &'static str,
    #[serde(rename = "addressCountry")]
    address_country: &'static str,
    #[serde(rename = "addressLocality")]
    address_locality: &'a str,
    #[serde(rename = "postalCode")]
    postal_code: &'a str,
    #[serde(rename = "streetAddress")]
    street_address: String,
}

#[derive(Serialize)]
struct LdGeo {
    #[serde(rename = "@type")]
    type_: &'static str,
    latitude: f64,
    longitude: f64,
}

/// One `OpeningHoursSpecification`; `validFrom` and `validThrough` only
/// for the hours of one date.
#[derive(Serialize)]
struct LdHours {
    #[serde(rename = "@type")]
    type_: &'static str,
    /// Left out for an open-ended period without a written end (`19:00+`):
    /// it does not close at midnight.
    #[serde(skip_serializing_if = "Option::is_none")]
    closes: Option<Hm>,
    #[serde(rename = "dayOfWeek")]
    day_of_week: &'static str,
    opens: Hm,
    #[serde(rename = "validFrom", skip_serializing_if = "Option::is_none")]
    valid_from: Option<IsoDate>,
    #[serde(rename = "validThrough", skip_serializing_if = "Option::is_none")]
    valid_through: Option<IsoDate>,
}

/// Minutes from midnight written `"09:30"` (a period ending at midnight,
/// 1440, is `"00:00"`).
#[derive(Clone, Copy)]
struct Hm(u16);

impl Serialize for Hm {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{:02}:{:02}", (self.0 / 60) % 24, self.0 % 60))
    }
}

/// A date written `"2026-12-05"`.
#[derive(Clone, Copy)]
struct IsoDate(NaiveDate);

impl Serialize for IsoDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::text::format::iso_date(self.0))
    }
}

/// [`reference_weeks`] of `today`, kept per thread: every point page of a
/// build asks for the same weeks.
fn weeks_of(today: NaiveDate) -> crate::site::coverage::Semaines {
    use std::cell::Cell;
    thread_local! {
        static WEEKS: Cell<Option<(NaiveDate, crate::site::coverage::Semaines)>> = const { Cell::new(None) };
    }
    WEEKS.with(|kept| match kept.get() {
        Some((day, weeks)) if day == today => weeks,
        _ => {
            let weeks = reference_weeks(today);
            kept.set(Some((today, weeks)));
            weeks
        }
    })
}

/// schema.org description of a point for search engines: the organisation
/// running it, with the place (address, position, regular opening hours).
/// Returned escaped for a `<script type="application/ld+json">` element.
///
/// A weekday whose hours are the same every week (see
/// [`crate::site::coverage`]) gives one specification per period; one whose
/// hours vary gives one per period and date, valid on that date only
/// (`validFrom` and `validThrough`).
pub fn lieu_jsonld(site: &Site, l: &Lieu, today: NaiveDate) -> String {
    let mut hours = Vec::new();
    for (i, jour) in jours_habituels(l, &weeks_of(today)).as_deref().into_iter().flatten().enumerate() {
        let spec = |p: &crate::model::hours::Periode, date: Option<NaiveDate>| LdHours {
            type_: "OpeningHoursSpecification",
            closes: (!(p.fin_ouverte && p.fin >= 24 * 60)).then_some(Hm(p.fin)),
            day_of_week: SCHEMA_DAYS[i],
            opens: Hm(p.debut),
            valid_from: date.map(IsoDate),
            valid_through: date.map(IsoDate),
        };
        match jour {
            JourHabituel::Regulier(h) => hours.extend(h.periodes.iter().map(|p| spec(p, None))),
            JourHabituel::Variable { horaires, .. } => {
                for (h, dates) in horaires {
                    for date in dates {
                        hours.extend(h.periodes.iter().map(|p| spec(p, Some(*date))));
                    }
                }
            }
        }
    }
    let a = &l.adresse;
    let street = match &a.complement_adresse {
        Some(c) => format!("{}, {c}", a.adresse),
        None => a.adresse.clone(),
    };
    let place = LdPlace {
        type_: "Place",
        address: LdAddress {
            type_: "PostalAddress",
            address_country: "FR",
            address_locality: &a.commune,
            postal_code: &a.code_postal,
            street_address: street,
        },
        description: l.services.iter().map(|s| s.label()).collect::<Vec<_>>().join(", "),
        geo: LdGeo { type_: "GeoCoordinates", latitude: l.latitude, longitude: l.longitude },
        is_accessible_for_free: l.frais == crate::model::vocab::Frais::Gratuit,
        name: &l.nom,
        opening_hours_specification: hours,
        telephone: l.telephone.as_deref().and_then(phone_link),
        url: page_url(site, l),
    };
    let s = structure_of(site, l);
    let doc = LdOrganization {
        context: "https://schema.org",
        type_: "Organization",
        location: place,
        name: s.map_or(&l.nom, |s| &s.nom),
        telephone: s.and_then(|s| s.telephone.as_deref()).and_then(phone_link),
        url: s.map(|s| urls::structure(&site.config.url, &s.id)),
    };
    // Serialising plain data into a String cannot fail.
    script_safe(serde_json::to_string(&doc).unwrap_or_else(|_| "{}".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::html::script_json;
    use serde_json::json;

    #[test]
    fn formulas_are_neutralised_and_given_back() {
        for cell in ["=SOMME(A1)", "+33 1 48", "-x", "@cmd", "'déjà", "\tx"] {
            let p = protect(cell);
            assert!(p.starts_with('\''), "{cell}");
            assert_eq!(unprotect(&p), cell);
        }
        for cell in ["-1.55", "48.9", "Épicerie", "", "a=b"] {
            assert_eq!(protect(cell), cell);
            assert_eq!(unprotect(cell), cell);
        }
    }

    #[test]
    fn script_json_cannot_close_the_element() {
        let v = json!({ "name": "</script><script>alert(1)</script><!-- & \u{2028}" });
        let s = script_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn script_safe_escapes_only_what_it_must() {
        let text = "a’–<b>\u{2028}c & d\u{2029}é";
        let mut expected = String::new();
        for c in text.chars() {
            match c {
                '<' => expected.push_str("\\u003c"),
                '>' => expected.push_str("\\u003e"),
                '&' => expected.push_str("\\u0026"),
                '\u{2028}' => expected.push_str("\\u2028"),
                '\u{2029}' => expected.push_str("\\u2029"),
                c => expected.push(c),
            }
        }
        assert_eq!(script_safe(text.to_string()), expected);
        assert_eq!(script_safe("plain ’ text".to_string()), "plain ’ text");
    }

    /// The JSON-LD structs print their keys in the order a
    /// `serde_json::Value` map sorts them, as point pages always had them.
    #[test]
    fn jsonld_keys_are_in_map_order() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let doc = LdOrganization {
            context: "https://schema.org",
            type_: "Organization",
            location: LdPlace {
                type_: "Place",
                address: LdAddress {
                    type_: "PostalAddress",
                    address_country: "FR",
                    address_locality: "Montreuil",
                    postal_code: "93100",
                    street_address: "1 rue de Paris".into(),
                },
                description: "Repas".into(),
                geo: LdGeo { type_: "GeoCoordinates", latitude: 48.86, longitude: 2.44 },
                is_accessible_for_free: true,
                name: "Lieu",
                opening_hours_specification: vec![LdHours {
                    type_: "OpeningHoursSpecification",
                    closes: Some(Hm(1440)),
                    day_of_week: SCHEMA_DAYS[5],
                    opens: Hm(570),
                    valid_from: Some(IsoDate(date)),
                    valid_through: Some(IsoDate(date)),
                }],
                telephone: Some("+33100000000".into()),
                url: "https://exemple.org/lieux/lieu.html".into(),
            },
            name: "Structure",
            telephone: None,
            url: Some("https://exemple.org/structures/s.html".into()),
        };
        let direct = serde_json::to_string(&doc).unwrap();
        let through_map = serde_json::to_string(&serde_json::to_value(&doc).unwrap()).unwrap();
        assert_eq!(direct, through_map);
        assert!(direct.contains(
            r#""closes":"00:00","dayOfWeek":"https://schema.org/Saturday","opens":"09:30","validFrom":"2026-12-05""#
        ));
    }
}
