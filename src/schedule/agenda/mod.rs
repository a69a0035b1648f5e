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
//! # Forgetting
//!
//! A case stays until [`Agenda::forget`] drops it, even closed with nothing pending:
//! any closed or withdrawn case can be reopened (by a command, or by a low survey
//! score), and the new round's response targets come from the priority and channel
//! read at opening, which only the case's slot remembers (with its round and update
//! counters). Forgetting on its own would make a later `reopened` event schedule
//! nothing. The host, which knows when a case is archived, calls `forget`.
//!
//! # Cost
//!
//! Every case has a slot of 128 bytes (its clocks packed: two durations, two instants,
//! counters and bits) in a slab, found by its identifier through a hash map; the
//! identifier is shared with the host's (`CaseId` is reference-counted), not copied.
//! Items (24 bytes: due instant and scheduling sequence packed in 16, a tag, a link) and
//! open promises (48 bytes) sit in two more slabs, linked by index per case, so a case
//! allocates nothing of its own. The priority queue holds one entry per case, keyed by
//! its earliest pending item, rather than one per item: handing an item out replaces
//! the entry at the top in place, and a case whose earliest item changed leaves its old
//! entry behind, recognized as stale because the slot names its current key; the queue
//! is rebuilt from the slots once stale entries outnumber the cases. Slabs grow by an
//! eighth, not by doubling. Measured with a counting allocator
//! (`tests/agenda_memory.rs`: 100 000 cases with 11 pending items each, so 1.1 million
//! items), the agenda holds about 51 bytes per pending item, spare capacity and
//! stale entries included.
//!
//! ```
//! use chrono::{Duration, TimeZone, Utc};
//! use service_recovery::prelude::*;
//! use service_recovery::schedule::{Agenda, AgendaKind};
//!
//! let dana = Actor::builder().id("a-7").name("Dana").build();
//! let policy = Policy::default(); // 24/7; margin 24 h, reminder 4 h before it
//! let at = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
//! let open = service_recovery::testing::open_case();
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

mod clocks;
mod happening;
mod items;
mod order;
#[cfg(test)]
mod reference;
mod slab;
#[cfg(test)]
mod tests;

use self::clocks::{Clocks, Thresholds};
use self::happening::{Happening, What};
use self::items::{Item, Meaning, ORDINAL_MASK, Promise, Tag};
use self::order::{Key, SEQ_LIMIT};
use self::slab::{NIL, Slab};
use super::follow_up::FollowUpPolicy;
use super::sla::SlaClock;
use crate::case::{Case, Event};
use crate::id::{CaseId, CommitmentId};
use crate::policy::Policy;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fmt;

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

impl fmt::Display for AgendaKind {
    /// What is due, for a person: `remind the owner of promise re-ship`,
    /// `50 % of the update target has passed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CommitmentReminder { commitment } => {
                write!(f, "remind the owner of promise {commitment}")
            }
            Self::CommitmentAboutToBreak { commitment } => {
                write!(f, "promise {commitment} is about to be broken: escalate")
            }
            Self::SlaWarning { clock, percent } => {
                write!(f, "{percent} % of the {clock} target has passed")
            }
            Self::SlaBreach { clock } => write!(f, "the {clock} target is missed"),
            Self::UpdateDue => f.write_str("the customer is owed an update"),
            Self::SurveyDue => f.write_str("the survey is due"),
        }
    }
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

impl fmt::Display for AgendaItem {
    /// `2026-03-04 13:40 UTC  case-1: remind the owner of promise re-ship`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}  {}: {}",
            self.due.format("%Y-%m-%d %H:%M UTC"),
            self.case,
            self.kind
        )
    }
}

/// Stale queue entries tolerated beyond one per queued case before the queue is rebuilt
/// (in unit tests none, so that rebuilding is exercised).
const QUEUE_SLACK: usize = if cfg!(test) { 0 } else { 1024 };

