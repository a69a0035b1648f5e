//! The approval gate inside the case: what each option's approval request stands at,
//! derived from the history, and the rules [`decide`](crate::decide) applies to
//! offers and to requests, grants, denials and withdrawals.
//!
//! The rules :
//!
//! - **Nothing is offered before its approvals.** An option may be offered only if
//!   every level its requirement needs is granted and unexpired at the moment of the
//!   offer. The requirement is computed twice: when approval is requested (against the
//!   requester's limits, recorded in the event) and again at the offer (against the
//!   offering person's limits and the case's total offered so far). If a request is
//!   pending, all its levels must be granted *and* it must ask at least as much as the
//!   offer-time requirement; with no request, the offer-time requirement must be empty.
//! - **A denial stands** until a new request is granted (or the option's terms change).
//! - **Nobody approves their own request or proposal**, nobody grants two levels of
//!   one request, the approvers of one level are different people, and levels are
//!   granted in order.
//! - **Authority**: an approver needs the role and the limit for the level
//!   ([`can_grant`](crate::approval::can_grant)); a delegate acts only within the
//!   delegation's dates and on the delegator's authority, and both the delegate and the
//!   delegator count as the people taking part.
//! - **Changing an option voids its approvals**: a revision that changes the kind,
//!   the amount or the waived policies adds an `approvals_voided` event.
//! - **Goodwill per customer** stays within the policy's
//!   [`CompensationLimits`](crate::approval::CompensationLimits), counting the prior
//!   ledger the host passes with the gesture.

mod commands;
mod rules;
mod state;

pub use commands::{DenyApproval, GrantApproval, RequestApproval, WithdrawApprovalRequest};
pub(crate) use rules::{check_goodwill, check_intent, check_offer, voided_by_revision};
pub use state::{ApprovalRequest, Approvals, Grant, OptionApprovals, RequestStatus, is_material};
