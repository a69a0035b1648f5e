//! The durable agenda: due follow-up work kept in table `agenda`, written in the
//! same transaction as the events that call for it, and claimed by workers with
//! leases.

use super::{PostgresStore, Session, backend};
use crate::case::Event;
use crate::id::{CaseId, CommitmentId};
use crate::policy::Policy;
use crate::schedule::sla::SlaClock;
use crate::schedule::{Agenda, AgendaItem, AgendaKind};
use crate::store::{EventStore, Position, StoreError};
use chrono::{DateTime, Duration, SubsecRound, Utc};
use postgres::{GenericClient, Row, Statement};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};

/// A due follow-up that a worker has claimed: it holds the item until
/// [`lease_until`](Self::lease_until); then any worker may claim it again.
///
/// Finish it with [`PostgresStore::complete`] (done work disappears) or give it
/// back with [`PostgresStore::release`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaClaim {
    id: i64,
    claim: i32,
    /// The follow-up: case, due instant (to the microsecond) and what is due.
    pub item: AgendaItem,
    /// The worker holding it.
    pub worker: String,
    /// Until when the worker holds it.
    pub lease_until: DateTime<Utc>,
}

impl AgendaClaim {
    /// How many times the item has been claimed, this claim included: more than 1
    /// means an earlier worker released it or let its lease expire.
    pub fn attempt(&self) -> u32 {
        u32::try_from(self.claim).unwrap_or(0)
    }
}

/// [`AgendaKind`] as read back from its stored JSON.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum StoredKind {
    CommitmentReminder { commitment: CommitmentId },
    CommitmentAboutToBreak { commitment: CommitmentId },
    SlaWarning { clock: SlaClock, percent: u8 },
    SlaBreach { clock: SlaClock },
    UpdateDue,
    SurveyDue,
}

impl From<StoredKind> for AgendaKind {
    fn from(kind: StoredKind) -> Self {
        match kind {
            StoredKind::CommitmentReminder { commitment } => {
                AgendaKind::CommitmentReminder { commitment }
            }
            StoredKind::CommitmentAboutToBreak { commitment } => {
                AgendaKind::CommitmentAboutToBreak { commitment }
            }
            StoredKind::SlaWarning { clock, percent } => AgendaKind::SlaWarning { clock, percent },
            StoredKind::SlaBreach { clock } => AgendaKind::SlaBreach { clock },
            StoredKind::UpdateDue => AgendaKind::UpdateDue,
            StoredKind::SurveyDue => AgendaKind::SurveyDue,
        }
    }
}

fn encode_kind(kind: &AgendaKind) -> Result<String, StoreError> {
    serde_json::to_string(kind).map_err(backend)
}

fn decode_kind(case: &CaseId, text: &str) -> Result<AgendaKind, StoreError> {
    serde_json::from_str::<StoredKind>(text)
        .map(AgendaKind::from)
        .map_err(|e| {
            backend(format!(
                "an agenda item of case {case} cannot be read: {e} (in {text})"
            ))
        })
}

/// The server keeps instants to the microsecond; so does the agenda's bookkeeping.
fn stored_instant(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// The items a case with this history calls for: exactly what the in-memory
/// [`Agenda`] lists as pending for it.
pub(super) fn items_of<'a>(
    policy: &Policy,
    case: &CaseId,
    history: impl IntoIterator<Item = &'a Event>,
) -> Vec<AgendaItem> {
    let mut agenda = Agenda::new(policy);
    for event in history {
        agenda.observe(case, event);
    }
    agenda.pending(case)
}

/// The agenda a feed calls for: every item the in-memory [`Agenda`] lists as pending
/// after reading every event of `store`'s feed, ordered by due instant, case and
/// kind. This is what [`PostgresStore::rebuild_agenda`] writes, and what the
/// maintained agenda must always equal.
///
/// # Errors
///
/// As [`EventStore::read_all`].
pub fn agenda_from_feed(
    store: &dyn EventStore,
    policy: &Policy,
) -> Result<Vec<AgendaItem>, StoreError> {
    let mut agenda = Agenda::new(policy);
    let mut cases = HashSet::new();
    let mut after = Position::START;
    loop {
        let page = store.read_all(after, 1000)?;
        let Some(last) = page.last() else { break };
        after = last.position;
        for recorded in &page {
            agenda.observe(&recorded.case, &recorded.event);
            cases.insert(recorded.case.clone());
        }
    }
    let mut items: Vec<AgendaItem> = cases.iter().flat_map(|c| agenda.pending(c)).collect();
    for item in &mut items {
        item.due = stored_instant(item.due);
    }
    sort_items(&mut items)?;
    Ok(items)
}

fn sort_items(items: &mut [AgendaItem]) -> Result<(), StoreError> {
    let mut keyed = Vec::with_capacity(items.len());
    for item in items.iter() {
        keyed.push((item.due, item.case.clone(), encode_kind(&item.kind)?));
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|a, b| keyed.get(*a).cmp(&keyed.get(*b)));
    let sorted: Vec<AgendaItem> = order
        .iter()
        .filter_map(|i| items.get(*i).cloned())
        .collect();
    for (slot, item) in items.iter_mut().zip(sorted) {
        *slot = item;
    }
    Ok(())
}

