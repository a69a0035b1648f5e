//! The SQL the PostgreSQL store runs, with its schema's name spliced in once.

/// The layout of the tables this version of the crate writes, kept in table `layout`.
/// A database with a newer layout is refused rather than misread. Layout 2 added the
/// `link` column (the hash chain); rows written before it keep a `NULL` link.
pub(super) const LAYOUT_VERSION: i32 = 2;

/// Every statement, schema-qualified.
#[derive(Debug)]
pub(super) struct Sql {
    pub(super) channel: String,
    pub(super) create: String,
    pub(super) layout: String,
    pub(super) set_layout: String,
    pub(super) append: String,
    pub(super) append_with_agenda: String,
    pub(super) select_events: String,
    pub(super) select_head: String,
    pub(super) select_feed: String,
    pub(super) list_cases: String,
    pub(super) update_payload: String,
    pub(super) insert_redaction: String,
    pub(super) select_redactions: String,
    pub(super) notify: String,
    pub(super) agenda_of_case: String,
    pub(super) agenda_delete: String,
    pub(super) agenda_insert: String,
    pub(super) agenda_claim: String,
    pub(super) agenda_complete: String,
    pub(super) agenda_release: String,
    pub(super) agenda_all: String,
}

impl Sql {
    pub(super) fn new(schema: &str) -> Self {
        let s = schema;
        Self {
            channel: format!("{s}_feed"),
            create: format!(
                "
CREATE SCHEMA IF NOT EXISTS {s};
CREATE TABLE IF NOT EXISTS {s}.layout (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS {s}.events (
    id             BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id BIGINT  NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    case_id        TEXT    NOT NULL,
    sequence       BIGINT  NOT NULL CHECK (sequence >= 1),
    event_type     TEXT    NOT NULL,
    schema_version INTEGER NOT NULL,
    at             TEXT    NOT NULL,
    actor_id       TEXT    NOT NULL,
    actor_name     TEXT    NOT NULL,
    payload        TEXT    NOT NULL,
    link           TEXT,
    CONSTRAINT events_case_sequence UNIQUE (case_id, sequence)
);
ALTER TABLE {s}.events ADD COLUMN IF NOT EXISTS link TEXT;
CREATE INDEX IF NOT EXISTS events_feed ON {s}.events (transaction_id, id);
CREATE TABLE IF NOT EXISTS {s}.redactions (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     TEXT   NOT NULL,
    at          TEXT   NOT NULL,
    by_id       TEXT   NOT NULL,
    by_name     TEXT   NOT NULL,
    reason      TEXT   NOT NULL,
    events      TEXT   NOT NULL,
    value_count BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS redactions_by_case ON {s}.redactions (case_id, id);
CREATE TABLE IF NOT EXISTS {s}.agenda (
    id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id      TEXT        NOT NULL,
    kind         TEXT        NOT NULL,
    due          TIMESTAMPTZ NOT NULL,
    claimed_by   TEXT,
    lease_until  TIMESTAMPTZ,
    claims       INTEGER     NOT NULL DEFAULT 0,
    completed_at TIMESTAMPTZ,
    CONSTRAINT agenda_item UNIQUE (case_id, kind, due)
);
CREATE INDEX IF NOT EXISTS agenda_due ON {s}.agenda (due, id) WHERE completed_at IS NULL;
"
            ),
            layout: format!("SELECT COALESCE(MAX(version), 0) FROM {s}.layout"),
            set_layout: format!(
                "DELETE FROM {s}.layout; INSERT INTO {s}.layout VALUES ({LAYOUT_VERSION})"
            ),
            append: append(s, false),
            append_with_agenda: append(s, true),
            select_events: format!(
                "SELECT sequence, event_type, schema_version, at, actor_id, actor_name, payload, \
                 link FROM {s}.events WHERE case_id = $1 ORDER BY sequence"
            ),
            select_head: format!(
                "SELECT sequence, link FROM {s}.events WHERE case_id = $1 \
                 ORDER BY sequence DESC LIMIT 1"
            ),
            // Only rows of transactions older than every transaction still running are
            // read: no row can later appear before them (see `PostgresStore`).
            select_feed: format!(
                "SELECT sequence, event_type, schema_version, at, actor_id, actor_name, payload, \
                 link, transaction_id, id, case_id FROM {s}.events \
                 WHERE (transaction_id, id) > ($1, $2) \
                 AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint \
                 ORDER BY transaction_id, id LIMIT $3"
            ),
            list_cases: format!("SELECT DISTINCT case_id FROM {s}.events ORDER BY case_id"),
            update_payload: format!(
                "UPDATE {s}.events SET event_type = $1, schema_version = $2, payload = $3, \
                 link = $4 WHERE case_id = $5 AND sequence = $6"
            ),
            insert_redaction: format!(
                "INSERT INTO {s}.redactions (case_id, at, by_id, by_name, reason, events, value_count) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)"
            ),
            select_redactions: format!(
                "SELECT at, by_id, by_name, reason, events, value_count FROM {s}.redactions \
                 WHERE case_id = $1 ORDER BY id"
            ),
            notify: format!("SELECT pg_notify('{s}_feed', '')"),
            agenda_of_case: format!(
                "SELECT id, kind, due FROM {s}.agenda WHERE case_id = $1 FOR UPDATE"
            ),
            agenda_delete: format!("DELETE FROM {s}.agenda WHERE id = ANY($1)"),
            // All of a case's new items in one round trip.
            agenda_insert: format!(
                "INSERT INTO {s}.agenda (case_id, kind, due) \
                 SELECT $1, item.kind, item.due FROM UNNEST($2::text[], $3::timestamptz[]) \
                 AS item (kind, due) \
                 ON CONFLICT ON CONSTRAINT agenda_item DO NOTHING"
            ),
            // SKIP LOCKED: two workers claiming at once take different items instead of
            // waiting for each other.
            agenda_claim: format!(
                "WITH due AS (
                    SELECT id FROM {s}.agenda
                    WHERE completed_at IS NULL AND due <= $1
                      AND (lease_until IS NULL OR lease_until <= $1)
                    ORDER BY due, id LIMIT $2 FOR UPDATE SKIP LOCKED)
                 UPDATE {s}.agenda AS a
                 SET claimed_by = $3, lease_until = $4, claims = a.claims + 1
                 FROM due WHERE a.id = due.id
                 RETURNING a.id, a.case_id, a.kind, a.due, a.claims"
            ),
            agenda_complete: format!(
                "UPDATE {s}.agenda SET completed_at = $1, claimed_by = NULL, lease_until = NULL \
                 WHERE id = $2 AND claims = $3 AND claimed_by = $4 AND completed_at IS NULL"
            ),
            agenda_release: format!(
                "UPDATE {s}.agenda SET claimed_by = NULL, lease_until = NULL \
                 WHERE id = $1 AND claims = $2 AND claimed_by = $3 AND completed_at IS NULL"
            ),
            agenda_all: format!(
                "SELECT case_id, kind, due, completed_at IS NOT NULL FROM {s}.agenda \
                 ORDER BY due, case_id, kind"
            ),
        }
    }
}

/// An append in one statement, so in one round trip and one transaction of its own:
/// checks that the case still ends at event `$2` with link `$3` (the history the
/// caller decided against), inserts the events, and (`agenda`) makes the case's agenda
/// rows the items `$12`/`$13`, all or nothing.
///
/// Returns the case's last sequence number and link as the statement found them, and
/// how many events it wrote: none when the case had moved on. Two appends that pass
/// the check at once meet at the `UNIQUE (case_id, sequence)` constraint, and the
/// loser's statement fails whole. The agenda is written only after the events (it
/// reads their count), so two appends to one case wait for each other at the events'
/// unique index before either touches the agenda, and cannot deadlock there.
fn append(s: &str, agenda: bool) -> String {
    let agenda = if agenda {
        format!(
            ",
stale AS (
    DELETE FROM {s}.agenda AS a
    WHERE (SELECT n FROM written_count) > 0 AND a.case_id = $1
      AND NOT EXISTS (
          SELECT 1 FROM UNNEST($12::text[], $13::timestamptz[]) AS w (kind, due)
          WHERE w.kind = a.kind AND w.due = a.due)
),
fresh AS (
    INSERT INTO {s}.agenda (case_id, kind, due)
    SELECT $1, w.kind, w.due FROM UNNEST($12::text[], $13::timestamptz[]) AS w (kind, due)
    WHERE (SELECT n FROM written_count) > 0
    ON CONFLICT ON CONSTRAINT agenda_item DO NOTHING
)"
        )
    } else {
        String::new()
    };
    format!(
        "WITH head AS (
    SELECT sequence, link FROM {s}.events WHERE case_id = $1 ORDER BY sequence DESC LIMIT 1
),
unchanged AS (
    SELECT COALESCE((SELECT sequence FROM head), 0) = $2::bigint
       AND (SELECT link FROM head) IS NOT DISTINCT FROM $3::text AS yes
),
written AS (
    INSERT INTO {s}.events (case_id, sequence, event_type, schema_version, at, actor_id, \
     actor_name, payload, link)
    SELECT $1, e.sequence, e.event_type, e.schema_version, e.at, e.actor_id, e.actor_name, \
     e.payload, e.link
    FROM UNNEST($4::bigint[], $5::text[], $6::int[], $7::text[], $8::text[], $9::text[], \
     $10::text[], $11::text[])
         WITH ORDINALITY AS e (sequence, event_type, schema_version, at, actor_id, actor_name, \
     payload, link, n)
    WHERE (SELECT yes FROM unchanged)
    ORDER BY e.n
    RETURNING 1
),
written_count AS (SELECT count(*) AS n FROM written){agenda}
SELECT COALESCE((SELECT sequence FROM head), 0), (SELECT link FROM head), \
 (SELECT n FROM written_count)"
    )
}
