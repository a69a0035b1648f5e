//! The customer who was let down.

use crate::id::CustomerId;
use serde::{Deserialize, Serialize};
use std::fmt;
use typed_builder::TypedBuilder;

/// The customer a case is about.
///
/// `name`, `address_as`, `email` and `phone` are personal data: a privacy request
/// may erase them from a stored history.
///
/// ```
/// use service_recovery::prelude::{Customer, CustomerTier};
///
/// let customer = Customer::builder()
///     .id("cust-1")
///     .name("Amara Okafor")
///     .address_as("Ms Okafor")
///     .tier(CustomerTier::Valued)
///     .build();
/// assert_eq!(customer.address_as, "Ms Okafor");
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// The host's identifier for the customer.
    #[builder(setter(into))]
    pub id: CustomerId,
    /// The customer's full name.
    #[builder(setter(into))]
    pub name: String,
    /// How the customer prefers to be addressed ("Ms Okafor", "Amara").
    #[builder(setter(into))]
    pub address_as: String,
    /// How much the business values this customer; a valued customer raises priority.
    #[builder(default)]
    #[serde(default)]
    pub tier: CustomerTier,
    /// An e-mail address, if the host shares one.
    #[builder(default, setter(strip_option, into))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A telephone number, if the host shares one.
    #[builder(default, setter(strip_option, into))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// How much the business values a customer.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
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
pub enum CustomerTier {
    /// An ordinary customer.
    #[default]
    Standard,
    /// A valued customer: a frequent flyer, a loyalty-club member.
    Valued,
    /// A customer the business cannot afford to lose.
    Vip,
}

impl fmt::Display for CustomerTier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Standard => "standard",
            Self::Valued => "valued",
            Self::Vip => "VIP",
        })
    }
}
