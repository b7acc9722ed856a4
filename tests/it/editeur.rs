//! The form editor `admin/`: written only when `site.toml` asks for it, its
//! Decap CMS configuration made from the key descriptions (so the form and
//! `check` cannot drift apart), and what `check` says when the forge's
//! sign-in is missing. The form itself is driven in a browser by
//! tests/browser/editeur.test.mjs.

use alimap::content::schema::{FieldSpec, FileKind, Kind, Vocab};
use serde_json::Value;

use crate::support::{build_site, fixture, repo, scratch_copy};

fn config(built: &crate::support::Built) -> Value {
    // JSON, which YAML 1.2 (Decap's reader) reads as it is.
    serde_json::from_str(&built.read("admin/config.yml")).expect("config.yml is JSON")
}

fn options(v: &Vocab) -> Vec<(String, String)> {
    (v.entries)().into_iter().map(|(value, label)| (value.to_string(), label.to_string())).collect()
}

fn options_of(field: &Value) -> Vec<(String, String)> {
    field["options"]
        .as_array()
        .unwrap_or_else(|| panic!("options in {field}"))
        .iter()
        .map(|o| (o["value"].as_str().unwrap().to_string(), o["label"].as_str().unwrap().to_string()))
        .collect()
}

/// Checks the form's `fields` against the key descriptions, key by key:
/// same keys in the same order, the widget each kind of value needs,
/// required flags, vocabularies, hints.
fn same_fields(at: &str, specs: &[FieldSpec], fields: &Value, languages: &[&str]) {
    let fields = fields.as_array().unwrap_or_else(|| panic!("{at}: fields"));
    let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
    let keys: Vec<&str> = specs
        .iter()
        .filter(|s| !matches!(s.kind, Kind::ByLanguage(_)) || !languages.is_empty())
        .map(|s| s.key)
        .collect();
    assert_eq!(names, keys, "{at}: the form's fields are the described keys");
    for (spec, field) in specs.iter().zip(fields) {
        let at = format!("{at}.{}", spec.key);
        assert_eq!(field["required"], Value::Bool(spec.required), "{at}: required");
        assert_eq!(field["hint"], spec.description_fr, "{at}: hint");
        let widget = field["widget"].as_str().unwrap();
        match spec.kind {
            Kind::Text if at == "lieu.structure" => {
                assert_eq!((widget, field["collection"].as_str()), ("relation", Some("structure")), "{at}");
                assert_eq!(field["value_field"], "{{slug}}", "{at}: the structure's file name");
            }
            Kind::Text if spec.checks.markdown => assert_eq!(widget, "markdown", "{at}"),
            Kind::Text => {
                assert_eq!(widget, "string", "{at}");
                if let Some(p) = spec.checks.pattern {
                    assert_eq!(field["pattern"][0], p, "{at}: pattern");
                }
            }
            Kind::Number | Kind::Integer => {
                assert_eq!(widget, "number", "{at}");
                let int = matches!(spec.kind, Kind::Integer);
                assert_eq!(field["value_type"], if int { "int" } else { "float" }, "{at}");
                assert_eq!(field["min"].as_f64(), spec.checks.min, "{at}: min");
                assert_eq!(field["max"].as_f64(), spec.checks.max, "{at}: max");
            }
            Kind::Bool => assert_eq!(widget, "boolean", "{at}"),
            Kind::Date => {
                assert_eq!(widget, "datetime", "{at}");
                assert_eq!(field["format"], "YYYY-MM-DD", "{at}: saved as a date");
                assert_eq!(field["time_format"], false, "{at}: no time");
            }
            Kind::TextList => {
                assert_eq!(widget, "list", "{at}");
                assert!(field.get("fields").is_none() && field.get("field").is_none(), "{at}: a list of texts");
            }
            Kind::Value(v) => {
                assert_eq!(widget, "select", "{at}");
                assert_ne!(field["multiple"], true, "{at}: one value");
                assert_eq!(options_of(field), options(&v), "{at}: the vocabulary");
            }
            Kind::Values(v) => {
                assert_eq!((widget, &field["multiple"]), ("select", &Value::Bool(true)), "{at}");
                assert_eq!(options_of(field), options(&v), "{at}: the vocabulary");
            }
            Kind::Table(nested) => {
                assert_eq!(widget, "object", "{at}");
                same_fields(&at, nested, &field["fields"], languages);
            }
            Kind::Tables(nested) => {
                assert_eq!(widget, "list", "{at}");
                same_fields(&at, nested, &field["fields"], languages);
            }
            Kind::ByLanguage(nested) => {
                assert_eq!(widget, "object", "{at}");
                let per_language = field["fields"].as_array().unwrap();
                let codes: Vec<&str> = per_language.iter().map(|f| f["name"].as_str().unwrap()).collect();
                assert_eq!(codes, languages, "{at}: one section per published language");
                for f in per_language {
                    assert_eq!((f["widget"].as_str(), &f["required"]), (Some("object"), &Value::Bool(false)));
                    same_fields(&format!("{at}.{}", f["name"]), nested, &f["fields"], languages);
                }
            }
        }
    }
}

