//! Fixtures shared by the integration tests.
#![allow(dead_code)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use service_recovery::approval::{AuthorityLimits, ResolutionKind, ResolutionOption, Role};
use service_recovery::money::{Currency, Money};
use service_recovery::*;

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap()
}

pub fn minutes(n: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(n)
}

/// A front-line agent's authority: USD 50.00 per option and USD 100.00 per case
/// offered alone; approves nothing.
pub fn agent_limits() -> AuthorityLimits {
    AuthorityLimits::builder()
        .offer_per_option(vec![usd(5_000)])
        .offer_per_case(vec![usd(10_000)])
        .build()
}

pub fn dana() -> Actor {
    Actor::builder()
        .id("agent-7")
        .name("Dana")
        .roles([Role::new("agent")].into())
        .limits(agent_limits())
        .build()
}

pub fn sam() -> Actor {
    Actor::builder()
        .id("agent-9")
        .name("Sam")
        .roles([Role::new("agent")].into())
        .limits(agent_limits())
        .build()
}

pub fn open_case() -> Command {
    Command::Open(Box::new(
        OpenCase::builder()
            .case("case-1")
            .customer(
                Customer::builder()
                    .id("cust-1")
                    .name("Amara Okafor")
                    .address_as("Ms Okafor")
                    .email("amara@example.com")
                    .build(),
            )
            .channel(Channel::Email)
            .owner(dana().reference())
            .complaint(
                Complaint::builder()
                    .summary("parcel sent to the wrong address")
                    .details("Ordered on 12 Feb; tracking shows delivery to another town.")
                    .build(),
            )
            .severity(Severity::Moderate)
            .build(),
    ))
}

pub fn words(text: &str) -> String {
    text.to_owned()
}

pub fn thank() -> Command {
    Command::Thank {
        words: words("Thank you for telling us, Ms Okafor."),
    }
}

pub fn apologize() -> Command {
    Command::Apologize {
        words: words("I am sorry we sent your parcel to the wrong address."),
    }
}

pub fn explain() -> Command {
    Command::Explain {
        words: words("Two labels were swapped at our warehouse."),
    }
}

pub fn goal() -> Command {
    Command::RecordGoal {
        goal: words("have the parcel before her daughter's birthday on Saturday"),
        expected: Some(words("delivery within three days")),
    }
}

pub fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::USD)
}

pub fn refund(minor: i64) -> ResolutionOption {
    ResolutionOption::builder()
        .kind(ResolutionKind::Refund)
        .amount(usd(minor))
        .description("refund of the shipping fee")
        .build()
}

pub fn propose(id: &str, minor: i64) -> Command {
    Command::ProposeOption {
        option: OptionId::new(id),
        resolution: refund(minor),
    }
}

pub fn final_thanks() -> Command {
    Command::FinalThanks {
        words: words("Thank you for your patience, Ms Okafor."),
    }
}

/// The commands that take a case from intake to closing under the standard playbook.
pub fn to_closing() -> Vec<Command> {
    vec![
        open_case(),
        thank(),
        apologize(),
        explain(),
        final_thanks(),
        close(),
    ]
}

pub fn close() -> Command {
    Command::Close {
        root_cause: RootCause::builder()
            .category("warehouse")
            .description("the label printer swapped two orders")
            .build(),
    }
}

/// Applies commands one by one, panicking (in tests) on a rejection.
pub fn live(commands: impl IntoIterator<Item = Command>) -> Case {
    let policy = Policy::default();
    let mut case: Option<Case> = None;
    for (i, command) in commands.into_iter().enumerate() {
        let events = decide(case.as_ref(), &command, &dana(), minutes(i as i64), &policy)
            .unwrap_or_else(|r| panic!("command {i} ({command:?}) rejected: {r}"));
        for event in events {
            case = Some(evolve(case, event).unwrap());
        }
    }
    case.expect("at least the opening")
}

