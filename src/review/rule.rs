//! One rule: the phrases it looks for and what to say about them.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use typed_builder::TypedBuilder;

use super::normalize::normalize;
use super::{Category, Examples, FindingSeverity, ReviewError};

/// One review rule: token patterns to look for, and what to tell the agent when
/// one is found.
///
/// Patterns use the rule grammar described in the [module docs](super#the-rule-grammar):
/// words, alternatives (`but|however`), word sets (`@apology`), optional words
/// (`very?`), bounded gaps within a sentence (`...6`) and optional sentence breaks
/// (`.?`). Matching ignores case, punctuation other than sentence ends, and the
/// difference between contractions and their expansions and between spelling
/// variants. Where two matches of the same rule overlap, the leftmost (then
/// longest) one is reported.
///
/// ```
/// use service_recovery::review::{Category, Rule, FindingSeverity};
///
/// let rule = Rule::builder()
///     .id("defensive.not-my-desk")
///     .category(Category::Defensive)
///     .severity(FindingSeverity::Warning)
///     .patterns(vec!["not my desk|department".into()])
///     .explanation("It tells the customer their problem is someone else's.")
///     .suggestion("Say who will handle it and when.")
///     .build();
/// assert_eq!(rule.id, "defensive.not-my-desk");
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id, such as `hedged-apology.sorry-if`: non-empty, no whitespace, unique in its set.
    #[builder(setter(into))]
    pub id: String,
    /// The kind of wording.
    pub category: Category,
    /// The severity of a finding, unless [`escalation`](Self::escalation) raises it.
    pub severity: FindingSeverity,
    /// The patterns to look for (`phrases` is accepted as an older name).
    #[serde(alias = "phrases")]
    pub patterns: Vec<String>,
    /// Patterns that cancel a match they overlap: `"soon after"` keeps `"soon"`
    /// from firing in "soon after you called".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[builder(default)]
    pub exceptions: Vec<String>,
    /// Conditions on the match's sentence that cancel it: any one that holds
    /// cancels the match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[builder(default)]
    pub unless: Vec<Unless>,
    /// When the rule applies at all.
    #[serde(default, skip_serializing_if = "Condition::is_always")]
    #[builder(default)]
    pub condition: Condition,
    /// A higher severity used in some contexts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[builder(default, setter(strip_option))]
    pub escalation: Option<Escalation>,
    /// A one-click fix: the text that replaces the match (an empty string deletes
    /// it, with the comma and space after it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[builder(default, setter(strip_option, into))]
    pub fix: Option<String>,
    /// Why the wording harms the recovery, in plain words for the agent.
    #[builder(setter(into))]
    pub explanation: String,
    /// What to write instead.
    #[builder(setter(into))]
    pub suggestion: String,
    /// Messages the rule must flag and must pass: the rule's proof, checked by
    /// [`Reviewer::check_examples`](super::Reviewer::check_examples).
    #[serde(default, skip_serializing_if = "Examples::is_empty")]
    #[builder(default)]
    pub examples: Examples,
}

/// A condition on the sentence of a match that cancels it: it holds when the
/// sentence has a word passing every test of [`sentence_has`](Self::sentence_has)
/// and no word passing any test of [`sentence_lacks`](Self::sentence_lacks).
///
/// Each test is one element of the rule grammar: a word, alternatives
/// (`will|shall`), a word set (`@weekday`), `#num` or `*`.
///
/// ```
/// use service_recovery::review::Unless;
///
/// // A vague time is fine in a sentence that also gives a date or number.
/// let dated: Unless = serde_json::from_str(r#"{"sentence_has": ["@date|#num"]}"#).unwrap();
/// assert_eq!(dated.sentence_has, ["@date|#num"]);
/// assert!(dated.sentence_lacks.is_empty());
/// ```
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Unless {
    /// Tests that must each find a word in the sentence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sentence_has: Vec<String>,
    /// Tests that must find no word in the sentence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sentence_lacks: Vec<String>,
}

/// When a [`Rule`] applies. Serialized in snake case (`"always"`).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Every hit is a finding.
    #[default]
    Always,
    /// Only when the context knows the customer's name and the message never uses
    /// it (any part of it, such as the first name, compared after Unicode NFC
    /// normalization and lowercasing); then only the first hit is reported, since
    /// the finding is about the message as a whole.
    CustomerNameAbsent,
    /// Only when the message closes the case and none of the rule's patterns
    /// occurs: the finding is about what is missing (thanks at the close), and
    /// spans the last sentence.
    AbsentAtClose,
}

impl Condition {
    fn is_always(&self) -> bool {
        *self == Condition::Always
    }
}

/// Raises a rule's severity in a given context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    /// The context that raises the severity.
    pub when: Trigger,
    /// The severity in that context.
    pub severity: FindingSeverity,
}

/// A property of the message's context that can raise a rule's severity.
/// Serialized in snake case (`"date_expected"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
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
    pub(crate) fn severity_in(&self, date_expected: bool, closing: bool) -> FindingSeverity {
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

    /// Checks the id and that every pattern and exception is non-blank and
    /// listed once; the grammar of each is checked when the rule set is compiled
    /// (see [`RuleSet::validate`](super::RuleSet::validate)).
    ///
    /// # Errors
    /// [`ReviewError::InvalidRuleId`], [`ReviewError::NoPhrases`],
    /// [`ReviewError::EmptyPhrase`], [`ReviewError::BlankPhrase`] or
    /// [`ReviewError::DuplicatePhrase`].
    pub fn validate(&self) -> Result<(), ReviewError> {
        if self.id.is_empty() || self.id.chars().any(char::is_whitespace) {
            return Err(ReviewError::InvalidRuleId {
                id: self.id.clone(),
            });
        }
        if self.patterns.is_empty() {
            return Err(ReviewError::NoPhrases {
                rule_id: self.id.clone(),
            });
        }
        let mut seen = HashSet::new();
        for pattern in self.patterns.iter().chain(&self.exceptions) {
            if pattern.is_empty() {
                return Err(ReviewError::EmptyPhrase {
                    rule_id: self.id.clone(),
                });
            }
            let normalized = normalize(pattern);
            if normalized.is_empty() {
                return Err(ReviewError::BlankPhrase {
                    rule_id: self.id.clone(),
                    phrase: pattern.clone(),
                });
            }
            if !seen.insert(normalized.clone()) {
                return Err(ReviewError::DuplicatePhrase {
                    rule_id: self.id.clone(),
                    phrase: normalized,
                });
            }
        }
        Ok(())
    }
}
