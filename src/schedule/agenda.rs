//! The agenda across many cases: what is due next, and what is due by now.
//!
//! The host feeds the agenda every event it stores ([`Agenda::observe`]) or whole cases
//! ([`Agenda::observe_case`]); the agenda keeps, per case, a few instants and counters
//! (never the history) and the items that case calls for:
//!
//! | item | due | goes away when |
//! |---|---|---|
//! | [`CommitmentReminder`](AgendaKind::CommitmentReminder) | the promise's reminder instant | it is kept, broken or cancelled |
//! | [`CommitmentAboutToBreak`](AgendaKind::CommitmentAboutToBreak) | its internal target: escalate now | idem |
//! | [`SlaWarning`](AgendaKind::SlaWarning) | a warning fraction of a target | the warning is recorded, the clock stops or pauses |
//! | [`SlaBreach`](AgendaKind::SlaBreach) | a target (first response, apology, resolution) | idem |
//! | [`UpdateDue`](AgendaKind::UpdateDue) | the next-update target | the customer hears from the business, or the case ends |
//! | [`SurveyDue`](AgendaKind::SurveyDue) | the survey delay after closing | the survey is recorded, or the case reopens |
//!
//! [`Agenda::due_until`] hands out each item once, in due order. Observing an event
//! (or a whole case again) replaces that case's items with those its state now calls
//! for; an item already handed out stays handed out while the case still calls for it
//! (a reminder is not repeated because a note was added). The SLA items of a paused
//! clock disappear and come back, with new due instants, when it resumes.
//!
//! # Cost
//!
//! A binary heap keyed by (due, sequence) with lazy deletion: a replaced item stays in
//! the heap until it surfaces, and is recognized as stale because its case no longer
//! lists its sequence number; the heap is compacted when stale entries outnumber live
//! ones. Each case has a slot, found through a hash map. A heap entry is 24 bytes, an
//! item in its case's list 32 bytes, and a case's own state about 400 bytes. Measured
//! with a counting allocator (`tests/agenda_memory.rs`: live bytes before and after
//! feeding 100 000 cases with 11 pending items each, so 1.1 million items), the agenda
//! holds about 145 bytes per pending item, spare capacity and stale entries included.
//!
//! ```
//! use chrono::{Duration, TimeZone, Utc};
//! use service_recovery::prelude::*;
//! use service_recovery::schedule::{Agenda, AgendaKind};
//!
//! let dana = Actor::builder().id("a-7").name("Dana").build();
//! let policy = Policy::default(); // 24/7; margin 24 h, reminder 4 h before it
//! let at = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
//! let open = Command::Open(Box::new(OpenCase::builder().case("case-1")
//!     .customer(Customer::builder().id("c-1").name("Amara Okafor").address_as("Ms Okafor").build())
//!     .channel(Channel::Email).owner(dana.reference())
//!     .complaint(Complaint::builder().summary("wrong address").build())
//!     .severity(Severity::Minor).build()));
//! let promise = Command::MakeCommitment(MakeCommitment {
//!     commitment: CommitmentId::new("re-ship"),
//!     what: "a new parcel at the right address".into(),
//!     owner: dana.reference(),
//!     promised_for: at + Duration::days(3),
//! });
//! let mut agenda = Agenda::new(&policy);
//! let mut case = None;
//! for command in [open, promise] {
//!     for event in decide(case.as_ref(), &command, &dana, at, &policy)? {
//!         agenda.observe(&CaseId::new("case-1"), &event);
//!         case = Some(evolve(case, event).unwrap());
//!     }
//! }
//! // Two days and 20 hours later: the reminder (at 44 h) is due, among SLA items.
//! let due = agenda.due_until(at + Duration::hours(44));
//! assert!(due.iter().any(|i| matches!(&i.kind, AgendaKind::CommitmentReminder { .. })));
//! assert!(due.windows(2).all(|w| w[0].due <= w[1].due));
//! // Handed out once only.
//! assert!(agenda.due_until(at + Duration::hours(44)).is_empty());
//! # Ok::<(), Rejection>(())
//! ```

