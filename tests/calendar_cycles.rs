//! Spans of thousands of years outside the calendar's index (1970–2100), where yearly
//! holidays make every year irregular: the walks skip whole 400-year Gregorian cycles.
//! Each answer is checked against the same span cut into pieces shorter than a cycle,
//! which the walks count without skipping any cycle, and against the calendar's laws.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};
use service_recovery::schedule::{
    BusinessCalendar, CalendarConfig, PartialClosure, WeekSchedule, WorkingWindow, YearlyDate,
};

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Kuwait (no offset change since 1950), weekdays 08:30–17:00 and a Saturday evening
/// shift across midnight, three yearly holidays (one on February 29), a one-off holiday
/// and a closure in the far future.
fn calendar() -> BusinessCalendar {
    let mut week = WeekSchedule::weekdays(&[WorkingWindow::new(time(8, 30), time(17, 0))]);
    week.saturday = vec![WorkingWindow::overnight(time(22, 0), time(2, 0))];
    BusinessCalendar::new(CalendarConfig {
        time_zone: chrono_tz::Asia::Kuwait,
        week,
        holidays: vec![date(7777, 7, 7)],
        yearly_holidays: vec![
            YearlyDate::new(1, 1),
            YearlyDate::new(2, 29),
            YearlyDate::new(12, 25),
        ],
        closures: vec![PartialClosure {
            date: date(12_345, 3, 4),
            windows: vec![WorkingWindow::new(time(10, 0), time(12, 0))],
        }],
    })
    .unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

/// Instants every `step_years` from `from` to `to` (both included).
fn cuts(from: DateTime<Utc>, to: DateTime<Utc>, step_years: i32) -> Vec<DateTime<Utc>> {
    let mut out = vec![from];
    let mut year = from.year() + step_years;
    while let Some(next) = Utc
        .with_ymd_and_hms(year, 6, 15, 11, 0, 0)
        .single()
        .filter(|next| *next < to)
    {
        out.push(next);
        year += step_years;
    }
    out.push(to);
    out
}

fn piecewise(calendar: &BusinessCalendar, points: &[DateTime<Utc>]) -> TimeDelta {
    points
        .windows(2)
        .map(|pair| calendar.business_time_between(pair[0], pair[1]))
        .sum()
}

#[test]
fn working_time_over_millennia_is_the_sum_of_its_pieces() {
    let calendar = calendar();
    for (from, to) in [
        (at(3000, 2, 27, 12), at(5400, 1, 2, 9)),
        (at(2150, 12, 31, 23), at(14_000, 3, 1, 7)),
        (at(-4000, 1, 1, 0), at(1500, 5, 5, 5)),
        (at(-2000, 3, 3, 3), at(2500, 3, 1, 10)),
    ] {
        let whole = calendar.business_time_between(from, to);
        // Pieces of 250 years are shorter than a cycle: counted without skipping one.
        assert_eq!(
            whole,
            piecewise(&calendar, &cuts(from, to, 250)),
            "{from}..{to}"
        );
        assert_eq!(calendar.signed_business_time_between(to, from), -whole);
        assert!(whole > TimeDelta::days(365 * 100));
    }
}

#[test]
fn adding_and_subtracting_millennia_of_working_time_lands_on_the_span() {
    let calendar = calendar();
    for (from, to) in [
        (at(3000, 2, 27, 12), at(5400, 1, 2, 9)),
        (at(2150, 12, 31, 23), at(14_000, 3, 1, 7)),
        (at(-4000, 1, 1, 10), at(1500, 5, 5, 11)),
    ] {
        // An hour into a working window, so `to` is the instant `whole` reaches.
        let inside = |at| calendar.next_open(at) + TimeDelta::hours(1);
        let (from, to) = (inside(from), inside(to));
        assert!(
            calendar.is_open(to) && calendar.is_open(from),
            "{from} {to}"
        );
        let whole = calendar.business_time_between(from, to);
        assert_eq!(calendar.add(from, whole).unwrap(), to);
        assert_eq!(calendar.subtract(to, whole).unwrap(), from);
        // One nanosecond less ends one nanosecond earlier; one more starts earlier.
        let less = whole - TimeDelta::nanoseconds(1);
        assert_eq!(
            calendar.add(from, less).unwrap(),
            to - TimeDelta::nanoseconds(1)
        );
        assert_eq!(
            calendar.subtract(to, less).unwrap(),
            from + TimeDelta::nanoseconds(1)
        );
    }
}

#[test]
fn working_days_over_millennia_are_the_sum_of_their_pieces() {
    let calendar = calendar();
    for (from, to) in [
        (date(2200, 1, 3), date(9000, 12, 24)),
        (date(-3000, 2, 28), date(1969, 12, 30)),
        (date(11_000, 1, 1), date(13_000, 1, 1)),
    ] {
        let whole = calendar.working_days_between(from, to);
        let mut pieces = 0;
        let mut start = from;
        while start < to {
            let end = start.checked_add_days(Days::new(90_000)).unwrap().min(to);
            pieces += calendar.working_days_between(start, end);
            start = end;
        }
        assert_eq!(whole, pieces, "{from}..{to}");
        assert_eq!(calendar.working_days_between(to, from), -whole);
        // Counting that many working days on from `from` reaches `to` or the working
        // day before it.
        let reached = calendar.add_working_days(from, whole).unwrap();
        assert!(reached <= to && calendar.working_days_between(reached, to) == 0);
        let back = calendar.add_working_days(reached, -whole).unwrap();
        assert_eq!(calendar.working_days_between(back, from), 0);
    }
}

#[test]
fn the_walks_from_chronos_first_date_to_its_last_end() {
    let calendar = calendar();
    let span = calendar.business_time_between(DateTime::<Utc>::MIN_UTC, at(-200_000, 1, 1, 0));
    assert!(span > TimeDelta::days(365 * 10_000));
    // chrono's range holds fewer than 200 million days: the working days of all of it.
    let days = calendar.working_days_between(NaiveDate::MIN, NaiveDate::MAX);
    assert!(days > 100_000_000 && days < 200_000_000, "{days}");
    assert!(calendar.add_working_days(NaiveDate::MIN, i64::MAX).is_err());
    assert!(
        calendar
            .add(DateTime::<Utc>::MIN_UTC, TimeDelta::MAX)
            .is_err()
    );
    assert!(
        calendar
            .subtract(DateTime::<Utc>::MAX_UTC, TimeDelta::MAX)
            .is_err()
    );
}
