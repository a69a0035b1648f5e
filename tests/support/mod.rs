//! Helpers shared by the store tests: a case full of personal data, and the checks
//! every `EventStore` must pass.
#![allow(dead_code)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use service_recovery::case::QuestionKind;
use service_recovery::store::{CommandService, EventStore, StoreError};
use service_recovery::*;

pub fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap() + Duration::minutes(minutes)
}

pub fn dana() -> Actor {
    Actor::builder().id("agent-7").name("Dana").build()
}

pub fn sam() -> Actor {
    Actor::builder().id("agent-9").name("Sam").build()
}

/// Personal values that the case below stores, and that redaction must erase.
pub const PERSONAL: &[&str] = &[
    "Amara Okafor",
    "Ms Okafor",
    "amara.okafor@example.com",
    "+44 20 7946 0958",
    "Left at 14 Juniper Road",
    "sorry we sent your parcel",
    "Which address did you give",
    "my daughter's birthday present",
    "before Saturday",
    "recovering from surgery",
];

pub fn open(case: &str) -> Command {
    Command::Open(Box::new(
        OpenCase::builder()
            .case(case)
            .customer(
                Customer::builder()
                    .id("cust-1")
                    .name("Amara Okafor")
                    .address_as("Ms Okafor")
                    .email("amara.okafor@example.com")
                    .phone("+44 20 7946 0958")
                    .build(),
            )
            .channel(Channel::Email)
            .owner(dana().reference())
            .complaint(
                Complaint::builder()
                    .summary("parcel sent to the wrong address")
                    .details("Left at 14 Juniper Road instead of number 41")
                    .build(),
            )
            .severity(Severity::Moderate)
            .build(),
    ))
}

/// The rest of a recovery, every free-text field holding something personal.
pub fn recovery() -> Vec<Command> {
    vec![
        Command::Thank {
            words: "Thank you for telling us, Ms Okafor.".into(),
        },
        Command::Apologize {
            words: "I am sorry we sent your parcel to the wrong house.".into(),
        },
        Command::AskQuestion {
            question: "q1".into(),
            kind: QuestionKind::Background,
            text: "Which address did you give at checkout?".into(),
        },
        Command::RecordAnswer {
            question: "q1".into(),
            answer: "Number 41; it is my daughter's birthday present".into(),
        },
        Command::RecordGoal {
            goal: "Have the parcel before Saturday".into(),
            expected: None,
        },
        Command::Explain {
            words: "Two labels were swapped at our warehouse.".into(),
        },
        Command::AddNote {
            text: "Customer is recovering from surgery; prefers e-mail.".into(),
        },
        Command::FinalThanks {
            words: "Thank you for your patience, Ms Okafor.".into(),
        },
        Command::Close {
            root_cause: RootCause::builder()
                .category("warehouse")
                .description("label printer swapped two orders")
                .build(),
        },
    ]
}

/// Runs the whole case through the service; returns its final version.
pub fn run_case<S: EventStore>(service: &CommandService<S>, case: &str) -> u64 {
    let id = CaseId::new(case);
    let mut last = 0;
    for (minute, command) in std::iter::once(open(case)).chain(recovery()).enumerate() {
        let events = service
            .handle(&id, &command, &dana(), at(minute as i64))
            .unwrap();
        last = events.last().unwrap().sequence;
    }
    last
}

pub fn note(sequence: u64, text: &str) -> Event {
    Event {
        sequence,
        at: at(sequence as i64),
        actor: dana().reference(),
        kind: EventKind::NoteAdded { text: text.into() },
    }
}

