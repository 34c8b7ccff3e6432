//! The spreadsheet readers: XLSX, XLS and ODS through `calamine` (every sheet listed, one
//! read), CSV with the delimiter detected (`;` from Italian Excel, `,`, tab) and the encoding
//! detected or chosen (UTF-8 with or without BOM, Windows-1252). The kind of file is told
//! from its first bytes, not from its name; whatever is not a spreadsheet is refused with a
//! message that says what it is.

use chrono::NaiveDateTime;
use std::io::Cursor;
use std::path::Path;

/// The largest file read (a year of a desk's accesses is a few MB).
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;
/// The most rows read from one sheet.
pub const MAX_ROWS: usize = 1_100_000;
/// The most columns read from one sheet.
pub const MAX_COLUMNS: usize = 500;
/// The longest cell read (Excel's own limit).
pub const MAX_CELL_CHARS: usize = 32_767;

/// One cell as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text (CSV cells are always text).
    Text(String),
    /// A number.
    Number(f64),
    /// A date (or date and time) cell.
    Date(NaiveDateTime),
    /// A boolean cell.
    Bool(bool),
}

impl Cell {
    /// The cell as text, the way a person reads it (numbers without a trailing `.0`).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    format!("{}", *n as i64)
                } else {
                    format!("{n}")
                }
            }
            Cell::Date(d) => {
                if d.time() == chrono::NaiveTime::MIN {
                    crate::domain::time::fmt_date(d.date())
                } else {
                    d.format("%d/%m/%Y %H:%M").to_string()
                }
            }
            Cell::Bool(b) => if *b { "sì" } else { "no" }.into(),
        }
    }

    /// True for an empty cell or one that says "nothing" (`n.d.`, `-`).
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => super::convert::is_blank(s),
            _ => false,
        }
    }
}

/// The text encodings a CSV can be read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TextEncoding {
    /// UTF-8, with or without BOM.
    Utf8,
    /// Windows-1252 (what Italian Excel writes; a superset of Latin-1's letters).
    Windows1252,
}

impl TextEncoding {
    /// The name shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Windows1252 => "Windows-1252 / Latin-1",
        }
    }
}

/// What kind of file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Excel 2007+ workbook.
    Xlsx,
    /// Excel 97–2003 workbook.
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
    /// Comma/semicolon/tab separated text.
    Csv {
        /// The delimiter found or chosen.
        delimiter: u8,
        /// The encoding found or chosen.
        encoding: TextEncoding,
    },
}

impl FileKind {
    /// A description for the user ("CSV separato da punto e virgola, UTF-8").
    pub fn describe(&self) -> String {
        match self {
            FileKind::Xlsx => "Excel (.xlsx)".into(),
            FileKind::Xls => "Excel 97–2003 (.xls)".into(),
            FileKind::Ods => "OpenDocument (.ods)".into(),
            FileKind::Csv {
                delimiter,
                encoding,
            } => format!(
                "CSV separato da {}, {}",
                match delimiter {
                    b';' => "punto e virgola",
                    b',' => "virgola",
                    b'\t' => "tabulazione",
                    b'|' => "barra verticale",
                    _ => "altro carattere",
                },
                encoding.label()
            ),
        }
    }
}

/// One sheet read into memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// What the file was.
    pub kind: FileKind,
    /// Every sheet of the workbook (one, named after the file, for a CSV).
    pub sheet_names: Vec<String>,
    /// The sheet read.
    pub name: String,
    /// Its rows, as read (row 0 is the sheet's first row).
    pub rows: Vec<Vec<Cell>>,
}

/// How to read a file.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The sheet to read (the first one when `None`).
    pub sheet: Option<String>,
    /// The CSV encoding (detected when `None`).
    pub encoding: Option<TextEncoding>,
    /// The CSV delimiter (detected when `None`).
    pub delimiter: Option<u8>,
}

/// Why a file cannot be read: the message says what the file is and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError(pub String);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReadError {}

fn err(s: impl Into<String>) -> ReadError {
    ReadError(s.into())
}

