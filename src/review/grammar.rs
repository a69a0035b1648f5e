//! A rule set compiled: its lexicon, each rule's patterns, exceptions and
//! conditions, and for each word the patterns anchored on it.

use std::collections::HashMap;

use super::pattern::{Element, Pattern, any_token};
use super::token::{Kind, Lexicon, Token, split};
use super::{Condition, ReviewError, Rule, RuleSet};

/// One rule, compiled.
#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    pub(crate) patterns: Vec<Pattern>,
    /// For each pattern, how many tokens before its anchor a match can start.
    pub(crate) reach: Vec<usize>,
    pub(crate) exceptions: Vec<Pattern>,
    /// Each `unless` clause: tests that must all find a word, tests that must find none.
    pub(crate) unless: Vec<(Vec<Element>, Vec<Element>)>,
}

/// A surface form the old first pass looked for, and the rules it may start a
/// match of: kept for the reference pipeline that the review is tested against.
#[cfg(test)]
#[derive(Debug, Clone)]
pub(crate) struct Anchor {
    /// The word as it appears, lowercase (a whole word, or a contraction ending).
    pub(crate) surface: String,
    /// Whether it is a contraction ending ("n't"), which ends a word but does
    /// not start one.
    pub(crate) ending: bool,
    /// The patterns it anchors, as (rule index, pattern index).
    pub(crate) patterns: Vec<(usize, usize)>,
}

/// For each word id, the patterns whose anchor (their rarest required word)
/// accepts that word, as (rule index, pattern index): the patterns worth
/// matching near a token with that word.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AnchorTable {
    /// Word `id`'s patterns are `patterns[starts[id]..starts[id + 1]]`.
    starts: Vec<usize>,
    /// Every word's patterns, one word after the other, each word's sorted.
    patterns: Vec<(usize, usize)>,
}

impl AnchorTable {
    /// A table over `words` word ids from (word id, rule index, pattern index)
    /// triples in any order; repeated triples count once, and ids past `words`
    /// are ignored.
    fn new(words: usize, mut anchored: Vec<(u32, usize, usize)>) -> AnchorTable {
        anchored.sort_unstable();
        anchored.dedup();
        let mut starts = Vec::with_capacity(words + 1);
        let mut patterns = Vec::with_capacity(anchored.len());
        let mut entries = anchored.into_iter().peekable();
        for id in 0..words {
            starts.push(patterns.len());
            while let Some((_, rule, pattern)) =
                entries.next_if(|&(word, _, _)| usize::try_from(word).is_ok_and(|w| w == id))
            {
                patterns.push((rule, pattern));
            }
        }
        starts.push(patterns.len());
        AnchorTable { starts, patterns }
    }

    /// The patterns anchored on word `id` (none for [`UNKNOWN`](super::token::UNKNOWN)).
    #[inline]
    pub(crate) fn get(&self, id: u32) -> &[(usize, usize)] {
        let Ok(id) = usize::try_from(id) else {
            return &[];
        };
        match (self.starts.get(id), self.starts.get(id + 1)) {
            (Some(&from), Some(&to)) => self.patterns.get(from..to).unwrap_or_default(),
            _ => &[],
        }
    }

    /// How many words anchor some pattern.
    pub(crate) fn words(&self) -> usize {
        self.starts
            .iter()
            .zip(self.starts.iter().skip(1))
            .filter(|(from, to)| from < to)
            .count()
    }
}

/// A compiled rule set.
#[derive(Debug, Clone)]
pub(crate) struct Grammar {
    pub(crate) lexicon: Lexicon,
    pub(crate) rules: Vec<CompiledRule>,
    /// The patterns anchored on each word.
    pub(crate) anchored: AnchorTable,
    /// The surface forms the old first pass looked for.
    #[cfg(test)]
    pub(crate) anchors: Vec<Anchor>,
}

/// Whether `entry` is exactly one word as messages are split.
fn one_word(entry: &str) -> bool {
    let mut spans = Vec::new();
    split(entry, |s, e, is_break| {
        spans.push(if is_break { (0, 0) } else { (s, e) })
    });
    matches!(spans.as_slice(), [(0, e)] if *e == entry.len())
}

fn bad_entry(list: &str, entry: &str, reason: &str) -> ReviewError {
    ReviewError::InvalidWordEntry {
        list: list.to_owned(),
        entry: entry.to_owned(),
        reason: reason.to_owned(),
    }
}

