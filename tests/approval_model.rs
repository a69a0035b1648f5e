//! Model-based property test of the approval gate.
//!
//! Random sequences of commands from seven people (two agents, a supervisor, two
//! managers, an outsider with no role and a delegate) are fed to `decide`, including
//! out-of-order, duplicate, expired and unauthorized ones, while time moves on
//! (sometimes past expiries and outside delegations). After **every** step, a reference
//! model written here, independently of the crate's gate, walks the history and checks:
//!
//! 1. no `option_offered` event exists for an option without valid approvals at that
//!    moment (the request's levels all granted and unexpired, asking at least what the
//!    offering person needs; or nothing needed at all; and no standing denial);
//! 2. no grant came from the requester, a proposer, someone who took part in another
//!    level, or a person without the role and limit (through a delegation: outside its
//!    dates or beyond the delegator's authority);
//! 3. the ledger equals the sum of the events.
//!
//! The model uses the approval *policy* (`requirement_for`, already tested on its own)
//! to know what a person needs, and nothing else from the crate's approval logic.
//!
//! The number of sequences is `SERVICE_RECOVERY_SOAK` (default 1000).

mod support;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use service_recovery::approval::{
    Delegation, Ledger, PolicyRef, RequirementLevel, ResolutionKind, ResolutionOption, Role,
};
use service_recovery::money::{Currency, Money, MoneyTotals};
use service_recovery::prelude::*;
use support::*;

