//! The dialog of one catalogue entry: code and name (and, for a service line, its order
//! and counting unit; for a bando, its measure, body, year, dates, requirements and
//! documents), archive.

use crate::domain::*;
use crate::store::Entity;
use crate::tr;
use crate::ui::forms::{ArchiveButton, FormEvent, FormShell, Recheck, save_record};
use crate::ui::widgets::{self, text_row};
use crate::ui::{Env, labels};
use egui::Ui;

/// One catalogue entry being edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Entry {
    Line(ServiceLine),
    Area(Area),
    Desk(Desk),
    Measure(Measure),
    Service(TerritorialService),
    Role(Role),
    Purpose(Purpose),
    DocumentKind(DocumentKind),
    Bando(Bando),
}

impl Entry {
    fn code_name(&mut self) -> (&mut String, &mut String) {
        match self {
            Entry::Line(x) => (&mut x.code, &mut x.name),
            Entry::Area(x) => (&mut x.code, &mut x.name),
            Entry::Desk(x) => (&mut x.code, &mut x.name),
            Entry::Measure(x) => (&mut x.code, &mut x.name),
            Entry::Service(x) => (&mut x.code, &mut x.name),
            Entry::Role(x) => (&mut x.code, &mut x.name),
            Entry::Purpose(x) => (&mut x.code, &mut x.name),
            Entry::DocumentKind(x) => (&mut x.code, &mut x.name),
            Entry::Bando(x) => (&mut x.code, &mut x.name),
        }
    }

    fn id_archived(&self) -> (Id, bool) {
        match self {
            Entry::Line(x) => (x.id, x.archived),
            Entry::Area(x) => (x.id, x.archived),
            Entry::Desk(x) => (x.id, x.archived),
            Entry::Measure(x) => (x.id, x.archived),
            Entry::Service(x) => (x.id, x.archived),
            Entry::Role(x) => (x.id, x.archived),
            Entry::Purpose(x) => (x.id, x.archived),
            Entry::DocumentKind(x) => (x.id, x.archived),
            Entry::Bando(x) => (x.id, x.archived),
        }
    }
}

/// The dialog of a catalogue entry.
pub(super) struct EntryForm {
    entry: Entry,
    initial: Entry,
    is_new: bool,
    order: String,
    /// A bando's year, opening and closing as typed.
    dates: [String; 3],
    problems: Problems,
    recheck: Recheck<(Entry, String, [String; 3])>,
    shell: FormShell,
    archive: ArchiveButton,
}

impl EntryForm {
    pub(super) fn new(entry: Entry, is_new: bool) -> Self {
        let order = match &entry {
            Entry::Line(l) => l.order.to_string(),
            _ => String::new(),
        };
        let fmt =
            |d: Option<chrono::NaiveDate>| d.map(crate::domain::time::fmt_date).unwrap_or_default();
        let dates = match &entry {
            Entry::Bando(b) => [b.year.to_string(), fmt(b.opens), fmt(b.closes)],
            _ => Default::default(),
        };
        EntryForm {
            initial: entry.clone(),
            entry,
            is_new,
            order,
            dates,
            problems: Problems::default(),
            recheck: Recheck::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
        }
    }

    /// The entry as it would be saved, and every problem the form can see: the order
    /// typed, the fields, and a code another entry of the kind already has (the store
    /// refuses that too).
    fn build(&self, env: &Env) -> (Entry, Problems) {
        let mut p = Problems::default();
        let mut e = self.entry.clone();
        if let Entry::Line(l) = &mut e {
            l.order = widgets::number(&mut p, "order", &self.order);
        }
        if let Entry::Bando(b) = &mut e {
            b.year = widgets::number(&mut p, "year", &self.dates[0]);
            b.opens = widgets::opt_date(&mut p, "opens", &self.dates[1]);
            b.closes = widgets::opt_date(&mut p, "closes", &self.dates[2]);
        }
        {
            let (c, n) = e.code_name();
            *c = c.trim().to_string();
            *n = n.trim().to_string();
        }
        let cat = &env.data.catalog;
        let today = crate::domain::time::today();
        match &e {
            Entry::Line(x) => p.merge(checked(x, &cat.lines, today)),
            Entry::Area(x) => p.merge(checked(x, &cat.areas, today)),
            Entry::Desk(x) => p.merge(checked(x, &cat.desks, today)),
            Entry::Measure(x) => p.merge(checked(x, &cat.measures, today)),
            Entry::Service(x) => p.merge(checked(x, &cat.services, today)),
            Entry::Role(x) => p.merge(checked(x, &cat.roles, today)),
            Entry::Purpose(x) => p.merge(checked(x, &cat.purposes, today)),
            Entry::DocumentKind(x) => p.merge(checked(x, &cat.document_kinds, today)),
            Entry::Bando(x) => p.merge(checked(x, &cat.bandi, today)),
        }
        (e, p)
    }

