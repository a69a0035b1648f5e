//! Auditing a stored history: [`verify`] re-checks, event by event, every rule that
//! [`decide`] enforced when the history was written.
//!
//! A history that [`decide`] produced satisfies its rules by construction, but a
//! stored history may have been edited, forged, or written by other software.
//! [`Case::replay`] trusts it (replaying is bookkeeping, at memory speed); `verify`
//! does not. It replays the history and, before applying each event, asks [`decide`]
//! again: the command that records this event, by this person, at this instant, on the
//! case as it stood just before, must be accepted and must record exactly this event
//! (and the ones recorded with it). So every rule is checked by the same code that
//! enforced it, and no rule has a second, drifting copy here.
//!
//! The person's authority comes from the events themselves: grants, denials, offers
//! and goodwill record the roles and limits the actor relied on
//! ([`Authority`](crate::approval::Authority)), and a delegation records the
//! delegator's. Events written before that evidence existed are still checked for
//! everything else, and each check that could not be made is listed in the
//! [`VerifyReport`], never passed silently.

use std::fmt;

use chrono::{DateTime, Utc};
use thiserror::Error;

use crate::actor::Actor;
use crate::approval::{Authority, AuthorityLimits, Ledger};
use crate::case::approvals::{DenyApproval, GrantApproval, RequestApproval};
use crate::case::conversation::{
    AddNote, Apologize, AskQuestion, Explain, FinalThanks, RecordAnswer, RecordGoal, Thank,
};
use crate::case::follow_ups::{
    AwaitCustomer, AwaitThirdParty, BreakCommitment, CancelCommitment, KeepCommitment,
    MakeCommitment, RecordSurvey, ReportTime, Resume,
};
use crate::case::lifecycle::{ChangeChannel, Close, Escalate, Reassign, Reopen, Withdraw};
use crate::case::offers::{
    AcceptOffer, AgreeAction, CarryOut, DeclineOffer, Goodwill, OfferOption, ProposeOption,
    ReviseOption,
};
use crate::case::{
    Case, Command, Event, EventKind, HistoryError, Rejection, WithdrawApprovalRequest, decide,
};
use crate::money::{Currency, Money};
use crate::policy::Policy;

