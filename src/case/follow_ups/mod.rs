//! The case's follow-up bookkeeping (waits, promises, the survey) and the rules for the
//! follow-up commands. [`decide`](crate::decide) and [`guard`](crate::case::guard) call
//! in here; the scheduling arithmetic lives in [`schedule`](crate::schedule).

mod commands;
mod rules;
mod state;

pub use commands::{
    AwaitCustomer, AwaitThirdParty, BreakCommitment, CancelCommitment, KeepCommitment,
    MakeCommitment, RecordSurvey, ReportTime, Resume,
};
pub(crate) use rules::{candidates, check_close, check_target, status_rule};
pub(crate) use state::FollowUps;
pub use state::Waiting;
