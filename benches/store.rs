//! Event stores: events appended per second (one at a time and in batches of 50) and
//! 20-event histories loaded per second, SQLite on disk against the in-memory store,
//! with plain serde_json deserialization of the same events as the floor for loading.
//!
//! Scale-out: commands per second through `CommandService` with 1 and 8 concurrent
//! writers on the in-memory store (the baseline), SQLite and PostgreSQL; follow-ups
//! claimed and completed per second from PostgreSQL's durable agenda beside the
//! in-memory `Agenda`; events per second read from the feed (`read_all`) of each
//! store beside plain serde_json deserialization of the same events.
//!
//! `cargo bench --bench store --features sqlite`
//! `scripts/with-postgres cargo bench --bench store --features sqlite,postgres`
//! (PostgreSQL with its defaults: fsync on, synchronous_commit on.) The server's
//! settings are printed first. Group commit can be tuned for the throwaway server:
//! `SERVICE_RECOVERY_POSTGRES_SETTINGS="-c commit_delay=100 -c commit_siblings=2"`.
//! One more figure, with `synchronous_commit = off` for the bench's own connections
//! (not durable: a crash may lose the last acknowledged appends), is printed beside
//! the durable ones, never instead of them.

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

fn add_note() -> Command {
    serde_json::from_value(serde_json::json!({
        "command": "add_note",
        "text": "Called the courier; the parcel is on its way.",
    }))
    .unwrap()
}

fn open_case(case: &CaseId) -> Command {
    Command::Open(Box::new(
        OpenCase::builder()
            .case(case.clone())
            .customer(
                Customer::builder()
                    .id("c-1")
                    .name("Amara Okafor")
                    .address_as("Ms Okafor")
                    .build(),
            )
            .channel(Channel::Email)
            .owner(ActorRef::new("agent-7", "Dana"))
            .complaint(
                Complaint::builder()
                    .summary("parcel sent to the wrong address")
                    .build(),
            )
            .severity(Severity::Moderate)
            .build(),
    ))
}

/// Commands per case before a writer moves on to a new case, so that histories (and
/// so the load and replay inside every command) stay realistic.
const COMMANDS_PER_CASE: u64 = 20;

/// Times `iters` commands split among `writers` threads, each on cases of its own:
/// an opening, then notes.
fn commands<S: EventStore>(
    service: &CommandService<S>,
    writers: u64,
    iters: u64,
    tag: &str,
) -> std::time::Duration {
    static RUN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let run = RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dana = Actor::builder().id("agent-7").name("Dana").build();
    let note = add_note();
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
    let start = Instant::now();
    std::thread::scope(|s| {
        for writer in 0..writers {
            let (dana, note) = (&dana, &note);
            s.spawn(move || {
                let share = iters / writers + u64::from(writer < iters % writers);
                for n in 0..share {
                    let case =
                        CaseId::new(format!("{tag}-{run}-{writer}-{}", n / COMMANDS_PER_CASE));
                    let now = at + Duration::seconds(n as i64);
                    let command = if n % COMMANDS_PER_CASE == 0 {
                        open_case(&case)
                    } else {
                        note.clone()
                    };
                    service.handle(&case, &command, dana, now).unwrap();
                }
            });
        }
    });
    start.elapsed()
}

#[cfg(feature = "postgres")]
fn postgres(schema: &str) -> Option<service_recovery::store::PostgresStore> {
    postgres_with(schema, "")
}

/// A store on the throwaway server, its connections opened with `settings` (libpq
/// `options`, for example `-c synchronous_commit=off`).
#[cfg(feature = "postgres")]
fn postgres_with(schema: &str, settings: &str) -> Option<service_recovery::store::PostgresStore> {
    use service_recovery::store::{PostgresOptions, PostgresStore};
    let Ok(address) = std::env::var("SERVICE_RECOVERY_POSTGRES") else {
        eprintln!("PostgreSQL skipped: run under scripts/with-postgres");
        return None;
    };
    let mut admin = postgres::Client::connect(&address, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .unwrap();
    let shown: Vec<String> = [
        "fsync",
        "synchronous_commit",
        "wal_sync_method",
        "commit_delay",
        "commit_siblings",
    ]
    .iter()
    .map(|name| {
        let value: String = admin
            .query_one(&format!("SHOW {name}"), &[])
            .unwrap()
            .get(0);
        format!("{name} = {value}")
    })
    .collect();
    eprintln!(
        "PostgreSQL (schema {schema}): {}{}",
        shown.join(", "),
        if settings.is_empty() {
            String::new()
        } else {
            format!("; the store's connections: {settings}")
        }
    );
    let connection = if settings.is_empty() {
        address
    } else {
        format!("{address} options='{settings}'")
    };
    let options = PostgresOptions::builder()
        .connection(connection)
        .schema(schema)
        .pool_size(8)
        .build();
    Some(
        PostgresStore::connect(options)
            .unwrap()
            .with_agenda(&Policy::default()),
    )
}

fn throughput_of_commands(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let retry = RetryPolicy::times(20);
    let memory = CommandService::new(InMemoryStore::new(), Policy::default(), retry);
    let sqlite = CommandService::new(
        SqliteStore::open(dir.path().join("commands.db")).unwrap(),
        Policy::default(),
        retry,
    );
    #[cfg(feature = "postgres")]
    let pg = postgres("bench_commands").map(|s| CommandService::new(s, Policy::default(), retry));
    #[cfg(feature = "postgres")]
    let pg_async = postgres_with("bench_commands_async", "-c synchronous_commit=off")
        .map(|s| CommandService::new(s, Policy::default(), retry));

    let mut group = c.benchmark_group("commands through CommandService");
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(1));
    for writers in [1u64, 8] {
        group.bench_function(BenchmarkId::new("memory (baseline)", writers), |b| {
            b.iter_custom(|iters| commands(&memory, writers, iters, "m"))
        });
        group.bench_function(BenchmarkId::new("sqlite", writers), |b| {
            b.iter_custom(|iters| commands(&sqlite, writers, iters, "s"))
        });
        #[cfg(feature = "postgres")]
        if let Some(pg) = &pg {
            group.bench_function(BenchmarkId::new("postgres, agenda kept", writers), |b| {
                b.iter_custom(|iters| commands(pg, writers, iters, "p"))
            });
        }
        #[cfg(feature = "postgres")]
        if let Some(pg) = &pg_async {
            group.bench_function(
                BenchmarkId::new(
                    "postgres, agenda kept, synchronous_commit off (not durable)",
                    writers,
                ),
                |b| b.iter_custom(|iters| commands(pg, writers, iters, "a")),
            );
        }
    }
    group.finish();
}

