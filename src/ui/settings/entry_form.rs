//! The dialog of one catalogue entry: code and name (and, for a service line, its order
//! and counting unit), archive.

use crate::domain::*;
use crate::tr;
use crate::ui::forms::{ArchiveButton, FormEvent, FormShell, save_record};
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
        }
    }
}

/// The dialog of a catalogue entry.
pub(super) struct EntryForm {
    entry: Entry,
    initial: Entry,
    is_new: bool,
    order: String,
    problems: Problems,
    shell: FormShell,
    archive: ArchiveButton,
}

impl EntryForm {
    pub(super) fn new(entry: Entry, is_new: bool) -> Self {
        let order = match &entry {
            Entry::Line(l) => l.order.to_string(),
            _ => String::new(),
        };
        EntryForm {
            initial: entry.clone(),
            entry,
            is_new,
            order,
            problems: Problems::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
        }
    }

    fn save(&mut self, env: &mut Env) -> bool {
        let mut p = Problems::default();
        if let Entry::Line(l) = &mut self.entry {
            l.order = widgets::number(&mut p, "order", &self.order);
        }
        if !p.is_empty() {
            self.problems = p;
            return false;
        }
        let mut e = self.entry.clone();
        {
            let (c, n) = e.code_name();
            *c = c.trim().to_string();
            *n = n.trim().to_string();
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
        }
    }

    pub(super) fn ui(&mut self, ui: &mut Ui, env: &mut Env) -> bool {
        let title = if self.is_new {
            tr!("catalog-new-title")
        } else {
            tr!("catalog-edit-title")
        };
        let dirty = self.entry != self.initial;
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
