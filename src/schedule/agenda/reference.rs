//! The naive agenda that the real one is tested against (unit tests only): for every
//! case, the full SLA tracker that [`decide`](crate::decide) itself uses, its promises
//! and survey state, and its items in a plain list; the earliest item is found by
//! scanning every item of every case. This is the agenda as first written, without
//! its heap, its lazy deletion and its packing: slow, and plainly right.

use super::AgendaItem;
use super::AgendaKind;
use crate::case::{Case, Event, EventKind};
use crate::id::{CaseId, CommitmentId};
use crate::policy::Policy;
use crate::schedule::follow_up::FollowUpPolicy;
use crate::schedule::sla::{Crossed, SlaClock, SlaTracker};
use crate::schedule::survey;
use chrono::{DateTime, Utc};

/// An item's identity within its case: the same key with the same due instant is the
/// same item across observations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Reminder(u32),
    AboutToBreak(u32),
    /// Clock, percent, and the round (the update period for the update clock).
    Warning(SlaClock, u8, u32),
    Breach(SlaClock, u32),
    Survey(u32),
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
                self.next_ordinal += 1;
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

    /// The items this case calls for now, in the order they are scheduled.
    fn desired(&self, policy: &FollowUpPolicy) -> Vec<(Key, DateTime<Utc>)> {
        let mut out = Vec::new();
        for p in &self.promises {
            out.push((Key::Reminder(p.ordinal), p.remind_at));
            out.push((Key::AboutToBreak(p.ordinal), p.internal_target));
        }
        let (round, period) = (self.sla.round, self.sla.period);
        let n = |clock| {
            if clock == SlaClock::Update {
                period
            } else {
                round
            }
        };
        for (crossed, amount) in self.sla.unrecorded(policy) {
            let (clock, key) = match crossed {
                Crossed::Warning(clock, p) => (clock, Key::Warning(clock, p, n(clock))),
                Crossed::Breach(clock) => (clock, Key::Breach(clock, n(clock))),
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
        out
    }
}

#[derive(Debug, Clone)]
struct Tracking {
    case: CaseId,
    state: Tracked,
    items: Vec<Scheduled>,
}

impl Tracking {
    fn item(&self, s: &Scheduled) -> AgendaItem {
        let promise = |ordinal: u32| {
            let p = self.state.promises.iter().find(|p| p.ordinal == ordinal);
            p.expect("a promise item's promise").id.clone()
        };
        let kind = match s.key {
            Key::Reminder(o) => AgendaKind::CommitmentReminder {
                commitment: promise(o),
            },
            Key::AboutToBreak(o) => AgendaKind::CommitmentAboutToBreak {
                commitment: promise(o),
            },
            Key::Warning(clock, percent, _) => AgendaKind::SlaWarning { clock, percent },
            Key::Breach(SlaClock::Update, _) => AgendaKind::UpdateDue,
            Key::Breach(clock, _) => AgendaKind::SlaBreach { clock },
            Key::Survey(_) => AgendaKind::SurveyDue,
        };
        AgendaItem {
            case: self.case.clone(),
            due: s.due,
            kind,
        }
    }
}

/// The naive agenda.
#[derive(Debug, Clone)]
pub(super) struct Reference {
    policy: FollowUpPolicy,
    cases: Vec<Tracking>,
    next_seq: u64,
}

impl Reference {
    pub(super) fn new(policy: &Policy) -> Self {
        Self {
            policy: policy.follow_up.clone(),
            cases: Vec::new(),
            next_seq: 0,
        }
    }

    pub(super) fn len(&self) -> usize {
        let items = self.cases.iter().flat_map(|c| &c.items);
        items.filter(|i| !i.delivered).count()
    }

    pub(super) fn cases(&self) -> usize {
        self.cases.len()
    }

    fn tracking(&mut self, case: &CaseId) -> &mut Tracking {
        match self.cases.iter().position(|c| c.case == *case) {
            Some(i) => &mut self.cases[i],
            None => {
                self.cases.push(Tracking {
                    case: case.clone(),
                    state: Tracked::default(),
                    items: Vec::new(),
                });
                self.cases.last_mut().expect("just pushed")
            }
        }
    }

    pub(super) fn observe(&mut self, case: &CaseId, event: &Event) {
        let policy = self.policy.clone();
        self.tracking(case).state.observe(event, &policy);
        self.refresh(case);
    }

    pub(super) fn observe_case(&mut self, case: &Case) {
        let policy = self.policy.clone();
        let mut state = Tracked::default();
        for event in case.history() {
            state.observe(event, &policy);
        }
        self.tracking(case.id()).state = state;
        self.refresh(case.id());
    }

    pub(super) fn forget(&mut self, case: &CaseId) {
        self.cases.retain(|c| c.case != *case);
    }

    /// Replaces a case's items with those it calls for, keeping the unchanged ones and
    /// the handed-out ones still called for.
    fn refresh(&mut self, case: &CaseId) {
        let policy = self.policy.clone();
        let mut next_seq = self.next_seq;
        let tracking = self.tracking(case);
        let mut items = Vec::new();
        for (key, due) in tracking.state.desired(&policy) {
            match tracking.items.iter().find(|i| i.key == key) {
                Some(old) if old.delivered || old.due == due => items.push(*old),
                _ => {
                    items.push(Scheduled {
                        key,
                        due,
                        seq: next_seq,
                        delivered: false,
                    });
                    next_seq += 1;
                }
            }
        }
        tracking.items = items;
        self.next_seq = next_seq;
    }

    /// The earliest pending item, by due instant then sequence: (case index, item
    /// index).
    fn earliest(&self) -> Option<(usize, usize)> {
        let pending = self.cases.iter().enumerate().flat_map(|(c, tracking)| {
            let items = tracking.items.iter().enumerate();
            items
                .filter(|(_, s)| !s.delivered)
                .map(move |(i, s)| ((s.due, s.seq), (c, i)))
        });
        pending.min().map(|(_, at)| at)
    }

    pub(super) fn next_due(&self) -> Option<AgendaItem> {
        let (c, i) = self.earliest()?;
        Some(self.cases[c].item(&self.cases[c].items[i]))
    }

    pub(super) fn pop_due(&mut self, now: DateTime<Utc>) -> Option<AgendaItem> {
        let (c, i) = self.earliest()?;
        let tracking = &mut self.cases[c];
        if tracking.items[i].due > now {
            return None;
        }
        tracking.items[i].delivered = true;
        Some(tracking.item(&tracking.items[i]))
    }

    pub(super) fn pending(&self, case: &CaseId) -> Vec<AgendaItem> {
        let Some(tracking) = self.cases.iter().find(|c| c.case == *case) else {
            return Vec::new();
        };
        let mut items: Vec<&Scheduled> = tracking.items.iter().filter(|s| !s.delivered).collect();
        items.sort_by_key(|s| (s.due, s.seq));
        items.into_iter().map(|s| tracking.item(s)).collect()
    }
}
