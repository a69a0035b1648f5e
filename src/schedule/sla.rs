//! Response targets (SLAs): first response, apology, next update and resolution, each a
//! duration of working time, and the clocks that measure them, derived from a case's
//! history alone.
//!
//! # What starts, pauses and stops each clock
//!
//! Every clock starts when the case opens, and starts afresh when it is reopened (a
//! reopened case is a new recovery situation with fresh targets). All clocks pause
//! while the case waits on the customer or a third party ([`AwaitingCustomer`],
//! [`AwaitingThirdParty`]) and run again from [`Resumed`]; a paused clock does not
//! advance.
//!
//! | clock | stopped by |
//! |---|---|
//! | [`FirstResponse`](SlaClock::FirstResponse) | the first customer-facing event (see [`is_customer_facing`]) |
//! | [`Apology`](SlaClock::Apology) | the first apology |
//! | [`Update`](SlaClock::Update) | nothing: every customer-facing event starts a new period; closing ends it |
//! | [`Resolution`](SlaClock::Resolution) | closing or withdrawal |
//!
//! A clock stopped by its condition within its target is [`Met`](ClockStatus::Met),
//! after it [`Late`](ClockStatus::Late); a clock whose case ended before its condition
//! happened is [`Ended`](ClockStatus::Ended).
//!
//! The targets are chosen once, at opening, from the priority and the channel the
//! complaint arrived on: moving the conversation to the phone does not move the goal
//! posts. The first [`SlaPolicy`] whose matcher accepts the case wins; if none does, the
//! fallback targets apply.
//!
//! # Warnings and breaches are events
//!
//! The crate never reads a clock. The host reports the time with
//! [`Command::ReportTime(ReportTime {})`](crate::Command::ReportTime(ReportTime {})); [`decide`](crate::decide) then
//! records an [`SlaWarned`] for every warning fraction crossed and an [`SlaBreached`] at
//! 100 %, each once per clock and period, and nothing at all if nothing was crossed.
//!
//! ```
//! use chrono::{Duration, TimeZone, Utc};
//! use service_recovery::prelude::*;
//! use service_recovery::schedule::sla::{self, ClockStatus, SlaClock};
//!
//! let dana = Actor::builder().id("a-7").name("Dana").build();
//! let policy = Policy::default(); // 24/7; normal priority: first response within 24 h
//! let at = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
//! let open = service_recovery::testing::open_case();
//! let mut case = Case::replay(decide(None, &open, &dana, at, &policy)?).unwrap();
//!
//! // Thirteen hours later the host reports the time: the 50 % warning is recorded.
//! let later = at + Duration::hours(13);
//! for event in decide(Some(&case), &Command::ReportTime(ReportTime {}), &dana, later, &policy)? {
//!     case.apply(event).unwrap();
//! }
//! let clocks = sla::clocks(case.history(), &policy, later);
//! let first = clocks.iter().find(|c| c.clock == SlaClock::FirstResponse).unwrap();
//! assert_eq!(first.status, ClockStatus::Running);
//! assert_eq!(first.elapsed, Duration::hours(13));
//! assert_eq!(first.warned, vec![50]);
//! // Reporting the same time again records nothing new.
//! assert!(decide(Some(&case), &Command::ReportTime(ReportTime {}), &dana, later, &policy)?.is_empty());
//! # Ok::<(), Rejection>(())
//! ```
//!
//! [`AwaitingCustomer`]: crate::EventKind::AwaitingCustomer
//! [`AwaitingThirdParty`]: crate::EventKind::AwaitingThirdParty
//! [`Resumed`]: crate::EventKind::Resumed
//! [`SlaWarned`]: crate::EventKind::SlaWarned
//! [`SlaBreached`]: crate::EventKind::SlaBreached

use super::follow_up::FollowUpPolicy;
use super::working_time::{nanos, percent_of, secs, secs_opt};
use crate::case::{Event, EventKind};
use crate::channel::Channel;
use crate::complaint::Priority;
use crate::policy::Policy;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use typed_builder::TypedBuilder;

