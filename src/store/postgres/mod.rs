//! An event store, an ordered feed and a durable agenda on a PostgreSQL server
//! (feature `postgres`).

mod agenda;
mod known;
mod notifier;
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
    EventStore, Position, RecordedEvent, StoreError, decode_one, encode_batch, redact_history,
    redaction_record,
};
use chrono::{DateTime, SecondsFormat, Utc};
use known::{Known, KnownHistory, KnownRow};
use notifier::Notifier;
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
    /// Whether appends send notifications that wake [`FeedListener`]s. Default: on.
    /// They are sent after the appends commit, by a thread of the store's own with a
    /// connection of its own (outside the pool), one notification for all appends
    /// that committed while the previous one was being sent. Turn it off where
    /// nothing listens.
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
/// - An append is one transaction, and one statement: it checks that the case still
///   ends at the expected version (with the last link the append built on), refuses
///   with [`StoreError::Conflict`] if not, and writes every event (and the case's
///   agenda items) or nothing. Two appends that race past the version check meet at
///   the unique constraint; the loser gets the `Conflict`.
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
/// # What a command costs
///
/// Through [`CommandService`](crate::store::CommandService) a command is two round
/// trips to the server: the load, and the append's one statement (its own
/// transaction: no `BEGIN`, no `COMMIT`). Taking a connection from the pool sends
/// nothing (a connection that died while idle fails the one call that takes it, with
/// [`StoreError::Backend`], and is then dropped). The store remembers the last
/// histories it loaded or wrote (up to 256 cases), row by row as the server holds
/// them:
///
/// - a load still reads every row of the case, and compares each, byte for byte,
///   with the row it knows; only rows that differ or are new are decoded and have
///   their links checked, from the last known link. A row edited in the database no
///   longer equals the known one, so it is checked, and tampering is still found on
///   the next load;
/// - an append to the version it loaded builds on the known history (the agenda is
///   computed from it, the new links from its last link), and its statement confirms
///   on the server that the case still ends at that version with that link;
///   otherwise it reads the history again (one more round trip).
///
/// Notifications for [`FeedListener`]s are sent after the append commits, from a
/// thread of the store's own, because PostgreSQL commits the transactions that
/// notify one at a time, each waiting for its own disk flush.
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
/// Concurrent appends share disk flushes on their own (group commit: one flush
/// covers every commit waiting for it). `commit_delay` (microseconds) and
/// `commit_siblings` make the flushing commit wait a little for more commits to
/// join it when at least `commit_siblings` other transactions are running: fewer
/// flushes and more appends per second under load, at the price of up to
/// `commit_delay` more latency per commit. Durability is unchanged: every append
/// still returns only once it is on disk. It pays when commits arrive spread out
/// over a flush; when every writer is already waiting for the flush in progress
/// (few writers, a slow disk) it only adds latency: measure before setting it.
///
/// A writer that runs one command at a time waits for one flush per command, so
/// with `n` writers and a flush taking `f`, about `n / f` commands per second is the
/// ceiling however fast the rest is (8 writers and a 4 ms flush: 2,000 per second).
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
    known: Known,
    notifier: Option<Notifier>,
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
        // No test query when a connection is taken from the pool: it would cost a round
        // trip per call. A connection that died while idle (the server restarted) fails
        // the one call that takes it, with `StoreError::Backend`, and is then dropped.
        let pool = r2d2::Pool::builder()
            .max_size(options.pool_size.max(1))
            .min_idle(Some(0))
            .test_on_check_out(false)
            .connection_timeout(options.connect_timeout)
            .build(Connector {
                config: connector_config,
            })
            .map_err(backend)?;
        let sql = Sql::new(&options.schema);
        let notifier = if options.notify {
            let notifier = Notifier::start(config.clone(), sql.notify.clone())
                .map_err(|e| backend(format!("the notifying thread cannot start: {e}")))?;
            Some(notifier)
        } else {
            None
        };
        let store = Self {
            pool,
            sql,
            config,
            options,
            upcasters: Upcasters::default(),
            agenda: None,
            verify: true,
            known: Known::default(),
            notifier,
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
    /// detects nothing; the check costs one SHA-256 per event loaded that this store
    /// has not already checked or written, byte for byte as it is stored (see
    /// [what a command costs](Self#what-a-command-costs)). Turn it off only
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

/// What an append builds on: the case's version, its last link and (for the agenda)
/// its events.
enum Base {
    /// As this process last loaded and checked, or wrote, it.
    Known(KnownHistory),
    /// As read for this append.
    Read {
        version: u64,
        head: Option<String>,
        events: Vec<Event>,
    },
}

impl Base {
    fn version(&self) -> u64 {
        match self {
            Base::Known(history) => history.version(),
            Base::Read { version, .. } => *version,
        }
    }

    fn head(&self) -> Option<&str> {
        match self {
            Base::Known(history) => history.head(),
            Base::Read { head, .. } => head.as_deref(),
        }
    }

    fn events(&self) -> Box<dyn Iterator<Item = &Event> + '_> {
        match self {
            Base::Known(history) => Box::new(history.events()),
            Base::Read { events, .. } => Box::new(events.iter()),
        }
    }
}

