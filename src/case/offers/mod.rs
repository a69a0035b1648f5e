//! Options and offers: resolutions proposed internally, revised, offered to the
//! customer once approved, accepted or declined; the actions agreed and carried out;
//! goodwill beyond the fix.

mod action;
mod goodwill;
mod offer;
mod propose;

pub use action::{AgreeAction, CarryOut};
pub use goodwill::Goodwill;
pub use offer::{AcceptOffer, DeclineOffer, OfferOption};
pub use propose::{ProposeOption, ReviseOption};

use crate::case::rejection::Rejection;
use crate::case::{Case, OptionStatus};
use crate::id::OptionId;

/// Where an option stands, or why it cannot be found.
pub(crate) fn option_status(case: &Case, option: &OptionId) -> Result<OptionStatus, Rejection> {
    case.options()
        .get(option)
        .map(|o| o.status)
        .ok_or_else(|| Rejection::UnknownOption {
            option: option.clone(),
        })
}
