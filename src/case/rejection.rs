//! Why a command was refused, in words an agent can read.

use crate::actor::ActorRef;
use crate::approval::{
    ApprovalRequirement, AuthorityShortfall, RequirementLevel, ResolutionOption,
};
use crate::case::CaseStatus;
use crate::case::OptionStatus;
use crate::complaint::Priority;
use crate::id::{ActionId, ActorId, CaseId, CommitmentId, IdentifierError, OptionId, QuestionId};
use crate::money::Money;
use crate::playbook::StepKind;
use crate::review::Finding;
use crate::schedule::commitment::CommitmentStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A text field that must not be blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
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
/// `Display` is one plain sentence for the agent, from the English
/// [message catalog](crate::case::catalog); [`Rejection::message_in`] gives it in a
/// host's language. The fields carry the data for a host that wants to build its own
/// message. Every rejection has a stable
/// [`code`](Rejection::code) and a [`category`](Rejection::category): the variants
/// below are grouped by it (case and playbook, review, approval, follow-up), and
/// [`Rejection::is_infrastructure`] picks out those that are the host's problem
/// rather than a rule of the practice.
///
/// JSON form: the code as a `code` tag beside the variant's fields,
/// `{"code":"step_out_of_order","step":"explain","missing":["thank","apologize"]}`.
/// It deserializes too, and refuses unknown fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "code", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Rejection {
    /// The case does not exist yet; only opening it is possible.
    NotOpened,
    /// The case was already opened.
    AlreadyOpened {
        /// The case.
        case: CaseId,
    },
    /// The case is closed or withdrawn.
    NotOpen {
        /// Its status.
        status: CaseStatus,
    },
    /// Only a closed or withdrawn case can be reopened.
    StillOpen,
    /// The command is dated before the case's last event: the host's clock or its
    /// queue is out of order. An infrastructure problem, not a rule of the practice.
    ClockWentBackwards {
        /// The command's time.
        at: DateTime<Utc>,
        /// The last event's time.
        last: DateTime<Utc>,
    },
    /// The playbook does not use this step.
    StepNotInPlaybook {
        /// The step.
        step: StepKind,
        /// The playbook's name.
        playbook: String,
    },
    /// A step that may happen only once already happened.
    StepAlreadyDone {
        /// The step.
        step: StepKind,
    },
    /// Steps that must come first have not happened.
    StepOutOfOrder {
        /// The step asked for.
        step: StepKind,
        /// The steps that must happen first.
        missing: Vec<StepKind>,
    },
    /// Required steps are missing at closing.
    RequiredStepsMissing {
        /// The required steps that have not happened.
        missing: Vec<StepKind>,
    },
    /// The playbook needs a root cause at closing.
    RootCauseMissing,
    /// Agreed actions have not been carried out.
    ActionsOutstanding {
        /// The actions.
        actions: Vec<ActionId>,
    },
    /// Offers still await the customer's answer.
    OffersAwaitingAnswer {
        /// The options.
        options: Vec<OptionId>,
    },
    /// A required text is blank.
    Blank {
        /// Which text.
        field: Field,
    },
    /// A question with this id was already asked.
    QuestionExists {
        /// The question.
        question: QuestionId,
    },
    /// No question with this id was asked.
    UnknownQuestion {
        /// The question.
        question: QuestionId,
    },
    /// The question already has an answer.
    QuestionAnswered {
        /// The question.
        question: QuestionId,
    },
    /// An option with this id already exists.
    OptionExists {
        /// The option.
        option: OptionId,
    },
    /// No option with this id exists.
    UnknownOption {
        /// The option.
        option: OptionId,
    },
    /// The option was already offered, so it can no longer be offered or changed.
    OptionAlreadyOffered {
        /// The option.
        option: OptionId,
        /// Its status.
        status: OptionStatus,
    },
    /// The customer can answer only an option that was offered and not yet answered.
    OfferNotOpen {
        /// The option.
        option: OptionId,
        /// Its status.
        status: OptionStatus,
    },
    /// An action can carry out only an option the customer accepted.
    OptionNotAccepted {
        /// The option.
        option: OptionId,
        /// Its status.
        status: OptionStatus,
    },
    /// An action with this id was already agreed.
    ActionExists {
        /// The action.
        action: ActionId,
    },
    /// No action with this id was agreed: execution follows agreement.
    ActionNotAgreed {
        /// The action.
        action: ActionId,
    },
    /// The action was already carried out.
    ActionAlreadyDone {
        /// The action.
        action: ActionId,
    },
    /// The conversation is already on this channel.
    SameChannel,
    /// The case already has this owner.
    SameOwner {
        /// The owner's name.
        owner: String,
    },
    /// An escalation would lower the case's priority.
    PriorityWouldFall {
        /// The case's priority now.
        current: Priority,
        /// The priority asked for.
        requested: Priority,
    },
    /// An escalation to the case's own owner at its own priority changes nothing.
    EscalationChangesNothing,
    /// An amount is zero or negative where it must be positive.
    NonPositiveAmount,
    /// The playbook asks for a language review of this step, and the words have
    /// findings at or above the step's severity.
    WordsNeedWork {
        /// The step.
        step: StepKind,
        /// What the review found, with spans, explanations and suggestions.
        findings: Vec<Finding>,
    },
    /// The language review could not be built. An infrastructure problem.
    ReviewUnavailable {
        /// Why.
        reason: String,
    },

    // Approvals
    /// The option cannot be offered: levels of approval it needs are not granted, or
    /// no longer valid, at this moment.
    ApprovalNeeded {
        /// The option.
        option: OptionId,
        /// What is missing.
        gap: Box<ApprovalGap>,
    },
    /// The option's latest approval request was denied.
    ApprovalDenied {
        /// The option.
        option: OptionId,
        /// Who denied what, when and why.
        denial: Box<DenialNote>,
    },
    /// The person offering needs more approval than the request asked for (their own
    /// limits are lower than the requester's, or the case's total grew).
    ApprovalRequirementRaised {
        /// The option.
        option: OptionId,
        /// What the offer needs and what the request asked for.
        raised: Box<RaisedRequirement>,
    },
    /// The option needs no approval when this person offers it.
    ApprovalNotNeeded {
        /// Its terms.
        resolution: Box<ResolutionOption>,
        /// Who asked.
        requester: String,
    },
    /// A request for this option is already pending.
    ApprovalAlreadyRequested {
        /// The option.
        option: OptionId,
        /// The pending request.
        request: Box<PendingRequest>,
    },
    /// No request is pending for this option.
    NoPendingApproval {
        /// The option.
        option: OptionId,
    },
    /// The person may not approve this request: they requested it, proposed the
    /// option, or already granted a level of it.
    ApprovalConflict {
        /// The option.
        option: OptionId,
        /// The person in conflict (the acting person or the delegator).
        person: Box<ActorRef>,
        /// What they already did.
        conflict: Conflict,
    },
    /// The request has no such level.
    NoSuchLevel {
        /// The option.
        option: OptionId,
        /// The level asked for.
        level: u32,
        /// How many the request has.
        levels: u32,
    },
    /// Levels are granted in order, and an earlier one is not granted (or lapsed).
    LevelOutOfOrder {
        /// The option.
        option: OptionId,
        /// The level asked for.
        level: u32,
        /// The first level still needed.
        first: u32,
        /// What that level is.
        needed: Box<RequirementLevel>,
    },
    /// The level already has every approver it needs.
    LevelAlreadyGranted {
        /// The option.
        option: OptionId,
        /// The level.
        level: u32,
        /// What it is.
        granted: Box<RequirementLevel>,
    },
    /// The authority used lacks the role or the limit for the level.
    NotAuthorizedToApprove {
        /// The option.
        option: OptionId,
        /// Who tried, for what, and what they lack.
        refusal: Box<AuthorityRefusal>,
    },
    /// The delegation is made out to someone else than the person acting.
    DelegationNotForActor {
        /// The delegator's name.
        from: String,
        /// Whom it is made out to.
        to: ActorId,
    },
    /// The delegation is not in force now.
    DelegationNotInForce {
        /// The delegator's name.
        from: String,
        /// When it starts.
        starts: DateTime<Utc>,
        /// When it ends.
        ends: DateTime<Utc>,
    },
    /// An approval's expiry is not in the future.
    ExpiryNotInFuture {
        /// The expiry asked for.
        expires: DateTime<Utc>,
        /// Now.
        now: DateTime<Utc>,
    },
    /// Only the requester or the case's owner may withdraw a request.
    CannotWithdrawRequest {
        /// The option.
        option: OptionId,
        /// Who requested it.
        requester: String,
    },
    /// The amounts on the case are too large to add up.
    AmountTooLarge,
    /// A goodwill gesture would take the customer over the goodwill limit.
    GoodwillLimitExceeded(Box<GoodwillOverLimit>),
    /// A goodwill gesture is worth more than the person giving it may give alone.
    GoodwillNeedsApproval(Box<GoodwillGap>),
    // Follow-ups
    /// Promises to the customer are still open at closing.
    CommitmentsOpen {
        /// The open promises.
        commitments: Vec<CommitmentId>,
    },
    /// A promise with this id was already made.
    CommitmentExists {
        /// The promise.
        commitment: CommitmentId,
    },
    /// No promise with this id was made.
    UnknownCommitment {
        /// The promise.
        commitment: CommitmentId,
    },
    /// The promise was already kept, broken or cancelled.
    CommitmentSettled {
        /// The promise.
        commitment: CommitmentId,
        /// Where it stands.
        status: CommitmentStatus,
    },
    /// The date promised to the customer is not in the future.
    PromiseNotInFuture {
        /// The date given.
        promised_for: DateTime<Utc>,
        /// The command's time.
        now: DateTime<Utc>,
    },
    /// Nothing to resume: the case is not waiting.
    NotWaiting,
    /// A survey score outside 1 to 5.
    SurveyScoreOutOfRange {
        /// The score given.
        score: u8,
    },
    /// Surveys are recorded for closed cases only.
    SurveyNeedsClosedCase {
        /// The case's status.
        status: CaseStatus,
    },
    /// The survey for this closing was already recorded.
    SurveyAlreadyRecorded,
    // Identifiers
    /// The acting person's identifier breaks the [identifier rules](crate::id): the
    /// host built the [`Actor`](crate::Actor) from text it did not check. An
    /// infrastructure problem: fix the host's directory or its sign-in, not the
    /// agent's work.
    InvalidIdentifier {
        /// What is wrong with it.
        identifier: IdentifierError,
    },
}