/// What the append statement did.
enum Written {
    /// It stored the events: here as the rows it wrote.
    Appended(Vec<KnownRow>),
    /// It stored nothing: the case had moved on to `version`, or ends there with
    /// another link than the one the append built on.
    Moved { version: u64 },
}

impl PostgresStore {
    /// The case's version and last link.
    fn head(
        &self,
        session: &mut Session,
        case: &CaseId,
    ) -> Result<(u64, Option<String>), StoreError> {
        let select_head = session.statement(&self.sql.select_head)?;
        match session
            .client
            .query_opt(&select_head, &[&case.as_str()])
            .map_err(backend)?
        {
            Some(row) => {
                let version: i64 = row.try_get(0).map_err(backend)?;
                let link: Option<String> = row.try_get(1).map_err(backend)?;
                Ok((u64::try_from(version).map_err(backend)?, link))
            }
            None => Ok((0, None)),
        }
    }

    /// The case as an append that this process knows nothing about builds on it:
    /// with an agenda, the whole history (the agenda is computed from it); without,
    /// the version and last link. The rows are decoded, not checked: the append only
    /// computes with them, and its statement confirms that they are still the case's.
    fn read_base(&self, session: &mut Session, case: &CaseId) -> Result<Base, StoreError> {
        if self.agenda.is_none() {
            let (version, head) = self.head(session, case)?;
            return Ok(Base::Read {
                version,
                head,
                events: Vec::new(),
            });
        }
        let select_events = session.statement(&self.sql.select_events)?;
        let rows = session
            .client
            .query(&select_events, &[&case.as_str()])
            .map_err(backend)?;
        let mut version = 0;
        let mut head = None;
        let mut events = Vec::with_capacity(rows.len());
        for row in &rows {
            let stored = read_row(case, row, 0)?;
            version = stored.sequence;
            head.clone_from(&stored.link);
            events.push(stored.into_event(&self.upcasters)?);
        }
        Ok(Base::Read {
            version,
            head,
            events,
        })
    }

