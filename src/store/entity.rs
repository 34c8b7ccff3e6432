//! What the store needs to know about each kind of record: its table, its index entries,
//! the records it refers to, and how it counts.

use super::StoreError;
use super::tables::{TEXT_CF, TEXT_NAME, records};
use crate::domain::access::{self, Sees};
use crate::domain::counting::Countable;
use crate::domain::time::day_number;
use crate::domain::*;
use chrono::NaiveDate;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Index entries a record owns; rewritten whenever the record changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexEntries {
    /// People, households or participants the record is about.
    pub subjects: Vec<Id>,
    /// The date it is filed under, as a day number.
    pub day: Option<i32>,
    /// Text index entries (index code, folded text).
    pub texts: Vec<(u8, String)>,
    /// Oggi's agenda index: (operator, or [`Id::NIL`] for none; day number) under which a
    /// record that can become due is filed — a messa alla prova or tirocinio not archived
    /// under its operator and end day (no end: [`AGENDA_OPEN_END`]); a case not closed nor
    /// archived with goals not achieved under its referente and each team member and the
    /// earliest review of those goals; a referral «In attesa» not archived under its
    /// operator and follow-up day. Everything else: none.
    pub agenda: Vec<(Id, i32)>,
}

/// The agenda day of a project without an end date (after every real day).
pub const AGENDA_OPEN_END: i32 = i32::MAX;

/// A kind of record the store keeps.
pub trait Entity: Serialize + DeserializeOwned + Clone + 'static {
    /// The kind.
    const KIND: EntityKind;
    /// The record table.
    const TABLE: records::Def;
    /// The identifier.
    fn id(&self) -> Id;
    /// Sets the identifier (on first insert).
    fn set_id(&mut self, id: Id);
    /// Archived records are hidden by default and never count.
    fn archived(&self) -> bool;
    /// Archives or brings back.
    fn set_archived(&mut self, archived: bool);
    /// Validation in Italian.
    fn validate(&self, today: NaiveDate) -> Problems;
    /// Puts fields in their stored form (trimmed, upper-cased codes…).
    fn normalize(&mut self) {}
    /// The index entries of this record.
    fn index_entries(&self) -> IndexEntries {
        IndexEntries::default()
    }
    /// Records this one refers to, with the field that holds the reference.
    fn references(&self) -> Vec<(&'static str, EntityKind, Id)> {
        Vec::new()
    }
    /// The record as the counting rules see it, if it can count.
    fn countable(&self) -> Option<Countable<'_>> {
        None
    }
    /// A catalogue entry's code (unique among its kind) and name; `None` for other records.
    fn catalogue_entry(&self) -> Option<(&str, &str)> {
        None
    }
    /// The person or household the record is about (what an extraordinary access opens).
    fn about(&self) -> Option<Id> {
        None
    }
    /// Permissions a write of this record needs beyond those of its kind (a restriction
    /// of processing is a coordinator's).
    fn write_needs(&self) -> &'static [Permission] {
        &[]
    }
    /// Hides what the viewer may not see (read on behalf of a signed-in account).
    fn redact(&mut self, _s: &dyn Sees) {}
    /// Puts back, from the stored record, the parts the viewer could not see (a save on
    /// behalf of a signed-in account never overwrites what it was not shown).
    fn keep_hidden(&mut self, _old: &Self, _s: &dyn Sees) {}
    /// False when this record has a different shape from `old`, whose hidden parts a save
    /// could not put back (a project changed to another kind): the store then refuses a
    /// save by a session that was not shown them.
    fn same_shape(&self, _old: &Self) -> bool {
        true
    }
    /// For a session that may not see some people (`hidden`, art. 18): refuses adding
    /// them and puts back, from `old`, those left out (a group activity's participants and
    /// attendees).
    fn keep_hidden_people(
        &mut self,
        _old: Option<&Self>,
        _hidden: &dyn Fn(Id) -> bool,
    ) -> Result<(), StoreError> {
        Ok(())
    }
    /// The operator this record shows the confidential notes about its subject to (a
    /// case's referente).
    fn note_sight(&self) -> Option<Id> {
        None
    }
    /// Replaces every reference to another record by `map(kind, id)` (the merges: catalogue
    /// entries matched by code, a person merged into another). Lists of people drop the
    /// repetitions a replacement makes.
    fn remap(&mut self, _map: &dyn Fn(EntityKind, Id) -> Id) {}
    /// Whether the viewer sees this record's content (not only that it exists): false for
    /// a case, project or referral whose content its sensitivity hides from them. Files
    /// attached to a record whose content is hidden are hidden too.
    fn content_visible(&self, _s: &dyn Sees) -> bool {
        true
    }
    /// The kind whose permissions govern reading and writing this record: its own, except
    /// for an attached document, read and written as its owner is.
    fn access_kind(&self) -> EntityKind {
        Self::KIND
    }
}

