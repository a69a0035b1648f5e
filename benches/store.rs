//! Event stores: events appended per second (one at a time and in batches of 50) and
//! 20-event histories loaded per second, SQLite on disk against the in-memory store,
//! with plain serde_json deserialization of the same events as the floor for loading.
//!
//! `cargo bench --bench store --features sqlite`

use chrono::{Duration, TimeZone, Utc};
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use service_recovery::prelude::*;
use service_recovery::store::{
    CommandService, EventStore, InMemoryStore, RetryPolicy, SqliteStore,
};
use std::hint::black_box;
use std::time::Instant;

const BATCH: u64 = 50;
const HISTORY: usize = 20;
const CASES: usize = 64;

fn note(sequence: u64) -> Event {
    Event {
        sequence,
        at: Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap()
            + Duration::seconds(sequence as i64),
        actor: ActorRef::new("agent-7", "Dana"),
        kind: EventKind::NoteAdded {
            text: "Called the courier; the parcel is on its way back to the depot.".into(),
        },
    }
}

/// A realistic 20-event history: a whole recovery, then notes.
fn history() -> Vec<Event> {
    let dana = Actor::builder().id("agent-7").name("Dana").build();
    let service = CommandService::new(
        InMemoryStore::new(),
        Policy::default(),
        RetryPolicy::never(),
    );
    let case = CaseId::new("case-1");
    let open = service_recovery::testing::open_case_as(case.as_str());
    let mut now = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
    let mut commands = vec![
        open,
        Command::Thank(Thank {
            words: "Thank you for telling us, Ms Okafor.".into(),
        }),
        Command::Apologize(Apologize {
            words: "I am sorry we sent your parcel to the wrong address.".into(),
        }),
        Command::RecordGoal(RecordGoal {
            goal: "Have the parcel before Saturday".into(),
            expected: Some("delivery on Tuesday".into()),
        }),
        Command::Explain(Explain {
            words: "Two labels were swapped at our warehouse.".into(),
        }),
    ];
    while commands.len() < HISTORY - 2 {
        commands.push(Command::AddNote(AddNote {
            text: "Called the courier; the parcel is on its way.".into(),
        }));
    }
    commands.push(Command::FinalThanks(FinalThanks {
        words: "Thank you for your patience, Ms Okafor.".into(),
    }));
    commands.push(Command::Close(Close {
        root_cause: RootCause::builder()
            .category("warehouse")
            .description("label printer swapped two orders")
            .build(),
    }));
    for command in &commands {
        service.handle(&case, command, &dana, now).unwrap();
        now += Duration::minutes(3);
    }
    let events = service.store().load(&case).unwrap();
    assert_eq!(events.len(), HISTORY);
    events
}

/// Times `iters` single-event appends to a fresh case.
fn single_appends(store: &impl EventStore, case: &CaseId, iters: u64) -> std::time::Duration {
    let start = Instant::now();
    for version in 0..iters {
        store.append(case, version, &[note(version + 1)]).unwrap();
    }
    start.elapsed()
}

/// Times `iters` appends of `BATCH` events to a fresh case.
fn batch_appends(store: &impl EventStore, case: &CaseId, iters: u64) -> std::time::Duration {
    let start = Instant::now();
    for i in 0..iters {
        let version = i * BATCH;
        let batch: Vec<Event> = (1..=BATCH).map(|n| note(version + n)).collect();
        store.append(case, version, &batch).unwrap();
    }
    start.elapsed()
}

fn appends(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(dir.path().join("bench.db")).unwrap();
    let mut fresh = 0u64;
    let mut next_case = || {
        fresh += 1;
        CaseId::new(format!("case-{fresh}"))
    };

    let mut group = c.benchmark_group("append");
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(1));
    group.bench_function(BenchmarkId::new("one event", "sqlite"), |b| {
        b.iter_custom(|iters| single_appends(&sqlite, &next_case(), iters))
    });
    group.bench_function(BenchmarkId::new("one event", "memory"), |b| {
        // A fresh store for every sample keeps memory bounded.
        b.iter_custom(|iters| single_appends(&InMemoryStore::new(), &next_case(), iters))
    });
    group.throughput(Throughput::Elements(BATCH));
    group.bench_function(BenchmarkId::new("batch of 50", "sqlite"), |b| {
        b.iter_custom(|iters| batch_appends(&sqlite, &next_case(), iters))
    });
    group.bench_function(BenchmarkId::new("batch of 50", "memory"), |b| {
        b.iter_custom(|iters| batch_appends(&InMemoryStore::new(), &next_case(), iters))
    });
    group.finish();
}

fn loads(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(dir.path().join("bench.db")).unwrap();
    let memory = InMemoryStore::new();
    let events = history();
    let cases: Vec<CaseId> = (0..CASES)
        .map(|i| CaseId::new(format!("case-{i}")))
        .collect();
    for case in &cases {
        sqlite.append(case, 0, &events).unwrap();
        memory.append(case, 0, &events).unwrap();
    }
    let json = serde_json::to_string(&events).unwrap();

    let mut group = c.benchmark_group("load a 20-event history");
    group.throughput(Throughput::Elements(1));
    let mut i = 0;
    group.bench_function("sqlite", |b| {
        b.iter(|| {
            i = (i + 1) % CASES;
            black_box(sqlite.load(&cases[i]).unwrap())
        })
    });
    group.bench_function("memory", |b| {
        b.iter(|| {
            i = (i + 1) % CASES;
            black_box(memory.load(&cases[i]).unwrap())
        })
    });
    group.bench_function("serde_json baseline", |b| {
        b.iter(|| black_box(serde_json::from_str::<Vec<Event>>(black_box(&json)).unwrap()))
    });
    group.bench_function("sqlite, then replay", |b| {
        b.iter(|| {
            i = (i + 1) % CASES;
            black_box(Case::replay(sqlite.load(&cases[i]).unwrap()).unwrap())
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = appends, loads
}
criterion_main!(benches);
