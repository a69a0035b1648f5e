//! The approval gate inside the case: what each option's approval request stands at,
//! derived from the history, and the rules [`decide`](crate::decide) applies to
//! offers and to requests, grants, denials and withdrawals.
//!
//! The rules (DOMAIN practices 6 and 7):
//!
//! - **Nothing is offered before its approvals.** An option may be offered only if
//!   every level its requirement needs is granted and unexpired at the moment of the
//!   offer. The requirement is computed twice: when approval is requested (against the
//!   requester's limits, recorded in the event) and again at the offer (against the
//!   offering person's limits and the case's total offered so far). If a request is
//!   pending, all its levels must be granted *and* it must ask at least as much as the
//!   offer-time requirement; with no request, the offer-time requirement must be empty.
//! - **A denial stands** until a new request is granted (or the option's terms change).
//! - **Nobody approves their own request or proposal**, nobody grants two levels of
//!   one request, the approvers of one level are different people, and levels are
//!   granted in order.
//! - **Authority**: an approver needs the role and the limit for the level
//!   ([`can_grant`](crate::approval::can_grant)); a delegate acts only within the
//!   delegation's dates and on the delegator's authority, and both the delegate and the
//!   delegator count as the people taking part.
//! - **Changing an option voids its approvals**: a revision that changes the kind,
//!   the amount or the waived policies adds an `approvals_voided` event.
//! - **Goodwill per customer** stays within the policy's
//!   [`CompensationLimits`](crate::approval::CompensationLimits), counting the prior
//!   ledger the host passes with the gesture.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::actor::{Actor, ActorRef};
use crate::approval::{
    ApprovalRequirement, AuthorityLimits, Delegation, Ledger, RequirementLevel, ResolutionOption,
    Role,
};
use crate::case::rejection::{
    ApprovalGap, AuthorityRefusal, Conflict, DenialNote, Field, GoodwillOverLimit, PendingRequest,
    RaisedRequirement, Rejection,
};
use crate::case::{Case, Command, Event, EventKind, OptionStatus};
use crate::id::{ActorId, OptionId};
use crate::money::{Money, MoneyTotals};
use crate::policy::Policy;

/// Where an approval request stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RequestStatus {
    /// Waiting for (more) grants, or fully granted and not yet used.
    Pending,
    /// Denied; the option cannot be offered until a new request is granted.
    Denied {
        /// Who denied it.
        by: ActorRef,
        /// When.
        at: DateTime<Utc>,
        /// Why.
        reason: String,
    },
    /// Withdrawn by its requester or the case's owner.
    Withdrawn,
    /// Voided because the option's terms changed.
    Voided,
}

/// One level granted by one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    /// The level, counting from 1.
    pub level: u32,
    /// Who granted it.
    pub by: ActorRef,
    /// On whose authority, if by delegation.
    pub on_behalf_of: Option<ActorRef>,
    /// When.
    pub at: DateTime<Utc>,
    /// When it lapses, if it does.
    pub expires: Option<DateTime<Utc>>,
}

impl Grant {
    /// Whether the grant is still valid at `at` (it lapses at its expiry).
    pub fn valid_at(&self, at: DateTime<Utc>) -> bool {
        self.expires.is_none_or(|expires| at < expires)
    }

    /// Whether `person` took part: granted it or lent their authority.
    pub fn involves(&self, person: &ActorId) -> bool {
        &self.by.id == person || self.on_behalf_of.as_ref().is_some_and(|d| &d.id == person)
    }
}

/// An option's latest approval request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApprovalRequest {
    /// Who requested it.
    pub by: ActorRef,
    /// When.
    pub at: DateTime<Utc>,
    /// What it needs, as computed when it was requested.
    pub requirement: ApprovalRequirement,
    /// The grants so far.
    pub grants: Vec<Grant>,
    /// Where it stands.
    pub status: RequestStatus,
}

