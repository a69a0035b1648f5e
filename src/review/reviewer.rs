//! The compiled reviewer: a rule set's token patterns, and for each word the
//! patterns anchored on it.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::fmt;
use std::sync::{Arc, OnceLock};

#[cfg(test)]
use aho_corasick::nfa::contiguous;
#[cfg(test)]
use aho_corasick::{MatchKind, dfa};
use serde::{Deserialize, Serialize};

use unicode_normalization::UnicodeNormalization;

use super::grammar::{Grammar, sentence_of};
use super::normalize::is_word_char;
use super::token::{Kind, Token, is_apostrophe, split};
use super::{
    Condition, ExampleFailure, Finding, Fix, Review, ReviewContext, ReviewError, RuleSet, Span,
};

/// Reviews agents' messages against a [`RuleSet`].
///
/// Building a reviewer compiles the set once: its token patterns, and a table
/// from each word to the patterns anchored on it (on their rarest word).
/// [`review`](Self::review) then reads each message's words in a single pass,
/// without copying it, and runs the token patterns only near the words that
/// anchor them. A reviewer is cheap to clone (the compiled set is shared) and is `Send + Sync`.
/// It serializes as its rule set, and deserializing recompiles it.
///
/// ```
/// use service_recovery::review::{ReviewContext, Reviewer, FindingSeverity};
///
/// # fn main() -> Result<(), service_recovery::review::ReviewError> {
/// let reviewer = Reviewer::english()?;
/// let context = ReviewContext::builder().step("commitment").build();
/// let review = reviewer.review("Sorry if that upset you; it will ship soon.", &context);
///
/// let ids: Vec<&str> = review.findings.iter().map(|f| f.rule_id.as_str()).collect();
/// assert_eq!(ids, ["hedged-apology.sorry-if", "vague-timing.soon"]);
/// assert_eq!(review.findings[1].matched, "soon");
/// assert_eq!(review.worst_severity(), Some(FindingSeverity::Error));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "RuleSet", into = "RuleSet")]
pub struct Reviewer {
    rule_set: RuleSet,
    /// The automaton of the old first pass, for the reference pipeline.
    #[cfg(test)]
    automaton: Arc<Scanner>,
    grammar: Arc<Grammar>,
    /// For each rule, the index of its category among the set's categories.
    groups: Vec<usize>,
    /// For each rule, its explanation and suggestion, shared by its findings.
    texts: Vec<(Arc<str>, Arc<str>)>,
}

/// The compiled automaton: a DFA, or for rule sets too large for one, an NFA.
/// Both are driven byte by byte over the normalized message as it is produced.
#[cfg(test)]
#[derive(Clone)]
enum Scanner {
    Dfa(dfa::DFA),
    Nfa(contiguous::NFA),
}

/// An occurrence of a pattern in the normalized message, at `start..end`.
#[cfg(test)]
#[derive(Debug, Clone, Copy)]
struct Raw {
    pattern: usize,
    start: usize,
    end: usize,
}

/// A match of a rule found at `start..end` of the original message.
#[derive(Debug, Clone, Copy)]
struct Hit {
    rule: usize,
    start: usize,
    end: usize,
}

/// The working buffers of one review, kept per thread between reviews.
#[derive(Debug, Default)]
struct Scratch {
    /// The patterns worth matching: (rule, pattern, token where its anchor's
    /// word starts).
    candidates: Vec<(usize, usize, usize)>,
    tokens: Vec<Token>,
    /// A bitset of the word ids in `tokens`.
    present: Vec<u64>,
    /// The quoted regions, once scanned.
    quotes: Vec<(usize, usize)>,
    hits: Vec<Hit>,
    buf: String,
    matching: Matching,
}

/// The buffers for matching one rule's patterns.
#[derive(Debug, Default)]
pub(crate) struct Matching {
    /// Its patterns with the token where an anchor was found.
    anchored: Vec<(usize, usize)>,
    /// The matches, as token ranges.
    pub(crate) found: Vec<(usize, usize)>,
    /// The tokens where a match may start.
    pub(crate) starts: Vec<usize>,
}

/// Buffers larger than this many elements are dropped after a review rather
/// than kept for the next, so one huge message does not hold memory forever.
const KEEP_AT_MOST: usize = 1 << 16;

impl Scratch {
    /// Empties every buffer, keeping its capacity.
    fn clear(&mut self) {
        self.candidates.clear();
        self.tokens.clear();
        self.present.clear();
        self.quotes.clear();
        self.hits.clear();
        self.buf.clear();
    }

