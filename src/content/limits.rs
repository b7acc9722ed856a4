//! The size of texts: every string of a TOML file, and a page's Markdown,
//! against the limits the README states. A name is copied into dozens of
//! files and a description is rendered on several pages in every
//! language: a limit here bounds the site's size and its build time.
//! Markdown texts are also checked for what would make rendering slow
//! (nesting, table columns: [`markdown::excess`]).

use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};

use crate::diagnostic::Diagnostic;
use crate::text::markdown::{self, Excess, MAX_COLUMNS, MAX_DEPTH};

/// Longest Markdown text of a key (a description, a presentation), in
/// characters.
pub(crate) const MAX_MARKDOWN: usize = 20_000;
/// Longest Markdown text of a page (`pages/*.md`), in characters.
pub(crate) const MAX_PAGE: usize = 100_000;
/// Longest text of a key written in a few sentences (conditions,
/// opening hours, a closure's reason), in characters.
pub(crate) const MAX_TEXT: usize = 1_000;
/// Longest web address, in characters.
pub(crate) const MAX_URL: usize = 2_000;
/// Longest name, address or other one-line value, in characters.
pub(crate) const MAX_LINE: usize = 200;

/// Keys whose text is Markdown.
const MARKDOWN: &[&str] =
    &["description", "presentation", "benevoles_precisions", "dons_precisions", "mentions_legales"];
/// Keys whose text is a few sentences.
const SENTENCES: &[&str] = &[
    "conditions_acces",
    "frais_precisions",
    "publics_precisions",
    "motif",
    "horaires_accueil",
    "justificatifs",
    "attribution",
    "licence_donnees",
];
/// Keys whose text is a web address.
const URLS: &[&str] = &["site_web", "url", "tuiles"];

/// Checks every string of a TOML file (in nested tables and lists too)
/// against the limit of its key; `source` is the text the spans point
/// into.
pub(crate) fn check_table(path: &Path, source: &str, table: &DeTable<'_>, diags: &mut Vec<Diagnostic>) {
    for (key, value) in table {
        check_value(path, source, key.get_ref(), value.get_ref(), value.span(), diags);
    }
}

fn check_value(
    path: &Path,
    source: &str,
    key: &str,
    value: &DeValue<'_>,
    span: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) {
    match value {
        DeValue::String(s) => check_text(path, source, key, s, span, diags),
        DeValue::Array(items) => {
            for item in items {
                check_value(path, source, key, item.get_ref(), item.span(), diags);
            }
        }
        DeValue::Table(t) => check_table(path, source, t, diags),
        _ => {}
    }
}

fn check_text(path: &Path, source: &str, key: &str, text: &str, span: Range<usize>, diags: &mut Vec<Diagnostic>) {
    let (max, what) = if MARKDOWN.contains(&key) {
        (MAX_MARKDOWN, "un texte en Markdown")
    } else if SENTENCES.contains(&key) {
        (MAX_TEXT, "ce texte")
    } else if URLS.contains(&key) {
        (MAX_URL, "une adresse web")
    } else {
        (MAX_LINE, "une valeur d’une ligne (nom, adresse…)")
    };
    if let Some(d) = too_long(path, &span, key, text, max, what) {
        diags.push(d);
        return;
    }
    if MARKDOWN.contains(&key)
        && let Some(e) = markdown::excess(text)
    {
        let at = place(source, &span, text, offset(e));
        diags.push(excess(path, at, key, e));
    }
}

/// Checks a page's Markdown, written from `start` in the file.
pub(crate) fn check_page(path: &Path, start: usize, text: &str, diags: &mut Vec<Diagnostic>) {
    let span = start..start + text.len();
    if let Some(d) = too_long(path, &span, "le texte de la page", text, MAX_PAGE, "une page") {
        diags.push(d);
    } else if let Some(e) = markdown::excess(text) {
        let at = start + offset(e);
        diags.push(excess(path, at..at + 1, "le texte de la page", e));
    }
}

fn too_long(path: &Path, span: &Range<usize>, key: &str, text: &str, max: usize, what: &str) -> Option<Diagnostic> {
    // Bytes first: most texts are far below the limit.
    if text.len() <= max {
        return None;
    }
    let chars = text.chars().count();
    if chars <= max {
        return None;
    }
    let name = if key.contains(' ') { key.to_string() } else { format!("`{key}`") };
    let start = span.start..span.start + 1;
    Some(
        Diagnostic::error(
            path,
            Some(start),
            format!(
                "{name} est trop long : {} caractères, pour {} au plus dans {what}",
                thousands(chars),
                thousands(max)
            ),
        )
        .with_help("raccourcissez ce texte ; les limites sont listées dans le README, section « Limites »"),
    )
}

