//! Measures a large import from file to committed (docs/PERFORMANCE.md): writes an XLSX of
//! access rows (`write FILE [ROWS]`, 100,000 by default, 20,000 people), then imports it
//! into a new database in a fresh process (`import FILE DB`), printing the time of each
//! phase and the process's peak memory (VmHWM).
//!
//! `cargo run --release --example import_probe -- write /tmp/accessi.xlsx`
//! `cargo run --release --example import_probe -- import /tmp/accessi.xlsx /tmp/probe.redb`

use accoglienza::domain::codice_fiscale::{self, CfSex};
use accoglienza::domain::*;
use accoglienza::import::{self, Mapping, PlanOptions, ReadOptions};
use accoglienza::store::Store;
use chrono::{Datelike, Duration, NaiveDate};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("write") => {
            let rows = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(100_000);
            write(&args[2], rows);
        }
        Some("import") => run(&args[2], &args[3]),
        _ => eprintln!("uso: import_probe write FILE [RIGHE] | import FILE DB"),
    }
}

fn write(path: &str, rows: u32) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let headers = [
        "Cognome e nome",
        "C.F.",
        "Data accesso",
        "Sportello",
        "Bando",
        "Tipo",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let start = NaiveDate::from_ymd_opt(2022, 1, 1).expect("day");
    let surnames = [
        "Rossi", "Bianchi", "Esposito", "Romano", "Colombo", "Ricci", "Marino", "Greco",
    ];
    let names = [
        "Mario", "Anna", "Luca", "Giulia", "Paolo", "Sara", "Marco", "Elena",
    ];
    let desks = ["Ornato", "Rizzoli"];
    let kinds = ["Informazione", "Orientamento", "Pratiche", "Ascolto"];
    for r in 1..=rows {
        let p = r % 20_000;
        let (s, n) = (surnames[(p % 8) as usize], names[((p / 8) % 8) as usize]);
        let birth =
            NaiveDate::from_ymd_opt(1940, 1, 1).expect("day") + Duration::days((p * 3) as i64);
        let sex = if names[((p / 8) % 8) as usize].ends_with('a') {
            CfSex::F
        } else {
            CfSex::M
        };
        let cf = codice_fiscale::encode(s, n, birth, sex, "F205");
        ws.write_string(r, 0, format!("{} {}", s.to_uppercase(), n.to_uppercase()))
            .expect("cell");
        ws.write_string(r, 1, cf).expect("cell");
        let day = start + Duration::days((r % 364) as i64);
        let cell = rust_xlsxwriter::ExcelDateTime::from_ymd(
            day.year() as u16,
            day.month() as u8,
            day.day() as u8,
        )
        .expect("day");
        ws.write_datetime_with_format(r, 2, cell, &date)
            .expect("cell");
        ws.write_string(r, 3, desks[(r % 2) as usize])
            .expect("cell");
        if r % 5 == 0 {
            ws.write_string(r, 4, "B2").expect("cell");
        }
        ws.write_string(r, 5, kinds[(r % 4) as usize])
            .expect("cell");
    }
    wb.save(path).expect("save");
    println!("{rows} righe scritte in {path}");
}

fn run(file: &str, db: &str) {
    let t0 = Instant::now();
    let store = Store::open(db).expect("open");
    let role = store.read().expect("read").active::<Role>().expect("roles")[0].id;
    let op = store
        .insert(
            Id::NIL,
            Operator {
                surname: "Bianchi".into(),
                name: "Anna".into(),
                role,
                active: true,
                ..Default::default()
            },
        )
        .expect("operator");
    let t_open = t0.elapsed();
    let t = Instant::now();
    let sheet =
        import::read_file(std::path::Path::new(file), &ReadOptions::default()).expect("read");
    let t_read = t.elapsed();
    let mut mapping = Mapping::guessed(import::RowKind::Contacts);
    mapping.fixed.insert(import::Field::Line, "wemi".into());
    let t = Instant::now();
    let plan = {
        let reader = store.read().expect("read");
        import::plan(
            &reader,
            file,
            &sheet,
            &mapping,
            &PlanOptions {
                today: store.clock().today(),
                actor: op,
                decisions: Default::default(),
            },
            &mut |_, _| {},
        )
        .expect("plan")
    };
    let t_plan = t.elapsed();
    drop(sheet);
    let t = Instant::now();
    let batch =
        import::commit(&store, op, &plan, &mut |_, _| {}, &AtomicBool::new(false)).expect("commit");
    let t_commit = t.elapsed();
    let total = t_read + t_plan + t_commit;
    let hwm = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM")).map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse::<u64>()
                    .unwrap_or(0)
            })
        })
        .unwrap_or(0);
    println!(
        "righe {} (rifiutate {}), persone {}, accessi {}",
        batch.rows,
        plan.counts.refused,
        plan.counts.new_people,
        plan.counts
            .records
            .get(&EntityKind::Contact)
            .copied()
            .unwrap_or(0)
    );
    println!(
        "apertura {:.2} s | lettura {:.2} s | anteprima {:.2} s | scrittura {:.2} s | dal file al salvato {:.2} s | memoria di picco {} MB",
        t_open.as_secs_f64(),
        t_read.as_secs_f64(),
        t_plan.as_secs_f64(),
        t_commit.as_secs_f64(),
        total.as_secs_f64(),
        hwm / 1024
    );
}
