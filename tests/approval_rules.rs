//! Every rule of the approval gate, each in a given/when/then scenario that fails if
//! the rule is removed.

mod support;

use service_recovery::approval::{Ledger, LedgerEntryKind};
use service_recovery::case::Conflict;
use service_recovery::prelude::*;
use service_recovery::scenario::{Scenario, ScenarioFailure};
use support::*;

type R = Result<(), ScenarioFailure>;

/// The case made ready by Dana, then each (actor, command) one minute apart.
fn story(steps: Vec<(Actor, Command)>) -> Result<Scenario, ScenarioFailure> {
    story_under(airline_policy(), steps)
}

fn story_under(policy: Policy, steps: Vec<(Actor, Command)>) -> Result<Scenario, ScenarioFailure> {
    let mut scenario = Scenario::new(policy).given_commands(&dana(), t0(), airline_ready())?;
    for (i, (actor, command)) in steps.into_iter().enumerate() {
        scenario = scenario.given_commands(&actor, at(i as i64 + 1), [command])?;
    }
    Ok(scenario)
}

fn rejection_text(outcome: &service_recovery::scenario::Outcome) -> String {
    match outcome.result() {
        Err(r) => r.to_string(),
        Ok(events) => panic!("expected a rejection, got {events:?}"),
    }
}

fn conflict(person: Actor, conflict: Conflict) -> Rejection {
    Rejection::ApprovalConflict {
        option: o("o1"),
        person: Box::new(person.reference()),
        conflict,
    }
}

// --- No offer before its approvals -------------------------------------------------

#[test]
fn an_option_beyond_own_limits_is_not_offered_without_a_request() {
    let outcome = story(vec![(dana(), propose("o1", waiver_refund()))])
        .unwrap()
        .when(&dana(), at(10), offer("o1"));
    assert!(matches!(
        outcome.result(),
        Err(Rejection::ApprovalNeeded { .. })
    ));
    assert_eq!(
        rejection_text(&outcome),
        "the refund of USD 420.00 needs approval from a supervisor, then a waiver of \
         non-refundable-fare from a manager; no approval has been requested"
    );
}

#[test]
fn an_option_within_own_limits_is_offered_without_a_request() -> R {
    story(vec![(dana(), propose("o1", refund(5_000)))])?
        .when(&dana(), at(10), offer("o1"))
        .then_events(vec![EventKind::OptionOffered {
            option: o("o1"),
            authority: evidence(&dana()),
        }])?;
    // ... but the per-case total counts: a second USD 50.00 is fine, a third is not.
    let outcome = story(vec![
        (dana(), propose("o1", refund(5_000))),
        (dana(), offer("o1")),
        (dana(), propose("o2", refund(5_000))),
        (dana(), offer("o2")),
        (dana(), propose("o3", refund(100))),
    ])?
    .when(&dana(), at(10), offer("o3"));
    assert_eq!(
        rejection_text(&outcome),
        "the refund of USD 1.00 needs approval from a supervisor; no approval has been requested"
    );
    Ok(())
}

#[test]
fn an_offer_waits_for_every_level() -> R {
    let steps = vec![
        (dana(), propose("o1", waiver_refund())),
        (dana(), request("o1")),
        (sue(), grant("o1", 1)),
    ];
    let outcome = story(steps.clone())?.when(&dana(), at(10), offer("o1"));
    assert_eq!(
        rejection_text(&outcome),
        "the refund of USD 420.00 needs a waiver of non-refundable-fare from a manager; \
         requested by Dana at 14:02 UTC on 2026-03-02; not yet granted"
    );
    let mut all = steps;
    all.push((mo(), grant("o1", 2)));
    story(all)?
        .when(&dana(), at(10), offer("o1"))
        .then_events(vec![EventKind::OptionOffered {
            option: o("o1"),
            authority: evidence(&dana()),
        }])?;
    Ok(())
}

