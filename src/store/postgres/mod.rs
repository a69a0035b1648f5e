//! An event store, an ordered feed and a durable agenda on a PostgreSQL server
//! (feature `postgres`).

mod agenda;
mod sql;

pub use agenda::{AgendaClaim, agenda_from_feed};

use crate::actor::ActorRef;
use crate::case::Event;
use crate::history::chain::{self, ChainWalk};
use crate::history::{
    CURRENT_SCHEMA_VERSION, DecodeError, Redaction, RedactionPolicy, RedactionRequest, StoredEvent,
    Upcasters, kind_from_text,
};
use crate::id::CaseId;
use crate::policy::Policy;
use crate::store::{
    EventStore, Position, RecordedEvent, StoreError, encode_batch, redact_history, redaction_record,
};
use chrono::{DateTime, SecondsFormat, Utc};
use postgres::error::SqlState;
use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, GenericClient, NoTls, Row, Statement};
use serde_json::Value;
use sql::{LAYOUT_VERSION, Sql};
use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;
use typed_builder::TypedBuilder;

/// How to reach the server and where to keep the tables.
///
/// ```
/// use service_recovery::store::PostgresOptions;
///
/// let options = PostgresOptions::builder()
///     .connection("host=127.0.0.1 port=5432 user=postgres dbname=helpdesk")
///     .schema("recovery")
///     .build();
/// assert_eq!(options.pool_size, 8);
/// assert!(options.notify);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, TypedBuilder)]
pub struct PostgresOptions {
    /// The connection string, as `libpq` takes it: key-value
    /// (`host=127.0.0.1 port=5432 user=postgres dbname=helpdesk`) or a URL
    /// (`postgresql://postgres@127.0.0.1:5432/helpdesk`). TLS is not offered: connect
    /// through a local socket, a private network or a TLS-terminating proxy.
    #[builder(setter(into))]
    pub connection: String,
    /// The PostgreSQL schema (namespace) holding the store's tables; created if
    /// missing. Lower-case letters, digits and `_`, starting with a letter, at most
    /// 40 characters. Default: `service_recovery`.
    #[builder(default = "service_recovery".to_owned(), setter(into))]
    pub schema: String,
    /// How many connections the store's pool keeps at most: the number of appends and
    /// reads that can run at once. Default: 8.
    #[builder(default = 8)]
    pub pool_size: u32,
    /// How long a call waits for a free connection (or for the server) before it fails
    /// with [`StoreError::Backend`]. Default: 10 seconds.
    #[builder(default = Duration::from_secs(10))]
    pub connect_timeout: Duration,
    /// Whether every append sends a notification that wakes
    /// [`FeedListener`]s. Default: on. Turn it off where nothing listens: a
    /// notifying commit briefly takes a database-wide lock.
    #[builder(default = true)]
    pub notify: bool,
}

