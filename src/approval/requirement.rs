//! What approvals an option needs, and whether a given person can grant them.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::authority::{AuthorityLimits, Role, RoleRanks};
use super::policy::RuleId;
use super::resolution::PolicyRef;
use crate::money::Money;

/// Why a [`RequirementLevel`] is part of a requirement.
///
/// Serialized in snake_case: `{"rule": "usd-amounts"}`, `"own_limit"`,
/// `"unlisted_waiver"`.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LevelSource {
    /// A rule of the policy, by id.
    Rule(RuleId),
    /// The option lies beyond the offering person's own limits (per option or per
    /// case) and no other level already covers it: the policy's `over_own_limit`.
    OwnLimit,
    /// The option waives a written policy that no waiver rule names: the policy's
    /// `unlisted_waiver`.
    UnlistedWaiver,
}

impl fmt::Display for LevelSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LevelSource::Rule(id) => write!(f, "rule `{id}`"),
            LevelSource::OwnLimit => f.write_str("the offering person's own limit"),
            LevelSource::UnlistedWaiver => f.write_str("the rule for unlisted waivers"),
        }
    }
}

/// One level of an approval: `approvers` distinct people, each holding `role` or a
/// role ranked above it, each authorised to approve `amount` (if any).
///
/// A level with `waives` set is a *waiver*: permission to make an exception to that
/// written policy. Waivers are granted by role alone, so their `amount` is `None`.
///
/// Serialized with the field names `role`, `approvers`, `amount`, `waives`, `because`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequirementLevel {
    /// The lowest role that may grant this level.
    pub role: Role,
    /// How many distinct people must grant it (at least one).
    pub approvers: u32,
    /// The amount each approver must be authorised to approve
    /// ([`AuthorityLimits::may_approve`]); `None` for waivers and options without money.
    pub amount: Option<Money>,
    /// The written policy this level waives, if it is a waiver.
    pub waives: Option<PolicyRef>,
    /// The rules that asked for this level.
    pub because: Vec<LevelSource>,
}

impl RequirementLevel {
    /// Whether this level is a waiver of a written policy.
    pub fn is_waiver(&self) -> bool {
        self.waives.is_some()
    }

    /// `a manager` or `2 managers`.
    fn who(&self) -> String {
        if self.approvers == 1 {
            self.role.with_article()
        } else {
            format!("{} {}", self.approvers, self.role.plural())
        }
    }
}

impl fmt::Display for RequirementLevel {
    /// `approval from a supervisor`, `approval from 2 managers`,
    /// `a waiver of non-refundable-fare from a manager`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.waives {
            Some(policy) => write!(f, "a waiver of {policy} from {}", self.who()),
            None => write!(f, "approval from {}", self.who()),
        }
    }
}

/// The approvals an option needs before it may be offered: levels granted in order,
/// lowest rank first. Empty means the offering person may offer it alone.
///
/// Serialized as `{"levels": [...]}`.
///
/// `Display` joins the levels in plain words:
/// `approval from a supervisor, then a waiver of non-refundable-fare from a manager`,
/// or `no approval`.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct ApprovalRequirement {
    /// The levels, in the order they are to be granted.
    pub levels: Vec<RequirementLevel>,
}

impl ApprovalRequirement {
    /// No approval needed.
    pub fn none() -> ApprovalRequirement {
        ApprovalRequirement::default()
    }

    /// Whether no approval is needed.
    pub fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }

    /// The waiver levels only.
    pub fn waivers(&self) -> impl Iterator<Item = &RequirementLevel> {
        self.levels.iter().filter(|level| level.is_waiver())
    }

    /// Whether `self` asks at least as much as `other`: every level of `other` is
    /// matched by a level of `self` that waives the same policy (or none), needs a
    /// role ranked at least as high, at least as many approvers, and authority for at
    /// least the same amount. A role outside `ranks` only matches itself.
    ///
    /// This is the order in which a requirement never decreases as an option's amount
    /// grows, and what a host can use to tell whether changing an option raised the
    /// bar.
    pub fn is_at_least_as_strict_as(&self, other: &ApprovalRequirement, ranks: &RoleRanks) -> bool {
        other.levels.iter().all(|weaker| {
            self.levels
                .iter()
                .any(|stronger| level_covers(stronger, weaker, ranks))
        })
    }
}

