//! `alimap build` on valid sites: the pages a visitor sees.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::support::*;

#[test]
fn sample_site_builds_without_errors() {
    let built = build_site(&repo());
    assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
    let summary = built.report.summary.as_ref().unwrap();
    assert_eq!(summary.territoires, 8);
    assert!((60..=120).contains(&summary.lieux), "{} points", summary.lieux);
    // Every point, structure and territory has its page.
    let count = |dir: &str| std::fs::read_dir(built.out().join(dir)).unwrap().count();
    assert_eq!(count("lieux"), summary.lieux);
    let html_files = |dir: &str| {
        std::fs::read_dir(built.out().join(dir))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "html"))
            .count()
    };
    assert_eq!(html_files("territoires"), 8);
    assert_eq!(count("structures"), summary.structures + 1);
    // The sample's data is fictional, and every page says so.
    for page in ["index.html", "territoires/saint-denis.html", "404.html"] {
        assert!(built.read(page).contains("Site d’exemple"), "{page}");
    }
}

#[test]
fn home_links_to_territories_kinds_of_help_and_pages() {
    let built = build_site(&fixture("build/minimal"));
    let home = built.read("index.html");
    assert!(home.contains("<html lang=\"fr\" dir=\"ltr\">"));
    assert!(home.contains("href=\"territoires/ville-test.html\">Ville-Test</a>"), "{home}");
    assert!(home.contains("href=\"pages/a-propos.html\">À propos</a>"));
    assert!(home.contains("href=\"structures/index.html\""));
    let text = visible_text(&home);
    assert!(text.contains("Épicerie sociale et solidaire 1 lieu"), "{text}");
    assert!(text.contains("Repas 1 lieu"), "{text}");
    // Each kind of help leads to the search for it.
    assert!(home.contains("href=\"recherche.html?aide=epicerie-sociale\"><span>Épicerie sociale et solidaire</span>"));
    assert!(home.contains("href=\"recherche.html?aide=repas\"><span>Repas</span>"), "{home}");
}

#[test]
fn territory_page_groups_points_by_kind_of_help_with_today_and_conditions() {
    let built = build_site(&fixture("build/minimal"));
    let page = built.read("territoires/ville-test.html");
    let text = visible_text(&page);
    // Grouped by kind: a point with two kinds appears under both.
    for heading in ["<h2 id=\"titre-repas\">Repas</h2>", "<h2 id=\"titre-petit-dejeuner\">Petit-déjeuner</h2>"] {
        assert!(page.contains(heading), "{heading}");
    }
    // 2026-11-28 is a Saturday: the grocery is closed, the meals are served.
    assert!(text.contains("Aujourd’hui (samedi 28 novembre) : Fermé"), "{text}");
    assert!(text.contains("Aujourd’hui (samedi 28 novembre) : Ouvert 19 h – 21 h"), "{text}");
    assert!(
        text.contains("Sur orientation d’un travailleur social ; Sur rendez-vous — Payant — justificatifs demandés")
    );
    assert!(text.contains("Sans condition, ouvert à tous — Gratuit — aucun justificatif"));
    // Coordination body and its members.
    assert!(text.contains("Coordination : Collectif alimentaire de Ville-Test"));
    assert!(page.contains("href=\"../structures/asso-test.html\">Association de test</a>"));
    // Markdown presentation is rendered.
    assert!(page.contains("<strong>Ville-Test</strong>"));
}

/// The cards of one kind of help's section (`id="aide-<kind>"`) of a page.
fn cards_in_section(page: &str, kind: &str) -> usize {
    let start = page.find(&format!("id=\"aide-{kind}\"")).unwrap_or_else(|| panic!("section {kind}"));
    let section = &page[start..start + page[start..].find("</section>").unwrap()];
    section.matches("href=\"../lieux/").count()
}

