//! Weight of a first search: builds a synthetic directory of 10,000 points
//! and adds up the gzip-compressed bytes of the files that
//! `assets/recherche.js` loads for a few first queries (the script, the
//! metadata, the word shards and typo lists, the filter and day sets, the
//! places and cells for "near", the detail blocks of the first page of
//! results), as a visitor on a slow phone connection would download them:
//! words, typos, filters only, near me. The target is about 30 KB. Then
//! the weight of the pages with a map, once the map is open (HTML, CSS,
//! JS, map data).
//!
//! Run with `cargo bench --bench search` (or, for the byte counts alone,
//! which do not depend on the build profile, `cargo test --bench search`).
//! `ALIMAP_BENCH_DIR=<folder>` keeps the site and its output there.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::Path;

use alimap::build::{Options, build};
use alimap::files::search;
use chrono::NaiveDate;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::Value;

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

/// The search index of a built site as `assets/recherche.js` reads it,
/// recording the files a query loads.
struct Index<'a> {
    out: &'a Path,
    meta: Value,
    files: Vec<String>,
}

impl Index<'_> {
    fn new(out: &Path) -> Index<'_> {
        let mut index = Index { out, meta: Value::Null, files: vec!["assets/recherche.js".into()] };
        // The index's settings, held inline by the search page.
        let page = std::fs::read_to_string(out.join("recherche.html")).unwrap();
        let start = r#"<script type="application/json" id="alimap-index">"#;
        let body = page.split_once(start).and_then(|(_, r)| r.split_once("</script>")).unwrap().0;
        index.meta = serde_json::from_str(body).unwrap();
        index
    }

    /// The data of `recherche/<name>.js`: the JSON between the name and `);`.
    fn load(&mut self, name: &str) -> Option<Value> {
        let path = format!("recherche/{name}.js");
        let text = std::fs::read_to_string(self.out.join(&path)).ok()?;
        if !self.files.contains(&path) {
            self.files.push(path);
        }
        let start = text.find(',')? + 1;
        let end = text.rfind(");")?;
        serde_json::from_str(&text[start..end]).ok()
    }

    fn has(&self, list: &str, key: &str) -> bool {
        let s = self.meta[list].as_str().unwrap();
        s.as_bytes().chunks(2).any(|k| k == key.as_bytes())
    }

    fn n(&self) -> usize {
        self.meta["nombre"].as_u64().unwrap() as usize
    }

    fn shard(&mut self, key: &str) -> Value {
        if self.has("cles", key) { self.load(&format!("t-{key}")).unwrap() } else { Value::Null }
    }

    /// As `matches` in recherche.js: id → score (3 exact word, 2 start of a
    /// word, 1 one typo away), points holding every word.
    fn matches(&mut self, words: &[String]) -> BTreeMap<usize, u32> {
        let mut result: Option<BTreeMap<usize, u32>> = None;
        for w in words {
            let key = &w[..2];
            let mut found: BTreeMap<usize, u32> = BTreeMap::new();
            let mut add = |list: &str, score: u32| {
                for id in decode(list) {
                    let e = found.entry(id).or_default();
                    *e = (*e).max(score);
                }
            };
            let fuzzy = w.len() >= search::FUZZY_MIN && !w.bytes().any(|b| b.is_ascii_digit());
            let main = self.shard(key);
            for (t, ids) in main.as_object().into_iter().flatten() {
                let score = if t == w {
                    3
                } else if t.starts_with(w.as_str()) {
                    2
                } else if fuzzy && typo(w, t) {
                    1
                } else {
                    0
                };
                if score > 0 {
                    add(ids.as_str().or_else(|| ids[0].as_str()).unwrap(), score);
                }
            }
            if fuzzy {
                let mut others: BTreeSet<String> = BTreeSet::new();
                for v in search::variant_keys(w) {
                    if !self.has("variantes", &v) {
                        continue;
                    }
                    for t in self.load(&format!("v-{v}")).unwrap().as_array().unwrap() {
                        let t = t.as_str().unwrap();
                        if &t[..2] != key && typo(w, t) {
                            others.insert(t.to_string());
                        }
                    }
                }
                for t in others {
                    if let Some(ids) = self.shard(&t[..2]).get(&t) {
                        add(ids.as_str().or_else(|| ids[0].as_str()).unwrap(), 1);
                    }
                }
            }
            result = Some(match result {
                None => found,
                Some(prev) => prev.into_iter().filter_map(|(id, s)| found.get(&id).map(|f| (id, s + f))).collect(),
            });
        }
        result.unwrap_or_default()
    }

    /// As `filtered` in recherche.js: the points meeting every filter.
    fn filtered(&mut self, q: &Query) -> Option<Vec<bool>> {
        let n = self.n();
        let mut sets: Vec<Vec<bool>> = Vec::new();
        for &(name, value) in q.filters {
            let file = if value.is_empty() { name.to_string() } else { format!("{name}-{value}") };
            let exists = self.meta["filtres"].as_array().unwrap().iter().any(|f| f == &file);
            let mut set = vec![false; n];
            if exists {
                let s = self.load(&format!("f-{file}")).unwrap();
                let s = s.as_str().unwrap();
                let (not, list) = match s.strip_prefix('!') {
                    Some(rest) => (true, rest),
                    None => (false, s),
                };
                set = vec![not; n];
                for id in decode(list) {
                    set[id] = !not;
                }
            }
            sets.push(set);
        }
        if let Some((day, minute)) = q.open_now {
            let mut open = vec![false; n];
            for g in self.load(&format!("j-{day}")).unwrap().as_array().unwrap() {
                let holds = g[0].as_str().unwrap().split(' ').any(|p| {
                    let (a, b) = p.split_once('-').unwrap();
                    minute >= a.parse().unwrap() && minute < b.parse::<u32>().unwrap()
                });
                if holds {
                    for id in decode(g[1].as_str().unwrap()) {
                        open[id] = true;
                    }
                }
            }
            sets.push(open);
        }
        sets.into_iter().reduce(|a, b| a.iter().zip(&b).map(|(x, y)| *x && *y).collect())
    }

    /// As `nearest` in recherche.js: the `k` results nearest `place`.
    fn nearest(&mut self, place: (f64, f64), ids: &[usize], k: usize) -> Vec<usize> {
        let cells = self.meta["cellules"].clone();
        let cells: Vec<Vec<i64>> = cells
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_array().unwrap().iter().map(|x| x.as_i64().unwrap()).collect())
            .collect();
        let bx = |c: &[i64]| {
            let f = |i: usize| c[i] as f64 / 1e5;
            haversine(place, (place.0.clamp(f(1), f(3)), place.1.clamp(f(2), f(4))))
        };
        let mut in_cell: Vec<Vec<usize>> = vec![Vec::new(); cells.len()];
        for &id in ids {
            let c = cells.partition_point(|c| c[0] as usize <= id) - 1;
            in_cell[c].push(id);
        }
        let mut order: Vec<usize> = (0..cells.len()).filter(|&i| !in_cell[i].is_empty()).collect();
        order.sort_by(|&a, &b| bx(&cells[a]).total_cmp(&bx(&cells[b])).then(a.cmp(&b)));
        let mut best: Vec<(f64, usize)> = Vec::new();
        for i in order {
            if best.len() >= k && bx(&cells[i]) > best[k - 1].0 {
                break;
            }
            let xy = self.load(&format!("c-{i}")).unwrap();
            let (lat0, lon0) = (xy[0].as_i64().unwrap(), xy[1].as_i64().unwrap());
            let flat = xy[2].as_array().unwrap();
            for &id in &in_cell[i] {
                let o = (id - cells[i][0] as usize) * 2;
                let p = (
                    (lat0 + flat[o].as_i64().unwrap()) as f64 / 1e5,
                    (lon0 + flat[o + 1].as_i64().unwrap()) as f64 / 1e5,
                );
                best.push((haversine(place, p), id));
            }
            best.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        }
        best.into_iter().take(k).map(|(_, id)| id).collect()
    }
}

