//! What this process already knows of the histories it used last: each row exactly as
//! the server holds it, beside its decoded event, for rows that a `load` checked
//! against the hash chain or that this store wrote itself.
//!
//! A command loads its case, then appends to it, and the next command on the case
//! loads it again. With these rows at hand, the load compares each row it reads,
//! byte for byte, with the one it knows, and decodes and checks only the rows that
//! differ or are new; the append takes the history and its last link from here
//! instead of reading them again, and the server confirms in the append's own
//! statement that the case still ends at that event with that link.

use crate::case::Event;
use crate::id::CaseId;
use postgres::Row;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// How many cases the store remembers at most. Past that it forgets them all and
/// starts afresh: cheap, and a forgotten case only costs one full check on its next
/// load.
pub(super) const KNOWN_CASES: usize = 256;

/// One stored row, as the text the server holds, and its event.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct KnownRow {
    pub(super) event_type: String,
    pub(super) schema_version: i32,
    pub(super) at: String,
    pub(super) actor_id: String,
    pub(super) actor_name: String,
    pub(super) payload: String,
    pub(super) link: Option<String>,
    pub(super) event: Event,
}

impl KnownRow {
    /// This row's text as `row` holds it (the columns of `select_events`), with the
    /// event decoded from it.
    pub(super) fn read(row: &Row, event: Event) -> Result<Self, postgres::Error> {
        Ok(Self {
            event_type: row.try_get(1)?,
            schema_version: row.try_get(2)?,
            at: row.try_get(3)?,
            actor_id: row.try_get(4)?,
            actor_name: row.try_get(5)?,
            payload: row.try_get(6)?,
            link: row.try_get(7)?,
            event,
        })
    }

    /// Whether `row` holds exactly this row, every column byte for byte.
    pub(super) fn matches(&self, row: &Row) -> bool {
        let text = |n: usize, known: &str| row.try_get::<_, &str>(n).is_ok_and(|t| t == known);
        row.try_get::<_, i64>(0)
            .is_ok_and(|s| u64::try_from(s).is_ok_and(|s| s == self.event.sequence))
            && text(1, &self.event_type)
            && row
                .try_get::<_, i32>(2)
                .is_ok_and(|v| v == self.schema_version)
            && text(3, &self.at)
            && text(4, &self.actor_id)
            && text(5, &self.actor_name)
            && text(6, &self.payload)
            && row
                .try_get::<_, Option<&str>>(7)
                .is_ok_and(|l| l == self.link.as_deref())
    }
}

/// A case's history as far as this process knows it, from event 1.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct KnownHistory {
    pub(super) rows: Vec<KnownRow>,
}

impl KnownHistory {
    /// The sequence number of the last event: the case's version.
    pub(super) fn version(&self) -> u64 {
        self.rows.last().map_or(0, |row| row.event.sequence)
    }

    /// The link of the last event.
    pub(super) fn head(&self) -> Option<&str> {
        self.rows.last().and_then(|row| row.link.as_deref())
    }

    /// Whether any event is linked: the chain has started.
    pub(super) fn chained(&self) -> bool {
        self.rows.iter().any(|row| row.link.is_some())
    }

    pub(super) fn events(&self) -> impl Iterator<Item = &Event> {
        self.rows.iter().map(|row| &row.event)
    }
}

/// The histories this process knows, by case.
#[derive(Debug, Default)]
pub(super) struct Known {
    cases: Mutex<HashMap<CaseId, KnownHistory>>,
}

impl Known {
    /// Takes what is known of `case` (a concurrent load or append of the same case in
    /// this process then finds nothing, and reads in full).
    pub(super) fn take(&self, case: &CaseId) -> Option<KnownHistory> {
        self.cases
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(case)
    }

    /// Remembers `history` as `case`'s.
    pub(super) fn keep(&self, case: &CaseId, history: KnownHistory) {
        let mut cases = self.cases.lock().unwrap_or_else(PoisonError::into_inner);
        if cases.len() >= KNOWN_CASES && !cases.contains_key(case) {
            cases.clear();
        }
        cases.insert(case.clone(), history);
    }

    /// Forgets `case` (its rows were rewritten).
    pub(super) fn forget(&self, case: &CaseId) {
        self.take(case);
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.cases
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actor::ActorRef;
    use crate::case::EventKind;
    use chrono::{TimeZone, Utc};

    fn row(sequence: u64, link: Option<&str>) -> KnownRow {
        KnownRow {
            event_type: "note_added".into(),
            schema_version: 2,
            at: "2026-03-02T14:00:00Z".into(),
            actor_id: "agent-7".into(),
            actor_name: "Dana".into(),
            payload: "{}".into(),
            link: link.map(str::to_owned),
            event: Event {
                sequence,
                at: Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap(),
                actor: ActorRef::new("agent-7", "Dana"),
                kind: EventKind::NoteAdded { text: "x".into() },
            },
        }
    }

    #[test]
    fn a_history_knows_its_version_head_and_chain() {
        let empty = KnownHistory::default();
        assert_eq!(
            (empty.version(), empty.head(), empty.chained()),
            (0, None, false)
        );
        let legacy = KnownHistory {
            rows: vec![row(1, None), row(2, None)],
        };
        assert_eq!(
            (legacy.version(), legacy.head(), legacy.chained()),
            (2, None, false)
        );
        let linked = KnownHistory {
            rows: vec![row(1, None), row(2, Some("ab")), row(3, Some("cd"))],
        };
        assert_eq!(
            (linked.version(), linked.head(), linked.chained()),
            (3, Some("cd"), true)
        );
        assert_eq!(
            linked.events().map(|e| e.sequence).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
    }

    #[test]
    fn the_memory_is_bounded_and_forgets_on_request() {
        let known = Known::default();
        let one = KnownHistory {
            rows: vec![row(1, Some("ab"))],
        };
        for n in 0..KNOWN_CASES {
            known.keep(&CaseId::new(format!("case-{n}")), one.clone());
        }
        assert_eq!(known.len(), KNOWN_CASES);
        // Replacing a known case keeps the others.
        known.keep(&CaseId::new("case-0"), KnownHistory::default());
        assert_eq!(known.len(), KNOWN_CASES);
        // One more case starts afresh.
        known.keep(&CaseId::new("case-new"), one.clone());
        assert_eq!(known.len(), 1);
        assert_eq!(known.take(&CaseId::new("case-new")), Some(one.clone()));
        assert_eq!(known.take(&CaseId::new("case-new")), None);
        known.keep(&CaseId::new("case-1"), one);
        known.forget(&CaseId::new("case-1"));
        assert_eq!(known.len(), 0);
    }
}
