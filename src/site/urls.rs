//! The site's URL scheme, in one place: where each file of the output
//! folder goes.
//!
//! Page links are relative to the page that holds them, so that the site
//! works under any sub-path and opened from disk: each function takes the
//! prefix `at` to put in front, `""` for a path from the root of a
//! language's pages, `"../"` from a page one folder down, or the site's URL
//! for an absolute link (the sitemap, the open data).
//!
//! [`outputs`] lists the paths content names, and [`check`] finds their
//! problems (two files on one path, a name too long) at validation, with
//! the files involved.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::model::{ACCESSIBILITE, MENTIONS, Origin, Site};
use crate::site::index::{Commune, Index, slug_of};

/// The home page, and the index page of each folder.
pub const ACCUEIL: &str = "index.html";
pub const STRUCTURES: &str = "structures/index.html";
pub const BESOINS: &str = "besoins/index.html";
pub const RECHERCHE: &str = "recherche.html";
/// Served by hosts for any missing path, at any depth.
pub const INTROUVABLE: &str = "404.html";
/// Shown by the service worker in place of a page never visited.
pub const HORS_LIGNE: &str = "hors-ligne.html";

/// The open data folder, at the site root, shared by every language, and
/// its page (in the site language's pages only).
pub const DONNEES: &str = "donnees";
pub const DONNEES_INDEX: &str = "donnees/index.html";
/// The export files in [`DONNEES`].
pub const CSV: &str = "lieux.csv";
pub const GEOJSON: &str = "lieux.geojson";
pub const STRUCTURES_JSON: &str = "structures.json";
pub const SERVICES_JSON: &str = "services.json";

pub fn lieu(at: &str, id: &str) -> String {
    format!("{at}lieux/{id}.html")
}

pub fn structure(at: &str, id: &str) -> String {
    format!("{at}structures/{id}.html")
}

pub fn territoire(at: &str, id: &str) -> String {
    format!("{at}territoires/{id}.html")
}

pub fn commune(at: &str, slug: &str) -> String {
    format!("{at}communes/{slug}.html")
}

/// The search page showing one kind of help (`aide`, a filter of
/// `static/recherche.js`).
pub fn recherche_aide(at: &str, service: &str) -> String {
    format!("{at}{RECHERCHE}?aide={service}")
}

/// The search page's list of every commune, for browsing without
/// JavaScript.
pub fn communes(at: &str) -> String {
    format!("{at}{RECHERCHE}#parcourir")
}

pub fn coordination(at: &str, id: &str) -> String {
    format!("{at}coordination/{id}.html")
}

pub fn guide(at: &str, id: &str) -> String {
    format!("{at}guide/{id}.html")
}

/// Page `n` (from 1) of a list cut into pages: the first keeps the path,
/// the others get `--<n>` before `.html`. Ids and slugs never hold two
/// dashes in a row, so no page takes another's name.
pub fn nth(path: String, n: usize) -> String {
    match (n, path.strip_suffix(".html")) {
        (2.., Some(stem)) => format!("{stem}--{n}.html"),
        _ => path,
    }
}

/// One commune's part of the guide of a territory too large for one.
pub fn guide_partie(at: &str, territoire: &str, commune_slug: &str) -> String {
    // A dot cannot be in an id or a slug, so no two parts share a name.
    format!("{at}guide/{territoire}.{commune_slug}.html")
}

/// A page of `content/pages/`, or one the build writes itself
/// ([`crate::model::MENTIONS`], [`crate::model::ACCESSIBILITE`]).
pub fn page(at: &str, id: &str) -> String {
    format!("{at}pages/{id}.html")
}

/// A territory's points as GeoJSON, in the open data folder.
pub fn territoire_geojson(id: &str) -> String {
    format!("{DONNEES}/territoires/{id}.geojson")
}

/// A territory's perimeter as GeoJSON, in the open data folder.
pub fn perimetre_geojson(id: &str) -> String {
    format!("{DONNEES}/territoires/{id}-perimetre.geojson")
}

/// A territory's standalone static map, in a language's folder (`lang`:
/// `""` or `"en/"`).
pub fn carte_svg(lang: &str, id: &str) -> String {
    format!("{lang}territoires/{id}-carte.svg")
}

/// The interactive map's data: every point, for the home page's map.
pub fn carte_tout(lang: &str) -> String {
    format!("assets/carte/{lang}tout.js")
}

/// The interactive map's data: one territory's points and perimeter.
pub fn carte_territoire(lang: &str, id: &str) -> String {
    format!("assets/carte/{lang}territoires/{id}.js")
}