/// The first way in which a history breaks a rule that [`decide`] enforces, with the
/// sequence number of the event at fault ([`Violation::sequence`]) and a plain
/// sentence.
///
/// ```
/// use service_recovery::{verify, Violation};
/// use service_recovery::testing::*;
///
/// let empty = verify(&[], &airline_policy()).unwrap_err();
/// assert_eq!(empty, Violation::EmptyHistory);
/// assert_eq!(empty.sequence(), 1);
/// assert_eq!(empty.to_string(), "the history is empty; it must start with the case's opening");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Violation {
    /// There are no events at all.
    #[error("the history is empty; it must start with the case's opening")]
    EmptyHistory,
    /// The first event is not the case's opening.
    #[error("event {sequence} is a \"{kind}\" event, but a history starts with the case's opening")]
    NotOpenedFirst {
        /// Its sequence number.
        sequence: u64,
        /// Its kind.
        kind: &'static str,
    },
    /// The case is opened a second time.
    #[error("event {sequence} opens the case again, but a history has one opening")]
    OpenedAgain {
        /// Its sequence number.
        sequence: u64,
    },
    /// A sequence number is out of place: missing, repeated or out of order.
    #[error(
        "event {sequence} stands where event {expected} should; \
         sequence numbers run from 1 without gaps"
    )]
    SequenceGap {
        /// The sequence number found.
        sequence: u64,
        /// The one that belongs there.
        expected: u64,
    },
    /// An event is dated before the event before it.
    #[error(
        "event {sequence} is dated {}, before the event before it ({}); \
         time never runs backwards in a history",
        stamp(.at), stamp(.previous)
    )]
    TimeWentBackwards {
        /// Its sequence number.
        sequence: u64,
        /// Its date.
        at: DateTime<Utc>,
        /// The date of the event before it.
        previous: DateTime<Utc>,
    },
    /// [`decide`] refuses the command that records this event, on the case as it stood
    /// just before it: the rejection says which rule is broken.
    #[error("event {sequence} ({kind}) breaks a rule: {rejection}")]
    Refused {
        /// Its sequence number.
        sequence: u64,
        /// Its kind.
        kind: &'static str,
        /// What [`decide`] says about it.
        rejection: Box<Rejection>,
    },
    /// The event is not exactly what [`decide`] records for its command: its terms,
    /// time or actor were changed, or something it depends on was.
    #[error(
        "event {sequence} ({kind}) is not what decide records for it here; \
         it differs in {}",
        fields_sentence(.fields)
    )]
    Altered {
        /// Its sequence number.
        sequence: u64,
        /// Its kind.
        kind: &'static str,
        /// The fields that differ (`at`, `actor`, or the event's own fields).
        fields: Vec<String>,
    },
    /// Another kind of event stands where [`decide`] records one together with the
    /// event before it (the voiding of approvals after a revision, the follow-up of a
    /// low survey score, the next warning of a time report).
    #[error(
        "event {sequence} is a \"{found}\" event, but decide records \"{expected}\" there, \
         together with the event before it"
    )]
    Unexpected {
        /// Its sequence number.
        sequence: u64,
        /// Its kind.
        found: &'static str,
        /// The kind that belongs there.
        expected: &'static str,
    },
    /// The history ends where [`decide`] records one more event together with the
    /// event before it.
    #[error(
        "the history ends before event {sequence}, but decide records \"{expected}\" there, \
         together with the event before it"
    )]
    Missing {
        /// The sequence number the missing event would have.
        sequence: u64,
        /// Its kind.
        expected: &'static str,
    },
    /// No command records this event at this point of the history (an
    /// `approvals_voided` without the revision that causes it, a warning of a response
    /// target that had not been crossed).
    #[error(
        "event {sequence} ({kind}) is not recorded by any command at this point of the history"
    )]
    Unexplained {
        /// Its sequence number.
        sequence: u64,
        /// Its kind.
        kind: &'static str,
    },
}

impl Violation {
    /// The sequence number of the event at fault (for an empty history, 1: the opening
    /// that is missing).
    pub fn sequence(&self) -> u64 {
        match self {
            Violation::EmptyHistory => 1,
            Violation::NotOpenedFirst { sequence, .. }
            | Violation::OpenedAgain { sequence }
            | Violation::SequenceGap { sequence, .. }
            | Violation::TimeWentBackwards { sequence, .. }
            | Violation::Refused { sequence, .. }
            | Violation::Altered { sequence, .. }
            | Violation::Unexpected { sequence, .. }
            | Violation::Missing { sequence, .. }
            | Violation::Unexplained { sequence, .. } => *sequence,
        }
    }
}

fn stamp(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

fn fields_sentence(fields: &[String]) -> String {
    if fields.is_empty() {
        "its contents".to_owned()
    } else {
        fields.join(", ")
    }
}

/// A check [`verify`] could not make for one event, because the event does not carry
/// what it needs (see [`UncheckedKind`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unchecked {
    /// The event's sequence number.
    pub sequence: u64,
    /// Which check.
    pub kind: UncheckedKind,
}

/// Which check could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UncheckedKind {
    /// A grant or denial written before events recorded authority: whether the
    /// approver held the role and the approval limit the level needs. (A delegated
    /// grant records the delegator's authority in its delegation, so it is checked.)
    ApproverAuthority,
    /// An offer written before events recorded authority: whether the option lay
    /// within the offering person's own limits. The approvals it had are checked.
    OfferingLimits,
    /// A goodwill gesture written before events recorded authority: whether its value
    /// lay within the giver's own limits.
    GoodwillLimits,
    /// A goodwill gesture under a per-customer goodwill limit: the limit is checked
    /// against this case's history alone; the customer's goodwill on other cases is
    /// not in it.
    GoodwillOnOtherCases,
}

