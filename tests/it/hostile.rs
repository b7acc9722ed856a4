//! Hostile content: what a careless or malicious contributor may put in a
//! file must give a clear diagnostic or a safe page, never a crash or live
//! markup. Fixed cases complete tests/it/diagnostics.rs (links out of the
//! site, invalid UTF-8), tests/fixtures/build/hostile (markup in every
//! field) and tests/fixtures/hostile/caracteres (control characters,
//! direction overrides and noncharacters in every text, checked in every
//! output file); property tests throw random content at the parser and
//! random text at every text field of a point.

use std::path::PathBuf;

use alimap::content::load::{self, Sources};
use proptest::prelude::*;

use crate::support::{build_site, fixture, repo, scratch_copy, today};

/// The minimal fixture site in memory; its first point is replaced by the
/// text under test.
fn sources_with_point(text: &str) -> Sources {
    let (mut sources, diags) = load::load(&fixture("build/minimal"));
    assert!(diags.is_empty());
    let point = sources.lieux.iter_mut().find(|f| f.path.ends_with("epicerie-nord.toml")).unwrap();
    point.text = text.into();
    sources
}

/// The point page rendered from these sources, or `None` when the content
/// has errors (then diagnostics, not a page, are what the volunteer sees).
fn point_page(sources: &Sources) -> Option<String> {
    let (parsed, mut diags) = alimap::content::parse::parse(sources);
    let (site, ds) = alimap::content::validate::validate(parsed, today());
    diags.extend(ds);
    if diags.iter().any(|d| d.is_error()) {
        if std::env::var_os("HOSTILE_DEBUG").is_some() {
            eprintln!("{diags:?}");
        }
        return None;
    }
    let site = site?;
    let theme = alimap::theme::Theme::assemble(&site.config.theme, &sources.themes);
    let files = alimap::render::render(&site, &theme, today()).ok()?;
    let page = files.into_iter().find(|f| f.path == "lieux/epicerie-nord.html")?;
    Some(String::from_utf8(page.bytes).unwrap())
}

/// Problems with the live markup of `html`: a `<script>` other than the
/// page's own (the map loader and the escaped schema.org block), and any
/// `on…=` event handler attribute. Quoted attribute values are skipped:
/// text there is escaped and inert.
fn live_markup_problems(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        // The tag, up to its `>`, with quoted values blanked.
        let mut tag = String::new();
        let mut quote = None;
        let mut end = rest.len();
        for (j, c) in rest.char_indices() {
            match (quote, c) {
                (None, '>') => {
                    end = j;
                    break;
                }
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => continue,
                _ => {}
            }
            tag.push(c.to_ascii_lowercase());
        }
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if name == "script" && !(tag.contains("src=\"\"") || tag.contains("type=\"\"")) {
            out.push(format!("a script without src or type: <{tag}>"));
        }
        if ["iframe", "img", "object", "embed"].contains(&name.as_str()) {
            out.push(format!("an embedded element: <{tag}>"));
        }
        for (k, _) in tag.match_indices(" on") {
            let attr: String = tag[k + 1..].chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            if tag[k + 1 + attr.len()..].trim_start().starts_with('=') {
                out.push(format!("an event handler: <{tag}>"));
            }
        }
        rest = &rest[end.min(rest.len())..];
    }
    out
}

/// The page's escaping of text, as Tera's escape function writes it.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// Pieces of hostile text, joined at random.
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "\" onmouseover=\"alert(1)",
        "' onfocus='alert(1)",
        "<a href=\"javascript:alert(1)\">x</a>",
        "[lien](javascript:alert(1))",
        "[data](data:text/html,<script>alert(1)</script>)",
        "</title></main>",
        "&amp;",
        "&lt;b&gt;",
        "&#x3C;script&#x3E;",
        "{{ site.titre }}",
        "{% raw %}",
        "\\u003c",
        "<!--",
        "]]>",
        "Épicerie",
        "du Nord",
        "ça",
        "é",
        "-",
        "'",
        "\"",
        "<",
        ">",
        "&",
    ]);
    prop::collection::vec(pieces, 1..6).prop_map(|v| v.concat())
}

