//! The PostgreSQL store remembers the histories it loaded or wrote last, to skip
//! checking unchanged rows again and to append without reading the history again
//! (see "What a command costs" in `PostgresStore`'s documentation). These tests show
//! that nothing it remembers is trusted over the database: rows changed after the
//! store saw them are still tampering, another store's append is still a conflict
//! that writes nothing, and a case re-linked by a redaction is read again.
//!
//!     scripts/with-postgres cargo test --features postgres --test postgres_known

use chrono::{DateTime, Duration, TimeZone, Utc};
use postgres::{Client, NoTls};
use service_recovery::history::{ChainBreak, RedactionPolicy, RedactionRequest};
use service_recovery::prelude::*;
use service_recovery::store::{
    CommandService, EventStore, PostgresOptions, PostgresStore, RetryPolicy, StoreError,
};
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

fn options(address: &str, test: &str) -> PostgresOptions {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    PostgresOptions::builder()
        .connection(address)
        .schema(format!("k{}_{test}_{n}", std::process::id()))
        .pool_size(2)
        .build()
}

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn note(sequence: u64, text: &str) -> Event {
    Event {
        sequence,
        at: at(sequence as i64),
        actor: ActorRef::new("agent-7", "Dana"),
        kind: EventKind::NoteAdded { text: text.into() },
    }
}

fn texts(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| match &e.kind {
            EventKind::NoteAdded { text } => text.clone(),
            other => format!("{other:?}"),
        })
        .collect()
}

fn sql(address: &str, statement: &str) {
    Client::connect(address, NoTls)
        .unwrap()
        .batch_execute(statement)
        .unwrap();
}

/// A case of three notes that `store` has loaded (and so checked) twice.
fn seen(store: &PostgresStore, case: &CaseId) {
    store
        .append(case, 0, &[note(1, "a"), note(2, "b")])
        .unwrap();
    assert_eq!(texts(&store.load(case).unwrap()), ["a", "b"]);
    // Appended on top of what it loaded: the store now knows all three rows.
    assert_eq!(store.append(case, 2, &[note(3, "c")]), Ok(3));
    assert_eq!(texts(&store.load(case).unwrap()), ["a", "b", "c"]);
}

#[test]
fn rows_changed_after_the_store_saw_them_are_still_tampering() {
    let Some(address) = server() else { return };
    let store = PostgresStore::connect(options(&address, "edit")).unwrap();
    let schema = store.options().schema.clone();
    let case = CaseId::new("case-1");
    seen(&store, &case);
    sql(
        &address,
        &format!(
            "UPDATE {schema}.events SET at = '2026-03-02T09:00:00Z' WHERE case_id = 'case-1' AND sequence = 3"
        ),
    );
    let altered = StoreError::Tampered {
        case: case.clone(),
        sequence: 3,
        reason: ChainBreak::Altered,
    };
    assert_eq!(store.load(&case), Err(altered.clone()));
    // And again: a failed load leaves nothing trusted behind.
    assert_eq!(store.load(&case), Err(altered));

    let other = CaseId::new("case-2");
    seen(&store, &other);
    sql(
        &address,
        &format!("DELETE FROM {schema}.events WHERE case_id = 'case-2' AND sequence = 2"),
    );
    assert_eq!(
        store.load(&other),
        Err(StoreError::Tampered {
            case: other.clone(),
            sequence: 3,
            reason: ChainBreak::OutOfSequence { expected: 2 },
        })
    );
}

#[test]
fn rows_appended_by_another_store_are_checked_and_decoded() {
    let Some(address) = server() else { return };
    let options = options(&address, "grow");
    let store = PostgresStore::connect(options.clone()).unwrap();
    let other = PostgresStore::connect(options).unwrap();
    let case = CaseId::new("case-1");
    seen(&store, &case);
    other.append(&case, 3, &[note(4, "d")]).unwrap();
    assert_eq!(texts(&store.load(&case).unwrap()), ["a", "b", "c", "d"]);
    // A row slipped in after the rows the store knows, with a made-up link.
    sql(
        &address,
        &format!(
            "INSERT INTO {}.events (case_id, sequence, event_type, schema_version, at, actor_id, actor_name, payload, link) \
             VALUES ('case-1', 5, 'note_added', 2, '2026-03-02T14:05:00Z', 'agent-7', 'Dana', '{{\"text\":\"e\"}}', 'ab')",
            store.options().schema
        ),
    );
    assert_eq!(
        store.load(&case),
        Err(StoreError::Tampered {
            case: case.clone(),
            sequence: 5,
            reason: ChainBreak::Altered,
        })
    );
}

#[test]
fn another_stores_append_is_a_conflict_and_nothing_is_written() {
    let Some(address) = server() else { return };
    let options = options(&address, "race");
    let store = PostgresStore::connect(options.clone()).unwrap();
    let other = PostgresStore::connect(options).unwrap();
    let case = CaseId::new("case-1");
    seen(&store, &case);
    other.append(&case, 3, &[note(4, "theirs")]).unwrap();
    assert_eq!(
        store.append(&case, 3, &[note(4, "ours")]),
        Err(StoreError::Conflict {
            case: case.clone(),
            expected: 3,
            actual: 4,
        })
    );
    assert_eq!(
        texts(&store.load(&case).unwrap()),
        ["a", "b", "c", "theirs"]
    );
    assert_eq!(store.append(&case, 4, &[note(5, "ours")]), Ok(5));
    assert_eq!(
        texts(&other.load(&case).unwrap()),
        ["a", "b", "c", "theirs", "ours"]
    );
    assert_eq!(store.chain(&case).unwrap().events, 5);
    // Appending to a version the store no longer has is refused as before.
    assert_eq!(
        store.append(&case, 3, &[note(4, "late")]),
        Err(StoreError::Conflict {
            case: case.clone(),
            expected: 3,
            actual: 5,
        })
    );
}

#[test]
fn a_case_relinked_by_a_redaction_is_read_again_before_appending() {
    let Some(address) = server() else { return };
    let options = options(&address, "relink");
    let store = PostgresStore::connect(options.clone()).unwrap();
    let other = PostgresStore::connect(options).unwrap();
    let case = CaseId::new("case-1");
    let service = CommandService::new(&store, Policy::default(), RetryPolicy::never());
    let dana = Actor::builder().id("agent-7").name("Dana").build();
    let open = service_recovery::testing::open_case_as("case-1");
    let opened = service.handle(&case, &open, &dana, at(0)).unwrap();
    let version = opened.len() as u64;
    assert_eq!(store.load(&case).unwrap(), opened);
    let before = store.chain(&case).unwrap().head;
    // The customer's identifier is beyond the standard personal fields: erasing it
    // re-links the case, from the opening on.
    let own = RedactionPolicy::standard().with_field("opened", "customer.id");
    let request = RedactionRequest::builder()
        .by(ActorRef::new("dpo-1", "Data Protection Officer"))
        .at(at(600))
        .reason("erasure request #4411")
        .build();
    other.redact(&case, &own, &request).unwrap();
    assert_ne!(other.chain(&case).unwrap().head, before);
    assert_eq!(
        store.append(&case, version, &[note(version + 1, "d")]),
        Ok(version + 1)
    );
    let report = store.chain(&case).unwrap();
    assert_eq!((report.events, report.start), (version + 1, Some(1)));
    let replayed = Case::replay(store.load(&case).unwrap()).unwrap();
    assert_eq!(
        replayed.customer().id.as_str(),
        RedactionPolicy::DEFAULT_MARKER
    );
    assert_eq!(replayed.version(), version + 1);
}
