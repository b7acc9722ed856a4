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
fn a_file_with_a_bad_field_still_exists_for_the_other_files() {
    let text = check_case("unread").diagnostics();
    // Each file's own error, and nothing that only follows from it.
    assert!(text.contains("numéro de téléphone invalide « 01 48 00 00 »"), "{text}");
    assert!(text.contains("valeur inconnue « gratis » pour `frais`"), "{text}");
    assert!(!text.contains("n’existe pas"), "{text}");
    assert!(!text.contains("aucun lieu ne dépend"), "{text}");
    assert_eq!(text.matches("erreur :").count(), 2, "{text}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_alimap"))
        .args(["--date", "2026-11-28", "check", "--racine"])
        .arg(fixture("diagnostics/unread"))
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("Échec : 2 erreurs, 0 avertissement ; 2 fichiers n’ont pas pu être lus."), "{stderr}");
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
    // Just outside the commune, near its centre: nothing to say (it is
    // named only as a spelling of the commune, in the other file's warning).
    assert!(!text.contains("--> content/lieux/voisin.toml"), "{text}");
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

#[test]
fn a_missing_position_proposes_the_centre_of_the_commune_as_approximate() {
    let text = check_case("sans-position").diagnostics();
    // Paris 11e: the centre of Paris, from the commune table, said to be
    // approximate; Lyon: no centre known, how to find the position.
    assert!(
        text.contains(
            "à défaut, le centre de Paris : `latitude = 48.85661` et `longitude = 2.34280`, une position approximative"
        ),
        "{text}"
    );
    assert!(text.contains("ajoutez `latitude = …` et `longitude = …`, la position de l’adresse"), "{text}");
    assert!(!text.contains("2.3522"), "{text}");
    // Neither key (an imported point not geocoded yet): a warning, the
    // point left out of the site; one key of two: an error still.
    assert!(text.contains("lieu à géocoder : sans latitude ni longitude, il n’est pas publié"), "{text}");
    assert!(text.contains("la clé obligatoire `longitude` manque\n --> content/lieux/pantin.toml"), "{text}");
    assert!(!text.contains("la clé obligatoire `latitude` manque\n --> content/lieux/lyon.toml"), "{text}");
}

#[test]
fn positions_are_checked_against_the_commune_and_its_departement() {
    let text = warning_case("positions");
    for needle in [
        // A Lyon address with Paris coordinates.
        "le code postal 69003 est dans le département 69, mais la position de ce lieu est dans « Paris » (département 75)",
        // A Montreuil address placed in Paris.
        "ce lieu est à 13,",
        "du centre de Montreuil, la commune de son adresse",
        // One place entered twice, its address written differently.
        "ce lieu est à 30 m de « Épicerie solidaire Belleville » (`content/lieux/belleville.toml`), sous un nom proche",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    // Next door under another name: another place.
    assert!(!text.contains("restos-belleville.toml"), "{text}");
    assert!(!text.contains("onzieme.toml"), "{text}");
}

#[test]
fn eighty_stale_files_make_one_grouped_warning_after_the_errors() {
    let site = scratch_copy("build/minimal");
    let dir = site.path().join("content/lieux/vieux");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..80 {
        let text = std::fs::read_to_string(site.path().join("content/lieux/nord/repas-du-soir.toml")).unwrap();
        // Each at its own address and place, 500 m or more apart.
        let text = text
            .replace("Repas du soir", &format!("Repas n° {i}"))
            .replace("5 place du Marché", &format!("{i} rue de la Gare"))
            .replace("latitude = 48.94", &format!("latitude = {:.3}", 48.905 + 0.005 * f64::from(i / 9)))
            .replace("longitude = 2.36", &format!("longitude = {:.3}", 2.305 + 0.01 * f64::from(i % 9)))
            .replace("2026-05-01", "2025-01-15");
        std::fs::write(dir.join(format!("repas-{i:02}.toml")), text).unwrap();
    }
    // One error, which must come before the group.
    std::fs::write(site.path().join("content/structures/cassee.toml"), "nom = \"Cassée\"\ntype = \"association\"\n")
        .unwrap();
    let built = build_site(site.path());
    let text = built.diagnostics();
    assert_snapshot(&fixture("diagnostics/perimes/expected.txt"), &text);
    assert_eq!(text.matches("avertissement :").count(), 1, "{text}");
    assert!(text.find("erreur :").unwrap() < text.find("avertissement :").unwrap(), "{text}");
    assert_eq!(text.matches("informations vérifiées il y a plus de 6 mois").count(), 81, "{text}");

    let check = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_alimap"))
            .args(["--date", "2026-11-28", "check", "--racine"])
            .arg(site.path())
            .args(args)
            .output()
            .unwrap();
        (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    let (_, tout) = check(&["--tout"]);
    assert_eq!(tout.matches("avertissement : informations vérifiées").count(), 81, "{tout}");
    let (json, _) = check(&["--format", "json"]);
    let items: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(items.iter().filter(|d| d["severite"] == "avertissement").count(), 81);
    // GitHub: the error on its line, then one annotation for the group.
    let (github, _) = check(&["--format", "github"]);
    let lines: Vec<&str> = github.lines().collect();
    assert_eq!(lines.len(), 2, "{github}");
    assert!(lines[0].starts_with("::error file=content/structures/cassee.toml"), "{github}");
    assert!(lines[1].starts_with("::warning title=alimap::informations à revérifier"), "{github}");
    assert!(lines[1].contains("(81 fichiers)"), "{github}");
}
