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
use thiserror::Error;

/// A text field that must not be blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
/// host that wants to build its own message. Every rejection has a stable
/// [`code`](Rejection::code) and a [`category`](Rejection::category): the variants
/// below are grouped by it (case and playbook, review, approval, follow-up), and
/// [`Rejection::is_infrastructure`] picks out those that are the host's problem
/// rather than a rule of the practice.
///
/// JSON form: the code as a `code` tag beside the variant's fields,
/// `{"code":"step_out_of_order","step":"explain","missing":["thank","apologize"]}`.
/// It deserializes too, and refuses unknown fields.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case", deny_unknown_fields)]
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
    /// An escalation would lower the case's priority.
    #[error("an escalation cannot lower the priority from {current} to {requested}")]
    PriorityWouldFall {
        /// The case's priority now.
        current: Priority,
        /// The priority asked for.
        requested: Priority,
    },
    /// An escalation to the case's own owner at its own priority changes nothing.
    #[error("this escalation changes nothing: hand the case to someone else or raise its priority")]
    EscalationChangesNothing,
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

    // Approvals
    /// The option cannot be offered: levels of approval it needs are not granted, or
    /// no longer valid, at this moment.
    #[error("{gap}")]
    ApprovalNeeded {
        /// The option.
        option: OptionId,
        /// What is missing.
        gap: Box<ApprovalGap>,
    },
    /// The option's latest approval request was denied.
    #[error("{denial}")]
    ApprovalDenied {
        /// The option.
        option: OptionId,
        /// Who denied what, when and why.
        denial: Box<DenialNote>,
    },
    /// The person offering needs more approval than the request asked for (their own
    /// limits are lower than the requester's, or the case's total grew).
    #[error("{raised}")]
    ApprovalRequirementRaised {
        /// The option.
        option: OptionId,
        /// What the offer needs and what the request asked for.
        raised: Box<RaisedRequirement>,
    },
    /// The option needs no approval when this person offers it.
    #[error("the {} is within {requester}'s own authority; it needs no approval", what(.resolution))]
    ApprovalNotNeeded {
        /// Its terms.
        resolution: Box<ResolutionOption>,
        /// Who asked.
        requester: String,
    },
    /// A request for this option is already pending.
    #[error(
        "approval for option {option} was already requested by {} at {}; \
         withdraw that request first",
        .request.by, when(&.request.at)
    )]
    ApprovalAlreadyRequested {
        /// The option.
        option: OptionId,
        /// The pending request.
        request: Box<PendingRequest>,
    },
    /// No request is pending for this option.
    #[error("no approval request is pending for option {option}; request approval first")]
    NoPendingApproval {
        /// The option.
        option: OptionId,
    },
    /// The person may not approve this request: they requested it, proposed the
    /// option, or already granted a level of it.
    #[error("{person} cannot approve option {option}: {person} {conflict}")]
    ApprovalConflict {
        /// The option.
        option: OptionId,
        /// The person in conflict (the acting person or the delegator).
        person: Box<ActorRef>,
        /// What they already did.
        conflict: Conflict,
    },
    /// The request has no such level.
    #[error("the request for option {option} has {levels} level(s); there is no level {level}")]
    NoSuchLevel {
        /// The option.
        option: OptionId,
        /// The level asked for.
        level: u32,
        /// How many the request has.
        levels: u32,
    },
    /// Levels are granted in order, and an earlier one is not granted (or lapsed).
    #[error(
        "level {level} of the request for option {option} cannot be granted yet: \
         first level {first} ({needed}) must be granted"
    )]
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
    #[error("level {level} of the request for option {option} ({granted}) is already granted")]
    LevelAlreadyGranted {
        /// The option.
        option: OptionId,
        /// The level.
        level: u32,
        /// What it is.
        granted: Box<RequirementLevel>,
    },
    /// The authority used lacks the role or the limit for the level.
    #[error("{refusal}")]
    NotAuthorizedToApprove {
        /// The option.
        option: OptionId,
        /// Who tried, for what, and what they lack.
        refusal: Box<AuthorityRefusal>,
    },
    /// The delegation is made out to someone else than the person acting.
    #[error("the delegation from {from} is made out to {to}, not to the person acting")]
    DelegationNotForActor {
        /// The delegator's name.
        from: String,
        /// Whom it is made out to.
        to: ActorId,
    },
    /// The delegation is not in force now.
    #[error(
        "the delegation from {from} runs from {} until {}; it is not in force now",
        when(.starts), when(.ends)
    )]
    DelegationNotInForce {
        /// The delegator's name.
        from: String,
        /// When it starts.
        starts: DateTime<Utc>,
        /// When it ends.
        ends: DateTime<Utc>,
    },
    /// An approval's expiry is not in the future.
    #[error("an approval cannot expire at {}, which is not after now ({})", when(.expires), when(.now))]
    ExpiryNotInFuture {
        /// The expiry asked for.
        expires: DateTime<Utc>,
        /// Now.
        now: DateTime<Utc>,
    },
    /// Only the requester or the case's owner may withdraw a request.
    #[error(
        "only {requester}, who requested it, or the case's owner can withdraw \
         the approval request for option {option}"
    )]
    CannotWithdrawRequest {
        /// The option.
        option: OptionId,
        /// Who requested it.
        requester: String,
    },
    /// The amounts on the case are too large to add up.
    #[error("the amounts on this case are too large to add up")]
    AmountTooLarge,
    /// A goodwill gesture would take the customer over the goodwill limit.
    #[error("{0}")]
    GoodwillLimitExceeded(Box<GoodwillOverLimit>),
    /// A goodwill gesture is worth more than the person giving it may give alone.
    #[error("{0}")]
    GoodwillNeedsApproval(Box<GoodwillGap>),
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
    // Identifiers
    /// The acting person's identifier breaks the [identifier rules](crate::id): the
    /// host built the [`Actor`](crate::Actor) from text it did not check. An
    /// infrastructure problem: fix the host's directory or its sign-in, not the
    /// agent's work.
    #[error("the acting person's identifier cannot be used: {identifier}")]
    InvalidIdentifier {
        /// What is wrong with it.
        identifier: IdentifierError,
    },
}

