//! The trend over the years as small multiples: one small chart per service line, each with
//! its own scale and its counting unit in the title ("Tirocini lavorativi — persone"), in a
//! grid. Lines counted in different units and of very different sizes (640 people at the
//! WeMi desks, 8 families of the Équipe Blu) are never drawn against one axis, and no legend
//! covers the data: the title is the legend.

use super::charts::PALETTE;
use crate::domain::ServiceLine;
use crate::stats::AnnualCounts;
use crate::tr;
use egui::{Align, Align2, Layout, RichText, vec2};
use egui_plot::{AxisHints, GridMark, Line, Plot, PlotPoint, PlotPoints, Points, Text};

/// The name of a line without its explanation: the part before " — " or " (" when what is
/// left still says something ("Sportelli WeMi Ornato e Rizzoli — informazione, …" →
/// "Sportelli WeMi Ornato e Rizzoli").
pub fn short_name(name: &str) -> &str {
    let cut = [" — ", " ("]
        .iter()
        .filter_map(|sep| name.find(sep))
        .min()
        .unwrap_or(name.len());
    let head = name[..cut].trim_end();
    if head.chars().count() >= 8 {
        head
    } else {
        name
    }
}

/// The title of a line's small chart: its short name and its counting unit, e.g.
/// "Tirocini lavorativi — persone" (also the chart's accessible name).
pub fn trend_title(line: &ServiceLine) -> String {
    format!("{} — {}", short_name(&line.name), line.unit.word())
}

/// How many small charts side by side in a width.
fn columns(width: f32, n: usize, large: bool) -> usize {
    let min_cell = if large { 420.0 } else { 300.0 };
    ((width / min_cell).floor() as usize)
        .clamp(1, 4)
        .min(n.max(1))
}

/// Draws one small chart per line for `years`, in a grid filling about `height` (never
/// smaller than readable: the caller scrolls). Returns the index of a clicked year.
pub fn trend_grid(
    ui: &mut egui::Ui,
    id: &str,
    counts: &AnnualCounts,
    years: &[i32],
    height: f32,
    large: bool,
) -> Option<usize> {
    let n = counts.lines.len();
    if n == 0 || years.is_empty() {
        return None;
    }
    let gap = if large { 24.0 } else { 16.0 };
    let width = ui.available_width();
    let cols = columns(width, n, large);
    let rows = n.div_ceil(cols);
    let cell_w = ((width - gap * (cols - 1) as f32) / cols as f32).floor();
    let title_size = if large { 24.0 } else { 14.0 };
    // Room for the longest title of a row as it wraps in a cell, so its plots line up.
    let painter = ui.painter().clone();
    let title_h = |lines: &[ServiceLine]| {
        lines
            .iter()
            .map(|l| {
                painter
                    .layout(
                        trend_title(l),
                        egui::FontId::proportional(title_size),
                        egui::Color32::PLACEHOLDER,
                        cell_w,
                    )
                    .size()
                    .y
            })
            .fold(title_size, f32::max)
            + 4.0
    };
    let row_title_h: Vec<f32> = counts.lines.chunks(cols).map(title_h).collect();
    let titles_h: f32 = row_title_h.iter().sum();
    // The running year is partial: drawn dashed and hollow, so it does not read as a fall.
    let this_year = chrono::Datelike::year(&crate::domain::time::today());
    let running = years.iter().position(|y| *y == this_year);
    let note_size = if large { 18.0 } else { 12.0 };
    let note_h = if running.is_some() {
        note_size * 1.4 + 6.0
    } else {
        0.0
    };
    let min_plot = if large { 130.0 } else { 110.0 };
    let rows_f = rows as f32;
    let plot_h =
        ((height - note_h - titles_h - rows_f * 4.0 - (rows_f - 1.0) * gap) / rows_f).max(min_plot);
    let mut clicked = None;
    for (r, chunk) in counts.lines.chunks(cols).enumerate() {
        if r > 0 {
            ui.add_space(gap);
        }
        let title_h = row_title_h[r];
        ui.horizontal_top(|ui| {
            ui.spacing_mut().item_spacing.x = gap;
            for (c, line) in chunk.iter().enumerate() {
                let i = r * cols + c;
                let values: Vec<u64> = years.iter().map(|y| counts.count(line, *y)).collect();
                ui.allocate_ui_with_layout(
                    vec2(cell_w, title_h + plot_h + 4.0),
                    Layout::top_down(Align::LEFT),
                    |ui| {
                        ui.set_width(cell_w);
                        let title = ui
                            .allocate_ui_with_layout(
                                vec2(cell_w, title_h),
                                Layout::top_down(Align::LEFT),
                                |ui| {
                                    ui.set_min_height(title_h);
                                    let label = egui::Label::new(
                                        RichText::new(trend_title(line)).strong().size(title_size),
                                    )
                                    .wrap();
                                    let resp = ui.add(label);
                                    if !large && short_name(&line.name) != line.name {
                                        resp.clone().on_hover_text(&line.name);
                                    }
                                    resp
                                },
                            )
                            .inner;
                        let hit = small_chart(
                            ui,
                            &format!("{id}-{i}"),
                            (cell_w, plot_h),
                            years,
                            running,
                            &values,
                            PALETTE[i % PALETTE.len()],
                            large,
                            (title.id, &trend_title(line)),
                        );
                        if hit.is_some() {
                            clicked = hit;
                        }
                    },
                );
            }
        });
    }
    if let Some(i) = running {
        ui.add_space(6.0);
        ui.label(
            RichText::new(tr!("dash-trend-running", year = years[i]))
                .weak()
                .size(note_size),
        );
    }
    clicked
}

