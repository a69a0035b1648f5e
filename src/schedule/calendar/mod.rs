//! A business calendar: working hours in an IANA time zone, with holidays, and
//! arithmetic in business time that is exact across daylight-saving changes.
//!
//! ```
//! use chrono::{NaiveTime, TimeDelta, TimeZone, Utc};
//! use service_recovery::schedule::{
//!     BusinessCalendar, CalendarConfig, WeekSchedule, WorkingWindow, YearlyDate,
//! };
//!
//! let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
//! let calendar = BusinessCalendar::new(
//!     CalendarConfig::builder()
//!         .time_zone(chrono_tz::Europe::Paris)
//!         .week(WeekSchedule::weekdays(&[
//!             WorkingWindow::new(t(9), t(12)),
//!             WorkingWindow::new(t(14), t(18)),
//!         ]))
//!         .yearly_holidays(vec![YearlyDate::new(12, 25)])
//!         .build(),
//! )?;
//!
//! // A complaint arrives on Wednesday 24 December 2025 at 17:00 in Paris (16:00 UTC);
//! // the follow-up is due after 8 hours of working time. Thursday is Christmas, so the
//! // time runs 17:00–18:00 on Wednesday, then 09:00–12:00 and 14:00–18:00 on Friday.
//! let intake = Utc.with_ymd_and_hms(2025, 12, 24, 16, 0, 0).unwrap();
//! let due = calendar.add(intake, TimeDelta::hours(8))?;
//! assert_eq!(due, Utc.with_ymd_and_hms(2025, 12, 26, 17, 0, 0).unwrap());
//! assert_eq!(calendar.business_time_between(intake, due), TimeDelta::hours(8));
//! assert!(calendar.is_open(due - TimeDelta::seconds(1)));
//! # Ok::<(), service_recovery::schedule::CalendarError>(())
//! ```
//!
//! # The model
//!
//! - **Windows.** Each weekday has zero or more [`WorkingWindow`]s in local wall-clock
//!   time, to the second; several windows make a split shift. A window is half-open:
//!   open at its start, closed at its end. `24:00` may end a window (in JSON, or with
//!   [`WorkingWindow::until_midnight`] and [`WorkingWindow::parse`]).
//! - **A day with no windows** (a weekday without hours, a holiday, a closure without
//!   windows) contributes no working time and is no working day; only an overnight
//!   window of the day before runs into its morning.
//! - **Overnight windows** are marked explicitly (`overnight: true`) and end on the next
//!   day: Friday 22:00 → 06:00 belongs to Friday's schedule, and it is Friday's holiday
//!   status that decides whether it runs. Without the mark, a window whose end is not
//!   after its start is an error, so a typo cannot silently become a night shift.
//! - **Holidays** remove all windows that *start* on that local date (an overnight
//!   window from the day before still runs into the holiday's morning). Holidays are
//!   specific dates or [`YearlyDate`]s; a yearly February 29 is observed in leap years
//!   only. A [`PartialClosure`] gives a date its own windows (e.g. December 24,
//!   09:00–13:00) and takes precedence over a holiday on the same date.
//! - **Validation.** [`BusinessCalendar::new`] (and deserialization, which goes
//!   through it) rejects empty windows, windows ending before they start, overlapping
//!   windows (an overnight window included, against the next day), a week with no
//!   working time and yearly holidays covering the whole year, each with its own
//!   [`CalendarError`].
//!
//! # Daylight saving
//!
//! Windows are wall-clock times; the working time is the real time that elapses. A
//! wall-clock time maps to **the first instant at which the clock shows that time or a
//! later one**:
//!
//! - in a skipped hour (spring forward), a time maps to the first instant after the
//!   gap: in Paris on 30 March 2025, a 02:30–04:00 window runs from 03:00 to 04:00
//!   (one hour), and a 02:00–02:30 window does not run at all;
//! - in a repeated hour (fall back), a time maps to its first occurrence: in New York
//!   on 2 November 2025, a 01:00–03:00 window runs from 01:00 EDT to 03:00 EST, three
//!   real hours, and a 00:00–01:30 window ends at the first 01:30.
//!
//! So a window is one real shift, from the first occurrence of its start to the first
//! occurrence of its end; the second pass through a repeated hour is working time only
//! when that shift covers it. Every operation below follows this rule.
//!
//! # Due instants, forwards and backwards
//!
//! [`BusinessCalendar::add`] returns the instant at which the given working time has
//! elapsed. For a positive duration it lies in `(window start, window end]` of some
//! window: it may be the closing instant of a window, never its opening. A zero
//! duration gives [`BusinessCalendar::next_open`] of the start. In all cases
//! `business_time_between(start, add(start, d)) == d`.
//!
//! [`BusinessCalendar::subtract`] is its mirror: the latest instant from which the
//! given working time runs until the end. For a positive duration it lies in
//! `[window start, window end)`: it may be an opening, never a closing instant. A zero
//! duration gives the end itself. `business_time_between(subtract(end, d), end) == d`,
//! and `subtract(add(t, d), d)` is `t` when open, otherwise the opening it implies,
//! [`next_open`](BusinessCalendar::next_open)`(t)`.
//!
//! # A map of the operations
//!
//! | Question | Method |
//! |---|---|
//! | open now? in which window? | [`is_open`](BusinessCalendar::is_open), [`current_window`](BusinessCalendar::current_window) |
//! | next opening, next window, next closing | [`next_open`](BusinessCalendar::next_open), [`next_window_start`](BusinessCalendar::next_window_start), [`next_close`](BusinessCalendar::next_close) |
//! | last opening, last working instant | [`previous_open`](BusinessCalendar::previous_open), [`previous_close`](BusinessCalendar::previous_close) |
//! | due after / before some working time | [`add`](BusinessCalendar::add), [`subtract`](BusinessCalendar::subtract) |
//! | working time between two instants | [`business_time_between`](BusinessCalendar::business_time_between), [`signed_business_time_between`](BusinessCalendar::signed_business_time_between) |
//! | working days | [`is_working_day`](BusinessCalendar::is_working_day), [`add_working_days`](BusinessCalendar::add_working_days), [`working_days_between`](BusinessCalendar::working_days_between) |
//! | close of business | [`close_of_business`](BusinessCalendar::close_of_business), [`add_working_days_to_close`](BusinessCalendar::add_working_days_to_close), [`add_working_days_same_time`](BusinessCalendar::add_working_days_same_time) |
//! | answers in the calendar's zone | [`local`](BusinessCalendar::local), [`zoned`](BusinessCalendar::zoned) |
//!
//! Windows are reported as configured: two windows that touch (Friday 22:00–24:00 and
//! Saturday 00:00–06:00) are two windows, closing and reopening at the same instant.
//!
//! # Cost
//!
//! There is no search horizon, and the cost does not grow with the span, for `add`,
//! `subtract`, `business_time_between` and the working-day arithmetic alike. Between two
//! exceptional days (a holiday, a closure, a day near a daylight-saving transition)
//! every day works its weekday's template, so a stretch of regular days is arithmetic.
//! For 1970–2100 the calendar keeps an index of its exceptional days with the business
//! time accumulated before each, built on the first call that needs it (about a
//! millisecond, shared by clones): a due date or a duration over years then costs a
//! binary search plus the few days at either end, which are computed exactly one by
//! one. Outside those years, runs of regular weeks are skipped in one step and only
//! exceptional days are visited.
//!
//! DST transitions are read from chrono-tz between 1800 and 2100, the whole of its
//! table (its first transition is in the 1840s, its last in 2099; before and after, it
//! keeps a fixed offset).

