//! The annual report: the year's figures in sentences like the seed's ("640 cittadini si sono
//! rivolti ai nostri 2 sportelli WeMi …") and as a table with the previous year, as Markdown,
//! HTML (with the chart embedded), CSV and XLSX. Files are written whole or not at all.

use super::{AnnualCounts, annual_counts, sentence};
use crate::domain::pratica::fmt_euro;
use crate::domain::*;
use crate::store::{Reader, StoreError};
use base64::Engine;
use std::collections::HashMap;

/// One line of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    /// The line's code.
    pub code: String,
    /// The line's name.
    pub name: String,
    /// The area's name.
    pub area: String,
    /// The counting unit.
    pub unit: CountingUnit,
    /// The count in the report year.
    pub count: u64,
    /// The count in the previous year.
    pub previous: u64,
    /// The published (frozen) figure, when the year was published.
    pub published: Option<u64>,
    /// The seed-like sentence.
    pub sentence: String,
}

impl ReportRow {
    /// Count minus the previous year's.
    pub fn difference(&self) -> i64 {
        self.count as i64 - self.previous as i64
    }
}

/// The report of one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The year.
    pub year: i32,
    /// One row per line, in report order.
    pub rows: Vec<ReportRow>,
    /// The year's pratiche per bando (issue 15); empty when there were none or the
    /// session may not read pratiche.
    pub bandi: Vec<super::pratiche::BandoRow>,
}

/// Builds the report of `year` from the store's counts.
pub fn build(r: &Reader, year: i32) -> Result<Report, StoreError> {
    let counts = annual_counts(r)?;
    let areas: HashMap<Id, String> = r
        .all::<Area>()?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let published = r.published(year)?;
    let mut rep = from_counts(&counts, &areas, year, published.as_ref());
    rep.bandi = match super::pratiche::figures_by_bando(r, Some(year)) {
        Ok(rows) => rows,
        // A session without the desks' permission gets the report without this section.
        Err(StoreError::Denied(_)) => vec![],
        Err(e) => return Err(e),
    };
    Ok(rep)
}

/// Builds the report from counts already read.
pub fn from_counts(
    counts: &AnnualCounts,
    areas: &HashMap<Id, String>,
    year: i32,
    published: Option<&crate::store::published::Published>,
) -> Report {
    let rows = counts
        .lines
        .iter()
        .filter(|l| !l.archived || counts.count(l, year) > 0)
        .map(|l| {
            let count = counts.count(l, year);
            ReportRow {
                code: l.code.clone(),
                name: l.name.clone(),
                area: areas.get(&l.area).cloned().unwrap_or_default(),
                unit: l.unit,
                count,
                previous: counts.count(l, year - 1),
                published: published
                    .and_then(|p| p.lines.iter().find(|pl| pl.line == l.id))
                    .map(|pl| pl.count),
                sentence: sentence(l, count),
            }
        })
        .collect();
    Report {
        year,
        rows,
        bandi: vec![],
    }
}

/// The question that opens the list, as in the seed.
pub fn intro(year: i32) -> String {
    format!(
        "Ma quanti sono stati i cittadini che hanno usufruito di questi servizi nel {year}? Ecco alcuni dati:"
    )
}

fn signed(d: i64) -> String {
    if d > 0 {
        format!("+{d}")
    } else {
        d.to_string()
    }
}

/// The report as Markdown.
pub fn markdown(rep: &Report) -> String {
    let y = rep.year;
    let mut s = format!(
        "# Servizio di Accoglienza Sociale — dati {y}\n\n{}\n\n",
        intro(y)
    );
    for r in &rep.rows {
        s.push_str(&format!("- {}\n", r.sentence));
    }
    s.push_str(&format!(
        "\n## Tabella\n\n| Linea di servizio | Area | Unità | {} | {y} | Differenza |\n|---|---|---|---:|---:|---:|\n",
        y - 1
    ));
    for r in &rep.rows {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            r.name.replace('|', "\\|"),
            r.area.replace('|', "\\|"),
            r.unit.word(),
            r.previous,
            r.count,
            signed(r.difference())
        ));
    }
    if rep
        .rows
        .iter()
        .any(|r| r.published.is_some_and(|p| p != r.count))
    {
        s.push_str(&format!(
            "\nNota: alcuni dati del {y} sono cambiati dopo la pubblicazione:\n\n"
        ));
        for r in rep
            .rows
            .iter()
            .filter(|r| r.published.is_some_and(|p| p != r.count))
        {
            s.push_str(&format!(
                "- {}: pubblicato {}, oggi {}\n",
                r.name,
                r.published.unwrap_or(0),
                r.count
            ));
        }
    }
    if !rep.bandi.is_empty() {
        s.push_str(&format!(
            "\n## Pratiche per bando — {y}\n\n| Bando | Aperte | Inviate | Accolte | Respinte | Importo riconosciuto |\n|---|---:|---:|---:|---:|---:|\n"
        ));
        for b in &rep.bandi {
            let f = b.figures;
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                b.bando.name.replace('|', "\\|"),
                f.opened,
                f.sent,
                f.accepted,
                f.refused,
                fmt_euro(f.granted_cents)
            ));
        }
    }
    s
}

