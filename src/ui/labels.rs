//! Names of the domain's fixed choices in the interface language (keys in `common.ftl`).

use crate::domain::*;
use crate::ui::i18n::tr;

/// Kind of contact.
pub fn contact_kind(k: ContactKind) -> String {
    tr(&format!("contact-kind-{k:?}"))
}

/// Outcome of an appointment.
pub fn appointment_outcome(o: AppointmentOutcome) -> String {
    tr(&format!("appointment-outcome-{o:?}"))
}

/// Status of a case.
pub fn case_status(s: CaseStatus) -> String {
    tr(&format!("case-status-{s:?}"))
}

/// Outcome of a referral.
pub fn referral_outcome(o: ReferralOutcome) -> String {
    tr(&format!("referral-outcome-{o:?}"))
}

/// Relationship within a household.
pub fn relationship(r: Relationship) -> String {
    tr(&format!("relationship-{r:?}"))
}

/// Sex.
pub fn sex(s: Sex) -> String {
    tr(&format!("sex-{s:?}"))
}

/// BES / DSA.
pub fn school_need(n: SchoolNeed) -> String {
    tr(&format!("school-need-{n:?}"))
}

/// Counting unit.
pub fn unit(u: CountingUnit) -> String {
    tr(&format!("unit-{u:?}"))
}

/// The kinds of project, as a choice before the fields exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProjectType {
    /// Tirocinio.
    Tirocinio,
    /// Messa alla prova.
    MessaAllaProva,
    /// Case manager.
    CaseManager,
    /// Sostegno allo studio.
    SostegnoStudio,
}

impl ProjectType {
    /// Every kind.
    pub const ALL: [ProjectType; 4] = [
        ProjectType::Tirocinio,
        ProjectType::MessaAllaProva,
        ProjectType::CaseManager,
        ProjectType::SostegnoStudio,
    ];

    /// The kind of a project.
    pub fn of(k: &ProjectKind) -> ProjectType {
        match k {
            ProjectKind::Tirocinio { .. } => ProjectType::Tirocinio,
            ProjectKind::MessaAllaProva { .. } => ProjectType::MessaAllaProva,
            ProjectKind::CaseManager { .. } => ProjectType::CaseManager,
            ProjectKind::SostegnoStudio { .. } => ProjectType::SostegnoStudio,
        }
    }

    /// The name in the interface language.
    pub fn label(self) -> String {
        tr(&format!("project-kind-{self:?}"))
    }

    /// The service line code new projects of this kind default to.
    pub fn default_line(self) -> &'static str {
        use crate::domain::catalogue::line_codes;
        match self {
            ProjectType::Tirocinio => line_codes::TIROCINI,
            ProjectType::MessaAllaProva => line_codes::MAP,
            ProjectType::CaseManager => line_codes::CASE_MANAGER,
            ProjectType::SostegnoStudio => line_codes::STUDIO,
        }
    }
}
