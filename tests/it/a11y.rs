//! The accessibility statement the build writes on every site, and the
//! heading order of contributed Markdown. The browser checks (axe-core,
//! keyboard, reflow) are in tests/browser/a11y.test.mjs; the HTML check in
//! tests/browser/html.test.mjs.

use crate::support::{build_site, fixture};

#[test]
fn every_site_gets_an_accessibility_statement_linked_from_every_page() {
    let built = build_site(&fixture("build/minimal"));
    assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
    let page = built.read("pages/accessibilite.html");
    assert!(page.contains("<h1>Déclaration d’accessibilité</h1>"), "{page}");
    assert!(page.contains("<strong>partiellement conforme</strong>"), "{page}");
    // The site's own contact, and the recourse the RGAA names.
    assert!(page.contains("href=\"mailto:contact@exemple.org\""), "{page}");
    assert!(page.contains("Collectif de test"), "{page}");
    assert!(page.contains("Défenseur des droits"), "{page}");
    for entry in walkdir::WalkDir::new(built.out()) {
        let path = entry.unwrap().into_path();
        if path.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&path).unwrap();
            assert!(
                html.contains("pages/accessibilite.html\">Accessibilité : partiellement conforme</a>"),
                "{} has no link to the statement in its footer",
                path.display()
            );
        }
    }
    assert!(built.read("sitemap.xml").contains("pages/accessibilite.html"));
}

#[test]
fn a_content_page_cannot_take_the_statement_s_place() {
    let built = build_site(&fixture("a11y/page-en-conflit"));
    assert!(built.report.summary.is_none());
    let text = built.diagnostics();
    assert!(text.contains("content/pages/accessibilite.md"), "{text}");
    assert!(text.contains("déjà pris par la déclaration d’accessibilité, que alimap écrit lui-même"), "{text}");
}

#[test]
fn markdown_starting_at_level_two_does_not_skip_a_heading_level() {
    let built = build_site(&crate::support::repo());
    let page = built.read("pages/a-propos.html");
    let h1 = page.find("<h1>").unwrap();
    let next = page[h1 + 4..].find("<h").map(|i| &page[h1 + 4 + i..h1 + 7 + i]);
    assert_eq!(next, Some("<h2"), "the first heading after the title is an h2");
    assert!(!page.contains("<h3>Un annuaire d’exemple</h3>"));
}
