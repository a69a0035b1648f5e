//! The fixtures themselves: pure constructors, no randomness, no clock.

use crate::actor::Actor;
use crate::approval::{
    ApprovalPolicy, Authority, AuthorityLimits, Delegation, ResolutionKind, ResolutionOption, Role,
};
use crate::case::{
    Apologize, Close, Command, DenyApproval, Explain, FinalThanks, GrantApproval, OfferOption,
    OpenCase, ProposeOption, RecordGoal, RequestApproval, RootCause, Thank,
    WithdrawApprovalRequest,
};
use crate::channel::Channel;
use crate::complaint::{Complaint, Severity};
use crate::customer::Customer;
use crate::id::OptionId;
use crate::money::{Currency, Money};
use crate::policy::Policy;
use chrono::{DateTime, Duration, Utc};

/// 2026-03-02 14:00 UTC, a Monday afternoon: the start of every fixture's story.
pub fn t0() -> DateTime<Utc> {
    // 1_772_460_000 s after the epoch is 2026-03-02T14:00:00Z; always representable.
    DateTime::from_timestamp(1_772_460_000, 0).unwrap_or_default()
}

/// `minutes` after [`t0`].
pub fn at(minutes: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(minutes)
}

/// US dollars, in cents.
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

/// A front-line agent's authority: USD 50.00 per option and USD 100.00 per case
/// offered alone; approves nothing.
pub fn agent_limits() -> AuthorityLimits {
    AuthorityLimits::builder()
        .offer_per_option(vec![usd(5_000)])
        .offer_per_case(vec![usd(10_000)])
        .build()
}

/// Dana (`agent-7`), a front-line agent with [`agent_limits`]; owns the fixture cases.
pub fn dana() -> Actor {
    person("agent-7", "Dana", &["agent"], agent_limits())
}

/// Sam (`agent-9`), a second agent with the same limits.
pub fn sam() -> Actor {
    person("agent-9", "Sam", &["agent"], agent_limits())
}

/// Sue (`sup-1`), a supervisor: offers and approves up to USD 1,000.00.
pub fn sue() -> Actor {
    person(
        "sup-1",
        "Sue",
        &["supervisor"],
        limits(100_000, 100_000, 100_000),
    )
}

/// Mo (`mgr-1`), a manager: offers up to USD 1,000.00, approves up to USD 5,000.00.
pub fn mo() -> Actor {
    person(
        "mgr-1",
        "Mo",
        &["manager"],
        limits(100_000, 100_000, 500_000),
    )
}

/// Max (`mgr-2`), a second manager with Mo's limits.
pub fn max() -> Actor {
    person(
        "mgr-2",
        "Max",
        &["manager"],
        limits(100_000, 100_000, 500_000),
    )
}

/// Olive (`ext-1`), someone with no role and no limits.
pub fn olive() -> Actor {
    person("ext-1", "Olive", &[], AuthorityLimits::none())
}

/// Lee (`agent-3`), an agent with no limits of her own who covers for Mo.
pub fn lee() -> Actor {
    person("agent-3", "Lee", &["agent"], AuthorityLimits::none())
}

/// Mo's out-of-office cover for Lee: from a day before [`t0`] to a day after.
pub fn mo_to_lee() -> Delegation {
    Delegation::builder()
        .from(mo())
        .to(lee().id)
        .starts(t0() - Duration::days(1))
        .ends(t0() + Duration::days(1))
        .build()
}

/// The authority `actor` acts with, as [`decide`](crate::decide) records it on a
/// grant, denial, offer or goodwill event: for expected events in tests.
pub fn evidence(actor: &Actor) -> Option<Box<Authority>> {
    Some(Box::new(Authority::of(actor)))
}

/// Everyone above.
pub fn cast() -> Vec<Actor> {
    vec![dana(), sam(), sue(), mo(), max(), olive(), lee()]
}

/// The standard playbook with the example airline approval policy.
pub fn airline_policy() -> Policy {
    Policy::builder()
        .approvals(ApprovalPolicy::example_airline())
        .build()
}

/// Amara Okafor (`cust-1`), the customer of the standard case.
pub fn amara() -> Customer {
    Customer::builder()
        .id("cust-1")
        .name("Amara Okafor")
        .address_as("Ms Okafor")
        .email("amara@example.com")
        .build()
}

/// Opens `case-1`: Amara Okafor's parcel sent to the wrong address, by e-mail, owned by
/// [`dana`], moderate.
pub fn open_case() -> Command {
    open_case_as("case-1")
}

/// The standard case under another identifier.
pub fn open_case_as(case: &str) -> Command {
    Command::from(
        OpenCase::builder()
            .case(case)
            .customer(amara())
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
    )
}

/// Thanks for the standard case.
pub fn thank() -> Command {
    Command::from(Thank {
        words: "Thank you for telling us, Ms Okafor.".into(),
    })
}

