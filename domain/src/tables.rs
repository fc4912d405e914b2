//! Reading the tables staff upload: CSV (UTF-8, with or without a byte-order
//! mark; comma or semicolon) and XLSX (the first worksheet).

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};

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

/// How much of an uploaded table the server reads. A file beyond any of
/// these is refused, before it is parsed, with the limit it broke: a few
/// kilobytes of crafted XLSX must not make the server allocate gigabytes.
pub mod limits {
    /// Data rows (the header excluded).
    pub const ROWS: usize = 50_000;
    /// Columns of any row.
    pub const COLUMNS: usize = 200;
    /// Characters of one cell.
    pub const CELL_CHARS: usize = 10_000;
    /// Bytes of an XLSX file once unzipped, all parts together.
    pub const INFLATED_BYTES: u64 = 64 * 1024 * 1024;
    /// Parts (files) inside an XLSX file.
    pub const PARTS: usize = 1_000;
    /// Distinct texts an XLSX file may declare in its shared strings.
    pub const SHARED_STRINGS: usize = 500_000;
}

/// Why a table cannot be read; each limit is named with its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableError {
    TooManyRows,
    TooManyColumns,
    CellTooLong,
    /// The XLSX file unzips to more than [`limits::INFLATED_BYTES`] or has too many parts.
    InflatesTooMuch,
    TooManySharedStrings,
    NotUtf8,
    Empty,
    NoHeader,
    /// Not a readable CSV or XLSX file; the text says where reading stopped.
    Unreadable(String),
}

impl TableError {
    /// The message for staff, in `lang`.
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang::{En, Vi};
        let count = |n: usize| lang.count(n as u64);
        match (self, lang) {
            (Self::TooManyRows, Vi) => format!(
                "Tệp có quá {} dòng dữ liệu (giới hạn); hãy chia thành nhiều tệp.",
                count(limits::ROWS)
            ),
            (Self::TooManyRows, En) => format!(
                "The file has more than {} data rows (the limit); split it into several files.",
                count(limits::ROWS)
            ),
            (Self::TooManyColumns, Vi) => {
                format!("Tệp có quá {} cột (giới hạn).", count(limits::COLUMNS))
            }
            (Self::TooManyColumns, En) => format!(
                "The file has more than {} columns (the limit).",
                count(limits::COLUMNS)
            ),
            (Self::CellTooLong, Vi) => format!(
                "Một ô có quá {} ký tự (giới hạn).",
                count(limits::CELL_CHARS)
            ),
            (Self::CellTooLong, En) => format!(
                "A cell has more than {} characters (the limit).",
                count(limits::CELL_CHARS)
            ),
            (Self::InflatesTooMuch, Vi) => format!(
                "Tệp XLSX khi giải nén vượt {} MB hoặc {} phần (giới hạn).",
                limits::INFLATED_BYTES / (1024 * 1024),
                count(limits::PARTS)
            ),
            (Self::InflatesTooMuch, En) => format!(
                "The XLSX file unzips to more than {} MB or {} parts (the limit).",
                limits::INFLATED_BYTES / (1024 * 1024),
                count(limits::PARTS)
            ),
            (Self::TooManySharedStrings, Vi) => format!(
                "Tệp XLSX khai báo quá {} chuỗi văn bản (giới hạn).",
                count(limits::SHARED_STRINGS)
            ),
            (Self::TooManySharedStrings, En) => format!(
                "The XLSX file declares more than {} texts (the limit).",
                count(limits::SHARED_STRINGS)
            ),
            (Self::NotUtf8, Vi) => {
                "Tệp CSV không phải văn bản UTF-8 (hãy lưu dưới dạng \"CSV UTF-8\").".to_owned()
            }
            (Self::NotUtf8, En) => {
                "The CSV file is not UTF-8 text (save it as \"CSV UTF-8\").".to_owned()
            }
            (Self::Empty, Vi) => "Tệp trống.".to_owned(),
            (Self::Empty, En) => "The file is empty.".to_owned(),
            (Self::NoHeader, Vi) => "Tệp không có dòng tiêu đề.".to_owned(),
            (Self::NoHeader, En) => "The file has no header row.".to_owned(),
            (Self::Unreadable(why), Vi) => format!("Không đọc được tệp: {why}"),
            (Self::Unreadable(why), En) => format!("The file cannot be read: {why}"),
        }
    }
}