fn remap_subject(s: &mut Subject, map: &dyn Fn(EntityKind, Id) -> Id) {
    *s = match *s {
        Subject::Person(id) => Subject::Person(map(EntityKind::Person, id)),
        Subject::Household(id) => Subject::Household(map(EntityKind::Household, id)),
    };
}

fn remap_people(ids: &mut Vec<Id>, map: &dyn Fn(EntityKind, Id) -> Id) {
    let mut seen = std::collections::HashSet::new();
    let old = std::mem::take(ids);
    for id in old {
        let id = map(EntityKind::Person, id);
        if seen.insert(id) {
            ids.push(id);
        }
    }
}

macro_rules! common {
    () => {
        fn id(&self) -> Id {
            self.id
        }
        fn set_id(&mut self, id: Id) {
            self.id = id;
        }
        fn archived(&self) -> bool {
            self.archived
        }
        fn set_archived(&mut self, archived: bool) {
            self.archived = archived;
        }
    };
}

fn subject_ref(s: Subject) -> (&'static str, EntityKind, Id) {
    match s {
        Subject::Person(id) => ("subject", EntityKind::Person, id),
        Subject::Household(id) => ("subject", EntityKind::Household, id),
    }
}

impl Entity for Person {
    const KIND: EntityKind = EntityKind::Person;
    const TABLE: records::Def = records::PEOPLE;
    common!();
    fn validate(&self, today: NaiveDate) -> Problems {
        Person::validate(self, today)
    }
    fn normalize(&mut self) {
        Person::normalize(self)
    }
    fn index_entries(&self) -> IndexEntries {
        let mut texts = vec![(TEXT_NAME, self.search_key())];
        if let Some(cf) = &self.codice_fiscale {
            texts.push((TEXT_CF, cf.clone()));
        }
        IndexEntries {
            subjects: self.household.map(|m| m.household).into_iter().collect(),
            day: None,
            texts,
            agenda: vec![],
        }
    }
    fn references(&self) -> Vec<(&'static str, EntityKind, Id)> {
        self.household
            .map(|m| ("household", EntityKind::Household, m.household))
            .into_iter()
            .collect()
    }
    fn about(&self) -> Option<Id> {
        Some(self.id)
    }
    fn remap(&mut self, map: &dyn Fn(EntityKind, Id) -> Id) {
        if let Some(m) = &mut self.household {
            m.household = map(EntityKind::Household, m.household);
        }
    }
}

impl Entity for Household {
    const KIND: EntityKind = EntityKind::Household;
    const TABLE: records::Def = records::HOUSEHOLDS;
    common!();
    fn validate(&self, _today: NaiveDate) -> Problems {
        Household::validate(self)
    }
    fn about(&self) -> Option<Id> {
        Some(self.id)
    }
}

impl Entity for Operator {
    const KIND: EntityKind = EntityKind::Operator;
    const TABLE: records::Def = records::OPERATORS;
    common!();
    fn validate(&self, _today: NaiveDate) -> Problems {
        Operator::validate(self)
    }
    fn references(&self) -> Vec<(&'static str, EntityKind, Id)> {
        let mut r = vec![("role", EntityKind::Role, self.role)];
        r.extend(self.desk.map(|d| ("desk", EntityKind::Desk, d)));
        r
    }
    fn remap(&mut self, map: &dyn Fn(EntityKind, Id) -> Id) {
        self.role = map(EntityKind::Role, self.role);
        self.desk = self.desk.map(|d| map(EntityKind::Desk, d));
    }
}

