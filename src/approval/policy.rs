//! The approval policy: data that says which approvals an option needs.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};
use typed_builder::TypedBuilder;

use super::authority::{AuthorityLimits, Role, RoleRanks};
use super::requirement::{
    ApprovalRequirement, AuthorityShortfall, LevelSource, LevelTerms, RequirementLevel, can_grant,
    covers,
};
use super::resolution::{PolicyRef, ResolutionKind, ResolutionOption};
use crate::money::{Currency, Money, MoneyError, MoneyTotals};

/// The host's identifier for a rule of an [`ApprovalPolicy`], unique within it.
/// Serialized as a plain string.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RuleId(String);

impl RuleId {
    /// Wraps the host's identifier.
    pub fn new(id: impl Into<String>) -> RuleId {
        RuleId(id.into())
    }

    /// The identifier.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for RuleId {
    fn from(value: &str) -> Self {
        RuleId::new(value)
    }
}

impl From<String> for RuleId {
    fn from(value: String) -> Self {
        RuleId(value)
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One level as configured: `approvers` distinct people of `role` or above.
///
/// Serialized as `{"role": "manager", "approvers": 2}`; `approvers` defaults to 1.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TypedBuilder)]
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
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TypedBuilder)]
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
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TypedBuilder)]
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
/// amount rules. See [`ApprovalPolicy::requirement_for`].
///
/// Serialized as `{"id", "currency", "kinds", "thresholds"}`; `kinds` may be omitted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TypedBuilder)]
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
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TypedBuilder)]
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

/// An approval policy as data, before validation. Build an [`ApprovalPolicy`] from it.
///
/// Serialized with the field names below; everything but `ranks` may be omitted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TypedBuilder)]
pub struct ApprovalPolicyConfig {
    /// The roles, lowest rank first (see [`RoleRanks`]).
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

/// Where in a configuration a [`PolicyError`] was found.
///
/// Serialized in snake_case: `{"rule": "id"}`, `"over_own_limit"`, `"unlisted_waiver"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// Why a configuration is not a valid [`ApprovalPolicy`].
///
/// Serialized with an `"error"` tag in snake_case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
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

/// A validated approval policy: which approvals a [`ResolutionOption`] needs before
/// it may be offered.
///
/// Build it from an [`ApprovalPolicyConfig`] with [`ApprovalPolicy::new`]; it
/// serializes as that configuration and validates again when deserialized. See the
/// [module docs](super) for how rules combine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ApprovalPolicyConfig", into = "ApprovalPolicyConfig")]
pub struct ApprovalPolicy {
    config: ApprovalPolicyConfig,
    ranks: RoleRanks,
    over_own_limit: Vec<LevelSpec>,
    unlisted_waiver: Vec<LevelSpec>,
    tables: RuleTables,
}

/// A level as configured, with its role's rank looked up once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ranked {
    rank: usize,
    approvers: u32,
}

/// Rule indices by key, sorted by key for a binary search. The indices of one key
/// ascend and appear once each.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Index<K>(Vec<(K, Vec<usize>)>);

impl<K> Default for Index<K> {
    fn default() -> Self {
        Index(Vec::new())
    }
}

impl<K: Ord> Index<K> {
    /// Indexes `(key, rule index)` pairs given in ascending rule order.
    fn new(entries: impl IntoIterator<Item = (K, usize)>) -> Index<K> {
        let mut by_key: BTreeMap<K, Vec<usize>> = BTreeMap::new();
        for (key, index) in entries {
            let rules = by_key.entry(key).or_default();
            // A rule that lists a key twice applies once.
            if rules.last() != Some(&index) {
                rules.push(index);
            }
        }
        Index(by_key.into_iter().collect())
    }

    /// The rules for `key`, in configuration order; `None` if there are none.
    fn get(&self, key: &K) -> Option<&[usize]> {
        let found = self.0.binary_search_by(|(k, _)| k.cmp(key)).ok()?;
        self.0.get(found).map(|(_, rules)| rules.as_slice())
    }
}

