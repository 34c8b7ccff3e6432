//! The art. 15 access export: the cartella as PDF plus a JSON of everything held about the
//! person, each record with its purpose, legal basis and recipients, the dates the cartella
//! was consulted (when the session may read the access log), and the review step's
//! omissions (what was left out, and why).

use super::cartella::{self, Cartella, CartellaOptions};
use crate::access::Session;
use crate::domain::access::AccessKind;
use crate::domain::audit::Action;
use crate::domain::*;
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};

/// What the review step may leave out of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OmitItem {
    /// The other household members' data (third parties).
    HouseholdMembers,
    /// Confidential notes (of the operators, or about third parties).
    ConfidentialNotes,
}

impl OmitItem {
    /// The Italian label.
    pub fn label(self) -> &'static str {
        match self {
            OmitItem::HouseholdMembers => "dati degli altri componenti del nucleo",
            OmitItem::ConfidentialNotes => "note riservate",
        }
    }
}

/// One item left out by the review, with the reason given by the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Omission {
    /// What.
    pub item: OmitItem,
    /// Why (e.g. "dati di terzi", art. 15(4) GDPR).
    pub reason: String,
}

/// Purpose, legal basis and usual recipients of a kind of record (the informativa's terms).
#[derive(Debug, Clone, Copy)]
pub struct Basis {
    /// Why the record is kept.
    pub purpose: &'static str,
    /// The legal basis (GDPR articles).
    pub legal_basis: &'static str,
}

/// Registry data.
pub const BASIS_PERSON: Basis = Basis {
    purpose: "Identificare la persona e contattarla per i servizi richiesti",
    legal_basis: "Art. 6(1)(e) GDPR (compito di interesse pubblico in convenzione); art. 9(2)(h) per i dati sanitari",
};
/// The privacy log (informativa, consents, restrictions).
pub const BASIS_PRIVACY: Basis = Basis {
    purpose: "Dimostrare l'informativa data, i consensi raccolti o revocati e le limitazioni del trattamento",
    legal_basis: "Art. 6(1)(c) e art. 7(1) GDPR (obbligo di dimostrare il consenso)",
};
/// Household.
pub const BASIS_HOUSEHOLD: Basis = Basis {
    purpose: "Conoscere il nucleo familiare per la presa in carico e il conteggio per famiglie",
    legal_basis: "Art. 6(1)(e) GDPR",
};
/// Contacts.
pub const BASIS_CONTACT: Basis = Basis {
    purpose: "Registrare ascolto, informazione, orientamento e accompagnamento richiesti",
    legal_basis: "Art. 6(1)(e) GDPR; art. 9(2)(h) per i dati sanitari",
};
/// Cases.
pub const BASIS_CASE: Basis = Basis {
    purpose: "Seguire la presa in carico con un piano e verificarne gli obiettivi",
    legal_basis: "Art. 6(1)(e) GDPR; art. 9(2)(h) GDPR",
};
/// Projects.
pub const BASIS_PROJECT: Basis = Basis {
    purpose: "Gestire il progetto (tirocinio, messa alla prova, case manager, sostegno allo studio)",
    legal_basis: "Art. 6(1)(b) ed (e) GDPR; art. 10 GDPR e art. 2-octies Codice privacy per la messa alla prova",
};
/// Referrals.
pub const BASIS_REFERRAL: Basis = Basis {
    purpose: "Inviare la persona al servizio territoriale adatto e seguirne l'esito",
    legal_basis: "Art. 6(1)(e) GDPR; consenso alla comunicazione alla rete dei servizi",
};
/// Group activities.
pub const BASIS_ACTIVITY: Basis = Basis {
    purpose: "Organizzare le attività di gruppo e registrare le presenze",
    legal_basis: "Art. 6(1)(e) GDPR",
};

/// Attached documents (issue 15): their description; the files themselves are handed over
/// on request (`export --table documents --with-files`).
pub const BASIS_DOCUMENT: Basis = Basis {
    purpose: "Conservare i documenti portati dalla persona per le pratiche e i servizi richiesti",
    legal_basis: "Art. 6(1)(e) GDPR; art. 9(2)(h) per i documenti con dati sanitari",
};

/// One record held about the person.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HeldRecord {
    /// Kind of record (Italian).
    pub tipo: String,
    /// The record's id.
    pub id: String,
    /// Purpose.
    pub finalita: String,
    /// Legal basis.
    pub base_giuridica: String,
    /// Recipients: the territorial services it was sent to.
    pub destinatari: Vec<String>,
    /// The record as held (what the session may see).
    pub dati: serde_json::Value,
}

/// The machine-readable part of the export.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessJson {
    /// The controller.
    pub titolare: String,
    /// The person's id.
    pub persona: String,
    /// When the export was made.
    pub generato_il: String,
    /// Every record held about the person.
    pub dati: Vec<HeldRecord>,
    /// Dates and times the cartella was consulted (None: the session may not read the
    /// access log, said in `nota_consultazioni`).
    pub consultazioni: Option<Vec<String>>,
    /// A note on the consultations.
    pub nota_consultazioni: String,
    /// Kinds of record the session could not read.
    pub non_leggibili: Vec<String>,
    /// What the review left out, and why.
    pub esclusi: Vec<Omission>,
}

/// The export: the PDF and the JSON.
#[derive(Debug, Clone)]
pub struct AccessExport {
    /// The cartella as PDF (with the omissions applied).
    pub pdf: Vec<u8>,
    /// The JSON, structured.
    pub json: AccessJson,
}

impl AccessExport {
    /// The JSON, pretty-printed.
    pub fn json_text(&self) -> String {
        serde_json::to_string_pretty(&self.json).expect("serialisable")
    }
}

