//! One piece of wording found in a message.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Category, FindingSeverity, Fix};

/// A byte range `start..end` into the reviewed message. Both ends lie on
/// character boundaries of that message.
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
#[serde(deny_unknown_fields)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// The span as a range, for slicing with `message.get(span.range())`.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers nothing (never the case for a finding).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One piece of wording found in a message, with what to do about it.
///
/// Serialized with the field names below, so that a rejection in the case
/// workflow can carry findings to the agent's screen:
///
/// ```json
/// {"rule_id": "vague-timing.soon", "category": "vague_timing", "severity": "error",
///  "span": {"start": 22, "end": 26}, "matched": "soon",
///  "explanation": "…", "suggestion": "…"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// The id of the rule that found it.
    pub rule_id: String,
    /// The rule's category.
    pub category: Category,
    /// The severity, after any escalation by the context.
    pub severity: FindingSeverity,
    /// Where the wording is, in bytes of the original message.
    pub span: Span,
    /// The wording exactly as the message has it (the text at `span`).
    pub matched: String,
    /// Why the wording harms the recovery (shared with the rule, and with every
    /// other finding of it; serialized as a string).
    pub explanation: Arc<str>,
    /// What to write instead (shared like [`explanation`](Self::explanation)).
    pub suggestion: Arc<str>,
    /// A one-click fix, where the rule has a direct replacement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}
