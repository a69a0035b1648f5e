//! Every rule of `decide`, each in a given/when/then scenario.

mod support;

use service_recovery::playbook::{Playbook, PlaybookConfig, StepKind, StepRule};
use service_recovery::prelude::*;
use service_recovery::scenario::{Scenario, ScenarioFailure};
use support::*;

type R = Result<(), ScenarioFailure>;

fn given(commands: Vec<Command>) -> Result<Scenario, ScenarioFailure> {
    Scenario::new(Policy::default()).given_commands(&dana(), t0(), commands)
}

fn opened_and_apologized() -> Vec<Command> {
    vec![open_case(), thank(), apologize()]
}

#[test]
fn opening_records_the_case_and_reads_intake_signals() -> R {
    let case = Scenario::new(Policy::default())
        .when(&dana(), t0(), open_case())
        .result()
        .clone()
        .map(Case::replay)
        .expect("accepted")
        .expect("replayable");
    assert_eq!(case.id().as_str(), "case-1");
    assert_eq!(&*case.owner().name, "Dana");
    assert_eq!(case.status(), CaseStatus::Open);
    assert_eq!(case.priority(), Priority::Normal);
    Ok(())
}

#[test]
fn a_public_complaint_raises_priority_at_intake() {
    let Command::Open(mut open) = open_case() else {
        unreachable!()
    };
    open.channel = Channel::SocialMedia {
        platform: "Mastodon".into(),
        public: true,
    };
    let events = decide(
        None,
        &Command::Open(open),
        &dana(),
        t0(),
        &Policy::default(),
    )
    .unwrap();
    let case = Case::replay(events).unwrap();
    assert_eq!(case.priority(), Priority::High);
    assert_eq!(case.signals(), &[IntakeSignal::PublicComplaint]);
}

#[test]
fn nothing_but_opening_happens_to_a_case_that_does_not_exist() -> R {
    Scenario::new(Policy::default())
        .when(&dana(), t0(), thank())
        .then_rejected(Rejection::NotOpened)?;
    Ok(())
}

#[test]
fn a_case_cannot_be_opened_twice() -> R {
    given(vec![open_case()])?
        .when(&dana(), t0(), open_case())
        .then_rejected(Rejection::AlreadyOpened {
            case: CaseId::new("case-1"),
        })?;
    Ok(())
}

#[test]
fn opening_needs_a_summary() -> R {
    let Command::Open(mut open) = open_case() else {
        unreachable!()
    };
    open.complaint.summary = " ".into();
    Scenario::new(Policy::default())
        .when(&dana(), t0(), Command::Open(open))
        .then_rejected(Rejection::Blank {
            field: service_recovery::case::Field::ComplaintSummary,
        })?;
    Ok(())
}

#[test]
fn thanks_come_first_and_are_recorded_with_their_words() -> R {
    given(vec![open_case()])?
        .when(&dana(), t0(), thank())
        .then_events(vec![EventKind::Thanked {
            words: "Thank you for telling us, Ms Okafor.".into(),
        }])?;
    Ok(())
}

#[test]
fn the_apology_waits_for_the_thanks() -> R {
    given(vec![open_case()])?
        .when(&dana(), t0(), apologize())
        .then_rejected(Rejection::StepOutOfOrder {
            step: StepKind::Apologize,
            missing: vec![StepKind::Thank],
        })?;
    Ok(())
}

#[test]
fn the_opening_thanks_happen_once() -> R {
    given(vec![open_case(), thank()])?
        .when(&dana(), t0(), thank())
        .then_rejected(Rejection::StepAlreadyDone {
            step: StepKind::Thank,
        })?;
    Ok(())
}

#[test]
fn an_apology_may_be_repeated() -> R {
    given(opened_and_apologized())?
        .when(&dana(), t0(), apologize())
        .then_events(vec![EventKind::Apologized {
            words: "I am sorry we sent your parcel to the wrong address.".into(),
        }])?;
    Ok(())
}

