//! Équipe: the team's directory (role, phone, e-mail, desk) — the seed ends by pointing
//! people to the team's contacts — and the operator form.

use super::data::Needle;
use super::forms::{ArchiveButton, FormEvent, FormShell, Recheck, store_problems};
use super::list::{self, List};
use super::table::{Col, col, filter_sorted};
use super::widgets::{self, text_row, text_row_hint};
use super::{Env, OpenForm};
use crate::domain::person::fold;
use crate::domain::*;
use crate::tr;
use egui::{RichText, Ui};

const COLS: [Col; 6] = [
    col("team-col-name", 200.0),
    col("team-col-role", 190.0),
    col("team-col-phone", 140.0),
    col("team-col-email", 220.0),
    col("team-col-desk", 170.0),
    col("team-col-active", 70.0),
];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Filters {
    search: String,
    all: bool,
}

/// The Équipe screen.
#[derive(Default)]
pub struct TeamScreen {
    list: List<Filters>,
}

impl TeamScreen {
    fn refresh(&mut self, env: &Env) {
        let key = env.revision(EntityKind::Operator);
        let Some((f, s)) = self.list.stale(key) else {
            return;
        };
        let needle = Needle::new(&f.search);
        let cat = &env.data.catalog;
        let order = filter_sorted(
            &cat.operators,
            s.asc,
            |o| {
                (f.all || (o.active && !o.archived))
                    && needle.matches(
                        &fold(&format!("{} {} {}", o.surname, o.name, cat.name(o.role))),
                        "",
                    )
            },
            |a, b| match s.col {
                0 => fold(&a.surname).cmp(&fold(&b.surname)),
                1 => cat.name(a.role).cmp(cat.name(b.role)),
                2 => a.phone.cmp(&b.phone),
                3 => a.email.cmp(&b.email),
                4 => cat.name_opt(a.desk).cmp(cat.name_opt(b.desk)),
                _ => a.active.cmp(&b.active),
            },
        );
        self.list.set_order(key, order);
    }

