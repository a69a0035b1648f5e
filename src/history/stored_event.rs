//! The stored envelope of one event and its conversion to and from [`Event`].

use crate::actor::ActorRef;
use crate::case::{Event, EventKind};
use crate::history::upcast::Upcasters;
use crate::id::CaseId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use thiserror::Error;

/// The version of the event schema this crate writes, and the newest it reads.
///
/// It changes when the shape of an existing event changes; an [`Upcaster`]
/// (see [`Upcasters::builtin`]) then lifts events written in the older version.
///
/// [`Upcaster`]: crate::history::Upcaster
pub const CURRENT_SCHEMA_VERSION: u32 = 2;

/// One event as a store keeps it: the metadata in plain fields, the body as untyped
/// JSON. See the [module documentation](crate::history) for its stable JSON form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StoredEvent {
    /// The case the event belongs to.
    pub case: CaseId,
    /// Its position in the case's history, from 1.
    pub sequence: u64,
    /// Its `type` tag, for example `apologized`.
    pub event_type: String,
    /// The event schema version the payload was written in.
    pub schema_version: u32,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who caused it.
    pub actor: ActorRef,
    /// The event's fields without the `type` tag: always a JSON object.
    pub payload: Value,
    /// Its hash-chain link (lowercase hexadecimal SHA-256), which a store sets when it
    /// appends the event; `None` for an event not yet stored, or stored before links
    /// existed. See [`chain`](crate::history::chain). Left out of the JSON when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// The untyped part of a stored event that upcasters and redaction work on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    /// The `type` tag.
    pub event_type: String,
    /// The schema version the payload is in.
    pub schema_version: u32,
    /// The fields without the `type` tag.
    pub payload: Value,
}

/// Why an event cannot be turned into its stored form.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("event {sequence} cannot be stored: {reason}")]
pub struct EncodeError {
    /// The event's sequence number.
    pub sequence: u64,
    /// What went wrong.
    pub reason: String,
}

/// Why a stored event cannot be read. A store reports it with the case and the
/// sequence number of the event.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The event type is not one this version of the crate knows.
    #[error("its type \"{event_type}\" is not a kind of event this version of the crate knows")]
    UnknownEventType {
        /// The stored type.
        event_type: String,
    },
    /// The schema version is newer than this crate, or zero.
    #[error(
        "it was written in event schema version {version}, but this version of the crate reads versions 1 to {current}"
    )]
    UnsupportedSchemaVersion {
        /// The stored version.
        version: u32,
        /// The newest version this crate reads.
        current: u32,
    },
    /// No upcaster is registered for an older schema version.
    #[error("no upcaster is registered to read event schema version {version}")]
    MissingUpcaster {
        /// The version that has no upcaster.
        version: u32,
    },
    /// An upcaster refused the event.
    #[error("it cannot be upgraded from event schema version {version}: {reason}")]
    Upcast {
        /// The version the upcaster reads.
        version: u32,
        /// Why it refused.
        reason: String,
    },
    /// The payload is not the JSON of this type of event.
    #[error("its contents are not a valid event: {detail}")]
    Malformed {
        /// What the JSON reader found.
        detail: String,
    },
}

impl StoredEvent {
    /// The stored form of `event` of `case`, in the current schema version.
    ///
    /// # Errors
    ///
    /// [`EncodeError`] if the event does not serialize to a JSON object with a `type`
    /// tag, which no event of this crate does.
    pub fn encode(case: &CaseId, event: &Event) -> Result<Self, EncodeError> {
        let fail = |reason: String| EncodeError {
            sequence: event.sequence,
            reason,
        };
        let value = serde_json::to_value(&event.kind).map_err(|e| fail(e.to_string()))?;
        let Value::Object(mut payload) = value else {
            return Err(fail("the event does not serialize to a JSON object".into()));
        };
        let event_type = match payload.remove("type") {
            Some(Value::String(tag)) => tag,
            _ => return Err(fail("the event has no \"type\" tag".into())),
        };
        Ok(Self {
            case: case.clone(),
            sequence: event.sequence,
            event_type,
            schema_version: CURRENT_SCHEMA_VERSION,
            at: event.at,
            actor: event.actor.clone(),
            payload: Value::Object(payload),
            link: None,
        })
    }

    /// The untyped part: type, schema version and payload.
    pub fn raw(&self) -> RawEvent {
        RawEvent {
            event_type: self.event_type.clone(),
            schema_version: self.schema_version,
            payload: self.payload.clone(),
        }
    }

