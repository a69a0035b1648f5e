//! Real concurrency across operating-system processes on one PostgreSQL database:
//! eight writer processes append to overlapping cases through `CommandService`, four
//! worker processes work the durable agenda, and a worker killed mid-lease loses its
//! item to another once the lease expires.
//!
//! The child processes are this test binary itself, run again with
//! `SR_CHILD_ROLE` set: [`child_process_entry_point`] then plays the role and exits.
//! The server's address comes from `SERVICE_RECOVERY_POSTGRES` (see tests/postgres.rs).

use chrono::{DateTime, Duration, Utc};
use service_recovery::prelude::*;
use service_recovery::store::{
    CommandService, EventStore, Position, PostgresOptions, PostgresStore, RetryPolicy,
    agenda_from_feed,
};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command as Process, Stdio};

const WRITERS: usize = 8;
const WORKERS: usize = 4;
const CASES: usize = 6;
const ROUNDS: usize = 12;

fn server() -> Option<String> {
    match std::env::var("SERVICE_RECOVERY_POSTGRES") {
        Ok(address) => Some(address),
        Err(_) => {
            let required = std::env::var_os("CI").is_some()
                || std::env::var_os("SERVICE_RECOVERY_POSTGRES_REQUIRED").is_some();
            assert!(
                !required,
                "SERVICE_RECOVERY_POSTGRES is not set: run under scripts/with-postgres"
            );
            eprintln!("skipped: no PostgreSQL (run under scripts/with-postgres)");
            None
        }
    }
}

fn connect(address: &str, schema: &str) -> PostgresStore {
    let options = PostgresOptions::builder()
        .connection(address)
        .schema(schema)
        .pool_size(2)
        .build();
    PostgresStore::connect(options)
        .unwrap()
        .with_agenda(&Policy::default())
}

fn dana() -> Actor {
    Actor::builder().id("agent-7").name("Dana").build()
}

fn command(json: serde_json::Value) -> service_recovery::Command {
    serde_json::from_value(json).unwrap()
}

fn case_id(n: usize) -> CaseId {
    CaseId::new(format!("case-{n}"))
}

fn open(case: &CaseId) -> service_recovery::Command {
    service_recovery::Command::Open(Box::new(
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
            .owner(dana().reference())
            .complaint(Complaint::builder().summary("wrong address").build())
            .severity(Severity::Minor)
            .build(),
    ))
}

/// Handles a command with the host's clock, reading it again when a competitor's
/// later event got in first (the clock may not go backwards within a case).
fn handle(
    service: &CommandService<PostgresStore>,
    case: &CaseId,
    command: &service_recovery::Command,
) -> Vec<Event> {
    for _ in 0..100 {
        match service.handle(case, command, &dana(), Utc::now()) {
            Ok(events) => return events,
            Err(ServiceError::Rejected(Rejection::ClockWentBackwards { .. })) => continue,
            Err(other) => panic!("{command:?} on {case}: {other}"),
        }
    }
    panic!("{command:?} on {case} kept meeting a later clock");
}

fn spawn(role: &str, address: &str, schema: &str, index: usize, extra: &[(&str, String)]) -> Child {
    let mut process = Process::new(std::env::current_exe().unwrap());
    process
        .args([
            "--exact",
            "child_process_entry_point",
            "--nocapture",
            "--test-threads=1",
            "-q",
        ])
        .env("SR_CHILD_ROLE", role)
        .env("SERVICE_RECOVERY_POSTGRES", address)
        .env("SR_SCHEMA", schema)
        .env("SR_INDEX", index.to_string())
        .stdout(Stdio::piped());
    for (key, value) in extra {
        process.env(key, value);
    }
    process.spawn().unwrap()
}

/// The lines a child printed that carry a result (`> ...`), once it has exited
/// successfully.
fn results(child: Child) -> Vec<String> {
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "a child process failed: {:?}",
        output.status
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("> ").map(str::to_owned))
        .collect()
}

