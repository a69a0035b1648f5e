//! What the JSON wire contract costs beside the Rust API, for the same decision.
//!
//! - `round_trip/json`: one protocol round trip through `Protocol::handle`: parse a
//!   request (5.2 kB) carrying a 20-event stored history, decode and replay it (every
//!   event checked to belong to the case and to follow the one before it), decide an
//!   explanation, serialize the response with its new stored event. A `decide` does
//!   not check the history's hash chain (the events carry no links here, and a store
//!   checks links when it loads a case); the `verify` request does.
//! - `round_trip/rust`: the baseline, the same decision through the Rust API in the
//!   same run: replay the 20 typed events into a `Case` and decide (the copy of the
//!   events that `Case::replay` consumes is made outside the timing). Target: JSON at
//!   most 5x.
//! - `round_trip/parse_untyped`: only reading the same request text into an untyped
//!   `serde_json::Value`, the floor of any JSON path that builds a tree.
//!
//! Run: `cargo bench --bench protocol`.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use serde_json::json;
use service_recovery::history::StoredEvent;
use service_recovery::prelude::*;
use service_recovery::protocol::{DecideRequest, PROTOCOL_VERSION, Protocol, Request};
use service_recovery::testing::{apologize, at, dana, goal, open_case, thank};
use std::hint::black_box;

/// The commands that give the standard case a 20-event history.
fn twenty_events() -> Vec<Command> {
    let mut commands = vec![open_case(), thank(), apologize()];
    for i in 0..5 {
        let question = format!("q-{i}");
        commands.push(
            serde_json::from_value(json!({"command": "ask_question", "question": question,
                "kind": "probing", "text": "When do you need it by?"}))
            .unwrap(),
        );
        commands.push(
            serde_json::from_value(json!({"command": "record_answer", "question": question,
                "answer": "Saturday, for my daughter's birthday."}))
            .unwrap(),
        );
    }
    commands.push(goal());
    for _ in 0..6 {
        commands.push(Command::AddNote(AddNote {
            text: "called the courier; the parcel is in another town".into(),
        }));
    }
    commands
}

fn history(policy: &Policy) -> Vec<Event> {
    let actor = dana();
    let mut case: Option<Case> = None;
    for (minute, command) in twenty_events().iter().enumerate() {
        let events = decide(case.as_ref(), command, &actor, at(minute as i64), policy).unwrap();
        for event in events {
            case = Some(evolve(case, event).unwrap());
        }
    }
    case.unwrap().history().to_vec()
}

fn explain() -> Command {
    Command::Explain(Explain {
        words: "Two labels were swapped at our warehouse.".into(),
    })
}

fn bench(c: &mut Criterion) {
    let policy = Policy::default();
    let events = history(&policy);
    assert_eq!(events.len(), 20);
    let case_id = CaseId::new("case-1");
    let stored: Vec<StoredEvent> = events
        .iter()
        .map(|e| StoredEvent::encode(&case_id, e).unwrap())
        .collect();
    let request = serde_json::to_string(&Request::from(DecideRequest {
        protocol: PROTOCOL_VERSION,
        history: Some(stored),
        command: explain(),
        actor: dana(),
        at: at(30),
        expected_version: 20,
        policy: "standard".into(),
    }))
    .unwrap();
    let host = Protocol::new().with_policy("standard", policy.clone());
    let response = host.handle(&request);
    assert!(response.contains(r#""outcome":"accepted""#), "{response}");
    let (actor, command) = (dana(), explain());

    let mut group = c.benchmark_group("round_trip");
    group.bench_function("json", |b| b.iter(|| host.handle(black_box(&request))));
    group.bench_function("rust", |b| {
        b.iter_batched(
            || events.clone(),
            |events| {
                let case = Case::replay(events).unwrap();
                decide(Some(&case), &command, &actor, at(30), &policy).unwrap()
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("parse_untyped", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&request)).unwrap())
    });
    group.finish();
    eprintln!("request: {} bytes", request.len());
}

criterion_group!(benches, bench);
criterion_main!(benches);
