//! Rendering: from the checked [`Site`] to the bytes of every output file.
//!
//! Pages ([`jobs`]) render in parallel, each language with its own Tera
//! template set ([`tera`], [`langues`]), while the whole-site files
//! (`crate::files`) are made beside them. Nothing is written here: each
//! [`OutputFile`] goes to a [`Sink`] as soon as it is made (`alimap build`
//! hands it to `output`, which writes it; `alimap serve` keeps it in
//! memory). Links are relative (`../lieux/x.html`, see
//! [`crate::site::urls`]); only `sitemap.xml`, `robots.txt` and the pages
//! served at any depth use the base URL.

mod common;
pub(crate) mod editions;
mod jobs;
mod keys;
pub(crate) mod memo;
mod native;
mod tera;

use std::sync::Mutex;

use ::tera::Context;
use chrono::NaiveDate;
use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::files::kept::{Fingerprint, KeyOf, inputs_key};
use crate::files::{editeur, export, offline, search, sitemap};
use crate::model::Site;
use crate::output::{Digest, OutputFile};
use crate::pages::carte::MapPaths;
use crate::site::index::Index;
use crate::text::i18n;
use crate::theme::Theme;
use common::{Common, Place, Shared};
use editions::Edition;
use jobs::{Job, PageInputs};

/// Where files go, one at a time and from any thread, as soon as each is
/// made, with their digest; it decides whether they stay in memory.
pub type Sink<'a> = dyn Fn(OutputFile, &Digest) + Sync + 'a;

/// Renders every page and copies the theme's static files, in memory,
/// sorted by path.
pub fn render(site: &Site, theme: &Theme, today: NaiveDate) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    render_in_memory(site, theme, today, None).map(|(files, _)| files)
}

/// [`render`], taking from `memo` the pages whose context did not change
/// since the previous build (for `alimap serve`); with the files' digests,
/// both sorted by path.
pub fn render_in_memory(
    site: &Site,
    theme: &Theme,
    today: NaiveDate,
    memo: Option<&mut memo::Memo>,
) -> Result<(Vec<OutputFile>, Vec<Digest>), Vec<Diagnostic>> {
    let files = Mutex::new(Vec::new());
    let digests =
        render_with(site, theme, today, memo, &|f, _| files.lock().unwrap_or_else(|e| e.into_inner()).push(f))?;
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, digests))
}

/// Everything a page of any language is made from.
struct Run<'a> {
    site: &'a Site,
    theme: &'a Theme,
    today: NaiveDate,
    catalogue: &'a i18n::Catalogue,
    index: &'a Index<'a>,
    editions: &'a [Edition<'a>],
    shared: &'a [Shared],
    /// The path part of the base URL.
    base: String,
    genere_le_iso: String,
    native: native::Native,
    memo: Option<(&'a memo::Memo, &'a keys::Keys<'a>)>,
    search: std::sync::OnceLock<jobs::SearchInline>,
}

type Rendered = Result<(OutputFile, Option<Fingerprint>), Diagnostic>;
type Put = Result<(Digest, Option<Fingerprint>), Diagnostic>;

