//! What is derived from the model once per build, in no language: the
//! coordination figures ([`coverage`]), the URL scheme ([`urls`]) and the
//! links to the site's repository ([`forge`]).

pub mod coverage;
pub(crate) mod forge;
pub(crate) mod index;
pub mod urls;
