//! What spreadsheet imports wrote: one entry per batch (who, when, which file, how many
//! records), the records each batch created, the fingerprints of the rows already imported
//! (so the same file imported twice creates nothing the second time) and the mappings saved
//! by name. Own tables, created at open and written in the import's own transaction; the
//! record tables and their envelope are untouched. Not carried by backups (a restored
//! database forgets which rows it imported: see docs/ARCHITECTURE.md).

use super::{Reader, StoreError, Writer};
use crate::domain::time::datetime_serde;
use crate::domain::*;
use chrono::NaiveDateTime;
use redb::{ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

/// batch id → postcard bytes of a [`BatchEnvelope`].
pub const IMPORT_BATCHES: TableDefinition<u128, &[u8]> = TableDefinition::new("import_batches");
/// (batch id, record id) → the record's kind code: every record a batch created.
pub const IMPORT_MEMBERS: TableDefinition<(u128, u128), u8> =
    TableDefinition::new("import_members");
/// row fingerprint (SHA-256) → the batch that imported the row.
pub const IMPORT_FINGERPRINTS: TableDefinition<&[u8], u128> =
    TableDefinition::new("import_fingerprints");
/// mapping name → the mapping as JSON.
pub const IMPORT_MAPPINGS: TableDefinition<&str, &str> = TableDefinition::new("import_mappings");

/// Opens (creates) the import tables in a write transaction (at open).
pub(crate) fn create_tables(txn: &redb::WriteTransaction) -> Result<(), StoreError> {
    txn.open_table(IMPORT_BATCHES)?;
    txn.open_table(IMPORT_MEMBERS)?;
    txn.open_table(IMPORT_FINGERPRINTS)?;
    txn.open_table(IMPORT_MAPPINGS)?;
    Ok(())
}

/// One import, as remembered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// Identifier (UUIDv7).
    pub id: Id,
    /// When it was committed.
    #[serde(with = "datetime_serde")]
    pub at: NaiveDateTime,
    /// Who imported it.
    pub operator: Id,
    /// The file's name (no folder).
    pub file: String,
    /// The sheet read.
    pub sheet: String,
    /// The mapping's name (or its kind of rows).
    pub mapping: String,
    /// Records created, per kind.
    pub created: Vec<(EntityKind, u64)>,
    /// Rows imported.
    pub rows: u64,
    /// Rows refused and skipped.
    pub refused: u64,
    /// Undone (its records archived) and when.
    #[serde(with = "opt_datetime")]
    pub undone: Option<NaiveDateTime>,
}

mod opt_datetime {
    use chrono::NaiveDateTime;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        d.map(|d| d.and_utc().timestamp()).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
        Ok(Option::<i64>::deserialize(d)?
            .and_then(|t| chrono::DateTime::from_timestamp(t, 0).map(|d| d.naive_utc())))
    }
}

/// The versioned envelope of a batch (append variants only).
#[derive(Debug, Clone, Serialize, Deserialize)]
enum BatchEnvelope {
    V1(Batch),
}

fn encode(b: &Batch) -> Vec<u8> {
    postcard::to_allocvec(&BatchEnvelope::V1(b.clone())).expect("postcard encodes a batch")
}

fn decode(bytes: &[u8]) -> Result<Batch, StoreError> {
    match postcard::from_bytes::<BatchEnvelope>(bytes) {
        Ok(BatchEnvelope::V1(b)) => Ok(b),
        Err(e) => Err(StoreError::Corrupt(format!(
            "importazione illeggibile: {e}"
        ))),
    }
}

impl Writer {
    /// Writes (or rewrites) a batch's entry.
    pub fn put_import_batch(&self, batch: &Batch) -> Result<(), StoreError> {
        self.txn()
            .open_table(IMPORT_BATCHES)?
            .insert(batch.id.0, encode(batch).as_slice())?;
        Ok(())
    }

    /// Files a record the batch created.
    pub fn add_import_member(
        &self,
        batch: Id,
        kind: EntityKind,
        record: Id,
    ) -> Result<(), StoreError> {
        self.txn()
            .open_table(IMPORT_MEMBERS)?
            .insert((batch.0, record.0), kind.code())?;
        Ok(())
    }

