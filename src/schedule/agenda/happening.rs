//! What an event means to the agenda: the one place where the agenda reads the case's
//! event kinds.
//!
//! The per-case bookkeeping ([`Clocks`](super::clocks::Clocks)) and the promise list
//! work on these schedule-level facts only, so the agenda's logic does not depend on
//! the case aggregate; a new kind of event is one more arm here, and the compiler asks
//! for it.

use crate::case::{Event, EventKind};
use crate::id::CommitmentId;
use crate::schedule::FollowUpPolicy;
use crate::schedule::sla::{SlaClock, is_customer_facing};
use chrono::{DateTime, Utc};

/// One event, as the agenda sees it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Happening<'e> {
    /// When it happened.
    pub(super) at: DateTime<Utc>,
    /// Whether it speaks to the customer: it stops the first-response clock and starts
    /// a new update period (see [`is_customer_facing`]).
    pub(super) speaks: bool,
    /// What happened.
    pub(super) what: What<'e>,
}

/// The kinds of event that change what a case calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum What<'e> {
    /// Opened, with the index of the policy's SLA entry that applies (`None`: the
    /// fallback targets).
    Opened { targets: Option<usize> },
    /// A new round of recovery.
    Reopened,
    /// Waiting on the customer or a third party: the clocks pause.
    Awaiting,
    /// The wait ended.
    Resumed,
    /// A warning threshold recorded.
    Warned { clock: SlaClock, percent: u8 },
    /// A breach recorded.
    Breached { clock: SlaClock },
    /// Closed: the clocks end and the survey comes due later.
    Closed,
    /// Withdrawn: the clocks end, and no survey.
    Withdrawn,
    /// The apology (which also speaks to the customer).
    Apologized,
    /// A promise made, or made again with new dates.
    Promised {
        commitment: &'e CommitmentId,
        remind_at: DateTime<Utc>,
        internal_target: DateTime<Utc>,
    },
    /// A promise kept, broken or cancelled.
    Settled { commitment: &'e CommitmentId },
    /// The survey answered.
    Surveyed,
    /// Nothing the agenda tracks (it may still speak to the customer).
    Other,
}

impl<'e> Happening<'e> {
    /// Reads an event; the opening picks its SLA entry from `policy`.
    pub(super) fn of(event: &'e Event, policy: &FollowUpPolicy) -> Self {
        let what = match &event.kind {
            EventKind::Opened(opened) => What::Opened {
                targets: policy.select(opened.priority, &opened.channel),
            },
            EventKind::Reopened { .. } => What::Reopened,
            EventKind::AwaitingCustomer { .. } | EventKind::AwaitingThirdParty { .. } => {
                What::Awaiting
            }
            EventKind::Resumed {} => What::Resumed,
            EventKind::SlaWarned { clock, percent } => What::Warned {
                clock: *clock,
                percent: *percent,
            },
            EventKind::SlaBreached { clock } => What::Breached { clock: *clock },
            EventKind::Closed { .. } => What::Closed,
            EventKind::Withdrawn { .. } => What::Withdrawn,
            EventKind::Apologized { .. } => What::Apologized,
            EventKind::CommitmentMade {
                commitment,
                remind_at,
                internal_target,
                ..
            } => What::Promised {
                commitment,
                remind_at: *remind_at,
                internal_target: *internal_target,
            },
            EventKind::CommitmentKept { commitment, .. }
            | EventKind::CommitmentBroken { commitment, .. }
            | EventKind::CommitmentCancelled { commitment, .. } => What::Settled { commitment },
            EventKind::SurveyRecorded { .. } => What::Surveyed,
            EventKind::Thanked { .. }
            | EventKind::QuestionAsked { .. }
            | EventKind::AnswerRecorded { .. }
            | EventKind::GoalRecorded { .. }
            | EventKind::Explained { .. }
            | EventKind::OptionProposed { .. }
            | EventKind::OptionRevised { .. }
            | EventKind::OptionOffered { .. }
            | EventKind::OfferAccepted { .. }
            | EventKind::OfferDeclined { .. }
            | EventKind::ActionAgreed { .. }
            | EventKind::ActionCarriedOut { .. }
            | EventKind::GoodwillGiven { .. }
            | EventKind::FinalThanksGiven { .. }
            | EventKind::ChannelChanged { .. }
            | EventKind::Reassigned { .. }
            | EventKind::NoteAdded { .. }
            | EventKind::Escalated { .. }
            | EventKind::ApprovalRequested { .. }
            | EventKind::ApprovalGranted { .. }
            | EventKind::ApprovalDenied { .. }
            | EventKind::ApprovalRequestWithdrawn { .. }
            | EventKind::ApprovalsVoided { .. }
            | EventKind::RecoverySpawned { .. } => What::Other,
        };
        Self {
            at: event.at,
            speaks: is_customer_facing(&event.kind),
            what,
        }
    }
}
