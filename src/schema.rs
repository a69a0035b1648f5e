//! JSON Schemas of the wire types, generated from the Rust types themselves.
//!
//! A help desk written in another language meets this crate through JSON: it sends
//! commands, stores events, shows rejections and loads policies. [`schemas`] returns
//! one JSON Schema (draft 2020-12) per top-level wire type, generated with
//! [`schemars`] from the same definitions serde uses, so a schema says what the crate
//! really reads: tags, optional fields, and `"additionalProperties": false` wherever
//! unknown fields are refused. The crate commits them under `schemas/` (one
//! `NAME.schema.json` per entry); a test regenerates them and fails on any difference,
//! so every change to the wire form shows up as a diff in review. To accept a change:
//! `UPDATE_SCHEMAS=1 cargo test --test schemas`.
//!
//! ```
//! use service_recovery::schema::schemas;
//!
//! let all = schemas();
//! let (name, command) = &all[0];
//! assert_eq!(*name, "command");
//! assert_eq!(command["title"], "Command");
//! ```
//!
//! Where serde goes through another type (a [`Playbook`](crate::playbook::Playbook)
//! is read as its configuration and validated), the schema is the one of what is read;
//! what a schema cannot say (a playbook's steps are reachable, a calendar's windows do
//! not overlap, an identifier follows the host's rules) is checked when the value is
//! built, with a typed error.
//!
//! # Compatibility
//!
//! The wire form is versioned. What may change without a new protocol version
//! (additive, a minor release of the crate):
//!
//! - a new **optional** field on an input type (it has a default, so older senders
//!   that omit it keep working);
//! - a new field on an output type (an event, a rejection's details, a next action):
//!   readers must look fields up by name; a reader that validates with these schemas
//!   takes the new schemas from the same release;
//! - a new command, event type, rejection code, step kind or other enum value. Readers
//!   must treat an unknown value as "unknown", not as an error of the whole message.
//!
//! What bumps the protocol version (and, for stored events, the event schema version
//! with an [upcaster](crate::history::Upcaster)):
//!
//! - removing or renaming a field, a tag or an enum value;
//! - making an optional field required, or changing a field's type or units;
//! - changing what a code or a value means (a rejection code is never reused for a
//!   different refusal).
//!
//! A message's wording (see [`Catalog`](crate::case::Catalog)) is not part of the
//! contract: hosts match on codes, never on sentences.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::Value;

use crate::actor::Actor;
use crate::approval::{ApprovalPolicy, Delegation};
use crate::case::{Command, Event, Rejection};
use crate::history::StoredEvent;
use crate::next_action::NextAction;
use crate::playbook::Playbook;
use crate::policy::Policy;
use crate::review::{Finding, RuleSet};
use crate::schedule::sla::SlaPolicy;
use crate::schedule::{BusinessCalendar, FollowUpPolicy};

/// Every top-level wire type's schema, by file name (without `.schema.json`), in a
/// fixed order.
///
/// Each schema is self-contained: the types it uses are under `$defs`.
pub fn schemas() -> Vec<(&'static str, Value)> {
    vec![
        ("command", schema::<Command>()),
        ("event", schema::<Event>()),
        ("stored_event", schema::<StoredEvent>()),
        ("rejection", schema::<Rejection>()),
        ("next_action", schema::<NextAction>()),
        ("actor", schema::<Actor>()),
        ("delegation", schema::<Delegation>()),
        ("policy", schema::<Policy>()),
        ("playbook", schema::<Playbook>()),
        ("approval_policy", schema::<ApprovalPolicy>()),
        ("business_calendar", schema::<BusinessCalendar>()),
        ("sla_policy", schema::<SlaPolicy>()),
        ("follow_up_policy", schema::<FollowUpPolicy>()),
        ("rule_set", schema::<RuleSet>()),
        ("finding", schema::<Finding>()),
    ]
}

/// The schema of what serde reads for `T` (its deserialization contract).
fn schema<T: JsonSchema>() -> Value {
    SchemaGenerator::new(SchemaSettings::draft2020_12())
        .into_root_schema_for::<T>()
        .to_value()
}