/// A currency as a number, for cheap comparisons: its three letters in order.
fn currency_key(currency: Currency) -> u32 {
    currency
        .as_str()
        .bytes()
        .fold(0, |key, byte| (key << 8) | u32::from(byte))
}

/// Lookup tables built once from the configuration, so that computing a requirement
/// finds its rules by key and never compares role names. Rule indices point into the
/// configuration's lists and ascend, so rules are met in configuration order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct RuleTables {
    /// Kind rules by each kind they list.
    kind_rules: Index<ResolutionKind>,
    /// Each kind rule's levels.
    kind_levels: Vec<Vec<Ranked>>,
    /// Amount rules by currency (see [`currency_key`]).
    amount_rules: Index<u32>,
    /// Each amount rule's thresholds: the amount in minor units and the levels.
    thresholds: Vec<Vec<(i64, Vec<Ranked>)>>,
    /// Waiver rules by the written policy they govern.
    waiver_rules: Index<PolicyRef>,
    /// Each waiver rule's levels.
    waiver_levels: Vec<Vec<Ranked>>,
    /// The `over_own_limit` levels.
    over_own_limit: Vec<Ranked>,
    /// The `unlisted_waiver` levels.
    unlisted_waiver: Vec<Ranked>,
}

impl RuleTables {
    fn new(
        config: &ApprovalPolicyConfig,
        ranks: &RoleRanks,
        over_own_limit: &[LevelSpec],
        unlisted_waiver: &[LevelSpec],
    ) -> RuleTables {
        // Every configured role is ranked (checked by `new`); an unranked one, possible
        // only in a policy assembled without validation, is skipped.
        let ranked = |specs: &[LevelSpec]| -> Vec<Ranked> {
            specs
                .iter()
                .filter_map(|spec| {
                    ranks.rank_of(&spec.role).map(|rank| Ranked {
                        rank,
                        approvers: spec.approvers,
                    })
                })
                .collect()
        };
        let kinds = config.kind_rules.iter().enumerate();
        let currencies = config.amount_rules.iter().enumerate();
        let policies = config.waiver_rules.iter().enumerate();
        RuleTables {
            kind_rules: Index::new(
                kinds
                    .clone()
                    .flat_map(|(i, rule)| rule.kinds.iter().map(move |kind| (kind.clone(), i))),
            ),
            kind_levels: config
                .kind_rules
                .iter()
                .map(|rule| ranked(&rule.requires))
                .collect(),
            amount_rules: Index::new(currencies.map(|(i, rule)| (currency_key(rule.currency), i))),
            thresholds: config
                .amount_rules
                .iter()
                .map(|rule| {
                    rule.thresholds
                        .iter()
                        .map(|t| (t.above.minor(), ranked(&t.requires)))
                        .collect()
                })
                .collect(),
            waiver_rules: Index::new(policies.map(|(i, rule)| (rule.policy.clone(), i))),
            waiver_levels: config
                .waiver_rules
                .iter()
                .map(|rule| ranked(&rule.requires))
                .collect(),
            over_own_limit: ranked(over_own_limit),
            unlisted_waiver: ranked(unlisted_waiver),
        }
    }
}

/// Why a candidate level is asked for, borrowed until a requirement is built.
#[derive(Debug, Clone, Copy)]
enum Why<'a> {
    Rule(&'a RuleId),
    OwnLimit,
    UnlistedWaiver,
}

impl Why<'_> {
    fn is(self, source: &LevelSource) -> bool {
        match (self, source) {
            (Why::Rule(id), LevelSource::Rule(other)) => id == other,
            (Why::OwnLimit, LevelSource::OwnLimit) => true,
            (Why::UnlistedWaiver, LevelSource::UnlistedWaiver) => true,
            _ => false,
        }
    }

    fn source(self) -> LevelSource {
        match self {
            Why::Rule(id) => LevelSource::Rule(id.clone()),
            Why::OwnLimit => LevelSource::OwnLimit,
            Why::UnlistedWaiver => LevelSource::UnlistedWaiver,
        }
    }
}

/// A level found while computing a requirement, before merging.
#[derive(Debug, Clone, Copy)]
struct Candidate<'a> {
    rank: usize,
    approvers: u32,
    waives: Option<&'a PolicyRef>,
    why: Why<'a>,
}

