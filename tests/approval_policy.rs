//! Approval policy: validation, composition, thresholds, waivers, authority checks.

use std::collections::BTreeSet;

use proptest::prelude::*;
use service_recovery::approval::{
    AmountRule, ApprovalPolicy, ApprovalPolicyConfig, ApprovalRequirement, AuthorityLimits,
    AuthorityShortfall, ConfigPlace, KindRule, LevelSource, LevelSpec, PolicyError, PolicyRef,
    RequirementLevel, ResolutionKind, ResolutionOption, Role, RoleRanks, RuleId, Shortfall,
    Threshold, WaiverRule, can_grant,
};
use service_recovery::money::{Currency, Money, MoneyError, MoneyTotals};

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::USD)
}

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

fn roles(names: &[&str]) -> BTreeSet<Role> {
    names.iter().map(|n| Role::new(*n)).collect()
}

/// An agent who may offer up to 50.00 per option and 100.00 per case, in USD and EUR.
fn agent() -> AuthorityLimits {
    AuthorityLimits::builder()
        .offer_per_option(vec![usd(5_000), eur(5_000)])
        .offer_per_case(vec![usd(10_000), eur(10_000)])
        .build()
}

fn option(kind: ResolutionKind, amount: Option<Money>, waives: &[&str]) -> ResolutionOption {
    ResolutionOption {
        kind,
        amount,
        waives: waives.iter().map(|w| PolicyRef::new(*w)).collect(),
        description: String::new(),
    }
}

fn refund(amount: Money) -> ResolutionOption {
    option(ResolutionKind::Refund, Some(amount), &[])
}

fn level(
    role: &str,
    approvers: u32,
    amount: Option<Money>,
    because: LevelSource,
) -> RequirementLevel {
    RequirementLevel {
        role: role.into(),
        approvers,
        amount,
        waives: None,
        because: vec![because],
    }
}

fn waiver(role: &str, policy: &str, because: LevelSource) -> RequirementLevel {
    RequirementLevel {
        role: role.into(),
        approvers: 1,
        amount: None,
        waives: Some(policy.into()),
        because: vec![because],
    }
}

fn rule(id: &str) -> LevelSource {
    LevelSource::Rule(id.into())
}

fn required(
    policy: &ApprovalPolicy,
    option: &ResolutionOption,
    limits: &AuthorityLimits,
) -> ApprovalRequirement {
    match policy.requirement_for(option, limits, &MoneyTotals::new()) {
        Ok(requirement) => requirement,
        Err(error) => panic!("unexpected money error: {error}"),
    }
}

fn base_config() -> ApprovalPolicyConfig {
    ApprovalPolicyConfig::builder()
        .ranks(vec!["agent".into(), "supervisor".into(), "manager".into()])
        .build()
}

fn threshold(above: Money, requires: Vec<LevelSpec>) -> Threshold {
    Threshold::builder().above(above).requires(requires).build()
}

// ---------------------------------------------------------------- validation

#[test]
fn the_example_policy_is_valid_and_round_trips_through_json() -> Result<(), serde_json::Error> {
    let example = ApprovalPolicy::example_airline();
    assert_eq!(
        ApprovalPolicy::new(example.config().clone()),
        Ok(example.clone())
    );
    let json = serde_json::to_string(&example)?;
    assert_eq!(serde_json::from_str::<ApprovalPolicy>(&json)?, example);
    assert_eq!(example.over_own_limit(), &[LevelSpec::one("supervisor")]);
    assert_eq!(example.unlisted_waiver(), &[LevelSpec::one("director")]);
    Ok(())
}

#[test]
fn the_documented_json_matches_the_example() -> Result<(), serde_json::Error> {
    let tiers = |c: &str| {
        serde_json::json!([
            {"above": {"minor": 5000, "currency": c}, "requires": [{"role": "supervisor"}]},
            {"above": {"minor": 50000, "currency": c}, "requires": [{"role": "manager"}]},
            {"above": {"minor": 200000, "currency": c}, "requires": [{"role": "manager", "approvers": 2}]},
        ])
    };
    let json = serde_json::json!({
        "ranks": ["agent", "supervisor", "manager", "director"],
        "kind_rules": [
            {"id": "upgrades", "kinds": ["upgrade"], "requires": [{"role": "supervisor"}]}
        ],
        "amount_rules": [
            {"id": "usd-amounts", "currency": "USD", "thresholds": tiers("USD")},
            {"id": "eur-amounts", "currency": "EUR", "thresholds": tiers("EUR")}
        ],
        "waiver_rules": [
            {"id": "non-refundable-fare", "policy": "non-refundable-fare", "requires": [{"role": "manager"}]},
            {"id": "30-day-return-window", "policy": "30-day-return-window", "requires": [{"role": "supervisor"}]}
        ]
    });
    assert_eq!(
        serde_json::from_value::<ApprovalPolicy>(json)?,
        ApprovalPolicy::example_airline()
    );
    Ok(())
}

