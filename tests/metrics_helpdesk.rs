//! The real Helpdesk log (Verenich 2016, doi:10.17632/39bp3vv62t.1, CC BY 4.0), end to
//! end: the published figures reproduced from the import, then a backtest under a
//! documented calendar and targets with its counts pinned. See
//! `tests/data/helpdesk/README.md` for the data, the mapping and the calendar.

use chrono::TimeDelta;
use service_recovery::import::{ImportConfig, ImportedLog, import_csv};
use service_recovery::metrics::{ClockTally, GroupBy, MetricsConfig, Milestone, Report};
use service_recovery::schedule::sla::SlaClock;
use service_recovery::{Case, EventKind};
use std::collections::BTreeSet;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/helpdesk/");

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{DATA}{name}")).unwrap()
}

fn import() -> ImportedLog {
    let config: ImportConfig = serde_json::from_str(&read("import.json")).unwrap();
    import_csv(&read("helpdesk.csv"), &config).unwrap()
}

fn backtest_config() -> MetricsConfig {
    serde_json::from_str(&read("backtest.json")).unwrap()
}

fn days(d: TimeDelta) -> f64 {
    d.num_seconds() as f64 / 86_400.0
}

#[test]
fn the_published_figures_are_reproduced() {
    let log = import();
    assert_eq!(log.cases().len(), 3_804);
    assert_eq!(log.rows_read(), 13_710);
    assert_eq!(log.duplicates().len(), 91);
    assert_eq!(log.rows_kept(), 13_619);
    // Nine activities, every one present.
    let activities: Vec<(&str, u64)> = log.activity_counts().collect();
    assert_eq!(activities.len(), 9);
    assert!(activities.iter().all(|(_, n)| *n > 0));
    let distinct: BTreeSet<_> = log.cases().iter().flat_map(|c| c.trace.iter()).collect();
    assert_eq!(distinct.len(), 9);

    // Case duration, first to last event, in days, to the README's three decimals.
    let mut durations: Vec<TimeDelta> =
        log.cases().iter().map(|c| c.last_at - c.first_at).collect();
    durations.sort();
    let total: TimeDelta = durations.iter().copied().sum();
    let mean = days(total) / durations.len() as f64;
    assert_eq!(format!("{mean:.3}"), "8.798");
    // An even count: the median is the mean of the two middle cases.
    let middle = (durations[1_901] + durations[1_902]) / 2;
    assert_eq!(format!("{:.3}", days(middle)), "3.928");

    // Trace lengths: 13,710 rows over 3,804 cases is 3.60 a case; the longest has 14.
    assert_eq!(format!("{:.2}", 13_710.0 / 3_804.0), "3.60");
    assert_eq!(log.cases().iter().map(|c| c.trace.len()).max(), Some(14));
    // Every case ends with "Resolve ticket".
    assert!(
        log.cases()
            .iter()
            .all(|c| c.trace.last().map(|a| a.as_ref()) == Some("Resolve ticket"))
    );
    // 154 variants with the duplicate rows (the README's figure), 149 without them.
    let variants: BTreeSet<&[std::sync::Arc<str>]> =
        log.cases().iter().map(|c| c.trace.as_slice()).collect();
    assert_eq!(variants.len(), 149);
}

#[test]
fn duplicates_are_reported_with_their_lines() {
    let log = import();
    let first = &log.duplicates()[0];
    assert!(first.line > 1);
    let text = first.to_string();
    assert!(
        text.starts_with(&format!("line {}: case {}, ", first.line, first.case)),
        "{text}"
    );
    // Lines ascend.
    assert!(log.duplicates().windows(2).all(|w| w[0].line < w[1].line));
}

#[test]
fn every_imported_history_replays_as_a_case() {
    let log = import();
    for case in log.cases() {
        let replayed = Case::replay(case.history.clone()).unwrap();
        assert_eq!(Some(replayed.id()), case.id());
        assert!(matches!(
            case.history.last().unwrap().kind,
            EventKind::Closed { .. }
        ));
    }
}

