//! The SQLite side of the durable-save comparison: the same contact row, its two indexes
//! and an audit row, in one transaction (shared by `benches/core.rs` and
//! `examples/save_probe.rs`).

use accoglienza::domain::Id;

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