    /// Drops any buffer grown past [`KEEP_AT_MOST`].
    fn trim(&mut self) {
        if self.candidates.capacity() > KEEP_AT_MOST
            || self.tokens.capacity() > KEEP_AT_MOST
            || self.quotes.capacity() > KEEP_AT_MOST
            || self.hits.capacity() > KEEP_AT_MOST
            || self.matching.found.capacity() > KEEP_AT_MOST
            || self.matching.starts.capacity() > KEEP_AT_MOST
            || self.matching.anchored.capacity() > KEEP_AT_MOST
        {
            *self = Scratch::default();
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The review context for a rule's examples: a known customer, a closing message.
fn example_context() -> ReviewContext {
    ReviewContext {
        customer_name: Some("Alex Morgan".to_owned()),
        closing: true,
        ..ReviewContext::default()
    }
}

impl Reviewer {
    /// Validates `rule_set` and compiles it.
    ///
    /// # Errors
    /// Any validation error of the set (see [`RuleSet::validate`]) or of its
    /// patterns and word lists.
    pub fn new(rule_set: RuleSet) -> Result<Self, ReviewError> {
        for rule in &rule_set.rules {
            rule.validate()?;
        }
        rule_set.validate()?;
        let grammar = Grammar::compile(&rule_set)?;
        #[cfg(test)]
        let automaton = Arc::new(old_automaton(&grammar)?);
        let mut categories = Vec::new();
        let groups = rule_set
            .rules
            .iter()
            .map(|rule| {
                categories
                    .iter()
                    .position(|c| *c == &rule.category)
                    .unwrap_or_else(|| {
                        categories.push(&rule.category);
                        categories.len() - 1
                    })
            })
            .collect();
        let texts = rule_set
            .rules
            .iter()
            .map(|rule| {
                (
                    Arc::from(rule.explanation.as_str()),
                    Arc::from(rule.suggestion.as_str()),
                )
            })
            .collect();
        Ok(Reviewer {
            rule_set,
            #[cfg(test)]
            automaton,
            grammar: Arc::new(grammar),
            groups,
            texts,
        })
    }
}

/// The automaton of the old first pass, over every surface form of every
/// anchor word: built for the reference pipeline only.
#[cfg(test)]
fn old_automaton(grammar: &Grammar) -> Result<Scanner, ReviewError> {
    let patterns: Vec<&str> = grammar.anchors.iter().map(|a| a.surface.as_str()).collect();
    // The first pass looks only for each pattern's rarest word (its anchor);
    // the token patterns run only on messages where an anchor occurs.
    // Overlapping search (which needs standard match semantics) reports every
    // anchor at every position, so one rejected for its word boundaries never
    // hides another; ASCII case folding lets the scan read the message as it
    // is. No prefilter: without one the start state needs no special handling.
    dfa::Builder::new()
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(true)
        .prefilter(false)
        .build(&patterns)
        .map(Scanner::Dfa)
        .or_else(|_| {
            contiguous::NFA::builder()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(true)
                .prefilter(false)
                .build(&patterns)
                .map(Scanner::Nfa)
        })
        .map_err(|e| ReviewError::Compile {
            reason: e.to_string(),
        })
}

impl Reviewer {
    /// A reviewer for the built-in English rules ([`RuleSet::english`]). Compiled
    /// once per process; later calls clone it cheaply.
    ///
    /// # Errors
    /// None in practice; see [`RuleSet::english`].
    pub fn english() -> Result<Self, ReviewError> {
        static ENGLISH: OnceLock<Result<Reviewer, ReviewError>> = OnceLock::new();
        ENGLISH
            .get_or_init(|| RuleSet::english().and_then(Reviewer::new))
            .clone()
    }

    /// The rule set this reviewer was built from.
    pub fn rule_set(&self) -> &RuleSet {
        &self.rule_set
    }

    /// Runs every rule's [`examples`](super::Rule::examples) and returns those it
    /// gets wrong: a `flag` example in which the rule finds nothing, or a `pass`
    /// example in which it finds something. Examples are reviewed as closing
    /// messages to a customer called Alex Morgan.
    ///
    /// ```
    /// use service_recovery::review::Reviewer;
    ///
    /// # fn main() -> Result<(), service_recovery::review::ReviewError> {
    /// let failures = Reviewer::english()?.check_examples();
    /// assert!(failures.is_empty(), "{failures:?}");
    /// # Ok(())
    /// # }
    /// ```
    pub fn check_examples(&self) -> Vec<ExampleFailure> {
        let context = example_context();
        let mut failures = Vec::new();
        for rule in &self.rule_set.rules {
            let cases = rule
                .examples
                .flag
                .iter()
                .map(|m| (m, true))
                .chain(rule.examples.pass.iter().map(|m| (m, false)));
            for (message, should_flag) in cases {
                let flagged = self
                    .review(message, &context)
                    .findings
                    .iter()
                    .any(|f| f.rule_id == rule.id);
                if flagged != should_flag {
                    failures.push(ExampleFailure {
                        rule_id: rule.id.clone(),
                        message: message.clone(),
                        should_flag,
                    });
                }
            }
        }
        failures
    }

    /// Reviews one message: what the agent is about to send, in `context`.
    ///
    /// Never fails and never panics: every message, however odd, gets a review.
    /// Each thread keeps a few working buffers between reviews, so that a
    /// review allocates little more than its findings; a buffer that one long
    /// message grew past 65,536 elements is released afterwards.
    pub fn review(&self, message: &str, context: &ReviewContext) -> Review {
        // Each thread keeps its working buffers between messages, so that a
        // review allocates only what it returns. A nested or late call (while
        // the thread's buffers are in use or being destroyed) gets fresh ones.
        SCRATCH
            .try_with(|cell| match cell.try_borrow_mut() {
                Ok(mut scratch) => {
                    let review = self.review_in(message, context, &mut scratch);
                    scratch.trim();
                    review
                }
                Err(_) => self.review_in(message, context, &mut Scratch::default()),
            })
            .unwrap_or_else(|_| self.review_in(message, context, &mut Scratch::default()))
    }

    /// [`review`](Self::review) with the working buffers `scratch`.
    fn review_in(&self, message: &str, context: &ReviewContext, scratch: &mut Scratch) -> Review {
        scratch.clear();
        let step_in = |steps: &[String]| {
            context
                .step
                .as_deref()
                .is_some_and(|step| steps.iter().any(|s| s == step))
        };
        let closing = context.closing || step_in(&self.rule_set.closing_steps);
        self.grammar
            .lexicon
            .tokens_into(message, &mut scratch.buf, &mut scratch.tokens);
        self.candidates(scratch, closing);
        // Most messages have no word that anchors a pattern: reading their
        // words is all they cost.
        if scratch.candidates.is_empty() {
            return Review::default();
        }
        self.hits(message, context, scratch);
        if scratch.hits.is_empty() {
            return Review::default();
        }
        let Scratch { tokens, hits, .. } = scratch;
        self.apply_conditions(message, context, tokens, hits);
        self.drop_contained(hits);
        Review {
            findings: self.findings(message, context, closing, hits),
        }
    }

    /// The patterns worth matching, into `scratch.candidates` as (rule,
    /// pattern, token where its anchor's word starts): those anchored on a
    /// word of `scratch.tokens`; and on a closing message the rules about what
    /// is missing, as (rule, `usize::MAX`, 0): all their patterns, everywhere.
    /// Sorted.
    fn candidates(&self, scratch: &mut Scratch, closing: bool) {
        let Scratch {
            tokens,
            candidates: found,
            ..
        } = scratch;
        let table = &self.grammar.anchored;
        // The parts of a contraction ("should", "not" in "shouldn't") share
        // their word's span; matching starts from the word's first part.
        let mut word_start = (usize::MAX, 0);
        for (i, token) in tokens.iter().enumerate() {
            if token.start != word_start.0 {
                word_start = (token.start, i);
            }
            let anchored = table.get(token.word);
            if !anchored.is_empty() {
                let first = word_start.1;
                found.extend(anchored.iter().map(|&(r, p)| (r, p, first)));
            }
        }
        if closing {
            found.extend(
                self.rule_set
                    .rules
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.condition == Condition::AbsentAtClose)
                    .map(|(i, _)| (i, usize::MAX, 0)),
            );
        }
        found.sort_unstable();
        found.dedup();
    }

    /// Every match of the candidate rules outside quotes that survives its
    /// rule's exceptions and conditions, leftmost-longest per rule, into
    /// `scratch.hits`.
    fn hits(&self, message: &str, context: &ReviewContext, scratch: &mut Scratch) {
        let Scratch {
            candidates,
            tokens,
            present,
            quotes,
            hits,
            ..
        } = scratch;
        present.resize(self.grammar.lexicon.len().div_ceil(64), 0);
        for t in tokens.iter() {
            let id = t.word as usize;
            if let Some(bits) = present.get_mut(id / 64) {
                *bits |= 1 << (id % 64);
            }
        }
        let mut scanned = false;
        let mut quoted = |at: usize| {
            if context.include_quoted {
                return false;
            }
            if !scanned {
                quoted_regions_into(message, quotes);
                scanned = true;
            }
            in_regions(quotes, at)
        };
        self.hits_in(
            tokens,
            present,
            candidates,
            &mut quoted,
            hits,
            &mut scratch.matching,
        );
        leftmost_longest_per_rule(hits);
    }

    /// The hits of `candidates` (sorted; all anchored in `tokens`, by token) in `tokens`,
    /// added to `hits`.
    fn hits_in(
        &self,
        tokens: &[Token],
        present: &[u64],
        candidates: &[(usize, usize, usize)],
        quoted: &mut impl FnMut(usize) -> bool,
        hits: &mut Vec<Hit>,
        matching: &mut Matching,
    ) {
        let Matching {
            anchored,
            found,
            starts,
        } = matching;
        for (at, &(rule_index, _, _)) in candidates.iter().enumerate() {
            if candidates
                .get(at + 1)
                .is_some_and(|&(next, _, _)| next == rule_index)
            {
                continue;
            }
            // The last candidate of this rule: gather its patterns, each with
            // the token where its anchor starts.
            anchored.clear();
            let run = candidates.get(..=at).unwrap_or_default().iter().rev();
            anchored.extend(
                run.take_while(|&&(r, _, _)| r == rule_index)
                    .map(|&(_, p, token)| (p, token)),
            );
            anchored.sort_unstable();
            let (Some(rule), Some(compiled)) = (
                self.rule_set.rules.get(rule_index),
                self.grammar.rules.get(rule_index),
            ) else {
                continue;
            };
            let everywhere = anchored.iter().any(|&(p, _)| p == usize::MAX);
            found.clear();
            compiled.matches(
                tokens,
                present,
                (!everywhere).then_some(anchored.as_slice()),
                starts,
                found,
            );
            found.retain(|&(first, _)| tokens.get(first).is_some_and(|t| !quoted(t.start)));
            if rule.condition == Condition::AbsentAtClose {
                if found.is_empty() {
                    hits.extend(last_sentence(tokens).map(|(start, end)| Hit {
                        rule: rule_index,
                        start,
                        end,
                    }));
                }
                continue;
            }
            for &(first, end) in found.iter() {
                if !compiled.keeps_in(tokens, Some(present), first, end) {
                    continue;
                }
                let (Some(a), Some(b)) = (
                    tokens.get(first),
                    end.checked_sub(1).and_then(|i| tokens.get(i)),
                ) else {
                    continue;
                };
                hits.push(Hit {
                    rule: rule_index,
                    start: a.start,
                    end: b.end,
                });
            }
        }
    }

    /// Applies each rule's [`Condition`]; `tokens` are the message's.
    fn apply_conditions(
        &self,
        message: &str,
        context: &ReviewContext,
        tokens: &[Token],
        hits: &mut Vec<Hit>,
    ) {
        let conditional = |hit: &Hit| {
            self.rule_set
                .rules
                .get(hit.rule)
                .is_some_and(|r| r.condition == Condition::CustomerNameAbsent)
        };
        if !hits.iter().any(conditional) {
            return;
        }
        let name_missing = context
            .customer_name
            .as_deref()
            .is_some_and(|name| name_is_known_and_absent_among(message, word_spans(tokens), name));
        let mut reported = Vec::new();
        hits.retain(|hit| {
            if !conditional(hit) {
                return true;
            }
            // Hits are sorted by rule then start: keep each rule's first.
            if name_missing && !reported.contains(&hit.rule) {
                reported.push(hit.rule);
                return true;
            }
            false
        });
    }

    /// Drops a hit lying within another hit of the same category ("soon" inside
    /// "as soon as possible"): one finding per stretch of wording.
    fn drop_contained(&self, hits: &mut Vec<Hit>) {
        let group = |hit: &Hit| self.groups.get(hit.rule).copied().unwrap_or(usize::MAX);
        hits.sort_unstable_by_key(|h| (group(h), h.start, Reverse(h.end), h.rule));
        let mut current = None;
        let mut reach = 0;
        hits.retain(|hit| {
            let g = group(hit);
            if current != Some(g) {
                current = Some(g);
                reach = hit.end;
                return true;
            }
            if hit.end <= reach {
                return false;
            }
            reach = hit.end;
            true
        });
    }

    fn findings(
        &self,
        message: &str,
        context: &ReviewContext,
        closing: bool,
        hits: &mut [Hit],
    ) -> Vec<Finding> {
        let date_expected = context.expects_date
            || context
                .step
                .as_deref()
                .is_some_and(|step| self.rule_set.date_steps.iter().any(|s| s == step));
        if hits.len() > 1 {
            hits.sort_unstable_by_key(|h| (h.start, h.end, h.rule));
        }
        hits.iter()
            .filter_map(|&hit| {
                let rule = self.rule_set.rules.get(hit.rule)?;
                let (explanation, suggestion) = self.texts.get(hit.rule)?;
                Some(Finding {
                    rule_id: rule.id.clone(),
                    category: rule.category.clone(),
                    severity: rule.severity_in(date_expected, closing),
                    span: Span {
                        start: hit.start,
                        end: hit.end,
                    },
                    matched: message.get(hit.start..hit.end)?.to_owned(),
                    explanation: Arc::clone(explanation),
                    suggestion: Arc::clone(suggestion),
                    fix: rule
                        .fix
                        .as_deref()
                        .and_then(|with| Fix::for_match(message, hit.start, hit.end, with)),
                })
            })
            .collect()
    }
}

/// Keeps, for each rule, the leftmost-longest hits that do not overlap. The
/// result is sorted by rule, then start.
fn leftmost_longest_per_rule(hits: &mut Vec<Hit>) {
    hits.sort_unstable_by_key(|h| (h.rule, h.start, Reverse(h.end)));
    let mut last: Option<(usize, usize)> = None;
    hits.retain(|hit| match last {
        Some((rule, end)) if rule == hit.rule && hit.start < end => false,
        _ => {
            last = Some((hit.rule, hit.end));
            true
        }
    });
}

/// `word` NFC-normalized and lowercased, apostrophes as `'`, so that "ZOË",
/// "Zoë" and "Zoe\u{308}" are one name.
fn fold(word: &str) -> String {
    // NFC leaves ASCII as it is, and `'` is already the apostrophe.
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    fold_unicode(word)
}

/// [`fold`] for any word, by NFC, lowercasing, apostrophes and NFC again.
fn fold_unicode(word: &str) -> String {
    let lowered: String = word
        .nfc()
        .flat_map(char::to_lowercase)
        .map(|c| if is_apostrophe(c) { '\'' } else { c })
        .collect();
    lowered.nfc().collect()
}

/// The spans of the words that `tokens` were read from, each once: the parts
/// of a contraction share their word's span, and breaks are no words.
fn word_spans(tokens: &[Token]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut last = None;
    tokens.iter().filter_map(move |t| {
        let span = (t.start, t.end);
        (t.kind != Kind::Break && last.replace(span) != Some(span)).then_some(span)
    })
}

/// Whether the customer's name is known (has a word) and no word of it appears
/// in `message`, whose words are split afresh: the review passes the words it
/// has read instead (see [`name_is_known_and_absent_among`]).
#[cfg(test)]
fn name_is_known_and_absent(message: &str, name: &str) -> bool {
    let mut words = Vec::new();
    split(message, |s, e, is_break| {
        if !is_break {
            words.push((s, e));
        }
    });
    name_is_known_and_absent_among(message, words, name)
}

/// Whether the customer's name is known (has a word) and no word of it is
/// among `words`, spans of `message`. ASCII words are compared without a
/// copy; others after [`fold`].
fn name_is_known_and_absent_among(
    message: &str,
    words: impl IntoIterator<Item = (usize, usize)>,
    name: &str,
) -> bool {
    let mut parts = Vec::new();
    split(name, |s, e, is_break| {
        if let (false, Some(word)) = (is_break, name.get(s..e)) {
            parts.push(fold(word));
        }
    });
    if parts.is_empty() {
        return false;
    }
    // A word can only fold to ASCII if its characters are ASCII, apostrophes
    // or the Kelvin sign (lowercase `k`); NFC never turns other characters of
    // a word into ASCII. So for an all-ASCII name, other words need no fold.
    let ascii_name = parts.iter().all(|p| p.is_ascii());
    let mut words = words.into_iter();
    let found = words.any(|(s, e)| {
        let Some(word) = message.get(s..e) else {
            return false;
        };
        if word.is_ascii() && !word.contains('\'') {
            parts.iter().any(|p| p.eq_ignore_ascii_case(word))
        } else if ascii_name && word.chars().all(|c| c.is_ascii() || is_apostrophe(c)) {
            // NFC and lowercasing of ASCII are ASCII: only the apostrophes change.
            parts.iter().any(|p| {
                p.len() <= word.len()
                    && p.bytes().eq(word.chars().map(|c| {
                        if is_apostrophe(c) { b'\'' } else { c as u8 }.to_ascii_lowercase()
                    }))
            })
        } else if ascii_name
            && !word
                .chars()
                .all(|c| c.is_ascii() || is_apostrophe(c) || c == '\u{212A}')
        {
            false
        } else {
            let folded = fold(word);
            parts.contains(&folded)
        }
    });
    !found
}

/// The span of the last sentence's words, if the message has a word.
fn last_sentence(tokens: &[Token]) -> Option<(usize, usize)> {
    let last = tokens.last()?;
    let sentence = sentence_of(tokens, tokens.len() - 1);
    Some((sentence.first()?.start, last.end))
}

/// The kinds of quotation: double quotes, guillemets, single quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    Double,
    Guillemet,
    SingleGuillemet,
    Single,
}

/// Adds to `regions` the byte ranges of `message` holding quoted words: from
/// an opening quote (`"`, `“`, `«`, `‹`, or `'`/`‘` before a word) to the
/// matching closing one on the same line, and whole lines starting with `>`
/// (email quoting). An unclosed quote quotes nothing; an apostrophe inside a
/// word ("don't") is no quote.
fn quoted_regions_into(message: &str, regions: &mut Vec<(usize, usize)>) {
    // Most characters are ASCII letters, digits, spaces and punctuation that
    // can neither open nor close a quote: they only end a line's start, and
    // are passed over a byte at a time. Every other character is decoded,
    // with its neighbours, and read as `scan_quotes_into` reads it.
    let bytes = message.as_bytes();
    let mut line_start = true;
    let mut line_quote: Option<usize> = None;
    let mut open: Option<(usize, Quote)> = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let space = matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
        if b.is_ascii() && !matches!(b, b'\n' | b'"' | b'\'' | b'>') && !(line_start && space) {
            line_start = false;
            i += 1;
            // Past a line's start, spaces are passed over too: one look-up a byte.
            while bytes.get(i).is_some_and(|&b| passes_quotes(b)) {
                i += 1;
            }
            continue;
        }
        let Some(c) = message.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let width = c.len_utf8();
        let prev = message.get(..i).and_then(|head| head.chars().next_back());
        let next = message
            .get(i + width..)
            .and_then(|rest| rest.chars().next());
        let at = i;
        i += width;
        let before_word = next.is_some_and(is_word_char);
        let after_word = prev.is_some_and(|p| !p.is_whitespace());
        if c == '\n' {
            if let Some(from) = line_quote.take() {
                regions.push((from, at));
            }
            line_start = true;
            open = None;
            continue;
        }
        if line_start {
            if c == '>' {
                line_quote = Some(at);
                line_start = false;
                continue;
            }
            if c.is_whitespace() {
                continue;
            }
            line_start = false;
        }
        if line_quote.is_some() {
            continue;
        }
        let single = c == '\'' || c == '\u{2018}' || c == '\u{2019}';
        if single && prev.is_some_and(is_word_char) && before_word {
            continue;
        }
        match open {
            None => {
                let kind = match c {
                    '"' | '\u{201C}' => Some(Quote::Double),
                    '\u{AB}' => Some(Quote::Guillemet),
                    '\u{2039}' => Some(Quote::SingleGuillemet),
                    '\'' | '\u{2018}' if before_word => Some(Quote::Single),
                    _ => None,
                };
                open = kind.map(|k| (at, k));
            }
            Some((from, kind)) => {
                let closes = match kind {
                    Quote::Double => c == '"' || c == '\u{201D}',
                    Quote::Guillemet => c == '\u{BB}',
                    Quote::SingleGuillemet => c == '\u{203A}',
                    Quote::Single => (c == '\'' || c == '\u{2019}') && after_word && !before_word,
                };
                if closes {
                    regions.push((from, at + width));
                    open = None;
                }
            }
        }
    }
    if let Some(from) = line_quote {
        regions.push((from, message.len()));
    }
}