#[test]
fn a_territory_of_more_than_a_hundred_points_is_summed_up_by_kind_of_help_and_commune() {
    let site = large_territory_site();
    let built = build_site(site.path());
    assert!(built.report.summary.is_some(), "{}", built.diagnostics());
    let page = built.read("territoires/ville-test.html");
    let text = visible_text(&page);

    // No card and no point is listed: the page links to the communes.
    assert!(!text.contains("Lieu généré"), "{text}");
    assert!(!page.contains("href=\"../lieux/"));
    assert!(text.contains("122 lieux d’aide alimentaire dans 3 communes"), "{text}");
    // Under each kind, its communes with their number of points, each
    // leading to that kind on the commune's page, which lists as many.
    // Meals: one of Ville-Test's 2 points, and the 42 + 39 new points
    // given meals, or meals and a fridge.
    assert!(text.contains("Repas (82)"), "{text}");
    assert!(text.contains("Frigo solidaire (39)"), "{text}");
    for (slug, nom, kind) in [("bourg-test", "Bourg-Test", "repas"), ("ville-test", "Ville-Test", "colis-alimentaire")]
    {
        let href = format!("../communes/{slug}.html#aide-{kind}");
        let at = page.find(&format!("href=\"{href}\">{nom}</a> (")).unwrap_or_else(|| panic!("{href} in {page}"));
        let shown: usize = page[at..].split(" (").nth(1).unwrap().split(')').next().unwrap().parse().unwrap();
        let commune = built.read(&format!("communes/{slug}.html"));
        assert_eq!(cards_in_section(&commune, kind), shown, "{slug} {kind}");
    }
    // Every commune, with all its points.
    let par_commune = &page[page.find("id=\"par-commune\"").unwrap()..];
    for entry in ["Bourg-Test</a> (40)", "Hameau-Test</a> (40)", "Ville-Test</a> (42)"] {
        assert!(par_commune.contains(entry), "{entry}");
    }
    // The interactive map is still there, with every point in its data.
    assert!(page.contains("data-ouvrir-carte"));

    // The printable guide is one per commune, each with that commune's
    // points only, and every part is in the sitemap.
    let guide = built.read("guide/ville-test.html");
    assert!(!visible_text(&guide).contains("Lieu généré"));
    assert!(guide.contains("href=\"../guide/ville-test.bourg-test.html\">Bourg-Test</a> (40)"), "{guide}");
    let part = visible_text(&built.read("guide/ville-test.bourg-test.html"));
    assert!(part.contains("Aide alimentaire : Bourg-Test (Ville-Test)"), "{part}");
    assert!(part.contains("— 40 lieux."), "{part}");
    let names: std::collections::BTreeSet<usize> =
        (0..120).filter(|i| part.contains(&format!("Lieu généré {i} "))).collect();
    assert_eq!(names, (0..120).filter(|i| i % 3 == 1).collect(), "only Bourg-Test's points");
    let sitemap = built.read("sitemap.xml");
    for slug in ["bourg-test", "hameau-test", "ville-test"] {
        assert!(sitemap.contains(&format!("/guide/ville-test.{slug}.html</loc>")), "{slug}");
    }
}

#[test]
fn point_page_has_week_closures_contacts_directions_and_freshness() {
    let built = build_site(&fixture("build/minimal"));
    let page = built.read("lieux/epicerie-nord.html");
    let text = visible_text(&page);
    // The week from the build date, with today marked.
    assert!(text.contains("samedi 28 novembre (aujourd’hui) Fermé"), "{text}");
    assert!(text.contains("lundi 30 novembre 9 h – 12 h, 14 h – 17 h"), "{text}");
    // Upcoming closure, with its reason.
    assert!(
        text.contains("Fermé du jeudi 24 décembre 2026 au dimanche 3 janvier 2027 (Congés de fin d’année)"),
        "{text}"
    );
    assert!(page.contains("href=\"tel:+33148000013\""));
    assert!(page.contains("https://www.openstreetmap.org/directions?route=%3B48.930000%2C2.350000"));
    assert!(text.contains("Informations vérifiées le 1er novembre 2026"), "{text}");
    assert!(page.contains("href=\"../structures/asso-test.html\">Association de test</a>"));
    assert!(text.contains("Payant : 10 % du prix en magasin"));
    assert!(text.contains("Pièce d’identité"));
    assert!(page.contains("<span lang=\"ar\">العربية</span>"));
    // Stale information is flagged to the visitor.
    let old = visible_text(&built.read("lieux/repas-du-soir.html"));
    assert!(old.contains("Elles datent : appelez pour confirmer"), "{old}");
}