    /// Runs the append statement for `stored` (the encoded, sealed `events`) on top of
    /// `base`.
    fn write(
        &self,
        session: &mut Session,
        case: &CaseId,
        expected_version: u64,
        base: &Base,
        events: &[Event],
        stored: &[StoredEvent],
    ) -> Result<Written, StoreError> {
        let mut rows = Vec::with_capacity(stored.len());
        for (event, original) in stored.iter().zip(events) {
            rows.push(KnownRow {
                event_type: event.event_type.clone(),
                schema_version: i32::try_from(event.schema_version).map_err(backend)?,
                at: timestamp(event.at),
                actor_id: event.actor.id.as_str().to_owned(),
                actor_name: event.actor.name.to_string(),
                payload: event.payload.to_string(),
                link: event.link.clone(),
                event: original.clone(),
            });
        }
        let sequences = stored
            .iter()
            .map(|event| to_sql_int(event.sequence))
            .collect::<Result<Vec<i64>, _>>()?;
        let column = |get: fn(&KnownRow) -> &str| rows.iter().map(get).collect::<Vec<&str>>();
        let event_types = column(|row| &row.event_type);
        let schema_versions: Vec<i32> = rows.iter().map(|row| row.schema_version).collect();
        let ats = column(|row| &row.at);
        let actor_ids = column(|row| &row.actor_id);
        let actor_names = column(|row| &row.actor_name);
        let payloads = column(|row| &row.payload);
        let links: Vec<Option<&str>> = rows.iter().map(|row| row.link.as_deref()).collect();
        let case_text = case.as_str();
        let expected = to_sql_int(expected_version)?;
        let head = base.head();
        let mut params: Vec<&(dyn postgres::types::ToSql + Sync)> = vec![
            &case_text,
            &expected,
            &head,
            &sequences,
            &event_types,
            &schema_versions,
            &ats,
            &actor_ids,
            &actor_names,
            &payloads,
            &links,
        ];
        let agenda_rows;
        let statement = match &self.agenda {
            Some(policy) => {
                let items = agenda::items_of(policy, case, base.events().chain(events));
                agenda_rows = agenda::rows_of(&items)?;
                params.push(&agenda_rows.0);
                params.push(&agenda_rows.1);
                session.statement(&self.sql.append_with_agenda)?
            }
            None => session.statement(&self.sql.append)?,
        };
        let row = match session.client.query_one(&statement, &params) {
            Ok(row) => row,
            // Another append won the race past the check; its rows are the truth,
            // and nothing of ours was written.
            Err(error) if is_unique_violation(&error) => {
                let (version, _) = self.head(session, case)?;
                return Ok(Written::Moved { version });
            }
            Err(error) => return Err(backend(error)),
        };
        let version: i64 = row.try_get(0).map_err(backend)?;
        let written: i64 = row.try_get(2).map_err(backend)?;
        if written == 0 {
            return Ok(Written::Moved {
                version: u64::try_from(version).map_err(backend)?,
            });
        }
        Ok(Written::Appended(rows))
    }

    /// Whether the `fresh` rows read after the `known` ones continue its hash chain.
    /// Any doubt (a row that cannot be read, a gap, a link that does not match) is a
    /// no: the full check then reports the first problem, in history order.
    fn accept_links(&self, case: &CaseId, known: &KnownHistory, fresh: &[Row]) -> bool {
        let mut previous = known.head().map(str::to_owned);
        let mut started = known.chained();
        let mut next = known.version();
        for row in fresh {
            next = next.saturating_add(1);
            let Ok(stored) = read_row(case, row, 0).and_then(StoredRow::into_stored) else {
                return false;
            };
            if stored.sequence != next {
                return false;
            }
            match (&stored.link, started) {
                (None, false) => {}
                (None, true) => return false,
                (Some(link), _) => {
                    if chain::link(previous.as_deref(), &stored) != *link {
                        return false;
                    }
                    started = true;
                    previous = Some(link.clone());
                }
            }
        }
        true
    }

