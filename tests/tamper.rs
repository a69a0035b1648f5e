//! Tamper evidence: rows of a SQLite store's file edited, inserted, deleted, swapped
//! and re-dated with raw SQL are reported as `StoreError::Tampered`, naming the first
//! event that breaks the case's hash chain; histories from before links existed still
//! load and say where their chain starts; redaction keeps the chain whole.

use rusqlite::{Connection, params};
use service_recovery::history::{
    ChainBreak, ChainReport, RedactionPolicy, RedactionRequest, chain,
};
use service_recovery::prelude::*;
use service_recovery::store::{
    CommandService, EventStore, Position, RetryPolicy, SqliteStore, StoreError,
};
use service_recovery::testing::*;
use std::path::{Path, PathBuf};

const CASE: &str = "case-1";

fn case() -> CaseId {
    CaseId::new(CASE)
}

/// A database file holding the airline case up to a requested refund of USD 420.00:
/// opened, thanked, apologized to, goal recorded, the refund proposed (event 5) and
/// its approval requested (event 6).
fn recorded_case() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cases.db");
    let service = CommandService::new(
        SqliteStore::open(&path).unwrap(),
        airline_policy(),
        RetryPolicy::never(),
    );
    let mut commands = airline_ready();
    commands.push(propose("refund", waiver_refund()));
    commands.push(request("refund"));
    for (minute, command) in commands.iter().enumerate() {
        service
            .handle(&case(), command, &dana(), at(minute as i64))
            .unwrap();
    }
    assert_eq!(service.store().load(&case()).unwrap().len(), 6);
    (dir, path)
}

fn sql(path: &Path, statement: &str) -> usize {
    Connection::open(path)
        .unwrap()
        .execute(statement, [])
        .unwrap()
}

fn load(path: &Path) -> Result<Vec<Event>, StoreError> {
    SqliteStore::open(path).unwrap().load(&case())
}

fn tampered(path: &Path) -> (u64, ChainBreak) {
    match load(path) {
        Err(StoreError::Tampered {
            case,
            sequence,
            reason,
        }) => {
            assert_eq!(case.as_str(), CASE);
            (sequence, reason)
        }
        other => panic!("expected Tampered, got {other:?}"),
    }
}

#[test]
fn an_untouched_file_verifies_from_its_first_event() {
    let (_dir, path) = recorded_case();
    let store = SqliteStore::open(&path).unwrap();
    let stored = store.load_stored(&case()).unwrap();
    assert!(
        stored
            .iter()
            .all(|e| e.link.as_ref().is_some_and(|l| l.len() == 64))
    );
    assert_eq!(
        store.chain(&case()).unwrap(),
        ChainReport {
            events: 6,
            start: Some(1),
            head: stored[5].link.clone(),
        }
    );
    // Each link follows from the one before it.
    assert_eq!(
        stored[3].link,
        Some(chain::link(stored[2].link.as_deref(), &stored[3]))
    );
    // The feed carries the links as stored.
    let feed = store.read_all(Position::START, 10).unwrap();
    assert_eq!(
        feed.iter().map(|r| r.link.clone()).collect::<Vec<_>>(),
        stored.iter().map(|e| e.link.clone()).collect::<Vec<_>>()
    );
}

#[test]
fn a_raised_amount_is_tampering() {
    let (_dir, path) = recorded_case();
    let amount =
        "SELECT json_extract(payload, '$.resolution.amount.minor') FROM events WHERE sequence = 5";
    let before: i64 = Connection::open(&path)
        .unwrap()
        .query_row(amount, [], |row| row.get(0))
        .unwrap();
    assert_eq!(before, 42_000);
    let edit = "UPDATE events SET payload = json_set(payload, '$.resolution.amount.minor', 4200000) \
                WHERE case_id = 'case-1' AND sequence = 5";
    assert_eq!(sql(&path, edit), 1);
    assert_eq!(tampered(&path), (5, ChainBreak::Altered));
    let error = load(&path).unwrap_err();
    assert_eq!(
        error.to_string(),
        "stored event 5 of case case-1 was tampered with: it does not match its hash-chain link: it was edited, moved or inserted, or the event before it was removed"
    );
}

#[test]
fn an_inserted_row_is_tampering() {
    let (_dir, path) = recorded_case();
    // Added at the end with no link...
    let forged = "INSERT INTO events (case_id, sequence, event_type, schema_version, at, actor_id, actor_name, payload) \
                  SELECT case_id, 7, event_type, schema_version, at, actor_id, actor_name, payload \
                  FROM events WHERE sequence = 6";
    assert_eq!(sql(&path, forged), 1);
    assert_eq!(tampered(&path), (7, ChainBreak::Unlinked { start: 1 }));
    // ... or with a link copied from another row.
    sql(
        &path,
        "UPDATE events SET link = (SELECT link FROM events WHERE sequence = 6) WHERE sequence = 7",
    );
    assert_eq!(tampered(&path), (7, ChainBreak::Altered));
}