mod backward;
mod config;
mod cycle;
mod error;
mod index;
mod transitions;
mod walk;
mod working_days;
mod zoned;

use std::cmp::Ordering;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use chrono::{
    DateTime, Datelike, Days, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime,
    Offset, TimeDelta, TimeZone, Timelike, Utc, Weekday,
};
use chrono_tz::{GapInfo, Tz};
use serde::{Deserialize, Serialize};

pub use config::{CalendarConfig, PartialClosure, WeekSchedule, WorkingWindow, YearlyDate};
pub use error::{CalendarError, DayRef};
pub use zoned::Zoned;

const DAY_SECS: i64 = 86_400;
const NANOS_PER_SEC: i128 = 1_000_000_000;
const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// A validated business calendar; see the [module documentation](self) for the model.
///
/// Built from a [`CalendarConfig`] with [`BusinessCalendar::new`]; serializes as that
/// config, and deserializing validates it again.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "CalendarConfig", into = "CalendarConfig")]
pub struct BusinessCalendar {
    config: CalendarConfig,
    compiled: Compiled,
}

impl PartialEq for BusinessCalendar {
    fn eq(&self, other: &Self) -> bool {
        self.config == other.config
    }
}

impl TryFrom<CalendarConfig> for BusinessCalendar {
    type Error = CalendarError;

    fn try_from(config: CalendarConfig) -> Result<Self, Self::Error> {
        Self::new(config)
    }
}

impl From<BusinessCalendar> for CalendarConfig {
    fn from(calendar: BusinessCalendar) -> Self {
        calendar.config
    }
}

/// A window in seconds from the local midnight of the day that owns it; `end` may pass
/// 86 400 for an overnight window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: i64,
    end: i64,
}

impl Span {
    fn secs(self) -> i64 {
        self.end - self.start
    }
}

#[derive(Debug, Clone)]
struct Compiled {
    tz: Tz,
    week: [Vec<Span>; 7],
    week_nanos: i128,
    /// How many days of a regular week own working time (at least one).
    week_days: i128,
    /// The template working time of each weekday, Monday first.
    day_nanos: [i128; 7],
    holidays: Vec<NaiveDate>,
    yearly: Vec<(u32, u32)>,
    closures: Vec<(NaiveDate, Vec<Span>)>,
    transitions: Arc<[i64]>,
    /// Built on first use, shared by clones.
    index: Arc<OnceLock<index::Index>>,
}

/// A working interval of one day, in UTC.
type Interval = (DateTime<Utc>, DateTime<Utc>);

impl BusinessCalendar {
    /// Validates `config` and builds the calendar.
    ///
    /// ```
    /// use chrono::NaiveTime;
    /// use service_recovery::schedule::{
    ///     BusinessCalendar, CalendarConfig, CalendarError, WeekSchedule, WorkingWindow,
    /// };
    ///
    /// let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    /// let config = CalendarConfig::builder()
    ///     .time_zone(chrono_tz::America::New_York)
    ///     .week(WeekSchedule::weekdays(&[WorkingWindow::new(t(17), t(9))]))
    ///     .build();
    /// let error = BusinessCalendar::new(config).unwrap_err();
    /// assert!(matches!(error, CalendarError::EndsBeforeStart { .. }));
    /// ```
    ///
    /// # Errors
    ///
    /// A [`CalendarError`] naming the first problem found.
    pub fn new(config: CalendarConfig) -> Result<Self, CalendarError> {
        let compiled = Compiled::new(&config)?;
        Ok(Self { config, compiled })
    }

    /// The configuration the calendar was built from.
    pub fn config(&self) -> &CalendarConfig {
        &self.config
    }

    /// The calendar's time zone.
    pub fn time_zone(&self) -> Tz {
        self.compiled.tz
    }

    /// The working time of a regular week (no holiday, no closure, no DST change).
    pub fn week_duration(&self) -> TimeDelta {
        delta_from_nanos(self.compiled.week_nanos)
    }

