//! Follow-ups: commitments, response-target clocks, surveys and the agenda, in
//! given/when/then scenarios. The default policy counts around the clock; the opened
//! case is normal priority, so the fallback targets apply: first response and apology
//! 24 h, update 48 h, resolution 120 h; warnings at 50 % and 75 %.

mod support;

use chrono::{DateTime, Duration, Utc};
use service_recovery::prelude::*;
use service_recovery::scenario::{Scenario, ScenarioFailure};
use service_recovery::schedule::commitment::{CommitmentStatus, Punctuality};
use service_recovery::schedule::sla::{self, ClockStatus, SlaClock};
use service_recovery::schedule::survey::SurveyFollowUp;
use service_recovery::schedule::{Agenda, AgendaKind};
use support::*;

type R = Result<(), ScenarioFailure>;

fn hours(n: i64) -> DateTime<Utc> {
    t0() + Duration::hours(n)
}

fn given(commands: Vec<Command>) -> Result<Scenario, ScenarioFailure> {
    Scenario::new(Policy::default()).given_commands(&dana(), t0(), commands)
}

fn reship() -> CommitmentId {
    CommitmentId::new("re-ship")
}

/// Promise a new parcel for three days after t0: internal target t0 + 48 h, reminder
/// at t0 + 44 h.
fn promise() -> Command {
    Command::MakeCommitment(MakeCommitment {
        commitment: reship(),
        what: words("a new parcel at the right address"),
        owner: dana().reference(),
        promised_for: hours(72),
    })
}

fn keep() -> Command {
    Command::KeepCommitment(KeepCommitment {
        commitment: reship(),
    })
}

fn survey(score: u8) -> Command {
    Command::RecordSurvey(RecordSurvey {
        score,
        comment: Some(words("still waiting for the refund")),
        follow_up_case: None,
    })
}

fn before_close() -> Vec<Command> {
    let mut commands = to_closing();
    commands.pop();
    commands
}

// ---- Commitments --------------------------------------------------------------------

#[test]
fn a_promise_records_its_internal_target_and_reminder() -> R {
    given(vec![open_case()])?
        .when(&dana(), t0(), promise())
        .then_events(vec![EventKind::CommitmentMade {
            commitment: reship(),
            what: words("a new parcel at the right address"),
            owner: dana().reference(),
            promised_for: hours(72),
            internal_target: hours(48),
            remind_at: hours(44),
        }])
        .map(|s| {
            let c = s.case().unwrap().commitment(&reship()).unwrap();
            assert_eq!(c.status, CommitmentStatus::Open);
            assert_eq!(c.what, "a new parcel at the right address");
        })
}

#[test]
fn a_case_cannot_close_while_a_promise_is_open() -> R {
    let mut commands = before_close();
    commands.push(promise());
    let rejection = Rejection::CommitmentsOpen {
        commitments: vec![reship()],
    };
    assert_eq!(
        rejection.to_string(),
        "the case cannot close while promises to the customer are open: re-ship; keep, break or cancel them (with a reason) first"
    );
    given(commands)?
        .when(&dana(), t0(), close())
        .then_rejected(rejection)?;
    Ok(())
}

#[test]
fn a_promise_kept_by_the_internal_target_is_early() -> R {
    let mut commands = before_close();
    commands.push(promise());
    let case = given(commands)?
        .when(&dana(), hours(24), keep())
        .then_events(vec![EventKind::CommitmentKept {
            commitment: reship(),
            punctuality: Punctuality::Early,
        }])?
        .into_case()
        .expect("the story has a case");
    assert_eq!(
        case.commitment(&reship()).unwrap().status,
        CommitmentStatus::Kept(Punctuality::Early)
    );
    // Kept: the case can close now.
    Scenario::new(Policy::default())
        .given(case.history().to_vec())?
        .when(&dana(), hours(25), close())
        .then_events(vec![EventKind::Closed {
            root_cause: match close() {
                Command::Close(Close { root_cause }) => root_cause,
                _ => unreachable!(),
            },
        }])
        .map(drop)
}