    /// Reads the event back: upcasts it to the current schema version with
    /// `upcasters`, then deserializes it.
    ///
    /// # Errors
    ///
    /// [`DecodeError`] if the schema version is unknown, an upcaster fails, the type is
    /// unknown or the payload does not deserialize.
    pub fn decode(&self, upcasters: &Upcasters) -> Result<Event, DecodeError> {
        self.clone().into_event(upcasters)
    }

    /// Like [`decode`](Self::decode), but consumes the envelope and so copies nothing.
    ///
    /// # Errors
    ///
    /// As [`decode`](Self::decode).
    pub fn into_event(self, upcasters: &Upcasters) -> Result<Event, DecodeError> {
        let raw = upcasters.upcast(RawEvent {
            event_type: self.event_type,
            schema_version: self.schema_version,
            payload: self.payload,
        })?;
        Ok(Event {
            sequence: self.sequence,
            at: self.at,
            actor: self.actor,
            kind: raw.into_kind()?,
        })
    }
}

impl RawEvent {
    /// Deserializes an event body that is in the current schema version.
    ///
    /// # Errors
    ///
    /// [`DecodeError`] if the version is not current, the type is unknown or the
    /// payload does not deserialize.
    pub fn into_kind(self) -> Result<EventKind, DecodeError> {
        if self.schema_version != CURRENT_SCHEMA_VERSION {
            return Err(DecodeError::UnsupportedSchemaVersion {
                version: self.schema_version,
                current: CURRENT_SCHEMA_VERSION,
            });
        }
        let mut body = match self.payload {
            Value::Object(map) => map,
            other @ Value::Null
            | other @ Value::Bool(_)
            | other @ Value::Number(_)
            | other @ Value::String(_)
            | other @ Value::Array(_) => {
                return Err(DecodeError::Malformed {
                    detail: format!("the payload is {}, not a JSON object", json_kind(&other)),
                });
            }
        };
        if body.contains_key("type") {
            return Err(DecodeError::Malformed {
                detail: "the payload has a \"type\" field of its own".into(),
            });
        }
        let mut tagged = Map::with_capacity(body.len() + 1);
        tagged.insert("type".into(), Value::String(self.event_type.clone()));
        tagged.append(&mut body);
        serde_json::from_value(Value::Object(tagged))
            .map_err(|error| classify(self.event_type, &error))
    }
}

/// Deserializes the payload text of an event in the current schema version without
/// building a JSON tree first: the fast path of a store's load. Any failure is
/// classified by the slower path through [`RawEvent::into_kind`], so both report the
/// same errors.
#[cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]
pub(crate) fn kind_from_text(event_type: &str, payload: &str) -> Result<EventKind, DecodeError> {
    if let Some(kind) = splice_tag(event_type, payload)
        .and_then(|tagged| serde_json::from_str::<EventKind>(&tagged).ok())
    {
        return Ok(kind);
    }
    let payload = serde_json::from_str(payload).map_err(|e| DecodeError::Malformed {
        detail: format!("its payload is not JSON: {e}"),
    })?;
    RawEvent {
        event_type: event_type.to_owned(),
        schema_version: CURRENT_SCHEMA_VERSION,
        payload,
    }
    .into_kind()
}

/// `{"type":"<event_type>", <the payload's fields>}`, or `None` if the payload is
/// not an object.
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
fn splice_tag(event_type: &str, payload: &str) -> Option<String> {
    let fields = payload.trim_start().strip_prefix('{')?;
    let tag = serde_json::to_string(event_type).ok()?;
    let mut tagged = String::with_capacity(payload.len() + tag.len() + 10);
    tagged.push_str("{\"type\":");
    tagged.push_str(&tag);
    if !fields.trim_start().starts_with('}') {
        tagged.push(',');
    }
    tagged.push_str(fields);
    Some(tagged)
}

