//! The durable-save comparison, shared by `benches/core.rs` and `examples/save_probe.rs`:
//! what the store's saves refer to, and the SQLite side (the same contact row, its two
//! indexes and an audit row, in one transaction).

use accoglienza::domain::*;
use accoglienza::store::Store;

/// An operator, a line, a desk and a thousand people of the store: the saves spread their
/// contacts over those people (and over the last 365 days), so index buckets keep the size
/// real use gives them (a person's contacts, a day's).
pub fn targets(store: &Store) -> (Id, Id, Id, Vec<Id>) {
    let r = store.read().unwrap();
    let op = r.all::<Operator>().unwrap()[0].id;
    let line = r.all::<ServiceLine>().unwrap()[0].id;
    let desk = r.all::<Desk>().unwrap()[0].id;
    let mut people = Vec::new();
    r.for_each(|p: Person| {
        if people.len() < 1000 {
            people.push(p.id);
        }
    })
    .unwrap();
    (op, line, desk, people)
}

/// The `i`-th contact of a run of saves (see [`targets`]).
pub fn contact(people: &[Id], line: Id, desk: Id, operator: Id, i: u64) -> Contact {
    Contact {
        id: Id::NIL,
        at: time::now_minute() - chrono::Duration::days((i % 365) as i64),
        subject: Subject::Person(people[i as usize % people.len()]),
        line,
        desk,
        operator,
        kind: ContactKind::Pratiche,
        measure: None,
        minutes: 30,
        note: format!("bench {i}"),
        confidential: false,
        archived: false,
    }
}

/// A connection on `path` in the given journal mode with `synchronous=FULL`, with the
/// contacts table, its subject and date indexes and the audit table.
pub fn open(path: &std::path::Path, journal: &str) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", journal).unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.execute_batch(
        "CREATE TABLE contacts (id BLOB PRIMARY KEY, at TEXT NOT NULL, subject BLOB NOT NULL, line BLOB NOT NULL,
            desk BLOB NOT NULL, operator BLOB NOT NULL, kind INTEGER NOT NULL, measure BLOB, minutes INTEGER,
            note TEXT, archived INTEGER NOT NULL) WITHOUT ROWID;
         CREATE INDEX contacts_subject ON contacts(subject);
         CREATE INDEX contacts_at ON contacts(at);
         CREATE TABLE audit (id BLOB PRIMARY KEY, at TEXT, operator BLOB, action INTEGER, entity BLOB) WITHOUT ROWID;",
    )
    .unwrap();
    conn
}

/// One durable save: the row, its index entries and the audit row; returns the new id.
pub fn save(conn: &rusqlite::Connection, person: Id, line: Id, desk: Id, op: Id) -> Id {
    let id = Id::new();
    let tx = conn.unchecked_transaction().unwrap();
    tx.execute(
        "INSERT INTO contacts VALUES (?1, datetime('now'), ?2, ?3, ?4, ?5, 3, NULL, 30, 'bench', 0)",
        rusqlite::params![id.0.to_be_bytes(), person.0.to_be_bytes(), line.0.to_be_bytes(), desk.0.to_be_bytes(), op.0.to_be_bytes()],
    )
    .unwrap();
    tx.execute(
        "INSERT INTO audit VALUES (?1, datetime('now'), ?2, 0, ?3)",
        rusqlite::params![
            Id::new().0.to_be_bytes(),
            op.0.to_be_bytes(),
            id.0.to_be_bytes()
        ],
    )
    .unwrap();
    tx.commit().unwrap();
    id
}
