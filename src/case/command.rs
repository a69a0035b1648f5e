//! Commands: what an actor asks to do to a case. Each is decided by
//! [`decide`](crate::decide) and either becomes events or is rejected.

use crate::actor::ActorRef;
use crate::approval::{Delegation, Ledger, ResolutionOption};
use crate::channel::Channel;
use crate::complaint::{Complaint, Priority, Severity};
use crate::customer::Customer;
use crate::id::{ActionId, CaseId, CommitmentId, OptionId, QuestionId};
use crate::money::Money;
use crate::playbook::StepKind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use typed_builder::TypedBuilder;

/// Everything needed to open a case at intake.
///
/// ```
/// use service_recovery::{ActorRef, Channel, Complaint, Customer, OpenCase, Severity};
///
/// let open = OpenCase::builder()
///     .case("case-1")
///     .customer(Customer::builder().id("c-1").name("Amara Okafor").address_as("Ms Okafor").build())
///     .channel(Channel::Phone)
///     .owner(ActorRef::new("agent-7", "Dana"))
///     .complaint(Complaint::builder().summary("parcel sent to the wrong address").build())
///     .severity(Severity::Moderate)
///     .build();
/// assert_eq!(open.previous_contacts, 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder)]
pub struct OpenCase {
    /// The host's identifier for the new case.
    #[builder(setter(into))]
    pub case: CaseId,
    /// The customer.
    pub customer: Customer,
    /// Where the complaint arrived.
    pub channel: Channel,
    /// Who owns the case from now on.
    pub owner: ActorRef,
    /// What went wrong.
    pub complaint: Complaint,
    /// How badly.
    pub severity: Severity,
    /// The host's own view of the priority; intake signals can only raise it.
    #[builder(default = Priority::Normal)]
    #[serde(default = "normal")]
    pub priority: Priority,
    /// How many times the customer contacted the business about this before.
    #[builder(default)]
    #[serde(default)]
    pub previous_contacts: u32,
}

fn normal() -> Priority {
    Priority::Normal
}

/// The kind of a clarifying question (DOMAIN practice 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// What happened, when, with what.
    Background,
    /// Why it matters, what was expected.
    Probing,
    /// "So what you need is ..., is that right?"
    Confirming,
}

impl fmt::Display for QuestionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Background => "background",
            Self::Probing => "probing",
            Self::Confirming => "confirming",
        })
    }
}

/// Why the failure happened, recorded at closing so it does not happen again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder)]
pub struct RootCause {
    /// A category the host reports on: "address validation", "staff training".
    #[builder(setter(into))]
    pub category: String,
    /// What actually went wrong.
    #[builder(setter(into))]
    pub description: String,
}

impl RootCause {
    pub(crate) fn is_blank(&self) -> bool {
        self.category.trim().is_empty() || self.description.trim().is_empty()
    }
}