    /// Shows the screen.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) {
        if list::header(ui, "nav-team", "team-new", None, |_| {}) {
            env.open = Some(OpenForm::NewOperator);
        }
        let mut search_focused = false;
        let f = &mut self.list.filters;
        ui.horizontal(|ui| {
            search_focused = list::search(
                ui,
                "team-search",
                &mut f.search,
                "team-search-hint",
                &mut env.focus_search,
            );
            ui.checkbox(&mut f.all, tr!("team-show-inactive"));
        });
        self.refresh(env);
        let keys = env.list_keys(ui, search_focused);
        let cat = &env.data.catalog;
        let ops = &cat.operators;
        let open = self.list.table(ui, keys, "team-table", &COLS, |ui, i, c| {
            let o = &ops[i as usize];
            let text = match c {
                0 => format!("{} {}", o.surname, o.name),
                1 => cat.name(o.role).to_string(),
                2 => o.phone.clone(),
                3 => o.email.clone(),
                4 => cat.name_opt(o.desk).to_string(),
                _ => {
                    if o.active && !o.archived {
                        tr!("yes")
                    } else {
                        tr!("no")
                    }
                }
            };
            if o.archived || !o.active {
                ui.label(RichText::new(text).weak());
            } else {
                ui.label(text);
            }
        });
        if let Some(i) = open {
            env.open = Some(OpenForm::Edit(EntityKind::Operator, ops[i as usize].id));
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Draft {
    surname: String,
    name: String,
    role: Id,
    phone: String,
    email: String,
    desk: Option<Id>,
    active: bool,
}

/// The operator dialog.
pub struct OperatorForm {
    base: Option<Operator>,
    draft: Draft,
    initial: Draft,
    problems: Problems,
    recheck: Recheck<Draft>,
    shell: FormShell,
    archive: ArchiveButton,
    focus: bool,
}

impl OperatorForm {
    /// A new operator at this desk.
    pub fn new(env: &Env) -> Self {
        let draft = Draft {
            surname: String::new(),
            name: String::new(),
            role: env
                .data
                .catalog
                .roles
                .iter()
                .find(|r| r.code == "sportello")
                .or(env.data.catalog.roles.first())
                .map(|r| r.id)
                .unwrap_or(Id::NIL),
            phone: String::new(),
            email: String::new(),
            desk: Some(env.desk).filter(|d| *d != Id::NIL),
            active: true,
        };
        OperatorForm {
            base: None,
            initial: draft.clone(),
            draft,
            problems: Problems::default(),
            recheck: Recheck::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
            focus: true,
        }
    }

    /// An existing operator.
    pub fn edit(o: Operator) -> Self {
        let draft = Draft {
            surname: o.surname.clone(),
            name: o.name.clone(),
            role: o.role,
            phone: o.phone.clone(),
            email: o.email.clone(),
            desk: o.desk,
            active: o.active,
        };
        OperatorForm {
            base: Some(o),
            initial: draft.clone(),
            draft,
            problems: Problems::default(),
            recheck: Recheck::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
            focus: true,
        }
    }

    /// The operator these fields describe.
    fn operator(&self) -> Operator {
        let d = &self.draft;
        Operator {
            id: self.base.as_ref().map(|b| b.id).unwrap_or(Id::NIL),
            surname: d.surname.split_whitespace().collect::<Vec<_>>().join(" "),
            name: d.name.split_whitespace().collect::<Vec<_>>().join(" "),
            role: d.role,
            phone: d.phone.trim().to_string(),
            email: d.email.trim().to_string(),
            desk: d.desk,
            active: d.active,
            archived: self.base.as_ref().is_some_and(|b| b.archived),
        }
    }

    fn save(&mut self, env: &mut Env) -> bool {
        let o = self.operator();
        let problems = o.validate();
        if !problems.is_empty() {
            self.problems = problems;
            return false;
        }
        let res = if self.base.is_some() {
            env.update(o)
        } else {
            env.insert(o).map(|_| ())
        };
        match res {
            Ok(()) => {
                env.notify(tr!("operator-saved"));
                true
            }
            Err(e) => {
                self.problems = store_problems(e, env);
                false
            }
        }
    }

    /// True when the fields differ from what was loaded.
    pub fn dirty(&self) -> bool {
        self.draft != self.initial
    }

    /// Shows the dialog; true when it closed.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) -> bool {
        let title = match &self.base {
            Some(o) => tr!("operator-edit-title", name = o.display_name()),
            None => tr!("operator-new-title"),
        };
        if self.recheck.due(&self.draft, &self.problems) {
            let fresh = self.operator().validate();
            self.recheck.apply(&self.draft, &mut self.problems, fresh);
        }
        let dirty = self.dirty();
        self.shell.suspend_keys = self.archive.busy();
        let mut archived = false;
        let ctx = ui.ctx().clone();
        let (event, ()) = self
            .shell
            .show(&ctx, "operator", &title, dirty, 560.0, |ui| {
                let p = &self.problems;
                egui::Grid::new("operator-grid")
                    .num_columns(2)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        let d = &mut self.draft;
                        let r = text_row(
                            ui,
                            &tr!("person-surname"),
                            &mut d.surname,
                            p.for_field("surname"),
                        );
                        if self.focus {
                            r.request_focus();
                            self.focus = false;
                        }
                        text_row(ui, &tr!("person-name"), &mut d.name, p.for_field("name"));
                        let roles = widgets::role_options(&env.data, Some(d.role));
                        widgets::choice_row(
                            ui,
                            &tr!("team-col-role"),
                            &mut d.role,
                            &roles,
                            p.for_field("role"),
                        );
                        text_row_hint(
                            ui,
                            &tr!("person-phone"),
                            &mut d.phone,
                            "+39 02 1234567",
                            p.for_field("phone"),
                        );
                        text_row_hint(
                            ui,
                            &tr!("person-email"),
                            &mut d.email,
                            "nome@dominio.it",
                            p.for_field("email"),
                        );
                        let desks = widgets::with_none(widgets::desk_options(&env.data, d.desk));
                        widgets::choice_row(
                            ui,
                            &tr!("team-col-desk"),
                            &mut d.desk,
                            &desks,
                            p.for_field("desk"),
                        );
                        widgets::check_row(ui, "", &tr!("team-active"), &mut d.active);
                    });
                widgets::other_problems(
                    ui,
                    &self.problems,
                    &["surname", "name", "role", "phone", "email", "desk"],
                );
                if let Some(b) = &self.base {
                    ui.add_space(6.0);
                    archived = self.archive.ui::<Operator>(ui, env, b.id, b.archived);
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
