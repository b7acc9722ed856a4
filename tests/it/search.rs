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

/// The index's settings the search page holds inline (`alimap-index`).
pub(crate) fn inline_meta(page: &str) -> serde_json::Value {
    let start = r#"<script type="application/json" id="alimap-index">"#;
    let body = page.split_once(start).and_then(|(_, r)| r.split_once("</script>")).map(|(b, _)| b);
    serde_json::from_str(body.unwrap_or_else(|| panic!("no inline index in {page}"))).unwrap()
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
    let meta = inline_meta(&built.read("recherche.html"));
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
    assert!(built.read("recherche.html").contains(r#"<script data-racine="">"#));
    assert!(built.read("communes/saint-denis.html").contains("Saint-Denis"));
}

/// The page's inline settings name exactly the files the index has, so
/// that its first script asks for every file a query needs and for no
/// missing one.
#[test]
fn the_inline_settings_name_the_files_that_exist() {
    let built = build_site(&repo());
    let meta = inline_meta(&built.read("recherche.html"));
    let mut names: Vec<String> = std::fs::read_dir(built.out().join("recherche"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".js").to_string())
        .collect();
    names.sort();
    let listed = |prefix: &str| -> Vec<String> {
        names.iter().filter_map(|n| n.strip_prefix(prefix)).map(str::to_string).collect()
    };
    let pairs = |key: &str| -> Vec<String> {
        let s = meta[key].as_str().unwrap();
        (0..s.len()).step_by(2).map(|i| s[i..i + 2].to_string()).collect()
    };
    assert_eq!(pairs("cles"), listed("t-"));
    assert_eq!(pairs("variantes"), listed("v-"));
    assert_eq!(pairs("lieux"), listed("g-"));
    let filtres: Vec<String> = meta["filtres"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().into()).collect();
    assert_eq!(filtres, listed("f-"));
    assert!(!names.contains(&"meta".to_string()));
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
