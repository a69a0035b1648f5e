//! The process-log importer: rows to events, the clock, duplicates, and every error.

use chrono::{NaiveDate, TimeZone, Utc};
use service_recovery::import::{
    ActivityRole, FileClock, ImportConfig, ImportError, Importer, import_csv,
};
use service_recovery::{Case, EventKind};

fn config(clock: &str) -> ImportConfig {
    serde_json::from_str(&format!(
        r#"{{
        "columns": {{"case": "ticket", "activity": "step", "timestamp": "when"}},
        "timestamp_format": "%d/%m/%Y %H:%M",
        "clock": {clock},
        "activities": {{
            "new": {{"name": "New ticket", "role": "open"}},
            "triage": {{"name": "Triage", "role": "note"}},
            "reply": {{"name": "Reply", "role": "respond"}},
            "sorry": {{"name": "Apology", "role": "apologize"}},
            "ask": {{"name": "Ask customer", "role": "wait_on_customer"}},
            "vendor": {{"name": "Ask vendor", "role": "wait_on_third_party"}},
            "back": {{"name": "Answer in", "role": "resume"}},
            "done": {{"name": "Resolve", "role": "close"}}
        }},
        "root_cause": "unknown"
    }}"#
    ))
    .unwrap()
}

fn kinds(log: &service_recovery::import::ImportedLog, case: usize) -> Vec<&'static str> {
    log.cases()[case]
        .history
        .iter()
        .map(|e| e.kind.name())
        .collect()
}

#[test]
fn rows_become_events_by_their_roles() {
    let csv = "\"ticket\",extra,step,when\r\n\
               A,x,new,01/03/2024 09:00\r\n\
               B,x,triage,01/03/2024 09:05\r\n\
               \r\n\
               A,x,ask,01/03/2024 10:00\r\n\
               A,x,ask,01/03/2024 10:30\r\n\
               A,x,back,01/03/2024 11:00\r\n\
               A,x,back,01/03/2024 11:10\r\n\
               A,x,vendor,01/03/2024 11:20\r\n\
               A,x,sorry,01/03/2024 12:00\r\n\
               A,x,done,01/03/2024 13:00\r\n\
               A,x,new,01/03/2024 14:00\r\n\
               B,x,reply,01/03/2024 09:10\r\n\
               B,x,vendor,01/03/2024 09:20\r\n\
               B,x,done,01/03/2024 09:30\r\n\
               B,x,done,01/03/2024 09:40\r\n";
    let log = import_csv(csv, &config("\"utc\"")).unwrap();
    assert_eq!(log.rows_read(), 14);
    assert!(log.duplicates().is_empty());
    assert_eq!(log.cases().len(), 2);
    assert_eq!(log.cases()[0].id().unwrap().as_str(), "A");
    assert_eq!(
        kinds(&log, 0),
        [
            "opened",
            "awaiting_customer",
            "note_added", // a wait while waiting
            "resumed",
            "note_added", // a resume with nothing to resume
            "awaiting_third_party",
            "resumed",
            "apologized",
            "closed",
            "reopened",
            "note_added" // an opening activity later in the case
        ]
    );
    assert_eq!(
        kinds(&log, 1),
        [
            "opened",
            "note_added",
            "explained",
            "awaiting_third_party",
            "closed",
            "reopened",
            "closed"
        ]
    );
    let b = &log.cases()[1];
    assert_eq!(
        b.first_at,
        Utc.with_ymd_and_hms(2024, 3, 1, 9, 5, 0).unwrap()
    );
    assert_eq!(
        b.last_at,
        Utc.with_ymd_and_hms(2024, 3, 1, 9, 40, 0).unwrap()
    );
    assert_eq!(b.trace.len(), 5);
    assert_eq!(b.trace[0].as_ref(), "Triage");
    let EventKind::Closed { root_cause } = &b.history[4].kind else {
        panic!()
    };
    assert_eq!(root_cause.category, "unknown");
    assert_eq!(root_cause.description, "Resolve");
    let EventKind::Reopened { reason } = &b.history[5].kind else {
        panic!()
    };
    assert_eq!(reason, "Resolve after the case was resolved");
    let EventKind::Explained { words } = &b.history[2].kind else {
        panic!()
    };
    assert_eq!(words, "Reply");
    assert_eq!(b.history[2].actor.name.as_ref(), "imported log");
    let EventKind::Opened(opened) = &b.history[0].kind else {
        panic!()
    };
    assert_eq!(opened.priority, service_recovery::prelude::Priority::Normal);
    assert_eq!(opened.channel, service_recovery::prelude::Channel::WebForm);
    // Sequence numbers run from 1 and the histories replay.
    for case in log.cases() {
        Case::replay(case.history.clone()).unwrap();
    }
    assert_eq!(log.events(), 18);
    let counts: Vec<(&str, u64)> = log.activity_counts().collect();
    assert_eq!(counts[0], ("Ask customer", 2)); // by code: "ask" sorts first
    assert_eq!(counts.iter().map(|(_, n)| n).sum::<u64>(), 14);
}

