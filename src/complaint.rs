//! What went wrong, how badly, and how urgently it must be handled.

use crate::channel::Channel;
use crate::customer::CustomerTier;
use serde::{Deserialize, Serialize};
use std::fmt;
use typed_builder::TypedBuilder;

/// The customer's complaint, in their words and the agent's summary.
///
/// `details` is free text that may hold personal data.
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Complaint {
    /// A one-line summary: "refund refused on a non-refundable ticket".
    #[builder(setter(into))]
    pub summary: String,
    /// The customer's account of what happened.
    #[builder(default, setter(into))]
    #[serde(default)]
    pub details: String,
}

/// How badly the business let the customer down.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// An annoyance.
    Minor,
    /// A real cost or loss of time to the customer.
    Moderate,
    /// A serious failure: money, health, safety, dignity.
    Major,
    /// A failure the customer will tell everyone about.
    Critical,
}

/// How urgently a case must be handled; it selects the response targets.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Handle in the normal course of work.
    Low,
    /// The default.
    Normal,
    /// Ahead of normal work.
    High,
    /// Drop everything.
    Urgent,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Minor => "minor",
            Self::Moderate => "moderate",
            Self::Major => "major",
            Self::Critical => "critical",
        })
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
            Self::Urgent => "urgent",
        })
    }
}

/// A sign, spotted at intake, that this conversation is a recovery situation
/// ([practice 14](crate::practices)). Each one can raise the case's priority.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum IntakeSignal {
    /// The customer has contacted the business about this before.
    RepeatedContact,
    /// The complaint is visible to the public.
    PublicComplaint,
    /// The customer is valued (tier above standard).
    ValuedCustomer,
    /// The failure is major or critical.
    SevereFailure,
}

impl fmt::Display for IntakeSignal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::RepeatedContact => "repeated contact",
            Self::PublicComplaint => "public complaint",
            Self::ValuedCustomer => "valued customer",
            Self::SevereFailure => "severe failure",
        })
    }
}

/// The outcome of reading the intake signals: which were seen and the priority they set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IntakeAssessment {
    /// The signals seen, in a stable order.
    pub signals: Vec<IntakeSignal>,
    /// The priority: the host's choice, raised by the signals.
    pub priority: Priority,
}

impl IntakeAssessment {
    /// Reads the signals of a new complaint and sets its priority.
    ///
    /// The host's priority is a floor. A severe failure or a public complaint makes it
    /// at least high; two or more signals together make it urgent. Why: each signal
    /// alone predicts a customer who leaves or a story that spreads, and together they
    /// are the cases that cost the most to lose.
    ///
    /// ```
    /// use service_recovery::prelude::{Channel, CustomerTier, IntakeAssessment, Priority, Severity};
    ///
    /// let public = Channel::SocialMedia { platform: "Mastodon".into(), public: true };
    /// let a = IntakeAssessment::assess(Priority::Normal, Severity::Moderate, &public, CustomerTier::Standard, 0);
    /// assert_eq!(a.priority, Priority::High);
    /// ```
    pub fn assess(
        requested: Priority,
        severity: Severity,
        channel: &Channel,
        tier: CustomerTier,
        previous_contacts: u32,
    ) -> Self {
        let mut signals = Vec::new();
        if previous_contacts > 0 {
            signals.push(IntakeSignal::RepeatedContact);
        }
        if channel.is_public() {
            signals.push(IntakeSignal::PublicComplaint);
        }
        if tier > CustomerTier::Standard {
            signals.push(IntakeSignal::ValuedCustomer);
        }
        if severity >= Severity::Major {
            signals.push(IntakeSignal::SevereFailure);
        }
        let raised = match signals.len() {
            0 => Priority::Low,
            1 if signals.contains(&IntakeSignal::SevereFailure)
                || signals.contains(&IntakeSignal::PublicComplaint) =>
            {
                Priority::High
            }
            1 => Priority::Normal,
            _ => Priority::Urgent,
        };
        Self {
            signals,
            priority: requested.max(raised),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_signal_keeps_the_hosts_priority() {
        let a = IntakeAssessment::assess(
            Priority::Low,
            Severity::Minor,
            &Channel::Email,
            CustomerTier::Standard,
            0,
        );
        assert!(a.signals.is_empty());
        assert_eq!(a.priority, Priority::Low);
    }

    #[test]
    fn a_repeated_contact_alone_makes_the_case_normal() {
        let a = IntakeAssessment::assess(
            Priority::Low,
            Severity::Minor,
            &Channel::Phone,
            CustomerTier::Standard,
            2,
        );
        assert_eq!(a.signals, vec![IntakeSignal::RepeatedContact]);
        assert_eq!(a.priority, Priority::Normal);
    }

    #[test]
    fn a_severe_failure_makes_the_case_high() {
        let a = IntakeAssessment::assess(
            Priority::Low,
            Severity::Major,
            &Channel::Phone,
            CustomerTier::Standard,
            0,
        );
        assert_eq!(a.priority, Priority::High);
    }

    #[test]
    fn two_signals_make_the_case_urgent() {
        let a = IntakeAssessment::assess(
            Priority::Normal,
            Severity::Minor,
            &Channel::Chat,
            CustomerTier::Vip,
            1,
        );
        assert_eq!(
            a.signals,
            vec![IntakeSignal::RepeatedContact, IntakeSignal::ValuedCustomer]
        );
        assert_eq!(a.priority, Priority::Urgent);
    }

    #[test]
    fn signals_never_lower_the_hosts_priority() {
        let a = IntakeAssessment::assess(
            Priority::Urgent,
            Severity::Minor,
            &Channel::Phone,
            CustomerTier::Standard,
            1,
        );
        assert_eq!(a.priority, Priority::Urgent);
    }
}
