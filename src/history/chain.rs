//! Hash chains: the tamper evidence of a stored history.
//!
//! Every event a store appends gets a *link*: the lowercase hexadecimal SHA-256 of the
//! previous event's link (nothing, for the first linked event of a case) followed by
//! the [canonical form](canonical_form) of the event. Each link therefore vouches for
//! its own event and, through its predecessor, for every linked event before it: a
//! row edited, inserted, deleted or moved by hand no longer matches its link, or makes
//! the next event's link stop matching. [`verify`] walks a history and names the first
//! event that breaks the chain.
//!
//! # What the link covers
//!
//! The canonical form is the stored envelope ([`StoredEvent`] without its link) as
//! JSON with no white space and every object's keys in byte order, whatever order the
//! JSON library keeps them in. It covers the case, the sequence number, the event
//! type, the schema version, the time (RFC 3339, UTC, `Z`), the actor and the payload,
//! with one exception: **personal data**. Every string at a field that its event kind
//! declares personal ([`EventType::personal_data`](crate::case::EventType::personal_data),
//! the fields of [`RedactionPolicy::standard`]) is replaced by
//! [`RedactionPolicy::DEFAULT_MARKER`] before hashing. That is what lets a privacy
//! request erase the customer's name or an agent's words
//! ([`EventStore::redact`](crate::store::EventStore::redact)) without breaking the
//! chain or changing a single link, so a host that keeps a copy of a case's last link
//! elsewhere can still check the history after the erasure. Personal text carries no
//! authority and no value: amounts, options, approvals, grants, actors and times are
//! all covered. A redaction that erases fields beyond the standard ones (a host's own
//! [`with_field`](RedactionPolicy::with_field)) changes what the links cover, so the
//! store re-links the case from the first event it changed, in the same transaction,
//! and the [`Redaction`](crate::history::Redaction) record says who did it and when.
//!
//! # Histories from before links existed
//!
//! Events stored by earlier versions of this crate have no link. They still load: the
//! chain starts at the first linked event, and [`ChainReport`] says where, so an
//! auditor knows which events the chain does not vouch for. Once a chain has started,
//! every later event must carry a link.
//!
//! # What a chain cannot show
//!
//! The hash is not secret: anyone who can write to the database and run this
//! algorithm can rewrite a history and compute fresh links for it, and removing the
//! last events of a case leaves a shorter chain that is still whole. A host that must
//! detect that keeps each case's [`head`](ChainReport::head) (or a digest of all
//! heads) somewhere the database's writers cannot reach, and compares.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use service_recovery::history::{ChainBreak, StoredEvent, chain};
//! use service_recovery::prelude::{ActorRef, CaseId, Event, EventKind};
//!
//! let note = |sequence, text: &str| {
//!     let event = Event {
//!         sequence,
//!         at: Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap(),
//!         actor: ActorRef::new("agent-7", "Dana"),
//!         kind: EventKind::NoteAdded { text: text.into() },
//!     };
//!     StoredEvent::encode(&CaseId::new("case-1"), &event).unwrap()
//! };
//! let mut history = vec![note(1, "called back"), note(2, "refund sent")];
//! chain::seal(None, &mut history);
//! let report = chain::verify(&history).unwrap();
//! assert_eq!(report.start, Some(1));
//! assert_eq!(report.head, history[1].link);
//!
//! // Someone moves the second event to another time by hand.
//! history[1].at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
//! let tampered = chain::verify(&history).unwrap_err();
//! assert_eq!((tampered.sequence, tampered.reason), (2, ChainBreak::Altered));
//! ```

use crate::history::{RedactionPolicy, StoredEvent};
use crate::id::CaseId;
use chrono::SecondsFormat;
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::sync::OnceLock;
use thiserror::Error;

/// Why a stored event breaks its case's hash chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ChainBreak {
    /// The event does not match its link.
    #[error(
        "it does not match its hash-chain link: it was edited, moved or inserted, or the event before it was removed"
    )]
    Altered,
    /// The event has no link, although an earlier event of the case has one.
    #[error(
        "it has no hash-chain link, although the chain of its case starts at event {start}: it was inserted, or its link was removed"
    )]
    Unlinked {
        /// The first linked event of the case.
        start: u64,
    },
    /// The event does not stand where its sequence number says.
    #[error(
        "it stands where event {expected} should: an event before it was removed, or events were reordered"
    )]
    OutOfSequence {
        /// The sequence number the event in its place must have.
        expected: u64,
    },
}

