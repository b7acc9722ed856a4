//! `alimap import --modele`: a ready-to-fill spreadsheet of points and
//! the column mapping that imports it.
//!
//! One column per key of a point file, from the key descriptions
//! (`content::schema`): a French header, a note with the key's meaning,
//! the vocabularies as drop-down lists (on a hidden sheet « Listes »),
//! and an example row made of the schema's examples. The workbook's
//! creation date is fixed, so the same alimap writes the same bytes.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, Formula, Note, Workbook,
};
use toml::Value;

use crate::content::schema::{FieldSpec, FileKind, Kind};

/// The file names `--modele` writes.
pub const WORKBOOK: &str = "modele-annuaire.xlsx";
pub const MAPPING: &str = "modele-correspondance.toml";
/// The sheet to fill.
pub const SHEET: &str = "Lieux";
/// Rows the drop-down lists and formats cover, the header included.
const ROWS: u32 = 2_000;

/// The header of each key, as a coordination would title its column.
const HEADERS: &[(&str, &str)] = &[
    ("nom", "Nom du lieu"),
    ("structure", "Structure"),
    ("services", "Aides proposées"),
    ("adresse", "Adresse"),
    ("complement_adresse", "Complément d’adresse"),
    ("code_postal", "Code postal"),
    ("commune", "Commune"),
    ("code_insee", "Code INSEE"),
    ("latitude", "Latitude"),
    ("longitude", "Longitude"),
    ("horaires_accueil", "Horaires"),
    ("acces", "Accès"),
    ("conditions_acces", "Conditions d’accès"),
    ("justificatifs", "Documents à apporter"),
    ("frais", "Gratuit ou payant"),
    ("frais_precisions", "Précisions sur le prix"),
    ("publics", "Publics"),
    ("publics_precisions", "Précisions sur les publics"),
    ("langues", "Langues parlées"),
    ("accessibilite_pmr", "Accessible en fauteuil roulant"),
    ("regimes", "Régimes alimentaires"),
    ("telephone", "Téléphone"),
    ("courriel", "Courriel"),
    ("site_web", "Site web"),
    ("description", "Description"),
    ("date_maj", "Date de vérification"),
];

/// The keys of a point a spreadsheet column can hold (sections such as
/// `[[fermetures]]` stay for the files), with their headers.
pub fn columns() -> Vec<(FieldSpec, &'static str)> {
    FileKind::Lieu
        .fields()
        .into_iter()
        .filter(|f| !matches!(f.kind, Kind::Table(_) | Kind::Tables(_) | Kind::ByLanguage(_)))
        .filter_map(|f| HEADERS.iter().find(|(k, _)| *k == f.key).map(|(_, h)| (f, *h)))
        .collect()
}

/// What the import splits a cell of several values on: vocabularies on
/// commas, free texts (documents to bring) on semicolons.
const SEPARATOR: &str = ", ";
const LIST_SEPARATOR: &str = "; ";

/// The example row: each key's example, as a volunteer would type it.
pub fn example(f: &FieldSpec) -> Option<Value> {
    let doc: toml::Table = toml::from_str(&format!("v = {}", f.example)).ok()?;
    doc.get("v").cloned()
}

/// A cell's text for an example value.
fn cell_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(cell_text).collect::<Vec<_>>().join(SEPARATOR),
        Value::Boolean(b) => if *b { "oui" } else { "non" }.to_string(),
        other => other.to_string(),
    }
}

/// The note of a column: the key's meaning, its values, how to write
/// several.
fn note(f: &FieldSpec) -> String {
    let mut text = f.description_fr.replace('`', "");
    if f.required {
        text.push_str(" Obligatoire.");
    }
    match f.kind {
        Kind::Value(v) | Kind::Values(v) => {
            let values: Vec<String> = (v.entries)().iter().map(|(value, label)| format!("{value} ({label})")).collect();
            text.push_str(&format!(" Valeurs : {}.", values.join(" ; ")));
            if matches!(f.kind, Kind::Values(_)) {
                text.push_str(" Plusieurs valeurs : séparez-les par des virgules.");
            }
        }
        Kind::Bool => text.push_str(" Écrivez oui ou non."),
        Kind::Date => text.push_str(" Une date : JJ/MM/AAAA."),
        Kind::TextList => text.push_str(" Plusieurs : séparez-les par des points-virgules."),
        _ => {}
    }
    text
}