/// A point file with `text` in every free-text field.
fn point_with(text: &str) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let nom = format!("A{text}Z");
    format!(
        "nom = {nom}\nstructure = \"asso-test\"\nservices = [\"epicerie-sociale\"]\nadresse = {a}\n\
         complement_adresse = {a}\ncode_postal = \"93200\"\ncommune = \"Ville-Test\"\ncode_insee = \"93066\"\n\
         latitude = 48.93\nlongitude = 2.35\nhoraires_accueil = \"Mo 09:00-12:00\"\npublics = [\"familles\"]\npublics_precisions = {a}\n\
         acces = [\"rendez-vous\"]\nconditions_acces = {a}\njustificatifs = [{a}]\nfrais = \"payant\"\n\
         frais_precisions = {a}\ndescription = {a}\ndate_maj = 2026-11-01\n\n\
         [[fermetures]]\ndu = 2026-12-24\nau = 2027-01-03\nmotif = {a}\n",
        nom = q(&nom),
        a = q(text),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Random TOML-ish text, and random edits of a valid point file, give
    /// diagnostics or a site, never a panic.
    #[test]
    fn random_point_files_never_panic_the_parser(
        text in "((\\[\\[?[a-z_]{0,10}\\]\\]?|[a-z_]{1,14} ?= ?(\"[^\"\\n]{0,20}\"|-?[0-9.]{1,8}|\\[[^\\]\\n]{0,20}\\]|true|\\{[^}\\n]{0,20}\\}|20[0-9]{2}-[01][0-9]-[0-3][0-9])|[^\\n]{0,20})\\n){0,12}",
        cut in 0usize..700,
        insert in "[^a-z]{0,4}",
    ) {
        let _ = point_page(&sources_with_point(&text));
        let valid = point_with("x");
        let mut at = cut.min(valid.len());
        while !valid.is_char_boundary(at) {
            at -= 1;
        }
        let edited = format!("{}{insert}{}", &valid[..at], &valid[at..]);
        let _ = point_page(&sources_with_point(&edited));
    }

    /// Random hostile text in every text field of a point never becomes
    /// live markup, and the name reads as written.
    #[test]
    fn random_text_in_every_field_is_escaped(text in hostile_text()) {
        let page = point_page(&sources_with_point(&point_with(&text)));
        let page = page.expect("a valid point with odd text is built");
        prop_assert_eq!(live_markup_problems(&page), Vec::<String>::new());
        let h1 = format!("<h1>{}</h1>", escaped(&format!("A{text}Z")));
        prop_assert!(page.contains(&h1), "the name is shown escaped: {}", h1);
    }
}

#[test]
fn the_markup_checker_sees_what_it_must() {
    assert_eq!(live_markup_problems("<p title=\"x onclick=y\">a onclick=b</p>"), Vec::<String>::new());
    assert_eq!(live_markup_problems("<p onclick=\"y\">").len(), 1);
    assert_eq!(live_markup_problems("<script>alert(1)</script>").len(), 1);
    assert_eq!(live_markup_problems("<img src=x>").len(), 1);
}

#[test]
fn bidirectional_overrides_are_removed_from_names() {
    // U+202E shows what follows it reversed, and could make a name or a
    // phone number read as something else.
    let page = point_page(&sources_with_point(&point_with("\u{202E}evil\u{2066}x\u{2069}"))).unwrap();
    // The schema.org block too: search engines show its name. (The open
    // data files keep the text as written.)
    for (i, line) in page.lines().enumerate() {
        assert!(!line.contains(['\u{202E}', '\u{2066}', '\u{2069}']), "line {}: {}", i + 1, line.escape_default());
    }
    assert!(page.contains("<h1>AevilxZ</h1>"), "{page}");
}

#[test]
fn huge_deeply_nested_and_badly_named_files_give_diagnostics() {
    let site = scratch_copy("build/minimal");
    let lieux: PathBuf = site.path().join("content/lieux");
    // Larger than any entry needs.
    let huge = format!("nom = \"{}\"\n", "a".repeat(2 * 1024 * 1024));
    std::fs::write(lieux.join("enorme.toml"), huge).unwrap();
    // Arrays and tables nested thousands of levels deep.
    let depth = 5000;
    std::fs::write(lieux.join("tableaux.toml"), format!("nom = {}{}\n", "[".repeat(depth), "]".repeat(depth))).unwrap();
    std::fs::write(lieux.join("tables.toml"), format!("nom = {}1{}\n", "{a = ".repeat(depth), "}".repeat(depth)))
        .unwrap();
    // A name that is no id, and references that try to climb out.
    std::fs::write(lieux.join("a..b.toml"), "nom = \"x\"\n").unwrap();
    std::fs::write(
        lieux.join("grimpe.toml"),
        std::fs::read_to_string(lieux.join("nord/epicerie-nord.toml"))
            .unwrap()
            .replace("structure = \"asso-test\"", "structure = \"../../etc/passwd\""),
    )
    .unwrap();
    let built = build_site(site.path());
    let text = built.diagnostics();
    assert!(built.report.summary.is_none(), "{text}");
    for file in ["enorme.toml", "tableaux.toml", "tables.toml", "a..b.toml", "grimpe.toml"] {
        assert!(text.contains(&format!("content/lieux/{file}")), "no diagnostic names {file}:\n{text}");
    }
    assert!(!built.out().exists());
}

