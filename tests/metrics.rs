//! The metrics of hand-built histories, each definition checked with exact numbers,
//! and the merge law: shards merged equal the whole, for arbitrary histories.

use chrono::{DateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use service_recovery::approval::{
    ApprovalRequirement, RequirementLevel, ResolutionKind, ResolutionOption, Role,
};
use service_recovery::case::Opened;
use service_recovery::metrics::{
    Aggregate, CaseMetrics, ClockTally, GroupBy, GroupKey, MetricsConfig, MetricsError, Milestone,
    Outcome, Report,
};
use service_recovery::money::{Currency, Money};
use service_recovery::prelude::*;
use service_recovery::schedule::commitment::Punctuality;
use service_recovery::schedule::sla::{ChannelKind, SlaClock, SlaTargets};
use service_recovery::schedule::{
    BusinessCalendar, CalendarConfig, FollowUpPolicy, WeekSchedule, WorkingWindow,
};

fn t0() -> DateTime<Utc> {
    // Monday 2 March 2026, 09:00 UTC.
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn dana() -> ActorRef {
    ActorRef::new("dana", "Dana")
}

fn opened(case: &str, channel: Channel, priority: Priority) -> EventKind {
    EventKind::Opened(Box::new(Opened {
        case: CaseId::new(case),
        customer: Customer::builder()
            .id("c-1")
            .name("Amara Okafor")
            .address_as("Ms Okafor")
            .build(),
        channel,
        owner: dana(),
        complaint: Complaint::builder().summary("wrong address").build(),
        severity: Severity::Moderate,
        priority,
        signals: Vec::new(),
    }))
}

/// A history from (minutes after `start`, kind) pairs.
fn history(start: DateTime<Utc>, steps: Vec<(i64, EventKind)>) -> Vec<Event> {
    steps
        .into_iter()
        .zip(1u64..)
        .map(|((minutes, kind), sequence)| Event {
            sequence,
            at: start + TimeDelta::minutes(minutes),
            actor: dana(),
            kind,
        })
        .collect()
}

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

fn closed(category: &str) -> EventKind {
    EventKind::Closed {
        root_cause: RootCause::builder()
            .category(category)
            .description("what went wrong")
            .build(),
    }
}

/// Around the clock; first response 1 h, apology 2 h, update 3 h, resolution 10 h.
fn config() -> MetricsConfig {
    MetricsConfig::builder()
        .follow_up(
            FollowUpPolicy::builder()
                .sla(Vec::new())
                .fallback(
                    SlaTargets::builder()
                        .first_response(TimeDelta::hours(1))
                        .apology(TimeDelta::hours(2))
                        .update(TimeDelta::hours(3))
                        .resolution(TimeDelta::hours(10))
                        .build(),
                )
                .build(),
        )
        .build()
}

/// A full recovery, closed, reopened by a low survey, and closed again.
fn full_recovery() -> Vec<Event> {
    use EventKind::*;
    let refund = ResolutionOption::builder()
        .kind(ResolutionKind::PartialRefund)
        .amount(eur(2_500))
        .build();
    let level = RequirementLevel {
        role: Role::new("supervisor"),
        approvers: 1,
        amount: None,
        waives: None,
        because: Vec::new(),
    };
    history(
        t0(),
        vec![
            (0, opened("case-1", Channel::Email, Priority::Normal)),
            (
                30,
                Thanked {
                    words: "Thank you.".into(),
                },
            ),
            (
                150,
                Apologized {
                    words: "I am sorry.".into(),
                },
            ),
            (
                160,
                AwaitingCustomer {
                    reason: "photos".into(),
                },
            ),
            (220, Resumed {}),
            (
                230,
                OptionProposed {
                    option: "refund".into(),
                    resolution: refund.clone(),
                },
            ),
            (
                240,
                ApprovalRequested {
                    option: "refund".into(),
                    resolution: Box::new(refund),
                    requirement: ApprovalRequirement {
                        levels: vec![level.clone()],
                    },
                    note: None,
                },
            ),
            (
                300,
                ApprovalGranted {
                    option: "refund".into(),
                    level: 1,
                    granted: Box::new(level),
                    expires: None,
                    reason: "fair".into(),
                    on_behalf_of: None,
                    authority: None,
                },
            ),
            (
                310,
                OptionOffered {
                    option: "refund".into(),
                    authority: None,
                },
            ),
            (
                320,
                OfferAccepted {
                    option: "refund".into(),
                },
            ),
            (
                330,
                ActionAgreed {
                    action: "a-1".into(),
                    description: "refund".into(),
                    option: Some("refund".into()),
                },
            ),
            (
                340,
                CommitmentMade {
                    commitment: "p-1".into(),
                    what: "refund".into(),
                    owner: dana(),
                    promised_for: t0() + TimeDelta::days(2),
                    internal_target: t0() + TimeDelta::days(1),
                    remind_at: t0() + TimeDelta::hours(20),
                },
            ),
            (
                400,
                CommitmentKept {
                    commitment: "p-1".into(),
                    punctuality: Punctuality::Early,
                },
            ),
            (
                410,
                GoodwillGiven {
                    description: "voucher".into(),
                    value: Some(eur(1_000)),
                    authority: None,
                },
            ),
            (
                420,
                CommitmentMade {
                    commitment: "p-2".into(),
                    what: "call back".into(),
                    owner: dana(),
                    promised_for: t0() + TimeDelta::days(2),
                    internal_target: t0() + TimeDelta::days(1),
                    remind_at: t0() + TimeDelta::hours(20),
                },
            ),
            (
                430,
                CommitmentCancelled {
                    commitment: "p-2".into(),
                    reason: "not needed".into(),
                },
            ),
            (
                440,
                FinalThanksGiven {
                    words: "Thank you.".into(),
                },
            ),
            (450, closed("warehouse")),
            (
                500,
                SurveyRecorded {
                    score: 2,
                    comment: None,
                },
            ),
            (
                510,
                Reopened {
                    reason: "low score".into(),
                },
            ),
            (
                520,
                RecoverySpawned {
                    case: "case-2".into(),
                    reason: "low score".into(),
                },
            ),
            (
                530,
                Reassigned {
                    from: dana(),
                    to: ActorRef::new("sam", "Sam"),
                    reason: "escalation".into(),
                },
            ),
            (
                1_000,
                Apologized {
                    words: "I am sorry again.".into(),
                },
            ),
            (1_010, closed("courier")),
            (
                1_100,
                SurveyRecorded {
                    score: 5,
                    comment: None,
                },
            ),
        ],
    )
}

fn minutes(m: i64) -> TimeDelta {
    TimeDelta::minutes(m)
}

#[test]
fn every_metric_of_a_full_recovery() {
    let history = full_recovery();
    let config = config();
    let m = CaseMetrics::of(&history, &config).unwrap();
    assert_eq!(m.events, 25);
    assert_eq!(m.opened_at, t0());
    assert_eq!(m.channel, ChannelKind::Email);
    assert_eq!(m.priority, Priority::Normal);
    assert_eq!(m.owner.as_str(), "sam");
    let to = |milestone| m.time_to(milestone).map(|e| e.calendar);
    assert_eq!(to(Milestone::FirstResponse), Some(minutes(30)));
    assert_eq!(to(Milestone::Apology), Some(minutes(150)));
    assert_eq!(to(Milestone::FirstOffer), Some(minutes(310)));
    assert_eq!(to(Milestone::Agreement), Some(minutes(330)));
    assert_eq!(to(Milestone::Close), Some(minutes(450)));
    // Around the clock, business time is calendar time.
    assert_eq!(m.time_to(Milestone::Close).unwrap().business, minutes(450));
    assert_eq!(m.waiting.calendar, minutes(60));
    assert_eq!(m.waiting.business, minutes(60));
    assert_eq!(m.waits, 1);
    assert_eq!(m.outcome, Outcome::Closed);
    assert_eq!((m.reopenings, m.spawned), (1, 1));

    // Round 1: response in 30 min, apology after 2.5 h (late), resolved in 7.5 h less
    // the 1 h wait. Round 2 (from the reopening): answered after 490 min, closed 500.
    let tally = |met, late| ClockTally {
        met,
        late,
        ..Default::default()
    };
    assert_eq!(m.clock(SlaClock::FirstResponse), tally(1, 1));
    assert_eq!(m.clock(SlaClock::Apology), tally(0, 2));
    assert_eq!(m.clock(SlaClock::Resolution), tally(2, 0));
    // Nine customer-facing events in round 1 each end a silence within 3 h (the one
    // spanning the wait counts 100 min); the apology of round 2 ends 490 min of it.
    assert_eq!(m.clock(SlaClock::Update), tally(9, 1));

    assert_eq!(m.commitments.made, 2);
    assert_eq!(m.commitments.kept_early, 1);
    assert_eq!(m.commitments.cancelled, 1);
    assert_eq!(m.commitments.broken, 0);
    assert_eq!((m.approvals.requested, m.approvals.granted), (1, 1));
    assert_eq!(m.approval_turnarounds.len(), 1);
    assert_eq!(m.approval_turnarounds[0].calendar, minutes(60));
    assert_eq!(m.goodwill_gestures, 1);
    assert_eq!(m.goodwill.get(Currency::EUR), 1_000);
    assert_eq!(m.compensation.get(Currency::EUR), 3_500);
    assert_eq!(m.surveys, Some((2, 5, 2)));
    assert_eq!(m.root_cause, Some("courier"));

    let mut all = Aggregate::default();
    all.record(&m);
    assert_eq!((all.cases, all.events, all.closed), (1, 25, 1));
    assert_eq!((all.reopened_cases, all.reopenings), (1, 1));
    assert_eq!((all.spawning_cases, all.spawned), (1, 1));
    assert_eq!(all.reopen_rate(), Some(1.0));
    assert_eq!(all.spawn_rate(), Some(1.0));
    assert_eq!(
        all.time_to(Milestone::Apology).calendar.mean(),
        Some(minutes(150))
    );
    assert_eq!(
        all.time_to(Milestone::FirstOffer).business.max(),
        Some(minutes(310))
    );
    assert_eq!(all.time_to(Milestone::Agreement).calendar.count(), 1);
    assert_eq!((all.waiting_cases, all.waits), (1, 1));
    assert_eq!(all.waiting.calendar.sum(), minutes(60));
    assert_eq!(all.approval_turnaround.business.mean(), Some(minutes(60)));
    assert_eq!(all.clock(SlaClock::Update), tally(9, 1));
    assert_eq!((all.goodwill_gestures, all.goodwill_cases), (1, 1));
    assert_eq!(all.goodwill.to_string(), "EUR 10.00");
    assert_eq!(all.compensated_cases, 1);
    assert_eq!(all.compensation.to_string(), "EUR 35.00");
    assert_eq!(all.surveys.scores, [0, 1, 0, 0, 1]);
    assert_eq!((all.surveys.resurveyed, all.surveys.improved), (1, 1));
    assert_eq!(all.surveys.mean_change(), Some(3.0));
    let pareto = all.root_cause_pareto();
    assert_eq!(pareto.entries().len(), 1);
    assert_eq!(pareto.entries()[0].label, "courier");
}

#[test]
fn open_withdrawn_and_waiting_cases_at_the_measuring_instant() {
    use EventKind::*;
    let as_of = t0() + TimeDelta::hours(5);
    let config = MetricsConfig {
        as_of: Some(as_of),
        ..config()
    };
    // Waiting on a third party since minute 10: every clock is paused, short of its target.
    let waiting = history(
        t0(),
        vec![
            (0, opened("w", Channel::Phone, Priority::High)),
            (
                10,
                AwaitingThirdParty {
                    party: "courier".into(),
                    reason: "trace".into(),
                },
            ),
            (
                20,
                AwaitingCustomer {
                    reason: "again".into(),
                },
            ),
        ],
    );
    let m = CaseMetrics::of(&waiting, &config).unwrap();
    assert_eq!(m.waiting.calendar, minutes(290));
    assert_eq!(m.waits, 1);
    let pending = ClockTally {
        pending: 1,
        ..Default::default()
    };
    for clock in SlaClock::ALL {
        assert_eq!(m.clock(clock), pending, "{clock}");
    }
    assert_eq!(m.outcome, Outcome::Open);

    // Silent for five hours: past every target but the resolution's.
    let silent = history(t0(), vec![(0, opened("s", Channel::Chat, Priority::Low))]);
    let m = CaseMetrics::of(&silent, &config).unwrap();
    let overdue = ClockTally {
        overdue: 1,
        ..Default::default()
    };
    assert_eq!(m.clock(SlaClock::FirstResponse), overdue);
    assert_eq!(m.clock(SlaClock::Apology), overdue);
    assert_eq!(m.clock(SlaClock::Update), overdue);
    assert_eq!(m.clock(SlaClock::Resolution), pending);
    // Judged at its own last event instead, nothing is overdue yet.
    let m = CaseMetrics::of(&silent, &self::config()).unwrap();
    assert_eq!(m.clock(SlaClock::FirstResponse), pending);

    // Withdrawn after two hours: the response clocks ended first.
    let withdrawn = history(
        t0(),
        vec![
            (0, opened("x", Channel::WebForm, Priority::Normal)),
            (
                120,
                Withdrawn {
                    reason: "gave up".into(),
                },
            ),
        ],
    );
    let m = CaseMetrics::of(&withdrawn, &config).unwrap();
    assert_eq!(m.outcome, Outcome::Withdrawn);
    let ended = ClockTally {
        ended: 1,
        ..Default::default()
    };
    assert_eq!(m.clock(SlaClock::FirstResponse), ended);
    assert_eq!(m.clock(SlaClock::Apology), ended);
    assert_eq!(m.clock(SlaClock::Update), ClockTally::default());
    assert_eq!(m.time_to(Milestone::Close), None);

    let report = Report::measure(
        [
            waiting.as_slice(),
            silent.as_slice(),
            withdrawn.as_slice(),
            &[],
        ],
        &config,
        GroupBy::Channel,
    );
    assert_eq!(report.unreadable(), 1);
    let keys: Vec<String> = report.groups().map(|(k, _)| k.to_string()).collect();
    assert_eq!(keys, ["phone", "chat", "web form"]);
    let total = report.total();
    assert_eq!(
        (total.cases, total.open, total.withdrawn, total.closed),
        (3, 2, 1, 0)
    );
    assert_eq!(
        report
            .get(&GroupKey::Channel(ChannelKind::Chat))
            .unwrap()
            .cases,
        1
    );
    assert_eq!(report.grouping(), GroupBy::Channel);
}

#[test]
fn business_time_follows_the_calendar() {
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    let calendar = BusinessCalendar::new(
        CalendarConfig::builder()
            .time_zone(chrono_tz::Europe::Rome)
            .week(WeekSchedule::weekdays(&[WorkingWindow::new(t(9), t(18))]))
            .build(),
    )
    .unwrap();
    let config = MetricsConfig::builder()
        .follow_up(
            FollowUpPolicy::builder()
                .working_time(calendar.into())
                .build(),
        )
        .build();
    // Friday 6 March 2026 at 17:00 in Rome (16:00 UTC); answered Monday at 10:00.
    let friday = Utc.with_ymd_and_hms(2026, 3, 6, 16, 0, 0).unwrap();
    let case = history(
        friday,
        vec![
            (0, opened("f", Channel::Email, Priority::Normal)),
            (
                65 * 60,
                EventKind::Thanked {
                    words: "Thank you.".into(),
                },
            ),
        ],
    );
    let m = CaseMetrics::of(&case, &config).unwrap();
    let first = m.time_to(Milestone::FirstResponse).unwrap();
    assert_eq!(first.calendar, TimeDelta::hours(65));
    assert_eq!(first.business, TimeDelta::hours(2));
    // Weeks and months are read in Rome: the case opened in ISO week 10 of 2026.
    let weekly = Report::measure([case.as_slice()], &config, GroupBy::Week);
    assert_eq!(weekly.zone(), chrono_tz::Europe::Rome);
    assert!(
        weekly
            .get(&GroupKey::Week {
                year: 2026,
                week: 10
            })
            .is_some()
    );
    let monthly = Report::measure([case.as_slice()], &config, GroupBy::Month);
    let (month, _) = monthly.groups().next().unwrap();
    assert_eq!(month.to_string(), "2026-03");
}

#[test]
fn a_history_that_is_not_a_case_is_refused() {
    let config = config();
    assert_eq!(
        CaseMetrics::of(&[], &config).unwrap_err(),
        HistoryError::Empty
    );
    let headless = history(t0(), vec![(0, EventKind::Resumed {})]);
    assert_eq!(
        CaseMetrics::of(&headless, &config).unwrap_err().to_string(),
        "event 1 is a \"resumed\" event, but a case's history must start with its opening"
    );
}

#[test]
fn approvals_denied_withdrawn_and_voided() {
    use EventKind::*;
    let level = |approvers| RequirementLevel {
        role: Role::new("manager"),
        approvers,
        amount: None,
        waives: None,
        because: Vec::new(),
    };
    let request = |option: &str, levels| ApprovalRequested {
        option: option.into(),
        resolution: Box::new(
            ResolutionOption::builder()
                .kind(ResolutionKind::Upgrade)
                .build(),
        ),
        requirement: ApprovalRequirement { levels },
        note: None,
    };
    let grant = |option: &str, level_no, approvers| ApprovalGranted {
        option: option.into(),
        level: level_no,
        granted: Box::new(level(approvers)),
        expires: None,
        reason: "ok".into(),
        on_behalf_of: None,
        authority: None,
    };
    let case = history(
        t0(),
        vec![
            (0, opened("a", Channel::Email, Priority::Normal)),
            (10, request("a", vec![level(1), level(2)])),
            (20, grant("a", 1, 1)),
            (30, grant("a", 2, 2)),
            (50, grant("a", 2, 2)), // the second approver of level 2 completes it
            (60, request("b", vec![level(1)])),
            (
                90,
                ApprovalDenied {
                    option: "b".into(),
                    reason: "no".into(),
                    on_behalf_of: None,
                    authority: None,
                },
            ),
            (100, request("c", vec![level(1)])),
            (
                110,
                ApprovalRequestWithdrawn {
                    option: "c".into(),
                    reason: "moot".into(),
                },
            ),
            (120, request("d", vec![level(1)])),
            (130, ApprovalsVoided { option: "d".into() }),
            (140, request("e", Vec::new())),
        ],
    );
    let m = CaseMetrics::of(&case, &config()).unwrap();
    let a = m.approvals;
    assert_eq!(
        (a.requested, a.granted, a.denied, a.withdrawn, a.voided),
        (5, 2, 1, 1, 1)
    );
    let spans: Vec<TimeDelta> = m.approval_turnarounds.iter().map(|e| e.calendar).collect();
    assert_eq!(spans, [minutes(40), minutes(30), minutes(0)]);
}

#[test]
fn commitments_broken_and_kept_late_are_counted() {
    use EventKind::*;
    let made = |id: &str| CommitmentMade {
        commitment: id.into(),
        what: "call".into(),
        owner: dana(),
        promised_for: t0(),
        internal_target: t0(),
        remind_at: t0(),
    };
    let case = history(
        t0(),
        vec![
            (0, opened("c", Channel::Email, Priority::Normal)),
            (1, made("1")),
            (2, made("2")),
            (3, made("3")),
            (
                4,
                CommitmentBroken {
                    commitment: "1".into(),
                    reason: "ill".into(),
                },
            ),
            (
                5,
                CommitmentKept {
                    commitment: "2".into(),
                    punctuality: Punctuality::Late,
                },
            ),
            (
                6,
                CommitmentKept {
                    commitment: "3".into(),
                    punctuality: Punctuality::OnTime,
                },
            ),
            (
                7,
                OfferDeclined {
                    option: "none".into(),
                    reason: None,
                },
            ),
        ],
    );
    let c = CaseMetrics::of(&case, &config()).unwrap().commitments;
    assert_eq!(
        (c.made, c.broken, c.kept_late, c.kept_on_time, c.kept_early),
        (3, 1, 1, 1, 0)
    );
}

#[test]
fn reports_refuse_to_merge_across_groupings_or_zones() {
    let config = config();
    let mut weekly = Report::new(GroupBy::Week, &config);
    let monthly = Report::new(GroupBy::Month, &config);
    let error = weekly.merge(&monthly).unwrap_err();
    assert_eq!(
        error,
        MetricsError::DifferentGrouping {
            ours: GroupBy::Week,
            theirs: GroupBy::Month
        }
    );
    assert_eq!(
        error.to_string(),
        "cannot merge a report grouped by month into one grouped by week"
    );
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    let rome = MetricsConfig::builder()
        .follow_up(
            FollowUpPolicy::builder()
                .working_time(
                    BusinessCalendar::new(
                        CalendarConfig::builder()
                            .time_zone(chrono_tz::Europe::Rome)
                            .week(WeekSchedule::weekdays(&[WorkingWindow::new(t(9), t(18))]))
                            .build(),
                    )
                    .unwrap()
                    .into(),
                )
                .build(),
        )
        .build();
    let error = weekly
        .merge(&Report::new(GroupBy::Week, &rome))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot merge a report read in time zone Europe/Rome into one read in UTC"
    );
    let groupings: Vec<String> = [
        GroupBy::Overall,
        GroupBy::Channel,
        GroupBy::Priority,
        GroupBy::Owner,
        GroupBy::Week,
        GroupBy::Month,
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(
        groupings,
        ["all cases", "channel", "priority", "owner", "week", "month"]
    );
}

#[test]
fn group_keys_read_and_sort_naturally() {
    let keys = [
        GroupKey::Month {
            year: 2012,
            month: 4,
        },
        GroupKey::Week {
            year: 2012,
            week: 5,
        },
        GroupKey::Week {
            year: 2011,
            week: 52,
        },
        GroupKey::Owner(ActorId::new("agent-7")),
        GroupKey::Priority(Priority::Urgent),
        GroupKey::Priority(Priority::Low),
        GroupKey::Channel(ChannelKind::PublicSocialMedia),
        GroupKey::Channel(ChannelKind::Phone),
        GroupKey::All,
    ];
    let mut sorted = keys.to_vec();
    sorted.sort();
    let text: Vec<String> = sorted.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "all",
            "phone",
            "public social media",
            "low",
            "urgent",
            "agent-7",
            "2011-W52",
            "2012-W05",
            "2012-04"
        ]
    );
    let milestones: Vec<String> = Milestone::ALL.iter().map(ToString::to_string).collect();
    assert_eq!(
        milestones,
        [
            "first response",
            "apology",
            "first offer",
            "agreement",
            "close"
        ]
    );
}