/// Whether `stronger` asks at least as much as `weaker` (see
/// [`ApprovalRequirement::is_at_least_as_strict_as`]).
fn level_covers(stronger: &RequirementLevel, weaker: &RequirementLevel, ranks: &RoleRanks) -> bool {
    let terms = LevelTerms {
        role: &weaker.role,
        rank: ranks.rank_of(&weaker.role),
        approvers: weaker.approvers,
        amount: weaker.amount.as_ref(),
        waives: weaker.waives.as_ref(),
    };
    covers(stronger, &terms, ranks)
}

/// What coverage compares of a level, borrowed, with its role's rank looked up
/// already: lets the policy check a level it has not built.
pub(crate) struct LevelTerms<'a> {
    /// The level's role.
    pub(crate) role: &'a Role,
    /// `role`'s rank, if it is ranked.
    pub(crate) rank: Option<usize>,
    /// How many approvers it needs.
    pub(crate) approvers: u32,
    /// The amount each approver must be authorised for, if any.
    pub(crate) amount: Option<&'a Money>,
    /// The written policy it waives, if it is a waiver.
    pub(crate) waives: Option<&'a PolicyRef>,
}

/// Whether `stronger` asks at least as much as the level `weaker` describes (see
/// [`ApprovalRequirement::is_at_least_as_strict_as`]). The cheap comparisons come
/// first; the role's rank, a lookup by name, last.
pub(crate) fn covers(
    stronger: &RequirementLevel,
    weaker: &LevelTerms<'_>,
    ranks: &RoleRanks,
) -> bool {
    let amount_covers = match (&stronger.amount, weaker.amount) {
        (_, None) => true,
        (Some(s), Some(w)) => s.currency() == w.currency() && s.minor() >= w.minor(),
        (None, Some(_)) => false,
    };
    stronger.waives.as_ref() == weaker.waives
        && stronger.approvers >= weaker.approvers
        && amount_covers
        && match (ranks.rank_of(&stronger.role), weaker.rank) {
            (Some(s), Some(w)) => s >= w,
            _ => &stronger.role == weaker.role,
        }
}

impl fmt::Display for ApprovalRequirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.levels.is_empty() {
            return f.write_str("no approval");
        }
        for (i, level) in self.levels.iter().enumerate() {
            if i > 0 {
                f.write_str(", then ")?;
            }
            write!(f, "{level}")?;
        }
        Ok(())
    }
}

/// One thing a would-be approver lacks, inside an [`AuthorityShortfall`].
///
/// Serialized with a `"lacks"` tag in snake_case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "lacks", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Shortfall {
    /// The approver holds no role ranked at or above the one required.
    Role {
        /// The role the level needs.
        required: Role,
        /// The approver's highest ranked role, if they hold any.
        highest_held: Option<Role>,
    },
    /// The level names a role the policy does not rank, so nobody can grant it.
    UnrankedRole {
        /// The role the level names.
        required: Role,
    },
    /// The amount is above what the approver may approve.
    ApprovalLimit {
        /// The amount to approve.
        amount: Money,
        /// The approver's limit in that currency, if they have one.
        limit: Option<Money>,
    },
}

/// Why a person cannot grant a [`RequirementLevel`]: everything they lack, so the
/// message can say all of it at once.
///
/// `Display` reads like `needs the role manager; Sam has supervisor; the amount
/// USD 2,400.00 exceeds Sam's approval limit of USD 1,000.00`.
///
/// Serialized with the field names `approver` and `missing`.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    thiserror::Error,
    schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct AuthorityShortfall {
    /// The would-be approver's name, as the host passed it.
    pub approver: String,
    /// What they lack (never empty when returned by [`can_grant`]).
    pub missing: Vec<Shortfall>,
}

