//! Diagnostics: what a volunteer reads when a file is wrong.
//!
//! A diagnostic names a file (relative to the site folder), an optional byte
//! span in it, a message in French, and an optional help line saying how to
//! fix it. Rendering follows rustc's layout (`--> file:line:col`, the source
//! line, a caret under the span) because it is the clearest layout we know
//! for pointing at text, and editors and forges recognise `file:line:col`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How serious a diagnostic is. Errors stop the build; warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site folder, with `/` separators.
    pub file: PathBuf,
    /// Byte range in the file's text, when the problem has a place.
    pub span: Option<Range<usize>>,
    pub message: String,
    pub help: Option<String>,
    /// For a warning that can repeat over many files (stale information,
    /// no hours): what they are, said of them together. Such warnings are
    /// shown as one entry listing the files (see [`entries`]).
    pub kind: Option<&'static str>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            span,
            message: message.into(),
            help: None,
            kind: None,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, span, message) }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Marks a warning as one of a kind that may repeat, described
    /// together by `title` (see [`Diagnostic::kind`]).
    pub fn of_kind(mut self, title: &'static str) -> Self {
        self.kind = Some(title);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// From this many warnings of one kind on, they are shown as one entry.
pub const GROUPED_FROM: usize = 3;

/// What the text and GitHub formats show: single diagnostics, and the
/// warnings of a kind repeated over many files gathered into one.
#[derive(Debug)]
pub enum Entry<'d> {
    One(&'d Diagnostic),
    /// Warnings of one kind, in file order, and the title of their kind.
    Group(&'static str, Vec<&'d Diagnostic>),
}

/// The diagnostics as a volunteer reads them: every single diagnostic in
/// file order (errors keep their place), then the groups, after every
/// error, so that 80 stale files do not hide the one error that stops the
/// build. `all` shows every diagnostic on its own (`alimap check --tout`).
pub fn entries(ds: &Diagnostics, all: bool) -> Vec<Entry<'_>> {
    let mut kinds: BTreeMap<&'static str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in ds.0.iter().filter(|d| !all && !d.is_error()) {
        if let Some(kind) = d.kind {
            kinds.entry(kind).or_default().push(d);
        }
    }
    kinds.retain(|_, items| items.len() >= GROUPED_FROM);
    let grouped = |d: &Diagnostic| d.kind.is_some_and(|k| kinds.contains_key(k)) && !d.is_error();
    let mut out: Vec<Entry<'_>> = ds.0.iter().filter(|d| !grouped(d)).map(Entry::One).collect();
    // Groups in the order of their first file.
    let mut groups: Vec<(&'static str, Vec<&Diagnostic>)> = kinds.into_iter().collect();
    groups.sort_by(|a, b| a.1[0].file.cmp(&b.1[0].file).then(a.0.cmp(b.0)));
    out.extend(groups.into_iter().map(|(title, items)| Entry::Group(title, items)));
    out
}

/// A group as text: its title and count, one line per file with its line,
/// column and own message, and the help when all share it; what comes
/// from files escaped for the terminal ([`terminal`]).
fn render_group(title: &str, items: &[&Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} : {title} ({} fichiers)", severity_label(Severity::Warning), items.len());
    for d in items {
        let _ = writeln!(out, "  - {} : {}", terminal(&place(d, sources)), terminal(&d.message));
    }
    let help = items[0].help.as_ref().filter(|h| items.iter().all(|d| d.help.as_ref() == Some(h)));
    if let Some(help) = help {
        let _ = writeln!(out, "  = aide : {}", terminal(help));
    }
    let _ = writeln!(out, "  = `alimap check --tout` montre chacun de ces avertissements en entier");
    out
}

/// `file:line:col`, or the file alone when the diagnostic has no place.
fn place(d: &Diagnostic, sources: &SourceMap) -> String {
    let file = d.file.to_string_lossy().replace('\\', "/");
    match range(d, sources) {
        Some(((line, col), _)) => format!("{file}:{line}:{col}"),
        None => file,
    }
}

/// A list of diagnostics gathered across the pipeline.
#[derive(Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
    pub fn count(&self, severity: Severity) -> usize {
        self.0.iter().filter(|d| d.severity == severity).count()
    }
    /// Sorts by file, then position, so output does not depend on the order
    /// in which parallel work finished.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.span.as_ref().map(|s| s.start), a.severity, &a.message).cmp(&(
                &b.file,
                b.span.as_ref().map(|s| s.start),
                b.severity,
                &b.message,
            ))
        });
        self.0.dedup();
    }
}

/// The texts of the files diagnostics point into, to show lines and columns.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: BTreeMap<PathBuf, Arc<str>>,
}

impl SourceMap {
    /// Adds a file's text; a loaded file's text is shared, not copied.
    pub fn insert(&mut self, path: PathBuf, text: impl Into<Arc<str>>) {
        self.files.insert(path, text.into());
    }
    pub fn get(&self, path: &Path) -> Option<&str> {
        self.files.get(path).map(|t| &**t)
    }
}

