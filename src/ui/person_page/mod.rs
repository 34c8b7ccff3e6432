//! The cartella of one person: registry data, household and its members, and every
//! contact, case, project, referral and activity on one timeline.

mod timeline;

use super::erase_person::{self, ErasePerson};
use super::jobs::stamp;
use super::leave_household::LeaveHousehold;
use super::person_privacy::PrivacyPanel;
use super::print_dialog::PrintDialog;
use super::table::{ListState, cell};
use super::widgets::{self, SubjectPicker};
use super::{Env, OpenForm, Route, labels};
use crate::domain::person::second_reference_person;
use crate::domain::time::{fmt_date, fmt_datetime};
use crate::domain::*;
use crate::tr;
use egui::{RichText, Ui};
use timeline::{COLS, Event, timeline};

impl PersonPage {
    /// What the account may not see here, and the extraordinary access that opens it
    /// with a typed reason (audited and flagged).
    fn hidden_ui(&mut self, ui: &mut Ui, env: &mut Env, p: &Person) {
        if self.hidden.is_empty() {
            return;
        }
        let kinds: Vec<&str> = self.hidden.iter().map(|k| k.label()).collect();
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(tr!("person-hidden", kinds = kinds.join(", ")))
                    .color(ui.visuals().warn_fg_color),
            );
            if self.extraordinary.is_none() && ui.button(tr!("extraordinary-open")).clicked() {
                self.extraordinary = Some((String::new(), None));
            }
        });
        let (mut done, mut cancel) = (false, false);
        if let Some((reason, error)) = &mut self.extraordinary {
            ui.label(tr!("extraordinary-text"));
            egui::Grid::new("extraordinary")
                .num_columns(2)
                .show(ui, |ui| {
                    widgets::multiline_row(
                        ui,
                        &tr!("extraordinary-reason"),
                        reason,
                        error.as_deref(),
                    );
                });
            ui.horizontal(|ui| {
                if ui.button(tr!("extraordinary-confirm")).clicked() {
                    let res = match env.session.clone() {
                        Some(s) => {
                            let mut res =
                                env.store
                                    .extraordinary_access(&s, Subject::Person(p.id), reason);
                            if let (Ok(()), Some(m)) = (&res, p.household) {
                                res = env.store.extraordinary_access(
                                    &s,
                                    Subject::Household(m.household),
                                    reason,
                                );
                            }
                            res
                        }
                        None => Ok(()),
                    };
                    match res {
                        Ok(()) => {
                            done = true;
                            env.notify(tr!("extraordinary-done"));
                        }
                        Err(crate::store::StoreError::Invalid(pr)) => {
                            *error = pr.0.first().map(|e| e.message.clone());
                        }
                        Err(e) => *error = Some(e.to_string()),
                    }
                }
                if ui.button(tr!("form-cancel")).clicked() {
                    cancel = true;
                }
            });
        }
        if cancel {
            self.extraordinary = None;
        }
        if done {
            self.extraordinary = None;
            self.loaded = None;
        }
    }
}

/// Adding the person to a household, from the cartella.
struct JoinHousehold {
    picker: SubjectPicker,
    relationship: Relationship,
}

/// The cartella screen.
pub struct PersonPage {
    id: Id,
    loaded: Option<u64>,
    person: Option<Person>,
    events: Vec<Event>,
    members: Vec<Person>,
    household: Option<Household>,
    list: ListState,
    join: Option<JoinHousehold>,
    leaving: Option<LeaveHousehold>,
    erasing: Option<ErasePerson>,
    printing: Option<PrintDialog>,
    privacy: PrivacyPanel,
    show_archived: bool,
    error: Option<String>,
    /// Kinds of record the account may not see here.
    hidden: Vec<EntityKind>,
    /// The opening of this cartella is in the access log.
    logged: bool,
    /// The reason being typed for an extraordinary access.
    extraordinary: Option<(String, Option<String>)>,
    /// «Documenti»: the files attached to the person and to records about them.
    documents: super::documents::section::DocumentsSection,
}

