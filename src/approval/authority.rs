//! Roles, their ranking, and each person's authority limits.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use typed_builder::TypedBuilder;

use super::policy::PolicyError;
use crate::money::{Currency, Money};

crate::id::identifier!(
    /// A role a person holds at the help desk, such as `agent`, `supervisor`, `manager`.
    ///
    /// Roles are the host's own names. Which role outranks which is not a property of the
    /// role but of the policy in force: see [`RoleRanks`]. Serialized as a plain string.
    Role
);

impl Role {
    /// The role with an English indefinite article: `a manager`, `an agent`.
    pub(crate) fn with_article(&self) -> String {
        let vowel = self
            .0
            .chars()
            .next()
            .is_some_and(|c| "aeiouAEIOU".contains(c));
        format!("{} {}", if vowel { "an" } else { "a" }, self.0)
    }

    /// The role in the plural, by the simple English rules (`managers`,
    /// `bosses`, `deputies`); roles are the host's words, so this is a best effort.
    pub(crate) fn plural(&self) -> String {
        let name = &self.0;
        let consonant_y_stem = name.strip_suffix('y').filter(|stem| {
            !stem
                .chars()
                .next_back()
                .is_some_and(|c| "aeiouAEIOU".contains(c))
        });
        if let Some(stem) = consonant_y_stem {
            format!("{stem}ies")
        } else if ["s", "x", "z", "ch", "sh"]
            .iter()
            .any(|end| name.ends_with(end))
        {
            format!("{name}es")
        } else {
            format!("{name}s")
        }
    }
}

/// The ranking of roles in a policy, lowest first: e.g.
/// `["agent", "supervisor", "manager", "director"]`.
///
/// **A role satisfies a requirement for its own rank and every rank below it**: a
/// manager may grant what needs a supervisor, a director what needs a manager. A
/// role that is not in the ranking satisfies nothing. Validated when built: at least
/// one role, no role twice. Serialized as the list of role names.
///
/// ```
/// use std::collections::BTreeSet;
/// use service_recovery::approval::{Role, RoleRanks};
///
/// let ranks = RoleRanks::new(vec!["agent".into(), "supervisor".into(), "manager".into()])?;
/// let held: BTreeSet<Role> = ["manager".into(), "trainer".into()].into();
/// assert!(ranks.satisfies(&held, &Role::new("supervisor")));
/// assert_eq!(ranks.highest_held(&held), Some(&Role::new("manager")));
/// assert!(!ranks.satisfies(&["agent".into()].into(), &Role::new("manager")));
/// # Ok::<(), service_recovery::approval::PolicyError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "Vec<Role>", into = "Vec<Role>")]
pub struct RoleRanks(Vec<Role>);

impl RoleRanks {
    /// Validates a ranking, lowest role first.
    ///
    /// # Errors
    ///
    /// [`PolicyError::EmptyRanks`] for an empty list, [`PolicyError::DuplicateRank`]
    /// if a role appears twice.
    pub fn new(roles: Vec<Role>) -> Result<RoleRanks, PolicyError> {
        if roles.is_empty() {
            return Err(PolicyError::EmptyRanks);
        }
        let mut seen = BTreeSet::new();
        for role in &roles {
            if !seen.insert(role) {
                return Err(PolicyError::DuplicateRank { role: role.clone() });
            }
        }
        Ok(RoleRanks(roles))
    }

    /// Wraps a list already known to be valid (non-empty, no duplicates).
    pub(crate) fn from_validated(roles: Vec<Role>) -> RoleRanks {
        RoleRanks(roles)
    }

    /// The roles, lowest first.
    pub fn roles(&self) -> &[Role] {
        &self.0
    }

    /// The position of `role` in the ranking (0 is the lowest), or `None` if unranked.
    pub fn rank_of(&self, role: &Role) -> Option<usize> {
        self.0.iter().position(|r| r == role)
    }

    /// The highest-ranked of `held`, ignoring roles that are not in the ranking.
    pub fn highest_held<'a>(&self, held: &'a BTreeSet<Role>) -> Option<&'a Role> {
        held.iter()
            .filter_map(|role| self.rank_of(role).map(|rank| (rank, role)))
            .max_by_key(|(rank, _)| *rank)
            .map(|(_, role)| role)
    }

    /// Whether someone holding `held` may act where `required` is needed: some held
    /// role ranks at or above `required`. False if `required` is not ranked.
    pub fn satisfies(&self, held: &BTreeSet<Role>, required: &Role) -> bool {
        match self.rank_of(required) {
            Some(needed) => held
                .iter()
                .filter_map(|role| self.rank_of(role))
                .any(|rank| rank >= needed),
            None => false,
        }
    }
}

impl TryFrom<Vec<Role>> for RoleRanks {
    type Error = PolicyError;

    fn try_from(value: Vec<Role>) -> Result<Self, Self::Error> {
        RoleRanks::new(value)
    }
}

impl From<RoleRanks> for Vec<Role> {
    fn from(value: RoleRanks) -> Self {
        value.0
    }
}

