//! The sentence an agent reads for every rejection code: one instance of each code and
//! its expected text. Where a fixture story produces the rejection, it comes from
//! `decide`, so the table also pins what the gate reports; the rest are built directly.
//! A code without a row fails `every_code_has_a_sentence`.

use std::collections::BTreeSet;
use std::sync::Arc;

use service_recovery::approval::{
    ApprovalRequirement, AuthorityShortfall, RequirementLevel, Role, Shortfall,
};
use service_recovery::case::{
    Conflict, Field, GoodwillGap, GoodwillOverLimit, PendingRequest, RaisedRequirement,
    RejectionCategory,
};
use service_recovery::id::{ActionId, ActorId, CommitmentId, QuestionId};
use service_recovery::playbook::StepKind;
use service_recovery::prelude::*;
use service_recovery::review::{Category, Finding, FindingSeverity, Span};
use service_recovery::schedule::commitment::{CommitmentStatus, Punctuality};
use service_recovery::testing::*;

/// What `decide` refuses after living through `given` under the airline policy.
fn refused(
    given: Vec<(Actor, i64, Command)>,
    actor: Actor,
    minute: i64,
    command: Command,
) -> Rejection {
    let policy = airline_policy();
    let mut case: Option<Case> = None;
    for (i, (who, m, c)) in given.into_iter().enumerate() {
        let events = decide(case.as_ref(), &c, &who, at(m), &policy)
            .unwrap_or_else(|r| panic!("given step {i} was refused: {r}"));
        for event in events {
            case = Some(evolve(case, event).expect("a well-formed history"));
        }
    }
    match decide(case.as_ref(), &command, &actor, at(minute), &policy) {
        Err(rejection) => rejection,
        Ok(events) => panic!("{command:?} was accepted: {events:?}"),
    }
}

/// The airline case with a waiver refund proposed by Dana at minute 10.
fn proposed() -> Vec<(Actor, i64, Command)> {
    let mut steps: Vec<_> = airline_ready()
        .into_iter()
        .map(|c| (dana(), 0, c))
        .collect();
    steps.push((dana(), 10, propose("o-1", waiver_refund())));
    steps
}

/// ... and its approval requested by Dana at minute 11.
fn requested() -> Vec<(Actor, i64, Command)> {
    let mut steps = proposed();
    steps.push((dana(), 11, request("o-1")));
    steps
}

fn with(
    mut steps: Vec<(Actor, i64, Command)>,
    more: Vec<(Actor, i64, Command)>,
) -> Vec<(Actor, i64, Command)> {
    steps.extend(more);
    steps
}

fn supervisor_level() -> RequirementLevel {
    RequirementLevel {
        role: Role::new("supervisor"),
        approvers: 1,
        amount: Some(usd(42_000)),
        waives: None,
        because: vec![],
    }
}

fn finding() -> Finding {
    Finding {
        rule_id: "hedged-apology.sorry-if".into(),
        category: Category::HedgedApology,
        severity: FindingSeverity::Error,
        span: Span { start: 0, end: 8 },
        matched: "sorry if".into(),
        explanation: Arc::from("hedges the apology"),
        suggestion: Arc::from("I'm sorry that …"),
        fix: None,
    }
}