/// A pending approval request, as a rejection reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PendingRequest {
    /// Who requested it.
    pub by: ActorRef,
    /// When.
    pub at: DateTime<Utc>,
    /// When the latest approval that lapsed expired, if one did.
    pub lapsed: Option<DateTime<Utc>>,
}

/// What an offer lacks: inside [`Rejection::ApprovalNeeded`].
///
/// `Display`: `the refund of USD 420.00 needs a waiver of non-refundable-fare from a
/// manager; requested by Dana at 14:02 UTC on 2026-03-02; not yet granted`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalGap {
    /// The option's terms.
    pub resolution: ResolutionOption,
    /// The levels not granted (or lapsed), in order.
    pub missing: ApprovalRequirement,
    /// The pending request, if one was made.
    pub request: Option<PendingRequest>,
}

impl fmt::Display for ApprovalGap {
    /// The words of the rejection that carries it, from the English catalog.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::catalog::english_gap(self))
    }
}

/// A denial that blocks an offer: inside [`Rejection::ApprovalDenied`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DenialNote {
    /// The option's terms.
    pub resolution: ResolutionOption,
    /// Who denied it.
    pub by: ActorRef,
    /// When.
    pub at: DateTime<Utc>,
    /// Why.
    pub reason: String,
}

impl fmt::Display for DenialNote {
    /// The words of the rejection that carries it, from the English catalog.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::catalog::english_denial(self))
    }
}