impl Grammar {
    /// Compiles `set`, whose rules are already checked one by one.
    ///
    /// # Errors
    /// [`ReviewError::InvalidWordEntry`] or [`ReviewError::InvalidPattern`] (or
    /// [`ReviewError::PhraseWithoutWords`] for a pattern with no word at all).
    pub(crate) fn compile(set: &RuleSet) -> Result<Grammar, ReviewError> {
        for (variant, canonical) in &set.spellings {
            for word in [variant, canonical] {
                if !one_word(word) {
                    return Err(bad_entry("spellings", word, "it is not a single word"));
                }
            }
        }
        for (surface, expansion) in &set.contractions {
            if !one_word(surface) {
                return Err(bad_entry(
                    "contractions",
                    surface,
                    "it is not a single word",
                ));
            }
            if expansion.split_whitespace().next().is_none() {
                return Err(bad_entry("contractions", surface, "it expands to nothing"));
            }
        }
        for (ending, expansion) in &set.contraction_endings {
            if ending.is_empty() || ending.chars().any(char::is_whitespace) {
                return Err(bad_entry(
                    "contraction endings",
                    ending,
                    "an ending must be non-empty, without spaces",
                ));
            }
            if expansion.split_whitespace().next().is_none() {
                return Err(bad_entry(
                    "contraction endings",
                    ending,
                    "it expands to nothing",
                ));
            }
        }
        let mut lexicon = Lexicon::new(
            set.spellings.iter().map(|(a, b)| (a.as_str(), b.as_str())),
            set.contractions
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str())),
            set.contraction_endings
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str())),
        );
        let mut sets: HashMap<String, Vec<u32>> = HashMap::new();
        for (name, words) in &set.word_sets {
            let list = format!("word set @{name}");
            if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c == '|') {
                return Err(bad_entry(
                    &list,
                    name,
                    "a set name needs letters and no spaces",
                ));
            }
            let mut ids = Vec::with_capacity(words.len());
            for word in words {
                match lexicon.intern_phrase(word).as_slice() {
                    [id] if one_word(word) || word.contains('\'') || word.contains('\u{2019}') => {
                        ids.push(*id)
                    }
                    _ => return Err(bad_entry(&list, word, "it is not a single word")),
                }
            }
            sets.insert(name.clone(), ids);
        }
        let mut rules = Vec::with_capacity(set.rules.len());
        for rule in &set.rules {
            rules.push(compile_rule(rule, &mut lexicon, &sets)?);
        }
        let anchored = anchors(set, &mut rules, &lexicon)?;
        Ok(Grammar {
            anchored: AnchorTable::new(lexicon.len(), anchored),
            #[cfg(test)]
            anchors: surface_anchors(set, &rules, &lexicon),
            lexicon,
            rules,
        })
    }
}

fn invalid(rule: &Rule, pattern: &str, reason: String) -> ReviewError {
    if reason == "it has no words" {
        return ReviewError::PhraseWithoutWords {
            rule_id: rule.id.clone(),
            phrase: pattern.to_owned(),
        };
    }
    ReviewError::InvalidPattern {
        rule_id: rule.id.clone(),
        pattern: pattern.to_owned(),
        reason,
    }
}

fn compile_rule(
    rule: &Rule,
    lexicon: &mut Lexicon,
    sets: &HashMap<String, Vec<u32>>,
) -> Result<CompiledRule, ReviewError> {
    let mut compile = |text: &String| {
        Pattern::compile(text, lexicon, sets).map_err(|reason| invalid(rule, text, reason))
    };
    let patterns = rule
        .patterns
        .iter()
        .map(&mut compile)
        .collect::<Result<_, _>>()?;
    let exceptions = rule
        .exceptions
        .iter()
        .map(&mut compile)
        .collect::<Result<_, _>>()?;
    let mut unless = Vec::with_capacity(rule.unless.len());
    for clause in &rule.unless {
        let mut test = |text: &String| {
            Pattern::compile_test(text, lexicon, sets).map_err(|reason| invalid(rule, text, reason))
        };
        let has = clause
            .sentence_has
            .iter()
            .map(&mut test)
            .collect::<Result<Vec<_>, _>>()?;
        let lacks = clause
            .sentence_lacks
            .iter()
            .map(&mut test)
            .collect::<Result<Vec<_>, _>>()?;
        if has.is_empty() && lacks.is_empty() {
            return Err(invalid(
                rule,
                "unless {}",
                "an `unless` clause needs at least one test".to_owned(),
            ));
        }
        unless.push((has, lacks));
    }
    Ok(CompiledRule {
        reach: vec![0; rule.patterns.len()],
        patterns,
        exceptions,
        unless,
    })
}

