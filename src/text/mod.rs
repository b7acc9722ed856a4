//! Text leaves: the interface's languages ([`i18n`]), the one escaping
//! policy ([`html`]), Markdown ([`markdown`]) and the formats of values
//! ([`format`]).

pub mod format;
pub mod html;
pub mod i18n;
pub mod markdown;
