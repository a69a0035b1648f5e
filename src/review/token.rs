//! The words of a message as the rules see them: lowercase, with contractions
//! expanded ("isn't" is `is not`), spelling variants merged ("apologise" is
//! `apologize`), punctuation dropped except where a sentence ends.
//!
//! Tokens are byte spans into the message plus a word id: the message is never
//! copied. Only words that some rule mentions get an id; every other word is
//! [`UNKNOWN`], which no literal matches but gaps and `*` still count.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::normalize::is_word_char;
use super::word_table::{SHORT, WordTable, pack, pack_alphanumeric};

/// A fast hasher for the lexicon's short keys. Its keys are the rules' own
/// words, fixed when the reviewer is built, so a message cannot fill the map
/// with colliding keys; it can only look words up.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type WordMap<V> = HashMap<Box<str>, V, BuildHasherDefault<WordHasher>>;

/// The id of a word that no rule mentions.
pub(crate) const UNKNOWN: u32 = u32::MAX;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A word of letters (with inner apostrophes).
    Word,
    /// A word with at least one digit: "14", "3rd", "09:40" gives two.
    Number,
    /// The end of a sentence: `.`, `!`, `?` or a line break.
    Break,
}

/// One token: a word (or part of a contraction) or a sentence break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    /// Where the word (the whole contraction, for its parts) starts in the message.
    pub(crate) start: usize,
    /// Where it ends.
    pub(crate) end: usize,
    /// The word's id, or [`UNKNOWN`].
    pub(crate) word: u32,
    /// What it is.
    pub(crate) kind: Kind,
}

/// The words rules know, and how surface forms in messages map to them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lexicon {
    /// Canonical word to id.
    ids: WordMap<u32>,
    /// Canonical words by id.
    words: Vec<Box<str>>,
    /// Every surface form (canonical words, spelling variants, whole
    /// contractions) to the ids it stands for.
    surfaces: WordMap<Box<[u32]>>,
    /// The surface forms of up to [`SHORT`] ASCII bytes again, for a quicker
    /// look-up: every change to `surfaces` is made here too.
    short: WordTable,
    /// Contraction endings ("n't") and the words they stand for, in the order given.
    suffixes: Vec<(Box<str>, Box<[u32]>)>,
    /// Spelling variant to canonical spelling, used while interning.
    spellings: WordMap<Box<str>>,
    /// The longest surface form, in bytes: a longer ASCII word can only be a
    /// stem and an ending.
    longest_surface: usize,
    /// Whether some contraction ending has no apostrophe: when none does, a
    /// word without one is never a contraction.
    bare_suffix: bool,
}

/// Whether `c` is read as an apostrophe inside a word.
pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

/// Lowercases `surface` into `buf`, apostrophes as `'`.
fn lower_into(surface: &str, buf: &mut String) {
    buf.clear();
    if surface.is_ascii() {
        buf.extend(surface.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        return;
    }
    for c in surface.chars() {
        if is_apostrophe(c) {
            buf.push('\'');
        } else {
            buf.extend(c.to_lowercase());
        }
    }
}

/// The character at byte `i` of `text`, if `i` is a character boundary within it.
#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..)?.chars().next()
}

/// Whether `c` is a character that can end a sentence: a cheap test before
/// [`ends_sentence`].
#[inline(always)]
const fn may_end_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// What a byte is to the splitter: part of a plain word, a byte that only
/// ends a word, or one to read as (part of) a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ByteClass {
    /// An ASCII letter or digit.
    Alphanumeric,
    /// An ASCII byte that is neither a letter, a digit, an apostrophe nor a
    /// character that may end a sentence: a space, comma, dash...
    Separator,
    /// An apostrophe, a character that may end a sentence, or a byte of a
    /// character that is not ASCII.
    Other,
}

/// The class of every byte, looked up once per byte in the splitter's loops.
const BYTE_CLASSES: [ByteClass; 256] = {
    let mut classes = [ByteClass::Other; 256];
    let mut rest: &mut [ByteClass] = &mut classes;
    let mut byte: u8 = 0;
    while let [class, tail @ ..] = rest {
        *class = if !byte.is_ascii() {
            ByteClass::Other
        } else if byte.is_ascii_alphanumeric() {
            ByteClass::Alphanumeric
        } else if byte != b'\'' && !may_end_sentence(byte as char) {
            ByteClass::Separator
        } else {
            ByteClass::Other
        };
        rest = tail;
        byte = byte.wrapping_add(1);
    }
    classes
};

