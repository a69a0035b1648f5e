//! Cumulative business time over 1970–2100, so that long spans cost a binary search.
//!
//! Between two exceptional days (a holiday, a closure, a day near a DST transition)
//! every day works its weekday's template, so the business time of a stretch of regular
//! days is arithmetic. The index lists the exceptional days in order, each with its own
//! working time and the business time accumulated from [`FIRST`] to its start. The
//! business time from `FIRST` to any date is then one binary search plus arithmetic.
//! Working days (days that own working time) are accumulated the same way, beside it.

use chrono::{DateTime, Datelike, Days, NaiveDate};

use super::{Compiled, DAY_SECS};

/// First date covered.
pub(super) const FIRST: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(date) => date,
    None => NaiveDate::MIN,
};
/// First date no longer covered.
pub(super) const END: NaiveDate = match NaiveDate::from_ymd_opt(2101, 1, 1) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

/// What the index accumulates: working time, or working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Measure {
    /// Working time, in nanoseconds.
    Time,
    /// Working days: days that own some working time.
    Days,
}

impl Measure {
    fn slot(self) -> usize {
        match self {
            Measure::Time => 0,
            Measure::Days => 1,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Exceptional {
    date: NaiveDate,
    /// Each measure accumulated from `FIRST` to the start of `date`.
    before: [i128; 2],
    /// Each measure of `date` itself.
    owned: [i128; 2],
}

impl Exceptional {
    fn before(&self, measure: Measure) -> i128 {
        self.before.get(measure.slot()).copied().unwrap_or(0)
    }

    fn owned(&self, measure: Measure) -> i128 {
        self.owned.get(measure.slot()).copied().unwrap_or(0)
    }

    fn through(&self, measure: Measure) -> i128 {
        self.before(measure) + self.owned(measure)
    }
}

#[derive(Debug, Clone, Default)]
pub(super) struct Index {
    days: Vec<Exceptional>,
}

impl Index {
    pub(super) fn build(calendar: &Compiled) -> Self {
        let mut dates: Vec<NaiveDate> = Vec::new();
        dates.extend(calendar.holidays.iter().copied());
        dates.extend(calendar.closures.iter().map(|(date, _)| *date));
        for year in FIRST.year()..END.year() {
            dates.extend(
                calendar
                    .yearly
                    .iter()
                    .filter_map(|&(month, day)| NaiveDate::from_ymd_opt(year, month, day)),
            );
        }
        let margin = 6 * DAY_SECS;
        let (low, high) = (
            super::midnight_timestamp(FIRST) - margin,
            super::midnight_timestamp(END) + margin,
        );
        for &t in calendar
            .transitions
            .iter()
            .filter(|&&t| low <= t && t < high)
        {
            let Some(day) = DateTime::from_timestamp(t, 0).map(|d| d.date_naive()) else {
                continue;
            };
            dates.extend(
                day.iter_days()
                    .take(8)
                    .filter_map(|d| d.checked_sub_days(Days::new(5)))
                    .filter(|&d| !calendar.offset_is_steady(d)),
            );
        }
        dates.retain(|d| (FIRST..END).contains(d));
        dates.sort_unstable();
        dates.dedup();

        let mut days = Vec::with_capacity(dates.len());
        let (mut time, mut working_days) = (0, 0);
        let mut next_regular = FIRST;
        let mut buf = Vec::new();
        for date in dates {
            time += calendar.regular_sum(next_regular, date, Measure::Time);
            working_days += calendar.regular_sum(next_regular, date, Measure::Days);
            buf.clear();
            calendar.day_intervals(date, &mut buf);
            let owned: i128 = buf
                .iter()
                .map(|&(open, close)| super::nanos(close - open))
                .sum();
            let works = i128::from(owned > 0);
            days.push(Exceptional {
                date,
                before: [time, working_days],
                owned: [owned, works],
            });
            time += owned;
            working_days += works;
            next_regular = date.succ_opt().unwrap_or(date);
        }
        Self { days }
    }

    /// `measure` from `FIRST` to the start of `date`, for `FIRST <= date <= END`.
    pub(super) fn cumulative(
        &self,
        calendar: &Compiled,
        date: NaiveDate,
        measure: Measure,
    ) -> i128 {
        let count = self.days.partition_point(|e| e.date < date);
        match count.checked_sub(1).and_then(|i| self.days.get(i)) {
            None => calendar.regular_sum(FIRST, date, measure),
            Some(last) => {
                let after = last.date.succ_opt().unwrap_or(last.date);
                last.through(measure) + calendar.regular_sum(after, date, measure)
            }
        }
    }

    /// The date whose own share of `measure` holds the point at which `measure` from
    /// `FIRST` reaches `target` (> 0): the first date `X` with
    /// `cumulative(X + 1) >= target`. `None` if that date is not before `END`.
    pub(super) fn date_reaching(
        &self,
        calendar: &Compiled,
        target: i128,
        measure: Measure,
    ) -> Option<NaiveDate> {
        let count = self.days.partition_point(|e| e.before(measure) < target);
        let (from, mut left) = match count.checked_sub(1).and_then(|i| self.days.get(i)) {
            None => (FIRST, target),
            Some(last) if last.through(measure) >= target => return Some(last.date),
            Some(last) => (last.date.succ_opt()?, target - last.through(measure)),
        };
        // A stretch of regular days starts at `from`; `left` > 0 of it is needed.
        let week = calendar.week_measure(measure);
        let weeks = (left - 1) / week;
        left -= weeks * week;
        let mut date =
            from.checked_add_days(Days::new(u64::try_from(weeks.checked_mul(7)?).ok()?))?;
        for _ in 0..7 {
            let today = calendar.template_measure(date, measure);
            if left <= today {
                break;
            }
            left -= today;
            date = date.succ_opt()?;
        }
        (date < END).then_some(date)
    }
}
