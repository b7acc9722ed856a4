//! The limits the README states (« Limites »): texts past them are refused
//! by `check` and `build` alike, with the place and the limit; perimeters
//! are checked, and simplified on the maps. Large inputs are generated
//! here, on the minimal fixture, rather than committed.

use std::path::Path;

use alimap::build::{Options, build};
use alimap::diagnostic::render_all;

use crate::support::*;

/// `alimap check` (no output folder) and `alimap build` on the same site:
/// both must fail with the same diagnostics, and the build write nothing.
fn refused_by_both(root: &Path) -> String {
    let checked = build(&Options { root: root.to_path_buf(), output: None, today: today() }).unwrap();
    let checked = render_all(&checked.diagnostics, &checked.sources);
    let built = build_site(root);
    assert!(built.report.diagnostics.has_errors(), "the build must fail:\n{}", built.diagnostics());
    assert!(!built.out().exists(), "nothing is written when there are errors");
    assert_eq!(checked, built.diagnostics(), "check and build must agree");
    checked
}

fn point(site: &Path, id: &str, extra: &str) {
    let toml = format!(
        "nom = \"Lieu {id}\"\nstructure = \"asso-test\"\nservices = [\"repas\"]\nadresse = \"1 rue Haute\"\n\
         code_postal = \"93200\"\ncommune = \"Ville-Test\"\nlatitude = 48.93\nlongitude = 2.35\n\
         acces = [\"sans-condition\"]\nfrais = \"gratuit\"\ndate_maj = 2026-10-01\n{extra}"
    );
    std::fs::write(site.join(format!("content/lieux/{id}.toml")), toml).unwrap();
}

#[test]
fn deeply_nested_markdown_and_html_are_refused_where_they_start() {
    let site = scratch_copy("build/minimal");
    // 200,000 `>` and 100,000 `<div>`: minutes of rendering before the
    // limits, now past the length of a text.
    point(site.path(), "citations", &format!("description = '{}'\n", ">".repeat(200_000)));
    point(site.path(), "balises", &format!("description = \"{}\"\n", "<div>".repeat(100_000)));
    // As deep within that length; a literal string keeps the file's
    // columns those of the text.
    point(site.path(), "citations-courtes", &format!("description = '{}'\n", ">".repeat(19_000)));
    point(site.path(), "balises-courtes", &format!("description = \"\"\"\nIci :\n{}\"\"\"\n", "<div>".repeat(3_000)));
    let text = refused_by_both(site.path());
    for needle in [
        "erreur : `description` est trop long : 200\u{202F}000 caractères, pour 20\u{202F}000 au plus dans un texte en Markdown\n  --> content/lieux/citations.toml:12:15",
        "erreur : `description` est trop long : 500\u{202F}000 caractères, pour 20\u{202F}000 au plus dans un texte en Markdown\n  --> content/lieux/balises.toml:12:15",
        "erreur : `description` imbrique plus de 16 citations (`>`) ou listes les unes dans les autres\n  --> content/lieux/citations-courtes.toml:12:32",
        "erreur : `description` imbrique plus de 16 éléments HTML les uns dans les autres\n  --> content/lieux/balises-courtes.toml:14:81",
        "= aide : gardez au plus 16 niveaux",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{}", &text[..text.len().min(3000)]);
    }
}

#[test]
fn wide_tables_are_refused() {
    let site = scratch_copy("build/minimal");
    let table = |n: usize| format!("{}|\n{}|\n{}|\n", "|a".repeat(n), "|-".repeat(n), "|b".repeat(n));
    // 840 KB: past the length of a text, before any column is counted.
    point(site.path(), "immense", &format!("description = '''\n{}'''\n", table(20_000).repeat(7)));
    point(site.path(), "large", &format!("description = '''\n{}'''\n", table(2_000)));
    let text = refused_by_both(site.path());
    for needle in [
        "erreur : `description` est trop long : 840\u{202F}042 caractères, pour 20\u{202F}000 au plus dans un texte en Markdown\n  --> content/lieux/immense.toml:12:15",
        "erreur : `description` contient un tableau de 2\u{202F}000 colonnes, pour 20 au plus\n  --> content/lieux/large.toml:14:1",
        "= aide : découpez le tableau",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{}", &text[..text.len().min(3000)]);
    }
}

