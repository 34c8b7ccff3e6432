//! Impostazioni: preferences of this workstation, the catalogue the team edits (service
//! lines with their counting unit, areas, desks, measures, territorial services, roles),
//! and the "Backup e ripristino" section.

use super::forms::{ArchiveButton, FormEvent, FormShell, store_problems};
use super::i18n::Lang;
use super::prefs::{TextSize, ThemeChoice};
use super::table::{Col, ListState};
use super::widgets::{self, text_row};
use super::{Env, labels};
use crate::domain::*;
use crate::store::Entity;
use crate::tr;
use egui::{RichText, Ui};

/// Which part of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Tab {
    #[default]
    Lines,
    Areas,
    Desks,
    Measures,
    Services,
    Roles,
}

impl Tab {
    const ALL: [Tab; 6] = [
        Tab::Lines,
        Tab::Areas,
        Tab::Desks,
        Tab::Measures,
        Tab::Services,
        Tab::Roles,
    ];

    fn key(self) -> &'static str {
        match self {
            Tab::Lines => "catalog-lines",
            Tab::Areas => "catalog-areas",
            Tab::Desks => "catalog-desks",
            Tab::Measures => "catalog-measures",
            Tab::Services => "catalog-services",
            Tab::Roles => "catalog-roles",
        }
    }
}

/// One catalogue entry being edited.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
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
struct EntryForm {
    entry: Entry,
    initial: Entry,
    is_new: bool,
    order: String,
    problems: Problems,
    shell: FormShell,
    archive: ArchiveButton,
}

impl EntryForm {
    fn new(entry: Entry, is_new: bool) -> Self {
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
        fn put<E: Entity>(
            env: &mut Env,
            e: E,
            is_new: bool,
        ) -> Result<(), crate::store::StoreError> {
            if is_new {
                env.insert(e).map(|_| ())
            } else {
                env.update(e)
            }
        }
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
        let res = match e {
            Entry::Line(x) => put(env, x, self.is_new),
            Entry::Area(x) => put(env, x, self.is_new),
            Entry::Desk(x) => put(env, x, self.is_new),
            Entry::Measure(x) => put(env, x, self.is_new),
            Entry::Service(x) => put(env, x, self.is_new),
            Entry::Role(x) => put(env, x, self.is_new),
        };
        match res {
            Ok(()) => {
                env.notify(tr!("catalog-saved"));
                true
            }
            Err(e) => {
                self.problems = store_problems(e, env);
                false
            }
        }
    }

