//! Lookup tables built once from a valid configuration: rule indices by kind, by
//! currency and by waived policy, and each level's rank.

use std::collections::BTreeMap;

use super::config::*;
use crate::approval::authority::RoleRanks;
use crate::approval::requirement::LevelSource;
use crate::approval::resolution::{PolicyRef, ResolutionKind};
use crate::money::Currency;

/// A level as configured, with its role's rank looked up once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Ranked {
    pub(super) rank: usize,
    pub(super) approvers: u32,
}

/// Rule indices by key, sorted by key for a binary search. The indices of one key
/// ascend and appear once each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Index<K>(Vec<(K, Vec<usize>)>);

impl<K> Default for Index<K> {
    fn default() -> Self {
        Index(Vec::new())
    }
}

impl<K: Ord> Index<K> {
    /// Indexes `(key, rule index)` pairs given in ascending rule order.
    pub(super) fn new(entries: impl IntoIterator<Item = (K, usize)>) -> Index<K> {
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
    pub(super) fn get(&self, key: &K) -> Option<&[usize]> {
        let found = self.0.binary_search_by(|(k, _)| k.cmp(key)).ok()?;
        self.0.get(found).map(|(_, rules)| rules.as_slice())
    }
}

/// A currency as a number, for cheap comparisons: its three letters in order.
pub(super) fn currency_key(currency: Currency) -> u32 {
    currency
        .as_str()
        .bytes()
        .fold(0, |key, byte| (key << 8) | u32::from(byte))
}

/// Lookup tables built once from the configuration, so that computing a requirement
/// finds its rules by key and never compares role names. Rule indices point into the
/// configuration's lists and ascend, so rules are met in configuration order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct RuleTables {
    /// Kind rules by each kind they list.
    pub(super) kind_rules: Index<ResolutionKind>,
    /// Each kind rule's levels.
    pub(super) kind_levels: Vec<Vec<Ranked>>,
    /// Amount rules by currency (see [`currency_key`]).
    pub(super) amount_rules: Index<u32>,
    /// Each amount rule's thresholds: the amount in minor units and the levels.
    pub(super) thresholds: Vec<Vec<(i64, Vec<Ranked>)>>,
    /// Waiver rules by the written policy they govern.
    pub(super) waiver_rules: Index<PolicyRef>,
    /// Each waiver rule's levels.
    pub(super) waiver_levels: Vec<Vec<Ranked>>,
    /// The `over_own_limit` levels.
    pub(super) over_own_limit: Vec<Ranked>,
    /// The `unlisted_waiver` levels.
    pub(super) unlisted_waiver: Vec<Ranked>,
}

impl RuleTables {
    pub(super) fn new(
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
pub(super) enum Why<'a> {
    Rule(&'a RuleId),
    OwnLimit,
    UnlistedWaiver,
}

impl Why<'_> {
    pub(super) fn is(self, source: &LevelSource) -> bool {
        match (self, source) {
            (Why::Rule(id), LevelSource::Rule(other)) => id == other,
            (Why::OwnLimit, LevelSource::OwnLimit) => true,
            (Why::UnlistedWaiver, LevelSource::UnlistedWaiver) => true,
            _ => false,
        }
    }

    pub(super) fn source(self) -> LevelSource {
        match self {
            Why::Rule(id) => LevelSource::Rule(id.clone()),
            Why::OwnLimit => LevelSource::OwnLimit,
            Why::UnlistedWaiver => LevelSource::UnlistedWaiver,
        }
    }
}

/// A level found while computing a requirement, before merging.
#[derive(Debug, Clone, Copy)]
pub(super) struct Candidate<'a> {
    pub(super) rank: usize,
    pub(super) approvers: u32,
    pub(super) waives: Option<&'a PolicyRef>,
    pub(super) why: Why<'a>,
}

impl Candidate<'_> {
    pub(super) fn approval(level: Ranked, why: Why<'_>) -> Candidate<'_> {
        Candidate {
            rank: level.rank,
            approvers: level.approvers,
            waives: None,
            why,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::currency_key;
    use crate::money::Currency;

    #[test]
    fn a_currency_key_keeps_all_three_letters_in_order() {
        let key = |code: &str| currency_key(Currency::new(code).unwrap());
        assert_eq!(key("USD"), 0x0055_5344);
        // Same last letter, different currencies: different keys.
        assert_ne!(key("USD"), key("CAD"));
        assert_ne!(key("EUR"), key("RUE"));
        // Keys order as the codes do.
        assert!(key("CHF") < key("EUR") && key("EUR") < key("USD"));
    }
}