    /// Loads `rows` checking every link from the first event, row by row, so that the
    /// first problem in the history (unreadable or tampered) is the one reported.
    fn load_checked(&self, case: &CaseId, rows: &[Row]) -> Result<Vec<Event>, StoreError> {
        let mut walk = ChainWalk::default();
        let mut history = KnownHistory::default();
        for row in rows {
            let event = read_row(case, row, 0)?.into_verified_event(&mut walk, &self.upcasters)?;
            history
                .rows
                .push(KnownRow::read(row, event).map_err(backend)?);
        }
        let events = history.events().cloned().collect();
        self.known.keep(case, history);
        Ok(events)
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
        let payload = self.payload_tree()?;
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

    fn payload_tree(&self) -> Result<Value, StoreError> {
        serde_json::from_str(&self.payload).map_err(|e| {
            let detail = format!("its payload is not JSON: {e}");
            corrupt(&self.case, self.sequence, DecodeError::Malformed { detail })
        })
    }

    /// The event, once its place in the hash chain `walk` is checking is confirmed.
    /// The chain needs the payload as a tree; the event is still read from the text
    /// (the fast path). As in `verified_event`, an event that breaks the chain is
    /// [`StoreError::Tampered`] even if it also cannot be read.
    fn into_verified_event(
        self,
        walk: &mut ChainWalk,
        upcasters: &Upcasters,
    ) -> Result<Event, StoreError> {
        let stored = StoredEvent {
            case: self.case.clone(),
            sequence: self.sequence,
            event_type: self.event_type.clone(),
            schema_version: self.schema_version,
            at: self.at,
            actor: self.actor.clone(),
            payload: self.payload_tree()?,
            link: self.link.clone(),
        };
        walk.check(&stored)?;
        if self.schema_version == CURRENT_SCHEMA_VERSION {
            drop(stored);
            self.into_event(upcasters)
        } else {
            decode_one(stored, upcasters)
        }
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
        if stored.is_empty() {
            let (actual, _) = self.head(&mut session, case)?;
            return if actual == expected_version {
                Ok(actual)
            } else {
                Err(StoreError::Conflict {
                    case: case.clone(),
                    expected: expected_version,
                    actual,
                })
            };
        }
        // The history this process loaded (and checked) or wrote last, if the command
        // was decided against it; otherwise it is read now.
        let mut known = self
            .known
            .take(case)
            .filter(|history| history.version() == expected_version);
        loop {
            let remembered = known.is_some();
            let base = match known.take() {
                Some(history) => Base::Known(history),
                None => self.read_base(&mut session, case)?,
            };
            let version = base.version();
            if version != expected_version {
                return Err(StoreError::Conflict {
                    case: case.clone(),
                    expected: expected_version,
                    actual: version,
                });
            }
            chain::seal(base.head(), &mut stored);
            let written =
                self.write(&mut session, case, expected_version, &base, events, &stored)?;
            match written {
                Written::Appended(rows) => {
                    if let Some(notifier) = &self.notifier {
                        notifier.announce();
                    }
                    if let Base::Known(mut history) = base {
                        history.rows.extend(rows);
                        self.known.keep(case, history);
                    }
                    return Ok(new_version);
                }
                // A redaction beyond the standard fields re-linked the case since it
                // was loaded: read it again.
                Written::Moved { version, .. } if version == expected_version && remembered => {}
                Written::Moved { version, .. } => {
                    return Err(StoreError::Conflict {
                        case: case.clone(),
                        expected: expected_version,
                        actual: version,
                    });
                }
            }
        }
    }

    fn load(&self, case: &CaseId) -> Result<Vec<Event>, StoreError> {
        let rows = {
            let mut session = self.session()?;
            let statement = session.statement(&self.sql.select_events)?;
            session
                .client
                .query(&statement, &[&case.as_str()])
                .map_err(backend)?
        };
        // Rows exactly as this process last checked or wrote them are taken as they
        // are; the rest are decoded, and their links checked from there.
        let mut history = self.known.take(case).unwrap_or_default();
        let same = history
            .rows
            .iter()
            .zip(&rows)
            .take_while(|(known, row)| known.matches(row))
            .count();
        history.rows.truncate(same);
        let fresh = rows.get(same..).unwrap_or_default();
        if self.verify && !self.accept_links(case, &history, fresh) {
            // Some row breaks the chain: the full check names the first that does.
            return self.load_checked(case, &rows);
        }
        for row in fresh {
            let event = read_row(case, row, 0)?.into_event(&self.upcasters)?;
            history
                .rows
                .push(KnownRow::read(row, event).map_err(backend)?);
        }
        let events = history.events().cloned().collect();
        self.known.keep(case, history);
        Ok(events)
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
        self.known.forget(case);
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