impl Entity for Contact {
    const KIND: EntityKind = EntityKind::Contact;
    const TABLE: records::Def = records::CONTACTS;
    common!();
    fn validate(&self, today: NaiveDate) -> Problems {
        Contact::validate(self, today)
    }
    fn normalize(&mut self) {
        self.note = self.note.trim().to_string();
    }
    fn index_entries(&self) -> IndexEntries {
        IndexEntries {
            subjects: vec![self.subject.id()],
            day: Some(day_number(self.at.date())),
            texts: vec![],
            agenda: vec![],
        }
    }
    fn references(&self) -> Vec<(&'static str, EntityKind, Id)> {
        let mut r = vec![
            subject_ref(self.subject),
            ("line", EntityKind::ServiceLine, self.line),
            ("desk", EntityKind::Desk, self.desk),
            ("operator", EntityKind::Operator, self.operator),
        ];
        r.extend(self.measure.map(|m| ("measure", EntityKind::Measure, m)));
        r
    }
    fn remap(&mut self, map: &dyn Fn(EntityKind, Id) -> Id) {
        remap_subject(&mut self.subject, map);
        self.line = map(EntityKind::ServiceLine, self.line);
        self.desk = map(EntityKind::Desk, self.desk);
        self.operator = map(EntityKind::Operator, self.operator);
        self.measure = self.measure.map(|m| map(EntityKind::Measure, m));
    }
    fn countable(&self) -> Option<Countable<'_>> {
        Some(Countable::Contact(self))
    }
    fn about(&self) -> Option<Id> {
        Some(self.subject.id())
    }
    fn redact(&mut self, s: &dyn Sees) {
        access::redact_contact(self, s)
    }
    fn keep_hidden(&mut self, old: &Self, s: &dyn Sees) {
        access::keep_hidden_contact(self, old, s)
    }
}

impl Entity for Case {
    const KIND: EntityKind = EntityKind::Case;
    const TABLE: records::Def = records::CASES;
    common!();
    fn validate(&self, today: NaiveDate) -> Problems {
        Case::validate(self, today)
    }
    fn index_entries(&self) -> IndexEntries {
        IndexEntries {
            subjects: vec![self.subject.id()],
            day: Some(day_number(self.opened)),
            texts: vec![],
            agenda: super::today::case_agenda(self),
        }
    }
    fn references(&self) -> Vec<(&'static str, EntityKind, Id)> {
        let mut r = vec![
            subject_ref(self.subject),
            ("line", EntityKind::ServiceLine, self.line),
        ];
        r.extend(
            self.referente
                .map(|o| ("referente", EntityKind::Operator, o)),
        );
        r.extend(self.team.iter().map(|o| ("team", EntityKind::Operator, *o)));
        r
    }
    fn remap(&mut self, map: &dyn Fn(EntityKind, Id) -> Id) {
        remap_subject(&mut self.subject, map);
        self.line = map(EntityKind::ServiceLine, self.line);
        self.referente = self.referente.map(|o| map(EntityKind::Operator, o));
        for o in &mut self.team {
            *o = map(EntityKind::Operator, *o);
        }
    }
    fn countable(&self) -> Option<Countable<'_>> {
        Some(Countable::Case(self))
    }
    fn about(&self) -> Option<Id> {
        Some(self.subject.id())
    }
    fn redact(&mut self, s: &dyn Sees) {
        access::redact_case(self, s)
    }
    fn keep_hidden(&mut self, old: &Self, s: &dyn Sees) {
        access::keep_hidden_case(self, old, s)
    }
    fn note_sight(&self) -> Option<Id> {
        self.referente
    }
    fn content_visible(&self, s: &dyn Sees) -> bool {
        access::case_content_visible(self, s)
    }
}

