//! The compiled reviewer: one automaton over every phrase of a rule set.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous;
use aho_corasick::{Anchored, MatchKind, dfa};
use serde::{Deserialize, Serialize};

use super::normalize::{
    Segment, normalize, occurs_as_word, on_word_boundaries, original_span, stream,
};
use super::{Condition, Finding, Review, ReviewContext, ReviewError, RuleSet, Span};

/// Reviews agents' messages against a [`RuleSet`].
///
/// Building a reviewer compiles every phrase of the set into one Aho-Corasick
/// automaton, once; [`review`](Self::review) then scans each message in a single
/// pass. A reviewer is cheap to clone (the automaton is shared) and is `Send + Sync`.
/// It serializes as its rule set, and deserializing recompiles it.
///
/// ```
/// use service_recovery::review::{ReviewContext, Reviewer, Severity};
///
/// # fn main() -> Result<(), service_recovery::review::ReviewError> {
/// let reviewer = Reviewer::english()?;
/// let context = ReviewContext::builder().step("commitment").build();
/// let review = reviewer.review("Sorry if that upset you; it will ship soon.", &context);
///
/// let ids: Vec<&str> = review.findings.iter().map(|f| f.rule_id.as_str()).collect();
/// assert_eq!(ids, ["hedged-apology.sorry-if", "vague-timing.soon"]);
/// assert_eq!(review.findings[1].matched, "soon");
/// assert_eq!(review.worst_severity(), Some(Severity::Error));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Serialize, Deserialize)]
#[serde(try_from = "RuleSet", into = "RuleSet")]
pub struct Reviewer {
    rule_set: RuleSet,
    automaton: Arc<Scanner>,
    /// For each automaton pattern, what a hit on it means.
    targets: Vec<Vec<Target>>,
    /// For each rule, the index of its category among the set's categories.
    groups: Vec<usize>,
    /// For each rule, its explanation and suggestion, shared by its findings.
    texts: Vec<(Arc<str>, Arc<str>)>,
}

/// The compiled automaton: a DFA, or for rule sets too large for one, an NFA.
/// Both are driven byte by byte over the normalized message as it is produced.
#[derive(Clone)]
enum Scanner {
    Dfa(dfa::DFA),
    Nfa(contiguous::NFA),
}

/// An occurrence of a pattern in the normalized message, at `start..end`.
#[derive(Debug, Clone, Copy)]
struct Raw {
    pattern: usize,
    start: usize,
    end: usize,
}

/// What a hit on one (deduplicated) pattern means for one rule.
#[derive(Debug, Clone, Copy)]
enum Target {
    Phrase(usize),
    Exception(usize),
}

/// A phrase or exception of a rule found at `start..end` of the original message.
#[derive(Debug, Clone, Copy)]
struct Hit {
    rule: usize,
    start: usize,
    end: usize,
}

