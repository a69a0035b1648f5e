//! The metrics of one case, folded from its history in one pass.

use super::clocks::Clocks;
use super::ruler::{Ruler, Stamp, delta};
use super::tally::{ApprovalTally, ClockTally, CommitmentTally, MoneySums};
use crate::case::{Event, EventKind, HistoryError};
use crate::channel::Channel;
use crate::complaint::Priority;
use crate::id::{ActorId, OptionId};
use crate::money::Money;
use crate::schedule::FollowUpPolicy;
use crate::schedule::sla::{ChannelKind, SlaClock, is_customer_facing};
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use typed_builder::TypedBuilder;

/// What the metrics are measured under: the working time and the response targets
/// (a [`FollowUpPolicy`]), and the instant the measurement is taken.
///
/// Backtesting is measuring the same histories under another `MetricsConfig`.
/// In JSON: `{"follow_up": {...}, "as_of": "2012-12-31T00:00:00Z"}`, both optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TypedBuilder)]
#[serde(deny_unknown_fields)]
pub struct MetricsConfig {
    /// The working time (around the clock, or a business calendar) and the targets.
    #[builder(default)]
    #[serde(default)]
    pub follow_up: FollowUpPolicy,
    /// When the measurement is taken: clocks still running are judged at this instant.
    /// `None` (the default) judges each case at its own last event. An instant before
    /// a case's last event counts as that last event.
    #[builder(default, setter(strip_option))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<DateTime<Utc>>,
}

/// A moment of a case whose delay from the opening is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// The first customer-facing event (see [`is_customer_facing`]).
    FirstResponse,
    /// The first apology.
    Apology,
    /// The first option offered.
    FirstOffer,
    /// The first action agreed.
    Agreement,
    /// The first closing (a reopened case keeps its first closing).
    Close,
}

impl Milestone {
    /// Every milestone, in this order.
    pub const ALL: [Milestone; 5] = [
        Milestone::FirstResponse,
        Milestone::Apology,
        Milestone::FirstOffer,
        Milestone::Agreement,
        Milestone::Close,
    ];

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Milestone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::FirstResponse => "first response",
            Self::Apology => "apology",
            Self::FirstOffer => "first offer",
            Self::Agreement => "agreement",
            Self::Close => "close",
        })
    }
}

/// A span measured twice: in calendar (elapsed real) time and in business time (the
/// working time of the config's [`WorkingTime`](crate::schedule::WorkingTime)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Elapsed {
    /// Real time elapsed.
    pub calendar: TimeDelta,
    /// Working time elapsed.
    pub business: TimeDelta,
}

impl Elapsed {
    /// The span from `from` to `to` (nothing if `to` is not after `from`).
    fn between(from: Stamp, to: Stamp) -> Self {
        Self {
            calendar: delta(from.calendar_until(to)),
            business: delta(from.business_until(to)),
        }
    }
}

/// Where a case stands at the end of its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Still open (or reopened and not closed again).
    Open,
    /// Closed.
    Closed,
    /// The customer withdrew.
    Withdrawn,
}

