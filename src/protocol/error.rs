//! Why a request could not be handled at all: the protocol's own error codes.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The stable code of a [`ProtocolError`]. A code never changes once published; a
/// new kind of error adds a code (an additive change: see the versioning rule in the
/// [module docs](crate::protocol)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// The text is not JSON, or not a JSON object.
    MalformedJson,
    /// The `protocol` field is missing, or names a version this crate does not speak.
    UnknownProtocolVersion,
    /// The `request` field is missing, or names no request of this version.
    UnknownRequest,
    /// A field the protocol does not define, anywhere in the request (a misspelling).
    UnknownField,
    /// A field is missing or has the wrong type or value (a time that is not RFC 3339,
    /// an unknown command, a blank identifier).
    InvalidRequest,
    /// The history does not decode or replay: an unknown event, a gap in the
    /// sequence numbers, events of two cases, a history that does not start with the
    /// opening.
    InvalidHistory,
    /// The request names a policy the host did not load.
    UnknownPolicy,
    /// `expected_version` is not the version of the history sent.
    VersionMismatch,
    /// The crate could not write its answer. Not expected; report it.
    Internal,
}

impl ErrorCode {
    /// Every code, in the order of the variants.
    pub const ALL: &'static [ErrorCode] = &[
        Self::MalformedJson,
        Self::UnknownProtocolVersion,
        Self::UnknownRequest,
        Self::UnknownField,
        Self::InvalidRequest,
        Self::InvalidHistory,
        Self::UnknownPolicy,
        Self::VersionMismatch,
        Self::Internal,
    ];

    /// The code as it appears in JSON: `malformed_json`.
    ///
    /// ```
    /// use service_recovery::protocol::ErrorCode;
    ///
    /// assert_eq!(ErrorCode::VersionMismatch.as_str(), "version_mismatch");
    /// assert_eq!(ErrorCode::VersionMismatch.to_string(), "version_mismatch");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MalformedJson => "malformed_json",
            Self::UnknownProtocolVersion => "unknown_protocol_version",
            Self::UnknownRequest => "unknown_request",
            Self::UnknownField => "unknown_field",
            Self::InvalidRequest => "invalid_request",
            Self::InvalidHistory => "invalid_history",
            Self::UnknownPolicy => "unknown_policy",
            Self::VersionMismatch => "version_mismatch",
            Self::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a request could not be handled: a stable [`ErrorCode`] and a sentence for the
/// developer of the client (its wording may change between versions of the crate;
/// match on the code).
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema, thiserror::Error,
)]
#[serde(deny_unknown_fields)]
#[error("{code}: {message}")]
pub struct ProtocolError {
    /// What kind of problem.
    pub code: ErrorCode,
    /// What exactly, in words.
    pub message: String,
}

impl ProtocolError {
    /// An error with `code` and `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}
