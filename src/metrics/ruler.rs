//! Instants as integer nanoseconds, each with the working time run up to it, so that
//! every span a case measures is two subtractions.
//!
//! Working time is additive: for `a ≤ b ≤ c` the working time from `a` to `c` is that
//! from `a` to `b` plus that from `b` to `c`. So if each instant `t` carries `work(t)`,
//! the working time from a fixed origin to `t`, the working time between two instants
//! is the difference of their `work`s (and nothing when the second is not after the
//! first, because `work` never decreases). A case needs `work` at each of its events;
//! instead of walking the calendar for every span (about one business-time computation
//! per customer-facing event), a [`Timeline`] lists the calendar's working windows once
//! over the stretch of time the measured cases cover, and shares them between cases:
//! looking an instant up is a search in that list. Nothing is approximated: a unit test
//! checks every lookup against [`BusinessCalendar::business_time_between`].

use crate::schedule::{BusinessCalendar, WorkingTime};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Timelike, Utc};

const NANOS_PER_SEC: i128 = 1_000_000_000;
const NANOS_PER_DAY: i128 = 86_400 * NANOS_PER_SEC;

/// How far past an instant that needed it the timeline is listed (so that the next
/// cases, usually opened around the same time, find their windows already there).
const MARGIN: i128 = 28 * NANOS_PER_DAY;

/// How far the timeline grows to reach an instant outside it. An instant farther away
/// (a date mistyped by years in imported data) is measured from the nearest end of the
/// timeline with one business-time computation instead; a case *opened* that far away
/// starts a fresh timeline around itself. This keeps the list, and the time spent
/// building it, proportional to the span the data really covers.
const REACH: i128 = 3 * 366 * NANOS_PER_DAY;

/// An instant in integer nanoseconds since the Unix epoch (`wall`), and the working
/// time in nanoseconds from the ruler's origin up to it (`work`). Only differences of
/// `work` between stamps of the same case mean anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    pub(super) wall: i128,
    pub(super) work: i128,
}

impl Stamp {
    /// Real time from `self` to `later`, in nanoseconds; zero if `later` is not after.
    pub(super) fn calendar_until(self, later: Stamp) -> i128 {
        (later.wall - self.wall).max(0)
    }

    /// Working time from `self` to `later`, in nanoseconds; zero if `later` is not
    /// after (`work` never decreases, so the difference is then at most zero).
    pub(super) fn business_until(self, later: Stamp) -> i128 {
        (later.work - self.work).max(0)
    }
}

/// Integer nanoseconds since the Unix epoch: exact over chrono's whole range.
pub(super) fn nanos_of(at: DateTime<Utc>) -> i128 {
    i128::from(at.timestamp()) * NANOS_PER_SEC + i128::from(at.timestamp_subsec_nanos())
}

/// Nanoseconds of a duration (negative ones included).
fn nanos_of_delta(d: TimeDelta) -> i128 {
    i128::from(d.num_seconds()) * NANOS_PER_SEC + i128::from(d.subsec_nanos())
}

/// A duration from nanoseconds, saturating at [`TimeDelta::MAX`] and [`TimeDelta::MIN`].
pub(super) fn delta(nanos: i128) -> TimeDelta {
    if let Ok(n) = i64::try_from(nanos) {
        return TimeDelta::nanoseconds(n);
    }
    let secs = i64::try_from(nanos.div_euclid(NANOS_PER_SEC));
    let sub = u32::try_from(nanos.rem_euclid(NANOS_PER_SEC)).unwrap_or(0);
    match secs {
        Ok(secs) => TimeDelta::new(secs, sub).unwrap_or(if nanos < 0 {
            TimeDelta::MIN
        } else {
            TimeDelta::MAX
        }),
        Err(_) if nanos < 0 => TimeDelta::MIN,
        Err(_) => TimeDelta::MAX,
    }
}

