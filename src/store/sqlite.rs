//! An event store in a SQLite database file (feature `sqlite`).

use crate::actor::ActorRef;
use crate::case::Event;
use crate::history::chain::{self, ChainWalk};
use crate::history::kind_from_text;
use crate::history::{
    CURRENT_SCHEMA_VERSION, DecodeError, Redaction, RedactionPolicy, RedactionRequest, StoredEvent,
    Upcasters,
};
use crate::id::CaseId;
use crate::store::{
    EventStore, Position, RecordedEvent, StoreError, encode_batch, redact_history, redaction_record,
};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, ErrorCode, Row, TransactionBehavior, params};
use serde_json::Value;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// The layout of the database this version of the crate writes, kept in SQLite's
/// `user_version`. A file with a newer layout is refused rather than misread.
///
/// Layout 2 added the `position` column (the feed's order). Layout 1 relied on the
/// implicit rowid, which `VACUUM` may renumber, so a file in layout 1 is migrated
/// when it is opened, keeping the order its rows were written in. Layout 3 added the
/// `link` column (the hash chain); rows written before it keep a `NULL` link.
const LAYOUT_VERSION: i64 = 3;

/// Moves a layout-2 `events` table into the layout-3 shape.
const MIGRATE_FROM_LAYOUT_2: &str = "ALTER TABLE events ADD COLUMN link TEXT;";

/// Moves a layout-1 `events` table into the layout-2 shape, in rowid order (which in
/// layout 1 was the order of writing, since rows were never deleted).
const MIGRATE_FROM_LAYOUT_1: &str = "
ALTER TABLE events RENAME TO events_layout_1;
CREATE TABLE events (
    position       INTEGER PRIMARY KEY,
    case_id        TEXT    NOT NULL,
    sequence       INTEGER NOT NULL CHECK (sequence >= 1),
    event_type     TEXT    NOT NULL,
    schema_version INTEGER NOT NULL,
    at             TEXT    NOT NULL,
    actor_id       TEXT    NOT NULL,
    actor_name     TEXT    NOT NULL,
    payload        TEXT    NOT NULL,
    CONSTRAINT events_case_sequence UNIQUE (case_id, sequence)
);
INSERT INTO events (case_id, sequence, event_type, schema_version, at, actor_id, actor_name, payload)
    SELECT case_id, sequence, event_type, schema_version, at, actor_id, actor_name, payload
    FROM events_layout_1 ORDER BY rowid;
