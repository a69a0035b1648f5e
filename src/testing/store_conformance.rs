//! The contract every [`EventStore`] keeps, as a suite of checks that runs against
//! any store: the crate's in-memory, SQLite and PostgreSQL stores pass it, and a
//! vendor writing their own (MySQL, DynamoDB, an event-store product) runs it against
//! theirs.
//!
//! Each [`Check`] gets a fresh, empty store and returns a [`Failure`] that says what
//! it saw instead of what the contract demands. Run them all with [`run_all`], or one
//! test per check by iterating over [`CHECKS`]:
//!
//! ```
//! use service_recovery::store::InMemoryStore;
//! use service_recovery::testing::store_conformance;
//!
//! // In a vendor's test: `|| MyStore::connect(&url).unwrap()` instead.
//! let checks = store_conformance::run_all(InMemoryStore::new).unwrap();
//! assert_eq!(checks, store_conformance::CHECKS.len());
//! ```
//!
//! What is checked: optimistic appends (a stale, early or gapped append is refused
//! and writes nothing), racing writers (each version won exactly once), the round
//! trip of a real case, redaction (personal data gone, the history still replays,
//! the erasure recorded), the hash chain (every appended event linked from the
//! case's first event on, each case its own chain, the links unchanged by a standard
//! redaction and carried by the feed), and the feed ([`EventStore::read_all`]): one total order,
//! each case in sequence order, resumable by position, and seen exactly once by a
//! reader that polls while several threads append. What a store-specific test must
//! still cover: that corrupt rows are reported as [`StoreError::Corrupt`], that old
//! schema versions are upcast, and that data survives reopening.

use crate::case::{Case, Event, EventKind};
use crate::history::{RedactionPolicy, RedactionRequest, chain};
use crate::id::CaseId;
use crate::prelude::{
    Actor, ActorRef, Channel, Command, Complaint, Customer, OpenCase, Policy, Severity,
};
use crate::store::{CommandService, EventStore, Position, RetryPolicy, StoreError};
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use thiserror::Error;

/// A part of the contract the store does not keep.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("store conformance check `{check}` failed: {detail}")]
pub struct Failure {
    /// The check's name (see [`CHECKS`]).
    pub check: &'static str,
    /// What the store did instead of what the contract demands.
    pub detail: String,
}

/// One part of the contract.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    /// A short name, usable as a test name.
    pub name: &'static str,
    /// Runs the check against a fresh, empty store.
    pub run: fn(&dyn EventStore) -> Result<(), Failure>,
}

/// Every check, in the order [`run_all`] runs them.
pub const CHECKS: &[Check] = &[
    Check {
        name: "an_empty_store_knows_nothing",
        run: empty_store,
    },
    Check {
        name: "appends_are_optimistic",
        run: optimistic_appends,
    },
    Check {
        name: "racing_writers_each_win_a_version_once",
        run: racing_writers,
    },
    Check {
        name: "a_case_round_trips",
        run: round_trip,
    },
    Check {
        name: "redaction_erases_and_records",
        run: redaction,
    },
    Check {
        name: "the_feed_is_one_resumable_order",
        run: feed_order,
    },
    Check {
        name: "a_polling_reader_sees_every_event_of_concurrent_writers_once",
        run: feed_under_concurrent_writers,
    },
    Check {
        name: "every_history_is_hash_chained",
        run: hash_chained,
    },
];

/// Runs every check, each against a store from `fresh`, which must hand out an
/// empty store each time. Returns how many checks passed (all of them), or the first
/// failure.
///
/// # Errors
///
/// The first [`Failure`].
pub fn run_all<S: EventStore>(mut fresh: impl FnMut() -> S) -> Result<usize, Failure> {
    for check in CHECKS {
        (check.run)(&fresh())?;
    }
    Ok(CHECKS.len())
}

fn fail(check: &'static str, detail: impl Into<String>) -> Failure {
    Failure {
        check,
        detail: detail.into(),
    }
}

/// Turns a store error into a failure that says which step met it.
fn step<T>(check: &'static str, what: &str, result: Result<T, StoreError>) -> Result<T, Failure> {
    result.map_err(|e| fail(check, format!("{what}: the store answered \"{e}\"")))
}

