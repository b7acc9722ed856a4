//! Rendering: from the checked [`Site`] to the bytes of every output file.
//!
//! Pages are rendered in parallel with one shared Tera instance. Nothing is
//! written here: each [`OutputFile`] goes to a [`Sink`] as soon as it is
//! made (`alimap build` hands it to `output`, which writes it; `render` and
//! `alimap serve` keep it in memory). Links are relative
//! (`../lieux/x.html`) so that the site works under any sub-path and opened
//! from disk; only `sitemap.xml`, `robots.txt` and `404.html` (served at any
//! depth) use the base URL.

pub mod langues;
pub mod memo;
mod natif;

use std::error::Error as _;
use std::sync::Mutex;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostic::Diagnostic;
use crate::files::search;
use crate::model::{ACCESSIBILITE, MENTIONS, Site};
use crate::output::{Digest, OutputFile};
use crate::pages::view::Index;
use crate::pages::{coord, view};
use crate::text::html::{escape_html, xml_escape};
use crate::text::i18n::{self, Tr};
use crate::text::markdown;
use crate::theme::Theme;

/// Where files go, one at a time and from any thread, as soon as each is
/// made, with their digest; it decides whether they stay in memory.
pub type Sink<'a> = dyn Fn(OutputFile, &Digest) + Sync + 'a;

/// What every template gets.
#[derive(Serialize)]
struct Common<'a> {
    site: SiteView<'a>,
    /// Prefix from the current page to the root of its language's pages:
    /// `""` or `"../"`. Links to pages start with it.
    root: &'a str,
    /// Prefix from the current page to the site root, where the files every
    /// language shares are (`assets/`, `donnees/`, `recherche/`): the same
    /// as `root` for the site's language, one `../` more for the others.
    site_root: &'a str,
    menu: &'a [MenuItem],
    genere_le: &'a str,
    genere_le_iso: &'a str,
    /// The page's language.
    langue: langues::LangView<'a>,
    /// Every version of the page, this one included, for the language
    /// switch; empty when the site publishes one language.
    langues: Vec<langues::Version<'a>>,
    /// Whether the versions are also `hreflang` alternates: not on the
    /// pages served at any depth (404, offline), whose versions are the
    /// home pages.
    alternates: bool,
    /// The language of content (names, descriptions, pages) when it
    /// differs from the page's; `None` on pages in the language of the
    /// content.
    contenu: Option<langues::ContenuView<'a>>,
    /// What the page's scripts say, as JSON for a data block (escaped by
    /// `text::html::script_json`); empty when the page runs no script.
    textes_js: &'a str,
    /// « Aujourd’hui (samedi 28 novembre) : » of every point in a list.
    aujourdhui: &'a str,
    /// The footer's « Informations publiées le … » with its `<time>`, made
    /// once per language by `Tr::html`.
    publie_le_html: &'a str,
}

#[derive(Serialize)]
struct SiteView<'a> {
    titre: &'a str,
    description: &'a str,
    url: &'a str,
    langue: &'a str,
    exemple: bool,
    hors_ligne: bool,
    contact_nom: Option<&'a str>,
    contact_courriel: Option<&'a str>,
    contact_telephone: Option<view::Phone>,
    licence_donnees: Option<&'a str>,
}