impl Reviewer {
    /// Validates `rule_set` and compiles it.
    ///
    /// # Errors
    /// Any validation error of the set (see [`RuleSet::validate`]), or
    /// [`ReviewError::Compile`] if the automaton cannot be built.
    pub fn new(rule_set: RuleSet) -> Result<Self, ReviewError> {
        rule_set.validate()?;
        let mut patterns: Vec<String> = Vec::new();
        let mut targets: Vec<Vec<Target>> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut add = |pattern: String, target: Target| {
            let id = *index.entry(pattern).or_insert_with_key(|p| {
                patterns.push(p.clone());
                targets.push(Vec::new());
                patterns.len() - 1
            });
            if let Some(list) = targets.get_mut(id) {
                list.push(target);
            }
        };
        for (rule_index, rule) in rule_set.rules.iter().enumerate() {
            for phrase in &rule.phrases {
                add(rule.normalized_phrase(phrase)?, Target::Phrase(rule_index));
            }
            for exception in &rule.exceptions {
                add(
                    rule.normalized_phrase(exception)?,
                    Target::Exception(rule_index),
                );
            }
        }
        // Overlapping search (which needs standard match semantics) reports every
        // phrase at every position, so a hit rejected for its word boundaries never
        // hides a valid shorter or longer one; choosing among hits happens after.
        // ASCII case folding lets pure-ASCII messages be scanned without a copy.
        // No prefilter: with hundreds of phrases it would rarely skip anything, and
        // without one the start state needs no special handling in the scan.
        let automaton = dfa::Builder::new()
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
            })?;
        let automaton = Arc::new(automaton);
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
            automaton,
            targets,
            groups,
            texts,
        })
    }

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

    /// Reviews one message: what the agent is about to send, in `context`.
    ///
    /// Never fails and never panics: every message, however odd, gets a review.
    pub fn review(&self, message: &str, context: &ReviewContext) -> Review {
        let mut segments = Vec::new();
        let raw = match &*self.automaton {
            Scanner::Dfa(dfa) => scan(dfa, message, &mut segments),
            Scanner::Nfa(nfa) => scan(nfa, message, &mut segments),
        };
        // Most messages have no hit at all: the scan is all they cost.
        if raw.is_empty() {
            return Review::default();
        }
        let hits = self.hits(message, &segments, raw, context);
        if hits.is_empty() {
            return Review::default();
        }
        let hits = self.apply_conditions(message, context, hits);
        let hits = self.drop_contained(hits);
        Review {
            findings: self.findings(message, context, hits),
        }
    }

    /// Every phrase hit at word boundaries outside quotes, with exceptions,
    /// overlaps within a rule, and conditions already resolved.
    fn hits(
        &self,
        message: &str,
        segments: &[Segment],
        raw: Vec<Raw>,
        context: &ReviewContext,
    ) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut exceptions = Vec::new();
        for found in raw {
            let Some(targets) = self.targets.get(found.pattern) else {
                continue;
            };
            let Some((start, end)) = original_span(segments, found.start, found.end) else {
                continue;
            };
            if !on_word_boundaries(message, start, end) {
                continue;
            }
            for target in targets {
                match *target {
                    Target::Phrase(rule) => hits.push(Hit { rule, start, end }),
                    Target::Exception(rule) => exceptions.push(Hit { rule, start, end }),
                }
            }
        }
        if !hits.is_empty() && !context.include_quoted {
            // Most messages have no hit at all: only then look for quotes.
            let quotes = quoted_regions(message);
            if !quotes.is_empty() {
                hits.retain(|hit| !in_regions(&quotes, hit.start));
            }
        }
        if !exceptions.is_empty() && !hits.is_empty() {
            hits = drop_excepted(hits, exceptions);
        }
        leftmost_longest_per_rule(hits)
    }

    /// Applies each rule's [`Condition`].
    fn apply_conditions(
        &self,
        message: &str,
        context: &ReviewContext,
        mut hits: Vec<Hit>,
    ) -> Vec<Hit> {
        let conditional = |hit: &Hit| {
            self.rule_set
                .rules
                .get(hit.rule)
                .is_some_and(|r| r.condition == Condition::CustomerNameAbsent)
        };
        if !hits.iter().any(conditional) {
            return hits;
        }
        let name_missing = context
            .customer_name
            .as_deref()
            .is_some_and(|name| name_is_known_and_absent(message, name));
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
        hits
    }

    /// Drops a hit lying within another hit of the same category ("soon" inside
    /// "as soon as possible"): one finding per stretch of wording.
    fn drop_contained(&self, mut hits: Vec<Hit>) -> Vec<Hit> {
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
        hits
    }

    fn findings(&self, message: &str, context: &ReviewContext, mut hits: Vec<Hit>) -> Vec<Finding> {
        let step_in = |steps: &[String]| {
            context
                .step
                .as_deref()
                .is_some_and(|step| steps.iter().any(|s| s == step))
        };
        let date_expected = context.expects_date || step_in(&self.rule_set.date_steps);
        let closing = context.closing || step_in(&self.rule_set.closing_steps);
        if hits.len() > 1 {
            hits.sort_unstable_by_key(|h| (h.start, h.end, h.rule));
        }
        hits.into_iter()
            .filter_map(|hit| {
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
                })
            })
            .collect()
    }
}

/// Every occurrence of every pattern in the normalized `message`, overlapping
/// ones included, fed to the automaton as it is normalized; `segments` receives
/// the map back to the message.
fn scan<A: Automaton>(automaton: &A, message: &str, segments: &mut Vec<Segment>) -> Vec<Raw> {
    let mut raw = Vec::new();
    let Ok(mut sid) = automaton.start_state(Anchored::No) else {
        return raw;
    };
    stream(message, segments, |byte, end| {
        sid = automaton.next_state(Anchored::No, sid, byte);
        if automaton.is_special(sid) {
            record(automaton, sid, end, &mut raw);
        }
    });
    raw
}

/// Records the patterns that state `sid`, reached at normalized offset `end`, matches.
#[cold]
#[inline(never)]
fn record<A: Automaton>(
    automaton: &A,
    sid: aho_corasick::automaton::StateID,
    end: usize,
    raw: &mut Vec<Raw>,
) {
    if !automaton.is_match(sid) {
        return;
    }
    for index in 0..automaton.match_len(sid) {
        let pattern = automaton.match_pattern(sid, index);
        let start = end.saturating_sub(automaton.pattern_len(pattern));
        raw.push(Raw {
            pattern: pattern.as_usize(),
            start,
            end,
        });
    }
}

