//! The approval module's texts, checks and totals, asserted as data so that a changed
//! sentence or a loosened comparison is a visible test change (issue 17).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, TimeZone, Utc};
use service_recovery::Actor;
use service_recovery::approval::{
    ApprovalRequirement, Authority, AuthorityLimits, AuthorityShortfall, CompensationLimits,
    Delegation, Ledger, LedgerEntry, LedgerEntryKind, LedgerTotals, LevelSource, PolicyRef,
    RequirementLevel, ResolutionKind, ResolutionOption, Role, RoleRanks, RuleId, Shortfall,
    can_grant,
};
use service_recovery::money::{Currency, Money, MoneyTotals};

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::USD)
}

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

fn ranks() -> RoleRanks {
    RoleRanks::new(vec!["agent".into(), "supervisor".into(), "manager".into()]).unwrap()
}

fn roles(names: &[&str]) -> BTreeSet<Role> {
    names.iter().map(Role::new).collect()
}

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap()
}

#[test]
fn a_ranking_places_and_compares_roles() {
    let ranks = ranks();
    assert_eq!(
        ranks.roles(),
        &roles_in_order(&["agent", "supervisor", "manager"])
    );
    for (role, rank) in [
        ("agent", Some(0)),
        ("supervisor", Some(1)),
        ("manager", Some(2)),
        ("auditor", None),
    ] {
        assert_eq!(ranks.rank_of(&Role::new(role)), rank, "{role}");
    }
    for (held, highest) in [
        (&["manager", "trainer"][..], Some("manager")),
        (&["agent", "supervisor"][..], Some("supervisor")),
        (&["supervisor", "agent"][..], Some("supervisor")),
        (&["agent"][..], Some("agent")),
        (&["trainer"][..], None),
        (&[][..], None),
    ] {
        assert_eq!(
            ranks.highest_held(&roles(held)),
            highest.map(Role::new).as_ref(),
            "{held:?}"
        );
    }
    for (held, required, satisfied) in [
        (&["agent"][..], "agent", true),
        (&["agent"][..], "supervisor", false),
        (&["supervisor"][..], "agent", true),
        (&["supervisor"][..], "supervisor", true),
        (&["supervisor"][..], "manager", false),
        (&["trainer", "manager"][..], "manager", true),
        (&["trainer"][..], "agent", false),
        (&["manager"][..], "trainer", false),
        (&[][..], "agent", false),
    ] {
        assert_eq!(
            ranks.satisfies(&roles(held), &Role::new(required)),
            satisfied,
            "{held:?} for {required}"
        );
    }
}

fn roles_in_order(names: &[&str]) -> Vec<Role> {
    names.iter().map(Role::new).collect()
}