    fn save(&mut self, env: &mut Env) -> bool {
        let (e, found) = self.build(env);
        if !found.is_empty() {
            self.problems = found;
            return false;
        }
        let is_new = self.is_new;
        let problems = &mut self.problems;
        match e {
            Entry::Line(x) => save_record(env, x, is_new, "catalog-saved", problems),
            Entry::Area(x) => save_record(env, x, is_new, "catalog-saved", problems),
            Entry::Desk(x) => save_record(env, x, is_new, "catalog-saved", problems),
            Entry::Measure(x) => save_record(env, x, is_new, "catalog-saved", problems),
            Entry::Service(x) => save_record(env, x, is_new, "catalog-saved", problems),
            Entry::Role(x) => save_record(env, x, is_new, "catalog-saved", problems),
            Entry::Purpose(x) => save_record(env, x, is_new, "catalog-saved", problems),
            Entry::DocumentKind(x) => save_record(env, x, is_new, "catalog-saved", problems),
            Entry::Bando(x) => save_record(env, x, is_new, "bando-saved", problems),
        }
    }

    pub(super) fn ui(&mut self, ui: &mut Ui, env: &mut Env) -> bool {
        let title = if self.is_new {
            tr!("catalog-new-title")
        } else {
            tr!("catalog-edit-title")
        };
        let typed = (self.entry.clone(), self.order.clone(), self.dates.clone());
        if self.recheck.due(&typed, &self.problems) {
            let fresh = self.build(env).1;
            self.recheck.apply(&typed, &mut self.problems, fresh);
        }
        let dirty =
            self.entry != self.initial || self.is_new && self.dates.iter().any(|d| !d.is_empty());
        self.shell.suspend_keys = self.archive.busy();
        let mut archived = false;
        let ctx = ui.ctx().clone();
        let (event, ()) = self
            .shell
            .show(&ctx, "catalog-entry", &title, dirty, 600.0, |ui| {
                let p = &self.problems;
                egui::Grid::new("entry-grid")
                    .num_columns(2)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        {
                            let (code, name) = self.entry.code_name();
                            widgets::text_row_hint(
                                ui,
                                &tr!("catalog-code"),
                                code,
                                "es. wemi",
                                p.for_field("code"),
                            );
                            text_row(ui, &tr!("catalog-name"), name, p.for_field("name"));
                        }
                        match &mut self.entry {
                            Entry::Line(l) => {
                                let areas: Vec<(Id, String)> = env
                                    .data
                                    .catalog
                                    .areas
                                    .iter()
                                    .filter(|a| !a.archived || a.id == l.area)
                                    .map(|a| (a.id, a.name.clone()))
                                    .collect();
                                widgets::choice_row(
                                    ui,
                                    &tr!("catalog-area"),
                                    &mut l.area,
                                    &areas,
                                    p.for_field("area"),
                                );
                                let units: Vec<(CountingUnit, String)> = CountingUnit::ALL
                                    .into_iter()
                                    .map(|u| (u, labels::unit(u)))
                                    .collect();
                                widgets::choice_row(
                                    ui,
                                    &tr!("catalog-unit"),
                                    &mut l.unit,
                                    &units,
                                    None,
                                );
                                text_row(
                                    ui,
                                    &tr!("catalog-report-noun"),
                                    &mut l.report_noun,
                                    p.for_field("report_noun"),
                                );
                                widgets::multiline_row(
                                    ui,
                                    &tr!("catalog-report-phrase"),
                                    &mut l.report_phrase,
                                    p.for_field("report_phrase"),
                                );
                                text_row(
                                    ui,
                                    &tr!("catalog-order"),
                                    &mut self.order,
                                    p.for_field("order"),
                                );
                            }
                            Entry::Desk(d) => {
                                text_row(ui, &tr!("catalog-address"), &mut d.address, None);
                            }
                            Entry::Service(s) => {
                                text_row(ui, &tr!("catalog-category"), &mut s.category, None);
                                text_row(ui, &tr!("catalog-contact"), &mut s.contact, None);
                            }
                            Entry::Bando(b) => bando_fields(ui, env, b, &mut self.dates, p),
                            _ => {}
                        }
                    });
                if matches!(self.entry, Entry::Line(_)) && !self.is_new {
                    ui.weak(tr!("catalog-unit-warning"));
                }
                widgets::other_problems(
                    ui,
                    &self.problems,
                    &[
                        "code",
                        "name",
                        "area",
                        "report_noun",
                        "report_phrase",
                        "order",
                        "measure",
                        "body",
                        "year",
                        "edition",
                        "opens",
                        "closes",
                        "requirements",
                        "documents",
                    ],
                );
                if !self.is_new {
                    ui.add_space(6.0);
                    let (id, arch) = self.entry.id_archived();
                    archived = match &self.entry {
                        Entry::Line(_) => self.archive.ui::<ServiceLine>(ui, env, id, arch),
                        Entry::Area(_) => self.archive.ui::<Area>(ui, env, id, arch),
                        Entry::Desk(_) => self.archive.ui::<Desk>(ui, env, id, arch),
                        Entry::Measure(_) => self.archive.ui::<Measure>(ui, env, id, arch),
                        Entry::Service(_) => {
                            self.archive.ui::<TerritorialService>(ui, env, id, arch)
                        }
                        Entry::Role(_) => self.archive.ui::<Role>(ui, env, id, arch),
                        Entry::Purpose(_) => self.archive.ui::<Purpose>(ui, env, id, arch),
                        Entry::DocumentKind(_) => {
                            self.archive.ui::<DocumentKind>(ui, env, id, arch)
                        }
                        Entry::Bando(_) => self.archive.ui::<Bando>(ui, env, id, arch),
                    };
                }
            });
        if archived {
            return true;
        }
        match event {
            FormEvent::Save => self.save(env),
            FormEvent::Close => true,
            FormEvent::None => false,
        }
    }
}

