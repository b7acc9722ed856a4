//! Offline use and privacy: the manifest and the service worker are
//! written and can be turned off; the worker's cache version follows the
//! build; every page carries the privacy policies and loads nothing from
//! elsewhere.

use std::path::Path;

use alimap::build::{Options, build};
use serde_json::Value;
use walkdir::WalkDir;

use crate::support::{build_site, fixture, repo, today};

/// The minimal fixture copied into a temporary folder with `extra` added at
/// the top of its site.toml.
fn minimal_with(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = fixture("build/minimal");
    for entry in WalkDir::new(&from) {
        let entry = entry.unwrap();
        let to = dir.path().join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    let site = dir.path().join("content/site.toml");
    let text = std::fs::read_to_string(&site).unwrap();
    std::fs::write(&site, format!("{extra}\n{text}")).unwrap();
    dir
}

/// Relative paths of every file under `dir` with the extension `ext`.
fn files_with(dir: &Path, ext: &str) -> Vec<String> {
    let mut out: Vec<String> = WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == ext))
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    out.sort();
    out
}

/// The JSON array assigned to `const GARDES` in sw.js.
fn kept_files(sw: &str) -> Vec<String> {
    let line = sw.lines().find(|l| l.starts_with("const GARDES = ")).expect("GARDES in sw.js");
    serde_json::from_str(line.trim_start_matches("const GARDES = ").trim_end_matches(';')).unwrap()
}

fn version(sw: &str) -> String {
    sw.lines().find(|l| l.starts_with("const VERSION = ")).expect("VERSION in sw.js").to_string()
}

#[test]
fn the_site_is_installable_and_keeps_its_pages_for_offline_use() {
    let built = build_site(&fixture("build/minimal"));
    assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
    let out = built.out();

    let manifest: Value = serde_json::from_str(&built.read("manifest.webmanifest")).unwrap();
    assert_eq!(manifest["name"], "Annuaire de test");
    assert_eq!(manifest["lang"], "fr");
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["start_url"], "./index.html", "relative, so the site works under any path");
    // The manifest's colour is the theme's accent colour.
    let style = built.read("assets/style.css");
    let colour = manifest["theme_color"].as_str().unwrap();
    assert!(style.contains(&format!("--accent: {colour};")), "{colour}");
    let icons = manifest["icons"].as_array().unwrap();
    for size in ["192x192", "512x512"] {
        assert!(icons.iter().any(|i| i["sizes"] == size && i["type"] == "image/png"), "{size}");
    }
    for icon in icons {
        let file = out.join(icon["src"].as_str().unwrap());
        let bytes = std::fs::read(&file).unwrap();
        assert!(bytes.len() < 8 * 1024, "{}: keep icons small", file.display());
    }

    // The worker sits at the root so that its scope covers every page, and
    // keeps from installation the home page, the search page, the offline
    // page and the search index; every file it lists exists.
    let sw = built.read("sw.js");
    let kept = kept_files(&sw);
    for needed in ["index.html", "recherche.html", "hors-ligne.html", "assets/recherche.js", "assets/style.css"] {
        assert!(kept.iter().any(|k| k == needed), "{needed} in {kept:?}");
    }
    for k in &kept {
        assert!(out.join(k).is_file(), "sw.js keeps {k}, which is not in the output");
    }
    // Tiles and other sites are never cached: the worker only answers for
    // its own scope.
    assert!(sw.contains("if (requete.method !== 'GET' || !duSite(requete.url)) return;"));

    // Every page offers it: the manifest, and the registration script next
    // to the page's other files.
    for page in files_with(&out, "html") {
        let html = built.read(&page);
        let root = if page.contains('/') { "../" } else { "" };
        if page == "404.html" || page == "hors-ligne.html" {
            // Served at any depth: links from the base URL's path.
            assert!(html.contains("href=\"/annuaire/manifest.webmanifest\""), "{page}");
            continue;
        }
        assert!(html.contains(&format!("<link rel=\"manifest\" href=\"{root}manifest.webmanifest\">")), "{page}");
        assert!(html.contains(&format!("<script src=\"{root}assets/hors-ligne.js\" defer")), "{page}");
    }
    // A territory page asks to keep its printable guide along.
    assert!(built.read("territoires/ville-test.html").contains("data-garder=\"../guide/ville-test.html"));
    // The offline page says what the visitor can still read.
    let offline = crate::support::visible_text(&built.read("hors-ligne.html"));
    assert!(offline.contains("Cette page n’est pas disponible hors ligne"), "{offline}");
}

#[test]
fn hors_ligne_false_leaves_out_the_worker_the_manifest_and_the_script() {
    let site = minimal_with("hors_ligne = false");
    let built = build_site(site.path());
    assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
    let out = built.out();
    for gone in ["sw.js", "manifest.webmanifest", "assets/hors-ligne.js", "hors-ligne.html"] {
        assert!(!out.join(gone).exists(), "{gone} must not be written");
    }
    for page in files_with(&out, "html") {
        let html = built.read(&page);
        assert!(!html.contains("manifest.webmanifest") && !html.contains("hors-ligne.js"), "{page}");
    }
    // The rest of the site is unchanged.
    assert!(out.join("index.html").is_file() && out.join("assets/style.css").is_file());
}

