//! Delegation: someone acting on another person's approval authority while they are
//! away.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use typed_builder::TypedBuilder;

use crate::actor::Actor;
use crate::id::ActorId;

/// A delegation of approval authority for a date range (an out-of-office cover):
/// `from` lets `to` grant or deny approvals on `from`'s behalf between `starts`
/// (inclusive) and `ends` (exclusive).
///
/// The crate keeps no directory of people, so the host passes the delegation with the
/// grant or denial it covers (see [`Command::GrantApproval`](crate::Command::GrantApproval)),
/// vouching that the record is genuine, together with a snapshot of the delegator's
/// roles and limits in `from`. [`decide`](crate::decide) then checks that:
///
/// - the acting person is `to`;
/// - `now` lies within the dates;
/// - the delegator's authority (`from.roles`, `from.limits`), **not the delegate's
///   own**, suffices for the level;
/// - neither the delegate nor the delegator requested the approval, proposed the
///   option, or took part in another level of the same request.
///
/// The whole delegation is recorded in the grant event, so the history alone says
/// on whose authority an approval was given.
///
/// Serialized with the field names `from`, `to`, `starts`, `ends`.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use service_recovery::{Actor, approval::Delegation};
///
/// let mo = Actor::builder().id("mgr-1").name("Mo").roles(["manager".into()].into()).build();
/// let cover = Delegation::builder()
///     .from(mo)
///     .to("sup-2")
///     .starts(Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap())
///     .ends(Utc.with_ymd_and_hms(2026, 3, 8, 0, 0, 0).unwrap())
///     .build();
/// assert!(cover.in_force_at(Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap()));
/// assert!(!cover.in_force_at(Utc.with_ymd_and_hms(2026, 3, 8, 0, 0, 0).unwrap()));
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Delegation {
    /// The person whose authority is delegated, with their roles and limits as the
    /// host knows them.
    pub from: Actor,
    /// The person who may act on it.
    #[builder(setter(into))]
    pub to: ActorId,
    /// When the delegation starts (inclusive).
    pub starts: DateTime<Utc>,
    /// When it ends (exclusive).
    pub ends: DateTime<Utc>,
}

impl Delegation {
    /// Whether the delegation is in force at `at`: `starts <= at < ends`.
    pub fn in_force_at(&self, at: DateTime<Utc>) -> bool {
        self.starts <= at && at < self.ends
    }
}
