//! Registro accessi: who opened which cartella, read confidential notes, exported,
//! printed, backed up or restored, signed in or failed to, and every extraordinary access
//! with its reason (flagged). For administrators and coordinators; filters by account,
//! person, kind and dates; exported as CSV. It never shows note contents: the log holds
//! none.

use super::Env;
use super::file_picker::{PendingPick, PickKind, PickRequest};
use super::table::{Col, ListState, cell, col};
use super::widgets::{self, Picked, SubjectPicker};
use crate::access::LogFilter;
use crate::domain::access::AccessKind;
use crate::domain::time::fmt_datetime;
use crate::domain::*;
use crate::tr;
use egui::{RichText, Ui};
use std::collections::HashMap;

/// The most entries shown at once (the newest first).
const LIMIT: usize = 5_000;

const COLS: [Col; 7] = [
    col("log-col-when", 130.0),
    col("log-col-account", 120.0),
    col("log-col-operator", 140.0),
    col("log-col-action", 190.0),
    col("log-col-record", 200.0),
    col("log-col-detail", 260.0),
    col("log-col-flag", 40.0),
];

/// Which entries the kind filter keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KindFilter {
    /// Reads and account events (no record changes).
    #[default]
    Access,
    /// Everything, record changes included.
    All,
    /// Extraordinary accesses and lock-outs.
    Flagged,
    /// Cartelle opened.
    Cartella,
    /// Exports, reports and prints.
    Exports,
    /// Backups and restores.
    Backups,
    /// Sign-ins, failures, locks.
    SignIns,
}

impl KindFilter {
    const ALL: [KindFilter; 7] = [
        KindFilter::Access,
        KindFilter::All,
        KindFilter::Flagged,
        KindFilter::Cartella,
        KindFilter::Exports,
        KindFilter::Backups,
        KindFilter::SignIns,
    ];

    fn key(self) -> &'static str {
        match self {
            KindFilter::Access => "log-kind-access",
            KindFilter::All => "log-kind-all",
            KindFilter::Flagged => "log-kind-flagged",
            KindFilter::Cartella => "log-kind-cartella",
            KindFilter::Exports => "log-kind-exports",
            KindFilter::Backups => "log-kind-backups",
            KindFilter::SignIns => "log-kind-signins",
        }
    }

    fn keeps(self, a: Action) -> bool {
        use AccessKind as K;
        match self {
            KindFilter::Access | KindFilter::Flagged => a.is_access(),
            KindFilter::All => true,
            KindFilter::Cartella => {
                matches!(
                    a,
                    Action::Read(K::Cartella) | Action::Read(K::NoteRiservate)
                )
            }
            KindFilter::Exports => matches!(
                a,
                Action::Read(K::Esportazione | K::Rapporto | K::Stampa | K::Registro)
            ),
            KindFilter::Backups => matches!(
                a,
                Action::Read(K::Backup | K::Ripristino) | Action::RestoreBackup
            ),
            KindFilter::SignIns => matches!(
                a,
                Action::SignIn
                    | Action::SignInFailed
                    | Action::AccountLocked
                    | Action::AccountUnlocked
                    | Action::SignOut
                    | Action::Lock
            ),
        }
    }
}

/// One row of the log as shown.
#[derive(Debug, Clone)]
struct Row {
    when: String,
    account: String,
    operator: String,
    action: String,
    record: String,
    detail: String,
    flagged: bool,
}

/// The filter the rows on screen were loaded for (account, kind, dates, person, count).
type LoadedFilter = (
    Option<Id>,
    KindFilter,
    String,
    String,
    Option<Subject>,
    usize,
);

/// The Registro accessi screen.
pub struct AccessLogScreen {
    account: Option<Id>,
    kind: KindFilter,
    from: String,
    to: String,
    person: SubjectPicker,
    subject: Option<Subject>,
    rows: Vec<Row>,
    loaded: Option<LoadedFilter>,
    list: ListState,
    accounts: Vec<(Option<Id>, String)>,
    error: Option<String>,
    export: Option<PendingPick>,
}

impl Default for AccessLogScreen {
    fn default() -> Self {
        AccessLogScreen {
            account: None,
            kind: KindFilter::default(),
            from: String::new(),
            to: String::new(),
            person: SubjectPicker::new("log-person", true),
            subject: None,
            rows: vec![],
            loaded: None,
            list: ListState::default().filtered(),
            accounts: vec![],
            error: None,
            export: None,
        }
    }
}

impl AccessLogScreen {
    fn filter(&self) -> Result<LogFilter, String> {
        let mut p = Problems::default();
        let from = widgets::opt_date(&mut p, "from", &self.from);
        let to = widgets::opt_date(&mut p, "to", &self.to);
        if let Some(e) = p.0.first() {
            return Err(e.message.clone());
        }
        Ok(LogFilter {
            account: self.account,
            entity: self.subject.map(|s| s.id()),
            access_only: self.kind != KindFilter::All,
            action: None,
            from,
            to,
            flagged_only: self.kind == KindFilter::Flagged,
        })
    }

