//! The approval gate's rules: what an offer needs, who may request, grant or deny,
//! and the goodwill limit.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use crate::actor::{Actor, ActorRef};
use crate::approval::{
    ApprovalRequirement, AuthorityLimits, Delegation, Ledger, RequirementLevel, ResolutionKind,
    ResolutionOption, Role,
};
use crate::case::approvals::state::{ApprovalRequest, OptionApprovals, RequestStatus, is_material};
use crate::case::decision::Decision;
use crate::case::event::EventKind;
use crate::case::rejection::{
    ApprovalGap, AuthorityRefusal, Conflict, DenialNote, GoodwillGap, GoodwillOverLimit,
    PendingRequest, RaisedRequirement, Rejection,
};
use crate::case::{Case, OptionStatus};
use crate::id::OptionId;
use crate::money::{Money, MoneyTotals};
use crate::policy::Policy;

/// The total offered on the case so far: options offered or accepted (declined
/// offers cost nothing and do not count), plus the goodwill already given on it.
/// Goodwill counts because it is value reaching the customer like an accepted
/// option: without it, an agent could stay under the per-case limit by giving the
/// rest as gestures.
pub(crate) fn offered_total(case: &Case) -> Result<MoneyTotals, Rejection> {
    let mut total = MoneyTotals::new();
    for event in case.history() {
        if let EventKind::GoodwillGiven {
            value: Some(value), ..
        } = &event.kind
        {
            total.add(*value).map_err(|_| Rejection::AmountTooLarge)?;
        }
    }
    for option in case.options().values() {
        if matches!(
            option.status,
            OptionStatus::Offered | OptionStatus::Accepted
        ) {
            if let Some(amount) = option.resolution.amount {
                total.add(amount).map_err(|_| Rejection::AmountTooLarge)?;
            }
        }
    }
    Ok(total)
}

/// What `option` needs when `limits` is the offering (or requesting) person's.
pub(super) fn requirement(
    case: &Case,
    resolution: &ResolutionOption,
    limits: &AuthorityLimits,
    policy: &Policy,
) -> Result<ApprovalRequirement, Rejection> {
    policy
        .approvals
        .requirement_for(resolution, limits, &offered_total(case)?)
        .map_err(|_| Rejection::AmountTooLarge)
}

/// Whether `granted` asks at least as much as `option` needs when `limits` is the
/// offering (or requesting) person's; with an empty `granted`, whether it needs
/// nothing. Builds no requirement.
fn covered_by(
    case: &Case,
    resolution: &ResolutionOption,
    limits: &AuthorityLimits,
    policy: &Policy,
    granted: &ApprovalRequirement,
) -> Result<bool, Rejection> {
    policy
        .approvals
        .is_covered_by(resolution, limits, &offered_total(case)?, granted)
        .map_err(|_| Rejection::AmountTooLarge)
}

pub(super) fn proposed<'a>(
    case: &'a Case,
    option: &OptionId,
) -> Result<&'a ResolutionOption, Rejection> {
    match case.options().get(option) {
        None => Err(Rejection::UnknownOption {
            option: option.clone(),
        }),
        Some(o) if o.status == OptionStatus::Proposed => Ok(&o.resolution),
        Some(o) => Err(Rejection::OptionAlreadyOffered {
            option: option.clone(),
            status: o.status,
        }),
    }
}

pub(super) fn pending<'a>(
    case: &'a Case,
    option: &OptionId,
) -> Result<&'a ApprovalRequest, Rejection> {
    case.approvals()
        .get(option)
        .and_then(OptionApprovals::pending)
        .ok_or_else(|| Rejection::NoPendingApproval {
            option: option.clone(),
        })
}