fn haversine(a: (f64, f64), b: (f64, f64)) -> f64 {
    let r = std::f64::consts::PI / 180.0;
    let x = ((b.0 - a.0) * r / 2.0).sin();
    let y = ((b.1 - a.1) * r / 2.0).sin();
    let s = x * x + (a.0 * r).cos() * (b.0 * r).cos() * y * y;
    12_742_000.0 * s.sqrt().min(1.0).asin()
}

fn decode(s: &str) -> Vec<usize> {
    let mut id = 0;
    s.split(',')
        .filter(|g| !g.is_empty())
        .map(|g| {
            id += usize::from_str_radix(g, 36).unwrap();
            id
        })
        .collect()
}

/// At most one substitution, insertion, deletion or swap of neighbours.
fn one_edit(a: &[u8], b: &[u8]) -> bool {
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let i = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if a.len() == b.len() {
        return i >= a.len()
            || a[i + 1..] == b[i + 1..]
            || (i + 1 < a.len() && a[i] == b[i + 1] && a[i + 1] == b[i] && a[i + 2..] == b[i + 2..]);
    }
    if a.len() > b.len() { a[i + 1..] == b[i..] } else { a[i..] == b[i + 1..] }
}

/// As `typo` in recherche.js: the word, or its start being typed, is one
/// typo away from `t`.
fn typo(w: &str, t: &str) -> bool {
    let (w, t) = (w.as_bytes(), t.as_bytes());
    one_edit(w, t)
        || [-1i32, 0, 1].iter().any(|d| {
            let len = w.len() as i32 + d;
            t.len() as i32 > len && one_edit(w, &t[..len as usize])
        })
}

