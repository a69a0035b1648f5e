//! The SQLite store on a real database file in a temporary directory.
#![cfg(feature = "sqlite")]

mod support;

use rusqlite::{Connection, params};
use service_recovery::history::{DecodeError, RedactionPolicy, RedactionRequest, StoredEvent};
use service_recovery::prelude::*;
use service_recovery::store::{
    CommandService, EventStore, RetryPolicy, ServiceError, SqliteStore, StoreError,
};
use std::path::{Path, PathBuf};
use support::*;

fn database() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cases.db");
    (dir, path)
}

fn service(path: &Path) -> CommandService<SqliteStore> {
    CommandService::new(
        SqliteStore::open(path).unwrap(),
        Policy::default(),
        RetryPolicy::default(),
    )
}

/// A store that skips the hash chain on load, so a raw edit reaches the decoder and
/// its typed decoding error can be checked (with the chain on, the same edit is
/// reported as tampering first: `tests/tamper.rs`).
fn unchained(path: &Path) -> SqliteStore {
    SqliteStore::open(path).unwrap().verify_on_load(false)
}

fn raw(path: &Path, sql: &str) {
    Connection::open(path).unwrap().execute(sql, []).unwrap();
}

fn insert_fixture_v1(path: &Path) {
    let stored: Vec<StoredEvent> =
        serde_json::from_str(include_str!("fixtures/history_v1.json")).unwrap();
    let connection = Connection::open(path).unwrap();
    for e in stored {
        connection
            .execute(
                "INSERT INTO events (case_id, sequence, event_type, schema_version, at, actor_id, actor_name, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    e.case.as_str(),
                    e.sequence as i64,
                    e.event_type,
                    e.schema_version,
                    e.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    e.actor.id.as_str(),
                    e.actor.name,
                    e.payload.to_string(),
                ],
            )
            .unwrap();
    }
}

#[test]
fn the_sqlite_store_has_optimistic_concurrency() {
    let (_dir, path) = database();
    check_conflict_semantics(&SqliteStore::open(&path).unwrap());
}

#[test]
fn racing_connections_on_one_file_lose_nothing() {
    let (_dir, path) = database();
    // Each thread has its own store, so its own connection to the same file.
    let stores: Vec<SqliteStore> = (0..4).map(|_| SqliteStore::open(&path).unwrap()).collect();
    check_racing_appends(stores, 50);
    // And the file says the same after every connection is gone.
    let history = SqliteStore::open(&path)
        .unwrap()
        .load(&CaseId::new("case-race"))
        .unwrap();
    assert!(history.len() >= 50);
}

#[test]
fn a_closed_and_reopened_database_keeps_everything() {
    let (_dir, path) = database();
    let (before, redactions) = {
        let service = service(&path);
        run_case(&service, "case-1");
        run_case(&service, "case-2");
        let request = RedactionRequest::builder()
            .by(ActorRef::new("dpo-1", "Data Protection Officer"))
            .at(support::at(900))
            .reason("erasure request #4411")
            .build();
        service
            .store()
            .redact(
                &CaseId::new("case-2"),
                &RedactionPolicy::standard(),
                &request,
            )
            .unwrap();
        let store = service.store();
        (
            [
                store.load(&CaseId::new("case-1")).unwrap(),
                store.load(&CaseId::new("case-2")).unwrap(),
            ],
            store.redactions(&CaseId::new("case-2")).unwrap(),
        )
    };
    let service = service(&path);
    let store = service.store();
    assert_eq!(
        store.list_cases().unwrap(),
        vec![CaseId::new("case-1"), CaseId::new("case-2")]
    );
    assert_eq!(store.load(&CaseId::new("case-1")).unwrap(), before[0]);
    assert_eq!(store.load(&CaseId::new("case-2")).unwrap(), before[1]);
    assert_eq!(
        store.redactions(&CaseId::new("case-2")).unwrap(),
        redactions
    );
    assert_eq!(redactions.len(), 1);
    assert_eq!(store.redactions(&CaseId::new("case-1")).unwrap(), vec![]);
    let case = service.case(&CaseId::new("case-1")).unwrap().unwrap();
    assert_eq!(case.status(), CaseStatus::Closed);
    assert_eq!(case.version(), 10);
    // The reopened file takes new events after the old ones.
    let reopen = Command::Reopen(Reopen {
        reason: "the customer wrote again".into(),
    });
    let events = service
        .handle(&CaseId::new("case-1"), &reopen, &dana(), support::at(60))
        .unwrap();
    assert_eq!(events[0].sequence, 11);
}

