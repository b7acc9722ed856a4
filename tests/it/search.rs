//! The search index on disk: reproducible, and data that stays data even
//! when content is hostile. What a visitor does with it is tested in a real
//! browser (tests/browser/search.test.mjs).

use crate::support::{build_site, fixture, repo, visible_text};

/// The JSON of a `recherche/<name>.js` file, checking the call around it.
fn data(js: &str, name: &str) -> serde_json::Value {
    let prefix = format!("ALIMAP_recu(\"{name}\",");
    let body = js.strip_prefix(&prefix).and_then(|r| r.strip_suffix(");\n")).unwrap_or_else(|| panic!("{name}: {js}"));
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn two_builds_write_the_same_index() {
    let a = build_site(&repo());
    let b = build_site(&repo());
    let list = |dir: &std::path::Path| {
        let mut v: Vec<_> = std::fs::read_dir(dir.join("recherche")).unwrap().map(|e| e.unwrap().path()).collect();
        v.sort();
        v
    };
    let (la, lb) = (list(&a.out()), list(&b.out()));
    assert_eq!(la.len(), lb.len());
    assert!(la.len() > 10);
    for (pa, pb) in la.iter().zip(&lb) {
        assert_eq!(std::fs::read(pa).unwrap(), std::fs::read(pb).unwrap(), "{}", pa.display());
    }
}

#[test]
fn every_point_is_in_the_index_with_eight_weeks_of_hours() {
    let built = build_site(&repo());
    let meta = data(&built.read("recherche/meta.js"), "meta");
    let n = meta["nombre"].as_u64().unwrap() as usize;
    let bloc = meta["bloc"].as_u64().unwrap() as usize;
    assert_eq!(n, built.report.summary.as_ref().unwrap().lieux);
    let mut seen = 0;
    for b in 0..n.div_ceil(bloc) {
        let points = data(&built.read(&format!("recherche/p-{b}.js")), &format!("p-{b}"));
        for p in points.as_array().unwrap() {
            // The hours, then the season (tests/it/horaires.rs).
            let h = &p.as_array().unwrap()[12];
            if !h.is_null() {
                assert_eq!(h[1].as_str().unwrap().chars().count(), 56, "{h}");
            }
        }
        seen += points.as_array().unwrap().len();
    }
    assert_eq!(seen, n);
    // The search page and one page per commune are written.
    assert!(built.read("recherche.html").contains("assets/recherche.js"));
    assert!(built.read("communes/saint-denis.html").contains("Saint-Denis"));
}

#[test]
fn a_commune_written_two_ways_has_one_page_with_all_its_points() {
    // "Ville-Test" and "Ville-test", both in the 93: one commune, one page.
    let built = build_site(&fixture("diagnostics/far-from-commune"));
    let communes: Vec<String> = std::fs::read_dir(built.out().join("communes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(communes, ["ville-test.html"]);
    let page = visible_text(&built.read("communes/ville-test.html"));
    assert!(page.contains("Colis du jeudi") && page.contains("Frigo solidaire"), "{page}");
}

#[test]
fn hostile_text_stays_data_in_the_index() {
    let built = build_site(&fixture("build/hostile"));
    assert!(built.report.summary.is_some(), "{}", built.diagnostics());
    for entry in std::fs::read_dir(built.out().join("recherche")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let js = std::fs::read_to_string(&path).unwrap();
        // Parsing as JSON proves no text closed the string or the call.
        data(&js, &name);
    }
}
