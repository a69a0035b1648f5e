//! Redaction: erasing a customer's personal data from a history that must stay
//! replayable and auditable.

use crate::actor::ActorRef;
use crate::case::EventType;
use crate::id::CaseId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeSet;
use typed_builder::TypedBuilder;

/// A field that holds personal data: an event type and a dotted path into its
/// payload, for example `opened` and `customer.name`.
///
/// A path segment that meets an array applies to each element. Serialized as
/// `{"event_type":"opened","path":"customer.name"}`.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct PersonalField {
    /// The event's `type` tag.
    pub event_type: String,
    /// The dotted path to the field within the payload.
    pub path: String,
}

impl PersonalField {
    /// A personal field of an event type.
    pub fn new(event_type: impl Into<String>, path: impl Into<String>) -> Self {
        Self {
            event_type: event_type.into(),
            path: path.into(),
        }
    }
}

/// Which fields of a history are personal data, and what replaces them.
///
/// Redaction replaces every string at a listed field (and every string inside it, if
/// it is an array or an object) with the [`marker`](Self::marker). Absent and `null`
/// fields stay as they are, numbers and booleans too: the history keeps its shape, so
/// it replays into a case with the same statuses, steps and versions.
///
/// The default ([`RedactionPolicy::standard`]) covers what each event kind declares
/// personal ([`EventType::personal_data`]): the customer's name, form of address,
/// e-mail and phone, the complaint's details, and every free text said to,
/// by or about the customer (words, questions, answers, the goal, descriptions,
/// outcomes, reasons, notes, promises and survey comments). A host adds its own fields
/// with [`with_field`](Self::with_field).
///
/// ```
/// use service_recovery::history::{PersonalField, RedactionPolicy};
/// use serde_json::json;
///
/// let policy = RedactionPolicy::standard().with_field("withdrawn", "reason");
/// let mut payload = json!({"reason": "Ms Okafor is moving abroad"});
/// assert_eq!(policy.redact("withdrawn", &mut payload), 1);
/// assert_eq!(payload, json!({"reason": "[redacted]"}));
/// assert!(policy.fields.contains(&PersonalField::new("opened", "customer.name")));
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct RedactionPolicy {
    /// What replaces a personal value. Default: `[redacted]`.
    #[builder(default = RedactionPolicy::DEFAULT_MARKER.to_owned(), setter(into))]
    #[serde(default = "default_marker")]
    pub marker: String,
    /// The personal fields. Default: those of [`RedactionPolicy::standard`].
    #[builder(default = standard_fields())]
    #[serde(default = "standard_fields")]
    pub fields: BTreeSet<PersonalField>,
}

fn default_marker() -> String {
    RedactionPolicy::DEFAULT_MARKER.to_owned()
}

/// The fields each event kind declares personal ([`EventType::personal_data`]): a
/// new event kind cannot compile without saying which of its fields are personal.
fn standard_fields() -> BTreeSet<PersonalField> {
    EventType::ALL
        .iter()
        .flat_map(|kind| {
            let paths = kind.personal_data().iter();
            paths.map(move |path| PersonalField::new(kind.name(), *path))
        })
        .collect()
}

impl Default for RedactionPolicy {
    fn default() -> Self {
        Self::standard()
    }
}

impl RedactionPolicy {
    /// The default marker.
    pub const DEFAULT_MARKER: &'static str = "[redacted]";

    /// The standard personal fields with the default marker.
    pub fn standard() -> Self {
        Self::builder().build()
    }

    /// Adds a personal field.
    #[must_use]
    pub fn with_field(mut self, event_type: impl Into<String>, path: impl Into<String>) -> Self {
        self.fields.insert(PersonalField::new(event_type, path));
        self
    }