/// An offer that needs more than its request asked for: inside
/// [`Rejection::ApprovalRequirementRaised`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RaisedRequirement {
    /// The option's terms.
    pub resolution: ResolutionOption,
    /// The name of the person offering.
    pub offered_by: String,
    /// What the offer needs now.
    pub needed: ApprovalRequirement,
    /// What the request recorded.
    pub requested: ApprovalRequirement,
}

impl fmt::Display for RaisedRequirement {
    /// The words of the rejection that carries it, from the English catalog.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::catalog::english_raised(self))
    }
}

/// Why a grant or denial was refused for want of authority: inside
/// [`Rejection::NotAuthorizedToApprove`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorityRefusal {
    /// Who tried: `Lee` or `Lee on behalf of Mo`.
    pub acting: String,
    /// The level.
    pub level: RequirementLevel,
    /// What the authority used lacks.
    pub shortfall: AuthorityShortfall,
}

impl fmt::Display for AuthorityRefusal {
    /// The words of the rejection that carries it, from the English catalog.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::catalog::english_refusal(self))
    }
}

/// A goodwill gesture over the customer's limit: inside
/// [`Rejection::GoodwillLimitExceeded`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GoodwillOverLimit {
    /// The customer's name.
    pub customer: String,
    /// The gesture's value.
    pub value: Money,
    /// Goodwill already given in the window.
    pub given: Money,
    /// What it would become.
    pub after: Money,
    /// The limit.
    pub limit: Money,
    /// The window's length in days.
    pub window_days: u32,
}