#[test]
fn a_blank_apology_is_refused() -> R {
    given(vec![open_case(), thank()])?
        .when(
            &dana(),
            t0(),
            Command::Apologize(Apologize {
                words: "   ".into(),
            }),
        )
        .then_rejected(Rejection::Blank {
            field: service_recovery::case::Field::Apology,
        })?;
    Ok(())
}

#[test]
fn the_explanation_waits_for_thanks_and_apology() -> R {
    given(vec![open_case(), thank()])?
        .when(&dana(), t0(), explain())
        .then_rejected(Rejection::StepOutOfOrder {
            step: StepKind::Explain,
            missing: vec![StepKind::Apologize],
        })?;
    Ok(())
}

#[test]
fn questions_are_recorded_by_kind_and_answered_once() -> R {
    let ask = Command::AskQuestion(AskQuestion {
        question: QuestionId::new("q1"),
        kind: QuestionKind::Probing,
        text: "What did you need the parcel for?".into(),
    });
    let answer = Command::RecordAnswer(RecordAnswer {
        question: QuestionId::new("q1"),
        answer: "My daughter's birthday.".into(),
    });
    let case = given(vec![open_case()])?
        .when(&dana(), t0(), ask.clone())
        .then_events(vec![EventKind::QuestionAsked {
            question: QuestionId::new("q1"),
            kind: QuestionKind::Probing,
            text: "What did you need the parcel for?".into(),
        }])?
        .into_case()
        .expect("the story has a case");
    assert_eq!(case.questions().count(), 1);
    assert_eq!(
        case.question(&QuestionId::new("q1")).map(|q| q.text),
        Some("What did you need the parcel for?")
    );
    given(vec![open_case(), ask.clone()])?
        .when(&dana(), t0(), ask.clone())
        .then_rejected(Rejection::QuestionExists {
            question: QuestionId::new("q1"),
        })?;
    given(vec![open_case(), ask.clone(), answer.clone()])?
        .when(&dana(), t0(), answer.clone())
        .then_rejected(Rejection::QuestionAnswered {
            question: QuestionId::new("q1"),
        })?;
    given(vec![open_case()])?
        .when(&dana(), t0(), answer)
        .then_rejected(Rejection::UnknownQuestion {
            question: QuestionId::new("q1"),
        })?;
    Ok(())
}

#[test]
fn options_are_offered_only_after_the_goal_is_recorded() -> R {
    let mut history = opened_and_apologized();
    history.push(propose("o1", refund(1_500)));
    given(history.clone())?
        .when(
            &dana(),
            t0(),
            Command::OfferOption(OfferOption {
                option: OptionId::new("o1"),
            }),
        )
        .then_rejected(Rejection::StepOutOfOrder {
            step: StepKind::OfferOption,
            missing: vec![StepKind::RecordGoal],
        })?;
    history.push(goal());
    given(history)?
        .when(
            &dana(),
            t0(),
            Command::OfferOption(OfferOption {
                option: OptionId::new("o1"),
            }),
        )
        .then_events(vec![EventKind::OptionOffered {
            option: OptionId::new("o1"),
            authority: evidence(&dana()),
        }])?;
    Ok(())
}

fn offered() -> Vec<Command> {
    let mut h = opened_and_apologized();
    h.extend([
        goal(),
        propose("o1", refund(1_500)),
        Command::OfferOption(OfferOption {
            option: OptionId::new("o1"),
        }),
    ]);
    h
}

#[test]
fn an_offered_option_cannot_be_changed_or_offered_again() -> R {
    let status = OptionStatus::Offered;
    given(offered())?
        .when(
            &dana(),
            t0(),
            Command::ReviseOption(ReviseOption {
                option: OptionId::new("o1"),
                resolution: refund(900),
            }),
        )
        .then_rejected(Rejection::OptionAlreadyOffered {
            option: OptionId::new("o1"),
            status,
        })?;
    given(offered())?
        .when(
            &dana(),
            t0(),
            Command::OfferOption(OfferOption {
                option: OptionId::new("o1"),
            }),
        )
        .then_rejected(Rejection::OptionAlreadyOffered {
            option: OptionId::new("o1"),
            status,
        })?;
    Ok(())
}

