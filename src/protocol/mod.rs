//! The wire contract: a versioned JSON request and response, so that a help desk in
//! any language can use the crate through one entry point.
//!
//! The host builds one [`Protocol`] at start-up, with the policies it uses loaded
//! once from JSON and given names; every call then passes a request as JSON text to
//! [`Protocol::handle`] and gets a response as JSON text. `handle` never panics: a
//! request that is not JSON, written for another protocol version, misspells a field
//! or carries a history that does not replay gets an `error` response with a stable
//! [`ErrorCode`]. Rust hosts can skip the text with [`Protocol::handle_request`].
//!
//! The requests are `decide` (a command: the new events, or the rejection),
//! `next_actions` (what may this person do now, and if not, why not) and `verify` (an
//! audit of a stored history: its hash chain, then every rule, answered `verified` or
//! `violated`).
//!
//! ```
//! use service_recovery::{Policy, protocol::Protocol};
//!
//! let host = Protocol::new().with_policy("standard", Policy::default());
//! let request = r#"{
//!   "protocol": 1,
//!   "request": "decide",
//!   "history": [
//!     {"case":"case-1","sequence":1,"event_type":"opened","schema_version":2,
//!      "at":"2026-03-02T14:00:00Z","actor":{"id":"agent-7","name":"Dana"},
//!      "payload":{"case":"case-1",
//!        "customer":{"id":"cust-1","name":"Amara Okafor","address_as":"Ms Okafor"},
//!        "channel":{"medium":"email"},"owner":{"id":"agent-7","name":"Dana"},
//!        "complaint":{"summary":"parcel sent to the wrong address"},
//!        "severity":"moderate","priority":"normal"}}
//!   ],
//!   "command": {"command": "explain", "words": "Two labels were swapped."},
//!   "actor": {"id": "agent-7", "name": "Dana"},
//!   "at": "2026-03-02T14:05:00Z",
//!   "expected_version": 1,
//!   "policy": "standard"
//! }"#;
//! let response: serde_json::Value = serde_json::from_str(&host.handle(request)).unwrap();
//! assert_eq!(response["outcome"], "rejected");
//! assert_eq!(response["rejection"]["code"], "step_out_of_order");
//! assert_eq!(
//!     response["rejection"]["message"],
//!     "you cannot explain what happened yet: first thank the customer and apologize"
//! );
//!
//! let typo = request.replace("\"at\"", "\"when\"");
//! let response: serde_json::Value = serde_json::from_str(&host.handle(&typo)).unwrap();
//! assert_eq!(response["error"]["code"], "unknown_field");
//! ```
//!
//! # Versioning
//!
//! Every request and response carries `protocol`, [`PROTOCOL_VERSION`]. A change
//! that an existing client could misread bumps it: a field removed or renamed, a
//! meaning changed, a field made required. Additions that a client written for this
//! version never sends and can ignore do not: a new command, event kind, rejection
//! code, error code or request, a new optional request field. Requests are strict
//! (unknown fields are refused), so a client must not send fields of a newer version.
//!
//! # Trust
//!
//! `actor` carries authority (roles and approval limits), and a delegation inside a
//! grant or denial carries someone else's. The crate believes them. The host's adapter
//! must build both from its own directory of people for the signed-in user, and
//! overwrite whatever a browser or other client sent; the protocol carries the actor
//! only because the adapter fills it in. The same holds for `at` (the host's clock).
//!
//! The repository's `PROTOCOL.md` documents the envelope, every error code and one
//! complete exchange; `tests/fixtures/protocol/` holds conformance fixtures that a
//! wrapper in any language can replay.

mod error;
mod instant;
mod request;
mod response;
mod verification;
mod wire_event;

pub use error::{ErrorCode, ProtocolError};
use request::{Call, Envelope, EnvelopeError};
pub use request::{DecideRequest, NextActionsRequest, Request, VerifyRequest};
pub use response::{
    Accepted, ActionReply, Failed, NextActions, Rejected, RejectionReply, Response,
};
pub use verification::{
    UncheckedCheck, UncheckedReply, Verified, Violated, ViolationCode, ViolationReply,
};
use wire_event::{HistoryEvent, Unread};

use crate::actor::Actor;
use crate::case::{Case, Command, Event};
use crate::history::{StoredEvent, Upcasters, chain};
use crate::id::CaseId;
use crate::next_action::next_actions;
use crate::policy::Policy;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;
use thiserror::Error;

/// The protocol version this crate speaks, in every request and response.
pub const PROTOCOL_VERSION: u32 = 1;

/// The host's side of the protocol: the named policies, loaded once, and the upcasters
/// that read stored histories. Build it at start-up and share it (it is `Send + Sync`).
#[derive(Debug, Clone, Default)]
pub struct Protocol {
    policies: BTreeMap<String, Policy>,
    upcasters: Upcasters,
}

