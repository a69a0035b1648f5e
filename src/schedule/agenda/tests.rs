//! The agenda against its naive reference ([`Reference`]), compared after every step of
//! random runs over many cases: events of every kind the agenda reads (in any order,
//! at times that sometimes go backwards), whole cases read afresh, items handed out,
//! cases forgotten. Unit tests, because the reference is built on the crate's own SLA
//! tracker.

use super::Agenda;
use super::reference::Reference;
use crate::case::{Case, Event, EventKind, RootCause};
use crate::id::{CaseId, CommitmentId};
use crate::prelude::{
    Actor, Channel, Command, Complaint, Customer, OpenCase, Policy, Priority, Severity, decide,
};
use crate::schedule::commitment::Punctuality;
use crate::schedule::sla::SlaClock;
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;

const CASES: usize = 7;

/// What a step does, before it is turned into an event of a case at a time.
#[derive(Debug, Clone)]
enum Op {
    Open(Priority),
    Thank,
    Apologize,
    Note,
    AwaitCustomer,
    AwaitThirdParty,
    Resume,
    Warn(SlaClock, u8),
    Breach(SlaClock),
    Close,
    Reopen,
    Withdraw,
    Promise(u8, i64),
    Keep(u8),
    Break(u8),
    Cancel(u8),
    Survey,
    /// Read the whole case afresh.
    ObserveCase,
    /// Hand out everything due this many minutes from now, one item at a time.
    Pop(i64),
    Forget,
}

fn arb_clock() -> impl Strategy<Value = SlaClock> {
    prop::sample::select(SlaClock::ALL.to_vec())
}

fn arb_op() -> impl Strategy<Value = Op> {
    let priority = prop::sample::select(vec![
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ]);
    let promise = 0u8..3;
    prop_oneof![
        2 => priority.prop_map(Op::Open),
        3 => Just(Op::Thank),
        2 => Just(Op::Apologize),
        3 => Just(Op::Note),
        2 => Just(Op::AwaitCustomer),
        1 => Just(Op::AwaitThirdParty),
        3 => Just(Op::Resume),
        3 => (arb_clock(), prop::sample::select(vec![0u8, 8, 50, 75, 76, 100, 200]))
            .prop_map(|(c, p)| Op::Warn(c, p)),
        2 => arb_clock().prop_map(Op::Breach),
        1 => Just(Op::Close),
        1 => Just(Op::Reopen),
        1 => Just(Op::Withdraw),
        3 => (promise.clone(), -10i64..90).prop_map(|(id, h)| Op::Promise(id, h)),
        1 => promise.clone().prop_map(Op::Keep),
        1 => promise.clone().prop_map(Op::Break),
        1 => promise.prop_map(Op::Cancel),
        1 => Just(Op::Survey),
        1 => Just(Op::ObserveCase),
        4 => (0i64..3000).prop_map(Op::Pop),
        1 => Just(Op::Forget),
    ]
}

/// Steps: which case, what, and the minutes since the previous step (now and then
/// negative: a host's clock is not always monotonic).
fn arb_steps() -> impl Strategy<Value = Vec<(usize, Op, i64)>> {
    let minutes = prop_oneof![9 => 0i64..400, 1 => -120i64..0];
    prop::collection::vec((0..CASES, arb_op(), minutes), 1..160)
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap()
}

fn dana() -> Actor {
    Actor::builder().id("a-7").name("Dana").build()
}

fn opening(case: &CaseId, priority: Priority, at: DateTime<Utc>) -> EventKind {
    let open = OpenCase::builder()
        .case(case.as_str())
        .customer(
            Customer::builder()
                .id("c-1")
                .name("Amara Okafor")
                .address_as("Ms Okafor")
                .build(),
        )
        .channel(Channel::Email)
        .owner(dana().reference())
        .complaint(Complaint::builder().summary("wrong address").build())
        .severity(Severity::Minor)
        .build();
    let events = decide(
        None,
        &Command::Open(Box::new(open)),
        &dana(),
        at,
        &Policy::default(),
    );
    let mut kind = events.unwrap().remove(0).kind;
    if let EventKind::Opened(opened) = &mut kind {
        opened.priority = priority;
    }
    kind
}

