//! **service-recovery** runs the work a business does after it has let a customer
//! down, as a typed, event-sourced workflow that help-desk software embeds.
//!
//! A recovery [`Case`] carries the customer, the channel, the owner, the complaint and
//! its complete history. Every change is a [`Command`] that [`decide`] checks against a
//! configurable [`Playbook`](playbook::Playbook) (thank, apologize, clarify, explain,
//! offer, agree, act, thank again, close with a root cause) and records as an
//! [`Event`]. [`next_actions()`] tells a screen which buttons to enable, and why the
//! others are disabled.
//!
//! ```
//! use chrono::{Duration, TimeZone, Utc};
//! use service_recovery::prelude::*;
//!
//! let dana = Actor::builder().id("agent-7").name("Dana").build();
//! let policy = Policy::default(); // the standard playbook
//! let mut now = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
//!
//! let open = Command::Open(Box::new(
//!     OpenCase::builder()
//!         .case("case-1")
//!         .customer(Customer::builder().id("c-1").name("Amara Okafor").address_as("Ms Okafor").build())
//!         .channel(Channel::Email)
//!         .owner(dana.reference())
//!         .complaint(Complaint::builder().summary("parcel sent to the wrong address").build())
//!         .severity(Severity::Moderate)
//!         .build(),
//! ));
//! let mut case = Case::replay(decide(None, &open, &dana, now, &policy)?).unwrap();
//!
//! for command in [
//!     Command::Thank(Thank { words: "Thank you for telling us, Ms Okafor.".into() }),
//!     Command::Apologize(Apologize { words: "I am sorry we sent your parcel to the wrong address.".into() }),
//!     Command::Explain(Explain { words: "Two labels were swapped at our warehouse.".into() }),
//!     Command::FinalThanks(FinalThanks { words: "Thank you for your patience, Ms Okafor.".into() }),
//!     Command::Close(Close { root_cause: RootCause::builder()
//!         .category("warehouse").description("label printer swapped two orders").build() }),
//! ] {
//!     now += Duration::minutes(5);
//!     for event in decide(Some(&case), &command, &dana, now, &policy)? {
//!         case.apply(event).unwrap();
//!     }
//! }
//! assert_eq!(case.status(), CaseStatus::Closed);
//! assert_eq!(case.history().len(), 6);
//! # Ok::<(), Rejection>(())
//! ```
//!
//! # Map of the crate
//!
//! - [`case`]: the case, its commands, events, rejections, [`decide`] and [`evolve`].
//! - [`playbook`]: steps, their order and requirements, validated when built.
//! - [`practices`]: the practices of service recovery the crate encodes, and where.
//! - [`next_action`]: what may happen next ([`next_actions`]), and why not.
//! - [`scenario`]: a given/when/then harness for hosts' own tests.
//! - [`approval`] and [`money`]: resolution options, the approval policy, the people
//!   who may approve, delegation, and the compensation [`Ledger`](approval::Ledger).
//! - [`case::approvals`]: the approval gate inside [`decide`]. **No option is offered
//!   before every approval it needs is granted and unexpired**; nobody approves their own
//!   request or proposal; each level is granted by different, sufficiently authorized
//!   people, in order; a denial blocks the offer; changing an option voids its
//!   approvals. The commands are [`Command::RequestApproval`],
//!   [`Command::GrantApproval`], [`Command::DenyApproval`] and
//!   [`Command::WithdrawApprovalRequest`]; [`next_actions()`] says in plain words what a
//!   blocked offer still needs.
//! - [`review`]: the language review of agents' messages, and the playbook's gate on it.
//! - [`schedule`]: business time, response targets, promises, surveys and the cross-case agenda.
//! - [`protocol`]: the versioned JSON wire contract for hosts in other languages.
//! - [`history`] and [`store`]: the stored form of events, upcasting, redaction, and
//!   event stores (in memory, and SQLite with the `sqlite` feature).
//! - [`verify()`]: audits a stored history, re-deciding every event against the policy;
//!   the first [`Violation`] names its event in a plain sentence.
//!
//! # What this crate is not
//!
//! It is not a help desk: it has no user interface, no database of its own and no
//! clock. The host passes the time, the acting person and the identifiers with every
//! call, and stores the events wherever it likes. That keeps every decision pure,
//! replayable and testable with exact expectations.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Library code never panics on input: these lints make CI enforce it (tests may).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::todo,
        clippy::unimplemented
    )
)]
// A match over the crate's own enums names every variant, so a new command, event or
// rejection is flagged everywhere it matters (tests may match loosely).
#![cfg_attr(not(test), deny(clippy::wildcard_enum_match_arm))]

pub mod actor;
pub mod approval;
pub mod case;
pub mod channel;
pub mod complaint;
pub mod customer;
pub mod history;
pub mod id;
pub mod import;
pub mod metrics;
pub mod money;
pub mod next_action;
pub mod playbook;
pub mod policy;
pub mod practices;
pub mod protocol;
pub mod review;
pub mod scenario;
pub mod schedule;
pub mod schema;
pub mod store;
pub mod testing;

/// The README's examples, compiled and run as doctests so they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

// The front door: the handful of names almost every host uses. Everything else is in
// its module, and the `prelude` brings the whole working set in one line.
pub use actor::Actor;
pub use case::{Case, Command, Event, EventKind, Rejection, decide, evolve};
pub use case::{Unchecked, UncheckedKind, VerifyReport, Violation, verify};
pub use next_action::{NextAction, next_actions};
pub use policy::Policy;

/// The working set in one import: `use service_recovery::prelude::*;`.
///
/// Cases, commands (with every command's payload type), events, rejections, the people
/// and customers they name, money, identifiers, the policy and the stores. Module-level
/// configuration (playbooks, approval policies, calendars, review rules) stays in its
/// module.
pub mod prelude {
    pub use crate::actor::{Actor, ActorRef};
    pub use crate::approval::{Delegation, Ledger, ResolutionKind, ResolutionOption};
    pub use crate::case::{
        AcceptOffer, AddNote, AgreeAction, Apologize, AskQuestion, AwaitCustomer, AwaitThirdParty,
        BreakCommitment, CancelCommitment, CarryOut, Case, CaseStatus, ChangeChannel, Close,
        Command, DeclineOffer, DenyApproval, Escalate, Event, EventKind, Explain, FinalThanks,
        Goodwill, GrantApproval, HistoryError, Intent, KeepCommitment, MakeCommitment, OfferOption,
        OpenCase, OptionStatus, ProposeOption, QuestionKind, Reassign, RecordAnswer, RecordGoal,
        RecordSurvey, Rejection, RejectionCategory, Reopen, ReportTime, RequestApproval, Resume,
        ReviseOption, RootCause, Thank, Withdraw, WithdrawApprovalRequest, decide, evolve,
    };
    pub use crate::channel::Channel;
    pub use crate::complaint::{Complaint, IntakeAssessment, IntakeSignal, Priority, Severity};
    pub use crate::customer::{Customer, CustomerTier};
    pub use crate::id::{
        ActionId, ActorId, CaseId, CommitmentId, CustomerId, OptionId, QuestionId,
    };
    pub use crate::money::{Currency, Money};
    pub use crate::next_action::{NextAction, next_actions};
    pub use crate::playbook::StepKind;
    pub use crate::policy::Policy;
    pub use crate::store::{
        CommandService, EventStore, InMemoryStore, RetryPolicy, ServiceError, StoreError,
    };
}
