//! XLSX and ODS workbooks read into a [`Table`]: one sheet, every cell as
//! the text a volunteer sees in it.
//!
//! Numbers are written without exponent nor trailing `.0` (a phone number
//! stored as a number stays `612345678`: the normaliser restores its 0),
//! dates as `15/10/2026`, times as `09:00`, booleans as `VRAI`/`FAUX`.
//! Formulas are read as the value the spreadsheet saved with them, never
//! evaluated. A workbook is a zip archive: its size once unpacked, its
//! number of rows and its columns are bounded before and while it is read,
//! so that a hostile file gives a French error, not an exhausted machine.

use std::io::{Cursor, Read};

use anyhow::{Result, bail};
use calamine::{Data, DataRef, ExcelDateTime, Ods, Reader, Xlsx};

use super::table::{Row, Table};

/// Largest workbook once unpacked, all its parts together, in bytes.
pub const MAX_UNPACKED: u64 = 64 * 1024 * 1024;
/// Most parts in a workbook's archive.
const MAX_PARTS: usize = 10_000;
/// Most rows a sheet may have, its header included.
pub const MAX_ROWS: u32 = 200_000;
/// Most columns a sheet may have.
pub const MAX_COLUMNS: u32 = 500;

/// Which kind of workbook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workbook {
    Xlsx,
    Ods,
}

impl Workbook {
    fn name(self) -> &'static str {
        match self {
            Workbook::Xlsx => "XLSX",
            Workbook::Ods => "ODS",
        }
    }
}

/// The sheet `sheet` (by name), or the first sheet, of a workbook. The
/// header is the first row naming two columns or more (a title above the
/// table is skipped); rows keep the number the spreadsheet shows them
/// with, and empty rows are left out.
pub fn read(bytes: &[u8], kind: Workbook, sheet: Option<&str>) -> Result<Table> {
    measure(bytes, kind)?;
    let cells = match kind {
        Workbook::Xlsx => xlsx_cells(bytes, sheet)?,
        Workbook::Ods => ods_cells(bytes, sheet)?,
    };
    Ok(table(cells))
}

/// Refuses a workbook that is not a zip archive, or that unpacks to more
/// than [`MAX_UNPACKED`] bytes. Every part is unpacked once here, counting
/// bytes, since an archive may say less than it holds.
fn measure(bytes: &[u8], kind: Workbook) -> Result<()> {
    let not_a_workbook = || {
        anyhow::anyhow!(
            "ce fichier n’est pas un classeur {} lisible (archive zip abîmée ou autre format) : ouvrez-le dans votre tableur et enregistrez-le à nouveau",
            kind.name()
        )
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_a_workbook())?;
    if archive.len() > MAX_PARTS {
        bail!("ce classeur contient {} parties (au plus {MAX_PARTS}) : il n’est pas lu", archive.len());
    }
    let too_big = || {
        anyhow::anyhow!(
            "ce classeur occupe plus de {} Mo une fois décompressé : il n’est pas lu ; gardez seulement la feuille des lieux, ou enregistrez-la au format CSV",
            MAX_UNPACKED >> 20
        )
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let part = archive.by_index(i).map_err(|_| not_a_workbook())?;
        total = total.saturating_add(part.size());
        if total > MAX_UNPACKED {
            return Err(too_big());
        }
    }
    let mut unpacked: u64 = 0;
    for i in 0..archive.len() {
        let part = archive.by_index(i).map_err(|_| not_a_workbook())?;
        let left = MAX_UNPACKED - unpacked;
        let n = std::io::copy(&mut part.take(left + 1), &mut std::io::sink()).map_err(|_| not_a_workbook())?;
        unpacked += n;
        if unpacked > MAX_UNPACKED {
            return Err(too_big());
        }
    }
    Ok(())
}

/// A sheet's non-empty cells: (row, column, text), 0-based.
type Cells = Vec<(u32, u32, String)>;

fn sheet_name(names: &[String], wanted: Option<&str>) -> Result<String> {
    let list = || names.iter().map(|n| format!("« {n} »")).collect::<Vec<_>>().join(", ");
    match wanted {
        None => match names.first() {
            Some(n) => Ok(n.clone()),
            None => bail!("ce classeur n’a aucune feuille"),
        },
        Some(w) => match names.iter().find(|n| n.trim() == w.trim()) {
            Some(n) => Ok(n.clone()),
            None => bail!("la feuille « {w} » est introuvable dans ce classeur ; ses feuilles : {}", list()),
        },
    }
}

