//! Coded values of a sheet resolved against the catalogue and the team: a desk written
//! "Ornato", a line "WeMi", a measure "B2", an operator "Bianchi Anna", the kinds and
//! states written in words. Pure lookups over lists read once from the store.

use crate::domain::person::fold;
use crate::domain::*;

/// One catalogue entry as the resolver sees it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its id.
    pub id: Id,
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
}

/// The catalogue and the operators, for resolving coded cells.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Service lines.
    pub lines: Vec<Entry>,
    /// Desks.
    pub desks: Vec<Entry>,
    /// Measures.
    pub measures: Vec<Entry>,
    /// Territorial services.
    pub services: Vec<Entry>,
    /// Roles.
    pub roles: Vec<Entry>,
    /// Operators (code: "surname name", name: "name surname").
    pub operators: Vec<Entry>,
}

impl Catalog {
    /// Reads the catalogue (archived entries included: old sheets name old desks).
    pub fn load(r: &crate::store::Reader) -> Result<Catalog, crate::store::StoreError> {
        fn entries<E: crate::store::Entity>(
            r: &crate::store::Reader,
            f: impl Fn(&E) -> (Id, String, String),
        ) -> Result<Vec<Entry>, crate::store::StoreError> {
            Ok(r.all::<E>()?
                .iter()
                .map(|e| {
                    let (id, code, name) = f(e);
                    Entry { id, code, name }
                })
                .collect())
        }
        Ok(Catalog {
            lines: entries(r, |l: &ServiceLine| (l.id, l.code.clone(), l.name.clone()))?,
            desks: entries(r, |l: &Desk| (l.id, l.code.clone(), l.name.clone()))?,
            measures: entries(r, |l: &Measure| (l.id, l.code.clone(), l.name.clone()))?,
            services: entries(r, |l: &TerritorialService| {
                (l.id, l.code.clone(), l.name.clone())
            })?,
            roles: entries(r, |l: &Role| (l.id, l.code.clone(), l.name.clone()))?,
            operators: entries(r, |o: &Operator| {
                (
                    o.id,
                    format!("{} {}", o.surname, o.name),
                    format!("{} {}", o.name, o.surname),
                )
            })?,
        })
    }
}