    /// Whether `at` lies inside a working window: open at a window's start, closed at
    /// its end (windows are half-open).
    ///
    /// The window edges are wall-clock times mapped by the daylight-saving rule of the
    /// [module docs](self): the first instant at which the clock shows that time or a
    /// later one. In New York on 2 November 2025 a 01:00–03:00 window is open from
    /// 01:00 EDT through the repeated hour to 03:00 EST; a 00:00–01:30 window closes at
    /// the first 01:30. A day with no windows (a holiday, a closure without windows) is
    /// closed all day, except while the previous day's overnight window runs.
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
    /// // Monday 6 January 2025.
    /// assert!(calendar.is_open(Utc.with_ymd_and_hms(2025, 1, 6, 9, 0, 0).unwrap()));
    /// assert!(!calendar.is_open(Utc.with_ymd_and_hms(2025, 1, 6, 17, 0, 0).unwrap()));
    ///
    /// // New York's fall back: 00:00–01:30 ends at the first 01:30 (05:30 UTC).
    /// let early = BusinessCalendar::new(
    ///     CalendarConfig::builder()
    ///         .time_zone(chrono_tz::America::New_York)
    ///         .week(WeekSchedule::builder()
    ///             .sunday(vec![WorkingWindow::new(t(0), NaiveTime::from_hms_opt(1, 30, 0).unwrap())])
    ///             .build())
    ///         .build(),
    /// )?;
    /// assert!(early.is_open(Utc.with_ymd_and_hms(2025, 11, 2, 5, 29, 0).unwrap()));
    /// assert!(!early.is_open(Utc.with_ymd_and_hms(2025, 11, 2, 5, 30, 0).unwrap()));
    /// // The second 01:00–01:30 (06:00–06:30 UTC) is not working time.
    /// assert!(!early.is_open(Utc.with_ymd_and_hms(2025, 11, 2, 6, 15, 0).unwrap()));
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        let date = self.compiled.local_date(at);
        let mut buf = Vec::new();
        // The day before may own an overnight window; a fall-back across midnight can
        // make the next day's first window start before `at`.
        [date.pred_opt(), Some(date), date.succ_opt()]
            .into_iter()
            .flatten()
            .any(|day| {
                buf.clear();
                self.compiled.day_intervals(day, &mut buf);
                buf.iter().any(|&(start, end)| start <= at && at < end)
            })
    }

    /// The first instant at or after `at` at which the calendar is open: `at` itself if
    /// it is open (see [`next_window_start`](Self::next_window_start) for the start of
    /// the next window even then). Days with no windows are passed over; an opening
    /// inside a skipped spring-forward hour is the first instant after the gap.
    ///
    /// In the impossible case that no working time is left before the end of chrono's
    /// range, returns [`DateTime::<Utc>::MAX_UTC`].
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
    /// // Saturday 4 January 2025 → Monday 09:00.
    /// let saturday = Utc.with_ymd_and_hms(2025, 1, 4, 12, 0, 0).unwrap();
    /// let monday = Utc.with_ymd_and_hms(2025, 1, 6, 9, 0, 0).unwrap();
    /// assert_eq!(calendar.next_open(saturday), monday);
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    pub fn next_open(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        self.compiled
            .next_open(at)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// The instant at which the open window holding `at`, or the next window, closes;
    /// always after `at`.
    ///
    /// A window's end is its own: two windows that touch (an overnight window ending at
    /// midnight and the next day's window from midnight) close and reopen at the same
    /// instant, and the first one's end is the answer. At a window's end the calendar
    /// is closed, so the answer is the next window's end.
    ///
    /// In the impossible case that no window closes before the end of chrono's range,
    /// returns [`DateTime::<Utc>::MAX_UTC`].
    ///
    /// ```
    /// # use chrono::{NaiveTime, TimeZone, Utc};
    /// # use service_recovery::schedule::{BusinessCalendar, CalendarConfig, WeekSchedule, WorkingWindow};
    /// # let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    /// let calendar = BusinessCalendar::new(
    ///     CalendarConfig::builder()
    ///         .time_zone(chrono_tz::UTC)
    ///         .week(WeekSchedule::weekdays(&[
    ///             WorkingWindow::new(t(9), t(12)),
    ///             WorkingWindow::new(t(13), t(17)),
    ///         ]))
    ///         .build(),
    /// )?;
    /// let at = |h| Utc.with_ymd_and_hms(2025, 1, 6, h, 0, 0).unwrap(); // a Monday
    /// assert_eq!(calendar.next_close(at(10)), at(12));
    /// assert_eq!(calendar.next_close(at(12)), at(17)); // closed at 12:00
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    pub fn next_close(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        walk::Forward::new(&self.compiled, at)
            .find(|&(_, close)| close > at)
            .map_or(DateTime::<Utc>::MAX_UTC, |(_, close)| close)
    }

    /// The window that holds `at` (`start <= at < end`), in UTC; `None` when the
    /// calendar is closed at `at`, including at a window's closing instant.
    ///
    /// The bounds follow the daylight-saving rule of the [module docs](self): a window
    /// edge inside a skipped hour is the first instant after the gap, and one inside a
    /// repeated hour is its first occurrence.
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
    /// let at = |h| Utc.with_ymd_and_hms(2025, 1, 6, h, 0, 0).unwrap(); // a Monday
    /// assert_eq!(calendar.current_window(at(10)), Some(at(9)..at(17)));
    /// assert_eq!(calendar.current_window(at(17)), None);
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    pub fn current_window(&self, at: DateTime<Utc>) -> Option<Range<DateTime<Utc>>> {
        walk::Forward::new(&self.compiled, at)
            .find(|&(_, close)| close > at)
            .filter(|&(open, _)| open <= at)
            .map(|(open, close)| open..close)
    }

    /// The opening instant of the first window that starts after `at`, even when `at`
    /// is inside a window (unlike [`next_open`](Self::next_open), which then gives
    /// `at`).
    ///
    /// In the impossible case that no window opens before the end of chrono's range,
    /// returns [`DateTime::<Utc>::MAX_UTC`].
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
    /// let monday_ten = Utc.with_ymd_and_hms(2025, 1, 6, 10, 0, 0).unwrap();
    /// let tuesday_nine = Utc.with_ymd_and_hms(2025, 1, 7, 9, 0, 0).unwrap();
    /// assert_eq!(calendar.next_open(monday_ten), monday_ten);
    /// assert_eq!(calendar.next_window_start(monday_ten), tuesday_nine);
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    pub fn next_window_start(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        walk::Forward::new(&self.compiled, at)
            .find(|&(open, _)| open > at)
            .map_or(DateTime::<Utc>::MAX_UTC, |(open, _)| open)
    }

    /// The latest opening instant at or before `at`: the start of the window holding
    /// `at`, or of the last window before it.
    ///
    /// In the impossible case that no window opened since the start of chrono's range,
    /// returns [`DateTime::<Utc>::MIN_UTC`].
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
    /// // Sunday 5 January 2025 → Friday 3 January, 09:00.
    /// let sunday = Utc.with_ymd_and_hms(2025, 1, 5, 12, 0, 0).unwrap();
    /// let friday = Utc.with_ymd_and_hms(2025, 1, 3, 9, 0, 0).unwrap();
    /// assert_eq!(calendar.previous_open(sunday), friday);
    /// assert_eq!(calendar.previous_open(friday), friday);
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    pub fn previous_open(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        walk::Backward::new(&self.compiled, at)
            .find(|&(open, _)| open <= at)
            .map_or(DateTime::<Utc>::MIN_UTC, |(open, _)| open)
    }

    /// The last instant at or before `at` up to which working time ran: `at` itself
    /// when the calendar was open just before it (`start < at <= end` for a window),
    /// otherwise the closing instant of the last window before `at`. The mirror of
    /// [`next_open`](Self::next_open): "the previous working instant".
    ///
    /// In the impossible case that no window closed since the start of chrono's range,
    /// returns [`DateTime::<Utc>::MIN_UTC`].
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
    /// let at = |d, h| Utc.with_ymd_and_hms(2025, 1, d, h, 0, 0).unwrap();
    /// assert_eq!(calendar.previous_close(at(5, 12)), at(3, 17)); // Sunday → Friday 17:00
    /// assert_eq!(calendar.previous_close(at(6, 17)), at(6, 17)); // a closing instant
    /// assert_eq!(calendar.previous_close(at(6, 11)), at(6, 11)); // open
    /// assert_eq!(calendar.previous_close(at(6, 9)), at(3, 17)); // nothing ran yet today
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    pub fn previous_close(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        walk::Backward::new(&self.compiled, at)
            .find(|&(open, _)| open < at)
            .map_or(DateTime::<Utc>::MIN_UTC, |(_, close)| close.min(at))
    }

    /// The instant at which `duration` of working time has elapsed since `start`.
    ///
    /// The rules:
    ///
    /// - for a positive duration the result lies inside a window or at its closing
    ///   instant, never at an opening: exactly one day's work from Monday 09:00 is
    ///   Monday 17:00, not Tuesday 09:00;
    /// - a zero duration gives [`next_open`](Self::next_open)`(start)`: `start` itself
    ///   when open, otherwise the next opening (where the clock would start running);
    /// - in all cases `business_time_between(start, add(start, d)) == d`;
    /// - daylight saving as in the [module docs](self): the working time is the real
    ///   time that elapses, so a 01:00–03:00 window holds three hours on a fall-back
    ///   day and a 02:30–04:00 window one hour on a spring-forward day; a window edge
    ///   in a skipped hour is the first instant after the gap, one in a repeated hour
    ///   is its first occurrence;
    /// - a day with no windows (a holiday, a weekend, a closure without windows)
    ///   contributes nothing, except that an overnight window of the day before still
    ///   runs into its morning.
    ///
    /// ```
    /// # use chrono::{NaiveTime, TimeDelta, TimeZone, Utc};
    /// # use service_recovery::schedule::{BusinessCalendar, CalendarConfig, WeekSchedule, WorkingWindow};
    /// # let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    /// let calendar = BusinessCalendar::new(
    ///     CalendarConfig::builder()
    ///         .time_zone(chrono_tz::UTC)
    ///         .week(WeekSchedule::weekdays(&[WorkingWindow::new(t(9), t(17))]))
    ///         .build(),
    /// )?;
    /// // Friday 3 January 2025, 16:00 + 2 working hours → Monday 10:00.
    /// let friday = Utc.with_ymd_and_hms(2025, 1, 3, 16, 0, 0).unwrap();
    /// let due = calendar.add(friday, TimeDelta::hours(2))?;
    /// assert_eq!(due, Utc.with_ymd_and_hms(2025, 1, 6, 10, 0, 0).unwrap());
    ///
    /// // A window's end is an answer: 1 hour from Friday 16:00 is Friday 17:00.
    /// let close = Utc.with_ymd_and_hms(2025, 1, 3, 17, 0, 0).unwrap();
    /// assert_eq!(calendar.add(friday, TimeDelta::hours(1))?, close);
    /// // Adding zero when closed gives the next opening; the weekend counts nothing.
    /// let monday = Utc.with_ymd_and_hms(2025, 1, 6, 9, 0, 0).unwrap();
    /// assert_eq!(calendar.add(close, TimeDelta::zero())?, monday);
    /// assert_eq!(calendar.add(friday, TimeDelta::zero())?, friday);
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    ///
    /// Across daylight-saving changes, in Paris with a 01:00–03:00 window every day:
    ///
    /// ```
    /// # use chrono::{NaiveTime, TimeDelta, TimeZone, Utc};
    /// # use service_recovery::schedule::{BusinessCalendar, CalendarConfig, WeekSchedule, WorkingWindow};
    /// # let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    /// let w = vec![WorkingWindow::new(t(1), t(3))];
    /// let week = WeekSchedule::builder()
    ///     .monday(w.clone()).tuesday(w.clone()).wednesday(w.clone()).thursday(w.clone())
    ///     .friday(w.clone()).saturday(w.clone()).sunday(w)
    ///     .build();
    /// let calendar = BusinessCalendar::new(
    ///     CalendarConfig::builder().time_zone(chrono_tz::Europe::Paris).week(week).build(),
    /// )?;
    /// // Fall back, 26 October 2025: 01:00 CEST (23:00 UTC) to 03:00 CET (02:00 UTC),
    /// // three real hours.
    /// let opening = Utc.with_ymd_and_hms(2025, 10, 25, 23, 0, 0).unwrap();
    /// let closing = Utc.with_ymd_and_hms(2025, 10, 26, 2, 0, 0).unwrap();
    /// assert_eq!(calendar.add(opening, TimeDelta::hours(3))?, closing);
    /// // Spring forward, 30 March 2025: 02:00 does not exist, so the window runs from
    /// // 01:00 CET (00:00 UTC) to 03:00 CEST (01:00 UTC), one real hour.
    /// let opening = Utc.with_ymd_and_hms(2025, 3, 30, 0, 0, 0).unwrap();
    /// let closing = Utc.with_ymd_and_hms(2025, 3, 30, 1, 0, 0).unwrap();
    /// assert_eq!(calendar.add(opening, TimeDelta::hours(1))?, closing);
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`CalendarError::NegativeDuration`] for a negative duration (use
    /// [`subtract`](Self::subtract) to count backwards), and
    /// [`CalendarError::OutOfRange`] when the result would lie past chrono's range.
    pub fn add(
        &self,
        start: DateTime<Utc>,
        duration: TimeDelta,
    ) -> Result<DateTime<Utc>, CalendarError> {
        match duration.cmp(&TimeDelta::zero()) {
            Ordering::Less => Err(CalendarError::NegativeDuration { duration }),
            Ordering::Equal => self
                .compiled
                .next_open(start)
                .ok_or(CalendarError::OutOfRange),
            Ordering::Greater => self
                .compiled
                .add(start, nanos(duration))
                .ok_or(CalendarError::OutOfRange),
        }
    }

    /// The latest instant from which `duration` of working time runs until `end`:
    /// "two business hours before the promise is due".
    ///
    /// The rules, the mirror of [`add`](Self::add)'s:
    ///
    /// - for a positive duration the result lies inside a window or at its opening
    ///   instant, never at a closing instant: two working hours before Monday 11:00 in
    ///   a 09:00–17:00 week is Monday 09:00, not Friday 17:00;
    /// - a zero duration gives `end` itself, unchanged (the latest instant with no
    ///   working time before `end`);
    /// - in all cases `business_time_between(subtract(end, d), end) == d`, and
    ///   `subtract(add(t, d), d)` is `t` when `t` is open and otherwise
    ///   [`next_open`](Self::next_open)`(t)`, the opening from which `add` counted;
    /// - daylight saving as in the [module docs](self): the working time is the real
    ///   time that elapses, so on a fall-back day a 01:00–03:00 window holds three
    ///   hours to subtract, and on a spring-forward day a 02:30–04:00 window holds one.
    ///
    /// The cost does not grow with the span, as for `add`.
    ///
    /// ```
    /// # use chrono::{NaiveTime, TimeDelta, TimeZone, Utc};
    /// # use service_recovery::schedule::{BusinessCalendar, CalendarConfig, WeekSchedule, WorkingWindow};
    /// # let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    /// let calendar = BusinessCalendar::new(
    ///     CalendarConfig::builder()
    ///         .time_zone(chrono_tz::UTC)
    ///         .week(WeekSchedule::weekdays(&[WorkingWindow::new(t(9), t(17))]))
    ///         .build(),
    /// )?;
    /// // Due Monday 6 January 2025 at 10:00: remind two working hours before, Friday 16:00.
    /// let due = Utc.with_ymd_and_hms(2025, 1, 6, 10, 0, 0).unwrap();
    /// let remind = calendar.subtract(due, TimeDelta::hours(2))?;
    /// assert_eq!(remind, Utc.with_ymd_and_hms(2025, 1, 3, 16, 0, 0).unwrap());
    /// // One hour before lands on Monday's opening, not on Friday's close.
    /// let opening = Utc.with_ymd_and_hms(2025, 1, 6, 9, 0, 0).unwrap();
    /// assert_eq!(calendar.subtract(due, TimeDelta::hours(1))?, opening);
    /// assert_eq!(calendar.subtract(due, TimeDelta::zero())?, due);
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    ///
    /// Across a fall-back, in New York with a 01:00–03:00 window on Sundays: on
    /// 2 November 2025 it runs from 01:00 EDT (05:00 UTC) to 03:00 EST (08:00 UTC), and
    /// three hours before its end is its start.
    ///
    /// ```
    /// # use chrono::{NaiveTime, TimeDelta, TimeZone, Utc};
    /// # use service_recovery::schedule::{BusinessCalendar, CalendarConfig, WeekSchedule, WorkingWindow};
    /// # let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    /// let calendar = BusinessCalendar::new(
    ///     CalendarConfig::builder()
    ///         .time_zone(chrono_tz::America::New_York)
    ///         .week(WeekSchedule::builder().sunday(vec![WorkingWindow::new(t(1), t(3))]).build())
    ///         .build(),
    /// )?;
    /// let end = Utc.with_ymd_and_hms(2025, 11, 2, 8, 0, 0).unwrap();
    /// let start = Utc.with_ymd_and_hms(2025, 11, 2, 5, 0, 0).unwrap();
    /// assert_eq!(calendar.subtract(end, TimeDelta::hours(3))?, start);
    /// // A fourth hour comes from the Sunday before, 02:00–03:00 EDT.
    /// let before = Utc.with_ymd_and_hms(2025, 10, 26, 6, 0, 0).unwrap();
    /// assert_eq!(calendar.subtract(end, TimeDelta::hours(4))?, before);
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`CalendarError::NegativeDuration`] for a negative duration, and
    /// [`CalendarError::OutOfRange`] when the result would lie before chrono's range.
    pub fn subtract(
        &self,
        end: DateTime<Utc>,
        duration: TimeDelta,
    ) -> Result<DateTime<Utc>, CalendarError> {
        match duration.cmp(&TimeDelta::zero()) {
            Ordering::Less => Err(CalendarError::NegativeDuration { duration }),
            Ordering::Equal => Ok(end),
            Ordering::Greater => self
                .compiled
                .subtract(end, nanos(duration))
                .ok_or(CalendarError::OutOfRange),
        }
    }

    /// The working time between `from` and `to`; zero if `to` is not after `from`
    /// (see [`signed_business_time_between`](Self::signed_business_time_between) for a
    /// negative answer). The working time is the real time elapsed inside windows, so
    /// it counts a repeated fall-back hour and not a skipped spring-forward one.
    ///
    /// ```
    /// # use chrono::{NaiveTime, TimeDelta, TimeZone, Utc};
    /// # use service_recovery::schedule::{BusinessCalendar, CalendarConfig, WeekSchedule, WorkingWindow};
    /// # let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    /// let calendar = BusinessCalendar::new(
    ///     CalendarConfig::builder()
    ///         .time_zone(chrono_tz::UTC)
    ///         .week(WeekSchedule::weekdays(&[WorkingWindow::new(t(9), t(17))]))
    ///         .build(),
    /// )?;
    /// let from = Utc.with_ymd_and_hms(2025, 1, 6, 0, 0, 0).unwrap();
    /// let to = Utc.with_ymd_and_hms(2025, 1, 13, 0, 0, 0).unwrap();
    /// assert_eq!(calendar.business_time_between(from, to), TimeDelta::hours(40));
    /// assert_eq!(calendar.business_time_between(to, from), TimeDelta::zero());
    ///
    /// // Open all day on Sundays in London: the day the clocks go back has 25 hours.
    /// let sundays = BusinessCalendar::new(
    ///     CalendarConfig::builder()
    ///         .time_zone(chrono_tz::Europe::London)
    ///         .week(WeekSchedule::builder().sunday(vec![WorkingWindow::parse("00:00", "24:00")?]).build())
    ///         .build(),
    /// )?;
    /// let from = Utc.with_ymd_and_hms(2025, 10, 25, 0, 0, 0).unwrap();
    /// let to = Utc.with_ymd_and_hms(2025, 10, 28, 0, 0, 0).unwrap();
    /// assert_eq!(sundays.business_time_between(from, to), TimeDelta::hours(25));
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    pub fn business_time_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> TimeDelta {
        if to <= from {
            return TimeDelta::zero();
        }
        delta_from_nanos(self.compiled.between(from, to))
    }

    /// The working time from `from` to `to`, negative when `to` is before `from`:
    /// swapping the arguments changes the sign only.
    ///
    /// ```
    /// # use chrono::{NaiveTime, TimeDelta, TimeZone, Utc};
    /// # use service_recovery::schedule::{BusinessCalendar, CalendarConfig, WeekSchedule, WorkingWindow};
    /// # let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    /// let calendar = BusinessCalendar::new(
    ///     CalendarConfig::builder()
    ///         .time_zone(chrono_tz::UTC)
    ///         .week(WeekSchedule::weekdays(&[WorkingWindow::new(t(9), t(17))]))
    ///         .build(),
    /// )?;
    /// let friday = Utc.with_ymd_and_hms(2025, 1, 3, 16, 0, 0).unwrap();
    /// let monday = Utc.with_ymd_and_hms(2025, 1, 6, 10, 0, 0).unwrap();
    /// assert_eq!(calendar.signed_business_time_between(friday, monday), TimeDelta::hours(2));
    /// assert_eq!(calendar.signed_business_time_between(monday, friday), TimeDelta::hours(-2));
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    pub fn signed_business_time_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> TimeDelta {
        match from.cmp(&to) {
            Ordering::Less => delta_from_nanos(self.compiled.between(from, to)),
            Ordering::Equal => TimeDelta::zero(),
            Ordering::Greater => delta_from_nanos(-self.compiled.between(to, from)),
        }
    }

    /// `at` in the calendar's time zone, for display.
    ///
    /// ```
    /// # use chrono::{NaiveTime, TimeZone, Utc};
    /// # use service_recovery::schedule::{BusinessCalendar, CalendarConfig, WeekSchedule, WorkingWindow};
    /// # let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    /// let calendar = BusinessCalendar::new(
    ///     CalendarConfig::builder()
    ///         .time_zone(chrono_tz::Europe::Paris)
    ///         .week(WeekSchedule::weekdays(&[WorkingWindow::new(t(9), t(17))]))
    ///         .build(),
    /// )?;
    /// let at = Utc.with_ymd_and_hms(2025, 7, 1, 7, 0, 0).unwrap();
    /// assert_eq!(calendar.local(at).to_rfc3339(), "2025-07-01T09:00:00+02:00");
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    pub fn local(&self, at: DateTime<Utc>) -> DateTime<Tz> {
        at.with_timezone(&self.compiled.tz)
    }

    /// The same questions with answers in the calendar's own time zone
    /// (`chrono_tz` date-times) for display; see [`Zoned`].
    pub fn zoned(&self) -> Zoned<'_> {
        Zoned::new(self)
    }
}

