//! Events: what happened to a case. The history of a case is its events in order;
//! everything else is derived from them.

use crate::actor::ActorRef;
use crate::approval::{
    ApprovalRequirement, Authority, Delegation, RequirementLevel, ResolutionOption,
};
use crate::case::command::QuestionKind;
use crate::case::lifecycle::RootCause;
use crate::channel::Channel;
use crate::complaint::{Complaint, IntakeSignal, Priority, Severity};
use crate::customer::Customer;
use crate::id::{ActionId, CaseId, CommitmentId, OptionId, QuestionId};
use crate::money::Money;
use crate::schedule::commitment::Punctuality;
use crate::schedule::sla::SlaClock;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One recorded change to a case: its position in the history, when it happened,
/// who caused it, and what happened.
///
/// JSON form (stable): `{"sequence":3,"at":"2026-03-02T14:02:00Z","actor":{"id":"a-7",
/// "name":"Dana"},"event":{"type":"apologized","words":"..."}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Position in the case's history, starting at 1 with no gaps.
    pub sequence: u64,
    /// When it happened, as reported by the host.
    pub at: DateTime<Utc>,
    /// Who caused it.
    pub actor: ActorRef,
    /// What happened.
    #[serde(rename = "event")]
    pub kind: EventKind,
}

impl fmt::Display for Event {
    /// One line of a timeline: `2026-03-02 14:02 UTC  Dana apologized: "..."`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}  {} {}",
            self.at.format("%Y-%m-%d %H:%M UTC"),
            self.actor,
            self.kind
        )
    }
}

/// The facts recorded when a case is opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Opened {
    /// The case.
    pub case: CaseId,
    /// The customer.
    pub customer: Customer,
    /// Where the complaint arrived.
    pub channel: Channel,
    /// The first owner.
    pub owner: ActorRef,
    /// What went wrong.
    pub complaint: Complaint,
    /// How badly.
    pub severity: Severity,
    /// The priority after reading the intake signals.
    pub priority: Priority,
    /// The intake signals seen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signals: Vec<IntakeSignal>,
}

