//! One row → the records it creates, per kind of row: people and households here;
//! contacts, cases and referrals in `events`; projects in `projects`; attendance and
//! operators in `team`. Every value is converted and every record validated with the
//! domain's own rules before it joins the plan; the first problem refuses the row with its
//! column.

use super::catalog::{self, ProjectCode, resolve};
use super::convert;
use super::mapping::{Field, RowKind};
use super::plan::{PersonLink, Planner, Refuse, RowResult, fresh_id};
use super::read::Cell;
use crate::domain::codice_fiscale;
use crate::domain::person::fold;
use crate::domain::*;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime};

mod events;
mod projects;
mod team;

use events::{case, contact, referral};
use projects::project;
pub use projects::{school_and_need, spread_hours};
use team::{attendance, operator};

/// What a planned row does.
pub(crate) enum RowDone {
    /// Its record exists already (same id, same name): nothing to do.
    Exists,
    /// Planned.
    Done {
        /// The person found or created.
        person: PersonLink,
        /// The record the row creates.
        record: Option<EntityKind>,
    },
}

fn refuse(column: impl Into<String>, reason: impl Into<String>) -> Refuse {
    Refuse {
        column: column.into(),
        reason: reason.into(),
    }
}

/// Plans one row of any kind.
pub(crate) fn plan_row(
    p: &mut Planner,
    rownum: usize,
    row: &[Cell],
    who: &mut String,
) -> RowResult<RowDone> {
    match p.mapping.kind {
        RowKind::People => people(p, rownum, row, who),
        RowKind::Households => households(p, rownum, row, who),
        RowKind::Contacts => contact(p, rownum, row, who),
        RowKind::Cases => case(p, rownum, row, who),
        RowKind::Projects => project(p, rownum, row, who),
        RowKind::Referrals => referral(p, rownum, row, who),
        RowKind::Attendance => attendance(p, rownum, row, who),
        RowKind::Operators => operator(p, row, who),
    }
}

/// The record id a row gives (`Field::Id`), if any.
fn given_id(p: &Planner, row: &[Cell], f: Field) -> RowResult<Option<Id>> {
    p.get(row, f).map(|v| v.id()).transpose()
}

fn opt_date(p: &Planner, row: &[Cell], f: Field) -> RowResult<Option<NaiveDate>> {
    p.get(row, f).map(|v| v.date(p.opts.today)).transpose()
}

fn archived(p: &Planner, row: &[Cell]) -> RowResult<bool> {
    Ok(match p.get(row, Field::Archived) {
        Some(v) => v.boolean()?,
        None => false,
    })
}

fn lookup(
    p: &Planner,
    row: &[Cell],
    f: Field,
    entries: &[catalog::Entry],
    what: &str,
) -> RowResult<Option<Id>> {
    match p.get(row, f) {
        Some(v) => resolve(entries, &v.text(), what)
            .map(Some)
            .map_err(|e| v.refuse(e)),
        None => Ok(None),
    }
}

fn required(
    p: &Planner,
    row: &[Cell],
    f: Field,
    entries: &[catalog::Entry],
    what: &str,
) -> RowResult<Id> {
    let v = p.need(row, f)?;
    resolve(entries, &v.text(), what).map_err(|e| v.refuse(e))
}

