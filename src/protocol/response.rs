//! What the crate answers: one response, tagged by `outcome`.

use crate::case::{Intent, Rejection, RejectionCategory};
use crate::history::StoredEvent;
use crate::next_action::NextAction;
use crate::protocol::PROTOCOL_VERSION;
use crate::protocol::error::ProtocolError;
use crate::protocol::verification::{Verified, Violated};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One response, tagged by `outcome`: `accepted`, `rejected`, `next_actions`,
/// `verified`, `violated` or `error`. Every response carries the protocol version it is written in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "outcome", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Response {
    /// The command was accepted: append these events to the case's history.
    Accepted(Accepted),
    /// The command was refused by a rule of the practice; nothing changes.
    Rejected(Rejected),
    /// The answer to a `next_actions` request.
    NextActions(NextActions),
    /// The answer to a `verify` request whose history holds.
    Verified(Verified),
    /// The answer to a `verify` request whose history breaks its chain or a rule.
    Violated(Violated),
    /// The request itself could not be handled: malformed, of another protocol
    /// version, naming an unknown policy, carrying a history that does not replay.
    Error(Failed),
}

impl Response {
    /// Every `outcome` tag, in the order of the variants.
    pub const OUTCOMES: &'static [&'static str] = &[
        "accepted",
        "rejected",
        "next_actions",
        "verified",
        "violated",
        "error",
    ];

    /// An error response in the current protocol version.
    pub fn error(error: ProtocolError) -> Self {
        Self::Error(Failed {
            protocol: PROTOCOL_VERSION,
            error,
        })
    }

    /// Its `outcome` tag.
    pub fn outcome(&self) -> &'static str {
        match self {
            Self::Accepted(_) => "accepted",
            Self::Rejected(_) => "rejected",
            Self::NextActions(_) => "next_actions",
            Self::Verified(_) => "verified",
            Self::Violated(_) => "violated",
            Self::Error(_) => "error",
        }
    }

    /// The protocol version the response is written in.
    pub fn protocol(&self) -> u32 {
        match self {
            Self::Accepted(response) => response.protocol,
            Self::Rejected(response) => response.protocol,
            Self::NextActions(response) => response.protocol,
            Self::Verified(response) => response.protocol,
            Self::Violated(response) => response.protocol,
            Self::Error(response) => response.protocol,
        }
    }
}

/// `{"outcome":"accepted", "events": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Accepted {
    /// The protocol version.
    pub protocol: u32,
    /// The new events in their stored form, numbered after the request's history.
    pub events: Vec<StoredEvent>,
}

/// `{"outcome":"rejected", "rejection": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rejected {
    /// The protocol version.
    pub protocol: u32,
    /// Why.
    pub rejection: RejectionReply,
}

/// `{"outcome":"next_actions", "actions": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NextActions {
    /// The protocol version.
    pub protocol: u32,
    /// Every intent that could apply now, in the order of the practice.
    pub actions: Vec<ActionReply>,
}

/// `{"outcome":"error", "error": {"code": ..., "message": ...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Failed {
    /// The protocol version.
    pub protocol: u32,
    /// What was wrong with the request.
    pub error: ProtocolError,
}

/// A [`Rejection`] on the wire: its stable code, its category, a sentence to show
/// the agent, and its data.
///
/// ```
/// use service_recovery::Rejection;
/// use service_recovery::protocol::RejectionReply;
///
/// let reply = RejectionReply::new(&Rejection::NotWaiting);
/// assert_eq!(reply.code, "not_waiting");
/// assert_eq!(reply.message, "the case is not waiting on anyone, so there is nothing to resume");
/// assert_eq!(reply.details, serde_json::json!({"code": "not_waiting"}));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectionReply {
    /// The stable code, one of [`Rejection::CODES`].
    pub code: String,
    /// The area of the practice that refused.
    pub category: RejectionCategory,
    /// One plain sentence for the agent.
    pub message: String,
    /// The rejection's own JSON form (with its `code` tag), which deserializes back
    /// into a [`Rejection`]: the data for a host that builds its own message.
    pub details: Value,
}

impl RejectionReply {
    /// The wire form of `rejection`.
    pub fn new(rejection: &Rejection) -> Self {
        Self {
            code: rejection.code().to_owned(),
            category: rejection.category(),
            message: message(rejection),
            // A rejection is plain data (strings, numbers, maps with string keys), so
            // this cannot fail; `null` keeps the response well-formed if it ever did.
            details: serde_json::to_value(rejection).unwrap_or(Value::Null),
        }
    }
}

/// The sentence shown for a rejection: the one place a message catalog plugs in.
fn message(rejection: &Rejection) -> String {
    rejection.to_string()
}

/// One entry of a `next_actions` response: an intent, and the rejection that would
/// refuse it now (`null` when it is allowed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionReply {
    /// What would be done: `{"intent":"offer_option","target":"o-1"}`.
    pub intent: Intent,
    /// Why not, or `None` if allowed.
    pub blocked: Option<RejectionReply>,
}

impl From<NextAction> for ActionReply {
    fn from(action: NextAction) -> Self {
        Self {
            blocked: action.blocked.as_ref().map(RejectionReply::new),
            intent: action.intent,
        }
    }
}
