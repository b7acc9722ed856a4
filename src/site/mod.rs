//! What is derived from the model once per build, in no language: the
//! coordination figures ([`coverage`]) and the URL scheme ([`urls`]).

pub mod coverage;
pub(crate) mod index;
pub mod urls;
