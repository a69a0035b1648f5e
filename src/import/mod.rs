//! Importing process-mining ticket logs (CSV: case, activity, timestamp) as case
//! histories, to measure and backtest them with [`metrics`](crate::metrics).
//!
//! The meaning of each activity is data ([`ImportConfig::activities`]): which opens
//! the case, which are internal notes, which answer the customer (the first of those
//! is the first response), which start and end a wait, which resolve and close. The
//! log's timestamps carry no zone; [`ImportConfig::clock`] says how to read them.
//!
//! ```
//! use service_recovery::import::{import_csv, ImportConfig};
//! use service_recovery::EventKind;
//!
//! let config: ImportConfig = serde_json::from_str(r#"{
//!     "columns": {"case": "case", "activity": "activity", "timestamp": "at"},
//!     "clock": "utc",
//!     "activities": {
//!         "new": {"name": "New ticket", "role": "open"},
//!         "reply": {"name": "Reply", "role": "respond"},
//!         "done": {"name": "Resolved", "role": "close"}
//!     }
//! }"#)?;
//! let csv = "case,activity,at\n\
//!            7,new,2024-05-06 09:00:00\n\
//!            7,reply,2024-05-06 09:40:00\n\
//!            7,reply,2024-05-06 09:40:00\n\
//!            7,done,2024-05-07 11:00:00\n";
//! let log = import_csv(csv, &config)?;
//! assert_eq!(log.cases().len(), 1);
//! assert_eq!(log.rows_read(), 4);
//! assert_eq!(log.duplicates().len(), 1); // the repeated reply, skipped
//! let kinds: Vec<&str> = log.cases()[0].history.iter().map(|e| e.kind.name()).collect();
//! assert_eq!(kinds, ["opened", "explained", "closed"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # From rows to events
//!
//! Rows are grouped by case (cases may be interleaved in the file) and sorted by
//! timestamp, rows with equal timestamps keeping their order in the file. A row whose
//! case, activity and timestamp repeat an earlier row of the same case is an exact
//! duplicate: it is skipped and reported ([`ImportedLog::duplicates`]). Then, for each
//! case:
//!
//! - the case opens at its first row: an `opened` event (the config's channel,
//!   priority and actor; the customer is known only by the case id). If that row's
//!   role is [`Open`](ActivityRole::Open) it is the opening; otherwise the row is
//!   also recorded by its role at the same instant;
//! - each row then becomes the event its [`ActivityRole`] names;
//! - a wait ends at the next row that is not a wait: a `resumed` is recorded before
//!   it (a closing ends the wait by itself); a wait row while already waiting is a note;
//! - a row after a closing first reopens the case: a `reopened` at that row's instant.
//!
//! Every event is attributed to the config's actor. Histories built this way replay
//! as [`Case`](crate::Case)s.

mod config;
mod csv;

pub use config::{ActivityRole, ActivityRule, Columns, FileClock, ImportConfig};

use crate::case::{Event, EventKind, Opened, RootCause};
use crate::complaint::{Complaint, Severity};
use crate::customer::Customer;
use crate::id::{CaseId, IdentifierError};
use chrono::format::{Item, Parsed, StrftimeItems};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use thiserror::Error;

/// Why a log could not be imported. Lines count from 1, the header being line 1.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The input has no header line.
    #[error("the log is empty: it has no header line")]
    NoHeader,
    /// A configured column is not in the header.
    #[error("the header has no column named `{column}`")]
    MissingColumn {
        /// The column's name.
        column: String,
    },
    /// A row's field count differs from the header's.
    #[error("line {line} has {found} fields, but the header has {expected}")]
    FieldCount {
        /// The line.
        line: u64,
        /// The header's field count.
        expected: usize,
        /// The row's.
        found: usize,
    },
    /// A quoted field is not closed on its line.
    #[error("line {line} has a quoted field that is not closed")]
    UnclosedQuote {
        /// The line.
        line: u64,
    },
    /// A row has no case identifier.
    #[error("line {line} has no case identifier")]
    EmptyCase {
        /// The line.
        line: u64,
    },
    /// A row's case identifier breaks the [identifier rules](crate::id).
    #[error("line {line}: {identifier}")]
    InvalidCaseId {
        /// The line.
        line: u64,
        /// What is wrong with it.
        identifier: IdentifierError,
    },
    /// A timestamp does not match the format.
    #[error("line {line}: `{text}` is not a timestamp in the format `{format}`")]
    Timestamp {
        /// The line.
        line: u64,
        /// The text found.
        text: String,
        /// The format expected.
        format: String,
    },
    /// A timestamp names a wall-clock time that the zone skipped.
    #[error("line {line}: {text} never happened in {clock} (the clocks skipped it)")]
    SkippedTime {
        /// The line.
        line: u64,
        /// The text found.
        text: String,
        /// The clock it was read in.
        clock: FileClock,
    },
    /// An activity has no rule in the config.
    #[error("line {line}: activity `{activity}` has no rule in the import's activity map")]
    UnmappedActivity {
        /// The line.
        line: u64,
        /// The activity found.
        activity: String,
    },
}

