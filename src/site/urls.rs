//! The site's URL scheme, in one place: where each file of the output
//! folder goes.
//!
//! Page links are relative to the page that holds them, so that the site
//! works under any sub-path and opened from disk: each function takes the
//! prefix `at` to put in front, `""` for a path from the root of a
//! language's pages, `"../"` from a page one folder down, or the site's URL
//! for an absolute link (the sitemap, the open data).

/// The home page, and the index page of each folder.
pub const ACCUEIL: &str = "index.html";
pub const STRUCTURES: &str = "structures/index.html";
pub const BESOINS: &str = "besoins/index.html";
pub const RECHERCHE: &str = "recherche.html";
/// Served by hosts for any missing path, at any depth.
pub const INTROUVABLE: &str = "404.html";
/// Shown by the service worker in place of a page never visited.
pub const HORS_LIGNE: &str = "hors-ligne.html";

/// The open data folder, at the site root, shared by every language, and
/// its page (in the site language's pages only).
pub const DONNEES: &str = "donnees";
pub const DONNEES_INDEX: &str = "donnees/index.html";
/// The export files in [`DONNEES`].
pub const CSV: &str = "lieux.csv";
pub const GEOJSON: &str = "lieux.geojson";
pub const STRUCTURES_JSON: &str = "structures.json";
pub const SERVICES_JSON: &str = "services.json";

pub fn lieu(at: &str, id: &str) -> String {
    format!("{at}lieux/{id}.html")
}

pub fn structure(at: &str, id: &str) -> String {
    format!("{at}structures/{id}.html")
}

pub fn territoire(at: &str, id: &str) -> String {
    format!("{at}territoires/{id}.html")
}

pub fn commune(at: &str, slug: &str) -> String {
    format!("{at}communes/{slug}.html")
}

pub fn coordination(at: &str, id: &str) -> String {
    format!("{at}coordination/{id}.html")
}

pub fn guide(at: &str, id: &str) -> String {
    format!("{at}guide/{id}.html")
}

/// Page `n` (from 1) of a list cut into pages: the first keeps the path,
/// the others get `--<n>` before `.html`. Ids and slugs never hold two
/// dashes in a row, so no page takes another's name.
pub fn nth(path: String, n: usize) -> String {
    match (n, path.strip_suffix(".html")) {
        (2.., Some(stem)) => format!("{stem}--{n}.html"),
        _ => path,
    }
}

/// One commune's part of the guide of a territory too large for one.
pub fn guide_partie(at: &str, territoire: &str, commune_slug: &str) -> String {
    // A dot cannot be in an id or a slug, so no two parts share a name.
    format!("{at}guide/{territoire}.{commune_slug}.html")
}

/// A page of `content/pages/`, or one the build writes itself
/// ([`crate::model::MENTIONS`], [`crate::model::ACCESSIBILITE`]).
pub fn page(at: &str, id: &str) -> String {
    format!("{at}pages/{id}.html")
}

/// A territory's points as GeoJSON, in the open data folder.
pub fn territoire_geojson(id: &str) -> String {
    format!("{DONNEES}/territoires/{id}.geojson")
}

/// A territory's perimeter as GeoJSON, in the open data folder.
pub fn perimetre_geojson(id: &str) -> String {
    format!("{DONNEES}/territoires/{id}-perimetre.geojson")
}

/// A territory's standalone static map, in a language's folder (`lang`:
/// `""` or `"en/"`).
pub fn carte_svg(lang: &str, id: &str) -> String {
    format!("{lang}territoires/{id}-carte.svg")
}

/// The interactive map's data: every point, for the home page's map.
pub fn carte_tout(lang: &str) -> String {
    format!("assets/carte/{lang}tout.js")
}

/// The interactive map's data: one territory's points and perimeter.
pub fn carte_territoire(lang: &str, id: &str) -> String {
    format!("assets/carte/{lang}territoires/{id}.js")
}

/// Points per block of popup texts, `assets/carte/fiches/<n>.js`, in the
/// numbering of the search index ([`crate::site::index::Index::ordered`]): the map
/// data holds positions and kinds of help only, and names, hours and
/// conditions load when a marker shows or opens.
pub const FICHES: usize = 32;

/// The folder of the blocks of popup texts, from the site root.
pub fn carte_fiches(lang: &str) -> String {
    format!("assets/carte/{lang}fiches/")
}
