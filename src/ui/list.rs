//! What every list screen shares around its table: the filters with the visible order
//! rebuilt only when the rows, the filters or the sort change, the title with its "new"
//! button, the search box, the labelled filters and the count line.

use super::table::{Col, ListState, Sort};
use super::widgets;
use crate::tr;
use egui::Ui;

/// A list screen's filters and visible rows. The order is rebuilt only when what it was
/// built for changes: the rows (a stamp the screen computes from the revisions they
/// depend on), the filters or the sort — never on a frame where nothing changed.
#[derive(Debug, Default)]
pub struct List<F> {
    /// The filters, as the filter bar edits them.
    pub filters: F,
    /// The visible order, the selection and the sort.
    pub state: ListState,
    built_for: Option<(u64, F, Sort)>,
}

impl<F: Clone + PartialEq + Default> List<F> {
    /// An empty list with no filter set, sorted on a column.
    pub fn sorted(sort: Sort) -> Self {
        List {
            filters: F::default(),
            state: ListState::sorted(sort),
            built_for: None,
        }
    }

    /// The filters and the sort to rebuild the order with, when it was not built for `rows`
    /// (the stamp of the rows), the current filters and the current sort; `None` when it
    /// is up to date. Compares without copying anything.
    pub fn stale(&self, rows: u64) -> Option<(&F, Sort)> {
        let sort = self.state.sort;
        match &self.built_for {
            Some((r, f, s)) if *r == rows && *s == sort && *f == self.filters => None,
            _ => Some((&self.filters, sort)),
        }
    }

    /// Shows `order` (positions of rows, e.g. from [`super::table::filter_sorted`]),
    /// built for the stamp `rows` and the current filters and sort.
    pub fn set_order(&mut self, rows: u64, order: Vec<u32>) {
        self.state.set_order(order);
        self.state.filtered = self.filters != F::default();
        self.built_for = Some((rows, self.filters.clone(), self.state.sort));
    }

    /// The table with its keyboard (see [`ListState::ui`]); the data row to open.
    pub fn table(
        &mut self,
        ui: &mut Ui,
        keys: bool,
        id: &str,
        cols: &[Col],
        cell: impl FnMut(&mut Ui, u32, usize),
    ) -> Option<u32> {
        self.state.ui(ui, keys, id, cols, cell)
    }

    /// How many rows are shown.
    pub fn len(&self) -> usize {
        self.state.order.len()
    }
}

/// The title of a list screen with its "new" button (the hint `hint` on hover, when
/// given); `more` draws on the same line after the button. Title, button and hint are
/// translation keys. True when the button was clicked.
pub fn header(
    ui: &mut Ui,
    title: &str,
    new: &str,
    hint: Option<&str>,
    more: impl FnOnce(&mut Ui),
) -> bool {
    ui.horizontal(|ui| {
        ui.heading(tr!(title));
        ui.add_space(12.0);
        let mut button = ui.button(tr!(new));
        if let Some(h) = hint {
            button = button.on_hover_text(tr!(h));
        }
        more(ui);
        button.clicked()
    })
    .inner
}

/// The search box of a list's filter bar (`hint`: a translation key). True while it has
/// (or just gave up) the keyboard, so the arrows and Enter still move in the list (see
/// `Env::list_keys`).
pub fn search(ui: &mut Ui, salt: &str, value: &mut String, hint: &str, focus: &mut bool) -> bool {
    let r = widgets::search_box(ui, salt, value, &tr!(hint), focus);
    r.has_focus() || r.lost_focus()
}

/// A filter of a list: its label (a translation key), then a combo box tied to it with
/// "Tutti" (no filter) followed by `options`.
pub fn filter<T: PartialEq + Clone>(
    ui: &mut Ui,
    label: &str,
    salt: &str,
    value: &mut Option<T>,
    options: impl IntoIterator<Item = (T, String)>,
    width: f32,
) {
    let l = ui.label(tr!(label));
    widgets::choice(ui, salt, l.id, value, &widgets::with_all(options), width);
}

/// The line under the filters: how many rows are shown of how many.
pub fn count(ui: &mut Ui, shown: usize, total: usize) {
    ui.weak(tr!(
        "list-count",
        shown = shown as i64,
        total = total as i64
    ));
}
