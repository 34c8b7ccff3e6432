//! Files dragged from the desktop and dropped on the window: the screen that can attach a
//! document (the cartella, the pratica dialog) takes them with [`take_dropped`], and shows
//! that it would take them while they hover with [`hover_hint`].

use std::path::PathBuf;

/// Takes the paths of the files dropped on the window this frame (so no other screen takes
/// them too). Dropped items without a path (web content) are left out.
pub fn take_dropped(ctx: &egui::Context) -> Vec<PathBuf> {
    ctx.input_mut(|i| {
        if i.raw.dropped_files.is_empty() {
            return Vec::new();
        }
        std::mem::take(&mut i.raw.dropped_files)
            .into_iter()
            .map(|f| f.path().to_path_buf())
            .filter(|p| !p.as_os_str().is_empty())
            .collect()
    })
}

/// True while files are dragged over the window.
pub fn hovering(ctx: &egui::Context) -> bool {
    ctx.input(|i| !i.raw.hovered_files.is_empty())
}

/// While files are dragged over the window, a band over the screen saying that dropping
/// them attaches them to `target` (the person, the pratica).
pub fn hover_hint(ctx: &egui::Context, target: &str) {
    if !hovering(ctx) {
        return;
    }
    let rect = ctx.content_rect();
    let layer = egui::LayerId::new(egui::Order::Foreground, egui::Id::unique("documents-drop"));
    let painter = ctx.layer_painter(layer);
    let visuals = ctx.global_style().visuals.clone();
    painter.rect_filled(rect, 0.0, visuals.extreme_bg_color.gamma_multiply(0.85));
    painter.text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        crate::tr!("documents-drop-hint", target = target.to_string()),
        egui::FontId::proportional(22.0),
        visuals.strong_text_color(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Dropped(PathBuf);

    impl egui::DroppedFile for Dropped {
        fn path(&self) -> &std::path::Path {
            &self.0
        }
        fn bytes(&self) -> Result<Vec<u8>, String> {
            std::fs::read(&self.0).map_err(|e| e.to_string())
        }
    }

    #[test]
    fn dropped_paths_are_taken_once() {
        let ctx = egui::Context::default();
        let input = egui::RawInput {
            dropped_files: vec![
                std::sync::Arc::new(Dropped(PathBuf::from("/tmp/isee.pdf"))),
                std::sync::Arc::new(Dropped(PathBuf::new())),
            ],
            ..Default::default()
        };
        let mut first = Vec::new();
        let mut second = Vec::new();
        let mut out = ctx.run_ui(input, |ui| {
            first = take_dropped(ui.ctx());
            second = take_dropped(ui.ctx());
        });
        out.textures_delta.clear();
        assert_eq!(first, vec![PathBuf::from("/tmp/isee.pdf")]);
        assert!(second.is_empty());
    }
}
