//! The form editor `admin/`, written only when `site.toml` turns it on
//! (`[editeur] actif = true`): Decap CMS (vendored under
//! `static/vendor/decap-cms/`) and its configuration, made from the key
//! descriptions of `content::schema`, the same ones the JSON Schemas come
//! from, so that the form asks exactly for what `check` accepts.
//!
//! One folder collection per kind of file (points in their subfolders,
//! structures, territories), saved as TOML under the slug of their name;
//! vocabularies as selects, dates as date pickers, Markdown texts in the
//! Markdown editor, required keys required, each key's description as its
//! hint. Changes go through the editorial workflow (a pull or merge request
//! per change, checked by CI; on GitHub, open authoring lets volunteers
//! without write access propose from a fork).
//!
//! `config.yml` is written as JSON, which YAML 1.2 reads as it is.

use std::path::Path;

use serde_json::{Value, json};

use crate::content::schema::{FieldSpec, FileKind, Kind, Vocab};
use crate::model::{Depot, Editeur, Site};
use crate::output::OutputFile;
use crate::site::forge::file_path;
use crate::text::html::escape_html;
use crate::text::i18n::Tr;

/// Where the vendored bundle sits in the output, and the theme's folder of
/// it, which the output holds only when the editor is on.
pub const BUNDLE: &str = "assets/vendor/decap-cms/decap-cms.js";
pub const VENDOR_FOLDER: &str = "vendor/decap-cms/";

/// The kinds of files the editor edits, with the key of their name in the
/// language files. `site.toml` is left to git: a mistake there stops the
/// whole site, and it holds the editor's own settings.
pub const KINDS: [FileKind; 3] = [FileKind::Lieu, FileKind::Structure, FileKind::Territoire];

/// `admin/index.html` and `admin/config.yml`, or nothing when the editor
/// is off. `tr` gives the words, in the site's language.
pub fn files(site: &Site, tr: &Tr<'_>) -> Vec<OutputFile> {
    let (Some(editeur), Some(depot)) = (&site.config.editeur, &site.config.depot) else { return Vec::new() };
    let config = config(site, depot, editeur, tr);
    let mut text = serde_json::to_string_pretty(&config).expect("a configuration serialises");
    text.push('\n');
    vec![
        OutputFile { path: "admin/config.yml".into(), bytes: text.into_bytes() },
        OutputFile { path: "admin/index.html".into(), bytes: page(site, tr).into_bytes() },
    ]
}

/// The page that loads the editor: the vendored bundle only, nothing from
/// elsewhere; search engines are asked to leave it out.
fn page(site: &Site, tr: &Tr<'_>) -> String {
    let lang = escape_html(&site.config.langue);
    let title = escape_html(&format!("{} — {}", tr.text("editeur.titre"), site.config.titre));
    let noscript = escape_html(tr.text("editeur.sans_javascript"));
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n<title>{title}</title>\n</head>\n<body>\n\
         <noscript><p>{noscript}</p></noscript>\n<script src=\"../{BUNDLE}\"></script>\n</body>\n</html>\n"
    )
}

/// Decap CMS's configuration.
pub fn config(site: &Site, depot: &Depot, editeur: &Editeur, tr: &Tr<'_>) -> Value {
    let languages: Vec<&str> =
        site.config.langues.iter().map(String::as_str).filter(|l| *l != site.config.langue).collect();
    let collections: Vec<Value> = KINDS.iter().map(|&k| collection(k, depot, &languages, tr)).collect();
    json!({
        "backend": backend(depot, editeur),
        // Every change is a pull (merge) request that CI checks.
        "publish_mode": "editorial_workflow",
        // On `localhost` only, Decap first asks a local proxy
        // (`npx decap-server`, run in the site's folder) and edits the files
        // on disk: trying the editor without a forge.
        "local_backend": true,
        "locale": site.config.langue,
        "site_url": site.config.url,
        "display_url": site.config.url,
        // Decap requires one; no field uploads files.
        "media_folder": file_path(Some(depot), Path::new("content/medias")),
        // Ids are `[a-z0-9-]`: accents dropped, anything else a dash.
        "slug": { "encoding": "ascii", "clean_accents": true, "sanitize_replacement": "-" },
        "collections": collections,
    })
}

fn backend(depot: &Depot, editeur: &Editeur) -> Value {
    let (host, path) = depot.host_and_path();
    if depot.is_github() {
        json!({
            "name": "github",
            "repo": path,
            "branch": depot.branche,
            "base_url": editeur.serveur_oauth,
            "open_authoring": true,
        })
    } else {
        json!({
            "name": "gitlab",
            "repo": path,
            "branch": depot.branche,
            "auth_type": "pkce",
            "app_id": editeur.id_application,
            "base_url": format!("https://{host}"),
            "api_root": format!("https://{host}/api/v4"),
        })
    }
}