#[test]
fn links_are_relative_so_the_site_works_from_disk_and_any_sub_path() {
    let built = build_site(&fixture("build/minimal"));
    for page in ["index.html", "lieux/epicerie-nord.html", "territoires/ville-test.html", "pages/a-propos.html"] {
        let html = built.read(page);
        for href in html.split("href=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]) {
            let external = ["https://", "http://", "tel:", "mailto:", "geo:", "#"].iter().any(|p| href.starts_with(p));
            assert!(!href.starts_with('/'), "{page}: {href}");
            if !external {
                // Every internal link points at a file that exists.
                let path = href.split(['#', '?']).next().unwrap();
                let target = built.out().join(page).parent().unwrap().join(path);
                assert!(target.is_file(), "{page}: broken link {href}");
            }
        }
    }
}

#[test]
fn sitemap_robots_and_404_use_the_base_url() {
    let built = build_site(&fixture("build/minimal"));
    let sitemap = built.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://exemple.org/annuaire/lieux/epicerie-nord.html</loc>"), "{sitemap}");
    assert!(built.read("robots.txt").contains("Sitemap: https://exemple.org/annuaire/sitemap.xml"));
    assert!(built.read("404.html").contains("href=\"/annuaire/index.html\""));
}

/// A site can change what crawlers read, as any other file of the theme.
#[test]
fn a_theme_overrides_robots_and_the_sitemap() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("build/minimal/content"), &dir.path().join("content"));
    let templates = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("robots.txt"), "User-agent: *\nDisallow: /coordination/\n").unwrap();
    let sitemap = std::fs::read_to_string(repo().join("themes/default/templates/sitemap.xml")).unwrap();
    std::fs::write(
        templates.join("sitemap.xml"),
        sitemap.replace("<url><loc>", "<url><changefreq>weekly</changefreq><loc>"),
    )
    .unwrap();
    let built = build_site(dir.path());
    assert_eq!(built.read("robots.txt"), "User-agent: *\nDisallow: /coordination/\n");
    let sitemap = built.read("sitemap.xml");
    assert!(sitemap.contains("<changefreq>weekly</changefreq><loc>https://exemple.org/annuaire/lieux/"), "{sitemap}");
}

#[test]
fn the_sitemap_lists_every_page_and_only_pages_that_exist() {
    let built = build_site(&repo());
    let sitemap = built.read("sitemap.xml");
    let base = "https://exemple.alimap.fr/";
    assert!(sitemap.contains("<urlset"), "the sample site fits in one sitemap");
    let locs: Vec<&str> = sitemap.split("<loc>").skip(1).map(|s| &s[..s.find("</loc>").unwrap()]).collect();
    for loc in &locs {
        let rel = loc.strip_prefix(base).unwrap_or_else(|| panic!("{loc} is under the site's URL"));
        // A language's home is listed as its folder (`en/`).
        let file = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() };
        assert!(built.out().join(&file).is_file(), "{loc} exists");
    }
    // Every HTML page a visitor may land on is listed, commune pages and
    // the search page included, in every language; only error and offline
    // pages are not.
    let unlisted = ["404.html", "hors-ligne.html"];
    for entry in walkdir::WalkDir::new(built.out()) {
        let path = entry.unwrap().into_path();
        let rel = path.strip_prefix(built.out()).unwrap().to_str().unwrap().replace('\\', "/");
        let name = rel.rsplit('/').next().unwrap_or_default();
        if !rel.ends_with(".html") || unlisted.contains(&name) {
            continue;
        }
        // The sample site publishes French at the root, English and Arabic
        // in their folders.
        let loc = match rel.as_str() {
            "index.html" | "en/index.html" | "ar/index.html" => format!("{base}{}", rel.trim_end_matches("index.html")),
            _ => format!("{base}{rel}"),
        };
        assert!(locs.contains(&loc.as_str()), "{rel} is in sitemap.xml");
    }
    assert!(locs.contains(&"https://exemple.alimap.fr/communes/saint-denis.html"));
    assert!(locs.contains(&"https://exemple.alimap.fr/recherche.html"));
}