fn table() -> Vec<(Rejection, &'static str)> {
    let q = || QuestionId::new("q-1");
    let a = || ActionId::new("a-1");
    let c = || CommitmentId::new("re-ship");
    vec![
        (Rejection::NotOpened, "this case has not been opened yet"),
        (
            Rejection::AlreadyOpened {
                case: CaseId::new("case-1"),
            },
            "case case-1 is already open",
        ),
        (
            Rejection::NotOpen {
                status: CaseStatus::Closed,
            },
            "the case is closed; reopen it first",
        ),
        (
            Rejection::StillOpen,
            "the case is still open, so it cannot be reopened",
        ),
        (
            Rejection::ClockWentBackwards {
                at: at(5),
                last: at(10),
            },
            "this command is dated 2026-03-02 14:05:00 UTC, before the case's last event at \
             2026-03-02 14:10:00 UTC; check the clock",
        ),
        (
            Rejection::StepNotInPlaybook {
                step: StepKind::Goodwill,
                playbook: "apology only".into(),
            },
            "the playbook \"apology only\" has no step to make a goodwill gesture",
        ),
        (
            Rejection::StepAlreadyDone {
                step: StepKind::Thank,
            },
            "you can thank the customer only once, and it was already done",
        ),
        (
            Rejection::StepOutOfOrder {
                step: StepKind::Explain,
                missing: vec![StepKind::Thank, StepKind::Apologize],
            },
            "you cannot explain what happened yet: first thank the customer and apologize",
        ),
        (
            Rejection::RequiredStepsMissing {
                missing: vec![StepKind::Explain, StepKind::FinalThanks, StepKind::Thank],
            },
            "the case cannot close yet: first explain what happened, give final thanks and \
             thank the customer",
        ),
        (
            Rejection::RootCauseMissing,
            "the case cannot close without a root cause (a category and a description)",
        ),
        (
            Rejection::ActionsOutstanding {
                actions: vec![a(), ActionId::new("a-2")],
            },
            "the case cannot close while agreed actions are not carried out: a-1, a-2",
        ),
        (
            Rejection::OffersAwaitingAnswer {
                options: vec![o("o-1")],
            },
            "the case cannot close while offers await the customer's answer: o-1",
        ),
        (
            Rejection::Blank {
                field: Field::Apology,
            },
            "the words of the apology must not be blank",
        ),
        (
            Rejection::QuestionExists { question: q() },
            "question q-1 was already asked",
        ),
        (
            Rejection::UnknownQuestion { question: q() },
            "no question q-1 was asked on this case",
        ),
        (
            Rejection::QuestionAnswered { question: q() },
            "question q-1 already has an answer",
        ),
        (
            Rejection::OptionExists { option: o("o-1") },
            "option o-1 already exists; revise it instead",
        ),
        (
            Rejection::UnknownOption { option: o("o-9") },
            "there is no option o-9 on this case",
        ),
        (
            Rejection::OptionAlreadyOffered {
                option: o("o-1"),
                status: OptionStatus::Accepted,
            },
            "option o-1 is already accepted, so it cannot be offered or changed",
        ),
        (
            Rejection::OfferNotOpen {
                option: o("o-1"),
                status: OptionStatus::Proposed,
            },
            "option o-1 is only proposed; the customer can only answer an open offer",
        ),
        (
            Rejection::OptionNotAccepted {
                option: o("o-1"),
                status: OptionStatus::Declined,
            },
            "option o-1 is declined; an action can only carry out an accepted option",
        ),
        (
            Rejection::ActionExists { action: a() },
            "action a-1 was already agreed",
        ),
        (
            Rejection::ActionNotAgreed { action: a() },
            "action a-1 was never agreed with the customer, so it cannot be carried out",
        ),
        (
            Rejection::ActionAlreadyDone { action: a() },
            "action a-1 was already carried out",
        ),
        (
            Rejection::SameChannel,
            "the conversation is already on this channel",
        ),
        (
            Rejection::SameOwner {
                owner: "Dana".into(),
            },
            "Dana already owns this case",
        ),
        (
            Rejection::PriorityWouldFall {
                current: Priority::High,
                requested: Priority::Low,
            },
            "an escalation cannot lower the priority from high to low",
        ),
        (
            Rejection::EscalationChangesNothing,
            "this escalation changes nothing: hand the case to someone else or raise its priority",
        ),
        (
            Rejection::NonPositiveAmount,
            "the amount must be more than zero",
        ),
        (
            Rejection::WordsNeedWork {
                step: StepKind::Apologize,
                findings: vec![finding(), finding()],
            },
            "the words to apologize need another try: \u{201c}sorry if\u{201d}: hedges the \
             apology (try: I'm sorry that …); \u{201c}sorry if\u{201d}: hedges the apology \
             (try: I'm sorry that …)",
        ),
        (
            Rejection::ReviewUnavailable {
                reason: "the rule set does not compile".into(),
            },
            "the language review is unavailable: the rule set does not compile",
        ),
        // The approval gate, from the airline story.
        (
            refused(proposed(), dana(), 12, offer("o-1")),
            "the refund of USD 420.00 needs approval from a supervisor, then a waiver of \
             non-refundable-fare from a manager; no approval has been requested",
        ),
        (
            refused(
                with(requested(), vec![(sue(), 12, deny("o-1"))]),
                dana(),
                13,
                offer("o-1"),
            ),
            "the refund of USD 420.00 cannot be offered: Sue denied approval at 14:12 UTC on \
             2026-03-02: \"no medical evidence\"; it can be offered only once a new request \
             is granted",
        ),
        (
            Rejection::ApprovalRequirementRaised {
                option: o("o-1"),
                raised: Box::new(RaisedRequirement {
                    resolution: waiver_refund(),
                    offered_by: "Sam".into(),
                    needed: ApprovalRequirement {
                        levels: vec![supervisor_level(), supervisor_level()],
                    },
                    requested: ApprovalRequirement {
                        levels: vec![supervisor_level()],
                    },
                }),
            },
            "offered by Sam, the refund of USD 420.00 needs approval from a supervisor, then \
             approval from a supervisor, but the request asked only for approval from a \
             supervisor; withdraw it and request approval again",
        ),
        (
            refused(
                with(
                    proposed(),
                    vec![(dana(), 11, propose("o-2", refund(2_000)))],
                ),
                dana(),
                12,
                request("o-2"),
            ),
            "the refund of USD 20.00 is within Dana's own authority; it needs no approval",
        ),
        (
            refused(requested(), dana(), 12, request("o-1")),
            "approval for option o-1 was already requested by Dana at 14:11 UTC on \
             2026-03-02; withdraw that request first",
        ),
        (
            refused(proposed(), sue(), 12, grant("o-1", 1)),
            "no approval request is pending for option o-1; request approval first",
        ),
        (
            Rejection::ApprovalConflict {
                option: o("o-1"),
                person: Box::new(dana().reference()),
                conflict: Conflict::Requested,
            },
            "Dana cannot approve option o-1: Dana requested the approval; nobody approves \
             their own request",
        ),
        (
            refused(requested(), sue(), 12, grant("o-1", 3)),
            "the request for option o-1 has 2 level(s); there is no level 3",
        ),
        (
            refused(requested(), mo(), 12, grant("o-1", 2)),
            "level 2 of the request for option o-1 cannot be granted yet: first level 1 \
             (approval from a supervisor) must be granted",
        ),
        (
            refused(
                with(requested(), vec![(sue(), 12, grant("o-1", 1))]),
                mo(),
                13,
                grant("o-1", 1),
            ),
            "level 1 of the request for option o-1 (approval from a supervisor) is already \
             granted",
        ),
        (
            refused(requested(), sam(), 12, grant("o-1", 1)),
            "Sam cannot grant approval from a supervisor: needs the role supervisor; Sam has \
             agent; the amount USD 420.00 needs approval in USD, and Sam may approve nothing \
             in it",
        ),
        (
            refused(requested(), sam(), 12, grant_for("o-1", 1, mo_to_lee())),
            "the delegation from Mo is made out to agent-3, not to the person acting",
        ),
        (
            refused(
                requested(),
                lee(),
                60 * 48,
                grant_for("o-1", 1, mo_to_lee()),
            ),
            "the delegation from Mo runs from 14:00 UTC on 2026-03-01 until 14:00 UTC on \
             2026-03-03; it is not in force now",
        ),
        (
            refused(requested(), sue(), 12, grant_until("o-1", 1, at(12))),
            "an approval cannot expire at 14:12 UTC on 2026-03-02, which is not after now \
             (14:12 UTC on 2026-03-02)",
        ),
        (
            refused(requested(), sam(), 12, withdraw("o-1")),
            "only Dana, who requested it, or the case's owner can withdraw the approval \
             request for option o-1",
        ),
        (
            Rejection::AmountTooLarge,
            "the amounts on this case are too large to add up",
        ),
        (
            Rejection::GoodwillLimitExceeded(Box::new(GoodwillOverLimit {
                customer: "Amara Okafor".into(),
                value: usd(3_000),
                given: usd(4_000),
                after: usd(7_000),
                limit: usd(5_000),
                window_days: 90,
            })),
            "a goodwill gesture worth USD 30.00 would bring Amara Okafor's goodwill in the \
             last 90 days from USD 40.00 to USD 70.00, over the limit of USD 50.00",
        ),
        (
            Rejection::GoodwillNeedsApproval(Box::new(GoodwillGap {
                value: usd(42_000),
                missing: ApprovalRequirement {
                    levels: vec![supervisor_level()],
                },
            })),
            "a goodwill gesture worth USD 420.00 is beyond what you may give alone and needs \
             approval from a supervisor; propose it as a goodwill option and \
             request approval",
        ),
        (
            Rejection::InvalidIdentifier {
                identifier: service_recovery::id::IdentifierError::Empty,
            },
            "the acting person's identifier cannot be used: an identifier cannot be empty",
        ),
        (
            Rejection::CommitmentsOpen {
                commitments: vec![c(), CommitmentId::new("call-back")],
            },
            "the case cannot close while promises to the customer are open: re-ship, \
             call-back; keep, break or cancel them (with a reason) first",
        ),
        (
            Rejection::CommitmentExists { commitment: c() },
            "promise re-ship was already made",
        ),
        (
            Rejection::UnknownCommitment { commitment: c() },
            "no promise re-ship was made on this case",
        ),
        (
            Rejection::CommitmentSettled {
                commitment: c(),
                status: CommitmentStatus::Kept(Punctuality::OnTime),
            },
            "promise re-ship is already kept (on time)",
        ),
        (
            Rejection::PromiseNotInFuture {
                promised_for: at(0),
                now: at(30),
            },
            "the date promised to the customer (2026-03-02 14:00:00 UTC) must be later than \
             now (2026-03-02 14:30:00 UTC)",
        ),
        (
            Rejection::NotWaiting,
            "the case is not waiting on anyone, so there is nothing to resume",
        ),
        (
            Rejection::SurveyScoreOutOfRange { score: 6 },
            "a survey score must be from 1 to 5; 6 is not",
        ),
        (
            Rejection::SurveyNeedsClosedCase {
                status: CaseStatus::Open,
            },
            "a survey can be recorded only after the case is closed; it is open",
        ),
        (
            Rejection::SurveyAlreadyRecorded,
            "the survey for this closing was already recorded",
        ),
    ]
}

