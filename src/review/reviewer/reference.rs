//! The review as it was before its second round of speed work (one automaton
//! pass, candidates sorted per message, every buffer allocated per message),
//! kept verbatim to test the fast path against: both must give the same
//! findings for every message.

use std::cmp::Reverse;
use std::sync::Arc;

use aho_corasick::Anchored;
use aho_corasick::automaton::Automaton;

use super::super::normalize::{
    Segment, is_word_char, on_word_boundaries, original_span, starts_word, stream,
};
use super::super::token::{Token, reference};
use super::{
    Hit, Raw, Reviewer, Scanner, in_regions, last_sentence, name_is_known_and_absent, scan_quotes,
};
use crate::review::{Condition, Finding, Fix, Review, ReviewContext, Span};

/// The old pipeline, as methods of a wrapper so that its text stays as it was.
pub(crate) struct Old<'a>(pub(crate) &'a Reviewer);

impl std::ops::Deref for Old<'_> {
    type Target = Reviewer;
    fn deref(&self) -> &Reviewer {
        self.0
    }
}

impl Old<'_> {
    /// Reviews one message: what the agent is about to send, in `context`.
    ///
    /// Never fails and never panics: every message, however odd, gets a review.
    pub(crate) fn review(&self, message: &str, context: &ReviewContext) -> Review {
        let mut segments = Vec::new();
        let raw = match &*self.automaton {
            Scanner::Dfa(dfa) => scan(dfa, message, &mut segments),
            Scanner::Nfa(nfa) => scan(nfa, message, &mut segments),
        };
        let step_in = |steps: &[String]| {
            context
                .step
                .as_deref()
                .is_some_and(|step| steps.iter().any(|s| s == step))
        };
        let closing = context.closing || step_in(&self.rule_set.closing_steps);
        // Most messages have no anchor at all: the scan is all they cost.
        if raw.is_empty() && !closing {
            return Review::default();
        }
        let candidates = self.candidates(message, &segments, raw, closing);
        if candidates.is_empty() {
            return Review::default();
        }
        let hits = self.hits(message, context, &candidates);
        if hits.is_empty() {
            return Review::default();
        }
        let hits = self.apply_conditions(message, context, hits);
        let hits = self.drop_contained(hits);
        Review {
            findings: self.findings(message, context, closing, hits),
        }
    }

    /// The patterns worth matching, as (rule, pattern, byte where its anchor
    /// starts): those whose anchor occurs at word boundaries; and on a closing
    /// message the rules about what is missing, as (rule, `usize::MAX`, 0): all
    /// their patterns, everywhere. Sorted.
    fn candidates(
        &self,
        message: &str,
        segments: &[Segment],
        raw: Vec<Raw>,
        closing: bool,
    ) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        for hit in raw {
            let Some(anchor) = self.grammar.anchors.get(hit.pattern) else {
                continue;
            };
            let Some((start, end)) = original_span(segments, hit.start, hit.end) else {
                continue;
            };
            let bounded = if anchor.ending {
                message
                    .get(end..)
                    .is_some_and(|rest| !rest.starts_with(is_word_char))
            } else {
                // "shouldn't": the anchor "should" ends where the ending "n't" starts.
                on_word_boundaries(message, start, end)
                    || (starts_word(message, start)
                        && message
                            .get(end..)
                            .is_some_and(|rest| self.grammar.lexicon.ending_follows(rest)))
            };
            if bounded {
                found.extend(anchor.patterns.iter().map(|&(r, p)| (r, p, start)));
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
        found
    }

    /// Every match of the candidate rules outside quotes that survives its
    /// rule's exceptions and conditions, leftmost-longest per rule.
    fn hits(
        &self,
        message: &str,
        context: &ReviewContext,
        candidates: &[(usize, usize, usize)],
    ) -> Vec<Hit> {
        // The character-by-character tokenizer, and the quote scan that reads
        // every message.
        let tokens: Vec<Token> = reference::tokens(&self.grammar.lexicon, message);
        let mut present = vec![0u64; self.grammar.lexicon.len().div_ceil(64)];
        for t in &tokens {
            let id = t.word as usize;
            if let Some(bits) = present.get_mut(id / 64) {
                *bits |= 1 << (id % 64);
            }
        }
        let mut quotes: Option<Vec<(usize, usize)>> = None;
        let mut quoted = |at: usize| {
            !context.include_quoted
                && in_regions(quotes.get_or_insert_with(|| scan_quotes(message)), at)
        };
        let mut hits = Vec::new();
        self.hits_in(&tokens, &present, candidates, &mut quoted, &mut hits);
        leftmost_longest_per_rule(hits)
    }

    /// The hits of `candidates` (sorted; all anchored in `tokens`) in `tokens`,
    /// added to `hits`.
    fn hits_in(
        &self,
        tokens: &[Token],
        present: &[u64],
        candidates: &[(usize, usize, usize)],
        quoted: &mut impl FnMut(usize) -> bool,
        hits: &mut Vec<Hit>,
    ) {
        let mut anchored: Vec<(usize, usize)> = Vec::new();
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
                    .map(|&(_, p, byte)| (p, tokens.partition_point(|t| t.end <= byte))),
            );
            anchored.sort_unstable();
            let (Some(rule), Some(compiled)) = (
                self.rule_set.rules.get(rule_index),
                self.grammar.rules.get(rule_index),
            ) else {
                continue;
            };
            let everywhere = anchored.iter().any(|&(p, _)| p == usize::MAX);
            let mut found = Vec::new();
            compiled.matches(
                tokens,
                present,
                (!everywhere).then_some(anchored.as_slice()),
                &mut Vec::new(),
                &mut found,
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
            for (first, end) in found {
                if !compiled.keeps(tokens, first, end) {
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

    fn findings(
        &self,
        message: &str,
        context: &ReviewContext,
        closing: bool,
        mut hits: Vec<Hit>,
    ) -> Vec<Finding> {
        let date_expected = context.expects_date
            || context
                .step
                .as_deref()
                .is_some_and(|step| self.rule_set.date_steps.iter().any(|s| s == step));
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
                    fix: rule
                        .fix
                        .as_deref()
                        .and_then(|with| Fix::for_match(message, hit.start, hit.end, with)),
                })
            })
            .collect()
    }
}