#[test]
fn a_promise_kept_after_the_target_but_by_the_date_is_on_time_and_after_it_late() -> R {
    for (at, punctuality) in [
        (hours(48), Punctuality::Early),
        (hours(60), Punctuality::OnTime),
        (hours(72), Punctuality::OnTime),
        (hours(80), Punctuality::Late),
    ] {
        given(vec![open_case(), promise()])?
            .when(&dana(), at, keep())
            .then_events(vec![EventKind::CommitmentKept {
                commitment: reship(),
                punctuality,
            }])?;
    }
    Ok(())
}

#[test]
fn a_broken_promise_is_recorded_with_its_reason_and_no_longer_blocks_closing() -> R {
    let broken = Command::BreakCommitment(BreakCommitment {
        commitment: reship(),
        reason: words("the carrier lost the second parcel"),
    });
    let mut commands = before_close();
    commands.extend([promise(), broken]);
    let s = given(commands)?;
    assert_eq!(
        s.case().unwrap().commitment(&reship()).unwrap().status,
        CommitmentStatus::Broken
    );
    s.when(&dana(), t0(), keep())
        .then_rejected(Rejection::CommitmentSettled {
            commitment: reship(),
            status: CommitmentStatus::Broken,
        })?;
    Ok(())
}

#[test]
fn cancelling_a_promise_needs_a_reason() -> R {
    let cancel = |reason: &str| {
        Command::CancelCommitment(CancelCommitment {
            commitment: reship(),
            reason: words(reason),
        })
    };
    let mut commands = before_close();
    commands.push(promise());
    given(commands.clone())?
        .when(&dana(), t0(), cancel("  "))
        .then_rejected(Rejection::Blank {
            field: service_recovery::case::Field::Reason,
        })?;
    commands.push(cancel("the customer collected the parcel herself"));
    commands.push(close());
    let case = given(commands)?.case().cloned().unwrap();
    assert_eq!(case.status(), CaseStatus::Closed);
    assert_eq!(
        case.commitment(&reship()).unwrap().status,
        CommitmentStatus::Cancelled
    );
    Ok(())
}

#[test]
fn promises_are_unique_dated_in_the_future_and_known() -> R {
    given(vec![open_case(), promise()])?
        .when(&dana(), t0(), promise())
        .then_rejected(Rejection::CommitmentExists {
            commitment: reship(),
        })?;
    let past = Command::MakeCommitment(MakeCommitment {
        commitment: reship(),
        what: words("a call back"),
        owner: dana().reference(),
        promised_for: t0(),
    });
    given(vec![open_case()])?
        .when(&dana(), t0(), past)
        .then_rejected(Rejection::PromiseNotInFuture {
            promised_for: t0(),
            now: t0(),
        })?;
    given(vec![open_case()])?
        .when(&dana(), t0(), keep())
        .then_rejected(Rejection::UnknownCommitment {
            commitment: reship(),
        })?;
    Ok(())
}

// ---- Response-target clocks -----------------------------------------------------------

fn report(
    s: Scenario,
    at: DateTime<Utc>,
    expected: Vec<EventKind>,
) -> Result<Scenario, ScenarioFailure> {
    s.when(&dana(), at, Command::ReportTime(ReportTime {}))
        .then_events(expected)
}

#[test]
fn warnings_at_half_and_three_quarters_and_a_breach_at_the_target_each_once() -> R {
    use EventKind::{SlaBreached, SlaWarned};
    let s = given(vec![open_case()])?;
    let s = report(s, hours(11), vec![])?;
    let s = report(
        s,
        hours(12),
        vec![
            SlaWarned {
                clock: SlaClock::FirstResponse,
                percent: 50,
            },
            SlaWarned {
                clock: SlaClock::Apology,
                percent: 50,
            },
        ],
    )?;
    let s = report(s, hours(12), vec![])?;
    let s = report(
        s,
        hours(18),
        vec![
            SlaWarned {
                clock: SlaClock::FirstResponse,
                percent: 75,
            },
            SlaWarned {
                clock: SlaClock::Apology,
                percent: 75,
            },
        ],
    )?;
    let s = report(
        s,
        hours(24),
        vec![
            SlaBreached {
                clock: SlaClock::FirstResponse,
            },
            SlaBreached {
                clock: SlaClock::Apology,
            },
            SlaWarned {
                clock: SlaClock::Update,
                percent: 50,
            },
        ],
    )?;
    let s = report(s, hours(30), vec![])?;
    let clocks = sla::clocks(s.case().unwrap().history(), &Policy::default(), hours(30));
    let first = &clocks[0];
    assert_eq!(first.clock, SlaClock::FirstResponse);
    assert_eq!((first.warned.clone(), first.breached), (vec![50, 75], true));
    assert_eq!(first.remaining, -Duration::hours(6));
    Ok(())
}