fn item_line(claim: &service_recovery::store::AgendaClaim) -> String {
    format!(
        "{} {} {}",
        claim.item.case,
        serde_json::to_string(&claim.item.kind).unwrap(),
        claim.item.due.to_rfc3339()
    )
}

/// Not a test of its own: the entry point of the child processes that the tests
/// below start. Run without `SR_CHILD_ROLE`, it has nothing to do.
#[test]
fn child_process_entry_point() {
    let Ok(role) = std::env::var("SR_CHILD_ROLE") else {
        return;
    };
    let address = std::env::var("SERVICE_RECOVERY_POSTGRES").unwrap();
    let schema = std::env::var("SR_SCHEMA").unwrap();
    let index: usize = std::env::var("SR_INDEX").unwrap().parse().unwrap();
    let store = connect(&address, &schema);
    let mut out = std::io::stdout();
    match role.as_str() {
        "writer" => {
            let service = CommandService::new(store, Policy::default(), RetryPolicy::times(200));
            for round in 0..ROUNDS {
                let case = case_id((index + round) % CASES);
                let text = format!("writer {index} round {round}");
                handle(
                    &service,
                    &case,
                    &command(serde_json::json!({"command": "add_note", "text": text})),
                );
                if round % 4 == 0 {
                    let promise = format!("p-{index}-{round}");
                    handle(
                        &service,
                        &case,
                        &command(serde_json::json!({
                            "command": "make_commitment",
                            "commitment": promise,
                            "what": "a call back",
                            "owner": { "id": "agent-7", "name": "Dana" },
                            "promised_for": Utc::now() + Duration::days(3),
                        })),
                    );
                }
            }
        }
        "worker" => {
            let now: DateTime<Utc> = std::env::var("SR_NOW").unwrap().parse().unwrap();
            let lease = std::time::Duration::from_secs(600);
            let worker = format!("worker-{index}");
            loop {
                let claims = store.claim_due(now, 3, &worker, lease).unwrap();
                if claims.is_empty() {
                    break;
                }
                for claim in claims {
                    store.complete(&claim, now).unwrap();
                    writeln!(out, "> {}", item_line(&claim)).unwrap();
                }
            }
        }
        "doomed" => {
            let now: DateTime<Utc> = std::env::var("SR_NOW").unwrap().parse().unwrap();
            let claims = store
                .claim_due(now, 1, "doomed", std::time::Duration::from_secs(60))
                .unwrap();
            assert_eq!(claims.len(), 1);
            writeln!(out, "> {}", item_line(&claims[0])).unwrap();
            out.flush().unwrap();
            // Holds the lease until it is killed (bounded, should the parent die).
            std::thread::sleep(std::time::Duration::from_secs(120));
        }
        other => panic!("unknown role {other}"),
    }
    out.flush().unwrap();
}

fn schema(test: &str) -> String {
    format!("p{}_{test}", std::process::id())
}

