//! Business calendar: fixed cases (DST, split shifts, overnight windows, holidays, leap
//! days, long spans), validation, serde, and property tests against a brute-force,
//! day-by-day reference model written independently of the library.

use chrono::{
    DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta,
    TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use proptest::prelude::*;
use service_recovery::schedule::{
    BusinessCalendar, CalendarConfig, CalendarError, DayRef, PartialClosure, WeekSchedule,
    WorkingWindow, YearlyDate,
};

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// An unambiguous local wall-clock time, as UTC.
fn local(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    tz.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn hours(h: i64) -> TimeDelta {
    TimeDelta::hours(h)
}

fn every_day(windows: &[WorkingWindow]) -> WeekSchedule {
    WeekSchedule {
        monday: windows.to_vec(),
        tuesday: windows.to_vec(),
        wednesday: windows.to_vec(),
        thursday: windows.to_vec(),
        friday: windows.to_vec(),
        saturday: windows.to_vec(),
        sunday: windows.to_vec(),
    }
}

fn calendar(tz: Tz, week: WeekSchedule) -> BusinessCalendar {
    BusinessCalendar::new(CalendarConfig::builder().time_zone(tz).week(week).build()).unwrap()
}

fn nine_to_five(tz: Tz) -> BusinessCalendar {
    calendar(
        tz,
        WeekSchedule::weekdays(&[WorkingWindow::new(t(9, 0), t(17, 0))]),
    )
}

fn around_the_clock(tz: Tz) -> BusinessCalendar {
    calendar(tz, every_day(&[WorkingWindow::overnight(t(0, 0), t(0, 0))]))
}

// ---------------------------------------------------------------------------------
// Fixed cases
// ---------------------------------------------------------------------------------

#[test]
fn split_shift_skips_the_lunch_break() {
    let cal = calendar(
        chrono_tz::UTC,
        WeekSchedule::weekdays(&[
            WorkingWindow::new(t(14, 0), t(18, 0)),
            WorkingWindow::new(t(9, 0), t(12, 0)),
        ]),
    );
    // Monday 6 January 2025, 11:00 + 2h → 15:00.
    let start = utc(2025, 1, 6, 11, 0);
    assert_eq!(cal.add(start, hours(2)).unwrap(), utc(2025, 1, 6, 15, 0));
    assert!(!cal.is_open(utc(2025, 1, 6, 13, 0)));
    assert_eq!(
        cal.next_open(utc(2025, 1, 6, 12, 0)),
        utc(2025, 1, 6, 14, 0)
    );
    assert_eq!(cal.week_duration(), hours(35));
}

#[test]
fn due_instant_at_a_window_end_is_the_closing_instant() {
    let cal = nine_to_five(chrono_tz::UTC);
    // Exactly one day's work from Monday 09:00 ends at Monday 17:00, not Tuesday 09:00.
    let due = cal.add(utc(2025, 1, 6, 9, 0), hours(8)).unwrap();
    assert_eq!(due, utc(2025, 1, 6, 17, 0));
    assert!(!cal.is_open(due));
}

#[test]
fn zero_duration_gives_the_next_opening() {
    let cal = nine_to_five(chrono_tz::UTC);
    let saturday = utc(2025, 1, 4, 12, 0);
    assert_eq!(
        cal.add(saturday, TimeDelta::zero()).unwrap(),
        utc(2025, 1, 6, 9, 0)
    );
    let open = utc(2025, 1, 6, 10, 30);
    assert_eq!(cal.add(open, TimeDelta::zero()).unwrap(), open);
}

#[test]
fn negative_and_overflowing_durations_are_errors() {
    let cal = nine_to_five(chrono_tz::UTC);
    let start = utc(2025, 1, 6, 9, 0);
    assert!(matches!(
        cal.add(start, hours(-1)),
        Err(CalendarError::NegativeDuration { .. })
    ));
    assert_eq!(
        cal.add(start, TimeDelta::MAX),
        Err(CalendarError::OutOfRange)
    );
}

#[test]
fn overnight_window_belongs_to_the_day_it_starts() {
    let week = WeekSchedule {
        friday: vec![WorkingWindow::overnight(t(22, 0), t(6, 0))],
        ..WeekSchedule::default()
    };
    let cal = calendar(chrono_tz::UTC, week.clone());
    // Friday 3 January 2025, 21:00 + 3h → Saturday 01:00.
    assert_eq!(
        cal.add(utc(2025, 1, 3, 21, 0), hours(3)).unwrap(),
        utc(2025, 1, 4, 1, 0)
    );
    assert!(cal.is_open(utc(2025, 1, 4, 5, 59)));
    assert!(!cal.is_open(utc(2025, 1, 4, 6, 0)));
    assert_eq!(cal.week_duration(), hours(8));

    // A holiday on the Saturday does not stop Friday's night shift...
    let saturday_off = BusinessCalendar::new(
        CalendarConfig::builder()
            .time_zone(chrono_tz::UTC)
            .week(week.clone())
            .holidays(vec![date(2025, 1, 4)])
            .build(),
    )
    .unwrap();
    assert!(saturday_off.is_open(utc(2025, 1, 4, 2, 0)));
    // ...a holiday on the Friday does.
    let friday_off = BusinessCalendar::new(
        CalendarConfig::builder()
            .time_zone(chrono_tz::UTC)
            .week(week)
            .holidays(vec![date(2025, 1, 3)])
            .build(),
    )
    .unwrap();
    assert!(!friday_off.is_open(utc(2025, 1, 4, 2, 0)));
    assert_eq!(
        friday_off.next_open(utc(2025, 1, 3, 12, 0)),
        utc(2025, 1, 10, 22, 0)
    );
}

#[test]
fn year_end_holidays_and_closures() {
    let paris = chrono_tz::Europe::Paris;
    let cal = BusinessCalendar::new(
        CalendarConfig::builder()
            .time_zone(paris)
            .week(WeekSchedule::weekdays(&[WorkingWindow::new(
                t(9, 0),
                t(17, 0),
            )]))
            .holidays(vec![date(2025, 12, 31)])
            .yearly_holidays(vec![YearlyDate::new(1, 1), YearlyDate::new(12, 25)])
            .closures(vec![PartialClosure {
                date: date(2025, 12, 24),
                windows: vec![WorkingWindow::new(t(9, 0), t(13, 0))],
            }])
            .build(),
    )
    .unwrap();
    // Tuesday 30 December 16:00 + 2h: Wednesday 31 and Thursday 1 are holidays.
    assert_eq!(
        cal.add(local(paris, 2025, 12, 30, 16, 0), hours(2))
            .unwrap(),
        local(paris, 2026, 1, 2, 10, 0)
    );
    // Wednesday 24 December closes at 13:00; Thursday 25 is Christmas.
    assert_eq!(
        cal.add(local(paris, 2025, 12, 24, 12, 0), hours(2))
            .unwrap(),
        local(paris, 2025, 12, 26, 10, 0)
    );
    // The week of 22 December 2025: 8 + 8 + 4 + 0 + 8.
    assert_eq!(
        cal.business_time_between(
            local(paris, 2025, 12, 22, 0, 0),
            local(paris, 2025, 12, 29, 0, 0)
        ),
        hours(28)
    );
}

#[test]
fn recurring_february_29_is_observed_in_leap_years_only() {
    let cal = BusinessCalendar::new(
        CalendarConfig::builder()
            .time_zone(chrono_tz::UTC)
            .week(WeekSchedule::weekdays(&[WorkingWindow::new(
                t(9, 0),
                t(17, 0),
            )]))
            .yearly_holidays(vec![YearlyDate::new(2, 29)])
            .build(),
    )
    .unwrap();
    // Tuesday 29 February 2028 is a holiday.
    assert!(!cal.is_open(utc(2028, 2, 29, 12, 0)));
    assert_eq!(
        cal.add(utc(2028, 2, 28, 16, 0), hours(2)).unwrap(),
        utc(2028, 3, 1, 10, 0)
    );
    // In 2027 neither 28 February (a Sunday, anyway) nor 1 March is.
    assert!(cal.is_open(utc(2027, 3, 1, 12, 0)));
    assert!(cal.is_open(utc(2027, 2, 26, 12, 0)));
}

#[test]
fn three_years_of_business_time() {
    let cal = nine_to_five(chrono_tz::Europe::Paris);
    let paris = chrono_tz::Europe::Paris;
    // 156 weeks of 40 hours from Monday 6 January 2025, 09:00: the end of Friday's
    // window 156 weeks later, Friday 31 December 2027 17:00, across six DST changes.
    let start = local(paris, 2025, 1, 6, 9, 0);
    let due = cal.add(start, hours(156 * 40)).unwrap();
    assert_eq!(due, local(paris, 2027, 12, 31, 17, 0));
    assert_eq!(cal.business_time_between(start, due), hours(156 * 40));
    // One more minute is on Monday 3 January 2028.
    assert_eq!(
        cal.add(start, hours(156 * 40) + TimeDelta::minutes(1))
            .unwrap(),
        local(paris, 2028, 1, 3, 9, 1)
    );
}

#[test]
fn paris_spring_forward_2025_and_2026() {
    let paris = chrono_tz::Europe::Paris;
    let cal = calendar(paris, every_day(&[WorkingWindow::new(t(2, 30), t(4, 0))]));
    // 30 March 2025: 02:00 → 03:00, so 02:30–04:00 runs 03:00–04:00.
    let day = |y, m, d| {
        cal.business_time_between(local(paris, y, m, d, 0, 0), local(paris, y, m, d, 12, 0))
    };
    assert_eq!(day(2025, 3, 29), TimeDelta::minutes(90));
    assert_eq!(day(2025, 3, 30), hours(1));
    assert_eq!(day(2026, 3, 29), hours(1));
    assert_eq!(
        cal.next_open(local(paris, 2025, 3, 30, 1, 0)),
        local(paris, 2025, 3, 30, 3, 0)
    );
    // A window inside the gap does not run at all.
    let gap = calendar(paris, every_day(&[WorkingWindow::new(t(2, 0), t(2, 30))]));
    assert_eq!(
        gap.business_time_between(
            local(paris, 2025, 3, 30, 0, 0),
            local(paris, 2025, 3, 30, 12, 0)
        ),
        TimeDelta::zero()
    );
}

#[test]
fn paris_fall_back_2025_and_2026() {
    let paris = chrono_tz::Europe::Paris;
    let cal = calendar(paris, every_day(&[WorkingWindow::new(t(1, 0), t(3, 0))]));
    let day = |y, m, d| {
        cal.business_time_between(local(paris, y, m, d, 0, 0), local(paris, y, m, d, 12, 0))
    };
    // 26 October 2025 and 25 October 2026: 03:00 → 02:00, three real hours.
    assert_eq!(day(2025, 10, 26), hours(3));
    assert_eq!(day(2025, 10, 27), hours(2));
    assert_eq!(day(2026, 10, 25), hours(3));
    // 2h30 from 01:00 CEST (23:00 UTC) ends at 02:30 CET, the second 02:30.
    assert_eq!(
        cal.add(utc(2025, 10, 25, 23, 0), TimeDelta::minutes(150))
            .unwrap(),
        utc(2025, 10, 26, 1, 30)
    );
}

#[test]
fn london_changes_at_one_in_the_morning() {
    let london = chrono_tz::Europe::London;
    let cal = around_the_clock(london);
    // 30 March 2025 has 23 hours, 26 October 2025 has 25.
    assert_eq!(
        cal.business_time_between(
            local(london, 2025, 3, 30, 0, 0),
            local(london, 2025, 3, 31, 0, 0)
        ),
        hours(23)
    );
    assert_eq!(
        cal.business_time_between(
            local(london, 2025, 10, 26, 0, 0),
            local(london, 2025, 10, 27, 0, 0)
        ),
        hours(25)
    );
}

#[test]
fn new_york_2025_and_2026() {
    let ny = chrono_tz::America::New_York;
    let fall = calendar(ny, every_day(&[WorkingWindow::new(t(1, 0), t(3, 0))]));
    let day = |cal: &BusinessCalendar, y, m, d| {
        cal.business_time_between(local(ny, y, m, d, 0, 0), local(ny, y, m, d, 12, 0))
    };
    // 2 November 2025 and 1 November 2026: 02:00 → 01:00.
    assert_eq!(day(&fall, 2025, 11, 2), hours(3));
    assert_eq!(day(&fall, 2026, 11, 1), hours(3));
    // 9 March 2025 and 8 March 2026: 02:00 → 03:00.
    assert_eq!(day(&fall, 2025, 3, 9), hours(1));
    assert_eq!(day(&fall, 2026, 3, 8), hours(1));
    assert_eq!(day(&fall, 2026, 3, 9), hours(2));

    // A window ending inside the repeated hour ends at its first occurrence.
    let early = calendar(ny, every_day(&[WorkingWindow::new(t(0, 0), t(1, 30))]));
    assert_eq!(day(&early, 2025, 11, 2), TimeDelta::minutes(90));

    // Office hours are untouched by night-time changes: 40 hours in each of those weeks.
    let office = nine_to_five(ny);
    for (y, m, d) in [(2025, 3, 3), (2025, 10, 27), (2026, 3, 2), (2026, 10, 26)] {
        let monday = local(ny, y, m, d, 0, 0);
        assert_eq!(
            office.business_time_between(monday, monday + TimeDelta::days(14)),
            hours(80),
            "{y}-{m}-{d}"
        );
    }
    // Friday 7 March 2025 16:00 EST + 2h → Monday 10:00 EDT (14:00 UTC).
    assert_eq!(
        office.add(local(ny, 2025, 3, 7, 16, 0), hours(2)).unwrap(),
        utc(2025, 3, 10, 14, 0)
    );
}

// ---------------------------------------------------------------------------------
// Validation and serde
// ---------------------------------------------------------------------------------

fn build_week(week: WeekSchedule) -> Result<BusinessCalendar, CalendarError> {
    BusinessCalendar::new(
        CalendarConfig::builder()
            .time_zone(chrono_tz::UTC)
            .week(week)
            .build(),
    )
}

#[test]
fn invalid_windows_are_rejected_with_a_sentence() {
    let monday = |windows: Vec<WorkingWindow>| WeekSchedule {
        monday: windows,
        ..WeekSchedule::default()
    };
    let error = build_week(monday(vec![WorkingWindow::new(t(9, 0), t(9, 0))])).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the window of Monday from 09:00:00 to 09:00:00 has no length"
    );
    let error = build_week(monday(vec![WorkingWindow::new(t(22, 0), t(6, 0))])).unwrap_err();
    assert!(matches!(error, CalendarError::EndsBeforeStart { .. }));
    assert!(error.to_string().contains("mark it overnight"));
    let error = build_week(monday(vec![WorkingWindow::overnight(t(6, 0), t(22, 0))])).unwrap_err();
    assert!(matches!(error, CalendarError::OvernightTooLong { .. }));
    let error = build_week(monday(vec![
        WorkingWindow::new(t(9, 0), t(12, 0)),
        WorkingWindow::new(t(11, 0), t(13, 0)),
    ]))
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "on Monday the window from 09:00:00 to 12:00:00 overlaps the one from 11:00:00 to 13:00:00"
    );
    // Touching windows are fine.
    assert!(
        build_week(monday(vec![
            WorkingWindow::new(t(9, 0), t(12, 0)),
            WorkingWindow::new(t(12, 0), t(13, 0)),
        ]))
        .is_ok()
    );
    let fractional = NaiveTime::from_hms_milli_opt(9, 0, 0, 500).unwrap();
    let error = build_week(monday(vec![WorkingWindow::new(fractional, t(10, 0))])).unwrap_err();
    assert!(matches!(error, CalendarError::FractionalSecond { .. }));
    let error = build_week(WeekSchedule::default()).unwrap_err();
    assert_eq!(error, CalendarError::EmptyWeek);
    assert_eq!(error.to_string(), "the week has no working time at all");
}