fn bound(row: u32, col: u32) -> Result<()> {
    if row >= MAX_ROWS {
        bail!("la feuille a plus de {MAX_ROWS} lignes : elle n’est pas lue ; découpez-la en plusieurs fichiers");
    }
    if col >= MAX_COLUMNS {
        bail!(
            "la feuille a une valeur en colonne {} (au plus {MAX_COLUMNS} colonnes) : supprimez les colonnes inutiles à droite",
            col + 1
        );
    }
    Ok(())
}

fn read_error(kind: Workbook, e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!(
        "classeur {} illisible ({e}) : ouvrez-le dans votre tableur et enregistrez-le à nouveau, ou au format CSV",
        kind.name()
    )
}

/// XLSX cells, streamed from the sheet's XML: nothing is allocated for
/// the empty cells between two far-apart values.
fn xlsx_cells(bytes: &[u8], sheet: Option<&str>) -> Result<Cells> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| read_error(Workbook::Xlsx, e))?;
    let name = sheet_name(&book.sheet_names(), sheet)?;
    let mut reader = book.worksheet_cells_reader(&name).map_err(|e| read_error(Workbook::Xlsx, e))?;
    let mut cells = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(|e| read_error(Workbook::Xlsx, e))? {
        let (row, col) = cell.get_position();
        let text = text_ref(cell.get_value());
        if text.is_empty() {
            continue;
        }
        bound(row, col)?;
        cells.push((row, col, text));
    }
    Ok(cells)
}

/// ODS cells: the reader bounds repeated rows and columns itself.
fn ods_cells(bytes: &[u8], sheet: Option<&str>) -> Result<Cells> {
    let mut book: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|e| read_error(Workbook::Ods, e))?;
    let name = sheet_name(&book.sheet_names(), sheet)?;
    let range = book.worksheet_range(&name).map_err(|e| read_error(Workbook::Ods, e))?;
    let mut cells = Vec::new();
    for (row, col, value) in range.used_cells() {
        let text = text(value);
        if text.is_empty() {
            continue;
        }
        let (row, col) = (range.start().map_or(0, |s| s.0) + row as u32, range.start().map_or(0, |s| s.1) + col as u32);
        bound(row, col)?;
        cells.push((row, col, text));
    }
    Ok(cells)
}

/// Cells into rows, below the header row.
fn table(mut cells: Cells) -> Table {
    cells.sort_by_key(|c| (c.0, c.1));
    let width = cells.iter().map(|c| c.1 + 1).max().unwrap_or(0) as usize;
    let mut rows: Vec<Row> = Vec::new();
    for (row, col, text) in cells {
        let line = row as usize + 1;
        if rows.last().is_none_or(|r| r.line != line) {
            rows.push(Row { line, cells: vec![String::new(); width] });
        }
        if let Some(last) = rows.last_mut() {
            last.cells[col as usize] = text;
        }
    }
    // A title above the table (one cell, often merged) is not the header:
    // the header is the first row naming at least two columns.
    let named = |r: &Row| r.cells.iter().filter(|c| !c.trim().is_empty()).count();
    let start = rows.iter().position(|r| named(r) >= 2).unwrap_or(0);
    let mut rows = rows.into_iter().skip(start);
    let mut headers = rows.next().map(|r| r.cells).unwrap_or_default();
    // Columns right of the last header keep their values under no name.
    while headers.last().is_some_and(|h| h.trim().is_empty()) && headers.len() > 1 {
        headers.pop();
    }
    Table { headers, rows: rows.collect() }
}

