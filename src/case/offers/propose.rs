//! Proposing and revising resolution options, before anything is shown to the customer.

use crate::approval::ResolutionOption;
use crate::case::approvals;
use crate::case::command::Intent;
use crate::case::decision::{Decide, Decision, Recorder, not_blank, positive};
use crate::case::event::EventKind;
use crate::case::rejection::{Field, Rejection};
use crate::id::OptionId;
use serde::{Deserialize, Serialize};

/// Propose a resolution option internally (not yet shown to the customer):
/// `{"command":"propose_option","option":"o-1","resolution":{...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeOption {
    /// The host's identifier for the option.
    pub option: OptionId,
    /// What it offers.
    pub resolution: ResolutionOption,
}

/// Change a proposed option's terms; a material change voids its approvals:
/// `{"command":"revise_option","option":"o-1","resolution":{...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviseOption {
    /// The option.
    pub option: OptionId,
    /// Its new terms.
    pub resolution: ResolutionOption,
}

impl Decide for ProposeOption {
    fn intent(&self) -> Intent {
        Intent::ProposeOption
    }
    fn decide(&self, at: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        if at.case.options().contains_key(&self.option) {
            return Err(Rejection::OptionExists {
                option: self.option.clone(),
            });
        }
        not_blank(&self.resolution.description, Field::OptionDescription)?;
        positive(self.resolution.amount.as_ref())?;
        out.record(EventKind::OptionProposed {
            option: self.option.clone(),
            resolution: self.resolution.clone(),
        });
        Ok(())
    }
}

impl Decide for ReviseOption {
    fn intent(&self) -> Intent {
        Intent::ReviseOption(self.option.clone())
    }
    fn decide(&self, at: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        not_blank(&self.resolution.description, Field::OptionDescription)?;
        positive(self.resolution.amount.as_ref())?;
        out.record(EventKind::OptionRevised {
            option: self.option.clone(),
            resolution: self.resolution.clone(),
        });
        // Revising an approved option voids its approvals in the same breath.
        if approvals::voided_by_revision(at.case, &self.option, &self.resolution) {
            out.record(EventKind::ApprovalsVoided {
                option: self.option.clone(),
            });
        }
        Ok(())
    }
}
