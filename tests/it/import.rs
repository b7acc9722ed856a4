//! `alimap import` through the command a volunteer types, on spreadsheets
//! written with every messy case of real listings: the files written are
//! checked key by key, then by `alimap check`; a second import of a
//! changed file updates them in place.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use alimap::build::{Options, build};
use alimap::diagnostic::{Severity, render_all};

use crate::support::*;

/// The sample site's content in a scratch folder.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    dir
}

fn import(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alimap")).arg("--racine").arg(root).arg("import").args(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn source(name: &str) -> String {
    fixture("import").join(name).to_string_lossy().into_owned()
}

/// Where the point `id` was written: `content/lieux/<commune>/<id>.toml`.
pub(crate) fn lieu_file(root: &Path, id: &str) -> Option<PathBuf> {
    let name = format!("{id}.toml");
    walkdir::WalkDir::new(root.join("content/lieux"))
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .find(|p| p.file_name().is_some_and(|n| n.to_str() == Some(name.as_str())))
}

/// A written point's text and table (`import_formats` reads them too).
pub(crate) fn lieu(root: &Path, id: &str) -> (String, toml::Table) {
    let path = lieu_file(root, id).unwrap_or_else(|| panic!("{id}: no file"));
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{id}: {e}"));
    let table = toml::from_str(&text).unwrap();
    (text, table)
}

pub(crate) fn s<'a>(t: &'a toml::Table, key: &str) -> Option<&'a str> {
    t.get(key).and_then(toml::Value::as_str)
}

pub(crate) fn list(t: &toml::Table, key: &str) -> Vec<String> {
    t.get(key)
        .and_then(toml::Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str()).map(str::to_string).collect())
        .unwrap_or_default()
}

/// (errors, warnings, diagnostics) of `alimap check`.
fn check(root: &Path) -> (usize, usize, String) {
    let report = build(&Options { root: root.to_path_buf(), output: None, today: today() }).unwrap();
    let text = render_all(&report.diagnostics, &report.sources);
    (report.diagnostics.count(Severity::Error), report.diagnostics.count(Severity::Warning), text)
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    out.sort();
    out
}

