//! What `alimap check` accepts, `alimap build` publishes: every output path
//! is known at validation, so that two files on one path, a name too long,
//! a commune spelt several ways, links to what is not content and names a
//! system refuses are diagnostics of `check`, never a failed publication.
//! Fixed cases in `tests/fixtures/chemins/<case>/`; links and names that
//! cannot be committed are made in a copy; a property test builds random
//! small sites and checks that both commands agree.

use std::path::Path;

use alimap::build::{Options, Report, build};
use alimap::diagnostic::render_all;
use proptest::prelude::*;

use crate::support::*;

/// `alimap check` on `root`: the same pipeline, writing nothing.
fn check(root: &Path) -> Report {
    build(&Options { root: root.to_path_buf(), output: None, today: today() }).expect("check itself must not fail")
}

fn text(report: &Report) -> String {
    render_all(&report.diagnostics, &report.sources)
}

/// A site that `check` refuses and `build` does not publish: the check's
/// diagnostics, which are the build's too.
fn refused(root: &Path) -> String {
    let checked = check(root);
    let built = build_site(root);
    let shown = text(&checked);
    assert!(checked.diagnostics.has_errors(), "check must refuse it:\n{shown}");
    assert!(!built.out().exists(), "nothing is written");
    assert_eq!(built.diagnostics(), shown, "check and build say the same");
    shown
}

/// A fixture case refused, its diagnostics as in its `expected.txt`.
fn refused_case(case: &str) -> String {
    let root = fixture(&format!("chemins/{case}"));
    let shown = refused(&root);
    assert_snapshot(&root.join("expected.txt"), &shown);
    shown
}

#[test]
fn a_structure_named_index_would_replace_the_list_of_structures() {
    let text = refused_case("structure-index");
    assert!(
        text.contains("la structure de `content/structures/index.toml` donnerait le fichier `structures/index.html` du site, déjà pris par la liste des structures"),
        "{text}"
    );
    assert!(text.contains("renommez ce fichier"), "{text}");
}

#[test]
fn a_territory_named_like_another_ones_perimeter_file_is_refused() {
    let text = refused_case("territoires");
    assert!(
        text.contains("le territoire de `content/territoires/paris-perimetre.toml` donnerait le fichier `donnees/territoires/paris-perimetre.geojson` du site, déjà pris par le territoire de `content/territoires/paris.toml`"),
        "{text}"
    );
}

#[test]
fn a_commune_without_letters_is_refused_in_each_file() {
    let text = refused_case("sans-lettres");
    assert_eq!(text.matches("ce nom de commune ne contient ni lettre ni chiffre").count(), 2, "{text}");
    assert!(text.contains("content/lieux/points.toml:6:11"), "{text}");
    assert!(text.contains("content/lieux/exclamations.toml:6:11"), "{text}");
}

#[test]
fn a_commune_name_too_long_for_a_file_name_is_refused() {
    // 195 characters, within the limit of a one-line text, but `œ` is
    // written `oe` in file names: 259 bytes.
    let text = refused_case("trop-long");
    assert!(text.contains("ce nom de commune est trop long pour nommer une page du site"), "{text}");
    assert!(text.contains("content/lieux/long.toml:6:11"), "{text}");
}