/// Why [`Protocol::with_policies_json`] could not load the policies.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("the policies cannot be loaded: {reason}")]
pub struct PolicyLoadError {
    /// What the JSON reader found.
    pub reason: String,
}

impl Protocol {
    /// A host with no policies and the built-in upcasters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) the policy that requests name `name`.
    #[must_use]
    pub fn with_policy(mut self, name: impl Into<String>, policy: Policy) -> Self {
        self.policies.insert(name.into(), policy);
        self
    }

    /// Adds the policies of a JSON object that maps names to [`Policy`]s:
    /// `{"standard": {}, "airline": {"approvals": ...}}`. Parsed (and every playbook
    /// validated) once, here.
    ///
    /// ```
    /// use service_recovery::protocol::Protocol;
    ///
    /// let host = Protocol::new().with_policies_json(r#"{"standard": {}}"#).unwrap();
    /// assert_eq!(host.policy_names().collect::<Vec<_>>(), ["standard"]);
    /// let refused = Protocol::new().with_policies_json(r#"{"standard": {"playbok": {}}}"#);
    /// assert!(refused.unwrap_err().to_string().starts_with(
    ///     "the policies cannot be loaded: unknown field `playbok`"
    /// ));
    /// ```
    ///
    /// # Errors
    ///
    /// [`PolicyLoadError`] if the text is not such an object or a policy is invalid.
    pub fn with_policies_json(mut self, json: &str) -> Result<Self, PolicyLoadError> {
        let policies: BTreeMap<String, Policy> =
            serde_json::from_str(json).map_err(|e| PolicyLoadError {
                reason: e.to_string(),
            })?;
        self.policies.extend(policies);
        Ok(self)
    }

    /// Reads stored histories with `upcasters` instead of the built-in ones.
    #[must_use]
    pub fn with_upcasters(mut self, upcasters: Upcasters) -> Self {
        self.upcasters = upcasters;
        self
    }

    /// The policy loaded under `name`.
    pub fn policy(&self, name: &str) -> Option<&Policy> {
        self.policies.get(name)
    }

