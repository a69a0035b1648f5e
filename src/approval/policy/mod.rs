//! The approval policy: data that says which approvals an option needs.

mod config;
mod error;
mod requirement;
mod tables;
#[cfg(test)]
mod tests;
mod validate;

pub use config::{
    AmountRule, ApprovalPolicyConfig, KindRule, LevelSpec, RuleId, Threshold, WaiverRule,
};
pub use error::{ConfigPlace, PolicyError};

use serde::{Deserialize, Serialize};

use crate::approval::authority::{Role, RoleRanks};
use crate::approval::resolution::ResolutionKind;
use crate::money::{Currency, Money};
use tables::*;
use validate::*;

/// A validated approval policy: which approvals a [`ResolutionOption`](crate::approval::ResolutionOption) needs before
/// it may be offered.
///
/// Build it from an [`ApprovalPolicyConfig`] with [`ApprovalPolicy::new`]; it
/// serializes as that configuration and validates again when deserialized. See the
/// [module docs](super) for how rules combine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "ApprovalPolicyConfig", into = "ApprovalPolicyConfig")]
pub struct ApprovalPolicy {
    config: ApprovalPolicyConfig,
    ranks: RoleRanks,
    over_own_limit: Vec<LevelSpec>,
    unlisted_waiver: Vec<LevelSpec>,
    tables: RuleTables,
}

impl ApprovalPolicy {
    /// Validates `config` into a policy.
    ///
    /// # Errors
    ///
    /// A [`PolicyError`] naming the first problem found: empty or duplicated ranks,
    /// a duplicate rule id, a role that is not ranked, zero approvers, a rule that
    /// requires nobody or applies to nothing, thresholds in the wrong currency, below
    /// zero, not increasing, or asking less than a lower threshold.
    pub fn new(config: ApprovalPolicyConfig) -> Result<ApprovalPolicy, PolicyError> {
        let ranks = RoleRanks::new(config.ranks.clone())?;
        validate_rules(&config, &ranks)?;
        if let Some(levels) = &config.over_own_limit {
            validate_levels(levels, &ranks, || ConfigPlace::OverOwnLimit)?;
        }
        if let Some(levels) = &config.unlisted_waiver {
            validate_levels(levels, &ranks, || ConfigPlace::UnlistedWaiver)?;
        }
        Ok(ApprovalPolicy::assemble(config, ranks))
    }

    /// Puts a policy together from a configuration whose rules are known to be valid,
    /// filling in the defaults.
    fn assemble(config: ApprovalPolicyConfig, ranks: RoleRanks) -> ApprovalPolicy {
        let roles = ranks.roles();
        let over_own_limit = config.over_own_limit.clone().unwrap_or_else(|| {
            roles
                .get(1)
                .or(roles.first())
                .map(|role| vec![LevelSpec::one(role.clone())])
                .unwrap_or_default()
        });
        let unlisted_waiver = config.unlisted_waiver.clone().unwrap_or_else(|| {
            roles
                .last()
                .map(|role| vec![LevelSpec::one(role.clone())])
                .unwrap_or_default()
        });
        let tables = RuleTables::new(&config, &ranks, &over_own_limit, &unlisted_waiver);
        ApprovalPolicy {
            config,
            ranks,
            over_own_limit,
            unlisted_waiver,
            tables,
        }
    }

