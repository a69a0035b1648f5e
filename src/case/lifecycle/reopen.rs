//! Reopening a closed or withdrawn case: a new round of recovery starts.

use crate::case::command::Intent;
use crate::case::decision::{Decide, Decision, Recorder, text};
use crate::case::event::EventKind;
use crate::case::rejection::{Field, Rejection};
use serde::{Deserialize, Serialize};

/// Reopen a closed or withdrawn case: `{"command":"reopen","reason":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reopen {
    /// Why.
    pub reason: String,
}

impl Decide for Reopen {
    fn intent(&self) -> Intent {
        Intent::Reopen
    }
    fn decide(&self, _: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        out.record(EventKind::Reopened {
            reason: text(&self.reason, Field::Reason)?,
        });
        Ok(())
    }
}
