//! The customer leaving without a resolution.

use crate::case::command::Intent;
use crate::case::decision::{Decide, Decision, Recorder, text};
use crate::case::event::EventKind;
use crate::case::rejection::{Field, Rejection};
use serde::{Deserialize, Serialize};

/// Record that the customer withdrew the complaint:
/// `{"command":"withdraw","reason":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Withdraw {
    /// Why.
    pub reason: String,
}

impl Decide for Withdraw {
    fn intent(&self) -> Intent {
        Intent::Withdraw
    }
    fn decide(&self, _: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        out.record(EventKind::Withdrawn {
            reason: text(&self.reason, Field::Reason)?,
        });
        Ok(())
    }
}
