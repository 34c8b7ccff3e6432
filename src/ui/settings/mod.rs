//! Impostazioni: preferences of this workstation, the catalogue the team edits (service
//! lines with their counting unit, areas, desks, measures, territorial services, roles),
//! the "Backup e ripristino" section, "Importa da foglio di calcolo" (`ui/import`) and
//! "Unisci i dati di un altro sportello" with the possible duplicates (`ui::merge`).
//! This file holds the screen and the preferences; the catalogue is in `catalog`, the
//! dialog of one entry in `entry_form`.

mod accounts;
mod catalog;
mod entry_form;
mod roles;

use super::Env;
use super::i18n::Lang;
use super::prefs::{TextSize, ThemeChoice};
use super::table::ListState;
use super::widgets;
use crate::tr;
use catalog::Tab;
use egui::{RichText, Ui};
use entry_form::EntryForm;

/// The Impostazioni screen.
#[derive(Default)]
pub struct SettingsScreen {
    tab: Tab,
    list: ListState,
    form: Option<EntryForm>,
    /// Backup, verification, restore and automatic backups.
    pub(crate) backup: super::backup::BackupPanel,
    /// One's own password; the accounts (administrators).
    accounts: accounts::AccountsPanel,
    /// What each role may do (administrators).
    roles: roles::RolesPanel,
    /// The Argon2id parameters of passwords set here.
    pub(crate) params: crate::access::PasswordParams,
    /// Importa da foglio di calcolo.
    pub(crate) import: super::import::ImportPanel,
    /// Merging another desk's data, and the possible duplicates.
    pub(crate) merge: super::merge::MergePanel,
    /// Scadenze di conservazione (coordinators).
    retention: super::retention::RetentionPanel,
    /// The size limit of attached documents (with the kinds of document).
    document_limit: super::documents::limit::LimitPanel,
}

impl SettingsScreen {
    /// Shows the screen.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) {
        egui::ScrollArea::vertical()
            .id_salt("settings-scroll")
            .show(ui, |ui| {
                ui.heading(tr!("nav-settings"));
                ui.add_space(6.0);
                self.prefs_ui(ui, env);
                ui.add_space(10.0);
                ui.separator();
                self.catalog_ui(ui, env);
                if env.may(crate::domain::Permission::Backup) {
                    ui.add_space(10.0);
                    ui.separator();
                    self.backup.ui(ui, env);
                }
                ui.add_space(10.0);
                ui.separator();
                self.accounts.ui(ui, env, self.params);
                if env.may(crate::domain::Permission::Account) {
                    ui.add_space(10.0);
                    ui.separator();
                    self.roles.ui(ui, env);
                }
                if env.may(crate::domain::Permission::Backup) {
                    ui.add_space(10.0);
                    ui.separator();
                    self.import.ui(ui, env);
                }
                if env.may(crate::domain::Permission::Backup) {
                    ui.add_space(10.0);
                    ui.separator();
                    self.merge.ui(ui, env);
                }
                if super::erase_person::allowed(env) {
                    ui.add_space(10.0);
                    ui.separator();
                    self.retention.ui(ui, env);
                }
            });
        if let Some(f) = &mut self.form
            && f.ui(ui, env)
        {
            self.form = None;
        }
    }

    fn prefs_ui(&mut self, ui: &mut Ui, env: &mut Env) {
        ui.label(RichText::new(tr!("settings-prefs")).strong());
        egui::Grid::new("prefs")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let themes = vec![
                    (ThemeChoice::Light, tr!("theme-light")),
                    (ThemeChoice::Dark, tr!("theme-dark")),
                ];
                widgets::choice_row(
                    ui,
                    &tr!("settings-theme"),
                    &mut env.prefs.theme,
                    &themes,
                    None,
                );
                let sizes: Vec<(TextSize, String)> = TextSize::ALL
                    .into_iter()
                    .map(|s| (s, tr!(s.key())))
                    .collect();
                widgets::choice_row(
                    ui,
                    &tr!("settings-text-size"),
                    &mut env.prefs.text_size,
                    &sizes,
                    None,
                );
                let langs: Vec<(Lang, String)> = Lang::ALL
                    .into_iter()
                    .map(|l| (l, l.name().to_string()))
                    .collect();
                widgets::choice_row(
                    ui,
                    &tr!("settings-language"),
                    &mut env.prefs.lang,
                    &langs,
                    None,
                );
                let desks = widgets::desk_options(&env.data, Some(env.desk));
                let before = env.desk;
                widgets::choice_row(ui, &tr!("top-desk"), &mut env.desk, &desks, None);
                if env.desk != before {
                    env.prefs.desk = Some(env.desk);
                }
                widgets::label(ui, &tr!("top-operator"));
                ui.label(
                    env.data
                        .catalog
                        .operator(env.operator)
                        .map(|o| o.display_name())
                        .unwrap_or_else(|| tr!("top-no-operator")),
                );
                ui.end_row();
                let minutes: Vec<(Option<u32>, String)> = std::iter::once((
                    None,
                    tr!(
                        "settings-idle-default",
                        minutes = crate::domain::access::DEFAULT_IDLE_MINUTES as i64
                    ),
                ))
                .chain(
                    [1u32, 2, 10, 15, 30]
                        .map(|m| (Some(m), tr!("settings-idle-minutes", minutes = m as i64))),
                )
                .collect();
                widgets::choice_row(
                    ui,
                    &tr!("settings-idle"),
                    &mut env.prefs.idle_minutes,
                    &minutes,
                    None,
                );
            });
    }
}
