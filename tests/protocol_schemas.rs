//! The protocol's own schemas, `schemas/protocol_request.schema.json` and
//! `schemas/protocol_response.schema.json`, against the conformance fixtures: every
//! request that is not bad on purpose, and every response, is a valid instance.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn validator(name: &str) -> jsonschema::Validator {
    let path = root().join("schemas").join(format!("{name}.schema.json"));
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

fn fixture_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures/protocol"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .filter(|path| !path.ends_with("policies.json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_fixture_request_and_response_is_a_valid_instance() {
    let (requests, responses) = (
        validator("protocol_request"),
        validator("protocol_response"),
    );
    let (mut checked_requests, mut outcomes) = (0, std::collections::BTreeSet::new());
    for path in fixture_files() {
        let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for (i, exchange) in file["exchanges"].as_array().unwrap().iter().enumerate() {
            let response = &exchange["response"];
            let problems = errors(&responses, response);
            assert!(problems.is_empty(), "{path:?} {i}: response: {problems:?}");
            outcomes.insert(response["outcome"].as_str().unwrap().to_owned());
            // Requests that earn an error are bad on purpose.
            if let (Some(request), false) =
                (exchange.get("request"), response["outcome"] == "error")
            {
                let problems = errors(&requests, request);
                assert!(problems.is_empty(), "{path:?} {i}: request: {problems:?}");
                checked_requests += 1;
            }
        }
    }
    assert!(checked_requests > 100, "only {checked_requests} requests");
    let every: std::collections::BTreeSet<String> = service_recovery::protocol::Response::OUTCOMES
        .iter()
        .map(|o| (*o).to_owned())
        .collect();
    assert_eq!(outcomes, every, "every outcome appears in a fixture");
}

#[test]
fn the_request_schema_refuses_what_the_entry_point_refuses() {
    let requests = validator("protocol_request");
    let good = json!({"protocol": 1, "request": "verify", "history": [], "policy": "airline"});
    assert!(errors(&requests, &good).is_empty());
    for bad in [
        json!({"protocol": 1, "request": "verify", "history": [], "policy": "airline",
               "actor": {"id": "agent-7", "name": "Dana"}}),
        json!({"protocol": 1, "request": "verify", "policy": "airline"}),
        json!({"protocol": 1, "request": "undo", "history": [], "policy": "airline"}),
        json!({"protocol": 1, "request": "next_actions", "history": null, "policy": "standard",
               "actor": {"id": "agent-7", "name": "Dana"}, "at": "2026-03-02T14:00:00Z",
               "expected_version": 0}),
    ] {
        assert!(!errors(&requests, &bad).is_empty(), "{bad}");
    }
    let responses = validator("protocol_response");
    let verified = json!({"outcome": "verified", "protocol": 1, "events": 1, "chain_start": null,
        "chain_head": null, "unchecked": [], "message": "all 1 event verified"});
    assert!(errors(&responses, &verified).is_empty());
    let mut odd = verified.clone();
    odd["outcome"] = json!("audited");
    assert!(!errors(&responses, &odd).is_empty());
}
