//! Reading the keys of one TOML table, with a French diagnostic for every
//! problem.
//!
//! Serde would stop at the first error and speak English; a volunteer needs
//! every problem in the file at once, in French, with the line. So each kind
//! of file is read key by key through [`Fields`], which remembers the keys
//! asked for: any other key in the table is reported as unknown, with the
//! closest known key as a suggestion. The list of keys therefore cannot drift
//! from the code that reads them.
//!
//! Every text is read through [`Fields::clean`], the one place where
//! characters no directory text needs are taken out (see
//! [`invisible`]), with a warning, before anything is made of it: no page,
//! map, open data file or search index downstream ever sees them.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use crate::diagnostic::Diagnostic;
use crate::model::vocab::Vocabulary;
use crate::text::format::{closest, quoted, type_name};
use crate::text::html::dropped;

/// Keys whose text may run over several lines (Markdown, descriptions):
/// tabs and line breaks stay in them, and become spaces elsewhere.
fn multi_line(key: &str) -> bool {
    matches!(key, "description" | "presentation" | "mentions_legales" | "conditions_acces" | "motif")
        || key.ends_with("_precisions")
}

/// A text without its [`invisible`] characters.
pub(crate) struct Cleaned {
    pub text: String,
    /// The characters of [`dropped`] removed, each once, in order.
    removed: Vec<char>,
    /// Whether line breaks or tabs became spaces (a one-line text).
    breaks: bool,
}

impl Cleaned {
    /// What was removed, for a diagnostic: « un caractère invisible
    /// (U+0000) : il a été retiré ».
    pub(crate) fn removed(&self) -> Option<String> {
        let codes: Vec<String> = self.removed.iter().map(|c| format!("U+{:04X}", *c as u32)).collect();
        match codes.len() {
            0 => None,
            1 => Some(format!("un caractère invisible ({}) : il a été retiré", codes[0])),
            _ => Some(format!("des caractères invisibles ({}) : ils ont été retirés", codes.join(", "))),
        }
    }
}

/// The help of a warning about invisible characters removed.
pub(crate) const INVISIBLE_HELP: &str = "ces caractères de contrôle ne s’affichent pas et peuvent abîmer les pages, \
     les cartes et les données publiées ; supprimez-les du fichier (un éditeur de texte qui montre les caractères \
     invisibles aide à les trouver)";

/// `s` without its [`invisible`] characters, line breaks and tabs of a
/// one-line text becoming one space; `None` when it has none.
pub(crate) fn without_invisible(s: &str, one_line: bool) -> Option<Cleaned> {
    if !s.contains(|c| invisible(c, one_line)) {
        return None;
    }
    let mut cleaned = Cleaned { text: String::with_capacity(s.len()), removed: Vec::new(), breaks: false };
    for c in s.chars() {
        if !invisible(c, one_line) {
            cleaned.text.push(c);
        } else if dropped(c) {
            if !cleaned.removed.contains(&c) {
                cleaned.removed.push(c);
            }
        } else {
            cleaned.breaks = true;
            if !cleaned.text.ends_with(' ') {
                cleaned.text.push(' ');
            }
        }
    }
    Some(cleaned)
}

/// Characters taken out of every text as it is read: those of
/// [`dropped`] (control characters, bidirectional overrides and isolates,
/// noncharacters), and, in a one-line text, tabs and line breaks (see
/// [`multi_line`]), which become spaces.
fn invisible(c: char, one_line: bool) -> bool {
    dropped(c) || (one_line && matches!(c, '\t' | '\n' | '\r'))
}

/// A value with the byte span it was written at.
pub(crate) type At<T> = (T, Range<usize>);