/// A first query: words typed, filters (name, value; empty value for a
/// checkbox), "open now" as (day after the build date, minute), "near".
struct Query<'a> {
    label: &'a str,
    words: &'a str,
    filters: &'a [(&'a str, &'a str)],
    open_now: Option<(usize, u32)>,
    near: Option<Near<'a>>,
}

enum Near<'a> {
    Position(f64, f64),
    Place(&'a str),
}

/// The files the script loads for a first query, as recherche.js does:
/// words and their shards, filter sets, places and cells for "near", then
/// the detail and hours blocks of the first page of results.
fn first_query(out: &Path, q: &Query) -> (Vec<String>, usize) {
    let mut index = Index::new(out);
    let place = match q.near {
        None => None,
        Some(Near::Position(lat, lon)) => Some((lat, lon)),
        Some(Near::Place(name)) => {
            let plain = search::place_text(name);
            let key: String = plain.chars().filter(|c| *c != ' ').take(2).collect();
            let g = index.load(&format!("g-{key}")).unwrap();
            let c = g["communes"].as_array().unwrap().iter().find(|c| c[1] == plain.as_str()).unwrap().clone();
            Some((c[2].as_f64().unwrap(), c[3].as_f64().unwrap()))
        }
    };
    let words = search::tokens(q.words);
    let found = (!words.is_empty()).then(|| index.matches(&words));
    let keep = index.filtered(q);
    let kept = |id: &usize| keep.as_ref().is_none_or(|k| k[*id]);
    let mut ids: Vec<usize> = match &found {
        Some(f) => f.keys().copied().filter(kept).collect(),
        None => (0..index.n()).filter(kept).collect(),
    };
    if let Some(f) = &found {
        ids.sort_by(|a, b| f[b].cmp(&f[a]).then(a.cmp(b)));
    }
    let shown = match place {
        Some(p) => index.nearest(p, &ids, PAGE),
        None => ids.iter().take(PAGE).copied().collect(),
    };
    let blocks: BTreeSet<usize> = shown.iter().map(|id| id / search::BLOCK).collect();
    for b in blocks {
        index.load(&format!("p-{b}"));
    }
    (index.files, ids.len())
}

