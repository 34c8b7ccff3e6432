//! Plain types of the service, the default catalogue, validation and the counting rules.
//! No egui and no redb here.

pub mod access;
pub mod activity;
pub mod appointment;
pub mod audit;
pub mod bando;
pub mod case;
pub mod catalogue;
pub mod codice_fiscale;
pub mod consent;
pub mod contact;
pub mod counting;
pub mod document;
pub mod ids;
pub mod person;
pub mod pratica;
pub mod privacy;
pub mod project;
pub mod referral;
pub mod time;
pub mod today;
pub mod validate;

pub use access::{AccessRole, Account, Permission, Permissions};
pub use activity::{Activity, Session};
pub use appointment::{Appointment, AppointmentOutcome};
pub use audit::{Action, AuditEntry, AuditRecord, EntityKind};
pub use bando::{Bando, DocumentKind, RequiredDocument};
pub use case::{Case, CaseStatus, Goal};
pub use catalogue::{
    Area, Catalogue, CountingUnit, Desk, Measure, Role, ServiceLine, TerritorialService,
};
pub use consent::{PrivacyAct, PrivacyChannel, PrivacyEntry, PrivacyState, Purpose};
pub use contact::{Contact, ContactKind, Subject};
pub use document::{
    Document, DocumentOwner, DocumentSettings, MediaType, NewDocument, check_upload,
};
pub use ids::Id;
pub use person::{BirthDate, Consent, Household, Membership, Operator, Person, Relationship, Sex};
pub use pratica::{
    ChecklistItem, DocumentState, Pratica, PraticaChannel, PraticaState, StateChange,
};
pub use project::{Attendance, HoursEntry, Project, ProjectKind, SchoolNeed};
pub use referral::{Referral, ReferralOutcome};
pub use validate::{FieldError, Problems};