/// Histories of cases on a PostgreSQL server that many application servers share,
/// with an ordered feed and, with [`with_agenda`](Self::with_agenda), a durable
/// agenda of due follow-up work that workers claim.
///
/// It gives the guarantees of `SqliteStore`:
///
/// - Each event is a row of table `events` with a `UNIQUE (case_id, sequence)`
///   constraint, so two writers can never both store event *n* of a case.
/// - An append is one transaction: it reads the case's version, refuses with
///   [`StoreError::Conflict`] if it is not the expected one, and writes every event
///   (and the case's agenda items) or nothing. Two appends that race past the version
///   check meet at the unique constraint; the loser gets the `Conflict`.
/// - Stored rows that cannot be read are [`StoreError::Corrupt`], naming the case and
///   the sequence number; old schema versions are upcast; redaction rewrites payloads
///   in place. (Until `VACUUM` reclaims them, the old row versions remain in the
///   table's files and in the write-ahead log; run `VACUUM` after a redaction.)
/// - Each row keeps its event's [hash-chain link](crate::history::chain) in column
///   `link`, computed in the append's transaction from the case's last link, and
///   [`load`](EventStore::load) checks the chain (see
///   [`verify_on_load`](Self::verify_on_load)): a row edited, inserted, deleted or
///   moved with SQL is reported as [`StoreError::Tampered`]. Tables from earlier
///   versions gain the column when the store connects; their rows keep no link, and
///   each case's chain starts at its first event appended afterwards.
///
/// # The feed, and commits out of order
///
/// A plain sequence cannot order a feed: transaction A takes number 7, transaction B
/// takes 8 and commits first, a reader sees 8 and moves past 7, then A commits and 7
/// is never read. Here every row also records the id of the transaction that wrote
/// it, and [`read_all`](EventStore::read_all) orders by (transaction id, row id) and
/// reads only rows of transactions older than the oldest transaction still running
/// on the server (`pg_snapshot_xmin(pg_current_snapshot())`). Every such transaction
/// has finished, so no row can ever appear before a position already handed out.
/// Appends still commit in parallel (no lock is held across commits); the price is
/// that a long-running transaction anywhere on the server delays the feed (never
/// reorders it) until it ends.
///
/// A reader waits for new events with a [`FeedListener`] (`LISTEN`/`NOTIFY`), and
/// falls back to polling when a notification is lost: see
/// [`read_all_waiting`](Self::read_all_waiting).
///
/// # Durability
///
/// An append returns after PostgreSQL has committed it, with the server's own
/// durability setting. With `synchronous_commit = on` (PostgreSQL's default) a
/// committed append survives a crash of the server or the machine. With
/// `synchronous_commit = off` commits return before the write-ahead log reaches the
/// disk: several times more appends per second on slow disks, but a crash can lose
/// the last few hundred milliseconds of acknowledged appends (never corrupt the
/// database, and never keep half an append). A host chooses per database or role,
/// for example `ALTER ROLE helpdesk SET synchronous_commit = off`, knowing that a
/// promise recorded in the lost window is forgotten.
///
/// # Async hosts
///
/// The store is synchronous (the [`EventStore`] trait is), built on the `postgres`
/// crate, which runs its own small runtime per connection and must not be called
/// from inside an async task. An async host (tokio, axum, actix) runs each call on
/// the blocking pool, sharing the store through an `Arc`:
///
/// ```ignore
/// let store = Arc::new(PostgresStore::connect(options)?);
/// let service = Arc::new(CommandService::new(store, policy, RetryPolicy::default()));
/// let events = tokio::task::spawn_blocking(move || service.handle(&case, &command, &actor, now)).await??;
/// ```
///
/// # Connecting
///
/// ```no_run
/// use service_recovery::store::{EventStore, PostgresOptions, PostgresStore};
/// use service_recovery::Policy;
///
/// # fn main() -> Result<(), service_recovery::store::StoreError> {
/// let options = PostgresOptions::builder()
///     .connection("host=127.0.0.1 port=5432 user=postgres dbname=helpdesk")
///     .build();
/// let store = PostgresStore::connect(options)?.with_agenda(&Policy::default());
/// println!("{} cases", store.list_cases()?.len());
/// # Ok(())
/// # }
/// ```
pub struct PostgresStore {
    pool: r2d2::Pool<Connector>,
    options: PostgresOptions,
    config: postgres::Config,
    sql: Sql,
    upcasters: Upcasters,
    agenda: Option<Policy>,
    verify: bool,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("schema", &self.options.schema)
            .field("pool_size", &self.options.pool_size)
            .field("agenda", &self.agenda.is_some())
            .finish_non_exhaustive()
    }
}

/// Opens the pool's connections.
#[derive(Debug)]
struct Connector {
    config: postgres::Config,
}

/// One pooled connection and the statements prepared on it, so that each statement
/// is parsed once per connection rather than once per call.
struct Session {
    client: Client,
    statements: HashMap<String, Statement>,
}

impl Session {
    fn statement(&mut self, sql: &str) -> Result<Statement, StoreError> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql).map_err(backend)?;
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }
}

impl r2d2::ManageConnection for Connector {
    type Connection = Session;
    type Error = postgres::Error;

    fn connect(&self) -> Result<Session, postgres::Error> {
        Ok(Session {
            client: self.config.connect(NoTls)?,
            statements: HashMap::new(),
        })
    }

    fn is_valid(&self, session: &mut Session) -> Result<(), postgres::Error> {
        session.client.simple_query("").map(|_| ())
    }

    fn has_broken(&self, session: &mut Session) -> bool {
        session.client.is_closed()
    }
}

pub(super) fn backend(error: impl std::fmt::Display) -> StoreError {
    StoreError::Backend {
        reason: error.to_string(),
    }
}

fn to_sql_int(n: u64) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| backend(format!("{n} does not fit in a PostgreSQL bigint")))
}