/// Reads one sheet of the file at `path`.
pub fn read_file(path: &Path, opts: &ReadOptions) -> Result<Sheet, ReadError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| err(format!("Impossibile leggere {}: {e}", path.display())))?;
    if meta.is_dir() {
        return Err(err(format!(
            "{} è una cartella, non un file",
            path.display()
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(err(format!(
            "Il file è troppo grande ({} MB; al massimo {} MB): dividilo in più fogli",
            meta.len() >> 20,
            MAX_FILE_BYTES >> 20
        )));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| err(format!("Impossibile leggere {}: {e}", path.display())))?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "foglio".into());
    read_bytes(&stem, bytes, opts)
}

/// Reads one sheet from the bytes of a file (`name` names a CSV's only sheet).
pub fn read_bytes(name: &str, bytes: Vec<u8>, opts: &ReadOptions) -> Result<Sheet, ReadError> {
    if bytes.is_empty() {
        return Err(err("Il file è vuoto (0 byte): non c'è niente da importare"));
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(err("Il file è troppo grande"));
    }
    if bytes.starts_with(b"%PDF") {
        return Err(err(
            "Il file è un PDF, non un foglio di calcolo: esporta i dati da Excel o LibreOffice in .xlsx, .ods o .csv",
        ));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return read_workbook(bytes, opts, true);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return read_workbook(bytes, opts, false);
    }
    read_csv(name, &bytes, opts)
}

thread_local! {
    static READING_WORKBOOK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True while this thread reads a workbook with `calamine`: a panic there is a damaged
/// file, caught and reported as such (the program's panic hook stays quiet).
pub fn reading_workbook() -> bool {
    READING_WORKBOOK.with(|r| r.get())
}

/// Reads a workbook; a panic inside the reader (damaged XLS files can trip `calamine`,
/// found by the fuzz test) becomes the "damaged file" message.
fn read_workbook(bytes: Vec<u8>, opts: &ReadOptions, zip: bool) -> Result<Sheet, ReadError> {
    READING_WORKBOOK.with(|r| r.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_workbook_unguarded(bytes, opts, zip)
    }));
    READING_WORKBOOK.with(|r| r.set(false));
    result.unwrap_or_else(|_| {
        Err(err(
            "Il foglio di calcolo è danneggiato e non si può leggere: aprilo in Excel o LibreOffice e salvalo di nuovo",
        ))
    })
}

fn read_workbook_unguarded(
    bytes: Vec<u8>,
    opts: &ReadOptions,
    zip: bool,
) -> Result<Sheet, ReadError> {
    use calamine::Reader;
    let broken = |e: &dyn std::fmt::Display| {
        err(format!(
            "Il foglio di calcolo è danneggiato o incompleto e non si può leggere ({e}): aprilo in Excel o LibreOffice e salvalo di nuovo"
        ))
    };
    // A zip that is neither a workbook nor an ODS (a .docx, a truncated file) ends here,
    // with the workbook reader's own reason.
    let mut book: calamine::Sheets<Cursor<Vec<u8>>> = if zip {
        match calamine::Xlsx::new(Cursor::new(bytes.clone())) {
            Ok(x) => calamine::Sheets::Xlsx(x),
            Err(xlsx_error) => match calamine::Ods::new(Cursor::new(bytes)) {
                Ok(o) => calamine::Sheets::Ods(o),
                Err(_) => return Err(broken(&xlsx_error as &dyn std::fmt::Display)),
            },
        }
    } else {
        calamine::Sheets::Xls(
            calamine::Xls::new(Cursor::new(bytes))
                .map_err(|e| broken(&e as &dyn std::fmt::Display))?,
        )
    };
    let kind = match &book {
        calamine::Sheets::Xlsx(_) | calamine::Sheets::Xlsb(_) => FileKind::Xlsx,
        calamine::Sheets::Xls(_) => FileKind::Xls,
        calamine::Sheets::Ods(_) => FileKind::Ods,
    };
    let names = book.sheet_names().to_vec();
    if names.is_empty() {
        return Err(err("Il foglio di calcolo non ha fogli"));
    }
    let name = match &opts.sheet {
        Some(s) => names
            .iter()
            .find(|n| *n == s || n.eq_ignore_ascii_case(s))
            .cloned()
            .ok_or_else(|| {
                err(format!(
                    "Il foglio «{s}» non c'è; i fogli sono: {}",
                    names.join(", ")
                ))
            })?,
        None => names[0].clone(),
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| broken(&e as &dyn std::fmt::Display))?;
    let (height, width) = range.get_size();
    if width > MAX_COLUMNS {
        return Err(err(format!(
            "Il foglio «{name}» ha {width} colonne (al massimo {MAX_COLUMNS}): non sembra un registro"
        )));
    }
    if height > MAX_ROWS {
        return Err(err(format!(
            "Il foglio «{name}» ha {height} righe (al massimo {MAX_ROWS})"
        )));
    }
    // Rows and columns before the used range (calamine starts at the first used cell).
    let (row0, col0) = range
        .start()
        .map(|(r, c)| (r as usize, c as usize))
        .unwrap_or((0, 0));
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); row0];
    for r in range.rows() {
        let mut row = vec![Cell::Empty; col0];
        row.extend(r.iter().map(cell_of));
        while row.last() == Some(&Cell::Empty) {
            row.pop();
        }
        rows.push(row);
    }
    Ok(Sheet {
        kind,
        sheet_names: names,
        name,
        rows,
    })
}