/// Where a kind's files are, and how a new one is named.
fn collection(kind: FileKind, depot: &Depot, languages: &[&str], tr: &Tr<'_>) -> Value {
    let name = kind.name();
    // Paths from the repository's root: the site may be in a subfolder.
    let dir = kind.dir().expect("a kind of file with a folder");
    let folder = file_path(Some(depot), &Path::new("content").join(dir));
    let mut c = json!({
        "name": name,
        "label": tr.text(&format!("editeur.{}", kind.dir().unwrap_or(name))),
        "label_singular": tr.text(&format!("editeur.{name}")),
        "folder": folder,
        "format": "toml",
        "extension": "toml",
        "identifier_field": "nom",
        "slug": "{{nom}}",
        "summary": if kind == FileKind::Lieu { "{{nom}} — {{commune}}" } else { "{{nom}}" },
        // A territory needs its perimeter's GeoJSON beside it, which the
        // form cannot make: new territories come through git.
        "create": kind != FileKind::Territoire,
        "editor": { "preview": false },
        "fields": fields(&kind.fields(), languages),
    });
    if kind == FileKind::Lieu {
        // A point's structure is picked among the structures by name; the
        // file keeps its id, the structure file's name.
        let fields = c["fields"].as_array_mut().expect("a list of fields");
        for f in fields.iter_mut().filter(|f| f["name"] == "structure") {
            let object = f.as_object_mut().expect("a field is an object");
            object.remove("pattern");
            object.insert("widget".into(), json!("relation"));
            object.insert("collection".into(), json!(FileKind::Structure.name()));
            object.insert("value_field".into(), json!("{{slug}}"));
            object.insert("search_fields".into(), json!(["nom"]));
            object.insert("display_fields".into(), json!(["nom"]));
        }
        // Points live in a folder per commune: `lieux/saint-denis/<id>.toml`.
        c["path"] = json!("{{commune}}/{{slug}}");
    }
    c
}

/// The form's fields for `specs`, in their order (which is the order keys
/// are written in).
pub fn fields(specs: &[FieldSpec], languages: &[&str]) -> Vec<Value> {
    specs.iter().filter_map(|f| field(f, languages)).collect()
}

fn options(v: &Vocab) -> Vec<Value> {
    (v.entries)().into_iter().map(|(value, label)| json!({ "label": label, "value": value })).collect()
}

/// One key's field; `None` for translations when the site publishes a
/// single language.
fn field(f: &FieldSpec, languages: &[&str]) -> Option<Value> {
    let mut w = match f.kind {
        Kind::Text if f.checks.markdown => json!({ "widget": "markdown" }),
        Kind::Text => json!({ "widget": "string" }),
        Kind::Number => json!({ "widget": "number", "value_type": "float" }),
        Kind::Integer => json!({ "widget": "number", "value_type": "int" }),
        Kind::Bool => json!({ "widget": "boolean" }),
        // Saved as `"2026-10-01"`, a date `check` reads as such.
        Kind::Date => json!({
            "widget": "datetime",
            "format": "YYYY-MM-DD",
            "date_format": "YYYY-MM-DD",
            "time_format": false,
            "picker_utc": true,
        }),
        Kind::TextList => json!({ "widget": "list" }),
        Kind::Value(v) => json!({ "widget": "select", "options": options(&v) }),
        Kind::Values(v) => {
            let mut w = json!({ "widget": "select", "multiple": true, "options": options(&v) });
            if f.required {
                w["min"] = json!(1);
            }
            w
        }
        Kind::Table(nested) => json!({ "widget": "object", "collapsed": true, "fields": fields(nested, languages) }),
        Kind::Tables(nested) => json!({ "widget": "list", "collapsed": true, "fields": fields(nested, languages) }),
        Kind::ByLanguage(nested) => {
            if languages.is_empty() {
                return None;
            }
            let per_language: Vec<Value> = languages
                .iter()
                .map(|code| {
                    json!({
                        "name": code,
                        "label": code,
                        "widget": "object",
                        "required": false,
                        "collapsed": true,
                        "fields": fields(nested, languages),
                    })
                })
                .collect();
            json!({ "widget": "object", "collapsed": true, "fields": per_language })
        }
    };
    w["name"] = json!(f.key);
    w["label"] = json!(f.key);
    w["required"] = json!(f.required);
    w["hint"] = json!(f.description_fr);
    if let Some(p) = f.checks.pattern {
        w["pattern"] = json!([p, format!("{} {}", f.description_fr, example_hint(f))]);
    }
    if let Some(min) = f.checks.min {
        w["min"] = json!(min);
    }
    if let Some(max) = f.checks.max {
        w["max"] = json!(max);
    }
    Some(w)
}

fn example_hint(f: &FieldSpec) -> String {
    format!("Exemple : {}", f.example.trim_matches('"'))
}