#[test]
fn rows_are_sorted_by_time_and_exact_duplicates_skipped() {
    let csv = "ticket,step,when\n\
               7,done,02/03/2024 09:00\n\
               7,reply,01/03/2024 09:30\n\
               7,triage,01/03/2024 09:30\n\
               7,reply,01/03/2024 09:30\n\
               7,new,01/03/2024 09:00\n";
    let log = import_csv(csv, &config("\"utc\"")).unwrap();
    assert_eq!(
        kinds(&log, 0),
        ["opened", "explained", "note_added", "closed"]
    );
    assert_eq!(log.rows_read(), 5);
    assert_eq!(log.rows_kept(), 4);
    let duplicate = &log.duplicates()[0];
    assert_eq!(duplicate.line, 5);
    assert_eq!(
        duplicate.to_string(),
        "line 5: case 7, Reply at 2024-03-01 09:30:00 UTC"
    );
}

#[test]
fn the_clock_reads_offsets_and_zones() {
    let csv = "ticket,step,when\n1,new,25/03/2012 02:30\n";
    let offset = import_csv(csv, &config(r#"{"offset": "+10:00"}"#)).unwrap();
    assert_eq!(
        offset.cases()[0].first_at,
        Utc.with_ymd_and_hms(2012, 3, 24, 16, 30, 0).unwrap()
    );
    // 02:30 did not happen in Rome on 25 March 2012: the clocks went forward.
    let error = import_csv(csv, &config(r#"{"zone": "Europe/Rome"}"#)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "line 2: 25/03/2012 02:30 never happened in Europe/Rome (the clocks skipped it)"
    );
    // 02:30 happened twice on 28 October 2012: the first (summer time) is taken.
    let csv = "ticket,step,when\n1,new,28/10/2012 02:30\n";
    let zone = import_csv(csv, &config(r#"{"zone": "Europe/Rome"}"#)).unwrap();
    assert_eq!(
        zone.cases()[0].first_at,
        Utc.with_ymd_and_hms(2012, 10, 28, 0, 30, 0).unwrap()
    );
    let local = NaiveDate::from_ymd_opt(2012, 1, 1)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    assert_eq!(FileClock::Utc.to_utc(local), Some(local.and_utc()));
    assert_eq!(FileClock::Utc.to_string(), "UTC");
    assert_eq!(
        FileClock::Zone(chrono_tz::Europe::Rome).to_string(),
        "Europe/Rome"
    );
    let json = serde_json::to_string(&config(r#"{"offset": "-03:30"}"#).clock).unwrap();
    assert_eq!(json, r#"{"offset":"-03:30"}"#);
    let bad = serde_json::from_str::<FileClock>(r#"{"offset": "ten"}"#).unwrap_err();
    assert!(
        bad.to_string().contains("`ten` is not a UTC offset"),
        "{bad}"
    );
}

#[test]
fn every_error_names_the_line_and_changes_nothing() {
    let config = config("\"utc\"");
    assert_eq!(import_csv("", &config).unwrap_err(), ImportError::NoHeader);
    assert_eq!(
        ImportError::NoHeader.to_string(),
        "the log is empty: it has no header line"
    );
    assert_eq!(
        import_csv("ticket,step\n", &config)
            .unwrap_err()
            .to_string(),
        "the header has no column named `when`"
    );
    let mut importer = Importer::new(&config);
    importer.read_line("ticket,step,when").unwrap();
    let refusals = [
        ("1,new", "line 2 has 2 fields, but the header has 3"),
        (
            "1,\"new,01/03/2024 09:00",
            "line 3 has a quoted field that is not closed",
        ),
        (",new,01/03/2024 09:00", "line 4 has no case identifier"),
        (
            "1,new,2024-03-01 09:00",
            "line 5: `2024-03-01 09:00` is not a timestamp in the format `%d/%m/%Y %H:%M`",
        ),
        (
            "1,lunch,01/03/2024 09:00",
            "line 6: activity `lunch` has no rule in the import's activity map",
        ),
    ];
    for (line, message) in refusals {
        assert_eq!(importer.read_line(line).unwrap_err().to_string(), message);
        assert_eq!(importer.rows_read(), 0);
    }
    importer.read_line("1,new,01/03/2024 09:00\n").unwrap();
    assert_eq!(importer.rows_read(), 1);
    let log = importer.finish().unwrap();
    assert_eq!(log.cases().len(), 1);
    assert_eq!(kinds(&log, 0), ["opened"]);
}

#[test]
fn the_config_is_strict_and_roles_read_plainly() {
    let unknown = serde_json::from_str::<ImportConfig>(
        r#"{"columns": {"case": "c", "activity": "a", "timestamp": "t"},
            "clock": "utc", "activities": {}, "colour": "red"}"#,
    )
    .unwrap_err();
    assert!(
        unknown.to_string().contains("unknown field `colour`"),
        "{unknown}"
    );
    let roles: Vec<String> = [
        ActivityRole::Open,
        ActivityRole::Note,
        ActivityRole::Respond,
        ActivityRole::Apologize,
        ActivityRole::WaitOnCustomer,
        ActivityRole::WaitOnThirdParty,
        ActivityRole::Resume,
        ActivityRole::Close,
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(
        roles,
        [
            "opens the case",
            "internal note",
            "response to the customer",
            "apology",
            "starts a wait on the customer",
            "starts a wait on a third party",
            "ends a wait",
            "resolves and closes"
        ]
    );
}
