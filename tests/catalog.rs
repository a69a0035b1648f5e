//! Rejection messages come from catalogs: the built-in English one, and a host's own
//! (`tests/data/catalog_fr.json` proves a second language works). Every code has a
//! sample in `tests/data/rejections.json`, so a new code without a message or a
//! sample fails here.

use service_recovery::case::{Catalog, CatalogError};
use service_recovery::{NextAction, Rejection};
use std::collections::BTreeSet;
use std::path::Path;

fn data(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name),
    )
    .expect("test data exists")
}

fn samples() -> Vec<Rejection> {
    serde_json::from_str(&data("rejections.json")).expect("every sample deserializes strictly")
}

fn french() -> Catalog {
    Catalog::from_json(&data("catalog_fr.json")).expect("the French catalog is complete")
}

#[test]
fn every_code_has_a_sample() {
    let sampled: BTreeSet<&str> = samples().iter().map(Rejection::code).collect();
    let codes: BTreeSet<&str> = Rejection::CODES.iter().copied().collect();
    let missing: Vec<_> = codes.difference(&sampled).collect();
    assert!(
        missing.is_empty(),
        "codes without a sample in tests/data/rejections.json: {missing:?}"
    );
    assert_eq!(
        samples().len(),
        Rejection::CODES.len(),
        "one sample per code"
    );
}

#[test]
fn every_message_fills_every_placeholder_in_both_languages() {
    let french = french();
    assert_eq!(french.language(), "fr");
    for rejection in samples() {
        for catalog in [Catalog::english(), &french] {
            let message = rejection.message_in(catalog);
            // An unfilled placeholder renders as `{name}`; none of the messages has
            // a literal brace.
            assert!(
                !message.contains('{') && !message.contains('}') && !message.is_empty(),
                "{} in {}: {message}",
                rejection.code(),
                catalog.language()
            );
        }
        assert_ne!(rejection.message_in(&french), rejection.to_string());
    }
}

#[test]
fn display_is_the_english_catalog() {
    for rejection in samples() {
        assert_eq!(
            rejection.to_string(),
            rejection.message_in(Catalog::english())
        );
    }
}

/// The message of the sample with this code.
fn message(code: &str, catalog: &Catalog) -> String {
    samples()
        .into_iter()
        .find(|r| r.code() == code)
        .map(|r| r.message_in(catalog))
        .expect("a sample")
}

#[test]
fn composite_messages_read_as_sentences_in_both_languages() {
    let en = Catalog::english();
    let fr = french();
    assert_eq!(
        message("approval_needed", en),
        "the refund of USD 420.00 needs a waiver of non-refundable-fare from a manager; \
         requested by Dana at 14:02 UTC on 2026-03-02; not yet granted"
    );
    assert_eq!(
        message("approval_needed", &fr),
        "l'option « refund » de USD 420.00 exige a waiver of non-refundable-fare from a \
         manager ; demandée par Dana le 2026-03-02 à 14:02 UTC ; pas encore accordée"
    );
    assert_eq!(
        message("approval_already_requested", en),
        "approval for option o-1 was already requested by Dana at 14:02 UTC on 2026-03-02; \
         withdraw that request first"
    );
    assert_eq!(
        message("approval_conflict", en),
        "Dana cannot approve option o-1: Dana already granted level 1 of this request; \
         each level needs a different person"
    );
    assert_eq!(
        message("approval_conflict", &fr),
        "Dana ne peut pas approuver l'option o-1 : Dana a déjà accordé le niveau 1 de cette \
         demande ; chaque niveau exige une personne différente"
    );
    assert_eq!(
        message("approval_denied", en),
        "the upgrade cannot be offered: Mo denied approval at 15:00 UTC on 2026-03-02: \
         \"no seats\"; it can be offered only once a new request is granted"
    );
    assert_eq!(
        message("required_steps_missing", en),
        "the case cannot close yet: first thank the customer, apologize and explain what happened"
    );
    assert_eq!(
        message("required_steps_missing", &fr),
        "le dossier ne peut pas encore être clos : d'abord thank the customer, apologize et \
         explain what happened"
    );
    assert_eq!(
        message("words_need_work", en),
        "the words to apologize need another try: \u{201c}sorry if\u{201d}: hedges the apology \
         (try: I'm sorry that …)"
    );
    assert_eq!(
        message("goodwill_limit_exceeded", en),
        "a goodwill gesture worth EUR 50.00 would bring Amara Okafor's goodwill in the last \
         365 days from EUR 80.00 to EUR 130.00, over the limit of EUR 100.00"
    );
    assert_eq!(
        message("commitments_open", en),
        "the case cannot close while promises to the customer are open: p-1, p-2; keep, \
         break or cancel them (with a reason) first"
    );
    assert_eq!(
        message("delegation_not_in_force", en),
        "the delegation from Mo runs from 00:00 UTC on 2026-03-01 until 00:00 UTC on \
         2026-03-08; it is not in force now"
    );
}

