//! How fast histories become metrics, and how cheaply aggregates merge.
//!
//! Each figure sits beside a baseline measured in the same run:
//!
//! - `metrics_1m/replay` (baseline): `Case::replay` of one million events (62,500
//!   recoveries of 16 events each: thanks, apology, a wait, an explanation, an offer
//!   accepted, an agreed action, a promise kept, goodwill, final thanks, closing, a
//!   survey); `metrics_1m/around_the_clock` and `metrics_1m/business_calendar`: the
//!   metrics of the same histories grouped by week, around the clock and under a
//!   Monday-to-Friday calendar with holidays. Throughput is in events.
//! - `helpdesk/read_lines` (baseline): splitting the Helpdesk log into lines;
//!   `helpdesk/import`: importing it; `helpdesk/import_and_backtest`: importing it and
//!   measuring it under the backtest calendar and targets of `tests/data/helpdesk`.
//! - `merge_1000/clone` (baseline): cloning 1,000 shard aggregates;
//!   `merge_1000/merge`: merging them into one.
//!
//! Run: `cargo bench --bench metrics`.

use chrono::{NaiveTime, TimeDelta, TimeZone, Utc};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use service_recovery::approval::{ResolutionKind, ResolutionOption};
use service_recovery::case::Opened;
use service_recovery::import::{ImportConfig, import_csv};
use service_recovery::metrics::{Aggregate, CaseMetrics, GroupBy, MetricsConfig, Report};
use service_recovery::money::{Currency, Money};
use service_recovery::prelude::*;
use service_recovery::schedule::commitment::Punctuality;
use service_recovery::schedule::{
    BusinessCalendar, CalendarConfig, FollowUpPolicy, WeekSchedule, WorkingWindow, YearlyDate,
};
use std::hint::black_box;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/helpdesk/");

/// One recovery of 16 events, opened `minutes` after a Monday morning.
fn recovery(n: u64) -> Vec<Event> {
    let start = Utc.with_ymd_and_hms(2026, 1, 5, 8, 0, 0).unwrap()
        + TimeDelta::minutes(i64::try_from(n).unwrap() * 7);
    let dana = ActorRef::new("agent-7", "Dana");
    let opened = Opened {
        case: CaseId::new(format!("case-{n}")),
        customer: Customer::builder()
            .id("c-1")
            .name("Amara Okafor")
            .address_as("Ms Okafor")
            .build(),
        channel: Channel::Email,
        owner: dana.clone(),
        complaint: Complaint::builder().summary("wrong address").build(),
        severity: Severity::Moderate,
        priority: Priority::Normal,
        signals: Vec::new(),
    };
    let refund = ResolutionOption::builder()
        .kind(ResolutionKind::PartialRefund)
        .amount(Money::new(2_500, Currency::EUR))
        .build();
    let kinds = vec![
        EventKind::Opened(Box::new(opened)),
        EventKind::Thanked {
            words: "Thank you.".into(),
        },
        EventKind::Apologized {
            words: "I am sorry.".into(),
        },
        EventKind::AwaitingCustomer {
            reason: "photos".into(),
        },
        EventKind::Resumed {},
        EventKind::Explained {
            words: "A label was swapped.".into(),
        },
        EventKind::OptionProposed {
            option: "refund".into(),
            resolution: refund,
        },
        EventKind::OptionOffered {
            option: "refund".into(),
            authority: None,
        },
        EventKind::OfferAccepted {
            option: "refund".into(),
        },
        EventKind::ActionAgreed {
            action: "refund".into(),
            description: "refund 25 EUR".into(),
            option: Some("refund".into()),
        },
        EventKind::CommitmentMade {
            commitment: "p-1".into(),
            what: "refund".into(),
            owner: dana.clone(),
            promised_for: start + TimeDelta::days(3),
            internal_target: start + TimeDelta::days(2),
            remind_at: start + TimeDelta::days(1),
        },
        EventKind::CommitmentKept {
            commitment: "p-1".into(),
            punctuality: Punctuality::Early,
        },
        EventKind::GoodwillGiven {
            description: "voucher".into(),
            value: Some(Money::new(1_000, Currency::EUR)),
            authority: None,
        },
        EventKind::FinalThanksGiven {
            words: "Thank you.".into(),
        },
        EventKind::Closed {
            root_cause: RootCause::builder()
                .category("warehouse")
                .description("labels")
                .build(),
        },
        EventKind::SurveyRecorded {
            score: 4,
            comment: None,
        },
    ];
    kinds
        .into_iter()
        .zip(1u64..)
        .map(|(kind, sequence)| Event {
            sequence,
            at: start + TimeDelta::minutes(i64::try_from(sequence).unwrap() * 37),
            actor: dana.clone(),
            kind,
        })
        .collect()
}