fn is_unique_violation(error: &postgres::Error) -> bool {
    error.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

fn valid_schema(schema: &str) -> bool {
    let mut chars = schema.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && schema.len() <= 40
}

impl PostgresStore {
    /// Connects, and creates the schema and its tables if they are missing. Several
    /// processes may do this at once.
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] if the connection string or the schema name is not
    /// valid, the server cannot be reached, or the tables were written by a newer
    /// version of this crate.
    pub fn connect(options: PostgresOptions) -> Result<Self, StoreError> {
        if !valid_schema(&options.schema) {
            return Err(backend(format!(
                "the schema name \"{}\" is not valid: use lower-case letters, digits and _, starting with a letter, at most 40 characters",
                options.schema
            )));
        }
        let config = postgres::Config::from_str(&options.connection)
            .map_err(|e| backend(format!("the connection string is not valid: {e}")))?;
        let mut connector_config = config.clone();
        connector_config.connect_timeout(options.connect_timeout);
        let pool = r2d2::Pool::builder()
            .max_size(options.pool_size.max(1))
            .min_idle(Some(0))
            .connection_timeout(options.connect_timeout)
            .build(Connector {
                config: connector_config,
            })
            .map_err(backend)?;
        let store = Self {
            pool,
            sql: Sql::new(&options.schema),
            config,
            options,
            upcasters: Upcasters::default(),
            agenda: None,
            verify: true,
        };
        store.create_schema()?;
        Ok(store)
    }

    fn create_schema(&self) -> Result<(), StoreError> {
        let mut session = self.session()?;
        let mut transaction = session.client.transaction().map_err(backend)?;
        // `CREATE ... IF NOT EXISTS` is not safe against a concurrent twin: serialize
        // the processes that set up the same schema.
        transaction
            .execute(
                "SELECT pg_advisory_xact_lock(hashtext($1))",
                &[&self.options.schema],
            )
            .map_err(backend)?;
        transaction
            .batch_execute(&self.sql.create)
            .map_err(backend)?;
        let layout: i32 = transaction
            .query_one(&self.sql.layout, &[])
            .and_then(|row| row.try_get(0))
            .map_err(backend)?;
        if layout > LAYOUT_VERSION {
            return Err(backend(format!(
                "the tables in schema {} were written by a newer version of this crate (layout {layout}; this version knows layout {LAYOUT_VERSION})",
                self.options.schema
            )));
        }
        if layout < LAYOUT_VERSION {
            transaction
                .batch_execute(&self.sql.set_layout)
                .map_err(backend)?;
        }
        transaction.commit().map_err(backend)
    }

    /// Reads with `upcasters` instead of the built-in ones.
    #[must_use]
    pub fn with_upcasters(mut self, upcasters: Upcasters) -> Self {
        self.upcasters = upcasters;
        self
    }

    /// Whether [`load`](EventStore::load) checks each history's
    /// [hash chain](crate::history::chain). Default: on, because a chain nobody checks
    /// detects nothing; the check costs one SHA-256 per event loaded. Turn it off only
    /// where loading speed matters more and the host audits with
    /// [`chain`](EventStore::chain) instead.
    #[must_use]
    pub fn verify_on_load(mut self, verify: bool) -> Self {
        self.verify = verify;
        self
    }

    /// Keeps the durable agenda: every append also writes, in the same transaction,
    /// the follow-up items its case now calls for under `policy` (the items the
    /// in-memory [`Agenda`](crate::schedule::Agenda) would list for it), so that
    /// workers can [`claim_due`](Self::claim_due) them. Every process appending to the
    /// database must use the same policy.
    #[must_use]
    pub fn with_agenda(mut self, policy: &Policy) -> Self {
        self.agenda = Some(policy.clone());
        self
    }

    /// The options the store was opened with.
    pub fn options(&self) -> &PostgresOptions {
        &self.options
    }

    /// A connection outside the pool that listens for appends, to wait for new
    /// events without polling.
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] if the server cannot be reached.
    pub fn listen(&self) -> Result<FeedListener, StoreError> {
        let mut config = self.config.clone();
        config.connect_timeout(self.options.connect_timeout);
        let mut client = config.connect(NoTls).map_err(backend)?;
        client
            .batch_execute(&format!("LISTEN {}", self.sql.channel))
            .map_err(backend)?;
        Ok(FeedListener { client })
    }

    /// Like [`read_all`](EventStore::read_all), but when nothing is there yet, waits
    /// for an append (through `listener`) for at most `max_wait`, then reads again.
    /// A notification that is lost, or that arrives while an older transaction still
    /// holds the feed back, costs at most `max_wait`: the second read is a poll.
    ///
    /// # Errors
    ///
    /// As [`read_all`](EventStore::read_all); [`StoreError::Backend`] if the
    /// listener's connection fails.
    pub fn read_all_waiting(
        &self,
        listener: &mut FeedListener,
        after: Position,
        limit: usize,
        max_wait: Duration,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let read = self.read_all(after, limit)?;
        if !read.is_empty() || limit == 0 {
            return Ok(read);
        }
        listener.wait(max_wait)?;
        self.read_all(after, limit)
    }

    fn session(&self) -> Result<r2d2::PooledConnection<Connector>, StoreError> {
        self.pool.get().map_err(|e| {
            backend(format!(
                "no connection to PostgreSQL could be had within {:?}: {e}",
                self.options.connect_timeout
            ))
        })
    }

    /// The history of a case as stored, read inside `client`'s transaction.
    fn stored_history(
        &self,
        client: &mut impl GenericClient,
        statement: &Statement,
        case: &CaseId,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        client
            .query(statement, &[&case.as_str()])
            .map_err(backend)?
            .iter()
            .map(|row| read_row(case, row, 0)?.into_stored())
            .collect()
    }
}

