//! Numbers from histories: response times, target attainment, waits, promises,
//! reopenings, approvals, compensation, surveys and root causes, measured over case
//! histories under any business calendar and response targets.
//!
//! Metrics are pure functions of histories, so they can be computed per shard, per day
//! or per machine and merged later with the same result ([`Aggregate::merge`],
//! [`Report::merge`]), and replayed on a team's past tickets under another calendar
//! or other targets: a **backtest** ("what would our breach rate have been?"). The
//! [`import`](crate::import) module turns a process-mining ticket log into histories
//! to backtest.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use service_recovery::prelude::*;
//! use service_recovery::metrics::{GroupBy, MetricsConfig, Milestone, Report};
//! use service_recovery::schedule::sla::SlaClock;
//!
//! let dana = Actor::builder().id("a-7").name("Dana").build();
//! let policy = Policy::default(); // around the clock; normal priority: first response in 24 h
//! let at = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
//! let open = service_recovery::testing::open_case();
//! let mut case = Case::replay(decide(None, &open, &dana, at, &policy)?).unwrap();
//! let thank = Command::Thank(Thank { words: "Thank you for telling us, Ms Okafor.".into() });
//! for event in decide(Some(&case), &thank, &dana, at + TimeDelta::hours(30), &policy)? {
//!     case.apply(event).unwrap();
//! }
//!
//! let config = MetricsConfig::builder().follow_up(policy.follow_up.clone()).build();
//! let report = Report::measure([case.history()], &config, GroupBy::Overall);
//! let all = report.total();
//! assert_eq!(all.cases, 1);
//! assert_eq!(all.time_to(Milestone::FirstResponse).calendar.mean(), Some(TimeDelta::hours(30)));
//! assert_eq!(all.clock(SlaClock::FirstResponse).late, 1); // 30 h > 24 h
//! # Ok::<(), Rejection>(())
//! ```
//!
//! # Definitions
//!
//! Every metric is derived from the events of a history alone. A history must start
//! with its opening ([`CaseMetrics::of`] refuses anything else). *Calendar time* is
//! elapsed real time; *business time* is the working time of the config's
//! [`WorkingTime`](crate::schedule::WorkingTime) (a [`BusinessCalendar`] or around the
//! clock) between the same two instants. A negative span (a clock that went backwards
//! in imported data) counts as zero.
//!
//! **Per case** ([`CaseMetrics`]):
//!
//! - **Time to first response**: from the opening to the first customer-facing event
//!   ([`is_customer_facing`]: thanks, apology, question, explanation, offer, agreed
//!   action, goodwill, final thanks, a promise made or kept). **Time to apology**: to
//!   the first `apologized`. **Time to first offer**: to the first `option_offered`.
//!   **Time to agreement**: to the first `action_agreed`. **Time to close**: to the
//!   first `closed` (a reopened case keeps its first closing; a withdrawn case has no
//!   close). Each in calendar and in business time; waits are *not* subtracted (the
//!   response-target clocks below subtract them). A milestone never reached has no
//!   value and is left out of the distributions, not counted as zero.
//! - **Response-target attainment**: the clocks of [`schedule::sla`] follow the
//!   history under the config's targets by the same rules as a live case's (business
//!   time, paused while waiting, restarted by a reopening; a property test checks the
//!   outcomes against [`sla::clocks`](crate::schedule::sla::clocks)). Each round yields one
//!   [`ClockOutcome`] per tracked clock among first response, apology and
//!   resolution: *met* (stopped by its condition within the target), *late* (after
//!   it), *ended* (the case closed or was withdrawn first), and for a clock still
//!   running at the end, *overdue* (already past its target) or *pending* (not yet).
//!   The update clock yields one outcome per period: each customer-facing event ends a
//!   period, met if the silence before it was within the target, late otherwise; the
//!   period cut short by the end of the case counts only if already late (or, if the
//!   case is still open, as overdue or pending). A round that is still open is judged
//!   at the config's `as_of`, or at the case's last event. **Attainment** is
//!   met ÷ (met + late + overdue) ([`ClockTally::attainment`]).
//! - **Waiting time**: the sum of the spans from `awaiting_customer` or
//!   `awaiting_third_party` to the next `resumed`, `closed`, `withdrawn` or `reopened`
//!   (a wait still open at the end runs to `as_of` or the last event); a second
//!   awaiting event during a wait does not start another. **Waits**: how many started.
//! - **Promises**: `commitment_made` counts as made; `commitment_kept` as kept early, on
//!   time or late (the [`Punctuality`](crate::schedule::commitment::Punctuality)
//!   recorded); `commitment_broken` as broken; `commitment_cancelled` as cancelled.
//! - **Reopenings** and **spawned recoveries**: the `reopened` and `recovery_spawned`
//!   events.
//! - **Approval turnaround**: from an `approval_requested` to its decision: the grant
//!   that completes its last level (as many grants as that level's approvers), or its
//!   denial. Withdrawn and voided requests are counted but have no turnaround; a
//!   request needing no approval is granted at once (turnaround zero); a new request
//!   for the same option replaces a pending one.
//! - **Goodwill**: the `goodwill_given` gestures and the sum of their stated values.
//!   **Compensation**: the amounts of the options accepted (`offer_accepted`, with the
//!   option's terms as last proposed or revised) plus goodwill values, summed per
//!   currency in integer minor units.
//! - **Survey**: the first and the last `survey_recorded` score, and how many.
//! - **Root cause**: the category of the last `closed`, if the case ends closed.
//! - **Group keys**: the channel kind and the priority at opening, the owner at the
//!   end (after any `reassigned`), and the ISO week and the month of the opening in the
//!   calendar's time zone (UTC around the clock).
//!
//! **Over many cases** ([`Aggregate`]), all counts exact:
//!
//! - **Cases**, **events**, and cases **closed**, **withdrawn** or still **open** at the
//!   end of their history.
//! - **Reopen rate**: cases reopened at least once ÷ cases. **Spawn rate**: cases that
//!   spawned at least one recovery ÷ cases. The totals of reopenings and spawns too.
//! - **Time to each milestone**, **waiting time** (over the cases that waited) and
//!   **approval turnaround** (over decided requests): a [`Distribution`] each, in
//!   calendar and business time, with the exact count, sum, mean, minimum and maximum,
//!   and percentiles within ±1 % (see [`Distribution`] for the DDSketch bound).
//! - **Response targets**: a [`ClockTally`] per clock, the per-case outcomes summed.
//! - **Promises** ([`CommitmentTally`]) and **approvals** ([`ApprovalTally`]) summed.
//! - **Goodwill**: gestures, cases with a gesture, values per currency.
//!   **Compensation**: cases compensated, amounts per currency; the mean per case is
//!   the sum divided by the cases.
//! - **Survey scores** ([`SurveyTally`]): each case's first answer, and for a case
//!   answered again after a recovery its last answer too, counted by score; the
//!   **change after a recovery** is last minus first over those cases (mean, and how
//!   many improved, stayed, worsened).
//! - **Root-cause Pareto** ([`Pareto`]): closed cases by root-cause category, most
//!   frequent first, with cumulative shares.
//!
//! A [`Report`] keeps one aggregate per group ([`GroupBy`]: overall, channel,
//! priority, owner, ISO week or month).
//!
//! # Cost
//!
//! One pass over each history; the metrics borrow from the history, so a case costs at
//! most a few small allocations (an offer's terms, money in a second currency). Every
//! instant is turned once into integer nanoseconds and the working time run up to it,
//! so each span is a subtraction. Under a business calendar, [`Report::measure`] lists
//! the calendar's working windows once over the stretch of time its cases cover and
//! shares them between cases (an instant is a search in that list); the result is
//! exactly the calendar's business time (working time is additive; a unit test checks
//! every span against [`business_time_between`]). An instant inside a
//! leap second counts as the second after it. `benches/metrics.rs` measures both
//! beside a replay of the same histories.
//!
//! [`BusinessCalendar`]: crate::schedule::BusinessCalendar
//! [`business_time_between`]: crate::schedule::BusinessCalendar::business_time_between
//! [`is_customer_facing`]: crate::schedule::sla::is_customer_facing
//! [`schedule::sla`]: crate::schedule::sla

mod aggregate;
mod case_metrics;
mod clocks;
mod distribution;
mod pareto;
mod report;
mod ruler;
mod tally;

pub use aggregate::{Aggregate, Durations};
pub use case_metrics::{CaseMetrics, Elapsed, MetricsConfig, Milestone, Outcome};
pub use distribution::{Distribution, RELATIVE_ACCURACY};
pub use pareto::{Pareto, ParetoEntry};
pub use report::{GroupBy, GroupKey, MetricsError, Report};
pub use tally::{ApprovalTally, ClockOutcome, ClockTally, CommitmentTally, MoneySums, SurveyTally};
