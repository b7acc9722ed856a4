//! A spreadsheet as text: what CSV, XLSX and ODS readers give the mapping.

/// A sheet's header row and its data rows, every cell as text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// One data row and where it is in its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The row's number as the volunteer's spreadsheet shows it (1-based,
    /// the header being row 1).
    pub line: usize,
    pub cells: Vec<String>,
}

impl Table {
    /// The cell of `row` under the header `column` (compared exactly),
    /// trimmed; `None` when the column is absent or the cell empty.
    pub fn cell<'a>(&self, row: &'a Row, column: &str) -> Option<&'a str> {
        let i = self.headers.iter().position(|h| h.trim() == column)?;
        let value = row.cells.get(i)?.trim();
        (!value.is_empty()).then_some(value)
    }
}