/// A person from the row's fields (not yet matched).
pub(crate) fn person_from_row(p: &Planner, row: &[Cell]) -> RowResult<Person> {
    let cf = p
        .get(row, Field::CodiceFiscale)
        .map(|v| convert::normalize_cf(&v.text()))
        .filter(|c| !c.is_empty());
    let surname = convert::name_case(&p.text(row, Field::Surname));
    let name = convert::name_case(&p.text(row, Field::Name));
    let (surname, name) = if surname.is_empty() && name.is_empty() {
        match p.get(row, Field::FullName) {
            Some(v) => convert::split_full_name(&v.text(), cf.as_deref()),
            None => (String::new(), String::new()),
        }
    } else {
        (surname, name)
    };
    let name_column = if p.has(Field::FullName) && !p.has(Field::Surname) {
        Field::FullName
    } else {
        Field::Surname
    };
    if surname.is_empty() {
        return Err(refuse(
            p.column_name(name_column),
            "Manca il cognome: la persona non si può registrare senza",
        ));
    }
    let mut person = Person {
        surname,
        name,
        codice_fiscale: cf,
        ..Default::default()
    };
    if let Some(v) = p.get(row, Field::BirthDate) {
        let t = v.text();
        person.birth = if t.len() == 4 && t.chars().all(|c| c.is_ascii_digit()) {
            BirthDate::Year(t.parse().unwrap_or(0))
        } else {
            BirthDate::Exact(v.date(p.opts.today)?)
        };
    }
    if let Some(v) = p.get(row, Field::Sex) {
        person.sex = convert::parse_sex(&v.text()).map_err(|e| v.refuse(e))?;
    }
    if let Some(v) = p.get(row, Field::CfProvisional) {
        person.cf_provisional = v.boolean()?;
    }
    // What the code says fills what the row leaves out.
    if let Some(cf) = &person.codice_fiscale
        && !person.cf_provisional
        && p.next_person_id.is_none()
        && let Ok(info) = codice_fiscale::validate_with_year(cf, p.opts.today.year())
    {
        if person.birth == BirthDate::Unknown {
            person.birth = BirthDate::Exact(info.birth_date);
        }
        if person.sex == Sex::NonIndicato {
            person.sex = info.sex.into();
        }
    }
    person.birthplace = p.text(row, Field::Birthplace);
    person.citizenship = p.text(row, Field::Citizenship);
    person.address = p.text(row, Field::Address);
    person.phone = p.text(row, Field::Phone);
    person.email = p.text(row, Field::Email);
    if let Some(v) = p.get(row, Field::Municipio) {
        person.municipio =
            Some(convert::parse_count(&v.text(), 1, 9).map_err(|e| v.refuse(e))? as u8);
    }
    if let Some(v) = p.get(row, Field::ConsentDate) {
        person.consent = Some(Consent {
            date: v.date(p.opts.today)?,
            scope: String::new(),
        });
    }
    person.archived = archived(p, row)?;
    person.normalize();
    let problems = person.validate(p.opts.today);
    if !problems.is_empty() {
        return Err(p.refuse_problems(
            &problems,
            &[
                ("surname", name_column),
                (
                    "name",
                    if name_column == Field::FullName {
                        Field::FullName
                    } else {
                        Field::Name
                    },
                ),
                ("birth", Field::BirthDate),
                ("codice_fiscale", Field::CodiceFiscale),
                ("birthplace", Field::Birthplace),
                ("citizenship", Field::Citizenship),
                ("address", Field::Address),
                ("municipio", Field::Municipio),
                ("phone", Field::Phone),
                ("email", Field::Email),
                ("consent", Field::ConsentDate),
            ],
        ));
    }
    Ok(person)
}

/// Puts a new person in the household the row names.
pub(crate) fn attach_household(
    p: &mut Planner,
    row: &[Cell],
    person: &mut Person,
) -> RowResult<()> {
    if let Some(h) = p.household(row)? {
        let relationship = p.relationship(row, h)?;
        person.household = Some(Membership {
            household: h,
            relationship,
        });
    }
    Ok(())
}

/// A new household named `name` from the row's fields.
pub(crate) fn household_from_row(p: &Planner, row: &[Cell], name: String) -> RowResult<Household> {
    let id = if p.mapping.kind == RowKind::Households {
        given_id(p, row, Field::Id)?.unwrap_or_else(fresh_id)
    } else {
        Id::new()
    };
    let mut address = p.text(row, Field::HouseholdAddress);
    if address.is_empty() && !p.has(Field::HouseholdAddress) && p.mapping.kind != RowKind::People {
        address = p.text(row, Field::Address);
    }
    let municipio = match p.get(row, Field::Municipio) {
        Some(v) => Some(convert::parse_count(&v.text(), 1, 9).map_err(|e| v.refuse(e))? as u8),
        None => None,
    };
    let h = Household {
        id,
        name,
        address,
        municipio,
        note: String::new(),
        archived: p.mapping.kind == RowKind::Households && archived(p, row)?,
    };
    let problems = h.validate();
    if !problems.is_empty() {
        return Err(p.refuse_problems(
            &problems,
            &[
                ("name", Field::HouseholdName),
                ("address", Field::HouseholdAddress),
                ("municipio", Field::Municipio),
            ],
        ));
    }
    Ok(h)
}

