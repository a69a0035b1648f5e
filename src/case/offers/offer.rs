//! Offering an option to the customer, and their answer.
//!
//! The approval gate runs in the shared guard (`approvals::check_offer`), so an offer
//! that lacks an approval is refused here and in `next_actions` alike.

use crate::approval::Authority;
use crate::case::command::Intent;
use crate::case::decision::{Decide, Decision, Recorder};
use crate::case::event::EventKind;
use crate::case::rejection::Rejection;
use crate::id::OptionId;
use serde::{Deserialize, Serialize};

/// Offer a proposed option to the customer: `{"command":"offer_option","option":"o-1"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferOption {
    /// The option.
    pub option: OptionId,
}

/// Record that the customer accepted an offer:
/// `{"command":"accept_offer","option":"o-1"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptOffer {
    /// The option.
    pub option: OptionId,
}

/// Record that the customer declined an offer:
/// `{"command":"decline_offer","option":"o-1","reason":"..."}` (`reason` optional).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineOffer {
    /// The option.
    pub option: OptionId,
    /// Why, if the customer said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Decide for OfferOption {
    fn intent(&self) -> Intent {
        Intent::OfferOption(self.option.clone())
    }
    fn decide(&self, at: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        out.record(EventKind::OptionOffered {
            option: self.option.clone(),
            authority: Some(Box::new(Authority::of(at.actor))),
        });
        Ok(())
    }
}

impl Decide for AcceptOffer {
    fn intent(&self) -> Intent {
        Intent::AcceptOffer(self.option.clone())
    }
    fn decide(&self, _: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        out.record(EventKind::OfferAccepted {
            option: self.option.clone(),
        });
        Ok(())
    }
}

impl Decide for DeclineOffer {
    fn intent(&self) -> Intent {
        Intent::DeclineOffer(self.option.clone())
    }
    fn decide(&self, _: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        out.record(EventKind::OfferDeclined {
            option: self.option.clone(),
            reason: self.reason.clone(),
        });
        Ok(())
    }
}
