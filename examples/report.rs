//! A backtest of a real help desk's tickets, drawn as an SVG report.
//!
//! Imports the Helpdesk event log (Verenich 2016, Mendeley Data,
//! doi:10.17632/39bp3vv62t.1, CC BY 4.0; see `tests/data/helpdesk/README.md`), replays
//! every ticket under a Monday-to-Friday 09:00–18:00 Europe/Rome calendar with the
//! Italian public holidays and two response targets (first response within 4 business
//! hours, resolution within 5 business days), prints a summary table, and writes three
//! charts: resolution time in business hours, weekly target attainment, and the
//! activity Pareto.
//!
//! Run: `cargo run --example report [-- OUTPUT.svg]` (default
//! `target/helpdesk-report.svg`).

use chrono::{NaiveDate, TimeDelta};
use plotters::prelude::*;
use service_recovery::import::{ImportConfig, ImportedLog, Importer};
use service_recovery::metrics::{
    Aggregate, CaseMetrics, ClockTally, Distribution, GroupBy, GroupKey, MetricsConfig, Milestone,
    Pareto, Report,
};
use service_recovery::schedule::sla::SlaClock;
use std::error::Error;
use std::io::BufRead;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/helpdesk/");

fn main() -> Result<(), Box<dyn Error>> {
    let output = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/helpdesk-report.svg").into()
    });
    let import: ImportConfig =
        serde_json::from_str(&std::fs::read_to_string(format!("{DATA}import.json"))?)?;
    let backtest: MetricsConfig =
        serde_json::from_str(&std::fs::read_to_string(format!("{DATA}backtest.json"))?)?;

    println!("Helpdesk log: Verenich (2016), Mendeley Data, doi:10.17632/39bp3vv62t.1, CC BY 4.0");
    let log = read_log(&import)?;
    println!(
        "{} rows read, {} exact duplicates skipped, {} cases, {} events",
        log.rows_read(),
        log.duplicates().len(),
        log.cases().len(),
        log.events()
    );
    println!(
        "clock: file read at {}; calendar: Mon-Fri 09:00-18:00 Europe/Rome, Italian public holidays",
        import.clock
    );
    println!(
        "targets: first response within 4 business hours, resolution within 5 business days (45 h)\n"
    );

    // One pass: per-case metrics into an overall and a weekly report, and the
    // resolution times for the histogram.
    let mut overall = Report::new(GroupBy::Overall, &backtest);
    let mut weekly = Report::new(GroupBy::Week, &backtest);
    let mut resolution_hours = Vec::with_capacity(log.cases().len());
    for history in log.histories() {
        let case = CaseMetrics::of(history, &backtest)?;
        overall.record(&case);
        weekly.record(&case);
        if let Some(close) = case.time_to(Milestone::Close) {
            resolution_hours.push(hours(close.business));
        }
    }
    let all = overall.total();
    print_summary(&all);

    let activities = Pareto::from_counts(log.activity_counts());
    if let Some(parent) = std::path::Path::new(&output).parent() {
        std::fs::create_dir_all(parent)?;
    }
    draw(&output, &resolution_hours, &weekly, &activities)?;
    println!("\nreport written to {output}");
    Ok(())
}

/// Reads the log line by line, as a host would stream a large file, with progress.
fn read_log(config: &ImportConfig) -> Result<ImportedLog, Box<dyn Error>> {
    let file = std::fs::File::open(format!("{DATA}helpdesk.csv"))?;
    let mut importer = Importer::new(config);
    for line in std::io::BufReader::new(file).lines() {
        importer.read_line(&line?)?;
        if importer.rows_read() % 5_000 == 0 && importer.rows_read() > 0 {
            println!("  importing: {} rows read", importer.rows_read());
        }
    }
    println!(
        "  importing: {} rows read, building histories",
        importer.rows_read()
    );
    Ok(importer.finish()?)
}

fn hours(d: TimeDelta) -> f64 {
    d.num_seconds() as f64 / 3_600.0
}

fn show(d: Option<TimeDelta>) -> String {
    d.map_or_else(|| "-".into(), |d| format!("{:.1} h", hours(d)))
}