#[test]
fn an_expired_approval_no_longer_counts() -> R {
    let steps = vec![
        (dana(), propose("o1", refund(8_000))),
        (dana(), request("o1")),
        (sue(), grant_until("o1", 1, at(30))),
    ];
    story(steps.clone())?
        .when(&dana(), at(29), offer("o1"))
        .then_events(vec![EventKind::OptionOffered {
            option: o("o1"),
            authority: evidence(&dana()),
        }])?;
    let outcome = story(steps.clone())?.when(&dana(), at(30), offer("o1"));
    assert_eq!(
        rejection_text(&outcome),
        "the refund of USD 80.00 needs approval from a supervisor; requested by Dana at \
         14:02 UTC on 2026-03-02; an approval it had lapsed at 14:30 UTC on 2026-03-02"
    );
    // The same person may renew a lapsed approval (but not one still valid).
    story(steps.clone())?
        .when(&sue(), at(20), grant("o1", 1))
        .then_rejected(conflict(sue(), Conflict::GrantedThisLevel(1)))?;
    story(steps)?
        .given_commands(&sue(), at(31), [grant("o1", 1)])?
        .when(&dana(), at(40), offer("o1"))
        .then_events(vec![EventKind::OptionOffered {
            option: o("o1"),
            authority: evidence(&dana()),
        }])?;
    Ok(())
}

#[test]
fn an_approval_cannot_expire_in_the_past() -> R {
    story(vec![
        (dana(), propose("o1", refund(8_000))),
        (dana(), request("o1")),
    ])?
    .when(&sue(), at(10), grant_until("o1", 1, at(10)))
    .then_rejected(Rejection::ExpiryNotInFuture {
        expires: at(10),
        now: at(10),
    })?;
    Ok(())
}

#[test]
fn the_requirement_depends_on_who_offers() -> R {
    // Sue's own limit covers USD 600.00, so her request for an upgrade needs only the
    // supervisor the upgrade rule asks for. Dana's does not: she needs a manager too.
    let steps = vec![
        (sue(), propose("o1", upgrade(60_000))),
        (sue(), request("o1")),
        (mo(), grant("o1", 1)),
    ];
    let outcome = story(steps.clone())?.when(&dana(), at(10), offer("o1"));
    assert!(matches!(
        outcome.result(),
        Err(Rejection::ApprovalRequirementRaised { .. })
    ));
    assert_eq!(
        rejection_text(&outcome),
        "offered by Dana, the upgrade of USD 600.00 needs approval from a supervisor, then \
         approval from a manager, but the request asked only for approval from a supervisor; \
         withdraw it and request approval again"
    );
    story(steps)?
        .when(&sue(), at(10), offer("o1"))
        .then_events(vec![EventKind::OptionOffered {
            option: o("o1"),
            authority: evidence(&sue()),
        }])?;
    Ok(())
}

#[test]
fn a_request_is_refused_when_nothing_needs_approval() {
    let outcome = story(vec![(dana(), propose("o1", refund(1_500)))])
        .unwrap()
        .when(&dana(), at(10), request("o1"));
    assert_eq!(
        rejection_text(&outcome),
        "the refund of USD 15.00 is within Dana's own authority; it needs no approval"
    );
}

#[test]
fn the_requirement_is_recorded_in_the_request() -> R {
    let case = story(vec![(dana(), propose("o1", waiver_refund()))])?
        .when(&dana(), at(10), request("o1"))
        .then_events(vec![EventKind::ApprovalRequested {
            option: o("o1"),
            resolution: Box::new(waiver_refund()),
            requirement: service_recovery::approval::ApprovalPolicy::example_airline()
                .requirement_for(
                    &waiver_refund(),
                    &dana().limits,
                    &service_recovery::money::MoneyTotals::new(),
                )
                .unwrap(),
            note: Some("medical certificate on file".into()),
        }])?
        .into_case()
        .expect("the story has a case");
    let last = case.history().last().unwrap();
    assert_eq!(
        last.kind.to_string(),
        "requested approval for option o1 (refund of USD 420.00 (waiving non-refundable-fare)), \
         which needs approval from a supervisor, then a waiver of non-refundable-fare from a \
         manager: \"medical certificate on file\""
    );
    Ok(())
}

