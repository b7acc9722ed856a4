//! Loading: reads the site folder into memory, and nothing more.
//!
//! This is the only module that reads content from disk. It refuses what
//! could make the build read what is not content (a symbolic link leaving
//! `content/` and `themes/`, or leading to a hidden file such as
//! `.git/config`), names Windows reserves, files too large to be a
//! directory entry, and text that is not UTF-8, each with a diagnostic; it
//! says which files it ignores though they look meant to be read
//! ([`names`]). Everything after it works on [`Sources`].

mod names;

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;
use names::{Allowed, Name};

/// Largest TOML or Markdown file accepted: far more than any entry needs.
pub const MAX_TEXT_BYTES: u64 = 1024 * 1024;
/// Largest GeoJSON perimeter accepted.
pub const MAX_GEOJSON_BYTES: u64 = 32 * 1024 * 1024;
/// Largest theme file accepted.
pub const MAX_THEME_BYTES: u64 = 8 * 1024 * 1024;

/// One text file, with its path relative to the site folder (`/`-separated).
/// The text is shared: the diagnostics' source map and the next build of
/// `alimap serve` (when the file did not change) hold the same text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
}

/// What `alimap serve` keeps of the text files read, so that a rebuild
/// reads again only the files that changed on disk: each file's text, by
/// path, with what its metadata said when it was read.
#[derive(Default)]
pub struct Cache {
    files: HashMap<PathBuf, (Stamp, Arc<str>)>,
}

/// What a file's metadata says of its content: size, modification and
/// status-change times and, on Unix, inode (an editor that saves by
/// renaming a new file over the old one gives a new inode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: SystemTime,
    changed: (i64, i64),
    inode: u64,
}

/// A file modified this shortly before it was read could be modified again
/// within the same tick of a coarse file system clock without its stamp
/// changing: its text is not kept, and the next build reads it again (what
/// git does for "racily clean" files).
const RACY: Duration = Duration::from_secs(2);

impl Stamp {
    fn of(m: &fs::Metadata) -> Option<Stamp> {
        #[cfg(unix)]
        let (changed, inode) = {
            use std::os::unix::fs::MetadataExt;
            ((m.ctime(), m.ctime_nsec()), m.ino())
        };
        #[cfg(not(unix))]
        let (changed, inode) = ((0, 0), 0);
        Some(Stamp { len: m.len(), modified: m.modified().ok()?, changed, inode })
    }

    /// Whether the file may have changed since `read_at` without its stamp
    /// showing it.
    fn racy(&self, read_at: SystemTime) -> bool {
        self.modified + RACY >= read_at
    }
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
    load_with(root, None)
}