/// A request to change a case. The actor and the time travel beside it, in the call
/// to [`decide`](crate::decide).
///
/// Serialized with a `command` tag: `{"command":"apologize","words":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Command {
    /// Open a new case (intake).
    Open(Box<OpenCase>),
    /// Thank the customer for raising the problem.
    Thank {
        /// The words used.
        words: String,
    },
    /// Apologize; the words are recorded so they can be reviewed.
    Apologize {
        /// The words used.
        words: String,
    },
    /// Ask a clarifying question.
    AskQuestion {
        /// The host's identifier for the question.
        question: QuestionId,
        /// Background, probing or confirming.
        kind: QuestionKind,
        /// The question as asked.
        text: String,
    },
    /// Record the customer's answer to a question.
    RecordAnswer {
        /// The question answered.
        question: QuestionId,
        /// The answer, in the customer's words.
        answer: String,
    },
    /// Record what the customer wants to achieve.
    RecordGoal {
        /// The goal, in the customer's words.
        goal: String,
        /// What the customer expected, to check against what was actually promised.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expected: Option<String>,
    },
    /// Explain what happened.
    Explain {
        /// The words used.
        words: String,
    },
    /// Propose a resolution option internally (not yet shown to the customer).
    ProposeOption {
        /// The host's identifier for the option.
        option: OptionId,
        /// What would be offered.
        resolution: ResolutionOption,
    },
    /// Change a proposed option before it is offered.
    ReviseOption {
        /// The option to change.
        option: OptionId,
        /// Its new terms.
        resolution: ResolutionOption,
    },
    /// Offer a proposed option to the customer.
    OfferOption {
        /// The option to offer.
        option: OptionId,
    },
    /// Record that the customer accepted an offer.
    AcceptOffer {
        /// The option accepted.
        option: OptionId,
    },
    /// Record that the customer declined an offer.
    DeclineOffer {
        /// The option declined.
        option: OptionId,
        /// Why, if the customer said.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Agree with the customer on a specific action.
    AgreeAction {
        /// The host's identifier for the action.
        action: ActionId,
        /// What will be done.
        description: String,
        /// The accepted option the action carries out, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        option: Option<OptionId>,
    },
    /// Record that an agreed action was carried out.
    CarryOut {
        /// The action.
        action: ActionId,
        /// What was done.
        outcome: String,
    },
    /// A goodwill gesture beyond the fix.
    Goodwill {
        /// What was given or done.
        description: String,
        /// Its value, if it has one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<Money>,
        /// The customer's ledger from their *other* cases, which the host builds from
        /// those histories, so that limits across cases (goodwill per customer per
        /// year, see [`CompensationLimits`](crate::approval::CompensationLimits)) can be
        /// checked. Empty by default: then only this case's own history counts.
        #[serde(default, skip_serializing_if = "Ledger::is_empty")]
        prior: Ledger,
    },
    /// Thank the customer before closing.
    FinalThanks {
        /// The words used.
        words: String,
    },
    /// Close the case.
    Close {
        /// Why the failure happened.
        root_cause: RootCause,
    },
    /// Reopen a closed or withdrawn case: a new round of recovery.
    Reopen {
        /// Why.
        reason: String,
    },
    /// The customer withdrew: the case ends without a resolution.
    Withdraw {
        /// What the customer said, or what the agent saw.
        reason: String,
    },
    /// The conversation moved to another channel; nothing is lost.
    ChangeChannel {
        /// The new channel.
        channel: Channel,
    },
    /// Hand the case to another owner.
    Reassign {
        /// The new owner.
        to: ActorRef,
        /// Why.
        reason: String,
    },
    /// Add an internal note.
    AddNote {
        /// The note.
        text: String,
    },

    // Approvals (DOMAIN practices 6 and 7): see the `approval` module.
    /// Ask for the approvals a proposed option needs before it may be offered. The
    /// requirement is computed now, from the approval policy, the requester's own limits
    /// and the case's total offered so far, and recorded in the event.
    RequestApproval {
        /// The option.
        option: OptionId,
        /// Why it deserves approval, for the approvers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Grant one level of the pending request for an option.
    GrantApproval {
        /// The option.
        option: OptionId,
        /// The level granted, counting from 1, as listed in the request.
        level: u32,
        /// When the approval lapses, if it does (an unexpired approval is needed at
        /// the moment of the offer).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expires: Option<DateTime<Utc>>,
        /// Why it is granted.
        reason: String,
        /// The delegation the acting person grants under, if they act for someone
        /// who is away.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on_behalf_of: Option<Delegation>,
    },
    /// Deny the pending request for an option. The option cannot be offered until a new
    /// request is granted.
    DenyApproval {
        /// The option.
        option: OptionId,
        /// Why it is denied.
        reason: String,
        /// The delegation the acting person denies under, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on_behalf_of: Option<Delegation>,
    },
    /// Withdraw the pending request for an option (by its requester or the case's
    /// owner); the grants it had are gone with it.
    WithdrawApprovalRequest {
        /// The option.
        option: OptionId,
        /// Why.
        reason: String,
    },
    // Follow-ups
    /// The case now waits on the customer: the response clocks pause.
    AwaitCustomer {
        /// What the customer must do or send.
        reason: String,
    },
    /// The case now waits on a third party (a carrier, a supplier): the clocks pause.
    AwaitThirdParty {
        /// Who.
        party: String,
        /// What they must do.
        reason: String,
    },
    /// The wait is over: the response clocks run again.
    Resume,
    /// The host reports the time: every response-target warning or breach crossed and
    /// not yet recorded becomes an event. Accepted in any status; often yields no
    /// events at all.
    ReportTime,
    /// Promise the customer something by a date.
    MakeCommitment {
        /// The host's identifier for the promise.
        commitment: CommitmentId,
        /// What is promised.
        what: String,
        /// Who must keep it.
        owner: ActorRef,
        /// The date told to the customer; the internal target is earlier.
        promised_for: DateTime<Utc>,
    },
    /// Record that a promise was kept (now).
    KeepCommitment {
        /// The promise.
        commitment: CommitmentId,
    },
    /// Record that a promise was broken.
    BreakCommitment {
        /// The promise.
        commitment: CommitmentId,
        /// Why.
        reason: String,
    },
    /// Withdraw a promise that no longer applies; it needs a reason.
    CancelCommitment {
        /// The promise.
        commitment: CommitmentId,
        /// Why it no longer applies.
        reason: String,
    },
    /// Record the customer's answer to the survey after closing.
    RecordSurvey {
        /// From 1 (very unhappy) to 5 (very happy).
        score: u8,
        /// What the customer wrote.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
        /// The case to start if the score is low and the policy spawns a new case;
        /// derived from this case's id if absent (see [`schedule::survey`](crate::schedule::survey)).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        follow_up_case: Option<CaseId>,
    },
}

/// What a command would do, without its payload: the key for the rules of order and
/// state, and the unit that [`next_actions`](crate::next_actions()) reports on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "intent", content = "target", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Intent {
    /// Open the case.
    Open,
    /// Thank the customer.
    Thank,
    /// Apologize.
    Apologize,
    /// Ask a question.
    AskQuestion,
    /// Record the answer to this question.
    RecordAnswer(QuestionId),
    /// Record the customer's goal.
    RecordGoal,
    /// Explain.
    Explain,
    /// Propose a new option.
    ProposeOption,
    /// Revise this option.
    ReviseOption(OptionId),
    /// Offer this option.
    OfferOption(OptionId),
    /// Record acceptance of this offer.
    AcceptOffer(OptionId),
    /// Record that this offer was declined.
    DeclineOffer(OptionId),
    /// Agree on an action.
    AgreeAction,
    /// Carry out this agreed action.
    CarryOut(ActionId),
    /// Make a goodwill gesture.
    Goodwill,
    /// Give final thanks.
    FinalThanks,
    /// Close the case.
    Close,
    /// Reopen the case.
    Reopen,
    /// Record the customer's withdrawal.
    Withdraw,
    /// Change channel.
    ChangeChannel,
    /// Hand the case to another owner.
    Reassign,
    /// Add a note.
    AddNote,

    // Approvals
    /// Request approval for this option.
    RequestApproval(OptionId),
    /// Grant a level of the pending request for this option.
    GrantApproval(OptionId),
    /// Deny the pending request for this option.
    DenyApproval(OptionId),
    /// Withdraw the pending request for this option.
    WithdrawApprovalRequest(OptionId),
    // Follow-ups
    /// Wait on the customer.
    AwaitCustomer,
    /// Wait on a third party.
    AwaitThirdParty,
    /// End the wait.
    Resume,
    /// Report the time.
    ReportTime,
    /// Make a promise.
    MakeCommitment,
    /// Keep this promise.
    KeepCommitment(CommitmentId),
    /// Record that this promise was broken.
    BreakCommitment(CommitmentId),
    /// Cancel this promise.
    CancelCommitment(CommitmentId),
    /// Record the survey.
    RecordSurvey,
}

