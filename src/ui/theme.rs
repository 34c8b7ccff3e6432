//! One function sets the look of the window, reused by tests and benchmarks.

use super::prefs::{Prefs, ThemeChoice};

/// The default look (light theme, normal text): headless renders, tests.
pub fn apply(ctx: &egui::Context) {
    apply_prefs(ctx, &Prefs::default());
}

/// Applies the theme and text size of the preferences.
pub fn apply_prefs(ctx: &egui::Context, prefs: &Prefs) {
    ctx.set_theme(match prefs.theme {
        ThemeChoice::Light => egui::Theme::Light,
        ThemeChoice::Dark => egui::Theme::Dark,
    });
    let scale = prefs.text_size.scale();
    ctx.all_styles_mut(|s| {
        s.spacing.item_spacing = egui::vec2(8.0, 5.0);
        s.spacing.button_padding = egui::vec2(6.0, 3.0);
        s.text_styles = egui::style::default_text_styles()
            .into_iter()
            .map(|(k, mut f)| {
                f.size = (f.size * scale).round();
                (k, f)
            })
            .collect();
    });
}
