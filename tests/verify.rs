//! `verify` re-checks stored histories: every history that `decide` produces
//! verifies, and every single-event mutation that breaks one of its rules is caught,
//! at the event at fault, with a plain sentence.

mod support;

use chrono::Duration;
use proptest::prelude::*;
use service_recovery::approval::{CompensationLimits, Ledger};
use service_recovery::case::Conflict;
use service_recovery::history::{StoredEvent, Upcasters};
use service_recovery::prelude::*;
use service_recovery::{Unchecked, UncheckedKind, Violation, verify};
use support::*;

// --- Building histories with decide ---------------------------------------------------

/// Runs `steps` (who, what, minutes after the previous step) through `decide`,
/// keeping what it accepts and skipping what it refuses: a history as a host that
/// obeys `decide` would store it.
fn history_of(policy: &Policy, steps: &[(Actor, Command, i64)]) -> Vec<Event> {
    let mut case: Option<Case> = None;
    let mut now = t0();
    for (actor, command, minutes) in steps {
        now += Duration::minutes(*minutes);
        if let Ok(events) = decide(case.as_ref(), command, actor, now, policy) {
            for event in events {
                case = Some(evolve(case, event).unwrap());
            }
        }
    }
    case.map(|c| c.history().to_vec()).unwrap_or_default()
}

/// Every step must be accepted.
fn accepted(policy: &Policy, steps: Vec<(Actor, Command)>) -> Vec<Event> {
    let mut case: Option<Case> = None;
    for (minute, (actor, command)) in steps.into_iter().enumerate() {
        let events = decide(case.as_ref(), &command, &actor, at(minute as i64), policy)
            .unwrap_or_else(|r| panic!("step {minute} ({command:?}) refused: {r}"));
        for event in events {
            case = Some(evolve(case, event).unwrap());
        }
    }
    case.unwrap().history().to_vec()
}

fn ready() -> Vec<(Actor, Command)> {
    airline_ready().into_iter().map(|c| (dana(), c)).collect()
}

fn goodwill(minor: i64) -> Command {
    Command::Goodwill(Goodwill {
        description: "a travel voucher".into(),
        value: Some(usd(minor)),
        prior: Ledger::new(),
    })
}

/// Renumbers from 1, after an event was removed or inserted.
fn renumber(history: &mut [Event]) {
    for (i, event) in history.iter_mut().enumerate() {
        event.sequence = i as u64 + 1;
    }
}

fn position(history: &[Event], pred: impl Fn(&EventKind) -> bool) -> usize {
    history
        .iter()
        .position(|e| pred(&e.kind))
        .expect("the event is there")
}

