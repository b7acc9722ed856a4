//! The search index: small data files that `assets/recherche.js` loads in
//! the visitor's browser, and the views of the search page and of the
//! per-commune pages that replace search when JavaScript is off.
//!
//! The index is split so that a first query on a large directory loads
//! little (see benches/README.md for the measured bytes). The search page
//! holds [`meta`] inline (labels, which files exist); its first, inline
//! script asks at once for what the query in the page's address needs,
//! beside `recherche.js`, so that a query takes two round trips after the
//! page: those files, then the detail blocks of the results shown (for
//! « Autour de moi », asked for by the first script as soon as the cells
//! nearest the visitor arrive, before `recherche.js` runs).
//!
//! - words: the token shard named by the first two letters of each word
//!   typed (`t-ep.js`: folded words and the points holding them, see
//!   [`shard_value`]); for words
//!   of five letters or more, also the word lists `v-<key>.js` of its three
//!   keys (see [`variant_keys`]), which find the words one typo away even
//!   when the typo is in the first two letters, and the shards of those
//!   words, asked for only when the words as typed find too few points;
//! - filters: one set of point numbers per filter (`f-*.js`) and per day of
//!   hours (`j-<n>.js`), see [`filters`];
//! - "near": a place typed (`g-<key>.js`) and the coordinates of the cells
//!   nearest the visitor (`c-<n>.js`), see [`near`];
//! - then the detail blocks (`p-N.js`, [`BLOCK`] points each, with their
//!   hours) of the results shown on the page only.
//!
//! Points are numbered along a Z-order curve of their coordinates, so that a
//! block and a cell hold neighbours.
//!
//! Data files are scripts calling `ALIMAP_recu(name, data)` rather than JSON:
//! a page opened from disk (`file://`) may load scripts but not fetch
//! files. The data is JSON from serde_json, which is valid JavaScript.

mod filters;
mod near;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde_json::{Value, json};

use crate::files::kept::{KeyOf, PerPoint, per_point};
use crate::model::hours::{Periode, Periodes};
use crate::model::vocab::{Acces, Frais, Service, Vocabulary};
use crate::model::{Lieu, Site};
use crate::output::OutputFile;
use crate::site::index::Index;
use crate::text::format;
use crate::text::html::script_file;

pub use near::{CELL, plain as place_text};

/// Days of hours evaluated from the build date. Past them the search page
/// says "horaires à confirmer" instead of guessing.
pub const DAYS: u32 = 56;

/// Points per detail block. Eight rather than more: the results of a query
/// with several words or a rare filter are spread over many blocks, and
/// smaller blocks waste less on the points not shown.
pub const BLOCK: usize = 8;

/// Words too common to help find a point; also dropped from queries.
const STOP_WORDS: &[&str] =
    &["a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour", "sur", "un", "une"];

/// Folded words of a text, as the script folds a query: lower case, no
/// accents, split on anything but ASCII letters and digits.
pub fn tokens(s: &str) -> Vec<String> {
    words_of(&format::fold(s)).map(str::to_string).collect()
}

/// The words of a folded text, as [`tokens`] keeps them.
fn words_of(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| w.len() >= 2 && !STOP_WORDS.contains(w))
}

/// Words of at least this many letters forgive one typo.
pub const FUZZY_MIN: usize = 5;

/// The three keys of a word for typo tolerance: its first two letters,
/// its second and third, its first and third. Two words one edit apart
/// (substitution, insertion, deletion, swap of neighbours, anywhere) share
/// at least one key, so the word lists `v-<key>` of a typed word's keys
/// hold every indexed word one typo away. Empty for words under three
/// letters or with digits (postal codes must be typed right).
pub fn variant_keys(w: &str) -> Vec<String> {
    let b = w.as_bytes();
    if b.len() < 3 || !b.iter().all(u8::is_ascii_lowercase) {
        return Vec::new();
    }
    let mut keys: Vec<String> =
        [[b[0], b[1]], [b[1], b[2]], [b[0], b[2]]].iter().map(|k| String::from_utf8_lossy(k).into_owned()).collect();
    keys.sort();
    keys.dedup();
    keys
}

pub(crate) fn mean(points: impl Iterator<Item = (f64, f64)>) -> (f64, f64) {
    let (mut la, mut lo, mut n) = (0.0, 0.0, 0.0);
    for (a, o) in points {
        la += a;
        lo += o;
        n += 1.0;
    }
    if n == 0.0 { (0.0, 0.0) } else { (format::coord(la / n), format::coord(lo / n)) }
}

