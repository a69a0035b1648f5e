//! Exact counters that merge by addition: response-target outcomes, promises,
//! approvals, surveys, and sums of money per currency.

use crate::money::{Currency, Money};
use crate::schedule::commitment::Punctuality;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// How one response-target clock ended one round of a case (or one update period).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockOutcome {
    /// Stopped by its condition within the target.
    Met,
    /// Stopped by its condition after the target.
    Late,
    /// Not stopped, and already past the target at the end of the history (or at the
    /// backtest's `as_of`).
    Overdue,
    /// Not stopped, still within the target.
    Pending,
    /// The case ended (closed or withdrawn) before the condition happened.
    Ended,
}

impl fmt::Display for ClockOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Met => "met",
            Self::Late => "late",
            Self::Overdue => "overdue",
            Self::Pending => "pending",
            Self::Ended => "ended first",
        })
    }
}

/// Outcomes of one clock, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockTally {
    /// Met within the target.
    pub met: u64,
    /// Met after the target.
    pub late: u64,
    /// Unmet and past the target.
    pub overdue: u64,
    /// Unmet, within the target.
    pub pending: u64,
    /// The case ended first.
    pub ended: u64,
}

impl ClockTally {
    /// Counts one outcome.
    pub fn record(&mut self, outcome: ClockOutcome) {
        let slot = match outcome {
            ClockOutcome::Met => &mut self.met,
            ClockOutcome::Late => &mut self.late,
            ClockOutcome::Overdue => &mut self.overdue,
            ClockOutcome::Pending => &mut self.pending,
            ClockOutcome::Ended => &mut self.ended,
        };
        *slot = slot.saturating_add(1);
    }

    /// Adds another tally.
    pub fn merge(&mut self, other: &ClockTally) {
        self.met = self.met.saturating_add(other.met);
        self.late = self.late.saturating_add(other.late);
        self.overdue = self.overdue.saturating_add(other.overdue);
        self.pending = self.pending.saturating_add(other.pending);
        self.ended = self.ended.saturating_add(other.ended);
    }

    /// Every outcome counted.
    pub fn total(&self) -> u64 {
        self.met
            .saturating_add(self.late)
            .saturating_add(self.overdue)
            .saturating_add(self.pending)
            .saturating_add(self.ended)
    }

    /// The breaches: late plus overdue.
    pub fn breached(&self) -> u64 {
        self.late.saturating_add(self.overdue)
    }

    /// Attainment: met ÷ (met + late + overdue), the share of decided clocks that met
    /// their target; `None` when nothing is decided.
    ///
    /// ```
    /// use service_recovery::metrics::{ClockOutcome, ClockTally};
    ///
    /// let mut tally = ClockTally::default();
    /// for outcome in [ClockOutcome::Met, ClockOutcome::Met, ClockOutcome::Late, ClockOutcome::Pending] {
    ///     tally.record(outcome);
    /// }
    /// assert_eq!(tally.attainment(), Some(2.0 / 3.0));
    /// ```
    pub fn attainment(&self) -> Option<f64> {
        let decided = self.met.saturating_add(self.breached());
        #[allow(clippy::cast_precision_loss)]
        (decided > 0).then(|| self.met as f64 / decided as f64)
    }
}

/// Promises, counted by how they ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentTally {
    /// Promises made.
    pub made: u64,
    /// Kept by the internal target.
    pub kept_early: u64,
    /// Kept after the internal target, by the date told to the customer.
    pub kept_on_time: u64,
    /// Kept after the date told to the customer.
    pub kept_late: u64,
    /// Broken.
    pub broken: u64,
    /// Cancelled.
    pub cancelled: u64,
}

impl CommitmentTally {
    /// Counts a promise kept with this punctuality.
    pub fn kept(&mut self, punctuality: Punctuality) {
        let slot = match punctuality {
            Punctuality::Early => &mut self.kept_early,
            Punctuality::OnTime => &mut self.kept_on_time,
            Punctuality::Late => &mut self.kept_late,
        };
        *slot = slot.saturating_add(1);
    }

    /// Promises kept, however punctually.
    pub fn kept_total(&self) -> u64 {
        self.kept_early
            .saturating_add(self.kept_on_time)
            .saturating_add(self.kept_late)
    }

    /// Adds another tally.
    pub fn merge(&mut self, other: &CommitmentTally) {
        self.made = self.made.saturating_add(other.made);
        self.kept_early = self.kept_early.saturating_add(other.kept_early);
        self.kept_on_time = self.kept_on_time.saturating_add(other.kept_on_time);
        self.kept_late = self.kept_late.saturating_add(other.kept_late);
        self.broken = self.broken.saturating_add(other.broken);
        self.cancelled = self.cancelled.saturating_add(other.cancelled);
    }
}