#[test]
fn a_proposed_option_may_be_revised_before_it_is_offered() -> R {
    given(vec![open_case(), propose("o1", refund(1_500))])?
        .when(
            &dana(),
            t0(),
            Command::ReviseOption(ReviseOption {
                option: OptionId::new("o1"),
                resolution: refund(900),
            }),
        )
        .then_events(vec![EventKind::OptionRevised {
            option: OptionId::new("o1"),
            resolution: refund(900),
        }])?;
    Ok(())
}

#[test]
fn option_ids_are_unique_and_amounts_positive() -> R {
    given(vec![open_case(), propose("o1", refund(1_500))])?
        .when(&dana(), t0(), propose("o1", refund(100)))
        .then_rejected(Rejection::OptionExists {
            option: OptionId::new("o1"),
        })?;
    given(vec![open_case()])?
        .when(&dana(), t0(), propose("o1", refund(0)))
        .then_rejected(Rejection::NonPositiveAmount)?;
    Ok(())
}

#[test]
fn the_customer_answers_only_open_offers() -> R {
    given(vec![open_case(), propose("o1", refund(1_500))])?
        .when(
            &dana(),
            t0(),
            Command::AcceptOffer(AcceptOffer {
                option: OptionId::new("o1"),
            }),
        )
        .then_rejected(Rejection::OfferNotOpen {
            option: OptionId::new("o1"),
            status: OptionStatus::Proposed,
        })?;
    let mut declined = offered();
    declined.push(Command::DeclineOffer(DeclineOffer {
        option: OptionId::new("o1"),
        reason: Some("I want it re-shipped instead".into()),
    }));
    given(declined)?
        .when(
            &dana(),
            t0(),
            Command::AcceptOffer(AcceptOffer {
                option: OptionId::new("o1"),
            }),
        )
        .then_rejected(Rejection::OfferNotOpen {
            option: OptionId::new("o1"),
            status: OptionStatus::Declined,
        })?;
    given(vec![open_case()])?
        .when(
            &dana(),
            t0(),
            Command::DeclineOffer(DeclineOffer {
                option: OptionId::new("o9"),
                reason: None,
            }),
        )
        .then_rejected(Rejection::UnknownOption {
            option: OptionId::new("o9"),
        })?;
    Ok(())
}

fn agree(action: &str, option: Option<&str>) -> Command {
    Command::AgreeAction(AgreeAction {
        action: ActionId::new(action),
        description: "refund the shipping fee today".into(),
        option: option.map(OptionId::new),
    })
}

#[test]
fn an_action_can_carry_out_only_an_accepted_option() -> R {
    given(offered())?
        .when(&dana(), t0(), agree("a1", Some("o1")))
        .then_rejected(Rejection::OptionNotAccepted {
            option: OptionId::new("o1"),
            status: OptionStatus::Offered,
        })?;
    let mut accepted = offered();
    accepted.push(Command::AcceptOffer(AcceptOffer {
        option: OptionId::new("o1"),
    }));
    given(accepted)?
        .when(&dana(), t0(), agree("a1", Some("o1")))
        .then_events(vec![EventKind::ActionAgreed {
            action: ActionId::new("a1"),
            description: "refund the shipping fee today".into(),
            option: Some(OptionId::new("o1")),
        }])?;
    Ok(())
}

#[test]
fn execution_follows_agreement() -> R {
    let carry_out = Command::CarryOut(CarryOut {
        action: ActionId::new("a1"),
        outcome: "refunded USD 15.00".into(),
    });
    given(opened_and_apologized())?
        .when(&dana(), t0(), carry_out.clone())
        .then_rejected(Rejection::StepOutOfOrder {
            step: StepKind::Act,
            missing: vec![StepKind::Agree],
        })?;
    let mut agreed = opened_and_apologized();
    agreed.push(agree("a2", None));
    given(agreed.clone())?
        .when(&dana(), t0(), carry_out.clone())
        .then_rejected(Rejection::ActionNotAgreed {
            action: ActionId::new("a1"),
        })?;
    agreed.push(agree("a1", None));
    agreed.push(carry_out.clone());
    given(agreed.clone())?
        .when(&dana(), t0(), carry_out)
        .then_rejected(Rejection::ActionAlreadyDone {
            action: ActionId::new("a1"),
        })?;
    given(agreed)?
        .when(&dana(), t0(), agree("a1", None))
        .then_rejected(Rejection::ActionExists {
            action: ActionId::new("a1"),
        })?;
    Ok(())
}

