//! `alimap import`: a territory's existing directory (spreadsheets,
//! data·inclusion, Soliguide) turned into ordinary content files.
//!
//! Each reader turns its source into [`Entry`]s in alimap's own keys
//! ([`read`] picks the reader); the normalisers ([`normalise`]) and the
//! writer ([`write`]) are shared by every reader. [`run`] does the whole
//! import and returns the [`Report`] the command prints.

pub mod datainclusion;
pub mod delimited;
pub mod entry;
pub mod mapping;
pub mod normalise;
pub mod soliguide;
pub mod spreadsheet;
pub mod table;
pub mod template;
pub mod write;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use toml::Value;

pub use entry::{Check, Entry};
pub use mapping::Mapping;
pub use table::{Row, Table};

use spreadsheet::Workbook;

use crate::content::schema::FileKind;
use crate::model::vocab::{Acces, Frais, Vocabulary};
use crate::text::communes::{self, name_key};
use crate::text::format::quoted;

/// Largest source file read, in bytes.
pub const MAX_FILE: usize = 200 * 1024 * 1024;

/// What `alimap import` was asked.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The site folder (the one holding `content/`).
    pub root: PathBuf,
    pub files: Vec<PathBuf>,
    /// The column mapping file (`--correspondance`).
    pub mapping: Option<PathBuf>,
    /// Defaults of the command line, over the mapping file's.
    pub acces: Vec<String>,
    pub frais: Option<String>,
    pub structure: Option<String>,
    pub date_maj: Option<NaiveDate>,
    /// `--essai`: everything but writing.
    pub dry_run: bool,
}

/// The formats [`read`] tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Ods,
    Json,
}

/// The format of a source file, by its extension, else by its first bytes.
pub fn format_of(path: &Path, bytes: &[u8]) -> Format {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv" | "txt" | "tsv") => return Format::Csv,
        Some("xlsx" | "xlsm") => return Format::Xlsx,
        Some("ods") => return Format::Ods,
        Some("json") => return Format::Json,
        _ => {}
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let head = &bytes[..bytes.len().min(200)];
        let ods = head.windows(39).any(|w| w == b"application/vnd.oasis.opendocument.spre");
        return if ods { Format::Ods } else { Format::Xlsx };
    }
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{' | b'[') => Format::Json,
        _ => Format::Csv,
    }
}

/// What one source file gives: entries in alimap's keys, values as the
/// source wrote them, and the columns no key takes.
#[derive(Debug, Default)]
pub struct Read {
    pub entries: Vec<Entry>,
    pub ignored: Vec<String>,
}

/// Reads a source file with the reader of its format.
pub fn read(path: &Path, bytes: &[u8], mapping: &Mapping) -> Result<Read> {
    match format_of(path, bytes) {
        Format::Csv => Ok(from_table(&delimited::read(bytes)?, mapping)),
        // Spreadsheets: a reader giving a `Table`, then `from_table`.
        Format::Xlsx => Ok(from_table(&spreadsheet::read(bytes, Workbook::Xlsx, mapping.sheet.as_deref())?, mapping)),
        Format::Ods => Ok(from_table(&spreadsheet::read(bytes, Workbook::Ods, mapping.sheet.as_deref())?, mapping)),
        // data·inclusion and Soliguide: readers giving entries directly.
        Format::Json => {
            let records = datainclusion::records(bytes)?;
            let entries = if let Some(kind) = datainclusion::kind_of(&records) {
                datainclusion::entries(kind, &records)
            } else if soliguide::is_soliguide(&records) {
                soliguide::entries(&records)
            } else if records.is_empty() {
                Vec::new()
            } else {
                bail!(
                    "fichier JSON ni data·inclusion (structures.json, services.json) ni Soliguide (lieux avec `lieu_id`) : il n’est pas lu"
                )
            };
            Ok(Read { entries, ignored: Vec::new() })
        }
    }
}

/// A sheet's rows as entries, through the column mapping.
pub fn from_table(table: &Table, mapping: &Mapping) -> Read {
    let (entries, ignored) = mapping.entries(table, "tableur");
    Read { entries, ignored }
}

/// Figures of one kind of file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub written: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Values defaulted, guessed or converted: `# à vérifier` lines.
    pub checks: usize,
    pub hours_flagged: usize,
    pub no_position: usize,
    pub refused: usize,
}

/// A row not imported, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub file: String,
    pub row: Option<usize>,
    pub nom: Option<String>,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Report {
    pub dry_run: bool,
    pub lieux: Counts,
    pub structures: Counts,
    pub refused: Vec<Refusal>,
    /// Columns no key takes, by source file.
    pub ignored: Vec<(String, Vec<String>)>,
    /// The files written or updated, relative to the site folder.
    pub files: Vec<PathBuf>,
}