impl fmt::Display for AuthorityShortfall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = &self.approver;
        for (i, shortfall) in self.missing.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            match shortfall {
                Shortfall::Role {
                    required,
                    highest_held: Some(held),
                } => write!(f, "needs the role {required}; {name} has {held}")?,
                Shortfall::Role {
                    required,
                    highest_held: None,
                } => write!(f, "needs the role {required}; {name} has no ranked role")?,
                Shortfall::UnrankedRole { required } => write!(
                    f,
                    "the role {required} is not ranked by the policy, so nobody can grant this"
                )?,
                Shortfall::ApprovalLimit {
                    amount,
                    limit: Some(limit),
                } => write!(
                    f,
                    "the amount {amount} exceeds {name}'s approval limit of {limit}"
                )?,
                Shortfall::ApprovalLimit {
                    amount,
                    limit: None,
                } => write!(
                    f,
                    "the amount {amount} needs approval in {}, and {name} may approve nothing in it",
                    amount.currency()
                )?,
            }
        }
        Ok(())
    }
}

/// Checks, at grant time, whether one person may grant one level.
///
/// Two things are checked, and every failure is reported:
///
/// 1. **Role**: the approver holds a role ranked at or above `level.role` in `ranks`
///    (roles outside the ranking count for nothing);
/// 2. **Amount**: if the level carries an amount, it is within the approver's
///    [`approve_up_to`](AuthorityLimits::approve_up_to) limit in its currency.
///
/// The amount checked is the level's own: it was copied from the option when the
/// requirement was computed, so an option changed afterwards needs a new requirement
/// (and its approvals are void). What this does *not* check, because it needs the
/// case's history: that the approver is not the person who asked, and that each of a
/// level's `approvers` is a different person. The case core does.
///
/// ```
/// use std::collections::BTreeSet;
/// use service_recovery::approval::{can_grant, ApprovalPolicy, AuthorityLimits, RequirementLevel, Role};
/// use service_recovery::money::{Currency, Money};
///
/// let policy = ApprovalPolicy::example_airline();
/// let level = RequirementLevel {
///     role: Role::new("manager"),
///     approvers: 1,
///     amount: Some(Money::new(240_000, Currency::USD)),
///     waives: None,
///     because: vec![],
/// };
/// let sam_roles: BTreeSet<Role> = ["supervisor".into()].into();
/// let sam_limits = AuthorityLimits::builder()
///     .approve_up_to(vec![Money::new(100_000, Currency::USD)])
///     .build();
/// let shortfall = can_grant(&level, "Sam", &sam_roles, &sam_limits, policy.ranks()).unwrap_err();
/// assert_eq!(
///     shortfall.to_string(),
///     "needs the role manager; Sam has supervisor; \
///      the amount USD 2,400.00 exceeds Sam's approval limit of USD 1,000.00"
/// );
/// ```
///
/// # Errors
///
/// An [`AuthorityShortfall`] listing everything the approver lacks.
pub fn can_grant(
    level: &RequirementLevel,
    approver_name: &str,
    approver_roles: &BTreeSet<Role>,
    approver_limits: &AuthorityLimits,
    ranks: &RoleRanks,
) -> Result<(), AuthorityShortfall> {
    let mut missing = Vec::new();
    if ranks.rank_of(&level.role).is_none() {
        missing.push(Shortfall::UnrankedRole {
            required: level.role.clone(),
        });
    } else if !ranks.satisfies(approver_roles, &level.role) {
        missing.push(Shortfall::Role {
            required: level.role.clone(),
            highest_held: ranks.highest_held(approver_roles).cloned(),
        });
    }
    if let Some(amount) = &level.amount {
        if !approver_limits.may_approve(amount) {
            missing.push(Shortfall::ApprovalLimit {
                amount: *amount,
                limit: approver_limits.approve_up_to_in(amount.currency()),
            });
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(AuthorityShortfall {
            approver: approver_name.to_owned(),
            missing,
        })
    }
}
