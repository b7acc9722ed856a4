//! Import benchmark: `alimap import` of a 10,000-row CSV into the sample
//! site (first import: every file written; second: every file compared
//! and left unchanged).
//!
//! `cargo bench --bench import`. The CSV is generated from a fixed list of
//! streets, names and prose hours of Paris and Seine-Saint-Denis (one row
//! in five without coordinates, one in ten with a name already used), into
//! `target/bench-sites/import/`. Three runs, each in a process of its own
//! (so each first import is that of a fresh process) on a fresh copy of
//! `content/`; the time of each run and the range are printed.
//!
//! Sites of earlier runs are moved aside and deleted at the end. On ext4
//! without a journal (this project's development machine), creating files
//! is several times slower for up to 6 minutes after many deletions (the
//! inode allocator skips recently freed inodes, `recently_deleted` in
//! `fs/ext4/ialloc.c`): the benchmark waits until its own last deletion is
//! 6 minutes old, so that its figures are the import's.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use alimap::import::{Options, run};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROWS: usize = 10_000;

/// How long ext4 (no journal) avoids inodes freed by a deletion: 60 s,
/// plus 300 s while their inode table block is dirty.
const RECENTLY_DELETED: Duration = Duration::from_secs(360);

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

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--one") {
        let root = PathBuf::from(args.get(i + 1).expect("--one needs a site folder"));
        let file = PathBuf::from(args.get(i + 2).expect("--one needs a CSV file"));
        return child(root, file);
    }
    parent();
    ExitCode::SUCCESS
}

/// One run, in a process of its own: the first import, then the second.
fn child(root: PathBuf, file: PathBuf) -> ExitCode {
    let opts = Options {
        root,
        files: vec![file],
        acces: vec!["sans-condition".into()],
        frais: Some("gratuit".into()),
        ..Options::default()
    };
    let (t, cpu) = (Instant::now(), cpu_times());
    let report = run(&opts).expect("import");
    let first = t.elapsed().as_secs_f64();
    let (user, sys) = (cpu_times().0 - cpu.0, cpu_times().1 - cpu.1);
    let t = Instant::now();
    let again = run(&opts).expect("import");
    let second = t.elapsed().as_secs_f64();
    assert_eq!(report.lieux.written, ROWS - report.lieux.refused);
    assert_eq!(again.lieux.written, 0);
    eprintln!("{}", report.render());
    println!("BENCH first_s={first} user_s={user} sys_s={sys} second_s={second}");
    ExitCode::SUCCESS
}

/// User and system CPU time of this process so far, in seconds.
fn cpu_times() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // After the command name, in parentheses: utime and stime are the
    // 12th and 13th fields, in 1/100 s (`USER_HZ`).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let tick = |n: usize| rest.split_whitespace().nth(n).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) / 100.0;
    (tick(11), tick(12))
}

fn now() -> Duration {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default()
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split(' ').take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn parent() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = repo.join("target/bench-sites/import");
    std::fs::create_dir_all(&base).expect("bench folder");
    let file = base.join("annuaire.csv");
    std::fs::write(&file, csv()).expect("csv");

    // The time of this benchmark's last deletion: wait until ext4 no
    // longer skips the inodes it freed.
    let stamp = base.join("derniere-suppression");
    let deleted = std::fs::read_to_string(&stamp).ok().and_then(|s| s.trim().parse::<u64>().ok());
    if let Some(at) = deleted {
        let wait = (Duration::from_secs(at) + RECENTLY_DELETED).saturating_sub(now());
        if !wait.is_zero() {
            println!(
                "waiting {} s: the previous run deleted its sites, and ext4 creates files slowly for 6 minutes after many deletions",
                wait.as_secs()
            );
            std::thread::sleep(wait);
        }
    }
    // Sites of earlier runs: moved aside, deleted after the imports.
    let aside = base.join("ancien");
    std::fs::create_dir_all(&aside).expect("bench folder");
    for i in 0..3 {
        let site = base.join(format!("site-{i}"));
        if site.exists() {
            std::fs::rename(&site, aside.join(format!("site-{i}-{}", now().as_nanos()))).expect("move aside");
        }
    }

    let exe = std::env::current_exe().expect("path of the benchmark executable");
    let (mut first, mut second) = (Vec::new(), Vec::new());
    for i in 0..3 {
        let root = base.join(format!("site-{i}"));
        copy_dir(&repo.join("content"), &root.join("content"));
        // The kernel writes the previous run's files now, not during this one.
        let _ = Command::new("sync").status();
        let load = load();
        let out = Command::new(&exe)
            .arg("--one")
            .arg(&root)
            .arg(&file)
            // The report of the first run only.
            .stderr(if i == 0 { Stdio::inherit() } else { Stdio::null() })
            .output()
            .expect("run the import process");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let line = stdout.lines().find_map(|l| l.strip_prefix("BENCH ")).expect("result line of the import process");
        let field = |key: &str| -> f64 {
            line.split_whitespace()
                .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('=')?.parse().ok())
                .unwrap_or_else(|| panic!("no `{key}` in `{line}`"))
        };
        first.push(field("first_s"));
        second.push(field("second_s"));
        println!(
            "run {i} (load {load}): first import {:.2} s (CPU: {:.2} s user, {:.2} s system), second import {:.2} s",
            first[i],
            field("user_s"),
            field("sys_s"),
            second[i]
        );
    }

    if std::fs::read_dir(&aside).is_ok_and(|mut d| d.next().is_some()) {
        let _ = std::fs::remove_dir_all(&aside);
        let _ = std::fs::write(&stamp, now().as_secs().to_string());
    }
    let range = |v: &[f64]| {
        let min = v.iter().copied().fold(f64::INFINITY, f64::min);
        let max = v.iter().copied().fold(0.0, f64::max);
        format!("{min:.2}–{max:.2} s")
    };
    println!("{ROWS} rows, first import (files written): {}", range(&first));
    println!("{ROWS} rows, second import (files compared, unchanged): {}", range(&second));
}
