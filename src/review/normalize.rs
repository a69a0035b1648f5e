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

/// A message ready for matching, as a normalized copy when it needs one (the
/// reference that the streaming scan and [`occurs_as_word`] are tested against).
#[cfg(test)]
pub(crate) enum Text<'a> {
    /// ASCII with single spaces only: matched as it is, by an ASCII
    /// case-insensitive automaton, with no copy.
    Borrowed(&'a str),
    /// A normalized copy, with the segments that map it back to the original.
    Owned { buf: String, segments: Vec<Segment> },
}

/// A stretch of the normalized text that starts at byte `norm` and comes from
/// the original text at byte `orig`.
///
/// Most of a message maps byte for byte (lowercasing rarely changes a
/// character's length), so offsets are kept per stretch rather than per byte:
/// a new stretch starts only where whitespace was dropped or a character
/// changed length. Such a character is a stretch of its own, `atomic`: no span
/// may begin or end inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Segment {
    norm: usize,
    orig: usize,
    /// For an atomic stretch: its lengths in normalized and original bytes.
    atomic: Option<(usize, usize)>,
}

#[cfg(test)]
impl<'a> Text<'a> {
    /// Prepares `message` for matching, copying only when it must.
    pub(crate) fn new(message: &'a str) -> Self {
        if needs_normalizing(message.as_bytes()) {
            let (buf, segments) = normalize_with_map(message);
            Text::Owned { buf, segments }
        } else {
            Text::Borrowed(message)
        }
    }

    /// Always a normalized (lowercase) copy.
    pub(crate) fn owned(message: &str) -> Text<'static> {
        let (buf, segments) = normalize_with_map(message);
        Text::Owned { buf, segments }
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
    pub(crate) fn original_span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        match self {
            Text::Borrowed(_) => Some((start, end)),
            Text::Owned { segments, .. } => original_span(segments, start, end),
        }
    }

    /// Spans in the original message where `needle` (normalized, non-empty)
    /// occurs, starting and ending on whole original characters.
    pub(crate) fn find_all(&self, needle: &str) -> Vec<(usize, usize)> {
        // A borrowed text is ASCII, where ASCII lowercasing is exactly normalization.
        let lowered;
        let hay = match self {
            Text::Borrowed(s) => {
                lowered = s.to_ascii_lowercase();
                lowered.as_str()
            }
            Text::Owned { buf, .. } => buf.as_str(),
        };
        let mut spans = Vec::new();
        let mut from = 0;
        // Step one character at a time, so that an occurrence overlapping an
        // earlier one is still seen.
        while let Some(at) = hay.get(from..).and_then(|rest| rest.find(needle)) {
            let at = from + at;
            spans.extend(self.original_span(at, at + needle.len()));
            let step = hay
                .get(at..)
                .and_then(|r| r.chars().next())
                .map_or(1, char::len_utf8);
            from = at + step;
        }
        spans
    }
}

/// The span in the original text of the normalized span `start..end`, given the
/// text's `segments` (none: the normalized text is the original), if that span
/// begins and ends on whole original characters. (The review reads tokens,
/// which are spans of the original already; the reference pipeline that it is
/// tested against maps its automaton's matches back with this.)
#[cfg(test)]
pub(crate) fn original_span(
    segments: &[Segment],
    start: usize,
    end: usize,
) -> Option<(usize, usize)> {
    if segments.is_empty() {
        return Some((start, end));
    }
    let last = end.checked_sub(1)?;
    let (first_seg, last_seg) = (containing(segments, start)?, containing(segments, last)?);
    let from = match first_seg.atomic {
        Some(_) if start != first_seg.norm => return None,
        Some(_) => first_seg.orig,
        None => first_seg.orig + (start - first_seg.norm),
    };
    let to = match last_seg.atomic {
        Some((norm_len, orig_len)) if end == last_seg.norm + norm_len => last_seg.orig + orig_len,
        Some(_) => return None,
        None => last_seg.orig + (end - last_seg.norm),
    };
    Some((from, to))
}