#[test]
fn the_editor_configuration_asks_for_every_described_key_with_its_widget() {
    let built = build_site(&fixture("editeur/actif"));
    assert!(built.report.summary.is_some(), "{}", built.diagnostics());
    let config = config(&built);
    let collections = config["collections"].as_array().unwrap();
    let names: Vec<&str> = collections.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["lieu", "structure", "territoire"]);
    for kind in [FileKind::Lieu, FileKind::Structure, FileKind::Territoire] {
        let c = collections.iter().find(|c| c["name"] == kind.name()).unwrap();
        assert_eq!(c["folder"], format!("content/{}", kind.dir().unwrap()), "{}", kind.name());
        assert_eq!((c["format"].as_str(), c["extension"].as_str()), (Some("toml"), Some("toml")));
        assert_eq!(c["slug"], "{{nom}}", "a new file is named after the slug of its name");
        // The fixture publishes French and English: English translations.
        same_fields(kind.name(), &kind.fields(), &c["fields"], &["en"]);
    }
    let lieu = collections.iter().find(|c| c["name"] == "lieu").unwrap();
    assert_eq!(lieu["path"], "{{commune}}/{{slug}}", "points in a folder per commune");
    // Changes become pull requests; volunteers without write access fork.
    assert_eq!(config["publish_mode"], "editorial_workflow");
    let backend = &config["backend"];
    assert_eq!(backend["name"], "github");
    assert_eq!(backend["repo"], "association-test/annuaire");
    assert_eq!(backend["branch"], "main");
    assert_eq!(backend["base_url"], "https://connexion.exemple.org");
    assert_eq!(backend["open_authoring"], true);
}

#[test]
fn only_a_site_with_the_editor_on_gets_admin_and_the_editor_bundle() {
    let on = build_site(&fixture("editeur/actif"));
    let page = on.read("admin/index.html");
    assert!(page.contains("<script src=\"../assets/vendor/decap-cms/decap-cms.js\"></script>"), "{page}");
    assert!(!page.contains("http"), "admin/ loads nothing from elsewhere:\n{page}");
    assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"), "{page}");
    let bundle = std::fs::metadata(on.out().join("assets/vendor/decap-cms/decap-cms.js")).unwrap();
    assert!(bundle.len() > 1_000_000, "the vendored bundle is copied");

    let off = build_site(&repo());
    assert!(off.report.summary.is_some(), "{}", off.diagnostics());
    assert!(!off.out().join("admin").exists());
    assert!(!off.out().join("assets/vendor/decap-cms").exists(), "5 MB kept out of sites without the editor");
    assert!(off.out().join("assets/vendor/leaflet/leaflet.js").exists());
}

fn with_site_toml(edit: impl Fn(&str) -> String) -> (tempfile::TempDir, crate::support::Built) {
    let dir = scratch_copy("editeur/actif");
    let path = dir.path().join("content/site.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(&text)).unwrap();
    let built = build_site(dir.path());
    (dir, built)
}

#[test]
fn a_gitlab_repository_signs_in_with_pkce_and_needs_no_server() {
    let (_dir, built) = with_site_toml(|t| {
        t.replace("https://github.com/association-test/annuaire", "https://framagit.org/association-test/annuaire/")
            .replace("serveur_oauth = \"https://connexion.exemple.org\"", "id_application = \"abc123\"")
    });
    assert!(built.report.summary.is_some(), "{}", built.diagnostics());
    let backend = config(&built)["backend"].clone();
    assert_eq!(backend["name"], "gitlab");
    assert_eq!(backend["repo"], "association-test/annuaire");
    assert_eq!(backend["auth_type"], "pkce");
    assert_eq!(backend["app_id"], "abc123");
    assert_eq!(backend["base_url"], "https://framagit.org");
    assert_eq!(backend["api_root"], "https://framagit.org/api/v4");
}

#[test]
fn an_editor_without_its_repository_or_sign_in_is_refused_with_what_to_write() {
    let cases = [
        (
            "sans dépôt",
            Box::new(|t: &str| {
                t.replace(
                    "[depot]\nadresse = \"https://github.com/association-test/annuaire\"\nbranche = \"main\"\n",
                    "",
                )
            }) as Box<dyn Fn(&str) -> String>,
            "la section `[depot]` manque",
        ),
        (
            "GitHub sans serveur",
            Box::new(|t: &str| t.replace("serveur_oauth = \"https://connexion.exemple.org\"\n", "")),
            "`serveur_oauth` manque",
        ),
        (
            "GitLab sans application",
            Box::new(|t: &str| t.replace("https://github.com/", "https://gitlab.com/")),
            "`id_application` manque",
        ),
        (
            "adresse de dépôt",
            Box::new(|t: &str| t.replace("https://github.com/association-test/annuaire", "github.com/annuaire")),
            "adresse de dépôt refusée « github.com/annuaire »",
        ),
    ];
    for (case, edit, expected) in cases {
        let (_dir, built) = with_site_toml(edit);
        assert!(built.report.summary.is_none(), "{case}: nothing is built");
        let text = built.diagnostics();
        assert!(text.contains(expected), "{case}:\n{text}");
        assert!(text.contains("--> content/site.toml:"), "{case}: names the file and line:\n{text}");
        assert_eq!(text.matches("erreur :").count(), 1, "{case}: one error:\n{text}");
    }
    // Turned off, nothing is asked for and nothing written.
    let (_dir, built) = with_site_toml(|t| t.replace("actif = true", "actif = false"));
    assert!(built.report.summary.is_some(), "{}", built.diagnostics());
    assert!(!built.out().join("admin").exists());
}

#[test]
fn a_site_in_a_subfolder_of_its_repository_edits_the_files_under_that_folder() {
    let (_dir, built) =
        with_site_toml(|t| t.replace("branche = \"main\"", "branche = \"main\"\ndossier = \"annuaire/site\""));
    assert!(built.report.summary.is_some(), "{}", built.diagnostics());
    let c = config(&built);
    assert_eq!(c["media_folder"], "annuaire/site/content/medias");
    let folders: Vec<&str> =
        c["collections"].as_array().unwrap().iter().map(|c| c["folder"].as_str().unwrap()).collect();
    assert_eq!(folders.len(), 3);
    for folder in folders {
        assert!(folder.starts_with("annuaire/site/content/"), "{folder}");
    }
}
