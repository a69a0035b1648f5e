//! The recovery case: its state, the commands that change it, the events that record
//! the changes, and the rules that decide between them.
//!
//! A [`Case`] is never changed directly. [`decide`](crate::decide) turns a command
//! into events (or a [`Rejection`]); [`Case::apply`] records each event. Replaying a
//! history with [`Case::replay`] gives exactly the state that living through it gave.

pub mod approvals;
mod command;
pub mod conversation;
mod decide;
mod decision;
mod event;
pub mod follow_ups;
mod language;
mod ledger;
pub mod lifecycle;
pub mod offers;
mod rejection;
mod verify;

pub use approvals::{DenyApproval, GrantApproval, RequestApproval, WithdrawApprovalRequest};
pub use command::{Command, Intent, QuestionKind};
pub use conversation::{
    AddNote, Apologize, AskQuestion, Explain, FinalThanks, RecordAnswer, RecordGoal, Thank,
};
pub use decide::{decide, guard};
pub use event::{Event, EventKind, EventType, Opened};
pub(crate) use follow_ups::candidates as follow_up_candidates;
pub use follow_ups::{
    AwaitCustomer, AwaitThirdParty, BreakCommitment, CancelCommitment, KeepCommitment,
    MakeCommitment, RecordSurvey, ReportTime, Resume, Waiting,
};
pub use ledger::ledger_of;
pub use lifecycle::{
    ChangeChannel, Close, Escalate, OpenCase, Reassign, Reopen, RootCause, Withdraw,
};
pub use offers::{
    AcceptOffer, AgreeAction, CarryOut, DeclineOffer, Goodwill, OfferOption, ProposeOption,
    ReviseOption,
};
pub use rejection::{
    ApprovalGap, AuthorityRefusal, Conflict, DenialNote, Field, GoodwillGap, GoodwillOverLimit,
    PendingRequest, RaisedRequirement, Rejection, RejectionCategory,
};
pub use verify::{Unchecked, UncheckedKind, VerifyReport, Violation, verify};

use crate::actor::ActorRef;
use crate::approval::ResolutionOption;
use crate::channel::Channel;
use crate::complaint::{Complaint, IntakeSignal, Priority, Severity};
use crate::customer::Customer;
use crate::id::{ActionId, CaseId, CommitmentId, OptionId, QuestionId};
use crate::playbook::StepKind;
use crate::schedule::commitment::Commitment;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use thiserror::Error;

/// Whether a case is being worked on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Being worked on.
    Open,
    /// Closed with a root cause.
    Closed,
    /// The customer left without a resolution.
    Withdrawn,
}

impl fmt::Display for CaseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Withdrawn => "withdrawn",
        })
    }
}

/// Where a resolution option stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptionStatus {
    /// Proposed internally, not shown to the customer.
    Proposed,
    /// Offered, awaiting the customer's answer.
    Offered,
    /// Accepted by the customer.
    Accepted,
    /// Declined by the customer.
    Declined,
}

impl fmt::Display for OptionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Proposed => "only proposed",
            Self::Offered => "offered",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
        })
    }
}

/// A question asked on a case and its answer, if any: a view into the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Question<'a> {
    /// The question's identifier.
    pub id: &'a QuestionId,
    /// Background, probing or confirming.
    pub kind: QuestionKind,
    /// The question.
    pub text: &'a str,
    /// The customer's answer.
    pub answer: Option<&'a str>,
}

/// The customer's goal: a view into the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Goal<'a> {
    /// What the customer wants to achieve.
    pub goal: &'a str,
    /// What the customer expected.
    pub expected: Option<&'a str>,
}

/// Where in the history a question was asked and answered. The case keeps positions,
/// not copies of the words: replaying a history then costs no text copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
struct QuestionSlot {
    asked: usize,
    answered: Option<usize>,
}

/// A resolution option and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseOption {
    /// Its current terms.
    pub resolution: ResolutionOption,
    /// Where it stands.
    pub status: OptionStatus,
}