/// What no output file may hold, whatever the content: bidirectional
/// embedding, override and isolate controls, control characters but tab,
/// line feed and carriage return, and noncharacters. Written here apart
/// from `text::html::dropped`, which it checks.
fn forbidden(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{0}'..='\u{8}'
            | '\u{B}'
            | '\u{C}'
            | '\u{E}'..='\u{1F}'
            | '\u{7F}'..='\u{9F}'
            | '\u{FDD0}'..='\u{FDEF}'
    ) || (c as u32) & 0xFFFE == 0xFFFE
}

/// Panics when a string of `v` holds a [`forbidden`] character, which
/// JSON may write as an escape (`\u0001`).
fn assert_clean_json(rel: &str, v: &serde_json::Value) {
    match v {
        serde_json::Value::String(s) => {
            assert!(!s.contains(forbidden), "{rel}: {}", s.escape_debug());
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| assert_clean_json(rel, v)),
        serde_json::Value::Object(o) => o.iter().for_each(|(k, v)| {
            assert!(!k.contains(forbidden), "{rel}: {}", k.escape_debug());
            assert_clean_json(rel, v);
        }),
        _ => {}
    }
}

/// The JSON of a script file: `ALIMAP_recu("name",…);` (search index) or
/// `(window.alimapDonnees=…)["key"]=…;` (map data).
fn script_payload(rel: &str, js: &str) -> serde_json::Value {
    let body = if let Some(rest) = js.strip_prefix("ALIMAP_recu(") {
        let (name, json) = rest.split_once(',').unwrap_or_else(|| panic!("{rel}: {js}"));
        assert!(serde_json::from_str::<String>(name).is_ok(), "{rel}: {name}");
        json.strip_suffix(");\n").unwrap_or_else(|| panic!("{rel}: {js}"))
    } else {
        let rest = js
            .strip_prefix("(window.alimapDonnees=window.alimapDonnees||{})[")
            .unwrap_or_else(|| panic!("{rel}: {js}"));
        let (key, json) = rest.split_once("]=").unwrap_or_else(|| panic!("{rel}: {js}"));
        assert!(serde_json::from_str::<String>(key).is_ok(), "{rel}: {key}");
        json.strip_suffix(";\n").unwrap_or_else(|| panic!("{rel}: {js}"))
    };
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{rel}: {e}: {body}"))
}

/// `html` without the page's own scripts: the theme's (`<script src>`),
/// and its JSON data blocks (the schema.org block, the scripts' texts),
/// each checked to be JSON in which no text can open or close a tag.
fn without_own_scripts(rel: &str, html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<script") {
        out.push_str(&rest[..i]);
        let tag_end = i + rest[i..].find('>').unwrap_or_else(|| panic!("{rel}: unclosed tag"));
        let tag = &rest[i..=tag_end];
        let end = tag_end + rest[tag_end..].find("</script>").unwrap_or_else(|| panic!("{rel}: unclosed script"));
        let body = &rest[tag_end + 1..end];
        if tag.starts_with("<script data-racine=\"") {
            // The search page's first script: the theme's file, as it is.
            let amorce = std::fs::read_to_string(repo().join("themes/default/static/recherche-amorce.js")).unwrap();
            assert_eq!(body, amorce, "{rel}: the search page's first script is the theme's");
        } else if let Some(src) = tag.strip_prefix("<script src=\"") {
            let src = &src[..src.find('"').unwrap()];
            let name = src.rsplit('/').next().unwrap();
            assert!(["carte.js", "hors-ligne.js", "recherche.js"].contains(&name), "{rel}: {tag}");
            assert!(src.ends_with(&format!("assets/{name}")), "{rel}: {tag}");
            assert!(body.is_empty(), "{rel}: {tag}{body}");
        } else {
            assert!(
                tag == "<script type=\"application/ld+json\">"
                    || tag == "<script type=\"application/json\" id=\"alimap-textes\">"
                    || tag == "<script type=\"application/json\" id=\"alimap-index\">",
                "{rel}: a script the page does not write: {tag}"
            );
            assert!(!body.contains('<'), "{rel}: {body}");
            let data = serde_json::from_str(body).unwrap_or_else(|e| panic!("{rel}: {e}: {body}"));
            assert_clean_json(rel, &data);
        }
        rest = &rest[end + "</script>".len()..];
    }
    out.push_str(rest);
    out
}

