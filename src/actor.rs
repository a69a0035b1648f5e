//! The people who act on a case.

use crate::approval::{AuthorityLimits, Role};
use crate::id::ActorId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;
use typed_builder::TypedBuilder;

/// Someone acting on a case, as the host knows them at the moment of the command:
/// an id, a display name, their roles and their authority limits.
///
/// The crate never looks actors up: the host passes the acting person with every
/// command, so an actor's roles are whatever the host says they are *now*.
///
/// ```
/// use service_recovery::{Actor, approval::Role};
///
/// let dana = Actor::builder()
///     .id("agent-7")
///     .name("Dana")
///     .roles([Role::new("agent")].into())
///     .build();
/// assert!(dana.has_role(&Role::new("agent")));
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// The host's identifier for this person.
    #[builder(setter(into))]
    pub id: ActorId,
    /// How to show this person in a timeline. Shared, because it is copied into every
    /// event this person causes.
    #[builder(setter(into))]
    pub name: Arc<str>,
    /// What this person is (agent, supervisor, manager, ...).
    #[builder(default)]
    #[serde(default)]
    pub roles: BTreeSet<Role>,
    /// What this person may offer alone and approve for others.
    #[builder(default)]
    #[serde(default)]
    pub limits: AuthorityLimits,
}

impl Actor {
    /// Whether this actor holds `role`.
    pub fn has_role(&self, role: &Role) -> bool {
        self.roles.contains(role)
    }

    /// The short reference recorded on every event this actor causes.
    pub fn reference(&self) -> ActorRef {
        ActorRef {
            id: self.id.clone(),
            name: self.name.clone(),
        }
    }
}

/// Who did something, as recorded in the history: an id and the name shown at the time.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActorRef {
    /// The host's identifier.
    pub id: ActorId,
    /// The display name at the time of the event.
    pub name: Arc<str>,
}

impl ActorRef {
    /// Builds a reference from an id and a display name.
    pub fn new(id: impl Into<ActorId>, name: impl Into<Arc<str>>) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
        }
    }
}

impl fmt::Display for ActorRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}
