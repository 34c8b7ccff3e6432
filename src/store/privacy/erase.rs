//! The erasure of one person inside a write transaction: every record about them removed,
//! or — where it must stay for the annual counts — stripped of its texts and moved to an
//! anonymous placeholder person, so that every year's counts stay as they were.

use crate::domain::privacy::{ERASED_TEXT, PLACEHOLDER_NAME, PLACEHOLDER_SURNAME};
use crate::domain::*;
use crate::store::aggregates;
use crate::store::derived::{self, DERIVED};
use crate::store::entity::Entity;
use crate::store::merge::aliases;
use crate::store::{StoreError, Writer};
use chrono::NaiveDate;

/// What an erasure did, by kind of record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erased {
    /// Records removed from the database.
    pub removed: u64,
    /// Records kept for the annual counts, made anonymous (moved to the placeholder).
    pub anonymised: u64,
    /// The anonymous placeholder that took the person's place (none when no record about
    /// the person counted: everything was removed).
    pub placeholder: Option<Id>,
    /// The ids merged into the person (their merge aliases removed).
    pub aliases: Vec<Id>,
    /// Every record removed or made anonymous (their audit texts are blanked too).
    pub records: Vec<Id>,
}

/// The kinds of record about a person (through the subject index).
const ABOUT: [EntityKind; 8] = [
    // Before the contacts: a held appointment points to its contact.
    EntityKind::Appointment,
    EntityKind::PrivacyEntry,
    EntityKind::Pratica,
    EntityKind::Contact,
    EntityKind::Case,
    EntityKind::Project,
    EntityKind::Referral,
    EntityKind::Activity,
];

/// Whether a record counts anywhere now (its contributions to the annual counts).
fn counts<E: Entity>(w: &Writer, rec: &E) -> Result<bool, StoreError> {
    Ok(!aggregates::of_record(w.txn(), rec, w.through_year())?.is_empty())
}

/// Whether an open period may be closed today without changing any counted year: the
/// counted year is this year (not ahead of the clock) and the period started by today.
fn may_close(w: &Writer, start: NaiveDate) -> bool {
    use chrono::Datelike;
    w.through_year() <= w.today().year() && start <= w.today()
}

fn person_to(map_from: Id, to: Id) -> impl Fn(EntityKind, Id) -> Id {
    move |k, i| {
        if k == EntityKind::Person && i == map_from {
            to
        } else {
            i
        }
    }
}

/// A record about the erased person `p`: kept for the counts — moved to the placeholder
/// `q` and stripped of its texts by `scrub` — when there is a placeholder and it counts
/// somewhere; removed otherwise.
fn anonymise_or_remove<E: Entity>(
    w: &mut Writer,
    id: Id,
    p: Id,
    q: Option<Id>,
    out: &mut Erased,
    scrub: impl FnOnce(&Writer, &mut E),
) -> Result<(), StoreError> {
    let mut rec: E = w.stored(id)?.ok_or(StoreError::NotFound(E::KIND, id))?;
    match q {
        Some(q) if counts(w, &rec)? => {
            rec.remap(&person_to(p, q));
            scrub(w, &mut rec);
            w.update_as(rec, Action::Erase)?;
            out.anonymised += 1;
        }
        _ => {
            w.remove::<E>(id, Action::Erase)?;
            out.removed += 1;
        }
    }
    out.records.push(id);
    Ok(())
}

fn scrub_contact(_: &Writer, c: &mut Contact) {
    c.note.clear();
    c.confidential = false;
}

fn scrub_case(w: &Writer, c: &mut Case) {
    c.need.clear();
    c.plan.clear();
    if c.closed.is_none() && may_close(w, c.opened) {
        c.closed = Some(w.today());
        c.status = CaseStatus::Chiusa;
    }
    c.outcome = if c.status == CaseStatus::Chiusa {
        ERASED_TEXT.into()
    } else {
        String::new()
    };
}

fn scrub_project(w: &Writer, pr: &mut Project) {
    pr.note.clear();
    scrub_kind(&mut pr.kind);
    if pr.end.is_none() && may_close(w, pr.start) {
        pr.end = Some(w.today());
    }
}

fn scrub_kind(kind: &mut ProjectKind) {
    match kind {
        ProjectKind::Tirocinio {
            host, attendance, ..
        } => {
            *host = ERASED_TEXT.into();
            attendance.clear();
        }
        ProjectKind::MessaAllaProva {
            uepe_office,
            court,
            court_file,
            ledger,
            ..
        } => {
            *uepe_office = ERASED_TEXT.into();
            *court = ERASED_TEXT.into();
            court_file.clear();
            ledger.clear();
        }
        ProjectKind::CaseManager { plan, .. } => plan.clear(),
        ProjectKind::SostegnoStudio { school, class, .. } => {
            *school = ERASED_TEXT.into();
            class.clear();
        }
    }
}

fn activity(
    w: &mut Writer,
    id: Id,
    p: Id,
    q: Option<Id>,
    out: &mut Erased,
) -> Result<(), StoreError> {
    let mut a: Activity = w
        .stored(id)?
        .ok_or(StoreError::NotFound(EntityKind::Activity, id))?;
    match q {
        Some(q) => a.remap(&person_to(p, q)),
        None => {
            a.participants.retain(|x| *x != p);
            for s in &mut a.sessions {
                s.attendees.retain(|x| *x != p);
            }
        }
    }
    // The placeholder may be there already (an erasure applied again after a merge).
    dedup(&mut a.participants);
    for s in &mut a.sessions {
        dedup(&mut s.attendees);
    }
    w.update_as(a, Action::Erase)?;
    out.anonymised += 1;
    Ok(())
}

