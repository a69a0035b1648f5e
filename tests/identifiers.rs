//! Identifier rules at the trust boundary (issue 10, defect 4): identifiers compare
//! exactly, and text that would let two people look the same is refused wherever it
//! comes in: JSON, `try_new`, `parse`, and the acting person given to `decide`.

use serde_json::json;
use service_recovery::approval::Role;
use service_recovery::id::{ActorId, IdentifierError};
use service_recovery::prelude::*;
use service_recovery::testing::{dana, mo, open_case, t0, thank};

const HIDDEN: &str = "mgr-1\u{200b}";

fn hidden_error() -> IdentifierError {
    IdentifierError::InvisibleCharacter {
        id: HIDDEN.into(),
        character: '\u{200b}',
        at: 5,
    }
}

#[test]
fn ids_differing_only_in_case_stay_different_people() {
    // Documented: identifiers compare byte for byte; the host chooses their case.
    let upper: ActorId = "Mgr-1".parse().unwrap();
    let lower: ActorId = "mgr-1".parse().unwrap();
    assert_ne!(upper, lower);
    let from_json: ActorRef = serde_json::from_value(json!({"id": "Mgr-1", "name": "Mo"})).unwrap();
    assert_eq!(from_json.id, upper);
}

#[test]
fn a_zero_width_space_is_refused_from_json() {
    let error = serde_json::from_value::<ActorRef>(json!({"id": HIDDEN, "name": "Mo"}))
        .expect_err("a hidden character must not pass");
    assert!(
        error
            .to_string()
            .contains("invalid ActorId: the identifier \"mgr-1\\u{200b}\" contains the invisible character U+200B (zero width space) at byte 5"),
        "{error}"
    );
    // The same inside a command, for every identifier type.
    let error = serde_json::from_value::<Command>(json!({"command": "grant_approval",
        "option": "o-1\u{200d}", "level": 1, "reason": "seen"}))
    .expect_err("a joiner in an option id must not pass");
    assert!(error.to_string().contains("invalid OptionId"), "{error}");
    let error = serde_json::from_value::<Actor>(json!({"id": "a-1", "name": "Dana",
        "roles": ["manager\u{202e}"]}))
    .expect_err("a bidi control in a role must not pass");
    assert!(error.to_string().contains("invalid Role"), "{error}");
}

#[test]
fn a_zero_width_space_is_refused_by_try_new_and_parse() {
    assert_eq!(ActorId::try_new(HIDDEN), Err(hidden_error()));
    assert_eq!(HIDDEN.parse::<CaseId>().map(|_| ()), Err(hidden_error()));
    assert_eq!(
        Role::try_new(" manager").map(|_| ()),
        Err(IdentifierError::SurroundingWhitespace {
            id: " manager".into(),
            character: ' ',
        })
    );
    assert_eq!(
        OptionId::try_new("").map(|_| ()),
        Err(IdentifierError::Empty)
    );
}

#[test]
fn a_zero_width_space_in_the_acting_person_is_refused_by_decide() {
    let policy = Policy::default();
    let mut impostor = mo();
    impostor.id = ActorId::new(HIDDEN);
    let expected = Rejection::InvalidIdentifier {
        identifier: hidden_error(),
    };
    // Opening a case, where no case exists yet.
    assert_eq!(
        decide(None, &open_case(), &impostor, t0(), &policy),
        Err(expected.clone())
    );
    // And any command on an open case, before any other rule.
    let case = Case::replay(decide(None, &open_case(), &dana(), t0(), &policy).unwrap()).unwrap();
    let refused = decide(Some(&case), &thank(), &impostor, t0(), &policy).unwrap_err();
    assert_eq!(refused, expected);
    assert_eq!(refused.code(), "invalid_identifier");
    assert!(refused.is_infrastructure());
    assert_eq!(
        refused.to_string(),
        "the acting person's identifier cannot be used: the identifier \"mgr-1\\u{200b}\" \
         contains the invisible character U+200B (zero width space) at byte 5; it would look \
         the same as an identifier without it"
    );
    assert!(Rejection::CODES.contains(&"invalid_identifier"));
    // Its JSON form round-trips like every rejection's.
    let json = serde_json::to_value(&refused).unwrap();
    assert_eq!(json["code"], "invalid_identifier");
    assert_eq!(json["identifier"]["problem"], "invisible_character");
    assert_eq!(serde_json::from_value::<Rejection>(json).unwrap(), refused);
    // A valid actor is unaffected.
    assert!(decide(Some(&case), &thank(), &dana(), t0(), &policy).is_ok());
}

#[test]
fn an_imported_log_refuses_a_case_id_with_a_hidden_character() {
    use service_recovery::import::{ImportConfig, ImportError, import_csv};
    let config: ImportConfig = serde_json::from_value(json!({
        "columns": {"case": "ticket", "activity": "step", "timestamp": "when"},
        "timestamp_format": "%d/%m/%Y %H:%M",
        "clock": "utc",
        "activities": {"new": {"name": "New ticket", "role": "open"}},
        "root_cause": "unknown"
    }))
    .unwrap();
    let csv = "ticket,step,when\nA\u{feff},new,01/03/2024 09:00\n";
    let error = import_csv(csv, &config).unwrap_err();
    assert_eq!(
        error,
        ImportError::InvalidCaseId {
            line: 2,
            identifier: IdentifierError::InvisibleCharacter {
                id: "A\u{feff}".into(),
                character: '\u{feff}',
                at: 1
            }
        }
    );
    assert_eq!(
        error.to_string(),
        "line 2: the identifier \"A\\u{feff}\" contains the invisible character U+FEFF \
         (byte order mark) at byte 1; it would look the same as an identifier without it"
    );
    assert!(import_csv("ticket,step,when\nA,new,01/03/2024 09:00\n", &config).is_ok());
}