use super::follow_up::FollowUpPolicy;
use super::sla::{Crossed, SlaClock, SlaTracker};
use super::survey;
use crate::case::{Case, Event, EventKind};
use crate::id::{CaseId, CommitmentId};
use crate::policy::Policy;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// What is due.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AgendaKind {
    /// Remind the owner of a promise: its internal target approaches.
    CommitmentReminder {
        /// The promise.
        commitment: CommitmentId,
    },
    /// The internal target of a promise has come: it is about to be broken; escalate.
    CommitmentAboutToBreak {
        /// The promise.
        commitment: CommitmentId,
    },
    /// A response target reaches a warning threshold.
    SlaWarning {
        /// Which target.
        clock: SlaClock,
        /// The threshold, in percent.
        percent: u8,
    },
    /// A response target (first response, apology or resolution) is breached.
    SlaBreach {
        /// Which target.
        clock: SlaClock,
    },
    /// The customer is owed an update.
    UpdateDue,
    /// The survey after closing is due.
    SurveyDue,
}

/// One pending follow-up: which case, when, and what.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct AgendaItem {
    /// The case.
    pub case: CaseId,
    /// When it is due.
    pub due: DateTime<Utc>,
    /// What is due.
    pub kind: AgendaKind,
}

/// The identity of an item within its case: the same key with the same due instant
/// is the same item across re-observations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Reminder(u32),
    AboutToBreak(u32),
    /// Clock, percent, period (round for round clocks, update period for updates).
    Warning(SlaClock, u8, u32),
    Breach(SlaClock, u32),
    Survey(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    due: DateTime<Utc>,
    seq: u64,
    slot: u32,
}

#[derive(Debug, Clone, Copy)]
struct Scheduled {
    key: Key,
    due: DateTime<Utc>,
    seq: u64,
    delivered: bool,
}

#[derive(Debug, Clone)]
struct OpenPromise {
    ordinal: u32,
    id: CommitmentId,
    remind_at: DateTime<Utc>,
    internal_target: DateTime<Utc>,
}

/// What the agenda remembers of one case.
#[derive(Debug, Clone, Default)]
struct Tracked {
    sla: SlaTracker,
    promises: Vec<OpenPromise>,
    next_ordinal: u32,
    closed_at: Option<DateTime<Utc>>,
    surveyed: bool,
}

impl Tracked {
    fn observe(&mut self, event: &Event, policy: &FollowUpPolicy) {
        self.sla.observe(event, policy);
        match &event.kind {
            EventKind::CommitmentMade {
                commitment,
                remind_at,
                internal_target,
                ..
            } => {
                self.promises.retain(|p| p.id != *commitment);
                self.promises.push(OpenPromise {
                    ordinal: self.next_ordinal,
                    id: commitment.clone(),
                    remind_at: *remind_at,
                    internal_target: *internal_target,
                });
                self.next_ordinal = self.next_ordinal.wrapping_add(1);
            }
            EventKind::CommitmentKept { commitment, .. }
            | EventKind::CommitmentBroken { commitment, .. }
            | EventKind::CommitmentCancelled { commitment, .. } => {
                self.promises.retain(|p| p.id != *commitment);
            }
            EventKind::Closed { .. } => {
                self.closed_at = Some(event.at);
                self.surveyed = false;
            }
            EventKind::Reopened { .. } | EventKind::Withdrawn { .. } => {
                self.closed_at = None;
                self.surveyed = false;
            }
            EventKind::SurveyRecorded { .. } => self.surveyed = true,
            _ => {}
        }
    }

    /// The items this case calls for now.
    fn desired(&self, policy: &FollowUpPolicy, out: &mut Vec<(Key, DateTime<Utc>)>) {
        for p in &self.promises {
            out.push((Key::Reminder(p.ordinal), p.remind_at));
            out.push((Key::AboutToBreak(p.ordinal), p.internal_target));
        }
        let (round, period) = (self.sla.round, self.sla.period);
        for (crossed, amount) in self.sla.unrecorded(policy) {
            let (clock, key) = match crossed {
                Crossed::Warning(clock, p) => {
                    let n = if clock == SlaClock::Update {
                        period
                    } else {
                        round
                    };
                    (clock, Key::Warning(clock, p, n))
                }
                Crossed::Breach(clock) => {
                    let n = if clock == SlaClock::Update {
                        period
                    } else {
                        round
                    };
                    (clock, Key::Breach(clock, n))
                }
            };
            if let Some(due) = self.sla.instant_of(clock, amount, policy) {
                out.push((key, due));
            }
        }
        if let (Some(closed_at), false) = (self.closed_at, self.surveyed) {
            if let Some(due) = survey::due(closed_at, policy) {
                out.push((Key::Survey(round), due));
            }
        }
    }
}

