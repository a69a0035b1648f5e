//! Why a command was refused, in words an agent can read.

use crate::case::CaseStatus;
use crate::case::OptionStatus;
use crate::id::{ActionId, CaseId, OptionId, QuestionId};
use crate::playbook::StepKind;
use crate::review::Finding;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::fmt;
use thiserror::Error;

/// A text field that must not be blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Field {
    /// The words of a thanks.
    Thanks,
    /// The words of an apology.
    Apology,
    /// The words of an explanation.
    Explanation,
    /// The text of a question.
    Question,
    /// The customer's answer.
    Answer,
    /// The customer's goal.
    Goal,
    /// The description of an option.
    OptionDescription,
    /// The description of an agreed action.
    ActionDescription,
    /// The outcome of a carried-out action.
    Outcome,
    /// The description of a goodwill gesture.
    Goodwill,
    /// The words of the final thanks.
    FinalThanks,
    /// A reason.
    Reason,
    /// A note.
    Note,
    /// The case identifier.
    CaseId,
    /// The summary of the complaint.
    ComplaintSummary,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Thanks => "the words of thanks",
            Self::Apology => "the words of the apology",
            Self::Explanation => "the explanation",
            Self::Question => "the question",
            Self::Answer => "the answer",
            Self::Goal => "the customer's goal",
            Self::OptionDescription => "the option's description",
            Self::ActionDescription => "the action's description",
            Self::Outcome => "the outcome",
            Self::Goodwill => "the goodwill gesture's description",
            Self::FinalThanks => "the words of the final thanks",
            Self::Reason => "the reason",
            Self::Note => "the note",
            Self::CaseId => "the case identifier",
            Self::ComplaintSummary => "the complaint's summary",
        })
    }
}