#[test]
fn a_paused_clock_does_not_advance() -> R {
    let wait = Command::AwaitCustomer(AwaitCustomer {
        reason: words("the customer sends a photo of the label"),
    });
    let s = given(vec![open_case()])?
        .when(&dana(), hours(2), wait)
        .then_events(vec![EventKind::AwaitingCustomer {
            reason: words("the customer sends a photo of the label"),
        }])?;
    let case = s.case().unwrap();
    assert!(matches!(
        case.waiting(),
        Some(service_recovery::case::Waiting::Customer { .. })
    ));
    let at = |h| sla::clocks(case.history(), &Policy::default(), hours(h));
    for clock in at(40) {
        assert_eq!(clock.status, ClockStatus::Paused);
        assert_eq!(clock.elapsed, Duration::hours(2));
        assert_eq!(clock.due, None);
    }
    // Thirty hours of waiting record nothing.
    let s = report(s, hours(30), vec![])?;
    let s = s
        .when(&dana(), hours(30), Command::Resume(Resume {}))
        .then_events(vec![EventKind::Resumed {}])?;
    let clocks = sla::clocks(s.case().unwrap().history(), &Policy::default(), hours(31));
    assert!(clocks.iter().all(|c| c.status == ClockStatus::Running));
    assert!(clocks.iter().all(|c| c.elapsed == Duration::hours(3)));
    // 2 h before the wait + 22 h after it: the first-response target is reached at t0 + 52 h.
    assert_eq!(clocks[0].due, Some(hours(52)));
    s.when(&dana(), hours(31), Command::Resume(Resume {}))
        .then_rejected(Rejection::NotWaiting)?;
    Ok(())
}

#[test]
fn a_customer_facing_step_stops_the_first_response_clock_and_restarts_the_update_clock() -> R {
    let case = given(vec![open_case()])?
        .when(&dana(), hours(3), thank())
        .then_events(vec![EventKind::Thanked {
            words: words("Thank you for telling us, Ms Okafor."),
        }])?
        .into_case()
        .expect("the story has a case");
    let clocks = sla::clocks(case.history(), &Policy::default(), hours(10));
    let get = |c| clocks.iter().find(|s| s.clock == c).unwrap();
    assert_eq!(get(SlaClock::FirstResponse).status, ClockStatus::Met);
    assert_eq!(get(SlaClock::FirstResponse).elapsed, Duration::hours(3));
    assert_eq!(get(SlaClock::Apology).status, ClockStatus::Running);
    assert_eq!(get(SlaClock::Update).started_at, hours(3));
    assert_eq!(get(SlaClock::Update).elapsed, Duration::hours(7));
    assert_eq!(get(SlaClock::Resolution).elapsed, Duration::hours(10));
    Ok(())
}

#[test]
fn closing_stops_the_resolution_clock_and_reporting_time_then_records_nothing() -> R {
    let s = given(to_closing())?;
    let before = s.case().cloned().unwrap();
    let after = s
        .when(&dana(), hours(500), Command::ReportTime(ReportTime {}))
        .then_events(vec![])?
        .into_case()
        .expect("the story has a case");
    assert_eq!(after, before);
    let clocks = sla::clocks(after.history(), &Policy::default(), hours(500));
    let resolution = clocks
        .iter()
        .find(|c| c.clock == SlaClock::Resolution)
        .unwrap();
    assert_eq!(resolution.status, ClockStatus::Met);
    assert_eq!(resolution.stopped_at, Some(t0()));
    Ok(())
}

