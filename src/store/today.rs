//! Oggi's side of the store: its thresholds, kept in `meta` (JSON of [`TodaySettings`]),
//! and quick passes over projects, cases and referrals that read only the first fields of
//! the records they skip.

use super::access::Session;
use super::{Reader, Store, StoreError, tables::META};
use crate::domain::time::{date_serde, opt_date_serde};
use crate::domain::today::TodaySettings;
use crate::domain::*;
use chrono::NaiveDate;
use serde::Deserialize;

/// The `meta` key of Oggi's thresholds.
pub const KEY_TODAY: &str = "today_settings";

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
    /// The projects running on `day` (started on or before it, not ended before it) of
    /// `operator` (every operator's: `None`), archived included. The others are skipped
    /// after reading their first fields only, so their ledgers and registers are not
    /// decoded: at city scale (30,000 projects) this is what keeps Oggi quick.
    pub fn for_each_project_running(
        &self,
        day: NaiveDate,
        operator: Option<Id>,
        f: impl FnMut(Project),
    ) -> Result<(), StoreError> {
        self.for_each_where(
            |h: &ProjectHead| {
                h.start <= day
                    && h.end.is_none_or(|e| e >= day)
                    && operator.is_none_or(|o| h.operator == Some(o))
            },
            f,
        )
    }

    /// The cases not closed whose referente or team includes `operator` (every
    /// operator's: `None`), archived included; the others are skipped after their first
    /// fields.
    pub fn for_each_open_case(
        &self,
        operator: Option<Id>,
        f: impl FnMut(Case),
    ) -> Result<(), StoreError> {
        self.for_each_where(
            |h: &CaseHead| {
                h.status != CaseStatus::Chiusa
                    && operator.is_none_or(|o| h.referente == Some(o) || h.team.contains(&o))
            },
            f,
        )
    }

    /// The referrals made by `operator` (every operator's: `None`), archived included;
    /// the others are skipped after their first fields.
    pub fn for_each_referral_of(
        &self,
        operator: Option<Id>,
        f: impl FnMut(Referral),
    ) -> Result<(), StoreError> {
        self.for_each_where(
            |h: &ReferralHead| operator.is_none_or(|o| h.operator == Some(o)),
            f,
        )
    }
}