fn cell_of(d: &calamine::Data) -> Cell {
    use calamine::Data;
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => {
            if s.chars().count() > MAX_CELL_CHARS {
                Cell::Text(s.chars().take(MAX_CELL_CHARS).collect())
            } else {
                Cell::Text(s.clone())
            }
        }
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => {
            let v = dt.as_f64();
            match super::convert::date_from_serial(v) {
                Some(d) if dt.is_datetime() => Cell::Date(d),
                // A time or a duration ("12:30" hours) is a fraction of a day.
                _ => {
                    let minutes = (v * 1440.0).round() as i64;
                    Cell::Text(format!("{}:{:02}", minutes / 60, minutes % 60))
                }
            }
        }
        Data::DateTimeIso(s) => chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
            .or_else(|_| {
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map(|d| d.and_time(chrono::NaiveTime::MIN))
            })
            .map(Cell::Date)
            .unwrap_or_else(|_| Cell::Text(s.clone())),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(_) => Cell::Empty,
    }
}

/// Detects the encoding of CSV bytes: UTF-8 when they are valid UTF-8 (a BOM is dropped),
/// otherwise Windows-1252.
pub fn detect_encoding(bytes: &[u8]) -> TextEncoding {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if std::str::from_utf8(body).is_ok() {
        TextEncoding::Utf8
    } else {
        TextEncoding::Windows1252
    }
}

/// Decodes CSV bytes in an encoding (a UTF-8 BOM is dropped; invalid UTF-8 becomes U+FFFD).
pub fn decode(bytes: &[u8], encoding: TextEncoding) -> String {
    match encoding {
        TextEncoding::Utf8 => {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            encoding_rs::UTF_8
                .decode_without_bom_handling(body)
                .0
                .into_owned()
        }
        TextEncoding::Windows1252 => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// Detects the delimiter of CSV text: among `;`, `,`, tab and `|`, the one that splits the
/// first lines into the same number (more than one) of fields most often, outside quotes.
pub fn detect_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(50)
        .collect();
    let mut best = (b';', 0usize, 0usize);
    for d in [b';', b',', b'\t', b'|'] {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| count_outside_quotes(l, d as char))
            .collect();
        // The most common non-zero count, and how many lines have it.
        let mut freq = std::collections::BTreeMap::<usize, usize>::new();
        for c in counts.iter().filter(|c| **c > 0) {
            *freq.entry(*c).or_default() += 1;
        }
        let (lines_agreeing, per_line) = freq.iter().map(|(c, n)| (*n, *c)).max().unwrap_or((0, 0));
        if (lines_agreeing, per_line) > (best.1, best.2) {
            best = (d, lines_agreeing, per_line);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, d: char) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for c in line.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if c == d && !quoted {
            n += 1;
        }
    }
    n
}

/// True when decoded text looks like binary data: NUL bytes, or more than 1 % of control
/// characters other than tab and line ends.
fn looks_binary(text: &str) -> bool {
    let mut control = 0usize;
    let mut total = 0usize;
    for c in text.chars().take(1_000_000) {
        total += 1;
        if c == '\0' || (c.is_control() && !matches!(c, '\t' | '\r' | '\n')) || c == '\u{FFFD}' {
            control += 1;
        }
    }
    total > 0 && control * 100 > total
}

