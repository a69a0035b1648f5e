//! The order in which items are handed out, packed into 16 bytes: due instant first,
//! then the sequence in which the items were scheduled.
//!
//! A key is one 128-bit number, so comparing two items is one integer comparison:
//! 44 bits of seconds since chrono's earliest instant (its whole range needs 43.9), 31
//! bits of nanoseconds (a leap second reaches 1 999 999 999), and 53 bits of
//! scheduling sequence. It is stored as two `u64` halves so that items and heap entries
//! keep an alignment of 8 and no padding.

use chrono::{DateTime, TimeDelta, Utc};

/// An instant ready for [`Key::after`]: its Unix seconds and nanoseconds, read once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Start {
    /// Not within a leap second.
    Plain { secs: i64, nanos: u32 },
    /// Within a leap second, where chrono's own arithmetic applies.
    Leap(DateTime<Utc>),
}

impl Start {
    pub(super) fn of(at: DateTime<Utc>) -> Self {
        let nanos = at.timestamp_subsec_nanos();
        if nanos >= 1_000_000_000 {
            Self::Leap(at)
        } else {
            Self::Plain {
                secs: at.timestamp(),
                nanos,
            }
        }
    }
}

const SEQ_BITS: u32 = 53;
const NANO_BITS: u32 = 31;
const SECS_BITS: u32 = 44;
/// Chrono's range, in Unix seconds and nanoseconds.
const MIN_SECS: i64 = DateTime::<Utc>::MIN_UTC.timestamp();
const MAX_SECS: i64 = DateTime::<Utc>::MAX_UTC.timestamp();
const MAX_NANOS: u32 = DateTime::<Utc>::MAX_UTC.timestamp_subsec_nanos();

/// The largest scheduling sequence a key holds; the agenda renumbers its items before
/// it would pass it (in unit tests much sooner, so that the renumbering is exercised).
pub(super) const SEQ_LIMIT: u64 = if cfg!(test) { 1 << 8 } else { 1 << SEQ_BITS };

/// Due instant, then sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct Key {
    hi: u64,
    lo: u64,
}

impl Key {
    /// Above every key of an item: a case with nothing pending is queued at `NONE`.
    pub(super) const NONE: Key = Key {
        hi: u64::MAX,
        lo: u64::MAX,
    };

    fn from_u128(k: u128) -> Self {
        Self {
            hi: (k >> 64) as u64,
            lo: k as u64,
        }
    }

    fn to_u128(self) -> u128 {
        (u128::from(self.hi) << 64) | u128::from(self.lo)
    }

    /// The key of an item due at `due`, scheduled `seq`-th; `None` only for a sequence
    /// past [`SEQ_LIMIT`].
    pub(super) fn new(due: DateTime<Utc>, seq: u64) -> Option<Self> {
        if seq >= 1 << SEQ_BITS {
            return None;
        }
        let secs = due.timestamp().checked_sub(MIN_SECS)?;
        let secs = u128::try_from(secs).ok().filter(|s| *s < 1 << SECS_BITS)?;
        let nanos = u128::from(due.timestamp_subsec_nanos());
        if nanos >= 1 << NANO_BITS {
            return None;
        }
        Some(Self::from_u128(
            (secs << (NANO_BITS + SEQ_BITS)) | (nanos << SEQ_BITS) | u128::from(seq),
        ))
    }

    /// The last key due at `now`: every item due at or before `now` has a key at most
    /// this.
    pub(super) fn latest_at(now: DateTime<Utc>) -> Self {
        Self::new(now, (1 << SEQ_BITS) - 1).unwrap_or(Self::NONE)
    }

    /// When the item is due.
    pub(super) fn due(self) -> Option<DateTime<Utc>> {
        let k = self.to_u128();
        let secs = i64::try_from(k >> (NANO_BITS + SEQ_BITS)).ok()?;
        let nanos = u32::try_from((k >> SEQ_BITS) & ((1 << NANO_BITS) - 1)).ok()?;
        let secs = secs.checked_add(MIN_SECS)?;
        DateTime::from_timestamp(secs, nanos)
    }

    /// The key of an item due `delta` after `start`, with sequence 0, as
    /// [`DateTime::checked_add_signed`] would place it: `None` past chrono's range.
    /// Arithmetic on the packed seconds and nanoseconds, without building the instant;
    /// a start within a leap second is left to chrono.
    pub(super) fn after(start: Start, delta: TimeDelta) -> Option<Self> {
        let Start::Plain { secs, nanos } = start else {
            let Start::Leap(at) = start else {
                return None;
            };
            return Self::new(at.checked_add_signed(delta)?, 0);
        };
        // A TimeDelta keeps its nanoseconds in 0..1e9 beside floored seconds.
        let (mut secs, mut nanos) = (
            secs.checked_add(delta.num_seconds())?,
            nanos
                + delta
                    .subsec_nanos()
                    .rem_euclid(1_000_000_000)
                    .unsigned_abs(),
        );
        if delta.subsec_nanos() < 0 {
            secs = secs.checked_sub(1)?;
        }
        if nanos >= 1_000_000_000 {
            nanos -= 1_000_000_000;
            secs = secs.checked_add(1)?;
        }
        // The earliest instant has no nanoseconds: only the latest needs them compared.
        if secs < MIN_SECS || (secs, nanos) > (MAX_SECS, MAX_NANOS) {
            return None;
        }
        let secs = u128::try_from(secs.checked_sub(MIN_SECS)?).ok()?;
        Some(Self::from_u128(
            (secs << (NANO_BITS + SEQ_BITS)) | (u128::from(nanos) << SEQ_BITS),
        ))
    }

