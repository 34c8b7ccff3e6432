//! Keyboard shortcuts of the whole window: Alt+1…0 for the sections, Ctrl+N for a new
//! contact, Ctrl+F for the global search, Ctrl+L to lock (Blocca).

use super::AccoglienzaApp;
use crate::domain::*;
use crate::ui::{OpenForm, Route};
use egui::{Key, Modifiers};

impl AccoglienzaApp {
    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) {
        if self.welcome.is_none() && ctx.input_mut(|i| i.consume_key(Modifiers::CTRL, Key::L)) {
            // Blocca: the window locks at once, a form open included (it waits for the
            // same account).
            self.lock();
            return;
        }
        if self.dialog.is_some() || self.welcome.is_some() {
            return;
        }
        let keys = [
            Key::Num1,
            Key::Num2,
            Key::Num3,
            Key::Num4,
            Key::Num5,
            Key::Num6,
            Key::Num7,
            Key::Num8,
            Key::Num9,
            Key::Num0,
        ];
        ctx.input_mut(|i| {
            for (k, r) in keys.iter().zip(Route::SECTIONS) {
                if i.consume_key(Modifiers::ALT, *k) {
                    self.env.nav = Some(r);
                }
            }
            if i.consume_key(Modifiers::CTRL, Key::N) {
                // The front desk's most frequent action, from anywhere.
                self.env.open = Some(OpenForm::NewContact(match self.route {
                    Route::Person(id) => Some(Subject::Person(id)),
                    _ => None,
                }));
            }
            if i.consume_key(Modifiers::CTRL, Key::F) {
                let p = self
                    .search
                    .picker
                    .get_or_insert_with(super::bars::GlobalSearch::picker);
                p.focus();
            }
        });
    }
}
