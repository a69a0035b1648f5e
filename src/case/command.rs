//! Commands: what an actor asks to do to a case. [`Command`] is the wire enum; each
//! command's payload and rules live in its feature's module, and [`Command`] forwards
//! to them with one match. Each is decided by [`decide`](crate::decide) and either
//! becomes events or is rejected.

use crate::case::approvals::{
    DenyApproval, GrantApproval, RequestApproval, WithdrawApprovalRequest,
};
use crate::case::conversation::{
    AddNote, Apologize, AskQuestion, Explain, FinalThanks, RecordAnswer, RecordGoal, Thank,
};
use crate::case::decision::Decide;
use crate::case::follow_ups::{
    AwaitCustomer, AwaitThirdParty, BreakCommitment, CancelCommitment, KeepCommitment,
    MakeCommitment, RecordSurvey, ReportTime, Resume,
};
use crate::case::lifecycle::{
    ChangeChannel, Close, Escalate, OpenCase, Reassign, Reopen, Withdraw,
};
use crate::case::offers::{
    AcceptOffer, AgreeAction, CarryOut, DeclineOffer, Goodwill, OfferOption, ProposeOption,
    ReviseOption,
};
use crate::id::{ActionId, CommitmentId, OptionId, QuestionId};
use crate::playbook::StepKind;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The kind of a clarifying question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
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

/// A request to change a case. The actor and the time travel beside it, in the call
/// to [`decide`](crate::decide).
///
/// Serialized with a `command` tag beside the payload's own fields:
/// `{"command":"apologize","words":"..."}`. Every payload refuses unknown fields.
/// Each payload type converts into its command: `Command::from(Thank { .. })`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "command", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Command {
    /// Open a new case (intake).
    Open(Box<OpenCase>),
    /// Thank the customer for raising the problem.
    Thank(Thank),
    /// Apologize; the words are recorded so they can be reviewed.
    Apologize(Apologize),
    /// Ask a clarifying question.
    AskQuestion(AskQuestion),
    /// Record the customer's answer to a question.
    RecordAnswer(RecordAnswer),
    /// Record the customer's goal.
    RecordGoal(RecordGoal),
    /// Explain what happened.
    Explain(Explain),
    /// Propose a resolution option internally.
    ProposeOption(ProposeOption),
    /// Change a proposed option's terms.
    ReviseOption(ReviseOption),
    /// Offer an option to the customer.
    OfferOption(OfferOption),
    /// Record that the customer accepted an offer.
    AcceptOffer(AcceptOffer),
    /// Record that the customer declined an offer.
    DeclineOffer(DeclineOffer),
    /// Agree an action with the customer.
    AgreeAction(AgreeAction),
    /// Record that an agreed action was carried out.
    CarryOut(CarryOut),
    /// Make a goodwill gesture beyond the fix.
    Goodwill(Goodwill),
    /// Thank the customer again before closing.
    FinalThanks(FinalThanks),
    /// Close the case with its root cause.
    Close(Close),
    /// Reopen a closed or withdrawn case.
    Reopen(Reopen),
    /// Record that the customer withdrew.
    Withdraw(Withdraw),
    /// Move the conversation to another channel.
    ChangeChannel(ChangeChannel),
    /// Hand the case to another owner.
    Reassign(Reassign),
    /// Raise the priority and hand the case up, with the reason.
    Escalate(Escalate),
    /// Add an internal note.
    AddNote(AddNote),
    /// Ask for the approvals an option needs.
    RequestApproval(RequestApproval),
    /// Grant one level of a pending approval request.
    GrantApproval(GrantApproval),
    /// Deny a pending approval request.
    DenyApproval(DenyApproval),
    /// Withdraw a pending approval request.
    WithdrawApprovalRequest(WithdrawApprovalRequest),
    /// Wait on the customer; the response clocks pause.
    AwaitCustomer(AwaitCustomer),
    /// Wait on a third party; the response clocks pause.
    AwaitThirdParty(AwaitThirdParty),
    /// End the wait.
    Resume(Resume),
    /// Record the response-target warnings and breaches crossed by now.
    ReportTime(ReportTime),
    /// Make a promise with a date.
    MakeCommitment(MakeCommitment),
    /// Record that a promise was kept.
    KeepCommitment(KeepCommitment),
    /// Record that a promise was broken.
    BreakCommitment(BreakCommitment),
    /// Cancel a promise.
    CancelCommitment(CancelCommitment),
    /// Record the survey after closing.
    RecordSurvey(RecordSurvey),
}