impl fmt::Display for Unchecked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const NO_EVIDENCE: &str =
            "the event records no authority (it was written before events recorded it)";
        let sequence = self.sequence;
        match self.kind {
            UncheckedKind::ApproverAuthority => write!(
                f,
                "event {sequence}: whether the approver held the role and the approval limit \
                 was not checked, because {NO_EVIDENCE}"
            ),
            UncheckedKind::OfferingLimits => write!(
                f,
                "event {sequence}: whether the offer lay within the offering person's own limits \
                 was not checked, because {NO_EVIDENCE}"
            ),
            UncheckedKind::GoodwillLimits => write!(
                f,
                "event {sequence}: whether the goodwill lay within the giver's own limits \
                 was not checked, because {NO_EVIDENCE}"
            ),
            UncheckedKind::GoodwillOnOtherCases => write!(
                f,
                "event {sequence}: the customer's goodwill limit was checked against this case \
                 alone; their goodwill on other cases is not in this history"
            ),
        }
    }
}

/// What [`verify`] found in a history that breaks no rule: how many events it
/// checked, and every check it could not make ([`VerifyReport::unchecked`]).
///
/// `Display` says it in one sentence: `all 12 events verified`, or `12 events
/// verified; 1 check could not be made: event 7: ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    events: usize,
    unchecked: Vec<Unchecked>,
}

impl VerifyReport {
    /// How many events were verified.
    pub fn events(&self) -> usize {
        self.events
    }

    /// The checks that could not be made, in the order of the events.
    pub fn unchecked(&self) -> &[Unchecked] {
        &self.unchecked
    }

    /// Whether every check was made.
    pub fn is_complete(&self) -> bool {
        self.unchecked.is_empty()
    }
}

impl fmt::Display for VerifyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let events = self.events;
        let noun = if events == 1 { "event" } else { "events" };
        if self.unchecked.is_empty() {
            return write!(f, "all {events} {noun} verified");
        }
        let count = self.unchecked.len();
        let checks = if count == 1 { "check" } else { "checks" };
        write!(
            f,
            "{events} {noun} verified; {count} {checks} could not be made: "
        )?;
        for (i, unchecked) in self.unchecked.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{unchecked}")?;
        }
        Ok(())
    }
}