/// Optimistic concurrency as every store must provide it.
pub fn check_conflict_semantics<S: EventStore>(store: &S) {
    let case = CaseId::new("case-c");
    assert_eq!(store.load(&case).unwrap(), vec![]);
    assert_eq!(store.append(&case, 0, &[note(1, "a"), note(2, "b")]), Ok(2));

    // A stale writer is refused with the versions, and nothing it sent is written.
    assert_eq!(
        store.append(&case, 1, &[note(2, "stale")]),
        Err(StoreError::Conflict {
            case: case.clone(),
            expected: 1,
            actual: 2
        })
    );
    // So is a writer that thinks the case does not exist yet.
    assert_eq!(
        store.append(&case, 0, &[note(1, "new")]),
        Err(StoreError::Conflict {
            case: case.clone(),
            expected: 0,
            actual: 2
        })
    );
    // And one that is ahead of the store.
    assert!(matches!(
        store.append(&case, 5, &[note(6, "ahead")]),
        Err(StoreError::Conflict {
            expected: 5,
            actual: 2,
            ..
        })
    ));
    // Events must run on from the expected version; the whole batch is refused.
    assert_eq!(
        store.append(&case, 2, &[note(3, "c"), note(5, "gap")]),
        Err(StoreError::OutOfSequence {
            case: case.clone(),
            expected: 4,
            found: 5
        })
    );
    // Nothing to append: the version is checked and returned.
    assert_eq!(store.append(&case, 2, &[]), Ok(2));
    assert!(matches!(
        store.append(&case, 1, &[]),
        Err(StoreError::Conflict { actual: 2, .. })
    ));

    let texts: Vec<String> = store
        .load(&case)
        .unwrap()
        .into_iter()
        .map(|e| e.to_string())
        .collect();
    assert_eq!(texts.len(), 2);
    assert!(texts[0].ends_with("noted: a") && texts[1].ends_with("noted: b"));
    assert_eq!(store.append(&case, 2, &[note(3, "c")]), Ok(3));

    // Cases are independent and listed in order.
    assert_eq!(
        store.append(&CaseId::new("case-a"), 0, &[note(1, "x")]),
        Ok(1)
    );
    assert_eq!(
        store.list_cases().unwrap(),
        vec![CaseId::new("case-a"), CaseId::new("case-c")]
    );
}

/// Several threads, each with its own store handle, race to append to one case:
/// every version is won exactly once and no event is lost or duplicated.
pub fn check_racing_appends<S: EventStore>(stores: Vec<S>, attempts: usize) {
    let case = CaseId::new("case-race");
    let won: Vec<Vec<String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = stores
            .iter()
            .enumerate()
            .map(|(thread, store)| {
                let case = &case;
                scope.spawn(move || {
                    let mut won = Vec::new();
                    for attempt in 0..attempts {
                        let version = store.load(case).unwrap().len() as u64;
                        let text = format!("thread {thread} attempt {attempt}");
                        match store.append(case, version, &[note(version + 1, &text)]) {
                            Ok(new_version) => {
                                assert_eq!(new_version, version + 1);
                                won.push(text);
                            }
                            Err(StoreError::Conflict { expected, .. }) => {
                                assert_eq!(expected, version)
                            }
                            Err(other) => panic!("unexpected error: {other}"),
                        }
                    }
                    won
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    let history = stores[0].load(&case).unwrap();
    let sequences: Vec<u64> = history.iter().map(|e| e.sequence).collect();
    let expected: Vec<u64> = (1..=history.len() as u64).collect();
    assert_eq!(sequences, expected, "the history is contiguous from 1");

    let winners: Vec<&String> = won.iter().flatten().collect();
    assert_eq!(winners.len(), history.len(), "one winner per version");
    assert!(
        winners.len() >= attempts,
        "at least one append per round wins"
    );
    let stored: Vec<String> = history
        .iter()
        .map(|e| match &e.kind {
            EventKind::NoteAdded { text } => text.clone(),
            other => panic!("unexpected event {other}"),
        })
        .collect();
    for winner in winners {
        assert_eq!(
            stored.iter().filter(|t| *t == winner).count(),
            1,
            "{winner} is stored exactly once"
        );
    }
    // Every handle sees the same history.
    for store in &stores {
        assert_eq!(store.load(&case).unwrap(), history);
    }
}

/// Whether `haystack` contains `needle`.
pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}
