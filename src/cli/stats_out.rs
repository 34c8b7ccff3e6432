//! `accoglienza stats` output: aligned table, CSV or JSON.

use super::StatsFormat;
use crate::stats::AnnualCounts;
use serde::Serialize;

#[derive(Serialize)]
struct Row<'a> {
    line_code: &'a str,
    line_name: &'a str,
    unit: &'a str,
    year: i32,
    count: u64,
}

/// Renders the counts of every line, for one year or all.
pub fn render(counts: &AnnualCounts, year: Option<i32>, format: StatsFormat) -> String {
    let years: Vec<i32> = match year {
        Some(y) => vec![y],
        None => counts.years.clone(),
    };
    let rows: Vec<Row<'_>> = counts
        .lines
        .iter()
        .flat_map(|l| {
            years.iter().map(move |&y| Row {
                line_code: &l.code,
                line_name: &l.name,
                unit: l.unit.word(),
                year: y,
                count: counts.count(l, y),
            })
        })
        .collect();
    match format {
        StatsFormat::Json => serde_json::to_string_pretty(&rows).unwrap_or_default() + "\n",
        StatsFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            for r in &rows {
                let _ = w.serialize(r);
            }
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        }
        StatsFormat::Table => {
            let mut out = String::new();
            let name_w = counts
                .lines
                .iter()
                .map(|l| l.name.chars().count())
                .max()
                .unwrap_or(10)
                .min(60);
            out.push_str(&format!("{:<name_w$}  {:<9}", "Linea di servizio", "Unità"));
            for y in &years {
                out.push_str(&format!(" {y:>6}"));
            }
            out.push('\n');
            for l in &counts.lines {
                let name: String = l.name.chars().take(name_w).collect();
                out.push_str(&format!("{name:<name_w$}  {:<9}", l.unit.word()));
                for &y in &years {
                    out.push_str(&format!(" {:>6}", counts.count(l, y)));
                }
                out.push('\n');
            }
            if years.is_empty() {
                out.push_str("(nessun dato)\n");
            }
            out
        }
    }
}
