//! How long `alimap serve` takes to show a one-file change, on synthetic
//! directories of 10,000 points (`ALIMAP_BENCH_LIEUX` to change the size):
//! the build benchmark's site (points spread over 40 territories and their
//! communes), then the worst case of every point in one commune.
//!
//! Run with `cargo bench --bench rebuild`. It prints the time of a first
//! full build, then of rebuilds after editing one point's file, with the
//! cache `serve` keeps between builds, with and without writing the output.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use alimap::build::{Cache, Options, build, rebuild};

mod common;
use chrono::NaiveDate;

/// The allocator of the `alimap` command, so that timings match it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const STRUCTURES: usize = 100;

fn main() {
    let lieux: usize = std::env::var("ALIMAP_BENCH_LIEUX").ok().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    // More rounds (`ALIMAP_BENCH_ROUNDS`) to profile rebuilds alone.
    let rounds: usize = std::env::var("ALIMAP_BENCH_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(5);

    println!("## {lieux} points over 40 territories (the build benchmark's site)");
    let dir = tempfile::tempdir().expect("temporary folder");
    common::generator::generate(&dir.path().join("content"), lieux).expect("generation");
    let first_point = walkdir::WalkDir::new(dir.path().join("content/lieux"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "toml"))
        .expect("a point file")
        .into_path();
    measure(dir.path(), &first_point, rounds);

    println!("\n## {lieux} points in one commune of one territory (its commune page and guide list them all)");
    let dir = tempfile::tempdir().expect("temporary folder");
    generate(dir.path(), lieux);
    measure(dir.path(), &dir.path().join("content/lieux/zone-0/lieu-42.toml"), rounds);
}

/// Times a full build of the site in `root`, then rebuilds with the cache
/// of `alimap serve` after renaming the point of the file `edited`.
fn measure(root: &Path, edited: &Path, rounds: usize) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let opts = Options { root: root.to_path_buf(), output: Some(root.join("output")), today };
    let check = Options { output: None, ..opts.clone() };

    let started = Instant::now();
    let report = build(&opts).expect("build");
    let shown = alimap::diagnostic::render_all(&report.diagnostics, &report.sources);
    assert!(!report.diagnostics.has_errors(), "the synthetic site must be valid:\n{shown}");
    let pages = report.summary.map_or(0, |s| s.pages);
    println!("{pages} pages");
    println!("full build (alimap build):           {}", ms(started.elapsed()));

    let mut cache = Cache::default();
    let started = Instant::now();
    rebuild(&opts, &mut cache).expect("first serve build");
    println!("first serve build (fills the cache): {}", ms(started.elapsed()));

    let original = fs::read_to_string(edited).unwrap();
    let name_line = original.lines().find(|l| l.starts_with("nom = \"")).expect("a name").to_string();
    for (label, opts) in [("one-file change, written", &opts), ("one-file change, not written", &check)] {
        let (mut times, mut cpu) = (Vec::new(), Vec::new());
        for round in 0..rounds {
            let renamed = format!("{} modifié {round}\"", name_line.trim_end_matches('"'));
            fs::write(edited, original.replacen(&name_line, &renamed, 1)).unwrap();
            let (started, cpu_before) = (Instant::now(), common::cpu_seconds());
            let report = rebuild(opts, &mut cache).expect("rebuild");
            times.push(started.elapsed());
            cpu.push(common::cpu_seconds() - cpu_before);
            assert!(!report.diagnostics.has_errors());
        }
        times.sort();
        cpu.sort_by(f64::total_cmp);
        println!(
            "{label:<37}median {}, best {} ({:.0} ms of CPU, median)",
            ms(times[times.len() / 2]),
            ms(times[0]),
            cpu[cpu.len() / 2] * 1000.0
        );
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// One territory, `STRUCTURES` structures, `lieux` points in folders of
/// 1,000, with the keys a real point has.
fn generate(root: &Path, lieux: usize) {
    let content = root.join("content");
    for dir in ["territoires", "structures", "lieux", "pages"] {
        fs::create_dir_all(content.join(dir)).unwrap();
    }
    fs::write(
        content.join("site.toml"),
        "titre = \"Annuaire synthétique\"\ndescription = \"Pour mesurer.\"\nurl = \"https://exemple.org/\"\nexemple = true\n",
    )
    .unwrap();
    fs::write(
        content.join("territoires/zone.toml"),
        "nom = \"Zone\"\ntype = \"commune\"\nperimetre = \"zone.geojson\"\ncode_insee = \"93066\"\n",
    )
    .unwrap();
    fs::write(
        content.join("territoires/zone.geojson"),
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[2.20,48.80],[2.50,48.80],[2.50,49.00],[2.20,49.00],[2.20,48.80]]]}}"#,
    )
    .unwrap();
    fs::write(content.join("pages/a-propos.md"), "+++\ntitre = \"À propos\"\n+++\n\nUn annuaire **synthétique**.\n")
        .unwrap();
    for s in 0..STRUCTURES {
        fs::write(
            content.join(format!("structures/structure-{s}.toml")),
            format!(
                "nom = \"Structure {s}\"\ntype = \"association\"\npresentation = \"Une association.\"\n\
                 telephone = \"01 48 00 00 12\"\ndate_maj = 2026-10-01\n"
            ),
        )
        .unwrap();
    }
    for i in 0..lieux {
        let folder = content.join(format!("lieux/zone-{}", i / 1000));
        if i % 1000 == 0 {
            fs::create_dir_all(&folder).unwrap();
        }
        let mut t = String::new();
        writeln!(t, "nom = \"Lieu {i}\"").unwrap();
        writeln!(t, "structure = \"structure-{}\"", i % STRUCTURES).unwrap();
        t.push_str("services = [\"epicerie-sociale\"]\n");
        writeln!(t, "adresse = \"{} rue de la Paix\"", i + 1).unwrap();
        t.push_str("code_postal = \"93200\"\ncommune = \"Ville-Test\"\n");
        writeln!(t, "latitude = {:.5}", 48.81 + (i % 100) as f64 * 0.0018).unwrap();
        writeln!(t, "longitude = {:.5}", 2.21 + (i / 100 % 100) as f64 * 0.0028).unwrap();
        t.push_str("horaires_accueil = \"Mo-Fr 09:00-12:00,14:00-17:00; PH off\"\n");
        t.push_str("acces = [\"orientation\"]\nfrais = \"gratuit\"\npublics = [\"familles\"]\ntelephone = \"01 48 00 00 13\"\n");
        t.push_str("description = \"\"\"\nVenez avec un **sac**.\n\"\"\"\ndate_maj = 2026-11-01\n");
        fs::write(folder.join(format!("lieu-{i}.toml")), t).unwrap();
    }
}
