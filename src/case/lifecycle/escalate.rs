//! Escalation: raising a case's priority and handing it up, with the reason, before a
//! promise breaks or a response target is missed (the agenda's
//! `CommitmentAboutToBreak` item is the usual trigger).
//!
//! The response targets chosen at intake keep running: an escalation changes who owns
//! the case and where it sits in the host's queues, not the clocks already promised to
//! the customer (a channel change does not re-select them either).

use crate::actor::ActorRef;
use crate::case::command::Intent;
use crate::case::decision::{Decide, Decision, Recorder, text};
use crate::case::event::EventKind;
use crate::case::rejection::{Field, Rejection};
use crate::complaint::Priority;
use serde::{Deserialize, Serialize};

/// Raise the case's priority and hand it to someone who can act, with the reason:
/// `{"command":"escalate","to":{"id":"m-1","name":"Mo"},"priority":"urgent","reason":"..."}`.
///
/// The priority may stay as it is (a hand-up only) but never falls; handing the case
/// to its own owner at its own priority changes nothing and is refused.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use service_recovery::prelude::*;
/// use service_recovery::testing;
///
/// let dana = testing::dana();
/// let at = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
/// let mut case = Case::replay(decide(None, &testing::open_case(), &dana, at, &Policy::default())?).unwrap();
/// let escalate = Escalate {
///     to: testing::mo().reference(),
///     priority: Priority::Urgent,
///     reason: "the replacement will miss the promised date".into(),
/// };
/// for event in decide(Some(&case), &escalate.into(), &dana, at, &Policy::default())? {
///     case.apply(event).unwrap();
/// }
/// assert_eq!(case.priority(), Priority::Urgent);
/// assert_eq!(case.owner().name.as_ref(), "Mo");
/// # Ok::<(), Rejection>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Escalate {
    /// Who takes the case over (a team lead, a manager); may be the current owner when
    /// only the priority rises.
    pub to: ActorRef,
    /// The case's priority from now on: the same or higher.
    pub priority: Priority,
    /// Why, for the person taking over and for the audit.
    pub reason: String,
}

impl Decide for Escalate {
    fn intent(&self) -> Intent {
        Intent::Escalate
    }
    fn decide(&self, at: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        let current = at.case.priority();
        if self.priority < current {
            return Err(Rejection::PriorityWouldFall {
                current,
                requested: self.priority,
            });
        }
        if self.priority == current && self.to.id == at.case.owner().id {
            return Err(Rejection::EscalationChangesNothing);
        }
        out.record(EventKind::Escalated {
            from: at.case.owner().clone(),
            to: self.to.clone(),
            previous_priority: current,
            priority: self.priority,
            reason: text(&self.reason, Field::Reason)?,
        });
        Ok(())
    }
}
