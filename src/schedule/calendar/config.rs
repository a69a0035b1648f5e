//! The configuration of a business calendar: plain data, serde and typed-builder.
//!
//! Nothing here is validated; [`BusinessCalendar::new`](super::BusinessCalendar::new)
//! validates a [`CalendarConfig`] once and compiles it.

use chrono::{NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use typed_builder::TypedBuilder;

use super::CalendarError;

/// One working window of a day, in local wall-clock time.
///
/// Serialized as `{"start": "09:00", "end": "17:00"}`; times are `"HH:MM"` strings
/// (`"HH:MM:SS"` is accepted and written when the seconds are not zero). An overnight
/// window says so explicitly: `{"start": "22:00", "end": "06:00", "overnight": true}`
/// runs from 22:00 on its own day to 06:00 on the next day, and belongs to the day on
/// which it starts. Without `overnight`, a window must end after it starts.
///
/// **Midnight as an end.** `"end": "24:00"` closes the window at the midnight that ends
/// its day: `{"start": "22:00", "end": "24:00"}`, and `{"start": "00:00", "end":
/// "24:00"}` for the whole day. It is read as the equivalent overnight window ending at
/// 00:00 (see [`until_midnight`](Self::until_midnight)), and written back in that form,
/// so it must not be marked overnight itself. In the same way an overnight window whose
/// end equals its start lasts 24 hours: `{"start": "00:00", "end": "00:00", "overnight":
/// true}` is a whole day.
///
/// **Daylight saving.** `start` and `end` are read on the wall clock, and each maps to
/// the first instant at which the clock shows that time or a later one: an edge inside
/// a skipped hour (spring forward) is the first instant after the gap, an edge inside a
/// repeated hour (fall back) is its first occurrence. So the window is one real shift;
/// on a fall-back day a 01:00–03:00 window lasts three hours.
///
/// ```
/// use service_recovery::schedule::WorkingWindow;
///
/// let late: WorkingWindow = serde_json::from_str(r#"{"start": "22:00", "end": "24:00"}"#)?;
/// assert_eq!(late, WorkingWindow::parse("22:00", "24:00")?);
/// assert!(late.overnight);
/// assert_eq!(serde_json::to_string(&late)?, r#"{"start":"22:00","end":"00:00","overnight":true}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    TypedBuilder,
    schemars::JsonSchema,
)]
#[serde(deny_unknown_fields, try_from = "WindowText")]
pub struct WorkingWindow {
    /// Local wall-clock time at which the window opens (the first instant showing it
    /// or a later time; see the daylight-saving rule above).
    #[serde(serialize_with = "hh_mm::serialize")]
    pub start: NaiveTime,
    /// Local wall-clock time at which the window closes (exclusive); on the next day
    /// for an overnight window. Mapped to an instant like `start`.
    #[serde(serialize_with = "hh_mm::serialize")]
    pub end: NaiveTime,
    /// Whether the window crosses midnight into the next day.
    #[serde(default, skip_serializing_if = "is_false")]
    #[builder(default)]
    pub overnight: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl WorkingWindow {
    /// A same-day window from `start` to `end`. `end` must be after `start` once the
    /// calendar is built; for a window that ends at midnight ("24:00") use
    /// [`until_midnight`](Self::until_midnight), and for one that crosses it
    /// [`overnight`](Self::overnight).
    ///
    /// ```
    /// use chrono::NaiveTime;
    /// use service_recovery::schedule::WorkingWindow;
    ///
    /// let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
    /// let five = NaiveTime::from_hms_opt(17, 0, 0).unwrap();
    /// let window = WorkingWindow::new(nine, five);
    /// assert!(!window.overnight);
    /// ```
    pub fn new(start: NaiveTime, end: NaiveTime) -> Self {
        Self {
            start,
            end,
            overnight: false,
        }
    }

    /// A window that opens at `start` and closes at `end` on the next day.
    pub fn overnight(start: NaiveTime, end: NaiveTime) -> Self {
        Self {
            start,
            end,
            overnight: true,
        }
    }

    /// A window from `start` to the midnight that ends its day, "24:00": the overnight
    /// window ending at 00:00. From 00:00 it is the whole day.
    ///
    /// ```
    /// use chrono::NaiveTime;
    /// use service_recovery::schedule::WorkingWindow;
    ///
    /// let ten_pm = NaiveTime::from_hms_opt(22, 0, 0).unwrap();
    /// let window = WorkingWindow::until_midnight(ten_pm);
    /// assert_eq!(window, WorkingWindow::overnight(ten_pm, NaiveTime::MIN));
    /// ```
    pub fn until_midnight(start: NaiveTime) -> Self {
        Self::overnight(start, NaiveTime::MIN)
    }

    /// A same-day window from two `"HH:MM"` (or `"HH:MM:SS"`) texts, as a person writes
    /// them; the end may be `"24:00"` (see [`until_midnight`](Self::until_midnight)).
    /// The window is checked when the calendar is built, like any other.
    ///
    /// ```
    /// use chrono::NaiveTime;
    /// use service_recovery::schedule::{CalendarError, WorkingWindow};
    ///
    /// let window = WorkingWindow::parse("09:00", "17:30")?;
    /// assert_eq!(window.end, NaiveTime::from_hms_opt(17, 30, 0).unwrap());
    /// let whole_day = WorkingWindow::parse("00:00", "24:00")?;
    /// assert_eq!(whole_day, WorkingWindow::overnight(NaiveTime::MIN, NaiveTime::MIN));
    /// let error = WorkingWindow::parse("9h", "17:00").unwrap_err();
    /// assert_eq!(
    ///     error.to_string(),
    ///     "`9h` is not a time of day as HH:MM (or HH:MM:SS; 24:00 ends a window at midnight)"
    /// );
    /// # Ok::<(), CalendarError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`CalendarError::InvalidTime`] for a text that is not a time of day.
    pub fn parse(start: &str, end: &str) -> Result<Self, CalendarError> {
        Self::try_from(WindowText {
            start: start.to_owned(),
            end: end.to_owned(),
            overnight: false,
        })
    }
}

/// A window as written in JSON, before `"24:00"` is read.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct WindowText {
    start: String,
    end: String,
    #[serde(default)]
    overnight: bool,
}