impl Candidate<'_> {
    fn approval(level: Ranked, why: Why<'_>) -> Candidate<'_> {
        Candidate {
            rank: level.rank,
            approvers: level.approvers,
            waives: None,
            why,
        }
    }
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

    /// The approvals `option` needs before the person whose limits are
    /// `offering_limits` may offer it, on a case where `case_total_offered_so_far`
    /// has been offered already (this option not included).
    ///
    /// The result is empty when they may offer it alone. Otherwise it is the merge of:
    ///
    /// 1. every **kind rule** for the option's kind;
    /// 2. if the option has an amount and it is **not within the person's own
    ///    limits** ([`AuthorityLimits::may_offer_alone`] with the case total after
    ///    this option), every **amount rule** for its currency (and kind): the
    ///    highest threshold the amount is strictly above; then, **as a floor**, the
    ///    policy's `over_own_limit` levels, each unless a level found so far already
    ///    asks at least as much (a role ranked as high, as many approvers). So an
    ///    agent with a USD 20.00 limit needs a supervisor for USD 30.00 even though
    ///    no threshold is crossed, and USD 600.00 needs a manager, not a supervisor
    ///    *and* a manager;
    /// 3. for each written policy the option **waives**, every waiver rule for it
    ///    (or the `unlisted_waiver` levels if none names it), whatever the amount.
    ///
    /// **Merging, strictest wins:** levels are grouped by role and by the policy they
    /// waive (approvals in one group, each waived policy in its own); in each group the
    /// largest number of approvers counts. Levels are ordered by rank, lowest first,
    /// approvals before waivers of the same rank. Approval levels carry the option's
    /// amount (each approver must be authorised for it); waiver levels carry none.
    /// Nothing is dropped because a higher level exists: a rule that asks for a
    /// supervisor and a rule that asks for a manager give "a supervisor, then a
    /// manager". The offering person's own roles never count: nobody approves their
    /// own offer.
    ///
    /// ```
    /// use service_recovery::approval::{ApprovalPolicy, AuthorityLimits, ResolutionKind, ResolutionOption};
    /// use service_recovery::money::{Currency, Money, MoneyTotals};
    ///
    /// let policy = ApprovalPolicy::example_airline();
    /// let usd = |minor| Money::new(minor, Currency::USD);
    /// let agent = AuthorityLimits::builder()
    ///     .offer_per_option(vec![usd(5_000)])
    ///     .offer_per_case(vec![usd(10_000)])
    ///     .build();
    ///
    /// let refund = ResolutionOption::builder()
    ///     .kind(ResolutionKind::Refund)
    ///     .amount(usd(42_000))
    ///     .waives(vec!["non-refundable-fare".into()])
    ///     .build();
    /// let needed = policy.requirement_for(&refund, &agent, &MoneyTotals::new())?;
    /// assert_eq!(
    ///     needed.to_string(),
    ///     "approval from a supervisor, then a waiver of non-refundable-fare from a manager"
    /// );
    ///
    /// let credit = ResolutionOption::builder()
    ///     .kind(ResolutionKind::AccountCredit)
    ///     .amount(usd(4_000))
    ///     .build();
    /// assert!(policy.requirement_for(&credit, &agent, &MoneyTotals::new())?.is_empty());
    /// # Ok::<(), service_recovery::money::MoneyError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`] if the case total plus this option does not fit.
    pub fn requirement_for(
        &self,
        option: &ResolutionOption,
        offering_limits: &AuthorityLimits,
        case_total_offered_so_far: &MoneyTotals,
    ) -> Result<ApprovalRequirement, MoneyError> {
        let beyond = beyond_own_limit(option, offering_limits, case_total_offered_so_far)?;
        let mut candidates: Vec<Candidate<'_>> = Vec::new();
        let _ = self.visit(option, beyond.as_ref(), &mut |candidate| {
            candidates.push(candidate);
            ControlFlow::<()>::Continue(())
        });
        Ok(self.merge(&candidates, option.amount))
    }

    /// Whether `granted` asks at least as much as
    /// [`requirement_for`](Self::requirement_for) with the same arguments would, in
    /// the sense of [`ApprovalRequirement::is_at_least_as_strict_as`], without
    /// building that requirement: each level is checked as it is found. With an empty
    /// `granted`, this says whether the option needs no approval at all.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`] if the case total plus this option does not fit.
    pub(crate) fn is_covered_by(
        &self,
        option: &ResolutionOption,
        offering_limits: &AuthorityLimits,
        case_total_offered_so_far: &MoneyTotals,
        granted: &ApprovalRequirement,
    ) -> Result<bool, MoneyError> {
        let beyond = beyond_own_limit(option, offering_limits, case_total_offered_so_far)?;
        let roles = self.ranks.roles();
        // A merged level is covered exactly when every candidate merged into it is:
        // they share its rank, policy and amount, and it takes their most approvers.
        let uncovered = self.visit(option, beyond.as_ref(), &mut |candidate| {
            let Some(role) = roles.get(candidate.rank) else {
                return ControlFlow::Continue(());
            };
            let terms = LevelTerms {
                role,
                rank: Some(candidate.rank),
                approvers: candidate.approvers,
                amount: if candidate.waives.is_some() {
                    None
                } else {
                    option.amount.as_ref()
                },
                waives: candidate.waives,
            };
            if granted
                .levels
                .iter()
                .any(|level| covers(level, &terms, &self.ranks))
            {
                ControlFlow::Continue(())
            } else {
                ControlFlow::Break(())
            }
        });
        Ok(uncovered.is_continue())
    }

    /// Calls `visit` with every candidate level for `option`, in order: kind rules,
    /// amount rules and the `over_own_limit` floor (when `beyond_own_limit` is the
    /// option's amount), then waivers. Stops when `visit` breaks.
    fn visit<'a, B>(
        &'a self,
        option: &'a ResolutionOption,
        beyond_own_limit: Option<&Money>,
        visit: &mut impl FnMut(Candidate<'a>) -> ControlFlow<B>,
    ) -> ControlFlow<B> {
        let floor = &self.tables.over_own_limit;
        let covers_floor = |c: &Candidate<'_>, floor: &Ranked| {
            c.waives.is_none() && c.rank >= floor.rank && c.approvers >= floor.approvers
        };
        // Bit `i`: floor level `i` (of the first 64) is covered by a rule's level.
        let mut by_rules: u64 = 0;
        self.visit_approvals(option, beyond_own_limit, &mut |candidate| {
            if beyond_own_limit.is_some() {
                for (i, level) in floor.iter().enumerate().take(64) {
                    if covers_floor(&candidate, level) {
                        by_rules |= 1 << i;
                    }
                }
            }
            visit(candidate)
        })?;
        if let Some(amount) = beyond_own_limit {
            for (i, level) in floor.iter().enumerate() {
                // A floor level is covered by a level found so far: a rule's, or an
                // earlier floor level (added, or itself covered by a rule's level that
                // then covers this one too).
                let covered = floor.iter().take(i).any(|earlier| {
                    covers_floor(&Candidate::approval(*earlier, Why::OwnLimit), level)
                }) || if i < 64 {
                    by_rules & (1 << i) != 0
                } else {
                    self.visit_approvals(option, Some(amount), &mut |c| {
                        if covers_floor(&c, level) {
                            ControlFlow::Break(())
                        } else {
                            ControlFlow::Continue(())
                        }
                    })
                    .is_break()
                };
                if !covered {
                    visit(Candidate::approval(*level, Why::OwnLimit))?;
                }
            }
        }
        for policy in &option.waives {
            let waiver = |level: &Ranked, why| Candidate {
                rank: level.rank,
                approvers: level.approvers,
                waives: Some(policy),
                why,
            };
            match self.tables.waiver_rules.get(policy) {
                Some(rules) => {
                    for &i in rules {
                        let rule = self.config.waiver_rules.get(i);
                        let levels = self.tables.waiver_levels.get(i);
                        if let Some((rule, levels)) = rule.zip(levels) {
                            for level in levels {
                                visit(waiver(level, Why::Rule(&rule.id)))?;
                            }
                        }
                    }
                }
                None => {
                    for level in &self.tables.unlisted_waiver {
                        visit(waiver(level, Why::UnlistedWaiver))?;
                    }
                }
            }
        }
        ControlFlow::Continue(())
    }

    /// The kind rules' levels, then (when `beyond_own_limit` is the option's amount)
    /// the levels of the highest threshold crossed of each amount rule that applies.
    fn visit_approvals<'a, B>(
        &'a self,
        option: &ResolutionOption,
        beyond_own_limit: Option<&Money>,
        visit: &mut impl FnMut(Candidate<'a>) -> ControlFlow<B>,
    ) -> ControlFlow<B> {
        let tables = &self.tables;
        for &i in tables.kind_rules.get(&option.kind).into_iter().flatten() {
            let rule = self.config.kind_rules.get(i);
            if let Some((rule, levels)) = rule.zip(tables.kind_levels.get(i)) {
                for level in levels {
                    visit(Candidate::approval(*level, Why::Rule(&rule.id)))?;
                }
            }
        }
        let Some(amount) = beyond_own_limit else {
            return ControlFlow::Continue(());
        };
        let rules = tables.amount_rules.get(&currency_key(amount.currency()));
        for &i in rules.into_iter().flatten() {
            let Some((rule, thresholds)) = self
                .config
                .amount_rules
                .get(i)
                .zip(tables.thresholds.get(i))
            else {
                continue;
            };
            if !(rule.kinds.is_empty() || rule.kinds.contains(&option.kind)) {
                continue;
            }
            let crossed = thresholds
                .iter()
                .rev()
                .find(|(above, _)| amount.minor() > *above);
            for level in crossed.into_iter().flat_map(|(_, levels)| levels) {
                visit(Candidate::approval(*level, Why::Rule(&rule.id)))?;
            }
        }
        ControlFlow::Continue(())
    }

    /// Merges candidate levels: one level per (rank, waived policy), keeping the
    /// largest number of approvers and every source, ordered by rank, approvals first.
    fn merge(&self, candidates: &[Candidate<'_>], amount: Option<Money>) -> ApprovalRequirement {
        let roles = self.ranks.roles();
        let mut groups: BTreeMap<(usize, Option<&PolicyRef>), RequirementLevel> = BTreeMap::new();
        for candidate in candidates {
            let Some(role) = roles.get(candidate.rank) else {
                continue;
            };
            let level = groups
                .entry((candidate.rank, candidate.waives))
                .or_insert_with(|| RequirementLevel {
                    role: role.clone(),
                    approvers: 0,
                    amount: if candidate.waives.is_some() {
                        None
                    } else {
                        amount
                    },
                    waives: candidate.waives.cloned(),
                    because: Vec::new(),
                });
            level.approvers = level.approvers.max(candidate.approvers);
            if !level.because.iter().any(|s| candidate.why.is(s)) {
                level.because.push(candidate.why.source());
            }
        }
        ApprovalRequirement {
            levels: groups.into_values().collect(),
        }
    }

    /// [`can_grant`] with this policy's ranks.
    ///
    /// # Errors
    ///
    /// An [`AuthorityShortfall`] listing everything the approver lacks.
    pub fn can_grant(
        &self,
        level: &RequirementLevel,
        approver_name: &str,
        approver_roles: &BTreeSet<Role>,
        approver_limits: &AuthorityLimits,
    ) -> Result<(), AuthorityShortfall> {
        can_grant(
            level,
            approver_name,
            approver_roles,
            approver_limits,
            &self.ranks,
        )
    }
}

