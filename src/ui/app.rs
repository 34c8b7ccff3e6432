//! The application: the welcome screen on an empty database, the counts otherwise.

use super::jobs::Job;
use super::welcome::{Welcome, WelcomeChoice};
use crate::stats::{self, AnnualCounts};
use crate::store::Store;
use crate::tr;
use std::sync::Arc;

/// The eframe application.
pub struct AccoglienzaApp {
    store: Arc<Store>,
    welcome: Option<Welcome>,
    demo_job: Option<Job<()>>,
    counts: Option<AnnualCounts>,
    error: Option<String>,
}

impl AccoglienzaApp {
    /// The app over an open store.
    pub fn new(store: Arc<Store>) -> Self {
        let empty = store.is_empty().unwrap_or(false);
        let mut app = AccoglienzaApp {
            store,
            welcome: empty.then(Welcome::default),
            demo_job: None,
            counts: None,
            error: None,
        };
        if !empty {
            app.reload();
        }
        app
    }

    fn reload(&mut self) {
        match self.store.read().and_then(|r| stats::annual_counts(&r)) {
            Ok(c) => self.counts = Some(c),
            Err(e) => self.error = Some(e.to_string()),
        }
    }
}

impl eframe::App for AccoglienzaApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        if let Some(job) = &mut self.demo_job
            && let Some(result) = job.poll()
        {
            self.demo_job = None;
            match result {
                Ok(()) => {
                    self.welcome = None;
                    self.reload();
                }
                Err(e) => self.error = Some(e),
            }
        }
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(tr!(
                    "status-database",
                    path = self.store.path().display().to_string()
                ));
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
            });
        });
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(w) = &mut self.welcome {
                let busy = self
                    .demo_job
                    .as_ref()
                    .map(|j| (j.progress.0.as_str(), j.fraction()));
                match w.ui(ui, busy) {
                    Some(WelcomeChoice::Demo) => {
                        let store = self.store.clone();
                        self.demo_job = Some(Job::spawn(ui.ctx(), move |report| {
                            crate::demo::generate(
                                &store,
                                crate::demo::Scale::Cooperative,
                                2022,
                                report,
                            )
                            .map(|_| ())
                            .map_err(|e| e.to_string())
                        }));
                    }
                    Some(WelcomeChoice::Empty) => {
                        self.welcome = None;
                        self.reload();
                    }
                    None => {}
                }
            } else if let Some(c) = &self.counts {
                super::shell_counts::ui(ui, c);
            }
        });
    }
}