#[test]
fn deserializing_an_invalid_policy_fails_with_the_validation_message() {
    let json = r#"{"ranks": ["agent"], "kind_rules": [
        {"id": "u", "kinds": ["upgrade"], "requires": [{"role": "manager"}]}]}"#;
    let error = serde_json::from_str::<ApprovalPolicy>(json).map(|_| ());
    let message = error.map_err(|e| e.to_string());
    assert_eq!(
        message,
        Err("rule `u` names the role manager, which is not among the ranked roles".into())
    );
}

#[test]
fn validation_errors_are_typed_and_plain() {
    let kind_rule = |id: &str, requires: Vec<LevelSpec>| {
        KindRule::builder()
            .id(id)
            .kinds(vec![ResolutionKind::Upgrade])
            .requires(requires)
            .build()
    };
    let amount_rule = |thresholds: Vec<Threshold>| {
        AmountRule::builder()
            .id("usd")
            .currency(Currency::USD)
            .thresholds(thresholds)
            .build()
    };
    let cases: Vec<(ApprovalPolicyConfig, PolicyError, &str)> = vec![
        (
            ApprovalPolicyConfig::builder().ranks(vec![]).build(),
            PolicyError::EmptyRanks,
            "the policy ranks no roles: list them lowest first, such as agent, supervisor, manager",
        ),
        (
            ApprovalPolicyConfig::builder()
                .ranks(vec!["agent".into(), "agent".into()])
                .build(),
            PolicyError::DuplicateRank {
                role: "agent".into(),
            },
            "the role agent is ranked twice",
        ),
        (
            ApprovalPolicyConfig {
                kind_rules: vec![kind_rule("x", vec![LevelSpec::one("supervisor")])],
                waiver_rules: vec![
                    WaiverRule::builder()
                        .id("x")
                        .policy("p")
                        .requires(vec![LevelSpec::one("manager")])
                        .build(),
                ],
                ..base_config()
            },
            PolicyError::DuplicateRuleId { id: "x".into() },
            "two rules have the id `x`; each rule needs its own",
        ),
        (
            ApprovalPolicyConfig {
                kind_rules: vec![kind_rule("u", vec![LevelSpec::one("director")])],
                ..base_config()
            },
            PolicyError::UnknownRole {
                place: ConfigPlace::Rule("u".into()),
                role: "director".into(),
            },
            "rule `u` names the role director, which is not among the ranked roles",
        ),
        (
            ApprovalPolicyConfig {
                kind_rules: vec![kind_rule("u", vec![LevelSpec::of(0, "manager")])],
                ..base_config()
            },
            PolicyError::ZeroApprovers {
                place: ConfigPlace::Rule("u".into()),
                role: "manager".into(),
            },
            "rule `u` asks for zero approvers from the role manager; ask for at least one",
        ),
        (
            ApprovalPolicyConfig {
                kind_rules: vec![kind_rule("u", vec![])],
                ..base_config()
            },
            PolicyError::NoLevels {
                place: ConfigPlace::Rule("u".into()),
            },
            "rule `u` requires nobody's approval; list at least one role",
        ),
        (
            ApprovalPolicyConfig {
                kind_rules: vec![
                    KindRule::builder()
                        .id("u")
                        .kinds(vec![])
                        .requires(vec![LevelSpec::one("manager")])
                        .build(),
                ],
                ..base_config()
            },
            PolicyError::NoKinds { rule: "u".into() },
            "rule `u` applies to no kind of resolution; list at least one",
        ),
        (
            ApprovalPolicyConfig {
                amount_rules: vec![amount_rule(vec![])],
                ..base_config()
            },
            PolicyError::NoThresholds { rule: "usd".into() },
            "rule `usd` has no thresholds; list at least one",
        ),
        (
            ApprovalPolicyConfig {
                amount_rules: vec![amount_rule(vec![threshold(
                    eur(5_000),
                    vec![LevelSpec::one("supervisor")],
                )])],
                ..base_config()
            },
            PolicyError::ThresholdCurrency {
                rule: "usd".into(),
                expected: Currency::USD,
                found: Currency::EUR,
            },
            "rule `usd` is for USD but has a threshold in EUR",
        ),
        (
            ApprovalPolicyConfig {
                amount_rules: vec![amount_rule(vec![threshold(
                    usd(-1),
                    vec![LevelSpec::one("supervisor")],
                )])],
                ..base_config()
            },
            PolicyError::NegativeThreshold {
                rule: "usd".into(),
                above: usd(-1),
            },
            "rule `usd` has a threshold below zero (USD -0.01); thresholds start at zero",
        ),
        (
            ApprovalPolicyConfig {
                amount_rules: vec![amount_rule(vec![
                    threshold(usd(50_000), vec![LevelSpec::one("supervisor")]),
                    threshold(usd(50_000), vec![LevelSpec::one("manager")]),
                ])],
                ..base_config()
            },
            PolicyError::ThresholdsNotIncreasing {
                rule: "usd".into(),
                previous: usd(50_000),
                next: usd(50_000),
            },
            "the thresholds of rule `usd` do not increase: USD 500.00 follows USD 500.00",
        ),
        (
            ApprovalPolicyConfig {
                amount_rules: vec![amount_rule(vec![
                    threshold(usd(5_000), vec![LevelSpec::of(2, "supervisor")]),
                    threshold(usd(50_000), vec![LevelSpec::one("manager")]),
                ])],
                ..base_config()
            },
            PolicyError::WeakerThreshold {
                rule: "usd".into(),
                above: usd(50_000),
            },
            "in rule `usd`, amounts above USD 500.00 would need less approval than smaller \
             amounts; each threshold must ask at least as much as the one below it",
        ),
        (
            ApprovalPolicyConfig {
                over_own_limit: Some(vec![]),
                ..base_config()
            },
            PolicyError::NoLevels {
                place: ConfigPlace::OverOwnLimit,
            },
            "the over_own_limit setting requires nobody's approval; list at least one role",
        ),
        (
            ApprovalPolicyConfig {
                unlisted_waiver: Some(vec![LevelSpec::one("ceo")]),
                ..base_config()
            },
            PolicyError::UnknownRole {
                place: ConfigPlace::UnlistedWaiver,
                role: "ceo".into(),
            },
            "the unlisted_waiver setting names the role ceo, which is not among the ranked roles",
        ),
    ];
    for (config, error, message) in cases {
        assert_eq!(ApprovalPolicy::new(config), Err(error.clone()));
        assert_eq!(error.to_string(), message);
    }
}

