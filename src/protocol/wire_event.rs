//! A stored event as a request carries it, read in one pass over the request text.
//!
//! [`StoredEvent`] keeps its payload as a JSON tree, which suits upcasters and
//! redaction; but a request's history is read only to be replayed, and building a
//! tree per event, then re-reading the tree into the typed event, cost the protocol
//! most of its time. A [`WireEvent`] borrows its payload's text from the request and
//! reads it straight into the typed event, through the same fast path a store's load
//! uses ([`kind_from_text`]); only an event of an older schema version (to upcast) or
//! one whose payload does not read (to say why, in the same words as
//! [`StoredEvent::into_event`]) goes through the tree.

use crate::actor::ActorRef;
use crate::case::Event;
use crate::history::{CURRENT_SCHEMA_VERSION, DecodeError, StoredEvent, Upcasters, kind_from_text};
use crate::id::CaseId;
use crate::protocol::instant;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// One event of a request's history: the fields of [`StoredEvent`], in the same
/// order (serde's messages about unknown fields list them), with the payload left as
/// text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WireEvent<'a> {
    pub(crate) case: CaseId,
    pub(crate) sequence: u64,
    #[serde(borrow)]
    event_type: Cow<'a, str>,
    schema_version: u32,
    #[serde(deserialize_with = "instant::deserialize")]
    at: DateTime<Utc>,
    actor: ActorRef,
    #[serde(borrow)]
    payload: &'a RawValue,
    // Read (so that it is type-checked as in `StoredEvent`) but not used: replaying
    // does not check the hash chain; `verify` does, from the stored form.
    #[serde(default)]
    link: Option<String>,
}

/// Why an event of a request's history cannot be read.
#[derive(Debug)]
pub(crate) enum Unread {
    /// As [`StoredEvent::into_event`] says.
    Decode(DecodeError),
    /// Its payload is not JSON after all (see [`WireEvent::into_event`]).
    NotJson,
}

/// An event of a history, in whichever form the request brought it.
pub(crate) trait HistoryEvent {
    /// The case it is filed under.
    fn case(&self) -> &CaseId;
    /// Its sequence number.
    fn sequence(&self) -> u64;
    /// The typed event, or why not.
    fn into_event(self, upcasters: &Upcasters) -> Result<Event, Unread>;
    /// The stored form, for the checks that work on it (the hash chain).
    fn into_stored(self) -> StoredEvent;
}

impl HistoryEvent for StoredEvent {
    fn case(&self) -> &CaseId {
        &self.case
    }

    fn sequence(&self) -> u64 {
        self.sequence
    }

    fn into_event(self, upcasters: &Upcasters) -> Result<Event, Unread> {
        StoredEvent::into_event(self, upcasters).map_err(Unread::Decode)
    }

    fn into_stored(self) -> StoredEvent {
        self
    }
}

impl HistoryEvent for WireEvent<'_> {
    fn case(&self) -> &CaseId {
        &self.case
    }

    fn sequence(&self) -> u64 {
        self.sequence
    }

    fn into_event(self, upcasters: &Upcasters) -> Result<Event, Unread> {
        let payload = self.payload.get();
        let read = if self.schema_version == CURRENT_SCHEMA_VERSION {
            kind_from_text(&self.event_type, payload).map(|kind| Event {
                kind,
                sequence: self.sequence,
                at: self.at,
                actor: self.actor,
            })
        } else {
            // Not yet a tree; `into_stored` makes it one, or `null` if it cannot.
            match serde_json::from_str::<serde_json::Value>(payload) {
                Ok(_) => self.into_stored().into_event(upcasters),
                Err(_) => return Err(Unread::NotJson),
            }
        };
        read.map_err(|error| {
            // Text that passes for JSON while skipped but is not JSON when read (a lone
            // surrogate escape, a number beyond any float): a whole request read as a
            // tree, as before, was refused as malformed JSON.
            if serde_json::from_str::<serde_json::Value>(payload).is_err() {
                Unread::NotJson
            } else {
                Unread::Decode(error)
            }
        })
    }

    fn into_stored(self) -> StoredEvent {
        StoredEvent {
            case: self.case,
            sequence: self.sequence,
            event_type: self.event_type.into_owned(),
            schema_version: self.schema_version,
            at: self.at,
            actor: self.actor,
            // The text was read as JSON once already, so this cannot fail; `null`
            // would be refused as a payload that is not an object if it ever did.
            payload: serde_json::from_str(self.payload.get()).unwrap_or_default(),
            link: self.link,
        }
    }
}
