//! The case's follow-up bookkeeping (waits, promises, the survey) and the rules for the
//! follow-up commands. [`decide`](crate::decide) and [`guard`](crate::case::guard) call
//! in here; the scheduling arithmetic lives in [`schedule`](crate::schedule).

use crate::case::command::{Command, Intent};
use crate::case::decide::text;
use crate::case::event::{Event, EventKind};
use crate::case::rejection::{Field, Rejection};
use crate::case::{Case, CaseStatus};
use crate::id::{CaseId, CommitmentId};
use crate::policy::Policy;
use crate::schedule::commitment::{self, Commitment, CommitmentStatus, Punctuality};
use crate::schedule::sla::{Crossed, SlaTracker};
use crate::schedule::survey::{self, SurveyFollowUp};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// Who a case waits on: a view into the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
struct Slot {
    made: usize,
    status: CommitmentStatus,
}

/// Positions and flags only: the words stay in the history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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
            Resumed | Withdrawn { .. } => self.waiting = None,
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
            _ => {}
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
            _ => None,
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
        _ => None,
    }
}

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
            status => Err(Rejection::SurveyNeedsClosedCase { status }),
        },
        _ => return None,
    })
}

/// The state rules of follow-up intents on an open case.
pub(crate) fn check_target(case: &Case, intent: &Intent) -> Result<(), Rejection> {
    match intent {
        Intent::Resume if case.waiting().is_none() => Err(Rejection::NotWaiting),
        _ => Ok(()),
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

/// The events of a follow-up command whose guard has passed. Only follow-up commands
/// are passed here; any other command yields no events.
pub(crate) fn events(
    case: &Case,
    command: &Command,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Result<Vec<EventKind>, Rejection> {
    let fp = &policy.follow_up;
    let one = |kind: Result<EventKind, Rejection>| kind.map(|k| vec![k]);
    match command {
        Command::AwaitCustomer { reason } => {
            one(text(reason, Field::Reason).map(|reason| EventKind::AwaitingCustomer { reason }))
        }
        Command::AwaitThirdParty { party, reason } => one((|| {
            Ok(EventKind::AwaitingThirdParty {
                party: text(party, Field::Party)?,
                reason: text(reason, Field::Reason)?,
            })
        })()),
        Command::Resume => Ok(vec![EventKind::Resumed]),
        Command::ReportTime => Ok(SlaTracker::from_history(case.history(), fp)
            .crossed(fp, now)
            .into_iter()
            .map(|crossed| match crossed {
                Crossed::Warning(clock, percent) => EventKind::SlaWarned { clock, percent },
                Crossed::Breach(clock) => EventKind::SlaBreached { clock },
            })
            .collect()),
        Command::MakeCommitment {
            commitment,
            what,
            owner,
            promised_for,
        } => one((|| {
            if case.commitment(commitment).is_some() {
                return Err(Rejection::CommitmentExists {
                    commitment: commitment.clone(),
                });
            }
            let what = text(what, Field::Promise)?;
            if *promised_for <= now {
                return Err(Rejection::PromiseNotInFuture {
                    promised_for: *promised_for,
                    now,
                });
            }
            let (internal_target, remind_at) = commitment::targets(fp, now, *promised_for);
            Ok(EventKind::CommitmentMade {
                commitment: commitment.clone(),
                what,
                owner: owner.clone(),
                promised_for: *promised_for,
                internal_target,
                remind_at,
            })
        })()),
        Command::KeepCommitment { commitment } => {
            let punctuality = case.commitment(commitment).map_or(Punctuality::Late, |c| {
                Punctuality::of(now, c.internal_target, c.promised_for)
            });
            Ok(vec![EventKind::CommitmentKept {
                commitment: commitment.clone(),
                punctuality,
            }])
        }
        Command::BreakCommitment { commitment, reason } => one(text(reason, Field::Reason).map(
            |reason| EventKind::CommitmentBroken {
                commitment: commitment.clone(),
                reason,
            },
        )),
        Command::CancelCommitment { commitment, reason } => one(text(reason, Field::Reason).map(
            |reason| EventKind::CommitmentCancelled {
                commitment: commitment.clone(),
                reason,
            },
        )),
        Command::RecordSurvey {
            score,
            comment,
            follow_up_case,
        } => survey_events(case, *score, comment, follow_up_case.as_ref(), policy),
        _ => Ok(Vec::new()),
    }
}

fn survey_events(
    case: &Case,
    score: u8,
    comment: &Option<String>,
    follow_up_case: Option<&CaseId>,
    policy: &Policy,
) -> Result<Vec<EventKind>, Rejection> {
    if !survey::SCORES.contains(&score) {
        return Err(Rejection::SurveyScoreOutOfRange { score });
    }
    let mut events = vec![EventKind::SurveyRecorded {
        score,
        comment: comment.clone(),
    }];
    let settings = &policy.follow_up.survey;
    if score <= settings.low_score {
        let reason = match comment {
            Some(c) if !c.trim().is_empty() => format!("survey score {score} of 5: \"{c}\""),
            _ => format!("survey score {score} of 5"),
        };
        events.push(match settings.on_low_score {
            SurveyFollowUp::Reopen => EventKind::Reopened { reason },
            SurveyFollowUp::SpawnCase => EventKind::RecoverySpawned {
                case: follow_up_case.cloned().unwrap_or_else(|| {
                    CaseId::new(format!("{}-survey-{}", case.id(), case.version() + 1))
                }),
                reason,
            },
        });
    }
    Ok(events)
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
