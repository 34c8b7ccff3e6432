//! «Scadenze di conservazione» in Impostazioni, for coordinators (the erasure's
//! permissions): the retention periods per kind of record, editable; the people whose
//! every record has passed its period, looked for in the background; and the erasure of
//! that whole list after the coordinator's confirmation (one registro entry each, reason
//! «Periodo di conservazione scaduto»). The store erases only those still due when the
//! confirmation arrives, then the file is compacted as after any erasure.

use super::erase_person;
use super::jobs::Job;
use super::{Env, widgets};
use crate::domain::privacy::{RetentionDue, RetentionSettings};
use crate::domain::time::fmt_date;
use crate::tr;
use egui::{RichText, Ui};
use std::sync::Arc;

/// The retention panel.
#[derive(Default)]
pub struct RetentionPanel {
    /// The settings as being edited (read when the panel first shows).
    settings: Option<RetentionSettings>,
    /// The settings as last saved (read or written here, never re-read per frame).
    saved: Option<RetentionSettings>,
    /// The list last found.
    due: Option<Vec<RetentionDue>>,
    job: Option<Job<Vec<RetentionDue>>>,
    /// The erasure of the confirmed list, running.
    erasing: Option<Job<usize>>,
    confirming: bool,
    message: Option<(bool, String)>,
}

impl RetentionPanel {
    /// Shows the panel (nothing for an account that may not erase).
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) {
        if !erase_person::allowed(env) {
            return;
        }
        ui.label(RichText::new(tr!("retention-title")).heading());
        ui.weak(tr!("retention-text"));
        self.poll(env);
        self.settings_ui(ui, env);
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let busy = self.job.is_some() || self.erasing.is_some();
            if ui
                .add_enabled(!busy, egui::Button::new(tr!("retention-find")))
                .clicked()
            {
                self.find(ui.ctx(), env);
            }
            if busy {
                ui.spinner();
                ui.weak(if self.erasing.is_some() {
                    tr!("retention-erasing")
                } else {
                    tr!("retention-finding")
                });
            }
        });
        if let Some((ok, m)) = &self.message {
            let color = if *ok {
                ui.visuals().text_color()
            } else {
                ui.visuals().error_fg_color
            };
            ui.colored_label(color, m);
        }
        let Some(due) = &self.due else {
            return;
        };
        if due.is_empty() {
            ui.label(tr!("retention-none"));
            return;
        }
        ui.label(tr!("retention-count", count = due.len() as i64));
        egui::ScrollArea::vertical()
            .id_salt("retention-list")
            .min_scrolled_height(220.0)
            .max_height(220.0)
            .show(ui, |ui| {
                egui::Grid::new("retention-grid")
                    .num_columns(3)
                    .striped(true)
                    .spacing([16.0, 2.0])
                    .show(ui, |ui| {
                        ui.strong(tr!("retention-col-name"));
                        ui.strong(tr!("retention-col-expired"));
                        ui.strong(tr!("retention-col-records"));
                        ui.end_row();
                        for d in due {
                            ui.label(&d.name);
                            ui.label(fmt_date(d.expired_on));
                            ui.label(d.records.to_string());
                            ui.end_row();
                        }
                    });
            });
        if env.can_write()
            && self.erasing.is_none()
            && ui.button(tr!("retention-erase-all")).clicked()
        {
            self.confirming = true;
        }
        if self.confirming {
            let text = tr!("retention-confirm", count = due.len() as i64);
            match widgets::confirm(ui.ctx(), "retention-confirm", &text, &tr!("retention-yes")) {
                None => {}
                Some(false) => self.confirming = false,
                Some(true) => {
                    self.confirming = false;
                    self.erase(ui.ctx(), env);
                }
            }
        }
    }

    fn poll(&mut self, env: &mut Env) {
        if let Some(job) = &mut self.erasing
            && let Some(result) = job.poll()
        {
            self.erasing = None;
            match result {
                Ok(n) => {
                    // The erased bytes leave the file now if the window holds the store
                    // alone (the job's handle is gone), else at the next open.
                    if let Some(store) = Arc::get_mut(&mut env.store) {
                        let _ = store.compact_erased();
                    }
                    env.database_replaced();
                    env.data.ready = false;
                    let msg = tr!("retention-erased", count = n as i64);
                    env.notify(msg.clone());
                    self.message = Some((true, msg));
                    self.due = Some(vec![]);
                }
                Err(e) => self.message = Some((false, e)),
            }
        }
        if let Some(job) = &mut self.job
            && let Some(result) = job.poll()
        {
            self.job = None;
            match result {
                Ok(due) => {
                    self.due = Some(due);
                    self.message = None;
                }
                Err(e) => self.message = Some((false, e)),
            }
        }
    }

    fn find(&mut self, ctx: &egui::Context, env: &Env) {
        let (Some(session), store) = (env.session.clone(), env.store.clone()) else {
            return;
        };
        self.due = None;
        self.job = Some(Job::spawn(ctx, move |_| {
            store.retention_due_as(&session).map_err(|e| e.to_string())
        }));
    }

    fn settings_ui(&mut self, ui: &mut Ui, env: &mut Env) {
        let settings = self
            .settings
            .get_or_insert_with(|| env.store.retention_settings().unwrap_or_default());
        // Saved when a value is settled (typed, or the drag released), not every frame of
        // a drag; `saved` is what the database holds.
        let before = *self.saved.get_or_insert(*settings);
        let mut settled = false;
        egui::Grid::new("retention-settings")
            .num_columns(2)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for (name, label) in RetentionSettings::NAMES {
                    let mut years = settings.get(name).unwrap_or(1);
                    let l = ui.label(label);
                    let r = ui
                        .add(
                            egui::DragValue::new(&mut years)
                                .range(1..=100)
                                .suffix(tr!("retention-years-suffix")),
                        )
                        .labelled_by(l.id);
                    ui.end_row();
                    if settings.get(name) != Some(years) {
                        let _ = settings.set(name, years);
                    }
                    settled |= r.drag_stopped() || r.lost_focus() || (r.changed() && !r.dragged());
                }
            });
        if settled && *settings != before {
            let s = *settings;
            let result = match &env.session {
                Some(session) => env.store.set_retention_settings_as(session, &s),
                None => env.store.set_retention_settings(&s),
            };
            match result {
                Ok(()) => {
                    self.saved = Some(s);
                    // A list found with the old periods no longer holds.
                    self.due = None;
                    self.message = Some((true, tr!("retention-saved")));
                }
                Err(e) => self.message = Some((false, e.to_string())),
            }
        }
    }

    /// Erases the confirmed list in a background job (a long list takes seconds); the
    /// list stays hidden meanwhile and every button waits.
    fn erase(&mut self, ctx: &egui::Context, env: &Env) {
        let (Some(session), Some(due)) = (env.session.clone(), self.due.take()) else {
            return;
        };
        let chosen: Vec<_> = due.iter().map(|d| d.person).collect();
        let store = env.store.clone();
        self.message = None;
        self.erasing = Some(Job::spawn(ctx, move |_| {
            store
                .apply_retention_uncompacted_as(&session, &chosen)
                .map(|done| done.len())
                .map_err(|e| e.to_string())
        }));
    }
}
