//! Reading an uploaded file into a header row and data rows of text: CSV (UTF-8, with or without a byte
//! order mark, or Windows-1251 as older Excel versions in the CIS save it; `,`, `;` or tab separated) and
//! Excel .xlsx and the older .xls that 1C and old Excel versions still write (the first sheet).

use std::io::Cursor;

use crate::core::{AppError, ErrCode};

/// Largest file accepted.
pub const MAX_FILE_BYTES: usize = 25 * 1024 * 1024;
/// Most data rows in one file.
pub const MAX_ROWS: usize = 200_000;

/// A file's contents as text cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub format: &'static str,
    pub encoding: Option<&'static str>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The first bytes of an OLE compound file: a legacy Excel `.xls` workbook.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Reads `bytes` (named `name`): `.xlsx` and `.xls` by their content, anything else as CSV.
pub fn read(name: &str, bytes: &[u8]) -> Result<Table, AppError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AppError::PayloadTooLarge);
    }
    let table = if bytes.starts_with(b"PK\x03\x04") || name.to_lowercase().ends_with(".xlsx") {
        read_xlsx(bytes)?
    } else if bytes.starts_with(OLE_MAGIC) {
        read_xls(bytes)?
    } else {
        read_csv(bytes)?
    };
    if table.headers.iter().all(|h| h.trim().is_empty()) {
        return Err(AppError::field("file", ErrCode::EmptyFile));
    }
    if table.rows.len() > MAX_ROWS {
        return Err(AppError::field("file", ErrCode::TooMany));
    }
    // A NUL character (a binary or UTF-16 file read as text) can be stored by neither database alike:
    // PostgreSQL refuses it in text. The file is refused whole, before anything is kept.
    if table.headers.iter().chain(table.rows.iter().flatten()).any(|c| c.contains('\0')) {
        return Err(AppError::field("file", ErrCode::ControlCharacter));
    }
    Ok(table)
}

/// The text of a CSV file and how it was read.
fn decode(bytes: &[u8]) -> (String, &'static str) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "utf-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1251.decode(bytes);
            (text.into_owned(), "windows-1251")
        }
    }
}

fn read_csv(bytes: &[u8]) -> Result<Table, AppError> {
    let (text, encoding) = decode(bytes);
    let first = text.lines().next().unwrap_or_default();
    let delimiter =
        [b';', b'\t', b','].into_iter().max_by_key(|d| first.bytes().filter(|b| b == d).count()).unwrap_or(b',');
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        Some(Ok(r)) => r.iter().map(|c| c.trim().to_string()).collect(),
        Some(Err(_)) => return Err(AppError::field("file", ErrCode::UnreadableFile)),
        None => return Err(AppError::field("file", ErrCode::EmptyFile)),
    };
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(|_| AppError::field("file", ErrCode::UnreadableFile))?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push(record.iter().map(str::to_string).collect());
        if rows.len() > MAX_ROWS {
            break;
        }
    }
    Ok(Table { format: "csv", encoding: Some(encoding), headers, rows })
}

/// The most an .xlsx may expand to (all its parts together), and the most parts it may have: a workbook of
/// [`MAX_ROWS`] ordinary rows is far below both, a zip bomb far above.
pub const MAX_XLSX_EXPANDED_BYTES: u64 = 256 * 1024 * 1024;
const MAX_XLSX_PARTS: usize = 10_000;

/// Measures what the zip expands to by streaming every part through a counter (declared sizes can lie),
/// before anything is unpacked into memory.
fn check_expansion(bytes: &[u8], cap: u64) -> Result<(), AppError> {
    let unreadable = || AppError::field("file", ErrCode::UnreadableFile);
    let too_large = || AppError::field("file", ErrCode::TooLarge);
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    if zip.len() > MAX_XLSX_PARTS {
        return Err(too_large());
    }
    let mut left = cap;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|_| unreadable())?;
        let n =
            std::io::copy(&mut std::io::Read::take(part, left + 1), &mut std::io::sink()).map_err(|_| unreadable())?;
        left = left.checked_sub(n).filter(|_| n <= left).ok_or_else(too_large)?;
    }
    Ok(())
}

