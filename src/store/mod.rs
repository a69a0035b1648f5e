//! Event stores: where a host keeps the histories of its cases, and the command
//! service that runs commands against them.
//!
//! # Storing cases
//!
//! A case *is* its history: the crate never stores a case's state, only its events,
//! and rebuilds the state with [`Case::replay`](crate::Case::replay) whenever it is
//! needed. A host therefore needs one thing from storage: an [`EventStore`], which
//! appends events to a case's history and loads them back.
//!
//! - [`InMemoryStore`] keeps histories in memory: for tests, demos and hosts that
//!   keep their own persistence elsewhere.
//! - `SqliteStore` (with the `sqlite` feature) keeps them in a SQLite database file.
//! - `PostgresStore` (with the `postgres` feature) keeps them on a PostgreSQL server
//!   that many application servers share, together with a durable agenda of due
//!   follow-up work that workers claim with leases.
//! - A host's own store (MySQL, an event-store product) implements the trait;
//!   [`StoredEvent`] gives the stable stored form of an event, so that such a store
//!   never needs to know which kinds of events exist. The conformance suite in
//!   [`testing::store_conformance`](crate::testing::store_conformance) checks it
//!   against the same contract as the crate's own stores.
//!
//! Every store also offers a [feed](EventStore::read_all): all events of all cases in
//! one total order, with a [`Position`] that a projection keeps to resume.
//!
//! Appends are *optimistic*: the caller says which version of the case it decided
//! against, and if someone else appended in the meantime the store refuses with
//! [`StoreError::Conflict`] and writes nothing. [`CommandService`] wraps the whole
//! cycle (load, replay, [`decide`](crate::decide), append, and on a conflict load and
//! decide again, as often as its [`RetryPolicy`] allows), so that most hosts call only
//! [`CommandService::handle`]:
//!
//! ```
//! use chrono::{Duration, TimeZone, Utc};
//! use service_recovery::store::{CommandService, EventStore, InMemoryStore, RetryPolicy};
//! use service_recovery::prelude::*;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let service = CommandService::new(InMemoryStore::new(), Policy::default(), RetryPolicy::default());
//! let dana = Actor::builder().id("agent-7").name("Dana").build();
//! let case = CaseId::new("case-1");
//! let mut now = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
//!
//! let open = service_recovery::testing::open_case_as(case.as_str());
//! service.handle(&case, &open, &dana, now)?;
//! now += Duration::minutes(3);
//! service.handle(&case, &Command::Thank(Thank { words: "Thank you for telling us, Ms Okafor.".into() }), &dana, now)?;
//!
//! // A rejected command is a value to show the agent; nothing is stored.
//! let early = Command::Explain(Explain { words: "Two labels were swapped.".into() });
//! let refused = service.handle(&case, &early, &dana, now).unwrap_err();
//! assert_eq!(refused.to_string(), "you cannot explain what happened yet: first apologize");
//!
//! // Everything else is derived from the stored history.
//! let stored = service.case(&case)?.expect("the case exists");
//! assert_eq!(stored.version(), 2);
//! assert_eq!(service.store().list_cases()?, vec![case]);
//! for event in stored.history() {
//!     println!("{event}"); // 2026-03-02 14:00 UTC  Dana opened case case-1 for ...
//! }
//! # Ok(())
//! # }
//! ```
//!
//! A host that does not want the service calls the store directly: load the events,
//! replay them, decide, and append the new events with the case's
//! [`version`](crate::Case::version) as the expected version.
//!
//! Histories written by older versions of this crate are read through the
//! [upcasters](crate::history#schema-versions-and-upcasting); a privacy request is
//! carried out with [`EventStore::redact`], which erases personal data in place
//! while the history stays replayable and the erasure itself is recorded.

mod error;
mod feed;
mod memory;
#[cfg(feature = "postgres")]
mod postgres;
mod service;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use error::StoreError;
pub use feed::{Position, RecordedEvent};
pub use memory::InMemoryStore;
#[cfg(feature = "postgres")]
pub use postgres::{AgendaClaim, FeedListener, PostgresOptions, PostgresStore, agenda_from_feed};
pub use service::{CommandService, RetryPolicy, ServiceError};
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;