/// One random event kind (no openings after the first).
fn arbitrary_kind() -> impl Strategy<Value = EventKind> {
    use EventKind::*;
    prop_oneof![
        Just(Thanked {
            words: "thanks".into()
        }),
        Just(Apologized {
            words: "sorry".into()
        }),
        Just(AwaitingCustomer {
            reason: "photos".into()
        }),
        Just(Resumed {}),
        prop::sample::select(vec!["warehouse", "courier", "billing"]).prop_map(closed),
        Just(Reopened {
            reason: "again".into()
        }),
        (1u8..=5).prop_map(|score| SurveyRecorded {
            score,
            comment: None
        }),
        (0i64..5_000).prop_map(|v| GoodwillGiven {
            description: "gift".into(),
            value: Some(eur(v)),
            authority: None,
        }),
        Just(RecoverySpawned {
            case: "next".into(),
            reason: "low score".into()
        }),
        prop::sample::select(vec!["sam", "lee"]).prop_map(|who| Reassigned {
            from: dana(),
            to: ActorRef::new(who, who),
            reason: "shift".into(),
        }),
        Just(OptionOffered {
            option: "o".into(),
            authority: None,
        }),
        Just(ActionAgreed {
            action: "a".into(),
            description: "fix".into(),
            option: None
        }),
    ]
}

