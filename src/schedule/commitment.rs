//! Commitments ([practices 9 and 10](crate::practices)): promises with a date told to the customer,
//! an earlier internal target, and a record of being kept, broken or cancelled.
//!
//! When a promise is made, [`decide`](crate::decide) computes and records in the
//! `commitment_made` event:
//!
//! - the **internal target**: the date told to the customer minus the policy's
//!   commitment margin in working time (under-promise, over-deliver), counted back
//!   with [`WorkingTime::subtract`](super::WorkingTime::subtract). If less working
//!   time than the margin remains, the internal target is now;
//! - the **reminder**: the internal target minus the reminder lead, in working time,
//!   but not before now.
//!
//! Recording them means a later change of policy does not rewrite old promises.
//!
//! Keeping a promise records how punctually ([`Punctuality`]): by the internal target
//! is early, by the promised date on time, after it late. A promise may instead be
//! broken (with the reason) or cancelled (with a reason). A case cannot close while a
//! promise is open. Commitments stand outside the playbook's step order: they can be
//! made at any point of an open case, and kept, broken or cancelled even after the
//! customer withdrew.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use service_recovery::schedule::{commitment, FollowUpPolicy};
//!
//! let policy = FollowUpPolicy::default(); // 24/7: margin 24 h, reminder 4 h before
//! let now = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
//! let promised = now + TimeDelta::days(3);
//! let (target, remind) = commitment::targets(&policy, now, promised);
//! assert_eq!(target, promised - TimeDelta::hours(24));
//! assert_eq!(remind, target - TimeDelta::hours(4));
//! ```

use super::follow_up::FollowUpPolicy;
use crate::actor::ActorRef;
use crate::id::CommitmentId;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How punctually a promise was kept.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Punctuality {
    /// By the internal target: the customer got it sooner than told.
    Early,
    /// After the internal target, by the date told to the customer.
    OnTime,
    /// After the date told to the customer.
    Late,
}

impl Punctuality {
    /// How punctual keeping a promise at `kept_at` is.
    pub fn of(
        kept_at: DateTime<Utc>,
        internal_target: DateTime<Utc>,
        promised_for: DateTime<Utc>,
    ) -> Self {
        if kept_at <= internal_target {
            Self::Early
        } else if kept_at <= promised_for {
            Self::OnTime
        } else {
            Self::Late
        }
    }
}

impl fmt::Display for Punctuality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Early => "early",
            Self::OnTime => "on time",
            Self::Late => "late",
        })
    }
}

/// Where a promise stands.
///
/// Serialized as `"open"`, `{"kept": "early"}`, `"broken"` or `"cancelled"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentStatus {
    /// Not yet kept, broken or cancelled.
    Open,
    /// Kept, this punctually.
    Kept(Punctuality),
    /// Broken.
    Broken,
    /// Cancelled with a reason.
    Cancelled,
}

impl fmt::Display for CommitmentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Open => f.write_str("open"),
            Self::Kept(p) => write!(f, "kept ({p})"),
            Self::Broken => f.write_str("broken"),
            Self::Cancelled => f.write_str("cancelled"),
        }
    }
}

/// A promise made on a case: a view into its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Commitment<'a> {
    /// Its identifier.
    pub id: &'a CommitmentId,
    /// What was promised.
    pub what: &'a str,
    /// Who must keep it.
    pub owner: &'a ActorRef,
    /// The date told to the customer.
    pub promised_for: DateTime<Utc>,
    /// The earlier internal target.
    pub internal_target: DateTime<Utc>,
    /// When the owner is reminded.
    pub remind_at: DateTime<Utc>,
    /// Where it stands.
    pub status: CommitmentStatus,
}

/// The internal target and the reminder instant of a promise made at `now` for
/// `promised_for`; see the [module documentation](self).
pub fn targets(
    policy: &FollowUpPolicy,
    now: DateTime<Utc>,
    promised_for: DateTime<Utc>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    // Counted back from the promised date: the internal target is the latest instant
    // leaving the margin of working time before it, and never earlier than now.
    let before = |margin: TimeDelta| {
        policy
            .working_time
            .subtract(promised_for, margin.max(TimeDelta::zero()))
            .unwrap_or(now)
            .clamp(now, promised_for.max(now))
    };
    let target = before(policy.commitment_margin);
    let remind = before(policy.commitment_margin + policy.reminder_lead).min(target);
    (target, remind)
}
