//! Upcasters: reading events written by older versions of the crate.

use crate::history::stored_event::{CURRENT_SCHEMA_VERSION, DecodeError, RawEvent};
use serde_json::{Map, Value};
use std::fmt;
use std::sync::Arc;

/// One step of schema migration: rewrites an event written in schema version
/// [`reads_version`](Upcaster::reads_version) into the shape of the next version.
///
/// An upcaster sees every event of its version, whatever its type, and leaves the
/// types it does not concern unchanged. It may rename the type, rename, move, add or
/// drop fields. It must not set the schema version: [`Upcasters`] does that after
/// every step.
///
/// ```
/// use service_recovery::history::{RawEvent, Upcaster, Upcasters, CURRENT_SCHEMA_VERSION};
///
/// /// A host's own fix: its version-1 notes were once written with a `note` field.
/// #[derive(Debug)]
/// struct NoteField;
///
/// impl Upcaster for NoteField {
///     fn reads_version(&self) -> u32 { 1 }
///     fn upcast(&self, event: &mut RawEvent) -> Result<(), String> {
///         if event.event_type == "note_added" {
///             if let Some(map) = event.payload.as_object_mut() {
///                 if let Some(note) = map.remove("note") {
///                     map.insert("text".into(), note);
///                 }
///             }
///         }
///         Ok(())
///     }
/// }
///
/// let upcasters = Upcasters::builtin().with(NoteField);
/// let old = RawEvent {
///     event_type: "note_added".into(),
///     schema_version: 1,
///     payload: serde_json::json!({ "note": "called back" }),
/// };
/// let new = upcasters.upcast(old).unwrap();
/// assert_eq!(new.schema_version, CURRENT_SCHEMA_VERSION);
/// assert_eq!(new.payload, serde_json::json!({ "text": "called back" }));
/// ```
pub trait Upcaster: fmt::Debug + Send + Sync {
    /// The schema version this step reads; it produces `reads_version() + 1`.
    fn reads_version(&self) -> u32;

    /// Rewrites one event in place.
    ///
    /// # Errors
    ///
    /// A plain sentence saying why the event cannot be upgraded; a store reports it as
    /// a corrupt event.
    fn upcast(&self, event: &mut RawEvent) -> Result<(), String>;
}

/// The chain of upcasters a store reads with. The default is [`Upcasters::builtin`].
///
/// Several steps may read the same version; they run in the order they were added.
#[derive(Clone)]
pub struct Upcasters {
    steps: Vec<Arc<dyn Upcaster>>,
}

impl Upcasters {
    /// No upcasters: only events in the current schema version can be read.
    pub fn none() -> Self {
        Self { steps: Vec::new() }
    }

    /// Every upcaster this crate ships: it reads every schema version the crate ever
    /// wrote.
    pub fn builtin() -> Self {
        Self::none().with(FromSchemaV1)
    }

    /// Adds a step after the existing ones.
    #[must_use]
    pub fn with(mut self, step: impl Upcaster + 'static) -> Self {
        self.steps.push(Arc::new(step));
        self
    }

    /// Lifts `event` to [`CURRENT_SCHEMA_VERSION`], one version at a time.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnsupportedSchemaVersion`] for version 0 or a version newer than
    /// the crate, [`DecodeError::MissingUpcaster`] if a version on the way has no step,
    /// [`DecodeError::Upcast`] if a step refuses the event.
    pub fn upcast(&self, mut event: RawEvent) -> Result<RawEvent, DecodeError> {
        if event.schema_version == 0 || event.schema_version > CURRENT_SCHEMA_VERSION {
            return Err(DecodeError::UnsupportedSchemaVersion {
                version: event.schema_version,
                current: CURRENT_SCHEMA_VERSION,
            });
        }
        while event.schema_version < CURRENT_SCHEMA_VERSION {
            let version = event.schema_version;
            let mut found = false;
            for step in self.steps.iter().filter(|s| s.reads_version() == version) {
                found = true;
                step.upcast(&mut event)
                    .map_err(|reason| DecodeError::Upcast { version, reason })?;
            }
            if !found {
                return Err(DecodeError::MissingUpcaster { version });
            }
            event.schema_version = version + 1;
        }
        Ok(event)
    }
}