/// A connection that waits for appends to the store: see
/// [`PostgresStore::listen`] and [`PostgresStore::read_all_waiting`].
pub struct FeedListener {
    client: Client,
}

impl std::fmt::Debug for FeedListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeedListener").finish_non_exhaustive()
    }
}

impl FeedListener {
    /// Waits until an append commits, or `timeout` passes. Returns whether an append
    /// was announced. Announcements that piled up are taken together.
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] if the connection fails.
    pub fn wait(&mut self, timeout: Duration) -> Result<bool, StoreError> {
        let mut notifications = self.client.notifications();
        let announced = notifications
            .timeout_iter(timeout)
            .next()
            .map_err(backend)?
            .is_some();
        // Drain the ones already here without waiting: one read covers them all.
        while notifications.iter().next().map_err(backend)?.is_some() {}
        Ok(announced)
    }
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

fn corrupt(case: &CaseId, sequence: u64, reason: DecodeError) -> StoreError {
    StoreError::Corrupt {
        case: case.clone(),
        sequence,
        reason,
    }
}

/// Reads the eight envelope columns (the link last) starting at `first`. Whatever is wrong with a
/// row that has a sequence number is reported as that event being corrupt.
fn read_row(case: &CaseId, row: &Row, first: usize) -> Result<StoredRow, StoreError> {
    let column = |n: usize| first.saturating_add(n);
    let sequence: i64 = row.try_get(column(0)).map_err(backend)?;
    let sequence = u64::try_from(sequence).map_err(backend)?;
    let corrupt = |detail: String| corrupt(case, sequence, DecodeError::Malformed { detail });
    let text = |n: usize| -> Result<String, StoreError> {
        row.try_get::<_, String>(column(n)).map_err(backend)
    };
    let schema_version: i32 = row.try_get(column(2)).map_err(backend)?;
    let schema_version = u32::try_from(schema_version).map_err(|_| {
        corrupt(format!(
            "its schema version {schema_version} is out of range"
        ))
    })?;
    let at = text(3)?;
    let at = DateTime::parse_from_rfc3339(&at)
        .map_err(|e| corrupt(format!("its time \"{at}\" is not an RFC 3339 time: {e}")))?
        .with_timezone(&Utc);
    Ok(StoredRow {
        case: case.clone(),
        sequence,
        event_type: text(1)?,
        schema_version,
        at,
        actor: ActorRef::new(text(4)?, text(5)?),
        payload: text(6)?,
        link: row
            .try_get::<_, Option<String>>(column(7))
            .map_err(backend)?,
    })
}