#[test]
fn friday_night_shift_overlapping_saturday_is_rejected() {
    let week = WeekSchedule {
        friday: vec![WorkingWindow::overnight(t(22, 0), t(6, 0))],
        saturday: vec![WorkingWindow::new(t(5, 0), t(10, 0))],
        ..WeekSchedule::default()
    };
    let error = build_week(week).unwrap_err();
    assert!(matches!(
        error,
        CalendarError::Overlap {
            day: DayRef::Weekday(Weekday::Fri),
            ..
        }
    ));
}

#[test]
fn invalid_holidays_and_closures_are_rejected() {
    let base = || {
        CalendarConfig::builder()
            .time_zone(chrono_tz::UTC)
            .week(WeekSchedule::weekdays(&[WorkingWindow::new(
                t(9, 0),
                t(17, 0),
            )]))
    };
    let error = BusinessCalendar::new(base().yearly_holidays(vec![YearlyDate::new(2, 30)]).build())
        .unwrap_err();
    assert_eq!(error.to_string(), "2/30 is not a day of the year");
    let all_year = (1..=12)
        .flat_map(|m| (1..=31).map(move |d| YearlyDate::new(m, d)))
        .filter(|y| NaiveDate::from_ymd_opt(2000, y.month, y.day).is_some())
        .collect();
    let error = BusinessCalendar::new(base().yearly_holidays(all_year).build()).unwrap_err();
    assert_eq!(error, CalendarError::EveryDayIsAHoliday);
    let closure = PartialClosure {
        date: date(2025, 12, 24),
        windows: vec![WorkingWindow::new(t(9, 0), t(13, 0))],
    };
    let error =
        BusinessCalendar::new(base().closures(vec![closure.clone(), closure]).build()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "2025-12-24 has more than one partial closure"
    );
}

