//! What the agenda remembers of one case's response targets and survey: a few instants,
//! two accumulated durations, counters and bits, about 80 bytes.
//!
//! This is the part of [`sla`](crate::schedule::sla)'s bookkeeping that the agenda's
//! items need, folded from [`Happening`]s: which clocks still run, since when, how much
//! working time they have run, which thresholds are recorded. The start instants and
//! stop records that [`sla::clocks`](crate::schedule::sla::clocks) reports are not
//! kept, and recorded thresholds are one bit each, by position in the policy's list.

use super::happening::{Happening, What};
use super::items::Tag;
use super::order::{Key, Start};
use crate::schedule::sla::SlaClock;
use crate::schedule::survey;
use crate::schedule::{FollowUpPolicy, WorkingTime};
use chrono::{DateTime, TimeDelta, Utc};

const OPENED: u8 = 1;
const ENDED: u8 = 1 << 1;
const PAUSED: u8 = 1 << 2;
const SURVEYED: u8 = 1 << 3;
/// Bit `STOPPED << clock` says the clock stopped.
const STOPPED: u8 = 1 << 4;

/// Without an SLA entry of its own, a case has the policy's fallback targets.
const FALLBACK: u32 = u32::MAX;

/// The policy's warning thresholds, read once.
#[derive(Debug, Clone)]
pub(super) struct Thresholds {
    /// Ascending, within 1..=99.
    percents: Vec<u8>,
}

/// Up to this many warning thresholds, a clock's recorded thresholds fit in 16 bits
/// (the last one is the breach); more, and each case gets a box with a bit per percent.
const NARROW: usize = 15;

impl Thresholds {
    pub(super) fn new(policy: &FollowUpPolicy) -> Self {
        Self {
            percents: policy.warn_percents().collect(),
        }
    }

    fn wide(&self) -> bool {
        self.percents.len() > NARROW
    }

    /// The bit of a threshold in the narrow layout: `None` for a percent the policy does
    /// not warn at (recording it changes nothing the agenda schedules). A warning
    /// recorded at 100 % counts as the breach, as in the SLA module's bookkeeping.
    fn narrow_bit(&self, clock: SlaClock, percent: Option<u8>) -> Option<u32> {
        let position = match percent {
            None | Some(100) => NARROW,
            Some(p) => self.percents.iter().position(|q| *q == p)?,
        };
        u32::try_from(position)
            .ok()
            .map(|position| clock as u32 * 16 + position)
    }
}

/// The thresholds recorded in the current period of each clock.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Recorded {
    narrow: u64,
    /// Bit p of clock c: a p % warning recorded; bit 100: a breach. Only for policies
    /// with more than [`NARROW`] thresholds.
    wide: Option<Box<[u128; 4]>>,
}

const BREACH_BIT: u32 = 100;

impl Recorded {
    fn mark(&mut self, clock: SlaClock, percent: Option<u8>, thresholds: &Thresholds) {
        if thresholds.wide() {
            let bits = self.wide.get_or_insert_with(Default::default);
            let bit = percent.map_or(BREACH_BIT, u32::from);
            if let (Some(bits), Some(mask)) = (bits.get_mut(clock as usize), 1u128.checked_shl(bit))
            {
                *bits |= mask;
            }
        } else if let Some(bit) = thresholds.narrow_bit(clock, percent) {
            self.narrow |= 1u64.checked_shl(bit).unwrap_or(0);
        }
    }

    /// Whether warning `position` (`percent`), or the breach for `None`, is recorded.
    fn holds(&self, clock: SlaClock, threshold: Option<(usize, u8)>) -> bool {
        match &self.wide {
            Some(bits) => {
                let bit = threshold.map_or(BREACH_BIT, |(_, p)| u32::from(p));
                let bits = bits.get(clock as usize).copied().unwrap_or(0);
                1u128.checked_shl(bit).is_some_and(|mask| bits & mask != 0)
            }
            None => {
                let position = threshold.map_or(NARROW, |(position, _)| position);
                u32::try_from(position)
                    .ok()
                    .and_then(|position| 1u64.checked_shl(clock as u32 * 16 + position))
                    .is_some_and(|mask| self.narrow & mask != 0)
            }
        }
    }