/// The option's amount if it lies beyond the offering person's own limits (per option,
/// and per case with the total after it), so that amount rules apply to it.
fn beyond_own_limit(
    option: &ResolutionOption,
    offering_limits: &AuthorityLimits,
    case_total_offered_so_far: &MoneyTotals,
) -> Result<Option<Money>, MoneyError> {
    let Some(amount) = option.amount else {
        return Ok(None);
    };
    let total_after = case_total_offered_so_far.total_after(amount)?;
    Ok((!offering_limits.may_offer_alone(&amount, &total_after)).then_some(amount))
}

fn validate_levels(
    levels: &[LevelSpec],
    ranks: &RoleRanks,
    place: impl Fn() -> ConfigPlace,
) -> Result<(), PolicyError> {
    if levels.is_empty() {
        return Err(PolicyError::NoLevels { place: place() });
    }
    for level in levels {
        if ranks.rank_of(&level.role).is_none() {
            return Err(PolicyError::UnknownRole {
                place: place(),
                role: level.role.clone(),
            });
        }
        if level.approvers == 0 {
            return Err(PolicyError::ZeroApprovers {
                place: place(),
                role: level.role.clone(),
            });
        }
    }
    Ok(())
}

/// Whether every level of `weaker` is matched by a level of `stronger` with a role
/// ranked at least as high and at least as many approvers.
fn specs_cover(stronger: &[LevelSpec], weaker: &[LevelSpec], ranks: &RoleRanks) -> bool {
    weaker.iter().all(|w| {
        stronger.iter().any(|s| {
            let ranked_higher = match (ranks.rank_of(&s.role), ranks.rank_of(&w.role)) {
                (Some(s), Some(w)) => s >= w,
                _ => false,
            };
            ranked_higher && s.approvers >= w.approvers
        })
    })
}

