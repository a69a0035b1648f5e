//! The state a host reads from a case (its accessors, and the approval, follow-up and
//! promise state) asserted after replaying representative histories, so a derived
//! value that goes wrong on replay is a failing test, not a silent screen.

use service_recovery::case::approvals::RequestStatus;
use service_recovery::case::{
    AcceptOffer, AgreeAction, AskQuestion, AwaitCustomer, AwaitThirdParty, CarryOut, Goal,
    KeepCommitment, MakeCommitment, QuestionKind, RecordAnswer, RecordSurvey, Reopen, Resume,
    ReviseOption, Waiting, Withdraw,
};
use service_recovery::id::{ActionId, CommitmentId, QuestionId};
use service_recovery::playbook::StepKind;
use service_recovery::prelude::*;
use service_recovery::schedule::commitment::{CommitmentStatus, Punctuality};
use service_recovery::testing::*;

/// Lives through `steps` (who acts, minutes after t0, what), then replays the history
/// and checks that replaying gives the same case as living through it.
fn replayed(policy: &Policy, steps: Vec<(Actor, i64, Command)>) -> Case {
    let mut case: Option<Case> = None;
    for (i, (actor, minutes, command)) in steps.into_iter().enumerate() {
        let events = decide(case.as_ref(), &command, &actor, at(minutes), policy)
            .unwrap_or_else(|r| panic!("step {i} ({command:?}) was refused: {r}"));
        for event in events {
            case = Some(evolve(case, event).expect("a well-formed history"));
        }
    }
    let lived = case.expect("at least the opening");
    let replayed = Case::replay(lived.history().to_vec()).expect("replayable");
    assert_eq!(replayed, lived, "replaying differs from living through it");
    replayed
}

fn by_dana(commands: Vec<Command>) -> Vec<(Actor, i64, Command)> {
    commands
        .into_iter()
        .enumerate()
        .map(|(i, c)| (dana(), i as i64, c))
        .collect()
}

/// The parcel case, from intake to closing with a question, a goal, an accepted
/// refund carried out and a promise kept.
fn parcel_story() -> Vec<Command> {
    vec![
        open_case(),
        thank(),
        apologize(),
        Command::from(AskQuestion {
            question: QuestionId::new("q-1"),
            kind: QuestionKind::Probing,
            text: "Why does Saturday matter?".into(),
        }),
        Command::from(AskQuestion {
            question: QuestionId::new("q-2"),
            kind: QuestionKind::Confirming,
            text: "So you need it by Saturday?".into(),
        }),
        Command::from(RecordAnswer {
            question: QuestionId::new("q-1"),
            answer: "my daughter's birthday".into(),
        }),
        goal(),
        explain(),
        propose("o-1", refund(2_000)),
        offer("o-1"),
        Command::from(AcceptOffer { option: o("o-1") }),
        Command::from(AgreeAction {
            action: ActionId::new("a-1"),
            description: "refund USD 20.00 to the card".into(),
            option: Some(o("o-1")),
        }),
        Command::from(MakeCommitment {
            commitment: CommitmentId::new("refund"),
            what: "the refund on your card".into(),
            owner: dana().reference(),
            promised_for: at(60 * 24 * 3),
        }),
        Command::from(CarryOut {
            action: ActionId::new("a-1"),
            outcome: "refunded USD 20.00".into(),
        }),
        Command::from(KeepCommitment {
            commitment: CommitmentId::new("refund"),
        }),
        final_thanks(),
        close(),
    ]
}

#[test]
fn an_opened_case_reads_back_its_intake() {
    let case = replayed(&Policy::default(), by_dana(vec![open_case()]));
    assert_eq!(case.id().as_str(), "case-1");
    assert_eq!(case.customer().name, "Amara Okafor");
    assert_eq!(case.channel(), &Channel::Email);
    assert_eq!(case.owner(), &dana().reference());
    assert_eq!(case.complaint().summary, "parcel sent to the wrong address");
    assert_eq!(case.severity(), Severity::Moderate);
    assert_eq!(case.priority(), Priority::Normal);
    assert!(case.signals().is_empty());
    assert_eq!(case.status(), CaseStatus::Open);
    assert_eq!(case.opened_at(), t0());
    assert_eq!(case.last_event_at(), t0());
    assert_eq!(case.round(), 1);
    assert_eq!(case.version(), 1);
    assert_eq!(case.history().len(), 1);
    assert_eq!(case.goal(), None);
    assert_eq!(case.root_cause(), None);
    assert_eq!(case.closed_at(), None);
    assert!(!case.surveyed());
    assert_eq!(case.waiting(), None);
    assert_eq!(case.questions().count(), 0);
    assert!(case.options().is_empty());
    assert!(case.actions().is_empty());
    assert_eq!(case.approvals().iter().count(), 0);
    assert_eq!(case.commitments().count(), 0);
    for step in StepKind::ALL {
        assert_eq!(case.steps().get(step), 0, "{step}");
    }
}

