//! Weight of a first search: builds a synthetic directory of 10,000 points
//! and adds up the gzip-compressed bytes of the files that
//! `assets/recherche.js` loads for a few first queries (the script, the
//! metadata, the token shards of the words typed, the detail and hours
//! blocks of the first page of results), as a visitor on a slow phone
//! connection would download them. The target is about 30 KB.
//!
//! Run with `cargo bench --bench search` (or, for the byte counts alone,
//! which do not depend on the build profile, `cargo test --bench search`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::Path;

use alimap::build::{Options, build};
use alimap::search;
use chrono::NaiveDate;
use flate2::Compression;
use flate2::write::GzEncoder;

const POINTS: usize = 10_000;
const PAGE: usize = 20;

/// A small deterministic generator, so that every run measures the same site.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// 200 communes of 50 points over mainland France, 40 structures, names
/// and streets drawn from French-looking word lists.
fn synthetic_site(root: &Path) {
    let c = root.join("content");
    write(
        &c.join("site.toml"),
        "titre = \"Annuaire synthétique\"\ndescription = \"Mesure\"\nurl = \"https://exemple.org/\"\nexemple = true\n",
    );
    write(&c.join("territoires/france.toml"), "nom = \"France\"\ntype = \"autre\"\nperimetre = \"france.geojson\"\n");
    write(
        &c.join("territoires/france.geojson"),
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[-1.5,43.0],[7.0,43.0],[7.0,50.5],[-1.5,50.5],[-1.5,43.0]]]}}"#,
    );
    let kinds = [
        ("Épicerie solidaire", "epicerie-sociale"),
        ("Distribution de colis", "colis-alimentaire"),
        ("Restaurant solidaire", "repas"),
        ("Frigo solidaire", "frigo-solidaire"),
        ("Maraude", "maraude"),
        ("Colis bébé", "colis-bebe"),
        ("Petit-déjeuner", "petit-dejeuner"),
        ("Jardin partagé", "jardin-solidaire"),
    ];
    let roots = [
        "Martin",
        "Denis",
        "Germain",
        "Étienne",
        "Maur",
        "Ouen",
        "Quentin",
        "Laurent",
        "Priest",
        "Médard",
        "Fontaine",
        "Bourg",
        "Mont",
        "Val",
        "Pont",
        "Bois",
        "Champ",
        "Villeneuve",
        "Beaulieu",
        "Rivière",
    ];
    let prefixes = ["Saint-", "Le ", "La ", "Sainte-", "", "Les ", "Neuf-", "Haut-", "Bas-", "Grand-"];
    let streets = [
        "rue de la République",
        "avenue Jean-Jaurès",
        "place du Marché",
        "rue Victor-Hugo",
        "boulevard Gambetta",
        "rue Pasteur",
        "allée des Tilleuls",
        "rue du Moulin",
        "chemin des Vignes",
        "avenue de la Gare",
        "rue Jules-Ferry",
        "impasse des Lilas",
    ];
    let groups =
        ["Entraide", "Comité solidaire", "Secours", "Banque du cœur", "Partage", "Main tendue", "Relais", "Escale"];
    let mut rng = Lcg(42);
    for s in 0..40 {
        write(
            &c.join(format!("structures/s{s}.toml")),
            &format!(
                "nom = \"{} {}\"\ntype = \"association\"\ndate_maj = 2026-10-01\n",
                groups[s % groups.len()],
                roots[s % roots.len()]
            ),
        );
    }
    for i in 0..POINTS {
        let commune_n = i / 50;
        let commune = format!("{}{}", prefixes[commune_n / 20], roots[commune_n % 20]);
        let (clat, clon) = (43.5 + (commune_n % 14) as f64 * 0.45, -1.0 + (commune_n / 14) as f64 * 0.5);
        let (kind, service) = kinds[rng.next(kinds.len())];
        let street = streets[rng.next(streets.len())];
        let structure = rng.next(40);
        let hours =
            ["Mo-Fr 09:00-12:00,14:00-17:00; PH off", "We 14:00-17:00", "Tu,Th 09:00-12:00", "24/7"][rng.next(4)];
        let acces = ["sans-condition", "orientation", "inscription"][rng.next(3)];
        write(
            &c.join(format!("lieux/c{commune_n}/l{i}.toml")),
            &format!(
                "nom = \"{kind} – {street}\"\nstructure = \"s{structure}\"\nservices = [\"{service}\"]\n\
                 adresse = \"{} {street}\"\ncode_postal = \"{:02}{:03}\"\ncommune = \"{commune}\"\n\
                 latitude = {:.5}\nlongitude = {:.5}\nhoraires_accueil = \"{hours}\"\nacces = [\"{acces}\"]\n\
                 frais = \"gratuit\"\ndate_maj = 2026-10-01\n",
                1 + rng.next(120),
                1 + commune_n % 95,
                (commune_n / 95) * 100,
                clat + rng.next(1000) as f64 / 20000.0,
                clon + rng.next(1000) as f64 / 20000.0,
            ),
        );
    }
}

