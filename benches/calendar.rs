//! Business-time arithmetic: the cost must not grow with the span.
//!
//! Compare `add 1 hour` with `add 5 years` (target: a ratio under 10), `between over 1
//! hour` with `between over 5 years`, `subtract 1 hour` with `subtract 5 years`, and the
//! working-day arithmetic over one working day with the same over five years; and all
//! with the baseline of plain `DateTime + TimeDelta`, measured in the same run.

use std::hint::black_box;
use std::time::Duration;

use chrono::{NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use service_recovery::schedule::{
    BusinessCalendar, CalendarConfig, PartialClosure, WeekSchedule, WorkingWindow, YearlyDate,
};

fn paris_office() -> BusinessCalendar {
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let config = CalendarConfig::builder()
        .time_zone(chrono_tz::Europe::Paris)
        .week(WeekSchedule::weekdays(&[
            WorkingWindow::new(t(9, 0), t(12, 30)),
            WorkingWindow::new(t(13, 30), t(18, 0)),
        ]))
        .yearly_holidays(
            [
                (1, 1),
                (5, 1),
                (5, 8),
                (7, 14),
                (8, 15),
                (11, 1),
                (11, 11),
                (12, 25),
            ]
            .into_iter()
            .map(|(m, d)| YearlyDate::new(m, d))
            .collect(),
        )
        .holidays(vec![date(2025, 4, 21), date(2026, 4, 6), date(2027, 3, 29)])
        .closures(vec![PartialClosure {
            date: date(2025, 12, 24),
            windows: vec![WorkingWindow::new(t(9, 0), t(13, 0))],
        }])
        .build();
    match BusinessCalendar::new(config) {
        Ok(calendar) => calendar,
        Err(error) => panic!("benchmark calendar: {error}"),
    }
}

fn bench(c: &mut Criterion) {
    let calendar = paris_office();
    let start = Utc
        .with_ymd_and_hms(2025, 3, 3, 8, 15, 0)
        .single()
        .unwrap_or_default();
    let five_years = calendar.week_duration() * (5 * 52);
    let end = calendar.add(start, five_years).unwrap_or(start);
    let first_day = start.date_naive();
    let last_day = end.date_naive();
    let five_years_of_days = calendar.working_days_between(first_day, last_day);

    let mut group = c.benchmark_group("calendar");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_secs(1));
    group.bench_function("baseline: DateTime + TimeDelta", |b| {
        b.iter(|| black_box(start) + black_box(TimeDelta::hours(1)))
    });
    group.bench_function("add 1 hour", |b| {
        b.iter(|| calendar.add(black_box(start), black_box(TimeDelta::hours(1))))
    });
    group.bench_function("add 1 week", |b| {
        b.iter(|| calendar.add(black_box(start), black_box(calendar.week_duration())))
    });
    group.bench_function("add 5 years", |b| {
        b.iter(|| calendar.add(black_box(start), black_box(five_years)))
    });
    group.bench_function("between over 1 hour", |b| {
        b.iter(|| {
            calendar.business_time_between(black_box(start), black_box(start + TimeDelta::hours(1)))
        })
    });
    group.bench_function("between over 5 years", |b| {
        b.iter(|| calendar.business_time_between(black_box(start), black_box(end)))
    });
    group.bench_function("subtract 1 hour", |b| {
        b.iter(|| calendar.subtract(black_box(end), black_box(TimeDelta::hours(1))))
    });
    group.bench_function("subtract 5 years", |b| {
        b.iter(|| calendar.subtract(black_box(end), black_box(five_years)))
    });
    // Past the index (1970–2100): runs of regular weeks are skipped, exceptional days
    // visited one by one.
    let late = Utc
        .with_ymd_and_hms(2150, 3, 2, 8, 15, 0)
        .single()
        .unwrap_or_default();
    let late_end = calendar.add(late, five_years).unwrap_or(late);
    group.bench_function("add 5 years after 2100", |b| {
        b.iter(|| calendar.add(black_box(late), black_box(five_years)))
    });
    group.bench_function("subtract 5 years after 2100", |b| {
        b.iter(|| calendar.subtract(black_box(late_end), black_box(five_years)))
    });
    group.bench_function("add 1 working day", |b| {
        b.iter(|| calendar.add_working_days(black_box(first_day), black_box(1)))
    });
    group.bench_function("add 5 years of working days", |b| {
        b.iter(|| calendar.add_working_days(black_box(first_day), black_box(five_years_of_days)))
    });
    group.bench_function("subtract 1 working day", |b| {
        b.iter(|| calendar.add_working_days(black_box(last_day), black_box(-1)))
    });
    group.bench_function("subtract 5 years of working days", |b| {
        b.iter(|| calendar.add_working_days(black_box(last_day), black_box(-five_years_of_days)))
    });
    group.bench_function("working days between over 1 day", |b| {
        b.iter(|| {
            let next = first_day.succ_opt().unwrap_or(first_day);
            calendar.working_days_between(black_box(first_day), black_box(next))
        })
    });
    group.bench_function("working days between over 5 years", |b| {
        b.iter(|| calendar.working_days_between(black_box(first_day), black_box(last_day)))
    });
    // Building a calendar and its first long computation, which builds the index of
    // exceptional days over 1970–2100 (done once per calendar, shared by clones).
    group.bench_function("new calendar + first add 5 years", |b| {
        b.iter(|| paris_office().add(black_box(start), black_box(five_years)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