/// An action agreed with the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreedAction {
    /// What will be done.
    pub description: String,
    /// The accepted option it carries out.
    pub option: Option<OptionId>,
    /// What was done, once it was.
    pub outcome: Option<String>,
}

/// How many times each playbook step happened in the current round of recovery.
/// Reopening a case starts a new round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepCounts([u32; StepKind::COUNT]);

impl StepCounts {
    /// How many times `step` happened in this round.
    pub fn get(&self, step: StepKind) -> u32 {
        self.0.get(step.index()).copied().unwrap_or(0)
    }

    fn record(&mut self, step: StepKind) {
        if let Some(n) = self.0.get_mut(step.index()) {
            *n = n.saturating_add(1);
        }
    }
}

/// A history that cannot be replayed: the events are not a case's history.
/// This is an infrastructure problem (a store returned the wrong events), never a
/// rule of the practice.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// The history is empty.
    #[error("the history is empty; a case's history starts with its opening")]
    Empty,
    /// The first event is not an opening.
    #[error(
        "event {sequence} is a \"{kind}\" event, but a case's history must start with its opening"
    )]
    NotOpenedFirst {
        /// Its sequence number.
        sequence: u64,
        /// Its kind.
        kind: &'static str,
    },
    /// An opening event appears after the start.
    #[error("event {sequence} opens the case again, but the case is already open")]
    OpenedTwice {
        /// Its sequence number.
        sequence: u64,
    },
    /// A sequence number is out of place.
    #[error("event {found} follows event {previous}; expected event {}", .previous + 1)]
    SequenceGap {
        /// The last applied sequence number.
        previous: u64,
        /// The sequence number found.
        found: u64,
    },
}

/// A recovery case: the state derived from its history, and the history itself.
///
/// Obtain one by opening it ([`Case::from_opening`]) or by replaying a stored history
/// ([`Case::replay`]); change it only through [`decide`](crate::decide) and
/// [`Case::apply`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    id: CaseId,
    customer: Customer,
    channel: Channel,
    owner: ActorRef,
    complaint: Complaint,
    severity: Severity,
    priority: Priority,
    signals: Vec<IntakeSignal>,
    status: CaseStatus,
    opened_at: DateTime<Utc>,
    round: u32,
    steps: StepCounts,
    questions: BTreeMap<QuestionId, QuestionSlot>,
    /// Position of the latest goal in the history.
    goal: Option<usize>,
    options: BTreeMap<OptionId, CaseOption>,
    actions: BTreeMap<ActionId, AgreedAction>,
    root_cause: Option<RootCause>,
    approvals: approvals::Approvals,
    follow_ups: follow_ups::FollowUps,
    history: Vec<Event>,
}

impl Case {
    /// Starts a case from its opening event.
    ///
    /// # Errors
    ///
    /// [`HistoryError`] if the event is not an opening or is not sequence 1.
    pub fn from_opening(event: Event) -> Result<Self, HistoryError> {
        if event.sequence != 1 {
            return Err(HistoryError::SequenceGap {
                previous: 0,
                found: event.sequence,
            });
        }
        let EventKind::Opened(opened) = &event.kind else {
            return Err(HistoryError::NotOpenedFirst {
                sequence: event.sequence,
                kind: event.kind.name(),
            });
        };
        let o = opened.as_ref().clone();
        Ok(Self {
            id: o.case,
            customer: o.customer,
            channel: o.channel,
            owner: o.owner,
            complaint: o.complaint,
            severity: o.severity,
            priority: o.priority,
            signals: o.signals,
            status: CaseStatus::Open,
            opened_at: event.at,
            round: 1,
            steps: StepCounts::default(),
            questions: BTreeMap::new(),
            goal: None,
            options: BTreeMap::new(),
            actions: BTreeMap::new(),
            root_cause: None,
            approvals: approvals::Approvals::default(),
            follow_ups: follow_ups::FollowUps::default(),
            history: vec![event],
        })
    }