    fn ui(&mut self, ui: &mut Ui, env: &mut Env) -> bool {
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

/// The Impostazioni screen.
#[derive(Default)]
pub struct SettingsScreen {
    tab: Tab,
    list: ListState,
    form: Option<EntryForm>,
    /// Backup, verification, restore and automatic backups.
    pub(crate) backup: super::backup::BackupPanel,
}

impl SettingsScreen {
    /// Shows the screen.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) {
        egui::ScrollArea::vertical()
            .id_salt("settings-scroll")
            .show(ui, |ui| {
                ui.heading(tr!("nav-settings"));
                ui.add_space(6.0);
                self.prefs_ui(ui, env);
                ui.add_space(10.0);
                ui.separator();
                self.catalog_ui(ui, env);
                ui.add_space(10.0);
                ui.separator();
                self.backup.ui(ui, env);
            });
        if let Some(f) = &mut self.form
            && f.ui(ui, env)
        {
            self.form = None;
        }
    }

    fn prefs_ui(&mut self, ui: &mut Ui, env: &mut Env) {
        ui.label(RichText::new(tr!("settings-prefs")).strong());
        egui::Grid::new("prefs")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let themes = vec![
                    (ThemeChoice::Light, tr!("theme-light")),
                    (ThemeChoice::Dark, tr!("theme-dark")),
                ];
                widgets::choice_row(
                    ui,
                    &tr!("settings-theme"),
                    &mut env.prefs.theme,
                    &themes,
                    None,
                );
                let sizes: Vec<(TextSize, String)> = TextSize::ALL
                    .into_iter()
                    .map(|s| (s, tr!(s.key())))
                    .collect();
                widgets::choice_row(
                    ui,
                    &tr!("settings-text-size"),
                    &mut env.prefs.text_size,
                    &sizes,
                    None,
                );
                let langs: Vec<(Lang, String)> = Lang::ALL
                    .into_iter()
                    .map(|l| (l, l.name().to_string()))
                    .collect();
                widgets::choice_row(
                    ui,
                    &tr!("settings-language"),
                    &mut env.prefs.lang,
                    &langs,
                    None,
                );
                let desks = widgets::desk_options(&env.data, Some(env.desk));
                let before = env.desk;
                widgets::choice_row(ui, &tr!("top-desk"), &mut env.desk, &desks, None);
                if env.desk != before {
                    env.prefs.desk = Some(env.desk);
                }
                widgets::label(ui, &tr!("top-operator"));
                ui.label(
                    env.data
                        .catalog
                        .operator(env.operator)
                        .map(|o| o.display_name())
                        .unwrap_or_else(|| tr!("top-no-operator")),
                );
                ui.end_row();
            });
    }

    fn catalog_ui(&mut self, ui: &mut Ui, env: &mut Env) {
        ui.label(RichText::new(tr!("settings-catalog")).heading());
        ui.weak(tr!("settings-catalog-text"));
        ui.horizontal(|ui| {
            for t in Tab::ALL {
                if ui.selectable_label(self.tab == t, tr!(t.key())).clicked() && self.tab != t {
                    self.tab = t;
                    self.list = ListState::default();
                }
            }
        });
        let cat = &env.data.catalog;
        // (id, code, name, extra, archived)
        let rows: Vec<(Id, String, String, String, bool)> = match self.tab {
            Tab::Lines => cat
                .lines
                .iter()
                .map(|l| {
                    (
                        l.id,
                        l.code.clone(),
                        l.name.clone(),
                        format!("{} — {}", labels::unit(l.unit), cat.name(l.area)),
                        l.archived,
                    )
                })
                .collect(),
            Tab::Areas => cat
                .areas
                .iter()
                .map(|a| {
                    (
                        a.id,
                        a.code.clone(),
                        a.name.clone(),
                        String::new(),
                        a.archived,
                    )
                })
                .collect(),
            Tab::Desks => cat
                .desks
                .iter()
                .map(|d| {
                    (
                        d.id,
                        d.code.clone(),
                        d.name.clone(),
                        d.address.clone(),
                        d.archived,
                    )
                })
                .collect(),
            Tab::Measures => cat
                .measures
                .iter()
                .map(|m| {
                    (
                        m.id,
                        m.code.clone(),
                        m.name.clone(),
                        String::new(),
                        m.archived,
                    )
                })
                .collect(),
            Tab::Services => cat
                .services
                .iter()
                .map(|s| {
                    (
                        s.id,
                        s.code.clone(),
                        s.name.clone(),
                        s.category.clone(),
                        s.archived,
                    )
                })
                .collect(),
            Tab::Roles => cat
                .roles
                .iter()
                .map(|r| {
                    (
                        r.id,
                        r.code.clone(),
                        r.name.clone(),
                        String::new(),
                        r.archived,
                    )
                })
                .collect(),
        };
        if ui.button(tr!("catalog-new")).clicked() {
            let id = Id::NIL;
            let first_area = cat.areas.first().map(|a| a.id).unwrap_or(Id::NIL);
            let entry = match self.tab {
                Tab::Lines => Entry::Line(ServiceLine {
                    id,
                    code: String::new(),
                    name: String::new(),
                    area: first_area,
                    unit: CountingUnit::Persone,
                    report_noun: String::new(),
                    report_phrase: String::new(),
                    order: cat.lines.len() as u16,
                    archived: false,
                }),
                Tab::Areas => Entry::Area(Area {
                    id,
                    code: String::new(),
                    name: String::new(),
                    archived: false,
                }),
                Tab::Desks => Entry::Desk(Desk {
                    id,
                    code: String::new(),
                    name: String::new(),
                    address: String::new(),
                    archived: false,
                }),
                Tab::Measures => Entry::Measure(Measure {
                    id,
                    code: String::new(),
                    name: String::new(),
                    archived: false,
                }),
                Tab::Services => Entry::Service(TerritorialService {
                    id,
                    code: String::new(),
                    name: String::new(),
                    category: String::new(),
                    contact: String::new(),
                    archived: false,
                }),
                Tab::Roles => Entry::Role(Role {
                    id,
                    code: String::new(),
                    name: String::new(),
                    archived: false,
                }),
            };
            self.form = Some(EntryForm::new(entry, true));
        }
        self.list.set_order((0..rows.len() as u32).collect());
        let fixed = |key, width| Col {
            key,
            width,
            sortable: false,
        };
        let cols: [Col; 4] = [
            fixed("catalog-code", 140.0),
            fixed("catalog-name", 380.0),
            fixed("catalog-extra", 260.0),
            fixed("catalog-archived", 80.0),
        ];
        let mut open = None;
        if self.form.is_none() && env.list_keys(ui, false) {
            open = self.list.keys(ui);
        }
        ui.allocate_ui(egui::vec2(ui.available_width(), 300.0), |ui| {
            let out = self.list.show(ui, "catalog-table", &cols, |ui, i, c| {
                let r = &rows[i as usize];
                let text = match c {
                    0 => r.1.clone(),
                    1 => r.2.clone(),
                    2 => r.3.clone(),
                    _ => {
                        if r.4 {
                            tr!("yes")
                        } else {
                            String::new()
                        }
                    }
                };
                if r.4 {
                    ui.label(RichText::new(text).weak());
                } else {
                    ui.label(text);
                }
            });
            open = out.open.or(open);
        });
        if let Some(i) = open
            && let Some(&row) = self.list.order.get(i)
        {
            let id = rows[row as usize].0;
            let entry = match self.tab {
                Tab::Lines => cat
                    .lines
                    .iter()
                    .find(|x| x.id == id)
                    .cloned()
                    .map(Entry::Line),
                Tab::Areas => cat
                    .areas
                    .iter()
                    .find(|x| x.id == id)
                    .cloned()
                    .map(Entry::Area),
                Tab::Desks => cat
                    .desks
                    .iter()
                    .find(|x| x.id == id)
                    .cloned()
                    .map(Entry::Desk),
                Tab::Measures => cat
                    .measures
                    .iter()
                    .find(|x| x.id == id)
                    .cloned()
                    .map(Entry::Measure),
                Tab::Services => cat
                    .services
                    .iter()
                    .find(|x| x.id == id)
                    .cloned()
                    .map(Entry::Service),
                Tab::Roles => cat
                    .roles
                    .iter()
                    .find(|x| x.id == id)
                    .cloned()
                    .map(Entry::Role),
            };
            if let Some(e) = entry {
                self.form = Some(EntryForm::new(e, false));
            }
        }
    }
}
