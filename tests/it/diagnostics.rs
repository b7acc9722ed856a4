//! What a volunteer reads when files are wrong: every problem in one run,
//! with file, line, column, what is wrong and how to fix it. Each case is a
//! fixture under `tests/fixtures/diagnostics/<case>/` with the exact text in
//! `expected.txt`.

use crate::support::*;

fn check_case(case: &str) -> Built {
    let root = fixture(&format!("diagnostics/{case}"));
    let built = build_site(&root);
    assert!(built.report.diagnostics.has_errors(), "{case} must fail");
    assert!(!built.out().exists(), "{case}: nothing is written when there are errors");
    assert_snapshot(&root.join("expected.txt"), &built.diagnostics());
    built
}

#[test]
fn every_field_problem_of_a_file_is_reported_at_once() {
    let built = check_case("fields");
    let text = built.diagnostics();
    for needle in [
        "clé inconnue `horaire`",
        "vouliez-vous écrire `horaires_accueil` ?",
        "valeur inconnue « epicerie » pour `services`",
        "vouliez-vous écrire `horaires_accueil = \"Mo 09:00-12:00\"` ?",
        "`code_postal` doit être du texte entre guillemets",
        "la latitude et la longitude semblent inversées",
        "`acces` doit contenir au moins une valeur",
        "vouliez-vous écrire `gratuit` ?",
        "numéro de téléphone invalide",
        "adresse web refusée « javascript:alert(1) »",
        "écrivez `accessibilite_pmr = true`",
        "écrivez `date_maj = 2026-10-01`",
        "content/lieux/epicerie.toml:9:1",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

#[test]
fn references_territories_and_dates_are_checked_across_files() {
    let text = check_case("references").diagnostics();
    for needle in [
        "la structure « asso-tset » n’existe pas",
        "vouliez-vous écrire `asso-test` ?",
        "la structure « inconnue » n’existe pas",
        "ce lieu n’est dans le périmètre d’aucun territoire",
        "le territoire le plus proche est « Ville-Test »",
        "`date_maj` est dans le futur",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

#[test]
fn syntax_errors_and_bad_file_names_name_the_file_and_line() {
    let text = check_case("syntax").diagnostics();
    assert!(text.contains("nom de fichier invalide : « cassé »"), "{text}");
    assert!(text.contains("renommez le fichier en `casse.toml`"), "{text}");
    assert!(text.contains("syntaxe TOML invalide"), "{text}");
    assert!(text.contains("content/lieux/crochet.toml:2:"), "{text}");
}

#[test]
fn the_command_exits_non_zero_and_prints_diagnostics_on_stderr() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_alimap"))
        .args(["--date", "2026-11-28", "check", "--racine"])
        .arg(fixture("diagnostics/references"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("erreur : la structure « asso-tset » n’existe pas"), "{stderr}");
    assert!(stderr.contains("Échec : 4 erreurs"), "{stderr}");
}

/// Copies a fixture into a temporary folder, to add what cannot be
/// committed (links, invalid UTF-8).
fn scratch_copy(case: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = fixture(case);
    for e in walkdir::WalkDir::new(&src) {
        let e = e.unwrap();
        let to = dir.path().join(e.path().strip_prefix(&src).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    dir
}

#[test]
fn links_out_of_the_site_and_invalid_utf8_are_refused_with_a_diagnostic() {
    let site = scratch_copy("build/minimal");
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(secret.path().join("secret.toml"), "nom = \"secret\"\n").unwrap();
    std::os::unix::fs::symlink(secret.path().join("secret.toml"), site.path().join("content/lieux/fuite.toml"))
        .unwrap();
    std::fs::write(site.path().join("content/lieux/latin1.toml"), b"nom = \"\xe9picerie\"\n").unwrap();
    let built = build_site(site.path());
    let text = built.diagnostics();
    assert!(text.contains("content/lieux/fuite.toml\n") && text.contains("pointe hors du dossier du site"), "{text}");
    assert!(text.contains("n’est pas encodé en UTF-8 (premier caractère illisible à la ligne 1)"), "{text}");
    assert!(!text.contains("secret"), "{text}");
    assert!(!built.out().exists());
}