#[test]
fn only_one_request_is_pending_at_a_time() {
    let outcome = story(vec![
        (dana(), propose("o1", waiver_refund())),
        (dana(), request("o1")),
    ])
    .unwrap()
    .when(&sam(), at(10), request("o1"));
    assert_eq!(
        rejection_text(&outcome),
        "approval for option o1 was already requested by Dana at 14:02 UTC on 2026-03-02; \
         withdraw that request first"
    );
}

// --- Denial ------------------------------------------------------------------------

#[test]
fn a_denied_request_blocks_the_offer_until_a_new_request_is_granted() -> R {
    let steps = vec![
        (dana(), propose("o1", refund(8_000))),
        (dana(), request("o1")),
        (sue(), deny("o1")),
    ];
    let outcome = story(steps.clone())?.when(&dana(), at(10), offer("o1"));
    assert_eq!(
        rejection_text(&outcome),
        "the refund of USD 80.00 cannot be offered: Sue denied approval at 14:03 UTC on \
         2026-03-02: \"no medical evidence\"; it can be offered only once a new request is granted"
    );
    let mut again = steps;
    again.push((dana(), request("o1")));
    let outcome = story(again.clone())?.when(&dana(), at(10), offer("o1"));
    assert!(matches!(
        outcome.result(),
        Err(Rejection::ApprovalNeeded { .. })
    ));
    again.push((mo(), grant("o1", 1)));
    story(again)?
        .when(&dana(), at(10), offer("o1"))
        .then_events(vec![EventKind::OptionOffered {
            option: o("o1"),
            authority: evidence(&dana()),
        }])?;
    Ok(())
}

#[test]
fn only_someone_who_could_grant_may_deny() {
    let outcome = story(vec![
        (dana(), propose("o1", waiver_refund())),
        (dana(), request("o1")),
    ])
    .unwrap()
    .when(&olive(), at(10), deny("o1"));
    assert_eq!(
        rejection_text(&outcome),
        "Olive cannot grant approval from a supervisor: needs the role supervisor; Olive has \
         no ranked role; the amount USD 420.00 needs approval in USD, and Olive may approve \
         nothing in it"
    );
}

// --- Who may approve ---------------------------------------------------------------

#[test]
fn nobody_approves_their_own_request() -> R {
    story(vec![
        (dana(), propose("o1", upgrade(10_000))),
        (sue(), request("o1")),
    ])?
    .when(&sue(), at(10), grant("o1", 1))
    .then_rejected(conflict(sue(), Conflict::Requested))?;
    Ok(())
}

#[test]
fn nobody_approves_an_option_they_proposed() -> R {
    story(vec![
        (sue(), propose("o1", waiver_refund())),
        (dana(), request("o1")),
    ])?
    .when(&sue(), at(10), grant("o1", 1))
    .then_rejected(conflict(sue(), Conflict::Proposed))?;
    Ok(())
}

#[test]
fn nobody_grants_two_levels_of_one_request() -> R {
    story(vec![
        (dana(), propose("o1", waiver_refund())),
        (dana(), request("o1")),
        (mo(), grant("o1", 1)),
    ])?
    .when(&mo(), at(10), grant("o1", 2))
    .then_rejected(conflict(mo(), Conflict::GrantedLevel(1)))?;
    Ok(())
}

#[test]
fn levels_are_granted_in_order() {
    let outcome = story(vec![
        (dana(), propose("o1", waiver_refund())),
        (dana(), request("o1")),
    ])
    .unwrap()
    .when(&mo(), at(10), grant("o1", 2));
    assert_eq!(
        rejection_text(&outcome),
        "level 2 of the request for option o1 cannot be granted yet: first level 1 \
         (approval from a supervisor) must be granted"
    );
    let outcome = story(vec![
        (dana(), propose("o1", waiver_refund())),
        (dana(), request("o1")),
    ])
    .unwrap()
    .when(&mo(), at(10), grant("o1", 3));
    assert!(matches!(
        outcome.result(),
        Err(Rejection::NoSuchLevel {
            level: 3,
            levels: 2,
            ..
        })
    ));
}

