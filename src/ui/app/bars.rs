//! The bars around the screen: the left navigation, the top bar (global search, desk,
//! operator) and the status line (database, counts, progress, backup reminder, messages).

use super::AccoglienzaApp;
use crate::domain::*;
use crate::tr;
use crate::ui::Route;
use crate::ui::widgets::SubjectPicker;
use crate::ui::{backup, widgets};
use egui::RichText;

/// The search box of the top bar: people and households as you type.
#[derive(Default)]
pub(super) struct GlobalSearch {
    pub(super) picker: Option<SubjectPicker>,
}

impl GlobalSearch {
    /// Trova: people and households, results in a drop-down under the field.
    pub(super) fn picker() -> SubjectPicker {
        SubjectPicker::new("global-search", true).dropdown()
    }
}

impl AccoglienzaApp {
    pub(super) fn nav(&mut self, ui: &mut egui::Ui) {
        ui.add_space(6.0);
        for r in Route::NAV.iter() {
            if !self.env.may_open(*r) {
                continue;
            }
            let i = Route::SECTIONS.iter().position(|s| s == r).unwrap_or(0);
            let selected = self.route.section() == *r;
            let badge = match r {
                Route::Today => self.today.badge(),
                _ => 0,
            };
            let name = if badge > 0 {
                tr!("nav-today-badge", n = badge as i64)
            } else {
                tr!(r.key())
            };
            let text = RichText::new(name).size(ui.text_style_height(&egui::TextStyle::Body) + 1.0);
            let mut resp = ui.add_sized(
                [ui.available_width(), 28.0],
                egui::Button::selectable(selected, text),
            );
            if badge > 0 {
                resp = resp.on_hover_text(tr!("nav-today-badge-hint", n = badge as i64));
            }
            // Alt+1…Alt+0 reach the first ten sections.
            if i < 10 {
                resp = resp.on_hover_text(tr!("nav-shortcut", n = ((i + 1) % 10) as i64));
            }
            if resp.clicked() {
                self.env.nav = Some(*r);
            }
            // After Oggi, and after Équipe (before the dashboard and the settings).
            if *r == Route::Today || *r == Route::Team {
                ui.separator();
            }
        }
    }

    pub(super) fn top_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.label(RichText::new(tr!("app-title")).heading().strong());
            ui.add_space(16.0);
            if self.welcome.is_none() && self.env.data.ready && !self.gated() {
                let l = ui.label(tr!("top-search"));
                let p = self.search.picker.get_or_insert_with(GlobalSearch::picker);
                if let widgets::Picked::Chosen(s) = p.ui(ui, &self.env.data, l.id) {
                    p.selected = None;
                    p.query.clear();
                    self.env.nav = Some(match s {
                        Subject::Person(id) => Route::Person(id),
                        Subject::Household(id) => Route::Household(id),
                    });
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if self.welcome.is_some() || self.gated() {
                    return;
                }
                if ui
                    .button(tr!("top-lock"))
                    .on_hover_text(tr!("top-lock-hint"))
                    .clicked()
                {
                    self.lock();
                    return;
                }
                if ui.button(tr!("signout")).clicked() {
                    self.sign_out();
                    return;
                }
                let who = match &self.env.session {
                    Some(s) => match self.env.data.catalog.operator(self.env.operator) {
                        Some(o) => format!("👤 {} ({})", o.display_name(), s.username()),
                        None => format!("👤 {}", s.username()),
                    },
                    None => tr!("top-no-operator"),
                };
                if ui
                    .button(who)
                    .on_hover_text(tr!("top-account-hint"))
                    .clicked()
                {
                    self.env.nav = Some(Route::Settings);
                }
                ui.add_space(12.0);
                let options = widgets::desk_options(&self.env.data, Some(self.env.desk));
                let before = self.env.desk;
                let combo =
                    widgets::choice_unlabelled(ui, "top-desk", &mut self.env.desk, &options, 190.0);
                let dl = ui.label(tr!("top-desk"));
                combo.labelled_by(dl.id);
                if self.env.desk != before {
                    self.env.prefs.desk = Some(self.env.desk);
                }
            });
        });
    }

    pub(super) fn status_line(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let d = &self.env.data;
            ui.weak(tr!(
                "status-database",
                path = self.env.store.path().display().to_string()
            ));
            if d.ready {
                ui.weak(tr!(
                    "status-counts",
                    people = d.people.len() as i64,
                    households = d.households.len() as i64
                ));
            }
            if let Some(job) = &self.load_job {
                ui.add(egui::ProgressBar::new(job.fraction()).desired_width(120.0));
            }
            let now = ui.input(|i| i.time);
            if self.reminder_at.is_none_or(|t| now - t > 5.0) {
                self.reminder = backup::reminder(&self.env.store);
                self.reminder_at = Some(now);
            }
            if let Some(r) = &self.reminder
                && ui
                    .link(RichText::new(r).color(ui.visuals().warn_fg_color))
                    .clicked()
            {
                self.goto(Route::Settings);
            }
            if let Some((m, err)) = &self.env.message {
                if *err {
                    ui.colored_label(ui.visuals().error_fg_color, m);
                } else {
                    ui.label(m);
                }
            }
        });
    }
}