/// Points per block of popup texts, `assets/carte/fiches/<n>.js`, in the
/// numbering of the search index ([`crate::site::index::Index::ordered`]): the map
/// data holds positions and kinds of help only, and names, hours and
/// conditions load when a marker shows or opens.
pub const FICHES: usize = 32;

/// The folder of the blocks of popup texts, from the site root.
pub fn carte_fiches(lang: &str) -> String {
    format!("assets/carte/{lang}fiches/")
}

/// Longest name of a file or folder of the output folder, in bytes: what
/// most file systems take (ext4, NTFS, APFS).
pub const MAX_NAME: usize = 255;

/// What an output file is made from: a file of the site (a territory,
/// structure, point or page, by its id), the points naming a commune (by
/// its slug), or alimap alone.
#[derive(Clone, Copy)]
pub(crate) enum Owner<'s> {
    Item(&'s Origin, Kind),
    Commune(&'s Commune<'s>),
    Alimap(&'static str),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Territoire,
    Structure,
    Lieu,
    Page,
}

/// The paths of the files a build writes for the content, from the
/// functions above and the site's index: the pages of the site's language
/// (other languages mirror them under `<code>/`) and the open data and
/// map files named after territories. Validation checks them (see
/// [`check`]); the render writes the same paths with the same functions.
/// Left out: pages alimap writes beside a content page of the same name,
/// which validation reports itself (the legal notice, the accessibility
/// statement), and the whole-site files under `assets/` and `recherche/`,
/// named by alimap alone.
pub(crate) fn outputs<'s>(site: &'s Site, index: &'s Index<'s>) -> Vec<(String, Owner<'s>)> {
    let mut out: Vec<(String, Owner<'s>)> = [
        (ACCUEIL, "la page d’accueil"),
        (STRUCTURES, "la liste des structures"),
        (BESOINS, "la page des besoins"),
        (RECHERCHE, "la page de recherche"),
        (INTROUVABLE, "la page « introuvable »"),
        (HORS_LIGNE, "la page hors ligne"),
        (DONNEES_INDEX, "la page des données ouvertes"),
    ]
    .into_iter()
    .map(|(p, what)| (p.to_string(), Owner::Alimap(what)))
    .collect();
    // Pages alimap writes under `pages/`, before the site's own pages so
    // that a Markdown page on their path is the one reported.
    out.push((page("", ACCESSIBILITE), Owner::Alimap("la déclaration d’accessibilité")));
    if site.config.mentions_legales.is_some() {
        out.push((page("", MENTIONS), Owner::Alimap("les mentions légales de `mentions_legales` (content/site.toml)")));
    }
    for f in [CSV, GEOJSON, STRUCTURES_JSON, SERVICES_JSON] {
        out.push((format!("{DONNEES}/{f}"), Owner::Alimap("un fichier de données ouvertes")));
    }
    out.push((carte_tout(""), Owner::Alimap("les données de la carte")));
    for t in &site.territoires {
        let o = Owner::Item(&t.origin, Kind::Territoire);
        for p in [
            territoire("", &t.id),
            coordination("", &t.id),
            guide("", &t.id),
            territoire_geojson(&t.id),
            perimetre_geojson(&t.id),
            carte_svg("", &t.id),
            carte_territoire("", &t.id),
        ] {
            out.push((p, o));
        }
    }
    out.extend(site.structures.iter().map(|s| (structure("", &s.id), Owner::Item(&s.origin, Kind::Structure))));
    out.extend(site.lieux.iter().map(|l| (lieu("", &l.id), Owner::Item(&l.origin, Kind::Lieu))));
    out.extend(site.pages.iter().map(|p| (page("", &p.id), Owner::Item(&p.origin, Kind::Page))));
    out.extend(index.communes.iter().map(|c| (commune("", &c.slug), Owner::Commune(c))));
    out.extend(index.guide_parts().map(|(t, c)| (guide_partie("", &t.id, &c.slug), Owner::Commune(c))));
    out
}

/// The problems of the output paths of `site`, found before anything is
/// rendered: two files on one path, a name too long for a file system, a
/// commune whose name makes no file name; and, as warnings, the communes
/// written several ways that the site makes one.
pub fn check(site: &Site) -> Vec<Diagnostic> {
    let index = Index::new(site);
    let mut diags = Vec::new();
    for c in &index.communes {
        commune_names(c, &mut diags);
    }
    let mut paths = outputs(site, &index);
    // By path, then owner as listed: what alimap names first, a commune
    // (made of several files) last.
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    let mut long = HashSet::new();
    for group in paths.chunk_by(|a, b| a.0 == b.0) {
        let (path, first) = (&group[0].0, group[0].1);
        if let Some(name) = path.split('/').find(|n| n.len() > MAX_NAME) {
            // One diagnostic per owner: a commune names several files.
            if let Some((file, span)) = owner_file(first)
                && long.insert(file)
            {
                diags.push(too_long(file, span, first, name));
            }
        }
        for (_, other) in &group[1..] {
            if let Some((file, span)) = owner_file(*other) {
                diags.push(same_path(file, span, path, *other, first));
            }
        }
    }
    diags
}