/// A file of the index: a script passing its data to `ALIMAP_recu`, made
/// safe for a script file by `text::html::script_file` (JSON is JavaScript,
/// except that engines before ES2019 refuse the line and paragraph
/// separators inside strings: they are written as escapes).
fn data_file(name: &str, data: &Value) -> OutputFile {
    // Serialising plain data into a Vec cannot fail.
    data_file_raw(name, &serde_json::to_vec(data).unwrap_or_default())
}

/// [`data_file`] of data already serialised.
fn data_file_raw(name: &str, json: &[u8]) -> OutputFile {
    let mut bytes = Vec::with_capacity(json.len() + name.len() + 20);
    bytes.extend_from_slice(b"ALIMAP_recu(");
    let _ = serde_json::to_writer(&mut bytes, name);
    bytes.push(b',');
    bytes.extend_from_slice(json);
    bytes.extend_from_slice(b");\n");
    OutputFile { path: format!("recherche/{name}.js"), bytes: script_file(bytes) }
}

fn indices<T: Vocabulary + PartialEq>(items: &[T]) -> Vec<usize> {
    items.iter().filter_map(|v| T::ALL.iter().position(|a| a == v)).collect()
}

fn vocab_labels<T: Vocabulary>() -> Vec<(&'static str, &'static str)> {
    T::ALL.iter().map(|v| (v.value(), v.label())).collect()
}

/// Sorted point numbers as base-36 gaps (`"0,3,1a"`): short, and gzip
/// shrinks the runs of a frequent word to almost nothing.
pub fn postings<'a>(ids: impl IntoIterator<Item = &'a usize>) -> String {
    let mut out = String::new();
    let mut prev = 0;
    for (i, &id) in ids.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_base36(&mut out, id - prev);
        prev = id;
    }
    out
}

/// Appends `n` in base 36 (lower-case digits) to `out`.
fn push_base36(out: &mut String, mut n: usize) {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut digits = [0u8; 16];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = DIGITS[n % 36];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[i..].iter().map(|&d| char::from(d)));
}

/// One day of a point's hours, as the index writes it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum DayHours {
    /// Open periods, as a number in [`DayPatterns`] (closed all day is
    /// the pattern without periods).
    Open(u32),
    /// A temporary closure.
    Closure,
    /// The hours say the state is unknown.
    Unknown,
}

/// The distinct sets of periods of every point's days, numbered, with
/// their text in the index (`"540-720 840-1020"`, `""` when closed). Few
/// on any site: most points keep the same hours week after week.
#[derive(Default)]
pub(crate) struct DayPatterns {
    pub texts: Vec<String>,
    numbers: std::collections::HashMap<Vec<Periode>, u32>,
}

impl DayPatterns {
    fn number(&mut self, periodes: &[Periode]) -> u32 {
        if let Some(&n) = self.numbers.get(periodes) {
            return n;
        }
        let n = self.texts.len() as u32;
        self.texts.push(pattern_text(periodes));
        self.numbers.insert(periodes.to_vec(), n);
        n
    }
}

/// What the index holds of one point, made from the point alone (and its
/// structure's name): its words, its hours and its details.
#[derive(Debug)]
pub struct Entry {
    /// Folded words, sorted, each once.
    words: Vec<String>,
    /// Its distinct sets of open periods, in the order they first occur.
    own: Vec<Periodes>,
    /// Each of the [`DAYS`] days from the build date; `Open` numbers a set
    /// of `own`. `None` without hours.
    days: Option<Vec<DayHours>>,
    /// Its details in its block, as JSON ([`detail`]).
    detail: Vec<u8>,
}

/// A point's folded words, sorted, each once: its name, commune, postal
/// code, address, structure's name and networks, and kinds of help (French
/// label and value).
fn point_words(site: &Site, l: &Lieu) -> Vec<String> {
    let mut fields = vec![l.nom.as_str(), l.adresse.commune.as_str(), l.adresse.code_postal.as_str()];
    fields.push(l.adresse.adresse.as_str());
    if let Some(s) = site.structure(&l.structure) {
        fields.push(s.nom.as_str());
        // Its networks (« Restos du Coeur »): what people call it.
        fields.extend(s.reseaux_porteurs.iter().map(|r| crate::model::vocab::reseau_porteur_label(r).unwrap_or(r)));
    }
    for s in &l.services {
        fields.push(s.label());
        fields.push(s.value());
    }
    // The fields folded at once, a space between them: folding goes
    // character by character and a space splits words, so these are the
    // [`tokens`] of each field; each word is copied once.
    let folded = format::fold(&fields.join(" "));
    let mut words: Vec<&str> = words_of(&folded).collect();
    words.sort_unstable();
    words.dedup();
    words.into_iter().map(str::to_string).collect()
}

