//! A rule set compiled: its lexicon, each rule's patterns, exceptions and
//! conditions, and the anchor words the first pass looks for.

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

/// A word the first pass looks for, and the rules it may start a match of.
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

/// A compiled rule set.
#[derive(Debug, Clone)]
pub(crate) struct Grammar {
    pub(crate) lexicon: Lexicon,
    pub(crate) rules: Vec<CompiledRule>,
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
        let anchors = anchors(set, &mut rules, &lexicon)?;
        Ok(Grammar {
            lexicon,
            rules,
            anchors,
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

/// The anchor words: for each pattern, every surface form of its rarest
/// required word (longer words are rarer; a contraction ending is as rare as
/// its length).
fn anchors(
    set: &RuleSet,
    rules: &mut [CompiledRule],
    lexicon: &Lexicon,
) -> Result<Vec<Anchor>, ReviewError> {
    let mut surfaces: HashMap<u32, Vec<(String, bool)>> = HashMap::new();
    for (surface, ending, id) in lexicon.all_surfaces() {
        surfaces
            .entry(id)
            .or_default()
            .push((surface.to_owned(), ending));
    }
    let score = |ids: &[u32]| {
        ids.iter()
            .flat_map(|id| surfaces.get(id).into_iter().flatten())
            .map(|(s, _)| s.chars().count())
            .min()
            .unwrap_or(0)
    };
    let mut anchors: Vec<Anchor> = Vec::new();
    let mut index: HashMap<(String, bool), usize> = HashMap::new();
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
            let Some(anchor) = pattern.anchor(score) else {
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
    Ok(anchors)
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
    pub(crate) fn keeps(&self, tokens: &[Token], first: usize, end: usize) -> bool {
        if self.exceptions.is_empty() && self.unless.is_empty() {
            return true;
        }
        // The sentences the match touches (a pattern with `.?` spans two).
        let (offset, _) = sentence_at(tokens, first);
        let (last_start, last) = sentence_at(tokens, end.saturating_sub(1).max(first));
        let stop = last_start + last.len();
        let sentence = tokens.get(offset..stop).unwrap_or_default();
        let (first, end) = (first - offset, end - offset);
        let excepted = self.exceptions.iter().any(|x| {
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
