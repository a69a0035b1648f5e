//! A complete service recovery, from intake to close, with a readable timeline.
//!
//! A customer's birthday present was shipped to the wrong address. The agent thanks
//! her, apologizes, asks what she needs, offers options, agrees on an action, carries
//! it out, adds a goodwill gesture, thanks her again by name, and closes the case with
//! its root cause. Along the way the example shows a command refused by the playbook
//! and what the help-desk screen would show as possible next.
//!
//! Run it with `cargo run --example quickstart`.

use chrono::{DateTime, Duration, TimeZone, Utc};
use service_recovery::approval::{AuthorityLimits, ResolutionKind, ResolutionOption, Role};
use service_recovery::money::{Currency, Money};
use service_recovery::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let usd = |minor| Money::new(minor, Currency::USD);
    // The host says who is acting; the crate never looks people up.
    let dana = Actor::builder()
        .id("agent-7")
        .name("Dana")
        .roles([Role::new("agent")].into())
        .limits(
            AuthorityLimits::builder()
                .offer_per_option(vec![usd(5_000)])
                .offer_per_case(vec![usd(10_000)])
                .build(),
        )
        .build();
    let policy = Policy::default();
    let mut clock = Utc.with_ymd_and_hms(2026, 11, 23, 9, 12, 0).single();
    let mut now = move |minutes: i64| -> Result<DateTime<Utc>, &'static str> {
        let next = clock.ok_or("no time")? + Duration::minutes(minutes);
        clock = Some(next);
        Ok(next)
    };

    let intake = OpenCase::builder()
        .case("RC-1123-04")
        .customer(
            Customer::builder()
                .id("cust-381")
                .name("Amara Okafor")
                .address_as("Ms Okafor")
                .tier(CustomerTier::Valued)
                .email("amara.okafor@example.com")
                .build(),
        )
        .channel(Channel::WebForm)
        .owner(dana.reference())
        .complaint(
            Complaint::builder()
                .summary("birthday present shipped to the wrong address")
                .details("Order 55102 was delivered to another town; it is needed by Saturday.")
                .build(),
        )
        .severity(Severity::Moderate)
        .previous_contacts(1)
        .build();
    let events = decide(
        None,
        &Command::Open(Box::new(intake)),
        &dana,
        now(0)?,
        &policy,
    )?;
    let mut case = Case::replay(events)?;
    println!(
        "Opened {} at {} priority (signals: {}).\n",
        case.id(),
        case.priority(),
        case.signals()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );

    // The playbook keeps the order: no explanation before thanks and an apology.
    let too_early = Command::Explain(Explain {
        words: "Our courier mixed up two labels.".into(),
    });
    if let Err(refused) = decide(Some(&case), &too_early, &dana, now(1)?, &policy) {
        println!("Refused: {refused}.\n");
    }

    let script = vec![
        Command::Thank(Thank {
            words: "Thank you for letting us know, Ms Okafor.".into(),
        }),
        Command::Apologize(Apologize {
            words: "I am sorry: we sent your parcel to the wrong address.".into(),
        }),
        Command::AskQuestion(AskQuestion {
            question: QuestionId::new("q1"),
            kind: QuestionKind::Probing,
            text: "When do you need the parcel by?".into(),
        }),
        Command::RecordAnswer(RecordAnswer {
            question: QuestionId::new("q1"),
            answer: "Saturday, for my daughter's birthday.".into(),
        }),
        Command::RecordGoal(RecordGoal {
            goal: "have the present by Saturday".into(),
            expected: Some("delivery within three working days, as the site promised".into()),
        }),
        Command::Explain(Explain {
            words: "Two labels were swapped at our warehouse on Tuesday.".into(),
        }),
        Command::ProposeOption(ProposeOption {
            option: OptionId::new("express"),
            resolution: ResolutionOption::builder()
                .kind(ResolutionKind::Replacement)
                .description("a new parcel by express courier, arriving Friday")
                .build(),
        }),
        Command::ProposeOption(ProposeOption {
            option: OptionId::new("refund"),
            resolution: ResolutionOption::builder()
                .kind(ResolutionKind::Refund)
                .amount(usd(4_200))
                .description("a full refund of USD 42.00")
                .build(),
        }),
        Command::OfferOption(OfferOption {
            option: OptionId::new("express"),
        }),
        Command::OfferOption(OfferOption {
            option: OptionId::new("refund"),
        }),
        Command::AcceptOffer(AcceptOffer {
            option: OptionId::new("express"),
        }),
        Command::DeclineOffer(DeclineOffer {
            option: OptionId::new("refund"),
            reason: Some("she still wants the present".into()),
        }),
        Command::AgreeAction(AgreeAction {
            action: ActionId::new("reship"),
            description: "send a new parcel by express courier today".into(),
            option: Some(OptionId::new("express")),
        }),
        Command::CarryOut(CarryOut {
            action: ActionId::new("reship"),
            outcome: "parcel 55102-B handed to the express courier, tracking sent".into(),
        }),
        Command::Goodwill(Goodwill {
            description: "a hand-written birthday card for her daughter in the parcel".into(),
            value: None,
            prior: Default::default(),
        }),
        Command::FinalThanks(FinalThanks {
            words: "Thank you for your patience, Ms Okafor; happy birthday to your daughter."
                .into(),
        }),
    ];
    for command in script {
        for event in decide(Some(&case), &command, &dana, now(4)?, &policy)? {
            case.apply(event)?;
        }
    }

    println!("Possible next for {}:", dana.name);
    for action in next_actions(Some(&case), &dana, now(1)?, &policy) {
        match &action.blocked {
            None => println!("  [enabled]  {}", action.intent),
            Some(why) if !matches!(why, Rejection::StepAlreadyDone { .. }) => {
                println!("  [disabled] {}: {why}", action.intent)
            }
            Some(_) => {}
        }
    }
    println!();

    let close = Command::Close(Close {
        root_cause: RootCause::builder()
            .category("warehouse labelling")
            .description("the label printer queue swapped two orders packed at the same bench")
            .build(),
    });
    for event in decide(Some(&case), &close, &dana, now(3)?, &policy)? {
        case.apply(event)?;
    }

    println!("Timeline of {} ({}):", case.id(), case.status());
    for event in case.history() {
        println!("  {event}");
    }
    Ok(())
}
