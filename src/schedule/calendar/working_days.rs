//! Working days: dates that own working time, counted and added without walking the
//! days one by one (the index and the skipping of regular weeks serve them as they serve
//! business time).
//!
//! A date is a **working day** when at least one window that it owns runs: a window
//! *starts* on the date it belongs to, so a Friday night shift makes Friday a working
//! day, not Saturday. A holiday is no working day; a partial closure with windows is
//! one, and a closure without windows is not. A day whose only window falls inside a
//! skipped daylight-saving hour is not one either, since no time is worked on it.

use chrono::{DateTime, Days, NaiveDate, Utc};

use super::{BusinessCalendar, CalendarError, Compiled, cycle, index};

impl BusinessCalendar {
    /// Whether `date` is a working day: it owns working time (see the rules above on
    /// [`add_working_days`](Self::add_working_days)).
    ///
    /// ```
    /// # use chrono::{NaiveDate, NaiveTime};
    /// # use service_recovery::schedule::{BusinessCalendar, CalendarConfig, WeekSchedule, WorkingWindow, YearlyDate};
    /// # let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    /// let calendar = BusinessCalendar::new(
    ///     CalendarConfig::builder()
    ///         .time_zone(chrono_tz::Europe::Paris)
    ///         .week(WeekSchedule::weekdays(&[WorkingWindow::new(t(9), t(17))]))
    ///         .yearly_holidays(vec![YearlyDate::new(12, 25)])
    ///         .build(),
    /// )?;
    /// let date = |d| NaiveDate::from_ymd_opt(2025, 12, d).unwrap();
    /// assert!(calendar.is_working_day(date(24)));
    /// assert!(!calendar.is_working_day(date(25))); // Christmas
    /// assert!(!calendar.is_working_day(date(27))); // a Saturday
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.compiled.is_working_day(date)
    }

    /// The date `days` working days after `date` (before it when `days` is negative).
    ///
    /// - `days > 0`: the `days`-th working day strictly after `date`; `date` itself
    ///   need not be a working day. Then
    ///   [`working_days_between`](Self::working_days_between)`(date, result) == days`.
    /// - `days < 0`: the `|days|`-th working day strictly before `date`.
    /// - `days == 0`: `date` if it is a working day, otherwise the next working day,
    ///   the same rule as [`add`](Self::add) with a zero duration (the next opening).
    ///
    /// A working day is a date that owns working time: a window starts on it and runs
    /// (a holiday is none, a partial closure with windows is one).
    ///
    /// ```
    /// # use chrono::{NaiveDate, NaiveTime};
    /// # use service_recovery::schedule::{BusinessCalendar, CalendarConfig, WeekSchedule, WorkingWindow, YearlyDate};
    /// # let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    /// let calendar = BusinessCalendar::new(
    ///     CalendarConfig::builder()
    ///         .time_zone(chrono_tz::Europe::Paris)
    ///         .week(WeekSchedule::weekdays(&[WorkingWindow::new(t(9), t(17))]))
    ///         .yearly_holidays(vec![YearlyDate::new(12, 25)])
    ///         .build(),
    /// )?;
    /// let date = |m, d| NaiveDate::from_ymd_opt(2025, m, d).unwrap();
    /// // From Tuesday 23 December, 5 working days: 24, 26, 29, 30, 31.
    /// assert_eq!(calendar.add_working_days(date(12, 23), 5)?, date(12, 31));
    /// assert_eq!(calendar.add_working_days(date(12, 31), -5)?, date(12, 23));
    /// // Zero from a Saturday is the Monday after.
    /// assert_eq!(calendar.add_working_days(date(12, 27), 0)?, date(12, 29));
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`CalendarError::OutOfRange`] when the result lies past chrono's range of dates.
    pub fn add_working_days(&self, date: NaiveDate, days: i64) -> Result<NaiveDate, CalendarError> {
        let result = match days.signum() {
            0 if self.compiled.is_working_day(date) => Some(date),
            0 => self.compiled.working_days_after(date, 1),
            1 => self.compiled.working_days_after(date, i128::from(days)),
            _ => self
                .compiled
                .working_days_before(date, i128::from(days).abs()),
        };
        result.ok_or(CalendarError::OutOfRange)
    }

    /// How many working days lie after `from`, up to and including `to`; negative when
    /// `to` is before `from` (then the working days after `to` up to and including
    /// `from`, counted negatively), so that swapping the dates changes the sign only.
    ///
    /// ```
    /// # use chrono::{NaiveDate, NaiveTime};
    /// # use service_recovery::schedule::{BusinessCalendar, CalendarConfig, WeekSchedule, WorkingWindow, PartialClosure};
    /// # let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    /// let date = |m, d| NaiveDate::from_ymd_opt(2025, m, d).unwrap();
    /// let calendar = BusinessCalendar::new(
    ///     CalendarConfig::builder()
    ///         .time_zone(chrono_tz::UTC)
    ///         .week(WeekSchedule::weekdays(&[WorkingWindow::new(t(9), t(17))]))
    ///         .holidays(vec![date(12, 25), date(12, 26)])
    ///         // A partial closure with windows still counts as a working day.
    ///         .closures(vec![PartialClosure {
    ///             date: date(12, 24),
    ///             windows: vec![WorkingWindow::new(t(9), t(12))],
    ///         }])
    ///         .build(),
    /// )?;
    /// // Monday 22 to Monday 29 December: 23, 24 and 29.
    /// assert_eq!(calendar.working_days_between(date(12, 22), date(12, 29)), 3);
    /// assert_eq!(calendar.working_days_between(date(12, 29), date(12, 22)), -3);
    /// assert_eq!(calendar.working_days_between(date(12, 22), date(12, 22)), 0);
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let count = |low: NaiveDate, high: NaiveDate| {
            match (low.succ_opt(), high.succ_opt()) {
                (Some(a), Some(b)) => self.compiled.count_working_days(a, b),
                // `high` is the last representable date: count it by itself.
                (Some(a), None) => {
                    self.compiled.count_working_days(a, high)
                        + i128::from(self.compiled.is_working_day(high))
                }
                (None, _) => 0,
            }
        };
        let signed = if from <= to {
            count(from, to)
        } else {
            -count(to, from)
        };
        i64::try_from(signed).unwrap_or(if signed < 0 { i64::MIN } else { i64::MAX })
    }

    /// The end of the last window that `date` owns: "close of business" on that date.
    /// `None` when `date` is not a working day. An overnight window ends on the next
    /// day, and that is its close of business.
    ///
    /// ```
    /// # use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
    /// # use service_recovery::schedule::{BusinessCalendar, CalendarConfig, WeekSchedule, WorkingWindow};
    /// # let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    /// let calendar = BusinessCalendar::new(
    ///     CalendarConfig::builder()
    ///         .time_zone(chrono_tz::America::New_York)
    ///         .week(WeekSchedule::weekdays(&[
    ///             WorkingWindow::new(t(9), t(12)),
    ///             WorkingWindow::new(t(13), t(17)),
    ///         ]))
    ///         .build(),
    /// )?;
    /// let friday = NaiveDate::from_ymd_opt(2025, 1, 3).unwrap();
    /// // 17:00 EST is 22:00 UTC.
    /// assert_eq!(
    ///     calendar.close_of_business(friday),
    ///     Some(Utc.with_ymd_and_hms(2025, 1, 3, 22, 0, 0).unwrap())
    /// );
    /// assert_eq!(calendar.close_of_business(friday.succ_opt().unwrap()), None);
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    pub fn close_of_business(&self, date: NaiveDate) -> Option<DateTime<Utc>> {
        let mut buf = Vec::new();
        self.compiled.day_intervals(date, &mut buf);
        buf.iter().map(|&(_, close)| close).max()
    }

    /// The same local time `days` working days later (earlier when negative), clamped
    /// into that day's working hours.
    ///
    /// The date is [`add_working_days`](Self::add_working_days)`(local date of at,
    /// days)`; on it, the wall-clock time of `at` maps to an instant by the calendar's
    /// daylight-saving rule (the first instant at which the clock shows it or a later
    /// time). If that instant is outside the day's windows it moves forward to the
    /// day's next opening, or back to the day's last closing when no window of that day
    /// opens later.
    ///
    /// ```
    /// # use chrono::{NaiveTime, TimeZone, Utc};
    /// # use service_recovery::schedule::{BusinessCalendar, CalendarConfig, WeekSchedule, WorkingWindow};
    /// # let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    /// let calendar = BusinessCalendar::new(
    ///     CalendarConfig::builder()
    ///         .time_zone(chrono_tz::UTC)
    ///         .week(WeekSchedule::weekdays(&[WorkingWindow::new(t(9), t(17))]))
    ///         .build(),
    /// )?;
    /// // Thursday 2 January 2025 at 10:30, two working days later: Monday 10:30.
    /// let thursday = Utc.with_ymd_and_hms(2025, 1, 2, 10, 30, 0).unwrap();
    /// let monday = Utc.with_ymd_and_hms(2025, 1, 6, 10, 30, 0).unwrap();
    /// assert_eq!(calendar.add_working_days_same_time(thursday, 2)?, monday);
    /// // At 20:00 the day's hours are over: the result is Monday's close.
    /// let evening = Utc.with_ymd_and_hms(2025, 1, 2, 20, 0, 0).unwrap();
    /// let close = Utc.with_ymd_and_hms(2025, 1, 6, 17, 0, 0).unwrap();
    /// assert_eq!(calendar.add_working_days_same_time(evening, 2)?, close);
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`CalendarError::OutOfRange`] past chrono's range.
    pub fn add_working_days_same_time(
        &self,
        at: DateTime<Utc>,
        days: i64,
    ) -> Result<DateTime<Utc>, CalendarError> {
        let local = at.with_timezone(&self.compiled.tz).naive_local();
        let date = self.add_working_days(local.date(), days)?;
        let wanted = self
            .compiled
            .resolve(date.and_time(local.time()), None)
            .ok_or(CalendarError::OutOfRange)?;
        let mut buf = Vec::new();
        self.compiled.day_intervals(date, &mut buf);
        let inside = buf
            .iter()
            .find(|&&(_, close)| wanted <= close)
            .map(|&(open, _)| open.max(wanted));
        inside
            .or_else(|| buf.last().map(|&(_, close)| close))
            .ok_or(CalendarError::OutOfRange)
    }

    /// Close of business `days` working days after the local date of `at` (before it
    /// when negative): [`close_of_business`](Self::close_of_business) of
    /// [`add_working_days`](Self::add_working_days)`(local date of at, days)`.
    ///
    /// "Resolve within 5 working days" from a complaint received on Tuesday 23
    /// December 2025 at 11:00 in Paris, with Christmas off, is due at the close of
    /// Wednesday 31 December:
    ///
    /// ```
    /// # use chrono::{NaiveTime, TimeZone, Utc};
    /// # use service_recovery::schedule::{BusinessCalendar, CalendarConfig, WeekSchedule, WorkingWindow, YearlyDate};
    /// # let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    /// let paris = chrono_tz::Europe::Paris;
    /// let calendar = BusinessCalendar::new(
    ///     CalendarConfig::builder()
    ///         .time_zone(paris)
    ///         .week(WeekSchedule::weekdays(&[WorkingWindow::new(t(9), t(17))]))
    ///         .yearly_holidays(vec![YearlyDate::new(12, 25)])
    ///         .build(),
    /// )?;
    /// let received = paris.with_ymd_and_hms(2025, 12, 23, 11, 0, 0).unwrap().to_utc();
    /// let due = paris.with_ymd_and_hms(2025, 12, 31, 17, 0, 0).unwrap().to_utc();
    /// assert_eq!(calendar.add_working_days_to_close(received, 5)?, due);
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`CalendarError::OutOfRange`] past chrono's range.
    pub fn add_working_days_to_close(
        &self,
        at: DateTime<Utc>,
        days: i64,
    ) -> Result<DateTime<Utc>, CalendarError> {
        let date = self.add_working_days(self.compiled.local_date(at), days)?;
        self.close_of_business(date)
            .ok_or(CalendarError::OutOfRange)
    }
}

