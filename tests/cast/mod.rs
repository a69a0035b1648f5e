//! The people and options of the approval tests: front-line agents, a supervisor, two
//! managers, an outsider and a delegate, under the example airline policy.
#![allow(dead_code)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use service_recovery::approval::{
    ApprovalPolicy, AuthorityLimits, Delegation, ResolutionKind, ResolutionOption, Role,
};
use service_recovery::money::{Currency, Money};
use service_recovery::*;

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap()
}

pub fn at(minutes: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(minutes)
}

pub fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::USD)
}

fn person(id: &str, name: &str, roles: &[&str], limits: AuthorityLimits) -> Actor {
    Actor::builder()
        .id(id)
        .name(name)
        .roles(roles.iter().map(|r| Role::new(*r)).collect())
        .limits(limits)
        .build()
}

fn limits(per_option: i64, per_case: i64, approve: i64) -> AuthorityLimits {
    AuthorityLimits::builder()
        .offer_per_option(vec![usd(per_option)])
        .offer_per_case(vec![usd(per_case)])
        .approve_up_to(vec![usd(approve)])
        .build()
}

/// Agent: offers up to USD 50.00 per option, USD 100.00 per case; approves nothing.
pub fn dana() -> Actor {
    let limits = AuthorityLimits::builder()
        .offer_per_option(vec![usd(5_000)])
        .offer_per_case(vec![usd(10_000)])
        .build();
    person("agent-7", "Dana", &["agent"], limits)
}

/// A second agent with the same limits.
pub fn sam() -> Actor {
    Actor {
        id: "agent-9".into(),
        name: "Sam".into(),
        ..dana()
    }
}

/// Supervisor: offers up to USD 1,000.00; approves up to USD 1,000.00.
pub fn sue() -> Actor {
    person(
        "sup-1",
        "Sue",
        &["supervisor"],
        limits(100_000, 100_000, 100_000),
    )
}

/// Manager: approves up to USD 5,000.00.
pub fn mo() -> Actor {
    person(
        "mgr-1",
        "Mo",
        &["manager"],
        limits(100_000, 100_000, 500_000),
    )
}

/// A second manager.
pub fn max() -> Actor {
    person(
        "mgr-2",
        "Max",
        &["manager"],
        limits(100_000, 100_000, 500_000),
    )
}

/// Someone with no role and no limits.
pub fn olive() -> Actor {
    person("ext-1", "Olive", &[], AuthorityLimits::none())
}

/// An agent who covers for Mo while Mo is away.
pub fn lee() -> Actor {
    person("agent-3", "Lee", &["agent"], AuthorityLimits::none())
}

/// Mo's out-of-office cover for Lee: from t0 - 1 day to t0 + 1 day.
pub fn mo_to_lee() -> Delegation {
    Delegation::builder()
        .from(mo())
        .to(lee().id)
        .starts(t0() - Duration::days(1))
        .ends(t0() + Duration::days(1))
        .build()
}

pub fn cast() -> Vec<Actor> {
    vec![dana(), sam(), sue(), mo(), max(), olive(), lee()]
}

pub fn airline() -> Policy {
    Policy::builder()
        .approvals(ApprovalPolicy::example_airline())
        .build()
}

pub fn open() -> Command {
    Command::Open(Box::new(
        OpenCase::builder()
            .case("case-1")
            .customer(
                Customer::builder()
                    .id("cust-1")
                    .name("Walter Grant")
                    .address_as("Mr Grant")
                    .build(),
            )
            .channel(Channel::Phone)
            .owner(dana().reference())
            .complaint(
                Complaint::builder()
                    .summary("refund refused on a non-refundable ticket; medically unable to fly")
                    .build(),
            )
            .severity(Severity::Major)
            .build(),
    ))
}

/// Opening, thanks, apology and goal: everything an offer waits for.
pub fn ready() -> Vec<Command> {
    vec![
        open(),
        Command::Thank {
            words: "Thank you for calling, Mr Grant.".into(),
        },
        Command::Apologize {
            words: "I am sorry you were refused.".into(),
        },
        Command::RecordGoal {
            goal: "get the fare back".into(),
            expected: None,
        },
    ]
}

pub fn refund(minor: i64) -> ResolutionOption {
    ResolutionOption::builder()
        .kind(ResolutionKind::Refund)
        .amount(usd(minor))
        .description("a refund")
        .build()
}

/// USD 420.00 back on a non-refundable fare: a supervisor, then a manager's waiver.
pub fn waiver_refund() -> ResolutionOption {
    ResolutionOption::builder()
        .kind(ResolutionKind::Refund)
        .amount(usd(42_000))
        .waives(vec!["non-refundable-fare".into()])
        .description("a full refund of your ticket, as a medical exception")
        .build()
}

pub fn upgrade(minor: i64) -> ResolutionOption {
    ResolutionOption::builder()
        .kind(ResolutionKind::Upgrade)
        .amount(usd(minor))
        .description("an upgrade")
        .build()
}

pub fn o(id: &str) -> OptionId {
    OptionId::new(id)
}

pub fn propose(id: &str, resolution: ResolutionOption) -> Command {
    Command::ProposeOption {
        option: o(id),
        resolution,
    }
}

pub fn offer(id: &str) -> Command {
    Command::OfferOption { option: o(id) }
}

pub fn request(id: &str) -> Command {
    Command::RequestApproval {
        option: o(id),
        note: Some("medical certificate on file".into()),
    }
}

pub fn grant(id: &str, level: u32) -> Command {
    Command::GrantApproval {
        option: o(id),
        level,
        expires: None,
        reason: "justified".into(),
        on_behalf_of: None,
    }
}

pub fn grant_until(id: &str, level: u32, expires: DateTime<Utc>) -> Command {
    Command::GrantApproval {
        option: o(id),
        level,
        expires: Some(expires),
        reason: "justified".into(),
        on_behalf_of: None,
    }
}

pub fn grant_for(id: &str, level: u32, delegation: Delegation) -> Command {
    Command::GrantApproval {
        option: o(id),
        level,
        expires: None,
        reason: "covering for a colleague".into(),
        on_behalf_of: Some(delegation),
    }
}

pub fn deny(id: &str) -> Command {
    Command::DenyApproval {
        option: o(id),
        reason: "no medical evidence".into(),
        on_behalf_of: None,
    }
}

pub fn withdraw(id: &str) -> Command {
    Command::WithdrawApprovalRequest {
        option: o(id),
        reason: "customer changed their mind".into(),
    }
}
