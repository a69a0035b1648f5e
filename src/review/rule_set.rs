//! A language's rules, as data.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::grammar::Grammar;
use super::{ReviewError, Rule};

/// The built-in English rules, as JSON in the same format hosts use.
const ENGLISH: &str = include_str!("rules/en.json");

/// A set of review rules for one language, as data.
///
/// Rule sets (de)serialize as JSON objects with the fields below; the built-in
/// English set, [`RuleSet::english`], is one such file. A host can replace it, or
/// extend it with a [`RuleSetPatch`] of removals and additions.
///
/// ```
/// use service_recovery::review::{RuleSet, RuleSetPatch};
///
/// # fn main() -> Result<(), service_recovery::review::ReviewError> {
/// let mut rules = RuleSet::english()?;
/// let patch: RuleSetPatch = serde_json::from_str(r#"{"remove": ["patronizing.obviously"]}"#)
///     .map_err(|e| service_recovery::review::ReviewError::Malformed { reason: e.to_string() })?;
/// rules.apply(&patch)?;
/// assert!(rules.rule("patronizing.obviously").is_none());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// The language of the phrases, as a tag such as `en` or `fr-CA`.
    pub language: String,
    /// Step ids whose messages must give a date (see
    /// [`ReviewContext`](super::ReviewContext)).
    #[serde(default)]
    pub date_steps: Vec<String>,
    /// Step ids whose messages close a case (see
    /// [`ReviewContext`](super::ReviewContext)).
    #[serde(default)]
    pub closing_steps: Vec<String>,
    /// Named sets of word forms that patterns use as `@name`: inflections,
    /// synonyms, British and American spellings (`"apology": ["sorry", "apologize", …]`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub word_sets: BTreeMap<String, Vec<String>>,
    /// Spelling variants and the spelling rules use (`"apologise": "apologize"`):
    /// a message's variant matches a pattern's spelling.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub spellings: BTreeMap<String, String>,
    /// Whole-word contractions and what they stand for (`"won't": "will not"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub contractions: BTreeMap<String, String>,
    /// Contraction endings and what they stand for (`"n't": "not"`), so that
    /// "isn't" reads as `is not`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub contraction_endings: BTreeMap<String, String>,
    /// The rules, in the order their findings are listed when spans tie.
    pub rules: Vec<Rule>,
}

/// Changes a host makes to a rule set: removals by rule id, then additions.
/// Replacing a rule is removing it and adding the new version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RuleSetPatch {
    /// Ids of rules to remove; each must exist.
    pub remove: Vec<String>,
    /// Rules to add; their ids must not clash with the remaining rules.
    pub add: Vec<Rule>,
    /// Step ids to add to [`RuleSet::date_steps`].
    pub date_steps: Vec<String>,
    /// Step ids to add to [`RuleSet::closing_steps`].
    pub closing_steps: Vec<String>,
}

impl RuleSet {
    /// An empty rule set for `language`.
    pub fn new(language: impl Into<String>) -> Self {
        RuleSet {
            language: language.into(),
            date_steps: Vec::new(),
            closing_steps: Vec::new(),
            word_sets: BTreeMap::new(),
            spellings: BTreeMap::new(),
            contractions: BTreeMap::new(),
            contraction_endings: BTreeMap::new(),
            rules: Vec::new(),
        }
    }

    /// The built-in English rules.
    ///
    /// # Errors
    /// None in practice (a unit test proves the embedded data is valid); the
    /// `Result` keeps a broken build from panicking.
    pub fn english() -> Result<Self, ReviewError> {
        Self::from_json(ENGLISH)
    }

    /// Reads and validates a rule set from JSON.
    ///
    /// # Errors
    /// [`ReviewError::Malformed`] for JSON that does not describe a rule set, or
    /// any validation error (see [`RuleSet::validate`]).
    pub fn from_json(json: &str) -> Result<Self, ReviewError> {
        let set: RuleSet = serde_json::from_str(json).map_err(|e| ReviewError::Malformed {
            reason: e.to_string(),
        })?;
        set.validate()?;
        Ok(set)
    }

    /// Checks the language tag, that rule ids are unique, every rule, and that
    /// every pattern follows the rule grammar.
    ///
    /// # Errors
    /// The first problem found, such as [`ReviewError::DuplicateRuleId`] or
    /// [`ReviewError::EmptyPhrase`].
    pub fn validate(&self) -> Result<(), ReviewError> {
        let tag_ok = !self.language.is_empty()
            && self
                .language
                .split('-')
                .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()));
        if !tag_ok {
            return Err(ReviewError::InvalidLanguage {
                language: self.language.clone(),
            });
        }
        let mut ids = HashSet::new();
        for rule in &self.rules {
            rule.validate()?;
            if !ids.insert(rule.id.as_str()) {
                return Err(ReviewError::DuplicateRuleId {
                    id: rule.id.clone(),
                });
            }
        }
        Grammar::compile(self).map(|_| ())
    }

    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Adds a rule after checking it and that its id is new.
    ///
    /// # Errors
    /// [`ReviewError::DuplicateRuleId`], or the rule's own problem.
    pub fn add(&mut self, rule: Rule) -> Result<(), ReviewError> {
        rule.validate()?;
        if self.rule(&rule.id).is_some() {
            return Err(ReviewError::DuplicateRuleId { id: rule.id });
        }
        self.rules.push(rule);
        if let Err(e) = Grammar::compile(self) {
            self.rules.pop();
            return Err(e);
        }
        Ok(())
    }

    /// Removes and returns the rule with this id.
    ///
    /// # Errors
    /// [`ReviewError::UnknownRuleId`] if there is none.
    pub fn remove(&mut self, id: &str) -> Result<Rule, ReviewError> {
        let index = self
            .rules
            .iter()
            .position(|r| r.id == id)
            .ok_or_else(|| ReviewError::UnknownRuleId { id: id.to_owned() })?;
        Ok(self.rules.remove(index))
    }

    /// Applies a host's changes: all of them, or (on error) none.
    ///
    /// # Errors
    /// The first removal or addition that fails; the set is then unchanged.
    pub fn apply(&mut self, patch: &RuleSetPatch) -> Result<(), ReviewError> {
        let mut next = self.clone();
        for id in &patch.remove {
            next.remove(id)?;
        }
        for rule in &patch.add {
            next.add(rule.clone())?;
        }
        for step in &patch.date_steps {
            if !next.date_steps.contains(step) {
                next.date_steps.push(step.clone());
            }
        }
        for step in &patch.closing_steps {
            if !next.closing_steps.contains(step) {
                next.closing_steps.push(step.clone());
            }
        }
        *self = next;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_english_parses_and_validates() {
        let set = RuleSet::english().map_err(|e| e.to_string());
        assert!(set.is_ok(), "{set:?}");
        let set = set.unwrap_or_else(|_| RuleSet::new("en"));
        assert_eq!(set.language, "en");
        let patterns: usize = set.rules.iter().map(|r| r.patterns.len()).sum();
        assert!(patterns >= 60, "only {patterns} patterns");
    }

    #[test]
    fn language_tags_are_checked() {
        for bad in ["", "en_GB", "en-", "é"] {
            assert_eq!(
                RuleSet::new(bad).validate(),
                Err(ReviewError::InvalidLanguage {
                    language: bad.into()
                })
            );
        }
        assert_eq!(RuleSet::new("fr-CA").validate(), Ok(()));
    }
}