#[test]
fn pages_are_semantic_and_carry_the_privacy_headers() {
    let built = build_site(&fixture("build/minimal"));
    for page in ["index.html", "lieux/epicerie-nord.html", "territoires/ville-test.html", "structures/asso-test.html"] {
        let html = built.read(page);
        for needle in [
            "<main id=\"contenu\"",
            "<header",
            "<footer",
            "class=\"evitement\" href=\"#contenu\"",
            "Content-Security-Policy",
            "name=\"referrer\" content=\"no-referrer\"",
            "name=\"viewport\"",
        ] {
            assert!(html.contains(needle), "{page}: {needle}");
        }
        assert_eq!(html.matches("<h1").count(), 1, "{page}");
        // The only scripts are the map's loader, an external deferred file,
        // and schema.org data, which is not run.
        let rest = without_map_loader(&html);
        let data = rest.matches("<script type=\"application/ld+json\">").count();
        assert_eq!(rest.matches("<script").count(), data, "{page}: no other script is needed");
    }
}

#[test]
fn a_theme_file_in_the_site_overrides_the_default() {
    let built = build_site(&fixture("build/theme-override"));
    assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
    assert!(built.read("pages/a-propos.html").contains("Gabarit de page du territoire"));
    // Files not overridden come from the embedded default theme.
    assert!(built.read("index.html").contains("Choisir un territoire"));
}

#[test]
fn the_legal_notice_of_site_toml_becomes_a_page_linked_from_every_page() {
    let built = build_site(&fixture("build/minimal"));
    let page = built.read("pages/mentions-legales.html");
    assert!(page.contains("<h1>Mentions légales</h1>"));
    assert!(page.contains("Éditeur : <strong>Collectif de test</strong>."));
    assert!(
        built.read("lieux/epicerie-nord.html").contains("href=\"../pages/mentions-legales.html\">Mentions légales</a>")
    );
}

#[test]
fn hostile_text_in_every_field_comes_out_escaped_or_removed() {
    let built = build_site(&fixture("build/hostile"));
    assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
    // Every page, in both languages: names of the site, the territory, its
    // coordination, the commune and the point are hostile, and pages show
    // them in titles, headings and sentences of the interface.
    let pages: Vec<String> = walkdir::WalkDir::new(built.out())
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().strip_prefix(built.out()).unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(pages.len() > 30 && pages.iter().any(|p| p.starts_with("en/communes/")), "{pages:?}");
    for page in &pages {
        let html = without_map_loader(&built.read(page));
        // Live markup only: the same words escaped as text are harmless.
        // The schema.org block is data; hostile text inside it is escaped
        // (tested below), so leave it out of the search for live markup.
        let html = match (html.find("<script type=\"application/ld+json\">"), html.find("</script>")) {
            (Some(a), Some(b)) if a < b => format!("{}{}", &html[..a], &html[b + 9..]),
            _ => html,
        };
        for forbidden in [
            "<script",
            "<img",
            "<iframe",
            "\"onmouseover=",
            "onmouseover=\"",
            "' onfocus='",
            "<b onclick",
            "href=\"javascript:",
            "href=\"data:",
            "src=\"https://traqueur",
        ] {
            assert!(!html.contains(forbidden), "{page} contains {forbidden}");
        }
    }
    // The text is still there for the reader, as text.
    let html = built.read("lieux/piege.html");
    assert!(html.contains("&lt;script&gt;alert(&#39;nom&#39;)&lt;/script&gt;"), "{html}");
    assert!(html.contains("<div>survol</div>"), "{html}");
    // In the schema.org block, `<`, `>` and `&` are JSON escapes: the hostile
    // name cannot close the element, and the data still says the same.
    let start = html.find("<script type=\"application/ld+json\">").expect("schema.org block") + 35;
    let end = start + html[start..].find("</script>").unwrap();
    let block = &html[start..end];
    assert!(!block.contains('<') && !block.contains('>') && !block.contains('&'), "{block}");
    let data: serde_json::Value = serde_json::from_str(block).unwrap();
    assert!(data["location"]["name"].as_str().unwrap().contains("<script>alert('nom')</script>"), "{data}");
}

