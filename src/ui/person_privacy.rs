//! The cartella's «Privacy e consensi» section (GDPR art. 7, 13, 18): the informativa
//! given, the consent per purpose (given or withdrawn, effective at once), the restriction
//! of processing that only a coordinator starts or lifts, and the whole privacy log. Also
//! the banner a restricted person's cartella shows at the top.
//!
//! Entries are only added, never edited: a mistake is corrected by a new entry (a consent
//! recorded by mistake is withdrawn), so the log stays the history the privacy officer
//! reads.

use super::Env;
use super::forms::save_record;
use super::jobs::stamp;
use super::widgets::{self, FIELD_WIDTH};
use crate::domain::time::fmt_datetime;
use crate::domain::*;
use crate::tr;
use egui::{RichText, Ui};

/// A new entry being recorded.
struct EntryForm {
    act: PrivacyAct,
    purpose: Option<Id>,
    version: String,
    channel: PrivacyChannel,
    note: String,
    problems: Problems,
    /// The first field takes the keyboard when the form opens.
    focus: bool,
}

impl EntryForm {
    fn new(act: PrivacyAct, purpose: Option<Id>) -> Self {
        EntryForm {
            act,
            purpose,
            version: String::new(),
            channel: PrivacyChannel::default(),
            note: String::new(),
            problems: Problems::default(),
            focus: true,
        }
    }
}

/// The privacy section of one person's cartella.
#[derive(Default)]
pub struct PrivacyPanel {
    loaded: Option<u64>,
    log: Vec<PrivacyEntry>,
    state: PrivacyState,
    form: Option<EntryForm>,
    error: Option<String>,
}

impl PrivacyPanel {
    fn load(&mut self, env: &Env, person: Id) {
        let s = stamp(&[
            env.revision(EntityKind::PrivacyEntry),
            env.revision(EntityKind::Purpose),
            person.0 as u64,
        ]);
        if self.loaded == Some(s) {
            return;
        }
        self.loaded = Some(s);
        match env.read().and_then(|r| r.privacy_log(person)) {
            Ok(log) => {
                self.state = PrivacyState::of(&log);
                self.log = log;
                self.error = None;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// The banner at the top of a restricted person's cartella (nothing otherwise).
    pub fn banner(&mut self, ui: &mut Ui, env: &Env, person: Id) {
        self.load(env, person);
        let Some(r) = &self.state.restriction else {
            return;
        };
        egui::Frame::group(ui.style())
            .fill(ui.visuals().warn_fg_color.gamma_multiply(0.15))
            .show(ui, |ui| {
                ui.label(
                    RichText::new(tr!(
                        "privacy-restricted-banner",
                        at = fmt_datetime(r.at),
                        reason = r.note.clone()
                    ))
                    .strong()
                    .color(ui.visuals().warn_fg_color),
                );
            });
    }

    /// The section: informativa, consents per purpose, restriction, log.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env, person: Id) {
        self.load(env, person);
        egui::CollapsingHeader::new(tr!("privacy-title"))
            .id_salt("privacy-section")
            .default_open(true)
            .show(ui, |ui| {
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                self.summary_ui(ui, env);
                if let Some(form) = &mut self.form {
                    ui.separator();
                    match form_ui(ui, env, form, person) {
                        Some(true) => {
                            self.form = None;
                            self.loaded = None;
                        }
                        Some(false) => self.form = None,
                        None => {}
                    }
                }
                self.log_ui(ui, env);
            });
    }

    fn summary_ui(&mut self, ui: &mut Ui, env: &Env) {
        let writable = env.may(Permission::Anagrafica) && env.can_write();
        let mut open: Option<EntryForm> = None;
        egui::Grid::new("privacy-grid")
            .num_columns(3)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                ui.weak(tr!("privacy-informativa"));
                ui.label(match &self.state.informativa {
                    Some(e) => tr!(
                        "privacy-informativa-given",
                        version = e.version.clone(),
                        at = fmt_datetime(e.at),
                        channel = e.channel.label()
                    ),
                    None => tr!("privacy-informativa-none"),
                });
                if writable && ui.button(tr!("privacy-record-informativa")).clicked() {
                    open = Some(EntryForm::new(PrivacyAct::Informativa, None));
                }
                ui.end_row();
                for purpose in env.data.catalog.purposes.iter().filter(|p| !p.archived) {
                    ui.weak(&purpose.name);
                    let current = self.state.consent(purpose.id);
                    ui.label(match current {
                        Some(e) if e.act == PrivacyAct::ConsensoDato => {
                            tr!("privacy-consent-given", at = fmt_datetime(e.at))
                        }
                        Some(e) => tr!("privacy-consent-withdrawn", at = fmt_datetime(e.at)),
                        None => tr!("privacy-consent-none"),
                    });
                    let given = self.state.consents_to(purpose.id);
                    let (act, short, key) = if given {
                        (
                            PrivacyAct::ConsensoRevocato,
                            "privacy-withdraw-short",
                            "privacy-withdraw",
                        )
                    } else {
                        (
                            PrivacyAct::ConsensoDato,
                            "privacy-give-short",
                            "privacy-give",
                        )
                    };
                    if writable {
                        // A short button in the row; its accessible name says the purpose,
                        // so each one is told apart by a screen reader.
                        let full = tr!(key, purpose = purpose.name.clone());
                        let r = ui.button(tr!(short)).on_hover_text(&full);
                        r.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::Button, true, &full)
                        });
                        if r.clicked() {
                            open = Some(EntryForm::new(act, Some(purpose.id)));
                        }
                    }
                    ui.end_row();
                }
            });
        // Restricting needs the erasure's permissions (`SEE_RESTRICTED`).
        if super::erase_person::allowed(env) && env.can_write() {
            let (act, key) = if self.state.restricted() {
                (PrivacyAct::FineLimitazione, "privacy-lift")
            } else {
                (PrivacyAct::Limitazione, "privacy-restrict")
            };
            if ui.button(tr!(key)).clicked() {
                open = Some(EntryForm::new(act, None));
            }
        }
        if open.is_some() {
            self.form = open;
        }
    }

    fn log_ui(&self, ui: &mut Ui, env: &Env) {
        egui::CollapsingHeader::new(tr!("privacy-log", count = self.log.len() as i64))
            .id_salt("privacy-log")
            .show(ui, |ui| {
                if self.log.is_empty() {
                    ui.weak(tr!("privacy-log-empty"));
                }
                for e in self.log.iter().rev() {
                    let mut parts = vec![fmt_datetime(e.at), e.act.label().to_string()];
                    if let Some(p) = e.purpose {
                        parts.push(env.data.catalog.name(p).to_string());
                    }
                    if !e.version.is_empty() {
                        parts.push(tr!("privacy-version", version = e.version.clone()));
                    }
                    parts.push(e.channel.label().to_string());
                    if let Some(o) = e.operator {
                        parts.push(env.data.catalog.name(o).to_string());
                    }
                    if !e.note.is_empty() {
                        parts.push(e.note.clone());
                    }
                    ui.label(parts.join(" — "));
                }
            });
    }
}

