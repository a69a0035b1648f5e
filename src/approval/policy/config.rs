//! The policy as the host writes it: rules by kind, by amount and by waived policy.

use serde::{Deserialize, Serialize};
use typed_builder::TypedBuilder;

use crate::approval::authority::Role;
use crate::approval::resolution::{PolicyRef, ResolutionKind};
use crate::money::{Currency, Money};

crate::id::identifier!(
    /// The host's identifier for a rule of an [`ApprovalPolicy`](crate::approval::ApprovalPolicy), unique within it.
    /// Serialized as a plain string.
    RuleId
);

/// One level as configured: `approvers` distinct people of `role` or above.
///
/// Serialized as `{"role": "manager", "approvers": 2}`; `approvers` defaults to 1.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct LevelSpec {
    /// The lowest role that may grant the level.
    #[builder(setter(into))]
    pub role: Role,
    /// How many distinct people must grant it; at least 1.
    #[builder(default = 1)]
    #[serde(default = "one")]
    pub approvers: u32,
}

fn one() -> u32 {
    1
}

impl LevelSpec {
    /// One approver of `role` or above.
    pub fn one(role: impl Into<Role>) -> LevelSpec {
        LevelSpec {
            role: role.into(),
            approvers: 1,
        }
    }

    /// `approvers` distinct people of `role` or above.
    pub fn of(approvers: u32, role: impl Into<Role>) -> LevelSpec {
        LevelSpec {
            role: role.into(),
            approvers,
        }
    }
}

/// Options of any of `kinds` need the levels in `requires`, whatever their amount.
///
/// Serialized as `{"id": ..., "kinds": [...], "requires": [...]}`.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct KindRule {
    /// The rule's identifier.
    #[builder(setter(into))]
    pub id: RuleId,
    /// The kinds of option it applies to (at least one).
    pub kinds: Vec<ResolutionKind>,
    /// The levels those options need (at least one).
    pub requires: Vec<LevelSpec>,
}

/// One step of an [`AmountRule`]: amounts strictly above `above` need `requires`.
///
/// Serialized as `{"above": {"minor": 5000, "currency": "USD"}, "requires": [...]}`.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// The amount this threshold starts *after*: exactly this amount is below it.
    pub above: Money,
    /// What amounts above it need (at least one level).
    pub requires: Vec<LevelSpec>,
}

/// Amount thresholds in one currency.
///
/// For an option in `currency` (and of one of `kinds`, if any are listed), the
/// **highest threshold the amount is strictly above** decides the levels; thresholds
/// do not add up, so a higher threshold lists everything its amounts need. Amounts at
/// or below the first threshold need nothing from this rule. Thresholds must increase,
/// and each must ask at least as much as the one below it (so the requirement never
/// falls as the amount grows).
///
/// These thresholds apply to money beyond the offering person's own authority: an
/// option within their own limits (per option and per case) needs nothing from
/// amount rules. See [`ApprovalPolicy::requirement_for`](crate::approval::ApprovalPolicy::requirement_for).
///
/// Serialized as `{"id", "currency", "kinds", "thresholds"}`; `kinds` may be omitted.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct AmountRule {
    /// The rule's identifier.
    #[builder(setter(into))]
    pub id: RuleId,
    /// The currency of the thresholds; options in other currencies are not affected.
    pub currency: Currency,
    /// The kinds of option it applies to; empty means every kind.
    #[builder(default)]
    #[serde(default)]
    pub kinds: Vec<ResolutionKind>,
    /// The thresholds, lowest first (at least one).
    pub thresholds: Vec<Threshold>,
}

/// Options that waive the written policy `policy` need a waiver of it, from the
/// levels in `requires`, whatever their amount.
///
/// Serialized as `{"id", "policy", "requires"}`.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct WaiverRule {
    /// The rule's identifier.
    #[builder(setter(into))]
    pub id: RuleId,
    /// The written policy whose waiver this rule governs.
    #[builder(setter(into))]
    pub policy: PolicyRef,
    /// Who may waive it (at least one level).
    pub requires: Vec<LevelSpec>,
}

/// An approval policy as data, before validation. Build an [`ApprovalPolicy`](crate::approval::ApprovalPolicy) from it.
///
/// Serialized with the field names below; everything but `ranks` may be omitted.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct ApprovalPolicyConfig {
    /// The roles, lowest rank first (see [`RoleRanks`](crate::approval::RoleRanks)).
    pub ranks: Vec<Role>,
    /// Rules by kind of option.
    #[builder(default)]
    #[serde(default)]
    pub kind_rules: Vec<KindRule>,
    /// Rules by amount.
    #[builder(default)]
    #[serde(default)]
    pub amount_rules: Vec<AmountRule>,
    /// Rules by written policy waived.
    #[builder(default)]
    #[serde(default)]
    pub waiver_rules: Vec<WaiverRule>,
    /// What an option beyond the offering person's own limits needs when no other
    /// level covers it. Default: one approver of the second-lowest rank (the first
    /// rank above the front line, e.g. a supervisor), or of the only rank if there is
    /// one.
    #[builder(default, setter(strip_option))]
    #[serde(default)]
    pub over_own_limit: Option<Vec<LevelSpec>>,
    /// What a waiver of a written policy that no waiver rule names needs. Default:
    /// one approver of the highest rank, because an exception to a rule nobody
    /// thought about deserves the most senior eyes.
    #[builder(default, setter(strip_option))]
    #[serde(default)]
    pub unlisted_waiver: Option<Vec<LevelSpec>>,
}