/// What one person may do on their own authority, per currency.
///
/// - `offer_per_option`: the largest single option they may offer without anyone's
///   approval;
/// - `offer_per_case`: the largest total they may have offered on one case without
///   approval (all options offered so far plus the new one);
/// - `approve_up_to`: the largest amount they may approve when someone else asks.
///
/// Each is a list of [`Money`], one per currency. **A currency that is not listed
/// means no authority in that currency** (nothing may be offered alone or approved in
/// it); if a currency is listed twice, the smaller amount counts. Amounts are
/// inclusive: a limit of USD 50.00 allows exactly USD 50.00.
///
/// Serialized with those three field names, each a list of `{"minor", "currency"}`
/// objects; missing fields mean an empty list.
///
/// ```
/// use service_recovery::approval::AuthorityLimits;
/// use service_recovery::money::{Currency, Money};
///
/// let usd = |minor| Money::new(minor, Currency::USD);
/// let sam = AuthorityLimits::builder()
///     .offer_per_option(vec![usd(5_000)])
///     .offer_per_case(vec![usd(10_000)])
///     .approve_up_to(vec![usd(100_000)])
///     .build();
/// assert!(sam.may_offer_alone(&usd(5_000), &usd(9_000)));
/// assert!(!sam.may_offer_alone(&usd(5_001), &usd(5_001)));   // over the per-option limit
/// assert!(!sam.may_offer_alone(&usd(4_000), &usd(12_000)));  // over the per-case limit
/// assert!(sam.may_approve(&usd(100_000)));
/// assert!(!sam.may_approve(&Money::new(100, Currency::EUR))); // no authority in EUR
/// ```
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    TypedBuilder,
    schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct AuthorityLimits {
    /// Largest single option offered without approval, per currency.
    #[builder(default)]
    #[serde(default)]
    pub offer_per_option: Vec<Money>,
    /// Largest case total offered without approval, per currency.
    #[builder(default)]
    #[serde(default)]
    pub offer_per_case: Vec<Money>,
    /// Largest amount this person may approve, per currency.
    #[builder(default)]
    #[serde(default)]
    pub approve_up_to: Vec<Money>,
}

/// The smallest limit listed for `currency`, if any.
fn limit_in(limits: &[Money], currency: Currency) -> Option<Money> {
    limits
        .iter()
        .filter(|m| m.currency() == currency)
        .min_by_key(|m| m.minor())
        .copied()
}

/// Whether `amount` is within `limit` (inclusive, same currency).
fn within(amount: &Money, limit: Option<Money>) -> bool {
    limit.is_some_and(|limit| amount.minor() <= limit.minor())
}

impl AuthorityLimits {
    /// No authority at all: everything needs approval, nothing may be approved.
    pub fn none() -> AuthorityLimits {
        AuthorityLimits::default()
    }

    /// The per-option offering limit in `currency`, if one is set.
    pub fn offer_per_option_in(&self, currency: Currency) -> Option<Money> {
        limit_in(&self.offer_per_option, currency)
    }

    /// The per-case offering limit in `currency`, if one is set.
    pub fn offer_per_case_in(&self, currency: Currency) -> Option<Money> {
        limit_in(&self.offer_per_case, currency)
    }

    /// The approval limit in `currency`, if one is set.
    pub fn approve_up_to_in(&self, currency: Currency) -> Option<Money> {
        limit_in(&self.approve_up_to, currency)
    }

    /// Whether this person may offer an option of `option_amount` without anyone's
    /// approval, when the case's total offered (in that currency, this option
    /// included) would become `case_total_after`. Both must be within the limits;
    /// two different currencies are never within them.
    pub fn may_offer_alone(&self, option_amount: &Money, case_total_after: &Money) -> bool {
        option_amount.currency() == case_total_after.currency()
            && within(
                option_amount,
                self.offer_per_option_in(option_amount.currency()),
            )
            && within(
                case_total_after,
                self.offer_per_case_in(case_total_after.currency()),
            )
    }

    /// Whether this person may approve `amount`.
    pub fn may_approve(&self, amount: &Money) -> bool {
        within(amount, self.approve_up_to_in(amount.currency()))
    }
}

/// The authority a decision relied on, recorded in the event it produced: the acting
/// person's roles and limits as the host vouched for them at that moment.
///
/// [`decide`](crate::decide) records it on every grant, denial, offer and goodwill
/// gesture, so that [`verify`](crate::verify) can re-check a stored history without
/// the host's staff directory. When the person acted on someone else's authority, the
/// delegation (with the delegator's roles and limits) is recorded beside it, in the
/// event's `on_behalf_of`.
///
/// Serialized as `{"roles": [...], "limits": {...}}`; both fields are required.
///
/// ```
/// use service_recovery::approval::{Authority, AuthorityLimits};
/// use service_recovery::money::{Currency, Money};
/// use service_recovery::Actor;
///
/// let sue = Actor::builder()
///     .id("sup-1")
///     .name("Sue")
///     .roles(["supervisor".into()].into())
///     .limits(AuthorityLimits::builder().approve_up_to(vec![Money::new(100_000, Currency::USD)]).build())
///     .build();
/// let authority = Authority::of(&sue);
/// assert_eq!(authority.roles, sue.roles);
/// assert!(authority.limits.may_approve(&Money::new(100_000, Currency::USD)));
/// assert_eq!(
///     serde_json::to_string(&authority).unwrap(),
///     r#"{"roles":["supervisor"],"limits":{"offer_per_option":[],"offer_per_case":[],"approve_up_to":[{"minor":100000,"currency":"USD"}]}}"#
/// );
/// ```
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    /// The roles the person held.
    pub roles: BTreeSet<Role>,
    /// The limits the person had.
    pub limits: AuthorityLimits,
}