/// A page without the map's loader script, the only script a page may have.
/// The page without its known external scripts (the map's loader, the
/// offline and search scripts, from any depth or from the base URL's path)
/// and its scripts' texts.
fn without_map_loader(html: &str) -> String {
    let mut html = html.to_string();
    let mut from = 0;
    while let Some(i) = html[from..].find("<script src=\"") {
        let start = from + i;
        let src_start = start + "<script src=\"".len();
        let src = &html[src_start..src_start + html[src_start..].find('"').expect("closed src")];
        let path = src.strip_prefix("/annuaire/").unwrap_or(src).trim_start_matches("../");
        let known = ["assets/carte.js", "assets/hors-ligne.js", "assets/recherche.js"].contains(&path);
        if !known {
            from = src_start;
            continue;
        }
        let end = start + html[start..].find("</script>").expect("closed script") + "</script>".len();
        html.replace_range(start..end, "");
    }
    // The scripts' texts are a JSON data block, not run; what it holds is
    // escaped (tests/it/langues.rs reads it back).
    if let Some(start) = html.find("<script type=\"application/json\" id=\"alimap-textes\">") {
        let end = start + html[start..].find("</script>").expect("closed data block") + "</script>".len();
        assert!(!html[start + 50..end - 9].contains('<'), "the data block holds no markup");
        html.replace_range(start..end, "");
    }
    // The search page's index settings (data) and first script, the
    // theme's file as it is (tests/it/hostile.rs checks both).
    if let Some(start) = html.find("<script type=\"application/json\" id=\"alimap-index\">") {
        let end = start + html[start..].find("</script>").expect("closed data block") + "</script>".len();
        assert!(!html[start + 50..end - 9].contains('<'), "the data block holds no markup");
        html.replace_range(start..end, "");
    }
    let amorce =
        std::fs::read_to_string(crate::support::repo().join("themes/default/static/recherche-amorce.js")).unwrap();
    if let Some(start) = html.find("<script data-racine=\"") {
        let body = start + html[start..].find('>').expect("closed tag") + 1;
        assert!(
            html[body..].starts_with(&format!("{amorce}</script>")),
            "the search page's first script is the theme's"
        );
        html.replace_range(start..body + amorce.len() + "</script>".len(), "");
    }
    html
}

