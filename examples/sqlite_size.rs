//! The same data in SQLite, for the file-size comparison of docs/PERFORMANCE.md:
//! `cargo run --release --example sqlite_size -- DB.redb OUT.sqlite`.
//!
//! Every record table as (id, the same postcard envelope) WITHOUT ROWID; the subject, date
//! and text index entries and the annual-count multiplicities and totals as one row per
//! entry in WITHOUT ROWID tables keyed like schema 1 (what SQLite would need to answer the
//! same lookups without scanning); the audit log. Inserted in key order, then VACUUM.
use accoglienza::domain::*;
use accoglienza::store::backup::{Section, body_order};
use accoglienza::store::{Entity, Store};

fn main() {
    let src = std::env::args().nth(1).expect("database");
    let out = std::env::args().nth(2).expect("sqlite file");
    let _ = std::fs::remove_file(&out);
    let store = Store::open(&src).unwrap();
    let mut conn = rusqlite::Connection::open(&out).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;
         CREATE TABLE idx_subject (kind INTEGER, subject BLOB, id BLOB, PRIMARY KEY (kind, subject, id)) WITHOUT ROWID;
         CREATE TABLE idx_date (kind INTEGER, day INTEGER, id BLOB, PRIMARY KEY (kind, day, id)) WITHOUT ROWID;
         CREATE TABLE idx_text (idx INTEGER, text TEXT, id BLOB, PRIMARY KEY (idx, text, id)) WITHOUT ROWID;
         CREATE TABLE agg_keys (line BLOB, year INTEGER, unit INTEGER, key BLOB, m INTEGER, PRIMARY KEY (line, year, unit, key)) WITHOUT ROWID;
         CREATE TABLE agg_totals (line BLOB, year INTEGER, unit INTEGER, n INTEGER, PRIMARY KEY (line, year, unit)) WITHOUT ROWID;",
    )
    .unwrap();
    let tx = conn.transaction().unwrap();
    let r = store.read().unwrap();
    /// Index entries of every record: (kind, subject, id), (kind, day, id), (index, text, id).
    #[derive(Default)]
    struct Entries {
        subjects: Vec<(u8, u128, u128)>,
        days: Vec<(u8, i32, u128)>,
        texts: Vec<(u8, String, u128)>,
    }
    fn collect<E: Entity>(
        r: &accoglienza::store::Reader,
        tx: &rusqlite::Transaction<'_>,
        name: &str,
        out: &mut Entries,
    ) {
        tx.execute_batch(&format!(
            "CREATE TABLE {name} (id BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID;"
        ))
        .unwrap();
        let mut ins = tx
            .prepare(&format!("INSERT INTO {name} VALUES (?1, ?2)"))
            .unwrap();
        r.for_each(|e: E| {
            let bytes = accoglienza::store::codec::encode(&e);
            ins.execute(rusqlite::params![e.id().0.to_be_bytes(), bytes])
                .unwrap();
            let ix = e.index_entries();
            let k = E::KIND.code();
            out.subjects
                .extend(ix.subjects.iter().map(|s| (k, s.0, e.id().0)));
            out.days.extend(ix.day.map(|d| (k, d, e.id().0)));
            out.texts
                .extend(ix.texts.into_iter().map(|(i, t)| (i, t, e.id().0)));
        })
        .unwrap();
    }
    let mut sinks = Entries::default();
    for (name, section) in body_order() {
        let Section::Records(kind) = section else {
            continue;
        };
        macro_rules! go {
            ($($k:ident => $t:ty),*) => {
                match kind { $(EntityKind::$k => collect::<$t>(&r, &tx, name, &mut sinks),)* }
            };
        }
        go!(Person => Person, Household => Household, Operator => Operator, Contact => Contact,
            Case => Case, Project => Project, Referral => Referral, Activity => Activity,
            Area => Area, ServiceLine => ServiceLine, Desk => Desk, Measure => Measure,
            TerritorialService => TerritorialService, Role => Role, Account => Account,
            AccessRole => AccessRole, Purpose => Purpose, PrivacyEntry => PrivacyEntry,
            Appointment => Appointment, DocumentKind => DocumentKind, Bando => Bando,
            Pratica => Pratica, Document => Document);
    }
    let Entries {
        mut subjects,
        mut days,
        mut texts,
    } = sinks;
    subjects.sort();
    days.sort();
    texts.sort();
    {
        let mut ins = tx
            .prepare("INSERT INTO idx_subject VALUES (?1, ?2, ?3)")
            .unwrap();
        for (k, s, id) in &subjects {
            ins.execute(rusqlite::params![k, s.to_be_bytes(), id.to_be_bytes()])
                .unwrap();
        }
        let mut ins = tx
            .prepare("INSERT INTO idx_date VALUES (?1, ?2, ?3)")
            .unwrap();
        for (k, d, id) in &days {
            ins.execute(rusqlite::params![k, d, id.to_be_bytes()])
                .unwrap();
        }
        let mut ins = tx
            .prepare("INSERT OR IGNORE INTO idx_text VALUES (?1, ?2, ?3)")
            .unwrap();
        for (i, t, id) in &texts {
            ins.execute(rusqlite::params![i, t, id.to_be_bytes()])
                .unwrap();
        }
        let tally = r.full_tally().unwrap();
        let mut ins = tx
            .prepare("INSERT INTO agg_keys VALUES (?1, ?2, ?3, ?4, ?5)")
            .unwrap();
        tally.for_each_sorted_key(|(l, y, u, k), m| {
            ins.execute(rusqlite::params![
                l.0.to_be_bytes(),
                y,
                u.code(),
                k.0.to_be_bytes(),
                m
            ])
            .unwrap();
        });
        let mut ins = tx
            .prepare("INSERT INTO agg_totals VALUES (?1, ?2, ?3, ?4)")
            .unwrap();
        for ((l, y, u), n) in tally.totals() {
            ins.execute(rusqlite::params![l.0.to_be_bytes(), y, u.code(), n as i64])
                .unwrap();
        }
        tx.execute_batch(
            "CREATE TABLE audit (id BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID;",
        )
        .unwrap();
        let mut ins = tx.prepare("INSERT INTO audit VALUES (?1, ?2)").unwrap();
        for (id, e) in r.audit(usize::MAX).unwrap() {
            ins.execute(rusqlite::params![
                id.0.to_be_bytes(),
                accoglienza::store::codec::encode(&e)
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
    conn.execute_batch("VACUUM;").unwrap();
    drop(conn);
    let redb = std::fs::metadata(&src).unwrap().len();
    let sqlite = std::fs::metadata(&out).unwrap().len();
    println!(
        "redb {:.0} MB, SQLite (same records, indexes and counts) {:.0} MB",
        redb as f64 / 1e6,
        sqlite as f64 / 1e6
    );
}