impl Intent {
    /// The playbook step this intent belongs to, if any.
    pub fn step(&self) -> Option<StepKind> {
        Some(match self {
            Self::Thank => StepKind::Thank,
            Self::Apologize => StepKind::Apologize,
            Self::AskQuestion => StepKind::Clarify,
            Self::RecordGoal => StepKind::RecordGoal,
            Self::Explain => StepKind::Explain,
            Self::OfferOption(_) => StepKind::OfferOption,
            Self::AgreeAction => StepKind::Agree,
            Self::CarryOut(_) => StepKind::Act,
            Self::Goodwill => StepKind::Goodwill,
            Self::FinalThanks => StepKind::FinalThanks,
            Self::Close => StepKind::Close,
            _ => return None,
        })
    }
}

impl fmt::Display for Intent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Open => f.write_str("open the case"),
            Self::AskQuestion => f.write_str("ask a question"),
            Self::RecordAnswer(q) => write!(f, "record the answer to question {q}"),
            Self::ProposeOption => f.write_str("propose an option"),
            Self::ReviseOption(o) => write!(f, "revise option {o}"),
            Self::OfferOption(o) => write!(f, "offer option {o}"),
            Self::AcceptOffer(o) => write!(f, "record that the customer accepted option {o}"),
            Self::DeclineOffer(o) => write!(f, "record that the customer declined option {o}"),
            Self::CarryOut(a) => write!(f, "carry out action {a}"),
            Self::Reopen => f.write_str("reopen the case"),
            Self::Withdraw => f.write_str("record that the customer withdrew"),
            Self::ChangeChannel => f.write_str("change channel"),
            Self::Reassign => f.write_str("hand the case to another owner"),
            Self::AddNote => f.write_str("add a note"),
            Self::RequestApproval(o) => write!(f, "request approval for option {o}"),
            Self::GrantApproval(o) => write!(f, "grant approval for option {o}"),
            Self::DenyApproval(o) => write!(f, "deny approval for option {o}"),
            Self::WithdrawApprovalRequest(o) => {
                write!(f, "withdraw the approval request for option {o}")
            }
            Self::AwaitCustomer => f.write_str("wait on the customer"),
            Self::AwaitThirdParty => f.write_str("wait on a third party"),
            Self::Resume => f.write_str("end the wait"),
            Self::ReportTime => f.write_str("report the time"),
            Self::MakeCommitment => f.write_str("make a promise"),
            Self::KeepCommitment(c) => write!(f, "keep promise {c}"),
            Self::BreakCommitment(c) => write!(f, "record that promise {c} was broken"),
            Self::CancelCommitment(c) => write!(f, "cancel promise {c}"),
            Self::RecordSurvey => f.write_str("record the survey"),
            other => match other.step() {
                Some(step) => f.write_str(step.describe()),
                None => write!(f, "{other:?}"),
            },
        }
    }
}