#[test]
fn a_higher_threshold_may_ask_for_more_levels() {
    let config = ApprovalPolicyConfig {
        amount_rules: vec![
            AmountRule::builder()
                .id("usd")
                .currency(Currency::USD)
                .thresholds(vec![
                    threshold(usd(5_000), vec![LevelSpec::one("supervisor")]),
                    threshold(
                        usd(50_000),
                        vec![LevelSpec::one("supervisor"), LevelSpec::one("manager")],
                    ),
                ])
                .build(),
        ],
        ..base_config()
    };
    assert!(ApprovalPolicy::new(config).is_ok());
}

// ---------------------------------------------------------------- thresholds

#[test]
fn threshold_boundaries_are_exclusive() {
    let policy = ApprovalPolicy::example_airline();
    let amounts = rule("usd-amounts");
    let cases = [
        (5_000, vec![]),
        (
            5_001,
            vec![level("supervisor", 1, Some(usd(5_001)), amounts.clone())],
        ),
        (
            50_000,
            vec![level("supervisor", 1, Some(usd(50_000)), amounts.clone())],
        ),
        (
            50_001,
            vec![level("manager", 1, Some(usd(50_001)), amounts.clone())],
        ),
        (
            200_000,
            vec![level("manager", 1, Some(usd(200_000)), amounts.clone())],
        ),
        (
            200_001,
            vec![level("manager", 2, Some(usd(200_001)), amounts.clone())],
        ),
    ];
    for (minor, levels) in cases {
        let requirement = required(&policy, &refund(usd(minor)), &agent());
        assert_eq!(requirement.levels, levels, "for {}", usd(minor));
    }
}

#[test]
fn requirements_read_as_plain_words() {
    let policy = ApprovalPolicy::example_airline();
    let words = |o: &ResolutionOption| required(&policy, o, &agent()).to_string();
    assert_eq!(words(&refund(usd(100))), "no approval");
    assert_eq!(words(&refund(usd(200_001))), "approval from 2 managers");
    assert_eq!(
        words(&option(
            ResolutionKind::Refund,
            Some(usd(100)),
            &["non-refundable-fare"]
        )),
        "a waiver of non-refundable-fare from a manager"
    );
    assert_eq!(
        words(&option(
            ResolutionKind::Upgrade,
            None,
            &["lounge-access-rules"]
        )),
        "approval from a supervisor, then a waiver of lounge-access-rules from a director"
    );
}

#[test]
fn eur_has_its_own_thresholds_and_other_currencies_need_the_own_limit_level() {
    let policy = ApprovalPolicy::example_airline();
    assert_eq!(
        required(&policy, &refund(eur(50_001)), &agent()).levels,
        vec![level("manager", 1, Some(eur(50_001)), rule("eur-amounts"))]
    );
    // No GBP rule and no GBP limit: anything in GBP is beyond the agent's authority.
    let gbp = Money::new(100, Currency::GBP);
    assert_eq!(
        required(&policy, &refund(gbp), &agent()).levels,
        vec![level("supervisor", 1, Some(gbp), LevelSource::OwnLimit)]
    );
}

// ---------------------------------------------------------------- own limits

#[test]
fn within_own_limits_needs_nothing_and_beyond_them_needs_the_floor() {
    let policy = ApprovalPolicy::example_airline();
    let small = AuthorityLimits::builder()
        .offer_per_option(vec![usd(2_000)])
        .offer_per_case(vec![usd(10_000)])
        .build();
    assert!(required(&policy, &refund(usd(2_000)), &small).is_empty());
    // Below every threshold, but beyond this agent's own per-option limit.
    assert_eq!(
        required(&policy, &refund(usd(3_000)), &small).levels,
        vec![level(
            "supervisor",
            1,
            Some(usd(3_000)),
            LevelSource::OwnLimit
        )]
    );
    // Nobody with no limits may offer money alone.
    assert_eq!(
        required(&policy, &refund(usd(1)), &AuthorityLimits::none()).levels,
        vec![level("supervisor", 1, Some(usd(1)), LevelSource::OwnLimit)]
    );
}

