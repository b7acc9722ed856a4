//! `sitemap.xml` and `robots.txt`: every page a search engine should know,
//! in every published language.

use crate::model::{ACCESSIBILITE, MENTIONS, Site};
use crate::site::index::{Index, page_count};
use crate::site::urls;

/// Every page a search engine should know, absolute from the site's URL,
/// in each published language (`prefixes`: `""`, `"en/"`…), language by
/// language.
fn sitemap_urls(site: &Site, index: &Index<'_>, prefixes: &[&str]) -> Vec<String> {
    let mut all = Vec::new();
    for prefix in prefixes {
        let base = &format!("{}{prefix}", site.config.url);
        let mut urls = vec![base.clone(), format!("{base}{}", urls::RECHERCHE), format!("{base}{}", urls::STRUCTURES)];
        urls.extend(site.territoires.iter().map(|t| urls::territoire(base, &t.id)));
        urls.extend(index.communes.iter().flat_map(|c| numbered(urls::commune(base, &c.slug), c.lieux.len())));
        urls.extend(
            site.structures.iter().flat_map(|s| numbered(urls::structure(base, &s.id), index.structure(&s.id).len())),
        );
        urls.extend(site.lieux.iter().map(|l| urls::lieu(base, &l.id)));
        urls.extend(site.pages.iter().map(|p| urls::page(base, &p.id)));
        if site.config.mentions_legales.is_some() {
            urls.push(urls::page(base, MENTIONS));
        }
        urls.push(urls::page(base, ACCESSIBILITE));
        urls.push(format!("{base}{}", urls::BESOINS));
        urls.push(format!("{base}{}", urls::DONNEES_INDEX));
        urls.extend(site.territoires.iter().map(|t| urls::coordination(base, &t.id)));
        urls.extend(site.territoires.iter().map(|t| urls::guide(base, &t.id)));
        urls.extend(index.guide_parts().flat_map(|(t, c)| {
            let n = c.lieux.iter().filter(|l| l.territoires.contains(&t.id)).count();
            numbered(urls::guide_partie(base, &t.id, &c.slug), n)
        }));
        all.extend(urls);
    }
    all
}

/// The pages a list of `n` points is cut into (as the render cuts it).
fn numbered(first: String, n: usize) -> impl Iterator<Item = String> {
    (1..=page_count(n)).map(move |p| urls::nth(first.clone(), p))
}

/// A sitemap file to write with the theme's `sitemap.xml` template: a list
/// of pages (`<urlset>`), or with `index`, the list of the other sitemap
/// files (`<sitemapindex>`).
#[derive(Debug, serde::Serialize)]
pub(crate) struct Sitemap {
    pub path: String,
    pub index: bool,
    pub urls: Vec<String>,
}

/// The sitemap files of the site: `sitemap.xml` alone, or past
/// [`SITEMAP_MAX_URLS`] pages an index pointing at `sitemap-1.xml`,
/// `sitemap-2.xml`… of at most that many URLs each (sitemaps.org protocol).
/// The files sit at the root, where every URL of the site is below them, as
/// the protocol asks.
pub(crate) fn sitemaps(site: &Site, index: &Index<'_>, prefixes: &[&str]) -> Vec<Sitemap> {
    let urls = sitemap_urls(site, index, prefixes);
    plan(urls, &site.config.url)
}

fn plan(urls: Vec<String>, base: &str) -> Vec<Sitemap> {
    if urls.len() <= SITEMAP_MAX_URLS {
        return vec![Sitemap { path: "sitemap.xml".into(), index: false, urls }];
    }
    let mut files: Vec<Sitemap> = urls
        .chunks(SITEMAP_MAX_URLS)
        .enumerate()
        .map(|(i, chunk)| Sitemap { path: format!("sitemap-{}.xml", i + 1), index: false, urls: chunk.to_vec() })
        .collect();
    let parts = files.iter().map(|f| format!("{base}{}", f.path)).collect();
    files.push(Sitemap { path: "sitemap.xml".into(), index: true, urls: parts });
    files
}

/// The sitemaps.org limit of URLs in one sitemap file.
const SITEMAP_MAX_URLS: usize = 50_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_sitemap_is_one_file() {
        let urls = vec!["https://exemple.org/".to_string(), "https://exemple.org/a.html".to_string()];
        let files = plan(urls.clone(), "https://exemple.org/");
        assert_eq!(files.len(), 1);
        assert_eq!((files[0].path.as_str(), files[0].index), ("sitemap.xml", false));
        assert_eq!(files[0].urls, urls);
    }

    #[test]
    fn past_fifty_thousand_urls_the_sitemap_becomes_an_index() {
        let base = "https://exemple.org/annuaire/";
        let mut urls = vec![base.to_string()];
        urls.extend((1..=SITEMAP_MAX_URLS * 2).map(|i| format!("{base}lieux/l{i}.html")));
        let files = plan(urls.clone(), base);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]);
        assert!(files[3].index && files[..3].iter().all(|f| !f.index));
        let parts: Vec<String> = (1..=3).map(|i| format!("{base}sitemap-{i}.xml")).collect();
        assert_eq!(files[3].urls, parts);
        // Every URL once, in order, no file over the limit.
        assert!(files[..3].iter().all(|f| f.urls.len() <= SITEMAP_MAX_URLS));
        let listed: Vec<String> = files[..3].iter().flat_map(|f| f.urls.clone()).collect();
        assert_eq!(listed, urls);
    }
}
