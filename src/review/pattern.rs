//! Token patterns: the rule grammar, compiled and matched over a message's tokens.
//!
//! A pattern is a line of elements separated by spaces:
//!
//! | element        | matches                                                        |
//! |----------------|----------------------------------------------------------------|
//! | `sorry`        | the word (any case; contractions and spelling variants too)    |
//! | `isn't`        | the words `is not` (a contraction in a pattern is expanded)    |
//! | `but\|however` | any one of the words                                           |
//! | `@apology`     | any word of the rule set's word set `apology`                  |
//! | `#num`         | a word with a digit: `14`, `3rd`                               |
//! | `*`            | any one word                                                   |
//! | `...6`         | up to 6 words, within the sentence                             |
//! | `.?`           | an optional sentence break (`Sorry. But`)                      |
//! | `^`, `$`       | the start, the end of a sentence (no word)                     |
//! | `x?`           | any one-word element above, optional                           |
//!
//! Punctuation other than a sentence end is not a token, so `sorry but` matches
//! "sorry, but", "Sorry – but", "sorry—but" and "sorry... but".

use std::collections::HashMap;

use super::token::{Kind, Lexicon, Token, UNKNOWN};

/// The longest gap a pattern may ask for.
pub(crate) const MAX_GAP: usize = 12;
/// The most elements a pattern may have (keeps matching cheap and bounded).
pub(crate) const MAX_ELEMENTS: usize = 24;

/// One element of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Element {
    /// One of these words (sorted ids).
    Words { ids: Box<[u32]>, optional: bool },
    /// A word with a digit.
    Number { optional: bool },
    /// Any word.
    Any { optional: bool },
    /// Up to this many words, not crossing a sentence break.
    Gap(usize),
    /// An optional sentence break.
    Break,
    /// The start of a sentence (takes no token).
    Start,
    /// The end of a sentence (takes no token).
    End,
}

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    pub(crate) elements: Box<[Element]>,
    /// For each required word element, its words as a bitset over word ids
    /// in the layout of a message's bitset: (index of a `u64`, its bits), the
    /// non-empty ones only. Testing a set of many words is then a few `AND`s.
    required: Box<[Blocks]>,
}

/// A set of word ids as the non-empty `u64`s of a bitset: (index, bits).
type Blocks = Box<[(usize, u64)]>;

/// The words `ids` as the non-empty `u64`s of a bitset over word ids, by index.
fn blocks(ids: &[u32]) -> Blocks {
    let mut blocks: Vec<(usize, u64)> = Vec::new();
    for &id in ids {
        let id = id as usize;
        let (index, bit) = (id / 64, 1u64 << (id % 64));
        match blocks.iter_mut().find(|(i, _)| *i == index) {
            Some((_, bits)) => *bits |= bit,
            None => blocks.push((index, bit)),
        }
    }
    blocks.into()
}

impl Element {
    /// Whether this element, if it is a one-token test, accepts `token`.
    fn accepts(&self, token: &Token) -> bool {
        match self {
            Element::Words { ids, .. } => {
                token.kind != Kind::Break
                    && token.word != UNKNOWN
                    && ids.binary_search(&token.word).is_ok()
            }
            Element::Number { .. } => token.kind == Kind::Number,
            Element::Any { .. } => token.kind != Kind::Break,
            Element::Gap(_) | Element::Break | Element::Start | Element::End => false,
        }
    }

    fn optional(&self) -> bool {
        match self {
            Element::Words { optional, .. }
            | Element::Number { optional }
            | Element::Any { optional } => *optional,
            Element::Gap(_) | Element::Break => true,
            Element::Start | Element::End => false,
        }
    }
}