fn validate_thresholds(rule: &AmountRule, ranks: &RoleRanks) -> Result<(), PolicyError> {
    if rule.thresholds.is_empty() {
        return Err(PolicyError::NoThresholds {
            rule: rule.id.clone(),
        });
    }
    let mut previous: Option<&Threshold> = None;
    for threshold in &rule.thresholds {
        let above = threshold.above;
        if above.currency() != rule.currency {
            return Err(PolicyError::ThresholdCurrency {
                rule: rule.id.clone(),
                expected: rule.currency,
                found: above.currency(),
            });
        }
        if above.is_negative() {
            return Err(PolicyError::NegativeThreshold {
                rule: rule.id.clone(),
                above,
            });
        }
        validate_levels(&threshold.requires, ranks, || {
            ConfigPlace::Rule(rule.id.clone())
        })?;
        if let Some(previous) = previous {
            if above.minor() <= previous.above.minor() {
                return Err(PolicyError::ThresholdsNotIncreasing {
                    rule: rule.id.clone(),
                    previous: previous.above,
                    next: above,
                });
            }
            if !specs_cover(&threshold.requires, &previous.requires, ranks) {
                return Err(PolicyError::WeakerThreshold {
                    rule: rule.id.clone(),
                    above,
                });
            }
        }
        previous = Some(threshold);
    }
    Ok(())
}

