//! The cartella's timeline: every record about the person (and their household) the
//! account may see, as dated lines.

use super::super::labels;
use super::super::table::{Col, col};
use super::super::{Env, widgets};
use crate::domain::*;
use crate::store::Reader;
use crate::tr;
use chrono::{NaiveDate, NaiveDateTime};

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// When.
    pub at: NaiveDateTime,
    /// What kind of record.
    pub kind: EntityKind,
    /// The record.
    pub id: Id,
    /// What happened.
    pub what: String,
    /// Service line or territorial service.
    pub line: String,
    /// Details.
    pub detail: String,
    /// Who.
    pub operator: String,
    /// About the whole household.
    pub household: bool,
    /// Archived record.
    pub archived: bool,
}

pub(super) const COLS: [Col; 5] = [
    col("timeline-col-date", 120.0),
    col("timeline-col-what", 170.0),
    col("timeline-col-line", 230.0),
    col("timeline-col-detail", 260.0),
    col("timeline-col-operator", 140.0),
];

fn at_day(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).expect("midnight")
}

/// The records of a kind about a subject, or none when the account may not read that
/// kind (noted in `hidden`: the page says what it does not show).
fn visible<E: crate::store::Entity>(
    r: &Reader,
    subject: Id,
    hidden: &mut Vec<EntityKind>,
) -> Result<Vec<E>, crate::store::StoreError> {
    match r.by_subject::<E>(subject) {
        Err(crate::store::StoreError::Denied(_)) => {
            if !hidden.contains(&E::KIND) {
                hidden.push(E::KIND);
            }
            Ok(vec![])
        }
        other => other,
    }
}

/// Everything about a person the account may see, read from one snapshot; the kinds it
/// may not see are listed in `hidden`.
pub fn timeline(
    r: &Reader,
    env: &Env,
    p: &Person,
    hidden: &mut Vec<EntityKind>,
) -> Result<Vec<Event>, crate::store::StoreError> {
    let cat = &env.data.catalog;
    let mut out = Vec::new();
    let mut subjects = vec![(p.id, false)];
    if let Some(m) = p.household {
        subjects.push((m.household, true));
    }
    for (s, hh) in subjects.iter().copied() {
        for c in visible::<Contact>(r, s, hidden)? {
            let mut detail = c
                .measure
                .map(|m| cat.name(m).to_string())
                .unwrap_or_default();
            if c.minutes > 0 {
                if !detail.is_empty() {
                    detail.push_str(" — ");
                }
                detail.push_str(&format!("{} min", c.minutes));
            }
            if !c.note.is_empty() && !c.confidential {
                if !detail.is_empty() {
                    detail.push_str(" — ");
                }
                detail.push_str(c.note.lines().next().unwrap_or(""));
            }
            out.push(Event {
                at: c.at,
                kind: EntityKind::Contact,
                id: c.id,
                what: format!(
                    "{}: {}",
                    tr!("timeline-contact"),
                    labels::contact_kind(c.kind)
                ),
                line: cat.name(c.line).to_string(),
                detail,
                operator: cat.name(c.operator).to_string(),
                household: hh,
                archived: c.archived,
            });
        }
        for c in visible::<Case>(r, s, hidden)? {
            out.push(Event {
                at: at_day(c.opened),
                kind: EntityKind::Case,
                id: c.id,
                what: format!(
                    "{} ({})",
                    tr!("timeline-case-open"),
                    labels::case_status(c.status)
                ),
                line: cat.name(c.line).to_string(),
                detail: c.need.lines().next().unwrap_or("").to_string(),
                operator: cat.name_opt(c.referente).to_string(),
                household: hh,
                archived: c.archived,
            });
            if let Some(d) = c.closed {
                out.push(Event {
                    at: at_day(d),
                    kind: EntityKind::Case,
                    id: c.id,
                    what: tr!("timeline-case-closed"),
                    line: cat.name(c.line).to_string(),
                    detail: c.outcome.lines().next().unwrap_or("").to_string(),
                    operator: cat.name_opt(c.referente).to_string(),
                    household: hh,
                    archived: c.archived,
                });
            }
        }
        for x in visible::<Referral>(r, s, hidden)? {
            out.push(Event {
                at: at_day(x.date),
                kind: EntityKind::Referral,
                id: x.id,
                what: tr!("timeline-referral"),
                line: cat.name(x.service).to_string(),
                detail: format!(
                    "{} — {}",
                    labels::referral_outcome(x.outcome),
                    x.reason.lines().next().unwrap_or("")
                ),
                operator: cat.name_opt(x.operator).to_string(),
                household: hh,
                archived: x.archived,
            });
        }
    }
    for pr in visible::<Project>(r, p.id, hidden)? {
        let kind = labels::ProjectType::of(&pr.kind).label();
        let detail = match &pr.kind {
            ProjectKind::Tirocinio { host, .. } => host.clone(),
            ProjectKind::MessaAllaProva { hours_required, .. } => tr!(
                "timeline-map-hours",
                done = widgets::fmt_hours(pr.minutes_done()),
                required = *hours_required as i64
            ),
            ProjectKind::CaseManager { referente, .. } => cat.name_opt(*referente).to_string(),
            ProjectKind::SostegnoStudio { school, need, .. } => {
                format!("{school} — {}", labels::school_need(*need))
            }
        };
        out.push(Event {
            at: at_day(pr.start),
            kind: EntityKind::Project,
            id: pr.id,
            what: format!("{}: {kind}", tr!("timeline-project-start")),
            line: cat.name(pr.line).to_string(),
            detail: detail.clone(),
            operator: cat.name_opt(pr.operator).to_string(),
            household: false,
            archived: pr.archived,
        });
        if let Some(e) = pr.end {
            out.push(Event {
                at: at_day(e),
                kind: EntityKind::Project,
                id: pr.id,
                what: format!("{}: {kind}", tr!("timeline-project-end")),
                line: cat.name(pr.line).to_string(),
                detail,
                operator: cat.name_opt(pr.operator).to_string(),
                household: false,
                archived: pr.archived,
            });
        }
    }
    for a in visible::<Activity>(r, p.id, hidden)? {
        let attended: Vec<&Session> = a
            .sessions
            .iter()
            .filter(|s| s.attendees.contains(&p.id))
            .collect();
        let first = a
            .sessions
            .iter()
            .map(|s| s.date)
            .min()
            .unwrap_or_else(crate::domain::time::today);
        out.push(Event {
            at: at_day(first),
            kind: EntityKind::Activity,
            id: a.id,
            what: tr!("timeline-activity"),
            line: cat.name(a.line).to_string(),
            detail: tr!(
                "timeline-activity-detail",
                name = a.name.clone(),
                attended = attended.len() as i64,
                sessions = a.sessions.len() as i64
            ),
            operator: String::new(),
            household: false,
            archived: a.archived,
        });
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.at));
    Ok(out)
}
