//! Resolution options: what an agent can offer a customer.

use std::fmt;

use serde::{Deserialize, Serialize};
use typed_builder::TypedBuilder;

use crate::money::Money;

crate::id::identifier!(
    /// A reference to a written policy of the business, such as `non-refundable-fare`
    /// or `30-day-return-window`. An option that makes an exception to it *waives* it.
    ///
    /// Serialized as a plain string.
    PolicyRef
);

/// The kind of a resolution option.
///
/// Serialized in snake_case: the named kinds as strings (`"refund"`,
/// `"partial_refund"`, `"replacement"`, `"account_credit"`, `"fee_waiver"`,
/// `"upgrade"`, `"goodwill"`), and a host-defined kind as `{"custom": "name"}`.
///
/// ```
/// use service_recovery::approval::ResolutionKind;
///
/// let kinds = vec![ResolutionKind::PartialRefund, ResolutionKind::Custom("lounge pass".into())];
/// let json = serde_json::to_string(&kinds)?;
/// assert_eq!(json, r#"["partial_refund",{"custom":"lounge pass"}]"#);
/// assert_eq!(ResolutionKind::AccountCredit.to_string(), "account credit");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ResolutionKind {
    /// Money back in full.
    Refund,
    /// Part of the money back.
    PartialRefund,
    /// The product or service again, or an equivalent one.
    Replacement,
    /// Credit on the customer's account for future use.
    AccountCredit,
    /// A fee that is not charged.
    FeeWaiver,
    /// A better product or service than was bought.
    Upgrade,
    /// A gesture beyond what is owed, to turn a bad moment into a good story.
    Goodwill,
    /// A kind the host defines, by name.
    Custom(String),
}

impl fmt::Display for ResolutionKind {
    /// Plain words: `refund`, `partial refund`, `account credit`, `goodwill gesture`,
    /// or the custom name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ResolutionKind::Refund => "refund",
            ResolutionKind::PartialRefund => "partial refund",
            ResolutionKind::Replacement => "replacement",
            ResolutionKind::AccountCredit => "account credit",
            ResolutionKind::FeeWaiver => "fee waiver",
            ResolutionKind::Upgrade => "upgrade",
            ResolutionKind::Goodwill => "goodwill gesture",
            ResolutionKind::Custom(name) => name,
        })
    }
}

/// One resolution an agent may offer: a kind, an optional amount of money, the
/// written policies it makes an exception to, and a description for the customer.
///
/// Serialized with the field names `kind`, `amount` (a [`Money`] or `null`),
/// `waives` (a list of policy names) and `description`.
///
/// ```
/// use service_recovery::approval::{ResolutionKind, ResolutionOption};
/// use service_recovery::money::{Currency, Money};
///
/// let refund = ResolutionOption::builder()
///     .kind(ResolutionKind::Refund)
///     .amount(Money::new(42_000, Currency::USD))
///     .waives(vec!["non-refundable-fare".into()])
///     .description("Full refund of the ticket, as a medical exception")
///     .build();
/// assert_eq!(refund.to_string(), "refund of USD 420.00 (waiving non-refundable-fare)");
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct ResolutionOption {
    /// What kind of resolution this is.
    pub kind: ResolutionKind,
    /// The money involved, if any (a replacement or an upgrade may have none).
    #[builder(default, setter(strip_option))]
    #[serde(default)]
    pub amount: Option<Money>,
    /// The written policies this option makes an exception to.
    #[builder(default)]
    #[serde(default)]
    pub waives: Vec<PolicyRef>,
    /// What the customer is offered, in words meant for them.
    #[builder(default, setter(into))]
    #[serde(default)]
    pub description: String,
}

impl fmt::Display for ResolutionOption {
    /// `refund of USD 420.00 (waiving non-refundable-fare)`, `upgrade`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        if let Some(amount) = &self.amount {
            write!(f, " of {amount}")?;
        }
        for (i, policy) in self.waives.iter().enumerate() {
            let lead = if i == 0 { " (waiving " } else { ", " };
            write!(f, "{lead}{policy}")?;
        }
        if !self.waives.is_empty() {
            f.write_str(")")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    #[test]
    fn option_round_trips_through_json() -> Result<(), serde_json::Error> {
        let option = ResolutionOption::builder()
            .kind(ResolutionKind::Custom("lounge pass".into()))
            .amount(Money::new(5_000, Currency::EUR))
            .waives(vec![
                "30-day-return-window".into(),
                "no-upgrades-on-sale".into(),
            ])
            .description("Lounge access on your next flight")
            .build();
        let json = serde_json::to_value(&option)?;
        assert_eq!(
            json,
            serde_json::json!({
                "kind": {"custom": "lounge pass"},
                "amount": {"minor": 5000, "currency": "EUR"},
                "waives": ["30-day-return-window", "no-upgrades-on-sale"],
                "description": "Lounge access on your next flight",
            })
        );
        assert_eq!(serde_json::from_value::<ResolutionOption>(json)?, option);
        assert_eq!(
            option.to_string(),
            "lounge pass of EUR 50.00 (waiving 30-day-return-window, no-upgrades-on-sale)"
        );
        Ok(())
    }

    #[test]
    fn minimal_option_needs_only_a_kind() -> Result<(), serde_json::Error> {
        let option: ResolutionOption = serde_json::from_str(r#"{"kind":"upgrade"}"#)?;
        assert_eq!(
            option,
            ResolutionOption::builder()
                .kind(ResolutionKind::Upgrade)
                .build()
        );
        assert_eq!(option.to_string(), "upgrade");
        Ok(())
    }
}