#[test]
fn a_level_of_two_approvers_needs_two_different_people() -> R {
    let steps = vec![
        (dana(), propose("o1", refund(250_000))),
        (dana(), request("o1")),
        (mo(), grant("o1", 1)),
    ];
    story(steps.clone())?
        .when(&mo(), at(10), grant("o1", 1))
        .then_rejected(conflict(mo(), Conflict::GrantedThisLevel(1)))?;
    let outcome = story(steps.clone())?.when(&dana(), at(10), offer("o1"));
    assert!(rejection_text(&outcome).contains("needs approval from 2 managers"));
    let mut both = steps;
    both.push((max(), grant("o1", 1)));
    let scenario = story(both)?;
    scenario
        .clone()
        .when(&sue(), at(10), grant("o1", 1))
        .then_rejected(Rejection::LevelAlreadyGranted {
            option: o("o1"),
            level: 1,
            granted: Box::new(
                scenario
                    .case()
                    .unwrap()
                    .approvals()
                    .get(&o("o1"))
                    .unwrap()
                    .request
                    .as_ref()
                    .unwrap()
                    .requirement
                    .levels[0]
                    .clone(),
            ),
        })?;
    scenario
        .when(&dana(), at(10), offer("o1"))
        .then_events(vec![EventKind::OptionOffered {
            option: o("o1"),
            authority: evidence(&dana()),
        }])?;
    Ok(())
}

#[test]
fn an_approver_needs_the_role() {
    let outcome = story(vec![
        (dana(), propose("o1", waiver_refund())),
        (dana(), request("o1")),
        (sue(), grant("o1", 1)),
    ])
    .unwrap()
    .when(&max(), at(10), grant("o1", 2))
    .result()
    .clone();
    assert!(outcome.is_ok(), "a manager may waive");
    let outcome = story(vec![
        (dana(), propose("o1", waiver_refund())),
        (dana(), request("o1")),
        (sue(), grant("o1", 1)),
    ])
    .unwrap()
    .when(&sam(), at(10), grant("o1", 2));
    assert_eq!(
        rejection_text(&outcome),
        "Sam cannot grant a waiver of non-refundable-fare from a manager: needs the role \
         manager; Sam has agent"
    );
}

#[test]
fn an_approver_needs_the_limit() {
    // An upgrade of USD 1,500.00 needs a supervisor (the upgrade rule) and a manager
    // (the amount), each authorised for the amount; Sue may approve only USD 1,000.00.
    let outcome = story(vec![
        (dana(), propose("o1", upgrade(150_000))),
        (dana(), request("o1")),
    ])
    .unwrap()
    .when(&sue(), at(10), grant("o1", 1));
    assert_eq!(
        rejection_text(&outcome),
        "Sue cannot grant approval from a supervisor: the amount USD 1,500.00 exceeds Sue's \
         approval limit of USD 1,000.00"
    );
}

// --- Delegation --------------------------------------------------------------------

fn waiting_for_the_waiver() -> Vec<(Actor, Command)> {
    vec![
        (dana(), propose("o1", waiver_refund())),
        (dana(), request("o1")),
        (sue(), grant("o1", 1)),
    ]
}

#[test]
fn a_delegate_grants_on_the_delegators_authority_within_the_dates() -> R {
    let case = story(waiting_for_the_waiver())?
        .when(&lee(), at(10), grant_for("o1", 2, mo_to_lee()))
        .then_events(vec![EventKind::ApprovalGranted {
            option: o("o1"),
            level: 2,
            granted: Box::new(service_recovery::approval::RequirementLevel {
                role: "manager".into(),
                approvers: 1,
                amount: None,
                waives: Some("non-refundable-fare".into()),
                because: vec![service_recovery::approval::LevelSource::Rule(
                    "non-refundable-fare".into(),
                )],
            }),
            expires: None,
            reason: "covering for a colleague".into(),
            on_behalf_of: Some(Box::new(mo_to_lee())),
            authority: evidence(&lee()),
        }])?
        .into_case()
        .expect("the story has a case");
    assert_eq!(
        case.history().last().unwrap().to_string(),
        "2026-03-02 14:10 UTC  Lee granted a waiver of non-refundable-fare from a manager \
         (level 2) for option o1 on behalf of Mo: \"covering for a colleague\""
    );
    Ok(())
}