/// One response target.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SlaClock {
    /// The first customer-facing answer.
    FirstResponse,
    /// The apology.
    Apology,
    /// The next update to the customer, periodically while the case is open.
    Update,
    /// Closing (or withdrawal).
    Resolution,
}

impl SlaClock {
    /// How many clocks there are.
    pub const COUNT: usize = 4;

    /// Every clock, in this order.
    pub const ALL: [SlaClock; SlaClock::COUNT] = [
        SlaClock::FirstResponse,
        SlaClock::Apology,
        SlaClock::Update,
        SlaClock::Resolution,
    ];

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for SlaClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::FirstResponse => "first response",
            Self::Apology => "apology",
            Self::Update => "next update",
            Self::Resolution => "resolution",
        })
    }
}

/// The targets of one SLA, each a duration of working time; a missing target is not
/// tracked. In JSON each is a number of seconds: `{"first_response": 3600}`.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    TypedBuilder,
    schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
#[builder(field_defaults(default, setter(strip_option)))]
pub struct SlaTargets {
    /// From opening to the first customer-facing event.
    #[serde(default, with = "secs_opt", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<i64>")]
    pub first_response: Option<TimeDelta>,
    /// From opening to the apology.
    #[serde(default, with = "secs_opt", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<i64>")]
    pub apology: Option<TimeDelta>,
    /// The longest silence towards the customer while the case is open.
    #[serde(default, with = "secs_opt", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<i64>")]
    pub update: Option<TimeDelta>,
    /// From opening to closing.
    #[serde(default, with = "secs_opt", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<i64>")]
    pub resolution: Option<TimeDelta>,
}

impl SlaTargets {
    /// The target of `clock`, if tracked.
    pub fn get(&self, clock: SlaClock) -> Option<TimeDelta> {
        match clock {
            SlaClock::FirstResponse => self.first_response,
            SlaClock::Apology => self.apology,
            SlaClock::Update => self.update,
            SlaClock::Resolution => self.resolution,
        }
    }
}

/// A kind of channel, for matching: the channel without its details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// A telephone call.
    Phone,
    /// E-mail.
    Email,
    /// Live chat.
    Chat,
    /// Face to face.
    InPerson,
    /// A web or app form.
    WebForm,
    /// Any social-media platform, public or private.
    SocialMedia,
    /// A public social-media complaint only.
    PublicSocialMedia,
}

impl ChannelKind {
    /// Whether `channel` is of this kind.
    pub fn matches(self, channel: &Channel) -> bool {
        // One arm per kind, no wildcard: a new kind must say which channels it takes.
        match self {
            Self::Phone => matches!(channel, Channel::Phone),
            Self::Email => matches!(channel, Channel::Email),
            Self::Chat => matches!(channel, Channel::Chat),
            Self::InPerson => matches!(channel, Channel::InPerson),
            Self::WebForm => matches!(channel, Channel::WebForm),
            Self::SocialMedia => matches!(channel, Channel::SocialMedia { .. }),
            Self::PublicSocialMedia => channel.is_public(),
        }
    }
}

/// Which cases an [`SlaPolicy`] applies to. An empty list matches anything.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
#[builder(field_defaults(default))]
pub struct SlaMatcher {
    /// The priorities it applies to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub priorities: Vec<Priority>,
    /// The channels it applies to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<ChannelKind>,
}

impl SlaMatcher {
    /// Whether a case of this priority, opened on this channel, matches.
    pub fn matches(&self, priority: Priority, channel: &Channel) -> bool {
        (self.priorities.is_empty() || self.priorities.contains(&priority))
            && (self.channels.is_empty() || self.channels.iter().any(|c| c.matches(channel)))
    }
}

