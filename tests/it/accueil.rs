//! Finding help from the need, on the sample site: the home page's ways in
//! (a commune, around me, open now, a kind of help; territories and
//! communes without JavaScript), a call and directions on every point page
//! and card, commune pages linked from home, territory and point pages.

use std::collections::{BTreeMap, BTreeSet};

use crate::support::{Built, build_site, repo};

/// The value of `key` in each TOML file of `content/<folder>`, by file
/// stem (the id of a point or a structure); `None` when the key is absent.
fn content_values(folder: &str, key: &str) -> BTreeMap<String, Option<String>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(repo().join("content").join(folder)) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let table: toml::Table = std::fs::read_to_string(path).unwrap().parse().unwrap();
        let value = table.get(key).map(|v| v.as_str().unwrap().to_string());
        out.insert(path.file_stem().unwrap().to_string_lossy().into_owned(), value);
    }
    out
}

/// The `tel:` buttons of a page (the footer's contact number is no button).
fn call_buttons(html: &str) -> usize {
    html.matches("<a class=\"action\" href=\"tel:").count()
}

fn sample() -> Built {
    build_site(&repo())
}

#[test]
fn every_point_page_with_a_known_phone_has_a_call_button() {
    let built = sample();
    let structure_phone = content_values("structures", "telephone");
    let point_structure = content_values("lieux", "structure");
    let point_phone = content_values("lieux", "telephone");
    let mut own = 0;
    let mut from_structure = 0;
    let mut expected = BTreeSet::new();
    for (id, phone) in &point_phone {
        let structure = point_structure[id].as_deref().unwrap();
        if phone.is_some() {
            own += 1;
        } else if structure_phone.get(structure).is_some_and(Option::is_some) {
            from_structure += 1;
        } else {
            continue;
        }
        expected.insert(id.clone());
    }
    // The sample has both kinds, and points with no number at all.
    assert!(own > 0 && from_structure > 0 && expected.len() < point_phone.len(), "{own} {from_structure}");

    let with_button: BTreeSet<String> = point_phone
        .keys()
        .filter(|id| {
            let html = built.read(&format!("lieux/{id}.html"));
            let n = call_buttons(&html);
            assert!(n <= 1, "{id}: {n} « Appeler » buttons");
            n == 1
        })
        .cloned()
        .collect();
    assert_eq!(with_button, expected, "points whose page has « Appeler »");
    assert_eq!(with_button.len(), own + from_structure);

    // The number called is the point's own when it has one.
    for (id, phone) in point_phone.iter().filter_map(|(id, p)| Some((id, p.as_ref()?))) {
        let html = built.read(&format!("lieux/{id}.html"));
        let digits: String = phone.chars().filter(char::is_ascii_digit).skip(1).collect();
        assert!(html.contains(&format!("href=\"tel:+33{digits}\"")), "{id}: {phone}");
    }
}

#[test]
fn point_pages_and_cards_have_directions_and_today_under_the_title() {
    let built = sample();
    for (id, _) in content_values("lieux", "nom") {
        let html = built.read(&format!("lieux/{id}.html"));
        let title = html.find("</h1>").unwrap();
        let today = html.find("<p class=\"lieu-jour\">").unwrap_or_else(|| panic!("{id}: no today's line"));
        let directions = html.find("openstreetmap.org/directions").unwrap();
        let week = html.find("id=\"titre-horaires\"").unwrap();
        assert!(title < today && today < directions && directions < week, "{id}: order of the first screen");
    }
    // On a structure's page, every card of a structure with a phone calls.
    let structure_phone = content_values("structures", "telephone");
    for (id, phone) in &structure_phone {
        let html = built.read(&format!("structures/{id}.html"));
        let cards = html.matches("<article class=\"lieu-carte\"").count();
        let directions = html.matches("rel=\"noopener noreferrer\">Itinéraire</a>").count();
        assert_eq!(directions, cards, "{id}: directions on every card");
        if phone.is_some() {
            assert_eq!(call_buttons(&html), cards, "{id}: « Appeler » on every card");
        }
    }
}

#[test]
fn home_page_starts_from_the_need_and_works_without_javascript() {
    let built = sample();
    let html = built.read("index.html");
    let form = &html[html.find("<form class=\"besoin\"").expect("the need's form")..];
    let form = &form[..form.find("</form>").unwrap()];
    assert!(form.contains("action=\"recherche.html\" method=\"get\""), "{form}");
    assert!(form.contains("name=\"pres\""), "commune or postal code");
    assert!(form.contains("name=\"ouvert\" type=\"checkbox\" value=\"maintenant\""), "open now");
    assert!(form.contains("type=\"submit\" name=\"autour\" value=\"1\">Autour de moi</button>"), "around me");
    // Enter in the commune field searches it, not around me: its button
    // is the form's first.
    assert!(form.find("type=\"submit\">Chercher").unwrap() < form.find("name=\"autour\"").unwrap());

    // Every kind of help the sample offers links to the search for it.
    let services: BTreeSet<String> = walkdir::WalkDir::new(repo().join("content/lieux"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
        .flat_map(|e| {
            let t: toml::Table = std::fs::read_to_string(e.path()).unwrap().parse().unwrap();
            t["services"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect::<Vec<_>>()
        })
        .collect();
    for s in &services {
        assert!(html.contains(&format!("href=\"recherche.html?aide={s}\"")), "kind of help {s}");
    }
    assert_eq!(html.matches("href=\"recherche.html?aide=").count(), services.len());

    // Outside the form, pages that need no script: every territory and
    // every commune with a point.
    let outside = html.replace(form, "");
    for (id, _) in content_values("territoires", "nom") {
        assert!(outside.contains(&format!("href=\"territoires/{id}.html\"")), "territory {id}");
    }
    let communes: BTreeSet<&str> =
        outside.split("href=\"communes/").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    let written: BTreeSet<String> = std::fs::read_dir(built.out().join("communes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.contains("--") && n.ends_with(".html"))
        .collect();
    assert_eq!(communes.iter().map(|c| c.to_string()).collect::<BTreeSet<_>>(), written);
}

#[test]
fn commune_pages_are_linked_from_point_and_territory_pages() {
    let built = sample();
    for (id, commune) in content_values("lieux", "commune") {
        let html = built.read(&format!("lieux/{id}.html"));
        let commune = commune.unwrap();
        let start = html.find("<p class=\"lieu-adresse\"").unwrap();
        let address = &html[start..start + html[start..].find("</p>").unwrap()];
        let at = address.find("<a href=\"../communes/").unwrap_or_else(|| panic!("{id}: {address}"));
        let href = &address[at + "<a href=\"".len()..];
        let href = &href[..href.find('"').unwrap()];
        assert!(address.ends_with(&format!(">{commune}</a>")), "{id}: {address}");
        assert!(built.out().join("lieux").join(href).is_file(), "{id}: {href}");
    }
    for (id, _) in content_values("territoires", "nom") {
        let html = built.read(&format!("territoires/{id}.html"));
        if html.contains("<article class=\"lieu-carte\"") || html.contains("class=\"communes-compte\"") {
            let section = &html[html.find("id=\"par-commune\"").unwrap_or_else(|| panic!("{id}: no communes"))..];
            assert!(section.contains("href=\"../communes/"), "{id}");
        }
    }
}
