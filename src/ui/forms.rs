//! The frame every form shares: a modal dialog with a title, the fields, Save / Cancel
//! (Enter saves, Esc cancels) and a guard against losing unsaved changes.

use super::widgets;
use crate::tr;
use egui::{Key, Modifiers, RichText, Ui};

/// What the operator asked the form to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEvent {
    /// Keep editing.
    None,
    /// Validate and save.
    Save,
    /// Close without saving (already confirmed when there were changes).
    Close,
}

/// The state of a form's frame (the discard confirmation).
#[derive(Debug, Default, Clone)]
pub struct FormShell {
    confirm_discard: bool,
    /// Drawn once already (a form opens scrolled to its top, not where the last one was).
    shown: bool,
    /// Where the dialog was drawn last frame.
    last_rect: Option<egui::Rect>,
    /// Set while a confirmation of the form is shown: Enter/Esc belong to it.
    pub suspend_keys: bool,
    /// Where the form was asked to go instead of closing (a link to another record),
    /// waiting for the discard confirmation.
    leave_to: Option<super::Route>,
}

impl FormShell {
    /// Leaving the form for another record (a link in it): `Some(route)` to go at once
    /// when nothing is unsaved; otherwise `None`, and the same question as Annulla is
    /// asked — once confirmed the form closes and [`FormShell::take_leave`] gives the
    /// route. Every way out of a form with changes asks.
    pub fn leave(&mut self, to: super::Route, dirty: bool) -> Option<super::Route> {
        if !dirty {
            return Some(to);
        }
        self.leave_to = Some(to);
        self.confirm_discard = true;
        None
    }

    /// Where to go now that the form closed after [`FormShell::leave`], if anywhere.
    pub fn take_leave(&mut self) -> Option<super::Route> {
        self.leave_to.take()
    }

    /// Shows the dialog. `dirty`: whether the fields differ from what was loaded. The body
    /// draws the fields and returns whatever the caller needs (e.g. an extra button).
    pub fn show<R>(
        &mut self,
        ctx: &egui::Context,
        id: &str,
        title: &str,
        dirty: bool,
        width: f32,
        body: impl FnOnce(&mut Ui) -> R,
    ) -> (FormEvent, R) {
        let mut event = FormEvent::None;
        let max_h = (ctx.content_rect().height() - 190.0).max(200.0);
        // Anchored at the top: content that appears while typing (possible duplicates,
        // messages) pushes the buttons down instead of moving the fields under the pointer.
        let modal_id = egui::Id::unique(("form", id));
        let modal = egui::Modal::new(modal_id)
            .area(widgets::top_anchored(modal_id))
            .show(ctx, |ui| {
                ui.set_width(width);
                ui.label(RichText::new(title).heading());
                ui.separator();
                let mut scroll = egui::ScrollArea::vertical()
                    .max_height(max_h)
                    .auto_shrink([false, true]);
                if !std::mem::replace(&mut self.shown, true) {
                    scroll = scroll.vertical_scroll_offset(0.0);
                }
                let r = scroll.show(ui, |ui| body(ui)).inner;
                ui.separator();
                ui.horizontal(|ui| {
                    if ui
                        .button(tr!("form-save"))
                        .on_hover_text(tr!("form-save-hint"))
                        .clicked()
                    {
                        event = FormEvent::Save;
                    }
                    if ui
                        .button(tr!("form-cancel"))
                        .on_hover_text(tr!("form-cancel-hint"))
                        .clicked()
                    {
                        event = FormEvent::Close;
                    }
                    if dirty {
                        ui.weak(tr!("form-unsaved"));
                    }
                });
                r
            });
        let inner = modal.inner;
        // The dialog moves when its content grows or shrinks (it is centred on its size of
        // the frame before): draw again until it is still, or it stays in the wrong place
        // (and clicks land beside their target) until the next input.
        let rect = modal.response.rect;
        if self.last_rect.replace(rect) != Some(rect) {
            ctx.request_repaint();
        }
        if self.confirm_discard {
            match widgets::confirm(
                ctx,
                &format!("discard-{id}"),
                &tr!("form-discard-text"),
                &tr!("form-discard-yes"),
            ) {
                Some(true) => {
                    self.confirm_discard = false;
                    return (FormEvent::Close, inner);
                }
                Some(false) => {
                    self.confirm_discard = false;
                    self.leave_to = None;
                }
                None => {}
            }
            return (FormEvent::None, inner);
        }
        if event == FormEvent::None && !self.suspend_keys {
            // A combo box's list or a date picker is open over the form: Enter and Esc
            // belong to it (the form itself is one foreground layer).
            let popup = egui::Popup::is_any_open(ctx)
                || ctx.memory(|m| {
                    m.areas()
                        .visible_layer_ids()
                        .iter()
                        .filter(|l| l.order == egui::Order::Foreground)
                        .count()
                        > 1
                });
            let multiline = widgets::multiline_focused(ctx);
            ctx.input_mut(|i| {
                if (!popup && !multiline && i.consume_key(Modifiers::NONE, Key::Enter))
                    || i.consume_key(Modifiers::CTRL, Key::Enter)
                {
                    event = FormEvent::Save;
                } else if !popup && i.consume_key(Modifiers::NONE, Key::Escape) {
                    event = FormEvent::Close;
                }
            });
        }
        if event == FormEvent::Close && dirty {
            self.confirm_discard = true;
            event = FormEvent::None;
        }
        (event, inner)
    }
}