#[test]
fn serde_round_trip_and_validation() {
    let json = r#"{
        "time_zone": "America/New_York",
        "week": {
            "monday": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "17:30"}],
            "friday": [{"start": "22:00", "end": "06:00", "overnight": true}]
        },
        "holidays": ["2025-07-04"],
        "yearly_holidays": [{"month": 12, "day": 25}],
        "closures": [{"date": "2025-12-24", "windows": [{"start": "09:00", "end": "13:00"}]}]
    }"#;
    let cal: BusinessCalendar = serde_json::from_str(json).unwrap();
    assert_eq!(
        cal.week_duration(),
        TimeDelta::minutes(7 * 60 + 30 + 8 * 60)
    );
    let written = serde_json::to_value(&cal).unwrap();
    assert_eq!(written["week"]["monday"][1]["end"], "17:30");
    assert_eq!(written["week"]["friday"][0]["overnight"], true);
    assert_eq!(written["time_zone"], "America/New_York");
    let again: BusinessCalendar = serde_json::from_value(written).unwrap();
    assert_eq!(again, cal);
    // Equality is the configuration's: another zone or another holiday is another
    // calendar.
    assert_ne!(nine_to_five(chrono_tz::America::New_York), cal);
    let mut config = CalendarConfig::from(cal.clone());
    config.holidays.clear();
    assert_ne!(BusinessCalendar::new(config).unwrap(), cal);

    let invalid =
        r#"{"time_zone": "UTC", "week": {"monday": [{"start": "17:00", "end": "09:00"}]}}"#;
    let error = serde_json::from_str::<BusinessCalendar>(invalid).unwrap_err();
    assert!(
        error.to_string().contains("ends before it starts"),
        "{error}"
    );
    let bad_time = r#"{"time_zone": "UTC", "week": {"monday": [{"start": "9h", "end": "10:00"}]}}"#;
    assert!(serde_json::from_str::<BusinessCalendar>(bad_time).is_err());
}

