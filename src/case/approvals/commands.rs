//! The approval commands: request, grant, deny, withdraw. The rules they share
//! (authority, conflicts, levels) are in `rules`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::approval::{Authority, Delegation};
use crate::case::approvals::rules::{
    authority, check_authority, no_conflict, no_second_grant, pending, proposed, requirement,
};
use crate::case::approvals::state::level_spec;
use crate::case::command::Intent;
use crate::case::decision::{Decide, Decision, Recorder, text};
use crate::case::event::EventKind;
use crate::case::rejection::{Field, Rejection};
use crate::id::OptionId;

/// Ask for the approvals a proposed option needs:
/// `{"command":"request_approval","option":"o-1","note":"..."}` (`note` optional).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestApproval {
    /// The option.
    pub option: OptionId,
    /// A note for the approvers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Grant one level of the pending request for an option:
/// `{"command":"grant_approval","option":"o-1","level":1,"reason":"...",
/// "expires":"2026-03-09T10:00:00Z"}` (`expires` and `on_behalf_of` optional).
///
/// `on_behalf_of` carries authority: the host builds it from its own directory, never
/// from a client's JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantApproval {
    /// The option.
    pub option: OptionId,
    /// The level granted, from 1.
    pub level: u32,
    /// When the approval lapses, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<DateTime<Utc>>,
    /// Why it is granted, for the audit.
    pub reason: String,
    /// The delegation the grant relies on, when the actor stands in for someone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_behalf_of: Option<Delegation>,
}

/// Deny the pending request for an option:
/// `{"command":"deny_approval","option":"o-1","reason":"..."}` (`on_behalf_of` optional).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DenyApproval {
    /// The option.
    pub option: OptionId,
    /// Why.
    pub reason: String,
    /// The delegation the denial relies on, when the actor stands in for someone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_behalf_of: Option<Delegation>,
}

/// Withdraw the pending request for an option:
/// `{"command":"withdraw_approval_request","option":"o-1","reason":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawApprovalRequest {
    /// The option.
    pub option: OptionId,
    /// Why.
    pub reason: String,
}

impl Decide for RequestApproval {
    fn intent(&self) -> Intent {
        Intent::RequestApproval(self.option.clone())
    }
    fn decide(&self, at: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        let resolution = proposed(at.case, &self.option)?;
        out.record(EventKind::ApprovalRequested {
            option: self.option.clone(),
            resolution: Box::new(resolution.clone()),
            requirement: requirement(at.case, resolution, &at.actor.limits, at.policy)?,
            note: self.note.clone().filter(|n| !n.trim().is_empty()),
        });
        Ok(())
    }
}

impl Decide for GrantApproval {
    fn intent(&self) -> Intent {
        Intent::GrantApproval(self.option.clone())
    }
    fn decide(&self, at: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        let (option, now) = (&self.option, at.now);
        let request = pending(at.case, option)?;
        let reason = text(&self.reason, Field::Reason)?;
        if let Some(expires) = self.expires.filter(|&e| e <= now) {
            return Err(Rejection::ExpiryNotInFuture { expires, now });
        }
        let authority = authority(at.actor, self.on_behalf_of.as_ref(), now)?;
        for person in &authority.people {
            no_conflict(at.case, option, request, person)?;
            no_second_grant(option, request, person, self.level, now)?;
        }
        let spec = level_spec(&request.requirement, self.level).ok_or(Rejection::NoSuchLevel {
            option: option.clone(),
            level: self.level,
            levels: request.level_count(),
        })?;
        if request.level_granted_at(self.level, now) {
            return Err(Rejection::LevelAlreadyGranted {
                option: option.clone(),
                level: self.level,
                granted: Box::new(spec.clone()),
            });
        }
        if let Some(first) = request.first_missing_at(now).filter(|&f| f < self.level) {
            let needed = level_spec(&request.requirement, first).unwrap_or(spec);
            return Err(Rejection::LevelOutOfOrder {
                option: option.clone(),
                level: self.level,
                first,
                needed: Box::new(needed.clone()),
            });
        }
        check_authority(option, &authority, spec, at.policy)?;
        out.record(EventKind::ApprovalGranted {
            option: option.clone(),
            level: self.level,
            granted: Box::new(spec.clone()),
            expires: self.expires,
            reason,
            on_behalf_of: self.on_behalf_of.clone().map(Box::new),
            authority: Some(Box::new(Authority::of(at.actor))),
        });
        Ok(())
    }
}

impl Decide for DenyApproval {
    fn intent(&self) -> Intent {
        Intent::DenyApproval(self.option.clone())
    }
    fn decide(&self, at: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        let request = pending(at.case, &self.option)?;
        let reason = text(&self.reason, Field::Reason)?;
        let authority = authority(at.actor, self.on_behalf_of.as_ref(), at.now)?;
        for person in &authority.people {
            no_conflict(at.case, &self.option, request, person)?;
        }
        // Whoever could grant the next level still needed (or the last level, once all
        // are granted) may say no instead.
        let level = request
            .first_missing_at(at.now)
            .unwrap_or_else(|| request.level_count());
        if let Some(spec) = level_spec(&request.requirement, level) {
            check_authority(&self.option, &authority, spec, at.policy)?;
        }
        out.record(EventKind::ApprovalDenied {
            option: self.option.clone(),
            reason,
            on_behalf_of: self.on_behalf_of.clone().map(Box::new),
            authority: Some(Box::new(Authority::of(at.actor))),
        });
        Ok(())
    }
}

impl Decide for WithdrawApprovalRequest {
    fn intent(&self) -> Intent {
        Intent::WithdrawApprovalRequest(self.option.clone())
    }
    fn decide(&self, _: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        out.record(EventKind::ApprovalRequestWithdrawn {
            option: self.option.clone(),
            reason: text(&self.reason, Field::Reason)?,
        });
        Ok(())
    }
}
