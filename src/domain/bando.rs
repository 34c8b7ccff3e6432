//! Bandi (issue 15): the editions of a public measure people apply to — who runs it, the
//! year, when applications open and close, the requirements and the documents an
//! application needs — and the kinds of document (catalogue data both).
//!
//! A `Bando` is its own catalogue kind rather than new fields of [`super::Measure`]:
//! records are postcard-encoded (not self-describing), so a field added to `Measure` would
//! need a schema conversion; and a measure (Misura B2) has a new edition each year with its
//! own dates, which is what a bando is.

use super::ids::Id;
use super::time::opt_date_serde;
use super::validate::{Problems, optional_text, required_text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A kind of document an application may need (ISEE, documento d'identità, permesso di
/// soggiorno…): catalogue data, so a later attached document names the same kind and can
/// tick every checklist that asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentKind {
    /// Identifier.
    pub id: Id,
    /// Short stable code.
    pub code: String,
    /// Name shown to the team.
    pub name: String,
    /// Hidden when archived.
    pub archived: bool,
}

/// The default kinds of document (written by the demo and offered in Impostazioni).
pub fn default_document_kinds() -> Vec<DocumentKind> {
    [
        ("isee", "Attestazione ISEE"),
        ("id", "Documento d'identità"),
        ("cf", "Tessera sanitaria / codice fiscale"),
        ("pds", "Permesso di soggiorno"),
        ("informativa", "Informativa privacy firmata"),
        ("ricevuta", "Ricevuta di presentazione"),
        ("cert-inv", "Certificato di invalidità / L. 104"),
        ("iban", "Coordinate bancarie (IBAN)"),
    ]
    .into_iter()
    .map(|(code, name)| DocumentKind {
        id: Id::new(),
        code: code.into(),
        name: name.into(),
        archived: false,
    })
    .collect()
}

/// A document a bando asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequiredDocument {
    /// The kind of document.
    pub kind: Id,
    /// The document has a validity that ends (ISEE valid to 31 December…).
    pub expires: bool,
}

/// An edition of a public measure (Misura B2 2025, Bando L. 112 «Dopo di Noi» 2024…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bando {
    /// Identifier.
    pub id: Id,
    /// Short stable code (unique among bandi), e.g. `b2-2025`.
    pub code: String,
    /// Name shown to the team.
    pub name: String,
    /// The measure it is an edition of.
    pub measure: Id,
    /// The body that runs it (Comune di Milano, Regione Lombardia, INPS…).
    pub body: String,
    /// The year of the edition.
    pub year: i32,
    /// The edition's label when a year has more than one («seconda finestra»), else empty.
    pub edition: String,
    /// First day applications are accepted.
    #[serde(with = "opt_date_serde")]
    pub opens: Option<NaiveDate>,
    /// Last day applications are accepted.
    #[serde(with = "opt_date_serde")]
    pub closes: Option<NaiveDate>,
    /// Requirements, as text.
    pub requirements: String,
    /// The documents an application needs.
    pub documents: Vec<RequiredDocument>,
    /// Hidden when archived.
    pub archived: bool,
}

impl Bando {
    /// Validates the bando: code and name as any catalogue entry, a measure, a body, a
    /// plausible year, dates in order and each document at most once.
    pub fn validate(&self) -> Problems {
        let mut p = super::catalogue::validate_entry(&self.code, &self.name);
        if self.measure == Id::NIL {
            p.add("measure", "Scegli la misura di cui il bando è un'edizione");
        }
        required_text(
            &mut p,
            "body",
            "L'ente che gestisce il bando",
            &self.body,
            120,
        );
        optional_text(&mut p, "edition", "L'edizione", &self.edition, 60);
        optional_text(
            &mut p,
            "requirements",
            "I requisiti",
            &self.requirements,
            4000,
        );
        if !(2000..=2100).contains(&self.year) {
            p.add("year", "L'anno del bando deve essere tra il 2000 e il 2100");
        }
        if let (Some(o), Some(c)) = (self.opens, self.closes)
            && c < o
        {
            p.add(
                "closes",
                "La chiusura del bando non può precedere l'apertura",
            );
        }
        let mut seen = std::collections::HashSet::new();
        for d in &self.documents {
            if d.kind == Id::NIL {
                p.add("documents", "Scegli il tipo di ogni documento richiesto");
            } else if !seen.insert(d.kind) {
                p.add("documents", "Un documento è richiesto due volte");
            }
        }
        p
    }

    /// True when applications are accepted on `day` (no dates: always).
    pub fn open_on(&self, day: NaiveDate) -> bool {
        self.opens.is_none_or(|o| o <= day) && self.closes.is_none_or(|c| day <= c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bando() -> Bando {
        Bando {
            id: Id::new(),
            code: "b2-2025".into(),
            name: "Misura B2 2025".into(),
            measure: Id::new(),
            body: "Comune di Milano".into(),
            year: 2025,
            edition: String::new(),
            opens: NaiveDate::from_ymd_opt(2025, 3, 1),
            closes: NaiveDate::from_ymd_opt(2025, 5, 31),
            requirements: "ISEE sociosanitario ≤ 25.000 €".into(),
            documents: vec![],
            archived: false,
        }
    }

    #[test]
    fn dates_in_order_and_documents_once() {
        assert!(bando().validate().is_empty());
        let mut b = bando();
        b.closes = NaiveDate::from_ymd_opt(2025, 2, 1);
        assert!(b.validate().for_field("closes").is_some());
        let mut b = bando();
        let k = Id::new();
        b.documents = vec![
            RequiredDocument {
                kind: k,
                expires: true,
            },
            RequiredDocument {
                kind: k,
                expires: false,
            },
        ];
        assert!(b.validate().for_field("documents").is_some());
        let mut b = bando();
        b.body = " ".into();
        b.year = 1990;
        let p = b.validate();
        assert!(p.for_field("body").is_some() && p.for_field("year").is_some());
    }

    #[test]
    fn open_on_its_dates() {
        let b = bando();
        assert!(b.open_on(NaiveDate::from_ymd_opt(2025, 5, 31).unwrap()));
        assert!(!b.open_on(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()));
    }
}
