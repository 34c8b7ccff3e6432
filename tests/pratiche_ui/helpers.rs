//! Steps shared by the window tests of pratiche and documents: pick in a combo box, the
//! B2 2025 figures, the list by state, a pratica moved to a state.

use super::support::*;
use accoglienza::domain::*;
use accoglienza::stats::pratiche as figures;
use accoglienza::ui::{OpenForm, Route};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;

/// The harness over the real App.
pub type H = egui_kittest::Harness<'static, accoglienza::ui::AccoglienzaApp>;

/// The Misura B2 bando of 2025 as the pratica dialog names it.
pub const B2: &str = "Misura B2 2025 — Regione Lombardia — Ambito di Milano";

/// Opens the combo box named `combo` and picks `option` in its list.
pub fn choose(h: &mut H, combo: &str, option: &str) {
    h.get_by_role_and_label(Role::ComboBox, combo).click();
    h.run();
    h.get_by(|n| {
        n.label().as_deref() == Some(option) && !matches!(n.role(), Role::Label | Role::ComboBox)
    })
    .click();
    h.run();
}

/// The B2 2025 row of the dashboard's figures for 2025, as the store has them.
pub fn b2_2025(db: &Db) -> figures::BandoFigures {
    let r = db.store.read().unwrap();
    figures::figures_by_bando(&r, Some(2025))
        .unwrap()
        .into_iter()
        .find(|x| x.bando.code == "b2-2025")
        .map(|x| x.figures)
        .unwrap_or_default()
}

/// How many pratiche the list shows with the state filter on `state`.
pub fn listed_in_state(h: &mut H, state: &str) -> usize {
    h.state_mut().goto(Route::Pratiche);
    h.run();
    while h.state().busy() {
        h.step();
    }
    h.run();
    choose(h, "Stato", state);
    h.state().shown().unwrap().0
}

/// Opens pratica `id` and chooses its next state `state` on day `on`.
pub fn move_to(h: &mut H, id: Id, state: &str, on: &str) {
    h.state_mut().env_mut().open = Some(OpenForm::Edit(EntityKind::Pratica, id));
    h.run();
    choose(h, "Passa a", state);
    set_field(h, "Data del passaggio", on);
}
