//! What kind of wording a rule looks for.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The kind of wording a [`Rule`](super::Rule) looks for.
///
/// Built-in categories serialize in snake case (`"hedged_apology"`); a host's own
/// category serializes as `{"custom": "name"}`.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// An apology that is qualified, hedged or scripted ("sorry if", "sorry, but",
    /// "we apologize for any inconvenience").
    HedgedApology,
    /// Wording from the policy manual ("per our policy", "as stated in our terms").
    PolicyVoice,
    /// Defensive or blaming wording ("you should have", "most customers don't
    /// have this problem", "your bag was misplaced").
    Defensive,
    /// Sending the customer away ("not my department", "you'll have to call the branch").
    Dismissive,
    /// Arguing with the customer ("actually, you're wrong", "as I already said").
    Argumentative,
    /// Talking down to the customer ("calm down", "obviously").
    Patronizing,
    /// Making the problem or the fix sound small ("just", "simply", "no need to
    /// get worked up").
    Minimizing,
    /// Markers that suggest the rest is less than honest ("to be honest", "frankly").
    HonestyMarker,
    /// Sarcasm ("Great, another complaint about…").
    Sarcasm,
    /// A vague time where a date belongs ("soon", "as soon as possible").
    VagueTiming,
    /// Thanks that leave out the customer's name although it is known.
    ImpersonalThanks,
    /// A message that closes the case without thanking the customer at all.
    MissingThanks,
    /// A host's own category.
    Custom(String),
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Category::HedgedApology => "hedged apology",
            Category::PolicyVoice => "policy-manual voice",
            Category::Defensive => "defensive or blaming",
            Category::Dismissive => "dismissive",
            Category::Argumentative => "argumentative",
            Category::Patronizing => "patronizing",
            Category::Minimizing => "minimizing",
            Category::HonestyMarker => "honesty marker",
            Category::Sarcasm => "sarcastic",
            Category::VagueTiming => "vague timing",
            Category::ImpersonalThanks => "impersonal thanks",
            Category::MissingThanks => "no thanks at the close",
            Category::Custom(name) => name,
        })
    }
}
