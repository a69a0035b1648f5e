//! Identifiers: the host's own strings, wrapped so that a case id can never be
//! passed where an actor id is expected.

/// Declares a string identifier newtype: shared, cheap to clone, a plain JSON string.
macro_rules! identifier {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Serialized as a plain JSON string. Cloning is cheap (a shared string), because
        /// identifiers are copied into every event and every index of a case.
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[derive(schemars::JsonSchema)]
        #[serde(transparent)]
        pub struct $name(std::sync::Arc<str>);

        impl $name {
            /// Wraps the host's identifier.
            pub fn new(id: impl AsRef<str>) -> Self {
                Self(std::sync::Arc::from(id.as_ref()))
            }

            /// The identifier as the host gave it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(std::sync::Arc::from(id))
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(std::sync::Arc::from(id))
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

pub(crate) use identifier;

identifier!(
    /// Identifies one recovery case.
    CaseId
);
identifier!(
    /// Identifies a customer in the host's system.
    CustomerId
);
identifier!(
    /// Identifies a person (or system) acting on a case: an agent, a supervisor, a bot.
    ActorId
);
identifier!(
    /// Identifies one resolution option within a case.
    OptionId
);
identifier!(
    /// Identifies one question asked within a case.
    QuestionId
);
identifier!(
    /// Identifies one agreed action within a case.
    ActionId
);
identifier!(
    /// Identifies one promise made to the customer within a case.
    CommitmentId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_serialize_as_plain_strings() {
        let id = CaseId::new("case-17");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"case-17\"");
        let back: CaseId = serde_json::from_str("\"case-17\"").unwrap();
        assert_eq!(back, id);
        assert_eq!(id.to_string(), "case-17");
        assert_eq!(id.as_str(), "case-17");
    }
}
