//! Oggi: what is due or overdue for an operator (or for the whole team), gathered from the
//! store through the session's [`Reader`], so permissions apply and people whose
//! processing is restricted stay hidden. Built once per change of the records it reads,
//! not per frame (the screen keeps it until a revision changes).
//!
//! The rules (thresholds in [`TodaySettings`]):
//! - **referral follow-up**: a referral still «In attesa» whose follow-up date is today or
//!   past; due on the follow-up date;
//! - **messa alla prova**: running (started, not past its end, not archived), and either
//!   behind schedule — the hours expected by today pro rata
//!   ([`expected_minutes`](crate::domain::today::expected_minutes)) exceed the hours done
//!   by at least `behind_hours` (due today) — or ending within `ending_days` (due on its
//!   end date);
//! - **tirocinio** ending within `ending_days` (due on its end date);
//! - **case plan goals** not achieved whose review date is today or past, on cases not
//!   closed nor archived; one item per case, due on the earliest such review;
//! - **informativa**: people with a contact by the operator within `informativa_days` and
//!   no informativa in their privacy log; due on the first of those contacts.
//!
//! - **appointments of today** (kept apart, by time, and not counted as due): the
//!   operator's, or the whole team's for a coordinator.
//!
//! Whose an item is: the appointment's operator, the referral's operator, the project's operator, the case's referente
//! or a member of its team, the operator of the contact.

use crate::domain::today::{Schedule, TodaySettings, schedule};
use crate::domain::*;
use crate::store::today::Via;
use crate::store::{Reader, StoreError};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Whose items are gathered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One operator's.
    Operator(Id),
    /// The whole team's (a coordinator).
    Team,
}

impl Scope {
    fn operator(self) -> Option<Id> {
        match self {
            Scope::Team => None,
            Scope::Operator(o) => Some(o),
        }
    }

    fn covers(self, op: Option<Id>) -> bool {
        match self {
            Scope::Team => true,
            Scope::Operator(me) => op == Some(me),
        }
    }
}

/// What kind of item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKind {
    /// A referral waiting for its follow-up.
    Referral,
    /// A messa alla prova behind schedule or ending soon.
    Probation,
    /// A tirocinio ending soon.
    Internship,
    /// Plan goals to review.
    Goals,
    /// No informativa recorded.
    Informativa,
    /// An appointment of today.
    Appointment,
    /// A pratica whose bando closes soon with documents still missing (appended).
    Pratica,
}

/// The numbers behind an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    /// A referral to a service, made on `date`, to check on `follow_up`.
    Referral {
        /// The territorial service.
        service: Id,
        /// When it was made.
        date: NaiveDate,
        /// When to check how it went.
        follow_up: NaiveDate,
    },
    /// A messa alla prova.
    Probation {
        /// Hours done, required and expected (`None` when the requirement is hidden
        /// from the viewer or the programme has no end date).
        schedule: Option<Schedule>,
        /// Behind by at least the threshold.
        behind: bool,
        /// The end date.
        end: Option<NaiveDate>,
    },
    /// A tirocinio ending on `end` at `host`.
    Internship {
        /// The end date.
        end: NaiveDate,
        /// The host organisation.
        host: String,
    },
    /// Goals of a case plan past their review.
    Goals {
        /// How many.
        count: usize,
        /// The earliest review date.
        review: NaiveDate,
        /// That goal's text.
        first: String,
    },
    /// An appointment of today.
    Appointment {
        /// When it starts.
        start: chrono::NaiveDateTime,
        /// Expected minutes.
        minutes: u16,
        /// The desk.
        desk: Id,
        /// What became of it so far.
        outcome: AppointmentOutcome,
    },
    /// A pratica with `missing` documents, its bando closing on `closes`.
    Pratica {
        /// The bando.
        bando: Id,
        /// The bando's closing day.
        closes: NaiveDate,
        /// Required documents not yet seen.
        missing: usize,
    },
    /// No informativa: `contacts` contacts since `since`.
    Informativa {
        /// The first contact in the window.
        since: NaiveDate,
        /// How many contacts in the window.
        contacts: usize,
    },
}

/// Where one click on an item goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A record's form.
    Record(EntityKind, Id),
    /// A person's cartella.
    Person(Id),
    /// A household's form.
    Household(Id),
    /// An appointment still to come: a click records the visit (the contact form filled in
    /// from it; saving marks it held).
    Visit(Id),
}

/// One thing due or overdue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What kind.
    pub kind: ItemKind,
    /// Whom it is about.
    pub subject: Subject,
    /// Whose it is (the operator).
    pub operator: Option<Id>,
    /// Where a click goes.
    pub target: Target,
    /// When it is (was) due.
    pub due: NaiveDate,
    /// The numbers.
    pub detail: Detail,
}

impl Item {
    /// True when due before today.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.due < today
    }

    /// True when due today or before (what the badge counts).
    pub fn due_by(&self, today: NaiveDate) -> bool {
        self.due <= today
    }
}

