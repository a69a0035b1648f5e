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
    /// Decide a command against the case: the new events, or why not. Boxed, because
    /// it carries a command and is much larger than the other requests.
    Decide(Box<DecideRequest>),
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

impl From<DecideRequest> for Request {
    fn from(request: DecideRequest) -> Self {
        Self::Decide(Box::new(request))
    }
}

impl From<NextActionsRequest> for Request {
    fn from(request: NextActionsRequest) -> Self {
        Self::NextActions(request)
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

/// Every field any request may have, read in one pass. `Request` is internally tagged,
/// and serde reads such an enum by first copying the whole request (its history
/// included) into a buffer; reading this flat form instead, then checking which fields
/// the named request allows, keeps the JSON path within a few times the Rust one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Envelope {
    protocol: u32,
    request: String,
    history: Option<Vec<StoredEvent>>,
    command: Option<Command>,
    actor: Actor,
    at: DateTime<Utc>,
    expected_version: Option<u64>,
    policy: String,
}

/// Why an [`Envelope`] is not a request of this version.
pub(crate) enum EnvelopeError {
    /// The `protocol` it names.
    Version(u32),
    /// The `request` it names.
    UnknownRequest(String),
    /// A field this request does not have.
    UnknownField(&'static str, &'static str),
    /// A field this request needs.
    MissingField(&'static str, &'static str),
}

impl Envelope {
    pub(crate) fn into_request(self, version: u32) -> Result<Request, EnvelopeError> {
        if self.protocol != version {
            return Err(EnvelopeError::Version(self.protocol));
        }
        match self.request.as_str() {
            "decide" => {
                let command = self
                    .command
                    .ok_or(EnvelopeError::MissingField("command", "decide"))?;
                let expected_version = self
                    .expected_version
                    .ok_or(EnvelopeError::MissingField("expected_version", "decide"))?;
                Ok(Request::Decide(Box::new(DecideRequest {
                    protocol: self.protocol,
                    history: self.history,
                    command,
                    actor: self.actor,
                    at: self.at,
                    expected_version,
                    policy: self.policy,
                })))
            }
            "next_actions" => {
                if self.command.is_some() {
                    return Err(EnvelopeError::UnknownField("command", "next_actions"));
                }
                if self.expected_version.is_some() {
                    return Err(EnvelopeError::UnknownField(
                        "expected_version",
                        "next_actions",
                    ));
                }
                Ok(Request::NextActions(NextActionsRequest {
                    protocol: self.protocol,
                    history: self.history,
                    actor: self.actor,
                    at: self.at,
                    policy: self.policy,
                }))
            }
            _ => Err(EnvelopeError::UnknownRequest(self.request)),
        }
    }
}