fn expect_eq<T: PartialEq + std::fmt::Debug>(
    check: &'static str,
    what: &str,
    found: T,
    expected: T,
) -> Result<(), Failure> {
    if found == expected {
        Ok(())
    } else {
        Err(fail(
            check,
            format!("{what}: expected {expected:?}, found {found:?}"),
        ))
    }
}

/// The feed from `after` once it holds at least `count` events. A store may show
/// an append in its feed a little after the append returns (PostgreSQL holds the feed
/// back while older transactions run); once shown, an event stays, and so does
/// everything before it. Bounded: gives up after about ten seconds of polling.
fn settled(
    check: &'static str,
    store: &dyn EventStore,
    after: Position,
    count: usize,
) -> Result<Vec<crate::store::RecordedEvent>, Failure> {
    let mut read = Vec::new();
    for _ in 0..5_000 {
        read = step(check, "read_all", store.read_all(after, 10_000))?;
        if read.len() >= count {
            return Ok(read);
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    Err(fail(
        check,
        format!(
            "the feed shows {} events, {count} were appended",
            read.len()
        ),
    ))
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0)
        .single()
        .unwrap_or_default()
}

fn note(sequence: u64, text: &str) -> Event {
    Event {
        sequence,
        at: start() + Duration::seconds(i64::try_from(sequence).unwrap_or(0)),
        actor: ActorRef::new("agent-7", "Dana"),
        kind: EventKind::NoteAdded { text: text.into() },
    }
}

fn note_text(event: &Event) -> Option<&str> {
    if let EventKind::NoteAdded { text } = &event.kind {
        Some(text)
    } else {
        None
    }
}

fn empty_store(store: &dyn EventStore) -> Result<(), Failure> {
    const C: &str = "an_empty_store_knows_nothing";
    let case = CaseId::new("case-none");
    expect_eq(C, "load", step(C, "load", store.load(&case))?, vec![])?;
    expect_eq(
        C,
        "load_stored",
        step(C, "load_stored", store.load_stored(&case))?.len(),
        0,
    )?;
    expect_eq(
        C,
        "list_cases",
        step(C, "list_cases", store.list_cases())?,
        vec![],
    )?;
    expect_eq(
        C,
        "redactions",
        step(C, "redactions", store.redactions(&case))?,
        vec![],
    )?;
    expect_eq(
        C,
        "read_all from the start",
        step(C, "read_all", store.read_all(Position::START, 10))?,
        vec![],
    )
}

fn optimistic_appends(store: &dyn EventStore) -> Result<(), Failure> {
    const C: &str = "appends_are_optimistic";
    let case = CaseId::new("case-c");
    let notes = [note(1, "a"), note(2, "b")];
    expect_eq(C, "the first append", store.append(&case, 0, &notes), Ok(2))?;
    expect_eq(
        C,
        "an append by a writer that saw version 1",
        store.append(&case, 1, &[note(2, "stale")]),
        Err(StoreError::Conflict {
            case: case.clone(),
            expected: 1,
            actual: 2,
        }),
    )?;
    expect_eq(
        C,
        "an append by a writer that thinks the case is new",
        store.append(&case, 0, &[note(1, "new")]),
        Err(StoreError::Conflict {
            case: case.clone(),
            expected: 0,
            actual: 2,
        }),
    )?;
    expect_eq(
        C,
        "an append by a writer ahead of the store",
        store.append(&case, 5, &[note(6, "ahead")]),
        Err(StoreError::Conflict {
            case: case.clone(),
            expected: 5,
            actual: 2,
        }),
    )?;
    expect_eq(
        C,
        "an append with a gap in its sequence numbers",
        store.append(&case, 2, &[note(3, "c"), note(5, "gap")]),
        Err(StoreError::OutOfSequence {
            case: case.clone(),
            expected: 4,
            found: 5,
        }),
    )?;
    expect_eq(C, "an empty append", store.append(&case, 2, &[]), Ok(2))?;
    expect_eq(
        C,
        "an empty append at a stale version",
        store.append(&case, 1, &[]),
        Err(StoreError::Conflict {
            case: case.clone(),
            expected: 1,
            actual: 2,
        }),
    )?;
    expect_eq(
        C,
        "the history after refused appends",
        step(C, "load", store.load(&case))?,
        notes.to_vec(),
    )?;
    expect_eq(
        C,
        "the feed after refused appends",
        settled(C, store, Position::START, 2)?.len(),
        2,
    )?;
    expect_eq(
        C,
        "an append to another case",
        store.append(&CaseId::new("case-a"), 0, &[note(1, "x")]),
        Ok(1),
    )?;
    expect_eq(
        C,
        "list_cases, in order of identifiers",
        step(C, "list_cases", store.list_cases())?,
        vec![CaseId::new("case-a"), CaseId::new("case-c")],
    )
}

fn racing_writers(store: &dyn EventStore) -> Result<(), Failure> {
    const C: &str = "racing_writers_each_win_a_version_once";
    const THREADS: usize = 4;
    const ATTEMPTS: usize = 25;
    let case = CaseId::new("case-race");
    let results: Vec<Result<Vec<String>, Failure>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|thread| {
                let case = &case;
                scope.spawn(move || {
                    let mut won = Vec::new();
                    for attempt in 0..ATTEMPTS {
                        let version = step(C, "load", store.load(case))?.len() as u64;
                        let text = format!("thread {thread} attempt {attempt}");
                        match store.append(case, version, &[note(version + 1, &text)]) {
                            Ok(new) => {
                                expect_eq(C, "the version after a won append", new, version + 1)?;
                                won.push(text);
                            }
                            Err(StoreError::Conflict { expected, .. }) => {
                                expect_eq(
                                    C,
                                    "the expected version of a conflict",
                                    expected,
                                    version,
                                )?;
                            }
                            Err(other) => {
                                return Err(fail(C, format!("an append failed: {other}")));
                            }
                        }
                    }
                    Ok(won)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(fail(C, "a writer thread panicked")))
            })
            .collect()
    });
    let mut winners = BTreeSet::new();
    for result in results {
        for text in result? {
            if !winners.insert(text.clone()) {
                return Err(fail(C, format!("\"{text}\" won twice")));
            }
        }
    }
    let history = step(C, "load", store.load(&case))?;
    let sequences: Vec<u64> = history.iter().map(|e| e.sequence).collect();
    expect_eq(
        C,
        "the sequence numbers of the history",
        sequences,
        (1..=history.len() as u64).collect(),
    )?;
    let stored: BTreeSet<String> = history
        .iter()
        .filter_map(|e| note_text(e).map(str::to_owned))
        .collect();
    expect_eq(
        C,
        "the stored notes against the won appends",
        stored,
        winners,
    )?;
    if history.len() < ATTEMPTS {
        return Err(fail(
            C,
            format!("only {} of {ATTEMPTS} rounds had a winner", history.len()),
        ));
    }
    Ok(())
}

