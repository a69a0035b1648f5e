//! The follow-up rules the shared guard applies: which intents need no open case, the
//! state each target must be in, and no open promise at closing.

use crate::case::command::Intent;
use crate::case::rejection::Rejection;
use crate::case::{Case, CaseStatus};
use crate::schedule::commitment::{Commitment, CommitmentStatus};

/// The status rule for follow-up intents that do not need an open case; `None` for
/// every other intent (the ordinary rule applies).
pub(crate) fn status_rule(case: &Case, intent: &Intent) -> Option<Result<(), Rejection>> {
    Some(match intent {
        Intent::ReportTime => Ok(()),
        Intent::KeepCommitment(id) | Intent::BreakCommitment(id) | Intent::CancelCommitment(id) => {
            match case.commitment(id) {
                None => Err(Rejection::UnknownCommitment {
                    commitment: id.clone(),
                }),
                Some(c) if c.status != CommitmentStatus::Open => {
                    Err(Rejection::CommitmentSettled {
                        commitment: id.clone(),
                        status: c.status,
                    })
                }
                Some(_) => Ok(()),
            }
        }
        Intent::RecordSurvey => match case.status() {
            CaseStatus::Closed if case.follow_ups.surveyed() => {
                Err(Rejection::SurveyAlreadyRecorded)
            }
            CaseStatus::Closed => Ok(()),
            status @ CaseStatus::Open | status @ CaseStatus::Withdrawn => {
                Err(Rejection::SurveyNeedsClosedCase { status })
            }
        },
        Intent::Open
        | Intent::Thank
        | Intent::Apologize
        | Intent::AskQuestion
        | Intent::RecordAnswer(_)
        | Intent::RecordGoal
        | Intent::Explain
        | Intent::ProposeOption
        | Intent::ReviseOption(_)
        | Intent::OfferOption(_)
        | Intent::AcceptOffer(_)
        | Intent::DeclineOffer(_)
        | Intent::AgreeAction
        | Intent::CarryOut(_)
        | Intent::Goodwill
        | Intent::FinalThanks
        | Intent::Close
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
        | Intent::Resume
        | Intent::MakeCommitment => return None,
    })
}

/// The wait must be in effect to end it.
pub(crate) fn check_target(case: &Case) -> Result<(), Rejection> {
    match case.waiting() {
        None => Err(Rejection::NotWaiting),
        Some(_) => Ok(()),
    }
}

/// No open promise at closing.
pub(crate) fn check_close(case: &Case) -> Result<(), Rejection> {
    let open = |c: &Commitment<'_>| c.status == CommitmentStatus::Open;
    if case.commitments().any(|c| open(&c)) {
        let commitments = case.commitments().filter(open).map(|c| c.id.clone());
        return Err(Rejection::CommitmentsOpen {
            commitments: commitments.collect(),
        });
    }
    Ok(())
}

/// The follow-up intents worth asking about now.
pub(crate) fn candidates(case: &Case) -> impl Iterator<Item = Intent> + '_ {
    let open = case
        .commitments()
        .filter(|c| c.status == CommitmentStatus::Open)
        .flat_map(|c| {
            [
                Intent::KeepCommitment(c.id.clone()),
                Intent::BreakCommitment(c.id.clone()),
                Intent::CancelCommitment(c.id.clone()),
            ]
        });
    [
        Intent::AwaitCustomer,
        Intent::AwaitThirdParty,
        Intent::Resume,
        Intent::MakeCommitment,
    ]
    .into_iter()
    .chain(open)
    .chain([Intent::RecordSurvey, Intent::ReportTime])
}
