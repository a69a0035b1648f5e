//! Goodwill: something extra beyond the fix, within the customer's goodwill limit.

use crate::approval::{Authority, Ledger};
use crate::case::approvals;
use crate::case::command::Intent;
use crate::case::decision::{Decide, Decision, Recorder, positive, text};
use crate::case::event::EventKind;
use crate::case::rejection::{Field, Rejection};
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// Make a goodwill gesture beyond the fix:
/// `{"command":"goodwill","description":"...","value":{"minor":2500,"currency":"EUR"}}`.
///
/// A gesture with a value is value reaching the customer, so it passes the same gate
/// as an option: the giver may give it alone only when the same amount proposed as a
/// goodwill option ([`ResolutionKind::Goodwill`](crate::approval::ResolutionKind))
/// would need nobody's approval, which means within their own
/// [`offer_per_option`](crate::approval::AuthorityLimits::offer_per_option) and
/// [`offer_per_case`](crate::approval::AuthorityLimits::offer_per_case) limits (the
/// case total counts goodwill already given) and no rule of the approval policy
/// asking for more. Beyond that it is refused with
/// [`Rejection::GoodwillNeedsApproval`], which says what the option would need:
/// propose it, request approval and offer it. Someone with no limits gives nothing
/// of value alone, under every policy.
///
/// `prior` carries the customer's goodwill on their other cases (the host's ledger),
/// so the per-customer limit is checked without `decide` reading a database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goodwill {
    /// What is given, in words meant for the customer.
    pub description: String,
    /// Its value, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Money>,
    /// The customer's goodwill on other cases.
    #[serde(default, skip_serializing_if = "Ledger::is_empty")]
    pub prior: Ledger,
}

impl Decide for Goodwill {
    fn intent(&self) -> Intent {
        Intent::Goodwill
    }
    fn decide(&self, at: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        positive(self.value.as_ref())?;
        approvals::check_goodwill(at.case, self.value.as_ref(), &self.prior, at)?;
        out.record(EventKind::GoodwillGiven {
            description: text(&self.description, Field::Goodwill)?,
            value: self.value,
            authority: Some(Box::new(Authority::of(at.actor))),
        });
        Ok(())
    }
}