#[test]
fn closing_needs_every_required_step() -> R {
    given(opened_and_apologized())?
        .when(&dana(), t0(), close())
        .then_rejected(Rejection::StepOutOfOrder {
            step: StepKind::Close,
            missing: vec![StepKind::FinalThanks],
        })?;
    // A playbook where closing is not ordered after anything still checks required steps.
    let loose = Playbook::new(
        PlaybookConfig::builder()
            .name("loose")
            .steps(vec![
                StepRule::builder()
                    .step(StepKind::Thank)
                    .required(true)
                    .build(),
                StepRule::builder()
                    .step(StepKind::Apologize)
                    .required(true)
                    .build(),
                StepRule::builder()
                    .step(StepKind::Close)
                    .required(true)
                    .build(),
            ])
            .build(),
    )
    .unwrap();
    Scenario::new(Policy::builder().playbook(loose).build())
        .given_commands(&dana(), t0(), [open_case()])?
        .when(&dana(), t0(), close())
        .then_rejected(Rejection::RequiredStepsMissing {
            missing: vec![StepKind::Thank, StepKind::Apologize],
        })?;
    Ok(())
}

fn ready_to_close() -> Vec<Command> {
    let mut h = opened_and_apologized();
    h.extend([explain(), final_thanks()]);
    h
}

#[test]
fn closing_needs_a_root_cause() -> R {
    given(ready_to_close())?
        .when(
            &dana(),
            t0(),
            Command::Close(Close {
                root_cause: RootCause::builder()
                    .category("warehouse")
                    .description("")
                    .build(),
            }),
        )
        .then_rejected(Rejection::RootCauseMissing)?;
    let case = given(ready_to_close())?
        .when(&dana(), t0(), close())
        .then_events(vec![EventKind::Closed {
            root_cause: RootCause::builder()
                .category("warehouse")
                .description("the label printer swapped two orders")
                .build(),
        }])?
        .into_case()
        .expect("the story has a case");
    assert_eq!(case.status(), CaseStatus::Closed);
    Ok(())
}

#[test]
fn a_case_with_a_promise_not_kept_or_an_offer_unanswered_cannot_close() -> R {
    let mut h = ready_to_close();
    h.push(agree("a1", None));
    given(h)?
        .when(&dana(), t0(), close())
        .then_rejected(Rejection::ActionsOutstanding {
            actions: vec![ActionId::new("a1")],
        })?;
    let mut h = offered();
    h.extend([explain(), final_thanks()]);
    given(h)?
        .when(&dana(), t0(), close())
        .then_rejected(Rejection::OffersAwaitingAnswer {
            options: vec![OptionId::new("o1")],
        })?;
    Ok(())
}

#[test]
fn final_thanks_happen_once_and_after_the_explanation() -> R {
    given(opened_and_apologized())?
        .when(&dana(), t0(), final_thanks())
        .then_rejected(Rejection::StepOutOfOrder {
            step: StepKind::FinalThanks,
            missing: vec![StepKind::Explain],
        })?;
    let mut h = ready_to_close();
    h.truncate(h.len());
    given(h)?
        .when(&dana(), t0(), final_thanks())
        .then_rejected(Rejection::StepAlreadyDone {
            step: StepKind::FinalThanks,
        })?;
    Ok(())
}

