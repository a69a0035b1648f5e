//! The rules: [`decide`] turns a command into events or a rejection, and [`guard`]
//! answers "could this actor do this now?" for [`next_actions`](fn@crate::next_actions).

use crate::actor::Actor;
use crate::case::approvals;
use crate::case::command::{Command, Intent, OpenCase};
use crate::case::event::{Event, EventKind, Opened};
use crate::case::follow_up;
use crate::case::language::check_words;
use crate::case::rejection::{Field, Rejection};
use crate::case::{AgreedAction, Case, CaseOption, CaseStatus, OptionStatus};
use crate::complaint::IntakeAssessment;
use crate::id::{ActionId, OptionId};
use crate::money::Money;
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
/// use service_recovery::*;
///
/// let dana = Actor::builder().id("a-7").name("Dana").build();
/// let policy = Policy::default();
/// let at = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
/// let open = Command::Open(Box::new(
///     OpenCase::builder()
///         .case("case-1")
///         .customer(Customer::builder().id("c-1").name("Amara Okafor").address_as("Ms Okafor").build())
///         .channel(Channel::Phone)
///         .owner(dana.reference())
///         .complaint(Complaint::builder().summary("parcel sent to the wrong address").build())
///         .severity(Severity::Moderate)
///         .build(),
/// ));
/// let events = decide(None, &open, &dana, at, &policy)?;
/// let mut case = Case::replay(events).unwrap();
///
/// // Explaining before thanking and apologizing breaks the playbook's order.
/// let explain = Command::Explain { words: "The label printer swapped two orders.".into() };
/// let refused = decide(Some(&case), &explain, &dana, at, &policy).unwrap_err();
/// assert_eq!(
///     refused.to_string(),
///     "you cannot explain what happened yet: first thank the customer and apologize"
/// );
///
/// let thank = Command::Thank { words: "Thank you for telling us, Ms Okafor.".into() };
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
            Command::Open(open) => open_case(open, actor, now),
            _ => Err(Rejection::NotOpened),
        };
    };
    let intent = command.intent();
    guard(case, &intent, actor, now, policy)?;
    let kinds = check_payload(case, command, actor, now, policy)?;
    if let Some(step) = intent.step() {
        check_words(case, step, command, policy)?;
    }
    // Revising an approved option voids its approvals in the same breath.
    let voided = approvals::voided_by(case, command);
    // A command may record nothing (a time report with no threshold crossed). The
    // events are built in place, in one allocation: this is the hot path.
    let Kinds { first, rest } = kinds;
    let mut events = Vec::with_capacity(
        usize::from(first.is_some()) + rest.len() + usize::from(voided.is_some()),
    );
    let kinds = first.into_iter().chain(rest).chain(voided);
    for (sequence, kind) in (case.version() + 1..).zip(kinds) {
        events.push(Event {
            sequence,
            at: now,
            actor: actor.reference(),
            kind,
        });
    }
    Ok(events)
}

/// What a command records: almost always one event, sometimes several or none.
/// Kept apart so that the common case needs no vector of its own.
struct Kinds {
    first: Option<EventKind>,
    rest: Vec<EventKind>,
}

impl From<EventKind> for Kinds {
    fn from(kind: EventKind) -> Self {
        Self {
            first: Some(kind),
            rest: Vec::new(),
        }
    }
}

impl From<Vec<EventKind>> for Kinds {
    fn from(rest: Vec<EventKind>) -> Self {
        Self { first: None, rest }
    }
}

