//! Input from outside is strict: a misspelled or unknown field is refused with an error
//! that names it, never silently dropped.

use serde_json::{Value, json};
use service_recovery::approval::{ApprovalPolicyConfig, AuthorityLimits, Delegation};
use service_recovery::history::{RedactionPolicy, StoredEvent};
use service_recovery::playbook::PlaybookConfig;
use service_recovery::prelude::*;
use service_recovery::schedule::FollowUpPolicy;

fn refused<T: serde::de::DeserializeOwned + std::fmt::Debug>(value: Value, field: &str) {
    let error = serde_json::from_value::<T>(value.clone())
        .expect_err(&format!("{value} should be refused"));
    assert!(
        error
            .to_string()
            .contains(&format!("unknown field `{field}`")),
        "{error}"
    );
}

#[test]
fn a_misspelled_expiry_does_not_make_a_time_limited_approval_permanent() {
    refused::<Command>(
        json!({"command": "grant_approval", "option": "o-1", "level": 1,
               "reason": "seen", "expiry": "2026-03-02T10:00:00Z"}),
        "expiry",
    );
    // Spelled right, it parses and keeps the expiry.
    let command: Command = serde_json::from_value(json!({"command": "grant_approval",
        "option": "o-1", "level": 1, "reason": "seen", "expires": "2026-03-02T10:00:00Z"}))
    .unwrap();
    let Command::GrantApproval(grant) = command else {
        panic!("not a grant")
    };
    assert!(grant.expires.is_some());
}

#[test]
fn a_misspelled_waiver_does_not_drop_the_manager_level() {
    refused::<Command>(
        json!({"command": "propose_option", "option": "o-1", "resolution": {
            "kind": "refund", "amount": {"minor": 42000, "currency": "USD"},
            "waive": ["non-refundable-fare"], "description": "refund"}}),
        "waive",
    );
}

#[test]
fn every_public_input_type_names_the_unknown_field() {
    let actor = json!({"id": "a-1", "name": "Dana", "roles": ["agent"], "limitz": {}});
    refused::<Actor>(actor, "limitz");
    refused::<AuthorityLimits>(json!({"approve_upto": []}), "approve_upto");
    refused::<Delegation>(
        json!({"from": {"id": "m-1", "name": "Mo"}, "to": "l-1",
               "starts": "2026-03-01T00:00:00Z", "ends": "2026-03-08T00:00:00Z", "scope": "all"}),
        "scope",
    );
    refused::<Customer>(
        json!({"id": "c-1", "name": "Amara", "address_as": "Ms Okafor", "mail": "a@b"}),
        "mail",
    );
    refused::<Complaint>(json!({"summary": "late", "detail": "x"}), "detail");
    refused::<Channel>(json!({"medium": "phone", "number": "1"}), "number");
    refused::<Money>(json!({"minor": 1, "currency": "USD", "cents": 1}), "cents");
    refused::<ApprovalPolicyConfig>(json!({"ranks": ["agent"], "kind_rule": []}), "kind_rule");
    refused::<PlaybookConfig>(json!({"name": "x", "steps": [], "stepz": []}), "stepz");
    refused::<FollowUpPolicy>(json!({"survey_delay": 1}), "survey_delay");
    refused::<RedactionPolicy>(json!({"markers": "x"}), "markers");
    refused::<Policy>(json!({"playbok": {}}), "playbok");
    refused::<Event>(
        json!({"sequence": 1, "at": "2026-03-02T14:00:00Z", "actor": {"id": "a", "name": "A"},
               "event": {"type": "thanked", "words": "Thanks", "tone": "warm"}}),
        "tone",
    );
    refused::<StoredEvent>(
        json!({"case": "c-1", "sequence": 1, "event_type": "thanked", "schema_version": 2,
               "at": "2026-03-02T14:00:00Z", "actor": {"id": "a", "name": "A"},
               "payload": {"words": "Thanks"}, "signature": "x"}),
        "signature",
    );
    // Commands and events without fields refuse fields too.
    refused::<Command>(json!({"command": "resume", "now": true}), "now");
    refused::<Command>(json!({"command": "report_time", "at": "x"}), "at");
    refused::<Event>(
        json!({"sequence": 2, "at": "2026-03-02T14:00:00Z", "actor": {"id": "a", "name": "A"},
               "event": {"type": "resumed", "why": "x"}}),
        "why",
    );
}
