//! Dashboard counts at city scale (DESIGN.md §7): every year × every line from the store's
//! incremental aggregates, against SQLite's GROUP BY … COUNT(DISTINCT) over the same records
//! with the same counting definition. Also the breakdowns and the records behind a number.
//!
//! The city database (`accoglienza demo --scale city`: 200,000 people, 2,000,000 contacts
//! over 2016–2025, plus cases, projects, referrals and activities) is generated once and
//! cached by `benches/common`; the SQLite copy is loaded from it (cached beside it), and its
//! counts are checked equal to the store's before anything is timed.

use accoglienza::domain::*;
use accoglienza::stats;
use accoglienza::store::Store;
use chrono::Datelike;
use criterion::{Criterion, criterion_group, criterion_main};
use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

mod common;

fn cache_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("cache dir");
    dir
}

fn city_store() -> Store {
    Store::open(common::city_db()).expect("open city db")
}

// ---------------------------------------------------------------------------------------
// SQLite side: the same records, the same definition (DESIGN.md §3), one query.

const SCHEMA: &str = "
CREATE TABLE people (id BLOB PRIMARY KEY, household BLOB, archived INTEGER NOT NULL);
CREATE TABLE households (id BLOB PRIMARY KEY, archived INTEGER NOT NULL);
CREATE TABLE contacts (id BLOB PRIMARY KEY, subject_kind TEXT NOT NULL, subject BLOB NOT NULL,
  line BLOB NOT NULL, year INTEGER NOT NULL, archived INTEGER NOT NULL);
CREATE TABLE periods (id BLOB PRIMARY KEY, subject_kind TEXT NOT NULL, subject BLOB NOT NULL,
  line BLOB NOT NULL, start_year INTEGER NOT NULL, end_year INTEGER, archived INTEGER NOT NULL);
CREATE TABLE attendance (activity BLOB NOT NULL, line BLOB NOT NULL, year INTEGER NOT NULL,
  person BLOB NOT NULL, archived INTEGER NOT NULL);
CREATE TABLE lines (id BLOB PRIMARY KEY, unit TEXT NOT NULL);
CREATE TABLE years (y INTEGER PRIMARY KEY);
CREATE INDEX people_household ON people(household);
";

/// Every (line, year, unit) count, by the definition: a qualifying record's subject counts
/// as its people (a household: its active members, or itself when it has none) and its
/// family (a person: its active household, or itself); periods count in every year they
/// overlap (open ones through `through`); archived records and subjects never count.
const COUNTS: &str = "
WITH
subj AS (
  SELECT 'P' AS kind, p.id AS subject, p.id AS person,
         CASE WHEN h.id IS NOT NULL AND h.archived = 0 THEN h.id ELSE p.id END AS family
    FROM people p LEFT JOIN households h ON h.id = p.household
   WHERE p.archived = 0
  UNION ALL
  SELECT 'H', h.id, COALESCE(m.id, h.id), h.id
    FROM households h LEFT JOIN people m ON m.household = h.id AND m.archived = 0
   WHERE h.archived = 0
),
qual AS (
  SELECT c.id AS rec, c.subject_kind AS kind, c.subject, c.line, c.year, 'A' AS what
    FROM contacts c WHERE c.archived = 0
  UNION ALL
  SELECT p.id, p.subject_kind, p.subject, p.line, y.y, 'R'
    FROM periods p JOIN years y ON y.y BETWEEN p.start_year AND COALESCE(p.end_year, ?1)
   WHERE p.archived = 0
  UNION ALL
  SELECT NULL, 'P', a.person, a.line, a.year, 'S' FROM attendance a WHERE a.archived = 0
),
units AS (
  SELECT q.line, q.year, q.what, q.rec, s.person, s.family
    FROM qual q JOIN subj s ON s.kind = q.kind AND s.subject = q.subject
)
SELECT u.line, u.year, l.unit,
       CASE l.unit
         WHEN 'Persone'  THEN COUNT(DISTINCT u.person)
         WHEN 'Famiglie' THEN COUNT(DISTINCT u.family)
         WHEN 'Progetti' THEN COUNT(DISTINCT CASE WHEN u.what = 'R' THEN u.rec END)
         ELSE COUNT(DISTINCT CASE WHEN u.what = 'A' THEN u.rec END)
       END
  FROM units u JOIN lines l ON l.id = u.line
 GROUP BY u.line, u.year, l.unit
";

fn blob(id: Id) -> Vec<u8> {
    id.0.to_be_bytes().to_vec()
}

