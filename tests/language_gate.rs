//! The playbook's language gate, end to end through `decide`.

mod support;

use service_recovery::playbook::{Playbook, PlaybookConfig, StepKind, StepRule};
use service_recovery::prelude::*;
use service_recovery::review::{FindingSeverity, Reviewer, RuleSet};
use service_recovery::scenario::{Scenario, ScenarioFailure};
use support::*;

type R = Result<(), ScenarioFailure>;

/// The standard playbook, with the apology, agreement and final thanks reviewed.
fn reviewed(threshold: FindingSeverity) -> Policy {
    let mut steps = Playbook::standard().steps().to_vec();
    for rule in &mut steps {
        if matches!(
            rule.step,
            StepKind::Apologize | StepKind::Agree | StepKind::FinalThanks
        ) {
            rule.review = Some(threshold);
        }
    }
    let playbook = Playbook::new(
        PlaybookConfig::builder()
            .name("reviewed")
            .steps(steps)
            .build(),
    )
    .unwrap();
    Policy::builder().playbook(playbook).build()
}

fn hedged() -> Command {
    Command::Apologize(Apologize {
        words: "I'm sorry if you felt let down by the delivery.".into(),
    })
}

#[test]
fn a_hedged_apology_is_rejected_with_its_findings() {
    let scenario = Scenario::new(reviewed(FindingSeverity::Error))
        .given_commands(&dana(), t0(), [open_case(), thank()])
        .unwrap();
    let refused = scenario
        .when(&dana(), t0(), hedged())
        .result()
        .clone()
        .unwrap_err();
    let Rejection::WordsNeedWork { step, findings } = &refused else {
        panic!("expected a language rejection, got {refused:?}");
    };
    assert_eq!(*step, StepKind::Apologize);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule_id, "hedged-apology.sorry-if");
    assert_eq!(findings[0].matched, "sorry if you felt");
    let message = refused.to_string();
    assert!(
        message.starts_with(
            "the words to apologize need another try: \u{201c}sorry if you felt\u{201d}"
        ),
        "{message}"
    );
}

/// The words of a thank-you and an explanation go through the gate like an apology's:
/// each command hands its words to the review.
#[test]
fn thanks_and_explanations_are_reviewed_when_their_steps_are() {
    let mut steps = Playbook::standard().steps().to_vec();
    for rule in &mut steps {
        if matches!(rule.step, StepKind::Thank | StepKind::Explain) {
            rule.review = Some(FindingSeverity::Warning);
        }
    }
    let playbook = Playbook::new(
        PlaybookConfig::builder()
            .name("thanks and explanations reviewed")
            .steps(steps)
            .build(),
    )
    .unwrap();
    let policy = Policy::builder().playbook(playbook).build();
    let flawed = "Obviously the parcel was late. That's our policy, I'm afraid.";
    let refused_at = |given: Vec<Command>, command: Command| match Scenario::new(policy.clone())
        .given_commands(&dana(), t0(), given)
        .unwrap()
        .when(&dana(), t0(), command)
        .result()
        .clone()
    {
        Err(Rejection::WordsNeedWork { step, findings }) => {
            assert!(!findings.is_empty());
            step
        }
        other => panic!("expected a language rejection, got {other:?}"),
    };
    let thanks = Command::Thank(Thank {
        words: flawed.into(),
    });
    assert_eq!(refused_at(vec![open_case()], thanks), StepKind::Thank);
    let explanation = Command::Explain(Explain {
        words: flawed.into(),
    });
    assert_eq!(
        refused_at(vec![open_case(), thank(), apologize()], explanation),
        StepKind::Explain
    );
    // The same steps with clean words are recorded.
    let accepted = Scenario::new(policy.clone())
        .given_commands(&dana(), t0(), [open_case()])
        .unwrap()
        .when(&dana(), t0(), thank());
    assert!(accepted.result().is_ok(), "{:?}", accepted.result());
}

#[test]
fn a_sincere_apology_passes_the_same_gate() -> R {
    Scenario::new(reviewed(FindingSeverity::Error))
        .given_commands(&dana(), t0(), [open_case(), thank()])?
        .when(&dana(), t0(), apologize())
        .then_events(vec![EventKind::Apologized {
            words: "I am sorry we sent your parcel to the wrong address.".into(),
        }])?;
    Ok(())
}

