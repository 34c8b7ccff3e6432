//! Contacts, cases and referrals from a row.

use super::*;

/// A contact (accesso) from a row.
pub(super) fn contact(
    p: &mut Planner,
    rownum: usize,
    row: &[Cell],
    who: &mut String,
) -> RowResult<RowDone> {
    let id = given_id(p, row, Field::Id)?;
    if let Some(id) = id
        && p.exists::<Contact>(id)
    {
        return Ok(RowDone::Exists);
    }
    // Values first, so a refused row leaves no person behind it.
    let date_v = p.need(row, Field::Date)?;
    let date = date_v.date(p.opts.today)?;
    let time = match p.get(row, Field::Time) {
        Some(v) => convert::parse_time(&v.text()).map_err(|e| v.refuse(e))?,
        None => match &date_v.cell {
            Cell::Date(d) if d.time() != NaiveTime::MIN => d.time(),
            Cell::Text(t) => convert::parse_datetime(t, p.opts.today)
                .map(|d| d.time())
                .ok()
                .filter(|t| *t != NaiveTime::MIN)
                .unwrap_or(NaiveTime::from_hms_opt(9, 0, 0).expect("9:00")),
            _ => NaiveTime::from_hms_opt(9, 0, 0).expect("9:00"),
        },
    };
    let line = required(p, row, Field::Line, &p.catalog.lines, "linea di servizio")?;
    let desk = required(p, row, Field::Desk, &p.catalog.desks, "sportello")?;
    let operator = match operator_of(p, row)? {
        Some(o) => o,
        None if p.opts.actor != Id::NIL => p.opts.actor,
        None => {
            return Err(refuse(
                p.column_name(Field::Operator),
                "Manca l'operatore: indica una colonna o un valore fisso",
            ));
        }
    };
    let measure = lookup(
        p,
        row,
        Field::Measure,
        &p.catalog.measures,
        "bando o misura",
    )?;
    let kind = match p.get(row, Field::Kind) {
        Some(v) => catalog::contact_kind(&v.text()).map_err(|e| v.refuse(e))?,
        None if measure.is_some() => ContactKind::Pratiche,
        None => ContactKind::Informazione,
    };
    let minutes = match p.get(row, Field::Minutes) {
        Some(v) => convert::parse_count(&v.text(), 0, 24 * 60).map_err(|e| v.refuse(e))? as u16,
        None => 0,
    };
    let note = p.text(row, Field::Note);
    let archived = archived(p, row)?;
    let mut link = PersonLink::None;
    let subject = subject(p, rownum, row, &mut link, who)?;
    let c = Contact {
        id: id.unwrap_or_else(fresh_id),
        at: date.and_time(time),
        subject,
        line,
        desk,
        operator,
        kind,
        measure,
        minutes,
        note,
        confidential: false,
        archived,
    };
    let problems = c.validate(p.opts.today);
    if !problems.is_empty() {
        return Err(p.refuse_problems(
            &problems,
            &[
                ("at", Field::Date),
                ("minutes", Field::Minutes),
                ("note", Field::Note),
                ("operator", Field::Operator),
            ],
        ));
    }
    p.writes.contacts.push(c);
    Ok(RowDone::Done {
        person: link,
        record: Some(EntityKind::Contact),
    })
}

/// A case (presa in carico) from a row: one per subject, line and opening day.
pub(super) fn case(
    p: &mut Planner,
    rownum: usize,
    row: &[Cell],
    who: &mut String,
) -> RowResult<RowDone> {
    let id = given_id(p, row, Field::Id)?;
    if let Some(id) = id
        && p.exists::<Case>(id)
    {
        return Ok(RowDone::Exists);
    }
    let opened = p.need(row, Field::Date)?.date(p.opts.today)?;
    let closed = opt_date(p, row, Field::EndDate)?;
    let line = required(p, row, Field::Line, &p.catalog.lines, "linea di servizio")?;
    let status = match p.get(row, Field::Status) {
        Some(v) => catalog::case_status(&v.text()).map_err(|e| v.refuse(e))?,
        None if closed.is_some() => CaseStatus::Chiusa,
        None => CaseStatus::Aperta,
    };
    let referente = operator_of(p, row)?;
    let need = p.text(row, Field::Need);
    let outcome = p.text(row, Field::Outcome);
    let archived = archived(p, row)?;
    let mut link = PersonLink::None;
    let subject = subject(p, rownum, row, &mut link, who)?;
    let c = Case {
        id: id.unwrap_or_else(fresh_id),
        subject,
        line,
        opened,
        closed,
        status,
        referente,
        team: vec![],
        need,
        plan: vec![],
        outcome,
        archived,
    };
    let problems = c.validate(p.opts.today);
    if !problems.is_empty() {
        return Err(p.refuse_problems(
            &problems,
            &[
                ("opened", Field::Date),
                ("closed", Field::EndDate),
                ("status", Field::Status),
                ("need", Field::Need),
                ("outcome", Field::Outcome),
            ],
        ));
    }
    // One case per subject, line and opening day: the other members' rows add people only.
    let key = format!("case:{:?}:{}:{}", subject, line.0, opened);
    if id.is_none() && p.groups.contains_key(&key) {
        return Ok(RowDone::Done {
            person: link,
            record: None,
        });
    }
    p.groups.insert(key, p.writes.cases.len());
    p.writes.cases.push(c);
    Ok(RowDone::Done {
        person: link,
        record: Some(EntityKind::Case),
    })
}

/// A referral to the territorial network from a row.
pub(super) fn referral(
    p: &mut Planner,
    rownum: usize,
    row: &[Cell],
    who: &mut String,
) -> RowResult<RowDone> {
    let id = given_id(p, row, Field::Id)?;
    if let Some(id) = id
        && p.exists::<Referral>(id)
    {
        return Ok(RowDone::Exists);
    }
    let date = p.need(row, Field::Date)?.date(p.opts.today)?;
    let service = required(
        p,
        row,
        Field::Service,
        &p.catalog.services,
        "servizio territoriale",
    )?;
    let line = lookup(p, row, Field::Line, &p.catalog.lines, "linea di servizio")?;
    let operator = operator_of(p, row)?;
    let follow_up = opt_date(p, row, Field::FollowUp)?;
    let outcome = match p.get(row, Field::Outcome) {
        Some(v) => catalog::referral_outcome(&v.text()).map_err(|e| v.refuse(e))?,
        None => ReferralOutcome::InAttesa,
    };
    let reason = p.text(row, Field::Note);
    let archived = archived(p, row)?;
    let mut link = PersonLink::None;
    let subject = subject(p, rownum, row, &mut link, who)?;
    let r = Referral {
        id: id.unwrap_or_else(fresh_id),
        subject,
        date,
        service,
        line,
        operator,
        reason,
        follow_up,
        outcome,
        outcome_note: String::new(),
        archived,
    };
    let problems = r.validate(p.opts.today);
    if !problems.is_empty() {
        return Err(p.refuse_problems(
            &problems,
            &[
                ("date", Field::Date),
                ("service", Field::Service),
                ("reason", Field::Note),
                ("follow_up", Field::FollowUp),
            ],
        ));
    }
    p.writes.referrals.push(r);
    Ok(RowDone::Done {
        person: link,
        record: Some(EntityKind::Referral),
    })
}
