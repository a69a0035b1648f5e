//! The ordered feed: every event of every case in one total order, for projections.

use crate::case::Event;
use crate::id::CaseId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where an event stands in a store's [feed](crate::store::EventStore::read_all): a
/// projection stores the position of the last event it handled and resumes after it.
///
/// Positions compare in feed order. What the two numbers mean is the store's own
/// business, so a position is only meaningful to the store that handed it out:
///
/// - [`InMemoryStore`](crate::store::InMemoryStore) and `SqliteStore` leave
///   `transaction` at 0 and number events 1, 2, 3, ... in `event`;
/// - `PostgresStore` puts the writing transaction's id in `transaction` and the row's
///   id in `event` (see its documentation for why).
///
/// Serialized as `{"transaction":0,"event":42}`; shown as `0/42`.
///
/// ```
/// use service_recovery::store::Position;
///
/// assert_eq!(Position::START, Position::new(0, 0));
/// assert!(Position::new(0, 9) < Position::new(1, 2));
/// assert_eq!(Position::new(7, 42).to_string(), "7/42");
/// let json = serde_json::to_string(&Position::new(0, 42)).unwrap();
/// assert_eq!(json, r#"{"transaction":0,"event":42}"#);
/// assert_eq!(serde_json::from_str::<Position>(&json).unwrap(), Position::new(0, 42));
/// ```
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// The major part: the writing transaction, where the store needs one.
    pub transaction: u64,
    /// The minor part: the event within the feed (or within its transaction).
    pub event: u64,
}

impl Position {
    /// Before the first event: reading after it reads the feed from the start.
    pub const START: Position = Position {
        transaction: 0,
        event: 0,
    };

    /// The position with these two parts.
    pub const fn new(transaction: u64, event: u64) -> Self {
        Self { transaction, event }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.transaction, self.event)
    }
}

/// One event as the feed hands it out: where it stands, whose it is, and the event,
/// upcast to the current schema.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedEvent {
    /// Its place in the feed.
    pub position: Position,
    /// The case whose history it belongs to.
    pub case: CaseId,
    /// The event.
    pub event: Event,
    /// Its hash-chain link as stored (`None` for an event stored before links
    /// existed). The feed does not verify links, since a page of it holds parts of
    /// many histories; a projection that keeps each case's last link can check each
    /// new one with [`chain::link`](crate::history::chain::link).
    pub link: Option<String>,
}