/// Approval requests, counted by how they ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalTally {
    /// Requests made.
    pub requested: u64,
    /// Requests whose every level was granted.
    pub granted: u64,
    /// Requests denied.
    pub denied: u64,
    /// Requests withdrawn by the requester.
    pub withdrawn: u64,
    /// Requests voided because the option changed.
    pub voided: u64,
}

impl ApprovalTally {
    /// Adds another tally.
    pub fn merge(&mut self, other: &ApprovalTally) {
        self.requested = self.requested.saturating_add(other.requested);
        self.granted = self.granted.saturating_add(other.granted);
        self.denied = self.denied.saturating_add(other.denied);
        self.withdrawn = self.withdrawn.saturating_add(other.withdrawn);
        self.voided = self.voided.saturating_add(other.voided);
    }
}

/// Survey answers: scores counted, and the change of score after a recovery.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyTally {
    /// Answers by score: `scores[0]` counts 1-star answers, `scores[4]` 5-star ones.
    pub scores: [u64; 5],
    /// Cases answered more than once (a later round followed a recovery).
    pub resurveyed: u64,
    /// The sum over those cases of last score minus first score.
    pub change_sum: i64,
    /// Those whose last score is higher than the first.
    pub improved: u64,
    /// Those whose last score equals the first.
    pub unchanged: u64,
    /// Those whose last score is lower than the first.
    pub worsened: u64,
}

impl SurveyTally {
    /// Counts one answer; scores outside 1 to 5 are ignored.
    pub fn score(&mut self, score: u8) {
        if let Some(n) = score
            .checked_sub(1)
            .and_then(|i| self.scores.get_mut(usize::from(i)))
        {
            *n = n.saturating_add(1);
        }
    }

    /// Counts a case first scored `first` and last scored `last`.
    pub fn change(&mut self, first: u8, last: u8) {
        self.resurveyed = self.resurveyed.saturating_add(1);
        self.change_sum = self
            .change_sum
            .saturating_add(i64::from(last) - i64::from(first));
        let slot = match last.cmp(&first) {
            std::cmp::Ordering::Greater => &mut self.improved,
            std::cmp::Ordering::Equal => &mut self.unchanged,
            std::cmp::Ordering::Less => &mut self.worsened,
        };
        *slot = slot.saturating_add(1);
    }

    /// Answers counted.
    pub fn answers(&self) -> u64 {
        self.scores.iter().fold(0u64, |a, n| a.saturating_add(*n))
    }

    /// The mean score; `None` without answers.
    pub fn mean(&self) -> Option<f64> {
        let weighted = (1u64..)
            .zip(self.scores)
            .fold(0u64, |a, (s, n)| a.saturating_add(s.saturating_mul(n)));
        let answers = self.answers();
        #[allow(clippy::cast_precision_loss)]
        (answers > 0).then(|| weighted as f64 / answers as f64)
    }

    /// The mean change of score after a recovery; `None` if no case was resurveyed.
    pub fn mean_change(&self) -> Option<f64> {
        #[allow(clippy::cast_precision_loss)]
        (self.resurveyed > 0).then(|| self.change_sum as f64 / self.resurveyed as f64)
    }

    /// Adds another tally.
    pub fn merge(&mut self, other: &SurveyTally) {
        for (a, b) in self.scores.iter_mut().zip(other.scores) {
            *a = a.saturating_add(b);
        }
        self.resurveyed = self.resurveyed.saturating_add(other.resurveyed);
        self.change_sum = self.change_sum.saturating_add(other.change_sum);
        self.improved = self.improved.saturating_add(other.improved);
        self.unchanged = self.unchanged.saturating_add(other.unchanged);
        self.worsened = self.worsened.saturating_add(other.worsened);
    }
}

/// Sums of money, one per currency, in minor units, exact (128-bit, so no realistic
/// total overflows; a sum past the range saturates).
///
/// Serialized as a map from currency code to minor units: `{"EUR": 1500}`.
///
/// ```
/// use service_recovery::metrics::MoneySums;
/// use service_recovery::money::{Currency, Money};
///
/// let mut sums = MoneySums::default();
/// sums.add(Money::new(1_500, Currency::EUR));
/// sums.add(Money::new(250, Currency::EUR));
/// sums.add(Money::new(900, Currency::USD));
/// assert_eq!(sums.get(Currency::EUR), 1_750);
/// assert_eq!(sums.to_string(), "EUR 17.50, USD 9.00");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "BTreeMap<Currency, i128>", into = "BTreeMap<Currency, i128>")]
pub struct MoneySums {
    /// The sum in the lowest currency code, kept inline: most cases and most
    /// aggregates deal in one currency, and then adding and merging allocate nothing.
    first: Option<(Currency, i128)>,
    /// The sums in the other currencies, by currency code, each above `first`'s.
    more: Vec<(Currency, i128)>,
}

