//! The dashboard's charts, drawn with egui_plot: the year's counts per line, the comparison
//! with the previous year, the trend of every year, and the breakdowns. The same functions
//! draw the screen, meeting mode and the headless PNG.

use crate::stats::AnnualCounts;
use crate::stats::breakdown::{Breakdown, Dimension};
use crate::tr;
use egui::{Align2, Color32, RichText};
use egui_plot::{Bar, BarChart, GridMark, Legend, Line, Plot, PlotPoint, PlotPoints, Text};

/// Which chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChartKind {
    /// The selected year's count per line.
    Year,
    /// The selected year next to the previous one, with the difference.
    Compare,
    /// Every year per line.
    Trend,
    /// A breakdown of the selected year.
    Breakdown(Dimension),
}

impl ChartKind {
    /// Every chart, in the order of the tabs and of meeting mode.
    pub const ALL: [ChartKind; 6] = [
        ChartKind::Year,
        ChartKind::Compare,
        ChartKind::Trend,
        ChartKind::Breakdown(Dimension::Area),
        ChartKind::Breakdown(Dimension::Desk),
        ChartKind::Breakdown(Dimension::Month),
    ];

    /// The tab label.
    pub fn label(self) -> String {
        match self {
            ChartKind::Year => tr!("dash-view-year"),
            ChartKind::Compare => tr!("dash-view-compare"),
            ChartKind::Trend => tr!("dash-view-trend"),
            ChartKind::Breakdown(Dimension::Area) => tr!("dash-view-area"),
            ChartKind::Breakdown(Dimension::Desk) => tr!("dash-view-desk"),
            ChartKind::Breakdown(Dimension::Month) => tr!("dash-view-month"),
        }
    }

    /// The chart's title for a year.
    pub fn title(self, year: i32) -> String {
        match self {
            ChartKind::Year => tr!("dash-title-year", year = year),
            ChartKind::Compare => tr!("dash-title-compare", year = year, previous = year - 1),
            ChartKind::Trend => tr!("dash-title-trend"),
            ChartKind::Breakdown(Dimension::Area) => tr!("dash-title-area", year = year),
            ChartKind::Breakdown(Dimension::Desk) => tr!("dash-title-desk", year = year),
            ChartKind::Breakdown(Dimension::Month) => tr!("dash-title-month", year = year),
        }
    }
}

/// What a click on a chart asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartClick {
    /// The records behind a line's count in a year (index into `AnnualCounts::lines`).
    Behind(usize, i32),
    /// Select a year.
    Year(i32),
}

/// A readable, colour-blind-friendly palette (Okabe–Ito, then Tableau).
pub const PALETTE: [Color32; 10] = [
    Color32::from_rgb(0, 114, 178),
    Color32::from_rgb(230, 159, 0),
    Color32::from_rgb(0, 158, 115),
    Color32::from_rgb(204, 121, 167),
    Color32::from_rgb(86, 180, 233),
    Color32::from_rgb(213, 94, 0),
    Color32::from_rgb(120, 120, 120),
    Color32::from_rgb(240, 228, 66),
    Color32::from_rgb(148, 103, 189),
    Color32::from_rgb(140, 86, 75),
];

/// Shortens a label to `max` characters with an ellipsis.
pub fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t = t.trim_end().to_string();
        t.push('…');
        t
    }
}

/// Breaks a label into lines of at most `max` characters at spaces (three lines at most, the
/// last shortened only if it still does not fit): axis labels are whole where no tooltip can
/// show them (meeting mode).
pub fn wrap_label(s: &str, max: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= max => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.len() > 3 {
        let rest = lines.split_off(2).join(" ");
        lines.push(rest);
    }
    if let Some(l) = lines.last_mut() {
        *l = short(l, max);
    }
    lines.join("\n")
}

fn base_plot<'a>(id: &str, height: f32) -> Plot<'a> {
    Plot::new(id)
        .height(height)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
}

