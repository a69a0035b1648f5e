//! Intake: opening a case, with the priority its signals call for.

use crate::actor::{Actor, ActorRef};
use crate::case::command::Intent;
use crate::case::decision::{Decide, Decision, Recorder, not_blank};
use crate::case::event::{Event, EventKind, Opened};
use crate::case::rejection::{Field, Rejection};
use crate::channel::Channel;
use crate::complaint::{Complaint, IntakeAssessment, Priority, Severity};
use crate::customer::Customer;
use crate::id::CaseId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use typed_builder::TypedBuilder;

/// Everything needed to open a case at intake.
///
/// ```
/// use service_recovery::prelude::{ActorRef, Channel, Complaint, Customer, OpenCase, Severity};
///
/// let open = OpenCase::builder()
///     .case("case-1")
///     .customer(Customer::builder().id("c-1").name("Amara Okafor").address_as("Ms Okafor").build())
///     .channel(Channel::Phone)
///     .owner(ActorRef::new("agent-7", "Dana"))
///     .complaint(Complaint::builder().summary("parcel sent to the wrong address").build())
///     .severity(Severity::Moderate)
///     .build();
/// assert_eq!(open.previous_contacts, 0);
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct OpenCase {
    /// The host's identifier for the new case.
    #[builder(setter(into))]
    pub case: CaseId,
    /// The customer.
    pub customer: Customer,
    /// Where the complaint arrived.
    pub channel: Channel,
    /// Who owns the case from now on.
    pub owner: ActorRef,
    /// What went wrong.
    pub complaint: Complaint,
    /// How badly.
    pub severity: Severity,
    /// The host's own view of the priority; intake signals can only raise it.
    #[builder(default = Priority::Normal)]
    #[serde(default = "normal")]
    pub priority: Priority,
    /// How many times the customer contacted the business about this before.
    #[builder(default)]
    #[serde(default)]
    pub previous_contacts: u32,
}

fn normal() -> Priority {
    Priority::Normal
}

impl OpenCase {
    /// The opening event: the case does not exist yet, so this is the whole decision.
    pub(crate) fn open(&self, actor: &Actor, now: DateTime<Utc>) -> Result<Vec<Event>, Rejection> {
        not_blank(self.case.as_str(), Field::CaseId)?;
        not_blank(&self.complaint.summary, Field::ComplaintSummary)?;
        let assessment = IntakeAssessment::assess(
            self.priority,
            self.severity,
            &self.channel,
            self.customer.tier,
            self.previous_contacts,
        );
        let mut out = Recorder::new(0, now, actor);
        out.record(EventKind::Opened(Box::new(Opened {
            case: self.case.clone(),
            customer: self.customer.clone(),
            channel: self.channel.clone(),
            owner: self.owner.clone(),
            complaint: self.complaint.clone(),
            severity: self.severity,
            priority: assessment.priority,
            signals: assessment.signals,
        })));
        Ok(out.into_events())
    }
}

impl Decide for OpenCase {
    fn intent(&self) -> Intent {
        Intent::Open
    }
    /// A case that exists cannot be opened again (the guard says so first).
    fn decide(&self, at: &Decision<'_>, _: &mut Recorder) -> Result<(), Rejection> {
        Err(Rejection::AlreadyOpened {
            case: at.case.id().clone(),
        })
    }
}
