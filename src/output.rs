//! Output: the only module that writes files.
//!
//! The new site is written into a staging folder beside the output folder
//! (files the current site already has, byte for byte, are hard-linked
//! from it rather than written again), then swapped in with two renames, so a failed or interrupted build never
//! leaves a half-written site and visitors of a served folder never see one.
//! A marker file records that alimap made the folder: alimap replaces an
//! output folder only if it carries the marker (or is empty), and so never
//! deletes what it did not write.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

use crate::render::OutputFile;

/// Name of the marker file at the root of every folder alimap writes.
pub const MARKER: &str = ".alimap-build";

/// Writes `files` as the new content of `out`.
pub fn write(out: &Path, files: &[OutputFile]) -> Result<()> {
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
    fs::write(staging.join(MARKER), b"Dossier produit par alimap build ; il est remplace a chaque construction.\n")
        .context("écriture du marqueur")?;
    // Folders first, once each; then the files, in parallel: on a site of
    // thousands of pages, creating files is most of the writing time.
    let paths = files.iter().map(|f| Ok(staging.join(safe_relative(&f.path)?))).collect::<Result<Vec<_>>>()?;
    let dirs: BTreeSet<&Path> = paths.iter().filter_map(|p| p.parent()).collect();
    for dir in dirs {
        fs::create_dir_all(dir).with_context(|| format!("création de `{}`", dir.display()))?;
    }
    let current = out.exists().then_some(out);
    files.par_iter().zip(&paths).try_for_each(|(f, path)| {
        // A file the current site already has, byte for byte, is linked
        // into the new one instead of written again: a rebuild then creates
        // only the files that changed, which is much faster than creating
        // thousands of files on most file systems.
        if let Some(current) = current
            && let Ok(rel) = path.strip_prefix(&staging)
            && same_file_content(&current.join(rel), &f.bytes)
            && fs::hard_link(current.join(rel), path).is_ok()
        {
            return Ok(());
        }
        let mut file = fs::File::create(path).with_context(|| format!("écriture de `{}`", path.display()))?;
        file.write_all(&f.bytes).with_context(|| format!("écriture de `{}`", path.display()))
    })?;

    if out.exists() {
        fs::rename(out, &previous).with_context(|| format!("déplacement de `{}`", out.display()))?;
    }
    fs::rename(&staging, out).with_context(|| format!("mise en place de `{}`", out.display()))?;
    if previous.exists() {
        remove_tree(&previous).with_context(|| format!("suppression de `{}`", previous.display()))?;
    }
    Ok(())
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
/// files instead of the whole site.
pub fn update(out: &Path, files: &[OutputFile], written: &mut Written) -> Result<()> {
    let fingerprints: HashMap<String, (usize, u64)> =
        files.par_iter().map(|f| (f.path.clone(), (f.bytes.len(), fingerprint(&f.bytes)))).collect();
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

/// XXH3: fast enough to go over every output file at each rebuild.
fn fingerprint(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
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
