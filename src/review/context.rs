//! What the reviewer knows about the message beyond its text.

use serde::{Deserialize, Serialize};
use typed_builder::TypedBuilder;

/// What the reviewer knows about a message beyond its text. Everything is optional;
/// `ReviewContext::default()` reviews the text alone.
///
/// Context changes findings in three ways:
///
/// - **Dates.** Vague timing ("soon") is a warning; it becomes an error when a date
///   is expected: when [`expects_date`](Self::expects_date) is set, or when
///   [`step`](Self::step) is one of the rule set's
///   [`date_steps`](super::RuleSet::date_steps) (built in: `commitment`,
///   `progress-update`, `follow-up`).
/// - **Closing and the customer's name.** Thanks that never use the known
///   [`customer_name`](Self::customer_name) are reported as info, and as a warning
///   when the message closes the case: when [`closing`](Self::closing) is set, or
///   [`step`](Self::step) is one of the rule set's
///   [`closing_steps`](super::RuleSet::closing_steps) (built in: `close`, `closing`).
/// - **Quotes.** Wording inside quotes on one line (`"…"`, `“…”`, `'…'`, `‘…’`,
///   `«…»`, `‹…›`; an apostrophe inside a word is no quote) and on lines
///   starting with `>` is the customer's own and is not reported, unless
///   [`include_quoted`](Self::include_quoted) is set.
///
/// ```
/// use service_recovery::review::ReviewContext;
///
/// let context = ReviewContext::builder()
///     .customer_name("Zoë Martin")
///     .step("commitment")
///     .build();
/// assert_eq!(context.step.as_deref(), Some("commitment"));
/// ```
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    TypedBuilder,
    schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct ReviewContext {
    /// The customer's name as the agent should use it; any one of its words
    /// (such as the first name) found in the message counts as using it.
    #[builder(default, setter(strip_option, into))]
    pub customer_name: Option<String>,
    /// The id of the playbook step the message is written for.
    #[builder(default, setter(strip_option, into))]
    pub step: Option<String>,
    /// The message must give a date (whatever the step).
    #[builder(default)]
    pub expects_date: bool,
    /// The message closes the case (whatever the step).
    #[builder(default)]
    pub closing: bool,
    /// Review quoted text too.
    #[builder(default)]
    pub include_quoted: bool,
}
