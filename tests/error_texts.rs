//! The sentences a host shows when its configuration or its store is refused: one
//! table per error type, value → the exact text, so a reworded message is a visible
//! change to this file. (Rejections, the texts agents see most, are in
//! `rejection_texts.rs`; events and other values in `display_texts.rs`.)

use chrono::{NaiveDate, NaiveTime, TimeDelta, Weekday};
use service_recovery::case::HistoryError;
use service_recovery::playbook::{PlaybookError, StepKind};
use service_recovery::prelude::*;
use service_recovery::review::ReviewError;
use service_recovery::schedule::calendar::{CalendarError, DayRef};
use service_recovery::store::{ServiceError, StoreError};

fn check<E: std::fmt::Display>(table: Vec<(E, &str)>) {
    for (error, expected) in table {
        assert_eq!(error.to_string(), expected);
    }
}

#[test]
fn playbook_errors_name_the_steps_in_the_customers_words() {
    check(vec![
        (
            PlaybookError::DuplicateStep(StepKind::Thank),
            "the playbook lists the step \"thank the customer\" twice",
        ),
        (
            PlaybookError::UnknownStep {
                step: StepKind::Explain,
                missing: StepKind::Clarify,
            },
            "\"explain what happened\" must come after \"ask a question\", \
             but the playbook has no such step",
        ),
        (
            PlaybookError::Cycle(vec![StepKind::Agree, StepKind::Act, StepKind::Agree]),
            "the steps \"agree on an action\" → \"carry out an agreed action\" → \
             \"agree on an action\" wait for each other in a cycle, so none of them could \
             ever happen",
        ),
        (
            PlaybookError::NoClosingStep,
            "the playbook has no closing step, so no case could ever be closed",
        ),
        (
            PlaybookError::AfterClose(StepKind::Goodwill),
            "\"make a goodwill gesture\" must come after closing the case, so it could \
             never happen",
        ),
    ]);
}

#[test]
fn review_configuration_errors_name_the_rule_and_the_phrase() {
    let rule_id = || "blame-customer".to_owned();
    check(vec![
        (
            ReviewError::InvalidLanguage {
                language: "en GB".into(),
            },
            "the rule set's language tag \"en GB\" is not a tag such as \"en\" or \"fr-CA\"",
        ),
        (
            ReviewError::InvalidRuleId { id: "a b".into() },
            "the rule id \"a b\" cannot be used: a rule id must be non-empty and contain \
             no whitespace",
        ),
        (
            ReviewError::DuplicateRuleId { id: rule_id() },
            "two rules share the id `blame-customer`; each rule needs its own id",
        ),
        (
            ReviewError::NoPhrases { rule_id: rule_id() },
            "the rule `blame-customer` has no phrases, so it could never find anything",
        ),
        (
            ReviewError::EmptyPhrase { rule_id: rule_id() },
            "the rule `blame-customer` has an empty phrase",
        ),
        (
            ReviewError::BlankPhrase {
                rule_id: rule_id(),
                phrase: "  ".into(),
            },
            "the phrase \"  \" of rule `blame-customer` normalizes to nothing: it is only \
             whitespace",
        ),
        (
            ReviewError::PhraseWithoutWords {
                rule_id: rule_id(),
                phrase: "?!".into(),
            },
            "the phrase \"?!\" of rule `blame-customer` contains no letter or digit",
        ),
        (
            ReviewError::DuplicatePhrase {
                rule_id: rule_id(),
                phrase: "your fault".into(),
            },
            "the rule `blame-customer` lists the phrase \"your fault\" more than once \
             (ignoring case, apostrophes and spacing)",
        ),
        (
            ReviewError::InvalidPattern {
                rule_id: rule_id(),
                pattern: "sorry ... [".into(),
                reason: "a `[` is never closed".into(),
            },
            "the pattern \"sorry ... [\" of rule `blame-customer` cannot be used: a `[` is \
             never closed",
        ),
        (
            ReviewError::InvalidWordEntry {
                list: "spellings".into(),
                entry: "colour".into(),
                reason: "it has no second spelling".into(),
            },
            "the entry \"colour\" in the rule set's spellings cannot be used: it has no \
             second spelling",
        ),
        (
            ReviewError::UnknownRuleId { id: rule_id() },
            "no rule with the id `blame-customer` exists, so it cannot be removed",
        ),
        (
            ReviewError::Malformed {
                reason: "expected `,` or `}` at line 3 column 9".into(),
            },
            "the rule set could not be read: expected `,` or `}` at line 3 column 9",
        ),
        (
            ReviewError::Compile {
                reason: "too many patterns".into(),
            },
            "the rule set's phrases could not be compiled: too many patterns",
        ),
    ]);
}