/// A pending approval request, as a rejection reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the {} needs {}; ", what(&self.resolution), self.missing)?;
        match &self.request {
            None => f.write_str("no approval has been requested"),
            Some(PendingRequest { by, at, lapsed }) => {
                write!(f, "requested by {by} at {}; ", when(at))?;
                match lapsed {
                    None => f.write_str("not yet granted"),
                    Some(lapsed) => write!(f, "an approval it had lapsed at {}", when(lapsed)),
                }
            }
        }
    }
}

/// A denial that blocks an offer: inside [`Rejection::ApprovalDenied`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} cannot be offered: {} denied approval at {}: \"{}\"; \
             it can be offered only once a new request is granted",
            what(&self.resolution),
            self.by,
            when(&self.at),
            self.reason
        )
    }
}

/// An offer that needs more than its request asked for: inside
/// [`Rejection::ApprovalRequirementRaised`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "offered by {}, the {} needs {}, but the request asked only for {}; \
             withdraw it and request approval again",
            self.offered_by,
            what(&self.resolution),
            self.needed,
            self.requested
        )
    }
}

/// Why a grant or denial was refused for want of authority: inside
/// [`Rejection::NotAuthorizedToApprove`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} cannot grant {}: {}",
            self.acting, self.level, self.shortfall
        )
    }
}

/// A goodwill gesture over the customer's limit: inside
/// [`Rejection::GoodwillLimitExceeded`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a goodwill gesture worth {} would bring {}'s goodwill in the last {} days \
             from {} to {}, over the limit of {}",
            self.value, self.customer, self.window_days, self.given, self.after, self.limit
        )
    }
}

/// A goodwill gesture beyond the giver's own authority: inside
/// [`Rejection::GoodwillNeedsApproval`]. The way to give it is to propose it as a
/// goodwill option ([`ResolutionKind::Goodwill`](crate::approval::ResolutionKind)),
/// request approval and offer it once granted, like any other option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoodwillGap {
    /// The gesture's value.
    pub value: Money,
    /// What the same amount proposed as a goodwill option would need.
    pub missing: ApprovalRequirement,
}

impl fmt::Display for GoodwillGap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a goodwill gesture worth {} is beyond what you may give alone and needs {}; \
             propose it as a goodwill option and request approval",
            self.value, self.missing
        )
    }
}

/// Why someone may not approve a request: what they already did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Requested => {
                f.write_str("requested the approval; nobody approves their own request")
            }
            Self::Proposed => {
                f.write_str("proposed the option; nobody approves their own proposal")
            }
            Self::GrantedLevel(level) => write!(
                f,
                "already granted level {level} of this request; each level needs a different person"
            ),
            Self::GrantedThisLevel(level) => write!(
                f,
                "already granted level {level}; its approvers must be different people"
            ),
        }
    }
}

/// `14:02 UTC on 2026-03-02`.
fn when(at: &DateTime<Utc>) -> String {
    at.format("%H:%M UTC on %Y-%m-%d").to_string()
}

/// `refund of USD 420.00`, `upgrade`.
fn what(resolution: &ResolutionOption) -> String {
    match &resolution.amount {
        Some(amount) => format!("{} of {amount}", resolution.kind),
        None => resolution.kind.to_string(),
    }
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

/// The area a [`Rejection`] belongs to: which part of the practice (or of the host)
/// refused the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