/// A round whole step (1, 2, 2.5 or 5 × 10ⁿ, at least 1) no smaller than `raw`.
fn nice_step(raw: f64) -> f64 {
    let raw = raw.max(1.0);
    let pow = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * pow)
        .filter(|s| s.fract() == 0.0)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * pow)
}

/// One line's small chart: its values over the years, on its own scale from zero, each
/// point with its number. Returns the index of a clicked year.
#[allow(clippy::too_many_arguments)]
fn small_chart(
    ui: &mut egui::Ui,
    id: &str,
    (width, height): (f32, f32),
    years: &[i32],
    running: Option<usize>,
    values: &[u64],
    color: egui::Color32,
    large: bool,
    title: (egui::Id, &str),
) -> Option<usize> {
    let nx = years.len();
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    // Year labels thin out when they would touch (about 5 characters each).
    let char_w = if large { 11.0 } else { 7.5 };
    let every = ((nx as f32 * 5.5 * char_w) / (width - 60.0).max(60.0)).ceil() as usize;
    let every = every.max(1);
    let labels: Vec<String> = years.iter().map(|y| y.to_string()).collect();
    let font = if large { 18.0 } else { 12.0 };
    let text_color = if large {
        egui::Color32::from_gray(20)
    } else {
        ui.visuals().text_color()
    };
    let step = nice_step(max * 1.22 / 4.0);
    let top = max * 1.22;
    let tick_font = egui::FontId::proportional(if large { 18.0 } else { 12.0 });
    let x_axis = AxisHints::new_x()
        .label_spacing(18.0..=24.0)
        .tick_label_font(tick_font.clone())
        .formatter(move |mark, _| {
            let v = mark.value.round();
            if (mark.value - v).abs() > 1e-6 || v < 0.0 || v as usize >= nx {
                return String::new();
            }
            let i = v as usize;
            // The last year is always labelled; the others every `every`.
            if (nx - 1 - i).is_multiple_of(every) {
                labels[i].clone()
            } else {
                String::new()
            }
        });
    let y_axis = AxisHints::new_y()
        .label_spacing(12.0..=16.0)
        .tick_label_font(tick_font)
        .formatter(|mark, _| {
            if mark.value < 0.0 || mark.value.fract() != 0.0 {
                String::new()
            } else {
                format!("{}", mark.value as i64)
            }
        });
    let resp = Plot::new(id)
        .width(width)
        .height(height)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
        .include_y(0.0)
        // Headroom for the numbers above the points.
        .include_y(top)
        .include_x(-0.4)
        .include_x(nx as f64 - 0.6)
        .custom_x_axes(vec![x_axis])
        .custom_y_axes(vec![y_axis])
        .x_grid_spacer(move |_| {
            (0..nx)
                .map(|i| GridMark {
                    value: i as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        // The line's own scale: a few round ticks from zero (0, 200, 400, 600, 800).
        .y_grid_spacer(move |_| {
            (0..)
                .map(|k| k as f64 * step)
                .take_while(|v| *v <= top)
                .map(|value| GridMark {
                    value,
                    step_size: step,
                })
                .collect()
        })
        .show(ui, |plot| {
            let pts: Vec<[f64; 2]> = values
                .iter()
                .enumerate()
                .map(|(i, v)| [i as f64, *v as f64])
                .collect();
            let width = if large { 3.5 } else { 2.0 };
            let radius = if large { 5.0 } else { 3.0 };
            // Complete years solid; from the last complete one to the running year dashed.
            let cut = running.unwrap_or(pts.len()).min(pts.len());
            plot.line(
                Line::new("", PlotPoints::from(pts[..cut].to_vec()))
                    .color(color)
                    .width(width),
            );
            if cut < pts.len() {
                plot.line(
                    Line::new("", PlotPoints::from(pts[cut.saturating_sub(1)..].to_vec()))
                        .color(color)
                        .width(width)
                        .style(egui_plot::LineStyle::dashed_dense()),
                );
                plot.points(
                    Points::new("", PlotPoints::from(pts[cut..].to_vec()))
                        .color(color)
                        .filled(false)
                        .radius(radius),
                );
            }
            plot.points(
                Points::new("", PlotPoints::from(pts[..cut].to_vec()))
                    .color(color)
                    .radius(radius),
            );
            for (i, v) in values.iter().enumerate() {
                plot.text(
                    Text::new(
                        "",
                        PlotPoint::new(i as f64, *v as f64 + max * 0.05),
                        RichText::new(v.to_string()).size(font),
                    )
                    .anchor(Align2::CENTER_BOTTOM)
                    .id((id, "value", i))
                    .color(text_color),
                );
            }
            plot.response()
                .clicked()
                .then(|| plot.pointer_coordinate())
                .flatten()
        });
    // The chart is named by its title for screen readers (and the tests).
    let name = title.1.to_string();
    resp.response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Figure, true, &name));
    resp.response.labelled_by(title.0);
    let p = resp.inner?;
    let x = p.x.round();
    (x >= 0.0 && (x as usize) < nx).then_some(x as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_keep_what_says_something() {
        assert_eq!(
            short_name("Sportelli WeMi Ornato e Rizzoli — informazione, orientamento, pratiche"),
            "Sportelli WeMi Ornato e Rizzoli"
        );
        assert_eq!(
            short_name("Passeggiate culturali over 60 (via Ornato)"),
            "Passeggiate culturali over 60"
        );
        assert_eq!(short_name("Tirocini lavorativi"), "Tirocini lavorativi");
        assert_eq!(short_name("WeMi (x)"), "WeMi (x)");
        assert_eq!(nice_step(218.0), 250.0);
        assert_eq!(nice_step(2.2), 5.0);
        assert_eq!(nice_step(0.3), 1.0);
        assert_eq!(nice_step(7.0), 10.0);
    }
}