/// A random history: an opening then up to 12 events, minutes to days apart.
fn arbitrary_history() -> impl Strategy<Value = Vec<Event>> {
    let channel = prop::sample::select(vec![Channel::Email, Channel::Phone, Channel::Chat]);
    let priority = prop::sample::select(vec![Priority::Low, Priority::Normal, Priority::Urgent]);
    (
        0i64..60 * 24 * 120,
        channel,
        priority,
        prop::collection::vec((1i64..60 * 24 * 4, arbitrary_kind()), 0..12),
    )
        .prop_map(|(start, channel, priority, steps)| {
            let mut at = 0;
            let mut all = vec![(0, opened("p", channel, priority))];
            for (gap, kind) in steps {
                at += gap;
                all.push((at, kind));
            }
            history(t0() + TimeDelta::minutes(start), all)
        })
}

fn rome_config() -> MetricsConfig {
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    let calendar = BusinessCalendar::new(
        CalendarConfig::builder()
            .time_zone(chrono_tz::Europe::Rome)
            .week(WeekSchedule::weekdays(&[WorkingWindow::new(t(9), t(18))]))
            .build(),
    )
    .unwrap();
    let mut config = config();
    config.follow_up.working_time = calendar.into();
    config
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Merging per-shard reports (in any order) gives the report of all cases at once.
    #[test]
    fn merging_shards_equals_the_whole(
        histories in prop::collection::vec(arbitrary_history(), 1..40),
        shard_of in prop::collection::vec(0usize..4, 40),
        grouping in prop::sample::select(vec![GroupBy::Overall, GroupBy::Week, GroupBy::Owner, GroupBy::Priority]),
    ) {
        let config = rome_config();
        let whole = Report::measure(histories.iter().map(Vec::as_slice), &config, grouping);
        let shards: Vec<Report> = (0..4)
            .map(|shard| {
                let part = histories
                    .iter()
                    .zip(&shard_of)
                    .filter(|(_, s)| **s == shard)
                    .map(|(h, _)| h.as_slice());
                Report::measure(part, &config, grouping)
            })
            .collect();
        let mut forward = Report::new(grouping, &config);
        for shard in &shards {
            forward.merge(shard).unwrap();
        }
        let mut backward = Report::new(grouping, &config);
        for shard in shards.iter().rev() {
            backward.merge(shard).unwrap();
        }
        prop_assert_eq!(&forward, &whole);
        prop_assert_eq!(&backward, &whole);
        prop_assert_eq!(whole.total().cases, histories.len() as u64);
    }
}