/// Why [`decide`](crate::decide) refused a command. The case is unchanged.
///
/// `Display` is one plain sentence for the agent; the fields carry the data for a
/// host that wants to build its own message. Only
/// [`ClockWentBackwards`](Rejection::ClockWentBackwards) is an infrastructure problem
/// rather than a rule of the practice; [`Rejection::is_infrastructure`] tells them apart.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
#[serde(tag = "rejection", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rejection {
    /// The case does not exist yet; only opening it is possible.
    #[error("this case has not been opened yet")]
    NotOpened,
    /// The case was already opened.
    #[error("case {case} is already open")]
    AlreadyOpened {
        /// The case.
        case: CaseId,
    },
    /// The case is closed or withdrawn.
    #[error("the case is {status}; reopen it first")]
    NotOpen {
        /// Its status.
        status: CaseStatus,
    },
    /// Only a closed or withdrawn case can be reopened.
    #[error("the case is still open, so it cannot be reopened")]
    StillOpen,
    /// The command is dated before the case's last event: the host's clock or its
    /// queue is out of order. An infrastructure problem, not a rule of the practice.
    #[error("this command is dated {at}, before the case's last event at {last}; check the clock")]
    ClockWentBackwards {
        /// The command's time.
        at: DateTime<Utc>,
        /// The last event's time.
        last: DateTime<Utc>,
    },
    /// The playbook does not use this step.
    #[error("the playbook \"{playbook}\" has no step to {step}")]
    StepNotInPlaybook {
        /// The step.
        step: StepKind,
        /// The playbook's name.
        playbook: String,
    },
    /// A step that may happen only once already happened.
    #[error("you can {step} only once, and it was already done")]
    StepAlreadyDone {
        /// The step.
        step: StepKind,
    },
    /// Steps that must come first have not happened.
    #[error("you cannot {step} yet: first {}", sentence(.missing))]
    StepOutOfOrder {
        /// The step asked for.
        step: StepKind,
        /// The steps that must happen first.
        missing: Vec<StepKind>,
    },
    /// Required steps are missing at closing.
    #[error("the case cannot close yet: first {}", sentence(.missing))]
    RequiredStepsMissing {
        /// The required steps that have not happened.
        missing: Vec<StepKind>,
    },
    /// The playbook needs a root cause at closing.
    #[error("the case cannot close without a root cause (a category and a description)")]
    RootCauseMissing,
    /// Agreed actions have not been carried out.
    #[error("the case cannot close while agreed actions are not carried out: {}", ids(.actions))]
    ActionsOutstanding {
        /// The actions.
        actions: Vec<ActionId>,
    },
    /// Offers still await the customer's answer.
    #[error("the case cannot close while offers await the customer's answer: {}", ids(.options))]
    OffersAwaitingAnswer {
        /// The options.
        options: Vec<OptionId>,
    },
    /// A required text is blank.
    #[error("{field} must not be blank")]
    Blank {
        /// Which text.
        field: Field,
    },
    /// A question with this id was already asked.
    #[error("question {question} was already asked")]
    QuestionExists {
        /// The question.
        question: QuestionId,
    },
    /// No question with this id was asked.
    #[error("no question {question} was asked on this case")]
    UnknownQuestion {
        /// The question.
        question: QuestionId,
    },
    /// The question already has an answer.
    #[error("question {question} already has an answer")]
    QuestionAnswered {
        /// The question.
        question: QuestionId,
    },
    /// An option with this id already exists.
    #[error("option {option} already exists; revise it instead")]
    OptionExists {
        /// The option.
        option: OptionId,
    },
    /// No option with this id exists.
    #[error("there is no option {option} on this case")]
    UnknownOption {
        /// The option.
        option: OptionId,
    },
    /// The option was already offered, so it can no longer be offered or changed.
    #[error("option {option} is already {status}, so it cannot be offered or changed")]
    OptionAlreadyOffered {
        /// The option.
        option: OptionId,
        /// Its status.
        status: OptionStatus,
    },
    /// The customer can answer only an option that was offered and not yet answered.
    #[error("option {option} is {status}; the customer can only answer an open offer")]
    OfferNotOpen {
        /// The option.
        option: OptionId,
        /// Its status.
        status: OptionStatus,
    },
    /// An action can carry out only an option the customer accepted.
    #[error("option {option} is {status}; an action can only carry out an accepted option")]
    OptionNotAccepted {
        /// The option.
        option: OptionId,
        /// Its status.
        status: OptionStatus,
    },
    /// An action with this id was already agreed.
    #[error("action {action} was already agreed")]
    ActionExists {
        /// The action.
        action: ActionId,
    },
    /// No action with this id was agreed: execution follows agreement.
    #[error("action {action} was never agreed with the customer, so it cannot be carried out")]
    ActionNotAgreed {
        /// The action.
        action: ActionId,
    },
    /// The action was already carried out.
    #[error("action {action} was already carried out")]
    ActionAlreadyDone {
        /// The action.
        action: ActionId,
    },
    /// The conversation is already on this channel.
    #[error("the conversation is already on this channel")]
    SameChannel,
    /// The case already has this owner.
    #[error("{owner} already owns this case")]
    SameOwner {
        /// The owner's name.
        owner: String,
    },
    /// An amount is zero or negative where it must be positive.
    #[error("the amount must be more than zero")]
    NonPositiveAmount,
    /// The playbook asks for a language review of this step, and the words have
    /// findings at or above the step's severity.
    #[error("the words to {step} need another try: {}", findings_sentence(.findings))]
    WordsNeedWork {
        /// The step.
        step: StepKind,
        /// What the review found, with spans, explanations and suggestions.
        findings: Vec<Finding>,
    },
    /// The language review could not be built. An infrastructure problem.
    #[error("the language review is unavailable: {reason}")]
    ReviewUnavailable {
        /// Why.
        reason: String,
    },
}

/// "“sorry if” — hedges the apology (try: “I'm sorry that …”)", joined with "; ".
fn findings_sentence(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "\u{201c}{}\u{201d}: {} (try: {})",
                f.matched, f.explanation, f.suggestion
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl Rejection {
    /// Whether this is an infrastructure problem (the host's clock or queue) rather
    /// than a rule of the practice.
    pub fn is_infrastructure(&self) -> bool {
        matches!(
            self,
            Self::ClockWentBackwards { .. } | Self::ReviewUnavailable { .. }
        )
    }
}

/// "thank the customer and apologize", "a, b and c".
fn sentence(steps: &[StepKind]) -> String {
    let words: Vec<&str> = steps.iter().map(|s| s.describe()).collect();
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

fn ids<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_order_reads_as_a_sentence() {
        let r = Rejection::StepOutOfOrder {
            step: StepKind::Explain,
            missing: vec![StepKind::Thank, StepKind::Apologize],
        };
        assert_eq!(
            r.to_string(),
            "you cannot explain what happened yet: first thank the customer and apologize"
        );
        let r = Rejection::RequiredStepsMissing {
            missing: vec![StepKind::Thank, StepKind::Apologize, StepKind::Explain],
        };
        assert_eq!(
            r.to_string(),
            "the case cannot close yet: first thank the customer, apologize and explain what happened"
        );
    }

    #[test]
    fn only_the_clock_is_infrastructure() {
        assert!(!Rejection::NotOpened.is_infrastructure());
        let t = DateTime::<Utc>::MIN_UTC;
        assert!(Rejection::ClockWentBackwards { at: t, last: t }.is_infrastructure());
    }
}