/// Point, commune, structure, guide and coordination pages are written by
/// Rust code while the theme keeps the default templates they are made of
/// (`render::native`). Each site here is built twice: as it is, and with a
/// theme overriding these templates with copies of themselves (a comment
/// added, so that they are overrides), which Tera renders. Every file must
/// be the same: in French, English, Arabic (right to left) and Ukrainian
/// (French texts marked as such), with tiles and without, with translated
/// and hostile content (markup, control characters), offline mode on and
/// off, with and without a contact, with a guide in one part and in parts,
/// and coordination pages with and without each of their optional parts.
#[test]
fn native_pages_are_the_templates_pages() {
    let minimal = std::fs::read_to_string(fixture("build/minimal/content/site.toml")).unwrap();
    let without_contact = minimal.split("[contact]").next().unwrap().to_string();
    let cases: Vec<(PathBuf, Option<String>)> = vec![
        (repo(), None),
        (fixture("langues/trois"), None),
        (fixture("maps/sans-tuiles"), None),
        (fixture("build/hostile"), None),
        (fixture("hostile/caracteres"), None),
        // Open-ended and seasonal hours, points without hours.
        (fixture("horaires/reels"), None),
        (
            fixture("build/minimal"),
            Some(format!("hors_ligne = false\n{}", minimal.replace("exemple = true", "exemple = false"))),
        ),
        (fixture("build/minimal"), Some(without_contact)),
        // « Modifier cette fiche » and « Signaler une erreur » on the forge.
        (fixture("build/minimal"), Some(format!("{minimal}\n[depot]\nadresse = \"https://github.com/a/b\"\n"))),
        (
            fixture("build/minimal"),
            Some(format!("{minimal}\n[depot]\nadresse = \"https://gitlab.com/a/b\"\ndossier = \"x y\"\n")),
        ),
    ];
    // A territory of more than 100 points: its guide is one per commune.
    let large = large_territory_site();
    let branches = coordination_branches_site();
    let mut cases = cases;
    cases.push((large.path().to_path_buf(), None));
    cases.push((branches.path().to_path_buf(), None));
    for (from, site_toml) in cases {
        // The week of Christmas, whose holiday the coverage grids replace.
        let on = if from == branches.path() { NaiveDate::from_ymd_opt(2026, 12, 22).unwrap() } else { today() };
        let copy = |templated: bool| {
            let dir = tempfile::tempdir().unwrap();
            copy_dir(&from.join("content"), &dir.path().join("content"));
            if let Some(text) = &site_toml {
                std::fs::write(dir.path().join("content/site.toml"), text).unwrap();
            }
            if templated {
                let to = dir.path().join("themes/default/templates");
                std::fs::create_dir_all(&to).unwrap();
                for name in TRANSCRIBED {
                    let text = std::fs::read_to_string(repo().join("themes/default/templates").join(name)).unwrap();
                    std::fs::write(to.join(name), format!("{text}{{# copie #}}")).unwrap();
                }
            }
            dir
        };
        let (native, templated) = (copy(false), copy(true));
        let (a, b) = (build_site_on(native.path(), on), build_site_on(templated.path(), on));
        let failed = a.report.diagnostics.has_errors() || b.report.diagnostics.has_errors();
        assert!(!failed, "{}: {}{}", from.display(), a.diagnostics(), b.diagnostics());
        if from == branches.path() {
            let (bourg, ville) = (a.read("coordination/bourg-seul.html"), a.read("coordination/ville-test.html"));
            for text in ["Jours fériés remplacés", "Aucun manque repéré", "Aucune instance de coordination"] {
                assert!(bourg.contains(text), "{text}");
            }
            assert!(ville.contains("Hors des communes déclarées"));
        }
        let files = |root: &Path| -> Vec<PathBuf> {
            let mut v: Vec<PathBuf> = walkdir::WalkDir::new(root)
                .into_iter()
                .map(|e| e.unwrap())
                .filter(|e| e.file_type().is_file())
                .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf())
                .collect();
            v.sort();
            v
        };
        let listed = files(&a.out());
        assert_eq!(listed, files(&b.out()), "{}", from.display());
        for kind in ["lieux", "communes", "structures", "guide", "coordination"] {
            assert!(listed.iter().any(|p| p.starts_with(kind)), "{}: no {kind}", from.display());
        }
        for rel in listed {
            let (x, y) = (std::fs::read(a.out().join(&rel)).unwrap(), std::fs::read(b.out().join(&rel)).unwrap());
            if x != y {
                let (x, y) = (String::from_utf8_lossy(&x), String::from_utf8_lossy(&y));
                let line = x.lines().zip(y.lines()).position(|(p, q)| p != q).unwrap_or(0);
                panic!(
                    "{}: {} differs at line {}:\nnative:    {:?}\ntemplates: {:?}",
                    from.display(),
                    rel.display(),
                    line + 1,
                    x.lines().nth(line),
                    y.lines().nth(line)
                );
            }
        }
    }
}

