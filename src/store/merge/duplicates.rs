//! *Possibili doppioni*: pairs of people who may be the same person, ranked by codice
//! fiscale, name similarity and birth date. Pairs are looked for within blocks (same
//! codice fiscale, same birth date, same name), never all against all.

use crate::domain::person::fold;
use crate::domain::{BirthDate, Id, Person};
use crate::store::{Store, StoreError};
use std::collections::{BTreeSet, HashMap};

/// Why two people look like the same person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// The same codice fiscale.
    SameCodiceFiscale,
    /// The same birth date.
    SameBirthDate,
    /// The same birth year (one of the dates is approximate).
    SameBirthYear,
    /// The same surname and name (accents, case and spaces aside).
    SameName,
    /// Surname and name alike (a typing difference).
    SimilarName,
}

impl Reason {
    /// The Italian label.
    pub fn label(self) -> &'static str {
        match self {
            Reason::SameCodiceFiscale => "stesso codice fiscale",
            Reason::SameBirthDate => "stessa data di nascita",
            Reason::SameBirthYear => "stesso anno di nascita",
            Reason::SameName => "stesso cognome e nome",
            Reason::SimilarName => "cognome e nome simili",
        }
    }
}

/// A pair of people who may be the same person (`a` registered before `b`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The one registered first.
    pub a: Id,
    /// The other.
    pub b: Id,
    /// 0–100: how alike they are.
    pub score: u32,
    /// Why.
    pub reasons: Vec<Reason>,
}

impl Candidate {
    /// The reasons in Italian, joined.
    pub fn reasons_text(&self) -> String {
        self.reasons
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Edit distance between two short texts (characters).
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// How alike two folded names are, 0.0–1.0 (1: the same).
pub fn name_similarity(a: &str, b: &str) -> f64 {
    let n = a.chars().count().max(b.chars().count());
    if n == 0 {
        return 0.0;
    }
    1.0 - levenshtein(a, b) as f64 / n as f64
}

/// Names this alike, born the same day, are proposed.
const SIMILAR: f64 = 0.8;

fn assess(p: &Person, q: &Person) -> Option<Candidate> {
    let mut reasons = Vec::new();
    let mut score = 0u32;
    let cf = |p: &Person| p.codice_fiscale.clone().filter(|c| !c.is_empty());
    if let (Some(a), Some(b)) = (cf(p), cf(q))
        && a == b
    {
        reasons.push(Reason::SameCodiceFiscale);
        score += 60;
    }
    let same_date =
        matches!((p.birth, q.birth), (BirthDate::Exact(a), BirthDate::Exact(b)) if a == b);
    let same_year = !same_date && p.birth.year().is_some() && p.birth.year() == q.birth.year();
    if same_date {
        reasons.push(Reason::SameBirthDate);
        score += 20;
    } else if same_year {
        reasons.push(Reason::SameBirthYear);
        score += 8;
    }
    let (na, nb) = (p.search_key(), q.search_key());
    let sim = name_similarity(&na, &nb);
    if na == nb {
        reasons.push(Reason::SameName);
        score += 20;
    } else if sim >= SIMILAR {
        reasons.push(Reason::SimilarName);
        score += (sim * 20.0).round() as u32 - 2;
    }
    let proposed = reasons.contains(&Reason::SameCodiceFiscale)
        || (same_date && sim >= SIMILAR)
        || (na == nb
            && (same_year || p.birth == BirthDate::Unknown || q.birth == BirthDate::Unknown));
    if !proposed {
        return None;
    }
    let (a, b) = if p.id < q.id {
        (p.id, q.id)
    } else {
        (q.id, p.id)
    };
    Some(Candidate {
        a,
        b,
        score: score.min(100),
        reasons,
    })
}

/// Pairs of people (archived excluded) who may be the same person, best first.
pub fn candidates(people: &[Person]) -> Vec<Candidate> {
    let live: Vec<&Person> = people.iter().filter(|p| !p.archived).collect();
    let mut blocks: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in live.iter().enumerate() {
        if let Some(cf) = p.codice_fiscale.as_ref().filter(|c| !c.is_empty()) {
            blocks.entry(format!("cf:{cf}")).or_default().push(i);
        }
        if let BirthDate::Exact(d) = p.birth {
            blocks.entry(format!("d:{d}")).or_default().push(i);
        }
        blocks
            .entry(format!("n:{}", fold(&format!("{} {}", p.surname, p.name))))
            .or_default()
            .push(i);
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for members in blocks.values() {
        // A block as large as a whole year's births of a city is not a hint of anything.
        if members.len() > 2000 {
            continue;
        }
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                let key = (i.min(j), i.max(j));
                if !seen.insert(key) {
                    continue;
                }
                if let Some(c) = assess(live[i], live[j]) {
                    out.push(c);
                }
            }
        }
    }
    out.sort_by(|x, y| {
        y.score
            .cmp(&x.score)
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    out
}

impl Store {
    /// The *Possibili doppioni* list: pairs of people who may be the same person, best
    /// first (same codice fiscale; same birth date and alike names; same names and birth
    /// year).
    pub fn duplicate_candidates(&self) -> Result<Vec<Candidate>, StoreError> {
        let people = self.read()?.all::<Person>()?;
        Ok(candidates(&people))
    }

    /// [`Store::duplicate_candidates`] for a signed-in account with
    /// [`super::people::PERSON_MERGE_PERMISSIONS`] (names, birth dates and codici fiscali
    /// of everyone, restricted people included).
    pub fn duplicate_candidates_as(
        &self,
        session: &crate::access::Session,
    ) -> Result<Vec<Candidate>, StoreError> {
        super::people::require_person_merge(session)?;
        self.duplicate_candidates()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn person(id: u128, surname: &str, name: &str, birth: BirthDate, cf: Option<&str>) -> Person {
        Person {
            id: Id(id),
            surname: surname.into(),
            name: name.into(),
            birth,
            codice_fiscale: cf.map(str::to_string),
            ..Default::default()
        }
    }

    #[test]
    fn finds_same_cf_same_birth_and_typos_but_not_namesakes_of_other_ages() {
        let d = BirthDate::Exact(NaiveDate::from_ymd_opt(1980, 3, 4).unwrap());
        let other = BirthDate::Exact(NaiveDate::from_ymd_opt(1990, 1, 1).unwrap());
        let people = vec![
            person(1, "Rossi", "Mario", d, Some("RSSMRA80C04F205X")),
            person(2, "Rosi", "Mario", d, None),
            person(3, "Bianchi", "Anna", other, Some("RSSMRA80C04F205X")),
            person(4, "Rossi", "Mario", other, None),
        ];
        let c = candidates(&people);
        let pairs: Vec<(u128, u128)> = c.iter().map(|c| (c.a.0, c.b.0)).collect();
        assert!(pairs.contains(&(1, 2)), "{pairs:?}");
        assert!(pairs.contains(&(1, 3)), "{pairs:?}");
        assert!(!pairs.contains(&(1, 4)), "{pairs:?}");
        assert!(!pairs.contains(&(2, 4)), "{pairs:?}");
    }

    #[test]
    fn levenshtein_counts_edits() {
        assert_eq!(levenshtein("rossi", "rosi"), 1);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }
}