/// What `sla::clocks` says of one clock, as a metrics outcome.
fn outcome_of(state: &service_recovery::schedule::sla::ClockState) -> ClockTally {
    use service_recovery::schedule::sla::ClockStatus;
    let mut tally = ClockTally::default();
    match state.status {
        ClockStatus::Met => tally.met = 1,
        ClockStatus::Late => tally.late = 1,
        ClockStatus::Ended => tally.ended = 1,
        ClockStatus::Running | ClockStatus::Paused if state.elapsed > state.target => {
            tally.overdue = 1
        }
        ClockStatus::Running | ClockStatus::Paused => tally.pending = 1,
    }
    tally
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The metrics judge the round clocks exactly as `schedule::sla::clocks` does.
    #[test]
    fn round_clocks_agree_with_the_sla_module(
        history in arbitrary_history(),
        later in 0i64..60 * 24 * 10,
    ) {
        // One round: reopenings become notes.
        let history: Vec<Event> = history
            .into_iter()
            .map(|mut e| {
                if matches!(e.kind, EventKind::Reopened { .. }) {
                    e.kind = EventKind::NoteAdded { text: "note".into() };
                }
                e
            })
            .collect();
        let mut config = rome_config();
        let as_of = history.last().unwrap().at + TimeDelta::minutes(later);
        config.as_of = Some(as_of);
        let policy = Policy::builder().follow_up(config.follow_up.clone()).build();
        let metrics = CaseMetrics::of(&history, &config).unwrap();
        for state in service_recovery::schedule::sla::clocks(&history, &policy, as_of) {
            if state.clock != SlaClock::Update {
                prop_assert_eq!(metrics.clock(state.clock), outcome_of(&state), "{}", state.clock);
            }
        }
    }
}

#[test]
fn the_owner_is_the_last_one_after_handoffs_and_escalations() {
    let case = history(
        t0(),
        vec![
            (0, opened("e", Channel::Email, Priority::Normal)),
            (
                5,
                EventKind::Reassigned {
                    from: dana(),
                    to: ActorRef::new("sam", "Sam"),
                    reason: "shift".into(),
                },
            ),
            (
                10,
                EventKind::Escalated {
                    from: ActorRef::new("sam", "Sam"),
                    to: ActorRef::new("boss", "Boss"),
                    previous_priority: Priority::Normal,
                    priority: Priority::Urgent,
                    reason: "public complaint".into(),
                },
            ),
        ],
    );
    let m = CaseMetrics::of(&case, &config()).unwrap();
    assert_eq!(m.owner.as_str(), "boss");
    // The targets and the priority group are those chosen at opening.
    assert_eq!(m.priority, Priority::Normal);
    let report = Report::measure([case.as_slice()], &config(), GroupBy::Owner);
    assert!(report.get(&GroupKey::Owner(ActorId::new("boss"))).is_some());
}
