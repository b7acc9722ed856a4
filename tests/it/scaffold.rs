//! `alimap init`, `alimap new` and the editor schemas, through the command
//! a volunteer types: a new site passes `alimap check` as created, and a
//! new entry passes once its placeholders are filled.

use std::path::Path;
use std::process::{Command, Output};

use alimap::build::{Options, build};
use alimap::content::schema::{self, FieldSpec, FileKind, PLACEHOLDER};
use alimap::diagnostic::{Severity, render_all};

use crate::support::*;

fn alimap(args: &[&str], root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alimap"))
        .arg("--racine")
        .arg(root)
        .args(["--date", "2026-11-28"])
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Checks the site at `root` and returns (errors, warnings, diagnostics).
fn check(root: &Path) -> (usize, usize, String) {
    let report = build(&Options { root: root.to_path_buf(), output: None, today: today() }).unwrap();
    let text = render_all(&report.diagnostics, &report.sources);
    (report.diagnostics.count(Severity::Error), report.diagnostics.count(Severity::Warning), text)
}

fn init() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_alimap")).arg("init").arg(dir.path().join("site")).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

#[test]
fn a_new_site_passes_the_check_and_carries_its_ci_and_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = Command::new(env!("CARGO_BIN_EXE_alimap")).arg("init").arg(&root).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    let (errors, warnings, text) = check(&root);
    assert_eq!((errors, warnings), (0, 0), "{text}");

    let github = std::fs::read_to_string(root.join(".github/workflows/alimap.yml")).unwrap();
    assert!(github.contains("run: alimap check --format github"), "{github}");
    assert!(github.contains("actions/deploy-pages"), "{github}");
    // No job leaves its token in `.git/config`, where a file of the site
    // could reach it.
    let checkouts = github.matches("uses: actions/checkout@").count();
    assert_eq!(checkouts, 2, "{github}");
    assert_eq!(
        github.matches("uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n").count(),
        checkouts,
        "{github}"
    );
    let gitlab = std::fs::read_to_string(root.join(".gitlab-ci.yml")).unwrap();
    assert!(gitlab.contains("alimap build --sortie public"), "{gitlab}");
    assert!(gitlab.contains("merge_request_event"), "{gitlab}");
    for kind in FileKind::ALL {
        let copied = std::fs::read_to_string(root.join(format!("schemas/{}.json", kind.name()))).unwrap();
        assert_eq!(copied, schema::json_schema(kind));
    }
    let site = std::fs::read_to_string(root.join("content/site.toml")).unwrap();
    assert!(site.starts_with("#:schema ../schemas/site.json\n"), "{site}");
    assert!(root.join("content/lieux").is_dir() && root.join("content/structures").is_dir());
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "à garder").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_alimap")).arg("init").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("n’est pas vide"), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// Replaces each placeholder line `key = "À REMPLIR"` with the key's example.
fn fill(text: &str, fields: &[FieldSpec]) -> String {
    let mut out = String::new();
    for line in text.lines() {
        match line.split_once(" = ") {
            Some((key, value)) if value.contains(PLACEHOLDER) => {
                let f = fields.iter().find(|f| f.key == key).unwrap_or_else(|| panic!("no spec for {key}"));
                out.push_str(&format!("{key} = {}\n", f.example));
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

fn example_text(fields: &[FieldSpec], key: &str) -> String {
    let f = fields.iter().find(|f| f.key == key).unwrap();
    f.example.trim_matches('"').to_string()
}

#[test]
fn new_entries_fail_the_check_until_their_placeholders_are_filled() {
    let dir = init();
    let root = dir.path().join("site");
    let lieu = schema::lieu();
    // The lieu's example names this structure; the territory's perimeter
    // is a square around the lieu's example position.
    let structure_id = example_text(&lieu, "structure");
    let (lat, lon): (f64, f64) =
        (example_text(&lieu, "latitude").parse().unwrap(), example_text(&lieu, "longitude").parse().unwrap());
    let entries = [("territoire", "ville"), ("structure", structure_id.as_str()), ("lieu", "distribution")];
    for (genre, id) in entries {
        let out = alimap(&["new", genre, id], &root);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).contains("Fiche créée"), "{}", stderr(&out));
    }
    let square = format!(
        r#"{{"type":"Polygon","coordinates":[[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]]}}"#,
        w = lon - 0.05,
        e = lon + 0.05,
        s = lat - 0.05,
        n = lat + 0.05
    );
    std::fs::write(root.join("content/territoires/ville.geojson"), square).unwrap();

    let (errors, _, text) = check(&root);
    assert!(errors >= 10, "every placeholder is refused:\n{text}");
    assert!(text.contains("valeur inconnue « À REMPLIR » pour `services`"), "{text}");

    let files = [
        ("content/territoires/ville.toml", schema::territoire()),
        (&*format!("content/structures/{structure_id}.toml"), schema::structure()),
        ("content/lieux/distribution.toml", lieu.clone()),
    ];
    for (rel, fields) in &files {
        let path = root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let kind = rel.split('/').nth(1).unwrap();
        let schema_path = text.lines().next().unwrap().strip_prefix("#:schema ").unwrap();
        assert!(path.parent().unwrap().join(schema_path).is_file(), "{rel}: {schema_path} ({kind})");
        std::fs::write(&path, fill(&text, fields)).unwrap();
    }
    let (errors, _, text) = check(&root);
    assert_eq!(errors, 0, "{text}");
}

#[test]
fn new_refuses_invalid_ids_and_never_overwrites() {
    let dir = init();
    let root = dir.path().join("site");
    let out = alimap(&["new", "lieu", "Épicerie du Centre"], &root);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("par exemple : `epicerie-du-centre`"), "{}", stderr(&out));

    std::fs::create_dir_all(root.join("content/lieux/nord")).unwrap();
    std::fs::write(root.join("content/lieux/nord/epicerie.toml"), "nom = \"à garder\"\n").unwrap();
    let out = alimap(&["new", "lieu", "epicerie"], &root);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("content/lieux/nord/epicerie.toml"), "{}", stderr(&out));
    assert!(!root.join("content/lieux/epicerie.toml").exists());
    assert_eq!(std::fs::read_to_string(root.join("content/lieux/nord/epicerie.toml")).unwrap(), "nom = \"à garder\"\n");
}

/// The schemas under `schemas/` are generated from `src/schema.rs`; editors
/// read the committed files, so they must be up to date.
#[test]
fn committed_schemas_are_up_to_date() {
    for kind in FileKind::ALL {
        let path = repo().join(format!("schemas/{}.json", kind.name()));
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == schema::json_schema(kind),
            "{} is stale or missing: regenerate the schemas with `cargo run -- schemas`",
            path.display()
        );
    }
}

/// The key reference in `docs/` is generated from the same description.
#[test]
fn the_key_reference_is_up_to_date() {
    assert_snapshot(&repo().join("docs/cles.md"), &schema::markdown_reference());
}
