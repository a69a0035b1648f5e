//! Redaction erases every customer-supplied string of every event kind.
//!
//! The oracle here is independent of the crate's own declaration
//! (`EventType::personal_data`): every string in a payload under a free-text key
//! (words, reasons, notes, descriptions, comments, the customer's identity) is filled
//! with a random marked value, the history is stored and redacted with the standard
//! policy, and the stored bytes must hold none of the marked values. A new event kind
//! whose free text the declaration forgets fails here.

use proptest::prelude::*;
use serde_json::Value;
use service_recovery::case::EventType;
use service_recovery::history::{RedactionPolicy, RedactionRequest};
use service_recovery::prelude::*;
use service_recovery::store::EventStore;

/// One instance of every event kind, in a contiguous history starting with the opening.
const EVERY_KIND: &str = include_str!("fixtures/wire/events.json");

/// Keys whose string values are free text or the customer's identity.
const FREE_TEXT: &[&str] = &[
    "words",
    "text",
    "answer",
    "goal",
    "expected",
    "reason",
    "note",
    "description",
    "outcome",
    "what",
    "comment",
    "details",
    "address_as",
    "email",
    "phone",
];

/// Fills every free-text string (and the customer's name) with a marked value made
/// from `seed`; returns the values planted.
fn plant(value: &mut Value, parent: &str, seed: &str, planted: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let free =
                    FREE_TEXT.contains(&key.as_str()) || (parent == "customer" && key == "name");
                match child {
                    Value::String(s) if free => {
                        *s = format!("PII{}x{seed}", planted.len());
                        planted.push(s.clone());
                    }
                    _ => plant(child, key, seed, planted),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                plant(item, parent, seed, planted);
            }
        }
        _ => {}
    }
}

fn history(seed: &str) -> (Vec<Event>, Vec<String>) {
    let mut values: Vec<Value> = serde_json::from_str(EVERY_KIND).unwrap();
    let mut planted = Vec::new();
    for value in &mut values {
        plant(value, "", seed, &mut planted);
    }
    let events = values
        .into_iter()
        .map(|v| serde_json::from_value(v).unwrap())
        .collect();
    (events, planted)
}

fn request() -> RedactionRequest {
    RedactionRequest::builder()
        .by(ActorRef::new("dpo-1", "Data Protection Officer"))
        .at(service_recovery::testing::at(10_000))
        .reason("erasure request #4411")
        .build()
}

fn stored_text(store: &impl EventStore, case: &CaseId) -> String {
    serde_json::to_string(&store.load_stored(case).unwrap()).unwrap()
}

#[test]
fn the_fixture_plants_a_value_in_every_event_kind_that_has_free_text() {
    let (events, planted) = history("seed");
    // Thirty-odd kinds carry free text (36 values in the fixture); the oracle must reach them for the test to mean anything.
    assert!(planted.len() >= 36, "only {} values planted", planted.len());
    let kinds: std::collections::BTreeSet<&str> = events.iter().map(|e| e.kind.name()).collect();
    assert_eq!(kinds.len(), EventType::ALL.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn no_planted_value_survives_redaction_in_memory(seed in "[a-z0-9]{6,12}") {
        let (events, planted) = history(&seed);
        let case = CaseId::new("case-1");
        let store = InMemoryStore::new();
        store.append(&case, 0, &events).unwrap();
        let before = stored_text(&store, &case);
        prop_assert!(planted.iter().all(|v| before.contains(v.as_str())));

        store.redact(&case, &RedactionPolicy::standard(), &request()).unwrap();
        let after = stored_text(&store, &case);
        for value in &planted {
            prop_assert!(!after.contains(value.as_str()), "{} survived", value);
        }
        // The redacted history still replays to the same shape.
        let replayed = Case::replay(store.load(&case).unwrap()).unwrap();
        prop_assert_eq!(replayed.version(), events.len() as u64);
    }
}

#[cfg(feature = "sqlite")]
#[test]
fn no_planted_value_survives_redaction_in_the_sqlite_file() {
    use service_recovery::store::SqliteStore;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cases.db");
    for seed in ["alpha1", "bravo22", "charlie333"] {
        let (events, planted) = history(seed);
        let case = CaseId::new(format!("case-{seed}"));
        let store = SqliteStore::open(&path).unwrap();
        store.append(&case, 0, &events).unwrap();
        store
            .redact(&case, &RedactionPolicy::standard(), &request())
            .unwrap();
        store.checkpoint().unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        if let Ok(wal) = std::fs::read(path.with_extension("db-wal")) {
            bytes.extend(wal);
        }
        let text = String::from_utf8_lossy(&bytes);
        for value in &planted {
            assert!(
                !text.contains(value.as_str()),
                "{value} is still in the file"
            );
        }
    }
}