/// A row skipped because it repeats an earlier row exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// Its line.
    pub line: u64,
    /// Its case.
    pub case: CaseId,
    /// Its activity's name.
    pub activity: Arc<str>,
    /// Its instant.
    pub at: DateTime<Utc>,
}

impl fmt::Display for Duplicate {
    /// `line 12: case 7, Reply at 2024-05-06 09:40:00 UTC`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}: case {}, {} at {}",
            self.line,
            self.case,
            self.activity,
            self.at.format("%Y-%m-%d %H:%M:%S UTC")
        )
    }
}

/// One imported case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedCase {
    /// Its history, as the crate's events.
    pub history: Vec<Event>,
    /// The names of its rows' activities, in order, duplicates skipped.
    pub trace: Vec<Arc<str>>,
    /// The instant of its first row.
    pub first_at: DateTime<Utc>,
    /// The instant of its last row.
    pub last_at: DateTime<Utc>,
}

impl ImportedCase {
    /// The case's identifier.
    pub fn id(&self) -> Option<&CaseId> {
        let EventKind::Opened(opened) = &self.history.first()?.kind else {
            return None;
        };
        Some(&opened.case)
    }
}

/// The result of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedLog {
    cases: Vec<ImportedCase>,
    rows: u64,
    duplicates: Vec<Duplicate>,
    activities: Vec<(Arc<str>, u64)>,
}

impl ImportedLog {
    /// The cases, in order of first appearance in the file.
    pub fn cases(&self) -> &[ImportedCase] {
        &self.cases
    }

    /// The cases' histories.
    pub fn histories(&self) -> impl Iterator<Item = &[Event]> + '_ {
        self.cases.iter().map(|c| c.history.as_slice())
    }

    /// Data rows read (the header excluded, blank lines ignored).
    pub fn rows_read(&self) -> u64 {
        self.rows
    }

    /// Rows kept: read minus duplicates.
    pub fn rows_kept(&self) -> u64 {
        self.rows
            .saturating_sub(u64::try_from(self.duplicates.len()).unwrap_or(u64::MAX))
    }

    /// The exact duplicates skipped, in file order.
    pub fn duplicates(&self) -> &[Duplicate] {
        &self.duplicates
    }

    /// Events in all histories.
    pub fn events(&self) -> u64 {
        self.cases.iter().fold(0u64, |n, c| {
            n.saturating_add(u64::try_from(c.history.len()).unwrap_or(u64::MAX))
        })
    }

    /// Each activity of the config with the rows kept that carry it, in the config's
    /// order (by activity code).
    pub fn activity_counts(&self) -> impl Iterator<Item = (&str, u64)> + '_ {
        self.activities.iter().map(|(name, n)| (name.as_ref(), *n))
    }
}

/// A row as kept until the case is built: instant, activity index, line.
#[derive(Debug, Clone, Copy)]
struct Row {
    at: DateTime<Utc>,
    activity: usize,
    line: u64,
}

/// Reads a log line by line, so a host can import a large file as it streams and
/// report progress ([`Importer::rows_read`]) between lines.
///
/// ```
/// use service_recovery::import::{Importer, ImportConfig, ImportError};
/// # let config: ImportConfig = serde_json::from_str(r#"{
/// #     "columns": {"case": "case", "activity": "activity", "timestamp": "at"},
/// #     "clock": "utc",
/// #     "activities": {"new": {"name": "New ticket", "role": "open"}}
/// # }"#).unwrap();
/// let mut importer = Importer::new(&config);
/// importer.read_line("case,activity,at")?;
/// importer.read_line("1,new,2024-05-06 09:00:00")?;
/// let refused = importer.read_line("2,old,2024-05-06 09:00:00").unwrap_err();
/// assert_eq!(refused.to_string(), "line 3: activity `old` has no rule in the import's activity map");
/// assert_eq!(importer.rows_read(), 1);
/// assert_eq!(importer.finish()?.cases().len(), 1);
/// # Ok::<(), ImportError>(())
/// ```
#[derive(Debug)]
pub struct Importer<'c> {
    config: &'c ImportConfig,
    /// The activity codes and rules, in the config's order.
    rules: Vec<(&'c str, Arc<str>, config::ActivityRole)>,
    /// Column positions of case, activity and timestamp, and the header's width.
    header: Option<([usize; 3], usize)>,
    line: u64,
    rows: u64,
    cases: Vec<(CaseId, Vec<Row>)>,
    index: HashMap<String, usize>,
    fields: Vec<String>,
    /// The timestamp format, parsed once rather than at every row.
    format: Vec<Item<'c>>,
}