/// The backtest: Monday to Friday 09:00–18:00 Europe/Rome with Italian public holidays;
/// first response within 4 business hours, resolution within 5 business days (45 h).
#[test]
fn backtest_counts_are_pinned() {
    let log = import();
    let config = backtest_config();
    let report = Report::measure(log.histories(), &config, GroupBy::Overall);
    assert_eq!(report.unreadable(), 0);
    let all = report.total();
    assert_eq!(
        (all.cases, all.events, all.closed, all.open),
        (3_804, 18_107, 3_804, 0)
    );
    assert_eq!((all.reopened_cases, all.reopenings), (256, 273));
    assert_eq!((all.waiting_cases, all.waits), (815, 901));

    // One outcome per clock per round: 3,804 openings plus 273 reopenings.
    let first = all.clock(SlaClock::FirstResponse);
    assert_eq!(
        first,
        ClockTally {
            met: 2_119,
            late: 1_585,
            overdue: 0,
            pending: 0,
            ended: 373
        }
    );
    let resolution = all.clock(SlaClock::Resolution);
    assert_eq!(
        resolution,
        ClockTally {
            met: 2_962,
            late: 1_115,
            overdue: 0,
            pending: 0,
            ended: 0
        }
    );
    assert_eq!(all.clock(SlaClock::Apology), ClockTally::default());
    assert_eq!(format!("{:.4}", first.attainment().unwrap()), "0.5721");
    assert_eq!(format!("{:.4}", resolution.attainment().unwrap()), "0.7265");

    // Time to first response and to close, opening to milestone, waits included. The
    // business means were checked against an independent computation.
    let to_first = all.time_to(Milestone::FirstResponse);
    assert_eq!(to_first.business.count(), 3_571);
    assert_eq!(
        to_first.business.mean().unwrap().num_milliseconds(),
        68_329_550
    );
    let to_close = all.time_to(Milestone::Close);
    assert_eq!(to_close.calendar.count(), 3_804);
    assert_eq!(
        to_close.business.mean().unwrap().num_milliseconds(),
        189_530_701
    );
    assert_eq!(all.time_to(Milestone::Apology).business.count(), 0);
}

/// The sketch's percentiles stay within 1 % of the exact order statistic on real data.
#[test]
fn percentiles_are_within_one_percent_of_the_exact_ones() {
    let log = import();
    let config = backtest_config();
    let all = Report::measure(log.histories(), &config, GroupBy::Overall).total();
    let mut exact: Vec<i64> = log
        .histories()
        .map(|h| service_recovery::metrics::CaseMetrics::of(h, &config).unwrap())
        .filter_map(|m| m.time_to(Milestone::Close))
        .map(|e| e.business.num_seconds())
        .collect();
    exact.sort();
    for p in [0.1, 0.25, 0.5, 0.75, 0.9, 0.99] {
        let rank = (p * (exact.len() - 1) as f64) as usize;
        let want = exact[rank] as f64;
        let got = all
            .time_to(Milestone::Close)
            .business
            .percentile(p)
            .unwrap()
            .num_seconds() as f64;
        assert!(
            (got - want).abs() <= 0.01 * want + 1.0,
            "p{p}: {got} vs {want}"
        );
    }
}

/// Measuring shards of the log and merging them gives the whole log's report.
#[test]
fn shards_of_the_real_log_merge_into_the_whole() {
    let log = import();
    let config = backtest_config();
    let histories: Vec<_> = log.histories().collect();
    let whole = Report::measure(histories.iter().copied(), &config, GroupBy::Week);
    let mut merged = Report::new(GroupBy::Week, &config);
    for shard in 0..7 {
        let part = histories.iter().copied().skip(shard).step_by(7);
        merged
            .merge(&Report::measure(part, &config, GroupBy::Week))
            .unwrap();
    }
    assert_eq!(merged, whole);
    assert_eq!(merged.total(), whole.total());
    assert_eq!(whole.zone(), chrono_tz::Europe::Rome);
    assert_eq!(whole.groups().map(|(_, a)| a.cases).sum::<u64>(), 3_804);
}