/// What happened. Serialized with a `type` tag in snake case, for example
/// `{"type":"option_offered","option":"refund"}`; these names are stable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// The case was opened.
    Opened(Box<Opened>),
    /// The customer was thanked for raising the problem.
    Thanked {
        /// The words used.
        words: String,
    },
    /// The customer received an apology.
    Apologized {
        /// The words used.
        words: String,
    },
    /// A clarifying question was asked.
    QuestionAsked {
        /// The question's identifier.
        question: QuestionId,
        /// Background, probing or confirming.
        kind: QuestionKind,
        /// The question as asked.
        text: String,
    },
    /// The customer answered a question.
    AnswerRecorded {
        /// The question.
        question: QuestionId,
        /// The answer.
        answer: String,
    },
    /// The customer's goal was recorded.
    GoalRecorded {
        /// The goal.
        goal: String,
        /// What the customer expected.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expected: Option<String>,
    },
    /// What happened was explained to the customer.
    Explained {
        /// The words used.
        words: String,
    },
    /// A resolution option was proposed (not yet shown to the customer).
    OptionProposed {
        /// The option.
        option: OptionId,
        /// Its terms.
        resolution: ResolutionOption,
    },
    /// A proposed option's terms changed before it was offered.
    OptionRevised {
        /// The option.
        option: OptionId,
        /// Its new terms.
        resolution: ResolutionOption,
    },
    /// An option was offered to the customer.
    OptionOffered {
        /// The option.
        option: OptionId,

        /// The authority the actor relied on (their roles and limits), recorded so
        /// that [`verify`](crate::verify) can re-check it; `None` only in histories
        /// written before it was recorded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        authority: Option<Box<Authority>>,
    },
    /// The customer accepted an offer.
    OfferAccepted {
        /// The option.
        option: OptionId,
    },
    /// The customer declined an offer.
    OfferDeclined {
        /// The option.
        option: OptionId,
        /// Why, if said.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// An action was agreed with the customer.
    ActionAgreed {
        /// The action.
        action: ActionId,
        /// What will be done.
        description: String,
        /// The accepted option it carries out.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        option: Option<OptionId>,
    },
    /// An agreed action was carried out.
    ActionCarriedOut {
        /// The action.
        action: ActionId,
        /// What was done.
        outcome: String,
    },
    /// A goodwill gesture was made.
    GoodwillGiven {
        /// What was given or done.
        description: String,
        /// Its value.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<Money>,

        /// The authority the actor relied on (their roles and limits), recorded so
        /// that [`verify`](crate::verify) can re-check it; `None` only in histories
        /// written before it was recorded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        authority: Option<Box<Authority>>,
    },
    /// The customer was thanked before closing.
    FinalThanksGiven {
        /// The words used.
        words: String,
    },
    /// The case was closed.
    Closed {
        /// Why the failure happened.
        root_cause: RootCause,
    },
    /// The case was reopened.
    Reopened {
        /// Why.
        reason: String,
    },
    /// The customer withdrew without a resolution.
    Withdrawn {
        /// Why.
        reason: String,
    },
    /// The conversation moved to another channel.
    ChannelChanged {
        /// The old channel.
        from: Channel,
        /// The new channel.
        to: Channel,
    },
    /// The case changed owner.
    Reassigned {
        /// The old owner.
        from: ActorRef,
        /// The new owner.
        to: ActorRef,
        /// Why.
        reason: String,
    },
    /// The case was escalated: handed up, at a priority no lower than before.
    Escalated {
        /// The owner before.
        from: ActorRef,
        /// The owner from now on.
        to: ActorRef,
        /// The priority before.
        previous_priority: Priority,
        /// The priority from now on.
        priority: Priority,
        /// Why.
        reason: String,
    },
    /// An internal note was added.
    NoteAdded {
        /// The note.
        text: String,
    },

    // Approvals
    /// Approval was requested for an option. The requirement was computed at that
    /// moment (from the policy, the requester's limits and the case's total offered),
    /// so the history alone says what was needed.
    ApprovalRequested {
        /// The option.
        option: OptionId,
        /// Its terms when the request was made (boxed, like the other large payloads,
        /// to keep every event small: histories are replayed at memory speed).
        resolution: Box<ResolutionOption>,
        /// The levels needed, in the order they are granted.
        requirement: ApprovalRequirement,
        /// Why it deserves approval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// One level of the pending request was granted by the event's actor.
    ApprovalGranted {
        /// The option.
        option: OptionId,
        /// The level, counting from 1.
        level: u32,
        /// What that level is (copied from the request).
        granted: Box<RequirementLevel>,
        /// When the approval lapses, if it does.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expires: Option<DateTime<Utc>>,
        /// Why it was granted.
        reason: String,
        /// The delegation it was granted under, if the actor acted for someone away.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on_behalf_of: Option<Box<Delegation>>,

        /// The authority the actor relied on (their own roles and limits; the
        /// delegator's are in `on_behalf_of`), recorded so
        /// that [`verify`](crate::verify) can re-check it; `None` only in histories
        /// written before it was recorded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        authority: Option<Box<Authority>>,
    },
    /// The pending request was denied; the option cannot be offered until a new request
    /// is granted.
    ApprovalDenied {
        /// The option.
        option: OptionId,
        /// Why.
        reason: String,
        /// The delegation it was denied under, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on_behalf_of: Option<Box<Delegation>>,

        /// The authority the actor relied on (their own roles and limits; the
        /// delegator's are in `on_behalf_of`), recorded so
        /// that [`verify`](crate::verify) can re-check it; `None` only in histories
        /// written before it was recorded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        authority: Option<Box<Authority>>,
    },
    /// The pending request was withdrawn, with whatever it had been granted.
    ApprovalRequestWithdrawn {
        /// The option.
        option: OptionId,
        /// Why.
        reason: String,
    },
    /// The option's terms (kind, amount or waived policies) changed, so its request
    /// and every approval or denial it had no longer count.
    ApprovalsVoided {
        /// The option.
        option: OptionId,
    },
    // Follow-ups
    /// The case waits on the customer; the response clocks pause.
    AwaitingCustomer {
        /// What the customer must do or send.
        reason: String,
    },
    /// The case waits on a third party; the response clocks pause.
    AwaitingThirdParty {
        /// Who.
        party: String,
        /// What they must do.
        reason: String,
    },
    /// The wait ended; the response clocks run again.
    Resumed {},
    /// A response target reached a warning threshold.
    SlaWarned {
        /// Which target.
        clock: SlaClock,
        /// The threshold, in percent of the target.
        percent: u8,
    },
    /// A response target was breached.
    SlaBreached {
        /// Which target.
        clock: SlaClock,
    },
    /// A promise was made to the customer.
    CommitmentMade {
        /// The promise.
        commitment: CommitmentId,
        /// What was promised.
        what: String,
        /// Who must keep it.
        owner: ActorRef,
        /// The date told to the customer.
        promised_for: DateTime<Utc>,
        /// The earlier internal target, computed from the policy's margin.
        internal_target: DateTime<Utc>,
        /// When the owner is reminded, computed from the policy's lead time.
        remind_at: DateTime<Utc>,
    },
    /// A promise was kept.
    CommitmentKept {
        /// The promise.
        commitment: CommitmentId,
        /// How punctually.
        punctuality: Punctuality,
    },
    /// A promise was broken.
    CommitmentBroken {
        /// The promise.
        commitment: CommitmentId,
        /// Why.
        reason: String,
    },
    /// A promise was cancelled.
    CommitmentCancelled {
        /// The promise.
        commitment: CommitmentId,
        /// Why it no longer applies.
        reason: String,
    },
    /// The customer answered the survey after closing.
    SurveyRecorded {
        /// From 1 to 5.
        score: u8,
        /// What the customer wrote.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    /// A low survey score started a new, linked case, which the host opens.
    RecoverySpawned {
        /// The new case.
        case: CaseId,
        /// Why.
        reason: String,
    },
}

impl EventKind {
    /// The stable name of this kind of event, as in its JSON `type` tag.
    pub fn name(&self) -> &'static str {
        self.event_type().name()
    }

    /// Which kind of event this is, without its payload.
    pub fn event_type(&self) -> EventType {
        match self {
            EventKind::Opened(_) => EventType::Opened,
            EventKind::Thanked { .. } => EventType::Thanked,
            EventKind::Apologized { .. } => EventType::Apologized,
            EventKind::QuestionAsked { .. } => EventType::QuestionAsked,
            EventKind::AnswerRecorded { .. } => EventType::AnswerRecorded,
            EventKind::GoalRecorded { .. } => EventType::GoalRecorded,
            EventKind::Explained { .. } => EventType::Explained,
            EventKind::OptionProposed { .. } => EventType::OptionProposed,
            EventKind::OptionRevised { .. } => EventType::OptionRevised,
            EventKind::OptionOffered { .. } => EventType::OptionOffered,
            EventKind::OfferAccepted { .. } => EventType::OfferAccepted,
            EventKind::OfferDeclined { .. } => EventType::OfferDeclined,
            EventKind::ActionAgreed { .. } => EventType::ActionAgreed,
            EventKind::ActionCarriedOut { .. } => EventType::ActionCarriedOut,
            EventKind::GoodwillGiven { .. } => EventType::GoodwillGiven,
            EventKind::FinalThanksGiven { .. } => EventType::FinalThanksGiven,
            EventKind::Closed { .. } => EventType::Closed,
            EventKind::Reopened { .. } => EventType::Reopened,
            EventKind::Withdrawn { .. } => EventType::Withdrawn,
            EventKind::ChannelChanged { .. } => EventType::ChannelChanged,
            EventKind::Reassigned { .. } => EventType::Reassigned,
            EventKind::Escalated { .. } => EventType::Escalated,
            EventKind::NoteAdded { .. } => EventType::NoteAdded,
            EventKind::ApprovalRequested { .. } => EventType::ApprovalRequested,
            EventKind::ApprovalGranted { .. } => EventType::ApprovalGranted,
            EventKind::ApprovalDenied { .. } => EventType::ApprovalDenied,
            EventKind::ApprovalRequestWithdrawn { .. } => EventType::ApprovalRequestWithdrawn,
            EventKind::ApprovalsVoided { .. } => EventType::ApprovalsVoided,
            EventKind::AwaitingCustomer { .. } => EventType::AwaitingCustomer,
            EventKind::AwaitingThirdParty { .. } => EventType::AwaitingThirdParty,
            EventKind::Resumed {} => EventType::Resumed,
            EventKind::SlaWarned { .. } => EventType::SlaWarned,
            EventKind::SlaBreached { .. } => EventType::SlaBreached,
            EventKind::CommitmentMade { .. } => EventType::CommitmentMade,
            EventKind::CommitmentKept { .. } => EventType::CommitmentKept,
            EventKind::CommitmentBroken { .. } => EventType::CommitmentBroken,
            EventKind::CommitmentCancelled { .. } => EventType::CommitmentCancelled,
            EventKind::SurveyRecorded { .. } => EventType::SurveyRecorded,
            EventKind::RecoverySpawned { .. } => EventType::RecoverySpawned,
        }
    }
}

/// The kinds of event, without their payloads: the key of every per-kind table (the
/// stored `event_type`, and which fields hold personal data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum EventType {
    /// `opened`
    Opened,
    /// `thanked`
    Thanked,
    /// `apologized`
    Apologized,
    /// `question_asked`
    QuestionAsked,
    /// `answer_recorded`
    AnswerRecorded,
    /// `goal_recorded`
    GoalRecorded,
    /// `explained`
    Explained,
    /// `option_proposed`
    OptionProposed,
    /// `option_revised`
    OptionRevised,
    /// `option_offered`
    OptionOffered,
    /// `offer_accepted`
    OfferAccepted,
    /// `offer_declined`
    OfferDeclined,
    /// `action_agreed`
    ActionAgreed,
    /// `action_carried_out`
    ActionCarriedOut,
    /// `goodwill_given`
    GoodwillGiven,
    /// `final_thanks_given`
    FinalThanksGiven,
    /// `closed`
    Closed,
    /// `reopened`
    Reopened,
    /// `withdrawn`
    Withdrawn,
    /// `channel_changed`
    ChannelChanged,
    /// `reassigned`
    Reassigned,
    /// `escalated`
    Escalated,
    /// `note_added`
    NoteAdded,
    /// `approval_requested`
    ApprovalRequested,
    /// `approval_granted`
    ApprovalGranted,
    /// `approval_denied`
    ApprovalDenied,
    /// `approval_request_withdrawn`
    ApprovalRequestWithdrawn,
    /// `approvals_voided`
    ApprovalsVoided,
    /// `awaiting_customer`
    AwaitingCustomer,
    /// `awaiting_third_party`
    AwaitingThirdParty,
    /// `resumed`
    Resumed,
    /// `sla_warned`
    SlaWarned,
    /// `sla_breached`
    SlaBreached,
    /// `commitment_made`
    CommitmentMade,
    /// `commitment_kept`
    CommitmentKept,
    /// `commitment_broken`
    CommitmentBroken,
    /// `commitment_cancelled`
    CommitmentCancelled,
    /// `survey_recorded`
    SurveyRecorded,
    /// `recovery_spawned`
    RecoverySpawned,
}

