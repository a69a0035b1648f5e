//! Every short text a person reads on a help-desk screen, as tables of value and
//! expected words: channels, severities, priorities, intake signals, customer tiers,
//! statuses, steps, buttons, SLA clocks and agenda items. A changed word is a changed
//! line here.

use service_recovery::case::{
    CaseStatus, Conflict, Field, Intent, OptionStatus, QuestionKind, RejectionCategory,
};
use service_recovery::id::{ActionId, CaseId, CommitmentId, OptionId, QuestionId};
use service_recovery::playbook::StepKind;
use service_recovery::prelude::*;
use service_recovery::review::{Category, FindingSeverity};
use service_recovery::schedule::commitment::{CommitmentStatus, Punctuality};
use service_recovery::schedule::sla::{ClockStatus, SlaClock};
use service_recovery::schedule::{AgendaItem, AgendaKind};
use service_recovery::testing::at;

/// Asserts each value's `Display` text, naming the value on failure.
fn assert_texts<T: std::fmt::Display + std::fmt::Debug>(table: &[(T, &str)]) {
    for (value, text) in table {
        assert_eq!(value.to_string(), *text, "the text of {value:?}");
    }
}

#[test]
fn channels() {
    assert_texts(&[
        (Channel::Phone, "phone"),
        (Channel::Email, "e-mail"),
        (Channel::Chat, "chat"),
        (Channel::InPerson, "in person"),
        (Channel::WebForm, "web form"),
        (
            Channel::SocialMedia {
                platform: "Mastodon".into(),
                public: true,
            },
            "Mastodon (public)",
        ),
        (
            Channel::SocialMedia {
                platform: "Instagram".into(),
                public: false,
            },
            "Instagram (private)",
        ),
    ]);
}

#[test]
fn only_a_public_social_media_post_is_public() {
    let table = [
        (Channel::Phone, false),
        (Channel::Email, false),
        (Channel::Chat, false),
        (Channel::InPerson, false),
        (Channel::WebForm, false),
        (
            Channel::SocialMedia {
                platform: "Mastodon".into(),
                public: true,
            },
            true,
        ),
        (
            Channel::SocialMedia {
                platform: "Mastodon".into(),
                public: false,
            },
            false,
        ),
    ];
    for (channel, public) in table {
        assert_eq!(channel.is_public(), public, "{channel}");
    }
}

#[test]
fn complaint_severities() {
    assert_texts(&[
        (Severity::Minor, "minor"),
        (Severity::Moderate, "moderate"),
        (Severity::Major, "major"),
        (Severity::Critical, "critical"),
    ]);
}

#[test]
fn finding_severities() {
    assert_texts(&[
        (FindingSeverity::Info, "info"),
        (FindingSeverity::Warning, "warning"),
        (FindingSeverity::Error, "error"),
    ]);
}

#[test]
fn finding_categories() {
    assert_texts(&[
        (Category::HedgedApology, "hedged apology"),
        (Category::PolicyVoice, "policy-manual voice"),
        (Category::Defensive, "defensive or blaming"),
        (Category::Dismissive, "dismissive"),
        (Category::Argumentative, "argumentative"),
        (Category::Patronizing, "patronizing"),
        (Category::Minimizing, "minimizing"),
        (Category::HonestyMarker, "honesty marker"),
        (Category::Sarcasm, "sarcastic"),
        (Category::VagueTiming, "vague timing"),
        (Category::ImpersonalThanks, "impersonal thanks"),
        (Category::MissingThanks, "no thanks at the close"),
        (Category::Custom("jargon".into()), "jargon"),
    ]);
}

#[test]
fn priorities() {
    assert_texts(&[
        (Priority::Low, "low"),
        (Priority::Normal, "normal"),
        (Priority::High, "high"),
        (Priority::Urgent, "urgent"),
    ]);
}

#[test]
fn intake_signals() {
    assert_texts(&[
        (IntakeSignal::RepeatedContact, "repeated contact"),
        (IntakeSignal::PublicComplaint, "public complaint"),
        (IntakeSignal::ValuedCustomer, "valued customer"),
        (IntakeSignal::SevereFailure, "severe failure"),
    ]);
}

#[test]
fn customer_tiers() {
    assert_texts(&[
        (CustomerTier::Standard, "standard"),
        (CustomerTier::Valued, "valued"),
        (CustomerTier::Vip, "VIP"),
    ]);
    assert_eq!(CustomerTier::default(), CustomerTier::Standard);
}