#[test]
fn a_delegate_acts_only_within_the_dates() -> R {
    let mut late = mo_to_lee();
    late.starts = at(60);
    story(waiting_for_the_waiver())?
        .when(&lee(), at(10), grant_for("o1", 2, late.clone()))
        .then_rejected(Rejection::DelegationNotInForce {
            from: "Mo".into(),
            starts: late.starts,
            ends: late.ends,
        })?;
    let mut over = mo_to_lee();
    over.ends = at(10);
    story(waiting_for_the_waiver())?
        .when(&lee(), at(10), grant_for("o1", 2, over.clone()))
        .then_rejected(Rejection::DelegationNotInForce {
            from: "Mo".into(),
            starts: over.starts,
            ends: over.ends,
        })?;
    Ok(())
}

#[test]
fn a_delegation_is_used_only_by_its_delegate() -> R {
    story(waiting_for_the_waiver())?
        .when(&sam(), at(10), grant_for("o1", 2, mo_to_lee()))
        .then_rejected(Rejection::DelegationNotForActor {
            from: "Mo".into(),
            to: lee().id,
        })?;
    Ok(())
}

#[test]
fn a_delegate_acts_only_within_the_delegators_authority() {
    let mut from_sue = mo_to_lee();
    from_sue.from = sue();
    let outcome = story(vec![
        (dana(), propose("o1", waiver_refund())),
        (dana(), request("o1")),
        (max(), grant("o1", 1)),
    ])
    .unwrap()
    .when(&lee(), at(10), grant_for("o1", 2, from_sue));
    assert_eq!(
        rejection_text(&outcome),
        "Lee on behalf of Sue cannot grant a waiver of non-refundable-fare from a manager: \
         needs the role manager; Sue has supervisor"
    );
}

#[test]
fn a_delegate_is_still_not_the_requester_and_the_delegator_grants_one_level_only() -> R {
    // Lee requested: Lee cannot approve, even on Mo's authority.
    story(vec![
        (dana(), propose("o1", waiver_refund())),
        (lee(), request("o1")),
        (sue(), grant("o1", 1)),
    ])?
    .when(&lee(), at(10), grant_for("o1", 2, mo_to_lee()))
    .then_rejected(conflict(lee(), Conflict::Requested))?;
    // Mo granted level 1 himself: his delegate cannot grant level 2 on his authority.
    story(vec![
        (dana(), propose("o1", waiver_refund())),
        (dana(), request("o1")),
        (mo(), grant("o1", 1)),
    ])?
    .when(&lee(), at(10), grant_for("o1", 2, mo_to_lee()))
    .then_rejected(conflict(mo(), Conflict::GrantedLevel(1)))?;
    Ok(())
}

// --- Changing an option voids its approvals -----------------------------------------

#[test]
fn changing_the_terms_voids_the_approvals() -> R {
    let granted = vec![
        (dana(), propose("o1", refund(8_000))),
        (dana(), request("o1")),
        (sue(), grant("o1", 1)),
    ];
    let case = story(granted.clone())?
        .when(
            &dana(),
            at(10),
            Command::ReviseOption(ReviseOption {
                option: o("o1"),
                resolution: refund(9_000),
            }),
        )
        .then_events(vec![
            EventKind::OptionRevised {
                option: o("o1"),
                resolution: refund(9_000),
            },
            EventKind::ApprovalsVoided { option: o("o1") },
        ])?
        .into_case()
        .expect("the story has a case");
    let outcome = Scenario::new(airline_policy())
        .given(case.history().to_vec())?
        .when(&dana(), at(11), offer("o1"));
    assert_eq!(
        rejection_text(&outcome),
        "the refund of USD 90.00 needs approval from a supervisor; no approval has been requested"
    );
    // Rewording the description keeps them.
    let mut reworded = refund(8_000);
    reworded.description = "a refund of your fare".into();
    let case = story(granted)?
        .when(
            &dana(),
            at(10),
            Command::ReviseOption(ReviseOption {
                option: o("o1"),
                resolution: reworded.clone(),
            }),
        )
        .then_events(vec![EventKind::OptionRevised {
            option: o("o1"),
            resolution: reworded,
        }])?
        .into_case()
        .expect("the story has a case");
    Scenario::new(airline_policy())
        .given(case.history().to_vec())?
        .when(&dana(), at(11), offer("o1"))
        .then_events(vec![EventKind::OptionOffered {
            option: o("o1"),
            authority: evidence(&dana()),
        }])?;
    Ok(())
}

