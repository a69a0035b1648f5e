//! Histories at rest: the stored form of an event, its schema versions, the upcasters
//! that read old versions, and the redaction of personal data.
//!
//! The core works on typed [`Event`](crate::Event)s. A store keeps each one as a
//! [`StoredEvent`]: an envelope whose metadata (case, sequence number, event type,
//! schema version, time, actor) lives in plain fields, so that a store can index and
//! audit it, and whose body is an untyped JSON payload, so that a store never needs to
//! know the kinds of events that exist. New kinds of events need no change here.
//!
//! # The stored form (stable)
//!
//! An envelope serializes to this JSON; a store may keep the fields in columns, but it
//! keeps exactly these values:
//!
//! ```json
//! {
//!   "case": "case-1",
//!   "sequence": 3,
//!   "event_type": "apologized",
//!   "schema_version": 2,
//!   "at": "2026-03-02T14:05:00Z",
//!   "actor": { "id": "agent-7", "name": "Dana" },
//!   "payload": { "words": "I am sorry we sent your parcel to the wrong address." }
//! }
//! ```
//!
//! - `event_type` is the event's `type` tag ([`EventKind::name`](crate::EventKind::name)).
//! - `payload` is the event's JSON form without its `type` tag: the fields of the
//!   [`EventKind`](crate::EventKind) variant, as they serialize.
//! - `schema_version` is the version of the event schema the payload was written in;
//!   this crate writes [`CURRENT_SCHEMA_VERSION`].
//! - A stored event also has a `"link"`: its hash-chain link, which a store sets when
//!   it appends the event (absent before that, and in events stored before links
//!   existed). See [tamper evidence](#tamper-evidence).
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use service_recovery::history::StoredEvent;
//! use service_recovery::prelude::{ActorRef, CaseId, Event, EventKind};
//!
//! let event = Event {
//!     sequence: 3,
//!     at: Utc.with_ymd_and_hms(2026, 3, 2, 14, 5, 0).unwrap(),
//!     actor: ActorRef::new("agent-7", "Dana"),
//!     kind: EventKind::Apologized { words: "I am sorry.".into() },
//! };
//! let stored = StoredEvent::encode(&CaseId::new("case-1"), &event).unwrap();
//! assert_eq!(
//!     serde_json::to_string(&stored).unwrap(),
//!     r#"{"case":"case-1","sequence":3,"event_type":"apologized","schema_version":2,"at":"2026-03-02T14:05:00Z","actor":{"id":"agent-7","name":"Dana"},"payload":{"words":"I am sorry."}}"#
//! );
//! assert_eq!(stored.decode(&Default::default()).unwrap(), event);
//! ```
//!
//! # Schema versions and upcasting
//!
//! Events are never rewritten when the crate changes the shape of an event. Instead,
//! [`StoredEvent::decode`] runs the stored `(event_type, schema_version, payload)`
//! through a chain of [`Upcaster`]s, each of which lifts one schema version to the
//! next, until the event is in the current version; only then is it deserialized.
//! [`Upcasters::builtin`] (the default) knows every older version this crate ever
//! wrote; a host can add its own steps with [`Upcasters::with`].
//!
//! Schema version 1 differed from version 2 (the current one) in three ways, which
//! [`FromSchemaV1`] undoes:
//!
//! - `opened` kept the customer flat: `customer_id`, `customer_name`,
//!   `customer_address_as` and the optional `customer_tier`, `customer_email`,
//!   `customer_phone`; version 2 nests them in a `customer` object.
//! - `thanked`, `apologized`, `explained` and `final_thanks_given` named their words
//!   `text`; version 2 calls them `words`.
//! - Internal notes had the type `internal_note`; version 2 calls them `note_added`.
//!
//! An event from a *future* schema version, an unknown event type or a payload that
//! does not deserialize is a [`DecodeError`], which a store reports together with the
//! case and the sequence number: a stored history never makes the crate panic.
//!
//! # Redaction
//!
//! A privacy request asks to erase a customer's personal data. A [`RedactionPolicy`]
//! names the personal fields by event type and field path, and replaces their values
//! with a fixed marker, so that the history keeps its structure and still replays; the
//! stores apply it in place and keep a [`Redaction`] record of who asked, when and why.
//! See [`EventStore::redact`](crate::store::EventStore::redact).
//!
//! # Tamper evidence
//!
//! Each stored event carries a [`chain`] link: the SHA-256 of the previous event's
//! link and the event's canonical form. The stores compute links on append and check
//! them on load, so that a row edited, inserted, deleted or reordered outside the
//! store is reported as [`Tampered`], naming the first event that breaks the chain.
//! The links leave personal fields out, so that a redaction changes none of them.

pub mod chain;
mod redaction;
mod stored_event;
mod upcast;

pub use chain::{ChainBreak, ChainReport, Tampered};
pub use redaction::{PersonalField, Redaction, RedactionPolicy, RedactionRequest};
pub(crate) use stored_event::kind_from_text;
pub use stored_event::{CURRENT_SCHEMA_VERSION, DecodeError, EncodeError, RawEvent, StoredEvent};
pub use upcast::{FromSchemaV1, Upcaster, Upcasters};