#[test]
fn case_and_option_statuses() {
    assert_texts(&[
        (CaseStatus::Open, "open"),
        (CaseStatus::Closed, "closed"),
        (CaseStatus::Withdrawn, "withdrawn"),
    ]);
    assert_texts(&[
        (OptionStatus::Proposed, "only proposed"),
        (OptionStatus::Offered, "offered"),
        (OptionStatus::Accepted, "accepted"),
        (OptionStatus::Declined, "declined"),
    ]);
}

#[test]
fn question_kinds() {
    assert_texts(&[
        (QuestionKind::Background, "background"),
        (QuestionKind::Probing, "probing"),
        (QuestionKind::Confirming, "confirming"),
    ]);
}

#[test]
fn steps_by_name_and_in_words() {
    let table = [
        (StepKind::Thank, "thank", "thank the customer"),
        (StepKind::Apologize, "apologize", "apologize"),
        (StepKind::Clarify, "clarify", "ask a question"),
        (
            StepKind::RecordGoal,
            "record_goal",
            "record the customer's goal",
        ),
        (StepKind::Explain, "explain", "explain what happened"),
        (StepKind::OfferOption, "offer_option", "offer an option"),
        (StepKind::Agree, "agree", "agree on an action"),
        (StepKind::Act, "act", "carry out an agreed action"),
        (StepKind::Goodwill, "goodwill", "make a goodwill gesture"),
        (StepKind::FinalThanks, "final_thanks", "give final thanks"),
        (StepKind::Close, "close", "close the case"),
    ];
    for (step, name, words) in table {
        assert_eq!(step.name(), name);
        assert_eq!(step.describe(), words);
        assert_eq!(step.to_string(), words);
    }
}

#[test]
fn buttons() {
    let q = QuestionId::new("q-1");
    let o = OptionId::new("o-1");
    let a = ActionId::new("a-1");
    let c = CommitmentId::new("re-ship");
    assert_texts(&[
        (Intent::Open, "open the case"),
        (Intent::Thank, "thank the customer"),
        (Intent::Apologize, "apologize"),
        (Intent::AskQuestion, "ask a question"),
        (Intent::RecordAnswer(q), "record the answer to question q-1"),
        (Intent::RecordGoal, "record the customer's goal"),
        (Intent::Explain, "explain what happened"),
        (Intent::ProposeOption, "propose an option"),
        (Intent::ReviseOption(o.clone()), "revise option o-1"),
        (Intent::OfferOption(o.clone()), "offer option o-1"),
        (
            Intent::AcceptOffer(o.clone()),
            "record that the customer accepted option o-1",
        ),
        (
            Intent::DeclineOffer(o.clone()),
            "record that the customer declined option o-1",
        ),
        (Intent::AgreeAction, "agree on an action"),
        (Intent::CarryOut(a), "carry out action a-1"),
        (Intent::Goodwill, "make a goodwill gesture"),
        (Intent::FinalThanks, "give final thanks"),
        (Intent::Close, "close the case"),
        (Intent::Reopen, "reopen the case"),
        (Intent::Withdraw, "record that the customer withdrew"),
        (Intent::ChangeChannel, "change channel"),
        (Intent::Reassign, "hand the case to another owner"),
        (Intent::Escalate, "escalate the case"),
        (Intent::AddNote, "add a note"),
        (
            Intent::RequestApproval(o.clone()),
            "request approval for option o-1",
        ),
        (
            Intent::GrantApproval(o.clone()),
            "grant approval for option o-1",
        ),
        (
            Intent::DenyApproval(o.clone()),
            "deny approval for option o-1",
        ),
        (
            Intent::WithdrawApprovalRequest(o),
            "withdraw the approval request for option o-1",
        ),
        (Intent::AwaitCustomer, "wait on the customer"),
        (Intent::AwaitThirdParty, "wait on a third party"),
        (Intent::Resume, "end the wait"),
        (Intent::ReportTime, "report the time"),
        (Intent::MakeCommitment, "make a promise"),
        (Intent::KeepCommitment(c.clone()), "keep promise re-ship"),
        (
            Intent::BreakCommitment(c.clone()),
            "record that promise re-ship was broken",
        ),
        (Intent::CancelCommitment(c), "cancel promise re-ship"),
        (Intent::RecordSurvey, "record the survey"),
    ]);
}

