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