/// The rows `items` call for, as the append statement takes them: each (kind, due
/// instant) once, kinds as stored JSON, instants to the microsecond.
pub(super) fn rows_of(
    items: &[AgendaItem],
) -> Result<(Vec<String>, Vec<DateTime<Utc>>), StoreError> {
    let mut wanted = BTreeMap::new();
    for item in items {
        wanted.insert((encode_kind(&item.kind)?, stored_instant(item.due)), ());
    }
    Ok(wanted.into_keys().unzip())
}

/// The agenda statements, prepared on one connection.
pub(super) struct Statements {
    of_case: Statement,
    delete: Statement,
    insert: Statement,
}

impl Statements {
    pub(super) fn prepare(session: &mut Session, sql: &super::Sql) -> Result<Self, StoreError> {
        Ok(Self {
            of_case: session.statement(&sql.agenda_of_case)?,
            delete: session.statement(&sql.agenda_delete)?,
            insert: session.statement(&sql.agenda_insert)?,
        })
    }

    /// Makes the case's rows those of `items`: rows no longer called for go (with
    /// their claims and completions); new ones come; unchanged ones keep their claim
    /// or completion, so that done work is not handed out again.
    pub(super) fn replace_items(
        &self,
        client: &mut impl GenericClient,
        case: &CaseId,
        items: &[AgendaItem],
    ) -> Result<(), StoreError> {
        let mut wanted = BTreeMap::new();
        for item in items {
            wanted.insert((encode_kind(&item.kind)?, stored_instant(item.due)), ());
        }
        let mut stale = Vec::new();
        for row in client
            .query(&self.of_case, &[&case.as_str()])
            .map_err(backend)?
        {
            let id: i64 = row.try_get(0).map_err(backend)?;
            let kind: String = row.try_get(1).map_err(backend)?;
            let due: DateTime<Utc> = row.try_get(2).map_err(backend)?;
            if wanted.remove(&(kind, due)).is_none() {
                stale.push(id);
            }
        }
        if !stale.is_empty() {
            client.execute(&self.delete, &[&stale]).map_err(backend)?;
        }
        if !wanted.is_empty() {
            let (kinds, dues): (Vec<String>, Vec<DateTime<Utc>>) = wanted.into_keys().unzip();
            client
                .execute(&self.insert, &[&case.as_str(), &kinds, &dues])
                .map_err(backend)?;
        }
        Ok(())
    }
}

fn lease_end(now: DateTime<Utc>, lease: std::time::Duration) -> Result<DateTime<Utc>, StoreError> {
    Duration::from_std(lease)
        .ok()
        .and_then(|lease| now.checked_add_signed(lease))
        .map(stored_instant)
        .ok_or_else(|| backend(format!("a lease of {lease:?} from {now} is out of range")))
}

impl PostgresStore {
    fn require_agenda(&self) -> Result<&Policy, StoreError> {
        self.agenda.as_ref().ok_or_else(|| {
            backend("this store keeps no agenda: open it with `with_agenda(policy)`")
        })
    }