#[test]
fn calendar_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<BusinessCalendar>();
    assert_send_sync::<CalendarConfig>();
    assert_send_sync::<CalendarError>();
}

// ---------------------------------------------------------------------------------
// The reference model: every day, one by one, straight from the configuration.
// ---------------------------------------------------------------------------------

/// First instant at which the clock shows `at` or later.
fn ref_resolve(tz: Tz, at: NaiveDateTime) -> DateTime<Utc> {
    let mut probe = at;
    loop {
        match tz.from_local_datetime(&probe) {
            LocalResult::Single(x) | LocalResult::Ambiguous(x, _) => return x.with_timezone(&Utc),
            LocalResult::None => probe += TimeDelta::minutes(1),
        }
    }
}

fn ref_intervals(config: &CalendarConfig, day: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let windows: Vec<WorkingWindow> =
        if let Some(c) = config.closures.iter().find(|c| c.date == day) {
            c.windows.clone()
        } else if config.holidays.contains(&day)
            || config
                .yearly_holidays
                .iter()
                .any(|y| y.month == day.month() && y.day == day.day())
        {
            Vec::new()
        } else {
            config.week.windows(day.weekday()).to_vec()
        };
    let mut out: Vec<_> = windows
        .iter()
        .map(|w| {
            let end_day = if w.overnight {
                day.succ_opt().unwrap()
            } else {
                day
            };
            (
                ref_resolve(config.time_zone, day.and_time(w.start)),
                ref_resolve(config.time_zone, end_day.and_time(w.end)),
            )
        })
        .filter(|(s, e)| e > s)
        .collect();
    out.sort();
    out
}

