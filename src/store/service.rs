//! The command service: load, replay, decide, append, and retry on a conflict.

use crate::actor::Actor;
use crate::case::{Case, Command, Event, EventKind, HistoryError, Rejection, decide};
use crate::id::CaseId;
use crate::policy::Policy;
use crate::store::{EventStore, StoreError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use typed_builder::TypedBuilder;

/// What to do when an append meets a [`StoreError::Conflict`]: load the case again,
/// decide the command again against the new state, and append again, at most
/// `max_retries` times. The command is decided afresh each time, so a retry can be
/// rejected where the first attempt was not (someone else already apologized).
///
/// ```
/// use service_recovery::store::RetryPolicy;
///
/// assert_eq!(RetryPolicy::default().max_retries, 3);
/// assert_eq!(RetryPolicy::never().max_retries, 0);
/// assert_eq!(RetryPolicy::builder().max_retries(5).build(), RetryPolicy::times(5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TypedBuilder)]
#[serde(deny_unknown_fields)]
pub struct RetryPolicy {
    /// How many times to retry after a conflict. Default: 3.
    #[builder(default = 3)]
    #[serde(default = "default_retries")]
    pub max_retries: u32,
}

fn default_retries() -> u32 {
    3
}

impl RetryPolicy {
    /// Never retry: a conflict goes straight back to the caller.
    pub fn never() -> Self {
        Self::times(0)
    }

    /// Retry at most `max_retries` times.
    pub fn times(max_retries: u32) -> Self {
        Self { max_retries }
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::builder().build()
    }
}

/// Why [`CommandService::handle`] did not record a command.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ServiceError {
    /// The rules refused the command: show this to the person who issued it.
    #[error(transparent)]
    Rejected(#[from] Rejection),
    /// The store failed, or kept conflicting after every retry.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The stored history is not a case's history.
    #[error("the stored history cannot be replayed: {0}")]
    History(#[from] HistoryError),
    /// The history stored under one case id opens another case, or a command opens a
    /// case under another id than the one it is handled for.
    #[error("case {requested} was asked for, but the history opens case {found}")]
    CaseMismatch {
        /// The case id the host passed.
        requested: CaseId,
        /// The case id in the opening.
        found: CaseId,
    },
}

/// Runs commands against stored cases: the cycle a host would otherwise write itself.
///
/// Shareable between threads when the store is (every [`EventStore`] is `Send + Sync`).
/// See the [module documentation](crate::store) for an example.
#[derive(Debug, Clone)]
pub struct CommandService<S> {
    store: S,
    policy: Policy,
    retry: RetryPolicy,
}

impl<S: EventStore> CommandService<S> {
    /// A service over `store` that decides with `policy` and retries conflicts as
    /// `retry` says.
    pub fn new(store: S, policy: Policy, retry: RetryPolicy) -> Self {
        Self {
            store,
            policy,
            retry,
        }
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The policy commands are decided with.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The retry policy.
    pub fn retry(&self) -> RetryPolicy {
        self.retry
    }

    /// The case as stored now, or `None` if it has no history.
    ///
    /// # Errors
    ///
    /// [`ServiceError::Store`] if it cannot be loaded, [`ServiceError::History`] if it
    /// cannot be replayed, [`ServiceError::CaseMismatch`] if the history is another
    /// case's.
    pub fn case(&self, case: &CaseId) -> Result<Option<Case>, ServiceError> {
        let history = self.store.load(case)?;
        if history.is_empty() {
            return Ok(None);
        }
        let replayed = Case::replay(history)?;
        if replayed.id() != case {
            return Err(ServiceError::CaseMismatch {
                requested: case.clone(),
                found: replayed.id().clone(),
            });
        }
        Ok(Some(replayed))
    }

    /// Decides `command` by `actor` at `now` against the stored case and stores the
    /// events it produces, which it returns.
    ///
    /// # Errors
    ///
    /// [`ServiceError::Rejected`] if the rules refuse it (nothing is stored);
    /// [`ServiceError::Store`] with [`StoreError::Conflict`] if the case kept changing
    /// under it after every retry, or another [`StoreError`];
    /// [`ServiceError::History`] or [`ServiceError::CaseMismatch`] if the stored
    /// history is not this case's.
    pub fn handle(
        &self,
        case: &CaseId,
        command: &Command,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Vec<Event>, ServiceError> {
        let mut retries = 0;
        loop {
            let current = self.case(case)?;
            let events = decide(current.as_ref(), command, actor, now, &self.policy)?;
            if current.is_none() {
                check_opening(case, &events)?;
            }
            let expected = current.as_ref().map_or(0, Case::version);
            match self.store.append(case, expected, &events) {
                Ok(_) => return Ok(events),
                Err(StoreError::Conflict { .. }) if retries < self.retry.max_retries => {
                    retries += 1;
                }
                Err(error) => return Err(error.into()),
            }
        }
    }
}

fn check_opening(case: &CaseId, events: &[Event]) -> Result<(), ServiceError> {
    match events.first().map(|e| &e.kind) {
        Some(EventKind::Opened(opened)) if opened.case != *case => {
            Err(ServiceError::CaseMismatch {
                requested: case.clone(),
                found: opened.case.clone(),
            })
        }
        _ => Ok(()),
    }
}