impl MoneySums {
    /// Adds an amount.
    pub fn add(&mut self, amount: Money) {
        self.add_minor(amount.currency(), i128::from(amount.minor()));
    }

    fn add_minor(&mut self, currency: Currency, minor: i128) {
        match &mut self.first {
            Some((c, sum)) if *c == currency => *sum = sum.saturating_add(minor),
            Some((c, sum)) if currency < *c => {
                // A new lowest code: the old first moves to the front of the rest.
                self.more.insert(0, (*c, *sum));
                *c = currency;
                *sum = minor;
            }
            Some(_) => match self.more.binary_search_by_key(&currency, |(c, _)| *c) {
                Ok(i) => {
                    if let Some((_, sum)) = self.more.get_mut(i) {
                        *sum = sum.saturating_add(minor);
                    }
                }
                Err(i) => self.more.insert(i, (currency, minor)),
            },
            None => self.first = Some((currency, minor)),
        }
    }

    /// The sum in `currency`, in minor units (zero if none).
    pub fn get(&self, currency: Currency) -> i128 {
        self.iter()
            .find(|(c, _)| *c == currency)
            .map_or(0, |(_, sum)| sum)
    }

    /// Each currency with its sum, by currency code.
    pub fn iter(&self) -> impl Iterator<Item = (Currency, i128)> + '_ {
        self.first.iter().chain(self.more.iter()).copied()
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.first.is_none()
    }

    /// Adds every sum of `other`.
    pub fn merge(&mut self, other: &MoneySums) {
        for (currency, sum) in other.iter() {
            self.add_minor(currency, sum);
        }
    }
}

impl From<BTreeMap<Currency, i128>> for MoneySums {
    fn from(map: BTreeMap<Currency, i128>) -> Self {
        let mut sums = MoneySums::default();
        for (currency, sum) in map {
            sums.add_minor(currency, sum);
        }
        sums
    }
}

impl From<MoneySums> for BTreeMap<Currency, i128> {
    fn from(sums: MoneySums) -> Self {
        sums.iter().collect()
    }
}

