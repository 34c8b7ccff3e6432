//! The fields a column (or a fixed value) can fill, with their Italian labels and the header
//! names, Italian and English, that mean each of them.

use serde::{Deserialize, Serialize};

/// A field a column (or a fixed value) can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Field {
    /// The record's own identifier (kept: exports re-imported keep their ids).
    Id,
    /// "persona" or "nucleo": whom the record is about (with `SubjectId`).
    SubjectKind,
    /// The id of the person or household the record is about.
    SubjectId,
    /// The id of an existing person.
    PersonId,
    /// The id of an existing household.
    HouseholdId,
    /// Cognome.
    Surname,
    /// Nome.
    Name,
    /// "Cognome Nome" in one column.
    FullName,
    /// Sesso.
    Sex,
    /// Data di nascita (or the year).
    BirthDate,
    /// Luogo di nascita.
    Birthplace,
    /// Codice fiscale.
    CodiceFiscale,
    /// The code is provisional or foreign.
    CfProvisional,
    /// Cittadinanza.
    Citizenship,
    /// Indirizzo della persona.
    Address,
    /// Municipio (1–9).
    Municipio,
    /// Telefono.
    Phone,
    /// E-mail.
    Email,
    /// Data del consenso privacy.
    ConsentDate,
    /// The household's name ("Famiglia Rossi").
    HouseholdName,
    /// The household's address.
    HouseholdAddress,
    /// Relationship to the household's reference person.
    Relationship,
    /// The record's date: contact day, case opened, project start, referral, session.
    Date,
    /// The time of a contact.
    Time,
    /// Case closed / project end.
    EndDate,
    /// Service line.
    Line,
    /// Desk (sportello).
    Desk,
    /// Operator (id or name).
    Operator,
    /// Contact kind, or project kind.
    Kind,
    /// Measure (bando).
    Measure,
    /// Duration in minutes.
    Minutes,
    /// Note (contact), reason (referral).
    Note,
    /// Case status.
    Status,
    /// Case need (bisogno).
    Need,
    /// Case or referral outcome.
    Outcome,
    /// Project detail: host (tirocinio), UEPE office (messa alla prova), school.
    Detail,
    /// Hours required (messa alla prova).
    HoursRequired,
    /// Hours done (messa alla prova, tirocinio).
    HoursDone,
    /// Territorial service of a referral.
    Service,
    /// Follow-up date of a referral.
    FollowUp,
    /// Activity id (from an export).
    ActivityId,
    /// Activity name.
    ActivityName,
    /// Activity edition.
    Edition,
    /// Session title.
    SessionTitle,
    /// Operator role.
    Role,
    /// Operator still active.
    Active,
    /// Archived.
    Archived,
}