fn record<T: Serialize>(tipo: &str, id: Id, b: Basis, to: Vec<String>, x: &T) -> HeldRecord {
    HeldRecord {
        tipo: tipo.to_string(),
        id: id.to_string(),
        finalita: b.purpose.to_string(),
        base_giuridica: b.legal_basis.to_string(),
        destinatari: to,
        dati: serde_json::to_value(x).unwrap_or(serde_json::Value::Null),
    }
}

fn held(c: &Cartella) -> Vec<HeldRecord> {
    let services: Vec<String> = c
        .referrals
        .iter()
        .map(|x| c.name(Some(x.service)).to_string())
        .collect();
    let mut out = vec![record(
        "persona",
        c.person.id,
        BASIS_PERSON,
        services.clone(),
        &c.person,
    )];
    for x in &c.privacy {
        out.push(record("registro privacy", x.id, BASIS_PRIVACY, vec![], x));
    }
    if let Some(h) = &c.household {
        out.push(record("nucleo", h.id, BASIS_HOUSEHOLD, vec![], h));
    }
    for m in &c.members {
        out.push(record(
            "componente del nucleo",
            m.id,
            BASIS_HOUSEHOLD,
            vec![],
            m,
        ));
    }
    for x in &c.contacts {
        out.push(record("accesso", x.id, BASIS_CONTACT, vec![], x));
    }
    for x in &c.cases {
        out.push(record("presa in carico", x.id, BASIS_CASE, vec![], x));
    }
    for x in &c.projects {
        let to = match &x.kind {
            ProjectKind::MessaAllaProva {
                uepe_office, court, ..
            } => vec![uepe_office.clone(), court.clone()],
            ProjectKind::Tirocinio { host, .. } => vec![host.clone()],
            _ => vec![],
        };
        out.push(record("progetto", x.id, BASIS_PROJECT, to, x));
    }
    for x in &c.referrals {
        let to = vec![c.name(Some(x.service)).to_string()];
        out.push(record("invio alla rete", x.id, BASIS_REFERRAL, to, x));
    }
    for x in &c.activities {
        out.push(record(
            "attività di gruppo",
            x.id,
            BASIS_ACTIVITY,
            vec![],
            x,
        ));
    }
    out
}

/// The art. 15 export of person `id` for the session: the whole cartella (every section,
/// every date) as PDF and JSON, with the review's omissions applied and recorded. Logged
/// as an export (`AccessKind::Esportazione`) whose purpose names the omissions.
pub fn access_export(
    store: &Store,
    session: Option<&Session>,
    id: Id,
    omissions: &[Omission],
) -> Result<AccessExport, StoreError> {
    // An export of the whole cartella: «esportazioni» besides what the reads need (the
    // command line and the window check it too; here is where the data is).
    if let Some(s) = session
        && !s.may(crate::domain::Permission::Esportazioni)
    {
        return Err(crate::store::access::denied(
            "L'esportazione dei dati di una persona (art. 15) richiede il permesso «esportazioni, rapporti e stampe».",
        ));
    }
    let options = CartellaOptions {
        omit_household_members: omissions
            .iter()
            .any(|o| o.item == OmitItem::HouseholdMembers),
        omit_confidential_notes: omissions
            .iter()
            .any(|o| o.item == OmitItem::ConfidentialNotes),
        ..CartellaOptions::default()
    };
    let r = super::reader(store, session)?;
    let c = cartella::gather(&r, id, &options)?;
    let mut documents = r.documents_about(id)?;
    if let Some(h) = &c.household {
        documents.extend(r.documents_about(h.id)?);
    }
    let (consultazioni, nota) = match r.audit(usize::MAX) {
        Ok(entries) => {
            let mut dates: Vec<String> = entries
                .into_iter()
                .filter(|(_, a)| {
                    a.entity == id
                        && a.kind == EntityKind::Person
                        && matches!(a.action, Action::Read(_))
                })
                .map(|(_, a)| a.at.format("%Y-%m-%d %H:%M").to_string())
                .collect();
            dates.reverse();
            (Some(dates), "Dal registro accessi".to_string())
        }
        Err(StoreError::Denied(_)) => (
            None,
            "Il ruolo di chi esporta non può leggere il registro accessi: chiedere al referente privacy".to_string(),
        ),
        Err(e) => return Err(e),
    };
    drop(r);
    let mut pdf_options = options.clone();
    pdf_options.desk = None;
    let pdf = cartella::render(&c, &pdf_options, super::header(store, &c, &pdf_options));
    let json = AccessJson {
        titolare: cartella::COOPERATIVE.to_string(),
        persona: id.to_string(),
        generato_il: store.clock().now().format("%Y-%m-%d %H:%M").to_string(),
        dati: {
            let mut dati = held(&c);
            dati.extend(
                documents
                    .iter()
                    .map(|d| record("documento allegato", d.id, BASIS_DOCUMENT, vec![], d)),
            );
            dati
        },
        consultazioni,
        nota_consultazioni: nota,
        non_leggibili: c.hidden.iter().map(|k| format!("{k:?}")).collect(),
        esclusi: omissions.to_vec(),
    };
    let mut purpose = "accesso art. 15".to_string();
    if !omissions.is_empty() {
        let parts: Vec<String> = omissions
            .iter()
            .map(|o| format!("{} ({})", o.item.label(), o.reason))
            .collect();
        purpose.push_str(&format!("; esclusi: {}", parts.join(", ")));
    }
    super::log(store, session, AccessKind::Esportazione, id, &purpose)?;
    Ok(AccessExport { pdf, json })
}
