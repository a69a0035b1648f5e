//! The result of reviewing one message.

use serde::{Deserialize, Serialize};

use super::fix::{apply_fixes, fixes_of};
use super::{Finding, FindingSeverity};

/// The result of reviewing one message: its findings, in order of position
/// (then by rule order in the rule set).
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// The findings, ordered by span start, then span end, then rule order.
    pub findings: Vec<Finding>,
}

impl Review {
    /// Whether nothing was found.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }

    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.worst_severity() == Some(FindingSeverity::Error)
    }

    /// The most serious severity found, or `None` for a clean message.
    pub fn worst_severity(&self) -> Option<FindingSeverity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    /// The findings of at least the given severity.
    pub fn at_least(&self, severity: FindingSeverity) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.severity >= severity)
    }

    /// The findings.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// `message` (the one reviewed) with every one-click [`Fix`](super::Fix) of
    /// the findings applied, skipping fixes that overlap an earlier one.
    pub fn apply_fixes(&self, message: &str) -> String {
        apply_fixes(message, fixes_of(&self.findings))
    }

    /// The findings, by value.
    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}

impl IntoIterator for Review {
    type Item = Finding;
    type IntoIter = std::vec::IntoIter<Finding>;

    fn into_iter(self) -> Self::IntoIter {
        self.findings.into_iter()
    }
}