fn xlsx(e: rust_xlsxwriter::XlsxError) -> anyhow::Error {
    anyhow::anyhow!("écriture du modèle de tableur impossible : {e}")
}

/// The column letters of a 0-based column (`0` → `A`, `27` → `AB`).
fn letters(mut col: u16) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The template workbook's bytes.
pub fn workbook() -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2026, 1, 1).map_err(xlsx)?;
    book.set_properties(
        &DocProperties::new()
            .set_title("Modèle d’annuaire alimap")
            .set_author("alimap")
            .set_comment("À remplir puis importer : alimap import --correspondance modele-correspondance.toml modele-annuaire.xlsx")
            .set_creation_datetime(&created),
    );
    let columns = columns();
    let header = Format::new().set_bold().set_text_wrap().set_background_color("#E8F0E0");
    let as_text = Format::new().set_num_format("@");
    let as_date = Format::new().set_num_format("dd/mm/yyyy");

    // The vocabularies, one per column of a hidden sheet.
    let mut lists: Vec<(&'static str, usize)> = Vec::new();
    {
        let sheet = book.add_worksheet();
        sheet.set_name(SHEET).map_err(xlsx)?;
    }
    {
        let listes = book.add_worksheet();
        listes.set_name("Listes").map_err(xlsx)?;
        let mut c: u16 = 0;
        for (f, h) in &columns {
            if let Kind::Value(v) | Kind::Values(v) = f.kind {
                listes.write_string(0, c, *h).map_err(xlsx)?;
                let entries = (v.entries)();
                for (i, (value, _)) in entries.iter().enumerate() {
                    listes.write_string(i as u32 + 1, c, *value).map_err(xlsx)?;
                }
                lists.push((f.key, entries.len()));
                c += 1;
            }
        }
        listes.write_string(0, c, "oui / non").map_err(xlsx)?;
        listes.write_string(1, c, "oui").map_err(xlsx)?;
        listes.write_string(2, c, "non").map_err(xlsx)?;
        listes.set_hidden(true);
    }
    let bool_column = letters(lists.len() as u16);

    let sheet = book.worksheet_from_name(SHEET).map_err(xlsx)?;
    sheet.set_freeze_panes(1, 1).map_err(xlsx)?;
    for (c, (f, h)) in columns.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, *h, &header).map_err(xlsx)?;
        sheet.insert_note(0, c, &Note::new(note(f)).set_author("alimap").add_author_prefix(false)).map_err(xlsx)?;
        let width = match f.kind {
            Kind::Number | Kind::Bool | Kind::Date => 14,
            _ if f.key == "code_postal" || f.key == "code_insee" => 12,
            _ => 28,
        };
        sheet.set_column_width(c, width).map_err(xlsx)?;
        match f.kind {
            Kind::Date => {
                sheet.set_column_format(c, &as_date).map_err(xlsx)?;
            }
            Kind::Text if matches!(f.key, "code_postal" | "code_insee" | "telephone") => {
                sheet.set_column_format(c, &as_text).map_err(xlsx)?;
            }
            _ => {}
        }
        let validation = match f.kind {
            Kind::Value(_) | Kind::Values(_) => {
                let i = lists.iter().position(|(k, _)| *k == f.key).unwrap_or(0);
                let n = lists.get(i).map_or(1, |l| l.1);
                let range = format!("=Listes!${0}$2:${0}${1}", letters(i as u16), n + 1);
                let several = matches!(f.kind, Kind::Values(_));
                let message = if several {
                    "Choisissez dans la liste, ou écrivez plusieurs valeurs séparées par des virgules."
                } else {
                    "Choisissez dans la liste."
                };
                Some(
                    DataValidation::new()
                        .allow_list_formula(Formula::new(range))
                        // Several values in one cell are not in the list:
                        // the spreadsheet informs, and lets them be.
                        .set_error_style(if several {
                            DataValidationErrorStyle::Information
                        } else {
                            DataValidationErrorStyle::Stop
                        })
                        .set_input_message(message)
                        .map_err(xlsx)?,
                )
            }
            Kind::Bool => Some(
                DataValidation::new()
                    .allow_list_formula(Formula::new(format!("=Listes!${bool_column}$2:${bool_column}$3")))
                    .set_input_message("oui ou non")
                    .map_err(xlsx)?,
            ),
            _ => None,
        };
        if let Some(v) = validation {
            sheet.add_data_validation(1, c, ROWS - 1, c, &v).map_err(xlsx)?;
        }
        // The example row.
        match (f.kind, example(f)) {
            (_, None) => {}
            (Kind::Number, Some(v)) => {
                if let Some(n) = v.as_float().or_else(|| v.as_integer().map(|i| i as f64)) {
                    sheet.write_number(1, c, n).map_err(xlsx)?;
                }
            }
            (Kind::Integer, Some(Value::Integer(i))) => {
                sheet.write_number(1, c, i as f64).map_err(xlsx)?;
            }
            (Kind::Date, Some(Value::Datetime(d))) => match d.date {
                Some(d) => {
                    let date = ExcelDateTime::from_ymd(d.year, d.month, d.day).map_err(xlsx)?;
                    sheet.write_datetime_with_format(1, c, &date, &as_date).map_err(xlsx)?;
                }
                None => bail!("exemple de date sans jour pour `{}`", f.key),
            },
            (Kind::TextList, Some(Value::Array(a))) => {
                let items: Vec<String> = a.iter().map(cell_text).collect();
                sheet.write_string(1, c, items.join(LIST_SEPARATOR)).map_err(xlsx)?;
            }
            (_, Some(v)) => {
                sheet.write_string(1, c, cell_text(&v)).map_err(xlsx)?;
            }
        }
    }
    book.save_to_buffer().map_err(xlsx)
}

