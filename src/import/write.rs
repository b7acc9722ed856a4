//! Ids, the site's `source → id` table, and the files: new ones written
//! whole, existing ones updated in place (only the keys the import sets,
//! every other line, comment and hand-added key left as it was).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use toml::Value;
use toml::de::{DeTable, DeValue};

use super::entry::Entry;
use crate::content::schema::FileKind;
use crate::text::format::{is_valid_id, slugify};

/// The `source → id` table, relative to the site folder: beside
/// `content/`, so that `check` and `build` never read it.
pub const TABLE: &str = "import/identifiants.toml";

const TABLE_HEADER: &str = "\
# Fiches écrites par `alimap import` : pour chaque ligne d’une source (son
# identifiant, ou son nom et son adresse), l’identifiant de sa fiche. Une
# nouvelle importation d’un fichier mis à jour met à jour ces fiches au
# lieu d’en créer d’autres. Gardez ce fichier avec le site ; ne le
# modifiez pas à la main.

";

/// Longest id made from a name, before any suffix.
const MAX_SLUG: usize = 60;

/// What became of one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Written,
    Updated,
    Unchanged,
}

/// The ids of the site and of this import, and the files to write.
pub struct Writer {
    root: PathBuf,
    table: BTreeMap<String, BTreeMap<String, String>>,
    /// Existing files, by kind and id: path relative to the site folder.
    existing: HashMap<(&'static str, String), PathBuf>,
    taken: HashSet<(&'static str, String)>,
    /// The next number to try after a name, for names used many times.
    numbered: HashMap<(&'static str, String), usize>,
    /// Folders known to exist: one `create_dir_all` each, not one a file.
    folders: HashSet<PathBuf>,
    dry_run: bool,
}

fn section(kind: FileKind) -> &'static str {
    kind.dir().unwrap_or("site")
}

impl Writer {
    /// Reads the site's table and the ids of its files.
    pub fn new(root: &Path, dry_run: bool) -> Result<Writer> {
        let path = root.join(TABLE);
        let table = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).with_context(|| {
                format!("{TABLE} illisible : ce fichier est écrit par `alimap import`, restaurez-le depuis l’historique du dépôt")
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(e).with_context(|| format!("impossible de lire {TABLE}")),
        };
        let mut existing = HashMap::new();
        for kind in [FileKind::Territoire, FileKind::Structure, FileKind::Lieu] {
            let dir = root.join("content").join(section(kind));
            for entry in walkdir::WalkDir::new(&dir).into_iter().filter_map(Result::ok) {
                let p = entry.path();
                if p.extension().is_some_and(|e| e == "toml")
                    && let Some(stem) = p.file_stem().and_then(|s| s.to_str())
                {
                    let rel = p.strip_prefix(root).unwrap_or(p).to_path_buf();
                    existing.insert((section(kind), stem.to_string()), rel);
                }
            }
        }
        Ok(Writer {
            root: root.to_path_buf(),
            table,
            existing,
            taken: HashSet::new(),
            numbered: HashMap::new(),
            folders: HashSet::new(),
            dry_run,
        })
    }

    /// The id a previous import gave to `source`, if its file exists.
    pub fn known(&self, kind: FileKind, source: &str) -> Option<String> {
        let id = self.table.get(section(kind))?.get(source)?;
        self.exists(kind, id).then(|| id.clone())
    }

    /// The file of this kind and id, found or written, from the site's root.
    pub fn file(&self, kind: FileKind, id: &str) -> Option<&Path> {
        self.existing.get(&(section(kind), id.to_string())).map(PathBuf::as_path)
    }

    /// Whether a file of this kind and id exists.
    pub fn exists(&self, kind: FileKind, id: &str) -> bool {
        self.existing.contains_key(&(section(kind), id.to_string()))
    }

    /// The id of an entry: the one the table keeps for its source, else a
    /// new one from its name, made unique with its street or postal code.
    pub fn assign(&mut self, e: &Entry) -> String {
        let s = section(e.kind);
        if let Some(id) = self.table.get(s).and_then(|t| t.get(&e.source))
            && is_valid_id(id)
        {
            self.taken.insert((s, id.clone()));
            return id.clone();
        }
        let text = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or_default();
        let base =
            e.id.as_deref()
                .filter(|id| is_valid_id(id))
                .map(str::to_string)
                .unwrap_or_else(|| cut(&slugify(text("nom")), MAX_SLUG));
        let base = if base.is_empty() { e.kind.name().to_string() } else { base };
        let street = cut(slugify(text("adresse")).trim_start_matches(|c: char| c.is_ascii_digit() || c == '-'), 40);
        let postal = slugify(text("code_postal"));
        let mut candidates = vec![base.clone()];
        for suffix in [street.clone(), postal.clone(), format!("{street}-{postal}")] {
            let suffix = suffix.trim_matches('-');
            if !suffix.is_empty() {
                candidates.push(format!("{base}-{suffix}"));
            }
        }
        let free = |id: &String| {
            is_valid_id(id) && !self.taken.contains(&(s, id.clone())) && !self.existing.contains_key(&(s, id.clone()))
        };
        let id = match candidates.iter().find(|c| free(c)) {
            Some(id) => id.clone(),
            None => {
                // Numbers below the last one given stay taken: start there,
                // not at 2 for each of a thousand rows of the same name.
                let from = self.numbered.get(&(s, base.clone())).copied().unwrap_or(2);
                let n = (from..).find(|n| free(&format!("{base}-{n}"))).expect("some number is free");
                self.numbered.insert((s, base.clone()), n + 1);
                format!("{base}-{n}")
            }
        };
        self.taken.insert((s, id.clone()));
        self.table.entry(s.to_string()).or_default().insert(e.source.clone(), id.clone());
        id
    }

    /// Writes `e` as the file of `id`: new, or updated in place.
    pub fn write(&mut self, e: &Entry, id: &str, origin: &str) -> Result<Outcome> {
        if !is_valid_id(id) {
            bail!("identifiant invalide « {id} »");
        }
        let s = section(e.kind);
        // A file the walk of `content/` did not find is new: no `stat`
        // before it is created (below, never over an existing one).
        let (rel, known) = match self.existing.get(&(s, id.to_string())) {
            Some(rel) => (rel.clone(), true),
            None => (path_of(e, id), false),
        };
        let path = self.root.join(&rel);
        let old = match known.then(|| std::fs::symlink_metadata(&path)) {
            Some(Ok(m)) if !m.file_type().is_file() => {
                bail!("{} n’est pas un fichier ordinaire (lien ?) : fiche non modifiée", rel.display())
            }
            Some(Ok(_)) => {
                Some(std::fs::read_to_string(&path).with_context(|| format!("impossible de lire {}", rel.display()))?)
            }
            Some(Err(_)) | None => None,
        };
        let (text, outcome) = match &old {
            Some(old) => {
                let new =
                    update(old, e).map_err(|m| anyhow::anyhow!("{} : {m} ; fiche non modifiée", rel.display()))?;
                let outcome = if new == *old { Outcome::Unchanged } else { Outcome::Updated };
                (new, outcome)
            }
            None => (render(e, origin), Outcome::Written),
        };
        if outcome != Outcome::Unchanged && !self.dry_run {
            if let Some(dir) = path.parent()
                && !self.folders.contains(dir)
            {
                std::fs::create_dir_all(dir).with_context(|| format!("impossible de créer {}", dir.display()))?;
                self.folders.insert(dir.to_path_buf());
            }
            match outcome {
                Outcome::Written => create(&path, &text),
                _ => std::fs::write(&path, &text),
            }
            .with_context(|| format!("impossible d’écrire {}", rel.display()))?;
        }
        self.existing.insert((s, id.to_string()), rel);
        Ok(outcome)
    }

    /// Saves the table (not on a dry run).
    pub fn save(&self) -> Result<()> {
        if self.dry_run {
            return Ok(());
        }
        let path = self.root.join(TABLE);
        let text = format!("{TABLE_HEADER}{}", toml::to_string(&self.table).context("table des identifiants")?);
        if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
            return Ok(());
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("impossible de créer {}", dir.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("impossible d’écrire {TABLE}"))
    }
}

/// Writes a new file, failing if anything (a file, a link) is already at
/// `path`: the check and the creation are one step (`O_EXCL`).
fn create(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    std::fs::OpenOptions::new().write(true).create_new(true).open(path)?.write_all(text.as_bytes())
}

/// `s` cut at a hyphen to at most `max` bytes (ids are ASCII).
fn cut(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let head = &s[..max];
    head[..head.rfind('-').unwrap_or(max)].trim_matches('-').to_string()
}

/// A comment's text on one line, without what a terminal or an editor
/// could act on.
fn comment(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

fn check_lines(e: &Entry, key: Option<&str>) -> String {
    let mut out = String::new();
    for c in &e.checks {
        let mine = match key {
            Some(k) => c.key == k,
            None => !e.fields.iter().any(|(k, _)| *k == c.key),
        };
        if mine {
            out.push_str(&format!("# à vérifier : {}\n", comment(&c.reason)));
        }
    }
    out
}

fn line(key: &str, value: &Value) -> String {
    format!("{key} = {value}\n")
}

/// A new file.
pub fn render(e: &Entry, origin: &str) -> String {
    let mut out = String::new();
    let at = e.row.map(|r| format!(", ligne {r}")).unwrap_or_default();
    out.push_str(&format!("# Fiche importée par `alimap import` depuis « {} »{at}.\n", comment(origin)));
    if !e.checks.is_empty() {
        out.push_str(
            "# Les lignes « à vérifier » signalent une valeur donnée par défaut, devinée\n\
             # ou convertie : vérifiez-la, puis retirez la ligne.\n",
        );
    }
    out.push_str(&check_lines(e, None));
    out.push('\n');
    for (k, v) in &e.fields {
        out.push_str(&check_lines(e, Some(k)));
        out.push_str(&line(k, v));
    }
    out
}

/// `old` with the keys `e` sets: values replaced where they are, missing
/// keys added at the end of the top-level keys, the rest untouched. A
/// value the import defaulted or guessed never replaces one in the file.
pub fn update(old: &str, e: &Entry) -> Result<String, String> {
    let table = DeTable::parse(old).map_err(|err| format!("syntaxe TOML invalide ({})", err.message().trim()))?;
    let table = table.into_inner();
    let current: toml::Table =
        toml::from_str(old).map_err(|err| format!("syntaxe TOML invalide ({})", err.message()))?;
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut added = String::new();
    for (k, v) in &e.fields {
        let guessed = e.checks.iter().any(|c| c.key == *k && super::normalise::is_guess(&c.reason));
        match (current.get(k), table.get_key_value(k.as_str())) {
            (Some(now), Some((key, value))) => {
                if guessed || same(now, v) {
                    continue;
                }
                if matches!(value.get_ref(), DeValue::Table(_)) {
                    continue;
                }
                edits.push((value.span(), v.to_string()));
                let notes = check_lines(e, Some(k));
                let start = old[..key.span().start].rfind('\n').map_or(0, |i| i + 1);
                if !notes.is_empty() && !old[..start].ends_with(&notes) {
                    edits.push((start..start, notes));
                }
            }
            _ => {
                added.push_str(&check_lines(e, Some(k)));
                added.push_str(&line(k, v));
            }
        }
    }
    if !added.is_empty() {
        let at = insertion_point(old, &table);
        let mut text = added;
        if at == old.len() && !old.ends_with('\n') && !old.is_empty() {
            text.insert(0, '\n');
        }
        edits.push((at..at, text));
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse((r.start, r.end)));
    let mut new = old.to_string();
    for (range, text) in edits {
        new.replace_range(range, &text);
    }
    Ok(new)
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => (x - y).abs() < 1e-9,
        (Value::Integer(x), Value::Float(y)) | (Value::Float(y), Value::Integer(x)) => (*x as f64 - y).abs() < 1e-9,
        _ => a == b,
    }
}

/// Where new top-level keys go: before the first table header (and the
/// comments just above it), else at the end.
fn insertion_point(text: &str, table: &DeTable<'_>) -> usize {
    let values: Vec<Range<usize>> =
        table.iter().filter(|(_, v)| !matches!(v.get_ref(), DeValue::Table(_))).map(|(_, v)| v.span()).collect();
    let mut offset = 0;
    let mut header = None;
    for l in text.split_inclusive('\n') {
        let inside = values.iter().any(|r| r.start < offset && offset < r.end);
        if !inside && l.trim_start().starts_with('[') {
            header = Some(offset);
            break;
        }
        offset += l.len();
    }
    let Some(mut at) = header else { return text.len() };
    // Above the header's own comments and the blank line before them.
    while at > 0 {
        let prev_start = text[..at - 1].rfind('\n').map_or(0, |i| i + 1);
        let prev = text[prev_start..at].trim();
        if prev.starts_with('#') || prev.is_empty() {
            at = prev_start;
        } else {
            break;
        }
    }
    at
}

/// Where a new file for `e` goes: a point in its commune's folder, as the
/// sample site and the form editor keep them (`lieux/saint-denis/<id>.toml`),
/// so that no folder holds thousands of files; anything else in its kind's.
pub fn path_of(e: &Entry, id: &str) -> PathBuf {
    let commune = e.fields.iter().find(|(k, _)| k == "commune").and_then(|(_, v)| v.as_str()).map(slugify);
    match commune {
        Some(folder) if e.kind == FileKind::Lieu && is_valid_id(&folder) => {
            PathBuf::from(format!("content/lieux/{folder}/{id}.toml"))
        }
        _ => PathBuf::from(format!("content/{}/{id}.toml", section(e.kind))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_used_many_times_gets_the_next_free_number() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/lieux")).unwrap();
        std::fs::write(dir.path().join("content/lieux/epicerie-3.toml"), "").unwrap();
        let mut w = Writer::new(dir.path(), true).unwrap();
        let ids: Vec<String> = (0..7)
            .map(|i| {
                let mut e = Entry::new(FileKind::Lieu, format!("s{i}"));
                e.set("nom", "Épicerie");
                e.set("adresse", "1 rue X");
                e.set("code_postal", "75011");
                w.assign(&e)
            })
            .collect();
        let expected = [
            "epicerie",
            "epicerie-rue-x",
            "epicerie-75011",
            "epicerie-rue-x-75011",
            "epicerie-2",
            "epicerie-4",
            "epicerie-5",
        ];
        assert_eq!(ids, expected);
    }

    #[test]
    fn an_update_replaces_values_in_place_and_keeps_the_rest() {
        let old = "# mon commentaire\nnom = \"A\" # fin de ligne\nservices = [\"repas\"]\nnote_perso = 1\n\n# fermetures\n[[fermetures]]\ndu = 2026-01-01\n";
        let mut e = Entry::new(FileKind::Lieu, "s");
        e.set("nom", "B");
        e.set("services", Value::Array(vec![Value::String("repas".into())]));
        e.set("telephone", "01 23 45 67 89");
        let new = update(old, &e).unwrap();
        assert_eq!(
            new,
            "# mon commentaire\nnom = \"B\" # fin de ligne\nservices = [\"repas\"]\nnote_perso = 1\ntelephone = \"01 23 45 67 89\"\n\n# fermetures\n[[fermetures]]\ndu = 2026-01-01\n"
        );
        assert_eq!(update(&new, &e).unwrap(), new);
    }
}