#[test]
fn changing_the_terms_voids_a_denial_too() -> R {
    story(vec![
        (dana(), propose("o1", refund(8_000))),
        (dana(), request("o1")),
        (sue(), deny("o1")),
    ])?
    .when(
        &dana(),
        at(10),
        Command::ReviseOption(ReviseOption {
            option: o("o1"),
            resolution: refund(4_000),
        }),
    )
    .then_events(vec![
        EventKind::OptionRevised {
            option: o("o1"),
            resolution: refund(4_000),
        },
        EventKind::ApprovalsVoided { option: o("o1") },
    ])?;
    Ok(())
}

// --- Withdrawal ----------------------------------------------------------------------

#[test]
fn only_the_requester_or_the_owner_withdraws_a_request() -> R {
    let steps = vec![
        (dana(), propose("o1", refund(8_000))),
        (sam(), request("o1")),
        (sue(), grant("o1", 1)),
    ];
    story(steps.clone())?
        .when(&olive(), at(10), withdraw("o1"))
        .then_rejected(Rejection::CannotWithdrawRequest {
            option: o("o1"),
            requester: "Sam".into(),
        })?;
    let case = story(steps)?
        .when(&dana(), at(10), withdraw("o1"))
        .then_events(vec![EventKind::ApprovalRequestWithdrawn {
            option: o("o1"),
            reason: "customer changed their mind".into(),
        }])?
        .into_case()
        .expect("the story has a case");
    // Its grants went with it.
    let outcome = Scenario::new(airline_policy())
        .given(case.history().to_vec())?
        .when(&dana(), at(11), offer("o1"));
    assert!(matches!(
        outcome.result(),
        Err(Rejection::ApprovalNeeded { .. })
    ));
    Ok(())
}

#[test]
fn grants_need_a_pending_request() -> R {
    story(vec![(dana(), propose("o1", refund(8_000)))])?
        .when(&sue(), at(10), grant("o1", 1))
        .then_rejected(Rejection::NoPendingApproval { option: o("o1") })?;
    Ok(())
}

// --- next_actions ---------------------------------------------------------------------

#[test]
fn next_actions_explain_a_blocked_offer_and_list_the_pending_request() {
    let scenario = story(vec![
        (dana(), propose("o1", waiver_refund())),
        (dana(), request("o1")),
        (sue(), grant("o1", 1)),
    ])
    .unwrap();
    let case = scenario.case().unwrap();
    let actions = next_actions(Some(case), &dana(), at(10), &airline_policy());
    let offer = actions
        .iter()
        .find(|a| a.intent == Intent::OfferOption(o("o1")))
        .unwrap();
    assert_eq!(
        offer.blocked.as_ref().unwrap().to_string(),
        "the refund of USD 420.00 needs a waiver of non-refundable-fare from a manager; \
         requested by Dana at 14:02 UTC on 2026-03-02; not yet granted"
    );
    let intents: Vec<&Intent> = actions.iter().map(|a| &a.intent).collect();
    assert!(intents.contains(&&Intent::GrantApproval(o("o1"))));
    assert!(intents.contains(&&Intent::DenyApproval(o("o1"))));
    assert!(intents.contains(&&Intent::WithdrawApprovalRequest(o("o1"))));
    assert!(!intents.contains(&&Intent::RequestApproval(o("o1"))));
    // Dana requested it, so she may not grant it; Mo may.
    let grant = |who: &Actor| {
        next_actions(Some(case), who, at(10), &airline_policy())
            .into_iter()
            .find(|a| a.intent == Intent::GrantApproval(o("o1")))
            .unwrap()
    };
    assert!(!grant(&dana()).is_allowed());
    assert!(grant(&mo()).is_allowed());
}