/// What the agenda keeps of one case.
#[derive(Debug, Clone)]
struct Slot {
    /// The case, shared with the index (`None` in a free place).
    case: Option<CaseId>,
    /// The key of the case's earliest pending item, under which the case is queued;
    /// [`Key::NONE`] while nothing is pending. A queue entry with another key is stale.
    queued: Key,
    clocks: Clocks,
    /// The case's first item in the item slab, or [`NIL`].
    items: u32,
    /// The case's first open promise, in the order they were made, or [`NIL`].
    promises: u32,
    /// The ordinal of the next promise made.
    next_ordinal: u32,
}

impl Default for Slot {
    fn default() -> Self {
        Self {
            case: None,
            queued: Key::NONE,
            clocks: Clocks::default(),
            items: NIL,
            promises: NIL,
            next_ordinal: 0,
        }
    }
}

/// Pending follow-ups across many cases; see the [module documentation](self).
#[derive(Debug, Clone)]
pub struct Agenda {
    policy: FollowUpPolicy,
    thresholds: Thresholds,
    /// One entry per case with a pending item, keyed by that case's earliest; stale
    /// entries are skipped when they surface and dropped when the queue is rebuilt.
    queue: BinaryHeap<Reverse<(Key, u32)>>,
    slots: Slab<Slot>,
    items: Slab<Item>,
    promises: Slab<Promise>,
    index: HashMap<CaseId, u32>,
    next_seq: u64,
    /// Pending items.
    live: usize,
    /// Cases with a pending item: the queue's live entries.
    queued: usize,
    /// The items a case calls for, each keyed with sequence 0, reused between refreshes.
    scratch: Vec<(Tag, Key)>,
}