/// The last segment starting at or before normalized offset `at`.
#[cfg(test)]
fn containing(segments: &[Segment], at: usize) -> Option<&Segment> {
    let after = segments.partition_point(|seg| seg.norm <= at);
    segments.get(after.checked_sub(1)?)
}

/// Whether a message needs a normalized copy: anything but ASCII with single spaces.
#[cfg(test)]
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

/// Whether `b` is printable ASCII other than a space (or DEL): kept as it is.
#[inline(always)]
fn is_word_byte(b: u8) -> bool {
    b.wrapping_sub(0x21) < 0x5f
}

/// Adds `segment`, first adding the one that starts both texts if there is none yet.
#[cold]
fn push_segment(segments: &mut Vec<Segment>, segment: Segment) {
    if segments.is_empty() {
        segments.push(Segment {
            norm: 0,
            orig: 0,
            atomic: None,
        });
    }
    segments.push(segment);
}

/// Feeds the normalized form of `text` to `emit`, byte by byte with the
/// normalized offset just past it, without building it, and records in
/// `segments` (left empty while the normalized text is the original) how it
/// maps back to `text`.
///
/// ASCII letters are passed as they are, not lowercased: the automaton folds
/// ASCII case itself. Everything else is as [`normalize`] has it, untrimmed.
#[inline(always)]
pub(crate) fn stream(text: &str, segments: &mut Vec<Segment>, mut emit: impl FnMut(u8, usize)) {
    let bytes = text.as_bytes();
    let mut norm = 0;
    // Whether the next byte kept byte-for-byte starts a new segment.
    let mut pending = false;
    let mut in_space = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if is_word_byte(b) {
            if pending {
                push_segment(
                    segments,
                    Segment {
                        norm,
                        orig: i,
                        atomic: None,
                    },
                );
                pending = false;
            }
            in_space = false;
            // The common case, a run of printable ASCII: both offsets advance
            // together, so only the original one is counted.
            let shift = norm.wrapping_sub(i);
            while let Some(&b) = bytes.get(i) {
                if !is_word_byte(b) {
                    break;
                }
                i += 1;
                emit(b, i.wrapping_add(shift));
            }
            norm = i.wrapping_add(shift);
            continue;
        }
        if b < 0x80 {
            let is_space = matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
            if is_space && in_space {
                pending = true;
            } else {
                if pending {
                    push_segment(
                        segments,
                        Segment {
                            norm,
                            orig: i,
                            atomic: None,
                        },
                    );
                    pending = false;
                }
                in_space = is_space;
                norm += 1;
                emit(if is_space { b' ' } else { b }, norm);
            }
            i += 1;
            continue;
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let width = c.len_utf8();
        let before = norm;
        let mut utf8 = [0; 4];
        if c.is_whitespace() {
            if in_space {
                pending = true;
                i += width;
                continue;
            }
            in_space = true;
            norm += 1;
            emit(b' ', norm);
        } else {
            in_space = false;
            if is_apostrophe(c) {
                norm += 1;
                emit(b'\'', norm);
            } else {
                for lower in c.to_lowercase() {
                    for &byte in lower.encode_utf8(&mut utf8).as_bytes() {
                        norm += 1;
                        emit(byte, norm);
                    }
                }
            }
        }
        let produced = norm - before;
        if produced == width {
            if pending {
                push_segment(
                    segments,
                    Segment {
                        norm: before,
                        orig: i,
                        atomic: None,
                    },
                );
                pending = false;
            }
        } else {
            push_segment(
                segments,
                Segment {
                    norm: before,
                    orig: i,
                    atomic: Some((produced, width)),
                },
            );
            pending = true;
        }
        i += width;
    }
}

