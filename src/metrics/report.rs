//! Aggregates grouped by channel, priority, owner, week or month.

use super::aggregate::Aggregate;
use super::case_metrics::{CaseMetrics, MetricsConfig};
use super::ruler::Ruler;
use crate::case::Event;
use crate::complaint::Priority;
use crate::id::ActorId;
use crate::schedule::WorkingTime;
use crate::schedule::sla::ChannelKind;
use chrono::Datelike;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;
use thiserror::Error;

/// How cases are grouped in a [`Report`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One group holding every case.
    Overall,
    /// By the kind of channel the complaint arrived on.
    Channel,
    /// By the priority at opening.
    Priority,
    /// By the owner at the end of the history.
    Owner,
    /// By the ISO week of the opening, in the report's time zone.
    Week,
    /// By the calendar month of the opening, in the report's time zone.
    Month,
}

impl fmt::Display for GroupBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Overall => "all cases",
            Self::Channel => "channel",
            Self::Priority => "priority",
            Self::Owner => "owner",
            Self::Week => "week",
            Self::Month => "month",
        })
    }
}

/// The group a case falls in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKey {
    /// Every case.
    All,
    /// A kind of channel.
    Channel(ChannelKind),
    /// A priority.
    Priority(Priority),
    /// An owner.
    Owner(ActorId),
    /// An ISO week: its ISO year and number (1 to 53).
    Week {
        /// The ISO week-numbering year.
        year: i32,
        /// The week number.
        week: u32,
    },
    /// A calendar month.
    Month {
        /// The year.
        year: i32,
        /// The month, 1 to 12.
        month: u32,
    },
}

impl GroupKey {
    /// The group of `case` under `grouping`, with weeks and months read in `zone`.
    pub fn of(case: &CaseMetrics<'_>, grouping: GroupBy, zone: Tz) -> GroupKey {
        let local = || case.opened_at.with_timezone(&zone);
        match grouping {
            GroupBy::Overall => GroupKey::All,
            GroupBy::Channel => GroupKey::Channel(case.channel),
            GroupBy::Priority => GroupKey::Priority(case.priority),
            GroupBy::Owner => GroupKey::Owner(case.owner.clone()),
            GroupBy::Week => {
                let week = local().iso_week();
                GroupKey::Week {
                    year: week.year(),
                    week: week.week(),
                }
            }
            GroupBy::Month => {
                let local = local();
                GroupKey::Month {
                    year: local.year(),
                    month: local.month(),
                }
            }
        }
    }

    /// The kind of key, first in the order of keys.
    fn kind_rank(&self) -> u8 {
        match self {
            GroupKey::All => 0,
            GroupKey::Channel(_) => 1,
            GroupKey::Priority(_) => 2,
            GroupKey::Owner(_) => 3,
            GroupKey::Week { .. } => 4,
            GroupKey::Month { .. } => 5,
        }
    }
}

fn channel_rank(c: ChannelKind) -> u8 {
    match c {
        ChannelKind::Phone => 0,
        ChannelKind::Email => 1,
        ChannelKind::Chat => 2,
        ChannelKind::InPerson => 3,
        ChannelKind::WebForm => 4,
        ChannelKind::SocialMedia => 5,
        ChannelKind::PublicSocialMedia => 6,
    }
}

fn priority_rank(p: Priority) -> u8 {
    match p {
        Priority::Low => 0,
        Priority::Normal => 1,
        Priority::High => 2,
        Priority::Urgent => 3,
    }
}

