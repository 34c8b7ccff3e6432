//! Tables (a header row repeated on every page the table runs onto, cells wrapped within
//! their column, a thin rule under each row) and signature lines.

use super::{BOTTOM, Document, MARGIN, PAGE_W, Style, fonts, wrap};

/// How a column's text is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Against the left edge (text).
    Left,
    /// Against the right edge (numbers).
    Right,
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    /// The heading printed in the header row.
    pub heading: &'a str,
    /// Its share of the page width (the shares are summed, so any unit will do).
    pub share: f32,
    /// How its cells are placed.
    pub align: Align,
}

/// How a row looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStyle {
    /// Ordinary.
    Normal,
    /// Grey (a day with nothing recorded).
    Muted,
    /// Bold (totals).
    Total,
}

const SIZE: f32 = 9.0;
const LEAD: f32 = SIZE * 1.25;
const PAD: f32 = 3.0;

impl Document {
    /// A table of `rows` (one string per column each) under a bold header row; a row is
    /// never split across pages, and the header is printed again on every new page.
    pub fn table(&mut self, cols: &[Column], rows: &[(RowStyle, Vec<String>)]) {
        let total: f32 = cols.iter().map(|c| c.share).sum::<f32>().max(f32::EPSILON);
        let full = PAGE_W - 2.0 * MARGIN;
        let mut x = MARGIN;
        let spans: Vec<(f32, f32)> = cols
            .iter()
            .map(|c| {
                let w = full * c.share / total;
                x += w;
                (x - w, w)
            })
            .collect();
        let heading: Vec<String> = cols.iter().map(|c| c.heading.to_string()).collect();
        if self.y - 3.0 * LEAD < BOTTOM {
            self.new_page();
        }
        self.table_row(cols, &spans, RowStyle::Total, &heading, 0.25);
        for (style, cells) in rows {
            if self.y - self.row_height(&spans, *style, cells) < BOTTOM {
                self.new_page();
                self.table_row(cols, &spans, RowStyle::Total, &heading, 0.25);
            }
            let gray = if *style == RowStyle::Muted { 0.45 } else { 0.0 };
            self.table_row(cols, &spans, *style, cells, gray);
        }
    }

    fn cell_lines(spans: &[(f32, f32)], style: RowStyle, cells: &[String]) -> Vec<Vec<String>> {
        let f = &fonts()[(style == RowStyle::Total) as usize];
        cells
            .iter()
            .zip(spans)
            .map(|(t, (_, w))| wrap(f, t, SIZE, w - 2.0 * PAD))
            .collect()
    }

    fn row_height(&self, spans: &[(f32, f32)], style: RowStyle, cells: &[String]) -> f32 {
        let n = Self::cell_lines(spans, style, cells)
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(1);
        n as f32 * LEAD + PAD
    }

    fn table_row(
        &mut self,
        cols: &[Column],
        spans: &[(f32, f32)],
        style: RowStyle,
        cells: &[String],
        gray: f32,
    ) {
        let bold = style == RowStyle::Total;
        let lines = Self::cell_lines(spans, style, cells);
        let n = lines.iter().map(Vec::len).max().unwrap_or(1);
        for ((cell, (x, w)), col) in lines.iter().zip(spans).zip(cols) {
            for (j, line) in cell.iter().enumerate() {
                let y = self.y - (j + 1) as f32 * LEAD + 2.0;
                let left = match col.align {
                    Align::Left => x + PAD,
                    Align::Right => x + w - PAD - fonts()[bold as usize].width(line, SIZE),
                };
                self.place(left, y, bold, SIZE, gray, line.clone());
            }
        }
        self.y -= n as f32 * LEAD + PAD;
        self.rule(MARGIN, PAGE_W - MARGIN);
    }

    /// Signature lines, two side by side, each with its caption under it ("Il tutor",
    /// "Il tirocinante"); kept together on one page.
    pub fn signatures(&mut self, captions: &[&str]) {
        let rows = captions.len().div_ceil(2);
        let need = rows as f32 * 58.0 + 10.0;
        if self.y - need < BOTTOM {
            self.new_page();
        }
        let gap = 40.0;
        let w = (PAGE_W - 2.0 * MARGIN - gap) / 2.0;
        for pair in captions.chunks(2) {
            self.y -= 42.0;
            for (i, caption) in pair.iter().enumerate() {
                let x = MARGIN + i as f32 * (w + gap);
                self.rule(x, x + w);
                let size = Style::Small.size();
                self.place(x, self.y - 12.0, false, size, 0.25, caption.to_string());
            }
            self.y -= 16.0;
        }
    }
}