    /// The names of the loaded policies, in order.
    pub fn policy_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.policies.keys().map(String::as_str)
    }

    /// Handles one request given as JSON text and returns the response as JSON text.
    /// Never panics: whatever the text, the answer is a response (see the
    /// [module docs](self)).
    pub fn handle(&self, request_json: &str) -> String {
        let response = match parse(request_json) {
            Ok(call) => {
                let response = self.answer(call);
                // Only a history whose payload is not JSON after all answers this.
                if matches!(&response, Response::Error(failed)
                    if failed.error.code == ErrorCode::MalformedJson)
                {
                    Response::error(not_json(request_json))
                } else {
                    response
                }
            }
            Err(error) => Response::error(error),
        };
        serde_json::to_string(&response).unwrap_or_else(|_| {
            format!(
                r#"{{"outcome":"error","protocol":{PROTOCOL_VERSION},"error":{{"code":"internal","message":"the response could not be written"}}}}"#
            )
        })
    }

    /// Handles one typed request. Takes it by value, so the history is decoded
    /// without a copy.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use service_recovery::protocol::{DecideRequest, Protocol, Request, Response};
    /// use service_recovery::{Policy, testing};
    ///
    /// let host = Protocol::new().with_policy("standard", Policy::default());
    /// let response = host.handle_request(Request::from(DecideRequest {
    ///     protocol: 1,
    ///     history: None,
    ///     command: testing::open_case(),
    ///     actor: testing::dana(),
    ///     at: testing::t0(),
    ///     expected_version: 0,
    ///     policy: "standard".into(),
    /// }));
    /// let Response::Accepted(accepted) = response else { panic!("{response:?}") };
    /// assert_eq!(accepted.events[0].event_type, "opened");
    /// assert_eq!(accepted.events[0].sequence, 1);
    /// ```
    pub fn handle_request(&self, request: Request) -> Response {
        if request.protocol() == PROTOCOL_VERSION {
            self.answer(Call::from(request))
        } else {
            Response::error(unknown_version(&request.protocol().to_string()))
        }
    }

    fn answer<E: HistoryEvent>(&self, call: Call<E>) -> Response {
        let answer = match call {
            Call::Decide {
                history,
                command,
                actor,
                at,
                expected_version,
                policy,
            } => self.decide(history, &command, &actor, at, expected_version, &policy),
            Call::NextActions {
                history,
                actor,
                at,
                policy,
            } => self.next_actions(history, &actor, at, &policy),
            Call::Verify { history, policy } => self.verify(history, &policy),
        };
        answer.unwrap_or_else(Response::error)
    }

    fn decide<E: HistoryEvent>(
        &self,
        history: Option<Vec<E>>,
        command: &Command,
        actor: &Actor,
        at: DateTime<Utc>,
        expected_version: u64,
        policy: &str,
    ) -> Result<Response, ProtocolError> {
        let policy = self.named(policy)?;
        let case = self.replay(history)?;
        let version = case.as_ref().map_or(0, Case::version);
        if version != expected_version {
            return Err(ProtocolError::new(
                ErrorCode::VersionMismatch,
                format!(
                    "the request expects the case at version {expected_version}, \
                     but its history is at version {version}"
                ),
            ));
        }
        let events = match crate::decide(case.as_ref(), command, actor, at, policy) {
            Ok(events) => events,
            Err(rejection) => {
                return Ok(Response::Rejected(Rejected {
                    protocol: PROTOCOL_VERSION,
                    rejection: RejectionReply::new(&rejection),
                }));
            }
        };
        let id = case_id(case.as_ref(), command)?;
        let events = events
            .iter()
            .map(|event| StoredEvent::encode(&id, event))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ProtocolError::new(ErrorCode::Internal, e.to_string()))?;
        Ok(Response::Accepted(Accepted {
            protocol: PROTOCOL_VERSION,
            events,
        }))
    }

    fn next_actions<E: HistoryEvent>(
        &self,
        history: Option<Vec<E>>,
        actor: &Actor,
        at: DateTime<Utc>,
        policy: &str,
    ) -> Result<Response, ProtocolError> {
        let policy = self.named(policy)?;
        let case = self.replay(history)?;
        let actions = next_actions(case.as_ref(), actor, at, policy);
        Ok(Response::NextActions(NextActions {
            protocol: PROTOCOL_VERSION,
            actions: actions.into_iter().map(ActionReply::from).collect(),
        }))
    }

    /// The hash chain first (it works on the stored form, and an event that was
    /// tampered with need not be re-decided), then every rule. An event that does not
    /// decode is an invalid history, as for `decide`; one that decodes but breaks a
    /// rule, even the order of events, is a violation.
    fn verify<E: HistoryEvent>(
        &self,
        history: Vec<E>,
        policy: &str,
    ) -> Result<Response, ProtocolError> {
        let policy = self.named(policy)?;
        let stored: Vec<StoredEvent> = history.into_iter().map(E::into_stored).collect();
        let chain = match chain::verify(&stored) {
            Ok(chain) => chain,
            Err(tampered) => return Ok(violated(ViolationReply::from(&tampered))),
        };
        let events = stored
            .into_iter()
            .map(|stored| {
                let sequence = stored.sequence;
                stored
                    .into_event(&self.upcasters)
                    .map_err(|e| invalid_history(format!("event {sequence} cannot be read: {e}")))
            })
            .collect::<Result<Vec<Event>, _>>()?;
        Ok(match crate::verify(&events, policy) {
            Ok(report) => Response::Verified(Verified::new(PROTOCOL_VERSION, chain, &report)),
            Err(violation) => violated(ViolationReply::from(&violation)),
        })
    }

    fn named(&self, name: &str) -> Result<&Policy, ProtocolError> {
        self.policy(name).ok_or_else(|| {
            let known: Vec<String> = self.policy_names().map(|n| format!("\"{n}\"")).collect();
            ProtocolError::new(
                ErrorCode::UnknownPolicy,
                format!(
                    "this host has no policy \"{name}\"; it has {}",
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
                ),
            )
        })
    }

    /// The case a stored history describes, checked: every event decodes, belongs to
    /// one case, and the events replay in order from the opening.
    fn replay<E: HistoryEvent>(
        &self,
        history: Option<Vec<E>>,
    ) -> Result<Option<Case>, ProtocolError> {
        let Some(history) = history else {
            return Ok(None);
        };
        let filed_under = history.first().map(|event| event.case().clone());
        let mut events = Vec::with_capacity(history.len());
        for stored in history {
            if Some(stored.case()) != filed_under.as_ref() {
                return Err(invalid_history(format!(
                    "event {} belongs to case {}, but the history starts with case {}",
                    stored.sequence(),
                    stored.case(),
                    filed_under.as_ref().map_or("", |id| id.as_str())
                )));
            }
            let sequence = stored.sequence();
            let event = stored
                .into_event(&self.upcasters)
                .map_err(|unread| unreadable(sequence, unread))?;
            events.push(event);
        }
        let case = Case::replay(events).map_err(|e| invalid_history(e.to_string()))?;
        if Some(case.id()) != filed_under.as_ref() {
            return Err(invalid_history(format!(
                "the events are filed under case {}, but they open case {}",
                filed_under.as_ref().map_or("", |id| id.as_str()),
                case.id()
            )));
        }
        Ok(Some(case))
    }
}