/// The class of byte `b`.
#[inline(always)]
fn class_of(b: u8) -> ByteClass {
    BYTE_CLASSES
        .get(usize::from(b))
        .copied()
        .unwrap_or(ByteClass::Other)
}

/// Whether the character `c` at byte `i` of `text` ends a sentence, given the
/// character before it (`previous`, a space at the start): `!`, `?`, a `.` that
/// is not part of an ellipsis, a number or an abbreviation, or a line break
/// that does not only wrap a line (see [`split`]).
#[inline]
fn ends_sentence(text: &str, i: usize, c: char, previous: char) -> bool {
    match c {
        '\n' | '\r' | '\u{2028}' => {
            // "\r\n" is one line break.
            let line_break = !(c == '\n' && previous == '\r');
            // A line break ends a sentence unless it only wraps one: after a
            // word or a comma, with no blank line following.
            let wraps = line_break
                && (is_word_char(previous) || previous == ',')
                && text
                    .get(i + c.len_utf8()..)
                    .map(|rest| {
                        if c == '\r' {
                            rest.strip_prefix('\n').unwrap_or(rest)
                        } else {
                            rest
                        }
                    })
                    .and_then(|rest| rest.trim_start_matches([' ', '\t', '\r']).chars().next())
                    .is_some_and(|n| n != '\n');
            line_break && !wraps
        }
        '!' | '?' | '\u{2029}' => true,
        '.' => previous != '.' && char_at(text, i + 1).is_none_or(|n| n != '.' && !is_word_char(n)),
        _ => false,
    }
}

/// What [`split_pieces`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece {
    /// The end of a sentence.
    Break,
    /// A word of 1 to [`SHORT`] ASCII letters and digits, packed as
    /// [`pack`] packs it, and whether it has a digit.
    Short { key: u128, digit: bool },
    /// Any other word.
    Word,
}

/// Splits `text` into words and sentence breaks, calling `found(start, end,
/// false)` for each word and `found(start, end, true)` where a sentence ends.
///
/// A word is a run of letters, digits and combining marks, with apostrophes
/// kept when a word character follows them ("isn't", "O'Brien"). A sentence
/// ends at `!`, `?`, a blank line or a line break after anything but a word or
/// a comma, and a `.` that is not part of an ellipsis or
/// of a number or abbreviation ("42.00", "e.g"); dashes, commas, colons,
/// semicolons, ellipses and quote marks are not tokens at all, so "Sorry — but"
/// and "sorry... but" read as "sorry but".
pub(crate) fn split(text: &str, mut found: impl FnMut(usize, usize, bool)) {
    split_pieces::<false>(text, |start, end, piece| {
        found(start, end, piece == Piece::Break)
    });
}

/// [`split`], telling what each piece is: a sentence break, a short word of
/// ASCII letters and digits (packed when `PACK` is set: the tokenizer looks
/// such words up by their packed bytes), or another word.
///
/// Runs of ASCII letters and digits, most of any message, are read a byte at
/// a time; every other character is decoded and classified.
#[inline(always)]
pub(crate) fn split_pieces<const PACK: bool>(
    text: &str,
    mut found: impl FnMut(usize, usize, Piece),
) {
    let mut i = 0;
    // A sentence break read right after a word, reported after it.
    let mut queued: Option<(usize, usize)> = None;
    // One call of `found`, so that the compiler can inline it into the loop.
    loop {
        let (start, end, piece) = match queued.take() {
            Some((start, end)) => (start, end, Piece::Break),
            None => match next_piece::<PACK>(text, &mut i, &mut queued) {
                Some(piece) => piece,
                None => return,
            },
        };
        found(start, end, piece);
    }
}

