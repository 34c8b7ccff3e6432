//! Which parts of a record each permission uncovers: the sensitivity of service lines
//! (art. 9 health and disability, art. 10 judicial), and for contacts, cases, projects and
//! referrals whether their content is visible to a viewer, how it is redacted, and how a
//! write by someone who cannot see it keeps the hidden parts.

use super::Permission;
use crate::domain::contact::{Contact, Subject};
use crate::domain::ids::Id;
use crate::domain::{Case, Project, ProjectKind, Referral};

/// How special the content of a service line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sensitivity {
    /// Ordinary personal data.
    #[default]
    Ordinary,
    /// Health and disability (art. 9).
    Art9,
    /// Judicial data (art. 10).
    Art10,
}

/// Areas of the catalogue whose lines hold art. 9 content (by area code).
pub const ART9_AREAS: [&str; 1] = ["disabilita"];
/// Areas of the catalogue whose lines hold art. 10 content (by area code).
pub const ART10_AREAS: [&str; 1] = ["giuridico"];

/// The sensitivity of the lines of an area, by its code.
pub fn area_sensitivity(code: &str) -> Sensitivity {
    if ART10_AREAS.contains(&code) {
        Sensitivity::Art10
    } else if ART9_AREAS.contains(&code) {
        Sensitivity::Art9
    } else {
        Sensitivity::Ordinary
    }
}

/// Who is looking, as the visibility rules need it. The store implements it for a
/// signed-in session; tests and the window ask the same questions.
pub trait Sees {
    /// The permission is granted (for this record's subject when `subject` is given: an
    /// extraordinary access opens one person or household).
    fn may(&self, p: Permission, subject: Option<Id>) -> bool;
    /// The operator behind the account, if linked.
    fn operator(&self) -> Option<Id>;
    /// The sensitivity of a service line.
    fn line(&self, line: Id) -> Sensitivity;
    /// True when the viewer's operator is the referente of a case about this subject.
    fn is_referente(&self, subject: Subject) -> bool;
}

fn sensitive_ok(s: &dyn Sees, sens: Sensitivity, subject: Option<Id>) -> bool {
    match sens {
        Sensitivity::Ordinary => true,
        Sensitivity::Art9 => s.may(Permission::Art9, subject),
        Sensitivity::Art10 => s.may(Permission::Art10, subject),
    }
}

/// Whether a contact's note is visible: a confidential note only to its author, the
/// referente of a case about the same subject, and roles with «note riservate»; another
/// operator's note only with «note di altri»; a note on an art. 9 / art. 10 line only with
/// that permission.
pub fn contact_note_visible(c: &Contact, s: &dyn Sees) -> bool {
    let subject = Some(c.subject.id());
    let author = s.operator() == Some(c.operator);
    if !sensitive_ok(s, s.line(c.line), subject) {
        return author;
    }
    if c.confidential {
        return author || s.may(Permission::NoteRiservate, subject) || s.is_referente(c.subject);
    }
    author || s.may(Permission::NoteAltrui, subject)
}

/// Hides what the viewer may not see of a contact (the note).
pub fn redact_contact(c: &mut Contact, s: &dyn Sees) {
    if !contact_note_visible(c, s) {
        c.note.clear();
    }
}

/// Keeps the hidden parts of a contact as they were when the viewer saves it.
pub fn keep_hidden_contact(new: &mut Contact, old: &Contact, s: &dyn Sees) {
    if !contact_note_visible(old, s) {
        new.note = old.note.clone();
        new.confidential = old.confidential;
    }
}

/// Whether the content of a case (need, plan, outcome) is visible: on an art. 9 / art. 10
/// line only with that permission.
pub fn case_content_visible(c: &Case, s: &dyn Sees) -> bool {
    sensitive_ok(s, s.line(c.line), Some(c.subject.id())) || s.operator() == c.referente
}

/// Hides what the viewer may not see of a case.
pub fn redact_case(c: &mut Case, s: &dyn Sees) {
    if !case_content_visible(c, s) {
        c.need.clear();
        c.plan.clear();
        c.outcome.clear();
    }
}

/// Keeps the hidden parts of a case as they were when the viewer saves it.
pub fn keep_hidden_case(new: &mut Case, old: &Case, s: &dyn Sees) {
    if !case_content_visible(old, s) {
        new.need = old.need.clone();
        new.plan = old.plan.clone();
        new.outcome = old.outcome.clone();
    }
}

/// The sensitivity of a project: messa alla prova is art. 10; case management for autism
/// and school support for BES/DSA are art. 9; otherwise its line's.
pub fn project_sensitivity(p: &Project, s: &dyn Sees) -> Sensitivity {
    match p.kind {
        ProjectKind::MessaAllaProva { .. } => Sensitivity::Art10,
        ProjectKind::CaseManager { .. } | ProjectKind::SostegnoStudio { .. } => Sensitivity::Art9,
        ProjectKind::Tirocinio { .. } => s.line(p.line),
    }
}

/// Whether the special fields of a project (the messa alla prova's court, UEPE office,
/// hours; the case manager's plan; the notes) are visible to the viewer.
pub fn project_content_visible(p: &Project, s: &dyn Sees) -> bool {
    sensitive_ok(s, project_sensitivity(p, s), Some(p.person))
}

/// Hides what the viewer may not see of a project.
pub fn redact_project(p: &mut Project, s: &dyn Sees) {
    if project_content_visible(p, s) {
        return;
    }
    p.note.clear();
    match &mut p.kind {
        ProjectKind::MessaAllaProva {
            uepe_office,
            court,
            court_file,
            hours_required,
            ledger,
        } => {
            uepe_office.clear();
            court.clear();
            court_file.clear();
            *hours_required = 0;
            ledger.clear();
        }
        ProjectKind::CaseManager { plan, .. } => plan.clear(),
        _ => {}
    }
}

/// Keeps the hidden parts of a project as they were when the viewer saves it.
pub fn keep_hidden_project(new: &mut Project, old: &Project, s: &dyn Sees) {
    if project_content_visible(old, s) {
        return;
    }
    new.note = old.note.clone();
    if matches!(
        (&new.kind, &old.kind),
        (
            ProjectKind::MessaAllaProva { .. },
            ProjectKind::MessaAllaProva { .. }
        ) | (
            ProjectKind::CaseManager { .. },
            ProjectKind::CaseManager { .. }
        )
    ) {
        new.kind = old.kind.clone();
    }
}

/// Whether a referral's reason and notes are visible (art. 9 / art. 10 lines).
pub fn referral_content_visible(r: &Referral, s: &dyn Sees) -> bool {
    let sens = r.line.map(|l| s.line(l)).unwrap_or_default();
    sensitive_ok(s, sens, Some(r.subject.id()))
        || (r.operator.is_some() && s.operator() == r.operator)
}

/// Hides what the viewer may not see of a referral.
pub fn redact_referral(r: &mut Referral, s: &dyn Sees) {
    if !referral_content_visible(r, s) {
        r.reason.clear();
        r.outcome_note.clear();
    }
}

/// Keeps the hidden parts of a referral as they were when the viewer saves it.
pub fn keep_hidden_referral(new: &mut Referral, old: &Referral, s: &dyn Sees) {
    if !referral_content_visible(old, s) {
        new.reason = old.reason.clone();
        new.outcome_note = old.outcome_note.clone();
    }
}
