//! Reading the times of a request quickly.
//!
//! chrono reads a time with a general RFC 3339 parser; a request with a 20-event
//! history has 21 times, and that parser was a fifth of the protocol's cost. The
//! crate writes every time as `2026-03-02T14:05:00Z` (whole seconds, UTC, `Z`), so
//! that form is read here directly; anything else (fractions of a second, an offset,
//! a leap second, a malformed time) goes to chrono, which accepts or refuses it
//! exactly as before, in the same words.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// Deserializes a [`DateTime<Utc>`] as chrono does (same accepted texts, same
/// messages), reading the crate's own form without chrono's general parser.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<DateTime<Utc>, D::Error> {
    deserializer.deserialize_str(Rfc3339)
}

struct Rfc3339;

impl Visitor<'_> for Rfc3339 {
    type Value = DateTime<Utc>;

    // chrono's words, so that a wrong type is refused in the same message.
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an RFC 3339 formatted date and time string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        match utc_seconds(text) {
            Some(at) => Ok(at),
            None => text
                .parse::<DateTime<FixedOffset>>()
                .map(|at| at.with_timezone(&Utc))
                .map_err(E::custom),
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` with a real date and a time before 24:00:00, or `None`.
fn utc_seconds(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.len() != 20
        || b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || b.get(10) != Some(&b'T')
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
        || b.get(19) != Some(&b'Z')
    {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<u32> {
        b.get(from..to)?.iter().try_fold(0u32, |n, &digit| {
            digit
                .is_ascii_digit()
                .then(|| n * 10 + u32::from(digit - b'0'))
        })
    };
    let year = i32::try_from(number(0, 4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, number(5, 7)?, number(8, 10)?)?;
    // Hours above 23 and leap seconds (60) are left to chrono.
    let (hour, minute, second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);
    if second > 59 {
        return None;
    }
    Some(date.and_hms_opt(hour, minute, second)?.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn read(json: &str) -> Result<DateTime<Utc>, String> {
        let mut reader = serde_json::Deserializer::from_str(json);
        deserialize(&mut reader).map_err(|e| e.to_string())
    }

    fn chrono(json: &str) -> Result<DateTime<Utc>, String> {
        serde_json::from_str::<DateTime<Utc>>(json).map_err(|e| e.to_string())
    }

    #[test]
    fn the_crate_s_own_form_is_read_directly() {
        let at = Utc.with_ymd_and_hms(2026, 3, 2, 14, 5, 9).unwrap();
        assert_eq!(utc_seconds("2026-03-02T14:05:09Z"), Some(at));
        assert_eq!(
            utc_seconds("0000-01-01T00:00:00Z"),
            Some(Utc.with_ymd_and_hms(0, 1, 1, 0, 0, 0).unwrap())
        );
        assert_eq!(
            utc_seconds("9999-12-31T23:59:59Z"),
            Some(Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap())
        );
        assert_eq!(read("\"2026-03-02T14:05:09Z\""), Ok(at));
    }

    #[test]
    fn every_other_form_is_left_to_chrono() {
        for text in [
            "2026-03-02T14:05:09.5Z",
            "2026-03-02T14:05:09+01:00",
            "2026-03-02 14:05:09Z",
            "2026-03-02t14:05:09Z",
            "2026-03-02T14:05:09z",
            "2026-02-29T14:05:09Z",
            "2026-13-02T14:05:09Z",
            "2026-03-02T24:00:00Z",
            "2026-03-02T14:60:00Z",
            "2016-12-31T23:59:60Z",
            "2026-03-02T14:05:0xZ",
            "2026+03-02T14:05:09Z",
            "2026-03+02T14:05:09Z",
            "2026-03-02T14-05:09Z",
            "2026-03-02T14:05-09Z",
            "2026-03-02T14:05:09ZZ",
            "-026-03-02T14:05:09Z",
        ] {
            assert_eq!(utc_seconds(text), None, "{text}");
            let json = format!("\"{text}\"");
            assert_eq!(read(&json), chrono(&json), "{text}");
        }
    }

    #[test]
    fn what_chrono_accepts_and_refuses_is_unchanged() {
        for json in [
            "\"2026-03-02T14:05:09Z\"",
            "\"2026-03-02T14:05:09.123+02:00\"",
            "\"2016-12-31T23:59:60Z\"",
            "\"2026-02-30T14:05:09Z\"",
            "\"yesterday\"",
            "\"\"",
            "5",
            "null",
            "{}",
        ] {
            assert_eq!(read(json), chrono(json), "{json}");
        }
        assert_eq!(
            read("5").unwrap_err(),
            "invalid type: integer `5`, expected an RFC 3339 formatted date and time string \
             at line 1 column 1"
        );
        assert_eq!(
            read("\"2026-02-30T14:05:09Z\"").unwrap_err(),
            "input is out of range at line 1 column 22"
        );
    }
}
