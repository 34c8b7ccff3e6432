//! Appuntamenti: the day and week of a desk (this workstation's by default) or of an
//! operator; booking (`form`); on each appointment still to come «Registra accesso» (the
//! contact form filled in from it: saving it marks the appointment held, in the same
//! transaction), «Non presentato», «Annulla appuntamento» and the reminder slip (`print`).
//! The footer counts the year's no-shows per line.

mod form;
mod print;

use super::dashboard::multiples::short_name;
use super::{Env, OpenForm, labels};
use crate::domain::time::fmt_date;
use crate::domain::*;
use crate::tr;
use crate::ui::widgets;
use chrono::{Datelike, Duration, NaiveDate};
use egui::{RichText, Ui};
use form::BookingForm;
use print::ReminderPrint;

/// A day or a week (Monday to Sunday).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Span {
    #[default]
    Day,
    Week,
}

/// What the loaded rows were read for: reloaded when any of it changes.
type Key = (NaiveDate, NaiveDate, u64, u64, u64);

/// The Appuntamenti screen.
#[derive(Default)]
pub struct AppointmentsScreen {
    span: Span,
    /// The day shown (or a day of the week shown); today at first.
    day: Option<NaiveDate>,
    /// The desk filter (`None`: every desk); this workstation's desk at first.
    desk: Option<Option<Id>>,
    /// The operator filter (`None`: every operator).
    operator: Option<Id>,
    rows: Vec<Appointment>,
    no_shows: Vec<(Option<Id>, u64)>,
    loaded: Option<Key>,
    form: Option<BookingForm>,
    print: Option<ReminderPrint>,
}

impl AppointmentsScreen {
    fn range(&self, day: NaiveDate) -> (NaiveDate, NaiveDate) {
        match self.span {
            Span::Day => (day, day),
            Span::Week => {
                let monday = day - Duration::days(day.weekday().num_days_from_monday() as i64);
                (monday, monday + Duration::days(6))
            }
        }
    }

    fn load(&mut self, env: &mut Env, day: NaiveDate) {
        let (from, to) = self.range(day);
        let key = (
            from,
            to,
            env.revision(EntityKind::Appointment),
            env.revision(EntityKind::Contact),
            env.generation(),
        );
        if self.loaded == Some(key) {
            return;
        }
        self.loaded = Some(key);
        let read = env
            .read()
            .and_then(|r| Ok((r.appointments_between(from, to)?, r.no_shows(from.year())?)));
        match read {
            Ok((rows, no_shows)) => {
                self.rows = rows;
                self.no_shows = no_shows;
            }
            Err(e) => {
                self.rows.clear();
                env.fail(e.to_string());
            }
        }
    }