#[test]
fn the_composite_details_display_as_their_rejection() {
    for rejection in samples() {
        let detail = match &rejection {
            Rejection::ApprovalNeeded { gap, .. } => gap.to_string(),
            Rejection::ApprovalDenied { denial, .. } => denial.to_string(),
            Rejection::ApprovalRequirementRaised { raised, .. } => raised.to_string(),
            Rejection::NotAuthorizedToApprove { refusal, .. } => refusal.to_string(),
            Rejection::GoodwillLimitExceeded(over) => over.to_string(),
            Rejection::GoodwillNeedsApproval(gap) => gap.to_string(),
            _ => continue,
        };
        assert_eq!(detail, rejection.to_string());
    }
}

#[test]
fn samples_round_trip_and_unknown_fields_are_refused() {
    let text = data("rejections.json");
    let original: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let again = serde_json::to_value(samples()).expect("serializes");
    assert_eq!(again, original);
    let extra = r#"{"code":"blank","field":"apology","severity":"high"}"#;
    let err = serde_json::from_str::<Rejection>(extra).expect_err("unknown field");
    assert!(err.to_string().contains("severity"), "{err}");
}

#[test]
fn next_actions_deserialize_strictly() {
    let allowed = r#"{"intent":{"intent":"offer_option","target":"o-1"},"blocked":null}"#;
    let action: NextAction = serde_json::from_str(allowed).expect("a next action");
    assert!(action.is_allowed());
    assert_eq!(serde_json::to_string(&action).expect("serializes"), allowed);
    let blocked = r#"{"intent":{"intent":"explain"},"blocked":{"code":"step_out_of_order","step":"explain","missing":["thank"]}}"#;
    let action: NextAction = serde_json::from_str(blocked).expect("a blocked next action");
    assert_eq!(
        action.to_string(),
        "explain what happened: not now, because you cannot explain what happened yet: first thank the customer"
    );
    let extra = r#"{"intent":{"intent":"explain"},"blocked":null,"why":"x"}"#;
    let err = serde_json::from_str::<NextAction>(extra).expect_err("unknown field");
    assert!(err.to_string().contains("why"), "{err}");
}

/// The French catalog with one edit.
fn french_with(edit: impl FnOnce(&mut serde_json::Value)) -> Result<Catalog, CatalogError> {
    let mut value: serde_json::Value =
        serde_json::from_str(&data("catalog_fr.json")).expect("JSON");
    edit(&mut value);
    Catalog::from_json(&value.to_string())
}

#[test]
fn loading_is_strict_and_names_the_problem() {
    let err = french_with(|v| {
        v["messages"]
            .as_object_mut()
            .expect("map")
            .remove("same_owner");
    })
    .expect_err("missing message");
    assert_eq!(
        err,
        CatalogError::MissingMessage {
            code: "same_owner".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "the catalog has no message for the rejection code \"same_owner\""
    );

    let err = french_with(|v| v["messages"]["same_ownr"] = "x".into()).expect_err("unknown code");
    assert_eq!(
        err.to_string(),
        "the catalog has a message for \"same_ownr\", which is not a rejection code"
    );

    let err = french_with(|v| {
        v["phrases"].as_object_mut().expect("map").remove("moment");
    })
    .expect_err("missing phrase");
    assert_eq!(err.to_string(), "the catalog has no phrase \"moment\"");

    let err = french_with(|v| v["phrases"]["greeting"] = "x".into()).expect_err("unknown phrase");
    assert_eq!(
        err.to_string(),
        "the catalog has a phrase \"greeting\", which the messages do not use"
    );

    let err = french_with(|v| v["messages"]["same_owner"] = "{person} est responsable".into())
        .expect_err("unknown placeholder");
    assert_eq!(
        err.to_string(),
        "the text for \"same_owner\" uses the placeholder {person}, which it does not provide \
         (it provides: owner)"
    );

    let err = french_with(|v| v["messages"]["same_owner"] = "{owner est responsable".into())
        .expect_err("unclosed brace");
    assert_eq!(
        err.to_string(),
        "the text for \"same_owner\" is not a valid template: a `{` is not closed (write `{{` for a brace)"
    );

    let err = french_with(|v| v["dialect"] = "québécois".into()).expect_err("unknown field");
    assert!(
        matches!(&err, CatalogError::Json { reason } if reason.contains("dialect")),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("the catalog is not in the catalog's JSON form: ")
    );
}

#[test]
fn placeholders_are_published_for_catalog_writers() {
    for code in Rejection::CODES {
        assert!(Catalog::placeholders(code).is_some(), "{code}");
    }
    assert_eq!(
        Catalog::placeholders("approval_conflict"),
        Some(&["option", "person", "conflict"][..])
    );
    assert_eq!(Catalog::placeholders("finding_separator"), Some(&[][..]));
}