#[test]
fn a_messy_spreadsheet_becomes_files_that_pass_the_check() {
    let dir = site();
    let root = dir.path();
    let out = import(root, &[&source("annuaire.csv"), "--acces", "sans-condition", "--frais", "gratuit"]);
    let report = stderr(&out);
    assert!(out.status.success(), "{report}");

    // `12, rue X, 75012`, a phone that lost its 0, `www.`, d/m/yyyy.
    let (text, t) = lieu(root, "epicerie-solidaire");
    assert_eq!(s(&t, "nom"), Some("Épicerie solidaire"));
    assert_eq!(s(&t, "structure"), Some("ccas-paris"));
    assert_eq!(s(&t, "adresse"), Some("12 rue de la Roquette"));
    assert_eq!(s(&t, "code_postal"), Some("75011"));
    assert_eq!(s(&t, "commune"), Some("Paris"));
    assert_eq!(s(&t, "code_insee"), Some("75056"));
    assert_eq!(t.get("latitude").and_then(toml::Value::as_float), Some(48.8553));
    assert_eq!(s(&t, "telephone"), Some("01 43 00 00 12"));
    assert_eq!(s(&t, "site_web"), Some("https://www.epicerie-exemple.org"));
    assert_eq!(list(&t, "services"), ["epicerie-sociale"]);
    assert_eq!(list(&t, "publics"), ["familles"]);
    assert_eq!(s(&t, "horaires_accueil"), Some("Mo-Fr 09:00-12:00"));
    assert!(
        text.contains("# à vérifier : horaires convertis du texte de la source « du lundi au vendredi de 9h à 12h »"),
        "{text}"
    );
    assert_eq!(t.get("date_maj").map(ToString::to_string).as_deref(), Some("2025-02-03"));
    assert_eq!(list(&t, "acces"), ["sans-condition"]);
    assert_eq!(s(&t, "frais"), Some("gratuit"));
    assert!(
        text.contains("# à vérifier : valeur par défaut donnée à l’import, absente de la source\nacces = "),
        "{text}"
    );

    // `- 18e arr.`, no coordinates, `+33(0)` and a second number, an
    // e-mail in the website column, free-text publics, a new structure.
    let (text, t) = lieu(root, "restaurant-du-coeur-d-ordener");
    assert_eq!(s(&t, "adresse"), Some("8 rue Ordener"));
    assert_eq!(s(&t, "code_postal"), Some("75018"));
    assert_eq!(s(&t, "commune"), Some("Paris"));
    assert!(t.get("latitude").is_none() && t.get("longitude").is_none(), "{text}");
    assert_eq!(s(&t, "telephone"), Some("01 42 00 00 01"));
    assert_eq!(s(&t, "courriel"), Some("contact@amis-partage.org"));
    assert!(t.get("site_web").is_none(), "{text}");
    assert!(s(&t, "description").unwrap().contains("Autres numéros : 06 12 34 56 78"), "{text}");
    assert_eq!(list(&t, "services"), ["repas"]);
    assert!(t.get("publics").is_none(), "{text}");
    assert_eq!(s(&t, "publics_precisions"), Some("hommes seuls, +18 ans"));
    assert_eq!(s(&t, "horaires_accueil"), Some("20:00+"));
    assert_eq!(s(&t, "structure"), Some("les-amis-du-partage"));
    let structure = std::fs::read_to_string(root.join("content/structures/les-amis-du-partage.toml")).unwrap();
    assert!(structure.contains("nom = \"Les Amis du Partage\""), "{structure}");
    assert!(structure.contains("# à vérifier : type de structure supposé"), "{structure}");

    // A name collision settled by the street; no postal code: deduced
    // from the commune; a geocoder's low score.
    let (text, t) = lieu(root, "epicerie-solidaire-rue-sadi-carnot");
    assert_eq!(
        (s(&t, "code_postal"), s(&t, "commune"), s(&t, "code_insee")),
        (Some("93170"), Some("Bagnolet"), Some("93006"))
    );
    assert!(text.contains("# à vérifier : code postal déduit de la commune"), "{text}");
    assert!(
        text.contains(
            "# à vérifier : position du géocodeur peu sûre (score 0.42 pour « 5 Rue Sadi Carnot 93170 Bagnolet »)"
        ),
        "{text}"
    );
    assert_eq!(list(&t, "publics"), ["personnes-exilees"]);
    assert_eq!(s(&t, "courriel"), Some("epicerie@exemple.org"));
    assert_eq!(t.get("date_maj").map(ToString::to_string).as_deref(), Some("2025-01-05"));
    // Same name and street: the postal code's turn.
    let (_, t) = lieu(root, "epicerie-solidaire-rue-de-la-roquette");
    assert_eq!(s(&t, "horaires_accueil"), Some("Sa 10:00-12:00"));

    // Placeholders dropped; a category of its own; `Paris 20e`.
    let (text, t) = lieu(root, "fontaine-wallace");
    for key in ["telephone", "courriel", "site_web"] {
        assert!(t.get(key).is_none(), "{key}: {text}");
    }
    assert_eq!(list(&t, "services"), ["eau-potable"]);
    assert_eq!(list(&t, "publics"), ["tous-publics"]);
    assert_eq!(s(&t, "code_postal"), Some("75020"));

    // « Alimentation » alone: the kind inferred from the description;
    // hours that cannot be converted kept as text; two numbers in one cell.
    let (text, t) = lieu(root, "oeuvre-de-la-soupe");
    assert_eq!(list(&t, "services"), ["repas"]);
    assert!(
        text.contains("# à vérifier : type d’aide déduit du nom ou de la description (la source dit « Alimentation »)"),
        "{text}"
    );
    assert!(t.get("horaires_accueil").is_none(), "{text}");
    assert!(text.contains("# à vérifier : horaires non convertis"), "{text}");
    let description = s(&t, "description").unwrap();
    assert!(description.contains("Horaires : un samedi sur deux de 9h à 12h"), "{description}");
    assert!(description.contains("Autres numéros : 06 12 00 00 06"), "{description}");
    assert_eq!(s(&t, "telephone"), Some("01 43 00 00 05"));

    // A dated season.
    let (_, t) = lieu(root, "colis-d-hiver");
    assert!(s(&t, "horaires_accueil").unwrap().contains("Oct 15-Mar 31"), "{t:?}");

    // A commune that does not match its postal code: listed, not guessed.
    assert!(lieu_file(root, "lieu-mystere").is_none());
    assert!(
        report.contains(
            "ligne 7 « Lieu mystère » : commune introuvable : « Lyon » ne correspond pas au code postal 75011"
        ),
        "{report}"
    );
    assert!(report.contains("Colonnes ignorées de annuaire.csv : « Responsable »"), "{report}");
    assert!(root.join("import/identifiants.toml").is_file());

    let (errors, warnings, text) = check(root);
    assert_eq!(errors, 0, "{text}");
    assert!(warnings > 0 && text.contains("lieu à géocoder"), "{text}");

    // The point without position is left out of pages, maps and search
    // until it has one; the others are published.
    let built = build_site(root);
    let mut published = (false, false);
    for f in files(&built.out()) {
        let text = std::fs::read_to_string(built.out().join(&f)).unwrap_or_default();
        published.0 |= text.contains("Restaurant du cœur d");
        published.1 |= text.contains("Fontaine Wallace");
    }
    assert_eq!(published, (false, true));
}

