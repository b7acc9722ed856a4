//! The theme's templates, compiled with Tera once per language, and the
//! diagnostics of a template that does not compile or render.

use std::error::Error as _;

use tera::Tera;

use super::editions;
use crate::diagnostic::Diagnostic;
use crate::text::html::escape_html;
use crate::text::i18n;
use crate::theme::Theme;

/// The theme's templates for one language: texts without variables are
/// written into the templates' source (see [`i18n::inline`]), the others
/// come from the functions `t` and `ta` at rendering.
pub(super) fn templates(
    theme: &Theme,
    functions: &(i18n::TemplateText, i18n::TemplateText),
    plain: bool,
    unused: &[&str],
) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::default();
    let mut list = Vec::new();
    let mut diags = Vec::new();
    for (name, bytes) in theme.templates().filter(|(name, _)| !unused.contains(name)) {
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                let text = if plain { editions::specialise(text) } else { std::borrow::Cow::Borrowed(text) };
                list.push((name.to_string(), i18n::inline(&text, functions).into_owned()))
            }
            Err(_) => diags.push(Diagnostic::error(
                theme.origin(&format!("templates/{name}")),
                None,
                "ce gabarit n’est pas encodé en UTF-8",
            )),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.register_filter("escape", Escape);
    let (t, ta) = functions.clone();
    tera.register_function("t", t);
    tera.register_function("ta", ta);
    if let Err(e) = tera.add_raw_templates(list) {
        return Err(vec![template_error(theme, "", &e)]);
    }
    Ok(tera)
}

/// The `escape` filter: [`escape_html`], and its result is not escaped
/// again. Tera escapes nothing while it evaluates a function's or a
/// filter's arguments, and that includes the body of a macro given as one
/// (`t(k="…", nom_html=m::contenu(texte=…))`): the macros meant for `*_html`
/// arguments escape their values with it. Tera's own `escape` would escape
/// text once more in a page, and differently.
struct Escape;

impl tera::Filter for Escape {
    fn filter(
        &self,
        value: &tera::Value,
        _: &std::collections::HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        Ok(tera::Value::String(match value {
            tera::Value::String(s) => escape_html(s),
            other => escape_html(&other.to_string()),
        }))
    }
    fn is_safe(&self) -> bool {
        true
    }
}

/// Tera nests the useful part of an error in its sources; print the chain.
pub(super) fn template_error(theme: &Theme, template: &str, e: &tera::Error) -> Diagnostic {
    let mut chain = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        chain.push(s.to_string());
        source = s.source();
    }
    let file = if template.is_empty() { "themes".to_string() } else { theme.origin(&format!("templates/{template}")) };
    Diagnostic::error(file, None, format!("erreur de gabarit : {}", chain.join(" ; cause : ")))
        .with_help("corrigez le gabarit du thème ; supprimez-le pour revenir à celui du thème par défaut")
}
