//! The protocol's Rust surface: the typed entry point, the accessors, the error texts,
//! histories that do not belong together, and `handle` on any text at all.

use proptest::prelude::*;
use serde_json::{Value, json};
use service_recovery::history::{StoredEvent, Upcasters};
use service_recovery::prelude::*;
use service_recovery::protocol::{
    DecideRequest, ErrorCode, NextActionsRequest, PROTOCOL_VERSION, Protocol, ProtocolError,
    RejectionReply, Request, Response, VerifyRequest, ViolationCode,
};
use service_recovery::testing::*;

fn host() -> Protocol {
    Protocol::new().with_policy("standard", Policy::default())
}

fn opened(case: &str) -> Vec<StoredEvent> {
    let events = decide(None, &open_case_as(case), &dana(), t0(), &Policy::default()).unwrap();
    events
        .iter()
        .map(|e| StoredEvent::encode(&CaseId::new(case), e).unwrap())
        .collect()
}

fn decide_request(history: Option<Vec<StoredEvent>>, command: Command) -> DecideRequest {
    DecideRequest {
        protocol: PROTOCOL_VERSION,
        expected_version: history.as_ref().map_or(0, |h| h.len() as u64),
        history,
        command,
        actor: dana(),
        at: at(1),
        policy: "standard".into(),
    }
}