    /// Replaces the personal values in the payload of an event of `event_type`, which
    /// must be in the current schema version. Returns how many values it replaced;
    /// values that already are the marker are not counted, so redacting twice changes
    /// nothing the second time.
    pub fn redact(&self, event_type: &str, payload: &mut Value) -> usize {
        self.fields
            .iter()
            .filter(|f| f.event_type == event_type)
            .map(|f| redact_path(payload, &f.path, &self.marker))
            .sum()
    }
}

fn redact_path(value: &mut Value, path: &str, marker: &str) -> usize {
    let (head, rest) = match path.split_once('.') {
        Some((head, rest)) => (head, Some(rest)),
        None => (path, None),
    };
    match value {
        Value::Array(items) => items
            .iter_mut()
            .map(|item| redact_path(item, path, marker))
            .sum(),
        Value::Object(map) => match (map.get_mut(head), rest) {
            (Some(field), Some(rest)) => redact_path(field, rest, marker),
            (Some(field), None) => redact_all(field, marker),
            (None, _) => 0,
        },
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => 0,
    }
}

fn redact_all(value: &mut Value, marker: &str) -> usize {
    match value {
        Value::String(s) if s != marker => {
            marker.clone_into(s);
            1
        }
        Value::Array(items) => items.iter_mut().map(|v| redact_all(v, marker)).sum(),
        Value::Object(map) => map.values_mut().map(|v| redact_all(v, marker)).sum(),
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => 0,
    }
}

/// A privacy request to carry out: who asks, when, and why. The reason is kept in
/// the redaction record, so it must not itself hold personal data.
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct RedactionRequest {
    /// Who carries out the request.
    pub by: ActorRef,
    /// When, as reported by the host.
    pub at: DateTime<Utc>,
    /// Why: a ticket number or the legal basis, for example "GDPR art. 17 request #4411".
    #[builder(setter(into))]
    pub reason: String,
}

/// The record a store keeps of a redaction it carried out: the audit trail of the
/// erasure itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Redaction {
    /// The case.
    pub case: CaseId,
    /// Who carried it out.
    pub by: ActorRef,
    /// When.
    pub at: DateTime<Utc>,
    /// Why.
    pub reason: String,
    /// The sequence numbers of the events whose payloads were rewritten.
    pub events: Vec<u64>,
    /// How many values were replaced with the marker.
    pub values: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_and_optional_fields_are_redacted_and_absent_ones_left() {
        let policy = RedactionPolicy::standard();
        let mut payload = json!({
            "case": "c-1",
            "customer": {"id": "k-1", "name": "Amara Okafor", "address_as": "Ms Okafor", "tier": "standard"},
            "complaint": {"summary": "wrong address", "details": "Sent to 12 Elm St"},
        });
        assert_eq!(policy.redact("opened", &mut payload), 3);
        assert_eq!(
            payload,
            json!({
                "case": "c-1",
                "customer": {"id": "k-1", "name": "[redacted]", "address_as": "[redacted]", "tier": "standard"},
                "complaint": {"summary": "wrong address", "details": "[redacted]"},
            })
        );
        assert_eq!(policy.redact("opened", &mut payload), 0);
    }

    #[test]
    fn arrays_and_objects_at_a_path_are_redacted_throughout() {
        let policy = RedactionPolicy::builder()
            .marker("***")
            .fields(BTreeSet::new())
            .build()
            .with_field("approval_requested", "contacts.phone")
            .with_field("approval_requested", "notes");
        let mut payload = json!({
            "contacts": [{"phone": "555-1"}, {"phone": "555-2"}],
            "notes": {"a": "x", "b": ["y", 3]},
            "amount": 7
        });
        assert_eq!(policy.redact("approval_requested", &mut payload), 4);
        assert_eq!(
            payload,
            json!({
                "contacts": [{"phone": "***"}, {"phone": "***"}],
                "notes": {"a": "***", "b": ["***", 3]},
                "amount": 7
            })
        );
        assert_eq!(policy.redact("other", &mut payload), 0);
    }
}