impl StoredRow {
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

impl EventStore for PostgresStore {
    fn append(
        &self,
        case: &CaseId,
        expected_version: u64,
        events: &[Event],
    ) -> Result<u64, StoreError> {
        let mut stored = encode_batch(case, expected_version, events)?;
        let new_version = expected_version.saturating_add(stored.len() as u64);
        to_sql_int(new_version)?;
        let mut session = self.session()?;
        let insert = session.statement(&self.sql.insert_event)?;
        let select_version = session.statement(&self.sql.select_version)?;
        let select_head = session.statement(&self.sql.select_head)?;
        let select_events = session.statement(&self.sql.select_events)?;
        let agenda = match &self.agenda {
            Some(_) => Some(agenda::Statements::prepare(&mut session, &self.sql)?),
            None => None,
        };
        let notify = if self.options.notify {
            Some(session.statement(&self.sql.notify)?)
        } else {
            None
        };
        let mut transaction = session.client.transaction().map_err(backend)?;
        // With an agenda the whole history is needed anyway; without, the version and
        // the last link are.
        let history = match &self.agenda {
            Some(_) => Some(self.stored_history(&mut transaction, &select_events, case)?),
            None => None,
        };
        let (actual, previous) = match &history {
            Some(history) => history
                .last()
                .map_or((0, None), |e| (e.sequence, e.link.clone())),
            None => match transaction
                .query_opt(&select_head, &[&case.as_str()])
                .map_err(backend)?
            {
                Some(row) => {
                    let version: i64 = row.try_get(0).map_err(backend)?;
                    let link: Option<String> = row.try_get(1).map_err(backend)?;
                    (u64::try_from(version).map_err(backend)?, link)
                }
                None => (0, None),
            },
        };
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
        chain::seal(previous.as_deref(), &mut stored);
        for event in &stored {
            let sequence = to_sql_int(event.sequence)?;
            let schema_version = i32::try_from(event.schema_version).map_err(backend)?;
            let result = transaction.execute(
                &insert,
                &[
                    &case.as_str(),
                    &sequence,
                    &event.event_type,
                    &schema_version,
                    &timestamp(event.at),
                    &event.actor.id.as_str(),
                    &event.actor.name.as_ref(),
                    &event.payload.to_string(),
                    &event.link,
                ],
            );
            if let Err(error) = result {
                if !is_unique_violation(&error) {
                    return Err(backend(error));
                }
                // Another append won the race past the version check; its rows are
                // the truth, and ours are rolled back.
                drop(transaction);
                let version: i64 = session
                    .client
                    .query_one(&select_version, &[&case.as_str()])
                    .and_then(|row| row.try_get(0))
                    .map_err(backend)?;
                return Err(StoreError::Conflict {
                    case: case.clone(),
                    expected: expected_version,
                    actual: u64::try_from(version).map_err(backend)?,
                });
            }
        }
        if let (Some(policy), Some(statements), Some(history)) = (&self.agenda, &agenda, history) {
            let mut all = crate::store::decode_all(history, &self.upcasters, false)?;
            all.extend_from_slice(events);
            let items = agenda::items_of(policy, case, &all);
            statements.replace_items(&mut transaction, case, &items)?;
        }
        if let Some(notify) = &notify {
            transaction.execute(notify, &[]).map_err(backend)?;
        }
        transaction.commit().map_err(backend)?;
        Ok(new_version)
    }

    fn load(&self, case: &CaseId) -> Result<Vec<Event>, StoreError> {
        let mut session = self.session()?;
        let statement = session.statement(&self.sql.select_events)?;
        let rows = session
            .client
            .query(&statement, &[&case.as_str()])
            .map_err(backend)?;
        if !self.verify {
            return rows
                .iter()
                .map(|row| read_row(case, row, 0)?.into_event(&self.upcasters))
                .collect();
        }
        // Row by row, so that the first problem in the history (unreadable or
        // tampered) is the one reported.
        let mut walk = ChainWalk::default();
        rows.iter()
            .map(|row| {
                let stored = read_row(case, row, 0)?.into_stored()?;
                walk.check(&stored)?;
                let sequence = stored.sequence;
                stored
                    .into_event(&self.upcasters)
                    .map_err(|reason| corrupt(case, sequence, reason))
            })
            .collect()
    }

    fn load_stored(&self, case: &CaseId) -> Result<Vec<StoredEvent>, StoreError> {
        let mut session = self.session()?;
        let statement = session.statement(&self.sql.select_events)?;
        self.stored_history(&mut session.client, &statement, case)
    }

    fn list_cases(&self) -> Result<Vec<CaseId>, StoreError> {
        let mut session = self.session()?;
        let statement = session.statement(&self.sql.list_cases)?;
        session
            .client
            .query(&statement, &[])
            .map_err(backend)?
            .iter()
            .map(|row| {
                row.try_get::<_, String>(0)
                    .map(CaseId::new)
                    .map_err(backend)
            })
            .collect()
    }

