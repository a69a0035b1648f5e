//! Why a configuration is not a valid policy, and where.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::config::*;
use crate::approval::authority::Role;
use crate::money::{Currency, Money};

/// Where in a configuration a [`PolicyError`] was found.
///
/// Serialized in snake_case: `{"rule": "id"}`, `"over_own_limit"`, `"unlisted_waiver"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ConfigPlace {
    /// A rule, by id.
    Rule(RuleId),
    /// The `over_own_limit` setting.
    OverOwnLimit,
    /// The `unlisted_waiver` setting.
    UnlistedWaiver,
}

impl fmt::Display for ConfigPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigPlace::Rule(id) => write!(f, "rule `{id}`"),
            ConfigPlace::OverOwnLimit => f.write_str("the over_own_limit setting"),
            ConfigPlace::UnlistedWaiver => f.write_str("the unlisted_waiver setting"),
        }
    }
}

/// Why a configuration is not a valid [`ApprovalPolicy`](crate::approval::ApprovalPolicy).
///
/// Serialized with an `"error"` tag in snake_case.
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
#[serde(tag = "error", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PolicyError {
    /// `ranks` is empty.
    #[error(
        "the policy ranks no roles: list them lowest first, such as agent, supervisor, manager"
    )]
    EmptyRanks,
    /// A role appears twice in `ranks`.
    #[error("the role {role} is ranked twice")]
    DuplicateRank {
        /// The repeated role.
        role: Role,
    },
    /// Two rules share an id.
    #[error("two rules have the id `{id}`; each rule needs its own")]
    DuplicateRuleId {
        /// The shared id.
        id: RuleId,
    },
    /// A level names a role that is not in `ranks`.
    #[error("{place} names the role {role}, which is not among the ranked roles")]
    UnknownRole {
        /// Where.
        place: ConfigPlace,
        /// The unranked role.
        role: Role,
    },
    /// A level asks for zero approvers.
    #[error("{place} asks for zero approvers from the role {role}; ask for at least one")]
    ZeroApprovers {
        /// Where.
        place: ConfigPlace,
        /// The level's role.
        role: Role,
    },
    /// A rule, threshold or setting lists no level.
    #[error("{place} requires nobody's approval; list at least one role")]
    NoLevels {
        /// Where.
        place: ConfigPlace,
    },
    /// A kind rule lists no kind.
    #[error("rule `{rule}` applies to no kind of resolution; list at least one")]
    NoKinds {
        /// The rule.
        rule: RuleId,
    },
    /// An amount rule lists no threshold.
    #[error("rule `{rule}` has no thresholds; list at least one")]
    NoThresholds {
        /// The rule.
        rule: RuleId,
    },
    /// A threshold is in another currency than its rule.
    #[error("rule `{rule}` is for {expected} but has a threshold in {found}")]
    ThresholdCurrency {
        /// The rule.
        rule: RuleId,
        /// The rule's currency.
        expected: Currency,
        /// The threshold's currency.
        found: Currency,
    },
    /// A threshold is below zero.
    #[error("rule `{rule}` has a threshold below zero ({above}); thresholds start at zero")]
    NegativeThreshold {
        /// The rule.
        rule: RuleId,
        /// The threshold.
        above: Money,
    },
    /// Thresholds do not strictly increase.
    #[error("the thresholds of rule `{rule}` do not increase: {next} follows {previous}")]
    ThresholdsNotIncreasing {
        /// The rule.
        rule: RuleId,
        /// The earlier threshold.
        previous: Money,
        /// The threshold that is not above it.
        next: Money,
    },
    /// A threshold asks less than the one below it.
    #[error(
        "in rule `{rule}`, amounts above {above} would need less approval than smaller amounts; \
         each threshold must ask at least as much as the one below it"
    )]
    WeakerThreshold {
        /// The rule.
        rule: RuleId,
        /// The threshold that asks less.
        above: Money,
    },
}