/// A link of the footer menu. Pages written by volunteers keep the
/// language of the content (`lang`), the others are the interface's.
#[derive(Debug, Serialize)]
pub struct MenuItem {
    pub href: String,
    pub text: String,
    pub lang: Option<String>,
}

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
    // The theme's languages, read once and shared by every page; then one
    // template set per published language.
    let (catalogue, mut diags) = i18n::Catalogue::load(theme);
    diags.extend(langues::check_published(site, theme, &catalogue));
    if !diags.is_empty() {
        return Err(diags);
    }
    let c = &site.config;
    if let Some(m) = memo.as_deref_mut() {
        m.start(theme);
    }
    let native = natif::Natif::of(theme);
    let unused = native.unused_templates(theme);
    let mut editions = Vec::with_capacity(c.langues.len());
    for code in std::iter::once(&c.langue).chain(c.langues.iter().filter(|l| **l != c.langue)) {
        let (Some(tr), Some(functions)) = (catalogue.tr(code, &c.langue), catalogue.functions(code)) else {
            continue;
        };
        // French at the root of a French site: no page can need a `lang`.
        let plain = *code == c.langue && *code == i18n::REFERENCE;
        // A template set depends on the theme, the language and `plain`:
        // serve keeps it while the templates and translations are the same.
        let tera = langues::Templates {
            code: code.clone(),
            plain,
            kept: memo.as_deref().and_then(|m| m.template_set(code, plain)),
            compile: Box::new(move || templates(theme, &functions, plain, unused)),
            made: std::sync::OnceLock::new(),
        };
        let prefix = if *code == c.langue { String::new() } else { format!("{code}/") };
        let textes = langues::script_texts(&tr, c.hors_ligne);
        editions.push(langues::Edition { tr, prefix, tera, textes });
    }
    let mut kept_records = memo.as_deref_mut().map(|m| std::mem::take(&mut m.records));
    let mut kept_entries = memo.as_deref_mut().map(|m| std::mem::take(&mut m.entries));
    let seen = memo.as_deref();
    // Points by structure, territory, commune and place in the search
    // index: each a pass over every point, side by side.
    let (index, (communes, numbers)) =
        rayon::join(|| Index::new(site), || rayon::join(|| search::communes(site), || search::numbers(site)));
    let genere_le_iso = crate::text::format::iso_date(today);
    let site_view = || SiteView {
        titre: &c.titre,
        description: &c.description,
        url: &c.url,
        langue: &c.langue,
        exemple: c.exemple,
        hors_ligne: c.hors_ligne,
        contact_nom: c.contact.as_ref().and_then(|x| x.nom.as_deref()),
        contact_courriel: c.contact.as_ref().and_then(|x| x.courriel.as_deref()),
        contact_telephone: c.contact.as_ref().and_then(|x| {
            let t = x.telephone.as_ref()?;
            Some(view::Phone { text: t.clone(), href: format!("tel:{}", crate::text::format::phone_link(t)?) })
        }),
        licence_donnees: c.licence_donnees.as_deref(),
    };
    let menu_at = |root: &str, tr: &Tr<'_>| -> Vec<MenuItem> {
        let content = tr.contenu_lang().map(String::from);
        let item = |href: String, key: &str| MenuItem {
            href,
            text: tr.text(key).into(),
            lang: tr.lang_of(key).map(String::from),
        };
        let mut m: Vec<MenuItem> = site
            .pages
            .iter()
            .map(|p| MenuItem {
                href: format!("{root}pages/{}.html", p.id),
                text: p.titre.clone(),
                lang: content.clone(),
            })
            .collect();
        m.push(item(format!("{root}structures/index.html"), "menu.structures"));
        m.push(item(format!("{root}besoins/index.html"), "menu.besoins"));
        m.push(item(format!("{root}donnees/index.html"), "menu.donnees"));
        if c.mentions_legales.is_some() {
            m.push(item(format!("{root}pages/{MENTIONS}.html"), "menu.mentions_legales"));
        }
        m.push(item(format!("{root}pages/{ACCESSIBILITE}.html"), "menu.accessibilite"));
        m
    };
    let menus: Vec<[Vec<MenuItem>; 2]> = editions.iter().map(|e| [menu_at("", &e.tr), menu_at("../", &e.tr)]).collect();
    let genere_le: Vec<String> = editions.iter().map(|e| e.tr.date(today)).collect();
    let publie_le: Vec<String> = editions
        .iter()
        .zip(&genere_le)
        .map(|(e, date)| {
            let time = format!("<time datetime=\"{genere_le_iso}\">{}</time>", escape_html(date));
            e.tr.html("commun.publie_le", &[("date", &time, true)])
        })
        .collect();
    let aujourdhui: Vec<String> = editions
        .iter()
        .map(|e| {
            let (jour, date) = (e.tr.day(chrono::Datelike::weekday(&today)), e.tr.day_month(today));
            e.tr.format("carte_lieu.aujourdhui", &[("jour", jour), ("date", &date)])
        })
        .collect();

    // One job per page and language; each builds its own context from the
    // shared views.
    enum Job<'s> {
        Home,
        Structures,
        Territoire(&'s crate::model::Territoire),
        Structure(&'s crate::model::Structure),
        Lieu(&'s crate::model::Lieu),
        Page(&'s crate::model::Page),
        Mentions(&'s str),
        Accessibilite,
        NotFound,
        Coordination(&'s crate::model::Territoire),
        Guide(&'s crate::model::Territoire),
        /// The guide of one commune of a territory too large for one guide.
        GuidePartie(&'s crate::model::Territoire, &'s search::Commune<'s>),
        Besoins,
        Donnees,
        Recherche,
        HorsLigne,
        Commune(&'s search::Commune<'s>),
    }
    let mut jobs = vec![Job::Home, Job::Structures, Job::NotFound, Job::Recherche];
    if c.hors_ligne {
        jobs.push(Job::HorsLigne);
    }
    jobs.extend(communes.iter().map(Job::Commune));
    // The page of each point's commune, for territory pages that link to
    // them.
    let commune_slugs: std::collections::HashMap<&str, &str> =
        communes.iter().flat_map(|c| c.lieux.iter().map(|l| (l.id.as_str(), c.slug.as_str()))).collect();
    jobs.extend(site.territoires.iter().map(Job::Territoire));
    jobs.extend(site.structures.iter().map(Job::Structure));
    jobs.extend(site.lieux.iter().map(Job::Lieu));
    jobs.extend(site.pages.iter().map(Job::Page));
    jobs.extend(c.mentions_legales.as_deref().map(Job::Mentions));
    jobs.extend([Job::Besoins, Job::Donnees, Job::Accessibilite]);
    jobs.extend(site.territoires.iter().flat_map(|t| [Job::Coordination(t), Job::Guide(t)]));
    // A territory too large for one guide has one per commune: those of
    // its points, in the communes' order.
    let guide_parts: Vec<(&crate::model::Territoire, &search::Commune<'_>)> = site
        .territoires
        .iter()
        .filter(|t| index.territoire(&t.id).len() > view::LISTE_MAX)
        .flat_map(|t| {
            let slugs: std::collections::HashSet<&str> =
                index.territoire(&t.id).iter().filter_map(|l| commune_slugs.get(l.id.as_str()).copied()).collect();
            communes.iter().filter(move |c| slugs.contains(c.slug.as_str())).map(move |c| (t, c))
        })
        .collect();
    jobs.extend(guide_parts.iter().map(|&(t, c)| Job::GuidePartie(t, c)));
    let work: Vec<(usize, &Job<'_>)> = (0..editions.len()).flat_map(|e| jobs.iter().map(move |j| (e, j))).collect();
    // 404.html is served at any depth, and so is the offline page (in
    // place of a page never visited), so their links start from the base
    // URL's path instead of being relative.
    let base = base_path(&c.url);
    let base_roots: Vec<String> = editions.iter().map(|e| format!("{base}{}", e.prefix)).collect();

    // What every page of a language shows besides its own items, for the
    // memo's point and structure page keys: settings, menu, build date and
    // language (the templates and translation files are checked by
    // `Memo::start`).
    let shared_inputs: Vec<Option<crate::files::kept::Fingerprint>> = editions
        .iter()
        .enumerate()
        .map(|(e, edition)| {
            seen.map(|_| memo::Memo::inputs_key(&[&site.config, &menus[e][1], &today, &edition.prefix]))
        })
        .collect();
    // Each point's own fingerprint, once, for the keys of the pages that
    // list it. A point is read from its file alone (`Origin` carries a
    // fingerprint of its text); validation adds its territories.
    let point_keys: std::collections::HashMap<&str, crate::files::kept::Fingerprint> = match seen {
        Some(_) => site
            .lieux
            .par_iter()
            .map(|l| (l.id.as_str(), memo::Memo::inputs_key(&[&l.origin, &l.territoires])))
            .collect(),
        None => Default::default(),
    };
    // Each structure's too (read from its file alone, like a point), and
    // one of them all: a territory's pages show its points' structures and
    // its coordination's members, with their needs, and a structure is
    // rarely edited.
    let structure_keys: std::collections::HashMap<&str, crate::files::kept::Fingerprint> = match seen {
        Some(_) => site.structures.par_iter().map(|s| (s.id.as_str(), memo::Memo::inputs_key(&[&s.origin]))).collect(),
        None => Default::default(),
    };
    let all_structures = seen.map(|_| {
        let keys: Vec<_> = site.structures.iter().map(|s| structure_keys.get(s.id.as_str())).collect();
        memo::Memo::inputs_key(&[&keys])
    });

    // A point's export records and search index entry show the point, its
    // structure and the site's settings (and the build date).
    let record_key = |l: &crate::model::Lieu| {
        let (point, structure) = (point_keys.get(l.id.as_str()), structure_keys.get(l.structure.as_str()));
        memo::Memo::inputs_key(&[&shared_inputs.first(), &point, &structure])
    };

    // Pages render while the whole-site files (exports, search index, map
    // data) are made beside them, all on the same threads.
    let trs: Vec<(&str, Tr<'_>)> = editions.iter().map(|e| (e.data_prefix(), e.tr)).collect();
    // Each file goes to the sink as soon as it is made, keeping its digest.
    let put = |f: OutputFile| {
        let digest = Digest::of(&f);
        sink(f, &digest);
        digest
    };
    // The sitemap, `robots.txt` and the theme's static files: made beside
    // the pages with the other whole-site files.
    let last_files = || {
        let urls: Vec<String> = editions
            .iter()
            .flat_map(|e| sitemap_urls(site, &communes, &guide_parts).into_iter().map(move |u| (e, u)))
            .map(|(e, u)| match u.strip_prefix(&c.url) {
                Some(path) => format!("{}{}{path}", c.url, e.prefix),
                None => u,
            })
            .collect();
        let mut files = sitemap(&urls);
        files.push(OutputFile {
            path: "robots.txt".into(),
            bytes: format!("User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n", site.config.url).into_bytes(),
        });
        for (name, bytes) in theme.statics() {
            if name == crate::files::offline::REGISTRATION_SCRIPT && !c.hors_ligne {
                continue;
            }
            files.push(OutputFile { path: format!("assets/{name}"), bytes: bytes.to_vec() });
        }
        files
    };
    type Rendered = Result<(OutputFile, Option<crate::files::kept::Fingerprint>), Diagnostic>;
    type Put = Result<(Digest, Option<crate::files::kept::Fingerprint>), Diagnostic>;
    let (results, site_files): (Vec<Put>, Vec<Digest>) = rayon::join(
        || {
            // One page per piece of work that another thread can take: the
            // guides and coordination pages come last and are heavy, so a
            // range of them done by one thread would leave the other idle.
            work.par_iter()
                .with_max_len(1)
                .map(|&(e, job)| -> Rendered {
                    let edition = &editions[e];
                    // Pages whose inputs did not change since the last build are taken
                    // as they were, before building their context. A point page shows
                    // the point, its structure and its territories (their point counts
                    // choose its map); a structure's page shows the structure and its
                    // points, a commune's its points, and so does one commune's part of
                    // a large territory's guide. A territory's page, coordination page
                    // and guide show the territory, its points and the structures.
                    let by_inputs = match (shared_inputs[e], job) {
                        (Some(shared), Job::Lieu(l)) => {
                            let territoires: Vec<(&str, usize)> = l
                                .territoires
                                .iter()
                                .map(|id| {
                                    (site.territoire(id).map_or("", |t| t.nom.as_str()), index.territoire(id).len())
                                })
                                .collect();
                            let point = point_keys.get(l.id.as_str());
                            let structure = structure_keys.get(l.structure.as_str());
                            let key = memo::Memo::inputs_key(&[&shared, &point, &structure, &territoires]);
                            Some((format!("{}lieux/{}.html", edition.prefix, l.id), key))
                        }
                        (Some(shared), Job::Structure(st)) => {
                            let points: Vec<_> =
                                index.structure(&st.id).iter().map(|l| point_keys.get(l.id.as_str())).collect();
                            let path = format!("{}structures/{}.html", edition.prefix, st.id);
                            Some((path, memo::Memo::inputs_key(&[&shared, st, &points])))
                        }
                        (Some(shared), Job::Commune(c)) => {
                            // Its points' cards name their structures.
                            let points: Vec<_> = c
                                .lieux
                                .iter()
                                .map(|l| (point_keys.get(l.id.as_str()), site.structure(&l.structure).map(|s| &s.nom)))
                                .collect();
                            let path = format!("{}communes/{}.html", edition.prefix, c.slug);
                            Some((path, memo::Memo::inputs_key(&[&shared, &c.nom, &c.codes_postaux, &points])))
                        }
                        (Some(shared), Job::GuidePartie(t, c)) => {
                            // The commune's points in the territory, their structures' names,
                            // and the territory's coordination.
                            let points: Vec<_> = c
                                .lieux
                                .iter()
                                .filter(|l| l.territoires.contains(&t.id))
                                .map(|l| (point_keys.get(l.id.as_str()), site.structure(&l.structure).map(|s| &s.nom)))
                                .collect();
                            let path = format!("{}{}", edition.prefix, coord::guide_part_path(&t.id, &c.slug));
                            let key = memo::Memo::inputs_key(&[
                                &shared,
                                &t.nom,
                                &t.coordination,
                                &c.nom,
                                &points,
                                &all_structures,
                            ]);
                            Some((path, key))
                        }
                        (Some(shared), Job::Territoire(t) | Job::Coordination(t) | Job::Guide(t)) => {
                            // Each point with its number in the search index (which names
                            // the popup blocks the territory's map keeps offline) and its
                            // commune's page.
                            let points: Vec<_> = index
                                .territoire(&t.id)
                                .iter()
                                .map(|l| {
                                    let id = l.id.as_str();
                                    (point_keys.get(id), numbers.get(id), commune_slugs.get(id))
                                })
                                .collect();
                            let path = match job {
                                Job::Territoire(_) => format!("territoires/{}.html", t.id),
                                Job::Coordination(_) => format!("coordination/{}.html", t.id),
                                _ => format!("guide/{}.html", t.id),
                            };
                            let key = memo::Memo::inputs_key(&[&shared, t, &points, &all_structures]);
                            Some((format!("{}{path}", edition.prefix), key))
                        }
                        _ => None,
                    };
                    if let (Some(m), Some((path, key))) = (seen, &by_inputs)
                        && let Some(bytes) = m.take(path, *key)
                    {
                        return Ok((OutputFile { path: path.clone(), bytes }, Some(*key)));
                    }
                    let inputs = by_inputs.map(|(_, key)| key);
                    let tr = &edition.tr;
                    let standalone = matches!(job, Job::NotFound | Job::HorsLigne);
                    let top = matches!(job, Job::Home | Job::NotFound | Job::Recherche | Job::HorsLigne);
                    let depth = usize::from(!top);
                    let (root, site_root_owned, menu) = if standalone {
                        (base_roots[e].as_str(), base.clone(), &menus[e][0])
                    } else {
                        let site_root = "../".repeat(depth + usize::from(!edition.prefix.is_empty()));
                        (if top { "" } else { "../" }, site_root, &menus[e][depth])
                    };
                    let site_root = site_root_owned.as_str();
                    let (template, path) = match job {
                        Job::Home => ("index.html", "index.html".to_string()),
                        Job::Structures => ("structures.html", "structures/index.html".to_string()),
                        Job::NotFound => ("404.html", "404.html".to_string()),
                        Job::HorsLigne => ("hors-ligne.html", crate::files::offline::OFFLINE_PAGE.to_string()),
                        Job::Recherche => ("recherche.html", "recherche.html".to_string()),
                        Job::Commune(c) => ("commune.html", format!("communes/{}.html", c.slug)),
                        Job::Territoire(t) => ("territoire.html", format!("territoires/{}.html", t.id)),
                        Job::Structure(s) => ("structure.html", format!("structures/{}.html", s.id)),
                        Job::Lieu(l) => ("lieu.html", format!("lieux/{}.html", l.id)),
                        Job::Page(p) => ("page.html", format!("pages/{}.html", p.id)),
                        Job::Mentions(_) => ("page.html", format!("pages/{MENTIONS}.html")),
                        Job::Accessibilite => ("accessibilite.html", format!("pages/{ACCESSIBILITE}.html")),
                        Job::Coordination(t) => ("coordination.html", format!("coordination/{}.html", t.id)),
                        Job::Guide(t) => ("guide.html", format!("guide/{}.html", t.id)),
                        Job::GuidePartie(t, k) => ("guide.html", coord::guide_part_path(&t.id, &k.slug)),
                        Job::Besoins => ("besoins.html", "besoins/index.html".to_string()),
                        Job::Donnees => ("donnees.html", format!("{}/index.html", crate::site::urls::DONNEES)),
                    };
                    let common = Common {
                        site: site_view(),
                        root,
                        site_root,
                        menu,
                        genere_le: &genere_le[e],
                        genere_le_iso: &genere_le_iso,
                        langue: langues::LangView::of(tr),
                        langues: langues::versions(&editions, e, &path, site_root, &c.url, standalone),
                        alternates: !standalone,
                        contenu: tr.contenu_lang().map(|lang| langues::ContenuView::of(lang, &catalogue)),
                        aujourdhui: &aujourdhui[e],
                        publie_le_html: &publie_le[e],
                        textes_js: &edition.textes[match job {
                            Job::Recherche => langues::Scripts::Recherche,
                            Job::Home | Job::Territoire(_) | Job::Lieu(_) => langues::Scripts::Carte,
                            _ => langues::Scripts::Base,
                        } as usize],
                    };
                    let carte_at = crate::files::map::MapPaths { site_root, data: edition.data_prefix(), pages: root };
                    // Point, commune, structure, guide and coordination pages
                    // of the default templates are written without Tera.
                    // A territory's guide, or one commune's part of a large
                    // territory's, with the static map of a guide in one part.
                    let guide_of = |job: &Job<'_>| match *job {
                        Job::Guide(t) => {
                            let lieux = index.territoire(&t.id);
                            let (parties, carte) = if lieux.len() > view::LISTE_MAX {
                                let slug = |l: &crate::model::Lieu| commune_slugs.get(l.id.as_str()).copied();
                                let href = |k: &str| format!("{root}{}", coord::guide_part_path(&t.id, k));
                                (view::commune_counts(lieux, &slug, &href), None)
                            } else {
                                (Vec::new(), Some(crate::files::map::static_view(t, lieux, root, tr)))
                            };
                            Some((coord::guide_page(site, t, lieux, today, root, tr, parties, None), carte))
                        }
                        Job::GuidePartie(t, k) => {
                            let lieux: Vec<&crate::model::Lieu> =
                                k.lieux.iter().copied().filter(|l| l.territoires.contains(&t.id)).collect();
                            Some((coord::guide_page(site, t, &lieux, today, root, tr, Vec::new(), Some(&k.nom)), None))
                        }
                        _ => None,
                    };
                    let html = match job {
                        Job::Lieu(l) if native.lieu => {
                            let page = view::lieu_page(site, l, today, root, tr);
                            let jsonld = crate::files::export::lieu_jsonld(site, l, today);
                            let carte = crate::files::map::point_map(site, &index, l, &carte_at);
                            Some(natif::lieu(
                                &common,
                                &natif::Lieu { page: &page, jsonld: &jsonld, carte: carte.as_ref() },
                                tr,
                            ))
                        }
                        Job::Commune(k) if native.commune => {
                            Some(natif::commune(&common, &search::commune_page(site, k, today, root, tr), tr))
                        }
                        Job::Structure(s) if native.structure => {
                            let page = view::structure_page(site, s, index.structure(&s.id), today, root, tr);
                            Some(natif::structure(&common, &page, tr))
                        }
                        Job::Guide(_) | Job::GuidePartie(..) if native.guide => {
                            guide_of(job).map(|(page, carte)| natif::guide(&common, &page, carte.as_ref(), tr))
                        }
                        Job::Coordination(t) if native.coordination => {
                            let page = coord::coordination_page(site, t, index.territoire(&t.id), today, root, tr);
                            Some(natif::coordination(&common, &page, tr))
                        }
                        _ => None,
                    };
                    if let Some(html) = html {
                        let path = format!("{}{path}", edition.prefix);
                        return Ok((OutputFile { path, bytes: html.into_bytes() }, inputs));
                    }
                    let mut ctx =
                        Context::from_serialize(&common).map_err(|e| template_error(theme, "base.html", &e))?;
                    match job {
                        Job::Home => {
                            ctx.insert("accueil", &view::home_page(site, &index, root, tr));
                            ctx.insert("carte", &crate::files::map::home_map(site, &carte_at));
                        }
                        Job::Structures => {
                            ctx.insert("structures", &view::structures_index(site, &index, root, tr));
                        }
                        Job::NotFound | Job::HorsLigne => {}
                        Job::Recherche => {
                            ctx.insert("recherche", &search::recherche_page(site, &communes, root, tr));
                            ctx.insert("carte", &crate::files::map::home_map(site, &carte_at));
                        }
                        Job::Commune(c) => {
                            ctx.insert("commune", &search::commune_page(site, c, today, root, tr));
                        }
                        Job::Territoire(t) => {
                            let lieux = index.territoire(&t.id);
                            let slug = |l: &crate::model::Lieu| commune_slugs.get(l.id.as_str()).copied();
                            let page = view::territoire_page(site, t, lieux, today, root, tr, &slug);
                            // A summed-up page numbers no point, so has no static map.
                            if !page.resume {
                                ctx.insert("carte_statique", &crate::files::map::static_view(t, lieux, root, tr));
                            }
                            ctx.insert("territoire", &page);
                            ctx.insert("carte", &crate::files::map::territory_map(site, t, lieux, &numbers, &carte_at));
                        }
                        Job::Structure(s) => {
                            ctx.insert(
                                "structure",
                                &view::structure_page(site, s, index.structure(&s.id), today, root, tr),
                            );
                        }
                        Job::Lieu(l) => {
                            ctx.insert("lieu", &view::lieu_page(site, l, today, root, tr));
                            ctx.insert("jsonld_script", &crate::files::export::lieu_jsonld(site, l, today));
                            ctx.insert("carte", &crate::files::map::point_map(site, &index, l, &carte_at));
                        }
                        Job::Page(p) => {
                            ctx.insert("titre", &p.titre);
                            ctx.insert("titre_contenu", &true);
                            ctx.insert("description", &p.description);
                            ctx.insert("contenu_html", &markdown::render(&p.contenu, 2));
                        }
                        Job::Mentions(md) => {
                            ctx.insert("titre", tr.text("menu.mentions_legales"));
                            ctx.insert("titre_contenu", &false);
                            ctx.insert("description", &None::<String>);
                            ctx.insert("contenu_html", &markdown::render(md, 2));
                        }
                        Job::Accessibilite => {
                            ctx.insert("mentions", &c.mentions_legales.is_some());
                        }
                        Job::Coordination(t) => {
                            let page = coord::coordination_page(site, t, index.territoire(&t.id), today, root, tr);
                            ctx.insert("coordination", &page);
                        }
                        Job::Guide(_) | Job::GuidePartie(..) => {
                            if let Some((page, carte)) = guide_of(job) {
                                // A guide in one part has the static map numbering its points.
                                if let Some(carte) = carte {
                                    ctx.insert("carte_statique", &carte);
                                }
                                ctx.insert("guide", &page);
                            }
                        }
                        Job::Besoins => {
                            ctx.insert("territoires", &coord::besoins_page(site, &index, root, tr));
                        }
                        Job::Donnees => {
                            ctx.insert(
                                "donnees",
                                &coord::donnees_page(site, &crate::files::export::FORMAT, root, site_root, tr),
                            );
                        }
                    }
                    let path = format!("{}{path}", edition.prefix);
                    let key = inputs.or_else(|| seen.map(|_| memo::Memo::key(template, &ctx)));
                    if let Some(bytes) = seen.zip(key).and_then(|(m, k)| m.take(&path, k)) {
                        return Ok((OutputFile { path, bytes }, key));
                    }
                    // A template set that does not compile fails every page
                    // of its language; its diagnostics are reported once,
                    // below.
                    let tera = edition.tera.get().map_err(|ds| ds[0].clone())?;
                    let html = tera.render(template, &ctx).map_err(|e| template_error(theme, template, &e))?;
                    Ok((OutputFile { path, bytes: html.into_bytes() }, key))
                })
                .map(|r| r.map(|(f, key)| (put(f), key)))
                .collect()
        },
        || {
            let (exports, (search, map)) = rayon::join(
                || {
                    let kept = kept_records.as_mut().map(|k| (k, &record_key as crate::files::kept::KeyOf<'_>));
                    crate::files::export::files(site, &index, today, kept, &put)
                },
                || {
                    rayon::join(
                        || {
                            let kept = kept_entries.as_mut().map(|k| (k, &record_key as crate::files::kept::KeyOf<'_>));
                            search::files(site, &communes, today, kept)
                        },
                        || crate::files::map::files(site, &index, today, &trs),
                    )
                },
            );
            let mut out = search;
            out.extend(map);
            out.extend(last_files());
            let mut digests = exports;
            digests.par_extend(out.into_par_iter().map(put));
            digests
        },
    );

    // Every template set, compiled now if no page needed it: a theme's
    // mistakes are reported even then. Its diagnostics are those of a
    // set that does not compile, rather than one per page.
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
    let mut digests = Vec::with_capacity(results.len() + 8);
    let mut keys = Vec::with_capacity(results.len());
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok((d, key)) => {
                digests.push(d);
                keys.push(key);
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
        m.expect(digests.iter().zip(&keys).filter_map(|(d, k)| Some((d.path.clone(), (*k)?))).collect());
    }

    digests.extend(site_files);
    // Paths are unique: an unstable sort gives the one order.
    digests.par_sort_unstable_by(|a, b| a.path.cmp(&b.path));
    // Last: the service worker's cache version is a hash of everything else.
    let offline = crate::files::offline::files(site, theme, &digests);
    digests.extend(offline.into_iter().map(put));
    digests.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(digests)
}

/// The path part of the base URL: `https://exemple.org/annuaire/` → `/annuaire/`.
fn base_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, r)| r);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

/// The theme's templates for one language: texts without variables are
/// written into the templates' source (see [`i18n::inline`]), the others
/// come from the functions `t` and `ta` at rendering.
fn templates(
    theme: &Theme,
    functions: &(i18n::TemplateText, i18n::TemplateText),
    plain: bool,
    unused: &[&str],
) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::default();
    let mut list = Vec::new();
    let mut diags = Vec::new();
    for (name, bytes) in theme.templates().filter(|(name, _)| !unused.contains(name)) {
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                let text = if plain { langues::specialise(text) } else { std::borrow::Cow::Borrowed(text) };
                list.push((name.to_string(), i18n::inline(&text, functions).into_owned()))
            }
            Err(_) => diags.push(Diagnostic::error(
                theme.origin(&format!("templates/{name}")),
                None,
                "ce gabarit n’est pas encodé en UTF-8",
            )),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.register_filter("escape", Escape);
    let (t, ta) = functions.clone();
    tera.register_function("t", t);
    tera.register_function("ta", ta);
    if let Err(e) = tera.add_raw_templates(list) {
        return Err(vec![template_error(theme, "", &e)]);
    }
    Ok(tera)
}

/// The `escape` filter: [`escape_html`], and its result is not escaped
/// again. Tera escapes nothing while it evaluates a function's or a
/// filter's arguments, and that includes the body of a macro given as one
/// (`t(k="…", nom_html=m::contenu(texte=…))`): the macros meant for `*_html`
/// arguments escape their values with it. Tera's own `escape` would escape
/// text once more in a page, and differently.
struct Escape;

impl tera::Filter for Escape {
    fn filter(
        &self,
        value: &tera::Value,
        _: &std::collections::HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        Ok(tera::Value::String(match value {
            tera::Value::String(s) => escape_html(s),
            other => escape_html(&other.to_string()),
        }))
    }
    fn is_safe(&self) -> bool {
        true
    }
}

/// Tera nests the useful part of an error in its sources; print the chain.
fn template_error(theme: &Theme, template: &str, e: &tera::Error) -> Diagnostic {
    let mut chain = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        chain.push(s.to_string());
        source = s.source();
    }
    let file = if template.is_empty() { "themes".to_string() } else { theme.origin(&format!("templates/{template}")) };
    Diagnostic::error(file, None, format!("erreur de gabarit : {}", chain.join(" ; cause : ")))
        .with_help("corrigez le gabarit du thème ; supprimez-le pour revenir à celui du thème par défaut")
}

/// Every page a search engine should know, absolute from the site's URL,
/// in the site's language (`render_with` adds the other languages' folders).
fn sitemap_urls(
    site: &Site,
    communes: &[search::Commune<'_>],
    guide_parts: &[(&crate::model::Territoire, &search::Commune<'_>)],
) -> Vec<String> {
    let base = &site.config.url;
    let mut urls = vec![base.clone(), format!("{base}recherche.html"), format!("{base}structures/index.html")];
    urls.extend(site.territoires.iter().map(|t| format!("{base}territoires/{}.html", t.id)));
    urls.extend(communes.iter().map(|c| format!("{base}communes/{}.html", c.slug)));
    urls.extend(site.structures.iter().map(|s| format!("{base}structures/{}.html", s.id)));
    urls.extend(site.lieux.iter().map(|l| format!("{base}lieux/{}.html", l.id)));
    urls.extend(site.pages.iter().map(|p| format!("{base}pages/{}.html", p.id)));
    if site.config.mentions_legales.is_some() {
        urls.push(format!("{base}pages/{MENTIONS}.html"));
    }
    urls.push(format!("{base}pages/{ACCESSIBILITE}.html"));
    urls.push(format!("{base}besoins/index.html"));
    urls.push(format!("{base}donnees/index.html"));
    urls.extend(site.territoires.iter().map(|t| format!("{base}coordination/{}.html", t.id)));
    urls.extend(site.territoires.iter().map(|t| format!("{base}guide/{}.html", t.id)));
    urls.extend(guide_parts.iter().map(|(t, c)| format!("{base}{}", coord::guide_part_path(&t.id, &c.slug))));
    urls
}

/// The sitemaps.org limit of URLs in one sitemap file.
const SITEMAP_MAX_URLS: usize = 50_000;

/// `sitemap.xml` listing `urls`; past [`SITEMAP_MAX_URLS`], a sitemap index
/// instead, pointing at `sitemap-1.xml`, `sitemap-2.xml`… of at most that
/// many URLs each (sitemaps.org protocol). The files sit at the root, where
/// every URL of the site is below them, as the protocol asks. `urls` start
/// with the site's URL, which the index's own links use too.
fn sitemap(urls: &[String]) -> Vec<OutputFile> {
    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    const NS: &str = "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"";
    let urlset = |urls: &[String]| {
        let mut out = format!("{HEAD}<urlset {NS}>\n");
        for u in urls {
            out.push_str(&format!("  <url><loc>{}</loc></url>\n", xml_escape(u)));
        }
        out.push_str("</urlset>\n");
        out.into_bytes()
    };
    if urls.len() <= SITEMAP_MAX_URLS {
        return vec![OutputFile { path: "sitemap.xml".into(), bytes: urlset(urls) }];
    }
    let base = urls.first().map(String::as_str).unwrap_or_default();
    let mut index = format!("{HEAD}<sitemapindex {NS}>\n");
    let mut files = Vec::new();
    for (i, chunk) in urls.chunks(SITEMAP_MAX_URLS).enumerate() {
        let path = format!("sitemap-{}.xml", i + 1);
        index.push_str(&format!("  <sitemap><loc>{}</loc></sitemap>\n", xml_escape(&format!("{base}{path}"))));
        files.push(OutputFile { path, bytes: urlset(chunk) });
    }
    index.push_str("</sitemapindex>\n");
    files.push(OutputFile { path: "sitemap.xml".into(), bytes: index.into_bytes() });
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: &OutputFile) -> &str {
        std::str::from_utf8(&f.bytes).unwrap()
    }

    #[test]
    fn a_small_sitemap_is_one_file() {
        let urls = vec!["https://exemple.org/".to_string(), "https://exemple.org/a&b.html".to_string()];
        let files = sitemap(&urls);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "sitemap.xml");
        assert!(text(&files[0]).contains("<urlset "));
        assert!(text(&files[0]).contains("<loc>https://exemple.org/a&amp;b.html</loc>"));
    }

    #[test]
    fn past_fifty_thousand_urls_the_sitemap_becomes_an_index() {
        let base = "https://exemple.org/annuaire/";
        let mut urls = vec![base.to_string()];
        urls.extend((1..=SITEMAP_MAX_URLS * 2).map(|i| format!("{base}lieux/l{i}.html")));
        let files = sitemap(&urls);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]);
        let index = text(&files[3]);
        assert!(index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
        for i in 1..=3 {
            assert!(index.contains(&format!("<sitemap><loc>{base}sitemap-{i}.xml</loc></sitemap>")), "{index}");
        }
        assert!(!index.contains("<url>"));
        // Every URL once, in order, no file over the limit.
        let mut listed = Vec::new();
        for f in &files[..3] {
            let locs: Vec<&str> = text(f).split("<loc>").skip(1).map(|s| &s[..s.find("</loc>").unwrap()]).collect();
            assert!(locs.len() <= SITEMAP_MAX_URLS, "{}", f.path);
            listed.extend(locs);
        }
        assert_eq!(listed, urls);
    }
}