/// The next piece of `text` from byte `*at` on, for [`split_pieces`], moving
/// `*at` past it; a sentence break that ends a word goes to `queued`.
#[inline(always)]
fn next_piece<const PACK: bool>(
    text: &str,
    at: &mut usize,
    queued: &mut Option<(usize, usize)>,
) -> Option<(usize, usize, Piece)> {
    let bytes = text.as_bytes();
    let mut start: Option<usize> = None;
    // Whether the word being read is, so far, one run of ASCII letters and digits.
    let mut plain = false;
    let word = |start: usize, end: usize, plain: bool| {
        let piece = if PACK && plain {
            pack_alphanumeric(bytes, start, end)
                .map_or(Piece::Word, |(key, digit)| Piece::Short { key, digit })
        } else {
            Piece::Word
        };
        (start, end, piece)
    };
    while let Some(&b) = bytes.get(*at) {
        match class_of(b) {
            ByteClass::Alphanumeric => {
                // A run that starts a word; one that continues a word after an
                // apostrophe or another letter makes it no longer plain.
                plain = start.is_none();
                start.get_or_insert(*at);
                *at += 1;
                while bytes
                    .get(*at)
                    .is_some_and(|&b| class_of(b) == ByteClass::Alphanumeric)
                {
                    *at += 1;
                }
                continue;
            }
            ByteClass::Separator => {
                // A space, comma, dash...: it only ends a word.
                *at += 1;
                if let Some(s) = start {
                    return Some(word(s, *at - 1, plain));
                }
                continue;
            }
            ByteClass::Other => {}
        }
        let i = *at;
        let Some(c) = char_at(text, i) else {
            break;
        };
        let width = c.len_utf8();
        if is_word_char(c) {
            start.get_or_insert(i);
            plain = false;
            *at += width;
            continue;
        }
        if start.is_some() && is_apostrophe(c) && char_at(text, i + width).is_some_and(is_word_char)
        {
            plain = false;
            *at += width;
            continue;
        }
        *at += width;
        // The character before this one (a space at the start).
        let previous = || {
            text.get(..i)
                .and_then(|head| head.chars().next_back())
                .unwrap_or(' ')
        };
        let ends = may_end_sentence(c) && ends_sentence(text, i, c, previous());
        match start {
            Some(s) => {
                if ends {
                    *queued = Some((i, i + width));
                }
                return Some(word(s, i, plain));
            }
            None if ends => return Some((i, i + width, Piece::Break)),
            None => {}
        }
    }
    // The end of the text (or a byte that starts no character, which a `str`
    // does not have): nothing is read after this.
    *at = text.len().max(*at);
    start.map(|s| word(s, text.len(), plain))
}

