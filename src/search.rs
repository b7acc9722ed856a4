//! The search index: small data files that `assets/recherche.js` loads in
//! the visitor's browser, and the views of the search page and of the
//! per-commune pages that replace search when JavaScript is off.
//!
//! The index is split so that a first query on a large directory loads
//! little: the script reads `recherche/meta.js` (labels, which token shards
//! exist), then the token shards named by the first two letters of each
//! word typed (`recherche/t-ep.js`: folded words and the points holding
//! them), then only the detail blocks (`recherche/p-N.js`, 16 points each)
//! and hours blocks (`recherche/h-N.js`) of the results it shows. Places for
//! "near me" (`recherche/geo.js`: communes, postal codes, block bounds) load
//! only when asked for.
//!
//! Points are numbered along a Z-order curve of their coordinates, so that a
//! block holds neighbours: sorting by distance loads the blocks nearest the
//! visitor first.
//!
//! Data files are scripts calling `ALIMAP_recu(name, data)` rather than JSON:
//! a page opened from disk (`file://`) may load scripts but not fetch
//! files. The data is JSON from serde_json, which is valid JavaScript.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Value, json};

use crate::i18n::Tr;
use crate::model::{Lieu, Site};
use crate::render::OutputFile;
use crate::render::view::{self, Label, LieuCard, Link};
use crate::text;
use crate::vocab::{self, Acces, Frais, Public, Regime, Service, Vocabulary};

/// Days of hours evaluated from the build date. Past them the search page
/// says "horaires à confirmer" instead of guessing.
pub const DAYS: u32 = 56;

/// Points per detail and hours block.
pub const BLOCK: usize = 16;

/// Words too common to help find a point; also dropped from queries.
const STOP_WORDS: &[&str] =
    &["a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour", "sur", "un", "une"];

/// Folded words of a text, as the script folds a query: lower case, no
/// accents, split on anything but ASCII letters and digits.
pub fn tokens(s: &str) -> Vec<String> {
    text::fold(s)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 2 && !STOP_WORDS.contains(w))
        .map(str::to_string)
        .collect()
}

/// Points in Z-order of their coordinates, then by id.
pub fn ordered(site: &Site) -> Vec<&Lieu> {
    let mut lieux: Vec<&Lieu> = site.lieux.iter().collect();
    lieux.sort_by_cached_key(|l| (z_order(l.latitude, l.longitude), l.id.clone()));
    lieux
}

/// Interleaves the bits of both coordinates quantised to 16 bits over
/// France's extent (overseas included), so that close points get close keys.
fn z_order(lat: f64, lon: f64) -> u32 {
    let q = |v: f64, min: f64, max: f64| (((v - min) / (max - min)).clamp(0.0, 1.0) * 65535.0) as u32;
    let (y, x) = (q(lat, -22.0, 52.0), q(lon, -62.0, 56.0));
    let mut key = 0u32;
    for bit in 0..16 {
        key |= ((x >> bit) & 1) << (2 * bit);
        key |= ((y >> bit) & 1) << (2 * bit + 1);
    }
    key
}

/// Points of one commune, for "near" a commune and the no-JavaScript pages.
pub struct Commune<'a> {
    pub slug: String,
    pub nom: String,
    pub codes_postaux: Vec<String>,
    pub lieux: Vec<&'a Lieu>,
}