/// For each byte, whether it is ASCII and can neither open nor close a quote
/// nor end a line: all the quote scan does with one past a line's start is
/// pass over it.
const PASSES_QUOTES: [bool; 256] = {
    let mut passes = [false; 256];
    let mut rest: &mut [bool] = &mut passes;
    let mut byte: u8 = 0;
    while let [pass, tail @ ..] = rest {
        *pass = byte.is_ascii() && !matches!(byte, b'\n' | b'"' | b'\'' | b'>');
        rest = tail;
        byte = byte.wrapping_add(1);
    }
    passes
};

/// Whether the quote scan passes over byte `b` past a line's start.
#[inline(always)]
fn passes_quotes(b: u8) -> bool {
    PASSES_QUOTES.get(usize::from(b)).copied().unwrap_or(false)
}

/// The quoted regions of `message`, in a new vector (see [`quoted_regions_into`]).
#[cfg(test)]
fn quoted_regions(message: &str) -> Vec<(usize, usize)> {
    let mut regions = Vec::new();
    quoted_regions_into(message, &mut regions);
    regions
}

/// The quoted regions of `message` (see [`quoted_regions_into`]), found by
/// reading every character: the scan as it was, kept to test the fast one against.
#[cfg(test)]
fn scan_quotes_into(message: &str, regions: &mut Vec<(usize, usize)>) {
    let mut line_start = true;
    let mut line_quote: Option<usize> = None;
    let mut open: Option<(usize, Quote)> = None;
    let mut previous: Option<char> = None;
    let mut chars = message.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let before_word = next.is_some_and(is_word_char);
        let after_word = previous.is_some_and(|p| !p.is_whitespace());
        let prev = previous.replace(c);
        if c == '\n' {
            if let Some(from) = line_quote.take() {
                regions.push((from, i));
            }
            line_start = true;
            open = None;
            continue;
        }
        if line_start {
            if c == '>' {
                line_quote = Some(i);
                line_start = false;
                continue;
            }
            if c.is_whitespace() {
                continue;
            }
            line_start = false;
        }
        if line_quote.is_some() {
            continue;
        }
        let single = c == '\'' || c == '\u{2018}' || c == '\u{2019}';
        let inside_word = single && prev.is_some_and(is_word_char) && before_word;
        if inside_word {
            continue;
        }
        match open {
            None => {
                let kind = match c {
                    '"' | '\u{201C}' => Some(Quote::Double),
                    '\u{AB}' => Some(Quote::Guillemet),
                    '\u{2039}' => Some(Quote::SingleGuillemet),
                    '\'' | '\u{2018}' if before_word => Some(Quote::Single),
                    _ => None,
                };
                open = kind.map(|k| (i, k));
            }
            Some((from, kind)) => {
                let closes = match kind {
                    Quote::Double => c == '"' || c == '\u{201D}',
                    Quote::Guillemet => c == '\u{BB}',
                    Quote::SingleGuillemet => c == '\u{203A}',
                    Quote::Single => (c == '\'' || c == '\u{2019}') && after_word && !before_word,
                };
                if closes {
                    regions.push((from, i + c.len_utf8()));
                    open = None;
                }
            }
        }
    }
    if let Some(from) = line_quote {
        regions.push((from, message.len()));
    }
}

