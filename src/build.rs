//! The pipeline: load, parse, validate, render, write. One direction, each
//! step fed by the previous one's result.
//!
//! Every step runs even when an earlier one found problems, as far as it
//! can, so that a volunteer sees all problems in one run. Writing happens
//! only when no step reported an error: a broken pull request never
//! replaces a working site.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use chrono::NaiveDate;

use crate::content::{load, parse, validate};
use crate::diagnostic::{Diagnostics, SourceMap};
use crate::site::urls;
use crate::{output, render, theme};

#[derive(Clone, Debug)]
pub struct Options {
    /// The site folder (holding `content/`).
    pub root: PathBuf,
    /// Where to write; `None` checks without writing.
    pub output: Option<PathBuf>,
    /// The day the site is built for: hours and closures are shown from it.
    pub today: NaiveDate,
}

#[derive(Debug, Default)]
pub struct Summary {
    pub pages: usize,
    pub territoires: usize,
    pub structures: usize,
    pub lieux: usize,
    pub duration: Duration,
}

/// What a build produced: diagnostics (with the texts to show them), and a
/// summary when the site was rendered.
#[derive(Debug)]
pub struct Report {
    pub diagnostics: Diagnostics,
    pub sources: SourceMap,
    pub summary: Option<Summary>,
    /// How many files could not be read (their errors say why).
    pub unread: usize,
}

/// What the builds of one `alimap serve` session keep from one to the
/// next, so that a rebuild redoes only what changed.
#[derive(Default)]
pub struct Cache {
    load: load::Cache,
    parse: parse::Cache,
    pages: render::memo::Memo,
    written: output::Written,
}

pub fn build(opts: &Options) -> Result<Report> {
    run(opts, None)
}

/// [`build`] again after a change, reusing what `cache` kept from the
/// previous build. The files written are the same as [`build`]'s.
pub fn rebuild(opts: &Options, cache: &mut Cache) -> Result<Report> {
    run(opts, Some(cache))
}

fn run(opts: &Options, mut cache: Option<&mut Cache>) -> Result<Report> {
    let started = Instant::now();
    // Where to write: checked, and a symbolic link followed, before
    // anything is read.
    if let Some(out) = &opts.output {
        check_output_place(&opts.root, out)?;
    }
    let output = opts.output.as_deref().map(output::destination).transpose()?;
    let opts = &Options { output, ..opts.clone() };
    let progress = Progress::new();
    let mut diagnostics = Diagnostics::default();

    // 1. Load: read content/ and themes/ into memory. The only disk reads.
    //    serve reads again only the files that changed on disk.
    progress.step("lecture des fichiers");
    let (sources, ds) = load::load_with(&opts.root, cache.as_deref_mut().map(|c| &mut c.load));
    diagnostics.extend(ds);
    // 2. Parse each file on its own, in parallel: types, vocabularies, formats.
    progress.step(&format!(
        "analyse de {} fiches",
        sources.lieux.len() + sources.structures.len() + sources.territoires.len()
    ));
    let (parsed, ds) = parse::parse_with(&sources, cache.as_deref_mut().map(|c| &mut c.parse));
    diagnostics.extend(ds);
    let unread = parsed.unread.files;

    // 3. Validate what needs several files: references, territories, dates.
    //    `alimap build` reads the output folder's manifests meanwhile, on
    //    the other thread: validation mostly runs on one.
    let building = cache.is_none();
    let read_manifests = || opts.output.as_deref().filter(|_| building).map(output::Manifests::read);
    let ((site, ds), manifests) = rayon::join(|| validate::validate(parsed, opts.today), read_manifests);
    diagnostics.extend(ds);
    //    The output paths too, from the URL scheme and the site's index
    //    the render uses: two files on one path, a name too long.
    if let Some(site) = &site {
        diagnostics.extend(urls::check(site));
    }
    diagnostics.sort();

    // After validation, a point's text serves only to show its diagnostics,
    // and the render names no point's file: the texts of the others are
    // freed now, on a thread of their own, so that the render reuses their
    // memory (143 MB at 100,000 points). `alimap serve` keeps them in its
    // cache anyway.
    let mut sources = sources;
    if building {
        let named: HashSet<&Path> = diagnostics.0.iter().map(|d| d.file.as_path()).collect();
        let (shown, freed): (Vec<_>, Vec<_>) =
            std::mem::take(&mut sources.lieux).into_iter().partition(|f| named.contains(f.path.as_path()));
        sources.lieux = shown;
        let _ = std::thread::Builder::new().name("liberation".into()).spawn(move || drop(freed));
    }

    let report = |diagnostics, summary| {
        let sources = source_map(&sources, &diagnostics);
        Ok(Report { diagnostics, sources, summary, unread })
    };
    let Some(site) = site.filter(|_| !diagnostics.has_errors()) else {
        return report(diagnostics, None);
    };

    // 4. Render every page in parallel, with the site's theme over the
    //    embedded default; 5. write, swapping the new site in only once it
    //    is complete.
    progress.step(&format!("rendu de {} lieux", site.lieux.len()));
    let theme = theme::Theme::assemble(&site.config.theme, &sources.themes);
    let pages = match cache {
        // `alimap serve`: the files stay in memory; only those that changed
        // are written, and the pages go to the memo for the next build.
        Some(c) => {
            let rendered = render::render_in_memory(&site, &theme, opts.today, Some(&mut c.pages));
            let (files, digests) = match rendered.and_then(|(f, d)| unwritable(&d).map(|()| (f, d))) {
                Ok(rendered) => rendered,
                Err(ds) => {
                    diagnostics.extend(ds);
                    return report(diagnostics, None);
                }
            };
            if let Some(out) = &opts.output {
                progress.step(&format!("écriture de {} fichiers", files.len()));
                output::update(out, &files, &digests, &mut c.written)?;
            }
            let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
            c.pages.keep(files);
            pages
        }
        // `alimap build`: each file goes to the staging folder as soon as
        // it is rendered, so the site is never all in memory and writing
        // overlaps rendering. `alimap check` keeps nothing.
        None => {
            let staging = opts
                .output
                .as_deref()
                .map(|out| output::Staging::begin_with(out, manifests.unwrap_or_else(|| output::Manifests::read(out))))
                .transpose()?;
            let put = |f: output::OutputFile, d: &output::Digest| {
                if let Some(s) = &staging {
                    s.put(&f, d.hash);
                }
            };
            let rendered = render::render_with(&site, &theme, opts.today, None, &put);
            let digests = match rendered.and_then(|d| unwritable(&d).map(|()| d)) {
                Ok(digests) => digests,
                Err(ds) => {
                    // Dropped unfinished, the staging folder is removed:
                    // the current site stays as it was.
                    diagnostics.extend(ds);
                    return report(diagnostics, None);
                }
            };
            if let Some(staging) = staging {
                progress.step(&format!("mise en place de {} fichiers", digests.len()));
                staging.finish()?;
            }
            digests.iter().filter(|d| d.path.ends_with(".html")).count()
        }
    };
    progress.done();
    let summary = Summary {
        pages,
        territoires: site.territoires.len(),
        structures: site.structures.len(),
        lieux: site.lieux.len(),
        duration: started.elapsed(),
    };
    let done = report(diagnostics, Some(summary));
    // Freeing thousands of items takes as long as some steps above: it is
    // done on another thread, so that a rebuild shows its result sooner.
    let _ = std::thread::Builder::new().name("liberation".into()).spawn(move || drop((site, sources)));
    done
}