fn print_summary(all: &Aggregate) {
    println!(
        "{:<32} {:>6} {:>10} {:>10} {:>10} {:>10}",
        "duration (opening to ...)", "cases", "mean", "median", "p90", "max"
    );
    let row = |name: &str, d: &Distribution| {
        println!(
            "{:<32} {:>6} {:>10} {:>10} {:>10} {:>10}",
            name,
            d.count(),
            show(d.mean()),
            show(d.percentile(0.5)),
            show(d.percentile(0.9)),
            show(d.max())
        );
    };
    for milestone in [Milestone::FirstResponse, Milestone::Close] {
        let d = all.time_to(milestone);
        row(&format!("{milestone}, calendar"), &d.calendar);
        row(&format!("{milestone}, business"), &d.business);
    }
    row("waiting (cases that waited), cal.", &all.waiting.calendar);
    row("waiting (cases that waited), bus.", &all.waiting.business);
    println!("  (medians and p90 within 1 %: DDSketch)\n");

    println!(
        "{:<16} {:>6} {:>6} {:>8} {:>8} {:>6} {:>11}",
        "target", "met", "late", "overdue", "pending", "ended", "attainment"
    );
    for clock in [SlaClock::FirstResponse, SlaClock::Resolution] {
        let t: ClockTally = all.clock(clock);
        println!(
            "{:<16} {:>6} {:>6} {:>8} {:>8} {:>6} {:>10.1}%",
            clock.to_string(),
            t.met,
            t.late,
            t.overdue,
            t.pending,
            t.ended,
            t.attainment().unwrap_or(0.0) * 100.0
        );
    }
    println!(
        "\ncases {}, closed {}, reopened {} ({:.1} %), reopenings {}, waits {}",
        all.cases,
        all.closed,
        all.reopened_cases,
        all.reopen_rate().unwrap_or(0.0) * 100.0,
        all.reopenings,
        all.waits
    );
}

fn draw(
    path: &str,
    resolution_hours: &[f64],
    weekly: &Report,
    activities: &Pareto,
) -> Result<(), Box<dyn Error>> {
    let root = SVGBackend::new(path, (1000, 1500)).into_drawing_area();
    root.fill(&WHITE)?;
    let (title, body) = root.split_vertically(60);
    title.draw(&Text::new(
        "Helpdesk log backtest: Mon-Fri 09-18 Europe/Rome, first response 4 h, resolution 45 h",
        (20, 20),
        ("sans-serif", 22).into_font(),
    ))?;
    let panels = body.split_evenly((3, 1));
    histogram(&panels[0], resolution_hours)?;
    attainment(&panels[1], weekly)?;
    pareto(&panels[2], activities)?;
    root.present()?;
    Ok(())
}

/// Resolution time in business hours, in bins of half a business day (4.5 h), the
/// last bin holding everything from 20 business days on.
fn histogram(
    area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    values: &[f64],
) -> Result<(), Box<dyn Error>> {
    const BIN: f64 = 4.5;
    const BINS: usize = 40;
    let mut counts = [0u32; BINS];
    for v in values {
        let bin = ((v / BIN) as usize).min(BINS - 1);
        counts[bin] += 1;
    }
    let top = counts.iter().copied().max().unwrap_or(1);
    let mut chart = ChartBuilder::on(area)
        .caption(
            "Time to close in business hours (bins of 4.5 h; last bin: 180 h and more)",
            ("sans-serif", 18),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0f64..BIN * BINS as f64, 0u32..top + top / 10)?;
    chart
        .configure_mesh()
        .x_desc("business hours from opening to first close")
        .y_desc("cases")
        .disable_x_mesh()
        .draw()?;
    chart.draw_series(counts.iter().enumerate().map(|(i, n)| {
        let x = i as f64 * BIN;
        Rectangle::new([(x + 0.3, 0), (x + BIN - 0.3, *n)], BLUE.mix(0.6).filled())
    }))?;
    let target = 45.0;
    chart
        .draw_series(LineSeries::new(
            [(target, 0), (target, top)],
            RED.stroke_width(2),
        ))?
        .label("resolution target, 45 h")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], RED.stroke_width(2)));
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE)
        .draw()?;
    Ok(())
}

