//! Business calendar operations beyond `add`: subtracting, windows, close of business,
//! working days, signed durations, results in the calendar's zone, `24:00` as a window
//! end, and commitments counted back from the promised date. Fixed cases with the
//! instants worked out by hand; the laws are property tests in `tests/calendar.rs`.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use service_recovery::schedule::{
    BusinessCalendar, CalendarConfig, CalendarError, FollowUpPolicy, PartialClosure, WeekSchedule,
    WorkingTime, WorkingWindow, commitment,
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

fn local(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    tz.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
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

fn office(tz: Tz) -> BusinessCalendar {
    calendar(
        tz,
        WeekSchedule::weekdays(&[
            WorkingWindow::new(t(9, 0), t(12, 0)),
            WorkingWindow::new(t(13, 0), t(17, 0)),
        ]),
    )
}

// ---------------------------------------------------------------------------------
// Subtracting
// ---------------------------------------------------------------------------------

#[test]
fn subtract_lands_on_an_opening_never_on_a_close() {
    let cal = office(chrono_tz::UTC);
    // Monday 6 January 2025.
    let due = utc(2025, 1, 6, 10, 0);
    assert_eq!(
        cal.subtract(due, TimeDelta::hours(1)).unwrap(),
        utc(2025, 1, 6, 9, 0)
    );
    assert_eq!(
        cal.subtract(due, TimeDelta::hours(2)).unwrap(),
        utc(2025, 1, 3, 16, 0)
    );
    // Across the lunch break: 14:00 minus 90 minutes is 11:30.
    assert_eq!(
        cal.subtract(utc(2025, 1, 6, 14, 0), TimeDelta::minutes(90))
            .unwrap(),
        utc(2025, 1, 6, 11, 30)
    );
    // From a closed instant the count starts at the last close: Saturday → Friday.
    assert_eq!(
        cal.subtract(utc(2025, 1, 4, 12, 0), TimeDelta::hours(4))
            .unwrap(),
        utc(2025, 1, 3, 13, 0)
    );
    // Zero gives the instant itself, even when closed.
    let saturday = utc(2025, 1, 4, 12, 0);
    assert_eq!(cal.subtract(saturday, TimeDelta::zero()).unwrap(), saturday);
}

#[test]
fn subtract_refuses_negative_durations_and_the_end_of_time() {
    let cal = office(chrono_tz::UTC);
    let due = utc(2025, 1, 6, 10, 0);
    assert_eq!(
        cal.subtract(due, TimeDelta::hours(-1)),
        Err(CalendarError::NegativeDuration {
            duration: TimeDelta::hours(-1)
        })
    );
    assert_eq!(
        cal.subtract(due, TimeDelta::MAX),
        Err(CalendarError::OutOfRange)
    );
}

#[test]
fn subtract_across_the_paris_fall_back_counts_the_repeated_hour() {
    let paris = chrono_tz::Europe::Paris;
    let cal = calendar(paris, every_day(&[WorkingWindow::new(t(1, 0), t(3, 0))]));
    // 26 October 2025: the window runs 01:00 CEST (23:00 UTC) to 03:00 CET (02:00 UTC).
    let end = utc(2025, 10, 26, 2, 0);
    assert_eq!(
        cal.subtract(end, TimeDelta::hours(3)).unwrap(),
        utc(2025, 10, 25, 23, 0)
    );
    // Half an hour more reaches back into 25 October's window, 02:30 CEST.
    assert_eq!(
        cal.subtract(end, TimeDelta::minutes(210)).unwrap(),
        utc(2025, 10, 25, 0, 30)
    );
    // From the second 02:30 (01:30 UTC), 2h30 back is the first 01:00.
    assert_eq!(
        cal.subtract(utc(2025, 10, 26, 1, 30), TimeDelta::minutes(150))
            .unwrap(),
        utc(2025, 10, 25, 23, 0)
    );
}

#[test]
fn subtract_across_the_paris_spring_forward_skips_the_missing_hour() {
    let paris = chrono_tz::Europe::Paris;
    let cal = calendar(paris, every_day(&[WorkingWindow::new(t(2, 30), t(4, 0))]));
    // 30 March 2025: 02:30–04:00 runs 03:00–04:00 CEST (01:00–02:00 UTC), one hour; the
    // other 30 minutes come from 29 March, 03:30–04:00 CET (02:30–03:00 UTC).
    let end = local(paris, 2025, 3, 30, 4, 0);
    assert_eq!(
        cal.subtract(end, TimeDelta::minutes(90)).unwrap(),
        utc(2025, 3, 29, 2, 30)
    );
    assert_eq!(
        cal.subtract(end, TimeDelta::hours(1)).unwrap(),
        utc(2025, 3, 30, 1, 0)
    );
}

#[test]
fn subtract_across_the_new_york_spring_weekend() {
    let ny = chrono_tz::America::New_York;
    let cal = office(ny);
    // Monday 10 March 2025, 10:00 EDT minus 2h → Friday 7 March 16:00 EST.
    assert_eq!(
        cal.subtract(local(ny, 2025, 3, 10, 10, 0), TimeDelta::hours(2))
            .unwrap(),
        utc(2025, 3, 7, 21, 0)
    );
    assert_eq!(
        cal.zoned()
            .subtract(local(ny, 2025, 3, 10, 10, 0), TimeDelta::hours(2))
            .unwrap()
            .to_rfc3339(),
        "2025-03-07T16:00:00-05:00"
    );
}

// ---------------------------------------------------------------------------------
// Windows and close of business
// ---------------------------------------------------------------------------------

#[test]
fn window_queries_on_a_split_day() {
    let cal = office(chrono_tz::UTC);
    let at = |h, m| utc(2025, 1, 6, h, m);
    assert_eq!(cal.current_window(at(10, 0)), Some(at(9, 0)..at(12, 0)));
    assert_eq!(cal.current_window(at(12, 0)), None);
    assert_eq!(cal.current_window(at(9, 0)), Some(at(9, 0)..at(12, 0)));
    assert_eq!(cal.next_close(at(10, 0)), at(12, 0));
    assert_eq!(cal.next_close(at(12, 30)), at(17, 0));
    assert_eq!(cal.next_window_start(at(9, 0)), at(13, 0));
    assert_eq!(cal.next_window_start(at(12, 30)), at(13, 0));
    assert_eq!(cal.next_window_start(at(17, 0)), utc(2025, 1, 7, 9, 0));
    assert_eq!(cal.previous_open(at(12, 30)), at(9, 0));
    assert_eq!(cal.previous_open(at(13, 0)), at(13, 0));
    assert_eq!(cal.previous_close(at(12, 30)), at(12, 0));
    assert_eq!(cal.previous_close(at(13, 0)), at(12, 0));
    assert_eq!(cal.previous_close(at(13, 1)), at(13, 1));
    assert_eq!(cal.close_of_business(date(2025, 1, 6)), Some(at(17, 0)));
    assert_eq!(cal.close_of_business(date(2025, 1, 5)), None);
}

#[test]
fn touching_windows_close_and_reopen_at_midnight() {
    // Friday 22:00–24:00, then Saturday 00:00–06:00: two windows, one shift.
    let week = WeekSchedule {
        friday: vec![WorkingWindow::until_midnight(t(22, 0))],
        saturday: vec![WorkingWindow::new(t(0, 0), t(6, 0))],
        ..WeekSchedule::default()
    };
    let cal = calendar(chrono_tz::UTC, week);
    let friday_late = utc(2025, 1, 3, 23, 0);
    let midnight = utc(2025, 1, 4, 0, 0);
    assert_eq!(cal.next_close(friday_late), midnight);
    assert_eq!(cal.next_close(midnight), utc(2025, 1, 4, 6, 0));
    assert!(cal.is_open(midnight));
    assert_eq!(
        cal.close_of_business(date(2025, 1, 3)),
        Some(midnight),
        "Friday's window ends at its midnight"
    );
    assert_eq!(
        cal.add(friday_late, TimeDelta::hours(3)).unwrap(),
        utc(2025, 1, 4, 2, 0)
    );
    assert_eq!(
        cal.subtract(utc(2025, 1, 4, 2, 0), TimeDelta::hours(3))
            .unwrap(),
        friday_late
    );
}

#[test]
fn overnight_window_close_of_business_is_the_next_morning() {
    let week = WeekSchedule {
        friday: vec![WorkingWindow::overnight(t(22, 0), t(6, 0))],
        ..WeekSchedule::default()
    };
    let cal = calendar(chrono_tz::UTC, week);
    assert_eq!(
        cal.close_of_business(date(2025, 1, 3)),
        Some(utc(2025, 1, 4, 6, 0))
    );
    assert!(cal.is_working_day(date(2025, 1, 3)));
    assert!(!cal.is_working_day(date(2025, 1, 4)));
    assert_eq!(
        cal.previous_open(utc(2025, 1, 4, 3, 0)),
        utc(2025, 1, 3, 22, 0)
    );
}

// ---------------------------------------------------------------------------------
// Working days
// ---------------------------------------------------------------------------------

#[test]
fn holidays_closures_and_skipped_hours_decide_working_days() {
    let paris = chrono_tz::Europe::Paris;
    let week = WeekSchedule {
        sunday: vec![WorkingWindow::new(t(2, 0), t(2, 30))],
        ..WeekSchedule::weekdays(&[WorkingWindow::new(t(9, 0), t(17, 0))])
    };
    let cal = BusinessCalendar::new(
        CalendarConfig::builder()
            .time_zone(paris)
            .week(week)
            .holidays(vec![date(2025, 4, 21)])
            .closures(vec![
                PartialClosure {
                    date: date(2025, 4, 22),
                    windows: Vec::new(),
                },
                PartialClosure {
                    date: date(2025, 4, 26),
                    windows: vec![WorkingWindow::new(t(10, 0), t(12, 0))],
                },
            ])
            .build(),
    )
    .unwrap();
    // Sunday 30 March 2025: the only window lies in the skipped hour.
    assert!(!cal.is_working_day(date(2025, 3, 30)));
    assert!(cal.is_working_day(date(2025, 4, 6)));
    assert!(!cal.is_working_day(date(2025, 4, 21)), "a holiday");
    assert!(!cal.is_working_day(date(2025, 4, 22)), "closed all day");
    assert!(
        cal.is_working_day(date(2025, 4, 26)),
        "a Saturday with hours"
    );
    // Sunday 20 to Sunday 27 April: 23, 24, 25, 26 (Saturday), 27 (Sunday night).
    assert_eq!(
        cal.working_days_between(date(2025, 4, 20), date(2025, 4, 27)),
        5
    );
    assert_eq!(
        cal.add_working_days(date(2025, 4, 18), 1).unwrap(),
        date(2025, 4, 20)
    );
    assert_eq!(
        cal.add_working_days(date(2025, 4, 20), 1).unwrap(),
        date(2025, 4, 23)
    );
    assert_eq!(
        cal.add_working_days(date(2025, 4, 23), -1).unwrap(),
        date(2025, 4, 20)
    );
    assert_eq!(
        cal.add_working_days(date(2025, 4, 21), 0).unwrap(),
        date(2025, 4, 23)
    );
}

#[test]
fn working_days_same_time_keeps_the_local_time_across_a_clock_change() {
    let ny = chrono_tz::America::New_York;
    let cal = office(ny);
    // Friday 7 March 2025 10:30 EST + 1 working day → Monday 10 March 10:30 EDT.
    let friday = local(ny, 2025, 3, 7, 10, 30);
    assert_eq!(
        cal.add_working_days_same_time(friday, 1).unwrap(),
        utc(2025, 3, 10, 14, 30)
    );
    assert_eq!(
        cal.zoned()
            .add_working_days_same_time(friday, 1)
            .unwrap()
            .to_rfc3339(),
        "2025-03-10T10:30:00-04:00"
    );
    // Lunch time moves on to the afternoon's opening; early morning to the first one;
    // the evening back to the close.
    let lunch = local(ny, 2025, 3, 7, 12, 15);
    assert_eq!(
        cal.add_working_days_same_time(lunch, -1).unwrap(),
        local(ny, 2025, 3, 6, 13, 0)
    );
    let early = local(ny, 2025, 3, 7, 6, 0);
    assert_eq!(
        cal.add_working_days_same_time(early, 1).unwrap(),
        local(ny, 2025, 3, 10, 9, 0)
    );
    let evening = local(ny, 2025, 3, 7, 19, 0);
    assert_eq!(
        cal.add_working_days_same_time(evening, 0).unwrap(),
        local(ny, 2025, 3, 7, 17, 0)
    );
    // To the close: Friday + 1 working day is Monday's close.
    assert_eq!(
        cal.add_working_days_to_close(early, 1).unwrap(),
        local(ny, 2025, 3, 10, 17, 0)
    );
    // From a Saturday, zero working days is Monday.
    let saturday = local(ny, 2025, 3, 8, 11, 0);
    assert_eq!(
        cal.add_working_days_same_time(saturday, 0).unwrap(),
        local(ny, 2025, 3, 10, 11, 0)
    );
}

#[test]
fn working_days_past_chrono_s_range_are_an_error() {
    let cal = office(chrono_tz::UTC);
    assert_eq!(
        cal.add_working_days(date(2025, 1, 6), i64::MAX),
        Err(CalendarError::OutOfRange)
    );
    assert_eq!(
        cal.add_working_days(date(2025, 1, 6), i64::MIN),
        Err(CalendarError::OutOfRange)
    );
    assert_eq!(
        cal.add_working_days(NaiveDate::MAX, 1),
        Err(CalendarError::OutOfRange)
    );
}

// ---------------------------------------------------------------------------------
// Signed durations and the calendar's zone
// ---------------------------------------------------------------------------------

#[test]
fn signed_durations_in_either_order() {
    let cal = office(chrono_tz::UTC);
    let a = utc(2025, 1, 3, 16, 0);
    let b = utc(2025, 1, 6, 10, 0);
    assert_eq!(cal.signed_business_time_between(a, b), TimeDelta::hours(2));
    assert_eq!(cal.signed_business_time_between(b, a), TimeDelta::hours(-2));
    assert_eq!(cal.signed_business_time_between(a, a), TimeDelta::zero());
    assert_eq!(cal.business_time_between(b, a), TimeDelta::zero());
    let working = WorkingTime::from(cal);
    assert_eq!(working.signed_between(b, a), TimeDelta::hours(-2));
    assert_eq!(WorkingTime::AroundTheClock.signed_between(b, a), a - b);
}

#[test]
fn zoned_answers_are_the_same_instants_in_the_calendar_s_zone() {
    let paris = chrono_tz::Europe::Paris;
    let cal = office(paris);
    let zoned = cal.zoned();
    // Saturday 25 October 2025, the night before the clocks go back.
    let saturday = utc(2025, 10, 25, 10, 0);
    assert_eq!(
        zoned.next_open(saturday).to_rfc3339(),
        "2025-10-27T09:00:00+01:00"
    );
    assert_eq!(
        zoned.previous_close(saturday).to_rfc3339(),
        "2025-10-24T17:00:00+02:00"
    );
    assert_eq!(
        zoned.previous_open(saturday).to_rfc3339(),
        "2025-10-24T13:00:00+02:00"
    );
    let monday = local(paris, 2025, 10, 27, 10, 0);
    assert_eq!(
        zoned.next_close(monday).to_rfc3339(),
        "2025-10-27T12:00:00+01:00"
    );
    assert_eq!(
        zoned.next_window_start(monday).to_rfc3339(),
        "2025-10-27T13:00:00+01:00"
    );
    let window = zoned.current_window(monday).unwrap();
    assert_eq!(window.start.to_rfc3339(), "2025-10-27T09:00:00+01:00");
    assert_eq!(window.end.to_rfc3339(), "2025-10-27T12:00:00+01:00");
    assert!(zoned.current_window(saturday).is_none());
    assert_eq!(
        zoned
            .add(saturday, TimeDelta::hours(4))
            .unwrap()
            .to_rfc3339(),
        "2025-10-27T14:00:00+01:00"
    );
    assert_eq!(
        zoned
            .close_of_business(date(2025, 10, 24))
            .unwrap()
            .to_rfc3339(),
        "2025-10-24T17:00:00+02:00"
    );
    assert_eq!(
        zoned
            .add_working_days_to_close(saturday, 1)
            .unwrap()
            .to_rfc3339(),
        "2025-10-27T17:00:00+01:00"
    );
    assert_eq!(
        cal.local(saturday).to_rfc3339(),
        "2025-10-25T12:00:00+02:00"
    );
}

// ---------------------------------------------------------------------------------
// 24:00 as a window end
// ---------------------------------------------------------------------------------

#[test]
fn a_window_may_end_at_24_00_in_json() {
    let json = r#"{
        "time_zone": "Europe/Paris",
        "week": {
            "friday": [{"start": "18:00", "end": "24:00"}],
            "saturday": [{"start": "00:00", "end": "24:00"}]
        }
    }"#;
    let cal: BusinessCalendar = serde_json::from_str(json).unwrap();
    assert_eq!(cal.week_duration(), TimeDelta::hours(30));
    assert_eq!(
        cal.config().week.friday,
        vec![WorkingWindow::overnight(t(18, 0), t(0, 0))]
    );
    let written = serde_json::to_value(&cal).unwrap();
    assert_eq!(written["week"]["friday"][0]["end"], "00:00");
    assert_eq!(written["week"]["friday"][0]["overnight"], true);
    let again: BusinessCalendar = serde_json::from_value(written).unwrap();
    assert_eq!(again, cal);
    assert_eq!(
        WorkingWindow::parse("18:00", "24:00:00").unwrap(),
        WorkingWindow::until_midnight(t(18, 0))
    );
}