impl<'c> Importer<'c> {
    /// An importer that reads with `config`.
    pub fn new(config: &'c ImportConfig) -> Self {
        let rules = config
            .activities
            .iter()
            .map(|(code, rule)| (code.as_str(), Arc::from(rule.name.as_str()), rule.role))
            .collect();
        Self {
            config,
            rules,
            header: None,
            line: 0,
            rows: 0,
            cases: Vec::new(),
            index: HashMap::new(),
            fields: Vec::new(),
            format: StrftimeItems::new(&config.timestamp_format).collect(),
        }
    }

    /// Reads the next line of the file (with or without its line ending): the header
    /// first, then rows. Blank lines are skipped.
    ///
    /// # Errors
    ///
    /// An [`ImportError`] naming the line; the importer is unchanged by a refused row
    /// and can go on with the next line.
    pub fn read_line(&mut self, line: &str) -> Result<(), ImportError> {
        self.line = self.line.saturating_add(1);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.trim().is_empty() {
            return Ok(());
        }
        let number = self.line;
        csv::split(line, &mut self.fields).ok_or(ImportError::UnclosedQuote { line: number })?;
        let Some((columns, width)) = self.header else {
            self.header = Some((self.find_columns()?, self.fields.len()));
            return Ok(());
        };
        if self.fields.len() != width {
            return Err(ImportError::FieldCount {
                line: number,
                expected: width,
                found: self.fields.len(),
            });
        }
        let field = |i: usize| self.fields.get(i).map_or("", String::as_str);
        let [case_at, activity_at, time_at] = columns;
        let (case, activity, time) = (field(case_at), field(activity_at), field(time_at));
        if case.is_empty() {
            return Err(ImportError::EmptyCase { line: number });
        }
        let activity = self
            .rules
            .iter()
            .position(|(code, _, _)| *code == activity)
            .ok_or_else(|| ImportError::UnmappedActivity {
                line: number,
                activity: activity.to_owned(),
            })?;
        let mut parsed = Parsed::new();
        let local = chrono::format::parse(&mut parsed, time, self.format.iter())
            .and_then(|()| parsed.to_naive_datetime_with_offset(0))
            .map_err(|_| ImportError::Timestamp {
                line: number,
                text: time.to_owned(),
                format: self.config.timestamp_format.clone(),
            })?;
        let at = self
            .config
            .clock
            .to_utc(local)
            .ok_or_else(|| ImportError::SkippedTime {
                line: number,
                text: time.to_owned(),
                clock: self.config.clock,
            })?;
        let row = Row {
            at,
            activity,
            line: number,
        };
        match self.index.get(case) {
            Some(&i) => {
                if let Some((_, rows)) = self.cases.get_mut(i) {
                    rows.push(row);
                }
            }
            None => {
                let id =
                    CaseId::try_new(case).map_err(|identifier| ImportError::InvalidCaseId {
                        line: number,
                        identifier,
                    })?;
                self.index.insert(case.to_owned(), self.cases.len());
                self.cases.push((id, vec![row]));
            }
        }
        self.rows = self.rows.saturating_add(1);
        Ok(())
    }

    fn find_columns(&self) -> Result<[usize; 3], ImportError> {
        let columns = &self.config.columns;
        let find = |name: &String| {
            self.fields
                .iter()
                .position(|f| f.trim() == name)
                .ok_or_else(|| ImportError::MissingColumn {
                    column: name.clone(),
                })
        };
        Ok([
            find(&columns.case)?,
            find(&columns.activity)?,
            find(&columns.timestamp)?,
        ])
    }

    /// Data rows accepted so far.
    pub fn rows_read(&self) -> u64 {
        self.rows
    }

    /// Builds the cases' histories from the rows read.
    ///
    /// # Errors
    ///
    /// [`ImportError::NoHeader`] if no line was read.
    pub fn finish(mut self) -> Result<ImportedLog, ImportError> {
        if self.header.is_none() {
            return Err(ImportError::NoHeader);
        }
        let mut counts = vec![0u64; self.rules.len()];
        let mut duplicates = Vec::new();
        let mut cases = Vec::with_capacity(self.cases.len());
        for (id, mut rows) in std::mem::take(&mut self.cases) {
            // Stable: rows with equal instants keep their order in the file.
            rows.sort_by_key(|r| r.at);
            let mut kept: Vec<Row> = Vec::with_capacity(rows.len());
            for row in rows {
                let repeated = kept
                    .iter()
                    .rev()
                    .take_while(|k| k.at == row.at)
                    .any(|k| k.activity == row.activity);
                if repeated {
                    duplicates.push(Duplicate {
                        line: row.line,
                        case: id.clone(),
                        activity: self.name(row.activity),
                        at: row.at,
                    });
                } else {
                    if let Some(n) = counts.get_mut(row.activity) {
                        *n = n.saturating_add(1);
                    }
                    kept.push(row);
                }
            }
            cases.push(self.build(id, &kept));
        }
        duplicates.sort_by_key(|d| d.line);
        let activities = self
            .rules
            .iter()
            .zip(counts)
            .map(|((_, name, _), n)| (name.clone(), n))
            .collect();
        Ok(ImportedLog {
            cases,
            rows: self.rows,
            duplicates,
            activities,
        })
    }

