//! The PostgreSQL store against a real server: the conformance suite, corrupt rows,
//! upcasting, the feed under out-of-order commits, waiting for the feed, and the
//! durable agenda.
//!
//! The server's address comes from `SERVICE_RECOVERY_POSTGRES` (a libpq connection
//! string); `scripts/with-postgres` starts a throwaway server and sets it:
//!
//!     scripts/with-postgres cargo test --features postgres --test postgres
//!
//! Without it the tests say so and pass, except under CI (`CI` set) or with
//! `SERVICE_RECOVERY_POSTGRES_REQUIRED` set, where they fail. Each test works in its
//! own PostgreSQL schema, so they run in parallel on one server.

use chrono::{DateTime, Duration, TimeZone, Utc};
use postgres::{Client, NoTls};
use service_recovery::history::{DecodeError, StoredEvent};
use service_recovery::prelude::*;
use service_recovery::schedule::{AgendaItem, AgendaKind};
use service_recovery::store::{
    CommandService, EventStore, Position, PostgresOptions, PostgresStore, RetryPolicy,
    agenda_from_feed,
};
use service_recovery::testing::store_conformance::CHECKS;
use std::sync::atomic::{AtomicU32, Ordering};

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

/// A schema of its own for each store a test opens.
fn schema(test: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!(
        "t{}_{}_{n}",
        std::process::id(),
        &test[..test.len().min(20)]
    )
}

fn store(address: &str, test: &str) -> PostgresStore {
    let options = PostgresOptions::builder()
        .connection(address)
        .schema(schema(test))
        .pool_size(6)
        .build();
    PostgresStore::connect(options).unwrap()
}

fn raw(address: &str) -> Client {
    Client::connect(address, NoTls).unwrap()
}

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn dana() -> Actor {
    Actor::builder().id("agent-7").name("Dana").build()
}

fn note(sequence: u64, text: &str) -> Event {
    Event {
        sequence,
        at: at(sequence as i64),
        actor: ActorRef::new("agent-7", "Dana"),
        kind: EventKind::NoteAdded { text: text.into() },
    }
}

