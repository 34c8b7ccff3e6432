//! A yes/no confirmation over the window, and where dialogs sit.
//!
//! A confirmation never puts its "yes" under a pointer that is already there: a second
//! click (a double click on the control that asked, or a click meant for what was under
//! the pointer) would confirm at once. The "yes" button works only once the pointer has
//! been seen outside it while the dialog was on screen.

use crate::tr;
use egui::{Id as EId, Key, Modifiers, RichText, Ui};

/// The area of a dialog anchored at the top centre of the window: when its content grows
/// (a message, a list of possible duplicates) it grows downward, and the controls above
/// stay where the pointer is.
pub fn top_anchored(id: EId) -> egui::Area {
    egui::Modal::default_area(id).anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 48.0))
}

/// A yes/no confirmation in a modal; `Some(true)` confirmed, `Some(false)` declined.
pub fn confirm(ctx: &egui::Context, id: &str, text: &str, yes: &str) -> Option<bool> {
    confirm_with(ctx, id, text, yes, |_| {})
}

/// Whether the pointer has been outside the "yes" button since the dialog appeared, and
/// the frame the dialog was last drawn in (a dialog not drawn in the previous frame is new).
#[derive(Clone, Copy)]
struct Armed {
    armed: bool,
    frame: u64,
}

/// [`confirm`] with more content (a checkbox, a detail) drawn by `body` under the text.
pub fn confirm_with(
    ctx: &egui::Context,
    id: &str,
    text: &str,
    yes: &str,
    body: impl FnOnce(&mut Ui),
) -> Option<bool> {
    let mut answer = None;
    let key = EId::unique(("confirm-armed", id));
    let frame = ctx.cumulative_frame_nr();
    let state = ctx
        .data(|d| d.get_temp::<Armed>(key))
        .filter(|s| s.frame + 1 >= frame)
        .unwrap_or(Armed {
            armed: false,
            frame,
        });
    let new = state.frame == frame;
    let mut armed = state.armed;
    let shown = egui::Modal::new(EId::unique(("confirm", id))).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.label(RichText::new(tr!("confirm-title")).heading());
        ui.add_space(6.0);
        ui.label(text);
        body(ui);
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            let r = ui.button(yes);
            let over = ui
                .input(|i| i.pointer.latest_pos())
                .is_some_and(|p| r.rect.contains(p));
            if r.clicked() && state.armed {
                answer = Some(true);
            }
            if !new && !over && ui.is_visible() && !ui.is_sizing_pass() {
                armed = true;
            }
            if ui.button(tr!("confirm-no")).clicked() {
                answer = Some(false);
            }
        });
    });
    // Above the dialog that asked, every frame: egui keeps (and persists) the order of
    // layers, and a form clicked in the same frame would otherwise stay on top of a
    // confirmation shown before, hiding it.
    ctx.move_to_top(shown.response.layer_id);
    if answer.is_none() && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
        answer = Some(false);
    }
    if answer.is_some() {
        ctx.data_mut(|d| d.remove::<Armed>(key));
    } else {
        ctx.data_mut(|d| d.insert_temp(key, Armed { armed, frame }));
    }
    answer
}
