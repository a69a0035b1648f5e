//! Scheduling in business time.
//!
//! Follow-ups, reminders and response targets are measured in *business time*: the
//! working hours of a team, in its own time zone, without its holidays. This module
//! holds the [`BusinessCalendar`] that answers "when is the team open?" and "when has
//! this much working time elapsed?", exactly and without a search horizon.

pub mod agenda;
pub mod calendar;
pub mod commitment;
mod follow_up;
pub mod sla;
pub mod survey;
mod working_time;

pub use agenda::{Agenda, AgendaItem, AgendaKind};
pub use follow_up::FollowUpPolicy;
pub use working_time::WorkingTime;

pub use calendar::{
    BusinessCalendar, CalendarConfig, CalendarError, DayRef, PartialClosure, WeekSchedule,
    WorkingWindow, YearlyDate, Zoned,
};
