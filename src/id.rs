//! Identifiers: the host's own strings, wrapped so that a case id can never be
//! passed where an actor id is expected.
//!
//! # The rules
//!
//! An identifier is any non-empty text that a person could read back without being
//! fooled. [`CaseId::try_new`] (and every identifier's `try_new`, [`FromStr`] and
//! serde `Deserialize`) refuses, with an [`IdentifierError`]:
//!
//! - the empty string;
//! - whitespace at the start or the end (`" mgr-1"`, `"mgr-1\n"`);
//! - control characters (Unicode category Cc: tabs, line feeds, NUL, DEL, ...) and the
//!   line and paragraph separators U+2028 and U+2029;
//! - invisible characters: every format character (Unicode 16 category Cf: the soft
//!   hyphen, zero-width space, joiners and non-joiner, word joiner, byte-order mark,
//!   the bidirectional controls U+200E, U+200F, U+202A–U+202E and U+2066–U+2069, ...),
//!   plus the few other characters that draw nothing: the combining grapheme joiner
//!   U+034F, the Hangul fillers and the variation selectors.
//!
//! Those are the characters that let `mgr-1` and `mgr-1` followed by a zero-width
//! space be two people who look the same in a timeline.
//!
//! Identifiers **compare exactly, byte for byte**: `Mgr-1` and `mgr-1` are two
//! different people, and so are two spellings that differ only in Unicode
//! normalization. The crate does not fold case or normalize, because only the host
//! knows whether its directory is case-insensitive: **the host chooses the case** (and
//! the normal form) of its identifiers and passes them the same way every time.
//!
//! `new` and `From<&str>`/`From<String>` do not check anything: they are for literals
//! in code and for identifiers the host has already validated. Text from outside (a
//! request body, a form, a file) goes through `try_new`, `parse` or serde.
//!
//! ```
//! use service_recovery::id::{ActorId, IdentifierError};
//!
//! assert_eq!(ActorId::try_new("mgr-1")?.as_str(), "mgr-1");
//! // Case matters: these are two different people.
//! assert_ne!(ActorId::new("Mgr-1"), ActorId::new("mgr-1"));
//! // An invisible character is refused, and the error names it.
//! let err = ActorId::try_new("mgr-1\u{200b}").unwrap_err();
//! assert_eq!(
//!     err,
//!     IdentifierError::InvisibleCharacter { id: "mgr-1\u{200b}".into(), character: '\u{200b}', at: 5 }
//! );
//! assert!(err.to_string().contains("U+200B (zero width space)"));
//! assert!(serde_json::from_str::<ActorId>(r#""mgr-1\u200b""#).is_err());
//! # Ok::<(), IdentifierError>(())
//! ```

use std::fmt;
#[cfg(doc)]
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Why a text is not a usable identifier (see the [module docs](self) for the rules).
///
/// `Display` is one plain sentence naming the problem and, for a bad character, its
/// code point and where it is (a byte offset into the text). Serialized with a
/// `"problem"` tag in snake_case:
/// `{"problem":"invisible_character","id":"mgr-1\u200b","character":"\u200b","at":5}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum IdentifierError {
    /// The text is empty.
    #[error("an identifier cannot be empty")]
    Empty,
    /// The text starts or ends with whitespace.
    #[error(
        "the identifier {id:?} starts or ends with whitespace ({}); remove it",
        CodePoint(*.character)
    )]
    SurroundingWhitespace {
        /// The refused text.
        id: String,
        /// The first whitespace character found at either end.
        character: char,
    },
    /// The text contains a control character (or a line or paragraph separator).
    #[error(
        "the identifier {id:?} contains the control character {} at byte {at}; \
         identifiers must be printable",
        CodePoint(*.character)
    )]
    ControlCharacter {
        /// The refused text.
        id: String,
        /// The character.
        character: char,
        /// Its byte offset in `id`.
        at: usize,
    },
    /// The text contains an invisible character, which would let two different
    /// identifiers look the same.
    #[error(
        "the identifier {id:?} contains the invisible character {} at byte {at}; \
         it would look the same as an identifier without it",
        CodePoint(*.character)
    )]
    InvisibleCharacter {
        /// The refused text.
        id: String,
        /// The character.
        character: char,
        /// Its byte offset in `id`.
        at: usize,
    },
}

