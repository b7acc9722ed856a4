//! Page views: what each kind of page shows, as plain structs that the
//! templates (and `render`'s direct writer) read.

pub mod carte;
pub mod coord;
pub mod recherche;
pub mod view;
pub mod wording;
