//! Output: the only module that writes files.
//!
//! The new site is written into a staging folder beside the output folder
//! ([`Staging`], file by file as the build makes them; files the current
//! site already has, byte for byte, are hard-linked from it rather than
//! written again), then swapped in with two renames, so a failed or interrupted build never
//! leaves a half-written site and visitors of a served folder never see one.
//! A marker file records that alimap made the folder: alimap replaces an
//! output folder only if it carries the marker (or is empty), and so never
//! deletes what it did not write.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

use crate::render::{Digest, OutputFile};

/// Name of the marker file at the root of every folder alimap writes.
pub const MARKER: &str = ".alimap-build";

/// Writes `files` as the new content of `out`.
pub fn write(out: &Path, files: &[OutputFile]) -> Result<()> {
    let staging = Staging::begin(out)?;
    files.par_iter().for_each(|f| staging.put(f));
    staging.finish()
}

/// A new site being written beside `out`, file by file, so that a build
/// can hand over each page as soon as it is rendered instead of keeping
/// the whole site in memory. [`Staging::finish`] swaps it in; dropped
/// unfinished (a template error, a failed write), it removes the staging
/// folder and leaves the current site as it was.
pub struct Staging {
    out: PathBuf,
    staging: PathBuf,
    previous: PathBuf,
    /// The current site, whose identical files are linked rather than
    /// written again.
    current: Option<PathBuf>,
    /// Folders of the staging folder already created.
    dirs: Mutex<HashSet<PathBuf>>,
    /// The first failure of [`Staging::put`], reported by `finish`.
    failure: Mutex<Option<anyhow::Error>>,
    /// Whether there is one, read by every `put` without taking the lock.
    failed: AtomicBool,
    /// Set once the staging folder is complete: from then on it is left
    /// where it is, whatever happens (as an interrupted swap leaves it).
    complete: bool,
}

impl Staging {
    /// Checks that `out` may be replaced, clears what an interrupted build
    /// left, and creates the staging folder with its marker.
    pub fn begin(out: &Path) -> Result<Staging> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = out.file_name().context("le dossier de sortie doit avoir un nom")?.to_string_lossy().into_owned();
        if out.exists() && !is_ours(out)? {
            bail!(
                "le dossier `{}` existe et n’a pas été créé par alimap : il n’est pas modifié. \
                 Videz-le vous-même, ou choisissez un autre dossier avec `--sortie`",
                out.display()
            );
        }
        fs::create_dir_all(&parent).with_context(|| format!("création du dossier `{}`", parent.display()))?;
        let staging = parent.join(format!(".{name}.alimap-nouveau"));
        let previous = parent.join(format!(".{name}.alimap-ancien"));
        // Left over from an interrupted build: ours by name and marker.
        for leftover in [&staging, &previous] {
            if leftover.exists() {
                if !is_ours(leftover)? {
                    bail!("le dossier `{}` existe et n’a pas été créé par alimap : déplacez-le", leftover.display());
                }
                fs::remove_dir_all(leftover).with_context(|| format!("suppression de `{}`", leftover.display()))?;
            }
        }

        fs::create_dir_all(&staging).with_context(|| format!("création de `{}`", staging.display()))?;
        let this = Staging {
            out: out.to_path_buf(),
            current: out.exists().then(|| out.to_path_buf()),
            dirs: Mutex::new(HashSet::from([staging.clone()])),
            staging,
            previous,
            failure: Mutex::new(None),
            failed: AtomicBool::new(false),
            complete: false,
        };
        // From here on, dropping `this` removes the folder: ours, with its marker.
        fs::write(
            this.staging.join(MARKER),
            b"Dossier produit par alimap build ; il est remplace a chaque construction.\n",
        )
        .context("écriture du marqueur")?;
        Ok(this)
    }

    /// Writes one file into the staging folder; from any thread. A failure
    /// is kept for [`Staging::finish`] to report, and the files put after
    /// it are not written.
    pub fn put(&self, file: &OutputFile) {
        if self.failed.load(Ordering::Relaxed) {
            return;
        }
        if let Err(e) = self.write_one(file) {
            self.failed.store(true, Ordering::Relaxed);
            self.failure.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(e);
        }
    }

    fn write_one(&self, f: &OutputFile) -> Result<()> {
        let rel = safe_relative(&f.path)?;
        let path = self.staging.join(&rel);
        // Each folder once: on a site of thousands of pages, creating
        // files is most of the writing time, not asking again for folders.
        if let Some(dir) = path.parent() {
            let mut dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
            if !dirs.contains(dir) {
                fs::create_dir_all(dir).with_context(|| format!("création de `{}`", dir.display()))?;
                dirs.insert(dir.to_path_buf());
            }
        }
        // A file the current site already has, byte for byte, is linked
        // into the new one instead of written again: a rebuild then creates
        // only the files that changed, which is much faster than creating
        // thousands of files on most file systems.
        if let Some(current) = &self.current
            && same_file_content(&current.join(&rel), &f.bytes)
            && fs::hard_link(current.join(&rel), &path).is_ok()
        {
            return Ok(());
        }
        let mut file = fs::File::create(&path).with_context(|| format!("écriture de `{}`", path.display()))?;
        file.write_all(&f.bytes).with_context(|| format!("écriture de `{}`", path.display()))
    }

    /// Swaps the staging folder in as `out`, once every file is put; or,
    /// if a file could not be written, removes it and reports why.
    pub fn finish(mut self) -> Result<()> {
        if let Some(e) = self.failure.get_mut().unwrap_or_else(|e| e.into_inner()).take() {
            return Err(e);
        }
        self.complete = true;
        let (out, previous) = (&self.out, &self.previous);
        if out.exists() {
            fs::rename(out, previous).with_context(|| format!("déplacement de `{}`", out.display()))?;
        }
        fs::rename(&self.staging, out).with_context(|| format!("mise en place de `{}`", out.display()))?;
        if previous.exists() {
            remove_tree(previous).with_context(|| format!("suppression de `{}`", previous.display()))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // Unfinished: the staging folder is ours (made by `begin`, with the
        // marker); the current site was never touched.
        if !self.complete {
            let _ = remove_tree(&self.staging);
        }
    }
}