/// Checks `id` against the identifier rules (see the [module docs](self)).
///
/// ```
/// use service_recovery::id::{validate, IdentifierError};
///
/// assert_eq!(validate("case-17"), Ok(()));
/// assert_eq!(validate(""), Err(IdentifierError::Empty));
/// assert_eq!(
///     validate("case-17 ").unwrap_err().to_string(),
///     "the identifier \"case-17 \" starts or ends with whitespace (U+0020 (space)); remove it"
/// );
/// ```
///
/// # Errors
///
/// The first rule `id` breaks, as an [`IdentifierError`].
pub fn validate(id: &str) -> Result<(), IdentifierError> {
    let (Some(first), Some(last)) = (id.chars().next(), id.chars().next_back()) else {
        return Err(IdentifierError::Empty);
    };
    if let Some(character) = [first, last].into_iter().find(|c| c.is_whitespace()) {
        return Err(IdentifierError::SurroundingWhitespace {
            id: id.to_owned(),
            character,
        });
    }
    // Most identifiers are ASCII: then only the control bytes can be wrong.
    let suspect = |b: &u8| !b.is_ascii() || b.is_ascii_control();
    if !id.as_bytes().iter().any(suspect) {
        return Ok(());
    }
    for (at, character) in id.char_indices() {
        if character.is_control() || matches!(character, '\u{2028}' | '\u{2029}') {
            return Err(IdentifierError::ControlCharacter {
                id: id.to_owned(),
                character,
                at,
            });
        }
        if is_invisible(character) {
            return Err(IdentifierError::InvisibleCharacter {
                id: id.to_owned(),
                character,
                at,
            });
        }
    }
    Ok(())
}

/// Characters that draw nothing: Unicode 16 general category Cf (format), in ranges
/// taken from the Unicode Character Database, then the combining grapheme joiner, the
/// Hangul fillers and the variation selectors (letters and marks by category, but
/// invisible all the same).
const INVISIBLE: &[(char, char)] = &[
    ('\u{ad}', '\u{ad}'),
    ('\u{34f}', '\u{34f}'),
    ('\u{600}', '\u{605}'),
    ('\u{61c}', '\u{61c}'),
    ('\u{6dd}', '\u{6dd}'),
    ('\u{70f}', '\u{70f}'),
    ('\u{890}', '\u{891}'),
    ('\u{8e2}', '\u{8e2}'),
    ('\u{115f}', '\u{1160}'),
    ('\u{180b}', '\u{180f}'),
    ('\u{200b}', '\u{200f}'),
    ('\u{202a}', '\u{202e}'),
    ('\u{2060}', '\u{2064}'),
    ('\u{2066}', '\u{206f}'),
    ('\u{3164}', '\u{3164}'),
    ('\u{fe00}', '\u{fe0f}'),
    ('\u{feff}', '\u{feff}'),
    ('\u{ffa0}', '\u{ffa0}'),
    ('\u{fff9}', '\u{fffb}'),
    ('\u{110bd}', '\u{110bd}'),
    ('\u{110cd}', '\u{110cd}'),
    ('\u{13430}', '\u{1343f}'),
    ('\u{1bca0}', '\u{1bca3}'),
    ('\u{1d173}', '\u{1d17a}'),
    ('\u{e0001}', '\u{e0001}'),
    ('\u{e0020}', '\u{e007f}'),
    ('\u{e0100}', '\u{e01ef}'),
];