impl Report {
    /// The summary printed at the end of every run, in French.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let title = if self.dry_run {
            "Essai d’importation : aucun fichier n’a été écrit"
        } else {
            "Importation terminée"
        };
        let _ = writeln!(out, "{title}.\n");
        type Figure = fn(&Counts) -> usize;
        let rows: [(&str, Figure, bool); 7] = [
            ("fiches écrites", |c| c.written, true),
            ("fiches mises à jour", |c| c.updated, true),
            ("fiches inchangées", |c| c.unchanged, true),
            ("valeurs à vérifier", |c| c.checks, true),
            ("horaires non convertis", |c| c.hours_flagged, false),
            ("sans coordonnées (à géocoder)", |c| c.no_position, false),
            ("lignes refusées", |c| c.refused, true),
        ];
        let _ = writeln!(out, "  {:<32}{:>8}{:>12}", "", "lieux", "structures");
        for (label, f, both) in rows {
            let s = if both { f(&self.structures).to_string() } else { "–".into() };
            let _ = writeln!(out, "  {label:<32}{:>8}{s:>12}", f(&self.lieux));
        }
        if !self.refused.is_empty() {
            let _ = writeln!(out, "\nLignes refusées (corrigez la source puis relancez l’import) :");
            for r in &self.refused {
                let at = r.row.map(|n| format!(", ligne {n}")).unwrap_or_default();
                let nom = r.nom.as_ref().map(|n| format!(" « {n} »")).unwrap_or_default();
                let _ = writeln!(out, "  {}{at}{nom} : {}", r.file, r.reason);
            }
        }
        for (file, columns) in &self.ignored {
            let list: Vec<String> = columns.iter().map(|c| format!("« {c} »")).collect();
            let _ = writeln!(
                out,
                "\nColonnes ignorées de {file} : {} (associez-les à une clé dans [colonnes] d’un fichier --correspondance)",
                list.join(", ")
            );
        }
        let todo = self.lieux.checks + self.structures.checks + self.lieux.no_position;
        if todo > 0 {
            let _ = writeln!(
                out,
                "\nEnsuite : cherchez « à vérifier » dans les fiches écrites, ajoutez la position des lieux sans coordonnées, puis lancez `alimap check`."
            );
        }
        out
    }
}

/// The defaults of the command line and the mapping file, checked.
fn defaults(opts: &Options, mapping: &mut Mapping) -> Result<()> {
    if !opts.acces.is_empty() {
        let values = opts.acces.iter().map(|a| Value::String(a.trim().to_string())).collect();
        mapping.defaults.insert("acces".into(), Value::Array(values));
    }
    if let Some(f) = &opts.frais {
        mapping.defaults.insert("frais".into(), Value::String(f.trim().to_string()));
    }
    if let Some(s) = &opts.structure {
        mapping.defaults.insert("structure".into(), Value::String(s.trim().to_string()));
    }
    if let Some(d) = opts.date_maj {
        mapping.defaults.insert("date_maj".into(), normalise::toml_date(d));
    }
    if let Some(v) = mapping.defaults.get("acces") {
        let list: Vec<&str> = match v {
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            Value::String(s) => vec![s.as_str()],
            _ => Vec::new(),
        };
        if list.is_empty() {
            bail!("accès par défaut vide ; valeurs possibles : {}", quoted(&Acces::values()));
        }
        for a in &list {
            if Acces::parse(a).is_none() {
                bail!("accès par défaut inconnu « {a} » ; valeurs possibles : {}", quoted(&Acces::values()));
            }
        }
        let list = list.iter().map(|a| Value::String((*a).into())).collect();
        mapping.defaults.insert("acces".into(), Value::Array(list));
    }
    if let Some(v) = mapping.defaults.get("frais")
        && v.as_str().and_then(Frais::parse).is_none()
    {
        bail!("frais par défaut inconnus « {v} » ; valeurs possibles : {}", quoted(&Frais::values()));
    }
    if let Some(v) = mapping.defaults.get("date_maj").cloned() {
        let date = match &v {
            Value::Datetime(_) => v,
            Value::String(s) => match normalise::parse_date(s) {
                Some(d) => normalise::toml_date(d),
                None => bail!("date_maj par défaut illisible « {s} » : écrivez AAAA-MM-JJ"),
            },
            _ => bail!("date_maj par défaut illisible : écrivez AAAA-MM-JJ"),
        };
        mapping.defaults.insert("date_maj".into(), date);
    }
    Ok(())
}