impl ApprovalRequest {
    /// Whether level `level` (from 1) has every approver it needs, valid at `at`.
    pub fn level_granted_at(&self, level: u32, at: DateTime<Utc>) -> bool {
        let Some(spec) = level_spec(&self.requirement, level) else {
            return false;
        };
        let valid = self
            .grants
            .iter()
            .filter(|g| g.level == level && g.valid_at(at))
            .count();
        u32::try_from(valid).unwrap_or(u32::MAX) >= spec.approvers
    }

    /// The first level (from 1) not granted at `at`, if any.
    pub fn first_missing_at(&self, at: DateTime<Utc>) -> Option<u32> {
        (1..=self.level_count()).find(|&level| !self.level_granted_at(level, at))
    }

    /// The levels not granted at `at`, in order.
    pub fn missing_at(&self, at: DateTime<Utc>) -> ApprovalRequirement {
        ApprovalRequirement {
            levels: (1..=self.level_count())
                .zip(&self.requirement.levels)
                .filter(|(level, _)| !self.level_granted_at(*level, at))
                .map(|(_, spec)| spec.clone())
                .collect(),
        }
    }

    /// The number of levels.
    pub fn level_count(&self) -> u32 {
        u32::try_from(self.requirement.levels.len()).unwrap_or(u32::MAX)
    }

    /// The latest expiry at or before `at`, if a grant lapsed.
    fn lapsed_at(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.grants
            .iter()
            .filter_map(|g| g.expires)
            .filter(|&expires| expires <= at)
            .max()
    }
}

/// Level `level` (from 1) of a requirement.
fn level_spec(requirement: &ApprovalRequirement, level: u32) -> Option<&RequirementLevel> {
    let index = usize::try_from(level.checked_sub(1)?).ok()?;
    requirement.levels.get(index)
}

/// The approval state of one option.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OptionApprovals {
    /// Everyone who proposed the option or changed its terms (kind, amount, waivers).
    pub proposers: BTreeSet<ActorId>,
    /// The latest request, whatever its status.
    pub request: Option<ApprovalRequest>,
}

impl OptionApprovals {
    /// The latest request, if it is pending.
    pub fn pending(&self) -> Option<&ApprovalRequest> {
        self.request
            .as_ref()
            .filter(|r| r.status == RequestStatus::Pending)
    }
}

/// The approval state of every option of a case, derived from its history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Approvals(BTreeMap<OptionId, OptionApprovals>);

impl Approvals {
    /// The state of one option.
    pub fn get(&self, option: &OptionId) -> Option<&OptionApprovals> {
        self.0.get(option)
    }

    /// Every option's state.
    pub fn iter(&self) -> impl Iterator<Item = (&OptionId, &OptionApprovals)> {
        self.0.iter()
    }

    /// Bookkeeping for one event; `previous` is the option's terms before an
    /// `option_revised` event.
    pub(crate) fn record(&mut self, event: &Event, previous: Option<&ResolutionOption>) {
        match &event.kind {
            EventKind::OptionProposed { option, .. } => {
                self.entry(option).proposers.insert(event.actor.id.clone());
            }
            EventKind::OptionRevised { option, resolution }
                if previous.is_none_or(|old| is_material(old, resolution)) =>
            {
                self.entry(option).proposers.insert(event.actor.id.clone());
            }
            EventKind::ApprovalRequested {
                option,
                requirement,
                ..
            } => {
                self.entry(option).request = Some(ApprovalRequest {
                    by: event.actor.clone(),
                    at: event.at,
                    requirement: requirement.clone(),
                    grants: Vec::new(),
                    status: RequestStatus::Pending,
                });
            }
            EventKind::ApprovalGranted {
                option,
                level,
                expires,
                on_behalf_of,
                ..
            } => {
                if let Some(request) = self.request_mut(option) {
                    request.grants.push(Grant {
                        level: *level,
                        by: event.actor.clone(),
                        on_behalf_of: on_behalf_of.as_ref().map(|d| d.from.reference()),
                        at: event.at,
                        expires: *expires,
                    });
                }
            }
            EventKind::ApprovalDenied { option, reason, .. } => {
                if let Some(request) = self.request_mut(option) {
                    request.status = RequestStatus::Denied {
                        by: event.actor.clone(),
                        at: event.at,
                        reason: reason.clone(),
                    };
                }
            }
            EventKind::ApprovalRequestWithdrawn { option, .. } => {
                if let Some(request) = self.request_mut(option) {
                    request.status = RequestStatus::Withdrawn;
                }
            }
            EventKind::ApprovalsVoided { option } => {
                if let Some(request) = self.request_mut(option) {
                    request.status = RequestStatus::Voided;
                }
            }
            _ => {}
        }
    }

