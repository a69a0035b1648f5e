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
//! Where serde goes through another type (a [`Playbook`] is read as its
//! configuration and validated), the schema is the one of what is read; what a
//! schema cannot say (a playbook's steps are reachable, a calendar's windows do
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
use crate::protocol::{Request, Response};
use crate::review::{Finding, RuleSet};
use crate::schedule::sla::SlaPolicy;
use crate::schedule::{BusinessCalendar, FollowUpPolicy};

/// Every top-level wire type's schema, by file name (without `.schema.json`), in a
/// fixed order.
///
/// Each schema is self-contained: the types it uses are under `$defs`. Descriptions
/// are the types' documentation without Rust examples.
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
        ("protocol_request", schema::<Request>()),
        ("protocol_response", schema::<Response>()),
    ]
}

/// The schema of what serde reads for `T` (its deserialization contract), with its
/// descriptions made plain.
fn schema<T: JsonSchema>() -> Value {
    let mut schema = SchemaGenerator::new(SchemaSettings::draft2020_12())
        .into_root_schema_for::<T>()
        .to_value();
    plain_descriptions(&mut schema);
    schema
}

/// Descriptions come from the doc comments, which are written for rustdoc: a reader
/// of a schema has no use for Rust examples or for links into Rust paths, so code
/// blocks go and links keep only their text.
fn plain_descriptions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if let (Value::String(text), "description") = (&mut *item, key.as_str()) {
                    *text = plain(text);
                } else {
                    plain_descriptions(item);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(plain_descriptions),
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
    }
}

/// A doc comment without fenced code blocks, with `[text](target)` as `text` and
/// ``[`Name`]`` as `` `Name` ``.
fn plain(doc: &str) -> String {
    let mut prose = String::new();
    let mut in_code = false;
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if !in_code {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    let mut out = String::with_capacity(prose.len());
    let mut rest = prose.as_str();
    while let Some((before, after)) = rest.split_once('[') {
        out.push_str(before);
        match link(after) {
            Some((text, tail)) => {
                out.push_str(text);
                rest = tail;
            }
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out.trim().to_owned()
}

/// After a `[`: the link's text and what follows the link, if it is a rustdoc link
/// (`text](target)` or `` `Name`] ``).
fn link(after: &str) -> Option<(&str, &str)> {
    let (text, tail) = after.split_once(']')?;
    if let Some(target) = tail.strip_prefix('(') {
        let (_, rest) = target.split_once(')')?;
        Some((text, rest))
    } else if text.len() > 2 && text.starts_with('`') && text.ends_with('`') {
        Some((text, tail))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn descriptions_lose_code_and_keep_link_texts() {
        let doc = "See [`Money`] and [the docs](crate::money).\n\n```\nlet x = 1;\n```\n\nA list `[1, 2]` [stays].";
        assert_eq!(
            plain(doc),
            "See `Money` and the docs.\n\nA list `[1, 2]` [stays]."
        );
        assert_eq!(plain("[`a`](x) [b"), "`a` [b");
    }
}
