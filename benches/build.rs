//! Build benchmark: generates synthetic sites of 1,000, 10,000 and 100,000
//! points and times a full build of each (load, parse, validate, render,
//! write), with peak memory.
//!
//! `cargo bench --bench build`. Sizes can be chosen with
//! `ALIMAP_BENCH_SIZES=1000,10000`; `ALIMAP_BENCH_PHASES=1` adds a run per
//! size that times each step of the pipeline on its own.
//!
//! Sites are generated once into `target/bench-sites/<N>/` (a stamp file
//! records the generator version) and reused by later runs. Generation is
//! deterministic: a seeded xorshift generator, no system randomness.
//!
//! Each build runs in a child process (this executable, re-run with
//! `--one <site>`), so that the peak memory reported (`VmHWM`) is that of
//! one build of one size. Each size is built three times, from an empty
//! output folder: the first build writes every file; the second, a
//! rebuild, links the unchanged files from the first one's site; the
//! third, like every later rebuild, writes into the site kept from the
//! build before the last (see `alimap::output`), where unchanged files
//! stay as they are. The second and third read the content from a warm
//! page cache. Before each build, `sync` writes the files of the one before
//! to disk, so that the kernel does not write them during the next. The
//! outputs of earlier runs are moved aside first and deleted at the end.

use std::fs;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use alimap::build::{Options, build};

mod common;
use alimap::diagnostic::{Diagnostics, Severity, SourceMap, render_all};
use chrono::NaiveDate;
use common::cpu_seconds;
use common::generator::{GENERATOR_VERSION, ensure_site};

/// The allocator of the `alimap` command, so that timings match it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const DEFAULT_SIZES: &[usize] = &[1_000, 10_000, 100_000];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).expect("valid date")
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--one") {
        return child_build(Path::new(args.get(i + 1).expect("--one needs a site folder")));
    }
    if let Some(i) = args.iter().position(|a| a == "--phases") {
        return child_phases(Path::new(args.get(i + 1).expect("--phases needs a site folder")));
    }
    parent()
}

// ------------------------------------------------------------------ parent

struct Run {
    wall: Duration,
    /// CPU time of the whole child process (user + system, all threads).
    cpu_s: f64,
    hwm_kib: u64,
    pages: usize,
    warnings: usize,
}

struct Row {
    points: usize,
    /// The first build, the first rebuild, the next rebuild.
    runs: Result<[Run; 3], String>,
}

