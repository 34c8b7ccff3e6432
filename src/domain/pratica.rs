//! Pratiche (issue 15): a person's or household's application to a bando, followed from
//! the first information to the outcome. The state machine lives here: which state may
//! follow which, with the refusals in Italian, and the history of every change with its
//! date (the record's `history`, whose last entry is always the current state).

use super::contact::{Subject, require_ref};
use super::ids::Id;
use super::time::{date_serde, fmt_date};
use super::validate::{Problems, optional_text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a pratica stands. Stored by position: new states go at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PraticaState {
    /// The person was told about the bando and its requirements.
    Informato,
    /// The documents are being gathered and the application filled in.
    InPreparazione,
    /// Sent to the body that runs the bando.
    Inviata,
    /// The body asked for more documents (integrazione).
    InAttesaIntegrazione,
    /// Accepted: an amount was granted.
    Accolta,
    /// Refused.
    Respinta,
    /// Withdrawn by the person (or abandoned).
    Ritirata,
}

impl PraticaState {
    /// Every state, in the order of the path.
    pub const ALL: [PraticaState; 7] = [
        PraticaState::Informato,
        PraticaState::InPreparazione,
        PraticaState::Inviata,
        PraticaState::InAttesaIntegrazione,
        PraticaState::Accolta,
        PraticaState::Respinta,
        PraticaState::Ritirata,
    ];

    /// The states a pratica may start in.
    pub const INITIAL: [PraticaState; 2] = [PraticaState::Informato, PraticaState::InPreparazione];

    /// The Italian label.
    pub fn label(self) -> &'static str {
        match self {
            PraticaState::Informato => "Informato",
            PraticaState::InPreparazione => "In preparazione",
            PraticaState::Inviata => "Inviata",
            PraticaState::InAttesaIntegrazione => "In attesa di integrazione",
            PraticaState::Accolta => "Accolta",
            PraticaState::Respinta => "Respinta",
            PraticaState::Ritirata => "Ritirata",
        }
    }

    /// A stable lower-case code (exports, command line).
    pub fn code(self) -> &'static str {
        match self {
            PraticaState::Informato => "informato",
            PraticaState::InPreparazione => "in_preparazione",
            PraticaState::Inviata => "inviata",
            PraticaState::InAttesaIntegrazione => "in_attesa_integrazione",
            PraticaState::Accolta => "accolta",
            PraticaState::Respinta => "respinta",
            PraticaState::Ritirata => "ritirata",
        }
    }

    /// Accolta, respinta and ritirata end the pratica: nothing follows them.
    pub fn is_final(self) -> bool {
        self.next().is_empty()
    }

    /// The states allowed to follow this one.
    pub fn next(self) -> &'static [PraticaState] {
        use PraticaState::*;
        match self {
            Informato => &[InPreparazione, Ritirata],
            InPreparazione => &[Inviata, Ritirata],
            Inviata => &[InAttesaIntegrazione, Accolta, Respinta, Ritirata],
            InAttesaIntegrazione => &[Inviata, Accolta, Respinta, Ritirata],
            Accolta | Respinta | Ritirata => &[],
        }
    }

    /// Whether `to` may follow this state.
    pub fn may_become(self, to: PraticaState) -> bool {
        self.next().contains(&to)
    }
}

/// How the application is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum PraticaChannel {
    /// Filled in with the operator at the desk.
    #[default]
    Sportello,
    /// Online, on the body's portal.
    Online,
    /// Through a CAF.
    Caf,
}

impl PraticaChannel {
    /// Every channel, in display order.
    pub const ALL: [PraticaChannel; 3] = [
        PraticaChannel::Sportello,
        PraticaChannel::Online,
        PraticaChannel::Caf,
    ];

    /// The Italian label.
    pub fn label(self) -> &'static str {
        match self {
            PraticaChannel::Sportello => "Allo sportello",
            PraticaChannel::Online => "Online",
            PraticaChannel::Caf => "Tramite CAF",
        }
    }
}

/// One change of state, with its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateChange {
    /// The state entered.
    pub state: PraticaState,
    /// When.
    #[serde(with = "date_serde")]
    pub on: NaiveDate,
}

