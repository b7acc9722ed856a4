//! Whole-site files: open data ([`export`]), the search index ([`search`]),
//! map data and SVG maps ([`map`]), the offline files ([`offline`]), and the
//! form editor `admin/` ([`editeur`]).

pub mod editeur;
pub mod export;
pub(crate) mod kept;
pub(crate) mod map;
pub(crate) mod offline;
pub mod search;
pub(crate) mod sitemap;