#[test]
fn a_closed_case_accepts_only_notes_and_reopening() -> R {
    let mut closed = ready_to_close();
    closed.push(close());
    given(closed.clone())?
        .when(&dana(), t0(), apologize())
        .then_rejected(Rejection::NotOpen {
            status: CaseStatus::Closed,
        })?;
    given(closed.clone())?
        .when(
            &dana(),
            t0(),
            Command::AddNote(AddNote {
                text: "customer called to say thanks".into(),
            }),
        )
        .then_events(vec![EventKind::NoteAdded {
            text: "customer called to say thanks".into(),
        }])?;
    let case = given(closed)?
        .when(
            &dana(),
            t0(),
            Command::Reopen(Reopen {
                reason: "the replacement arrived damaged".into(),
            }),
        )
        .then_events(vec![EventKind::Reopened {
            reason: "the replacement arrived damaged".into(),
        }])?
        .into_case()
        .expect("the story has a case");
    assert_eq!(case.status(), CaseStatus::Open);
    assert_eq!(case.round(), 2);
    // A new round: the thanks may (and must) happen again.
    assert_eq!(case.steps().get(StepKind::Thank), 0);
    Ok(())
}

#[test]
fn an_open_case_cannot_be_reopened() -> R {
    given(vec![open_case()])?
        .when(
            &dana(),
            t0(),
            Command::Reopen(Reopen {
                reason: "why not".into(),
            }),
        )
        .then_rejected(Rejection::StillOpen)?;
    Ok(())
}

#[test]
fn a_customer_who_withdraws_ends_the_case_without_a_resolution() -> R {
    let case = given(vec![open_case()])?
        .when(
            &dana(),
            t0(),
            Command::Withdraw(Withdraw {
                reason: "bought elsewhere".into(),
            }),
        )
        .then_events(vec![EventKind::Withdrawn {
            reason: "bought elsewhere".into(),
        }])?
        .into_case()
        .expect("the story has a case");
    assert_eq!(case.status(), CaseStatus::Withdrawn);
    given(vec![
        open_case(),
        Command::Withdraw(Withdraw {
            reason: "bought elsewhere".into(),
        }),
    ])?
    .when(&dana(), t0(), thank())
    .then_rejected(Rejection::NotOpen {
        status: CaseStatus::Withdrawn,
    })?;
    Ok(())
}

#[test]
fn the_channel_changes_without_losing_history() -> R {
    let case = given(vec![open_case(), thank()])?
        .when(
            &dana(),
            t0(),
            Command::ChangeChannel(ChangeChannel {
                channel: Channel::Phone,
            }),
        )
        .then_events(vec![EventKind::ChannelChanged {
            from: Channel::Email,
            to: Channel::Phone,
        }])?
        .into_case()
        .expect("the story has a case");
    assert_eq!(case.channel(), &Channel::Phone);
    assert_eq!(case.history().len(), 3);
    given(vec![open_case()])?
        .when(
            &dana(),
            t0(),
            Command::ChangeChannel(ChangeChannel {
                channel: Channel::Email,
            }),
        )
        .then_rejected(Rejection::SameChannel)?;
    Ok(())
}

#[test]
fn hand_offs_are_recorded_with_both_owners() -> R {
    let case = given(vec![open_case()])?
        .when(
            &dana(),
            t0(),
            Command::Reassign(Reassign {
                to: sam().reference(),
                reason: "Sam handles refunds".into(),
            }),
        )
        .then_events(vec![EventKind::Reassigned {
            from: dana().reference(),
            to: sam().reference(),
            reason: "Sam handles refunds".into(),
        }])?
        .into_case()
        .expect("the story has a case");
    assert_eq!(case.owner().id.as_str(), "agent-9");
    given(vec![open_case()])?
        .when(
            &dana(),
            t0(),
            Command::Reassign(Reassign {
                to: dana().reference(),
                reason: "again".into(),
            }),
        )
        .then_rejected(Rejection::SameOwner {
            owner: "Dana".into(),
        })?;
    Ok(())
}

