//! What an option needs: the rules that apply, merged strictest-first, and whether a
//! granted requirement covers it.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;

use super::ApprovalPolicy;
use super::tables::*;
use crate::approval::authority::{AuthorityLimits, Role};
use crate::approval::requirement::{
    ApprovalRequirement, AuthorityShortfall, LevelTerms, RequirementLevel, can_grant, covers,
};
use crate::approval::resolution::{PolicyRef, ResolutionOption};
use crate::money::{Money, MoneyError, MoneyTotals};

impl ApprovalPolicy {
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
    pub(super) fn visit<'a, B>(
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
    pub(super) fn visit_approvals<'a, B>(
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
    pub(super) fn merge(
        &self,
        candidates: &[Candidate<'_>],
        amount: Option<Money>,
    ) -> ApprovalRequirement {
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
pub(super) fn beyond_own_limit(
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
