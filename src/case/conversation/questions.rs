//! Clarifying the customer's goal: questions, their answers, and the goal itself.

use crate::case::command::{Intent, QuestionKind};
use crate::case::decision::{Decide, Decision, Recorder, text};
use crate::case::event::EventKind;
use crate::case::rejection::{Field, Rejection};
use crate::id::QuestionId;
use serde::{Deserialize, Serialize};

/// Ask a clarifying question:
/// `{"command":"ask_question","question":"q-1","kind":"background","text":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AskQuestion {
    /// The host's identifier for the question.
    pub question: QuestionId,
    /// What kind of question it is.
    pub kind: QuestionKind,
    /// The question as asked.
    pub text: String,
}

/// Record the customer's answer to a question:
/// `{"command":"record_answer","question":"q-1","answer":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordAnswer {
    /// The question answered.
    pub question: QuestionId,
    /// The answer, in the customer's words.
    pub answer: String,
}

/// Record what the customer wants to achieve:
/// `{"command":"record_goal","goal":"...","expected":"..."}` (`expected` optional).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordGoal {
    /// The customer's goal.
    pub goal: String,
    /// What the customer expected to happen, if they said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
}

impl Decide for AskQuestion {
    fn intent(&self) -> Intent {
        Intent::AskQuestion
    }
    fn words(&self) -> Option<&str> {
        Some(&self.text)
    }
    fn decide(&self, at: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        if at.case.question(&self.question).is_some() {
            return Err(Rejection::QuestionExists {
                question: self.question.clone(),
            });
        }
        out.record(EventKind::QuestionAsked {
            question: self.question.clone(),
            kind: self.kind,
            text: text(&self.text, Field::Question)?,
        });
        Ok(())
    }
}

impl Decide for RecordAnswer {
    fn intent(&self) -> Intent {
        Intent::RecordAnswer(self.question.clone())
    }
    fn decide(&self, _: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        out.record(EventKind::AnswerRecorded {
            question: self.question.clone(),
            answer: text(&self.answer, Field::Answer)?,
        });
        Ok(())
    }
}

impl Decide for RecordGoal {
    fn intent(&self) -> Intent {
        Intent::RecordGoal
    }
    fn decide(&self, _: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        out.record(EventKind::GoalRecorded {
            goal: text(&self.goal, Field::Goal)?,
            expected: self.expected.clone(),
        });
        Ok(())
    }
}
