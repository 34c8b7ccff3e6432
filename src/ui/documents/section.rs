//! «Documenti» in a person's cartella: the documents attached to the person and to the
//! records about them (cases, projects, referrals, pratiche) that the session may see — kind, file, date, expiry
//! (an expired one marked), size, what it is attached to — with «Allega documento…»,
//! «Anteprima», «Apri» and «Rimuovi». A file dropped on the window while the cartella is
//! on screen opens the same attach form.

use super::actions::DocumentActions;
use super::attach::{AttachForm, pick_request};
use super::dropped;
use crate::domain::time::{fmt_date, today};
use crate::domain::*;
use crate::tr;
use crate::ui::Env;
use crate::ui::file_picker::PendingPick;
use crate::ui::jobs::stamp;
use crate::ui::widgets;
use egui::{RichText, Ui};

/// A listed document with what it is attached to.
struct Row {
    doc: Document,
    kind: String,
    owner: String,
}

/// The «Documenti» section of one person's cartella.
pub struct DocumentsSection {
    person: Id,
    loaded: Option<u64>,
    rows: Vec<Row>,
    error: Option<String>,
    actions: DocumentActions,
    picking: Option<PendingPick>,
    attach: Option<AttachForm>,
    removing: Option<(Id, String)>,
}

/// What a document is attached to, in words.
fn owner_label(owner: DocumentOwner) -> String {
    tr!(match owner {
        DocumentOwner::Person(_) => "documents-owner-person",
        DocumentOwner::Household(_) => "documents-owner-household",
        DocumentOwner::Case(_) => "documents-owner-case",
        DocumentOwner::Project(_) => "documents-owner-project",
        DocumentOwner::Referral(_) => "documents-owner-referral",
        DocumentOwner::Pratica(_) => "documents-owner-pratica",
    })
}

impl DocumentsSection {
    /// The section for a person.
    pub fn new(person: Id) -> Self {
        DocumentsSection {
            person,
            loaded: None,
            rows: vec![],
            error: None,
            actions: DocumentActions::default(),
            picking: None,
            attach: None,
            removing: None,
        }
    }