/// Re-checks a stored history against `policy`: every rule [`decide`] enforces, at
/// every event, on the case as it stood just before it.
///
/// That covers: sequence numbers from 1 without gaps; times that never run
/// backwards; one opening, first; the playbook's order and steps; every offer covered
/// at its instant by a request whose levels are all granted, unexpired, in order, by
/// distinct people holding the role and the approval limit (from the authority the
/// grant recorded), none of them the requester or a proposer, N people at an N-person
/// level; delegations used by the person they name and within their dates; offers and
/// goodwill within the limits they recorded, or covered by approvals; agreement before
/// action; and that each event is exactly what [`decide`] records (terms raised after
/// approval, a grant's level edited, a missing `approvals_voided` are all caught).
///
/// The opening itself is taken as recorded: its priority and signals depend on intake
/// facts that the history does not keep. `verify` trusts the authority an event
/// records, as the host vouched for it then; a hash-chained store protects it from
/// being edited later.
///
/// ```
/// use service_recovery::prelude::*;
/// use service_recovery::testing::*;
/// use service_recovery::{verify, Violation};
///
/// // Dana proposes USD 80.00 (above her USD 50.00), Sue approves, Dana offers.
/// let policy = airline_policy();
/// let mut case: Option<Case> = None;
/// let mut steps: Vec<(Actor, Command)> = airline_ready().into_iter().map(|c| (dana(), c)).collect();
/// steps.extend([
///     (dana(), propose("o-1", refund(8_000))),
///     (dana(), request("o-1")),
///     (sue(), grant("o-1", 1)),
///     (dana(), offer("o-1")),
/// ]);
/// for (minute, (actor, command)) in steps.into_iter().enumerate() {
///     for event in decide(case.as_ref(), &command, &actor, at(minute as i64), &policy)? {
///         case = Some(evolve(case, event).unwrap());
///     }
/// }
/// let history = case.unwrap().history().to_vec();
/// let report = verify(&history, &policy).unwrap();
/// assert_eq!(report.to_string(), "all 8 events verified");
///
/// // Someone deletes Sue's grant from the store and renumbers the rest.
/// let mut forged = history.clone();
/// forged.remove(6);
/// forged[6].sequence = 7;
/// let violation = verify(&forged, &policy).unwrap_err();
/// assert_eq!(violation.sequence(), 7);
/// assert_eq!(
///     violation.to_string(),
///     "event 7 (option_offered) breaks a rule: the refund of USD 80.00 needs approval \
///      from a supervisor; requested by Dana at 14:05 UTC on 2026-03-02; not yet granted"
/// );
/// # Ok::<(), Rejection>(())
/// ```
///
/// # Errors
///
/// The first [`Violation`], with the sequence number of the event at fault.
pub fn verify(history: &[Event], policy: &Policy) -> Result<VerifyReport, Violation> {
    let first = history.first().ok_or(Violation::EmptyHistory)?;
    in_place(first, 0, None)?;
    if !matches!(first.kind, EventKind::Opened(_)) {
        return Err(Violation::NotOpenedFirst {
            sequence: first.sequence,
            kind: first.kind.name(),
        });
    }
    let mut case = Case::from_opening(first.clone()).map_err(broken_history)?;
    let mut audit = Audit {
        history,
        policy,
        unbounded: None,
        unchecked: Vec::new(),
    };
    let mut index = 1;
    while let Some(event) = history.get(index) {
        in_place(event, index, history.get(index - 1))?;
        let recorded = audit.redecide(&case, event, history.get(index + 1))?;
        for event in history.get(index..index + recorded).into_iter().flatten() {
            case.apply(event.clone()).map_err(broken_history)?;
        }
        index += recorded;
    }
    Ok(VerifyReport {
        events: history.len(),
        unchecked: audit.unchecked,
    })
}

/// The event at `index` (from 0) has the sequence number that belongs there and is
/// not dated before `previous`, the event before it.
fn in_place(event: &Event, index: usize, previous: Option<&Event>) -> Result<(), Violation> {
    let expected = u64::try_from(index).map_or(u64::MAX, |i| i.saturating_add(1));
    if event.sequence != expected {
        return Err(Violation::SequenceGap {
            sequence: event.sequence,
            expected,
        });
    }
    if let Some(previous) = previous.filter(|p| event.at < p.at) {
        return Err(Violation::TimeWentBackwards {
            sequence: event.sequence,
            at: event.at,
            previous: previous.at,
        });
    }
    Ok(())
}

/// A history error, as a violation: [`verify`] checks the order of events before it
/// applies them, so this only translates.
fn broken_history(error: HistoryError) -> Violation {
    match error {
        HistoryError::Empty => Violation::EmptyHistory,
        HistoryError::NotOpenedFirst { sequence, kind } => {
            Violation::NotOpenedFirst { sequence, kind }
        }
        HistoryError::OpenedTwice { sequence } => Violation::OpenedAgain { sequence },
        HistoryError::SequenceGap { previous, found } => Violation::SequenceGap {
            sequence: found,
            expected: previous.saturating_add(1),
        },
    }
}

/// One pass over a history: what it needs to re-decide each event, and what it could
/// not check.
struct Audit<'a> {
    history: &'a [Event],
    policy: &'a Policy,
    /// The limits of someone with no limit in any currency the history uses, once
    /// needed.
    unbounded: Option<AuthorityLimits>,
    unchecked: Vec<Unchecked>,
}

/// Whether an event records the authority it relied on.
enum Evidence<'a> {
    /// Its kind records none: no rule for it reads the actor's roles or limits.
    NotRecorded,
    /// The roles and limits it relied on.
    Recorded(&'a Authority),
    /// Its kind records authority, but it was written before that existed.
    Missing,
}

