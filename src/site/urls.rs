//! The site's URL scheme: where each file of the output folder goes. Page
//! links are relative to the page that holds them; the paths here are
//! relative to the root of a language's pages or to the site root.

/// The open data folder, at the site root, shared by every language.
pub const DONNEES: &str = "donnees";
/// The export files in [`DONNEES`].
pub const CSV: &str = "lieux.csv";
pub const GEOJSON: &str = "lieux.geojson";
pub const STRUCTURES: &str = "structures.json";
pub const SERVICES: &str = "services.json";