/// Removes hits lying within an exception of their own rule.
fn drop_excepted(mut hits: Vec<Hit>, mut exceptions: Vec<Hit>) -> Vec<Hit> {
    exceptions.sort_unstable_by_key(|x| (x.rule, x.start));
    // Running maximum of `end` within each rule's run of exceptions.
    let mut reach = Vec::with_capacity(exceptions.len());
    let mut previous: Option<(usize, usize)> = None;
    for x in &exceptions {
        let end = match previous {
            Some((rule, end)) if rule == x.rule => end.max(x.end),
            _ => x.end,
        };
        reach.push(end);
        previous = Some((x.rule, end));
    }
    hits.retain(|hit| {
        // The last exception of this rule starting at or before the hit.
        let after = exceptions.partition_point(|x| (x.rule, x.start) <= (hit.rule, hit.start));
        let covered = after
            .checked_sub(1)
            .and_then(|i| Some((exceptions.get(i)?, reach.get(i)?)))
            .is_some_and(|(x, &end)| x.rule == hit.rule && end >= hit.end);
        !covered
    });
    hits
}

/// Keeps, for each rule, the leftmost-longest hits that do not overlap. The
/// result is sorted by rule, then start.
fn leftmost_longest_per_rule(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_unstable_by_key(|h| (h.rule, h.start, Reverse(h.end)));
    let mut last: Option<(usize, usize)> = None;
    hits.retain(|hit| match last {
        Some((rule, end)) if rule == hit.rule && hit.start < end => false,
        _ => {
            last = Some((hit.rule, hit.end));
            true
        }
    });
    hits
}

/// Whether the customer's name is known (has a word) and no word of it appears
/// in the message.
fn name_is_known_and_absent(message: &str, name: &str) -> bool {
    let name = normalize(name);
    let mut parts = name
        .split(' ')
        .filter(|part| part.chars().any(char::is_alphanumeric))
        .peekable();
    if parts.peek().is_none() {
        return false;
    }
    !parts.any(|part| occurs_as_word(message, part))
}

/// The byte ranges of `message` holding quoted words: from an opening `"` or `“`
/// to the next closing `"` or `”` on the same line, and whole lines starting
/// with `>` (email quoting). An unclosed quote quotes nothing.
fn quoted_regions(message: &str) -> Vec<(usize, usize)> {
    let mut regions = Vec::new();
    if !(message.contains('"') || message.contains('>') || message.contains('\u{201C}')) {
        return regions;
    }
    let mut line_start = true;
    let mut line_quote: Option<usize> = None;
    let mut open: Option<usize> = None;
    for (i, c) in message.char_indices() {
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
        match open {
            None if c == '"' || c == '\u{201C}' => open = Some(i),
            Some(from) if c == '"' || c == '\u{201D}' => {
                regions.push((from, i + c.len_utf8()));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(from) = line_quote {
        regions.push((from, message.len()));
    }
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
            .field("patterns", &self.targets.len())
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
mod tests {
    use super::*;

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
    fn leftmost_longest_keeps_non_overlapping_hits() {
        let hit = |rule, start, end| Hit { rule, start, end };
        let kept =
            leftmost_longest_per_rule(vec![hit(0, 5, 8), hit(0, 0, 4), hit(0, 0, 6), hit(1, 0, 2)]);
        let spans: Vec<_> = kept.iter().map(|h| (h.rule, h.start, h.end)).collect();
        assert_eq!(spans, [(0, 0, 6), (1, 0, 2)]);
    }

    #[test]
    fn exceptions_only_cancel_their_own_rule() {
        let hit = |rule, start, end| Hit { rule, start, end };
        let kept = drop_excepted(
            vec![hit(0, 3, 7), hit(1, 3, 7), hit(0, 20, 24)],
            vec![hit(0, 0, 10), hit(1, 4, 10)],
        );
        let spans: Vec<_> = kept.iter().map(|h| (h.rule, h.start)).collect();
        assert_eq!(spans, [(1, 3), (0, 20)]);
    }

    /// The scan, which normalizes as it goes, finds exactly what matching a
    /// normalized copy finds, at the same original spans.
    fn scan_agrees_with_a_normalized_copy(reviewer: &Reviewer, message: &str) {
        let mut segments = Vec::new();
        let raw = match &*reviewer.automaton {
            Scanner::Dfa(dfa) => scan(dfa, message, &mut segments),
            Scanner::Nfa(nfa) => scan(nfa, message, &mut segments),
        };
        let mut streamed: Vec<_> = raw
            .iter()
            .map(|r| (r.pattern, original_span(&segments, r.start, r.end)))
            .collect();
        let mut patterns = Vec::new();
        for rule in &reviewer.rule_set.rules {
            for phrase in rule.phrases.iter().chain(&rule.exceptions) {
                let normalized = normalize(phrase);
                if !patterns.contains(&normalized) {
                    patterns.push(normalized);
                }
            }
        }
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

    #[test]
    fn reviewer_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Reviewer>();
        check::<Review>();
        check::<RuleSet>();
    }
}
