//! Text leaves: the interface's languages ([`i18n`]), the one escaping
//! policy ([`html`]), Markdown ([`markdown`]) and the formats of values
//! ([`format`]), and the table of French communes ([`communes`]).

pub(crate) mod communes;
pub(crate) mod format;
pub(crate) mod html;
pub mod i18n;
pub(crate) mod markdown;
pub(crate) mod sha256;