#[test]
fn misuse_of_24_00_and_unknown_fields_are_refused_with_a_sentence() {
    let window = |json: &str| {
        serde_json::from_str::<WorkingWindow>(json)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        window(r#"{"start": "22:00", "end": "24:00", "overnight": true}"#),
        "the window from 22:00:00 to 24:00 already ends at midnight; it must not also be marked overnight"
    );
    assert_eq!(
        window(r#"{"start": "24:00", "end": "24:00"}"#),
        "`24:00` is not a time of day as HH:MM (or HH:MM:SS; 24:00 ends a window at midnight)"
    );
    assert!(window(r#"{"start": "09:00", "end": "17:00", "shift": 1}"#).contains("`shift`"));
    assert_eq!(
        WorkingWindow::parse("09:00", "25:00"),
        Err(CalendarError::InvalidTime {
            text: "25:00".into()
        })
    );
    assert_eq!(
        WorkingWindow::parse("09:00", "17:00:30").unwrap().end,
        NaiveTime::from_hms_opt(17, 0, 30).unwrap()
    );
}

// ---------------------------------------------------------------------------------
// Commitments count back from the promised date
// ---------------------------------------------------------------------------------

#[test]
fn a_promise_s_target_and_reminder_are_counted_back_in_working_time() {
    let cal = office(chrono_tz::UTC);
    let policy = FollowUpPolicy::builder()
        .working_time(WorkingTime::from(cal))
        .commitment_margin(TimeDelta::hours(2))
        .reminder_lead(TimeDelta::hours(1))
        .build();
    // Promised for Monday 6 January 2025 at 10:00, made on Thursday.
    let now = utc(2025, 1, 2, 12, 0);
    let promised = utc(2025, 1, 6, 10, 0);
    let (target, remind) = commitment::targets(&policy, now, promised);
    assert_eq!(target, utc(2025, 1, 3, 16, 0));
    assert_eq!(remind, utc(2025, 1, 3, 15, 0));
    // One working hour before the promise is Monday's opening, not Friday's close.
    let tight = FollowUpPolicy::builder()
        .working_time(policy.working_time.clone())
        .commitment_margin(TimeDelta::hours(1))
        .reminder_lead(TimeDelta::zero())
        .build();
    let (target, remind) = commitment::targets(&tight, now, promised);
    assert_eq!(target, utc(2025, 1, 6, 9, 0));
    assert_eq!(remind, target);
    // Made on Friday at 16:30: less working time is left than the margin and lead.
    let late = utc(2025, 1, 3, 16, 30);
    assert_eq!(commitment::targets(&policy, late, promised), (late, late));
    // Made at Friday's close with a margin of two hours: the target is Friday 16:00,
    // before now, so it is now.
    let closing = utc(2025, 1, 3, 17, 0);
    assert_eq!(
        commitment::targets(&policy, closing, promised),
        (closing, closing)
    );
}

#[test]
fn working_time_subtracts_around_the_clock_and_on_a_calendar() {
    let due = utc(2025, 1, 6, 10, 0);
    let around = WorkingTime::AroundTheClock;
    assert_eq!(
        around.subtract(due, TimeDelta::hours(30)).unwrap(),
        utc(2025, 1, 5, 4, 0)
    );
    assert_eq!(around.subtract(due, TimeDelta::zero()).unwrap(), due);
    assert_eq!(
        around.subtract(due, TimeDelta::seconds(-1)),
        Err(CalendarError::NegativeDuration {
            duration: TimeDelta::seconds(-1)
        })
    );
    assert_eq!(
        around.subtract(DateTime::<Utc>::MIN_UTC, TimeDelta::seconds(1)),
        Err(CalendarError::OutOfRange)
    );
    let office = WorkingTime::from(office(chrono_tz::UTC));
    assert_eq!(
        office.subtract(due, TimeDelta::hours(2)).unwrap(),
        utc(2025, 1, 3, 16, 0)
    );
    assert_eq!(
        office.subtract(due, TimeDelta::seconds(-1)),
        Err(CalendarError::NegativeDuration {
            duration: TimeDelta::seconds(-1)
        })
    );
    assert_eq!(
        CalendarError::NegativeDuration {
            duration: TimeDelta::hours(-1)
        }
        .to_string(),
        "a business duration cannot be negative, and -PT3600S is"
    );
}
