//! The mapping step of the wizard: sheet, kind of rows, header row, a saved mapping, each
//! column's field, fixed values for what no column holds, and saving the mapping by name.

use super::ImportPanel;
use crate::import::{self, Field, Mapping, RowKind};
use crate::tr;
use crate::ui::Env;
use crate::ui::widgets::{self, FIELD_WIDTH};
use egui::{RichText, Ui};

/// Fields offered as fixed values (a whole sheet of one desk, one line, one kind).
const FIXED: [Field; 5] = [
    Field::Line,
    Field::Desk,
    Field::Operator,
    Field::Kind,
    Field::Service,
];

impl ImportPanel {
    pub(super) fn mapping_ui(&mut self, ui: &mut Ui, env: &mut Env) {
        let (Some(sheet), Some(mapping)) = (&self.sheet, &mut self.mapping) else {
            return;
        };
        ui.label(format!(
            "{} — {}",
            self.path
                .as_ref()
                .and_then(|p| p.file_name())
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            sheet.kind.describe()
        ));
        let mut reread: Option<String> = None;
        let mut load_saved: Option<Mapping> = None;
        if self.saved.is_none() {
            self.saved = import::saved_mappings(&env.store).ok();
        }
        egui::Grid::new("import-mapping")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let sheets: Vec<(String, String)> = sheet
                    .sheet_names
                    .iter()
                    .map(|s| (s.clone(), s.clone()))
                    .collect();
                let mut chosen = sheet.name.clone();
                widgets::choice_row(ui, &tr!("import-sheet"), &mut chosen, &sheets, None);
                if chosen != sheet.name {
                    reread = Some(chosen);
                }
                if let import::read::FileKind::Csv { encoding, .. } = sheet.kind {
                    let options = [
                        import::TextEncoding::Utf8,
                        import::TextEncoding::Windows1252,
                    ]
                    .map(|e| (e, e.label().to_string()));
                    let mut chosen = encoding;
                    widgets::choice_row(ui, &tr!("import-encoding"), &mut chosen, &options, None);
                    if chosen != encoding {
                        self.encoding = Some(chosen);
                        reread = Some(sheet.name.clone());
                    }
                }
                if let Some(saved) = &self.saved
                    && !saved.is_empty()
                {
                    let mut options: Vec<(Option<String>, String)> =
                        vec![(None, tr!("import-no-saved"))];
                    options.extend(saved.iter().map(|m| (Some(m.name.clone()), m.name.clone())));
                    let before = self.chosen_saved.clone();
                    widgets::choice_row(
                        ui,
                        &tr!("import-saved-mapping"),
                        &mut self.chosen_saved,
                        &options,
                        None,
                    );
                    if self.chosen_saved != before
                        && let Some(name) = &self.chosen_saved
                    {
                        load_saved = saved.iter().find(|m| &m.name == name).cloned();
                    }
                }
                let kinds: Vec<(RowKind, String)> = RowKind::ALL
                    .into_iter()
                    .map(|k| (k, k.label().to_string()))
                    .collect();
                let before = mapping.kind;
                widgets::choice_row(ui, &tr!("import-kind"), &mut mapping.kind, &kinds, None);
                if mapping.kind != before {
                    mapping.columns.clear();
                }
                if matches!(
                    mapping.kind,
                    RowKind::Contacts | RowKind::Cases | RowKind::Referrals
                ) {
                    widgets::check_row(
                        ui,
                        &tr!("import-about"),
                        &tr!("import-about-household"),
                        &mut mapping.about_household,
                    );
                }
                widgets::text_row(ui, &tr!("import-header-row"), &mut self.header_row, None);
            });
        if let Some(m) = load_saved {
            if let Some(h) = m.header_row {
                self.header_row = h.to_string();
            }
            *mapping = m;
        }
        let header_index = self
            .header_row
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .map(|n| n - 1);
        let headers: Vec<String> = header_index
            .and_then(|i| sheet.rows.get(i))
            .map(|r| r.iter().map(|c| c.text()).collect())
            .unwrap_or_default();
        // Columns: what the mapping says, else the guess.
        let resolved = import::mapping::resolve_columns(mapping, &headers).unwrap_or_default();
        ui.add_space(6.0);
        ui.label(RichText::new(tr!("import-columns")).strong());
        let mut fields: Vec<(Option<Field>, String)> = vec![(None, tr!("import-skip-column"))];
        fields.extend(
            mapping
                .kind
                .fields()
                .into_iter()
                .map(|f| (Some(f), f.label().to_string())),
        );
        egui::Grid::new("import-columns")
            .num_columns(3)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for (i, h) in headers.iter().enumerate() {
                    if h.is_empty() {
                        continue;
                    }
                    let label = tr!("import-column", header = h.clone());
                    let mut current = resolved.iter().find(|(_, c)| **c == i).map(|(f, _)| *f);
                    let before = current;
                    let l = widgets::label(ui, &label);
                    widgets::choice(
                        ui,
                        ("import-col", i),
                        l.id,
                        &mut current,
                        &fields,
                        FIELD_WIDTH,
                    );
                    let example = header_index
                        .and_then(|hi| sheet.rows.get(hi + 1))
                        .and_then(|r| r.get(i))
                        .map(|c| c.text())
                        .unwrap_or_default();
                    ui.label(RichText::new(example).weak());
                    ui.end_row();
                    if current != before {
                        // Every column explicit from now on: the guess is frozen.
                        for (f, c) in &resolved {
                            mapping
                                .columns
                                .entry(*f)
                                .or_insert_with(|| headers[*c].clone());
                        }
                        mapping.guess = false;
                        if let Some(b) = before {
                            mapping.columns.remove(&b);
                        }
                        if let Some(f) = current {
                            mapping.columns.retain(|_, hh| hh != h);
                            mapping.columns.insert(f, h.clone());
                        }
                    }
                }
            });
        ui.add_space(6.0);
        ui.label(RichText::new(tr!("import-fixed")).strong());
        let kind_fields = mapping.kind.fields();
        egui::Grid::new("import-fixed")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                for f in FIXED {
                    // The kind of a whole sheet is offered for projects only (a contact's
                    // kind defaults from its measure).
                    if !kind_fields.contains(&f)
                        || resolved.contains_key(&f)
                        || (f == Field::Kind && mapping.kind != RowKind::Projects)
                    {
                        continue;
                    }
                    let options = fixed_options(f, env);
                    let mut value = mapping.fixed.get(&f).cloned();
                    let before = value.clone();
                    widgets::choice_row(
                        ui,
                        &tr!("import-fixed-field", field = f.label()),
                        &mut value,
                        &options,
                        None,
                    );
                    if value != before {
                        match value {
                            Some(v) => {
                                mapping.fixed.insert(f, v);
                            }
                            None => {
                                mapping.fixed.remove(&f);
                            }
                        }
                    }
                }
                widgets::text_row(ui, &tr!("import-mapping-name"), &mut mapping.name, None);
            });
        let mut plan = false;
        let mut save = false;
        ui.horizontal(|ui| {
            if ui.button(tr!("import-save-mapping")).clicked() {
                save = true;
            }
            if ui.button(tr!("import-preview")).clicked() {
                plan = true;
            }
        });
        if save {
            let mut m = mapping.clone();
            m.header_row = self.header_row.trim().parse().ok();
            m.sheet = Some(sheet.name.clone());
            self.outcome = Some(match import::save_mapping(&env.store, env.operator, &m) {
                Ok(()) => (tr!("import-mapping-saved", name = m.name.clone()), false),
                Err(e) => (e, true),
            });
            self.saved = None;
        }
        if let Some(s) = reread {
            self.read(ui.ctx(), Some(s));
        } else if plan {
            self.decisions.clear();
            self.start_plan(ui.ctx(), env);
        }
    }
}

/// The values a fixed field can take: "—" then the catalogue's (or the kinds').
fn fixed_options(f: Field, env: &Env) -> Vec<(Option<String>, String)> {
    let c = &env.data.catalog;
    let mut out: Vec<(Option<String>, String)> = vec![(None, "—".into())];
    match f {
        Field::Line => out.extend(
            c.lines
                .iter()
                .filter(|l| !l.archived)
                .map(|l| (Some(l.code.clone()), l.name.clone())),
        ),
        Field::Desk => out.extend(
            c.desks
                .iter()
                .filter(|l| !l.archived)
                .map(|l| (Some(l.code.clone()), l.name.clone())),
        ),
        Field::Service => out.extend(
            c.services
                .iter()
                .filter(|l| !l.archived)
                .map(|l| (Some(l.code.clone()), l.name.clone())),
        ),
        Field::Operator => out.extend(
            c.active_operators()
                .map(|o| (Some(o.id.to_string()), o.display_name())),
        ),
        Field::Kind => out.extend(
            [
                "tirocinio",
                "messa alla prova",
                "case manager",
                "sostegno allo studio",
            ]
            .map(|k| (Some(k.to_string()), k.to_string())),
        ),
        _ => {}
    }
    out
}