/// The file (and place in it) a diagnostic about `owner` points at; none
/// for alimap's own files (each listed once, first on its path).
fn owner_file<'s>(owner: Owner<'s>) -> Option<(&'s PathBuf, Option<Range<usize>>)> {
    match owner {
        Owner::Item(o, _) => Some((&o.file, None)),
        Owner::Commune(c) => c.lieux.first().map(|l| (&l.origin.file, l.origin.span("commune"))),
        Owner::Alimap(_) => None,
    }
}

fn describe(owner: Owner<'_>) -> String {
    match owner {
        Owner::Item(o, kind) => {
            let what = match kind {
                Kind::Territoire => "le territoire",
                Kind::Structure => "la structure",
                Kind::Lieu => "le lieu",
                Kind::Page => "la page",
            };
            format!("{what} de `{}`", o.file.display())
        }
        Owner::Commune(c) => match c.lieux.first() {
            Some(l) => format!("la commune « {} » (`{}`)", c.nom, l.origin.file.display()),
            None => format!("la commune « {} »", c.nom),
        },
        Owner::Alimap(what) => format!("{what}, que alimap écrit lui-même"),
    }
}

fn same_path(file: &Path, span: Option<Range<usize>>, path: &str, owner: Owner<'_>, first: Owner<'_>) -> Diagnostic {
    let help = match owner {
        Owner::Item(..) => {
            "renommez ce fichier : son nom (l’identifiant) fait le nom de ses pages et fichiers dans le site"
        }
        _ => "corrigez le nom de la commune, ou distinguez les deux communes par leur nom",
    };
    Diagnostic::error(
        file,
        span,
        format!("{} donnerait le fichier `{path}` du site, déjà pris par {}", describe(owner), describe(first)),
    )
    .with_help(help)
}

fn too_long(file: &Path, span: Option<Range<usize>>, owner: Owner<'_>, name: &str) -> Diagnostic {
    let message = match owner {
        Owner::Commune(_) => "ce nom de commune est trop long pour nommer une page du site",
        _ => "ce nom de fichier est trop long pour nommer une page du site",
    };
    Diagnostic::error(file, span, message).with_help(format!(
        "le nom de fichier « {}… » dépasserait {MAX_NAME} octets : raccourcissez-le",
        name.chars().take(40).collect::<String>()
    ))
}

/// A commune's name must give a file name, and is written one way.
fn commune_names(c: &Commune<'_>, diags: &mut Vec<Diagnostic>) {
    if slug_of(&c.nom).is_empty() {
        for l in &c.lieux {
            diags.push(
                Diagnostic::error(
                    &l.origin.file,
                    l.origin.span("commune"),
                    "ce nom de commune ne contient ni lettre ni chiffre",
                )
                .with_help("écrivez le nom de la commune, par exemple `commune = \"Saint-Denis\"`"),
            );
        }
        return;
    }
    let mut spellings: BTreeMap<&str, Vec<&Path>> = BTreeMap::new();
    for l in &c.lieux {
        spellings.entry(l.adresse.commune.as_str()).or_default().push(&l.origin.file);
    }
    if spellings.len() < 2 {
        return;
    }
    let Some(l) =
        c.lieux.iter().filter(|l| l.adresse.commune != c.nom).min_by(|a, b| a.origin.file.cmp(&b.origin.file))
    else {
        return;
    };
    let mut variants: Vec<(&str, Vec<&Path>)> = spellings.into_iter().collect();
    variants.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let listed: Vec<String> = variants
        .iter_mut()
        .map(|(name, files)| {
            files.sort();
            let shown: Vec<String> = files.iter().take(3).map(|f| format!("`{}`", f.display())).collect();
            let more = if files.len() > 3 { format!(" et {} autres", files.len() - 3) } else { String::new() };
            format!("« {name} » dans {}{more}", shown.join(", "))
        })
        .collect();
    diags.push(
        Diagnostic::warning(
            &l.origin.file,
            l.origin.span("commune"),
            format!(
                "la commune « {} » est écrite de {} façons : le site en fait une seule commune, nommée « {} »",
                c.nom,
                listed.len(),
                c.nom
            ),
        )
        .with_help(format!("écrivez-la partout de la même façon ; aujourd’hui : {}", listed.join(" ; "))),
    );
}