/// Escapes text for HTML.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The report as a standalone HTML page; `chart_png` is embedded as an image when given.
pub fn html(rep: &Report, chart_png: Option<&[u8]>) -> String {
    let y = rep.year;
    let e = escape_html;
    let mut s = format!(
        "<!DOCTYPE html>\n<html lang=\"it\">\n<head>\n<meta charset=\"utf-8\">\n<title>Servizio di Accoglienza Sociale — dati {y}</title>\n<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.5}}table{{border-collapse:collapse}}td,th{{border:1px solid #bbb;padding:.3em .6em}}td.n{{text-align:right}}img{{max-width:100%}}</style>\n</head>\n<body>\n<h1>Servizio di Accoglienza Sociale — dati {y}</h1>\n<p>{}</p>\n<ul>\n",
        e(&intro(y))
    );
    for r in &rep.rows {
        s.push_str(&format!("<li>{}</li>\n", e(&r.sentence)));
    }
    s.push_str("</ul>\n");
    if let Some(png) = chart_png {
        s.push_str(&format!(
            "<figure>\n<img alt=\"Grafico dei conteggi {y} per linea di servizio\" src=\"data:image/png;base64,{}\">\n<figcaption>Conteggi {y} per linea di servizio</figcaption>\n</figure>\n",
            base64::engine::general_purpose::STANDARD.encode(png)
        ));
    }
    s.push_str(&format!(
        "<table>\n<thead><tr><th>Linea di servizio</th><th>Area</th><th>Unità</th><th>{}</th><th>{y}</th><th>Differenza</th></tr></thead>\n<tbody>\n",
        y - 1
    ));
    for r in &rep.rows {
        s.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            e(&r.name),
            e(&r.area),
            r.unit.word(),
            r.previous,
            r.count,
            signed(r.difference())
        ));
    }
    s.push_str("</tbody>\n</table>\n");
    if !rep.bandi.is_empty() {
        s.push_str(&format!(
            "<h2>Pratiche per bando — {y}</h2>\n<table>\n<thead><tr><th>Bando</th><th>Aperte</th><th>Inviate</th><th>Accolte</th><th>Respinte</th><th>Importo riconosciuto</th></tr></thead>\n<tbody>\n"
        ));
        for b in &rep.bandi {
            let f = b.figures;
            s.push_str(&format!(
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                e(&b.bando.name),
                f.opened,
                f.sent,
                f.accepted,
                f.refused,
                e(&fmt_euro(f.granted_cents))
            ));
        }
        s.push_str("</tbody>\n</table>\n");
    }
    s.push_str("</body>\n</html>\n");
    s
}

/// The table as CSV (UTF-8, comma-separated, header row).
pub fn csv(rep: &Report) -> Result<String, String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let y = rep.year;
    w.write_record([
        "codice".to_string(),
        "linea".to_string(),
        "area".to_string(),
        "unita".to_string(),
        format!("anno_{}", y - 1),
        format!("anno_{y}"),
        "differenza".to_string(),
        "pubblicato".to_string(),
    ])
    .map_err(|e| e.to_string())?;
    for r in &rep.rows {
        w.write_record([
            r.code.clone(),
            r.name.clone(),
            r.area.clone(),
            r.unit.word().to_string(),
            r.previous.to_string(),
            r.count.to_string(),
            r.difference().to_string(),
            r.published.map(|p| p.to_string()).unwrap_or_default(),
        ])
        .map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// The table as an XLSX workbook (one sheet, numbers as numbers).
pub fn xlsx(rep: &Report) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| format!("impossibile creare il file Excel: {e}");
    let y = rep.year;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(format!("Dati {y}")).map_err(err)?;
    let bold = Format::new().set_bold();
    let headers = [
        "Codice".to_string(),
        "Linea di servizio".to_string(),
        "Area".to_string(),
        "Unità".to_string(),
        (y - 1).to_string(),
        y.to_string(),
        "Differenza".to_string(),
        "Pubblicato".to_string(),
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)
            .map_err(err)?;
    }
    for (i, r) in rep.rows.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, &r.code).map_err(err)?;
        ws.write_string(row, 1, &r.name).map_err(err)?;
        ws.write_string(row, 2, &r.area).map_err(err)?;
        ws.write_string(row, 3, r.unit.word()).map_err(err)?;
        ws.write_number(row, 4, r.previous as f64).map_err(err)?;
        ws.write_number(row, 5, r.count as f64).map_err(err)?;
        ws.write_number(row, 6, r.difference() as f64)
            .map_err(err)?;
        if let Some(p) = r.published {
            ws.write_number(row, 7, p as f64).map_err(err)?;
        }
    }
    ws.set_column_width(1, 60).map_err(err)?;
    ws.set_column_width(2, 32).map_err(err)?;
    wb.save_to_buffer().map_err(err)
}
