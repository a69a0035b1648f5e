//! What an import needs to know about a log: its columns, how its clock reads, and
//! what each activity means. Plain data, usually read from JSON.

use crate::actor::ActorRef;
use crate::channel::Channel;
use crate::complaint::Priority;
use chrono::{DateTime, FixedOffset, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use typed_builder::TypedBuilder;

/// The names of the three columns read; any other column is ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// The case identifier's column.
    #[builder(setter(into))]
    pub case: String,
    /// The activity's column.
    #[builder(setter(into))]
    pub activity: String,
    /// The timestamp's column.
    #[builder(setter(into))]
    pub timestamp: String,
}

/// How the log's timestamps, which carry no zone, are read.
///
/// In JSON: `"utc"`, `{"offset": "+10:00"}` or `{"zone": "Europe/Rome"}`.
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use service_recovery::import::FileClock;
///
/// let clock: FileClock = serde_json::from_str(r#"{"offset": "+10:00"}"#)?;
/// let local = NaiveDate::from_ymd_opt(2012, 4, 3).unwrap().and_hms_opt(16, 55, 38).unwrap();
/// assert_eq!(clock.to_utc(local), Some(Utc.with_ymd_and_hms(2012, 4, 3, 6, 55, 38).unwrap()));
/// assert_eq!(clock.to_string(), "UTC+10:00");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileClock {
    /// The timestamps are UTC.
    Utc,
    /// The timestamps are wall-clock time at a fixed offset from UTC.
    Offset(#[serde(with = "offset")] FixedOffset),
    /// The timestamps are wall-clock time in an IANA zone, daylight saving included: a
    /// time repeated when the clocks go back is read as its first occurrence; a time
    /// skipped when they go forward is an error.
    Zone(Tz),
}

impl FileClock {
    /// The instant a wall-clock reading stands for; `None` for a time the zone skipped.
    pub fn to_utc(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        match self {
            Self::Utc => Some(local.and_utc()),
            Self::Offset(offset) => single(offset.from_local_datetime(&local)),
            Self::Zone(zone) => single(zone.from_local_datetime(&local)),
        }
    }
}

fn single<T: TimeZone>(local: LocalResult<DateTime<T>>) -> Option<DateTime<Utc>> {
    match local {
        LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Some(at.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

impl fmt::Display for FileClock {
    /// `UTC`, `UTC+10:00`, `Europe/Rome`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Utc => f.write_str("UTC"),
            Self::Offset(offset) => write!(f, "UTC{offset}"),
            Self::Zone(zone) => write!(f, "{zone}"),
        }
    }
}

/// Serde for a `FixedOffset` as `"+10:00"`.
mod offset {
    use chrono::FixedOffset;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub(super) fn serialize<S: Serializer>(o: &FixedOffset, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&o.to_string())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<FixedOffset, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(|_| {
            D::Error::custom(format!("`{text}` is not a UTC offset such as \"+10:00\""))
        })
    }
}

/// What an activity of the log means for the case.
///
/// In JSON, snake case: `"open"`, `"note"`, `"respond"`, ...
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityRole {
    /// Opens the case. As a case's first row it becomes the opening itself; later, a note.
    Open,
    /// Internal work the customer does not see: a `note_added` with the activity's name.
    Note,
    /// A customer-facing answer (so the first one is the first response): an
    /// `explained` whose words are the activity's name.
    Respond,
    /// An apology: an `apologized` whose words are the activity's name.
    Apologize,
    /// The case starts waiting on the customer: `awaiting_customer`.
    WaitOnCustomer,
    /// The case starts waiting on a third party: `awaiting_third_party`.
    WaitOnThirdParty,
    /// The wait ends: `resumed` (a note when nothing was waited on).
    Resume,
    /// The case is resolved and closed: `closed`, with the config's root cause.
    Close,
}

impl fmt::Display for ActivityRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Open => "opens the case",
            Self::Note => "internal note",
            Self::Respond => "response to the customer",
            Self::Apologize => "apology",
            Self::WaitOnCustomer => "starts a wait on the customer",
            Self::WaitOnThirdParty => "starts a wait on a third party",
            Self::Resume => "ends a wait",
            Self::Close => "resolves and closes",
        })
    }
}

/// One activity of the log: its name and its role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder)]
#[serde(deny_unknown_fields)]
pub struct ActivityRule {
    /// The activity's name, for people (the log may hold only a code).
    #[builder(setter(into))]
    pub name: String,
    /// What it means for the case.
    pub role: ActivityRole,
}

/// Everything an import needs: which columns to read, how to read the timestamps and
/// their clock, what each activity means, and the facts the log does not hold.
///
/// Field names are stable; `timestamp_format` (a chrono format, default
/// `"%Y-%m-%d %H:%M:%S"`), `channel` (default web form), `priority` (default normal),
/// `actor` (default `{"id": "imported", "name": "imported log"}`) and `root_cause`
/// (default `"not recorded"`) are optional. Unknown fields are refused.
///
/// ```
/// use service_recovery::import::{ActivityRole, ImportConfig};
///
/// let config: ImportConfig = serde_json::from_str(r#"{
///     "columns": {"case": "CaseID", "activity": "ActivityID", "timestamp": "CompleteTimestamp"},
///     "clock": {"offset": "+10:00"},
///     "activities": {
///         "3": {"name": "Insert ticket", "role": "open"},
///         "8": {"name": "Take in charge ticket", "role": "respond"},
///         "6": {"name": "Resolve ticket", "role": "close"}
///     }
/// }"#)?;
/// assert_eq!(config.activities["8"].role, ActivityRole::Respond);
/// assert_eq!(config.timestamp_format, "%Y-%m-%d %H:%M:%S");
/// assert!(serde_json::from_str::<ImportConfig>(r#"{"colums": {}}"#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TypedBuilder)]
#[serde(deny_unknown_fields)]
pub struct ImportConfig {
    /// The columns read.
    pub columns: Columns,
    /// How the timestamp column is written, as a chrono format.
    #[serde(default = "default_format")]
    #[builder(default = default_format(), setter(into))]
    pub timestamp_format: String,
    /// The zone the timestamps are read in.
    pub clock: FileClock,
    /// Every activity of the log, by the text of its column.
    pub activities: BTreeMap<String, ActivityRule>,
    /// The channel the cases arrived on (the log does not say).
    #[serde(default = "default_channel")]
    #[builder(default = default_channel())]
    pub channel: Channel,
    /// The cases' priority (the log does not say).
    #[serde(default = "default_priority")]
    #[builder(default = default_priority())]
    pub priority: Priority,
    /// Who the events are attributed to (the log names nobody).
    #[serde(default = "default_actor")]
    #[builder(default = default_actor())]
    pub actor: ActorRef,
    /// The root-cause category recorded at closing (the log holds none).
    #[serde(default = "default_root_cause")]
    #[builder(default = default_root_cause(), setter(into))]
    pub root_cause: String,
}

fn default_format() -> String {
    "%Y-%m-%d %H:%M:%S".to_owned()
}

fn default_channel() -> Channel {
    Channel::WebForm
}

fn default_priority() -> Priority {
    Priority::Normal
}

fn default_actor() -> ActorRef {
    ActorRef::new("imported", "imported log")
}

fn default_root_cause() -> String {
    "not recorded".to_owned()
}