#[test]
fn a_row_slipped_into_the_middle_is_tampering() {
    let (_dir, path) = recorded_case();
    // Make room at 3 (in two steps, so no two rows share a number on the way), then
    // copy event 2 there, link and all.
    sql(
        &path,
        "UPDATE events SET sequence = sequence + 1000 WHERE sequence >= 3",
    );
    sql(
        &path,
        "UPDATE events SET sequence = sequence - 999 WHERE sequence > 1000",
    );
    sql(
        &path,
        "INSERT INTO events (case_id, sequence, event_type, schema_version, at, actor_id, actor_name, payload, link) \
         SELECT case_id, 3, event_type, schema_version, at, actor_id, actor_name, payload, link \
         FROM events WHERE sequence = 2",
    );
    assert_eq!(tampered(&path), (3, ChainBreak::Altered));
}

#[test]
fn a_deleted_row_is_tampering() {
    let (_dir, path) = recorded_case();
    assert_eq!(sql(&path, "DELETE FROM events WHERE sequence = 3"), 1);
    assert_eq!(
        tampered(&path),
        (4, ChainBreak::OutOfSequence { expected: 3 })
    );
    // Closing the gap does not help: event 4, now numbered 3, does not follow event 2.
    sql(
        &path,
        "UPDATE events SET sequence = sequence - 1 WHERE sequence > 3",
    );
    assert_eq!(tampered(&path), (3, ChainBreak::Altered));
}

#[test]
fn two_swapped_rows_are_tampering() {
    let (_dir, path) = recorded_case();
    sql(
        &path,
        "UPDATE events SET sequence = 1000 WHERE sequence = 2",
    );
    sql(&path, "UPDATE events SET sequence = 2 WHERE sequence = 3");
    sql(
        &path,
        "UPDATE events SET sequence = 3 WHERE sequence = 1000",
    );
    assert_eq!(tampered(&path), (2, ChainBreak::Altered));
}

#[test]
fn a_changed_time_is_tampering() {
    let (_dir, path) = recorded_case();
    // The same instant written another way is no change at all.
    let same = sql(
        &path,
        "UPDATE events SET at = replace(at, 'Z', '+00:00') WHERE sequence = 4",
    );
    assert_eq!(same, 1);
    assert_eq!(load(&path).unwrap().len(), 6);
    // An hour earlier is.
    sql(
        &path,
        "UPDATE events SET at = '2026-03-02T08:03:00Z' WHERE sequence = 4",
    );
    assert_eq!(tampered(&path), (4, ChainBreak::Altered));
}

#[test]
fn a_changed_actor_or_removed_link_is_tampering() {
    let (_dir, path) = recorded_case();
    sql(
        &path,
        "UPDATE events SET actor_id = 'mgr-1' WHERE sequence = 6",
    );
    assert_eq!(tampered(&path), (6, ChainBreak::Altered));
    let (_dir2, path) = recorded_case();
    sql(&path, "UPDATE events SET link = NULL WHERE sequence = 2");
    assert_eq!(tampered(&path), (2, ChainBreak::Unlinked { start: 1 }));
}

#[test]
fn without_verification_a_tampered_history_loads_and_the_audit_still_sees_it() {
    let (_dir, path) = recorded_case();
    sql(&path, "DELETE FROM events WHERE sequence = 6");
    sql(
        &path,
        "UPDATE events SET payload = json_set(payload, '$.words', 'Sorry.') WHERE sequence = 3",
    );
    // Event 3's words are personal data, which the chain leaves out so that they can
    // be erased: rewording them is not seen. Removing the last event is not seen
    // either (the chain is shorter but whole): a host that keeps the head elsewhere
    // sees it.
    let store = SqliteStore::open(&path).unwrap();
    let report = store.chain(&case()).unwrap();
    assert_eq!(report.events, 5);
    // Now something the chain covers.
    sql(
        &path,
        "UPDATE events SET actor_name = 'Mo' WHERE sequence = 2",
    );
    let lenient = SqliteStore::open(&path).unwrap().verify_on_load(false);
    assert_eq!(lenient.load(&case()).unwrap().len(), 5);
    assert_eq!(
        lenient.chain(&case()),
        Err(StoreError::Tampered {
            case: case(),
            sequence: 2,
            reason: ChainBreak::Altered
        })
    );
    assert_eq!(
        lenient.load_stored(&case()).unwrap()[1].actor.name.as_ref(),
        "Mo"
    );
}

#[test]
fn a_tampered_history_is_not_redacted() {
    let (_dir, path) = recorded_case();
    sql(
        &path,
        "UPDATE events SET actor_id = 'mgr-1' WHERE sequence = 6",
    );
    let store = SqliteStore::open(&path).unwrap();
    let before = store.load_stored(&case()).unwrap();
    let request = RedactionRequest::builder()
        .by(ActorRef::new("dpo-1", "Data Protection Officer"))
        .at(at(600))
        .reason("erasure request #4411")
        .build();
    assert_eq!(
        store.redact(&case(), &RedactionPolicy::standard(), &request),
        Err(StoreError::Tampered {
            case: case(),
            sequence: 6,
            reason: ChainBreak::Altered
        })
    );
    assert_eq!(store.load_stored(&case()).unwrap(), before);
    assert!(store.redactions(&case()).unwrap().is_empty());
}

