//! The person's cartella gathered from one snapshot (a [`Reader`] made for the session, so
//! only what the role may see) and laid out as an A4 PDF.

use super::pdf::{Document, Header, Style};
use crate::domain::time::{fmt_date, fmt_datetime};
use crate::domain::*;
use crate::store::{Entity, Reader, StoreError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The sections of the printed cartella, in print order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Section {
    /// Registry data (anagrafica) and consent.
    Anagrafica,
    /// The household and its members.
    Nucleo,
    /// Contacts (accessi).
    Accessi,
    /// Cases with their plan and goals.
    PreseInCarico,
    /// Projects.
    Progetti,
    /// Referrals to the network.
    Invii,
    /// Group activities.
    Attivita,
}

impl Section {
    /// Every section, in print order.
    pub const ALL: [Section; 7] = [
        Section::Anagrafica,
        Section::Nucleo,
        Section::Accessi,
        Section::PreseInCarico,
        Section::Progetti,
        Section::Invii,
        Section::Attivita,
    ];

    /// The heading printed for the section.
    pub fn heading(self) -> &'static str {
        match self {
            Section::Anagrafica => "Dati anagrafici",
            Section::Nucleo => "Nucleo familiare",
            Section::Accessi => "Accessi e colloqui",
            Section::PreseInCarico => "Prese in carico",
            Section::Progetti => "Progetti",
            Section::Invii => "Invii alla rete",
            Section::Attivita => "Attività di gruppo",
        }
    }

    /// The section by its command-line name (`anagrafica`, `nucleo`, `accessi`, `prese`,
    /// `progetti`, `invii`, `attivita`).
    pub fn parse(s: &str) -> Option<Section> {
        Some(match s.trim().to_lowercase().as_str() {
            "anagrafica" => Section::Anagrafica,
            "nucleo" => Section::Nucleo,
            "accessi" => Section::Accessi,
            "prese" | "prese-in-carico" => Section::PreseInCarico,
            "progetti" => Section::Progetti,
            "invii" => Section::Invii,
            "attivita" | "attività" => Section::Attivita,
            _ => return None,
        })
    }
}

/// What to print: the sections, the period (records outside it are left out; registry data
/// and the household always print in full) and the header's desk.
#[derive(Debug, Clone)]
pub struct CartellaOptions {
    /// The sections, printed in [`Section::ALL`]'s order.
    pub sections: Vec<Section>,
    /// From this day (included).
    pub from: Option<NaiveDate>,
    /// To this day (included).
    pub to: Option<NaiveDate>,
    /// The desk named in the header (default: the desk of the person's latest contact).
    pub desk: Option<String>,
    /// Leave out the other household members' data (art. 15 review).
    pub omit_household_members: bool,
    /// Leave out confidential notes even where the session may read them (art. 15 review).
    pub omit_confidential_notes: bool,
}

impl Default for CartellaOptions {
    fn default() -> Self {
        CartellaOptions {
            sections: Section::ALL.to_vec(),
            from: None,
            to: None,
            desk: None,
            omit_household_members: false,
            omit_confidential_notes: false,
        }
    }
}

impl CartellaOptions {
    fn has(&self, s: Section) -> bool {
        self.sections.contains(&s)
    }
    /// Whether a day is within the period.
    pub fn within(&self, d: NaiveDate) -> bool {
        self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d <= t)
    }
    /// Whether a period (start … end or still open) overlaps the chosen one.
    pub fn overlaps(&self, start: NaiveDate, end: Option<NaiveDate>) -> bool {
        self.to.is_none_or(|t| start <= t) && self.from.is_none_or(|f| end.is_none_or(|e| e >= f))
    }
}

/// The cooperative's name printed in every header.
pub const COOPERATIVE: &str = "Cooperativa sociale — Servizio di Accoglienza Sociale";

