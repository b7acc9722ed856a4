//! `sitemap.xml` and `robots.txt`: every page a search engine should know,
//! in every published language.

use crate::model::{ACCESSIBILITE, MENTIONS, Site};
use crate::output::OutputFile;
use crate::site::index::Index;
use crate::site::urls;
use crate::text::html::xml_escape;

/// Every page a search engine should know, absolute from the site's URL,
/// in each published language (`prefixes`: `""`, `"en/"`…), language by
/// language.
fn sitemap_urls(site: &Site, index: &Index<'_>, prefixes: &[&str]) -> Vec<String> {
    let mut all = Vec::new();
    for prefix in prefixes {
        let base = &format!("{}{prefix}", site.config.url);
        let mut urls = vec![base.clone(), format!("{base}{}", urls::RECHERCHE), format!("{base}{}", urls::STRUCTURES)];
        urls.extend(site.territoires.iter().map(|t| urls::territoire(base, &t.id)));
        urls.extend(index.communes.iter().map(|c| urls::commune(base, &c.slug)));
        urls.extend(site.structures.iter().map(|s| urls::structure(base, &s.id)));
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
        urls.extend(index.guide_parts(site).iter().map(|(t, c)| urls::guide_partie(base, &t.id, &c.slug)));
        all.extend(urls);
    }
    all
}

/// `sitemap.xml` (or its index and parts) and `robots.txt`.
pub fn files(site: &Site, index: &Index<'_>, prefixes: &[&str]) -> Vec<OutputFile> {
    let mut files = sitemap(&sitemap_urls(site, index, prefixes));
    files.push(OutputFile {
        path: "robots.txt".into(),
        bytes: format!("User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n", site.config.url).into_bytes(),
    });
    files
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
