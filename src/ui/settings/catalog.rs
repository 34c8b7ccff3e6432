//! The catalogue the team edits, one tab per kind: service lines (with their counting
//! unit), areas, desks, measures, territorial services, roles, purposes of consent, kinds
//! of document and bandi (issue 15).

use super::SettingsScreen;
use super::entry_form::{Entry, EntryForm};
use crate::domain::*;
use crate::tr;
use crate::ui::table::{Col, ListState};
use crate::ui::{Env, labels};
use chrono::Datelike;
use egui::{RichText, Ui};

/// Which part of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Tab {
    #[default]
    Lines,
    Areas,
    Desks,
    Measures,
    Services,
    Roles,
    Purposes,
    DocumentKinds,
    Bandi,
}

impl Tab {
    pub(super) const ALL: [Tab; 9] = [
        Tab::Lines,
        Tab::Areas,
        Tab::Desks,
        Tab::Measures,
        Tab::Services,
        Tab::Roles,
        Tab::Purposes,
        Tab::DocumentKinds,
        Tab::Bandi,
    ];

    fn key(self) -> &'static str {
        match self {
            Tab::Lines => "catalog-lines",
            Tab::Areas => "catalog-areas",
            Tab::Desks => "catalog-desks",
            Tab::Measures => "catalog-measures",
            Tab::Services => "catalog-services",
            Tab::Roles => "catalog-roles",
            Tab::Purposes => "catalog-purposes",
            Tab::DocumentKinds => "settings-tab-document-kinds",
            Tab::Bandi => "settings-tab-bandi",
        }
    }
}