/// Reads `bytes` as XLSX when the name says so (or the bytes are a zip),
/// else as CSV, within [`limits`].
pub fn read_table(file_name: &str, bytes: &[u8]) -> Result<Table, TableError> {
    let is_xlsx = file_name.to_lowercase().ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04");
    let mut table = if is_xlsx {
        check_xlsx_parts(bytes)?;
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
        return Err(TableError::NoHeader);
    }
    Ok(table)
}

/// [`read_table`] on the blocking pool, so that parsing a large file never
/// holds up the workers that answer requests.
pub async fn read_table_apart(file_name: String, bytes: Vec<u8>) -> Result<Table, TableError> {
    tokio::task::spawn_blocking(move || read_table(&file_name, &bytes))
        .await
        .unwrap_or_else(|e| Err(TableError::Unreadable(format!("reading stopped: {e}"))))
}

fn check_row(cells: &[String]) -> Result<(), TableError> {
    if cells.len() > limits::COLUMNS {
        return Err(TableError::TooManyColumns);
    }
    if cells.iter().any(|c| c.chars().count() > limits::CELL_CHARS) {
        return Err(TableError::CellTooLong);
    }
    Ok(())
}

fn read_csv(bytes: &[u8]) -> Result<Table, TableError> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| TableError::NotUtf8)?;
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
    let header: Vec<String> = match records.next() {
        Some(Ok(record)) => record.iter().map(str::to_owned).collect(),
        Some(Err(e)) => return Err(TableError::Unreadable(format!("line 1: {e}"))),
        None => return Err(TableError::Empty),
    };
    check_row(&header)?;
    let mut rows = Vec::new();
    for (index, record) in records.enumerate() {
        if rows.len() >= limits::ROWS {
            return Err(TableError::TooManyRows);
        }
        let record =
            record.map_err(|e| TableError::Unreadable(format!("line {}: {e}", index + 2)))?;
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        check_row(&cells)?;
        rows.push((index + 2, cells));
    }
    Ok(Table { header, rows })
}

/// Checks an XLSX file (a zip) before anything parses it: the number of
/// parts, their real unzipped size (read, not trusted from the headers),
/// and the number of texts the shared strings declare (a parser reserves
/// room for that many at once).
fn check_xlsx_parts(bytes: &[u8]) -> Result<(), TableError> {
    use std::io::Read;
    let unreadable = |e: zip::result::ZipError| TableError::Unreadable(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    if archive.len() > limits::PARTS {
        return Err(TableError::InflatesTooMuch);
    }
    let mut budget = limits::INFLATED_BYTES;
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).map_err(unreadable)?;
        let shared_strings = part
            .name()
            .map_err(unreadable)?
            .ends_with("sharedStrings.xml");
        let mut head = Vec::new();
        let mut reader = (&mut part).take(budget + 1);
        if shared_strings {
            (&mut reader)
                .take(4096)
                .read_to_end(&mut head)
                .map_err(|e| TableError::Unreadable(e.to_string()))?;
        }
        let rest = std::io::copy(&mut reader, &mut std::io::sink())
            .map_err(|e| TableError::Unreadable(e.to_string()))?;
        let size = head.len() as u64 + rest;
        if size > budget {
            return Err(TableError::InflatesTooMuch);
        }
        budget -= size;
        if shared_strings && declared_strings(&head) > limits::SHARED_STRINGS {
            return Err(TableError::TooManySharedStrings);
        }
    }
    Ok(())
}

