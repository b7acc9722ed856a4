//! CSV files as spreadsheets save them: `;` or `,` (sniffed from the
//! header line), UTF-8 with or without a byte-order mark, or Windows-1252
//! (what Excel writes in France when asked for « CSV (séparateur :
//! point-virgule) »).

use anyhow::{Result, bail};

use super::table::{Row, Table};

/// Reads a CSV file's bytes into a [`Table`]: the first non-empty line is
/// the header; empty rows are skipped.
pub fn read(bytes: &[u8]) -> Result<Table> {
    let text = decode(bytes);
    let delimiter = sniff(&text);
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut table = Table::default();
    let mut header = true;
    for (i, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => bail!("ligne {} du fichier CSV illisible : {e}", i + 1),
        };
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if header {
            table.headers = cells;
            header = false;
        } else {
            table.rows.push(Row { line: i + 1, cells });
        }
    }
    if header {
        bail!("le fichier CSV est vide : il faut une ligne d’en-têtes puis une ligne par lieu");
    }
    Ok(table)
}

/// UTF-8 (its byte-order mark dropped) when the bytes are valid UTF-8,
/// else Windows-1252.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    }
}

/// One Windows-1252 byte as a character: Latin-1 except 0x80–0x9F.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        b => char::from(b),
    }
}

/// The separator of the header line: the most frequent of `;`, `,` and
/// tab outside quotes; `;` on a tie (French spreadsheets).
fn sniff(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let (mut quoted, mut counts) = (false, [0usize; 3]);
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => counts[0] += 1,
            ',' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = [b';', b',', b'\t'].into_iter().zip(counts).max_by_key(|&(d, n)| (n, d == b';'));
    best.map_or(b';', |(d, _)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_encodings() {
        let t = read(b"\xEF\xBB\xBFnom,adresse\n\"A, B\",1 rue X\n\n").unwrap();
        assert_eq!(t.headers, ["nom", "adresse"]);
        assert_eq!(t.rows[0].cells, ["A, B", "1 rue X"]);
        let t = read(b"nom;adresse\n\xC9picerie \x9C;1 rue \x80\n").unwrap();
        assert_eq!(t.rows[0].cells, ["Épicerie œ", "1 rue €"]);
        assert_eq!(t.rows[0].line, 2);
    }
}
