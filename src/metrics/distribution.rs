//! A mergeable distribution of durations: exact count, sum, minimum and maximum, and
//! percentiles from a DDSketch.

use chrono::TimeDelta;
use sketches_ddsketch::{Config, DDSketch};
use std::fmt;

/// The relative accuracy of every percentile: a reported percentile is within ±1 % of
/// the exact sample it stands for (see [`Distribution::percentile`]).
pub const RELATIVE_ACCURACY: f64 = 0.01;

/// The sketch's bin limit. With 1 % accuracy, 2,048 bins span a factor of about
/// 10^17 between the smallest and the largest positive value, far beyond any
/// duration in whole seconds, so bins are never collapsed and the bound always holds.
const MAX_BINS: u32 = 2_048;

/// Values below this are counted as zero (durations are whole seconds, so nothing
/// positive is below it).
const MIN_VALUE: f64 = 0.5;

/// Durations, summarized so that two summaries merge into the summary of the union.
///
/// The count, the sum (to the nanosecond), the minimum and the maximum are exact. The
/// percentiles come from a [DDSketch](https://arxiv.org/abs/1908.10693) (the
/// `sketches-ddsketch` crate) fed with whole seconds (rounded towards zero): its bins
/// are logarithmic with ratio γ = 1.01 / 0.99, so the value reported for the p-th
/// percentile is within ±1 % ([`RELATIVE_ACCURACY`]) of the exact sample of rank
/// ⌊p·(n − 1)⌋ (0-based, ascending), whatever the data and however the samples were
/// split between summaries before merging. Merging adds bin counts, which commutes,
/// and whole seconds sum exactly in `f64`, so merged summaries are *identical* to the
/// summary of all samples at once.
///
/// ```
/// use chrono::TimeDelta;
/// use service_recovery::metrics::Distribution;
///
/// let mut morning = Distribution::new();
/// let mut afternoon = Distribution::new();
/// for minutes in [5, 10, 15] { morning.record(TimeDelta::minutes(minutes)); }
/// for minutes in [20, 25] { afternoon.record(TimeDelta::minutes(minutes)); }
/// morning.merge(&afternoon);
///
/// assert_eq!(morning.count(), 5);
/// assert_eq!(morning.mean(), Some(TimeDelta::minutes(15)));
/// assert_eq!(morning.max(), Some(TimeDelta::minutes(25)));
/// let median = morning.percentile(0.5).unwrap().num_seconds();
/// assert!((891..=909).contains(&median)); // 15 minutes, within 1 %
/// ```
#[derive(Clone)]
pub struct Distribution {
    count: u64,
    sum_nanos: i128,
    /// The least and greatest sample in nanoseconds; both zero while empty (so that
    /// equal distributions are equal field by field).
    min_nanos: i128,
    max_nanos: i128,
    sketch: DDSketch,
}

impl Default for Distribution {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Distribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Distribution")
            .field("count", &self.count)
            .field("mean", &self.mean())
            .field("min", &self.min())
            .field("median", &self.percentile(0.5))
            .field("p90", &self.percentile(0.9))
            .field("max", &self.max())
            .finish()
    }
}

/// Two distributions are equal when their exact statistics and their sketches are: the
/// sketches compare by their canonical encoding (non-empty bins in order).
impl PartialEq for Distribution {
    fn eq(&self, other: &Self) -> bool {
        self.count == other.count
            && self.sum_nanos == other.sum_nanos
            && self.min_nanos == other.min_nanos
            && self.max_nanos == other.max_nanos
            && self.sketch.to_java_bytes() == other.sketch.to_java_bytes()
    }
}

impl Distribution {
    /// An empty distribution.
    pub fn new() -> Self {
        Self {
            count: 0,
            sum_nanos: 0,
            min_nanos: 0,
            max_nanos: 0,
            sketch: DDSketch::new(Config::new(RELATIVE_ACCURACY, MAX_BINS, MIN_VALUE)),
        }
    }

    /// Adds one duration. A negative duration (a clock that went backwards in the
    /// data) is counted as zero.
    pub fn record(&mut self, duration: TimeDelta) {
        let (seconds, n) = if duration < TimeDelta::zero() {
            (0, 0)
        } else {
            (duration.num_seconds(), nanos(duration))
        };
        if self.count == 0 {
            (self.min_nanos, self.max_nanos) = (n, n);
        } else {
            self.min_nanos = self.min_nanos.min(n);
            self.max_nanos = self.max_nanos.max(n);
        }
        self.count = self.count.saturating_add(1);
        self.sum_nanos = self.sum_nanos.saturating_add(n);
        // Whole seconds are integers, which `f64` adds exactly: see the type's docs.
        #[allow(clippy::cast_precision_loss)]
        self.sketch.add(seconds as f64);
    }