/// The column mapping of the template, with the defaults a coordination
/// may set.
pub fn mapping() -> String {
    let mut out = String::from(
        "# Correspondance des colonnes du modèle de tableur d’alimap.\n\
         # Importer : alimap import --correspondance modele-correspondance.toml modele-annuaire.xlsx\n\
         # Chaque ligne : « en-tête de colonne » = « clé des fiches ».\n\n[colonnes]\n",
    );
    for (f, h) in columns() {
        out.push_str(&format!("{} = \"{}\"\n", toml::Value::String(h.to_string()), f.key));
    }
    out.push_str(
        "\n# Valeurs données aux lignes où la colonne est vide ; chacune est\n\
         # signalée « à vérifier » dans la fiche écrite.\n[defauts]\n\
         # acces = [\"sans-condition\"]\n# frais = \"gratuit\"\n# structure = \"identifiant-de-la-structure\"\n",
    );
    out
}

/// Writes the template and its mapping into `dir` (made if needed), never
/// over an existing file; returns the paths written.
pub fn write(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("impossible de créer le dossier {}", dir.display()))?;
    let files = [(dir.join(WORKBOOK), workbook()?), (dir.join(MAPPING), mapping().into_bytes())];
    for (path, _) in &files {
        if path.exists() {
            bail!(
                "{} existe déjà : il n’est pas remplacé ; déplacez-le, ou choisissez un autre dossier",
                path.display()
            );
        }
    }
    let mut written = Vec::new();
    for (path, bytes) in files {
        std::fs::write(&path, bytes).with_context(|| format!("impossible d’écrire {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_has_a_header_and_an_example() {
        let cols = columns();
        assert_eq!(cols.len(), HEADERS.len(), "a key of a point without a header, or a header without a key");
        for (f, _) in &cols {
            assert!(example(f).is_some(), "{}: example not TOML", f.key);
        }
    }

    #[test]
    fn letters_of_columns() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(27), "AB");
    }

    #[test]
    fn the_template_reads_back_with_its_example_row() {
        let bytes = workbook().unwrap();
        assert_eq!(bytes, workbook().unwrap(), "same template, same bytes");
        let t = super::super::spreadsheet::read(&bytes, super::super::spreadsheet::Workbook::Xlsx, None).unwrap();
        let cols = columns();
        assert_eq!(t.headers, cols.iter().map(|(_, h)| h.to_string()).collect::<Vec<_>>());
        assert_eq!(t.rows.len(), 1);
        let row = &t.rows[0];
        let cell = |key: &str| t.cell(row, cols.iter().find(|(f, _)| f.key == key).unwrap().1).unwrap().to_string();
        assert_eq!(cell("services"), "colis-alimentaire");
        assert_eq!(cell("latitude"), "48.9356");
        assert_eq!(cell("code_postal"), "93200");
        assert_eq!(cell("date_maj"), "01/10/2026");
        assert_eq!(cell("accessibilite_pmr"), "oui");
        assert_eq!(cell("langues"), "fr, ar");
    }
}