use crate::case::Event;
use crate::history::chain::{self, ChainWalk};
use crate::history::{
    CURRENT_SCHEMA_VERSION, ChainReport, Redaction, RedactionPolicy, RedactionRequest, StoredEvent,
    Upcasters,
};
use crate::id::CaseId;
use std::sync::Arc;

/// Where the histories of cases are kept.
///
/// Every method takes `&self`: implementations synchronize internally, so one store
/// can be shared between threads (`Arc<S>` and `&S` are stores too).
pub trait EventStore: Send + Sync {
    /// Appends `events` to the history of `case`, provided it is still at
    /// `expected_version` (0 for a case that does not exist yet). Either every event is
    /// written or none is. Returns the new version. Each event is stored with its
    /// hash-chain [link](crate::history::chain), continuing from the case's last one.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] if the case is at another version;
    /// [`StoreError::OutOfSequence`] if the events' sequence numbers do not run on from
    /// `expected_version + 1`; [`StoreError::Backend`] if the storage fails.
    fn append(
        &self,
        case: &CaseId,
        expected_version: u64,
        events: &[Event],
    ) -> Result<u64, StoreError>;

    /// The history of `case`, in order, upcast to the current schema; empty for a case
    /// the store does not know. Unless the store was told not to, it checks the
    /// history's [hash chain](crate::history::chain) as it reads.
    ///
    /// # Errors
    ///
    /// [`StoreError::Corrupt`] naming the first event that cannot be read, or
    /// [`StoreError::Tampered`] naming the first that breaks the chain (whichever comes
    /// first);
    /// [`StoreError::Backend`] if the storage fails.
    fn load(&self, case: &CaseId) -> Result<Vec<Event>, StoreError>;

    /// The history of `case` exactly as stored, without upcasting and with each event's
    /// link: for export, backup and audit. It never checks the chain, so that an
    /// auditor can see a tampered history; [`chain`](Self::chain) checks it.
    ///
    /// # Errors
    ///
    /// [`StoreError::Corrupt`] if a stored row is not an envelope at all (for example
    /// its payload is not JSON); [`StoreError::Backend`] if the storage fails.
    fn load_stored(&self, case: &CaseId) -> Result<Vec<StoredEvent>, StoreError>;