/// Keeps a form's problems in step with its fields: once problems are shown, every change
/// of the fields runs the form's own checks again and drops the messages of the fields now
/// fine (see [`crate::domain::Problems::keep_unfixed`]). Problems only the store can find
/// (a reference gone, a code in use) go with the first change and come back on saving.
#[derive(Debug, Clone)]
pub struct Recheck<D> {
    seen: Option<D>,
}

impl<D> Default for Recheck<D> {
    fn default() -> Self {
        Recheck { seen: None }
    }
}

impl<D: Clone + PartialEq> Recheck<D> {
    /// True when problems are shown and the fields (`draft`) changed since: run the form's
    /// checks and pass them to [`Recheck::apply`]. Call once a frame.
    pub fn due(&mut self, draft: &D, problems: &crate::domain::Problems) -> bool {
        if problems.is_empty() {
            self.seen = None;
            return false;
        }
        match &self.seen {
            Some(s) => s != draft,
            None => {
                self.seen = Some(draft.clone());
                false
            }
        }
    }

    /// Keeps the problems `fresh` still finds.
    pub fn apply(
        &mut self,
        draft: &D,
        problems: &mut crate::domain::Problems,
        fresh: crate::domain::Problems,
    ) {
        problems.keep_unfixed(fresh);
        self.seen = Some(draft.clone());
    }
}

/// The "Archivia" / "Ripristina" button of a form, with its confirmation.
#[derive(Debug, Default, Clone)]
pub struct ArchiveButton {
    confirming: bool,
}

impl ArchiveButton {
    /// Shows the button (for a record already saved). Returns true once the record was
    /// archived or brought back (the form closes).
    pub fn ui<E: crate::store::Entity>(
        &mut self,
        ui: &mut Ui,
        env: &mut super::Env,
        id: crate::domain::Id,
        archived: bool,
    ) -> bool {
        let text = if archived {
            tr!("archive-restore")
        } else {
            tr!("archive-button")
        };
        if ui.button(text).on_hover_text(tr!("archive-hint")).clicked() {
            self.confirming = true;
        }
        if !self.confirming {
            return false;
        }
        let question = if archived {
            tr!("archive-restore-confirm")
        } else {
            tr!("archive-confirm", kind = E::KIND.label())
        };
        let yes = if archived {
            tr!("archive-restore")
        } else {
            tr!("archive-button")
        };
        match widgets::confirm(ui.ctx(), "archive", &question, &yes) {
            Some(true) => {
                self.confirming = false;
                match env.set_archived::<E>(id, !archived) {
                    Ok(()) => {
                        env.notify(if archived {
                            tr!("archive-restored")
                        } else {
                            tr!("archive-done")
                        });
                        true
                    }
                    Err(e) => {
                        env.fail(e.to_string());
                        false
                    }
                }
            }
            Some(false) => {
                self.confirming = false;
                false
            }
            None => false,
        }
    }

    /// True while the confirmation is shown (the form must not react to Enter/Esc).
    pub fn busy(&self) -> bool {
        self.confirming
    }
}

/// Saves the record a form built, unless the form found `found` problems (they are shown
/// and nothing is written); otherwise as [`save_record`].
pub fn save_checked<E: crate::store::Entity>(
    env: &mut super::Env,
    (rec, found): (E, crate::domain::Problems),
    is_new: bool,
    saved_key: &str,
    problems: &mut crate::domain::Problems,
) -> bool {
    if !found.is_empty() {
        *problems = found;
        return false;
    }
    save_record(env, rec, is_new, saved_key, problems)
}

/// Saves the record a form built: inserted when new, updated otherwise, and the message
/// `saved_key` in the status line. When the store refuses, its problems go to `problems` and
/// the form stays open (false).
pub fn save_record<E: crate::store::Entity>(
    env: &mut super::Env,
    rec: E,
    is_new: bool,
    saved_key: &str,
    problems: &mut crate::domain::Problems,
) -> bool {
    let res = if is_new {
        env.insert(rec).map(|_| ())
    } else {
        env.update(rec)
    };
    report_save(env, res, saved_key, problems)
}

/// The end of a save: the message `saved_key` in the status line and true, or the store's
/// problems in `problems` and false (the form stays open).
pub fn report_save(
    env: &mut super::Env,
    res: Result<(), crate::store::StoreError>,
    saved_key: &str,
    problems: &mut crate::domain::Problems,
) -> bool {
    match res {
        Ok(()) => {
            env.notify(tr!(saved_key));
            true
        }
        Err(e) => {
            *problems = store_problems(e, env);
            false
        }
    }
}

/// Shows a store error in a form: field problems inline (returned), anything else as text.
pub fn store_problems(
    e: crate::store::StoreError,
    env: &mut super::Env,
) -> crate::domain::Problems {
    match e {
        crate::store::StoreError::Invalid(p) => p,
        other => {
            let mut p = crate::domain::Problems::default();
            p.add("_store", other.to_string());
            env.fail(other.to_string());
            p
        }
    }
}
