//! The compensation ledger (see [`Ledger`]).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use typed_builder::TypedBuilder;

use crate::id::{CaseId, CustomerId, OptionId};
use crate::money::{Currency, Money, MoneyError, MoneyTotals};

/// What a [`LedgerEntry`] records. Serialized in snake_case.
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
pub enum LedgerEntryKind {
    /// An option was offered.
    Offered,
    /// The customer accepted an offer.
    Accepted,
    /// An action carrying out an accepted option was carried out.
    Paid,
    /// A goodwill gesture with a value was made.
    Goodwill,
}

/// One line of the ledger: an amount of money moving one step, on one case, for one
/// customer, at one time.
///
/// Serialized with the field names `case`, `customer`, `at`, `kind`, `option`, `amount`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LedgerEntry {
    /// The case.
    pub case: CaseId,
    /// The customer the case is about.
    pub customer: CustomerId,
    /// When the event happened.
    pub at: DateTime<Utc>,
    /// Offered, accepted, paid or goodwill.
    pub kind: LedgerEntryKind,
    /// The option, for all but goodwill gestures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<OptionId>,
    /// How much.
    pub amount: Money,
}

/// The sums of a ledger, one [`MoneyTotals`] per column.
///
/// Serialized with the field names `offered`, `accepted`, `paid`, `goodwill`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LedgerTotals {
    /// Everything offered.
    pub offered: MoneyTotals,
    /// Everything accepted.
    pub accepted: MoneyTotals,
    /// Everything paid.
    pub paid: MoneyTotals,
    /// Every goodwill gesture's value.
    pub goodwill: MoneyTotals,
}

impl LedgerTotals {
    fn add(&mut self, entry: &LedgerEntry) -> Result<(), MoneyError> {
        match entry.kind {
            LedgerEntryKind::Offered => self.offered.add(entry.amount),
            LedgerEntryKind::Accepted => self.accepted.add(entry.amount),
            LedgerEntryKind::Paid => self.paid.add(entry.amount),
            LedgerEntryKind::Goodwill => self.goodwill.add(entry.amount),
        }
    }
}

/// The compensation ledger: what was offered, accepted and paid, and what goodwill
/// was given, derived from case histories alone.
///
/// A [`Ledger`] is a list of [`LedgerEntry`]s read from one or more histories with
/// [`ledger_of`](crate::case::ledger_of) (or [`Case::ledger`](crate::Case::ledger)) and combined with [`Ledger::extend`]. Nothing is stored beside the events, so
/// the ledger always equals the sum of the events. The definitions:
///
/// - **offered**: the option's amount when an `option_offered` event happened;
/// - **accepted**: the option's amount when an `offer_accepted` event happened;
/// - **paid**: the amount of the accepted option that an agreed action carries out,
///   when that action was *carried out* (`action_carried_out`). An action agreed but not
///   yet carried out is a promise, not a payment;
/// - **goodwill**: the value of a `goodwill_given` event, if it has one.
///
/// Options and gestures without money produce no entry. Totals are per currency
/// ([`MoneyTotals`]), per case ([`Ledger::by_case`]) or per customer
/// ([`Ledger::by_customer`]).
///
/// # Limits across cases
///
/// A case knows only its own history, but a limit such as "at most USD 100.00 of
/// goodwill per customer in any 365 days" spans the customer's other cases. The host
/// builds a [`Ledger`] from the customer's other histories and passes it in the
/// goodwill command ([`Command::Goodwill`](crate::Command::Goodwill)'s `prior` field);
/// [`decide`](crate::decide) adds this case's own entries (so they are never missing,
/// and never counted twice: entries of this case in `prior` are ignored) and checks
/// the [`CompensationLimits`] of the [`Policy`](crate::Policy). `decide` stays pure:
/// everything it reads travels in the call.
///
/// Serialized as `{"entries": [...]}`.
///
/// ```
/// use service_recovery::approval::Ledger;
///
/// let ledger = Ledger::new();
/// assert!(ledger.is_empty());
/// assert_eq!(ledger.totals()?.paid.to_string(), "nothing");
/// # Ok::<(), service_recovery::money::MoneyError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ledger {
    /// The entries, in the order their histories were added.
    #[serde(default)]
    pub entries: Vec<LedgerEntry>,
}

