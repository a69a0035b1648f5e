//! The metrics of many cases, summed so that summaries merge.

use super::case_metrics::{CaseMetrics, Elapsed, Milestone, Outcome, sla_index};
use super::distribution::Distribution;
use super::pareto::Pareto;
use super::tally::{ApprovalTally, ClockTally, CommitmentTally, MoneySums, SurveyTally};
use crate::schedule::sla::SlaClock;
use std::collections::BTreeMap;

/// A duration measured in calendar time and in business time, over many cases.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Durations {
    /// Real time elapsed.
    pub calendar: Distribution,
    /// Working time elapsed.
    pub business: Distribution,
}

impl Durations {
    /// Adds one span.
    pub fn record(&mut self, span: Elapsed) {
        self.calendar.record(span.calendar);
        self.business.record(span.business);
    }

    /// Adds every span of `other`.
    pub fn merge(&mut self, other: &Durations) {
        self.calendar.merge(&other.calendar);
        self.business.merge(&other.business);
    }
}

/// The metrics of a set of cases: exact counts and sums, and duration distributions
/// with sketched percentiles. Every definition is in the [module docs](super).
///
/// Aggregates **merge**: the aggregate of shards merged together equals the aggregate of
/// all their cases at once, whatever the split and the order (a property test checks
/// this), so a host can measure per shard, per day or per machine and combine later.
///
/// ```
/// # use chrono::{TimeDelta, TimeZone, Utc};
/// # use service_recovery::prelude::*;
/// use service_recovery::metrics::{Aggregate, CaseMetrics, MetricsConfig, Milestone};
/// # let dana = Actor::builder().id("a-7").name("Dana").build();
/// # let policy = Policy::default();
/// # let at = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
/// # let open = service_recovery::testing::open_case();
/// # let history = decide(None, &open, &dana, at, &policy)?;
/// let config = MetricsConfig::default();
/// let mut monday = Aggregate::default();
/// monday.record(&CaseMetrics::of(&history, &config).unwrap());
/// let mut tuesday = Aggregate::default();
/// tuesday.record(&CaseMetrics::of(&history, &config).unwrap());
///
/// monday.merge(&tuesday);
/// assert_eq!(monday.cases, 2);
/// assert_eq!(monday.open, 2);
/// assert_eq!(monday.time_to(Milestone::Close).calendar.count(), 0);
/// # Ok::<(), Rejection>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Aggregate {
    /// Cases measured.
    pub cases: u64,
    /// Events in their histories.
    pub events: u64,
    /// Cases closed at the end of their history.
    pub closed: u64,
    /// Cases withdrawn.
    pub withdrawn: u64,
    /// Cases still open.
    pub open: u64,
    /// Cases reopened at least once.
    pub reopened_cases: u64,
    /// Reopenings, all told.
    pub reopenings: u64,
    /// Cases that spawned at least one new recovery.
    pub spawning_cases: u64,
    /// Recoveries spawned, all told.
    pub spawned: u64,
    time_to: [Durations; 5],
    /// Time spent waiting, per case that waited.
    pub waiting: Durations,
    /// Cases that waited at least once.
    pub waiting_cases: u64,
    /// Waits, all told.
    pub waits: u64,
    sla: [ClockTally; 4],
    /// Promises.
    pub commitments: CommitmentTally,
    /// Approval requests.
    pub approvals: ApprovalTally,
    /// From request to decision, per decided request.
    pub approval_turnaround: Durations,
    /// Goodwill gestures, all told.
    pub goodwill_gestures: u64,
    /// Cases with at least one goodwill gesture.
    pub goodwill_cases: u64,
    /// The gestures' stated values.
    pub goodwill: MoneySums,
    /// Cases with any compensation (an accepted offer with an amount, or a valued gesture).
    pub compensated_cases: u64,
    /// Accepted offers' amounts plus goodwill values.
    pub compensation: MoneySums,
    /// Survey answers and the change of score after a recovery.
    pub surveys: SurveyTally,
    /// Closed cases by root-cause category.
    pub root_causes: BTreeMap<String, u64>,
}