/// Targets for the cases a matcher accepts.
///
/// ```
/// use chrono::TimeDelta;
/// use service_recovery::prelude::{Channel, Priority};
/// use service_recovery::schedule::sla::{SlaMatcher, SlaPolicy, SlaTargets};
///
/// let urgent = SlaPolicy::builder()
///     .when(SlaMatcher::builder().priorities(vec![Priority::Urgent]).build())
///     .targets(SlaTargets::builder().first_response(TimeDelta::minutes(30)).build())
///     .build();
/// assert!(urgent.when.matches(Priority::Urgent, &Channel::Phone));
/// assert!(!urgent.when.matches(Priority::High, &Channel::Phone));
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct SlaPolicy {
    /// Which cases it applies to.
    #[builder(default)]
    #[serde(default)]
    pub when: SlaMatcher,
    /// The targets.
    pub targets: SlaTargets,
}

/// Where a clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockStatus {
    /// Advancing.
    Running,
    /// Not advancing: the case waits on the customer or a third party.
    Paused,
    /// Stopped by its condition within its target.
    Met,
    /// Stopped by its condition after its target.
    Late,
    /// The case ended before its condition happened (or, for the update clock, ended).
    Ended,
}

impl fmt::Display for ClockStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Running => "running",
            Self::Paused => "paused",
            Self::Met => "met",
            Self::Late => "late",
            Self::Ended => "ended",
        })
    }
}

/// The state of one clock at a given instant, derived from the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ClockState {
    /// Which clock.
    pub clock: SlaClock,
    /// Its target, in working time (seconds in JSON).
    #[serde(with = "secs")]
    #[schemars(with = "i64")]
    pub target: TimeDelta,
    /// Running, paused, met, late or ended.
    pub status: ClockStatus,
    /// When the current period started: the opening or reopening, or for the update
    /// clock the last customer-facing event.
    pub started_at: DateTime<Utc>,
    /// Working time elapsed, pauses excluded (seconds in JSON).
    #[serde(with = "secs")]
    #[schemars(with = "i64")]
    pub elapsed: TimeDelta,
    /// Target minus elapsed; negative once overdue (seconds in JSON).
    #[serde(with = "secs")]
    #[schemars(with = "i64")]
    pub remaining: TimeDelta,
    /// When the target is reached if the clock keeps running; `None` unless running.
    /// For an overdue clock, an instant no later than the breach.
    pub due: Option<DateTime<Utc>>,
    /// When it stopped, if it did.
    pub stopped_at: Option<DateTime<Utc>>,
    /// The warning percentages recorded in this period, ascending.
    pub warned: Vec<u8>,
    /// Whether a breach was recorded in this period.
    pub breached: bool,
}

/// A threshold crossed and not yet recorded: what [`Command::ReportTime(ReportTime {})`](crate::Command::ReportTime(ReportTime {}))
/// records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Crossed {
    Warning(SlaClock, u8),
    Breach(SlaClock),
}

/// Whether an event speaks to the customer, and so stops the first-response clock and
/// restarts the update clock: thanks, apology, question, explanation, offer, agreed
/// action, goodwill gesture, final thanks, a promise made or kept. Internal records
/// (notes, proposals, answers, hand-offs) do not.
pub fn is_customer_facing(kind: &EventKind) -> bool {
    match kind {
        EventKind::Thanked { .. }
        | EventKind::Apologized { .. }
        | EventKind::QuestionAsked { .. }
        | EventKind::Explained { .. }
        | EventKind::OptionOffered { .. }
        | EventKind::ActionAgreed { .. }
        | EventKind::GoodwillGiven { .. }
        | EventKind::FinalThanksGiven { .. }
        | EventKind::CommitmentMade { .. }
        | EventKind::CommitmentKept { .. } => true,
        EventKind::Opened(_)
        | EventKind::AnswerRecorded { .. }
        | EventKind::GoalRecorded { .. }
        | EventKind::OptionProposed { .. }
        | EventKind::OptionRevised { .. }
        | EventKind::OfferAccepted { .. }
        | EventKind::OfferDeclined { .. }
        | EventKind::ActionCarriedOut { .. }
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
        | EventKind::CommitmentBroken { .. }
        | EventKind::CommitmentCancelled { .. }
        | EventKind::SurveyRecorded { .. }
        | EventKind::RecoverySpawned { .. } => false,
    }
}