#[test]
fn spellings_of_one_commune_make_one_commune_page_with_a_warning() {
    let root = fixture("chemins/communes");
    let built = build_site(&root);
    let text = built.diagnostics();
    assert!(!built.report.diagnostics.has_errors(), "{text}");
    assert!(!text.contains("erreur"), "{text}");
    assert_snapshot(&root.join("expected.txt"), &text);
    // The most used spelling names it; every spelling and its files are listed.
    assert!(text.contains("la commune « Saint-Denis » est écrite de 5 façons"), "{text}");
    for spelling in
        ["« Saint Denis » dans `content/lieux/espace.toml`", "« SAINT-DENIS »", "« Saint-Dénis »", "« Saint–Denis »"]
    {
        assert!(text.contains(spelling), "missing {spelling} in {text}");
    }
    assert!(text.contains("« Saint-Denis » dans `content/lieux/juste-a.toml`, `content/lieux/juste-b.toml`"), "{text}");
    let communes: Vec<String> = std::fs::read_dir(built.out().join("communes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("saint"))
        .collect();
    assert_eq!(communes, ["saint-denis.html"]);
    let page = visible_text(&built.read("communes/saint-denis.html"));
    for point in ["espace", "majuscules", "accent", "tiret-demi", "juste-a", "juste-b"] {
        assert!(page.contains(&format!("Repas {point}")), "{point} missing from {page}");
    }
    assert!(page.contains("Saint-Denis"), "{page}");
}

/// The minimal site in a scratch folder, with a secret beside its content
/// as CI leaves one: a token in `.git/config`, a key in `.env`.
#[test]
fn a_page_named_like_the_pages_alimap_writes_itself_is_refused() {
    // The minimal site sets `mentions_legales`: alimap writes both pages.
    let site = scratch_copy("build/minimal");
    let pages = site.path().join("content/pages");
    let page = std::fs::read_to_string(pages.join("a-propos.md")).unwrap();
    for id in ["accessibilite", "mentions-legales"] {
        std::fs::write(pages.join(format!("{id}.md")), &page).unwrap();
    }
    let text = refused(site.path());
    assert!(
        text.contains("la page de `content/pages/accessibilite.md` donnerait le fichier `pages/accessibilite.html` du site, déjà pris par la déclaration d’accessibilité, que alimap écrit lui-même"),
        "{text}"
    );
    assert!(
        text.contains("la page de `content/pages/mentions-legales.md` donnerait le fichier `pages/mentions-legales.html` du site, déjà pris par les mentions légales de `mentions_legales` (content/site.toml)"),
        "{text}"
    );
}

fn site_with_secrets() -> tempfile::TempDir {
    let site = scratch_copy("build/minimal");
    std::fs::create_dir_all(site.path().join(".git")).unwrap();
    std::fs::write(site.path().join(".git/config"), "[http]\n\textraheader = AUTHORIZATION: basic SECRET-JETON\n")
        .unwrap();
    std::fs::write(site.path().join(".env"), "nom = \"SECRET-CLE\"\n").unwrap();
    site
}

#[test]
fn a_theme_file_linked_to_git_config_is_refused_and_never_copied() {
    let site = site_with_secrets();
    let statics = site.path().join("themes/default/static");
    std::fs::create_dir_all(&statics).unwrap();
    std::os::unix::fs::symlink("../../../.git/config", statics.join("jeton.css")).unwrap();
    let text = refused(site.path());
    assert!(text.contains("themes/default/static/jeton.css"), "{text}");
    assert!(text.contains("ce lien symbolique mène à un fichier caché ou dans un dossier caché"), "{text}");
    assert!(!text.contains("SECRET"), "{text}");
}

#[test]
fn a_point_linked_to_a_dotfile_is_refused_without_showing_it() {
    let site = site_with_secrets();
    std::os::unix::fs::symlink("../../.env", site.path().join("content/lieux/fuite.toml")).unwrap();
    // A point linked to a file of another kind, inside `content/`.
    std::os::unix::fs::symlink("../pages/a-propos.md", site.path().join("content/lieux/page.toml")).unwrap();
    let text = refused(site.path());
    assert!(text.contains("--> content/lieux/fuite.toml\n"), "{text}");
    assert!(text.contains("ce lien symbolique mène à un fichier caché"), "{text}");
    assert!(text.contains("--> content/lieux/page.toml\n"), "{text}");
    assert!(text.contains("mène à un fichier d’un autre type (un fichier `.toml` est attendu)"), "{text}");
    assert!(!text.contains("SECRET"), "{text}");
}

#[test]
fn a_link_to_another_file_of_the_same_kind_is_followed() {
    let site = scratch_copy("build/minimal");
    std::os::unix::fs::symlink("../pages/a-propos.md", site.path().join("content/pages/apropos.md")).unwrap();
    let built = build_site(site.path());
    assert!(!built.report.diagnostics.has_errors(), "{}", built.diagnostics());
    assert!(visible_text(&built.read("pages/apropos.html")).contains("Cet annuaire est un test"));
}

#[test]
fn files_ignored_for_their_name_are_said_with_the_name_to_give() {
    let site = scratch_copy("build/minimal");
    let point = std::fs::read_to_string(site.path().join("content/lieux/nord/repas-du-soir.toml")).unwrap();
    for name in ["majuscules.TOML", "notepad.toml.txt", "faute.tml", ".cache.toml"] {
        std::fs::write(site.path().join("content/lieux").join(name), &point).unwrap();
    }
    // Not meant to be read: said nothing of.
    std::fs::write(site.path().join("content/lieux/LISEZMOI"), "notes").unwrap();
    std::fs::write(site.path().join("content/lieux/.gitkeep"), "").unwrap();
    let built = build_site(site.path());
    let text = built.diagnostics();
    assert!(!built.report.diagnostics.has_errors(), "{text}");
    assert_eq!(text.matches("avertissement : ce fichier est ignoré").count(), 4, "{text}");
    for (file, fixed) in [
        ("majuscules.TOML", "majuscules.toml"),
        ("notepad.toml.txt", "notepad.toml"),
        ("faute.tml", "faute.toml"),
        (".cache.toml", "cache.toml"),
    ] {
        assert!(text.contains(&format!("--> content/lieux/{file}\n")), "{file}: {text}");
        assert!(text.contains(&format!("renommez-le `{fixed}`")), "{fixed}: {text}");
    }
    assert!(!text.contains("LISEZMOI") && !text.contains("gitkeep"), "{text}");
}

#[test]
fn names_windows_reserves_are_errors() {
    let site = scratch_copy("build/minimal");
    let point = std::fs::read_to_string(site.path().join("content/lieux/nord/repas-du-soir.toml")).unwrap();
    for name in ["con.toml", "AUX.toml", "nul.toml", "com1.toml", "Lpt9.toml"] {
        std::fs::write(site.path().join("content/lieux").join(name), &point).unwrap();
    }
    std::fs::write(site.path().join("content/pages/prn.md"), "+++\ntitre = \"P\"\n+++\n").unwrap();
    let text = refused(site.path());
    for name in
        ["lieux/con.toml", "lieux/AUX.toml", "lieux/nul.toml", "lieux/com1.toml", "lieux/Lpt9.toml", "pages/prn.md"]
    {
        assert!(text.contains(&format!("--> content/{name}\n")), "{name}: {text}");
    }
    assert_eq!(text.matches("est un nom que Windows réserve").count(), 6, "{text}");
}

/// A small whole site, as files: points, structures and territories whose
/// ids, communes and names collide, differ by spelling, are reserved, too
/// long, or carry control characters.
#[derive(Debug, Clone)]
struct Small {
    territoires: Vec<&'static str>,
    structures: Vec<&'static str>,
    /// File name (under `lieux/`), commune, postal code.
    lieux: Vec<(&'static str, String, &'static str)>,
}

fn small() -> impl Strategy<Value = Small> {
    // Within the limit of a one-line text, too long for a file name.
    let long = "Bœœuf-".repeat(32) + "Fin";
    let commune = prop_oneof![
        Just("Ville-Test".to_string()),
        Just("Ville test".to_string()),
        Just("VILLE-TEST".to_string()),
        Just("Ville-Tést".to_string()),
        Just("Ville–Test".to_string()),
        Just("Ville-Test 93".to_string()),
        Just("Bourg".to_string()),
        Just("???".to_string()),
        Just("Ville\u{7}Test".to_string()),
        Just("Ville\u{202e}Test".to_string()),
        Just(long),
    ];
    let lieu = (
        prop::sample::select(vec!["a.toml", "b.toml", "sous/a.toml", "index.toml", "con.toml", "c.TOML", "d.tml"]),
        commune,
        prop::sample::select(vec!["93200", "93210", "97400"]),
    );
    (
        prop::sample::subsequence(vec!["ville-test", "paris", "paris-perimetre", "index", "carte", "tout"], 1..=3),
        prop::sample::subsequence(vec!["index", "asso-b", "aux"], 0..=2),
        prop::collection::vec(lieu, 1..=4),
    )
        .prop_map(|(territoires, structures, lieux)| Small { territoires, structures, lieux })
}

fn write_small(site: &Small) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let minimal = fixture("build/minimal/content");
    let content = dir.path().join("content");
    for sub in ["territoires", "structures", "lieux/sous"] {
        std::fs::create_dir_all(content.join(sub)).unwrap();
    }
    std::fs::copy(minimal.join("site.toml"), content.join("site.toml")).unwrap();
    std::fs::copy(minimal.join("territoires/ville-test.geojson"), content.join("territoires/perimetre.geojson"))
        .unwrap();
    std::fs::copy(minimal.join("structures/asso-test.toml"), content.join("structures/asso-test.toml")).unwrap();
    for t in &site.territoires {
        let toml = format!("nom = \"Territoire {t}\"\ntype = \"commune\"\nperimetre = \"perimetre.geojson\"\n");
        std::fs::write(content.join(format!("territoires/{t}.toml")), toml).unwrap();
    }
    for s in &site.structures {
        let toml = std::fs::read_to_string(minimal.join("structures/asso-test.toml")).unwrap();
        std::fs::write(content.join(format!("structures/{s}.toml")), toml).unwrap();
    }
    for (i, (file, commune, cp)) in site.lieux.iter().enumerate() {
        let toml = format!(
            "nom = \"Lieu {i}\"\nstructure = \"asso-test\"\nservices = [\"repas\"]\nadresse = \"{i} rue Longue\"\n\
             code_postal = \"{cp}\"\ncommune = \"{}\"\nlatitude = 48.93\nlongitude = {:.3}\n\
             horaires_accueil = \"Mo 10:00-12:00\"\nacces = [\"sans-condition\"]\nfrais = \"gratuit\"\ndate_maj = 2026-10-01\n",
            commune.replace('\u{7}', "\\u0007").replace('\u{202e}', "\\u202E"),
            2.31 + i as f64 * 0.01
        );
        std::fs::write(content.join("lieux").join(file), toml).unwrap();
    }
    dir
}

proptest! {
    // Each case builds a small site twice (check, then build): a few
    // cases are enough for the generator's few values of each kind.
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn check_reports_no_error_exactly_when_build_publishes(site in small()) {
        let dir = write_small(&site);
        let checked = check(dir.path());
        let out = dir.path().join("public");
        let built = build(&Options { root: dir.path().to_path_buf(), output: Some(out.clone()), today: today() });
        let published = built.as_ref().is_ok_and(|r| !r.diagnostics.has_errors() && out.join("index.html").is_file());
        let shown = match &built {
            Ok(r) => text(r),
            Err(e) => format!("{e:#}"),
        };
        prop_assert_eq!(!checked.diagnostics.has_errors(), published, "check:\n{}\nbuild:\n{}", text(&checked), shown);
    }
}
