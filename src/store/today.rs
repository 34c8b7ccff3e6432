//! Oggi's side of the store: its thresholds, kept in `meta` (JSON of [`TodaySettings`]),
//! its **agenda index** (tag [`derived::AGENDA`] of the derived table: the messe alla
//! prova and tirocini not archived by operator and end day, the open cases with goals to
//! review by referente and team member and earliest review, the referrals «In attesa» by
//! operator and follow-up day — see [`IndexEntries::agenda`](super::entity::IndexEntries)),
//! and the passes over projects, cases and referrals that read through it (or, to check
//! it, through every record's first fields).
//!
//! The writer keeps the index in each record's own transaction, like the subject and day
//! indexes; restores and schema conversions build it with the other indexes; a database
//! made before it gets it once at open (marker [`KEY_AGENDA_INDEX`] in `meta`).

use super::access::Session;
use super::derived::{self, AGENDA, DERIVED, IndexBuilder};
use super::entity::{AGENDA_OPEN_END, Entity};
use super::{Reader, Store, StoreError, codec, tables::META};
use crate::domain::time::{date_serde, datetime_serde, day_number, opt_date_serde};
use crate::domain::today::TodaySettings;
use crate::domain::*;
use chrono::NaiveDate;
use serde::Deserialize;

/// The `meta` key of Oggi's thresholds.
pub const KEY_TODAY: &str = "today_settings";

/// The `meta` key set (to 1) once the agenda index is complete: a database without it gets
/// the index built at open.
pub const KEY_AGENDA_INDEX: &str = "agenda_index";

/// How Oggi's passes find their records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// Through the agenda index: only the records that can be due (what the screen uses).
    Index,
    /// Through every record's first fields: the reference the index is checked against
    /// (tests), slower at city scale.
    Scan,
}

/// The permission that sees Oggi across the team and changes its thresholds: the team's
/// editors (Équipe: coordinators and administrators).
pub const TEAM_PERMISSION: Permission = Permission::Equipe;

impl Store {
    /// Oggi's thresholds (the defaults until a coordinator changes them).
    pub fn today_settings(&self) -> Result<TodaySettings, StoreError> {
        Ok(self
            .meta_bytes(KEY_TODAY)?
            .and_then(|b| serde_json::from_slice::<TodaySettings>(&b).ok())
            .unwrap_or_default()
            .clamped())
    }

    /// Changes Oggi's thresholds (needs [`TEAM_PERMISSION`]).
    pub fn set_today_settings_as(
        &self,
        session: &Session,
        s: &TodaySettings,
    ) -> Result<(), StoreError> {
        if !session.may(TEAM_PERMISSION) || session.must_change() {
            return Err(super::access::denied(
                "Solo chi coordina l'équipe può cambiare le soglie di Oggi",
            ));
        }
        let bytes = serde_json::to_vec(&s.clamped()).map_err(|e| StoreError::Db(e.to_string()))?;
        let mut txn = self.db.begin_write()?;
        txn.set_durability(redb::Durability::Immediate)?;
        txn.open_table(META)?.insert(KEY_TODAY, bytes.as_slice())?;
        txn.commit()?;
        Ok(())
    }

