//! Contacts and texts as visitors and re-users get them: phone numbers in
//! one form with international `tel:` links, a one-commune territory's list
//! without its commune after each name, data·inclusion descriptions as text.

use crate::support::*;

/// The minimal site with its contacts written the ways volunteers write them.
fn written_every_way() -> Built {
    let site = scratch_copy("build/minimal");
    let edit = |rel: &str, from: &str, to: &str| {
        let path = site.path().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel}: {from}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    edit("content/lieux/nord/epicerie-nord.toml", "\"01 48 00 00 13\"", "\"+33148000013\"");
    edit("content/structures/asso-test.toml", "\"01 48 00 00 12\"", "\"01.48.00.00.12\"");
    edit(
        "content/structures/asso-test.toml",
        "presentation = \"Une association **de test**.\"",
        "presentation = \"\"\"\n## Qui sommes-nous\n\nUne association **de test**, voir [notre site](https://exemple.org/asso).\n\n- colis\n- repas\n\"\"\"",
    );
    let built = build_site(site.path());
    assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
    built
}

#[test]
fn phones_show_in_one_form_with_international_links() {
    let built = written_every_way();
    let lieu = built.read("lieux/epicerie-nord.html");
    assert!(lieu.contains("<a href=\"tel:+33148000013\" dir=\"ltr\">01 48 00 00 13</a>"), "{lieu}");
    let structure = built.read("structures/asso-test.html");
    assert!(structure.contains("<a href=\"tel:+33148000012\" dir=\"ltr\">01 48 00 00 12</a>"), "{structure}");
    assert!(!structure.contains("01.48"), "{structure}");
}

#[test]
fn data_inclusion_descriptions_are_plain_text() {
    let built = written_every_way();
    let structures: Vec<serde_json::Value> = serde_json::from_str(&built.read("donnees/structures.json")).unwrap();
    let s = structures.iter().find(|s| s["id"] == "asso-test").unwrap();
    assert_eq!(
        s["description"],
        "Qui sommes-nous\n\nUne association de test, voir notre site (https://exemple.org/asso).\n\n- colis\n- repas"
    );
    let services: Vec<serde_json::Value> = serde_json::from_str(&built.read("donnees/services.json")).unwrap();
    let l = services.iter().find(|s| s["id"] == "epicerie-nord").unwrap();
    let description = l["description"].as_str().unwrap();
    assert!(description.ends_with("Venez avec un sac."), "{description}");
}

#[test]
fn a_one_commune_territory_does_not_repeat_its_commune() {
    let built = build_site(&fixture("build/minimal"));
    assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
    for page in ["territoires/ville-test.html", "guide/ville-test.html"] {
        let html = built.read(page);
        // The numbered list of the map: names alone.
        assert!(html.contains("Repas du soir</a></li>") || html.contains("Repas du soir</li>"), "{page}: {html}");
        assert!(!html.contains(">Ville-Test</span></li>"), "{page}: {html}");
    }
}

/// An address in the wrong field, or a web address without its `https://`,
/// is refused with what to write instead, by `check` as by `build`.
#[test]
fn contacts_in_the_wrong_field_get_the_line_to_write() {
    let site = scratch_copy("build/minimal");
    let edit = |rel: &str, from: &str, to: &str| {
        let path = site.path().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    edit("content/lieux/nord/epicerie-nord.toml", "\"01 48 00 00 13\"", "\"accueil@exemple.org\"");
    edit("content/structures/asso-test.toml", "\"01 48 00 00 12\"", "\"www.exemple.org\"");
    edit("content/structures/asso-test.toml", "\"https://exemple.org/asso\"", "\"www.exemple.org/asso\"");
    let built = build_site(site.path());
    assert!(built.report.summary.is_none(), "nothing is published");
    let text = built.diagnostics();
    for expected in [
        "numéro de téléphone invalide « accueil@exemple.org »",
        "c’est une adresse électronique : écrivez-la dans `courriel = \"accueil@exemple.org\"`",
        "numéro de téléphone invalide « www.exemple.org »",
        "c’est une adresse web : écrivez-la dans `site_web`",
        "adresse web refusée « www.exemple.org/asso »",
        "ajoutez https:// au début : `site_web = \"https://www.exemple.org/asso\"`",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }
}
