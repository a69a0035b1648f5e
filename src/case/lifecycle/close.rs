//! Closing a case: every required step done, nothing promised left undone, no offer
//! left hanging, and a root cause recorded so the failure does not happen again.

use crate::case::command::Intent;
use crate::case::decision::{Decide, Decision, Recorder};
use crate::case::event::EventKind;
use crate::case::rejection::Rejection;
use crate::case::{AgreedAction, Case, CaseOption, OptionStatus};
use crate::id::{ActionId, OptionId};
use crate::playbook::StepKind;
use crate::policy::Policy;
use serde::{Deserialize, Serialize};
use typed_builder::TypedBuilder;

/// Why the failure happened, recorded at closing so it does not happen again.
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct RootCause {
    /// A category the host reports on: "address validation", "staff training".
    #[builder(setter(into))]
    pub category: String,
    /// What actually went wrong.
    #[builder(setter(into))]
    pub description: String,
}

impl RootCause {
    pub(crate) fn is_blank(&self) -> bool {
        self.category.trim().is_empty() || self.description.trim().is_empty()
    }
}

/// Close the case with its root cause:
/// `{"command":"close","root_cause":{"category":"...","description":"..."}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Close {
    /// Why the failure happened.
    pub root_cause: RootCause,
}

impl Decide for Close {
    fn intent(&self) -> Intent {
        Intent::Close
    }
    fn decide(&self, at: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        if at.policy.playbook.requires_root_cause() && self.root_cause.is_blank() {
            return Err(Rejection::RootCauseMissing);
        }
        out.record(EventKind::Closed {
            root_cause: self.root_cause.clone(),
        });
        Ok(())
    }
}

/// Closing needs every required step, no action left undone, no offer left hanging
/// and no promise left open. Part of the guard, so `next_actions` says it too.
pub(crate) fn check_ready_to_close(case: &Case, policy: &Policy) -> Result<(), Rejection> {
    // Each list is built only when something is missing: closing is on the hot path.
    let missing = |step: &StepKind| *step != StepKind::Close && case.steps().get(*step) == 0;
    if policy.playbook.required_steps().any(|s| missing(&s)) {
        let missing = policy.playbook.required_steps().filter(missing).collect();
        return Err(Rejection::RequiredStepsMissing { missing });
    }
    let undone = |(_, a): &(&ActionId, &AgreedAction)| a.outcome.is_none();
    if case.actions().iter().any(|a| undone(&a)) {
        let actions = case.actions().iter().filter(undone);
        return Err(Rejection::ActionsOutstanding {
            actions: actions.map(|(id, _)| id.clone()).collect(),
        });
    }
    let waiting = |(_, o): &(&OptionId, &CaseOption)| o.status == OptionStatus::Offered;
    if case.options().iter().any(|o| waiting(&o)) {
        let options = case.options().iter().filter(waiting);
        return Err(Rejection::OffersAwaitingAnswer {
            options: options.map(|(id, _)| id.clone()).collect(),
        });
    }
    crate::case::follow_ups::check_close(case)
}