/// Drops repeated ids, keeping the first of each.
fn dedup(ids: &mut Vec<Id>) {
    let mut seen = std::collections::HashSet::new();
    ids.retain(|i| seen.insert(*i));
}

/// Erases person `p` inside the writer's transaction (see the module's description); an
/// erasure applied again passes the placeholder it used (`reuse`), taken if it is still
/// here and made again with that id if not. The caller writes the registro entry and the
/// audit summary.
pub(crate) fn erase_in(
    w: &mut Writer,
    p: Id,
    reuse: Option<Id>,
) -> Result<(Erased, Person), StoreError> {
    let person: Person = w
        .stored(p)?
        .ok_or(StoreError::NotFound(EntityKind::Person, p))?;
    let mut out = Erased::default();
    // Ids merged into the person: their aliases keep the merge's undo data (the person as
    // they were), so they go, and their opaque form joins the registro entry.
    let all = aliases::all(&w.txn().open_table(aliases::ALIASES)?)?;
    for (old, a) in &all {
        if a.kind == EntityKind::Person && a.survivor == p {
            aliases::remove(w.txn(), Id(*old))?;
            out.aliases.push(Id(*old));
        }
    }
    // An archived person's records do not count: nothing needs a placeholder.
    let existing = match reuse {
        Some(q) => w.stored::<Person>(q)?.is_some(),
        None => false,
    };
    let q = if person.archived {
        None
    } else if existing {
        reuse
    } else {
        Some(w.insert(Person {
            id: reuse.unwrap_or(Id::NIL),
            surname: PLACEHOLDER_SURNAME.into(),
            name: PLACEHOLDER_NAME.into(),
            ..Default::default()
        })?)
    };
    // The person's documents, and those of every record about them, with their content:
    // first, while the records they are attached to are still there.
    let before = out.records.len();
    w.drop_documents_about(p, Action::Erase, &mut out.records)?;
    out.removed += (out.records.len() - before) as u64;
    for kind in ABOUT {
        let ids = {
            let t = w.txn().open_table(DERIVED)?;
            derived::subject_ids(&t, kind.code(), p.0)?
        };
        for id in ids.into_iter().map(Id) {
            match kind {
                EntityKind::Contact => anonymise_or_remove(w, id, p, q, &mut out, scrub_contact)?,
                EntityKind::Case => anonymise_or_remove(w, id, p, q, &mut out, scrub_case)?,
                EntityKind::Project => anonymise_or_remove(w, id, p, q, &mut out, scrub_project)?,
                EntityKind::Referral => {
                    w.remove::<Referral>(id, Action::Erase)?;
                    out.removed += 1;
                    out.records.push(id);
                }
                // The privacy log names the person's choices: it goes with them.
                EntityKind::PrivacyEntry => {
                    w.remove::<PrivacyEntry>(id, Action::Erase)?;
                    out.removed += 1;
                    out.records.push(id);
                }
                // An appointment says when and where the person was expected: it goes too.
                EntityKind::Appointment => {
                    w.remove::<Appointment>(id, Action::Erase)?;
                    out.removed += 1;
                    out.records.push(id);
                }
                // A person's applications name what they asked for: they go with them.
                EntityKind::Pratica => {
                    w.remove::<Pratica>(id, Action::Erase)?;
                    out.removed += 1;
                    out.records.push(id);
                }
                EntityKind::Activity => activity(w, id, p, q, &mut out)?,
                _ => {}
            }
        }
    }
    w.remove::<Person>(p, Action::Erase)?;
    out.removed += 1;
    if let Some(m) = person.household {
        let members = {
            let t = w.txn().open_table(DERIVED)?;
            derived::subject_ids(&t, EntityKind::Person.code(), m.household.0)?
        };
        // A household of this person alone is about them only: its texts go too, and its
        // documents (and those of the records about it) with their content.
        if members.is_empty() {
            let before = out.records.len();
            w.drop_documents_about(m.household, Action::Erase, &mut out.records)?;
            out.removed += (out.records.len() - before) as u64;
            let mut h: Household = w
                .stored(m.household)?
                .ok_or(StoreError::NotFound(EntityKind::Household, m.household))?;
            h.name = format!("Nucleo di {PLACEHOLDER_SURNAME} {PLACEHOLDER_NAME}");
            h.address.clear();
            h.municipio = None;
            h.note.clear();
            w.update_as(h, Action::Erase)?;
            out.anonymised += 1;
        }
        // The placeholder takes the person's place in the household, so the records about
        // it count for the same household as before.
        if let Some(q) = q {
            let mut ph: Person = w
                .stored(q)?
                .ok_or(StoreError::NotFound(EntityKind::Person, q))?;
            if ph.household != Some(m) {
                ph.household = Some(m);
                w.update_as(ph, Action::Erase)?;
            }
        }
    }
    // A placeholder nothing refers to (no record, no household whose counts include its
    // members) is not needed.
    if let Some(q) = q
        && person.household.is_none()
        && !existing
    {
        let used = {
            let t = w.txn().open_table(DERIVED)?;
            let mut n = 0;
            for kind in ABOUT {
                n += derived::subject_ids(&t, kind.code(), q.0)?.len();
            }
            n
        };
        if used == 0 {
            w.remove::<Person>(q, Action::Erase)?;
        } else {
            out.placeholder = Some(q);
        }
    } else {
        out.placeholder = q;
    }
    Ok((out, person))
}