#[test]
fn a_ranking_reads_and_writes_as_a_list_of_names() {
    let json = serde_json::to_string(&ranks()).unwrap();
    assert_eq!(json, r#"["agent","supervisor","manager"]"#);
    assert_eq!(serde_json::from_str::<RoleRanks>(&json).unwrap(), ranks());
    assert!(serde_json::from_str::<RoleRanks>(r#"["agent","agent"]"#).is_err());
    assert_eq!(
        Vec::<Role>::from(ranks()),
        roles_in_order(&["agent", "supervisor", "manager"])
    );
}

#[test]
fn limits_are_looked_up_per_currency_and_the_smallest_counts() {
    let limits = AuthorityLimits::builder()
        .offer_per_option(vec![usd(5_000), eur(2_000), usd(3_000)])
        .offer_per_case(vec![eur(9_000), usd(8_000)])
        .approve_up_to(vec![usd(50_000), eur(40_000), eur(45_000)])
        .build();
    assert_eq!(limits.offer_per_option_in(Currency::USD), Some(usd(3_000)));
    assert_eq!(limits.offer_per_option_in(Currency::EUR), Some(eur(2_000)));
    assert_eq!(limits.offer_per_option_in(Currency::GBP), None);
    assert_eq!(limits.offer_per_case_in(Currency::USD), Some(usd(8_000)));
    assert_eq!(limits.offer_per_case_in(Currency::EUR), Some(eur(9_000)));
    assert_eq!(limits.offer_per_case_in(Currency::JPY), None);
    assert_eq!(limits.approve_up_to_in(Currency::USD), Some(usd(50_000)));
    assert_eq!(limits.approve_up_to_in(Currency::EUR), Some(eur(40_000)));
    assert_eq!(limits.approve_up_to_in(Currency::GBP), None);
    // (option, case total after, may offer alone)
    for (option, total, alone) in [
        (usd(3_000), usd(8_000), true),
        (usd(0), usd(0), true),
        (usd(3_001), usd(3_001), false),
        (usd(1), usd(8_001), false),
        (usd(3_001), usd(8_001), false),
        (eur(2_000), eur(9_000), true),
        (eur(2_001), eur(2_001), false),
        (usd(1), eur(1), false),
        (eur(1), usd(1), false),
        (
            Money::new(1, Currency::GBP),
            Money::new(1, Currency::GBP),
            false,
        ),
    ] {
        assert_eq!(
            limits.may_offer_alone(&option, &total),
            alone,
            "{option} with {total}"
        );
    }
    for (amount, may) in [
        (usd(50_000), true),
        (usd(49_999), true),
        (usd(50_001), false),
        (eur(40_000), true),
        (eur(40_001), false),
        (Money::new(1, Currency::GBP), false),
    ] {
        assert_eq!(limits.may_approve(&amount), may, "{amount}");
    }
    let none = AuthorityLimits::none();
    assert_eq!(none, AuthorityLimits::default());
    assert!(!none.may_approve(&usd(0)));
    assert!(!none.may_offer_alone(&usd(0), &usd(0)));
}

#[test]
fn authority_copies_the_actors_roles_and_limits() {
    let limits = AuthorityLimits::builder()
        .approve_up_to(vec![usd(100_000)])
        .build();
    let sue = Actor::builder()
        .id("sup-1")
        .name("Sue")
        .roles(roles(&["supervisor", "trainer"]))
        .limits(limits.clone())
        .build();
    let authority = Authority::of(&sue);
    assert_eq!(authority.roles, roles(&["supervisor", "trainer"]));
    assert_eq!(authority.limits, limits);
}

#[test]
fn a_delegation_is_in_force_from_its_start_until_just_before_its_end() {
    let mo = Actor::builder().id("mgr-1").name("Mo").build();
    let cover = Delegation::builder()
        .from(mo)
        .to("sup-2")
        .starts(at(2, 9))
        .ends(at(4, 9))
        .build();
    for (when, in_force) in [
        (at(1, 9), false),
        (at(2, 8), false),
        (at(2, 9), true),
        (at(3, 12), true),
        (at(4, 8), true),
        (at(4, 9), false),
        (at(5, 9), false),
    ] {
        assert_eq!(cover.in_force_at(when), in_force, "{when}");
    }
}

fn entry(
    case: &str,
    customer: &str,
    day: u32,
    kind: LedgerEntryKind,
    amount: Money,
) -> LedgerEntry {
    LedgerEntry {
        case: case.into(),
        customer: customer.into(),
        at: at(day, 12),
        kind,
        option: None,
        amount,
    }
}

fn totals(
    offered: &[Money],
    accepted: &[Money],
    paid: &[Money],
    goodwill: &[Money],
) -> LedgerTotals {
    let sum = |amounts: &[Money]| {
        let mut totals = MoneyTotals::new();
        for amount in amounts {
            totals.add(*amount).unwrap();
        }
        totals
    };
    LedgerTotals {
        offered: sum(offered),
        accepted: sum(accepted),
        paid: sum(paid),
        goodwill: sum(goodwill),
    }
}

fn ledger() -> Ledger {
    use LedgerEntryKind::{Accepted, Goodwill, Offered, Paid};
    Ledger {
        entries: vec![
            entry("c-1", "k-1", 2, Offered, usd(10_000)),
            entry("c-1", "k-1", 2, Accepted, usd(7_000)),
            entry("c-1", "k-1", 3, Paid, usd(6_000)),
            entry("c-1", "k-1", 3, Goodwill, usd(1_000)),
            entry("c-2", "k-1", 5, Goodwill, usd(2_000)),
            entry("c-2", "k-1", 5, Offered, eur(500)),
            entry("c-3", "k-2", 5, Goodwill, usd(4_000)),
        ],
    }
}

#[test]
fn a_ledger_totals_each_kind_per_case_and_per_customer() {
    let ledger = ledger();
    assert!(!ledger.is_empty());
    assert!(Ledger::new().is_empty());
    assert_eq!(Ledger::new().totals(), Ok(LedgerTotals::default()));
    assert_eq!(
        ledger.totals(),
        Ok(totals(
            &[usd(10_000), eur(500)],
            &[usd(7_000)],
            &[usd(6_000)],
            &[usd(7_000)]
        ))
    );
    let by_case: BTreeMap<_, _> = [
        (
            "c-1".into(),
            totals(&[usd(10_000)], &[usd(7_000)], &[usd(6_000)], &[usd(1_000)]),
        ),
        ("c-2".into(), totals(&[eur(500)], &[], &[], &[usd(2_000)])),
        ("c-3".into(), totals(&[], &[], &[], &[usd(4_000)])),
    ]
    .into();
    assert_eq!(ledger.by_case(), Ok(by_case));
    let by_customer: BTreeMap<_, _> = [
        (
            "k-1".into(),
            totals(
                &[usd(10_000), eur(500)],
                &[usd(7_000)],
                &[usd(6_000)],
                &[usd(3_000)],
            ),
        ),
        ("k-2".into(), totals(&[], &[], &[], &[usd(4_000)])),
    ]
    .into();
    assert_eq!(ledger.by_customer(), Ok(by_customer));
    let overflowing = Ledger {
        entries: vec![
            entry("c-1", "k-1", 2, LedgerEntryKind::Paid, usd(i64::MAX)),
            entry("c-1", "k-1", 2, LedgerEntryKind::Paid, usd(1)),
        ],
    };
    assert!(overflowing.totals().is_err());
    assert!(overflowing.by_case().is_err());
    assert!(overflowing.by_customer().is_err());
}

#[test]
fn ledgers_extend_with_each_others_entries() {
    let mut ledger = Ledger::new();
    ledger.extend(Ledger::new());
    assert!(ledger.is_empty());
    ledger.extend(self::ledger());
    assert_eq!(ledger, self::ledger());
    ledger.extend(self::ledger());
    assert_eq!(ledger.entries.len(), 14);
}

#[test]
fn goodwill_counts_one_customers_gestures_in_the_window_except_one_case() {
    let ledger = ledger();
    let k1 = "k-1".into();
    let c1 = "c-1".into();
    let c2 = "c-2".into();
    let gw = |amounts: &[Money]| {
        let mut totals = MoneyTotals::new();
        for amount in amounts {
            totals.add(*amount).unwrap();
        }
        totals
    };
    // (since, until, except, goodwill): the window is (since, until].
    for (since, until, except, expected) in [
        (at(1, 0), at(9, 0), None, gw(&[usd(1_000), usd(2_000)])),
        (at(3, 12), at(9, 0), None, gw(&[usd(2_000)])),
        (at(3, 11), at(9, 0), None, gw(&[usd(1_000), usd(2_000)])),
        (at(1, 0), at(5, 12), None, gw(&[usd(1_000), usd(2_000)])),
        (at(1, 0), at(5, 11), None, gw(&[usd(1_000)])),
        (at(1, 0), at(9, 0), Some(&c1), gw(&[usd(2_000)])),
        (at(1, 0), at(9, 0), Some(&c2), gw(&[usd(1_000)])),
        (at(6, 0), at(9, 0), None, gw(&[])),
    ] {
        assert_eq!(
            ledger.goodwill_for(&k1, since, until, except),
            Ok(expected.clone()),
            "{since} to {until} except {except:?}"
        );
    }
    assert_eq!(
        ledger.goodwill_for(&"k-2".into(), at(1, 0), at(9, 0), None),
        Ok(gw(&[usd(4_000)]))
    );
}

#[test]
fn compensation_limits_default_to_a_year_and_count_the_smallest_limit() {
    let read: CompensationLimits = serde_json::from_str("{}").unwrap();
    assert_eq!(read.window_days, 365);
    assert_eq!(CompensationLimits::default().window_days, 365);
    assert_eq!(CompensationLimits::builder().build().window_days, 365);
    let limits = CompensationLimits::builder()
        .goodwill_per_customer(vec![usd(20_000), eur(5_000), usd(15_000)])
        .window_days(30)
        .build();
    assert_eq!(limits.goodwill_limit_in(Currency::USD), Some(usd(15_000)));
    assert_eq!(limits.goodwill_limit_in(Currency::EUR), Some(eur(5_000)));
    assert_eq!(limits.goodwill_limit_in(Currency::GBP), None);
    assert_eq!(limits.window_start(at(31, 12)), at(1, 12));
    assert_eq!(
        CompensationLimits::default().window_start(at(2, 0)),
        at(2, 0) - Duration::days(365)
    );
    let forever = CompensationLimits::builder().window_days(u32::MAX).build();
    assert_eq!(forever.window_start(at(2, 0)), DateTime::<Utc>::MIN_UTC);
}

fn level(
    role: &str,
    approvers: u32,
    amount: Option<Money>,
    waives: Option<&str>,
) -> RequirementLevel {
    RequirementLevel {
        role: role.into(),
        approvers,
        amount,
        waives: waives.map(PolicyRef::from),
        because: vec![LevelSource::OwnLimit],
    }
}

#[test]
fn levels_and_requirements_read_as_sentences() {
    for (source, text) in [
        (
            LevelSource::Rule(RuleId::new("big-refunds")),
            "rule `big-refunds`",
        ),
        (LevelSource::OwnLimit, "the offering person's own limit"),
        (LevelSource::UnlistedWaiver, "the rule for unlisted waivers"),
    ] {
        assert_eq!(source.to_string(), text);
    }
    for (level, text, waiver) in [
        (
            level("manager", 1, None, None),
            "approval from a manager",
            false,
        ),
        (
            level("agent", 1, Some(usd(5)), None),
            "approval from an agent",
            false,
        ),
        (
            level("supervisor", 2, None, None),
            "approval from 2 supervisors",
            false,
        ),
        (
            level("deputy", 3, None, None),
            "approval from 3 deputies",
            false,
        ),
        (
            level("manager", 1, None, Some("no-refund-after-30-days")),
            "a waiver of no-refund-after-30-days from a manager",
            true,
        ),
        (
            level("boss", 2, None, Some("late-fee")),
            "a waiver of late-fee from 2 bosses",
            true,
        ),
    ] {
        assert_eq!(level.to_string(), text);
        assert_eq!(level.is_waiver(), waiver, "{text}");
    }
    let one = level("supervisor", 1, None, None);
    let two = level("manager", 1, None, Some("late-fee"));
    let three = level("director", 2, None, None);
    for (levels, text) in [
        (vec![], "no approval"),
        (vec![one.clone()], "approval from a supervisor"),
        (
            vec![one.clone(), two.clone()],
            "approval from a supervisor, then a waiver of late-fee from a manager",
        ),
        (
            vec![one.clone(), two.clone(), three.clone()],
            "approval from a supervisor, then a waiver of late-fee from a manager, then approval from 2 directors",
        ),
    ] {
        let requirement = ApprovalRequirement { levels };
        assert_eq!(requirement.to_string(), text);
        assert_eq!(requirement.is_empty(), text == "no approval", "{text}");
    }
    assert!(ApprovalRequirement::none().is_empty());
    let requirement = ApprovalRequirement {
        levels: vec![one.clone(), two.clone(), three, two.clone()],
    };
    assert_eq!(
        requirement.waivers().cloned().collect::<Vec<_>>(),
        [two.clone(), two]
    );
    assert_eq!(
        ApprovalRequirement { levels: vec![one] }.waivers().count(),
        0
    );
}

#[test]
fn a_requirement_is_as_strict_as_another_when_each_level_is_covered() {
    let ranks = ranks();
    let strict = |stronger: RequirementLevel, weaker: RequirementLevel| {
        ApprovalRequirement {
            levels: vec![stronger],
        }
        .is_at_least_as_strict_as(
            &ApprovalRequirement {
                levels: vec![weaker],
            },
            &ranks,
        )
    };
    // (stronger, weaker, covers)
    for (stronger, weaker, covers) in [
        (
            level("manager", 1, Some(usd(100)), None),
            level("manager", 1, Some(usd(100)), None),
            true,
        ),
        (
            level("manager", 1, None, None),
            level("supervisor", 1, None, None),
            true,
        ),
        (
            level("supervisor", 1, None, None),
            level("manager", 1, None, None),
            false,
        ),
        (
            level("agent", 2, None, None),
            level("agent", 1, None, None),
            true,
        ),
        (
            level("agent", 1, None, None),
            level("agent", 2, None, None),
            false,
        ),
        (
            level("agent", 1, Some(usd(200)), None),
            level("agent", 1, Some(usd(100)), None),
            true,
        ),
        (
            level("agent", 1, Some(usd(100)), None),
            level("agent", 1, Some(usd(200)), None),
            false,
        ),
        (
            level("agent", 1, Some(eur(200)), None),
            level("agent", 1, Some(usd(100)), None),
            false,
        ),
        (
            level("agent", 1, None, None),
            level("agent", 1, Some(usd(100)), None),
            false,
        ),
        (
            level("agent", 1, Some(usd(100)), None),
            level("agent", 1, None, None),
            true,
        ),
        (
            level("agent", 1, None, Some("p")),
            level("agent", 1, None, None),
            false,
        ),
        (
            level("agent", 1, None, None),
            level("agent", 1, None, Some("p")),
            false,
        ),
        (
            level("agent", 1, None, Some("p")),
            level("agent", 1, None, Some("p")),
            true,
        ),
        (
            level("agent", 1, None, Some("p")),
            level("agent", 1, None, Some("q")),
            false,
        ),
        (
            level("auditor", 1, None, None),
            level("auditor", 1, None, None),
            true,
        ),
        (
            level("auditor", 1, None, None),
            level("agent", 1, None, None),
            false,
        ),
        (
            level("manager", 1, None, None),
            level("auditor", 1, None, None),
            false,
        ),
    ] {
        assert_eq!(
            strict(stronger.clone(), weaker.clone()),
            covers,
            "{stronger:?} over {weaker:?}"
        );
    }
    let none = ApprovalRequirement::none();
    let some = ApprovalRequirement {
        levels: vec![level("agent", 1, None, None)],
    };
    assert!(none.is_at_least_as_strict_as(&none, &ranks));
    assert!(some.is_at_least_as_strict_as(&none, &ranks));
    assert!(!none.is_at_least_as_strict_as(&some, &ranks));
}

#[test]
fn a_shortfall_says_what_the_approver_lacks() {
    let sam = |missing: Vec<Shortfall>| {
        AuthorityShortfall {
            approver: "Sam".into(),
            missing,
        }
        .to_string()
    };
    let role = Shortfall::Role {
        required: "manager".into(),
        highest_held: Some("supervisor".into()),
    };
    let no_role = Shortfall::Role {
        required: "manager".into(),
        highest_held: None,
    };
    let unranked = Shortfall::UnrankedRole {
        required: "auditor".into(),
    };
    let over = Shortfall::ApprovalLimit {
        amount: usd(60_000),
        limit: Some(usd(50_000)),
    };
    let nothing = Shortfall::ApprovalLimit {
        amount: eur(1_000),
        limit: None,
    };
    for (missing, text) in [
        (
            vec![role.clone()],
            "needs the role manager; Sam has supervisor",
        ),
        (
            vec![no_role],
            "needs the role manager; Sam has no ranked role",
        ),
        (
            vec![unranked],
            "the role auditor is not ranked by the policy, so nobody can grant this",
        ),
        (
            vec![over.clone()],
            "the amount USD 600.00 exceeds Sam's approval limit of USD 500.00",
        ),
        (
            vec![nothing.clone()],
            "the amount EUR 10.00 needs approval in EUR, and Sam may approve nothing in it",
        ),
        (
            vec![role, over, nothing],
            "needs the role manager; Sam has supervisor; the amount USD 600.00 exceeds Sam's approval limit of USD 500.00; the amount EUR 10.00 needs approval in EUR, and Sam may approve nothing in it",
        ),
        (vec![], ""),
    ] {
        assert_eq!(sam(missing), text);
    }
}

#[test]
fn can_grant_names_every_shortfall() {
    let ranks = ranks();
    let limits = AuthorityLimits::builder()
        .approve_up_to(vec![usd(50_000)])
        .build();
    let shortfall = |missing| {
        Err(AuthorityShortfall {
            approver: "Sam".into(),
            missing,
        })
    };
    // (level, roles held, outcome)
    for (level, held, outcome) in [
        (
            level("supervisor", 1, Some(usd(50_000)), None),
            &["supervisor"][..],
            Ok(()),
        ),
        (level("agent", 1, None, None), &["manager"][..], Ok(())),
        (
            level("supervisor", 1, Some(usd(999_999)), Some("p")),
            &["supervisor"][..],
            shortfall(vec![Shortfall::ApprovalLimit {
                amount: usd(999_999),
                limit: Some(usd(50_000)),
            }]),
        ),
        (
            level("manager", 1, None, None),
            &["supervisor", "trainer"][..],
            shortfall(vec![Shortfall::Role {
                required: "manager".into(),
                highest_held: Some("supervisor".into()),
            }]),
        ),
        (
            level("manager", 1, Some(eur(1)), None),
            &["trainer"][..],
            shortfall(vec![
                Shortfall::Role {
                    required: "manager".into(),
                    highest_held: None,
                },
                Shortfall::ApprovalLimit {
                    amount: eur(1),
                    limit: None,
                },
            ]),
        ),
        (
            level("auditor", 1, None, None),
            &["auditor", "manager"][..],
            shortfall(vec![Shortfall::UnrankedRole {
                required: "auditor".into(),
            }]),
        ),
    ] {
        assert_eq!(
            can_grant(&level, "Sam", &roles(held), &limits, &ranks),
            outcome,
            "{level} by {held:?}"
        );
    }
}

#[test]
fn resolution_options_read_as_sentences() {
    for (kind, text) in [
        (ResolutionKind::Refund, "refund"),
        (ResolutionKind::PartialRefund, "partial refund"),
        (ResolutionKind::Replacement, "replacement"),
        (ResolutionKind::AccountCredit, "account credit"),
        (ResolutionKind::FeeWaiver, "fee waiver"),
        (ResolutionKind::Upgrade, "upgrade"),
        (ResolutionKind::Goodwill, "goodwill gesture"),
        (ResolutionKind::Custom("lounge pass".into()), "lounge pass"),
    ] {
        assert_eq!(kind.to_string(), text);
    }
    let refund = ResolutionOption::builder()
        .kind(ResolutionKind::Refund)
        .build();
    assert_eq!(refund.to_string(), "refund");
    let partial = ResolutionOption::builder()
        .kind(ResolutionKind::PartialRefund)
        .amount(usd(4_250))
        .build();
    assert_eq!(partial.to_string(), "partial refund of USD 42.50");
    let waiver = ResolutionOption::builder()
        .kind(ResolutionKind::FeeWaiver)
        .waives(vec!["late-fee".into()])
        .build();
    assert_eq!(waiver.to_string(), "fee waiver (waiving late-fee)");
    let three = ResolutionOption::builder()
        .kind(ResolutionKind::Refund)
        .amount(eur(100))
        .waives(vec!["a".into(), "b".into(), "c".into()])
        .build();
    assert_eq!(three.to_string(), "refund of EUR 1.00 (waiving a, b, c)");
}
