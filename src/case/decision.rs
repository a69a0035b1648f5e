//! What every command implements: the one internal trait through which
//! [`decide`](crate::decide) reaches a command's own rules, and the helpers those
//! rules share.
//!
//! A command is a payload struct in its feature's folder (`conversation`, `offers`,
//! `approvals`, `follow_ups`, `lifecycle`) with one `impl Decide`. [`Command`]
//! forwards to it with one match, so adding a command is one new file plus one arm in
//! each wire enum; the compiler points at everything else.
//!
//! [`Command`]: crate::case::Command

use crate::actor::Actor;
use crate::case::Case;
use crate::case::command::Intent;
use crate::case::event::{Event, EventKind};
use crate::case::rejection::{Field, Rejection};
use crate::money::Money;
use crate::policy::Policy;
use chrono::{DateTime, Utc};

/// The rules of one command.
pub(crate) trait Decide {
    /// What the command asks to do, without its payload: what the shared guard (and
    /// `next_actions`) judges before the command's own rules run.
    fn intent(&self) -> Intent;

    /// The customer-facing words the command carries, which a playbook step may ask to
    /// have reviewed before they are recorded.
    fn words(&self) -> Option<&str> {
        None
    }

    /// The command's own rules (its words, amounts and new identifiers); the guard has
    /// passed. Records the events through `out`, or refuses.
    fn decide(&self, at: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection>;
}

/// Everything a command's rules may read: the case, who acts, when, and the policy.
#[derive(Clone, Copy)]
pub(crate) struct Decision<'a> {
    pub(crate) case: &'a Case,
    pub(crate) actor: &'a Actor,
    pub(crate) now: DateTime<Utc>,
    pub(crate) policy: &'a Policy,
}

/// Stamps the events a command records with their sequence numbers, the time and the
/// actor, in one vector: deciding is the hot path, so there is no second list.
pub(crate) struct Recorder {
    events: Vec<Event>,
    next: u64,
    at: DateTime<Utc>,
    actor: crate::actor::ActorRef,
}

impl Recorder {
    pub(crate) fn new(after: u64, at: DateTime<Utc>, actor: &Actor) -> Self {
        Self {
            events: Vec::with_capacity(1),
            next: after + 1,
            at,
            actor: actor.reference(),
        }
    }

    /// Records one event.
    pub(crate) fn record(&mut self, kind: EventKind) {
        self.events.push(Event {
            sequence: self.next,
            at: self.at,
            actor: self.actor.clone(),
            kind,
        });
        self.next += 1;
    }

    pub(crate) fn into_events(self) -> Vec<Event> {
        self.events
    }
}

/// Refuses blank text.
pub(crate) fn not_blank(value: &str, field: Field) -> Result<(), Rejection> {
    if value.trim().is_empty() {
        Err(Rejection::Blank { field })
    } else {
        Ok(())
    }
}

/// The text, owned, once it is known not to be blank.
pub(crate) fn text(value: &str, field: Field) -> Result<String, Rejection> {
    not_blank(value, field)?;
    Ok(value.to_owned())
}

/// Refuses an amount of zero or less.
pub(crate) fn positive(amount: Option<&Money>) -> Result<(), Rejection> {
    match amount {
        Some(m) if m.minor() <= 0 => Err(Rejection::NonPositiveAmount),
        _ => Ok(()),
    }
}