/// A stored history fails its hash chain: the first event that does.
///
/// ```
/// use service_recovery::history::{ChainBreak, Tampered};
/// use service_recovery::prelude::CaseId;
///
/// let tampered = Tampered { case: CaseId::new("case-1"), sequence: 4, reason: ChainBreak::Altered };
/// assert!(tampered.to_string().starts_with("stored event 4 of case case-1 was tampered with: it does not match"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("stored event {sequence} of case {case} was tampered with: {reason}")]
pub struct Tampered {
    /// The case.
    pub case: CaseId,
    /// The first event that breaks the chain.
    pub sequence: u64,
    /// How it breaks it.
    pub reason: ChainBreak,
}

/// What [`verify`] found in a history whose chain is whole: how much of it the chain
/// covers, and its last link.
///
/// ```
/// use service_recovery::history::ChainReport;
///
/// let old = ChainReport { events: 7, start: Some(5), head: Some("ab12".into()) };
/// assert_eq!(old.unlinked(), 4);
/// assert_eq!(
///     old.to_string(),
///     "7 events; the hash chain starts at event 5, so events 1 to 4 (written before links existed) are not covered"
/// );
/// let none = ChainReport { events: 3, start: None, head: None };
/// assert_eq!(none.to_string(), "3 events, none of them linked: the history was written before links existed");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    /// How many events the history has.
    pub events: u64,
    /// The first event with a link, or `None` if none has one (an empty history, or one
    /// written entirely before links existed). Events before it are not covered.
    pub start: Option<u64>,
    /// The link of the last event: what a host keeps elsewhere to detect a rewritten
    /// or shortened history.
    pub head: Option<String>,
}

impl ChainReport {
    /// How many events, at the start of the history, the chain does not cover.
    pub fn unlinked(&self) -> u64 {
        self.start
            .map_or(self.events, |start| start.saturating_sub(1))
    }
}

impl fmt::Display for ChainReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let events = self.events;
        match self.start {
            None if events == 0 => write!(f, "no events"),
            None => write!(
                f,
                "{events} events, none of them linked: the history was written before links existed"
            ),
            Some(1) => write!(f, "{events} events, all covered by the hash chain"),
            Some(start) => write!(
                f,
                "{events} events; the hash chain starts at event {start}, so events 1 to {} (written before links existed) are not covered",
                start.saturating_sub(1)
            ),
        }
    }
}

/// The personal fields the canonical form masks (those of
/// [`RedactionPolicy::standard`], which every event kind declares), by event type, each
/// as its path's segments.
fn personal_fields(event_type: &str) -> &'static [Vec<String>] {
    static FIELDS: OnceLock<BTreeMap<String, Vec<Vec<String>>>> = OnceLock::new();
    let fields = FIELDS.get_or_init(|| {
        let mut fields: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
        for field in RedactionPolicy::standard().fields {
            let path = field.path.split('.').map(str::to_owned).collect();
            fields.entry(field.event_type).or_default().push(path);
        }
        fields
    });
    fields.get(event_type).map_or(&[], Vec::as_slice)
}

/// The canonical form of `event` that its link covers: the envelope without the link,
/// as JSON with no white space and keys in byte order, with every string at a
/// personal field replaced by [`RedactionPolicy::DEFAULT_MARKER`] (see the [module
/// documentation](self)).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use service_recovery::history::{StoredEvent, chain};
/// use service_recovery::prelude::{ActorRef, CaseId, Event, EventKind};
///
/// let event = Event {
///     sequence: 3,
///     at: Utc.with_ymd_and_hms(2026, 3, 2, 14, 5, 0).unwrap(),
///     actor: ActorRef::new("agent-7", "Dana"),
///     kind: EventKind::Apologized { words: "I am sorry.".into() },
/// };
/// let stored = StoredEvent::encode(&CaseId::new("case-1"), &event).unwrap();
/// assert_eq!(
///     chain::canonical_form(&stored),
///     r#"{"actor":{"id":"agent-7","name":"Dana"},"at":"2026-03-02T14:05:00Z","case":"case-1","event_type":"apologized","payload":{"words":"[redacted]"},"schema_version":2,"sequence":3}"#
/// );
/// ```
pub fn canonical_form(event: &StoredEvent) -> String {
    let mut out = String::with_capacity(256);
    out.push_str("{\"actor\":{\"id\":");
    write_string(&mut out, event.actor.id.as_str());
    out.push_str(",\"name\":");
    write_string(&mut out, &event.actor.name);
    out.push_str("},\"at\":");
    write_string(
        &mut out,
        &event.at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
    );
    out.push_str(",\"case\":");
    write_string(&mut out, event.case.as_str());
    out.push_str(",\"event_type\":");
    write_string(&mut out, &event.event_type);
    out.push_str(",\"payload\":");
    let personal: Vec<&[String]> = personal_fields(&event.event_type)
        .iter()
        .map(Vec::as_slice)
        .collect();
    write_value(&mut out, &event.payload, &personal);
    let _ = write!(
        out,
        ",\"schema_version\":{},\"sequence\":{}}}",
        event.schema_version, event.sequence
    );
    out
}