/// Communes by name and département (the first two digits of the postal
/// code), sorted by folded name; slugs get the département when two
/// communes share a name.
pub fn communes(site: &Site) -> Vec<Commune<'_>> {
    let mut groups: BTreeMap<(String, String, String), Vec<&Lieu>> = BTreeMap::new();
    for l in &site.lieux {
        let dep: String = l.adresse.code_postal.chars().take(2).collect();
        groups.entry((text::fold(&l.adresse.commune), dep, l.adresse.commune.clone())).or_default().push(l);
    }
    let mut slug_count: BTreeMap<String, usize> = BTreeMap::new();
    for (folded, _, _) in groups.keys() {
        *slug_count.entry(text::slugify(folded)).or_default() += 1;
    }
    groups
        .into_iter()
        .map(|((folded, dep, nom), mut lieux)| {
            let base = text::slugify(&folded);
            let base = if base.is_empty() { "commune".to_string() } else { base };
            let slug = if slug_count.get(&base).copied().unwrap_or(0) > 1 { format!("{base}-{dep}") } else { base };
            lieux.sort_by(|a, b| (&a.nom, &a.id).cmp(&(&b.nom, &b.id)));
            let codes: BTreeSet<String> = lieux.iter().map(|l| l.adresse.code_postal.clone()).collect();
            Commune { slug, nom, codes_postaux: codes.into_iter().collect(), lieux }
        })
        .collect()
}

/// Rounds a coordinate to about one metre, so that files stay small and
/// identical from one build to the next.
fn coord(v: f64) -> f64 {
    (v * 1e5).round() / 1e5
}

fn mean(points: impl Iterator<Item = (f64, f64)>) -> (f64, f64) {
    let (mut la, mut lo, mut n) = (0.0, 0.0, 0.0);
    for (a, o) in points {
        la += a;
        lo += o;
        n += 1.0;
    }
    if n == 0.0 { (0.0, 0.0) } else { (coord(la / n), coord(lo / n)) }
}

fn data_file(name: &str, data: &Value) -> OutputFile {
    OutputFile {
        path: format!("recherche/{name}.js"),
        bytes: format!("ALIMAP_recu({},{});\n", json!(name), data).into_bytes(),
    }
}

fn indices<T: Vocabulary + PartialEq>(items: &[T]) -> Vec<usize> {
    items.iter().filter_map(|v| T::ALL.iter().position(|a| a == v)).collect()
}

fn vocab_labels<T: Vocabulary>() -> Vec<(&'static str, &'static str)> {
    T::ALL.iter().map(|v| (v.value(), v.label())).collect()
}

/// Sorted point numbers as base-36 gaps (`"0,3,1a"`): short, and gzip
/// shrinks the runs of a frequent word to almost nothing.
fn postings(ids: &BTreeSet<usize>) -> String {
    let mut out = String::new();
    let mut prev = 0;
    for (i, &id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&base36(id - prev));
        prev = id;
    }
    out
}

fn base36(mut n: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[n % 36]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII digits")
}

/// One point's hours over [`DAYS`] days from `today`: distinct day
/// patterns (`"540-720 840-1020"` in minutes, `""` when closed) and one
/// character per day, the pattern's index in base 36, or `!` for a
/// temporary closure and `?` when the hours say the state is unknown.
fn hours_of(l: &Lieu, today: NaiveDate) -> Value {
    let Some(h) = &l.horaires else { return Value::Null };
    let mut patterns: Vec<String> = Vec::new();
    let mut days = String::new();
    for date in today.iter_days().take(DAYS as usize) {
        let d = h.day(date, &l.fermetures);
        if d.fermeture.is_some() {
            days.push('!');
            continue;
        }
        if d.periodes.is_empty() && d.incertain {
            days.push('?');
            continue;
        }
        let p = d.periodes.iter().map(|p| format!("{}-{}", p.debut, p.fin)).collect::<Vec<_>>().join(" ");
        let i = patterns.iter().position(|x| *x == p).unwrap_or_else(|| {
            patterns.push(p);
            patterns.len() - 1
        });
        // 36 distinct days in 8 weeks would be odd hours; past that, the
        // day is left unknown rather than written wrong.
        days.push(if i < 36 { base36(i).chars().next().unwrap_or('?') } else { '?' });
    }
    json!([patterns, days])
}

