//! Business time counted backwards: the mirror of `Compiled::add`, with the same index
//! and the same skipping of regular weeks, so its cost does not grow with the span.

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeDelta, Utc};

use super::{Compiled, DAY_SECS, cycle, index, midnight_timestamp, nanos};

impl Compiled {
    /// The latest instant `s` with `remaining` (> 0) of working time between `s` and
    /// `end`; it lies in `[window start, window end)` of some window.
    pub(super) fn subtract(
        &self,
        end: DateTime<Utc>,
        mut remaining: i128,
    ) -> Option<DateTime<Utc>> {
        let last = self.local_date(end);
        // Days up to this one own only intervals that close by `end`: they can be
        // counted whole.
        let skip_to = last.checked_sub_days(Days::new(2));
        let mut date = self.last_day_opening_before(end);
        let mut indexed = false;
        let mut per_cycle = cycle::PerCycle::default();
        let mut buf = Vec::new();
        loop {
            if skip_to.is_some_and(|to| date <= to) {
                if !indexed && (index::FIRST..index::END).contains(&date) {
                    // Jump straight to the day that holds the answer, or to the day
                    // before the index when the answer lies before it.
                    indexed = true;
                    let index = self.index();
                    let through = index.cumulative(self, date.succ_opt()?, index::Measure::Time);
                    let target = through - remaining;
                    if target < 0 {
                        remaining = -target;
                        date = index::FIRST.pred_opt()?;
                        continue;
                    }
                    // The day whose own time holds position `target` with working time
                    // right after it.
                    let day = index.date_reaching(self, target + 1, index::Measure::Time)?;
                    remaining =
                        index.cumulative(self, day.succ_opt()?, index::Measure::Time) - target;
                    date = day;
                    continue;
                }
                // The cycle of days that ends with `date`.
                let first = date.checked_sub_days(Days::new(cycle::DAYS - 1));
                if let Some(first) = first.filter(|&first| {
                    self.spans_cycles(remaining, index::Measure::Time) && self.clean_cycle(first)
                }) {
                    let cycle = per_cycle.measure(self, first, index::Measure::Time)?;
                    if remaining > cycle {
                        date = first.pred_opt()?;
                        remaining -= cycle;
                        continue;
                    }
                }
                // Leave at least a nanosecond so the answer is found in a real window.
                let weeks =
                    ((remaining - 1) / self.week_nanos).min(self.regular_weeks_before(date));
                if weeks > 0 {
                    let days = u64::try_from(weeks.checked_mul(7)?).ok()?;
                    date = date.checked_sub_days(Days::new(days))?;
                    remaining -= weeks * self.week_nanos;
                    continue;
                }
            }
            buf.clear();
            self.day_intervals(date, &mut buf);
            for &(open, close) in buf.iter().rev() {
                let close = close.min(end);
                if close <= open {
                    continue;
                }
                let length = nanos(close - open);
                if remaining <= length {
                    let step = TimeDelta::nanoseconds(i64::try_from(remaining).ok()?);
                    return close.checked_sub_signed(step);
                }
                remaining -= length;
            }
            date = date.pred_opt()?;
        }
    }

    /// The last date that can own a window opening before `at`: `at`'s local date when
    /// the offset is steady around it, otherwise two days later, since a fall-back
    /// across midnight can open the next day's windows before `at`.
    pub(super) fn last_day_opening_before(&self, at: DateTime<Utc>) -> NaiveDate {
        let date = self.local_date(at);
        if self.offset_is_steady(date) {
            return date;
        }
        date.checked_add_days(Days::new(2)).unwrap_or(date)
    }

    /// The last date at or before `date` that is not an ordinary template day with a
    /// steady offset; `None` if every day up to `date` is ordinary.
    pub(super) fn previous_irregular(&self, date: NaiveDate) -> Option<NaiveDate> {
        let mut last: Option<NaiveDate> = None;
        let mut consider = |candidate: NaiveDate| {
            let candidate = candidate.min(date);
            if last.is_none_or(|l| candidate > l) {
                last = Some(candidate);
            }
        };
        // A transition at `t` unsettles the days whose range [midnight - 2 days,
        // midnight + 4 days) holds it (see `offset_is_steady`): at most the third day
        // after `t`'s UTC date.
        let horizon = midnight_timestamp(date) + 4 * DAY_SECS;
        let count = self.transitions.partition_point(|&t| t < horizon);
        if let Some(&t) = count.checked_sub(1).and_then(|i| self.transitions.get(i)) {
            if let Some(day) = DateTime::from_timestamp(t, 0)
                .map(|d| d.date_naive())
                .and_then(|d| d.checked_add_days(Days::new(3)))
            {
                consider(day);
            }
        }
        let count = self.holidays.partition_point(|&h| h <= date);
        if let Some(&holiday) = count.checked_sub(1).and_then(|i| self.holidays.get(i)) {
            consider(holiday);
        }
        let count = self.closures.partition_point(|(c, _)| *c <= date);
        if let Some((closure, _)) = count.checked_sub(1).and_then(|i| self.closures.get(i)) {
            consider(*closure);
        }
        for &(month, day) in &self.yearly {
            // February 29 can be eight years back (2104 → 2096).
            if let Some(previous) = (date.year().saturating_sub(8)..=date.year())
                .rev()
                .filter_map(|year| NaiveDate::from_ymd_opt(year, month, day))
                .find(|d| *d <= date)
            {
                consider(previous);
            }
        }
        last
    }

    /// How many whole weeks ending with `date` (included) consist only of regular days.
    pub(super) fn regular_weeks_before(&self, date: NaiveDate) -> i128 {
        self.previous_irregular(date)
            .map_or(i128::MAX, |irregular| {
                i128::from((date - irregular).num_days().max(0) / 7)
            })
    }
}
