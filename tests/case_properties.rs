//! The laws of the event-sourced core, over random command sequences.

mod support;

use proptest::prelude::*;
use service_recovery::case::guard;
use service_recovery::prelude::*;
use service_recovery::schedule::sla;
use support::*;

/// Lives through a script: every accepted command's events are applied at once.
/// Returns the case (if opened), every event, and how many commands were rejected.
fn live_through(script: &[(Command, i64)]) -> (Option<Case>, Vec<Event>, usize) {
    let policy = Policy::default();
    let mut case: Option<Case> = None;
    let mut history = Vec::new();
    let mut rejected = 0;
    let mut now = t0();
    for (command, step) in script {
        now += chrono::Duration::minutes(*step);
        match decide(case.as_ref(), command, &dana(), now, &policy) {
            Ok(events) => {
                for event in events {
                    history.push(event.clone());
                    case = Some(evolve(case, event).unwrap());
                }
            }
            Err(_) => rejected += 1,
        }
    }
    (case, history, rejected)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn replaying_a_history_gives_the_state_of_living_through_it(script in arb_script()) {
        let (lived, history, _) = live_through(&script);
        match lived {
            None => prop_assert!(history.is_empty()),
            Some(lived) => {
                let replayed = Case::replay(history.clone()).unwrap();
                prop_assert_eq!(&replayed, &lived);
                prop_assert_eq!(replayed.history(), history.as_slice());
            }
        }
    }

    #[test]
    fn every_event_round_trips_through_json(script in arb_script()) {
        let (_, history, _) = live_through(&script);
        for event in &history {
            let json = serde_json::to_string(event).unwrap();
            let back: Event = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(&back, event);
        }
    }

    #[test]
    fn a_rejected_command_changes_nothing(script in arb_script(), probe in arb_command(), step in -2i64..30) {
        let (case, _, _) = live_through(&script);
        let before = case.clone();
        let policy = Policy::default();
        let now = case.as_ref().map_or(t0(), Case::last_event_at) + chrono::Duration::minutes(step);
        if decide(case.as_ref(), &probe, &dana(), now, &policy).is_err() {
            prop_assert_eq!(&case, &before);
            // The host's apply path was not reached, so the version is the same too.
            prop_assert_eq!(case.map(|c| c.version()), before.map(|c| c.version()));
        }
    }

    /// Through the command service, where a bug could really write: a rejected command
    /// leaves the stored history byte for byte as it was.
    #[test]
    fn a_rejected_command_stores_nothing(script in arb_script(), probe in arb_command(), step in 0i64..30) {
        use service_recovery::store::{CommandService, EventStore, InMemoryStore, RetryPolicy, ServiceError};
        let service = CommandService::new(InMemoryStore::new(), Policy::default(), RetryPolicy::never());
        let id = CaseId::new("case-1");
        let mut now = t0();
        for (command, minutes) in &script {
            now += chrono::Duration::minutes((*minutes).max(0));
            let _ = service.handle(&id, command, &dana(), now);
        }
        let before = service.store().load(&id).unwrap();
        now += chrono::Duration::minutes(step);
        if let Err(ServiceError::Rejected(_)) = service.handle(&id, &probe, &dana(), now) {
            prop_assert_eq!(service.store().load(&id).unwrap(), before);
        }
    }

    #[test]
    fn next_actions_agree_with_decide(script in arb_script(), probe in arb_command(), step in -2i64..30) {
        let (case, _, _) = live_through(&script);
        let Some(case) = case else { return Ok(()) };
        let policy = Policy::default();
        let now = case.last_event_at() + chrono::Duration::minutes(step);
        let verdict = guard(&case, &probe.intent(), &dana(), now, &policy);
        let decided = decide(Some(&case), &probe, &dana(), now, &policy);
        match verdict {
            Err(rejection) => prop_assert_eq!(decided, Err(rejection)),
            Ok(()) => {
                // Accepted by the guard: decide may still refuse the content, but never
                // for a reason of order or state that the guard would have reported.
                if let Err(r) = decided {
                    prop_assert!(
                        matches!(
                            r,
                            Rejection::Blank { .. }
                                | Rejection::QuestionExists { .. }
                                | Rejection::OptionExists { .. }
                                | Rejection::ActionExists { .. }
                                | Rejection::NonPositiveAmount
                                | Rejection::RootCauseMissing
                                | Rejection::SameChannel
                                | Rejection::SameOwner { .. }
                                | Rejection::PriorityWouldFall { .. }
                                | Rejection::EscalationChangesNothing
                                | Rejection::UnknownOption { .. }
                                | Rejection::OptionNotAccepted { .. }
                                | Rejection::AlreadyOpened { .. }
                                | Rejection::CommitmentExists { .. }
                                | Rejection::PromiseNotInFuture { .. }
                                | Rejection::SurveyScoreOutOfRange { .. }
                        ),
                        "content rejection expected, got {:?}", r
                    );
                }
            }
        }
        // And next_actions reports the guard's verdict for every intent it lists.
        for action in next_actions(Some(&case), &dana(), now, &policy) {
            prop_assert_eq!(
                action.blocked,
                guard(&case, &action.intent, &dana(), now, &policy).err()
            );
        }
    }

    #[test]
    fn clocks_derived_from_history_equal_clocks_after_replay(script in arb_script(), later in 0i64..3000) {
        let (lived, history, _) = live_through(&script);
        let Some(lived) = lived else { return Ok(()) };
        let policy = Policy::default();
        let now = lived.last_event_at() + chrono::Duration::minutes(later);
        // Through JSON, as a store would keep it.
        let stored: Vec<Event> = serde_json::from_str(&serde_json::to_string(&history).unwrap()).unwrap();
        let replayed = Case::replay(stored).unwrap();
        let from_history = sla::clocks(&history, &policy, now);
        prop_assert_eq!(&from_history, &sla::clocks(replayed.history(), &policy, now));
        prop_assert_eq!(&from_history, &sla::clocks(lived.history(), &policy, now));
        // And the resolution clock equals a naive reference: real time since the round
        // started, minus the waits (the default policy counts around the clock).
        if let Some(resolution) = from_history.iter().find(|c| c.clock == sla::SlaClock::Resolution) {
            prop_assert_eq!(resolution.elapsed, reference_resolution(&history, now));
        }
    }

    #[test]
    fn sequence_numbers_have_no_gaps(script in arb_script()) {
        let (_, history, _) = live_through(&script);
        for (i, event) in history.iter().enumerate() {
            prop_assert_eq!(event.sequence, i as u64 + 1);
        }
        for pair in history.windows(2) {
            prop_assert!(pair[0].at <= pair[1].at);
        }
    }
}

