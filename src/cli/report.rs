//! `accoglienza report` (the annual report as Markdown, HTML, CSV or XLSX) and
//! `accoglienza chart` (a chart as PNG, drawn without a window by the same code as the screen).

use crate::domain::access::AccessKind;
use crate::stats::{self, report};
use crate::store::{Reader, Store};
use crate::ui::dashboard::charts::ChartKind;
use crate::ui::dashboard::render;
use clap::ValueEnum;
use std::path::Path;

/// Formats of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Markdown.
    Md,
    /// A standalone HTML page with the chart embedded.
    Html,
    /// The table as CSV.
    Csv,
    /// The table as an Excel workbook.
    Xlsx,
}

/// Charts of `chart`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChartChoice {
    /// The year's count per service line.
    Year,
    /// The year next to the previous one.
    Compare,
    /// Every year per line.
    Trend,
    /// By area.
    Area,
    /// By desk.
    Desk,
    /// By month.
    Month,
}

impl ChartChoice {
    fn kind(self) -> ChartKind {
        use crate::stats::breakdown::Dimension;
        match self {
            ChartChoice::Year => ChartKind::Year,
            ChartChoice::Compare => ChartKind::Compare,
            ChartChoice::Trend => ChartKind::Trend,
            ChartChoice::Area => ChartKind::Breakdown(Dimension::Area),
            ChartChoice::Desk => ChartKind::Breakdown(Dimension::Desk),
            ChartChoice::Month => ChartKind::Breakdown(Dimension::Month),
        }
    }
}

/// Refuses a year out of range.
pub(super) fn check_year(year: i32) -> Result<(), String> {
    if (1900..=2200).contains(&year) {
        Ok(())
    } else {
        Err(format!("Anno non valido: {year}"))
    }
}

fn chart_bytes(
    r: &Reader,
    year: i32,
    kind: ChartKind,
    width: u32,
    height: u32,
) -> Result<Vec<u8>, String> {
    let counts = stats::annual_counts(r).map_err(|e| e.to_string())?;
    let b = match kind {
        ChartKind::Breakdown(dim) => {
            Some(stats::breakdown::breakdown(r, year, dim).map_err(|e| e.to_string())?)
        }
        _ => None,
    };
    render::chart_png(kind, &counts, year, b.as_ref(), width, height)
}

/// Writes the annual report of `year`.
pub fn report(
    store: &Store,
    session: Option<&crate::access::Session>,
    year: i32,
    format: ReportFormat,
    out: &Path,
) -> Result<(), String> {
    check_year(year)?;
    let r = super::auth::reader(store, session)?;
    let rep = report::build(&r, year).map_err(|e| e.to_string())?;
    let bytes = match format {
        ReportFormat::Md => report::markdown(&rep).into_bytes(),
        ReportFormat::Csv => report::csv(&rep)?.into_bytes(),
        ReportFormat::Xlsx => report::xlsx(&rep)?,
        ReportFormat::Html => {
            // The chart from the same snapshot as the table.
            let png = chart_bytes(&r, year, ChartKind::Compare, 1200, 640)?;
            report::html(&rep, Some(&png)).into_bytes()
        }
    };
    crate::store::output::write_atomic(store.path(), out, &bytes)?;
    super::auth::log(
        store,
        session,
        AccessKind::Rapporto,
        &format!("rapporto {year}"),
    )?;
    println!("Report {year} scritto in {}", out.display());
    Ok(())
}

/// Draws a chart of `year` into a PNG file.
pub fn chart(
    store: &Store,
    session: Option<&crate::access::Session>,
    year: i32,
    choice: ChartChoice,
    width: u32,
    height: u32,
    out: &Path,
) -> Result<(), String> {
    check_year(year)?;
    let r = super::auth::reader(store, session)?;
    let png = chart_bytes(&r, year, choice.kind(), width, height)?;
    crate::store::output::write_atomic(store.path(), out, &png)?;
    super::auth::log(
        store,
        session,
        AccessKind::Rapporto,
        &format!("grafico {year}"),
    )?;
    println!("Grafico {year} scritto in {}", out.display());
    Ok(())
}
