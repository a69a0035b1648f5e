//! The checks a configuration passes before it becomes a policy.

use std::collections::BTreeSet;

use super::config::*;
use super::error::*;
use crate::approval::authority::RoleRanks;

pub(super) fn validate_levels(
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
pub(super) fn specs_cover(stronger: &[LevelSpec], weaker: &[LevelSpec], ranks: &RoleRanks) -> bool {
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

pub(super) fn validate_thresholds(rule: &AmountRule, ranks: &RoleRanks) -> Result<(), PolicyError> {
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

pub(super) fn validate_rules(
    config: &ApprovalPolicyConfig,
    ranks: &RoleRanks,
) -> Result<(), PolicyError> {
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