/// Compiles one element's text into elements (a contraction gives several).
fn element(
    text: &str,
    lexicon: &mut Lexicon,
    sets: &HashMap<String, Vec<u32>>,
) -> Result<Vec<Element>, String> {
    match text {
        ".?" => return Ok(vec![Element::Break]),
        "^" => return Ok(vec![Element::Start]),
        "$" => return Ok(vec![Element::End]),
        _ => {}
    }
    for dots in ["...", "\u{2026}"] {
        if let Some(n) = text.strip_prefix(dots) {
            let n: usize = n
                .parse()
                .map_err(|_| format!("`{text}` is not a gap such as `...4`"))?;
            if n == 0 || n > MAX_GAP {
                return Err(format!("the gap `{text}` must be 1 to {MAX_GAP} words"));
            }
            return Ok(vec![Element::Gap(n)]);
        }
    }
    let (body, optional) = match text.strip_suffix('?') {
        Some(body) if !body.is_empty() => (body, true),
        _ => (text, false),
    };
    if body == "#num" {
        return Ok(vec![Element::Number { optional }]);
    }
    if body == "*" {
        return Ok(vec![Element::Any { optional }]);
    }
    if !body.contains('|') && !body.starts_with('@') {
        let ids = lexicon.intern_phrase(body);
        if optional && ids.len() > 1 {
            return Err(format!(
                "`{text}` is several words; only a single word can be optional"
            ));
        }
        return Ok(ids
            .into_iter()
            .map(|id| Element::Words {
                ids: Box::new([id]),
                optional,
            })
            .collect());
    }
    let mut ids = Vec::new();
    for alternative in body.split('|') {
        if let Some(name) = alternative.strip_prefix('@') {
            let set = sets
                .get(name)
                .ok_or_else(|| format!("there is no word set `@{name}`"))?;
            ids.extend_from_slice(set);
            continue;
        }
        match lexicon.intern_phrase(alternative).as_slice() {
            [id] => ids.push(*id),
            [] => return Err(format!("`{text}` has an empty alternative")),
            _ => {
                return Err(format!(
                    "the alternative `{alternative}` in `{text}` is more than one word"
                ));
            }
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(vec![Element::Words {
        ids: ids.into(),
        optional,
    }])
}

impl Pattern {
    /// Compiles `text` (see the module docs), interning its words.
    ///
    /// # Errors
    /// A plain sentence saying what is wrong with the pattern.
    pub(crate) fn compile(
        text: &str,
        lexicon: &mut Lexicon,
        sets: &HashMap<String, Vec<u32>>,
    ) -> Result<Pattern, String> {
        let mut elements = Vec::new();
        for piece in text.split_whitespace() {
            elements.extend(element(piece, lexicon, sets)?);
        }
        if elements.len() > MAX_ELEMENTS {
            return Err(format!("it has more than {MAX_ELEMENTS} elements"));
        }
        match (elements.first(), elements.last()) {
            (None, _) | (_, None) => return Err("it has no words".to_owned()),
            (Some(first), Some(last)) if first.optional() || last.optional() => {
                return Err(
                    "it must begin and end with a required word, not an optional word, gap or break"
                        .to_owned(),
                );
            }
            _ => {}
        }
        let required = elements
            .iter()
            .filter_map(|e| match e {
                Element::Words {
                    ids,
                    optional: false,
                } => Some(blocks(ids)),
                Element::Words { optional: true, .. }
                | Element::Number { .. }
                | Element::Any { .. }
                | Element::Gap(_)
                | Element::Break
                | Element::Start
                | Element::End => None,
            })
            .collect();
        Ok(Pattern {
            elements: elements.into(),
            required,
        })
    }

    /// Compiles a one-word test for context conditions: a word, alternatives,
    /// a set, `#num` or `*`.
    pub(crate) fn compile_test(
        text: &str,
        lexicon: &mut Lexicon,
        sets: &HashMap<String, Vec<u32>>,
    ) -> Result<Element, String> {
        match element(text, lexicon, sets)?.as_slice() {
            [
                single @ (Element::Words {
                    optional: false, ..
                }
                | Element::Number { optional: false }
                | Element::Any { optional: false }),
            ] => Ok(single.clone()),
            _ => Err(format!(
                "`{text}` must be one required word, `@set`, `#num` or `*`"
            )),
        }
    }

    /// The index of the required word element to look for first, chosen by
    /// `score` (higher is rarer); `None` if the pattern has no required word.
    pub(crate) fn anchor(&self, score: impl Fn(&[u32]) -> usize) -> Option<usize> {
        self.elements
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match e {
                Element::Words {
                    ids,
                    optional: false,
                } => Some((score(ids), Reverse(i))),
                Element::Words { optional: true, .. }
                | Element::Number { .. }
                | Element::Any { .. }
                | Element::Gap(_)
                | Element::Break
                | Element::Start
                | Element::End => None,
            })
            .max()
            .map(|(_, Reverse(i))| i)
    }

    /// Whether every required word element has a word in `present` (a bitset
    /// of the message's word ids): a cheap test before matching.
    pub(crate) fn possible(&self, present: &[u64]) -> bool {
        self.required.iter().all(|blocks| {
            blocks.iter().any(|&(index, bits)| {
                present
                    .get(index)
                    .is_some_and(|&present| present & bits != 0)
            })
        })
    }

    /// How many tokens the elements before element `index` can take at most:
    /// how far before its anchor a match can start.
    pub(crate) fn reach_before(&self, index: usize) -> usize {
        self.elements
            .get(..index)
            .unwrap_or_default()
            .iter()
            .map(|e| match e {
                Element::Words { .. } | Element::Number { .. } | Element::Any { .. } => 1,
                Element::Gap(n) => *n,
                Element::Break => 1,
                Element::Start | Element::End => 0,
            })
            .sum()
    }

    /// Like [`find_all`](Self::find_all), but trying only the start positions
    /// in `starts` (ascending).
    pub(crate) fn find_from(
        &self,
        tokens: &[Token],
        starts: impl IntoIterator<Item = usize>,
        mut found: impl FnMut(usize, usize),
    ) {
        let mut free = 0;
        for i in starts {
            if i < free {
                continue;
            }
            if let Some(end) = matches(&self.elements, tokens, i).filter(|&end| end > i) {
                found(i, end);
                free = end;
            }
        }
    }

    /// Calls `found(first, end)` for every leftmost match that does not overlap
    /// an earlier one, as token indices `first..end`.
    pub(crate) fn find_all(&self, tokens: &[Token], mut found: impl FnMut(usize, usize)) {
        let mut i = 0;
        while i < tokens.len() {
            match matches(&self.elements, tokens, i) {
                Some(end) if end > i => {
                    found(i, end);
                    i = end;
                }
                _ => i += 1,
            }
        }
    }
}

use std::cmp::Reverse;

/// Where a match of `elements` beginning at token `i` ends (exclusive). Optional
/// words are taken when they can be; gaps are as short as they can be.
fn matches(elements: &[Element], tokens: &[Token], i: usize) -> Option<usize> {
    let Some((element, rest)) = elements.split_first() else {
        return Some(i);
    };
    let token = tokens.get(i);
    match element {
        Element::Words { optional, .. }
        | Element::Number { optional }
        | Element::Any { optional } => {
            if token.is_some_and(|t| element.accepts(t)) {
                if let Some(end) = matches(rest, tokens, i + 1) {
                    return Some(end);
                }
            }
            if *optional {
                return matches(rest, tokens, i);
            }
            None
        }
        Element::Gap(max) => {
            for skip in 0..=*max {
                if skip > 0 {
                    let skipped = tokens.get(i + skip - 1)?;
                    if skipped.kind == Kind::Break {
                        return None;
                    }
                }
                if let Some(end) = matches(rest, tokens, i + skip) {
                    return Some(end);
                }
            }
            None
        }
        Element::Start => {
            let at_start = i
                .checked_sub(1)
                .and_then(|p| tokens.get(p))
                .is_none_or(|t| t.kind == Kind::Break);
            if at_start {
                matches(rest, tokens, i)
            } else {
                None
            }
        }
        Element::End => {
            if token.is_none_or(|t| t.kind == Kind::Break) {
                matches(rest, tokens, i)
            } else {
                None
            }
        }
        Element::Break => {
            if token.is_some_and(|t| t.kind == Kind::Break) {
                if let Some(end) = matches(rest, tokens, i + 1) {
                    return Some(end);
                }
            }
            matches(rest, tokens, i)
        }
    }
}

/// Whether word `id` is in the bitset `present`.
#[cfg(test)]
pub(crate) fn has(present: &[u64], id: u32) -> bool {
    let id = id as usize;
    present
        .get(id / 64)
        .is_some_and(|bits| bits & (1 << (id % 64)) != 0)
}

/// Whether any token of `tokens` passes `test` (a one-word element).
pub(crate) fn any_token(test: &Element, tokens: &[Token]) -> bool {
    tokens.iter().any(|t| test.accepts(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Lexicon, HashMap<String, Vec<u32>>) {
        let mut lexicon = Lexicon::new([], [("isn't", "is not")], [("n't", "not")]);
        let sorry = lexicon.intern("sorry");
        let apologies = lexicon.intern("apologies");
        let sets = HashMap::from([("apology".to_owned(), vec![sorry, apologies])]);
        (lexicon, sets)
    }

    fn spans(pattern: &str, message: &str) -> Vec<String> {
        let (mut lexicon, sets) = setup();
        let pattern = match Pattern::compile(pattern, &mut lexicon, &sets) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        };
        let tokens = lexicon.tokens(message);
        let mut out = Vec::new();
        pattern.find_all(&tokens, |a, b| {
            out.push(message[tokens[a].start..tokens[b - 1].end].to_owned())
        });
        out
    }

    #[test]
    fn gaps_stay_within_a_sentence() {
        let p = "@apology ...4 but|however";
        assert_eq!(
            spans(p, "Sorry about the delay, but no."),
            ["Sorry about the delay, but"]
        );
        assert_eq!(spans(p, "Apologies – however"), ["Apologies – however"]);
        assert!(spans(p, "Sorry. But").is_empty());
        assert!(spans(p, "Sorry a b c d e but").is_empty());
        assert_eq!(spans("@apology .? but", "Sorry. But"), ["Sorry. But"]);
    }

    #[test]
    fn optional_words_and_contractions() {
        assert_eq!(spans("is really? simple", "It is simple"), ["is simple"]);
        assert_eq!(
            spans("is really? simple", "is really simple"),
            ["is really simple"]
        );
        assert_eq!(
            spans("is not our fault", "It isn't our fault"),
            ["isn't our fault"]
        );
        assert_eq!(
            spans("not our fault", "It isn't our fault"),
            ["isn't our fault"]
        );
        assert_eq!(
            spans("in #num days", "in 3 days, in few days"),
            ["in 3 days"]
        );
        assert_eq!(
            spans("in * days", "in 3 days, in few days"),
            ["in 3 days", "in few days"]
        );
    }

    #[test]
    fn sentence_start_and_end() {
        assert_eq!(
            spans("^ again the", "Again, the fee. Not again the"),
            ["Again, the"]
        );
        assert_eq!(
            spans("dear $", "Dear Sam, hi dear. Oh dear"),
            ["dear", "dear"]
        );
    }

    #[test]
    fn bad_patterns_are_explained() {
        let (mut lexicon, sets) = setup();
        let mut err = |p: &str| Pattern::compile(p, &mut lexicon, &sets).err();
        assert_eq!(
            err("sorry ...0 but"),
            Some("the gap `...0` must be 1 to 12 words".into())
        );
        assert_eq!(err("@nope"), Some("there is no word set `@nope`".into()));
        assert!(err("...2 sorry").is_some());
        assert!(err("sorry but?").is_some());
        assert!(err("isn't? x").is_some());
        assert!(err("a|isn't").is_some());
        assert_eq!(err(", ;"), Some("it has no words".into()));
        assert_eq!(
            err("x ...two y"),
            Some("`...two` is not a gap such as `...4`".into())
        );
    }

    /// [`Pattern::possible`] as it was: every id of every required element.
    fn possible_by_ids(pattern: &Pattern, present: &[u64]) -> bool {
        pattern.elements.iter().all(|e| match e {
            Element::Words {
                ids,
                optional: false,
            } => ids.iter().any(|&id| has(present, id)),
            _ => true,
        })
    }

    proptest::proptest! {
        #[test]
        fn possible_agrees_with_testing_every_id(
            set in proptest::collection::vec(0u32..300, 1..40),
            word in 0u32..300,
            present in proptest::collection::vec(0u32..300, 0..12),
        ) {
            let mut ids = set;
            ids.sort_unstable();
            ids.dedup();
            let words = |ids: Vec<u32>| Element::Words { ids: ids.into(), optional: false };
            let elements = vec![
                words(ids.clone()),
                Element::Gap(2),
                Element::Words { ids: Box::new([word]), optional: true },
                words(vec![word]),
            ];
            let pattern = Pattern {
                required: [blocks(&ids), blocks(&[word])].into(),
                elements: elements.into(),
            };
            let mut bits = vec![0u64; 5];
            for id in present {
                if let Some(b) = bits.get_mut(id as usize / 64) {
                    *b |= 1 << (id % 64);
                }
            }
            proptest::prop_assert_eq!(pattern.possible(&bits), possible_by_ids(&pattern, &bits));
        }
    }

    #[test]
    fn required_words_are_kept_as_bitset_blocks() {
        assert_eq!(
            &*blocks(&[1, 3, 64, 130, 65]),
            [(0, 0b1010), (1, 0b11), (2, 0b100)]
        );
        let (mut lexicon, sets) = setup();
        let p = Pattern::compile("@apology really? #num ...2 isn't", &mut lexicon, &sets)
            .unwrap_or_else(|e| panic!("{e}"));
        // "@apology", "is" and "not": the optional word, number and gap are no test.
        assert_eq!(p.required.len(), 3);
        let tokens = lexicon.tokens("sorry, it isn't");
        let mut present = vec![0u64; lexicon.len().div_ceil(64)];
        for t in &tokens {
            if let Some(b) = present.get_mut(t.word as usize / 64) {
                *b |= 1 << (t.word % 64);
            }
        }
        assert!(p.possible(&present));
        let tokens = lexicon.tokens("sorry, it is");
        present.iter_mut().for_each(|b| *b = 0);
        for t in &tokens {
            if let Some(b) = present.get_mut(t.word as usize / 64) {
                *b |= 1 << (t.word % 64);
            }
        }
        assert!(!p.possible(&present));
    }

    #[test]
    fn anchor_prefers_the_rarest_required_word() {
        let (mut lexicon, sets) = setup();
        let p = Pattern::compile("so not? our fault", &mut lexicon, &sets)
            .unwrap_or_else(|e| panic!("{e}"));
        let anchor = p.anchor(|ids| {
            ids.iter()
                .filter_map(|&id| lexicon.word(id))
                .map(str::len)
                .min()
                .unwrap_or(0)
        });
        assert_eq!(anchor, Some(3));
    }
}
