//! The dashboard alone in a real window, over a database given on the command line, with
//! file dialogs answered from `DASH_SAVE_TO` (a path) — to look at it and try the PNG
//! export under Xvfb: `cargo run --example dashboard_window -- demo.redb`.

use accoglienza::store::Store;
use accoglienza::ui::Env;
use accoglienza::ui::dashboard::Dashboard;
use accoglienza::ui::file_picker::{FilePicker, NativePicker, ScriptedPicker};
use std::sync::Arc;

struct App {
    dash: Dashboard,
    env: Env,
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| self.dash.ui(ui, &mut self.env));
    }
}

fn main() -> Result<(), String> {
    let db = std::env::args().nth(1).ok_or("uso: dashboard_window DB")?;
    let store = Arc::new(Store::open(&db).map_err(|e| e.to_string())?);
    let r = store.read().map_err(|e| e.to_string())?;
    let operator = r
        .all::<accoglienza::domain::Operator>()
        .map_err(|e| e.to_string())?
        .first()
        .map(|o| o.id)
        .unwrap_or_default();
    let desk = r
        .all::<accoglienza::domain::Desk>()
        .map_err(|e| e.to_string())?[0]
        .id;
    drop(r);
    let save_to = std::env::var_os("DASH_SAVE_TO");
    eframe::run_native(
        "Accoglienza — Cruscotto",
        eframe::NativeOptions {
            viewport: egui::ViewportBuilder::default().with_inner_size([1280.0, 820.0]),
            ..Default::default()
        },
        Box::new(move |cc| {
            cc.egui_ctx.set_theme(egui::Theme::Light);
            let picker: Arc<dyn FilePicker> = match save_to {
                Some(p) => {
                    let p = std::path::PathBuf::from(p);
                    Arc::new(ScriptedPicker::new((0..20).map(|_| Some(p.clone()))))
                }
                None => Arc::new(NativePicker::new(cc.egui_ctx.clone())),
            };
            let mut env = Env::new(store, picker);
            env.operator = operator;
            env.desk = desk;
            Ok(Box::new(App {
                dash: Dashboard::new(),
                env,
            }))
        }),
    )
    .map_err(|e| e.to_string())
}