impl Agenda {
    /// An empty agenda that schedules by `policy`'s follow-up settings.
    pub fn new(policy: &Policy) -> Self {
        Self {
            policy: policy.follow_up.clone(),
            thresholds: Thresholds::new(&policy.follow_up),
            queue: BinaryHeap::new(),
            slots: Slab::new(),
            items: Slab::new(),
            promises: Slab::new(),
            index: HashMap::new(),
            next_seq: 0,
            live: 0,
            queued: 0,
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
        let happening = Happening::of(event, &self.policy);
        let Some(slot) = self.slot_of(case) else {
            return;
        };
        let Some(s) = self.slots.get_mut(slot) else {
            return;
        };
        let epoch = (s.clocks.round, s.clocks.period);
        s.clocks.observe(&happening, &self.policy, &self.thresholds);
        self.note_promise(slot, happening.what);
        self.refresh(slot, epoch);
    }

    /// Reads a whole case afresh: its items are replaced by those its history calls
    /// for. Items already handed out are not handed out again.
    pub fn observe_case(&mut self, case: &Case) {
        let Some(slot) = self.slot_of(case.id()) else {
            return;
        };
        let Some(s) = self.slots.get_mut(slot) else {
            return;
        };
        let epoch = (s.clocks.round, s.clocks.period);
        s.clocks = Clocks::default();
        s.next_ordinal = 0;
        let mut promise = std::mem::replace(&mut s.promises, NIL);
        while let Some(p) = self.promises.remove(promise) {
            promise = p.next;
        }
        for event in case.history() {
            let happening = Happening::of(event, &self.policy);
            if let Some(s) = self.slots.get_mut(slot) {
                s.clocks.observe(&happening, &self.policy, &self.thresholds);
            }
            self.note_promise(slot, happening.what);
        }
        self.refresh(slot, epoch);
    }

    /// Drops a case and its items (when the host archives it). See
    /// [Forgetting](self#forgetting) for why this is not automatic.
    pub fn forget(&mut self, case: &CaseId) {
        let Some(slot) = self.index.remove(case) else {
            return;
        };
        let Some(s) = self.slots.remove(slot) else {
            return;
        };
        let mut at = s.items;
        while let Some(item) = self.items.remove(at) {
            if !item.delivered() {
                self.live = self.live.saturating_sub(1);
            }
            at = item.next;
        }
        let mut at = s.promises;
        while let Some(p) = self.promises.remove(at) {
            at = p.next;
        }
        if s.queued != Key::NONE {
            self.queued = self.queued.saturating_sub(1);
        }
    }

    /// The earliest pending item, without handing it out.
    pub fn next_due(&mut self) -> Option<AgendaItem> {
        let (key, slot) = self.earliest()?;
        let s = self.slots.get(slot)?;
        let (item, _) = pending_items(s, &self.items).find(|(item, _)| item.key == key)?;
        describe(s, &self.promises, item.tag(), key)
    }

    /// Hands out the earliest item due at or before `now`, if any.
    pub fn pop_due(&mut self, now: DateTime<Utc>) -> Option<AgendaItem> {
        let limit = Key::latest_at(now);
        loop {
            let (key, slot) = self.earliest()?;
            if key > limit {
                return None;
            }
            let s = self.slots.get_mut(slot)?;
            // One pass over the case's items: hand this one out, find the next.
            let mut handed = None;
            let mut next = Key::NONE;
            let mut at = s.items;
            while let Some(item) = self.items.get_mut(at) {
                if !item.delivered() {
                    if item.key == key && handed.is_none() {
                        item.deliver();
                        handed = Some(item.tag());
                    } else {
                        next = next.min(item.key);
                    }
                }
                at = item.next;
            }
            s.queued = next;
            if let Some(mut top) = self.queue.peek_mut() {
                if next == Key::NONE {
                    std::collections::binary_heap::PeekMut::pop(top);
                } else {
                    *top = Reverse((next, slot));
                }
            }
            if next == Key::NONE {
                self.queued = self.queued.saturating_sub(1);
            }
            let Some(tag) = handed else {
                continue;
            };
            self.live = self.live.saturating_sub(1);
            if let Some(item) = self
                .slots
                .get(slot)
                .and_then(|s| describe(s, &self.promises, tag, key))
            {
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
        let Some(s) = self.index.get(case).and_then(|i| self.slots.get(*i)) else {
            return Vec::new();
        };
        let mut items: Vec<(Key, Tag)> = pending_items(s, &self.items)
            .map(|(item, _)| (item.key, item.tag()))
            .collect();
        items.sort_unstable_by_key(|(key, _)| *key);
        items
            .into_iter()
            .filter_map(|(key, tag)| describe(s, &self.promises, tag, key))
            .collect()
    }

    /// The queue's top after dropping stale entries: the earliest pending item's key
    /// and its case.
    fn earliest(&mut self) -> Option<(Key, u32)> {
        loop {
            let Reverse((key, slot)) = *self.queue.peek()?;
            if self.slots.get(slot).is_some_and(|s| s.queued == key) {
                return Some((key, slot));
            }
            self.queue.pop();
        }
    }

    fn slot_of(&mut self, case: &CaseId) -> Option<u32> {
        if let Some(slot) = self.index.get(case) {
            return Some(*slot);
        }
        let slot = self.slots.insert(Slot {
            case: Some(case.clone()),
            ..Slot::default()
        })?;
        self.index.insert(case.clone(), slot);
        Some(slot)
    }

    /// Keeps the case's open promises: a promise made again replaces the earlier one
    /// of the same identifier (its items go, new ones come); a settled one goes.
    fn note_promise(&mut self, slot: u32, what: What<'_>) {
        match what {
            What::Promised {
                commitment,
                remind_at,
                internal_target,
            } => {
                self.drop_promises(slot, commitment);
                let Some(s) = self.slots.get_mut(slot) else {
                    return;
                };
                let ordinal = s.next_ordinal;
                s.next_ordinal = ordinal.wrapping_add(1) & ORDINAL_MASK;
                let Some(made) = self.promises.insert(Promise {
                    id: Some(commitment.clone()),
                    remind_at,
                    internal_target,
                    ordinal,
                    next: NIL,
                }) else {
                    return;
                };
                // Appended, so that the items keep the order the promises were made in.
                if s.promises == NIL {
                    s.promises = made;
                    return;
                }
                let mut at = s.promises;
                while let Some(p) = self.promises.get_mut(at) {
                    if p.next == NIL {
                        p.next = made;
                        return;
                    }
                    at = p.next;
                }
            }
            What::Settled { commitment } => self.drop_promises(slot, commitment),
            What::Opened { .. }
            | What::Reopened
            | What::Awaiting
            | What::Resumed
            | What::Warned { .. }
            | What::Breached { .. }
            | What::Closed
            | What::Withdrawn
            | What::Apologized
            | What::Surveyed
            | What::Other => {}
        }
    }

    fn drop_promises(&mut self, slot: u32, id: &CommitmentId) {
        let Some(s) = self.slots.get_mut(slot) else {
            return;
        };
        let mut before = NIL;
        let mut at = s.promises;
        while let Some(p) = self.promises.get(at) {
            let next = p.next;
            if p.id.as_ref() == Some(id) {
                match self.promises.get_mut(before) {
                    Some(b) => b.next = next,
                    None => s.promises = next,
                }
                self.promises.remove(at);
            } else {
                before = at;
            }
            at = next;
        }
    }

    /// Replaces a case's items with those its state calls for, keeping the ones that
    /// did not change (and the handed-out ones still called for). `epoch` is the
    /// case's (round, update period) before the events just observed.
    fn refresh(&mut self, slot: u32, epoch: (u32, u32)) {
        let mut desired = std::mem::take(&mut self.scratch);
        desired.clear();
        let Some(s) = self.slots.get(slot) else {
            self.scratch = desired;
            return;
        };
        let mut at = s.promises;
        while let Some(p) = self.promises.get(at) {
            if let Some(due) = Key::new(p.remind_at, 0) {
                desired.push((Tag::reminder(p.ordinal), due));
            }
            if let Some(due) = Key::new(p.internal_target, 0) {
                desired.push((Tag::about_to_break(p.ordinal), due));
            }
            at = p.next;
        }
        s.clocks
            .desired(&self.policy, &self.thresholds, &mut desired);
        let now = (s.clocks.round, s.clocks.period);
        let wanted = u64::try_from(desired.len()).unwrap_or(u64::MAX);
        if self.next_seq.saturating_add(wanted) >= SEQ_LIMIT {
            self.renumber();
        }
        let Some(s) = self.slots.get_mut(slot) else {
            self.scratch = desired;
            return;
        };
        let mut old = std::mem::replace(&mut s.items, NIL);
        let mut fresh = NIL;
        let mut gone = 0usize;
        let mut came = 0usize;
        for &(tag, due) in &desired {
            // Take the item of the same identity out of the old list, if there is one.
            let mut before = NIL;
            let mut at = old;
            while let Some(item) = self.items.get(at) {
                if item.tag() == tag && tag.same_epoch(epoch, now) {
                    let next = item.next;
                    match self.items.get_mut(before) {
                        Some(b) => b.next = next,
                        None => old = next,
                    }
                    break;
                }
                before = at;
                at = item.next;
            }
            if let Some(item) = self.items.get_mut(at) {
                if item.delivered() || item.key.same_due(due) {
                    item.next = fresh;
                    fresh = at;
                    continue;
                }
                gone += 1;
                self.items.remove(at);
            }
            let Some(key) = due.with_seq(self.next_seq) else {
                continue;
            };
            if let Some(new) = self.items.insert(Item::new(key, tag, fresh)) {
                self.next_seq += 1;
                fresh = new;
                came += 1;
            }
        }
        // What the case no longer calls for.
        while let Some(item) = self.items.remove(old) {
            if !item.delivered() {
                gone += 1;
            }
            old = item.next;
        }
        s.items = fresh;
        let earliest = pending_items(s, &self.items)
            .map(|(item, _)| item.key)
            .min()
            .unwrap_or(Key::NONE);
        self.live = self.live.saturating_sub(gone) + came;
        self.scratch = desired;
        self.requeue(slot, earliest);
    }

    /// Queues a case under its earliest pending item's key, if that changed.
    fn requeue(&mut self, slot: u32, earliest: Key) {
        let Some(s) = self.slots.get_mut(slot) else {
            return;
        };
        if s.queued == earliest {
            return;
        }
        if s.queued == Key::NONE {
            self.queued += 1;
        } else if earliest == Key::NONE {
            self.queued = self.queued.saturating_sub(1);
        }
        s.queued = earliest;
        if earliest != Key::NONE {
            if self.queue.len() == self.queue.capacity() {
                self.queue.reserve_exact((self.queue.len() / 8).max(16));
            }
            self.queue.push(Reverse((earliest, slot)));
        }
        if self.queue.len() > 2 * self.queued + QUEUE_SLACK {
            self.rebuild_queue();
        }
    }

    /// One entry per case with a pending item, the stale ones dropped.
    fn rebuild_queue(&mut self) {
        let mut entries = std::mem::take(&mut self.queue).into_vec();
        entries.clear();
        entries.extend(
            self.slots
                .iter()
                .filter(|(_, s)| s.queued != Key::NONE)
                .map(|(slot, s)| Reverse((s.queued, slot))),
        );
        self.queue = BinaryHeap::from(entries);
    }

    /// Gives the pending items sequences from 0 again, in their order, before the
    /// sequence would outgrow its 53 bits; handed-out items keep theirs, which nothing
    /// compares.
    fn renumber(&mut self) {
        let mut order: Vec<(Key, u32)> = self
            .items
            .iter()
            .filter(|(_, item)| item.key != Key::NONE && !item.delivered())
            .map(|(index, item)| (item.key, index))
            .collect();
        order.sort_unstable();
        let mut seq = 0u64;
        for (key, index) in order {
            if let (Some(item), Some(key)) = (self.items.get_mut(index), key.with_seq(seq)) {
                item.key = key;
                seq += 1;
            }
        }
        self.next_seq = seq;
        let mut queued = 0;
        for slot in 0..self.slots.len() {
            let Some(s) = self.slots.get(slot) else {
                continue;
            };
            let earliest = pending_items(s, &self.items)
                .map(|(item, _)| item.key)
                .min()
                .unwrap_or(Key::NONE);
            if let Some(s) = self.slots.get_mut(slot) {
                s.queued = earliest;
                queued += usize::from(earliest != Key::NONE);
            }
        }
        self.queued = queued;
        self.rebuild_queue();
    }
}

/// The pending items of a case, each with its slab index.
fn pending_items<'a>(s: &Slot, items: &'a Slab<Item>) -> impl Iterator<Item = (&'a Item, u32)> {
    let mut at = s.items;
    std::iter::from_fn(move || {
        let here = at;
        let item = items.get(here)?;
        at = item.next;
        Some((item, here))
    })
    .filter(|(item, _)| !item.delivered())
}

/// The item a tag and key stand for, in a case.
fn describe(s: &Slot, promises: &Slab<Promise>, tag: Tag, key: Key) -> Option<AgendaItem> {
    let promise = |ordinal: u32| {
        let mut at = s.promises;
        while let Some(p) = promises.get(at) {
            if p.ordinal == ordinal {
                return p.id.clone();
            }
            at = p.next;
        }
        None
    };
    let kind = match tag.meaning() {
        Meaning::Reminder { ordinal } => AgendaKind::CommitmentReminder {
            commitment: promise(ordinal)?,
        },
        Meaning::AboutToBreak { ordinal } => AgendaKind::CommitmentAboutToBreak {
            commitment: promise(ordinal)?,
        },
        Meaning::Warning { clock, percent } => AgendaKind::SlaWarning { clock, percent },
        Meaning::Breach {
            clock: SlaClock::Update,
        } => AgendaKind::UpdateDue,
        Meaning::Breach { clock } => AgendaKind::SlaBreach { clock },
        Meaning::Survey => AgendaKind::SurveyDue,
    };
    Some(AgendaItem {
        case: s.case.clone()?,
        due: key.due()?,
        kind,
    })
}