/// Every occurrence of every pattern in the normalized `message`, overlapping
/// ones included, fed to the automaton as it is normalized; `segments` receives
/// the map back to the message.
pub(super) fn scan<A: Automaton>(
    automaton: &A,
    message: &str,
    segments: &mut Vec<Segment>,
) -> Vec<Raw> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::RuleSet;

    fn english() -> Reviewer {
        Reviewer::english().unwrap_or_else(|e| panic!("{e}"))
    }

    /// The contexts a message is reviewed in: none, a closing message to a
    /// named customer, a step that expects a date, quotes included.
    fn contexts() -> Vec<ReviewContext> {
        vec![
            ReviewContext::default(),
            ReviewContext {
                customer_name: Some("Anna Kowalski".to_owned()),
                closing: true,
                ..ReviewContext::default()
            },
            ReviewContext {
                customer_name: Some("Zo\u{eb} O\u{2019}Brien".to_owned()),
                step: Some("commitment".to_owned()),
                ..ReviewContext::default()
            },
            ReviewContext {
                include_quoted: true,
                expects_date: true,
                step: Some("close".to_owned()),
                ..ReviewContext::default()
            },
        ]
    }

    /// The fast review and the old one agree on `message` in every context.
    fn agree(reviewer: &Reviewer, message: &str) {
        for context in contexts() {
            assert_eq!(
                reviewer.review(message, &context),
                Old(reviewer).review(message, &context),
                "{message:?} in {context:?}"
            );
        }
    }

    fn collect_strings(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
            serde_json::Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
            serde_json::Value::Null | serde_json::Value::Bool(_) | serde_json::Value::Number(_) => {
            }
        }
    }

    #[test]
    fn fast_review_agrees_with_the_old_one_on_the_corpora_and_examples() {
        let reviewer = english();
        let mut texts = Vec::new();
        for json in [
            include_str!("../../../tests/data/review_corpus_tuning.json"),
            include_str!("../../../tests/data/review_corpus_heldout.json"),
            include_str!("../../../tests/data/review_cases.json"),
        ] {
            let value: serde_json::Value =
                serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
            collect_strings(&value, &mut texts);
        }
        let set = RuleSet::english().unwrap_or_else(|e| panic!("{e}"));
        for rule in &set.rules {
            texts.extend(rule.examples.flag.iter().cloned());
            texts.extend(rule.examples.pass.iter().cloned());
        }
        assert!(texts.len() > 700, "{}", texts.len());
        let mut flagged = 0;
        for text in &texts {
            agree(&reviewer, text);
            flagged += usize::from(!reviewer.review(text, &ReviewContext::default()).is_clean());
        }
        // The comparison is worth something only if many messages have findings.
        assert!(flagged > 300, "{flagged}");
        // Whole corpora as one message: many sentences, every rule at once.
        agree(&reviewer, &texts.join(" "));
        agree(&reviewer, &texts.join("\n"));
    }

    /// Pieces of messages that the rules care about: their words, contractions,
    /// spellings, punctuation, quotes, names and numbers.
    fn piece() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "sorry",
            "Sorry",
            "if",
            "you",
            "You",
            "your",
            "feel",
            "but",
            "however",
            "apologise",
            "We apologize",
            "any inconvenience",
            "this may have caused",
            "policy",
            "our policy",
            "as per",
            "that's",
            "It's",
            "isn't",
            "is not",
            "our fault",
            "not",
            "shouldn't",
            "should",
            "have",
            "should've",
            "you'll",
            "need to",
            "call",
            "the bank",
            "won't",
            "can't",
            "cannot",
            "don't",
            "do not",
            "worry",
            "just",
            "simply",
            "really",
            "very",
            "simple",
            "honestly",
            "to be honest",
            "great",
            "another",
            "complaint",
            "soon",
            "shortly",
            "ASAP",
            "as soon as",
            "possible",
            "after",
            "soon after",
            "when",
            "we know",
            "more",
            "in a day or two",
            "sometime",
            "this week",
            "next week",
            "Monday",
            "10 June",
            "at 10:00",
            "by Friday",
            "thank you",
            "Thanks",
            "Anna",
            "Kowalski",
            "Zo\u{eb}",
            "O\u{2019}Brien",
            "calm down",
            "obviously",
            "as I said",
            "already",
            "twice",
            "most customers",
            "don't have",
            "this problem",
            "was",
            "misplaced",
            "errors",
            "occurred",
            "not my department",
            "mistakes were made",
            "we",
            "I",
            "I'm",
            "I\u{2019}m",
            " ",
            "  ",
            ", ",
            ". ",
            "! ",
            "? ",
            "\n",
            "\n\n",
            "\r\n",
            " \u{2013} ",
            "\u{2014}",
            "-",
            "...",
            "\u{2026}",
            "\"",
            "'",
            "\u{2018}",
            "\u{2019}",
            "\u{201C}",
            "\u{201D}",
            "\u{AB}",
            "\u{BB}",
            "> ",
            "42.00",
            "3rd",
            "e.g.",
            "\u{130}",
            "\u{212A}",
            "\u{301}",
            "\u{a0}",
            "x",
            "o'",
        ])
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        #[test]
        fn fast_review_agrees_with_the_old_one_on_pieced_text(
            pieces in proptest::collection::vec(piece(), 0..40)
        ) {
            agree(&english(), &pieces.concat());
        }

        #[test]
        fn fast_review_agrees_with_the_old_one_on_spaced_pieces(
            pieces in proptest::collection::vec(piece(), 0..40)
        ) {
            agree(&english(), &pieces.join(" "));
        }

        #[test]
        fn fast_review_agrees_with_the_old_one_on_any_text(text in proptest::prelude::any::<String>()) {
            agree(&english(), &text);
        }
    }
}