impl TryFrom<WindowText> for WorkingWindow {
    type Error = CalendarError;

    fn try_from(text: WindowText) -> Result<Self, Self::Error> {
        let start = hh_mm::parse(&text.start)?;
        if hh_mm::is_midnight_end(&text.end) {
            if text.overnight {
                return Err(CalendarError::OvernightUntilMidnight { start });
            }
            return Ok(Self::until_midnight(start));
        }
        Ok(Self {
            start,
            end: hh_mm::parse(&text.end)?,
            overnight: text.overnight,
        })
    }
}

/// The working windows of each weekday.
///
/// Serialized with the field names `monday` … `sunday`; a missing day has no working
/// time. Windows of a day may be given in any order (split shifts are several windows);
/// they must not overlap, not even with the previous day's overnight window.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(default, deny_unknown_fields)]
#[builder(field_defaults(default))]
pub struct WeekSchedule {
    /// Monday's windows.
    pub monday: Vec<WorkingWindow>,
    /// Tuesday's windows.
    pub tuesday: Vec<WorkingWindow>,
    /// Wednesday's windows.
    pub wednesday: Vec<WorkingWindow>,
    /// Thursday's windows.
    pub thursday: Vec<WorkingWindow>,
    /// Friday's windows.
    pub friday: Vec<WorkingWindow>,
    /// Saturday's windows.
    pub saturday: Vec<WorkingWindow>,
    /// Sunday's windows.
    pub sunday: Vec<WorkingWindow>,
}

impl WeekSchedule {
    /// The same windows on Monday to Friday, nothing at the weekend.
    ///
    /// ```
    /// use chrono::{NaiveTime, Weekday};
    /// use service_recovery::schedule::{WeekSchedule, WorkingWindow};
    ///
    /// let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    /// let week = WeekSchedule::weekdays(&[WorkingWindow::new(t(9), t(17))]);
    /// assert_eq!(week.windows(Weekday::Fri).len(), 1);
    /// assert!(week.windows(Weekday::Sat).is_empty());
    /// ```
    pub fn weekdays(windows: &[WorkingWindow]) -> Self {
        Self {
            monday: windows.to_vec(),
            tuesday: windows.to_vec(),
            wednesday: windows.to_vec(),
            thursday: windows.to_vec(),
            friday: windows.to_vec(),
            saturday: Vec::new(),
            sunday: Vec::new(),
        }
    }

