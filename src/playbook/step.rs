//! The steps of a recovery and the rules a playbook sets for each.

use crate::review::FindingSeverity;
use serde::{Deserialize, Serialize};
use std::fmt;
use typed_builder::TypedBuilder;

/// One step of the recovery practice. Each command that moves a recovery forward
/// belongs to exactly one step; commands that only keep records (a note, a change of
/// channel or owner) belong to none.
///
/// Serialized in snake case: `"thank"`, `"record_goal"`, `"final_thanks"`.
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
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// Thank the customer for raising the problem.
    Thank,
    /// Apologize, sincerely and without qualification.
    Apologize,
    /// Ask background, probing and confirming questions, and record the answers.
    Clarify,
    /// Record what the customer wants to achieve.
    RecordGoal,
    /// Explain what happened, without excuses.
    Explain,
    /// Offer a resolution option to the customer.
    OfferOption,
    /// Agree with the customer on a specific action.
    Agree,
    /// Carry out an agreed action.
    Act,
    /// A goodwill gesture beyond the fix.
    Goodwill,
    /// Thank the customer again, by name, before closing.
    FinalThanks,
    /// Close the case with its root cause.
    Close,
}

impl StepKind {
    /// Every step, in the order of the practice.
    pub const ALL: [StepKind; 11] = [
        StepKind::Thank,
        StepKind::Apologize,
        StepKind::Clarify,
        StepKind::RecordGoal,
        StepKind::Explain,
        StepKind::OfferOption,
        StepKind::Agree,
        StepKind::Act,
        StepKind::Goodwill,
        StepKind::FinalThanks,
        StepKind::Close,
    ];

    /// The number of distinct steps.
    pub const COUNT: usize = Self::ALL.len();

    /// A dense index, used for table lookups.
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The step's stable name, as in its JSON form: `"record_goal"`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Thank => "thank",
            Self::Apologize => "apologize",
            Self::Clarify => "clarify",
            Self::RecordGoal => "record_goal",
            Self::Explain => "explain",
            Self::OfferOption => "offer_option",
            Self::Agree => "agree",
            Self::Act => "act",
            Self::Goodwill => "goodwill",
            Self::FinalThanks => "final_thanks",
            Self::Close => "close",
        }
    }

    /// The step's name in plain words, as an agent would read it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Thank => "thank the customer",
            Self::Apologize => "apologize",
            Self::Clarify => "ask a question",
            Self::RecordGoal => "record the customer's goal",
            Self::Explain => "explain what happened",
            Self::OfferOption => "offer an option",
            Self::Agree => "agree on an action",
            Self::Act => "carry out an agreed action",
            Self::Goodwill => "make a goodwill gesture",
            Self::FinalThanks => "give final thanks",
            Self::Close => "close the case",
        }
    }
}

impl fmt::Display for StepKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// What a playbook says about one step: whether it is required before closing,
/// whether it may happen more than once, and which steps must come before it.
///
/// ```
/// use service_recovery::playbook::{StepKind, StepRule};
///
/// let explain = StepRule::builder()
///     .step(StepKind::Explain)
///     .required(true)
///     .after(vec![StepKind::Thank, StepKind::Apologize])
///     .build();
/// assert!(explain.after.contains(&StepKind::Apologize));
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct StepRule {
    /// The step this rule is about.
    pub step: StepKind,
    /// Whether the case may not close until this step has happened.
    #[builder(default)]
    #[serde(default)]
    pub required: bool,
    /// Whether the step may happen more than once in a round of recovery.
    #[builder(default)]
    #[serde(default)]
    pub repeatable: bool,
    /// Steps that must each have happened at least once before this one.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<StepKind>,
    /// Review the words of this step before recording it: a finding of this severity
    /// or worse rejects the command with the findings (see [`crate::review`]).
    /// `None` (the default) records the words as they are.
    #[builder(default, setter(strip_option))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<FindingSeverity>,
}