/// Horizontal grouped bars: one row per label (top to bottom), one bar per series.
/// Returns the clicked row.
#[allow(clippy::too_many_arguments)]
fn grouped_hbars(
    ui: &mut egui::Ui,
    id: &str,
    height: f32,
    rows: &[String],
    series: &[(String, Vec<u64>)],
    value_text: &dyn Fn(usize, usize, u64) -> String,
    large: bool,
) -> Option<usize> {
    let n = rows.len();
    let k = series.len().max(1);
    let group = 0.8;
    let w = group / k as f64;
    let label_chars = if large { 34 } else { 40 };
    // In meeting mode the type is large and a third line would not fit its row (egui_plot
    // then drops the label): the name without its explanation, as the trend's titles.
    let labels: Vec<String> = rows
        .iter()
        .map(|r| {
            let r = if large {
                super::multiples::short_name(r)
            } else {
                r
            };
            wrap_label(r, label_chars)
        })
        .collect();
    let max = series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let font = if large { 22.0 } else { 13.0 };
    let y_of = |row: usize| (n - 1 - row) as f64;
    let mut plot = base_plot(id, height);
    if k > 1 {
        plot = plot.legend(
            Legend::default()
                .position(egui_plot::Corner::RightBottom)
                .follow_insertion_order(true),
        );
    }
    let resp = plot
        .show_grid([true, false])
        .include_x(0.0)
        .include_x(max * 1.18)
        .include_y(-0.6)
        .include_y(n as f64 - 0.4)
        .y_axis_min_width(if large { 420.0 } else { 290.0 })
        .y_grid_spacer(move |_| {
            (0..n)
                .map(|i| GridMark {
                    value: i as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        .y_axis_formatter(move |mark, _| {
            let v = mark.value.round();
            if (mark.value - v).abs() > 1e-6 || v < 0.0 || v as usize >= n {
                return String::new();
            }
            labels[n - 1 - v as usize].clone()
        })
        .x_axis_formatter(|mark, _| {
            if mark.value < 0.0 || mark.value.fract() != 0.0 {
                String::new()
            } else {
                format!("{}", mark.value as i64)
            }
        })
        .show(ui, |plot| {
            for (s, (name, values)) in series.iter().enumerate() {
                let color = PALETTE[s % PALETTE.len()];
                let offset = if k == 1 {
                    0.0
                } else {
                    group / 2.0 - w * (s as f64 + 0.5)
                };
                let bars: Vec<Bar> = values
                    .iter()
                    .enumerate()
                    .map(|(row, v)| {
                        Bar::new(y_of(row) + offset, *v as f64)
                            .width(w * 0.92)
                            .fill(color)
                            .name(&rows[row])
                    })
                    .collect();
                plot.bar_chart(
                    BarChart::new(name.clone(), bars)
                        .id(("dash-bars", id, s))
                        .horizontal()
                        .color(color)
                        .allow_hover(!large),
                );
                for (row, v) in values.iter().enumerate() {
                    plot.text(
                        Text::new(
                            "",
                            PlotPoint::new(*v as f64 + max * 0.01, y_of(row) + offset),
                            RichText::new(value_text(row, s, *v)).size(font),
                        )
                        .anchor(Align2::LEFT_CENTER)
                        .id(("dash-value", id, s, row))
                        .color(ui_text_color(large)),
                    );
                }
            }
            plot.response()
                .clicked()
                .then(|| plot.pointer_coordinate())
                .flatten()
        });
    let point = resp.inner?;
    let y = point.y.round();
    if y < 0.0 || y as usize >= n || point.x < 0.0 {
        return None;
    }
    Some(n - 1 - y as usize)
}

fn ui_text_color(large: bool) -> Color32 {
    if large {
        Color32::from_gray(20)
    } else {
        Color32::from_gray(40)
    }
}

/// Lines over an x axis of labelled points; returns the clicked x index.
fn lines_chart(
    ui: &mut egui::Ui,
    id: &str,
    height: f32,
    xs: &[String],
    series: &[(String, Vec<u64>)],
    large: bool,
) -> Option<usize> {
    let xs_owned = xs.to_vec();
    let nx = xs.len();
    let max = series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    // Headroom above the lines for the legend (one entry per series).
    let headroom = 1.0 + 0.07 * series.len() as f64 * if large { 1.4 } else { 1.0 };
    let resp = base_plot(id, height)
        .include_y(max * headroom.max(1.15))
        .legend(
            Legend::default()
                .position(egui_plot::Corner::LeftTop)
                .follow_insertion_order(true)
                .text_style(if large {
                    egui::TextStyle::Body
                } else {
                    egui::TextStyle::Small
                }),
        )
        .include_y(0.0)
        .include_x(-0.3)
        .include_x(nx as f64 - 0.7)
        .x_grid_spacer(move |_| {
            (0..nx)
                .map(|i| GridMark {
                    value: i as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        .x_axis_formatter(move |mark, _| {
            let v = mark.value.round();
            if (mark.value - v).abs() > 1e-6 || v < 0.0 || v as usize >= nx {
                return String::new();
            }
            xs_owned[v as usize].clone()
        })
        .y_axis_formatter(|mark, _| {
            if mark.value < 0.0 || mark.value.fract() != 0.0 {
                String::new()
            } else {
                format!("{}", mark.value as i64)
            }
        })
        .show(ui, |plot| {
            for (s, (name, values)) in series.iter().enumerate() {
                let pts: Vec<[f64; 2]> = values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| [i as f64, *v as f64])
                    .collect();
                plot.line(
                    Line::new(short(name, 48), PlotPoints::from(pts.clone()))
                        .color(PALETTE[s % PALETTE.len()])
                        .width(if large { 4.0 } else { 2.0 }),
                );
                plot.points(
                    egui_plot::Points::new(short(name, 48), PlotPoints::from(pts))
                        .color(PALETTE[s % PALETTE.len()])
                        .radius(if large { 5.0 } else { 3.0 }),
                );
            }
            plot.response()
                .clicked()
                .then(|| plot.pointer_coordinate())
                .flatten()
        });
    let p = resp.inner?;
    let x = p.x.round();
    (x >= 0.0 && (x as usize) < nx).then_some(x as usize)
}

/// The years of the trend: every year with data up to the selected one or the last
/// complete year (the running year is partial and would look like a collapse).
pub fn trend_years(counts: &AnnualCounts, selected: i32) -> Vec<i32> {
    let last_complete = chrono::Datelike::year(&crate::domain::time::today()) - 1;
    counts
        .years
        .iter()
        .copied()
        .filter(|y| *y <= selected.max(last_complete))
        .collect()
}

/// The bars of the year chart: (line code, label under the bar, value) in report order.
pub fn year_series(counts: &AnnualCounts, year: i32) -> Vec<(String, String, u64)> {
    counts
        .lines
        .iter()
        .map(|l| {
            let n = counts.count(l, year);
            (l.code.clone(), l.unit.counted(n), n)
        })
        .collect()
}

/// Draws a chart. `breakdown` is needed for the breakdown charts (a spinner is the
/// caller's business while it is computed).
pub fn show(
    ui: &mut egui::Ui,
    kind: ChartKind,
    counts: &AnnualCounts,
    year: i32,
    breakdown: Option<&Breakdown>,
    height: f32,
    large: bool,
) -> Option<ChartClick> {
    let names: Vec<String> = counts.lines.iter().map(|l| l.name.clone()).collect();
    let id = format!("dash-plot-{kind:?}-{large}");
    match kind {
        ChartKind::Year => {
            let series = year_series(counts, year);
            let values: Vec<u64> = series.iter().map(|s| s.2).collect();
            grouped_hbars(
                ui,
                &id,
                height,
                &names,
                &[(year.to_string(), values)],
                &|row, _, _| series[row].1.clone(),
                large,
            )
            .map(|row| ChartClick::Behind(row, year))
        }
        ChartKind::Compare => {
            let prev: Vec<u64> = counts
                .lines
                .iter()
                .map(|l| counts.count(l, year - 1))
                .collect();
            let cur: Vec<u64> = counts.lines.iter().map(|l| counts.count(l, year)).collect();
            let diffs: Vec<i64> = cur
                .iter()
                .zip(&prev)
                .map(|(c, p)| *c as i64 - *p as i64)
                .collect();
            grouped_hbars(
                ui,
                &id,
                height,
                &names,
                &[((year - 1).to_string(), prev), (year.to_string(), cur)],
                &|row, s, v| {
                    if s == 1 {
                        let d = diffs[row];
                        let sign = if d > 0 { "+" } else { "" };
                        format!("{v} ({sign}{d})")
                    } else {
                        v.to_string()
                    }
                },
                large,
            )
            .map(|row| ChartClick::Behind(row, year))
        }
        ChartKind::Trend => {
            // Small multiples: one chart per line, each on its own scale, its unit in the
            // title (lines of different units and sizes never share an axis).
            let years = trend_years(counts, year);
            super::multiples::trend_grid(ui, &id, counts, &years, height, large)
                .map(|i| ChartClick::Year(years[i]))
        }
        ChartKind::Breakdown(dim) => {
            let b = breakdown?;
            match dim {
                Dimension::Month => {
                    let series: Vec<(String, Vec<u64>)> = b
                        .rows
                        .iter()
                        .map(|r| (r.label.clone(), r.values.clone()))
                        .collect();
                    lines_chart(ui, &id, height, &b.columns, &series, large);
                    None
                }
                Dimension::Desk | Dimension::Area => {
                    let rows: Vec<String> = b.rows.iter().map(|r| r.label.clone()).collect();
                    let series: Vec<(String, Vec<u64>)> = b
                        .columns
                        .iter()
                        .enumerate()
                        .map(|(c, name)| {
                            (name.clone(), b.rows.iter().map(|r| r.values[c]).collect())
                        })
                        .collect();
                    let row = grouped_hbars(
                        ui,
                        &id,
                        height,
                        &rows,
                        &series,
                        &|_, _, v| if v == 0 { String::new() } else { v.to_string() },
                        large,
                    )?;
                    let line = b.rows[row].line?;
                    counts
                        .lines
                        .iter()
                        .position(|l| l.id == line)
                        .map(|i| ChartClick::Behind(i, year))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_wrap_instead_of_being_cut() {
        let l = wrap_label(
            "Sportelli WeMi Ornato e Rizzoli — informazione, orientamento, pratiche",
            40,
        );
        assert_eq!(
            l,
            "Sportelli WeMi Ornato e Rizzoli —\ninformazione, orientamento, pratiche"
        );
        assert!(!l.contains('…'));
        assert_eq!(wrap_label("Tirocini lavorativi", 40), "Tirocini lavorativi");
        let long = "parola ".repeat(40);
        assert_eq!(wrap_label(&long, 20).lines().count(), 3);
    }
}