/// Waits until the feed shows every stored event (bounded: about ten seconds).
fn settle(store: &PostgresStore) {
    let total: usize = store
        .list_cases()
        .unwrap()
        .iter()
        .map(|c| store.load(c).unwrap().len())
        .sum();
    for _ in 0..5_000 {
        if store.read_all(Position::START, 100_000).unwrap().len() >= total {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    panic!("the feed never showed all {total} events");
}

#[test]
fn eight_writer_processes_and_four_worker_processes_lose_and_repeat_nothing() {
    let Some(address) = server() else { return };
    let schema = schema("many");
    let store = connect(&address, &schema);
    let service = CommandService::new(
        connect(&address, &schema),
        Policy::default(),
        RetryPolicy::times(200),
    );
    for n in 0..CASES {
        handle(&service, &case_id(n), &open(&case_id(n)));
    }

    let writers: Vec<Child> = (0..WRITERS)
        .map(|i| spawn("writer", &address, &schema, i, &[]))
        .collect();
    for writer in writers {
        results(writer);
    }

    // Every note and every promise is stored exactly once, and every history replays.
    let mut notes = BTreeMap::new();
    let mut promises = BTreeSet::new();
    for n in 0..CASES {
        let history = store.load(&case_id(n)).unwrap();
        let sequences: Vec<u64> = history.iter().map(|e| e.sequence).collect();
        assert_eq!(sequences, (1..=history.len() as u64).collect::<Vec<_>>());
        for event in &history {
            match &event.kind {
                EventKind::NoteAdded { text } => {
                    *notes.entry(text.clone()).or_insert(0) += 1;
                }
                EventKind::CommitmentMade { commitment, .. } => {
                    assert!(
                        promises.insert(commitment.to_string()),
                        "{commitment} twice"
                    );
                }
                _ => {}
            }
        }
        Case::replay(history).unwrap();
    }
    assert_eq!(notes.len(), WRITERS * ROUNDS);
    assert!(notes.values().all(|&n| n == 1), "a note stored twice");
    assert_eq!(promises.len(), WRITERS * ROUNDS.div_ceil(4));

    // The agenda the writers maintained is the one the feed calls for.
    settle(&store);
    let maintained: Vec<_> = store
        .agenda_items()
        .unwrap()
        .into_iter()
        .map(|(item, _)| item)
        .collect();
    assert_eq!(
        maintained,
        agenda_from_feed(&store, &Policy::default()).unwrap()
    );

    // Four workers take everything due within 30 days: each item done once.
    let now = (Utc::now() + Duration::days(30)).to_rfc3339();
    let workers: Vec<Child> = (0..WORKERS)
        .map(|i| spawn("worker", &address, &schema, i, &[("SR_NOW", now.clone())]))
        .collect();
    let mut done = BTreeMap::new();
    for worker in workers {
        for line in results(worker) {
            *done.entry(line).or_insert(0) += 1;
        }
    }
    assert!(done.values().all(|&n| n == 1), "an item done twice");
    let items = store.agenda_items().unwrap();
    assert!(
        items.iter().all(|(_, is_done)| *is_done),
        "an item left undone"
    );
    assert_eq!(done.len(), items.len());
    assert!(
        done.len() >= promises.len() * 2,
        "every promise has a reminder and a target"
    );
}

#[test]
fn a_worker_killed_mid_lease_loses_its_item_once_the_lease_expires() {
    let Some(address) = server() else { return };
    let schema = schema("killed");
    let store = connect(&address, &schema);
    let service = CommandService::new(
        connect(&address, &schema),
        Policy::default(),
        RetryPolicy::times(10),
    );
    handle(&service, &case_id(0), &open(&case_id(0)));
    let now = Utc::now() + Duration::days(30);
    let lease = std::time::Duration::from_secs(60);

    let mut doomed = spawn(
        "doomed",
        &address,
        &schema,
        0,
        &[("SR_NOW", now.to_rfc3339())],
    );
    let mut reader = BufReader::new(doomed.stdout.take().unwrap());
    let mut held = None;
    let mut line = String::new();
    while held.is_none() && reader.read_line(&mut line).unwrap() > 0 {
        held = line.trim().strip_prefix("> ").map(str::to_owned);
        line.clear();
    }
    let held = held.expect("the doomed worker reports its claim");
    doomed.kill().unwrap();
    doomed.wait().unwrap();

    // The lease outlives its holder: nobody gets the item before it expires...
    let before = store.claim_due(now, 100, "rescuer", lease).unwrap();
    assert!(!before.is_empty());
    assert!(before.iter().all(|c| item_line(c) != held));
    // ...and the next worker gets it afterwards, as a second attempt.
    let after = store
        .claim_due(now + Duration::seconds(61), 100, "rescuer", lease)
        .unwrap();
    let rescued = after.iter().find(|c| item_line(c) == held).unwrap();
    assert_eq!(rescued.attempt(), 2);
    store
        .complete(rescued, now + Duration::seconds(62))
        .unwrap();
}
