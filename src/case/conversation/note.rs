//! Internal notes: never shown to the customer, allowed in any state.

use crate::case::command::Intent;
use crate::case::decision::{Decide, Decision, Recorder, text};
use crate::case::event::EventKind;
use crate::case::rejection::{Field, Rejection};
use serde::{Deserialize, Serialize};

/// Add an internal note: `{"command":"add_note","text":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddNote {
    /// The note.
    pub text: String,
}

impl Decide for AddNote {
    fn intent(&self) -> Intent {
        Intent::AddNote
    }
    fn decide(&self, _: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        out.record(EventKind::NoteAdded {
            text: text(&self.text, Field::Note)?,
        });
        Ok(())
    }
}
