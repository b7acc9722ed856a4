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
        // A structure's date is checked like a point's.
        "erreur : `date_maj` est antérieure à l’an 2000\n --> content/structures/asso-test.toml:7:12",
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
    assert!(stderr.contains("Échec : 5 erreurs"), "{stderr}");
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

/// A fixture whose only problems are warnings: the site is still built.
fn warning_case(case: &str) -> String {
    let root = fixture(&format!("diagnostics/{case}"));
    let built = build_site(&root);
    assert!(!built.report.diagnostics.has_errors(), "{case}: {}", built.diagnostics());
    assert!(built.out().join("index.html").exists(), "{case}: warnings do not stop the build");
    assert_snapshot(&root.join("expected.txt"), &built.diagnostics());
    built.diagnostics()
}

#[test]
fn two_points_at_one_address_under_different_names_are_flagged_once() {
    let text = warning_case("same-address");
    assert!(
        text.contains("ce lieu est à la même adresse que « Épicerie solidaire » (`content/lieux/epicerie.toml`)"),
        "{text}"
    );
    assert!(text.contains("--> content/lieux/epicerie-du-centre.toml:4:11"), "{text}");
    // Another room at the same address is a distinct place.
    assert!(!text.contains("repas-salle-b.toml"), "{text}");
    assert_eq!(text.matches("avertissement :").count(), 1, "{text}");
}

#[test]
fn a_point_far_from_the_commune_of_its_address_is_flagged() {
    let text = warning_case("far-from-commune");
    assert!(text.contains("ce lieu est à 27,1 km du centre de Ville-Test, la commune de son adresse"), "{text}");
    assert!(text.contains("--> content/lieux/ailleurs.toml:8:12"), "{text}");
    // Just outside the commune, near its centre: nothing to say.
    assert!(!text.contains("voisin.toml"), "{text}");
}

#[test]
fn check_succeeds_with_warnings_unless_strict() {
    let run = |strict: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_alimap"));
        cmd.args(["--date", "2026-11-28", "check", "--racine"]).arg(fixture("diagnostics/same-address"));
        if strict {
            cmd.arg("--strict");
        }
        cmd.output().unwrap()
    };
    let relaxed = run(false);
    assert_eq!(relaxed.status.code(), Some(0));
    let stderr = String::from_utf8(relaxed.stderr).unwrap();
    assert!(stderr.contains("avertissement : ce lieu est à la même adresse"), "{stderr}");
    assert_eq!(run(true).status.code(), Some(1));
}

/// Hours that read but cannot be shown truthfully: a date that does not
/// exist, the sun's hours, school holidays; each with what to write.
#[test]
fn hours_that_cannot_be_shown_truthfully_are_errors_with_what_to_write() {
    let text = check_case("horaires").diagnostics();
    for needle in [
        "erreur : le 30 février n’existe pas (février n’a que 29 jours)",
        " --> content/lieux/fevrier.toml:9:21",
        "écrivez une date qui existe : `Feb 29` pour le dernier jour du mois, ou le 1er du mois suivant (`Mar 01`)",
        "le 31 avril n’existe pas (avril n’a que 30 jours)",
        " --> content/lieux/avril.toml:9:40",
        "`sunrise` (le lever du soleil) change chaque jour et dépend de la position du lieu",
        " --> content/lieux/soleil.toml:9:27",
        "`SH` (vacances scolaires) n’est pas connu d’alimap",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

/// Hours written in French (issue 20): the diagnostic suggests them in
/// `opening_hours`, or says why they cannot be converted.
#[test]
fn hours_written_in_french_get_their_conversion_or_the_reason_why_not() {
    let text = check_case("french-hours").diagnostics();
    for (file, help) in [
        ("semaine", "vouliez-vous écrire `horaires_accueil = \"Mo-Fr 09:00-12:00\"` ?"),
        ("matinee", "vouliez-vous écrire `horaires_accueil = \"09:00-12:00\"` ?"),
        ("mardis", "vouliez-vous écrire `horaires_accueil = \"Tu 14:00-16:00\"` ?"),
        ("soir", "vouliez-vous écrire `horaires_accueil = \"19:00+\"` ?"),
        ("quinzaine", "« un samedi sur deux » : fréquence non représentable, à écrire en commentaire"),
        ("rendez-vous", "indiquez `rendez-vous` dans `acces`"),
    ] {
        let at = text.find(&format!("content/lieux/{file}.toml:9:")).unwrap_or_else(|| panic!("{file}: {text}"));
        let block = &text[at..text[at..].find("\n\n").map_or(text.len(), |end| at + end)];
        assert!(block.contains(help), "{file}: missing {help:?} in:\n{block}");
    }
    assert_eq!(text.matches("erreur : horaires illisibles").count(), 6, "{text}");
}
