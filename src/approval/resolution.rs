use crate::money::Money;
use serde::{Deserialize, Serialize};
use typed_builder::TypedBuilder;

/// A written policy that an option may waive.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PolicyRef(String);

/// What kind of resolution an option is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResolutionKind {
    /// A full refund.
    Refund,
    /// Goodwill.
    Goodwill,
}

/// A resolution option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder)]
pub struct ResolutionOption {
    /// The kind.
    pub kind: ResolutionKind,
    /// The amount.
    #[builder(default)]
    pub amount: Option<Money>,
    /// The waived policies.
    #[builder(default)]
    pub waives: Vec<PolicyRef>,
    /// A description.
    #[builder(setter(into))]
    pub description: String,
}