    fn load(&mut self, env: &Env) {
        let s = stamp(&[
            env.revision(EntityKind::Document),
            env.revision(EntityKind::DocumentKind),
            env.generation(),
        ]);
        if self.loaded == Some(s) {
            return;
        }
        self.loaded = Some(s);
        match env.read().and_then(|r| r.documents_about(self.person)) {
            Ok(mut docs) => {
                docs.sort_by_key(|d| std::cmp::Reverse((d.dated, d.id)));
                let cat = &env.data.catalog;
                self.rows = docs
                    .into_iter()
                    .filter(|d| !d.archived)
                    .map(|d| Row {
                        kind: cat.name(d.kind).to_string(),
                        owner: owner_label(d.owner),
                        doc: d,
                    })
                    .collect();
                self.error = None;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// True while one of the section's dialogs is open (the file dialog or its path field,
    /// the attach form, the removal's confirmation): the cartella's list leaves the keys.
    pub fn has_dialog(&self) -> bool {
        self.picking.is_some() || self.attach.is_some() || self.removing.is_some()
    }

    /// How many documents are listed.
    pub fn count(&self) -> usize {
        self.rows.len()
    }

    /// Starts attaching the file at `path` to the person.
    fn attach_path(&mut self, env: &Env, person_name: &str, path: &std::path::Path) {
        self.attach = Some(AttachForm::new(
            env,
            DocumentOwner::Person(self.person),
            person_name,
            path,
            None,
        ));
    }

    /// Shows the section. `person_name` names the person in the attach form's title.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env, person_name: &str) {
        self.load(env);
        let ctx = ui.ctx().clone();
        let may_attach = env.may(Permission::Anagrafica) && env.can_write();
        // Files dropped on the window go to the cartella when no dialog is over it.
        if may_attach && !env.dialog_open && self.attach.is_none() {
            dropped::hover_hint(&ctx, person_name);
            if let Some(path) = dropped::take_dropped(&ctx).into_iter().next() {
                self.attach_path(env, person_name, &path);
            }
        }
        ui.horizontal(|ui| {
            ui.strong(tr!("documents-title", count = self.rows.len() as i64));
            if may_attach
                && ui
                    .button(tr!("documents-attach"))
                    .on_hover_text(tr!("documents-attach-hint"))
                    .clicked()
            {
                self.picking = Some(env.picker.pick(pick_request()));
            }
            if self.actions.opening() {
                ui.spinner();
            }
        });
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        if self.rows.is_empty() {
            ui.weak(tr!("documents-none"));
        } else {
            self.table(ui, env, may_attach);
        }
        self.actions.poll(env);
        self.actions.preview_window(&ctx);
        if let Some(pick) = &mut self.picking
            && let Some(answer) = pick.poll(&ctx)
        {
            self.picking = None;
            if let Some(path) = answer {
                self.attach_path(env, person_name, &path);
            }
        }
        if let Some(f) = &mut self.attach
            && let Some(done) = f.ui(&ctx, env)
        {
            self.attach = None;
            if let Some(a) = done {
                self.loaded = None;
                // The new document previewed at once: what was attached is what is seen.
                self.actions.toggle_preview(env, &ctx, &a.document);
            }
        }
        self.remove_ui(&ctx, env);
    }

    fn table(&mut self, ui: &mut Ui, env: &Env, may_remove: bool) {
        let now = today();
        let mut preview = None;
        let mut open = None;
        // A long list scrolls in its own space: the cronologia below keeps its room.
        egui::ScrollArea::vertical()
            .id_salt("documents-scroll")
            .max_height(170.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                egui::Grid::new("documents-grid")
                    .num_columns(7)
                    .striped(true)
                    .spacing([12.0, 4.0])
                    .show(ui, |ui| {
                        for h in [
                            "documents-col-kind",
                            "documents-col-file",
                            "documents-col-dated",
                            "documents-col-expires",
                            "documents-col-size",
                            "documents-col-owner",
                        ] {
                            ui.weak(tr!(h));
                        }
                        ui.label("");
                        ui.end_row();
                        for row in &self.rows {
                            let d = &row.doc;
                            ui.label(&row.kind);
                            ui.label(&d.file_name);
                            ui.label(fmt_date(d.dated));
                            match d.expires {
                                Some(e) if d.expired(now) => {
                                    ui.label(
                                        RichText::new(tr!("documents-expired", date = fmt_date(e)))
                                            .color(ui.visuals().warn_fg_color),
                                    );
                                }
                                Some(e) => {
                                    ui.label(fmt_date(e));
                                }
                                None => {
                                    ui.label("—");
                                }
                            }
                            ui.label(super::fmt_size(d.size));
                            ui.label(&row.owner);
                            ui.horizontal(|ui| {
                                let showing = self.actions.preview.showing == Some(d.id);
                                if ui
                                    .add(
                                        egui::Button::new(tr!("documents-preview"))
                                            .selected(showing),
                                    )
                                    .clicked()
                                {
                                    preview = Some(d.clone());
                                }
                                if ui.button(tr!("documents-open")).clicked() {
                                    open = Some(d.clone());
                                }
                                if may_remove && ui.button(tr!("documents-remove")).clicked() {
                                    self.removing = Some((d.id, d.file_name.clone()));
                                }
                            });
                            ui.end_row();
                        }
                    });
            });
        if let Some(d) = preview {
            self.actions.toggle_preview(env, ui.ctx(), &d);
        }
        if let Some(d) = open {
            self.actions.open(env, ui.ctx(), &d);
        }
    }

    fn remove_ui(&mut self, ctx: &egui::Context, env: &mut Env) {
        let Some((id, name)) = self.removing.clone() else {
            return;
        };
        match widgets::confirm(
            ctx,
            "remove-document",
            &tr!("documents-remove-confirm", file = name),
            &tr!("documents-remove-yes"),
        ) {
            Some(true) => {
                self.removing = None;
                let result = env.transaction(|w| {
                    let pratiche: Vec<Id> = w
                        .get::<Document>(id)?
                        .map(|d| match d.owner {
                            DocumentOwner::Pratica(p) => vec![p],
                            _ => vec![],
                        })
                        .unwrap_or_default();
                    w.remove_document(id)?;
                    let mut written = vec![(EntityKind::Document, id)];
                    written.extend(pratiche.into_iter().map(|p| (EntityKind::Pratica, p)));
                    Ok(((), written))
                });
                match result {
                    Ok(()) => {
                        if self.actions.preview.showing == Some(id) {
                            self.actions.preview.close();
                        }
                        self.loaded = None;
                        env.notify(tr!("documents-removed"));
                    }
                    Err(e) => env.fail(e.to_string()),
                }
            }
            Some(false) => self.removing = None,
            None => {}
        }
    }
}
