//! The JSON entry point reads a history's payloads as text, straight into events; these
//! are the texts where that could answer differently from reading the request as one
//! JSON tree, and must not.

use serde_json::{Value, json};
use service_recovery::Policy;
use service_recovery::protocol::Protocol;

fn request(payload: &str, schema_version: u32) -> String {
    format!(
        r#"{{"protocol":1,"request":"decide","history":[{{"case":"case-1","sequence":1,"event_type":"opened","schema_version":{schema_version},"at":"2026-03-02T14:00:00Z","actor":{{"id":"agent-7","name":"Dana"}},"payload":{payload}}}],"command":{{"command":"add_note","text":"x"}},"actor":{{"id":"agent-7","name":"Dana"}},"at":"2026-03-02T14:05:00Z","expected_version":1,"policy":"standard"}}"#
    )
}

fn handled(text: &str) -> Value {
    let host = Protocol::new().with_policy("standard", Policy::default());
    serde_json::from_str(&host.handle(text)).unwrap()
}

#[test]
fn a_payload_that_is_not_json_when_read_is_malformed_json() {
    for payload in [r#"{"summary":"\ud800"}"#, r#"{"severity":1e400}"#] {
        for schema_version in [1, 2] {
            let text = request(payload, schema_version);
            let whole = serde_json::from_str::<Value>(&text).unwrap_err();
            assert_eq!(
                handled(&text)["error"],
                json!({"code": "malformed_json",
                       "message": format!("the request is not valid JSON: {whole}")}),
                "{payload}, schema version {schema_version}"
            );
        }
    }
}

#[test]
fn a_payload_that_is_json_but_not_the_event_is_an_invalid_history() {
    for schema_version in [1, 2] {
        let response = handled(&request(r#"{"summary":"\u00e9"}"#, schema_version));
        assert_eq!(response["error"]["code"], "invalid_history", "{response}");
        assert!(
            response["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("event 1 cannot be read: "),
            "{response}"
        );
    }
}

#[test]
fn an_event_time_is_refused_in_chrono_s_words() {
    let text = request("{}", 2).replacen("2026-03-02T14:00:00Z", "2026-02-30T14:00:00Z", 1);
    let response = handled(&text);
    assert_eq!(response["error"]["code"], "invalid_request");
    let message = response["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("a field is missing or has the wrong form: input is out of range"),
        "{message}"
    );
}