fn dana() -> Actor {
    Actor::builder().id("agent-7").name("Dana").build()
}

fn open(case: &CaseId) -> Command {
    Command::Open(Box::new(
        OpenCase::builder()
            .case(case.clone())
            .customer(
                Customer::builder()
                    .id("cust-1")
                    .name("Amara Okafor")
                    .address_as("Ms Okafor")
                    .email("amara.okafor@example.com")
                    .build(),
            )
            .channel(Channel::Email)
            .owner(dana().reference())
            .complaint(
                Complaint::builder()
                    .summary("parcel sent to the wrong address")
                    .details("Left at 14 Juniper Road instead of number 41")
                    .build(),
            )
            .severity(Severity::Moderate)
            .build(),
    ))
}

fn round_trip(store: &dyn EventStore) -> Result<(), Failure> {
    const C: &str = "a_case_round_trips";
    let case = CaseId::new("case-1");
    let service = CommandService::new(store, Policy::default(), RetryPolicy::never());
    let mut written = service
        .handle(&case, &open(&case), &dana(), start())
        .map_err(|e| fail(C, format!("opening a case: {e}")))?;
    let more = [note(2, "called the courier"), note(3, "parcel on its way")];
    expect_eq(C, "appending notes", store.append(&case, 1, &more), Ok(3))?;
    written.extend(more);
    expect_eq(
        C,
        "load",
        step(C, "load", store.load(&case))?,
        written.clone(),
    )?;
    let stored = step(C, "load_stored", store.load_stored(&case))?;
    expect_eq(
        C,
        "the stored envelopes' sequence numbers",
        stored.iter().map(|e| e.sequence).collect::<Vec<_>>(),
        vec![1, 2, 3],
    )?;
    expect_eq(
        C,
        "the stored schema versions",
        stored
            .iter()
            .all(|e| e.schema_version == crate::history::CURRENT_SCHEMA_VERSION),
        true,
    )?;
    let replayed = service
        .case(&case)
        .map_err(|e| fail(C, format!("replaying the stored case: {e}")))?
        .ok_or_else(|| fail(C, "the stored case is missing"))?;
    expect_eq(C, "the replayed version", replayed.version(), 3)?;
    let feed = settled(C, store, Position::START, 3)?;
    expect_eq(
        C,
        "the feed's events",
        feed.into_iter().map(|r| r.event).collect::<Vec<_>>(),
        written,
    )
}