DROP TABLE events_layout_1;
";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS events (
    position       INTEGER PRIMARY KEY,
    case_id        TEXT    NOT NULL,
    sequence       INTEGER NOT NULL CHECK (sequence >= 1),
    event_type     TEXT    NOT NULL,
    schema_version INTEGER NOT NULL,
    at             TEXT    NOT NULL,
    actor_id       TEXT    NOT NULL,
    actor_name     TEXT    NOT NULL,
    payload        TEXT    NOT NULL,
    link           TEXT,
    CONSTRAINT events_case_sequence UNIQUE (case_id, sequence)
);
CREATE TABLE IF NOT EXISTS redactions (
    id         INTEGER PRIMARY KEY,
    case_id    TEXT    NOT NULL,
    at         TEXT    NOT NULL,
    by_id      TEXT    NOT NULL,
    by_name    TEXT    NOT NULL,
    reason     TEXT    NOT NULL,
    events     TEXT    NOT NULL,
    value_count INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS redactions_by_case ON redactions (case_id, id);
";

const INSERT_EVENT: &str = "INSERT INTO events \
    (case_id, sequence, event_type, schema_version, at, actor_id, actor_name, payload, link) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

const SELECT_EVENTS: &str = "SELECT sequence, event_type, schema_version, at, actor_id, \
    actor_name, payload, link FROM events WHERE case_id = ?1 ORDER BY sequence";

/// The feed: the first eight columns are those of [`SELECT_EVENTS`], so that one row
/// reader serves both.
const SELECT_FEED: &str = "SELECT sequence, event_type, schema_version, at, actor_id, \
    actor_name, payload, link, position, case_id FROM events WHERE position > ?1 \
    ORDER BY position LIMIT ?2";

/// The case's version and the link that the next event continues from.
const SELECT_HEAD: &str = "SELECT sequence, link FROM events WHERE case_id = ?1 \
    ORDER BY sequence DESC LIMIT 1";

/// Histories in a SQLite database file, one row per event.
///
/// - The schema is created when the file is opened; opening an existing file keeps
///   everything in it.
/// - Each event is a row of table `events`: the envelope's fields in columns
///   (`case_id`, `sequence`, `event_type`, `schema_version`, `at` as RFC 3339 UTC,
///   `actor_id`, `actor_name`) and the payload as JSON text, with a `UNIQUE (case_id,
///   sequence)` constraint, so that two writers can never both store event *n*.
/// - An append runs in one `IMMEDIATE` transaction that reads the case's current
///   version before writing; a mismatch (or, should it happen, a violation of the
///   unique constraint) is a [`StoreError::Conflict`].
/// - The journal is in WAL mode (readers do not block the writer) with a busy timeout
///   of 5 seconds (see [`set_busy_timeout`](Self::set_busy_timeout)), and
///   `secure_delete` is on, so that the bytes of redacted values are overwritten.
/// - Each row keeps its event's [hash-chain link](crate::history::chain) in column
///   `link`, computed in the append's transaction from the case's last link, and
///   [`load`](EventStore::load) checks the chain (see
///   [`verify_on_load`](Self::verify_on_load)): a row edited, inserted, deleted or
///   moved with raw SQL is reported as [`StoreError::Tampered`]. Files from earlier
///   versions gain the column when opened; their rows keep no link, and each case's
///   chain starts at its first event appended afterwards.
///
/// One `SqliteStore` holds one connection behind a mutex: share it between threads
/// with an `Arc`, or open one store per thread on the same file for parallel reads.
#[derive(Debug)]
pub struct SqliteStore {
    connection: Mutex<Connection>,
    upcasters: Upcasters,
    verify: bool,
}

fn backend(error: impl std::fmt::Display) -> StoreError {
    StoreError::Backend {
        reason: error.to_string(),
    }
}

fn to_sql_int(n: u64) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| backend(format!("{n} does not fit in a SQLite integer")))
}

impl SqliteStore {
    /// Opens (or creates) the database file at `path` and creates the schema if
    /// needed.
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] if the file cannot be opened, is not a database, or
    /// was written by a newer version of this crate.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::setup(Connection::open(path).map_err(backend)?)
    }

    /// A database in memory, gone when the store is dropped.
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] if SQLite cannot create it.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::setup(Connection::open_in_memory().map_err(backend)?)
    }

    fn setup(connection: Connection) -> Result<Self, StoreError> {
        connection
            .busy_timeout(Duration::from_secs(5))
            .map_err(backend)?;
        // In memory, SQLite answers "memory"; that is fine too.
        let _mode: String = connection
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(backend)?;
        connection
            .pragma_update(None, "secure_delete", "ON")
            .map_err(backend)?;
        let layout: i64 = connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(backend)?;
        if layout > LAYOUT_VERSION {
            return Err(backend(format!(
                "the database was written by a newer version of this crate (layout {layout}; this version knows layout {LAYOUT_VERSION})"
            )));
        }
        let migrate = match layout {
            1 => format!("{MIGRATE_FROM_LAYOUT_1} {MIGRATE_FROM_LAYOUT_2}"),
            2 => MIGRATE_FROM_LAYOUT_2.to_owned(),
            _ => String::new(),
        };
        connection
            .execute_batch(&format!(
                "BEGIN IMMEDIATE; {migrate} {SCHEMA} PRAGMA user_version = {LAYOUT_VERSION}; COMMIT;"
            ))
            .map_err(backend)?;
        Ok(Self {
            connection: Mutex::new(connection),
            upcasters: Upcasters::default(),
            verify: true,
        })
    }

    /// Whether [`load`](EventStore::load) checks each history's
    /// [hash chain](crate::history::chain). Default: on, because a chain nobody checks
    /// detects nothing, and a database file is easy to edit; the check costs one
    /// SHA-256 per event loaded. Turn it off only where loading speed matters more and
    /// the host audits with [`chain`](EventStore::chain) instead.
    #[must_use]
    pub fn verify_on_load(mut self, verify: bool) -> Self {
        self.verify = verify;
        self
    }

    /// Reads with `upcasters` instead of the built-in ones.
    #[must_use]
    pub fn with_upcasters(mut self, upcasters: Upcasters) -> Self {
        self.upcasters = upcasters;
        self
    }

    /// How long to wait for another connection's write to finish before giving up
    /// with [`StoreError::Backend`]. Default: 5 seconds.
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] if SQLite refuses it.
    pub fn set_busy_timeout(&self, timeout: Duration) -> Result<(), StoreError> {
        self.connection()?.busy_timeout(timeout).map_err(backend)
    }

    /// Moves everything in the write-ahead log into the database file and empties the
    /// log (`PRAGMA wal_checkpoint(TRUNCATE)`). [`redact`](EventStore::redact) does
    /// this itself; call it to confirm that the bytes of a redaction's old values have
    /// left the files.
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] if the checkpoint could not complete, for example
    /// because another connection is still reading.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        let busy: i64 = self
            .connection()?
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))
            .map_err(backend)?;
        if busy != 0 {
            return Err(backend(
                "the checkpoint could not complete because another connection is using the database",
            ));
        }
        Ok(())
    }

    fn connection(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.connection.lock().map_err(|_| StoreError::Backend {
            reason: "the SQLite store is unusable because a thread panicked while using it".into(),
        })
    }
}