/// The quoted regions of `message`, read character by character, in a new vector.
#[cfg(test)]
fn scan_quotes(message: &str) -> Vec<(usize, usize)> {
    let mut regions = Vec::new();
    scan_quotes_into(message, &mut regions);
    regions
}

/// Whether `at` lies in one of the sorted, disjoint `regions`.
fn in_regions(regions: &[(usize, usize)], at: usize) -> bool {
    let after = regions.partition_point(|&(start, _)| start <= at);
    after
        .checked_sub(1)
        .and_then(|i| regions.get(i))
        .is_some_and(|&(_, end)| at < end)
}

impl fmt::Debug for Reviewer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reviewer")
            .field("language", &self.rule_set.language)
            .field("rules", &self.rule_set.rules.len())
            .field("anchor_words", &self.grammar.anchored.words())
            .finish()
    }
}

impl PartialEq for Reviewer {
    /// Two reviewers are equal when built from equal rule sets.
    fn eq(&self, other: &Self) -> bool {
        self.rule_set == other.rule_set
    }
}

/// Equality of rule sets is an equivalence: the compiled automaton adds nothing to it.
impl Eq for Reviewer {}

impl TryFrom<RuleSet> for Reviewer {
    type Error = ReviewError;

    fn try_from(rule_set: RuleSet) -> Result<Self, Self::Error> {
        Reviewer::new(rule_set)
    }
}

