//! Pratiche (issue 15) as lists and figures: the list filtered by state, bando, desk,
//! operator and year; the pratiche at risk (the bando closes soon and documents are still
//! missing), for the Oggi screen; and, per bando and year, how many were opened, sent,
//! accepted and refused and the amount granted (dashboard and annual report).
//!
//! Counting rule: each figure counts in the year of its own event — opened in the year of
//! the request, sent in the year it was first sent, accepted or refused in the year of the
//! outcome (and the amount with the acceptance) — so a pratica opened in December and
//! accepted in March counts as opened in one year and accepted in the next. Archived
//! pratiche never count.

use crate::domain::*;
use crate::store::{Reader, StoreError};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, HashMap};

/// What a list of pratiche is filtered by (`None`: any).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PraticaFilter {
    /// Only in this state.
    pub state: Option<PraticaState>,
    /// Only for this bando.
    pub bando: Option<Id>,
    /// Only at this desk.
    pub desk: Option<Id>,
    /// Only followed by this operator.
    pub operator: Option<Id>,
    /// Only requested in this year.
    pub year: Option<i32>,
}

impl PraticaFilter {
    /// Whether a pratica passes the filter (archived ones never do).
    pub fn matches(&self, p: &Pratica) -> bool {
        !p.archived
            && self.state.is_none_or(|s| s == p.state)
            && self.bando.is_none_or(|b| b == p.bando)
            && self.desk.is_none_or(|d| d == p.desk)
            && self.operator.is_none_or(|o| o == p.operator)
            && self.year.is_none_or(|y| y == p.requested_on.year())
    }
}

/// The pratiche the filter lets through, most recently changed first.
pub fn list(r: &Reader, filter: &PraticaFilter) -> Result<Vec<Pratica>, StoreError> {
    let mut v: Vec<Pratica> = Vec::new();
    r.for_each(|p: Pratica| {
        if filter.matches(&p) {
            v.push(p);
        }
    })?;
    v.sort_by(|a, b| {
        (b.last_change(), b.requested_on, b.id).cmp(&(a.last_change(), a.requested_on, a.id))
    });
    Ok(v)
}

/// A pratica at risk: still open, its bando closes within the days asked, and documents
/// are missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Overdue {
    /// The pratica.
    pub pratica: Pratica,
    /// Its bando's closing day.
    pub closes: NaiveDate,
    /// Days left until closing (0: closes today).
    pub days_left: i64,
    /// How many required documents are missing.
    pub missing: usize,
}

/// The open pratiche (informato, in preparazione, in attesa di integrazione) whose bando
/// closes between `today` and `today + days` and with documents still missing, soonest
/// closing first. For the Oggi screen.
pub fn overdue_pratiche(
    r: &Reader,
    today: NaiveDate,
    days: i64,
) -> Result<Vec<Overdue>, StoreError> {
    let closes: HashMap<Id, NaiveDate> = r
        .all::<Bando>()?
        .into_iter()
        .filter_map(|b| b.closes.map(|c| (b.id, c)))
        .collect();
    let mut out = Vec::new();
    r.for_each(|p: Pratica| {
        let open = matches!(
            p.state,
            PraticaState::Informato
                | PraticaState::InPreparazione
                | PraticaState::InAttesaIntegrazione
        );
        if p.archived || !open || p.missing_documents() == 0 {
            return;
        }
        if let Some(&c) = closes.get(&p.bando) {
            let left = (c - today).num_days();
            if (0..=days).contains(&left) {
                out.push(Overdue {
                    missing: p.missing_documents(),
                    pratica: p,
                    closes: c,
                    days_left: left,
                });
            }
        }
    })?;
    out.sort_by_key(|o| (o.days_left, std::cmp::Reverse(o.missing), o.pratica.id));
    Ok(out)
}

/// One bando's figures in one year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BandoFigures {
    /// Pratiche requested in the year.
    pub opened: u64,
    /// Pratiche first sent in the year.
    pub sent: u64,
    /// Pratiche accepted in the year.
    pub accepted: u64,
    /// Pratiche refused in the year.
    pub refused: u64,
    /// The amount granted to the pratiche accepted in the year, in cents.
    pub granted_cents: i64,
}

impl BandoFigures {
    /// True when nothing happened.
    pub fn is_empty(&self) -> bool {
        *self == BandoFigures::default()
    }
}