#[test]
fn a_generous_own_limit_stands_in_for_the_thresholds() {
    let policy = ApprovalPolicy::example_airline();
    let senior = AuthorityLimits::builder()
        .offer_per_option(vec![usd(100_000)])
        .offer_per_case(vec![usd(300_000)])
        .build();
    assert!(required(&policy, &refund(usd(100_000)), &senior).is_empty());
    assert_eq!(
        required(&policy, &refund(usd(100_001)), &senior).levels,
        vec![level("manager", 1, Some(usd(100_001)), rule("usd-amounts"))]
    );
}

#[test]
fn the_case_total_counts_toward_the_own_limit() -> Result<(), MoneyError> {
    let policy = ApprovalPolicy::example_airline();
    let mut offered = MoneyTotals::new();
    offered.add(usd(6_000))?;
    offered.add(eur(9_000))?;
    // 60.00 + 40.00 = 100.00: exactly the per-case limit.
    assert!(
        policy
            .requirement_for(&refund(usd(4_000)), &agent(), &offered)?
            .is_empty()
    );
    // 60.00 + 40.01 is over it.
    assert_eq!(
        policy
            .requirement_for(&refund(usd(4_001)), &agent(), &offered)?
            .levels,
        vec![level(
            "supervisor",
            1,
            Some(usd(4_001)),
            LevelSource::OwnLimit
        )]
    );
    // Totals are per currency: EUR 90.00 offered does not touch USD.
    assert!(
        policy
            .requirement_for(&refund(eur(1_000)), &agent(), &offered)?
            .is_empty()
    );
    assert!(
        !policy
            .requirement_for(&refund(eur(1_001)), &agent(), &offered)?
            .is_empty()
    );
    Ok(())
}

#[test]
fn an_overflowing_case_total_is_a_money_error() -> Result<(), MoneyError> {
    let policy = ApprovalPolicy::example_airline();
    let mut offered = MoneyTotals::new();
    offered.add(usd(i64::MAX))?;
    assert!(matches!(
        policy.requirement_for(&refund(usd(1)), &agent(), &offered),
        Err(MoneyError::Overflow { .. })
    ));
    Ok(())
}

#[test]
fn the_own_limit_floor_is_configurable_and_added_only_when_not_covered() -> Result<(), PolicyError>
{
    let policy = ApprovalPolicy::new(ApprovalPolicyConfig {
        amount_rules: vec![
            AmountRule::builder()
                .id("usd")
                .currency(Currency::USD)
                .thresholds(vec![threshold(usd(50_000), vec![LevelSpec::one("agent")])])
                .build(),
        ],
        over_own_limit: Some(vec![LevelSpec::of(2, "supervisor")]),
        ..base_config()
    })?;
    assert_eq!(
        required(&policy, &refund(usd(6_000)), &agent()).levels,
        vec![level(
            "supervisor",
            2,
            Some(usd(6_000)),
            LevelSource::OwnLimit
        )]
    );
    // An agent's approval does not cover "2 supervisors", so the floor stays.
    assert_eq!(
        required(&policy, &refund(usd(60_000)), &agent()).levels,
        vec![
            level("agent", 1, Some(usd(60_000)), rule("usd")),
            level("supervisor", 2, Some(usd(60_000)), LevelSource::OwnLimit),
        ]
    );
    Ok(())
}

/// More than 64 floor levels: the first 64 are checked against a bit set filled while
/// the rules' levels are visited, the rest by visiting the rules again. Both paths must
/// agree, and neither may overflow the bit set.
#[test]
fn a_floor_longer_than_sixty_four_levels_is_added_only_where_no_rule_covers_it()
-> Result<(), PolicyError> {
    let policy_where_rule_needs = |supervisors: u32| {
        ApprovalPolicy::new(ApprovalPolicyConfig {
            amount_rules: vec![
                AmountRule::builder()
                    .id("usd")
                    .currency(Currency::USD)
                    .thresholds(vec![threshold(
                        usd(1_000),
                        vec![LevelSpec::of(supervisors, "supervisor")],
                    )])
                    .build(),
            ],
            // "n supervisors" for n = 1..=70: no floor level covers a later one.
            over_own_limit: Some((1..=70).map(|n| LevelSpec::of(n, "supervisor")).collect()),
            ..base_config()
        })
    };
    // The rule's 70 supervisors cover every floor level, those past 64 included.
    let covering = policy_where_rule_needs(70)?;
    assert_eq!(
        required(&covering, &refund(usd(6_000)), &agent()).levels,
        vec![level("supervisor", 70, Some(usd(6_000)), rule("usd"))]
    );
    // 66 supervisors cover floor levels 1..=66 (indexes 0..=65, both sides of 64); the
    // floor adds 67..=70, and the strictest level keeps both reasons.
    let partial = policy_where_rule_needs(66)?;
    let mut both = level("supervisor", 70, Some(usd(6_000)), rule("usd"));
    both.because.push(LevelSource::OwnLimit);
    assert_eq!(
        required(&partial, &refund(usd(6_000)), &agent()).levels,
        vec![both]
    );
    // Below the rule's threshold only the floor applies.
    assert_eq!(
        required(&partial, &refund(usd(900)), &AuthorityLimits::none()).levels,
        vec![level(
            "supervisor",
            70,
            Some(usd(900)),
            LevelSource::OwnLimit
        )]
    );
    Ok(())
}