/// Everything about one person that the session may see, from one snapshot.
#[derive(Debug, Clone, Default)]
pub struct Cartella {
    /// The person.
    pub person: Person,
    /// The household, when the person belongs to one.
    pub household: Option<Household>,
    /// The other members of the household.
    pub members: Vec<Person>,
    /// Contacts (the person's and the household's), newest first.
    pub contacts: Vec<Contact>,
    /// Cases (the person's and the household's).
    pub cases: Vec<Case>,
    /// Projects.
    pub projects: Vec<Project>,
    /// Referrals (the person's and the household's).
    pub referrals: Vec<Referral>,
    /// Group activities the person takes part in.
    pub activities: Vec<Activity>,
    /// The person's privacy log (informativa, consents, restrictions), oldest first.
    pub privacy: Vec<PrivacyEntry>,
    /// Kinds of record the session may not read (said on paper: "non mostrato").
    pub hidden: Vec<EntityKind>,
    /// Names of catalogue entries and operators by id.
    pub names: HashMap<Id, String>,
}

impl Cartella {
    /// The name of a catalogue entry or operator; empty when unknown.
    pub fn name(&self, id: Option<Id>) -> &str {
        id.and_then(|i| self.names.get(&i))
            .map(String::as_str)
            .unwrap_or("")
    }
}

fn visible<E: Entity>(
    r: &Reader,
    subject: Id,
    hidden: &mut Vec<EntityKind>,
) -> Result<Vec<E>, StoreError> {
    match r.by_subject::<E>(subject) {
        Err(StoreError::Denied(_)) => {
            if !hidden.contains(&E::KIND) {
                hidden.push(E::KIND);
            }
            Ok(vec![])
        }
        other => other,
    }
}

fn all_or_none<E: Entity>(r: &Reader) -> Vec<E> {
    r.all().unwrap_or_default()
}

/// Reads the cartella of person `id` through `r` (made for the session with
/// `Store::read_as`), within the options' period; archived records are left out.
pub fn gather(r: &Reader, id: Id, o: &CartellaOptions) -> Result<Cartella, StoreError> {
    let person: Person = r.require(id)?;
    let mut c = Cartella::default();
    for l in all_or_none::<ServiceLine>(r) {
        c.names.insert(l.id, l.name);
    }
    for d in all_or_none::<Desk>(r) {
        c.names.insert(d.id, d.name);
    }
    for m in all_or_none::<Measure>(r) {
        c.names.insert(m.id, m.name);
    }
    for s in all_or_none::<TerritorialService>(r) {
        c.names.insert(s.id, s.name);
    }
    for op in all_or_none::<Operator>(r) {
        c.names.insert(op.id, op.display_name());
    }
    for p in all_or_none::<Purpose>(r) {
        c.names.insert(p.id, p.name);
    }
    c.privacy = visible::<PrivacyEntry>(r, person.id, &mut c.hidden)?
        .into_iter()
        .filter(|e| !e.archived)
        .collect();
    c.privacy.sort_by_key(|e| (e.at, e.id));
    let mut subjects = vec![person.id];
    if let Some(m) = person.household {
        subjects.push(m.household);
        c.household = r.get::<Household>(m.household)?.filter(|h| !h.archived);
        if !o.omit_household_members {
            c.members = r
                .members(m.household)?
                .into_iter()
                .filter(|p| p.id != person.id && !p.archived)
                .collect();
        }
    }
    let hidden = &mut c.hidden;
    for s in subjects {
        c.contacts.extend(
            visible::<Contact>(r, s, hidden)?
                .into_iter()
                .filter(|x| !x.archived && o.within(x.at.date())),
        );
        c.cases.extend(
            visible::<Case>(r, s, hidden)?
                .into_iter()
                .filter(|x| !x.archived && o.overlaps(x.opened, x.closed)),
        );
        c.referrals.extend(
            visible::<Referral>(r, s, hidden)?
                .into_iter()
                .filter(|x| !x.archived && o.within(x.date)),
        );
    }
    c.projects = visible::<Project>(r, person.id, hidden)?
        .into_iter()
        .filter(|x| !x.archived && o.overlaps(x.start, x.end))
        .collect();
    c.activities = visible::<Activity>(r, person.id, hidden)?
        .into_iter()
        .filter(|a| !a.archived)
        .filter(|a| {
            a.sessions
                .iter()
                .any(|s| s.attendees.contains(&person.id) && o.within(s.date))
                || (a.sessions.is_empty() && o.from.is_none() && o.to.is_none())
        })
        .collect();
    if o.omit_confidential_notes {
        for x in &mut c.contacts {
            if x.confidential {
                x.note.clear();
            }
        }
    }
    c.contacts.sort_by_key(|x| std::cmp::Reverse(x.at));
    c.cases.sort_by_key(|x| std::cmp::Reverse(x.opened));
    c.projects.sort_by_key(|x| std::cmp::Reverse(x.start));
    c.referrals.sort_by_key(|x| std::cmp::Reverse(x.date));
    c.person = person;
    Ok(c)
}

