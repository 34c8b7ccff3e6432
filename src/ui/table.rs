//! The virtualized list every screen uses: sortable headers, only the visible rows laid
//! out (TableBuilder `rows`), click selects, double-click or Enter opens, ↑/↓ move.

use crate::tr;
use egui::{Key, Modifiers, RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder};

/// The sort column and direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// Column index.
    pub col: usize,
    /// Ascending.
    pub asc: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort { col: 0, asc: true }
    }
}

/// A column: its translated title and its width.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    /// Translation key of the title.
    pub key: &'static str,
    /// Initial width.
    pub width: f32,
    /// Can be sorted on.
    pub sortable: bool,
}

/// A cell of a list: dimmed and struck through when the record is archived.
pub fn cell(ui: &mut Ui, text: String, archived: bool) {
    if archived {
        ui.label(RichText::new(text).weak().strikethrough());
    } else {
        ui.label(text);
    }
}

/// A sortable column.
pub const fn col(key: &'static str, width: f32) -> Col {
    Col {
        key,
        width,
        sortable: true,
    }
}

/// What happened in the table this frame.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TableOut {
    /// The sort changed: re-sort the rows.
    pub sort_changed: bool,
    /// The row (position in the visible order) to open.
    pub open: Option<usize>,
}

/// A list's state: the visible order of rows, the selection and the sort.
#[derive(Debug, Default, Clone)]
pub struct ListState {
    /// Positions of the rows shown, in display order.
    pub order: Vec<u32>,
    /// Selected position in `order`.
    pub selected: Option<usize>,
    /// Sort.
    pub sort: Sort,
    /// A filter hides rows: an empty list says nothing matches, not that there is nothing.
    pub filtered: bool,
    scroll_to: Option<usize>,
}

impl ListState {
    /// Replaces the visible rows, keeping the selection on the same row when it is still shown.
    pub fn set_order(&mut self, order: Vec<u32>) {
        let keep = self.selected.and_then(|s| self.order.get(s).copied());
        self.order = order;
        self.selected = keep.and_then(|k| self.order.iter().position(|&o| o == k));
    }

    /// An empty list sorted on a column.
    pub fn sorted(sort: Sort) -> Self {
        ListState {
            sort,
            ..Default::default()
        }
    }

    /// A list always filtered (by year, …): empty means nothing matches.
    pub fn filtered(mut self) -> Self {
        self.filtered = true;
        self
    }

    /// Moves the selection with the keyboard (↑ ↓ PgUp PgDn Home End); Enter opens.
    /// Call when the list (or its search box) has the keyboard.
    pub fn keys(&mut self, ui: &Ui) -> Option<usize> {
        let n = self.order.len();
        if n == 0 {
            return None;
        }
        let mut open = None;
        ui.input_mut(|i| {
            let cur = self.selected;
            let mut next = cur;
            if i.consume_key(Modifiers::NONE, Key::ArrowDown) {
                next = Some(cur.map_or(0, |c| (c + 1).min(n - 1)));
            }
            if i.consume_key(Modifiers::NONE, Key::ArrowUp) {
                next = Some(cur.map_or(0, |c| c.saturating_sub(1)));
            }
            if i.consume_key(Modifiers::NONE, Key::PageDown) {
                next = Some(cur.map_or(0, |c| (c + 20).min(n - 1)));
            }
            if i.consume_key(Modifiers::NONE, Key::PageUp) {
                next = Some(cur.map_or(0, |c| c.saturating_sub(20)));
            }
            if i.consume_key(Modifiers::CTRL, Key::Home) {
                next = Some(0);
            }
            if i.consume_key(Modifiers::CTRL, Key::End) {
                next = Some(n - 1);
            }
            if next != cur {
                self.selected = next;
                self.scroll_to = next;
            }
            if i.consume_key(Modifiers::NONE, Key::Enter) {
                open = Some(self.selected.unwrap_or(0));
            }
        });
        open
    }

