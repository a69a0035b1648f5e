//! Approval gates: which approvals and waivers a resolution needs before it may be
//! offered, and who may grant them.
//!
//! Some resolutions need someone's approval: a large refund, an upgrade, an
//! exception to a written policy. The rule of service recovery is to obtain it
//! *first*, and never offer something only to take it back. This module holds the
//! pure, data-driven building blocks; the gate itself lives in
//! [`decide`](crate::decide) (see [`case::approvals`](crate::case::approvals)), which
//! calls them when approval is requested and when an option is offered
//! ([`ApprovalPolicy::requirement_for`]), and when someone grants a level
//! ([`can_grant`]).
//!
//! # The gate
//!
//! 1. An agent proposes an option. If it lies within the offering person's own limits
//!    (per option and per case total) and waives nothing, it may be offered at once.
//! 2. Otherwise someone requests approval
//!    ([`Command::RequestApproval`](crate::Command::RequestApproval)): the
//!    [`ApprovalRequirement`] is computed against the requester's limits and the case's
//!    total, and recorded in the `approval_requested` event.
//! 3. Approvers grant its levels in order
//!    ([`Command::GrantApproval`](crate::Command::GrantApproval)), optionally until an
//!    expiry; each must hold the role and the limit, must not be the requester or a
//!    proposer, and may take part in one level only. A [`Delegation`] lets a colleague
//!    act on an absent approver's authority, within its dates.
//! 4. Someone who could grant may deny instead; a denial blocks the offer until a new
//!    request is granted. A request can be withdrawn. Changing the option's kind,
//!    amount or waived policies voids its request (an `approvals_voided` event).
//! 5. At the offer, the requirement is computed again against the *offering* person's
//!    limits; every level of the request must be granted and unexpired, and the request
//!    must ask at least as much as the offer needs now.
//!
//! The [`Ledger`] sums what was offered, accepted and paid, and the goodwill given,
//! from histories alone; [`CompensationLimits`] caps goodwill per customer over a
//! rolling window, counting the customer's other cases that the host passes in.
//!
//! # A map
//!
//! - [`ResolutionOption`], [`ResolutionKind`], [`PolicyRef`]: what is offered, and
//!   which written policies it makes an exception to.
//! - [`Role`], [`RoleRanks`], [`AuthorityLimits`]: who people are and what they may
//!   offer or approve on their own authority; [`Authority`]: the roles and limits a
//!   decision relied on, as its event records them.
//! - [`ApprovalPolicyConfig`] and its rules ([`KindRule`], [`AmountRule`] with
//!   [`Threshold`]s, [`WaiverRule`], each asking for [`LevelSpec`]s), validated into an
//!   [`ApprovalPolicy`] (or a [`PolicyError`] that says what is wrong).
//! - [`ApprovalRequirement`]: the [`RequirementLevel`]s an option needs, in the order
//!   they are granted; [`can_grant`] and its [`AuthorityShortfall`].
//! - [`Delegation`]: approval authority lent for a date range.
//! - [`Ledger`], [`LedgerEntry`], [`LedgerTotals`], [`CompensationLimits`]: the
//!   compensation ledger and its limits.
//!
//! # How a policy decides
//!
//! - **Ranks.** A policy ranks roles, lowest first (`agent`, `supervisor`, `manager`,
//!   `director`). A role satisfies a requirement for its own rank and any rank below
//!   it: a manager may grant what needs a supervisor.
//! - **Own authority first.** Money within the offering person's own limits, per
//!   option and per case total, needs no approval. Beyond them, the amount thresholds
//!   say who must approve; if no threshold is crossed, the policy's `over_own_limit`
//!   level (a supervisor by default) still is.
//! - **Kinds and waivers always count.** A kind rule ("any upgrade needs a
//!   supervisor") and a waiver rule ("waiving `non-refundable-fare` needs a manager")
//!   apply whatever the amount and whoever offers.
//! - **Strictest wins.** All levels asked for are combined: one per role (and per
//!   waived policy), each with the largest number of approvers asked, lowest rank
//!   first. Nothing is dropped.
//!
//! # Example: a medical exception to a non-refundable fare
//!
//! A veteran, medically unable to fly, asks for a refund of a non-refundable ticket.
//! The agent proposes a full refund of USD 420.00; the policy says a supervisor must
//! approve the amount and a manager must waive the fare rule, before it is offered.
//!
//! ```
//! use std::collections::BTreeSet;
//! use service_recovery::approval::{
//!     ApprovalPolicy, ApprovalPolicyConfig, AuthorityLimits, LevelSpec, ResolutionKind,
//!     ResolutionOption, Role, Threshold, AmountRule, WaiverRule,
//! };
//! use service_recovery::money::{Currency, Money, MoneyTotals};
//!
//! let usd = |minor| Money::new(minor, Currency::USD);
//! let policy = ApprovalPolicy::new(
//!     ApprovalPolicyConfig::builder()
//!         .ranks(vec!["agent".into(), "supervisor".into(), "manager".into()])
//!         .amount_rules(vec![AmountRule::builder()
//!             .id("usd-amounts")
//!             .currency(Currency::USD)
//!             .thresholds(vec![
//!                 Threshold::builder().above(usd(5_000)).requires(vec![LevelSpec::one("supervisor")]).build(),
//!                 Threshold::builder().above(usd(50_000)).requires(vec![LevelSpec::one("manager")]).build(),
//!             ])
//!             .build()])
//!         .waiver_rules(vec![WaiverRule::builder()
//!             .id("fare-rule")
//!             .policy("non-refundable-fare")
//!             .requires(vec![LevelSpec::one("manager")])
//!             .build()])
//!         .build(),
//! )?;
//!
//! let agent_limits = AuthorityLimits::builder()
//!     .offer_per_option(vec![usd(5_000)])
//!     .offer_per_case(vec![usd(10_000)])
//!     .build();
//! let refund = ResolutionOption::builder()
//!     .kind(ResolutionKind::Refund)
//!     .amount(usd(42_000))
//!     .waives(vec!["non-refundable-fare".into()])
//!     .description("A full refund of your ticket")
//!     .build();
//!
//! let needed = policy.requirement_for(&refund, &agent_limits, &MoneyTotals::new())?;
//! assert_eq!(
//!     needed.to_string(),
//!     "approval from a supervisor, then a waiver of non-refundable-fare from a manager"
//! );
//!
//! // At grant time: can Sam, a supervisor who may approve up to USD 1,000.00, grant
//! // the waiver? No, it needs a manager.
//! let sam_roles: BTreeSet<Role> = ["supervisor".into()].into();
//! let sam_limits = AuthorityLimits::builder().approve_up_to(vec![usd(100_000)]).build();
//! let [approval, waiver] = needed.levels.as_slice() else { unreachable!() };
//! assert!(policy.can_grant(approval, "Sam", &sam_roles, &sam_limits).is_ok());
//! let shortfall = policy.can_grant(waiver, "Sam", &sam_roles, &sam_limits).unwrap_err();
//! assert_eq!(shortfall.to_string(), "needs the role manager; Sam has supervisor");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The same policy as JSON is in the docs of [`ApprovalPolicy::example_airline`].

mod authority;
mod delegation;
mod ledger;
mod policy;
mod requirement;
mod resolution;

pub use authority::{Authority, AuthorityLimits, Role, RoleRanks};
pub use delegation::Delegation;
pub use ledger::{CompensationLimits, Ledger, LedgerEntry, LedgerEntryKind, LedgerTotals};
pub use policy::{
    AmountRule, ApprovalPolicy, ApprovalPolicyConfig, ConfigPlace, KindRule, LevelSpec,
    PolicyError, RuleId, Threshold, WaiverRule,
};
pub use requirement::{
    ApprovalRequirement, AuthorityShortfall, LevelSource, RequirementLevel, Shortfall, can_grant,
};
pub use resolution::{PolicyRef, ResolutionKind, ResolutionOption};