impl Lexicon {
    /// A lexicon with these spelling variants (variant to canonical), whole
    /// contractions (surface to expansion) and contraction endings.
    pub(crate) fn new<'a>(
        spellings: impl IntoIterator<Item = (&'a str, &'a str)>,
        contractions: impl IntoIterator<Item = (&'a str, &'a str)>,
        suffixes: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        let mut lexicon = Lexicon::default();
        let mut buf = String::new();
        for (variant, canonical) in spellings {
            lower_into(variant, &mut buf);
            let variant = buf.clone();
            lower_into(canonical, &mut buf);
            lexicon
                .spellings
                .insert(variant.into(), buf.as_str().into());
        }
        let spellings: Vec<(Box<str>, Box<str>)> = lexicon
            .spellings
            .iter()
            .map(|(v, c)| (v.clone(), c.clone()))
            .collect();
        for (variant, canonical) in spellings {
            let id = lexicon.intern(&canonical);
            lexicon.longest_surface = lexicon.longest_surface.max(variant.len());
            lexicon.short.insert(&variant, &[id], true);
            lexicon.surfaces.insert(variant, Box::new([id]));
        }
        for (surface, expansion) in contractions {
            let ids = lexicon.intern_phrase(expansion);
            lower_into(surface, &mut buf);
            lexicon.longest_surface = lexicon.longest_surface.max(buf.len());
            lexicon.short.insert(&buf, &ids, true);
            lexicon.surfaces.insert(buf.as_str().into(), ids.into());
        }
        for (suffix, expansion) in suffixes {
            let ids = lexicon.intern_phrase(expansion);
            lower_into(suffix, &mut buf);
            lexicon.bare_suffix |= !buf.contains('\'');
            lexicon.suffixes.push((buf.as_str().into(), ids.into()));
        }
        lexicon
    }

    /// The id of `word` (lowercase, one word), spelled canonically, adding it if new.
    pub(crate) fn intern(&mut self, word: &str) -> u32 {
        let canonical = self.spellings.get(word).cloned();
        let word = canonical.as_deref().unwrap_or(word);
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = u32::try_from(self.words.len()).unwrap_or(UNKNOWN - 1);
        self.ids.insert(word.into(), id);
        self.words.push(word.into());
        self.longest_surface = self.longest_surface.max(word.len());
        self.short.insert(word, &[id], false);
        self.surfaces.entry(word.into()).or_insert(Box::new([id]));
        id
    }

    /// The ids of the words of `phrase`, interning them, with contractions
    /// expanded as in messages.
    pub(crate) fn intern_phrase(&mut self, phrase: &str) -> Vec<u32> {
        let mut spans = Vec::new();
        split(phrase, |s, e, is_break| {
            if !is_break {
                spans.push((s, e));
            }
        });
        let mut ids = Vec::new();
        let mut buf = String::new();
        for (s, e) in spans {
            let Some(surface) = phrase.get(s..e) else {
                continue;
            };
            lower_into(surface, &mut buf);
            if let Some(known) = self.surfaces.get(buf.as_str()) {
                ids.extend_from_slice(known);
                continue;
            }
            let split_at = self.suffixes.iter().find_map(|(suffix, expansion)| {
                let stem = buf.strip_suffix(&**suffix)?;
                (!stem.is_empty()).then(|| (stem.len(), expansion.clone()))
            });
            match split_at {
                Some((stem_len, expansion)) => {
                    let stem = buf.get(..stem_len).unwrap_or_default().to_owned();
                    ids.push(self.intern(&stem));
                    ids.extend_from_slice(&expansion);
                }
                None => {
                    let word = buf.clone();
                    ids.push(self.intern(&word));
                }
            }
        }
        ids
    }

    /// The canonical text of word `id`.
    #[cfg(test)]
    pub(crate) fn word(&self, id: u32) -> Option<&str> {
        self.words.get(usize::try_from(id).ok()?).map(|w| &**w)
    }

    /// Every surface form with each word id it stands for, and whether it is a
    /// contraction ending (found only at the end of a word), sorted.
    pub(crate) fn all_surfaces(&self) -> Vec<(&str, bool, u32)> {
        let mut found: Vec<(&str, bool, u32)> = self
            .surfaces
            .iter()
            .flat_map(|(s, ids)| ids.iter().map(move |&id| (&**s, false, id)))
            .chain(
                self.suffixes
                    .iter()
                    .flat_map(|(s, ids)| ids.iter().map(move |&id| (&**s, true, id))),
            )
            .collect();
        found.sort_unstable();
        found
    }

    /// Whether `rest`, the text right after a word's stem, starts with a
    /// contraction ending that begins with a letter ("n't" in "shouldn't") and
    /// then ends the word: the stem is a word of its own to the rules, though a
    /// letter follows it in the text. Letters match without regard to case and any
    /// apostrophe matches `'`. (An ending that begins with an apostrophe needs no
    /// check: an apostrophe does not join words.) Only the reference pipeline
    /// needs this: tokens already split a stem from its ending.
    #[cfg(test)]
    pub(crate) fn ending_follows(&self, rest: &str) -> bool {
        self.suffixes.iter().any(|(suffix, _)| {
            if !suffix.starts_with(is_word_char) {
                return false;
            }
            let mut text = rest.chars();
            let spelled = suffix.chars().all(|expected| {
                text.next().is_some_and(|c| {
                    if expected == '\'' {
                        is_apostrophe(c)
                    } else {
                        c.to_lowercase().eq(expected.to_lowercase())
                    }
                })
            });
            spelled && !text.next().is_some_and(is_word_char)
        })
    }

    /// The number of word ids (the size of a bitset over them).
    pub(crate) fn len(&self) -> usize {
        self.words.len()
    }

    /// The tokens of `message`.
    #[cfg(test)]
    pub(crate) fn tokens(&self, message: &str) -> Vec<Token> {
        let mut tokens: Vec<Token> = Vec::with_capacity(message.len() / 5 + 1);
        self.tokens_into(message, &mut String::new(), &mut tokens);
        tokens
    }

    /// Appends to `tokens` (empty) the tokens of `message`; `buf` is scratch
    /// space for lowercasing.
    pub(crate) fn tokens_into(&self, message: &str, buf: &mut String, tokens: &mut Vec<Token>) {
        split_pieces::<true>(message, |start, end, piece| match piece {
            Piece::Break => {
                // One break between sentences, however many marks end it, and
                // none before the first word.
                if tokens.last().is_some_and(|t| t.kind != Kind::Break) {
                    tokens.push(Token {
                        start,
                        end,
                        word: UNKNOWN,
                        kind: Kind::Break,
                    });
                }
            }
            // Most words are short ASCII letters and digits, packed as they
            // were read: one probe of the short table says what `surfaces` would.
            Piece::Short { key, digit } => {
                let kind = if digit { Kind::Number } else { Kind::Word };
                match self.short.get(key) {
                    Some(ids) => tokens.extend(ids.iter().map(|&word| Token {
                        start,
                        end,
                        word,
                        kind,
                    })),
                    None if !self.bare_suffix => tokens.push(Token {
                        start,
                        end,
                        word: UNKNOWN,
                        kind,
                    }),
                    // It may still be a stem and an ending without an apostrophe.
                    None => self.push_word(message, start, end, buf, tokens),
                }
            }
            Piece::Word => self.push_word(message, start, end, buf, tokens),
        });
        if tokens.last().is_some_and(|t| t.kind == Kind::Break) {
            tokens.pop();
        }
    }

    /// Appends to `tokens` the tokens of the word `text[start..end]`, however
    /// it is spelled: with capitals, apostrophes, letters that are not ASCII,
    /// or as a stem and a contraction ending.
    #[inline(never)]
    fn push_word(
        &self,
        text: &str,
        start: usize,
        end: usize,
        buf: &mut String,
        tokens: &mut Vec<Token>,
    ) {
        let Some(surface) = text.get(start..end) else {
            return;
        };
        // One pass over the word: digits, capitals, apostrophes, non-ASCII.
        let (mut digit, mut capital, mut apostrophe, mut wide) = (false, false, false, false);
        for &b in surface.as_bytes() {
            digit |= b.is_ascii_digit();
            capital |= b.is_ascii_uppercase();
            apostrophe |= b == b'\'';
            wide |= !b.is_ascii();
        }
        let kind = if digit { Kind::Number } else { Kind::Word };
        let mut push = |word| {
            tokens.push(Token {
                start,
                end,
                word,
                kind,
            })
        };
        let may_contract =
            self.bare_suffix || apostrophe || (wide && surface.contains(is_apostrophe));
        // A short ASCII word, lowercased as it is packed: one probe of the
        // short table says what `surfaces` would.
        if !wide && surface.len() <= SHORT {
            let known = pack(surface.as_bytes()).and_then(|key| self.short.get(key));
            if let Some(ids) = known {
                ids.iter().for_each(|&id| push(id));
                return;
            }
            if !may_contract {
                push(UNKNOWN);
                return;
            }
        }
        let key: &str = if wide {
            lower_into(surface, buf);
            buf
        } else {
            // Lowercasing keeps an ASCII word's length: one too long to be
            // a known form, and no contraction, is unknown.
            if surface.len() > self.longest_surface && !may_contract {
                push(UNKNOWN);
                return;
            }
            if capital {
                buf.clear();
                buf.push_str(surface);
                buf.make_ascii_lowercase();
                buf
            } else {
                surface
            }
        };
        if let Some(ids) = self.surfaces.get(key) {
            ids.iter().for_each(|&id| push(id));
            return;
        }
        if !may_contract {
            push(UNKNOWN);
            return;
        }
        let expanded = self.suffixes.iter().find_map(|(suffix, expansion)| {
            let stem = key.strip_suffix(&**suffix)?;
            (!stem.is_empty()).then_some((stem, expansion))
        });
        match expanded {
            Some((stem, expansion)) => {
                let stem = self.surfaces.get(stem).and_then(|ids| ids.first());
                push(stem.copied().unwrap_or(UNKNOWN));
                expansion.iter().for_each(|&id| push(id));
            }
            None => push(UNKNOWN),
        }
    }
}

