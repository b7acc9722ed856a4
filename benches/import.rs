//! Import benchmark: `alimap import` of a 10,000-row CSV into the sample
//! site (first import: every file written; second: every file compared
//! and left unchanged).
//!
//! `cargo bench --bench import`. The CSV is generated from a fixed list of
//! streets, names and prose hours of Paris and Seine-Saint-Denis (one row
//! in five without coordinates, one in ten with a name already used), into
//! `target/bench-sites/import/`; each run starts from a fresh copy of
//! `content/`. Three runs; the fastest and slowest are printed.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use alimap::import::{Options, run};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROWS: usize = 10_000;

fn csv() -> String {
    let names = [
        "Épicerie solidaire",
        "Restos du cœur",
        "Colis du mardi",
        "Frigo partagé",
        "Maraude de nuit",
        "Œuvre d’entraide",
    ];
    let places = [
        ("rue de la Roquette", "75011", "Paris", 48.8553, 2.3720),
        ("avenue d’Italie", "75013", "Paris", 48.8255, 2.3575),
        ("rue Ordener", "75018", "Paris", 48.8920, 2.3480),
        ("rue Sadi Carnot", "93170", "Bagnolet", 48.8692, 2.4181),
        ("rue de Paris", "93100", "Montreuil", 48.8590, 2.4380),
    ];
    let hours = [
        "du lundi au vendredi de 9h à 12h",
        "de 9h à 12h et de 14h à 17h",
        "les mardis de 14h à 16h",
        "à partir de 20h",
        "un samedi sur deux",
        "Mo-Fr 09:00-12:00",
    ];
    let mut out =
        String::from("Nom;Structure;Adresse;Téléphone;Site;Catégorie;Public;Horaires;Mise à jour;latitude;longitude\n");
    for i in 0..ROWS {
        let (street, cp, city, lat, lon) = places[i % places.len()];
        let name = if i % 10 == 0 { names[0].to_string() } else { format!("{} {i}", names[i % names.len()]) };
        let (la, lo) = if i % 5 == 0 {
            (String::new(), String::new())
        } else {
            (format!("{:.5}", lat + (i % 97) as f64 * 1e-4), format!("{:.5}", lon + (i % 89) as f64 * 1e-4))
        };
        let _ = writeln!(
            out,
            "{name};ccas-paris;{} {street}, {cp} {city};{};www.exemple{i}.org;Épicerie, colis;familles, hommes seuls;{};{}/{}/2025;{la};{lo}",
            i % 200 + 1,
            140_000_000 + i,
            hours[i % hours.len()],
            i % 28 + 1,
            i % 12 + 1,
        );
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable");
        let dest = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("folder");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = repo.join("target/bench-sites/import");
    std::fs::create_dir_all(&base).expect("bench folder");
    let file = base.join("annuaire.csv");
    std::fs::write(&file, csv()).expect("csv");
    let mut first = Vec::new();
    let mut second = Vec::new();
    // Sites of earlier runs are moved aside, and deleted only at the end:
    // for some seconds after many deletions ext4 creates files several
    // times slower (`recently_deleted`, as the build bench found), which is
    // not the import's time. Runs seconds apart still see it in their first
    // import.
    let aside = base.join("ancien");
    let _ = std::fs::remove_dir_all(&aside);
    std::fs::create_dir_all(&aside).expect("bench folder");
    for i in 0..3 {
        let _ = std::fs::rename(base.join(format!("site-{i}")), aside.join(format!("site-{i}")));
    }
    for i in 0..3 {
        let root = base.join(format!("site-{i}"));
        copy_dir(&repo.join("content"), &root.join("content"));
        let opts = Options {
            root: root.clone(),
            files: vec![file.clone()],
            acces: vec!["sans-condition".into()],
            frais: Some("gratuit".into()),
            ..Options::default()
        };
        // The kernel writes the previous run's files now, not during this one.
        let _ = std::process::Command::new("sync").status();
        let t = Instant::now();
        let report = run(&opts).expect("import");
        first.push(t.elapsed().as_secs_f64());
        if i == 0 {
            println!("{}", report.render());
        }
        let t = Instant::now();
        let again = run(&opts).expect("import");
        second.push(t.elapsed().as_secs_f64());
        assert_eq!(again.lieux.written, 0);
    }
    let _ = std::fs::remove_dir_all(&aside);
    let range = |v: &[f64]| {
        let min = v.iter().copied().fold(f64::INFINITY, f64::min);
        let max = v.iter().copied().fold(0.0, f64::max);
        format!("{min:.2}–{max:.2} s")
    };
    println!("{ROWS} rows, first import (files written): {}", range(&first));
    println!("{ROWS} rows, second import (files compared, unchanged): {}", range(&second));
}
