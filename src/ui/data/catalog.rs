//! The catalogue (service lines, areas, desks, measures, services, roles, purposes) and the
//! operators, with every entry's name by id.

use crate::domain::person::fold;
use crate::domain::*;
use crate::store::{Reader, StoreError};
use std::collections::HashMap;

/// The catalogue and the team, small enough to keep whole.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Service lines in report order.
    pub lines: Vec<ServiceLine>,
    /// Areas.
    pub areas: Vec<Area>,
    /// Desks.
    pub desks: Vec<Desk>,
    /// Public measures.
    pub measures: Vec<Measure>,
    /// Territorial services.
    pub services: Vec<TerritorialService>,
    /// Roles.
    pub roles: Vec<Role>,
    /// Purposes of consent.
    pub purposes: Vec<Purpose>,
    /// Kinds of document (issue 15).
    pub document_kinds: Vec<DocumentKind>,
    /// Bandi, latest year first then by name (issue 15).
    pub bandi: Vec<Bando>,
    /// Operators, by surname.
    pub operators: Vec<Operator>,
    names: HashMap<Id, String>,
}

impl Catalog {
    /// Reads the whole catalogue.
    pub fn load(r: &Reader) -> Result<Catalog, StoreError> {
        let mut c = Catalog {
            lines: r.all()?,
            areas: r.all()?,
            desks: r.all()?,
            measures: r.all()?,
            services: r.all()?,
            roles: r.all()?,
            purposes: r.all()?,
            document_kinds: r.all()?,
            bandi: r.all()?,
            operators: r.all()?,
            names: HashMap::new(),
        };
        c.lines.sort_by_key(|l| (l.order, l.name.clone()));
        c.services.sort_by_key(|s| fold(&s.name));
        c.bandi
            .sort_by_key(|b| (std::cmp::Reverse(b.year), fold(&b.name)));
        c.document_kinds.sort_by_key(|k| fold(&k.name));
        c.operators
            .sort_by_key(|o| (fold(&o.surname), fold(&o.name)));
        c.index();
        Ok(c)
    }

    fn index(&mut self) {
        let mut names = HashMap::new();
        for l in &self.lines {
            names.insert(l.id, l.name.clone());
        }
        for a in &self.areas {
            names.insert(a.id, a.name.clone());
        }
        for d in &self.desks {
            names.insert(d.id, d.name.clone());
        }
        for m in &self.measures {
            names.insert(m.id, m.name.clone());
        }
        for s in &self.services {
            names.insert(s.id, s.name.clone());
        }
        for r in &self.roles {
            names.insert(r.id, r.name.clone());
        }
        for p in &self.purposes {
            names.insert(p.id, p.name.clone());
        }
        for k in &self.document_kinds {
            names.insert(k.id, k.name.clone());
        }
        for b in &self.bandi {
            names.insert(b.id, b.name.clone());
        }
        for o in &self.operators {
            names.insert(o.id, o.display_name());
        }
        self.names = names;
    }

    /// The name of any catalogue entry or operator; empty when unknown.
    pub fn name(&self, id: Id) -> &str {
        self.names.get(&id).map(String::as_str).unwrap_or("")
    }

    /// The name of an optional entry; empty when none.
    pub fn name_opt(&self, id: Option<Id>) -> &str {
        id.map(|i| self.name(i)).unwrap_or("")
    }

    /// An operator by id.
    pub fn operator(&self, id: Id) -> Option<&Operator> {
        self.operators.iter().find(|o| o.id == id)
    }

    /// A service line by id.
    pub fn line(&self, id: Id) -> Option<&ServiceLine> {
        self.lines.iter().find(|l| l.id == id)
    }

    /// A service line by code.
    pub fn line_by_code(&self, code: &str) -> Option<&ServiceLine> {
        self.lines.iter().find(|l| l.code == code)
    }

    /// A bando by id.
    pub fn bando(&self, id: Id) -> Option<&Bando> {
        self.bandi.iter().find(|b| b.id == id)
    }

    /// A desk by id.
    pub fn desk(&self, id: Id) -> Option<&Desk> {
        self.desks.iter().find(|d| d.id == id)
    }

    /// Operators still in the team.
    pub fn active_operators(&self) -> impl Iterator<Item = &Operator> {
        self.operators.iter().filter(|o| o.active && !o.archived)
    }
}