    fn load(&mut self, env: &Env) {
        let key = (
            self.account,
            self.kind,
            self.from.clone(),
            self.to.clone(),
            self.subject,
            env.change_count(),
        );
        if self.loaded.as_ref() == Some(&key) {
            return;
        }
        self.loaded = Some(key);
        let Some(session) = env.session.clone() else {
            return;
        };
        let filter = match self.filter() {
            Ok(f) => f,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        let names = match env.store.account_names(&session) {
            Ok(n) => n,
            Err(e) => {
                self.error = Some(e.to_string());
                return;
            }
        };
        self.accounts = std::iter::once((None, tr!("log-all-accounts")))
            .chain(names.iter().map(|(id, n)| (Some(*id), n.clone())))
            .collect();
        let names: HashMap<Id, String> = names.into_iter().collect();
        match env.store.access_log(&session, &filter, LIMIT) {
            Ok(entries) => {
                let cat = &env.data.catalog;
                self.rows = entries
                    .into_iter()
                    .filter(|(_, r)| self.kind.keeps(r.action))
                    .map(|(_, r)| Row {
                        when: fmt_datetime(r.at),
                        account: names.get(&r.account).cloned().unwrap_or_default(),
                        operator: if r.operator == Id::NIL {
                            String::new()
                        } else {
                            cat.name(r.operator).to_string()
                        },
                        action: r.action.label().to_string(),
                        record: record_name(env, &r),
                        detail: r.detail.clone(),
                        flagged: r.flagged,
                    })
                    .collect();
                self.list.set_order((0..self.rows.len() as u32).collect());
                self.error = None;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Shows the screen.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) {
        self.poll_export(ui.ctx(), env);
        ui.heading(tr!("nav-access-log"));
        ui.label(tr!("log-text"));
        ui.add_space(6.0);
        egui::Grid::new("log-filters")
            .num_columns(4)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let l = widgets::label(ui, &tr!("log-account"));
                widgets::choice(
                    ui,
                    "log-account",
                    l.id,
                    &mut self.account,
                    &self.accounts,
                    200.0,
                );
                let kinds: Vec<(KindFilter, String)> = KindFilter::ALL
                    .into_iter()
                    .map(|k| (k, tr!(k.key())))
                    .collect();
                let l = widgets::label(ui, &tr!("log-kind"));
                widgets::choice(ui, "log-kind", l.id, &mut self.kind, &kinds, 240.0);
                ui.end_row();
                let l = widgets::label(ui, &tr!("log-from"));
                widgets::date_edit(ui, "log-from", &mut self.from, l.id);
                let l = widgets::label(ui, &tr!("log-to"));
                widgets::date_edit(ui, "log-to", &mut self.to, l.id);
                ui.end_row();
                let l = widgets::label(ui, &tr!("log-person"));
                match self.person.ui(ui, &env.data, l.id) {
                    Picked::Chosen(s) => self.subject = Some(s),
                    Picked::Cleared => self.subject = None,
                    _ => {}
                }
                ui.end_row();
            });
        self.load(env);
        ui.horizontal(|ui| {
            ui.label(tr!("log-count", count = self.rows.len() as i64));
            if ui
                .add_enabled(!self.rows.is_empty(), egui::Button::new(tr!("log-export")))
                .clicked()
            {
                let req = PickRequest::new(PickKind::Save, tr!("log-export"))
                    .file_name("registro-accessi.csv".to_string())
                    .filter("CSV".to_string(), &["csv"]);
                self.export = Some(env.picker.pick(req));
            }
        });
        if let Some(e) = &self.error {
            ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
        }
        let rows = &self.rows;
        self.list.show(ui, "access-log", &COLS, |ui, i, c| {
            let r = &rows[i as usize];
            let text = match c {
                0 => r.when.clone(),
                1 => r.account.clone(),
                2 => r.operator.clone(),
                3 => r.action.clone(),
                4 => r.record.clone(),
                5 => r.detail.clone(),
                _ => {
                    if r.flagged {
                        "⚑".into()
                    } else {
                        String::new()
                    }
                }
            };
            if r.flagged && c == 3 {
                ui.label(
                    RichText::new(text)
                        .color(ui.visuals().warn_fg_color)
                        .strong(),
                );
            } else {
                cell(ui, text, false);
            }
        });
    }

    fn poll_export(&mut self, ctx: &egui::Context, env: &mut Env) {
        let Some(p) = &mut self.export else {
            return;
        };
        let Some(answer) = p.poll(ctx) else {
            return;
        };
        self.export = None;
        let Some(path) = answer else {
            return;
        };
        match self.csv() {
            Ok(bytes) => {
                match crate::store::output::write_atomic(env.store.path(), &path, &bytes) {
                    Ok(()) => {
                        env.log_access(AccessKind::Registro, None, &path.display().to_string());
                        env.notify(tr!("log-exported", path = path.display().to_string()));
                    }
                    Err(e) => env.fail(e),
                }
            }
            Err(e) => env.fail(e),
        }
    }

    /// The rows shown, as CSV (the same columns, no note contents: the log holds none).
    fn csv(&self) -> Result<Vec<u8>, String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let e = |e: csv::Error| e.to_string();
        w.write_record([
            "data_ora",
            "account",
            "operatore",
            "azione",
            "record",
            "motivo",
            "segnalato",
        ])
        .map_err(e)?;
        for r in &self.rows {
            w.write_record([
                r.when.as_str(),
                &r.account,
                &r.operator,
                &r.action,
                &r.record,
                &r.detail,
                if r.flagged { "sì" } else { "" },
            ])
            .map_err(e)?;
        }
        w.into_inner().map_err(|e| e.to_string())
    }
}

/// The record an entry is about, named when it is a person or household in memory.
fn record_name(env: &Env, r: &AuditRecord) -> String {
    if r.entity == Id::NIL {
        return r.kind.label().to_string();
    }
    match r.kind {
        EntityKind::Person if env.data.people.get(r.entity).is_some() => {
            env.data.people.name(r.entity)
        }
        EntityKind::Household if env.data.households.get(r.entity).is_some() => {
            format!("{} (nucleo)", env.data.households.name(r.entity))
        }
        k => format!("{} {}", k.label(), r.entity.short()),
    }
}
