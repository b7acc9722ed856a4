//! `alimap import`: a territory's existing directory (spreadsheets,
//! data·inclusion, Soliguide) turned into ordinary content files.
//!
//! Each reader turns its source into [`Entry`]s in alimap's own keys; the
//! normalisers and the writer are shared by every reader.

pub mod entry;
pub mod spreadsheet;
pub mod table;
pub mod template;

pub use entry::{Check, Entry};
pub use table::{Row, Table};