fn nanos(delta: TimeDelta) -> i128 {
    i128::from(delta.num_seconds()) * NANOS_PER_SEC + i128::from(delta.subsec_nanos())
}

fn delta_from_nanos(total: i128) -> TimeDelta {
    let secs = i64::try_from(total.div_euclid(NANOS_PER_SEC));
    let sub = u32::try_from(total.rem_euclid(NANOS_PER_SEC));
    match (secs, sub) {
        (Ok(secs), Ok(sub)) => TimeDelta::new(secs, sub).unwrap_or(TimeDelta::MAX),
        _ => TimeDelta::MAX,
    }
}

fn time_of(secs: i64) -> NaiveTime {
    u32::try_from(secs.rem_euclid(DAY_SECS))
        .ok()
        .and_then(|s| NaiveTime::from_num_seconds_from_midnight_opt(s, 0))
        .unwrap_or(NaiveTime::MIN)
}

fn midnight_timestamp(date: NaiveDate) -> i64 {
    date.and_time(NaiveTime::MIN).and_utc().timestamp()
}

fn span_of(day: DayRef, window: &WorkingWindow) -> Result<Span, CalendarError> {
    for time in [window.start, window.end] {
        if time.nanosecond() != 0 {
            return Err(CalendarError::FractionalSecond { day, time });
        }
    }
    let start = i64::from(window.start.num_seconds_from_midnight());
    let end = i64::from(window.end.num_seconds_from_midnight());
    let (start_time, end_time) = (window.start, window.end);
    if window.overnight {
        if end > start {
            return Err(CalendarError::OvernightTooLong {
                day,
                start: start_time,
                end: end_time,
            });
        }
        Ok(Span {
            start,
            end: end + DAY_SECS,
        })
    } else {
        match end.cmp(&start) {
            Ordering::Equal => Err(CalendarError::EmptyWindow {
                day,
                start: start_time,
                end: end_time,
            }),
            Ordering::Less => Err(CalendarError::EndsBeforeStart {
                day,
                start: start_time,
                end: end_time,
            }),
            Ordering::Greater => Ok(Span { start, end }),
        }
    }
}