#[test]
fn redaction_keeps_every_link_and_a_hosts_own_fields_relink_the_case() {
    let (_dir, path) = recorded_case();
    let store = SqliteStore::open(&path).unwrap();
    let before = store.load_stored(&case()).unwrap();
    let request = RedactionRequest::builder()
        .by(ActorRef::new("dpo-1", "Data Protection Officer"))
        .at(at(600))
        .reason("erasure request #4411")
        .build();
    let record = store
        .redact(&case(), &RedactionPolicy::standard(), &request)
        .unwrap();
    assert!(record.values > 0);
    let after = store.load_stored(&case()).unwrap();
    assert_ne!(after, before);
    assert_eq!(
        after.iter().map(|e| e.link.clone()).collect::<Vec<_>>(),
        before.iter().map(|e| e.link.clone()).collect::<Vec<_>>()
    );
    assert_eq!(store.load(&case()).unwrap().len(), 6);

    // The customer's identifier is not a standard personal field: a host that
    // erases it too changes what the links cover, so the case is re-linked from the
    // event it changed (the opening) on, and the chain is whole again.
    let own = RedactionPolicy::standard().with_field("opened", "customer.id");
    let record = store.redact(&case(), &own, &request).unwrap();
    assert_eq!((record.events, record.values), (vec![1], 1));
    let relinked = store.load_stored(&case()).unwrap();
    for (new, old) in relinked.iter().zip(&after) {
        assert_ne!(new.link, old.link, "event {}", new.sequence);
    }
    assert_eq!(
        relinked[1..],
        after[1..]
            .iter()
            .zip(&relinked[1..])
            .map(|(old, new)| {
                let mut old = old.clone();
                old.link = new.link.clone();
                old
            })
            .collect::<Vec<_>>()[..]
    );
    assert_eq!(store.chain(&case()).unwrap().head, relinked[5].link);
    let replayed = Case::replay(store.load(&case()).unwrap()).unwrap();
    assert_eq!(
        replayed.customer().id.as_str(),
        RedactionPolicy::DEFAULT_MARKER
    );
}

/// A file from before links existed (layout 2): its rows gain a `NULL` link, load
/// as they did, and the chain starts at the first event appended afterwards.
#[test]
fn an_old_file_loads_and_its_chain_starts_at_the_first_new_event() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let connection = Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "CREATE TABLE events (
                position INTEGER PRIMARY KEY, case_id TEXT NOT NULL,
                sequence INTEGER NOT NULL CHECK (sequence >= 1), event_type TEXT NOT NULL,
                schema_version INTEGER NOT NULL, at TEXT NOT NULL, actor_id TEXT NOT NULL,
                actor_name TEXT NOT NULL, payload TEXT NOT NULL,
                CONSTRAINT events_case_sequence UNIQUE (case_id, sequence));
             CREATE TABLE redactions (id INTEGER PRIMARY KEY, case_id TEXT NOT NULL,
                at TEXT NOT NULL, by_id TEXT NOT NULL, by_name TEXT NOT NULL,
                reason TEXT NOT NULL, events TEXT NOT NULL, value_count INTEGER NOT NULL);
             PRAGMA user_version = 2;",
        )
        .unwrap();
    for sequence in 1..=2i64 {
        connection
            .execute(
                "INSERT INTO events (case_id, sequence, event_type, schema_version, at, actor_id, actor_name, payload) \
                 VALUES ('case-1', ?1, 'note_added', 2, '2026-03-02T14:00:00Z', 'a-7', 'Dana', ?2)",
                params![sequence, format!("{{\"text\":\"old note {sequence}\"}}")],
            )
            .unwrap();
    }
    drop(connection);

    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.load(&case()).unwrap().len(), 2);
    let report = store.chain(&case()).unwrap();
    assert_eq!((report.start, report.unlinked()), (None, 2));
    let note = |sequence| Event {
        sequence,
        at: at(5),
        actor: dana().reference(),
        kind: EventKind::NoteAdded {
            text: "new note".into(),
        },
    };
    store.append(&case(), 2, &[note(3), note(4)]).unwrap();
    let report = store.chain(&case()).unwrap();
    assert_eq!(report.start, Some(3));
    assert_eq!(
        report.to_string(),
        "4 events; the hash chain starts at event 3, so events 1 to 2 (written before links existed) are not covered"
    );
    assert_eq!(store.load(&case()).unwrap().len(), 4);
    drop(store);
    let layout: i64 = Connection::open(&path)
        .unwrap()
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    assert_eq!(layout, 3);
    // Once the chain has started, an unlinked row after it is tampering.
    sql(&path, "UPDATE events SET link = NULL WHERE sequence = 4");
    assert_eq!(tampered(&path), (4, ChainBreak::Unlinked { start: 3 }));
}
