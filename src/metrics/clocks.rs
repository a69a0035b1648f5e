//! The response-target clocks of [`schedule::sla`](crate::schedule::sla), followed
//! event by event and judged as each period or round ends.
//!
//! The rules are exactly those of `schedule::sla` (a differential test in
//! `tests/metrics.rs` compares the outcomes with [`sla::clocks`]); they are followed
//! here rather than by asking `sla::clocks` for every clock's full state at every
//! customer-facing event, which would cost a state per clock per event.
//!
//! [`sla::clocks`]: crate::schedule::sla::clocks

use super::ruler::Stamp;
use super::tally::{ClockOutcome, ClockTally};
use crate::case::EventKind;
use crate::schedule::sla::{SlaClock, SlaTargets, is_customer_facing};
use chrono::TimeDelta;

/// How a round clock stopped: its elapsed working time in nanoseconds, and whether
/// its own condition stopped it (rather than the end of the case).
#[derive(Debug, Clone, Copy)]
struct Stop {
    elapsed: i128,
    by_condition: bool,
}

/// The targets in nanoseconds, so that the clocks compare integers.
#[derive(Debug, Clone, Copy)]
struct Targets {
    first_response: Option<i128>,
    apology: Option<i128>,
    update: Option<i128>,
    resolution: Option<i128>,
}

fn nanos(target: Option<TimeDelta>) -> Option<i128> {
    target.map(|d| i128::from(d.num_seconds()) * 1_000_000_000 + i128::from(d.subsec_nanos()))
}

/// The clocks of one case; all working times in nanoseconds.
#[derive(Debug)]
pub(super) struct Clocks {
    targets: Targets,
    /// The current round is open (opened or reopened, not yet closed or withdrawn).
    open: bool,
    paused: bool,
    /// Start of the current running (or paused) stretch.
    since: Stamp,
    /// Working time of the round up to `since`, waits excluded.
    round: i128,
    /// Working time of the update period up to `since`, waits excluded.
    period: i128,
    /// First response, apology and resolution, once stopped.
    stops: [Option<Stop>; 3],
    /// Outcomes in [`SlaClock::ALL`] order.
    pub(super) tallies: [ClockTally; 4],
}

impl Clocks {
    pub(super) fn new(targets: &SlaTargets, opening: Stamp) -> Self {
        Self {
            targets: Targets {
                first_response: nanos(targets.first_response),
                apology: nanos(targets.apology),
                update: nanos(targets.update),
                resolution: nanos(targets.resolution),
            },
            open: false,
            paused: false,
            since: opening,
            round: 0,
            period: 0,
            stops: [None; 3],
            tallies: [ClockTally::default(); 4],
        }
    }

    /// Follows one event, of kind `kind` at `at`.
    pub(super) fn observe(&mut self, kind: &EventKind, at: Stamp) {
        use EventKind::*;
        if matches!(kind, Opened(_) | Reopened { .. }) {
            if self.open || self.stops.iter().any(Option::is_some) {
                self.judge(at);
            }
            self.open = true;
            self.paused = false;
            self.since = at;
            self.round = 0;
            self.period = 0;
            self.stops = [None; 3];
            return;
        }
        if !self.open {
            return;
        }
        if matches!(kind, AwaitingCustomer { .. } | AwaitingThirdParty { .. }) {
            self.advance(at);
            self.paused = true;
        } else if matches!(kind, Resumed {}) {
            if self.paused {
                self.paused = false;
                self.since = at;
            }
        } else if matches!(kind, Closed { .. } | Withdrawn { .. }) {
            self.advance(at);
            self.stop(0, false);
            self.stop(1, false);
            self.stop(2, true);
            // The update period cut short by the end counts only if already late.
            if let Some(target) = self.targets.update {
                if self.period > target {
                    self.record(SlaClock::Update, ClockOutcome::Late);
                }
            }
            self.open = false;
        } else if is_customer_facing(kind) {
            self.advance(at);
            self.stop(0, true);
            if matches!(kind, Apologized { .. }) {
                self.stop(1, true);
            }
            if let Some(target) = self.targets.update {
                let outcome = if self.period <= target {
                    ClockOutcome::Met
                } else {
                    ClockOutcome::Late
                };
                self.record(SlaClock::Update, outcome);
            }
            self.period = 0;
        }
    }

    /// Judges the round still being followed, at `at` (the end of the history or the
    /// measuring instant).
    pub(super) fn finish(&mut self, at: Stamp) {
        self.judge(at);
    }

    fn judge(&mut self, at: Stamp) {
        let running = if self.open && !self.paused {
            self.since.business_until(at)
        } else {
            0
        };
        let clocks = [
            (SlaClock::FirstResponse, self.targets.first_response),
            (SlaClock::Apology, self.targets.apology),
            (SlaClock::Resolution, self.targets.resolution),
        ];
        for (i, (clock, target)) in clocks.into_iter().enumerate() {
            let Some(target) = target else { continue };
            let outcome = match self.stops.get(i).copied().flatten() {
                Some(Stop {
                    elapsed,
                    by_condition: true,
                }) if elapsed <= target => ClockOutcome::Met,
                Some(Stop {
                    by_condition: true, ..
                }) => ClockOutcome::Late,
                Some(Stop {
                    by_condition: false,
                    ..
                }) => ClockOutcome::Ended,
                None if self.round + running > target => ClockOutcome::Overdue,
                None => ClockOutcome::Pending,
            };
            self.record(clock, outcome);
        }
        if let (Some(target), true) = (self.targets.update, self.open) {
            let outcome = if self.period + running > target {
                ClockOutcome::Overdue
            } else {
                ClockOutcome::Pending
            };
            self.record(SlaClock::Update, outcome);
        }
        // Judged once: a reopening starts afresh.
        self.open = false;
        self.stops = [None; 3];
    }

    /// Counts the working time run up to `at` into the round and the period.
    fn advance(&mut self, at: Stamp) {
        if self.paused || at.wall <= self.since.wall {
            return;
        }
        let run = self.since.business_until(at);
        self.round = self.round.saturating_add(run);
        self.period = self.period.saturating_add(run);
        self.since = at;
    }

    /// Stops round clock `i` (first response, apology, resolution) if still running.
    fn stop(&mut self, i: usize, by_condition: bool) {
        if let Some(slot @ None) = self.stops.get_mut(i) {
            *slot = Some(Stop {
                elapsed: self.round,
                by_condition,
            });
        }
    }

    fn record(&mut self, clock: SlaClock, outcome: ClockOutcome) {
        let i = match clock {
            SlaClock::FirstResponse => 0,
            SlaClock::Apology => 1,
            SlaClock::Update => 2,
            SlaClock::Resolution => 3,
        };
        if let Some(tally) = self.tallies.get_mut(i) {
            tally.record(outcome);
        }
    }
}