/// The states of the clocks the case's targets track, at `now`, from its history.
///
/// `now` should not be before the last event; if it is, elapsed time is counted up to
/// the last event only.
pub fn clocks(history: &[Event], policy: &Policy, now: DateTime<Utc>) -> Vec<ClockState> {
    SlaTracker::from_history(history, &policy.follow_up).clocks(&policy.follow_up, now)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stop {
    at: DateTime<Utc>,
    elapsed: TimeDelta,
    by_condition: bool,
}

const BREACH_BIT: u32 = 100;

/// The SLA bookkeeping of one case, folded event by event: a handful of instants and
/// accumulated durations, so the agenda can keep one per case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SlaTracker {
    opened: bool,
    ended: bool,
    paused: bool,
    /// Index into the policy's SLA list; `None` for the fallback.
    targets: Option<usize>,
    /// Rounds of recovery, from 1.
    pub(crate) round: u32,
    /// Update periods, counted over the whole case.
    pub(crate) period: u32,
    round_start: DateTime<Utc>,
    update_start: DateTime<Utc>,
    /// Start of the current running (or paused) stretch.
    since: DateTime<Utc>,
    /// Working time run from the round start to `since`.
    round_acc: TimeDelta,
    /// Working time run from the update period's start to `since`.
    update_acc: TimeDelta,
    stops: [Option<Stop>; SlaClock::COUNT],
    /// Bit p: a p % warning recorded; bit 100: a breach recorded.
    recorded: [u128; SlaClock::COUNT],
}

impl SlaTracker {
    pub(crate) fn from_history(history: &[Event], policy: &FollowUpPolicy) -> Self {
        let mut tracker = Self::default();
        for event in history {
            tracker.observe(event, policy);
        }
        tracker
    }

    pub(crate) fn observe(&mut self, event: &Event, policy: &FollowUpPolicy) {
        let at = event.at;
        let w = &policy.working_time;
        let kind = &event.kind;
        // Opening and reopening start a round whatever came before.
        match kind {
            EventKind::Opened(o) => {
                self.targets = policy.select(o.priority, &o.channel);
                self.opened = true;
                self.round = 1;
                self.start_round(at);
                return;
            }
            EventKind::Reopened { .. } => {
                self.round = self.round.saturating_add(1);
                self.start_round(at);
                return;
            }
            EventKind::Thanked { .. }
            | EventKind::Apologized { .. }
            | EventKind::QuestionAsked { .. }
            | EventKind::AnswerRecorded { .. }
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
            | EventKind::RecoverySpawned { .. } => {}
        }
        if self.ended || !self.opened {
            return;
        }
        if is_customer_facing(kind) {
            self.advance(at, policy);
            let round = self.round_acc;
            self.stop(SlaClock::FirstResponse, at, round, true);
            if matches!(kind, EventKind::Apologized { .. }) {
                self.stop(SlaClock::Apology, at, round, true);
            }
            self.update_acc = TimeDelta::zero();
            self.update_start = at;
            self.period = self.period.saturating_add(1);
            if let Some(bits) = self.recorded.get_mut(SlaClock::Update.index()) {
                *bits = 0;
            }
            return;
        }
        match kind {
            EventKind::AwaitingCustomer { .. } | EventKind::AwaitingThirdParty { .. } => {
                self.advance(at, policy);
                self.paused = true;
            }
            EventKind::Resumed {} if self.paused => {
                self.paused = false;
                self.since = at;
            }
            EventKind::SlaWarned { clock, percent } => {
                self.mark(*clock, u32::from(*percent));
            }
            EventKind::SlaBreached { clock } => self.mark(*clock, BREACH_BIT),
            EventKind::Closed { .. } | EventKind::Withdrawn { .. } => {
                let round = self.elapsed_at(SlaClock::Resolution, at, w);
                let update = self.elapsed_at(SlaClock::Update, at, w);
                self.stop(SlaClock::Resolution, at, round, true);
                self.stop(SlaClock::FirstResponse, at, round, false);
                self.stop(SlaClock::Apology, at, round, false);
                self.stop(SlaClock::Update, at, update, false);
                self.ended = true;
            }
            // Customer-facing events were handled above; the rest do not move a clock.
            EventKind::Opened(_)
            | EventKind::Thanked { .. }
            | EventKind::Apologized { .. }
            | EventKind::QuestionAsked { .. }
            | EventKind::AnswerRecorded { .. }
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
            | EventKind::Reopened { .. }
            | EventKind::ChannelChanged { .. }
            | EventKind::Reassigned { .. }
            | EventKind::Escalated { .. }
            | EventKind::NoteAdded { .. }
            | EventKind::ApprovalRequested { .. }
            | EventKind::ApprovalGranted { .. }
            | EventKind::ApprovalDenied { .. }
            | EventKind::ApprovalRequestWithdrawn { .. }
            | EventKind::ApprovalsVoided { .. }
            | EventKind::Resumed {}
            | EventKind::CommitmentMade { .. }
            | EventKind::CommitmentKept { .. }
            | EventKind::CommitmentBroken { .. }
            | EventKind::CommitmentCancelled { .. }
            | EventKind::SurveyRecorded { .. }
            | EventKind::RecoverySpawned { .. } => {}
        }
    }