#[test]
fn without_a_review_in_the_playbook_the_words_are_recorded_as_they_are() -> R {
    Scenario::new(Policy::default())
        .given_commands(&dana(), t0(), [open_case(), thank()])?
        .when(&dana(), t0(), hedged())
        .then_events(vec![EventKind::Apologized {
            words: "I'm sorry if you felt let down by the delivery.".into(),
        }])?;
    Ok(())
}

#[test]
fn an_agreed_action_needs_a_date_not_soon() {
    let refused = Scenario::new(reviewed(FindingSeverity::Error))
        .given_commands(&dana(), t0(), [open_case(), thank(), apologize()])
        .unwrap()
        .when(
            &dana(),
            t0(),
            Command::AgreeAction(AgreeAction {
                action: ActionId::new("a1"),
                description: "We will re-ship your parcel soon.".into(),
                option: None,
            }),
        )
        .result()
        .clone()
        .unwrap_err();
    match refused {
        Rejection::WordsNeedWork { step, findings } => {
            assert_eq!(step, StepKind::Agree);
            assert_eq!(findings[0].rule_id, "vague-timing.soon");
            assert_eq!(findings[0].severity, FindingSeverity::Error);
        }
        other => panic!("expected a language rejection, got {other:?}"),
    }
}

#[test]
fn the_threshold_decides_which_findings_reject() {
    // Final thanks without the customer's name is a warning when closing: rejected at
    // a warning threshold, accepted at an error threshold.
    let history = [open_case(), thank(), apologize(), explain()];
    let anonymous = Command::FinalThanks(FinalThanks {
        words: "Thank you for your patience.".into(),
    });
    let strict = Scenario::new(reviewed(FindingSeverity::Warning))
        .given_commands(&dana(), t0(), history.clone())
        .unwrap()
        .when(&dana(), t0(), anonymous.clone());
    assert!(
        matches!(strict.result(), Err(Rejection::WordsNeedWork { findings, .. })
            if findings[0].rule_id == "impersonal-thanks.no-name"),
        "{:?}",
        strict.result()
    );
    let lenient = Scenario::new(reviewed(FindingSeverity::Error))
        .given_commands(&dana(), t0(), history)
        .unwrap()
        .when(&dana(), t0(), anonymous);
    assert!(lenient.result().is_ok(), "{:?}", lenient.result());
}

#[test]
fn a_hosts_own_rules_replace_the_built_in_ones() -> R {
    let rules = RuleSet::from_json(
        r#"{"language":"en","rules":[{"id":"house.no-unfortunately","category":{"custom":"house style"},
            "severity":"error","phrases":["unfortunately"],
            "explanation":"Our house style avoids it.","suggestion":"Say what happened."}]}"#,
    )
    .unwrap();
    let mut policy = reviewed(FindingSeverity::Error);
    policy.language = Some(Reviewer::new(rules).unwrap());
    // The built-in rules are gone: a hedged apology passes ...
    Scenario::new(policy.clone())
        .given_commands(&dana(), t0(), [open_case(), thank()])?
        .when(&dana(), t0(), hedged())
        .then_events(vec![EventKind::Apologized {
            words: "I'm sorry if you felt let down by the delivery.".into(),
        }])?;
    // ... and the house rule applies.
    let outcome = Scenario::new(policy)
        .given_commands(&dana(), t0(), [open_case(), thank()])?
        .when(
            &dana(),
            t0(),
            Command::Apologize(Apologize {
                words: "Unfortunately your parcel went astray; I am sorry.".into(),
            }),
        );
    assert!(
        matches!(outcome.result(), Err(Rejection::WordsNeedWork { findings, .. })
            if findings[0].rule_id == "house.no-unfortunately")
    );
    Ok(())
}

#[test]
fn a_reviewed_step_rule_round_trips_through_json() {
    let rule = StepRule::builder()
        .step(StepKind::Apologize)
        .review(FindingSeverity::Error)
        .build();
    let json = serde_json::to_string(&rule).unwrap();
    assert_eq!(
        json,
        r#"{"step":"apologize","required":false,"repeatable":false,"review":"error"}"#
    );
    assert_eq!(serde_json::from_str::<StepRule>(&json).unwrap(), rule);
}
