//! `alimap init`, `alimap new` and the editor schemas, through the command
//! a volunteer types: a new site passes `alimap check` as created, and a
//! new entry passes once its placeholders are filled.

use std::path::Path;
use std::process::{Command, Output};

use alimap::build::{Options, build};
use alimap::content::schema::{self, FieldSpec, FileKind, PLACEHOLDER};
use alimap::diagnostic::{Severity, render_all};

use crate::support::*;
use yaml_rust2::{Yaml, YamlLoader};

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
    assert!(github.contains("actions/deploy-pages@"), "{github}");
    let gitlab = std::fs::read_to_string(root.join(".gitlab-ci.yml")).unwrap();
    assert!(gitlab.contains("alimap build --sortie public"), "{gitlab}");
    assert!(gitlab.contains("merge_request_event"), "{gitlab}");
    check_ci_installs(&root, env!("CARGO_PKG_REPOSITORY"));
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

/// The one YAML document of a CI file.
fn yaml(path: &Path) -> Yaml {
    let text = std::fs::read_to_string(path).unwrap();
    let mut docs = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(docs.len(), 1, "{}", path.display());
    docs.remove(0)
}

/// Every shell command of a CI file: the `run` of GitHub steps, the
/// `script` and `before_script` lines of GitLab jobs, at any depth.
fn commands(y: &Yaml, out: &mut Vec<String>) {
    match y {
        Yaml::Hash(h) => {
            for (k, v) in h {
                match (k.as_str(), v) {
                    (Some("run"), Yaml::String(cmd)) => out.push(cmd.clone()),
                    (Some("script" | "before_script"), Yaml::Array(lines)) => {
                        out.extend(lines.iter().map(|l| l.as_str().expect("a command").to_string()))
                    }
                    _ => commands(v, out),
                }
            }
        }
        Yaml::Array(items) => items.iter().for_each(|i| commands(i, out)),
        _ => {}
    }
}

/// The GitHub workflow's steps, job by job.
fn steps(workflow: &Yaml) -> Vec<(String, Vec<Yaml>)> {
    let jobs = workflow["jobs"].as_hash().expect("jobs");
    jobs.iter()
        .map(|(name, job)| (name.as_str().unwrap().to_string(), job["steps"].as_vec().unwrap().clone()))
        .collect()
}

/// The CI files of the site at `root` are valid YAML; each installs alimap
/// at this version, from `repository`'s tag, before it runs alimap; no
/// command installs a crate by its bare name; actions are pinned by
/// commit, and checkouts leave no token behind.
fn check_ci_installs(root: &Path, repository: &str) {
    let version = env!("CARGO_PKG_VERSION");
    let expected = format!("cargo install --locked --git {repository} --tag v{version}");
    let github = yaml(&root.join(".github/workflows/alimap.yml"));
    let gitlab = yaml(&root.join(".gitlab-ci.yml"));
    for (name, y) in [("GitHub", &github), ("GitLab", &gitlab)] {
        let mut all = Vec::new();
        commands(y, &mut all);
        let installs: Vec<&String> = all.iter().filter(|c| c.contains("cargo install")).collect();
        assert!(!installs.is_empty(), "{name}: no install step in {all:?}");
        for c in &installs {
            assert!(c.contains(&expected) && c.trim_end().ends_with(" alimap"), "{name}: {c}");
            // `cargo install alimap` or `cargo install --locked alimap`: a
            // registry's crate, whoever owns the name.
            let words: Vec<&str> = c.split_whitespace().collect();
            let at = words.iter().position(|w| *w == "install").unwrap();
            assert!(words[at..].contains(&"--git"), "{name}: installs by a bare name: {c}");
        }
        assert!(!all.iter().any(|c| c.contains("cargo install alimap")), "{name}: {all:?}");
    }
    for (job, steps) in steps(&github) {
        let run = |s: &Yaml| s["run"].as_str().map(str::to_string).unwrap_or_default();
        let install = steps.iter().position(|s| run(s).contains("cargo install"));
        let first_use = steps.iter().position(|s| run(s).starts_with("alimap "));
        assert!(install.is_some() && install < first_use, "{job}: alimap installed before it runs");
        let installing = &steps[install.unwrap()];
        assert!(installing["name"].as_str().unwrap().contains(version), "{job}");
        for s in &steps {
            if let Some(action) = s["uses"].as_str() {
                let (_, pin) = action.split_once('@').unwrap();
                assert!(pin.len() == 40 && pin.bytes().all(|b| b.is_ascii_hexdigit()), "{job}: {action} unpinned");
                if action.starts_with("actions/checkout@") {
                    assert_eq!(s["with"]["persist-credentials"].as_bool(), Some(false), "{job}");
                }
            }
        }
    }
}

#[test]
fn init_takes_another_alimap_repository_and_refuses_a_hostile_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let fork = "https://gitlab.exemple.org/reseau/outils/alimap";
    let out = Command::new(env!("CARGO_BIN_EXE_alimap"))
        .arg("init")
        .arg(&root)
        .args(["--depot-alimap", &format!("{fork}/")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    check_ci_installs(&root, fork);
    assert!(!std::fs::read_to_string(root.join(".gitlab-ci.yml")).unwrap().contains("github.com"));

    for hostile in [
        "javascript:alert(1)",
        "https://jeton@github.com/alimap/alimap",
        "https://github.com/alimap/alimap?ref=x",
        "https://github.com/alimap/alimap\"; curl x | sh; \"",
        "https://github.com/alimap/alimap --tag v9",
    ] {
        let root = dir.path().join("refuse");
        let out = Command::new(env!("CARGO_BIN_EXE_alimap"))
            .arg("init")
            .arg(&root)
            .args(["--depot-alimap", hostile])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{hostile}");
        assert!(stderr(&out).contains("adresse du dépôt d’alimap refusée"), "{hostile}: {}", stderr(&out));
        assert!(!root.exists(), "{hostile}: nothing written");
    }
}
