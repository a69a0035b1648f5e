//! The in-memory store, the command service, the stored form and its upcasting, and
//! redaction. The SQLite store has its own binary, tests/sqlite.rs.

mod support;

use service_recovery::history::{
    DecodeError, RedactionPolicy, RedactionRequest, StoredEvent, Upcasters,
};
use service_recovery::playbook::StepKind;
use service_recovery::prelude::*;
use service_recovery::store::{
    CommandService, EventStore, InMemoryStore, RetryPolicy, ServiceError, StoreError,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use support::*;

fn service(retry: RetryPolicy) -> CommandService<InMemoryStore> {
    CommandService::new(InMemoryStore::new(), Policy::default(), retry)
}

// ---- the in-memory store ----------------------------------------------------------

#[test]
fn the_in_memory_store_has_optimistic_concurrency() {
    check_conflict_semantics(&InMemoryStore::new());
}

#[test]
fn racing_threads_on_the_in_memory_store_lose_nothing() {
    let store = Arc::new(InMemoryStore::new());
    check_racing_appends(vec![store.clone(), store.clone(), store.clone(), store], 50);
}

#[test]
fn stores_are_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<InMemoryStore>();
    shareable::<CommandService<InMemoryStore>>();
    shareable::<Arc<dyn EventStore>>();
}

// ---- the stored form and upcasting -------------------------------------------------

fn fixture_v1() -> Vec<StoredEvent> {
    let text = include_str!("fixtures/history_v1.json");
    serde_json::from_str(text).unwrap()
}

#[test]
fn a_history_written_in_schema_version_1_is_read_into_a_case() {
    let stored = fixture_v1();
    assert_eq!(stored[0].schema_version, 1);
    let events: Vec<Event> = stored
        .iter()
        .map(|e| e.decode(&Upcasters::builtin()).unwrap())
        .collect();
    let case = Case::replay(events).unwrap();

    assert_eq!(case.id(), &CaseId::new("case-2019-0042"));
    assert_eq!(case.customer().name, "Jonas Berg");
    assert_eq!(case.customer().address_as, "Mr Berg");
    assert_eq!(case.customer().tier, CustomerTier::Valued);
    assert_eq!(
        case.customer().email.as_deref(),
        Some("jonas.berg@example.org")
    );
    assert_eq!(case.status(), CaseStatus::Closed);
    assert_eq!(case.version(), 9);
    assert_eq!(case.steps().get(StepKind::Apologize), 1);
    assert_eq!(case.steps().get(StepKind::FinalThanks), 1);
    let history = case.history();
    assert_eq!(
        history[2].kind,
        EventKind::Apologized {
            words: "I am sorry we took your money twice.".into()
        }
    );
    assert_eq!(
        history[6].kind,
        EventKind::NoteAdded {
            text: "Refund of the duplicate charge requested from finance.".into()
        }
    );
}

#[test]
fn without_its_upcaster_a_version_1_history_is_refused_not_misread() {
    let stored = fixture_v1();
    assert_eq!(
        stored[1].decode(&Upcasters::none()),
        Err(DecodeError::MissingUpcaster { version: 1 })
    );
}

#[test]
fn encoding_then_decoding_a_whole_case_changes_nothing() {
    let service = service(RetryPolicy::never());
    run_case(&service, "case-1");
    let case = CaseId::new("case-1");
    let events = service.store().load(&case).unwrap();
    for event in &events {
        let stored = StoredEvent::encode(&case, event).unwrap();
        assert_eq!(stored.event_type, event.kind.name());
        assert!(stored.payload.get("type").is_none());
        let json = serde_json::to_string(&stored).unwrap();
        let back: StoredEvent = serde_json::from_str(&json).unwrap();
        assert_eq!(back.decode(&Upcasters::builtin()).unwrap(), *event);
    }
}

// ---- the command service ------------------------------------------------------------

#[test]
fn the_service_runs_a_case_through_the_store() {
    let service = service(RetryPolicy::default());
    assert_eq!(run_case(&service, "case-1"), 10);
    assert_eq!(service.retry(), RetryPolicy::default());
    assert_eq!(service.retry().max_retries, 3);
    assert_eq!(
        crate::service(RetryPolicy::times(7)).retry(),
        RetryPolicy::times(7)
    );
    let case = service.case(&CaseId::new("case-1")).unwrap().unwrap();
    assert_eq!(case.status(), CaseStatus::Closed);
    assert_eq!(case.version(), 10);
    assert_eq!(
        service.store().list_cases().unwrap(),
        vec![CaseId::new("case-1")]
    );
}

