//! Every event as a line of a case's timeline: the committed wire fixture (one event of
//! every kind) paired with the line a person reads, then the optional parts each kind
//! may leave out. A changed sentence is a changed line here.

use service_recovery::Event;

const FIXTURE: &str = include_str!("fixtures/wire/events.json");

/// The fixture's events, in order, as their timeline lines.
const LINES: &[(&str, &str)] = &[
    (
        "opened",
        "2026-03-02 14:00 UTC  Dana opened case case-1 for Amara Okafor via phone: parcel \
         sent to the wrong address (major severity, high priority)",
    ),
    (
        "thanked",
        "2026-03-02 14:01 UTC  Dana thanked the customer: \"Thank you for telling us.\"",
    ),
    (
        "apologized",
        "2026-03-02 14:02 UTC  Dana apologized: \"I am sorry.\"",
    ),
    (
        "question_asked",
        "2026-03-02 14:03 UTC  Dana asked a probing question: \"Why does Friday matter?\"",
    ),
    (
        "answer_recorded",
        "2026-03-02 14:04 UTC  Dana recorded the customer's answer: \"a birthday\"",
    ),
    (
        "goal_recorded",
        "2026-03-02 14:05 UTC  Dana recorded the customer's goal: \"the parcel by Friday\" \
         (expected: \"on time\")",
    ),
    (
        "explained",
        "2026-03-02 14:06 UTC  Dana explained: \"Two labels were swapped.\"",
    ),
    (
        "option_proposed",
        "2026-03-02 14:07 UTC  Dana proposed option o-1: Full refund",
    ),
    (
        "option_revised",
        "2026-03-02 14:08 UTC  Dana revised option o-1: Half refund",
    ),
    (
        "option_offered",
        "2026-03-02 14:09 UTC  Dana offered option o-1",
    ),
    (
        "offer_accepted",
        "2026-03-02 14:10 UTC  Dana recorded that the customer accepted option o-1",
    ),
    (
        "offer_declined",
        "2026-03-02 14:11 UTC  Dana recorded that the customer declined option o-2: \
         \"not enough\"",
    ),
    (
        "action_agreed",
        "2026-03-02 14:12 UTC  Dana agreed with the customer to refund by Friday",
    ),
    (
        "action_carried_out",
        "2026-03-02 14:13 UTC  Dana carried out: refunded",
    ),
    (
        "goodwill_given",
        "2026-03-02 14:14 UTC  Dana made a goodwill gesture: flowers (worth EUR 25.00)",
    ),
    (
        "final_thanks_given",
        "2026-03-02 14:15 UTC  Dana gave final thanks: \"Thank you for your patience.\"",
    ),
    (
        "closed",
        "2026-03-02 14:16 UTC  Dana closed the case; root cause (warehouse): swapped labels",
    ),
    (
        "reopened",
        "2026-03-02 14:17 UTC  Dana reopened the case: never came",
    ),
    (
        "withdrawn",
        "2026-03-02 14:18 UTC  Dana recorded that the customer withdrew: customer withdrew",
    ),
    (
        "channel_changed",
        "2026-03-02 14:19 UTC  Dana moved the conversation from phone to web form",
    ),
    (
        "reassigned",
        "2026-03-02 14:20 UTC  Dana handed the case from Dana to Sam: shift change",
    ),
    (
        "note_added",
        "2026-03-02 14:21 UTC  Dana noted: called the courier",
    ),
    (
        "approval_requested",
        "2026-03-02 14:22 UTC  Dana requested approval for option o-1 (refund of USD 420.00 \
         (waiving non-refundable-fare)), which needs a waiver of non-refundable-fare from 2 \
         managers: \"medical\"",
    ),
    (
        "approval_granted",
        "2026-03-02 14:23 UTC  Lee granted approval from a manager (level 1) for option o-1 \
         on behalf of Mo, valid until 2026-03-09 10:00 UTC: \"seen\"",
    ),
    (
        "approval_denied",
        "2026-03-02 14:24 UTC  Mo denied approval for option o-1: \"no certificate\"",
    ),
    (
        "approval_request_withdrawn",
        "2026-03-02 14:25 UTC  Dana withdrew the approval request for option o-1: voucher \
         instead",
    ),
    (
        "approvals_voided",
        "2026-03-02 14:26 UTC  Dana voided the approvals of option o-1, because its terms \
         changed",
    ),
    (
        "awaiting_customer",
        "2026-03-02 14:27 UTC  Dana set the case to wait on the customer: receipt",
    ),
    (
        "awaiting_third_party",
        "2026-03-02 14:28 UTC  Dana set the case to wait on courier: tracing",
    ),
    ("resumed", "2026-03-02 14:29 UTC  Dana ended the wait"),
    (
        "sla_warned",
        "2026-03-02 14:30 UTC  Dana noted that 75 % of the first response target has passed",
    ),
    (
        "sla_breached",
        "2026-03-02 14:31 UTC  Dana noted that the resolution target was missed",
    ),
    (
        "commitment_made",
        "2026-03-02 14:32 UTC  Dana promised a new parcel by 2026-03-05 17:00 UTC (promise \
         re-ship, kept by Dana)",
    ),
    (
        "commitment_kept",
        "2026-03-02 14:33 UTC  Dana kept promise re-ship, on time",
    ),
    (
        "commitment_broken",
        "2026-03-02 14:34 UTC  Dana recorded that promise re-ship was broken: strike",
    ),
    (
        "commitment_cancelled",
        "2026-03-02 14:35 UTC  Dana cancelled promise re-ship: order cancelled",
    ),
    (
        "survey_recorded",
        "2026-03-02 14:36 UTC  Dana recorded the survey: 2 of 5, \"still no parcel\"",
    ),
    (
        "recovery_spawned",
        "2026-03-02 14:37 UTC  Dana started the linked recovery case case-2: survey score 2",
    ),
    (
        "escalated",
        "2026-03-02 14:38 UTC  Dana escalated the case from Dana to Mo, raising its priority \
         from normal to urgent: the promise will break",
    ),
    // An offer written before events recorded the authority they relied on.
    (
        "option_offered",
        "2026-03-02 14:39 UTC  Dana offered option o-2",
    ),
];