/// The link of `event` after the link `previous` (`None` for the first linked event
/// of a case): the lowercase hexadecimal SHA-256 of `previous` followed by the
/// [`canonical_form`] of the event. The event's own link is ignored.
pub fn link(previous: Option<&str>, event: &StoredEvent) -> String {
    let mut hasher = Sha256::new();
    if let Some(previous) = previous {
        hasher.update(previous.as_bytes());
    }
    hasher.update(canonical_form(event).as_bytes());
    let digest = hasher.finalize();
    let mut hex = String::with_capacity(64);
    for byte in digest.iter() {
        for nibble in [byte >> 4, byte & 0x0f] {
            // A nibble is always below 16, so this always pushes a (lowercase) digit.
            hex.extend(char::from_digit(u32::from(nibble), 16));
        }
    }
    hex
}

/// Links `events` in order, the first after `previous` (the link of the case's last
/// stored event, or `None`), overwriting any links they had.
pub fn seal(previous: Option<&str>, events: &mut [StoredEvent]) {
    let mut previous = previous.map(str::to_owned);
    for event in events {
        let linked = link(previous.as_deref(), event);
        event.link = Some(linked.clone());
        previous = Some(linked);
    }
}

/// Checks the hash chain of a case's whole history, given in order from event 1, and
/// reports where the chain starts and its last link.
///
/// # Errors
///
/// [`Tampered`] naming the first event that does not stand where its sequence number
/// says, does not match its link, or has no link although an earlier event has one.
pub fn verify(history: &[StoredEvent]) -> Result<ChainReport, Tampered> {
    let mut walk = ChainWalk::default();
    for event in history {
        walk.check(event)?;
    }
    Ok(walk.report())
}

/// [`verify`] one event at a time, so that a store can check each row as it reads it
/// and report the first problem (unreadable or tampered) in the order of the history.
#[derive(Debug, Default)]
pub(crate) struct ChainWalk {
    events: u64,
    start: Option<u64>,
    previous: Option<String>,
}

impl ChainWalk {
    /// Checks the next event of the history.
    pub(crate) fn check(&mut self, event: &StoredEvent) -> Result<(), Tampered> {
        let expected = self.events.saturating_add(1);
        let broken = |reason| Tampered {
            case: event.case.clone(),
            sequence: event.sequence,
            reason,
        };
        if event.sequence != expected {
            return Err(broken(ChainBreak::OutOfSequence { expected }));
        }
        match (&event.link, self.start) {
            (None, None) => {}
            (None, Some(start)) => return Err(broken(ChainBreak::Unlinked { start })),
            (Some(stored), start) => {
                if link(self.previous.as_deref(), event) != *stored {
                    return Err(broken(ChainBreak::Altered));
                }
                self.start = start.or(Some(event.sequence));
                self.previous = Some(stored.clone());
            }
        }
        self.events = expected;
        Ok(())
    }

    pub(crate) fn report(self) -> ChainReport {
        ChainReport {
            events: self.events,
            start: self.start,
            head: self.previous,
        }
    }
}

/// Recomputes the links of the linked events of `history` (whose chain is whole),
/// after a change to what they cover; returns the positions in `history` of the events
/// whose link changed.
pub(crate) fn relink(history: &mut [StoredEvent]) -> Vec<usize> {
    let mut changed = Vec::new();
    let mut previous: Option<String> = None;
    for (index, event) in history.iter_mut().enumerate() {
        let Some(stored) = &event.link else { continue };
        let fresh = link(previous.as_deref(), event);
        if *stored != fresh {
            event.link = Some(fresh.clone());
            changed.push(index);
        }
        previous = Some(fresh);
    }
    changed
}

