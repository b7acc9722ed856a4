//! One integration-test binary (as mdBook does): each module covers one
//! feature, on fixture sites under `tests/fixtures/<feature>/<case>/` and on
//! the sample site in `content/`.

mod build;
mod diagnostics;
mod output;
mod serve;
mod support;