// ---------------------------------------------------------------- composition

#[test]
fn rules_compose_and_the_strictest_wins() -> Result<(), PolicyError> {
    let policy = ApprovalPolicy::new(ApprovalPolicyConfig {
        ranks: vec![
            "agent".into(),
            "supervisor".into(),
            "manager".into(),
            "director".into(),
        ],
        kind_rules: vec![
            KindRule::builder()
                .id("upgrades")
                .kinds(vec![ResolutionKind::Upgrade])
                .requires(vec![LevelSpec::one("supervisor")])
                .build(),
            KindRule::builder()
                .id("big-upgrades")
                .kinds(vec![ResolutionKind::Upgrade, ResolutionKind::Goodwill])
                .requires(vec![LevelSpec::of(2, "supervisor")])
                .build(),
        ],
        amount_rules: ApprovalPolicy::example_airline()
            .config()
            .amount_rules
            .clone(),
        waiver_rules: vec![
            WaiverRule::builder()
                .id("fare-a")
                .policy("non-refundable-fare")
                .requires(vec![LevelSpec::one("manager")])
                .build(),
            WaiverRule::builder()
                .id("fare-b")
                .policy("non-refundable-fare")
                .requires(vec![LevelSpec::of(2, "manager")])
                .build(),
        ],
        over_own_limit: None,
        unlisted_waiver: None,
    })?;
    let upgrade = option(
        ResolutionKind::Upgrade,
        Some(usd(60_000)),
        &["non-refundable-fare", "no-upgrades-on-sale"],
    );
    let requirement = required(&policy, &upgrade, &agent());
    let amount = Some(usd(60_000));
    assert_eq!(
        requirement.levels,
        vec![
            RequirementLevel {
                role: "supervisor".into(),
                approvers: 2,
                amount,
                waives: None,
                because: vec![rule("upgrades"), rule("big-upgrades")],
            },
            level("manager", 1, amount, rule("usd-amounts")),
            RequirementLevel {
                role: "manager".into(),
                approvers: 2,
                amount: None,
                waives: Some("non-refundable-fare".into()),
                because: vec![rule("fare-a"), rule("fare-b")],
            },
            waiver(
                "director",
                "no-upgrades-on-sale",
                LevelSource::UnlistedWaiver
            ),
        ]
    );
    assert_eq!(
        requirement.to_string(),
        "approval from 2 supervisors, then approval from a manager, \
         then a waiver of non-refundable-fare from 2 managers, \
         then a waiver of no-upgrades-on-sale from a director"
    );
    assert_eq!(requirement.waivers().count(), 2);
    Ok(())
}

#[test]
fn kind_rules_apply_whatever_the_amount() {
    let policy = ApprovalPolicy::example_airline();
    assert_eq!(
        required(
            &policy,
            &option(ResolutionKind::Upgrade, None, &[]),
            &agent()
        )
        .levels,
        vec![level("supervisor", 1, None, rule("upgrades"))]
    );
    assert_eq!(
        required(
            &policy,
            &option(ResolutionKind::Upgrade, Some(usd(100)), &[]),
            &agent()
        )
        .levels,
        vec![level("supervisor", 1, Some(usd(100)), rule("upgrades"))]
    );
    // Beyond the own limit, the kind rule's supervisor already covers the floor.
    assert_eq!(
        required(
            &policy,
            &option(ResolutionKind::Upgrade, Some(usd(6_000)), &[]),
            &agent()
        )
        .levels,
        vec![RequirementLevel {
            role: "supervisor".into(),
            approvers: 1,
            amount: Some(usd(6_000)),
            waives: None,
            because: vec![rule("upgrades"), rule("usd-amounts")],
        }]
    );
    assert!(
        required(
            &policy,
            &option(ResolutionKind::Replacement, None, &[]),
            &agent()
        )
        .is_empty()
    );
}

#[test]
fn waivers_always_need_their_level_and_come_after_approvals_of_the_same_rank() {
    let policy = ApprovalPolicy::example_airline();
    assert_eq!(
        required(
            &policy,
            &option(
                ResolutionKind::Refund,
                Some(usd(1)),
                &["30-day-return-window"]
            ),
            &agent()
        )
        .levels,
        vec![waiver(
            "supervisor",
            "30-day-return-window",
            rule("30-day-return-window")
        )]
    );
    assert_eq!(
        required(
            &policy,
            &option(
                ResolutionKind::Refund,
                Some(usd(60_000)),
                &["non-refundable-fare"]
            ),
            &agent()
        )
        .levels,
        vec![
            level("manager", 1, Some(usd(60_000)), rule("usd-amounts")),
            waiver(
                "manager",
                "non-refundable-fare",
                rule("non-refundable-fare")
            ),
        ]
    );
}

// ---------------------------------------------------------------- authority

fn manager_level(amount: Option<Money>) -> RequirementLevel {
    level("manager", 1, amount, rule("usd-amounts"))
}