#[test]
fn every_rejection_reads_as_its_sentence() {
    for (rejection, text) in table() {
        assert_eq!(
            rejection.to_string(),
            text,
            "the text of {}",
            rejection.code()
        );
    }
}

#[test]
fn every_code_has_a_sentence() {
    let covered: BTreeSet<&str> = table().iter().map(|(r, _)| r.code()).collect();
    let codes: BTreeSet<&str> = Rejection::CODES.iter().copied().collect();
    let missing: Vec<_> = codes.difference(&covered).collect();
    assert!(missing.is_empty(), "codes without a sentence: {missing:?}");
    assert_eq!(table().len(), Rejection::CODES.len(), "one row per code");
}

#[test]
fn the_gate_reports_pending_and_lapsed_requests() {
    let lapsed = refused(
        with(
            requested(),
            vec![
                (sue(), 12, grant_until("o-1", 1, at(20))),
                (mo(), 13, grant("o-1", 2)),
            ],
        ),
        dana(),
        30,
        offer("o-1"),
    );
    assert_eq!(
        lapsed.to_string(),
        "the refund of USD 420.00 needs approval from a supervisor; requested by Dana at \
         14:11 UTC on 2026-03-02; an approval it had lapsed at 14:20 UTC on 2026-03-02"
    );
    let pending = refused(requested(), dana(), 12, offer("o-1"));
    assert_eq!(
        pending.to_string(),
        "the refund of USD 420.00 needs approval from a supervisor, then a waiver of \
         non-refundable-fare from a manager; requested by Dana at 14:11 UTC on 2026-03-02; \
         not yet granted"
    );
    let Rejection::ApprovalNeeded { option, gap } = pending else {
        panic!("not an approval gap: {pending:?}")
    };
    assert_eq!(option, o("o-1"));
    assert_eq!(
        gap.request,
        Some(PendingRequest {
            by: dana().reference(),
            at: at(11),
            lapsed: None
        })
    );
}

