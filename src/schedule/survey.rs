//! The satisfaction survey after closing ([practice 15](crate::practices)): scheduled a working-time
//! delay after the case closes; a low score is a new recovery situation, not a
//! statistic.
//!
//! [`Command::RecordSurvey`](crate::Command::RecordSurvey) records the customer's score
//! (1 to 5) on a closed case, once per closing. A score at or below the policy's
//! threshold then, in the same decision, either reopens the case
//! ([`SurveyFollowUp::Reopen`], a `reopened` event with the score as its reason) or
//! starts a linked recovery ([`SurveyFollowUp::SpawnCase`], a `recovery_spawned` event
//! naming the new case). The new case's identifier is the host's if it passes one in
//! the command, otherwise derived as `<case>-survey-<sequence>` (the sequence number of
//! the survey event, unique within the case); the host then opens that case itself.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use service_recovery::schedule::{survey, FollowUpPolicy};
//!
//! let policy = FollowUpPolicy::default(); // 24/7, survey 24 h after closing
//! let closed = Utc.with_ymd_and_hms(2026, 3, 2, 17, 0, 0).unwrap();
//! assert_eq!(survey::due(closed, &policy), Some(closed + TimeDelta::hours(24)));
//! ```

use super::follow_up::FollowUpPolicy;
use super::working_time::secs;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use typed_builder::TypedBuilder;

/// The lowest and highest survey scores.
pub const SCORES: std::ops::RangeInclusive<u8> = 1..=5;

/// What a low score starts.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SurveyFollowUp {
    /// Reopen the case: a new round of recovery on the same case.
    #[default]
    Reopen,
    /// Start a new, linked case and leave this one closed.
    SpawnCase,
}

/// When the survey goes out and what a low score does. Default: 24 h after closing;
/// 2 or less is low; a low score reopens the case.
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct SurveyPolicy {
    /// Working time from closing to the survey (seconds in JSON).
    #[builder(default = TimeDelta::hours(24))]
    #[serde(with = "secs")]
    #[schemars(with = "i64")]
    pub delay: TimeDelta,
    /// A score at or below this is low.
    #[builder(default = 2)]
    pub low_score: u8,
    /// What a low score starts.
    #[builder(default)]
    pub on_low_score: SurveyFollowUp,
}

impl Default for SurveyPolicy {
    fn default() -> Self {
        Self::builder().build()
    }
}

/// When the survey of a case closed at `closed_at` is due; `None` only past chrono's
/// range or for a negative delay.
pub fn due(closed_at: DateTime<Utc>, policy: &FollowUpPolicy) -> Option<DateTime<Utc>> {
    policy.working_time.add(closed_at, policy.survey.delay).ok()
}