impl Entity for Project {
    const KIND: EntityKind = EntityKind::Project;
    const TABLE: records::Def = records::PROJECTS;
    common!();
    fn validate(&self, today: NaiveDate) -> Problems {
        Project::validate(self, today)
    }
    fn index_entries(&self) -> IndexEntries {
        let due = !self.archived
            && matches!(
                self.kind,
                ProjectKind::MessaAllaProva { .. } | ProjectKind::Tirocinio { .. }
            );
        IndexEntries {
            subjects: vec![self.person],
            day: Some(day_number(self.start)),
            texts: vec![],
            agenda: due
                .then(|| {
                    (
                        self.operator.unwrap_or(Id::NIL),
                        self.end.map(day_number).unwrap_or(AGENDA_OPEN_END),
                    )
                })
                .into_iter()
                .collect(),
        }
    }
    fn references(&self) -> Vec<(&'static str, EntityKind, Id)> {
        let mut r = vec![
            ("person", EntityKind::Person, self.person),
            ("line", EntityKind::ServiceLine, self.line),
        ];
        r.extend(self.operator.map(|o| ("operator", EntityKind::Operator, o)));
        if let ProjectKind::CaseManager {
            referente: Some(o), ..
        } = &self.kind
        {
            r.push(("referente", EntityKind::Operator, *o));
        }
        r
    }
    fn remap(&mut self, map: &dyn Fn(EntityKind, Id) -> Id) {
        self.person = map(EntityKind::Person, self.person);
        self.line = map(EntityKind::ServiceLine, self.line);
        self.operator = self.operator.map(|o| map(EntityKind::Operator, o));
        if let ProjectKind::CaseManager {
            referente: Some(o), ..
        } = &mut self.kind
        {
            *o = map(EntityKind::Operator, *o);
        }
    }
    fn countable(&self) -> Option<Countable<'_>> {
        Some(Countable::Project(self))
    }
    fn about(&self) -> Option<Id> {
        Some(self.person)
    }
    fn same_shape(&self, old: &Self) -> bool {
        std::mem::discriminant(&self.kind) == std::mem::discriminant(&old.kind)
    }
    fn redact(&mut self, s: &dyn Sees) {
        access::redact_project(self, s)
    }
    fn keep_hidden(&mut self, old: &Self, s: &dyn Sees) {
        access::keep_hidden_project(self, old, s)
    }
    fn content_visible(&self, s: &dyn Sees) -> bool {
        access::project_content_visible(self, s)
    }
}

impl Entity for Referral {
    const KIND: EntityKind = EntityKind::Referral;
    const TABLE: records::Def = records::REFERRALS;
    common!();
    fn validate(&self, today: NaiveDate) -> Problems {
        Referral::validate(self, today)
    }
    fn index_entries(&self) -> IndexEntries {
        let waiting = !self.archived && self.outcome == ReferralOutcome::InAttesa;
        IndexEntries {
            subjects: vec![self.subject.id()],
            day: Some(day_number(self.date)),
            texts: vec![],
            agenda: self
                .follow_up
                .filter(|_| waiting)
                .map(|f| (self.operator.unwrap_or(Id::NIL), day_number(f)))
                .into_iter()
                .collect(),
        }
    }
    fn references(&self) -> Vec<(&'static str, EntityKind, Id)> {
        let mut r = vec![
            subject_ref(self.subject),
            ("service", EntityKind::TerritorialService, self.service),
        ];
        r.extend(self.line.map(|l| ("line", EntityKind::ServiceLine, l)));
        r.extend(self.operator.map(|o| ("operator", EntityKind::Operator, o)));
        r
    }
    fn about(&self) -> Option<Id> {
        Some(self.subject.id())
    }
    fn redact(&mut self, s: &dyn Sees) {
        access::redact_referral(self, s)
    }
    fn keep_hidden(&mut self, old: &Self, s: &dyn Sees) {
        access::keep_hidden_referral(self, old, s)
    }
    fn content_visible(&self, s: &dyn Sees) -> bool {
        access::referral_content_visible(self, s)
    }
    fn remap(&mut self, map: &dyn Fn(EntityKind, Id) -> Id) {
        remap_subject(&mut self.subject, map);
        self.service = map(EntityKind::TerritorialService, self.service);
        self.line = self.line.map(|l| map(EntityKind::ServiceLine, l));
        self.operator = self.operator.map(|o| map(EntityKind::Operator, o));
    }
}

macro_rules! catalogue_entity {
    ($t:ty, $kind:expr, $table:expr) => {
        impl Entity for $t {
            const KIND: EntityKind = $kind;
            const TABLE: records::Def = $table;
            common!();
            fn validate(&self, _today: NaiveDate) -> Problems {
                crate::domain::catalogue::validate_entry(&self.code, &self.name)
            }
            fn catalogue_entry(&self) -> Option<(&str, &str)> {
                Some((&self.code, &self.name))
            }
        }
    };
}

catalogue_entity!(Area, EntityKind::Area, records::AREAS);
catalogue_entity!(Desk, EntityKind::Desk, records::DESKS);
catalogue_entity!(Measure, EntityKind::Measure, records::MEASURES);
catalogue_entity!(
    TerritorialService,
    EntityKind::TerritorialService,
    records::SERVICES
);
catalogue_entity!(Role, EntityKind::Role, records::ROLES);
catalogue_entity!(Purpose, EntityKind::Purpose, records::PURPOSES);

