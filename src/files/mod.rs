//! Whole-site files: open data ([`export`]), the search index ([`search`]),
//! map data and SVG maps ([`map`]), and the offline files ([`offline`]).

pub mod export;
pub mod kept;
pub mod map;
pub mod offline;
pub mod search;
pub mod sitemap;
