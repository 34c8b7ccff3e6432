//! The thresholds of Oggi, kept in `meta` (JSON of [`TodaySettings`]).

use super::access::Session;
use super::{Store, StoreError, tables::META};
use crate::domain::Permission;
use crate::domain::today::TodaySettings;

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
