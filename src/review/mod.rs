//! Language review of agents' messages: hedged apologies, policy-manual voice,
//! defensive, argumentative and patronizing wording, vague timing, and thanks
//! that forget the customer's name.
//!
//! A [`Reviewer`] compiles a [`RuleSet`] once and then reviews messages in a
//! single pass, returning a [`Review`]: explainable [`Finding`]s, each with its
//! rule id, [`Category`], [`Severity`], byte [`Span`] into the original message,
//! a plain explanation and a suggested alternative.
//!
//! ```
//! use service_recovery::review::{ReviewContext, Reviewer, Severity};
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
//! assert_eq!(review.findings[1].severity, Severity::Error); // a date was expected
//! assert!(reviewer.review("Zoë, your refund arrives on 3 June.", &context).is_clean());
//! # Ok(())
//! # }
//! ```
//!
//! # Matching
//!
//! Phrases match case-insensitively (Unicode lowercase), only at word boundaries
//! ("soon" never matches in "soonest", nor "zoe" in "Zoë"), with curly
//! apostrophes read as `'` and any run of whitespace as one space; see
//! [`normalize`]. Wording inside quotes is the customer's and is skipped by
//! default; see [`ReviewContext`].
//!
//! # Rule sets are data
//!
//! [`RuleSet::english`] is a JSON file compiled into the crate. A host can load
//! its own sets (any language, [`RuleSet::from_json`]) or change the built-in one
//! with a [`RuleSetPatch`] of removals and additions. Invalid sets are reported
//! as a [`ReviewError`] when the reviewer is built, never while reviewing.
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
pub use severity::Severity;
