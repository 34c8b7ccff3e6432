//! The Persona form: registry data with inline validation, the codice fiscale filling in
//! birth date and sex, and possible duplicates shown while a new person is typed.

use super::data::{PersonRow, within_one_edit};
use super::forms::{ArchiveButton, FormEvent, FormShell, Recheck, store_problems};
use super::person_cf::{CfTaken, cf_holders, cf_notes};
use super::widgets::{self, FIELD_WIDTH, date_row, text_row, text_row_hint};
use super::{Env, Route, labels};
use crate::domain::codice_fiscale;
use crate::domain::person::fold;
use crate::domain::time::{fmt_date, parse_date, today};
use crate::domain::*;
use crate::tr;
use egui::{RichText, Ui};

/// The fields as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Draft {
    surname: String,
    name: String,
    sex: Sex,
    birth: String,
    year_only: bool,
    birthplace: String,
    cf: String,
    cf_provisional: bool,
    citizenship: String,
    address: String,
    municipio: Option<u8>,
    phone: String,
    email: String,
    consent: String,
    consent_scope: String,
    note: String,
}

impl Draft {
    fn of(p: &Person) -> Draft {
        let (birth, year_only) = match p.birth {
            BirthDate::Unknown => (String::new(), false),
            BirthDate::Year(y) => (y.to_string(), true),
            BirthDate::Exact(d) => (fmt_date(d), false),
        };
        Draft {
            surname: p.surname.clone(),
            name: p.name.clone(),
            sex: p.sex,
            birth,
            year_only,
            birthplace: p.birthplace.clone(),
            cf: p.codice_fiscale.clone().unwrap_or_default(),
            cf_provisional: p.cf_provisional,
            citizenship: p.citizenship.clone(),
            address: p.address.clone(),
            municipio: p.municipio,
            phone: p.phone.clone(),
            email: p.email.clone(),
            consent: p
                .consent
                .as_ref()
                .map(|c| fmt_date(c.date))
                .unwrap_or_default(),
            consent_scope: p
                .consent
                .as_ref()
                .map(|c| c.scope.clone())
                .unwrap_or_default(),
            note: p.note.clone(),
        }
    }

    /// The person these fields describe, and what is wrong with them.
    fn build(&self, base: &Person) -> (Person, Problems) {
        let mut p = Problems::default();
        let birth = if self.birth.trim().is_empty() {
            BirthDate::Unknown
        } else if self.year_only {
            match self.birth.trim().parse::<i32>() {
                Ok(y) => BirthDate::Year(y),
                Err(_) => {
                    p.add("birth", "Scrivi solo l'anno di nascita (es. 1980)");
                    BirthDate::Unknown
                }
            }
        } else {
            widgets::opt_date(&mut p, "birth", &self.birth)
                .map(BirthDate::Exact)
                .unwrap_or_default()
        };
        let consent = widgets::opt_date(&mut p, "consent", &self.consent).map(|date| Consent {
            date,
            scope: self.consent_scope.trim().to_string(),
        });
        if consent.is_none()
            && !self.consent_scope.trim().is_empty()
            && !p.0.iter().any(|e| e.field == "consent")
        {
            p.add("consent", "Indica la data del consenso");
        }
        let mut person = Person {
            surname: self.surname.clone(),
            name: self.name.clone(),
            sex: self.sex,
            birth,
            birthplace: self.birthplace.clone(),
            codice_fiscale: Some(self.cf.clone()),
            cf_provisional: self.cf_provisional,
            citizenship: self.citizenship.clone(),
            address: self.address.clone(),
            municipio: self.municipio,
            phone: self.phone.clone(),
            email: self.email.clone(),
            consent,
            note: self.note.clone(),
            ..base.clone()
        };
        person.normalize();
        p.merge(person.validate(today()));
        (person, p)
    }
}

/// Why someone may already be registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    SameCf,
    SameNameBirth,
    Similar,
}

/// The Persona form (new or edit).
pub struct PersonForm {
    base: Person,
    is_new: bool,
    draft: Draft,
    initial: Draft,
    problems: Problems,
    recheck: Recheck<Draft>,
    shell: FormShell,
    archive: ArchiveButton,
    dup_key: Option<(String, String, String)>,
    duplicates: Vec<(Id, Why)>,
    last_cf: String,
    cf_taken: Option<CfTaken>,
    focus: bool,
}

impl PersonForm {
    /// A new person; `typed` ("Cognome Nome") pre-fills the names.
    pub fn new(typed: &str) -> Self {
        let mut draft = Draft::default();
        let words: Vec<&str> = typed.split_whitespace().collect();
        if !words.is_empty()
            && words
                .iter()
                .all(|w| w.chars().all(|c| c.is_alphabetic() || "'’-.".contains(c)))
        {
            draft.surname = words[0].to_string();
            draft.name = words[1..].join(" ");
        }
        PersonForm {
            base: Person::default(),
            is_new: true,
            initial: Draft::default(),
            draft,
            problems: Problems::default(),
            recheck: Recheck::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
            dup_key: None,
            duplicates: vec![],
            last_cf: String::new(),
            cf_taken: None,
            focus: true,
        }
    }

