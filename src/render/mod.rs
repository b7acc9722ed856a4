//! Rendering: from the checked [`Site`] to the bytes of every output file.
//!
//! Pages are rendered in parallel with one shared Tera instance. Nothing is
//! written here: the result is a list of [`OutputFile`]s that `output`
//! writes. Links are relative (`../lieux/x.html`) so that the site works
//! under any sub-path and opened from disk; only `sitemap.xml`, `robots.txt`
//! and `404.html` (served at any depth) use the base URL.

pub mod coord;
pub mod memo;
pub mod view;

use std::error::Error as _;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostic::Diagnostic;
use crate::hours;
use crate::markdown;
use crate::model::Site;
use crate::search;
use crate::theme::Theme;
use view::{Index, Link};

/// The page made from `mentions_legales` in `site.toml`.
pub const MENTIONS: &str = "mentions-legales";
/// The accessibility statement, written by the build on every site (the
/// RGAA asks for one, linked from every page).
pub const ACCESSIBILITE: &str = "accessibilite";

/// A file to write, at a path relative to the output folder.
#[derive(Debug)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What every template gets.
#[derive(Serialize)]
struct Common<'a> {
    site: SiteView<'a>,
    /// Prefix from the current page to the site root: `""` or `"../"`.
    root: &'a str,
    menu: &'a [Link],
    genere_le: &'a str,
    genere_le_iso: &'a str,
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

/// Renders every page and copies the theme's static files.
pub fn render(site: &Site, theme: &Theme, today: NaiveDate) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    render_with(site, theme, today, None)
}

