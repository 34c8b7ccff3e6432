//! `accoglienza check`: the file's own integrity, every record decodable, every index entry
//! matching the records, every reference resolvable and the counts equal to a recount.

use super::derived::{self, DERIVED, IndexBuilder};
use super::entity::{Entity, table_of};
use super::tables::*;
use super::{Store, StoreError, aggregates, audit, codec};
use crate::domain::*;
use redb::{ReadTransaction, ReadableDatabase, ReadableTable, ReadableTableMetadata};
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
    /// Audit entries in the hash chain (the others were written before it).
    pub audit_chained: u64,
    /// The hash of the last entry of the chain, in hex.
    pub audit_head: Option<String>,
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

fn check_kind<E: Entity>(
    txn: &ReadTransaction,
    ids: &HashSet<(EntityKind, Id)>,
    exp: &mut IndexBuilder,
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
        exp.record(E::KIND.code(), rec.id().0, &rec.index_entries());
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

/// Compares the derived table with what the records say it must hold, streaming both in
/// key order: index buckets first (tags below [`derived::TOTAL`]), then the counts.
fn compare_derived(
    txn: &ReadTransaction,
    index: IndexBuilder,
    tally: &crate::domain::counting::Tally,
    rep: &mut CheckReport,
) -> Result<(), StoreError> {
    let t = txn.open_table(DERIVED)?;
    let mut actual = t.iter()?;
    let mut index_wrong = 0u64;
    let mut counts_wrong = 0u64;
    // One expected entry against the table: entries the table has before it are extra.
    let mut expect =
        |key: &[u8], value: &[u8], wrong: &mut u64, n: &mut u64| -> Result<(), StoreError> {
            *n += 1;
            loop {
                let Some(item) = actual.next() else {
                    *wrong += 1;
                    return Ok(());
                };
                let (k, v) = item?;
                match k.value().cmp(key) {
                    std::cmp::Ordering::Less => {
                        if k.value().first().is_some_and(|t| *t < derived::TOTAL) {
                            index_wrong += 1;
                        } else {
                            counts_wrong += 1;
                        }
                    }
                    std::cmp::Ordering::Equal => {
                        if v.value() != value {
                            *wrong += 1;
                        }
                        return Ok(());
                    }
                    std::cmp::Ordering::Greater => {
                        // Missing here; the entry read belongs to a later expected key.
                        *wrong += 1;
                        actual = t.range(k.value()..)?;
                        return Ok(());
                    }
                }
            }
        };
    let (mut idx_wrong, mut idx_n) = (0u64, 0u64);
    index.for_each_bucket(|k, v| expect(k, v, &mut idx_wrong, &mut idx_n))?;
    let (mut cnt_wrong, mut cnt_n) = (0u64, 0u64);
    aggregates::for_each_count_entry(tally, |k, v| expect(k, v, &mut cnt_wrong, &mut cnt_n))?;
    for item in actual {
        let (k, _) = item?;
        if k.value().first().is_some_and(|t| *t < derived::TOTAL) {
            index_wrong += 1;
        } else {
            counts_wrong += 1;
        }
    }
    rep.index_entries += idx_n;
    let index_wrong = index_wrong + idx_wrong;
    let counts_wrong = counts_wrong + cnt_wrong;
    if index_wrong > 0 {
        rep.problems.push(format!(
            "indici: {index_wrong} voci mancanti, diverse o in eccesso"
        ));
    }
    if counts_wrong > 0 {
        rep.problems.push("i conteggi annuali non corrispondono a un riconteggio completo (ricostruibili con `check --repair`)".into());
    }
    Ok(())
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
        let mut exp = IndexBuilder::default();
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
        check_kind::<AccessRole>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<Account>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<Purpose>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<PrivacyEntry>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<Appointment>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<DocumentKind>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<Bando>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<Pratica>(&txn, &ids, &mut exp, &mut rep)?;
        check_kind::<Document>(&txn, &ids, &mut exp, &mut rep)?;
        drop(ids);
        // Every document's chunks present and matching its SHA-256; no chunk of nobody's.
        super::documents::check_contents(&txn, &mut rep.problems)?;

        // The audit log's hash chain: every link, and the head kept in `meta`.
        let audit_table = txn.open_table(AUDIT)?;
        rep.audit_entries = audit_table.len()?;
        let head = txn
            .open_table(META)?
            .get(audit::KEY_HEAD)?
            .and_then(|v| audit::parse_head(v.value()));
        let entries = audit_table.iter()?.map(|item| {
            let (k, v) = item?;
            Ok((k.value(), v.value().to_vec()))
        });
        let chain = audit::verify(entries, head)?;
        rep.audit_chained = rep.audit_entries - chain.unchained;
        rep.audit_head = chain.head.map(|(_, h)| audit::hex(&h));
        rep.problems.extend(chain.problems);

        let tally = aggregates::full_tally(|def| Ok(txn.open_table(def)?), through)?;
        rep.totals_checked = tally.totals().count() as u64;
        compare_derived(&txn, exp, &tally, &mut rep)?;
        Ok(rep)
    }
}