// --- The ledger and its limits ----------------------------------------------------------

#[test]
fn the_ledger_counts_offered_accepted_paid_and_goodwill() -> R {
    let case = story(vec![
        (dana(), propose("o1", refund(4_000))),
        (dana(), offer("o1")),
        (dana(), propose("o2", refund(3_000))),
        (dana(), offer("o2")),
        (
            dana(),
            Command::AcceptOffer(AcceptOffer { option: o("o1") }),
        ),
        (
            dana(),
            Command::AgreeAction(AgreeAction {
                action: ActionId::new("a1"),
                description: "refund USD 40.00 today".into(),
                option: Some(o("o1")),
            }),
        ),
        (
            dana(),
            Command::CarryOut(CarryOut {
                action: ActionId::new("a1"),
                outcome: "refunded".into(),
            }),
        ),
        (
            dana(),
            Command::Goodwill(Goodwill {
                description: "a lounge pass".into(),
                value: Some(usd(2_500)),
                prior: Ledger::new(),
            }),
        ),
    ])?
    .case()
    .cloned()
    .unwrap();
    let totals = case.ledger().totals().unwrap();
    assert_eq!(totals.offered.to_string(), "USD 70.00");
    assert_eq!(totals.accepted.to_string(), "USD 40.00");
    assert_eq!(totals.paid.to_string(), "USD 40.00");
    assert_eq!(totals.goodwill.to_string(), "USD 25.00");
    Ok(())
}

fn capped() -> Policy {
    Policy::builder()
        .approvals(service_recovery::approval::ApprovalPolicy::example_airline())
        .compensation(
            service_recovery::approval::CompensationLimits::builder()
                .goodwill_per_customer(vec![usd(10_000)])
                .build(),
        )
        .build()
}

fn prior_goodwill(minor: i64, days_ago: i64) -> Ledger {
    Ledger {
        entries: vec![service_recovery::approval::LedgerEntry {
            case: CaseId::new("case-0"),
            customer: CustomerId::new("cust-1"),
            at: t0() - chrono::Duration::days(days_ago),
            kind: LedgerEntryKind::Goodwill,
            option: None,
            amount: usd(minor),
        }],
    }
}

fn goodwill(minor: i64, prior: Ledger) -> Command {
    Command::Goodwill(Goodwill {
        description: "a travel voucher".into(),
        value: Some(usd(minor)),
        prior,
    })
}

#[test]
fn goodwill_per_customer_stays_within_the_rolling_limit() -> R {
    let given = || story_under(capped(), vec![(dana(), goodwill(2_000, Ledger::new()))]);
    let outcome = given()?.when(&dana(), at(10), goodwill(3_500, prior_goodwill(5_000, 30)));
    assert_eq!(
        rejection_text(&outcome),
        "a goodwill gesture worth USD 35.00 would bring Walter Grant's goodwill in the last 365 \
         days from USD 70.00 to USD 105.00, over the limit of USD 100.00"
    );
    given()?
        .when(&dana(), at(10), goodwill(3_000, prior_goodwill(5_000, 30)))
        .then_events(vec![EventKind::GoodwillGiven {
            description: "a travel voucher".into(),
            value: Some(usd(3_000)),
            authority: evidence(&dana()),
        }])?;
    // A gesture more than a year ago no longer counts.
    given()?
        .when(&dana(), at(10), goodwill(3_500, prior_goodwill(5_000, 366)))
        .then_events(vec![EventKind::GoodwillGiven {
            description: "a travel voucher".into(),
            value: Some(usd(3_500)),
            authority: evidence(&dana()),
        }])?;
    Ok(())
}