#[test]
fn approval_conflicts_name_what_the_person_already_did() {
    let table = [
        (
            Conflict::Proposed,
            "Sue cannot approve option o-1: Sue proposed the option; nobody approves their \
             own proposal",
        ),
        (
            Conflict::GrantedLevel(1),
            "Sue cannot approve option o-1: Sue already granted level 1 of this request; each \
             level needs a different person",
        ),
        (
            Conflict::GrantedThisLevel(1),
            "Sue cannot approve option o-1: Sue already granted level 1; its approvers must \
             be different people",
        ),
    ];
    for (conflict, text) in table {
        let rejection = Rejection::ApprovalConflict {
            option: o("o-1"),
            person: Box::new(sue().reference()),
            conflict,
        };
        assert_eq!(rejection.to_string(), text);
    }
}

#[test]
fn authority_shortfalls_say_everything_that_is_missing() {
    let shortfall = |missing| AuthorityShortfall {
        approver: "Sam".into(),
        missing,
    };
    let table = [
        (
            shortfall(vec![Shortfall::Role {
                required: Role::new("manager"),
                highest_held: None,
            }]),
            "needs the role manager; Sam has no ranked role",
        ),
        (
            shortfall(vec![Shortfall::UnrankedRole {
                required: Role::new("director"),
            }]),
            "the role director is not ranked by the policy, so nobody can grant this",
        ),
        (
            shortfall(vec![
                Shortfall::Role {
                    required: Role::new("manager"),
                    highest_held: Some(Role::new("supervisor")),
                },
                Shortfall::ApprovalLimit {
                    amount: usd(240_000),
                    limit: Some(usd(100_000)),
                },
            ]),
            "needs the role manager; Sam has supervisor; the amount USD 2,400.00 exceeds \
             Sam's approval limit of USD 1,000.00",
        ),
    ];
    for (shortfall, text) in table {
        assert_eq!(shortfall.to_string(), text);
    }
}

