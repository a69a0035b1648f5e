//! The clock that follow-ups are measured on: round the clock, or a business calendar.

use super::calendar::{BusinessCalendar, CalendarError};
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// Which time counts for response targets, commitment margins, reminders and surveys.
///
/// Serialized as `"around_the_clock"` or `{"calendar": {<CalendarConfig>}}`.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use service_recovery::schedule::WorkingTime;
///
/// let friday = Utc.with_ymd_and_hms(2025, 1, 3, 16, 0, 0).unwrap();
/// let due = WorkingTime::AroundTheClock.add(friday, TimeDelta::hours(2))?;
/// assert_eq!(due, Utc.with_ymd_and_hms(2025, 1, 3, 18, 0, 0).unwrap());
/// # Ok::<(), service_recovery::schedule::CalendarError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkingTime {
    /// Every hour counts: elapsed real time. The default, because a library cannot
    /// know a team's hours or time zone, and real time never overstates the time left.
    #[default]
    AroundTheClock,
    /// Only the working hours of this calendar count.
    Calendar(Box<BusinessCalendar>),
}

// A calendar compares by its configuration, which is plain data: equality is an
// equivalence relation, so `Eq` holds.
impl Eq for WorkingTime {}

impl From<BusinessCalendar> for WorkingTime {
    fn from(calendar: BusinessCalendar) -> Self {
        Self::Calendar(Box::new(calendar))
    }
}

impl WorkingTime {
    /// The instant at which `duration` of working time has elapsed since `start`.
    ///
    /// # Errors
    ///
    /// [`CalendarError::NegativeDuration`] for a negative duration and
    /// [`CalendarError::OutOfRange`] past chrono's range.
    pub fn add(
        &self,
        start: DateTime<Utc>,
        duration: TimeDelta,
    ) -> Result<DateTime<Utc>, CalendarError> {
        match self {
            Self::Calendar(calendar) => calendar.add(start, duration),
            Self::AroundTheClock if duration < TimeDelta::zero() => {
                Err(CalendarError::NegativeDuration { duration })
            }
            Self::AroundTheClock => start
                .checked_add_signed(duration)
                .ok_or(CalendarError::OutOfRange),
        }
    }

    /// The latest instant from which `duration` of working time runs until `end`: a
    /// reminder two working hours before a promise is due. Around the clock it is
    /// `end - duration`; with a calendar, [`BusinessCalendar::subtract`], whose docs
    /// state the rules (a zero duration gives `end`).
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use service_recovery::schedule::WorkingTime;
    ///
    /// let due = Utc.with_ymd_and_hms(2025, 1, 6, 10, 0, 0).unwrap();
    /// let remind = WorkingTime::AroundTheClock.subtract(due, TimeDelta::hours(2))?;
    /// assert_eq!(remind, Utc.with_ymd_and_hms(2025, 1, 6, 8, 0, 0).unwrap());
    /// # Ok::<(), service_recovery::schedule::CalendarError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`CalendarError::NegativeDuration`] for a negative duration and
    /// [`CalendarError::OutOfRange`] before chrono's range.
    pub fn subtract(
        &self,
        end: DateTime<Utc>,
        duration: TimeDelta,
    ) -> Result<DateTime<Utc>, CalendarError> {
        match self {
            Self::Calendar(calendar) => calendar.subtract(end, duration),
            Self::AroundTheClock if duration < TimeDelta::zero() => {
                Err(CalendarError::NegativeDuration { duration })
            }
            Self::AroundTheClock => end
                .checked_sub_signed(duration)
                .ok_or(CalendarError::OutOfRange),
        }
    }

    /// The working time from `from` to `to`, negative when `to` is before `from`.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use service_recovery::schedule::WorkingTime;
    ///
    /// let a = Utc.with_ymd_and_hms(2025, 1, 6, 10, 0, 0).unwrap();
    /// let b = Utc.with_ymd_and_hms(2025, 1, 6, 8, 0, 0).unwrap();
    /// assert_eq!(WorkingTime::AroundTheClock.signed_between(a, b), TimeDelta::hours(-2));
    /// ```
    pub fn signed_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> TimeDelta {
        match self {
            Self::Calendar(calendar) => calendar.signed_business_time_between(from, to),
            Self::AroundTheClock => to - from,
        }
    }

    /// The working time between `from` and `to`; zero if `to` is not after `from`.
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> TimeDelta {
        match self {
            Self::Calendar(calendar) => calendar.business_time_between(from, to),
            Self::AroundTheClock if to <= from => TimeDelta::zero(),
            Self::AroundTheClock => to - from,
        }
    }
}