/// Oggi's items for a scope on a day, overdue first (by due date, then kind).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Agenda {
    /// The day.
    pub today: Option<NaiveDate>,
    /// The items, by due date.
    pub items: Vec<Item>,
    /// Today's appointments, by time (not counted as due).
    pub appointments: Vec<Item>,
    /// The kinds of record the session may not read (their items are left out).
    pub denied: Vec<EntityKind>,
}

impl Agenda {
    /// Gathers the items of `scope` on `today` through `r` (the projects, cases and
    /// referrals found through the agenda index).
    pub fn build(
        r: &Reader,
        scope: Scope,
        today: NaiveDate,
        settings: &TodaySettings,
    ) -> Result<Agenda, StoreError> {
        Self::build_via(r, scope, today, settings, Via::Index)
    }

    /// [`Agenda::build`], the projects, cases and referrals found `via` the agenda index or
    /// a scan of every record (what the index is checked against: both give the same
    /// agenda).
    pub fn build_via(
        r: &Reader,
        scope: Scope,
        today: NaiveDate,
        settings: &TodaySettings,
        via: Via,
    ) -> Result<Agenda, StoreError> {
        let s = settings.clamped();
        let mut a = Agenda {
            today: Some(today),
            ..Default::default()
        };
        let mut items = Vec::new();
        let steps: [(EntityKind, StepFn); 5] = [
            (EntityKind::Referral, referrals),
            (EntityKind::Project, projects),
            (EntityKind::Case, goals),
            (EntityKind::Contact, informativa),
            (EntityKind::Pratica, pratiche),
        ];
        for (kind, step) in steps {
            match step(r, (scope, via), today, &s, &mut items) {
                Ok(()) => {}
                Err(StoreError::Denied(_)) => a.denied.push(kind),
                Err(e) => return Err(e),
            }
        }
        items.sort_by_key(|i| (i.due, i.kind, i.subject.id()));
        a.items = items;
        match appointments(r, scope, today) {
            Ok(v) => a.appointments = v,
            Err(StoreError::Denied(_)) => a.denied.push(EntityKind::Appointment),
            Err(e) => return Err(e),
        }
        Ok(a)
    }

    /// The items of one operator, or all of them (`None`).
    pub fn of(&self, operator: Option<Id>) -> impl Iterator<Item = &Item> {
        self.items
            .iter()
            .filter(move |i| operator.is_none_or(|o| i.operator == Some(o)))
    }

    /// How many items of one operator (or all) are due today or overdue: the badge.
    pub fn due_count(&self, operator: Option<Id>) -> usize {
        let Some(today) = self.today else { return 0 };
        self.of(operator).filter(|i| i.due_by(today)).count()
    }
}

type StepFn =
    fn(&Reader, (Scope, Via), NaiveDate, &TodaySettings, &mut Vec<Item>) -> Result<(), StoreError>;

/// Pratiche whose bando closes within the "ending" window (`ending_days`) with documents
/// still missing (`stats::pratiche::overdue_pratiche`), due on the closing day.
fn pratiche(
    r: &Reader,
    (scope, _): (Scope, Via),
    today: NaiveDate,
    s: &TodaySettings,
    out: &mut Vec<Item>,
) -> Result<(), StoreError> {
    for o in super::pratiche::overdue_pratiche(r, today, s.ending_days as i64)? {
        let p = o.pratica;
        if !scope.covers(Some(p.operator)) {
            continue;
        }
        out.push(Item {
            kind: ItemKind::Pratica,
            subject: p.subject,
            operator: Some(p.operator),
            target: Target::Record(EntityKind::Pratica, p.id),
            due: o.closes,
            detail: Detail::Pratica {
                bando: p.bando,
                closes: o.closes,
                missing: o.missing,
            },
        });
    }
    Ok(())
}

fn referrals(
    r: &Reader,
    (scope, via): (Scope, Via),
    today: NaiveDate,
    _: &TodaySettings,
    out: &mut Vec<Item>,
) -> Result<(), StoreError> {
    r.for_each_referral_of(today, scope.operator(), via, |x: Referral| {
        if x.archived || x.outcome != ReferralOutcome::InAttesa || !scope.covers(x.operator) {
            return;
        }
        if let Some(f) = x.follow_up.filter(|f| *f <= today) {
            out.push(Item {
                kind: ItemKind::Referral,
                subject: x.subject,
                operator: x.operator,
                target: Target::Record(EntityKind::Referral, x.id),
                due: f,
                detail: Detail::Referral {
                    service: x.service,
                    date: x.date,
                    follow_up: f,
                },
            });
        }
    })
}