    /// Claims up to `limit` follow-ups due at or before `now` that nobody holds (never
    /// claimed, released, or whose lease has expired), earliest first, for `worker`
    /// until `now + lease`. Workers claiming at the same time get different items
    /// (`FOR UPDATE SKIP LOCKED`), and never wait for each other.
    ///
    /// `now` is the host's clock, as everywhere in this crate; all workers must use
    /// the same one.
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] if the store keeps no agenda or the server fails.
    pub fn claim_due(
        &self,
        now: DateTime<Utc>,
        limit: usize,
        worker: &str,
        lease: std::time::Duration,
    ) -> Result<Vec<AgendaClaim>, StoreError> {
        self.require_agenda()?;
        let lease_until = lease_end(now, lease)?;
        let mut session = self.session()?;
        let statement = session.statement(&self.sql.agenda_claim)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = session
            .client
            .query(&statement, &[&now, &limit, &worker, &lease_until])
            .map_err(backend)?;
        let mut claims = rows
            .iter()
            .map(|row| claim_from(row, worker, lease_until))
            .collect::<Result<Vec<_>, _>>()?;
        claims.sort_by_key(|c| (c.item.due, c.id));
        Ok(claims)
    }

    /// Records the claimed follow-up as done at `now`: it is not handed out again
    /// while its case calls for it, and it leaves the agenda when the case no longer
    /// does.
    ///
    /// # Errors
    ///
    /// [`StoreError::ClaimLost`] if the worker no longer holds the item (its lease
    /// expired and another worker claimed it, or its case no longer calls for it):
    /// nothing is changed. [`StoreError::Backend`] if the server fails.
    pub fn complete(&self, claim: &AgendaClaim, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.require_agenda()?;
        let mut session = self.session()?;
        let statement = session.statement(&self.sql.agenda_complete)?;
        let changed = session
            .client
            .execute(&statement, &[&now, &claim.id, &claim.claim, &claim.worker])
            .map_err(backend)?;
        lost_unless_changed(claim, changed)
    }

    /// Gives the claimed follow-up back: any worker may claim it at once.
    ///
    /// # Errors
    ///
    /// As [`complete`](Self::complete).
    pub fn release(&self, claim: &AgendaClaim) -> Result<(), StoreError> {
        self.require_agenda()?;
        let mut session = self.session()?;
        let statement = session.statement(&self.sql.agenda_release)?;
        let changed = session
            .client
            .execute(&statement, &[&claim.id, &claim.claim, &claim.worker])
            .map_err(backend)?;
        lost_unless_changed(claim, changed)
    }

    /// Every item the agenda holds, pending, claimed or done, ordered by due instant,
    /// case and kind; with whether it is done.
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] if the store keeps no agenda or the server fails.
    pub fn agenda_items(&self) -> Result<Vec<(AgendaItem, bool)>, StoreError> {
        self.require_agenda()?;
        let mut session = self.session()?;
        let statement = session.statement(&self.sql.agenda_all)?;
        let rows = session.client.query(&statement, &[]).map_err(backend)?;
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            let case = CaseId::new(row.try_get::<_, String>(0).map_err(backend)?);
            let kind = decode_kind(&case, &row.try_get::<_, String>(1).map_err(backend)?)?;
            let due: DateTime<Utc> = row.try_get(2).map_err(backend)?;
            let done: bool = row.try_get(3).map_err(backend)?;
            items.push((AgendaItem { case, due, kind }, done));
        }
        let mut plain: Vec<AgendaItem> = items.iter().map(|(i, _)| i.clone()).collect();
        sort_items(&mut plain)?;
        let mut done_of = BTreeMap::new();
        for (item, done) in items {
            done_of.insert((item.case, encode_kind(&item.kind)?, item.due), done);
        }
        plain
            .into_iter()
            .map(|item| {
                let key = (item.case.clone(), encode_kind(&item.kind)?, item.due);
                let done = done_of.get(&key).copied().unwrap_or(false);
                Ok((item, done))
            })
            .collect()
    }

    /// Rebuilds the agenda from the feed (after a restore, or after changing the
    /// follow-up policy): every case's items become those [`agenda_from_feed`] lists;
    /// items that stay keep their claims and completions. Returns how many items the
    /// agenda holds. Run it while nothing appends.
    ///
    /// # Errors
    ///
    /// As [`EventStore::read_all`]; [`StoreError::Backend`] if the store keeps no
    /// agenda or the server fails.
    pub fn rebuild_agenda(&self) -> Result<usize, StoreError> {
        let policy = self.require_agenda()?;
        let items = agenda_from_feed(self, policy)?;
        let mut by_case: BTreeMap<CaseId, Vec<AgendaItem>> = BTreeMap::new();
        for item in &items {
            by_case
                .entry(item.case.clone())
                .or_default()
                .push(item.clone());
        }
        let mut session = self.session()?;
        let statements = Statements::prepare(&mut session, &self.sql)?;
        let mut transaction = session.client.transaction().map_err(backend)?;
        let cases: Vec<String> = transaction
            .query(
                &format!(
                    "SELECT DISTINCT case_id FROM {}.agenda",
                    self.options.schema
                ),
                &[],
            )
            .map_err(backend)?
            .iter()
            .map(|row| row.try_get::<_, String>(0).map_err(backend))
            .collect::<Result<_, _>>()?;
        for case in cases {
            by_case.entry(CaseId::new(case)).or_default();
        }
        for (case, items) in &by_case {
            statements.replace_items(&mut transaction, case, items)?;
        }
        transaction.commit().map_err(backend)?;
        Ok(items.len())
    }
}

fn claim_from(
    row: &Row,
    worker: &str,
    lease_until: DateTime<Utc>,
) -> Result<AgendaClaim, StoreError> {
    let case = CaseId::new(row.try_get::<_, String>(1).map_err(backend)?);
    let kind = decode_kind(&case, &row.try_get::<_, String>(2).map_err(backend)?)?;
    Ok(AgendaClaim {
        id: row.try_get(0).map_err(backend)?,
        claim: row.try_get(4).map_err(backend)?,
        item: AgendaItem {
            case,
            due: row.try_get(3).map_err(backend)?,
            kind,
        },
        worker: worker.to_owned(),
        lease_until,
    })
}

fn lost_unless_changed(claim: &AgendaClaim, changed: u64) -> Result<(), StoreError> {
    if changed == 1 {
        return Ok(());
    }
    Err(StoreError::ClaimLost {
        case: claim.item.case.clone(),
        due: claim.item.due,
        worker: claim.worker.clone(),
    })
}