/// A spreadsheet cell as the text an import reads.
fn cell_text(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        // Excel counts days from 1899-12-30.
        Data::DateTime(dt) => {
            let ms = ((dt.as_f64() - 25_569.0) * 86_400_000.0).round() as i64;
            crate::core::format::date_input(ms)
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) => String::new(),
    }
}

/// A legacy `.xls` workbook's first sheet. Such files hold at most 65,536 rows, so the sheet is read whole;
/// text in the file's code page (Windows-1251 from 1C) comes out as Unicode.
fn read_xls(bytes: &[u8]) -> Result<Table, AppError> {
    use calamine::{Reader, Xls};
    let unreadable = || AppError::field("file", ErrCode::UnreadableFile);
    let mut book: Xls<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let sheet = book.sheet_names().first().cloned().ok_or_else(unreadable)?;
    let range = book.worksheet_range(&sheet).map_err(|_| unreadable())?;
    let rows = range.rows().map(|r| r.iter().map(cell_text).collect::<Vec<_>>());
    Ok(table("xls", rows.filter(|r| !r.iter().all(|c| c.trim().is_empty()))))
}

/// The first row as headers (trimmed), the others padded to their width, at most one past the row cap.
fn table(format: &'static str, rows: impl Iterator<Item = Vec<String>>) -> Table {
    let mut it = rows;
    let headers: Vec<String> = it.next().map(|r| r.iter().map(|c| c.trim().to_string()).collect()).unwrap_or_default();
    let width = headers.len();
    let rows: Vec<Vec<String>> = it
        .map(|mut r| {
            if r.len() < width {
                r.resize(width, String::new());
            }
            r
        })
        .take(MAX_ROWS + 1)
        .collect();
    Table { format, encoding: None, headers, rows }
}

fn read_xlsx(bytes: &[u8]) -> Result<Table, AppError> {
    use calamine::{Data, DataRef, Reader, Xlsx};
    let unreadable = || AppError::field("file", ErrCode::UnreadableFile);
    check_expansion(bytes, MAX_XLSX_EXPANDED_BYTES)?;
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let sheet = book.sheet_names().first().cloned().ok_or_else(unreadable)?;
    let text = cell_text;
    // Cells are read one by one, in sheet order, and reading stops past the row cap: a sheet is never held
    // whole in memory.
    let mut cells = book.worksheet_cells_reader(&sheet).map_err(|_| unreadable())?;
    let mut sheet_rows: Vec<Vec<String>> = Vec::new();
    let (mut current, mut row): (Option<u32>, Vec<String>) = (None, Vec::new());
    let mut first_col = usize::MAX;
    let push = |row: Vec<String>, rows: &mut Vec<Vec<String>>| {
        if rows.is_empty() || !row.iter().all(|c| c.trim().is_empty()) {
            rows.push(row);
        }
    };
    while let Some(cell) = cells.next_cell().map_err(|_| unreadable())? {
        let (r, c) = cell.get_position();
        if current != Some(r) {
            if current.is_some() {
                push(std::mem::take(&mut row), &mut sheet_rows);
            }
            if sheet_rows.len() > MAX_ROWS + 1 {
                break;
            }
            current = Some(r);
        }
        // Columns start where the sheet's first used column is; a sheet rarely has gaps there.
        let c = c as usize;
        if c >= 16_384 {
            return Err(unreadable());
        }
        first_col = first_col.min(c);
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        let value = match cell.get_value() {
            DataRef::SharedString(s) => s.to_string(),
            other => text(&Data::from(other.clone())),
        };
        row[c] = value;
    }
    if current.is_some() && sheet_rows.len() <= MAX_ROWS + 1 {
        push(row, &mut sheet_rows);
    }
    // Columns count from the sheet's first used one, as a spreadsheet's used range does.
    if first_col != usize::MAX && first_col > 0 {
        for r in &mut sheet_rows {
            r.drain(..first_col.min(r.len()));
        }
    }
    Ok(table("xlsx", sheet_rows.into_iter()))
}

/// A cell that a spreadsheet would run as a formula (`=`, `@`, or `+`/`-` not followed by a number).
pub fn is_formula(cell: &str) -> bool {
    let c = cell.trim_start();
    match c.chars().next() {
        Some('=' | '@') => true,
        Some('+' | '-') => !c[1..].chars().all(|ch| ch.is_ascii_digit() || " ()-.,".contains(ch)) || c.len() == 1,
        _ => false,
    }
}