/// The gate on offering: the rule the whole module exists for.
pub(crate) fn check_offer(
    case: &Case,
    option: &OptionId,
    actor: &Actor,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Result<(), Rejection> {
    let resolution = proposed(case, option)?;
    let state = case.approvals().get(option);
    if let Some(RequestStatus::Denied { by, at, reason }) =
        state.and_then(|s| s.request.as_ref()).map(|r| &r.status)
    {
        return Err(Rejection::ApprovalDenied {
            option: option.clone(),
            denial: Box::new(DenialNote {
                resolution: resolution.clone(),
                by: by.clone(),
                at: *at,
                reason: reason.clone(),
            }),
        });
    }
    let request = state.and_then(OptionApprovals::pending);
    // Whether the request (or, with none, no approval at all) covers what the offer
    // needs now; the requirement itself is built only to explain a refusal.
    let none = ApprovalRequirement::none();
    let granted = request.map_or(&none, |r| &r.requirement);
    let covered = covered_by(case, resolution, &actor.limits, policy, granted)?;
    match request {
        None if covered => Ok(()),
        None => Err(Rejection::ApprovalNeeded {
            option: option.clone(),
            gap: Box::new(ApprovalGap {
                resolution: resolution.clone(),
                missing: requirement(case, resolution, &actor.limits, policy)?,
                request: None,
            }),
        }),
        Some(request) => {
            if request.first_missing_at(now).is_some() {
                return Err(Rejection::ApprovalNeeded {
                    option: option.clone(),
                    gap: Box::new(ApprovalGap {
                        resolution: resolution.clone(),
                        missing: request.missing_at(now),
                        request: Some(PendingRequest {
                            by: request.by.clone(),
                            at: request.at,
                            lapsed: request.lapsed_at(now),
                        }),
                    }),
                });
            }
            if !covered {
                return Err(Rejection::ApprovalRequirementRaised {
                    option: option.clone(),
                    raised: Box::new(RaisedRequirement {
                        resolution: resolution.clone(),
                        offered_by: actor.name.to_string(),
                        needed: requirement(case, resolution, &actor.limits, policy)?,
                        requested: request.requirement.clone(),
                    }),
                });
            }
            Ok(())
        }
    }
}

/// The rules of order and state for the approval intents (the guard's part).
pub(crate) fn check_intent(
    case: &Case,
    intent: &crate::case::Intent,
    actor: &Actor,
    policy: &Policy,
) -> Result<(), Rejection> {
    use crate::case::Intent;
    match intent {
        Intent::RequestApproval(option) => {
            let resolution = proposed(case, option)?;
            if let Some(request) = case.approvals().get(option).and_then(|s| s.pending()) {
                return Err(Rejection::ApprovalAlreadyRequested {
                    option: option.clone(),
                    request: Box::new(PendingRequest {
                        by: request.by.clone(),
                        at: request.at,
                        lapsed: None,
                    }),
                });
            }
            let none = ApprovalRequirement::none();
            if covered_by(case, resolution, &actor.limits, policy, &none)? {
                return Err(Rejection::ApprovalNotNeeded {
                    resolution: Box::new(resolution.clone()),
                    requester: actor.name.to_string(),
                });
            }
            Ok(())
        }
        Intent::GrantApproval(option) | Intent::DenyApproval(option) => {
            proposed(case, option)?;
            let request = pending(case, option)?;
            no_conflict(case, option, request, &actor.reference())
        }
        Intent::WithdrawApprovalRequest(option) => {
            proposed(case, option)?;
            let request = pending(case, option)?;
            if actor.id == request.by.id || actor.id == case.owner().id {
                Ok(())
            } else {
                Err(Rejection::CannotWithdrawRequest {
                    option: option.clone(),
                    requester: request.by.name.to_string(),
                })
            }
        }
        Intent::Open
        | Intent::Thank
        | Intent::Apologize
        | Intent::AskQuestion
        | Intent::RecordAnswer(_)
        | Intent::RecordGoal
        | Intent::Explain
        | Intent::ProposeOption
        | Intent::ReviseOption(_)
        | Intent::OfferOption(_)
        | Intent::AcceptOffer(_)
        | Intent::DeclineOffer(_)
        | Intent::AgreeAction
        | Intent::CarryOut(_)
        | Intent::Goodwill
        | Intent::FinalThanks
        | Intent::Close
        | Intent::Reopen
        | Intent::Withdraw
        | Intent::ChangeChannel
        | Intent::Reassign
        | Intent::Escalate
        | Intent::AddNote
        | Intent::AwaitCustomer
        | Intent::AwaitThirdParty
        | Intent::Resume
        | Intent::ReportTime
        | Intent::MakeCommitment
        | Intent::KeepCommitment(_)
        | Intent::BreakCommitment(_)
        | Intent::CancelCommitment(_)
        | Intent::RecordSurvey => Ok(()),
    }
}

/// Nobody approves their own request or an option they proposed.
pub(super) fn no_conflict(
    case: &Case,
    option: &OptionId,
    request: &ApprovalRequest,
    person: &ActorRef,
) -> Result<(), Rejection> {
    let conflict = |conflict| {
        Err(Rejection::ApprovalConflict {
            option: option.clone(),
            person: Box::new(person.clone()),
            conflict,
        })
    };
    if request.by.id == person.id {
        return conflict(Conflict::Requested);
    }
    let proposers = case.approvals().get(option).map(|s| &s.proposers);
    if proposers.is_some_and(|p| p.contains(&person.id)) {
        return conflict(Conflict::Proposed);
    }
    Ok(())
}

/// Nobody takes part in two levels of one request, or twice in one level.
pub(super) fn no_second_grant(
    option: &OptionId,
    request: &ApprovalRequest,
    person: &ActorRef,
    level: u32,
    now: DateTime<Utc>,
) -> Result<(), Rejection> {
    for grant in request.grants.iter().filter(|g| g.involves(&person.id)) {
        let conflict = if grant.level != level {
            Conflict::GrantedLevel(grant.level)
        } else if grant.valid_at(now) {
            Conflict::GrantedThisLevel(level)
        } else {
            // A lapsed grant of this very level may be renewed by the same person.
            continue;
        };
        return Err(Rejection::ApprovalConflict {
            option: option.clone(),
            person: Box::new(person.clone()),
            conflict,
        });
    }
    Ok(())
}

/// Whose authority a grant or denial uses, and who takes part in it.
pub(super) struct Authority<'a> {
    pub(super) name: &'a str,
    pub(super) roles: &'a BTreeSet<Role>,
    pub(super) limits: &'a AuthorityLimits,
    pub(super) acting: String,
    pub(super) people: Vec<ActorRef>,
}