impl SettingsScreen {
    pub(super) fn catalog_ui(&mut self, ui: &mut Ui, env: &mut Env) {
        ui.label(RichText::new(tr!("settings-catalog")).heading());
        ui.weak(tr!("settings-catalog-text"));
        ui.horizontal(|ui| {
            for t in Tab::ALL {
                if ui.selectable_label(self.tab == t, tr!(t.key())).clicked() && self.tab != t {
                    self.tab = t;
                    self.list = ListState::default();
                }
            }
        });
        let cat = &env.data.catalog;
        // (id, code, name, extra, archived)
        let rows: Vec<(Id, String, String, String, bool)> = match self.tab {
            Tab::Lines => cat
                .lines
                .iter()
                .map(|l| {
                    (
                        l.id,
                        l.code.clone(),
                        l.name.clone(),
                        format!("{} — {}", labels::unit(l.unit), cat.name(l.area)),
                        l.archived,
                    )
                })
                .collect(),
            Tab::Areas => cat
                .areas
                .iter()
                .map(|a| {
                    (
                        a.id,
                        a.code.clone(),
                        a.name.clone(),
                        String::new(),
                        a.archived,
                    )
                })
                .collect(),
            Tab::Desks => cat
                .desks
                .iter()
                .map(|d| {
                    (
                        d.id,
                        d.code.clone(),
                        d.name.clone(),
                        d.address.clone(),
                        d.archived,
                    )
                })
                .collect(),
            Tab::Measures => cat
                .measures
                .iter()
                .map(|m| {
                    (
                        m.id,
                        m.code.clone(),
                        m.name.clone(),
                        String::new(),
                        m.archived,
                    )
                })
                .collect(),
            Tab::Services => cat
                .services
                .iter()
                .map(|s| {
                    (
                        s.id,
                        s.code.clone(),
                        s.name.clone(),
                        s.category.clone(),
                        s.archived,
                    )
                })
                .collect(),
            Tab::Roles => cat
                .roles
                .iter()
                .map(|r| {
                    (
                        r.id,
                        r.code.clone(),
                        r.name.clone(),
                        String::new(),
                        r.archived,
                    )
                })
                .collect(),
            Tab::Purposes => cat
                .purposes
                .iter()
                .map(|p| {
                    (
                        p.id,
                        p.code.clone(),
                        p.name.clone(),
                        String::new(),
                        p.archived,
                    )
                })
                .collect(),
            Tab::DocumentKinds => cat
                .document_kinds
                .iter()
                .map(|k| {
                    (
                        k.id,
                        k.code.clone(),
                        k.name.clone(),
                        String::new(),
                        k.archived,
                    )
                })
                .collect(),
            Tab::Bandi => cat
                .bandi
                .iter()
                .map(|b| {
                    let closes = b
                        .closes
                        .map(crate::domain::time::fmt_date)
                        .unwrap_or_default();
                    let extra = format!("{} — {} — {closes}", b.year, b.body);
                    (b.id, b.code.clone(), b.name.clone(), extra, b.archived)
                })
                .collect(),
        };
        if self.tab == Tab::DocumentKinds {
            self.document_limit.ui(ui, env);
        }
        let cat = &env.data.catalog;
        if ui.button(tr!("catalog-new")).clicked() {
            let id = Id::NIL;
            let first_area = cat.areas.first().map(|a| a.id).unwrap_or(Id::NIL);
            let entry = match self.tab {
                Tab::Lines => Entry::Line(ServiceLine {
                    id,
                    code: String::new(),
                    name: String::new(),
                    area: first_area,
                    unit: CountingUnit::Persone,
                    report_noun: String::new(),
                    report_phrase: String::new(),
                    order: cat.lines.len() as u16,
                    archived: false,
                }),
                Tab::Areas => Entry::Area(Area {
                    id,
                    code: String::new(),
                    name: String::new(),
                    archived: false,
                }),
                Tab::Desks => Entry::Desk(Desk {
                    id,
                    code: String::new(),
                    name: String::new(),
                    address: String::new(),
                    archived: false,
                }),
                Tab::Measures => Entry::Measure(Measure {
                    id,
                    code: String::new(),
                    name: String::new(),
                    archived: false,
                }),
                Tab::Services => Entry::Service(TerritorialService {
                    id,
                    code: String::new(),
                    name: String::new(),
                    category: String::new(),
                    contact: String::new(),
                    archived: false,
                }),
                Tab::Roles => Entry::Role(Role {
                    id,
                    code: String::new(),
                    name: String::new(),
                    archived: false,
                }),
                Tab::Purposes => Entry::Purpose(Purpose {
                    id,
                    code: String::new(),
                    name: String::new(),
                    archived: false,
                }),
                Tab::DocumentKinds => Entry::DocumentKind(DocumentKind {
                    id,
                    code: String::new(),
                    name: String::new(),
                    archived: false,
                }),
                Tab::Bandi => Entry::Bando(Bando {
                    id,
                    code: String::new(),
                    name: String::new(),
                    measure: cat.measures.first().map(|m| m.id).unwrap_or(Id::NIL),
                    body: String::new(),
                    year: crate::domain::time::today().year(),
                    edition: String::new(),
                    opens: None,
                    closes: None,
                    requirements: String::new(),
                    documents: vec![],
                    archived: false,
                }),
            };
            self.form = Some(EntryForm::new(entry, true));
        }
        self.list.set_order((0..rows.len() as u32).collect());
        let fixed = |key, width| Col {
            key,
            width,
            sortable: false,
        };
        let cols: [Col; 4] = [
            fixed("catalog-code", 140.0),
            fixed("catalog-name", 380.0),
            fixed("catalog-extra", 260.0),
            fixed("catalog-archived", 80.0),
        ];
        let keys = self.form.is_none() && env.list_keys(ui, false);
        let list = &mut self.list;
        let open = ui.allocate_ui(egui::vec2(ui.available_width(), 300.0), |ui| {
            list.ui(ui, keys, "catalog-table", &cols, |ui, i, c| {
                let r = &rows[i as usize];
                let text = match c {
                    0 => r.1.clone(),
                    1 => r.2.clone(),
                    2 => r.3.clone(),
                    _ => {
                        if r.4 {
                            tr!("yes")
                        } else {
                            String::new()
                        }
                    }
                };
                if r.4 {
                    ui.label(RichText::new(text).weak());
                } else {
                    ui.label(text);
                }
            })
        });
        if let Some(row) = open.inner {
            let id = rows[row as usize].0;
            let entry = match self.tab {
                Tab::Lines => cat
                    .lines
                    .iter()
                    .find(|x| x.id == id)
                    .cloned()
                    .map(Entry::Line),
                Tab::Areas => cat
                    .areas
                    .iter()
                    .find(|x| x.id == id)
                    .cloned()
                    .map(Entry::Area),
                Tab::Desks => cat
                    .desks
                    .iter()
                    .find(|x| x.id == id)
                    .cloned()
                    .map(Entry::Desk),
                Tab::Measures => cat
                    .measures
                    .iter()
                    .find(|x| x.id == id)
                    .cloned()
                    .map(Entry::Measure),
                Tab::Services => cat
                    .services
                    .iter()
                    .find(|x| x.id == id)
                    .cloned()
                    .map(Entry::Service),
                Tab::Roles => cat
                    .roles
                    .iter()
                    .find(|x| x.id == id)
                    .cloned()
                    .map(Entry::Role),
                Tab::Purposes => cat
                    .purposes
                    .iter()
                    .find(|x| x.id == id)
                    .cloned()
                    .map(Entry::Purpose),
                Tab::DocumentKinds => cat
                    .document_kinds
                    .iter()
                    .find(|x| x.id == id)
                    .cloned()
                    .map(Entry::DocumentKind),
                Tab::Bandi => cat
                    .bandi
                    .iter()
                    .find(|x| x.id == id)
                    .cloned()
                    .map(Entry::Bando),
            };
            if let Some(e) = entry {
                self.form = Some(EntryForm::new(e, false));
            }
        }
    }
}
