//! What a client asks: one request, tagged by `request`.

use crate::actor::Actor;
use crate::case::Command;
use crate::history::StoredEvent;
use crate::protocol::instant;
use crate::protocol::wire_event::WireEvent;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// One request, tagged by `request`: `{"request":"decide","protocol":1,...}`.
///
/// Every request carries the protocol version it was written for and the name of a
/// policy the host loaded; the case travels as its stored history (`null` or absent
/// when there is no case yet). Unknown fields are refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "request", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Request {
    /// Decide a command against the case: the new events, or why not. Boxed, because
    /// it carries a command and is much larger than the other requests.
    Decide(Box<DecideRequest>),
    /// What may this actor do next on the case, and if not, why not.
    NextActions(NextActionsRequest),
    /// Audit a stored history: its hash chain and every rule, event by event.
    Verify(VerifyRequest),
}

impl Request {
    /// Every `request` tag, in the order of the variants.
    pub const NAMES: &'static [&'static str] = &["decide", "next_actions", "verify"];

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
            Self::Verify(request) => request.protocol,
        }
    }

    /// Its `request` tag: `decide`, `next_actions`, `verify`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Decide(_) => "decide",
            Self::NextActions(_) => "next_actions",
            Self::Verify(_) => "verify",
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

impl From<VerifyRequest> for Request {
    fn from(request: VerifyRequest) -> Self {
        Self::Verify(request)
    }
}

/// `{"request":"decide", ...}`: decide `command`, done by `actor` at `at`, against
/// the case whose stored history is `history`, under the host's policy `policy`.
///
/// `expected_version` is the version the client read the case at (the last sequence
/// number of `history`, 0 for intake); a history of another length is refused with
/// `version_mismatch`, so the events returned are never appended to a history they
/// were not decided against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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

/// `{"request":"verify", ...}`: audit a stored history against the host's policy
/// `policy`: its hash chain, where its events carry links
/// ([`chain`](crate::history::chain)), and every rule [`decide`](crate::decide)
/// enforced, event by event ([`verify`](crate::verify())).
///
/// Nobody acts and nothing changes, so it has no `actor`, `at` or command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    /// The protocol version: [`PROTOCOL_VERSION`](crate::protocol::PROTOCOL_VERSION).
    pub protocol: u32,
    /// The case's stored history, oldest first.
    pub history: Vec<StoredEvent>,
    /// The name of a policy the host loaded.
    pub policy: String,
}

/// Every field any request may have, read in one pass. `Request` is internally tagged,
/// and serde reads such an enum by first copying the whole request (its history
/// included) into a buffer; reading this flat form instead, then checking which fields
/// the named request allows, keeps the JSON path within a few times the Rust one. The
/// history's payloads stay text borrowed from the request ([`WireEvent`]), read once,
/// straight into typed events, when the history is replayed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Envelope<'a> {
    protocol: u32,
    #[serde(borrow)]
    request: Cow<'a, str>,
    #[serde(borrow)]
    history: Option<Vec<WireEvent<'a>>>,
    command: Option<Command>,
    actor: Option<Actor>,
    at: Option<Instant>,
    expected_version: Option<u64>,
    policy: String,
}

/// A time read by [`instant::deserialize`].
struct Instant(DateTime<Utc>);

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        instant::deserialize(deserializer).map(Instant)
    }
}

/// A request of this version, its history in the form `E` it arrived in: borrowed
/// from the request text ([`WireEvent`]) or typed by a Rust host ([`StoredEvent`]).
#[expect(
    clippy::large_enum_variant,
    reason = "a call lives for one request, on the stack; boxing would cost an allocation"
)]
pub(crate) enum Call<E> {
    Decide {
        history: Option<Vec<E>>,
        command: Command,
        actor: Actor,
        at: DateTime<Utc>,
        expected_version: u64,
        policy: String,
    },
    NextActions {
        history: Option<Vec<E>>,
        actor: Actor,
        at: DateTime<Utc>,
        policy: String,
    },
    Verify {
        history: Vec<E>,
        policy: String,
    },
}

impl From<Request> for Call<StoredEvent> {
    fn from(request: Request) -> Self {
        match request {
            Request::Decide(request) => {
                let DecideRequest {
                    protocol: _,
                    history,
                    command,
                    actor,
                    at,
                    expected_version,
                    policy,
                } = *request;
                Call::Decide {
                    history,
                    command,
                    actor,
                    at,
                    expected_version,
                    policy,
                }
            }
            Request::NextActions(NextActionsRequest {
                protocol: _,
                history,
                actor,
                at,
                policy,
            }) => Call::NextActions {
                history,
                actor,
                at,
                policy,
            },
            Request::Verify(VerifyRequest {
                protocol: _,
                history,
                policy,
            }) => Call::Verify { history, policy },
        }
    }
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

impl<'a> Envelope<'a> {
    pub(crate) fn into_call(self, version: u32) -> Result<Call<WireEvent<'a>>, EnvelopeError> {
        use EnvelopeError::{MissingField, UnknownField};
        if self.protocol != version {
            return Err(EnvelopeError::Version(self.protocol));
        }
        match &*self.request {
            "decide" => Ok(Call::Decide {
                history: self.history,
                command: self.command.ok_or(MissingField("command", "decide"))?,
                actor: self.actor.ok_or(MissingField("actor", "decide"))?,
                at: self.at.ok_or(MissingField("at", "decide"))?.0,
                expected_version: self
                    .expected_version
                    .ok_or(MissingField("expected_version", "decide"))?,
                policy: self.policy,
            }),
            "next_actions" => {
                if self.command.is_some() {
                    return Err(UnknownField("command", "next_actions"));
                }
                if self.expected_version.is_some() {
                    return Err(UnknownField("expected_version", "next_actions"));
                }
                Ok(Call::NextActions {
                    history: self.history,
                    actor: self.actor.ok_or(MissingField("actor", "next_actions"))?,
                    at: self.at.ok_or(MissingField("at", "next_actions"))?.0,
                    policy: self.policy,
                })
            }
            "verify" => {
                let refused = [
                    ("command", self.command.is_some()),
                    ("actor", self.actor.is_some()),
                    ("at", self.at.is_some()),
                    ("expected_version", self.expected_version.is_some()),
                ];
                if let Some((field, _)) = refused.into_iter().find(|(_, sent)| *sent) {
                    return Err(UnknownField(field, "verify"));
                }
                Ok(Call::Verify {
                    history: self.history.ok_or(MissingField("history", "verify"))?,
                    policy: self.policy,
                })
            }
            _ => Err(EnvelopeError::UnknownRequest(self.request.into_owned())),
        }
    }
}