fn error_of(response: Response) -> ProtocolError {
    match response {
        Response::Error(failed) => {
            assert_eq!(failed.protocol, PROTOCOL_VERSION);
            failed.error
        }
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn requests_and_responses_name_themselves() {
    let decide = Request::from(decide_request(None, open_case()));
    assert_eq!((decide.name(), decide.protocol()), ("decide", 1));
    let next = Request::from(NextActionsRequest {
        protocol: 7,
        history: None,
        actor: dana(),
        at: t0(),
        policy: "standard".into(),
    });
    assert_eq!((next.name(), next.protocol()), ("next_actions", 7));
    assert_eq!(Request::NAMES, ["decide", "next_actions", "verify"]);
    let verify = Request::from(VerifyRequest {
        protocol: 3,
        history: Vec::new(),
        policy: "standard".into(),
    });
    assert_eq!((verify.name(), verify.protocol()), ("verify", 3));

    let accepted = host().handle_request(decide);
    assert_eq!((accepted.outcome(), accepted.protocol()), ("accepted", 1));
    let refused = host().handle_request(Request::from(decide_request(None, thank())));
    assert_eq!(refused.outcome(), "rejected");
    let error = Response::error(ProtocolError::new(ErrorCode::Internal, "x"));
    assert_eq!((error.outcome(), error.protocol()), ("error", 1));
    assert_eq!(
        Response::OUTCOMES,
        [
            "accepted",
            "rejected",
            "next_actions",
            "verified",
            "violated",
            "error"
        ]
    );
    let unread = host().handle_request(verify);
    assert_eq!((unread.outcome(), unread.protocol()), ("error", 1));
    let empty = host().handle_request(Request::from(VerifyRequest {
        protocol: 1,
        history: Vec::new(),
        policy: "standard".into(),
    }));
    assert_eq!((empty.outcome(), empty.protocol()), ("violated", 1));
    let Response::Violated(violated) = &empty else {
        panic!("{empty:?}")
    };
    assert_eq!(violated.violation.code, ViolationCode::EmptyHistory);
    let listed = host().handle_request(next.clone());
    let Response::Error(_) = &listed else {
        panic!("{listed:?}")
    };
    let Request::NextActions(mut next) = next else {
        unreachable!()
    };
    next.protocol = 1;
    let listed = host().handle_request(Request::from(next));
    assert_eq!((listed.outcome(), listed.protocol()), ("next_actions", 1));
}

#[test]
fn a_typed_request_of_another_version_is_refused_with_its_number() {
    let mut request = decide_request(None, open_case());
    request.protocol = 2;
    let error = error_of(host().handle_request(Request::from(request)));
    assert_eq!(error.code, ErrorCode::UnknownProtocolVersion);
    assert_eq!(
        error.to_string(),
        "unknown_protocol_version: the request is written for protocol version 2; \
         this host speaks version 1"
    );
}

#[test]
fn every_error_code_reads_as_its_json() {
    for code in ErrorCode::ALL {
        assert_eq!(
            serde_json::to_value(code).unwrap(),
            json!(code.as_str()),
            "{code:?}"
        );
        assert_eq!(code.to_string(), code.as_str());
    }
    assert_eq!(ErrorCode::ALL.len(), 9);
    assert_eq!(ErrorCode::Internal.as_str(), "internal");
    assert_eq!(ErrorCode::MalformedJson.as_str(), "malformed_json");
}

#[test]
fn a_rejection_reply_carries_code_category_sentence_and_data() {
    let rejection = Rejection::StepOutOfOrder {
        step: service_recovery::playbook::StepKind::Explain,
        missing: vec![
            service_recovery::playbook::StepKind::Thank,
            service_recovery::playbook::StepKind::Apologize,
        ],
    };
    let reply = RejectionReply::new(&rejection);
    assert_eq!(reply.code, "step_out_of_order");
    assert_eq!(reply.category, RejectionCategory::Case);
    assert_eq!(
        reply.message,
        "you cannot explain what happened yet: first thank the customer and apologize"
    );
    let back: Rejection = serde_json::from_value(reply.details).unwrap();
    assert_eq!(back, rejection);
}

#[test]
fn events_of_another_case_make_the_history_invalid() {
    let mut history = opened("case-1");
    history[0].case = CaseId::new("case-2");
    let error =
        error_of(host().handle_request(Request::from(decide_request(Some(history), thank()))));
    assert_eq!(error.code, ErrorCode::InvalidHistory);
    assert_eq!(
        error.message,
        "the events are filed under case case-2, but they open case case-1"
    );

    let mut mixed = opened("case-1");
    let mut thanked =
        host().handle_request(Request::from(decide_request(Some(mixed.clone()), thank())));
    let Response::Accepted(accepted) = &mut thanked else {
        panic!("{thanked:?}")
    };
    let mut second = accepted.events.remove(0);
    second.case = CaseId::new("case-9");
    mixed.push(second);
    let error =
        error_of(host().handle_request(Request::from(decide_request(Some(mixed), apologize()))));
    assert_eq!(error.code, ErrorCode::InvalidHistory);
    assert_eq!(
        error.message,
        "event 2 belongs to case case-9, but the history starts with case case-1"
    );
}

#[test]
fn accepted_events_continue_the_history_and_name_its_case() {
    let history = opened("case-7");
    let response = host().handle_request(Request::from(decide_request(Some(history), thank())));
    let Response::Accepted(accepted) = response else {
        panic!("{response:?}")
    };
    assert_eq!(accepted.events.len(), 1);
    assert_eq!(accepted.events[0].sequence, 2);
    assert_eq!(accepted.events[0].case, CaseId::new("case-7"));
    assert_eq!(accepted.events[0].event_type, "thanked");
}

#[test]
fn the_host_lists_and_replaces_its_policies_and_reads_with_its_upcasters() {
    let host = Protocol::new()
        .with_policy("b", Policy::default())
        .with_policy("a", airline_policy())
        .with_policy("b", airline_policy());
    assert_eq!(host.policy_names().collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(host.policy("b"), Some(&airline_policy()));
    assert_eq!(host.policy("c"), None);
    let error =
        error_of(Protocol::new().handle_request(Request::from(decide_request(None, open_case()))));
    assert_eq!(error.code, ErrorCode::UnknownPolicy);
    assert_eq!(
        error.message,
        "this host has no policy \"standard\"; it has none"
    );

    // Without upcasters, an event of schema version 1 cannot be read.
    let mut old = opened("case-1");
    old[0].schema_version = 1;
    let strict = Protocol::new()
        .with_policy("standard", Policy::default())
        .with_upcasters(Upcasters::none());
    let error = error_of(strict.handle_request(Request::from(decide_request(Some(old), thank()))));
    assert_eq!(error.code, ErrorCode::InvalidHistory);
    assert_eq!(
        error.message,
        "event 1 cannot be read: no upcaster is registered to read event schema version 1"
    );
}

#[test]
fn policies_that_are_not_json_are_refused_whole() {
    let error = Protocol::new().with_policies_json("[]").unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("the policies cannot be loaded: invalid type: sequence"),
        "{error}"
    );
}

fn handled(text: &str) -> Value {
    serde_json::from_str(&host().handle(text)).unwrap()
}

#[test]
fn text_that_is_not_a_request_gets_an_error_response() {
    for (text, code) in [
        ("", "malformed_json"),
        ("null", "malformed_json"),
        ("\"decide\"", "malformed_json"),
        (r#"{"protocol": "1"}"#, "unknown_protocol_version"),
        (r#"{"protocol": 1.0}"#, "unknown_protocol_version"),
        (r#"{"protocol": 1}"#, "unknown_request"),
        (r#"{"protocol": 1, "request": 3}"#, "unknown_request"),
        (r#"{"protocol": 1, "request": "decide"}"#, "invalid_request"),
    ] {
        let response = handled(text);
        assert_eq!(response["outcome"], "error", "{text}");
        assert_eq!(response["error"]["code"], code, "{text}: {response}");
        assert_eq!(response["protocol"], 1);
    }
    assert_eq!(
        handled(r#"{"protocol": 1}"#)["error"]["message"],
        "the request has no \"request\" field; the requests are decide, next_actions, verify"
    );
    assert_eq!(
        handled("null")["error"]["message"],
        "a request is a JSON object, not null"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever the text, the answer is one well-formed response.
    #[test]
    fn handle_answers_any_text(text in "\\PC{0,200}") {
        let response: Response = serde_json::from_str(&host().handle(&text)).unwrap();
        prop_assert_eq!(response.protocol(), PROTOCOL_VERSION);
    }

    /// A good request with one character changed still gets one response.
    #[test]
    fn handle_answers_a_damaged_request(at in 0usize..2_000, with in any::<char>()) {
        let request = serde_json::to_string(&Request::from(decide_request(
            Some(opened("case-1")),
            thank(),
        )))
        .unwrap();
        let mut chars: Vec<char> = request.chars().collect();
        let at = at % chars.len();
        chars[at] = with;
        let text: String = chars.into_iter().collect();
        let response: Response = serde_json::from_str(&host().handle(&text)).unwrap();
        prop_assert!(Response::OUTCOMES.contains(&response.outcome()));
    }
}