/// A command drawn from a small pool of identifiers, so that random sequences hit
/// the interesting states (an option offered twice, an action carried out before it
/// was agreed, a blank apology, ...).
pub fn arb_command() -> impl Strategy<Value = Command> {
    let id = || prop::sample::select(vec!["1", "2", "3"]);
    // Mostly real words, sometimes blank: blank text is a rejection worth testing,
    // but too much of it would keep random scripts from getting anywhere.
    let text = || {
        prop_oneof![
            1 => prop::sample::select(vec!["", "  "]),
            9 => prop::sample::select(vec![
                "Thank you, Ms Okafor.",
                "I am sorry.",
                "We will re-ship today.",
            ]),
        ]
        .prop_map(str::to_owned)
    };
    prop_oneof![
        1 => Just(open_case()),
        4 => text().prop_map(|words| Command::Thank { words }),
        4 => text().prop_map(|words| Command::Apologize { words }),
        4 => (id(), text()).prop_map(|(q, text)| Command::AskQuestion {
            question: QuestionId::new(q),
            kind: QuestionKind::Background,
            text
        }),
        4 => (id(), text()).prop_map(|(q, answer)| Command::RecordAnswer {
            question: QuestionId::new(q),
            answer
        }),
        4 => text().prop_map(|goal| Command::RecordGoal {
            goal,
            expected: None
        }),
        4 => text().prop_map(|words| Command::Explain { words }),
        4 => (id(), -100i64..10_000).prop_map(|(o, minor)| propose(o, minor)),
        4 => (id(), 1i64..10_000).prop_map(|(o, minor)| Command::ReviseOption {
            option: OptionId::new(o),
            resolution: refund(minor)
        }),
        4 => id().prop_map(|o| Command::OfferOption {
            option: OptionId::new(o)
        }),
        4 => id().prop_map(|o| Command::AcceptOffer {
            option: OptionId::new(o)
        }),
        4 => id().prop_map(|o| Command::DeclineOffer {
            option: OptionId::new(o),
            reason: None
        }),
        4 => (id(), prop::option::of(id()), text()).prop_map(|(a, o, description)| {
            Command::AgreeAction {
                action: ActionId::new(a),
                description,
                option: o.map(OptionId::new),
            }
        }),
        4 => (id(), text()).prop_map(|(a, outcome)| Command::CarryOut {
            action: ActionId::new(a),
            outcome
        }),
        4 => text().prop_map(|description| Command::Goodwill {
            description,
            value: None,
            prior: Default::default(),
        }),
        4 => text().prop_map(|words| Command::FinalThanks { words }),
        4 => Just(close()),
        1 => Just(Command::Close {
            root_cause: RootCause::builder().category("").description("").build()
        }),
        1 => text().prop_map(|reason| Command::Reopen { reason }),
        1 => text().prop_map(|reason| Command::Withdraw { reason }),
        4 => prop::sample::select(vec![Channel::Email, Channel::Phone, Channel::Chat])
            .prop_map(|channel| Command::ChangeChannel { channel }),
        4 => prop::sample::select(vec![dana(), sam()]).prop_map(|a| Command::Reassign {
            to: a.reference(),
            reason: "shift change".into()
        }),
        4 => text().prop_map(|text| Command::AddNote { text }),
        // Follow-ups: light weights, so scripts still reach closing.
        1 => text().prop_map(|reason| Command::AwaitCustomer { reason }),
        1 => text().prop_map(|reason| Command::AwaitThirdParty { party: "the carrier".into(), reason }),
        2 => Just(Command::Resume),
        3 => Just(Command::ReportTime),
        1 => (id(), text(), 0i64..72).prop_map(|(c, what, hours)| Command::MakeCommitment {
            commitment: CommitmentId::new(c),
            what,
            owner: dana().reference(),
            promised_for: t0() + Duration::hours(hours),
        }),
        2 => id().prop_map(|c| Command::KeepCommitment { commitment: CommitmentId::new(c) }),
        1 => (id(), text()).prop_map(|(c, reason)| Command::BreakCommitment {
            commitment: CommitmentId::new(c),
            reason
        }),
        1 => (id(), text()).prop_map(|(c, reason)| Command::CancelCommitment {
            commitment: CommitmentId::new(c),
            reason
        }),
        2 => (0u8..7).prop_map(|score| Command::RecordSurvey {
            score,
            comment: None,
            follow_up_case: None
        }),
    ]
}

/// A script: usually an opening followed by random commands, each with the minutes it
/// comes after the previous one (sometimes before: a clock going backwards).
pub fn arb_script() -> impl Strategy<Value = Vec<(Command, i64)>> {
    let timed = || (arb_command(), prop_oneof![1 => -2i64..0, 9 => 0i64..30]);
    (
        prop::bool::weighted(0.95),
        prop::collection::vec(timed(), 0..80),
    )
        .prop_map(|(opened, mut script)| {
            if opened {
                script.insert(0, (open_case(), 0));
            }
            script
        })
}