/// The metrics of one case: every definition is in the [module docs](super).
///
/// It borrows from the history (the owner's id, the root cause), so computing it
/// allocates nothing for most cases.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use service_recovery::prelude::*;
/// use service_recovery::metrics::{CaseMetrics, MetricsConfig, Milestone, Outcome};
///
/// let dana = Actor::builder().id("a-7").name("Dana").build();
/// let policy = Policy::default();
/// let at = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
/// let open = service_recovery::testing::open_case();
/// let mut case = Case::replay(decide(None, &open, &dana, at, &policy)?).unwrap();
/// let thank = Command::Thank(Thank { words: "Thank you for telling us, Ms Okafor.".into() });
/// for event in decide(Some(&case), &thank, &dana, at + TimeDelta::minutes(90), &policy)? {
///     case.apply(event).unwrap();
/// }
///
/// let metrics = CaseMetrics::of(case.history(), &MetricsConfig::default()).unwrap();
/// let first = metrics.time_to(Milestone::FirstResponse).unwrap();
/// assert_eq!(first.calendar, TimeDelta::minutes(90));
/// assert_eq!(metrics.time_to(Milestone::Apology), None);
/// assert_eq!(metrics.outcome, Outcome::Open);
/// # Ok::<(), Rejection>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CaseMetrics<'h> {
    /// When the case was opened.
    pub opened_at: DateTime<Utc>,
    /// The kind of channel the complaint arrived on.
    pub channel: ChannelKind,
    /// The priority at opening.
    pub priority: Priority,
    /// The owner at the end of the history.
    pub owner: &'h ActorId,
    /// Events in the history.
    pub events: u64,
    milestones: [Option<Elapsed>; 5],
    /// Open, closed or withdrawn, at the end.
    pub outcome: Outcome,
    /// Times the case was reopened.
    pub reopenings: u32,
    /// Recoveries spawned from it.
    pub spawned: u32,
    /// Total time spent waiting on the customer or a third party.
    pub waiting: Elapsed,
    /// How many waits.
    pub waits: u32,
    /// Response-target outcomes by clock (in [`SlaClock::ALL`] order): one per round
    /// for first response, apology and resolution; one per update period for updates.
    pub sla: [ClockTally; 4],
    /// Promises made and how they ended.
    pub commitments: CommitmentTally,
    /// Approval requests and how they ended.
    pub approvals: ApprovalTally,
    /// From each decided approval request to its decision.
    pub approval_turnarounds: Vec<Elapsed>,
    /// Goodwill gestures made.
    pub goodwill_gestures: u32,
    /// Their stated values.
    pub goodwill: MoneySums,
    /// Accepted offers' amounts plus goodwill values.
    pub compensation: MoneySums,
    /// Survey answers: the first score, the last score, and how many.
    pub surveys: Option<(u8, u8, u32)>,
    /// The root-cause category of the last closing.
    pub root_cause: Option<&'h str>,
}

/// A pending approval request: the option, when requested, the last level, how many
/// grants that level needs and has.
struct Pending<'h> {
    option: &'h OptionId,
    at: Stamp,
    last_level: u32,
    needed: u32,
    granted: u32,
}

impl<'h> CaseMetrics<'h> {
    /// Measures one case's history.
    ///
    /// # Errors
    ///
    /// [`HistoryError::Empty`] or [`HistoryError::NotOpenedFirst`] when the history
    /// is not a case's (it must start with its opening).
    pub fn of(history: &'h [Event], config: &MetricsConfig) -> Result<Self, HistoryError> {
        Self::measure(
            history,
            config,
            &mut Ruler::new(&config.follow_up.working_time),
        )
    }

    /// Measures one case's history with a ruler shared between cases (see
    /// [`Report::measure`](super::Report::measure)): the ruler lists the calendar's
    /// working windows once for every case measured with it.
    pub(super) fn measure(
        history: &'h [Event],
        config: &MetricsConfig,
        ruler: &mut Ruler<'_>,
    ) -> Result<Self, HistoryError> {
        let first = history.first().ok_or(HistoryError::Empty)?;
        let EventKind::Opened(opened) = &first.kind else {
            return Err(HistoryError::NotOpenedFirst {
                sequence: first.sequence,
                kind: first.kind.name(),
            });
        };
        let policy = &config.follow_up;
        let opened_at = first.at;
        let last_at = history.last().map_or(opened_at, |e| e.at);
        let end = config.as_of.map_or(last_at, |as_of| as_of.max(last_at));
        ruler.start_case(opened_at);
        let opening = ruler.stamp(opened_at);

        let mut m = CaseMetrics {
            opened_at,
            channel: channel_kind(&opened.channel),
            priority: opened.priority,
            owner: &opened.owner.id,
            events: u64::try_from(history.len()).unwrap_or(u64::MAX),
            milestones: [None; 5],
            outcome: Outcome::Open,
            reopenings: 0,
            spawned: 0,
            waiting: Elapsed::default(),
            waits: 0,
            sla: [ClockTally::default(); 4],
            commitments: CommitmentTally::default(),
            approvals: ApprovalTally::default(),
            approval_turnarounds: Vec::new(),
            goodwill_gestures: 0,
            goodwill: MoneySums::default(),
            compensation: MoneySums::default(),
            surveys: None,
            root_cause: None,
        };
        let targets = policy.targets_for(opened.priority, &opened.channel);
        let mut clocks = Clocks::new(targets, opening);
        let mut fold = Fold {
            opening,
            wait_start: None,
            // Waits summed in nanoseconds, converted once at the end.
            waited: (0, 0),
            options: Vec::new(),
            pending: Vec::new(),
        };
        for event in history {
            let now = ruler.stamp(event.at);
            if ends_wait(&event.kind) {
                if let Some(start) = fold.wait_start.take() {
                    fold.add_wait(start, now);
                }
            }
            clocks.observe(&event.kind, now);
            m.observe(event, now, &mut fold);
        }
        let end = ruler.stamp(end);
        if let Some(start) = fold.wait_start {
            fold.add_wait(start, end);
        }
        m.waiting = Elapsed {
            calendar: delta(fold.waited.0),
            business: delta(fold.waited.1),
        };
        clocks.finish(end);
        m.sla = clocks.tallies;
        Ok(m)
    }