fn validate_rules(config: &ApprovalPolicyConfig, ranks: &RoleRanks) -> Result<(), PolicyError> {
    let mut ids = BTreeSet::new();
    let all_ids = config
        .kind_rules
        .iter()
        .map(|r| &r.id)
        .chain(config.amount_rules.iter().map(|r| &r.id))
        .chain(config.waiver_rules.iter().map(|r| &r.id));
    for id in all_ids {
        if !ids.insert(id) {
            return Err(PolicyError::DuplicateRuleId { id: id.clone() });
        }
    }
    for rule in &config.kind_rules {
        if rule.kinds.is_empty() {
            return Err(PolicyError::NoKinds {
                rule: rule.id.clone(),
            });
        }
        validate_levels(&rule.requires, ranks, || ConfigPlace::Rule(rule.id.clone()))?;
    }
    for rule in &config.amount_rules {
        validate_thresholds(rule, ranks)?;
    }
    for rule in &config.waiver_rules {
        validate_levels(&rule.requires, ranks, || ConfigPlace::Rule(rule.id.clone()))?;
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The straightforward algorithm the indexed one replaced: scan every rule,
    /// collect the levels, merge. The reference for `requirement_for`.
    fn reference(
        policy: &ApprovalPolicy,
        option: &ResolutionOption,
        limits: &AuthorityLimits,
        totals: &MoneyTotals,
    ) -> Result<ApprovalRequirement, MoneyError> {
        let ranks = policy.ranks();
        let mut found: Vec<(usize, u32, Option<&PolicyRef>, LevelSource)> = Vec::new();
        let push = |found: &mut Vec<_>, specs: &[LevelSpec], waives, source: LevelSource| {
            for spec in specs {
                if let Some(rank) = ranks.rank_of(&spec.role) {
                    found.push((rank, spec.approvers, waives, source.clone()));
                }
            }
        };
        for rule in &policy.config().kind_rules {
            if rule.kinds.contains(&option.kind) {
                push(
                    &mut found,
                    &rule.requires,
                    None,
                    LevelSource::Rule(rule.id.clone()),
                );
            }
        }
        if let Some(amount) = &option.amount {
            let after = totals.total_after(*amount)?;
            if !limits.may_offer_alone(amount, &after) {
                for rule in &policy.config().amount_rules {
                    let applies = rule.currency == amount.currency()
                        && (rule.kinds.is_empty() || rule.kinds.contains(&option.kind));
                    let crossed = rule
                        .thresholds
                        .iter()
                        .rev()
                        .find(|t| amount.minor() > t.above.minor());
                    if let Some(threshold) = crossed.filter(|_| applies) {
                        push(
                            &mut found,
                            &threshold.requires,
                            None,
                            LevelSource::Rule(rule.id.clone()),
                        );
                    }
                }
                for spec in policy.over_own_limit() {
                    let covered = found.iter().any(|(rank, approvers, waives, _)| {
                        waives.is_none()
                            && ranks.rank_of(&spec.role).is_some_and(|r| *rank >= r)
                            && *approvers >= spec.approvers
                    });
                    if !covered {
                        push(
                            &mut found,
                            std::slice::from_ref(spec),
                            None,
                            LevelSource::OwnLimit,
                        );
                    }
                }
            }
        }
        for waived in &option.waives {
            let rules: Vec<_> = policy
                .config()
                .waiver_rules
                .iter()
                .filter(|r| &r.policy == waived)
                .collect();
            for rule in &rules {
                push(
                    &mut found,
                    &rule.requires,
                    Some(waived),
                    LevelSource::Rule(rule.id.clone()),
                );
            }
            if rules.is_empty() {
                push(
                    &mut found,
                    policy.unlisted_waiver(),
                    Some(waived),
                    LevelSource::UnlistedWaiver,
                );
            }
        }
        let mut groups: BTreeMap<(usize, Option<&PolicyRef>), RequirementLevel> = BTreeMap::new();
        for (rank, approvers, waives, source) in found {
            let level = groups
                .entry((rank, waives))
                .or_insert_with(|| RequirementLevel {
                    role: ranks.roles()[rank].clone(),
                    approvers: 0,
                    amount: if waives.is_some() {
                        None
                    } else {
                        option.amount
                    },
                    waives: waives.cloned(),
                    because: Vec::new(),
                });
            level.approvers = level.approvers.max(approvers);
            if !level.because.contains(&source) {
                level.because.push(source);
            }
        }
        Ok(ApprovalRequirement {
            levels: groups.into_values().collect(),
        })
    }

    const ROLES: [&str; 3] = ["agent", "supervisor", "manager"];
    const POLICIES: [&str; 3] = ["p0", "p1", "p2"];

    fn kind(i: u8) -> ResolutionKind {
        match i {
            0 => ResolutionKind::Refund,
            1 => ResolutionKind::Upgrade,
            _ => ResolutionKind::Custom(format!("k{i}")),
        }
    }

    fn levels() -> impl Strategy<Value = Vec<LevelSpec>> {
        prop::collection::vec((0..3usize, 1..3u32), 1..3).prop_map(|specs| {
            specs
                .into_iter()
                .map(|(role, n)| LevelSpec::of(n, ROLES[role]))
                .collect()
        })
    }

    fn currency(usd: bool) -> Currency {
        if usd { Currency::USD } else { Currency::EUR }
    }

    /// Small policies whose rules overlap: repeated kinds and policies, several rules
    /// per currency, a floor of one or two levels.
    fn policies() -> impl Strategy<Value = ApprovalPolicy> {
        let kind_rules =
            prop::collection::vec((prop::collection::vec(0..4u8, 1..3), levels()), 0..4);
        let amount_rules = prop::collection::vec(
            (
                any::<bool>(),
                prop::collection::vec(0..4u8, 0..2),
                levels(),
                levels(),
            ),
            0..4,
        );
        let waiver_rules = prop::collection::vec((0..3usize, levels()), 0..4);
        let floor = prop::option::of(levels());
        (kind_rules, amount_rules, waiver_rules, floor).prop_map(|(k, a, w, floor)| {
            let mut id = 0;
            let mut next = || {
                id += 1;
                format!("r{id}")
            };
            let kind_rules = k
                .into_iter()
                .map(|(kinds, requires)| KindRule {
                    id: next().into(),
                    kinds: kinds.into_iter().map(kind).collect(),
                    requires,
                })
                .collect();
            let amount_rules = a
                .into_iter()
                .map(|(usd, kinds, low, high)| {
                    let c = currency(usd);
                    // The higher threshold asks for both, so it is never weaker.
                    let high = low.iter().chain(&high).cloned().collect();
                    AmountRule {
                        id: next().into(),
                        currency: c,
                        kinds: kinds.into_iter().map(kind).collect(),
                        thresholds: vec![
                            Threshold::builder()
                                .above(Money::new(1_000, c))
                                .requires(low)
                                .build(),
                            Threshold::builder()
                                .above(Money::new(5_000, c))
                                .requires(high)
                                .build(),
                        ],
                    }
                })
                .collect();
            let waiver_rules = w
                .into_iter()
                .map(|(policy, requires)| WaiverRule {
                    id: next().into(),
                    policy: POLICIES[policy].into(),
                    requires,
                })
                .collect();
            let config = ApprovalPolicyConfig {
                ranks: ROLES.iter().map(|r| Role::new(*r)).collect(),
                kind_rules,
                amount_rules,
                waiver_rules,
                over_own_limit: floor,
                unlisted_waiver: None,
            };
            ApprovalPolicy::new(config).unwrap_or_default()
        })
    }

    fn options() -> impl Strategy<Value = ResolutionOption> {
        (
            0..4u8,
            prop::option::of((any::<bool>(), 0..8_000i64)),
            prop::collection::vec(0..3usize, 0..3),
        )
            .prop_map(|(k, amount, waives)| ResolutionOption {
                kind: kind(k),
                amount: amount.map(|(usd, minor)| Money::new(minor, currency(usd))),
                waives: waives.into_iter().map(|p| POLICIES[p].into()).collect(),
                description: String::new(),
            })
    }

    fn limits() -> impl Strategy<Value = (AuthorityLimits, MoneyTotals)> {
        (0..4_000i64, 0..8_000i64, 0..4_000i64).prop_map(|(per_option, per_case, offered)| {
            let limits = AuthorityLimits::builder()
                .offer_per_option(vec![Money::new(per_option, Currency::USD)])
                .offer_per_case(vec![Money::new(per_case, Currency::USD)])
                .build();
            let mut totals = MoneyTotals::new();
            let _ = totals.add(Money::new(offered, Currency::USD));
            (limits, totals)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn indexed_requirements_match_the_rule_scan(
            policy in policies(),
            option in options(),
            (limits, totals) in limits(),
        ) {
            prop_assert_eq!(
                policy.requirement_for(&option, &limits, &totals),
                reference(&policy, &option, &limits, &totals)
            );
        }

        #[test]
        fn coverage_matches_building_and_comparing(
            policy in policies(),
            option in options(),
            requested in options(),
            (limits, totals) in limits(),
            (requester, _) in limits(),
        ) {
            let needed = policy.requirement_for(&option, &limits, &totals);
            let granted = policy
                .requirement_for(&requested, &requester, &totals)
                .unwrap_or_default();
            for granted in [granted, ApprovalRequirement::none()] {
                let expected = needed
                    .as_ref()
                    .map(|n| granted.is_at_least_as_strict_as(n, policy.ranks()))
                    .map_err(Clone::clone);
                prop_assert_eq!(
                    policy.is_covered_by(&option, &limits, &totals, &granted),
                    expected
                );
            }
        }
    }
}
