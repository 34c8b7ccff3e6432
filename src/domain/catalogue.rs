//! The catalogue the team edits: areas, service lines with their counting unit, desks,
//! public measures, territorial services and roles. Defaults reproduce the seed's service.

use super::ids::Id;
use super::validate::{Problems, optional_text, required_text};
use serde::{Deserialize, Serialize};

/// How a service line is counted in the annual figures (DESIGN.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CountingUnit {
    /// Distinct people with at least one qualifying record.
    Persone,
    /// Distinct households among them (a person without a household counts as one).
    Famiglie,
    /// Distinct projects and cases that qualify.
    Progetti,
    /// The number of qualifying contacts.
    Accessi,
}

impl CountingUnit {
    /// Every unit, in display order.
    pub const ALL: [CountingUnit; 4] = [
        CountingUnit::Persone,
        CountingUnit::Famiglie,
        CountingUnit::Progetti,
        CountingUnit::Accessi,
    ];

    /// The unit as a lower-case Italian word (`persone`, `famiglie`, …).
    pub fn word(self) -> &'static str {
        match self {
            CountingUnit::Persone => "persone",
            CountingUnit::Famiglie => "famiglie",
            CountingUnit::Progetti => "progetti",
            CountingUnit::Accessi => "accessi",
        }
    }

    /// A number of units in words, singular or plural: "1 persona", "3 persone".
    pub fn counted(self, n: u64) -> String {
        let one = match self {
            CountingUnit::Persone => "persona",
            CountingUnit::Famiglie => "famiglia",
            CountingUnit::Progetti => "progetto",
            CountingUnit::Accessi => "accesso",
        };
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {}", self.word())
        }
    }

    /// A stable one-byte code, used in aggregate keys.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The inverse of [`CountingUnit::code`].
    pub fn from_code(c: u8) -> Option<Self> {
        Self::ALL.get(c as usize).copied()
    }
}

/// A thematic area (Disabilità e autismo, Anziani, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    /// Identifier.
    pub id: Id,
    /// Short stable code (`disabilita`, `anziani`, …).
    pub code: String,
    /// Name shown to the team.
    pub name: String,
    /// Hidden from new records when archived.
    pub archived: bool,
}

/// A service line with its counting unit: the rows of the annual report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceLine {
    /// Identifier.
    pub id: Id,
    /// Short stable code (`wemi`, `map`, …), used by the command line and exports.
    pub code: String,
    /// Name shown to the team and in the report.
    pub name: String,
    /// The area the line belongs to.
    pub area: Id,
    /// How the line is counted.
    pub unit: CountingUnit,
    /// The noun used in the report sentence ("cittadini", "bambini", "famiglie", …).
    pub report_noun: String,
    /// The rest of the report sentence after the number and the noun.
    pub report_phrase: String,
    /// Display order.
    pub order: u16,
    /// Hidden from new records when archived; its past counts stay.
    pub archived: bool,
}

/// A desk / site where people are received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desk {
    /// Identifier.
    pub id: Id,
    /// Short stable code (`sede`, `ornato`, `rizzoli`).
    pub code: String,
    /// Name shown to the team.
    pub name: String,
    /// Street address.
    pub address: String,
    /// Hidden when archived.
    pub archived: bool,
}

/// A public measure or call a paperwork contact is about (Sostegno al Reddito, Misura B2, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    /// Identifier.
    pub id: Id,
    /// Short stable code.
    pub code: String,
    /// Name shown to the team.
    pub name: String,
    /// Hidden when archived.
    pub archived: bool,
}

/// A service of the territorial network people are referred to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerritorialService {
    /// Identifier.
    pub id: Id,
    /// Short stable code.
    pub code: String,
    /// Name shown to the team.
    pub name: String,
    /// What kind of service (sanitario, sociale, lavoro, giustizia, …).
    pub category: String,
    /// Address, phone or e-mail to reach it.
    pub contact: String,
    /// Hidden when archived.
    pub archived: bool,
}

/// A professional role in the team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    /// Identifier.
    pub id: Id,
    /// Short stable code.
    pub code: String,
    /// Name shown to the team.
    pub name: String,
    /// Hidden when archived.
    pub archived: bool,
}

/// Validates the fields every catalogue entry has.
pub fn validate_entry(code: &str, name: &str) -> Problems {
    let mut p = Problems::default();
    required_text(&mut p, "code", "Il codice", code, 32);
    if !code.trim().is_empty()
        && !code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    {
        p.add(
            "code",
            "Il codice può contenere solo lettere minuscole, cifre, - e _",
        );
    }
    required_text(&mut p, "name", "Il nome", name, 120);
    p
}