impl PersonPage {
    /// The cartella of a person.
    pub fn new(id: Id) -> Self {
        PersonPage {
            id,
            loaded: None,
            person: None,
            events: vec![],
            members: vec![],
            household: None,
            list: ListState::sorted(super::table::Sort { col: 0, asc: false }),
            join: None,
            leaving: None,
            erasing: None,
            printing: None,
            privacy: PrivacyPanel::default(),
            show_archived: false,
            error: None,
            hidden: vec![],
            logged: false,
            extraordinary: None,
            documents: super::documents::section::DocumentsSection::new(id),
        }
    }

    /// Whose cartella this is.
    pub fn id(&self) -> Id {
        self.id
    }

    fn load(&mut self, env: &mut Env) {
        let s = stamp(&[
            env.revision(EntityKind::Person),
            env.revision(EntityKind::Household),
            env.revision(EntityKind::Contact),
            env.revision(EntityKind::Case),
            env.revision(EntityKind::Project),
            env.revision(EntityKind::Referral),
            env.revision(EntityKind::Activity),
            env.revision(EntityKind::Operator),
            self.show_archived as u64,
        ]);
        if self.loaded == Some(s) {
            return;
        }
        self.loaded = Some(s);
        let mut hidden = vec![];
        let result = env.read().and_then(|r| {
            let p: Person = r.require(self.id)?;
            let events = timeline(&r, env, &p, &mut hidden)?;
            let (household, members) = match p.household {
                Some(m) => (r.get::<Household>(m.household)?, r.members(m.household)?),
                None => (None, vec![]),
            };
            Ok((p, events, household, members))
        });
        match result {
            Ok((p, events, h, members)) => {
                self.hidden = hidden;
                if !self.logged {
                    // Opening a cartella is a read that matters.
                    env.log_access(
                        crate::domain::access::AccessKind::Cartella,
                        Some((EntityKind::Person, p.id)),
                        "",
                    );
                    self.logged = true;
                }
                self.person = Some(p);
                self.events = events
                    .into_iter()
                    .filter(|e| self.show_archived || !e.archived)
                    .collect();
                self.household = h;
                self.members = members;
                self.sort_events();
                self.error = None;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Orders the timeline by the list's sort (newest first until a header is clicked).
    fn sort_events(&mut self) {
        let s = self.list.sort;
        let mut order: Vec<u32> = (0..self.events.len() as u32).collect();
        super::table::sort_by(&mut order, &self.events, s.asc, |a, b| match s.col {
            0 => a.at.cmp(&b.at),
            1 => a.what.cmp(&b.what),
            2 => a.line.cmp(&b.line),
            3 => a.detail.cmp(&b.detail),
            _ => a.operator.cmp(&b.operator),
        });
        self.list.set_order(order);
    }

    /// Shows the cartella.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) {
        self.load(env);
        if ui.button(tr!("person-back")).clicked() {
            env.goto(Route::People);
        }
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
            return;
        }
        let Some(p) = self.person.clone() else {
            return;
        };
        ui.horizontal(|ui| {
            ui.heading(p.full_name());
            if p.archived {
                ui.label(RichText::new(tr!("archived-mark")).color(ui.visuals().warn_fg_color));
            }
        });
        self.privacy.banner(ui, env, p.id);
        let subject = Subject::Person(p.id);
        ui.horizontal_wrapped(|ui| {
            if ui.button(tr!("person-edit")).clicked() {
                env.open = Some(OpenForm::Edit(EntityKind::Person, p.id));
            }
            if ui.button(tr!("person-new-contact")).clicked() {
                env.open = Some(OpenForm::NewContact(Some(subject)));
            }
            if env.may(Permission::PreseInCarico) && ui.button(tr!("person-new-case")).clicked() {
                env.open = Some(OpenForm::NewCase(Some(subject)));
            }
            if env.may(Permission::Progetti) && ui.button(tr!("person-new-project")).clicked() {
                env.open = Some(OpenForm::NewProject(Some(p.id)));
            }
            if env.may(Permission::Invii) && ui.button(tr!("person-new-referral")).clicked() {
                env.open = Some(OpenForm::NewReferral(Some(subject)));
            }
            if env.may(Permission::Accessi) && ui.button(tr!("person-new-pratica")).clicked() {
                env.open = Some(OpenForm::NewPratica(Some(subject)));
            }
            if env.may(Permission::Anagrafica) && ui.button(tr!("person-print")).clicked() {
                self.printing = Some(PrintDialog::pdf());
            }
            if env.may(Permission::Esportazioni) && ui.button(tr!("person-art15")).clicked() {
                self.printing = Some(PrintDialog::art15());
            }
            if erase_person::allowed(env) && ui.button(tr!("person-erase")).clicked() {
                self.erasing = Some(ErasePerson::default());
            }
        });
        if let Some(e) = &mut self.erasing
            && e.ui(ui.ctx(), env, &p)
        {
            self.erasing = None;
        }
        if let Some(d) = &mut self.printing
            && d.ui(ui.ctx(), env, &p)
        {
            self.printing = None;
        }
        ui.separator();
        ui.columns(2, |cols| {
            // Values wrap inside their column (a long word in the notes included) instead
            // of running off the window.
            let value_width = (cols[0].available_width() - 190.0).max(120.0);
            egui::Grid::new("person-details")
                .num_columns(2)
                .spacing([12.0, 4.0])
                .max_col_width(value_width)
                .show(&mut cols[0], |ui| {
                    let row = |ui: &mut Ui, k: &str, v: String| {
                        ui.weak(tr!(k));
                        ui.add(egui::Label::new(v).wrap());
                        ui.end_row();
                    };
                    row(
                        ui,
                        "person-cf",
                        p.codice_fiscale.clone().unwrap_or_default(),
                    );
                    row(ui, "person-birth", p.birth.display());
                    row(ui, "person-sex", labels::sex(p.sex));
                    row(ui, "person-birthplace", p.birthplace.clone());
                    row(ui, "person-citizenship", p.citizenship.clone());
                    let addr = match p.municipio {
                        Some(m) => format!("{} (Municipio {m})", p.address),
                        None => p.address.clone(),
                    };
                    row(ui, "person-address", addr);
                    row(ui, "person-phone", p.phone.clone());
                    row(ui, "person-email", p.email.clone());
                    row(
                        ui,
                        "person-consent",
                        p.consent
                            .as_ref()
                            .map(|c| format!("{} — {}", fmt_date(c.date), c.scope))
                            .unwrap_or_else(|| tr!("person-no-consent")),
                    );
                    if !p.note.is_empty() {
                        row(ui, "person-note", p.note.clone());
                    }
                });
            self.household_ui(&mut cols[1], env, &p);
        });
        ui.separator();
        self.privacy.ui(ui, env, p.id);
        ui.separator();
        self.documents.ui(ui, env, &p.full_name());
        ui.separator();
        self.hidden_ui(ui, env, &p);
        ui.horizontal(|ui| {
            ui.strong(tr!("timeline-title", count = self.events.len() as i64));
            ui.checkbox(&mut self.show_archived, tr!("filter-archived"));
        });
        // A dialog of the documents section (file path, attach form) keeps ↑/↓/Enter.
        let mut open = if !self.documents.has_dialog() && env.list_keys(ui, false) {
            self.list.keys(ui)
        } else {
            None
        };
        let events = &self.events;
        let out = self.list.show(ui, "timeline", &COLS, |ui, i, c| {
            let e = &events[i as usize];
            let text = match c {
                0 => {
                    if e.at.time() == chrono::NaiveTime::MIN {
                        fmt_date(e.at.date())
                    } else {
                        fmt_datetime(e.at)
                    }
                }
                1 => {
                    let mut t = e.what.clone();
                    if e.household {
                        t.push_str(&format!(" ({})", tr!("timeline-household")));
                    }
                    t
                }
                2 => e.line.clone(),
                3 => e.detail.clone(),
                _ => e.operator.clone(),
            };
            cell(ui, text, e.archived);
        });
        if out.sort_changed {
            self.sort_events();
        }
        open = out.open.or(open);
        if let Some(i) = open
            && let Some(&row) = self.list.order.get(i)
        {
            let e = &self.events[row as usize];
            env.open = Some(OpenForm::Edit(e.kind, e.id));
        }
    }

    fn household_ui(&mut self, ui: &mut Ui, env: &mut Env, p: &Person) {
        ui.strong(tr!("person-household"));
        match (&p.household, &self.household) {
            (Some(m), Some(h)) => {
                ui.horizontal(|ui| {
                    if ui.link(&h.name).clicked() {
                        env.open = Some(OpenForm::Edit(EntityKind::Household, h.id));
                    }
                    ui.label(format!("— {}", labels::relationship(m.relationship)));
                });
                for other in self.members.iter().filter(|o| o.id != p.id) {
                    let rel = other
                        .household
                        .map(|m| labels::relationship(m.relationship))
                        .unwrap_or_default();
                    ui.horizontal(|ui| {
                        if ui.link(other.full_name()).clicked() {
                            env.goto(Route::Person(other.id));
                        }
                        ui.weak(format!("{rel} {}", other.birth.display()));
                    });
                }
                if ui.button(tr!("person-leave-household")).clicked() {
                    self.leaving = Some(LeaveHousehold::new(env, h, self.members.len()));
                }
                if let Some(l) = &mut self.leaving
                    && l.ui(ui.ctx(), env, p, h).is_some()
                {
                    self.leaving = None;
                }
            }
            _ => {
                ui.weak(tr!("person-no-household"));
                let (mut join, mut create) = (false, false);
                ui.horizontal(|ui| {
                    join = self.join.is_none() && ui.button(tr!("person-join-household")).clicked();
                    create = ui.button(tr!("person-create-household")).clicked();
                });
                if join {
                    let mut picker = SubjectPicker::households_only("join-household");
                    picker.focus();
                    self.join = Some(JoinHousehold {
                        picker,
                        relationship: Relationship::Riferimento,
                    });
                }
                if create {
                    // The household form, filled in: created only on Salva (a double
                    // click used to create a household and leave it at once).
                    env.open = Some(OpenForm::NewHouseholdFor(p.id));
                }
            }
        }
        if let Some(j) = &mut self.join {
            let mut done = false;
            ui.group(|ui| {
                let l = ui.label(tr!("person-household"));
                j.picker.ui(ui, &env.data, l.id);
                let rl = ui.label(tr!("person-relationship"));
                let opts: Vec<(Relationship, String)> = Relationship::ALL
                    .into_iter()
                    .map(|r| (r, labels::relationship(r)))
                    .collect();
                widgets::choice(ui, "join-rel", rl.id, &mut j.relationship, &opts, 200.0);
                // A household has one reference person (the store refuses a second).
                let taken = match j.picker.selected {
                    Some(Subject::Household(hid))
                        if j.relationship == Relationship::Riferimento =>
                    {
                        env.data.reference_person(hid)
                    }
                    _ => None,
                };
                if let Some(r) = taken {
                    widgets::problem(ui, Some(&second_reference_person(&env.data.people.name(r))));
                }
                ui.horizontal(|ui| {
                    let can =
                        matches!(j.picker.selected, Some(Subject::Household(_))) && taken.is_none();
                    if ui
                        .add_enabled(can, egui::Button::new(tr!("person-join")))
                        .clicked()
                        && let Some(Subject::Household(hid)) = j.picker.selected
                    {
                        let mut q = p.clone();
                        q.household = Some(Membership {
                            household: hid,
                            relationship: j.relationship,
                        });
                        match env.update(q) {
                            Ok(()) => {
                                env.notify(tr!("person-joined-household"));
                                done = true;
                            }
                            Err(e) => env.fail(e.to_string()),
                        }
                    }
                    if ui.button(tr!("form-cancel")).clicked() {
                        done = true;
                    }
                });
            });
            if done {
                self.join = None;
            }
        }
    }
}
