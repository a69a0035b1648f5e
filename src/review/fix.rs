//! One-click fixes: a replacement for the words of a finding, and applying several.

use serde::{Deserialize, Serialize};

use super::{Finding, Span};

/// A one-click fix: replace the text at [`span`](Self::span) of the reviewed
/// message with [`replacement`](Self::replacement). The span may reach beyond the
/// finding's (a deleted "To be honest," takes its comma and space with it, and
/// the next word is capitalized).
///
/// ```
/// use service_recovery::review::{ReviewContext, Reviewer};
///
/// # fn main() -> Result<(), service_recovery::review::ReviewError> {
/// let message = "To be honest, the parcel is lost. I'll obviously refund it.";
/// let review = Reviewer::english()?.review(message, &ReviewContext::default());
/// assert_eq!(review.apply_fixes(message), "The parcel is lost. I'll refund it.");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fix {
    /// What to replace, in bytes of the reviewed message.
    pub span: Span,
    /// The text to put there (empty: delete).
    pub replacement: String,
}

/// Whether the text before `at` ends a sentence (or is the start of the message).
fn starts_sentence(message: &str, at: usize) -> bool {
    message
        .get(..at)
        .and_then(|head| head.trim_end().chars().next_back())
        .is_none_or(|c| matches!(c, '.' | '!' | '?' | '\n' | ':' | '>' | '"' | '\u{201C}'))
}

impl Fix {
    /// The fix that puts `replacement` in place of `start..end` of `message`,
    /// keeping the sentence's capital letter; `None` if the span is not in the message.
    pub(crate) fn for_match(
        message: &str,
        start: usize,
        end: usize,
        replacement: &str,
    ) -> Option<Fix> {
        let matched = message.get(start..end)?;
        let capital = matched.chars().next().is_some_and(char::is_uppercase);
        if !replacement.is_empty() {
            let mut text = String::with_capacity(replacement.len());
            let mut chars = replacement.chars();
            if let Some(first) = chars.next() {
                if capital && starts_sentence(message, start) {
                    text.extend(first.to_uppercase());
                } else {
                    text.push(first);
                }
            }
            text.extend(chars);
            return Some(Fix {
                span: Span { start, end },
                replacement: text,
            });
        }
        // A deletion takes the punctuation and spaces after it, or (mid-sentence,
        // before a full stop) the space before it.
        let rest = message.get(end..)?;
        let trailing = rest
            .char_indices()
            .find(|&(_, c)| !matches!(c, ',' | ' ' | '\u{2014}' | '\u{2013}' | ';'))
            .map_or(rest.len(), |(i, _)| i);
        let mut span = Span {
            start,
            end: end + trailing,
        };
        let next = message.get(span.end..).and_then(|r| r.chars().next());
        if starts_sentence(message, start) {
            if let Some(c) = next.filter(|c| c.is_lowercase()) {
                span.end += c.len_utf8();
                return Some(Fix {
                    span,
                    replacement: c.to_uppercase().collect(),
                });
            }
        } else if next.is_none_or(|c| !c.is_alphanumeric()) {
            // "…refund it, honestly." loses ", honestly", not "honestly" alone.
            let head = message.get(..start)?;
            span = Span {
                start: head.trim_end_matches([' ', ',']).len(),
                end,
            };
        }
        Some(Fix {
            span,
            replacement: String::new(),
        })
    }
}

/// Applies `fixes` to `message`: those that overlap an earlier one (by start)
/// are skipped, so the result never garbles the text.
///
/// ```
/// use service_recovery::review::{Fix, Span, apply_fixes};
///
/// let fixes = [
///     Fix { span: Span { start: 0, end: 5 }, replacement: "Hi".into() },
///     Fix { span: Span { start: 3, end: 8 }, replacement: "overlaps".into() },
/// ];
/// assert_eq!(apply_fixes("Hello, Sam", &fixes), "Hi, Sam");
/// ```
pub fn apply_fixes<'a>(message: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> String {
    let mut fixes: Vec<&Fix> = fixes.into_iter().collect();
    fixes.sort_by_key(|f| (f.span.start, f.span.end));
    let mut out = String::with_capacity(message.len());
    let mut at = 0;
    for fix in fixes {
        if fix.span.start < at || fix.span.start > fix.span.end {
            continue;
        }
        let (Some(kept), Some(_)) = (
            message.get(at..fix.span.start),
            message.get(fix.span.range()),
        ) else {
            continue;
        };
        out.push_str(kept);
        out.push_str(&fix.replacement);
        at = fix.span.end;
    }
    out.push_str(message.get(at..).unwrap_or_default());
    out
}

/// The fixes of `findings`, in order.
pub(crate) fn fixes_of(findings: &[Finding]) -> impl Iterator<Item = &Fix> {
    findings.iter().filter_map(|f| f.fix.as_ref())
}
