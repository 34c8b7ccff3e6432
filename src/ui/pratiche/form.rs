//! The pratica dialog: subject, bando, desk, operator, channel, the state with only the
//! allowed next states offered (and the day of the change), the amount when accolta, the
//! checklist of the bando's documents, the outcome and notes, and the history of changes.
//!
//! Each checklist line is missing, seen (no copy kept) or attached: «Allega…» beside the
//! tick attaches a file to the pratica and sets the line in the same transaction; an
//! attached line shows the file with «Anteprima» (in the dialog) and «Apri». A file dropped
//! on the window while the dialog is open opens the same attach form (issue 15 part 3).

mod documents;

use super::contacts::LinkedContacts;
use super::state_label;
use crate::domain::pratica::{fmt_euro, parse_euro};
use crate::domain::time::{fmt_date, today};
use crate::domain::*;
use crate::tr;
use crate::ui::Env;
use crate::ui::documents::actions::DocumentActions;
use crate::ui::documents::attach::{AttachForm, pick_request};
use crate::ui::file_picker::PendingPick;
use crate::ui::forms::{ArchiveButton, FormEvent, FormShell, Recheck, save_checked};
use crate::ui::widgets::{self, Picked, SubjectPicker};
use documents::{Clicked, checklist_line};
use egui::{RichText, Ui};

#[derive(Debug, Clone, PartialEq, Eq)]
struct Draft {
    subject: Option<Subject>,
    bando: Id,
    desk: Id,
    operator: Id,
    requested_on: String,
    channel: PraticaChannel,
    /// The first state of a new pratica.
    first: PraticaState,
    /// The state to move to on save (`None`: stays where it is).
    next: Option<PraticaState>,
    /// The day of that change.
    change_on: String,
    amount: String,
    outcome: String,
    /// (kind of document, where it stands).
    checklist: Vec<(Id, DocumentState)>,
    note: String,
}

/// The pratica dialog.
pub struct PraticaForm {
    base: Option<Pratica>,
    draft: Draft,
    initial: Draft,
    picker: SubjectPicker,
    problems: Problems,
    recheck: Recheck<Draft>,
    shell: FormShell,
    archive: ArchiveButton,
    /// The documents attached to the pratica (`None` until read).
    documents: Option<Vec<Document>>,
    actions: DocumentActions,
    /// The file dialog of a line's «Allega…», with the line's kind.
    picking: Option<(PendingPick, Id)>,
    attach: Option<AttachForm>,
    /// The contacts at the desk about this pratica's measure (edit only).
    linked: LinkedContacts,
}

fn checklist_of(env: &Env, bando: Id) -> Vec<(Id, DocumentState)> {
    env.data
        .catalog
        .bando(bando)
        .map(|b| {
            b.documents
                .iter()
                .map(|d| (d.kind, DocumentState::Mancante))
                .collect()
        })
        .unwrap_or_default()
}

impl PraticaForm {
    /// A new pratica today at this desk, by the operator at the desk, on the latest open
    /// bando.
    pub fn new(env: &Env, subject: Option<Subject>) -> Self {
        let now = today();
        let cat = &env.data.catalog;
        let bando = cat
            .bandi
            .iter()
            .filter(|b| !b.archived)
            .find(|b| b.open_on(now))
            .or_else(|| cat.bandi.iter().find(|b| !b.archived))
            .map(|b| b.id)
            .unwrap_or(Id::NIL);
        let draft = Draft {
            subject,
            bando,
            desk: env.desk,
            operator: env.operator,
            requested_on: fmt_date(now),
            channel: PraticaChannel::default(),
            first: PraticaState::Informato,
            next: None,
            change_on: fmt_date(now),
            amount: String::new(),
            outcome: String::new(),
            checklist: checklist_of(env, bando),
            note: String::new(),
        };
        let mut picker = SubjectPicker::new("pratica-subject", true).with(subject);
        picker.focus();
        PraticaForm {
            base: None,
            initial: draft.clone(),
            draft,
            picker,
            problems: Problems::default(),
            recheck: Recheck::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
            documents: None,
            actions: DocumentActions::default(),
            picking: None,
            attach: None,
            linked: LinkedContacts::default(),
        }
    }

    /// An existing pratica.
    pub fn edit(p: Pratica) -> Self {
        let draft = Draft {
            subject: Some(p.subject),
            bando: p.bando,
            desk: p.desk,
            operator: p.operator,
            requested_on: fmt_date(p.requested_on),
            channel: p.channel,
            first: p.history.first().map_or(p.state, |c| c.state),
            next: None,
            change_on: fmt_date(today()),
            amount: p
                .amount_cents
                .map(|c| fmt_euro(c).trim_end_matches(" €").to_string())
                .unwrap_or_default(),
            outcome: p.outcome.clone(),
            checklist: p.checklist.iter().map(|i| (i.document, i.state)).collect(),
            note: p.note.clone(),
        };
        PraticaForm {
            picker: SubjectPicker::new("pratica-subject", true).with(Some(p.subject)),
            base: Some(p),
            initial: draft.clone(),
            draft,
            problems: Problems::default(),
            recheck: Recheck::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
            documents: None,
            actions: DocumentActions::default(),
            picking: None,
            attach: None,
            linked: LinkedContacts::default(),
        }
    }

