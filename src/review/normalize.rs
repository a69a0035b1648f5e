//! The normalization that phrases and messages share, with a map back to the
//! original message so that spans point into what the agent wrote.

/// Normalizes text the way the reviewer compares it: lowercase (per character,
/// `char::to_lowercase`), curly and modifier apostrophes (`’ ‘ ʼ`) as `'`, every
/// run of whitespace as one space, and no leading or trailing whitespace.
///
/// A phrase matches a part of a message exactly when both normalize to the same text.
///
/// ```
/// use service_recovery::review::normalize;
///
/// assert_eq!(normalize("  That’s  our\tPOLICY "), "that's our policy");
/// ```
pub fn normalize(text: &str) -> String {
    let (buf, _) = normalize_with_map(text);
    buf.trim_matches(' ').to_owned()
}

/// Whether `c` is read as an apostrophe.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

/// A message ready for matching.
pub(crate) enum Text<'a> {
    /// ASCII with single spaces only: matched as it is, by an ASCII
    /// case-insensitive automaton, with no copy.
    Borrowed(&'a str),
    /// Normalized copy. `map` gives, for each byte of `buf`, the offset in the
    /// original message of the character that produced it; `None` when every
    /// byte sits at its original offset (same-length lowercasing, no collapse).
    Owned {
        buf: String,
        map: Option<Vec<usize>>,
    },
}

impl<'a> Text<'a> {
    /// Prepares `message` for matching, copying only when it must.
    pub(crate) fn new(message: &'a str) -> Self {
        if needs_normalizing(message.as_bytes()) {
            let (buf, map) = normalize_with_map(message);
            Text::Owned { buf, map }
        } else {
            Text::Borrowed(message)
        }
    }

    /// Always a normalized (lowercase) copy.
    pub(crate) fn owned(message: &str) -> Text<'static> {
        let (buf, map) = normalize_with_map(message);
        Text::Owned { buf, map }
    }

    /// The text to match against.
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Text::Borrowed(s) => s,
            Text::Owned { buf, .. } => buf,
        }
    }

    /// The span in the original message of the normalized span `start..end`, if
    /// that span begins and ends on whole original characters.
    pub(crate) fn original_span(
        &self,
        message: &str,
        start: usize,
        end: usize,
    ) -> Option<(usize, usize)> {
        let map = match self {
            Text::Borrowed(_) | Text::Owned { map: None, .. } => return Some((start, end)),
            Text::Owned { map: Some(map), .. } => map,
        };
        let first = *map.get(start)?;
        // A span must not begin or end inside the expansion of one character
        // (such as the two-character lowercase of 'İ').
        if start
            .checked_sub(1)
            .and_then(|p| map.get(p))
            .is_some_and(|&p| p == first)
        {
            return None;
        }
        let last = *map.get(end.checked_sub(1)?)?;
        if map.get(end).is_some_and(|&n| n == last) {
            return None;
        }
        let width = message.get(last..)?.chars().next()?.len_utf8();
        Some((first, last + width))
    }
}

/// Whether a message needs a normalized copy: anything but ASCII with single spaces.
fn needs_normalizing(bytes: &[u8]) -> bool {
    let mut after_space = false;
    for &b in bytes {
        match b {
            b' ' if after_space => return true,
            b' ' => after_space = true,
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => return true,
            0x80.. => return true,
            _ => after_space = false,
        }
    }
    false
}

/// Normalizes `text` without trimming, with the offset map described on [`Text::Owned`].
fn normalize_with_map(text: &str) -> (String, Option<Vec<usize>>) {
    let mut buf = String::with_capacity(text.len());
    let mut map: Option<Vec<usize>> = None;
    let mut in_space = false;
    for (offset, c) in text.char_indices() {
        let before = buf.len();
        if c.is_whitespace() {
            if in_space {
                // Dropped character: offsets diverge from here on.
                diverge(&mut map, before);
                continue;
            }
            in_space = true;
            buf.push(' ');
        } else {
            in_space = false;
            if is_apostrophe(c) {
                buf.push('\'');
            } else if c.is_ascii() {
                buf.push(c.to_ascii_lowercase());
            } else {
                buf.extend(c.to_lowercase());
            }
        }
        let produced = buf.len() - before;
        if produced != c.len_utf8() {
            diverge(&mut map, before);
        }
        if let Some(map) = map.as_mut() {
            map.extend(std::iter::repeat_n(offset, produced));
        }
    }
    (buf, map)
}

/// Starts the offset map when normalized and original offsets first differ: up
/// to `len`, every byte still sits at its original offset.
fn diverge(map: &mut Option<Vec<usize>>, len: usize) {
    if map.is_none() {
        *map = Some((0..len).collect());
    }
}

/// Whether `c` belongs to a word: letters, digits, and combining marks (so that
/// "Zoe\u{308}" is one word).
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c,
            '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}')
}

/// Whether `message[start..end]` neither begins nor ends inside a word.
pub(crate) fn on_word_boundaries(message: &str, start: usize, end: usize) -> bool {
    let (Some(head), Some(tail)) = (message.get(..start), message.get(end..)) else {
        return false;
    };
    let Some(inner) = message.get(start..end) else {
        return false;
    };
    let joins = |a: Option<char>, b: Option<char>| match (a, b) {
        (Some(a), Some(b)) => is_word_char(a) && is_word_char(b),
        _ => false,
    };
    !joins(head.chars().next_back(), inner.chars().next())
        && !joins(inner.chars().next_back(), tail.chars().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_single_spaces_are_borrowed() {
        assert!(matches!(Text::new("Sorry if that"), Text::Borrowed(_)));
        assert!(matches!(Text::new("Sorry  if"), Text::Owned { .. }));
        assert!(matches!(
            Text::new("Sorry\nif"),
            Text::Owned { map: None, .. }
        ));
    }

    #[test]
    fn map_points_back_to_original_offsets() {
        let message = "A\u{2019}  b";
        let text = Text::owned(message);
        assert_eq!(text.as_str(), "a' b");
        // "b" is at byte 3 normalized, byte 6 in the original.
        assert_eq!(text.original_span(message, 3, 4), Some((6, 7)));
        // "'" covers the whole three-byte curly apostrophe.
        assert_eq!(text.original_span(message, 1, 2), Some((1, 4)));
    }

    #[test]
    fn spans_inside_an_expansion_are_refused() {
        let message = "x\u{130}y";
        let text = Text::owned(message);
        assert_eq!(text.as_str(), "xi\u{307}y");
        assert_eq!(text.original_span(message, 1, 2), None);
        assert_eq!(text.original_span(message, 1, 4), Some((1, 3)));
    }

    #[test]
    fn word_boundaries_use_unicode() {
        assert!(on_word_boundaries("so soon.", 3, 7));
        assert!(!on_word_boundaries("soonest", 0, 4));
        assert!(!on_word_boundaries("zoësoon", 4, 8));
        assert!(!on_word_boundaries("soon\u{301}", 0, 4));
    }
}