#[test]
fn a_payload_that_is_not_json_is_reported_with_case_and_sequence() {
    let (_dir, path) = database();
    let service = service(&path);
    run_case(&service, "case-1");
    raw(
        &path,
        "UPDATE events SET payload = '{\"words\": \"I am sor' WHERE case_id = 'case-1' AND sequence = 3",
    );
    let error = service.store().load(&CaseId::new("case-1")).unwrap_err();
    let StoreError::Corrupt {
        case,
        sequence,
        reason: DecodeError::Malformed { .. },
    } = &error
    else {
        panic!("expected a corrupt event, got {error:?}");
    };
    assert_eq!((case.as_str(), *sequence), ("case-1", 3));
    assert!(
        error
            .to_string()
            .starts_with("stored event 3 of case case-1 cannot be read: its contents are not a valid event: its payload is not JSON"),
        "{error}"
    );
    // The command service passes it on; it does not panic or skip the event.
    let note = Command::AddNote(AddNote { text: "x".into() });
    assert!(matches!(
        service.handle(&CaseId::new("case-1"), &note, &dana(), support::at(30)),
        Err(ServiceError::Store(StoreError::Corrupt { sequence: 3, .. }))
    ));
    // Other cases are unaffected.
    run_case(&service, "case-2");
}

#[test]
fn a_payload_that_is_not_text_is_corrupt() {
    let (_dir, path) = database();
    let service = service(&path);
    run_case(&service, "case-1");
    raw(
        &path,
        "UPDATE events SET payload = x'ff00fe' WHERE case_id = 'case-1' AND sequence = 5",
    );
    assert!(matches!(
        service.store().load(&CaseId::new("case-1")),
        Err(StoreError::Corrupt {
            sequence: 5,
            reason: DecodeError::Malformed { .. },
            ..
        })
    ));
}

#[test]
fn an_unknown_event_type_is_reported_with_case_and_sequence() {
    let (_dir, path) = database();
    let service = service(&path);
    run_case(&service, "case-1");
    raw(
        &path,
        "UPDATE events SET event_type = 'teleported' WHERE case_id = 'case-1' AND sequence = 7",
    );
    assert!(matches!(
        service.store().load(&CaseId::new("case-1")),
        Err(StoreError::Tampered { sequence: 7, .. })
    ));
    let error = unchained(&path).load(&CaseId::new("case-1")).unwrap_err();
    assert_eq!(
        error,
        StoreError::Corrupt {
            case: CaseId::new("case-1"),
            sequence: 7,
            reason: DecodeError::UnknownEventType {
                event_type: "teleported".into()
            }
        }
    );
    assert_eq!(
        error.to_string(),
        "stored event 7 of case case-1 cannot be read: its type \"teleported\" is not a kind of event this version of the crate knows"
    );
}

#[test]
fn an_event_from_a_future_schema_version_is_refused() {
    let (_dir, path) = database();
    let service = service(&path);
    run_case(&service, "case-1");
    raw(
        &path,
        "UPDATE events SET schema_version = 99 WHERE case_id = 'case-1' AND sequence = 2",
    );
    assert!(matches!(
        service.store().load(&CaseId::new("case-1")),
        Err(StoreError::Tampered { sequence: 2, .. })
    ));
    assert!(matches!(
        unchained(&path).load(&CaseId::new("case-1")),
        Err(StoreError::Corrupt {
            sequence: 2,
            reason: DecodeError::UnsupportedSchemaVersion { version: 99, .. },
            ..
        })
    ));
}

#[test]
fn rows_written_in_schema_version_1_are_read_and_continued() {
    let (_dir, path) = database();
    let service = service(&path);
    insert_fixture_v1(&path);
    let id = CaseId::new("case-2019-0042");
    let case = service.case(&id).unwrap().unwrap();
    assert_eq!(case.customer().name, "Jonas Berg");
    assert_eq!(case.status(), CaseStatus::Closed);

    let reopen = Command::Reopen(Reopen {
        reason: "charged a third time".into(),
    });
    let events = service
        .handle(&id, &reopen, &dana(), support::at(0))
        .unwrap();
    assert_eq!(events[0].sequence, 10);
    let versions: Vec<u32> = service
        .store()
        .load_stored(&id)
        .unwrap()
        .iter()
        .map(|e| e.schema_version)
        .collect();
    assert_eq!(versions, vec![1, 1, 1, 1, 1, 1, 1, 1, 2, 2]);
}

fn file_bytes(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    for suffix in ["-wal", "-journal"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        if let Ok(more) = std::fs::read(PathBuf::from(side)) {
            bytes.extend(more);
        }
    }
    bytes
}

