//! "Esci dal nucleo" in the cartella: asked before it acts, and a household left with no
//! member and nothing recorded about it is archived too (unless the operator unticks it),
//! so households created by mistake are not left behind.

use super::Env;
use super::widgets;
use crate::domain::*;
use crate::tr;

/// The confirmation of a person leaving their household.
pub struct LeaveHousehold {
    /// Offered when the person is the last member and the household has no record of its
    /// own: whether to archive it too.
    archive_too: Option<bool>,
}

impl LeaveHousehold {
    /// Starts asking; `members` is how many people the household has now.
    pub fn new(env: &Env, h: &Household, members: usize) -> Self {
        let own_records = env.read().is_ok_and(|r| {
            [EntityKind::Contact, EntityKind::Case, EntityKind::Referral]
                .into_iter()
                .any(|k| {
                    r.ids_by_subject(k, h.id)
                        .map_or(true, |ids| !ids.is_empty())
                })
        });
        LeaveHousehold {
            archive_too: (members <= 1 && !own_records && !h.archived).then_some(true),
        }
    }

    /// Shows the question; `Some(_)` once answered (the person left, or not).
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        env: &mut Env,
        p: &Person,
        h: &Household,
    ) -> Option<bool> {
        let text = tr!(
            "person-leave-confirm",
            name = p.full_name(),
            household = h.name.clone()
        );
        let archive = &mut self.archive_too;
        let answer = widgets::confirm_with(
            ctx,
            "leave-household",
            &text,
            &tr!("person-leave-yes"),
            |ui| {
                if let Some(a) = archive {
                    ui.add_space(6.0);
                    ui.checkbox(a, tr!("person-leave-archive"));
                }
            },
        )?;
        if !answer {
            return Some(false);
        }
        let archive = self.archive_too == Some(true);
        let mut q = p.clone();
        q.household = None;
        let (pid, hid) = (p.id, h.id);
        let res = env.transaction(|w| {
            w.update(q)?;
            let mut written = vec![(EntityKind::Person, pid)];
            if archive {
                w.set_archived::<Household>(hid, true)?;
                written.push((EntityKind::Household, hid));
            }
            Ok(((), written))
        });
        match res {
            Ok(()) => env.notify(if archive {
                tr!("person-left-household-archived")
            } else {
                tr!("person-left-household")
            }),
            Err(e) => env.fail(e.to_string()),
        }
        Some(true)
    }
}