#[test]
fn a_rejected_command_stores_nothing() {
    let service = service(RetryPolicy::default());
    let case = CaseId::new("case-1");
    service
        .handle(&case, &open_personal("case-1"), &dana(), at(0))
        .unwrap();
    let early = Command::Explain(Explain {
        words: "Two labels were swapped.".into(),
    });
    let error = service.handle(&case, &early, &dana(), at(1)).unwrap_err();
    assert!(matches!(
        error,
        ServiceError::Rejected(Rejection::StepOutOfOrder { .. })
    ));
    assert_eq!(service.store().load(&case).unwrap().len(), 1);

    let unknown = CaseId::new("case-404");
    assert_eq!(
        service.handle(&unknown, &early, &dana(), at(1)),
        Err(ServiceError::Rejected(Rejection::NotOpened))
    );
    assert_eq!(service.store().list_cases().unwrap(), vec![case]);
}

#[test]
fn opening_a_case_under_another_id_is_refused() {
    let service = service(RetryPolicy::default());
    let error = service
        .handle(
            &CaseId::new("case-2"),
            &open_personal("case-1"),
            &dana(),
            at(0),
        )
        .unwrap_err();
    assert_eq!(
        error,
        ServiceError::CaseMismatch {
            requested: CaseId::new("case-2"),
            found: CaseId::new("case-1")
        }
    );
    assert_eq!(service.store().list_cases().unwrap(), vec![]);
}

#[test]
fn a_stored_history_that_is_not_a_case_is_a_history_error() {
    let service = service(RetryPolicy::default());
    let case = CaseId::new("case-1");
    service
        .store()
        .append(&case, 0, &[note(1, "orphan")])
        .unwrap();
    let error = service
        .handle(
            &case,
            &Command::AddNote(AddNote { text: "x".into() }),
            &dana(),
            at(1),
        )
        .unwrap_err();
    assert_eq!(
        error,
        ServiceError::History(HistoryError::NotOpenedFirst {
            sequence: 1,
            kind: "note_added"
        })
    );
    assert_eq!(
        error.to_string(),
        "the stored history cannot be replayed: event 1 is a \"note_added\" event, but a case's history must start with its opening"
    );
}

/// A store where someone else appends a note just before each of the first
/// `interferences` appends, so that those appends conflict.
struct Interfering {
    inner: InMemoryStore,
    interferences: u32,
    appends: AtomicU32,
}

impl Interfering {
    fn new(interferences: u32) -> Self {
        Self {
            inner: InMemoryStore::new(),
            interferences,
            appends: AtomicU32::new(0),
        }
    }
}

impl EventStore for Interfering {
    fn append(&self, case: &CaseId, expected: u64, events: &[Event]) -> Result<u64, StoreError> {
        let n = self.appends.fetch_add(1, Ordering::SeqCst);
        if expected > 0 && n <= self.interferences && n > 0 {
            let current = self.inner.load(case)?.len() as u64;
            let sam = sam().reference();
            let competing = Event {
                actor: sam,
                at: events[0].at,
                ..note(current + 1, &format!("Sam got there first ({n})"))
            };
            self.inner.append(case, current, &[competing])?;
        }
        self.inner.append(case, expected, events)
    }
    fn load(&self, case: &CaseId) -> Result<Vec<Event>, StoreError> {
        self.inner.load(case)
    }
    fn load_stored(&self, case: &CaseId) -> Result<Vec<StoredEvent>, StoreError> {
        self.inner.load_stored(case)
    }
    fn list_cases(&self) -> Result<Vec<CaseId>, StoreError> {
        self.inner.list_cases()
    }
    fn redact(
        &self,
        case: &CaseId,
        policy: &RedactionPolicy,
        request: &RedactionRequest,
    ) -> Result<service_recovery::history::Redaction, StoreError> {
        self.inner.redact(case, policy, request)
    }
    fn redactions(
        &self,
        case: &CaseId,
    ) -> Result<Vec<service_recovery::history::Redaction>, StoreError> {
        self.inner.redactions(case)
    }
    fn read_all(
        &self,
        after: service_recovery::store::Position,
        limit: usize,
    ) -> Result<Vec<service_recovery::store::RecordedEvent>, StoreError> {
        self.inner.read_all(after, limit)
    }
}