#[test]
fn a_severe_case_from_a_valued_customer_reads_back_its_signals() {
    let case = replayed(&airline_policy(), by_dana(vec![open_airline_case()]));
    assert_eq!(case.customer().name, "Walter Grant");
    assert_eq!(case.channel(), &Channel::Phone);
    assert_eq!(case.severity(), Severity::Major);
    assert_eq!(case.priority(), Priority::High);
    assert_eq!(case.signals(), &[IntakeSignal::SevereFailure]);
}

#[test]
fn a_closed_case_reads_back_everything_that_happened() {
    let story = parcel_story();
    let closing_minute = story.len() as i64 - 1;
    let case = replayed(&Policy::default(), by_dana(story));

    assert_eq!(case.status(), CaseStatus::Closed);
    assert_eq!(case.closed_at(), Some(at(closing_minute)));
    assert!(!case.surveyed(), "no survey yet");
    let root_cause = case.root_cause().expect("closed with a root cause");
    assert_eq!(root_cause.category, "warehouse");
    assert_eq!(
        root_cause.description,
        "the label printer swapped two orders"
    );

    assert_eq!(
        case.goal(),
        Some(Goal {
            goal: "have the parcel before her daughter's birthday on Saturday",
            expected: Some("delivery within three days"),
        })
    );

    let questions: Vec<_> = case
        .questions()
        .map(|q| (q.id.as_str().to_owned(), q.kind, q.text, q.answer))
        .collect();
    assert_eq!(
        questions,
        vec![
            (
                "q-1".to_owned(),
                QuestionKind::Probing,
                "Why does Saturday matter?",
                Some("my daughter's birthday")
            ),
            (
                "q-2".to_owned(),
                QuestionKind::Confirming,
                "So you need it by Saturday?",
                None
            ),
        ]
    );
    let q1 = case.question(&QuestionId::new("q-1")).expect("asked");
    assert_eq!(q1.answer, Some("my daughter's birthday"));
    assert_eq!(case.question(&QuestionId::new("q-3")), None);

    let option = case.options().get(&o("o-1")).expect("proposed");
    assert_eq!(option.status, OptionStatus::Accepted);
    assert_eq!(option.resolution, refund(2_000));
    let action = case.actions().get(&ActionId::new("a-1")).expect("agreed");
    assert_eq!(action.description, "refund USD 20.00 to the card");
    assert_eq!(action.option, Some(o("o-1")));
    assert_eq!(action.outcome.as_deref(), Some("refunded USD 20.00"));

    let promise = case.commitment(&CommitmentId::new("refund")).expect("made");
    assert_eq!(promise.what, "the refund on your card");
    assert_eq!(promise.status, CommitmentStatus::Kept(Punctuality::Early));
    assert_eq!(case.commitments().count(), 1);
    assert_eq!(case.commitment(&CommitmentId::new("other")), None);

    let counts: Vec<(StepKind, u32)> = StepKind::ALL
        .into_iter()
        .map(|s| (s, case.steps().get(s)))
        .collect();
    assert_eq!(
        counts,
        vec![
            (StepKind::Thank, 1),
            (StepKind::Apologize, 1),
            (StepKind::Clarify, 2),
            (StepKind::RecordGoal, 1),
            (StepKind::Explain, 1),
            (StepKind::OfferOption, 1),
            (StepKind::Agree, 1),
            (StepKind::Act, 1),
            (StepKind::Goodwill, 0),
            (StepKind::FinalThanks, 1),
            (StepKind::Close, 1),
        ]
    );
    assert_eq!(case.round(), 1);
    assert_eq!(case.version(), case.history().len() as u64);
    assert_eq!(case.last_event_at(), at(closing_minute));
    // Only the refund carried out needs no approval: nothing was requested.
    assert_eq!(case.approvals().iter().count(), 1);
    assert_eq!(
        case.approvals()
            .get(&o("o-1"))
            .and_then(|a| a.request.as_ref()),
        None
    );
}

