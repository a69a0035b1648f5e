//! The one support module of the integration tests: the crate's public fixtures
//! (`service_recovery::testing`, the same ones downstream tests use) plus what only
//! these tests need: random commands and scripts, a case full of personal data for the
//! redaction tests, and the checks every `EventStore` must pass.
#![allow(dead_code)]

use chrono::Duration;
use proptest::prelude::*;
use service_recovery::case::QuestionKind;
use service_recovery::prelude::*;
use service_recovery::store::{CommandService, EventStore, StoreError};
pub use service_recovery::testing::*;

/// Applies commands one by one, panicking (in tests) on a rejection.
pub fn live(commands: impl IntoIterator<Item = Command>) -> Case {
    let policy = Policy::default();
    let mut case: Option<Case> = None;
    for (i, command) in commands.into_iter().enumerate() {
        let events = decide(case.as_ref(), &command, &dana(), at(i as i64), &policy)
            .unwrap_or_else(|r| panic!("command {i} ({command:?}) rejected: {r}"));
        for event in events {
            case = Some(evolve(case, event).unwrap());
        }
    }
    case.expect("at least the opening")
}

/// A command drawn from a small pool of identifiers, so that random sequences hit
/// the interesting states (an option offered twice, an action carried out before it
/// was agreed, a blank apology, ...).
pub fn arb_command() -> impl Strategy<Value = Command> {
    let id = || prop::sample::select(vec!["1", "2", "3"]);
    // Mostly real words, sometimes blank: blank text is a rejection worth testing,
    // but too much of it would keep random scripts from getting anywhere.
    let text = || {
        prop_oneof![
            1 => prop::sample::select(vec!["", "  "]),
            9 => prop::sample::select(vec![
                "Thank you, Ms Okafor.",
                "I am sorry.",
                "We will re-ship today.",
            ]),
        ]
        .prop_map(str::to_owned)
    };
    prop_oneof![
        1 => Just(open_case()),
        4 => text().prop_map(|words| Command::Thank(Thank { words })),
        4 => text().prop_map(|words| Command::Apologize(Apologize { words })),
        4 => (id(), text()).prop_map(|(q, text)| Command::AskQuestion(AskQuestion {
            question: QuestionId::new(q),
            kind: QuestionKind::Background,
            text
        })),
        4 => (id(), text()).prop_map(|(q, answer)| Command::RecordAnswer(RecordAnswer {
            question: QuestionId::new(q),
            answer
        })),
        4 => text().prop_map(|goal| Command::RecordGoal(RecordGoal {
            goal,
            expected: None
        })),
        4 => text().prop_map(|words| Command::Explain(Explain { words })),
        4 => (id(), -100i64..10_000).prop_map(|(o, minor)| Command::from(ProposeOption { option: OptionId::new(o), resolution: refund(minor) })),
        4 => (id(), 1i64..10_000).prop_map(|(o, minor)| Command::ReviseOption(ReviseOption {
            option: OptionId::new(o),
            resolution: refund(minor)
        })),
        4 => id().prop_map(|o| Command::OfferOption(OfferOption {
            option: OptionId::new(o)
        })),
        4 => id().prop_map(|o| Command::AcceptOffer(AcceptOffer {
            option: OptionId::new(o)
        })),
        4 => id().prop_map(|o| Command::DeclineOffer(DeclineOffer {
            option: OptionId::new(o),
            reason: None
        })),
        4 => (id(), prop::option::of(id()), text()).prop_map(|(a, o, description)| {
            Command::AgreeAction(AgreeAction {
                action: ActionId::new(a),
                description,
                option: o.map(OptionId::new),
            })
        }),
        4 => (id(), text()).prop_map(|(a, outcome)| Command::CarryOut(CarryOut {
            action: ActionId::new(a),
            outcome
        })),
        4 => text().prop_map(|description| Command::Goodwill(Goodwill {
            description,
            value: None,
            prior: Default::default(),
        })),
        4 => text().prop_map(|words| Command::FinalThanks(FinalThanks { words })),
        4 => Just(close()),
        1 => Just(Command::Close(Close {
            root_cause: RootCause::builder().category("").description("").build()
        })),
        1 => text().prop_map(|reason| Command::Reopen(Reopen { reason })),
        1 => text().prop_map(|reason| Command::Withdraw(Withdraw { reason })),
        4 => prop::sample::select(vec![Channel::Email, Channel::Phone, Channel::Chat])
            .prop_map(|channel| Command::ChangeChannel(ChangeChannel { channel })),
        4 => prop::sample::select(vec![dana(), sam()]).prop_map(|a| Command::Reassign(Reassign {
            to: a.reference(),
            reason: "shift change".into()
        })),
        4 => text().prop_map(|text| Command::AddNote(AddNote { text })),
        2 => (prop::sample::select(vec![dana(), sam()]), prop::sample::select(vec![
            Priority::Low,
            Priority::Normal,
            Priority::High,
            Priority::Urgent,
        ]), text())
            .prop_map(|(a, priority, reason)| Command::from(Escalate {
                to: a.reference(),
                priority,
                reason,
            })),
        // Follow-ups: light weights, so scripts still reach closing.
        1 => text().prop_map(|reason| Command::AwaitCustomer(AwaitCustomer { reason })),
        1 => text().prop_map(|reason| Command::AwaitThirdParty(AwaitThirdParty { party: "the carrier".into(), reason })),
        2 => Just(Command::Resume(Resume {})),
        3 => Just(Command::ReportTime(ReportTime {})),
        1 => (id(), text(), 0i64..72).prop_map(|(c, what, hours)| Command::MakeCommitment(MakeCommitment {
            commitment: CommitmentId::new(c),
            what,
            owner: dana().reference(),
            promised_for: t0() + Duration::hours(hours),
        })),
        2 => id().prop_map(|c| Command::KeepCommitment(KeepCommitment { commitment: CommitmentId::new(c) })),
        1 => (id(), text()).prop_map(|(c, reason)| Command::BreakCommitment(BreakCommitment {
            commitment: CommitmentId::new(c),
            reason
        })),
        1 => (id(), text()).prop_map(|(c, reason)| Command::CancelCommitment(CancelCommitment {
            commitment: CommitmentId::new(c),
            reason
        })),
        2 => (0u8..7).prop_map(|score| Command::RecordSurvey(RecordSurvey {
            score,
            comment: None,
            follow_up_case: None
        })),
    ]
}

