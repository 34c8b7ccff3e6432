//! Oggi, the first screen after sign-in: what is due or overdue for the operator at the
//! desk (for a coordinator: across the team, with a filter by operator), each item one
//! click from its record. The list is built by `stats::today` once per change of the
//! records it reads (revision stamps), inline on a small database and in a background
//! job on a large one; the navigation's badge counts what is due today or overdue.

mod lines;
mod settings;

use super::jobs::{Job, stamp};
use super::{Env, OpenForm, Route};
use crate::domain::time::fmt_date_words;
use crate::domain::today::TodaySettings;
use crate::domain::*;
use crate::stats::today::{Agenda, Scope, Target};
use crate::store::today::TEAM_PERMISSION;
use crate::tr;
use egui::{RichText, Ui};
use lines::Line;

/// The kinds of record Oggi reads: a write to any of them builds it again.
const READS: [EntityKind; 10] = [
    EntityKind::Appointment,
    EntityKind::Pratica,
    EntityKind::Bando,
    EntityKind::Referral,
    EntityKind::Project,
    EntityKind::Case,
    EntityKind::Contact,
    EntityKind::PrivacyEntry,
    EntityKind::Person,
    EntityKind::Household,
];

/// The Oggi screen.
#[derive(Default)]
pub struct TodayScreen {
    /// The stamp the agenda on screen (or being built) was built for.
    key: Option<u64>,
    agenda: Option<Agenda>,
    job: Option<(u64, Job<Agenda>)>,
    /// The thresholds (read at the first frame and after a save).
    settings: Option<TodaySettings>,
    /// The coordinator's filter: one operator, or the whole team (`None`).
    filter: Option<Id>,
    /// The lines drawn, for (agenda stamp, filter, language): today's appointments, then
    /// the items (how many due today or overdue: the first ones).
    lines: Option<(u64, Vec<Line>, Vec<Line>, usize)>,
    error: Option<String>,
    edit: settings::Edit,
}

/// A row of the list: a section's title or an item's line (true: an appointment).
enum Row<'a> {
    Title(String),
    Item(&'a Line, bool),
}

impl TodayScreen {
    fn scope(env: &Env) -> Scope {
        if env.may(TEAM_PERMISSION) {
            Scope::Team
        } else {
            Scope::Operator(env.operator)
        }
    }

    /// Builds the agenda again when a record it reads, the day, the thresholds or the
    /// account changed (cheap otherwise: one stamp per frame). Called every frame while
    /// someone is signed in, so the badge is right on every screen.
    pub fn refresh(&mut self, ctx: &egui::Context, env: &mut Env) {
        let Some(session) = env.session.clone() else {
            return;
        };
        if !env.data.ready || session.must_change() || !env.may_open(Route::Today) {
            return;
        }
        if let Some((key, job)) = &mut self.job
            && let Some(result) = job.poll()
        {
            let key = *key;
            self.job = None;
            match result {
                Ok(a) => {
                    self.agenda = Some(a);
                    self.key = Some(key);
                    self.error = None;
                }
                Err(e) => self.error = Some(e),
            }
        }
        let settings = *self
            .settings
            .get_or_insert_with(|| env.store.today_settings().unwrap_or_default());
        let today = env.store.clock().today();
        let scope = Self::scope(env);
        let mut parts: Vec<u64> = READS.iter().map(|k| env.revision(*k)).collect();
        parts.extend([
            env.generation(),
            time::day_number(today) as u64,
            u64::from(settings.behind_hours),
            u64::from(settings.ending_days),
            u64::from(settings.informativa_days),
            session.account().0 as u64,
            env.operator.0 as u64,
            matches!(scope, Scope::Team) as u64,
        ]);
        let key = stamp(&parts);
        if self.key == Some(key) || self.job.as_ref().is_some_and(|(k, _)| *k == key) {
            return;
        }
        let reads = env.reads();
        let build = move || {
            let r = reads.read().map_err(|e| e.to_string())?;
            Agenda::build(&r, scope, today, &settings).map_err(|e| e.to_string())
        };
        if env.inline_loads() {
            match build() {
                Ok(a) => {
                    self.agenda = Some(a);
                    self.error = None;
                }
                Err(e) => self.error = Some(e),
            }
            self.key = Some(key);
            self.job = None;
        } else {
            self.job = Some((key, Job::spawn(ctx, move |_| build())));
        }
    }

    /// How many items are due today or overdue (the navigation's badge), for the operator
    /// chosen on screen (a coordinator) or the account's own.
    pub fn badge(&self) -> usize {
        self.agenda.as_ref().map_or(0, |a| a.due_count(self.filter))
    }