impl Command {
    /// What this command would do, without its payload.
    pub fn intent(&self) -> Intent {
        match self {
            Self::Open(_) => Intent::Open,
            Self::Thank { .. } => Intent::Thank,
            Self::Apologize { .. } => Intent::Apologize,
            Self::AskQuestion { .. } => Intent::AskQuestion,
            Self::RecordAnswer { question, .. } => Intent::RecordAnswer(question.clone()),
            Self::RecordGoal { .. } => Intent::RecordGoal,
            Self::Explain { .. } => Intent::Explain,
            Self::ProposeOption { .. } => Intent::ProposeOption,
            Self::ReviseOption { option, .. } => Intent::ReviseOption(option.clone()),
            Self::OfferOption { option } => Intent::OfferOption(option.clone()),
            Self::AcceptOffer { option } => Intent::AcceptOffer(option.clone()),
            Self::DeclineOffer { option, .. } => Intent::DeclineOffer(option.clone()),
            Self::AgreeAction { .. } => Intent::AgreeAction,
            Self::CarryOut { action, .. } => Intent::CarryOut(action.clone()),
            Self::Goodwill { .. } => Intent::Goodwill,
            Self::FinalThanks { .. } => Intent::FinalThanks,
            Self::Close { .. } => Intent::Close,
            Self::Reopen { .. } => Intent::Reopen,
            Self::Withdraw { .. } => Intent::Withdraw,
            Self::ChangeChannel { .. } => Intent::ChangeChannel,
            Self::Reassign { .. } => Intent::Reassign,
            Self::AddNote { .. } => Intent::AddNote,
            Self::RequestApproval { option, .. } => Intent::RequestApproval(option.clone()),
            Self::GrantApproval { option, .. } => Intent::GrantApproval(option.clone()),
            Self::DenyApproval { option, .. } => Intent::DenyApproval(option.clone()),
            Self::WithdrawApprovalRequest { option, .. } => {
                Intent::WithdrawApprovalRequest(option.clone())
            }
            Self::AwaitCustomer { .. } => Intent::AwaitCustomer,
            Self::AwaitThirdParty { .. } => Intent::AwaitThirdParty,
            Self::Resume => Intent::Resume,
            Self::ReportTime => Intent::ReportTime,
            Self::MakeCommitment { .. } => Intent::MakeCommitment,
            Self::KeepCommitment { commitment } => Intent::KeepCommitment(commitment.clone()),
            Self::BreakCommitment { commitment, .. } => Intent::BreakCommitment(commitment.clone()),
            Self::CancelCommitment { commitment, .. } => {
                Intent::CancelCommitment(commitment.clone())
            }
            Self::RecordSurvey { .. } => Intent::RecordSurvey,
        }
    }
}