fn redaction(store: &dyn EventStore) -> Result<(), Failure> {
    const C: &str = "redaction_erases_and_records";
    let case = CaseId::new("case-1");
    let service = CommandService::new(store, Policy::default(), RetryPolicy::never());
    service
        .handle(&case, &open(&case), &dana(), start())
        .map_err(|e| fail(C, format!("opening a case: {e}")))?;
    step(
        C,
        "append",
        store.append(&case, 1, &[note(2, "she is moving abroad")]),
    )?;
    let request = RedactionRequest::builder()
        .by(ActorRef::new("dpo-1", "Data Protection Officer"))
        .at(start() + Duration::days(30))
        .reason("erasure request #4411")
        .build();
    let record = step(
        C,
        "redact",
        store.redact(&case, &RedactionPolicy::standard(), &request),
    )?;
    // The opening (the customer) and the internal note.
    expect_eq(C, "the redacted events", record.events.clone(), vec![1, 2])?;
    if record.values == 0 {
        return Err(fail(C, "the redaction replaced no value"));
    }
    expect_eq(
        C,
        "the recorded redactions",
        step(C, "redactions", store.redactions(&case))?,
        vec![record],
    )?;
    let replayed = Case::replay(step(C, "load", store.load(&case))?)
        .map_err(|e| fail(C, format!("the redacted history does not replay: {e}")))?;
    expect_eq(
        C,
        "the customer's name after redaction",
        replayed.customer().name.as_str(),
        RedactionPolicy::DEFAULT_MARKER,
    )?;
    let feed = settled(C, store, Position::START, 2)?;
    for recorded in &feed {
        let shown = format!("{:?}", recorded.event);
        if ["Amara", "Okafor", "moving abroad"]
            .iter()
            .any(|p| shown.contains(p))
        {
            return Err(fail(
                C,
                format!("the feed still shows personal data: {shown}"),
            ));
        }
    }
    expect_eq(
        C,
        "redacting a case without history",
        store
            .redact(
                &CaseId::new("case-none"),
                &RedactionPolicy::standard(),
                &request,
            )
            .err(),
        Some(StoreError::UnknownCase {
            case: CaseId::new("case-none"),
        }),
    )
}

