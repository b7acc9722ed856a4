//! Offline use: the web app manifest and the service worker.
//!
//! `manifest.webmanifest` lets a phone put the site on its home screen.
//! `sw.js` sits at the site root so that its scope covers every page; the
//! theme's `assets/hors-ligne.js` registers it (never on `file://`, where
//! service workers do not run). The worker's code is the theme file
//! `hors-ligne/sw.js`; this module puts in front of it the cache version
//! and the list of files kept from installation on.
//!
//! The cache version is a hash of every other output file (of each file's
//! path, length and XXH3, in path order: the pages are written and dropped
//! as they are rendered, in no fixed order), so that a new build with any
//! change replaces the visitor's cache, and the same build gives the same
//! `sw.js` byte for byte (XXH3, a fixed algorithm: the standard library's
//! hasher may change between Rust versions).
//!
//! `site.toml` may turn all of this off with `hors_ligne = false`.

use crate::model::Site;
use crate::output::{Digest, OutputFile};
use crate::site::urls;
use crate::text::html::without_dropped;
use crate::theme::Theme;

/// The theme file holding the service worker's code.
pub(crate) const WORKER_SOURCE: &str = "hors-ligne/sw.js";

/// The theme's static script that registers the worker and shows the
/// offline banner; left out when offline use is off.
pub(crate) const REGISTRATION_SCRIPT: &str = "hors-ligne.js";

/// The theme colour of the default theme (`--accent` in style.css), for
/// the manifest; base.html carries the same value in `theme-color`.
const THEME_COLOUR: &str = "#0b5394";

/// Past this total, the search index is not all kept at installation: only
/// its metadata and places are, the rest as the visitor searches.
const SEARCH_INDEX_BUDGET: usize = 128 * 1024;

/// Files kept whenever they exist, besides the home and search pages.
const ALWAYS_KEPT: &[&str] = &[
    urls::ACCUEIL,
    urls::RECHERCHE,
    urls::HORS_LIGNE,
    "manifest.webmanifest",
    "assets/style.css",
    "assets/hors-ligne.js",
    "assets/recherche.js",
    "assets/carte.js",
    "assets/icone.svg",
];

/// The manifest and the service worker, made from the digests of the other
/// output files (`files`, sorted by path). Nothing when offline use is off.
pub(crate) fn files(site: &Site, theme: &Theme, files: &[Digest]) -> Vec<OutputFile> {
    if !site.config.hors_ligne {
        return Vec::new();
    }
    let manifest = manifest(site);
    let worker_code = theme.files.get(WORKER_SOURCE).map(Vec::as_slice).unwrap_or_default();

    // XXH3: a fixed, published hash (the same on every machine and
    // version), over each file's own XXH3, made when the file was.
    let mut hash = xxhash_rust::xxh3::Xxh3Default::new();
    for f in files.iter().chain(std::iter::once(&Digest::of(&manifest))) {
        hash.update(f.path.as_bytes());
        hash.update(&(f.len as u64).to_le_bytes());
        hash.update(&f.hash.to_le_bytes());
    }
    hash.update(worker_code);

    let exists = |p: &str| p == manifest.path || files.binary_search_by(|f| f.path.as_str().cmp(p)).is_ok();
    let mut kept: Vec<&str> = ALWAYS_KEPT.iter().copied().filter(|p| exists(p)).collect();
    // Each language's offline page, which the worker serves for a page of
    // that language never visited.
    let offline_pages: Vec<String> =
        site.config.langues.iter().map(|code| format!("{code}/{}", urls::HORS_LIGNE)).filter(|p| exists(p)).collect();
    kept.extend(offline_pages.iter().map(String::as_str));
    let index: Vec<&Digest> = files.iter().filter(|f| f.path.starts_with("recherche/")).collect();
    if index.iter().map(|f| f.len).sum::<usize>() <= SEARCH_INDEX_BUDGET {
        kept.extend(index.iter().map(|f| f.path.as_str()));
    }
    kept.sort_unstable();
    kept.dedup();

    let mut sw = format!(
        "// Written by alimap: the cache version (a hash of the built site) and\n\
         // the files kept from installation on. The code below is the theme's\n\
         // {WORKER_SOURCE}.\n\
         const VERSION = {};\nconst GARDES = {};\n\n",
        serde_json::to_string(&format!("{:016x}", hash.digest())).unwrap_or_default(),
        serde_json::to_string(&kept).unwrap_or_default(),
    )
    .into_bytes();
    sw.extend_from_slice(worker_code);
    vec![manifest, OutputFile { path: "sw.js".into(), bytes: sw }]
}

/// The web app manifest. URLs are relative to the manifest itself, so the
/// site works under any sub-path. The browser shows its names when the site
/// is installed: they leave out what every page leaves out
/// (`text::html::dropped`).
fn manifest(site: &Site) -> OutputFile {
    let c = &site.config;
    let (titre, description) = (without_dropped(&c.titre), without_dropped(&c.description));
    let short_name: &str = if titre.chars().count() <= 12 { &titre } else { "Aide alimentaire" };
    let value = serde_json::json!({
        "name": titre,
        "short_name": short_name,
        "description": description,
        "lang": c.langue,
        "dir": "ltr",
        "start_url": "./index.html",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            { "src": "assets/icone.svg", "sizes": "any", "type": "image/svg+xml" },
            { "src": "assets/icone-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any maskable" },
            { "src": "assets/icone-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any maskable" },
        ],
    });
    let mut bytes = serde_json::to_vec_pretty(&value).unwrap_or_default();
    bytes.push(b'\n');
    OutputFile { path: "manifest.webmanifest".into(), bytes }
}