fn is_invisible(c: char) -> bool {
    INVISIBLE
        .binary_search_by(|&(low, high)| {
            if high < c {
                std::cmp::Ordering::Less
            } else if low > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// `U+200B (zero width space)`, or `U+0007` for a character without a common name.
struct CodePoint(char);

impl fmt::Display for CodePoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "U+{:04X}", u32::from(self.0))?;
        let name = match self.0 {
            ' ' => "space",
            '\t' => "tab",
            '\n' => "line feed",
            '\r' => "carriage return",
            '\0' => "null",
            '\u{a0}' => "no-break space",
            '\u{ad}' => "soft hyphen",
            '\u{200b}' => "zero width space",
            '\u{200c}' => "zero width non-joiner",
            '\u{200d}' => "zero width joiner",
            '\u{200e}' => "left-to-right mark",
            '\u{200f}' => "right-to-left mark",
            '\u{202a}' => "left-to-right embedding",
            '\u{202b}' => "right-to-left embedding",
            '\u{202c}' => "pop directional formatting",
            '\u{202d}' => "left-to-right override",
            '\u{202e}' => "right-to-left override",
            '\u{2060}' => "word joiner",
            '\u{2066}' => "left-to-right isolate",
            '\u{2067}' => "right-to-left isolate",
            '\u{2068}' => "first strong isolate",
            '\u{2069}' => "pop directional isolate",
            '\u{2028}' => "line separator",
            '\u{2029}' => "paragraph separator",
            '\u{3000}' => "ideographic space",
            '\u{feff}' => "byte order mark",
            _ => return Ok(()),
        };
        write!(f, " ({name})")
    }
}