#[test]
fn each_channel_kind_matches_exactly_its_channels() {
    use service_recovery::schedule::sla::ChannelKind;
    let social = |public| Channel::SocialMedia {
        platform: "Mastodon".into(),
        public,
    };
    let channels = [
        Channel::Phone,
        Channel::Email,
        Channel::Chat,
        Channel::InPerson,
        Channel::WebForm,
        social(false),
        social(true),
    ];
    // Row: the kind; columns: the channels above, in order.
    let table = [
        (
            ChannelKind::Phone,
            [true, false, false, false, false, false, false],
        ),
        (
            ChannelKind::Email,
            [false, true, false, false, false, false, false],
        ),
        (
            ChannelKind::Chat,
            [false, false, true, false, false, false, false],
        ),
        (
            ChannelKind::InPerson,
            [false, false, false, true, false, false, false],
        ),
        (
            ChannelKind::WebForm,
            [false, false, false, false, true, false, false],
        ),
        (
            ChannelKind::SocialMedia,
            [false, false, false, false, false, true, true],
        ),
        (
            ChannelKind::PublicSocialMedia,
            [false, false, false, false, false, false, true],
        ),
    ];
    for (kind, expected) in table {
        let found: Vec<bool> = channels.iter().map(|c| kind.matches(c)).collect();
        assert_eq!(found, expected, "{kind:?}");
    }
}

#[test]
fn an_event_after_the_end_moves_no_clock() -> R {
    let closed = given(to_closing())?
        .into_case()
        .expect("the story has a case");
    let mut history = closed.history().to_vec();
    let now = hours(60);
    let before = sla::clocks(&history, &Policy::default(), now);
    assert!(!before.is_empty());
    // A stored history may carry words to the customer after the close (an import, a
    // late sync); they restart no update period and clear no recorded warning.
    let last = history.last().cloned().expect("a closed case has events");
    history.push(Event {
        sequence: last.sequence + 1,
        at: hours(50),
        actor: last.actor,
        kind: EventKind::Thanked {
            words: words("Thanks again."),
        },
    });
    assert_eq!(sla::clocks(&history, &Policy::default(), now), before);
    Ok(())
}

#[test]
fn targets_follow_priority_and_the_first_matching_policy_wins() {
    let policy = Policy::default();
    let urgent = policy
        .follow_up
        .targets_for(Priority::Urgent, &Channel::Email);
    let normal = policy
        .follow_up
        .targets_for(Priority::Normal, &Channel::Email);
    assert_eq!(urgent.first_response, Some(Duration::hours(1)));
    assert_eq!(normal.first_response, Some(Duration::hours(24)));
    let json = serde_json::to_value(&policy.follow_up).unwrap();
    let back: service_recovery::schedule::FollowUpPolicy = serde_json::from_value(json).unwrap();
    assert_eq!(back, policy.follow_up);
}

// ---- Surveys --------------------------------------------------------------------------

#[test]
fn a_low_score_reopens_the_case() -> R {
    let case = given(to_closing())?
        .when(&dana(), hours(30), survey(2))
        .then_events(vec![
            EventKind::SurveyRecorded {
                score: 2,
                comment: Some(words("still waiting for the refund")),
            },
            EventKind::Reopened {
                reason: words("survey score 2 of 5: \"still waiting for the refund\""),
            },
        ])?
        .into_case()
        .expect("the story has a case");
    assert_eq!(case.status(), CaseStatus::Open);
    assert_eq!(case.round(), 2);
    Ok(())
}

#[test]
fn a_low_score_can_spawn_a_linked_case_instead() -> R {
    let mut policy = Policy::default();
    policy.follow_up.survey.on_low_score = SurveyFollowUp::SpawnCase;
    let s = Scenario::new(policy).given_commands(&dana(), t0(), to_closing())?;
    let case = s
        .clone()
        .when(&dana(), hours(30), survey(1))
        .then_events(vec![
            EventKind::SurveyRecorded {
                score: 1,
                comment: Some(words("still waiting for the refund")),
            },
            EventKind::RecoverySpawned {
                case: CaseId::new("case-1-survey-7"),
                reason: words("survey score 1 of 5: \"still waiting for the refund\""),
            },
        ])?
        .into_case()
        .expect("the story has a case");
    assert_eq!(case.status(), CaseStatus::Closed);
    let mine = Command::RecordSurvey(RecordSurvey {
        score: 1,
        comment: None,
        follow_up_case: Some(CaseId::new("RC-2")),
    });
    s.when(&dana(), hours(30), mine)
        .then_events(vec![
            EventKind::SurveyRecorded {
                score: 1,
                comment: None,
            },
            EventKind::RecoverySpawned {
                case: CaseId::new("RC-2"),
                reason: words("survey score 1 of 5"),
            },
        ])
        .map(drop)
}

