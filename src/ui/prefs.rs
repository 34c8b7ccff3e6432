//! Preferences of this workstation, kept with eframe storage (never in the database).

use super::i18n::Lang;
use crate::domain::Id;
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The eframe storage key.
pub const STORAGE_KEY: &str = "accoglienza-prefs";

/// Light or dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Light, for office screens (default).
    #[default]
    Light,
    /// Dark.
    Dark,
}

/// Text size steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum TextSize {
    /// Small.
    Small,
    /// Normal (default).
    #[default]
    Normal,
    /// Large.
    Large,
    /// Extra large.
    ExtraLarge,
}

impl TextSize {
    /// Every step.
    pub const ALL: [TextSize; 4] = [
        TextSize::Small,
        TextSize::Normal,
        TextSize::Large,
        TextSize::ExtraLarge,
    ];

    /// The scale applied to the default text sizes.
    pub fn scale(self) -> f32 {
        match self {
            TextSize::Small => 0.9,
            TextSize::Normal => 1.05,
            TextSize::Large => 1.25,
            TextSize::ExtraLarge => 1.5,
        }
    }

    /// The translation key of its name.
    pub fn key(self) -> &'static str {
        match self {
            TextSize::Small => "text-size-small",
            TextSize::Normal => "text-size-normal",
            TextSize::Large => "text-size-large",
            TextSize::ExtraLarge => "text-size-xlarge",
        }
    }
}

/// Who was at the desk of this workstation, for one database.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AtDesk {
    /// The operator last at the desk.
    pub operator: Option<Id>,
    /// The desk of this workstation.
    pub desk: Option<Id>,
}

/// What this workstation remembers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Theme.
    pub theme: ThemeChoice,
    /// Text size.
    pub text_size: TextSize,
    /// Language.
    pub lang: Lang,
    /// The operator last at this desk, in the database `database` (checked against it at
    /// start).
    pub operator: Option<Id>,
    /// The desk of this workstation, in the database `database`.
    pub desk: Option<Id>,
    /// The database `operator` and `desk` belong to ([`database_key`]). Two databases
    /// may share operator ids (copies of one demo, of one backup): the operator chosen in
    /// one is never signed in to another.
    pub database: Option<String>,
    /// The operator and desk remembered for the other databases opened here.
    pub other_databases: BTreeMap<String, AtDesk>,
    /// Minutes without input before the window locks (`None`: the default, 5).
    pub idle_minutes: Option<u32>,
}

impl Prefs {
    /// Makes `operator` and `desk` those remembered for the database `key` (nobody, for a
    /// database never opened here), keeping the current ones for their own database.
    pub fn for_database(&mut self, key: &str) {
        if self.database.as_deref() == Some(key) {
            return;
        }
        if let Some(old) = self.database.take() {
            let at = AtDesk {
                operator: self.operator,
                desk: self.desk,
            };
            if at != AtDesk::default() {
                self.other_databases.insert(old, at);
            }
        }
        let found = self.other_databases.remove(key).unwrap_or_default();
        self.operator = found.operator;
        self.desk = found.desk;
        self.database = Some(key.to_string());
    }
}

/// What identifies a database for the preferences: its identity (kept by restores) and
/// its file, so two copies of one database are two databases here.
pub fn database_key(store: &Store) -> String {
    let id = store
        .database_id()
        .map(|i| i.to_string())
        .unwrap_or_default();
    let path = store
        .path()
        .canonicalize()
        .unwrap_or_else(|_| store.path().to_path_buf());
    format!("{id}@{}", path.display())
}
