//! Reading the tables staff upload: CSV (UTF-8, with or without a byte-order
//! mark; comma or semicolon) and XLSX (the first worksheet).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

/// A table: the header names (trimmed, lowercase) and the rows as text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    /// Each row with its line number in the file (the header is line 1).
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The cell of `row` under `column`, trimmed; empty when absent.
    pub fn cell<'a>(&self, row: &'a [String], column: Option<usize>) -> &'a str {
        column
            .and_then(|i| row.get(i))
            .map(|v| v.trim())
            .unwrap_or("")
    }
}

/// Reads `bytes` as XLSX when the name says so (or the bytes are a zip), else as CSV.
pub fn read_table(file_name: &str, bytes: &[u8]) -> Result<Table, String> {
    let is_xlsx = file_name.to_lowercase().ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04");
    let mut table = if is_xlsx {
        read_xlsx(bytes)?
    } else {
        read_csv(bytes)?
    };
    table.header = table
        .header
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    table
        .rows
        .retain(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    if table.header.iter().all(String::is_empty) {
        return Err("the file has no header row".to_owned());
    }
    Ok(table)
}

fn read_csv(bytes: &[u8]) -> Result<Table, String> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| "the CSV file is not UTF-8 text (save it as \"CSV UTF-8\")".to_owned())?;
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(record)) => record.iter().map(str::to_owned).collect(),
        Some(Err(e)) => return Err(format!("line 1: {e}")),
        None => return Err("the file is empty".to_owned()),
    };
    let mut rows = Vec::new();
    for (index, record) in records.enumerate() {
        let record = record.map_err(|e| format!("line {}: {e}", index + 2))?;
        rows.push((index + 2, record.iter().map(str::to_owned).collect()));
    }
    Ok(Table { header, rows })
}

fn read_xlsx(bytes: &[u8]) -> Result<Table, String> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec()))
        .map_err(|e| format!("not a readable XLSX file: {e}"))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| "the workbook has no worksheet".to_owned())?
        .map_err(|e| format!("the first worksheet cannot be read: {e}"))?;
    let mut lines = range
        .rows()
        .map(|row| row.iter().map(cell_text).collect::<Vec<_>>());
    let header = lines
        .next()
        .ok_or_else(|| "the worksheet is empty".to_owned())?;
    let rows = lines.enumerate().map(|(i, cells)| (i + 2, cells)).collect();
    Ok(Table { header, rows })
}

/// A cell as text; whole numbers lose their ".0" (tax codes, phone numbers, answers).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|dt| dt.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| d.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_bom_and_semicolons_reads_with_line_numbers() {
        let table = read_table(
            "list.csv",
            "\u{feff}Name;Tax_Code\nCông ty A;0101234567\n;\nCông ty B;0207654321\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(table.header, ["name", "tax_code"]);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(
            table.rows[1],
            (4, vec!["Công ty B".to_owned(), "0207654321".to_owned()])
        );
        assert_eq!(
            table.cell(&table.rows[0].1, table.column("tax_code")),
            "0101234567"
        );
        assert_eq!(table.cell(&table.rows[0].1, table.column("email")), "");
    }

    #[test]
    fn text_that_is_not_utf8_is_refused_with_a_hint() {
        let err = read_table("list.csv", &[0x4e, 0x61, 0xff, 0xfe]).unwrap_err();
        assert!(err.contains("UTF-8"));
    }
}

/// A cell beginning with = + - @ (or a tab or carriage return) would be run as
/// a formula by spreadsheet programs; a leading apostrophe keeps it text.
pub fn neutralise_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod formula_tests {
    use super::neutralise_formula;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(
            neutralise_formula("=HYPERLINK(\"x\")"),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(neutralise_formula("+84912"), "'+84912");
        assert_eq!(neutralise_formula("Công ty A"), "Công ty A");
    }
}