/// The coordination fixture changed to show what the other sites of
/// `native_pages_are_the_templates_pages` leave out of their coordination
/// pages (built for a week with a public holiday): in two languages, a
/// coordination without members, a point outside the declared communes,
/// and a second territory without coordination whose only point is open at
/// all hours (no gap) and says whether it takes a wheelchair. Of the
/// structures' needs, one gives no contact and one a website only.
fn coordination_branches_site() -> tempfile::TempDir {
    let site = scratch_copy("coord/semaine");
    let write = |rel: &str, text: &str| {
        let path = site.path().join("content").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let site_toml = std::fs::read_to_string(site.path().join("content/site.toml")).unwrap();
    write("site.toml", &format!("langues = [\"fr\", \"en\"]\n{site_toml}"));
    write(
        "territoires/ville-test.toml",
        "nom = \"Ville-Test\"\ntype = \"intercommunalite\"\nperimetre = \"ville-test.geojson\"\n\
         communes = \"ville-test-communes.geojson\"\n\n[coordination]\nnom = \"Collectif de Ville-Test\"\n\
         site_web = \"https://exemple.org/collectif\"\n",
    );
    // The commune « Est » is left out: the point there is outside them all.
    let communes =
        std::fs::read_to_string(site.path().join("content/territoires/ville-test-communes.geojson")).unwrap();
    let kept: Vec<&str> = communes.lines().filter(|l| !l.contains("\"Est\"")).collect();
    write("territoires/ville-test-communes.geojson", &kept.join("\n").replace("}},\n]}", "}}\n]}"));
    let lieu = |nom: &str, structure: &str, lon: f64, lat: f64, horaires: &str| {
        format!(
            "nom = \"{nom}\"\nstructure = \"{structure}\"\nservices = [\"repas\"]\nadresse = \"1 rue Haute\"\n\
             code_postal = \"93200\"\ncommune = \"Ville\"\nlatitude = {lat}\nlongitude = {lon}\n\
             horaires_accueil = \"{horaires}\"\nacces = [\"sans-condition\"]\nfrais = \"gratuit\"\n\
             accessibilite_pmr = true\ndate_maj = 2026-11-01\n"
        )
    };
    write("lieux/hors-communes.toml", &lieu("Repas de l’Est", "asso-web", 2.38, 48.91, "Mo 12:00-14:00"));
    write(
        "structures/asso-web.toml",
        "nom = \"Association Web\"\ntype = \"association\"\nsite_web = \"https://exemple.org/web\"\n\
         date_maj = 2026-11-01\n\n[besoins]\nbenevoles = true\n",
    );
    write(
        "territoires/bourg-seul.toml",
        "nom = \"Bourg-Seul\"\ntype = \"autre\"\nperimetre = \"bourg-seul.geojson\"\n",
    );
    write(
        "territoires/bourg-seul.geojson",
        "{\"type\":\"Polygon\",\"coordinates\":[[[2.50,48.80],[2.60,48.80],[2.60,48.85],[2.50,48.85],[2.50,48.80]]]}\n",
    );
    write("lieux/jour-et-nuit.toml", &lieu("Jour et nuit", "asso-muette", 2.55, 48.82, "24/7"));
    write(
        "structures/asso-muette.toml",
        "nom = \"Association muette\"\ntype = \"association\"\ndate_maj = 2026-11-01\n\n\
         [besoins]\ndons = [\"hygiene\"]\ndons_precisions = \"Au local.\"\n",
    );
    site
}