    /// The delay from opening to `milestone`, if it happened.
    pub fn time_to(&self, milestone: Milestone) -> Option<Elapsed> {
        self.milestones.get(milestone.index()).copied().flatten()
    }

    /// The outcomes of one response-target clock.
    pub fn clock(&self, clock: SlaClock) -> ClockTally {
        self.sla.get(sla_index(clock)).copied().unwrap_or_default()
    }

    fn reach(&mut self, milestone: Milestone, opening: Stamp, now: Stamp) {
        if let Some(slot @ None) = self.milestones.get_mut(milestone.index()) {
            *slot = Some(Elapsed::between(opening, now));
        }
    }

    fn observe(&mut self, event: &'h Event, at: Stamp, fold: &mut Fold<'h>) {
        use EventKind::*;
        let opening = fold.opening;
        let (options, pending) = (&mut fold.options, &mut fold.pending);
        if is_customer_facing(&event.kind) {
            self.reach(Milestone::FirstResponse, opening, at);
        }
        match &event.kind {
            Apologized { .. } => self.reach(Milestone::Apology, opening, at),
            OptionOffered { .. } => self.reach(Milestone::FirstOffer, opening, at),
            ActionAgreed { .. } => self.reach(Milestone::Agreement, opening, at),
            Closed { root_cause } => {
                self.reach(Milestone::Close, opening, at);
                self.outcome = Outcome::Closed;
                self.root_cause = Some(root_cause.category.as_str());
            }
            Withdrawn { .. } => self.outcome = Outcome::Withdrawn,
            Reopened { .. } => {
                self.outcome = Outcome::Open;
                self.reopenings = self.reopenings.saturating_add(1);
            }
            RecoverySpawned { .. } => self.spawned = self.spawned.saturating_add(1),
            Reassigned { to, .. } | Escalated { to, .. } => self.owner = &to.id,
            AwaitingCustomer { .. } | AwaitingThirdParty { .. } => {
                if fold.wait_start.is_none() {
                    fold.wait_start = Some(at);
                    self.waits = self.waits.saturating_add(1);
                }
            }
            OptionProposed { option, resolution } | OptionRevised { option, resolution } => {
                match options.iter_mut().find(|(o, _)| *o == option) {
                    Some(slot) => slot.1 = resolution.amount,
                    None => options.push((option, resolution.amount)),
                }
            }
            OfferAccepted { option } => {
                if let Some((_, Some(amount))) = options.iter().find(|(o, _)| *o == option) {
                    self.compensation.add(*amount);
                }
            }
            GoodwillGiven { value, .. } => {
                self.goodwill_gestures = self.goodwill_gestures.saturating_add(1);
                if let Some(value) = value {
                    self.goodwill.add(*value);
                    self.compensation.add(*value);
                }
            }
            CommitmentMade { .. } => {
                self.commitments.made = self.commitments.made.saturating_add(1);
            }
            CommitmentKept { punctuality, .. } => self.commitments.kept(*punctuality),
            CommitmentBroken { .. } => {
                self.commitments.broken = self.commitments.broken.saturating_add(1);
            }
            CommitmentCancelled { .. } => {
                self.commitments.cancelled = self.commitments.cancelled.saturating_add(1);
            }
            SurveyRecorded { score, .. } => {
                self.surveys = Some(match self.surveys {
                    None => (*score, *score, 1),
                    Some((first, _, n)) => (first, *score, n.saturating_add(1)),
                });
            }
            ApprovalRequested {
                option,
                requirement,
                ..
            } => {
                self.approvals.requested = self.approvals.requested.saturating_add(1);
                // A new request replaces a pending one for the same option.
                pending.retain(|p| p.option != option);
                match requirement.levels.last() {
                    Some(last) => pending.push(Pending {
                        option,
                        at,
                        last_level: u32::try_from(requirement.levels.len()).unwrap_or(u32::MAX),
                        needed: last.approvers.max(1),
                        granted: 0,
                    }),
                    // Nothing to approve: granted at once.
                    None => self.decide_approval(at, at, true),
                }
            }
            ApprovalGranted { option, level, .. } => {
                if let Some(i) = pending.iter().position(|p| p.option == option) {
                    let done = pending.get_mut(i).is_some_and(|p| {
                        if *level == p.last_level {
                            p.granted = p.granted.saturating_add(1);
                        }
                        p.granted >= p.needed
                    });
                    if done {
                        let p = pending.swap_remove(i);
                        self.decide_approval(p.at, at, true);
                    }
                }
            }
            ApprovalDenied { option, .. } => {
                if let Some(i) = pending.iter().position(|p| p.option == option) {
                    let p = pending.swap_remove(i);
                    self.decide_approval(p.at, at, false);
                }
            }
            ApprovalRequestWithdrawn { option, .. } => {
                if let Some(i) = pending.iter().position(|p| p.option == option) {
                    pending.swap_remove(i);
                    self.approvals.withdrawn = self.approvals.withdrawn.saturating_add(1);
                }
            }
            ApprovalsVoided { option } => {
                if let Some(i) = pending.iter().position(|p| p.option == option) {
                    pending.swap_remove(i);
                    self.approvals.voided = self.approvals.voided.saturating_add(1);
                }
            }
            Opened(_)
            | Thanked { .. }
            | QuestionAsked { .. }
            | AnswerRecorded { .. }
            | GoalRecorded { .. }
            | Explained { .. }
            | OfferDeclined { .. }
            | ActionCarriedOut { .. }
            | FinalThanksGiven { .. }
            | ChannelChanged { .. }
            | NoteAdded { .. }
            | Resumed {}
            | SlaWarned { .. }
            | SlaBreached { .. } => {}
        }
    }