pub(crate) struct Fields<'t, 'i> {
    file: &'t Path,
    table: &'t DeTable<'i>,
    /// Where to point when a required key is missing.
    anchor: Range<usize>,
    /// `coordination.` for a nested table, empty at the top.
    prefix: String,
    asked: Vec<&'static str>,
    /// The table's keys that were asked for and are present, by address:
    /// `finish` reports the others without comparing key names.
    found: Vec<&'t Spanned<DeString<'i>>>,
    pub diags: Vec<Diagnostic>,
    pub spans: BTreeMap<&'static str, Range<usize>>,
}

impl<'t, 'i> Fields<'t, 'i> {
    pub(crate) fn new(file: &'t Path, table: &'t DeTable<'i>, anchor: Range<usize>) -> Self {
        Fields {
            file,
            table,
            anchor,
            prefix: String::new(),
            asked: Vec::new(),
            found: Vec::new(),
            diags: Vec::new(),
            spans: BTreeMap::new(),
        }
    }

    /// Where to point when a required key is missing.
    pub(crate) fn anchor(&self) -> Range<usize> {
        self.anchor.clone()
    }

    pub(crate) fn file(&self) -> &'t Path {
        self.file
    }

    fn name(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    pub(crate) fn error(&mut self, span: Range<usize>, message: impl Into<String>, help: Option<String>) {
        let mut d = Diagnostic::error(self.file, Some(span), message);
        d.help = help;
        self.diags.push(d);
    }

    /// The raw value of a key, remembering that the key is known.
    pub(crate) fn raw(&mut self, key: &'static str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.asked.push(key);
        let (k, v) = self.table.get_key_value(key)?;
        self.found.push(k);
        self.spans.insert(key, v.span());
        Some(v)
    }

    /// The text `s` of `key`, written at `span`, without its [`invisible`]
    /// characters, with a warning saying which ones were removed. A text
    /// that has none (nearly all) is not copied.
    pub(crate) fn clean<'s>(&mut self, key: &str, s: &'s str, span: Range<usize>) -> std::borrow::Cow<'s, str> {
        let Some(cleaned) = without_invisible(s, !multi_line(key)) else { return s.into() };
        let name = self.name(key);
        if let Some(removed) = cleaned.removed() {
            let message = format!("`{name}` contient {removed}");
            self.diags.push(Diagnostic::warning(self.file, Some(span.clone()), message).with_help(INVISIBLE_HELP));
        }
        if cleaned.breaks {
            let message =
                format!("`{name}` tient sur une ligne : ses sauts de ligne et tabulations deviennent des espaces");
            let help = "écrivez le texte sur une seule ligne";
            self.diags.push(Diagnostic::warning(self.file, Some(span), message).with_help(help));
        }
        cleaned.text.into()
    }

    /// Whether the table has the key, asked for or not.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    /// Reports a required key as missing, with the caller's help.
    pub(crate) fn missing_with(&mut self, key: &'static str, help: String) {
        let name = self.name(key);
        let anchor = self.anchor.clone();
        self.error(anchor, format!("la clé obligatoire `{name}` manque"), Some(help));
    }

    fn missing(&mut self, key: &'static str, example: &str) {
        let name = self.name(key);
        let anchor = self.anchor.clone();
        let help = format!("ajoutez une ligne `{key} = {example}`");
        self.error(anchor, format!("la clé obligatoire `{name}` manque"), Some(help));
    }

    fn wrong_type(&mut self, key: &'static str, v: &Spanned<DeValue<'_>>, expected: &str, example: &str) {
        let name = self.name(key);
        let msg = format!("`{name}` doit être {expected}, pas {}", type_name(v.get_ref()));
        self.error(v.span(), msg, Some(format!("par exemple : `{key} = {example}`")));
    }

    /// Optional text; an empty or blank text counts as absent.
    pub(crate) fn text(&mut self, key: &'static str) -> Option<At<String>> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::String(s) => {
                let s = self.clean(key, s, v.span());
                let t = s.trim();
                (!t.is_empty()).then(|| (t.to_string(), v.span()))
            }
            other => {
                // A number or date where text is expected is nearly always a
                // value missing its quotes: show it quoted.
                let example = match other {
                    DeValue::Integer(i) => format!("\"{}\"", i.as_str()),
                    DeValue::Float(x) => format!("\"{}\"", x.as_str()),
                    DeValue::Datetime(d) => format!("\"{d}\""),
                    DeValue::Boolean(b) => format!("\"{b}\""),
                    _ => "\"…\"".to_string(),
                };
                self.wrong_type(key, v, "du texte entre guillemets", &example);
                None
            }
        }
    }

    pub(crate) fn text_req(&mut self, key: &'static str, example: &str) -> Option<At<String>> {
        let r = self.text(key);
        if r.is_some() {
            return r;
        }
        // The table is looked at again only when something is wrong.
        match self.table.get(key) {
            Some(v) if matches!(v.get_ref(), DeValue::String(_)) => {
                let name = self.name(key);
                self.error(
                    v.span(),
                    format!("`{name}` ne doit pas être vide"),
                    Some(format!("par exemple : `{key} = {example}`")),
                );
            }
            // A wrong type, reported by `text`.
            Some(_) => {}
            None => self.missing(key, example),
        }
        r
    }

    /// A number, integer or decimal.
    pub(crate) fn number(&mut self, key: &'static str, required: bool, example: &str) -> Option<At<f64>> {
        let Some(v) = self.raw(key) else {
            if required {
                self.missing(key, example);
            }
            return None;
        };
        let n = match v.get_ref() {
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            DeValue::Integer(i) if i.radix() == 10 => i.as_str().replace('_', "").parse::<f64>().ok(),
            DeValue::String(s) if s.trim().replace(',', ".").parse::<f64>().is_ok() => {
                let name = self.name(key);
                let fixed = s.trim().replace(',', ".");
                self.error(
                    v.span(),
                    format!("`{name}` doit être un nombre, sans guillemets"),
                    Some(format!("écrivez `{key} = {fixed}`")),
                );
                return None;
            }
            _ => None,
        };
        match n {
            Some(n) if n.is_finite() => Some((n, v.span())),
            _ => {
                self.wrong_type(key, v, "un nombre", example);
                None
            }
        }
    }

    pub(crate) fn integer(&mut self, key: &'static str, example: &str) -> Option<At<i64>> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
                Ok(n) => Some((n, v.span())),
                Err(_) => {
                    self.wrong_type(key, v, "un nombre entier raisonnable", example);
                    None
                }
            },
            _ => {
                self.wrong_type(key, v, "un nombre entier", example);
                None
            }
        }
    }

    pub(crate) fn boolean(&mut self, key: &'static str) -> Option<At<bool>> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some((*b, v.span())),
            DeValue::String(s) if matches!(s.trim().to_lowercase().as_str(), "oui" | "non" | "true" | "false") => {
                let b = matches!(s.trim().to_lowercase().as_str(), "oui" | "true");
                let name = self.name(key);
                self.error(
                    v.span(),
                    format!("`{name}` doit valoir true ou false, sans guillemets"),
                    Some(format!("écrivez `{key} = {b}`")),
                );
                None
            }
            _ => {
                self.wrong_type(key, v, "true ou false", "true");
                None
            }
        }
    }

    /// A calendar date: a TOML date (`2026-10-01`) or the same text in quotes.
    pub(crate) fn date(&mut self, key: &'static str, required: bool) -> Option<At<NaiveDate>> {
        let Some(v) = self.raw(key) else {
            if required {
                self.missing(key, "2026-10-01");
            }
            return None;
        };
        let text = match v.get_ref() {
            DeValue::Datetime(d) if d.date.is_some() && d.time.is_none() => {
                // The usual case, without formatting the date to parse it
                // back; an impossible date takes the path below, which says
                // so with the text.
                let ymd = d.date.and_then(|x| NaiveDate::from_ymd_opt(x.year.into(), x.month.into(), x.day.into()));
                if let Some(date) = ymd {
                    return Some((date, v.span()));
                }
                d.to_string()
            }
            DeValue::String(s) => s.trim().to_string(),
            _ => {
                self.wrong_type(key, v, "une date", "2026-10-01");
                return None;
            }
        };
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(d) => Some((d, v.span())),
            Err(_) => {
                let name = self.name(key);
                let help = french_date(&text)
                    .map(|d| format!("écrivez `{key} = {}`", d.format("%Y-%m-%d")))
                    .unwrap_or_else(|| "une date s’écrit année-mois-jour, par exemple `2026-10-01`".into());
                self.error(v.span(), format!("`{name}` n’est pas une date valide : « {text} »"), Some(help));
                None
            }
        }
    }

    /// A list of texts; a single text is accepted as a list of one.
    pub(crate) fn text_list(&mut self, key: &'static str) -> Vec<At<String>> {
        let Some(v) = self.raw(key) else { return Vec::new() };
        match v.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(s) => {
                            let s = self.clean(key, s, item.span());
                            if !s.trim().is_empty() {
                                out.push((s.trim().to_string(), item.span()));
                            }
                        }
                        other => {
                            let name = self.name(key);
                            let msg =
                                format!("les éléments de `{name}` doivent être du texte, pas {}", type_name(other));
                            self.error(item.span(), msg, Some(format!("par exemple : `{key} = [\"…\", \"…\"]`")));
                        }
                    }
                }
                out
            }
            DeValue::String(s) => {
                let s = self.clean(key, s, v.span());
                if s.trim().is_empty() { Vec::new() } else { vec![(s.trim().to_string(), v.span())] }
            }
            _ => {
                self.wrong_type(key, v, "une liste de textes", "[\"…\", \"…\"]");
                Vec::new()
            }
        }
    }

    fn vocab_value<T: Vocabulary>(&mut self, key: &'static str, (value, span): At<String>) -> Option<T> {
        if let Some(t) = T::parse(&value) {
            return Some(t);
        }
        let name = self.name(key);
        let values = T::values();
        let help = match closest(&value, &values) {
            Some(c) => format!("vouliez-vous écrire `{c}` ? Valeurs possibles : {}", quoted(&values)),
            None => format!("valeurs possibles : {}", quoted(&values)),
        };
        self.error(span, format!("valeur inconnue « {value} » pour `{name}` ({})", T::WHAT), Some(help));
        None
    }

    pub(crate) fn vocab<T: Vocabulary>(&mut self, key: &'static str, required: bool) -> Option<T> {
        let t = self.text(key);
        match t {
            Some(t) => self.vocab_value(key, t),
            None => {
                if required && !self.table.contains_key(key) {
                    let example = format!("\"{}\"", T::ALL[0].value());
                    self.missing(key, &example);
                }
                None
            }
        }
    }

    /// A list of vocabulary values, without repeats.
    pub(crate) fn vocab_list<T: Vocabulary + PartialEq>(&mut self, key: &'static str, required: bool) -> Vec<T> {
        let items = self.text_list(key);
        if required && items.is_empty() {
            let example = format!("[\"{}\"]", T::ALL[0].value());
            if self.table.contains_key(key) {
                let span = self.spans.get(key).cloned().unwrap_or(self.anchor.clone());
                let name = self.name(key);
                let help = format!("valeurs possibles : {}", quoted(&T::values()));
                self.error(span, format!("`{name}` doit contenir au moins une valeur"), Some(help));
            } else {
                self.missing(key, &example);
            }
        }
        let mut out = Vec::new();
        for item in items {
            if let Some(t) = self.vocab_value::<T>(key, item)
                && !out.contains(&t)
            {
                out.push(t);
            }
        }
        out
    }

    /// A nested table (`[coordination]`).
    pub(crate) fn table(&mut self, key: &'static str) -> Option<Fields<'t, 'i>> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::Table(t) => {
                let mut f = Fields::new(self.file, t, v.span());
                f.prefix = format!("{}{key}.", self.prefix);
                Some(f)
            }
            _ => {
                let name = self.name(key);
                let msg = format!("`{name}` doit être une table, pas {}", type_name(v.get_ref()));
                self.error(v.span(), msg, Some(format!("écrivez une section `[{key}]` suivie de ses clés")));
                None
            }
        }
    }

    /// An array of tables (`[[fermetures]]`).
    pub(crate) fn tables(&mut self, key: &'static str) -> Vec<Fields<'t, 'i>> {
        let Some(v) = self.raw(key) else { return Vec::new() };
        let DeValue::Array(items) = v.get_ref() else {
            let name = self.name(key);
            let msg = format!("`{name}` doit être une liste de tables, pas {}", type_name(v.get_ref()));
            self.error(v.span(), msg, Some(format!("écrivez une section `[[{key}]]` par élément")));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::Table(t) => {
                    let mut f = Fields::new(self.file, t, item.span());
                    f.prefix = format!("{}{key}[{}].", self.prefix, i + 1);
                    out.push(f);
                }
                other => {
                    let name = self.name(key);
                    let msg = format!("les éléments de `{name}` doivent être des tables, pas {}", type_name(other));
                    self.error(item.span(), msg, Some(format!("écrivez une section `[[{key}]]` par élément")));
                }
            }
        }
        out
    }

    /// A table whose keys are names chosen by the writer, each holding a
    /// table (`[traductions.en]`): the names with their spans, and a reader
    /// for each table.
    pub(crate) fn named_tables(&mut self, key: &'static str) -> Vec<(At<String>, Fields<'t, 'i>)> {
        let Some(v) = self.raw(key) else { return Vec::new() };
        let DeValue::Table(table) = v.get_ref() else {
            let name = self.name(key);
            let msg = format!("`{name}` doit être une table, pas {}", type_name(v.get_ref()));
            self.error(v.span(), msg, Some(format!("écrivez une section `[{key}.…]` suivie de ses clés")));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, item) in table.iter() {
            match item.get_ref() {
                DeValue::Table(t) => {
                    let mut f = Fields::new(self.file, t, item.span());
                    f.prefix = format!("{}{key}.{}.", self.prefix, name.get_ref());
                    out.push(((name.get_ref().to_string(), name.span()), f));
                }
                other => {
                    let full = format!("{}.{}", self.name(key), name.get_ref());
                    let msg = format!("`{full}` doit être une table, pas {}", type_name(other));
                    self.error(
                        item.span(),
                        msg,
                        Some(format!("écrivez une section `[{key}.{}]` suivie de ses clés", name.get_ref())),
                    );
                }
            }
        }
        out
    }

    /// Takes the diagnostics of a nested table.
    pub(crate) fn absorb(&mut self, nested: Fields<'_, '_>) {
        self.diags.extend(nested.finish());
    }

    /// Reports keys that were never asked for, and returns every diagnostic.
    pub(crate) fn finish(mut self) -> Vec<Diagnostic> {
        let mut unknown = Vec::new();
        for (k, _) in self.table.iter() {
            if !self.found.iter().any(|f| std::ptr::eq(*f, k)) {
                unknown.push((k.get_ref().to_string(), k.span()));
            }
        }
        for (key, span) in unknown {
            let name = self.name(&key);
            let help = match closest(&key, &self.asked) {
                Some(c) => format!("vouliez-vous écrire `{c}` ?"),
                None => format!("clés possibles ici : {}", quoted(&self.asked)),
            };
            self.error(span, format!("clé inconnue `{name}`"), Some(help));
        }
        self.diags
    }
}

/// Reads "01/10/2026" or "1/10/2026", the way dates are written in France.
fn french_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%d/%m/%Y").ok()
}
