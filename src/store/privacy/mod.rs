//! Erasure that really erases (GDPR art. 17) and the retention schedule.
//!
//! - [`Store::erase_person_as`]: one write transaction removes the person and every record
//!   about them, or — where a record must stay for the annual counts — strips its texts and
//!   moves it to an anonymous placeholder ("Persona cancellata"), so every year's counts
//!   stay equal; audit entries about the person lose their typed text; the *registro
//!   cancellazioni* (`erasures` table) gets an entry naming nobody. Then the database is
//!   compacted so the erased bytes leave the file.
//! - Restoring a backup ([`reapply_to_restored`], called by the restore) applies the live
//!   database's registro again to the restored data.
//! - [`Store::retention_due`] lists the people whose every record has passed its period
//!   (`retention.rs`).
//!
//! Files: `erase.rs` (the records), `scrub.rs` (audit texts, published years, import
//! batches), `compact.rs` (the bytes leave the file), `retention.rs`.

mod compact;
mod erase;
pub mod restriction;
mod retention;
pub mod scrub;

pub use erase::Erased;

use crate::domain::privacy::{self, Erasure, RetentionSettings, opaque};
use crate::domain::*;
use crate::store::access::Session;
use crate::store::{OpenOptions, Store, StoreError, codec};
use redb::{ReadableDatabase, ReadableTable, TableDefinition, WriteTransaction};
use std::collections::HashSet;
use std::path::Path;

/// The registro cancellazioni: erasure id → `Envelope::V1(Erasure)`. Created at open (no
/// schema change); carried across restores by [`reapply_to_restored`].
pub const ERASURES: TableDefinition<u128, &[u8]> = TableDefinition::new("erasures");

/// The `meta` flag set by an erasure's transaction and cleared once the file is compacted:
/// a process stopped in between, or a window that could not compact at once (a background
/// job held the store), compacts at the next open.
pub const KEY_COMPACT_PENDING: &str = "erasure_compaction_pending";

/// The `meta` key of the retention settings (JSON of [`RetentionSettings`]).
pub const KEY_RETENTION: &str = "retention_settings";

/// The permissions an erasure needs: the registry (Anagrafica) and the privacy officer's
/// Registro accessi. By default only the Coordinatore role has both; no new permission is
/// added, so the roles of existing databases need no change.
pub const ERASE_PERMISSIONS: [Permission; 2] = [Permission::Anagrafica, Permission::Registro];

/// What one erasure did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureReport {
    /// The registro entry's id.
    pub erasure: Id,
    /// What was removed and what was made anonymous.
    pub erased: Erased,
    /// Audit entries whose typed text was blanked (in a batch — retention — the whole
    /// batch's count is on its last report).
    pub audit_blanked: u64,
    /// Whether compaction gave space back to the file system.
    pub compacted: bool,
}

/// Creates the registro's table (at open).
pub(crate) fn create_tables(txn: &WriteTransaction) -> Result<(), StoreError> {
    txn.open_table(ERASURES)?;
    Ok(())
}

fn put_entry(txn: &WriteTransaction, e: &Erasure) -> Result<(), StoreError> {
    txn.open_table(ERASURES)?
        .insert(e.id.0, codec::encode(e).as_slice())?;
    Ok(())
}

fn all_entries(t: &impl ReadableTable<u128, &'static [u8]>) -> Result<Vec<Erasure>, StoreError> {
    let mut out = Vec::new();
    for item in t.iter()? {
        let (_, v) = item?;
        out.push(codec::decode(v.value())?);
    }
    Ok(out)
}

/// Marks the file as holding erased bytes until the next compaction.
pub(crate) fn mark_compaction_pending(txn: &WriteTransaction) -> Result<(), StoreError> {
    txn.open_table(crate::store::tables::META)?
        .insert(KEY_COMPACT_PENDING, [1u8].as_slice())?;
    Ok(())
}

fn invalid(p: Problems) -> StoreError {
    StoreError::Invalid(p)
}

/// Erases person `p` in the writer's transaction and writes its registro entry (a new one,
/// or `existing` when an erasure is applied again), the audit summary and the blanked
/// audit texts. Returns the report without compaction.
fn erase_one(
    w: &mut crate::store::Writer,
    p: Id,
    reason: &str,
    existing: Option<&Erasure>,
    typed: bool,
) -> Result<ErasureReport, StoreError> {
    let mut texts = Scrub::default();
    let mut report = erase_deferred(w, p, reason, existing, typed, &mut texts)?;
    report.audit_blanked = texts.apply(w)?;
    Ok(report)
}

/// What a batch of erasures leaves to scrub once at the end: the audit texts of the erased
/// records and the import batches that name them, and the published years to move to the
/// placeholders. One pass over the audit log for the whole batch instead of one per
/// person (the log is rewritten from the first blanked entry to its head).
#[derive(Default)]
struct Scrub {
    texts: std::collections::HashSet<Id>,
    published: Vec<(Vec<Id>, Id)>,
}