impl Field {
    /// The Italian label.
    pub fn label(self) -> &'static str {
        use Field::*;
        match self {
            Id => "Identificativo del record",
            SubjectKind => "Tipo di soggetto (persona/nucleo)",
            SubjectId => "Identificativo del soggetto",
            PersonId => "Identificativo della persona",
            HouseholdId => "Identificativo del nucleo",
            Surname => "Cognome",
            Name => "Nome",
            FullName => "Cognome e nome (una colonna)",
            Sex => "Sesso",
            BirthDate => "Data di nascita",
            Birthplace => "Luogo di nascita",
            CodiceFiscale => "Codice fiscale",
            CfProvisional => "Codice provvisorio o estero",
            Citizenship => "Cittadinanza",
            Address => "Indirizzo",
            Municipio => "Municipio",
            Phone => "Telefono",
            Email => "E-mail",
            ConsentDate => "Data del consenso privacy",
            HouseholdName => "Nucleo familiare",
            HouseholdAddress => "Indirizzo del nucleo",
            Relationship => "Relazione nel nucleo",
            Date => "Data",
            Time => "Ora",
            EndDate => "Data di fine / chiusura",
            Line => "Linea di servizio",
            Desk => "Sportello",
            Operator => "Operatore",
            Kind => "Tipo",
            Measure => "Misura / bando",
            Minutes => "Durata (minuti)",
            Note => "Note / motivo",
            Status => "Stato",
            Need => "Bisogno",
            Outcome => "Esito",
            Detail => "Ente / ufficio UEPE / scuola",
            HoursRequired => "Ore previste",
            HoursDone => "Ore svolte",
            Service => "Servizio territoriale",
            FollowUp => "Data di verifica",
            ActivityId => "Identificativo dell'attività",
            ActivityName => "Attività",
            Edition => "Edizione",
            SessionTitle => "Titolo dell'incontro",
            Role => "Ruolo",
            Active => "Attivo",
            Archived => "Archiviato",
        }
    }

    /// Header names (folded) that mean this field, Italian and English; the first ones
    /// are the headers `accoglienza export` writes.
    pub(crate) fn synonyms(self) -> &'static [&'static str] {
        use Field::*;
        match self {
            Id => &["id", "identificativo"],
            SubjectKind => &["subject_kind", "tipo soggetto"],
            SubjectId => &["subject_id", "id soggetto"],
            PersonId => &["person_id", "id persona"],
            HouseholdId => &["household_id", "id nucleo"],
            Surname => &["surname", "cognome", "last name", "family name"],
            Name => &["name", "nome", "first name", "given name"],
            FullName => &[
                "cognome e nome",
                "cognome nome",
                "nominativo",
                "utente",
                "beneficiario",
                "full name",
                "nome e cognome",
            ],
            Sex => &["sex", "sesso", "genere", "gender", "m/f"],
            BirthDate => &[
                "birth",
                "data di nascita",
                "data nascita",
                "nato il",
                "nata il",
                "date of birth",
                "birth date",
                "dob",
            ],
            Birthplace => &[
                "birthplace",
                "luogo di nascita",
                "luogo nascita",
                "nato a",
                "place of birth",
            ],
            CodiceFiscale => &[
                "codice_fiscale",
                "c.f.",
                "cf",
                "codice fiscale",
                "cod. fiscale",
                "cod fiscale",
                "tax code",
                "fiscal code",
            ],
            CfProvisional => &["cf_provisional", "cf provvisorio"],
            Citizenship => &["citizenship", "cittadinanza", "nazionalita", "nationality"],
            Address => &["address", "indirizzo", "residenza", "via"],
            Municipio => &["municipio", "mun.", "zona"],
            Phone => &["phone", "telefono", "tel.", "tel", "cellulare", "cell."],
            Email => &["email", "e-mail", "mail", "posta elettronica"],
            ConsentDate => &[
                "consent_date",
                "consenso privacy",
                "data consenso",
                "privacy",
            ],
            HouseholdName => &[
                "famiglia",
                "nucleo",
                "nucleo familiare",
                "family",
                "household",
            ],
            HouseholdAddress => &["indirizzo nucleo", "indirizzo famiglia"],
            Relationship => &[
                "relationship",
                "relazione",
                "parentela",
                "ruolo nel nucleo",
                "grado di parentela",
            ],
            Date => &[
                "date",
                "data",
                "data accesso",
                "data contatto",
                "data colloquio",
                "data apertura",
                "data presa in carico",
                "data inizio",
                "inizio",
                "data invio",
                "data incontro",
                "opened",
                "start",
                "session_date",
                "giorno",
            ],
            Time => &["time", "ora", "orario"],
            EndDate => &[
                "end",
                "closed",
                "data fine",
                "fine",
                "data chiusura",
                "chiusura",
                "end date",
            ],
            Line => &[
                "line",
                "linea",
                "linea di servizio",
                "servizio",
                "progetto",
                "ambito",
            ],
            Desk => &["desk", "sportello", "sede", "punto wemi"],
            Operator => &[
                "operator_id",
                "referente_id",
                "operatore",
                "operatrice",
                "referente",
                "operator",
            ],
            Kind => &[
                "kind",
                "tipo",
                "tipo accesso",
                "tipo contatto",
                "tipologia",
                "tipo progetto",
            ],
            Measure => &["measure", "bando", "misura", "pratica", "domanda"],
            Minutes => &["minutes", "durata", "minuti", "durata (min)"],
            Note => &[
                "note",
                "reason",
                "motivo",
                "annotazioni",
                "osservazioni",
                "notes",
            ],
            Status => &["status", "stato"],
            Need => &["need", "bisogno", "bisogni", "richiesta"],
            Outcome => &["outcome", "esito"],
            Detail => &[
                "detail",
                "ente ospitante",
                "azienda",
                "ufficio uepe",
                "uepe",
                "scuola",
                "ente",
            ],
            HoursRequired => &[
                "hours_required",
                "ore previste",
                "ore da svolgere",
                "ore totali",
            ],
            HoursDone => &[
                "hours_done",
                "ore svolte",
                "ore effettuate",
                "ore fatte",
                "ore",
            ],
            Service => &[
                "service",
                "servizio territoriale",
                "inviato a",
                "servizio di invio",
            ],
            FollowUp => &["follow_up", "data verifica", "verifica", "follow-up"],
            ActivityId => &["activity_id", "id attivita"],
            ActivityName => &["attivita", "activity", "nome attivita"],
            Edition => &["edition", "edizione"],
            SessionTitle => &["session_title", "incontro", "titolo incontro"],
            Role => &["role", "ruolo", "qualifica"],
            Active => &["active", "attivo", "in servizio"],
            Archived => &["archived", "archiviato"],
        }
    }
}