fn refused(violation: &Violation) -> &Rejection {
    match violation {
        Violation::Refused { rejection, .. } => rejection,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

// --- Stories ---------------------------------------------------------------------------

/// USD 420.00 on a non-refundable fare: Sue approves the amount, Mo waives the fare
/// rule, Dana offers, the customer accepts, it is carried out, and Sue adds a voucher.
fn waiver_story() -> Vec<Event> {
    let mut steps = ready();
    steps.extend([
        (dana(), propose("o-1", waiver_refund())),
        (dana(), request("o-1")),
        (sue(), grant("o-1", 1)),
        (mo(), grant("o-1", 2)),
        (dana(), offer("o-1")),
        (dana(), Command::from(AcceptOffer { option: o("o-1") })),
        (
            dana(),
            Command::from(AgreeAction {
                action: "act-1".into(),
                description: "refund the fare to the card by Friday".into(),
                option: Some(o("o-1")),
            }),
        ),
        (
            dana(),
            Command::from(CarryOut {
                action: "act-1".into(),
                outcome: "refunded".into(),
            }),
        ),
        // Dana's own case limit is used up by the refund; Sue's is not.
        (sue(), goodwill(2_000)),
    ]);
    accepted(&airline_policy(), steps)
}

/// USD 2,500.00: two managers must approve the one level.
fn two_manager_story() -> Vec<Event> {
    let mut steps = ready();
    steps.extend([
        (dana(), propose("o-1", refund(250_000))),
        (dana(), request("o-1")),
        (mo(), grant("o-1", 1)),
        (max(), grant("o-1", 1)),
        (dana(), offer("o-1")),
    ]);
    accepted(&airline_policy(), steps)
}

// --- Histories decide produces verify ---------------------------------------------------

#[test]
fn the_stories_verify_completely() {
    let policy = airline_policy();
    for history in [waiver_story(), two_manager_story()] {
        let report = verify(&history, &policy).unwrap();
        assert!(report.is_complete(), "{report}");
        assert_eq!(report.events(), history.len());
        assert_eq!(
            report.to_string(),
            format!("all {} events verified", history.len())
        );
    }
}

#[test]
fn a_delegated_grant_verifies() {
    let mut steps = ready();
    steps.extend([
        (dana(), propose("o-1", waiver_refund())),
        (dana(), request("o-1")),
        (sue(), grant("o-1", 1)),
        (lee(), grant_for("o-1", 2, mo_to_lee())),
        (dana(), offer("o-1")),
    ]);
    let history = accepted(&airline_policy(), steps);
    assert!(verify(&history, &airline_policy()).unwrap().is_complete());
}

#[test]
fn the_version_1_fixture_loads_and_verifies() {
    let stored: Vec<StoredEvent> =
        serde_json::from_str(include_str!("fixtures/history_v1.json")).unwrap();
    let history: Vec<Event> = stored
        .iter()
        .map(|s| s.decode(&Upcasters::builtin()).unwrap())
        .collect();
    let report = verify(&history, &Policy::default()).unwrap();
    assert_eq!(report.to_string(), "all 9 events verified");
}

// --- One violation of each kind, with its sentence and its event ------------------------

#[test]
fn each_violation_names_its_event_in_a_plain_sentence() {
    let policy = airline_policy();
    let story = waiver_story();
    let two = two_manager_story();
    let propose_at = position(&story, |k| matches!(k, EventKind::OptionProposed { .. }));
    let request_at = position(&story, |k| matches!(k, EventKind::ApprovalRequested { .. }));
    let grant_at = position(&story, |k| matches!(k, EventKind::ApprovalGranted { .. }));
    let agreed_at = position(&story, |k| matches!(k, EventKind::ActionAgreed { .. }));
    assert_eq!((propose_at, request_at, grant_at, agreed_at), (4, 5, 6, 10));

    let mut cases: Vec<(&str, Vec<Event>, u64, &str)> = Vec::new();
    cases.push((
        "empty",
        vec![],
        1,
        "the history is empty; it must start with the case's opening",
    ));

    let mut not_opened = story[1..].to_vec();
    renumber(&mut not_opened);
    cases.push((
        "not opened first",
        not_opened,
        1,
        "event 1 is a \"thanked\" event, but a history starts with the case's opening",
    ));

    let mut opened_again = story.clone();
    let mut again = story[0].clone();
    again.sequence = 14;
    again.at = story[12].at;
    opened_again.push(again);
    cases.push((
        "opened again",
        opened_again,
        14,
        "event 14 opens the case again, but a history has one opening",
    ));

    let mut gap = story.clone();
    gap[7].sequence = 9;
    cases.push((
        "gap",
        gap,
        9,
        "event 9 stands where event 8 should; sequence numbers run from 1 without gaps",
    ));

    let mut backwards = story.clone();
    backwards[3].at = story[2].at - Duration::seconds(30);
    cases.push((
        "time backwards",
        backwards,
        4,
        "event 4 is dated 2026-03-02 14:01:30 UTC, before the event before it \
         (2026-03-02 14:02:00 UTC); time never runs backwards in a history",
    ));

    let mut self_approved = story.clone();
    self_approved[grant_at].actor = dana().reference();
    cases.push((
        "requester approves",
        self_approved,
        7,
        "event 7 (approval_granted) breaks a rule: Dana cannot approve option o-1: \
         Dana requested the approval; nobody approves their own request",
    ));

    let mut raised = story.clone();
    if let EventKind::ApprovalRequested { resolution, .. } = &mut raised[request_at].kind {
        resolution.amount = Some(usd(84_000));
    }
    cases.push((
        "amount raised in the request",
        raised,
        6,
        "event 6 (approval_requested) is not what decide records for it here; \
         it differs in resolution",
    ));

    let mut wrong_follow_up = story.clone();
    wrong_follow_up.truncate(grant_at + 1);
    let revised = |sequence, kind| Event {
        sequence,
        at: story[grant_at].at,
        actor: dana().reference(),
        kind,
    };
    wrong_follow_up.push(revised(
        8,
        EventKind::OptionRevised {
            option: o("o-1"),
            resolution: refund(42_000),
        },
    ));
    let mut missing = wrong_follow_up.clone();
    wrong_follow_up.push(revised(
        9,
        EventKind::NoteAdded {
            text: "changed the terms".into(),
        },
    ));
    cases.push((
        "no voiding after a revision",
        wrong_follow_up,
        9,
        "event 9 is a \"note_added\" event, but decide records \"approvals_voided\" there, \
         together with the event before it",
    ));
    cases.push((
        "history ends before the voiding",
        missing.clone(),
        9,
        "the history ends before event 9, but decide records \"approvals_voided\" there, \
         together with the event before it",
    ));

    missing.truncate(grant_at + 1);
    missing.push(revised(8, EventKind::ApprovalsVoided { option: o("o-1") }));
    cases.push((
        "a voiding on its own",
        missing,
        8,
        "event 8 (approvals_voided) is not recorded by any command at this point of the history",
    ));

    let mut unagreed = story.clone();
    unagreed.remove(agreed_at);
    renumber(&mut unagreed);
    cases.push((
        "action without agreement",
        unagreed,
        11,
        "event 11 (action_carried_out) breaks a rule: you cannot carry out an agreed action \
         yet: first agree on an action",
    ));

    let mut other_action = story.clone();
    if let EventKind::ActionCarriedOut { action, .. } = &mut other_action[agreed_at + 1].kind {
        *action = "act-2".into();
    }
    cases.push((
        "carrying out an action never agreed",
        other_action,
        12,
        "event 12 (action_carried_out) breaks a rule: action act-2 was never agreed with \
         the customer, so it cannot be carried out",
    ));

    let mut twice = two.clone();
    let second = twice[7].clone();
    twice[7].actor = twice[6].actor.clone();
    assert!(matches!(second.kind, EventKind::ApprovalGranted { .. }));
    cases.push((
        "one manager twice at a two-manager level",
        twice,
        8,
        "event 8 (approval_granted) breaks a rule: Mo cannot approve option o-1: \
         Mo already granted level 1; its approvers must be different people",
    ));

    for (name, history, sequence, text) in cases {
        let violation = verify(&history, &policy).expect_err(name);
        assert_eq!(violation.to_string(), text, "{name}");
        assert_eq!(violation.sequence(), sequence, "{name}");
    }
}

#[test]
fn a_time_report_with_nothing_crossed_is_unexplained() {
    let policy = Policy::default();
    let mut history = accepted(&policy, vec![(dana(), open_case())]);
    history.push(Event {
        sequence: 2,
        at: at(1),
        actor: dana().reference(),
        kind: EventKind::SlaBreached {
            clock: service_recovery::schedule::sla::SlaClock::Resolution,
        },
    });
    let violation = verify(&history, &policy).unwrap_err();
    assert_eq!(
        violation,
        Violation::Unexplained {
            sequence: 2,
            kind: "sla_breached"
        }
    );
}

/// A command that records several events: the events after its first are checked in
/// place too, so a changed time or number there is named as such, not as an alteration.
#[test]
fn the_later_events_of_one_command_keep_their_order() {
    let policy = Policy::default();
    // 20 hours in, the 24-hour first-response and apology clocks have crossed 50 % and
    // 75 %: one time report records four warnings.
    let report = Command::ReportTime(ReportTime {});
    let history = history_of(
        &policy,
        &[(dana(), open_case(), 0), (dana(), report, 20 * 60)],
    );
    assert_eq!(history.len(), 5);
    assert!(verify(&history, &policy).is_ok());

    let mut backwards = history.clone();
    backwards[2].at = history[1].at - Duration::seconds(1);
    assert_eq!(
        verify(&backwards, &policy).unwrap_err(),
        Violation::TimeWentBackwards {
            sequence: 3,
            at: backwards[2].at,
            previous: history[1].at,
        }
    );
    let mut renumbered = history.clone();
    renumbered[3].sequence = 7;
    assert_eq!(
        verify(&renumbered, &policy).unwrap_err(),
        Violation::SequenceGap {
            sequence: 7,
            expected: 4,
        }
    );
}

// --- The recorded authority is what is checked -------------------------------------------

#[test]
fn a_grant_beyond_its_recorded_authority_is_refused() {
    let policy = airline_policy();
    let mut history = waiver_story();
    // Mo's waiver, as if Mo had been a supervisor only.
    if let EventKind::ApprovalGranted { authority, .. } = &mut history[7].kind {
        authority.as_mut().unwrap().roles = ["supervisor".into()].into();
    }
    let violation = verify(&history, &policy).unwrap_err();
    assert_eq!(violation.sequence(), 8);
    assert_eq!(
        violation.to_string(),
        "event 8 (approval_granted) breaks a rule: Mo cannot grant a waiver of \
         non-refundable-fare from a manager: needs the role manager; Mo has supervisor"
    );
}

#[test]
fn an_offer_alone_beyond_its_recorded_limits_is_refused() {
    let policy = airline_policy();
    let mut steps = ready();
    steps.extend([
        (dana(), propose("o-1", refund(4_000))),
        (dana(), offer("o-1")),
    ]);
    let mut history = accepted(&policy, steps);
    assert!(verify(&history, &policy).unwrap().is_complete());
    if let EventKind::OptionOffered { authority, .. } = &mut history[5].kind {
        authority.as_mut().unwrap().limits = Default::default();
    }
    let violation = verify(&history, &policy).unwrap_err();
    assert_eq!(violation.sequence(), 6);
    assert!(matches!(
        refused(&violation),
        Rejection::ApprovalNeeded { .. }
    ));
}

#[test]
fn a_delegation_out_of_force_is_refused() {
    let policy = airline_policy();
    let mut steps = ready();
    steps.extend([
        (dana(), propose("o-1", waiver_refund())),
        (dana(), request("o-1")),
        (sue(), grant("o-1", 1)),
        (lee(), grant_for("o-1", 2, mo_to_lee())),
    ]);
    let mut history = accepted(&policy, steps);
    if let EventKind::ApprovalGranted {
        on_behalf_of: Some(delegation),
        ..
    } = &mut history[7].kind
    {
        delegation.ends = t0();
    }
    let violation = verify(&history, &policy).unwrap_err();
    assert_eq!(violation.sequence(), 8);
    assert!(matches!(
        refused(&violation),
        Rejection::DelegationNotInForce { .. }
    ));
}

#[test]
fn goodwill_raised_after_the_fact_is_refused() {
    let policy = Policy::builder()
        .approvals(service_recovery::approval::ApprovalPolicy::example_airline())
        .compensation(
            CompensationLimits::builder()
                .goodwill_per_customer(vec![usd(10_000)])
                .build(),
        )
        .build();
    let mut steps = ready();
    steps.push((dana(), goodwill(3_000)));
    let mut history = accepted(&policy, steps);
    let report = verify(&history, &policy).unwrap();
    assert_eq!(
        report.unchecked(),
        [Unchecked {
            sequence: 5,
            kind: UncheckedKind::GoodwillOnOtherCases
        }]
    );
    if let EventKind::GoodwillGiven { value, .. } = &mut history[4].kind {
        *value = Some(usd(15_000));
    }
    let violation = verify(&history, &policy).unwrap_err();
    assert_eq!(violation.sequence(), 5);
    assert!(matches!(violation, Violation::Refused { .. }));
}

// --- Histories written before the evidence ----------------------------------------------

fn strip_authority(history: &mut [Event]) {
    for event in history {
        if let EventKind::OptionOffered { authority, .. }
        | EventKind::GoodwillGiven { authority, .. }
        | EventKind::ApprovalGranted { authority, .. }
        | EventKind::ApprovalDenied { authority, .. } = &mut event.kind
        {
            *authority = None;
        }
    }
}

#[test]
fn without_evidence_the_checks_not_made_are_listed() {
    let policy = airline_policy();
    let mut history = waiver_story();
    strip_authority(&mut history);
    let report = verify(&history, &policy).unwrap();
    let unchecked: Vec<(u64, UncheckedKind)> = report
        .unchecked()
        .iter()
        .map(|u| (u.sequence, u.kind))
        .collect();
    assert_eq!(
        unchecked,
        vec![
            (7, UncheckedKind::ApproverAuthority),
            (8, UncheckedKind::ApproverAuthority),
            (9, UncheckedKind::OfferingLimits),
            (13, UncheckedKind::GoodwillLimits),
        ]
    );
    assert!(!report.is_complete());
    assert_eq!(
        report.to_string(),
        "13 events verified; 4 checks could not be made: \
         event 7: whether the approver held the role and the approval limit was not checked, \
         because the event records no authority (it was written before events recorded it); \
         event 8: whether the approver held the role and the approval limit was not checked, \
         because the event records no authority (it was written before events recorded it); \
         event 9: whether the offer lay within the offering person's own limits was not \
         checked, because the event records no authority (it was written before events \
         recorded it); \
         event 13: whether the goodwill lay within the giver's own limits was not checked, \
         because the event records no authority (it was written before events recorded it)"
    );
    let other_cases = Unchecked {
        sequence: 3,
        kind: UncheckedKind::GoodwillOnOtherCases,
    };
    assert_eq!(
        other_cases.to_string(),
        "event 3: the customer's goodwill limit was checked against this case alone; \
         their goodwill on other cases is not in this history"
    );
}

#[test]
fn a_delegated_grant_without_evidence_is_still_checked_on_the_delegators_authority() {
    let policy = airline_policy();
    let mut steps = ready();
    steps.extend([
        (dana(), propose("o-1", waiver_refund())),
        (dana(), request("o-1")),
        (sue(), grant("o-1", 1)),
        (lee(), grant_for("o-1", 2, mo_to_lee())),
    ]);
    let mut history = accepted(&policy, steps);
    strip_authority(&mut history);
    let report = verify(&history, &policy).unwrap();
    assert_eq!(
        report.unchecked(),
        [Unchecked {
            sequence: 7,
            kind: UncheckedKind::ApproverAuthority
        }]
    );
    // Mo, the delegator, as a supervisor: the delegation records that, so it is caught.
    if let EventKind::ApprovalGranted {
        on_behalf_of: Some(delegation),
        ..
    } = &mut history[7].kind
    {
        delegation.from.roles = ["supervisor".into()].into();
    }
    let violation = verify(&history, &policy).unwrap_err();
    assert_eq!(violation.sequence(), 8);
    assert!(matches!(
        refused(&violation),
        Rejection::NotAuthorizedToApprove { .. }
    ));
}

#[test]
fn without_evidence_self_approval_is_still_caught() {
    let policy = airline_policy();
    let mut history = waiver_story();
    strip_authority(&mut history);
    history[6].actor = dana().reference();
    let violation = verify(&history, &policy).unwrap_err();
    assert_eq!(violation.sequence(), 7);
    assert!(matches!(
        refused(&violation),
        Rejection::ApprovalConflict {
            conflict: Conflict::Requested,
            ..
        }
    ));
}

// --- Properties -----------------------------------------------------------------------

/// Approval-heavy steps: two options, the whole cast, grants with and without expiry
/// and delegation, denials, withdrawals, revisions, goodwill, agreement and action.
fn arb_approval_step() -> impl Strategy<Value = (Actor, Command, i64)> {
    let option = || prop::sample::select(vec!["o-1", "o-2"]);
    let terms = prop::sample::select(vec![
        refund(1_500),
        refund(8_000),
        waiver_refund(),
        upgrade(60_000),
        refund(250_000),
    ]);
    let who = prop::sample::select(cast());
    let command = prop_oneof![
        2 => (option(), terms.clone()).prop_map(|(o, t)| propose(o, t)),
        1 => (option(), terms).prop_map(|(o, t)| Command::from(ReviseOption { option: self::o(o), resolution: t })),
        3 => option().prop_map(request),
        6 => (option(), 1u32..3, prop::option::weighted(0.3, 5i64..300)).prop_map(|(o, level, expires)| match expires {
            Some(minutes) => grant_until(o, level, t0() + Duration::minutes(minutes)),
            None => grant(o, level),
        }),
        2 => (option(), 1u32..3).prop_map(|(o, level)| grant_for(o, level, mo_to_lee())),
        1 => option().prop_map(deny),
        1 => option().prop_map(withdraw),
        4 => option().prop_map(offer),
        2 => option().prop_map(|o| Command::from(AcceptOffer { option: self::o(o) })),
        1 => option().prop_map(|o| Command::from(DeclineOffer { option: self::o(o), reason: None })),
        1 => option().prop_map(|o| Command::from(AgreeAction {
            action: "act-1".into(),
            description: "carry out the accepted option today".into(),
            option: Some(self::o(o)),
        })),
        1 => Just(Command::from(CarryOut { action: "act-1".into(), outcome: "done".into() })),
        1 => (1i64..8_000).prop_map(goodwill),
    ];
    // The plausible person for a grant most of the time, anyone otherwise.
    (who, command, 0i64..20).prop_map(|(who, command, minutes)| {
        let actor = match &command {
            Command::GrantApproval(g) if g.on_behalf_of.is_some() => lee(),
            _ => who,
        };
        (actor, command, minutes)
    })
}

fn arb_approval_history() -> impl Strategy<Value = Vec<Event>> {
    prop::collection::vec(arb_approval_step(), 1..40).prop_map(|steps| {
        let mut all: Vec<(Actor, Command, i64)> = airline_ready()
            .into_iter()
            .map(|c| (dana(), c, 0))
            .collect();
        all.extend(steps);
        history_of(&airline_policy(), &all)
    })
}

/// A story that surely needs approval: terms, the order in which the candidates for
/// each level are tried, notes in between, whether the option is then accepted.
#[derive(Debug, Clone)]
struct Plan {
    terms: u8,
    candidates: Vec<usize>,
    delegate: bool,
    notes: Vec<u8>,
    gaps: Vec<i64>,
    accept: bool,
}

fn arb_plan() -> impl Strategy<Value = Plan> {
    (
        0u8..4,
        Just(vec![0usize, 1, 2]).prop_shuffle(),
        any::<bool>(),
        prop::collection::vec(0u8..3, 6),
        prop::collection::vec(0i64..30, 6),
        any::<bool>(),
    )
        .prop_map(|(terms, candidates, delegate, notes, gaps, accept)| Plan {
            terms,
            candidates,
            delegate,
            notes,
            gaps,
            accept,
        })
}

/// The history of a plan, and where its request, grants and offer are.
struct Planned {
    history: Vec<Event>,
    request: usize,
    grants: Vec<usize>,
    offer: usize,
}

fn planned(plan: &Plan) -> Planned {
    let policy = airline_policy();
    let terms = [
        refund(8_000),
        waiver_refund(),
        upgrade(60_000),
        refund(250_000),
    ];
    let mut case: Option<Case> = None;
    let mut now = t0();
    let mut step = |case: &mut Option<Case>, actor: &Actor, command: Command, minutes: i64| {
        now += Duration::minutes(minutes);
        decide(case.as_ref(), &command, actor, now, &policy).map(|events| {
            for event in events {
                *case = Some(evolve(case.take(), event).unwrap());
            }
        })
    };
    let note = |i: u8| {
        Command::from(AddNote {
            text: format!("checked the booking ({i})"),
        })
    };
    for command in airline_ready() {
        step(&mut case, &dana(), command, 0).unwrap();
    }
    let resolution = terms[usize::from(plan.terms) % terms.len()].clone();
    step(&mut case, &dana(), propose("o-1", resolution), plan.gaps[0]).unwrap();
    for i in 0..plan.notes[0] {
        step(&mut case, &sam(), note(i), 1).unwrap();
    }
    step(&mut case, &dana(), request("o-1"), plan.gaps[1]).unwrap();
    let request = case.as_ref().unwrap().history().len() - 1;
    let levels = match &case.as_ref().unwrap().history()[request].kind {
        EventKind::ApprovalRequested { requirement, .. } => requirement.levels.clone(),
        other => panic!("not a request: {other}"),
    };
    let approvers = [sue(), mo(), max()];
    let mut grants = Vec::new();
    for (level, spec) in levels.iter().enumerate() {
        let level = level as u32 + 1;
        for _ in 0..spec.approvers {
            let mut granted = false;
            for &c in &plan.candidates {
                let by_lee = plan.delegate && approvers[c].id == mo().id;
                let (actor, command) = if by_lee {
                    (lee(), grant_for("o-1", level, mo_to_lee()))
                } else {
                    (approvers[c].clone(), grant("o-1", level))
                };
                if step(&mut case, &actor, command, plan.gaps[2]).is_ok() {
                    grants.push(case.as_ref().unwrap().history().len() - 1);
                    granted = true;
                    break;
                }
            }
            assert!(granted, "someone in the cast can grant level {level}");
        }
    }
    for i in 0..plan.notes[1] {
        step(&mut case, &sam(), note(i), 1).unwrap();
    }
    step(&mut case, &dana(), offer("o-1"), plan.gaps[3]).unwrap();
    let offer = case.as_ref().unwrap().history().len() - 1;
    if plan.accept {
        let accept = Command::from(AcceptOffer { option: o("o-1") });
        step(&mut case, &dana(), accept, plan.gaps[4]).unwrap();
    }
    Planned {
        history: case.unwrap().history().to_vec(),
        request,
        grants,
        offer,
    }
}

fn verifies(history: &[Event]) -> Result<(), TestCaseError> {
    match verify(history, &airline_policy()) {
        Ok(report) => {
            // Only the customer's goodwill on other cases is outside one history.
            prop_assert!(
                report
                    .unchecked()
                    .iter()
                    .all(|u| u.kind == UncheckedKind::GoodwillOnOtherCases),
                "{}",
                report
            );
            Ok(())
        }
        Err(violation) => Err(TestCaseError::fail(format!(
            "a history decide produced does not verify: {violation}"
        ))),
    }
}

fn caught(history: &[Event], at_or_after: u64) -> Result<Violation, TestCaseError> {
    match verify(history, &airline_policy()) {
        Ok(report) => Err(TestCaseError::fail(format!("not caught: {report}"))),
        Err(violation) => {
            prop_assert!(
                violation.sequence() >= at_or_after,
                "caught at {} before the mutation at {at_or_after}: {violation}",
                violation.sequence()
            );
            Ok(violation)
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_script_decide_accepts_verifies(script in arb_script()) {
        let steps: Vec<(Actor, Command, i64)> =
            script.into_iter().map(|(c, m)| (dana(), c, m.max(0))).collect();
        let history = history_of(&Policy::default(), &steps);
        if !history.is_empty() {
            let report = verify(&history, &Policy::default());
            prop_assert!(report.is_ok(), "{:?}", report);
        }
    }

    #[test]
    fn every_approval_history_decide_produces_verifies(history in arb_approval_history()) {
        verifies(&history)?;
    }

    #[test]
    fn every_mutation_that_breaks_a_rule_is_caught(
        plan in arb_plan(),
        pick in any::<prop::sample::Index>(),
        moved in any::<prop::sample::Index>(),
        raise in 1i64..100_000,
    ) {
        let Planned { history, request, grants, offer } = planned(&plan);
        verifies(&history)?;
        let seq = |i: usize| i as u64 + 1;

        // Drop a grant (and renumber, so the gap is not what gives it away).
        let g = grants[pick.index(grants.len())];
        let mut dropped = history.clone();
        dropped.remove(g);
        renumber(&mut dropped);
        caught(&dropped, seq(g))?;

        // The same approver twice: at a two-person level or at two levels.
        if grants.len() >= 2 {
            let first = grants[0];
            let later = grants[1 + pick.index(grants.len() - 1)];
            let mut twice = history.clone();
            twice[later].actor = history[first].actor.clone();
            if let (
                EventKind::ApprovalGranted { on_behalf_of, authority, .. },
                EventKind::ApprovalGranted { on_behalf_of: d, authority: a, .. },
            ) = (&mut twice[later].kind, &history[first].kind)
            {
                *on_behalf_of = d.clone();
                *authority = a.clone();
            }
            let violation = caught(&twice, seq(later))?;
            prop_assert_eq!(violation.sequence(), seq(later));
            prop_assert!(
                matches!(refused(&violation), Rejection::ApprovalConflict { .. }),
                "{}", violation
            );
        }

        // Swap the approver for the requester.
        let mut swapped = history.clone();
        swapped[g].actor = dana().reference();
        if let EventKind::ApprovalGranted { on_behalf_of, authority, .. } = &mut swapped[g].kind {
            *on_behalf_of = None;
            *authority = evidence(&dana());
        }
        let violation = caught(&swapped, seq(g))?;
        prop_assert_eq!(violation.sequence(), seq(g));
        prop_assert!(
            matches!(
                refused(&violation),
                Rejection::ApprovalConflict { conflict: Conflict::Requested, .. }
            ),
            "{}", violation
        );

        // Raise the amount after approval: in the proposal, in the request, or both.
        let proposal = request - 1 - usize::from(plan.notes[0]);
        let raised_terms = |kind: &mut EventKind| match kind {
            EventKind::OptionProposed { resolution, .. } => {
                let amount = resolution.amount.unwrap();
                resolution.amount = Some(usd(amount.minor() + raise));
            }
            EventKind::ApprovalRequested { resolution, .. } => {
                let amount = resolution.amount.unwrap();
                resolution.amount = Some(usd(amount.minor() + raise));
            }
            other => panic!("not the proposal or the request: {other}"),
        };
        for (edit_proposal, edit_request) in [(true, false), (false, true), (true, true)] {
            let mut raised = history.clone();
            if edit_proposal {
                raised_terms(&mut raised[proposal].kind);
            }
            if edit_request {
                raised_terms(&mut raised[request].kind);
            }
            let violation = caught(&raised, seq(proposal))?;
            prop_assert!(violation.sequence() <= seq(offer), "{}", violation);
        }

        // Offer without request or grant: right after the proposal.
        let mut early = history.clone();
        let mut offered = history[offer].clone();
        offered.at = history[proposal].at;
        early.insert(proposal + 1, offered);
        renumber(&mut early);
        let violation = caught(&early, seq(proposal + 1))?;
        prop_assert_eq!(violation.sequence(), seq(proposal + 1));
        prop_assert!(
            matches!(refused(&violation), Rejection::ApprovalNeeded { .. }),
            "{}", violation
        );

        // Move a timestamp backwards, before the event before it.
        let k = 1 + moved.index(history.len() - 1);
        let mut backwards = history.clone();
        backwards[k].at = history[k - 1].at - Duration::seconds(1);
        let violation = caught(&backwards, seq(k))?;
        prop_assert_eq!(violation.sequence(), seq(k));
        prop_assert!(matches!(violation, Violation::TimeWentBackwards { .. }), "{}", violation);

        // Insert an event with a gap in the sequence numbers.
        let mut gapped = history.clone();
        let mut inserted = history[k].clone();
        inserted.sequence = seq(k) + 1;
        gapped.insert(k, inserted);
        let violation = caught(&gapped, seq(k))?;
        prop_assert_eq!(
            violation,
            Violation::SequenceGap { sequence: seq(k) + 1, expected: seq(k) }
        );
    }
}

#[test]
fn goodwill_beyond_its_recorded_limits_is_refused() {
    let policy = airline_policy();
    let mut history = waiver_story();
    assert!(verify(&history, &policy).unwrap().is_complete());
    // Sue's voucher of USD 20.00, as if her own limit per option had been USD 10.00.
    if let EventKind::GoodwillGiven { authority, .. } = &mut history[12].kind {
        authority.as_mut().unwrap().limits.offer_per_option = vec![usd(1_000)];
    }
    let violation = verify(&history, &policy).unwrap_err();
    assert_eq!(violation.sequence(), 13);
    assert!(matches!(
        refused(&violation),
        Rejection::GoodwillNeedsApproval { .. }
    ));
}
