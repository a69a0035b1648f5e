use serde::{Deserialize, Serialize};

/// A role such as `agent` or `manager`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Role(String);

impl Role {
    /// Wraps a role name.
    pub fn new(name: impl Into<String>) -> Self {
        Self(name.into())
    }
}

/// What an actor may offer alone and approve.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorityLimits {}