fn open(case: &str) -> Command {
    Command::Open(Box::new(
        OpenCase::builder()
            .case(case)
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

/// A command from its JSON form, which stays stable while the Rust types move.
fn command(json: serde_json::Value) -> Command {
    serde_json::from_value(json).unwrap()
}

fn promise(id: &str, days: i64) -> Command {
    command(serde_json::json!({
        "command": "make_commitment",
        "commitment": id,
        "what": "a new parcel at the right address",
        "owner": { "id": "agent-7", "name": "Dana" },
        "promised_for": at(days * 24 * 60),
    }))
}

/// The feed once it shows `count` events: other tests' transactions on the same
/// server may hold it back for a moment (bounded: about ten seconds).
fn settled(
    store: &PostgresStore,
    after: Position,
    count: usize,
) -> Vec<service_recovery::store::RecordedEvent> {
    for _ in 0..5_000 {
        let read = store.read_all(after, 10_000).unwrap();
        if read.len() >= count {
            return read;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    panic!("the feed never showed {count} events");
}

// ---- the contract -----------------------------------------------------------------

#[test]
fn the_postgres_store_keeps_the_contract() {
    let Some(address) = server() else { return };
    for check in CHECKS {
        let store = store(&address, check.name);
        if let Err(failure) = (check.run)(&store) {
            panic!("{failure}");
        }
    }
}

#[test]
fn the_agenda_keeping_store_keeps_the_contract_too() {
    let Some(address) = server() else { return };
    for check in CHECKS {
        let store = store(&address, check.name).with_agenda(&Policy::default());
        if let Err(failure) = (check.run)(&store) {
            panic!("{failure}");
        }
    }
}

#[test]
fn reconnecting_keeps_everything_and_two_stores_share_one_schema() {
    let Some(address) = server() else { return };
    let first = store(&address, "reconnect");
    let options = first.options().clone();
    first
        .append(&CaseId::new("case-1"), 0, &[note(1, "a")])
        .unwrap();
    let second = PostgresStore::connect(options).unwrap();
    assert_eq!(
        second.load(&CaseId::new("case-1")).unwrap(),
        vec![note(1, "a")]
    );
    assert_eq!(
        second.append(&CaseId::new("case-1"), 0, &[note(1, "b")]),
        Err(StoreError::Conflict {
            case: CaseId::new("case-1"),
            expected: 0,
            actual: 1
        })
    );
}

#[test]
fn tables_from_a_newer_version_are_refused() {
    let Some(address) = server() else { return };
    let store = store(&address, "layout");
    let schema = store.options().schema.clone();
    raw(&address)
        .batch_execute(&format!("UPDATE {schema}.layout SET version = 99"))
        .unwrap();
    let error = PostgresStore::connect(store.options().clone()).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "the event store failed: the tables in schema {schema} were written by a newer version of this crate (layout 99; this version knows layout 2)"
        )
    );
}

#[test]
fn an_unreachable_server_is_a_backend_error() {
    let options = PostgresOptions::builder()
        .connection("host=127.0.0.1 port=1 user=postgres connect_timeout=1")
        .connect_timeout(std::time::Duration::from_secs(1))
        .build();
    let error = PostgresStore::connect(options).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("the event store failed: no connection to PostgreSQL could be had"),
        "{error}"
    );
    let bad = PostgresOptions::builder()
        .connection("port=notanumber")
        .build();
    assert!(
        PostgresStore::connect(bad)
            .unwrap_err()
            .to_string()
            .starts_with("the event store failed: the connection string is not valid")
    );
}

// ---- rows written by others -------------------------------------------------------

/// A row as another writer (an older version, a hand edit) left it: case, sequence,
/// event type, schema version, time and payload.
type Row<'a> = (&'a str, i64, &'a str, i32, &'a str, &'a str);

fn insert_row(client: &mut Client, schema: &str, row: Row<'_>) {
    client
        .execute(
            &format!(
                "INSERT INTO {schema}.events (case_id, sequence, event_type, schema_version, at, actor_id, actor_name, payload) \
                 VALUES ($1, $2, $3, $4, $5, 'a-1', 'Dana', $6)"
            ),
            &[&row.0, &row.1, &row.2, &row.3, &row.4, &row.5],
        )
        .unwrap();
}

#[test]
fn corrupt_rows_are_reported_with_case_sequence_and_reason() {
    let Some(address) = server() else { return };
    let store = store(&address, "corrupt");
    let schema = store.options().schema.clone();
    let mut client = raw(&address);
    let time = "2026-03-02T14:00:00Z";
    insert_row(
        &mut client,
        &schema,
        ("not-json", 1, "note_added", 2, time, "{text"),
    );
    insert_row(
        &mut client,
        &schema,
        ("unknown", 1, "teleported", 2, time, "{}"),
    );
    insert_row(
        &mut client,
        &schema,
        ("future", 1, "note_added", 9, time, r#"{"text":"x"}"#),
    );
    insert_row(
        &mut client,
        &schema,
        ("negative", 1, "note_added", -1, time, r#"{"text":"x"}"#),
    );
    insert_row(
        &mut client,
        &schema,
        (
            "bad-time",
            1,
            "note_added",
            2,
            "yesterday",
            r#"{"text":"x"}"#,
        ),
    );
    insert_row(
        &mut client,
        &schema,
        ("bad-shape", 1, "note_added", 2, time, r#"{"txt":"x"}"#),
    );

    let reason = |case: &str| match store.load(&CaseId::new(case)) {
        Err(StoreError::Corrupt {
            case: c,
            sequence: 1,
            reason,
        }) if c == CaseId::new(case) => reason,
        other => panic!("{case}: {other:?}"),
    };
    assert!(
        matches!(reason("not-json"), DecodeError::Malformed { detail } if detail.starts_with("its payload is not JSON"))
    );
    assert_eq!(
        reason("unknown"),
        DecodeError::UnknownEventType {
            event_type: "teleported".into()
        }
    );
    assert_eq!(
        reason("future"),
        DecodeError::UnsupportedSchemaVersion {
            version: 9,
            current: 2
        }
    );
    assert_eq!(
        reason("negative"),
        DecodeError::Malformed {
            detail: "its schema version -1 is out of range".into()
        }
    );
    assert!(
        matches!(reason("bad-time"), DecodeError::Malformed { detail } if detail.starts_with("its time \"yesterday\" is not an RFC 3339 time"))
    );
    assert!(matches!(reason("bad-shape"), DecodeError::Malformed { .. }));
    // load_stored only needs an envelope: a payload that is not JSON is the one
    // thing it cannot give.
    assert!(matches!(
        store.load_stored(&CaseId::new("not-json")),
        Err(StoreError::Corrupt { sequence: 1, .. })
    ));
    assert_eq!(store.load_stored(&CaseId::new("unknown")).unwrap().len(), 1);
    // The feed names the first corrupt event it meets (once other tests' transactions
    // stop holding it back: bounded).
    let mut feed = store.read_all(Position::START, 100);
    for _ in 0..5_000 {
        if !matches!(&feed, Ok(read) if read.is_empty()) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
        feed = store.read_all(Position::START, 100);
    }
    assert!(
        matches!(feed, Err(StoreError::Corrupt { sequence: 1, .. })),
        "{feed:?}"
    );
}

#[test]
fn rows_written_in_schema_version_1_are_upcast_and_continued() {
    let Some(address) = server() else { return };
    let store = store(&address, "upcast");
    let schema = store.options().schema.clone();
    let fixture: Vec<StoredEvent> =
        serde_json::from_str(include_str!("fixtures/history_v1.json")).unwrap();
    let mut client = raw(&address);
    for e in &fixture {
        insert_row(
            &mut client,
            &schema,
            (
                e.case.as_str(),
                e.sequence as i64,
                &e.event_type,
                e.schema_version as i32,
                &e.at.to_rfc3339(),
                &e.payload.to_string(),
            ),
        );
    }
    let case_id = fixture[0].case.clone();
    let history = store.load(&case_id).unwrap();
    let expected: Vec<(u64, EventKind)> = fixture
        .iter()
        .map(|e| e.decode(&Default::default()).unwrap())
        .map(|e| (e.sequence, e.kind))
        .collect();
    let read: Vec<(u64, EventKind)> = history
        .iter()
        .map(|e| (e.sequence, e.kind.clone()))
        .collect();
    assert_eq!(read, expected);
    let case = Case::replay(history).unwrap();
    assert_eq!(case.customer().name, "Jonas Berg");
    let stored = store.load_stored(&case_id).unwrap();
    let payloads = |s: &[StoredEvent]| -> Vec<_> {
        s.iter()
            .map(|e| {
                (
                    e.sequence,
                    e.event_type.clone(),
                    e.schema_version,
                    e.at,
                    e.payload.clone(),
                )
            })
            .collect()
    };
    assert_eq!(payloads(&stored), payloads(&fixture));
    // A new event continues the old history in the current schema.
    let version = case.version();
    store
        .append(&case_id, version, &[note(version + 1, "reopened the file")])
        .unwrap();
    let stored = store.load_stored(&case_id).unwrap();
    assert_eq!(stored.last().unwrap().schema_version, 2);
    assert_eq!(stored[0].schema_version, 1);
}

// ---- the feed ---------------------------------------------------------------------

/// The classic pitfall: transaction A writes an event first but commits last. A
/// reader that passed B's event must still get A's: here it does not see B until A
/// has finished, and then sees A before B.
#[test]
fn a_transaction_that_commits_late_is_not_skipped_by_the_feed() {
    let Some(address) = server() else { return };
    let store = store(&address, "late_commit");
    let schema = store.options().schema.clone();
    store
        .append(&CaseId::new("case-0"), 0, &[note(1, "before")])
        .unwrap();
    let before = settled(&store, Position::START, 1);
    assert_eq!(before.len(), 1);
    let resume = before[0].position;

    // A: a slow writer, mid-transaction, with its row written and its id allocated.
    let mut slow = raw(&address);
    let mut a = slow.transaction().unwrap();
    a.execute(
        &format!(
            "INSERT INTO {schema}.events (case_id, sequence, event_type, schema_version, at, actor_id, actor_name, payload) \
             VALUES ('case-a', 1, 'note_added', 2, '2026-03-02T14:00:00Z', 'a-1', 'Dana', '{{\"text\":\"slow\"}}')"
        ),
        &[],
    )
    .unwrap();
    // B: a later append that commits first, with a larger row id.
    store
        .append(&CaseId::new("case-b"), 0, &[note(1, "fast")])
        .unwrap();

    // While A runs, B is held back: reading it now would let the reader pass A.
    assert_eq!(store.read_all(resume, 10).unwrap(), vec![]);
    a.commit().unwrap();

    let after: Vec<(String, u64)> = settled(&store, resume, 2)
        .into_iter()
        .map(|r| (r.case.to_string(), r.event.sequence))
        .collect();
    assert_eq!(
        after,
        vec![("case-a".to_string(), 1), ("case-b".to_string(), 1)]
    );
}

#[test]
fn an_aborted_transaction_leaves_no_event_and_does_not_stall_the_feed() {
    let Some(address) = server() else { return };
    let store = store(&address, "aborted");
    let schema = store.options().schema.clone();
    let mut client = raw(&address);
    let mut t = client.transaction().unwrap();
    t.execute(
        &format!(
            "INSERT INTO {schema}.events (case_id, sequence, event_type, schema_version, at, actor_id, actor_name, payload) \
             VALUES ('case-a', 1, 'note_added', 2, '2026-03-02T14:00:00Z', 'a-1', 'Dana', '{{\"text\":\"gone\"}}')"
        ),
        &[],
    )
    .unwrap();
    store
        .append(&CaseId::new("case-b"), 0, &[note(1, "kept")])
        .unwrap();
    t.rollback().unwrap();
    let feed = settled(&store, Position::START, 1);
    assert_eq!(feed.len(), 1);
    assert_eq!(feed[0].case, CaseId::new("case-b"));
}

#[test]
fn a_listener_wakes_a_waiting_reader() {
    let Some(address) = server() else { return };
    let store = store(&address, "listen");
    let mut listener = store.listen().unwrap();
    // Nothing appended: the wait ends by its timeout, unannounced.
    assert!(!listener.wait(std::time::Duration::from_millis(20)).unwrap());
    store
        .append(&CaseId::new("case-1"), 0, &[note(1, "a")])
        .unwrap();
    store
        .append(&CaseId::new("case-1"), 1, &[note(2, "b")])
        .unwrap();
    assert!(listener.wait(std::time::Duration::from_secs(30)).unwrap());

    let last = settled(&store, Position::START, 2).last().unwrap().position;
    std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(std::time::Duration::from_millis(50));
            store
                .append(&CaseId::new("case-2"), 0, &[note(1, "c")])
                .unwrap();
        });
        let mut got = Vec::new();
        // Bounded: each call waits at most 100 ms for an announcement, then polls.
        for _ in 0..300 {
            got = store
                .read_all_waiting(
                    &mut listener,
                    last,
                    10,
                    std::time::Duration::from_millis(100),
                )
                .unwrap();
            if !got.is_empty() {
                break;
            }
        }
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].case, CaseId::new("case-2"));
    });
}