    fn name(&self, activity: usize) -> Arc<str> {
        self.rules
            .get(activity)
            .map_or_else(|| Arc::from(""), |(_, name, _)| name.clone())
    }

    fn role(&self, activity: usize) -> ActivityRole {
        self.rules
            .get(activity)
            .map_or(ActivityRole::Note, |(_, _, role)| *role)
    }

    /// The history of one case from its kept rows, sorted (see the module docs).
    fn build(&self, id: CaseId, rows: &[Row]) -> ImportedCase {
        let config = self.config;
        let first_at = rows.first().map_or(DateTime::UNIX_EPOCH, |r| r.at);
        let last_at = rows.last().map_or(first_at, |r| r.at);
        let mut history = Vec::with_capacity(rows.len() + 1);
        let mut push = |at, kind| {
            let sequence = u64::try_from(history.len()).unwrap_or(u64::MAX) + 1;
            history.push(Event {
                sequence,
                at,
                actor: config.actor.clone(),
                kind,
            });
        };
        push(
            first_at,
            EventKind::Opened(Box::new(Opened {
                case: id.clone(),
                customer: Customer::builder()
                    .id(id.as_str())
                    .name(format!("customer of case {id}"))
                    .address_as("")
                    .build(),
                channel: config.channel.clone(),
                owner: config.actor.clone(),
                complaint: Complaint::builder()
                    .summary(format!("case {id} of the imported log"))
                    .build(),
                severity: Severity::Moderate,
                priority: config.priority,
                signals: Vec::new(),
            })),
        );
        let (mut waiting, mut closed) = (false, false);
        for (i, row) in rows.iter().enumerate() {
            let (at, name, role) = (row.at, self.name(row.activity), self.role(row.activity));
            if i == 0 && role == ActivityRole::Open {
                continue;
            }
            if closed {
                let reason = format!("{name} after the case was resolved");
                push(at, EventKind::Reopened { reason });
                closed = false;
            }
            let is_wait = matches!(
                role,
                ActivityRole::WaitOnCustomer | ActivityRole::WaitOnThirdParty
            );
            if waiting && !is_wait {
                waiting = false;
                match role {
                    // Closing ends the wait by itself.
                    ActivityRole::Close => {}
                    ActivityRole::Resume => {
                        push(at, EventKind::Resumed {});
                        continue;
                    }
                    ActivityRole::Open
                    | ActivityRole::Note
                    | ActivityRole::Respond
                    | ActivityRole::Apologize
                    | ActivityRole::WaitOnCustomer
                    | ActivityRole::WaitOnThirdParty => push(at, EventKind::Resumed {}),
                }
            }
            let text = name.to_string();
            let kind = match role {
                ActivityRole::Open | ActivityRole::Note | ActivityRole::Resume => {
                    EventKind::NoteAdded { text }
                }
                ActivityRole::WaitOnCustomer | ActivityRole::WaitOnThirdParty if waiting => {
                    EventKind::NoteAdded { text }
                }
                ActivityRole::Respond => EventKind::Explained { words: text },
                ActivityRole::Apologize => EventKind::Apologized { words: text },
                ActivityRole::WaitOnCustomer => {
                    waiting = true;
                    EventKind::AwaitingCustomer { reason: text }
                }
                ActivityRole::WaitOnThirdParty => {
                    waiting = true;
                    EventKind::AwaitingThirdParty {
                        party: "third party".to_owned(),
                        reason: text,
                    }
                }
                ActivityRole::Close => {
                    closed = true;
                    EventKind::Closed {
                        root_cause: RootCause {
                            category: config.root_cause.clone(),
                            description: text,
                        },
                    }
                }
            };
            push(at, kind);
        }
        ImportedCase {
            history,
            trace: rows.iter().map(|r| self.name(r.activity)).collect(),
            first_at,
            last_at,
        }
    }
}

/// Imports a whole log held in memory.
///
/// # Errors
///
/// The first [`ImportError`] met.
pub fn import_csv(text: &str, config: &ImportConfig) -> Result<ImportedLog, ImportError> {
    let mut importer = Importer::new(config);
    for line in text.lines() {
        importer.read_line(line)?;
    }
    importer.finish()
}
