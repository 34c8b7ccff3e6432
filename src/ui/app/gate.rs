//! The operator gate: who is at the desk (and at which desk) before anything is written.

use super::AccoglienzaApp;
use super::dialog::Dialog;
use crate::domain::*;
use crate::tr;
use crate::ui::data::Needle;
use crate::ui::team::OperatorForm;
use crate::ui::widgets;
use egui::{Key, Modifiers, RichText};

impl AccoglienzaApp {
    /// Who is at the desk: choose an operator (or register the first one).
    pub(super) fn gate(&mut self, ctx: &egui::Context) {
        let mut chosen = None;
        let mut new = false;
        let mut close = false;
        // Anchored at the top: the list shrinking while a name is typed does not move the
        // names under the pointer.
        let id = egui::Id::unique("operator-gate");
        egui::Modal::new(id)
            .area(widgets::top_anchored(id))
            .show(ctx, |ui| {
                ui.set_width(460.0);
                ui.label(RichText::new(tr!("gate-title")).heading());
                ui.label(tr!("gate-text"));
                ui.add_space(6.0);
                let dl = ui.label(tr!("top-desk"));
                let options = widgets::desk_options(&self.env.data, Some(self.env.desk));
                widgets::choice(ui, "gate-desk", dl.id, &mut self.env.desk, &options, 300.0);
                ui.add_space(6.0);
                let many = self.env.data.catalog.active_operators().count() > 8;
                let mut enter = false;
                if many {
                    let l = ui.label(tr!("gate-search"));
                    let r = ui
                        .add(egui::TextEdit::singleline(&mut self.gate_search).desired_width(300.0))
                        .labelled_by(l.id);
                    if ui.memory(|m| m.focused().is_none()) && self.gate_search.is_empty() {
                        r.request_focus();
                    }
                    enter = r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                }
                let needle = Needle::new(&self.gate_search);
                let ops: Vec<(Id, String)> = self
                    .env
                    .data
                    .catalog
                    .active_operators()
                    .filter(|o| {
                        needle.matches(
                            &crate::domain::person::fold(&format!("{} {}", o.name, o.surname)),
                            "",
                        )
                    })
                    .map(|o| {
                        (
                            o.id,
                            format!(
                                "{} — {}",
                                o.display_name(),
                                self.env.data.catalog.name(o.role)
                            ),
                        )
                    })
                    .collect();
                if ops.is_empty() && self.gate_search.is_empty() {
                    ui.label(tr!("gate-none"));
                }
                if enter && ops.len() == 1 {
                    chosen = Some(ops[0].0);
                }
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| {
                        for (id, text) in &ops {
                            if ui
                                .add_sized(
                                    [ui.available_width(), 26.0],
                                    egui::Button::new(text.as_str()),
                                )
                                .clicked()
                            {
                                chosen = Some(*id);
                            }
                        }
                    });
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    if ui.button(tr!("gate-new")).clicked() {
                        new = true;
                    }
                    if !self.gate_forced && ui.button(tr!("form-cancel")).clicked() {
                        close = true;
                    }
                });
            });
        if !self.gate_forced && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
            close = true;
        }
        if let Some(id) = chosen {
            let desk = self.env.desk;
            self.sign_in(id);
            // The desk chosen in the gate wins over the operator's usual one.
            self.env.desk = desk;
            self.env.prefs.desk = Some(desk);
            self.gate_forced = false;
            self.gate_search.clear();
            self.env.focus_search = true;
        }
        if new {
            self.dialog = Some(Dialog::Operator(Box::new(OperatorForm::new(&self.env))));
        }
        if close {
            self.gate_open = false;
        }
    }
}