fn ref_local_date(tz: Tz, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

fn ref_between(config: &CalendarConfig, a: DateTime<Utc>, b: DateTime<Utc>) -> TimeDelta {
    let mut total = TimeDelta::zero();
    if b <= a {
        return total;
    }
    let mut day = ref_local_date(config.time_zone, a) - Days::new(2);
    let last = ref_local_date(config.time_zone, b) + Days::new(2);
    while day <= last {
        for (s, e) in ref_intervals(config, day) {
            let (s, e) = (s.max(a), e.min(b));
            if e > s {
                total += e - s;
            }
        }
        day = day.succ_opt().unwrap();
    }
    total
}

fn ref_add(config: &CalendarConfig, start: DateTime<Utc>, d: TimeDelta) -> DateTime<Utc> {
    let mut day = ref_local_date(config.time_zone, start) - Days::new(2);
    let mut remaining = d;
    loop {
        for (s, e) in ref_intervals(config, day) {
            let s = s.max(start);
            if e <= s {
                continue;
            }
            if remaining.is_zero() {
                return s;
            }
            if remaining <= e - s {
                return s + remaining;
            }
            remaining -= e - s;
        }
        day = day.succ_opt().unwrap();
    }
}

fn ref_is_open(config: &CalendarConfig, at: DateTime<Utc>) -> bool {
    let day = ref_local_date(config.time_zone, at);
    [
        day - Days::new(2),
        day - Days::new(1),
        day,
        day + Days::new(1),
    ]
    .into_iter()
    .flat_map(|d| ref_intervals(config, d))
    .any(|(s, e)| s <= at && at < e)
}

// ---------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------

const ZONES: [Tz; 8] = [
    chrono_tz::UTC,
    chrono_tz::Europe::Paris,
    chrono_tz::Europe::London,
    chrono_tz::America::New_York,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::Pacific::Chatham,
    chrono_tz::America::Santiago,
    chrono_tz::Asia::Kolkata,
];

/// Five-minute cut points of a day; pairs make windows, an odd last one opens an
/// overnight window (its end is fixed up against the next day when building the week).
fn day_points() -> impl Strategy<Value = Vec<u32>> {
    prop::collection::btree_set(0u32..288, 0..=5).prop_map(|s| s.into_iter().collect())
}

fn week_from(points: &[Vec<u32>], overnight_ends: &[u32]) -> WeekSchedule {
    let minute = |p: u32| t(p * 5 / 60, p * 5 % 60);
    let mut days: Vec<Vec<WorkingWindow>> = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let mut windows: Vec<WorkingWindow> = p
            .chunks(2)
            .filter(|c| c.len() == 2)
            .map(|c| WorkingWindow::new(minute(c[0]), minute(c[1])))
            .collect();
        if p.len() % 2 == 1 {
            let start = *p.last().unwrap();
            let next_first = points[(i + 1) % 7].first().copied().unwrap_or(288);
            let end = overnight_ends[i].min(next_first).min(start) % 288;
            windows.push(WorkingWindow::overnight(minute(start), minute(end)));
        }
        days.push(windows);
    }
    let mut it = days.into_iter();
    let mut next = || it.next().unwrap();
    WeekSchedule {
        monday: next(),
        tuesday: next(),
        wednesday: next(),
        thursday: next(),
        friday: next(),
        saturday: next(),
        sunday: next(),
    }
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0u64..365 * 6).prop_map(|d| date(2024, 1, 1) + Days::new(d))
}