/// A cell of a streamed sheet as text.
fn text_ref(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => boolean(*b),
        DataRef::DateTime(d) => datetime(d),
        DataRef::DateTimeIso(s) => iso_datetime(s),
        DataRef::DurationIso(s) => iso_duration(s),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

/// A cell of a whole sheet as text.
fn text(value: &Data) -> String {
    match value {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::String(s) => s.clone(),
        Data::Bool(b) => boolean(*b),
        Data::DateTime(d) => datetime(d),
        Data::DateTimeIso(s) => iso_datetime(s),
        Data::DurationIso(s) => iso_duration(s),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// A number as a spreadsheet shows it in its general format, with a point:
/// `612345678`, `48.8566`; never `6.12e8`.
fn number(f: f64) -> String {
    if !f.is_finite() {
        return String::new();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    // Rust prints the shortest text that reads back as the same number,
    // and never with an exponent; the binary noise of a saved decimal
    // (`48.856600000000004`) is rounded away at 12 decimals.
    let rounded = format!("{f:.12}");
    let trimmed = rounded.trim_end_matches('0').trim_end_matches('.');
    trimmed.to_string()
}

fn boolean(b: bool) -> String {
    if b { "VRAI" } else { "FAUX" }.to_string()
}

/// A date `15/10/2026`, a time `09:00`, or both.
fn datetime(d: &ExcelDateTime) -> String {
    let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
    let value = d.as_f64();
    if d.is_duration() {
        let minutes = (value * 1440.0).round() as i64;
        return format!("{:02}:{:02}", minutes / 60, minutes % 60);
    }
    let time = if s == 0 { format!("{h:02}:{mi:02}") } else { format!("{h:02}:{mi:02}:{s:02}") };
    if value < 1.0 {
        time
    } else if value.fract() == 0.0 {
        format!("{day:02}/{mo:02}/{y}")
    } else {
        format!("{day:02}/{mo:02}/{y} {time}")
    }
}

/// ODS dates and times: `2026-10-15`, `2026-10-15T09:30:00`.
fn iso_datetime(s: &str) -> String {
    let (date, time) = match s.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let date = match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => format!("{d}/{m}/{y}"),
        _ => return s.to_string(),
    };
    match time {
        None => date,
        Some(t) if t.starts_with("00:00:00") => date,
        Some(t) => format!("{date} {}", t.get(..5).unwrap_or(t)),
    }
}

/// ODS durations (a time typed in a cell): `PT09H30M00S` → `09:30`.
fn iso_duration(s: &str) -> String {
    let Some(rest) = s.strip_prefix("PT") else { return s.to_string() };
    let mut hours = 0u64;
    let mut minutes = 0u64;
    let mut number = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' => number.push(c),
            'H' => hours = number.drain(..).as_str().parse().unwrap_or(0),
            'M' => minutes = number.drain(..).as_str().parse().unwrap_or(0),
            'S' | '.' | ',' => number.clear(),
            _ => return s.to_string(),
        }
    }
    format!("{hours:02}:{minutes:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_they_are_shown() {
        assert_eq!(number(612345678.0), "612345678");
        assert_eq!(number(48.8566), "48.8566");
        assert_eq!(number(2.0 / 3.0), "0.666666666667");
        assert_eq!(number(-1.5), "-1.5");
        assert_eq!(number(1e20), "100000000000000000000");
        assert_eq!(number(f64::NAN), "");
    }

    #[test]
    fn iso_dates_and_durations_read_the_french_way() {
        assert_eq!(iso_datetime("2026-10-15"), "15/10/2026");
        assert_eq!(iso_datetime("2026-10-15T00:00:00"), "15/10/2026");
        assert_eq!(iso_datetime("2026-10-15T09:30:00"), "15/10/2026 09:30");
        assert_eq!(iso_duration("PT09H30M00S"), "09:30");
        assert_eq!(iso_duration("PT14H00M00.000S"), "14:00");
        assert_eq!(iso_duration("P1D"), "P1D");
    }

    #[test]
    fn excel_serial_dates_and_times() {
        use calamine::ExcelDateTimeType::*;
        assert_eq!(datetime(&ExcelDateTime::new(46310.0, DateTime, false)), "15/10/2026");
        assert_eq!(datetime(&ExcelDateTime::new(0.375, DateTime, false)), "09:00");
        assert_eq!(datetime(&ExcelDateTime::new(46310.5, DateTime, false)), "15/10/2026 12:00");
        assert_eq!(datetime(&ExcelDateTime::new(1.5, TimeDelta, false)), "36:00");
    }

    /// A workbook as a volunteer's spreadsheet saves one: a title row above
    /// the headers, numbers, a date, a time, a formula and its saved value.
    fn messy_xlsx() -> Vec<u8> {
        use rust_xlsxwriter::{Format, Formula, Workbook};
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("Lieux").unwrap();
        sheet.write_string(0, 0, "Annuaire 2026").unwrap();
        for (c, h) in ["Nom", "Tél.", "Latitude", "Mise à jour", "Ouverture", "PMR", "Libellé"].iter().enumerate() {
            sheet.write_string(2, c as u16, *h).unwrap();
        }
        sheet.write_string(3, 0, "Épicerie « L’Œuf »").unwrap();
        sheet.write_number(3, 1, 612345678.0).unwrap();
        sheet.write_number(3, 2, 48.8566).unwrap();
        let date = Format::new().set_num_format("dd/mm/yyyy");
        sheet.write_number_with_format(3, 3, 46310.0, &date).unwrap();
        let time = Format::new().set_num_format("hh:mm");
        sheet.write_number_with_format(3, 4, 0.375, &time).unwrap();
        sheet.write_boolean(3, 5, true).unwrap();
        sheet.write_formula(3, 6, Formula::new("=A4&\" (Paris)\"").set_result("Épicerie « L’Œuf » (Paris)")).unwrap();
        sheet.write_string(5, 0, "Frigo").unwrap();
        book.add_worksheet().set_name("Notes").unwrap().write_string(0, 0, "Autre").unwrap();
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn xlsx_cells_read_as_a_volunteer_sees_them() {
        let t = read(&messy_xlsx(), Workbook::Xlsx, None).unwrap();
        assert_eq!(t.headers, ["Nom", "Tél.", "Latitude", "Mise à jour", "Ouverture", "PMR", "Libellé"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].line, 4);
        assert_eq!(
            t.rows[0].cells,
            ["Épicerie « L’Œuf »", "612345678", "48.8566", "15/10/2026", "09:00", "VRAI", "Épicerie « L’Œuf » (Paris)"]
        );
        assert_eq!(t.rows[1].line, 6);
        assert_eq!(t.rows[1].cells[0], "Frigo");
    }

    #[test]
    fn a_named_sheet_or_the_list_of_sheets() {
        let t = read(&messy_xlsx(), Workbook::Xlsx, Some("Notes")).unwrap();
        assert_eq!(t.headers, ["Autre"]);
        let err = read(&messy_xlsx(), Workbook::Xlsx, Some("Feuil1")).unwrap_err().to_string();
        assert_eq!(err, "la feuille « Feuil1 » est introuvable dans ce classeur ; ses feuilles : « Lieux », « Notes »");
    }

    #[test]
    fn a_far_away_cell_is_refused_without_filling_the_sheet() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Nom").unwrap();
        sheet.write_string(1_048_575, 16_383, "loin").unwrap();
        let err = read(&book.save_to_buffer().unwrap(), Workbook::Xlsx, None).unwrap_err().to_string();
        assert!(err.starts_with("la feuille a plus de 200000 lignes"), "{err}");
    }

    #[test]
    fn a_workbook_that_unpacks_too_big_is_refused() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("xl/sharedStrings.xml", zip::write::SimpleFileOptions::default()).unwrap();
        let zeros = vec![b'0'; 1 << 20];
        for _ in 0..65 {
            zip.write_all(&zeros).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        assert!(bytes.len() < 200_000);
        let err = read(&bytes, Workbook::Xlsx, None).unwrap_err().to_string();
        assert!(err.starts_with("ce classeur occupe plus de 64 Mo une fois décompressé"), "{err}");
    }

    #[test]
    fn not_a_workbook() {
        let err = read(b"Nom;Adresse\n", Workbook::Ods, None).unwrap_err().to_string();
        assert!(err.starts_with("ce fichier n’est pas un classeur ODS lisible"), "{err}");
    }

    /// The smallest ODS a spreadsheet would save: a title row, repeated
    /// empty rows and columns, a float, a date, a time, a formula.
    pub(crate) fn tiny_ods() -> Vec<u8> {
        use std::io::Write;
        let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>
<table:table table:name="Feuille1">
<table:table-row><table:table-cell office:value-type="string"><text:p>Nom</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Téléphone</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Mise à jour</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Ouvre à</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Ville</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16379"/></table:table-row>
<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>Resto du cœur</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="148000012"><text:p>148000012</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="2026-03-01"><text:p>01/03/26</text:p></table:table-cell><table:table-cell office:value-type="time" office:time-value="PT18H30M00S"><text:p>18:30</text:p></table:table-cell><table:table-cell table:formula="of:=&quot;Lyon&quot;" office:value-type="string" office:string-value="Lyon"><text:p>Lyon</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16379"/></table:table-row>
<table:table-row table:number-rows-repeated="1048571"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
        zip.start_file("META-INF/manifest.xml", zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
        zip.start_file("content.xml", zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn ods_cells_read_as_a_volunteer_sees_them() {
        let t = read(&tiny_ods(), Workbook::Ods, None).unwrap();
        assert_eq!(t.headers, ["Nom", "Téléphone", "Mise à jour", "Ouvre à", "Ville"]);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].line, 4);
        assert_eq!(t.rows[0].cells, ["Resto du cœur", "148000012", "01/03/2026", "18:30", "Lyon"]);
    }
}
