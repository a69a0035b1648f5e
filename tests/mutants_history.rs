//! What the history module shows and refuses, asserted as data so that a changed
//! sentence or a loosened check is a visible test change (issue 17).

use serde_json::{Value, json};
use service_recovery::history::{
    CURRENT_SCHEMA_VERSION, ChainReport, DecodeError, RawEvent, RedactionPolicy, Upcasters,
};

#[test]
fn a_chain_report_says_how_much_the_chain_covers() {
    let cases: [(u64, Option<u64>, &str, u64); 5] = [
        (0, None, "no events", 0),
        (
            3,
            None,
            "3 events, none of them linked: the history was written before links existed",
            3,
        ),
        (1, Some(1), "1 events, all covered by the hash chain", 0),
        (
            7,
            Some(5),
            "7 events; the hash chain starts at event 5, so events 1 to 4 (written before links existed) are not covered",
            4,
        ),
        (
            2,
            Some(2),
            "2 events; the hash chain starts at event 2, so events 1 to 1 (written before links existed) are not covered",
            1,
        ),
    ];
    for (events, start, text, unlinked) in cases {
        let report = ChainReport {
            events,
            start,
            head: None,
        };
        assert_eq!(report.to_string(), text, "{report:?}");
        assert_eq!(report.unlinked(), unlinked, "{report:?}");
    }
}

#[test]
fn a_redaction_policy_read_without_a_marker_uses_the_default_one() {
    let policy: RedactionPolicy = serde_json::from_str("{}").unwrap();
    assert_eq!(policy.marker, "[redacted]");
    assert_eq!(policy.marker, RedactionPolicy::DEFAULT_MARKER);
    assert_eq!(policy, RedactionPolicy::standard());
    assert_eq!(RedactionPolicy::default(), RedactionPolicy::standard());
}

fn raw(schema_version: u32, payload: Value) -> RawEvent {
    RawEvent {
        event_type: "note_added".into(),
        schema_version,
        payload,
    }
}

#[test]
fn an_unknown_schema_version_is_refused_by_every_chain_of_upcasters() {
    for upcasters in [Upcasters::none(), Upcasters::builtin()] {
        for version in [0, CURRENT_SCHEMA_VERSION + 1, u32::MAX] {
            assert_eq!(
                upcasters.upcast(raw(version, json!({"text": "x"}))),
                Err(DecodeError::UnsupportedSchemaVersion {
                    version,
                    current: CURRENT_SCHEMA_VERSION
                }),
                "{upcasters:?}, version {version}"
            );
        }
        let current = raw(CURRENT_SCHEMA_VERSION, json!({"text": "x"}));
        assert_eq!(upcasters.upcast(current.clone()), Ok(current));
    }
}

#[test]
fn upcasters_list_their_steps() {
    assert_eq!(format!("{:?}", Upcasters::builtin()), "[FromSchemaV1]");
    assert_eq!(format!("{:?}", Upcasters::default()), "[FromSchemaV1]");
    assert_eq!(format!("{:?}", Upcasters::none()), "[]");
}

#[test]
fn a_payload_that_is_not_an_object_is_named_by_its_json_kind() {
    let cases = [
        (json!(null), "null"),
        (json!(true), "a boolean"),
        (json!(4), "a number"),
        (json!("text"), "a string"),
        (json!(["text"]), "an array"),
    ];
    for (payload, kind) in cases {
        assert_eq!(
            raw(CURRENT_SCHEMA_VERSION, payload).into_kind(),
            Err(DecodeError::Malformed {
                detail: format!("the payload is {kind}, not a JSON object")
            })
        );
    }
}