    fn decide_approval(&mut self, requested: Stamp, at: Stamp, granted: bool) {
        let slot = if granted {
            &mut self.approvals.granted
        } else {
            &mut self.approvals.denied
        };
        *slot = slot.saturating_add(1);
        self.approval_turnarounds
            .push(Elapsed::between(requested, at));
    }
}

/// What a case's fold carries from event to event besides the metrics themselves.
struct Fold<'h> {
    opening: Stamp,
    wait_start: Option<Stamp>,
    /// Calendar and business nanoseconds waited so far.
    waited: (i128, i128),
    /// Each option proposed, with the amount of its latest terms.
    options: Vec<(&'h OptionId, Option<Money>)>,
    pending: Vec<Pending<'h>>,
}

impl Fold<'_> {
    fn add_wait(&mut self, start: Stamp, end: Stamp) {
        self.waited.0 = self.waited.0.saturating_add(start.calendar_until(end));
        self.waited.1 = self.waited.1.saturating_add(start.business_until(end));
    }
}

/// Events after which nobody waits any more: the wait ended, or the case did.
fn ends_wait(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Resumed {}
            | EventKind::Closed { .. }
            | EventKind::Withdrawn { .. }
            | EventKind::Reopened { .. }
    )
}

pub(crate) fn sla_index(clock: SlaClock) -> usize {
    match clock {
        SlaClock::FirstResponse => 0,
        SlaClock::Apology => 1,
        SlaClock::Update => 2,
        SlaClock::Resolution => 3,
    }
}

pub(crate) fn channel_kind(channel: &Channel) -> ChannelKind {
    match channel {
        Channel::Phone => ChannelKind::Phone,
        Channel::Email => ChannelKind::Email,
        Channel::Chat => ChannelKind::Chat,
        Channel::InPerson => ChannelKind::InPerson,
        Channel::WebForm => ChannelKind::WebForm,
        Channel::SocialMedia { public: true, .. } => ChannelKind::PublicSocialMedia,
        Channel::SocialMedia { public: false, .. } => ChannelKind::SocialMedia,
    }
}