impl From<Reviewer> for RuleSet {
    fn from(reviewer: Reviewer) -> Self {
        reviewer.rule_set
    }
}

#[cfg(test)]
mod reference;

#[cfg(test)]
mod tests {
    use super::super::normalize::original_span;
    use super::*;

    #[test]
    fn the_quote_scan_passes_over_plain_ascii_only() {
        for b in [b'a', b'Z', b'0', b' ', b'\t', b'\r', b'.', b'<', 0x7f, 0] {
            assert!(passes_quotes(b), "{b}");
        }
        for b in [b'\n', b'"', b'\'', b'>', 0x80, 0xc2, 0xe2, 0xff] {
            assert!(!passes_quotes(b), "{b}");
        }
        assert_eq!((0..=255u8).filter(|&b| passes_quotes(b)).count(), 124);
    }

    #[test]
    fn quoted_regions_cover_quotes_and_quoted_lines() {
        let message = "You said \u{201C}calm down\u{201D}.\n> obviously\nOK \"x";
        let regions = quoted_regions(message);
        assert_eq!(regions.len(), 2);
        assert!(in_regions(&regions, 12));
        assert!(!in_regions(&regions, 0));
        let quoted_line = message.find("obviously").unwrap_or(0);
        assert!(in_regions(&regions, quoted_line));
        let unclosed = message.rfind('x').unwrap_or(0);
        assert!(!in_regions(&regions, unclosed));
    }