fn read_csv(name: &str, bytes: &[u8], opts: &ReadOptions) -> Result<Sheet, ReadError> {
    if bytes.contains(&0) {
        return Err(err(
            "Il file contiene dati binari: non è un foglio di calcolo né un file CSV",
        ));
    }
    let encoding = opts.encoding.unwrap_or_else(|| detect_encoding(bytes));
    let text = decode(bytes, encoding);
    if looks_binary(&text) {
        return Err(err(
            "Il file contiene dati binari: non è un foglio di calcolo né un file CSV",
        ));
    }
    let delimiter = opts.delimiter.unwrap_or_else(|| detect_delimiter(&text));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| err(format!("Riga {} del CSV illeggibile: {e}", i + 1)))?;
        if rows.len() >= MAX_ROWS {
            return Err(err(format!("Il file ha più di {MAX_ROWS} righe")));
        }
        if rec.len() > MAX_COLUMNS {
            return Err(err(format!(
                "La riga {} ha {} colonne (al massimo {MAX_COLUMNS}): il file non sembra un registro, o il separatore è sbagliato",
                i + 1,
                rec.len()
            )));
        }
        let mut row: Vec<Cell> = Vec::with_capacity(rec.len());
        for f in rec.iter() {
            if f.chars().count() > MAX_CELL_CHARS {
                return Err(err(format!(
                    "La riga {} ha una cella di più di {MAX_CELL_CHARS} caratteri: il file non sembra un registro",
                    i + 1
                )));
            }
            row.push(if f.trim().is_empty() {
                Cell::Empty
            } else {
                Cell::Text(f.to_string())
            });
        }
        while row.last() == Some(&Cell::Empty) {
            row.pop();
        }
        rows.push(row);
    }
    if rows.iter().all(|r| r.is_empty()) {
        return Err(err("Il file non contiene righe"));
    }
    Ok(Sheet {
        kind: FileKind::Csv {
            delimiter,
            encoding,
        },
        sheet_names: vec![name.to_string()],
        name: name.to_string(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn italian_excel_csv() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1252.encode("Cognome;Nome;Città\nNiccolò;D'Àngelo;Forlì\n");
        let s = read_bytes("registro", bytes.into_owned(), &ReadOptions::default()).unwrap();
        assert_eq!(
            s.kind,
            FileKind::Csv {
                delimiter: b';',
                encoding: TextEncoding::Windows1252
            }
        );
        assert_eq!(s.rows[1][0], Cell::Text("Niccolò".into()));
        assert_eq!(s.rows[1][2], Cell::Text("Forlì".into()));
        let bom = [b"\xEF\xBB\xBF".as_slice(), "a,b\n1,\"x,y\"\n".as_bytes()].concat();
        let s = read_bytes("x", bom, &ReadOptions::default()).unwrap();
        assert_eq!(s.rows[0][0], Cell::Text("a".into()));
        assert_eq!(s.rows[1][1], Cell::Text("x,y".into()));
        let s = read_bytes("x", b"a\tb\tc\n1\t2\t3\n".to_vec(), &ReadOptions::default()).unwrap();
        assert_eq!(s.rows[1].len(), 3);
    }

    #[test]
    fn what_is_not_a_sheet() {
        let o = ReadOptions::default();
        assert!(read_bytes("x", vec![], &o).unwrap_err().0.contains("vuoto"));
        assert!(
            read_bytes("x", b"%PDF-1.7\n...".to_vec(), &o)
                .unwrap_err()
                .0
                .contains("PDF")
        );
        assert!(
            read_bytes("x", b"PK\x03\x04garbage".to_vec(), &o)
                .unwrap_err()
                .0
                .contains("danneggiato")
        );
        assert!(
            read_bytes("x", vec![1, 2, 3, 0, 200, 7], &o)
                .unwrap_err()
                .0
                .contains("binari")
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn readers_never_panic_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048), prefix in 0usize..4) {
            let heads: [&[u8]; 4] = [b"", b"PK\x03\x04", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", b"\xEF\xBB\xBF"];
            let data = [heads[prefix], &bytes].concat();
            let _ = read_bytes("x", data, &ReadOptions::default());
        }

        #[test]
        fn csv_cells_read_back(rows in prop::collection::vec(prop::collection::vec("[a-zA-Zàèìòù0-9 ,;'\"]{1,12}", 3), 1..8), d in prop::sample::select(vec![b';', b',', b'\t'])) {
            let mut w = csv::WriterBuilder::new().delimiter(d).from_writer(vec![]);
            for r in &rows { w.write_record(r).unwrap(); }
            let bytes = w.into_inner().unwrap();
            let s = read_bytes("x", bytes, &ReadOptions { delimiter: Some(d), ..Default::default() }).unwrap();
            for (got, want) in s.rows.iter().zip(&rows) {
                let want: Vec<String> = want.iter().map(|c| c.trim().to_string()).collect();
                let got: Vec<String> = (0..want.len()).map(|i| got.get(i).map(Cell::text).unwrap_or_default()).collect();
                prop_assert_eq!(got, want);
            }
        }
    }
}
