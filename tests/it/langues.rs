//! Languages of the interface: pages per published language, the language
//! switch and `hreflang` alternates, content marked with its own language,
//! translated descriptions, languages a site adds, and the diagnostics of
//! translation files. Fixtures are under `tests/fixtures/langues/`.

use std::path::{Component, Path, PathBuf};

use crate::support::*;

/// The pages of the `trois` fixture checked in every language, by their
/// path inside a language's folder.
const PAGES: &[&str] = &[
    "index.html",
    "recherche.html",
    "structures/index.html",
    "structures/asso-test.html",
    "territoires/ville-test.html",
    "lieux/epicerie-nord.html",
    "lieux/repas-du-soir.html",
    "communes/ville-test.html",
    "coordination/ville-test.html",
    "guide/ville-test.html",
    "besoins/index.html",
    "donnees/index.html",
    "pages/a-propos.html",
    "pages/accessibilite.html",
    "pages/mentions-legales.html",
];

fn built_trois() -> Built {
    let built = build_site(&fixture("langues/trois"));
    assert!(built.report.summary.is_some(), "{}", built.diagnostics());
    built
}

/// `href` values of the `<a>` elements inside the first element starting
/// with `open`.
fn links_in(html: &str, open: &str) -> Vec<(String, String)> {
    let Some(start) = html.find(open) else { return Vec::new() };
    let end = start + html[start..].find("</nav>").expect("the switch is a nav");
    let mut out = Vec::new();
    for piece in html[start..end].split("<a ").skip(1) {
        let attr = |name: &str| {
            let from = piece.find(&format!("{name}=\"")).map(|i| i + name.len() + 2)?;
            Some(piece[from..from + piece[from..].find('"')?].to_string())
        };
        out.push((attr("href").unwrap(), attr("hreflang").unwrap()));
    }
    out
}

/// `target` resolved from the page at `from` (both relative to the output
/// folder), as a clean relative path.
fn resolve(from: &str, target: &str) -> String {
    let mut path = PathBuf::from(from);
    path.pop();
    for c in Path::new(target).components() {
        match c {
            Component::ParentDir => {
                assert!(path.pop(), "{target} leaves the site from {from}");
            }
            Component::Normal(p) => path.push(p),
            _ => {}
        }
    }
    path.to_string_lossy().replace('\\', "/")
}

fn in_language(code: &str, page: &str) -> String {
    if code == "fr" { page.to_string() } else { format!("{code}/{page}") }
}

#[test]
fn every_published_language_gets_its_pages_with_lang_dir_and_alternates() {
    let built = built_trois();
    for (code, dir) in [("fr", "ltr"), ("en", "ltr"), ("ar", "rtl")] {
        for page in PAGES {
            let html = built.read(&in_language(code, page));
            assert!(html.contains(&format!("<html lang=\"{code}\" dir=\"{dir}\">")), "{code} {page}");
            let url = |c: &str| {
                let p = if *page == "index.html" { String::new() } else { page.to_string() };
                format!("https://exemple.org/annuaire/{}{p}", if c == "fr" { String::new() } else { format!("{c}/") })
            };
            for alt in ["fr", "en", "ar"] {
                let link = format!("<link rel=\"alternate\" hreflang=\"{alt}\" href=\"{}\">", url(alt));
                assert!(html.contains(&link), "{code} {page}: {link}");
            }
            let x_default = format!("<link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\">", url("fr"));
            assert!(html.contains(&x_default), "{code} {page}");
        }
    }
    // The sitemap lists the pages of every language.
    let sitemap = built.read("sitemap.xml");
    for url in [
        "https://exemple.org/annuaire/lieux/epicerie-nord.html",
        "https://exemple.org/annuaire/en/lieux/epicerie-nord.html",
        "https://exemple.org/annuaire/ar/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{url}</loc>")), "{url}");
    }
}

