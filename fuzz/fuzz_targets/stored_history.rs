//! Stored histories from outside: JSON envelopes → upcast → events → `Case::replay`.
//!
//! Input: a JSON array of stored envelopes (`StoredEvent`, any schema version) or of
//! events in their wire form (`Event`). Nothing may panic; a history that replays
//! must replay the same way a second time, and its events must survive the trip
//! through the current stored form unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use service_recovery::history::{StoredEvent, Upcasters};
use service_recovery::{Case, Event};

fuzz_target!(|data: &[u8]| {
    let events: Vec<Event> = if let Ok(stored) = serde_json::from_slice::<Vec<StoredEvent>>(data)
    {
        let upcasters = Upcasters::builtin();
        let decoded: Result<Vec<Event>, _> = stored.iter().map(|s| s.decode(&upcasters)).collect();
        match decoded {
            Ok(events) => events,
            Err(_) => return,
        }
    } else if let Ok(events) = serde_json::from_slice::<Vec<Event>>(data) {
        events
    } else {
        return;
    };
    let Ok(case) = Case::replay(events.clone()) else {
        return;
    };
    assert_eq!(case.history(), &events[..]);
    assert!(Case::replay(events.clone()).is_ok_and(|again| again == case));
    // The current stored form is lossless for anything that replays.
    let upcasters = Upcasters::builtin();
    for event in &events {
        let stored = StoredEvent::encode(case.id(), event).expect("a replayed event encodes");
        let json = serde_json::to_vec(&stored).expect("an envelope serializes");
        let back: StoredEvent = serde_json::from_slice(&json).expect("an envelope reads back");
        assert_eq!(back.decode(&upcasters).as_ref(), Ok(event));
    }
});