/// The case new events belong to: the case's, or for intake the one being opened.
fn case_id(case: Option<&Case>, command: &Command) -> Result<CaseId, ProtocolError> {
    match (case, command) {
        (Some(case), _) => Ok(case.id().clone()),
        (None, Command::Open(open)) => Ok(open.case.clone()),
        // `decide` accepts only an opening without a case, so this is never reached.
        (None, _) => Err(ProtocolError::new(
            ErrorCode::Internal,
            "events were decided without a case and without an opening",
        )),
    }
}

fn violated(violation: ViolationReply) -> Response {
    Response::Violated(Violated {
        protocol: PROTOCOL_VERSION,
        violation,
    })
}

fn unreadable(sequence: u64, unread: Unread) -> ProtocolError {
    match unread {
        Unread::Decode(e) => invalid_history(format!("event {sequence} cannot be read: {e}")),
        // `handle` words it from the whole text, as it words any text that is not JSON.
        Unread::NotJson => ProtocolError::new(ErrorCode::MalformedJson, String::new()),
    }
}

fn invalid_history(message: String) -> ProtocolError {
    ProtocolError::new(ErrorCode::InvalidHistory, message)
}

fn unknown_version(found: &str) -> ProtocolError {
    ProtocolError::new(
        ErrorCode::UnknownProtocolVersion,
        format!(
            "the request is written for protocol version {found}; \
             this host speaks version {PROTOCOL_VERSION}"
        ),
    )
}

/// Reads a request. The typed parse runs first, so a good request is read once; only
/// a failure is read again, as an untyped tree, to say what kind of failure it is.
fn parse(text: &str) -> Result<Call<wire_event::WireEvent<'_>>, ProtocolError> {
    let envelope = serde_json::from_str::<Envelope<'_>>(text).map_err(|e| classify(text, &e))?;
    envelope
        .into_call(PROTOCOL_VERSION)
        .map_err(|error| match error {
            EnvelopeError::Version(found) => unknown_version(&found.to_string()),
            EnvelopeError::UnknownRequest(name) => unknown_request(&format!("\"{name}\"")),
            EnvelopeError::UnknownField(field, request) => ProtocolError::new(
                ErrorCode::UnknownField,
                format!("unknown field `{field}`: a {request} request has no such field"),
            ),
            EnvelopeError::MissingField(field, request) => ProtocolError::new(
                ErrorCode::InvalidRequest,
                format!("missing field `{field}`: a {request} request needs it"),
            ),
        })
}

/// The answer to a request whose text passed for JSON while its history's payloads
/// were skipped, but is not JSON when read in full: what reading it as a tree says.
fn not_json(text: &str) -> ProtocolError {
    let detail = serde_json::from_str::<Value>(text).err().map_or_else(
        || "an event's payload cannot be read".to_owned(),
        |e| e.to_string(),
    );
    ProtocolError::new(
        ErrorCode::MalformedJson,
        format!("the request is not valid JSON: {detail}"),
    )
}

fn unknown_request(found: &str) -> ProtocolError {
    ProtocolError::new(
        ErrorCode::UnknownRequest,
        format!(
            "there is no request {found} in this version; the requests are {}",
            Request::NAMES.join(", ")
        ),
    )
}

/// Why `text` is not a request of this version, in the order a client should fix it:
/// not JSON, another version, an unknown request, then the fields.
fn classify(text: &str, error: &serde_json::Error) -> ProtocolError {
    let fields = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(fields)) => fields,
        Ok(other) => {
            return ProtocolError::new(
                ErrorCode::MalformedJson,
                format!("a request is a JSON object, not {}", json_kind(&other)),
            );
        }
        Err(e) => {
            return ProtocolError::new(
                ErrorCode::MalformedJson,
                format!("the request is not valid JSON: {e}"),
            );
        }
    };
    match fields.get("protocol") {
        Some(Value::Number(n)) if n.as_u64() == Some(u64::from(PROTOCOL_VERSION)) => {}
        Some(other) => return unknown_version(&other.to_string()),
        None => {
            return ProtocolError::new(
                ErrorCode::UnknownProtocolVersion,
                format!(
                    "the request has no \"protocol\" field; this host speaks version {PROTOCOL_VERSION}"
                ),
            );
        }
    }
    match fields.get("request") {
        Some(Value::String(name)) if Request::NAMES.contains(&name.as_str()) => {}
        Some(other) => return unknown_request(&other.to_string()),
        None => {
            return ProtocolError::new(
                ErrorCode::UnknownRequest,
                format!(
                    "the request has no \"request\" field; the requests are {}",
                    Request::NAMES.join(", ")
                ),
            );
        }
    }
    // serde words every refused field "unknown field `name`, expected ...".
    let detail = error.to_string();
    if detail.starts_with("unknown field") {
        ProtocolError::new(ErrorCode::UnknownField, detail)
    } else {
        ProtocolError::new(
            ErrorCode::InvalidRequest,
            format!("a field is missing or has the wrong form: {detail}"),
        )
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