/// Renders every file into `sink`, as soon as each is made, taking from
/// `memo` the pages whose inputs did not change since the previous build.
/// Returns the files' digests, sorted by path. On an error, `sink` may
/// have received part of the files.
pub fn render_with(
    site: &Site,
    theme: &Theme,
    today: NaiveDate,
    mut memo: Option<&mut memo::Memo>,
    sink: &Sink<'_>,
) -> Result<Vec<Digest>, Vec<Diagnostic>> {
    // 1. The theme's languages, read once and shared by every page; then
    //    one template set per published language, compiled when first
    //    needed.
    let (catalogue, mut diags) = i18n::Catalogue::load(theme);
    diags.extend(editions::check_published(site, theme, &catalogue));
    if !diags.is_empty() {
        return Err(diags);
    }
    if let Some(m) = memo.as_deref_mut() {
        m.start(theme);
    }
    let native = native::Native::of(theme);
    let editions = editions::editions(site, theme, &catalogue, memo.as_deref(), native.unused_templates(theme));
    // 2. The site's index (numbering, communes, points by item) and what
    //    every page of a language shows, made once.
    let index = Index::new(site);
    let genere_le_iso = crate::text::format::iso_date(today);
    let base = common::base_path(&site.config.url);
    let shared: Vec<Shared> = editions.iter().map(|e| Shared::of(site, e, today, &genere_le_iso, &base)).collect();
    let mut kept_records = memo.as_deref_mut().map(|m| std::mem::take(&mut m.records));
    let mut kept_entries = memo.as_deref_mut().map(|m| std::mem::take(&mut m.entries));
    let keys = memo.as_deref().map(|_| {
        let shared = editions
            .iter()
            .zip(&shared)
            .map(|(e, s)| inputs_key(&[&site.config, &s.menus[1], &today, &e.prefix]))
            .collect();
        keys::Keys::new(site, &index, shared)
    });
    let run = Run {
        site,
        theme,
        today,
        catalogue: &catalogue,
        index: &index,
        editions: &editions,
        shared: &shared,
        base,
        genere_le_iso,
        native,
        memo: memo.as_deref().zip(keys.as_ref()),
        search: std::sync::OnceLock::new(),
    };
    let put = |f: OutputFile| {
        let digest = Digest::of(&f);
        sink(f, &digest);
        digest
    };

    // 3. Pages render while the whole-site files (exports, search index,
    //    map data, sitemap, the theme's static files) are made beside them,
    //    all on the same threads. One page per piece of work that another
    //    thread can take: the guides and coordination pages come last and
    //    are heavy, so a range of them done by one thread would leave the
    //    other idle.
    let jobs = jobs::list(site, &index);
    let work: Vec<(usize, &Job<'_>)> = (0..editions.len()).flat_map(|e| jobs.iter().map(move |j| (e, j))).collect();
    let (results, site_files): (Vec<Put>, (Vec<Digest>, Option<Diagnostic>)) = rayon::join(
        || work.par_iter().with_max_len(1).map(|&(e, job)| run.page(e, job).map(|(f, key)| (put(f), key))).collect(),
        || {
            // Each point's records and index entry, kept by serve, go with
            // the fingerprint of what they show.
            let key_of = keys.as_ref().map(|k| move |l: &crate::model::Lieu| k.record(l));
            let key_of = key_of.as_ref().map(|f| f as KeyOf<'_>);
            let (exports, (entries, map)) = rayon::join(
                || export::files(site, &index, today, kept_records.as_mut().zip(key_of), &put),
                || {
                    rayon::join(
                        || search::files(site, &index, today, kept_entries.as_mut().zip(key_of)),
                        || {
                            let trs: Vec<_> = editions.iter().map(|e| (e.data_prefix(), e.tr)).collect();
                            crate::files::map::files(site, &index, today, &trs)
                        },
                    )
                },
            );
            let mut out = entries;
            out.extend(map);
            out.extend(statics(site, theme));
            if let Some(e) = editions.first() {
                out.extend(editeur::files(site, &e.tr));
            }
            // The sitemap and robots.txt, from the theme's templates in the
            // site's language.
            let prefixes: Vec<&str> = editions.iter().map(|e| e.prefix.as_str()).collect();
            let crawlers = editions.first().map(|e| crawler_files(site, theme, &index, e, &prefixes)).transpose();
            let crawlers = crawlers.map(|files| out.extend(files.into_iter().flatten()));
            let mut digests = exports;
            digests.par_extend(out.into_par_iter().map(put));
            (digests, crawlers.err())
        },
    );
    let (site_files, crawlers) = site_files;
    if let Some(d) = crawlers {
        return Err(vec![d]);
    }

    // 4. Every template set, compiled now if no page needed it: a theme's
    //    mistakes are reported even then, once per set rather than once
    //    per page.
    for edition in &editions {
        match edition.tera.get() {
            Ok(tera) => {
                if let Some(m) = memo.as_deref_mut() {
                    m.keep_template_set(&edition.tera.code, edition.tera.plain, tera);
                }
            }
            Err(ds) => return Err(ds.to_vec()),
        }
    }
    let mut digests = Vec::with_capacity(results.len() + site_files.len() + 8);
    let mut page_keys = Vec::with_capacity(results.len());
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok((d, key)) => {
                page_keys.push((d.path.clone(), key));
                digests.push(d);
            }
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        diags.dedup();
        return Err(diags);
    }
    if let Some(m) = memo {
        m.records = kept_records.unwrap_or_default();
        m.entries = kept_entries.unwrap_or_default();
        m.expect(page_keys.into_iter().filter_map(|(path, k)| Some((path, k?))).collect());
    }

    // 5. Last: the service worker's cache version is a hash of everything
    //    else. Paths are unique: an unstable sort gives the one order.
    digests.extend(site_files);
    digests.par_sort_unstable_by(|a, b| a.path.cmp(&b.path));
    let offline = offline::files(site, theme, &digests);
    digests.extend(offline.into_iter().map(put));
    digests.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(digests)
}

/// `sitemap.xml` (with its parts past 50,000 pages) and `robots.txt`,
/// rendered with the theme's templates of those names.
fn crawler_files(
    site: &Site,
    theme: &Theme,
    index: &Index<'_>,
    edition: &Edition<'_>,
    prefixes: &[&str],
) -> Result<Vec<OutputFile>, Diagnostic> {
    // A template set that does not compile is reported by `render_with`.
    let Ok(set) = edition.tera.get() else { return Ok(Vec::new()) };
    let render = |template: &str, ctx: &Context| {
        set.render(template, ctx).map_err(|e| tera::template_error(theme, template, &e)).map(String::into_bytes)
    };
    let mut files = Vec::new();
    for s in sitemap::sitemaps(site, index, prefixes) {
        let ctx = Context::from_serialize(&s).map_err(|e| tera::template_error(theme, "sitemap.xml", &e))?;
        files.push(OutputFile { bytes: render("sitemap.xml", &ctx)?, path: s.path });
    }
    let mut ctx = Context::new();
    ctx.insert("url", &site.config.url);
    files.push(OutputFile { path: "robots.txt".into(), bytes: render("robots.txt", &ctx)? });
    Ok(files)
}

/// The theme's static files, under `assets/`; the form editor's bundle
/// (5 MB) only when the editor is on.
fn statics(site: &Site, theme: &Theme) -> Vec<OutputFile> {
    theme
        .statics()
        .filter(|(name, _)| *name != offline::REGISTRATION_SCRIPT || site.config.hors_ligne)
        .filter(|(name, _)| !name.starts_with(editeur::VENDOR_FOLDER) || site.config.editeur.is_some())
        .filter(|(name, _)| *name != jobs::AMORCE)
        .map(|(name, bytes)| OutputFile { path: format!("assets/{name}"), bytes: bytes.to_vec() })
        .collect()
}

impl Run<'_> {
    /// One page in language `e`, with its memo key when serve keeps pages.
    fn page(&self, e: usize, job: &Job<'_>) -> Rendered {
        let (site, edition, tr) = (self.site, &self.editions[e], &self.editions[e].tr);
        let page_path = job.path();
        let path = format!("{}{page_path}", edition.prefix);
        // Pages whose inputs did not change since the last build are taken
        // as they were, before building their context.
        let inputs = self.memo.and_then(|(_, keys)| keys.page(e, job));
        if let (Some((m, _)), Some(key)) = (self.memo, inputs)
            && let Some(bytes) = m.take(&path, key)
        {
            return Ok((OutputFile { path, bytes }, Some(key)));
        }
        let shared = &self.shared[e];
        let place = Place::of(job.standalone(), job.top(), edition, shared, &self.base);
        let common = Common {
            site: common::site_view(site),
            root: place.root,
            site_root: &place.site_root,
            menu: place.menu,
            genere_le: &shared.genere_le,
            genere_le_iso: &self.genere_le_iso,
            langue: editions::LangView::of(tr),
            langues: editions::versions(
                self.editions,
                e,
                &page_path,
                &place.site_root,
                &site.config.url,
                job.standalone(),
            ),
            alternates: !job.standalone(),
            contenu: tr.contenu_lang().map(|lang| editions::ContenuView::of(lang, self.catalogue)),
            aujourdhui: &shared.aujourdhui,
            publie_le_html: &shared.publie_le,
            textes_js: &edition.textes[job.scripts() as usize],
        };
        let inputs_of = PageInputs {
            site,
            index: self.index,
            today: self.today,
            root: place.root,
            site_root: &place.site_root,
            tr,
            carte: MapPaths { site_root: &place.site_root, data: edition.data_prefix(), pages: place.root },
            search: &|| {
                self.search.get_or_init(|| {
                    let amorce = self.theme.statics().find(|(n, _)| *n == jobs::AMORCE).map_or(&[][..], |(_, b)| b);
                    jobs::SearchInline::of(site, self.index, self.today, amorce)
                })
            },
            page_url: &format!("{}{path}", site.config.url),
        };
        // Point, commune, structure, guide and coordination pages of the
        // default templates are written without Tera.
        if let Some(html) = jobs::native(job, &self.native, &common, &inputs_of) {
            return Ok((OutputFile { path, bytes: html.into_bytes() }, inputs));
        }
        let template = job.template();
        let mut ctx =
            Context::from_serialize(&common).map_err(|e| tera::template_error(self.theme, "base.html", &e))?;
        jobs::context(job, &mut ctx, &inputs_of);
        let key = inputs.or_else(|| self.memo.map(|_| memo::Memo::key(template, &ctx)));
        if let Some(bytes) = self.memo.zip(key).and_then(|((m, _), k)| m.take(&path, k)) {
            return Ok((OutputFile { path, bytes }, key));
        }
        // A template set that does not compile fails every page of its
        // language; its diagnostics are reported once, by `render_with`.
        let set = edition.tera.get().map_err(|ds| ds[0].clone())?;
        let html = set.render(template, &ctx).map_err(|e| tera::template_error(self.theme, template, &e))?;
        Ok((OutputFile { path, bytes: html.into_bytes() }, key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default `sitemap.xml` template, as a sitemap of pages and as the
    /// index of sitemap files past 50,000 pages.
    #[test]
    fn the_sitemap_template_writes_a_urlset_or_an_index() {
        let theme = Theme::assemble("default", &Default::default());
        let (catalogue, diags) = i18n::Catalogue::load(&theme);
        assert!(diags.is_empty());
        let set = tera::templates(&theme, &catalogue.functions("fr").unwrap(), true, &[]).unwrap();
        let render = |index: bool, urls: &[&str]| {
            let s = sitemap::Sitemap { path: String::new(), index, urls: urls.iter().map(|u| u.to_string()).collect() };
            set.render("sitemap.xml", &Context::from_serialize(&s).unwrap()).unwrap()
        };
        let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
        let ns = "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"";
        assert_eq!(
            render(false, &["https://exemple.org/", "https://exemple.org/a&b.html"]),
            format!(
                "{head}<urlset {ns}>\n  <url><loc>https://exemple.org/</loc></url>\n  \
                 <url><loc>https://exemple.org/a&amp;b.html</loc></url>\n</urlset>\n"
            )
        );
        assert_eq!(
            render(true, &["https://exemple.org/sitemap-1.xml", "https://exemple.org/sitemap-2.xml"]),
            format!(
                "{head}<sitemapindex {ns}>\n  <sitemap><loc>https://exemple.org/sitemap-1.xml</loc></sitemap>\n  \
                 <sitemap><loc>https://exemple.org/sitemap-2.xml</loc></sitemap>\n</sitemapindex>\n"
            )
        );
    }
}