/// The tokenizer as it was before its fast paths (whole-message tokens, a
/// `String` per word, every character decoded), kept to test the fast one against.
#[cfg(test)]
pub(crate) mod reference {
    use super::{Kind, Lexicon, Token, UNKNOWN, is_apostrophe, is_word_char, lower_into};

    pub(crate) fn split(text: &str, mut found: impl FnMut(usize, usize, bool)) {
        let mut start: Option<usize> = None;
        let mut chars = text.char_indices().peekable();
        let mut previous = ' ';
        while let Some((i, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            if is_word_char(c) {
                start.get_or_insert(i);
                previous = c;
                continue;
            }
            if start.is_some() && is_apostrophe(c) && next.is_some_and(is_word_char) {
                previous = c;
                continue;
            }
            if let Some(s) = start.take() {
                found(s, i, false);
            }
            // A line break ends a sentence unless it only wraps one: after a word
            // or a comma, with no blank line following. "\r\n" is one line break.
            let line_break =
                matches!(c, '\n' | '\r' | '\u{2028}') && !(c == '\n' && previous == '\r');
            let wraps = line_break
                && (is_word_char(previous) || previous == ',')
                && text
                    .get(i + c.len_utf8()..)
                    .map(|rest| {
                        if c == '\r' {
                            rest.strip_prefix('\n').unwrap_or(rest)
                        } else {
                            rest
                        }
                    })
                    .and_then(|rest| rest.trim_start_matches([' ', '\t', '\r']).chars().next())
                    .is_some_and(|n| n != '\n');
            let ends_sentence = match c {
                '\n' | '\r' | '\u{2028}' => line_break && !wraps,
                '!' | '?' | '\u{2029}' => true,
                '.' => previous != '.' && next.is_none_or(|n| n != '.' && !is_word_char(n)),
                _ => false,
            };
            if ends_sentence {
                found(i, i + c.len_utf8(), true);
            }
            previous = c;
        }
        if let Some(s) = start {
            found(s, text.len(), false);
        }
    }

    pub(crate) fn tokens(lexicon: &Lexicon, message: &str) -> Vec<Token> {
        let mut tokens: Vec<Token> = Vec::with_capacity(message.len() / 5 + 1);
        let mut buf = String::new();
        split(message, |start, end, is_break| {
            if is_break {
                // One break between sentences, however many marks end it, and
                // none before the first word.
                if tokens.last().is_some_and(|t| t.kind != Kind::Break) {
                    tokens.push(Token {
                        start,
                        end,
                        word: UNKNOWN,
                        kind: Kind::Break,
                    });
                }
                return;
            }
            let Some(surface) = message.get(start..end) else {
                return;
            };
            let kind = if surface.bytes().any(|b| b.is_ascii_digit()) {
                Kind::Number
            } else {
                Kind::Word
            };
            lower_into(surface, &mut buf);
            let mut push = |word| {
                tokens.push(Token {
                    start,
                    end,
                    word,
                    kind,
                })
            };
            if let Some(ids) = lexicon.surfaces.get(buf.as_str()) {
                ids.iter().for_each(|&id| push(id));
                return;
            }
            let expanded = lexicon.suffixes.iter().find_map(|(suffix, expansion)| {
                let stem = buf.strip_suffix(&**suffix)?;
                (!stem.is_empty()).then_some((stem, expansion))
            });
            match expanded {
                Some((stem, expansion)) => {
                    let stem = lexicon.surfaces.get(stem).and_then(|ids| ids.first());
                    push(stem.copied().unwrap_or(UNKNOWN));
                    expansion.iter().for_each(|&id| push(id));
                }
                None => push(UNKNOWN),
            }
        });
        if tokens.last().is_some_and(|t| t.kind == Kind::Break) {
            tokens.pop();
        }
        tokens
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> Lexicon {
        Lexicon::new(
            [("apologise", "apologize")],
            [("won't", "will not"), ("it's", "it is")],
            [("n't", "not"), ("'ll", "will")],
        )
    }

    fn words(lexicon: &Lexicon, message: &str) -> Vec<String> {
        lexicon
            .tokens(message)
            .iter()
            .map(|t| match t.kind {
                Kind::Break => ".".to_owned(),
                Kind::Word | Kind::Number => lexicon.word(t.word).unwrap_or("?").to_owned(),
            })
            .collect()
    }

    #[test]
    fn an_ending_that_begins_with_a_letter_follows_a_stem() {
        let lexicon = english();
        // After "should" in "shouldn't", with any apostrophe and any case.
        assert!(lexicon.ending_follows("n't have"));
        assert!(lexicon.ending_follows("n\u{2019}t."));
        assert!(lexicon.ending_follows("N'T"));
        assert!(lexicon.ending_follows("n't"));
        // Not an ending, or an ending that does not end the word.
        assert!(!lexicon.ending_follows("nt have"));
        assert!(!lexicon.ending_follows("n'ts"));
        assert!(!lexicon.ending_follows("n'"));
        assert!(!lexicon.ending_follows("ers"));
        assert!(!lexicon.ending_follows(""));
        // "'ll" begins with an apostrophe, which never joins words: not its business.
        assert!(!lexicon.ending_follows("'ll"));
    }

    #[test]
    fn contractions_expand_and_spellings_merge() {
        let mut lexicon = english();
        for w in ["is", "our", "fault", "sorry", "but", "you"] {
            lexicon.intern(w);
        }
        assert_eq!(
            words(&lexicon, "It\u{2019}s NOT— isn't our fault. Apologise!"),
            [
                "it",
                "is",
                "not",
                "is",
                "not",
                "our",
                "fault",
                ".",
                "apologize"
            ]
        );
        assert_eq!(
            words(&lexicon, "Sorry\u{2026} but you'll won't"),
            ["sorry", "but", "you", "will", "will", "not"]
        );
        assert_eq!(
            words(&lexicon, "\n\nSorry.\n\n. But 42.00 e.g. x"),
            ["sorry", ".", "but", "?", "?", "?", "?", ".", "?"]
        );
    }

    #[test]
    fn contraction_parts_share_the_word_span() {
        let mut lexicon = english();
        lexicon.intern("is");
        let tokens = lexicon.tokens("Ok, isn't it");
        assert_eq!(tokens.len(), 4);
        assert_eq!((tokens[1].start, tokens[1].end), (4, 9));
        assert_eq!((tokens[2].start, tokens[2].end), (4, 9));
        assert_eq!(tokens[3].kind, Kind::Word);
    }

    #[test]
    fn bytes_are_classed_as_the_splitter_reads_them() {
        for b in [b'a', b'z', b'A', b'Z', b'0', b'9'] {
            assert_eq!(class_of(b), ByteClass::Alphanumeric, "{b}");
        }
        for b in [b' ', b'\t', b',', b'-', b'"', b':', b'(', b'@', 0x7f, 0] {
            assert_eq!(class_of(b), ByteClass::Separator, "{b}");
        }
        for b in [
            b'\'', b'.', b'!', b'?', b'\n', b'\r', 0x80, 0xc3, 0xe2, 0xff,
        ] {
            assert_eq!(class_of(b), ByteClass::Other, "{b}");
        }
        let counts = (0..=255u8).fold([0; 3], |mut counts, b| {
            counts[class_of(b) as usize] += 1;
            counts
        });
        assert_eq!(counts, [62, 128 - 62 - 6, 128 + 6]);
    }

    #[test]
    fn short_plain_words_come_packed() {
        let text = "Sorry, isn't Zo\u{eb} 3rd supercalifragilistic o'k\u{e9}y. 42";
        let mut pieces = Vec::new();
        split_pieces::<true>(text, |s, e, piece| pieces.push((&text[s..e], piece)));
        let short = |word: &str, digit| Piece::Short {
            key: pack(word.as_bytes()).unwrap_or(0),
            digit,
        };
        assert_eq!(
            pieces,
            [
                ("Sorry", short("sorry", false)),
                ("isn't", Piece::Word),
                ("Zo\u{eb}", Piece::Word),
                ("3rd", short("3rd", true)),
                ("supercalifragilistic", Piece::Word),
                ("o'k\u{e9}y", Piece::Word),
                (".", Piece::Break),
                ("42", short("42", true)),
            ]
        );
        // Without packing, every word is a plain word.
        let mut unpacked = Vec::new();
        split_pieces::<false>(text, |_, _, piece| unpacked.push(piece));
        assert!(
            unpacked
                .iter()
                .all(|p| matches!(p, Piece::Word | Piece::Break))
        );
        assert_eq!(unpacked.len(), pieces.len());
    }

    #[test]
    fn numbers_are_marked() {
        let lexicon = english();
        let kinds: Vec<Kind> = lexicon
            .tokens("by 3rd June")
            .iter()
            .map(|t| t.kind)
            .collect();
        assert_eq!(kinds, [Kind::Word, Kind::Number, Kind::Word]);
    }

    #[test]
    fn surfaces_include_variants_contractions_and_endings() {
        let mut lexicon = english();
        let not = lexicon.intern("not");
        let surfaces: Vec<(&str, bool)> = lexicon
            .all_surfaces()
            .into_iter()
            .filter(|&(_, _, id)| id == not)
            .map(|(s, e, _)| (s, e))
            .collect();
        assert_eq!(surfaces, [("n't", true), ("not", false), ("won't", false)]);
        let apologize = lexicon.intern("apologise");
        assert_eq!(lexicon.word(apologize), Some("apologize"));
    }

    fn english_rules_lexicon() -> &'static Lexicon {
        static LEXICON: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
        LEXICON.get_or_init(|| {
            let set = crate::review::RuleSet::english().unwrap_or_else(|e| panic!("{e}"));
            crate::review::grammar::Grammar::compile(&set)
                .unwrap_or_else(|e| panic!("{e}"))
                .lexicon
        })
    }

    fn spans(
        f: impl Fn(&str, &mut dyn FnMut(usize, usize, bool)),
        text: &str,
    ) -> Vec<(usize, usize, bool)> {
        let mut out = Vec::new();
        f(text, &mut |s, e, b| out.push((s, e, b)));
        out
    }

    /// The fast tokenizer gives exactly the tokens the character-by-character
    /// one gives: the same words, breaks, spans, ids and kinds.
    fn agrees_with_reference(lexicon: &Lexicon, text: &str) {
        assert_eq!(
            spans(|t, f| split(t, f), text),
            spans(|t, f| reference::split(t, f), text),
            "split {text:?}"
        );
        assert_eq!(
            lexicon.tokens(text),
            reference::tokens(lexicon, text),
            "tokens {text:?}"
        );
    }

    #[test]
    fn fast_tokens_agree_on_the_corpora_and_rule_examples() {
        let lexicon = english_rules_lexicon();
        for json in [
            include_str!("../../tests/data/review_corpus_tuning.json"),
            include_str!("../../tests/data/review_corpus_heldout.json"),
            include_str!("../../tests/data/review_cases.json"),
        ] {
            let value: serde_json::Value =
                serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
            let mut texts = Vec::new();
            collect_strings(&value, &mut texts);
            assert!(texts.len() > 100);
            for text in texts {
                agrees_with_reference(lexicon, &text);
            }
        }
        let set = crate::review::RuleSet::english().unwrap_or_else(|e| panic!("{e}"));
        for rule in &set.rules {
            for text in rule.examples.flag.iter().chain(&rule.examples.pass) {
                agrees_with_reference(lexicon, text);
            }
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

    proptest::proptest! {
        #[test]
        fn fast_tokens_agree_on_tricky_text(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "sorry", "Sorry", "isn't", "ISN\u{2019}T", "you'll", "won't", "o'", "'", "\u{2019}",
                    "\u{2018}", "\u{2BC}", ".", "..", "...", "\u{2026}", "!", "?", ",", " ", "  ", "\t",
                    "\n", "\r", "\r\n", "\n\n", "\u{2028}", "\u{2029}", "42", "3rd", "e.g", "Zo\u{eb}",
                    "e\u{301}", "\u{130}", "\u{212A}", "\u{df}", "\u{1e9e}", "\u{2014}", "-", "apologise",
                    "policy", "n't", "'ll", "supercalifragilisticexpialidocious", "xn't", "\u{a0}",
                ]),
                0..24,
            )
        ) {
            agrees_with_reference(english_rules_lexicon(), &pieces.concat());
        }

        #[test]
        fn fast_tokens_agree_on_any_text(text in proptest::prelude::any::<String>()) {
            agrees_with_reference(english_rules_lexicon(), &text);
        }
    }
}