#[test]
fn the_survey_is_recorded_once_per_closing_and_reopening_starts_a_new_round() {
    let mut steps = by_dana(parcel_story());
    let n = steps.len() as i64;
    steps.push((
        dana(),
        n,
        Command::from(RecordSurvey {
            score: 5,
            comment: Some("thank you".into()),
            follow_up_case: None,
        }),
    ));
    let surveyed = replayed(&Policy::default(), steps.clone());
    assert!(surveyed.surveyed());
    assert_eq!(surveyed.closed_at(), Some(at(n - 1)));
    assert_eq!(surveyed.status(), CaseStatus::Closed);

    steps.push((
        dana(),
        n + 1,
        Command::from(Reopen {
            reason: "the refund bounced".into(),
        }),
    ));
    let reopened = replayed(&Policy::default(), steps.clone());
    assert_eq!(reopened.status(), CaseStatus::Open);
    assert_eq!(reopened.closed_at(), None);
    assert!(!reopened.surveyed());
    assert_eq!(reopened.round(), 2);
    assert_eq!(reopened.steps().get(StepKind::Thank), 0);
    assert_eq!(reopened.steps().get(StepKind::Close), 0);

    // A new round repeats the required steps before closing again.
    for (i, command) in [thank(), apologize(), explain(), final_thanks(), close()]
        .into_iter()
        .enumerate()
    {
        steps.push((dana(), n + 2 + i as i64, command));
    }
    let closed_again = replayed(&Policy::default(), steps);
    assert_eq!(closed_again.closed_at(), Some(at(n + 6)));
    assert!(!closed_again.surveyed(), "a new closing needs a new survey");
    assert_eq!(closed_again.round(), 2);
}

#[test]
fn a_low_score_reopens_the_case() {
    let mut steps = by_dana(parcel_story());
    let n = steps.len() as i64;
    steps.push((
        dana(),
        n,
        Command::from(RecordSurvey {
            score: 1,
            comment: None,
            follow_up_case: None,
        }),
    ));
    let case = replayed(&Policy::default(), steps);
    assert_eq!(case.status(), CaseStatus::Open);
    assert_eq!(case.closed_at(), None);
    assert!(!case.surveyed());
    assert_eq!(case.round(), 2);
}

#[test]
fn the_wait_in_effect_reads_back_until_it_ends() {
    let mut commands = vec![
        open_case(),
        thank(),
        Command::from(AwaitCustomer {
            reason: "send a photo of the label".into(),
        }),
    ];
    let case = replayed(&Policy::default(), by_dana(commands.clone()));
    assert_eq!(
        case.waiting(),
        Some(Waiting::Customer {
            reason: "send a photo of the label"
        })
    );

    commands.push(Command::from(AwaitThirdParty {
        party: "the courier".into(),
        reason: "trace the parcel".into(),
    }));
    let case = replayed(&Policy::default(), by_dana(commands.clone()));
    assert_eq!(
        case.waiting(),
        Some(Waiting::ThirdParty {
            party: "the courier",
            reason: "trace the parcel"
        })
    );

    let mut resumed = commands.clone();
    resumed.push(Command::from(Resume {}));
    assert_eq!(
        replayed(&Policy::default(), by_dana(resumed)).waiting(),
        None
    );

    let mut withdrawn = commands;
    withdrawn.push(Command::from(Withdraw {
        reason: "bought it elsewhere".into(),
    }));
    let case = replayed(&Policy::default(), by_dana(withdrawn));
    assert_eq!(case.waiting(), None);
    assert_eq!(case.status(), CaseStatus::Withdrawn);
    assert_eq!(case.closed_at(), None);
}

/// The airline case up to a waiver refund proposed by Dana.
fn airline_proposed() -> Vec<(Actor, i64, Command)> {
    let mut steps = by_dana(airline_ready());
    steps.push((dana(), 10, propose("o-1", waiver_refund())));
    steps
}

fn reworded() -> Command {
    let mut terms = waiver_refund();
    terms.description = "your whole fare back, as a medical exception".into();
    Command::from(ReviseOption {
        option: o("o-1"),
        resolution: terms,
    })
}

