//! The records the agenda's slabs hold: a scheduled item (24 bytes) and an open promise
//! (48 bytes), each linked to the next of its case by index.

use super::order::Key;
use super::slab::NIL;
use crate::id::CommitmentId;
use crate::schedule::sla::SlaClock;
use chrono::{DateTime, Utc};

/// What an item is, within its case, in 32 bits: the kind (3 bits), then the clock and
/// percent of an SLA item or the ordinal of a promise's item.
///
/// An item's identity is its tag plus the round (SLA items of the first-response,
/// apology and resolution clocks, and the survey), the update period (the update
/// clock's) or the promise's ordinal (promise items). Round and period are not stored:
/// after every refresh, all of a case's items belong to its current round and period,
/// so an item's are the case's as they were at the last refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tag(u32);

const KIND_BITS: u32 = 3;
const KIND_MASK: u32 = (1 << KIND_BITS) - 1;
const REMINDER: u32 = 0;
const ABOUT_TO_BREAK: u32 = 1;
const WARNING: u32 = 2;
const BREACH: u32 = 3;
const SURVEY_KIND: u32 = 4;
/// A promise's ordinal keeps 28 bits (the top bit of an item's tag says it was handed
/// out): ordinals count the promises made in one case and wrap at 2^28 (two open
/// promises of one case 268 million promises apart would share their items' identity).
pub(super) const ORDINAL_MASK: u32 = (1 << 28) - 1;

/// What a tag says, unpacked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Meaning {
    Reminder { ordinal: u32 },
    AboutToBreak { ordinal: u32 },
    Warning { clock: SlaClock, percent: u8 },
    Breach { clock: SlaClock },
    Survey,
}

impl Tag {
    pub(super) const SURVEY: Tag = Tag(SURVEY_KIND);

    pub(super) fn reminder(ordinal: u32) -> Self {
        Self(REMINDER | (ordinal & ORDINAL_MASK) << KIND_BITS)
    }

    pub(super) fn about_to_break(ordinal: u32) -> Self {
        Self(ABOUT_TO_BREAK | (ordinal & ORDINAL_MASK) << KIND_BITS)
    }

    pub(super) fn warning(clock: SlaClock, percent: u8) -> Self {
        Self(WARNING | (clock as u32) << KIND_BITS | u32::from(percent) << (KIND_BITS + 2))
    }

    pub(super) fn breach(clock: SlaClock) -> Self {
        Self(BREACH | (clock as u32) << KIND_BITS)
    }

    pub(super) fn meaning(self) -> Meaning {
        let payload = self.0 >> KIND_BITS;
        let clock = match payload & 3 {
            0 => SlaClock::FirstResponse,
            1 => SlaClock::Apology,
            2 => SlaClock::Update,
            _ => SlaClock::Resolution,
        };
        match self.0 & KIND_MASK {
            REMINDER => Meaning::Reminder { ordinal: payload },
            ABOUT_TO_BREAK => Meaning::AboutToBreak { ordinal: payload },
            WARNING => Meaning::Warning {
                clock,
                percent: u8::try_from(payload >> 2).unwrap_or(u8::MAX),
            },
            BREACH => Meaning::Breach { clock },
            _ => Meaning::Survey,
        }
    }

    /// Whether an item with this tag, scheduled when the case was at `then` (round,
    /// period), is the same item as one with this tag now, at `now`.
    pub(super) fn same_epoch(self, then: (u32, u32), now: (u32, u32)) -> bool {
        match self.meaning() {
            Meaning::Reminder { .. } | Meaning::AboutToBreak { .. } => true,
            Meaning::Warning {
                clock: SlaClock::Update,
                ..
            }
            | Meaning::Breach {
                clock: SlaClock::Update,
            } => then.1 == now.1,
            Meaning::Warning { .. } | Meaning::Breach { .. } | Meaning::Survey => then.0 == now.0,
        }
    }
}

/// One scheduled item of a case: its place in the order, what it is, whether it was
/// handed out, and the next item of the same case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Item {
    pub(super) key: Key,
    /// The next item of the same case, or [`NIL`].
    pub(super) next: u32,
    tag: u32,
}

const DELIVERED: u32 = 1 << 31;

impl Default for Item {
    fn default() -> Self {
        Self {
            key: Key::NONE,
            next: NIL,
            tag: 0,
        }
    }
}

impl Item {
    pub(super) fn new(key: Key, tag: Tag, next: u32) -> Self {
        Self {
            key,
            next,
            tag: tag.0,
        }
    }

    pub(super) fn tag(&self) -> Tag {
        Tag(self.tag & !DELIVERED)
    }

    pub(super) fn delivered(&self) -> bool {
        self.tag & DELIVERED != 0
    }

    pub(super) fn deliver(&mut self) {
        self.tag |= DELIVERED;
    }
}

/// An open promise of a case: the items it calls for and the identifier they name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Promise {
    /// Shared with the event that made it (`None` in a free place).
    pub(super) id: Option<CommitmentId>,
    pub(super) remind_at: DateTime<Utc>,
    pub(super) internal_target: DateTime<Utc>,
    /// Counts the promises made in the case, wrapping within [`ORDINAL_MASK`].
    pub(super) ordinal: u32,
    /// The next promise of the same case, or [`NIL`].
    pub(super) next: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_say_what_they_were_made_from() {
        for ordinal in [0, 1, 77, ORDINAL_MASK] {
            assert_eq!(
                Tag::reminder(ordinal).meaning(),
                Meaning::Reminder { ordinal }
            );
            assert_eq!(
                Tag::about_to_break(ordinal).meaning(),
                Meaning::AboutToBreak { ordinal }
            );
        }
        assert_eq!(
            Tag::reminder(ORDINAL_MASK + 1),
            Tag::reminder(0),
            "ordinals wrap"
        );
        for clock in SlaClock::ALL {
            for percent in [1, 50, 99] {
                assert_eq!(
                    Tag::warning(clock, percent).meaning(),
                    Meaning::Warning { clock, percent }
                );
            }
            assert_eq!(Tag::breach(clock).meaning(), Meaning::Breach { clock });
        }
        assert_eq!(Tag::SURVEY.meaning(), Meaning::Survey);
        assert_ne!(
            Tag::warning(SlaClock::Update, 50),
            Tag::breach(SlaClock::Update)
        );
    }

    #[test]
    fn identity_follows_the_round_or_the_update_period() {
        let (then, next_period, next_round) = ((1, 3), (1, 4), (2, 4));
        let update = Tag::warning(SlaClock::Update, 50);
        let apology = Tag::breach(SlaClock::Apology);
        assert!(update.same_epoch(then, then));
        assert!(!update.same_epoch(then, next_period));
        assert!(apology.same_epoch(then, next_period));
        assert!(!apology.same_epoch(then, next_round));
        assert!(!Tag::SURVEY.same_epoch(then, next_round));
        assert!(Tag::SURVEY.same_epoch(then, next_period));
        assert!(Tag::reminder(3).same_epoch(then, next_round));
    }

    #[test]
    fn delivering_keeps_the_tag() {
        let tag = Tag::about_to_break(ORDINAL_MASK);
        let mut item = Item::new(Key::NONE, tag, 4);
        assert!(!item.delivered());
        item.deliver();
        assert!(item.delivered());
        assert_eq!((item.tag(), item.next), (tag, 4));
    }
}