fn euro(cents: u32) -> String {
    format!("{},{:02} €", cents / 100, cents % 100)
}

fn hidden_note(doc: &mut Document, c: &Cartella, kind: EntityKind) {
    if c.hidden.contains(&kind) {
        doc.text(
            Style::Small,
            0.0,
            "Non mostrato: il ruolo di chi stampa non consente di leggere questi dati.",
        );
    }
}

fn empty_note(doc: &mut Document, empty: bool) {
    if empty {
        doc.text(Style::Small, 0.0, "Nessun dato nel periodo scelto.");
    }
}

/// Lays the cartella out as an A4 PDF in Italian.
pub fn render(c: &Cartella, o: &CartellaOptions, header: Header) -> Vec<u8> {
    let p = &c.person;
    let mut doc = Document::new(header);
    doc.text(
        Style::Title,
        0.0,
        &format!("Cartella di {} {}", p.surname, p.name),
    );
    let period = match (o.from, o.to) {
        (None, None) => "tutto il periodo".to_string(),
        (Some(f), None) => format!("dal {}", fmt_date(f)),
        (None, Some(t)) => format!("fino al {}", fmt_date(t)),
        (Some(f), Some(t)) => format!("dal {} al {}", fmt_date(f), fmt_date(t)),
    };
    doc.text(
        Style::Small,
        0.0,
        &format!("Codice interno {} — periodo: {period}", p.id.short()),
    );
    for s in Section::ALL.into_iter().filter(|s| o.has(*s)) {
        doc.space(10.0);
        doc.text(Style::Heading, 0.0, s.heading());
        match s {
            Section::Anagrafica => {
                anagrafica(&mut doc, p);
                super::consents::section(&mut doc, c);
            }
            Section::Nucleo => nucleo(&mut doc, c, o),
            Section::Accessi => accessi(&mut doc, c),
            Section::PreseInCarico => prese(&mut doc, c),
            Section::Progetti => progetti(&mut doc, c),
            Section::Invii => invii(&mut doc, c),
            Section::Attivita => attivita(&mut doc, c, o),
        }
    }
    doc.finish(&format!("Cartella {}", p.id.short()))
}

fn anagrafica(doc: &mut Document, p: &Person) {
    doc.field("Cognome", &p.surname);
    doc.field("Nome", &p.name);
    let sex = match p.sex {
        Sex::M => "maschio",
        Sex::F => "femmina",
        Sex::NonIndicato => "",
    };
    doc.field("Sesso", sex);
    doc.field("Data di nascita", &p.birth.display());
    doc.field("Luogo di nascita", &p.birthplace);
    let cf = p.codice_fiscale.clone().unwrap_or_default();
    let cf = if p.cf_provisional && !cf.is_empty() {
        format!("{cf} (provvisorio)")
    } else {
        cf
    };
    doc.field("Codice fiscale", &cf);
    doc.field("Cittadinanza", &p.citizenship);
    doc.field("Indirizzo", &p.address);
    doc.field(
        "Municipio",
        &p.municipio.map(|m| m.to_string()).unwrap_or_default(),
    );
    doc.field("Telefono", &p.phone);
    doc.field("E-mail", &p.email);
    match &p.consent {
        Some(k) => doc.field(
            "Consenso privacy",
            &format!("{} — {}", fmt_date(k.date), k.scope),
        ),
        None => doc.field("Consenso privacy", "non registrato"),
    }
    doc.field("Note", &p.note);
}