    #[test]
    fn single_quotes_and_guillemets_quote_but_apostrophes_do_not() {
        let message =
            "You said 'it ships soon' and \u{AB}calm down\u{BB}; don't \u{2018}x\u{2019} it's";
        let regions = quoted_regions(message);
        let quoted: Vec<&str> = regions
            .iter()
            .filter_map(|&(a, b)| message.get(a..b))
            .collect();
        assert_eq!(
            quoted,
            [
                "'it ships soon'",
                "\u{AB}calm down\u{BB}",
                "\u{2018}x\u{2019}"
            ]
        );
        assert!(quoted_regions("don't won't it's").is_empty());
        assert!(quoted_regions("an 'unclosed quote").is_empty());
    }

    #[test]
    fn names_compare_after_nfc_and_lowercasing() {
        assert!(!name_is_known_and_absent(
            "Thanks, ZO\u{CB}!",
            "Zoe\u{308} Martin"
        ));
        assert!(!name_is_known_and_absent(
            "Thanks, Jose\u{301}",
            "Jos\u{E9}"
        ));
        assert!(name_is_known_and_absent("Thanks, Zoe", "Zo\u{EB}"));
        assert!(name_is_known_and_absent("Thanks, Annabel", "Anna"));
        assert!(!name_is_known_and_absent(
            "Thanks, Sean O\u{2019}Brien",
            "o'brien"
        ));
        assert!(!name_is_known_and_absent("Thanks", "  "));
    }

    #[test]
    fn candidates_come_from_the_words_that_anchor_patterns() {
        let reviewer = Reviewer::new(crate::review::grammar::tests::small_set())
            .unwrap_or_else(|e| panic!("{e}"));
        let mut scratch = Scratch::default();
        let mut candidates = |message: &str, closing: bool| {
            scratch.clear();
            reviewer
                .grammar
                .lexicon
                .tokens_into(message, &mut scratch.buf, &mut scratch.tokens);
            reviewer.candidates(&mut scratch, closing);
            scratch.candidates.clone()
        };
        // Tokens: sorry i can not it . sorry apologies sorry. "not" is the
        // second part of "can't": matching starts from the word's first part.
        assert_eq!(
            candidates("Sorry, I can't it. Sorry apologies sorry", false),
            [(0, 0, 0), (0, 0, 6), (0, 0, 7), (0, 0, 8), (1, 0, 2)]
        );
        assert_eq!(candidates("It is not it", false), [(1, 0, 2)]);
        // A closing message adds the rules about what is missing, everywhere.
        assert_eq!(
            candidates("very simple", true),
            [(0, 1, 1), (2, usize::MAX, 0)]
        );
        assert_eq!(candidates("Bye", true), [(2, usize::MAX, 0)]);
        assert_eq!(candidates("Bye", false), []);
        assert_eq!(candidates("", false), []);
    }