#[test]
fn a_name_of_a_million_characters_is_refused() {
    let site = scratch_copy("build/minimal");
    let toml = std::fs::read_to_string(site.path().join("content/lieux/nord/repas-du-soir.toml")).unwrap();
    let long = toml.replace("nom = \"Repas du soir\"", &format!("nom = \"{}\"", "Repas ".repeat(170_000)));
    std::fs::write(site.path().join("content/lieux/nord/repas-du-soir.toml"), long).unwrap();
    let text = refused_by_both(site.path());
    assert!(
        text.contains("erreur : `nom` est trop long : 1\u{202F}020\u{202F}000 caractères, pour 200 au plus dans une valeur d’une ligne (nom, adresse…)\n --> content/lieux/nord/repas-du-soir.toml:1:7"),
        "{}",
        &text[..text.len().min(2000)]
    );
}

const VILLE_TEST: &str = "[[2.30,48.90],[2.40,48.90],[2.40,48.96],[2.30,48.96],[2.30,48.90]]";

fn square(x: f64, y: f64, side: f64) -> String {
    format!("[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]", x + side, x + side, y + side, y + side)
}

fn perimeter(site: &Path, polygons: &[String]) {
    let polys: Vec<String> = polygons.iter().map(|p| format!("[{p}]")).collect();
    let json = format!("{{\"type\":\"MultiPolygon\",\"coordinates\":[{}]}}", polys.join(","));
    std::fs::write(site.join("content/territoires/ville-test.geojson"), json).unwrap();
}

#[test]
fn a_perimeter_of_a_hundred_thousand_polygons_is_refused() {
    let site = scratch_copy("build/minimal");
    let mut polygons = vec![VILLE_TEST.to_string()];
    polygons
        .extend((0..100_000).map(|i| square(2.0 + (i % 300) as f64 * 0.001, 48.0 + (i / 300) as f64 * 0.001, 0.0005)));
    perimeter(site.path(), &polygons);
    let text = refused_by_both(site.path());
    assert!(text.contains("erreur : périmètre illisible : ce périmètre a plus de 1000 polygones"), "{text}");
    assert!(text.contains("--> content/territoires/ville-test.toml:3:13"), "{text}");
}

#[test]
fn islands_too_small_to_see_stay_in_the_open_data_only() {
    let plain = scratch_copy("build/minimal");
    let built = build_site(plain.path());
    let plain_data = built.read("assets/carte/territoires/ville-test.js").len();

    let site = scratch_copy("build/minimal");
    let mut polygons = vec![VILLE_TEST.to_string()];
    // 900 islets of about 5 m, off the coast.
    polygons.extend((0..900).map(|i| square(2.41 + (i % 30) as f64 * 0.001, 48.90 + (i / 30) as f64 * 0.001, 0.00005)));
    perimeter(site.path(), &polygons);
    let built = build_site(site.path());
    assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
    let data = built.read("assets/carte/territoires/ville-test.js");
    assert!(data.len() < plain_data + 200, "map data {} bytes, {plain_data} without islets", data.len());
    let open = built.read("donnees/territoires/ville-test-perimetre.geojson");
    assert_eq!(open.matches("]]]").count(), 901, "every polygon in the open data");
}

#[test]
fn a_perimeter_that_crosses_itself_is_refused_with_its_place() {
    let site = scratch_copy("build/minimal");
    // Eleven positions; the edge from the 5th position crosses the one
    // from the 3rd: a knot that used to leave points outside silently.
    let ring = "[[2.30,48.90],[2.40,48.90],[2.40,48.93],[2.35,48.93],[2.38,48.91],[2.32,48.96],[2.30,48.96],[2.30,48.95],[2.30,48.94],[2.30,48.92],[2.30,48.90]]";
    perimeter(site.path(), &[ring.to_string()]);
    let text = refused_by_both(site.path());
    assert!(
        text.contains(
            "erreur : périmètre illisible : polygone n° 1, le contour extérieur se croise lui-même près de [2.35"
        ),
        "{text}"
    );
    assert!(text.contains("(entre les positions n° 3 et n° 5 de cet anneau)"), "{text}");
    assert!(text.contains("--> content/territoires/ville-test.toml:3:13"), "{text}");
}

/// The minimal fixture with `n` more points in Ville-Test, all of the
/// structure `asso-test`, named « Lieu <i> ».
fn crowded_commune(n: usize) -> tempfile::TempDir {
    let site = scratch_copy("build/minimal");
    for i in 0..n {
        point(site.path(), &format!("lieu-{i}"), "");
    }
    site
}