fn config_strategy() -> impl Strategy<Value = CalendarConfig> {
    (
        0..ZONES.len(),
        prop::collection::vec(day_points(), 7),
        prop::collection::vec(0u32..288, 7),
        prop::collection::vec(any_date(), 0..6),
        prop::collection::vec((1u32..=12, 1u32..=31), 0..4),
        prop::collection::vec((any_date(), prop::option::of((0u32..144, 1u32..144))), 0..3),
    )
        .prop_map(|(zone, points, ends, holidays, yearly, closures)| {
            let minute = |p: u32| t(p * 5 / 60, p * 5 % 60);
            CalendarConfig {
                time_zone: ZONES[zone],
                week: week_from(&points, &ends),
                holidays,
                yearly_holidays: yearly
                    .into_iter()
                    .filter(|(m, d)| NaiveDate::from_ymd_opt(2000, *m, *d).is_some())
                    .map(|(m, d)| YearlyDate::new(m, d))
                    .collect(),
                closures: closures
                    .into_iter()
                    .map(|(date, window)| PartialClosure {
                        date,
                        windows: window
                            .map(|(s, len)| {
                                WorkingWindow::new(minute(s), minute((s + len).min(287)))
                            })
                            .filter(|w| w.end > w.start)
                            .into_iter()
                            .collect(),
                    })
                    .collect(),
            }
        })
}

fn valid_calendar() -> impl Strategy<Value = (CalendarConfig, BusinessCalendar)> {
    config_strategy().prop_filter_map("invalid configuration", |config| {
        BusinessCalendar::new(config.clone())
            .ok()
            .map(|cal| (config, cal))
    })
}

/// Instants around the ends of the calendar's 1970–2100 index, where long computations
/// fall back to skipping whole weeks.
fn instant_near_index_ends() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        // 1966-01-01 .. 1970-03-01
        (-126_230_400i64..5_097_600),
        // 2098-01-01 .. 2103-01-01
        (4_039_372_800i64..4_197_139_200),
    ]
    .prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
}

fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    // 2024-01-01 .. 2029-12-31, to the second.
    (1_704_067_200i64..1_893_369_600).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
}

/// A duration for a calendar: zero, up to an hour, up to a day, or up to 150 weeks of
/// that calendar's working time (so that sparse calendars stay within a few years).
fn any_duration() -> impl Strategy<Value = (u8, i64)> {
    prop_oneof![
        Just((0u8, 0i64)),
        (1i64..3_600).prop_map(|s| (1u8, s)),
        (1i64..86_400).prop_map(|s| (1u8, s)),
        (1i64..150_000).prop_map(|n| (2u8, n)),
    ]
}

fn scaled(cal: &BusinessCalendar, (kind, raw): (u8, i64)) -> TimeDelta {
    match kind {
        0 => TimeDelta::zero(),
        1 => TimeDelta::seconds(raw),
        _ => TimeDelta::seconds(cal.week_duration().num_seconds() * raw / 1000),
    }
}

proptest! {
    // 256 cases by default; set PROPTEST_CASES for a longer run.
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn add_agrees_with_the_reference(
        (config, cal) in valid_calendar(),
        start in any_instant(),
        duration in any_duration(),
    ) {
        let duration = scaled(&cal, duration);
        let due = cal.add(start, duration).unwrap();
        prop_assert_eq!(due, ref_add(&config, start, duration));
        // Measuring from the start gives the duration back.
        prop_assert_eq!(cal.business_time_between(start, due), duration);
        // Every due instant lies inside a window, or at its closing instant.
        if duration.is_zero() {
            prop_assert!(cal.is_open(due));
            prop_assert_eq!(due, cal.next_open(start));
        } else {
            prop_assert!(cal.is_open(due - TimeDelta::nanoseconds(1)));
            prop_assert!(ref_is_open(&config, due - TimeDelta::nanoseconds(1)));
        }
    }

    #[test]
    fn add_and_between_agree_with_the_reference_around_the_index_ends(
        (config, cal) in valid_calendar(),
        start in instant_near_index_ends(),
        duration in any_duration(),
    ) {
        let duration = scaled(&cal, duration);
        let due = cal.add(start, duration).unwrap();
        prop_assert_eq!(due, ref_add(&config, start, duration));
        prop_assert_eq!(cal.business_time_between(start, due), duration);
        let later = start + TimeDelta::days(800);
        prop_assert_eq!(cal.business_time_between(start, later), ref_between(&config, start, later));
    }

    #[test]
    fn between_agrees_with_the_reference(
        (config, cal) in valid_calendar(),
        a in any_instant(),
        span in (0i64..3 * 365 * 86_400).prop_map(TimeDelta::seconds),
    ) {
        let b = a + span;
        prop_assert_eq!(cal.business_time_between(a, b), ref_between(&config, a, b));
        prop_assert_eq!(cal.business_time_between(b, a), TimeDelta::zero());
    }

    #[test]
    fn is_open_and_next_open_agree_with_the_reference(
        (config, cal) in valid_calendar(),
        at in any_instant(),
    ) {
        prop_assert_eq!(cal.is_open(at), ref_is_open(&config, at));
        let next = cal.next_open(at);
        prop_assert!(next >= at);
        prop_assert!(ref_is_open(&config, next));
        prop_assert_eq!(ref_between(&config, at, next), TimeDelta::zero());
    }

    #[test]
    fn add_is_monotonic(
        (_config, cal) in valid_calendar(),
        a in any_instant(),
        b in any_instant(),
        d1 in any_duration(),
        d2 in any_duration(),
    ) {
        let (s1, s2) = (a.min(b), a.max(b));
        let (d1, d2) = (scaled(&cal, d1), scaled(&cal, d2));
        let (d1, d2) = (d1.min(d2), d1.max(d2));
        prop_assert!(cal.add(s1, d1).unwrap() <= cal.add(s1, d2).unwrap());
        prop_assert!(cal.add(s1, d1).unwrap() <= cal.add(s2, d1).unwrap());
    }

    #[test]
    fn around_the_clock_business_time_is_elapsed_time(
        zone in 0..ZONES.len(),
        a in any_instant(),
        span in (0i64..2 * 365 * 86_400).prop_map(TimeDelta::seconds),
    ) {
        let cal = around_the_clock(ZONES[zone]);
        prop_assert_eq!(cal.business_time_between(a, a + span), span);
        prop_assert_eq!(cal.add(a, span).unwrap(), a + span);
    }
}