impl Ledger {
    /// An empty ledger.
    pub fn new() -> Ledger {
        Ledger::default()
    }

    /// Adds the entries of another ledger after this one's: the ledger of several
    /// cases is the ledgers of each, one after another.
    pub fn extend(&mut self, other: Ledger) {
        self.entries.extend(other.entries);
    }

    /// Whether the ledger has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The sums of every entry.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`] if a sum does not fit.
    pub fn totals(&self) -> Result<LedgerTotals, MoneyError> {
        let mut totals = LedgerTotals::default();
        for entry in &self.entries {
            totals.add(entry)?;
        }
        Ok(totals)
    }

    /// The sums per case.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`] if a sum does not fit.
    pub fn by_case(&self) -> Result<BTreeMap<CaseId, LedgerTotals>, MoneyError> {
        let mut out: BTreeMap<CaseId, LedgerTotals> = BTreeMap::new();
        for entry in &self.entries {
            out.entry(entry.case.clone()).or_default().add(entry)?;
        }
        Ok(out)
    }

    /// The sums per customer.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`] if a sum does not fit.
    pub fn by_customer(&self) -> Result<BTreeMap<CustomerId, LedgerTotals>, MoneyError> {
        let mut out: BTreeMap<CustomerId, LedgerTotals> = BTreeMap::new();
        for entry in &self.entries {
            out.entry(entry.customer.clone()).or_default().add(entry)?;
        }
        Ok(out)
    }

    /// The goodwill given to `customer` after `since` and up to `until`
    /// (`since < at <= until`), skipping the entries of `except` if given.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`] if a sum does not fit.
    pub fn goodwill_for(
        &self,
        customer: &CustomerId,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        except: Option<&CaseId>,
    ) -> Result<MoneyTotals, MoneyError> {
        let mut totals = MoneyTotals::new();
        for entry in self.entries.iter().filter(|e| {
            e.kind == LedgerEntryKind::Goodwill
                && &e.customer == customer
                && since < e.at
                && e.at <= until
                && except.is_none_or(|case| &e.case != case)
        }) {
            totals.add(entry.amount)?;
        }
        Ok(totals)
    }
}

fn default_window_days() -> u32 {
    365
}

/// Limits on the compensation ledger that [`decide`](crate::decide) enforces.
///
/// - `goodwill_per_customer`: the most goodwill (the values of goodwill gestures) one
///   customer may receive, across all their cases, in any `window_days` ending now; one
///   amount per currency. **A currency that is not listed has no limit** (unlike
///   authority limits, this is a cap the business opts into, not a permission).
/// - `window_days`: the length of the rolling window, 365 by default.
///
/// The default sets no limit. Serialized with those two field names.
///
/// ```
/// use service_recovery::approval::CompensationLimits;
/// use service_recovery::money::{Currency, Money};
///
/// let limits = CompensationLimits::builder()
///     .goodwill_per_customer(vec![Money::new(10_000, Currency::USD)])
///     .build();
/// assert_eq!(limits.window_days, 365);
/// assert_eq!(limits.goodwill_limit_in(Currency::USD), Some(Money::new(10_000, Currency::USD)));
/// assert_eq!(limits.goodwill_limit_in(Currency::EUR), None);
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct CompensationLimits {
    /// The most goodwill per customer in the window, per currency.
    #[builder(default)]
    #[serde(default)]
    pub goodwill_per_customer: Vec<Money>,
    /// The length of the rolling window in days.
    #[builder(default = 365)]
    #[serde(default = "default_window_days")]
    pub window_days: u32,
}

impl Default for CompensationLimits {
    fn default() -> Self {
        CompensationLimits {
            goodwill_per_customer: Vec::new(),
            window_days: default_window_days(),
        }
    }
}

impl CompensationLimits {
    /// The goodwill limit in `currency` (the smallest, if listed twice).
    pub fn goodwill_limit_in(&self, currency: Currency) -> Option<Money> {
        self.goodwill_per_customer
            .iter()
            .filter(|m| m.currency() == currency)
            .min_by_key(|m| m.minor())
            .copied()
    }

    /// The start of the rolling window that ends at `now` (exclusive).
    pub fn window_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now.checked_sub_signed(Duration::days(i64::from(self.window_days)))
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    }
}
