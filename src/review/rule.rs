//! One rule: the phrases it looks for and what to say about them.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use typed_builder::TypedBuilder;

use super::normalize::normalize;
use super::{Category, ReviewError, Severity};

/// One review rule: phrases to look for, and what to tell the agent when one is found.
///
/// Phrases match case-insensitively, at word boundaries, with any run of whitespace
/// in the message standing for one space in the phrase and curly apostrophes
/// standing for `'`. Where two phrases of the same rule overlap in a message, the
/// leftmost (then longest) one is reported.
///
/// ```
/// use service_recovery::review::{Category, Rule, Severity};
///
/// let rule = Rule::builder()
///     .id("defensive.not-my-desk")
///     .category(Category::Defensive)
///     .severity(Severity::Warning)
///     .phrases(vec!["not my desk".into()])
///     .explanation("It tells the customer their problem is someone else's.")
///     .suggestion("Say who will handle it and when.")
///     .build();
/// assert_eq!(rule.id, "defensive.not-my-desk");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder)]
pub struct Rule {
    /// Stable id, such as `hedged-apology.sorry-if`: non-empty, no whitespace, unique in its set.
    #[builder(setter(into))]
    pub id: String,
    /// The kind of wording.
    pub category: Category,
    /// The severity of a finding, unless [`escalation`](Self::escalation) raises it.
    pub severity: Severity,
    /// The phrases to look for.
    pub phrases: Vec<String>,
    /// Longer phrases that, when they surround a hit, cancel it: `"as soon as"`
    /// keeps `"soon"` from firing in "as soon as it arrives".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[builder(default)]
    pub exceptions: Vec<String>,
    /// When the rule applies at all.
    #[serde(default, skip_serializing_if = "Condition::is_always")]
    #[builder(default)]
    pub condition: Condition,
    /// A higher severity used in some contexts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[builder(default, setter(strip_option))]
    pub escalation: Option<Escalation>,
    /// Why the wording harms the recovery, in plain words for the agent.
    #[builder(setter(into))]
    pub explanation: String,
    /// What to write instead.
    #[builder(setter(into))]
    pub suggestion: String,
}

/// When a [`Rule`] applies. Serialized in snake case (`"always"`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Every hit is a finding.
    #[default]
    Always,
    /// Only when the context knows the customer's name and the message never uses
    /// it (any part of it, such as the first name); then only the first hit is
    /// reported, since the finding is about the message as a whole.
    CustomerNameAbsent,
}

impl Condition {
    fn is_always(&self) -> bool {
        *self == Condition::Always
    }
}

/// Raises a rule's severity in a given context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Escalation {
    /// The context that raises the severity.
    pub when: Trigger,
    /// The severity in that context.
    pub severity: Severity,
}

/// A property of the message's context that can raise a rule's severity.
/// Serialized in snake case (`"date_expected"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// The message is written for a step that promises something by a date,
    /// such as a commitment: see [`ReviewContext`](super::ReviewContext).
    DateExpected,
    /// The message closes the case: see [`ReviewContext`](super::ReviewContext).
    Closing,
}

impl Rule {
    /// The severity of this rule's findings given which triggers are active.
    pub(crate) fn severity_in(&self, date_expected: bool, closing: bool) -> Severity {
        match self.escalation {
            Some(Escalation {
                when: Trigger::DateExpected,
                severity,
            }) if date_expected => severity,
            Some(Escalation {
                when: Trigger::Closing,
                severity,
            }) if closing => severity,
            _ => self.severity,
        }
    }

    /// Checks the id and every phrase and exception of this rule.
    pub fn validate(&self) -> Result<(), ReviewError> {
        if self.id.is_empty() || self.id.chars().any(char::is_whitespace) {
            return Err(ReviewError::InvalidRuleId {
                id: self.id.clone(),
            });
        }
        if self.phrases.is_empty() {
            return Err(ReviewError::NoPhrases {
                rule_id: self.id.clone(),
            });
        }
        let mut seen = HashSet::new();
        for phrase in self.phrases.iter().chain(&self.exceptions) {
            let normalized = self.normalized_phrase(phrase)?;
            if !seen.insert(normalized.clone()) {
                return Err(ReviewError::DuplicatePhrase {
                    rule_id: self.id.clone(),
                    phrase: normalized,
                });
            }
        }
        Ok(())
    }

    /// Normalizes one of this rule's phrases, or says why it is unusable.
    pub(crate) fn normalized_phrase(&self, phrase: &str) -> Result<String, ReviewError> {
        if phrase.is_empty() {
            return Err(ReviewError::EmptyPhrase {
                rule_id: self.id.clone(),
            });
        }
        let normalized = normalize(phrase);
        if normalized.is_empty() {
            return Err(ReviewError::BlankPhrase {
                rule_id: self.id.clone(),
                phrase: phrase.to_owned(),
            });
        }
        if !normalized.chars().any(char::is_alphanumeric) {
            return Err(ReviewError::PhraseWithoutWords {
                rule_id: self.id.clone(),
                phrase: phrase.to_owned(),
            });
        }
        Ok(normalized)
    }
}