/// Kinds with their optional parts left out (or other choices), as JSON and the line.
const VARIANTS: &[(&str, &str)] = &[
    (
        r#"{"type":"opened","case":"case-9","customer":{"id":"c-2","name":"Ivo","address_as":"Ivo"},
            "channel":{"medium":"social_media","platform":"Mastodon","public":true},
            "owner":{"id":"a-8","name":"Sam"},"complaint":{"summary":"rude reply"},
            "severity":"minor","priority":"urgent"}"#,
        "Sam opened case case-9 for Ivo via Mastodon (public): rude reply (minor severity, \
         urgent priority)",
    ),
    (
        r#"{"type":"goal_recorded","goal":"an apology"}"#,
        "Sam recorded the customer's goal: \"an apology\"",
    ),
    (
        r#"{"type":"offer_declined","option":"o-2"}"#,
        "Sam recorded that the customer declined option o-2",
    ),
    (
        r#"{"type":"goodwill_given","description":"a handwritten card"}"#,
        "Sam made a goodwill gesture: a handwritten card",
    ),
    (
        r#"{"type":"approval_requested","option":"o-3","resolution":{"kind":"upgrade",
            "description":"a better seat"},"requirement":{"levels":[]}}"#,
        "Sam requested approval for option o-3 (upgrade), which needs no approval",
    ),
    (
        r#"{"type":"approval_granted","option":"o-1","level":2,"granted":{"role":"supervisor",
            "approvers":1,"amount":{"minor":5000,"currency":"USD"},"waives":null,"because":[]},
            "reason":"fine"}"#,
        "Sam granted approval from a supervisor (level 2) for option o-1: \"fine\"",
    ),
    (
        r#"{"type":"approval_denied","option":"o-1","reason":"no","on_behalf_of":{"from":{
            "id":"m-1","name":"Mo","roles":["manager"],"limits":{"offer_per_option":[],
            "offer_per_case":[],"approve_up_to":[]}},"to":"a-8",
            "starts":"2026-03-01T00:00:00Z","ends":"2026-03-08T00:00:00Z"}}"#,
        "Sam denied approval for option o-1 on behalf of Mo: \"no\"",
    ),
    (
        r#"{"type":"escalated","from":{"id":"a-8","name":"Sam"},"to":{"id":"a-7","name":"Dana"},
            "previous_priority":"high","priority":"high","reason":"Dana knows the customer"}"#,
        "Sam escalated the case from Sam to Dana: Dana knows the customer",
    ),
    (
        r#"{"type":"survey_recorded","score":4}"#,
        "Sam recorded the survey: 4 of 5",
    ),
    (
        r#"{"type":"commitment_kept","commitment":"call","punctuality":"early"}"#,
        "Sam kept promise call, early",
    ),
    (
        r#"{"type":"commitment_kept","commitment":"call","punctuality":"late"}"#,
        "Sam kept promise call, late",
    ),
];