impl EventType {
    /// Every kind of event, in the order of [`EventKind`]'s variants.
    pub const ALL: &'static [EventType] = &[
        Self::Opened,
        Self::Thanked,
        Self::Apologized,
        Self::QuestionAsked,
        Self::AnswerRecorded,
        Self::GoalRecorded,
        Self::Explained,
        Self::OptionProposed,
        Self::OptionRevised,
        Self::OptionOffered,
        Self::OfferAccepted,
        Self::OfferDeclined,
        Self::ActionAgreed,
        Self::ActionCarriedOut,
        Self::GoodwillGiven,
        Self::FinalThanksGiven,
        Self::Closed,
        Self::Reopened,
        Self::Withdrawn,
        Self::ChannelChanged,
        Self::Reassigned,
        Self::Escalated,
        Self::NoteAdded,
        Self::ApprovalRequested,
        Self::ApprovalGranted,
        Self::ApprovalDenied,
        Self::ApprovalRequestWithdrawn,
        Self::ApprovalsVoided,
        Self::AwaitingCustomer,
        Self::AwaitingThirdParty,
        Self::Resumed,
        Self::SlaWarned,
        Self::SlaBreached,
        Self::CommitmentMade,
        Self::CommitmentKept,
        Self::CommitmentBroken,
        Self::CommitmentCancelled,
        Self::SurveyRecorded,
        Self::RecoverySpawned,
    ];

    /// The stable name, as in the JSON `type` tag and the stored `event_type`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Opened => "opened",
            Self::Thanked => "thanked",
            Self::Apologized => "apologized",
            Self::QuestionAsked => "question_asked",
            Self::AnswerRecorded => "answer_recorded",
            Self::GoalRecorded => "goal_recorded",
            Self::Explained => "explained",
            Self::OptionProposed => "option_proposed",
            Self::OptionRevised => "option_revised",
            Self::OptionOffered => "option_offered",
            Self::OfferAccepted => "offer_accepted",
            Self::OfferDeclined => "offer_declined",
            Self::ActionAgreed => "action_agreed",
            Self::ActionCarriedOut => "action_carried_out",
            Self::GoodwillGiven => "goodwill_given",
            Self::FinalThanksGiven => "final_thanks_given",
            Self::Closed => "closed",
            Self::Reopened => "reopened",
            Self::Withdrawn => "withdrawn",
            Self::ChannelChanged => "channel_changed",
            Self::Reassigned => "reassigned",
            Self::Escalated => "escalated",
            Self::NoteAdded => "note_added",
            Self::ApprovalRequested => "approval_requested",
            Self::ApprovalGranted => "approval_granted",
            Self::ApprovalDenied => "approval_denied",
            Self::ApprovalRequestWithdrawn => "approval_request_withdrawn",
            Self::ApprovalsVoided => "approvals_voided",
            Self::AwaitingCustomer => "awaiting_customer",
            Self::AwaitingThirdParty => "awaiting_third_party",
            Self::Resumed => "resumed",
            Self::SlaWarned => "sla_warned",
            Self::SlaBreached => "sla_breached",
            Self::CommitmentMade => "commitment_made",
            Self::CommitmentKept => "commitment_kept",
            Self::CommitmentBroken => "commitment_broken",
            Self::CommitmentCancelled => "commitment_cancelled",
            Self::SurveyRecorded => "survey_recorded",
            Self::RecoverySpawned => "recovery_spawned",
        }
    }

    /// The dotted paths in this kind's payload that hold personal data: the
    /// customer's identity and every free text that the customer said, or that an
    /// agent wrote about them (words, reasons, notes, descriptions, comments).
    /// [`RedactionPolicy::standard`](crate::history::RedactionPolicy::standard) erases
    /// exactly these. Identifiers, amounts, statuses, dates and the root cause's category stay, so
    /// a redacted history still replays and still reports.
    pub fn personal_data(self) -> &'static [&'static str] {
        match self {
            Self::Opened => &[
                "customer.name",
                "customer.address_as",
                "customer.email",
                "customer.phone",
                "complaint.details",
            ],
            Self::Thanked => &["words"],
            Self::Apologized => &["words"],
            Self::QuestionAsked => &["text"],
            Self::AnswerRecorded => &["answer"],
            Self::GoalRecorded => &["goal", "expected"],
            Self::Explained => &["words"],
            Self::OptionProposed => &["resolution.description"],
            Self::OptionRevised => &["resolution.description"],
            Self::OptionOffered => &[],
            Self::OfferAccepted => &[],
            Self::OfferDeclined => &["reason"],
            Self::ActionAgreed => &["description"],
            Self::ActionCarriedOut => &["outcome"],
            Self::GoodwillGiven => &["description"],
            Self::FinalThanksGiven => &["words"],
            Self::Closed => &["root_cause.description"],
            Self::Reopened => &["reason"],
            Self::Withdrawn => &["reason"],
            Self::ChannelChanged => &[],
            Self::Reassigned => &["reason"],
            Self::Escalated => &["reason"],
            Self::NoteAdded => &["text"],
            Self::ApprovalRequested => &["resolution.description", "note"],
            Self::ApprovalGranted => &["reason"],
            Self::ApprovalDenied => &["reason"],
            Self::ApprovalRequestWithdrawn => &["reason"],
            Self::ApprovalsVoided => &[],
            Self::AwaitingCustomer => &["reason"],
            Self::AwaitingThirdParty => &["reason"],
            Self::Resumed => &[],
            Self::SlaWarned => &[],
            Self::SlaBreached => &[],
            Self::CommitmentMade => &["what"],
            Self::CommitmentKept => &[],
            Self::CommitmentBroken => &["reason"],
            Self::CommitmentCancelled => &["reason"],
            Self::SurveyRecorded => &["comment"],
            Self::RecoverySpawned => &["reason"],
        }
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for EventKind {
    /// What happened, in plain words, after the actor's name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Opened(o) => write!(
                f,
                "opened case {} for {} via {}: {} ({} severity, {} priority)",
                o.case, o.customer.name, o.channel, o.complaint.summary, o.severity, o.priority
            ),
            Self::Thanked { words } => write!(f, "thanked the customer: \"{words}\""),
            Self::Apologized { words } => write!(f, "apologized: \"{words}\""),
            Self::QuestionAsked { kind, text, .. } => {
                write!(f, "asked a {kind} question: \"{text}\"")
            }
            Self::AnswerRecorded { answer, .. } => {
                write!(f, "recorded the customer's answer: \"{answer}\"")
            }
            Self::GoalRecorded { goal, expected } => {
                write!(f, "recorded the customer's goal: \"{goal}\"")?;
                if let Some(expected) = expected {
                    write!(f, " (expected: \"{expected}\")")?;
                }
                Ok(())
            }
            Self::Explained { words } => write!(f, "explained: \"{words}\""),
            Self::OptionProposed { option, resolution } => {
                write!(f, "proposed option {option}: {}", resolution.description)
            }
            Self::OptionRevised { option, resolution } => {
                write!(f, "revised option {option}: {}", resolution.description)
            }
            Self::OptionOffered { option, .. } => write!(f, "offered option {option}"),
            Self::OfferAccepted { option } => {
                write!(f, "recorded that the customer accepted option {option}")
            }
            Self::OfferDeclined { option, reason } => {
                write!(f, "recorded that the customer declined option {option}")?;
                if let Some(reason) = reason {
                    write!(f, ": \"{reason}\"")?;
                }
                Ok(())
            }
            Self::ActionAgreed { description, .. } => {
                write!(f, "agreed with the customer to {description}")
            }
            Self::ActionCarriedOut { outcome, .. } => write!(f, "carried out: {outcome}"),
            Self::GoodwillGiven {
                description, value, ..
            } => {
                write!(f, "made a goodwill gesture: {description}")?;
                if let Some(value) = value {
                    write!(f, " (worth {value})")?;
                }
                Ok(())
            }
            Self::FinalThanksGiven { words } => write!(f, "gave final thanks: \"{words}\""),
            Self::Closed { root_cause } => write!(
                f,
                "closed the case; root cause ({}): {}",
                root_cause.category, root_cause.description
            ),
            Self::Reopened { reason } => write!(f, "reopened the case: {reason}"),
            Self::Withdrawn { reason } => {
                write!(f, "recorded that the customer withdrew: {reason}")
            }
            Self::ChannelChanged { from, to } => {
                write!(f, "moved the conversation from {from} to {to}")
            }
            Self::Reassigned { from, to, reason } => {
                write!(f, "handed the case from {from} to {to}: {reason}")
            }
            Self::Escalated {
                from,
                to,
                previous_priority,
                priority,
                reason,
            } => {
                write!(f, "escalated the case from {from} to {to}")?;
                if priority != previous_priority {
                    write!(
                        f,
                        ", raising its priority from {previous_priority} to {priority}"
                    )?;
                }
                write!(f, ": {reason}")
            }
            Self::NoteAdded { text } => write!(f, "noted: {text}"),
            Self::ApprovalRequested {
                option,
                resolution,
                requirement,
                note,
            } => {
                write!(
                    f,
                    "requested approval for option {option} ({resolution}), which needs {requirement}"
                )?;
                if let Some(note) = note {
                    write!(f, ": \"{note}\"")?;
                }
                Ok(())
            }
            Self::ApprovalGranted {
                option,
                level,
                granted,
                expires,
                reason,
                on_behalf_of,
                ..
            } => {
                write!(f, "granted {granted} (level {level}) for option {option}")?;
                if let Some(delegation) = on_behalf_of {
                    write!(f, " on behalf of {}", delegation.from.name)?;
                }
                if let Some(expires) = expires {
                    write!(f, ", valid until {}", expires.format("%Y-%m-%d %H:%M UTC"))?;
                }
                write!(f, ": \"{reason}\"")
            }
            Self::ApprovalDenied {
                option,
                reason,
                on_behalf_of,
                ..
            } => {
                write!(f, "denied approval for option {option}")?;
                if let Some(delegation) = on_behalf_of {
                    write!(f, " on behalf of {}", delegation.from.name)?;
                }
                write!(f, ": \"{reason}\"")
            }
            Self::ApprovalRequestWithdrawn { option, reason } => {
                write!(
                    f,
                    "withdrew the approval request for option {option}: {reason}"
                )
            }
            Self::ApprovalsVoided { option } => write!(
                f,
                "voided the approvals of option {option}, because its terms changed"
            ),
            Self::AwaitingCustomer { reason } => {
                write!(f, "set the case to wait on the customer: {reason}")
            }
            Self::AwaitingThirdParty { party, reason } => {
                write!(f, "set the case to wait on {party}: {reason}")
            }
            Self::Resumed {} => f.write_str("ended the wait"),
            Self::SlaWarned { clock, percent } => {
                write!(f, "noted that {percent} % of the {clock} target has passed")
            }
            Self::SlaBreached { clock } => write!(f, "noted that the {clock} target was missed"),
            Self::CommitmentMade {
                commitment,
                what,
                owner,
                promised_for,
                ..
            } => write!(
                f,
                "promised {what} by {} (promise {commitment}, kept by {owner})",
                promised_for.format("%Y-%m-%d %H:%M UTC")
            ),
            Self::CommitmentKept {
                commitment,
                punctuality,
            } => write!(f, "kept promise {commitment}, {punctuality}"),
            Self::CommitmentBroken { commitment, reason } => {
                write!(f, "recorded that promise {commitment} was broken: {reason}")
            }
            Self::CommitmentCancelled { commitment, reason } => {
                write!(f, "cancelled promise {commitment}: {reason}")
            }
            Self::SurveyRecorded { score, comment } => {
                write!(f, "recorded the survey: {score} of 5")?;
                if let Some(comment) = comment {
                    write!(f, ", \"{comment}\"")?;
                }
                Ok(())
            }
            Self::RecoverySpawned { case, reason } => {
                write!(f, "started the linked recovery case {case}: {reason}")
            }
        }
    }
}