fn spans_of(day: DayRef, windows: &[WorkingWindow]) -> Result<Vec<Span>, CalendarError> {
    let mut spans = windows
        .iter()
        .map(|w| span_of(day, w))
        .collect::<Result<Vec<_>, _>>()?;
    spans.sort_by_key(|s| s.start);
    Ok(spans)
}

/// Checks that the windows of a day and those of the next day do not overlap.
fn check_pair(
    day: DayRef,
    spans: &[Span],
    next_day: DayRef,
    next_spans: &[Span],
) -> Result<(), CalendarError> {
    let mut all: Vec<(Span, DayRef)> = spans.iter().map(|&s| (s, day)).collect();
    all.extend(next_spans.iter().map(|s| {
        (
            Span {
                start: s.start + DAY_SECS,
                end: s.end + DAY_SECS,
            },
            next_day,
        )
    }));
    all.sort_by_key(|(s, _)| s.start);
    let mut widest: Option<(Span, DayRef)> = None;
    for (span, owner) in all {
        if let Some((previous, previous_owner)) = widest {
            if span.start < previous.end {
                return Err(CalendarError::Overlap {
                    day: previous_owner,
                    first_start: time_of(previous.start),
                    first_end: time_of(previous.end),
                    second_start: time_of(span.start),
                    second_end: time_of(span.end),
                });
            }
        }
        if widest.is_none_or(|(w, _)| span.end > w.end) {
            widest = Some((span, owner));
        }
    }
    Ok(())
}

