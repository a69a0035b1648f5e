//! The store conformance suite against the in-memory store and, with the `sqlite`
//! feature, the SQLite store (in memory and in a file). PostgreSQL runs it in
//! tests/postgres.rs.

use service_recovery::prelude::*;
use service_recovery::store::InMemoryStore;
use service_recovery::testing::store_conformance::{CHECKS, Failure, run_all};

#[test]
fn the_in_memory_store_keeps_the_contract() {
    for check in CHECKS {
        if let Err(failure) = (check.run)(&InMemoryStore::new()) {
            panic!("{failure}");
        }
    }
}

#[test]
fn run_all_runs_every_check() {
    assert_eq!(run_all(InMemoryStore::new), Ok(CHECKS.len()));
    let names: std::collections::BTreeSet<&str> = CHECKS.iter().map(|c| c.name).collect();
    assert_eq!(names.len(), CHECKS.len(), "check names are unique");
}

/// A store whose feed hands out an event twice: the suite must catch it.
#[derive(Default)]
struct Stuttering(InMemoryStore);

impl EventStore for Stuttering {
    fn append(&self, case: &CaseId, expected: u64, events: &[Event]) -> Result<u64, StoreError> {
        self.0.append(case, expected, events)
    }
    fn load(&self, case: &CaseId) -> Result<Vec<Event>, StoreError> {
        self.0.load(case)
    }
    fn load_stored(
        &self,
        case: &CaseId,
    ) -> Result<Vec<service_recovery::history::StoredEvent>, StoreError> {
        self.0.load_stored(case)
    }
    fn list_cases(&self) -> Result<Vec<CaseId>, StoreError> {
        self.0.list_cases()
    }
    fn redact(
        &self,
        case: &CaseId,
        policy: &service_recovery::history::RedactionPolicy,
        request: &service_recovery::history::RedactionRequest,
    ) -> Result<service_recovery::history::Redaction, StoreError> {
        self.0.redact(case, policy, request)
    }
    fn redactions(
        &self,
        case: &CaseId,
    ) -> Result<Vec<service_recovery::history::Redaction>, StoreError> {
        self.0.redactions(case)
    }
    fn read_all(
        &self,
        after: service_recovery::store::Position,
        limit: usize,
    ) -> Result<Vec<service_recovery::store::RecordedEvent>, StoreError> {
        let mut read = self.0.read_all(after, limit)?;
        if let Some(first) = read.first().cloned() {
            read.push(first);
        }
        Ok(read)
    }
}

#[test]
fn a_store_whose_feed_repeats_an_event_fails_the_suite() {
    let failure: Failure = run_all(Stuttering::default).unwrap_err();
    assert_eq!(
        failure.to_string(),
        "store conformance check `appends_are_optimistic` failed: the feed after refused appends: expected 2, found 3"
    );
}

#[cfg(feature = "sqlite")]
#[test]
fn the_sqlite_store_keeps_the_contract() {
    use service_recovery::store::SqliteStore;
    for check in CHECKS {
        let store = SqliteStore::open_in_memory().unwrap();
        if let Err(failure) = (check.run)(&store) {
            panic!("in memory: {failure}");
        }
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("events.db")).unwrap();
        if let Err(failure) = (check.run)(&store) {
            panic!("in a file: {failure}");
        }
    }
}

/// A store that forgets the links it was given: the suite must catch it.
#[derive(Default)]
struct Unlinked(InMemoryStore);

impl EventStore for Unlinked {
    fn append(&self, case: &CaseId, expected: u64, events: &[Event]) -> Result<u64, StoreError> {
        self.0.append(case, expected, events)
    }
    fn load(&self, case: &CaseId) -> Result<Vec<Event>, StoreError> {
        self.0.load(case)
    }
    fn load_stored(
        &self,
        case: &CaseId,
    ) -> Result<Vec<service_recovery::history::StoredEvent>, StoreError> {
        let mut stored = self.0.load_stored(case)?;
        stored.iter_mut().for_each(|e| e.link = None);
        Ok(stored)
    }
    fn list_cases(&self) -> Result<Vec<CaseId>, StoreError> {
        self.0.list_cases()
    }
    fn redact(
        &self,
        case: &CaseId,
        policy: &service_recovery::history::RedactionPolicy,
        request: &service_recovery::history::RedactionRequest,
    ) -> Result<service_recovery::history::Redaction, StoreError> {
        self.0.redact(case, policy, request)
    }
    fn redactions(
        &self,
        case: &CaseId,
    ) -> Result<Vec<service_recovery::history::Redaction>, StoreError> {
        self.0.redactions(case)
    }
    fn read_all(
        &self,
        after: service_recovery::store::Position,
        limit: usize,
    ) -> Result<Vec<service_recovery::store::RecordedEvent>, StoreError> {
        self.0.read_all(after, limit)
    }
}

#[test]
fn a_store_that_keeps_no_links_fails_the_suite() {
    let check = CHECKS
        .iter()
        .find(|c| c.name == "every_history_is_hash_chained")
        .unwrap();
    assert_eq!(
        (check.run)(&Unlinked::default()).unwrap_err().to_string(),
        "store conformance check `every_history_is_hash_chained` failed: where case-a's chain starts: expected Some(1), found None"
    );
}