/// Declares a string identifier newtype: shared, cheap to clone, a plain JSON string,
/// checked against the identifier rules wherever text comes in from outside.
macro_rules! identifier {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Serialized as a plain JSON string. Cloning is cheap (a shared string), because
        /// identifiers are copied into every event and every index of a case.
        ///
        /// Two identifiers are equal only if their text is byte for byte the same (the
        /// host chooses the case). Deserializing, [`try_new`](Self::try_new) and
        /// [`parse`](str::parse) enforce the [identifier rules](crate::id); [`new`](Self::new)
        /// and `From` do not (for literals and identifiers the host has checked).
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(std::sync::Arc<str>);

        impl $name {
            /// Wraps the host's identifier as it is, without checking it: for literals
            /// and identifiers the host has already validated. Use
            /// [`try_new`](Self::try_new) for text from outside.
            pub fn new(id: impl AsRef<str>) -> Self {
                Self(std::sync::Arc::from(id.as_ref()))
            }

            /// Wraps text from outside, if it obeys the [identifier rules](crate::id).
            ///
            /// # Errors
            ///
            /// An [`IdentifierError`](crate::id::IdentifierError) naming the first
            /// rule broken: empty, surrounding whitespace, a control character or an
            /// invisible one.
            pub fn try_new(id: impl AsRef<str>) -> Result<Self, $crate::id::IdentifierError> {
                let id = id.as_ref();
                $crate::id::validate(id)?;
                Ok(Self(std::sync::Arc::from(id)))
            }

            /// Whether this identifier obeys the [identifier rules](crate::id) (one
            /// made with [`new`](Self::new) or `From` may not).
            ///
            /// # Errors
            ///
            /// The first rule broken, as in [`try_new`](Self::try_new).
            pub fn validate(&self) -> Result<(), $crate::id::IdentifierError> {
                $crate::id::validate(&self.0)
            }

            /// The identifier as the host gave it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::id::IdentifierError;

            /// Checks the text as [`try_new`](Self::try_new) does.
            fn from_str(id: &str) -> Result<Self, Self::Err> {
                Self::try_new(id)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            /// Reads a JSON string and checks it against the identifier rules; a bad
            /// one is refused with the rule it breaks.
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Text;
                impl serde::de::Visitor<'_> for Text {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a string (", stringify!($name), ")"))
                    }

                    fn visit_str<E: serde::de::Error>(self, id: &str) -> Result<$name, E> {
                        $name::try_new(id).map_err(|problem| {
                            E::custom(format_args!(concat!("invalid ", stringify!($name), ": {}"), problem))
                        })
                    }
                }
                deserializer.deserialize_str(Text)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(std::sync::Arc::from(id))
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(std::sync::Arc::from(id))
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

pub(crate) use identifier;

identifier!(
    /// Identifies one recovery case.
    CaseId
);
identifier!(
    /// Identifies a customer in the host's system.
    CustomerId
);
identifier!(
    /// Identifies a person (or system) acting on a case: an agent, a supervisor, a bot.
    ActorId
);
identifier!(
    /// Identifies one resolution option within a case.
    OptionId
);
identifier!(
    /// Identifies one question asked within a case.
    QuestionId
);
identifier!(
    /// Identifies one agreed action within a case.
    ActionId
);
identifier!(
    /// Identifies one promise made to the customer within a case.
    CommitmentId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_serialize_as_plain_strings() {
        let id = CaseId::new("case-17");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"case-17\"");
        let back: CaseId = serde_json::from_str("\"case-17\"").unwrap();
        assert_eq!(back, id);
        assert_eq!(id.to_string(), "case-17");
        assert_eq!(id.as_str(), "case-17");
    }

    #[test]
    fn ordinary_identifiers_pass_in_any_script() {
        for id in [
            "case-17",
            "Mo Smith",
            "O'Brien",
            "José",
            "山田太郎",
            "agent_7@desk",
            "x",
        ] {
            assert_eq!(validate(id), Ok(()), "{id:?}");
            assert_eq!(ActorId::try_new(id).unwrap().as_str(), id);
            assert_eq!(id.parse::<CaseId>().unwrap().as_str(), id);
        }
    }

    #[test]
    fn case_and_normal_form_are_the_hosts_choice() {
        assert_ne!(ActorId::try_new("Mgr-1"), ActorId::try_new("mgr-1"));
        // "é" precomposed and as "e" plus a combining accent: both valid, not equal.
        assert_ne!(
            ActorId::try_new("Jos\u{e9}"),
            ActorId::try_new("Jose\u{301}")
        );
    }

    #[test]
    fn empty_and_surrounding_whitespace_are_refused() {
        assert_eq!(validate(""), Err(IdentifierError::Empty));
        assert_eq!(
            IdentifierError::Empty.to_string(),
            "an identifier cannot be empty"
        );
        for (id, character) in [
            (" mgr-1", ' '),
            ("mgr-1 ", ' '),
            ("mgr-1\n", '\n'),
            ("\u{a0}mgr-1", '\u{a0}'),
            ("mgr-1\u{3000}", '\u{3000}'),
            (" ", ' '),
        ] {
            assert_eq!(
                validate(id),
                Err(IdentifierError::SurroundingWhitespace {
                    id: id.into(),
                    character
                }),
                "{id:?}"
            );
        }
        assert_eq!(
            validate("\tmgr-1").unwrap_err().to_string(),
            "the identifier \"\\tmgr-1\" starts or ends with whitespace (U+0009 (tab)); remove it"
        );
    }

    #[test]
    fn control_characters_are_refused_with_their_code_point() {
        for (id, character, at) in [
            ("mgr\t1", '\t', 3),
            ("mgr\u{0}1", '\0', 3),
            ("a\u{7f}", '\u{7f}', 1),
            ("a\u{85}b", '\u{85}', 1),
            ("é\u{1b}", '\u{1b}', 2),
            ("a\u{2028}b", '\u{2028}', 1),
            ("a\u{2029}b", '\u{2029}', 1),
        ] {
            assert_eq!(
                validate(id),
                Err(IdentifierError::ControlCharacter {
                    id: id.into(),
                    character,
                    at
                }),
                "{id:?}"
            );
        }
        assert_eq!(
            validate("mgr\r1").unwrap_err().to_string(),
            "the identifier \"mgr\\r1\" contains the control character U+000D (carriage return) \
             at byte 3; identifiers must be printable"
        );
        assert_eq!(
            validate("a\u{7}b").unwrap_err().to_string(),
            "the identifier \"a\\u{7}b\" contains the control character U+0007 at byte 1; \
             identifiers must be printable"
        );
    }

    #[test]
    fn invisible_characters_are_refused_with_their_code_point() {
        let invisible = [
            '\u{ad}',
            '\u{34f}',
            '\u{61c}',
            '\u{115f}',
            '\u{180e}',
            '\u{200b}',
            '\u{200c}',
            '\u{200d}',
            '\u{200e}',
            '\u{200f}',
            '\u{202a}',
            '\u{202b}',
            '\u{202c}',
            '\u{202d}',
            '\u{202e}',
            '\u{2060}',
            '\u{2064}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{206f}',
            '\u{3164}',
            '\u{fe0f}',
            '\u{feff}',
            '\u{ffa0}',
            '\u{fffb}',
            '\u{110bd}',
            '\u{1343f}',
            '\u{1d17a}',
            '\u{e0001}',
            '\u{e007f}',
            '\u{e0100}',
            '\u{e01ef}',
        ];
        for character in invisible {
            let id = format!("mgr-1{character}x");
            assert_eq!(
                validate(&id),
                Err(IdentifierError::InvisibleCharacter {
                    id: id.clone(),
                    character,
                    at: 5
                }),
                "{:04X}",
                u32::from(character)
            );
        }
        // The neighbours of the ranges are visible.
        for visible in [
            '\u{ac}', '\u{ae}', '\u{200a}', '\u{2010}', '\u{2065}', '\u{2070}', '\u{fffc}',
        ] {
            assert!(!is_invisible(visible), "{:04X}", u32::from(visible));
        }
        assert_eq!(
            validate("mgr-1\u{200b}").unwrap_err().to_string(),
            "the identifier \"mgr-1\\u{200b}\" contains the invisible character \
             U+200B (zero width space) at byte 5; it would look the same as an identifier without it"
        );
        assert_eq!(
            validate("a\u{202e}b").unwrap_err().to_string(),
            "the identifier \"a\\u{202e}b\" contains the invisible character \
             U+202E (right-to-left override) at byte 1; it would look the same as an identifier without it"
        );
    }

    #[test]
    fn the_invisible_table_is_sorted_so_binary_search_finds_every_range() {
        for pair in INVISIBLE.windows(2) {
            assert!(pair[0].1 < pair[1].0, "{pair:?}");
        }
        for &(low, high) in INVISIBLE {
            assert!(low <= high);
            assert!(is_invisible(low) && is_invisible(high));
        }
    }

    #[test]
    fn code_points_are_named_when_common() {
        let shown = |c| CodePoint(c).to_string();
        assert_eq!(shown('\u{feff}'), "U+FEFF (byte order mark)");
        assert_eq!(shown('\u{2069}'), "U+2069 (pop directional isolate)");
        assert_eq!(shown('\u{e0001}'), "U+E0001");
        assert_eq!(shown(' '), "U+0020 (space)");
    }

    #[test]
    fn every_boundary_refuses_a_bad_identifier() {
        let bad = "mgr-1\u{200b}";
        let expected = IdentifierError::InvisibleCharacter {
            id: bad.into(),
            character: '\u{200b}',
            at: 5,
        };
        assert_eq!(ActorId::try_new(bad), Err(expected.clone()));
        assert_eq!(bad.parse::<ActorId>(), Err(expected.clone()));
        assert_eq!(ActorId::new(bad).validate(), Err(expected.clone()));
        assert_eq!(ActorId::new("mgr-1").validate(), Ok(()));
        let json = serde_json::to_string(bad).unwrap();
        let err = serde_json::from_str::<ActorId>(&json).unwrap_err();
        assert!(
            err.to_string()
                .starts_with(&format!("invalid ActorId: {expected}")),
            "{err}"
        );
        let err = serde_json::from_str::<CaseId>("\"\"").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("invalid CaseId: an identifier cannot be empty"),
            "{err}"
        );
        let err = serde_json::from_str::<CaseId>("17").unwrap_err();
        assert!(err.to_string().contains("a string (CaseId)"), "{err}");
        // Escaped and borrowed strings take the same path.
        assert_eq!(
            serde_json::from_str::<OptionId>("\"opt\\u002d1\"").unwrap(),
            OptionId::new("opt-1")
        );
    }

    #[test]
    fn errors_serialize_with_a_problem_tag() {
        let err = validate("a\u{200b}").unwrap_err();
        let json = serde_json::to_string(&err).unwrap();
        assert_eq!(
            json,
            r#"{"problem":"invisible_character","id":"a\u200b","character":"\u200b","at":1}"#
                .replace("\\u200b", "\u{200b}")
        );
        assert_eq!(serde_json::from_str::<IdentifierError>(&json).unwrap(), err);
        assert_eq!(
            serde_json::to_string(&IdentifierError::Empty).unwrap(),
            r#"{"problem":"empty"}"#
        );
    }
}
