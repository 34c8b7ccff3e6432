//! The pratica dialog's attached documents (issue 15 part 3): «Allega…» on a checklist
//! line (file dialog, then the attach form), a file dropped on the window while the dialog
//! is open, «Anteprima» and «Apri» on an attached line.

use super::PraticaForm;
use crate::domain::*;
use crate::tr;
use crate::ui::Env;
use crate::ui::documents::attach::{AttachForm, ChecklistLine};
use crate::ui::documents::dropped;
use egui::Ui;

/// What was clicked in the checklist this frame.
#[derive(Default)]
pub(super) struct Clicked {
    pub(super) attach: Option<Id>,
    pub(super) preview: Option<Document>,
    pub(super) open: Option<Document>,
}

impl PraticaForm {
    /// The attached documents: read once, the file dialog of a line, the attach form, a
    /// file dropped on the window, the openings.
    pub(super) fn documents_ui(&mut self, ctx: &egui::Context, env: &mut Env) {
        let Some(b) = self.base.clone() else {
            return;
        };
        if self.documents.is_none() {
            self.documents = Some(
                env.read()
                    .and_then(|r| r.documents_of(DocumentOwner::Pratica(b.id)))
                    .unwrap_or_default(),
            );
        }
        let target = format!(
            "{} — {}",
            tr!("documents-owner-pratica"),
            env.data
                .catalog
                .bando(b.bando)
                .map(|x| x.name.clone())
                .unwrap_or_default()
        );
        let may_attach = env.can_write() && env.may(Permission::Accessi);
        if may_attach && self.attach.is_none() && self.picking.is_none() {
            dropped::hover_hint(ctx, &target);
            if let Some(path) = dropped::take_dropped(ctx).into_iter().next() {
                let line = ChecklistLine {
                    pratica: b.id,
                    kind: None,
                };
                self.attach = Some(AttachForm::new(
                    env,
                    DocumentOwner::Pratica(b.id),
                    target.clone(),
                    &path,
                    Some(line),
                ));
            }
        }
        if let Some((pick, kind)) = &mut self.picking
            && let Some(answer) = pick.poll(ctx)
        {
            let kind = *kind;
            self.picking = None;
            if let Some(path) = answer {
                let line = ChecklistLine {
                    pratica: b.id,
                    kind: Some(kind),
                };
                self.attach = Some(AttachForm::new(
                    env,
                    DocumentOwner::Pratica(b.id),
                    target,
                    &path,
                    Some(line),
                ));
            }
        }
        if let Some(f) = &mut self.attach
            && let Some(done) = f.ui(ctx, env)
        {
            self.attach = None;
            if let Some(a) = done {
                self.attached(env, a.document);
            }
        }
        self.actions.poll(env);
    }

    /// A document was attached (and its line set in the database): the dialog follows,
    /// keeping what was typed.
    fn attached(&mut self, env: &Env, doc: Document) {
        if let Some(b) = &self.base
            && let Ok(Some(fresh)) = env.read().and_then(|r| r.get::<Pratica>(b.id))
        {
            let state = fresh
                .checklist
                .iter()
                .find(|i| i.document == doc.kind)
                .map(|i| i.state);
            if let Some(state) = state {
                for d in [&mut self.draft, &mut self.initial] {
                    for line in d.checklist.iter_mut().filter(|l| l.0 == doc.kind) {
                        line.1 = state;
                    }
                }
            }
            self.base = Some(fresh);
        }
        self.documents.get_or_insert_with(Vec::new).push(doc);
    }
}

/// One line of the checklist: the «visto (non conservato)» tick and «Allega…», or the
/// attached file with «Anteprima» and «Apri».
pub(super) fn checklist_line(
    ui: &mut Ui,
    (kind, state, name): (Id, &mut DocumentState, String),
    documents: &[Document],
    (may_attach, saved): (bool, bool),
    clicked: &mut Clicked,
) {
    match *state {
        DocumentState::Allegato(id) => {
            let doc = documents.iter().find(|d| d.id == id);
            let file = doc.map(|d| d.file_name.clone()).unwrap_or_default();
            ui.label(tr!(
                "pratica-document-attached",
                document = name,
                file = file
            ));
            if let Some(d) = doc {
                if ui.button(tr!("documents-preview")).clicked() {
                    clicked.preview = Some(d.clone());
                }
                if ui.button(tr!("documents-open")).clicked() {
                    clicked.open = Some(d.clone());
                }
            }
        }
        _ => {
            let mut seen = *state == DocumentState::Visto;
            if ui
                .checkbox(&mut seen, tr!("pratica-document-seen", document = name))
                .changed()
            {
                *state = if seen {
                    DocumentState::Visto
                } else {
                    DocumentState::Mancante
                };
            }
            if may_attach {
                let hint = if saved {
                    tr!("documents-attach-line-hint")
                } else {
                    tr!("documents-attach-save-first")
                };
                if ui
                    .add_enabled(saved, egui::Button::new(tr!("documents-attach-line")))
                    .on_hover_text(hint)
                    .on_disabled_hover_text(tr!("documents-attach-save-first"))
                    .clicked()
                {
                    clicked.attach = Some(kind);
                }
            }
        }
    }
}