impl Aggregate {
    /// Adds one case.
    pub fn record(&mut self, case: &CaseMetrics<'_>) {
        self.cases = self.cases.saturating_add(1);
        self.events = self.events.saturating_add(case.events);
        let outcome = match case.outcome {
            Outcome::Open => &mut self.open,
            Outcome::Closed => &mut self.closed,
            Outcome::Withdrawn => &mut self.withdrawn,
        };
        *outcome = outcome.saturating_add(1);
        if case.reopenings > 0 {
            self.reopened_cases = self.reopened_cases.saturating_add(1);
            self.reopenings = self.reopenings.saturating_add(u64::from(case.reopenings));
        }
        if case.spawned > 0 {
            self.spawning_cases = self.spawning_cases.saturating_add(1);
            self.spawned = self.spawned.saturating_add(u64::from(case.spawned));
        }
        for (milestone, durations) in Milestone::ALL.iter().zip(self.time_to.iter_mut()) {
            if let Some(span) = case.time_to(*milestone) {
                durations.record(span);
            }
        }
        if case.waits > 0 {
            self.waiting.record(case.waiting);
            self.waiting_cases = self.waiting_cases.saturating_add(1);
            self.waits = self.waits.saturating_add(u64::from(case.waits));
        }
        for (mine, theirs) in self.sla.iter_mut().zip(case.sla.iter()) {
            mine.merge(theirs);
        }
        self.commitments.merge(&case.commitments);
        self.approvals.merge(&case.approvals);
        for span in &case.approval_turnarounds {
            self.approval_turnaround.record(*span);
        }
        if case.goodwill_gestures > 0 {
            self.goodwill_cases = self.goodwill_cases.saturating_add(1);
            self.goodwill_gestures = self
                .goodwill_gestures
                .saturating_add(u64::from(case.goodwill_gestures));
            self.goodwill.merge(&case.goodwill);
        }
        if !case.compensation.is_empty() {
            self.compensated_cases = self.compensated_cases.saturating_add(1);
            self.compensation.merge(&case.compensation);
        }
        if let Some((first, last, answers)) = case.surveys {
            self.surveys.score(first);
            if answers > 1 {
                self.surveys.score(last);
                self.surveys.change(first, last);
            }
        }
        if let (Some(category), Outcome::Closed) = (case.root_cause, case.outcome) {
            match self.root_causes.get_mut(category) {
                Some(n) => *n = n.saturating_add(1),
                None => {
                    self.root_causes.insert(category.to_owned(), 1);
                }
            }
        }
    }

    /// Adds every case of `other`.
    pub fn merge(&mut self, other: &Aggregate) {
        let add = |a: &mut u64, b: u64| *a = a.saturating_add(b);
        add(&mut self.cases, other.cases);
        add(&mut self.events, other.events);
        add(&mut self.closed, other.closed);
        add(&mut self.withdrawn, other.withdrawn);
        add(&mut self.open, other.open);
        add(&mut self.reopened_cases, other.reopened_cases);
        add(&mut self.reopenings, other.reopenings);
        add(&mut self.spawning_cases, other.spawning_cases);
        add(&mut self.spawned, other.spawned);
        for (mine, theirs) in self.time_to.iter_mut().zip(other.time_to.iter()) {
            mine.merge(theirs);
        }
        self.waiting.merge(&other.waiting);
        add(&mut self.waiting_cases, other.waiting_cases);
        add(&mut self.waits, other.waits);
        for (mine, theirs) in self.sla.iter_mut().zip(other.sla.iter()) {
            mine.merge(theirs);
        }
        self.commitments.merge(&other.commitments);
        self.approvals.merge(&other.approvals);
        self.approval_turnaround.merge(&other.approval_turnaround);
        add(&mut self.goodwill_gestures, other.goodwill_gestures);
        add(&mut self.goodwill_cases, other.goodwill_cases);
        self.goodwill.merge(&other.goodwill);
        add(&mut self.compensated_cases, other.compensated_cases);
        self.compensation.merge(&other.compensation);
        self.surveys.merge(&other.surveys);
        for (category, n) in &other.root_causes {
            let mine = self.root_causes.entry(category.clone()).or_insert(0);
            *mine = mine.saturating_add(*n);
        }
    }

    /// The delays from opening to `milestone`, over the cases that reached it.
    pub fn time_to(&self, milestone: Milestone) -> &Durations {
        let [first_response, apology, first_offer, agreement, close] = &self.time_to;
        match milestone {
            Milestone::FirstResponse => first_response,
            Milestone::Apology => apology,
            Milestone::FirstOffer => first_offer,
            Milestone::Agreement => agreement,
            Milestone::Close => close,
        }
    }

    /// The outcomes of one response-target clock.
    pub fn clock(&self, clock: SlaClock) -> ClockTally {
        self.sla.get(sla_index(clock)).copied().unwrap_or_default()
    }

    /// Reopened cases ÷ cases; `None` without cases.
    pub fn reopen_rate(&self) -> Option<f64> {
        ratio(self.reopened_cases, self.cases)
    }

    /// Cases that spawned a recovery ÷ cases; `None` without cases.
    pub fn spawn_rate(&self) -> Option<f64> {
        ratio(self.spawning_cases, self.cases)
    }

    /// The root causes, most frequent first, with their cumulative shares.
    pub fn root_cause_pareto(&self) -> Pareto {
        Pareto::from_counts(self.root_causes.iter().map(|(c, n)| (c.as_str(), *n)))
    }
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    (whole > 0).then(|| part as f64 / whole as f64)
}
