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
//!   a list of output files.
//! - [`output`]: the only module that writes to the output folder.
//! - [`serve`]: `alimap serve`, the live preview: runs the pipeline again on
//!   every change and serves what `output` wrote.
//!
//! Beside them: [`diagnostic`] (what volunteers read), [`hours`] (opening
//! hours), [`geo`] (perimeters), [`vocab`] (controlled vocabularies),
//! [`text`] (formats and folding).

pub mod build;
pub mod diagnostic;
pub mod fields;
pub mod geo;
pub mod hours;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod parse;
pub mod render;
pub mod serve;
pub mod text;
pub mod theme;
pub mod validate;
pub mod vocab;