/// Writes `value` canonically, with every string at one of the `personal` paths
/// (relative to `value`; an empty path is `value` itself) replaced by the marker. It
/// masks exactly what [`RedactionPolicy::redact`] erases, without copying the payload:
/// a path segment that meets an array applies to each element, and a path that ends at
/// an object or an array covers every string inside it.
fn write_value(out: &mut String, value: &Value, personal: &[&[String]]) {
    if personal.iter().any(|path| path.is_empty()) {
        return write_masked(out, value);
    }
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(number) => {
            let _ = write!(out, "{number}");
        }
        Value::String(text) => write_string(out, text),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_value(out, item, personal);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            let mut first = true;
            for_each_sorted(map, |key, item| {
                if !first {
                    out.push(',');
                }
                first = false;
                write_string(out, key);
                out.push(':');
                let below: Vec<&[String]> = personal
                    .iter()
                    .filter_map(|path| match path.split_first() {
                        Some((head, rest)) if head == key => Some(rest),
                        Some(_) | None => None,
                    })
                    .collect();
                write_value(out, item, &below);
            });
            out.push('}');
        }
    }
}

/// Writes `value` canonically with every string in it replaced by the marker.
fn write_masked(out: &mut String, value: &Value) {
    match value {
        Value::String(_) => write_string(out, RedactionPolicy::DEFAULT_MARKER),
        Value::Null | Value::Bool(_) | Value::Number(_) => write_value(out, value, &[]),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_masked(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            let mut first = true;
            for_each_sorted(map, |key, item| {
                if !first {
                    out.push(',');
                }
                first = false;
                write_string(out, key);
                out.push(':');
                write_masked(out, item);
            });
            out.push('}');
        }
    }
}

/// Visits a map's fields in byte order of their keys. Sorted here rather than trusted
/// to the map: with serde_json's `preserve_order` feature (which any crate in a host's
/// build can turn on) maps keep insertion order, and the links would depend on it.
fn for_each_sorted(map: &Map<String, Value>, mut visit: impl FnMut(&String, &Value)) {
    if map.keys().is_sorted() {
        map.iter().for_each(|(key, item)| visit(key, item));
    } else {
        let mut fields: Vec<_> = map.iter().collect();
        fields.sort_unstable_by(|a, b| a.0.cmp(b.0));
        fields.into_iter().for_each(|(key, item)| visit(key, item));
    }
}