/// The instant `nanos` after the Unix epoch, clamped to chrono's range.
fn instant(nanos: i128) -> DateTime<Utc> {
    let secs = i64::try_from(nanos.div_euclid(NANOS_PER_SEC)).ok();
    let sub = u32::try_from(nanos.rem_euclid(NANOS_PER_SEC)).unwrap_or(0);
    match secs.and_then(|s| DateTime::from_timestamp(s, sub)) {
        Some(at) => at,
        None if nanos < 0 => DateTime::<Utc>::MIN_UTC,
        None => DateTime::<Utc>::MAX_UTC,
    }
}

/// Stamps instants under a [`WorkingTime`].
#[derive(Debug)]
pub(super) struct Ruler<'c> {
    /// The calendar's windows; `None` around the clock, where `work` is `wall`.
    timeline: Option<Timeline<'c>>,
    /// The last UTC date stamped and its midnight in nanoseconds: a case's events are
    /// mostly on a few days, and a date's offset from the epoch is the costly part.
    day: Option<(NaiveDate, i128)>,
}

impl<'c> Ruler<'c> {
    pub(super) fn new(working_time: &'c WorkingTime) -> Self {
        let timeline = match working_time {
            WorkingTime::AroundTheClock => None,
            WorkingTime::Calendar(calendar) => Some(Timeline::new(calendar)),
        };
        Self {
            timeline,
            day: None,
        }
    }

    /// Readies the ruler for a case opened at `at`: a timeline far from `at` starts
    /// afresh (stamps of different cases are never compared).
    pub(super) fn start_case(&mut self, at: DateTime<Utc>) {
        if let Some(timeline) = &mut self.timeline {
            timeline.start_case(nanos_of(at));
        }
    }

    /// The stamp of `at`.
    pub(super) fn stamp(&mut self, at: DateTime<Utc>) -> Stamp {
        let wall = self.wall(at);
        match &mut self.timeline {
            None => Stamp { wall, work: wall },
            Some(timeline) => Stamp {
                wall,
                work: timeline.work(wall, at),
            },
        }
    }

    /// [`nanos_of`]`(at)`, from the midnight of its date when that is the last one seen.
    fn wall(&mut self, at: DateTime<Utc>) -> i128 {
        let naive = at.naive_utc();
        let date = naive.date();
        let midnight = match self.day {
            Some((day, midnight)) if day == date => midnight,
            _ => {
                let midnight = nanos_of(date.and_time(NaiveTime::MIN).and_utc());
                self.day = Some((date, midnight));
                midnight
            }
        };
        let time = naive.time();
        // A leap second's nanoseconds run past one second, as in `nanos_of`.
        midnight
            + i128::from(time.num_seconds_from_midnight()) * NANOS_PER_SEC
            + i128::from(time.nanosecond())
    }
}

/// A working window clipped to the timeline, with the working time from the origin
/// to its opening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    open: i128,
    close: i128,
    before: i128,
}

/// The working windows of a calendar over a stretch of time, `from ≤ t ≤ to`, in
/// time order, each with the working time run before it.
#[derive(Debug)]
pub(super) struct Timeline<'c> {
    calendar: &'c BusinessCalendar,
    /// The stretch covered; `None` until the first instant is stamped.
    stretch: Option<(i128, i128)>,
    /// The working time from the origin to the start of the stretch (it goes negative
    /// as the stretch grows backwards; the origin never moves).
    from_work: i128,
    windows: Vec<Window>,
    /// Where the last lookup landed: a case's events mostly move forward, a window or
    /// two at a time.
    hint: usize,
}

impl<'c> Timeline<'c> {
    pub(super) fn new(calendar: &'c BusinessCalendar) -> Self {
        Self {
            calendar,
            stretch: None,
            from_work: 0,
            windows: Vec::new(),
            hint: 0,
        }
    }

    fn start_case(&mut self, t: i128) {
        if let Some((from, to)) = self.stretch {
            if t < from - REACH || t > to + REACH {
                self.stretch = None;
                self.windows.clear();
                self.from_work = 0;
                self.hint = 0;
            }
        }
    }