impl Authority {
    /// The authority `actor` acts with: their roles and limits, copied.
    pub fn of(actor: &crate::actor::Actor) -> Authority {
        Authority {
            roles: actor.roles.clone(),
            limits: actor.limits.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(minor: i64) -> Money {
        Money::new(minor, Currency::USD)
    }

    #[test]
    fn ranks_are_validated() {
        assert_eq!(RoleRanks::new(vec![]), Err(PolicyError::EmptyRanks));
        assert_eq!(
            RoleRanks::new(vec!["agent".into(), "manager".into(), "agent".into()]),
            Err(PolicyError::DuplicateRank {
                role: "agent".into()
            })
        );
        assert!(serde_json::from_str::<RoleRanks>("[]").is_err());
    }

    #[test]
    fn a_higher_rank_satisfies_a_lower_requirement_but_not_the_reverse() -> Result<(), PolicyError>
    {
        let ranks = RoleRanks::new(vec!["agent".into(), "supervisor".into(), "manager".into()])?;
        let manager: BTreeSet<Role> = ["manager".into()].into();
        let supervisor: BTreeSet<Role> = ["supervisor".into()].into();
        let unranked: BTreeSet<Role> = ["auditor".into()].into();
        assert!(ranks.satisfies(&manager, &"agent".into()));
        assert!(ranks.satisfies(&manager, &"supervisor".into()));
        assert!(ranks.satisfies(&manager, &"manager".into()));
        assert!(ranks.satisfies(&supervisor, &"supervisor".into()));
        assert!(!ranks.satisfies(&supervisor, &"manager".into()));
        assert!(!ranks.satisfies(&unranked, &"agent".into()));
        assert!(!ranks.satisfies(&manager, &"auditor".into()));
        assert_eq!(ranks.highest_held(&unranked), None);
        assert_eq!(ranks.rank_of(&"manager".into()), Some(2));
        Ok(())
    }

    #[test]
    fn limits_are_inclusive_per_currency_and_the_smaller_duplicate_counts() {
        let limits = AuthorityLimits::builder()
            .offer_per_option(vec![usd(5_000), usd(3_000)])
            .offer_per_case(vec![usd(8_000)])
            .approve_up_to(vec![usd(50_000)])
            .build();
        assert_eq!(limits.offer_per_option_in(Currency::USD), Some(usd(3_000)));
        assert!(limits.may_offer_alone(&usd(3_000), &usd(8_000)));
        assert!(!limits.may_offer_alone(&usd(3_001), &usd(3_001)));
        assert!(!limits.may_offer_alone(&usd(1), &usd(8_001)));
        assert!(!limits.may_offer_alone(&usd(1), &Money::new(1, Currency::EUR)));
        assert!(
            !limits.may_offer_alone(&Money::new(1, Currency::EUR), &Money::new(1, Currency::EUR))
        );
        assert!(limits.may_approve(&usd(50_000)));
        assert!(!limits.may_approve(&usd(50_001)));
        assert!(!AuthorityLimits::none().may_approve(&usd(0)));
    }

    #[test]
    fn roles_read_as_english() {
        assert_eq!(Role::new("manager").with_article(), "a manager");
        assert_eq!(Role::new("agent").with_article(), "an agent");
        assert_eq!(Role::new("manager").plural(), "managers");
        assert_eq!(Role::new("boss").plural(), "bosses");
        assert_eq!(Role::new("deputy").plural(), "deputies");
        assert_eq!(Role::new("day").plural(), "days");
        assert_eq!(Role::new("y").plural(), "ies");
    }

    #[test]
    fn limits_serialize_with_documented_names() -> Result<(), serde_json::Error> {
        let limits = AuthorityLimits::builder()
            .approve_up_to(vec![usd(100_000)])
            .build();
        let json = serde_json::to_value(&limits)?;
        assert_eq!(
            json,
            serde_json::json!({
                "offer_per_option": [],
                "offer_per_case": [],
                "approve_up_to": [{"minor": 100000, "currency": "USD"}],
            })
        );
        assert_eq!(
            serde_json::from_str::<AuthorityLimits>(
                r#"{"approve_up_to":[{"minor":100000,"currency":"USD"}]}"#
            )?,
            limits
        );
        Ok(())
    }
}
