//! Page views: what each kind of page shows, as plain structs that the
//! templates (and `render`'s direct writer) read.

pub(crate) mod carte;
pub(crate) mod coord;
pub(crate) mod gerer;
pub(crate) mod recherche;
pub(crate) mod view;
pub mod wording;