    /// The working time from the origin to `t` (which is `at`).
    fn work(&mut self, t: i128, at: DateTime<Utc>) -> i128 {
        let Some((from, to)) = self.stretch else {
            let (from, to) = (t - MARGIN, t + MARGIN);
            self.stretch = Some((from, from));
            self.grow_forward(to);
            return self.lookup(t);
        };
        if t < from {
            if t < from - REACH {
                // Too far to list: one computation from the start of the stretch.
                let edge = instant(from);
                let back = self.calendar.business_time_between(at, edge);
                return self.from_work - nanos_of_delta(back);
            }
            self.grow_backward(t - MARGIN);
        } else if t > to {
            if t > to + REACH {
                let edge = instant(to);
                let ahead = self.calendar.business_time_between(edge, at);
                return self.lookup(to) + nanos_of_delta(ahead);
            }
            self.grow_forward(t + MARGIN);
        }
        self.lookup(t)
    }

    /// The working time from the origin to `t`, inside the stretch.
    fn lookup(&mut self, t: i128) -> i128 {
        let starts_after = |i: usize| self.windows.get(i).is_none_or(|w| w.open > t);
        let opened_by = |i: usize| {
            i.checked_sub(1)
                .is_none_or(|j| self.windows.get(j).is_some_and(|w| w.open <= t))
        };
        // How many windows open at or before `t`: the hint, the one after it, or a search.
        let count = if opened_by(self.hint) && starts_after(self.hint) {
            self.hint
        } else if opened_by(self.hint + 1) && starts_after(self.hint + 1) {
            self.hint + 1
        } else {
            self.windows.partition_point(|w| w.open <= t)
        };
        self.hint = count;
        match count.checked_sub(1).and_then(|i| self.windows.get(i)) {
            Some(w) => w.before + (t.min(w.close) - w.open),
            None => self.from_work,
        }
    }

    /// Lists the windows from the end of the stretch to `to`.
    fn grow_forward(&mut self, to: i128) {
        let Some((from, end)) = self.stretch else {
            return;
        };
        let mut before = self.lookup(end);
        for (open, close) in windows(self.calendar, end, to) {
            self.windows.push(Window {
                open,
                close,
                before,
            });
            before += close - open;
        }
        self.stretch = Some((from, to));
    }

    /// Lists the windows from `from` to the start of the stretch.
    fn grow_backward(&mut self, from: i128) {
        let Some((start, to)) = self.stretch else {
            return;
        };
        let earlier = windows(self.calendar, from, start);
        let total: i128 = earlier.iter().map(|(open, close)| close - open).sum();
        let mut before = self.from_work - total;
        self.from_work = before;
        let added = earlier.len();
        self.windows.splice(
            0..0,
            earlier.into_iter().map(|(open, close)| {
                let window = Window {
                    open,
                    close,
                    before,
                };
                before += close - open;
                window
            }),
        );
        self.hint += added;
        self.stretch = Some((from, to));
    }
}