/// [`load`], taking from `cache` the text of each file whose metadata did
/// not change since it was read, and updating `cache`.
pub fn load_with(root: &Path, cache: Option<&mut Cache>) -> (Sources, Vec<Diagnostic>) {
    let read_at = SystemTime::now();
    // The texts read last time, and the cache to fill with this time's.
    let (known, mut cache) = match cache {
        Some(c) => (Some(std::mem::take(&mut c.files)), Some(c)),
        None => (None, None),
    };
    let known = known.as_ref();
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

    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let site_toml = content.join("site.toml");
    let site_link = fs::symlink_metadata(&site_toml).is_ok_and(|m| m.file_type().is_symlink());
    let refused = site_link
        .then(|| {
            let allowed = Allowed { root: &canonical_root, folders: &["content"], exts: &["toml"] };
            names::link_problem(&site_toml, &allowed)
        })
        .flatten();
    if let Some((message, help)) = refused {
        diags.push(Diagnostic::error(relative(root, &site_toml), None, message).with_help(help));
    } else if site_toml.is_file() {
        sources.site = read_text(root, &site_toml, MAX_TEXT_BYTES, &mut diags);
    } else {
        diags.push(
            Diagnostic::error("content/site.toml", None, "le fichier `content/site.toml` manque")
                .with_help("créez-le avec au moins `titre`, `description` et `url`"),
        );
    }

    for (dir, ext) in [("territoires", "toml"), ("structures", "toml"), ("lieux", "toml"), ("pages", "md")] {
        let exts: &[&str] = if dir == "territoires" { &["toml", "geojson", "json"] } else { &[ext] };
        let paths = walk(root, &canonical_root, &content.join(dir), Some(exts), &mut diags);
        // Thousands of small files on a large site: read in parallel, kept
        // in path order, with each file's problems in that order too.
        // Each file (`true` for a perimeter), or nothing, with its problems.
        type Read = (Option<(bool, SourceFile)>, Vec<Diagnostic>);
        let read: Vec<(Read, Option<Stamp>)> = paths
            .par_iter()
            .map(|path| {
                let mut ds = Vec::new();
                let e = path.extension().and_then(|e| e.to_str()).unwrap_or("");
                let max = if dir == "territoires" && (e == "geojson" || e == "json") {
                    Some((true, MAX_GEOJSON_BYTES))
                } else {
                    (e == ext).then_some((false, MAX_TEXT_BYTES))
                };
                let Some((perimeter, max)) = max else { return ((None, ds), None) };
                // Without a cache (`alimap build`), no stamp: one `stat` less
                // per file.
                let stamp = known.and_then(|_| fs::metadata(path).ok()).as_ref().and_then(Stamp::of);
                let same = known.and_then(|k| k.get(path)).filter(|(was, _)| Some(*was) == stamp);
                let file = match same {
                    Some((_, text)) => Some(SourceFile { path: relative(root, path), text: text.clone() }),
                    None => read_text(root, path, max, &mut ds),
                };
                ((file.map(|f| (perimeter, f)), ds), stamp.filter(|s| !s.racy(read_at)))
            })
            .collect();
        for (path, ((file, ds), stamp)) in paths.iter().zip(read) {
            diags.extend(ds);
            if let (Some(cache), Some((_, f)), Some(stamp)) = (cache.as_deref_mut(), &file, stamp) {
                cache.files.insert(path.clone(), (stamp, f.text.clone()));
            }
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
    for path in walk(root, &canonical_root, &themes, None, &mut diags) {
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

/// Files under `dir` to read, sorted. In a content folder taking `exts`,
/// the files whose name ends with one of them (others ignored, with a
/// warning when they look meant to be read); in `themes/` (`exts` `None`),
/// every file but hidden ones. Hidden folders are skipped; names Windows
/// reserves are errors; a symbolic link is followed only to a file of the
/// same kind in the same top folder (`content/` or `themes/`).
fn walk(
    root: &Path,
    canonical_root: &Path,
    dir: &Path,
    exts: Option<&[&str]>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    let top = if exts.is_some() { "content" } else { "themes" };
    // The folder itself (or `content/`) could be a link: it must lead to
    // where it seems to be.
    let resolved = dir.canonicalize().ok();
    let here = resolved.as_deref().and_then(|d| d.strip_prefix(canonical_root).ok());
    let fine = here.is_some_and(|h| {
        h.starts_with(top)
            && h.components().all(|c| !matches!(c, Component::Normal(s) if s.to_string_lossy().starts_with('.')))
    });
    if !fine {
        diags.push(
            Diagnostic::error(
                relative(root, dir),
                None,
                format!("ce dossier est un lien symbolique qui mène hors de `{top}/` : il est refusé"),
            )
            .with_help("remplacez le lien par le dossier lui-même"),
        );
        return out;
    }
    let walker = WalkDir::new(dir).follow_links(false).max_depth(16).into_iter().filter_entry(|e| {
        e.depth() == 0 || !(e.file_type().is_dir() && e.file_name().to_string_lossy().starts_with('.'))
    });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| relative(root, p)).unwrap_or_else(|| relative(root, dir));
                diags.push(Diagnostic::error(path, None, format!("lecture impossible : {e}")));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let path = entry.path();
        let file_name = entry.file_name().to_string_lossy();
        if names::reserved_on_windows(&file_name) {
            diags.push(names::reserved(&relative(root, path), &file_name, entry.file_type().is_dir()));
        }
        if entry.file_type().is_dir() {
            continue;
        }
        match exts.map(|exts| names::name(&file_name, exts)) {
            None if file_name.starts_with('.') => continue,
            None | Some(Name::Taken) => {}
            Some(Name::NearMiss(why, fixed)) => {
                let ext = fixed.rsplit_once('.').map_or("", |(_, e)| e);
                diags.push(names::near_miss(&relative(root, path), why, &fixed, ext));
                continue;
            }
            Some(Name::Other) => continue,
        }
        if entry.path_is_symlink() {
            let own_ext = [path.extension().and_then(|e| e.to_str()).unwrap_or("")];
            let allowed =
                Allowed { root: canonical_root, folders: &[top], exts: if exts.is_some() { &own_ext } else { &[] } };
            match names::link_problem(path, &allowed) {
                Some((message, help)) => {
                    diags.push(Diagnostic::error(relative(root, path), None, message).with_help(help))
                }
                None => out.push(path.to_path_buf()),
            }
            continue;
        }
        if entry.file_type().is_file() {
            out.push(path.to_path_buf());
        }
    }
    // In the order of a walk that visits each folder's entries by name (a
    // sub-folder's files where its name falls), from one key per path:
    // sorting by name inside the walk takes the paths apart again at each
    // comparison, a large part of loading thousands of files.
    out.sort_by_cached_key(|p| walk_order(p));
    out
}

/// `path`'s bytes with each separator made the lowest byte: comparing two
/// keys compares the paths' components one by one, as names.
fn walk_order(path: &Path) -> Vec<u8> {
    let bytes = path.as_os_str().as_encoded_bytes();
    bytes.iter().map(|&b| if b.is_ascii() && std::path::is_separator(char::from(b)) { 0 } else { b }).collect()
}

fn read_text(root: &Path, path: &Path, max: u64, diags: &mut Vec<Diagnostic>) -> Option<SourceFile> {
    let rel = relative(root, path);
    // Opened once: its size from the open file, then its bytes (no second
    // look-up of the path, which costs as much as reading a small file).
    let read = fs::File::open(path).and_then(|mut file| {
        let len = file.metadata()?.len();
        if len > max {
            return Ok(None);
        }
        let mut bytes = Vec::with_capacity(len as usize);
        file.read_to_end(&mut bytes)?;
        Ok(Some(bytes))
    });
    let bytes = match read {
        Ok(Some(b)) => b,
        Ok(None) => {
            diags.push(too_large(root, path, max));
            return None;
        }
        // Size is checked before readability, as it always was: a file
        // too large but unreadable is reported too large.
        Err(_) if fs::metadata(path).is_ok_and(|m| m.len() > max) => {
            diags.push(too_large(root, path, max));
            return None;
        }
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
            Some(SourceFile { path: rel, text: text.into() })
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
    // Written into one string: this runs for every file loaded.
    let mut out = String::with_capacity(rel.as_os_str().len());
    for c in rel.components() {
        if let Component::Normal(s) = c {
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(&s.to_string_lossy());
        }
    }
    PathBuf::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site folder with one point, last modified an hour ago.
    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("content/lieux")).unwrap();
        fs::write(dir.path().join("content/site.toml"), "titre = \"T\"\n").unwrap();
        fs::write(dir.path().join("content/lieux/a.toml"), "nom = \"A\"\n").unwrap();
        age(&dir.path().join("content/lieux/a.toml"));
        dir
    }

    fn age(path: &Path) {
        let hour_ago = SystemTime::now() - Duration::from_secs(3600);
        fs::File::options().write(true).open(path).unwrap().set_modified(hour_ago).unwrap();
    }

    fn point(sources: &Sources) -> &Arc<str> {
        &sources.lieux[0].text
    }

    #[test]
    fn a_file_unchanged_on_disk_is_not_read_again() {
        let dir = site();
        let mut cache = Cache::default();
        let (first, _) = load_with(dir.path(), Some(&mut cache));
        let (second, _) = load_with(dir.path(), Some(&mut cache));
        assert!(Arc::ptr_eq(point(&first), point(&second)), "the kept text is reused");
        // site.toml was written just now: too recent to trust its stamp.
        assert!(!Arc::ptr_eq(&first.site.unwrap().text, &second.site.unwrap().text));
    }

    #[test]
    fn a_file_rewritten_with_the_same_size_and_date_is_read_again() {
        let dir = site();
        let path = dir.path().join("content/lieux/a.toml");
        let mut cache = Cache::default();
        load_with(dir.path(), Some(&mut cache));
        let before = fs::metadata(&path).unwrap().modified().unwrap();
        // Same length, same modification time: only the status change time
        // (and, for an editor saving by renaming, the inode) tells.
        fs::write(&path, "nom = \"B\"\n").unwrap();
        fs::File::options().write(true).open(&path).unwrap().set_modified(before).unwrap();
        let (sources, _) = load_with(dir.path(), Some(&mut cache));
        assert_eq!(&**point(&sources), "nom = \"B\"\n");
    }

    #[test]
    fn files_come_in_the_order_of_a_walk_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        for f in ["ab.toml", "a.toml", "a-b/x.toml", "a/z.toml", "a/x.toml", "a/b/c.toml"] {
            let path = content.join(f);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "").unwrap();
        }
        let root = dir.path().canonicalize().unwrap();
        let found = walk(&root, &root, &root.join("content"), Some(&["toml"]), &mut Vec::new());
        let found: Vec<PathBuf> = found.iter().map(|p| relative(&root.join("content"), p)).collect();
        let expected = ["a/b/c.toml", "a/x.toml", "a/z.toml", "a-b/x.toml", "a.toml", "ab.toml"];
        assert_eq!(found, expected.map(PathBuf::from));
    }

    #[test]
    fn a_removed_file_is_forgotten() {
        let dir = site();
        let mut cache = Cache::default();
        load_with(dir.path(), Some(&mut cache));
        fs::remove_file(dir.path().join("content/lieux/a.toml")).unwrap();
        let (sources, _) = load_with(dir.path(), Some(&mut cache));
        assert!(sources.lieux.is_empty());
        assert!(cache.files.keys().all(|p| !p.ends_with("a.toml")));
    }
}