/// Refuses an output folder inside `content/` or `themes/`, equal to one
/// of them, or holding one: the build reads those folders, and would read
/// the site it wrote as the site's files, or replace them with it.
pub fn check_output_place(root: &Path, out: &Path) -> Result<()> {
    let (root, shown) = (resolved(root), out.display());
    let out = resolved(out);
    for folder in ["content", "themes"] {
        let read = root.join(folder);
        if out.starts_with(&read) {
            bail!(
                "le dossier de sortie `{shown}` est dans `{folder}/`, que la construction lit : le site construit \
                 serait relu comme des fichiers du site. Choisissez un dossier hors de `content/` et de `themes/` \
                 avec `--sortie`, ou laissez la valeur par défaut, `output/`"
            );
        }
        if read.starts_with(&out) {
            bail!(
                "le dossier de sortie `{shown}` contient `{folder}/` : la construction le remplacerait par le site. \
                 Choisissez un dossier hors de `content/` et de `themes/` avec `--sortie`, ou laissez la valeur \
                 par défaut, `output/`"
            );
        }
    }
    Ok(())
}

/// `path` made absolute, with the symbolic links of the part that exists
/// followed, and `..` resolved in the rest: two paths to the same place
/// compare equal.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    let mut at = absolute.as_path();
    loop {
        if let Ok(mut real) = at.canonicalize() {
            for part in rest.into_iter().rev() {
                match part {
                    Component::ParentDir => {
                        real.pop();
                    }
                    Component::CurDir => {}
                    part => real.push(part),
                }
            }
            return real;
        }
        let (Some(parent), Some(last)) = (at.parent(), at.components().next_back()) else { return absolute };
        rest.push(last);
        at = parent;
    }
}