    fn redact(
        &self,
        case: &CaseId,
        policy: &RedactionPolicy,
        request: &RedactionRequest,
    ) -> Result<Redaction, StoreError> {
        let mut session = self.session()?;
        let select_events = session.statement(&self.sql.select_events)?;
        let update = session.statement(&self.sql.update_payload)?;
        let insert = session.statement(&self.sql.insert_redaction)?;
        let mut transaction = session.client.transaction().map_err(backend)?;
        // Two redactions of one case run one after the other.
        transaction
            .execute(
                "SELECT pg_advisory_xact_lock(hashtext($1))",
                &[&case.as_str()],
            )
            .map_err(backend)?;
        let history = self.stored_history(&mut transaction, &select_events, case)?;
        if history.is_empty() {
            return Err(StoreError::UnknownCase { case: case.clone() });
        }
        let redacted = redact_history(&history, policy, &self.upcasters)?;
        let record = redaction_record(case, request, &redacted);
        for event in &redacted.changed {
            let schema_version = i32::try_from(event.schema_version).map_err(backend)?;
            transaction
                .execute(
                    &update,
                    &[
                        &event.event_type,
                        &schema_version,
                        &event.payload.to_string(),
                        &event.link,
                        &case.as_str(),
                        &to_sql_int(event.sequence)?,
                    ],
                )
                .map_err(backend)?;
        }
        let events = serde_json::to_string(&record.events).map_err(backend)?;
        transaction
            .execute(
                &insert,
                &[
                    &case.as_str(),
                    &timestamp(record.at),
                    &record.by.id.as_str(),
                    &record.by.name.as_ref(),
                    &record.reason,
                    &events,
                    &to_sql_int(record.values)?,
                ],
            )
            .map_err(backend)?;
        transaction.commit().map_err(backend)?;
        Ok(record)
    }

    fn redactions(&self, case: &CaseId) -> Result<Vec<Redaction>, StoreError> {
        let mut session = self.session()?;
        let statement = session.statement(&self.sql.select_redactions)?;
        let rows = session
            .client
            .query(&statement, &[&case.as_str()])
            .map_err(backend)?;
        rows.iter()
            .map(|row| {
                let text = |n: usize| row.try_get::<_, String>(n).map_err(backend);
                let values: i64 = row.try_get(5).map_err(backend)?;
                Ok(Redaction {
                    case: case.clone(),
                    by: ActorRef::new(text(1)?, text(2)?),
                    at: DateTime::parse_from_rfc3339(&text(0)?)
                        .map_err(backend)?
                        .with_timezone(&Utc),
                    reason: text(3)?,
                    events: serde_json::from_str(&text(4)?).map_err(backend)?,
                    values: u64::try_from(values).map_err(backend)?,
                })
            })
            .collect()
    }

    fn read_all(&self, after: Position, limit: usize) -> Result<Vec<RecordedEvent>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut session = self.session()?;
        let statement = session.statement(&self.sql.select_feed)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = session
            .client
            .query(
                &statement,
                &[
                    &to_sql_int(after.transaction)?,
                    &to_sql_int(after.event)?,
                    &limit,
                ],
            )
            .map_err(backend)?;
        rows.iter()
            .map(|row| {
                let transaction: i64 = row.try_get(8).map_err(backend)?;
                let id: i64 = row.try_get(9).map_err(backend)?;
                let case = CaseId::new(row.try_get::<_, String>(10).map_err(backend)?);
                let mut stored = read_row(&case, row, 0)?;
                let link = stored.link.take();
                let event = stored.into_event(&self.upcasters)?;
                Ok(RecordedEvent {
                    position: Position::new(
                        u64::try_from(transaction).map_err(backend)?,
                        u64::try_from(id).map_err(backend)?,
                    ),
                    case,
                    event,
                    link,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_are_plain_identifiers() {
        assert!(valid_schema("service_recovery"));
        assert!(valid_schema("t1"));
        assert!(!valid_schema(""));
        assert!(!valid_schema("1t"));
        assert!(!valid_schema("Recovery"));
        assert!(!valid_schema("a; DROP TABLE x"));
        assert!(!valid_schema(&"a".repeat(41)));
        assert!(valid_schema(&"a".repeat(40)));
    }

    #[test]
    fn a_bad_schema_name_is_refused_before_connecting() {
        let options = PostgresOptions::builder()
            .connection("host=127.0.0.1")
            .schema("a-b")
            .build();
        let error = PostgresStore::connect(options).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the event store failed: the schema name \"a-b\" is not valid: use lower-case letters, digits and _, starting with a letter, at most 40 characters"
        );
    }
}