fn thank() -> Command {
    Command::Thank(Thank {
        words: "Thank you for telling us.".into(),
    })
}

#[test]
fn a_conflict_is_retried_by_deciding_again() {
    // The first append (the opening) goes through; the second meets one competitor.
    let service = CommandService::new(
        Interfering::new(1),
        Policy::default(),
        RetryPolicy::times(1),
    );
    let case = CaseId::new("case-1");
    service
        .handle(&case, &open_personal("case-1"), &dana(), at(0))
        .unwrap();
    let events = service.handle(&case, &thank(), &dana(), at(1)).unwrap();

    // Decided again on top of Sam's note: it is event 3, not 2.
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].sequence, 3);
    let case = service.case(&case).unwrap().unwrap();
    assert_eq!(case.version(), 3);
    assert_eq!(&*case.history()[1].actor.name, "Sam");
    assert_eq!(case.steps().get(StepKind::Thank), 1);
    assert_eq!(service.store().appends.load(Ordering::SeqCst), 3);
}

#[test]
fn without_retries_a_conflict_goes_back_to_the_host() {
    let service = CommandService::new(Interfering::new(1), Policy::default(), RetryPolicy::never());
    let case = CaseId::new("case-1");
    service
        .handle(&case, &open_personal("case-1"), &dana(), at(0))
        .unwrap();
    let error = service.handle(&case, &thank(), &dana(), at(1)).unwrap_err();
    assert_eq!(
        error,
        ServiceError::Store(StoreError::Conflict {
            case: case.clone(),
            expected: 1,
            actual: 2
        })
    );
    assert_eq!(
        error.to_string(),
        "case case-1 was changed by someone else: expected it at version 1, but it is at version 2"
    );
    // Sam's note is there; Dana's thanks is not.
    assert_eq!(service.store().load(&case).unwrap().len(), 2);
}

#[test]
fn retries_are_bounded() {
    let service = CommandService::new(
        Interfering::new(10),
        Policy::default(),
        RetryPolicy::times(2),
    );
    let case = CaseId::new("case-1");
    service
        .handle(&case, &open_personal("case-1"), &dana(), at(0))
        .unwrap();
    let error = service.handle(&case, &thank(), &dana(), at(1)).unwrap_err();
    assert!(
        matches!(
            error,
            ServiceError::Store(StoreError::Conflict {
                expected: 3,
                actual: 4,
                ..
            })
        ),
        "{error:?}"
    );
    // One opening, then three attempts (the first and two retries).
    assert_eq!(service.store().appends.load(Ordering::SeqCst), 4);
}