fn cases() -> u32 {
    std::env::var("SERVICE_RECOVERY_SOAK")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

// --- The generator ---------------------------------------------------------------------

/// The terms an option may have.
fn terms(i: u8) -> ResolutionOption {
    match i % 8 {
        0 => support::refund(1_500),
        1 => support::refund(8_000),
        2 => waiver_refund(),
        3 => upgrade(60_000),
        4 => support::refund(250_000),
        5 => upgrade(150_000),
        6 => ResolutionOption::builder()
            .kind(ResolutionKind::Replacement)
            .waives(vec!["30-day-return-window".into()])
            .description("a replacement outside the return window")
            .build(),
        _ => ResolutionOption::builder()
            .kind(ResolutionKind::AccountCredit)
            .amount(Money::new(9_000, Currency::EUR))
            .description("credit in euros")
            .build(),
    }
}

/// A command template, turned into a command when its moment comes (expiries and
/// delegation dates are relative to that moment).
#[derive(Debug, Clone)]
enum Op {
    Propose(u8, u8),
    Revise(u8, u8),
    Reword(u8),
    Offer(u8),
    Accept(u8),
    Decline(u8),
    Request(u8),
    Grant {
        option: u8,
        level: u32,
        expires_in: Option<i64>,
    },
    GrantFor {
        option: u8,
        level: u32,
        from: u8,
        to: u8,
        starts_in: i64,
        lasts: i64,
    },
    Deny(u8),
    Withdraw(u8),
    Agree(u8, u8),
    CarryOut(u8),
    Goodwill(i64),
}

fn option_id(i: u8) -> OptionId {
    OptionId::new(format!("o{}", i % 2))
}

fn build(op: &Op, now: DateTime<Utc>) -> Command {
    match op {
        Op::Propose(o, t) => Command::ProposeOption(ProposeOption {
            option: option_id(*o),
            resolution: terms(*t),
        }),
        Op::Revise(o, t) => Command::ReviseOption(ReviseOption {
            option: option_id(*o),
            resolution: terms(*t),
        }),
        Op::Reword(o) => Command::ReviseOption(ReviseOption {
            option: option_id(*o),
            resolution: ResolutionOption {
                description: "reworded".into(),
                ..terms(*o)
            },
        }),
        Op::Offer(o) => Command::OfferOption(OfferOption {
            option: option_id(*o),
        }),
        Op::Accept(o) => Command::AcceptOffer(AcceptOffer {
            option: option_id(*o),
        }),
        Op::Decline(o) => Command::DeclineOffer(DeclineOffer {
            option: option_id(*o),
            reason: None,
        }),
        Op::Request(o) => Command::RequestApproval(RequestApproval {
            option: option_id(*o),
            note: None,
        }),
        Op::Grant {
            option,
            level,
            expires_in,
        } => Command::GrantApproval(GrantApproval {
            option: option_id(*option),
            level: *level,
            expires: expires_in.map(|m| now + Duration::minutes(m)),
            reason: "fine".into(),
            on_behalf_of: None,
        }),
        Op::GrantFor {
            option,
            level,
            from,
            to,
            starts_in,
            lasts,
        } => {
            let from = [mo(), max(), sue()][usize::from(*from % 3)].clone();
            let to = [lee(), sam(), mo()][usize::from(*to % 3)].id.clone();
            let starts = now + Duration::minutes(*starts_in);
            Command::GrantApproval(GrantApproval {
                option: option_id(*option),
                level: *level,
                expires: None,
                reason: "covering".into(),
                on_behalf_of: Some(Delegation {
                    from,
                    to,
                    starts,
                    ends: starts + Duration::minutes(*lasts),
                }),
            })
        }
        Op::Deny(o) => Command::DenyApproval(DenyApproval {
            option: option_id(*o),
            reason: "no".into(),
            on_behalf_of: None,
        }),
        Op::Withdraw(o) => Command::WithdrawApprovalRequest(WithdrawApprovalRequest {
            option: option_id(*o),
            reason: "changed".into(),
        }),
        Op::Agree(a, o) => Command::AgreeAction(AgreeAction {
            action: ActionId::new(format!("a{}", a % 2)),
            description: "carry it out".into(),
            option: Some(option_id(*o)),
        }),
        Op::CarryOut(a) => Command::CarryOut(CarryOut {
            action: ActionId::new(format!("a{}", a % 2)),
            outcome: "done".into(),
        }),
        Op::Goodwill(minor) => Command::Goodwill(Goodwill {
            description: "a voucher".into(),
            value: Some(usd(*minor)),
            prior: Ledger::new(),
        }),
    }
}

fn arb_op() -> impl Strategy<Value = Op> {
    let o = || 0u8..2;
    prop_oneof![
        1 => (o(), 0u8..8).prop_map(|(o, t)| Op::Propose(o, t)),
        1 => (o(), 0u8..8).prop_map(|(o, t)| Op::Revise(o, t)),
        1 => o().prop_map(Op::Reword),
        5 => o().prop_map(Op::Offer),
        2 => o().prop_map(Op::Accept),
        1 => o().prop_map(Op::Decline),
        4 => o().prop_map(Op::Request),
        8 => (o(), 1u32..4, prop::option::weighted(0.4, -10i64..120))
            .prop_map(|(option, level, expires_in)| Op::Grant { option, level, expires_in }),
        3 => (o(), 1u32..3, 0u8..3, 0u8..3, -120i64..30, 1i64..240).prop_map(
            |(option, level, from, to, starts_in, lasts)| Op::GrantFor {
                option, level, from, to, starts_in, lasts
            }
        ),
        2 => o().prop_map(Op::Deny),
        1 => o().prop_map(Op::Withdraw),
        1 => (0u8..2, o()).prop_map(|(a, o)| Op::Agree(a, o)),
        1 => (0u8..2).prop_map(Op::CarryOut),
        1 => (1i64..5_000).prop_map(Op::Goodwill),
    ]
}

/// Who acts: usually someone plausible for the command (an approver for a grant, the
/// delegate for a delegated grant), sometimes anyone at all.
fn actor_for(op: &Op, choice: usize, plausible: bool) -> usize {
    match op {
        Op::Grant { .. } | Op::Deny(_) if plausible => [2, 3, 4][choice % 3],
        Op::GrantFor { to, .. } if plausible => [6, 1, 3][usize::from(*to % 3)],
        _ => choice % 7,
    }
}

/// Who acts (an index into the cast), what, and how many minutes later.
fn arb_steps() -> impl Strategy<Value = Vec<(usize, Op, i64)>> {
    let minutes = prop_oneof![8 => 0i64..10, 2 => 30i64..180];
    let step = (0usize..7, prop::bool::weighted(0.8), arb_op(), minutes).prop_map(
        |(choice, plausible, op, minutes)| (actor_for(&op, choice, plausible), op, minutes),
    );
    // Both options are proposed first (by anyone), so that most commands meet an option.
    let first = (0usize..7, 0u8..8, 0u8..8);
    (first, prop::collection::vec(step, 1..40)).prop_map(|((who, a, b), steps)| {
        let mut all = vec![(who, Op::Propose(0, a), 0), (0, Op::Propose(1, b), 0)];
        all.extend(steps);
        all
    })
}

// --- The reference model -------------------------------------------------------------

const RANKS: [&str; 4] = ["agent", "supervisor", "manager", "director"];

fn rank(role: &Role) -> Option<usize> {
    RANKS.iter().position(|r| *r == role.as_str())
}

fn person(id: &ActorId) -> Actor {
    cast()
        .into_iter()
        .find(|a| &a.id == id)
        .expect("every actor is in the cast")
}

/// Whether someone with `roles` and approval limits `approve` may grant `level`.
fn authorised(roles: &BTreeSet<Role>, approve: &[Money], level: &RequirementLevel) -> bool {
    let needed = rank(&level.role).expect("ranked");
    let held = roles.iter().filter_map(rank).max();
    let role_ok = held.is_some_and(|h| h >= needed);
    let limit_ok = level.amount.is_none_or(|amount| {
        approve
            .iter()
            .filter(|m| m.currency() == amount.currency())
            .map(|m| m.minor())
            .min()
            .is_some_and(|limit| amount.minor() <= limit)
    });
    role_ok && limit_ok
}

/// Whether `strong` asks at least as much as `weak`.
fn covers(strong: &RequirementLevel, weak: &RequirementLevel) -> bool {
    let amount_ok = match (strong.amount, weak.amount) {
        (_, None) => true,
        (Some(s), Some(w)) => s.currency() == w.currency() && s.minor() >= w.minor(),
        (None, Some(_)) => false,
    };
    strong.waives == weak.waives
        && rank(&strong.role) >= rank(&weak.role)
        && strong.approvers >= weak.approvers
        && amount_ok
}

#[derive(Debug, Clone, PartialEq)]
enum Status {
    Proposed,
    Offered,
    Accepted,
    Declined,
}

#[derive(Debug, Clone)]
struct GrantRecord {
    level: u32,
    people: Vec<ActorId>,
    expires: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
struct Request {
    by: ActorId,
    levels: Vec<RequirementLevel>,
    grants: Vec<GrantRecord>,
    denied: bool,
}

impl Request {
    fn level_ok(&self, level: u32, t: DateTime<Utc>) -> bool {
        let Some(spec) = self.levels.get(level as usize - 1) else {
            return false;
        };
        let valid = self
            .grants
            .iter()
            .filter(|g| g.level == level && g.expires.is_none_or(|e| t < e))
            .count();
        valid as u32 >= spec.approvers
    }
}

#[derive(Debug, Clone)]
struct ModelOption {
    terms: ResolutionOption,
    status: Status,
    proposers: BTreeSet<ActorId>,
    request: Option<Request>,
}

fn material(a: &ResolutionOption, b: &ResolutionOption) -> bool {
    let set = |o: &ResolutionOption| o.waives.iter().cloned().collect::<BTreeSet<PolicyRef>>();
    a.kind != b.kind || a.amount != b.amount || set(a) != set(b)
}

#[derive(Default)]
struct Sums {
    offered: BTreeMap<Currency, i64>,
    accepted: BTreeMap<Currency, i64>,
    paid: BTreeMap<Currency, i64>,
    goodwill: BTreeMap<Currency, i64>,
}

fn add(sums: &mut BTreeMap<Currency, i64>, amount: Option<Money>) {
    if let Some(m) = amount {
        *sums.entry(m.currency()).or_default() += m.minor();
    }
}

fn same(totals: &MoneyTotals, sums: &BTreeMap<Currency, i64>) -> bool {
    let listed: BTreeMap<Currency, i64> =
        totals.iter().map(|m| (m.currency(), m.minor())).collect();
    &listed == sums
}

/// What the model counts about a history, for the generator's coverage check.
#[derive(Default, Debug)]
struct Seen {
    offers_with_approvals: usize,
    grants: usize,
    delegated_grants: usize,
    voided: usize,
    goodwill_given: usize,
}

/// Walks the history and checks the three invariants at every event.
fn check(history: &[Event], policy: &Policy) -> Result<Seen, String> {
    let mut options: BTreeMap<OptionId, ModelOption> = BTreeMap::new();
    let mut actions: BTreeMap<ActionId, OptionId> = BTreeMap::new();
    let mut sums = Sums::default();
    let mut seen = Seen::default();
    // Goodwill already given counts toward the case total like an accepted option.
    let offered_total = |options: &BTreeMap<OptionId, ModelOption>,
                         goodwill: &BTreeMap<Currency, i64>| {
        let mut total = MoneyTotals::new();
        for (currency, minor) in goodwill {
            total.add(Money::new(*minor, *currency)).unwrap();
        }
        for o in options.values() {
            if matches!(o.status, Status::Offered | Status::Accepted) {
                if let Some(m) = o.terms.amount {
                    total.add(m).unwrap();
                }
            }
        }
        total
    };
    for event in history {
        let t = event.at;
        let who = &event.actor.id;
        let fail = |what: String| Err(format!("event {} ({}): {what}", event.sequence, event));
        match &event.kind {
            EventKind::OptionProposed { option, resolution } => {
                options.insert(
                    option.clone(),
                    ModelOption {
                        terms: resolution.clone(),
                        status: Status::Proposed,
                        proposers: [who.clone()].into(),
                        request: None,
                    },
                );
            }
            EventKind::OptionRevised { option, resolution } => {
                let o = options.get_mut(option).ok_or("revised an unknown option")?;
                if material(&o.terms, resolution) {
                    // The model voids on its own; the event must say so too.
                    o.proposers.insert(who.clone());
                    o.request = None;
                }
                o.terms = resolution.clone();
            }
            EventKind::ApprovalsVoided { option } => {
                seen.voided += 1;
                if options.get(option).is_some_and(|o| o.request.is_some()) {
                    return fail("voided approvals the model still holds".into());
                }
            }
            EventKind::ApprovalRequested {
                option,
                requirement,
                ..
            } => {
                let total = offered_total(&options, &sums.goodwill);
                let o = options
                    .get_mut(option)
                    .ok_or("request for an unknown option")?;
                let expected = policy
                    .approvals
                    .requirement_for(&o.terms, &person(who).limits, &total)
                    .unwrap();
                if &expected != requirement || requirement.is_empty() {
                    return fail(format!("recorded {requirement}, expected {expected}"));
                }
                if o.status != Status::Proposed {
                    return fail("request for an option already offered".into());
                }
                if o.request.as_ref().is_some_and(|r| !r.denied) {
                    return fail("a second request while one is pending".into());
                }
                o.request = Some(Request {
                    by: who.clone(),
                    levels: requirement.levels.clone(),
                    grants: Vec::new(),
                    denied: false,
                });
            }
            EventKind::ApprovalGranted {
                option,
                level,
                granted,
                expires,
                on_behalf_of,
                ..
            } => {
                seen.grants += 1;
                let o = options
                    .get_mut(option)
                    .ok_or("grant for an unknown option")?;
                let Some(request) = o.request.as_mut().filter(|r| !r.denied) else {
                    return fail("grant without a pending request".into());
                };
                let Some(spec) = request.levels.get(*level as usize - 1).cloned() else {
                    return fail(format!("grant of level {level}, which does not exist"));
                };
                if spec != **granted {
                    return fail("the granted level is not the requested one".into());
                }
                if expires.is_some_and(|e| e <= t) {
                    return fail("a grant expiring before it was made".into());
                }
                // Whose authority, and who takes part.
                let (roles, approve, people) = match on_behalf_of {
                    None => {
                        let p = person(who);
                        (p.roles, p.limits.approve_up_to, vec![who.clone()])
                    }
                    Some(d) => {
                        seen.delegated_grants += 1;
                        if &d.to != who || !(d.starts <= t && t < d.ends) {
                            return fail(
                                "a delegation used by someone else or out of dates".into(),
                            );
                        }
                        let from = person(&d.from.id);
                        (
                            from.roles,
                            from.limits.approve_up_to,
                            vec![who.clone(), from.id],
                        )
                    }
                };
                if !authorised(&roles, &approve, &spec) {
                    return fail(format!("granted {spec} without the authority"));
                }
                for p in &people {
                    if p == &request.by {
                        return fail(format!("{p} approved their own request"));
                    }
                    if o.proposers.contains(p) {
                        return fail(format!("{p} approved an option they proposed"));
                    }
                    for g in request.grants.iter().filter(|g| g.people.contains(p)) {
                        if g.level != *level {
                            return fail(format!("{p} took part in two levels"));
                        }
                        if g.expires.is_none_or(|e| t < e) {
                            return fail(format!("{p} granted level {level} twice"));
                        }
                    }
                }
                if request.level_ok(*level, t) {
                    return fail("granted a level that was already complete".into());
                }
                if (1..*level).any(|l| !request.level_ok(l, t)) {
                    return fail("granted a level before the ones below it".into());
                }
                request.grants.push(GrantRecord {
                    level: *level,
                    people,
                    expires: *expires,
                });
            }
            EventKind::ApprovalDenied { option, .. } => {
                let o = options
                    .get_mut(option)
                    .ok_or("denial of an unknown option")?;
                let Some(request) = o.request.as_mut().filter(|r| !r.denied) else {
                    return fail("denial without a pending request".into());
                };
                if &request.by == who || o.proposers.contains(who) {
                    return fail("the requester or a proposer denied".into());
                }
                request.denied = true;
            }
            EventKind::ApprovalRequestWithdrawn { option, .. } => {
                let o = options
                    .get_mut(option)
                    .ok_or("withdrawal on an unknown option")?;
                if o.request.as_ref().is_none_or(|r| r.denied) {
                    return fail("withdrew a request that was not pending".into());
                }
                o.request = None;
            }
            EventKind::OptionOffered { option, .. } => {
                let total = offered_total(&options, &sums.goodwill);
                let o = options
                    .get_mut(option)
                    .ok_or("offer of an unknown option")?;
                let needed = policy
                    .approvals
                    .requirement_for(&o.terms, &person(who).limits, &total)
                    .unwrap();
                match &o.request {
                    Some(r) if r.denied => return fail("offered after a denial".into()),
                    None if !needed.is_empty() => {
                        return fail(format!("offered without approval; it needs {needed}"));
                    }
                    None => {}
                    Some(r) => {
                        for level in 1..=r.levels.len() as u32 {
                            if !r.level_ok(level, t) {
                                return fail(format!("offered with level {level} not valid"));
                            }
                        }
                        if !needed
                            .levels
                            .iter()
                            .all(|n| r.levels.iter().any(|l| covers(l, n)))
                        {
                            return fail(format!("the request does not cover {needed}"));
                        }
                        seen.offers_with_approvals += 1;
                    }
                }
                o.status = Status::Offered;
                add(&mut sums.offered, o.terms.amount);
            }
            EventKind::OfferAccepted { option } => {
                let o = options.get_mut(option).ok_or("unknown option")?;
                o.status = Status::Accepted;
                add(&mut sums.accepted, o.terms.amount);
            }
            EventKind::OfferDeclined { option, .. } => {
                let o = options.get_mut(option).ok_or("unknown option")?;
                o.status = Status::Declined;
            }
            EventKind::ActionAgreed {
                action,
                option: Some(option),
                ..
            } => {
                actions.insert(action.clone(), option.clone());
            }
            EventKind::ActionCarriedOut { action, .. } => {
                if let Some(option) = actions.get(action) {
                    add(
                        &mut sums.paid,
                        options.get(option).and_then(|o| o.terms.amount),
                    );
                }
            }
            EventKind::GoodwillGiven { value, .. } => {
                if let Some(value) = value {
                    // Value reaching the customer on the spot: the giver's own limits
                    // must cover it (per gesture, and the case total with it), and the
                    // policy must ask nobody's approval for it as a goodwill option.
                    let limits = person(who).limits;
                    let limit = |list: &[Money]| {
                        list.iter()
                            .filter(|m| m.currency() == value.currency())
                            .map(|m| m.minor())
                            .min()
                    };
                    let total_after = offered_total(&options, &sums.goodwill)
                        .get(value.currency())
                        .minor()
                        + value.minor();
                    if limit(&limits.offer_per_option).is_none_or(|l| value.minor() > l)
                        || limit(&limits.offer_per_case).is_none_or(|l| total_after > l)
                    {
                        return fail(format!("goodwill of {value} beyond the giver's limits"));
                    }
                    let gesture = ResolutionOption::builder()
                        .kind(ResolutionKind::Goodwill)
                        .amount(*value)
                        .build();
                    let needed = policy
                        .approvals
                        .requirement_for(
                            &gesture,
                            &limits,
                            &offered_total(&options, &sums.goodwill),
                        )
                        .unwrap();
                    if !needed.is_empty() {
                        return fail(format!(
                            "goodwill of {value} given alone; it needs {needed}"
                        ));
                    }
                    seen.goodwill_given += 1;
                }
                add(&mut sums.goodwill, *value)
            }
            _ => {}
        }
    }
    let totals = service_recovery::case::ledger_of(history)
        .totals()
        .map_err(|e| e.to_string())?;
    if !(same(&totals.offered, &sums.offered)
        && same(&totals.accepted, &sums.accepted)
        && same(&totals.paid, &sums.paid)
        && same(&totals.goodwill, &sums.goodwill))
    {
        return Err(format!(
            "the ledger {totals:?} is not the sum of the events (offered {:?}, accepted {:?}, \
             paid {:?}, goodwill {:?})",
            sums.offered, sums.accepted, sums.paid, sums.goodwill
        ));
    }
    Ok(seen)
}

/// Lives through the steps, checking the model after every one.
fn run(steps: &[(usize, Op, i64)]) -> Result<(Case, Seen), String> {
    let policy = airline_policy();
    let people = cast();
    let mut case: Option<Case> = None;
    for command in airline_ready() {
        for event in decide(case.as_ref(), &command, &dana(), t0(), &policy).unwrap() {
            case = Some(evolve(case, event).unwrap());
        }
    }
    let mut case = case.unwrap();
    let mut now = t0();
    let mut seen = Seen::default();
    for (actor, op, minutes) in steps {
        now += Duration::minutes(*minutes);
        let command = build(op, now);
        let before = case.clone();
        match decide(Some(&case), &command, &people[*actor], now, &policy) {
            Ok(events) => {
                for event in events {
                    case.apply(event).map_err(|e| e.to_string())?;
                }
            }
            Err(_) => {
                if case != before {
                    return Err("a rejected command changed the case".into());
                }
            }
        }
        seen = check(case.history(), &policy)?;
    }
    let replayed = Case::replay(case.history().to_vec()).map_err(|e| e.to_string())?;
    if replayed != case {
        return Err("replaying the history gives another case".into());
    }
    Ok((case, seen))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_approval_gate_holds_over_random_histories(steps in arb_steps()) {
        if let Err(broken) = run(&steps) {
            prop_assert!(false, "{}", broken);
        }
    }
}

/// Guards the generator: random histories must reach the interesting states, or the
/// property would only ever see rejections.
#[test]
fn random_histories_reach_approved_offers_delegations_and_voiding() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut total = Seen::default();
    for _ in 0..500 {
        let steps = arb_steps().new_tree(&mut runner).unwrap().current();
        let (_, seen) = run(&steps).unwrap();
        total.offers_with_approvals += seen.offers_with_approvals;
        total.grants += seen.grants;
        total.delegated_grants += seen.delegated_grants;
        total.voided += seen.voided;
        total.goodwill_given += seen.goodwill_given;
    }
    eprintln!("coverage over 500 histories: {total:?}");
    assert!(total.offers_with_approvals >= 20, "{total:?}");
    assert!(total.grants >= 100, "{total:?}");
    assert!(total.delegated_grants >= 5, "{total:?}");
    assert!(total.voided >= 5, "{total:?}");
    assert!(total.goodwill_given >= 5, "{total:?}");
}

/// The model itself catches a forged history: an offer with no approval, goodwill
/// beyond the giver's limits, and a grant by the requester are all reported.
#[test]
fn the_model_catches_forged_histories() {
    let policy = airline_policy();
    let mut case: Option<Case> = None;
    for command in airline_ready() {
        for event in decide(case.as_ref(), &command, &dana(), t0(), &policy).unwrap() {
            case = Some(evolve(case, event).unwrap());
        }
    }
    let base = case.unwrap().history().to_vec();
    let event = |sequence, actor: &Actor, kind| Event {
        sequence,
        at: at(1),
        actor: actor.reference(),
        kind,
    };
    let n = base.len() as u64;
    let mut forged = base.clone();
    forged.push(event(
        n + 1,
        &dana(),
        EventKind::OptionProposed {
            option: o("o1"),
            resolution: waiver_refund(),
        },
    ));
    forged.push(event(
        n + 2,
        &dana(),
        EventKind::OptionOffered {
            option: o("o1"),
            authority: evidence(&dana()),
        },
    ));
    assert!(
        check(&forged, &policy)
            .unwrap_err()
            .contains("offered without approval")
    );

    let mut forged = base.clone();
    forged.push(event(
        n + 1,
        &olive(),
        EventKind::GoodwillGiven {
            description: "a voucher".into(),
            value: Some(usd(100_000_000)),
            authority: evidence(&olive()),
        },
    ));
    assert!(
        check(&forged, &policy)
            .unwrap_err()
            .contains("goodwill of USD 1,000,000.00 beyond the giver's limits")
    );

    let requirement = policy
        .approvals
        .requirement_for(&waiver_refund(), &dana().limits, &MoneyTotals::new())
        .unwrap();
    let mut forged = base;
    forged.push(event(
        n + 1,
        &sam(),
        EventKind::OptionProposed {
            option: o("o1"),
            resolution: waiver_refund(),
        },
    ));
    forged.push(event(
        n + 2,
        &mo(),
        EventKind::ApprovalRequested {
            option: o("o1"),
            resolution: Box::new(waiver_refund()),
            requirement: policy
                .approvals
                .requirement_for(&waiver_refund(), &mo().limits, &MoneyTotals::new())
                .unwrap(),
            note: None,
        },
    ));
    let _ = requirement;
    forged.push(event(
        n + 3,
        &mo(),
        EventKind::ApprovalGranted {
            option: o("o1"),
            level: 1,
            granted: Box::new(
                policy
                    .approvals
                    .requirement_for(&waiver_refund(), &mo().limits, &MoneyTotals::new())
                    .unwrap()
                    .levels[0]
                    .clone(),
            ),
            expires: None,
            reason: "mine".into(),
            on_behalf_of: None,
            authority: evidence(&mo()),
        },
    ));
    assert!(
        check(&forged, &policy)
            .unwrap_err()
            .contains("approved their own request")
    );
}