/// One row of the per-bando table.
#[derive(Debug, Clone, PartialEq)]
pub struct BandoRow {
    /// The bando.
    pub bando: Bando,
    /// The year.
    pub year: i32,
    /// Its figures.
    pub figures: BandoFigures,
}

/// Per bando and year, the pratiche opened, sent, accepted and refused and the amount
/// granted (rule in the module's comment); rows in bando code then year order, only the
/// rows where something happened. `year` keeps one year.
pub fn figures_by_bando(r: &Reader, year: Option<i32>) -> Result<Vec<BandoRow>, StoreError> {
    let bandi: HashMap<Id, Bando> = r.all::<Bando>()?.into_iter().map(|b| (b.id, b)).collect();
    let mut acc: BTreeMap<(Id, i32), BandoFigures> = BTreeMap::new();
    r.for_each(|p: Pratica| {
        if p.archived {
            return;
        }
        let mut add = |on: NaiveDate, f: &dyn Fn(&mut BandoFigures)| {
            if year.is_none_or(|y| y == on.year()) {
                f(acc.entry((p.bando, on.year())).or_default());
            }
        };
        add(p.requested_on, &|f| f.opened += 1);
        if let Some(on) = p.entered(PraticaState::Inviata) {
            add(on, &|f| f.sent += 1);
        }
        if let Some(on) = p.entered(PraticaState::Accolta) {
            let cents = p.amount_cents.unwrap_or(0);
            add(on, &|f| {
                f.accepted += 1;
                f.granted_cents += cents;
            });
        }
        if let Some(on) = p.entered(PraticaState::Respinta) {
            add(on, &|f| f.refused += 1);
        }
    })?;
    let mut rows: Vec<BandoRow> = acc
        .into_iter()
        .filter_map(|((b, y), figures)| {
            bandi.get(&b).map(|bando| BandoRow {
                bando: bando.clone(),
                year: y,
                figures,
            })
        })
        .collect();
    rows.sort_by(|a, b| (&a.bando.code, a.year).cmp(&(&b.bando.code, b.year)));
    Ok(rows)
}

/// The sum of the rows' figures.
pub fn total(rows: &[BandoRow]) -> BandoFigures {
    rows.iter().fold(BandoFigures::default(), |mut t, r| {
        t.opened += r.figures.opened;
        t.sent += r.figures.sent;
        t.accepted += r.figures.accepted;
        t.refused += r.figures.refused;
        t.granted_cents += r.figures.granted_cents;
        t
    })
}

/// How long before a pratica was opened a contact about its measure still belongs to it:
/// the desk informs and collects documents before the application is opened.
pub const CONTACTS_BEFORE_DAYS: i64 = 90;

/// The contacts at the desk that worked on pratica `p`, oldest first: the contacts about
/// its subject — for a person also those about their household, for a household also
/// those about its members — that name the bando's measure, from
/// [`CONTACTS_BEFORE_DAYS`] before the request to the day the pratica reached a final
/// state (no end while it is open). The link is read from the contact's measure, which
/// the desk already records, rather than stored twice. Read through the session's `Reader`:
/// contacts it may not see are left out.
pub fn desk_contacts(r: &Reader, p: &Pratica) -> Result<Vec<Contact>, StoreError> {
    let Some(bando) = r.get::<Bando>(p.bando)? else {
        return Ok(Vec::new());
    };
    let mut subjects = vec![p.subject.id()];
    match p.subject {
        Subject::Person(id) => {
            if let Some(m) = r.get::<Person>(id)?.and_then(|x| x.household) {
                subjects.push(m.household);
            }
        }
        Subject::Household(id) => subjects.extend(r.members(id)?.into_iter().map(|m| m.id)),
    }
    let from = p.requested_on - chrono::Duration::days(CONTACTS_BEFORE_DAYS);
    let to = p
        .state
        .is_final()
        .then(|| p.history.last().map(|c| c.on))
        .flatten();
    let mut out: Vec<Contact> = Vec::new();
    for s in subjects {
        for c in r.by_subject::<Contact>(s)? {
            let day = c.at.date();
            if !c.archived
                && c.measure == Some(bando.measure)
                && day >= from
                && to.is_none_or(|t| day <= t)
            {
                out.push(c);
            }
        }
    }
    out.sort_by_key(|c| (c.at, c.id));
    out.dedup_by_key(|c| c.id);
    Ok(out)
}
