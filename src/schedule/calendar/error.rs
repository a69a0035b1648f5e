//! Why a calendar could not be built, or a computation could not be done.

use std::fmt;

use chrono::{NaiveDate, NaiveTime, TimeDelta, Weekday};
use serde::{Deserialize, Serialize};

/// The day whose windows an error is about: a weekday of the regular week, or the date
/// of a partial closure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayRef {
    /// A weekday of the regular week.
    Weekday(Weekday),
    /// The date of a partial closure.
    Date(NaiveDate),
}

impl fmt::Display for DayRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DayRef::Weekday(day) => f.write_str(match day {
                Weekday::Mon => "Monday",
                Weekday::Tue => "Tuesday",
                Weekday::Wed => "Wednesday",
                Weekday::Thu => "Thursday",
                Weekday::Fri => "Friday",
                Weekday::Sat => "Saturday",
                Weekday::Sun => "Sunday",
            }),
            DayRef::Date(date) => write!(f, "{date}"),
        }
    }
}

/// A calendar configuration that cannot be used, or a computation past chrono's range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// A window opens and closes at the same time without being marked overnight.
    #[error("the window of {day} from {start} to {end} has no length")]
    EmptyWindow {
        /// The day of the window.
        day: DayRef,
        /// Its opening time.
        start: NaiveTime,
        /// Its closing time.
        end: NaiveTime,
    },
    /// A window closes before it opens without being marked overnight.
    #[error(
        "the window of {day} from {start} to {end} ends before it starts; mark it overnight if it crosses midnight"
    )]
    EndsBeforeStart {
        /// The day of the window.
        day: DayRef,
        /// Its opening time.
        start: NaiveTime,
        /// Its closing time.
        end: NaiveTime,
    },
    /// A window marked overnight closes after its opening time, so it would last more than a day.
    #[error(
        "the overnight window of {day} from {start} to {end} would last more than a day; an overnight window must end at or before its start time"
    )]
    OvernightTooLong {
        /// The day of the window.
        day: DayRef,
        /// Its opening time.
        start: NaiveTime,
        /// Its closing time.
        end: NaiveTime,
    },
    /// A time has a fraction of a second; windows are given to the second.
    #[error("the time {time} of a window on {day} has a fraction of a second")]
    FractionalSecond {
        /// The day of the window.
        day: DayRef,
        /// The offending time.
        time: NaiveTime,
    },
    /// Two windows overlap (possibly an overnight window with the next day's windows).
    #[error(
        "on {day} the window from {first_start} to {first_end} overlaps the one from {second_start} to {second_end}"
    )]
    Overlap {
        /// The day of the first window.
        day: DayRef,
        /// Opening time of the first window.
        first_start: NaiveTime,
        /// Closing time of the first window.
        first_end: NaiveTime,
        /// Opening time of the second window (on the same day or the next).
        second_start: NaiveTime,
        /// Closing time of the second window.
        second_end: NaiveTime,
    },
    /// The regular week has no working time at all.
    #[error("the week has no working time at all")]
    EmptyWeek,
    /// A yearly holiday names a month and day that do not exist.
    #[error("{month}/{day} is not a day of the year")]
    InvalidYearlyDate {
        /// The month given.
        month: u32,
        /// The day given.
        day: u32,
    },
    /// The yearly holidays cover every day of the year, so there is never working time.
    #[error("the yearly holidays cover every day of the year, so there is never any working time")]
    EveryDayIsAHoliday,
    /// Two partial closures are given for the same date.
    #[error("{date} has more than one partial closure")]
    DuplicateClosure {
        /// The date given twice.
        date: NaiveDate,
    },
    /// A text is not a time of day.
    #[error(
        "`{text}` is not a time of day as HH:MM (or HH:MM:SS; 24:00 ends a window at midnight)"
    )]
    InvalidTime {
        /// The text given.
        text: String,
    },
    /// A window ending at `24:00` is also marked overnight, which would end it a day later.
    #[error(
        "the window from {start} to 24:00 already ends at midnight; it must not also be marked overnight"
    )]
    OvernightUntilMidnight {
        /// Its opening time.
        start: NaiveTime,
    },
    /// A business duration is negative.
    #[error("a business duration cannot be negative, and {duration} is")]
    NegativeDuration {
        /// The duration given.
        duration: TimeDelta,
    },
    /// The result would lie beyond the range of dates that chrono can represent.
    #[error("the result lies beyond the range of representable dates")]
    OutOfRange,
}