    /// The keyboard (only when `keys`: the list or its search box has it, see
    /// `Env::list_keys`), then the table. Returns the data row to open (Enter, or a
    /// double-click).
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        keys: bool,
        id: &str,
        cols: &[Col],
        cell: impl FnMut(&mut Ui, u32, usize),
    ) -> Option<u32> {
        let open = if keys { self.keys(ui) } else { None };
        let out = self.show(ui, id, cols, cell);
        out.open.or(open).and_then(|i| self.order.get(i).copied())
    }

    /// Shows the table. `cell(ui, row, col)` draws one cell of the data row `row`.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        id: &str,
        cols: &[Col],
        mut cell: impl FnMut(&mut Ui, u32, usize),
    ) -> TableOut {
        let mut out = TableOut::default();
        if self.order.is_empty() {
            ui.add_space(12.0);
            ui.weak(tr!(if self.filtered {
                "list-empty"
            } else {
                "list-none"
            }));
            return out;
        }
        let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        // Cell text is not selectable, so a click or double-click reaches the row.
        let selectable = ui.style().interaction.selectable_labels;
        ui.style_mut().interaction.selectable_labels = false;
        // Columns start at their widths, scaled down when the window is narrower.
        let total: f32 = cols.iter().map(|c| c.width + 8.0).sum();
        let scale = (ui.available_width() / total).min(1.0);
        let mut tb = TableBuilder::new(ui)
            .id_salt(id)
            .striped(true)
            .resizable(true)
            .sense(Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .auto_shrink([false, false]);
        if let Some(r) = self.scroll_to.take() {
            tb = tb.scroll_to_row(r, None);
        }
        for (i, c) in cols.iter().enumerate() {
            let column = if i + 1 == cols.len() {
                Column::remainder()
                    .at_least((c.width * scale).min(60.0))
                    .clip(true)
            } else {
                Column::initial(c.width * scale).at_least(40.0).clip(true)
            };
            tb = tb.column(column);
        }
        let sort = &mut self.sort;
        let order = &self.order;
        let selected = &mut self.selected;
        tb.header(row_h + 2.0, |mut h| {
            for (i, c) in cols.iter().enumerate() {
                h.col(|ui| {
                    let mut title = tr!(c.key);
                    if c.sortable && sort.col == i {
                        title.push_str(if sort.asc { " ⬆" } else { " ⬇" });
                    }
                    if c.sortable {
                        let r = ui
                            .add(egui::Button::new(RichText::new(title).strong()).frame(false))
                            .on_hover_text(tr!("list-sort-hint"));
                        if r.clicked() {
                            if sort.col == i {
                                sort.asc = !sort.asc;
                            } else {
                                *sort = Sort { col: i, asc: true };
                            }
                            out.sort_changed = true;
                        }
                    } else {
                        ui.strong(title);
                    }
                });
            }
        })
        .body(|body| {
            body.rows(row_h, order.len(), |mut row| {
                let i = row.index();
                let data_row = order[i];
                row.set_selected(*selected == Some(i));
                for c in 0..cols.len() {
                    row.col(|ui| cell(ui, data_row, c));
                }
                let r = row.response();
                if r.clicked() {
                    *selected = Some(i);
                }
                if r.double_clicked() {
                    *selected = Some(i);
                    out.open = Some(i);
                }
            });
        });
        ui.style_mut().interaction.selectable_labels = selectable;
        out
    }
}

/// Sorts positions with a key comparison, honouring the direction.
pub fn sort_by<T>(
    order: &mut [u32],
    rows: &[T],
    asc: bool,
    cmp: impl Fn(&T, &T) -> std::cmp::Ordering,
) {
    order.sort_by(|a, b| {
        let o = cmp(&rows[*a as usize], &rows[*b as usize]);
        if asc { o } else { o.reverse() }
    });
}

/// Inserts position `i` into `order` (sorted by [`sort_by`] with the same `asc` and
/// `cmp`) where a stable sort would have put it: among equal rows, by position.
pub fn insert_sorted<T>(
    order: &mut Vec<u32>,
    rows: &[T],
    asc: bool,
    cmp: impl Fn(&T, &T) -> std::cmp::Ordering,
    i: u32,
) {
    let at = order.partition_point(|&x| {
        let o = cmp(&rows[x as usize], &rows[i as usize]);
        let o = if asc { o } else { o.reverse() };
        o.then(x.cmp(&i)) == std::cmp::Ordering::Less
    });
    order.insert(at, i);
}

/// The positions of the rows `keep` accepts, in their order, then sorted with `cmp`
/// (stable, honouring the direction).
pub fn filter_sorted<T>(
    rows: &[T],
    asc: bool,
    mut keep: impl FnMut(&T) -> bool,
    cmp: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Vec<u32> {
    let mut order: Vec<u32> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| keep(r))
        .map(|(i, _)| i as u32)
        .collect();
    sort_by(&mut order, rows, asc, cmp);
    order
}
