//! Invisible characters in the site's files: control characters,
//! bidirectional overrides and noncharacters are taken out where fields
//! are read, with a warning that `check` and `build` both give, so that no
//! file of the site holds one; and whatever a diagnostic quotes from the
//! files reaches the terminal escaped.

use std::path::Path;
use std::process::Command;

use alimap::build::{Options, build};
use alimap::diagnostic::Severity;

use crate::support::*;

/// What no written file may hold: control characters but tab, line feed
/// and carriage return, bidirectional overrides and isolates, and
/// noncharacters (written here apart from the code that removes them).
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{8}'
            | '\u{B}'
            | '\u{C}'
            | '\u{E}'..='\u{1F}'
            | '\u{7F}'..='\u{9F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FDD0}'..='\u{FDEF}'
    ) || (c as u32) & 0xFFFE == 0xFFFE
}

/// The minimal site with NUL, ESC, U+0001, U+FFFF and U+202E (as TOML
/// escapes) in the names of the point, its structure and its territory, a
/// bell and a tab in a description (a text of several lines), and a line
/// break in an address (a text of one line).
fn site_with_invisible_characters() -> tempfile::TempDir {
    let site = scratch_copy("build/minimal");
    let edit = |rel: &str, from: &str, to: &str| {
        let path = site.path().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel}: {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    let point = "content/lieux/nord/epicerie-nord.toml";
    edit(
        point,
        "nom = \"Épicerie solidaire du Nord\"",
        r#"nom = "Épicerie\u0000 solidaire\u001b[2J du\uFFFF Nord\u202E""#,
    );
    edit(point, "adresse = \"1 rue de la Paix\"", r#"adresse = "1 rue\nde la Paix""#);
    edit(point, "Venez avec un **sac**.", "Venez\\u0007 avec un **sac**.\\n\\tMerci.");
    let structure = std::fs::read_to_string(site.path().join("content/structures/asso-test.toml")).unwrap();
    let nom = structure.lines().find(|l| l.starts_with("nom = ")).unwrap().to_string();
    edit("content/structures/asso-test.toml", &nom, &nom.replacen("nom = \"", "nom = \"\\u0001", 1));
    let territoire = std::fs::read_to_string(site.path().join("content/territoires/ville-test.toml")).unwrap();
    let nom = territoire.lines().find(|l| l.starts_with("nom = ")).unwrap().to_string();
    edit("content/territoires/ville-test.toml", &nom, &nom.replacen("nom = \"", "nom = \"\\u001b]0;titre\\u0007", 1));
    // And in a commune's name, in the GeoJSON file of the communes.
    edit("content/territoires/ville-test.toml", "type = ", "communes = \"communes.geojson\"\ntype = ");
    let perimeter = std::fs::read_to_string(site.path().join("content/territoires/ville-test.geojson")).unwrap();
    let commune = perimeter.replace(r#""nom":"Ville-Test""#, r#""nom":"Ville\u0000-Test\u001b[2J""#);
    assert_ne!(commune, perimeter);
    std::fs::write(
        site.path().join("content/territoires/communes.geojson"),
        format!(r#"{{"type":"FeatureCollection","features":[{commune}]}}"#),
    )
    .unwrap();
    site
}

#[test]
fn invisible_characters_are_removed_with_a_warning_and_reach_no_file() {
    let site = site_with_invisible_characters();
    let checked = build(&Options { root: site.path().to_path_buf(), output: None, today: today() }).unwrap();
    let built = build_site(site.path());
    assert!(built.report.summary.is_some(), "{}", built.diagnostics());
    // `check` and `build` say the same.
    assert_eq!(checked.diagnostics.0, built.report.diagnostics.0);
    let shown = built.diagnostics();
    for (file, line, key) in [
        ("content/lieux/nord/epicerie-nord.toml", 1, "nom"),
        ("content/lieux/nord/epicerie-nord.toml", 4, "adresse"),
        ("content/structures/asso-test.toml", 0, "nom"),
        ("content/territoires/ville-test.toml", 0, "nom"),
    ] {
        let at = if line == 0 { format!("--> {file}:") } else { format!("--> {file}:{line}:") };
        assert!(shown.contains(&at), "no warning at {at}:\n{shown}");
        assert!(shown.contains(&format!("`{key}`")), "{shown}");
    }
    assert!(
        shown.contains(
            "`nom` contient des caractères invisibles (U+0000, U+001B, U+FFFF, U+202E) : ils ont été retirés"
        ),
        "{shown}"
    );
    assert!(shown.contains("`adresse` tient sur une ligne"), "{shown}");
    assert!(
        shown.contains(
            "la commune « Ville-Test[2J » a des caractères invisibles (U+0000, U+001B) : ils ont été retirés\n \
             --> content/territoires/communes.geojson"
        ),
        "{shown}"
    );
    assert!(shown.contains("`description` contient un caractère invisible (U+0007)"), "{shown}");
    assert!(built.report.diagnostics.0.iter().all(|d| d.severity == Severity::Warning), "{shown}");

    // No file of the site holds one, open data included; the maps parse.
    let out = built.out();
    let mut svg = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&out).unwrap().to_string_lossy().into_owned();
        let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
        if let Some(c) = text.chars().find(|&c| invisible(c)) {
            panic!("{rel} holds U+{:04X}", c as u32);
        }
        // Nor written as a JSON or JavaScript escape.
        for escape in ["\\u0000", "\\u0001", "\\u001b", "\\u001B", "\\u0007", "\\uffff", "\\uFFFF", "\\u202e"] {
            assert!(!text.contains(escape), "{rel} holds {escape}");
        }
        if rel.ends_with(".svg") {
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{rel} is not well-formed XML: {e}"));
            svg += 1;
        }
    }
    assert!(svg > 0, "no SVG map written");
    // The texts are there, less those characters; the description keeps
    // its lines, the address is one line.
    let page = visible_text(&built.read("lieux/epicerie-nord.html"));
    assert!(page.contains("Épicerie solidaire[2J du Nord"), "{page}");
    assert!(page.contains("1 rue de la Paix"), "{page}");
    let csv = std::fs::read_to_string(
        walkdir::WalkDir::new(out.join("donnees"))
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .find(|p| p.extension().is_some_and(|e| e == "csv"))
            .expect("an open data CSV"),
    )
    .unwrap();
    assert!(csv.contains("Épicerie solidaire[2J du Nord"), "{csv}");
    assert!(csv.contains("1 rue de la Paix"), "{csv}");
}

/// Runs the command on `root` and returns its exit code, standard output
/// and standard error.
fn alimap(root: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_alimap"))
        .args(["--racine", root.to_str().unwrap(), "--date", "2026-11-28"])
        .args(args)
        .env("ALIMAP_SILENCIEUX", "1")
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
}

#[test]
fn diagnostics_reach_the_terminal_escaped() {
    let site = scratch_copy("build/minimal");
    let point = site.path().join("content/lieux/nord/epicerie-nord.toml");
    let text = std::fs::read_to_string(&point).unwrap();
    // An unknown key that would set the terminal's title and clear it, and
    // a raw U+202E in a value shown on the diagnostic's line.
    let key = r#""horaire\u001b]0;pirate\u0007\u001b[2J" = 1"#;
    std::fs::write(&point, format!("{key}\nfrais_note = \"\u{202E}gratuit\"\n{text}")).unwrap();
    let evil = "a\u{1b}[2Jb\u{202E}.toml";
    std::fs::write(site.path().join("content/lieux").join(evil), "nom = 1\n").unwrap();

    for command in ["check", "build"] {
        let (code, _, stderr) = alimap(site.path(), &[command]);
        assert_eq!(code, 1, "{command}: {stderr}");
        assert!(!stderr.contains(['\u{1b}', '\u{7}', '\u{202E}']), "{command}: {}", stderr.escape_debug());
        assert!(stderr.contains(r"clé inconnue `horaire\u{1b}]0;pirate\u{7}\u{1b}[2J`"), "{command}: {stderr}");
        assert!(stderr.contains(r#"2 | frais_note = "\u{202e}gratuit""#), "{command}: {stderr}");
        assert!(stderr.contains(r"a\u{1b}[2Jb\u{202e}.toml"), "{command}: {stderr}");
    }
    assert!(!site.path().join("output").exists());

    // JSON keeps the text exactly, as valid JSON; the GitHub annotations
    // are printed to the job's log, escaped.
    let (_, json, _) = alimap(site.path(), &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let messages: Vec<&str> = json.as_array().unwrap().iter().filter_map(|d| d["message"].as_str()).collect();
    assert!(messages.contains(&"clé inconnue `horaire\u{1b}]0;pirate\u{7}\u{1b}[2J`"), "{messages:?}");
    let (_, github, _) = alimap(site.path(), &["check", "--format", "github"]);
    assert!(!github.contains(['\u{1b}', '\u{7}', '\u{202E}']), "{}", github.escape_debug());
    assert!(github.contains(r"horaire\u{1b}]0;pirate\u{7}\u{1b}[2J"), "{github}");
}