fn open_case(open: &OpenCase, actor: &Actor, now: DateTime<Utc>) -> Result<Vec<Event>, Rejection> {
    not_blank(open.case.as_str(), Field::CaseId)?;
    not_blank(&open.complaint.summary, Field::ComplaintSummary)?;
    let assessment = IntakeAssessment::assess(
        open.priority,
        open.severity,
        &open.channel,
        open.customer.tier,
        open.previous_contacts,
    );
    Ok(vec![Event {
        sequence: 1,
        at: now,
        actor: actor.reference(),
        kind: EventKind::Opened(Box::new(Opened {
            case: open.case.clone(),
            customer: open.customer.clone(),
            channel: open.channel.clone(),
            owner: open.owner.clone(),
            complaint: open.complaint.clone(),
            severity: open.severity,
            priority: assessment.priority,
            signals: assessment.signals,
        })),
    }])
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
    let last = case.last_event_at();
    if now < last {
        return Err(Rejection::ClockWentBackwards { at: now, last });
    }
    if let Some(verdict) = follow_up::status_rule(case, intent) {
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
    match intent {
        Intent::OfferOption(option) => approvals::check_offer(case, option, actor, now, policy),
        _ => approvals::check_intent(case, intent, actor, policy),
    }
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

/// The state of whatever the intent names: the question, option or action.
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
                status => Err(Rejection::OptionAlreadyOffered {
                    option: option.clone(),
                    status,
                }),
            }
        }
        Intent::AcceptOffer(option) | Intent::DeclineOffer(option) => {
            match option_status(case, option)? {
                OptionStatus::Offered => Ok(()),
                status => Err(Rejection::OfferNotOpen {
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
        _ => follow_up::check_target(case, intent),
    }
}

fn option_status(case: &Case, option: &OptionId) -> Result<OptionStatus, Rejection> {
    case.options()
        .get(option)
        .map(|o| o.status)
        .ok_or_else(|| Rejection::UnknownOption {
            option: option.clone(),
        })
}

/// Closing needs every required step, no promise left undone, no offer left hanging.
fn check_ready_to_close(case: &Case, policy: &Policy) -> Result<(), Rejection> {
    // Each list is built only when something is missing: closing is on the hot path.
    let missing = |step: &StepKind| *step != StepKind::Close && case.steps().get(*step) == 0;
    if policy.playbook.required_steps().any(|s| missing(&s)) {
        let missing = policy.playbook.required_steps().filter(missing).collect();
        return Err(Rejection::RequiredStepsMissing { missing });
    }
    let undone = |(_, a): &(&ActionId, &AgreedAction)| a.outcome.is_none();
    if case.actions().iter().any(|a| undone(&a)) {
        let actions = case
            .actions()
            .iter()
            .filter(undone)
            .map(|(id, _)| id.clone());
        return Err(Rejection::ActionsOutstanding {
            actions: actions.collect(),
        });
    }
    let waiting = |(_, o): &(&OptionId, &CaseOption)| o.status == OptionStatus::Offered;
    if case.options().iter().any(|o| waiting(&o)) {
        let options = case
            .options()
            .iter()
            .filter(waiting)
            .map(|(id, _)| id.clone());
        return Err(Rejection::OffersAwaitingAnswer {
            options: options.collect(),
        });
    }
    follow_up::check_close(case)
}

/// The rules about the command's own content; the guard has passed.
fn check_payload(
    case: &Case,
    command: &Command,
    actor: &Actor,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Result<Kinds, Rejection> {
    Ok(Kinds::from(match command {
        Command::Open(_) => {
            return Err(Rejection::AlreadyOpened {
                case: case.id().clone(),
            });
        }
        Command::Thank { words } => EventKind::Thanked {
            words: text(words, Field::Thanks)?,
        },
        Command::Apologize { words } => EventKind::Apologized {
            words: text(words, Field::Apology)?,
        },
        Command::AskQuestion {
            question,
            kind,
            text: asked,
        } => {
            if case.question(question).is_some() {
                return Err(Rejection::QuestionExists {
                    question: question.clone(),
                });
            }
            EventKind::QuestionAsked {
                question: question.clone(),
                kind: *kind,
                text: text(asked, Field::Question)?,
            }
        }
        Command::RecordAnswer { question, answer } => EventKind::AnswerRecorded {
            question: question.clone(),
            answer: text(answer, Field::Answer)?,
        },
        Command::RecordGoal { goal, expected } => EventKind::GoalRecorded {
            goal: text(goal, Field::Goal)?,
            expected: expected.clone(),
        },
        Command::Explain { words } => EventKind::Explained {
            words: text(words, Field::Explanation)?,
        },
        Command::ProposeOption { option, resolution } => {
            if case.options().contains_key(option) {
                return Err(Rejection::OptionExists {
                    option: option.clone(),
                });
            }
            not_blank(&resolution.description, Field::OptionDescription)?;
            positive(resolution.amount.as_ref())?;
            EventKind::OptionProposed {
                option: option.clone(),
                resolution: resolution.clone(),
            }
        }
        Command::ReviseOption { option, resolution } => {
            not_blank(&resolution.description, Field::OptionDescription)?;
            positive(resolution.amount.as_ref())?;
            EventKind::OptionRevised {
                option: option.clone(),
                resolution: resolution.clone(),
            }
        }
        Command::OfferOption { option } => EventKind::OptionOffered {
            option: option.clone(),
        },
        Command::AcceptOffer { option } => EventKind::OfferAccepted {
            option: option.clone(),
        },
        Command::DeclineOffer { option, reason } => EventKind::OfferDeclined {
            option: option.clone(),
            reason: reason.clone(),
        },
        Command::AgreeAction {
            action,
            description,
            option,
        } => {
            if case.actions().contains_key(action) {
                return Err(Rejection::ActionExists {
                    action: action.clone(),
                });
            }
            if let Some(option) = option {
                match option_status(case, option)? {
                    OptionStatus::Accepted => {}
                    status => {
                        return Err(Rejection::OptionNotAccepted {
                            option: option.clone(),
                            status,
                        });
                    }
                }
            }
            EventKind::ActionAgreed {
                action: action.clone(),
                description: text(description, Field::ActionDescription)?,
                option: option.clone(),
            }
        }
        Command::CarryOut { action, outcome } => EventKind::ActionCarriedOut {
            action: action.clone(),
            outcome: text(outcome, Field::Outcome)?,
        },
        Command::Goodwill {
            description,
            value,
            prior,
        } => {
            positive(value.as_ref())?;
            approvals::check_goodwill(case, value.as_ref(), prior, now, policy)?;
            EventKind::GoodwillGiven {
                description: text(description, Field::Goodwill)?,
                value: *value,
            }
        }
        Command::FinalThanks { words } => EventKind::FinalThanksGiven {
            words: text(words, Field::FinalThanks)?,
        },
        Command::Close { root_cause } => {
            if policy.playbook.requires_root_cause() && root_cause.is_blank() {
                return Err(Rejection::RootCauseMissing);
            }
            EventKind::Closed {
                root_cause: root_cause.clone(),
            }
        }
        Command::Reopen { reason } => EventKind::Reopened {
            reason: text(reason, Field::Reason)?,
        },
        Command::Withdraw { reason } => EventKind::Withdrawn {
            reason: text(reason, Field::Reason)?,
        },
        Command::ChangeChannel { channel } => {
            if channel == case.channel() {
                return Err(Rejection::SameChannel);
            }
            EventKind::ChannelChanged {
                from: case.channel().clone(),
                to: channel.clone(),
            }
        }
        Command::Reassign { to, reason } => {
            if to.id == case.owner().id {
                return Err(Rejection::SameOwner {
                    owner: to.name.to_string(),
                });
            }
            EventKind::Reassigned {
                from: case.owner().clone(),
                to: to.clone(),
                reason: text(reason, Field::Reason)?,
            }
        }
        Command::AddNote { text: note } => EventKind::NoteAdded {
            text: text(note, Field::Note)?,
        },
        // Approvals
        Command::RequestApproval { option, note } => {
            return approvals::request(case, option, note, actor, policy).map(Kinds::from);
        }
        Command::GrantApproval {
            option,
            level,
            expires,
            reason,
            on_behalf_of,
        } => {
            let args = approvals::GrantArgs {
                option,
                level: *level,
                expires: *expires,
                reason,
                on_behalf_of: on_behalf_of.as_ref(),
            };
            return approvals::grant(case, args, actor, now, policy).map(Kinds::from);
        }
        Command::DenyApproval {
            option,
            reason,
            on_behalf_of,
        } => {
            let on_behalf_of = on_behalf_of.as_ref();
            return approvals::deny(case, option, reason, on_behalf_of, actor, now, policy)
                .map(Kinds::from);
        }
        Command::WithdrawApprovalRequest { option, reason } => {
            return approvals::withdraw(option, reason).map(Kinds::from);
        }
        // Follow-ups: their rules live in their own file.
        Command::AwaitCustomer { .. }
        | Command::AwaitThirdParty { .. }
        | Command::Resume
        | Command::ReportTime
        | Command::MakeCommitment { .. }
        | Command::KeepCommitment { .. }
        | Command::BreakCommitment { .. }
        | Command::CancelCommitment { .. }
        | Command::RecordSurvey { .. } => {
            return follow_up::events(case, command, now, policy).map(Kinds::from);
        }
    }))
}

fn not_blank(value: &str, field: Field) -> Result<(), Rejection> {
    if value.trim().is_empty() {
        Err(Rejection::Blank { field })
    } else {
        Ok(())
    }
}

pub(crate) fn text(value: &str, field: Field) -> Result<String, Rejection> {
    not_blank(value, field)?;
    Ok(value.to_owned())
}

fn positive(amount: Option<&Money>) -> Result<(), Rejection> {
    match amount {
        Some(m) if m.minor() <= 0 => Err(Rejection::NonPositiveAmount),
        _ => Ok(()),
    }
}