fn calendar() -> BusinessCalendar {
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    BusinessCalendar::new(
        CalendarConfig::builder()
            .time_zone(chrono_tz::Europe::Rome)
            .week(WeekSchedule::weekdays(&[WorkingWindow::new(t(9), t(18))]))
            .yearly_holidays(vec![YearlyDate::new(1, 1), YearlyDate::new(12, 25)])
            .build(),
    )
    .unwrap()
}

fn metrics_1m(c: &mut Criterion) {
    let histories: Vec<Vec<Event>> = (0..62_500).map(recovery).collect();
    let events: u64 = histories.iter().map(|h| h.len() as u64).sum();
    let clock = MetricsConfig::default();
    let business = MetricsConfig::builder()
        .follow_up(
            FollowUpPolicy::builder()
                .working_time(calendar().into())
                .build(),
        )
        .build();
    let mut group = c.benchmark_group("metrics_1m");
    group.sample_size(10);
    group.throughput(Throughput::Elements(events));
    group.bench_function("replay", |b| {
        b.iter_batched(
            || histories.clone(),
            |histories| {
                for history in histories {
                    black_box(Case::replay(history).unwrap());
                }
            },
            BatchSize::PerIteration,
        );
    });
    for (name, config) in [
        ("around_the_clock", &clock),
        ("business_calendar", &business),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| Report::measure(histories.iter().map(Vec::as_slice), config, GroupBy::Week));
        });
    }
    group.finish();
}

fn helpdesk(c: &mut Criterion) {
    let text = std::fs::read_to_string(format!("{DATA}helpdesk.csv")).unwrap();
    let import: ImportConfig =
        serde_json::from_str(&std::fs::read_to_string(format!("{DATA}import.json")).unwrap())
            .unwrap();
    let backtest: MetricsConfig =
        serde_json::from_str(&std::fs::read_to_string(format!("{DATA}backtest.json")).unwrap())
            .unwrap();
    let mut group = c.benchmark_group("helpdesk");
    group.sample_size(10);
    group.throughput(Throughput::Elements(13_710));
    group.bench_function("read_lines", |b| {
        b.iter(|| black_box(&text).lines().count())
    });
    group.bench_function("import", |b| b.iter(|| import_csv(&text, &import).unwrap()));
    group.bench_function("import_and_backtest", |b| {
        b.iter(|| {
            let log = import_csv(&text, &import).unwrap();
            Report::measure(log.histories(), &backtest, GroupBy::Week)
        });
    });
    group.finish();
}

fn merge_1000(c: &mut Criterion) {
    let config = MetricsConfig::default();
    let shards: Vec<Aggregate> = (0..1_000u64)
        .map(|shard| {
            let mut aggregate = Aggregate::default();
            for n in 0..8 {
                let history = recovery(shard * 8 + n);
                aggregate.record(&CaseMetrics::of(&history, &config).unwrap());
            }
            aggregate
        })
        .collect();
    let mut group = c.benchmark_group("merge_1000");
    group.throughput(Throughput::Elements(1_000));
    group.bench_function("clone", |b| b.iter(|| black_box(&shards).to_vec()));
    group.bench_function("merge", |b| {
        b.iter(|| {
            let mut total = Aggregate::default();
            for shard in &shards {
                total.merge(shard);
            }
            total
        });
    });
    group.finish();
}

criterion_group!(benches, metrics_1m, helpdesk, merge_1000);
criterion_main!(benches);
