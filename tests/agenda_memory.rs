//! How many bytes the agenda holds per pending item, counted by a global allocator
//! that tracks the bytes currently allocated.
//!
//! Method: build the events first; read the allocator's live byte count; feed the
//! events to a new agenda; read the count again. The difference is everything the
//! agenda keeps (heap, per-case slots, index, spare capacity), divided by the pending
//! items. Single-threaded: this file holds one test. The goal (issue 16) is at most
//! 64 bytes per item, spare capacity and stale queue entries included.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

mod support;

use chrono::Duration;
use service_recovery::prelude::*;
use service_recovery::schedule::Agenda;
use support::*;

#[test]
fn a_million_and_more_pending_items_fit_in_64_bytes_each() {
    let policy = Policy::default();
    const CASES: usize = 100_000;
    // Each case: opened (12 SLA items), then a promise: customer-facing, so it stops
    // the first-response clock (3 items fewer) and adds a reminder and an escalation.
    let Command::Open(template) = open_case() else {
        unreachable!()
    };
    let mut events = Vec::with_capacity(CASES);
    for n in 0..CASES {
        let mut open = template.clone();
        open.case = CaseId::new(format!("RC-{n:07}"));
        let at = t0() + Duration::seconds(n as i64);
        let opened = decide(None, &Command::Open(open), &dana(), at, &policy).unwrap();
        let case = Case::replay(opened).unwrap();
        let promise = Command::MakeCommitment(MakeCommitment {
            commitment: CommitmentId::new("call-back"),
            what: "a call back with the tracking number".into(),
            owner: dana().reference(),
            promised_for: at + Duration::days(2),
        });
        let made = decide(Some(&case), &promise, &dana(), at, &policy).unwrap();
        let mut history = case.history().to_vec();
        history.extend(made);
        events.push((case.id().clone(), history));
    }
    let before = LIVE.load(Ordering::Relaxed);
    let mut agenda = Agenda::new(&policy);
    for (case, history) in &events {
        for event in history {
            agenda.observe(case, event);
        }
    }
    let after = LIVE.load(Ordering::Relaxed);
    let items = agenda.len();
    assert_eq!(items, CASES * 11);
    let per_item = (after - before) as f64 / items as f64;
    println!(
        "{items} pending items over {CASES} cases: {} bytes, {per_item:.1} bytes per item",
        after - before
    );
    assert!(per_item <= 64.0, "{per_item:.1} bytes per item");
}