/// The form of a new entry; `Some(true)` once saved, `Some(false)` when cancelled.
fn form_ui(ui: &mut Ui, env: &mut Env, f: &mut EntryForm, person: Id) -> Option<bool> {
    let title = match f.purpose {
        Some(p) => format!("{} — {}", f.act.label(), env.data.catalog.name(p)),
        None => f.act.label().to_string(),
    };
    ui.strong(title);
    // Enter in a text field records the entry (keyboard-first, like the other forms).
    let typed = egui::Grid::new("privacy-form")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let mut first = None;
            if f.act == PrivacyAct::Informativa {
                first = Some(widgets::text_row(
                    ui,
                    &tr!("privacy-field-version"),
                    &mut f.version,
                    f.problems.for_field("version"),
                ));
            }
            if !f.act.is_restriction() {
                let options: Vec<(PrivacyChannel, String)> = PrivacyChannel::ALL
                    .iter()
                    .map(|c| (*c, c.label().to_string()))
                    .collect();
                widgets::row(ui, &tr!("privacy-field-channel"), None, |ui, l| {
                    widgets::choice(
                        ui,
                        "privacy-channel",
                        l,
                        &mut f.channel,
                        &options,
                        FIELD_WIDTH,
                    )
                });
            }
            let note_label = if f.act == PrivacyAct::Limitazione {
                tr!("privacy-field-reason")
            } else {
                tr!("privacy-field-note")
            };
            let note =
                widgets::text_row(ui, &note_label, &mut f.note, f.problems.for_field("note"));
            let enter = widgets::enter_adds(ui, &[first.as_ref().unwrap_or(&note), &note]);
            if std::mem::take(&mut f.focus) {
                first.unwrap_or(note).request_focus();
            }
            enter
        })
        .inner;
    widgets::other_problems(ui, &f.problems, &["version", "note"]);
    let mut out = None;
    ui.horizontal(|ui| {
        if ui.button(tr!("privacy-save")).clicked() || typed {
            let entry = PrivacyEntry {
                id: Id::NIL,
                person,
                act: f.act,
                purpose: f.purpose,
                version: f.version.clone(),
                at: env.store.clock().now_minute(),
                channel: f.channel,
                operator: (env.operator != Id::NIL).then_some(env.operator),
                note: f.note.clone(),
                archived: false,
            };
            if save_record(env, entry, true, "privacy-saved", &mut f.problems) {
                out = Some(true);
            }
        }
        if ui.button(tr!("form-cancel")).clicked() {
            out = Some(false);
        }
    });
    out
}
