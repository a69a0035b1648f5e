//! Everything a host configures that [`decide`](crate::decide) consults.

use crate::approval::{ApprovalPolicy, CompensationLimits};
use crate::playbook::Playbook;
use crate::review::Reviewer;
use crate::schedule::FollowUpPolicy;
use serde::{Deserialize, Serialize};
use typed_builder::TypedBuilder;

/// The host's configuration for deciding commands: the playbook, the approval
/// policy, the limits on compensation, the follow-ups (response targets, promises,
/// surveys) and the language review.
///
/// Further rules (response targets, language review) join this struct as fields with
/// defaults, so a host that builds it with the builder keeps compiling.
///
/// The defaults: the [standard playbook](Playbook::standard), the
/// [standard approval policy](ApprovalPolicy::standard) (each person offers alone what
/// lies within their own limits; beyond them a supervisor approves; any waiver of a
/// written policy needs a director), and no limit on compensation.
///
/// ```
/// use service_recovery::{Policy, playbook::Playbook};
///
/// let policy = Policy::builder().playbook(Playbook::standard()).build();
/// assert_eq!(policy.playbook.name(), "standard service recovery");
/// assert_eq!(Policy::default(), policy);
/// ```
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The steps, their order and which are required.
    #[builder(default)]
    #[serde(default)]
    pub playbook: Playbook,
    /// Which approvals an option needs before it is offered, and who may grant them.
    #[builder(default)]
    #[serde(default)]
    pub approvals: ApprovalPolicy,
    /// Limits on the compensation ledger, such as goodwill per customer per year.
    #[builder(default)]
    #[serde(default)]
    pub compensation: CompensationLimits,
    /// The language review used for steps whose rule asks for one
    /// ([`StepRule::review`](crate::playbook::StepRule::review)). `None` means the
    /// built-in English rules.
    #[builder(default, setter(strip_option))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Reviewer>,
    /// Response targets, commitments, reminders and surveys; see [`FollowUpPolicy`]
    /// for the defaults.
    #[builder(default)]
    #[serde(default)]
    pub follow_up: FollowUpPolicy,
}
