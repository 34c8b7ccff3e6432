//! The record forms shown as dialogs over the current screen, and the question asked when
//! the window closes with one of them unsaved.

use super::AccoglienzaApp;
use crate::domain::*;
use crate::tr;
use crate::ui::activities::ActivityForm;
use crate::ui::cases::CaseForm;
use crate::ui::contacts::ContactForm;
use crate::ui::households::HouseholdForm;
use crate::ui::person_form::PersonForm;
use crate::ui::pratiche::PraticaForm;
use crate::ui::projects::ProjectForm;
use crate::ui::referrals::ReferralForm;
use crate::ui::team::OperatorForm;
use crate::ui::widgets;
use crate::ui::{Env, OpenForm};

/// A record form shown as a dialog over the current screen.
pub(super) enum Dialog {
    Person(Box<PersonForm>),
    Household(Box<HouseholdForm>),
    Contact(Box<ContactForm>),
    Case(Box<CaseForm>),
    Project(Box<ProjectForm>),
    Referral(Box<ReferralForm>),
    Activity(Box<ActivityForm>),
    Operator(Box<OperatorForm>),
    Pratica(Box<PraticaForm>),
}

impl Dialog {
    pub(super) fn open(req: OpenForm, env: &mut Env) -> Option<Dialog> {
        let d = match req {
            OpenForm::NewPerson(name) => Dialog::Person(Box::new(PersonForm::new(&name))),
            OpenForm::NewHousehold => Dialog::Household(Box::new(HouseholdForm::new())),
            OpenForm::NewHouseholdFor(pid) => {
                let p = match env.read().and_then(|r| r.require::<Person>(pid)) {
                    Ok(p) => p,
                    Err(e) => {
                        env.fail(e.to_string());
                        return None;
                    }
                };
                let name = format!("{} {}", tr!("household-default-name"), p.surname);
                Dialog::Household(Box::new(HouseholdForm::for_person(&p, name)))
            }
            OpenForm::NewContact(s) => Dialog::Contact(Box::new(ContactForm::new(env, s))),
            OpenForm::ContactFromAppointment(id) => {
                match env.read().and_then(|r| r.require::<Appointment>(id)) {
                    Ok(a) => Dialog::Contact(Box::new(ContactForm::from_appointment(env, &a))),
                    Err(e) => {
                        env.fail(e.to_string());
                        return None;
                    }
                }
            }
            OpenForm::NewCase(s) => Dialog::Case(Box::new(CaseForm::new(env, s))),
            OpenForm::NewProject(p) => Dialog::Project(Box::new(ProjectForm::new(env, p))),
            OpenForm::NewReferral(s) => Dialog::Referral(Box::new(ReferralForm::new(env, s))),
            OpenForm::NewActivity => Dialog::Activity(Box::new(ActivityForm::new(env))),
            OpenForm::NewOperator => Dialog::Operator(Box::new(OperatorForm::new(env))),
            OpenForm::NewPratica(s) => Dialog::Pratica(Box::new(PraticaForm::new(env, s))),
            OpenForm::Edit(kind, id) => {
                let mut confidential = None;
                let r = match env.read() {
                    Ok(r) => r,
                    Err(e) => {
                        env.fail(e.to_string());
                        return None;
                    }
                };
                let res = match kind {
                    EntityKind::Person => r
                        .require::<Person>(id)
                        .map(|p| Dialog::Person(Box::new(PersonForm::edit(p)))),
                    EntityKind::Household => r
                        .require::<Household>(id)
                        .map(|h| Dialog::Household(Box::new(HouseholdForm::edit(h)))),
                    EntityKind::Contact => r.require::<Contact>(id).map(|c| {
                        if c.confidential && !c.note.is_empty() {
                            // A confidential note shown: a read that matters.
                            confidential = Some(c.id);
                        }
                        Dialog::Contact(Box::new(ContactForm::edit(c)))
                    }),
                    EntityKind::Case => r
                        .require::<Case>(id)
                        .map(|c| Dialog::Case(Box::new(CaseForm::edit(c)))),
                    EntityKind::Project => r
                        .require::<Project>(id)
                        .map(|p| Dialog::Project(Box::new(ProjectForm::edit(p).hiding(env)))),
                    EntityKind::Referral => r
                        .require::<Referral>(id)
                        .map(|x| Dialog::Referral(Box::new(ReferralForm::edit(x)))),
                    EntityKind::Activity => r
                        .require::<Activity>(id)
                        .map(|a| Dialog::Activity(Box::new(ActivityForm::edit(a)))),
                    EntityKind::Operator => r
                        .require::<Operator>(id)
                        .map(|o| Dialog::Operator(Box::new(OperatorForm::edit(o)))),
                    EntityKind::Pratica => r
                        .require::<Pratica>(id)
                        .map(|p| Dialog::Pratica(Box::new(PraticaForm::edit(p)))),
                    _ => return None,
                };
                drop(r);
                if let (Ok(_), Some(cid)) = (&res, confidential) {
                    env.log_access(
                        crate::domain::access::AccessKind::NoteRiservate,
                        Some((EntityKind::Contact, cid)),
                        "",
                    );
                }
                match res {
                    Ok(d) => d,
                    Err(e) => {
                        env.fail(e.to_string());
                        return None;
                    }
                }
            }
        };
        Some(d)
    }

    /// True when the dialog has changes not saved yet.
    pub(super) fn dirty(&self) -> bool {
        match self {
            Dialog::Person(f) => f.dirty(),
            Dialog::Household(f) => f.dirty(),
            Dialog::Contact(f) => f.dirty(),
            Dialog::Case(f) => f.dirty(),
            Dialog::Project(f) => f.dirty(),
            Dialog::Referral(f) => f.dirty(),
            Dialog::Activity(f) => f.dirty(),
            Dialog::Operator(f) => f.dirty(),
            Dialog::Pratica(f) => f.dirty(),
        }
    }

    /// Shows the dialog; true when it closed.
    pub(super) fn ui(&mut self, ui: &mut egui::Ui, env: &mut Env) -> bool {
        match self {
            Dialog::Person(f) => f.ui(ui, env),
            Dialog::Household(f) => f.ui(ui, env),
            Dialog::Contact(f) => f.ui(ui, env),
            Dialog::Case(f) => f.ui(ui, env),
            Dialog::Project(f) => f.ui(ui, env),
            Dialog::Referral(f) => f.ui(ui, env),
            Dialog::Activity(f) => f.ui(ui, env),
            Dialog::Operator(f) => f.ui(ui, env),
            Dialog::Pratica(f) => f.ui(ui, env),
        }
    }
}

impl AccoglienzaApp {
    /// Closing the window with unsaved changes in a form asks first.
    pub(super) fn guard_quit(&mut self, ctx: &egui::Context) {
        let dirty = self.dialog.as_ref().is_some_and(Dialog::dirty);
        if ctx.input(|i| i.viewport().close_requested()) && dirty && !self.quit_confirmed {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm_quit = true;
        }
        if self.confirm_quit {
            match widgets::confirm(ctx, "quit", &tr!("quit-unsaved"), &tr!("quit-yes")) {
                Some(true) => {
                    self.confirm_quit = false;
                    self.quit_confirmed = true;
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
                Some(false) => self.confirm_quit = false,
                None => {}
            }
        }
    }
}