/// Where a required document stands for this pratica. Stored by position: when attached
/// documents exist (issue 15 part 3) an `Allegato(document id)` variant goes at the end,
/// which keeps every stored checklist readable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum DocumentState {
    /// Not brought yet.
    #[default]
    Mancante,
    /// Seen by the operator (a copy is not kept here).
    Visto,
    /// Attached: the document with this id is kept in the database (issue 15 part 3).
    Allegato(Id),
}

impl DocumentState {
    /// The Italian label.
    pub fn label(self) -> &'static str {
        match self {
            DocumentState::Mancante => "Mancante",
            DocumentState::Visto => "Visto (non conservato)",
            DocumentState::Allegato(_) => "Allegato",
        }
    }
}

/// One line of a pratica's checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// The kind of document (catalogue).
    pub document: Id,
    /// Where it stands.
    pub state: DocumentState,
}

/// An application of a person or household to a bando.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pratica {
    /// Identifier.
    pub id: Id,
    /// The person or household applying.
    pub subject: Subject,
    /// The bando.
    pub bando: Id,
    /// The desk following it.
    pub desk: Id,
    /// The operator following it.
    pub operator: Id,
    /// The day the person asked (the first state's date).
    #[serde(with = "date_serde")]
    pub requested_on: NaiveDate,
    /// How the application is made.
    pub channel: PraticaChannel,
    /// The current state (always the history's last).
    pub state: PraticaState,
    /// Every state entered, oldest first; never empty.
    pub history: Vec<StateChange>,
    /// The amount granted, in euro cents (accolta only).
    pub amount_cents: Option<i64>,
    /// The outcome in words (the reason of a refusal, the body's protocol…).
    pub outcome: String,
    /// The required documents and where each stands.
    pub checklist: Vec<ChecklistItem>,
    /// Free notes.
    pub note: String,
    /// Archived (entered by mistake): hidden and never counted.
    pub archived: bool,
}

impl Pratica {
    /// A new pratica in `state` (informato or in preparazione) on `on`.
    pub fn new(subject: Subject, bando: Id, desk: Id, operator: Id, on: NaiveDate) -> Pratica {
        Pratica {
            id: Id::NIL,
            subject,
            bando,
            desk,
            operator,
            requested_on: on,
            channel: PraticaChannel::default(),
            state: PraticaState::Informato,
            history: vec![StateChange {
                state: PraticaState::Informato,
                on,
            }],
            amount_cents: None,
            outcome: String::new(),
            checklist: Vec::new(),
            note: String::new(),
            archived: false,
        }
    }

    /// Moves the pratica to `to` on `on`, refusing a change the path does not allow or a
    /// date before the last change.
    pub fn advance(&mut self, to: PraticaState, on: NaiveDate) -> Result<(), String> {
        if !self.state.may_become(to) {
            return Err(refusal(self.state, to));
        }
        if let Some(last) = self.history.last()
            && on < last.on
        {
            return Err(format!(
                "La data del passaggio a «{}» non può precedere quella dell'ultimo passaggio ({})",
                to.label(),
                fmt_date(last.on)
            ));
        }
        self.history.push(StateChange { state: to, on });
        self.state = to;
        Ok(())
    }

    /// The day the pratica entered `state` the first time, if it did.
    pub fn entered(&self, state: PraticaState) -> Option<NaiveDate> {
        self.history.iter().find(|c| c.state == state).map(|c| c.on)
    }

    /// The day of the last change.
    pub fn last_change(&self) -> NaiveDate {
        self.history.last().map_or(self.requested_on, |c| c.on)
    }

    /// How many required documents are still missing.
    pub fn missing_documents(&self) -> usize {
        self.checklist
            .iter()
            .filter(|i| i.state == DocumentState::Mancante)
            .count()
    }