fn entry(site: &Site, l: &Lieu, today: NaiveDate) -> Entry {
    let words = point_words(site, l);
    let mut own: Vec<Periodes> = Vec::new();
    let days = l.horaires.as_ref().map(|h| {
        today
            .iter_days()
            .take(DAYS as usize)
            .map(|date| {
                let d = h.day(date, &l.fermetures);
                if d.fermeture.is_some() {
                    DayHours::Closure
                } else if d.periodes.is_empty() && d.incertain {
                    DayHours::Unknown
                } else {
                    let i = own.iter().position(|p| *p == d.periodes).unwrap_or_else(|| {
                        own.push(d.periodes);
                        own.len() - 1
                    });
                    DayHours::Open(i as u32)
                }
            })
            .collect::<Vec<_>>()
    });
    let hours = hours_of(&own, days.as_deref());
    // Serialising plain data into a Vec cannot fail.
    let mut detail_json = Vec::with_capacity(512);
    let _ = serde_json::to_writer(&mut detail_json, &detail(site, l, hours, today));
    let detail = detail_json;
    Entry { words, own, days, detail }
}

/// Every point's days with their sets of periods numbered for the whole
/// site, and those sets: a few per point rather than one per day.
fn numbered_days(entries: &[Arc<Entry>]) -> (Vec<Option<Vec<DayHours>>>, DayPatterns) {
    let mut patterns = DayPatterns::default();
    let days = entries
        .iter()
        .map(|e| {
            let numbers: Vec<u32> = e.own.iter().map(|p| patterns.number(p)).collect();
            let mut days = e.days.clone()?;
            for d in &mut days {
                if let DayHours::Open(i) = d {
                    *i = numbers[*i as usize];
                }
            }
            Some(days)
        })
        .collect();
    (days, patterns)
}

/// A set of periods as the index writes it: `"540-720 840-1020"`, `""`
/// when closed.
fn pattern_text(periodes: &[Periode]) -> String {
    periodes.iter().map(|p| format!("{}-{}", p.debut, p.fin)).collect::<Vec<_>>().join(" ")
}

/// One point's hours in its hours block: its distinct day patterns
/// ([`pattern_text`]) and one character per day, the pattern's index in
/// base 36, or `!` for a temporary closure and `?` when the hours say the
/// state is unknown.
fn hours_of(own: &[Periodes], days: Option<&[DayHours]>) -> Option<(Vec<String>, String)> {
    let days = days?;
    let codes: String = days
        .iter()
        .map(|d| match *d {
            DayHours::Closure => '!',
            DayHours::Unknown => '?',
            // 36 distinct days in 8 weeks would be odd hours; past that,
            // the day is left unknown rather than written wrong.
            DayHours::Open(i) => {
                b"0123456789abcdefghijklmnopqrstuvwxyz".get(i as usize).map_or('?', |&c| char::from(c))
            }
        })
        .collect();
    let texts: Vec<String> = own.iter().map(|p| pattern_text(p)).collect();
    Some((texts, codes))
}

/// A point's details as [`detail`] writes them: a JSON array.
type Detail<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    String,
    &'a str,
    f64,
    f64,
    Vec<usize>,
    Vec<usize>,
    u8,
    u8,
    Option<(Vec<String>, String)>,
    Option<(u8, String)>,
    Option<(String, String)>,
);

/// A point's details in its block; the two last items are [`hours_of`]
/// (`null` without hours) and its season on the build date
/// ([`Horaires::saison`](crate::model::hours::Horaires::saison)): `[0,
/// "2027-03-31"]` open until that date, `[1, "2027-04-17"]` opens again
/// on it, `null` otherwise. Last, the phone number to call, the point's
/// or else its structure's: `[display form, tel: number]`, `null` when
/// neither has one a phone can dial.
fn detail<'a>(site: &'a Site, l: &'a Lieu, hours: Option<(Vec<String>, String)>, today: NaiveDate) -> Detail<'a> {
    use crate::model::hours::Saison;
    let saison = l.horaires.as_ref().and_then(|h| h.saison(today, &l.fermetures)).map(|s| match s {
        Saison::JusquAu(d) => (0, format::iso_date(d)),
        Saison::Reprise(d) => (1, format::iso_date(d)),
    });
    (
        &l.id,
        &l.nom,
        site.structure(&l.structure).map(|s| s.nom.as_str()).unwrap_or(""),
        &l.adresse.commune,
        match &l.adresse.complement_adresse {
            Some(c) => format!("{}, {}", l.adresse.adresse, c),
            None => l.adresse.adresse.clone(),
        },
        &l.adresse.code_postal,
        format::coord(l.latitude),
        format::coord(l.longitude),
        indices(&l.services),
        indices(&l.acces),
        u8::from(l.frais == Frais::Gratuit),
        u8::from(!l.justificatifs.is_empty()),
        hours,
        saison,
        phone(site, l),
    )
}