/// A JSON string with the minimal escapes: `"`, `\`, and control characters (the
/// short forms where JSON has one, `\u00XX` otherwise). Written here, not borrowed
/// from a JSON library, so that the links never depend on a library's choices.
fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actor::ActorRef;
    use crate::case::{Event, EventKind};
    use chrono::{TimeZone, Utc};
    use serde_json::json;

    fn note(sequence: u64, text: &str) -> StoredEvent {
        let event = Event {
            sequence,
            at: Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap(),
            actor: ActorRef::new("a-7", "Dana"),
            kind: EventKind::NoteAdded { text: text.into() },
        };
        StoredEvent::encode(&CaseId::new("c"), &event).unwrap()
    }

    fn sealed(n: u64) -> Vec<StoredEvent> {
        let mut history: Vec<_> = (1..=n).map(|s| note(s, "called back")).collect();
        seal(None, &mut history);
        history
    }

    fn broken(history: &[StoredEvent]) -> (u64, ChainBreak) {
        let tampered = verify(history).unwrap_err();
        assert_eq!(tampered.case, CaseId::new("c"));
        (tampered.sequence, tampered.reason)
    }

    #[test]
    fn strings_get_the_minimal_json_escapes() {
        for (text, written) in [
            ("a b~", r#""a b~""#),
            ("\"\\", r#""\"\\""#),
            ("\n\r\t\u{08}\u{0c}", r#""\n\r\t\b\f""#),
            ("\u{0}\u{1f}\u{7f}é", "\"\\u0000\\u001f\u{7f}é\""),
        ] {
            let mut out = String::new();
            write_string(&mut out, text);
            assert_eq!(out, written, "{text:?}");
        }
    }

    #[test]
    fn a_link_is_sha_256_of_the_previous_link_and_the_canonical_form() {
        let event = note(1, "called back");
        // The golden value pins the canonical form and the hash: changing either makes
        // every stored chain fail, so it must never change silently.
        assert_eq!(
            canonical_form(&event),
            r#"{"actor":{"id":"a-7","name":"Dana"},"at":"2026-03-02T14:00:00Z","case":"c","event_type":"note_added","payload":{"text":"[redacted]"},"schema_version":2,"sequence":1}"#
        );
        let first = link(None, &event);
        assert_eq!(
            first,
            "2f8276200cfc3a114be860546efb722914c037de58898ea93e40d8d7b31d5825"
        );
        let second = link(Some(&first), &note(2, "x"));
        assert_eq!(second.len(), 64);
        assert!(
            second
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_ne!(second, link(None, &note(2, "x")));
        // The event's own link is not part of what it covers.
        let mut linked = event.clone();
        linked.link = Some("ff".into());
        assert_eq!(link(None, &linked), first);
    }

    #[test]
    fn the_canonical_form_sorts_keys_escapes_and_masks_only_personal_fields() {
        let mut event = note(1, "x");
        event.event_type = "opened".into();
        event.payload = json!({
            "customer": {"name": "Amara \"A\"\n", "id": "k-1"},
            "z": [1, -2.5, true, null, {"b": "\u{1}", "a": "\\"}],
        });
        let form = canonical_form(&event);
        assert!(
            form.contains(r#""payload":{"customer":{"id":"k-1","name":"[redacted]"},"z":[1,-2.5,true,null,{"a":"\\","b":"\u0001"}]}"#),
            "{form}"
        );
        let mut text = note(1, "x");
        text.actor = ActorRef::new("a\"\t\r\u{8}\u{c}", "é");
        assert!(
            canonical_form(&text).starts_with(r#"{"actor":{"id":"a\"\t\r\b\f","name":"é"}"#),
            "{}",
            canonical_form(&text)
        );
    }

    /// The canonical form masks exactly what the standard redaction erases: the form
    /// of a payload equals that of the payload redacted with the default marker.
    #[test]
    fn masking_agrees_with_redaction() {
        let payloads = [
            (
                "opened",
                json!({"customer": {"id": "k", "name": "A", "email": null, "phone": 5}, "complaint": {"details": ["x", {"y": "z"}], "summary": "s"}}),
            ),
            (
                "opened",
                json!({"customer": [{"name": "A"}, {"name": ["B", 1]}, "C"], "complaint": "flat"}),
            ),
            (
                "approval_requested",
                json!({"note": {"b": "x", "a": [true, "y"]}, "resolution": {"description": "d", "amount": {"minor": 1, "currency": "USD"}}, "option": "o"}),
            ),
            (
                "note_added",
                json!({"text": RedactionPolicy::DEFAULT_MARKER, "other": "kept"}),
            ),
            ("option_offered", json!({"option": "o", "text": "kept"})),
            ("unknown_kind", json!({"text": "kept"})),
        ];
        for (event_type, payload) in payloads {
            let mut event = note(1, "x");
            event.event_type = event_type.into();
            event.payload = payload;
            let mut redacted = event.payload.clone();
            let erased = RedactionPolicy::standard().redact(event_type, &mut redacted);
            let mut plain = String::new();
            write_value(&mut plain, &redacted, &[]);
            let form = canonical_form(&event);
            assert!(
                form.contains(&format!(",\"payload\":{plain},")),
                "{event_type}: {form} does not hold {plain} ({erased} erased)"
            );
            assert!(!form.contains("\"A\""), "{form}");
        }
    }

    #[test]
    fn a_whole_chain_verifies_and_reports_its_head() {
        let history = sealed(3);
        assert_eq!(
            verify(&history),
            Ok(ChainReport {
                events: 3,
                start: Some(1),
                head: history[2].link.clone()
            })
        );
        assert_eq!(
            history[1].link,
            Some(link(history[0].link.as_deref(), &history[1]))
        );
        assert_eq!(
            verify(&[]),
            Ok(ChainReport {
                events: 0,
                start: None,
                head: None
            })
        );
    }

    #[test]
    fn every_kind_of_tampering_names_the_first_broken_event() {
        let history = sealed(4);

        let mut edited = history.clone();
        edited[2].payload = json!({"text": "called back", "extra": 1});
        assert_eq!(broken(&edited), (3, ChainBreak::Altered));

        let mut timed = history.clone();
        timed[1].at = Utc.with_ymd_and_hms(2026, 3, 2, 15, 0, 0).unwrap();
        assert_eq!(broken(&timed), (2, ChainBreak::Altered));

        let mut removed = history.clone();
        removed.remove(1);
        assert_eq!(
            broken(&removed),
            (3, ChainBreak::OutOfSequence { expected: 2 })
        );

        // Removed and renumbered: the next event's link no longer follows.
        let mut renumbered = history.clone();
        renumbered.remove(1);
        for (index, event) in renumbered.iter_mut().enumerate() {
            event.sequence = index as u64 + 1;
        }
        assert_eq!(broken(&renumbered), (2, ChainBreak::Altered));

        let mut swapped = history.clone();
        swapped.swap(1, 2);
        swapped[1].sequence = 2;
        swapped[2].sequence = 3;
        assert_eq!(broken(&swapped), (2, ChainBreak::Altered));

        let mut appended = history.clone();
        appended.push(note(5, "forged"));
        assert_eq!(broken(&appended), (5, ChainBreak::Unlinked { start: 1 }));

        let mut relinked = history.clone();
        relinked[3].link = Some(link(None, &relinked[3]));
        assert_eq!(broken(&relinked), (4, ChainBreak::Altered));

        let mut other_case = history;
        other_case[0].case = CaseId::new("d");
        let tampered = verify(&other_case).unwrap_err();
        assert_eq!(
            (tampered.sequence, tampered.reason),
            (1, ChainBreak::Altered)
        );
    }

    #[test]
    fn an_old_history_loads_and_the_chain_starts_at_its_first_link() {
        let mut history: Vec<_> = (1..=5).map(|s| note(s, "old")).collect();
        let report = verify(&history).unwrap();
        assert_eq!(
            (report.start, report.unlinked(), report.head),
            (None, 5, None)
        );
        seal(None, &mut history[3..]);
        let report = verify(&history).unwrap();
        assert_eq!(report.start, Some(4));
        assert_eq!(report.unlinked(), 3);
        assert_eq!(report.head, history[4].link);
        assert_eq!(
            ChainReport {
                events: 0,
                start: None,
                head: None
            }
            .to_string(),
            "no events"
        );
        assert_eq!(
            ChainReport {
                events: 2,
                start: Some(1),
                head: None
            }
            .to_string(),
            "2 events, all covered by the hash chain"
        );
        // The events before the chain are not covered: editing them is not seen.
        history[0].payload = json!({"text": "rewritten"});
        assert!(verify(&history).is_ok());
    }

    #[test]
    fn redaction_with_any_marker_changes_no_link() {
        let mut history = sealed(2);
        let before: Vec<_> = history.iter().map(|e| e.link.clone()).collect();
        let policy = RedactionPolicy::builder().marker("***").build();
        for event in &mut history {
            assert_eq!(policy.redact(&event.event_type, &mut event.payload), 1);
        }
        assert_eq!(history[0].payload, json!({"text": "***"}));
        assert!(verify(&history).is_ok());
        assert!(relink(&mut history).is_empty());
        assert_eq!(
            history.iter().map(|e| e.link.clone()).collect::<Vec<_>>(),
            before
        );
    }

    #[test]
    fn relinking_reseals_from_the_first_changed_event() {
        let mut history = sealed(3);
        history.insert(0, note(0, "unlinked"));
        history
            .iter_mut()
            .enumerate()
            .for_each(|(i, e)| e.sequence = i as u64 + 1);
        seal(None, &mut history[1..]);
        let old = history.clone();
        history[2].actor = ActorRef::new("a-8", "Sam");
        assert_eq!(relink(&mut history), vec![2, 3]);
        assert_eq!(history[0].link, None);
        assert_eq!(history[1].link, old[1].link);
        assert_eq!(verify(&history).unwrap().start, Some(2));
    }

    #[test]
    fn the_texts_say_what_happened() {
        assert_eq!(
            ChainBreak::Unlinked { start: 2 }.to_string(),
            "it has no hash-chain link, although the chain of its case starts at event 2: it was inserted, or its link was removed"
        );
        assert_eq!(
            ChainBreak::OutOfSequence { expected: 3 }.to_string(),
            "it stands where event 3 should: an event before it was removed, or events were reordered"
        );
        assert_eq!(
            Tampered {
                case: CaseId::new("c"),
                sequence: 4,
                reason: ChainBreak::Altered
            }
            .to_string(),
            "stored event 4 of case c was tampered with: it does not match its hash-chain link: it was edited, moved or inserted, or the event before it was removed"
        );
    }
}
