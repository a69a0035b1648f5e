//! Review throughput over a corpus of realistic agent messages, beside a plain
//! byte scan of the same corpus as the baseline measured in the same run.
//!
//! For instruction counts, which a busy machine does not disturb, set
//! `REVIEW_FIXED_BYTES=N`: the binary then builds the same corpus of at least N
//! bytes, reviews every message once in the `#[inline(never)]` function
//! `review_all`, prints the bytes and the findings, and exits.
//! `scripts/review-instructions` runs it under callgrind and prints the
//! instructions per byte:
//!
//! ```text
//! REVIEW_FIXED_BYTES=1048576 valgrind --tool=callgrind --toggle-collect='*review_all*' \
//!     target/release/deps/review-<hash>
//! callgrind_annotate --inclusive=yes callgrind.out.<pid> | grep review_all
//! ```

use std::hint::black_box;
use std::time::Duration;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use criterion::{Criterion, Throughput, criterion_group};
use service_recovery::review::{ReviewContext, Reviewer, normalize};

/// Message templates: good and bad, single-line ASCII (the no-copy path), with
/// paragraphs, curly apostrophes and non-ASCII names (the normalizing path).
const TEMPLATES: &[&str] = &[
    "Hi {name}, I'm sorry we charged you twice. I've refunded the extra 42.00 EUR today and it will reach your account by Friday 14 June.",
    "Hi {name},\n\nThank you for telling us about the late parcel. I'm sorry it did not arrive on Tuesday as promised. The courier will deliver it on Monday 10 June between 9 and 12.\n\nBest regards,\nPriya",
    "We apologize for any inconvenience this may have caused. Your replacement will be shipped shortly.",
    "Sorry, but as per our policy we can't refund opened items. You should have read the terms before ordering.",
    "I’m sorry you’re unhappy with the repair, {name}. A technician will visit sometime next week.",
    "As I already said, the parcel left our warehouse on Tuesday. Please calm down so I can help you.",
    "Thank you for your patience, {name}. Your case is now closed; if anything else comes up, just reply to this email.",
    "Thanks for the photos! I've booked the repair for Monday 10 June at 10:00 and the engineer will call you 30 minutes before arriving.",
    "That's our policy, I'm afraid. There's nothing I can do about the fare, but I have passed your feedback to the team.",
    "Dear {name},\n\nI read your message twice and you're right: we sent the order to the wrong address. I've reshipped it by express today, tracking number 1Z999AA10123456784, and it will arrive by Thursday 13 June.\n\nKind regards,\nSam",
    "Obviously the box was damaged in transit. We'll get back to you as soon as possible.",
    "{name}, I’ve escalated this to my manager, Maria, who has approved a full refund of 129.99 USD. You will see it on your statement within three working days, by Wednesday 12 June at the latest.",
    "You wrote that we said \"soon\" — I'm sorry, that was not good enough. The new date is Friday 14 June, and I will call you on Thursday to confirm.",
    "> Obviously you don't care about your customers.\nI do care, {name}, and I'm sorry we let you down. I've refunded the delivery fee of 4.99 EUR.",
    "The soonest slot we have is Monday morning; I've reserved it for you. No obviousness intended — the form really was confusing, and we are changing it.",
];

const NAMES: &[&str] = &[
    "Anna",
    "Zoë",
    "Mr Kowalski",
    "Sean O’Brien",
    "Priyanka",
    "José",
    "Li Wei",
    "Émilie",
];

/// A few megabytes of messages, varied by name and by a running number.
fn corpus(target_bytes: usize) -> Vec<String> {
    let mut messages = Vec::new();
    let mut total = 0;
    let mut i = 0usize;
    while total < target_bytes {
        let template = TEMPLATES[i % TEMPLATES.len()];
        let name = NAMES[(i / TEMPLATES.len()) % NAMES.len()];
        let message = format!("{} (ref {i})", template.replace("{name}", name));
        total += message.len();
        messages.push(message);
        i += 1;
    }
    messages
}

fn review_throughput(c: &mut Criterion) {
    let reviewer = Reviewer::english().expect("the built-in rules compile");
    let messages = corpus(4 << 20);
    let bytes: usize = messages.iter().map(String::len).sum();
    let context = ReviewContext::builder()
        .customer_name("Anna Kowalski")
        .step("commitment")
        .build();
    let ascii: Vec<&String> = messages
        .iter()
        .filter(|m| m.is_ascii() && !m.contains("  ") && !m.contains('\n'))
        .collect();
    let ascii_bytes: usize = ascii.iter().map(|m| m.len()).sum();

    let mut group = c.benchmark_group("review");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(3));
    group.warm_up_time(Duration::from_secs(1));
    group.throughput(Throughput::Bytes(bytes as u64));

    group.bench_function("baseline: count b'.' bytes", |b| {
        b.iter(|| {
            messages
                .iter()
                .map(|m| m.bytes().filter(|&b| b == b'.').count())
                .sum::<usize>()
        })
    });
    // Reference: the bare automaton over the same phrases, no normalization,
    // boundaries or findings; the floor that the review builds on.
    let phrases: Vec<String> = reviewer
        .rule_set()
        .rules
        .iter()
        .flat_map(|r| r.patterns.iter().chain(&r.exceptions).map(|p| normalize(p)))
        .collect();
    let automaton = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(true)
        .kind(Some(AhoCorasickKind::DFA))
        .build(&phrases)
        .expect("the phrases compile");
    group.bench_function("reference: bare automaton, overlapping", |b| {
        b.iter(|| {
            messages
                .iter()
                .map(|m| {
                    automaton
                        .find_overlapping_iter(black_box(m.as_str()))
                        .count()
                })
                .sum::<usize>()
        })
    });
    group.bench_function("english rules, all messages", |b| {
        b.iter(|| {
            messages
                .iter()
                .map(|m| reviewer.review(black_box(m), &context).findings.len())
                .sum::<usize>()
        })
    });
    group.throughput(Throughput::Bytes(ascii_bytes as u64));
    group.bench_function("english rules, single-line ASCII messages only", |b| {
        b.iter(|| {
            ascii
                .iter()
                .map(|m| reviewer.review(black_box(m), &context).findings.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

/// Reviews every message once: the whole cost measured by instruction counts.
#[inline(never)]
fn review_all(reviewer: &Reviewer, messages: &[String], context: &ReviewContext) -> usize {
    messages
        .iter()
        .map(|m| reviewer.review(black_box(m), context).findings.len())
        .sum()
}

criterion_group!(benches, review_throughput);

fn main() {
    if let Some(target) = std::env::var("REVIEW_FIXED_BYTES")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    {
        let reviewer = Reviewer::english().expect("the built-in rules compile");
        let messages = corpus(target);
        let bytes: usize = messages.iter().map(String::len).sum();
        let context = ReviewContext::builder()
            .customer_name("Anna Kowalski")
            .step("commitment")
            .build();
        // One review first, so that the per-thread buffers exist before counting.
        black_box(reviewer.review(&messages[0], &context));
        let findings = review_all(&reviewer, &messages, &context);
        println!(
            "reviewed {} messages, {bytes} bytes: {findings} findings",
            messages.len()
        );
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
