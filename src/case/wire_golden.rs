//! The wire form never changes by accident: one instance of every command and every
//! event kind, committed as JSON under `tests/fixtures/wire/`, must parse and serialize
//! back to exactly the same JSON, and the stored envelope must carry it unchanged.
//! A new command or event kind does not compile here until it is given an index, and
//! the test fails until the fixture holds an instance of it.

use crate::case::{Command, Event, EventKind, EventType};
use crate::history::{StoredEvent, Upcasters};
use crate::id::CaseId;
use serde_json::Value;

const COMMANDS: &str = include_str!("../../tests/fixtures/wire/commands.json");
const EVENTS: &str = include_str!("../../tests/fixtures/wire/events.json");

fn command_index(command: &Command) -> usize {
    match command {
        Command::Open(_) => 0,
        Command::Thank(_) => 1,
        Command::Apologize(_) => 2,
        Command::AskQuestion(_) => 3,
        Command::RecordAnswer(_) => 4,
        Command::RecordGoal(_) => 5,
        Command::Explain(_) => 6,
        Command::ProposeOption(_) => 7,
        Command::ReviseOption(_) => 8,
        Command::OfferOption(_) => 9,
        Command::AcceptOffer(_) => 10,
        Command::DeclineOffer(_) => 11,
        Command::AgreeAction(_) => 12,
        Command::CarryOut(_) => 13,
        Command::Goodwill(_) => 14,
        Command::FinalThanks(_) => 15,
        Command::Close(_) => 16,
        Command::Reopen(_) => 17,
        Command::Withdraw(_) => 18,
        Command::ChangeChannel(_) => 19,
        Command::Reassign(_) => 20,
        Command::AddNote(_) => 21,
        Command::RequestApproval(_) => 22,
        Command::GrantApproval(_) => 23,
        Command::DenyApproval(_) => 24,
        Command::WithdrawApprovalRequest(_) => 25,
        Command::AwaitCustomer(_) => 26,
        Command::AwaitThirdParty(_) => 27,
        Command::Resume(_) => 28,
        Command::ReportTime(_) => 29,
        Command::MakeCommitment(_) => 30,
        Command::KeepCommitment(_) => 31,
        Command::BreakCommitment(_) => 32,
        Command::CancelCommitment(_) => 33,
        Command::RecordSurvey(_) => 34,
        Command::Escalate(_) => 35,
    }
}
const COMMAND_COUNT: usize = 36;

fn event_index(kind: &EventKind) -> usize {
    match kind {
        EventKind::Opened(_) => 0,
        EventKind::Thanked { .. } => 1,
        EventKind::Apologized { .. } => 2,
        EventKind::QuestionAsked { .. } => 3,
        EventKind::AnswerRecorded { .. } => 4,
        EventKind::GoalRecorded { .. } => 5,
        EventKind::Explained { .. } => 6,
        EventKind::OptionProposed { .. } => 7,
        EventKind::OptionRevised { .. } => 8,
        EventKind::OptionOffered { .. } => 9,
        EventKind::OfferAccepted { .. } => 10,
        EventKind::OfferDeclined { .. } => 11,
        EventKind::ActionAgreed { .. } => 12,
        EventKind::ActionCarriedOut { .. } => 13,
        EventKind::GoodwillGiven { .. } => 14,
        EventKind::FinalThanksGiven { .. } => 15,
        EventKind::Closed { .. } => 16,
        EventKind::Reopened { .. } => 17,
        EventKind::Withdrawn { .. } => 18,
        EventKind::ChannelChanged { .. } => 19,
        EventKind::Reassigned { .. } => 20,
        EventKind::NoteAdded { .. } => 21,
        EventKind::ApprovalRequested { .. } => 22,
        EventKind::ApprovalGranted { .. } => 23,
        EventKind::ApprovalDenied { .. } => 24,
        EventKind::ApprovalRequestWithdrawn { .. } => 25,
        EventKind::ApprovalsVoided { .. } => 26,
        EventKind::AwaitingCustomer { .. } => 27,
        EventKind::AwaitingThirdParty { .. } => 28,
        EventKind::Resumed {} => 29,
        EventKind::SlaWarned { .. } => 30,
        EventKind::SlaBreached { .. } => 31,
        EventKind::CommitmentMade { .. } => 32,
        EventKind::CommitmentKept { .. } => 33,
        EventKind::CommitmentBroken { .. } => 34,
        EventKind::CommitmentCancelled { .. } => 35,
        EventKind::SurveyRecorded { .. } => 36,
        EventKind::RecoverySpawned { .. } => 37,
        EventKind::Escalated { .. } => 38,
    }
}
const EVENT_COUNT: usize = 39;

fn values(text: &str) -> Vec<Value> {
    match serde_json::from_str(text) {
        Ok(Value::Array(values)) => values,
        other => panic!("the fixture is not a JSON array: {other:?}"),
    }
}

#[test]
fn every_command_keeps_its_committed_json() {
    let mut seen = [false; COMMAND_COUNT];
    for value in values(COMMANDS) {
        let command: Command = serde_json::from_value(value.clone())
            .unwrap_or_else(|e| panic!("{value} no longer parses: {e}"));
        assert_eq!(serde_json::to_value(&command).unwrap(), value);
        seen[command_index(&command)] = true;
    }
    let missing: Vec<usize> = (0..COMMAND_COUNT).filter(|i| !seen[*i]).collect();
    assert!(
        missing.is_empty(),
        "commands without a fixture: {missing:?}"
    );
}

#[test]
fn every_event_keeps_its_committed_json_in_memory_and_stored() {
    let mut seen = [false; EVENT_COUNT];
    let case = CaseId::new("case-1");
    for value in values(EVENTS) {
        let event: Event = serde_json::from_value(value.clone())
            .unwrap_or_else(|e| panic!("{value} no longer parses: {e}"));
        assert_eq!(serde_json::to_value(&event).unwrap(), value);
        seen[event_index(&event.kind)] = true;
        assert_eq!(value["event"]["type"], event.kind.name());
        assert!(EventType::ALL.contains(&event.kind.event_type()));

        // The stored envelope: the tag becomes `event_type`, the rest the payload.
        let stored = StoredEvent::encode(&case, &event).unwrap();
        let mut payload = value["event"].clone();
        let tag = payload.as_object_mut().unwrap().remove("type").unwrap();
        let envelope = serde_json::to_value(&stored).unwrap();
        assert_eq!(envelope["event_type"], tag);
        assert_eq!(envelope["payload"], payload);
        assert_eq!(stored.decode(&Upcasters::none()).unwrap(), event);
    }
    let missing: Vec<usize> = (0..EVENT_COUNT).filter(|i| !seen[*i]).collect();
    assert!(
        missing.is_empty(),
        "event kinds without a fixture: {missing:?}"
    );
}
