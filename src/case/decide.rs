//! The rules: [`decide`] turns a command into events or a rejection, and [`guard`]
//! answers "could this actor do this now?" for [`next_actions`](fn@crate::next_actions).
//!
//! The data path of one command: the shared [`guard`] judges its intent (the clock,
//! the case's status, the playbook's order, the state of what it names, the approval
//! gate); the command's own rules (its feature's `impl Decide`) judge its payload and
//! record its events; the language gate reviews its words if the step asks for it.

use crate::actor::Actor;
use crate::case::approvals;
use crate::case::command::{Command, Intent};
use crate::case::decision::{Decision, Recorder};
use crate::case::event::Event;
use crate::case::follow_ups;
use crate::case::language::check_words;
use crate::case::lifecycle::check_ready_to_close;
use crate::case::offers::option_status;
use crate::case::rejection::Rejection;
use crate::case::{Case, CaseStatus, OptionStatus};
use crate::playbook::StepKind;
use crate::policy::Policy;
use chrono::{DateTime, Utc};

/// Decides a command against a case: the events it produces, or why it is refused.
///
/// Pure: it reads the case, the command, the actor, the time and the policy, and
/// changes nothing. Pass `None` for a case that does not exist yet; only
/// [`Command::Open`] is accepted then. Apply the returned events with
/// [`Case::apply`] (or [`evolve`](crate::evolve)) and store them.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use service_recovery::prelude::*;
///
/// let dana = Actor::builder().id("a-7").name("Dana").build();
/// let policy = Policy::default();
/// let at = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
/// let open = service_recovery::testing::open_case();
/// let events = decide(None, &open, &dana, at, &policy)?;
/// let mut case = Case::replay(events).unwrap();
///
/// // Explaining before thanking and apologizing breaks the playbook's order.
/// let explain = Command::from(Explain { words: "The label printer swapped two orders.".into() });
/// let refused = decide(Some(&case), &explain, &dana, at, &policy).unwrap_err();
/// assert_eq!(
///     refused.to_string(),
///     "you cannot explain what happened yet: first thank the customer and apologize"
/// );
///
/// let thank = Command::from(Thank { words: "Thank you for telling us, Ms Okafor.".into() });
/// for event in decide(Some(&case), &thank, &dana, at, &policy)? {
///     case.apply(event).unwrap();
/// }
/// assert_eq!(case.version(), 2);
/// # Ok::<(), Rejection>(())
/// ```
///
/// # Errors
///
/// A [`Rejection`] saying, in a plain sentence, why the command cannot happen now.
pub fn decide(
    case: Option<&Case>,
    command: &Command,
    actor: &Actor,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Result<Vec<Event>, Rejection> {
    let Some(case) = case else {
        return match command {
            Command::Open(open) => {
                check_actor(actor)?;
                open.open(actor, now)
            }
            Command::Thank(_)
            | Command::Apologize(_)
            | Command::AskQuestion(_)
            | Command::RecordAnswer(_)
            | Command::RecordGoal(_)
            | Command::Explain(_)
            | Command::ProposeOption(_)
            | Command::ReviseOption(_)
            | Command::OfferOption(_)
            | Command::AcceptOffer(_)
            | Command::DeclineOffer(_)
            | Command::AgreeAction(_)
            | Command::CarryOut(_)
            | Command::Goodwill(_)
            | Command::FinalThanks(_)
            | Command::Close(_)
            | Command::Reopen(_)
            | Command::Withdraw(_)
            | Command::ChangeChannel(_)
            | Command::Reassign(_)
            | Command::Escalate(_)
            | Command::AddNote(_)
            | Command::RequestApproval(_)
            | Command::GrantApproval(_)
            | Command::DenyApproval(_)
            | Command::WithdrawApprovalRequest(_)
            | Command::AwaitCustomer(_)
            | Command::AwaitThirdParty(_)
            | Command::Resume(_)
            | Command::ReportTime(_)
            | Command::MakeCommitment(_)
            | Command::KeepCommitment(_)
            | Command::BreakCommitment(_)
            | Command::CancelCommitment(_)
            | Command::RecordSurvey(_) => Err(Rejection::NotOpened),
        };
    };
    let rules = command.rules();
    let intent = rules.intent();
    guard(case, &intent, actor, now, policy)?;
    let mut out = Recorder::new(case.version(), now, actor);
    let decision = Decision {
        case,
        actor,
        now,
        policy,
    };
    rules.decide(&decision, &mut out)?;
    if let (Some(step), Some(words)) = (intent.step(), rules.words()) {
        check_words(case, step, words, policy)?;
    }
    Ok(out.into_events())
}

/// Whether `actor` may do `intent` on `case` at `now`, judged on everything but the
/// command's own payload (its words, amounts and new identifiers).
///
/// [`decide`] calls this first, so a command whose intent is refused here is refused
/// by `decide` with the same rejection.
///
/// # Errors
///
/// The [`Rejection`] that [`decide`] would give.
pub fn guard(
    case: &Case,
    intent: &Intent,
    actor: &Actor,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Result<(), Rejection> {
    check_actor(actor)?;
    let last = case.last_event_at();
    if now < last {
        return Err(Rejection::ClockWentBackwards { at: now, last });
    }
    if let Some(verdict) = follow_ups::status_rule(case, intent) {
        return verdict;
    }
    match (intent, case.status()) {
        (Intent::Open, _) => {
            return Err(Rejection::AlreadyOpened {
                case: case.id().clone(),
            });
        }
        (Intent::AddNote, _) => return Ok(()),
        (Intent::Reopen, CaseStatus::Open) => return Err(Rejection::StillOpen),
        (Intent::Reopen, _) => return Ok(()),
        (_, CaseStatus::Open) => {}
        (_, status) => return Err(Rejection::NotOpen { status }),
    }
    if let Some(step) = intent.step() {
        check_step(case, step, policy)?;
    }
    check_target(case, intent, policy)?;
    if let Intent::OfferOption(option) = intent {
        return approvals::check_offer(case, option, actor, now, policy);
    }
    approvals::check_intent(case, intent, actor, policy)
}

/// The acting person's identifier obeys the identifier rules: the host vouches for who
/// acts, but an id it did not check (a zero-width space, a bidi control) would let two
/// people look the same in the history.
fn check_actor(actor: &Actor) -> Result<(), Rejection> {
    actor
        .id
        .validate()
        .map_err(|identifier| Rejection::InvalidIdentifier { identifier })
}

/// The playbook's rules for a step: it exists, it may happen again, and what must
/// come first has happened in this round.
fn check_step(case: &Case, step: StepKind, policy: &Policy) -> Result<(), Rejection> {
    let playbook = &policy.playbook;
    let rule = playbook
        .rule(step)
        .ok_or_else(|| Rejection::StepNotInPlaybook {
            step,
            playbook: playbook.name().to_owned(),
        })?;
    let done = case.steps();
    if !rule.repeatable && done.get(step) > 0 {
        return Err(Rejection::StepAlreadyDone { step });
    }
    let waiting = |before: &StepKind| done.get(*before) == 0;
    if rule.after.iter().any(waiting) {
        let missing = rule.after.iter().copied().filter(waiting).collect();
        return Err(Rejection::StepOutOfOrder { step, missing });
    }
    Ok(())
}

/// The state of whatever the intent names: the question, option, action or wait.
fn check_target(case: &Case, intent: &Intent, policy: &Policy) -> Result<(), Rejection> {
    match intent {
        Intent::RecordAnswer(question) => match case.question(question) {
            None => Err(Rejection::UnknownQuestion {
                question: question.clone(),
            }),
            Some(q) if q.answer.is_some() => Err(Rejection::QuestionAnswered {
                question: question.clone(),
            }),
            Some(_) => Ok(()),
        },
        Intent::ReviseOption(option) | Intent::OfferOption(option) => {
            match option_status(case, option)? {
                OptionStatus::Proposed => Ok(()),
                status @ OptionStatus::Offered
                | status @ OptionStatus::Accepted
                | status @ OptionStatus::Declined => Err(Rejection::OptionAlreadyOffered {
                    option: option.clone(),
                    status,
                }),
            }
        }
        Intent::AcceptOffer(option) | Intent::DeclineOffer(option) => {
            match option_status(case, option)? {
                OptionStatus::Offered => Ok(()),
                status @ OptionStatus::Proposed
                | status @ OptionStatus::Accepted
                | status @ OptionStatus::Declined => Err(Rejection::OfferNotOpen {
                    option: option.clone(),
                    status,
                }),
            }
        }
        Intent::CarryOut(action) => match case.actions().get(action) {
            None => Err(Rejection::ActionNotAgreed {
                action: action.clone(),
            }),
            Some(a) if a.outcome.is_some() => Err(Rejection::ActionAlreadyDone {
                action: action.clone(),
            }),
            Some(_) => Ok(()),
        },
        Intent::Close => check_ready_to_close(case, policy),
        Intent::Resume => follow_ups::check_target(case),
        Intent::Open
        | Intent::Thank
        | Intent::Apologize
        | Intent::AskQuestion
        | Intent::RecordGoal
        | Intent::Explain
        | Intent::ProposeOption
        | Intent::AgreeAction
        | Intent::Goodwill
        | Intent::FinalThanks
        | Intent::Reopen
        | Intent::Withdraw
        | Intent::ChangeChannel
        | Intent::Reassign
        | Intent::Escalate
        | Intent::AddNote
        | Intent::RequestApproval(_)
        | Intent::GrantApproval(_)
        | Intent::DenyApproval(_)
        | Intent::WithdrawApprovalRequest(_)
        | Intent::AwaitCustomer
        | Intent::AwaitThirdParty
        | Intent::ReportTime
        | Intent::MakeCommitment
        | Intent::KeepCommitment(_)
        | Intent::BreakCommitment(_)
        | Intent::CancelCommitment(_)
        | Intent::RecordSurvey => Ok(()),
    }
}