    /// Validates the pratica: references, a consistent history (allowed changes, dates in
    /// order, none in the future, ending in the current state), the amount exactly when
    /// accolta, each document once in the checklist.
    pub fn validate(&self, today: NaiveDate) -> Problems {
        let mut p = Problems::default();
        require_ref(
            &mut p,
            "subject",
            "La persona o il nucleo",
            self.subject.id(),
        );
        require_ref(&mut p, "bando", "Il bando", self.bando);
        require_ref(&mut p, "desk", "Lo sportello", self.desk);
        require_ref(&mut p, "operator", "L'operatore", self.operator);
        if let Err(m) = check_history(self) {
            p.add("state", m);
        }
        if let Some(last) = self.history.last()
            && last.on > today
        {
            p.add("state", "La data di un passaggio non può essere nel futuro");
        }
        match (self.state, self.amount_cents) {
            (PraticaState::Accolta, None) => p.add(
                "amount",
                "Per una pratica accolta indica l'importo riconosciuto",
            ),
            (PraticaState::Accolta, Some(c)) if c <= 0 => p.add(
                "amount",
                "L'importo riconosciuto deve essere maggiore di zero",
            ),
            (PraticaState::Accolta, Some(c)) if c > 100_000_000 => {
                p.add("amount", "L'importo non può superare 1.000.000 €")
            }
            (s, Some(_)) if s != PraticaState::Accolta => p.add(
                "amount",
                "L'importo si indica solo quando la pratica è accolta",
            ),
            _ => {}
        }
        let mut seen = std::collections::HashSet::new();
        if self.checklist.iter().any(|i| !seen.insert(i.document)) {
            p.add("checklist", "Un documento compare due volte nella lista");
        }
        optional_text(&mut p, "outcome", "L'esito", &self.outcome, 500);
        optional_text(&mut p, "note", "Le note", &self.note, 4000);
        p
    }
}

/// The Italian refusal of a change of state the path does not allow.
pub fn refusal(from: PraticaState, to: PraticaState) -> String {
    if from == to {
        return format!("La pratica è già «{}»", from.label());
    }
    if from.is_final() {
        return format!(
            "La pratica è chiusa («{}»): non può diventare «{}»",
            from.label(),
            to.label()
        );
    }
    let allowed: Vec<String> = from
        .next()
        .iter()
        .map(|s| format!("«{}»", s.label()))
        .collect();
    format!(
        "Una pratica «{}» non può diventare «{}»: può diventare solo {}",
        from.label(),
        to.label(),
        allowed.join(", ")
    )
}

/// Checks the history: not empty, starting on the request day in an initial state, each
/// change allowed, dates in order, ending in the current state.
pub fn check_history(p: &Pratica) -> Result<(), String> {
    let Some(first) = p.history.first() else {
        return Err("La storia della pratica è vuota".into());
    };
    if !PraticaState::INITIAL.contains(&first.state) {
        return Err(format!(
            "Una pratica comincia «{}» o «{}»",
            PraticaState::Informato.label(),
            PraticaState::InPreparazione.label()
        ));
    }
    if first.on != p.requested_on {
        return Err("Il primo passaggio è il giorno della richiesta".into());
    }
    for w in p.history.windows(2) {
        if !w[0].state.may_become(w[1].state) {
            return Err(refusal(w[0].state, w[1].state));
        }
        if w[1].on < w[0].on {
            return Err("Le date dei passaggi di stato devono essere in ordine".into());
        }
    }
    if p.history.last().map(|c| c.state) != Some(p.state) {
        return Err("Lo stato della pratica non è l'ultimo della sua storia".into());
    }
    Ok(())
}

/// Parses an amount in euro as typed at the desk («1.234,56», «350», «350,5 €») into
/// cents.
pub fn parse_euro(text: &str) -> Result<i64, String> {
    let t: String = text
        .trim()
        .trim_end_matches('€')
        .trim()
        .chars()
        .filter(|c| *c != '.' && *c != ' ')
        .collect();
    let bad = || {
        format!(
            "«{}» non è un importo in euro (per esempio 1.250,00)",
            text.trim()
        )
    };
    if t.is_empty() {
        return Err("Scrivi l'importo in euro".into());
    }
    let (int, dec) = match t.split_once(',') {
        Some((i, d)) => (i, d),
        None => (t.as_str(), ""),
    };
    if int.is_empty()
        || !int.chars().all(|c| c.is_ascii_digit())
        || dec.len() > 2
        || !dec.chars().all(|c| c.is_ascii_digit())
        || int.len() > 9
    {
        return Err(bad());
    }
    let euros: i64 = int.parse().map_err(|_| bad())?;
    let cents: i64 = match dec.len() {
        0 => 0,
        1 => dec.parse::<i64>().map_err(|_| bad())? * 10,
        _ => dec.parse().map_err(|_| bad())?,
    };
    Ok(euros * 100 + cents)
}

/// Formats cents as euro the Italian way: «1.234,56 €».
pub fn fmt_euro(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    let int = (c / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped},{:02} €", c % 100)
}

#[cfg(test)]
#[path = "pratica_tests.rs"]
mod tests;
