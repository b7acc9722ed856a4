//! alimap turns a territory's food-aid directory, kept as TOML and Markdown
//! files, into a static website. See ARCHITECTURE.md for the code map and
//! the layer rule that `tests/it/tidy.rs` enforces.

pub mod allocator;
pub mod build;
pub mod content;
pub mod diagnostic;
pub mod files;
pub mod import;
pub mod model;
pub mod output;
pub mod pages;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod text;
pub mod theme;