    /// Shows the screen.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) {
        let today = env.store.clock().today();
        let day = *self.day.get_or_insert(today);
        let desk = *self.desk.get_or_insert(Some(env.desk));
        self.load(env, day);
        env.dialog_open |= self.form.is_some() || self.print.is_some();
        if let Some(f) = &mut self.form
            && let Some(saved) = f.ui(ui.ctx(), env)
        {
            self.form = None;
            if let Some(d) = saved {
                self.day = Some(d);
            }
        }
        if let Some(p) = &mut self.print
            && p.ui(ui.ctx(), env)
        {
            self.print = None;
        }
        ui.heading(tr!("appointments-title"));
        self.toolbar(ui, env, day, today);
        ui.separator();
        let shown: Vec<Appointment> = self
            .rows
            .iter()
            .filter(|a| desk.is_none_or(|d| a.desk == d))
            .filter(|a| self.operator.is_none_or(|o| a.operator == o))
            .cloned()
            .collect();
        let footer = self.footer(env, &shown, day);
        egui::Panel::bottom("appointments-footer")
            .show_separator_line(true)
            .show(ui, |ui| {
                ui.label(footer);
            });
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| match self.span {
                Span::Day => self.day_list(ui, env, &shown, day, desk.is_none()),
                Span::Week => self.week(ui, env, &shown, day),
            });
    }

    fn toolbar(&mut self, ui: &mut Ui, env: &mut Env, day: NaiveDate, today: NaiveDate) {
        ui.horizontal_wrapped(|ui| {
            if ui
                .selectable_label(self.span == Span::Day, tr!("appointments-day"))
                .clicked()
            {
                self.span = Span::Day;
            }
            if ui
                .selectable_label(self.span == Span::Week, tr!("appointments-week"))
                .clicked()
            {
                self.span = Span::Week;
            }
            ui.separator();
            let step = if self.span == Span::Day { 1 } else { 7 };
            if ui
                .button("◀")
                .on_hover_text(tr!("appointments-previous"))
                .named(&tr!("appointments-previous"))
                .clicked()
            {
                self.day = Some(day - Duration::days(step));
            }
            if ui.button(tr!("appointments-today")).clicked() {
                self.day = Some(today);
            }
            if ui
                .button("▶")
                .on_hover_text(tr!("appointments-next"))
                .named(&tr!("appointments-next"))
                .clicked()
            {
                self.day = Some(day + Duration::days(step));
            }
            let (from, to) = self.range(day);
            let title = match self.span {
                Span::Day => day_title(day),
                Span::Week => tr!(
                    "appointments-week-of",
                    from = fmt_date(from),
                    to = fmt_date(to)
                ),
            };
            ui.label(RichText::new(title).strong());
            ui.separator();
            let l = ui.label(tr!("appointments-desk"));
            let mut desk = self.desk.flatten();
            let desks = widgets::with_all(widgets::desk_options(&env.data, desk));
            widgets::choice(ui, "appointments-desk", l.id, &mut desk, &desks, 150.0);
            self.desk = Some(desk);
            let l = ui.label(tr!("appointments-operator"));
            let ops = widgets::with_all(widgets::operator_options(&env.data, self.operator));
            widgets::choice(
                ui,
                "appointments-operator",
                l.id,
                &mut self.operator,
                &ops,
                150.0,
            );
            ui.separator();
            if env.can_write() && ui.button(tr!("appointments-new")).clicked() {
                let desk = self.desk.flatten().unwrap_or(env.desk);
                let op = self.operator.unwrap_or(env.operator);
                self.form = Some(BookingForm::new(env, day, desk, op));
            }
        });
    }

    /// The footer: how many shown, and the year's no-shows per line.
    fn footer(&self, env: &Env, shown: &[Appointment], day: NaiveDate) -> String {
        let total: u64 = self.no_shows.iter().map(|(_, n)| n).sum();
        let per: Vec<String> = self
            .no_shows
            .iter()
            .map(|(l, n)| {
                let name = match l {
                    Some(l) => short_name(env.data.catalog.name(*l)).to_string(),
                    None => tr!("appointments-no-line"),
                };
                format!("{name} {n}")
            })
            .collect();
        let mut s = tr!(
            "appointments-footer",
            shown = shown.len() as i64,
            year = day.year() as i64,
            missed = total as i64
        );
        if !per.is_empty() {
            s.push_str(&format!(" ({})", per.join(", ")));
        }
        s
    }

    fn day_list(
        &mut self,
        ui: &mut Ui,
        env: &mut Env,
        shown: &[Appointment],
        day: NaiveDate,
        all_desks: bool,
    ) {
        let of_day: Vec<&Appointment> = shown.iter().filter(|a| a.start.date() == day).collect();
        if of_day.is_empty() {
            ui.label(RichText::new(tr!("appointments-none")).italics());
            return;
        }
        egui::Grid::new("appointments-day")
            .num_columns(4)
            .striped(true)
            .spacing([14.0, 8.0])
            .show(ui, |ui| {
                for a in of_day {
                    self.row(ui, env, a, all_desks);
                    ui.end_row();
                }
            });
    }

    fn row(&mut self, ui: &mut Ui, env: &mut Env, a: &Appointment, all_desks: bool) {
        let name = env.data.subject_name(a.subject);
        let when = format!("{}–{}", a.start.format("%H:%M"), a.end().format("%H:%M"));
        ui.label(RichText::new(&when).strong().monospace());
        ui.vertical(|ui| {
            ui.set_width(180.0);
            ui.label(RichText::new(&name).strong());
            if !a.note.is_empty() {
                ui.label(RichText::new(&a.note).small());
            }
        });
        ui.vertical(|ui| {
            ui.set_width(170.0);
            ui.horizontal(|ui| {
                ui.label(env.data.catalog.name(a.operator));
                ui.label(outcome_text(ui, a.outcome));
            });
            let mut place = short_name(env.data.catalog.name_opt(a.line)).to_string();
            if all_desks {
                place = format!("{place} · {}", env.data.catalog.name(a.desk));
            }
            ui.label(RichText::new(place).small());
        });
        let who = format!("{name}, {}", a.start.format("%H:%M"));
        let write = env.can_write();
        ui.horizontal(|ui| {
            if !write {
                return;
            }
            let button = |ui: &mut Ui, key: &str| {
                let full = format!("{}: {who}", tr!(key));
                ui.button(tr!(key))
                    .on_hover_text(&full)
                    .named(&full)
                    .clicked()
            };
            match a.outcome {
                AppointmentOutcome::Previsto => {
                    if button(ui, "appointments-visit") {
                        env.open = Some(OpenForm::ContactFromAppointment(a.id));
                    }
                    if button(ui, "appointments-no-show") {
                        set_outcome(env, a.id, AppointmentOutcome::NonPresentato);
                    }
                    if button(ui, "appointments-cancel") {
                        set_outcome(env, a.id, AppointmentOutcome::Annullato);
                    }
                    if button(ui, "appointments-edit") {
                        self.form = Some(BookingForm::edit(a.clone()));
                    }
                }
                AppointmentOutcome::Svolto => {
                    if let Some(c) = a.contact
                        && button(ui, "appointments-open-contact")
                    {
                        env.open = Some(OpenForm::Edit(EntityKind::Contact, c));
                    }
                }
                AppointmentOutcome::NonPresentato | AppointmentOutcome::Annullato => {
                    if button(ui, "appointments-reopen") {
                        set_outcome(env, a.id, AppointmentOutcome::Previsto);
                    }
                }
            }
            if a.outcome != AppointmentOutcome::Annullato && button(ui, "appointments-reminder") {
                self.print = Some(ReminderPrint::new(env, a.id));
            }
        });
    }

    fn week(&mut self, ui: &mut Ui, env: &mut Env, shown: &[Appointment], day: NaiveDate) {
        let (from, _) = self.range(day);
        let days: Vec<NaiveDate> = (0..7).map(|i| from + Duration::days(i)).collect();
        let today = env.store.clock().today();
        let width = (ui.available_width() - 6.0 * 8.0) / 7.0;
        ui.horizontal_top(|ui| {
            for d in days {
                ui.allocate_ui(egui::vec2(width.max(120.0), ui.available_height()), |ui| {
                    ui.set_width(width.max(120.0));
                    ui.vertical(|ui| {
                        let mut title = RichText::new(day_title(d)).strong();
                        if d == today {
                            title = title.color(ui.visuals().hyperlink_color);
                        }
                        if ui
                            .add(egui::Button::new(title).frame(false))
                            .on_hover_text(tr!("appointments-open-day"))
                            .clicked()
                        {
                            self.day = Some(d);
                            self.span = Span::Day;
                        }
                        ui.separator();
                        for a in shown.iter().filter(|a| a.start.date() == d) {
                            let text = format!(
                                "{} {}\n{}",
                                a.start.format("%H:%M"),
                                env.data.subject_name(a.subject),
                                env.data.catalog.name(a.operator),
                            );
                            let frame =
                                egui::Frame::group(ui.style()).fill(outcome_fill(ui, a.outcome));
                            frame.show(ui, |ui| {
                                ui.set_width(width.max(120.0) - 14.0);
                                ui.label(RichText::new(text).small());
                                ui.label(outcome_text(ui, a.outcome).small());
                            });
                        }
                    });
                });
            }
        });
    }
}