    fn clear(&mut self, clock: SlaClock) {
        self.narrow &= !(0xffff_u64 << (clock as u32 * 16));
        if let Some(bits) = self
            .wide
            .as_deref_mut()
            .and_then(|b| b.get_mut(clock as usize))
        {
            *bits = 0;
        }
    }

    fn clear_all(&mut self) {
        self.narrow = 0;
        self.wide = None;
    }
}

/// One case's response-target clocks and survey, as the agenda needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Clocks {
    /// Working time run from the round's start to `since`.
    round_acc: TimeDelta,
    /// Working time run from the update period's start to `since`.
    update_acc: TimeDelta,
    /// Start of the current running (or paused) stretch.
    since: DateTime<Utc>,
    /// When the case closed, while it stays closed.
    closed_at: Option<DateTime<Utc>>,
    recorded: Recorded,
    /// Rounds of recovery, from 1.
    pub(super) round: u32,
    /// Update periods, counted over the whole case.
    pub(super) period: u32,
    /// Index of the policy's SLA entry, or [`FALLBACK`].
    targets: u32,
    flags: u8,
}

impl Default for Clocks {
    fn default() -> Self {
        Self {
            round_acc: TimeDelta::zero(),
            update_acc: TimeDelta::zero(),
            since: DateTime::<Utc>::default(),
            closed_at: None,
            recorded: Recorded::default(),
            round: 0,
            period: 0,
            targets: FALLBACK,
            flags: 0,
        }
    }
}

impl Clocks {
    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    fn set(&mut self, flag: u8, on: bool) {
        if on {
            self.flags |= flag;
        } else {
            self.flags &= !flag;
        }
    }

    fn stopped(&self, clock: SlaClock) -> bool {
        self.has(STOPPED << clock as u8)
    }

    fn stop(&mut self, clock: SlaClock) {
        self.set(STOPPED << clock as u8, true);
    }

    fn is_open(&self) -> bool {
        self.has(OPENED) && !self.has(ENDED)
    }

    /// Folds one event in, as [`SlaTracker`](crate::schedule::sla) does, plus the
    /// survey's instants.
    pub(super) fn observe(
        &mut self,
        happening: &Happening<'_>,
        policy: &FollowUpPolicy,
        thresholds: &Thresholds,
    ) {
        let at = happening.at;
        match happening.what {
            What::Opened { targets } => {
                self.targets = targets
                    .and_then(|i| u32::try_from(i).ok())
                    .unwrap_or(FALLBACK);
                self.set(OPENED, true);
                self.round = 1;
                self.start_round(at);
            }
            What::Reopened => {
                self.round = self.round.saturating_add(1);
                self.start_round(at);
            }
            _ if !self.is_open() => {}
            What::Awaiting => {
                self.advance(at, policy);
                self.set(PAUSED, true);
            }
            What::Resumed if self.has(PAUSED) => {
                self.set(PAUSED, false);
                self.since = at;
            }
            What::Warned { clock, percent } => self.recorded.mark(clock, Some(percent), thresholds),
            What::Breached { clock } => self.recorded.mark(clock, None, thresholds),
            What::Closed | What::Withdrawn => {
                for clock in SlaClock::ALL {
                    self.stop(clock);
                }
                self.set(ENDED, true);
            }
            What::Resumed
            | What::Apologized
            | What::Promised { .. }
            | What::Settled { .. }
            | What::Surveyed
            | What::Other
                if happening.speaks =>
            {
                self.advance(at, policy);
                self.stop(SlaClock::FirstResponse);
                if happening.what == What::Apologized {
                    self.stop(SlaClock::Apology);
                }
                self.update_acc = TimeDelta::zero();
                self.period = self.period.saturating_add(1);
                self.recorded.clear(SlaClock::Update);
            }
            What::Resumed
            | What::Apologized
            | What::Promised { .. }
            | What::Settled { .. }
            | What::Surveyed
            | What::Other => {}
        }
        match happening.what {
            What::Closed => {
                self.closed_at = Some(at);
                self.set(SURVEYED, false);
            }
            What::Reopened | What::Withdrawn => {
                self.closed_at = None;
                self.set(SURVEYED, false);
            }
            What::Surveyed => self.set(SURVEYED, true),
            What::Opened { .. }
            | What::Awaiting
            | What::Resumed
            | What::Warned { .. }
            | What::Breached { .. }
            | What::Apologized
            | What::Promised { .. }
            | What::Settled { .. }
            | What::Other => {}
        }
    }

