//! `accoglienza check`: the file's own integrity, every record decodable, every index entry
//! matching the records, every reference resolvable and the counts equal to a recount.

use super::entity::{Entity, table_of};
use super::tables::*;
use super::{Store, StoreError, aggregates, codec};
use crate::domain::*;
use redb::{
    ReadTransaction, ReadableDatabase, ReadableMultimapTable, ReadableTable, ReadableTableMetadata,
};
use std::collections::{BTreeMap, HashSet};

/// What `check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Records per kind (archived included).
    pub records: BTreeMap<EntityKind, u64>,
    /// Archived records per kind.
    pub archived: BTreeMap<EntityKind, u64>,
    /// Audit entries.
    pub audit_entries: u64,
    /// Index entries checked.
    pub index_entries: u64,
    /// Annual counts checked against a full recount.
    pub totals_checked: u64,
    /// Everything wrong, in Italian; empty when the database is sound.
    pub problems: Vec<String>,
}

impl CheckReport {
    /// True when nothing is wrong.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

type SubjectEntry = (u8, u128, u128);
type DateEntry = (u8, i32, u128);
type TextEntry = (u8, String, u128);

#[derive(Default)]
struct Expected {
    subjects: Vec<SubjectEntry>,
    dates: Vec<DateEntry>,
    texts: Vec<TextEntry>,
}

fn check_kind<E: Entity>(
    txn: &ReadTransaction,
    ids: &HashSet<(EntityKind, Id)>,
    exp: &mut Expected,
    rep: &mut CheckReport,
) -> Result<(), StoreError> {
    let t = txn.open_table(E::TABLE)?;
    let (mut n, mut archived) = (0u64, 0u64);
    for item in t.iter()? {
        let (k, v) = item?;
        let rec: E = match codec::decode(v.value()) {
            Ok(r) => r,
            Err(e) => {
                rep.problems
                    .push(format!("{} {}: {e}", E::KIND.label(), Id(k.value())));
                continue;
            }
        };
        n += 1;
        if rec.archived() {
            archived += 1;
        }
        if rec.id().0 != k.value() {
            rep.problems.push(format!(
                "{} {}: l'identificativo interno non corrisponde alla chiave",
                E::KIND.label(),
                Id(k.value())
            ));
        }
        for (field, kind, id) in rec.references() {
            if !ids.contains(&(kind, id)) {
                rep.problems.push(format!(
                    "{} {}: il campo {field} punta a {} inesistente ({id})",
                    E::KIND.label(),
                    rec.id(),
                    kind.label()
                ));
            }
        }
        let ix = rec.index_entries();
        let c = E::KIND.code();
        exp.subjects
            .extend(ix.subjects.iter().map(|s| (c, s.0, rec.id().0)));
        exp.dates.extend(ix.day.map(|d| (c, d, rec.id().0)));
        exp.texts
            .extend(ix.texts.into_iter().map(|(i, s)| (i, s, rec.id().0)));
    }
    rep.records.insert(E::KIND, n);
    rep.archived.insert(E::KIND, archived);
    Ok(())
}

fn all_ids(txn: &ReadTransaction) -> Result<HashSet<(EntityKind, Id)>, StoreError> {
    let mut ids = HashSet::new();
    for kind in EntityKind::ALL {
        let t = txn.open_table(table_of(kind))?;
        for item in t.iter()? {
            ids.insert((kind, Id(item?.0.value())));
        }
    }
    Ok(ids)
}

fn compare<T: Ord + std::fmt::Debug>(
    name: &str,
    mut expected: Vec<T>,
    mut actual: Vec<T>,
    rep: &mut CheckReport,
) {
    expected.sort();
    actual.sort();
    rep.index_entries += actual.len() as u64;
    if expected != actual {
        let missing = expected
            .iter()
            .filter(|e| actual.binary_search(e).is_err())
            .count();
        let extra = actual
            .iter()
            .filter(|a| expected.binary_search(a).is_err())
            .count();
        rep.problems.push(format!(
            "indice {name}: {missing} voci mancanti, {extra} voci in eccesso"
        ));
    }
}

impl Store {
    /// Verifies the whole database. Errors only when the file cannot be read at all; every
    /// inconsistency found is listed in the report.
    pub fn check(&mut self) -> Result<CheckReport, StoreError> {
        let mut rep = CheckReport::default();
        match self.db_mut().check_integrity() {
            Ok(true) => {}
            Ok(false) => rep
                .problems
                .push("il file è stato riparato dall'ultima chiusura non regolare".into()),
            Err(e) => rep
                .problems
                .push(format!("controllo di integrità del file fallito: {e}")),
        }
        if let Some((counted, clock)) = self.counting_year_ahead()? {
            rep.problems.push(format!(
                "l'anno di conteggio ({counted}) è oltre l'anno dell'orologio del computer ({clock}): i casi e i progetti aperti contano in anni futuri (l'orologio è stato avanti?); `check --repair` lo riporta indietro"
            ));
        }
        let through = self.through_year()?;
        let txn = self.db_mut().begin_read()?;
        let ids = all_ids(&txn)?;
        let mut exp = Expected::default();
        check_kind::<Person>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<Household>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<Operator>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<Contact>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<Case>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<Project>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<Referral>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<Activity>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<Area>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<ServiceLine>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<Desk>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<Measure>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<TerritorialService>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<Role>(&txn, &ids, &mut exp, &mut rep)?;
        drop(ids);

        let mut actual: Vec<SubjectEntry> = Vec::new();
        for item in txn.open_multimap_table(BY_SUBJECT)?.iter()? {
            let (k, vs) = item?;
            let (kind, s) = k.value();
            for v in vs {
                actual.push((kind, s, v?.value()));
            }
        }
        compare(
            "per soggetto",
            std::mem::take(&mut exp.subjects),
            actual,
            &mut rep,
        );
        let mut actual: Vec<DateEntry> = Vec::new();
        for item in txn.open_table(BY_DATE)?.iter()? {
            actual.push(item?.0.value());
        }
        compare("per data", std::mem::take(&mut exp.dates), actual, &mut rep);
        let mut actual: Vec<TextEntry> = Vec::new();
        for item in txn.open_multimap_table(BY_TEXT)?.iter()? {
            let (k, vs) = item?;
            let (i, s) = k.value();
            for v in vs {
                actual.push((i, s.to_string(), v?.value()));
            }
        }
        compare(
            "per nome e codice fiscale",
            std::mem::take(&mut exp.texts),
            actual,
            &mut rep,
        );

        let audit = txn.open_table(AUDIT)?;
        rep.audit_entries = audit.len()?;
        for item in audit.iter()? {
            let (k, v) = item?;
            if let Err(e) = codec::decode::<AuditEntry>(v.value()) {
                rep.problems
                    .push(format!("voce del registro {}: {e}", Id(k.value())));
            }
        }

        let tally = aggregates::full_tally(|def| Ok(txn.open_table(def)?), through)?;
        let expected: Vec<_> = tally
            .totals()
            .map(|((l, y, u), n)| (l.0, y, u.code(), n))
            .collect();
        let mut actual = Vec::new();
        for item in txn.open_table(AGG_TOTALS)?.iter()? {
            let (k, v) = item?;
            let (l, y, u) = k.value();
            actual.push((l, y, u, v.value()));
        }
        rep.totals_checked = expected.len() as u64;
        if expected != actual {
            rep.problems.push("i conteggi annuali non corrispondono a un riconteggio completo (ricostruibili con `check --repair`)".into());
        }
        // Stream both sides in key order rather than holding them in memory.
        let keys = txn.open_table(AGG_KEYS)?;
        let mut actual_keys = keys.iter()?;
        let mut mismatch = false;
        let mut read_error = None;
        tally.for_each_sorted_key(|(l, y, u, k), m| {
            if mismatch || read_error.is_some() {
                return;
            }
            match actual_keys.next() {
                Some(Ok((key, v))) => {
                    if key.value() != (l.0, y, u.code(), k.0) || v.value() != m {
                        mismatch = true;
                    }
                }
                Some(Err(e)) => read_error = Some(e),
                None => mismatch = true,
            }
        });
        if let Some(e) = read_error {
            return Err(e.into());
        }
        if mismatch || actual_keys.next().is_some() {
            rep.problems.push(
                "le molteplicità dei conteggi non corrispondono a un riconteggio completo".into(),
            );
        }
        Ok(rep)
    }
}