/// A script: usually an opening followed by random commands, each with the minutes it
/// comes after the previous one (sometimes before: a clock going backwards).
pub fn arb_script() -> impl Strategy<Value = Vec<(Command, i64)>> {
    let timed = || (arb_command(), prop_oneof![1 => -2i64..0, 9 => 0i64..30]);
    (
        prop::bool::weighted(0.95),
        prop::collection::vec(timed(), 0..80),
    )
        .prop_map(|(opened, mut script)| {
            if opened {
                script.insert(0, (open_case(), 0));
            }
            script
        })
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

pub fn open_personal(case: &str) -> Command {
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
pub fn personal_recovery() -> Vec<Command> {
    vec![
        Command::Thank(Thank {
            words: "Thank you for telling us, Ms Okafor.".into(),
        }),
        Command::Apologize(Apologize {
            words: "I am sorry we sent your parcel to the wrong house.".into(),
        }),
        Command::AskQuestion(AskQuestion {
            question: "q1".into(),
            kind: QuestionKind::Background,
            text: "Which address did you give at checkout?".into(),
        }),
        Command::RecordAnswer(RecordAnswer {
            question: "q1".into(),
            answer: "Number 41; it is my daughter's birthday present".into(),
        }),
        Command::RecordGoal(RecordGoal {
            goal: "Have the parcel before Saturday".into(),
            expected: None,
        }),
        Command::Explain(Explain {
            words: "Two labels were swapped at our warehouse.".into(),
        }),
        Command::AddNote(AddNote {
            text: "Customer is recovering from surgery; prefers e-mail.".into(),
        }),
        Command::FinalThanks(FinalThanks {
            words: "Thank you for your patience, Ms Okafor.".into(),
        }),
        Command::Close(Close {
            root_cause: RootCause::builder()
                .category("warehouse")
                .description("label printer swapped two orders")
                .build(),
        }),
    ]
}

/// Runs the whole case through the service; returns its final version.
pub fn run_case<S: EventStore>(service: &CommandService<S>, case: &str) -> u64 {
    let id = CaseId::new(case);
    let mut last = 0;
    for (minute, command) in std::iter::once(open_personal(case))
        .chain(personal_recovery())
        .enumerate()
    {
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

/// Words for a command, as an owned string.
pub fn words(text: &str) -> String {
    text.to_owned()
}
