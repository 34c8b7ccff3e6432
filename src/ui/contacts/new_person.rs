//! A person registered in the same dialog as their first contact: the fields, the people
//! already registered with the same name, and the person record built from what was typed.

use super::form::ContactForm;
use crate::domain::person::fold;
use crate::domain::time::today;
use crate::domain::*;
use crate::tr;
use crate::ui::data::Data;
use crate::ui::widgets::{self, SubjectPicker, text_row};
use egui::Ui;

/// A person registered in the same dialog as their first contact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct NewPerson {
    pub(super) surname: String,
    pub(super) name: String,
    pub(super) birth: String,
    pub(super) cf: String,
}

/// The new person's rows of the contact grid, and below them the people already registered
/// with the same name; returns the one clicked to choose them instead.
pub(super) fn new_person_rows(
    ui: &mut Ui,
    data: &Data,
    n: &mut NewPerson,
    pp: &Problems,
    focus_new: &mut bool,
    same_name: &mut Option<(String, Vec<Id>)>,
) -> Option<Id> {
    let mut goto_person = None;
    let r = text_row(
        ui,
        &tr!("person-surname"),
        &mut n.surname,
        pp.for_field("surname"),
    );
    if *focus_new {
        r.request_focus();
        *focus_new = false;
    }
    text_row(ui, &tr!("person-name"), &mut n.name, pp.for_field("name"));
    widgets::date_row(
        ui,
        &tr!("person-birth"),
        "contact-new-birth",
        &mut n.birth,
        pp.for_field("birth"),
    );
    widgets::text_row_hint(
        ui,
        &tr!("person-cf"),
        &mut n.cf,
        &tr!("optional"),
        pp.for_field("codice_fiscale"),
    );
    // The same name already registered: choose them instead.
    let key = fold(&format!("{} {}", n.surname, n.name));
    if key.len() >= 5 {
        if same_name.as_ref().is_none_or(|(k, _)| *k != key) {
            let found = data
                .people
                .rows()
                .iter()
                .filter(|r| !r.archived && r.key == key)
                .take(4)
                .map(|r| r.id)
                .collect();
            *same_name = Some((key.clone(), found));
        }
        let same: Vec<Id> = same_name
            .as_ref()
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        if !same.is_empty() {
            ui.label("");
            ui.vertical(|ui| {
                ui.colored_label(ui.visuals().warn_fg_color, tr!("contact-same-name"));
                for id in same {
                    let text = SubjectPicker::describe(data, Subject::Person(id));
                    if ui.link(text).clicked() {
                        goto_person = Some(id);
                    }
                }
            });
            ui.end_row();
        }
    }
    goto_person
}

impl ContactForm {
    pub(super) fn new_person(&self) -> Option<(Person, Problems)> {
        let n = self.draft.new_person.as_ref()?;
        let mut p = Problems::default();
        let birth = if n.birth.trim().is_empty() {
            BirthDate::Unknown
        } else {
            widgets::opt_date(&mut p, "birth", &n.birth)
                .map(BirthDate::Exact)
                .unwrap_or_default()
        };
        let mut person = Person {
            surname: n.surname.clone(),
            name: n.name.clone(),
            birth,
            codice_fiscale: Some(n.cf.clone()),
            ..Default::default()
        };
        person.normalize();
        if let Some(cf) = &person.codice_fiscale
            && let Ok(info) = crate::domain::codice_fiscale::validate(cf)
        {
            person.sex = info.sex.into();
            if person.birth == BirthDate::Unknown {
                person.birth = BirthDate::Exact(info.birth_date);
            }
        }
        p.merge(person.validate(today()));
        Some((person, p))
    }
}