/// The calendar's working time from `from` to `to` as windows `(open, close)` in time
/// order, clipped to that stretch. Windows that touch are listed one after the other.
fn windows(calendar: &BusinessCalendar, from: i128, to: i128) -> Vec<(i128, i128)> {
    let mut found = Vec::new();
    let mut at = instant(from);
    let end = instant(to);
    while at < end {
        let open = calendar.next_open(at);
        if open >= end {
            break;
        }
        match calendar.current_window(open) {
            Some(window) => {
                let close = window.end.min(end);
                found.push((nanos_of(open), nanos_of(close)));
                at = close;
            }
            // The first working instant is inside a window by definition; should the
            // calendar ever disagree, look for the next window rather than loop.
            None => at = calendar.next_window_start(open),
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{CalendarConfig, WeekSchedule, WorkingWindow, YearlyDate};
    use chrono::{NaiveTime, TimeZone};
    use proptest::prelude::*;

    fn rome() -> BusinessCalendar {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        BusinessCalendar::new(
            CalendarConfig::builder()
                .time_zone(chrono_tz::Europe::Rome)
                .week(WeekSchedule::weekdays(&[
                    WorkingWindow::new(t(9, 0), t(13, 0)),
                    WorkingWindow::new(t(14, 0), t(18, 0)),
                ]))
                .yearly_holidays(vec![YearlyDate::new(1, 1), YearlyDate::new(12, 25)])
                .build(),
        )
        .unwrap()
    }

    /// Overnight windows across the spring-forward and fall-back nights of New York,
    /// with windows that touch at midnight.
    fn nights() -> BusinessCalendar {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let night = vec![
            WorkingWindow::new(t(0, 0), t(2, 30)),
            WorkingWindow::parse("22:00", "24:00").unwrap(),
        ];
        BusinessCalendar::new(
            CalendarConfig::builder()
                .time_zone(chrono_tz::America::New_York)
                .week(
                    WeekSchedule::builder()
                        .saturday(night.clone())
                        .sunday(night)
                        .monday(vec![WorkingWindow::new(t(1, 30), t(3, 0))])
                        .build(),
                )
                .build(),
        )
        .unwrap()
    }

    fn at(nanos: i128) -> DateTime<Utc> {
        instant(nanos)
    }

    /// Stamps `instants` in order on one timeline, and checks every pair of stamps
    /// against the calendar's own business time.
    fn check(calendar: &BusinessCalendar, instants: &[i128]) {
        let working_time = WorkingTime::Calendar(Box::new(calendar.clone()));
        let mut ruler = Ruler::new(&working_time);
        if let Some(first) = instants.first() {
            ruler.start_case(at(*first));
        }
        let stamps: Vec<Stamp> = instants.iter().map(|n| ruler.stamp(at(*n))).collect();
        for a in &stamps {
            for b in &stamps {
                let expected = calendar.business_time_between(at(a.wall), at(b.wall));
                assert_eq!(
                    delta(a.business_until(*b)),
                    expected,
                    "{} → {}",
                    at(a.wall),
                    at(b.wall)
                );
                assert_eq!(
                    delta(a.calendar_until(*b)),
                    (at(b.wall) - at(a.wall)).max(TimeDelta::zero())
                );
            }
        }
    }

    fn base() -> i128 {
        nanos_of(Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap())
    }

    #[test]
    fn spans_equal_the_calendars_business_time() {
        let h = 3_600 * NANOS_PER_SEC;
        let b = base();
        // Forwards, then backwards beyond the start, then far ahead (beyond the reach).
        let instants = [
            b,
            b + 10 * h + 7,
            b + 40 * h,
            b + 45 * h + 1_500,
            b - 20 * NANOS_PER_DAY,
            b - 100 * NANOS_PER_DAY,
            b + 30 * NANOS_PER_DAY + 3 * h,
            b + 5 * 366 * NANOS_PER_DAY,
            b - 5 * 366 * NANOS_PER_DAY,
            b + 12 * h,
        ];
        check(&rome(), &instants);
        check(&nights(), &instants);
    }

    #[test]
    fn a_case_opened_far_away_starts_a_fresh_timeline() {
        let calendar = rome();
        let working_time = WorkingTime::Calendar(Box::new(calendar.clone()));
        let mut ruler = Ruler::new(&working_time);
        let b = base();
        ruler.start_case(at(b));
        let first = ruler.stamp(at(b));
        let timeline = ruler.timeline.as_ref().unwrap();
        assert_eq!(timeline.stretch, Some((b - MARGIN, b + MARGIN)));
        assert_eq!(first.wall, b);
        let listed = timeline.windows.len();
        assert!(listed > 20, "{listed}");

        // Within reach: the same timeline grows.
        let near = b + REACH;
        ruler.start_case(at(near));
        let timeline = ruler.timeline.as_ref().unwrap();
        assert_eq!(timeline.stretch, Some((b - MARGIN, b + MARGIN)));
        // Beyond it: a fresh one around the new case.
        let far = b + MARGIN + REACH + 1;
        ruler.start_case(at(far));
        let timeline = ruler.timeline.as_ref().unwrap();
        assert_eq!(timeline.stretch, None);
        assert!(timeline.windows.is_empty());
        let stamp = ruler.stamp(at(far));
        // The origin is the start of the fresh stretch.
        assert_eq!(
            delta(stamp.work),
            calendar.business_time_between(at(far - MARGIN), at(far))
        );
        let later = ruler.stamp(at(far + 7 * NANOS_PER_DAY));
        assert_eq!(
            delta(stamp.business_until(later)),
            calendar.business_time_between(at(far), at(far + 7 * NANOS_PER_DAY))
        );
    }

    #[test]
    fn walls_from_the_day_cache_equal_timestamps() {
        let mut ruler = Ruler::new(&WorkingTime::AroundTheClock);
        let day = Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap();
        let instants = [
            day + TimeDelta::nanoseconds(1),
            day + TimeDelta::hours(23) + TimeDelta::milliseconds(999),
            day - TimeDelta::nanoseconds(1),
            day + TimeDelta::days(400) + TimeDelta::seconds(59),
            day + TimeDelta::days(400),
            Utc.with_ymd_and_hms(1600, 2, 29, 12, 0, 0).unwrap(),
        ];
        for at in instants {
            assert_eq!(ruler.stamp(at).wall, nanos_of(at), "{at}");
        }
        assert_eq!(
            ruler.day,
            Some((
                instants[5].date_naive(),
                nanos_of(instants[5]) - 12 * 3_600 * NANOS_PER_SEC
            ))
        );
    }

    #[test]
    fn around_the_clock_work_is_wall_time() {
        let mut ruler = Ruler::new(&WorkingTime::AroundTheClock);
        ruler.start_case(at(base()));
        let a = ruler.stamp(at(base()));
        let b = ruler.stamp(at(base() + 90 * NANOS_PER_SEC + 5));
        assert_eq!(a.wall, base());
        assert_eq!(a.work, a.wall);
        assert_eq!(b.business_until(a), 0);
        assert_eq!(a.business_until(b), 90 * NANOS_PER_SEC + 5);
        assert_eq!(a.calendar_until(b), 90 * NANOS_PER_SEC + 5);
        assert_eq!(b.calendar_until(a), 0);
    }

    #[test]
    fn conversions_are_exact_and_saturate() {
        assert_eq!(delta(1_500_000_000), TimeDelta::milliseconds(1_500));
        assert_eq!(delta(-1_500_000_000), TimeDelta::milliseconds(-1_500));
        let big = i128::from(i64::MAX) * 4;
        assert_eq!(
            nanos_of_delta(delta(big)),
            big,
            "beyond i64 nanoseconds, still exact"
        );
        assert_eq!(nanos_of_delta(delta(-big)), -big);
        assert_eq!(delta(i128::MAX), TimeDelta::MAX);
        assert_eq!(delta(i128::MIN), TimeDelta::MIN);
        assert_eq!(
            nanos_of_delta(TimeDelta::milliseconds(-1_500)),
            -1_500_000_000
        );
        let t = Utc.with_ymd_and_hms(1500, 6, 1, 12, 0, 0).unwrap() + TimeDelta::nanoseconds(7);
        assert_eq!(instant(nanos_of(t)), t);
        assert_eq!(instant(i128::MAX), DateTime::<Utc>::MAX_UTC);
        assert_eq!(instant(i128::MIN), DateTime::<Utc>::MIN_UTC);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Any instants, in any order, within a few years: every span equals the
        /// calendar's business time.
        #[test]
        fn any_spans_equal_the_calendars_business_time(
            offsets in prop::collection::vec(-1_500i64 * 86_400..1_500 * 86_400, 1..8),
            nanos in 0i64..1_000_000_000,
        ) {
            let instants: Vec<i128> = offsets
                .iter()
                .map(|s| base() + i128::from(*s) * NANOS_PER_SEC + i128::from(nanos))
                .collect();
            check(&rome(), &instants);
            check(&nights(), &instants);
        }
    }
}
