//! Deciding an offer through the approval gate, beside a baseline measured in the same
//! run: deciding a note on the same case (the core's guard and bookkeeping without the
//! gate). The case has 10 options with 20 grants between them; the policy has 50 rules.

use chrono::{DateTime, Duration, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use service_recovery::approval::{
    AmountRule, ApprovalPolicy, ApprovalPolicyConfig, AuthorityLimits, KindRule, LevelSpec,
    ResolutionKind, ResolutionOption, Role, Threshold, WaiverRule,
};
use service_recovery::money::{Currency, Money};
use service_recovery::prelude::*;
use std::hint::black_box;

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::USD)
}

fn person(id: &str, role: &str, limits: AuthorityLimits) -> Actor {
    Actor::builder()
        .id(id)
        .name(id)
        .roles([Role::new(role)].into())
        .limits(limits)
        .build()
}

/// 20 kind rules, 10 amount rules (one per currency) and 20 waiver rules.
fn policy() -> Policy {
    let kind_rules = (0..20)
        .map(|i| {
            KindRule::builder()
                .id(format!("kind-{i}"))
                .kinds(vec![ResolutionKind::Custom(format!("kind-{i}"))])
                .requires(vec![LevelSpec::one("supervisor")])
                .build()
        })
        .collect();
    // One amount rule per currency, as a real policy has: an option meets one of them.
    let currencies = [
        "USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY", "SEK", "NOK", "DKK",
    ];
    let amount_rules = currencies
        .iter()
        .map(|code| {
            let currency = Currency::new(code).expect("a currency");
            AmountRule::builder()
                .id(format!("amount-{code}"))
                .currency(currency)
                .thresholds(vec![
                    Threshold::builder()
                        .above(Money::new(5_000, currency))
                        .requires(vec![LevelSpec::one("supervisor")])
                        .build(),
                    Threshold::builder()
                        .above(Money::new(50_000, currency))
                        .requires(vec![LevelSpec::one("manager")])
                        .build(),
                ])
                .build()
        })
        .collect();
    let waiver_rules = (0..20)
        .map(|i| {
            WaiverRule::builder()
                .id(format!("waiver-{i}"))
                .policy(format!("policy-{i}"))
                .requires(vec![LevelSpec::one("manager")])
                .build()
        })
        .collect();
    let config = ApprovalPolicyConfig::builder()
        .ranks(vec![
            "agent".into(),
            "supervisor".into(),
            "manager".into(),
            "director".into(),
        ])
        .kind_rules(kind_rules)
        .amount_rules(amount_rules)
        .waiver_rules(waiver_rules)
        .build();
    let approvals = ApprovalPolicy::new(config).expect("a valid policy");
    Policy::builder().approvals(approvals).build()
}

fn run(case: &mut Option<Case>, who: &Actor, at: DateTime<Utc>, command: Command, policy: &Policy) {
    for event in decide(case.as_ref(), &command, who, at, policy).expect("accepted") {
        *case = Some(evolve(case.take(), event).expect("applies"));
    }
}

fn setup() -> (Case, Policy, Actor, DateTime<Utc>) {
    let policy = policy();
    let agent = person(
        "dana",
        "agent",
        AuthorityLimits::builder()
            .offer_per_option(vec![usd(5_000)])
            .offer_per_case(vec![usd(10_000)])
            .build(),
    );
    let sup = person(
        "sue",
        "supervisor",
        AuthorityLimits::builder()
            .approve_up_to(vec![usd(100_000)])
            .build(),
    );
    let mgr = person(
        "mo",
        "manager",
        AuthorityLimits::builder()
            .approve_up_to(vec![usd(500_000)])
            .build(),
    );
    let t0 = Utc
        .with_ymd_and_hms(2026, 3, 2, 14, 0, 0)
        .single()
        .expect("a date");
    let mut case = None;
    let open = service_recovery::testing::open_airline_case();
    run(&mut case, &agent, t0, open, &policy);
    for command in [
        Command::Thank(Thank {
            words: "Thank you.".into(),
        }),
        Command::Apologize(Apologize {
            words: "I am sorry.".into(),
        }),
        Command::RecordGoal(RecordGoal {
            goal: "a refund".into(),
            expected: None,
        }),
    ] {
        run(&mut case, &agent, t0, command, &policy);
    }
    for i in 0..10 {
        let option = OptionId::new(format!("o{i}"));
        let resolution = ResolutionOption::builder()
            .kind(ResolutionKind::Refund)
            .amount(usd(20_000))
            .waives(vec![format!("policy-{i}").into()])
            .description("a refund")
            .build();
        let grant = |level| {
            Command::GrantApproval(GrantApproval {
                option: option.clone(),
                level,
                expires: Some(t0 + Duration::days(1)),
                reason: "fine".into(),
                on_behalf_of: None,
            })
        };
        run(
            &mut case,
            &agent,
            t0,
            Command::ProposeOption(ProposeOption {
                option: option.clone(),
                resolution,
            }),
            &policy,
        );
        run(
            &mut case,
            &agent,
            t0,
            Command::RequestApproval(RequestApproval {
                option: option.clone(),
                note: None,
            }),
            &policy,
        );
        run(&mut case, &sup, t0, grant(1), &policy);
        run(&mut case, &mgr, t0, grant(2), &policy);
    }
    (
        case.expect("opened"),
        policy,
        agent,
        t0 + Duration::minutes(5),
    )
}

fn bench(c: &mut Criterion) {
    let (case, policy, agent, now) = setup();
    let offer = Command::OfferOption(OfferOption {
        option: "o9".into(),
    });
    let note = Command::AddNote(AddNote {
        text: "called the customer back".into(),
    });
    assert!(decide(Some(&case), &offer, &agent, now, &policy).is_ok());
    let mut group = c.benchmark_group("approval");
    group.sample_size(20);
    group.measurement_time(std::time::Duration::from_secs(3));
    group.warm_up_time(std::time::Duration::from_secs(1));
    group.bench_function("baseline: decide a note on the same case", |b| {
        b.iter(|| {
            decide(
                black_box(Some(&case)),
                black_box(&note),
                &agent,
                now,
                &policy,
            )
        })
    });
    group.bench_function(
        "decide an offer through the gate (50 rules, 20 approvals)",
        |b| {
            b.iter(|| {
                decide(
                    black_box(Some(&case)),
                    black_box(&offer),
                    &agent,
                    now,
                    &policy,
                )
            })
        },
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
