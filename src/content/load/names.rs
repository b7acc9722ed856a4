//! What the names of the site's files and links may be: the checks
//! loading makes before it reads a file.
//!
//! A file of a content folder is read when its name ends with the folder's
//! extension; a name that looks meant to be read (`x.TOML`, `x.toml.txt`,
//! `x.tml`, `.x.toml`) is said to be ignored, with the name to give it. A
//! name Windows reserves (`con.toml`, `aux`, `com1.md`) is an error: the
//! repository could no longer be checked out there. A symbolic link is
//! followed only to a file of the same kind inside `content/` or `themes/`,
//! never to a hidden file or folder (`.git/config`, `.env`); what it leads
//! to is never read nor shown when it is refused.

use std::path::{Component, Path};

use crate::diagnostic::Diagnostic;

/// How a file's name reads in a content folder taking `exts` (the first
/// one the extension to suggest).
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Name {
    /// Read.
    Taken,
    /// Ignored, though it looks meant to be read: why, and the name to give it.
    NearMiss(&'static str, String),
    /// Ignored without a word (`README`, `photo.jpg`, `.gitkeep`, an
    /// editor's backup).
    Other,
}

pub(super) fn name(name: &str, exts: &[&str]) -> Name {
    // Editors' backups and swap files sit beside the files being edited.
    if name.ends_with('~')
        || name.starts_with('#')
        || name.starts_with(".#")
        || [".swp", ".swo", ".swx", ".tmp", ".bak", ".orig"].iter().any(|e| name.to_ascii_lowercase().ends_with(e))
    {
        return Name::Other;
    }
    let visible = name.trim_start_matches('.');
    let Some((fixed, why)) = fixed(visible, exts) else { return Name::Other };
    if visible.len() < name.len() {
        return Name::NearMiss("son nom commence par un point : c’est un fichier caché", fixed);
    }
    match why {
        None => Name::Taken,
        Some(why) => Name::NearMiss(why, fixed),
    }
}

/// The name `visible` should have to be read, with why it differs (`None`
/// when it is that name already).
fn fixed(visible: &str, exts: &[&str]) -> Option<(String, Option<&'static str>)> {
    let (stem, ext) = visible.rsplit_once('.')?;
    if stem.is_empty() {
        return None;
    }
    if exts.contains(&ext) {
        return Some((visible.to_string(), None));
    }
    let lower = ext.trim().to_lowercase();
    if let Some(e) = exts.iter().find(|e| **e == lower) {
        let why = if ext.trim() == ext {
            "son extension doit être écrite en minuscules"
        } else {
            "son extension est suivie d’une espace"
        };
        return Some((format!("{stem}.{e}"), Some(why)));
    }
    // `x.toml.txt`: Windows hides the last extension.
    if let Some((inner, inner_ext)) = stem.rsplit_once('.')
        && !inner.is_empty()
        && let Some(e) = exts.iter().find(|e| e.eq_ignore_ascii_case(inner_ext))
    {
        return Some((format!("{inner}.{e}"), Some("son nom a une seconde extension après la bonne")));
    }
    // `x.tml`, `x.tmol`: a typo in the extension.
    if lower.chars().count() >= 2
        && let Some(e) = exts.iter().find(|e| e.len() >= 2 && strsim::osa_distance(e, &lower) == 1)
    {
        return Some((format!("{stem}.{e}"), Some("son extension est mal écrite")));
    }
    None
}

/// The warning for a file ignored though it looks meant to be read.
pub(super) fn near_miss(file: &Path, why: &str, fixed: &str, ext: &str) -> Diagnostic {
    Diagnostic::warning(file, None, format!("ce fichier est ignoré : {why} (seuls les fichiers `*.{ext}` sont lus)"))
        .with_help(format!("pour qu’il soit lu, renommez-le `{fixed}`"))
}

/// Whether Windows reserves `name` (CON, PRN, AUX, NUL, COM1 to COM9,
/// LPT1 to LPT9, in any case, with any extension): such a file cannot be
/// created there, and a repository holding one cannot be checked out.
pub(super) fn reserved_on_windows(name: &str) -> bool {
    let base = name.split('.').next().unwrap_or("").trim_end_matches(' ').to_ascii_uppercase();
    match base.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" => true,
        _ => {
            let (Some(head), Some(digit)) = (base.get(..3), base.get(3..)) else { return false };
            matches!(head, "COM" | "LPT")
                && matches!(digit, "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³")
        }
    }
}

pub(super) fn reserved(file: &Path, name: &str, folder: bool) -> Diagnostic {
    let (base, rest) = name.split_at(name.find('.').unwrap_or(name.len()));
    let what = if folder { "ce dossier" } else { "ce fichier" };
    Diagnostic::error(
        file,
        None,
        format!("« {name} » est un nom que Windows réserve : avec {what}, le dépôt ne peut plus être récupéré sur un ordinateur Windows"),
    )
    .with_help(format!("renommez-le, par exemple `{base}-1{rest}` ou un nom plus parlant (les noms CON, PRN, AUX, NUL, COM1 à COM9 et LPT1 à LPT9 sont réservés, quelle que soit l’extension)"))
}

