//! What a new contact starts with, so the desk rarely changes a field:
//!
//! - **Desk**: where the operator works. The signed-in account's operator has a usual desk
//!   (`Operator::desk`, set in Impostazioni › Operatori); an operator without one takes the
//!   desk of their own most recent contact (looked for in the last twelve months); with
//!   neither, the workstation's remembered desk stays. This is decided once at sign-in and
//!   shown in the top bar, where the operator can change it for the day; the form takes the
//!   top bar's desk. The person's past desks play no part: the contact happens where the
//!   operator is.
//! - **Service line**: the line of the person's (or household's) most recent contact, so a
//!   family followed by the Équipe Blu stays on it; with none (a new person), the line of
//!   the last contact logged at this workstation; else the WeMi line at a WeMi desk; else
//!   family listening. Archived lines are skipped. When the person is chosen after the
//!   dialog opened, the line follows them unless the operator already changed it.

use crate::domain::catalogue::line_codes;
use crate::domain::*;
use crate::ui::Env;
use chrono::Duration;

/// The most recent contact about a person or household that the session may read (not
/// archived), if any.
pub fn last_contact_of(env: &Env, subject: Subject) -> Option<Contact> {
    let r = env.read().ok()?;
    let contacts: Vec<Contact> = r.by_subject(subject.id()).ok()?;
    contacts
        .into_iter()
        .filter(|c| c.subject == subject && !c.archived)
        .max_by_key(|c| c.at)
}

/// The line a new contact about `subject` starts on (see the module's rules).
pub fn default_line(env: &Env, subject: Option<Subject>) -> Id {
    let cat = &env.data.catalog;
    let active = |id: Id| cat.line(id).filter(|l| !l.archived).map(|l| l.id);
    if let Some(l) = subject
        .and_then(|s| last_contact_of(env, s))
        .and_then(|c| active(c.line))
    {
        return l;
    }
    if let Some(l) = env.last_line.and_then(active) {
        return l;
    }
    let wemi_desk = cat
        .desk(env.desk)
        .is_some_and(|d| d.code == "ornato" || d.code == "rizzoli");
    let code = if wemi_desk {
        line_codes::WEMI
    } else {
        line_codes::FAMIGLIE
    };
    cat.line_by_code(code)
        .or_else(|| cat.lines.iter().find(|l| !l.archived))
        .map(|l| l.id)
        .unwrap_or(Id::NIL)
}

/// The desk an operator works at: their usual desk, else the desk of their most recent
/// contact in the last twelve months (newest first, month by month, stopping at the first
/// found), else `None`. Archived desks are skipped.
pub fn operator_desk(env: &Env, operator: Id) -> Option<Id> {
    let cat = &env.data.catalog;
    let open = |d: Id| cat.desk(d).filter(|d| !d.archived).map(|d| d.id);
    if let Some(d) = cat.operator(operator).and_then(|o| o.desk).and_then(open) {
        return Some(d);
    }
    let r = env.read().ok()?;
    let (_, last) = r.date_span(EntityKind::Contact).ok()??;
    let stop = last - Duration::days(366);
    let mut to = last;
    while to > stop {
        let from = (to - Duration::days(30)).max(stop);
        let ids = r.ids_by_date(EntityKind::Contact, from, to).ok()?;
        // Newest day first; within the day of the first match, the latest time wins.
        let mut found: Option<Contact> = None;
        for id in ids.into_iter().rev() {
            let Ok(Some(c)) = r.get::<Contact>(id) else {
                continue;
            };
            if found.as_ref().is_some_and(|f| c.at.date() < f.at.date()) {
                break;
            }
            if c.operator == operator
                && open(c.desk).is_some()
                && found.as_ref().is_none_or(|f| c.at > f.at)
            {
                found = Some(c);
            }
        }
        if let Some(c) = found {
            return Some(c.desk);
        }
        to = from - Duration::days(1);
    }
    None
}