/// Whether `path` is a plain file (not a link to elsewhere) holding exactly
/// `bytes`.
fn same_file_content(path: &Path, bytes: &[u8]) -> bool {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => fs::read(path).is_ok_and(|b| b == bytes),
        _ => false,
    }
}

/// Removes a folder alimap wrote, deleting its files in parallel (as many
/// as the site has pages), then its folders, deepest first.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        let entry = entry?;
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
        } else {
            files.push(entry.into_path());
        }
    }
    files.par_iter().try_for_each(fs::remove_file)?;
    for d in dirs.iter().rev() {
        fs::remove_dir(d)?;
    }
    Ok(())
}

/// What [`update`] last wrote, so that the next update writes only what
/// changed.
#[derive(Default)]
pub struct Written {
    folder: Option<PathBuf>,
    files: HashMap<String, (usize, u64)>,
}

/// Writes `files` as the new content of `out`, for `alimap serve`: the
/// first time, with [`write`]; after that, as long as the folder is the one
/// `written` describes, only the files whose bytes changed (each replaced
/// with a rename, so the server never reads half a file), and removes those
/// no longer produced. A rebuild after a one-file change then writes a few
/// files instead of the whole site. `digests` are the files' own, made
/// when they were rendered: no file is read again here to compare it.
pub fn update(out: &Path, files: &[OutputFile], digests: &[Digest], written: &mut Written) -> Result<()> {
    let fingerprints: HashMap<String, (usize, u64)> =
        digests.iter().map(|d| (d.path.clone(), (d.len, d.hash))).collect();
    if written.folder.as_deref() != Some(out) || !out.join(MARKER).is_file() {
        write(out, files)?;
        *written = Written { folder: Some(out.to_path_buf()), files: fingerprints };
        return Ok(());
    }
    // After a failure the folder is in no known state: write it whole next
    // time.
    let previous = std::mem::take(written);
    let changed: Vec<&OutputFile> =
        files.iter().filter(|f| previous.files.get(&f.path) != fingerprints.get(&f.path)).collect();
    // In parallel: a point renamed changes dozens of files (its pages, the
    // search index, the map data).
    changed.par_iter().try_for_each(|f| -> Result<()> {
        let path = out.join(safe_relative(&f.path)?);
        let dir = path.parent().unwrap_or(out);
        fs::create_dir_all(dir).with_context(|| format!("création de `{}`", dir.display()))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let staging = dir.join(format!(".{name}.alimap-nouveau"));
        fs::write(&staging, &f.bytes).with_context(|| format!("écriture de `{}`", staging.display()))?;
        fs::rename(&staging, &path).with_context(|| format!("mise en place de `{}`", path.display()))
    })?;
    for old in previous.files.keys().filter(|p| !fingerprints.contains_key(*p)) {
        // Listed only because alimap wrote it into this folder.
        let path = out.join(safe_relative(old)?);
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("suppression de `{}`", path.display())),
        }
    }
    *written = Written { folder: previous.folder, files: fingerprints };
    Ok(())
}

/// A folder is ours if it carries the marker, or is empty.
pub fn is_ours(dir: &Path) -> Result<bool> {
    if !dir.is_dir() {
        return Ok(false);
    }
    if dir.join(MARKER).is_file() {
        return Ok(true);
    }
    let mut entries = fs::read_dir(dir).with_context(|| format!("lecture de `{}`", dir.display()))?;
    Ok(entries.next().is_none())
}

/// Refuses any path that could leave the output folder.
fn safe_relative(path: &str) -> Result<PathBuf> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && !path.contains('\\')
        && p.components().all(|c| matches!(c, Component::Normal(_)))
        && !p.starts_with(MARKER);
    if !ok {
        bail!("chemin de sortie refusé : `{path}`");
    }
    Ok(p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_escape_are_refused() {
        for bad in ["../x.html", "/etc/passwd", "a/../../b", "", "a\\..\\b", ".alimap-build"] {
            assert!(safe_relative(bad).is_err(), "{bad}");
        }
        assert!(safe_relative("lieux/a.html").is_ok());
    }
}