    fn start_round(&mut self, at: DateTime<Utc>) {
        self.since = at;
        self.set(PAUSED, false);
        self.set(ENDED, false);
        self.round_acc = TimeDelta::zero();
        self.update_acc = TimeDelta::zero();
        for clock in SlaClock::ALL {
            self.set(STOPPED << clock as u8, false);
        }
        self.recorded.clear_all();
        self.period = self.period.saturating_add(1);
    }

    /// Moves `since` to `at`, counting the working time run in between.
    fn advance(&mut self, at: DateTime<Utc>, policy: &FollowUpPolicy) {
        if self.has(PAUSED) || at <= self.since {
            return;
        }
        let run = policy.working_time.between(self.since, at);
        self.round_acc = self.round_acc.checked_add(&run).unwrap_or(TimeDelta::MAX);
        self.update_acc = self.update_acc.checked_add(&run).unwrap_or(TimeDelta::MAX);
        self.since = at;
    }

    fn acc(&self, clock: SlaClock) -> TimeDelta {
        match clock {
            SlaClock::Update => self.update_acc,
            SlaClock::FirstResponse | SlaClock::Apology | SlaClock::Resolution => self.round_acc,
        }
    }

    /// When a running clock's elapsed time reaches `amount`, as a key with sequence 0:
    /// `since` if it already has, `None` if the clock is paused short of it. Around the
    /// clock, the instant is `since` plus the time left, computed on the packed key.
    fn due_of(
        &self,
        clock: SlaClock,
        amount: TimeDelta,
        since: Start,
        policy: &FollowUpPolicy,
    ) -> Option<Key> {
        let acc = self.acc(clock);
        let left = if amount <= acc {
            TimeDelta::zero()
        } else if self.has(PAUSED) {
            return None;
        } else {
            amount.checked_sub(&acc)?
        };
        match &policy.working_time {
            WorkingTime::AroundTheClock => Key::after(since, left),
            WorkingTime::Calendar(_) if left.is_zero() => Key::new(self.since, 0),
            WorkingTime::Calendar(_) => {
                Key::new(policy.working_time.add(self.since, left).ok()?, 0)
            }
        }
    }

    /// Appends the SLA items and the survey this case calls for now, in the order they
    /// are scheduled: clock by clock, warnings ascending then the breach; the survey
    /// last.
    pub(super) fn desired(
        &self,
        policy: &FollowUpPolicy,
        thresholds: &Thresholds,
        out: &mut Vec<(Tag, Key)>,
    ) {
        if self.is_open() {
            let since = Start::of(self.since);
            let index = (self.targets != FALLBACK).then_some(self.targets as usize);
            let targets = policy.targets(index);
            for clock in SlaClock::ALL {
                let Some(target) = targets.get(clock).filter(|_| !self.stopped(clock)) else {
                    continue;
                };
                for (position, percent) in thresholds.percents.iter().copied().enumerate() {
                    if self.recorded.holds(clock, Some((position, percent))) {
                        continue;
                    }
                    if let Some(due) = self.due_of(clock, share(target, percent), since, policy) {
                        out.push((Tag::warning(clock, percent), due));
                    }
                }
                if !self.recorded.holds(clock, None) {
                    if let Some(due) = self.due_of(clock, target, since, policy) {
                        out.push((Tag::breach(clock), due));
                    }
                }
            }
        }
        if let (Some(closed_at), false) = (self.closed_at, self.has(SURVEYED)) {
            if let Some(due) = survey::due(closed_at, policy).and_then(|d| Key::new(d, 0)) {
                out.push((Tag::SURVEY, due));
            }
        }
    }
}