/// The points a page links to, by id.
fn linked_points(html: &str) -> std::collections::BTreeSet<String> {
    html.split("lieux/").skip(1).filter_map(|s| s.split_once(".html\"")).map(|(id, _)| id.to_string()).collect()
}

#[test]
fn long_lists_come_in_pages_that_link_to_each_other() {
    let site = crowded_commune(250);
    let checked = build(&Options { root: site.path().to_path_buf(), output: None, today: today() }).unwrap();
    assert!(!checked.diagnostics.has_errors());
    let built = build_site(site.path());
    assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
    // 252 points: in Ville-Test, of asso-test, and in the guide's part of
    // Ville-Test (the territory has more than 100 points).
    for (first, stem) in [
        ("communes/ville-test.html", "communes/ville-test"),
        ("structures/asso-test.html", "structures/asso-test"),
        ("guide/ville-test.ville-test.html", "guide/ville-test.ville-test"),
    ] {
        let paths = [first.to_string(), format!("{stem}--2.html"), format!("{stem}--3.html")];
        assert!(!built.out().join(format!("{stem}--4.html")).exists());
        let sitemap = built.read("sitemap.xml");
        for path in &paths {
            assert!(sitemap.contains(&format!("/{path}</loc>")), "{path} missing from the sitemap");
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, path) in paths.iter().enumerate() {
            let html = built.read(path);
            let nav = html.split("<nav class=\"pagination\"").nth(1).unwrap_or_else(|| panic!("{path}: no pagination"));
            let nav = nav.split("</nav>").next().unwrap();
            let (du, au) = (i * 100 + 1, ((i + 1) * 100).min(252));
            assert!(nav.contains(&format!("<p>Lieux {du} à {au} sur 252</p>")), "{path}: {nav}");
            // Every page links to every page, its own marked as current.
            for (n, other) in paths.iter().enumerate() {
                let current = if n == i { " aria-current=\"page\"" } else { "" };
                let link = format!("<a href=\"../{other}\"{current}>{}</a>", n + 1);
                assert!(nav.contains(&link), "{path}: {link} missing in {nav}");
            }
            if path.starts_with("guide/") {
                // The guide names its points without linking them (a point
                // is under each of its kinds of help).
                let names: std::collections::BTreeSet<String> =
                    html.split("<h4>").skip(1).map(|s| s.split('<').next().unwrap().to_string()).collect();
                assert_eq!(names.len(), au - du + 1, "{path}");
                seen.extend(names);
            } else {
                let points = linked_points(&html);
                assert!(points.len() <= 100, "{path}: {} points", points.len());
                seen.extend(points);
            }
        }
        assert_eq!(seen.len(), 252, "{first}: every point on a page");
    }
    // A short list has no pages.
    assert!(!built.read("lieux/lieu-1.html").contains("class=\"pagination\""));
}

#[test]
fn pages_of_a_long_list_are_the_same_with_or_without_tera() {
    let site = crowded_commune(120);
    let native = build_site(site.path());
    let to = site.path().join("themes/default/templates");
    std::fs::create_dir_all(&to).unwrap();
    for name in TRANSCRIBED {
        let text = std::fs::read_to_string(repo().join("themes/default/templates").join(name)).unwrap();
        std::fs::write(to.join(name), format!("{text}{{# copie #}}")).unwrap();
    }
    let templated = build_site(site.path());
    for path in ["communes/ville-test--2.html", "structures/asso-test.html", "guide/ville-test.ville-test--2.html"] {
        let (a, b) = (native.read(path), templated.read(path));
        assert!(a.contains("class=\"pagination\""), "{path}");
        assert!(a == b, "{path} differs:\n{}", diff(&a, &b));
    }
    // The coordination page lists a commune's first 100 points only.
    let (a, b) = (native.read("coordination/ville-test.html"), templated.read("coordination/ville-test.html"));
    assert!(a.contains(", et 22 autres (tous dans les données ouvertes)"), "{a}");
    assert!(a == b, "coordination differs:\n{}", diff(&a, &b));
}

fn diff(a: &str, b: &str) -> String {
    let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
    let from = at.saturating_sub(200);
    format!("native:   {}\ntemplate: {}", &a[from..(at + 200).min(a.len())], &b[from..(at + 200).min(b.len())])
}