#[test]
fn can_grant_checks_rank_and_approval_limit() {
    let ranks = ApprovalPolicy::example_airline().ranks().clone();
    let limits_1000 = AuthorityLimits::builder()
        .approve_up_to(vec![usd(100_000)])
        .build();
    let grant = |level: &RequirementLevel, held: &[&str], limits: &AuthorityLimits| {
        can_grant(level, "Sam", &roles(held), limits, &ranks)
    };
    assert_eq!(
        grant(
            &manager_level(Some(usd(100_000))),
            &["manager"],
            &limits_1000
        ),
        Ok(())
    );
    // A higher rank satisfies a lower requirement.
    assert_eq!(
        grant(&manager_level(Some(usd(100))), &["director"], &limits_1000),
        Ok(())
    );
    // Unranked roles count for nothing, ranked ones still do.
    assert_eq!(
        grant(
            &manager_level(None),
            &["auditor", "manager"],
            &AuthorityLimits::none()
        ),
        Ok(())
    );

    let short = grant(
        &manager_level(Some(usd(100))),
        &["supervisor", "auditor"],
        &limits_1000,
    );
    assert_eq!(
        short,
        Err(AuthorityShortfall {
            approver: "Sam".into(),
            missing: vec![Shortfall::Role {
                required: "manager".into(),
                highest_held: Some("supervisor".into()),
            }],
        })
    );
    assert_eq!(
        short.map_err(|s| s.to_string()),
        Err("needs the role manager; Sam has supervisor".into())
    );

    let over = grant(
        &manager_level(Some(usd(240_000))),
        &["manager"],
        &limits_1000,
    );
    assert_eq!(
        over.map_err(|s| s.to_string()),
        Err("the amount USD 2,400.00 exceeds Sam's approval limit of USD 1,000.00".into())
    );

    let both = grant(&manager_level(Some(eur(100))), &["auditor"], &limits_1000);
    assert_eq!(
        both.map_err(|s| s.to_string()),
        Err(
            "needs the role manager; Sam has no ranked role; the amount EUR 1.00 needs \
             approval in EUR, and Sam may approve nothing in it"
                .into()
        )
    );

    // Waivers are granted by role alone.
    let fare_waiver = waiver(
        "manager",
        "non-refundable-fare",
        rule("non-refundable-fare"),
    );
    assert_eq!(
        grant(&fare_waiver, &["manager"], &AuthorityLimits::none()),
        Ok(())
    );

    let unranked = level("ceo", 1, None, rule("x"));
    assert_eq!(
        grant(&unranked, &["director"], &limits_1000).map_err(|s| s.to_string()),
        Err("the role ceo is not ranked by the policy, so nobody can grant this".into())
    );
}

#[test]
fn every_level_of_a_computed_requirement_can_be_granted_by_someone_qualified() {
    let policy = ApprovalPolicy::example_airline();
    let requirement = required(
        &policy,
        &option(
            ResolutionKind::Upgrade,
            Some(usd(250_000)),
            &["non-refundable-fare"],
        ),
        &agent(),
    );
    assert_eq!(requirement.levels.len(), 3);
    let director = AuthorityLimits::builder()
        .approve_up_to(vec![usd(1_000_000)])
        .build();
    for level in &requirement.levels {
        assert_eq!(
            policy.can_grant(level, "Dee", &roles(&["director"]), &director),
            Ok(())
        );
        assert!(
            policy
                .can_grant(level, "Al", &roles(&["agent"]), &director)
                .is_err()
        );
    }
}

// ---------------------------------------------------------------- strictness order

#[test]
fn strictness_compares_rank_count_amount_and_waiver() -> Result<(), PolicyError> {
    let ranks = RoleRanks::new(vec!["agent".into(), "supervisor".into(), "manager".into()])?;
    let req = |levels: Vec<RequirementLevel>| ApprovalRequirement { levels };
    let sup = req(vec![level("supervisor", 1, Some(usd(100)), rule("r"))]);
    let mgr = req(vec![level("manager", 1, Some(usd(100)), rule("r"))]);
    let two_sup = req(vec![level("supervisor", 2, Some(usd(100)), rule("r"))]);
    let sup_more = req(vec![level("supervisor", 1, Some(usd(200)), rule("r"))]);
    let sup_waiver = req(vec![waiver("supervisor", "p", rule("r"))]);
    assert!(mgr.is_at_least_as_strict_as(&sup, &ranks));
    assert!(!sup.is_at_least_as_strict_as(&mgr, &ranks));
    assert!(!mgr.is_at_least_as_strict_as(&two_sup, &ranks));
    assert!(sup_more.is_at_least_as_strict_as(&sup, &ranks));
    assert!(!sup.is_at_least_as_strict_as(&sup_more, &ranks));
    assert!(!mgr.is_at_least_as_strict_as(&sup_waiver, &ranks));
    assert!(sup.is_at_least_as_strict_as(&ApprovalRequirement::none(), &ranks));
    assert!(!ApprovalRequirement::none().is_at_least_as_strict_as(&sup, &ranks));
    Ok(())
}

// ---------------------------------------------------------------- serde and traits

