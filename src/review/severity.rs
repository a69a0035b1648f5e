//! How serious a finding is.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How serious a [`Finding`](super::Finding) is, from least to most serious.
///
/// Severities are ordered (`Info < Warning < Error`), so the worst of several
/// findings is their maximum. Serialized as `"info"`, `"warning"` or `"error"`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FindingSeverity {
    /// Worth a second look; the message can go out as it is.
    Info,
    /// Likely to land badly with the customer; rewording is recommended.
    Warning,
    /// Harms the recovery; a host may refuse to send the message as it is.
    Error,
}

impl fmt::Display for FindingSeverity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FindingSeverity::Info => "info",
            FindingSeverity::Warning => "warning",
            FindingSeverity::Error => "error",
        })
    }
}