    #[test]
    fn a_small_rule_set_reviews_through_its_anchor_words() {
        let reviewer = Reviewer::new(crate::review::grammar::tests::small_set())
            .unwrap_or_else(|e| panic!("{e}"));
        let plain = ReviewContext::default();
        let closing = ReviewContext::builder().step("close").build();
        let found = |message: &str, context: &ReviewContext| {
            reviewer
                .review(message, context)
                .findings
                .iter()
                .map(|f| (f.rule_id.clone(), f.matched.clone()))
                .collect::<Vec<_>>()
        };
        let pair = |id: &str, matched: &str| (id.to_owned(), matched.to_owned());
        assert_eq!(
            found("Sorry, can't it, but it is really very simple", &plain),
            [
                pair("hedge.but", "Sorry, can't it, but"),
                pair("defensive.not-it", "can't it"),
                pair("hedge.but", "is really very simple"),
            ]
        );
        assert_eq!(found("Bye now", &plain), []);
        assert_eq!(
            found("Bye now", &closing),
            [pair("thanks.missing", "Bye now")]
        );
        assert_eq!(found("Thanks, bye now", &closing), []);
        assert!(reviewer.check_examples().is_empty());
    }

    #[test]
    fn leftmost_longest_keeps_non_overlapping_hits() {
        let hit = |rule, start, end| Hit { rule, start, end };
        let mut kept = vec![hit(0, 5, 8), hit(0, 0, 4), hit(0, 0, 6), hit(1, 0, 2)];
        leftmost_longest_per_rule(&mut kept);
        let spans: Vec<_> = kept.iter().map(|h| (h.rule, h.start, h.end)).collect();
        assert_eq!(spans, [(0, 0, 6), (1, 0, 2)]);
    }