impl fmt::Display for MoneySums {
    /// `EUR 17.50, USD 9.00`; `none` when empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("none");
        }
        for (i, (currency, sum)) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            let per = i128::from(currency.minor_per_major());
            let digits = usize::try_from(currency.minor_unit_digits()).unwrap_or(2);
            let sign = if sum < 0 { "-" } else { "" };
            let (major, minor) = (sum.abs() / per, sum.abs() % per);
            if digits == 0 {
                write!(f, "{currency} {sign}{major}")?;
            } else {
                write!(f, "{currency} {sign}{major}.{minor:0digits$}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_tally_counts_each_outcome_in_its_own_slot() {
        let mut t = ClockTally::default();
        assert_eq!(t.attainment(), None);
        for (outcome, times) in [
            (ClockOutcome::Met, 5),
            (ClockOutcome::Late, 3),
            (ClockOutcome::Overdue, 2),
            (ClockOutcome::Pending, 7),
            (ClockOutcome::Ended, 11),
        ] {
            (0..times).for_each(|_| t.record(outcome));
        }
        assert_eq!(
            t,
            ClockTally {
                met: 5,
                late: 3,
                overdue: 2,
                pending: 7,
                ended: 11
            }
        );
        assert_eq!(t.total(), 28);
        assert_eq!(t.breached(), 5);
        assert_eq!(t.attainment(), Some(0.5));
        let mut u = t;
        u.merge(&t);
        assert_eq!(u.met, 10);
        assert_eq!(u.late, 6);
        assert_eq!(u.overdue, 4);
        assert_eq!(u.pending, 14);
        assert_eq!(u.ended, 22);
    }

    #[test]
    fn outcomes_read_in_plain_words() {
        let words: Vec<String> = [
            ClockOutcome::Met,
            ClockOutcome::Late,
            ClockOutcome::Overdue,
            ClockOutcome::Pending,
            ClockOutcome::Ended,
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(words, ["met", "late", "overdue", "pending", "ended first"]);
    }

    #[test]
    fn commitments_and_approvals_merge_field_by_field() {
        let mut c = CommitmentTally {
            made: 6,
            broken: 1,
            cancelled: 2,
            ..Default::default()
        };
        c.kept(Punctuality::Early);
        c.kept(Punctuality::OnTime);
        c.kept(Punctuality::OnTime);
        c.kept(Punctuality::Late);
        assert_eq!((c.kept_early, c.kept_on_time, c.kept_late), (1, 2, 1));
        assert_eq!(c.kept_total(), 4);
        let mut d = c;
        d.merge(&c);
        assert_eq!(
            d,
            CommitmentTally {
                made: 12,
                kept_early: 2,
                kept_on_time: 4,
                kept_late: 2,
                broken: 2,
                cancelled: 4
            }
        );
        let a = ApprovalTally {
            requested: 5,
            granted: 1,
            denied: 2,
            withdrawn: 3,
            voided: 4,
        };
        let mut b = a;
        b.merge(&a);
        assert_eq!(
            b,
            ApprovalTally {
                requested: 10,
                granted: 2,
                denied: 4,
                withdrawn: 6,
                voided: 8
            }
        );
    }

    #[test]
    fn surveys_count_scores_and_changes() {
        let mut s = SurveyTally::default();
        assert_eq!(s.mean(), None);
        assert_eq!(s.mean_change(), None);
        for score in [1, 2, 5, 5, 0, 6] {
            s.score(score);
        }
        assert_eq!(s.scores, [1, 1, 0, 0, 2]);
        assert_eq!(s.answers(), 4);
        assert_eq!(s.mean(), Some(13.0 / 4.0));
        s.change(1, 5);
        s.change(2, 2);
        s.change(4, 3);
        assert_eq!((s.improved, s.unchanged, s.worsened), (1, 1, 1));
        assert_eq!(s.change_sum, 3);
        assert_eq!(s.mean_change(), Some(1.0));
        let mut t = s;
        t.merge(&s);
        assert_eq!(t.scores, [2, 2, 0, 0, 4]);
        assert_eq!(
            (
                t.resurveyed,
                t.change_sum,
                t.improved,
                t.unchanged,
                t.worsened
            ),
            (6, 6, 2, 2, 2)
        );
    }

    #[test]
    fn money_sums_keep_currencies_apart() {
        let mut a = MoneySums::default();
        assert!(a.is_empty());
        assert_eq!(a.to_string(), "none");
        a.add(Money::new(-250, Currency::EUR));
        a.add(Money::new(5_000, Currency::JPY));
        assert_eq!(a.to_string(), "EUR -2.50, JPY 5000");
        let mut b = MoneySums::default();
        b.add(Money::new(1_000, Currency::EUR));
        b.add(Money::new(7, Currency::KWD));
        a.merge(&b);
        assert_eq!(a.get(Currency::EUR), 750);
        assert_eq!(a.get(Currency::KWD), 7);
        assert_eq!(a.get(Currency::USD), 0);
        assert_eq!(a.to_string(), "EUR 7.50, JPY 5000, KWD 0.007");
        assert_eq!(a.iter().count(), 3);
        assert!(!a.is_empty());
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            r#"{"EUR":1000,"KWD":7}"#
        );
    }

    #[test]
    fn money_sums_are_the_same_whatever_order_currencies_arrive_in() {
        let amounts = [
            Money::new(300, Currency::USD),
            Money::new(7, Currency::KWD),
            Money::new(100, Currency::EUR),
            Money::new(-50, Currency::KWD),
            Money::new(5, Currency::JPY),
            Money::new(20, Currency::EUR),
        ];
        let mut forwards = MoneySums::default();
        amounts.iter().for_each(|a| forwards.add(*a));
        let mut backwards = MoneySums::default();
        amounts.iter().rev().for_each(|a| backwards.add(*a));
        assert_eq!(forwards, backwards);
        let listed: Vec<(Currency, i128)> = forwards.iter().collect();
        assert_eq!(
            listed,
            [
                (Currency::EUR, 120),
                (Currency::JPY, 5),
                (Currency::KWD, -43),
                (Currency::USD, 300)
            ]
        );
        let json = serde_json::to_string(&forwards).unwrap();
        assert_eq!(json, r#"{"EUR":120,"JPY":5,"KWD":-43,"USD":300}"#);
        let back: MoneySums = serde_json::from_str(&json).unwrap();
        assert_eq!(back, forwards);
        // Merging in one currency adds in place.
        let mut one = MoneySums::default();
        one.add(Money::new(1, Currency::USD));
        one.merge(&forwards);
        assert_eq!(one.get(Currency::USD), 301);
        assert_eq!(one.get(Currency::EUR), 120);
        assert_eq!(one.iter().count(), 4);
    }
}