fn kind_of(op: &Op, case: &CaseId, at: DateTime<Utc>) -> Option<EventKind> {
    let promise = |id: u8| CommitmentId::new(format!("p-{id}"));
    let text = || "words".to_owned();
    Some(match op {
        Op::Open(priority) => opening(case, *priority, at),
        Op::Thank => EventKind::Thanked { words: text() },
        Op::Apologize => EventKind::Apologized { words: text() },
        Op::Note => EventKind::NoteAdded { text: text() },
        Op::AwaitCustomer => EventKind::AwaitingCustomer { reason: text() },
        Op::AwaitThirdParty => EventKind::AwaitingThirdParty {
            party: text(),
            reason: text(),
        },
        Op::Resume => EventKind::Resumed {},
        Op::Warn(clock, percent) => EventKind::SlaWarned {
            clock: *clock,
            percent: *percent,
        },
        Op::Breach(clock) => EventKind::SlaBreached { clock: *clock },
        Op::Close => EventKind::Closed {
            root_cause: RootCause::builder()
                .category("warehouse")
                .description("labels swapped")
                .build(),
        },
        Op::Reopen => EventKind::Reopened { reason: text() },
        Op::Withdraw => EventKind::Withdrawn { reason: text() },
        Op::Promise(id, hours) => EventKind::CommitmentMade {
            commitment: promise(*id),
            what: text(),
            owner: dana().reference(),
            promised_for: at + Duration::hours(*hours + 28),
            internal_target: at + Duration::hours(*hours + 4),
            remind_at: at + Duration::hours(*hours),
        },
        Op::Keep(id) => EventKind::CommitmentKept {
            commitment: promise(*id),
            punctuality: Punctuality::OnTime,
        },
        Op::Break(id) => EventKind::CommitmentBroken {
            commitment: promise(*id),
            reason: text(),
        },
        Op::Cancel(id) => EventKind::CommitmentCancelled {
            commitment: promise(*id),
            reason: text(),
        },
        Op::Survey => EventKind::SurveyRecorded {
            score: 4,
            comment: None,
        },
        Op::ObserveCase | Op::Pop(_) | Op::Forget => return None,
    })
}

fn same_view(
    agenda: &mut Agenda,
    reference: &Reference,
    ids: &[CaseId],
    peek: bool,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(agenda.len(), reference.len());
    prop_assert_eq!(agenda.is_empty(), reference.len() == 0);
    // The count of queued cases, which decides when stale queue entries are dropped,
    // is the number of cases with an item pending.
    let queued = agenda
        .slots
        .iter()
        .filter(|(_, s)| s.queued != super::order::Key::NONE)
        .count();
    prop_assert_eq!(agenda.queued, queued);
    prop_assert_eq!(agenda.cases(), reference.cases());
    for id in ids {
        prop_assert_eq!(agenda.pending(id), reference.pending(id), "case {}", id);
    }
    // Peeking drops stale queue entries; not doing it every step lets them pile up
    // until the queue is rebuilt.
    if peek {
        prop_assert_eq!(agenda.next_due(), reference.next_due());
    }
    Ok(())
}