/// The case's version and its last link.
fn head(connection: &Connection, case: &CaseId) -> Result<(u64, Option<String>), StoreError> {
    let mut statement = connection.prepare_cached(SELECT_HEAD).map_err(backend)?;
    let mut rows = statement.query([case.as_str()]).map_err(backend)?;
    let Some(row) = rows.next().map_err(backend)? else {
        return Ok((0, None));
    };
    let version: i64 = row.get(0).map_err(backend)?;
    let version = u64::try_from(version).map_err(backend)?;
    // A link that is not text is not a link: the next event starts afresh, and a load
    // reports the row.
    let link = match row.get_ref(1).map_err(backend)? {
        ValueRef::Text(bytes) => std::str::from_utf8(bytes).ok().map(str::to_owned),
        ValueRef::Null | ValueRef::Integer(_) | ValueRef::Real(_) | ValueRef::Blob(_) => None,
    };
    Ok((version, link))
}

fn current_version(connection: &Connection, case: &CaseId) -> Result<u64, StoreError> {
    head(connection, case).map(|(version, _)| version)
}

fn is_unique_violation(error: &rusqlite::Error) -> bool {
    match error.sqlite_error() {
        Some(e) => {
            e.code == ErrorCode::ConstraintViolation
                && (e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
        }
        None => false,
    }
}

fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// One row of `events`, with the payload still as text.
struct StoredRow {
    case: CaseId,
    sequence: u64,
    event_type: String,
    schema_version: u32,
    at: DateTime<Utc>,
    actor: ActorRef,
    payload: String,
    link: Option<String>,
}

impl StoredRow {
    /// Reads one row. Whatever is wrong with a row that has a sequence number is
    /// reported as that event being corrupt.
    fn read(case: &CaseId, row: &Row<'_>) -> Result<Self, StoreError> {
        let sequence: i64 = row.get(0).map_err(backend)?;
        let sequence = u64::try_from(sequence).map_err(backend)?;
        let corrupt = |detail: String| corrupt(case, sequence, DecodeError::Malformed { detail });
        let text = |index: usize, name: &str| -> Result<String, StoreError> {
            match row.get_ref(index).map_err(backend)? {
                ValueRef::Text(bytes) => std::str::from_utf8(bytes)
                    .map(str::to_owned)
                    .map_err(|_| corrupt(format!("its {name} is not valid UTF-8"))),
                ValueRef::Null | ValueRef::Integer(_) | ValueRef::Real(_) | ValueRef::Blob(_) => {
                    Err(corrupt(format!("its {name} is not text")))
                }
            }
        };
        let schema_version: i64 = row
            .get(2)
            .map_err(|_| corrupt("its schema version is not an integer".into()))?;
        let schema_version = u32::try_from(schema_version).map_err(|_| {
            corrupt(format!(
                "its schema version {schema_version} is out of range"
            ))
        })?;
        let link = match row.get_ref(7).map_err(backend)? {
            ValueRef::Null => None,
            ValueRef::Text(bytes) => Some(
                std::str::from_utf8(bytes)
                    .map(str::to_owned)
                    .map_err(|_| corrupt("its link is not valid UTF-8".into()))?,
            ),
            ValueRef::Integer(_) | ValueRef::Real(_) | ValueRef::Blob(_) => {
                return Err(corrupt("its link is not text".into()));
            }
        };
        let at = text(3, "time")?;
        let at = DateTime::parse_from_rfc3339(&at)
            .map_err(|e| corrupt(format!("its time \"{at}\" is not an RFC 3339 time: {e}")))?
            .with_timezone(&Utc);
        Ok(Self {
            case: case.clone(),
            sequence,
            event_type: text(1, "event type")?,
            schema_version,
            at,
            actor: ActorRef::new(text(4, "actor id")?, text(5, "actor name")?),
            payload: text(6, "payload")?,
            link,
        })
    }

    fn into_stored(self) -> Result<StoredEvent, StoreError> {
        let payload: Value = serde_json::from_str(&self.payload).map_err(|e| {
            let detail = format!("its payload is not JSON: {e}");
            corrupt(&self.case, self.sequence, DecodeError::Malformed { detail })
        })?;
        Ok(StoredEvent {
            case: self.case,
            sequence: self.sequence,
            event_type: self.event_type,
            schema_version: self.schema_version,
            at: self.at,
            actor: self.actor,
            payload,
            link: self.link,
        })
    }

    /// Events in the current schema version are deserialized straight from their
    /// text; older ones go through the upcasters.
    fn into_event(self, upcasters: &Upcasters) -> Result<Event, StoreError> {
        if self.schema_version != CURRENT_SCHEMA_VERSION {
            let (case, sequence) = (self.case.clone(), self.sequence);
            return self
                .into_stored()?
                .into_event(upcasters)
                .map_err(|reason| corrupt(&case, sequence, reason));
        }
        let kind = kind_from_text(&self.event_type, &self.payload)
            .map_err(|reason| corrupt(&self.case, self.sequence, reason))?;
        Ok(Event {
            sequence: self.sequence,
            at: self.at,
            actor: self.actor,
            kind,
        })
    }
}

fn corrupt(case: &CaseId, sequence: u64, reason: DecodeError) -> StoreError {
    StoreError::Corrupt {
        case: case.clone(),
        sequence,
        reason,
    }
}

fn read_rows<T>(
    connection: &Connection,
    case: &CaseId,
    mut convert: impl FnMut(StoredRow) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut statement = connection.prepare_cached(SELECT_EVENTS).map_err(backend)?;
    let mut rows = statement.query([case.as_str()]).map_err(backend)?;
    let mut history = Vec::new();
    while let Some(row) = rows.next().map_err(backend)? {
        history.push(convert(StoredRow::read(case, row)?)?);
    }
    Ok(history)
}

fn read_history(connection: &Connection, case: &CaseId) -> Result<Vec<StoredEvent>, StoreError> {
    read_rows(connection, case, StoredRow::into_stored)
}

/// The events of a case, checking the hash chain row by row, so that the first
/// problem in the history (unreadable or tampered) is the one reported.
fn read_verified(
    connection: &Connection,
    case: &CaseId,
    upcasters: &Upcasters,
) -> Result<Vec<Event>, StoreError> {
    let mut walk = ChainWalk::default();
    read_rows(connection, case, |row| {
        let stored = row.into_stored()?;
        walk.check(&stored)?;
        let sequence = stored.sequence;
        stored
            .into_event(upcasters)
            .map_err(|reason| corrupt(case, sequence, reason))
    })
}

fn insert(connection: &Connection, event: &StoredEvent) -> Result<(), rusqlite::Error> {
    let sequence = i64::try_from(event.sequence).unwrap_or(i64::MAX);
    connection.prepare_cached(INSERT_EVENT)?.execute(params![
        event.case.as_str(),
        sequence,
        event.event_type,
        event.schema_version,
        timestamp(event.at),
        event.actor.id.as_str(),
        event.actor.name,
        event.payload.to_string(),
        event.link,
    ])?;
    Ok(())
}

impl EventStore for SqliteStore {
    fn append(
        &self,
        case: &CaseId,
        expected_version: u64,
        events: &[Event],
    ) -> Result<u64, StoreError> {
        // Encode before taking the write lock, to hold it as briefly as possible.
        let mut stored = encode_batch(case, expected_version, events)?;
        to_sql_int(expected_version.saturating_add(stored.len() as u64))?;
        let mut connection = self.connection()?;
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        let (actual, previous) = head(&transaction, case)?;
        if actual != expected_version {
            return Err(StoreError::Conflict {
                case: case.clone(),
                expected: expected_version,
                actual,
            });
        }
        chain::seal(previous.as_deref(), &mut stored);
        for event in &stored {
            if let Err(error) = insert(&transaction, event) {
                if !is_unique_violation(&error) {
                    return Err(backend(error));
                }
                // Only a writer that bypasses this store can get here; the rows it
                // wrote are the truth, and ours are rolled back.
                drop(transaction);
                let actual = current_version(&connection, case)?;
                return Err(StoreError::Conflict {
                    case: case.clone(),
                    expected: expected_version,
                    actual,
                });
            }
        }
        transaction.commit().map_err(backend)?;
        Ok(expected_version.saturating_add(stored.len() as u64))
    }

    fn load(&self, case: &CaseId) -> Result<Vec<Event>, StoreError> {
        let connection = self.connection()?;
        if self.verify {
            return read_verified(&connection, case, &self.upcasters);
        }
        read_rows(&connection, case, |row| row.into_event(&self.upcasters))
    }

    fn load_stored(&self, case: &CaseId) -> Result<Vec<StoredEvent>, StoreError> {
        let connection = self.connection()?;
        read_history(&connection, case)
    }

    fn list_cases(&self) -> Result<Vec<CaseId>, StoreError> {
        let connection = self.connection()?;
        let mut statement = connection
            .prepare_cached("SELECT DISTINCT case_id FROM events ORDER BY case_id")
            .map_err(backend)?;
        statement
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(backend)?
            .map(|id| id.map(CaseId::new).map_err(backend))
            .collect()
    }

    fn redact(
        &self,
        case: &CaseId,
        policy: &RedactionPolicy,
        request: &RedactionRequest,
    ) -> Result<Redaction, StoreError> {
        let mut connection = self.connection()?;
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        let history = read_history(&transaction, case)?;
        if history.is_empty() {
            return Err(StoreError::UnknownCase { case: case.clone() });
        }
        let redacted = redact_history(&history, policy, &self.upcasters)?;
        let record = redaction_record(case, request, &redacted);
        {
            let mut update = transaction
                .prepare_cached(
                    "UPDATE events SET event_type = ?1, schema_version = ?2, payload = ?3, \
                     link = ?4 WHERE case_id = ?5 AND sequence = ?6",
                )
                .map_err(backend)?;
            for event in &redacted.changed {
                update
                    .execute(params![
                        event.event_type,
                        event.schema_version,
                        event.payload.to_string(),
                        event.link,
                        case.as_str(),
                        to_sql_int(event.sequence)?,
                    ])
                    .map_err(backend)?;
            }
        }
        let events = serde_json::to_string(&record.events).map_err(backend)?;
        transaction
            .execute(
                "INSERT INTO redactions (case_id, at, by_id, by_name, reason, events, value_count) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    case.as_str(),
                    timestamp(record.at),
                    record.by.id.as_str(),
                    record.by.name,
                    record.reason,
                    events,
                    to_sql_int(record.values)?,
                ],
            )
            .map_err(backend)?;
        transaction.commit().map_err(backend)?;
        // The old values are still in the database file until a checkpoint copies the
        // rewritten pages over them. The redaction is committed either way; if another
        // connection keeps the checkpoint from completing, SQLite's next automatic
        // checkpoint or the host's call to `checkpoint` finishes the job.
        let _ = connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        Ok(record)
    }

    fn redactions(&self, case: &CaseId) -> Result<Vec<Redaction>, StoreError> {
        let connection = self.connection()?;
        let mut statement = connection
            .prepare_cached(
                "SELECT at, by_id, by_name, reason, events, value_count FROM redactions \
                 WHERE case_id = ?1 ORDER BY id",
            )
            .map_err(backend)?;
        let rows = statement
            .query_map([case.as_str()], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, i64>(5)?,
                ))
            })
            .map_err(backend)?;
        rows.map(|row| {
            let (at, by_id, by_name, reason, events, values) = row.map_err(backend)?;
            Ok(Redaction {
                case: case.clone(),
                by: ActorRef::new(by_id, by_name),
                at: DateTime::parse_from_rfc3339(&at)
                    .map_err(backend)?
                    .with_timezone(&Utc),
                reason,
                events: serde_json::from_str(&events).map_err(backend)?,
                values: u64::try_from(values).map_err(backend)?,
            })
        })
        .collect()
    }

    fn read_all(&self, after: Position, limit: usize) -> Result<Vec<RecordedEvent>, StoreError> {
        // Every position of this store has transaction 0: nothing comes after a
        // position with another.
        if after.transaction != 0 || limit == 0 {
            return Ok(Vec::new());
        }
        let connection = self.connection()?;
        let mut statement = connection.prepare_cached(SELECT_FEED).map_err(backend)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut rows = statement
            .query(params![to_sql_int(after.event)?, limit])
            .map_err(backend)?;
        let mut feed = Vec::new();
        while let Some(row) = rows.next().map_err(backend)? {
            let position: i64 = row.get(8).map_err(backend)?;
            let case = CaseId::new(row.get::<_, String>(9).map_err(backend)?);
            let mut stored = StoredRow::read(&case, row)?;
            let link = stored.link.take();
            let event = stored.into_event(&self.upcasters)?;
            feed.push(RecordedEvent {
                position: Position::new(0, u64::try_from(position).map_err(backend)?),
                case,
                event,
                link,
            });
        }
        Ok(feed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_from_a_newer_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.db");
        drop(SqliteStore::open(&path).unwrap());
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", LAYOUT_VERSION + 1)
            .unwrap();
        let error = SqliteStore::open(&path).unwrap_err();
        assert!(
            error.to_string().contains("newer version of this crate"),
            "{error}"
        );
    }

    #[test]
    fn a_second_row_for_a_sequence_number_is_a_unique_violation() {
        let store = SqliteStore::open_in_memory().unwrap();
        let connection = store.connection().unwrap();
        let row = "INSERT INTO events VALUES (NULL, 'c', 1, 'note_added', 2, '2026-03-02T14:00:00Z', 'a', 'A', '{\"text\":\"x\"}', NULL)";
        connection.execute(row, []).unwrap();
        let error = connection.execute(row, []).unwrap_err();
        assert!(is_unique_violation(&error), "{error}");
        let other = connection
            .execute("INSERT INTO events (case_id) VALUES ('c')", [])
            .unwrap_err();
        assert!(!is_unique_violation(&other), "{other}");
    }

    #[test]
    fn a_time_that_is_not_rfc_3339_is_corrupt() {
        let store = SqliteStore::open_in_memory().unwrap();
        store
            .connection()
            .unwrap()
            .execute(
                "INSERT INTO events VALUES (NULL, 'c', 1, 'note_added', 2, 'yesterday', 'a', 'A', '{\"text\":\"x\"}', NULL)",
                [],
            )
            .unwrap();
        assert!(matches!(
            store.load(&CaseId::new("c")),
            Err(StoreError::Corrupt {
                sequence: 1,
                reason: DecodeError::Malformed { .. },
                ..
            })
        ));
    }
}