/// The message for a catalogue code another entry of the same kind already has.
pub fn code_taken(code: &str, other_name: &str, other_archived: bool) -> String {
    let archived = if other_archived { " (archiviata)" } else { "" };
    format!("Il codice «{code}» è già usato da «{other_name}»{archived}: scegline un altro")
}

impl ServiceLine {
    /// Validates the line.
    pub fn validate(&self) -> Problems {
        let mut p = validate_entry(&self.code, &self.name);
        optional_text(
            &mut p,
            "report_noun",
            "Il sostantivo del report",
            &self.report_noun,
            40,
        );
        optional_text(
            &mut p,
            "report_phrase",
            "La frase del report",
            &self.report_phrase,
            300,
        );
        p
    }
}

/// The default catalogue of a new database (DESIGN.md §2–3).
#[derive(Debug, Clone)]
pub struct Catalogue {
    /// Areas.
    pub areas: Vec<Area>,
    /// Service lines.
    pub lines: Vec<ServiceLine>,
    /// Desks.
    pub desks: Vec<Desk>,
    /// Measures.
    pub measures: Vec<Measure>,
    /// Territorial services.
    pub services: Vec<TerritorialService>,
    /// Roles.
    pub roles: Vec<Role>,
}

/// Codes of the eight default service lines, in report order.
pub mod line_codes {
    /// Sportelli WeMi Ornato e Rizzoli.
    pub const WEMI: &str = "wemi";
    /// Passeggiate culturali over 60.
    pub const PASSEGGIATE: &str = "passeggiate";
    /// Sostegno allo studio BES/DSA.
    pub const STUDIO: &str = "studio";
    /// Tirocini lavorativi.
    pub const TIROCINI: &str = "tirocini";
    /// Messa alla prova.
    pub const MAP: &str = "map";
    /// Ascolto famiglie.
    pub const FAMIGLIE: &str = "famiglie";
    /// Équipe Blu autismo.
    pub const BLU: &str = "blu";
    /// Case Manager autismo.
    pub const CASE_MANAGER: &str = "case_manager";
}

fn entry<T>(make: impl Fn(Id, String, String) -> T, items: &[(&str, &str)]) -> Vec<T> {
    items
        .iter()
        .map(|(c, n)| make(Id::new(), c.to_string(), n.to_string()))
        .collect()
}

