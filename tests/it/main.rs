//! One integration-test binary (as mdBook does): each module covers one
//! feature, on fixture sites under `tests/fixtures/<feature>/<case>/` and on
//! the sample site in `content/`.

mod a11y;
mod accueil;
mod browser;
mod build;
mod chemins;
mod contacts;
mod coord;
mod diagnostics;
mod editeur;
mod forge;
mod horaires;
mod hostile;
mod import;
mod import_datainclusion;
mod import_formats;
mod invisible;
mod langues;
mod limits;
mod maps;
mod native;
mod offline;
mod output;
mod scaffold;
mod search;
mod serve;
mod support;
mod tidy;
