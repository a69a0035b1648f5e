//! Language review of agents' messages: hedged apologies, policy-manual voice,
//! defensive, dismissive, argumentative, patronizing and minimizing wording,
//! honesty markers, sarcasm, vague timing, and thanks that forget the
//! customer's name or are missing at the close.
//!
//! A [`Reviewer`] compiles a [`RuleSet`] once and then reviews messages in a
//! single pass, returning a [`Review`]: explainable [`Finding`]s, each with its
//! rule id, [`Category`], [`FindingSeverity`], byte [`Span`] into the original message,
//! a plain explanation, a suggested alternative and, where the rule has one, a
//! one-click [`Fix`] ([`Review::apply_fixes`]).
//!
//! ```
//! use service_recovery::review::{ReviewContext, Reviewer, FindingSeverity};
//!
//! # fn main() -> Result<(), service_recovery::review::ReviewError> {
//! let reviewer = Reviewer::english()?;
//! let context = ReviewContext::builder()
//!     .customer_name("Zoë Martin")
//!     .step("commitment")
//!     .build();
//! let message = "We apologize for any inconvenience. Your refund will arrive shortly.";
//! let review = reviewer.review(message, &context);
//!
//! assert!(review.has_errors());
//! for finding in &review.findings {
//!     // e.g. "error vague-timing.soon at 60..67 (shortly): Give a specific date…"
//!     let _ = format!(
//!         "{} {} at {}..{} ({}): {}",
//!         finding.severity, finding.rule_id, finding.span.start, finding.span.end,
//!         finding.matched, finding.suggestion,
//!     );
//! }
//! assert_eq!(review.findings[1].matched, "shortly");
//! assert_eq!(review.findings[1].severity, FindingSeverity::Error); // a date was expected
//! assert!(reviewer.review("Zoë, your refund arrives on 3 June.", &context).is_clean());
//! # Ok(())
//! # }
//! ```
//!
//! # Matching
//!
//! Messages are read as words: case is ignored, contractions read as their
//! expansions ("isn't" is `is not`, "you'll" is `you will`), spelling variants as
//! one spelling ("apologise" is `apologize`), and punctuation other than a
//! sentence end is not there at all, so "Sorry – but", "Sorry—but" and
//! "sorry... but" all read `sorry but`. Words match whole ("soon" never matches
//! in "soonest", nor "zoe" in "Zoë"). Nothing is copied: words are byte spans of
//! the message, read in one pass; each word's id points to the patterns
//! anchored on it (on their rarest word), so patterns are tried only near
//! those words, and a message without them is read once. Wording inside
//! quotes (double, single, guillemets) is the customer's and is skipped by
//! default; see [`ReviewContext`].
//!
//! # The rule grammar
//!
//! A rule's [`patterns`](Rule::patterns) are lines of elements separated by spaces:
//!
//! | element        | matches                                                      |
//! |----------------|--------------------------------------------------------------|
//! | `sorry`        | the word, in any of its spellings, or inside a contraction   |
//! | `but\|however` | any one of the words                                         |
//! | `@apology`     | any word of the rule set's [word set](RuleSet::word_sets)    |
//! | `#num`, `*`    | a word with a digit; any word                                |
//! | `...6`         | up to 6 words, within one sentence                           |
//! | `.?`           | an optional sentence end ("Sorry. But")                      |
//! | `^`, `$`       | the start, the end of a sentence                             |
//! | `word?`        | the one-word element, optional                               |
//!
//! A rule can list [`exceptions`](Rule::exceptions) (patterns that cancel a
//! match they overlap in its sentence: "soon after"), conditions on the match's
//! sentence ([`Unless`]: a vague time is fine beside a date, or in past
//! narration), a one-click [`fix`](Rule::fix), and [`Examples`] that
//! [`Reviewer::check_examples`] runs, so no rule ships without proof.
//!
//! ```
//! use service_recovery::review::{ReviewContext, Reviewer};
//!
//! # fn main() -> Result<(), service_recovery::review::ReviewError> {
//! let reviewer = Reviewer::english()?;
//! let none = ReviewContext::default();
//! // Not adjacent, other dashes, contractions: all read as the same wording.
//! assert!(!reviewer.review("Sorry about the delay \u{2013} however, it's policy.", &none).is_clean());
//! assert!(!reviewer.review("The delay isn't our fault.", &none).is_clean());
//! // Exceptions and conditions: past narration, a concrete date nearby.
//! assert!(reviewer.review("Soon after you called we shipped it.", &none).is_clean());
//! assert!(reviewer.review("You asked for it ASAP, so it arrives Monday 9 March.", &none).is_clean());
//! # Ok(())
//! # }
//! ```
//!
//! # Rule sets are data
//!
//! [`RuleSet::english`] is a JSON file compiled into the crate. A host can load
//! its own sets (any language, [`RuleSet::from_json`]) or change the built-in one
//! with a [`RuleSetPatch`] of removals and additions. Invalid sets (including a
//! pattern that breaks the grammar) are reported as a [`ReviewError`] when the
//! set is read or the reviewer is built, never while reviewing.
//!
//! # What this is not
//!
//! Not a grammar checker or a sentiment model: it finds listed wording, explains
//! why it hurts, and suggests better. Its findings are advice for a person.

mod category;
mod context;
mod error;
mod example;
mod finding;
mod fix;
mod grammar;
mod normalize;
mod outcome;
mod pattern;
mod reviewer;
mod rule;
mod rule_set;
mod severity;
mod token;
mod word_table;

pub use category::Category;
pub use context::ReviewContext;
pub use error::ReviewError;
pub use example::{ExampleFailure, Examples};
pub use finding::{Finding, Span};
pub use fix::{Fix, apply_fixes};
pub use normalize::normalize;
pub use outcome::Review;
pub use reviewer::Reviewer;
pub use rule::{Condition, Escalation, Rule, Trigger, Unless};
pub use rule_set::{RuleSet, RuleSetPatch};
pub use severity::FindingSeverity;