#[test]
fn a_high_score_is_only_recorded_once() -> R {
    let case = given(to_closing())?
        .when(&dana(), hours(30), survey(3))
        .then_events(vec![EventKind::SurveyRecorded {
            score: 3,
            comment: Some(words("still waiting for the refund")),
        }])?
        .into_case()
        .expect("the story has a case");
    assert_eq!(case.status(), CaseStatus::Closed);
    Scenario::new(Policy::default())
        .given(case.history().to_vec())?
        .when(&dana(), hours(31), survey(5))
        .then_rejected(Rejection::SurveyAlreadyRecorded)?;
    Ok(())
}

#[test]
fn scores_outside_one_to_five_and_surveys_of_open_cases_are_rejected() -> R {
    for score in [0, 6, 255] {
        given(to_closing())?
            .when(&dana(), hours(30), survey(score))
            .then_rejected(Rejection::SurveyScoreOutOfRange { score })?;
    }
    given(vec![open_case()])?
        .when(&dana(), hours(1), survey(4))
        .then_rejected(Rejection::SurveyNeedsClosedCase {
            status: CaseStatus::Open,
        })?;
    Ok(())
}

// ---- The agenda -----------------------------------------------------------------------

fn live_into(agenda: &mut Agenda, case: Option<Case>, at: DateTime<Utc>, command: Command) -> Case {
    let events = decide(case.as_ref(), &command, &dana(), at, &Policy::default())
        .unwrap_or_else(|r| panic!("{command:?} rejected: {r}"));
    let mut case = case;
    for event in events {
        agenda.observe(&CaseId::new("case-1"), &event);
        case = Some(evolve(case, event).unwrap());
    }
    case.unwrap()
}

#[test]
fn the_agenda_lists_a_new_case_s_targets_in_order() {
    let mut agenda = Agenda::new(&Policy::default());
    live_into(&mut agenda, None, t0(), open_case());
    // Four clocks, each with two warnings and a target.
    assert_eq!(agenda.len(), 12);
    let first = agenda.next_due().unwrap();
    assert_eq!(first.due, hours(12));
    assert_eq!(
        first.kind,
        AgendaKind::SlaWarning {
            clock: SlaClock::FirstResponse,
            percent: 50
        }
    );
    let due = agenda.due_until(hours(24));
    let kinds: Vec<_> = due.iter().map(|i| (i.due, i.kind.clone())).collect();
    assert_eq!(
        kinds,
        vec![
            (
                hours(12),
                AgendaKind::SlaWarning {
                    clock: SlaClock::FirstResponse,
                    percent: 50
                }
            ),
            (
                hours(12),
                AgendaKind::SlaWarning {
                    clock: SlaClock::Apology,
                    percent: 50
                }
            ),
            (
                hours(18),
                AgendaKind::SlaWarning {
                    clock: SlaClock::FirstResponse,
                    percent: 75
                }
            ),
            (
                hours(18),
                AgendaKind::SlaWarning {
                    clock: SlaClock::Apology,
                    percent: 75
                }
            ),
            (
                hours(24),
                AgendaKind::SlaBreach {
                    clock: SlaClock::FirstResponse
                }
            ),
            (
                hours(24),
                AgendaKind::SlaBreach {
                    clock: SlaClock::Apology
                }
            ),
            (
                hours(24),
                AgendaKind::SlaWarning {
                    clock: SlaClock::Update,
                    percent: 50
                }
            ),
        ]
    );
    assert!(due.iter().all(|i| i.case.as_str() == "case-1"));
    assert!(agenda.due_until(hours(24)).is_empty());
    assert_eq!(agenda.len(), 5);
}

