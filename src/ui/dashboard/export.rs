//! Exports from the dashboard: the chart as PNG (a screenshot of the window, cropped to the
//! chart), the table as CSV and XLSX, the annual report as Markdown and HTML (with the chart
//! embedded). Paths come from the file picker; files are written whole or not at all.

use super::super::Env;
use super::super::file_picker::{PendingPick, PickKind, PickRequest};
use super::charts::ChartKind;
use super::render;
use crate::access::Session;
use crate::domain::Permission;
use crate::domain::access::AccessKind;
use crate::stats::AnnualCounts;
use crate::stats::report;
use crate::store::output;
use crate::tr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

/// What is being exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// The chart on screen, as PNG.
    Png,
    /// The table as CSV.
    Csv,
    /// The table as XLSX.
    Xlsx,
    /// The annual report as Markdown.
    Markdown,
    /// The annual report as HTML.
    Html,
}

impl ExportKind {
    const ALL: [ExportKind; 5] = [
        ExportKind::Png,
        ExportKind::Csv,
        ExportKind::Xlsx,
        ExportKind::Markdown,
        ExportKind::Html,
    ];

    fn ext(self) -> &'static str {
        match self {
            ExportKind::Png => "png",
            ExportKind::Csv => "csv",
            ExportKind::Xlsx => "xlsx",
            ExportKind::Markdown => "md",
            ExportKind::Html => "html",
        }
    }

    fn button(self) -> String {
        match self {
            ExportKind::Png => tr!("dash-export-png"),
            ExportKind::Csv => tr!("dash-export-csv"),
            ExportKind::Xlsx => tr!("dash-export-xlsx"),
            ExportKind::Markdown => tr!("dash-export-md"),
            ExportKind::Html => tr!("dash-export-html"),
        }
    }
}

struct Pending {
    kind: ExportKind,
    year: i32,
    chart: ChartKind,
    pick: PendingPick,
}

struct Shot {
    path: PathBuf,
    rect: egui::Rect,
    rx: Receiver<Arc<egui::ColorImage>>,
    /// The year the chart shows (for the access log).
    year: i32,
}

/// The export buttons and what they are waiting for.
#[derive(Default)]
pub struct Exports {
    pending: Option<Pending>,
    shot: Option<Shot>,
    counts: Option<AnnualCounts>,
}

impl Exports {
    /// The export buttons.
    pub fn toolbar(
        &mut self,
        ui: &mut egui::Ui,
        env: &Env,
        counts: &AnnualCounts,
        year: i32,
        chart: ChartKind,
        chart_rect: Option<egui::Rect>,
    ) {
        if !env.may(Permission::Esportazioni) {
            // As on the command line: exports and reports need «Esportazioni».
            ui.weak(tr!("dash-export-needs-permission"));
            return;
        }
        ui.horizontal_wrapped(|ui| {
            ui.label(tr!("dash-export"));
            let busy = self.pending.is_some() || self.shot.is_some();
            for kind in ExportKind::ALL {
                let enabled = !busy && (kind != ExportKind::Png || chart_rect.is_some());
                if ui
                    .add_enabled(enabled, egui::Button::new(kind.button()))
                    .clicked()
                {
                    let name = match kind {
                        ExportKind::Png => format!("accoglienza-grafico-{year}.png"),
                        ExportKind::Csv | ExportKind::Xlsx => {
                            format!("accoglienza-dati-{year}.{}", kind.ext())
                        }
                        _ => format!("accoglienza-report-{year}.{}", kind.ext()),
                    };
                    let req = PickRequest::new(PickKind::Save, kind.button())
                        .file_name(name)
                        .filter(kind.ext().to_uppercase(), &[kind.ext()]);
                    self.counts = Some(counts.clone());
                    self.pending = Some(Pending {
                        kind,
                        year,
                        chart,
                        pick: env.picker.pick(req),
                    });
                    if kind == ExportKind::Png {
                        self.shot = chart_rect.map(|rect| Shot {
                            path: PathBuf::new(),
                            rect,
                            rx: channel().1,
                            year,
                        });
                    }
                }
            }
        });
    }

