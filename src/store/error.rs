//! What can go wrong in a store: infrastructure problems, never rules of the practice.

use crate::history::{ChainBreak, DecodeError, Tampered};
use crate::id::CaseId;
use chrono::{DateTime, Utc};
use thiserror::Error;

/// Why a store could not do what it was asked. These are infrastructure problems,
/// distinct from the domain's [`Rejection`](crate::Rejection).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Someone else appended to the case since it was loaded: nothing was written.
    /// Load the case again, decide again, and append again.
    #[error(
        "case {case} was changed by someone else: expected it at version {expected}, but it is at version {actual}"
    )]
    Conflict {
        /// The case.
        case: CaseId,
        /// The version the caller expected.
        expected: u64,
        /// The version the store holds.
        actual: u64,
    },
    /// A stored event cannot be read.
    #[error("stored event {sequence} of case {case} cannot be read: {reason}")]
    Corrupt {
        /// The case.
        case: CaseId,
        /// The event's sequence number.
        sequence: u64,
        /// Why.
        reason: DecodeError,
    },
    /// The events to append do not continue the history: their sequence numbers must
    /// run on from the expected version without gaps. Nothing was written.
    #[error(
        "event {found} cannot be appended to case {case}: the next event must have sequence number {expected}"
    )]
    OutOfSequence {
        /// The case.
        case: CaseId,
        /// The sequence number the next event must have.
        expected: u64,
        /// The sequence number it has.
        found: u64,
    },
    /// An event cannot be put into its stored form. Nothing was written.
    #[error("event {sequence} of case {case} cannot be stored: {reason}")]
    Unencodable {
        /// The case.
        case: CaseId,
        /// The event's sequence number.
        sequence: u64,
        /// Why.
        reason: String,
    },
    /// The case has no stored history.
    #[error("case {case} has no stored history")]
    UnknownCase {
        /// The case.
        case: CaseId,
    },
    /// A worker asked to complete or release a follow-up it no longer holds: its
    /// lease expired and another worker claimed it, or its case no longer calls for
    /// it. Nothing was changed.
    #[error(
        "worker {worker} no longer holds the follow-up of case {case} due at {due}: its lease expired and it was claimed again, or the case no longer calls for it"
    )]
    ClaimLost {
        /// The case.
        case: CaseId,
        /// When the follow-up was due.
        due: DateTime<Utc>,
        /// The worker that held it.
        worker: String,
    },
    /// A stored history fails its hash chain: a row was edited, inserted, deleted or
    /// moved outside the store. See [`history::chain`](crate::history::chain).
    #[error("stored event {sequence} of case {case} was tampered with: {reason}")]
    Tampered {
        /// The case.
        case: CaseId,
        /// The first event that breaks the chain.
        sequence: u64,
        /// How it breaks it.
        reason: ChainBreak,
    },
    /// The storage itself failed: a database error, a full disk, a lock held too long,
    /// a store left unusable by a thread that panicked.
    #[error("the event store failed: {reason}")]
    Backend {
        /// What the storage reported.
        reason: String,
    },
}

impl From<Tampered> for StoreError {
    fn from(tampered: Tampered) -> Self {
        Self::Tampered {
            case: tampered.case,
            sequence: tampered.sequence,
            reason: tampered.reason,
        }
    }
}