/// The number a card's « Appeler » dials: the point's, else its
/// structure's, as the point page shows it and as a `tel:` link wants it.
fn phone(site: &Site, l: &Lieu) -> Option<(String, String)> {
    let structure = site.structure(&l.structure).and_then(|s| s.telephone.as_ref());
    let text = l.telephone.as_ref().or(structure)?;
    Some((format::phone_display(text), format::phone_link(text)?))
}

/// A word's points in its shard: their postings, or, when the word is in
/// the commune of some of them, `[postings, those points' postings]`
/// (`"*"`: all of them), so that a commune's points rank above the points
/// on a street of that name.
fn shard_value(ids: &[usize], commune: Option<&Vec<usize>>) -> Value {
    match commune {
        None => Value::String(postings(ids)),
        Some(c) if c.len() == ids.len() => json!([postings(ids), "*"]),
        Some(c) => json!([postings(ids), postings(c)]),
    }
}

/// What the search page holds inline (`alimap-index`, read by the
/// page's first script and by `recherche.js`): the settings of the index
/// and which of its files exist, so that the page asks at once, in
/// parallel, for every file a query needs, and never for a missing one.
/// [`files`] writes the files these keys name (a test checks both agree).
pub fn meta(site: &Site, index: &Index<'_>, today: NaiveDate) -> Value {
    let lieux = &index.ordered;
    let words: Vec<Vec<String>> = lieux.par_iter().map(|l| point_words(site, l)).collect();
    let mut shards = std::collections::BTreeSet::new();
    let mut variants = std::collections::BTreeSet::new();
    for w in words.iter().flatten() {
        shards.insert(&w[..2]);
        if w.len() >= FUZZY_MIN - 1 {
            variants.extend(variant_keys(w));
        }
    }
    let places: String = near::place_files(site, &index.communes)
        .into_iter()
        .filter_map(|(name, _)| name.strip_prefix("g-").map(str::to_string))
        .collect();
    json!({
        "fuseau": site.config.fuseau_horaire.name(),
        "debut": crate::text::format::iso_date(today),
        "jours": DAYS,
        "bloc": BLOCK,
        "nombre": lieux.len(),
        // Two-letter keys of the files that exist, run together.
        "cles": shards.into_iter().collect::<String>(),
        "variantes": variants.into_iter().collect::<String>(),
        "lieux": places,
        "filtres": filters::filter_sets(lieux).into_keys().collect::<Vec<_>>(),
        "cellules": near::cell_index(lieux, &lieux.iter().map(|l| crate::site::index::z_order(l.latitude, l.longitude)).collect::<Vec<_>>()),
        "services": vocab_labels::<Service>(),
        "acces": vocab_labels::<Acces>(),
    })
}

