//! Inputs the fuzz targets (`fuzz/`, `scripts/fuzz`) found, kept as ordinary tests.

use chrono::{DateTime, TimeZone, Utc};
use service_recovery::schedule::{BusinessCalendar, CalendarConfig};

/// fuzz target `calendar`, a timeout (over 10 s under the address sanitizer): a
/// calendar with yearly holidays, asked for the working time from chrono's earliest
/// instant to 2021. Outside the calendar's precomputed index the yearly holidays make
/// every year irregular, so `Compiled::between` walked the ~96 million days a few steps
/// a year (about 2 s in a test build). It now skips whole 400-year Gregorian cycles
/// (`schedule::calendar::cycle`) and answers in milliseconds; the answer is the same.
#[test]
fn working_time_since_the_earliest_instant_with_yearly_holidays() {
    let config: CalendarConfig = serde_json::from_str(
        r#"{"time_zone":"Asia/Kuwait","week":{
            "monday":[{"start":"21:39:12","end":"00:00","overnight":true}],
            "friday":[{"start":"00:36","end":"00:00","overnight":true}],
            "saturday":[{"start":"18:27:03","end":"00:00","overnight":true}]},
          "holidays":["2085-03-19"],
          "yearly_holidays":[{"month":3,"day":2},{"month":3,"day":11}],
          "closures":[{"date":"2181-05-10","windows":[]}]}"#,
    )
    .unwrap();
    let calendar = BusinessCalendar::new(config).unwrap();
    let earliest = DateTime::<Utc>::MIN_UTC;
    let then = Utc.with_ymd_and_hms(2021, 11, 18, 15, 12, 24).unwrap();
    let forward = calendar.signed_business_time_between(earliest, then);
    assert!(forward > chrono::TimeDelta::zero());
    assert_eq!(
        calendar.signed_business_time_between(then, earliest),
        -forward
    );
}
