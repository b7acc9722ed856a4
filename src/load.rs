//! Loading: reads the site folder into memory, and nothing more.
//!
//! This is the only module that reads content from disk. It refuses what
//! could make the build read outside the site (a symbolic link leaving the
//! folder), files too large to be a directory entry, and text that is not
//! UTF-8, each with a diagnostic. Everything after it works on [`Sources`].

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;

/// Largest TOML or Markdown file accepted: far more than any entry needs.
pub const MAX_TEXT_BYTES: u64 = 1024 * 1024;
/// Largest GeoJSON perimeter accepted.
pub const MAX_GEOJSON_BYTES: u64 = 32 * 1024 * 1024;
/// Largest theme file accepted.
pub const MAX_THEME_BYTES: u64 = 8 * 1024 * 1024;

/// One text file, with its path relative to the site folder (`/`-separated).
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// Everything the build reads, in memory, each list sorted by path.
#[derive(Debug, Default)]
pub struct Sources {
    pub site: Option<SourceFile>,
    pub territoires: Vec<SourceFile>,
    /// GeoJSON files under `content/territoires/`, by relative path.
    pub perimetres: BTreeMap<PathBuf, SourceFile>,
    pub structures: Vec<SourceFile>,
    pub lieux: Vec<SourceFile>,
    pub pages: Vec<SourceFile>,
    /// Files of the site's `themes/` folder, by path relative to `themes/`
    /// (`default/templates/lieu.html`).
    pub themes: BTreeMap<String, Vec<u8>>,
}

impl Sources {
    /// Every text file loaded, for showing diagnostics.
    pub fn texts(&self) -> impl Iterator<Item = &SourceFile> {
        self.site
            .iter()
            .chain(&self.territoires)
            .chain(self.perimetres.values())
            .chain(&self.structures)
            .chain(&self.lieux)
            .chain(&self.pages)
    }
}

/// Reads `content/` and `themes/` under `root`.
pub fn load(root: &Path) -> (Sources, Vec<Diagnostic>) {
    let mut sources = Sources::default();
    let mut diags = Vec::new();
    let content = root.join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::error("content", None, "le dossier `content/` est introuvable")
                .with_help("lancez alimap depuis le dossier du site, ou indiquez-le avec `--racine DOSSIER`"),
        );
        return (sources, diags);
    }

    let site_toml = content.join("site.toml");
    if site_toml.is_file() {
        sources.site = read_text(root, &site_toml, MAX_TEXT_BYTES, &mut diags);
    } else {
        diags.push(
            Diagnostic::error("content/site.toml", None, "le fichier `content/site.toml` manque")
                .with_help("créez-le avec au moins `titre`, `description` et `url`"),
        );
    }

    for (dir, ext) in [("territoires", "toml"), ("structures", "toml"), ("lieux", "toml"), ("pages", "md")] {
        let paths = walk(root, &content.join(dir), &mut diags);
        // Thousands of small files on a large site: read in parallel, kept
        // in path order, with each file's problems in that order too.
        // Each file (`true` for a perimeter), or nothing, with its problems.
        type Read = (Option<(bool, SourceFile)>, Vec<Diagnostic>);
        let read: Vec<Read> = paths
            .par_iter()
            .map(|path| {
                let mut ds = Vec::new();
                let e = path.extension().and_then(|e| e.to_str()).unwrap_or("");
                let file = if dir == "territoires" && (e == "geojson" || e == "json") {
                    read_text(root, path, MAX_GEOJSON_BYTES, &mut ds).map(|f| (true, f))
                } else if e == ext {
                    read_text(root, path, MAX_TEXT_BYTES, &mut ds).map(|f| (false, f))
                } else {
                    None
                };
                (file, ds)
            })
            .collect();
        for (file, ds) in read {
            diags.extend(ds);
            match file {
                Some((true, f)) => {
                    sources.perimetres.insert(f.path.clone(), f);
                }
                Some((false, f)) => match dir {
                    "territoires" => sources.territoires.push(f),
                    "structures" => sources.structures.push(f),
                    "lieux" => sources.lieux.push(f),
                    _ => sources.pages.push(f),
                },
                None => {}
            }
        }
    }

    let themes = root.join("themes");
    for path in walk(root, &themes, &mut diags) {
        let rel = relative(&themes, &path);
        match fs::metadata(&path) {
            Ok(m) if m.len() > MAX_THEME_BYTES => diags.push(too_large(root, &path, MAX_THEME_BYTES)),
            Ok(_) => match fs::read(&path) {
                Ok(bytes) => {
                    sources.themes.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
                }
                Err(e) => diags.push(unreadable(root, &path, &e)),
            },
            Err(e) => diags.push(unreadable(root, &path, &e)),
        }
    }
    (sources, diags)
}

/// Files under `dir`, sorted, skipping hidden ones, refusing links that
/// leave the site folder.
fn walk(root: &Path, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let walker = WalkDir::new(dir)
        .follow_links(false)
        .max_depth(16)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| relative(root, p)).unwrap_or_else(|| relative(root, dir));
                diags.push(Diagnostic::error(path, None, format!("lecture impossible : {e}")));
                continue;
            }
        };
        let path = entry.path();
        if entry.path_is_symlink() {
            let inside = path.canonicalize().map(|t| t.starts_with(&canonical_root)).unwrap_or(false);
            if !inside {
                diags.push(
                    Diagnostic::error(
                        relative(root, path),
                        None,
                        "ce lien symbolique pointe hors du dossier du site : il est refusé",
                    )
                    .with_help("copiez le fichier dans le dossier du site au lieu d’y faire un lien"),
                );
                continue;
            }
            if path.is_file() {
                out.push(path.to_path_buf());
            }
            continue;
        }
        if entry.file_type().is_file() {
            out.push(path.to_path_buf());
        }
    }
    out
}

fn read_text(root: &Path, path: &Path, max: u64, diags: &mut Vec<Diagnostic>) -> Option<SourceFile> {
    let rel = relative(root, path);
    let len = match fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => {
            diags.push(unreadable(root, path, &e));
            return None;
        }
    };
    if len > max {
        diags.push(too_large(root, path, max));
        return None;
    }
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(unreadable(root, path, &e));
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            // A byte-order mark is invisible in editors; drop it rather than
            // report it.
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Some(SourceFile { path: rel, text })
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            let line = before.matches('\n').count() + 1;
            diags.push(
                Diagnostic::error(
                    rel,
                    None,
                    format!("ce fichier n’est pas encodé en UTF-8 (premier caractère illisible à la ligne {line})"),
                )
                .with_help(
                    "enregistrez le fichier en UTF-8 depuis votre éditeur (« Enregistrer sous… », encodage UTF-8)",
                ),
            );
            None
        }
    }
}

fn too_large(root: &Path, path: &Path, max: u64) -> Diagnostic {
    Diagnostic::error(relative(root, path), None, format!("ce fichier est trop gros (plus de {} Kio)", max / 1024))
        .with_help("une fiche tient en quelques Kio : vérifiez qu’il s’agit du bon fichier")
}

fn unreadable(root: &Path, path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(relative(root, path), None, format!("lecture impossible : {e}"))
}

/// `path` relative to `base`, with `/` separators.
pub fn relative(base: &Path, path: &Path) -> PathBuf {
    let rel = path.strip_prefix(base).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    PathBuf::from(parts.join("/"))
}