#[test]
fn a_retry_can_be_rejected_when_the_competitor_did_the_same() {
    // Sam thanks the customer between Dana's load and Dana's append: Dana's retry is
    // decided against a case that has been thanked, and thanking is not repeatable.
    struct SamThanksFirst(InMemoryStore, AtomicU32);
    impl EventStore for SamThanksFirst {
        fn append(&self, case: &CaseId, v: u64, events: &[Event]) -> Result<u64, StoreError> {
            if self.1.fetch_add(1, Ordering::SeqCst) == 1 {
                let sam = Event {
                    actor: sam().reference(),
                    ..events[0].clone()
                };
                self.0.append(case, v, &[sam])?;
            }
            self.0.append(case, v, events)
        }
        fn load(&self, case: &CaseId) -> Result<Vec<Event>, StoreError> {
            self.0.load(case)
        }
        fn load_stored(&self, case: &CaseId) -> Result<Vec<StoredEvent>, StoreError> {
            self.0.load_stored(case)
        }
        fn list_cases(&self) -> Result<Vec<CaseId>, StoreError> {
            self.0.list_cases()
        }
        fn redact(
            &self,
            case: &CaseId,
            p: &RedactionPolicy,
            r: &RedactionRequest,
        ) -> Result<service_recovery::history::Redaction, StoreError> {
            self.0.redact(case, p, r)
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
    let store = SamThanksFirst(InMemoryStore::new(), AtomicU32::new(0));
    let service = CommandService::new(store, Policy::default(), RetryPolicy::times(3));
    let case = CaseId::new("case-1");
    service
        .handle(&case, &open_personal("case-1"), &dana(), at(0))
        .unwrap();
    let error = service.handle(&case, &thank(), &dana(), at(1)).unwrap_err();
    assert!(matches!(error, ServiceError::Rejected(_)), "{error:?}");
    assert_eq!(service.store().load(&case).unwrap().len(), 2);
}

// ---- redaction ----------------------------------------------------------------------

fn request() -> RedactionRequest {
    RedactionRequest::builder()
        .by(ActorRef::new("dpo-1", "Data Protection Officer"))
        .at(at(600))
        .reason("erasure request #4411")
        .build()
}

#[test]
fn redaction_erases_personal_data_and_keeps_the_history_replayable() {
    let service = service(RetryPolicy::never());
    run_case(&service, "case-1");
    run_case(&service, "case-2");
    let case = CaseId::new("case-1");
    let store = service.store();
    let before = store.load(&case).unwrap();
    let replayed_before = Case::replay(before.clone()).unwrap();

    let record = store
        .redact(&case, &RedactionPolicy::standard(), &request())
        .unwrap();
    assert_eq!(record.events, vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert_eq!(record.values, 14);
    assert_eq!(store.redactions(&case).unwrap(), vec![record.clone()]);

    // Nothing personal is left in the stored form.
    let stored = serde_json::to_string(&store.load_stored(&case).unwrap()).unwrap();
    for personal in PERSONAL {
        assert!(!stored.contains(personal), "{personal} is still stored");
    }
    assert!(stored.contains("parcel sent to the wrong address"));

    // The audit trail is intact: same sequence numbers, times, actors, types.
    let after = store.load(&case).unwrap();
    assert_eq!(after.len(), before.len());
    for (a, b) in after.iter().zip(&before) {
        assert_eq!(
            (a.sequence, a.at, &a.actor, a.kind.name()),
            (b.sequence, b.at, &b.actor, b.kind.name())
        );
    }
    // And it replays into the same case, less the personal data.
    let replayed = Case::replay(after).unwrap();
    assert_eq!(replayed.status(), replayed_before.status());
    assert_eq!(replayed.steps(), replayed_before.steps());
    assert_eq!(replayed.version(), replayed_before.version());
    assert_eq!(replayed.customer().name, "[redacted]");
    assert_eq!(replayed.customer().email.as_deref(), Some("[redacted]"));
    assert_eq!(replayed.customer().id, replayed_before.customer().id);

    // The other case is untouched, and redacting again changes nothing.
    assert!(
        serde_json::to_string(&store.load_stored(&CaseId::new("case-2")).unwrap())
            .unwrap()
            .contains("Amara Okafor")
    );
    let again = store
        .redact(&case, &RedactionPolicy::standard(), &request())
        .unwrap();
    assert_eq!((again.events.len(), again.values), (0, 0));
    assert_eq!(store.redactions(&case).unwrap().len(), 2);
}

#[test]
fn a_host_marks_its_own_fields_personal() {
    let service = service(RetryPolicy::never());
    let case = CaseId::new("case-1");
    run_case(&service, "case-1");
    let policy = RedactionPolicy::builder()
        .marker("***")
        .fields(Default::default())
        .build()
        .with_field("closed", "root_cause.description");
    let record = service.store().redact(&case, &policy, &request()).unwrap();
    assert_eq!((record.events.clone(), record.values), (vec![10], 1));
    let history = service.store().load(&case).unwrap();
    assert_eq!(
        history[9].kind,
        EventKind::Closed {
            root_cause: RootCause::builder()
                .category("warehouse")
                .description("***")
                .build()
        }
    );
    // Fields not listed are kept.
    assert!(history[0].to_string().contains("Amara Okafor"));
}

#[test]
fn redacting_an_unknown_case_is_an_error() {
    let store = InMemoryStore::new();
    assert_eq!(
        store.redact(
            &CaseId::new("nope"),
            &RedactionPolicy::standard(),
            &request()
        ),
        Err(StoreError::UnknownCase {
            case: CaseId::new("nope")
        })
    );
}