/// The site's structures, by id and by name, for the `structure` column.
struct Structures {
    ids: HashMap<String, String>,
    names: HashMap<String, String>,
}

/// Runs an import: reads every source, normalises, writes (unless
/// `dry_run`), and reports.
pub fn run(opts: &Options) -> Result<Report> {
    let content = opts.root.join("content");
    if !content.is_dir() {
        bail!(
            "le dossier `content/` est introuvable dans {} : lancez la commande depuis le dossier du site (ou avec `--racine DOSSIER`), ou créez un site avec `alimap init DOSSIER`",
            opts.root.display()
        );
    }
    if opts.files.is_empty() {
        bail!("aucun fichier à importer : `alimap import annuaire.csv`");
    }
    let mut mapping = match &opts.mapping {
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| format!("impossible de lire {}", p.display()))?;
            Mapping::with_file(&text, &p.display().to_string())?
        }
        None => Mapping::builtin(),
    };
    defaults(opts, &mut mapping)?;

    // The site as it is: its structures, territories and files.
    let (sources, _) = crate::content::load::load(&opts.root);
    let (parsed, _) = crate::content::parse::parse(&sources);
    let structures = Structures {
        ids: parsed.structures.iter().map(|s| (s.id.clone(), s.id.clone())).collect(),
        names: parsed.structures.iter().map(|s| (name_key(&s.nom), s.id.clone())).collect(),
    };
    let mut writer = write::Writer::new(&opts.root, opts.dry_run)?;
    if let Some(Value::String(s)) = mapping.defaults.get("structure")
        && !writer.exists(FileKind::Structure, s)
    {
        bail!(
            "la structure par défaut « {s} » n’existe pas : créez-la avec `alimap new structure {s}`, ou donnez l’identifiant d’une structure de content/structures/"
        );
    }

    let mut report = Report { dry_run: opts.dry_run, ..Report::default() };
    let mut lieux: Vec<(String, Entry)> = Vec::new();
    let mut others: Vec<(String, Entry)> = Vec::new();
    for path in &opts.files {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let meta = std::fs::metadata(path).with_context(|| format!("impossible de lire {}", path.display()))?;
        if meta.len() > MAX_FILE as u64 {
            bail!("{} est trop gros ({} Mo ; au plus {} Mo)", path.display(), meta.len() >> 20, MAX_FILE >> 20);
        }
        let bytes = std::fs::read(path).with_context(|| format!("impossible de lire {}", path.display()))?;
        let read = read(path, &bytes, &mapping).with_context(|| name.clone())?;
        if !read.ignored.is_empty() {
            report.ignored.push((name.clone(), read.ignored));
        }
        for mut e in read.entries {
            let nom = e.get("nom").and_then(Value::as_str).map(str::to_string);
            let counts = if e.kind == FileKind::Lieu { &mut report.lieux } else { &mut report.structures };
            match normalise::normalise(&mut e, &mapping) {
                Ok(()) if e.kind == FileKind::Lieu => lieux.push((name.clone(), e)),
                Ok(()) => others.push((name.clone(), e)),
                Err(reason) => {
                    counts.refused += 1;
                    report.refused.push(Refusal { file: name.clone(), row: e.row, nom, reason });
                }
            }
        }
    }

    // Points: their structure, their territory. A structure read from a
    // source (data·inclusion's structures.json) is named by the points by
    // its source key or by the id it brings.
    let mut read_structures: HashMap<String, usize> = HashMap::new();
    for (i, (_, e)) in others.iter().enumerate() {
        if e.kind == FileKind::Structure {
            read_structures.insert(e.source.clone(), i);
            if let Some(id) = &e.id {
                read_structures.insert(id.clone(), i);
            }
        }
    }
    let mut new_structures: HashMap<String, usize> = HashMap::new();
    let mut unlinked: Vec<usize> = Vec::new();
    for (n, (name, e)) in lieux.iter_mut().enumerate() {
        let Some(s) = e.get("structure").and_then(Value::as_str).map(str::to_string) else { continue };
        if read_structures.contains_key(&s) || structures.ids.contains_key(&s) || writer.exists(FileKind::Structure, &s)
        {
            continue;
        }
        if s.starts_with(datainclusion::SOURCE_PREFIX) {
            match writer.known(FileKind::Structure, &s) {
                Some(id) => e.set("structure", id),
                None => {
                    unlinked.push(n);
                    report.lieux.refused += 1;
                    report.refused.push(Refusal {
                        file: name.clone(),
                        row: e.row,
                        nom: e.get("nom").and_then(Value::as_str).map(str::to_string),
                        reason: "sa structure n’est ni dans le site ni dans les fichiers importés : importez structures.json avec services.json".into(),
                    });
                }
            }
            continue;
        }
        if let Some(id) = structures.names.get(&name_key(&s)) {
            e.set("structure", id.clone());
            continue;
        }
        // A structure the site does not have yet: written with the points.
        let key = name_key(&s);
        if !new_structures.contains_key(&key) {
            let mut st = Entry::new(FileKind::Structure, format!("structure:{key}"));
            st.row = e.row;
            st.set("nom", s.clone());
            if let Some(d) = e.get("date_maj") {
                st.set("date_maj", d.clone());
            }
            if normalise::normalise(&mut st, &mapping).is_ok() {
                new_structures.insert(key.clone(), others.len());
                others.push((name.clone(), st));
            }
        }
    }
    for n in unlinked.into_iter().rev() {
        lieux.remove(n);
    }
    for (_, e) in &mut lieux {
        territory(e, &parsed.territoires);
    }

    // Structures (and territories) first: points name them.
    let mut ids: HashMap<String, String> = HashMap::new();
    for (name, e) in &others {
        let id = writer.assign(e);
        ids.insert(e.source.clone(), id.clone());
        let counts = if e.kind == FileKind::Structure { &mut report.structures } else { &mut report.lieux };
        record(&mut writer, e, &id, name, counts, &mut report.files, &mut report.refused)?;
    }
    for (name, e) in &mut lieux {
        if let Some(s) = e.get("structure").and_then(Value::as_str)
            && let Some(i) = read_structures.get(s).or_else(|| new_structures.get(&name_key(s)))
            && let Some(id) = ids.get(&others[*i].1.source)
        {
            e.set("structure", id.clone());
        }
        let id = writer.assign(e);
        record(&mut writer, e, &id, name, &mut report.lieux, &mut report.files, &mut report.refused)?;
    }
    writer.save()?;
    Ok(report)
}

