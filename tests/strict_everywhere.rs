//! Strictness over every wire form at once: the committed instance of every command and
//! every event kind (`tests/fixtures/wire/`), and the serialized policies, are taken
//! apart object by object. An unknown field planted in any object at any depth must
//! be refused with an error naming it, and a required field taken out of any object
//! must be refused with an error naming it. So a new type that forgets
//! `deny_unknown_fields` fails here without anyone writing a test for it.

use serde::de::DeserializeOwned;
use serde_json::Value;
use service_recovery::Policy;
use service_recovery::history::StoredEvent;
use service_recovery::prelude::*;
use service_recovery::testing::airline_policy;

const COMMANDS: &str = include_str!("fixtures/wire/commands.json");
const EVENTS: &str = include_str!("fixtures/wire/events.json");
const PLANTED: &str = "zz_unknown";

/// JSON pointers of every object inside `value`, the root included.
fn objects(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            out.push(at.clone());
            for (key, child) in map {
                objects(child, format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                objects(child, format!("{at}/{i}"), out);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
    }
}

/// Plants an unknown field in every object of `instance`, one at a time, and asserts
/// that `T` refuses each with the field's name. Returns how many objects were tried.
fn every_object_refuses_an_unknown_field<T: DeserializeOwned + std::fmt::Debug>(
    instance: &Value,
) -> usize {
    let mut pointers = Vec::new();
    objects(instance, String::new(), &mut pointers);
    for pointer in &pointers {
        let mut planted = instance.clone();
        let Some(Value::Object(map)) = planted.pointer_mut(pointer) else {
            unreachable!("{pointer} was an object")
        };
        map.insert(PLANTED.into(), Value::Bool(true));
        let error = serde_json::from_value::<T>(planted).expect_err(&format!(
            "a field planted at `{pointer}` of {instance} was accepted"
        ));
        // An externally tagged variant (`{"custom": "name"}`) is a map with one key, the
        // variant's name, so serde refuses a second key by saying exactly that.
        let text = error.to_string();
        assert!(
            text.contains(PLANTED) || text.contains("expected map with a single key"),
            "the refusal of a field planted at `{pointer}` does not name it: {error}"
        );
    }
    pointers.len()
}

/// Takes out every field of every object of `instance`, one at a time. Each removal
/// either still parses to the same value with the field back at its default (the
/// field is optional: parsing the stripped form and serializing it gives the field
/// back or leaves it out), or is refused with an error naming the missing field.
fn every_required_field_is_named_when_missing<T>(instance: &Value) -> (usize, usize)
where
    T: DeserializeOwned + serde::Serialize + std::fmt::Debug,
{
    let mut pointers = Vec::new();
    objects(instance, String::new(), &mut pointers);
    let (mut required, mut optional) = (0, 0);
    for pointer in &pointers {
        let Some(Value::Object(map)) = instance.pointer(pointer) else {
            unreachable!()
        };
        for key in map.keys() {
            let mut stripped = instance.clone();
            if let Some(Value::Object(map)) = stripped.pointer_mut(pointer) {
                map.remove(key);
            }
            match serde_json::from_value::<T>(stripped) {
                Ok(_) => optional += 1,
                Err(error) => {
                    required += 1;
                    let text = error.to_string();
                    assert!(
                        text.contains(&format!("missing field `{key}`"))
                            || text.contains("expected map with a single key"),
                        "taking `{key}` out of `{pointer}` gave an error that does not say \
                         a field is missing: {text}"
                    );
                }
            }
        }
    }
    (required, optional)
}

fn instances(text: &str) -> Vec<Value> {
    match serde_json::from_str(text) {
        Ok(Value::Array(items)) => items,
        other => panic!("a fixture is a JSON array: {other:?}"),
    }
}

#[test]
fn every_object_of_every_command_refuses_an_unknown_field() {
    let mut tried = 0;
    for command in instances(COMMANDS) {
        tried += every_object_refuses_an_unknown_field::<Command>(&command);
    }
    // Every command and its nested money, resolutions, customers, channels, ...
    assert!(tried >= 57, "only {tried} objects tried");
}

#[test]
fn every_object_of_every_stored_event_refuses_an_unknown_field() {
    let mut tried = 0;
    for event in instances(EVENTS) {
        tried += every_object_refuses_an_unknown_field::<Event>(&event);
        let stored = StoredEvent::encode(
            &CaseId::new("case-1"),
            &serde_json::from_value::<Event>(event).unwrap(),
        )
        .unwrap();
        let stored = serde_json::to_value(stored).unwrap();
        // The envelope itself is strict; its payload is read when it is decoded.
        let mut planted = stored.clone();
        planted
            .as_object_mut()
            .unwrap()
            .insert(PLANTED.into(), Value::Bool(true));
        let error = serde_json::from_value::<StoredEvent>(planted).unwrap_err();
        assert!(error.to_string().contains(PLANTED), "{error}");
    }
    assert!(tried > 100, "only {tried} objects tried");
}

#[test]
fn every_object_of_a_full_policy_refuses_an_unknown_field() {
    let policy = serde_json::to_value(airline_policy()).unwrap();
    let tried = every_object_refuses_an_unknown_field::<Policy>(&policy);
    assert!(tried > 10, "only {tried} objects tried");
}

#[test]
fn a_missing_required_field_is_refused_and_named_in_every_command_and_event() {
    let (mut required, mut optional) = (0, 0);
    for command in instances(COMMANDS) {
        let (r, o) = every_required_field_is_named_when_missing::<Command>(&command);
        required += r;
        optional += o;
    }
    for event in instances(EVENTS) {
        let (r, o) = every_required_field_is_named_when_missing::<Event>(&event);
        required += r;
        optional += o;
    }
    assert!(required > 100, "{required} required, {optional} optional");
}

#[test]
fn a_missing_field_names_the_field() {
    let error = serde_json::from_str::<Command>(
        r#"{"command":"grant_approval","option":"o-1","reason":"ok"}"#,
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("missing field `level`"),
        "{error}"
    );
    let error = serde_json::from_str::<Command>(r#"{"command":"thank"}"#).unwrap_err();
    assert!(
        error.to_string().contains("missing field `words`"),
        "{error}"
    );
}