    /// Whether two keys are due at the same instant, whatever their sequences.
    pub(super) fn same_due(self, other: Key) -> bool {
        self.to_u128() >> SEQ_BITS == other.to_u128() >> SEQ_BITS
    }

    /// The same due instant with another sequence.
    pub(super) fn with_seq(self, seq: u64) -> Option<Self> {
        if seq >= 1 << SEQ_BITS {
            return None;
        }
        Some(Self::from_u128(
            (self.to_u128() >> SEQ_BITS << SEQ_BITS) | u128::from(seq),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    #[test]
    fn keys_order_by_due_then_sequence_over_chrono_s_whole_range() {
        let instants = [
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MIN_UTC + TimeDelta::nanoseconds(1),
            DateTime::<Utc>::UNIX_EPOCH - TimeDelta::nanoseconds(1),
            DateTime::<Utc>::UNIX_EPOCH,
            DateTime::<Utc>::UNIX_EPOCH + TimeDelta::seconds(1) - TimeDelta::nanoseconds(1),
            DateTime::<Utc>::MAX_UTC - TimeDelta::seconds(1),
            DateTime::<Utc>::MAX_UTC,
        ];
        let mut last = None;
        for at in instants {
            for seq in [0, 1, (1 << SEQ_BITS) - 1] {
                let key = Key::new(at, seq).unwrap();
                assert_eq!(key.due(), Some(at));
                assert!(key.same_due(Key::new(at, 0).unwrap()));
                assert!(key < Key::NONE);
                assert!(key <= Key::latest_at(at));
                if let Some(last) = last {
                    assert!(last < key, "{last:?} then {key:?} at {at}");
                }
                last = Some(key);
            }
        }
        assert_eq!(Key::new(DateTime::<Utc>::UNIX_EPOCH, 1 << SEQ_BITS), None);
        let key = Key::new(DateTime::<Utc>::UNIX_EPOCH, 7).unwrap();
        assert_eq!(key.with_seq(3), Key::new(DateTime::<Utc>::UNIX_EPOCH, 3));
        let later = DateTime::<Utc>::UNIX_EPOCH + TimeDelta::nanoseconds(1);
        assert!(!key.same_due(Key::new(later, 7).unwrap()));
    }

    #[test]
    fn chrono_s_earliest_instant_is_a_whole_second() {
        assert_eq!(DateTime::<Utc>::MIN_UTC.timestamp_subsec_nanos(), 0);
    }

    #[test]
    fn adding_a_duration_agrees_with_chrono() {
        let starts = [
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::UNIX_EPOCH - TimeDelta::nanoseconds(1),
            DateTime::from_timestamp(1_772_460_000, 999_999_999).unwrap(),
            DateTime::from_timestamp(1_483_228_799, 1_500_000_000).unwrap(),
            DateTime::<Utc>::MAX_UTC - TimeDelta::hours(1),
            DateTime::<Utc>::MAX_UTC,
        ];
        let deltas = [
            TimeDelta::zero(),
            TimeDelta::nanoseconds(1),
            TimeDelta::nanoseconds(-1),
            TimeDelta::nanoseconds(999_999_999),
            TimeDelta::seconds(-3) + TimeDelta::nanoseconds(250),
            TimeDelta::hours(12) + TimeDelta::nanoseconds(600_000_000),
            TimeDelta::days(365 * 300),
            TimeDelta::MAX,
            TimeDelta::MIN,
        ];
        for start in starts {
            for delta in deltas {
                let chrono = start
                    .checked_add_signed(delta)
                    .and_then(|due| Key::new(due, 0));
                assert_eq!(
                    Key::after(Start::of(start), delta),
                    chrono,
                    "{start} + {delta}"
                );
            }
        }
    }

    #[test]
    fn a_leap_second_keeps_its_place() {
        let leap = DateTime::from_timestamp(1_483_228_799, 1_500_000_000).unwrap();
        let before = DateTime::from_timestamp(1_483_228_799, 999_999_999).unwrap();
        let after = DateTime::from_timestamp(1_483_228_800, 0).unwrap();
        let key = Key::new(leap, 5).unwrap();
        assert_eq!(key.due(), Some(leap));
        assert!(Key::new(before, 9).unwrap() < key);
        assert!(key < Key::new(after, 0).unwrap());
    }
}
