//! Handing a case to another owner.

use crate::actor::ActorRef;
use crate::case::command::Intent;
use crate::case::decision::{Decide, Decision, Recorder, text};
use crate::case::event::EventKind;
use crate::case::rejection::{Field, Rejection};
use serde::{Deserialize, Serialize};

/// Hand the case to another owner:
/// `{"command":"reassign","to":{"id":"a-8","name":"Sam"},"reason":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reassign {
    /// The new owner.
    pub to: ActorRef,
    /// Why.
    pub reason: String,
}

impl Decide for Reassign {
    fn intent(&self) -> Intent {
        Intent::Reassign
    }
    fn decide(&self, at: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        if self.to.id == at.case.owner().id {
            return Err(Rejection::SameOwner {
                owner: self.to.name.to_string(),
            });
        }
        out.record(EventKind::Reassigned {
            from: at.case.owner().clone(),
            to: self.to.clone(),
            reason: text(&self.reason, Field::Reason)?,
        });
        Ok(())
    }
}