/// Normalizes `text` without trimming, with the segments described on [`Segment`].
fn normalize_with_map(text: &str) -> (String, Vec<Segment>) {
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut segments = Vec::new();
    stream(text, &mut segments, |b, _| out.push(b.to_ascii_lowercase()));
    if segments.is_empty() {
        segments.push(Segment {
            norm: 0,
            orig: 0,
            atomic: None,
        });
    }
    // Only whole characters were written, each as valid UTF-8.
    let buf = String::from_utf8(out).unwrap_or_default();
    (buf, segments)
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
#[cfg(test)]
pub(crate) fn on_word_boundaries(message: &str, start: usize, end: usize) -> bool {
    if start > end || !message.is_char_boundary(start) || !message.is_char_boundary(end) {
        return false;
    }
    start == end || (!joins_at(message, start) && !joins_at(message, end))
}

/// Whether a word can start at byte `at` of `message`: a character boundary that
/// does not split a word.
#[cfg(test)]
pub(crate) fn starts_word(message: &str, at: usize) -> bool {
    message.is_char_boundary(at) && !joins_at(message, at)
}

/// Whether the characters on both sides of the boundary `at` belong to words.
#[cfg(test)]
fn joins_at(message: &str, at: usize) -> bool {
    let bytes = message.as_bytes();
    let (Some(&before), Some(&after)) =
        (at.checked_sub(1).and_then(|i| bytes.get(i)), bytes.get(at))
    else {
        return false;
    };
    if before.is_ascii() && after.is_ascii() {
        return before.is_ascii_alphanumeric() && after.is_ascii_alphanumeric();
    }
    let (Some(head), Some(tail)) = (message.get(..at), message.get(at..)) else {
        return false;
    };
    match (head.chars().next_back(), tail.chars().next()) {
        (Some(a), Some(b)) => is_word_char(a) && is_word_char(b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_single_spaces_are_borrowed() {
        assert!(matches!(Text::new("Sorry if that"), Text::Borrowed(_)));
        assert!(matches!(Text::new("Sorry  if"), Text::Owned { .. }));
        assert!(matches!(Text::new("Sorry\nif"), Text::Owned { .. }));
    }

    #[test]
    fn map_points_back_to_original_offsets() {
        let message = "A\u{2019}  b";
        let text = Text::owned(message);
        assert_eq!(text.as_str(), "a' b");
        // "b" is at byte 3 normalized, byte 6 in the original.
        assert_eq!(text.original_span(3, 4), Some((6, 7)));
        // "'" covers the whole three-byte curly apostrophe.
        assert_eq!(text.original_span(1, 2), Some((1, 4)));
    }

    #[test]
    fn spans_inside_an_expansion_are_refused() {
        let message = "x\u{130}y";
        let text = Text::owned(message);
        assert_eq!(text.as_str(), "xi\u{307}y");
        assert_eq!(text.original_span(1, 2), None);
        assert_eq!(text.original_span(1, 4), Some((1, 3)));
    }

    #[test]
    fn same_length_changes_keep_one_segment() {
        let (buf, segments) = normalize_with_map("SORRY\nIF Zo\u{cb}");
        assert_eq!(buf, "sorry\nif zo\u{eb}".replace('\n', " "));
        assert_eq!(segments.len(), 1);
    }

    #[test]
    fn find_all_reports_original_spans() {
        let message = "Anna  \u{2019}ANNA\u{2019} anna";
        let text = Text::new(message);
        let found = text.find_all("anna");
        assert_eq!(found, [(0, 4), (9, 13), (17, 21)]);
        let ascii = Text::new("Hi ANNA and anna");
        assert_eq!(ascii.find_all("anna"), [(3, 7), (12, 16)]);
        assert_eq!(Text::new("ananas").find_all("ana"), [(0, 3), (2, 5)]);
    }

    #[test]
    fn word_boundaries_use_unicode() {
        assert!(on_word_boundaries("so soon.", 3, 7));
        assert!(!on_word_boundaries("soonest", 0, 4));
        assert!(!on_word_boundaries("zoësoon", 4, 8));
        assert!(!on_word_boundaries("soon\u{301}", 0, 4));
    }
}