/// Keys of different kinds sort by kind first; channels and priorities in declaration
/// order, owners by id, weeks and months chronologically. (Compared field by field
/// rather than through a tuple: a report looks its group up once per case.)
impl Ord for GroupKey {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (GroupKey::Week { year, week }, GroupKey::Week { year: y, week: w }) => {
                (year, week).cmp(&(y, w))
            }
            (GroupKey::Month { year, month }, GroupKey::Month { year: y, month: m }) => {
                (year, month).cmp(&(y, m))
            }
            (GroupKey::Channel(a), GroupKey::Channel(b)) => channel_rank(*a).cmp(&channel_rank(*b)),
            (GroupKey::Priority(a), GroupKey::Priority(b)) => {
                priority_rank(*a).cmp(&priority_rank(*b))
            }
            (GroupKey::Owner(a), GroupKey::Owner(b)) => a.as_str().cmp(b.as_str()),
            (GroupKey::All, GroupKey::All) => Ordering::Equal,
            (
                GroupKey::All
                | GroupKey::Channel(_)
                | GroupKey::Priority(_)
                | GroupKey::Owner(_)
                | GroupKey::Week { .. }
                | GroupKey::Month { .. },
                _,
            ) => self.kind_rank().cmp(&other.kind_rank()),
        }
    }
}

impl PartialOrd for GroupKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for GroupKey {
    /// `all`, `e-mail`, `public social media`, `urgent`, `agent-7`, `2012-W05`, `2012-04`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupKey::All => f.write_str("all"),
            GroupKey::Channel(c) => f.write_str(match c {
                ChannelKind::Phone => "phone",
                ChannelKind::Email => "e-mail",
                ChannelKind::Chat => "chat",
                ChannelKind::InPerson => "in person",
                ChannelKind::WebForm => "web form",
                ChannelKind::SocialMedia => "private social media",
                ChannelKind::PublicSocialMedia => "public social media",
            }),
            GroupKey::Priority(p) => write!(f, "{p}"),
            GroupKey::Owner(o) => write!(f, "{o}"),
            GroupKey::Week { year, week } => write!(f, "{year}-W{week:02}"),
            GroupKey::Month { year, month } => write!(f, "{year}-{month:02}"),
        }
    }
}

/// Why two reports cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MetricsError {
    /// They group cases differently.
    #[error("cannot merge a report grouped by {theirs} into one grouped by {ours}")]
    DifferentGrouping {
        /// This report's grouping.
        ours: GroupBy,
        /// The other report's grouping.
        theirs: GroupBy,
    },
    /// They read weeks and months in different time zones.
    #[error("cannot merge a report read in time zone {theirs} into one read in {ours}")]
    DifferentZone {
        /// This report's zone.
        ours: Tz,
        /// The other report's zone.
        theirs: Tz,
    },
}

/// Aggregates by group: the result of measuring many cases.
///
/// Weeks and months are read in the time zone of the config's business calendar (UTC
/// when working time is around the clock). Reports with the same grouping and zone
/// merge group by group.
///
/// ```
/// # use chrono::{TimeZone, Utc};
/// # use service_recovery::prelude::*;
/// use service_recovery::metrics::{GroupBy, GroupKey, MetricsConfig, Report};
/// # let dana = Actor::builder().id("a-7").name("Dana").build();
/// # let policy = Policy::default();
/// # let at = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
/// # let open = service_recovery::testing::open_case();
/// # let history = decide(None, &open, &dana, at, &policy)?;
/// let config = MetricsConfig::default();
/// let report = Report::measure([history.as_slice()], &config, GroupBy::Week);
/// let (week, aggregate) = report.groups().next().unwrap();
/// assert_eq!(week, &GroupKey::Week { year: 2026, week: 10 });
/// assert_eq!(week.to_string(), "2026-W10");
/// assert_eq!(aggregate.cases, 1);
/// # Ok::<(), Rejection>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    grouping: GroupBy,
    zone: Tz,
    groups: BTreeMap<GroupKey, Aggregate>,
    unreadable: u64,
}

impl Report {
    /// An empty report grouped by `grouping`, reading weeks and months in the zone of
    /// `config`'s calendar.
    pub fn new(grouping: GroupBy, config: &MetricsConfig) -> Self {
        let zone = match &config.follow_up.working_time {
            WorkingTime::Calendar(calendar) => calendar.time_zone(),
            WorkingTime::AroundTheClock => chrono_tz::UTC,
        };
        Self {
            grouping,
            zone,
            groups: BTreeMap::new(),
            unreadable: 0,
        }
    }