impl Catalogue {
    /// The seed's catalogue with fresh identifiers.
    pub fn defaults() -> Catalogue {
        let areas = entry(
            |id, code, name| Area {
                id,
                code,
                name,
                archived: false,
            },
            &[
                ("accesso", "Accesso e orientamento"),
                ("disabilita", "Disabilità e autismo"),
                ("marginalita", "Marginalità sociale e migranti"),
                ("giuridico", "Persone con problemi giuridici"),
                ("anziani", "Anziani"),
                ("minori", "Minori e famiglie"),
            ],
        );
        let area = |code: &str| {
            areas
                .iter()
                .find(|a| a.code == code)
                .expect("default area")
                .id
        };
        use CountingUnit::*;
        let specs: [(&str, &str, &str, CountingUnit, &str, &str); 8] = [
            (
                line_codes::WEMI,
                "Sportelli WeMi Ornato e Rizzoli — informazione, orientamento, pratiche",
                "accesso",
                Persone,
                "cittadini",
                "si sono rivolti ai nostri 2 sportelli WeMi per informazione, orientamento, accompagnamento al disbrigo pratiche previste dai bandi emessi (Sostegno al Reddito, misura B2, Bando L. 112, Assegno 0-18)",
            ),
            (
                line_codes::PASSEGGIATE,
                "Passeggiate culturali over 60 (via Ornato)",
                "anziani",
                Persone,
                "persone",
                "coinvolte nelle passeggiate culturali in città per over 60 in via Ornato, per il supporto alla cittadinanza attiva",
            ),
            (
                line_codes::STUDIO,
                "Sostegno allo studio BES/DSA (Rizzoli)",
                "minori",
                Persone,
                "bambini",
                "con difficoltà legate a BES e DSA in Rizzoli hanno avuto interventi di sostegno allo studio",
            ),
            (
                line_codes::TIROCINI,
                "Tirocini lavorativi",
                "marginalita",
                Persone,
                "persone",
                "hanno fatto un tirocinio lavorativo",
            ),
            (
                line_codes::MAP,
                "Messa alla prova (lavori di pubblica utilità)",
                "giuridico",
                Persone,
                "persone",
                "sono state accolte come “messe alla prova” per lavori socialmente utili",
            ),
            (
                line_codes::FAMIGLIE,
                "Ascolto famiglie — équipe Accoglienza Sociale",
                "accesso",
                Famiglie,
                "famiglie",
                "sono state ascoltate dall’equipe di Accoglienza Sociale",
            ),
            (
                line_codes::BLU,
                "Équipe Blu autismo",
                "disabilita",
                Famiglie,
                "famiglie",
                "sono state accolte dall’equipe Blu autismo",
            ),
            (
                line_codes::CASE_MANAGER,
                "Case Manager autismo",
                "disabilita",
                Progetti,
                "progetti",
                "di Case Manager per persone con autismo",
            ),
        ];
        let lines = specs
            .iter()
            .enumerate()
            .map(|(i, (code, name, a, unit, noun, phrase))| ServiceLine {
                id: Id::new(),
                code: code.to_string(),
                name: name.to_string(),
                area: area(a),
                unit: *unit,
                report_noun: noun.to_string(),
                report_phrase: phrase.to_string(),
                order: i as u16,
                archived: false,
            })
            .collect();
        let desks = vec![
            Desk {
                id: Id::new(),
                code: "sede".into(),
                name: "Sede — Accoglienza Sociale".into(),
                address: "Milano".into(),
                archived: false,
            },
            Desk {
                id: Id::new(),
                code: "ornato".into(),
                name: "WeMi Ornato".into(),
                address: "Via Ornato, Milano".into(),
                archived: false,
            },
            Desk {
                id: Id::new(),
                code: "rizzoli".into(),
                name: "WeMi Rizzoli".into(),
                address: "Via Rizzoli, Milano".into(),
                archived: false,
            },
        ];
        let measures = entry(
            |id, code, name| Measure {
                id,
                code,
                name,
                archived: false,
            },
            &[
                ("reddito", "Sostegno al Reddito"),
                ("b2", "Misura B2"),
                ("l112", "Bando L. 112 «Dopo di noi»"),
                ("assegno_0_18", "Assegno 0-18"),
            ],
        );
        let services = [
            ("cps", "CPS — Centro Psico Sociale", "sanitario"),
            (
                "uonpia",
                "UONPIA — Neuropsichiatria dell'infanzia e dell'adolescenza",
                "sanitario",
            ),
            ("municipio", "Servizio Sociale del Municipio", "sociale"),
            ("cpi", "Centro per l'Impiego / AFOL Metropolitana", "lavoro"),
            ("celav", "CELAV — Centro di Mediazione al Lavoro", "lavoro"),
            (
                "uepe",
                "UEPE — Ufficio di Esecuzione Penale Esterna",
                "giustizia",
            ),
            (
                "asst",
                "ASST — Azienda Socio Sanitaria Territoriale",
                "sanitario",
            ),
            ("ats", "ATS Città Metropolitana di Milano", "sanitario"),
            ("caf", "CAF / Patronato", "pratiche"),
            (
                "cpia",
                "CPIA — Centro Provinciale Istruzione Adulti",
                "istruzione",
            ),
            ("serd", "SerD — Servizio Dipendenze", "sanitario"),
            ("casa", "Servizio Casa del Comune", "abitare"),
            ("cav", "Centro antiviolenza", "sociale"),
        ]
        .iter()
        .map(|(code, name, cat)| TerritorialService {
            id: Id::new(),
            code: code.to_string(),
            name: name.to_string(),
            category: cat.to_string(),
            contact: String::new(),
            archived: false,
        })
        .collect();
        let roles = entry(
            |id, code, name| Role {
                id,
                code,
                name,
                archived: false,
            },
            &[
                ("assistente_sociale", "Assistente sociale"),
                ("educatore", "Educatore"),
                ("psicologo", "Psicologo"),
                ("tutor", "Tutor inserimenti lavorativi"),
                ("case_manager", "Case manager"),
                ("coordinatore", "Coordinatore"),
                ("sportello", "Operatore di sportello"),
                ("volontario", "Volontario"),
            ],
        );
        Catalogue {
            areas,
            lines,
            desks,
            measures,
            services,
            roles,
        }
    }
}