/// `percent` % of `d`, rounded towards zero: the same as the SLA module's, in 64-bit
/// arithmetic when it fits (it does for any target under 2.9 years).
fn share(d: TimeDelta, percent: u8) -> TimeDelta {
    let exact = d
        .num_nanoseconds()
        .and_then(|n| n.checked_mul(i64::from(percent)))
        .map(|n| n / 100);
    match exact {
        Some(n) => TimeDelta::nanoseconds(n),
        None => crate::schedule::working_time::percent_of(d, percent),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_agree_with_the_sla_module_s() {
        let deltas = [
            TimeDelta::zero(),
            TimeDelta::nanoseconds(1),
            TimeDelta::nanoseconds(-7),
            TimeDelta::seconds(-86_401),
            TimeDelta::hours(24),
            TimeDelta::seconds(1) + TimeDelta::nanoseconds(333),
            TimeDelta::days(365 * 3),
            TimeDelta::days(365 * 1000),
            TimeDelta::MAX,
            TimeDelta::MIN,
        ];
        for d in deltas {
            for p in [1, 33, 50, 75, 99] {
                assert_eq!(
                    share(d, p),
                    crate::schedule::working_time::percent_of(d, p),
                    "{p} % of {d}"
                );
            }
        }
    }

    #[test]
    fn recorded_thresholds_are_a_bit_each_by_position() {
        let narrow = Thresholds {
            percents: vec![50, 75],
        };
        let mut recorded = Recorded::default();
        recorded.mark(SlaClock::Update, Some(75), &narrow);
        recorded.mark(SlaClock::Apology, None, &narrow);
        recorded.mark(SlaClock::Apology, Some(10), &narrow);
        recorded.mark(SlaClock::Resolution, Some(100), &narrow);
        assert!(recorded.holds(SlaClock::Resolution, None));
        recorded.clear(SlaClock::Resolution);
        assert!(recorded.holds(SlaClock::Update, Some((1, 75))));
        assert!(!recorded.holds(SlaClock::Update, Some((0, 50))));
        assert!(recorded.holds(SlaClock::Apology, None));
        assert!(!recorded.holds(SlaClock::Resolution, None));
        assert_eq!(recorded.narrow, (1 << (2 * 16 + 1)) | (1 << (16 + 15)));
        recorded.clear(SlaClock::Update);
        assert!(!recorded.holds(SlaClock::Update, Some((1, 75))));
        assert!(recorded.holds(SlaClock::Apology, None));

        let wide = Thresholds {
            percents: (1..=16).collect(),
        };
        let mut recorded = Recorded::default();
        recorded.mark(SlaClock::Resolution, Some(16), &wide);
        recorded.mark(SlaClock::FirstResponse, None, &wide);
        assert_eq!(recorded.narrow, 0);
        assert!(recorded.holds(SlaClock::Resolution, Some((15, 16))));
        assert!(!recorded.holds(SlaClock::Resolution, Some((14, 15))));
        assert!(recorded.holds(SlaClock::FirstResponse, None));
        recorded.clear(SlaClock::Resolution);
        assert!(!recorded.holds(SlaClock::Resolution, Some((15, 16))));
        recorded.clear_all();
        assert_eq!(recorded, Recorded::default());
    }
}
