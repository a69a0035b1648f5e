//! The case's follow-up bookkeeping: the wait in effect, the promises, the closing
//! and the survey. Positions into the history, not copies of its words.

use crate::case::event::{Event, EventKind};
use crate::id::CommitmentId;
use crate::schedule::commitment::{Commitment, CommitmentStatus};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// Who a case waits on: a view into the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum Waiting<'a> {
    /// The customer.
    Customer {
        /// What the customer must do or send.
        reason: &'a str,
    },
    /// A third party.
    ThirdParty {
        /// Who.
        party: &'a str,
        /// What they must do.
        reason: &'a str,
    },
}

/// Where in the history a promise was made, and where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
struct Slot {
    made: usize,
    status: CommitmentStatus,
}

/// Positions and flags only: the words stay in the history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub(crate) struct FollowUps {
    /// Position of the wait in effect.
    waiting: Option<usize>,
    commitments: BTreeMap<CommitmentId, Slot>,
    closed_at: Option<DateTime<Utc>>,
    surveyed: bool,
}

impl FollowUps {
    pub(crate) fn record(&mut self, event: &Event, position: usize) {
        use EventKind::*;
        match &event.kind {
            AwaitingCustomer { .. } | AwaitingThirdParty { .. } => self.waiting = Some(position),
            Resumed {} | Withdrawn { .. } => self.waiting = None,
            Closed { .. } => {
                self.waiting = None;
                self.closed_at = Some(event.at);
                self.surveyed = false;
            }
            Reopened { .. } => {
                self.waiting = None;
                self.closed_at = None;
                self.surveyed = false;
            }
            SurveyRecorded { .. } => self.surveyed = true,
            CommitmentMade { commitment, .. } => {
                self.commitments.insert(
                    commitment.clone(),
                    Slot {
                        made: position,
                        status: CommitmentStatus::Open,
                    },
                );
            }
            CommitmentKept {
                commitment,
                punctuality,
            } => self.settle(commitment, CommitmentStatus::Kept(*punctuality)),
            CommitmentBroken { commitment, .. } => {
                self.settle(commitment, CommitmentStatus::Broken);
            }
            CommitmentCancelled { commitment, .. } => {
                self.settle(commitment, CommitmentStatus::Cancelled);
            }
            Opened(_)
            | Thanked { .. }
            | Apologized { .. }
            | QuestionAsked { .. }
            | AnswerRecorded { .. }
            | GoalRecorded { .. }
            | Explained { .. }
            | OptionProposed { .. }
            | OptionRevised { .. }
            | OptionOffered { .. }
            | OfferAccepted { .. }
            | OfferDeclined { .. }
            | ActionAgreed { .. }
            | ActionCarriedOut { .. }
            | GoodwillGiven { .. }
            | FinalThanksGiven { .. }
            | ChannelChanged { .. }
            | Reassigned { .. }
            | Escalated { .. }
            | NoteAdded { .. }
            | ApprovalRequested { .. }
            | ApprovalGranted { .. }
            | ApprovalDenied { .. }
            | ApprovalRequestWithdrawn { .. }
            | ApprovalsVoided { .. }
            | SlaWarned { .. }
            | SlaBreached { .. }
            | RecoverySpawned { .. } => {}
        }
    }

    fn settle(&mut self, commitment: &CommitmentId, status: CommitmentStatus) {
        if let Some(slot) = self.commitments.get_mut(commitment) {
            slot.status = status;
        }
    }

    pub(crate) fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.closed_at
    }

    pub(crate) fn surveyed(&self) -> bool {
        self.surveyed
    }

    pub(crate) fn waiting<'a>(&self, history: &'a [Event]) -> Option<Waiting<'a>> {
        match &history.get(self.waiting?)?.kind {
            EventKind::AwaitingCustomer { reason } => Some(Waiting::Customer { reason }),
            EventKind::AwaitingThirdParty { party, reason } => {
                Some(Waiting::ThirdParty { party, reason })
            }
            EventKind::Opened(_)
            | EventKind::Thanked { .. }
            | EventKind::Apologized { .. }
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
            | EventKind::Closed { .. }
            | EventKind::Reopened { .. }
            | EventKind::Withdrawn { .. }
            | EventKind::ChannelChanged { .. }
            | EventKind::Reassigned { .. }
            | EventKind::Escalated { .. }
            | EventKind::NoteAdded { .. }
            | EventKind::ApprovalRequested { .. }
            | EventKind::ApprovalGranted { .. }
            | EventKind::ApprovalDenied { .. }
            | EventKind::ApprovalRequestWithdrawn { .. }
            | EventKind::ApprovalsVoided { .. }
            | EventKind::Resumed {}
            | EventKind::SlaWarned { .. }
            | EventKind::SlaBreached { .. }
            | EventKind::CommitmentMade { .. }
            | EventKind::CommitmentKept { .. }
            | EventKind::CommitmentBroken { .. }
            | EventKind::CommitmentCancelled { .. }
            | EventKind::SurveyRecorded { .. }
            | EventKind::RecoverySpawned { .. } => None,
        }
    }

    pub(crate) fn commitments<'a>(
        &'a self,
        history: &'a [Event],
    ) -> impl Iterator<Item = Commitment<'a>> + 'a {
        self.commitments
            .iter()
            .filter_map(move |(id, slot)| view(history, id, *slot))
    }

    pub(crate) fn commitment<'a>(
        &'a self,
        history: &'a [Event],
        id: &CommitmentId,
    ) -> Option<Commitment<'a>> {
        let (id, slot) = self.commitments.get_key_value(id)?;
        view(history, id, *slot)
    }
}

fn view<'a>(history: &'a [Event], id: &'a CommitmentId, slot: Slot) -> Option<Commitment<'a>> {
    match &history.get(slot.made)?.kind {
        EventKind::CommitmentMade {
            what,
            owner,
            promised_for,
            internal_target,
            remind_at,
            ..
        } => Some(Commitment {
            id,
            what,
            owner,
            promised_for: *promised_for,
            internal_target: *internal_target,
            remind_at: *remind_at,
            status: slot.status,
        }),
        EventKind::Opened(_)
        | EventKind::Thanked { .. }
        | EventKind::Apologized { .. }
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
        | EventKind::Closed { .. }
        | EventKind::Reopened { .. }
        | EventKind::Withdrawn { .. }
        | EventKind::ChannelChanged { .. }
        | EventKind::Reassigned { .. }
        | EventKind::Escalated { .. }
        | EventKind::NoteAdded { .. }
        | EventKind::ApprovalRequested { .. }
        | EventKind::ApprovalGranted { .. }
        | EventKind::ApprovalDenied { .. }
        | EventKind::ApprovalRequestWithdrawn { .. }
        | EventKind::ApprovalsVoided { .. }
        | EventKind::AwaitingCustomer { .. }
        | EventKind::AwaitingThirdParty { .. }
        | EventKind::Resumed {}
        | EventKind::SlaWarned { .. }
        | EventKind::SlaBreached { .. }
        | EventKind::CommitmentKept { .. }
        | EventKind::CommitmentBroken { .. }
        | EventKind::CommitmentCancelled { .. }
        | EventKind::SurveyRecorded { .. }
        | EventKind::RecoverySpawned { .. } => None,
    }
}