/// The larger of `count` and `uniqueCount` on the `<sst>` element.
fn declared_strings(head: &[u8]) -> usize {
    let text = String::from_utf8_lossy(head);
    ["uniqueCount=\"", "count=\""]
        .iter()
        .filter_map(|attribute| {
            let start = text.find(attribute)? + attribute.len();
            let digits: String = text[start..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            // A number too long to parse is certainly over the limit.
            Some(digits.parse::<usize>().unwrap_or(usize::MAX))
        })
        .max()
        .unwrap_or(0)
}

/// The first worksheet, cell by cell: rows and columns beyond the limits
/// are refused as they are met, so a cell placed at XFD1048576 costs nothing.
fn read_xlsx(bytes: &[u8]) -> Result<Table, TableError> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec()))
        .map_err(|e| TableError::Unreadable(format!("not a readable XLSX file: {e}")))?;
    let first = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| TableError::Unreadable("the workbook has no worksheet".to_owned()))?;
    let mut cells = workbook
        .worksheet_cells_reader(&first)
        .map_err(|e| TableError::Unreadable(format!("the first worksheet cannot be read: {e}")))?;
    let mut grid: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| TableError::Unreadable(format!("the first worksheet cannot be read: {e}")))?
    {
        let (row, column) = cell.get_position();
        let (row, column) = (row as usize, column as usize);
        if row > limits::ROWS {
            return Err(TableError::TooManyRows);
        }
        if column >= limits::COLUMNS {
            return Err(TableError::TooManyColumns);
        }
        let text = cell_text(cell.get_value());
        if text.chars().count() > limits::CELL_CHARS {
            return Err(TableError::CellTooLong);
        }
        if grid.len() <= row {
            grid.resize(row + 1, Vec::new());
        }
        let line = &mut grid[row];
        if line.len() <= column {
            line.resize(column + 1, String::new());
        }
        line[column] = text;
    }
    let mut lines = grid.into_iter();
    let header = lines.next().ok_or(TableError::Empty)?;
    let rows = lines.enumerate().map(|(i, cells)| (i + 2, cells)).collect();
    Ok(Table { header, rows })
}

/// A cell as text; whole numbers lose their ".0" (tax codes, phone numbers, answers).
fn cell_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d
            .as_datetime()
            .map(|dt| dt.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| d.to_string()),
        DataRef::Error(e) => format!("#{e:?}"),
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
        assert_eq!(err, TableError::NotUtf8);
        assert!(err.message(crate::i18n::Lang::Vi).contains("UTF-8"));
    }
}

/// A cell beginning with = + - @ (or a tab or carriage return) would be run
/// as a formula by spreadsheet programs; a leading apostrophe keeps it text.
/// The same after every `;` and `,` (and the blanks after them): a program
/// that splits a line on the separator of its locale (Vietnamese Excel uses
/// `;`) would otherwise start a new cell there.
pub fn neutralise_formula(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    let mut cell_starts = true;
    for c in text.chars() {
        if cell_starts && matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r') {
            out.push('\'');
        }
        out.push(c);
        cell_starts = matches!(c, ';' | ',') || (cell_starts && c == ' ');
    }
    out
}

/// A CSV writer for exports: every field quoted, so that no separator
/// inside a text can split it, whatever the reader's locale.
pub fn csv_writer<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(out)
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
        assert_eq!(
            neutralise_formula("Công ty A;=HYPERLINK(\"x\")"),
            "Công ty A;'=HYPERLINK(\"x\")"
        );
        assert_eq!(neutralise_formula("a, -2+3"), "a, '-2+3");
        assert_eq!(neutralise_formula("5-3, 2"), "5-3, 2");
    }

    #[test]
    fn every_field_of_an_export_is_quoted() {
        let mut writer = super::csv_writer(Vec::new());
        writer.write_record(["a;b", "1", ""]).unwrap();
        let line = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        assert_eq!(line, "\"a;b\",\"1\",\"\"\n");
    }
}
