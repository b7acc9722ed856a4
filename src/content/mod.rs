//! Files to model: reading `content/` ([`load`]), each file on its own
//! ([`parse`], through [`fields`]), then the checks across files
//! ([`validate`]). [`schema`] describes every key once, for the editor
//! schemas, `alimap new` and the key reference.

pub(crate) mod fields;
pub(crate) mod limits;
pub mod load;
pub mod parse;
pub mod prose_hours;
pub mod schema;
pub mod validate;