/// The share of each week's cases that met each target, by ISO week of opening.
fn attainment(
    area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    weekly: &Report,
) -> Result<(), Box<dyn Error>> {
    let mut first = Vec::new();
    let mut resolution = Vec::new();
    let mut days = Vec::new();
    let origin = NaiveDate::from_ymd_opt(2010, 1, 1).ok_or("date")?;
    for (key, aggregate) in weekly.groups() {
        let GroupKey::Week { year, week } = key else {
            continue;
        };
        let monday =
            NaiveDate::from_isoywd_opt(*year, *week, chrono::Weekday::Mon).ok_or("week")?;
        let x = (monday - origin).num_days() as f64;
        days.push(x);
        if let Some(a) = aggregate.clock(SlaClock::FirstResponse).attainment() {
            first.push((x, a * 100.0));
        }
        if let Some(a) = aggregate.clock(SlaClock::Resolution).attainment() {
            resolution.push((x, a * 100.0));
        }
    }
    let (start, end) = (
        days.first().copied().unwrap_or(0.0),
        days.last().copied().unwrap_or(1.0) + 7.0,
    );
    let mut chart = ChartBuilder::on(area)
        .caption(
            "Weekly target attainment (met / decided, by week of opening)",
            ("sans-serif", 18),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(start..end, 0f64..100f64)?;
    chart
        .configure_mesh()
        .x_labels(12)
        .x_label_formatter(&|x| {
            (origin + chrono::Days::new(*x as u64))
                .format("%Y-%m")
                .to_string()
        })
        .y_desc("% met")
        .draw()?;
    chart
        .draw_series(LineSeries::new(first, BLUE.stroke_width(1)))?
        .label("first response within 4 business hours")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLUE));
    chart
        .draw_series(LineSeries::new(resolution, GREEN.stroke_width(1)))?
        .label("resolution within 45 business hours")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], GREEN));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .border_style(BLACK)
        .background_style(WHITE)
        .draw()?;
    Ok(())
}

/// Activities by rows, most frequent at the top, with each one's share and the
/// cumulative share.
fn pareto(
    area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    activities: &Pareto,
) -> Result<(), Box<dyn Error>> {
    let entries = activities.entries();
    let n = entries.len();
    let top = entries.first().map_or(1, |e| e.count);
    // Row j from the bottom shows entry n - 1 - j, so the most frequent is on top.
    let entry = |j: usize| n.checked_sub(j + 1).and_then(|i| entries.get(i));
    let mut chart = ChartBuilder::on(area)
        .caption(
            "Activity Pareto: rows kept per activity (share; cumulative share)",
            ("sans-serif", 18),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(170)
        .build_cartesian_2d(
            0u64..top + top / 2,
            (0..n.saturating_sub(1)).into_segmented(),
        )?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n + 1)
        .y_label_formatter(&|y| match y {
            SegmentValue::CenterOf(j) => entry(*j).map(|e| e.label.clone()).unwrap_or_default(),
            SegmentValue::Exact(_) | SegmentValue::Last => String::new(),
        })
        .y_label_style(("sans-serif", 13))
        .x_desc("rows")
        .draw()?;
    chart.draw_series((0..n).filter_map(|j| {
        let e = entry(j)?;
        let mut bar = Rectangle::new(
            [
                (0, SegmentValue::Exact(j)),
                (e.count, SegmentValue::Exact(j + 1)),
            ],
            BLUE.mix(0.6).filled(),
        );
        bar.set_margin(3, 3, 0, 0);
        Some(bar)
    }))?;
    chart.draw_series((0..n).filter_map(|j| {
        let e = entry(j)?;
        Some(Text::new(
            format!(
                "  {} ({:.1} %; {:.1} %)",
                e.count,
                e.share * 100.0,
                e.cumulative * 100.0
            ),
            (e.count, SegmentValue::CenterOf(j)),
            ("sans-serif", 12).into_font(),
        ))
    }))?;
    Ok(())
}