#[test]
fn calendar_errors_name_the_day_and_the_times() {
    let time = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    let monday = DayRef::Weekday(Weekday::Mon);
    let christmas_eve = DayRef::Date(NaiveDate::from_ymd_opt(2026, 12, 24).unwrap());
    check(vec![
        (
            CalendarError::EmptyWindow {
                day: monday,
                start: time(9, 0),
                end: time(9, 0),
            },
            "the window of Monday from 09:00:00 to 09:00:00 has no length",
        ),
        (
            CalendarError::EndsBeforeStart {
                day: christmas_eve,
                start: time(14, 0),
                end: time(9, 0),
            },
            "the window of 2026-12-24 from 14:00:00 to 09:00:00 ends before it starts; \
             mark it overnight if it crosses midnight",
        ),
        (
            CalendarError::OvernightTooLong {
                day: DayRef::Weekday(Weekday::Sun),
                start: time(22, 0),
                end: time(23, 0),
            },
            "the overnight window of Sunday from 22:00:00 to 23:00:00 would last more than \
             a day; an overnight window must end at or before its start time",
        ),
        (
            CalendarError::FractionalSecond {
                day: DayRef::Weekday(Weekday::Sat),
                time: NaiveTime::from_hms_milli_opt(9, 0, 0, 500).unwrap(),
            },
            "the time 09:00:00.500 of a window on Saturday has a fraction of a second",
        ),
        (
            CalendarError::EveryDayIsAHoliday,
            "the yearly holidays cover every day of the year, so there is never any working \
             time",
        ),
        (
            CalendarError::InvalidTime { text: "9am".into() },
            "`9am` is not a time of day as HH:MM (or HH:MM:SS; 24:00 ends a window at \
             midnight)",
        ),
        (
            CalendarError::OvernightUntilMidnight { start: time(18, 0) },
            "the window from 18:00:00 to 24:00 already ends at midnight; it must not also be \
             marked overnight",
        ),
        (
            CalendarError::NegativeDuration {
                duration: TimeDelta::hours(-2),
            },
            "a business duration cannot be negative, and -PT7200S is",
        ),
        (
            CalendarError::OutOfRange,
            "the result lies beyond the range of representable dates",
        ),
    ]);
    // Every weekday by its English name: calendars are configured by weekday.
    let names: Vec<String> = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ]
    .into_iter()
    .map(|day| DayRef::Weekday(day).to_string())
    .collect();
    assert_eq!(
        names,
        [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday"
        ]
    );
}

#[test]
fn store_and_service_errors_name_the_case() {
    check(vec![
        (
            StoreError::Unencodable {
                case: CaseId::new("case-9"),
                sequence: 4,
                reason: "the payload is not an object".into(),
            },
            "event 4 of case case-9 cannot be stored: the payload is not an object",
        ),
        (
            StoreError::UnknownCase {
                case: CaseId::new("case-9"),
            },
            "case case-9 has no stored history",
        ),
    ]);
    check(vec![
        (
            ServiceError::CaseMismatch {
                requested: CaseId::new("case-1"),
                found: CaseId::new("case-2"),
            },
            "case case-1 was asked for, but the history opens case case-2",
        ),
        (
            ServiceError::History(HistoryError::Empty),
            "the stored history cannot be replayed: the history is empty; a case's history \
             starts with its opening",
        ),
    ]);
}
