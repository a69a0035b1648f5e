//! The agenda at a million pending items, and deriving a case's SLA clocks.
//!
//! - `agenda/pop+observe at 1M`: hand out the earliest item and feed one new case-
//!   opening event (12 items) in steady state, beside `baseline/heap pop+push at 1M`,
//!   a plain `BinaryHeap<Reverse<(i64, u64)>>` doing one pop and twelve pushes.
//! - `sla/clocks of a 40-event case` beside `baseline/clone+replay of the same history`.
//!
//! For instruction counts, which a busy machine does not disturb, set
//! `SCHEDULE_FIXED_STEPS=N`: the binary then builds the same agenda and heap, runs N
//! steps of each outside criterion in two `#[inline(never)]` functions, and exits:
//!
//! ```text
//! SCHEDULE_FIXED_STEPS=20000 valgrind --tool=callgrind \
//!     --toggle-collect='*agenda_steps*' --toggle-collect='*heap_steps*' \
//!     target/release/deps/schedule-<hash>
//! callgrind_annotate --inclusive=yes callgrind.out.<pid> | grep _steps
//! ```

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::time::Duration;

use chrono::{TimeDelta, TimeZone, Utc};
use criterion::{Criterion, criterion_group};
use service_recovery::prelude::*;
use service_recovery::schedule::{Agenda, AgendaItem, sla};

fn opening(n: u64, at: chrono::DateTime<Utc>) -> Event {
    let dana = Actor::builder().id("a-7").name("Dana").build();
    let open = service_recovery::testing::open_case_as(&format!("RC-{n}"));
    match decide(None, &open, &dana, at, &Policy::default()) {
        Ok(mut events) => events.remove(0),
        Err(r) => panic!("{r}"),
    }
}

/// `RC-<n>`, without the formatting machinery.
fn case_id(mut n: u64) -> CaseId {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut id = [0u8; 23];
    id[..3].copy_from_slice(b"RC-");
    let len = 3 + digits.len() - start;
    id[3..len].copy_from_slice(&digits[start..]);
    CaseId::new(std::str::from_utf8(&id[..len]).unwrap_or("RC-?"))
}

/// The agenda at about a million items (84 000 cases of 12 items) and a plain heap of
/// the same size, built the same way for criterion and for the fixed-step mode.
struct AtAMillion {
    agenda: Agenda,
    template: Event,
    t0: chrono::DateTime<Utc>,
    next: u64,
    heap: BinaryHeap<Reverse<(i64, u64)>>,
    seq: u64,
    at: i64,
}

impl AtAMillion {
    fn new() -> Self {
        let policy = Policy::default();
        let t0 = Utc
            .with_ymd_and_hms(2026, 3, 2, 14, 0, 0)
            .single()
            .unwrap_or_default();
        let template = opening(0, t0);
        // 84 000 cases × 12 items ≈ 1 million pending items, openings a second apart.
        let cases = 84_000u64;
        let mut agenda = Agenda::new(&policy);
        for n in 0..cases {
            let id = case_id(n);
            let mut event = template.clone();
            event.at = t0 + TimeDelta::seconds(n as i64);
            agenda.observe(&id, &event);
        }
        println!(
            "agenda holds {} items over {} cases",
            agenda.len(),
            agenda.cases()
        );
        let mut heap: BinaryHeap<Reverse<(i64, u64)>> = BinaryHeap::new();
        let mut seq = 0u64;
        for n in 0..cases as i64 {
            for k in 0..12 {
                heap.push(Reverse((n + k * 3600, seq)));
                seq += 1;
            }
        }
        Self {
            agenda,
            template,
            t0,
            next: cases,
            heap,
            seq,
            at: cases as i64,
        }
    }

    /// Hands out the earliest item, then a new case opens later than all others. The
    /// host has the event and the identifier already: the step reuses one event and
    /// writes the identifier's digits by hand, so that what is timed is the agenda's
    /// work, not cloning an event or `format!`.
    fn agenda_step(&mut self) -> Option<AgendaItem> {
        let item = self.agenda.pop_due(chrono::DateTime::<Utc>::MAX_UTC);
        let id = case_id(self.next);
        self.template.at = self.t0 + TimeDelta::seconds(self.next as i64);
        self.agenda.observe(&id, &self.template);
        self.next += 1;
        item
    }

    /// One pop and twelve pushes, the same work as a plain heap of items.
    fn heap_step(&mut self) -> Option<Reverse<(i64, u64)>> {
        let top = self.heap.pop();
        for k in 0..12 {
            self.heap.push(Reverse((self.at + k * 3600, self.seq)));
            self.seq += 1;
        }
        self.at += 1;
        top
    }
}

fn bench_agenda(c: &mut Criterion) {
    let mut world = AtAMillion::new();
    let mut g = c.benchmark_group("agenda");
    g.sample_size(20).measurement_time(Duration::from_secs(3));
    g.bench_function("pop+observe at 1M", |b| {
        b.iter(|| black_box(world.agenda_step()))
    });
    g.bench_function("baseline heap pop+12 push at 1M", |b| {
        b.iter(|| black_box(world.heap_step()))
    });
    g.finish();
}

#[inline(never)]
fn agenda_steps(world: &mut AtAMillion, steps: u64) {
    for _ in 0..steps {
        black_box(world.agenda_step());
    }
}

#[inline(never)]
fn heap_steps(world: &mut AtAMillion, steps: u64) {
    for _ in 0..steps {
        black_box(world.heap_step());
    }
}

fn bench_clocks(c: &mut Criterion) {
    let policy = Policy::default();
    let dana = Actor::builder().id("a-7").name("Dana").build();
    let t0 = Utc
        .with_ymd_and_hms(2026, 3, 2, 14, 0, 0)
        .single()
        .unwrap_or_default();
    let mut case = match Case::replay([opening(1, t0)]) {
        Ok(case) => case,
        Err(e) => panic!("{e}"),
    };
    let mut now = t0;
    let script = [
        Command::Thank(Thank {
            words: "Thank you for telling us.".into(),
        }),
        Command::AwaitCustomer(AwaitCustomer {
            reason: "a photo of the label".into(),
        }),
        Command::Resume(Resume {}),
        Command::ReportTime(ReportTime {}),
        Command::AddNote(AddNote {
            text: "carrier called".into(),
        }),
    ];
    while case.history().len() < 40 {
        for command in &script {
            now += TimeDelta::minutes(37);
            if let Ok(events) = decide(Some(&case), command, &dana, now, &policy) {
                for event in events {
                    let _ = case.apply(event);
                }
            }
        }
    }
    let history = case.history().to_vec();
    let at = now + TimeDelta::hours(3);
    let mut g = c.benchmark_group("sla");
    g.sample_size(20).measurement_time(Duration::from_secs(2));
    g.bench_function(format!("clocks of a {}-event case", history.len()), |b| {
        b.iter(|| black_box(sla::clocks(black_box(&history), &policy, at)))
    });
    g.bench_function("baseline clone+replay of the same history", |b| {
        b.iter(|| black_box(Case::replay(black_box(history.clone()))))
    });
    g.finish();
}

criterion_group!(benches, bench_agenda, bench_clocks);

fn main() {
    if let Some(steps) = std::env::var("SCHEDULE_FIXED_STEPS")
        .ok()
        .and_then(|n| n.parse::<u64>().ok())
    {
        let mut world = AtAMillion::new();
        agenda_steps(&mut world, steps);
        heap_steps(&mut world, steps);
        println!("ran {steps} agenda steps and {steps} heap steps");
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
