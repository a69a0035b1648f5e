//! An event store in memory.

use crate::case::Event;
use crate::history::{Redaction, RedactionPolicy, RedactionRequest, StoredEvent, Upcasters, chain};
use crate::id::CaseId;
use crate::store::{
    EventStore, Position, RecordedEvent, StoreError, decode_all, encode_batch, redact_history,
    redaction_record,
};
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

/// Histories kept in memory, in their stored form: for tests, demos, and hosts that
/// persist elsewhere. Share it between threads with an `Arc`.
///
/// It keeps [`StoredEvent`]s rather than events, so that it reads, upcasts and redacts
/// exactly as a database-backed store does.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use service_recovery::store::{EventStore, InMemoryStore, StoreError};
/// use service_recovery::prelude::{ActorRef, CaseId, Event, EventKind};
///
/// let store = InMemoryStore::new();
/// let case = CaseId::new("case-1");
/// let note = |sequence| Event {
///     sequence,
///     at: Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap(),
///     actor: ActorRef::new("a-7", "Dana"),
///     kind: EventKind::NoteAdded { text: "called back".into() },
/// };
/// assert_eq!(store.append(&case, 0, &[note(1), note(2)]), Ok(2));
/// // Someone who still thinks the case is at version 1 is refused.
/// assert_eq!(
///     store.append(&case, 1, &[note(2)]),
///     Err(StoreError::Conflict { case: case.clone(), expected: 1, actual: 2 })
/// );
/// assert_eq!(store.load(&case).unwrap().len(), 2);
/// ```
#[derive(Debug)]
pub struct InMemoryStore {
    state: Mutex<State>,
    upcasters: Upcasters,
    verify: bool,
}

impl Default for InMemoryStore {
    fn default() -> Self {
        Self {
            state: Mutex::default(),
            upcasters: Upcasters::default(),
            verify: true,
        }
    }
}

#[derive(Debug, Default)]
struct State {
    events: BTreeMap<CaseId, Vec<StoredEvent>>,
    redactions: BTreeMap<CaseId, Vec<Redaction>>,
    /// The feed: which case's event stands at each position (position = index + 1).
    /// It points into `events` rather than copying them, so a redaction shows in it.
    feed: Vec<(CaseId, u64)>,
}

impl InMemoryStore {
    /// An empty store that reads with the built-in upcasters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads with `upcasters` instead of the built-in ones.
    #[must_use]
    pub fn with_upcasters(mut self, upcasters: Upcasters) -> Self {
        self.upcasters = upcasters;
        self
    }

    /// Whether [`load`](EventStore::load) checks each history's
    /// [hash chain](crate::history::chain). Default: on, as in every store of this
    /// crate; a store in memory is only tampered with by code in the same process, so
    /// a host that trusts its own process may turn it off to save the hashing.
    #[must_use]
    pub fn verify_on_load(mut self, verify: bool) -> Self {
        self.verify = verify;
        self
    }

    fn state(&self) -> Result<MutexGuard<'_, State>, StoreError> {
        // A thread that panicked while holding the lock may have left a half-done
        // change; refusing to go on is the only safe answer.
        self.state.lock().map_err(|_| StoreError::Backend {
            reason: "the in-memory store is unusable because a thread panicked while changing it"
                .into(),
        })
    }
}

fn version(history: Option<&Vec<StoredEvent>>) -> u64 {
    history.and_then(|h| h.last()).map_or(0, |e| e.sequence)
}

impl EventStore for InMemoryStore {
    fn append(
        &self,
        case: &CaseId,
        expected_version: u64,
        events: &[Event],
    ) -> Result<u64, StoreError> {
        let mut stored = encode_batch(case, expected_version, events)?;
        let mut state = self.state()?;
        let actual = version(state.events.get(case));
        if actual != expected_version {
            return Err(StoreError::Conflict {
                case: case.clone(),
                expected: expected_version,
                actual,
            });
        }
        if stored.is_empty() {
            return Ok(actual);
        }
        let State { events, feed, .. } = &mut *state;
        let history = events.entry(case.clone()).or_default();
        let previous = history.last().and_then(|e| e.link.as_deref());
        chain::seal(previous, &mut stored);
        feed.extend(stored.iter().map(|e| (case.clone(), e.sequence)));
        history.extend(stored);
        Ok(version(Some(history)))
    }

    fn load(&self, case: &CaseId) -> Result<Vec<Event>, StoreError> {
        decode_all(self.load_stored(case)?, &self.upcasters, self.verify)
    }

    fn load_stored(&self, case: &CaseId) -> Result<Vec<StoredEvent>, StoreError> {
        Ok(self.state()?.events.get(case).cloned().unwrap_or_default())
    }

    fn list_cases(&self) -> Result<Vec<CaseId>, StoreError> {
        Ok(self.state()?.events.keys().cloned().collect())
    }

    fn redact(
        &self,
        case: &CaseId,
        policy: &RedactionPolicy,
        request: &RedactionRequest,
    ) -> Result<Redaction, StoreError> {
        let mut state = self.state()?;
        let history = match state.events.get_mut(case) {
            Some(history) if !history.is_empty() => history,
            _ => return Err(StoreError::UnknownCase { case: case.clone() }),
        };
        let redacted = redact_history(history, policy, &self.upcasters)?;
        let record = redaction_record(case, request, &redacted);
        for event in redacted.changed {
            if let Some(slot) = history.iter_mut().find(|e| e.sequence == event.sequence) {
                *slot = event;
            }
        }
        state
            .redactions
            .entry(case.clone())
            .or_default()
            .push(record.clone());
        Ok(record)
    }

    fn redactions(&self, case: &CaseId) -> Result<Vec<Redaction>, StoreError> {
        Ok(self
            .state()?
            .redactions
            .get(case)
            .cloned()
            .unwrap_or_default())
    }

    fn read_all(&self, after: Position, limit: usize) -> Result<Vec<RecordedEvent>, StoreError> {
        // Every position of this store has transaction 0: nothing comes after a
        // position with another.
        if after.transaction != 0 {
            return Ok(Vec::new());
        }
        let state = self.state()?;
        let start = usize::try_from(after.event).unwrap_or(usize::MAX);
        let mut read = Vec::new();
        for (index, (case, sequence)) in state.feed.iter().enumerate().skip(start).take(limit) {
            let stored = state
                .events
                .get(case)
                .and_then(|h| h.get(usize::try_from(sequence.saturating_sub(1)).ok()?))
                .ok_or_else(|| StoreError::Backend {
                    reason: format!(
                        "the feed lists event {sequence} of case {case}, which is missing"
                    ),
                })?;
            let event = stored
                .clone()
                .into_event(&self.upcasters)
                .map_err(|reason| StoreError::Corrupt {
                    case: case.clone(),
                    sequence: *sequence,
                    reason,
                })?;
            read.push(RecordedEvent {
                position: Position::new(
                    0,
                    u64::try_from(index).unwrap_or(u64::MAX).saturating_add(1),
                ),
                case: case.clone(),
                event,
                link: stored.link.clone(),
            });
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poisoned_lock_is_an_error_not_a_panic() {
        let store = InMemoryStore::new();
        std::thread::scope(|s| {
            let _ = s
                .spawn(|| {
                    let _guard = store.state.lock();
                    panic!("a writer dies holding the lock");
                })
                .join();
        });
        assert!(matches!(
            store.list_cases(),
            Err(StoreError::Backend { .. })
        ));
        assert!(matches!(
            store.load(&CaseId::new("c")),
            Err(StoreError::Backend { .. })
        ));
    }
}