#[test]
fn a_command_dated_before_the_last_event_is_refused() -> R {
    let outcome =
        given(vec![open_case()])?.when(&dana(), t0() - chrono::Duration::seconds(1), thank());
    let refused = outcome.result().clone().unwrap_err();
    assert!(refused.is_infrastructure());
    outcome.then_rejected(Rejection::ClockWentBackwards {
        at: t0() - chrono::Duration::seconds(1),
        last: t0(),
    })?;
    Ok(())
}

#[test]
fn a_step_the_playbook_does_not_use_is_refused() -> R {
    let no_goodwill = Playbook::new(
        PlaybookConfig::builder()
            .name("no frills")
            .steps(vec![StepRule::builder().step(StepKind::Close).build()])
            .build(),
    )
    .unwrap();
    Scenario::new(Policy::builder().playbook(no_goodwill).build())
        .given_commands(&dana(), t0(), [open_case()])?
        .when(
            &dana(),
            t0(),
            Command::Goodwill(Goodwill {
                description: "a voucher".into(),
                value: None,
                prior: Default::default(),
            }),
        )
        .then_rejected(Rejection::StepNotInPlaybook {
            step: StepKind::Goodwill,
            playbook: "no frills".into(),
        })?;
    Ok(())
}

#[test]
fn events_carry_sequence_time_and_actor() {
    let case = live([open_case(), thank(), apologize()]);
    let sequences: Vec<u64> = case.history().iter().map(|e| e.sequence).collect();
    assert_eq!(sequences, vec![1, 2, 3]);
    let last = case.history().last().unwrap();
    assert_eq!(last.at, at(2));
    assert_eq!(last.actor, dana().reference());
    assert_eq!(case.version(), 3);
}

#[test]
fn a_scenario_reports_the_difference_when_it_fails() -> R {
    let failure = given(vec![open_case()])?
        .when(&dana(), t0(), thank())
        .then_rejected(Rejection::NotOpened)
        .unwrap_err();
    assert!(
        failure
            .to_string()
            .contains("expected the rejection \"this case has not been opened yet\""),
        "{failure}"
    );
    Ok(())
}

#[test]
fn next_actions_explain_the_disabled_buttons() {
    let case = live([open_case(), thank()]);
    let actions = next_actions(Some(&case), &dana(), at(5), &Policy::default());
    let verdict = |intent: Intent| {
        actions
            .iter()
            .find(|a| a.intent == intent)
            .unwrap_or_else(|| panic!("{intent:?} not listed"))
            .blocked
            .clone()
    };
    assert_eq!(verdict(Intent::Apologize), None);
    assert_eq!(
        verdict(Intent::Thank),
        Some(Rejection::StepAlreadyDone {
            step: StepKind::Thank
        })
    );
    assert_eq!(
        verdict(Intent::Close),
        Some(Rejection::StepOutOfOrder {
            step: StepKind::Close,
            missing: vec![StepKind::FinalThanks]
        })
    );
    assert_eq!(verdict(Intent::Reopen), Some(Rejection::StillOpen));
    assert_eq!(
        next_actions(None, &dana(), t0(), &Policy::default()),
        vec![NextAction {
            intent: Intent::Open,
            blocked: None
        }]
    );
}

#[test]
fn next_actions_list_each_waiting_option_question_and_action() {
    let case = live([
        open_case(),
        thank(),
        apologize(),
        goal(),
        propose("o1", refund(1_500)),
        Command::AskQuestion(AskQuestion {
            question: QuestionId::new("q1"),
            kind: QuestionKind::Background,
            text: "When did you order?".into(),
        }),
        agree("a1", None),
    ]);
    let intents: Vec<Intent> = next_actions(Some(&case), &dana(), at(10), &Policy::default())
        .into_iter()
        .filter(NextAction::is_allowed)
        .map(|a| a.intent)
        .collect();
    for expected in [
        Intent::OfferOption(OptionId::new("o1")),
        Intent::ReviseOption(OptionId::new("o1")),
        Intent::RecordAnswer(QuestionId::new("q1")),
        Intent::CarryOut(ActionId::new("a1")),
    ] {
        assert!(
            intents.contains(&expected),
            "{expected:?} missing from {intents:?}"
        );
    }
    assert!(!intents.contains(&Intent::AcceptOffer(OptionId::new("o1"))));
}