fn fixture() -> Vec<Event> {
    serde_json::from_str(FIXTURE).expect("the wire fixture parses")
}

#[test]
fn every_kind_of_event_reads_as_its_timeline_line() {
    let events = fixture();
    assert_eq!(events.len(), LINES.len(), "one line per fixture event");
    for (event, (kind, line)) in events.iter().zip(LINES) {
        assert_eq!(event.kind.name(), *kind);
        assert_eq!(event.kind.event_type().to_string(), *kind);
        assert_eq!(event.to_string(), *line, "the line of {kind}");
    }
}

#[test]
fn optional_parts_are_left_out_of_the_line() {
    for (kind, line) in VARIANTS {
        let json = format!(
            r#"{{"sequence":1,"at":"2026-03-02T14:00:00Z","actor":{{"id":"a-8","name":"Sam"}},"event":{kind}}}"#
        );
        let event: Event =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{kind} does not parse: {e}"));
        assert_eq!(
            event.kind.to_string(),
            line.strip_prefix("Sam ").expect("the actor leads")
        );
        assert_eq!(event.to_string(), format!("2026-03-02 14:00 UTC  {line}"));
    }
}

/// How many fields of each kind hold personal data, which redaction erases: a table,
/// so a field that silently joins or leaves the list is a visible change.
const PERSONAL_FIELDS: &[(&str, usize)] = &[
    ("opened", 5),
    ("thanked", 1),
    ("apologized", 1),
    ("question_asked", 1),
    ("answer_recorded", 1),
    ("goal_recorded", 2),
    ("explained", 1),
    ("option_proposed", 1),
    ("option_revised", 1),
    ("option_offered", 0),
    ("offer_accepted", 0),
    ("offer_declined", 1),
    ("action_agreed", 1),
    ("action_carried_out", 1),
    ("goodwill_given", 1),
    ("final_thanks_given", 1),
    ("closed", 1),
    ("reopened", 1),
    ("withdrawn", 1),
    ("channel_changed", 0),
    ("reassigned", 1),
    ("note_added", 1),
    ("approval_requested", 2),
    ("approval_granted", 1),
    ("approval_denied", 1),
    ("approval_request_withdrawn", 1),
    ("approvals_voided", 0),
    ("awaiting_customer", 1),
    ("awaiting_third_party", 1),
    ("resumed", 0),
    ("sla_warned", 0),
    ("sla_breached", 0),
    ("commitment_made", 1),
    ("commitment_kept", 0),
    ("commitment_broken", 1),
    ("commitment_cancelled", 1),
    ("survey_recorded", 1),
    ("recovery_spawned", 1),
    ("escalated", 1),
];

/// Optional personal fields the wire fixture does not fill in.
const ABSENT_IN_FIXTURE: &[&str] = &["customer.email"];

#[test]
fn every_personal_field_is_a_field_of_its_event() {
    let values: Vec<serde_json::Value> = serde_json::from_str(FIXTURE).expect("parses");
    // The fixture holds some kinds twice (an offer written before authority was
    // recorded): every kind must be seen, each counted once.
    let mut seen = std::collections::BTreeSet::new();
    for (event, value) in fixture().iter().zip(&values) {
        let kind = event.kind.event_type();
        let fields = kind.personal_data();
        let expected = PERSONAL_FIELDS
            .iter()
            .find(|(name, _)| *name == kind.name())
            .map(|(_, n)| *n);
        assert_eq!(Some(fields.len()), expected, "personal fields of {kind}");
        for path in fields {
            // Every path names a field the fixture's event of this kind fills in.
            let mut at = &value["event"];
            for part in path.split('.') {
                at = &at[part];
            }
            // Optional fields the fixture leaves out are listed by name.
            assert!(
                !at.is_null() || ABSENT_IN_FIXTURE.contains(path),
                "{kind}: {path} is not a field of {value}"
            );
        }
        seen.insert(kind.name());
    }
    assert_eq!(seen.len(), PERSONAL_FIELDS.len());
}