/// An apology for the standard case.
pub fn apologize() -> Command {
    Command::from(Apologize {
        words: "I am sorry we sent your parcel to the wrong address.".into(),
    })
}

/// The explanation for the standard case.
pub fn explain() -> Command {
    Command::from(Explain {
        words: "Two labels were swapped at our warehouse.".into(),
    })
}

/// Amara's goal.
pub fn goal() -> Command {
    Command::from(RecordGoal {
        goal: "have the parcel before her daughter's birthday on Saturday".into(),
        expected: Some("delivery within three days".into()),
    })
}

/// Final thanks for the standard case.
pub fn final_thanks() -> Command {
    Command::from(FinalThanks {
        words: "Thank you for your patience, Ms Okafor.".into(),
    })
}

/// Closing with the standard case's root cause.
pub fn close() -> Command {
    Command::from(Close {
        root_cause: RootCause::builder()
            .category("warehouse")
            .description("the label printer swapped two orders")
            .build(),
    })
}

/// The commands that take the standard case from intake to closing under the
/// standard playbook.
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

/// Opens `case-1` for Walter Grant (`cust-1`), refused a refund on a non-refundable
/// ticket while medically unable to fly: the seed case of the approval gate.
pub fn open_airline_case() -> Command {
    Command::from(
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
    )
}

/// The airline case opened, thanked, apologized to and its goal recorded: everything
/// an offer waits for.
pub fn airline_ready() -> Vec<Command> {
    vec![
        open_airline_case(),
        Command::from(Thank {
            words: "Thank you for calling, Mr Grant.".into(),
        }),
        Command::from(Apologize {
            words: "I am sorry you were refused.".into(),
        }),
        Command::from(RecordGoal {
            goal: "get the fare back".into(),
            expected: None,
        }),
    ]
}

/// A refund of `minor` US cents.
pub fn refund(minor: i64) -> ResolutionOption {
    ResolutionOption::builder()
        .kind(ResolutionKind::Refund)
        .amount(usd(minor))
        .description("a refund")
        .build()
}

/// USD 420.00 back on a non-refundable fare: under the airline policy, a supervisor's
/// approval, then a manager's waiver.
pub fn waiver_refund() -> ResolutionOption {
    ResolutionOption::builder()
        .kind(ResolutionKind::Refund)
        .amount(usd(42_000))
        .waives(vec!["non-refundable-fare".into()])
        .description("a full refund of your ticket, as a medical exception")
        .build()
}

/// An upgrade worth `minor` US cents.
pub fn upgrade(minor: i64) -> ResolutionOption {
    ResolutionOption::builder()
        .kind(ResolutionKind::Upgrade)
        .amount(usd(minor))
        .description("an upgrade")
        .build()
}

/// An option identifier.
pub fn o(id: &str) -> OptionId {
    OptionId::new(id)
}

/// Propose `resolution` as option `id`.
pub fn propose(id: &str, resolution: ResolutionOption) -> Command {
    Command::from(ProposeOption {
        option: o(id),
        resolution,
    })
}

/// Offer option `id`.
pub fn offer(id: &str) -> Command {
    Command::from(OfferOption { option: o(id) })
}

/// Request approval for option `id`.
pub fn request(id: &str) -> Command {
    Command::from(RequestApproval {
        option: o(id),
        note: Some("medical certificate on file".into()),
    })
}

/// Grant `level` of option `id`'s request, with no expiry.
pub fn grant(id: &str, level: u32) -> Command {
    Command::from(GrantApproval {
        option: o(id),
        level,
        expires: None,
        reason: "justified".into(),
        on_behalf_of: None,
    })
}

/// Grant `level` of option `id`'s request until `expires`.
pub fn grant_until(id: &str, level: u32, expires: DateTime<Utc>) -> Command {
    Command::from(GrantApproval {
        option: o(id),
        level,
        expires: Some(expires),
        reason: "justified".into(),
        on_behalf_of: None,
    })
}

/// Grant `level` of option `id`'s request on the authority of `delegation`.
pub fn grant_for(id: &str, level: u32, delegation: Delegation) -> Command {
    Command::from(GrantApproval {
        option: o(id),
        level,
        expires: None,
        reason: "covering for a colleague".into(),
        on_behalf_of: Some(delegation),
    })
}

/// Deny option `id`'s request.
pub fn deny(id: &str) -> Command {
    Command::from(DenyApproval {
        option: o(id),
        reason: "no medical evidence".into(),
        on_behalf_of: None,
    })
}

/// Withdraw option `id`'s request.
pub fn withdraw(id: &str) -> Command {
    Command::from(WithdrawApprovalRequest {
        option: o(id),
        reason: "customer changed their mind".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t0_is_the_documented_instant() {
        assert_eq!(t0().to_rfc3339(), "2026-03-02T14:00:00+00:00");
        assert_eq!(at(90).to_rfc3339(), "2026-03-02T15:30:00+00:00");
    }
}