impl Compiled {
    pub(super) fn is_working_day(&self, date: NaiveDate) -> bool {
        let mut buf = Vec::new();
        self.day_intervals(date, &mut buf);
        !buf.is_empty()
    }

    /// The number of working days in `from..to` (`from <= to`).
    pub(super) fn count_working_days(&self, from: NaiveDate, to: NaiveDate) -> i128 {
        let days = index::Measure::Days;
        let mut date = from;
        let mut total = 0;
        let mut per_cycle = cycle::PerCycle::default();
        while date < to {
            let until = to.min(index::END);
            if date >= index::FIRST && until > date {
                let index = self.index();
                total += index.cumulative(self, until, days) - index.cumulative(self, date, days);
                date = until;
                continue;
            }
            let left = i128::from((to - date).num_days());
            if left >= i128::from(cycle::DAYS) && self.clean_cycle(date) {
                if let (Some(cycle), Some(next)) = (
                    per_cycle.measure(self, date, days),
                    date.checked_add_days(Days::new(cycle::DAYS)),
                ) {
                    total += cycle;
                    date = next;
                    continue;
                }
            }
            let weeks = (left / 7).min(self.regular_weeks_from(date));
            if let Some(next) = u64::try_from(weeks * 7)
                .ok()
                .filter(|&n| n > 0)
                .and_then(|n| date.checked_add_days(Days::new(n)))
            {
                total += weeks * self.week_days;
                date = next;
                continue;
            }
            total += i128::from(self.is_working_day(date));
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        total
    }

    /// The `remaining`-th (> 0) working day strictly after `date`.
    pub(super) fn working_days_after(
        &self,
        date: NaiveDate,
        mut remaining: i128,
    ) -> Option<NaiveDate> {
        let days = index::Measure::Days;
        let mut current = date;
        let mut indexed = false;
        let mut per_cycle = cycle::PerCycle::default();
        loop {
            let next = current.succ_opt()?;
            if !indexed && (index::FIRST..index::END).contains(&next) {
                indexed = true;
                let index = self.index();
                let target = index.cumulative(self, next, days) + remaining;
                if let Some(found) = index.date_reaching(self, target, days) {
                    return Some(found);
                }
                remaining = target - index.cumulative(self, index::END, days);
                current = index::END.pred_opt()?;
                continue;
            }
            if self.spans_cycles(remaining, days) && self.clean_cycle(next) {
                let cycle = per_cycle.measure(self, next, days)?;
                if remaining > cycle {
                    current = current.checked_add_days(Days::new(cycle::DAYS))?;
                    remaining -= cycle;
                    continue;
                }
            }
            // Leave at least one day so the answer is a day found one by one.
            let weeks = ((remaining - 1) / self.week_days).min(self.regular_weeks_from(next));
            if weeks > 0 {
                let skip = u64::try_from(weeks.checked_mul(7)?).ok()?;
                current = current.checked_add_days(Days::new(skip))?;
                remaining -= weeks * self.week_days;
                continue;
            }
            if self.is_working_day(next) {
                remaining -= 1;
                if remaining == 0 {
                    return Some(next);
                }
            }
            current = next;
        }
    }

    /// The `remaining`-th (> 0) working day strictly before `date`.
    pub(super) fn working_days_before(
        &self,
        date: NaiveDate,
        mut remaining: i128,
    ) -> Option<NaiveDate> {
        let days = index::Measure::Days;
        let mut current = date;
        let mut indexed = false;
        let mut per_cycle = cycle::PerCycle::default();
        loop {
            let previous = current.pred_opt()?;
            if !indexed && (index::FIRST..index::END).contains(&previous) {
                indexed = true;
                let index = self.index();
                let before = index.cumulative(self, current.min(index::END), days);
                let target = before - remaining + 1;
                if target > 0 {
                    return index.date_reaching(self, target, days);
                }
                remaining -= before;
                current = index::FIRST;
                continue;
            }
            // The cycle of days that ends with `previous`.
            let first = current.checked_sub_days(Days::new(cycle::DAYS));
            if let Some(first) =
                first.filter(|&first| self.spans_cycles(remaining, days) && self.clean_cycle(first))
            {
                let cycle = per_cycle.measure(self, first, days)?;
                if remaining > cycle {
                    current = first;
                    remaining -= cycle;
                    continue;
                }
            }
            let weeks = ((remaining - 1) / self.week_days).min(self.regular_weeks_before(previous));
            if weeks > 0 {
                let skip = u64::try_from(weeks.checked_mul(7)?).ok()?;
                current = current.checked_sub_days(Days::new(skip))?;
                remaining -= weeks * self.week_days;
                continue;
            }
            if self.is_working_day(previous) {
                remaining -= 1;
                if remaining == 0 {
                    return Some(previous);
                }
            }
            current = previous;
        }
    }
}
