//! The calendar's answers in its own time zone, for display.

use std::ops::Range;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;

use super::{BusinessCalendar, CalendarError};

/// A view of a [`BusinessCalendar`] whose answers are date-times in the calendar's own
/// time zone, for showing to a person; the instants are the same as the UTC ones of the
/// calendar's methods of the same names, whose docs state the rules.
///
/// Obtained with [`BusinessCalendar::zoned`]. Inputs stay UTC instants: the core works
/// on instants; time zones are for display.
///
/// ```
/// use chrono::{NaiveTime, TimeDelta, TimeZone, Utc};
/// use service_recovery::schedule::{BusinessCalendar, CalendarConfig, WeekSchedule, WorkingWindow};
///
/// let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
/// let calendar = BusinessCalendar::new(
///     CalendarConfig::builder()
///         .time_zone(chrono_tz::America::New_York)
///         .week(WeekSchedule::weekdays(&[WorkingWindow::new(t(9), t(17))]))
///         .build(),
/// )?;
/// // Friday 7 March 2025, 16:00 EST; the clocks change on Sunday.
/// let friday = Utc.with_ymd_and_hms(2025, 3, 7, 21, 0, 0).unwrap();
/// let due = calendar.zoned().add(friday, TimeDelta::hours(2))?;
/// assert_eq!(due.to_rfc3339(), "2025-03-10T10:00:00-04:00");
/// assert_eq!(due.to_utc(), calendar.add(friday, TimeDelta::hours(2))?);
/// # Ok::<(), service_recovery::schedule::CalendarError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Zoned<'a> {
    calendar: &'a BusinessCalendar,
}

impl<'a> Zoned<'a> {
    pub(super) fn new(calendar: &'a BusinessCalendar) -> Self {
        Self { calendar }
    }

    fn local(&self, at: DateTime<Utc>) -> DateTime<Tz> {
        self.calendar.local(at)
    }

    /// [`BusinessCalendar::next_open`], in the calendar's zone.
    pub fn next_open(&self, at: DateTime<Utc>) -> DateTime<Tz> {
        self.local(self.calendar.next_open(at))
    }

    /// [`BusinessCalendar::next_close`], in the calendar's zone.
    pub fn next_close(&self, at: DateTime<Utc>) -> DateTime<Tz> {
        self.local(self.calendar.next_close(at))
    }

    /// [`BusinessCalendar::next_window_start`], in the calendar's zone.
    pub fn next_window_start(&self, at: DateTime<Utc>) -> DateTime<Tz> {
        self.local(self.calendar.next_window_start(at))
    }

    /// [`BusinessCalendar::previous_open`], in the calendar's zone.
    pub fn previous_open(&self, at: DateTime<Utc>) -> DateTime<Tz> {
        self.local(self.calendar.previous_open(at))
    }

    /// [`BusinessCalendar::previous_close`], in the calendar's zone.
    pub fn previous_close(&self, at: DateTime<Utc>) -> DateTime<Tz> {
        self.local(self.calendar.previous_close(at))
    }

    /// [`BusinessCalendar::current_window`], in the calendar's zone.
    pub fn current_window(&self, at: DateTime<Utc>) -> Option<Range<DateTime<Tz>>> {
        self.calendar
            .current_window(at)
            .map(|window| self.local(window.start)..self.local(window.end))
    }

    /// [`BusinessCalendar::add`], in the calendar's zone.
    ///
    /// # Errors
    ///
    /// As [`BusinessCalendar::add`].
    pub fn add(
        &self,
        start: DateTime<Utc>,
        duration: TimeDelta,
    ) -> Result<DateTime<Tz>, CalendarError> {
        self.calendar.add(start, duration).map(|at| self.local(at))
    }

    /// [`BusinessCalendar::subtract`], in the calendar's zone.
    ///
    /// # Errors
    ///
    /// As [`BusinessCalendar::subtract`].
    pub fn subtract(
        &self,
        end: DateTime<Utc>,
        duration: TimeDelta,
    ) -> Result<DateTime<Tz>, CalendarError> {
        self.calendar
            .subtract(end, duration)
            .map(|at| self.local(at))
    }

    /// [`BusinessCalendar::close_of_business`], in the calendar's zone.
    pub fn close_of_business(&self, date: NaiveDate) -> Option<DateTime<Tz>> {
        self.calendar
            .close_of_business(date)
            .map(|at| self.local(at))
    }

    /// [`BusinessCalendar::add_working_days_same_time`], in the calendar's zone.
    ///
    /// # Errors
    ///
    /// As [`BusinessCalendar::add_working_days_same_time`].
    pub fn add_working_days_same_time(
        &self,
        at: DateTime<Utc>,
        days: i64,
    ) -> Result<DateTime<Tz>, CalendarError> {
        self.calendar
            .add_working_days_same_time(at, days)
            .map(|at| self.local(at))
    }

    /// [`BusinessCalendar::add_working_days_to_close`], in the calendar's zone.
    ///
    /// # Errors
    ///
    /// As [`BusinessCalendar::add_working_days_to_close`].
    pub fn add_working_days_to_close(
        &self,
        at: DateTime<Utc>,
        days: i64,
    ) -> Result<DateTime<Tz>, CalendarError> {
        self.calendar
            .add_working_days_to_close(at, days)
            .map(|at| self.local(at))
    }
}
