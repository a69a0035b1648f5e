//! The lexicon's short ASCII surface forms in an open-addressing table keyed
//! by their bytes packed into one integer.
//!
//! Most words of a message are short and ASCII. Looking them up in a general
//! hash map hashes them byte by byte and compares them with `memcmp`; packed
//! into a `u128`, a word is hashed with one multiplication and compared with
//! one integer comparison, and it is lowercased while it is packed.

/// The longest word, in bytes, that the table holds.
pub(crate) const SHORT: usize = 16;

/// Short ASCII surface forms and the word ids each stands for.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordTable {
    /// Packed keys, `0` for an empty slot; the length is a power of two (or zero).
    keys: Vec<u128>,
    /// For each slot, where its ids are in `ids`: start and length.
    values: Vec<(u32, u32)>,
    /// The ids of every entry, one after the other.
    ids: Vec<u32>,
    /// How many slots are taken.
    len: usize,
}

/// `word` packed little-endian into a `u128`, each byte ORed with `0x20`
/// (which lowercases ASCII letters and leaves digits and `'` as they are), if
/// it is 1 to [`SHORT`] ASCII bytes without a zero byte: else `None`.
#[inline]
pub(crate) fn pack(word: &[u8]) -> Option<u128> {
    if word.is_empty() || word.len() > SHORT {
        return None;
    }
    let mut packed = 0u128;
    for (k, &b) in word.iter().enumerate() {
        if b == 0 || !b.is_ascii() {
            return None;
        }
        packed |= u128::from(b | 0x20) << (8 * k);
    }
    Some(packed)
}

const ONES: u64 = 0x0101_0101_0101_0101;

/// The low `n` bytes (at most 8) of a `u64` set.
#[inline]
fn byte_mask(n: usize) -> u64 {
    if n >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * n)) - 1
    }
}

/// A word of 1 to [`SHORT`] ASCII letters and digits, `text[start..end]`,
/// packed as [`pack`] packs it, and whether it has a digit. Read with one or
/// two eight-byte loads where `text` has the bytes they read, else byte by
/// byte; `None` if the word is empty or longer than [`SHORT`] bytes. (For
/// other bytes the key is what packing the loaded bytes gives, not [`pack`]'s.)
#[inline]
pub(crate) fn pack_alphanumeric(text: &[u8], start: usize, end: usize) -> Option<(u128, bool)> {
    let len = end.checked_sub(start)?;
    if len == 0 || len > SHORT {
        return None;
    }
    let load = |at: usize| -> Option<u64> {
        Some(u64::from_le_bytes(text.get(at..at + 8)?.try_into().ok()?))
    };
    let lo_mask = byte_mask(len);
    let hi_mask = byte_mask(len.saturating_sub(8));
    let loaded = match load(start) {
        Some(lo) if len <= 8 => Some((lo & lo_mask, 0)),
        Some(lo) => load(start + 8).map(|hi| (lo & lo_mask, hi & hi_mask)),
        None => None,
    };
    let Some((lo, hi)) = loaded else {
        // Near the end of the text: byte by byte.
        let word = text.get(start..end)?;
        return Some((pack(word)?, word.iter().any(u8::is_ascii_digit)));
    };
    // Of ASCII letters and digits, only digits have bit 0x40 clear.
    let digit = ((lo ^ lo_mask) | (hi ^ hi_mask)) & (ONES * 0x40) != 0;
    let key = u128::from(lo | ((ONES * 0x20) & lo_mask))
        | u128::from(hi | ((ONES * 0x20) & hi_mask)) << 64;
    Some((key, digit))
}

/// Whether ORing each byte with `0x20` lowercases `word` exactly: it has only
/// ASCII letters, digits and `'` (the bytes of a word as messages are split).
pub(crate) fn packs_as_lowercase(word: &[u8]) -> bool {
    word.iter()
        .all(|&b| b.is_ascii_alphanumeric() || b == b'\'')
}

/// The slot where the probe for `key` starts, in a table of `2^bits` slots.
#[inline]
fn home(key: u128, mask: usize) -> usize {
    // Fold the two halves, then multiply: the high bits of the product mix
    // every byte of the word.
    let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(31);
    let mixed = folded.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> 32) as usize & mask
}