    /// The reference pipeline's scan, which normalizes as it goes, finds
    /// exactly what matching a normalized copy finds, at the same original spans.
    fn scan_agrees_with_a_normalized_copy(reviewer: &Reviewer, message: &str) {
        let mut segments = Vec::new();
        let raw = match &*reviewer.automaton {
            Scanner::Dfa(dfa) => reference::scan(dfa, message, &mut segments),
            Scanner::Nfa(nfa) => reference::scan(nfa, message, &mut segments),
        };
        let mut streamed: Vec<_> = raw
            .iter()
            .map(|r| (r.pattern, original_span(&segments, r.start, r.end)))
            .collect();
        let patterns: Vec<String> = reviewer
            .grammar
            .anchors
            .iter()
            .map(|a| a.surface.clone())
            .collect();
        // An independent normalization, character by character: each normalized
        // byte with the original character it comes from.
        let mut normalized = String::new();
        let mut origin: Vec<(usize, usize, bool, bool)> = Vec::new();
        let mut in_space = false;
        for (i, c) in message.char_indices() {
            let produced = if c.is_whitespace() {
                if in_space {
                    continue;
                }
                in_space = true;
                " ".to_owned()
            } else {
                in_space = false;
                if matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}') {
                    "'".to_owned()
                } else {
                    c.to_lowercase().collect()
                }
            };
            let n = produced.len();
            for k in 0..n {
                origin.push((i, i + c.len_utf8(), k == 0, k + 1 == n));
            }
            normalized.push_str(&produced);
        }
        let span = |start: usize, end: usize| {
            let first = origin.get(start)?;
            let last = origin.get(end.checked_sub(1)?)?;
            (first.2 && last.3).then_some((first.0, last.1))
        };
        let Ok(reference) = aho_corasick::AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
        else {
            panic!("the reference automaton does not compile");
        };
        let mut expected: Vec<_> = reference
            .find_overlapping_iter(&normalized)
            .map(|m| (m.pattern().as_usize(), span(m.start(), m.end())))
            .collect();
        streamed.sort_unstable();
        expected.sort_unstable();
        assert_eq!(streamed, expected, "{message:?}");
    }

    proptest::proptest! {
        #[test]
        fn scan_matches_normalize_then_search(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "sorry", "SORRY IF", "if", " ", "  ", "\n", "\t\r\n", "\u{a0}",
                    "\u{2019}", "\u{2018}", "I\u{2019}m", "you\u{2019}re", "'", "soon", "ASAP",
                    "as soon as", "\u{130}", "\u{212a}", "Zo\u{eb}", "\u{cb}", "\u{301}",
                    "policy", "calm down", "obviously", "thank you", "thanks", "é", "ß", "\u{1e9e}",
                    "x", ".", "\"", "unfortunately", "shortly", "any inconvenience",
                ]),
                0..24,
            )
        ) {
            let Ok(reviewer) = Reviewer::english() else {
                panic!("the built-in rules compile");
            };
            scan_agrees_with_a_normalized_copy(&reviewer, &pieces.concat());
        }
    }

    #[test]
    fn scan_handles_odd_messages() {
        let Ok(reviewer) = Reviewer::english() else {
            panic!("the built-in rules compile");
        };
        for message in [
            "",
            " ",
            "\n\nsorry  if\tyou\u{2019}re upset",
            "\u{130}\u{130}sorry",
            "SORRY\u{a0}\u{a0}IF",
            "as\u{2028}soon\n\nas possible",
        ] {
            scan_agrees_with_a_normalized_copy(&reviewer, message);
        }
    }

    /// The name check as it was, folding every word that is not plain ASCII.
    fn name_is_known_and_absent_reference(message: &str, name: &str) -> bool {
        let mut parts = Vec::new();
        split(name, |s, e, is_break| {
            if let (false, Some(word)) = (is_break, name.get(s..e)) {
                parts.push(fold(word));
            }
        });
        if parts.is_empty() {
            return false;
        }
        let mut found = false;
        split(message, |s, e, is_break| {
            if found || is_break {
                return;
            }
            let Some(word) = message.get(s..e) else {
                return;
            };
            found = if word.is_ascii() && !word.contains('\'') {
                parts.iter().any(|p| p.eq_ignore_ascii_case(word))
            } else {
                let folded = fold(word);
                parts.contains(&folded)
            };
        });
        !found
    }

    proptest::proptest! {
        #[test]
        fn name_check_agrees_with_folding_every_word(
            message in proptest::collection::vec(
                proptest::sample::select(vec![
                    "anna", "ANNA", "Anna", "o'brien", "O\u{2019}Brien", "o\u{2018}brien",
                    "o\u{2BC}brien", "\u{212A}owalski", "kowalski", "Kowalsk\u{130}", "Zo\u{eb}",
                    "Zoe\u{308}", "ZO\u{cb}", "Jos\u{e9}", "I\u{2019}m", "x", " ", ", ", ".",
                    "\n", "annas", "'", "\u{2019}", "\u{301}", "\u{df}", "\u{1e9e}",
                ]),
                0..10,
            ),
            name in proptest::sample::select(vec![
                "Anna Kowalski", "Sean O'Brien", "O\u{2019}Brien", "Zo\u{eb}", "Kowalsk\u{130}",
                "\u{212A}", "k", "  ", "Jose\u{301}", "x\u{df}",
            ]),
        ) {
            let message = message.concat();
            proptest::prop_assert_eq!(
                name_is_known_and_absent(&message, name),
                name_is_known_and_absent_reference(&message, name),
                "{:?} / {:?}", message, name
            );
        }

        #[test]
        fn name_check_over_the_tokens_agrees_with_splitting_the_message(
            message in proptest::collection::vec(
                proptest::sample::select(vec![
                    "anna", "Anna", "o'brien", "O\u{2019}Brien", "Kowalski", "isn't", "Zo\u{eb}",
                    "I\u{2019}m", "x", " ", ", ", ".", "\n", "\n\n", "'", "3rd", "won't",
                ]),
                0..10,
            ),
            name in proptest::sample::select(vec![
                "Anna Kowalski", "Sean O'Brien", "Zo\u{eb}", "Isn", "won", "x",
            ]),
        ) {
            let Ok(reviewer) = Reviewer::english() else {
                panic!("the built-in rules compile");
            };
            let message = message.concat();
            let tokens = reviewer.grammar.lexicon.tokens(&message);
            let mut words = Vec::new();
            split(&message, |s, e, is_break| {
                if !is_break {
                    words.push((s, e));
                }
            });
            proptest::prop_assert_eq!(word_spans(&tokens).collect::<Vec<_>>(), words);
            proptest::prop_assert_eq!(
                name_is_known_and_absent_among(&message, word_spans(&tokens), name),
                name_is_known_and_absent(&message, name),
                "{:?} / {:?}", message, name
            );
        }

        #[test]
        fn ascii_words_fold_to_their_lowercase(word in "[ -~]{0,12}") {
            proptest::prop_assert_eq!(fold(&word), fold_unicode(&word));
        }

        #[test]
        fn fast_quote_scan_agrees_on_any_text(message in proptest::prelude::any::<String>()) {
            proptest::prop_assert_eq!(quoted_regions(&message), scan_quotes(&message), "{:?}", message);
        }

        #[test]
        fn skipping_the_quote_scan_loses_no_region(
            message in proptest::collection::vec(
                proptest::sample::select(vec![
                    "\"", "'", "\u{2019}", "\u{2018}", "\u{201C}", "\u{201D}", "\u{AB}",
                    "\u{BB}", "\u{2039}", "\u{203A}", "\u{A0}", "\u{2014}", ">", "\n", " ",
                    "don", "t", "soon", "\u{e9}", "\u{301}", "1",
                ]),
                0..16,
            )
        ) {
            let message = message.concat();
            proptest::prop_assert_eq!(quoted_regions(&message), scan_quotes(&message), "{:?}", message);
        }
    }

    /// Any one buffer grown past the limit releases them all; at the limit, every
    /// buffer keeps its capacity for the next message.
    #[test]
    fn a_buffer_grown_past_the_limit_is_released() {
        let grow: [fn(&mut Scratch, usize); 7] = [
            |s, n| s.candidates.reserve_exact(n),
            |s, n| s.tokens.reserve_exact(n),
            |s, n| s.quotes.reserve_exact(n),
            |s, n| s.hits.reserve_exact(n),
            |s, n| s.matching.found.reserve_exact(n),
            |s, n| s.matching.starts.reserve_exact(n),
            |s, n| s.matching.anchored.reserve_exact(n),
        ];
        for (i, grow) in grow.iter().enumerate() {
            let mut kept = Scratch::default();
            kept.buf.reserve(16);
            grow(&mut kept, KEEP_AT_MOST);
            kept.trim();
            assert!(kept.buf.capacity() >= 16, "buffer {i} at the limit");
            let mut grown = Scratch::default();
            grown.buf.reserve(16);
            grow(&mut grown, KEEP_AT_MOST + 1);
            grown.trim();
            assert_eq!(grown.buf.capacity(), 0, "buffer {i} past the limit");
        }
    }

    #[test]
    fn reviewer_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Reviewer>();
        check::<Review>();
        check::<RuleSet>();
    }
}