    fn start_round(&mut self, at: DateTime<Utc>) {
        self.round_start = at;
        self.update_start = at;
        self.since = at;
        self.paused = false;
        self.ended = false;
        self.round_acc = TimeDelta::zero();
        self.update_acc = TimeDelta::zero();
        self.stops = [None; SlaClock::COUNT];
        self.recorded = [0; SlaClock::COUNT];
        self.period = self.period.saturating_add(1);
    }

    /// Moves `since` to `at`, counting the working time run in between.
    fn advance(&mut self, at: DateTime<Utc>, policy: &FollowUpPolicy) {
        if self.paused || at <= self.since {
            return;
        }
        let run = policy.working_time.between(self.since, at);
        self.round_acc += run;
        self.update_acc += run;
        self.since = at;
    }

    /// Stops a clock that is still running; a stopped clock stays as it stopped.
    fn stop(&mut self, clock: SlaClock, at: DateTime<Utc>, elapsed: TimeDelta, by_condition: bool) {
        if let Some(slot @ None) = self.stops.get_mut(clock.index()) {
            *slot = Some(Stop {
                at,
                elapsed,
                by_condition,
            });
        }
    }

    fn mark(&mut self, clock: SlaClock, bit: u32) {
        if let (Some(bits), Some(mask)) =
            (self.recorded.get_mut(clock.index()), 1u128.checked_shl(bit))
        {
            *bits |= mask;
        }
    }

    fn recorded(&self, clock: SlaClock, bit: u32) -> bool {
        let bits = self.recorded.get(clock.index()).copied().unwrap_or(0);
        1u128.checked_shl(bit).is_some_and(|mask| bits & mask != 0)
    }

    fn stopped(&self, clock: SlaClock) -> Option<Stop> {
        self.stops.get(clock.index()).copied().flatten()
    }

    fn acc(&self, clock: SlaClock) -> TimeDelta {
        match clock {
            SlaClock::Update => self.update_acc,
            SlaClock::FirstResponse | SlaClock::Apology | SlaClock::Resolution => self.round_acc,
        }
    }

    /// Elapsed working time of a running or paused clock at `at`.
    fn elapsed_at(&self, clock: SlaClock, at: DateTime<Utc>, w: &super::WorkingTime) -> TimeDelta {
        if self.paused {
            self.acc(clock)
        } else {
            self.acc(clock) + w.between(self.since, at)
        }
    }

