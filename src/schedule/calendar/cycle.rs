//! The 400-year Gregorian cycle, so that walks far outside the index stay quick.
//!
//! 400 Gregorian years are 146,097 days, exactly 20,871 weeks: after them both the
//! weekday and the month and day of every date repeat. Outside the index (1970–2100) the
//! walks skip regular weeks, but yearly holidays make every year irregular, so a span of
//! thousands of years still costs a few steps a year (the calendar fuzz target found the
//! working time since chrono's earliest date taking seconds). A cycle holding no one-off
//! holiday, no closure and no change of UTC offset (a *clean* cycle) owns the same
//! working time and the same working days as every other clean cycle, since what each of
//! its days owns depends only on its weekday and its month and day: the walks skip such a
//! cycle whole, with its measure computed once per call.

use chrono::{Days, NaiveDate};

use super::{Compiled, index, midnight_timestamp, nanos};

/// Days in 400 Gregorian years.
pub(super) const DAYS: u64 = 146_097;
/// Weeks in 400 Gregorian years.
const WEEKS: i128 = 20_871;
/// Days around a cycle that must be clean too: a day's windows can reach into the next
/// day, and a change of offset unsettles the days around it (see `offset_is_steady`).
const MARGIN: u64 = 7;

/// A cycle's measure, computed on first use by one walk.
#[derive(Debug, Default)]
pub(super) struct PerCycle(Option<i128>);

impl PerCycle {
    /// `measure` owned by the cycle of days that starts at `first`, which must be clean.
    pub(super) fn measure(
        &mut self,
        calendar: &Compiled,
        first: NaiveDate,
        measure: index::Measure,
    ) -> Option<i128> {
        if self.0.is_none() {
            self.0 = calendar.cycle_measure(first, measure);
        }
        self.0
    }
}

impl Compiled {
    /// Whether skipping a cycle is worth computing its measure: `remaining` is more
    /// than half a cycle of regular weeks. (Only a shortcut: the caller still compares
    /// `remaining` with the cycle's real measure.)
    pub(super) fn spans_cycles(&self, remaining: i128, measure: index::Measure) -> bool {
        let week = self.week_measure(measure);
        week > 0 && remaining / week > WEEKS / 2
    }

    /// Whether the cycle of days starting at `first` is clean: no one-off holiday, no
    /// closure and no change of UTC offset on it or within `MARGIN` days of it, and far
    /// enough from chrono's limits that every window of it resolves.
    pub(super) fn clean_cycle(&self, first: NaiveDate) -> bool {
        let (Some(low), Some(high)) = (
            first.checked_sub_days(Days::new(MARGIN)),
            first.checked_add_days(Days::new(DAYS + MARGIN)),
        ) else {
            return false;
        };
        let (from, to) = (midnight_timestamp(low), midnight_timestamp(high));
        let transition = self.transitions.partition_point(|&t| t < from);
        if self.transitions.get(transition).is_some_and(|&t| t < to) {
            return false;
        }
        let holiday = self.holidays.partition_point(|&h| h < low);
        if self.holidays.get(holiday).is_some_and(|&h| h < high) {
            return false;
        }
        let closure = self.closures.partition_point(|(c, _)| *c < low);
        self.closures.get(closure).is_none_or(|(c, _)| *c >= high)
    }

    /// `measure` owned by the `DAYS` days from `first`, walked with the regular weeks
    /// skipped; `None` past chrono's last date.
    fn cycle_measure(&self, first: NaiveDate, measure: index::Measure) -> Option<i128> {
        let end = first.checked_add_days(Days::new(DAYS))?;
        let week = self.week_measure(measure);
        let (mut date, mut total, mut buf) = (first, 0, Vec::new());
        while date < end {
            let room = i128::from((end - date).num_days() / 7);
            let weeks = room.min(self.regular_weeks_from(date));
            if weeks > 0 {
                date = date.checked_add_days(Days::new(u64::try_from(weeks * 7).ok()?))?;
                total += weeks * week;
                continue;
            }
            buf.clear();
            self.day_intervals(date, &mut buf);
            let owned: i128 = buf.iter().map(|&(open, close)| nanos(close - open)).sum();
            total += match measure {
                index::Measure::Time => owned,
                index::Measure::Days => i128::from(owned > 0),
            };
            date = date.succ_opt()?;
        }
        Some(total)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, NaiveTime};

    use super::*;
    use crate::schedule::calendar::{
        BusinessCalendar, CalendarConfig, WeekSchedule, WorkingWindow, YearlyDate,
    };

    fn calendar(zone: chrono_tz::Tz, holidays: Vec<NaiveDate>) -> BusinessCalendar {
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN);
        BusinessCalendar::new(CalendarConfig {
            time_zone: zone,
            week: WeekSchedule::weekdays(&[WorkingWindow::new(t(9), t(17))]),
            holidays,
            yearly_holidays: vec![YearlyDate::new(2, 29), YearlyDate::new(12, 25)],
            closures: Vec::new(),
        })
        .unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Every day walked one by one, no week skipped.
    fn day_by_day(calendar: &Compiled, first: NaiveDate, measure: index::Measure) -> i128 {
        let mut buf = Vec::new();
        first
            .iter_days()
            .take(146_097)
            .map(|day| {
                buf.clear();
                calendar.day_intervals(day, &mut buf);
                let owned: i128 = buf.iter().map(|&(o, c)| nanos(c - o)).sum();
                match measure {
                    index::Measure::Time => owned,
                    index::Measure::Days => i128::from(owned > 0),
                }
            })
            .sum()
    }

