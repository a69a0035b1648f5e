//! The answers to a `verify` request: the report of a history that breaks no rule,
//! or the first violation.

use crate::case::{Unchecked, UncheckedKind, VerifyReport, Violation};
use crate::history::{ChainReport, Tampered};
use crate::protocol::response::RejectionReply;
use serde::{Deserialize, Serialize};

/// `{"outcome":"verified", ...}`: the history's hash chain holds and it breaks no
/// rule. `unchecked` lists every check that could not be made; `message` says it all
/// in one sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Verified {
    /// The protocol version.
    pub protocol: u32,
    /// How many events were verified.
    pub events: u64,
    /// The first event with a hash-chain link, or `None` if no event has one (events
    /// before it are not covered by the chain).
    pub chain_start: Option<u64>,
    /// The link of the last event: what a host keeps elsewhere to detect a history
    /// that was rewritten or shortened. `None` if no event has a link.
    pub chain_head: Option<String>,
    /// The checks that could not be made, in the order of the events.
    pub unchecked: Vec<UncheckedReply>,
    /// The report in one sentence: `all 12 events verified`, or `12 events verified;
    /// 1 check could not be made: event 7: ...`.
    pub message: String,
}

impl Verified {
    /// The wire form of a history's chain report and rule report.
    pub(crate) fn new(protocol: u32, chain: ChainReport, report: &VerifyReport) -> Self {
        Self {
            protocol,
            events: u64::try_from(report.events()).unwrap_or(u64::MAX),
            chain_start: chain.start,
            chain_head: chain.head,
            unchecked: report
                .unchecked()
                .iter()
                .map(UncheckedReply::from)
                .collect(),
            message: report.to_string(),
        }
    }
}

/// One check `verify` could not make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UncheckedReply {
    /// The event's sequence number.
    pub sequence: u64,
    /// Which check.
    pub check: UncheckedCheck,
    /// What was not checked and why, in a sentence.
    pub message: String,
}

impl From<&Unchecked> for UncheckedReply {
    fn from(unchecked: &Unchecked) -> Self {
        Self {
            sequence: unchecked.sequence,
            check: UncheckedCheck::from(unchecked.kind),
            message: unchecked.to_string(),
        }
    }
}

/// The stable code of a check that could not be made ([`UncheckedKind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum UncheckedCheck {
    /// Whether the approver held the role and the approval limit.
    ApproverAuthority,
    /// Whether an offer lay within the offering person's own limits.
    OfferingLimits,
    /// Whether goodwill lay within the giver's own limits.
    GoodwillLimits,
    /// The customer's goodwill on other cases.
    GoodwillOnOtherCases,
}

impl From<UncheckedKind> for UncheckedCheck {
    fn from(kind: UncheckedKind) -> Self {
        match kind {
            UncheckedKind::ApproverAuthority => Self::ApproverAuthority,
            UncheckedKind::OfferingLimits => Self::OfferingLimits,
            UncheckedKind::GoodwillLimits => Self::GoodwillLimits,
            UncheckedKind::GoodwillOnOtherCases => Self::GoodwillOnOtherCases,
        }
    }
}

/// `{"outcome":"violated", "violation": {...}}`: the history breaks its hash chain
/// or a rule; nothing after the first violation was checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Violated {
    /// The protocol version.
    pub protocol: u32,
    /// The first violation.
    pub violation: ViolationReply,
}

/// The first way a history breaks its chain or a rule: the event at fault, a stable
/// code, a plain sentence and, when a rule refused the event, the rejection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ViolationReply {
    /// The sequence number of the event at fault (1 for an empty history: the
    /// opening that is missing).
    pub sequence: u64,
    /// What kind of violation.
    pub code: ViolationCode,
    /// One plain sentence.
    pub message: String,
    /// For `refused`, the rejection [`decide`](crate::decide) gives the event's
    /// command; `null` otherwise.
    pub rejection: Option<RejectionReply>,
}

impl From<&Violation> for ViolationReply {
    fn from(violation: &Violation) -> Self {
        let rejection = match violation {
            Violation::Refused { rejection, .. } => Some(RejectionReply::new(rejection)),
            Violation::EmptyHistory
            | Violation::NotOpenedFirst { .. }
            | Violation::OpenedAgain { .. }
            | Violation::SequenceGap { .. }
            | Violation::TimeWentBackwards { .. }
            | Violation::Altered { .. }
            | Violation::Unexpected { .. }
            | Violation::Missing { .. }
            | Violation::Unexplained { .. } => None,
        };
        Self {
            sequence: violation.sequence(),
            code: ViolationCode::from(violation),
            message: violation.to_string(),
            rejection,
        }
    }
}

impl From<&Tampered> for ViolationReply {
    fn from(tampered: &Tampered) -> Self {
        Self {
            sequence: tampered.sequence,
            code: ViolationCode::Tampered,
            message: tampered.to_string(),
            rejection: None,
        }
    }
}

/// The stable code of a [`ViolationReply`]: `tampered` for a broken hash chain, the
/// others one per kind of [`Violation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ViolationCode {
    /// An event does not match its hash-chain link, lacks one after the chain started,
    /// or stands out of sequence in the chain.
    Tampered,
    /// There are no events.
    EmptyHistory,
    /// The first event is not the opening.
    NotOpenedFirst,
    /// The case is opened a second time.
    OpenedAgain,
    /// A sequence number is missing, repeated or out of order.
    SequenceGap,
    /// An event is dated before the one before it.
    TimeWentBackwards,
    /// A rule refuses the command that records the event (see `rejection`).
    Refused,
    /// The event is not exactly what decide records for its command.
    Altered,
    /// Another kind of event stands where decide records one.
    Unexpected,
    /// The history ends where decide records one more event.
    Missing,
    /// No command records the event at this point.
    Unexplained,
}