    /// Remembers the fingerprint of a row the batch imported.
    pub fn add_import_fingerprint(
        &self,
        fingerprint: &[u8; 32],
        batch: Id,
    ) -> Result<(), StoreError> {
        self.txn()
            .open_table(IMPORT_FINGERPRINTS)?
            .insert(fingerprint.as_slice(), batch.0)?;
        Ok(())
    }

    /// The batch that imported a row with this fingerprint, seen inside this transaction.
    pub fn import_fingerprint(&self, fingerprint: &[u8; 32]) -> Result<Option<Id>, StoreError> {
        Ok(self
            .txn()
            .open_table(IMPORT_FINGERPRINTS)?
            .get(fingerprint.as_slice())?
            .map(|v| Id(v.value())))
    }

    /// Forgets every fingerprint of a batch (after its undo: the rows can come in again).
    pub fn remove_import_fingerprints(&self, batch: Id) -> Result<u64, StoreError> {
        let mut t = self.txn().open_table(IMPORT_FINGERPRINTS)?;
        let mut keys: Vec<Vec<u8>> = Vec::new();
        for item in t.iter()? {
            let (k, v) = item?;
            if v.value() == batch.0 {
                keys.push(k.value().to_vec());
            }
        }
        for k in &keys {
            t.remove(k.as_slice())?;
        }
        Ok(keys.len() as u64)
    }

    /// A batch's entry, read inside this transaction.
    pub fn import_batch(&self, id: Id) -> Result<Option<Batch>, StoreError> {
        let t = self.txn().open_table(IMPORT_BATCHES)?;
        let v = t.get(id.0)?;
        v.map(|v| decode(v.value())).transpose()
    }

    /// The records a batch created, read inside this transaction.
    pub fn import_members(&self, batch: Id) -> Result<Vec<(EntityKind, Id)>, StoreError> {
        members_in(&self.txn().open_table(IMPORT_MEMBERS)?, batch)
    }

    /// Saves a mapping under its name (replacing one of the same name).
    pub fn save_import_mapping(&self, name: &str, json: &str) -> Result<(), StoreError> {
        self.txn().open_table(IMPORT_MAPPINGS)?.insert(name, json)?;
        Ok(())
    }
}

fn members_in(
    t: &impl ReadableTable<(u128, u128), u8>,
    batch: Id,
) -> Result<Vec<(EntityKind, Id)>, StoreError> {
    let mut out = Vec::new();
    for item in t.range((batch.0, 0u128)..=(batch.0, u128::MAX))? {
        let (k, v) = item?;
        let code = v.value();
        let kind = EntityKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| StoreError::Corrupt(format!("tipo di record sconosciuto {code}")))?;
        out.push((kind, Id(k.value().1)));
    }
    Ok(out)
}

impl Reader {
    /// Every import, newest first.
    pub fn import_batches(&self) -> Result<Vec<Batch>, StoreError> {
        let t = self.txn().open_table(IMPORT_BATCHES)?;
        let mut out = Vec::new();
        for item in t.iter()?.rev() {
            out.push(decode(item?.1.value())?);
        }
        Ok(out)
    }

    /// The records a batch created.
    pub fn import_members(&self, batch: Id) -> Result<Vec<(EntityKind, Id)>, StoreError> {
        members_in(&self.txn().open_table(IMPORT_MEMBERS)?, batch)
    }

    /// The batch that imported a row with this fingerprint.
    pub fn import_fingerprint(&self, fingerprint: &[u8; 32]) -> Result<Option<Id>, StoreError> {
        Ok(self
            .txn()
            .open_table(IMPORT_FINGERPRINTS)?
            .get(fingerprint.as_slice())?
            .map(|v| Id(v.value())))
    }

    /// The mappings saved, by name.
    pub fn import_mappings(&self) -> Result<Vec<(String, String)>, StoreError> {
        let t = self.txn().open_table(IMPORT_MAPPINGS)?;
        let mut out = Vec::new();
        for item in t.iter()? {
            let (k, v) = item?;
            out.push((k.value().to_string(), v.value().to_string()));
        }
        Ok(out)
    }
}