    /// An existing person.
    pub fn edit(p: Person) -> Self {
        let draft = Draft::of(&p);
        PersonForm {
            last_cf: draft.cf.clone(),
            base: p,
            is_new: false,
            initial: draft.clone(),
            draft,
            problems: Problems::default(),
            recheck: Recheck::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
            dup_key: None,
            duplicates: vec![],
            cf_taken: None,
            focus: true,
        }
    }

    /// When a valid codice fiscale is typed, fill in an empty birth date and sex.
    fn fill_from_cf(&mut self) {
        if self.draft.cf == self.last_cf {
            return;
        }
        self.last_cf = self.draft.cf.clone();
        if self.draft.cf_provisional {
            return;
        }
        if let Ok(info) =
            codice_fiscale::validate_with_year(&self.draft.cf, chrono::Datelike::year(&today()))
        {
            if self.draft.birth.trim().is_empty() {
                self.draft.birth = fmt_date(info.birth_date);
                self.draft.year_only = false;
            }
            if self.draft.sex == Sex::NonIndicato {
                self.draft.sex = info.sex.into();
            }
        }
    }

    /// Looks for people who may be the same (only when the relevant fields changed).
    fn find_duplicates(&mut self, env: &Env) {
        let key = fold(&format!("{} {}", self.draft.surname, self.draft.name));
        let cf = codice_fiscale::normalize(&self.draft.cf);
        let k = (key.clone(), cf.clone(), self.draft.birth.clone());
        if self.dup_key.as_ref() == Some(&k) {
            return;
        }
        self.dup_key = Some(k);
        let mut out: Vec<(Id, Why)> = Vec::new();
        let me = self.base.id;
        if cf.len() >= 11
            && let Ok(r) = env.read()
            && let Ok(found) = r.people_by_cf(&cf)
        {
            out.extend(
                found
                    .iter()
                    .filter(|p| p.id != me)
                    .map(|p| (p.id, Why::SameCf)),
            );
        }
        let birth = parse_date(&self.draft.birth);
        if key.len() >= 3 {
            let people = &env.data.people;
            let same = |r: &PersonRow| {
                r.key == key
                    && birth.is_some()
                    && matches!(r.birth, BirthDate::Exact(d) if Some(d) == birth)
            };
            for r in people.rows() {
                if r.id == me || r.archived || out.iter().any(|(i, _)| *i == r.id) {
                    continue;
                }
                if same(r) {
                    out.push((r.id, Why::SameNameBirth));
                } else if key.chars().count() >= 7 && within_one_edit(&r.key, &key) {
                    out.push((r.id, Why::Similar));
                }
                if out.len() >= 8 {
                    break;
                }
            }
        }
        self.duplicates = out;
    }

    fn save(&mut self, env: &mut Env) -> bool {
        let (person, problems) = self.draft.build(&self.base);
        // Asked together with the other problems, so every message shows at once.
        let cf_ok = self.cf_confirmed(env, &person);
        if !problems.is_empty() {
            self.problems = problems;
            return false;
        }
        if !cf_ok {
            return false;
        }
        let result = if self.is_new {
            env.insert(person).map(Some)
        } else {
            env.update(person).map(|()| None)
        };
        match result {
            Ok(Some(id)) => {
                env.notify(tr!("person-saved-new"));
                env.goto(Route::Person(id));
                true
            }
            Ok(None) => {
                env.notify(tr!("person-saved"));
                true
            }
            Err(e) => {
                self.problems = store_problems(e, env);
                false
            }
        }
    }

    /// False (and the question shown) when another person already holds the codice fiscale
    /// and the operator has not confirmed that the same code is meant. Asked of the store's
    /// index by codice fiscale at every save.
    fn cf_confirmed(&mut self, env: &mut Env, person: &Person) -> bool {
        let Some(cf) = person.codice_fiscale.clone() else {
            return true;
        };
        let holders = match cf_holders(env, &cf, self.base.id) {
            Ok(h) => h,
            Err(e) => {
                env.fail(e.to_string());
                return false;
            }
        };
        if holders.is_empty()
            || self
                .cf_taken
                .as_ref()
                .is_some_and(|t| t.cf == cf && t.confirmed)
        {
            return true;
        }
        self.cf_taken = Some(CfTaken {
            cf,
            holders,
            confirmed: false,
        });
        false
    }

    /// True when the fields differ from what was loaded.
    pub fn dirty(&self) -> bool {
        self.draft != self.initial
    }