/// A site whose every text (the site's title and description, the names,
/// presentations and needs of the territory, its coordination and the
/// structure, the point's name, address, commune, conditions, description
/// and translation, a closure's reason, a page's title and text) carries
/// U+202E, U+2066, U+2069, U+0001, U+001B, NUL, DEL, U+0085, U+FFFF,
/// U+FFFE, U+FDD0, U+1FFFF, also as character references in Markdown, with
/// `<script>`, `</script>`, `]]>` and `&`. In every file written:
///
/// - none of these characters ([`forbidden`]), nor in JSON as escapes,
///   the open data files included;
/// - no script but the page's own in HTML, and no `<script` at all in SVG,
///   XML and script files;
/// - SVG and XML files are well-formed XML (roxmltree refuses characters
///   XML forbids), script files' JSON parses, and so do JSON files;
///
/// and the texts are still there, less those characters.
#[test]
fn hostile_characters_reach_no_output_file() {
    let root = fixture("hostile/caracteres");
    let built = build_site(&root);
    assert!(built.report.summary.is_some(), "{}", built.diagnostics());
    let out = built.out();
    let theme_static = repo().join("themes/default/static");
    let mut checked: std::collections::BTreeMap<String, usize> = Default::default();
    for entry in walkdir::WalkDir::new(&out).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&out).unwrap().to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(entry.path()).unwrap();
        if rel == ".alimap-build" {
            // `output`'s marker of a folder it wrote.
            continue;
        }
        let ext = rel.rsplit_once('.').map_or("", |(_, e)| e);
        // The theme's own files, copied as they are.
        if let Some(name) = rel.strip_prefix("assets/").filter(|r| !r.starts_with("carte/")) {
            assert_eq!(std::fs::read(theme_static.join(name)).ok(), Some(bytes), "{rel} is not the theme's file");
            *checked.entry("theme".into()).or_default() += 1;
            continue;
        }
        let text = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{rel} is not UTF-8"));
        if let Some((i, c)) = text.char_indices().find(|&(_, c)| forbidden(c)) {
            let line = text[..i].lines().count().max(1);
            let around = text[..i].chars().rev().take(60).collect::<Vec<_>>().into_iter().rev().collect::<String>();
            panic!("{rel}:{line}: U+{:04X} after {}", c as u32, around.escape_debug());
        }
        if rel.starts_with("donnees/") && ["csv", "geojson", "json"].contains(&ext) {
            // Open data: files that parse, without those characters (taken
            // out where the fields are read).
            if ext != "csv" {
                let data = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
                assert_clean_json(&rel, &data);
            }
            *checked.entry("open data".into()).or_default() += 1;
            continue;
        }
        match ext {
            "html" => {
                let html = without_own_scripts(&rel, &text);
                assert!(!html.contains("<script") && !html.contains("</script"), "{rel}: a script from content");
                assert_eq!(live_markup_problems(&html), Vec::<String>::new(), "{rel}");
            }
            "svg" | "xml" => {
                assert!(!text.contains("<script"), "{rel}");
                if let Err(e) = roxmltree::Document::parse(&text) {
                    panic!("{rel} is not well-formed XML: {e}");
                }
            }
            "js" if rel == "sw.js" => {}
            "js" => {
                assert!(!text.contains('<'), "{rel}: markup in a data script");
                assert_clean_json(&rel, &script_payload(&rel, &text));
            }
            "webmanifest" => {
                let data = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
                assert_clean_json(&rel, &data);
            }
            "txt" => {}
            _ => panic!("{rel}: a kind of file this test does not know"),
        }
        let kind = if ext == "js" && rel != "sw.js" { "script data" } else { ext };
        *checked.entry(kind.into()).or_default() += 1;
    }
    // Every kind of file was seen (two languages, so two static maps).
    for (kind, at_least) in
        [("html", 30), ("svg", 2), ("xml", 1), ("script data", 20), ("open data", 4), ("webmanifest", 1), ("theme", 5)]
    {
        assert!(checked.get(kind).copied().unwrap_or(0) >= at_least, "{kind}: {checked:?}");
    }

    // The texts are there, less the characters left out.
    let point: toml::Table =
        std::fs::read_to_string(root.join("content/lieux/nord/piege.toml")).unwrap().parse().unwrap();
    let visible = |s: &str| -> String { s.chars().filter(|&c| !forbidden(c)).collect() };
    let nom = visible(point["nom"].as_str().unwrap());
    assert!(nom.starts_with("Lieu evilx [31m <script>alert(1)</script> ]]> & \u{2028} evilx "), "{nom:?}");
    let page = built.read("lieux/piege.html");
    assert!(page.contains(&format!("<h1>{}</h1>", escaped(&nom))), "{page}");
    let territoire: toml::Table =
        std::fs::read_to_string(root.join("content/territoires/ville-test.toml")).unwrap().parse().unwrap();
    let svg = built.read("territoires/ville-test-carte.svg");
    assert!(svg.contains(&escaped(&visible(territoire["nom"].as_str().unwrap()))), "{svg}");
    assert!(svg.contains(&format!("<title>1. {}</title>", escaped(&nom))), "{svg}");
}