    /// Rebuilds a case from its history.
    ///
    /// # Errors
    ///
    /// [`HistoryError`] if the history is empty, does not start with an opening, or has
    /// a gap in its sequence numbers.
    pub fn replay(history: impl IntoIterator<Item = Event>) -> Result<Self, HistoryError> {
        let mut events = history.into_iter();
        let first = events.next().ok_or(HistoryError::Empty)?;
        let mut case = Self::from_opening(first)?;
        let (lower, _) = events.size_hint();
        case.history.reserve(lower);
        for event in events {
            case.apply(event)?;
        }
        Ok(case)
    }

    /// Records one event. No rule of the practice is checked here (that is
    /// [`decide`](crate::decide)'s work); only that the event continues this history.
    ///
    /// # Errors
    ///
    /// [`HistoryError`] if the sequence number does not follow the last one, or the event
    /// opens the case again. The case is unchanged.
    pub fn apply(&mut self, event: Event) -> Result<(), HistoryError> {
        let previous = self.version();
        if event.sequence != previous + 1 {
            return Err(HistoryError::SequenceGap {
                previous,
                found: event.sequence,
            });
        }
        if matches!(event.kind, EventKind::Opened(_)) {
            return Err(HistoryError::OpenedTwice {
                sequence: event.sequence,
            });
        }
        self.record(&event, self.history.len());
        self.history.push(event);
        Ok(())
    }