    /// True while the list is being built in the background.
    pub fn loading(&self) -> bool {
        self.job.is_some()
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) {
        let today = env.store.clock().today();
        ui.heading(tr!("today-heading", date = fmt_date_words(today)));
        let team = matches!(Self::scope(env), Scope::Team);
        ui.weak(tr!(if team {
            "today-intro-team"
        } else {
            "today-intro"
        }));
        if team {
            self.team_bar(ui, env);
        }
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        let Some(agenda) = &self.agenda else {
            ui.label(tr!("today-loading"));
            return;
        };
        if self.job.is_some() {
            ui.weak(tr!("today-loading"));
        }
        let lang = crate::ui::i18n::lang() as u64;
        let key = stamp(&[
            self.key.unwrap_or(0),
            self.filter.map_or(0, |o| o.0 as u64),
            lang,
        ]);
        if self.lines.as_ref().is_none_or(|(k, ..)| *k != key) {
            let booked: Vec<Line> = agenda
                .appointments
                .iter()
                .enumerate()
                .filter(|(_, i)| self.filter.is_none_or(|o| i.operator == Some(o)))
                .map(|(n, i)| lines::line(n, i, today, &env.data))
                .collect();
            let mut out: Vec<Line> = agenda
                .items
                .iter()
                .enumerate()
                .filter(|(_, i)| self.filter.is_none_or(|o| i.operator == Some(o)))
                .map(|(n, i)| lines::line(n, i, today, &env.data))
                .collect();
            // Due today or overdue first, then the next days (the agenda is by date).
            out.sort_by_key(|l| agenda.items[l.index].due > today);
            let due = out
                .iter()
                .filter(|l| agenda.items[l.index].due <= today)
                .count();
            self.lines = Some((key, booked, out, due));
        }
        let Some((_, booked, lines, due)) = &self.lines else {
            return;
        };
        if !agenda.denied.is_empty() {
            ui.weak(tr!("today-denied"));
        }
        ui.add_space(4.0);
        if lines.is_empty() && booked.is_empty() {
            ui.label(tr!("today-none"));
            return;
        }
        let mut rows: Vec<Row> = Vec::with_capacity(booked.len() + lines.len() + 3);
        if !booked.is_empty() {
            rows.push(Row::Title(tr!(
                "today-appointments-section",
                n = booked.len() as i64
            )));
            rows.extend(booked.iter().map(|l| Row::Item(l, true)));
        }
        if *due > 0 {
            rows.push(Row::Title(tr!("today-due-section", n = *due as i64)));
            rows.extend(lines[..*due].iter().map(|l| Row::Item(l, false)));
        }
        if lines.len() > *due {
            rows.push(Row::Title(tr!(
                "today-soon-section",
                n = (lines.len() - due) as i64
            )));
            rows.extend(lines[*due..].iter().map(|l| Row::Item(l, false)));
        }
        let mut clicked = None;
        let h = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show_rows(ui, h, rows.len(), |ui, range| {
                for row in &rows[range] {
                    match row {
                        Row::Title(t) => {
                            ui.allocate_ui_with_layout(
                                egui::vec2(ui.available_width(), h),
                                egui::Layout::left_to_right(egui::Align::Max),
                                |ui| ui.label(RichText::new(t).strong().size(h - 6.0)),
                            );
                        }
                        Row::Item(l, booked) => {
                            if item_row(ui, l, team, h) {
                                let list = if *booked {
                                    &agenda.appointments
                                } else {
                                    &agenda.items
                                };
                                clicked = Some(list[l.index].target);
                            }
                        }
                    }
                }
            });
        match clicked {
            Some(Target::Record(kind, id)) => env.open = Some(OpenForm::Edit(kind, id)),
            Some(Target::Person(id)) => env.goto(Route::Person(id)),
            Some(Target::Household(id)) => {
                env.open = Some(OpenForm::Edit(EntityKind::Household, id));
            }
            Some(Target::Visit(id)) => env.open = Some(OpenForm::ContactFromAppointment(id)),
            None => {}
        }
    }

    fn team_bar(&mut self, ui: &mut Ui, env: &mut Env) {
        ui.horizontal(|ui| {
            let l = ui.label(tr!("today-operator"));
            let mut options = vec![(None, tr!("today-all-team"))];
            options.extend(
                env.data
                    .catalog
                    .active_operators()
                    .map(|o| (Some(o.id), o.display_name())),
            );
            crate::ui::widgets::choice(
                ui,
                "today-operator",
                l.id,
                &mut self.filter,
                &options,
                220.0,
            );
        });
        if self.edit.ui(ui, env, &mut self.settings) {
            // Saved: the stamp changes with the thresholds and the list is built again.
            self.key = None;
        }
    }
}

/// A cell `width` wide, its content left-aligned (cut with "…" where too long).
fn cell(ui: &mut Ui, width: f32, h: f32, text: RichText) {
    ui.allocate_ui_with_layout(
        egui::vec2(width, h),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_min_width(width);
            ui.add(egui::Label::new(text).truncate());
        },
    );
}

/// One item: its date, kind, (team view) the operator, and the link to its record.
/// Returns true when clicked.
fn item_row(ui: &mut Ui, l: &Line, team: bool, h: f32) -> bool {
    let mut clicked = false;
    ui.allocate_ui_with_layout(
        egui::vec2(ui.available_width(), h),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            let when = RichText::new(&l.when);
            let when = if l.overdue {
                when.color(ui.visuals().warn_fg_color)
            } else {
                when
            };
            cell(ui, 86.0, h, when);
            cell(ui, 140.0, h, RichText::new(&l.kind).strong());
            if team {
                cell(ui, 150.0, h, RichText::new(&l.operator).weak());
            }
            clicked = ui
                .add(egui::Link::new(&l.text))
                .on_hover_text(tr!("today-open-hint"))
                .clicked();
        },
    );
    clicked
}