impl Command {
    /// The command's own rules: the one place that forwards from the wire enum to
    /// each command's payload.
    pub(crate) fn rules(&self) -> &dyn Decide {
        match self {
            Self::Open(open) => open.as_ref(),
            Self::Thank(command) => command,
            Self::Apologize(command) => command,
            Self::AskQuestion(command) => command,
            Self::RecordAnswer(command) => command,
            Self::RecordGoal(command) => command,
            Self::Explain(command) => command,
            Self::ProposeOption(command) => command,
            Self::ReviseOption(command) => command,
            Self::OfferOption(command) => command,
            Self::AcceptOffer(command) => command,
            Self::DeclineOffer(command) => command,
            Self::AgreeAction(command) => command,
            Self::CarryOut(command) => command,
            Self::Goodwill(command) => command,
            Self::FinalThanks(command) => command,
            Self::Close(command) => command,
            Self::Reopen(command) => command,
            Self::Withdraw(command) => command,
            Self::ChangeChannel(command) => command,
            Self::Reassign(command) => command,
            Self::Escalate(command) => command,
            Self::AddNote(command) => command,
            Self::RequestApproval(command) => command,
            Self::GrantApproval(command) => command,
            Self::DenyApproval(command) => command,
            Self::WithdrawApprovalRequest(command) => command,
            Self::AwaitCustomer(command) => command,
            Self::AwaitThirdParty(command) => command,
            Self::Resume(command) => command,
            Self::ReportTime(command) => command,
            Self::MakeCommitment(command) => command,
            Self::KeepCommitment(command) => command,
            Self::BreakCommitment(command) => command,
            Self::CancelCommitment(command) => command,
            Self::RecordSurvey(command) => command,
        }
    }

    /// What this command would do, without its payload.
    pub fn intent(&self) -> Intent {
        self.rules().intent()
    }
}

impl From<OpenCase> for Command {
    fn from(open: OpenCase) -> Self {
        Command::Open(Box::new(open))
    }
}

impl From<Thank> for Command {
    fn from(command: Thank) -> Self {
        Command::Thank(command)
    }
}

impl From<Apologize> for Command {
    fn from(command: Apologize) -> Self {
        Command::Apologize(command)
    }
}

impl From<AskQuestion> for Command {
    fn from(command: AskQuestion) -> Self {
        Command::AskQuestion(command)
    }
}

impl From<RecordAnswer> for Command {
    fn from(command: RecordAnswer) -> Self {
        Command::RecordAnswer(command)
    }
}

impl From<RecordGoal> for Command {
    fn from(command: RecordGoal) -> Self {
        Command::RecordGoal(command)
    }
}

impl From<Explain> for Command {
    fn from(command: Explain) -> Self {
        Command::Explain(command)
    }
}

impl From<ProposeOption> for Command {
    fn from(command: ProposeOption) -> Self {
        Command::ProposeOption(command)
    }
}

impl From<ReviseOption> for Command {
    fn from(command: ReviseOption) -> Self {
        Command::ReviseOption(command)
    }
}

impl From<OfferOption> for Command {
    fn from(command: OfferOption) -> Self {
        Command::OfferOption(command)
    }
}

impl From<AcceptOffer> for Command {
    fn from(command: AcceptOffer) -> Self {
        Command::AcceptOffer(command)
    }
}

impl From<DeclineOffer> for Command {
    fn from(command: DeclineOffer) -> Self {
        Command::DeclineOffer(command)
    }
}

impl From<AgreeAction> for Command {
    fn from(command: AgreeAction) -> Self {
        Command::AgreeAction(command)
    }
}

impl From<CarryOut> for Command {
    fn from(command: CarryOut) -> Self {
        Command::CarryOut(command)
    }
}

impl From<Goodwill> for Command {
    fn from(command: Goodwill) -> Self {
        Command::Goodwill(command)
    }
}

impl From<FinalThanks> for Command {
    fn from(command: FinalThanks) -> Self {
        Command::FinalThanks(command)
    }
}

impl From<Close> for Command {
    fn from(command: Close) -> Self {
        Command::Close(command)
    }
}

impl From<Reopen> for Command {
    fn from(command: Reopen) -> Self {
        Command::Reopen(command)
    }
}

impl From<Withdraw> for Command {
    fn from(command: Withdraw) -> Self {
        Command::Withdraw(command)
    }
}

impl From<ChangeChannel> for Command {
    fn from(command: ChangeChannel) -> Self {
        Command::ChangeChannel(command)
    }
}

impl From<Reassign> for Command {
    fn from(command: Reassign) -> Self {
        Command::Reassign(command)
    }
}

impl From<Escalate> for Command {
    fn from(command: Escalate) -> Self {
        Command::Escalate(command)
    }
}