fn load_sqlite(store: &Store, path: &Path) -> rusqlite::Connection {
    let t = Instant::now();
    let _ = std::fs::remove_file(path);
    let mut db = rusqlite::Connection::open(path).expect("sqlite");
    db.execute_batch(SCHEMA).unwrap();
    let r = store.read().unwrap();
    let tx = db.transaction().unwrap();
    {
        let mut st = tx.prepare("INSERT INTO lines VALUES (?1, ?2)").unwrap();
        r.for_each(|l: ServiceLine| {
            st.execute((blob(l.id), format!("{:?}", l.unit))).unwrap();
        })
        .unwrap();
        let mut st = tx.prepare("INSERT INTO years VALUES (?1)").unwrap();
        for y in 1990..=2100 {
            st.execute([y]).unwrap();
        }
        let mut st = tx
            .prepare("INSERT INTO people VALUES (?1, ?2, ?3)")
            .unwrap();
        r.for_each(|p: Person| {
            st.execute((
                blob(p.id),
                p.household.map(|m| blob(m.household)),
                p.archived,
            ))
            .unwrap();
        })
        .unwrap();
        let mut st = tx
            .prepare("INSERT INTO households VALUES (?1, ?2)")
            .unwrap();
        r.for_each(|h: Household| {
            st.execute((blob(h.id), h.archived)).unwrap();
        })
        .unwrap();
        let kind = |s: Subject| match s {
            Subject::Person(_) => "P",
            Subject::Household(_) => "H",
        };
        let mut st = tx
            .prepare("INSERT INTO contacts VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .unwrap();
        r.for_each(|c: Contact| {
            st.execute((
                blob(c.id),
                kind(c.subject),
                blob(c.subject.id()),
                blob(c.line),
                c.at.year(),
                c.archived,
            ))
            .unwrap();
        })
        .unwrap();
        let mut st = tx
            .prepare("INSERT INTO periods VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
            .unwrap();
        r.for_each(|c: Case| {
            st.execute((
                blob(c.id),
                kind(c.subject),
                blob(c.subject.id()),
                blob(c.line),
                c.opened.year(),
                c.closed.map(|d| d.year()),
                c.archived,
            ))
            .unwrap();
        })
        .unwrap();
        r.for_each(|p: Project| {
            st.execute((
                blob(p.id),
                "P",
                blob(p.person),
                blob(p.line),
                p.start.year(),
                p.end.map(|d| d.year()),
                p.archived,
            ))
            .unwrap();
        })
        .unwrap();
        let mut st = tx
            .prepare("INSERT INTO attendance VALUES (?1, ?2, ?3, ?4, ?5)")
            .unwrap();
        r.for_each(|a: Activity| {
            for s in &a.sessions {
                for p in &s.attendees {
                    st.execute((
                        blob(a.id),
                        blob(a.line),
                        s.date.year(),
                        blob(*p),
                        a.archived,
                    ))
                    .unwrap();
                }
            }
        })
        .unwrap();
    }
    tx.commit().unwrap();
    db.execute_batch("ANALYZE;").unwrap();
    eprintln!("SQLite loaded in {:.1} s", t.elapsed().as_secs_f64());
    db
}

type Counts = HashMap<(u128, i32, String), u64>;

fn sqlite_counts(db: &rusqlite::Connection, through: i32) -> Counts {
    let mut st = db.prepare_cached(COUNTS).unwrap();
    let rows = st
        .query_map([through], |row| {
            let line: Vec<u8> = row.get(0)?;
            let year: i32 = row.get(1)?;
            let unit: String = row.get(2)?;
            let n: i64 = row.get(3)?;
            Ok((line, year, unit, n))
        })
        .unwrap();
    let mut out = HashMap::new();
    for r in rows {
        let (line, year, unit, n) = r.unwrap();
        let id = u128::from_be_bytes(line.try_into().unwrap());
        if n > 0 {
            out.insert((id, year, unit), n as u64);
        }
    }
    out
}

/// The dashboard's read: every line × every year, in each line's unit.
fn store_counts(store: &Store) -> Counts {
    let r = store.read().unwrap();
    let c = stats::annual_counts(&r).unwrap();
    let mut out = HashMap::new();
    for l in &c.lines {
        for &y in &c.years {
            let n = c.count(l, y);
            if n > 0 {
                out.insert((l.id.0, y, format!("{:?}", l.unit)), n);
            }
        }
    }
    out
}

fn benches(c: &mut Criterion) {
    let store = city_store();
    let through = store.through_year().unwrap();
    let sqlite_path = cache_dir().join("dash-city-v1.sqlite");
    let db = if sqlite_path.exists() {
        rusqlite::Connection::open(&sqlite_path).unwrap()
    } else {
        load_sqlite(&store, &sqlite_path)
    };
    // Same data, same definition, same numbers — checked before timing anything.
    let ours = store_counts(&store);
    let theirs = sqlite_counts(&db, through);
    assert_eq!(ours, theirs, "SQLite and the store disagree");
    eprintln!("{} non-zero (line, year) counts checked equal", ours.len());

    let mut g = c.benchmark_group("dashboard_counts_city");
    g.sample_size(20);
    g.bench_function("aggregates_every_year_every_line", |b| {
        b.iter(|| black_box(store_counts(&store)))
    });
    g.sample_size(10);
    g.bench_function("sqlite_group_by_count_distinct", |b| {
        b.iter(|| black_box(sqlite_counts(&db, through)))
    });
    g.finish();

    let r = store.read().unwrap();
    let counts = stats::annual_counts(&r).unwrap();
    let wemi = counts.line("wemi").unwrap().id;
    let year = 2024;
    let mut g = c.benchmark_group("dashboard_details_city");
    g.sample_size(10);
    g.bench_function("breakdown_by_month_one_year", |b| {
        b.iter(|| {
            black_box(
                stats::breakdown::breakdown(&r, year, stats::breakdown::Dimension::Month).unwrap(),
            )
        })
    });
    g.bench_function("records_behind_wemi_one_year", |b| {
        b.iter(|| black_box(stats::records_behind(&r, wemi, year).unwrap()))
    });
    g.bench_function("freeze_published_figures_one_year", |b| {
        b.iter(|| black_box(stats::published::freeze(&r, year, "").unwrap()))
    });
    g.finish();
}

criterion_group!(stats_benches, benches);
criterion_main!(stats_benches);
