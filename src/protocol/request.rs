//! What a client asks: one request, tagged by `request`.

use crate::actor::Actor;
use crate::case::Command;
use crate::history::StoredEvent;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One request, tagged by `request`: `{"request":"decide","protocol":1,...}`.
///
/// Every request carries the protocol version it was written for and the name of a
/// policy the host loaded; the case travels as its stored history (`null` or absent
/// when there is no case yet). Unknown fields are refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Request {
    /// Decide a command against the case: the new events, or why not.
    Decide(DecideRequest),
    /// What may this actor do next on the case, and if not, why not.
    NextActions(NextActionsRequest),
}

impl Request {
    /// Every `request` tag, in the order of the variants.
    pub const NAMES: &'static [&'static str] = &["decide", "next_actions"];

    /// The protocol version the request was written for.
    ///
    /// ```
    /// use service_recovery::protocol::Request;
    ///
    /// let text = r#"{"request":"next_actions","protocol":1,"history":null,
    ///   "actor":{"id":"agent-7","name":"Dana"},"at":"2026-03-02T14:00:00Z","policy":"standard"}"#;
    /// let request: Request = serde_json::from_str(text).unwrap();
    /// assert_eq!(request.protocol(), 1);
    /// assert_eq!(request.name(), "next_actions");
    /// ```
    pub fn protocol(&self) -> u32 {
        match self {
            Self::Decide(request) => request.protocol,
            Self::NextActions(request) => request.protocol,
        }
    }

    /// Its `request` tag: `decide`, `next_actions`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Decide(_) => "decide",
            Self::NextActions(_) => "next_actions",
        }
    }
}

/// `{"request":"decide", ...}`: decide `command`, done by `actor` at `at`, against
/// the case whose stored history is `history`, under the host's policy `policy`.
///
/// `expected_version` is the version the client read the case at (the last sequence
/// number of `history`, 0 for intake); a history of another length is refused with
/// `version_mismatch`, so the events returned are never appended to a history they
/// were not decided against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecideRequest {
    /// The protocol version: [`PROTOCOL_VERSION`](crate::protocol::PROTOCOL_VERSION).
    pub protocol: u32,
    /// The case's stored history, oldest first; `None` (JSON `null`) for intake.
    pub history: Option<Vec<StoredEvent>>,
    /// The command.
    pub command: Command,
    /// Who acts. The host fills this in from its own directory, never from what a
    /// client sent: see the trust note in the [module docs](crate::protocol).
    pub actor: Actor,
    /// The time of the command, from the host's clock.
    pub at: DateTime<Utc>,
    /// The case's version the command was decided against: 0 for intake.
    pub expected_version: u64,
    /// The name of a policy the host loaded into its [`Protocol`](crate::protocol::Protocol).
    pub policy: String,
}

/// `{"request":"next_actions", ...}`: every intent that could apply to the case now,
/// each with the rejection that would refuse it (the buttons a screen enables).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NextActionsRequest {
    /// The protocol version: [`PROTOCOL_VERSION`](crate::protocol::PROTOCOL_VERSION).
    pub protocol: u32,
    /// The case's stored history, oldest first; `None` (JSON `null`) for no case yet.
    pub history: Option<Vec<StoredEvent>>,
    /// Who would act; filled in by the host, as for [`DecideRequest::actor`].
    pub actor: Actor,
    /// Now, from the host's clock.
    pub at: DateTime<Utc>,
    /// The name of a policy the host loaded.
    pub policy: String,
}