    /// Builds the agenda index when the database does not have it yet (made before it), in
    /// one transaction, reporting progress: every project, case and referral is read once.
    pub(crate) fn ensure_agenda_index(
        &self,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<(), StoreError> {
        if self.meta_flag(KEY_AGENDA_INDEX)? {
            return Ok(());
        }
        let mut txn = self.db.begin_write()?;
        txn.set_durability(redb::Durability::Immediate)?;
        build_agenda_index(&txn, progress)?;
        txn.open_table(META)?
            .insert(KEY_AGENDA_INDEX, [1u8].as_slice())?;
        txn.commit()?;
        Ok(())
    }
}

/// Replaces every agenda entry of the derived table by those the records say.
fn build_agenda_index(
    txn: &redb::WriteTransaction,
    progress: &mut dyn FnMut(&str, u64, u64),
) -> Result<(), StoreError> {
    const LABEL: &str = "Indice di Oggi";
    fn add<E: Entity>(
        txn: &redb::WriteTransaction,
        b: &mut IndexBuilder,
        done: &mut u64,
        total: u64,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<(), StoreError> {
        let t = txn.open_table(E::TABLE)?;
        for item in t.iter()? {
            let (k, v) = item?;
            let rec: E = codec::decode(v.value())?;
            for (op, day) in rec.index_entries().agenda {
                b.agenda(E::KIND.code(), op.0, day, k.value());
            }
            *done += 1;
            if (*done).is_multiple_of(5000) {
                progress(LABEL, *done, total);
            }
        }
        Ok(())
    }
    use redb::{ReadableTable, ReadableTableMetadata};
    let total = txn.open_table(Project::TABLE)?.len()?
        + txn.open_table(Case::TABLE)?.len()?
        + txn.open_table(Referral::TABLE)?.len()?;
    progress(LABEL, 0, total);
    let mut b = IndexBuilder::default();
    let mut done = 0;
    add::<Project>(txn, &mut b, &mut done, total, progress)?;
    add::<Case>(txn, &mut b, &mut done, total, progress)?;
    add::<Referral>(txn, &mut b, &mut done, total, progress)?;
    let mut t = txn.open_table(DERIVED)?;
    t.retain_in([AGENDA].as_slice()..[AGENDA + 1].as_slice(), |_, _| false)?;
    b.for_each_bucket(|k, v| {
        t.insert(k, v)?;
        Ok(())
    })?;
    progress(LABEL, total, total);
    Ok(())
}

/// A case's agenda entries: not closed nor archived, with goals not achieved that have a
/// review date — under the referente and each member of the team (nobody: [`Id::NIL`]),
/// filed under the earliest of those reviews.
pub(super) fn case_agenda(c: &Case) -> Vec<(Id, i32)> {
    if c.archived || c.status == CaseStatus::Chiusa {
        return vec![];
    }
    let Some(review) = c
        .plan
        .iter()
        .filter(|g| !g.done)
        .filter_map(|g| g.review)
        .min()
    else {
        return vec![];
    };
    let day = day_number(review);
    let mut ops: Vec<Id> = c
        .referente
        .into_iter()
        .chain(c.team.iter().copied())
        .collect();
    ops.sort();
    ops.dedup();
    if ops.is_empty() {
        ops.push(Id::NIL);
    }
    ops.into_iter().map(|o| (o, day)).collect()
}

/// The first fields of a stored [`Project`], enough to tell whether it runs on a day and
/// whose it is (never hidden from a viewer).
#[derive(Deserialize)]
struct ProjectHead {
    _id: Id,
    _person: Id,
    _line: Id,
    #[serde(with = "date_serde")]
    start: NaiveDate,
    #[serde(with = "opt_date_serde")]
    end: Option<NaiveDate>,
    operator: Option<Id>,
}

/// The first fields of a stored [`Contact`], up to its operator.
#[derive(Deserialize)]
struct ContactHead {
    _id: Id,
    #[serde(with = "datetime_serde")]
    _at: chrono::NaiveDateTime,
    _subject: Subject,
    _line: Id,
    _desk: Id,
    operator: Id,
}

/// The first fields of a stored [`Case`], up to its referente and team.
#[derive(Deserialize)]
struct CaseHead {
    _id: Id,
    _subject: Subject,
    _line: Id,
    #[serde(with = "date_serde")]
    _opened: NaiveDate,
    #[serde(with = "opt_date_serde")]
    _closed: Option<NaiveDate>,
    status: CaseStatus,
    referente: Option<Id>,
    team: Vec<Id>,
}

/// The first fields of a stored [`Referral`], up to its operator.
#[derive(Deserialize)]
struct ReferralHead {
    _id: Id,
    _subject: Subject,
    #[serde(with = "date_serde")]
    _date: NaiveDate,
    _service: Id,
    _line: Option<Id>,
    operator: Option<Id>,
}

impl Reader {
    /// The ids in the agenda index of records of `kind` of `operator` (everyone's:
    /// `None`) filed under a day from `from` to `to` (inclusive), sorted. Every operator's
    /// keys are read by one range each: the keys outside the days are skipped by a seek.
    fn agenda_ids(
        &self,
        kind: EntityKind,
        operator: Option<Id>,
        from: i32,
        to: i32,
    ) -> Result<Vec<u128>, StoreError> {
        let idx = self.txn().open_table(DERIVED)?;
        let k = kind.code();
        let (first, last) = match operator {
            Some(o) => (o.0, o.0),
            None => (0, u128::MAX),
        };
        let end = derived::agenda_key(k, last, to);
        let mut start = derived::agenda_key(k, first, from);
        let mut ids = Vec::new();
        loop {
            let mut seek = None;
            for item in idx.range(start.as_slice()..=end.as_slice())? {
                let (key, v) = item?;
                let (op, day) = derived::parse_agenda_key(key.value()).ok_or_else(|| {
                    StoreError::Corrupt("chiave dell'indice di Oggi illeggibile".into())
                })?;
                if day < from {
                    seek = Some(derived::agenda_key(k, op, from));
                    break;
                }
                if day > to {
                    if op < last {
                        seek = Some(derived::agenda_key(k, op + 1, from));
                    }
                    break;
                }
                ids.extend(derived::ids(v.value())?);
            }
            match seek {
                Some(s) => start = s,
                None => break,
            }
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// The messe alla prova and tirocini not archived and not ended before `day` of
    /// `operator` (every operator's: `None`) — through the agenda index; with
    /// [`Via::Scan`], every project running on `day` (archived and other kinds included),
    /// the others skipped after their first fields. Either way a superset of the projects
    /// Oggi shows; the caller applies its rules to each.
    pub fn for_each_project_running(
        &self,
        day: NaiveDate,
        operator: Option<Id>,
        via: Via,
        f: impl FnMut(Project),
    ) -> Result<(), StoreError> {
        match via {
            Via::Index => {
                let ids = self.agenda_ids(
                    EntityKind::Project,
                    operator,
                    day_number(day),
                    AGENDA_OPEN_END,
                )?;
                self.for_each_id(&ids, f)
            }
            Via::Scan => self.for_each_where(
                |h: &ProjectHead| {
                    h.start <= day
                        && h.end.is_none_or(|e| e >= day)
                        && operator.is_none_or(|o| h.operator == Some(o))
                },
                f,
            ),
        }
    }

    /// The cases not closed nor archived with goals not achieved whose review is `day` or
    /// before, whose referente or team includes `operator` (every operator's: `None`) —
    /// through the agenda index; with [`Via::Scan`], every case not closed of `operator`
    /// (archived included), the others skipped after their first fields.
    pub fn for_each_open_case(
        &self,
        day: NaiveDate,
        operator: Option<Id>,
        via: Via,
        f: impl FnMut(Case),
    ) -> Result<(), StoreError> {
        match via {
            Via::Index => {
                let ids = self.agenda_ids(EntityKind::Case, operator, i32::MIN, day_number(day))?;
                self.for_each_id(&ids, f)
            }
            Via::Scan => self.for_each_where(
                |h: &CaseHead| {
                    h.status != CaseStatus::Chiusa
                        && operator.is_none_or(|o| h.referente == Some(o) || h.team.contains(&o))
                },
                f,
            ),
        }
    }

    /// The referrals «In attesa», not archived, whose follow-up is `day` or before, made by
    /// `operator` (every operator's: `None`) — through the agenda index; with
    /// [`Via::Scan`], every referral of `operator` (archived included), the others skipped
    /// after their first fields.
    pub fn for_each_referral_of(
        &self,
        day: NaiveDate,
        operator: Option<Id>,
        via: Via,
        f: impl FnMut(Referral),
    ) -> Result<(), StoreError> {
        match via {
            Via::Index => {
                let ids =
                    self.agenda_ids(EntityKind::Referral, operator, i32::MIN, day_number(day))?;
                self.for_each_id(&ids, f)
            }
            Via::Scan => self.for_each_where(
                |h: &ReferralHead| operator.is_none_or(|o| h.operator == Some(o)),
                f,
            ),
        }
    }

    /// The contacts filed from `from` to `to` (inclusive) held by `operator` (everyone's:
    /// `None`), in id order (not date order), as the session may see them; the other operators'
    /// contacts are skipped after their first fields.
    pub fn for_each_contact_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        operator: Option<Id>,
        f: impl FnMut(Contact),
    ) -> Result<(), StoreError> {
        let mut ids: Vec<u128> = self
            .ids_by_date(EntityKind::Contact, from, to)?
            .into_iter()
            .map(|i| i.0)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        self.for_each_id_where(
            &ids,
            |h: &ContactHead| operator.is_none_or(|o| h.operator == o),
            f,
        )
    }

    /// Of `people`, those with no informativa in their privacy log (what
    /// [`Reader::privacy_state`] says, refused likewise): the people without any entry in
    /// the log are told from the subject index, in id order, without reading a record.
    pub fn without_informativa(&self, people: &[Id]) -> Result<Vec<Id>, StoreError> {
        let mut sorted = people.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let logged: Vec<bool> = {
            let idx = self.txn().open_table(DERIVED)?;
            let k = EntityKind::PrivacyEntry.code();
            let mut v = Vec::with_capacity(sorted.len());
            for p in &sorted {
                v.push(idx.get(derived::subject_key(k, p.0).as_slice())?.is_some());
            }
            v
        };
        let mut out = Vec::new();
        for (p, logged) in sorted.into_iter().zip(logged) {
            let missing = if logged {
                self.privacy_state(p)?.informativa.is_none()
            } else {
                self.check_kind(EntityKind::PrivacyEntry, Some(p))?;
                true
            };
            if missing {
                out.push(p);
            }
        }
        Ok(out)
    }
}
