//! What is derived from the model once per build, in no language: the
//! coordination figures ([`coverage`]).

pub mod coverage;
