//! alimap turns a territory's food-aid directory, kept as TOML and Markdown
//! files, into a static website.
//!
//! # Code map
//!
//! The pipeline runs in one direction (see [`build::build`]):
//!
//! - [`load`]: reads `content/` and `themes/` into memory. The only module
//!   that reads content from disk.
//! - [`parse`]: each file on its own into a [`model`] item, with [`fields`]
//!   reporting every problem with its span.
//! - [`validate`]: checks across files and assembles the [`model::Site`].
//! - [`render`]: view structs and templates ([`theme`], [`markdown`]) into
//!   output files, each handed over as soon as it is made.
//! - [`output`]: the only module that writes to the output folder, file by
//!   file into a staging folder swapped in once complete.
//! - [`serve`]: `alimap serve`, the live preview: runs the pipeline again on
//!   every change and serves what `output` wrote.
//!
//! Beside them: [`diagnostic`] (what volunteers read), [`hours`] (opening
//! hours), [`geo`] (perimeters), [`map`] (static SVG maps, map data,
//! GeoJSON), [`vocab`] (controlled vocabularies), [`text`] (formats and
//! folding), [`schema`] (the keys of every kind of file, source of the
//! editor JSON Schemas), [`scaffold`] (`alimap new` and `alimap init`),
//! [`search`] (the search index and the per-commune pages), [`i18n`] (the
//! languages of the interface, from the theme's translation files), [`coverage`]
//! and [`export`] (coordination figures, open data), [`offline`] (the web
//! app manifest and the service worker), [`allocator`] (the settings of
//! the command's allocator).

pub mod allocator;
pub mod build;
pub mod coverage;
pub mod diagnostic;
pub mod export;
pub mod fields;
pub mod geo;
pub mod hours;
pub mod i18n;
pub mod load;
pub mod map;
pub mod markdown;
pub mod model;
pub mod offline;
pub mod output;
pub mod parse;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod text;
pub mod theme;
pub mod validate;
pub mod vocab;