    fn entry(&mut self, option: &OptionId) -> &mut OptionApprovals {
        self.0.entry(option.clone()).or_default()
    }

    fn request_mut(&mut self, option: &OptionId) -> Option<&mut ApprovalRequest> {
        self.0.get_mut(option).and_then(|o| o.request.as_mut())
    }
}

/// Whether a revision changes what approvals are about: the kind, the amount or the
/// waived policies (in any order). Rewording the description does not.
pub fn is_material(old: &ResolutionOption, new: &ResolutionOption) -> bool {
    let waives = |o: &ResolutionOption| o.waives.iter().cloned().collect::<BTreeSet<_>>();
    old.kind != new.kind || old.amount != new.amount || waives(old) != waives(new)
}

/// The total offered on the case so far: options offered or accepted (declined
/// offers cost nothing and do not count).
pub(crate) fn offered_total(case: &Case) -> Result<MoneyTotals, Rejection> {
    let mut total = MoneyTotals::new();
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
fn requirement(
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

fn proposed<'a>(case: &'a Case, option: &OptionId) -> Result<&'a ResolutionOption, Rejection> {
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

fn pending<'a>(case: &'a Case, option: &OptionId) -> Result<&'a ApprovalRequest, Rejection> {
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
        _ => Ok(()),
    }
}

