//! Preferences of this workstation, kept with eframe storage (never in the database).

use super::i18n::Lang;
use crate::domain::Id;
use serde::{Deserialize, Serialize};

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
    /// The operator last at this desk (checked against the database at start).
    pub operator: Option<Id>,
    /// The desk of this workstation.
    pub desk: Option<Id>,
}