/// Reads a whole feed, `page` events at a time; returns how many it read.
fn read_feed(store: &impl EventStore, page: usize) -> usize {
    let mut after = service_recovery::store::Position::START;
    let mut read = 0;
    loop {
        let events = store.read_all(after, page).unwrap();
        let Some(last) = events.last() else {
            return read;
        };
        after = last.position;
        read += events.len();
    }
}

const FEED: usize = 20_000;

fn feed(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(dir.path().join("feed.db")).unwrap();
    let memory = InMemoryStore::new();
    let events = history();
    let cases = FEED / HISTORY;
    #[cfg(feature = "postgres")]
    let pg = postgres("bench_feed");
    for i in 0..cases {
        let case = CaseId::new(format!("case-{i}"));
        sqlite.append(&case, 0, &events).unwrap();
        memory.append(&case, 0, &events).unwrap();
        #[cfg(feature = "postgres")]
        if let Some(pg) = &pg {
            pg.append(&case, 0, &events).unwrap();
        }
    }
    let json = serde_json::to_string(&events).unwrap();

    let mut group = c.benchmark_group("read the feed (20 000 events, pages of 1000)");
    group.throughput(Throughput::Elements(FEED as u64));
    group.bench_function("serde_json baseline", |b| {
        b.iter(|| {
            for _ in 0..cases {
                black_box(serde_json::from_str::<Vec<Event>>(black_box(&json)).unwrap());
            }
        })
    });
    group.bench_function("memory", |b| {
        b.iter(|| assert_eq!(read_feed(&memory, 1000), FEED))
    });
    group.bench_function("sqlite", |b| {
        b.iter(|| assert_eq!(read_feed(&sqlite, 1000), FEED))
    });
    #[cfg(feature = "postgres")]
    if let Some(pg) = &pg {
        // Every append above has committed; wait until no older transaction holds
        // the feed back.
        while read_feed(pg, 1000) < FEED {}
        group.bench_function("postgres", |b| {
            b.iter(|| assert_eq!(read_feed(pg, 1000), FEED))
        });
    }
    group.finish();
}

#[cfg(feature = "postgres")]
fn claims(c: &mut Criterion) {
    use service_recovery::schedule::Agenda;
    let Some(pg) = postgres("bench_claims") else {
        return;
    };
    let address = std::env::var("SERVICE_RECOVERY_POSTGRES").unwrap();
    let mut admin = postgres::Client::connect(&address, postgres::NoTls).unwrap();
    let service = CommandService::new(&pg, Policy::default(), RetryPolicy::never());
    let dana = Actor::builder().id("agent-7").name("Dana").build();
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
    let mut agenda_source = Vec::new();
    for i in 0..300 {
        let case = CaseId::new(format!("case-{i}"));
        service.handle(&case, &open_case(&case), &dana, at).unwrap();
        agenda_source.push(service.case(&case).unwrap().unwrap());
    }
    let pending = pg.agenda_items().unwrap().len();
    let later = at + Duration::days(30);
    let lease = std::time::Duration::from_secs(60);

    let mut group = c.benchmark_group("claim and complete due follow-ups");
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(1));
    group.bench_function(
        BenchmarkId::new("in-memory Agenda (baseline)", pending),
        |b| {
            b.iter_custom(|iters| {
                let mut elapsed = std::time::Duration::ZERO;
                let mut left = iters;
                while left > 0 {
                    let mut agenda = Agenda::new(&Policy::default());
                    for case in &agenda_source {
                        agenda.observe_case(case);
                    }
                    let start = Instant::now();
                    while left > 0 {
                        let Some(item) = agenda.pop_due(later) else {
                            break;
                        };
                        black_box(item);
                        left -= 1;
                    }
                    elapsed += start.elapsed();
                }
                elapsed
            })
        },
    );
    let reset =
        "UPDATE bench_claims.agenda SET completed_at = NULL, claimed_by = NULL, lease_until = NULL";
    group.bench_function(BenchmarkId::new("postgres, 10 per claim", pending), |b| {
        b.iter_custom(|iters| {
            let mut elapsed = std::time::Duration::ZERO;
            let mut left = iters;
            while left > 0 {
                admin.batch_execute(reset).unwrap();
                let start = Instant::now();
                while left > 0 {
                    let claims = pg
                        .claim_due(later, left.min(10) as usize, "bench", lease)
                        .unwrap();
                    if claims.is_empty() {
                        break;
                    }
                    for claim in &claims {
                        pg.complete(claim, later).unwrap();
                    }
                    left -= claims.len() as u64;
                }
                elapsed += start.elapsed();
            }
            elapsed
        })
    });
    group.finish();
}

#[cfg(not(feature = "postgres"))]
fn claims(_: &mut Criterion) {}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = appends, loads, throughput_of_commands, feed, claims
}
criterion_main!(benches);
