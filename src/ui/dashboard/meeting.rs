//! Meeting mode: the charts one at a time, full screen, in large type, for a projector at
//! a team meeting. Only aggregates: no names or personal data, no records behind the
//! numbers. Arrows or PageUp/PageDown move between charts, Home/End between years, Esc leaves.

use super::charts::{self, ChartKind};
use crate::stats::AnnualCounts;
use crate::stats::breakdown::Breakdown;
use crate::tr;
use egui::{Color32, Key, RichText};

/// What the operator asked for in meeting mode.
pub enum MeetingAction {
    /// Keep showing.
    Stay,
    /// Show another year.
    Year(i32),
    /// Leave meeting mode.
    Leave,
}

/// Meeting mode's state.
pub struct Meeting {
    /// The chart shown (index into [`ChartKind::ALL`]).
    pub index: usize,
}

impl Meeting {
    /// Starts on a chart.
    pub fn new(index: usize) -> Self {
        Meeting {
            index: index.min(ChartKind::ALL.len() - 1),
        }
    }

    fn step(&mut self, forward: bool) {
        let n = ChartKind::ALL.len();
        self.index = if forward {
            (self.index + 1) % n
        } else {
            (self.index + n - 1) % n
        };
    }

    /// Draws meeting mode over the whole window.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        counts: &AnnualCounts,
        year: i32,
        breakdown: Option<&Breakdown>,
    ) -> MeetingAction {
        let mut action = MeetingAction::Stay;
        let (next, prev, leave, year_up, year_down) = ui.input(|i| {
            (
                i.key_pressed(Key::ArrowRight) || i.key_pressed(Key::PageDown),
                i.key_pressed(Key::ArrowLeft) || i.key_pressed(Key::PageUp),
                i.key_pressed(Key::Escape),
                i.key_pressed(Key::ArrowUp) || i.key_pressed(Key::End),
                i.key_pressed(Key::ArrowDown) || i.key_pressed(Key::Home),
            )
        });
        if next {
            self.step(true);
        }
        if prev {
            self.step(false);
        }
        if leave {
            action = MeetingAction::Leave;
        }
        let (first, last) = (
            counts.years.first().copied().unwrap_or(year),
            counts.years.last().copied().unwrap_or(year),
        );
        if year_up && year < last {
            action = MeetingAction::Year(year + 1);
        }
        if year_down && year > first {
            action = MeetingAction::Year(year - 1);
        }
        let kind = ChartKind::ALL[self.index];
        let screen = ui.ctx().content_rect();
        egui::Area::new(egui::Id::unique("dash-meeting"))
            .order(egui::Order::Foreground)
            .fixed_pos(screen.min)
            .show(ui.ctx(), |ui| {
                ui.set_min_size(screen.size());
                ui.set_max_size(screen.size());
                ui.painter().rect_filled(screen, 0.0, Color32::WHITE);
                let style = ui.style_mut();
                for (ts, font) in style.text_styles.iter_mut() {
                    font.size = match ts {
                        egui::TextStyle::Heading => 40.0,
                        egui::TextStyle::Small => 18.0,
                        _ => 24.0,
                    };
                }
                style.spacing.button_padding = egui::vec2(14.0, 8.0);
                egui::Frame::new().inner_margin(28.0).show(ui, |ui| {
                    // The margins are inside the screen: the charts get what is left.
                    ui.set_max_width(screen.width() - 56.0);
                    ui.horizontal(|ui| {
                        ui.heading(kind.title(year));
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            if ui.button(tr!("dash-meeting-leave")).clicked() {
                                action = MeetingAction::Leave;
                            }
                            if ui
                                .button("›")
                                .on_hover_text(tr!("dash-meeting-next"))
                                .clicked()
                            {
                                self.step(true);
                            }
                            if ui
                                .button("‹")
                                .on_hover_text(tr!("dash-meeting-prev"))
                                .clicked()
                            {
                                self.step(false);
                            }
                            ui.label(
                                RichText::new(format!(
                                    "{} / {}",
                                    self.index + 1,
                                    ChartKind::ALL.len()
                                ))
                                .weak(),
                            );
                        });
                    });
                    ui.add_space(12.0);
                    let h = (screen.height() - 170.0).max(240.0);
                    if matches!(kind, ChartKind::Breakdown(_)) && breakdown.is_none() {
                        ui.horizontal(|ui| {
                            ui.spinner();
                            ui.label(tr!("dash-computing"));
                        });
                    } else if let Some(charts::ChartClick::Year(y)) =
                        charts::show(ui, kind, counts, year, breakdown, h, true)
                    {
                        action = MeetingAction::Year(y);
                    }
                    ui.add_space(8.0);
                    ui.label(RichText::new(tr!("dash-meeting-keys")).small().weak());
                });
            });
        action
    }
}