/// A 1-based line and column (in characters) for a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Whether a terminal could act on `c` rather than show it: control
/// characters (escape sequences start with one; a line break could forge a
/// line of output), bidirectional controls, which reorder what follows
/// them, and the line and paragraph separators.
fn acts_on_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// `s` as it may be printed on a terminal: each character a terminal could
/// act on (see [`acts_on_terminal`]) written as its escape (`\u{1b}`).
/// Every text that comes from the site's files (names, keys, values, file
/// names) goes through it before it is printed; alimap's own line breaks
/// are added around it.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.contains(acts_on_terminal) {
        return s.into();
    }
    s.chars()
        .map(|c| if acts_on_terminal(c) { c.escape_unicode().to_string() } else { c.to_string() })
        .collect::<String>()
        .into()
}

/// A source line as shown under a diagnostic, and where each of its
/// characters starts in it (one more entry for the end): tabs show as one
/// space, the characters of [`terminal`] as their escapes.
fn shown_line(line: &str) -> (String, Vec<usize>) {
    let mut shown = String::with_capacity(line.len());
    let mut starts = Vec::with_capacity(line.len() + 1);
    let mut width = 0;
    for c in line.chars() {
        starts.push(width);
        if c == '\t' {
            shown.push(' ');
            width += 1;
        } else if acts_on_terminal(c) {
            let e = c.escape_unicode().to_string();
            width += e.chars().count();
            shown.push_str(&e);
        } else {
            shown.push(c);
            width += 1;
        }
    }
    starts.push(width);
    (shown, starts)
}

fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Error => "erreur",
        Severity::Warning => "avertissement",
    }
}

/// Renders one diagnostic as plain text, rustc style. What comes from the
/// files (the message's names and values, the file's name, its line) is
/// escaped for the terminal ([`terminal`]).
pub fn render(d: &Diagnostic, sources: &SourceMap) -> String {
    let mut out = String::new();
    let file = d.file.to_string_lossy().replace('\\', "/");
    let file = terminal(&file);
    let help = d.help.as_deref().map(terminal);
    let _ = writeln!(out, "{} : {}", severity_label(d.severity), terminal(&d.message));
    let located = d.span.clone().zip(sources.get(&d.file));
    match located {
        Some((span, text)) => {
            let (line, col) = line_col(text, span.start);
            let gutter = " ".repeat(line.to_string().len() + 1);
            let _ = writeln!(out, "{}--> {file}:{line}:{col}", &gutter[1..]);
            let line_text = text.lines().nth(line - 1).unwrap_or("");
            let (shown, starts) = shown_line(line_text);
            let last = starts.len() - 1;
            let end = floor_char_boundary(text, span.end.min(text.len()));
            let (end_line, end_col) = line_col(text, end);
            let from = starts[(col - 1).min(last)];
            let to = if end_line == line { starts[(end_col - 1).min(last)] } else { starts[last] + 1 };
            let width = to.saturating_sub(from).clamp(1, (starts[last] + 1).saturating_sub(from).max(1));
            let _ = writeln!(out, "{gutter}|");
            let _ = writeln!(out, "{line} | {shown}");
            let _ = writeln!(out, "{gutter}| {}{}", " ".repeat(from), "^".repeat(width));
            if let Some(help) = &help {
                let _ = writeln!(out, "{gutter}|");
                let _ = writeln!(out, "{gutter}= aide : {help}");
            }
        }
        None => {
            let _ = writeln!(out, " --> {file}");
            if let Some(help) = &help {
                let _ = writeln!(out, "  = aide : {help}");
            }
        }
    }
    out
}

/// Renders every diagnostic, separated by blank lines, repeated warnings
/// grouped (see [`entries`]).
pub fn render_all(ds: &Diagnostics, sources: &SourceMap) -> String {
    render_entries(ds, sources, false)
}

/// [`render_all`], or with `all` every diagnostic on its own.
pub fn render_entries(ds: &Diagnostics, sources: &SourceMap, all: bool) -> String {
    let shown = entries(ds, all).into_iter().map(|e| match e {
        Entry::One(d) => render(d, sources),
        Entry::Group(title, items) => render_group(title, &items, sources),
    });
    shown.collect::<Vec<_>>().join("\n")
}

/// Where a diagnostic starts and ends, as 1-based lines and columns.
fn range(d: &Diagnostic, sources: &SourceMap) -> Option<((usize, usize), (usize, usize))> {
    let span = d.span.clone()?;
    let text = sources.get(&d.file)?;
    Some((line_col(text, span.start), line_col(text, span.end.max(span.start))))
}

/// Diagnostics as JSON, for editors and scripts.
pub fn render_json(ds: &Diagnostics, sources: &SourceMap) -> String {
    let items: Vec<serde_json::Value> =
        ds.0.iter()
            .map(|d| {
                let r = range(d, sources);
                serde_json::json!({
                    "severite": match d.severity { Severity::Error => "erreur", Severity::Warning => "avertissement" },
                    "fichier": d.file.to_string_lossy().replace('\\', "/"),
                    "ligne": r.map(|r| r.0.0),
                    "colonne": r.map(|r| r.0.1),
                    "ligne_fin": r.map(|r| r.1.0),
                    "colonne_fin": r.map(|r| r.1.1),
                    "message": d.message,
                    "aide": d.help,
                })
            })
            .collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into())
}