// ---- Escalation ---------------------------------------------------------------------

fn escalate(to: &Actor, priority: Priority, reason: &str) -> Command {
    Command::from(Escalate {
        to: to.reference(),
        priority,
        reason: reason.into(),
    })
}

#[test]
fn escalation_raises_the_priority_and_hands_the_case_up_then_reads_in_the_timeline() -> R {
    let s = given(opened_and_apologized())?
        .when(
            &dana(),
            at(5),
            escalate(
                &mo(),
                Priority::Urgent,
                "the re-shipment will miss Saturday",
            ),
        )
        .then_events(vec![EventKind::Escalated {
            from: dana().reference(),
            to: mo().reference(),
            previous_priority: Priority::Normal,
            priority: Priority::Urgent,
            reason: "the re-shipment will miss Saturday".into(),
        }])?;
    let case = s.case().unwrap();
    assert_eq!(case.priority(), Priority::Urgent);
    assert_eq!(case.owner(), &mo().reference());
    let last = case.history().last().unwrap();
    assert_eq!(
        last.kind.to_string(),
        "escalated the case from Dana to Mo, raising its priority from normal to urgent: \
         the re-shipment will miss Saturday"
    );
    // Replaying the history gives the same escalated case.
    assert_eq!(&Case::replay(case.history().to_vec()).unwrap(), case);
    // The new owner carries on; a hand-up at the same priority is allowed.
    s.when(
        &mo(),
        at(6),
        escalate(&max(), Priority::Urgent, "Mo is off tomorrow"),
    )
    .then_accepted()?
    .when(
        &max(),
        at(7),
        escalate(&max(), Priority::Urgent, "still urgent"),
    )
    .then_rejected(Rejection::EscalationChangesNothing)?;
    Ok(())
}

#[test]
fn escalation_never_lowers_the_priority_and_needs_a_reason_and_an_open_case() -> R {
    let s = given(opened_and_apologized())?
        .when(
            &dana(),
            at(5),
            escalate(&mo(), Priority::High, "customer called again"),
        )
        .then_accepted()?;
    let s = s
        .when(&mo(), at(6), escalate(&max(), Priority::Low, "calmer now"))
        .then_rejected(Rejection::PriorityWouldFall {
            current: Priority::High,
            requested: Priority::Low,
        })?;
    let refused = s
        .clone()
        .when(&mo(), at(6), escalate(&max(), Priority::High, "  "))
        .then_rejected_with("blank")?;
    let closed = refused
        .given_commands(&mo(), at(7), [explain(), final_thanks(), close()])?
        .when(&mo(), at(8), escalate(&max(), Priority::Urgent, "too late"))
        .then_rejected_with("not_open")?;
    let rejection = closed
        .when(&mo(), at(9), escalate(&max(), Priority::Low, "x"))
        .result()
        .clone()
        .unwrap_err();
    assert_eq!(rejection.category(), RejectionCategory::Case);
    let messages = [
        (
            Rejection::PriorityWouldFall {
                current: Priority::High,
                requested: Priority::Low,
            },
            "an escalation cannot lower the priority from high to low",
        ),
        (
            Rejection::EscalationChangesNothing,
            "this escalation changes nothing: hand the case to someone else or raise its priority",
        ),
    ];
    for (rejection, message) in messages {
        assert_eq!(rejection.to_string(), message);
        assert_eq!(rejection.category(), RejectionCategory::Case);
    }
    Ok(())
}

#[test]
fn next_actions_offer_escalation_on_an_open_case_only() {
    let case = live([open_case(), thank()]);
    let actions = next_actions(Some(&case), &dana(), at(5), &Policy::default());
    let escalate = actions.iter().find(|a| a.intent == Intent::Escalate);
    assert_eq!(escalate.map(|a| a.blocked.clone()), Some(None));
    assert_eq!(Intent::Escalate.to_string(), "escalate the case");
}