#[test]
fn a_dry_run_writes_nothing_and_reports_the_same() {
    let dir = site();
    let root = dir.path();
    let before = files(root);
    let out = import(root, &[&source("annuaire.csv"), "--acces", "sans-condition", "--frais", "gratuit", "--essai"]);
    let report = stderr(&out);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("Essai d’importation : aucun fichier n’a été écrit"), "{report}");
    assert!(report.lines().any(|l| l.trim_start().starts_with("fiches écrites") && l.contains(" 7 ")), "{report}");
    assert_eq!(files(root), before);
}

#[test]
fn a_second_import_updates_the_same_files_and_keeps_hand_edits() {
    let dir = site();
    let root = dir.path();
    let csv = root.join("annuaire.csv");
    std::fs::copy(fixture("import/annuaire.csv"), &csv).unwrap();
    let args = [csv.to_str().unwrap(), "--acces", "sans-condition", "--frais", "gratuit"];
    assert!(import(root, &args).status.success());
    let lieux = files(&root.join("content/lieux")).len();

    // A volunteer corrects the defaulted access and adds a key and a comment.
    // Points go in their commune's folder, as the sample site keeps them.
    let path = lieu_file(root, "epicerie-solidaire").unwrap();
    assert_eq!(path, root.join("content/lieux/paris/epicerie-solidaire.toml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace("acces = [\"sans-condition\"]", "acces = [\"orientation\"]");
    let text = format!("{text}# vu au téléphone\naccessibilite_pmr = true\n");
    std::fs::write(&path, &text).unwrap();

    // The source changes a phone number and gains a row.
    let changed = std::fs::read_to_string(&csv).unwrap().replace("143000012", "143000099")
        + "Nouveau frigo,ccas-paris,\"3 rue Oberkampf, 75011\",,,,,,frigo solidaire,,,1/12/2025,48.864,2.367,0.9,,,\n";
    std::fs::write(&csv, changed).unwrap();
    let out = import(root, &args);
    let report = stderr(&out);
    assert!(out.status.success(), "{report}");
    assert_eq!(files(&root.join("content/lieux")).len(), lieux + 1, "{report}");
    let (text, t) = lieu(root, "epicerie-solidaire");
    assert_eq!(s(&t, "telephone"), Some("01 43 00 00 99"));
    assert_eq!(list(&t, "acces"), ["orientation"]);
    assert!(text.contains("# vu au téléphone\naccessibilite_pmr = true\n"), "{text}");
    assert!(report.lines().any(|l| l.trim_start().starts_with("fiches mises à jour") && l.contains(" 1 ")), "{report}");
    assert!(report.lines().any(|l| l.trim_start().starts_with("fiches écrites") && l.contains(" 1 ")), "{report}");

    // Once more, unchanged: nothing moves.
    let before: Vec<(PathBuf, String)> = files(root)
        .into_iter()
        .map(|p| (p.clone(), std::fs::read_to_string(root.join(&p)).unwrap_or_default()))
        .collect();
    let out = import(root, &args);
    assert!(stderr(&out).lines().any(|l| l.trim_start().starts_with("fiches mises à jour") && l.contains(" 0 ")));
    let after: Vec<(PathBuf, String)> = files(root)
        .into_iter()
        .map(|p| (p.clone(), std::fs::read_to_string(root.join(&p)).unwrap_or_default()))
        .collect();
    assert_eq!(before, after);
    let (errors, _, text) = check(root);
    assert_eq!(errors, 0, "{text}");
}

#[test]
fn windows_1252_with_semicolons_and_a_default_structure() {
    let dir = site();
    let root = dir.path();
    let out = import(root, &[&source("ccas-1252.csv"), "--structure", "ccas-montreuil"]);
    let report = stderr(&out);
    assert!(out.status.success(), "{report}");
    let (_, t) = lieu(root, "epicerie-sociale-l-etape");
    assert_eq!(s(&t, "nom"), Some("Épicerie Sociale «\u{a0}L’Étape\u{a0}»"));
    assert_eq!(s(&t, "structure"), Some("ccas-montreuil"));
    assert_eq!(s(&t, "telephone"), Some("01 48 00 00 10"));
    assert_eq!(list(&t, "acces"), ["orientation"]);
    assert_eq!((s(&t, "frais"), s(&t, "frais_precisions")), (Some("payant"), Some("Participation de 10 %")));
    assert_eq!(s(&t, "horaires_accueil"), Some("Tu 14:00-17:00"));
    assert_eq!(t.get("date_maj").map(ToString::to_string).as_deref(), Some("2025-03-02"));
    let (_, t) = lieu(root, "colis-de-noel");
    assert_eq!((s(&t, "commune"), s(&t, "code_insee")), (Some("Bagnolet"), Some("93006")));
    assert_eq!(list(&t, "services"), ["colis-alimentaire"]);
    assert!(report.lines().any(|l| l.contains("sans coordonnées") && l.contains(" 2 ")), "{report}");
    let (errors, _, text) = check(root);
    assert_eq!(errors, 0, "{text}");
}

#[test]
fn a_mapping_file_names_columns_defaults_and_categories() {
    let dir = site();
    let root = dir.path();
    let csv = root.join("liste.csv");
    std::fs::write(
        &csv,
        "Intitulé;Où;Quand;Pour qui;Catégorie;Vérifié le\n\
         Soupe du soir;18 rue Myrha 75018 Paris;le lundi de 19h à 21h;hommes seuls;Se nourrir;12/10/2025\n\
         Douches;20 rue Myrha 75018 Paris;le lundi de 9h à 11h;;Hygiène;12/10/2025\n",
    )
    .unwrap();
    let mapping = root.join("correspondance.toml");
    std::fs::write(
        &mapping,
        "[colonnes]\n\"Intitulé\" = \"nom\"\n\"Où\" = \"adresse\"\n\"Quand\" = \"horaires_accueil\"\n\"Pour qui\" = \"publics\"\n\"Vérifié le\" = \"date_maj\"\n\n\
         [defauts]\nacces = [\"sans-condition\"]\nfrais = \"gratuit\"\nstructure = \"ccas-paris\"\n\n\
         [services]\n\"Se nourrir\" = \"repas\"\n\n[publics]\n\"hommes seuls\" = \"tous-publics\"\n",
    )
    .unwrap();
    let out = import(root, &[csv.to_str().unwrap(), "--correspondance", mapping.to_str().unwrap()]);
    let report = stderr(&out);
    assert!(out.status.success(), "{report}");
    let (_, t) = lieu(root, "soupe-du-soir");
    assert_eq!(list(&t, "services"), ["repas"]);
    assert_eq!(list(&t, "publics"), ["tous-publics"]);
    assert_eq!(s(&t, "horaires_accueil"), Some("Mo 19:00-21:00"));
    assert!(report.contains("« Douches » : aucune aide alimentaire reconnue dans « Hygiène »"), "{report}");

    // A mapping naming a key that does not exist is refused before anything.
    std::fs::write(&mapping, "[colonnes]\n\"Où\" = \"adress\"\n").unwrap();
    let out = import(root, &[csv.to_str().unwrap(), "--correspondance", mapping.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("clé inconnue « adress »"), "{}", stderr(&out));
}

#[test]
fn hostile_cells_never_write_outside_content_nor_panic() {
    let dir = site();
    let root = dir.path();
    let csv = root.join("hostile.csv");
    let huge = "x".repeat(200_000);
    std::fs::write(
        &csv,
        format!(
            "id,nom,adresse,structure,services,site,date_maj\n\
             ../../../x,../../../etc/passwd,\"1 rue X, 75011 Paris\",ccas-paris,repas,\"=HYPERLINK(\"\"https://exemple.org/a\"\";\"\"site\"\")\",1/1/2025\n\
             ..\\\\y,\"=1+2\",\"2 rue X, 75011 Paris\",ccas-paris,repas,,1/1/2025\n\
             z,{huge},\"3 rue X, 75011 Paris\",ccas-paris,repas,,1/1/2025\n\
             w,\"///\",\"4 rue X, 75011 Paris\",../structures/ccas-paris,repas,,1/1/2025\n"
        ),
    )
    .unwrap();
    let before = files(root);
    let out = import(root, &[csv.to_str().unwrap(), "--acces", "sans-condition", "--frais", "gratuit"]);
    let report = stderr(&out);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("valeur trop longue dans « nom »"), "{report}");
    for f in files(root) {
        if !before.contains(&f) {
            assert!(
                f.starts_with("content/lieux") || f.starts_with("content/structures") || f.starts_with("import"),
                "{}",
                f.display()
            );
        }
    }
    let (_, t) = lieu(root, "etc-passwd");
    assert_eq!(s(&t, "site_web"), Some("https://exemple.org/a"));
    let (errors, _, text) = check(root);
    assert_eq!(errors, 0, "{text}");
}

#[cfg(unix)]
#[test]
fn a_link_in_content_is_never_written_through() {
    let dir = site();
    let root = dir.path();
    let args = [&source("annuaire.csv"), "--acces", "sans-condition", "--frais", "gratuit"];
    let outside = root.join("ailleurs.toml");
    let kept = "nom = \"à garder\"\n";
    std::fs::write(&outside, kept).unwrap();
    // Links where new files would go: their names are taken, never followed.
    std::fs::create_dir_all(root.join("content/lieux/paris")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("content/lieux/paris/epicerie-solidaire.toml")).unwrap();
    std::os::unix::fs::symlink(root.join("absent.toml"), root.join("content/lieux/paris/fontaine-wallace.toml"))
        .unwrap();
    let out = import(root, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), kept);
    assert!(!root.join("absent.toml").exists());

    // A file of the first import replaced by a link: the row is refused.
    let written = root.join("content/lieux/bagnolet/epicerie-solidaire-rue-sadi-carnot.toml");
    assert!(written.is_file());
    std::fs::remove_file(&written).unwrap();
    std::os::unix::fs::symlink(&outside, &written).unwrap();
    let out = import(root, &args);
    let report = stderr(&out);
    assert!(out.status.success(), "{report}");
    assert!(
        report.contains("epicerie-solidaire-rue-sadi-carnot.toml n’est pas un fichier ordinaire (lien ?)"),
        "{report}"
    );
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), kept);
}

#[test]
fn required_values_the_source_lacks_are_asked_for() {
    let dir = site();
    let out = import(dir.path(), &[&source("ccas-1252.csv"), "--structure", "nulle-part"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("la structure par défaut « nulle-part » n’existe pas"), "{}", stderr(&out));
    // No structure at all: every row refused with the option to add.
    let out = import(dir.path(), &[&source("ccas-1252.csv")]);
    assert!(
        stderr(&out).contains("pas de structure : ajoutez une colonne « structure » ou l’option --structure"),
        "{}",
        stderr(&out)
    );
}
