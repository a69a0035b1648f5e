//! Calendar configuration plus `add`, `subtract` and `business_time_between`.
//!
//! Input: if it starts with `{`, a JSON `CalendarConfig` followed by a NUL byte and the
//! bytes that choose the instants and durations; otherwise a configuration built from
//! the bytes (any IANA zone, up to three windows a day, holidays, yearly holidays and
//! closures, valid or not). A configuration the calendar refuses is the end of it.
//!
//! Checked: nothing panics or hangs, and the laws the calendar documents: working time
//! from `start` to `add(start, d)` is `d`; from `subtract(end, d)` to `end` is `d`;
//! the signed working time is antisymmetric.
#![no_main]

use arbitrary::{Result, Unstructured};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use libfuzzer_sys::fuzz_target;
use service_recovery::schedule::{
    BusinessCalendar, CalendarConfig, PartialClosure, WeekSchedule, WorkingWindow, YearlyDate,
};

fn time(u: &mut Unstructured) -> Result<NaiveTime> {
    let seconds = if u.arbitrary::<bool>()? {
        u.int_in_range(0..=1439u32)? * 60
    } else {
        u.int_in_range(0..=86_399u32)?
    };
    Ok(NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0).unwrap_or(NaiveTime::MIN))
}

fn window(u: &mut Unstructured) -> Result<WorkingWindow> {
    let start = time(u)?;
    Ok(match u.int_in_range(0..=3u8)? {
        0 => WorkingWindow::until_midnight(start),
        1 => WorkingWindow::overnight(start, time(u)?),
        _ => WorkingWindow::new(start, time(u)?),
    })
}

fn windows(u: &mut Unstructured) -> Result<Vec<WorkingWindow>> {
    let count = u.int_in_range(0..=3u8)?;
    (0..count).map(|_| window(u)).collect()
}

fn date(u: &mut Unstructured) -> Result<NaiveDate> {
    let days = u.int_in_range(-40_000..=80_000i32)?;
    Ok(NaiveDate::from_num_days_from_ce_opt(719_163 + days).unwrap_or(NaiveDate::MIN))
}

fn config(u: &mut Unstructured) -> Result<CalendarConfig> {
    let zones = chrono_tz::TZ_VARIANTS;
    let time_zone = zones[u.choose_index(zones.len())?];
    let week = WeekSchedule {
        monday: windows(u)?,
        tuesday: windows(u)?,
        wednesday: windows(u)?,
        thursday: windows(u)?,
        friday: windows(u)?,
        saturday: windows(u)?,
        sunday: windows(u)?,
    };
    let holidays = (0..u.int_in_range(0..=3u8)?).map(|_| date(u)).collect::<Result<_>>()?;
    let yearly_holidays = (0..u.int_in_range(0..=2u8)?)
        .map(|_| Ok(YearlyDate::new(u.int_in_range(0..=13)?, u.int_in_range(0..=32)?)))
        .collect::<Result<_>>()?;
    let closures = (0..u.int_in_range(0..=2u8)?)
        .map(|_| Ok(PartialClosure { date: date(u)?, windows: windows(u)? }))
        .collect::<Result<_>>()?;
    Ok(CalendarConfig { time_zone, week, holidays, yearly_holidays, closures })
}

fn instant(u: &mut Unstructured) -> Result<DateTime<Utc>> {
    let seconds = match u.int_in_range(0..=7u8)? {
        // Mostly this century, where the zones have their rules.
        0..=5 => u.int_in_range(946_684_800..=4_102_444_800i64)?,
        6 => u.int_in_range(-62_135_596_800..=253_402_300_799i64)?,
        _ => u.arbitrary()?,
    };
    let nanos = if u.arbitrary::<bool>()? { 0 } else { u.int_in_range(0..=999_999_999u32)? };
    Ok(DateTime::from_timestamp(seconds, nanos).unwrap_or(DateTime::<Utc>::MIN_UTC))
}

fn duration(u: &mut Unstructured) -> Result<TimeDelta> {
    let seconds = match u.int_in_range(0..=7u8)? {
        0..=5 => u.int_in_range(0..=10_000_000i64)?,
        6 => u.int_in_range(-1_000..=1_000i64)?,
        _ => u.arbitrary()?,
    };
    Ok(TimeDelta::try_seconds(seconds).unwrap_or(TimeDelta::zero()))
}

fn check(calendar: &BusinessCalendar, u: &mut Unstructured) -> Result<()> {
    for _ in 0..4 {
        let (a, b, d) = (instant(u)?, instant(u)?, duration(u)?);
        let _ = calendar.is_open(a);
        let _ = calendar.current_window(a);
        let forward = calendar.signed_business_time_between(a, b);
        assert_eq!(calendar.signed_business_time_between(b, a), -forward, "{a} {b}");
        if d > TimeDelta::zero() {
            if let Ok(end) = calendar.add(a, d) {
                assert_eq!(calendar.business_time_between(a, end), d, "add({a}, {d}) = {end}");
            }
            if let Ok(start) = calendar.subtract(b, d) {
                assert_eq!(calendar.business_time_between(start, b), d, "subtract({b}, {d}) = {start}");
            }
        } else {
            let _ = calendar.add(a, d);
            let _ = calendar.subtract(b, d);
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let (config, rest) = if data.first() == Some(&b'{') {
        let (json, rest) = match data.iter().position(|&b| b == 0) {
            Some(nul) => (&data[..nul], &data[nul + 1..]),
            None => (data, &[][..]),
        };
        let Ok(config) = serde_json::from_slice::<CalendarConfig>(json) else {
            return;
        };
        (config, rest)
    } else {
        let mut u = Unstructured::new(data);
        let Ok(config) = config(&mut u) else {
            return;
        };
        let used = data.len() - u.len();
        (config, &data[used..])
    };
    let Ok(calendar) = BusinessCalendar::new(config) else {
        return;
    };
    let _ = check(&calendar, &mut Unstructured::new(rest));
});