pub(super) fn authority<'a>(
    actor: &'a Actor,
    on_behalf_of: Option<&'a Delegation>,
    now: DateTime<Utc>,
) -> Result<Authority<'a>, Rejection> {
    let Some(delegation) = on_behalf_of else {
        return Ok(Authority {
            name: &actor.name,
            roles: &actor.roles,
            limits: &actor.limits,
            acting: actor.name.to_string(),
            people: vec![actor.reference()],
        });
    };
    let from = &delegation.from;
    if delegation.to != actor.id {
        return Err(Rejection::DelegationNotForActor {
            from: from.name.to_string(),
            to: delegation.to.clone(),
        });
    }
    if !delegation.in_force_at(now) {
        return Err(Rejection::DelegationNotInForce {
            from: from.name.to_string(),
            starts: delegation.starts,
            ends: delegation.ends,
        });
    }
    Ok(Authority {
        name: &from.name,
        roles: &from.roles,
        limits: &from.limits,
        acting: format!("{} on behalf of {}", actor.name, from.name),
        people: vec![actor.reference(), from.reference()],
    })
}

pub(super) fn check_authority(
    option: &OptionId,
    authority: &Authority<'_>,
    spec: &RequirementLevel,
    policy: &Policy,
) -> Result<(), Rejection> {
    policy
        .approvals
        .can_grant(spec, authority.name, authority.roles, authority.limits)
        .map_err(|shortfall| Rejection::NotAuthorizedToApprove {
            option: option.clone(),
            refusal: Box::new(AuthorityRefusal {
                acting: authority.acting.clone(),
                level: spec.clone(),
                shortfall,
            }),
        })
}

/// The goodwill limit per customer over a rolling window.
pub(crate) fn check_goodwill(
    case: &Case,
    value: Option<&Money>,
    prior: &Ledger,
    at: &Decision<'_>,
) -> Result<(), Rejection> {
    let Some(value) = value else { return Ok(()) };
    let (actor, now, policy) = (at.actor, at.now, at.policy);
    // The same gate as an option: a gesture with value is a goodwill option offered on
    // the spot, so it may be given alone only when that option would need nobody's
    // approval. Otherwise the way to give it is to propose it as an option and ask.
    let gesture = ResolutionOption {
        kind: ResolutionKind::Goodwill,
        amount: Some(*value),
        waives: Vec::new(),
        description: String::new(),
    };
    let none = ApprovalRequirement::none();
    if !covered_by(case, &gesture, &actor.limits, policy, &none)? {
        return Err(Rejection::GoodwillNeedsApproval(Box::new(GoodwillGap {
            value: *value,
            missing: requirement(case, &gesture, &actor.limits, policy)?,
        })));
    }
    let limits = &policy.compensation;
    let Some(limit) = limits.goodwill_limit_in(value.currency()) else {
        return Ok(());
    };
    let customer = &case.customer().id;
    let since = limits.window_start(now);
    let too_large = |_| Rejection::AmountTooLarge;
    let own = crate::case::ledger_of(case.history())
        .goodwill_for(customer, since, now, None)
        .map_err(too_large)?;
    let other = prior
        .goodwill_for(customer, since, now, Some(case.id()))
        .map_err(too_large)?;
    let given = own
        .get(value.currency())
        .checked_add(other.get(value.currency()))
        .map_err(too_large)?;
    let after = given.checked_add(*value).map_err(too_large)?;
    if after.minor() > limit.minor() {
        return Err(Rejection::GoodwillLimitExceeded(Box::new(
            GoodwillOverLimit {
                customer: case.customer().name.clone(),
                value: *value,
                given,
                after,
                limit,
                window_days: limits.window_days,
            },
        )));
    }
    Ok(())
}
/// Whether revising `option` to `resolution` voids its approvals: the revision changes
/// the option's terms while a request is pending or denied.
pub(crate) fn voided_by_revision(
    case: &Case,
    option: &OptionId,
    resolution: &ResolutionOption,
) -> bool {
    let Some(old) = case.options().get(option).map(|o| &o.resolution) else {
        return false;
    };
    let Some(request) = case
        .approvals()
        .get(option)
        .and_then(|a| a.request.as_ref())
    else {
        return false;
    };
    let open = matches!(
        request.status,
        RequestStatus::Pending | RequestStatus::Denied { .. }
    );
    open && is_material(old, resolution)
}