// ---------------------------------------------------------------------------------
// Backwards, windows and working days: the reference model, day by day
// ---------------------------------------------------------------------------------

/// Every interval owned by the days around `at` and `days` further on one side, in
/// time order.
fn ref_intervals_around(
    config: &CalendarConfig,
    at: DateTime<Utc>,
    before: u64,
    after: u64,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let day = ref_local_date(config.time_zone, at);
    let mut out = Vec::new();
    let mut d = day - Days::new(before);
    while d <= day + Days::new(after) {
        out.extend(ref_intervals(config, d));
        d = d.succ_opt().unwrap();
    }
    out
}

fn ref_subtract(config: &CalendarConfig, end: DateTime<Utc>, d: TimeDelta) -> DateTime<Utc> {
    if d.is_zero() {
        return end;
    }
    let mut day = ref_local_date(config.time_zone, end) + Days::new(2);
    let mut remaining = d;
    loop {
        for (s, e) in ref_intervals(config, day).into_iter().rev() {
            let e = e.min(end);
            if e <= s {
                continue;
            }
            if remaining <= e - s {
                return e - remaining;
            }
            remaining -= e - s;
        }
        day = day.pred_opt().unwrap();
    }
}

fn ref_is_working_day(config: &CalendarConfig, day: NaiveDate) -> bool {
    !ref_intervals(config, day).is_empty()
}

/// Working days after `from` up to and including `to`, signed.
fn ref_working_days_between(config: &CalendarConfig, from: NaiveDate, to: NaiveDate) -> i64 {
    let (low, high, sign) = if from <= to {
        (from, to, 1)
    } else {
        (to, from, -1)
    };
    let mut count = 0;
    let mut day = low.succ_opt().unwrap();
    while day <= high {
        count += i64::from(ref_is_working_day(config, day));
        day = day.succ_opt().unwrap();
    }
    sign * count
}

fn ref_add_working_days(config: &CalendarConfig, from: NaiveDate, n: i64) -> NaiveDate {
    if n == 0 && ref_is_working_day(config, from) {
        return from;
    }
    let step = |d: NaiveDate| {
        if n < 0 {
            d.pred_opt().unwrap()
        } else {
            d.succ_opt().unwrap()
        }
    };
    let mut left = n.abs().max(1);
    let mut day = from;
    loop {
        day = step(day);
        if ref_is_working_day(config, day) {
            left -= 1;
            if left == 0 {
                return day;
            }
        }
    }
}

/// A signed number of working days, small or over years.
fn any_day_count() -> impl Strategy<Value = i64> {
    prop_oneof![Just(0i64), -12i64..12, -1_300i64..1_300]
}

