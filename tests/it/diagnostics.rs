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