/// Tells an unknown event type from a malformed payload. serde reports an unknown
/// tag of an internally tagged enum as "unknown variant `x`, ..."; reading that
/// message keeps this module free of any list of event kinds, so kinds added to the
/// core later need no change here.
fn classify(event_type: String, error: &serde_json::Error) -> DecodeError {
    let detail = error.to_string();
    if detail.starts_with(&format!("unknown variant `{event_type}`")) {
        DecodeError::UnknownEventType { event_type }
    } else {
        DecodeError::Malformed { detail }
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    fn note(sequence: u64) -> Event {
        Event {
            sequence,
            at: Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap(),
            actor: ActorRef::new("a-7", "Dana"),
            kind: EventKind::NoteAdded {
                text: "called back".into(),
            },
        }
    }

    #[test]
    fn an_event_survives_the_round_trip() {
        let stored = StoredEvent::encode(&CaseId::new("c"), &note(4)).unwrap();
        assert_eq!(stored.event_type, "note_added");
        assert_eq!(stored.payload, json!({"text": "called back"}));
        assert_eq!(stored.decode(&Upcasters::builtin()).unwrap(), note(4));
    }

    #[test]
    fn an_unknown_type_is_named() {
        let mut stored = StoredEvent::encode(&CaseId::new("c"), &note(1)).unwrap();
        stored.event_type = "teleported".into();
        assert_eq!(
            stored.decode(&Upcasters::builtin()),
            Err(DecodeError::UnknownEventType {
                event_type: "teleported".into()
            })
        );
    }

    #[test]
    fn a_missing_field_is_malformed() {
        let mut stored = StoredEvent::encode(&CaseId::new("c"), &note(1)).unwrap();
        stored.payload = json!({"words": "x"});
        assert!(matches!(
            stored.decode(&Upcasters::builtin()),
            Err(DecodeError::Malformed { .. })
        ));
        stored.payload = json!(["text"]);
        assert!(matches!(
            stored.decode(&Upcasters::builtin()),
            Err(DecodeError::Malformed { .. })
        ));
    }

    #[test]
    fn the_fast_path_from_text_agrees_with_the_tree() {
        let event = note(1);
        let stored = StoredEvent::encode(&CaseId::new("c"), &event).unwrap();
        let text = stored.payload.to_string();
        assert_eq!(kind_from_text("note_added", &text), Ok(event.kind));
        assert_eq!(
            kind_from_text("final_thanks_given", " { \"words\" : \"x\" } "),
            Ok(EventKind::FinalThanksGiven { words: "x".into() })
        );
        for (event_type, payload) in [
            ("teleported", r#"{"text":"x"}"#),
            ("note_added", r#"{"words":"x"}"#),
            ("note_added", r#"{"text":"x","type":"thanked"}"#),
            ("note_added", r#"{"type":"note_added","text":"x"}"#),
            ("note_added", r#"["text"]"#),
            ("note_added", r#"{"text":"x""#),
            ("note_added", "{}"),
        ] {
            let tree = serde_json::from_str(payload).map(|payload| {
                RawEvent {
                    event_type: event_type.into(),
                    schema_version: CURRENT_SCHEMA_VERSION,
                    payload,
                }
                .into_kind()
            });
            let fast = kind_from_text(event_type, payload);
            assert!(fast.is_err(), "{payload}: {fast:?}");
            if let Ok(tree) = tree {
                assert_eq!(fast, tree, "{payload}");
            }
        }
    }

    #[test]
    fn the_fast_path_splices_the_type_into_the_payload_text() {
        for (payload, tagged) in [
            (
                r#"{"text":"x"}"#,
                Some(r#"{"type":"note_added","text":"x"}"#),
            ),
            (
                r#"  {"text":"x"}"#,
                Some(r#"{"type":"note_added","text":"x"}"#),
            ),
            ("{}", Some(r#"{"type":"note_added"}"#)),
            ("{ }", Some(r#"{"type":"note_added" }"#)),
            (r#"["text"]"#, None),
            ("null", None),
        ] {
            assert_eq!(
                splice_tag("note_added", payload).as_deref(),
                tagged,
                "{payload}"
            );
        }
        assert_eq!(
            splice_tag("a\"b", "{}").as_deref(),
            Some(r#"{"type":"a\"b"}"#)
        );
    }

    #[test]
    fn a_future_schema_version_is_refused() {
        let mut stored = StoredEvent::encode(&CaseId::new("c"), &note(1)).unwrap();
        stored.schema_version = CURRENT_SCHEMA_VERSION + 1;
        assert_eq!(
            stored.decode(&Upcasters::builtin()),
            Err(DecodeError::UnsupportedSchemaVersion {
                version: CURRENT_SCHEMA_VERSION + 1,
                current: CURRENT_SCHEMA_VERSION
            })
        );
    }
}