/// Nobody approves their own request or an option they proposed.
fn no_conflict(
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
fn no_second_grant(
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
struct Authority<'a> {
    name: &'a str,
    roles: &'a BTreeSet<Role>,
    limits: &'a AuthorityLimits,
    acting: String,
    people: Vec<ActorRef>,
}

fn authority<'a>(
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

fn check_authority(
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

/// `withdraw_approval_request`, once the guard passed.
pub(crate) fn withdraw(option: &OptionId, why: &str) -> Result<EventKind, Rejection> {
    Ok(EventKind::ApprovalRequestWithdrawn {
        option: option.clone(),
        reason: reason(why)?,
    })
}

fn reason(value: &str) -> Result<String, Rejection> {
    if value.trim().is_empty() {
        Err(Rejection::Blank {
            field: Field::Reason,
        })
    } else {
        Ok(value.to_owned())
    }
}

/// `request_approval`, once the guard passed.
pub(crate) fn request(
    case: &Case,
    option: &OptionId,
    note: &Option<String>,
    actor: &Actor,
    policy: &Policy,
) -> Result<EventKind, Rejection> {
    let resolution = proposed(case, option)?;
    Ok(EventKind::ApprovalRequested {
        option: option.clone(),
        resolution: Box::new(resolution.clone()),
        requirement: requirement(case, resolution, &actor.limits, policy)?,
        note: note.clone().filter(|n| !n.trim().is_empty()),
    })
}

/// A grant command's payload, borrowed.
pub(crate) struct GrantArgs<'a> {
    pub(crate) option: &'a OptionId,
    pub(crate) level: u32,
    pub(crate) expires: Option<DateTime<Utc>>,
    pub(crate) reason: &'a str,
    pub(crate) on_behalf_of: Option<&'a Delegation>,
}

/// `grant_approval`, once the guard passed.
pub(crate) fn grant(
    case: &Case,
    args: GrantArgs<'_>,
    actor: &Actor,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Result<EventKind, Rejection> {
    let option = args.option;
    let request = pending(case, option)?;
    let reason = reason(args.reason)?;
    if let Some(expires) = args.expires.filter(|&e| e <= now) {
        return Err(Rejection::ExpiryNotInFuture { expires, now });
    }
    let authority = authority(actor, args.on_behalf_of, now)?;
    for person in &authority.people {
        no_conflict(case, option, request, person)?;
        no_second_grant(option, request, person, args.level, now)?;
    }
    let spec = level_spec(&request.requirement, args.level).ok_or(Rejection::NoSuchLevel {
        option: option.clone(),
        level: args.level,
        levels: request.level_count(),
    })?;
    if request.level_granted_at(args.level, now) {
        return Err(Rejection::LevelAlreadyGranted {
            option: option.clone(),
            level: args.level,
            granted: Box::new(spec.clone()),
        });
    }
    if let Some(first) = request.first_missing_at(now).filter(|&f| f < args.level) {
        let needed = level_spec(&request.requirement, first).unwrap_or(spec);
        return Err(Rejection::LevelOutOfOrder {
            option: option.clone(),
            level: args.level,
            first,
            needed: Box::new(needed.clone()),
        });
    }
    check_authority(option, &authority, spec, policy)?;
    Ok(EventKind::ApprovalGranted {
        option: option.clone(),
        level: args.level,
        granted: Box::new(spec.clone()),
        expires: args.expires,
        reason,
        on_behalf_of: args.on_behalf_of.cloned().map(Box::new),
    })
}

/// `deny_approval`, once the guard passed.
pub(crate) fn deny(
    case: &Case,
    option: &OptionId,
    why: &str,
    on_behalf_of: Option<&Delegation>,
    actor: &Actor,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Result<EventKind, Rejection> {
    let request = pending(case, option)?;
    let reason = reason(why)?;
    let authority = authority(actor, on_behalf_of, now)?;
    for person in &authority.people {
        no_conflict(case, option, request, person)?;
    }
    // Whoever could grant the next level still needed (or the last level, once all
    // are granted) may say no instead.
    let level = request
        .first_missing_at(now)
        .unwrap_or_else(|| request.level_count());
    if let Some(spec) = level_spec(&request.requirement, level) {
        check_authority(option, &authority, spec, policy)?;
    }
    Ok(EventKind::ApprovalDenied {
        option: option.clone(),
        reason,
        on_behalf_of: on_behalf_of.cloned().map(Box::new),
    })
}

/// The `approvals_voided` event that must follow a revision, if the revision changes
/// the option's terms while a request is pending or denied.
pub(crate) fn voided_by(case: &Case, command: &Command) -> Option<EventKind> {
    let Command::ReviseOption { option, resolution } = command else {
        return None;
    };
    let old = &case.options().get(option)?.resolution;
    let request = case.approvals().get(option)?.request.as_ref()?;
    let open = matches!(
        request.status,
        RequestStatus::Pending | RequestStatus::Denied { .. }
    );
    (open && is_material(old, resolution)).then(|| EventKind::ApprovalsVoided {
        option: option.clone(),
    })
}

/// The goodwill limit per customer over a rolling window.
pub(crate) fn check_goodwill(
    case: &Case,
    value: Option<&Money>,
    prior: &Ledger,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Result<(), Rejection> {
    let Some(value) = value else { return Ok(()) };
    let limits = &policy.compensation;
    let Some(limit) = limits.goodwill_limit_in(value.currency()) else {
        return Ok(());
    };
    let customer = &case.customer().id;
    let since = limits.window_start(now);
    let too_large = |_| Rejection::AmountTooLarge;
    let own = Ledger::of_case(case.history())
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