    #[test]
    fn a_cycle_is_20_871_weeks() {
        let first = date(2400, 3, 1);
        let end = first.checked_add_days(Days::new(DAYS)).unwrap();
        assert_eq!((end - first).num_days(), 7 * 20_871);
        assert_eq!((end.year(), end.month(), end.day()), (2800, 3, 1));
        assert_eq!(end.weekday(), first.weekday());
    }

    #[test]
    fn the_measure_of_a_cycle_is_the_sum_of_its_days_wherever_it_starts() {
        let calendar = calendar(chrono_tz::Asia::Tokyo, Vec::new());
        let compiled = &calendar.compiled;
        for measure in [index::Measure::Time, index::Measure::Days] {
            let first = date(3001, 7, 4);
            assert!(compiled.clean_cycle(first));
            let whole = compiled.cycle_measure(first, measure).unwrap();
            assert_eq!(whole, day_by_day(compiled, first, measure));
            for start in [date(-5000, 1, 1), date(4321, 12, 31), date(9000, 2, 28)] {
                assert!(compiled.clean_cycle(start));
                assert_eq!(compiled.cycle_measure(start, measure), Some(whole));
            }
        }
        // 20,871 weeks of five 8-hour days, less the yearly holidays on weekdays.
        let hours = compiled
            .cycle_measure(date(3001, 7, 4), index::Measure::Time)
            .unwrap()
            / (3_600 * 1_000_000_000);
        assert!(hours < 20_871 * 40 && hours > 20_871 * 40 - 500 * 8);
    }

    #[test]
    fn a_one_off_holiday_a_closure_or_an_offset_change_makes_a_cycle_unclean() {
        let holiday = date(5000, 6, 1);
        let with_holiday = calendar(chrono_tz::Asia::Tokyo, vec![holiday]);
        let first = date(4700, 1, 1);
        assert!(!with_holiday.compiled.clean_cycle(first));
        // The margin: a holiday a week after the cycle's last day still counts, eight
        // days after it no longer does.
        let last = first.checked_add_days(Days::new(DAYS - 1)).unwrap();
        let near = calendar(
            chrono_tz::Asia::Tokyo,
            vec![last.checked_add_days(Days::new(MARGIN)).unwrap()],
        );
        assert!(!near.compiled.clean_cycle(first));
        let far = calendar(
            chrono_tz::Asia::Tokyo,
            vec![last.checked_add_days(Days::new(MARGIN + 1)).unwrap()],
        );
        assert!(far.compiled.clean_cycle(first));
        // Tokyo changed its offset in the 20th century.
        let tokyo = calendar(chrono_tz::Asia::Tokyo, Vec::new());
        assert!(!tokyo.compiled.clean_cycle(date(1700, 1, 1)));
        // Too close to chrono's first and last dates.
        assert!(!tokyo.compiled.clean_cycle(NaiveDate::MIN));
        assert!(
            !tokyo
                .compiled
                .clean_cycle(NaiveDate::MAX.checked_sub_days(Days::new(DAYS)).unwrap())
        );
    }

    /// The margin's edges: an offset change at the first instant of the margin before
    /// the cycle counts, one a second earlier does not; at the end, the
    /// margin stops just before the midnight that ends it.
    #[test]
    fn an_offset_change_counts_from_the_first_instant_of_the_margin() {
        let calendar = calendar(chrono_tz::UTC, Vec::new());
        let first = date(4700, 1, 1);
        let with_change_at = |t: i64| {
            let mut compiled = calendar.compiled.clone();
            compiled.transitions = std::sync::Arc::from(vec![t]);
            compiled.clean_cycle(first)
        };
        let from = midnight_timestamp(first.checked_sub_days(Days::new(MARGIN)).unwrap());
        let to = midnight_timestamp(first.checked_add_days(Days::new(DAYS + MARGIN)).unwrap());
        assert!(with_change_at(from - 1));
        assert!(!with_change_at(from));
        assert!(!with_change_at(to - 1));
        assert!(with_change_at(to));
    }

    #[test]
    fn only_spans_of_more_than_half_a_cycle_of_weeks_are_worth_a_cycle() {
        let calendar = calendar(chrono_tz::Asia::Tokyo, Vec::new());
        let week = calendar.compiled.week_nanos;
        let half = (WEEKS / 2 + 1) * week;
        assert!(calendar.compiled.spans_cycles(half, index::Measure::Time));
        assert!(
            !calendar
                .compiled
                .spans_cycles(half - week, index::Measure::Time)
        );
        assert!(
            calendar
                .compiled
                .spans_cycles((WEEKS / 2 + 1) * 5, index::Measure::Days)
        );
        assert!(
            !calendar
                .compiled
                .spans_cycles(WEEKS / 2 * 5, index::Measure::Days)
        );
    }
}