/// [`render`], taking from `memo` the pages whose context did not change
/// since the previous build (for `alimap serve`).
pub fn render_with(
    site: &Site,
    theme: &Theme,
    today: NaiveDate,
    mut memo: Option<&mut memo::Memo>,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let tera = templates(theme)?;
    if let Some(m) = memo.as_deref_mut() {
        m.start(theme);
    }
    let seen = memo.as_deref();
    let index = Index::new(site);
    let genere_le = hours::format_date(today);
    let genere_le_iso = today.format("%Y-%m-%d").to_string();
    let c = &site.config;
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
            Some(view::Phone { text: t.clone(), href: format!("tel:{}", crate::text::phone_link(t)?) })
        }),
        licence_donnees: c.licence_donnees.as_deref(),
    };
    let menu_at = |root: &str| -> Vec<Link> {
        let mut m: Vec<Link> = site
            .pages
            .iter()
            .map(|p| Link { href: format!("{root}pages/{}.html", p.id), text: p.titre.clone() })
            .collect();
        m.push(Link { href: format!("{root}structures/index.html"), text: "Structures".into() });
        m.push(Link { href: format!("{root}besoins/index.html"), text: "Bénévolat et dons".into() });
        m.push(Link { href: format!("{root}donnees/index.html"), text: "Données ouvertes".into() });
        if c.mentions_legales.is_some() {
            m.push(Link { href: format!("{root}pages/{MENTIONS}.html"), text: "Mentions légales".into() });
        }
        m.push(Link {
            href: format!("{root}pages/{ACCESSIBILITE}.html"),
            text: "Accessibilité : partiellement conforme".into(),
        });
        m
    };
    let menu_top = menu_at("");
    let menu_sub = menu_at("../");

    // One job per page; each builds its own context from the shared views.
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
        Besoins,
        Donnees,
        Recherche,
        HorsLigne,
        Commune(&'s search::Commune<'s>),
    }
    let communes = search::communes(site);
    let mut jobs = vec![Job::Home, Job::Structures, Job::NotFound, Job::Recherche];
    if c.hors_ligne {
        jobs.push(Job::HorsLigne);
    }
    jobs.extend(communes.iter().map(Job::Commune));
    jobs.extend(site.territoires.iter().map(Job::Territoire));
    jobs.extend(site.structures.iter().map(Job::Structure));
    jobs.extend(site.lieux.iter().map(Job::Lieu));
    jobs.extend(site.pages.iter().map(Job::Page));
    jobs.extend(c.mentions_legales.as_deref().map(Job::Mentions));
    jobs.extend([Job::Besoins, Job::Donnees, Job::Accessibilite]);
    jobs.extend(site.territoires.iter().flat_map(|t| [Job::Coordination(t), Job::Guide(t)]));

    // What every page shows besides its own items, for the memo's point
    // page keys: settings, menu and build date (the templates are checked
    // by `Memo::start`).
    let shared_inputs = seen.map(|_| memo::Memo::inputs_key(&[&site.config, &menu_sub, &today]));
    // Each point's own fingerprint, once, for the keys of the pages that
    // list it.
    let point_keys: std::collections::HashMap<&str, memo::Fingerprint> = match seen {
        Some(_) => site.lieux.par_iter().map(|l| (l.id.as_str(), memo::Memo::inputs_key(&[l]))).collect(),
        None => Default::default(),
    };

    let results: Vec<Result<(OutputFile, Option<memo::Fingerprint>), Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            // Point and structure pages whose inputs did not change since
            // the last build are taken as they were, before building their
            // context. A point page shows the point, its structure and its
            // territories (their point counts choose its map); a structure's
            // page shows the structure and its points.
            let by_inputs = match (shared_inputs, job) {
                (Some(shared), Job::Lieu(l)) => {
                    let territoires: Vec<(&str, usize)> = l
                        .territoires
                        .iter()
                        .map(|id| (site.territoire(id).map_or("", |t| t.nom.as_str()), index.territoire(id).len()))
                        .collect();
                    let point = point_keys.get(l.id.as_str());
                    let structure = site.structure(&l.structure);
                    let key = memo::Memo::inputs_key(&[&shared, &point, &structure, &territoires]);
                    Some((format!("lieux/{}.html", l.id), key))
                }
                (Some(shared), Job::Structure(st)) => {
                    let points: Vec<_> =
                        index.structure(&st.id).iter().map(|l| point_keys.get(l.id.as_str())).collect();
                    Some((format!("structures/{}.html", st.id), memo::Memo::inputs_key(&[&shared, st, &points])))
                }
                _ => None,
            };
            if let (Some(m), Some((path, key))) = (seen, &by_inputs)
                && let Some(bytes) = m.get(path, *key)
            {
                return Ok((OutputFile { path: path.clone(), bytes }, Some(*key)));
            }
            let inputs = by_inputs.map(|(_, key)| key);
            let (root, menu) = match job {
                Job::Home | Job::NotFound | Job::Recherche | Job::HorsLigne => ("", &menu_top),
                _ => ("../", &menu_sub),
            };
            // 404.html is served at any depth, and so is the offline page
            // (in place of a page never visited), so their links start from
            // the base URL's path instead of being relative.
            let not_found_root = base_path(&c.url);
            let root = if matches!(job, Job::NotFound | Job::HorsLigne) { not_found_root.as_str() } else { root };
            let common = Common { site: site_view(), root, menu, genere_le: &genere_le, genere_le_iso: &genere_le_iso };
            let mut ctx = Context::from_serialize(&common).map_err(|e| template_error(theme, "base.html", &e))?;
            let (template, path) = match job {
                Job::Home => {
                    ctx.insert("accueil", &view::home_page(site, &index, root));
                    ctx.insert("carte", &crate::map::home_map(site, root));
                    ("index.html", "index.html".to_string())
                }
                Job::Structures => {
                    ctx.insert("structures", &view::structures_index(site, &index, root));
                    ("structures.html", "structures/index.html".to_string())
                }
                Job::NotFound => ("404.html", "404.html".to_string()),
                Job::HorsLigne => ("hors-ligne.html", crate::offline::OFFLINE_PAGE.to_string()),
                Job::Recherche => {
                    ctx.insert("recherche", &search::recherche_page(site, root));
                    ctx.insert("carte", &crate::map::home_map(site, root));
                    ("recherche.html", "recherche.html".to_string())
                }
                Job::Commune(c) => {
                    ctx.insert("commune", &search::commune_page(site, c, today, root));
                    ("commune.html", format!("communes/{}.html", c.slug))
                }
                Job::Territoire(t) => {
                    ctx.insert("territoire", &view::territoire_page(site, t, index.territoire(&t.id), today, root));
                    ctx.insert("carte", &crate::map::territory_map(site, t, root));
                    ctx.insert("carte_statique", &crate::map::static_view(t, index.territoire(&t.id), root));
                    ("territoire.html", format!("territoires/{}.html", t.id))
                }
                Job::Structure(s) => {
                    ctx.insert("structure", &view::structure_page(site, s, index.structure(&s.id), today, root));
                    ("structure.html", format!("structures/{}.html", s.id))
                }
                Job::Lieu(l) => {
                    ctx.insert("lieu", &view::lieu_page(site, l, today, root));
                    ctx.insert("jsonld_script", &crate::export::lieu_jsonld(site, l, today));
                    ctx.insert("carte", &crate::map::point_map(site, &index, l, root));
                    ("lieu.html", format!("lieux/{}.html", l.id))
                }
                Job::Page(p) => {
                    ctx.insert("titre", &p.titre);
                    ctx.insert("description", &p.description);
                    ctx.insert("contenu_html", &markdown::render(&p.contenu, 2));
                    ("page.html", format!("pages/{}.html", p.id))
                }
                Job::Mentions(md) => {
                    ctx.insert("titre", "Mentions légales");
                    ctx.insert("description", &None::<String>);
                    ctx.insert("contenu_html", &markdown::render(md, 2));
                    ("page.html", format!("pages/{MENTIONS}.html"))
                }
                Job::Accessibilite => {
                    ctx.insert("mentions", &c.mentions_legales.is_some());
                    ("accessibilite.html", format!("pages/{ACCESSIBILITE}.html"))
                }
                Job::Coordination(t) => {
                    let page = coord::coordination_page(site, t, index.territoire(&t.id), today, root);
                    ctx.insert("coordination", &page);
                    ("coordination.html", format!("coordination/{}.html", t.id))
                }
                Job::Guide(t) => {
                    ctx.insert("guide", &coord::guide_page(site, t, index.territoire(&t.id), today, root));
                    ctx.insert("carte_statique", &crate::map::static_view(t, index.territoire(&t.id), root));
                    ("guide.html", format!("guide/{}.html", t.id))
                }
                Job::Besoins => {
                    ctx.insert("territoires", &coord::besoins_page(site, &index, root));
                    ("besoins.html", "besoins/index.html".to_string())
                }
                Job::Donnees => {
                    ctx.insert("donnees", &coord::donnees_page(site));
                    ("donnees.html", format!("{}/index.html", crate::export::DIR))
                }
            };
            let key = inputs.or_else(|| seen.map(|_| memo::Memo::key(template, &ctx)));
            if let Some(bytes) = seen.zip(key).and_then(|(m, k)| m.get(&path, k)) {
                return Ok((OutputFile { path, bytes }, key));
            }
            let html = tera.render(template, &ctx).map_err(|e| template_error(theme, template, &e))?;
            Ok((OutputFile { path, bytes: html.into_bytes() }, key))
        })
        .collect();

    let mut files = Vec::with_capacity(results.len() + 8);
    let mut keys = Vec::with_capacity(results.len());
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok((f, key)) => {
                files.push(f);
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
        m.keep(files.iter().zip(&keys).filter_map(|(f, k)| Some((f.path.as_str(), (*k)?, f.bytes.as_slice()))));
    }

    files.extend(sitemap(&sitemap_urls(site, &communes)));
    files.push(OutputFile {
        path: "robots.txt".into(),
        bytes: format!("User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n", site.config.url).into_bytes(),
    });
    files.extend(crate::export::files(site, today));
    files.extend(search::files(site, today));
    files.extend(crate::map::files(site, &index, today));
    for (name, bytes) in theme.statics() {
        if name == crate::offline::REGISTRATION_SCRIPT && !c.hors_ligne {
            continue;
        }
        files.push(OutputFile { path: format!("assets/{name}"), bytes: bytes.to_vec() });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    // Last: the service worker's cache version is a hash of everything else.
    files.extend(crate::offline::files(site, theme, &files));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The path part of the base URL: `https://exemple.org/annuaire/` → `/annuaire/`.
fn base_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, r)| r);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

fn templates(theme: &Theme) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::default();
    let mut list = Vec::new();
    let mut diags = Vec::new();
    for (name, bytes) in theme.templates() {
        match std::str::from_utf8(bytes) {
            Ok(text) => list.push((name.to_string(), text.to_string())),
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
    if let Err(e) = tera.add_raw_templates(list) {
        return Err(vec![template_error(theme, "", &e)]);
    }
    Ok(tera)
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

/// Every page a search engine should know, absolute from the site's URL.
fn sitemap_urls(site: &Site, communes: &[search::Commune<'_>]) -> Vec<String> {
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

/// Escapes the five characters that matter in HTML text and quoted
/// attributes. Tera's default also escapes `/`, which bloats every link and
/// protects nothing in a quoted attribute.
///
/// Bidirectional embedding, override and isolate controls are removed: no
/// directory text needs them (Arabic or Hebrew text flows right by itself),
/// and an override can make a name, a phone number or an address read as
/// something else.
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            c if crate::markdown::is_bidi_control(c) => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
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