/// Diagnostics as GitHub Actions workflow commands, so that each problem
/// shows as an annotation on the pull request's diff: one per diagnostic,
/// on its line. A group of repeated warnings is one annotation listing its
/// files, not one per file: GitHub shows only the first ten warnings of a
/// step, and 80 stale files would hide every other warning (errors come
/// first for the same reason).
pub fn render_github(ds: &Diagnostics, sources: &SourceMap) -> String {
    fn data(s: &str) -> String {
        s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
    }
    fn property(s: &str) -> String {
        data(s).replace(':', "%3A").replace(',', "%2C")
    }
    let mut out = String::new();
    let mut shown = entries(ds, false);
    shown.sort_by_key(|e| match e {
        Entry::One(d) => d.severity,
        Entry::Group(..) => Severity::Warning,
    });
    for e in shown {
        let d = match e {
            Entry::One(d) => d,
            Entry::Group(title, items) => {
                let mut message = format!("{title} ({} fichiers)", items.len());
                for d in &items {
                    let _ = write!(message, "\n{} : {}", terminal(&place(d, sources)), terminal(&d.message));
                }
                let _ = writeln!(out, "::warning title={}::{}", property("alimap"), data(&message));
                continue;
            }
        };
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Escaped for the terminal too: the job's log shows the lines as
        // they are printed.
        let mut props = format!("file={}", property(&terminal(&d.file.to_string_lossy().replace('\\', "/"))));
        if let Some(((l, c), (el, ec))) = range(d, sources) {
            let _ = write!(props, ",line={l},col={c},endLine={el},endColumn={ec}");
        }
        let mut message = terminal(&d.message).into_owned();
        if let Some(h) = &d.help {
            message.push_str("\naide : ");
            message.push_str(&terminal(h));
        }
        let _ = writeln!(out, "::{kind} {props},title={}::{}", property("alimap"), data(&message));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let text = "nom = \"Épicerie\"\nhoraire = 1\n";
        assert_eq!(line_col(text, 0), (1, 1));
        let second = text.find("horaire").unwrap();
        assert_eq!(line_col(text, second), (2, 1));
        let quote = text.find("\"\n").unwrap();
        assert_eq!(line_col(text, quote), (1, 16));
    }

    #[test]
    fn github_annotations_escape_newlines_and_separators() {
        let mut sources = SourceMap::default();
        sources.insert("content/a.toml".into(), "nom = 1\n");
        let mut ds = Diagnostics::default();
        ds.push(
            Diagnostic::error("content/a.toml", Some(6..7), "`nom` doit être du texte, pas 50%")
                .with_help("écrivez `nom = \"1\"`"),
        );
        assert_eq!(
            render_github(&ds, &sources),
            "::error file=content/a.toml,line=1,col=7,endLine=1,endColumn=8,title=alimap::`nom` doit être du texte, pas 50%25%0Aaide : écrivez `nom = \"1\"`\n"
        );
        let json: serde_json::Value = serde_json::from_str(&render_json(&ds, &sources)).unwrap();
        assert_eq!(json[0]["ligne"], 1);
        assert_eq!(json[0]["colonne"], 7);
        assert_eq!(json[0]["severite"], "erreur");
    }

    #[test]
    fn caret_sits_under_the_span() {
        let mut sources = SourceMap::default();
        let text = "nom = \"A\"\nhoraire = \"Mo\"\n";
        sources.insert("content/lieux/a.toml".into(), text);
        let d = Diagnostic::error("content/lieux/a.toml", Some(10..17), "clé inconnue `horaire`")
            .with_help("vouliez-vous écrire `horaires_accueil` ?");
        let shown = render(&d, &sources);
        assert_eq!(
            shown,
            "erreur : clé inconnue `horaire`\n --> content/lieux/a.toml:2:1\n  |\n2 | horaire = \"Mo\"\n  | ^^^^^^^\n  |\n  = aide : vouliez-vous écrire `horaires_accueil` ?\n"
        );
    }

    #[test]
    fn text_from_the_files_is_escaped_and_the_caret_follows() {
        let mut sources = SourceMap::default();
        let text = "\"a\u{1b}[2J\u{202E}b\" = 1\n";
        sources.insert("content/x\u{7}.toml".into(), text);
        let d = Diagnostic::error(
            "content/x\u{7}.toml",
            Some(0..text.find(" =").unwrap()),
            "clé inconnue `a\u{1b}[2J\u{202E}b`",
        )
        .with_help("ligne\nforgée");
        assert_eq!(
            render(&d, &sources),
            "erreur : clé inconnue `a\\u{1b}[2J\\u{202e}b`\n --> content/x\\u{7}.toml:1:1\n  |\n\
             1 | \"a\\u{1b}[2J\\u{202e}b\" = 1\n  | ^^^^^^^^^^^^^^^^^^^^^\n  |\n  = aide : ligne\\u{a}forgée\n"
        );
        assert_eq!(terminal("Épicerie du Nord"), "Épicerie du Nord");
    }
}