#[test]
fn requirements_and_shortfalls_serialize_with_documented_names() -> Result<(), serde_json::Error> {
    let requirement = required(
        &ApprovalPolicy::example_airline(),
        &option(ResolutionKind::Refund, Some(usd(6_000)), &["unheard-of"]),
        &agent(),
    );
    let json = serde_json::to_value(&requirement)?;
    assert_eq!(
        json,
        serde_json::json!({"levels": [
            {"role": "supervisor", "approvers": 1, "amount": {"minor": 6000, "currency": "USD"},
             "waives": null, "because": [{"rule": "usd-amounts"}]},
            {"role": "director", "approvers": 1, "amount": null,
             "waives": "unheard-of", "because": ["unlisted_waiver"]},
        ]})
    );
    assert_eq!(
        serde_json::from_value::<ApprovalRequirement>(json)?,
        requirement
    );

    let shortfall = AuthorityShortfall {
        approver: "Sam".into(),
        missing: vec![Shortfall::ApprovalLimit {
            amount: usd(5),
            limit: None,
        }],
    };
    let json = serde_json::to_value(&shortfall)?;
    assert_eq!(
        json,
        serde_json::json!({"approver": "Sam", "missing": [
            {"lacks": "approval_limit", "amount": {"minor": 5, "currency": "USD"}, "limit": null}
        ]})
    );
    assert_eq!(
        serde_json::from_value::<AuthorityShortfall>(json)?,
        shortfall
    );

    let error = PolicyError::UnknownRole {
        place: ConfigPlace::OverOwnLimit,
        role: "ceo".into(),
    };
    let json = serde_json::to_value(&error)?;
    assert_eq!(
        json,
        serde_json::json!({"error": "unknown_role", "place": "over_own_limit", "role": "ceo"})
    );
    assert_eq!(serde_json::from_value::<PolicyError>(json)?, error);
    Ok(())
}

fn assert_traits<T: std::fmt::Debug + Clone + PartialEq + Send + Sync>() {}

#[test]
fn public_types_are_send_sync_clone_and_comparable() {
    assert_traits::<ApprovalPolicy>();
    assert_traits::<ApprovalPolicyConfig>();
    assert_traits::<ApprovalRequirement>();
    assert_traits::<AuthorityLimits>();
    assert_traits::<AuthorityShortfall>();
    assert_traits::<AmountRule>();
    assert_traits::<ConfigPlace>();
    assert_traits::<KindRule>();
    assert_traits::<LevelSource>();
    assert_traits::<LevelSpec>();
    assert_traits::<PolicyError>();
    assert_traits::<PolicyRef>();
    assert_traits::<RequirementLevel>();
    assert_traits::<ResolutionKind>();
    assert_traits::<ResolutionOption>();
    assert_traits::<Role>();
    assert_traits::<RoleRanks>();
    assert_traits::<RuleId>();
    assert_traits::<Shortfall>();
    assert_traits::<Threshold>();
    assert_traits::<WaiverRule>();
}

// ---------------------------------------------------------------- properties

fn any_kind() -> impl Strategy<Value = ResolutionKind> {
    prop_oneof![
        Just(ResolutionKind::Refund),
        Just(ResolutionKind::PartialRefund),
        Just(ResolutionKind::Upgrade),
        Just(ResolutionKind::Goodwill),
        Just(ResolutionKind::Custom("voucher".into())),
    ]
}

fn any_waives() -> impl Strategy<Value = Vec<PolicyRef>> {
    proptest::sample::subsequence(
        vec![
            PolicyRef::new("non-refundable-fare"),
            PolicyRef::new("30-day-return-window"),
            PolicyRef::new("unlisted"),
        ],
        0..=3,
    )
}

fn any_limits() -> impl Strategy<Value = AuthorityLimits> {
    (
        proptest::option::of(0..300_000_i64),
        proptest::option::of(0..600_000_i64),
    )
        .prop_map(|(per_option, per_case)| AuthorityLimits {
            offer_per_option: per_option.map(usd).into_iter().collect(),
            offer_per_case: per_case.map(usd).into_iter().collect(),
            approve_up_to: vec![],
        })
}

/// Valid policies with one USD amount rule whose thresholds increase and whose
/// levels never get weaker, plus an arbitrary floor.
fn any_policy() -> impl Strategy<Value = ApprovalPolicy> {
    let steps = proptest::collection::vec((1..100_000_i64, 0..=1_usize, 0..=1_u32), 1..5);
    (steps, 0..4_usize, 1..=2_u32).prop_filter_map(
        "valid policy",
        |(steps, floor_rank, floor_count)| {
            let ranks = ["agent", "supervisor", "manager", "director"];
            let (mut above, mut rank, mut count) = (0_i64, 0_usize, 1_u32);
            let mut thresholds = Vec::new();
            for (gap, rank_step, count_step) in steps {
                above += gap;
                rank = (rank + rank_step).min(3);
                count += count_step;
                let role = ranks.get(rank).copied().unwrap_or("director");
                thresholds.push(threshold(usd(above), vec![LevelSpec::of(count, role)]));
            }
            let floor = ranks.get(floor_rank).copied().unwrap_or("agent");
            ApprovalPolicy::new(ApprovalPolicyConfig {
                ranks: ranks.iter().map(|r| Role::new(*r)).collect(),
                kind_rules: vec![
                    KindRule::builder()
                        .id("upgrades")
                        .kinds(vec![ResolutionKind::Upgrade])
                        .requires(vec![LevelSpec::one("supervisor")])
                        .build(),
                ],
                amount_rules: vec![
                    AmountRule::builder()
                        .id("usd")
                        .currency(Currency::USD)
                        .thresholds(thresholds)
                        .build(),
                ],
                waiver_rules: vec![
                    WaiverRule::builder()
                        .id("fare")
                        .policy("non-refundable-fare")
                        .requires(vec![LevelSpec::one("manager")])
                        .build(),
                ],
                over_own_limit: Some(vec![LevelSpec::of(floor_count, floor)]),
                unlisted_waiver: None,
            })
            .ok()
        },
    )
}

