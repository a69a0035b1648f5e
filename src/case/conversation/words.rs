//! The four commands that record the agent's own words to the customer. Their words
//! can be reviewed by the playbook's language gate before they are recorded.

use crate::case::command::Intent;
use crate::case::decision::{Decide, Decision, Recorder, text};
use crate::case::event::EventKind;
use crate::case::rejection::{Field, Rejection};
use serde::{Deserialize, Serialize};

/// Thank the customer for raising the problem: `{"command":"thank","words":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Thank {
    /// The words used.
    pub words: String,
}

/// Apologize; the words are recorded so they can be reviewed:
/// `{"command":"apologize","words":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Apologize {
    /// The words used.
    pub words: String,
}

/// Explain what happened: `{"command":"explain","words":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Explain {
    /// The words used.
    pub words: String,
}

/// Thank the customer again before closing: `{"command":"final_thanks","words":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FinalThanks {
    /// The words used.
    pub words: String,
}

impl Decide for Thank {
    fn intent(&self) -> Intent {
        Intent::Thank
    }
    fn words(&self) -> Option<&str> {
        Some(&self.words)
    }
    fn decide(&self, _: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        out.record(EventKind::Thanked {
            words: text(&self.words, Field::Thanks)?,
        });
        Ok(())
    }
}

impl Decide for Apologize {
    fn intent(&self) -> Intent {
        Intent::Apologize
    }
    fn words(&self) -> Option<&str> {
        Some(&self.words)
    }
    fn decide(&self, _: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        out.record(EventKind::Apologized {
            words: text(&self.words, Field::Apology)?,
        });
        Ok(())
    }
}

impl Decide for Explain {
    fn intent(&self) -> Intent {
        Intent::Explain
    }
    fn words(&self) -> Option<&str> {
        Some(&self.words)
    }
    fn decide(&self, _: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        out.record(EventKind::Explained {
            words: text(&self.words, Field::Explanation)?,
        });
        Ok(())
    }
}

impl Decide for FinalThanks {
    fn intent(&self) -> Intent {
        Intent::FinalThanks
    }
    fn words(&self) -> Option<&str> {
        Some(&self.words)
    }
    fn decide(&self, _: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        out.record(EventKind::FinalThanksGiven {
            words: text(&self.words, Field::FinalThanks)?,
        });
        Ok(())
    }
}
