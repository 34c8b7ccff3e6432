//! Attendance at group activities and the team's operators from a row.

use super::*;

/// Attendance at a session of a group activity from a row (the activity created once).
pub(super) fn attendance(
    p: &mut Planner,
    rownum: usize,
    row: &[Cell],
    who: &mut String,
) -> RowResult<RowDone> {
    let activity_id = given_id(p, row, Field::ActivityId)?;
    if let Some(id) = activity_id
        && p.exists::<Activity>(id)
    {
        return Ok(RowDone::Exists);
    }
    let name = p.need(row, Field::ActivityName)?.text();
    let line = required(p, row, Field::Line, &p.catalog.lines, "linea di servizio")?;
    let desk = lookup(p, row, Field::Desk, &p.catalog.desks, "sportello")?;
    let edition = p.text(row, Field::Edition);
    let date = opt_date(p, row, Field::Date)?;
    let title = p.text(row, Field::SessionTitle);
    let archived = archived(p, row)?;
    let key = match activity_id {
        Some(id) => format!("act:{id}"),
        None => format!("act:{}|{}|{}", fold(&name), line.0, fold(&edition)),
    };
    let existing = p.groups.get(&key).copied();
    let mut activity = match existing {
        Some(i) => p.writes.activities[i].clone(),
        None => Activity {
            id: activity_id.unwrap_or_else(fresh_id),
            name,
            line,
            edition,
            desk,
            participants: vec![],
            sessions: vec![],
            archived,
        },
    };
    let mut link = PersonLink::None;
    let person = p.person(rownum, row, Some(Field::PersonId), &mut link, who)?;
    if person.is_some() && date.is_none() {
        p.need(row, Field::Date)?;
    }
    if let Some(date) = date {
        let s = match activity
            .sessions
            .iter()
            .position(|s| s.date == date && s.title == title)
        {
            Some(i) => i,
            None => {
                activity.sessions.push(Session {
                    date,
                    title,
                    attendees: vec![],
                });
                activity.sessions.len() - 1
            }
        };
        if let Some(person) = person {
            if !activity.participants.contains(&person) {
                activity.participants.push(person);
            }
            if !activity.sessions[s].attendees.contains(&person) {
                activity.sessions[s].attendees.push(person);
            }
        }
    }
    let problems = activity.validate(p.opts.today);
    if !problems.is_empty() {
        return Err(p.refuse_problems(
            &problems,
            &[
                ("name", Field::ActivityName),
                ("edition", Field::Edition),
                ("sessions", Field::Date),
            ],
        ));
    }
    match existing {
        Some(i) => p.writes.activities[i] = activity,
        None => {
            p.groups.insert(key, p.writes.activities.len());
            p.writes.activities.push(activity);
        }
    }
    Ok(RowDone::Done {
        person: link,
        record: existing.is_none().then_some(EntityKind::Activity),
    })
}

/// An operator of the team from a row (one already in the team by name is skipped).
pub(super) fn operator(p: &mut Planner, row: &[Cell], who: &mut String) -> RowResult<RowDone> {
    let id = given_id(p, row, Field::Id)?;
    if let Some(id) = id
        && p.exists::<Operator>(id)
    {
        return Ok(RowDone::Exists);
    }
    let (surname, name) = match (p.get(row, Field::Surname), p.get(row, Field::FullName)) {
        (None, Some(full)) => convert::split_full_name(&full.text(), None),
        _ => (
            convert::name_case(&p.text(row, Field::Surname)),
            convert::name_case(&p.text(row, Field::Name)),
        ),
    };
    *who = format!("{surname} {name}");
    let key = fold(&format!("{surname} {name}"));
    let known = p.catalog.operators.iter().any(|o| fold(&o.code) == key)
        || p.writes
            .operators
            .iter()
            .any(|o| fold(&format!("{} {}", o.surname, o.name)) == key);
    if id.is_none() && known {
        return Ok(RowDone::Exists);
    }
    let role = required(p, row, Field::Role, &p.catalog.roles, "ruolo")?;
    let desk = lookup(p, row, Field::Desk, &p.catalog.desks, "sportello")?;
    let active = match p.get(row, Field::Active) {
        Some(v) => v.boolean()?,
        None => true,
    };
    let o = Operator {
        id: id.unwrap_or_else(fresh_id),
        surname,
        name,
        role,
        phone: p.text(row, Field::Phone),
        email: p.text(row, Field::Email),
        desk,
        active,
        archived: archived(p, row)?,
    };
    let problems = o.validate();
    if !problems.is_empty() {
        return Err(p.refuse_problems(
            &problems,
            &[
                ("surname", Field::Surname),
                ("name", Field::Name),
                ("role", Field::Role),
                ("phone", Field::Phone),
                ("email", Field::Email),
            ],
        ));
    }
    p.writes.operators.push(o);
    Ok(RowDone::Done {
        person: PersonLink::None,
        record: Some(EntityKind::Operator),
    })
}