    /// Updates the derived state; `position` is where `event` goes in the history.
    fn record(&mut self, event: &Event, position: usize) {
        use EventKind::*;
        let previous = match &event.kind {
            OptionRevised { option, .. } => self.options.get(option).map(|o| &o.resolution),
            Opened(_)
            | Thanked { .. }
            | Apologized { .. }
            | QuestionAsked { .. }
            | AnswerRecorded { .. }
            | GoalRecorded { .. }
            | Explained { .. }
            | OptionProposed { .. }
            | OptionOffered { .. }
            | OfferAccepted { .. }
            | OfferDeclined { .. }
            | ActionAgreed { .. }
            | ActionCarriedOut { .. }
            | GoodwillGiven { .. }
            | FinalThanksGiven { .. }
            | Closed { .. }
            | Reopened { .. }
            | Withdrawn { .. }
            | ChannelChanged { .. }
            | Reassigned { .. }
            | Escalated { .. }
            | NoteAdded { .. }
            | ApprovalRequested { .. }
            | ApprovalGranted { .. }
            | ApprovalDenied { .. }
            | ApprovalRequestWithdrawn { .. }
            | ApprovalsVoided { .. }
            | AwaitingCustomer { .. }
            | AwaitingThirdParty { .. }
            | Resumed {}
            | SlaWarned { .. }
            | SlaBreached { .. }
            | CommitmentMade { .. }
            | CommitmentKept { .. }
            | CommitmentBroken { .. }
            | CommitmentCancelled { .. }
            | SurveyRecorded { .. }
            | RecoverySpawned { .. } => None,
        };
        self.approvals.record(event, previous);
        self.follow_ups.record(event, position);
        let step = match &event.kind {
            Opened(_) => None,
            Thanked { .. } => Some(StepKind::Thank),
            Apologized { .. } => Some(StepKind::Apologize),
            QuestionAsked { question, .. } => {
                self.questions.insert(
                    question.clone(),
                    QuestionSlot {
                        asked: position,
                        answered: None,
                    },
                );
                Some(StepKind::Clarify)
            }
            AnswerRecorded { question, .. } => {
                if let Some(q) = self.questions.get_mut(question) {
                    q.answered = Some(position);
                }
                None
            }
            GoalRecorded { .. } => {
                self.goal = Some(position);
                Some(StepKind::RecordGoal)
            }
            Explained { .. } => Some(StepKind::Explain),
            OptionProposed { option, resolution } | OptionRevised { option, resolution } => {
                self.options.insert(
                    option.clone(),
                    CaseOption {
                        resolution: resolution.clone(),
                        status: OptionStatus::Proposed,
                    },
                );
                None
            }
            OptionOffered { option, .. } => {
                self.set_option_status(option, OptionStatus::Offered);
                Some(StepKind::OfferOption)
            }
            OfferAccepted { option } => {
                self.set_option_status(option, OptionStatus::Accepted);
                None
            }
            OfferDeclined { option, .. } => {
                self.set_option_status(option, OptionStatus::Declined);
                None
            }
            ActionAgreed {
                action,
                description,
                option,
            } => {
                self.actions.insert(
                    action.clone(),
                    AgreedAction {
                        description: description.clone(),
                        option: option.clone(),
                        outcome: None,
                    },
                );
                Some(StepKind::Agree)
            }
            ActionCarriedOut { action, outcome } => {
                if let Some(a) = self.actions.get_mut(action) {
                    a.outcome = Some(outcome.clone());
                }
                Some(StepKind::Act)
            }
            GoodwillGiven { .. } => Some(StepKind::Goodwill),
            FinalThanksGiven { .. } => Some(StepKind::FinalThanks),
            Closed { root_cause } => {
                self.status = CaseStatus::Closed;
                self.root_cause = Some(root_cause.clone());
                Some(StepKind::Close)
            }
            Reopened { .. } => {
                self.status = CaseStatus::Open;
                self.round = self.round.saturating_add(1);
                self.steps = StepCounts::default();
                None
            }
            Withdrawn { .. } => {
                self.status = CaseStatus::Withdrawn;
                None
            }
            ChannelChanged { to, .. } => {
                self.channel = to.clone();
                None
            }
            Reassigned { to, .. } => {
                self.owner = to.clone();
                None
            }
            Escalated { to, priority, .. } => {
                self.owner = to.clone();
                self.priority = *priority;
                None
            }
            NoteAdded { .. } => None,
            // Approvals: bookkept by `self.approvals` above.
            ApprovalRequested { .. }
            | ApprovalGranted { .. }
            | ApprovalDenied { .. }
            | ApprovalRequestWithdrawn { .. }
            | ApprovalsVoided { .. } => None,
            // Follow-ups: outside the step order; `follow_ups` keeps their record.
            AwaitingCustomer { .. }
            | AwaitingThirdParty { .. }
            | Resumed {}
            | SlaWarned { .. }
            | SlaBreached { .. }
            | CommitmentMade { .. }
            | CommitmentKept { .. }
            | CommitmentBroken { .. }
            | CommitmentCancelled { .. }
            | SurveyRecorded { .. }
            | RecoverySpawned { .. } => None,
        };
        if let Some(step) = step {
            self.steps.record(step);
        }
    }

    fn set_option_status(&mut self, option: &OptionId, status: OptionStatus) {
        if let Some(o) = self.options.get_mut(option) {
            o.status = status;
        }
    }