/// Writes one entry and counts it.
fn record(
    writer: &mut write::Writer,
    e: &Entry,
    id: &str,
    name: &str,
    counts: &mut Counts,
    files: &mut Vec<PathBuf>,
    refused: &mut Vec<Refusal>,
) -> Result<()> {
    match writer.write(e, id, name) {
        Ok(outcome) => {
            match outcome {
                write::Outcome::Written => counts.written += 1,
                write::Outcome::Updated => counts.updated += 1,
                write::Outcome::Unchanged => counts.unchanged += 1,
            }
            if outcome != write::Outcome::Unchanged {
                files.push(writer.file(e.kind, id).map_or_else(|| write::path_of(e, id), Path::to_path_buf));
            }
            counts.checks += e.checks.len();
            if e.checks.iter().any(|c| c.key == "horaires_accueil" && c.reason.starts_with("horaires non convertis")) {
                counts.hours_flagged += 1;
            }
            if e.kind == FileKind::Lieu && e.get("latitude").is_none() {
                counts.no_position += 1;
            }
            Ok(())
        }
        Err(err) => {
            counts.refused += 1;
            let nom = e.get("nom").and_then(Value::as_str).map(str::to_string);
            refused.push(Refusal { file: name.to_string(), row: e.row, nom, reason: format!("{err:#}") });
            Ok(())
        }
    }
}

/// A point's position against the site's territories: outside every one,
/// it is written without position (to geocode again); inside one of
/// another département than its postal code's, marked to check.
fn territory(e: &mut Entry, territoires: &[crate::model::Territoire]) {
    let pos = e.get("latitude").and_then(Value::as_float).zip(e.get("longitude").and_then(Value::as_float));
    let Some((lat, lon)) = pos else { return };
    if territoires.is_empty() {
        return;
    }
    let Some(t) = territoires.iter().find(|t| t.perimetre.contains(lat, lon)) else {
        e.fields.retain(|(k, _)| k != "latitude" && k != "longitude");
        e.checks.retain(|c| c.key != "latitude");
        e.check(
            "latitude",
            format!("position de la source ({lat}, {lon}) hors des territoires du site, non reprise : à géocoder"),
        );
        return;
    };
    let postal = e.get("code_postal").and_then(Value::as_str).unwrap_or_default();
    if let (Some(dep), Some(own)) =
        (crate::content::validate::departement_of(t), communes::departement_of_postal_code(postal))
        && dep != own
    {
        e.check(
            "code_postal",
            format!("code postal du département {own}, mais la position est dans le territoire « {} » ({dep})", t.nom),
        );
    }
}
