//! A veteran, medically unable to fly, was refused a refund on a non-refundable
//! ticket. The agent proposes a full refund; it needs a supervisor's approval for the
//! amount and a manager's waiver of the fare rule, and cannot be offered until both are
//! granted. Then it is offered, accepted and carried out.
//!
//! Run with `cargo run --example refund_waiver`.

use chrono::{DateTime, Duration, TimeZone, Utc};
use service_recovery::approval::{
    ApprovalPolicy, AuthorityLimits, ResolutionKind, ResolutionOption, Role,
};
use service_recovery::money::{Currency, Money};
use service_recovery::prelude::*;

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::USD)
}

fn person(id: &str, name: &str, role: &str, limits: AuthorityLimits) -> Actor {
    Actor::builder()
        .id(id)
        .name(name)
        .roles([Role::new(role)].into())
        .limits(limits)
        .build()
}

/// Decides a command and applies its events, or prints why it was refused.
fn step(case: &mut Case, who: &Actor, at: DateTime<Utc>, command: Command, policy: &Policy) {
    match decide(Some(case), &command, who, at, policy) {
        Ok(events) => {
            for event in events {
                if let Err(e) = case.apply(event) {
                    eprintln!("cannot apply: {e}");
                }
            }
        }
        Err(why) => println!(
            "REFUSED ({} tried to {}): {why}",
            who.name,
            command.intent()
        ),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let policy = Policy::builder()
        .approvals(ApprovalPolicy::example_airline())
        .build();
    let dana = person(
        "agent-7",
        "Dana",
        "agent",
        AuthorityLimits::builder()
            .offer_per_option(vec![usd(5_000)])
            .offer_per_case(vec![usd(10_000)])
            .build(),
    );
    let sue = person(
        "sup-1",
        "Sue",
        "supervisor",
        AuthorityLimits::builder()
            .approve_up_to(vec![usd(100_000)])
            .build(),
    );
    let mo = person(
        "mgr-1",
        "Mo",
        "manager",
        AuthorityLimits::builder()
            .approve_up_to(vec![usd(500_000)])
            .build(),
    );

    let mut now = Utc
        .with_ymd_and_hms(2026, 3, 2, 14, 0, 0)
        .single()
        .ok_or("bad date")?;
    let open = Command::Open(Box::new(
        OpenCase::builder()
            .case("case-42")
            .customer(
                Customer::builder()
                    .id("cust-1")
                    .name("Walter Grant")
                    .address_as("Mr Grant")
                    .tier(CustomerTier::Valued)
                    .build(),
            )
            .channel(Channel::Phone)
            .owner(dana.reference())
            .complaint(
                Complaint::builder()
                    .summary("refund refused on a non-refundable ticket; medically unable to fly")
                    .details("A veteran; his doctor forbids flying after surgery.")
                    .build(),
            )
            .severity(Severity::Major)
            .build(),
    ));
    let mut case = Case::replay(decide(None, &open, &dana, now, &policy)?)?;

    let refund = ResolutionOption::builder()
        .kind(ResolutionKind::Refund)
        .amount(usd(42_000))
        .waives(vec!["non-refundable-fare".into()])
        .description("A full refund of your ticket, as a medical exception")
        .build();
    let offer = || {
        Command::OfferOption(OfferOption {
            option: "refund".into(),
        })
    };

    let mut tick = |minutes| {
        now += Duration::minutes(minutes);
        now
    };
    let script: Vec<(&Actor, i64, Command)> = vec![
        (
            &dana,
            1,
            Command::Thank(Thank {
                words: "Thank you for calling us about this, Mr Grant.".into(),
            }),
        ),
        (
            &dana,
            1,
            Command::Apologize(Apologize {
                words: "I am sorry you were refused when you cannot fly.".into(),
            }),
        ),
        (
            &dana,
            1,
            Command::RecordGoal(RecordGoal {
                goal: "get the fare back, since he cannot travel".into(),
                expected: None,
            }),
        ),
        (
            &dana,
            1,
            Command::ProposeOption(ProposeOption {
                option: "refund".into(),
                resolution: refund,
            }),
        ),
        (&dana, 1, offer()),
        (
            &dana,
            1,
            Command::RequestApproval(RequestApproval {
                option: "refund".into(),
                note: Some("doctor's letter on file".into()),
            }),
        ),
        (
            &sue,
            5,
            Command::GrantApproval(GrantApproval {
                option: "refund".into(),
                level: 1,
                expires: None,
                reason: "the amount is the fare paid".into(),
                on_behalf_of: None,
            }),
        ),
        (
            &sue,
            1,
            Command::GrantApproval(GrantApproval {
                option: "refund".into(),
                level: 2,
                expires: None,
                reason: "medical case".into(),
                on_behalf_of: None,
            }),
        ),
        (&dana, 1, offer()),
        (
            &mo,
            10,
            Command::GrantApproval(GrantApproval {
                option: "refund".into(),
                level: 2,
                expires: None,
                reason: "medical exception to the fare rule".into(),
                on_behalf_of: None,
            }),
        ),
        (&dana, 1, offer()),
        (
            &dana,
            2,
            Command::AcceptOffer(AcceptOffer {
                option: "refund".into(),
            }),
        ),
        (
            &dana,
            1,
            Command::AgreeAction(AgreeAction {
                action: "refund-1".into(),
                description: "refund USD 420.00 to his card today".into(),
                option: Some("refund".into()),
            }),
        ),
        (
            &dana,
            30,
            Command::CarryOut(CarryOut {
                action: "refund-1".into(),
                outcome: "refunded USD 420.00 to the card ending 4242".into(),
            }),
        ),
    ];
    for (who, minutes, command) in script {
        let at = tick(minutes);
        step(&mut case, who, at, command, &policy);
    }

    println!("\nTimeline:");
    for event in case.history() {
        println!("  {event}");
    }
    let totals = case.ledger().totals()?;
    println!(
        "\nLedger: offered {}, accepted {}, paid {}, goodwill {}",
        totals.offered, totals.accepted, totals.paid, totals.goodwill
    );
    Ok(())
}