fn feed_order(store: &dyn EventStore) -> Result<(), Failure> {
    const C: &str = "the_feed_is_one_resumable_order";
    let (a, b) = (CaseId::new("case-b"), CaseId::new("case-a"));
    step(
        C,
        "append",
        store.append(&a, 0, &[note(1, "a1"), note(2, "a2")]),
    )?;
    step(C, "append", store.append(&b, 0, &[note(1, "b1")]))?;
    step(C, "append", store.append(&a, 2, &[note(3, "a3")]))?;
    step(
        C,
        "append",
        store.append(&b, 1, &[note(2, "b2"), note(3, "b3")]),
    )?;
    let all = settled(C, store, Position::START, 6)?;
    let texts: Vec<&str> = all.iter().filter_map(|r| note_text(&r.event)).collect();
    expect_eq(
        C,
        "the feed of appends that did not overlap in time",
        texts,
        vec!["a1", "a2", "b1", "a3", "b2", "b3"],
    )?;
    let cases: Vec<&CaseId> = all.iter().map(|r| &r.case).collect();
    expect_eq(
        C,
        "the cases of the feed",
        cases,
        vec![&a, &a, &b, &a, &b, &b],
    )?;
    if !all
        .windows(2)
        .all(|w| matches!(w, [x, y] if x.position < y.position))
    {
        return Err(fail(C, "positions do not increase along the feed"));
    }
    for page in 1..=4 {
        let mut paged = Vec::new();
        let mut after = Position::START;
        loop {
            let read = step(C, "read_all", store.read_all(after, page))?;
            if read.len() > page {
                return Err(fail(
                    C,
                    format!("read {} events with a limit of {page}", read.len()),
                ));
            }
            let Some(last) = read.last() else { break };
            after = last.position;
            paged.extend(read);
        }
        expect_eq(C, &format!("the feed read {page} at a time"), &paged, &all)?;
    }
    expect_eq(
        C,
        "a read with a limit of 0",
        step(C, "read_all", store.read_all(Position::START, 0))?.len(),
        0,
    )?;
    let last = all.last().map_or(Position::START, |r| r.position);
    expect_eq(
        C,
        "a read after the last position",
        step(C, "read_all", store.read_all(last, 10))?.len(),
        0,
    )?;
    step(C, "append", store.append(&b, 3, &[note(4, "b4")]))?;
    let resumed = settled(C, store, last, 1)?;
    expect_eq(
        C,
        "the feed resumed after a new append",
        resumed
            .iter()
            .map(|r| (r.case.clone(), r.event.sequence))
            .collect::<Vec<_>>(),
        vec![(b.clone(), 4)],
    )
}

/// Writers append to overlapping cases from several threads while a reader polls
/// the feed; afterwards the reader must have seen every stored event exactly once,
/// each case in sequence order.
fn feed_under_concurrent_writers(store: &dyn EventStore) -> Result<(), Failure> {
    const C: &str = "a_polling_reader_sees_every_event_of_concurrent_writers_once";
    const WRITERS: usize = 4;
    const APPENDS: usize = 30;
    let cases: Vec<CaseId> = (0..3).map(|n| CaseId::new(format!("case-{n}"))).collect();
    let writing = AtomicBool::new(true);
    let (written, seen) = std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let mut seen = Vec::new();
            let mut after = Position::START;
            while writing.load(Ordering::Acquire) {
                let read = step(C, "read_all while writing", store.read_all(after, 7))?;
                match read.last() {
                    Some(last) => after = last.position,
                    None => std::thread::yield_now(),
                }
                seen.extend(read);
            }
            Ok::<_, Failure>((seen, after))
        });
        let writers: Vec<_> = (0..WRITERS)
            .map(|writer| {
                let cases = &cases;
                scope.spawn(move || {
                    let mut appended = 0usize;
                    for n in 0..APPENDS {
                        let case = cases
                            .get((writer + n) % cases.len())
                            .ok_or_else(|| fail(C, "no case"))?;
                        loop {
                            let version = step(C, "load", store.load(case))?.len() as u64;
                            let batch: Vec<Event> = (1..=1 + (n % 3) as u64)
                                .map(|k| note(version + k, &format!("w{writer} n{n} k{k}")))
                                .collect();
                            match store.append(case, version, &batch) {
                                Ok(_) => {
                                    appended += batch.len();
                                    break;
                                }
                                Err(StoreError::Conflict { .. }) => continue,
                                Err(other) => {
                                    return Err(fail(C, format!("an append failed: {other}")));
                                }
                            }
                        }
                    }
                    Ok(appended)
                })
            })
            .collect();
        let mut written = 0usize;
        let mut failure = None;
        for writer in writers {
            match writer.join() {
                Ok(Ok(n)) => written += n,
                Ok(Err(f)) => failure = Some(f),
                Err(_) => failure = Some(fail(C, "a writer thread panicked")),
            }
        }
        writing.store(false, Ordering::Release);
        let seen = reader
            .join()
            .unwrap_or_else(|_| Err(fail(C, "the reader thread panicked")));
        match failure {
            Some(f) => Err(f),
            None => Ok((written, seen?)),
        }
    })?;
    let (mut seen, mut after) = seen;
    // The writers are done; on a shared server, other transactions may still hold
    // the feed back for a while, so drain until everything arrived (bounded).
    for _ in 0..10_000 {
        if seen.len() >= written {
            break;
        }
        let read = step(C, "read_all after writing", store.read_all(after, 50))?;
        match read.last() {
            Some(last) => after = last.position,
            None => std::thread::sleep(std::time::Duration::from_millis(2)),
        }
        seen.extend(read);
    }
    expect_eq(C, "events read against events written", seen.len(), written)?;
    let mut once = BTreeSet::new();
    let mut last_of_case: BTreeMap<CaseId, u64> = BTreeMap::new();
    for recorded in &seen {
        if !once.insert((recorded.case.clone(), recorded.event.sequence)) {
            return Err(fail(
                C,
                format!(
                    "event {} of {} was read twice",
                    recorded.event.sequence, recorded.case
                ),
            ));
        }
        let last = last_of_case.entry(recorded.case.clone()).or_insert(0);
        if recorded.event.sequence != *last + 1 {
            return Err(fail(
                C,
                format!(
                    "event {} of {} was read after event {last}",
                    recorded.event.sequence, recorded.case
                ),
            ));
        }
        *last = recorded.event.sequence;
    }
    if !seen
        .windows(2)
        .all(|w| matches!(w, [x, y] if x.position < y.position))
    {
        return Err(fail(C, "positions do not increase along the feed"));
    }
    for case in &cases {
        let stored = step(C, "load", store.load(case))?;
        expect_eq(
            C,
            &format!("the events of {case} read from the feed"),
            last_of_case.get(case).copied().unwrap_or(0),
            stored.len() as u64,
        )?;
    }
    Ok(())
}