#[test]
fn hors_ligne_must_be_a_boolean() {
    let site = minimal_with("hors_ligne = \"non\"");
    let built = build_site(site.path());
    let text = built.diagnostics();
    assert!(text.contains("`hors_ligne` doit valoir true ou false, sans guillemets"), "{text}");
    assert!(text.contains("hors_ligne = false"), "{text}");
}

#[test]
fn the_cache_version_is_reproducible_and_follows_the_content() {
    let a = build_site(&fixture("build/minimal"));
    let b = build_site(&fixture("build/minimal"));
    assert_eq!(a.read("sw.js"), b.read("sw.js"), "same input, same worker");

    // Built a day later, the pages change (their date), so does the version:
    // visitors' browsers replace their old cache.
    let dir = tempfile::tempdir().unwrap();
    let later = today().succ_opt().unwrap();
    build(&Options { root: fixture("build/minimal"), output: Some(dir.path().join("output")), today: later }).unwrap();
    let c = std::fs::read_to_string(dir.path().join("output/sw.js")).unwrap();
    assert_ne!(version(&a.read("sw.js")), version(&c));
}

#[test]
fn every_page_carries_the_privacy_policies_and_loads_nothing_from_elsewhere() {
    let built = build_site(&repo());
    assert!(built.report.summary.is_some(), "{}", built.diagnostics());
    let out = built.out();
    let pages = files_with(&out, "html");
    assert!(pages.len() > 100, "the sample site has many pages: {}", pages.len());
    for page in &pages {
        let html = built.read(page);
        let head = &html[..html.find("</head>").unwrap_or_else(|| panic!("{page}: no head"))];
        assert!(
            head.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self';"),
            "{page}: CSP"
        );
        assert!(head.contains("<meta name=\"referrer\" content=\"no-referrer\">"), "{page}: referrer policy");
        // No script, style sheet, font or frame from another site.
        for tag in ["<script", "<link", "<iframe", "<img"] {
            for at in html.match_indices(tag).map(|(i, _)| i) {
                let element = &html[at..at + html[at..].find('>').unwrap()];
                // `hreflang` alternates name the other languages' pages by
                // their full address, for search engines; browsers load
                // nothing from them.
                if element.contains("rel=\"alternate\" hreflang=") {
                    continue;
                }
                let external =
                    ["src=\"http", "src=\"//", "href=\"http", "href=\"//"].iter().any(|p| element.contains(p));
                // Links to other sites are fine (<a>); <link> only for
                // the page's own files.
                assert!(!external, "{page}: {element}");
            }
        }
        assert!(!html.contains("@import"), "{page}");
    }
    // Scripts and styles neither set nor read cookies nor fetch fonts or
    // code from elsewhere. The vendored map libraries are checked too.
    let mut code = files_with(&out, "js");
    code.extend(files_with(&out, "css"));
    for file in &code {
        let text = built.read(file);
        assert!(!text.contains("document.cookie"), "{file}: cookies");
        assert!(!text.contains("@import"), "{file}: @import");
        assert!(!text.contains("url(http") && !text.contains("url(\"http") && !text.contains("url('http"), "{file}");
    }
    for own in ["assets/hors-ligne.js", "assets/recherche.js", "assets/carte.js", "sw.js"] {
        let text = built.read(own);
        for call in ["localStorage", "sessionStorage", "sendBeacon", "XMLHttpRequest", "eval("] {
            assert!(!text.contains(call), "{own}: {call}");
        }
    }
}

#[test]
fn a_territory_page_keeps_offline_the_popup_texts_of_every_point_on_its_map() {
    // Without them, a marker never opened before the connection was lost
    // would say « Fiche indisponible ».
    let built = build_site(&repo());
    for (page, folder) in [("territoires/saint-denis.html", ""), ("en/territoires/saint-denis.html", "en/")] {
        let html = built.read(page);
        let start = html.find("data-garder=\"").expect("data-garder") + "data-garder=\"".len();
        let kept: Vec<&str> = html[start..start + html[start..].find('"').unwrap()].split_whitespace().collect();
        let blocks: Vec<String> = kept
            .iter()
            .filter(|p| p.contains("/fiches/"))
            .map(|p| {
                let file = built.out().join(Path::new(page).parent().unwrap()).join(p);
                assert!(p.contains(&format!("assets/carte/{folder}fiches/")), "{p} is in the page's language");
                std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{p} exists: {e}"))
            })
            .collect();
        // Every point of the territory has its popup text in a kept block.
        let points: Vec<&str> =
            html.split("href=\"../lieux/").skip(1).map(|s| &s[..s.find(".html").unwrap()]).collect();
        assert!(points.len() > 5, "{page} lists its points");
        for id in points {
            assert!(blocks.iter().any(|b| b.contains(&format!("\"{id}\""))), "{page}: popup text of {id} kept");
        }
    }
}