fn any_policy_or_example() -> impl Strategy<Value = ApprovalPolicy> {
    prop_oneof![Just(ApprovalPolicy::example_airline()), any_policy()]
}

proptest! {
    #[test]
    fn a_larger_amount_never_needs_fewer_or_lower_approvals(
        policy in any_policy_or_example(),
        kind in any_kind(),
        waives in any_waives(),
        limits in any_limits(),
        offered in 0..400_000_i64,
        smaller in 0..600_000_i64,
        extra in 0..600_000_i64,
    ) {
        let mut totals = MoneyTotals::new();
        totals.add(usd(offered)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let make = |minor| ResolutionOption {
            kind: kind.clone(),
            amount: Some(usd(minor)),
            waives: waives.clone(),
            description: String::new(),
        };
        let small = policy.requirement_for(&make(smaller), &limits, &totals)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let large = policy.requirement_for(&make(smaller + extra), &limits, &totals)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(
            large.is_at_least_as_strict_as(&small, policy.ranks()),
            "{} needs {small}, but {} needs {large}", usd(smaller), usd(smaller + extra)
        );
    }

    #[test]
    fn a_larger_case_total_never_needs_fewer_approvals(
        policy in any_policy_or_example(),
        kind in any_kind(),
        limits in any_limits(),
        amount in 0..300_000_i64,
        offered in 0..400_000_i64,
        extra in 0..400_000_i64,
    ) {
        let option = ResolutionOption {
            kind, amount: Some(usd(amount)), waives: vec![], description: String::new(),
        };
        let totals = |minor| {
            let mut t = MoneyTotals::new();
            t.add(usd(minor)).map(|()| t)
        };
        let fail = |e: MoneyError| TestCaseError::fail(e.to_string());
        let less = policy.requirement_for(&option, &limits, &totals(offered).map_err(fail)?)
            .map_err(fail)?;
        let more = policy.requirement_for(&option, &limits, &totals(offered + extra).map_err(fail)?)
            .map_err(fail)?;
        prop_assert!(more.is_at_least_as_strict_as(&less, policy.ranks()));
    }

    #[test]
    fn every_waived_policy_gets_a_waiver_level(
        policy in any_policy_or_example(),
        kind in any_kind(),
        waives in any_waives(),
        limits in any_limits(),
        amount in proptest::option::of(0..600_000_i64),
    ) {
        let option = ResolutionOption {
            kind, amount: amount.map(usd), waives: waives.clone(), description: String::new(),
        };
        let requirement = policy.requirement_for(&option, &limits, &MoneyTotals::new())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let waived: BTreeSet<&PolicyRef> =
            requirement.waivers().filter_map(|l| l.waives.as_ref()).collect();
        prop_assert_eq!(waived, waives.iter().collect::<BTreeSet<_>>());
        for level in &requirement.levels {
            prop_assert!(level.approvers >= 1);
            prop_assert!(policy.ranks().rank_of(&level.role).is_some());
        }
    }

    #[test]
    fn money_add_then_sub_round_trips(a in any::<i64>(), b in any::<i64>()) {
        let (a, b) = (usd(a), usd(b));
        if let Ok(sum) = a.checked_add(b) {
            prop_assert_eq!(sum.checked_sub(b), Ok(a));
            prop_assert_eq!(sum.checked_sub(a), Ok(b));
        } else {
            prop_assert!(a.minor().checked_add(b.minor()).is_none());
        }
    }

    #[test]
    fn money_display_then_parse_round_trips(
        minor in (i64::MIN + 1)..=i64::MAX,
        code in prop_oneof![Just("USD"), Just("JPY"), Just("KWD"), Just("CHF")],
    ) {
        let currency = Currency::new(code).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let money = Money::new(minor, currency);
        prop_assert_eq!(money.to_string().parse::<Money>(), Ok(money));
    }
}

#[test]
fn rule_ids_and_policy_refs_are_plain_strings() -> Result<(), serde_json::Error> {
    assert_eq!(
        serde_json::to_string(&RuleId::new("usd-amounts"))?,
        r#""usd-amounts""#
    );
    assert_eq!(serde_json::to_string(&PolicyRef::new("fare"))?, r#""fare""#);
    assert_eq!(
        serde_json::to_string(&Role::new("manager"))?,
        r#""manager""#
    );
    Ok(())
}