impl Compiled {
    fn new(config: &CalendarConfig) -> Result<Self, CalendarError> {
        let mut week: [Vec<Span>; 7] = Default::default();
        for (slot, day) in week.iter_mut().zip(WEEKDAYS) {
            *slot = spans_of(DayRef::Weekday(day), config.week.windows(day))?;
        }
        for (index, day) in WEEKDAYS.iter().enumerate() {
            let next = WEEKDAYS
                .get((index + 1) % 7)
                .copied()
                .unwrap_or(Weekday::Mon);
            check_pair(
                DayRef::Weekday(*day),
                week.get(index).map_or(&[][..], Vec::as_slice),
                DayRef::Weekday(next),
                week.get((index + 1) % 7).map_or(&[][..], Vec::as_slice),
            )?;
        }
        let week_secs: i64 = week.iter().flatten().map(|s| s.secs()).sum();
        if week_secs == 0 {
            return Err(CalendarError::EmptyWeek);
        }
        let mut day_nanos = [0; 7];
        for (slot, spans) in day_nanos.iter_mut().zip(&week) {
            *slot = i128::from(spans.iter().map(|s| s.secs()).sum::<i64>()) * NANOS_PER_SEC;
        }

        let mut yearly = Vec::with_capacity(config.yearly_holidays.len());
        for &YearlyDate { month, day } in &config.yearly_holidays {
            // 2000 is a leap year, so February 29 is accepted.
            if NaiveDate::from_ymd_opt(2000, month, day).is_none() {
                return Err(CalendarError::InvalidYearlyDate { month, day });
            }
            yearly.push((month, day));
        }
        yearly.sort_unstable();
        yearly.dedup();
        if yearly.len() >= 366 {
            return Err(CalendarError::EveryDayIsAHoliday);
        }

        let mut holidays = config.holidays.clone();
        holidays.sort_unstable();
        holidays.dedup();

        let mut closures = Vec::with_capacity(config.closures.len());
        for closure in &config.closures {
            closures.push((
                closure.date,
                spans_of(DayRef::Date(closure.date), &closure.windows)?,
            ));
        }
        closures.sort_by_key(|(date, _)| *date);
        for pair in closures.windows(2) {
            if let [(a, _), (b, _)] = pair {
                if a == b {
                    return Err(CalendarError::DuplicateClosure { date: *a });
                }
            }
        }

        let compiled = Self {
            tz: config.time_zone,
            week,
            week_nanos: i128::from(week_secs) * NANOS_PER_SEC,
            week_days: day_nanos.iter().map(|&n| i128::from(n > 0)).sum(),
            day_nanos,
            holidays,
            yearly,
            closures,
            transitions: transitions::transitions(config.time_zone),
            index: Arc::new(OnceLock::new()),
        };
        compiled.check_closure_neighbours()?;
        Ok(compiled)
    }

    /// A closure's windows must not overlap the overnight window of the day before, nor
    /// its own overnight window the next day's windows.
    fn check_closure_neighbours(&self) -> Result<(), CalendarError> {
        let label = |date: NaiveDate| {
            if self.closure(date).is_some() {
                DayRef::Date(date)
            } else {
                DayRef::Weekday(date.weekday())
            }
        };
        for (date, spans) in &self.closures {
            if let Some(before) = date.pred_opt() {
                check_pair(
                    label(before),
                    self.schedule(before),
                    DayRef::Date(*date),
                    spans,
                )?;
            }
            if let Some(after) = date.succ_opt() {
                check_pair(
                    DayRef::Date(*date),
                    spans,
                    label(after),
                    self.schedule(after),
                )?;
            }
        }
        Ok(())
    }

    fn closure(&self, date: NaiveDate) -> Option<&[Span]> {
        self.closures
            .binary_search_by_key(&date, |(d, _)| *d)
            .ok()
            .and_then(|i| self.closures.get(i))
            .map(|(_, spans)| spans.as_slice())
    }

    fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.binary_search(&date).is_ok()
            || self
                .yearly
                .binary_search(&(date.month(), date.day()))
                .is_ok()
    }

    fn index(&self) -> &index::Index {
        self.index.get_or_init(|| index::Index::build(self))
    }

    /// The template working time of `date`'s weekday.
    fn template_nanos(&self, date: NaiveDate) -> i128 {
        self.day_nanos
            .get(date.weekday().num_days_from_monday() as usize)
            .copied()
            .unwrap_or(0)
    }

    /// `measure` of `date`'s weekday template.
    fn template_measure(&self, date: NaiveDate, measure: index::Measure) -> i128 {
        match measure {
            index::Measure::Time => self.template_nanos(date),
            index::Measure::Days => i128::from(self.template_nanos(date) > 0),
        }
    }

    /// `measure` of a regular week.
    fn week_measure(&self, measure: index::Measure) -> i128 {
        match measure {
            index::Measure::Time => self.week_nanos,
            index::Measure::Days => self.week_days,
        }
    }

    /// `measure` of the days `from..to` if they are all regular days.
    fn regular_sum(&self, from: NaiveDate, to: NaiveDate, measure: index::Measure) -> i128 {
        let days = (to - from).num_days().max(0);
        let mut total = i128::from(days / 7) * self.week_measure(measure);
        let mut date = from;
        for _ in 0..days % 7 {
            total += self.template_measure(date, measure);
            date = date.succ_opt().unwrap_or(date);
        }
        total
    }

    fn template(&self, day: Weekday) -> &[Span] {
        self.week
            .get(day.num_days_from_monday() as usize)
            .map_or(&[][..], Vec::as_slice)
    }

    /// The windows owned by a local date.
    fn schedule(&self, date: NaiveDate) -> &[Span] {
        if let Some(spans) = self.closure(date) {
            spans
        } else if self.is_holiday(date) {
            &[]
        } else {
            self.template(date.weekday())
        }
    }

    /// Whether the UTC offset is constant over everything a day's windows can touch.
    fn offset_is_steady(&self, date: NaiveDate) -> bool {
        let midnight = midnight_timestamp(date);
        let (low, high) = (midnight - 2 * DAY_SECS, midnight + 4 * DAY_SECS);
        let index = self.transitions.partition_point(|&t| t < low);
        self.transitions.get(index).is_none_or(|&t| t >= high)
    }

    /// The first date at or after `date` that is not an ordinary template day with a
    /// steady offset; `None` if every day from `date` on is ordinary.
    fn next_irregular(&self, date: NaiveDate) -> Option<NaiveDate> {
        let midnight = midnight_timestamp(date);
        let mut first: Option<NaiveDate> = None;
        let mut consider = |candidate: NaiveDate| {
            let candidate = candidate.max(date);
            if first.is_none_or(|f| candidate < f) {
                first = Some(candidate);
            }
        };
        let index = self
            .transitions
            .partition_point(|&t| t < midnight - 2 * DAY_SECS);
        if let Some(&t) = self.transitions.get(index) {
            if let Some(day) = DateTime::from_timestamp(t, 0)
                .map(|d| d.date_naive())
                .and_then(|d| d.checked_sub_days(Days::new(4)))
            {
                consider(day);
            }
        }
        if let Some(&holiday) = self
            .holidays
            .get(self.holidays.partition_point(|&h| h < date))
        {
            consider(holiday);
        }
        if let Some((closure, _)) = self
            .closures
            .get(self.closures.partition_point(|(c, _)| *c < date))
        {
            consider(*closure);
        }
        for &(month, day) in &self.yearly {
            // February 29 can be eight years away (2096 → 2104).
            if let Some(next) = (date.year()..=date.year().saturating_add(8))
                .filter_map(|year| NaiveDate::from_ymd_opt(year, month, day))
                .find(|d| *d >= date)
            {
                consider(next);
            }
        }
        first
    }

    /// How many whole weeks from `date` on consist only of regular days.
    fn regular_weeks_from(&self, date: NaiveDate) -> i128 {
        self.next_irregular(date).map_or(i128::MAX, |end| {
            i128::from((end - date).num_days().max(0) / 7)
        })
    }

    fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        let offset = self.tz.offset_from_utc_datetime(&at.naive_utc()).fix();
        at.naive_utc()
            .checked_add_offset(offset)
            .map_or_else(|| at.date_naive(), |local| local.date())
    }

    /// Maps a wall-clock time to the first instant at which the clock shows it or a
    /// later time; with a known steady `offset`, by plain arithmetic.
    fn resolve(&self, local: NaiveDateTime, offset: Option<FixedOffset>) -> Option<DateTime<Utc>> {
        if let Some(offset) = offset {
            return local.checked_sub_offset(offset).map(|n| n.and_utc());
        }
        match self.tz.from_local_datetime(&local) {
            LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Some(at.with_timezone(&Utc)),
            LocalResult::None => GapInfo::new(&local, &self.tz)
                .and_then(|gap| gap.end)
                .map(|at| at.with_timezone(&Utc))
                .or_else(|| {
                    let offset = self.tz.offset_from_utc_datetime(&local).fix();
                    local.checked_sub_offset(offset).map(|n| n.and_utc())
                }),
        }
    }

    /// Appends the working intervals owned by `date`, in order, to `out`.
    fn day_intervals(&self, date: NaiveDate, out: &mut Vec<Interval>) {
        let spans = self.schedule(date);
        if spans.is_empty() {
            return;
        }
        let midnight = date.and_time(NaiveTime::MIN);
        let offset = self
            .offset_is_steady(date)
            .then(|| self.tz.offset_from_utc_datetime(&midnight).fix());
        let at = |secs: i64| {
            midnight
                .checked_add_signed(TimeDelta::seconds(secs))
                .and_then(|local| self.resolve(local, offset))
        };
        for span in spans {
            if let (Some(start), Some(end)) = (at(span.start), at(span.end)) {
                if end > start {
                    out.push((start, end));
                }
            }
        }
    }

    fn next_open(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let first = self.local_date(at);
        let mut date = first.pred_opt().unwrap_or(first);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            self.day_intervals(date, &mut buf);
            if let Some(&(start, _)) = buf.iter().find(|(_, end)| *end > at) {
                return Some(start.max(at));
            }
            date = date.succ_opt()?;
        }
    }

    /// `remaining` is positive.
    fn add(&self, start: DateTime<Utc>, mut remaining: i128) -> Option<DateTime<Utc>> {
        let first = self.local_date(start);
        // Days before this one may hold intervals that begin before `start` or (after a
        // fall-back across midnight) out of date order: they are walked one by one.
        let skip_from = first.checked_add_days(Days::new(2));
        let mut date = first.pred_opt().unwrap_or(first);
        let mut indexed = false;
        let mut per_cycle = cycle::PerCycle::default();
        let mut buf = Vec::new();
        loop {
            if skip_from.is_some_and(|from| date >= from) {
                if !indexed && (index::FIRST..index::END).contains(&date) {
                    // Jump straight to the day that holds the due instant, or to the end
                    // of the index.
                    indexed = true;
                    let index = self.index();
                    let target = index.cumulative(self, date, index::Measure::Time) + remaining;
                    let to = index
                        .date_reaching(self, target, index::Measure::Time)
                        .unwrap_or(index::END);
                    remaining = target - index.cumulative(self, to, index::Measure::Time);
                    date = to;
                    continue;
                }
                if self.spans_cycles(remaining, index::Measure::Time) && self.clean_cycle(date) {
                    let cycle = per_cycle.measure(self, date, index::Measure::Time)?;
                    if remaining > cycle {
                        date = date.checked_add_days(Days::new(cycle::DAYS))?;
                        remaining -= cycle;
                        continue;
                    }
                }
                // Leave at least a nanosecond so the due instant is found in a real window.
                let weeks = ((remaining - 1) / self.week_nanos).min(self.regular_weeks_from(date));
                // (Zero weeks when `remaining` is at most a week.)
                if weeks > 0 {
                    let days = u64::try_from(weeks.checked_mul(7)?).ok()?;
                    date = date.checked_add_days(Days::new(days))?;
                    remaining -= weeks * self.week_nanos;
                    continue;
                }
            }
            buf.clear();
            self.day_intervals(date, &mut buf);
            for &(open, close) in &buf {
                let open = open.max(start);
                if close <= open {
                    continue;
                }
                let length = nanos(close - open);
                if remaining <= length {
                    let step = TimeDelta::nanoseconds(i64::try_from(remaining).ok()?);
                    return open.checked_add_signed(step);
                }
                remaining -= length;
            }
            date = date.succ_opt()?;
        }
    }

    /// `from < to`.
    fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i128 {
        let first = self.local_date(from);
        let last = self.local_date(to).succ_opt();
        let skip_from = first.checked_add_days(Days::new(2));
        let mut date = first.pred_opt().unwrap_or(first);
        let mut total = 0;
        let mut per_cycle = cycle::PerCycle::default();
        let mut buf = Vec::new();
        while last.is_some_and(|last| date <= last) {
            if let (Some(skip_from), Some(last)) = (skip_from, last) {
                // The days up to the day before `to`'s own are counted whole.
                let until = last
                    .checked_sub_days(Days::new(2))
                    .unwrap_or(last)
                    .min(index::END);
                if date >= skip_from && date >= index::FIRST && until > date {
                    let index = self.index();
                    total += index.cumulative(self, until, index::Measure::Time)
                        - index.cumulative(self, date, index::Measure::Time);
                    date = until;
                    continue;
                }
                if date >= skip_from {
                    // A skipped block's last overnight window ends by local midnight of
                    // the day after it, which must not pass the day of `to` (= last - 1).
                    let days = i128::from((last - date).num_days() - 2).max(0);
                    if days >= i128::from(cycle::DAYS) && self.clean_cycle(date) {
                        if let (Some(cycle), Some(next)) = (
                            per_cycle.measure(self, date, index::Measure::Time),
                            date.checked_add_days(Days::new(cycle::DAYS)),
                        ) {
                            total += cycle;
                            date = next;
                            continue;
                        }
                    }
                    let room = days / 7;
                    let weeks = room.min(self.regular_weeks_from(date));
                    if weeks > 0 {
                        if let Some(next) = u64::try_from(weeks * 7)
                            .ok()
                            .and_then(|days| date.checked_add_days(Days::new(days)))
                        {
                            date = next;
                            total += weeks * self.week_nanos;
                            continue;
                        }
                    }
                }
            }
            buf.clear();
            self.day_intervals(date, &mut buf);
            for &(open, close) in &buf {
                let (open, close) = (open.max(from), close.min(to));
                if close > open {
                    total += nanos(close - open);
                }
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn nine_to_five(tz: Tz) -> CalendarConfig {
        CalendarConfig::builder()
            .time_zone(tz)
            .week(WeekSchedule::weekdays(&[WorkingWindow::new(
                t(9, 0),
                t(17, 0),
            )]))
            .build()
    }

    /// Days near an offset change are irregular (walked one by one); in Paris the
    /// change of 30 March 2025 (01:00 UTC) unsettles the days up to 2 April, and the
    /// change of 26 October 2025 those from 22 October.
    #[test]
    fn irregular_days_lie_around_the_offset_changes() {
        let calendar = BusinessCalendar::new(nine_to_five(chrono_tz::Europe::Paris)).unwrap();
        let compiled = &calendar.compiled;
        let day = |month, day| NaiveDate::from_ymd_opt(2025, month, day).unwrap();
        assert_eq!(compiled.previous_irregular(day(7, 14)), Some(day(4, 2)));
        assert_eq!(compiled.next_irregular(day(7, 14)), Some(day(10, 22)));
        assert_eq!(compiled.previous_irregular(day(3, 31)), Some(day(3, 31)));
        assert_eq!(compiled.next_irregular(day(3, 31)), Some(day(3, 31)));
        assert!(!compiled.offset_is_steady(day(3, 31)));
        assert!(compiled.offset_is_steady(day(7, 14)));
        // An offset change unsettles a day from two days before its midnight on.
        let mut changed = compiled.clone();
        let edge = midnight_timestamp(day(7, 14)) - 2 * DAY_SECS;
        changed.transitions = Arc::from(vec![edge]);
        assert_eq!(changed.next_irregular(day(7, 14)), Some(day(7, 14)));
        assert!(!changed.offset_is_steady(day(7, 14)));
        changed.transitions = Arc::from(vec![edge - 1]);
        assert_eq!(changed.next_irregular(day(7, 14)), None);
        assert!(changed.offset_is_steady(day(7, 14)));
    }

    #[test]
    fn overnight_window_spans_two_days() {
        let span = span_of(
            DayRef::Weekday(Weekday::Fri),
            &WorkingWindow::overnight(t(22, 0), t(6, 0)),
        )
        .unwrap();
        assert_eq!(span.secs(), 8 * 3600);
    }

    #[test]
    fn overnight_window_of_a_whole_day() {
        let span = span_of(
            DayRef::Weekday(Weekday::Fri),
            &WorkingWindow::overnight(t(0, 0), t(0, 0)),
        )
        .unwrap();
        assert_eq!(span.secs(), DAY_SECS);
    }

    #[test]
    fn sunday_overnight_overlapping_monday_is_rejected() {
        let mut config = nine_to_five(chrono_tz::UTC);
        config.week.sunday = vec![WorkingWindow::overnight(t(20, 0), t(10, 0))];
        let error = BusinessCalendar::new(config).unwrap_err();
        assert!(matches!(
            error,
            CalendarError::Overlap {
                day: DayRef::Weekday(Weekday::Sun),
                ..
            }
        ));
    }

    #[test]
    fn closure_overlapping_the_previous_overnight_window_is_rejected() {
        let mut config = nine_to_five(chrono_tz::UTC);
        config.week.friday = vec![WorkingWindow::overnight(t(22, 0), t(6, 0))];
        // Saturday 4 January 2025.
        config.closures = vec![PartialClosure {
            date: NaiveDate::from_ymd_opt(2025, 1, 4).unwrap(),
            windows: vec![WorkingWindow::new(t(5, 0), t(8, 0))],
        }];
        let error = BusinessCalendar::new(config).unwrap_err();
        assert!(matches!(error, CalendarError::Overlap { .. }), "{error}");
    }

    #[test]
    fn next_irregular_finds_the_nearest_exception() {
        let mut config = nine_to_five(chrono_tz::Europe::Paris);
        config.yearly_holidays = vec![YearlyDate::new(12, 25)];
        config.holidays = vec![NaiveDate::from_ymd_opt(2025, 11, 11).unwrap()];
        let compiled = Compiled::new(&config).unwrap();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        // The DST change of 26 October 2025 (01:00 UTC) makes 22 October irregular.
        assert_eq!(
            compiled.next_irregular(d(2025, 6, 1)),
            Some(d(2025, 10, 22))
        );
        assert_eq!(
            compiled.next_irregular(d(2025, 10, 29)),
            Some(d(2025, 11, 11))
        );
        assert_eq!(
            compiled.next_irregular(d(2025, 11, 12)),
            Some(d(2025, 12, 25))
        );
    }

    #[test]
    fn delta_round_trip() {
        let delta = TimeDelta::new(123_456, 789).unwrap();
        assert_eq!(delta_from_nanos(nanos(delta)), delta);
    }
}
