//! The follow-up configuration that [`Policy`](crate::Policy) carries.

use super::sla::{SlaMatcher, SlaPolicy, SlaTargets};
use super::survey::SurveyPolicy;
use super::working_time::{WorkingTime, secs};
use crate::channel::Channel;
use crate::complaint::Priority;
use chrono::TimeDelta;
use serde::{Deserialize, Serialize};
use typed_builder::TypedBuilder;

/// How follow-ups are scheduled: the working time they are measured in, the response
/// targets, the commitment margin and reminder lead, and the survey.
///
/// The default ([`FollowUpPolicy::default`]):
///
/// - working time: [around the clock](WorkingTime::AroundTheClock) (elapsed real time);
/// - response targets, first match wins:
///   - urgent: first response 1 h, apology 1 h, update every 4 h, resolution 24 h;
///   - high: first response 4 h, apology 4 h, update every 24 h, resolution 72 h;
///   - otherwise (fallback): first response 24 h, apology 24 h, update every 48 h,
///     resolution 120 h;
/// - warnings at 50 % and 75 % of each target, a breach at 100 %;
/// - commitments: the internal target is 24 h of working time before the date told to
///   the customer, and the owner is reminded 4 h of working time before that;
/// - the survey: 24 h after closing; a score of 2 or less reopens the case.
///
/// In JSON, durations are whole seconds.
///
/// ```
/// use chrono::TimeDelta;
/// use service_recovery::prelude::{Channel, Policy, Priority};
///
/// let policy = Policy::default();
/// let targets = policy.follow_up.targets_for(Priority::Urgent, &Channel::Phone);
/// assert_eq!(targets.first_response, Some(TimeDelta::hours(1)));
/// assert_eq!(policy.follow_up.warn_percents().collect::<Vec<_>>(), vec![50, 75]);
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct FollowUpPolicy {
    /// The time that counts.
    #[builder(default)]
    pub working_time: WorkingTime,
    /// Targets by priority and channel; the first match wins.
    #[builder(default = default_slas())]
    pub sla: Vec<SlaPolicy>,
    /// Targets when no entry of `sla` matches.
    #[builder(default = fallback())]
    pub fallback: SlaTargets,
    /// Warning thresholds, in percent of each target (1 to 99; others are ignored).
    #[builder(default = vec![50, 75])]
    pub warn_at: Vec<u8>,
    /// How much earlier than the date told to the customer the internal target is.
    #[builder(default = TimeDelta::hours(24))]
    #[serde(with = "secs")]
    #[schemars(with = "i64")]
    pub commitment_margin: TimeDelta,
    /// How long before a commitment's internal target its owner is reminded.
    #[builder(default = TimeDelta::hours(4))]
    #[serde(with = "secs")]
    #[schemars(with = "i64")]
    pub reminder_lead: TimeDelta,
    /// The satisfaction survey after closing.
    #[builder(default)]
    pub survey: SurveyPolicy,
}

impl Default for FollowUpPolicy {
    fn default() -> Self {
        Self::builder().build()
    }
}

fn targets(first: i64, apology: i64, update: i64, resolution: i64) -> SlaTargets {
    SlaTargets {
        first_response: Some(TimeDelta::hours(first)),
        apology: Some(TimeDelta::hours(apology)),
        update: Some(TimeDelta::hours(update)),
        resolution: Some(TimeDelta::hours(resolution)),
    }
}

fn default_slas() -> Vec<SlaPolicy> {
    let when = |p| SlaMatcher {
        priorities: vec![p],
        channels: Vec::new(),
    };
    vec![
        SlaPolicy {
            when: when(Priority::Urgent),
            targets: targets(1, 1, 4, 24),
        },
        SlaPolicy {
            when: when(Priority::High),
            targets: targets(4, 4, 24, 72),
        },
    ]
}

fn fallback() -> SlaTargets {
    targets(24, 24, 48, 120)
}

impl FollowUpPolicy {
    /// The index of the first SLA entry matching a case; `None` for the fallback.
    pub(crate) fn select(&self, priority: Priority, channel: &Channel) -> Option<usize> {
        self.sla
            .iter()
            .position(|s| s.when.matches(priority, channel))
    }

    pub(crate) fn targets(&self, index: Option<usize>) -> &SlaTargets {
        index
            .and_then(|i| self.sla.get(i))
            .map_or(&self.fallback, |s| &s.targets)
    }

    /// The targets for a case of this priority opened on this channel.
    pub fn targets_for(&self, priority: Priority, channel: &Channel) -> &SlaTargets {
        self.targets(self.select(priority, channel))
    }

    /// The warning thresholds in use: `warn_at` within 1..=99, ascending, without
    /// duplicates.
    pub fn warn_percents(&self) -> impl Iterator<Item = u8> + Clone + use<> {
        let mask = self
            .warn_at
            .iter()
            .filter(|p| (1..100).contains(*p))
            .fold(0u128, |m, p| m | (1u128 << p));
        (1..100u8).filter(move |p| mask & (1u128 << p) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::FollowUpPolicy;

    fn warnings(warn_at: Vec<u8>) -> Vec<u8> {
        FollowUpPolicy::builder()
            .warn_at(warn_at)
            .build()
            .warn_percents()
            .collect()
    }

    #[test]
    fn warnings_are_sorted_without_duplicates_and_out_of_range_ones_ignored() {
        assert_eq!(warnings(vec![75, 50]), vec![50, 75]);
        // A threshold given twice is used once (and not cancelled out).
        assert_eq!(warnings(vec![50, 50]), vec![50]);
        assert_eq!(warnings(vec![90, 50, 90, 90]), vec![50, 90]);
        assert_eq!(warnings(vec![0, 1, 99, 100, 255]), vec![1, 99]);
        assert_eq!(warnings(vec![]), Vec::<u8>::new());
    }
}
