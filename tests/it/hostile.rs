//! Hostile content: what a careless or malicious contributor may put in a
//! file must give a clear diagnostic or a safe page, never a crash or live
//! markup. Fixed cases complete tests/it/diagnostics.rs (links out of the
//! site, invalid UTF-8) and tests/fixtures/build/hostile (markup in every
//! field); property tests throw random content at the parser and random
//! text at every text field of a point.

use std::path::PathBuf;

use alimap::content::load::{self, Sources};
use proptest::prelude::*;

use crate::support::{build_site, fixture, scratch_copy, today};

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