/// A bando's own fields: measure, body, year, edition, dates, requirements, and which
/// kinds of document it asks for (each may expire).
fn bando_fields(ui: &mut Ui, env: &Env, b: &mut Bando, dates: &mut [String; 3], p: &Problems) {
    let cat = &env.data.catalog;
    let measures = widgets::measure_options(&env.data, Some(b.measure));
    widgets::choice_row(
        ui,
        &tr!("bando-measure"),
        &mut b.measure,
        &measures,
        p.for_field("measure"),
    );
    text_row(ui, &tr!("bando-body"), &mut b.body, p.for_field("body"));
    text_row(ui, &tr!("bando-year"), &mut dates[0], p.for_field("year"));
    text_row(
        ui,
        &tr!("bando-edition"),
        &mut b.edition,
        p.for_field("edition"),
    );
    let [_, opens, closes] = dates;
    widgets::date_row(
        ui,
        &tr!("bando-opens"),
        "bando-opens",
        opens,
        p.for_field("opens"),
    );
    widgets::date_row(
        ui,
        &tr!("bando-closes"),
        "bando-closes",
        closes,
        p.for_field("closes"),
    );
    widgets::multiline_row(
        ui,
        &tr!("bando-requirements"),
        &mut b.requirements,
        p.for_field("requirements"),
    );
    ui.label(tr!("bando-documents"));
    ui.vertical(|ui| {
        for k in cat.document_kinds.iter().filter(|k| !k.archived) {
            let pos = b.documents.iter().position(|d| d.kind == k.id);
            ui.horizontal(|ui| {
                let mut on = pos.is_some();
                let text = tr!("bando-document-required", document = k.name.clone());
                if ui.checkbox(&mut on, text).changed() {
                    match pos {
                        Some(i) if !on => {
                            b.documents.remove(i);
                        }
                        None if on => b.documents.push(RequiredDocument {
                            kind: k.id,
                            expires: false,
                        }),
                        _ => {}
                    }
                }
                if let Some(d) = b.documents.iter_mut().find(|d| d.kind == k.id) {
                    ui.checkbox(&mut d.expires, tr!("bando-document-expires"))
                        .on_hover_text(k.name.clone());
                }
            });
        }
        widgets::problem(ui, p.for_field("documents"));
    });
    ui.end_row();
}

/// An entry's own problems, and its code when another entry of the kind (in `all`) has it.
fn checked<E: Entity>(entry: &E, all: &[E], today: chrono::NaiveDate) -> Problems {
    let mut p = entry.validate(today);
    if let Some((code, _)) = entry.catalogue_entry()
        && let Some(other) = all
            .iter()
            .find(|o| o.id() != entry.id() && o.catalogue_entry().is_some_and(|(c, _)| c == code))
    {
        let name = other.catalogue_entry().map_or("", |(_, n)| n);
        p.add(
            "code",
            crate::domain::catalogue::code_taken(code, name, other.archived()),
        );
    }
    p
}