impl fmt::Display for GoodwillOverLimit {
    /// The words of the rejection that carries it, from the English catalog.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::catalog::english_goodwill(self))
    }
}

/// A goodwill gesture beyond the giver's own authority: inside
/// [`Rejection::GoodwillNeedsApproval`]. The way to give it is to propose it as a
/// goodwill option ([`ResolutionKind::Goodwill`](crate::approval::ResolutionKind)),
/// request approval and offer it once granted, like any other option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GoodwillGap {
    /// The gesture's value.
    pub value: Money,
    /// What the same amount proposed as a goodwill option would need.
    pub missing: ApprovalRequirement,
}

impl fmt::Display for GoodwillGap {
    /// The words of the rejection that carries it, from the English catalog.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::catalog::english_goodwill_gap(self))
    }
}

/// Why someone may not approve a request: what they already did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Conflict {
    /// They requested the approval.
    Requested,
    /// They proposed the option or changed its terms.
    Proposed,
    /// They already granted (or took part in granting) another level.
    GrantedLevel(u32),
    /// They already granted this level, and it needs different people.
    GrantedThisLevel(u32),
}

impl fmt::Display for Conflict {
    /// The words of the rejection that carries it, from the English catalog.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::catalog::english_conflict(*self))
    }
}

/// The area a [`Rejection`] belongs to: which part of the practice (or of the host)
/// refused the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RejectionCategory {
    /// The case's state and the playbook's order and requirements.
    Case,
    /// The approval gate, authority limits and the goodwill limit.
    Approval,
    /// Waits, promises, time reports and the survey.
    FollowUp,
    /// The language review of the agent's words.
    Review,
    /// Not a rule of the practice: the host's clock, or a part of the crate that
    /// could not run. Fix the host, not the agent's work.
    Infrastructure,
}

impl fmt::Display for RejectionCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Case => "case",
            Self::Approval => "approval",
            Self::FollowUp => "follow_up",
            Self::Review => "review",
            Self::Infrastructure => "infrastructure",
        })
    }
}

