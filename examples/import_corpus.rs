//! Writes the corpus the spreadsheet readers are fuzzed over (`tests/fixtures/import/corpus`):
//! small good files of every kind (`ok-*`: XLSX, ODS and XLS through LibreOffice, CSV in
//! UTF-8 with BOM and in Windows-1252) and files that must be refused (`bad-*`). Run once
//! with `cargo run --example import_corpus` (needs `soffice`); the files are committed.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::Path;
use std::process::Command;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/corpus");
    std::fs::create_dir_all(&dir).expect("corpus folder");
    let xlsx = dir.join("ok-registro.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Accessi").expect("name");
    ws.merge_range(0, 0, 0, 4, "Registro accessi", &Format::new())
        .expect("title");
    for (c, h) in ["Cognome", "Nome", "C.F.", "Data accesso", "Ore"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *h).expect("header");
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for r in 3..9u32 {
        ws.write_string(r, 0, "ROSSI").expect("cell");
        ws.write_string(r, 1, "Mario").expect("cell");
        ws.write_string(r, 2, "rss mra 85t10 f205 x").expect("cell");
        ws.write_datetime_with_format(
            r,
            3,
            ExcelDateTime::from_ymd(2022, 3, r as u8).expect("date"),
            &date,
        )
        .expect("date");
        ws.write_number(r, 4, 12.5).expect("number");
    }
    wb.save(&xlsx).expect("save");
    for to in ["ods", "xls"] {
        let o = Command::new("soffice")
            .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
            .arg(&dir)
            .arg(&xlsx)
            .env("HOME", std::env::temp_dir())
            .output()
            .expect("soffice");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let text = "Cognome;Nome;Città;Data\nNiccolò;D'Àngelo;Forlì;12/03/2022\nRossi;Mario;Milano;13-03-22\nBianchi;Anna;Milano;2022-03-14\n";
    let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    std::fs::write(dir.join("ok-famiglie-1252.csv"), &latin).expect("csv");
    std::fs::write(
        dir.join("ok-utf8-bom.csv"),
        [
            b"\xEF\xBB\xBF".as_slice(),
            text.replace(';', ",").as_bytes(),
        ]
        .concat(),
    )
    .expect("csv");
    let good = std::fs::read(&xlsx).expect("xlsx");
    std::fs::write(dir.join("bad-troncato.xlsx"), &good[..good.len() / 2]).expect("cut");
    std::fs::write(
        dir.join("bad-pdf.xlsx"),
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
    )
    .expect("pdf");
    std::fs::write(dir.join("bad-vuoto.csv"), b"").expect("empty");
    let mut garbage = b"Cognome;Nome\nRossi;Mario\n".to_vec();
    garbage.extend((0u8..=255).cycle().take(600));
    std::fs::write(dir.join("bad-binario.csv"), &garbage).expect("garbage");
}