    /// Every case with a stored history, in order of their identifiers.
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] if the storage fails.
    fn list_cases(&self) -> Result<Vec<CaseId>, StoreError>;

    /// Carries out a privacy request: rewrites, in place, the payloads of the events
    /// of `case` that hold personal data according to `policy`, and records the
    /// redaction. Sequence numbers, times, actors and event types stay as they were;
    /// rewritten events are stored in the current schema version. Redacting twice
    /// changes nothing the second time (but is recorded). The standard personal fields
    /// are left out of the hash chain, so erasing them changes no link; erasing a
    /// host's own fields re-links the case from the first event it changed (see
    /// [`history::chain`](crate::history::chain)).
    ///
    /// # Errors
    ///
    /// [`StoreError::UnknownCase`] if the case has no history; [`StoreError::Corrupt`]
    /// if an event cannot be read, or [`StoreError::Tampered`] if the history breaks
    /// its hash chain, and then nothing is changed;
    /// [`StoreError::Backend`] if the storage fails.
    fn redact(
        &self,
        case: &CaseId,
        policy: &RedactionPolicy,
        request: &RedactionRequest,
    ) -> Result<Redaction, StoreError>;

    /// The redactions carried out on `case`, oldest first.
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] if the storage fails.
    fn redactions(&self, case: &CaseId) -> Result<Vec<Redaction>, StoreError>;

    /// The feed: up to `limit` events of all cases that come after `after`, in the
    /// store's one total order, upcast to the current schema. Start from
    /// [`Position::START`]; resume after the [`position`](RecordedEvent::position) of
    /// the last event handled. Each case's events appear in the order of their
    /// sequence numbers, and a reader that keeps resuming sees every stored event
    /// exactly once: an event never appears behind a position already handed out,
    /// even when concurrent appends commit in another order than they started.
    ///
    /// An empty answer means "nothing more yet"; poll again later.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use service_recovery::store::{EventStore, InMemoryStore, Position};
    /// use service_recovery::prelude::{ActorRef, CaseId, Event, EventKind};
    ///
    /// let store = InMemoryStore::new();
    /// let note = |sequence| Event {
    ///     sequence,
    ///     at: Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap(),
    ///     actor: ActorRef::new("a-7", "Dana"),
    ///     kind: EventKind::NoteAdded { text: "called back".into() },
    /// };
    /// store.append(&CaseId::new("case-b"), 0, &[note(1)]).unwrap();
    /// store.append(&CaseId::new("case-a"), 0, &[note(1), note(2)]).unwrap();
    ///
    /// let first = store.read_all(Position::START, 2).unwrap();
    /// assert_eq!(first[0].case, CaseId::new("case-b"));
    /// let rest = store.read_all(first[1].position, 100).unwrap();
    /// assert_eq!((rest.len(), rest[0].event.sequence), (1, 2));
    /// assert!(store.read_all(rest[0].position, 100).unwrap().is_empty());
    /// ```
    ///
    /// # Errors
    ///
    /// [`StoreError::Corrupt`] naming the first event that cannot be read;
    /// [`StoreError::Backend`] if the storage fails.
    fn read_all(&self, after: Position, limit: usize) -> Result<Vec<RecordedEvent>, StoreError>;

    /// Checks the hash chain of `case`'s stored history (see
    /// [`history::chain`](crate::history::chain)) and reports where it starts and its
    /// last link, whether or not the store verifies on load. For an audit, or to keep
    /// the head somewhere the database's writers cannot reach.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use service_recovery::store::{EventStore, InMemoryStore};
    /// use service_recovery::prelude::{ActorRef, CaseId, Event, EventKind};
    ///
    /// let store = InMemoryStore::new();
    /// let case = CaseId::new("case-1");
    /// let note = Event {
    ///     sequence: 1,
    ///     at: Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap(),
    ///     actor: ActorRef::new("a-7", "Dana"),
    ///     kind: EventKind::NoteAdded { text: "called back".into() },
    /// };
    /// store.append(&case, 0, &[note]).unwrap();
    /// let report = store.chain(&case).unwrap();
    /// assert_eq!((report.events, report.start), (1, Some(1)));
    /// assert_eq!(report.head, store.load_stored(&case).unwrap()[0].link);
    /// ```
    ///
    /// # Errors
    ///
    /// [`StoreError::Tampered`] naming the first event that breaks the chain; as
    /// [`load_stored`](Self::load_stored) otherwise.
    fn chain(&self, case: &CaseId) -> Result<ChainReport, StoreError> {
        Ok(chain::verify(&self.load_stored(case)?)?)
    }
}

macro_rules! forward_event_store {
    ($($ty:ty),*) => {$(
        impl<S: EventStore + ?Sized> EventStore for $ty {
            fn append(&self, case: &CaseId, expected_version: u64, events: &[Event]) -> Result<u64, StoreError> {
                (**self).append(case, expected_version, events)
            }
            fn load(&self, case: &CaseId) -> Result<Vec<Event>, StoreError> {
                (**self).load(case)
            }
            fn load_stored(&self, case: &CaseId) -> Result<Vec<StoredEvent>, StoreError> {
                (**self).load_stored(case)
            }
            fn list_cases(&self) -> Result<Vec<CaseId>, StoreError> {
                (**self).list_cases()
            }
            fn redact(&self, case: &CaseId, policy: &RedactionPolicy, request: &RedactionRequest) -> Result<Redaction, StoreError> {
                (**self).redact(case, policy, request)
            }
            fn redactions(&self, case: &CaseId) -> Result<Vec<Redaction>, StoreError> {
                (**self).redactions(case)
            }
            fn read_all(&self, after: Position, limit: usize) -> Result<Vec<RecordedEvent>, StoreError> {
                (**self).read_all(after, limit)
            }
            fn chain(&self, case: &CaseId) -> Result<ChainReport, StoreError> {
                (**self).chain(case)
            }
        }
    )*};
}

forward_event_store!(&S, Box<S>, Arc<S>);