fn evidence(kind: &EventKind) -> Evidence<'_> {
    if let EventKind::OptionOffered { authority, .. }
    | EventKind::GoodwillGiven { authority, .. }
    | EventKind::ApprovalGranted { authority, .. }
    | EventKind::ApprovalDenied { authority, .. } = kind
    {
        return match authority {
            Some(authority) => Evidence::Recorded(authority),
            None => Evidence::Missing,
        };
    }
    Evidence::NotRecorded
}

/// Drops the authority from an event [`decide`] produced, to compare it with a
/// recorded event written before authority was recorded.
fn without_authority(kind: &mut EventKind) {
    if let EventKind::OptionOffered { authority, .. }
    | EventKind::GoodwillGiven { authority, .. }
    | EventKind::ApprovalGranted { authority, .. }
    | EventKind::ApprovalDenied { authority, .. } = kind
    {
        *authority = None;
    }
}

impl Audit<'_> {
    /// Decides the command that records `event` on `case` and compares what it
    /// records with the history from `event` on; returns how many events it recorded.
    fn redecide(
        &mut self,
        case: &Case,
        event: &Event,
        next: Option<&Event>,
    ) -> Result<usize, Violation> {
        let command = command_for(event, next)?;
        let evidence = evidence(&event.kind);
        let actor = match &evidence {
            Evidence::Recorded(authority) => {
                person(event, authority.roles.clone(), authority.limits.clone())
            }
            Evidence::NotRecorded => person(event, Default::default(), AuthorityLimits::none()),
            Evidence::Missing => self.unbounded(event),
        };
        self.note_unchecked(case, event, &evidence);
        let refused = |rejection| Violation::Refused {
            sequence: event.sequence,
            kind: event.kind.name(),
            rejection: Box::new(rejection),
        };
        let mut produced =
            decide(Some(case), &command, &actor, event.at, self.policy).map_err(refused)?;
        if produced.is_empty() {
            return Err(Violation::Unexplained {
                sequence: event.sequence,
                kind: event.kind.name(),
            });
        }
        if matches!(evidence, Evidence::Missing) {
            for produced in &mut produced {
                without_authority(&mut produced.kind);
            }
        }
        let compared = self.compare(&produced);
        if compared.is_err() {
            if let Some(again) = self.request_within_own_limits(case, event, &command)? {
                return Ok(again);
            }
        }
        compared
    }

    /// A request records the requirement computed against the requester's limits,
    /// which the event does not keep; but those limits only decide whether the
    /// amount rules apply. Decided first with no limits (they apply), the request is
    /// decided again, if its requirement differs, with the amount within the
    /// requester's limits (they do not).
    fn request_within_own_limits(
        &self,
        case: &Case,
        event: &Event,
        command: &Command,
    ) -> Result<Option<usize>, Violation> {
        let EventKind::ApprovalRequested { option, .. } = &event.kind else {
            return Ok(None);
        };
        let Some(amount) = case.options().get(option).and_then(|o| o.resolution.amount) else {
            return Ok(None);
        };
        let all = vec![Money::new(i64::MAX, amount.currency())];
        let limits = AuthorityLimits {
            offer_per_option: all.clone(),
            offer_per_case: all,
            approve_up_to: Vec::new(),
        };
        let actor = person(event, Default::default(), limits);
        match decide(Some(case), command, &actor, event.at, self.policy) {
            Ok(produced) => Ok(self.compare(&produced).ok()),
            Err(_) => Ok(None),
        }
    }

    /// Compares what [`decide`] produced with the history where it would stand; the
    /// first event's place is checked already.
    fn compare(&self, produced: &[Event]) -> Result<usize, Violation> {
        for (offset, expected) in produced.iter().enumerate() {
            let position =
                usize::try_from(expected.sequence.saturating_sub(1)).unwrap_or(usize::MAX);
            let Some(recorded) = self.history.get(position) else {
                return Err(Violation::Missing {
                    sequence: expected.sequence,
                    expected: expected.kind.name(),
                });
            };
            if offset > 0 {
                in_place(
                    recorded,
                    position,
                    position.checked_sub(1).and_then(|p| self.history.get(p)),
                )?;
            }
            if recorded == expected {
                continue;
            }
            if recorded.kind.event_type() != expected.kind.event_type() {
                return Err(Violation::Unexpected {
                    sequence: recorded.sequence,
                    found: recorded.kind.name(),
                    expected: expected.kind.name(),
                });
            }
            return Err(Violation::Altered {
                sequence: recorded.sequence,
                kind: recorded.kind.name(),
                fields: differences(recorded, expected),
            });
        }
        Ok(produced.len())
    }

    /// Someone with every ranked role and no limit in any currency the history uses:
    /// how an event that records no authority is decided, so that everything but the
    /// authority is still checked (and the authority is listed as unchecked).
    fn unbounded(&mut self, event: &Event) -> Actor {
        let history = self.history;
        let limits = self.unbounded.get_or_insert_with(|| {
            let mut currencies: Vec<Currency> = history
                .iter()
                .flat_map(amounts)
                .map(|m| m.currency())
                .collect();
            currencies.sort_unstable();
            currencies.dedup();
            let all: Vec<Money> = currencies
                .into_iter()
                .map(|c| Money::new(i64::MAX, c))
                .collect();
            AuthorityLimits {
                offer_per_option: all.clone(),
                offer_per_case: all.clone(),
                approve_up_to: all,
            }
        });
        let roles = self
            .policy
            .approvals
            .ranks()
            .roles()
            .iter()
            .cloned()
            .collect();
        person(event, roles, limits.clone())
    }

    /// Lists the checks that cannot be made for `event`.
    fn note_unchecked(&mut self, case: &Case, event: &Event, evidence: &Evidence<'_>) {
        let mut note = |kind| {
            self.unchecked.push(Unchecked {
                sequence: event.sequence,
                kind,
            })
        };
        if !matches!(evidence, Evidence::Missing) {
            if let EventKind::GoodwillGiven {
                value: Some(value), ..
            } = &event.kind
            {
                if self
                    .policy
                    .compensation
                    .goodwill_limit_in(value.currency())
                    .is_some()
                {
                    note(UncheckedKind::GoodwillOnOtherCases);
                }
            }
            return;
        }
        if let EventKind::ApprovalGranted {
            on_behalf_of: None, ..
        }
        | EventKind::ApprovalDenied {
            on_behalf_of: None, ..
        } = &event.kind
        {
            note(UncheckedKind::ApproverAuthority);
        }
        if let EventKind::OptionOffered { option, .. } = &event.kind {
            if case
                .options()
                .get(option)
                .and_then(|o| o.resolution.amount)
                .is_some()
            {
                note(UncheckedKind::OfferingLimits);
            }
        }
        if let EventKind::GoodwillGiven {
            value: Some(value), ..
        } = &event.kind
        {
            note(UncheckedKind::GoodwillLimits);
            if self
                .policy
                .compensation
                .goodwill_limit_in(value.currency())
                .is_some()
            {
                note(UncheckedKind::GoodwillOnOtherCases);
            }
        }
    }
}