#[derive(Debug, Clone)]
struct Slot {
    case: CaseId,
    state: Tracked,
    items: Vec<Scheduled>,
}

impl Slot {
    fn holds(&self, seq: u64) -> bool {
        self.items.iter().any(|i| i.seq == seq && !i.delivered)
    }

    fn item(&self, key: Key, due: DateTime<Utc>) -> Option<AgendaItem> {
        let promise = |ordinal: u32| {
            self.state
                .promises
                .iter()
                .find(|p| p.ordinal == ordinal)
                .map(|p| p.id.clone())
        };
        let kind = match key {
            Key::Reminder(o) => AgendaKind::CommitmentReminder {
                commitment: promise(o)?,
            },
            Key::AboutToBreak(o) => AgendaKind::CommitmentAboutToBreak {
                commitment: promise(o)?,
            },
            Key::Warning(clock, percent, _) => AgendaKind::SlaWarning { clock, percent },
            Key::Breach(SlaClock::Update, _) => AgendaKind::UpdateDue,
            Key::Breach(clock, _) => AgendaKind::SlaBreach { clock },
            Key::Survey(_) => AgendaKind::SurveyDue,
        };
        Some(AgendaItem {
            case: self.case.clone(),
            due,
            kind,
        })
    }
}

/// Pending follow-ups across many cases; see the [module documentation](self).
#[derive(Debug, Clone)]
pub struct Agenda {
    policy: FollowUpPolicy,
    heap: BinaryHeap<Reverse<Entry>>,
    slots: Vec<Slot>,
    free: Vec<u32>,
    index: HashMap<CaseId, u32>,
    next_seq: u64,
    live: usize,
    scratch: Vec<(Key, DateTime<Utc>)>,
}

impl Agenda {
    /// An empty agenda that schedules by `policy`'s follow-up settings.
    pub fn new(policy: &Policy) -> Self {
        Self {
            policy: policy.follow_up.clone(),
            heap: BinaryHeap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            index: HashMap::new(),
            next_seq: 0,
            live: 0,
            scratch: Vec::new(),
        }
    }

    /// How many items are pending (not yet handed out).
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether no item is pending.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// How many cases the agenda keeps.
    pub fn cases(&self) -> usize {
        self.index.len()
    }

    /// Records one event of `case`. Feed each case's events in order.
    pub fn observe(&mut self, case: &CaseId, event: &Event) {
        let slot = self.slot_of(case);
        if let Some(s) = self.slots.get_mut(slot) {
            s.state.observe(event, &self.policy);
        }
        self.refresh(slot);
    }

    /// Reads a whole case afresh: its items are replaced by those its history calls
    /// for. Items already handed out are not handed out again.
    pub fn observe_case(&mut self, case: &Case) {
        let slot = self.slot_of(case.id());
        if let Some(s) = self.slots.get_mut(slot) {
            let mut state = Tracked::default();
            for event in case.history() {
                state.observe(event, &self.policy);
            }
            s.state = state;
        }
        self.refresh(slot);
    }

    /// Drops a case and its items (when the host archives it).
    pub fn forget(&mut self, case: &CaseId) {
        let Some(slot) = self.index.remove(case) else {
            return;
        };
        if let Some(s) = self.slots.get_mut(slot as usize) {
            let pending = s.items.iter().filter(|i| !i.delivered).count();
            self.live = self.live.saturating_sub(pending);
            s.items.clear();
            s.state = Tracked::default();
            self.free.push(slot);
        }
    }

    /// The earliest pending item, without handing it out.
    pub fn next_due(&mut self) -> Option<AgendaItem> {
        loop {
            let Reverse(top) = *self.heap.peek()?;
            if let Some(item) = self.resolve(top) {
                return Some(item);
            }
            self.heap.pop();
        }
    }