/// Checks that `events` run on from `expected_version` and puts them in stored form.
pub(crate) fn encode_batch(
    case: &CaseId,
    expected_version: u64,
    events: &[Event],
) -> Result<Vec<StoredEvent>, StoreError> {
    let mut next = expected_version;
    events
        .iter()
        .map(|event| {
            next = next.saturating_add(1);
            if event.sequence != next {
                return Err(StoreError::OutOfSequence {
                    case: case.clone(),
                    expected: next,
                    found: event.sequence,
                });
            }
            StoredEvent::encode(case, event).map_err(|e| StoreError::Unencodable {
                case: case.clone(),
                sequence: e.sequence,
                reason: e.reason,
            })
        })
        .collect()
}

/// Decodes a stored history, naming the first event that cannot be read or (with
/// `verify`) that breaks the hash chain, whichever comes first in the history.
pub(crate) fn decode_all(
    stored: Vec<StoredEvent>,
    upcasters: &Upcasters,
    verify: bool,
) -> Result<Vec<Event>, StoreError> {
    let mut walk = ChainWalk::default();
    stored
        .into_iter()
        .map(|event| {
            if verify {
                walk.check(&event)?;
            }
            let (case, sequence) = (event.case.clone(), event.sequence);
            event
                .into_event(upcasters)
                .map_err(|reason| StoreError::Corrupt {
                    case,
                    sequence,
                    reason,
                })
        })
        .collect()
}

/// What a redaction changes in a history.
pub(crate) struct Redacted {
    /// The events to write back: those whose payload was rewritten, and those whose
    /// link changed because the redaction erased more than the links leave out.
    pub(crate) changed: Vec<StoredEvent>,
    /// The sequence numbers of the events whose payload was rewritten.
    pub(crate) redacted: Vec<u64>,
    /// How many values were replaced.
    pub(crate) values: u64,
}

/// What a redaction changes in a history. Every event is upcast first, so that the
/// policy's field paths (which name fields of the current schema) apply to old events
/// too; every rewritten event is checked to decode, so that a redaction never leaves a
/// history that cannot be replayed.
///
/// The history's hash chain is checked first, so that a redaction never re-links (and
/// so launders) a tampered history. Erasing the standard personal fields changes no
/// link (the links leave them out); erasing a host's own fields re-links the case from
/// the first event whose covered content changed.
pub(crate) fn redact_history(
    stored: &[StoredEvent],
    policy: &RedactionPolicy,
    upcasters: &Upcasters,
) -> Result<Redacted, StoreError> {
    chain::verify(stored)?;
    let mut history = stored.to_vec();
    let mut redacted = Vec::new();
    let mut values = 0u64;
    for event in &mut history {
        let corrupt = |reason| StoreError::Corrupt {
            case: event.case.clone(),
            sequence: event.sequence,
            reason,
        };
        let mut raw = upcasters.upcast(event.raw()).map_err(corrupt)?;
        let replaced = policy.redact(&raw.event_type, &mut raw.payload);
        let candidate = StoredEvent {
            event_type: raw.event_type,
            schema_version: CURRENT_SCHEMA_VERSION,
            payload: raw.payload,
            ..event.clone()
        };
        candidate.decode(upcasters).map_err(corrupt)?;
        if replaced == 0 {
            continue;
        }
        values = values.saturating_add(u64::try_from(replaced).unwrap_or(u64::MAX));
        redacted.push(event.sequence);
        *event = candidate;
    }
    let mut relinked = chain::relink(&mut history);
    relinked.extend(
        history
            .iter()
            .enumerate()
            .filter(|(_, e)| redacted.contains(&e.sequence))
            .map(|(index, _)| index),
    );
    relinked.sort_unstable();
    relinked.dedup();
    let changed = relinked
        .into_iter()
        .filter_map(|index| history.get(index).cloned())
        .collect();
    Ok(Redacted {
        changed,
        redacted,
        values,
    })
}

/// The record of a redaction.
pub(crate) fn redaction_record(
    case: &CaseId,
    request: &RedactionRequest,
    redacted: &Redacted,
) -> Redaction {
    Redaction {
        case: case.clone(),
        by: request.by.clone(),
        at: request.at,
        reason: request.reason.clone(),
        events: redacted.redacted.clone(),
        values: redacted.values,
    }
}