/// Rendered files that could not be written: two on one path, or a name
/// too long. `urls::check` reports these before the render, naming the
/// files involved; this is the net under it, so that `alimap check`
/// refuses whatever `alimap build` could not write. `digests` is sorted.
fn unwritable(digests: &[output::Digest]) -> Result<(), Vec<crate::diagnostic::Diagnostic>> {
    use crate::diagnostic::Diagnostic;
    let mut ds = Vec::new();
    for pair in digests.windows(2).filter(|w| w[0].path == w[1].path) {
        ds.push(
            Diagnostic::error(
                "content",
                None,
                format!("deux fichiers du site auraient le même chemin `{}`", pair[0].path),
            )
            .with_help("renommez l’une des fiches ou l’un des fichiers du thème qui donnent ce chemin"),
        );
    }
    for d in digests.iter().filter(|d| d.path.split('/').any(|n| n.len() > urls::MAX_NAME)) {
        ds.push(
            Diagnostic::error(
                "content",
                None,
                format!(
                    "un nom de fichier du site serait trop long : `{}…`",
                    d.path.chars().take(60).collect::<String>()
                ),
            )
            .with_help(format!(
                "aucun nom de fichier ne peut dépasser {} octets : raccourcissez les noms qui le donnent",
                urls::MAX_NAME
            )),
        );
    }
    if ds.is_empty() { Ok(()) } else { Err(ds) }
}

/// The texts of the files that diagnostics point into, to show their
/// lines. Translation files are theme files checked like content: their
/// diagnostics show the line too.
fn source_map(sources: &load::Sources, diagnostics: &Diagnostics) -> SourceMap {
    let named: HashSet<&Path> = diagnostics.0.iter().map(|d| d.file.as_path()).collect();
    let mut map = SourceMap::default();
    for f in sources.texts().filter(|f| named.contains(f.path.as_path())) {
        map.insert(f.path.clone(), f.text.clone());
    }
    for (path, bytes) in &sources.themes {
        let shown = PathBuf::from(format!("themes/{path}"));
        if path.split('/').nth(1) == Some(crate::text::i18n::FOLDER.trim_end_matches('/'))
            && named.contains(shown.as_path())
            && let Ok(text) = std::str::from_utf8(bytes)
        {
            map.insert(shown, text);
        }
    }
    // A diagnostic with a place shows its line: its file's text was kept
    // (see where `run` frees the points' texts).
    debug_assert!(
        diagnostics.0.iter().all(|d| d.span.is_none() || map.get(&d.file).is_some()),
        "a diagnostic points into a file whose text was not kept"
    );
    map
}

/// Step lines on a terminal, so a long build does not look stuck; silent
/// otherwise (CI logs, tests).
struct Progress {
    on: bool,
}

impl Progress {
    fn new() -> Self {
        Progress { on: std::io::stderr().is_terminal() && std::env::var_os("ALIMAP_SILENCIEUX").is_none() }
    }
    fn step(&self, what: &str) {
        if self.on {
            eprint!("\r\x1b[2K… {what}");
        }
    }
    fn done(&self) {
        if self.on {
            eprint!("\r\x1b[2K");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::site::index::Index;

    fn written(dir: &Path, at: &str, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = format!("{at}{}", entry.file_name().to_string_lossy());
            if entry.file_type().unwrap().is_dir() {
                written(&entry.path(), &format!("{name}/"), out);
            } else {
                out.insert(name);
            }
        }
    }

    /// `check` finds collisions from `urls::outputs`, and `build` writes
    /// from the render's jobs: on the sample site, every path the first
    /// lists is written, and every page written for content (outside the
    /// other languages' folders and the assets) is listed, or is a later
    /// page (`--2`) of a listed one.
    #[test]
    fn check_lists_the_paths_build_writes() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let report = build(&Options { root: root.clone(), output: Some(out.clone()), today }).unwrap();
        assert!(report.summary.is_some(), "the sample site builds");

        let (sources, _) = load::load_with(&root, None);
        let (parsed, _) = parse::parse_with(&sources, None);
        let site = validate::validate(parsed, today).0.unwrap();
        let index = Index::new(&site);
        let listed: BTreeSet<String> = urls::outputs(&site, &index).into_iter().map(|(p, _)| p).collect();
        let mut files = BTreeSet::new();
        written(&out, "", &mut files);

        let missing: Vec<&String> = listed.difference(&files).collect();
        assert!(missing.is_empty(), "listed for check but not written: {missing:?}");
        let other_languages: Vec<String> = site.config.langues.iter().skip(1).map(|l| format!("{l}/")).collect();
        let unlisted: Vec<&String> = files
            .iter()
            .filter(|p| p.ends_with(".html") && p.contains('/'))
            .filter(|p| !p.starts_with("assets/") && !other_languages.iter().any(|l| p.starts_with(l.as_str())))
            .filter(|p| {
                let base = match p.rsplit_once("--") {
                    Some((stem, n)) if n.trim_end_matches(".html").parse::<usize>().is_ok() => format!("{stem}.html"),
                    _ => p.to_string(),
                };
                !listed.contains(&base)
            })
            .collect();
        assert!(unlisted.is_empty(), "written but unknown to check: {unlisted:?}");
    }
}