impl Scrub {
    /// Scrubs; returns how many audit entries lost their text.
    fn apply(self, w: &crate::store::Writer) -> Result<u64, StoreError> {
        let blanked = scrub::blank_details(w.txn(), &self.texts)?;
        scrub::forget_import_members(w.txn(), &self.texts)?;
        for (ids, q) in &self.published {
            scrub::remap_published(w.txn(), ids, *q)?;
        }
        Ok(blanked)
    }
}

/// [`erase_one`] with the scrubbing left to `scrub` (a batch applies it once).
fn erase_deferred(
    w: &mut crate::store::Writer,
    p: Id,
    reason: &str,
    existing: Option<&Erasure>,
    typed: bool,
    later: &mut Scrub,
) -> Result<ErasureReport, StoreError> {
    if existing.is_none() && typed {
        let person: Person = w
            .stored(p)?
            .ok_or(StoreError::NotFound(EntityKind::Person, p))?;
        let cf = person.codice_fiscale.clone().unwrap_or_default();
        let problems = privacy::check_reason(reason, &[&person.surname, &person.name, &cf]);
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
    }
    let (erased, _) = erase::erase_in(w, p, existing.and_then(|e| e.placeholder))?;
    let mut ids = vec![p];
    ids.extend(erased.aliases.iter().copied());
    later.texts.extend(ids.iter().copied());
    later.texts.extend(erased.records.iter().copied());
    let entry = match existing {
        Some(e) => e.clone(),
        None => {
            let e = Erasure {
                id: Id::new(),
                subjects: ids.iter().map(|i| opaque(*i)).collect(),
                at: w.now(),
                reason: reason.trim().to_string(),
                operator: w.actor(),
                account: w.account(),
                placeholder: erased.placeholder,
            };
            put_entry(w.txn(), &e)?;
            e
        }
    };
    w.audit(
        Action::Erase,
        EntityKind::Person,
        entry.id,
        erased.removed + erased.anonymised,
    )?;
    if let Some(q) = erased.placeholder {
        later.published.push((ids, q));
    }
    Ok(ErasureReport {
        erasure: entry.id,
        erased,
        audit_blanked: 0,
        compacted: false,
    })
}

impl Store {
    /// Refuses a session that may not erase (see [`ERASE_PERMISSIONS`]).
    pub fn require_erasure(&self, session: &Session) -> Result<(), StoreError> {
        for p in ERASE_PERMISSIONS {
            self.require(session, p)?;
        }
        Ok(())
    }

    /// Erases a person on behalf of a signed-in coordinator (see the module), with the
    /// reason kept in the registro cancellazioni; then compacts the database. One write
    /// transaction: a refusal or a failure changes nothing.
    pub fn erase_person_as(
        &mut self,
        session: &Session,
        person: Id,
        reason: &str,
    ) -> Result<ErasureReport, StoreError> {
        self.require_erasure(session)?;
        let actor = session.operator().unwrap_or(Id::NIL);
        self.erase_person_inner(actor, session.account(), person, reason)
    }

    /// Erases a person as the system on behalf of `actor` (a database without accounts;
    /// the window and the command line use [`Store::erase_person_as`] when it has them).
    pub fn erase_person(
        &mut self,
        actor: Id,
        person: Id,
        reason: &str,
    ) -> Result<ErasureReport, StoreError> {
        self.erase_person_inner(actor, Id::NIL, person, reason)
    }

    fn erase_person_inner(
        &mut self,
        actor: Id,
        account: Id,
        person: Id,
        reason: &str,
    ) -> Result<ErasureReport, StoreError> {
        let mut report = self.erase_uncompacted(actor, account, person, reason)?;
        report.compacted = self.compact_erased()?;
        Ok(report)
    }

    /// [`Store::erase_person_as`] without the compaction, for a caller that shares the
    /// store (the window, whose background jobs may hold it): the erasure is committed and
    /// the file is compacted by [`Store::compact_erased`] as soon as the caller holds the
    /// store alone, or at the next open.
    pub fn erase_person_uncompacted_as(
        &self,
        session: &Session,
        person: Id,
        reason: &str,
    ) -> Result<ErasureReport, StoreError> {
        self.require_erasure(session)?;
        let actor = session.operator().unwrap_or(Id::NIL);
        self.erase_uncompacted(actor, session.account(), person, reason)
    }

    fn erase_uncompacted(
        &self,
        actor: Id,
        account: Id,
        person: Id,
        reason: &str,
    ) -> Result<ErasureReport, StoreError> {
        let mut w = self.write(actor)?;
        w.attribute_to(account);
        let report = erase_one(&mut w, person, reason, None, true)?;
        mark_compaction_pending(w.txn())?;
        w.commit()?;
        Ok(report)
    }

    /// True when an erasure is committed but the file not compacted yet.
    pub fn compaction_pending(&self) -> Result<bool, StoreError> {
        self.meta_flag(KEY_COMPACT_PENDING)
    }