#[test]
fn without_notifications_a_reader_polls() {
    let Some(address) = server() else { return };
    let quiet = PostgresOptions::builder()
        .connection(address.as_str())
        .schema(schema("quiet"))
        .notify(false)
        .build();
    let store = PostgresStore::connect(quiet).unwrap();
    let mut listener = store.listen().unwrap();
    store
        .append(&CaseId::new("case-1"), 0, &[note(1, "a")])
        .unwrap();
    assert!(!listener.wait(std::time::Duration::from_millis(20)).unwrap());
    // Bounded: other tests' transactions may hold the feed back for a moment.
    let mut read = Vec::new();
    for _ in 0..500 {
        read = store
            .read_all_waiting(
                &mut listener,
                Position::START,
                10,
                std::time::Duration::from_millis(20),
            )
            .unwrap();
        if !read.is_empty() {
            break;
        }
    }
    assert_eq!(read.len(), 1);
}

// ---- the durable agenda -----------------------------------------------------------

fn agenda_store(address: &str, test: &str) -> (PostgresStore, CommandService<PostgresStore>) {
    let store = store(address, test).with_agenda(&Policy::default());
    let options = store.options().clone();
    let second = PostgresStore::connect(options)
        .unwrap()
        .with_agenda(&Policy::default());
    (
        store,
        CommandService::new(second, Policy::default(), RetryPolicy::times(10)),
    )
}