/// Every file of the index, sorted by path. With `kept` (and each point's
/// fingerprint: the point, its structure and the site's settings), serve
/// makes again only the entries of the points that changed.
pub fn files(
    site: &Site,
    index: &Index<'_>,
    today: NaiveDate,
    kept: Option<(&mut PerPoint<Entry>, KeyOf<'_>)>,
) -> Vec<OutputFile> {
    let lieux = &index.ordered;
    let n = lieux.len();
    let mut files = Vec::new();
    let entries = per_point(lieux, kept, |l| entry(site, l, today));

    // Words → point numbers, sharded by their first two characters.
    // Points come in order, each word once per point: every list is
    // sorted without duplicates.
    let mut by_word: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    // The same, for the words of each point's commune only.
    let mut in_commune: std::collections::HashMap<String, Vec<usize>> = std::collections::HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        for w in &e.words {
            by_word.entry(w).or_default().push(i);
        }
        for w in tokens(&lieux[i].adresse.commune) {
            let ids = in_commune.entry(w).or_default();
            if ids.last() != Some(&i) {
                ids.push(i);
            }
        }
    }
    let mut words: Vec<(&str, Vec<usize>)> = by_word.into_iter().collect();
    words.sort_unstable_by_key(|(w, _)| *w);
    let mut shards: BTreeMap<&str, Vec<(&str, &[usize])>> = BTreeMap::new();
    // Words under each of their typo keys; a typed word is at least
    // FUZZY_MIN letters, so one typo away from words of one letter less.
    let mut variants: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (w, ids) in &words {
        shards.entry(&w[..2]).or_default().push((w, ids));
        if w.len() >= FUZZY_MIN - 1 {
            for key in variant_keys(w) {
                variants.entry(key).or_default().push(w);
            }
        }
    }
    files.par_extend(shards.iter().collect::<Vec<_>>().par_iter().map(|(key, list)| {
        let map: serde_json::Map<String, Value> =
            list.iter().map(|(w, ids)| (w.to_string(), shard_value(ids, in_commune.get(*w)))).collect();
        data_file(&format!("t-{key}"), &Value::Object(map))
    }));
    let variant_list: Vec<(&String, &Vec<&str>)> = variants.iter().collect();
    files.par_extend(variant_list.par_iter().map(|(key, list)| data_file(&format!("v-{key}"), &json!(list))));

    // Details and hours, block by block.
    files.par_extend(entries.par_chunks(BLOCK).enumerate().map(|(b, block)| {
        let details: Vec<&[u8]> = block.iter().map(|e| e.detail.as_slice()).collect();
        data_file_raw(&format!("p-{b}"), &[b"[", details.join(&b","[..]).as_slice(), b"]"].concat())
    }));
    let (hours, patterns) = numbered_days(&entries);

    // Filters and days as sets of point numbers.
    let sets = filters::filter_sets(lieux);
    for (name, ids) in &sets {
        files.push(data_file(&format!("f-{name}"), &Value::String(filters::set(ids, n))));
    }
    files.par_extend(
        (0..DAYS as usize)
            .into_par_iter()
            .map(|day| data_file(&format!("j-{day}"), &filters::day_groups(&hours, &patterns, day))),
    );

    // Near: cells of coordinates and places.
    let keys: Vec<u32> = lieux.iter().map(|l| crate::site::index::z_order(l.latitude, l.longitude)).collect();
    let cells = near::cell_files(lieux, &keys).into_iter().filter(|(name, _)| name != "cellules");
    for (name, data) in cells.chain(near::place_files(site, &index.communes)) {
        files.push(data_file(&name, &data));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn tokens_fold_accents_case_and_drop_small_words() {
        assert_eq!(tokens("Épicerie sociale de Saint-Denis"), vec!["epicerie", "sociale", "saint", "denis"]);
        assert_eq!(tokens("L’Escale, 93200"), vec!["escale", "93200"]);
    }

    #[test]
    fn data_files_escape_the_separators_old_engines_refuse() {
        let f = data_file("p-0", &json!(["Épicerie\u{2028}du\u{2029}Nord"]));
        let text = String::from_utf8(f.bytes).unwrap();
        assert_eq!(text, "ALIMAP_recu(\"p-0\",[\"Épicerie\\u2028du\\u2029Nord\"]);\n");
        assert_eq!(f.path, "recherche/p-0.js");
    }

    #[test]
    fn postings_are_gaps_in_base_36() {
        let ids: BTreeSet<usize> = [0, 3, 4, 50].into_iter().collect();
        assert_eq!(postings(&ids), "0,3,1,1a");
    }

    /// Every word one edit away from `w`, over the letters a to z.
    fn one_edit(w: &str) -> Vec<String> {
        let b = w.as_bytes();
        let mut out = Vec::new();
        for i in 0..=b.len() {
            for c in b'a'..=b'z' {
                let mut v = b.to_vec();
                v.insert(i, c);
                out.push(v);
                if i < b.len() {
                    let mut v = b.to_vec();
                    v[i] = c;
                    out.push(v);
                }
            }
            if i < b.len() {
                let mut v = b.to_vec();
                v.remove(i);
                out.push(v);
            }
            if i + 1 < b.len() {
                let mut v = b.to_vec();
                v.swap(i, i + 1);
                out.push(v);
            }
        }
        out.into_iter().map(|v| String::from_utf8(v).unwrap()).collect()
    }

    #[test]
    fn a_typo_anywhere_shares_a_variant_key_with_the_word() {
        for word in ["montreuil", "epicerie", "colis", "aubervilliers"] {
            let keys = variant_keys(word);
            for typo in one_edit(word).into_iter().filter(|t| t.len() >= FUZZY_MIN) {
                assert!(variant_keys(&typo).iter().any(|k| keys.contains(k)), "{typo} / {word}");
            }
        }
        assert_eq!(variant_keys("montreuil"), ["mn", "mo", "on"]);
        assert!(variant_keys("93200").is_empty());
    }
}