fn hash_chained(store: &dyn EventStore) -> Result<(), Failure> {
    const C: &str = "every_history_is_hash_chained";
    let (a, b) = (CaseId::new("case-a"), CaseId::new("case-b"));
    step(
        C,
        "append",
        store.append(&a, 0, &[note(1, "one"), note(2, "two")]),
    )?;
    step(C, "append", store.append(&b, 0, &[note(1, "one")]))?;
    step(C, "append", store.append(&a, 2, &[note(3, "three")]))?;
    let stored = step(C, "load_stored", store.load_stored(&a))?;
    let report = chain::verify(&stored).map_err(|e| fail(C, format!("case-a: {e}")))?;
    expect_eq(C, "where case-a's chain starts", report.start, Some(1))?;
    expect_eq(C, "case-a's events", report.events, 3)?;
    expect_eq(
        C,
        "the store's chain report",
        step(C, "chain", store.chain(&a))?,
        report.clone(),
    )?;
    // Each case has its own chain: the first event of case-b follows no link.
    let other = step(C, "load_stored", store.load_stored(&b))?;
    let first = other
        .first()
        .ok_or_else(|| fail(C, "case-b has no events"))?;
    expect_eq(
        C,
        "the link of case-b's first event",
        first.link.clone(),
        Some(chain::link(None, first)),
    )?;
    let feed = settled(C, store, Position::START, 4)?;
    let links: BTreeMap<(String, u64), Option<String>> = feed
        .iter()
        .map(|r| ((r.case.to_string(), r.event.sequence), r.link.clone()))
        .collect();
    for event in stored.iter().chain(&other) {
        expect_eq(
            C,
            &format!(
                "the feed's link of event {} of {}",
                event.sequence, event.case
            ),
            links.get(&(event.case.to_string(), event.sequence)),
            Some(&event.link),
        )?;
    }
    let request = RedactionRequest::builder()
        .by(ActorRef::new("dpo-1", "Data Protection Officer"))
        .at(start() + Duration::days(30))
        .reason("erasure request #4411")
        .build();
    step(
        C,
        "redact",
        store.redact(&a, &RedactionPolicy::standard(), &request),
    )?;
    let redacted = step(C, "load_stored", store.load_stored(&a))?;
    expect_eq(
        C,
        "the links after a standard redaction",
        redacted.iter().map(|e| e.link.clone()).collect::<Vec<_>>(),
        stored.iter().map(|e| e.link.clone()).collect(),
    )?;
    expect_eq(
        C,
        "case-a's chain after the redaction",
        step(C, "chain", store.chain(&a))?,
        report,
    )
}
