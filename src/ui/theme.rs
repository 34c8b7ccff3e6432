//! One function sets the look of the window, reused by tests.

/// Light theme for office screens, slightly larger text.
pub fn apply(ctx: &egui::Context) {
    ctx.set_theme(egui::Theme::Light);
    ctx.global_style_mut(|s| {
        s.spacing.item_spacing = egui::vec2(8.0, 6.0);
    });
}