fn parent() -> ExitCode {
    let sizes = match std::env::var("ALIMAP_BENCH_SIZES") {
        Ok(s) => s
            .split(',')
            .map(|x| x.trim().replace('_', ""))
            .filter(|x| !x.is_empty())
            .map(|x| x.parse::<usize>().unwrap_or_else(|_| panic!("ALIMAP_BENCH_SIZES: not a number: {x}")))
            .collect(),
        Err(_) => DEFAULT_SIZES.to_vec(),
    };
    let phases = std::env::var_os("ALIMAP_BENCH_PHASES").is_some_and(|v| !v.is_empty() && v != "0");
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("bench-sites");
    let exe = std::env::current_exe().expect("path of the benchmark executable");

    let mut rows = Vec::new();
    for &n in &sizes {
        println!("\n## {n} points");
        let dir = base.join(n.to_string());
        let started = Instant::now();
        match ensure_site(&dir, n) {
            Ok(Some(stats)) => println!(
                "generated in {:.2} s: {} files, {:.1} MiB of content",
                started.elapsed().as_secs_f64(),
                stats.files,
                mib(stats.bytes)
            ),
            Ok(None) => println!("reusing the site generated earlier (generator v{GENERATOR_VERSION})"),
            Err(e) => {
                println!("generation failed: {e}");
                rows.push(Row { points: n, runs: Err(format!("generation failed: {e}")) });
                continue;
            }
        }

        // From an empty folder: the bench's own output, and what builds
        // keep beside it, are moved aside, and deleted once every size is
        // timed (see `set_aside_output`).
        if let Err(e) = set_aside_output(&dir) {
            rows.push(Row { points: n, runs: Err(format!("cannot empty the output folder: {e}")) });
            continue;
        }
        let runs = run_child(&exe, &dir, 1).and_then(|first| {
            let second = run_child(&exe, &dir, 2)?;
            Ok([first, second, run_child(&exe, &dir, 3)?])
        });
        if runs.is_ok() {
            let html = html_stats(&dir.join("output"));
            println!(
                "output: {} HTML pages, {} bytes ({:.1} MiB) of HTML, average {:.1} KiB per page; {:.1} MiB in all",
                html.html_files,
                html.html_bytes,
                mib(html.html_bytes),
                html.html_bytes as f64 / html.html_files.max(1) as f64 / 1024.0,
                mib(html.all_bytes)
            );
            print_weights(&dir.join("output"), &html);
            if phases {
                let status = Command::new(&exe)
                    .arg("--phases")
                    .arg(&dir)
                    .env("ALIMAP_SILENCIEUX", "1")
                    .status()
                    .expect("run the phase timing");
                if !status.success() {
                    println!("phase timing failed: {status}");
                }
            }
        }
        rows.push(Row { points: n, runs });
    }

    println!("\n| points | pages | first build | rebuild | next rebuilds | CPU time | peak memory |");
    println!("|-------:|------:|------------:|--------:|--------------:|---------:|------------:|");
    let mut failed = false;
    for r in &rows {
        match &r.runs {
            Ok([first, second, next]) => println!(
                "| {} | {} | {:.2} s | {:.2} s | {:.2} s | {:.1} s | {:.0} MiB |",
                r.points,
                next.pages,
                first.wall.as_secs_f64(),
                second.wall.as_secs_f64(),
                next.wall.as_secs_f64(),
                next.cpu_s,
                next.hwm_kib as f64 / 1024.0,
            ),
            Err(e) => {
                failed = true;
                println!("| {} | – | failed: {} | – | – | – | – |", r.points, e.lines().next().unwrap_or(""));
            }
        }
    }
    println!(
        "\nThree builds from an empty output folder: the first writes every file, the rebuild links the \
         unchanged ones from the first's site, the next rebuild (as every later one) keeps them where they \
         are. CPU time and peak memory of the next rebuild."
    );
    println!("Build date: {}; sites in {}", today(), base.display());
    for &n in &sizes {
        delete_set_aside(&base.join(n.to_string()));
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// Where [`set_aside_output`] moves the outputs of earlier runs.
const SET_ASIDE: &str = ".sorties-precedentes";

/// Moves the output folder of the site in `dir`, and the files builds keep
/// beside it (`.output.alimap-…`), into `dir/.sorties-precedentes/`, which
/// [`delete_set_aside`] removes after the builds. Deleted right before the
/// first build, their thousands of files would slow it down: ext4 skips
/// inodes freed in the last minute or more when it creates files.
fn set_aside_output(dir: &Path) -> std::io::Result<()> {
    let aside = dir.join(SET_ASIDE).join(format!("{}", std::process::id()));
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name == "output" || name.starts_with(".output.alimap-") {
            fs::create_dir_all(&aside)?;
            fs::rename(entry.path(), aside.join(&*name))?;
        }
    }
    Ok(())
}

/// Deletes what [`set_aside_output`] moved aside in `dir`.
fn delete_set_aside(dir: &Path) {
    let aside = dir.join(SET_ASIDE);
    if aside.exists()
        && let Err(e) = fs::remove_dir_all(&aside)
    {
        println!("cannot delete {}: {e}", aside.display());
    }
}

fn run_child(exe: &Path, dir: &Path, nth: u32) -> Result<Run, String> {
    // The files the build before wrote go to disk first, so that the
    // kernel's writing them (gigabytes at 100,000 points) does not run on
    // the cores this build is timed on.
    let _ = Command::new("sync").status();
    let out = Command::new(exe)
        .arg("--one")
        .arg(dir)
        .env("ALIMAP_SILENCIEUX", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run the build process: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        print!("{stdout}");
        return Err(format!("build {nth} failed ({})", out.status));
    }
    let line = stdout.lines().find_map(|l| l.strip_prefix("BENCH ")).ok_or("no result line from the build process")?;
    let field = |key: &str| -> Result<f64, String> {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("missing `{key}` in `{line}`"))
    };
    let run = Run {
        wall: Duration::from_secs_f64(field("wall_s")?),
        cpu_s: field("cpu_s")?,
        hwm_kib: field("hwm_kib")? as u64,
        pages: field("pages")? as usize,
        warnings: field("warnings")? as usize,
    };
    println!(
        "build {nth}: {:.2} s ({:.1} s of CPU), peak memory {:.0} MiB, {} pages, {} warnings",
        run.wall.as_secs_f64(),
        run.cpu_s,
        run.hwm_kib as f64 / 1024.0,
        run.pages,
        run.warnings
    );
    Ok(run)
}

#[derive(Default)]
struct HtmlStats {
    html_files: u64,
    html_bytes: u64,
    all_bytes: u64,
    /// Per kind of page (its folder, or its name at the top): the number
    /// of pages, their bytes, and the largest one.
    kinds: std::collections::BTreeMap<String, (u64, u64, u64, std::path::PathBuf)>,
}

fn html_stats(dir: &Path) -> HtmlStats {
    fn walk(root: &Path, dir: &Path, s: &mut HtmlStats) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let Ok(t) = e.file_type() else { continue };
            if t.is_dir() {
                walk(root, &e.path(), s);
            } else if let Ok(m) = e.metadata() {
                s.all_bytes += m.len();
                let path = e.path();
                if path.extension().is_some_and(|x| x == "html") {
                    s.html_files += 1;
                    s.html_bytes += m.len();
                    let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                    let kind = match rel.split_once('/') {
                        Some((folder, _)) => format!("{folder}/"),
                        None => rel.clone(),
                    };
                    let k = s.kinds.entry(kind).or_default();
                    k.0 += 1;
                    k.1 += m.len();
                    if m.len() > k.2 {
                        k.2 = m.len();
                        k.3 = path;
                    }
                }
            }
        }
    }
    let mut s = HtmlStats::default();
    walk(dir, dir, &mut s);
    s
}

