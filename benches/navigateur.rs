//! Search on a slow phone network, in a real browser: builds the sample site
//! and the build benchmark's synthetic site of 10,000 points, then runs
//! `benches/navigateur/mesure.mjs` (Node, playwright-core from
//! `tests/browser/node_modules`, Debian's Chromium), which prints the time
//! to the first result card with the network emulated at 2 s round trip
//! and 50 KB/s. Method and figures in benches/README.md.
//!
//! Run with `cargo bench --bench navigateur`, or `cargo test --bench
//! navigateur` (the times are the browser's: the build profile does not
//! change them, and the debug build skips compiling everything again).
//! `ALIMAP_BENCH_RUNS` sets the runs per case (3).

#[path = "common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use alimap::build::{Options, build};
use chrono::NaiveDate;
use common::generator::ensure_site;

fn built(root: &Path, output: PathBuf) -> Result<PathBuf, String> {
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let report = build(&Options { root: root.to_path_buf(), output: Some(output.clone()), today })
        .map_err(|e| format!("{}: {e:#}", root.display()))?;
    if report.summary.is_none() {
        return Err(format!("{} did not build", root.display()));
    }
    Ok(output)
}

fn main() -> ExitCode {
    // `cargo test --bench` passes test-harness flags; a listing asks for nothing.
    if std::env::args().any(|a| a == "--list") {
        return ExitCode::SUCCESS;
    }
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = repo.join("target/bench-sites");
    let synthetic = dir.join("10000");
    if let Err(e) = ensure_site(&synthetic, 10_000) {
        eprintln!("cannot generate the synthetic site: {e}");
        return ExitCode::FAILURE;
    }
    let sites = [
        ("exemple", built(&repo, dir.join("navigateur-exemple"))),
        ("10000", built(&synthetic, synthetic.join("navigateur"))),
    ];
    let mut args = Vec::new();
    for (label, out) in sites {
        match out {
            Ok(out) => args.push(format!("{label}={}", out.display())),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let status = Command::new("node").arg(repo.join("benches/navigateur/mesure.mjs")).args(&args).status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => {
            eprintln!("mesure.mjs failed: {s}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("cannot run node: {e}");
            ExitCode::FAILURE
        }
    }
}