#[test]
fn replay_refuses_a_history_with_a_gap() {
    let case = live([open_case(), thank(), apologize()]);
    let mut history = case.history().to_vec();
    history.remove(1);
    assert_eq!(
        Case::replay(history).unwrap_err(),
        HistoryError::SequenceGap {
            previous: 1,
            found: 3
        }
    );
}

#[test]
fn replay_refuses_a_history_that_does_not_start_with_an_opening() {
    let case = live([open_case(), thank()]);
    let history = case.history()[1..].to_vec();
    let err = Case::replay(history).unwrap_err();
    assert!(matches!(
        err,
        HistoryError::SequenceGap {
            previous: 0,
            found: 2
        }
    ));
    assert_eq!(Case::replay(Vec::new()).unwrap_err(), HistoryError::Empty);
    let mut second_opening = case.history()[0].clone();
    second_opening.sequence = 3;
    let mut case = case;
    assert_eq!(
        case.apply(second_opening).unwrap_err(),
        HistoryError::OpenedTwice { sequence: 3 }
    );
    assert_eq!(case.version(), 2);
}

#[test]
fn the_event_json_form_is_stable() {
    let case = live([open_case(), thank()]);
    let json = serde_json::to_value(&case.history()[1]).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "sequence": 2,
            "at": "2026-03-02T14:01:00Z",
            "actor": {"id": "agent-7", "name": "Dana"},
            "event": {"type": "thanked", "words": "Thank you for telling us, Ms Okafor."}
        })
    );
}

/// Guards the generator itself: random scripts must reach the deep states, or the
/// properties above would only ever test rejections of an unopened case.
#[test]
fn random_scripts_reach_offers_agreements_and_closing() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut offered, mut carried_out, mut closed) = (0, 0, 0);
    for _ in 0..500 {
        let script = arb_script().new_tree(&mut runner).unwrap().current();
        let (_, history, _) = live_through(&script);
        let has = |name: &str| history.iter().any(|e| e.kind.name() == name);
        offered += usize::from(has("option_offered"));
        carried_out += usize::from(has("action_carried_out"));
        closed += usize::from(has("closed"));
    }
    assert!(
        offered >= 10,
        "only {offered} of 500 scripts offered an option"
    );
    assert!(
        carried_out >= 10,
        "only {carried_out} of 500 scripts carried out an action"
    );
    assert!(closed >= 5, "only {closed} of 500 scripts closed a case");
    println!("offered {offered}, carried out {carried_out}, closed {closed} of 500");
}

/// The resolution clock, computed the slow, obvious way.
fn reference_resolution(
    history: &[Event],
    now: chrono::DateTime<chrono::Utc>,
) -> chrono::TimeDelta {
    let round = history
        .iter()
        .rposition(|e| matches!(e.kind, EventKind::Opened(_) | EventKind::Reopened { .. }))
        .unwrap();
    let start = history[round].at;
    let mut end = now;
    let mut paused = chrono::TimeDelta::zero();
    let mut waiting_since = None;
    for event in &history[round + 1..] {
        match event.kind {
            EventKind::AwaitingCustomer { .. } | EventKind::AwaitingThirdParty { .. } => {
                waiting_since.get_or_insert(event.at);
            }
            EventKind::Resumed {} => {
                if let Some(since) = waiting_since.take() {
                    paused += event.at - since;
                }
            }
            EventKind::Closed { .. } | EventKind::Withdrawn { .. } => {
                end = event.at;
                break;
            }
            _ => {}
        }
    }
    if let Some(since) = waiting_since {
        paused += end - since;
    }
    (end - start) - paused
}