#[test]
fn after_redaction_no_personal_value_remains_in_the_file() {
    let (_dir, path) = database();
    let service = service(&path);
    run_case(&service, "case-1");
    insert_fixture_v1(&path);
    let old_personal = [
        "Jonas Berg",
        "Mr Berg",
        "jonas.berg@example.org",
        "Card ending 4417",
        "took your money twice",
        "Which order was it",
        "garden chairs",
        "payment provider retried",
        "duplicate charge requested",
    ];
    let personal: Vec<&str> = PERSONAL.iter().copied().chain(old_personal).collect();

    // The scan finds them before: it is a real test.
    service.store().checkpoint().unwrap();
    let before = file_bytes(&path);
    for value in &personal {
        assert!(
            contains(&before, value),
            "{value} should be in the file before"
        );
    }

    let request = RedactionRequest::builder()
        .by(ActorRef::new("dpo-1", "Data Protection Officer"))
        .at(support::at(900))
        .reason("erasure request #4411")
        .build();
    for case in ["case-1", "case-2019-0042"] {
        service
            .store()
            .redact(&CaseId::new(case), &RedactionPolicy::standard(), &request)
            .unwrap();
    }
    service.store().checkpoint().unwrap();

    let after = file_bytes(&path);
    for value in &personal {
        assert!(!contains(&after, value), "{value} is still in the file");
    }
    // What is not personal is still there, and the histories still replay.
    assert!(contains(&after, "parcel sent to the wrong address"));
    assert!(contains(&after, "erasure request #4411"));
    for case in ["case-1", "case-2019-0042"] {
        let case = service.case(&CaseId::new(case)).unwrap().unwrap();
        assert_eq!(case.status(), CaseStatus::Closed);
        assert_eq!(case.customer().name, "[redacted]");
    }
    // The old rows were rewritten in the current schema version (an `internal_note`
    // is now stored as the `note_added` it is read as).
    let stored = service
        .store()
        .load_stored(&CaseId::new("case-2019-0042"))
        .unwrap();
    assert!(stored.iter().all(|e| e.schema_version == 2));
    assert_eq!(stored[6].event_type, "note_added");
}

/// A file written by a version of the crate with layout 1 (no `position` column) is
/// migrated when opened: its rows keep the order they were written in, and the feed
/// reads them in that order.
#[test]
fn a_layout_1_file_is_migrated_and_its_feed_keeps_the_order_of_writing() {
    let (_dir, path) = database();
    let connection = Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "CREATE TABLE events (
                case_id TEXT NOT NULL, sequence INTEGER NOT NULL CHECK (sequence >= 1),
                event_type TEXT NOT NULL, schema_version INTEGER NOT NULL, at TEXT NOT NULL,
                actor_id TEXT NOT NULL, actor_name TEXT NOT NULL, payload TEXT NOT NULL,
                CONSTRAINT events_case_sequence UNIQUE (case_id, sequence));
             CREATE TABLE redactions (id INTEGER PRIMARY KEY, case_id TEXT NOT NULL,
                at TEXT NOT NULL, by_id TEXT NOT NULL, by_name TEXT NOT NULL,
                reason TEXT NOT NULL, events TEXT NOT NULL, value_count INTEGER NOT NULL);
             INSERT INTO events VALUES ('case-z', 1, 'note_added', 2, '2026-03-02T14:00:00Z', 'a', 'A', '{\"text\":\"first\"}');
             INSERT INTO events VALUES ('case-a', 1, 'note_added', 2, '2026-03-02T14:01:00Z', 'a', 'A', '{\"text\":\"second\"}');
             INSERT INTO events VALUES ('case-z', 2, 'note_added', 2, '2026-03-02T14:02:00Z', 'a', 'A', '{\"text\":\"third\"}');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    drop(connection);

    let store = SqliteStore::open(&path).unwrap();
    let texts = |feed: &[service_recovery::store::RecordedEvent]| -> Vec<String> {
        feed.iter()
            .map(|r| match &r.event.kind {
                EventKind::NoteAdded { text } => format!("{} {text}", r.case),
                other => panic!("{other:?}"),
            })
            .collect()
    };
    let feed = store
        .read_all(service_recovery::store::Position::START, 10)
        .unwrap();
    assert_eq!(
        texts(&feed),
        ["case-z first", "case-a second", "case-z third"]
    );
    let positions: Vec<u64> = feed.iter().map(|r| r.position.event).collect();
    assert_eq!(positions, [1, 2, 3]);
    assert_eq!(
        store
            .append(&CaseId::new("case-a"), 1, &[note(2, "fourth")])
            .unwrap(),
        2
    );
    let rest = store.read_all(feed[2].position, 10).unwrap();
    assert_eq!(texts(&rest), ["case-a fourth"]);
    drop(store);
    let version: i64 = Connection::open(&path)
        .unwrap()
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    assert_eq!(version, 3);
    // Opening again changes nothing.
    let again = SqliteStore::open(&path).unwrap();
    assert_eq!(
        again
            .read_all(service_recovery::store::Position::START, 10)
            .unwrap()
            .len(),
        4
    );
}