impl Entity for ServiceLine {
    const KIND: EntityKind = EntityKind::ServiceLine;
    const TABLE: records::Def = records::LINES;
    common!();
    fn validate(&self, _today: NaiveDate) -> Problems {
        ServiceLine::validate(self)
    }
    fn references(&self) -> Vec<(&'static str, EntityKind, Id)> {
        vec![("area", EntityKind::Area, self.area)]
    }
    fn remap(&mut self, map: &dyn Fn(EntityKind, Id) -> Id) {
        self.area = map(EntityKind::Area, self.area);
    }
    fn catalogue_entry(&self) -> Option<(&str, &str)> {
        Some((&self.code, &self.name))
    }
}

impl Entity for AccessRole {
    const KIND: EntityKind = EntityKind::AccessRole;
    const TABLE: records::Def = records::ACCESS_ROLES;
    common!();
    fn validate(&self, _today: NaiveDate) -> Problems {
        AccessRole::validate(self)
    }
    fn catalogue_entry(&self) -> Option<(&str, &str)> {
        Some((&self.code, &self.name))
    }
}

impl Entity for Account {
    const KIND: EntityKind = EntityKind::Account;
    const TABLE: records::Def = records::ACCOUNTS;
    fn id(&self) -> Id {
        self.id
    }
    fn set_id(&mut self, id: Id) {
        self.id = id;
    }
    /// A deactivated account is an archived one: never deleted.
    fn archived(&self) -> bool {
        !self.active
    }
    fn set_archived(&mut self, archived: bool) {
        self.active = !archived;
    }
    fn validate(&self, _today: NaiveDate) -> Problems {
        Account::validate(self)
    }
    fn normalize(&mut self) {
        self.username = self.username.trim().to_lowercase();
    }
    fn references(&self) -> Vec<(&'static str, EntityKind, Id)> {
        let mut r: Vec<_> = self
            .roles
            .iter()
            .map(|r| ("roles", EntityKind::AccessRole, *r))
            .collect();
        r.extend(self.operator.map(|o| ("operator", EntityKind::Operator, o)));
        r
    }
    fn redact(&mut self, _s: &dyn Sees) {
        self.password_hash.clear();
    }
    fn keep_hidden(&mut self, old: &Self, _s: &dyn Sees) {
        // Passwords and sign-in counters change only through their own functions.
        self.password_hash = old.password_hash.clone();
        self.must_change = old.must_change;
        self.created = old.created;
        self.last_sign_in = old.last_sign_in;
        self.failures = old.failures;
        self.retry_at = old.retry_at;
    }
}

/// The record table of a kind.
pub fn table_of(kind: EntityKind) -> records::Def {
    use records::*;
    match kind {
        EntityKind::Person => PEOPLE,
        EntityKind::Household => HOUSEHOLDS,
        EntityKind::Operator => OPERATORS,
        EntityKind::Contact => CONTACTS,
        EntityKind::Case => CASES,
        EntityKind::Project => PROJECTS,
        EntityKind::Referral => REFERRALS,
        EntityKind::Activity => ACTIVITIES,
        EntityKind::Area => AREAS,
        EntityKind::ServiceLine => LINES,
        EntityKind::Desk => DESKS,
        EntityKind::Measure => MEASURES,
        EntityKind::TerritorialService => SERVICES,
        EntityKind::Role => ROLES,
        EntityKind::Account => ACCOUNTS,
        EntityKind::AccessRole => ACCESS_ROLES,
        EntityKind::Purpose => PURPOSES,
        EntityKind::PrivacyEntry => PRIVACY,
        EntityKind::Appointment => APPOINTMENTS,
        EntityKind::DocumentKind => DOCUMENT_KINDS,
        EntityKind::Bando => BANDI,
        EntityKind::Pratica => PRATICHE,
        EntityKind::Document => DOCUMENTS,
    }
}

/// Group activities.
mod activity;
/// Attached documents (issue 15 part 3).
mod documents;
/// Bandi, kinds of document and pratiche (issue 15).
mod pratiche;
/// Privacy logs and appointments.
mod privacy;