    /// Hands out the earliest item due at or before `now`, if any.
    pub fn pop_due(&mut self, now: DateTime<Utc>) -> Option<AgendaItem> {
        loop {
            let Reverse(top) = *self.heap.peek()?;
            if top.due > now {
                return None;
            }
            self.heap.pop();
            if let Some(item) = self.resolve(top) {
                self.deliver(top);
                return Some(item);
            }
        }
    }

    /// Hands out every item due at or before `now`, earliest first; each item once.
    pub fn due_until(&mut self, now: DateTime<Utc>) -> Vec<AgendaItem> {
        std::iter::from_fn(|| self.pop_due(now)).collect()
    }

    /// The pending items of one case, earliest first.
    pub fn pending(&self, case: &CaseId) -> Vec<AgendaItem> {
        let Some(slot) = self
            .index
            .get(case)
            .and_then(|i| self.slots.get(*i as usize))
        else {
            return Vec::new();
        };
        let mut items: Vec<(u64, AgendaItem)> = slot
            .items
            .iter()
            .filter(|i| !i.delivered)
            .filter_map(|i| Some((i.seq, slot.item(i.key, i.due)?)))
            .collect();
        items.sort_by_key(|(seq, item)| (item.due, *seq));
        items.into_iter().map(|(_, item)| item).collect()
    }

    fn slot_of(&mut self, case: &CaseId) -> usize {
        if let Some(slot) = self.index.get(case) {
            return *slot as usize;
        }
        let fresh = Slot {
            case: case.clone(),
            state: Tracked::default(),
            items: Vec::new(),
        };
        let slot = match self.free.pop() {
            Some(free) => {
                if let Some(s) = self.slots.get_mut(free as usize) {
                    *s = fresh;
                }
                free
            }
            None => {
                self.slots.push(fresh);
                u32::try_from(self.slots.len() - 1).unwrap_or(u32::MAX)
            }
        };
        self.index.insert(case.clone(), slot);
        slot as usize
    }

    /// The item an entry stands for, if the entry is not stale.
    fn resolve(&self, entry: Entry) -> Option<AgendaItem> {
        let slot = self.slots.get(entry.slot as usize)?;
        let item = slot
            .items
            .iter()
            .find(|i| i.seq == entry.seq && !i.delivered)?;
        slot.item(item.key, item.due)
    }

    fn deliver(&mut self, entry: Entry) {
        if let Some(item) = self
            .slots
            .get_mut(entry.slot as usize)
            .and_then(|s| s.items.iter_mut().find(|i| i.seq == entry.seq))
        {
            item.delivered = true;
            self.live = self.live.saturating_sub(1);
        }
    }

    /// Replaces a slot's items with those its state calls for, keeping the ones that
    /// did not change (and the handed-out ones still called for).
    fn refresh(&mut self, slot: usize) {
        let Some(s) = self.slots.get_mut(slot) else {
            return;
        };
        let Ok(slot_id) = u32::try_from(slot) else {
            return;
        };
        let mut desired = std::mem::take(&mut self.scratch);
        desired.clear();
        s.state.desired(&self.policy, &mut desired);
        let before = s.items.iter().filter(|i| !i.delivered).count();
        let mut items = Vec::with_capacity(desired.len());
        for &(key, due) in &desired {
            match s.items.iter().find(|i| i.key == key) {
                Some(old) if old.delivered || old.due == due => items.push(*old),
                _ => {
                    let seq = self.next_seq;
                    self.next_seq += 1;
                    self.heap.push(Reverse(Entry {
                        due,
                        seq,
                        slot: slot_id,
                    }));
                    items.push(Scheduled {
                        key,
                        due,
                        seq,
                        delivered: false,
                    });
                }
            }
        }
        let after = items.iter().filter(|i| !i.delivered).count();
        s.items = items;
        self.scratch = desired;
        self.live = self.live.saturating_sub(before) + after;
        self.compact();
    }

    /// Drops stale entries once they outnumber the live ones.
    fn compact(&mut self) {
        if self.heap.len() <= 1024 || self.heap.len() <= 2 * self.live {
            return;
        }
        let slots = &self.slots;
        self.heap
            .retain(|Reverse(e)| slots.get(e.slot as usize).is_some_and(|s| s.holds(e.seq)));
    }
}
