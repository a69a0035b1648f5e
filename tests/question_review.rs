//! A playbook that reviews its clarifying questions reviews the question's own words.

use service_recovery::case::{AskQuestion, QuestionKind};
use service_recovery::id::QuestionId;
use service_recovery::playbook::{Playbook, PlaybookConfig, StepKind};
use service_recovery::prelude::*;
use service_recovery::review::FindingSeverity;
use service_recovery::testing::*;

fn questions_reviewed() -> Policy {
    let mut steps = Playbook::standard().steps().to_vec();
    for rule in &mut steps {
        if rule.step == StepKind::Clarify {
            rule.review = Some(FindingSeverity::Info);
        }
    }
    let config = PlaybookConfig::builder()
        .name("questions reviewed")
        .steps(steps)
        .build();
    let playbook = Playbook::new(config).expect("a valid playbook");
    Policy::builder().playbook(playbook).build()
}

fn ask(text: &str) -> Result<Vec<Event>, Rejection> {
    let policy = questions_reviewed();
    let opened = decide(None, &open_case(), &dana(), t0(), &policy).expect("opened");
    let case = Case::replay(opened).expect("replayable");
    let question = Command::from(AskQuestion {
        question: QuestionId::new("q-1"),
        kind: QuestionKind::Background,
        text: text.into(),
    });
    decide(Some(&case), &question, &dana(), at(1), &policy)
}

#[test]
fn a_patronizing_question_is_refused_with_its_findings() {
    match ask("Calm down. Obviously you have the order number?") {
        Err(Rejection::WordsNeedWork { step, findings }) => {
            assert_eq!(step, StepKind::Clarify);
            assert!(!findings.is_empty());
        }
        other => panic!("expected a language rejection, got {other:?}"),
    }
}

#[test]
fn a_plain_question_passes_the_same_review() {
    let events = ask("Which address is on your order, Ms Okafor?").expect("asked");
    assert_eq!(events.len(), 1);
}