/// Waits until the feed shows every stored event, so that a rebuild sees them all.
fn settle_all(store: &PostgresStore) {
    let total: usize = store
        .list_cases()
        .unwrap()
        .iter()
        .map(|c| store.load(c).unwrap().len())
        .sum();
    settled(store, Position::START, total);
}

fn kinds(items: &[AgendaItem]) -> Vec<String> {
    items
        .iter()
        .map(|i| {
            serde_json::to_value(&i.kind).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn the_agenda_is_written_with_the_events_and_equals_the_one_rebuilt_from_the_feed() {
    let Some(address) = server() else { return };
    let (store, service) = agenda_store(&address, "agenda_equal");
    let case = CaseId::new("case-1");
    service
        .handle(&case, &open("case-1"), &dana(), at(0))
        .unwrap();
    service
        .handle(&case, &promise("re-ship", 3), &dana(), at(1))
        .unwrap();
    service
        .handle(&CaseId::new("case-2"), &open("case-2"), &dana(), at(2))
        .unwrap();

    let maintained: Vec<AgendaItem> = store
        .agenda_items()
        .unwrap()
        .into_iter()
        .map(|(i, _)| i)
        .collect();
    settle_all(&store);
    let rebuilt = agenda_from_feed(&store, &Policy::default()).unwrap();
    assert_eq!(maintained, rebuilt);
    let k = kinds(&maintained);
    assert!(k.contains(&"commitment_reminder".to_string()), "{k:?}");
    assert!(
        k.contains(&"commitment_about_to_break".to_string()),
        "{k:?}"
    );
    assert!(maintained.iter().any(|i| i.case == CaseId::new("case-2")));

    // Keeping the promise removes its items, in the same transaction.
    service
        .handle(
            &case,
            &command(serde_json::json!({"command": "keep_commitment", "commitment": "re-ship"})),
            &dana(),
            at(3),
        )
        .unwrap();
    let after: Vec<AgendaItem> = store
        .agenda_items()
        .unwrap()
        .into_iter()
        .map(|(i, _)| i)
        .collect();
    assert!(
        !kinds(&after).iter().any(|k| k.starts_with("commitment")),
        "{after:?}"
    );
    settle_all(&store);
    assert_eq!(after, agenda_from_feed(&store, &Policy::default()).unwrap());

    // Wiped and rebuilt from the feed, it is the same again.
    let schema = store.options().schema.clone();
    raw(&address)
        .batch_execute(&format!("DELETE FROM {schema}.agenda"))
        .unwrap();
    assert_eq!(store.agenda_items().unwrap(), vec![]);
    assert_eq!(store.rebuild_agenda().unwrap(), after.len());
    let again: Vec<AgendaItem> = store
        .agenda_items()
        .unwrap()
        .into_iter()
        .map(|(i, _)| i)
        .collect();
    assert_eq!(again, after);
}

#[test]
fn workers_claim_complete_and_release_due_items_under_leases() {
    let Some(address) = server() else { return };
    let (store, service) = agenda_store(&address, "agenda_claims");
    let case = CaseId::new("case-1");
    service
        .handle(&case, &open("case-1"), &dana(), at(0))
        .unwrap();
    service
        .handle(&case, &promise("re-ship", 3), &dana(), at(1))
        .unwrap();
    let lease = std::time::Duration::from_secs(60);

    // Nothing is due at the start.
    assert_eq!(store.claim_due(at(1), 10, "w1", lease).unwrap(), vec![]);
    let later = at(10 * 24 * 60);
    let total = store.agenda_items().unwrap().len();
    let first = store.claim_due(later, 2, "w1", lease).unwrap();
    assert_eq!(first.len(), 2);
    assert!(first.windows(2).all(|w| w[0].item.due <= w[1].item.due));
    assert!(first.iter().all(|c| c.attempt() == 1 && c.worker == "w1"));
    assert_eq!(first[0].lease_until, later + Duration::seconds(60));
    // Another worker gets the rest, never the held ones.
    let second = store.claim_due(later, 100, "w2", lease).unwrap();
    assert_eq!(second.len(), total - 2);
    assert!(
        second
            .iter()
            .all(|c| !first.iter().any(|f| f.item == c.item))
    );
    assert_eq!(store.claim_due(later, 100, "w3", lease).unwrap(), vec![]);

    // w1 finishes one and gives the other back.
    store.complete(&first[0], later).unwrap();
    store.release(&first[1]).unwrap();
    let retaken = store.claim_due(later, 100, "w3", lease).unwrap();
    assert_eq!(retaken.len(), 1);
    assert_eq!(retaken[0].item, first[1].item);
    assert_eq!(retaken[0].attempt(), 2);
    // A claim cannot be finished twice, nor by its old holder.
    assert_eq!(
        store.complete(&first[0], later),
        Err(StoreError::ClaimLost {
            case: case.clone(),
            due: first[0].item.due,
            worker: "w1".into()
        })
    );
    assert!(matches!(
        store.release(&first[1]),
        Err(StoreError::ClaimLost { .. })
    ));

    // w2's lease expires: its items are claimable again, and w2 can no longer finish them.
    let expired = later + Duration::seconds(61);
    let reclaimed = store.claim_due(expired, 100, "w4", lease).unwrap();
    let mut expected: Vec<AgendaItem> = second.iter().map(|c| c.item.clone()).collect();
    expected.push(retaken[0].item.clone());
    let mut got: Vec<AgendaItem> = reclaimed.iter().map(|c| c.item.clone()).collect();
    let key = |i: &AgendaItem| (i.due, serde_json::to_string(&i.kind).unwrap());
    expected.sort_by_key(key);
    got.sort_by_key(key);
    assert_eq!(got, expected);
    assert!(matches!(
        store.complete(&second[0], expired),
        Err(StoreError::ClaimLost { .. })
    ));
    for claim in &reclaimed {
        store.complete(claim, expired).unwrap();
    }
    // Done work is not handed out again, even though the case still calls for it.
    assert_eq!(
        store
            .claim_due(at(100 * 24 * 60), 100, "w5", lease)
            .unwrap(),
        vec![]
    );
    assert!(store.agenda_items().unwrap().iter().all(|(_, done)| *done));
    let error = store.complete(&first[0], later).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "worker w1 no longer holds the follow-up of case case-1 due at {}: its lease expired and it was claimed again, or the case no longer calls for it",
            first[0].item.due
        )
    );
}

#[test]
fn a_store_without_an_agenda_says_so() {
    let Some(address) = server() else { return };
    let store = store(&address, "no_agenda");
    let error = store
        .claim_due(at(0), 1, "w1", std::time::Duration::from_secs(1))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the event store failed: this store keeps no agenda: open it with `with_agenda(policy)`"
    );
    assert!(store.agenda_items().is_err());
    assert!(store.rebuild_agenda().is_err());
    let _ = AgendaKind::UpdateDue;
}