    /// The targets that apply, if the case was opened.
    pub(crate) fn targets<'p>(&self, policy: &'p FollowUpPolicy) -> Option<&'p SlaTargets> {
        self.opened.then(|| policy.targets(self.targets))
    }

    /// When a running clock's elapsed time reaches `amount`: `since` if it already
    /// has, `None` if the clock is stopped or paused short of it.
    pub(crate) fn instant_of(
        &self,
        clock: SlaClock,
        amount: TimeDelta,
        policy: &FollowUpPolicy,
    ) -> Option<DateTime<Utc>> {
        // No need to ask whether the case is open: closing or withdrawing stops all four
        // clocks (and only reopening restarts them), and before the opening no clock
        // has a target to reach.
        if self.stopped(clock).is_some() {
            return None;
        }
        let acc = self.acc(clock);
        if amount <= acc {
            return Some(self.since);
        }
        if self.paused {
            return None;
        }
        policy.working_time.add(self.since, amount - acc).ok()
    }

    /// The thresholds not yet recorded, for each clock still running or paused, with
    /// the working time at which each is crossed: warnings ascending, then the breach.
    pub(crate) fn unrecorded(
        &self,
        policy: &FollowUpPolicy,
    ) -> impl Iterator<Item = (Crossed, TimeDelta)> + '_ {
        // An ended case has every clock stopped, and they are filtered out below.
        let targets = self.targets(policy).copied();
        let warn = policy.warn_percents();
        SlaClock::ALL
            .into_iter()
            .filter(move |clock| self.stopped(*clock).is_none())
            .filter_map(move |clock| Some((clock, targets?.get(clock)?)))
            .flat_map(move |(clock, target)| {
                let warnings = warn
                    .clone()
                    .filter(move |p| !self.recorded(clock, u32::from(*p)))
                    .map(move |p| (Crossed::Warning(clock, p), percent_of(target, p)));
                let breach =
                    (!self.recorded(clock, BREACH_BIT)).then_some((Crossed::Breach(clock), target));
                warnings.chain(breach)
            })
    }

    /// The thresholds crossed by `now` and not yet recorded.
    pub(crate) fn crossed(&self, policy: &FollowUpPolicy, now: DateTime<Utc>) -> Vec<Crossed> {
        let w = &policy.working_time;
        self.unrecorded(policy)
            .filter(|(crossed, amount)| {
                let clock = match crossed {
                    Crossed::Warning(clock, _) | Crossed::Breach(clock) => *clock,
                };
                nanos(self.elapsed_at(clock, now, w)) >= nanos(*amount)
            })
            .map(|(crossed, _)| crossed)
            .collect()
    }

    pub(crate) fn clocks(&self, policy: &FollowUpPolicy, now: DateTime<Utc>) -> Vec<ClockState> {
        let Some(targets) = self.targets(policy) else {
            return Vec::new();
        };
        let w = &policy.working_time;
        SlaClock::ALL
            .into_iter()
            .filter_map(|clock| {
                let target = targets.get(clock)?;
                let stop = self.stopped(clock);
                let elapsed = stop.map_or_else(|| self.elapsed_at(clock, now, w), |s| s.elapsed);
                let status = match stop {
                    Some(s) if s.by_condition && s.elapsed <= target => ClockStatus::Met,
                    Some(s) if s.by_condition => ClockStatus::Late,
                    Some(_) => ClockStatus::Ended,
                    None if self.paused => ClockStatus::Paused,
                    None => ClockStatus::Running,
                };
                let due = if status == ClockStatus::Running {
                    self.instant_of(clock, target, policy)
                } else {
                    None
                };
                Some(ClockState {
                    clock,
                    target,
                    status,
                    started_at: match clock {
                        SlaClock::Update => self.update_start,
                        SlaClock::FirstResponse | SlaClock::Apology | SlaClock::Resolution => {
                            self.round_start
                        }
                    },
                    elapsed,
                    remaining: target - elapsed,
                    due,
                    stopped_at: stop.map(|s| s.at),
                    warned: (1..100u8)
                        .filter(|p| self.recorded(clock, u32::from(*p)))
                        .collect(),
                    breached: self.recorded(clock, BREACH_BIT),
                })
            })
            .collect()
    }
}
