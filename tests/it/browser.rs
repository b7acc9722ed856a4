//! Runs the browser tests (`tests/browser/*.test.mjs`, headless Chromium
//! driven by playwright-core under Node) against the sample site, so that
//! `cargo test` covers what a visitor's browser does with the pages and
//! scripts.
//!
//! Without Node or Chromium the test says `browser tests SKIPPED` and
//! passes, so that a Rust-only machine can still run `cargo test`; CI sets
//! `ALIMAP_EXIGER_NAVIGATEUR=1` to turn that into a failure.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output};

use crate::support::{build_site, repo};

fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

fn run(cmd: &mut Command) -> std::io::Result<Output> {
    cmd.output()
}

fn skip_or_fail(reason: &str) {
    if std::env::var_os("ALIMAP_EXIGER_NAVIGATEUR").is_some_and(|v| v == "1") {
        panic!("browser tests cannot run: {reason} (ALIMAP_EXIGER_NAVIGATEUR=1 requires them)");
    }
    // Written to the stderr handle itself, not through `eprintln!`, which
    // the test harness captures: a skip must be seen in every run.
    let _ = writeln!(std::io::stderr(), "browser tests SKIPPED: {reason}");
}

fn output_text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn browser_tests_pass_on_the_sample_site() {
    if run(Command::new("node").arg("--version")).is_err() {
        return skip_or_fail("`node` is not installed");
    }
    if !Path::new(&chromium()).exists() {
        return skip_or_fail(&format!("{} is missing (apt-get install chromium)", chromium()));
    }
    let dir = repo().join("tests/browser");
    // Reinstalls when package.json gained a dependency since the last `npm ci`.
    let installed =
        ["playwright-core", "axe-core", "vnu-jar"].iter().all(|p| dir.join("node_modules").join(p).exists());
    if !installed {
        let npm = run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir));
        match npm {
            Err(e) => return skip_or_fail(&format!("`npm` cannot run: {e}")),
            Ok(o) if !o.status.success() => panic!("npm ci failed in tests/browser:\n{}", output_text(&o)),
            Ok(_) => {}
        }
    }

    let built = build_site(&repo());
    assert!(built.report.summary.is_some(), "the sample site must build:\n{}", built.diagnostics());
    // A site with map tiles turned off, for tests/browser/maps.test.mjs.
    let sans_tuiles = build_site(&crate::support::fixture("maps/sans-tuiles"));
    assert!(sans_tuiles.report.summary.is_some(), "{}", sans_tuiles.diagnostics());

    // A territory of more than 100 points, for its summed-up page and its
    // guides per commune (tests/browser/a11y.test.mjs).
    let grand_site = crate::support::large_territory_site();
    let grand = build_site(grand_site.path());
    assert!(grand.report.summary.is_some(), "{}", grand.diagnostics());

    // A site with the form editor on, for tests/browser/editeur.test.mjs,
    // which saves a point into a copy of its folder and runs `alimap check`.
    let editeur_source = crate::support::fixture("editeur/actif");
    let editeur = build_site(&editeur_source);
    assert!(editeur.report.summary.is_some(), "{}", editeur.diagnostics());

    // Test files are listed explicitly: `node --test <dir>` would also try
    // support.mjs and files inside node_modules.
    let mut tests: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".test.mjs"))
        .collect();
    tests.sort();
    let o = run(Command::new("node")
        .arg("--test")
        .arg("--test-reporter=spec")
        .args(&tests)
        .current_dir(&dir)
        .env("ALIMAP_SITE", built.out())
        .env("ALIMAP_SITE_SANS_TUILES", sans_tuiles.out())
        .env("ALIMAP_SITE_GRAND", grand.out())
        .env("ALIMAP_SITE_EDITEUR", editeur.out())
        .env("ALIMAP_SOURCE_EDITEUR", &editeur_source)
        .env("ALIMAP_BIN", env!("CARGO_BIN_EXE_alimap"))
        .env("CHROMIUM", chromium()))
    .expect("node runs");
    let text = output_text(&o);
    assert!(o.status.success(), "browser tests failed:\n{text}");
    // Shown with `cargo test -- --nocapture`.
    println!("{text}");
}
