//! Helpers shared by the tests: building a fixture site into a temporary
//! folder, reading what was written, and comparing text with snapshots.

use std::path::{Path, PathBuf};

use alimap::build::{Options, Report, build};
use alimap::diagnostic::render_all;
use chrono::NaiveDate;

/// The day every test builds for: a Saturday, so hours of the week ahead
/// are known by hand.
pub(crate) fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures").join(rel)
}

/// A built site: the report, and the output folder (deleted on drop).
pub(crate) struct Built {
    pub report: Report,
    pub dir: tempfile::TempDir,
}

impl Built {
    pub(crate) fn out(&self) -> PathBuf {
        self.dir.path().join("output")
    }
    pub(crate) fn read(&self, rel: &str) -> String {
        let p = self.out().join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }
    pub(crate) fn diagnostics(&self) -> String {
        render_all(&self.report.diagnostics, &self.report.sources)
    }
}

pub(crate) fn build_site(root: &Path) -> Built {
    build_site_on(root, today())
}

/// [`build_site`] for another build date.
pub(crate) fn build_site_on(root: &Path, today: NaiveDate) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let report = build(&Options { root: root.to_path_buf(), output: Some(dir.path().join("output")), today })
        .expect("the build itself must not fail");
    Built { report, dir }
}

/// Copies a folder tree, for tests that edit a site or add what cannot be
/// committed (links, invalid UTF-8, huge files).
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A fixture copied into a temporary folder (deleted on drop).
pub(crate) fn scratch_copy(case: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(case), dir.path());
    dir
}

/// Compares `actual` with the file at `path`; with `UPDATE_EXPECT=1`,
/// writes it instead, so that a reviewer sees changes of wording in the diff.
pub(crate) fn assert_snapshot(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path)
        .unwrap_or_else(|_| panic!("missing snapshot {}: run with UPDATE_EXPECT=1 to create it", path.display()));
    if expected != actual {
        panic!(
            "snapshot {} differs (run with UPDATE_EXPECT=1 to accept):\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        );
    }
}

/// Text of an HTML page with tags removed and white space folded, to assert
/// on what a visitor reads.
pub(crate) fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The minimal fixture with 120 more points in Ville-Test's perimeter, in
/// three communes: a territory of more than 100 points, whose page sums
/// them up and whose guide is one per commune. 42 points are in Ville-Test
/// (its 2 and 40 new ones), 40 in Bourg-Test and in Hameau-Test; the new
/// points give meals (42), food parcels (39), or meals and a fridge (39);
/// point `genere-<i>` is named « Lieu généré <i> » and is in Bourg-Test
/// when `i % 3 == 1`.
pub(crate) fn large_territory_site() -> tempfile::TempDir {
    let site = scratch_copy("build/minimal");
    let communes = [("Ville-Test", "93200"), ("Bourg-Test", "93210"), ("Hameau-Test", "93220")];
    let services = [r#"["repas"]"#, r#"["colis-alimentaire"]"#, r#"["repas", "frigo-solidaire"]"#];
    for i in 0..120 {
        let (commune, cp) = communes[i % 3];
        let toml = format!(
            "nom = \"Lieu généré {i}\"\nstructure = \"asso-test\"\nservices = {}\nadresse = \"{i} rue Longue\"\n\
             code_postal = \"{cp}\"\ncommune = \"{commune}\"\nlatitude = 48.93\nlongitude = {:.4}\n\
             horaires_accueil = \"Mo-Fr 10:00-12:00\"\nacces = [\"sans-condition\"]\nfrais = \"gratuit\"\n\
             date_maj = 2026-10-01\n",
            services[(i / 3) % 3],
            2.31 + i as f64 * 0.0007
        );
        std::fs::write(site.path().join(format!("content/lieux/genere-{i}.toml")), toml).unwrap();
    }
    site
}

/// The templates `native` transcribes: overriding any of them moves the
/// pages that use them to Tera.
pub(crate) const TRANSCRIBED: &[&str] = &[
    "base.html",
    "lieu.html",
    "commune.html",
    "structure.html",
    "guide.html",
    "gerer.html",
    "coordination.html",
    "besoins_structure.html",
    "carte.html",
    "macros.html",
];