/// The weight of each kind of page: average and largest, raw and gzip
/// (level 6, what static hosts commonly serve), and the style sheet's.
fn print_weights(dir: &Path, html: &HtmlStats) {
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use std::io::Write as _;
    let gzip = |path: &Path| -> u64 {
        let bytes = fs::read(path).unwrap_or_default();
        let mut e = GzEncoder::new(Vec::new(), Compression::new(6));
        e.write_all(&bytes).expect("gzip in memory");
        e.finish().map_or(0, |v| v.len() as u64)
    };
    println!("| pages | count | average | largest | largest, gzip |");
    println!("|---|---:|---:|---:|---:|");
    for (kind, (n, bytes, max, path)) in &html.kinds {
        println!(
            "| {kind} | {n} | {:.1} KiB | {:.1} KiB | {:.1} KiB |",
            *bytes as f64 / *n as f64 / 1024.0,
            *max as f64 / 1024.0,
            gzip(path) as f64 / 1024.0
        );
    }
    let css = dir.join("assets/style.css");
    let raw = fs::metadata(&css).map_or(0, |m| m.len());
    println!("style sheet: {:.1} KiB, {:.1} KiB gzip", raw as f64 / 1024.0, gzip(&css) as f64 / 1024.0);
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

// ------------------------------------------------------------------- child

/// One build, timed; prints a `BENCH key=value…` line for the parent.
fn child_build(dir: &Path) -> ExitCode {
    // As `alimap build` does.
    alimap::allocator::keep_freed_memory();
    let opts = Options { root: dir.to_path_buf(), output: Some(dir.join("output")), today: today() };
    let started = Instant::now();
    let report = match build(&opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("build failed: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let wall = started.elapsed();
    if report.diagnostics.has_errors() {
        print_errors(&report.diagnostics, &report.sources);
        return ExitCode::FAILURE;
    }
    let Some(summary) = report.summary else {
        eprintln!("the build reported no error but produced no summary");
        return ExitCode::FAILURE;
    };
    println!(
        "BENCH wall_s={:.6} cpu_s={:.2} hwm_kib={} pages={} lieux={} structures={} territoires={} warnings={}",
        wall.as_secs_f64(),
        cpu_seconds(),
        peak_rss_kib(),
        summary.pages,
        summary.lieux,
        summary.structures,
        summary.territoires,
        report.diagnostics.count(Severity::Warning),
    );
    ExitCode::SUCCESS
}

/// The first errors, rendered as a volunteer would see them.
fn print_errors(all: &Diagnostics, sources: &SourceMap) {
    let errors: Vec<_> = all.0.iter().filter(|d| d.is_error()).cloned().collect();
    let total = errors.len();
    let first = Diagnostics(errors.into_iter().take(10).collect());
    eprintln!("{total} errors; the first ones:\n{}", render_all(&first, sources));
}

/// The steps of `alimap::build::build`, each timed on its own, with the
/// peak memory after each.
fn child_phases(dir: &Path) -> ExitCode {
    use alimap::content::{load, parse, validate};
    use alimap::diagnostic::Diagnostic;
    use alimap::{output, render, theme};

    alimap::allocator::keep_freed_memory();

    let mut last = (Instant::now(), cpu_seconds());
    let mut step = |name: &str| {
        let now = (Instant::now(), cpu_seconds());
        println!(
            "  phase {name:<12} {:>8.3} s wall {:>8.2} s cpu   peak {:>6.0} MiB",
            (now.0 - last.0).as_secs_f64(),
            now.1 - last.1,
            peak_rss_kib() as f64 / 1024.0
        );
        last = now;
    };
    let started = Instant::now();
    let (sources, mut diags) = load::load(dir);
    step("load");
    let mut source_map = SourceMap::default();
    for f in sources.texts() {
        source_map.insert(f.path.clone(), f.text.clone());
    }
    step("source map");
    let (parsed, ds) = parse::parse(&sources);
    diags.extend(ds);
    step("parse");
    let (site, ds) = validate::validate(parsed, today());
    diags.extend(ds);
    let mut diagnostics = Diagnostics(diags);
    diagnostics.sort();
    step("validate");
    let Some(site) = site.filter(|_| !diagnostics.has_errors()) else {
        print_errors(&diagnostics, &source_map);
        return ExitCode::FAILURE;
    };
    let theme = theme::Theme::assemble(&site.config.theme, &sources.themes);
    let files = match render::render(&site, &theme, today()) {
        Ok(f) => f,
        Err(ds) => {
            let ds: Vec<Diagnostic> = ds;
            print_errors(&Diagnostics(ds), &source_map);
            return ExitCode::FAILURE;
        }
    };
    step("render");
    if let Err(e) = output::write(&dir.join("output"), &files) {
        eprintln!("write failed: {e:#}");
        return ExitCode::FAILURE;
    }
    step("write");
    drop((files, site, sources, source_map));
    step("free");
    println!("  total {:.3} s", started.elapsed().as_secs_f64());
    ExitCode::SUCCESS
}

/// Peak resident memory of this process (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
