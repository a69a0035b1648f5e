//! Everything a host configures that [`decide`](crate::decide) consults.

use crate::playbook::Playbook;
use crate::schedule::FollowUpPolicy;
use serde::{Deserialize, Serialize};
use typed_builder::TypedBuilder;

/// The host's configuration for deciding commands: the playbook and the follow-ups.
///
/// Further rules (approvals, response targets, language review) join this struct as
/// fields with defaults, so a host that builds it with the builder keeps compiling.
///
/// ```
/// use service_recovery::{Policy, playbook::Playbook};
///
/// let policy = Policy::builder().playbook(Playbook::standard()).build();
/// assert_eq!(policy.playbook.name(), "standard service recovery");
/// assert_eq!(Policy::default(), policy);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TypedBuilder)]
pub struct Policy {
    /// The steps, their order and which are required.
    #[builder(default)]
    #[serde(default)]
    pub playbook: Playbook,
    /// Response targets, commitments, reminders and surveys; see [`FollowUpPolicy`]
    /// for the defaults.
    #[builder(default)]
    #[serde(default)]
    pub follow_up: FollowUpPolicy,
}