impl From<AddNote> for Command {
    fn from(command: AddNote) -> Self {
        Command::AddNote(command)
    }
}

impl From<RequestApproval> for Command {
    fn from(command: RequestApproval) -> Self {
        Command::RequestApproval(command)
    }
}

impl From<GrantApproval> for Command {
    fn from(command: GrantApproval) -> Self {
        Command::GrantApproval(command)
    }
}

impl From<DenyApproval> for Command {
    fn from(command: DenyApproval) -> Self {
        Command::DenyApproval(command)
    }
}

impl From<WithdrawApprovalRequest> for Command {
    fn from(command: WithdrawApprovalRequest) -> Self {
        Command::WithdrawApprovalRequest(command)
    }
}

impl From<AwaitCustomer> for Command {
    fn from(command: AwaitCustomer) -> Self {
        Command::AwaitCustomer(command)
    }
}

impl From<AwaitThirdParty> for Command {
    fn from(command: AwaitThirdParty) -> Self {
        Command::AwaitThirdParty(command)
    }
}

impl From<MakeCommitment> for Command {
    fn from(command: MakeCommitment) -> Self {
        Command::MakeCommitment(command)
    }
}

impl From<KeepCommitment> for Command {
    fn from(command: KeepCommitment) -> Self {
        Command::KeepCommitment(command)
    }
}

impl From<BreakCommitment> for Command {
    fn from(command: BreakCommitment) -> Self {
        Command::BreakCommitment(command)
    }
}

impl From<CancelCommitment> for Command {
    fn from(command: CancelCommitment) -> Self {
        Command::CancelCommitment(command)
    }
}

impl From<Resume> for Command {
    fn from(command: Resume) -> Self {
        Command::Resume(command)
    }
}

impl From<ReportTime> for Command {
    fn from(command: ReportTime) -> Self {
        Command::ReportTime(command)
    }
}

impl From<RecordSurvey> for Command {
    fn from(command: RecordSurvey) -> Self {
        Command::RecordSurvey(command)
    }
}

/// What a command would do, without its payload: the key for the rules of order and
/// state, and the unit that [`next_actions`](crate::next_actions()) reports on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
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
    /// Raise the priority and hand the case up.
    Escalate,
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
        match self {
            Self::Thank => Some(StepKind::Thank),
            Self::Apologize => Some(StepKind::Apologize),
            Self::AskQuestion => Some(StepKind::Clarify),
            Self::RecordGoal => Some(StepKind::RecordGoal),
            Self::Explain => Some(StepKind::Explain),
            Self::OfferOption(_) => Some(StepKind::OfferOption),
            Self::AgreeAction => Some(StepKind::Agree),
            Self::CarryOut(_) => Some(StepKind::Act),
            Self::Goodwill => Some(StepKind::Goodwill),
            Self::FinalThanks => Some(StepKind::FinalThanks),
            Self::Close => Some(StepKind::Close),
            Self::Open
            | Self::RecordAnswer(_)
            | Self::ProposeOption
            | Self::ReviseOption(_)
            | Self::AcceptOffer(_)
            | Self::DeclineOffer(_)
            | Self::Reopen
            | Self::Withdraw
            | Self::ChangeChannel
            | Self::Reassign
            | Self::Escalate
            | Self::AddNote
            | Self::RequestApproval(_)
            | Self::GrantApproval(_)
            | Self::DenyApproval(_)
            | Self::WithdrawApprovalRequest(_)
            | Self::AwaitCustomer
            | Self::AwaitThirdParty
            | Self::Resume
            | Self::ReportTime
            | Self::MakeCommitment
            | Self::KeepCommitment(_)
            | Self::BreakCommitment(_)
            | Self::CancelCommitment(_)
            | Self::RecordSurvey => None,
        }
    }
}

impl fmt::Display for Intent {
    /// What a button would say: `offer option o-1`, `thank the customer`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Open => f.write_str("open the case"),
            Self::Thank => f.write_str(StepKind::Thank.describe()),
            Self::Apologize => f.write_str(StepKind::Apologize.describe()),
            Self::RecordGoal => f.write_str(StepKind::RecordGoal.describe()),
            Self::Explain => f.write_str(StepKind::Explain.describe()),
            Self::AgreeAction => f.write_str(StepKind::Agree.describe()),
            Self::Goodwill => f.write_str(StepKind::Goodwill.describe()),
            Self::FinalThanks => f.write_str(StepKind::FinalThanks.describe()),
            Self::Close => f.write_str(StepKind::Close.describe()),
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
            Self::Escalate => f.write_str("escalate the case"),
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
        }
    }
}