fn nucleo(doc: &mut Document, c: &Cartella, o: &CartellaOptions) {
    let Some(h) = &c.household else {
        doc.text(Style::Small, 0.0, "La persona non fa parte di un nucleo.");
        return;
    };
    doc.field("Nucleo", &h.name);
    doc.field("Indirizzo", &h.address);
    if let Some(m) = c.person.household {
        doc.field("Ruolo nel nucleo", m.relationship.label());
    }
    doc.field("Note sul nucleo", &h.note);
    if o.omit_household_members {
        doc.text(
            Style::Small,
            0.0,
            "I dati degli altri componenti sono stati esclusi (dati di terzi).",
        );
        return;
    }
    for m in &c.members {
        let rel = m.household.map(|x| x.relationship.label()).unwrap_or("");
        doc.text(
            Style::Body,
            10.0,
            &format!("• {} {} — {rel} — {}", m.surname, m.name, m.birth.display()),
        );
    }
}

fn accessi(doc: &mut Document, c: &Cartella) {
    hidden_note(doc, c, EntityKind::Contact);
    empty_note(
        doc,
        c.contacts.is_empty() && !c.hidden.contains(&EntityKind::Contact),
    );
    for x in &c.contacts {
        doc.space(3.0);
        let mut line = format!(
            "{} — {} — {}",
            fmt_datetime(x.at),
            x.kind.label(),
            c.name(Some(x.line))
        );
        if let Some(m) = x.measure {
            line.push_str(&format!(" — {}", c.name(Some(m))));
        }
        if x.minutes > 0 {
            line.push_str(&format!(" — {} min", x.minutes));
        }
        if matches!(x.subject, Subject::Household(_)) {
            line.push_str(" (nucleo)");
        }
        doc.text(Style::Body, 0.0, &line);
        let who = c.name(Some(x.operator));
        if !who.is_empty() {
            doc.text(Style::Small, 12.0, &format!("Operatore: {who}"));
        }
        if !x.note.is_empty() {
            let tag = if x.confidential {
                "Nota riservata: "
            } else {
                ""
            };
            doc.text(Style::Body, 12.0, &format!("{tag}{}", x.note));
        }
    }
}

fn prese(doc: &mut Document, c: &Cartella) {
    hidden_note(doc, c, EntityKind::Case);
    empty_note(
        doc,
        c.cases.is_empty() && !c.hidden.contains(&EntityKind::Case),
    );
    for x in &c.cases {
        doc.space(4.0);
        doc.text(
            Style::Sub,
            0.0,
            &format!("{} — {}", c.name(Some(x.line)), x.status.label()),
        );
        let period = match x.closed {
            Some(d) => format!("dal {} al {}", fmt_date(x.opened), fmt_date(d)),
            None => format!("dal {} (aperta)", fmt_date(x.opened)),
        };
        doc.field("Periodo", &period);
        doc.field("Referente", c.name(x.referente));
        let team: Vec<&str> = x.team.iter().map(|t| c.name(Some(*t))).collect();
        doc.field("Équipe", &team.join(", "));
        doc.field("Bisogno", &x.need);
        if !x.plan.is_empty() {
            doc.text(Style::Body, 0.0, "Piano e obiettivi:");
            for g in &x.plan {
                let review = g
                    .review
                    .map(|d| format!(" (verifica {})", fmt_date(d)))
                    .unwrap_or_default();
                let done = if g.done {
                    "[raggiunto] "
                } else {
                    "[in corso] "
                };
                doc.text(Style::Body, 12.0, &format!("• {done}{}{review}", g.text));
            }
        }
        doc.field("Esito", &x.outcome);
    }
}

