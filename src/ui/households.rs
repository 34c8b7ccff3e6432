//! Famiglie: households with their members and relationships.

use super::data::{Data, Needle};
use super::forms::{ArchiveButton, FormEvent, FormShell, Recheck, report_save};
use super::jobs::stamp;
use super::list::{self, List};
use super::table::{Col, cell, col, filter_sorted};
use super::widgets::{self, Picked, SubjectPicker, text_row};
use super::{Env, OpenForm, Route, labels};
use crate::domain::person::second_reference_person;
use crate::domain::*;
use crate::tr;
use egui::Ui;

const COLS: [Col; 4] = [
    col("households-col-name", 240.0),
    col("households-col-address", 260.0),
    col("households-col-municipio", 90.0),
    col("households-col-members", 90.0),
];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Filters {
    search: String,
    archived: bool,
}

/// The Famiglie screen.
#[derive(Default)]
pub struct HouseholdsScreen {
    list: List<Filters>,
}

impl HouseholdsScreen {
    fn refresh(&mut self, env: &Env) {
        let h = &env.data.households;
        let key = stamp(&[env.revision(EntityKind::Household), h.len() as u64]);
        let Some((f, s)) = self.list.stale(key) else {
            return;
        };
        let needle = Needle::new(&f.search);
        let order = filter_sorted(
            h.rows(),
            s.asc,
            |r| (f.archived || !r.archived) && needle.matches(&r.key, ""),
            |a, b| match s.col {
                0 => a.key.cmp(&b.key),
                1 => a.address.cmp(&b.address),
                2 => a.municipio.cmp(&b.municipio),
                _ => h.members(a.id).len().cmp(&h.members(b.id).len()),
            },
        );
        self.list.set_order(key, order);
    }