/// What a page with a map transfers once the visitor opened the map: the
/// page, its styles, its scripts, Leaflet and Leaflet.markercluster, the
/// map data. Popup texts come on top, one block per marker opened.
fn map_pages(out: &Path) {
    let gz = |rel: &str| gzip(&std::fs::read(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")));
    let css = [
        "assets/style.css",
        "assets/vendor/leaflet/leaflet.css",
        "assets/vendor/leaflet.markercluster/MarkerCluster.css",
    ];
    let js = [
        "assets/hors-ligne.js",
        "assets/carte.js",
        "assets/vendor/leaflet/leaflet.js",
        "assets/vendor/leaflet.markercluster/leaflet.markercluster.js",
    ];
    println!();
    println!("map pages, map open (gzip bytes): {:>8} {:>8} {:>8} {:>8} {:>8}", "HTML", "CSS", "JS", "data", "total");
    let pages = [
        ("home (every point)", "index.html", None, "assets/carte/tout.js"),
        ("territory (10,000 points)", "territoires/france.html", None, "assets/carte/territoires/france.js"),
        ("search results", "recherche.html", Some("assets/recherche.js"), "assets/carte/tout.js"),
    ];
    for (label, html, script, data) in pages {
        let (h, c, d) = (gz(html), css.iter().map(|f| gz(f)).sum::<usize>(), gz(data));
        let j = js.iter().chain(script.as_ref()).map(|f| gz(f)).sum::<usize>();
        println!("{label:<32} {h:>8} {c:>8} {j:>8} {d:>8} {:>8}", h + c + j + d);
    }
    let fiches: Vec<usize> = std::fs::read_dir(out.join("assets/carte/fiches"))
        .unwrap()
        .map(|e| gzip(&std::fs::read(e.unwrap().path()).unwrap()))
        .collect();
    println!(
        "popup texts: {} blocks of {} points, {} B gzip on average, loaded as markers show",
        fiches.len(),
        alimap::site::urls::FICHES,
        fiches.iter().sum::<usize>() / fiches.len().max(1)
    );
}

fn main() {
    // ALIMAP_BENCH_DIR keeps the synthetic site and its output there, to
    // look at the files after the run.
    let temp = tempfile::tempdir().unwrap();
    let dir = std::env::var_os("ALIMAP_BENCH_DIR").map_or_else(|| temp.path().to_path_buf(), Into::into);
    synthetic_site(&dir);
    let out = dir.join("output");
    let report = build(&Options {
        root: dir.clone(),
        output: Some(out.clone()),
        today: NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
    })
    .unwrap();
    let summary = report.summary.expect("the synthetic site builds");
    println!("synthetic site: {} points, built in {:.1?}", summary.lieux, summary.duration);

    let size = |rel: &str| std::fs::read(out.join(rel)).map(|b| (b.len(), gzip(&b))).unwrap_or((0, 0));
    let (page_raw, page_gz) = size("recherche.html");
    println!("recherche.html: {page_raw} B, {page_gz} B gzip (the page itself, not counted below)");
    println!("{:<36} {:>8} {:>10} {:>10}  files", "first query", "results", "raw B", "gzip B");
    // The build date is Saturday 28 November 2026; day 2 is Monday.
    let monday_10h = Some((2, 600));
    let queries = [
        Query { label: "epicerie", words: "epicerie", filters: &[], open_now: None, near: None },
        Query { label: "Saint-Martin", words: "Saint-Martin", filters: &[], open_now: None, near: None },
        Query { label: "colis bébé saint", words: "colis bébé saint", filters: &[], open_now: None, near: None },
        Query { label: "12000 (postal code)", words: "12000", filters: &[], open_now: None, near: None },
        Query { label: "frigo rue pasteur", words: "frigo rue pasteur", filters: &[], open_now: None, near: None },
        Query { label: "epicreie (typo)", words: "epicreie", filters: &[], open_now: None, near: None },
        Query { label: "rpicerie (typo, first letter)", words: "rpicerie", filters: &[], open_now: None, near: None },
        Query { label: "filter: open now (Monday 10 h)", words: "", filters: &[], open_now: monday_10h, near: None },
        Query {
            label: "filter: épicerie sociale",
            words: "",
            filters: &[("aide", "epicerie-sociale")],
            open_now: None,
            near: None,
        },
        Query {
            label: "filter: free, no referral",
            words: "",
            filters: &[("gratuit", ""), ("sans-orientation", "")],
            open_now: None,
            near: None,
        },
        Query { label: "near me", words: "", filters: &[], open_now: None, near: Some(Near::Position(46.2, 1.3)) },
        Query {
            label: "near me, open now",
            words: "",
            filters: &[],
            open_now: monday_10h,
            near: Some(Near::Position(46.2, 1.3)),
        },
        Query {
            label: "near Saint-Martin, repas",
            words: "",
            filters: &[("aide", "repas")],
            open_now: None,
            near: Some(Near::Place("Saint-Martin")),
        },
    ];
    for q in &queries {
        let (files, results) = first_query(&out, q);
        let (raw, gz) = files.iter().map(|f| size(f)).fold((0, 0), |(a, b), (c, d)| (a + c, b + d));
        println!("{:<36} {results:>8} {raw:>10} {gz:>10}  {}", q.label, files.len());
    }
    map_pages(&out);
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
