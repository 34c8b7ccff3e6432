//! «Stampa / Esporta PDF…» and «Esporta dati (art. 15)…» on the cartella: a small dialog
//! (sections and period for the PDF; the review's exclusions for the art. 15 export), then
//! the save dialog. The document is made by `crate::print` for the signed-in session (so it
//! holds only what the role may see, and the print is logged); the file is written beside
//! its final name and renamed, and its suggested name carries no personal data.

use super::Env;
use super::file_picker::{PendingPick, PickKind, PickRequest};
use crate::domain::time::parse_date_checked;
use crate::domain::*;
use crate::print::{self, CartellaOptions, Omission, OmitItem, Section};
use crate::tr;
use std::path::{Path, PathBuf};

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pdf,
    Art15,
}

/// The dialog, open on the cartella.
pub struct PrintDialog {
    kind: Kind,
    sections: [bool; 7],
    from: String,
    to: String,
    purpose: String,
    omit_household: bool,
    omit_confidential: bool,
    options: Option<CartellaOptions>,
    pending: Option<PendingPick>,
    error: Option<String>,
}

impl PrintDialog {
    fn new(kind: Kind) -> Self {
        PrintDialog {
            kind,
            sections: [true; 7],
            from: String::new(),
            to: String::new(),
            purpose: String::new(),
            omit_household: true,
            omit_confidential: true,
            options: None,
            pending: None,
            error: None,
        }
    }

    /// The cartella as PDF, with sections and period.
    pub fn pdf() -> Self {
        Self::new(Kind::Pdf)
    }

    /// The art. 15 access export, with the review's exclusions.
    pub fn art15() -> Self {
        Self::new(Kind::Art15)
    }

    /// Shows the dialog; `true` once it is over (saved, or cancelled).
    pub fn ui(&mut self, ctx: &egui::Context, env: &mut Env, p: &Person) -> bool {
        if let Some(pending) = &mut self.pending {
            match pending.poll(ctx) {
                None => return false,
                Some(None) => {
                    self.pending = None;
                    return false;
                }
                Some(Some(path)) => {
                    self.pending = None;
                    match self.save(env, p, &path) {
                        Ok(msg) => {
                            env.notify(msg);
                            return true;
                        }
                        Err(e) => self.error = Some(e),
                    }
                }
            }
        }
        let title = match self.kind {
            Kind::Pdf => tr!("print-title"),
            Kind::Art15 => tr!("print-art15-title"),
        };
        let (mut save, mut cancel) = (false, false);
        egui::Window::new(title)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                match self.kind {
                    Kind::Pdf => self.pdf_ui(ui),
                    Kind::Art15 => self.art15_ui(ui),
                }
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                ui.horizontal(|ui| {
                    save = ui.button(tr!("print-save")).clicked();
                    cancel = ui.button(tr!("print-cancel")).clicked();
                });
            });
        if cancel {
            return true;
        }
        if save {
            match self.read_options() {
                Ok(o) => {
                    self.options = Some(o);
                    self.error = None;
                    let (prefix, ext, filter) = match self.kind {
                        Kind::Pdf => ("cartella", "pdf", "PDF"),
                        Kind::Art15 => ("accesso-art15", "json", "JSON"),
                    };
                    let name = print::suggested_name(&env.store, p.id, prefix, ext);
                    let req = PickRequest::new(PickKind::Save, tr!("print-dialog-save"))
                        .file_name(name)
                        .filter(filter, &[ext]);
                    self.pending = Some(env.picker.pick(req));
                }
                Err(e) => self.error = Some(e),
            }
        }
        false
    }

    fn pdf_ui(&mut self, ui: &mut egui::Ui) {
        ui.label(tr!("print-sections"));
        for (i, s) in Section::ALL.iter().enumerate() {
            ui.checkbox(&mut self.sections[i], s.heading());
        }
        ui.add_space(6.0);
        egui::Grid::new("print-period")
            .num_columns(2)
            .show(ui, |ui| {
                let l = ui.label(tr!("print-from"));
                ui.add(egui::TextEdit::singleline(&mut self.from).desired_width(120.0))
                    .labelled_by(l.id);
                ui.end_row();
                let l = ui.label(tr!("print-to"));
                ui.add(egui::TextEdit::singleline(&mut self.to).desired_width(120.0))
                    .labelled_by(l.id);
                ui.end_row();
                let l = ui.label(tr!("print-purpose"));
                ui.add(egui::TextEdit::singleline(&mut self.purpose).desired_width(260.0))
                    .labelled_by(l.id);
                ui.end_row();
            });
    }

    fn art15_ui(&mut self, ui: &mut egui::Ui) {
        ui.label(tr!("print-art15-intro"));
        ui.add_space(4.0);
        ui.label(tr!("print-art15-review"));
        ui.checkbox(&mut self.omit_household, tr!("print-omit-household"));
        ui.checkbox(&mut self.omit_confidential, tr!("print-omit-confidential"));
    }

    fn read_options(&self) -> Result<CartellaOptions, String> {
        let date = |s: &str| -> Result<Option<chrono::NaiveDate>, String> {
            if s.trim().is_empty() {
                return Ok(None);
            }
            parse_date_checked(s)
                .map(Some)
                .map_err(|e| tr!("print-bad-date", date = s.to_string(), why = e.to_string()))
        };
        let sections: Vec<Section> = Section::ALL
            .iter()
            .zip(self.sections)
            .filter(|(_, on)| *on)
            .map(|(s, _)| *s)
            .collect();
        if sections.is_empty() {
            return Err(tr!("print-no-section"));
        }
        Ok(CartellaOptions {
            sections,
            from: date(&self.from)?,
            to: date(&self.to)?,
            ..CartellaOptions::default()
        })
    }

    fn omissions(&self) -> Vec<Omission> {
        let mut v = Vec::new();
        if self.omit_household {
            v.push(Omission {
                item: OmitItem::HouseholdMembers,
                reason: tr!("print-omit-household-why"),
            });
        }
        if self.omit_confidential {
            v.push(Omission {
                item: OmitItem::ConfidentialNotes,
                reason: tr!("print-omit-confidential-why"),
            });
        }
        v
    }

    /// Makes the document and writes it; the message for the status line.
    fn save(&self, env: &mut Env, p: &Person, path: &Path) -> Result<String, String> {
        let session = env.session.clone();
        let store = env.store.clone();
        let write = |to: &Path, bytes: &[u8]| {
            crate::store::output::write_atomic_with(store.path(), to, true, |w| w.write_all(bytes))
        };
        match self.kind {
            Kind::Pdf => {
                let o = self.options.clone().unwrap_or_default();
                let bytes = print::cartella_pdf(&store, session.as_ref(), p.id, &o, &self.purpose)
                    .map_err(|e| e.to_string())?;
                write(path, &bytes)?;
                Ok(tr!("print-saved", path = path.display().to_string()))
            }
            Kind::Art15 => {
                let x =
                    print::art15::access_export(&store, session.as_ref(), p.id, &self.omissions())
                        .map_err(|e| e.to_string())?;
                let pdf: PathBuf = path.with_extension("pdf");
                write(path, x.json_text().as_bytes())?;
                write(&pdf, &x.pdf)?;
                Ok(tr!("print-art15-saved", path = path.display().to_string()))
            }
        }
    }
}
