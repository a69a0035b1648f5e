//! How fast the core decides and applies commands, and replays histories.
//!
//! Each figure sits beside a baseline measured in the same run, so the ratio survives
//! a noisy, shared machine:
//!
//! - `command/decide_and_apply`: one command of a full recovery script, decided and
//!   applied; baseline `command/minimal_enum_transition`, a hand-written enum state
//!   machine taking the same number of steps.
//! - `replay/case_replay`: rebuilding a case from a 1,000-event history; baseline
//!   `replay/move_events`, moving the same events into a vector.
//!
//! Run: `cargo bench --bench case`.

use chrono::{DateTime, Duration, TimeZone, Utc};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use service_recovery::approval::{AuthorityLimits, ResolutionKind, ResolutionOption};
use service_recovery::money::{Currency, Money};
use service_recovery::prelude::*;
use std::hint::black_box;

fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn agent() -> Actor {
    let usd = |m| Money::new(m, Currency::USD);
    Actor::builder()
        .id("agent-7")
        .name("Dana")
        .limits(
            AuthorityLimits::builder()
                .offer_per_option(vec![usd(5_000)])
                .offer_per_case(vec![usd(10_000)])
                .build(),
        )
        .build()
}

fn opened(actor: &Actor, policy: &Policy) -> Case {
    let open = service_recovery::testing::open_case();
    Case::replay(decide(None, &open, actor, t(0), policy).unwrap()).unwrap()
}

fn script() -> Vec<Command> {
    vec![
        Command::Thank(Thank {
            words: "Thank you for telling us, Ms Okafor.".into(),
        }),
        Command::Apologize(Apologize {
            words: "I am sorry we sent your parcel to the wrong address.".into(),
        }),
        Command::AskQuestion(AskQuestion {
            question: QuestionId::new("q1"),
            kind: QuestionKind::Probing,
            text: "When do you need it?".into(),
        }),
        Command::RecordAnswer(RecordAnswer {
            question: QuestionId::new("q1"),
            answer: "Saturday.".into(),
        }),
        Command::RecordGoal(RecordGoal {
            goal: "have it by Saturday".into(),
            expected: None,
        }),
        Command::Explain(Explain {
            words: "Two labels were swapped.".into(),
        }),
        Command::ProposeOption(ProposeOption {
            option: OptionId::new("o1"),
            resolution: ResolutionOption::builder()
                .kind(ResolutionKind::Replacement)
                .description("express re-shipment")
                .build(),
        }),
        Command::OfferOption(OfferOption {
            option: OptionId::new("o1"),
        }),
        Command::AcceptOffer(AcceptOffer {
            option: OptionId::new("o1"),
        }),
        Command::AgreeAction(AgreeAction {
            action: ActionId::new("a1"),
            description: "re-ship by express today".into(),
            option: Some(OptionId::new("o1")),
        }),
        Command::CarryOut(CarryOut {
            action: ActionId::new("a1"),
            outcome: "handed to the courier".into(),
        }),
        Command::Goodwill(Goodwill {
            description: "a birthday card".into(),
            value: None,
            prior: Default::default(),
        }),
        Command::FinalThanks(FinalThanks {
            words: "Thank you, Ms Okafor.".into(),
        }),
        Command::Close(Close {
            root_cause: RootCause::builder()
                .category("warehouse")
                .description("label swap")
                .build(),
        }),
    ]
}

/// The baseline: the smallest honest state machine for the same script, an enum and a
/// match with an order check, no history and no payload.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Minimal {
    Opened,
    Thanked,
    Apologized,
    Asked,
    Answered,
    GoalRecorded,
    Explained,
    Proposed,
    Offered,
    Accepted,
    Agreed,
    Done,
    Goodwill,
    FinalThanks,
    Closed,
}

fn minimal_step(state: Minimal, step: u8) -> Result<Minimal, ()> {
    use Minimal::*;
    Ok(match (state, step) {
        (Opened, 0) => Thanked,
        (Thanked, 1) => Apologized,
        (Apologized, 2) => Asked,
        (Asked, 3) => Answered,
        (Answered, 4) => GoalRecorded,
        (GoalRecorded, 5) => Explained,
        (Explained, 6) => Proposed,
        (Proposed, 7) => Offered,
        (Offered, 8) => Accepted,
        (Accepted, 9) => Agreed,
        (Agreed, 10) => Done,
        (Done, 11) => Goodwill,
        (Goodwill, 12) => FinalThanks,
        (FinalThanks, 13) => Closed,
        _ => return Err(()),
    })
}

fn commands(c: &mut Criterion) {
    let actor = agent();
    let policy = Policy::default();
    let start = opened(&actor, &policy);
    let script = script();
    let times: Vec<DateTime<Utc>> = (1..=script.len() as i64).map(t).collect();
    let mut group = c.benchmark_group("command");
    group.throughput(Throughput::Elements(script.len() as u64));
    group.bench_function("decide_and_apply", |b| {
        b.iter_batched(
            || start.clone(),
            |mut case| {
                for (command, &now) in script.iter().zip(&times) {
                    let events = decide(Some(&case), command, &actor, now, &policy).unwrap();
                    for event in events {
                        case.apply(event).unwrap();
                    }
                }
                case
            },
            BatchSize::SmallInput,
        )
    });
    let steps: Vec<u8> = (0..script.len() as u8).collect();
    group.bench_function("minimal_enum_transition", |b| {
        b.iter(|| {
            let mut state = Minimal::Opened;
            for &step in black_box(&steps) {
                state = minimal_step(state, step).unwrap();
            }
            state
        })
    });
    group.finish();
}

fn history(actor: &Actor, policy: &Policy, len: usize) -> Vec<Event> {
    let mut case = opened(actor, policy);
    let mut i = 0i64;
    let mut run = |case: &mut Case, command: Command| {
        i += 1;
        for event in decide(Some(case), &command, actor, t(i), policy).unwrap() {
            case.apply(event).unwrap();
        }
    };
    for command in script().into_iter().take(6) {
        run(&mut case, command);
    }
    let mut n = 0;
    while case.history().len() < len {
        n += 1;
        let command = match n % 4 {
            0 => Command::AddNote(AddNote {
                text: format!("called the courier, reference {n}"),
            }),
            1 => Command::AskQuestion(AskQuestion {
                question: QuestionId::new(format!("bq{n}")),
                kind: QuestionKind::Background,
                text: "Which door should the courier use?".into(),
            }),
            2 => Command::RecordAnswer(RecordAnswer {
                question: QuestionId::new(format!("bq{}", n - 1)),
                answer: "The side door.".into(),
            }),
            _ => Command::Apologize(Apologize {
                words: "I am sorry this is taking so long.".into(),
            }),
        };
        run(&mut case, command);
    }
    case.history().to_vec()
}

fn replay(c: &mut Criterion) {
    let actor = agent();
    let policy = Policy::default();
    let events = history(&actor, &policy, 1_000);
    assert_eq!(events.len(), 1_000);
    let mut group = c.benchmark_group("replay");
    group.throughput(Throughput::Elements(events.len() as u64));
    group.bench_function("case_replay", |b| {
        b.iter_batched(
            || events.clone(),
            |events| Case::replay(events).unwrap(),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("move_events", |b| {
        b.iter_batched(
            || events.clone(),
            |events| {
                let mut moved = Vec::with_capacity(events.len());
                for event in events {
                    moved.push(black_box(event));
                }
                moved
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3))
}

criterion_group! { name = benches; config = config(); targets = commands, replay }
criterion_main!(benches);