fn progetti(doc: &mut Document, c: &Cartella) {
    hidden_note(doc, c, EntityKind::Project);
    empty_note(
        doc,
        c.projects.is_empty() && !c.hidden.contains(&EntityKind::Project),
    );
    for x in &c.projects {
        doc.space(4.0);
        doc.text(
            Style::Sub,
            0.0,
            &format!("{} — {}", x.kind.label(), c.name(Some(x.line))),
        );
        let period = match x.end {
            Some(d) => format!("dal {} al {}", fmt_date(x.start), fmt_date(d)),
            None => format!("dal {} (in corso)", fmt_date(x.start)),
        };
        doc.field("Periodo", &period);
        doc.field("Operatore", c.name(x.operator));
        match &x.kind {
            ProjectKind::Tirocinio {
                host,
                hours_per_week,
                allowance_cents,
                ..
            } => {
                doc.field("Ente ospitante", host);
                doc.field("Ore settimanali", &hours_per_week.to_string());
                doc.field("Indennità", &euro(*allowance_cents));
            }
            ProjectKind::MessaAllaProva {
                uepe_office,
                court,
                court_file,
                hours_required,
                ..
            } => {
                doc.field("Ufficio UEPE", uepe_office);
                doc.field("Tribunale", court);
                if !court_file.is_empty() {
                    doc.field("N. procedimento", court_file);
                }
                doc.field(
                    "Ore",
                    &format!("{} svolte su {hours_required}", x.minutes_done() / 60),
                );
            }
            ProjectKind::CaseManager { referente, plan } => {
                doc.field("Case manager", c.name(*referente));
                doc.field("Piano", plan);
            }
            ProjectKind::SostegnoStudio {
                school,
                class,
                need,
                hours_per_week,
            } => {
                doc.field("Scuola", &format!("{school} {class}"));
                doc.field("Bisogno", need.label());
                doc.field("Ore settimanali", &hours_per_week.to_string());
            }
        }
        doc.field("Note", &x.note);
    }
}

fn invii(doc: &mut Document, c: &Cartella) {
    hidden_note(doc, c, EntityKind::Referral);
    empty_note(
        doc,
        c.referrals.is_empty() && !c.hidden.contains(&EntityKind::Referral),
    );
    for x in &c.referrals {
        doc.space(4.0);
        doc.text(
            Style::Sub,
            0.0,
            &format!("{} — {}", fmt_date(x.date), c.name(Some(x.service))),
        );
        doc.field("Esito", x.outcome.label());
        doc.field("Motivo", &x.reason);
        doc.field("Verifica", &x.follow_up.map(fmt_date).unwrap_or_default());
        doc.field("Note sull'esito", &x.outcome_note);
        doc.field("Operatore", c.name(x.operator));
    }
}

fn attivita(doc: &mut Document, c: &Cartella, o: &CartellaOptions) {
    hidden_note(doc, c, EntityKind::Activity);
    empty_note(
        doc,
        c.activities.is_empty() && !c.hidden.contains(&EntityKind::Activity),
    );
    for a in &c.activities {
        let dates: Vec<String> = a
            .sessions
            .iter()
            .filter(|s| s.attendees.contains(&c.person.id) && o.within(s.date))
            .map(|s| fmt_date(s.date))
            .collect();
        doc.text(
            Style::Sub,
            0.0,
            &format!("{} {} — {}", a.name, a.edition, c.name(Some(a.line))),
        );
        doc.field(
            "Presenze",
            &format!(
                "{} su {} incontri: {}",
                dates.len(),
                a.sessions.len(),
                dates.join(", ")
            ),
        );
    }
}