fn gzip(bytes: &[u8]) -> usize {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap().len()
}

/// The data of a `recherche/*.js` file: the JSON between the name and `);`.
fn data(out: &Path, name: &str) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(out.join(format!("recherche/{name}.js"))).ok()?;
    let start = text.find(',')? + 1;
    let end = text.rfind(");")?;
    serde_json::from_str(&text[start..end]).ok()
}

fn decode(s: &str) -> Vec<usize> {
    let mut id = 0;
    s.split(',')
        .map(|g| {
            id += usize::from_str_radix(g, 36).unwrap();
            id
        })
        .collect()
}

/// The files the script loads for `query` with no filter and no place, as
/// recherche.js does: words, their shards, then the blocks of the first
/// page of results ranked by score (exact word 3, start of a word 2).
fn first_query(out: &Path, query: &str) -> (Vec<String>, usize) {
    let mut files = vec!["assets/recherche.js".to_string(), "recherche/meta.js".to_string()];
    let mut scores: Option<BTreeMap<usize, u32>> = None;
    for w in search::tokens(query) {
        let key = &w[..2];
        files.push(format!("recherche/t-{key}.js"));
        let shard = data(out, &format!("t-{key}")).unwrap_or_default();
        let mut found: BTreeMap<usize, u32> = BTreeMap::new();
        for (t, ids) in shard.as_object().into_iter().flatten() {
            let score = if *t == w {
                3
            } else if t.starts_with(&w) {
                2
            } else {
                0
            };
            if score > 0 {
                for id in decode(ids.as_str().unwrap()) {
                    let e = found.entry(id).or_default();
                    *e = (*e).max(score);
                }
            }
        }
        scores = Some(match scores {
            None => found,
            Some(prev) => prev.into_iter().filter_map(|(id, s)| found.get(&id).map(|f| (id, s + f))).collect(),
        });
    }
    let scores = scores.unwrap_or_default();
    let mut ranked: Vec<(usize, u32)> = scores.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let blocks: BTreeSet<usize> = ranked.iter().take(PAGE).map(|(id, _)| id / search::BLOCK).collect();
    for b in blocks {
        files.push(format!("recherche/p-{b}.js"));
        files.push(format!("recherche/h-{b}.js"));
    }
    files.dedup();
    (files, ranked.len())
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    synthetic_site(dir.path());
    let out = dir.path().join("output");
    let report = build(&Options {
        root: dir.path().to_path_buf(),
        output: Some(out.clone()),
        today: NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
    })
    .unwrap();
    let summary = report.summary.expect("the synthetic site builds");
    println!("synthetic site: {} points, built in {:.1?}", summary.lieux, summary.duration);

    let size = |rel: &str| std::fs::read(out.join(rel)).map(|b| (b.len(), gzip(&b))).unwrap_or((0, 0));
    let (page_raw, page_gz) = size("recherche.html");
    println!("recherche.html: {page_raw} B, {page_gz} B gzip (the page itself, not counted below)");
    println!("{:<28} {:>8} {:>10} {:>10}  files", "first query", "results", "raw B", "gzip B");
    for query in ["epicerie", "Saint-Martin", "colis bébé saint", "12000", "frigo rue pasteur"] {
        let (files, results) = first_query(&out, query);
        let (raw, gz) = files.iter().map(|f| size(f)).fold((0, 0), |(a, b), (c, d)| (a + c, b + d));
        println!("{query:<28} {results:>8} {raw:>10} {gz:>10}  {}", files.len());
    }
    let mut largest: Vec<(usize, String)> = std::fs::read_dir(out.join("recherche"))
        .unwrap()
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().into_string().ok()?;
            Some((gzip(&std::fs::read(e.path()).ok()?), name))
        })
        .collect();
    largest.sort();
    let total: usize = largest.iter().map(|(s, _)| s).sum();
    println!("index: {} files, {} B gzip in all; largest:", largest.len(), total);
    for (s, n) in largest.iter().rev().take(5) {
        println!("  {n:<12} {s:>8} B gzip");
    }
}