/// A short button with a full accessible name (each one told apart by a screen reader).
trait Named {
    fn named(self, full: &str) -> Self;
}

impl Named for egui::Response {
    fn named(self, full: &str) -> Self {
        self.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, full));
        self
    }
}

/// "gi 3 dicembre 2026": the day of the week and the day in words.
fn day_title(d: NaiveDate) -> String {
    format!(
        "{} {}",
        tr!(&format!("weekday-{}", d.weekday().number_from_monday())),
        widgets::day_words(d)
    )
}

/// The outcome as coloured text.
fn outcome_text(ui: &Ui, o: AppointmentOutcome) -> RichText {
    let t = RichText::new(labels::appointment_outcome(o));
    match o {
        AppointmentOutcome::Previsto => t,
        AppointmentOutcome::Svolto => t.color(egui::Color32::from_rgb(0x2e, 0x7d, 0x32)),
        AppointmentOutcome::NonPresentato => t.color(ui.visuals().error_fg_color),
        AppointmentOutcome::Annullato => t.weak().strikethrough(),
    }
}

fn outcome_fill(ui: &Ui, o: AppointmentOutcome) -> egui::Color32 {
    match o {
        AppointmentOutcome::Previsto => ui.visuals().extreme_bg_color,
        _ => ui.visuals().faint_bg_color,
    }
}

/// Marks an appointment missed, cancelled or back to booked.
fn set_outcome(env: &mut Env, id: Id, outcome: AppointmentOutcome) {
    let r = env.transaction(|w| {
        w.set_appointment_outcome(id, outcome)?;
        Ok(((), vec![(EntityKind::Appointment, id)]))
    });
    match r {
        Ok(()) => env.notify(tr!(
            "appointments-marked",
            outcome = labels::appointment_outcome(outcome)
        )),
        Err(e) => env.fail(e.to_string()),
    }
}
