//! Goodwill is value reaching the customer, so it passes the same gate as an option:
//! within the giver's own limits it is given on the spot; beyond them it is refused
//! with what would allow it (propose it as a goodwill option and request approval).
//! Regression tests for defect 1 of the trust-boundary issue, which measured
//! USD 1,000,000 given by an agent whose limit was far lower.

mod support;

use service_recovery::approval::{CompensationLimits, Ledger, ResolutionKind, ResolutionOption};
use service_recovery::case::GoodwillGap;
use service_recovery::prelude::*;
use support::*;

fn gesture(minor: i64) -> Command {
    Command::Goodwill(Goodwill {
        description: "a travel voucher".into(),
        value: Some(usd(minor)),
        prior: Ledger::new(),
    })
}

/// A case ready for offers, opened and prepared by Dana under `policy`.
fn ready(policy: &Policy) -> Case {
    let mut case: Option<Case> = None;
    for command in airline_ready() {
        for event in decide(case.as_ref(), &command, &dana(), t0(), policy).unwrap() {
            case = Some(evolve(case, event).unwrap());
        }
    }
    case.unwrap()
}

fn apply(case: &mut Case, command: &Command, actor: &Actor, policy: &Policy) {
    for event in decide(Some(case), command, actor, at(60), policy).unwrap() {
        case.apply(event).unwrap();
    }
}

/// The refusal, checked to leave the case untouched.
fn refused(case: &Case, command: &Command, actor: &Actor, policy: &Policy) -> Rejection {
    let before = case.clone();
    let rejection = decide(Some(case), command, actor, at(60), policy).unwrap_err();
    assert_eq!(case, &before);
    rejection
}

#[test]
fn a_million_dollars_of_goodwill_is_refused_to_an_agent_with_a_fifty_dollar_limit() {
    let policy = airline_policy();
    let case = ready(&policy);
    let rejection = refused(&case, &gesture(100_000_000), &dana(), &policy);
    assert_eq!(rejection.code(), "goodwill_needs_approval");
    assert_eq!(rejection.category(), RejectionCategory::Approval);
    let Rejection::GoodwillNeedsApproval(gap) = &rejection else {
        panic!("{rejection:?}");
    };
    assert_eq!(gap.value, usd(100_000_000));
    assert!(!gap.missing.is_empty());
    assert_eq!(
        rejection.to_string(),
        format!(
            "a goodwill gesture worth USD 1,000,000.00 is beyond what you may give alone \
             and needs {}; propose it as a goodwill option and request approval",
            gap.missing
        )
    );
}

#[test]
fn the_refusal_names_the_same_approval_the_same_amount_as_an_option_would_need() {
    let policy = airline_policy();
    let case = ready(&policy);
    let option = ResolutionOption::builder()
        .kind(ResolutionKind::Goodwill)
        .amount(usd(100_000_000))
        .build();
    let expected = policy
        .approvals
        .requirement_for(&option, &dana().limits, &Default::default())
        .unwrap();
    let rejection = refused(&case, &gesture(100_000_000), &dana(), &policy);
    assert_eq!(
        rejection,
        Rejection::GoodwillNeedsApproval(Box::new(GoodwillGap {
            value: usd(100_000_000),
            missing: expected,
        }))
    );
}

#[test]
fn someone_with_no_roles_and_no_limits_gives_nothing_even_under_the_customer_cap() {
    let mut policy = airline_policy();
    policy.compensation = CompensationLimits::builder()
        .goodwill_per_customer(vec![usd(20_000)])
        .build();
    let case = ready(&policy);
    let rejection = refused(&case, &gesture(15_000), &olive(), &policy);
    assert_eq!(rejection.code(), "goodwill_needs_approval");
}

#[test]
fn the_default_policy_grants_no_authority_to_give_goodwill() {
    let policy = Policy::default();
    let case = live([open_case(), thank(), apologize()]);
    let rejection = refused(&case, &gesture(1_000), &lee(), &policy);
    assert_eq!(rejection.code(), "goodwill_needs_approval");
    // Without a value, a gesture moves no money and needs no authority.
    let words_only = Command::Goodwill(Goodwill {
        description: "a hand-written card".into(),
        value: None,
        prior: Ledger::new(),
    });
    assert!(decide(Some(&case), &words_only, &lee(), at(60), &policy).is_ok());
}

#[test]
fn within_the_givers_limits_goodwill_is_given_and_counts_toward_the_case_total() {
    // Dana may offer USD 50 an option and USD 100 a case.
    let policy = airline_policy();
    let mut case = ready(&policy);
    apply(&mut case, &gesture(5_000), &dana(), &policy);
    apply(&mut case, &gesture(4_000), &dana(), &policy);
    assert_eq!(
        case.ledger()
            .totals()
            .unwrap()
            .goodwill
            .get(usd(0).currency()),
        usd(9_000)
    );
    // USD 90 given: another USD 20 would take the case to USD 110.
    assert_eq!(
        refused(&case, &gesture(2_000), &dana(), &policy).code(),
        "goodwill_needs_approval"
    );
    apply(&mut case, &gesture(1_000), &dana(), &policy);
    // The goodwill given now counts against an option offered alone, too.
    apply(&mut case, &propose("o-1", refund(1_000)), &dana(), &policy);
    assert_eq!(
        refused(&case, &offer("o-1"), &dana(), &policy).code(),
        "approval_needed"
    );
}

#[test]
fn one_cent_over_the_per_gesture_limit_is_refused() {
    let policy = airline_policy();
    let case = ready(&policy);
    assert_eq!(
        refused(&case, &gesture(5_001), &dana(), &policy).code(),
        "goodwill_needs_approval"
    );
    assert!(decide(Some(&case), &gesture(5_000), &dana(), at(60), &policy).is_ok());
}

#[test]
fn the_way_through_is_a_goodwill_option_with_approval() {
    let policy = airline_policy();
    let mut case = ready(&policy);
    let voucher = ResolutionOption::builder()
        .kind(ResolutionKind::Goodwill)
        .amount(usd(20_000))
        .description("a USD 200 voucher")
        .build();
    apply(&mut case, &propose("o-1", voucher), &dana(), &policy);
    assert_eq!(
        refused(&case, &offer("o-1"), &dana(), &policy).code(),
        "approval_needed"
    );
    apply(&mut case, &request("o-1"), &dana(), &policy);
    apply(&mut case, &grant("o-1", 1), &sue(), &policy);
    apply(&mut case, &offer("o-1"), &dana(), &policy);
    assert_eq!(
        case.ledger()
            .totals()
            .unwrap()
            .offered
            .get(usd(0).currency()),
        usd(20_000)
    );
}
