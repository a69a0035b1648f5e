//! Why a rule set cannot be used.

use serde::{Deserialize, Serialize};

/// Why a [`RuleSet`](super::RuleSet) cannot be used, or a change to it cannot be made.
///
/// These are problems in the host's configuration data, found once when a
/// [`Reviewer`](super::Reviewer) is built, never while reviewing a message.
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case", tag = "error")]
#[non_exhaustive]
pub enum ReviewError {
    /// The language tag is empty or is not made of letters, digits and hyphens.
    #[error("the rule set's language tag {language:?} is not a tag such as \"en\" or \"fr-CA\"")]
    InvalidLanguage {
        /// The offending tag.
        language: String,
    },
    /// A rule id is empty or contains whitespace.
    #[error(
        "the rule id {id:?} cannot be used: a rule id must be non-empty and contain no whitespace"
    )]
    InvalidRuleId {
        /// The offending id.
        id: String,
    },
    /// Two rules have the same id.
    #[error("two rules share the id `{id}`; each rule needs its own id")]
    DuplicateRuleId {
        /// The id used twice.
        id: String,
    },
    /// A rule has no phrases at all.
    #[error("the rule `{rule_id}` has no phrases, so it could never find anything")]
    NoPhrases {
        /// The rule's id.
        rule_id: String,
    },
    /// A phrase (or exception) is the empty string.
    #[error("the rule `{rule_id}` has an empty phrase")]
    EmptyPhrase {
        /// The rule's id.
        rule_id: String,
    },
    /// A phrase (or exception) is only whitespace, so it normalizes to nothing.
    #[error(
        "the phrase {phrase:?} of rule `{rule_id}` normalizes to nothing: it is only whitespace"
    )]
    BlankPhrase {
        /// The rule's id.
        rule_id: String,
        /// The phrase as written.
        phrase: String,
    },
    /// A phrase (or exception) has no letter or digit, so it cannot start or end at a word.
    #[error("the phrase {phrase:?} of rule `{rule_id}` contains no letter or digit")]
    PhraseWithoutWords {
        /// The rule's id.
        rule_id: String,
        /// The phrase as written.
        phrase: String,
    },
    /// A rule lists the same phrase twice, once normalized.
    #[error(
        "the rule `{rule_id}` lists the phrase {phrase:?} more than once (ignoring case, apostrophes and spacing)"
    )]
    DuplicatePhrase {
        /// The rule's id.
        rule_id: String,
        /// The repeated phrase, normalized.
        phrase: String,
    },
    /// A pattern, exception or condition test does not follow the rule grammar.
    #[error("the pattern {pattern:?} of rule `{rule_id}` cannot be used: {reason}")]
    InvalidPattern {
        /// The rule's id.
        rule_id: String,
        /// The pattern as written.
        pattern: String,
        /// What is wrong with it, in plain words.
        reason: String,
    },
    /// An entry of the rule set's word lists (word sets, spellings, contractions)
    /// is not usable.
    #[error("the entry {entry:?} in the rule set's {list} cannot be used: {reason}")]
    InvalidWordEntry {
        /// Which list: `word set @name`, `spellings`, `contractions` or `contraction endings`.
        list: String,
        /// The entry as written.
        entry: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A removal names a rule that is not in the set.
    #[error("no rule with the id `{id}` exists, so it cannot be removed")]
    UnknownRuleId {
        /// The id asked for.
        id: String,
    },
    /// The rule set's data could not be read (for example, malformed JSON).
    #[error("the rule set could not be read: {reason}")]
    Malformed {
        /// What the reader reported.
        reason: String,
    },
    /// The phrases could not be compiled into a matcher (for example, too many of
    /// them). No longer returned: the reviewer finds its patterns' anchor words
    /// among the tokens it reads and builds no automaton; the variant stays so
    /// that code matching on it still compiles.
    #[error("the rule set's phrases could not be compiled: {reason}")]
    Compile {
        /// What the compiler reported.
        reason: String,
    },
}
