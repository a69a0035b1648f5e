//! The approval state of each option, derived from the history: no rules here, only
//! bookkeeping (the rules are in `rules`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::actor::ActorRef;
use crate::approval::{ApprovalRequirement, RequirementLevel, ResolutionOption};
use crate::case::{Event, EventKind};
use crate::id::{ActorId, OptionId};

/// Where an approval request stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
    pub(super) fn lapsed_at(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.grants
            .iter()
            .filter_map(|g| g.expires)
            .filter(|&expires| expires <= at)
            .max()
    }
}

/// Level `level` (from 1) of a requirement.
pub(super) fn level_spec(
    requirement: &ApprovalRequirement,
    level: u32,
) -> Option<&RequirementLevel> {
    let index = usize::try_from(level.checked_sub(1)?).ok()?;
    requirement.levels.get(index)
}

/// The approval state of one option.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
            EventKind::Opened(_)
            | EventKind::Thanked { .. }
            | EventKind::Apologized { .. }
            | EventKind::QuestionAsked { .. }
            | EventKind::AnswerRecorded { .. }
            | EventKind::GoalRecorded { .. }
            | EventKind::Explained { .. }
            | EventKind::OptionRevised { .. }
            | EventKind::OptionOffered { .. }
            | EventKind::OfferAccepted { .. }
            | EventKind::OfferDeclined { .. }
            | EventKind::ActionAgreed { .. }
            | EventKind::ActionCarriedOut { .. }
            | EventKind::GoodwillGiven { .. }
            | EventKind::FinalThanksGiven { .. }
            | EventKind::Closed { .. }
            | EventKind::Reopened { .. }
            | EventKind::Withdrawn { .. }
            | EventKind::ChannelChanged { .. }
            | EventKind::Reassigned { .. }
            | EventKind::Escalated { .. }
            | EventKind::NoteAdded { .. }
            | EventKind::AwaitingCustomer { .. }
            | EventKind::AwaitingThirdParty { .. }
            | EventKind::Resumed {}
            | EventKind::SlaWarned { .. }
            | EventKind::SlaBreached { .. }
            | EventKind::CommitmentMade { .. }
            | EventKind::CommitmentKept { .. }
            | EventKind::CommitmentBroken { .. }
            | EventKind::CommitmentCancelled { .. }
            | EventKind::SurveyRecorded { .. }
            | EventKind::RecoverySpawned { .. } => {}
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