impl ViolationCode {
    /// Every code, in the order of the variants.
    pub const ALL: &'static [ViolationCode] = &[
        Self::Tampered,
        Self::EmptyHistory,
        Self::NotOpenedFirst,
        Self::OpenedAgain,
        Self::SequenceGap,
        Self::TimeWentBackwards,
        Self::Refused,
        Self::Altered,
        Self::Unexpected,
        Self::Missing,
        Self::Unexplained,
    ];
}

impl From<&Violation> for ViolationCode {
    fn from(violation: &Violation) -> Self {
        match violation {
            Violation::EmptyHistory => Self::EmptyHistory,
            Violation::NotOpenedFirst { .. } => Self::NotOpenedFirst,
            Violation::OpenedAgain { .. } => Self::OpenedAgain,
            Violation::SequenceGap { .. } => Self::SequenceGap,
            Violation::TimeWentBackwards { .. } => Self::TimeWentBackwards,
            Violation::Refused { .. } => Self::Refused,
            Violation::Altered { .. } => Self::Altered,
            Violation::Unexpected { .. } => Self::Unexpected,
            Violation::Missing { .. } => Self::Missing,
            Violation::Unexplained { .. } => Self::Unexplained,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Rejection;
    use crate::history::ChainBreak;
    use crate::id::CaseId;
    use chrono::{TimeZone, Utc};
    use serde_json::json;

    fn code(violation: &Violation) -> (serde_json::Value, u64, bool) {
        let reply = ViolationReply::from(violation);
        assert_eq!(reply.message, violation.to_string());
        (
            serde_json::to_value(reply.code).unwrap(),
            reply.sequence,
            reply.rejection.is_some(),
        )
    }

    #[test]
    fn every_violation_has_its_code() {
        let at = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
        let cases = [
            (Violation::EmptyHistory, "empty_history", 1),
            (
                Violation::NotOpenedFirst {
                    sequence: 2,
                    kind: "thanked",
                },
                "not_opened_first",
                2,
            ),
            (Violation::OpenedAgain { sequence: 3 }, "opened_again", 3),
            (
                Violation::SequenceGap {
                    sequence: 5,
                    expected: 4,
                },
                "sequence_gap",
                5,
            ),
            (
                Violation::TimeWentBackwards {
                    sequence: 6,
                    at,
                    previous: at,
                },
                "time_went_backwards",
                6,
            ),
            (
                Violation::Altered {
                    sequence: 7,
                    kind: "thanked",
                    fields: vec!["at".into()],
                },
                "altered",
                7,
            ),
            (
                Violation::Unexpected {
                    sequence: 8,
                    found: "thanked",
                    expected: "approvals_voided",
                },
                "unexpected",
                8,
            ),
            (
                Violation::Missing {
                    sequence: 9,
                    expected: "approvals_voided",
                },
                "missing",
                9,
            ),
            (
                Violation::Unexplained {
                    sequence: 10,
                    kind: "approvals_voided",
                },
                "unexplained",
                10,
            ),
        ];
        for (violation, name, sequence) in &cases {
            assert_eq!(code(violation), (json!(name), *sequence, false), "{name}");
        }
        let refused = Violation::Refused {
            sequence: 11,
            kind: "thanked",
            rejection: Box::new(Rejection::NotWaiting),
        };
        assert_eq!(code(&refused), (json!("refused"), 11, true));
        let reply = ViolationReply::from(&refused);
        assert_eq!(
            reply.rejection,
            Some(RejectionReply::new(&Rejection::NotWaiting))
        );
        let tampered = Tampered {
            case: CaseId::new("case-1"),
            sequence: 4,
            reason: ChainBreak::Altered,
        };
        let reply = ViolationReply::from(&tampered);
        assert_eq!(
            (reply.code, reply.sequence, reply.rejection),
            (ViolationCode::Tampered, 4, None)
        );
        assert_eq!(reply.message, tampered.to_string());
        let named: Vec<serde_json::Value> = ViolationCode::ALL
            .iter()
            .map(|code| serde_json::to_value(code).unwrap())
            .collect();
        let expected = json!([
            "tampered",
            "empty_history",
            "not_opened_first",
            "opened_again",
            "sequence_gap",
            "time_went_backwards",
            "refused",
            "altered",
            "unexpected",
            "missing",
            "unexplained"
        ]);
        assert_eq!(json!(named), expected);
    }

    #[test]
    fn every_unchecked_kind_has_its_code() {
        for (kind, name) in [
            (UncheckedKind::ApproverAuthority, "approver_authority"),
            (UncheckedKind::OfferingLimits, "offering_limits"),
            (UncheckedKind::GoodwillLimits, "goodwill_limits"),
            (
                UncheckedKind::GoodwillOnOtherCases,
                "goodwill_on_other_cases",
            ),
        ] {
            let unchecked = Unchecked { sequence: 7, kind };
            let reply = UncheckedReply::from(&unchecked);
            assert_eq!(serde_json::to_value(reply.check).unwrap(), json!(name));
            assert_eq!(reply.sequence, 7);
            assert_eq!(reply.message, unchecked.to_string());
        }
    }
}