/// Serde for a `TimeDelta` as whole seconds.
pub(crate) mod secs {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub(crate) fn serialize<S: Serializer>(d: &TimeDelta, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(d.num_seconds())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeDelta, D::Error> {
        let n = i64::deserialize(d)?;
        TimeDelta::try_seconds(n).ok_or_else(|| D::Error::custom(format!("{n} s is out of range")))
    }
}

/// Serde for an `Option<TimeDelta>` as whole seconds or null.
pub(crate) mod secs_opt {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub(crate) fn serialize<S: Serializer>(d: &Option<TimeDelta>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&d.num_seconds()),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<TimeDelta>, D::Error> {
        match Option::<i64>::deserialize(d)? {
            None => Ok(None),
            Some(n) => TimeDelta::try_seconds(n)
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("{n} s is out of range"))),
        }
    }
}

/// A duration in nanoseconds, wide enough for any `TimeDelta` times 100.
pub(crate) fn nanos(d: TimeDelta) -> i128 {
    i128::from(d.num_seconds()) * 1_000_000_000 + i128::from(d.subsec_nanos())
}

/// `percent` % of `d`, rounded towards zero.
pub(crate) fn percent_of(d: TimeDelta, percent: u8) -> TimeDelta {
    let n = nanos(d) * i128::from(percent) / 100;
    let secs = i64::try_from(n.div_euclid(1_000_000_000)).unwrap_or(i64::MAX);
    let sub = u32::try_from(n.rem_euclid(1_000_000_000)).unwrap_or(0);
    TimeDelta::new(secs, sub).unwrap_or(TimeDelta::MAX)
}

#[cfg(test)]
mod tests {
    use super::{WorkingTime, nanos, percent_of};
    use crate::schedule::calendar::CalendarError;
    use chrono::{DateTime, TimeDelta, TimeZone, Utc};

    fn t(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 1, 6, hour, 0, 0).unwrap()
    }

    #[test]
    fn around_the_clock_adds_and_subtracts_plain_time() {
        let clock = WorkingTime::AroundTheClock;
        assert_eq!(clock.add(t(8), TimeDelta::hours(2)), Ok(t(10)));
        assert_eq!(clock.subtract(t(10), TimeDelta::hours(2)), Ok(t(8)));
        // A zero duration is allowed and moves nothing.
        assert_eq!(clock.add(t(8), TimeDelta::zero()), Ok(t(8)));
        assert_eq!(clock.subtract(t(8), TimeDelta::zero()), Ok(t(8)));
    }

    #[test]
    fn around_the_clock_refuses_negative_durations_and_leaving_the_range() {
        let clock = WorkingTime::AroundTheClock;
        let minus = TimeDelta::seconds(-1);
        let negative = Err(CalendarError::NegativeDuration { duration: minus });
        assert_eq!(clock.add(t(8), minus), negative);
        assert_eq!(clock.subtract(t(8), minus), negative);
        assert_eq!(
            clock.add(DateTime::<Utc>::MAX_UTC, TimeDelta::seconds(1)),
            Err(CalendarError::OutOfRange)
        );
        assert_eq!(
            clock.subtract(DateTime::<Utc>::MIN_UTC, TimeDelta::seconds(1)),
            Err(CalendarError::OutOfRange)
        );
    }

    #[test]
    fn around_the_clock_measures_plain_time() {
        let clock = WorkingTime::AroundTheClock;
        assert_eq!(clock.between(t(8), t(10)), TimeDelta::hours(2));
        assert_eq!(clock.between(t(10), t(8)), TimeDelta::zero());
        assert_eq!(clock.between(t(8), t(8)), TimeDelta::zero());
        assert_eq!(clock.signed_between(t(8), t(10)), TimeDelta::hours(2));
        assert_eq!(clock.signed_between(t(10), t(8)), TimeDelta::hours(-2));
    }

    #[test]
    fn percentages_round_towards_zero_to_the_nanosecond() {
        let d = TimeDelta::new(3, 500_000_001).unwrap();
        assert_eq!(nanos(d), 3_500_000_001);
        assert_eq!(nanos(-d), -3_500_000_001);
        assert_eq!(percent_of(TimeDelta::hours(4), 50), TimeDelta::hours(2));
        assert_eq!(percent_of(TimeDelta::hours(4), 75), TimeDelta::hours(3));
        assert_eq!(percent_of(d, 100), d);
        assert_eq!(percent_of(d, 0), TimeDelta::zero());
        // 3 ns × 50 % = 1.5 ns, rounded down to 1 ns.
        assert_eq!(
            percent_of(TimeDelta::nanoseconds(3), 50),
            TimeDelta::nanoseconds(1)
        );
        assert_eq!(percent_of(TimeDelta::MAX, 100), TimeDelta::MAX);
    }
}
