//! The follow-up commands: waits, time reports, promises and the survey.

use crate::actor::ActorRef;
use crate::case::command::Intent;
use crate::case::decision::{Decide, Decision, Recorder, text};
use crate::case::event::EventKind;
use crate::case::rejection::{Field, Rejection};
use crate::id::{CaseId, CommitmentId};
use crate::schedule::commitment::{self, Punctuality};
use crate::schedule::sla::{Crossed, SlaTracker};
use crate::schedule::survey::{self, SurveyFollowUp};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Wait on the customer; the response clocks pause:
/// `{"command":"await_customer","reason":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AwaitCustomer {
    /// What the customer must do or send.
    pub reason: String,
}

/// Wait on a third party (a courier, a bank); the response clocks pause:
/// `{"command":"await_third_party","party":"courier","reason":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AwaitThirdParty {
    /// Who.
    pub party: String,
    /// What they must do.
    pub reason: String,
}

/// Make a promise with a date told to the customer:
/// `{"command":"make_commitment","commitment":"re-ship","what":"...","owner":{...},
/// "promised_for":"2026-03-05T17:00:00Z"}`. The internal target and the reminder come
/// from the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MakeCommitment {
    /// The host's identifier for the promise.
    pub commitment: CommitmentId,
    /// What is promised.
    pub what: String,
    /// Who keeps it.
    pub owner: ActorRef,
    /// The date told to the customer.
    pub promised_for: DateTime<Utc>,
}

/// Record that a promise was kept: `{"command":"keep_commitment","commitment":"re-ship"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeepCommitment {
    /// The promise.
    pub commitment: CommitmentId,
}

/// Record that a promise was broken:
/// `{"command":"break_commitment","commitment":"re-ship","reason":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BreakCommitment {
    /// The promise.
    pub commitment: CommitmentId,
    /// Why.
    pub reason: String,
}

/// Cancel a promise that is no longer needed:
/// `{"command":"cancel_commitment","commitment":"re-ship","reason":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelCommitment {
    /// The promise.
    pub commitment: CommitmentId,
    /// Why.
    pub reason: String,
}

/// Record the survey after closing; a low score reopens the case or spawns a linked
/// one, as the policy says: `{"command":"record_survey","score":2,"comment":"..."}`
/// (`comment` and `follow_up_case` optional).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordSurvey {
    /// The score, 1 to 5.
    pub score: u8,
    /// The customer's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The identifier for a spawned case, when the policy spawns one (the host's own;
    /// derived from this case's when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_case: Option<CaseId>,
}

/// End the wait; the response clocks run again: `{"command":"resume"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resume {}

/// Record the response-target warnings and breaches crossed by now and not yet
/// recorded (possibly none): `{"command":"report_time"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportTime {}

impl Decide for AwaitCustomer {
    fn intent(&self) -> Intent {
        Intent::AwaitCustomer
    }
    fn decide(&self, _: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        out.record(EventKind::AwaitingCustomer {
            reason: text(&self.reason, Field::Reason)?,
        });
        Ok(())
    }
}

impl Decide for AwaitThirdParty {
    fn intent(&self) -> Intent {
        Intent::AwaitThirdParty
    }
    fn decide(&self, _: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        out.record(EventKind::AwaitingThirdParty {
            party: text(&self.party, Field::Party)?,
            reason: text(&self.reason, Field::Reason)?,
        });
        Ok(())
    }
}

impl Decide for Resume {
    fn intent(&self) -> Intent {
        Intent::Resume
    }
    fn decide(&self, _: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        out.record(EventKind::Resumed {});
        Ok(())
    }
}

impl Decide for ReportTime {
    fn intent(&self) -> Intent {
        Intent::ReportTime
    }
    /// Records every warning and breach crossed by now and not yet recorded: possibly
    /// none.
    fn decide(&self, at: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        let fp = &at.policy.follow_up;
        for crossed in SlaTracker::from_history(at.case.history(), fp).crossed(fp, at.now) {
            out.record(match crossed {
                Crossed::Warning(clock, percent) => EventKind::SlaWarned { clock, percent },
                Crossed::Breach(clock) => EventKind::SlaBreached { clock },
            });
        }
        Ok(())
    }
}

impl Decide for MakeCommitment {
    fn intent(&self) -> Intent {
        Intent::MakeCommitment
    }
    fn decide(&self, at: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        if at.case.commitment(&self.commitment).is_some() {
            return Err(Rejection::CommitmentExists {
                commitment: self.commitment.clone(),
            });
        }
        let what = text(&self.what, Field::Promise)?;
        if self.promised_for <= at.now {
            return Err(Rejection::PromiseNotInFuture {
                promised_for: self.promised_for,
                now: at.now,
            });
        }
        let fp = &at.policy.follow_up;
        let (internal_target, remind_at) = commitment::targets(fp, at.now, self.promised_for);
        out.record(EventKind::CommitmentMade {
            commitment: self.commitment.clone(),
            what,
            owner: self.owner.clone(),
            promised_for: self.promised_for,
            internal_target,
            remind_at,
        });
        Ok(())
    }
}

impl Decide for KeepCommitment {
    fn intent(&self) -> Intent {
        Intent::KeepCommitment(self.commitment.clone())
    }
    fn decide(&self, at: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        // The guard found the promise open; `Late` is only a fallback for a history
        // that lost it.
        let punctuality = at
            .case
            .commitment(&self.commitment)
            .map_or(Punctuality::Late, |c| {
                Punctuality::of(at.now, c.internal_target, c.promised_for)
            });
        out.record(EventKind::CommitmentKept {
            commitment: self.commitment.clone(),
            punctuality,
        });
        Ok(())
    }
}

impl Decide for BreakCommitment {
    fn intent(&self) -> Intent {
        Intent::BreakCommitment(self.commitment.clone())
    }
    fn decide(&self, _: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        out.record(EventKind::CommitmentBroken {
            commitment: self.commitment.clone(),
            reason: text(&self.reason, Field::Reason)?,
        });
        Ok(())
    }
}

impl Decide for CancelCommitment {
    fn intent(&self) -> Intent {
        Intent::CancelCommitment(self.commitment.clone())
    }
    fn decide(&self, _: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        out.record(EventKind::CommitmentCancelled {
            commitment: self.commitment.clone(),
            reason: text(&self.reason, Field::Reason)?,
        });
        Ok(())
    }
}

impl Decide for RecordSurvey {
    fn intent(&self) -> Intent {
        Intent::RecordSurvey
    }
    fn decide(&self, at: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        let score = self.score;
        if !survey::SCORES.contains(&score) {
            return Err(Rejection::SurveyScoreOutOfRange { score });
        }
        out.record(EventKind::SurveyRecorded {
            score,
            comment: self.comment.clone(),
        });
        let settings = &at.policy.follow_up.survey;
        if score > settings.low_score {
            return Ok(());
        }
        let reason = match &self.comment {
            Some(c) if !c.trim().is_empty() => format!("survey score {score} of 5: \"{c}\""),
            _ => format!("survey score {score} of 5"),
        };
        out.record(match settings.on_low_score {
            SurveyFollowUp::Reopen => EventKind::Reopened { reason },
            SurveyFollowUp::SpawnCase => EventKind::RecoverySpawned {
                case: self.follow_up_case.clone().unwrap_or_else(|| {
                    let case = at.case;
                    CaseId::new(format!("{}-survey-{}", case.id(), case.version() + 1))
                }),
                reason,
            },
        });
        Ok(())
    }
}
