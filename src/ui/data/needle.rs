//! What was typed in a search box, parsed once into folded words (and a piece of codice
//! fiscale) with their substring searchers.

use crate::domain::person::fold;

/// A search query, parsed once: folded words that must all appear in the name, or a
/// piece of codice fiscale. Each word's substring searcher is built once, so matching
/// 200,000 names is a SIMD scan per name, not a searcher set-up per name.
#[derive(Debug, Clone, Default)]
pub struct Needle {
    pub(super) words: Vec<String>,
    code: Option<String>,
    pub(super) finders: Vec<memchr::memmem::Finder<'static>>,
    pub(super) code_finder: Option<memchr::memmem::Finder<'static>>,
}

impl PartialEq for Needle {
    fn eq(&self, other: &Self) -> bool {
        self.words == other.words && self.code == other.code
    }
}

impl Eq for Needle {}

impl Needle {
    /// Parses what was typed.
    pub fn new(query: &str) -> Needle {
        let folded = fold(query);
        let words: Vec<String> = folded
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect();
        // A single word with digits is also looked up as (part of) a codice fiscale.
        let code = (words.len() == 1 && words[0].chars().any(|c| c.is_ascii_digit()))
            .then(|| words[0].to_uppercase());
        let finders = words
            .iter()
            .map(|w| memchr::memmem::Finder::new(w.as_bytes()).into_owned())
            .collect();
        let code_finder = code
            .as_ref()
            .map(|c| memchr::memmem::Finder::new(c.as_bytes()).into_owned());
        Needle {
            words,
            code,
            finders,
            code_finder,
        }
    }

    /// True when nothing was typed.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Does a folded name (and optional codice fiscale) match?
    pub fn matches(&self, key: &str, cf: &str) -> bool {
        if let Some(f) = &self.code_finder
            && !cf.is_empty()
            && f.find(cf.as_bytes()).is_some()
        {
            return true;
        }
        self.finders
            .iter()
            .all(|f| f.find(key.as_bytes()).is_some())
    }

    /// True when the name starts with the first word (ranked first in suggestions).
    pub fn is_prefix(&self, key: &str) -> bool {
        self.words
            .first()
            .is_some_and(|w| key.starts_with(w.as_str()))
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needles() {
        let n = Needle::new("Ross Mar");
        assert!(n.matches("rossi mario", ""));
        assert!(!n.matches("rossi luigi", ""));
        let cf = Needle::new("85t10");
        assert!(cf.matches("rossi mario", "RSSMRA85T10A562S"));
        assert!(Needle::new("D'Àngelo").matches("d'angelo niccolo", ""));
    }
}
