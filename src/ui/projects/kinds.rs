//! The fields that depend on the kind of project (tirocinio, messa alla prova, case
//! manager, sostegno allo studio), and the allowance written in euros.

use super::form::Draft;
use crate::domain::*;
use crate::tr;
use crate::ui::labels::ProjectType;
use crate::ui::widgets::{self, text_row};
use crate::ui::{Env, labels};
use egui::Ui;

/// Cents written as euros: `400`, or `400,50` when there are cents.
pub(super) fn euros(cents: u32) -> String {
    if cents.is_multiple_of(100) {
        (cents / 100).to_string()
    } else {
        format!("{},{:02}", cents / 100, cents % 100)
    }
}

/// Parses an amount in euros (`400`, `400,50`, `€ 1.200`) into cents; a problem on
/// `allowance` when it is not a valid amount.
pub(super) fn parse_euros(p: &mut Problems, text: &str) -> u32 {
    let t = text.trim().replace('€', "");
    let t = t.trim();
    if t.is_empty() {
        return 0;
    }
    match t.replace('.', "").replace(',', ".").parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=100_000.0).contains(&v) => (v * 100.0).round() as u32,
        _ => {
            p.add("allowance", "Importo non valido (es. 400 oppure 400,50)");
            0
        }
    }
}

/// The rows of the project grid for the fields of the chosen kind.
pub(super) fn kind_rows(ui: &mut Ui, env: &Env, d: &mut Draft, p: &Problems) {
    match d.kind {
        ProjectType::Tirocinio => {
            text_row(
                ui,
                &tr!("internship-host"),
                &mut d.host,
                p.for_field("host"),
            );
            text_row(
                ui,
                &tr!("internship-hours-week"),
                &mut d.hours_per_week,
                p.for_field("hours_per_week"),
            );
            widgets::text_row_hint(
                ui,
                &tr!("internship-allowance"),
                &mut d.allowance,
                "400,00",
                p.for_field("allowance"),
            );
        }
        ProjectType::MessaAllaProva => {
            text_row(
                ui,
                &tr!("map-uepe"),
                &mut d.uepe,
                p.for_field("uepe_office"),
            );
            text_row(ui, &tr!("map-court"), &mut d.court, p.for_field("court"));
            text_row(
                ui,
                &tr!("map-court-file"),
                &mut d.court_file,
                p.for_field("court_file"),
            );
            text_row(
                ui,
                &tr!("map-hours-required"),
                &mut d.hours_required,
                p.for_field("hours_required"),
            );
        }
        ProjectType::CaseManager => {
            let ops = widgets::with_none(widgets::operator_options(&env.data, d.cm_referente));
            widgets::choice_row(
                ui,
                &tr!("cm-referente"),
                &mut d.cm_referente,
                &ops,
                p.for_field("referente"),
            );
            widgets::multiline_row(ui, &tr!("cm-plan"), &mut d.cm_plan, p.for_field("plan"));
        }
        ProjectType::SostegnoStudio => {
            text_row(
                ui,
                &tr!("study-school"),
                &mut d.school,
                p.for_field("school"),
            );
            text_row(ui, &tr!("study-class"), &mut d.class, p.for_field("class"));
            let needs: Vec<(SchoolNeed, String)> =
                [SchoolNeed::Bes, SchoolNeed::Dsa, SchoolNeed::BesDsa]
                    .into_iter()
                    .map(|n| (n, labels::school_need(n)))
                    .collect();
            widgets::choice_row(ui, &tr!("study-need"), &mut d.need, &needs, None);
            text_row(
                ui,
                &tr!("internship-hours-week"),
                &mut d.study_hours,
                p.for_field("hours_per_week"),
            );
        }
    }
}