/// The acting person of `event`, with the roles and limits to decide it with.
fn person(
    event: &Event,
    roles: std::collections::BTreeSet<crate::approval::Role>,
    limits: AuthorityLimits,
) -> Actor {
    Actor {
        id: event.actor.id.clone(),
        name: event.actor.name.clone(),
        roles,
        limits,
    }
}

/// Every amount of money an event names.
fn amounts(event: &Event) -> Vec<Money> {
    let mut found = Vec::new();
    if let EventKind::OptionProposed { resolution, .. }
    | EventKind::OptionRevised { resolution, .. } = &event.kind
    {
        found.extend(resolution.amount);
    }
    if let EventKind::ApprovalRequested {
        resolution,
        requirement,
        ..
    } = &event.kind
    {
        found.extend(resolution.amount);
        found.extend(requirement.levels.iter().filter_map(|l| l.amount));
    }
    if let EventKind::ApprovalGranted { granted, .. } = &event.kind {
        found.extend(granted.amount);
    }
    if let EventKind::GoodwillGiven { value, .. } = &event.kind {
        found.extend(*value);
    }
    found
}

/// The fields in which two events of the same kind differ: `at`, `actor`, or the
/// event's own fields by name.
fn differences(recorded: &Event, expected: &Event) -> Vec<String> {
    let mut fields = Vec::new();
    if recorded.at != expected.at {
        fields.push("at".to_owned());
    }
    if recorded.actor != expected.actor {
        fields.push("actor".to_owned());
    }
    let (Ok(serde_json::Value::Object(recorded)), Ok(serde_json::Value::Object(expected))) = (
        serde_json::to_value(&recorded.kind),
        serde_json::to_value(&expected.kind),
    ) else {
        return fields;
    };
    let mut names: Vec<&String> = recorded.keys().chain(expected.keys()).collect();
    names.sort_unstable();
    names.dedup();
    fields.extend(
        names
            .into_iter()
            .filter(|name| recorded.get(name.as_str()) != expected.get(name.as_str()))
            .cloned(),
    );
    fields
}