/// The rarity of a word element with `ids`, for choosing anchors: the length
/// of its shortest surface form (longer words are rarer; a contraction ending
/// is as rare as its length).
fn rarity(surfaces: &HashMap<u32, Vec<(String, bool)>>, ids: &[u32]) -> usize {
    ids.iter()
        .flat_map(|id| surfaces.get(id).into_iter().flatten())
        .map(|(s, _)| s.chars().count())
        .min()
        .unwrap_or(0)
}

/// Every surface form of each word id, and whether it is a contraction ending.
fn surfaces_by_id(lexicon: &Lexicon) -> HashMap<u32, Vec<(String, bool)>> {
    let mut surfaces: HashMap<u32, Vec<(String, bool)>> = HashMap::new();
    for (surface, ending, id) in lexicon.all_surfaces() {
        surfaces
            .entry(id)
            .or_default()
            .push((surface.to_owned(), ending));
    }
    surfaces
}

/// Chooses each pattern's anchor, its rarest required word, and sets how far
/// before it a match can start (`reach`). Returns (word id, rule index,
/// pattern index) for every word its anchor accepts, except for rules checked
/// on every closing message, which need no anchor.
fn anchors(
    set: &RuleSet,
    rules: &mut [CompiledRule],
    lexicon: &Lexicon,
) -> Result<Vec<(u32, usize, usize)>, ReviewError> {
    let surfaces = surfaces_by_id(lexicon);
    let mut anchored = Vec::new();
    for ((rule_index, rule), compiled) in set.rules.iter().enumerate().zip(rules) {
        let CompiledRule {
            patterns, reach, ..
        } = compiled;
        for (pattern_index, ((text, pattern), reach)) in rule
            .patterns
            .iter()
            .zip(patterns.iter())
            .zip(reach.iter_mut())
            .enumerate()
        {
            let Some(anchor) = pattern.anchor(|ids| rarity(&surfaces, ids)) else {
                return Err(invalid(
                    rule,
                    text,
                    "it needs at least one required word to look for".to_owned(),
                ));
            };
            *reach = pattern.reach_before(anchor);
            if rule.condition == Condition::AbsentAtClose {
                // Checked on every closing message: no anchor needed.
                continue;
            }
            let Some(Element::Words { ids, .. }) = pattern.elements.get(anchor) else {
                continue;
            };
            anchored.extend(ids.iter().map(|&id| (id, rule_index, pattern_index)));
        }
    }
    Ok(anchored)
}

/// The anchor words as the old first pass looked for them: for each pattern,
/// every surface form of its anchor's words, with the patterns it anchors.
#[cfg(test)]
fn surface_anchors(set: &RuleSet, rules: &[CompiledRule], lexicon: &Lexicon) -> Vec<Anchor> {
    let surfaces = surfaces_by_id(lexicon);
    let mut anchors: Vec<Anchor> = Vec::new();
    let mut index: HashMap<(String, bool), usize> = HashMap::new();
    for ((rule_index, rule), compiled) in set.rules.iter().enumerate().zip(rules) {
        if rule.condition == Condition::AbsentAtClose {
            continue;
        }
        for (pattern_index, pattern) in compiled.patterns.iter().enumerate() {
            let Some(anchor) = pattern.anchor(|ids| rarity(&surfaces, ids)) else {
                continue;
            };
            let Some(Element::Words { ids, .. }) = pattern.elements.get(anchor) else {
                continue;
            };
            for (surface, ending) in ids
                .iter()
                .flat_map(|id| surfaces.get(id).into_iter().flatten())
            {
                let slot = *index.entry((surface.clone(), *ending)).or_insert_with(|| {
                    anchors.push(Anchor {
                        surface: surface.clone(),
                        ending: *ending,
                        patterns: Vec::new(),
                    });
                    anchors.len() - 1
                });
                if let Some(a) = anchors.get_mut(slot) {
                    if !a.patterns.contains(&(rule_index, pattern_index)) {
                        a.patterns.push((rule_index, pattern_index));
                    }
                }
            }
        }
    }
    anchors
}

