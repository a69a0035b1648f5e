//! Behaviour of `src/case/` that mutation testing (`cargo mutants --file
//! 'src/case/**/*.rs'`) found no other test asserting: each test names the rule it pins.

use chrono::Duration;
use service_recovery::case::RecordSurvey;
use service_recovery::prelude::*;
use service_recovery::scenario::{Scenario, ScenarioFailure};

use service_recovery::testing::*;

type R = Result<(), ScenarioFailure>;

fn low_score_with(comment: Option<&str>) -> Command {
    Command::RecordSurvey(RecordSurvey {
        score: 1,
        comment: comment.map(str::to_owned),
        follow_up_case: None,
    })
}

/// The reopening reason quotes the customer's comment, unless the comment is blank:
/// an agent reads `survey score 1 of 5`, not `survey score 1 of 5: "  "`.
#[test]
fn a_low_score_quotes_the_comment_only_when_it_has_words() -> R {
    let closed = Scenario::new(Policy::default()).given_commands(&dana(), t0(), to_closing())?;
    let later = t0() + Duration::hours(30);
    let table = [
        (None, "survey score 1 of 5"),
        (Some(""), "survey score 1 of 5"),
        (Some(" \t "), "survey score 1 of 5"),
        (Some("too slow"), "survey score 1 of 5: \"too slow\""),
    ];
    for (comment, reason) in table {
        closed
            .clone()
            .when(&dana(), later, low_score_with(comment))
            .then_events(vec![
                EventKind::SurveyRecorded {
                    score: 1,
                    comment: comment.map(str::to_owned),
                },
                EventKind::Reopened {
                    reason: reason.to_owned(),
                },
            ])?;
    }
    Ok(())
}

/// The follow-up buttons close the list of next actions: waits, promises, then one
/// keep/break/cancel triple for each promise still open (a kept one has none), then the
/// survey and the time report.
#[test]
fn next_actions_end_with_the_follow_ups_and_each_open_promise() {
    use service_recovery::case::{KeepCommitment, MakeCommitment};
    use service_recovery::id::CommitmentId;

    let promise = |id: &str| {
        Command::from(MakeCommitment {
            commitment: CommitmentId::new(id),
            what: format!("promise {id}"),
            owner: dana().reference(),
            promised_for: at(60 * 24),
        })
    };
    let mut case: Option<Case> = None;
    let commands = [
        open_case(),
        promise("kept"),
        promise("refund"),
        Command::from(KeepCommitment {
            commitment: CommitmentId::new("kept"),
        }),
    ];
    for (minute, command) in commands.into_iter().enumerate() {
        let policy = Policy::default();
        let events =
            decide(case.as_ref(), &command, &dana(), at(minute as i64), &policy).expect("allowed");
        for event in events {
            case = Some(evolve(case, event).expect("well-formed"));
        }
    }
    let actions = next_actions(case.as_ref(), &dana(), at(10), &Policy::default());
    let intents: Vec<Intent> = actions.into_iter().map(|a| a.intent).collect();
    let refund = CommitmentId::new("refund");
    let tail = [
        Intent::AwaitCustomer,
        Intent::AwaitThirdParty,
        Intent::Resume,
        Intent::MakeCommitment,
        Intent::KeepCommitment(refund.clone()),
        Intent::BreakCommitment(refund.clone()),
        Intent::CancelCommitment(refund),
        Intent::RecordSurvey,
        Intent::ReportTime,
    ];
    assert!(
        intents.ends_with(&tail),
        "the last next actions: {:?}",
        &intents[intents.len().saturating_sub(tail.len())..]
    );
    assert_eq!(intents.iter().filter(|i| **i == Intent::Resume).count(), 1);
}

/// Verifying a history re-decides each event with the event after it in view: a
/// low-score survey that spawned a case under the host's own identifier (recorded in
/// the next event) verifies, and a derived identifier would not match.
#[test]
fn a_survey_that_spawned_a_case_named_by_the_host_verifies() {
    use service_recovery::case::verify;
    use service_recovery::id::CaseId;
    use service_recovery::schedule::survey::SurveyFollowUp;

    let mut policy = Policy::default();
    policy.follow_up.survey.on_low_score = SurveyFollowUp::SpawnCase;
    let mut commands = to_closing();
    commands.push(Command::RecordSurvey(RecordSurvey {
        score: 1,
        comment: None,
        follow_up_case: Some(CaseId::new("RC-2")),
    }));
    let mut case: Option<Case> = None;
    for (minute, command) in commands.into_iter().enumerate() {
        let events =
            decide(case.as_ref(), &command, &dana(), at(minute as i64), &policy).expect("allowed");
        for event in events {
            case = Some(evolve(case, event).expect("well-formed"));
        }
    }
    let history = case.expect("opened").history().to_vec();
    assert!(matches!(
        &history.last().expect("events").kind,
        EventKind::RecoverySpawned { case, .. } if case.as_str() == "RC-2"
    ));
    let report = verify(&history, &policy).expect("the history verifies");
    assert_eq!(report.events(), history.len());
}