#[test]
fn kept_promises_and_closed_cases_take_their_items_away() {
    let mut agenda = Agenda::new(&Policy::default());
    let mut case = None;
    for command in before_close() {
        case = Some(live_into(&mut agenda, case, t0(), command));
    }
    let case = live_into(&mut agenda, case, hours(1), promise());
    let pending = agenda.pending(&CaseId::new("case-1"));
    assert!(pending.contains(&service_recovery::schedule::AgendaItem {
        case: CaseId::new("case-1"),
        due: hours(44),
        kind: AgendaKind::CommitmentReminder {
            commitment: reship()
        },
    }));
    assert!(pending.iter().any(|i| i.due == hours(48)
        && i.kind
            == AgendaKind::CommitmentAboutToBreak {
                commitment: reship()
            }));
    // The reminder comes due, once.
    let reminders = |items: &[service_recovery::schedule::AgendaItem]| {
        items
            .iter()
            .filter(|i| matches!(i.kind, AgendaKind::CommitmentReminder { .. }))
            .count()
    };
    assert_eq!(reminders(&agenda.due_until(hours(45))), 1);
    let case = live_into(&mut agenda, Some(case), hours(46), keep());
    let pending = agenda.pending(&CaseId::new("case-1"));
    assert!(!pending.iter().any(|i| matches!(
        i.kind,
        AgendaKind::CommitmentReminder { .. } | AgendaKind::CommitmentAboutToBreak { .. }
    )));
    assert!(pending.iter().any(|i| i.kind == AgendaKind::UpdateDue));
    // Closing takes the clocks away and schedules the survey a day later.
    let case = live_into(&mut agenda, Some(case), hours(47), close());
    let pending = agenda.pending(&CaseId::new("case-1"));
    assert_eq!(pending.len(), 1);
    assert_eq!(
        (pending[0].due, &pending[0].kind),
        (hours(71), &AgendaKind::SurveyDue)
    );
    // Re-observing the whole case changes nothing; the survey takes the last item away.
    agenda.observe_case(&case);
    assert_eq!(agenda.pending(&CaseId::new("case-1")), pending);
    live_into(&mut agenda, Some(case), hours(72), survey(4));
    assert!(agenda.is_empty());
    assert_eq!(agenda.next_due(), None);
}

#[test]
fn a_pause_takes_sla_items_away_until_the_case_resumes() {
    let mut agenda = Agenda::new(&Policy::default());
    let case = live_into(&mut agenda, None, t0(), open_case());
    let case = live_into(
        &mut agenda,
        Some(case),
        hours(1),
        Command::AwaitThirdParty(AwaitThirdParty {
            party: words("the carrier"),
            reason: words("tracing the parcel"),
        }),
    );
    assert!(agenda.is_empty());
    live_into(
        &mut agenda,
        Some(case),
        hours(11),
        Command::Resume(Resume {}),
    );
    // 1 h ran before the wait; 50 % of 24 h is reached 11 h after resuming.
    assert_eq!(agenda.next_due().map(|i| i.due), Some(hours(22)));
}

// ---- What people read -----------------------------------------------------------------

#[test]
fn agenda_items_clock_states_and_next_actions_read_as_sentences() {
    let reship = CommitmentId::new("re-ship");
    let kinds = [
        (
            AgendaKind::CommitmentReminder {
                commitment: reship.clone(),
            },
            "remind the owner of promise re-ship",
        ),
        (
            AgendaKind::CommitmentAboutToBreak {
                commitment: reship.clone(),
            },
            "promise re-ship is about to be broken: escalate",
        ),
        (
            AgendaKind::SlaWarning {
                clock: SlaClock::Update,
                percent: 50,
            },
            "50 % of the next update target has passed",
        ),
        (
            AgendaKind::SlaBreach {
                clock: SlaClock::FirstResponse,
            },
            "the first response target is missed",
        ),
        (AgendaKind::UpdateDue, "the customer is owed an update"),
        (AgendaKind::SurveyDue, "the survey is due"),
    ];
    for (kind, text) in kinds {
        assert_eq!(kind.to_string(), text);
    }
    let item = service_recovery::schedule::AgendaItem {
        case: CaseId::new("case-1"),
        due: hours(2),
        kind: AgendaKind::SurveyDue,
    };
    assert_eq!(
        item.to_string(),
        "2026-03-02 16:00 UTC  case-1: the survey is due"
    );
    let statuses = [
        (ClockStatus::Running, "running"),
        (ClockStatus::Paused, "paused"),
        (ClockStatus::Met, "met"),
        (ClockStatus::Late, "late"),
        (ClockStatus::Ended, "ended"),
    ];
    for (status, text) in statuses {
        assert_eq!(status.to_string(), text);
    }
    let allowed = NextAction {
        intent: Intent::Thank,
        blocked: None,
    };
    assert_eq!(allowed.to_string(), "thank the customer");
    let blocked = NextAction {
        intent: Intent::Resume,
        blocked: Some(Rejection::NotWaiting),
    };
    assert_eq!(
        blocked.to_string(),
        format!("end the wait: not now, because {}", Rejection::NotWaiting)
    );
}