#[test]
fn fields_that_must_not_be_blank() {
    assert_texts(&[
        (Field::Thanks, "the words of thanks"),
        (Field::Apology, "the words of the apology"),
        (Field::Explanation, "the explanation"),
        (Field::Question, "the question"),
        (Field::Answer, "the answer"),
        (Field::Goal, "the customer's goal"),
        (Field::OptionDescription, "the option's description"),
        (Field::ActionDescription, "the action's description"),
        (Field::Outcome, "the outcome"),
        (Field::Goodwill, "the goodwill gesture's description"),
        (Field::FinalThanks, "the words of the final thanks"),
        (Field::Reason, "the reason"),
        (Field::Note, "the note"),
        (Field::CaseId, "the case identifier"),
        (Field::ComplaintSummary, "the complaint's summary"),
        (Field::Promise, "what is promised"),
        (Field::Party, "who the case waits on"),
    ]);
}

#[test]
fn rejection_categories_and_approval_conflicts() {
    assert_texts(&[
        (RejectionCategory::Case, "case"),
        (RejectionCategory::Approval, "approval"),
        (RejectionCategory::FollowUp, "follow_up"),
        (RejectionCategory::Review, "review"),
        (RejectionCategory::Infrastructure, "infrastructure"),
    ]);
    assert_texts(&[
        (
            Conflict::Requested,
            "requested the approval; nobody approves their own request",
        ),
        (
            Conflict::Proposed,
            "proposed the option; nobody approves their own proposal",
        ),
        (
            Conflict::GrantedLevel(1),
            "already granted level 1 of this request; each level needs a different person",
        ),
        (
            Conflict::GrantedThisLevel(2),
            "already granted level 2; its approvers must be different people",
        ),
    ]);
}

#[test]
fn promises() {
    assert_texts(&[
        (Punctuality::Early, "early"),
        (Punctuality::OnTime, "on time"),
        (Punctuality::Late, "late"),
    ]);
    assert_texts(&[
        (CommitmentStatus::Open, "open"),
        (CommitmentStatus::Kept(Punctuality::Early), "kept (early)"),
        (
            CommitmentStatus::Kept(Punctuality::OnTime),
            "kept (on time)",
        ),
        (CommitmentStatus::Kept(Punctuality::Late), "kept (late)"),
        (CommitmentStatus::Broken, "broken"),
        (CommitmentStatus::Cancelled, "cancelled"),
    ]);
}

#[test]
fn sla_clocks_and_their_statuses() {
    assert_texts(&[
        (SlaClock::FirstResponse, "first response"),
        (SlaClock::Apology, "apology"),
        (SlaClock::Update, "next update"),
        (SlaClock::Resolution, "resolution"),
    ]);
    assert_eq!(SlaClock::ALL.len(), SlaClock::COUNT);
    assert_texts(&[
        (ClockStatus::Running, "running"),
        (ClockStatus::Paused, "paused"),
        (ClockStatus::Met, "met"),
        (ClockStatus::Late, "late"),
        (ClockStatus::Ended, "ended"),
    ]);
}

#[test]
fn agenda_items() {
    let promise = CommitmentId::new("re-ship");
    let kinds = [
        (
            AgendaKind::CommitmentReminder {
                commitment: promise.clone(),
            },
            "remind the owner of promise re-ship",
        ),
        (
            AgendaKind::CommitmentAboutToBreak {
                commitment: promise,
            },
            "promise re-ship is about to be broken: escalate",
        ),
        (
            AgendaKind::SlaWarning {
                clock: SlaClock::Update,
                percent: 50,
            },
            "50 % of the next update target has passed",
        ),
        (
            AgendaKind::SlaBreach {
                clock: SlaClock::FirstResponse,
            },
            "the first response target is missed",
        ),
        (AgendaKind::UpdateDue, "the customer is owed an update"),
        (AgendaKind::SurveyDue, "the survey is due"),
    ];
    assert_texts(&kinds);
    for (kind, text) in kinds {
        let item = AgendaItem {
            case: CaseId::new("case-1"),
            due: at(100),
            kind,
        };
        assert_eq!(
            item.to_string(),
            format!("2026-03-02 15:40 UTC  case-1: {text}")
        );
    }
}