    /// The registro cancellazioni, oldest first (ids, dates, reasons, operators: never a
    /// name).
    pub fn erasures(&self) -> Result<Vec<Erasure>, StoreError> {
        let txn = self.db.begin_read()?;
        let mut v = all_entries(&txn.open_table(ERASURES)?)?;
        v.sort_by_key(|e| (e.at, e.id));
        Ok(v)
    }

    /// When the last erasure was made (none: never).
    pub fn last_erasure(&self) -> Result<Option<chrono::NaiveDateTime>, StoreError> {
        Ok(self.erasures()?.into_iter().map(|e| e.at).max())
    }

    /// The retention settings (the documented defaults until a coordinator changes them).
    pub fn retention_settings(&self) -> Result<RetentionSettings, StoreError> {
        Ok(self
            .meta_bytes(KEY_RETENTION)?
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default())
    }

    /// Changes the retention settings (permissions of an erasure).
    pub fn set_retention_settings_as(
        &self,
        session: &Session,
        s: &RetentionSettings,
    ) -> Result<(), StoreError> {
        self.require_erasure(session)?;
        self.set_retention_settings(s)
    }

    /// Changes the retention settings as the system (a database without accounts).
    pub fn set_retention_settings(&self, s: &RetentionSettings) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec(s).map_err(|e| StoreError::Db(e.to_string()))?;
        let mut txn = self.db.begin_write()?;
        txn.set_durability(redb::Durability::Immediate)?;
        txn.open_table(crate::store::tables::META)?
            .insert(KEY_RETENTION, bytes.as_slice())?;
        txn.commit()?;
        Ok(())
    }

    /// Applies registro entries to this database (after a restore): each entry missing
    /// here is added, and every person they cover is erased again, in one transaction;
    /// then the database is compacted. Returns how many people were erased again.
    pub(crate) fn reapply_erasures(
        &mut self,
        entries: &[Erasure],
        retention: Option<&RetentionSettings>,
    ) -> Result<usize, StoreError> {
        if let Some(s) = retention {
            self.set_retention_settings(s)?;
        }
        if entries.is_empty() {
            return Ok(0);
        }
        let mut w = self.write(Id::NIL)?;
        let n = apply_registro_in(&mut w, entries)?;
        mark_compaction_pending(w.txn())?;
        w.commit()?;
        self.compact_erased()?;
        Ok(n)
    }
}

/// Inside the writer's transaction: adds the registro entries this database does not have
/// yet, and erases again every person that an entry — these or the ones already here —
/// covers (a restored backup, another desk's data merged in). Returns how many people.
pub(crate) fn apply_registro_in(
    w: &mut crate::store::Writer,
    entries: &[Erasure],
) -> Result<usize, StoreError> {
    let mut all = all_entries(&w.txn().open_table(ERASURES)?)?;
    let known: HashSet<u128> = all.iter().map(|e| e.id.0).collect();
    for e in entries.iter().filter(|e| !known.contains(&e.id.0)) {
        put_entry(w.txn(), e)?;
        all.push(e.clone());
    }
    if all.is_empty() {
        return Ok(0);
    }
    let covered: HashSet<privacy::Opaque> = all
        .iter()
        .flat_map(|e| e.subjects.iter().copied())
        .collect();
    let people: Vec<Id> = {
        let t = w.txn().open_table(Person::TABLE)?;
        let mut v = Vec::new();
        for item in t.iter()? {
            let (k, _) = item?;
            if covered.contains(&opaque(Id(k.value()))) {
                v.push(Id(k.value()));
            }
        }
        v
    };
    let mut n = 0;
    let mut later = Scrub::default();
    for p in &people {
        // The person may have gone already as an id merged into another one erased.
        if w.stored::<Person>(*p)?.is_none() {
            continue;
        }
        let entry = all.iter().find(|e| e.covers(*p));
        erase_deferred(w, *p, "", entry, false, &mut later)?;
        n += 1;
    }
    later.apply(w)?;
    Ok(n)
}

use crate::store::entity::Entity;

/// Applies the live database's registro cancellazioni (and its retention settings) to a
/// database just rebuilt from a backup at `restored`, before it is swapped in: an erased
/// person does not come back with an older backup.
pub(crate) fn reapply_to_restored(
    live: &Store,
    restored: &Path,
    keys: Option<crate::store::crypt::Unlocked>,
) -> Result<usize, StoreError> {
    let entries = live.erasures()?;
    let retention = live
        .meta_bytes(KEY_RETENTION)?
        .and_then(|b| serde_json::from_slice::<RetentionSettings>(&b).ok());
    if entries.is_empty() && retention.is_none() {
        return Ok(0);
    }
    let opts = OpenOptions {
        clock: live.clock(),
        must_exist: true,
    };
    let mut store = Store::open_inner(restored, opts, keys, &mut |_, _, _| {})?;
    store.reapply_erasures(&entries, retention.as_ref())
}