impl WordTable {
    /// The ids stored for `key`, if any.
    #[inline]
    pub(crate) fn get(&self, key: u128) -> Option<&[u32]> {
        let mask = self.keys.len().checked_sub(1)?;
        let mut slot = home(key, mask);
        loop {
            let found = *self.keys.get(slot)?;
            if found == key {
                let &(start, len) = self.values.get(slot)?;
                let (start, len) = (start as usize, len as usize);
                return self.ids.get(start..start + len);
            }
            if found == 0 {
                return None;
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Stores `ids` for `word` (lowercase) if it packs, replacing what was
    /// stored for it when `replace` is set, else only if nothing was.
    pub(crate) fn insert(&mut self, word: &str, ids: &[u32], replace: bool) {
        let Some(key) = pack(word.as_bytes()).filter(|_| packs_as_lowercase(word.as_bytes()))
        else {
            return;
        };
        if self.get(key).is_some() && !replace {
            return;
        }
        if (self.len + 1) * 2 > self.keys.len() {
            self.grow();
        }
        let start = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        let len = u32::try_from(ids.len()).unwrap_or(0);
        self.ids.extend_from_slice(ids);
        self.put(key, (start, len));
    }

    /// Puts `value` in the slot of `key`, the table having a free slot.
    fn put(&mut self, key: u128, value: (u32, u32)) {
        let Some(mask) = self.keys.len().checked_sub(1) else {
            return;
        };
        let mut slot = home(key, mask);
        while let Some(&found) = self.keys.get(slot) {
            if found == 0 || found == key {
                if found == 0 {
                    self.len += 1;
                }
                if let (Some(k), Some(v)) = (self.keys.get_mut(slot), self.values.get_mut(slot)) {
                    *k = key;
                    *v = value;
                }
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Doubles the table (at least 16 slots) and puts every entry back.
    fn grow(&mut self) {
        let size = (self.keys.len() * 2).max(16);
        let keys = std::mem::replace(&mut self.keys, vec![0; size]);
        let values = std::mem::replace(&mut self.values, vec![(0, 0); size]);
        self.len = 0;
        for (key, value) in keys.into_iter().zip(values) {
            if key != 0 {
                self.put(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_lowercases_and_refuses_what_does_not_fit() {
        assert_eq!(pack(b"Ab"), pack(b"ab"));
        assert_eq!(pack(b"ab"), Some(0x6261));
        assert_ne!(pack(b"ab"), pack(b"ba"));
        assert_ne!(pack(b"a"), pack(b"a'"));
        assert_eq!(pack(b""), None);
        assert_eq!(pack(b"\0"), None);
        assert_eq!(pack("\u{e9}".as_bytes()), None);
        assert!(pack(&[b'x'; SHORT]).is_some());
        assert_eq!(pack(&[b'x'; SHORT + 1]), None);
        assert!(packs_as_lowercase(b"isn't9"));
        assert!(!packs_as_lowercase(b"a-b"));
    }

    proptest::proptest! {
        #[test]
        fn loading_agrees_with_packing_byte_by_byte(
            before in "[ a-zA-Z]{0,3}",
            word in "[a-zA-Z0-9]{1,18}",
            after in "[ .,a-z\u{e9}]{0,20}",
        ) {
            let text = format!("{before}{word}{after}");
            let (start, end) = (before.len(), before.len() + word.len());
            let packed = pack_alphanumeric(text.as_bytes(), start, end);
            let expected = pack(word.as_bytes())
                .map(|key| (key, word.bytes().any(|b| b.is_ascii_digit())));
            proptest::prop_assert_eq!(packed, expected, "{:?}", text);
        }
    }

    #[test]
    fn loading_needs_a_short_word_and_reads_digits() {
        let text = b"Sorry about it, isn't it? 12345678901234567 ok";
        assert_eq!(pack_alphanumeric(text, 0, 0), None);
        assert_eq!(pack_alphanumeric(text, 3, 2), None);
        assert_eq!(pack_alphanumeric(text, 26, 43), None);
        assert_eq!(
            pack_alphanumeric(text, 0, 5),
            pack(b"sorry").map(|k| (k, false))
        );
        assert_eq!(
            pack_alphanumeric(text, 26, 42),
            pack(b"1234567890123456").map(|k| (k, true))
        );
        // Near the end, where eight bytes cannot be loaded, byte by byte.
        let end = text.len();
        assert_eq!(
            pack_alphanumeric(text, end - 2, end),
            pack(b"ok").map(|k| (k, false))
        );
        assert_eq!(
            pack_alphanumeric(b"3rd", 0, 3),
            pack(b"3rd").map(|k| (k, true))
        );
        // A ninth byte is read with a second load, or byte by byte.
        assert_eq!(
            pack_alphanumeric(b"abcdefgh9 and more", 0, 9),
            pack(b"abcdefgh9").map(|k| (k, true))
        );
        assert_eq!(
            pack_alphanumeric(b"abcdefgh9", 0, 9),
            pack(b"abcdefgh9").map(|k| (k, true))
        );
    }

    #[test]
    fn entries_are_found_replaced_or_kept() {
        let mut table = WordTable::default();
        assert_eq!(table.get(1), None);
        for n in 0..100u32 {
            table.insert(&format!("w{n}"), &[n, n + 1], false);
        }
        for n in 0..100u32 {
            let key = pack(format!("W{n}").as_bytes()).unwrap_or(0);
            assert_eq!(table.get(key), Some(&[n, n + 1][..]), "w{n}");
        }
        table.insert("w7", &[1], false);
        assert_eq!(table.get(pack(b"w7").unwrap_or(0)), Some(&[7, 8][..]));
        table.insert("w7", &[1], true);
        assert_eq!(table.get(pack(b"w7").unwrap_or(0)), Some(&[1][..]));
        assert_eq!(table.get(pack(b"w100").unwrap_or(0)), None);
        // Words that do not pack, or would not lowercase by packing, are not stored.
        table.insert("a-b", &[5], true);
        table.insert("\u{e9}t\u{e9}", &[5], true);
        table.insert(&"x".repeat(SHORT + 1), &[5], true);
        assert_eq!(table.len, 100);
    }
}
