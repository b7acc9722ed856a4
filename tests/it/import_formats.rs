//! `alimap import` of XLSX and ODS workbooks, of the spreadsheet template
//! (`--modele`) and of Soliguide places, through the command a volunteer
//! types: the files written are checked key by key; hostile files give a
//! French error and no panic.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output};

use alimap::build::{Options, build};
use alimap::diagnostic::{Severity, render_all};

use crate::import::{lieu, list, s};
use crate::support::*;

/// The sample site's settings, territories and structures in a scratch
/// folder, without its points.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::copy(repo().join("content/site.toml"), content.join("site.toml")).unwrap();
    for sub in ["territoires", "structures"] {
        copy_dir(&repo().join("content").join(sub), &content.join(sub));
    }
    dir
}

fn import(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alimap")).arg("--racine").arg(root).arg("import").args(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn date(t: &toml::Table, key: &str) -> Option<String> {
    t.get(key).and_then(toml::Value::as_datetime).map(|d| d.to_string())
}

/// `alimap check` has no error on the site.
fn assert_checks(root: &Path) {
    let report = build(&Options { root: root.to_path_buf(), output: None, today: today() }).unwrap();
    let text = render_all(&report.diagnostics, &report.sources);
    assert_eq!(report.diagnostics.count(Severity::Error), 0, "{text}");
}