/// A cell made safe for a spreadsheet: a leading `'` stops formulas (OWASP's advice for CSV injection).
pub fn neutralise(cell: &str) -> String {
    if is_formula(cell) || cell.starts_with(['\t', '\r']) { format!("'{cell}") } else { cell.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_utf8_with_bom_and_semicolons() {
        let t = read("a.csv", "\u{feff}Name;Phone\nAlfa;+998 90 123 45 67\n;\nBeta;\n".as_bytes()).unwrap();
        assert_eq!(t.headers, vec!["Name", "Phone"]);
        assert_eq!(t.rows, vec![vec!["Alfa".to_string(), "+998 90 123 45 67".into()], vec!["Beta".into(), "".into()]]);
        assert_eq!(t.encoding, Some("utf-8"));
    }

    #[test]
    fn csv_in_windows_1251() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Наименование,Телефон\nООО Ромашка,901234567\n");
        let t = read("old.csv", &bytes).unwrap();
        assert_eq!(t.encoding, Some("windows-1251"));
        assert_eq!(t.rows[0][0], "ООО Ромашка");
    }

    #[test]
    fn ragged_rows_are_kept_as_they_are() {
        let t = read("r.csv", b"a,b,c\n1\n1,2,3,4\n").unwrap();
        assert_eq!(t.rows[0].len(), 1);
        assert_eq!(t.rows[1].len(), 4);
    }

    #[test]
    fn broken_files_are_refused() {
        assert_eq!(read("x.csv", b"").unwrap_err().field_codes("file"), vec![ErrCode::EmptyFile]);
        assert_eq!(
            read("x.xlsx", b"PK\x03\x04 not a zip").unwrap_err().field_codes("file"),
            vec![ErrCode::UnreadableFile]
        );
    }

    #[test]
    fn xlsx_round_trip() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Nomi").unwrap();
        sheet.write_string(0, 1, "Limit").unwrap();
        sheet.write_string(1, 0, "Alfa").unwrap();
        sheet.write_number(1, 1, 1500.0).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let t = read("book.xlsx", &bytes).unwrap();
        assert_eq!(t.headers, vec!["Nomi", "Limit"]);
        assert_eq!(t.rows, vec![vec!["Alfa".to_string(), "1500".into()]]);
    }

    #[test]
    fn xlsx_from_the_first_used_cell_without_blank_rows() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(2, 1, "Nomi").unwrap();
        sheet.write_string(2, 3, "Tel").unwrap();
        sheet.write_string(3, 1, "Alfa").unwrap();
        sheet.write_string(5, 3, "+998901112233").unwrap();
        let t = read("book.xlsx", &book.save_to_buffer().unwrap()).unwrap();
        assert_eq!(t.headers, vec!["Nomi", "", "Tel"]);
        assert_eq!(
            t.rows,
            vec![vec!["Alfa".to_string(), "".into(), "".into()], vec!["".into(), "".into(), "+998901112233".into()]]
        );
    }

    #[test]
    fn a_zip_that_expands_too_far_is_refused_before_it_is_unpacked() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/sharedStrings.xml", deflated).unwrap();
        let zeros = vec![b'0'; 64 * 1024];
        for _ in 0..64 {
            zip.write_all(&zeros).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        assert!(bytes.len() < 64 * 1024, "a small file: {}", bytes.len());
        assert_eq!(check_expansion(&bytes, 1024 * 1024).unwrap_err().field_codes("file"), vec![ErrCode::TooLarge]);
        assert!(check_expansion(&bytes, 8 * 1024 * 1024).is_ok());
    }

    #[test]
    fn formulas_are_recognised_and_neutralised() {
        assert!(is_formula("=HYPERLINK(\"http://x\")"));
        assert!(is_formula("@SUM(A1)"));
        assert!(is_formula("+cmd|' /C calc'!A0"));
        assert!(!is_formula("+998 90 123 45 67"));
        assert!(!is_formula("-12.5"));
        assert_eq!(neutralise("=1+1"), "'=1+1");
        assert_eq!(neutralise("+998901234567"), "+998901234567");
    }
}
