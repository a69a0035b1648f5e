//! Property tests of the indexed requirement computation against a plain scan.

use super::*;
use crate::approval::authority::{AuthorityLimits, Role};
use crate::approval::requirement::{ApprovalRequirement, LevelSource, RequirementLevel};
use crate::approval::resolution::{PolicyRef, ResolutionKind, ResolutionOption};
use crate::money::{Currency, Money, MoneyError, MoneyTotals};
use proptest::prelude::*;
use std::collections::BTreeMap;

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
    let kind_rules = prop::collection::vec((prop::collection::vec(0..4u8, 1..3), levels()), 0..4);
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