/// A workbook as a coordination keeps one: a title above the table, a
/// phone typed as a number, a date cell, a name made by a formula.
fn messy_xlsx(path: &Path) {
    use rust_xlsxwriter::{Format, Formula, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Annuaire de l’aide alimentaire – 2026").unwrap();
    let headers =
        ["Nom", "Structure", "Adresse", "Tél.", "Horaires", "Type d'aide", "Mise à jour", "Latitude", "Longitude"];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    sheet.write_formula(3, 0, Formula::new("=\"Épicerie \"&\"du Bailly\"").set_result("Épicerie du Bailly")).unwrap();
    sheet.write_string(3, 1, "ccas-saint-denis").unwrap();
    sheet.write_string(3, 2, "3 place du Caquet, 93200 Saint-Denis").unwrap();
    sheet.write_number(3, 3, 148000077.0).unwrap();
    sheet.write_string(3, 4, "du mardi au vendredi de 9h à 12h").unwrap();
    sheet.write_string(3, 5, "Épicerie sociale").unwrap();
    sheet.write_number_with_format(3, 6, 46266.0, &date).unwrap();
    sheet.write_number(3, 7, 48.9332).unwrap();
    sheet.write_number(3, 8, 2.3581).unwrap();
    book.save(path).unwrap();
}

#[test]
fn an_xlsx_workbook_imports_as_its_cells_show() {
    let dir = site();
    let root = dir.path();
    let xlsx = root.join("annuaire.xlsx");
    messy_xlsx(&xlsx);
    let out = import(root, &[xlsx.to_str().unwrap(), "--acces", "sans-condition", "--frais", "gratuit"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (text, t) = lieu(root, "epicerie-du-bailly");
    // The formula's saved value, never evaluated.
    assert_eq!(s(&t, "nom"), Some("Épicerie du Bailly"));
    assert_eq!(s(&t, "structure"), Some("ccas-saint-denis"));
    assert_eq!(s(&t, "adresse"), Some("3 place du Caquet"));
    assert_eq!(s(&t, "code_postal"), Some("93200"));
    assert_eq!(s(&t, "commune"), Some("Saint-Denis"));
    // A number in the sheet: its lost 0 restored.
    assert_eq!(s(&t, "telephone"), Some("01 48 00 00 77"));
    assert_eq!(s(&t, "horaires_accueil"), Some("Tu-Fr 09:00-12:00"));
    assert_eq!(list(&t, "services"), ["epicerie-sociale"]);
    // The date cell, as the sheet shows it, is the date of the source.
    assert_eq!(date(&t, "date_maj").as_deref(), Some("2026-09-01"));
    assert_eq!(t.get("latitude").and_then(toml::Value::as_float), Some(48.9332));
    assert!(text.contains("à vérifier"), "{text}");
    assert_checks(root);
}

/// The smallest ODS LibreOffice would save, with a title row, a number,
/// a date and repeated empty rows and columns.
fn tiny_ods(path: &Path) {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Lieux">
<table:table-row><table:table-cell office:value-type="string"><text:p>Nom</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Structure</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Adresse</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>CP</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Ville</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Téléphone</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Catégorie</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Mise à jour</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16376"/></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>Frigo du marché</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>ccas-saint-denis</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>1 rue Gabriel-Péri</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="93200"><text:p>93200</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Saint-Denis</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="148000078"><text:p>148000078</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Frigo solidaire</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="2026-09-15"><text:p>15/09/26</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16376"/></table:table-row>
<table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file("META-INF/manifest.xml", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap();
}

#[test]
fn an_ods_workbook_imports() {
    let dir = site();
    let root = dir.path();
    let ods = root.join("annuaire.ods");
    tiny_ods(&ods);
    let out = import(root, &[ods.to_str().unwrap(), "--acces", "sans-condition", "--frais", "gratuit"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, t) = lieu(root, "frigo-du-marche");
    assert_eq!(s(&t, "adresse"), Some("1 rue Gabriel-Péri"));
    assert_eq!(s(&t, "code_postal"), Some("93200"));
    assert_eq!(s(&t, "telephone"), Some("01 48 00 00 78"));
    assert_eq!(list(&t, "services"), ["frigo-solidaire"]);
    assert_eq!(date(&t, "date_maj").as_deref(), Some("2026-09-15"));
}

#[test]
fn the_template_imported_with_its_mapping_gives_its_example_back() {
    let dir = site();
    let root = dir.path();
    let modele = root.join("modele");
    let out = import(root, &["--modele", modele.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let xlsx = modele.join("modele-annuaire.xlsx");
    let mapping = modele.join("modele-correspondance.toml");
    let first = std::fs::read(&xlsx).unwrap();
    // Never over an existing file.
    let again = import(root, &["--modele", modele.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("existe déjà"), "{}", stderr(&again));

    let out = import(root, &["--correspondance", mapping.to_str().unwrap(), xlsx.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The example row: every key of a point as the schema's example.
    let id = walkdir::WalkDir::new(root.join("content/lieux"))
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_type().is_file())
        .unwrap()
        .into_path();
    let t: toml::Table = toml::from_str(&std::fs::read_to_string(&id).unwrap()).unwrap();
    for (f, header) in alimap::import::template::columns() {
        let expected = alimap::import::template::example(&f).unwrap();
        let got = t.get(f.key).unwrap_or_else(|| panic!("{} ({header}) not imported", f.key));
        assert_eq!(got, &expected, "{} ({header})", f.key);
    }
    // The same alimap writes the same template.
    let other = tempfile::tempdir().unwrap();
    assert!(import(root, &["--modele", other.path().to_str().unwrap()]).status.success());
    assert_eq!(std::fs::read(other.path().join("modele-annuaire.xlsx")).unwrap(), first);
}

#[test]
fn soliguide_places_import_with_exact_hours_and_closures() {
    let dir = site();
    let root = dir.path();
    let source = fixture("import/soliguide.json");
    let out = import(root, &[source.to_str().unwrap(), "--structure", "ccas-saint-denis"]);
    assert!(out.status.success(), "{}", stderr(&out));

    let (text, t) = lieu(root, "soupe-de-la-place");
    assert_eq!(s(&t, "structure"), Some("ccas-saint-denis"));
    assert_eq!(list(&t, "services"), ["repas"]);
    assert_eq!(s(&t, "adresse"), Some("12 Rue de la République"));
    assert_eq!(s(&t, "complement_adresse"), Some("Parvis de la basilique"));
    assert_eq!(s(&t, "code_postal"), Some("93200"));
    assert_eq!(s(&t, "commune"), Some("Saint-Denis"));
    assert_eq!(t.get("latitude").and_then(toml::Value::as_float), Some(48.9356));
    assert_eq!(t.get("longitude").and_then(toml::Value::as_float), Some(2.3539));
    assert_eq!(s(&t, "horaires_accueil"), Some("Mo-Fr 19:30-20:15; Su 12:00-13:30,19:30-20:15; PH off"));
    assert_eq!(list(&t, "acces"), ["sans-condition"]);
    assert_eq!(s(&t, "frais"), Some("gratuit"));
    assert_eq!(list(&t, "publics"), ["tous-publics"]);
    assert_eq!(s(&t, "telephone"), Some("01 42 00 31 05"));
    assert_eq!(s(&t, "courriel"), Some("soupe@exemple.org"));
    assert_eq!(s(&t, "site_web"), Some("https://www.exemple.org/soupe"));
    assert_eq!(t.get("accessibilite_pmr").and_then(toml::Value::as_bool), Some(true));
    assert_eq!(list(&t, "langues"), ["fr", "en"]);
    assert_eq!(date(&t, "date_maj").as_deref(), Some("2026-06-10"));
    let fermetures = t.get("fermetures").and_then(toml::Value::as_array).unwrap();
    assert_eq!(fermetures.len(), 1);
    let f = fermetures[0].as_table().unwrap();
    assert_eq!(date(f, "du").as_deref(), Some("2026-04-01"));
    assert_eq!(date(f, "au").as_deref(), Some("2026-11-30"));
    assert_eq!(s(f, "motif"), Some("Dispositif hivernal : fermé l’été"));
    // The second number and the reading of `food_distribution` are said.
    assert!(text.contains("06 12 34 56 78"), "{text}");
    assert!(text.contains("food_distribution"), "{text}");

    let (text, t) = lieu(root, "epicerie-solidaire-du-bailly");
    assert_eq!(s(&t, "structure"), Some("comite-solidaire-saint-denis"));
    assert_eq!(list(&t, "services"), ["colis-bebe", "epicerie-sociale"]);
    assert_eq!(s(&t, "horaires_accueil"), Some("Tu,We 09:00-12:00,14:00-17:30; Fr 09:00-12:00"));
    assert_eq!(list(&t, "acces"), ["orientation", "rendez-vous"]);
    assert_eq!(
        s(&t, "conditions_acces"),
        Some("Orientation par un travailleur social du secteur. Premier rendez-vous avec la conseillère.")
    );
    assert_eq!(s(&t, "frais"), Some("payant"));
    assert_eq!(s(&t, "frais_precisions"), Some("10 % du prix en magasin"));
    assert_eq!(list(&t, "publics"), ["familles"]);
    assert_eq!(s(&t, "publics_precisions"), Some("Familles avec enfants de moins de 3 ans."));
    // Temporary hours are said, with their conversion, not written over
    // the usual ones.
    assert!(
        text.contains("horaires temporaires dans Soliguide du 2026-12-21 au 2027-01-03 : Tu 10:00-12:00"),
        "{text}"
    );

    // A place without food help is not a point.
    assert!(crate::import::lieu_file(root, "bains-douches-municipaux").is_none());
    assert_checks(root);
}

#[test]
fn hostile_files_give_a_french_error() {
    let dir = site();
    let root = dir.path();
    // A workbook that unpacks to 65 MB from a few kilobytes.
    let bomb = root.join("bombe.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
    zip.start_file("xl/sharedStrings.xml", zip::write::SimpleFileOptions::default()).unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..65 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    // JSON cut in the middle of a record.
    let cut = root.join("services.json");
    std::fs::write(&cut, "[{\"id\": \"a\", \"structure_id\": \"b\", \"nom\": ").unwrap();
    // A workbook that is not one.
    let fake = root.join("faux.ods");
    std::fs::write(&fake, "Nom;Adresse\n").unwrap();

    for (file, message) in [
        (&bomb, "ce classeur occupe plus de 64 Mo une fois décompressé"),
        (&cut, "JSON illisible, ligne 1 colonne 41 : le fichier s’arrête avant la fin"),
        (&fake, "n’est pas un classeur ODS lisible"),
    ] {
        let out = import(root, &[file.to_str().unwrap(), "--acces", "sans-condition", "--frais", "gratuit"]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{err}");
        assert!(err.contains(message), "{}: {err}", file.display());
        assert!(!err.contains("panicked"), "{err}");
    }
    assert!(
        !root.join("content/lieux").exists() || std::fs::read_dir(root.join("content/lieux")).unwrap().count() == 0
    );
}
