//! A Pareto table: categories by count, most frequent first, with cumulative shares.

use serde::{Deserialize, Serialize};

/// One row of a [`Pareto`] table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParetoEntry {
    /// The category (a root cause, an activity).
    pub label: String,
    /// How often it occurred.
    pub count: u64,
    /// Its share of the total, from 0 to 1.
    pub share: f64,
    /// The share of this row and every row above it.
    pub cumulative: f64,
}

/// Categories sorted by count, most frequent first (ties by label), with each one's
/// share and the cumulative share: the few causes that make most of the trouble.
///
/// ```
/// use service_recovery::metrics::Pareto;
///
/// let pareto = Pareto::from_counts([("courier", 2), ("warehouse", 6), ("billing", 2)]);
/// let labels: Vec<&str> = pareto.entries().iter().map(|e| e.label.as_str()).collect();
/// assert_eq!(labels, ["warehouse", "billing", "courier"]);
/// assert_eq!(pareto.total(), 10);
/// assert_eq!(pareto.entries()[0].share, 0.6);
/// assert_eq!(pareto.entries()[1].cumulative, 0.8);
/// // How many categories make up 80 % of the occurrences:
/// assert_eq!(pareto.vital_few(0.8), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pareto {
    entries: Vec<ParetoEntry>,
    total: u64,
}

impl Pareto {
    /// Builds the table from counts per category; a category named twice is summed.
    pub fn from_counts<'a>(counts: impl IntoIterator<Item = (&'a str, u64)>) -> Self {
        let mut rows: Vec<(String, u64)> = Vec::new();
        for (label, count) in counts {
            match rows.iter_mut().find(|(l, _)| l == label) {
                Some((_, n)) => *n = n.saturating_add(count),
                None => rows.push((label.to_owned(), count)),
            }
        }
        rows.sort_by(|(la, a), (lb, b)| b.cmp(a).then_with(|| la.cmp(lb)));
        let total = rows.iter().fold(0u64, |t, (_, n)| t.saturating_add(*n));
        let mut running = 0u64;
        let entries = rows
            .into_iter()
            .map(|(label, count)| {
                running = running.saturating_add(count);
                ParetoEntry {
                    label,
                    count,
                    share: fraction(count, total),
                    cumulative: fraction(running, total),
                }
            })
            .collect();
        Self { entries, total }
    }

    /// The rows, most frequent first.
    pub fn entries(&self) -> &[ParetoEntry] {
        &self.entries
    }

    /// The sum of all counts.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// How many of the top rows it takes for the cumulative share to reach `share`.
    pub fn vital_few(&self, share: f64) -> usize {
        self.entries
            .iter()
            .position(|e| e.cumulative >= share)
            .map_or(self.entries.len(), |i| i + 1)
    }
}

fn fraction(part: u64, whole: u64) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_table_has_nothing() {
        let p = Pareto::from_counts([]);
        assert!(p.entries().is_empty());
        assert_eq!(p.total(), 0);
        assert_eq!(p.vital_few(0.8), 0);
    }

    #[test]
    fn repeated_labels_are_summed_and_shares_add_up() {
        let p = Pareto::from_counts([("a", 1), ("b", 3), ("a", 2), ("c", 0)]);
        let rows: Vec<(&str, u64)> = p
            .entries()
            .iter()
            .map(|e| (e.label.as_str(), e.count))
            .collect();
        assert_eq!(rows, [("a", 3), ("b", 3), ("c", 0)]);
        assert_eq!(p.total(), 6);
        assert_eq!(p.entries()[0].share, 0.5);
        assert_eq!(p.entries()[2].cumulative, 1.0);
        assert_eq!(p.vital_few(0.5), 1);
        assert_eq!(p.vital_few(0.51), 2);
        assert_eq!(p.vital_few(1.5), 3);
    }
}