fn detail(site: &Site, l: &Lieu) -> Value {
    json!([
        l.id,
        l.nom,
        site.structure(&l.structure).map(|s| s.nom.as_str()).unwrap_or(""),
        l.adresse.commune,
        match &l.adresse.complement_adresse {
            Some(c) => format!("{}, {}", l.adresse.adresse, c),
            None => l.adresse.adresse.clone(),
        },
        l.adresse.code_postal,
        coord(l.latitude),
        coord(l.longitude),
        indices(&l.services),
        indices(&l.acces),
        u8::from(l.frais == Frais::Gratuit),
        u8::from(!l.justificatifs.is_empty()),
        indices(&l.publics),
        l.langues,
        match l.accessibilite_pmr {
            Some(true) => 1,
            Some(false) => 0,
            None => -1,
        },
        indices(&l.regimes),
    ])
}

/// Every file of the index, sorted by path.
pub fn files(site: &Site, today: NaiveDate) -> Vec<OutputFile> {
    let lieux = ordered(site);
    let mut files = Vec::new();

    // Words → point numbers, sharded by their first two characters.
    let mut words: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for (i, l) in lieux.iter().enumerate() {
        let mut fields = vec![l.nom.as_str(), l.adresse.commune.as_str(), l.adresse.code_postal.as_str()];
        fields.push(l.adresse.adresse.as_str());
        fields.extend(site.structure(&l.structure).map(|s| s.nom.as_str()));
        for s in &l.services {
            fields.push(s.label());
            fields.push(s.value());
        }
        for f in fields {
            for w in tokens(f) {
                words.entry(w).or_default().insert(i);
            }
        }
    }
    let mut shards: BTreeMap<String, serde_json::Map<String, Value>> = BTreeMap::new();
    for (w, ids) in &words {
        shards.entry(w[..2].to_string()).or_default().insert(w.clone(), Value::String(postings(ids)));
    }
    for (key, map) in &shards {
        files.push(data_file(&format!("t-{key}"), &Value::Object(map.clone())));
    }

    // Detail and hours, block by block.
    let mut bounds = Vec::new();
    for (n, block) in lieux.chunks(BLOCK).enumerate() {
        files.push(data_file(&format!("p-{n}"), &Value::Array(block.iter().map(|l| detail(site, l)).collect())));
        files.push(data_file(&format!("h-{n}"), &Value::Array(block.iter().map(|l| hours_of(l, today)).collect())));
        let lat = block.iter().map(|l| coord(l.latitude));
        let lon = block.iter().map(|l| coord(l.longitude));
        bounds.push(json!([
            lat.clone().fold(f64::MAX, f64::min),
            lon.clone().fold(f64::MAX, f64::min),
            lat.fold(f64::MIN, f64::max),
            lon.fold(f64::MIN, f64::max),
        ]));
    }

    // Places a visitor may type for "near": communes and postal codes, at
    // the mean position of their points.
    let communes: Vec<Value> = communes(site)
        .iter()
        .map(|c| {
            let (lat, lon) = mean(c.lieux.iter().map(|l| (l.latitude, l.longitude)));
            json!([c.nom, text::fold(&c.nom), lat, lon])
        })
        .collect();
    let mut by_code: BTreeMap<&str, Vec<&Lieu>> = BTreeMap::new();
    for l in &site.lieux {
        by_code.entry(l.adresse.code_postal.as_str()).or_default().push(l);
    }
    let codes: serde_json::Map<String, Value> = by_code
        .iter()
        .map(|(code, ls)| {
            let (lat, lon) = mean(ls.iter().map(|l| (l.latitude, l.longitude)));
            (code.to_string(), json!([lat, lon]))
        })
        .collect();
    files.push(data_file("geo", &json!({ "communes": communes, "codes": codes, "blocs": bounds })));

    let langues: BTreeSet<&str> = site.lieux.iter().flat_map(|l| l.langues.iter().map(String::as_str)).collect();
    files.push(data_file(
        "meta",
        &json!({
            "fuseau": site.config.fuseau_horaire.name(),
            "debut": today.format("%Y-%m-%d").to_string(),
            "jours": DAYS,
            "bloc": BLOCK,
            "nombre": lieux.len(),
            "cles": shards.keys().collect::<Vec<_>>(),
            "services": vocab_labels::<Service>(),
            "acces": vocab_labels::<Acces>(),
            "publics": vocab_labels::<Public>(),
            "regimes": vocab_labels::<Regime>(),
            "langues": langues.iter().map(|c| (c, vocab::langue_label(c).unwrap_or(c))).collect::<Vec<_>>(),
        }),
    ));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

#[derive(Serialize)]
pub struct CommuneItem {
    pub href: String,
    pub nom: String,
    pub codes_postaux: String,
    pub nombre_lieux: usize,
}

#[derive(Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// The search page: the form's choices, and browsing without JavaScript.
#[derive(Serialize)]
pub struct RecherchePage {
    pub services: Vec<Label>,
    pub publics: Vec<Label>,
    pub regimes: Vec<Label>,
    pub langues: Vec<Choice>,
    pub territoires: Vec<Link>,
    pub communes: Vec<CommuneItem>,
}

fn present<T: Vocabulary + PartialEq>(used: impl Fn(&T) -> bool, tr: &Tr<'_>) -> Vec<Label> {
    T::ALL.iter().filter(|v| used(v)).map(|v| view::label(*v, tr)).collect()
}

pub fn recherche_page(site: &Site, root: &str, tr: &Tr<'_>) -> RecherchePage {
    let langues: BTreeSet<&str> = site.lieux.iter().flat_map(|l| l.langues.iter().map(String::as_str)).collect();
    RecherchePage {
        services: present::<Service>(|s| site.lieux.iter().any(|l| l.services.contains(s)), tr),
        publics: present::<Public>(|p| site.lieux.iter().any(|l| l.publics.contains(p)), tr),
        regimes: present::<Regime>(|r| site.lieux.iter().any(|l| l.regimes.contains(r)), tr),
        langues: langues
            .iter()
            .map(|c| Choice { value: c.to_string(), label: vocab::langue_label(c).unwrap_or(c).to_string() })
            .collect(),
        territoires: site
            .territoires
            .iter()
            .map(|t| Link { href: format!("{root}territoires/{}.html", t.id), text: t.nom.clone() })
            .collect(),
        communes: communes(site)
            .into_iter()
            .map(|c| CommuneItem {
                href: format!("{root}communes/{}.html", c.slug),
                nom: c.nom,
                codes_postaux: c.codes_postaux.join(", "),
                nombre_lieux: c.lieux.len(),
            })
            .collect(),
    }
}

/// A commune's page: all its points, for browsing without JavaScript.
#[derive(Serialize)]
pub struct CommunePage {
    pub nom: String,
    pub codes_postaux: String,
    pub lieux: Vec<LieuCard>,
}

pub fn commune_page(site: &Site, c: &Commune<'_>, today: NaiveDate, root: &str, tr: &Tr<'_>) -> CommunePage {
    CommunePage {
        nom: c.nom.clone(),
        codes_postaux: c.codes_postaux.join(", "),
        lieux: c.lieux.iter().map(|l| view::lieu_card(site, l, today, root, tr)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_fold_accents_case_and_drop_small_words() {
        assert_eq!(tokens("Épicerie sociale de Saint-Denis"), vec!["epicerie", "sociale", "saint", "denis"]);
        assert_eq!(tokens("L’Escale, 93200"), vec!["escale", "93200"]);
    }

    #[test]
    fn postings_are_gaps_in_base_36() {
        let ids: BTreeSet<usize> = [0, 3, 4, 50].into_iter().collect();
        assert_eq!(postings(&ids), "0,3,1,1a");
    }

    #[test]
    fn z_order_keeps_neighbours_close() {
        let paris = z_order(48.85, 2.35);
        let montreuil = z_order(48.86, 2.44);
        let marseille = z_order(43.3, 5.37);
        assert!(paris.abs_diff(montreuil) < paris.abs_diff(marseille));
    }
}
