//! A given/when/then harness for testing playbooks and policies.
//!
//! Downstream products use it to check that their own playbook does what they mean:
//! given a history, when an actor issues a command, then exactly these events happen,
//! or the command is rejected for exactly this reason.
//!
//! The `then_*` methods return a `Result` instead of panicking, so a test can use `?`:
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use service_recovery::prelude::*;
//! use service_recovery::scenario::{Scenario, ScenarioFailure};
//!
//! # fn main() -> Result<(), ScenarioFailure> {
//! let dana = Actor::builder().id("a-7").name("Dana").build();
//! let at = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
//! let open = service_recovery::testing::open_case();
//!
//! Scenario::new(Policy::default())
//!     .given_commands(&dana, at, [open])?
//!     .when(&dana, at, Command::Explain(Explain { words: "The printer swapped labels.".into() }))
//!     .then_rejected(Rejection::StepOutOfOrder {
//!         step: StepKind::Explain,
//!         missing: vec![StepKind::Thank, StepKind::Apologize],
//!     })?;
//! # Ok(())
//! # }
//! ```

use crate::actor::Actor;
use crate::case::{Case, Command, Event, EventKind, HistoryError, Rejection, decide};
use crate::policy::Policy;
use chrono::{DateTime, Utc};
use thiserror::Error;

/// Why a scenario did not go as expected. `Display` shows what was expected and what
/// happened, so a failing test explains itself.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ScenarioFailure {
    /// The given history is not a valid history.
    #[error("the given history cannot be replayed: {0}")]
    BadHistory(#[from] HistoryError),
    /// A given command was rejected.
    #[error("given command #{index} ({command:?}) was rejected: {rejection}")]
    GivenRejected {
        /// Its position among the given commands, from 0.
        index: usize,
        /// The command.
        command: Box<Command>,
        /// Why it was rejected.
        rejection: Rejection,
    },
    /// Events were expected, but the command was rejected.
    #[error("expected events {expected:?}, but the command was rejected: {rejection}")]
    UnexpectedRejection {
        /// The expected events.
        expected: Vec<EventKind>,
        /// The rejection.
        rejection: Rejection,
    },
    /// Other events happened than expected.
    #[error("expected events {expected:?}, but got {actual:?}")]
    WrongEvents {
        /// The expected events.
        expected: Vec<EventKind>,
        /// The events that happened.
        actual: Vec<EventKind>,
    },
    /// A rejection was expected, but the command was accepted.
    #[error(
        "expected the rejection \"{expected}\", but the command was accepted with events {actual:?}"
    )]
    UnexpectedAcceptance {
        /// The expected rejection, in words (its code, or the description given).
        expected: String,
        /// The events that happened.
        actual: Vec<EventKind>,
    },
    /// Another rejection happened than expected.
    #[error("expected the rejection \"{expected}\", but got \"{actual}\"")]
    WrongRejection {
        /// The expected rejection, in words (its sentence, code or description).
        expected: String,
        /// The rejection that happened.
        actual: Rejection,
    },
}

/// A story about one case under one policy: what happened (given), what an actor
/// does (when), and what must follow (then), as many times as the story needs.
#[derive(Debug, Clone)]
pub struct Scenario {
    policy: Policy,
    case: Option<Case>,
}

impl Scenario {
    /// A scenario under `policy`, with no case yet.
    pub fn new(policy: Policy) -> Self {
        Self { policy, case: None }
    }

    /// Given this stored history.
    ///
    /// # Errors
    ///
    /// [`ScenarioFailure::BadHistory`] if the events are not a case's history.
    pub fn given(self, events: impl IntoIterator<Item = Event>) -> Result<Self, ScenarioFailure> {
        let mut case = self.case;
        for event in events {
            case = Some(crate::case::evolve(case, event)?);
        }
        Ok(Self {
            policy: self.policy,
            case,
        })
    }

    /// Given that `actor` issued these commands at `at`, each accepted.
    ///
    /// # Errors
    ///
    /// [`ScenarioFailure::GivenRejected`] naming the first command that was rejected.
    pub fn given_commands(
        mut self,
        actor: &Actor,
        at: DateTime<Utc>,
        commands: impl IntoIterator<Item = Command>,
    ) -> Result<Self, ScenarioFailure> {
        for (index, command) in commands.into_iter().enumerate() {
            self = self.accept(index, actor, at, command)?;
        }
        Ok(self)
    }

    /// Given that `actor` issued `command` at `at`, and it was accepted: one step of
    /// the story, with its own actor and time.
    ///
    /// # Errors
    ///
    /// [`ScenarioFailure::GivenRejected`] if it was rejected.
    pub fn given_command(
        self,
        actor: &Actor,
        at: DateTime<Utc>,
        command: Command,
    ) -> Result<Self, ScenarioFailure> {
        self.accept(0, actor, at, command)
    }

