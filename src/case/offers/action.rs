//! Agreeing an action with the customer, and carrying it out.

use crate::case::OptionStatus;
use crate::case::command::Intent;
use crate::case::decision::{Decide, Decision, Recorder, text};
use crate::case::event::EventKind;
use crate::case::offers::option_status;
use crate::case::rejection::{Field, Rejection};
use crate::id::{ActionId, OptionId};
use serde::{Deserialize, Serialize};

/// Agree an action with the customer, optionally carrying out an accepted option:
/// `{"command":"agree_action","action":"act-1","description":"...","option":"o-1"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreeAction {
    /// The host's identifier for the action.
    pub action: ActionId,
    /// What will be done, and by when: the words are a promise.
    pub description: String,
    /// The accepted option it carries out, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<OptionId>,
}

/// Record that an agreed action was carried out:
/// `{"command":"carry_out","action":"act-1","outcome":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CarryOut {
    /// The action.
    pub action: ActionId,
    /// What was done.
    pub outcome: String,
}

impl Decide for AgreeAction {
    fn intent(&self) -> Intent {
        Intent::AgreeAction
    }
    fn words(&self) -> Option<&str> {
        Some(&self.description)
    }
    fn decide(&self, at: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        if at.case.actions().contains_key(&self.action) {
            return Err(Rejection::ActionExists {
                action: self.action.clone(),
            });
        }
        if let Some(option) = &self.option {
            let status = option_status(at.case, option)?;
            if status != OptionStatus::Accepted {
                return Err(Rejection::OptionNotAccepted {
                    option: option.clone(),
                    status,
                });
            }
        }
        out.record(EventKind::ActionAgreed {
            action: self.action.clone(),
            description: text(&self.description, Field::ActionDescription)?,
            option: self.option.clone(),
        });
        Ok(())
    }
}

impl Decide for CarryOut {
    fn intent(&self) -> Intent {
        Intent::CarryOut(self.action.clone())
    }
    fn decide(&self, _: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        out.record(EventKind::ActionCarriedOut {
            action: self.action.clone(),
            outcome: text(&self.outcome, Field::Outcome)?,
        });
        Ok(())
    }
}
