//! The instants at which a time zone's UTC offset changes.
//!
//! chrono-tz answers "what is the offset at this instant" but does not list its
//! transitions, and skipping whole weeks needs to know that no transition lies inside
//! them. So the offset is sampled once a day over [`SCAN_START`, `SCAN_END`) and every
//! change found is bisected to the second. chrono-tz's own table runs from the 1840s to
//! 2099, well inside that range, and keeps a fixed offset before and after it, so the
//! list is complete; a test guards this against an upgrade of chrono-tz. The scan costs a few milliseconds and is done once per
//! zone and process: the result is cached.
//!
//! A pair of transitions less than a day apart that cancel out would be missed; the
//! tz database has none in the years the scan covers that matter for business use.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, Offset, TimeZone};
use chrono_tz::Tz;

/// 1800-01-01T00:00:00Z.
const SCAN_START: i64 = -5_364_662_400;
/// 2101-01-01T00:00:00Z.
const SCAN_END: i64 = 4_133_980_800;
const DAY: i64 = 86_400;

/// The sorted UTC timestamps (seconds) at which `tz` changes its offset, within the scan range.
pub(crate) fn transitions(tz: Tz) -> Arc<[i64]> {
    static CACHE: OnceLock<Mutex<HashMap<Tz, Arc<[i64]>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    // A panic elsewhere while holding the lock cannot leave the map half-written in a
    // way that matters (entries are inserted whole), so a poisoned lock is still usable.
    let mut map = match cache.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    map.entry(tz).or_insert_with(|| Arc::from(scan(tz))).clone()
}

fn offset_at(tz: Tz, timestamp: i64) -> i32 {
    DateTime::from_timestamp(timestamp, 0)
        .map(|utc| {
            tz.offset_from_utc_datetime(&utc.naive_utc())
                .fix()
                .local_minus_utc()
        })
        .unwrap_or(0)
}

fn scan(tz: Tz) -> Vec<i64> {
    let mut found = Vec::new();
    let mut at = SCAN_START;
    let mut offset = offset_at(tz, at);
    while at < SCAN_END {
        let next = at + DAY;
        let next_offset = offset_at(tz, next);
        if next_offset != offset {
            // Invariant: offset_at(low) == offset, offset_at(high) != offset.
            let (mut low, mut high) = (at, next);
            while high - low > 1 {
                let mid = low + (high - low) / 2;
                if offset_at(tz, mid) == offset {
                    low = mid;
                } else {
                    high = mid;
                }
            }
            found.push(high);
        }
        at = next;
        offset = next_offset;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_paris_2025_transitions_to_the_second() {
        let list = transitions(chrono_tz::Europe::Paris);
        // 2025-03-30T01:00:00Z and 2025-10-26T01:00:00Z.
        assert!(list.contains(&1_743_296_400));
        assert!(list.contains(&1_761_440_400));
        assert!(list.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn chrono_tz_has_no_transitions_outside_the_scan() {
        let far_past = -200_000_000_000; // about 4370 BC
        let far_future = 200_000_000_000; // about AD 8300
        for tz in chrono_tz::TZ_VARIANTS {
            assert_eq!(offset_at(tz, SCAN_START), offset_at(tz, far_past), "{tz}");
            assert_eq!(offset_at(tz, SCAN_END), offset_at(tz, far_future), "{tz}");
        }
    }

    #[test]
    fn utc_has_no_transitions() {
        assert!(transitions(chrono_tz::UTC).is_empty());
    }
}