#[test]
fn every_code_has_its_category() {
    for (rejection, _) in table() {
        let expected = match rejection.code() {
            "clock_went_backwards" | "review_unavailable" | "invalid_identifier" => {
                RejectionCategory::Infrastructure
            }
            "words_need_work" => RejectionCategory::Review,
            "commitments_open"
            | "commitment_exists"
            | "unknown_commitment"
            | "commitment_settled"
            | "promise_not_in_future"
            | "not_waiting"
            | "survey_score_out_of_range"
            | "survey_needs_closed_case"
            | "survey_already_recorded" => RejectionCategory::FollowUp,
            code if code.starts_with("approval_")
                || code.ends_with("_level")
                || code.starts_with("level_")
                || code.starts_with("delegation_")
                || [
                    "no_pending_approval",
                    "not_authorized_to_approve",
                    "expiry_not_in_future",
                    "cannot_withdraw_request",
                    "amount_too_large",
                    "goodwill_limit_exceeded",
                    "goodwill_needs_approval",
                ]
                .contains(&code) =>
            {
                RejectionCategory::Approval
            }
            _ => RejectionCategory::Case,
        };
        assert_eq!(rejection.category(), expected, "{}", rejection.code());
        assert_eq!(
            rejection.is_infrastructure(),
            expected == RejectionCategory::Infrastructure,
            "{}",
            rejection.code()
        );
    }
}

#[test]
fn actor_ids_in_delegation_texts_are_the_hosts_own() {
    let rejection = Rejection::DelegationNotForActor {
        from: "Mo".into(),
        to: ActorId::new("agent-3"),
    };
    assert_eq!(
        rejection.to_string(),
        "the delegation from Mo is made out to agent-3, not to the person acting"
    );
}