    /// A realistic policy for an airline's help desk, for examples and tests:
    ///
    /// - ranks: `agent`, `supervisor`, `manager`, `director`;
    /// - `upgrades`: any upgrade needs a supervisor;
    /// - `usd-amounts` and `eur-amounts`: above 50.00 a supervisor, above 500.00 a
    ///   manager, above 2,000.00 two managers;
    /// - `non-refundable-fare`: waiving it needs a manager;
    /// - `30-day-return-window`: waiving it needs a supervisor;
    /// - beyond one's own limit: a supervisor (the default); waiving any other
    ///   written policy: a director (the default).
    ///
    /// As JSON (which [`ApprovalPolicy`] deserializes from, validating it):
    ///
    /// ```json
    /// {
    ///   "ranks": ["agent", "supervisor", "manager", "director"],
    ///   "kind_rules": [
    ///     {"id": "upgrades", "kinds": ["upgrade"], "requires": [{"role": "supervisor"}]}
    ///   ],
    ///   "amount_rules": [
    ///     {"id": "usd-amounts", "currency": "USD", "thresholds": [
    ///       {"above": {"minor": 5000, "currency": "USD"}, "requires": [{"role": "supervisor"}]},
    ///       {"above": {"minor": 50000, "currency": "USD"}, "requires": [{"role": "manager"}]},
    ///       {"above": {"minor": 200000, "currency": "USD"},
    ///        "requires": [{"role": "manager", "approvers": 2}]}
    ///     ]},
    ///     {"id": "eur-amounts", "currency": "EUR", "thresholds": ["...the same in EUR..."]}
    ///   ],
    ///   "waiver_rules": [
    ///     {"id": "non-refundable-fare", "policy": "non-refundable-fare",
    ///      "requires": [{"role": "manager"}]},
    ///     {"id": "30-day-return-window", "policy": "30-day-return-window",
    ///      "requires": [{"role": "supervisor"}]}
    ///   ]
    /// }
    /// ```
    pub fn example_airline() -> ApprovalPolicy {
        let tiers = |currency: Currency| {
            vec![
                Threshold::builder()
                    .above(Money::new(5_000, currency))
                    .requires(vec![LevelSpec::one("supervisor")])
                    .build(),
                Threshold::builder()
                    .above(Money::new(50_000, currency))
                    .requires(vec![LevelSpec::one("manager")])
                    .build(),
                Threshold::builder()
                    .above(Money::new(200_000, currency))
                    .requires(vec![LevelSpec::of(2, "manager")])
                    .build(),
            ]
        };
        let ranks: Vec<Role> = ["agent", "supervisor", "manager", "director"]
            .into_iter()
            .map(Role::from)
            .collect();
        let config = ApprovalPolicyConfig::builder()
            .ranks(ranks.clone())
            .kind_rules(vec![
                KindRule::builder()
                    .id("upgrades")
                    .kinds(vec![ResolutionKind::Upgrade])
                    .requires(vec![LevelSpec::one("supervisor")])
                    .build(),
            ])
            .amount_rules(vec![
                AmountRule::builder()
                    .id("usd-amounts")
                    .currency(Currency::USD)
                    .thresholds(tiers(Currency::USD))
                    .build(),
                AmountRule::builder()
                    .id("eur-amounts")
                    .currency(Currency::EUR)
                    .thresholds(tiers(Currency::EUR))
                    .build(),
            ])
            .waiver_rules(vec![
                WaiverRule::builder()
                    .id("non-refundable-fare")
                    .policy("non-refundable-fare")
                    .requires(vec![LevelSpec::one("manager")])
                    .build(),
                WaiverRule::builder()
                    .id("30-day-return-window")
                    .policy("30-day-return-window")
                    .requires(vec![LevelSpec::one("supervisor")])
                    .build(),
            ])
            .build();
        // Validated by the unit test `the_example_policy_is_valid`; assembled directly
        // so that this constructor needs no `Result`.
        ApprovalPolicy::assemble(config, RoleRanks::from_validated(ranks))
    }

    /// The policy [`Policy::default`](crate::Policy) uses when a host configures none:
    /// the front line is empowered within its own limits, and nothing more.
    ///
    /// - ranks: `agent`, `supervisor`, `manager`, `director`;
    /// - no kind, amount or waiver rules;
    /// - money beyond the offering person's own limits (per option and per case)
    ///   needs a supervisor (the `over_own_limit` default);
    /// - waiving any written policy needs a director (the `unlisted_waiver` default).
    ///
    /// So an actor with no limits needs a supervisor's approval for any option with
    /// money, and an actor whose limits cover an option offers it alone. Options without
    /// money or waivers never need approval.
    ///
    /// ```
    /// use service_recovery::approval::{ApprovalPolicy, AuthorityLimits, ResolutionKind, ResolutionOption};
    /// use service_recovery::money::{Currency, Money, MoneyTotals};
    ///
    /// let policy = ApprovalPolicy::standard();
    /// assert_eq!(policy, ApprovalPolicy::default());
    /// let refund = ResolutionOption::builder()
    ///     .kind(ResolutionKind::Refund)
    ///     .amount(Money::new(1_500, Currency::USD))
    ///     .build();
    /// let nobody = AuthorityLimits::none();
    /// let needed = policy.requirement_for(&refund, &nobody, &MoneyTotals::new())?;
    /// assert_eq!(needed.to_string(), "approval from a supervisor");
    /// # Ok::<(), service_recovery::money::MoneyError>(())
    /// ```
    pub fn standard() -> ApprovalPolicy {
        let ranks: Vec<Role> = ["agent", "supervisor", "manager", "director"]
            .into_iter()
            .map(Role::from)
            .collect();
        let config = ApprovalPolicyConfig::builder().ranks(ranks.clone()).build();
        // No rules to validate; the ranks are four distinct roles.
        ApprovalPolicy::assemble(config, RoleRanks::from_validated(ranks))
    }

    /// The configuration this policy was built from.
    pub fn config(&self) -> &ApprovalPolicyConfig {
        &self.config
    }

    /// The ranking of roles.
    pub fn ranks(&self) -> &RoleRanks {
        &self.ranks
    }

    /// The levels an option beyond the offering person's own limits needs, with the
    /// default filled in.
    pub fn over_own_limit(&self) -> &[LevelSpec] {
        &self.over_own_limit
    }

    /// The levels a waiver of an unlisted written policy needs, with the default
    /// filled in.
    pub fn unlisted_waiver(&self) -> &[LevelSpec] {
        &self.unlisted_waiver
    }
}

impl Default for ApprovalPolicy {
    /// [`ApprovalPolicy::standard`].
    fn default() -> Self {
        ApprovalPolicy::standard()
    }
}

impl TryFrom<ApprovalPolicyConfig> for ApprovalPolicy {
    type Error = PolicyError;

    fn try_from(value: ApprovalPolicyConfig) -> Result<Self, Self::Error> {
        ApprovalPolicy::new(value)
    }
}

impl From<ApprovalPolicy> for ApprovalPolicyConfig {
    fn from(value: ApprovalPolicy) -> Self {
        value.config
    }
}