    /// The windows of one weekday.
    pub fn windows(&self, day: Weekday) -> &[WorkingWindow] {
        match day {
            Weekday::Mon => &self.monday,
            Weekday::Tue => &self.tuesday,
            Weekday::Wed => &self.wednesday,
            Weekday::Thu => &self.thursday,
            Weekday::Fri => &self.friday,
            Weekday::Sat => &self.saturday,
            Weekday::Sun => &self.sunday,
        }
    }
}

/// A holiday that recurs every year on the same month and day, such as December 25.
///
/// Serialized as `{"month": 12, "day": 25}`. A recurring February 29 is observed only in
/// leap years, on February 29 itself; in other years it is no holiday at all (it is not
/// moved to February 28 or March 1).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    TypedBuilder,
    schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct YearlyDate {
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, 1 to 31 (29 allowed for February).
    pub day: u32,
}

impl YearlyDate {
    /// The holiday on `month`/`day` of every year.
    pub fn new(month: u32, day: u32) -> Self {
        Self { month, day }
    }
}

/// A date with its own, usually reduced, working windows, such as December 24 from
/// 09:00 to 13:00.
///
/// Serialized as `{"date": "2025-12-24", "windows": [...]}`. A closure replaces the
/// weekday's windows for that date, and takes precedence over a holiday on the same
/// date. An empty `windows` list closes the whole day.
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct PartialClosure {
    /// The local date concerned.
    pub date: NaiveDate,
    /// The windows of that date, replacing the weekday's ones.
    #[serde(default)]
    #[builder(default)]
    pub windows: Vec<WorkingWindow>,
}

/// Everything a [`BusinessCalendar`](super::BusinessCalendar) is made of.
///
/// Field names are stable: `time_zone` (an IANA name such as `"Europe/Paris"`), `week`,
/// `holidays` (ISO dates), `yearly_holidays` and `closures`; the last three default to
/// empty.
///
/// ```
/// use service_recovery::schedule::{BusinessCalendar, CalendarConfig};
///
/// let json = r#"{
///     "time_zone": "Europe/Paris",
///     "week": {
///         "monday": [{"start": "09:00", "end": "12:00"}, {"start": "14:00", "end": "18:00"}],
///         "friday": [{"start": "22:00", "end": "06:00", "overnight": true}]
///     },
///     "holidays": ["2025-11-11"],
///     "yearly_holidays": [{"month": 12, "day": 25}],
///     "closures": [{"date": "2025-12-24", "windows": [{"start": "09:00", "end": "13:00"}]}]
/// }"#;
/// let config: CalendarConfig = serde_json::from_str(json)?;
/// let calendar = BusinessCalendar::new(config)?;
/// assert_eq!(calendar.week_duration(), chrono::TimeDelta::hours(15));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarConfig {
    /// The IANA time zone in which windows and dates are read.
    #[schemars(with = "String")]
    pub time_zone: Tz,
    /// The regular working windows of each weekday.
    pub week: WeekSchedule,
    /// Specific non-working dates.
    #[serde(default)]
    #[builder(default)]
    pub holidays: Vec<NaiveDate>,
    /// Non-working dates that recur every year.
    #[serde(default)]
    #[builder(default)]
    pub yearly_holidays: Vec<YearlyDate>,
    /// Dates with their own working windows.
    #[serde(default)]
    #[builder(default)]
    pub closures: Vec<PartialClosure>,
}

/// `NaiveTime` as `"HH:MM"` (or `"HH:MM:SS"` when the seconds are not zero), both ways.
mod hh_mm {
    use chrono::{NaiveTime, Timelike};
    use serde::Serializer;

    use super::CalendarError;

    pub(super) fn serialize<S: Serializer>(time: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        let text = if time.second() == 0 {
            format!("{:02}:{:02}", time.hour(), time.minute())
        } else {
            format!(
                "{:02}:{:02}:{:02}",
                time.hour(),
                time.minute(),
                time.second()
            )
        };
        s.serialize_str(&text)
    }

    pub(super) fn parse(text: &str) -> Result<NaiveTime, CalendarError> {
        NaiveTime::parse_from_str(text, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
            .map_err(|_| CalendarError::InvalidTime {
                text: text.to_owned(),
            })
    }

    /// Whether `text` is the end of the day, `24:00`.
    pub(super) fn is_midnight_end(text: &str) -> bool {
        matches!(text, "24:00" | "24:00:00")
    }
}