    /// Adds every sample of `other`.
    pub fn merge(&mut self, other: &Distribution) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            (self.min_nanos, self.max_nanos) = (other.min_nanos, other.max_nanos);
        } else {
            self.min_nanos = self.min_nanos.min(other.min_nanos);
            self.max_nanos = self.max_nanos.max(other.max_nanos);
        }
        self.count = self.count.saturating_add(other.count);
        self.sum_nanos = self.sum_nanos.saturating_add(other.sum_nanos);
        // Every sketch here is built with the same configuration, the only thing a
        // merge can refuse; so the merge always happens.
        let _ = self.sketch.merge(&other.sketch);
    }

    /// How many durations were recorded.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Their exact sum.
    pub fn sum(&self) -> TimeDelta {
        from_nanos(self.sum_nanos)
    }

    /// Their exact mean, to the nanosecond (rounded towards zero); `None` if empty.
    pub fn mean(&self) -> Option<TimeDelta> {
        (self.count > 0).then(|| from_nanos(self.sum_nanos / i128::from(self.count)))
    }

    /// The shortest.
    pub fn min(&self) -> Option<TimeDelta> {
        (self.count > 0).then(|| from_nanos(self.min_nanos))
    }

    /// The longest.
    pub fn max(&self) -> Option<TimeDelta> {
        (self.count > 0).then(|| from_nanos(self.max_nanos))
    }

    /// The `p`-th percentile (`p` from 0 to 1), to the second, within ±1 % of the exact
    /// sample of rank ⌊p·(n − 1)⌋; `p` = 0 and `p` = 1 give the exact minimum and
    /// maximum (to the second). `None` if empty or if `p` is outside 0 to 1.
    pub fn percentile(&self, p: f64) -> Option<TimeDelta> {
        let seconds = self.sketch.quantile(p).ok().flatten()?;
        // The sketch answers with a bin's representative value, a float within 1 % of
        // a whole number of seconds that fits an i64.
        #[allow(clippy::cast_possible_truncation)]
        TimeDelta::try_seconds(seconds.round() as i64)
    }
}

fn nanos(d: TimeDelta) -> i128 {
    i128::from(d.num_seconds()) * 1_000_000_000 + i128::from(d.subsec_nanos())
}

fn from_nanos(n: i128) -> TimeDelta {
    let secs = i64::try_from(n.div_euclid(1_000_000_000)).unwrap_or(i64::MAX);
    let sub = u32::try_from(n.rem_euclid(1_000_000_000)).unwrap_or(0);
    TimeDelta::new(secs, sub).unwrap_or(TimeDelta::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_distribution_has_no_statistics() {
        let d = Distribution::new();
        assert_eq!(d.count(), 0);
        assert_eq!(d.sum(), TimeDelta::zero());
        assert_eq!(d.mean(), None);
        assert_eq!(d.min(), None);
        assert_eq!(d.max(), None);
        assert_eq!(d.percentile(0.5), None);
    }

    #[test]
    fn exact_statistics_and_percentiles_within_one_percent() {
        let mut d = Distribution::new();
        for s in 1..=1_000 {
            d.record(TimeDelta::seconds(s * 37));
        }
        d.record(TimeDelta::milliseconds(1_500));
        assert_eq!(d.count(), 1_001);
        assert_eq!(
            d.sum(),
            TimeDelta::seconds(37 * 500 * 1_001) + TimeDelta::milliseconds(1_500)
        );
        assert_eq!(d.min(), Some(TimeDelta::milliseconds(1_500)));
        assert_eq!(d.max(), Some(TimeDelta::seconds(37_000)));
        assert_eq!(d.percentile(1.0), Some(TimeDelta::seconds(37_000)));
        assert_eq!(d.percentile(0.0), Some(TimeDelta::seconds(1)));
        // Rank ⌊0.5 · 1000⌋ = 500 (0-based) is 37 · 500 s.
        let median = d.percentile(0.5).unwrap().num_seconds();
        assert!((median - 18_500).abs() <= 185, "{median}");
        assert_eq!(d.percentile(1.5), None);
        assert_eq!(d.percentile(-0.1), None);
    }

    #[test]
    fn a_negative_duration_counts_as_zero() {
        let mut d = Distribution::new();
        d.record(TimeDelta::seconds(-5));
        d.record(TimeDelta::seconds(10));
        assert_eq!(d.min(), Some(TimeDelta::zero()));
        assert_eq!(d.mean(), Some(TimeDelta::seconds(5)));
        assert_eq!(d.percentile(0.0), Some(TimeDelta::zero()));
    }

    #[test]
    fn merging_equals_recording_everything_in_one() {
        let samples: Vec<TimeDelta> = (0..500)
            .map(|i| TimeDelta::seconds((i * 7_919) % 100_000))
            .collect();
        let mut whole = Distribution::new();
        samples.iter().for_each(|s| whole.record(*s));
        let mut left = Distribution::new();
        let mut right = Distribution::new();
        for (i, s) in samples.iter().enumerate() {
            if i % 3 == 0 { &mut left } else { &mut right }.record(*s);
        }
        right.merge(&left);
        assert_eq!(right, whole);
        assert_eq!(right.percentile(0.9), whole.percentile(0.9));
        let mut empty = Distribution::new();
        empty.merge(&whole);
        assert_eq!(empty, whole);
        assert_ne!(Distribution::new(), whole);
    }

    #[test]
    fn merging_keeps_the_extremes_of_both_sides() {
        let mut low = Distribution::new();
        low.record(TimeDelta::seconds(3));
        low.record(TimeDelta::seconds(8));
        let mut high = Distribution::new();
        high.record(TimeDelta::seconds(5));
        high.record(TimeDelta::seconds(90));
        let mut both = high.clone();
        both.merge(&low);
        assert_eq!(both.min(), Some(TimeDelta::seconds(3)));
        assert_eq!(both.max(), Some(TimeDelta::seconds(90)));
        assert_eq!(both.count(), 4);
        let before = both.clone();
        both.merge(&Distribution::new());
        assert_eq!(both, before);
        // Equal statistics but different extremes are different distributions.
        let mut a = Distribution::new();
        a.record(TimeDelta::seconds(10));
        a.record(TimeDelta::milliseconds(30_400));
        let mut b = Distribution::new();
        b.record(TimeDelta::milliseconds(10_400));
        b.record(TimeDelta::seconds(30));
        assert_eq!(a.sum(), b.sum());
        assert_ne!(a, b);
    }

    #[test]
    fn debug_shows_the_summary() {
        let mut d = Distribution::new();
        d.record(TimeDelta::seconds(60));
        let text = format!("{d:?}");
        assert!(text.contains("count: 1"), "{text}");
        assert!(text.starts_with("Distribution"), "{text}");
    }
}