#[test]
fn the_switch_keeps_the_visitor_on_the_same_page_and_its_links_resolve() {
    let built = built_trois();
    for code in ["fr", "en", "ar"] {
        for page in PAGES {
            let path = in_language(code, page);
            let html = built.read(&path);
            // The current language is named, not linked.
            let names = [("fr", "français"), ("en", "English"), ("ar", "العربية")];
            let (_, own) = names.iter().find(|(c, _)| *c == code).unwrap();
            assert!(html.contains(&format!("aria-current=\"true\">{own}</span>")), "{path}");
            let links = links_in(&html, "<nav class=\"langues\"");
            let expected: Vec<&str> = ["fr", "en", "ar"].into_iter().filter(|c| *c != code).collect();
            assert_eq!(links.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>(), expected, "{path}");
            for (href, lang) in &links {
                let target = resolve(&path, href);
                assert_eq!(target, in_language(lang, page), "{path} → {href}");
                assert!(built.out().join(&target).is_file(), "{path}: {href} leads nowhere");
                let (_, name) = names.iter().find(|(c, _)| c == lang).unwrap();
                assert!(html.contains(&format!("lang=\"{lang}\" hreflang=\"{lang}\"")), "{path}");
                assert!(html.contains(&format!(">{name}</a>")), "{path}: {name} in its own language");
            }
        }
    }
    // Pages served at any depth link to the other languages' home pages
    // from the site's base path.
    let not_found = built.read("en/404.html");
    assert!(not_found.contains("href=\"/annuaire/ar/index.html\""), "{not_found}");
    assert!(not_found.contains("<a href=\"/annuaire/en/index.html\">"), "{not_found}");
}

/// Every French text of the interface long enough to be told apart, with
/// its variables cut out: none must show on an English page.
fn french_interface_texts() -> Vec<String> {
    let read = |code: &str| -> toml::Table {
        let path = repo().join(format!("themes/default/langues/{code}.toml"));
        std::fs::read_to_string(path).unwrap().parse().unwrap()
    };
    let (fr, en) = (read("fr"), read("en"));
    let mut out = Vec::new();
    for (section, keys) in &fr {
        if section == "langue" {
            continue;
        }
        for (key, value) in keys.as_table().unwrap() {
            let forms: Vec<&str> = match value {
                toml::Value::String(s) => vec![s],
                toml::Value::Table(t) => t.values().filter_map(|v| v.as_str()).collect(),
                _ => continue,
            };
            let english = en[section].get(key).map(|v| v.to_string()).unwrap_or_default();
            for form in forms {
                for piece in form.split(['{', '}']).step_by(2) {
                    let piece = piece.trim();
                    if piece.chars().count() >= 9 && !english.contains(piece) {
                        out.push(piece.to_string());
                    }
                }
            }
        }
    }
    out
}

#[test]
fn english_pages_say_nothing_in_french_but_the_content_marked_as_french() {
    let built = built_trois();
    let french = french_interface_texts();
    assert!(french.len() > 300, "{}", french.len());
    for page in PAGES {
        let html = built.read(&in_language("en", page));
        // Content written by volunteers is French, and marked so: take the
        // elements marked lang="fr" out before reading what is left. The
        // head's title holds names too, unmarked: only the body is read.
        let body = &html[html.find("<body>").unwrap()..];
        let text = visible_text(&without_french_elements(body));
        for piece in &french {
            assert!(!text.contains(piece.as_str()), "en/{page} still says {piece:?}:\n{text}");
        }
    }
    let point = built.read("en/lieux/epicerie-nord.html");
    for marked in [
        "<h1 lang=\"fr\" dir=\"ltr\">Épicerie solidaire du Nord</h1>",
        "<div class=\"texte\" lang=\"fr\" dir=\"ltr\"><p>Venez avec un <strong>sac</strong>.</p>",
        "<ul lang=\"fr\" dir=\"ltr\"><li>Pièce d’identité</li>",
        "<address lang=\"fr\" dir=\"ltr\">",
        "(<span lang=\"fr\" dir=\"ltr\">Congés de fin d’année</span>)",
    ] {
        assert!(point.contains(marked), "missing {marked:?} in:\n{point}");
    }
    // Hours and dates are written the English way.
    let text = visible_text(&point);
    assert!(text.contains("Monday 30 November 9:00 – 12:00, 14:00 – 17:00"), "{text}");
    assert!(text.contains("Closed from Thursday 24 December 2026 to Sunday 3 January 2027"), "{text}");
    // On French pages, nothing says French twice.
    let fr = built.read("lieux/epicerie-nord.html");
    assert!(fr.contains("<h1>Épicerie solidaire du Nord</h1>") && fr.contains("<div class=\"texte\"><p>Venez"), "{fr}");
}