    /// The state the pratica will have once saved.
    fn state_after(&self) -> PraticaState {
        self.draft.next.unwrap_or(match &self.base {
            Some(b) => b.state,
            None => self.draft.first,
        })
    }

    fn build(&self) -> (Pratica, Problems) {
        let d = &self.draft;
        let mut p = Problems::default();
        let requested_on = widgets::need_date(&mut p, "requested_on", &d.requested_on);
        if d.subject.is_none() {
            p.add("subject", "Scegli la persona o il nucleo");
        }
        let subject = d.subject.unwrap_or(Subject::Person(Id::NIL));
        let mut x = match &self.base {
            Some(b) => b.clone(),
            None => {
                let mut x = Pratica::new(subject, d.bando, d.desk, d.operator, requested_on);
                x.state = d.first;
                x.history[0].state = d.first;
                x
            }
        };
        x.subject = subject;
        x.bando = d.bando;
        x.desk = d.desk;
        x.operator = d.operator;
        x.channel = d.channel;
        x.requested_on = requested_on;
        if let Some(first) = x.history.first_mut() {
            first.on = requested_on;
        }
        if let Some(to) = d.next {
            let on = widgets::need_date(&mut p, "change_on", &d.change_on);
            if let Err(m) = x.advance(to, on) {
                p.add("state", m);
            }
        }
        x.amount_cents = None;
        if x.state == PraticaState::Accolta {
            match parse_euro(&d.amount) {
                Ok(c) => x.amount_cents = Some(c),
                Err(m) => p.add("amount", m),
            }
        }
        x.outcome = d.outcome.trim().to_string();
        x.checklist = d
            .checklist
            .iter()
            .map(|(document, state)| ChecklistItem {
                document: *document,
                state: *state,
            })
            .collect();
        x.note = d.note.trim().to_string();
        let mut fresh = x.validate(today());
        // The amount's own message already says what to type.
        if p.for_field("amount").is_some() {
            fresh.0.retain(|e| e.field != "amount");
        }
        p.merge(fresh);
        (x, p)
    }

    fn save(&mut self, env: &mut Env) -> bool {
        let is_new = self.base.is_none();
        save_checked(
            env,
            self.build(),
            is_new,
            "pratica-saved",
            &mut self.problems,
        )
    }

    /// True when the fields differ from what was loaded.
    pub fn dirty(&self) -> bool {
        self.draft != self.initial
    }

