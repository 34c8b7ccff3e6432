//! Writing a plan as one audited batch, and undoing a batch. One durable transaction each:
//! a cancelled or failed import writes nothing at all.

use super::plan::Plan;
use crate::domain::*;
use crate::store::import_log::Batch;
use crate::store::{Entity, Store, StoreError, Writer};
use std::sync::atomic::{AtomicBool, Ordering};

/// Above this many records an import loads in bulk (counts rebuilt once at the end, one
/// audit entry per kind of record) instead of record by record.
pub const BULK_FROM: usize = 20_000;

/// Why an import or an undo did not happen. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// Cancelled by the user.
    Cancelled,
    /// Nothing to write (every row imported before, refused or repeated).
    Nothing,
    /// The database refused (changed since the preview, a record invalid, …).
    Store(String),
    /// The batch cannot be undone.
    Undo(String),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Cancelled => {
                f.write_str("Importazione annullata: non è stato scritto nulla")
            }
            ImportError::Nothing => f.write_str(
                "Niente da importare: le righe sono già state importate, ripetute o rifiutate",
            ),
            ImportError::Store(e) => write!(
                f,
                "Importazione non riuscita, non è stato scritto nulla: {e}"
            ),
            ImportError::Undo(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for ImportError {}

fn store_err(e: StoreError) -> ImportError {
    ImportError::Store(e.to_string())
}

/// Writes a plan on behalf of `actor` as one batch: every record, the batch entry (with
/// the records it created) and the rows' fingerprints, in one durable transaction. Rows a
/// batch committed meanwhile (another window, the same file twice) refuse the whole plan:
/// run the preview again. `progress(done, total)` is called every thousand records;
/// `cancel` is checked as often (a cancelled import writes nothing).
pub fn commit(
    store: &Store,
    actor: Id,
    plan: &Plan,
    progress: &mut dyn FnMut(u64, u64),
    cancel: &AtomicBool,
) -> Result<Batch, ImportError> {
    commit_with(store, actor, plan, progress, cancel, BULK_FROM)
}

fn commit_with(
    store: &Store,
    actor: Id,
    plan: &Plan,
    progress: &mut dyn FnMut(u64, u64),
    cancel: &AtomicBool,
    bulk_from: usize,
) -> Result<Batch, ImportError> {
    let writes = &plan.writes;
    if writes.is_empty() {
        return Err(ImportError::Nothing);
    }
    let total = writes.len() as u64;
    let bulk = writes.len() >= bulk_from;
    let mut w = if bulk {
        store.bulk_write(actor)
    } else {
        store.write(actor)
    }
    .map_err(store_err)?;
    let batch_id = Id::new();
    for fp in &writes.fingerprints {
        if w.import_fingerprint(fp).map_err(store_err)?.is_some() {
            return Err(ImportError::Store(
                "alcune righe sono state importate nel frattempo: rifai l'anteprima".into(),
            ));
        }
    }
    let mut done = 0u64;
    let mut step = || -> Result<(), ImportError> {
        done += 1;
        if done.is_multiple_of(1000) {
            if cancel.load(Ordering::Relaxed) {
                return Err(ImportError::Cancelled);
            }
            progress(done, total);
        }
        Ok(())
    };
    fn put<E: Entity + Clone>(w: &mut Writer, batch: Id, rec: &E) -> Result<(), ImportError> {
        let id = w.insert(rec.clone()).map_err(|e| match e {
            StoreError::Duplicate(..) => ImportError::Store(format!(
                "{} {} esiste già: rifai l'anteprima",
                E::KIND.label(),
                rec.id().short()
            )),
            e => store_err(e),
        })?;
        w.add_import_member(batch, E::KIND, id).map_err(store_err)
    }
    for r in &writes.households {
        put(&mut w, batch_id, r)?;
        step()?;
    }
    for r in &writes.people {
        put(&mut w, batch_id, r)?;
        step()?;
    }
    for r in &writes.operators {
        put(&mut w, batch_id, r)?;
        step()?;
    }
    for r in &writes.contacts {
        put(&mut w, batch_id, r)?;
        step()?;
    }
    for r in &writes.cases {
        put(&mut w, batch_id, r)?;
        step()?;
    }
    for r in &writes.projects {
        put(&mut w, batch_id, r)?;
        step()?;
    }
    for r in &writes.referrals {
        put(&mut w, batch_id, r)?;
        step()?;
    }
    for r in &writes.activities {
        put(&mut w, batch_id, r)?;
        step()?;
    }
    for fp in &writes.fingerprints {
        w.add_import_fingerprint(fp, batch_id).map_err(store_err)?;
    }
    if cancel.load(Ordering::Relaxed) {
        return Err(ImportError::Cancelled);
    }
    let batch = Batch {
        id: batch_id,
        at: store.clock().now_minute(),
        operator: actor,
        file: plan.file.clone(),
        sheet: plan.sheet.clone(),
        mapping: plan.mapping_name.clone(),
        created: plan.counts.records.iter().map(|(k, n)| (*k, *n)).collect(),
        rows: writes.fingerprints.len() as u64,
        refused: plan.counts.refused,
        undone: None,
    };
    w.put_import_batch(&batch).map_err(store_err)?;
    w.commit().map_err(store_err)?;
    if bulk {
        // The counts of a bulk load are rebuilt from the records (the next open does it if
        // the process stops before).
        store.rebuild_aggregates().map_err(store_err)?;
    }
    progress(total, total);
    Ok(batch)
}

/// What an undo did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Undone {
    /// Records archived.
    pub archived: u64,
    /// People and households the batch created but kept, because records written after the
    /// import (not by it) are about them.
    pub kept: u64,
}

