//! Why a command was refused, in words an agent can read.

use crate::case::CaseStatus;
use crate::case::OptionStatus;
use crate::id::{ActionId, CaseId, CommitmentId, OptionId, QuestionId};
use crate::playbook::StepKind;
use crate::schedule::commitment::CommitmentStatus;
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
    // Follow-ups
    /// What a promise is about.
    Promise,
    /// Who the case waits on.
    Party,
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
            Self::Promise => "what is promised",
            Self::Party => "who the case waits on",
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
    // Follow-ups
    /// Promises to the customer are still open at closing.
    #[error(
        "the case cannot close while promises to the customer are open: {}; keep, break or cancel them (with a reason) first",
        ids(.commitments)
    )]
    CommitmentsOpen {
        /// The open promises.
        commitments: Vec<CommitmentId>,
    },
    /// A promise with this id was already made.
    #[error("promise {commitment} was already made")]
    CommitmentExists {
        /// The promise.
        commitment: CommitmentId,
    },
    /// No promise with this id was made.
    #[error("no promise {commitment} was made on this case")]
    UnknownCommitment {
        /// The promise.
        commitment: CommitmentId,
    },
    /// The promise was already kept, broken or cancelled.
    #[error("promise {commitment} is already {status}")]
    CommitmentSettled {
        /// The promise.
        commitment: CommitmentId,
        /// Where it stands.
        status: CommitmentStatus,
    },
    /// The date promised to the customer is not in the future.
    #[error("the date promised to the customer ({promised_for}) must be later than now ({now})")]
    PromiseNotInFuture {
        /// The date given.
        promised_for: DateTime<Utc>,
        /// The command's time.
        now: DateTime<Utc>,
    },
    /// Nothing to resume: the case is not waiting.
    #[error("the case is not waiting on anyone, so there is nothing to resume")]
    NotWaiting,
    /// A survey score outside 1 to 5.
    #[error("a survey score must be from 1 to 5; {score} is not")]
    SurveyScoreOutOfRange {
        /// The score given.
        score: u8,
    },
    /// Surveys are recorded for closed cases only.
    #[error("a survey can be recorded only after the case is closed; it is {status}")]
    SurveyNeedsClosedCase {
        /// The case's status.
        status: CaseStatus,
    },
    /// The survey for this closing was already recorded.
    #[error("the survey for this closing was already recorded")]
    SurveyAlreadyRecorded,
}

impl Rejection {
    /// Whether this is an infrastructure problem (the host's clock or queue) rather
    /// than a rule of the practice.
    pub fn is_infrastructure(&self) -> bool {
        matches!(self, Self::ClockWentBackwards { .. })
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