// ---- tamper evidence --------------------------------------------------------------

/// Rows changed with SQL behind the store's back are `Tampered`, naming the first
/// event that breaks the case's hash chain; tables from before links existed gain the
/// column and their histories load, with the chain starting at the first new event.
#[test]
fn rows_changed_with_sql_are_tampering_and_old_tables_gain_links() {
    use service_recovery::history::ChainBreak;
    let Some(address) = server() else { return };
    let store = store(&address, "tamper");
    let schema = store.options().schema.clone();
    let case = CaseId::new("case-t");
    store
        .append(&case, 0, &[note(1, "a"), note(2, "b"), note(3, "c")])
        .unwrap();
    let report = store.chain(&case).unwrap();
    assert_eq!((report.events, report.start), (3, Some(1)));
    let feed = store.read_all(Position::START, 10).unwrap();
    assert_eq!(feed[2].link, report.head);
    let mut client = raw(&address);
    client
        .batch_execute(&format!(
            "UPDATE {schema}.events SET at = '2026-03-02T09:00:00Z' WHERE case_id = 'case-t' AND sequence = 2"
        ))
        .unwrap();
    let tampered = StoreError::Tampered {
        case: case.clone(),
        sequence: 2,
        reason: ChainBreak::Altered,
    };
    assert_eq!(store.load(&case), Err(tampered.clone()));
    assert_eq!(store.chain(&case), Err(tampered));
    let lenient = PostgresStore::connect(store.options().clone())
        .unwrap()
        .verify_on_load(false);
    assert_eq!(lenient.load(&case).unwrap().len(), 3);
    client
        .batch_execute(&format!(
            "DELETE FROM {schema}.events WHERE case_id = 'case-t' AND sequence = 2"
        ))
        .unwrap();
    assert_eq!(
        store.load(&case),
        Err(StoreError::Tampered {
            case: case.clone(),
            sequence: 3,
            reason: ChainBreak::OutOfSequence { expected: 2 }
        })
    );

    // Tables as layout 1 left them: no link column.
    let old = CaseId::new("case-old");
    client
        .batch_execute(&format!(
            "ALTER TABLE {schema}.events DROP COLUMN link; UPDATE {schema}.layout SET version = 1"
        ))
        .unwrap();
    insert_row(
        &mut client,
        &schema,
        (
            "case-old",
            1,
            "note_added",
            2,
            "2026-03-02T14:00:00Z",
            r#"{"text":"old"}"#,
        ),
    );
    let reopened = PostgresStore::connect(store.options().clone()).unwrap();
    assert_eq!(reopened.load(&old).unwrap().len(), 1);
    assert_eq!(reopened.chain(&old).unwrap().start, None);
    reopened.append(&old, 1, &[note(2, "new")]).unwrap();
    let report = reopened.chain(&old).unwrap();
    assert_eq!((report.start, report.unlinked()), (Some(2), 1));
    let layout: i32 = client
        .query_one(&format!("SELECT MAX(version) FROM {schema}.layout"), &[])
        .unwrap()
        .get(0);
    assert_eq!(layout, 2);
}
