//! `verify` on arbitrary histories: the auditor's entry point must never panic, must
//! give the same answer twice, and a history it passes must replay.
//!
//! Input: a JSON array of events in their wire form (`Event`) or of stored envelopes
//! (`StoredEvent`, decoded through the built-in upcasters). Each history is verified
//! under the default policy and under the airline policy of the test fixtures (ranks,
//! waiver rules, limits), so the approval gate is exercised with real rules.
#![no_main]

use libfuzzer_sys::fuzz_target;
use service_recovery::history::{StoredEvent, Upcasters};
use service_recovery::{Case, Event, Policy, verify};
use std::sync::OnceLock;

fn policies() -> &'static [Policy; 2] {
    static POLICIES: OnceLock<[Policy; 2]> = OnceLock::new();
    POLICIES.get_or_init(|| [Policy::default(), service_recovery::testing::airline_policy()])
}

fuzz_target!(|data: &[u8]| {
    let events: Vec<Event> = if let Ok(stored) = serde_json::from_slice::<Vec<StoredEvent>>(data)
    {
        let upcasters = Upcasters::builtin();
        match stored.iter().map(|s| s.decode(&upcasters)).collect() {
            Ok(events) => events,
            Err(_) => return,
        }
    } else if let Ok(events) = serde_json::from_slice::<Vec<Event>>(data) {
        events
    } else {
        return;
    };
    for policy in policies() {
        let first = verify(&events, policy);
        let again = verify(&events, policy);
        assert_eq!(first.is_ok(), again.is_ok());
        match (&first, &again) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            _ => unreachable!("checked above"),
        }
        if first.is_ok() {
            // What verify passes is a history decide could have produced: it replays.
            assert!(Case::replay(events.clone()).is_ok(), "verified but does not replay");
        }
    }
});