#[test]
fn rewording_an_option_makes_nobody_a_proposer_and_keeps_its_approvals() {
    let mut steps = airline_proposed();
    steps.push((dana(), 11, request("o-1")));
    steps.push((sue(), 12, grant("o-1", 1)));
    // Mo rewords the description after level 1 is granted: not a change of terms.
    steps.push((mo(), 13, reworded()));
    let case = replayed(&airline_policy(), steps.clone());

    let approvals = case.approvals().get(&o("o-1")).expect("the option's state");
    assert_eq!(
        approvals
            .proposers
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>(),
        vec!["agent-7"],
        "rewording does not make Mo a proposer"
    );
    let request = approvals.pending().expect("still pending, not voided");
    assert_eq!(request.status, RequestStatus::Pending);
    assert_eq!(request.by, dana().reference());
    assert_eq!(request.at, at(11));
    assert_eq!(request.level_count(), 2);
    assert_eq!(request.grants.len(), 1);
    assert_eq!(request.grants[0].level, 1);
    assert_eq!(request.grants[0].by, sue().reference());
    assert!(request.level_granted_at(1, at(13)));
    assert_eq!(request.first_missing_at(at(13)), Some(2));
    assert_eq!(
        case.approvals()
            .iter()
            .map(|(option, _)| option.as_str())
            .collect::<Vec<_>>(),
        vec!["o-1"]
    );
    assert_eq!(
        case.options()
            .get(&o("o-1"))
            .map(|o| o.resolution.description.as_str()),
        Some("your whole fare back, as a medical exception")
    );

    // So Mo, who only reworded it, may still grant the manager's waiver, and Dana offer it.
    steps.push((mo(), 14, grant("o-1", 2)));
    steps.push((dana(), 15, offer("o-1")));
    let case = replayed(&airline_policy(), steps);
    assert_eq!(
        case.options().get(&o("o-1")).map(|o| o.status),
        Some(OptionStatus::Offered)
    );
    let request = case
        .approvals()
        .get(&o("o-1"))
        .and_then(|a| a.request.as_ref())
        .expect("requested");
    assert_eq!(request.first_missing_at(at(15)), None);
    assert_eq!(request.grants.len(), 2);
}

#[test]
fn changing_an_options_terms_voids_its_approvals_and_makes_a_proposer() {
    let mut steps = airline_proposed();
    steps.push((dana(), 11, request("o-1")));
    steps.push((sue(), 12, grant("o-1", 1)));
    let mut terms = waiver_refund();
    terms.amount = Some(usd(45_000));
    steps.push((
        mo(),
        13,
        Command::from(ReviseOption {
            option: o("o-1"),
            resolution: terms,
        }),
    ));
    let case = replayed(&airline_policy(), steps);
    let approvals = case.approvals().get(&o("o-1")).expect("the option's state");
    assert_eq!(
        approvals
            .proposers
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>(),
        vec!["agent-7", "mgr-1"]
    );
    assert_eq!(approvals.pending(), None);
    assert_eq!(
        approvals.request.as_ref().map(|r| &r.status),
        Some(&RequestStatus::Voided)
    );
}

#[test]
fn a_denied_request_reads_back_who_denied_it_and_why() {
    let mut steps = airline_proposed();
    steps.push((dana(), 11, request("o-1")));
    steps.push((sue(), 12, deny("o-1")));
    let case = replayed(&airline_policy(), steps);
    let approvals = case.approvals().get(&o("o-1")).expect("the option's state");
    assert_eq!(approvals.pending(), None);
    assert_eq!(
        approvals.request.as_ref().map(|r| r.status.clone()),
        Some(RequestStatus::Denied {
            by: sue().reference(),
            at: at(12),
            reason: "no medical evidence".into(),
        })
    );
}

#[test]
fn a_withdrawn_request_reads_back_as_withdrawn() {
    let mut steps = airline_proposed();
    steps.push((dana(), 11, request("o-1")));
    steps.push((dana(), 12, withdraw("o-1")));
    let case = replayed(&airline_policy(), steps);
    let approvals = case.approvals().get(&o("o-1")).expect("the option's state");
    assert_eq!(approvals.pending(), None);
    assert_eq!(
        approvals.request.as_ref().map(|r| r.status.clone()),
        Some(RequestStatus::Withdrawn)
    );
}

#[test]
fn a_grant_on_behalf_of_someone_and_one_that_expires_read_back() {
    let mut steps = airline_proposed();
    steps.push((dana(), 11, request("o-1")));
    steps.push((sue(), 12, grant_until("o-1", 1, at(100))));
    steps.push((lee(), 13, grant_for("o-1", 2, mo_to_lee())));
    let case = replayed(&airline_policy(), steps);
    let request = case
        .approvals()
        .get(&o("o-1"))
        .and_then(|a| a.pending())
        .expect("pending");
    let first = &request.grants[0];
    assert_eq!(first.expires, Some(at(100)));
    assert!(first.valid_at(at(99)));
    assert!(!first.valid_at(at(100)), "a grant lapses at its expiry");
    let second = &request.grants[1];
    assert_eq!(second.by, lee().reference());
    assert_eq!(second.on_behalf_of, Some(mo().reference()));
    assert!(second.involves(&mo().id));
    assert!(second.involves(&lee().id));
    assert!(!second.involves(&sue().id));
    assert_eq!(request.first_missing_at(at(50)), None);
    assert_eq!(request.first_missing_at(at(100)), Some(1));
    assert_eq!(request.missing_at(at(100)).levels.len(), 1);
    assert!(request.missing_at(at(50)).levels.is_empty());
}