impl Rejection {
    /// Every stable code, in the order of the variants. A code never changes once
    /// published; a new rejection adds a code.
    pub const CODES: &'static [&'static str] = &[
        "not_opened",
        "already_opened",
        "not_open",
        "still_open",
        "clock_went_backwards",
        "step_not_in_playbook",
        "step_already_done",
        "step_out_of_order",
        "required_steps_missing",
        "root_cause_missing",
        "actions_outstanding",
        "offers_awaiting_answer",
        "blank",
        "question_exists",
        "unknown_question",
        "question_answered",
        "option_exists",
        "unknown_option",
        "option_already_offered",
        "offer_not_open",
        "option_not_accepted",
        "action_exists",
        "action_not_agreed",
        "action_already_done",
        "same_channel",
        "same_owner",
        "priority_would_fall",
        "escalation_changes_nothing",
        "non_positive_amount",
        "words_need_work",
        "review_unavailable",
        "approval_needed",
        "approval_denied",
        "approval_requirement_raised",
        "approval_not_needed",
        "approval_already_requested",
        "no_pending_approval",
        "approval_conflict",
        "no_such_level",
        "level_out_of_order",
        "level_already_granted",
        "not_authorized_to_approve",
        "delegation_not_for_actor",
        "delegation_not_in_force",
        "expiry_not_in_future",
        "cannot_withdraw_request",
        "amount_too_large",
        "goodwill_limit_exceeded",
        "goodwill_needs_approval",
        "commitments_open",
        "commitment_exists",
        "unknown_commitment",
        "commitment_settled",
        "promise_not_in_future",
        "not_waiting",
        "survey_score_out_of_range",
        "survey_needs_closed_case",
        "survey_already_recorded",
        "invalid_identifier",
    ];

    /// The stable machine code of this rejection, `snake_case`, as in its JSON `code`
    /// tag: `step_out_of_order`, `approval_needed`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotOpened => "not_opened",
            Self::AlreadyOpened { .. } => "already_opened",
            Self::NotOpen { .. } => "not_open",
            Self::StillOpen => "still_open",
            Self::ClockWentBackwards { .. } => "clock_went_backwards",
            Self::StepNotInPlaybook { .. } => "step_not_in_playbook",
            Self::StepAlreadyDone { .. } => "step_already_done",
            Self::StepOutOfOrder { .. } => "step_out_of_order",
            Self::RequiredStepsMissing { .. } => "required_steps_missing",
            Self::RootCauseMissing => "root_cause_missing",
            Self::ActionsOutstanding { .. } => "actions_outstanding",
            Self::OffersAwaitingAnswer { .. } => "offers_awaiting_answer",
            Self::Blank { .. } => "blank",
            Self::QuestionExists { .. } => "question_exists",
            Self::UnknownQuestion { .. } => "unknown_question",
            Self::QuestionAnswered { .. } => "question_answered",
            Self::OptionExists { .. } => "option_exists",
            Self::UnknownOption { .. } => "unknown_option",
            Self::OptionAlreadyOffered { .. } => "option_already_offered",
            Self::OfferNotOpen { .. } => "offer_not_open",
            Self::OptionNotAccepted { .. } => "option_not_accepted",
            Self::ActionExists { .. } => "action_exists",
            Self::ActionNotAgreed { .. } => "action_not_agreed",
            Self::ActionAlreadyDone { .. } => "action_already_done",
            Self::SameChannel => "same_channel",
            Self::SameOwner { .. } => "same_owner",
            Self::PriorityWouldFall { .. } => "priority_would_fall",
            Self::EscalationChangesNothing => "escalation_changes_nothing",
            Self::NonPositiveAmount => "non_positive_amount",
            Self::WordsNeedWork { .. } => "words_need_work",
            Self::ReviewUnavailable { .. } => "review_unavailable",
            Self::ApprovalNeeded { .. } => "approval_needed",
            Self::ApprovalDenied { .. } => "approval_denied",
            Self::ApprovalRequirementRaised { .. } => "approval_requirement_raised",
            Self::ApprovalNotNeeded { .. } => "approval_not_needed",
            Self::ApprovalAlreadyRequested { .. } => "approval_already_requested",
            Self::NoPendingApproval { .. } => "no_pending_approval",
            Self::ApprovalConflict { .. } => "approval_conflict",
            Self::NoSuchLevel { .. } => "no_such_level",
            Self::LevelOutOfOrder { .. } => "level_out_of_order",
            Self::LevelAlreadyGranted { .. } => "level_already_granted",
            Self::NotAuthorizedToApprove { .. } => "not_authorized_to_approve",
            Self::DelegationNotForActor { .. } => "delegation_not_for_actor",
            Self::DelegationNotInForce { .. } => "delegation_not_in_force",
            Self::ExpiryNotInFuture { .. } => "expiry_not_in_future",
            Self::CannotWithdrawRequest { .. } => "cannot_withdraw_request",
            Self::AmountTooLarge => "amount_too_large",
            Self::GoodwillLimitExceeded(_) => "goodwill_limit_exceeded",
            Self::GoodwillNeedsApproval(_) => "goodwill_needs_approval",
            Self::CommitmentsOpen { .. } => "commitments_open",
            Self::CommitmentExists { .. } => "commitment_exists",
            Self::UnknownCommitment { .. } => "unknown_commitment",
            Self::CommitmentSettled { .. } => "commitment_settled",
            Self::PromiseNotInFuture { .. } => "promise_not_in_future",
            Self::NotWaiting => "not_waiting",
            Self::SurveyScoreOutOfRange { .. } => "survey_score_out_of_range",
            Self::SurveyNeedsClosedCase { .. } => "survey_needs_closed_case",
            Self::SurveyAlreadyRecorded => "survey_already_recorded",
            Self::InvalidIdentifier { .. } => "invalid_identifier",
        }
    }

    /// The area this rejection belongs to.
    pub fn category(&self) -> RejectionCategory {
        match self {
            Self::NotOpened => RejectionCategory::Case,
            Self::AlreadyOpened { .. } => RejectionCategory::Case,
            Self::NotOpen { .. } => RejectionCategory::Case,
            Self::StillOpen => RejectionCategory::Case,
            Self::ClockWentBackwards { .. } => RejectionCategory::Infrastructure,
            Self::StepNotInPlaybook { .. } => RejectionCategory::Case,
            Self::StepAlreadyDone { .. } => RejectionCategory::Case,
            Self::StepOutOfOrder { .. } => RejectionCategory::Case,
            Self::RequiredStepsMissing { .. } => RejectionCategory::Case,
            Self::RootCauseMissing => RejectionCategory::Case,
            Self::ActionsOutstanding { .. } => RejectionCategory::Case,
            Self::OffersAwaitingAnswer { .. } => RejectionCategory::Case,
            Self::Blank { .. } => RejectionCategory::Case,
            Self::QuestionExists { .. } => RejectionCategory::Case,
            Self::UnknownQuestion { .. } => RejectionCategory::Case,
            Self::QuestionAnswered { .. } => RejectionCategory::Case,
            Self::OptionExists { .. } => RejectionCategory::Case,
            Self::UnknownOption { .. } => RejectionCategory::Case,
            Self::OptionAlreadyOffered { .. } => RejectionCategory::Case,
            Self::OfferNotOpen { .. } => RejectionCategory::Case,
            Self::OptionNotAccepted { .. } => RejectionCategory::Case,
            Self::ActionExists { .. } => RejectionCategory::Case,
            Self::ActionNotAgreed { .. } => RejectionCategory::Case,
            Self::ActionAlreadyDone { .. } => RejectionCategory::Case,
            Self::SameChannel => RejectionCategory::Case,
            Self::SameOwner { .. } => RejectionCategory::Case,
            Self::PriorityWouldFall { .. } => RejectionCategory::Case,
            Self::EscalationChangesNothing => RejectionCategory::Case,
            Self::NonPositiveAmount => RejectionCategory::Case,
            Self::WordsNeedWork { .. } => RejectionCategory::Review,
            Self::ReviewUnavailable { .. } => RejectionCategory::Infrastructure,
            Self::ApprovalNeeded { .. } => RejectionCategory::Approval,
            Self::ApprovalDenied { .. } => RejectionCategory::Approval,
            Self::ApprovalRequirementRaised { .. } => RejectionCategory::Approval,
            Self::ApprovalNotNeeded { .. } => RejectionCategory::Approval,
            Self::ApprovalAlreadyRequested { .. } => RejectionCategory::Approval,
            Self::NoPendingApproval { .. } => RejectionCategory::Approval,
            Self::ApprovalConflict { .. } => RejectionCategory::Approval,
            Self::NoSuchLevel { .. } => RejectionCategory::Approval,
            Self::LevelOutOfOrder { .. } => RejectionCategory::Approval,
            Self::LevelAlreadyGranted { .. } => RejectionCategory::Approval,
            Self::NotAuthorizedToApprove { .. } => RejectionCategory::Approval,
            Self::DelegationNotForActor { .. } => RejectionCategory::Approval,
            Self::DelegationNotInForce { .. } => RejectionCategory::Approval,
            Self::ExpiryNotInFuture { .. } => RejectionCategory::Approval,
            Self::CannotWithdrawRequest { .. } => RejectionCategory::Approval,
            Self::AmountTooLarge => RejectionCategory::Approval,
            Self::GoodwillLimitExceeded(_) => RejectionCategory::Approval,
            Self::GoodwillNeedsApproval(_) => RejectionCategory::Approval,
            Self::CommitmentsOpen { .. } => RejectionCategory::FollowUp,
            Self::CommitmentExists { .. } => RejectionCategory::FollowUp,
            Self::UnknownCommitment { .. } => RejectionCategory::FollowUp,
            Self::CommitmentSettled { .. } => RejectionCategory::FollowUp,
            Self::PromiseNotInFuture { .. } => RejectionCategory::FollowUp,
            Self::NotWaiting => RejectionCategory::FollowUp,
            Self::SurveyScoreOutOfRange { .. } => RejectionCategory::FollowUp,
            Self::SurveyNeedsClosedCase { .. } => RejectionCategory::FollowUp,
            Self::SurveyAlreadyRecorded => RejectionCategory::FollowUp,
            Self::InvalidIdentifier { .. } => RejectionCategory::Infrastructure,
        }
    }

    /// Whether this is an infrastructure problem rather than a rule of the practice:
    /// [`ClockWentBackwards`](Rejection::ClockWentBackwards) (the host's clock) and
    /// [`ReviewUnavailable`](Rejection::ReviewUnavailable) (the language review could
    /// not be built), and [`InvalidIdentifier`](Rejection::InvalidIdentifier) (the
    /// host passed an acting person whose identifier breaks the rules).
    pub fn is_infrastructure(&self) -> bool {
        self.category() == RejectionCategory::Infrastructure
    }
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