    /// The case's identifier.
    pub fn id(&self) -> &CaseId {
        &self.id
    }
    /// The customer.
    pub fn customer(&self) -> &Customer {
        &self.customer
    }
    /// The channel the conversation is on now.
    pub fn channel(&self) -> &Channel {
        &self.channel
    }
    /// Who owns the case now.
    pub fn owner(&self) -> &ActorRef {
        &self.owner
    }
    /// What went wrong.
    pub fn complaint(&self) -> &Complaint {
        &self.complaint
    }
    /// How badly.
    pub fn severity(&self) -> Severity {
        self.severity
    }
    /// How urgently.
    pub fn priority(&self) -> Priority {
        self.priority
    }
    /// The intake signals seen at opening.
    pub fn signals(&self) -> &[IntakeSignal] {
        &self.signals
    }
    /// Open, closed or withdrawn.
    pub fn status(&self) -> CaseStatus {
        self.status
    }
    /// When the case was opened.
    pub fn opened_at(&self) -> DateTime<Utc> {
        self.opened_at
    }
    /// The round of recovery: 1, plus one for every reopening.
    pub fn round(&self) -> u32 {
        self.round
    }
    /// How many times each step happened in this round.
    pub fn steps(&self) -> &StepCounts {
        &self.steps
    }
    /// The questions asked in this case, in the order of their identifiers.
    pub fn questions(&self) -> impl Iterator<Item = Question<'_>> + '_ {
        self.questions
            .iter()
            .filter_map(|(id, slot)| self.question_at(id, *slot))
    }
    /// The question with this identifier, if it was asked.
    pub fn question(&self, id: &QuestionId) -> Option<Question<'_>> {
        let (id, slot) = self.questions.get_key_value(id)?;
        self.question_at(id, *slot)
    }
    fn question_at<'a>(&'a self, id: &'a QuestionId, slot: QuestionSlot) -> Option<Question<'a>> {
        let EventKind::QuestionAsked { kind, text, .. } = &self.history.get(slot.asked)?.kind
        else {
            return None;
        };
        let answer = slot
            .answered
            .and_then(|at| self.history.get(at))
            .and_then(|e| match &e.kind {
                EventKind::AnswerRecorded { answer, .. } => Some(answer.as_str()),
                EventKind::Opened(_)
                | EventKind::Thanked { .. }
                | EventKind::Apologized { .. }
                | EventKind::QuestionAsked { .. }
                | EventKind::GoalRecorded { .. }
                | EventKind::Explained { .. }
                | EventKind::OptionProposed { .. }
                | EventKind::OptionRevised { .. }
                | EventKind::OptionOffered { .. }
                | EventKind::OfferAccepted { .. }
                | EventKind::OfferDeclined { .. }
                | EventKind::ActionAgreed { .. }
                | EventKind::ActionCarriedOut { .. }
                | EventKind::GoodwillGiven { .. }
                | EventKind::FinalThanksGiven { .. }
                | EventKind::Closed { .. }
                | EventKind::Reopened { .. }
                | EventKind::Withdrawn { .. }
                | EventKind::ChannelChanged { .. }
                | EventKind::Reassigned { .. }
                | EventKind::Escalated { .. }
                | EventKind::NoteAdded { .. }
                | EventKind::ApprovalRequested { .. }
                | EventKind::ApprovalGranted { .. }
                | EventKind::ApprovalDenied { .. }
                | EventKind::ApprovalRequestWithdrawn { .. }
                | EventKind::ApprovalsVoided { .. }
                | EventKind::AwaitingCustomer { .. }
                | EventKind::AwaitingThirdParty { .. }
                | EventKind::Resumed {}
                | EventKind::SlaWarned { .. }
                | EventKind::SlaBreached { .. }
                | EventKind::CommitmentMade { .. }
                | EventKind::CommitmentKept { .. }
                | EventKind::CommitmentBroken { .. }
                | EventKind::CommitmentCancelled { .. }
                | EventKind::SurveyRecorded { .. }
                | EventKind::RecoverySpawned { .. } => None,
            });
        Some(Question {
            id,
            kind: *kind,
            text,
            answer,
        })
    }
    /// The customer's goal, as last recorded.
    pub fn goal(&self) -> Option<Goal<'_>> {
        match &self.history.get(self.goal?)?.kind {
            EventKind::GoalRecorded { goal, expected } => Some(Goal {
                goal,
                expected: expected.as_deref(),
            }),
            EventKind::Opened(_)
            | EventKind::Thanked { .. }
            | EventKind::Apologized { .. }
            | EventKind::QuestionAsked { .. }
            | EventKind::AnswerRecorded { .. }
            | EventKind::Explained { .. }
            | EventKind::OptionProposed { .. }
            | EventKind::OptionRevised { .. }
            | EventKind::OptionOffered { .. }
            | EventKind::OfferAccepted { .. }
            | EventKind::OfferDeclined { .. }
            | EventKind::ActionAgreed { .. }
            | EventKind::ActionCarriedOut { .. }
            | EventKind::GoodwillGiven { .. }
            | EventKind::FinalThanksGiven { .. }
            | EventKind::Closed { .. }
            | EventKind::Reopened { .. }
            | EventKind::Withdrawn { .. }
            | EventKind::ChannelChanged { .. }
            | EventKind::Reassigned { .. }
            | EventKind::Escalated { .. }
            | EventKind::NoteAdded { .. }
            | EventKind::ApprovalRequested { .. }
            | EventKind::ApprovalGranted { .. }
            | EventKind::ApprovalDenied { .. }
            | EventKind::ApprovalRequestWithdrawn { .. }
            | EventKind::ApprovalsVoided { .. }
            | EventKind::AwaitingCustomer { .. }
            | EventKind::AwaitingThirdParty { .. }
            | EventKind::Resumed {}
            | EventKind::SlaWarned { .. }
            | EventKind::SlaBreached { .. }
            | EventKind::CommitmentMade { .. }
            | EventKind::CommitmentKept { .. }
            | EventKind::CommitmentBroken { .. }
            | EventKind::CommitmentCancelled { .. }
            | EventKind::SurveyRecorded { .. }
            | EventKind::RecoverySpawned { .. } => None,
        }
    }
    /// The resolution options, by id.
    pub fn options(&self) -> &BTreeMap<OptionId, CaseOption> {
        &self.options
    }
    /// The agreed actions, by id.
    pub fn actions(&self) -> &BTreeMap<ActionId, AgreedAction> {
        &self.actions
    }
    /// The root cause, once closed.
    pub fn root_cause(&self) -> Option<&RootCause> {
        self.root_cause.as_ref()
    }
    /// The approval state of each option (requests, grants, denials), derived from
    /// the history.
    pub fn approvals(&self) -> &approvals::Approvals {
        &self.approvals
    }
    /// The promises made on this case, in the order of their identifiers.
    pub fn commitments(&self) -> impl Iterator<Item = Commitment<'_>> + '_ {
        self.follow_ups.commitments(&self.history)
    }
    /// The promise with this identifier, if it was made.
    pub fn commitment(&self, id: &CommitmentId) -> Option<Commitment<'_>> {
        self.follow_ups.commitment(&self.history, id)
    }
    /// Who the case waits on, if anyone: the response clocks are paused meanwhile.
    pub fn waiting(&self) -> Option<Waiting<'_>> {
        self.follow_ups.waiting(&self.history)
    }
    /// When the case was last closed, while it stays closed.
    pub fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.follow_ups.closed_at()
    }
    /// Whether the survey for the current closing was recorded.
    pub fn surveyed(&self) -> bool {
        self.follow_ups.surveyed()
    }
    /// Every event, in order.
    pub fn history(&self) -> &[Event] {
        &self.history
    }
    /// The sequence number of the last event: the version a store appends after.
    pub fn version(&self) -> u64 {
        self.history.last().map_or(0, |e| e.sequence)
    }
    /// When the last event happened.
    pub fn last_event_at(&self) -> DateTime<Utc> {
        self.history.last().map_or(self.opened_at, |e| e.at)
    }
}

/// Applies one event to an optional case: the opening event creates it, every other
/// event continues it. `evolve` has no rules of its own; it is bookkeeping.
///
/// # Errors
///
/// [`HistoryError`] if the event does not continue the history.
pub fn evolve(case: Option<Case>, event: Event) -> Result<Case, HistoryError> {
    match case {
        None => Case::from_opening(event),
        Some(mut case) => {
            case.apply(event)?;
            Ok(case)
        }
    }
}

#[cfg(test)]
mod wire_golden;
