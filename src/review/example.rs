//! A rule's proof: messages it must flag and messages it must pass.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Example messages that prove a rule: it must find something in each of
/// [`flag`](Self::flag) and nothing in any of [`pass`](Self::pass).
///
/// ```
/// use service_recovery::review::Examples;
///
/// let examples = Examples { flag: vec!["Sorry, but no.".into()], pass: vec![] };
/// assert!(!examples.is_empty());
/// assert!(Examples::default().is_empty());
/// ```
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Messages the rule must flag.
    #[serde(default)]
    pub flag: Vec<String>,
    /// Messages the rule must not flag.
    #[serde(default)]
    pub pass: Vec<String>,
}

impl Examples {
    /// Whether there are no examples at all.
    pub fn is_empty(&self) -> bool {
        self.flag.is_empty() && self.pass.is_empty()
    }
}

/// An example that a rule gets wrong, from
/// [`Reviewer::check_examples`](super::Reviewer::check_examples).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExampleFailure {
    /// The rule's id.
    pub rule_id: String,
    /// The example message.
    pub message: String,
    /// Whether the rule should have flagged it (a `flag` example) or not (a `pass` example).
    pub should_flag: bool,
}

impl fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.should_flag {
            write!(
                f,
                "the rule `{}` should flag {:?} but finds nothing in it",
                self.rule_id, self.message
            )
        } else {
            write!(
                f,
                "the rule `{}` flags {:?}, which it lists as a message to pass",
                self.rule_id, self.message
            )
        }
    }
}