    /// Shows the form; true when it closed.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) -> bool {
        self.fill_from_cf();
        if self.is_new {
            self.find_duplicates(env);
        }
        let title = if self.is_new {
            tr!("person-new-title")
        } else {
            tr!("person-edit-title", name = self.base.full_name())
        };
        if self.recheck.due(&self.draft, &self.problems) {
            let fresh = self.draft.build(&self.base).1;
            self.recheck.apply(&self.draft, &mut self.problems, fresh);
        }
        let dirty = self.dirty();
        self.shell.suspend_keys = self.archive.busy();
        let mut goto = None;
        let mut archived = false;
        let ctx = ui.ctx().clone();
        let (event, ()) = self.shell.show(&ctx, "person", &title, dirty, 620.0, |ui| {
            let p = &self.problems;
            let d = &mut self.draft;
            egui::Grid::new("person-grid")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
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
                    let cf_label = widgets::label(ui, &tr!("person-cf"));
                    ui.vertical(|ui| {
                        ui.horizontal(|ui| {
                            ui.add(
                                egui::TextEdit::singleline(&mut d.cf)
                                    .desired_width(200.0)
                                    .hint_text(tr!("person-cf-hint")),
                            )
                            .labelled_by(cf_label.id);
                            ui.checkbox(&mut d.cf_provisional, tr!("person-cf-provisional"))
                                .on_hover_text(tr!("person-cf-provisional-hint"));
                        });
                        cf_notes(
                            ui,
                            (&d.cf, d.cf_provisional),
                            (&d.surname, &d.name),
                            &mut self.cf_taken,
                        );
                        widgets::problem(ui, p.for_field("codice_fiscale"));
                    });
                    ui.end_row();
                    let sexes: Vec<(Sex, String)> = [Sex::NonIndicato, Sex::F, Sex::M]
                        .into_iter()
                        .map(|s| (s, labels::sex(s)))
                        .collect();
                    widgets::choice_row(ui, &tr!("person-sex"), &mut d.sex, &sexes, None);
                    let bl = widgets::label(ui, &tr!("person-birth"));
                    ui.vertical(|ui| {
                        ui.horizontal(|ui| {
                            if d.year_only {
                                ui.add(
                                    egui::TextEdit::singleline(&mut d.birth)
                                        .desired_width(110.0)
                                        .hint_text("aaaa"),
                                )
                                .labelled_by(bl.id);
                            } else {
                                widgets::date_edit(ui, "person-birth", &mut d.birth, bl.id);
                            }
                            ui.checkbox(&mut d.year_only, tr!("person-year-only"));
                        });
                        widgets::problem(ui, p.for_field("birth"));
                    });
                    ui.end_row();
                    text_row(
                        ui,
                        &tr!("person-birthplace"),
                        &mut d.birthplace,
                        p.for_field("birthplace"),
                    );
                    text_row(
                        ui,
                        &tr!("person-citizenship"),
                        &mut d.citizenship,
                        p.for_field("citizenship"),
                    );
                    text_row(
                        ui,
                        &tr!("person-address"),
                        &mut d.address,
                        p.for_field("address"),
                    );
                    let mut opts = vec![(None, "—".to_string())];
                    opts.extend((1..=9u8).map(|m| (Some(m), m.to_string())));
                    widgets::choice_row(
                        ui,
                        &tr!("person-municipio"),
                        &mut d.municipio,
                        &opts,
                        p.for_field("municipio"),
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
                    date_row(
                        ui,
                        &tr!("person-consent"),
                        "person-consent",
                        &mut d.consent,
                        p.for_field("consent"),
                    );
                    text_row(ui, &tr!("person-consent-scope"), &mut d.consent_scope, None);
                    widgets::multiline_row(
                        ui,
                        &tr!("person-note"),
                        &mut d.note,
                        p.for_field("note"),
                    );
                });
            widgets::other_problems(
                ui,
                &self.problems,
                &[
                    "surname",
                    "name",
                    "codice_fiscale",
                    "birth",
                    "birthplace",
                    "citizenship",
                    "address",
                    "municipio",
                    "phone",
                    "email",
                    "consent",
                    "note",
                ],
            );
            if !self.duplicates.is_empty() {
                ui.add_space(6.0);
                egui::Frame::group(ui.style())
                    .fill(ui.visuals().warn_fg_color.gamma_multiply(0.12))
                    .show(ui, |ui| {
                        ui.set_width(FIELD_WIDTH + 200.0);
                        ui.label(
                            RichText::new(tr!("person-duplicates"))
                                .strong()
                                .color(ui.visuals().warn_fg_color),
                        );
                        for (id, why) in &self.duplicates {
                            let Some(r) = env.data.people.get(*id) else {
                                continue;
                            };
                            let reason = match why {
                                Why::SameCf => tr!("person-dup-cf"),
                                Why::SameNameBirth => tr!("person-dup-name-birth"),
                                Why::Similar => tr!("person-dup-similar"),
                            };
                            let text = format!(
                                "{} — {} {} ({reason})",
                                r.full_name(),
                                r.birth.display(),
                                r.cf
                            );
                            if ui
                                .link(text)
                                .on_hover_text(tr!("person-dup-open"))
                                .clicked()
                            {
                                goto = Some(*id);
                            }
                        }
                    });
            }
            if !self.is_new {
                ui.add_space(6.0);
                archived = self
                    .archive
                    .ui::<Person>(ui, env, self.base.id, self.base.archived);
            }
        });
        if archived {
            return true;
        }
        // Opening a possible duplicate leaves the form: with something typed, ask first.
        if let Some(id) = goto
            && let Some(route) = self.shell.leave(Route::Person(id), dirty)
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
