//! Projects from a row: the kind, its detail, and the hours done spread over days.

use super::*;

/// Hours done spread over days from `start`, at most 8 a day (24 when the period is too
/// short for 8), never after `end` or today.
pub fn spread_hours(
    minutes: u32,
    start: NaiveDate,
    end: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Vec<(NaiveDate, u32)>, String> {
    if minutes == 0 {
        return Ok(vec![]);
    }
    let last = end.map_or(today, |e| e.min(today));
    for per_day in [8 * 60, 24 * 60] {
        let days = minutes.div_ceil(per_day);
        if start + Duration::days(days as i64 - 1) <= last {
            let mut out = Vec::with_capacity(days as usize);
            let mut left = minutes;
            for d in 0..days {
                let m = left.min(per_day);
                out.push((start + Duration::days(d as i64), m));
                left -= m;
            }
            return Ok(out);
        }
    }
    Err(format!(
        "{} ore svolte non stanno tra l'inizio ({}) e {} (al massimo 24 ore al giorno)",
        crate::domain::project::fmt_hours(minutes as u64),
        crate::domain::time::fmt_date(start),
        if end.is_some_and(|e| e < today) {
            "la fine"
        } else {
            "oggi"
        }
    ))
}

/// A project of the row's kind from a row.
pub(super) fn project(
    p: &mut Planner,
    rownum: usize,
    row: &[Cell],
    who: &mut String,
) -> RowResult<RowDone> {
    let id = given_id(p, row, Field::Id)?;
    if let Some(id) = id
        && p.exists::<Project>(id)
    {
        return Ok(RowDone::Exists);
    }
    let kind_v = p.need(row, Field::Kind)?;
    let code = catalog::project_kind(&kind_v.text()).map_err(|e| kind_v.refuse(e))?;
    let line = required(p, row, Field::Line, &p.catalog.lines, "linea di servizio")?;
    let start = p.need(row, Field::Date)?.date(p.opts.today)?;
    let end = opt_date(p, row, Field::EndDate)?;
    let operator = operator_of(p, row)?;
    let detail = p.text(row, Field::Detail);
    let done = match p.get(row, Field::HoursDone) {
        Some(v) => {
            let m = v.hours()?;
            spread_hours(m, start, end, p.opts.today).map_err(|e| v.refuse(e))?
        }
        None => vec![],
    };
    let kind = match code {
        ProjectCode::Tirocinio => ProjectKind::Tirocinio {
            host: detail,
            hours_per_week: 0,
            allowance_cents: 0,
            attendance: done
                .iter()
                .map(|(date, m)| Attendance {
                    date: *date,
                    present: true,
                    minutes: *m as u16,
                    note: String::new(),
                })
                .collect(),
        },
        ProjectCode::MessaAllaProva => {
            let v = p.need(row, Field::HoursRequired)?;
            let hours_required = v.hours()?.div_ceil(60);
            ProjectKind::MessaAllaProva {
                uepe_office: detail,
                court: String::new(),
                court_file: String::new(),
                hours_required,
                ledger: done
                    .iter()
                    .map(|(date, m)| HoursEntry {
                        date: *date,
                        minutes: *m,
                        activity: "Ore riportate dal foglio di calcolo".into(),
                    })
                    .collect(),
            }
        }
        ProjectCode::CaseManager => {
            let referente = if detail.is_empty() {
                None
            } else {
                resolve(&p.catalog.operators, &detail, "operatore").ok()
            };
            ProjectKind::CaseManager {
                referente,
                plan: if referente.is_some() {
                    String::new()
                } else {
                    detail
                },
            }
        }
        ProjectCode::SostegnoStudio => {
            let (school, need) = school_and_need(&detail);
            ProjectKind::SostegnoStudio {
                school,
                class: String::new(),
                need,
                hours_per_week: 0,
            }
        }
    };
    let archived = archived(p, row)?;
    let mut link = PersonLink::None;
    let person = p
        .person(rownum, row, Some(Field::PersonId), &mut link, who)?
        .ok_or_else(|| {
            refuse(
                p.column_name(Field::Surname),
                "Manca la persona: indica cognome e nome, il codice fiscale o l'identificativo",
            )
        })?;
    let pr = Project {
        id: id.unwrap_or_else(fresh_id),
        person,
        line,
        start,
        end,
        operator,
        kind,
        note: String::new(),
        archived,
    };
    let problems = pr.validate(p.opts.today);
    if !problems.is_empty() {
        return Err(p.refuse_problems(
            &problems,
            &[
                ("start", Field::Date),
                ("end", Field::EndDate),
                ("host", Field::Detail),
                ("school", Field::Detail),
                ("uepe_office", Field::Detail),
                ("hours_required", Field::HoursRequired),
                ("ledger", Field::HoursDone),
                ("attendance", Field::HoursDone),
            ],
        ));
    }
    p.writes.projects.push(pr);
    Ok(RowDone::Done {
        person: link,
        record: Some(EntityKind::Project),
    })
}

/// "Scuola Manzoni (BES e DSA)" → ("Scuola Manzoni", BesDsa); without a known suffix the
/// whole text is the school and the need is BES.
pub fn school_and_need(detail: &str) -> (String, SchoolNeed) {
    for need in [SchoolNeed::BesDsa, SchoolNeed::Bes, SchoolNeed::Dsa] {
        let suffix = format!(" ({})", need.label());
        if let Some(school) = detail.strip_suffix(&suffix) {
            return (school.to_string(), need);
        }
    }
    (detail.to_string(), SchoolNeed::Bes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn schools() {
        assert_eq!(
            school_and_need("Scuola Manzoni (BES e DSA)"),
            ("Scuola Manzoni".into(), SchoolNeed::BesDsa)
        );
        assert_eq!(school_and_need("Itis"), ("Itis".into(), SchoolNeed::Bes));
    }

    proptest! {
        #[test]
        fn hours_spread_keep_their_sum_and_period(minutes in 0u32..200_000, offset in 0i64..2000, length in prop::option::of(0i64..800)) {
            let today = d(2026, 6, 1);
            let start = today - Duration::days(offset);
            let end = length.map(|l| start + Duration::days(l));
            match spread_hours(minutes, start, end, today) {
                Ok(days) => {
                    prop_assert_eq!(days.iter().map(|(_, m)| *m).sum::<u32>(), minutes);
                    for (day, m) in &days {
                        prop_assert!(*m <= 24 * 60 && *m > 0);
                        prop_assert!(*day >= start && *day <= today);
                        prop_assert!(end.is_none_or(|e| *day <= e));
                    }
                }
                Err(e) => prop_assert!(e.contains("non stanno")),
            }
        }
    }
}