impl CompiledRule {
    /// Every match in `tokens` of the rule's patterns, as token ranges, before
    /// exceptions and conditions: of all of them when `anchored` is `None`, else
    /// of the patterns it names, near the token where their anchor was found
    /// (`(pattern, token)` pairs, sorted). Matches are added to `found`;
    /// `starts` is scratch space.
    pub(crate) fn matches(
        &self,
        tokens: &[Token],
        present: &[u64],
        anchored: Option<&[(usize, usize)]>,
        starts: &mut Vec<usize>,
        found: &mut Vec<(usize, usize)>,
    ) {
        let Some(anchored) = anchored else {
            for pattern in &self.patterns {
                pattern.find_all(tokens, |a, b| found.push((a, b)));
            }
            return;
        };
        for (at, &(index, _)) in anchored.iter().enumerate() {
            if anchored.get(at + 1).is_some_and(|&(next, _)| next == index) {
                continue;
            }
            let (Some(pattern), Some(&reach)) = (self.patterns.get(index), self.reach.get(index))
            else {
                continue;
            };
            if !pattern.possible(present) {
                continue;
            }
            // A contraction gives up to three tokens for one anchor word.
            starts.clear();
            let run = anchored.get(..=at).unwrap_or_default().iter().rev();
            for &(_, token) in run.take_while(|&&(i, _)| i == index) {
                starts.extend(token.saturating_sub(reach)..(token + 3).min(tokens.len()));
            }
            starts.sort_unstable();
            starts.dedup();
            pattern.find_from(tokens, starts.iter().copied(), |a, b| found.push((a, b)));
        }
    }

    /// Whether the match `first..end` survives the rule's exceptions (matches
    /// that overlap it, within its sentence) and conditions (on its sentence).
    #[cfg(test)]
    pub(crate) fn keeps(&self, tokens: &[Token], first: usize, end: usize) -> bool {
        self.keeps_in(tokens, None, first, end)
    }

    /// [`keeps`](Self::keeps), passing over the exceptions that cannot match
    /// in a message with the words `present` (a bitset of its word ids), if given.
    pub(crate) fn keeps_in(
        &self,
        tokens: &[Token],
        present: Option<&[u64]>,
        first: usize,
        end: usize,
    ) -> bool {
        let possible = |x: &Pattern| present.is_none_or(|present| x.possible(present));
        if self.unless.is_empty() && !self.exceptions.iter().any(possible) {
            return true;
        }
        // The sentences the match touches (a pattern with `.?` spans two).
        let (offset, _) = sentence_at(tokens, first);
        let (last_start, last) = sentence_at(tokens, end.saturating_sub(1).max(first));
        let stop = last_start + last.len();
        let sentence = tokens.get(offset..stop).unwrap_or_default();
        let (first, end) = (first - offset, end - offset);
        let excepted = self.exceptions.iter().filter(|x| possible(x)).any(|x| {
            let mut overlaps = false;
            x.find_all(sentence, |a, b| overlaps |= a < end && first < b);
            overlaps
        });
        if excepted {
            return false;
        }
        let sentence = sentence_at(tokens, first + offset).1;
        !self.unless.iter().any(|(has, lacks)| {
            has.iter().all(|t| any_token(t, sentence))
                && !lacks.iter().any(|t| any_token(t, sentence))
        })
    }
}

/// The tokens of the sentence holding token `at`.
pub(crate) fn sentence_of(tokens: &[Token], at: usize) -> &[Token] {
    sentence_at(tokens, at).1
}

