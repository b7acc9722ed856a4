//! Limits benchmark: how long `alimap check` takes on a small site whose one
//! description is hostile (nesting, wide tables), refused or accepted.
//!
//! `cargo bench --bench limits`. Each case copies the minimal test fixture
//! into `target/bench-sites/limits/<case>/`, adds one point whose
//! `description` is the case's text, and runs `check` (the pipeline
//! without writing, rendering included when nothing is refused) three
//! times; the fastest and slowest are printed, with the first diagnostic.
//!
//! Then 20,000 points in one commune, all of one structure: the build's
//! time, and the largest page of each kind (commune, structure, guide…),
//! which pagination keeps bounded.

use std::path::Path;
use std::time::Instant;

use alimap::build::{Options, build};
use chrono::NaiveDate;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn cases() -> Vec<(&'static str, String)> {
    let nested_ok: String = ">".repeat(16) + " x\n\n";
    let divs_ok: String = "<div>".repeat(16) + "x" + &"</div>".repeat(16) + "\n\n";
    let table = |n: usize| format!("{}|\n{}|\n{}|\n", "|a".repeat(n), "|-".repeat(n), "|b".repeat(n));
    vec![
        ("> × 200,000", ">".repeat(200_000)),
        ("> × 1,000,000", ">".repeat(1_000_000)),
        ("<div> × 100,000", "<div>".repeat(100_000)),
        ("- × 100,000 (nested lists)", "- ".repeat(100_000)),
        ("table of 20,000 columns", table(20_000).repeat(7)),
        ("table of 2,000 columns", table(2_000)),
        // Accepted: as deep, as wide and as long as the limits allow.
        ("accepted: 16 > deep, 20,000 chars", nested_ok.repeat(20_000 / nested_ok.len())),
        ("accepted: 16 <div> deep, 20,000 chars", divs_ok.repeat(20_000 / divs_ok.len())),
        ("accepted: table of 20 columns, 20,000 chars", table(20).repeat(20_000 / table(20).len())),
    ]
}

fn main() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/build/minimal");
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-sites/limits");
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).expect("valid date");
    println!("| case | text | check (min–max of 3) | outcome |");
    println!("|---|---:|---:|---|");
    for (i, (name, text)) in cases().into_iter().enumerate() {
        let root = base.join(i.to_string());
        let _ = std::fs::remove_dir_all(&root);
        copy_dir(&fixture, &root);
        let toml = format!(
            "nom = \"Lieu limite\"\nstructure = \"asso-test\"\nservices = [\"repas\"]\nadresse = \"1 rue Haute\"\n\
             code_postal = \"93200\"\ncommune = \"Ville-Test\"\nlatitude = 48.93\nlongitude = 2.35\n\
             acces = [\"sans-condition\"]\nfrais = \"gratuit\"\ndate_maj = 2026-10-01\n\
             description = '''\n{text}'''\n"
        );
        std::fs::write(root.join("content/lieux/limite.toml"), toml).expect("write the point");
        let mut times = Vec::new();
        let mut outcome = String::new();
        for _ in 0..3 {
            let started = Instant::now();
            let report = build(&Options { root: root.clone(), output: None, today }).expect("check runs");
            times.push(started.elapsed().as_secs_f64());
            outcome = match report.diagnostics.0.iter().find(|d| d.is_error()) {
                Some(d) => format!("refused: {}", d.message),
                None => "accepted".to_string(),
            };
        }
        let (min, max) = times.iter().fold((f64::MAX, 0.0f64), |(a, b), &t| (a.min(t), b.max(t)));
        println!("| {name} | {} KB | {min:.3}–{max:.3} s | {outcome} |", text.len() / 1000);
    }
    crowded_commune(&fixture, &base.join("commune"), today);
}

/// 20,000 points in Ville-Test, of `asso-test`: the largest page of each
/// kind.
fn crowded_commune(fixture: &Path, root: &Path, today: NaiveDate) {
    const POINTS: usize = 20_000;
    let _ = std::fs::remove_dir_all(root);
    copy_dir(fixture, root);
    for i in 0..POINTS {
        let toml = format!(
            "nom = \"Lieu {i}\"\nstructure = \"asso-test\"\nservices = [\"repas\", \"colis-alimentaire\"]\n\
             adresse = \"{i} rue Haute\"\ncode_postal = \"93200\"\ncommune = \"Ville-Test\"\nlatitude = 48.93\n\
             longitude = {:.5}\nhoraires_accueil = \"Mo-Fr 10:00-12:00\"\nacces = [\"sans-condition\"]\n\
             frais = \"gratuit\"\ndate_maj = 2026-10-01\n",
            2.31 + (i % 1000) as f64 * 0.00008
        );
        std::fs::write(root.join(format!("content/lieux/lieu-{i}.toml")), toml).expect("write a point");
    }
    let out = root.join("output");
    let started = Instant::now();
    let report = build(&Options { root: root.to_path_buf(), output: Some(out.clone()), today }).expect("build runs");
    let took = started.elapsed().as_secs_f64();
    assert!(!report.diagnostics.has_errors(), "the crowded site must build");
    let mut largest: std::collections::BTreeMap<String, (u64, String, usize)> = Default::default();
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.expect("walk the output");
        let path = entry.path().strip_prefix(&out).expect("inside").to_string_lossy().into_owned();
        if !path.ends_with(".html") {
            continue;
        }
        let kind = path.split('/').take(path.matches('/').count()).collect::<Vec<_>>().join("/");
        let kind = if kind.is_empty() { "(root)".to_string() } else { kind };
        let size = entry.metadata().expect("size").len();
        let e = largest.entry(kind).or_insert((0, String::new(), 0));
        e.2 += 1;
        if size > e.0 {
            (e.0, e.1) = (size, path);
        }
    }
    println!("\n{POINTS} points in one commune: built in {took:.1} s\n");
    println!("| pages | count | largest | its size |");
    println!("|---|---:|---|---:|");
    for (kind, (size, path, count)) in &largest {
        println!("| {kind}/ | {count} | {path} | {} KB |", size / 1000);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk the fixture");
        let dest = to.join(entry.path().strip_prefix(from).expect("inside the fixture"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("create a folder");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy a file");
        }
    }
}
