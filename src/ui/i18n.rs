//! Translations with Fluent (`assets/locales/<lang>/*.ftl`, one file per screen).
//! Italian first; English available. The language is per thread (the UI thread).

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "./assets/locales",
        fallback_language: "it",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The languages of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    /// Italiano.
    #[default]
    It,
    /// English.
    En,
}

impl Lang {
    /// Every language.
    pub const ALL: [Lang; 2] = [Lang::It, Lang::En];

    /// The language's own name.
    pub fn name(self) -> &'static str {
        match self {
            Lang::It => "Italiano",
            Lang::En => "English",
        }
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Lang::It => langid!("it"),
            Lang::En => langid!("en"),
        }
    }
}

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::It) };
}

/// Sets the language of this thread's interface.
pub fn set_lang(lang: Lang) {
    CURRENT.with(|c| c.set(lang));
}

/// The language of this thread's interface.
pub fn lang() -> Lang {
    CURRENT.with(|c| c.get())
}

/// The text for `key` in the current language (Italian when missing; the key itself when
/// missing everywhere, so a forgotten string is visible, not blank).
pub fn tr(key: &str) -> String {
    LOCALES
        .try_lookup(&lang().id(), key)
        .unwrap_or_else(|| key.to_string())
}

/// The text for `key` with arguments (`{ $name }` in the .ftl file).
pub fn tr_args(key: &str, args: &[(&str, FluentValue<'static>)]) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue<'static>> = args
        .iter()
        .map(|(k, v)| (Cow::Owned(k.to_string()), v.clone()))
        .collect();
    LOCALES
        .try_lookup_with_args(&lang().id(), key, &map)
        .unwrap_or_else(|| key.to_string())
}

/// `tr!("key")` or `tr!("key", name = value, …)`.
#[macro_export]
macro_rules! tr {
    ($key:expr) => {
        $crate::ui::i18n::tr($key)
    };
    ($key:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::ui::i18n::tr_args($key, &[$((stringify!($name), ::fluent_templates::fluent_bundle::FluentValue::from($value))),+])
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(lang: &str) -> BTreeSet<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/locales")
            .join(lang);
        let mut out = BTreeSet::new();
        for entry in std::fs::read_dir(dir).expect("locale dir") {
            let text = std::fs::read_to_string(entry.expect("entry").path()).expect("ftl");
            for line in text.lines() {
                if let Some((k, _)) = line.split_once(" =")
                    && !k.starts_with([' ', '#', '-', '.'])
                    && !k.is_empty()
                {
                    out.insert(k.trim().to_string());
                }
            }
        }
        out
    }

    #[test]
    fn every_key_in_both_languages() {
        let (it, en) = (keys("it"), keys("en"));
        let missing_en: Vec<_> = it.difference(&en).collect();
        let missing_it: Vec<_> = en.difference(&it).collect();
        assert!(missing_en.is_empty(), "missing in en: {missing_en:?}");
        assert!(missing_it.is_empty(), "missing in it: {missing_it:?}");
    }

    #[test]
    fn switches_language() {
        set_lang(Lang::It);
        assert_eq!(tr("app-title"), "Accoglienza");
        assert_eq!(tr("welcome-demo"), "Carica dati di esempio");
        set_lang(Lang::En);
        assert_eq!(tr("welcome-demo"), "Load demo data");
        assert_eq!(crate::tr!("status-records", count = 3), "3 records");
        set_lang(Lang::It);
        assert_eq!(crate::tr!("status-records", count = 3), "3 record");
        assert_eq!(tr("no-such-key"), "no-such-key");
    }
}