/// The index of the first token of the sentence holding token `at`, and its tokens.
fn sentence_at(tokens: &[Token], at: usize) -> (usize, &[Token]) {
    let before = tokens.get(..at).unwrap_or_default();
    let start = before
        .iter()
        .rposition(|t| t.kind == Kind::Break)
        .map_or(0, |i| i + 1);
    let after = tokens.get(at..).unwrap_or_default();
    let end = after
        .iter()
        .position(|t| t.kind == Kind::Break)
        .map_or(tokens.len(), |i| at + i);
    (start, tokens.get(start..end).unwrap_or_default())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::review::token::UNKNOWN;

    #[test]
    fn the_anchor_table_lists_each_words_patterns_once_and_in_order() {
        let table = AnchorTable::new(
            4,
            vec![(2, 1, 0), (0, 0, 1), (2, 0, 3), (2, 1, 0), (9, 0, 0)],
        );
        assert_eq!(table.get(0), [(0, 1)]);
        assert_eq!(table.get(1), []);
        assert_eq!(table.get(2), [(0, 3), (1, 0)]);
        assert_eq!(table.get(3), []);
        // Past the words it was built for, and unknown words: nothing.
        assert_eq!(table.get(4), []);
        assert_eq!(table.get(9), []);
        assert_eq!(table.get(UNKNOWN), []);
        assert_eq!(table.words(), 2);
        assert_eq!(AnchorTable::default().get(0), []);
        assert_eq!(AnchorTable::new(0, Vec::new()).words(), 0);
    }

    /// A small rule set: a hedge, a contraction, and a rule checked on every
    /// closing message.
    pub(crate) fn small_set() -> RuleSet {
        let json = r#"{
            "language": "en",
            "closing_steps": ["close"],
            "word_sets": {"apology": ["sorry", "apologies"]},
            "contraction_endings": {"n't": "not"},
            "rules": [
                {
                    "id": "hedge.but", "category": "hedged_apology", "severity": "warning",
                    "patterns": ["@apology ...3 but", "is really? very simple"],
                    "explanation": "x", "suggestion": "y",
                    "examples": {"flag": ["Sorry, but no."], "pass": ["Sorry."]}
                },
                {
                    "id": "defensive.not-it", "category": "defensive", "severity": "error",
                    "patterns": ["not it"],
                    "explanation": "x", "suggestion": "y",
                    "examples": {"flag": ["I can't it"], "pass": ["it"]}
                },
                {
                    "id": "thanks.missing", "category": "missing_thanks", "severity": "warning",
                    "condition": "absent_at_close",
                    "patterns": ["thanks"],
                    "explanation": "x", "suggestion": "y",
                    "examples": {"flag": ["Bye."], "pass": ["Thanks, bye."]}
                }
            ]
        }"#;
        RuleSet::from_json(json).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Passing over the exceptions whose words a message lacks changes no
    /// verdict: on messages with and without an exception's words.
    #[test]
    fn exceptions_that_cannot_match_are_passed_over_to_the_same_verdict() {
        let set = RuleSet::english().unwrap_or_else(|e| panic!("{e}"));
        let grammar = Grammar::compile(&set).unwrap_or_else(|e| panic!("{e}"));
        let mut verdicts = Vec::new();
        for message in [
            "Actually you are right, sorry but that was our mistake.",
            "Actually you did not say that. With respect to your order, errors occurred.",
            "Oh dear, my dear, it is just a question of time, simply put.",
            "I'm sorry, but also glad. You should have received it by now.",
            "You should have read it. Sorry, however here is the refund.",
        ] {
            let tokens = grammar.lexicon.tokens(message);
            let mut present = vec![0u64; grammar.lexicon.len().div_ceil(64)];
            for t in &tokens {
                if let Some(bits) = present.get_mut(t.word as usize / 64) {
                    *bits |= 1 << (t.word % 64);
                }
            }
            for rule in &grammar.rules {
                let mut found = Vec::new();
                rule.matches(&tokens, &present, None, &mut Vec::new(), &mut found);
                for (first, end) in found {
                    let verdict = rule.keeps(&tokens, first, end);
                    assert_eq!(
                        rule.keeps_in(&tokens, Some(&present), first, end),
                        verdict,
                        "{message}"
                    );
                    verdicts.push(verdict);
                }
            }
        }
        // Both verdicts occur: some matches are excepted, some kept.
        assert!(verdicts.contains(&true) && verdicts.contains(&false));
    }

    #[test]
    fn each_pattern_is_anchored_on_the_words_of_its_rarest_element() {
        let set = small_set();
        let grammar = Grammar::compile(&set).unwrap_or_else(|e| panic!("{e}"));
        let id = |word: &str| {
            let mut lexicon = grammar.lexicon.clone();
            let before = lexicon.len();
            let id = lexicon.intern(word);
            assert_eq!(lexicon.len(), before, "{word} is not in the lexicon");
            id
        };
        // "sorry" and "apologies" (rarer than "but") anchor the hedge's first
        // pattern; "simple" its second; "not" (as rare as "n't", rarer than
        // "it") the contraction rule.
        assert_eq!(grammar.anchored.get(id("sorry")), [(0, 0)]);
        assert_eq!(grammar.anchored.get(id("apologies")), [(0, 0)]);
        assert_eq!(grammar.anchored.get(id("simple")), [(0, 1)]);
        assert_eq!(grammar.anchored.get(id("not")), [(1, 0)]);
        // Rules checked on every closing message need no anchor.
        for word in ["but", "is", "really", "very", "it", "thanks"] {
            assert_eq!(grammar.anchored.get(id(word)), [], "{word}");
        }
        assert_eq!(grammar.anchored.words(), 4);
        // How far before its anchor a match can start: "is really? very" are
        // up to three tokens before "simple"; nothing comes before "sorry".
        assert_eq!(
            grammar.rules.first().map(|r| r.reach.clone()),
            Some(vec![0, 3])
        );
    }
}