fn projects(
    r: &Reader,
    (scope, via): (Scope, Via),
    today: NaiveDate,
    s: &TodaySettings,
    out: &mut Vec<Item>,
) -> Result<(), StoreError> {
    let horizon = today + chrono::Duration::days(i64::from(s.ending_days));
    r.for_each_project_running(today, scope.operator(), via, |p: Project| {
        let running = p.start <= today && p.end.is_none_or(|e| e >= today);
        if p.archived || !running || !scope.covers(p.operator) {
            return;
        }
        let ending = p.end.filter(|e| *e <= horizon);
        let (due, detail) = match &p.kind {
            ProjectKind::MessaAllaProva { hours_required, .. } => {
                let sched = schedule(*hours_required, p.minutes_done(), p.start, p.end, today);
                let behind = sched.is_some_and(|x| x.behind_by_at_least(s.behind_hours));
                let due = match (behind, ending) {
                    (true, _) => today,
                    (false, Some(e)) => e,
                    (false, None) => return,
                };
                let detail = Detail::Probation {
                    schedule: sched,
                    behind,
                    end: p.end,
                };
                (due, detail)
            }
            ProjectKind::Tirocinio { host, .. } => match ending {
                Some(e) => (
                    e,
                    Detail::Internship {
                        end: e,
                        host: host.clone(),
                    },
                ),
                None => return,
            },
            _ => return,
        };
        out.push(Item {
            kind: match detail {
                Detail::Internship { .. } => ItemKind::Internship,
                _ => ItemKind::Probation,
            },
            subject: Subject::Person(p.person),
            operator: p.operator,
            target: Target::Record(EntityKind::Project, p.id),
            due,
            detail,
        });
    })
}

fn goals(
    r: &Reader,
    (scope, via): (Scope, Via),
    today: NaiveDate,
    _: &TodaySettings,
    out: &mut Vec<Item>,
) -> Result<(), StoreError> {
    r.for_each_open_case(today, scope.operator(), via, |c: Case| {
        if c.archived || c.status == CaseStatus::Chiusa {
            return;
        }
        let operator = match scope {
            Scope::Team => c.referente.or(c.team.first().copied()),
            Scope::Operator(me) if c.referente == Some(me) || c.team.contains(&me) => Some(me),
            Scope::Operator(_) => return,
        };
        let mut late: Vec<(NaiveDate, &str)> = c
            .plan
            .iter()
            .filter(|g| !g.done)
            .filter_map(|g| {
                g.review
                    .filter(|d| *d <= today)
                    .map(|d| (d, g.text.as_str()))
            })
            .collect();
        late.sort();
        let Some((review, first)) = late.first().copied() else {
            return;
        };
        out.push(Item {
            kind: ItemKind::Goals,
            subject: c.subject,
            operator,
            target: Target::Record(EntityKind::Case, c.id),
            due: review,
            detail: Detail::Goals {
                count: late.len(),
                review,
                first: first.to_string(),
            },
        });
    })
}

fn informativa(
    r: &Reader,
    (scope, _): (Scope, Via),
    today: NaiveDate,
    s: &TodaySettings,
    out: &mut Vec<Item>,
) -> Result<(), StoreError> {
    let from = today - chrono::Duration::days(i64::from(s.informativa_days));
    // Person → (first day with a contact in the window, contacts, the latest contact's
    // day, id and operator). The contacts come in id order: first and latest are told by
    // (day, id), the order of the day index.
    type Seen = (NaiveDate, usize, (NaiveDate, Id), Id);
    let mut seen: HashMap<Id, Seen> = HashMap::new();
    r.for_each_contact_between(from, today, scope.operator(), |c: Contact| {
        let Subject::Person(p) = c.subject else {
            return;
        };
        if c.archived || !scope.covers(Some(c.operator)) {
            return;
        }
        let day = c.at.date();
        let e = seen.entry(p).or_insert((day, 0, (day, c.id), c.operator));
        e.0 = e.0.min(day);
        e.1 += 1;
        if (day, c.id) >= e.2 {
            e.2 = (day, c.id);
            e.3 = c.operator;
        }
    })?;
    let people: Vec<Id> = seen.keys().copied().collect();
    for p in r.without_informativa(&people)? {
        let (since, contacts, _, operator) = seen[&p];
        out.push(Item {
            kind: ItemKind::Informativa,
            subject: Subject::Person(p),
            operator: Some(operator),
            target: Target::Person(p),
            due: since,
            detail: Detail::Informativa { since, contacts },
        });
    }
    Ok(())
}

fn appointments(r: &Reader, scope: Scope, today: NaiveDate) -> Result<Vec<Item>, StoreError> {
    Ok(r.appointments_between(today, today)?
        .into_iter()
        .filter(|a| scope.covers(Some(a.operator)))
        .map(|a| Item {
            kind: ItemKind::Appointment,
            subject: a.subject,
            operator: Some(a.operator),
            target: match a.subject {
                _ if a.outcome.is_open() => Target::Visit(a.id),
                Subject::Person(p) => Target::Person(p),
                Subject::Household(h) => Target::Household(h),
            },
            due: today,
            detail: Detail::Appointment {
                start: a.start,
                minutes: a.minutes,
                desk: a.desk,
                outcome: a.outcome,
            },
        })
        .collect())
}