    /// Shows the dialog; true when it closed.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) -> bool {
        let title = if self.base.is_some() {
            tr!("pratica-edit-title")
        } else {
            tr!("pratica-new-title")
        };
        if self.recheck.due(&self.draft, &self.problems) {
            let fresh = self.build().1;
            self.recheck.apply(&self.draft, &mut self.problems, fresh);
        }
        let dirty = self.dirty();
        let ctx = ui.ctx().clone();
        self.shell.suspend_keys =
            self.archive.busy() || self.attach.is_some() || self.picking.is_some();
        let mut archived = false;
        let state_after = self.state_after();
        let mut shell = std::mem::take(&mut self.shell);
        let mut clicked = Clicked::default();
        let (event, ()) = shell.show(&ctx, "pratica", &title, dirty, 660.0, |ui| {
            egui::ScrollArea::vertical()
                .max_height(ui.ctx().content_rect().height() * 0.7)
                .show(ui, |ui| {
                    clicked = self.fields(ui, env, state_after);
                    if let Some(b) = &self.base {
                        ui.add_space(6.0);
                        archived = self.archive.ui::<Pratica>(ui, env, b.id, b.archived);
                    }
                });
        });
        self.shell = shell;
        // After the dialog: the attach form is a dialog over it.
        self.documents_ui(&ctx, env);
        if let Some(kind) = clicked.attach {
            self.picking = Some((env.picker.pick(pick_request()), kind));
        }
        if let Some(d) = clicked.preview {
            self.actions.toggle_preview(env, &ctx, &d);
        }
        if let Some(d) = clicked.open {
            self.actions.open(env, &ctx, &d);
        }
        if archived {
            return true;
        }
        if self.attach.is_some() || self.picking.is_some() {
            return false;
        }
        match event {
            FormEvent::Save => self.save(env),
            FormEvent::Close => true,
            FormEvent::None => false,
        }
    }

    fn fields(&mut self, ui: &mut Ui, env: &Env, state_after: PraticaState) -> Clicked {
        let mut clicked = Clicked::default();
        let may_attach = env.can_write() && env.may(Permission::Accessi);
        let saved = self.base.is_some();
        let documents = self.documents.as_deref().unwrap_or_default();
        let p = &self.problems;
        egui::Grid::new("pratica-grid")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let l = widgets::label(ui, &tr!("pratica-subject"));
                ui.vertical(|ui| {
                    match self.picker.ui(ui, &env.data, l.id) {
                        Picked::Chosen(s) => self.draft.subject = Some(s),
                        Picked::Cleared => self.draft.subject = None,
                        _ => {}
                    }
                    widgets::problem(ui, p.for_field("subject"));
                });
                ui.end_row();
                let d = &mut self.draft;
                let cat = &env.data.catalog;
                let bandi: Vec<(Id, String)> = cat
                    .bandi
                    .iter()
                    .filter(|b| !b.archived || b.id == d.bando)
                    .map(|b| (b.id, format!("{} — {}", b.name, b.body)))
                    .collect();
                let before = d.bando;
                widgets::choice_row(
                    ui,
                    &tr!("pratica-bando"),
                    &mut d.bando,
                    &bandi,
                    p.for_field("bando"),
                );
                if d.bando != before {
                    d.checklist = checklist_of(env, d.bando);
                }
                if let Some(b) = cat.bando(d.bando) {
                    ui.label("");
                    let closes = b.closes.map(fmt_date).unwrap_or_else(|| "—".into());
                    ui.weak(tr!("pratica-bando-closes", closes = closes));
                    ui.end_row();
                }
                let desks = widgets::desk_options(&env.data, Some(d.desk));
                widgets::choice_row(
                    ui,
                    &tr!("pratica-desk"),
                    &mut d.desk,
                    &desks,
                    p.for_field("desk"),
                );
                let ops = widgets::operator_options(&env.data, Some(d.operator));
                widgets::choice_row(
                    ui,
                    &tr!("pratica-operator"),
                    &mut d.operator,
                    &ops,
                    p.for_field("operator"),
                );
                widgets::date_row(
                    ui,
                    &tr!("pratica-requested-on"),
                    "pratica-requested-on",
                    &mut d.requested_on,
                    p.for_field("requested_on"),
                );
                let channels: Vec<(PraticaChannel, String)> = PraticaChannel::ALL
                    .into_iter()
                    .map(|c| (c, c.label().to_string()))
                    .collect();
                widgets::choice_row(ui, &tr!("pratica-channel"), &mut d.channel, &channels, None);
                match &self.base {
                    None => {
                        let first: Vec<(PraticaState, String)> = PraticaState::INITIAL
                            .into_iter()
                            .map(|s| (s, state_label(s)))
                            .collect();
                        widgets::choice_row(
                            ui,
                            &tr!("pratica-state"),
                            &mut d.first,
                            &first,
                            p.for_field("state"),
                        );
                    }
                    Some(b) => {
                        ui.label(tr!("pratica-state"));
                        ui.strong(state_label(b.state));
                        ui.end_row();
                        if !b.state.is_final() {
                            let mut next = vec![(None, tr!("pratica-next-none"))];
                            next.extend(b.state.next().iter().map(|s| (Some(*s), state_label(*s))));
                            widgets::choice_row(
                                ui,
                                &tr!("pratica-next"),
                                &mut d.next,
                                &next,
                                p.for_field("state"),
                            );
                            if d.next.is_some() {
                                widgets::date_row(
                                    ui,
                                    &tr!("pratica-change-on"),
                                    "pratica-change-on",
                                    &mut d.change_on,
                                    p.for_field("change_on"),
                                );
                            }
                        }
                    }
                }
                if state_after == PraticaState::Accolta {
                    widgets::text_row_hint(
                        ui,
                        &tr!("pratica-amount"),
                        &mut d.amount,
                        "1.250,00",
                        p.for_field("amount"),
                    );
                }
                if state_after.is_final() {
                    widgets::text_row(
                        ui,
                        &tr!("pratica-outcome"),
                        &mut d.outcome,
                        p.for_field("outcome"),
                    );
                }
                if !d.checklist.is_empty() {
                    ui.label(tr!("pratica-checklist"));
                    ui.vertical(|ui| {
                        for (kind, state) in &mut d.checklist {
                            let name = cat.name(*kind).to_string();
                            ui.horizontal(|ui| {
                                checklist_line(
                                    ui,
                                    (*kind, state, name),
                                    documents,
                                    (may_attach, saved),
                                    &mut clicked,
                                );
                            });
                        }
                        widgets::problem(ui, p.for_field("checklist"));
                    });
                    ui.end_row();
                }
                widgets::multiline_row(ui, &tr!("pratica-note"), &mut d.note, p.for_field("note"));
            });
        if self.actions.preview.showing.is_some() {
            ui.add_space(4.0);
            ui.weak(&self.actions.title);
            self.actions.preview.ui(ui, egui::vec2(620.0, 560.0));
        }
        if let Some(b) = &self.base {
            ui.add_space(6.0);
            ui.label(RichText::new(tr!("pratica-history")).strong());
            for c in &b.history {
                ui.label(format!("{} — {}", fmt_date(c.on), state_label(c.state)));
            }
            ui.add_space(6.0);
            self.linked.ui(ui, env, b);
        }
        widgets::other_problems(
            ui,
            &self.problems,
            &[
                "subject",
                "bando",
                "desk",
                "operator",
                "requested_on",
                "state",
                "change_on",
                "amount",
                "outcome",
                "checklist",
                "note",
            ],
        );
        clicked
    }
}