fn offset(e: Excess) -> usize {
    match e {
        Excess::Nesting { at } | Excess::HtmlNesting { at } | Excess::Columns { at, .. } => at,
    }
}

fn excess(path: &Path, at: Range<usize>, key: &str, e: Excess) -> Diagnostic {
    let name = if key.contains(' ') { key.to_string() } else { format!("`{key}`") };
    let (message, help) = match e {
        Excess::Nesting { .. } => (
            format!("{name} imbrique plus de {MAX_DEPTH} citations (`>`) ou listes les unes dans les autres"),
            format!(
                "gardez au plus {MAX_DEPTH} niveaux de citations et de listes ; un texte lisible en demande rarement plus de trois"
            ),
        ),
        Excess::HtmlNesting { .. } => (
            format!("{name} imbrique plus de {MAX_DEPTH} éléments HTML les uns dans les autres"),
            format!(
                "refermez chaque balise ouverte (`<div>` … `</div>`) et gardez au plus {MAX_DEPTH} niveaux ; le Markdown seul suffit le plus souvent"
            ),
        ),
        Excess::Columns { columns, .. } => (
            format!("{name} contient un tableau de {} colonnes, pour {MAX_COLUMNS} au plus", thousands(columns)),
            "découpez le tableau en plusieurs tableaux plus étroits, ou écrivez-le en liste".to_string(),
        ),
    };
    Diagnostic::error(path, Some(at), message).with_help(help)
}

/// The place in the file of byte `offset` of a string value, when the
/// string is written as it reads (no escapes); else its start.
fn place(source: &str, span: &Range<usize>, value: &str, offset: usize) -> Range<usize> {
    let raw = source.get(span.clone()).unwrap_or("");
    let body = ["\"\"\"", "'''", "\"", "'"].iter().find_map(|q| raw.strip_prefix(q));
    let at = body.and_then(|b| {
        // A newline right after `"""` or `'''` is not part of the text.
        let b2 = b.strip_prefix("\r\n").or_else(|| b.strip_prefix('\n')).unwrap_or(b);
        b2.starts_with(value).then(|| span.start + (raw.len() - b2.len()) + offset)
    });
    match at {
        Some(at) => at..at + value[offset.min(value.len())..].chars().next().map_or(1, char::len_utf8),
        None => span.start..span.start + 1,
    }
}

/// `20000` as `20 000`, as French writes numbers (a narrow no-break space).
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202F}');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diags(toml: &str) -> Vec<Diagnostic> {
        let table = DeTable::parse(toml).unwrap().into_inner();
        let mut d = Vec::new();
        check_table(Path::new("x.toml"), toml, &table, &mut d);
        d
    }

    #[test]
    fn each_kind_of_key_has_its_limit() {
        assert!(diags(&format!("nom = \"{}\"", "a".repeat(MAX_LINE))).is_empty());
        let d = diags(&format!("nom = \"{}\"", "é".repeat(MAX_LINE + 1)));
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`nom` est trop long : 201 caractères, pour 200 au plus"), "{}", d[0].message);
        assert_eq!(d[0].span, Some(6..7));
        assert!(diags(&format!("conditions_acces = \"{}\"", "a".repeat(MAX_TEXT))).is_empty());
        assert_eq!(diags(&format!("conditions_acces = \"{}\"", "a".repeat(MAX_TEXT + 1))).len(), 1);
        assert!(diags(&format!("description = \"{}\"", "a".repeat(MAX_MARKDOWN))).is_empty());
        assert_eq!(diags(&format!("[x]\ndescription = \"{}\"", "a".repeat(MAX_MARKDOWN + 1))).len(), 1);
        assert_eq!(diags(&format!("justificatifs = [\"a\", \"{}\"]", "a".repeat(MAX_TEXT + 1))).len(), 1);
        assert_eq!(thousands(1_234_567), "1\u{202F}234\u{202F}567");
    }

    #[test]
    fn markdown_faults_point_into_the_text() {
        let toml = format!("nom = \"x\"\ndescription = \"\"\"\nTexte\n{}\"\"\"", ">".repeat(MAX_DEPTH + 1));
        let d = diags(&toml);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("citations"), "{}", d[0].message);
        let at = toml.find(">>").unwrap() + MAX_DEPTH;
        assert_eq!(d[0].span, Some(at..at + 1));
        // Escapes in the string: the start of the value.
        let toml = format!("description = \"\\u0041{}\"", "<div>".repeat(MAX_DEPTH + 1));
        let d = diags(&toml);
        assert!(d[0].message.contains("HTML"), "{}", d[0].message);
        assert_eq!(d[0].span, Some(14..15));
    }
}
