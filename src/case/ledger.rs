//! How a history becomes compensation-ledger entries: the case's reading of its own
//! events. The ledger's arithmetic ([`Ledger`]) knows nothing of events.

use crate::approval::{Ledger, LedgerEntry, LedgerEntryKind};
use crate::case::{Case, Event, EventKind};
use crate::id::{ActionId, CaseId, CustomerId, OptionId};
use crate::money::Money;
use std::collections::BTreeMap;

/// The ledger of one case's history: what was offered, accepted, paid and given as
/// goodwill (the definitions are on [`Ledger`]). Events before the opening (in a
/// history that has none) are ignored.
///
/// ```
/// use service_recovery::case::ledger_of;
/// use service_recovery::testing::{at, dana, to_closing};
/// use service_recovery::{Case, Policy, decide};
///
/// let mut case: Option<Case> = None;
/// for (minute, command) in to_closing().into_iter().enumerate() {
///     for event in decide(case.as_ref(), &command, &dana(), at(minute as i64), &Policy::default())? {
///         case = Some(service_recovery::evolve(case, event).unwrap());
///     }
/// }
/// let case = case.unwrap();
/// // Nothing was offered or given: the ledger is empty.
/// assert!(ledger_of(case.history()).is_empty());
/// assert_eq!(case.ledger(), ledger_of(case.history()));
/// # Ok::<(), service_recovery::Rejection>(())
/// ```
pub fn ledger_of(history: &[Event]) -> Ledger {
    let mut ledger = Ledger::new();
    let mut opened: Option<(CaseId, CustomerId)> = None;
    let mut amounts: BTreeMap<&OptionId, Money> = BTreeMap::new();
    let mut actions: BTreeMap<&ActionId, &OptionId> = BTreeMap::new();
    for event in history {
        let mut entry = |kind, option: Option<&OptionId>, amount: Option<Money>| {
            if let (Some((case, customer)), Some(amount)) = (&opened, amount) {
                ledger.entries.push(LedgerEntry {
                    case: case.clone(),
                    customer: customer.clone(),
                    at: event.at,
                    kind,
                    option: option.cloned(),
                    amount,
                });
            }
        };
        match &event.kind {
            EventKind::Opened(o) => opened = Some((o.case.clone(), o.customer.id.clone())),
            EventKind::OptionProposed { option, resolution }
            | EventKind::OptionRevised { option, resolution } => match resolution.amount {
                Some(amount) => {
                    amounts.insert(option, amount);
                }
                None => {
                    amounts.remove(option);
                }
            },
            EventKind::OptionOffered { option, .. } => entry(
                LedgerEntryKind::Offered,
                Some(option),
                amounts.get(option).copied(),
            ),
            EventKind::OfferAccepted { option } => entry(
                LedgerEntryKind::Accepted,
                Some(option),
                amounts.get(option).copied(),
            ),
            EventKind::ActionAgreed {
                action,
                option: Some(option),
                ..
            } => {
                actions.insert(action, option);
            }
            EventKind::ActionCarriedOut { action, .. } => {
                if let Some(option) = actions.get(action) {
                    entry(
                        LedgerEntryKind::Paid,
                        Some(option),
                        amounts.get(option).copied(),
                    );
                }
            }
            EventKind::GoodwillGiven { value, .. } => {
                entry(LedgerEntryKind::Goodwill, None, *value);
            }
            EventKind::Thanked { .. }
            | EventKind::Apologized { .. }
            | EventKind::QuestionAsked { .. }
            | EventKind::AnswerRecorded { .. }
            | EventKind::GoalRecorded { .. }
            | EventKind::Explained { .. }
            | EventKind::OfferDeclined { .. }
            | EventKind::ActionAgreed { .. }
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
            | EventKind::CommitmentMade { .. }
            | EventKind::CommitmentKept { .. }
            | EventKind::CommitmentBroken { .. }
            | EventKind::CommitmentCancelled { .. }
            | EventKind::SurveyRecorded { .. }
            | EventKind::RecoverySpawned { .. } => {}
        }
    }
    ledger
}

impl Case {
    /// The compensation ledger of this case's history ([`ledger_of`]).
    pub fn ledger(&self) -> Ledger {
        ledger_of(self.history())
    }
}
