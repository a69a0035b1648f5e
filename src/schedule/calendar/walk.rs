//! Working intervals in time order, forwards or backwards from an instant.
//!
//! The intervals of all days, taken in date order and in order within each day, are in
//! time order and do not overlap: wall-clock windows do not overlap, and mapping a
//! wall-clock time to the first instant that shows it (or a later time) never goes
//! backwards. Only the days next to an instant's own local date can hold intervals on
//! the wrong side of it (a fall-back across midnight), so a walk starts a day or two
//! beyond it and lets the caller's test skip what does not apply.

use chrono::NaiveDate;

use super::{Compiled, Interval};

/// Intervals from those owned by the day before `at`'s local date on, earliest first.
pub(super) struct Forward<'a> {
    calendar: &'a Compiled,
    date: Option<NaiveDate>,
    buf: Vec<Interval>,
    next: usize,
}

impl<'a> Forward<'a> {
    pub(super) fn new(calendar: &'a Compiled, at: chrono::DateTime<chrono::Utc>) -> Self {
        let first = calendar.local_date(at);
        Self {
            calendar,
            date: Some(first.pred_opt().unwrap_or(first)),
            buf: Vec::new(),
            next: 0,
        }
    }
}

impl Iterator for Forward<'_> {
    type Item = Interval;

    fn next(&mut self) -> Option<Interval> {
        loop {
            if let Some(&interval) = self.buf.get(self.next) {
                self.next += 1;
                return Some(interval);
            }
            let date = self.date?;
            self.buf.clear();
            self.next = 0;
            self.calendar.day_intervals(date, &mut self.buf);
            self.date = date.succ_opt();
        }
    }
}

/// Intervals from those owned by the last day that can own one opening before `at`
/// back, latest first.
pub(super) struct Backward<'a> {
    calendar: &'a Compiled,
    date: Option<NaiveDate>,
    buf: Vec<Interval>,
}

impl<'a> Backward<'a> {
    pub(super) fn new(calendar: &'a Compiled, at: chrono::DateTime<chrono::Utc>) -> Self {
        Self {
            calendar,
            date: Some(calendar.last_day_opening_before(at)),
            buf: Vec::new(),
        }
    }
}

impl Iterator for Backward<'_> {
    type Item = Interval;

    fn next(&mut self) -> Option<Interval> {
        loop {
            if let Some(interval) = self.buf.pop() {
                return Some(interval);
            }
            let date = self.date?;
            self.calendar.day_intervals(date, &mut self.buf);
            self.date = date.pred_opt();
        }
    }
}