    /// Measures every history; histories that are not a case's (empty, or not starting
    /// with an opening) are counted in [`Report::unreadable`] and otherwise skipped.
    pub fn measure<'h>(
        histories: impl IntoIterator<Item = &'h [Event]>,
        config: &MetricsConfig,
        grouping: GroupBy,
    ) -> Self {
        let mut report = Self::new(grouping, config);
        // One ruler for every case: under a calendar it lists the working windows of
        // the stretch the cases cover once, instead of walking the calendar per span.
        let mut ruler = Ruler::new(&config.follow_up.working_time);
        for history in histories {
            match CaseMetrics::measure(history, config, &mut ruler) {
                Ok(case) => report.record(&case),
                Err(_) => report.unreadable = report.unreadable.saturating_add(1),
            }
        }
        report
    }

    /// Adds one case to its group.
    pub fn record(&mut self, case: &CaseMetrics<'_>) {
        let key = GroupKey::of(case, self.grouping, self.zone);
        self.groups.entry(key).or_default().record(case);
    }

    /// Adds every group of `other`.
    ///
    /// # Errors
    ///
    /// [`MetricsError`] if the reports group differently or read dates in different
    /// zones; `self` is then unchanged.
    pub fn merge(&mut self, other: &Report) -> Result<(), MetricsError> {
        if self.grouping != other.grouping {
            return Err(MetricsError::DifferentGrouping {
                ours: self.grouping,
                theirs: other.grouping,
            });
        }
        if self.zone != other.zone {
            return Err(MetricsError::DifferentZone {
                ours: self.zone,
                theirs: other.zone,
            });
        }
        for (key, aggregate) in &other.groups {
            match self.groups.get_mut(key) {
                Some(mine) => mine.merge(aggregate),
                None => {
                    self.groups.insert(key.clone(), aggregate.clone());
                }
            }
        }
        self.unreadable = self.unreadable.saturating_add(other.unreadable);
        Ok(())
    }

    /// How cases are grouped.
    pub fn grouping(&self) -> GroupBy {
        self.grouping
    }

    /// The zone weeks and months are read in.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// The groups, in key order (weeks and months chronologically).
    pub fn groups(&self) -> impl Iterator<Item = (&GroupKey, &Aggregate)> + '_ {
        self.groups.iter()
    }

    /// One group's aggregate.
    pub fn get(&self, key: &GroupKey) -> Option<&Aggregate> {
        self.groups.get(key)
    }

    /// Every group merged into one.
    pub fn total(&self) -> Aggregate {
        let mut total = Aggregate::default();
        for aggregate in self.groups.values() {
            total.merge(aggregate);
        }
        total
    }

    /// Histories skipped because they are not a case's.
    pub fn unreadable(&self) -> u64 {
        self.unreadable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_by_kind_then_within_their_kind() {
        let channels = [
            ChannelKind::Phone,
            ChannelKind::Email,
            ChannelKind::Chat,
            ChannelKind::InPerson,
            ChannelKind::WebForm,
            ChannelKind::SocialMedia,
            ChannelKind::PublicSocialMedia,
        ];
        let priorities = [
            Priority::Low,
            Priority::Normal,
            Priority::High,
            Priority::Urgent,
        ];
        let mut ordered = vec![GroupKey::All];
        ordered.extend(channels.map(GroupKey::Channel));
        ordered.extend(priorities.map(GroupKey::Priority));
        ordered.push(GroupKey::Owner(ActorId::new("agent-10")));
        ordered.push(GroupKey::Owner(ActorId::new("agent-7")));
        for (year, week) in [(2011, 52), (2012, 1), (2012, 5)] {
            ordered.push(GroupKey::Week { year, week });
        }
        for (year, month) in [(2011, 12), (2012, 1), (2012, 4)] {
            ordered.push(GroupKey::Month { year, month });
        }
        for (i, a) in ordered.iter().enumerate() {
            for (j, b) in ordered.iter().enumerate() {
                assert_eq!(a.cmp(b), i.cmp(&j), "{a} against {b}");
                assert_eq!(a.partial_cmp(b), Some(i.cmp(&j)));
            }
        }
    }
}