impl Default for Upcasters {
    fn default() -> Self {
        Self::builtin()
    }
}

impl fmt::Debug for Upcasters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.steps).finish()
    }
}

/// Reads schema version 1, which the crate wrote before the customer became a nested
/// object. See the [module documentation](crate::history#schema-versions-and-upcasting)
/// for the differences it undoes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FromSchemaV1;

impl Upcaster for FromSchemaV1 {
    fn reads_version(&self) -> u32 {
        1
    }

    fn upcast(&self, event: &mut RawEvent) -> Result<(), String> {
        match event.event_type.as_str() {
            "opened" => nest_customer(&mut event.payload),
            "thanked" | "apologized" | "explained" | "final_thanks_given" => {
                rename_field(&mut event.payload, "text", "words")
            }
            "internal_note" => {
                event.event_type = "note_added".into();
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

const CUSTOMER_PREFIX: &str = "customer_";

fn nest_customer(payload: &mut Value) -> Result<(), String> {
    let map = object(payload)?;
    if map.contains_key("customer") {
        return Err("a version 1 opening has no \"customer\" object, but this one has".into());
    }
    let flat: Vec<String> = map
        .keys()
        .filter(|k| k.starts_with(CUSTOMER_PREFIX))
        .cloned()
        .collect();
    if flat.is_empty() {
        return Err("a version 1 opening names its customer in \"customer_*\" fields, but this one has none".into());
    }
    let mut customer = Map::new();
    for key in flat {
        if let Some(value) = map.remove(&key) {
            let field = key.trim_start_matches(CUSTOMER_PREFIX).to_owned();
            customer.insert(field, value);
        }
    }
    map.insert("customer".into(), Value::Object(customer));
    Ok(())
}

fn rename_field(payload: &mut Value, from: &str, to: &str) -> Result<(), String> {
    let map = object(payload)?;
    if let Some(value) = map.remove(from) {
        map.insert(to.into(), value);
    }
    Ok(())
}

fn object(payload: &mut Value) -> Result<&mut Map<String, Value>, String> {
    payload
        .as_object_mut()
        .ok_or_else(|| "the payload is not a JSON object".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn v1(event_type: &str, payload: Value) -> RawEvent {
        RawEvent {
            event_type: event_type.into(),
            schema_version: 1,
            payload,
        }
    }

    #[test]
    fn a_version_1_apology_gets_words() {
        let up = Upcasters::builtin()
            .upcast(v1("apologized", json!({"text": "Sorry."})))
            .unwrap();
        assert_eq!(up.schema_version, 2);
        assert_eq!(up.payload, json!({"words": "Sorry."}));
    }

    #[test]
    fn a_version_1_opening_gets_a_customer_object() {
        let up = Upcasters::builtin()
            .upcast(v1(
                "opened",
                json!({"case": "c", "customer_id": "k", "customer_name": "N", "customer_address_as": "M"}),
            ))
            .unwrap();
        assert_eq!(
            up.payload,
            json!({"case": "c", "customer": {"id": "k", "name": "N", "address_as": "M"}})
        );
    }

    #[test]
    fn a_version_1_internal_note_is_renamed() {
        let up = Upcasters::builtin()
            .upcast(v1("internal_note", json!({"text": "x"})))
            .unwrap();
        assert_eq!(up.event_type, "note_added");
    }

    #[test]
    fn an_opening_without_customer_fields_is_refused() {
        assert_eq!(
            Upcasters::builtin().upcast(v1("opened", json!({"case": "c"}))),
            Err(DecodeError::Upcast {
                version: 1,
                reason: "a version 1 opening names its customer in \"customer_*\" fields, but this one has none".into()
            })
        );
    }

    #[test]
    fn without_upcasters_version_1_cannot_be_read() {
        assert_eq!(
            Upcasters::none().upcast(v1("thanked", json!({"text": "x"}))),
            Err(DecodeError::MissingUpcaster { version: 1 })
        );
    }
}
