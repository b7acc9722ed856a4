//! Output: the only module that writes files.
//!
//! The new site is written into a staging folder beside the output folder,
//! then swapped in with two renames, so a failed or interrupted build never
//! leaves a half-written site and visitors of a served folder never see one.
//! A marker file records that alimap made the folder: alimap replaces an
//! output folder only if it carries the marker (or is empty), and so never
//! deletes what it did not write.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};

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
    for f in files {
        let rel = safe_relative(&f.path)?;
        let path = staging.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("création de `{}`", dir.display()))?;
        }
        let mut file = fs::File::create(&path).with_context(|| format!("écriture de `{}`", path.display()))?;
        file.write_all(&f.bytes).with_context(|| format!("écriture de `{}`", path.display()))?;
    }

    if out.exists() {
        fs::rename(out, &previous).with_context(|| format!("déplacement de `{}`", out.display()))?;
    }
    fs::rename(&staging, out).with_context(|| format!("mise en place de `{}`", out.display()))?;
    if previous.exists() {
        fs::remove_dir_all(&previous).with_context(|| format!("suppression de `{}`", previous.display()))?;
    }
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