/// Where a link may lead: inside one of the site's `folders`, to no
/// hidden file or folder, to a file with one of `exts` (any, when empty).
pub(super) struct Allowed<'a> {
    /// The site folder, resolved.
    pub(super) root: &'a Path,
    pub(super) folders: &'a [&'a str],
    pub(super) exts: &'a [&'a str],
}

/// Why the link at `link` is refused, if it is: `None` when it leads to a
/// regular file `allowed` takes. Only the target's path is looked at.
pub(super) fn link_problem(link: &Path, allowed: &Allowed<'_>) -> Option<(String, &'static str)> {
    let outside = || {
        Some((
            "ce lien symbolique pointe hors du dossier du site : il est refusé".to_string(),
            "copiez le fichier dans le dossier du site au lieu d’y faire un lien",
        ))
    };
    let Ok(target) = link.canonicalize() else {
        return Some((
            "ce lien symbolique ne mène à aucun fichier : il est refusé".into(),
            "supprimez le lien, ou faites-le pointer vers une fiche existante",
        ));
    };
    let Ok(inside) = target.strip_prefix(allowed.root) else { return outside() };
    let mut parts = inside.components();
    let top = parts.next();
    let hidden = inside.components().any(|c| matches!(c, Component::Normal(s) if s.to_string_lossy().starts_with('.')));
    if hidden {
        return Some((
            "ce lien symbolique mène à un fichier caché ou dans un dossier caché (comme `.git/`) : il est refusé"
                .into(),
            "un lien ne peut mener qu’à une autre fiche de `content/` ou à un fichier de `themes/` : copiez le contenu voulu dans ce fichier",
        ));
    }
    let in_folder = matches!(top, Some(Component::Normal(s)) if allowed.folders.iter().any(|f| s == *f));
    if !in_folder {
        let folders: Vec<String> = allowed.folders.iter().map(|f| format!("`{f}/`")).collect();
        return Some((
            format!("ce lien symbolique mène hors de {} : il est refusé", folders.join(" et ")),
            "un lien ne peut mener qu’à une autre fiche de `content/` ou à un fichier de `themes/` : copiez le contenu voulu dans ce fichier",
        ));
    }
    if target.is_dir() {
        return Some((
            "ce lien symbolique mène à un dossier : il n’est pas suivi".into(),
            "déplacez les fichiers voulus dans ce dossier-ci, ou faites un lien par fichier",
        ));
    }
    if !target.is_file() {
        return outside();
    }
    let ext = target.extension().and_then(|e| e.to_str()).unwrap_or("");
    if !allowed.exts.is_empty() && !allowed.exts.contains(&ext) {
        let exts: Vec<String> = allowed.exts.iter().map(|e| format!("`.{e}`")).collect();
        return Some((
            format!(
                "ce lien symbolique mène à un fichier d’un autre type (un fichier {} est attendu) : il est refusé",
                exts.join(" ou ")
            ),
            "un lien ne peut mener qu’à une fiche du même type : copiez le contenu voulu dans ce fichier",
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_are_told_apart_from_other_files() {
        let toml = &["toml"];
        assert_eq!(name("a.toml", toml), Name::Taken);
        for (file, fixed) in [
            ("a.TOML", "a.toml"),
            ("a.Toml", "a.toml"),
            ("a.toml.txt", "a.toml"),
            ("a.tml", "a.toml"),
            ("a.tmol", "a.toml"),
            (".a.toml", "a.toml"),
            ("..a.TOML", "a.toml"),
        ] {
            assert!(matches!(name(file, toml), Name::NearMiss(_, f) if f == fixed), "{file}");
        }
        for file in ["README", "photo.jpg", ".gitkeep", ".DS_Store", "a.toml~", ".a.toml.swp", "#a.toml#", "a.json"] {
            assert_eq!(name(file, toml), Name::Other, "{file}");
        }
        assert!(matches!(name("a.MD", &["md"]), Name::NearMiss(_, f) if f == "a.md"));
        assert_eq!(name("a.geojson", &["toml", "geojson", "json"]), Name::Taken);
    }

    #[test]
    fn windows_reserved_names_in_any_case_and_with_any_extension() {
        for n in ["con.toml", "CON", "Aux.md", "nul.tar.gz", "com1.toml", "LPT9.geojson", "prn"] {
            assert!(reserved_on_windows(n), "{n}");
        }
        for n in
            ["console.toml", "éé", "cöm1", "com10.toml", "com0.toml", "lpt.toml", "aux-1.toml", "connexion.md", "nulle"]
        {
            assert!(!reserved_on_windows(n), "{n}");
        }
    }
}