    /// Shows the screen.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) {
        if list::header(ui, "nav-households", "households-new", None, |_| {}) {
            env.open = Some(OpenForm::NewHousehold);
        }
        let mut search_focused = false;
        let f = &mut self.list.filters;
        ui.horizontal(|ui| {
            search_focused = list::search(
                ui,
                "households-search",
                &mut f.search,
                "households-search-hint",
                &mut env.focus_search,
            );
            ui.checkbox(&mut f.archived, tr!("filter-archived"));
        });
        self.refresh(env);
        let h = &env.data.households;
        list::count(ui, self.list.len(), h.len());
        let keys = env.list_keys(ui, search_focused);
        let open = self
            .list
            .table(ui, keys, "households-table", &COLS, |ui, i, c| {
                let r = &h.rows()[i as usize];
                let text = match c {
                    0 => r.name.clone(),
                    1 => r.address.clone(),
                    2 => r.municipio.map(|m| m.to_string()).unwrap_or_default(),
                    _ => h.members(r.id).len().to_string(),
                };
                cell(ui, text, r.archived);
            });
        if let Some(i) = open {
            let id = h.rows()[i as usize].id;
            env.open = Some(OpenForm::Edit(EntityKind::Household, id));
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Draft {
    name: String,
    address: String,
    municipio: Option<u8>,
    note: String,
    members: Vec<(Id, Relationship)>,
}

/// The household dialog, with its members.
pub struct HouseholdForm {
    base: Option<Household>,
    draft: Draft,
    initial: Draft,
    loaded: bool,
    picker: SubjectPicker,
    problems: Problems,
    recheck: Recheck<Draft>,
    shell: FormShell,
    archive: ArchiveButton,
}

impl HouseholdForm {
    /// A new household.
    pub fn new() -> Self {
        HouseholdForm {
            base: None,
            draft: Draft::default(),
            initial: Draft::default(),
            loaded: true,
            picker: SubjectPicker::new("household-member", false),
            problems: Problems::default(),
            recheck: Recheck::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
        }
    }

    /// A new household for a person without one ("Crea un nuovo nucleo" in the cartella):
    /// named after them, at their address, with them as the reference member. Nothing is
    /// written until Salva, so a click too many leaves no empty household behind.
    pub fn for_person(p: &Person, name: String) -> Self {
        let mut f = Self::new();
        f.draft = Draft {
            name,
            address: p.address.clone(),
            municipio: p.municipio,
            note: String::new(),
            members: vec![(p.id, Relationship::Riferimento)],
        };
        f
    }

    /// An existing household (members are read on first display).
    pub fn edit(h: Household) -> Self {
        let draft = Draft {
            name: h.name.clone(),
            address: h.address.clone(),
            municipio: h.municipio,
            note: h.note.clone(),
            members: vec![],
        };
        HouseholdForm {
            base: Some(h),
            initial: draft.clone(),
            draft,
            loaded: false,
            picker: SubjectPicker::new("household-member", false),
            problems: Problems::default(),
            recheck: Recheck::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
        }
    }

    fn load_members(&mut self, env: &mut Env) {
        if self.loaded {
            return;
        }
        self.loaded = true;
        let Some(h) = &self.base else { return };
        match env.read().and_then(|r| r.members(h.id)) {
            Ok(ms) => {
                let members: Vec<(Id, Relationship)> = ms
                    .iter()
                    .map(|p| {
                        (
                            p.id,
                            p.household.map(|m| m.relationship).unwrap_or_default(),
                        )
                    })
                    .collect();
                self.draft.members = members.clone();
                self.initial.members = members;
            }
            Err(e) => env.fail(e.to_string()),
        }
    }

    /// The household these fields describe.
    fn household(&self) -> Household {
        Household {
            id: self.base.as_ref().map(|b| b.id).unwrap_or(Id::NIL),
            name: self.draft.name.trim().to_string(),
            address: self.draft.address.trim().to_string(),
            municipio: self.draft.municipio,
            note: self.draft.note.trim().to_string(),
            archived: self.base.as_ref().is_some_and(|b| b.archived),
        }
    }

    /// The household's problems, and a second "persona di riferimento" among the members.
    fn check(&self, data: &Data) -> Problems {
        let mut p = self.household().validate();
        if let Some((first, _)) = self.second_reference() {
            p.add(
                "members",
                second_reference_person(&data.people.name(self.draft.members[first].0)),
            );
        }
        p
    }

    /// Two members marked "persona di riferimento", when there are: the one who already was
    /// (or the first in the list) and the other.
    fn second_reference(&self) -> Option<(usize, usize)> {
        let refs: Vec<usize> = (0..self.draft.members.len())
            .filter(|&i| self.draft.members[i].1 == Relationship::Riferimento)
            .collect();
        if refs.len() < 2 {
            return None;
        }
        let was = |i: &&usize| {
            self.initial
                .members
                .contains(&(self.draft.members[**i].0, Relationship::Riferimento))
        };
        let first = refs.iter().find(was).unwrap_or(&refs[0]);
        let other = refs.iter().find(|i| *i != first)?;
        Some((*first, *other))
    }

    fn save(&mut self, env: &mut Env) -> bool {
        let h = self.household();
        let problems = self.check(&env.data);
        if !problems.is_empty() {
            self.problems = problems;
            return false;
        }
        let is_new = self.base.is_none();
        // Whoever stops being the reference person is written before whoever becomes it.
        let mut members = self.draft.members.clone();
        members.sort_by_key(|(_, r)| *r == Relationship::Riferimento);
        let before = self.initial.members.clone();
        let res = env.transaction(|w| {
            let hid = if is_new {
                w.insert(h)?
            } else {
                let id = h.id;
                w.update(h)?;
                id
            };
            let mut written = vec![(EntityKind::Household, hid)];
            for (pid, rel) in &members {
                if before.contains(&(*pid, *rel)) {
                    continue;
                }
                let mut p: Person = w
                    .get(*pid)?
                    .ok_or(crate::store::StoreError::NotFound(EntityKind::Person, *pid))?;
                p.household = Some(Membership {
                    household: hid,
                    relationship: *rel,
                });
                w.update(p)?;
                written.push((EntityKind::Person, *pid));
            }
            for (pid, _) in before
                .iter()
                .filter(|(p, _)| !members.iter().any(|(m, _)| m == p))
            {
                if let Some(mut p) = w.get::<Person>(*pid)?
                    && p.household.is_some_and(|m| m.household == hid)
                {
                    p.household = None;
                    w.update(p)?;
                    written.push((EntityKind::Person, *pid));
                }
            }
            Ok(((), written))
        });
        report_save(env, res, "household-saved", &mut self.problems)
    }

    /// True when the fields differ from what was loaded.
    pub fn dirty(&self) -> bool {
        self.draft != self.initial
    }

    /// Shows the dialog; true when it closed.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) -> bool {
        self.load_members(env);
        let title = match &self.base {
            Some(h) => tr!("household-edit-title", name = h.name.clone()),
            None => tr!("household-new-title"),
        };
        if self.recheck.due(&self.draft, &self.problems) {
            let fresh = self.check(&env.data);
            self.recheck.apply(&self.draft, &mut self.problems, fresh);
        }
        let dirty = self.dirty();
        self.shell.suspend_keys = self.archive.busy();
        let mut archived = false;
        let mut goto = None;
        let second = self.second_reference();
        let ctx = ui.ctx().clone();
        let (event, ()) = self
            .shell
            .show(&ctx, "household", &title, dirty, 620.0, |ui| {
                let p = &self.problems;
                egui::Grid::new("household-grid")
                    .num_columns(2)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        let d = &mut self.draft;
                        text_row(ui, &tr!("household-name"), &mut d.name, p.for_field("name"));
                        text_row(
                            ui,
                            &tr!("household-address"),
                            &mut d.address,
                            p.for_field("address"),
                        );
                        let mut opts = vec![(None, "—".to_string())];
                        opts.extend((1..=9u8).map(|m| (Some(m), m.to_string())));
                        widgets::choice_row(
                            ui,
                            &tr!("household-municipio"),
                            &mut d.municipio,
                            &opts,
                            p.for_field("municipio"),
                        );
                        widgets::multiline_row(
                            ui,
                            &tr!("household-note"),
                            &mut d.note,
                            p.for_field("note"),
                        );
                    });
                ui.separator();
                ui.strong(tr!(
                    "household-members",
                    count = self.draft.members.len() as i64
                ));
                let mut remove = None;
                let rels: Vec<(Relationship, String)> = Relationship::ALL
                    .into_iter()
                    .map(|r| (r, labels::relationship(r)))
                    .collect();
                let first_id = second.map_or(Id::NIL, |(f, _)| self.draft.members[f].0);
                egui::Grid::new("household-members")
                    .num_columns(4)
                    .show(ui, |ui| {
                        for (i, (pid, rel)) in self.draft.members.iter_mut().enumerate() {
                            let name = env.data.people.name(*pid);
                            let l = ui.link(&name);
                            if l.clicked() {
                                goto = Some(*pid);
                            }
                            widgets::choice(ui, ("member-rel", i), l.id, rel, &rels, 180.0);
                            match second {
                                Some((first, _))
                                    if i != first && *rel == Relationship::Riferimento =>
                                {
                                    let first = env.data.people.name(first_id);
                                    ui.colored_label(
                                        ui.visuals().error_fg_color,
                                        tr!("household-second-reference", name = first),
                                    );
                                }
                                _ => {
                                    ui.label("");
                                }
                            }
                            if ui
                                .small_button("✖")
                                .on_hover_text(tr!("household-remove-member", name = name.clone()))
                                .clicked()
                            {
                                remove = Some(i);
                            }
                            ui.end_row();
                        }
                    });
                if let Some(i) = remove {
                    self.draft.members.remove(i);
                }
                ui.horizontal(|ui| {
                    let l = ui.label(tr!("household-add-member"));
                    if let Picked::Chosen(Subject::Person(pid)) =
                        self.picker.ui(ui, &env.data, l.id)
                    {
                        if !self.draft.members.iter().any(|(m, _)| *m == pid) {
                            let rel = if self.draft.members.is_empty() {
                                Relationship::Riferimento
                            } else {
                                Relationship::Figlio
                            };
                            self.draft.members.push((pid, rel));
                        }
                        self.picker.selected = None;
                    }
                });
                widgets::problem(ui, self.problems.for_field("members"));
                widgets::other_problems(
                    ui,
                    &self.problems,
                    &["name", "address", "municipio", "note", "members"],
                );
                if let Some(b) = &self.base {
                    ui.add_space(6.0);
                    archived = self.archive.ui::<Household>(ui, env, b.id, b.archived);
                }
            });
        if archived {
            return true;
        }
        // A member's link leaves the form: with changes, ask first.
        if let Some(pid) = goto
            && let Some(route) = self.shell.leave(Route::Person(pid), dirty)
        {
            env.goto(route);
            return true;
        }
        match event {
            FormEvent::Save => self.save(env),
            FormEvent::Close => {
                if let Some(route) = self.shell.take_leave() {
                    env.goto(route);
                }
                true
            }
            FormEvent::None => false,
        }
    }
}