    /// Takes the picker's answer and the screenshot when they arrive, and writes the file.
    pub fn poll(
        &mut self,
        ctx: &egui::Context,
        env: &Env,
        chart_rect: Option<egui::Rect>,
        message: &mut Option<(bool, String)>,
    ) {
        if let Some(p) = &mut self.pending
            && let Some(answer) = p.pick.poll(ctx)
        {
            let p = self.pending.take().expect("pending export");
            match answer {
                None => self.shot = None,
                Some(path) => {
                    let path = with_ext(path, p.kind.ext());
                    if p.kind == ExportKind::Png {
                        if let Some(shot) = &mut self.shot {
                            let (tx, rx) = channel();
                            if let Some(r) = chart_rect {
                                shot.rect = r;
                            }
                            shot.path = path;
                            shot.rx = rx;
                            let repaint = ctx.clone();
                            ctx.request_screenshot(move |img| {
                                let _ = tx.send(img);
                                repaint.request_repaint();
                            });
                        }
                    } else {
                        let result = self.write(env, p.kind, p.year, p.chart, &path);
                        *message = Some(match result {
                            Ok(()) => (false, tr!("dash-saved", path = path.display().to_string())),
                            Err(e) => (true, e),
                        });
                    }
                }
            }
        }
        if let Some(shot) = &self.shot
            && let Ok(img) = shot.rx.try_recv()
        {
            let shot = self.shot.take().expect("shot");
            let result = exporter(env).and_then(|session| {
                let png = crop_png(&img, shot.rect, ctx.pixels_per_point())?;
                output::write_atomic(env.store.path(), &shot.path, &png)?;
                log_export(env, &session, shot.year)
            });
            *message = Some(match result {
                Ok(()) => (
                    false,
                    tr!("dash-saved", path = shot.path.display().to_string()),
                ),
                Err(e) => (true, e),
            });
        }
    }

    fn write(
        &self,
        env: &Env,
        kind: ExportKind,
        year: i32,
        chart: ChartKind,
        path: &std::path::Path,
    ) -> Result<(), String> {
        let session = exporter(env)?;
        let r = env.reads().read_aggregates().map_err(|e| e.to_string())?;
        let rep = report::build(&r, year).map_err(|e| e.to_string())?;
        let bytes = match kind {
            ExportKind::Csv => report::csv(&rep)?.into_bytes(),
            ExportKind::Xlsx => report::xlsx(&rep)?,
            ExportKind::Markdown => report::markdown(&rep).into_bytes(),
            ExportKind::Html => {
                let counts = match &self.counts {
                    Some(c) => c.clone(),
                    None => crate::stats::annual_counts(&r).map_err(|e| e.to_string())?,
                };
                let kind = if matches!(chart, ChartKind::Breakdown(_)) {
                    ChartKind::Compare
                } else {
                    chart
                };
                let png = render::chart_png(kind, &counts, year, None, 1200, 640)?;
                report::html(&rep, Some(&png)).into_bytes()
            }
            ExportKind::Png => return Err("PNG".into()),
        };
        output::write_atomic(env.store.path(), path, &bytes)?;
        log_export(env, &session, year)
    }
}

/// The signed-in account, when it may export (the store writes no file, so the window
/// checks here what the command line checks before `report` and `chart`).
fn exporter(env: &Env) -> Result<Session, String> {
    match &env.session {
        Some(s) if s.may(Permission::Esportazioni) => Ok(s.clone()),
        _ => Err(tr!("dash-export-needs-permission")),
    }
}

/// Logs an export of the year's figures in the access log, as `accoglienza report` does.
fn log_export(env: &Env, session: &Session, year: i32) -> Result<(), String> {
    env.store
        .log_access(
            session,
            AccessKind::Rapporto,
            None,
            &format!("rapporto {year}"),
        )
        .map_err(|e| e.to_string())
}

fn with_ext(mut path: PathBuf, ext: &str) -> PathBuf {
    if path.extension().is_none() {
        path.set_extension(ext);
    }
    path
}

/// Crops a window screenshot to the chart (points → pixels) and encodes it as PNG.
pub fn crop_png(img: &egui::ColorImage, rect: egui::Rect, ppp: f32) -> Result<Vec<u8>, String> {
    let [w, h] = img.size;
    let x0 = ((rect.min.x * ppp).floor().max(0.0) as usize).min(w);
    let y0 = ((rect.min.y * ppp).floor().max(0.0) as usize).min(h);
    let x1 = ((rect.max.x * ppp).ceil().max(0.0) as usize).min(w);
    let y1 = ((rect.max.y * ppp).ceil().max(0.0) as usize).min(h);
    if x1 <= x0 || y1 <= y0 {
        return Err(tr!("dash-png-empty"));
    }
    let mut rgba = Vec::with_capacity((x1 - x0) * (y1 - y0) * 4);
    for y in y0..y1 {
        for x in x0..x1 {
            rgba.extend_from_slice(&img.pixels[y * w + x].to_srgba_unmultiplied());
        }
    }
    render::encode_png((x1 - x0) as u32, (y1 - y0) as u32, &rgba)
}