proptest! {
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn subtract_agrees_with_the_reference_and_undoes_add(
        (config, cal) in valid_calendar(),
        start in any_instant(),
        duration in any_duration(),
    ) {
        let duration = scaled(&cal, duration);
        let back = cal.subtract(start, duration).unwrap();
        prop_assert_eq!(back, ref_subtract(&config, start, duration));
        prop_assert_eq!(cal.business_time_between(back, start), duration);
        prop_assert_eq!(cal.signed_business_time_between(start, back), -duration);
        if !duration.is_zero() {
            // Inside a window or at its opening, never at a close.
            prop_assert!(cal.is_open(back));
        }
        // subtract(add(t, d), d) is t, or the opening from which add counted.
        let due = cal.add(start, duration).unwrap();
        prop_assert_eq!(cal.subtract(due, duration).unwrap(), cal.next_open(start));
    }

    #[test]
    fn subtract_agrees_with_the_reference_around_the_index_ends(
        (config, cal) in valid_calendar(),
        end in instant_near_index_ends(),
        duration in any_duration(),
    ) {
        let duration = scaled(&cal, duration);
        let back = cal.subtract(end, duration).unwrap();
        prop_assert_eq!(back, ref_subtract(&config, end, duration));
        prop_assert_eq!(cal.business_time_between(back, end), duration);
    }

    #[test]
    fn add_and_subtract_are_monotone_in_the_duration(
        (_config, cal) in valid_calendar(),
        t in any_instant(),
        d1 in any_duration(),
        d2 in any_duration(),
    ) {
        let (d1, d2) = (scaled(&cal, d1), scaled(&cal, d2));
        let (small, large) = (d1.min(d2), d1.max(d2));
        prop_assert!(cal.add(t, small).unwrap() <= cal.add(t, large).unwrap());
        prop_assert!(cal.subtract(t, small).unwrap() >= cal.subtract(t, large).unwrap());
        prop_assert_eq!(cal.business_time_between(t, cal.add(t, large).unwrap()), large);
    }

    #[test]
    fn signed_between_is_antisymmetric(
        (_config, cal) in valid_calendar(),
        a in any_instant(),
        b in any_instant(),
    ) {
        let forward = cal.signed_business_time_between(a, b);
        prop_assert_eq!(cal.signed_business_time_between(b, a), -forward);
        prop_assert_eq!(forward.abs(), cal.business_time_between(a.min(b), a.max(b)));
    }

    #[test]
    fn windows_agree_with_the_reference(
        (config, cal) in valid_calendar(),
        at in any_instant(),
    ) {
        let intervals = ref_intervals_around(&config, at, 3, 400);
        let holding = intervals.iter().find(|(s, e)| *s <= at && at < *e);
        prop_assert_eq!(cal.current_window(at), holding.map(|&(s, e)| s..e));
        let close = cal.next_close(at);
        prop_assert!(close > at);
        prop_assert_eq!(Some(close), intervals.iter().map(|&(_, e)| e).find(|&e| e > at));
        if let Some(window) = cal.current_window(at) {
            prop_assert_eq!(close, window.end);
            prop_assert_eq!(cal.previous_open(at), window.start);
        }
        prop_assert_eq!(
            Some(cal.next_window_start(at)),
            intervals.iter().map(|&(s, _)| s).find(|&s| s > at)
        );
        let earlier = ref_intervals_around(&config, at, 400, 3);
        prop_assert_eq!(
            Some(cal.previous_open(at)),
            earlier.iter().rev().map(|&(s, _)| s).find(|&s| s <= at)
        );
        prop_assert_eq!(
            Some(cal.previous_close(at)),
            earlier.iter().rev().find(|&&(s, _)| s < at).map(|&(_, e)| e.min(at))
        );
        // previous_close is the mirror of next_open: no working time between it and `at`.
        prop_assert_eq!(cal.business_time_between(cal.previous_close(at), at), TimeDelta::zero());
        prop_assert_eq!(cal.subtract(at, TimeDelta::zero()).unwrap(), at);
    }

    #[test]
    fn working_days_agree_with_the_reference(
        (config, cal) in valid_calendar(),
        from in any_date(),
        n in any_day_count(),
        span in -800i64..800,
    ) {
        prop_assert_eq!(cal.is_working_day(from), ref_is_working_day(&config, from));
        let to = from + TimeDelta::days(span);
        prop_assert_eq!(cal.working_days_between(from, to), ref_working_days_between(&config, from, to));
        prop_assert_eq!(cal.working_days_between(to, from), -cal.working_days_between(from, to));
        let result = cal.add_working_days(from, n).unwrap();
        prop_assert_eq!(result, ref_add_working_days(&config, from, n));
        prop_assert!(cal.is_working_day(result));
        if n > 0 {
            prop_assert_eq!(cal.working_days_between(from, result), n);
        } else if n < 0 {
            // The |n|-th working day before: |n| - 1 of them lie strictly between.
            let between = cal.working_days_between(result, from.pred_opt().unwrap());
            prop_assert_eq!(between, -n - 1);
        }
    }

    #[test]
    fn working_days_over_decades_and_the_index_ends(
        (config, cal) in valid_calendar(),
        from in instant_near_index_ends(),
        n in -3_000i64..3_000,
    ) {
        let from = from.date_naive();
        let result = cal.add_working_days(from, n).unwrap();
        prop_assert_eq!(result, ref_add_working_days(&config, from, n));
        prop_assert_eq!(
            cal.working_days_between(from, result),
            ref_working_days_between(&config, from, result)
        );
    }

    #[test]
    fn working_day_instants_land_in_the_working_hours(
        (config, cal) in valid_calendar(),
        at in any_instant(),
        n in any_day_count(),
    ) {
        let day = cal.add_working_days(ref_local_date(config.time_zone, at), n).unwrap();
        let hours = ref_intervals(&config, day);
        let same = cal.add_working_days_same_time(at, n).unwrap();
        prop_assert!(hours.iter().any(|&(s, e)| s <= same && same <= e));
        let close = cal.add_working_days_to_close(at, n).unwrap();
        prop_assert_eq!(Some(close), hours.iter().map(|&(_, e)| e).max());
        prop_assert_eq!(cal.close_of_business(day), Some(close));
        prop_assert_eq!(cal.zoned().add_working_days_to_close(at, n).unwrap().to_utc(), close);
    }
}