/// Undoes a batch on behalf of `actor`: every record it created is archived (people and
/// households only when nothing written after the import is about them), its rows'
/// fingerprints are forgotten (the file can be imported again) and the batch is marked
/// undone — in one durable transaction. The counts drop back to what they were.
pub fn undo(store: &Store, actor: Id, batch: Id) -> Result<Undone, ImportError> {
    undo_with(store, actor, batch, BULK_FROM)
}

fn undo_with(store: &Store, actor: Id, batch: Id, bulk_from: usize) -> Result<Undone, ImportError> {
    let reader = store.read().map_err(store_err)?;
    let members = reader.import_members(batch).map_err(store_err)?;
    let in_batch: std::collections::HashSet<Id> = members.iter().map(|(_, id)| *id).collect();
    // People and households with records from elsewhere stay.
    let mut keep = std::collections::HashSet::new();
    for (kind, id) in &members {
        if matches!(kind, EntityKind::Person | EntityKind::Household) {
            let mut others = false;
            for k in [
                EntityKind::Contact,
                EntityKind::Case,
                EntityKind::Project,
                EntityKind::Referral,
                EntityKind::Activity,
                EntityKind::Person,
            ] {
                if reader
                    .ids_by_subject(k, *id)
                    .map_err(store_err)?
                    .iter()
                    .any(|r| !in_batch.contains(r))
                {
                    others = true;
                }
            }
            if others {
                keep.insert(*id);
            }
        }
    }
    drop(reader);
    let bulk = members.len() >= bulk_from;
    let mut w = if bulk {
        store.bulk_write(actor)
    } else {
        store.write(actor)
    }
    .map_err(store_err)?;
    let mut entry = w
        .import_batch(batch)
        .map_err(store_err)?
        .ok_or_else(|| ImportError::Undo("Importazione inesistente".into()))?;
    if entry.undone.is_some() {
        return Err(ImportError::Undo(
            "Questa importazione è già stata annullata".into(),
        ));
    }
    let mut out = Undone::default();
    // Records first, then the people and households they are about.
    let order = |k: &EntityKind| match k {
        EntityKind::Person => 1,
        EntityKind::Household => 2,
        _ => 0,
    };
    let mut sorted = members.clone();
    sorted.sort_by_key(|(k, _)| order(k));
    for (kind, id) in sorted {
        if keep.contains(&id) {
            out.kept += 1;
            continue;
        }
        let r = match kind {
            EntityKind::Person => w.set_archived::<Person>(id, true),
            EntityKind::Household => w.set_archived::<Household>(id, true),
            EntityKind::Operator => w.set_archived::<Operator>(id, true),
            EntityKind::Contact => w.set_archived::<Contact>(id, true),
            EntityKind::Case => w.set_archived::<Case>(id, true),
            EntityKind::Project => w.set_archived::<Project>(id, true),
            EntityKind::Referral => w.set_archived::<Referral>(id, true),
            EntityKind::Activity => w.set_archived::<Activity>(id, true),
            _ => Ok(()),
        };
        match r {
            Ok(()) => out.archived += 1,
            // A record removed since (a restore) has nothing left to undo.
            Err(StoreError::NotFound(..)) => {}
            Err(e) => return Err(store_err(e)),
        }
    }
    w.remove_import_fingerprints(batch).map_err(store_err)?;
    entry.undone = Some(store.clock().now_minute());
    w.put_import_batch(&entry).map_err(store_err)?;
    w.commit().map_err(store_err)?;
    if bulk {
        store.rebuild_aggregates().map_err(store_err)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::mapping::{Field, Mapping, RowKind};
    use crate::import::plan::{PlanOptions, plan};
    use crate::import::read::{Cell, FileKind, Sheet, TextEncoding};

    fn letters(mut n: usize) -> String {
        let mut out = String::new();
        loop {
            out.push((b'a' + (n % 26) as u8) as char);
            n /= 26;
            if n == 0 {
                return out;
            }
        }
    }

    fn sheet() -> Sheet {
        let t = |s: &str| Cell::Text(s.into());
        let mut rows = vec![vec![
            t("Cognome"),
            t("Nome"),
            t("Data accesso"),
            t("Sportello"),
        ]];
        for i in 0..60 {
            rows.push(vec![
                t(&format!("Cognome{}", letters(i % 17))),
                t("Nome"),
                t(&format!("{:02}/03/2022", 1 + i % 28)),
                t(if i % 2 == 0 { "Ornato" } else { "Rizzoli" }),
            ]);
        }
        Sheet {
            kind: FileKind::Csv {
                delimiter: b';',
                encoding: TextEncoding::Utf8,
            },
            sheet_names: vec!["x".into()],
            name: "x".into(),
            rows,
        }
    }

    fn import(bulk_from: usize) -> (tempfile::TempDir, Store, Batch) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("db.redb")).unwrap();
        let role = store.read().unwrap().active::<Role>().unwrap()[0].id;
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
            .unwrap();
        let mut m = Mapping::guessed(RowKind::Contacts);
        m.fixed.insert(Field::Line, "wemi".into());
        let opts = PlanOptions {
            today: store.clock().today(),
            actor: op,
            decisions: Default::default(),
        };
        let p = plan(
            &store.read().unwrap(),
            "x.csv",
            &sheet(),
            &m,
            &opts,
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!(p.counts.refused, 0, "{:?}", p.refused().next());
        let b = commit_with(
            &store,
            op,
            &p,
            &mut |_, _| {},
            &AtomicBool::new(false),
            bulk_from,
        )
        .unwrap();
        (dir, store, b)
    }

    /// The annual totals, by line code (catalogue ids differ between databases).
    fn totals(store: &Store) -> Vec<(String, i32, String, u64)> {
        let r = store.read().unwrap();
        let lines = r.all::<ServiceLine>().unwrap();
        let mut t: Vec<(String, i32, String, u64)> = r
            .totals()
            .unwrap()
            .into_iter()
            .filter(|x| x.3 > 0)
            .map(|(l, y, u, n)| {
                let code = lines.iter().find(|x| x.id == l).unwrap().code.clone();
                (code, y, format!("{u:?}"), n)
            })
            .collect();
        t.sort();
        t
    }

    #[test]
    fn a_bulk_import_and_its_undo_count_like_record_by_record() {
        let (_a, one_by_one, b1) = import(usize::MAX);
        let (_b, mut bulk, b2) = import(1);
        assert_eq!(totals(&one_by_one), totals(&bulk));
        assert!(bulk.check().unwrap().ok());
        let wemi = |s: &Store| {
            let r = s.read().unwrap();
            let c = crate::stats::annual_counts(&r).unwrap();
            c.count(c.line("wemi").unwrap(), 2022)
        };
        assert_eq!(wemi(&bulk), 17);
        let u1 = undo_with(&one_by_one, Id::NIL, b1.id, usize::MAX).unwrap();
        let u2 = undo_with(&bulk, Id::NIL, b2.id, 1).unwrap();
        assert_eq!(u1, u2);
        assert_eq!(u1.archived, 60 + 17);
        assert_eq!(wemi(&bulk), 0);
        assert_eq!(totals(&one_by_one), totals(&bulk));
        assert!(bulk.check().unwrap().ok());
        // A cancelled import writes nothing.
        let cancel = AtomicBool::new(true);
        let (_c, store, _) = import(usize::MAX);
        let before = store.read().unwrap().count::<Contact>().unwrap();
        let mut m = Mapping::guessed(RowKind::Contacts);
        m.fixed.insert(Field::Line, "wemi".into());
        m.fixed.insert(Field::Operator, "Bianchi Anna".into());
        let mut rows = sheet();
        for r in rows.rows.iter_mut().skip(1) {
            r[1] = Cell::Text("Altro".into());
        }
        let many = Sheet {
            rows: rows
                .rows
                .iter()
                .cloned()
                .chain((0..1500).map(|i| {
                    vec![
                        Cell::Text(format!("Nuovo{}", letters(i))),
                        Cell::Text("X".into()),
                        Cell::Text("02/03/2022".into()),
                        Cell::Text("Ornato".into()),
                    ]
                }))
                .collect(),
            ..rows
        };
        let opts = PlanOptions {
            today: store.clock().today(),
            actor: Id::NIL,
            decisions: Default::default(),
        };
        let p = plan(
            &store.read().unwrap(),
            "y.csv",
            &many,
            &m,
            &opts,
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!(
            commit(&store, Id::NIL, &p, &mut |_, _| {}, &cancel).unwrap_err(),
            ImportError::Cancelled
        );
        assert_eq!(store.read().unwrap().count::<Contact>().unwrap(), before);
        assert!(store.read().unwrap().import_batches().unwrap().len() == 1);
    }
}