/// The command that records `event` (with `next`, the event after it, for the one
/// command that names the event it records second).
fn command_for(event: &Event, next: Option<&Event>) -> Result<Command, Violation> {
    let sequence = event.sequence;
    let unexplained = || Violation::Unexplained {
        sequence,
        kind: event.kind.name(),
    };
    Ok(match &event.kind {
        EventKind::Opened(_) => return Err(Violation::OpenedAgain { sequence }),
        // Recorded only together with the event before them.
        EventKind::ApprovalsVoided { .. } | EventKind::RecoverySpawned { .. } => {
            return Err(unexplained());
        }
        EventKind::Thanked { words } => Command::Thank(Thank {
            words: words.clone(),
        }),
        EventKind::Apologized { words } => Command::Apologize(Apologize {
            words: words.clone(),
        }),
        EventKind::QuestionAsked {
            question,
            kind,
            text,
        } => Command::AskQuestion(AskQuestion {
            question: question.clone(),
            kind: *kind,
            text: text.clone(),
        }),
        EventKind::AnswerRecorded { question, answer } => Command::RecordAnswer(RecordAnswer {
            question: question.clone(),
            answer: answer.clone(),
        }),
        EventKind::GoalRecorded { goal, expected } => Command::RecordGoal(RecordGoal {
            goal: goal.clone(),
            expected: expected.clone(),
        }),
        EventKind::Explained { words } => Command::Explain(Explain {
            words: words.clone(),
        }),
        EventKind::OptionProposed { option, resolution } => Command::ProposeOption(ProposeOption {
            option: option.clone(),
            resolution: resolution.clone(),
        }),
        EventKind::OptionRevised { option, resolution } => Command::ReviseOption(ReviseOption {
            option: option.clone(),
            resolution: resolution.clone(),
        }),
        EventKind::OptionOffered { option, .. } => Command::OfferOption(OfferOption {
            option: option.clone(),
        }),
        EventKind::OfferAccepted { option } => Command::AcceptOffer(AcceptOffer {
            option: option.clone(),
        }),
        EventKind::OfferDeclined { option, reason } => Command::DeclineOffer(DeclineOffer {
            option: option.clone(),
            reason: reason.clone(),
        }),
        EventKind::ActionAgreed {
            action,
            description,
            option,
        } => Command::AgreeAction(AgreeAction {
            action: action.clone(),
            description: description.clone(),
            option: option.clone(),
        }),
        EventKind::ActionCarriedOut { action, outcome } => Command::CarryOut(CarryOut {
            action: action.clone(),
            outcome: outcome.clone(),
        }),
        // The customer's goodwill on other cases is not in this history: the limit is
        // checked against this case alone, and the report says so.
        EventKind::GoodwillGiven {
            description, value, ..
        } => Command::Goodwill(Goodwill {
            description: description.clone(),
            value: *value,
            prior: Ledger::new(),
        }),
        EventKind::FinalThanksGiven { words } => Command::FinalThanks(FinalThanks {
            words: words.clone(),
        }),
        EventKind::Closed { root_cause } => Command::Close(Close {
            root_cause: root_cause.clone(),
        }),
        EventKind::Reopened { reason } => Command::Reopen(Reopen {
            reason: reason.clone(),
        }),
        EventKind::Withdrawn { reason } => Command::Withdraw(Withdraw {
            reason: reason.clone(),
        }),
        EventKind::ChannelChanged { to, .. } => Command::ChangeChannel(ChangeChannel {
            channel: to.clone(),
        }),
        EventKind::Reassigned { to, reason, .. } => Command::Reassign(Reassign {
            to: to.clone(),
            reason: reason.clone(),
        }),
        EventKind::Escalated {
            to,
            priority,
            reason,
            ..
        } => Command::Escalate(Escalate {
            to: to.clone(),
            priority: *priority,
            reason: reason.clone(),
        }),
        EventKind::NoteAdded { text } => Command::AddNote(AddNote { text: text.clone() }),
        EventKind::ApprovalRequested { option, note, .. } => {
            Command::RequestApproval(RequestApproval {
                option: option.clone(),
                note: note.clone(),
            })
        }
        EventKind::ApprovalGranted {
            option,
            level,
            expires,
            reason,
            on_behalf_of,
            ..
        } => Command::GrantApproval(GrantApproval {
            option: option.clone(),
            level: *level,
            expires: *expires,
            reason: reason.clone(),
            on_behalf_of: on_behalf_of.as_deref().cloned(),
        }),
        EventKind::ApprovalDenied {
            option,
            reason,
            on_behalf_of,
            ..
        } => Command::DenyApproval(DenyApproval {
            option: option.clone(),
            reason: reason.clone(),
            on_behalf_of: on_behalf_of.as_deref().cloned(),
        }),
        EventKind::ApprovalRequestWithdrawn { option, reason } => {
            Command::WithdrawApprovalRequest(WithdrawApprovalRequest {
                option: option.clone(),
                reason: reason.clone(),
            })
        }
        EventKind::AwaitingCustomer { reason } => Command::AwaitCustomer(AwaitCustomer {
            reason: reason.clone(),
        }),
        EventKind::AwaitingThirdParty { party, reason } => {
            Command::AwaitThirdParty(AwaitThirdParty {
                party: party.clone(),
                reason: reason.clone(),
            })
        }
        EventKind::Resumed {} => Command::Resume(Resume {}),
        EventKind::SlaWarned { .. } | EventKind::SlaBreached { .. } => {
            Command::ReportTime(ReportTime {})
        }
        EventKind::CommitmentMade {
            commitment,
            what,
            owner,
            promised_for,
            ..
        } => Command::MakeCommitment(MakeCommitment {
            commitment: commitment.clone(),
            what: what.clone(),
            owner: owner.clone(),
            promised_for: *promised_for,
        }),
        EventKind::CommitmentKept { commitment, .. } => Command::KeepCommitment(KeepCommitment {
            commitment: commitment.clone(),
        }),
        EventKind::CommitmentBroken { commitment, reason } => {
            Command::BreakCommitment(BreakCommitment {
                commitment: commitment.clone(),
                reason: reason.clone(),
            })
        }
        EventKind::CommitmentCancelled { commitment, reason } => {
            Command::CancelCommitment(CancelCommitment {
                commitment: commitment.clone(),
                reason: reason.clone(),
            })
        }
        EventKind::SurveyRecorded { score, comment } => Command::RecordSurvey(RecordSurvey {
            score: *score,
            comment: comment.clone(),
            // The spawned case's identifier is the host's own: the one recorded next.
            follow_up_case: next.and_then(|next| {
                if let EventKind::RecoverySpawned { case, .. } = &next.kind {
                    Some(case.clone())
                } else {
                    None
                }
            }),
        }),
    })
}