/// The entry a cell names: by id, code or name (folded), else the only entry whose name
/// contains the text as whole words ("Ornato" → "WeMi Ornato"). `what` names the kind in
/// the message ("sportello").
pub fn resolve(entries: &[Entry], text: &str, what: &str) -> Result<Id, String> {
    let t = text.trim();
    if let Some(id) = Id::parse(t)
        && entries.iter().any(|e| e.id == id)
    {
        return Ok(id);
    }
    let key = fold(t);
    if let Some(e) = entries
        .iter()
        .find(|e| fold(&e.code) == key || fold(&e.name) == key)
    {
        return Ok(e.id);
    }
    let padded = format!(" {key} ");
    let words = |s: &str| {
        format!(
            " {} ",
            fold(s)
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { ' ' })
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        )
    };
    let hits: Vec<&Entry> = entries
        .iter()
        .filter(|e| !key.is_empty() && words(&e.name).contains(&padded))
        .collect();
    match hits.as_slice() {
        [one] => Ok(one.id),
        [] => Err(format!(
            "«{t}» non corrisponde a nessun {what}: aggiungi una corrispondenza nei valori della mappatura"
        )),
        many => Err(format!(
            "«{t}» può essere più di un {what} ({}): aggiungi una corrispondenza nei valori della mappatura",
            many.iter()
                .map(|e| e.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// A contact kind written in words ("ascolto", "pratiche", "telefonata", the labels).
pub fn contact_kind(text: &str) -> Result<ContactKind, String> {
    let t = fold(text);
    if let Some(k) = ContactKind::ALL.iter().find(|k| fold(k.label()) == t) {
        return Ok(*k);
    }
    Ok(match t.as_str() {
        "ascolto" | "colloquio di ascolto" => ContactKind::Ascolto,
        "informazione" | "informazioni" | "info" => ContactKind::Informazione,
        "orientamento" => ContactKind::Orientamento,
        "pratiche" | "pratica" | "disbrigo pratiche" | "accompagnamento" => ContactKind::Pratiche,
        "colloquio" => ContactKind::Colloquio,
        "visita" | "visita domiciliare" | "vd" => ContactKind::VisitaDomiciliare,
        "telefonata" | "telefono" | "tel" | "chiamata" => ContactKind::Telefonata,
        _ => {
            return Err(format!(
                "«{}» non è un tipo di accesso (ascolto, informazione, orientamento, pratiche, colloquio, visita domiciliare, telefonata)",
                text.trim()
            ));
        }
    })
}

/// The project kinds a sheet can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectCode {
    /// Tirocinio.
    Tirocinio,
    /// Messa alla prova.
    MessaAllaProva,
    /// Case manager.
    CaseManager,
    /// Sostegno allo studio.
    SostegnoStudio,
}

/// A project kind written in words ("tirocinio", "MAP", "messa alla prova", …).
pub fn project_kind(text: &str) -> Result<ProjectCode, String> {
    let t = fold(text);
    Ok(match t.as_str() {
        "tirocinio" | "tirocini" | "tirocinio lavorativo" => ProjectCode::Tirocinio,
        "messa alla prova" | "map" | "lpu" | "lavori di pubblica utilita" => {
            ProjectCode::MessaAllaProva
        }
        "case manager" | "case-manager" | "cm" => ProjectCode::CaseManager,
        "sostegno allo studio" | "sostegno studio" | "studio" => ProjectCode::SostegnoStudio,
        _ => {
            return Err(format!(
                "«{}» non è un tipo di progetto (tirocinio, messa alla prova, case manager, sostegno allo studio)",
                text.trim()
            ));
        }
    })
}

/// A case status in words.
pub fn case_status(text: &str) -> Result<CaseStatus, String> {
    let t = fold(text);
    CaseStatus::ALL
        .into_iter()
        .find(|s| fold(s.label()) == t)
        .or(match t.as_str() {
            "aperto" => Some(CaseStatus::Aperta),
            "in carico" => Some(CaseStatus::InCorso),
            "chiuso" => Some(CaseStatus::Chiusa),
            "inviato" | "inviata" => Some(CaseStatus::InviataRete),
            _ => None,
        })
        .ok_or_else(|| {
            format!(
                "«{}» non è uno stato (aperta, in corso, inviata alla rete, chiusa)",
                text.trim()
            )
        })
}

/// A referral outcome in words.
pub fn referral_outcome(text: &str) -> Result<ReferralOutcome, String> {
    let t = fold(text);
    ReferralOutcome::ALL
        .into_iter()
        .find(|s| fold(s.label()) == t)
        .or(match t.as_str() {
            "attesa" => Some(ReferralOutcome::InAttesa),
            "accolto" | "preso in carico" => Some(ReferralOutcome::Accolto),
            "non accolto" => Some(ReferralOutcome::NonAccolto),
            "rinuncia" => Some(ReferralOutcome::Rinuncia),
            _ => None,
        })
        .ok_or_else(|| format!("«{}» non è un esito dell'invio", text.trim()))
}

/// A relationship in the household in words ("capofamiglia", "moglie", "figlia", …).
pub fn relationship(text: &str) -> Result<Relationship, String> {
    let t = fold(text);
    if let Some(r) = Relationship::ALL.iter().find(|r| fold(r.label()) == t) {
        return Ok(*r);
    }
    Ok(match t.as_str() {
        "riferimento" | "capofamiglia" | "intestatario" | "intestataria" | "richiedente" => {
            Relationship::Riferimento
        }
        "coniuge" | "moglie" | "marito" | "partner" | "compagno" | "compagna" => {
            Relationship::Coniuge
        }
        "figlio" | "figlia" | "figlio/a" | "minore" => Relationship::Figlio,
        "genitore" | "madre" | "padre" | "mamma" | "papa" => Relationship::Genitore,
        "fratello" | "sorella" => Relationship::Fratello,
        "nonno" | "nonna" => Relationship::Nonno,
        "nipote" => Relationship::Nipote,
        "altro parente" | "parente" | "zio" | "zia" | "cugino" | "cugina" => {
            Relationship::AltroParente
        }
        "convivente" => Relationship::Convivente,
        _ => return Err(format!("«{}» non è una relazione nel nucleo", text.trim())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(code: &str, name: &str) -> Entry {
        Entry {
            id: Id::new(),
            code: code.into(),
            name: name.into(),
        }
    }

    #[test]
    fn coded_cells() {
        let desks = vec![
            e("sede", "Sede — Accoglienza Sociale"),
            e("ornato", "WeMi Ornato"),
            e("rizzoli", "WeMi Rizzoli"),
        ];
        assert_eq!(resolve(&desks, "ORNATO", "sportello"), Ok(desks[1].id));
        assert_eq!(
            resolve(&desks, "WeMi Rizzoli", "sportello"),
            Ok(desks[2].id)
        );
        assert_eq!(
            resolve(&desks, &desks[0].id.to_string(), "sportello"),
            Ok(desks[0].id)
        );
        assert!(
            resolve(&desks, "WeMi", "sportello")
                .unwrap_err()
                .contains("più di un")
        );
        assert!(
            resolve(&desks, "Baggio", "sportello")
                .unwrap_err()
                .contains("nessun")
        );
        assert_eq!(contact_kind("Telefonata"), Ok(ContactKind::Telefonata));
        assert_eq!(
            contact_kind("Accompagnamento pratiche"),
            Ok(ContactKind::Pratiche)
        );
        assert_eq!(project_kind("MAP"), Ok(ProjectCode::MessaAllaProva));
        assert_eq!(relationship("Figlio/a"), Ok(Relationship::Figlio));
        assert_eq!(relationship("moglie"), Ok(Relationship::Coniuge));
        assert_eq!(
            case_status("Inviata alla rete"),
            Ok(CaseStatus::InviataRete)
        );
        assert_eq!(
            referral_outcome("Preso in carico dal servizio"),
            Ok(ReferralOutcome::Accolto)
        );
    }
}