fn run(policy: &Policy, steps: Vec<(usize, Op, i64)>) -> Result<(), TestCaseError> {
    let mut agenda = Agenda::new(policy);
    let mut reference = Reference::new(policy);
    let ids: Vec<CaseId> = (0..CASES)
        .map(|n| CaseId::new(format!("case-{n}")))
        .collect();
    let mut histories: Vec<Vec<Event>> = vec![Vec::new(); CASES];
    let mut now = t0();
    for (step, (which, op, minutes)) in steps.into_iter().enumerate() {
        now += Duration::minutes(minutes);
        let id = &ids[which];
        match op {
            Op::ObserveCase => {
                if let Ok(case) = Case::replay(histories[which].clone()) {
                    agenda.observe_case(&case);
                    reference.observe_case(&case);
                }
            }
            Op::Pop(ahead) => {
                let until = now + Duration::minutes(ahead);
                loop {
                    let popped = agenda.pop_due(until);
                    prop_assert_eq!(&popped, &reference.pop_due(until));
                    if popped.is_none() {
                        break;
                    }
                }
            }
            Op::Forget => {
                agenda.forget(id);
                reference.forget(id);
                histories[which].clear();
            }
            op => {
                let Some(kind) = kind_of(&op, id, now) else {
                    continue;
                };
                let history = &mut histories[which];
                let event = Event {
                    sequence: history.len() as u64 + 1,
                    at: now,
                    actor: dana().reference(),
                    kind,
                };
                agenda.observe(id, &event);
                reference.observe(id, &event);
                history.push(event);
            }
        }
        same_view(&mut agenda, &reference, &ids, step % 5 == 0)?;
    }
    // Everything left comes out in the same order.
    let end = DateTime::<Utc>::MAX_UTC;
    prop_assert_eq!(
        agenda.due_until(end),
        std::iter::from_fn(|| reference.pop_due(end)).collect::<Vec<_>>()
    );
    prop_assert!(agenda.is_empty());
    same_view(&mut agenda, &reference, &ids, true)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    #[test]
    fn the_agenda_agrees_with_the_naive_reference_after_every_step(steps in arb_steps()) {
        run(&Policy::default(), steps)?;
    }

    /// More than fifteen warning thresholds: recorded ones no longer fit the packed
    /// bits, and each case keeps a box of them.
    #[test]
    fn with_many_warning_thresholds_too(steps in arb_steps()) {
        let mut policy = Policy::default();
        policy.follow_up.warn_at = (1..=20).map(|p| p * 4).chain([50, 75, 76]).collect();
        run(&policy, steps)?;
    }

    /// Working time from a business calendar, where due instants come from the
    /// calendar rather than from adding to the packed key.
    #[test]
    fn in_business_time_too(steps in arb_steps()) {
        use crate::schedule::{BusinessCalendar, CalendarConfig, WeekSchedule, WorkingWindow};
        use chrono::NaiveTime;
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
        let calendar = BusinessCalendar::new(
            CalendarConfig::builder()
                .time_zone(chrono_tz::Europe::Paris)
                .week(WeekSchedule::weekdays(&[
                    WorkingWindow::new(t(9), t(12)),
                    WorkingWindow::new(t(14), t(18)),
                ]))
                .build(),
        )
        .unwrap();
        let mut policy = Policy::default();
        policy.follow_up.working_time = calendar.into();
        run(&policy, steps)?;
    }
}

/// Items of two cases due at the same instant come out in the order they were
/// scheduled, even when the sequences were renumbered in between (every 256
/// schedulings in unit tests): case 1's reminder, scheduled first, before case 0's,
/// though case 0 holds the lower slot.
#[test]
fn a_renumbering_keeps_the_order_of_items_due_at_the_same_instant() -> Result<(), TestCaseError> {
    let mut steps = vec![
        (0, Op::Open(Priority::Normal), 0),
        (1, Op::Open(Priority::Normal), 0),
        (2, Op::Open(Priority::Normal), 0),
        // Reminded at t0 + 160 h.
        (1, Op::Promise(0, 160), 0),
    ];
    // A hundred and fifty hourly thanks on case 2: each restarts its update clock and
    // schedules its items again, past the renumbering.
    steps.extend((0..150).map(|_| (2, Op::Thank, 60)));
    // Reminded at t0 + 150 h + 10 h, the same instant.
    steps.push((0, Op::Promise(0, 10), 0));
    run(&Policy::default(), steps)
}