    fn accept(
        mut self,
        index: usize,
        actor: &Actor,
        at: DateTime<Utc>,
        command: Command,
    ) -> Result<Self, ScenarioFailure> {
        let events =
            decide(self.case.as_ref(), &command, actor, at, &self.policy).map_err(|rejection| {
                ScenarioFailure::GivenRejected {
                    index,
                    command: Box::new(command.clone()),
                    rejection,
                }
            })?;
        for event in events {
            self.case = Some(crate::case::evolve(self.case, event)?);
        }
        Ok(self)
    }

    /// The case as the story has left it so far.
    pub fn case(&self) -> Option<&Case> {
        self.case.as_ref()
    }

    /// The case as the story has left it, by value.
    pub fn into_case(self) -> Option<Case> {
        self.case
    }

    /// When `actor` issues `command` at `at`.
    pub fn when(self, actor: &Actor, at: DateTime<Utc>, command: Command) -> Outcome {
        let result = decide(self.case.as_ref(), &command, actor, at, &self.policy);
        Outcome {
            before: self,
            result,
        }
    }
}

/// The "then" half of a step: what the command produced. Every `then_*` that
/// succeeds hands back the [`Scenario`], so the story goes on with another `when`.
#[derive(Debug, Clone)]
pub struct Outcome {
    before: Scenario,
    result: Result<Vec<Event>, Rejection>,
}

impl Outcome {
    /// Then exactly these events happened (compared without their sequence numbers,
    /// times and actors, which the harness supplied). The story continues with them
    /// applied.
    ///
    /// # Errors
    ///
    /// A [`ScenarioFailure`] describing the difference.
    pub fn then_events(self, expected: Vec<EventKind>) -> Result<Scenario, ScenarioFailure> {
        match self.result {
            Err(rejection) => Err(ScenarioFailure::UnexpectedRejection {
                expected,
                rejection,
            }),
            Ok(events) => {
                let actual: Vec<EventKind> = events.iter().map(|e| e.kind.clone()).collect();
                if actual != expected {
                    return Err(ScenarioFailure::WrongEvents { expected, actual });
                }
                self.before.given(events)
            }
        }
    }

    /// Then the command was accepted, whatever it recorded; the story continues with
    /// its events applied.
    ///
    /// # Errors
    ///
    /// [`ScenarioFailure::UnexpectedRejection`] if it was rejected.
    pub fn then_accepted(self) -> Result<Scenario, ScenarioFailure> {
        match self.result {
            Err(rejection) => Err(ScenarioFailure::UnexpectedRejection {
                expected: Vec::new(),
                rejection,
            }),
            Ok(events) => self.before.given(events),
        }
    }

    /// Then the command was rejected with exactly this rejection; the story continues
    /// with the case unchanged.
    ///
    /// # Errors
    ///
    /// A [`ScenarioFailure`] if the command was accepted or rejected for another reason.
    pub fn then_rejected(self, expected: Rejection) -> Result<Scenario, ScenarioFailure> {
        match self.result {
            Ok(events) => Err(ScenarioFailure::UnexpectedAcceptance {
                expected: expected.to_string(),
                actual: events.into_iter().map(|e| e.kind).collect(),
            }),
            Err(actual) if actual == expected => Ok(self.before),
            Err(actual) => Err(ScenarioFailure::WrongRejection {
                expected: expected.to_string(),
                actual,
            }),
        }
    }

    /// Then the command was rejected with this [code](Rejection::code), whatever the
    /// details: `then_rejected_with("approval_needed")`.
    ///
    /// # Errors
    ///
    /// A [`ScenarioFailure`] if the command was accepted or rejected with another code.
    pub fn then_rejected_with(self, code: &str) -> Result<Scenario, ScenarioFailure> {
        self.then_rejected_where(code, |r| r.code() == code)
    }

    /// Then the command was rejected, and the rejection satisfies `check`; `expected`
    /// says in words what was expected, for the failure message.
    ///
    /// # Errors
    ///
    /// A [`ScenarioFailure`] if the command was accepted or the check fails.
    pub fn then_rejected_where(
        self,
        expected: &str,
        check: impl FnOnce(&Rejection) -> bool,
    ) -> Result<Scenario, ScenarioFailure> {
        match self.result {
            Ok(events) => Err(ScenarioFailure::UnexpectedAcceptance {
                expected: expected.to_owned(),
                actual: events.into_iter().map(|e| e.kind).collect(),
            }),
            Err(actual) if check(&actual) => Ok(self.before),
            Err(actual) => Err(ScenarioFailure::WrongRejection {
                expected: expected.to_owned(),
                actual,
            }),
        }
    }

    /// The raw result, for checks the other methods do not cover.
    pub fn result(&self) -> &Result<Vec<Event>, Rejection> {
        &self.result
    }
}