/// `html` without the elements carrying `lang="fr"` (and what they hold).
fn without_french_elements(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find(" lang=\"fr\"") {
        let open = rest[..i].rfind('<').unwrap();
        out.push_str(&rest[..open]);
        let name: String = rest[open + 1..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        let after = &rest[open..];
        // Elements of the same name nest (a span in a span): count them.
        let (mut depth, mut at) = (0usize, 0usize);
        loop {
            let next_open = after[at + 1..].find(&format!("<{name}")).map(|j| j + at + 1);
            let next_close = after[at..].find(&format!("</{name}>")).map(|j| j + at).expect("closed element");
            match next_open {
                Some(o) if o < next_close => {
                    depth += 1;
                    at = o;
                }
                _ if depth > 0 => {
                    depth -= 1;
                    at = next_close + 1;
                }
                _ => {
                    rest = &after[next_close + name.len() + 3..];
                    break;
                }
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn a_translated_description_is_shown_in_its_language() {
    let built = built_trois();
    let en = built.read("en/lieux/repas-du-soir.html");
    assert!(en.contains("<div class=\"texte\"><p>A <strong>hot</strong> meal, served at the table.</p>"), "{en}");
    assert!(en.contains("<p>No registration.</p>"), "{en}");
    assert!(!en.contains("Sans inscription"), "{en}");
    // No Arabic translation: the French text, said to be French.
    let ar = built.read("ar/lieux/repas-du-soir.html");
    assert!(ar.contains("<div class=\"texte\" lang=\"fr\" dir=\"ltr\"><p>Un repas <strong>chaud</strong>"), "{ar}");
    assert!(ar.contains("<p lang=\"fr\" dir=\"ltr\">Sans inscription.</p>"), "{ar}");
    // French pages keep the French text.
    assert!(built.read("lieux/repas-du-soir.html").contains("<p>Un repas <strong>chaud</strong>, servi à table.</p>"));
}

#[test]
fn arabic_pages_read_right_to_left_with_numbers_in_order() {
    let built = built_trois();
    let ar = built.read("ar/lieux/epicerie-nord.html");
    assert!(ar.contains("<html lang=\"ar\" dir=\"rtl\">"));
    // A time range reads right to left like the text around it (each time
    // stays a number); a phone number is one number, isolated left to right.
    assert!(ar.contains("<span class=\"ouvert\">9:00 – 12:00، 14:00 – 17:00</span>"), "{ar}");
    assert!(ar.contains("<a href=\"tel:+33148000013\" dir=\"ltr\">01 48 00 00 13</a>"), "{ar}");
    assert!(visible_text(&ar).contains("الاثنين 30 نوفمبر"), "{ar}");
}

#[test]
fn arabic_lists_take_the_arabic_comma_and_french_content_is_isolated() {
    let built = built_trois();
    // Items of a list are separated by the language's comma: « ، » in
    // Arabic, « , » in French.
    let point = built.read("ar/lieux/epicerie-nord.html");
    assert!(point.contains("<dd><span lang=\"fr\">français</span>، <span lang=\"ar\">العربية</span></dd>"), "{point}");
    let fr = built.read("lieux/epicerie-nord.html");
    assert!(fr.contains("<dd><span lang=\"fr\">français</span>, <span lang=\"ar\">العربية</span></dd>"), "{fr}");
    // A network's name, a closure's reason and e-mail addresses, written in
    // French, keep their own direction inside the Arabic text.
    let structure = built.read("ar/structures/asso-test.html");
    assert!(structure.contains("<span lang=\"fr\" dir=\"ltr\">Secours Populaire</span></p>"), "{structure}");
    assert!(
        structure.contains("<a href=\"mailto:contact@exemple.org\" dir=\"ltr\">contact@exemple.org</a>"),
        "{structure}"
    );
    let guide = built.read("ar/guide/ville-test.html");
    assert!(guide.contains("(<bdi lang=\"fr\">Congés de fin d’année</bdi>)</p>"), "{guide}");
    // French pages need no isolation of French text.
    let guide = built.read("guide/ville-test.html");
    assert!(guide.contains("3 janvier 2027 (Congés de fin d’année)</p>"), "{guide}");
}

#[test]
fn map_data_and_static_maps_come_in_each_language() {
    let built = built_trois();
    let fr = built.read("assets/carte/territoires/ville-test.js");
    let en = built.read("assets/carte/en/territoires/ville-test.js");
    assert!(fr.contains("\"Repas\"") && fr.contains("samedi 28 novembre"), "{fr}");
    assert!(en.contains("\"Meals\"") && en.contains("Saturday 28 November"), "{en}");
    assert!(
        built
            .read("en/territoires/ville-test-carte.svg")
            .contains("<title id=\"carte-ville-test-titre\">Map: Ville-Test</title>")
    );
    // An English territory page loads the English data, and its map links
    // to the English points.
    let page = built.read("en/territoires/ville-test.html");
    assert!(page.contains("data-donnees=\"../../assets/carte/en/territoires/ville-test.js\""), "{page}");
    assert!(page.contains("data-racine=\"../../\" data-pages=\"../\""), "{page}");
    // Open data and the search index stay as they are: one, in French.
    assert!(!built.out().join("en/donnees/lieux.csv").exists());
    assert!(!built.out().join("en/recherche").exists());
    assert!(built.read("en/donnees/index.html").contains("href=\"../../donnees/lieux.csv\""));
}

#[test]
fn a_site_adds_a_language_and_changes_texts_of_another() {
    let built = build_site(&fixture("langues/ajout"));
    assert!(built.report.summary.is_some(), "{}", built.diagnostics());
    let uk = built.read("uk/lieux/epicerie-nord.html");
    assert!(uk.contains("<html lang=\"uk\" dir=\"ltr\">"), "{uk}");
    assert!(uk.contains("<a class=\"evitement\" href=\"#contenu\">Перейти до змісту</a>"), "{uk}");
    assert!(uk.contains("<h2 id=\"titre-horaires\">Години роботи</h2>"), "{uk}");
    // A text the file does not give shows in French, marked as such.
    assert!(uk.contains("<h2 id=\"titre-conditions\"><span lang=\"fr\">Conditions</span></h2>"), "{uk}");
    assert!(uk.contains("<label for=\"q-entete\"><span lang=\"fr\">Rechercher un lieu</span></label>"), "{uk}");
    // Ukrainian plural forms.
    let home = visible_text(&built.read("uk/index.html"));
    assert!(home.contains("Харчування 1 місце"), "{home}");
    // Every page offers the language, by its own name.
    assert!(built.read("index.html").contains(">українська</a>"));
    // The site's English wording replaces the theme's, the rest is kept.
    let en = built.read("en/index.html");
    assert!(en.contains(">Go straight to the content</a>"), "{en}");
    assert!(en.contains(">Find a place</label>"), "{en}");
}

#[test]
fn one_language_sites_have_no_switch_no_alternates_and_no_folders() {
    let built = build_site(&fixture("build/minimal"));
    let home = built.read("index.html");
    assert!(!home.contains("class=\"langues\"") && !home.contains("hreflang"), "{home}");
    assert!(!built.out().join("en").exists() && !built.out().join("assets/carte/en").exists());
}

#[test]
fn bad_translation_files_are_reported_with_file_and_line() {
    let root = fixture("langues/fichiers-invalides");
    let built = build_site(&root);
    assert!(built.report.summary.is_none());
    assert!(!built.out().exists());
    let text = built.diagnostics();
    for needle in [
        "themes/default/langues/uk.toml:4:1",
        "clé inconnue `commun.rechercher_un_lieux`",
        "vouliez-vous écrire `rechercher_un_lieu` ?",
        "section inconnue `[acceuil]`",
        "forme du pluriel inconnue `plusieurs`",
        "variable inconnue `{organisations}` dans `accueil.recense`",
        "`lieu.horaires` ne dépend pas d’un nombre",
        "la forme `other` manque dans `coordination.total`",
        "la clé obligatoire `langue.nom` manque",
        "syntaxe TOML invalide",
        "nom de fichier de langue invalide : « Arabe »",
        "direction d’écriture inconnue « droite »",
        "clé inconnue `langue.nombre`",
        "langue d’interface inconnue « es »",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    assert_snapshot(&root.join("expected.txt"), &text);
}

#[test]
fn point_translations_and_published_languages_are_checked() {
    let root = fixture("langues/traductions-invalides");
    let built = build_site(&root);
    assert!(built.report.summary.is_none());
    let text = built.diagnostics();
    for needle in [
        "langue inconnue « eng » dans `traductions`",
        "vouliez-vous écrire `[traductions.en]` ?",
        "traduction en `de`, une langue que le site ne publie pas",
        "traduction dans la langue du contenu (`fr`)",
        "clé inconnue `traductions.en.descriptoin`",
        "code de langue invalide « Anglais » dans `traductions`",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    assert_snapshot(&root.join("expected.txt"), &text);

    let root = fixture("langues/site-langues");
    let text = build_site(&root).diagnostics();
    for needle in [
        "code de langue invalide « Français »",
        "écrivez le code de la langue : `fr`",
        "écrivez-le en minuscules : `ar`",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    assert_snapshot(&root.join("expected.txt"), &text);

    // The content's language must be published: its pages are the root.
    let site = scratch_copy("langues/trois");
    let path = site.path().join("content/site.toml");
    let toml = std::fs::read_to_string(&path).unwrap().replace("[\"fr\", \"en\", \"ar\"]", "[\"en\", \"ar\"]");
    std::fs::write(&path, toml).unwrap();
    let text = build_site(site.path()).diagnostics();
    assert!(text.contains("la langue du contenu (`langue = \"fr\"`) manque dans `langues`"), "{text}");
    assert!(text.contains("écrivez `langues = [\"fr\", \"en\", \"ar\"]`"), "{text}");
}

/// The scripts keep French words as a fallback, should a page lack its
/// data block: they must be the very texts of the French file.
#[test]
fn the_scripts_french_fallbacks_are_the_french_file_s_texts() {
    let fr: toml::Table =
        std::fs::read_to_string(repo().join("themes/default/langues/fr.toml")).unwrap().parse().unwrap();
    let text_of = |section: &str, key: &str| -> Vec<String> {
        match fr.get(section).and_then(|s| s.get(key)) {
            Some(toml::Value::String(s)) => vec![s.clone()],
            Some(toml::Value::Table(forms)) => forms.values().filter_map(|v| v.as_str().map(String::from)).collect(),
            _ => Vec::new(),
        }
    };
    let mut checked = 0;
    for (file, section) in
        [("recherche.js", "js_recherche"), ("carte.js", "js_carte"), ("hors-ligne.js", "js_hors_ligne")]
    {
        let code = std::fs::read_to_string(repo().join("themes/default/static").join(file)).unwrap();
        for call in code.split("tr('").skip(1) {
            let Some((key, rest)) = call.split_once("', ") else { continue };
            // Only literal fallbacks: `tr('k', 'texte'`.
            let Some(rest) = rest.strip_prefix('\'') else { continue };
            let literal = &rest[..rest.find('\'').unwrap()];
            let (section, key) = match key {
                "separateur" => ("format", "conditions_separateur"),
                k if k.starts_with("format_") => ("format", &k["format_".len()..]),
                k => (section, k),
            };
            let french = text_of(section, key);
            assert!(!french.is_empty(), "{file}: `{key}` is not in [{section}] of fr.toml");
            assert!(
                french.iter().any(|f| f == literal),
                "{file}: `{key}` falls back to {literal:?}, fr.toml says {french:?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 40, "{checked}");
}

#[test]
fn pages_give_their_scripts_the_texts_of_their_language() {
    let built = built_trois();
    let block = |page: &str| {
        let html = built.read(page);
        let start =
            html.find("<script type=\"application/json\" id=\"alimap-textes\">").unwrap_or_else(|| panic!("{page}"));
        let json = &html[start..];
        let json = &json[json.find('>').unwrap() + 1..json.find("</script>").unwrap()];
        serde_json::from_str::<serde_json::Value>(json).unwrap()
    };
    let search = block("en/recherche.html");
    assert_eq!(search["lang"], "en");
    assert_eq!(search["recherche"]["resultats"]["other"], "{n} places found");
    assert_eq!(search["recherche"]["services"]["repas"], "Meals");
    assert_eq!(search["recherche"]["jours"][0], "Sunday");
    assert_eq!(search["carte"]["masquer"], "Hide the map");
    assert!(built.read("assets/carte/en/tout.js").contains("\"legende\":\"Key\""));
    assert_eq!(search["hors_ligne"]["date_inconnue"], "the day the site was published");
    let point = block("ar/lieux/epicerie-nord.html");
    assert_eq!(point["carte"]["afficher"], "عرض الخريطة");
    // The map's other words come with its data, in the page's language.
    assert!(point["carte"].get("legende").is_none());
    assert!(built.read("assets/carte/ar/territoires/ville-test.js").contains("دليل الرموز"));
    assert!(point.get("recherche").is_none(), "only what the page's scripts need");
    // Pages without a script of their own carry the offline banner's words only.
    let page = block("pages/a-propos.html");
    assert_eq!(page.as_object().unwrap().keys().collect::<Vec<_>>(), ["hors_ligne", "lang"]);
}