fn people(p: &mut Planner, rownum: usize, row: &[Cell], who: &mut String) -> RowResult<RowDone> {
    let id = given_id(p, row, Field::Id)?;
    if let Some(id) = id
        && p.exists::<Person>(id)
    {
        return Ok(RowDone::Exists);
    }
    // Keep the id the sheet gives (a re-imported export).
    p.next_person_id = id;
    let mut link = PersonLink::None;
    let found = p.person(rownum, row, Some(Field::PersonId), &mut link, who);
    p.next_person_id = None;
    if found?.is_none() {
        return Err(refuse(
            p.column_name(Field::Surname),
            "Manca la persona: indica cognome e nome o il codice fiscale",
        ));
    }
    Ok(RowDone::Done {
        person: link,
        record: None,
    })
}

fn households(
    p: &mut Planner,
    rownum: usize,
    row: &[Cell],
    who: &mut String,
) -> RowResult<RowDone> {
    if let Some(id) = given_id(p, row, Field::Id)? {
        if p.exists::<Household>(id) || p.new_households.contains_key(&id) {
            return Ok(RowDone::Exists);
        }
        // A household with its own id (a re-imported export) is taken as it is.
        let v = p.need(row, Field::HouseholdName)?;
        let h = household_from_row(p, row, v.text())?;
        *who = h.name.clone();
        p.new_households.insert(id, p.writes.households.len());
        p.writes.households.push(h);
        return Ok(RowDone::Done {
            person: PersonLink::None,
            record: Some(EntityKind::Household),
        });
    }
    let before = p.writes.households.len();
    let Some(h) = p.household(row)? else {
        return Err(refuse(
            p.column_name(Field::HouseholdName),
            "Manca il nome del nucleo",
        ));
    };
    let created = p.writes.households.len() > before;
    let mut link = PersonLink::None;
    let mut person_who = String::new();
    p.person(
        rownum,
        row,
        Some(Field::PersonId),
        &mut link,
        &mut person_who,
    )?;
    *who = p
        .writes
        .households
        .iter()
        .find(|x| x.id == h)
        .map(|x| x.name.clone())
        .unwrap_or_default();
    if !person_who.is_empty() {
        *who = format!("{who} — {person_who}");
    }
    if !created && link == PersonLink::None {
        return Ok(RowDone::Exists);
    }
    Ok(RowDone::Done {
        person: link,
        record: created.then_some(EntityKind::Household),
    })
}

/// Whom a contact, case or referral is about.
fn subject(
    p: &mut Planner,
    rownum: usize,
    row: &[Cell],
    link: &mut PersonLink,
    who: &mut String,
) -> RowResult<Subject> {
    if let (Some(k), Some(v)) = (p.get(row, Field::SubjectKind), p.get(row, Field::SubjectId)) {
        let id = v.id()?;
        return match fold(&k.text()).as_str() {
            "persona" | "person" => {
                if p.new_people.contains_key(&id) || p.exists::<Person>(id) {
                    *link = PersonLink::Known;
                    Ok(Subject::Person(id))
                } else {
                    Err(v.refuse(format!("La persona {} non esiste", id.short())))
                }
            }
            "nucleo" | "household" | "famiglia" => {
                if p.new_households.contains_key(&id) || p.exists::<Household>(id) {
                    Ok(Subject::Household(id))
                } else {
                    Err(v.refuse(format!("Il nucleo {} non esiste", id.short())))
                }
            }
            other => Err(k.refuse(format!("«{other}» non è «persona» né «nucleo»"))),
        };
    }
    if p.mapping.about_household {
        let h = p.household(row)?.ok_or_else(|| {
            refuse(
                p.column_name(Field::HouseholdName),
                "Manca il nucleo familiare",
            )
        })?;
        p.person(rownum, row, Some(Field::PersonId), link, who)?;
        let name = p
            .writes
            .households
            .iter()
            .find(|x| x.id == h)
            .map(|x| x.name.clone())
            .or_else(|| p.reader.get::<Household>(h).ok().flatten().map(|x| x.name))
            .unwrap_or_default();
        *who = if who.is_empty() {
            name
        } else {
            format!("{name} — {who}")
        };
        return Ok(Subject::Household(h));
    }
    match p.person(rownum, row, Some(Field::PersonId), link, who)? {
        Some(id) => Ok(Subject::Person(id)),
        None => Err(refuse(
            p.column_name(if p.has(Field::FullName) {
                Field::FullName
            } else {
                Field::Surname
            }),
            "Manca la persona: indica cognome e nome, il codice fiscale o l'identificativo",
        )),
    }
}

fn operator_of(p: &Planner, row: &[Cell]) -> RowResult<Option<Id>> {
    lookup(p, row, Field::Operator, &p.catalog.operators, "operatore")
}
