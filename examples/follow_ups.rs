//! Follow-ups in business time: a cosmetics order shipped to the wrong address.
//!
//! The team works Monday to Friday, 09:00–17:00 in London. The agent apologizes, makes
//! two promises with dates, and the host's agenda (fed every event) reminds her of one
//! and reports the other about to break, so the case is handed to a supervisor. One
//! promise is kept early; the clocks are printed as they stand.
//!
//! Run it with `cargo run --example follow_ups`.

use chrono::{DateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use service_recovery::prelude::*;
use service_recovery::schedule::sla::SlaTargets;
use service_recovery::schedule::{
    Agenda, AgendaKind, BusinessCalendar, CalendarConfig, FollowUpPolicy, WeekSchedule,
    WorkingTime, WorkingWindow, sla,
};

type Error = Box<dyn std::error::Error>;

fn main() -> Result<(), Error> {
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).ok_or("bad time");
    let london = BusinessCalendar::new(
        CalendarConfig::builder()
            .time_zone(chrono_tz::Europe::London)
            .week(WeekSchedule::weekdays(&[WorkingWindow::new(t(9)?, t(17)?)]))
            .build(),
    )?;
    let policy = Policy::builder()
        .follow_up(
            FollowUpPolicy::builder()
                .working_time(WorkingTime::from(london))
                .commitment_margin(TimeDelta::hours(8)) // one working day
                .reminder_lead(TimeDelta::hours(2))
                .fallback(
                    SlaTargets::builder()
                        .first_response(TimeDelta::hours(2))
                        .apology(TimeDelta::hours(2))
                        .update(TimeDelta::hours(8))
                        .resolution(TimeDelta::hours(40))
                        .build(),
                )
                .build(),
        )
        .build();
    let priya = Actor::builder().id("agent-3").name("Priya").build();
    let omar = Actor::builder()
        .id("sup-1")
        .name("Omar (supervisor)")
        .build();
    let at = |d, h, m| -> Result<DateTime<Utc>, Error> {
        Utc.with_ymd_and_hms(2026, 3, d, h, m, 0)
            .single()
            .ok_or_else(|| "bad date".into())
    };

    let mut agenda = Agenda::new(&policy);
    let mut case: Option<Case> = None;
    let run = |agenda: &mut Agenda,
               case: &mut Option<Case>,
               who: &Actor,
               now,
               command: Command|
     -> Result<(), Error> {
        for event in decide(case.as_ref(), &command, who, now, &policy)? {
            println!("{event}");
            agenda.observe(&CaseId::new("RC-0302-17"), &event);
            *case = Some(evolve(case.take(), event)?);
        }
        Ok(())
    };

    // Monday 2 March, 10:05: the complaint arrives by e-mail, after two earlier contacts.
    let open = OpenCase::builder()
        .case("RC-0302-17")
        .customer(
            Customer::builder()
                .id("c-88")
                .name("Léa Martin")
                .address_as("Ms Martin")
                .build(),
        )
        .channel(Channel::Email)
        .owner(priya.reference())
        .complaint(
            Complaint::builder()
                .summary("skincare order shipped to the wrong address")
                .build(),
        )
        .severity(Severity::Moderate)
        .previous_contacts(2)
        .build();
    run(
        &mut agenda,
        &mut case,
        &priya,
        at(2, 10, 5)?,
        Command::Open(Box::new(open)),
    )?;
    run(
        &mut agenda,
        &mut case,
        &priya,
        at(2, 10, 20)?,
        Command::Thank(Thank {
            words: "Thank you for writing to us again, Ms Martin.".into(),
        }),
    )?;
    run(
        &mut agenda,
        &mut case,
        &priya,
        at(2, 10, 21)?,
        Command::Apologize(Apologize {
            words: "I am sorry your order went to the wrong address and that nobody answered you."
                .into(),
        }),
    )?;
    // Two promises, each with a date told to the customer.
    run(
        &mut agenda,
        &mut case,
        &priya,
        at(2, 10, 30)?,
        Command::MakeCommitment(MakeCommitment {
            commitment: CommitmentId::new("reship"),
            what: "a replacement parcel delivered to the right address".into(),
            owner: priya.reference(),
            promised_for: at(5, 17, 0)?, // Thursday 17:00 London (GMT)
        }),
    )?;
    run(
        &mut agenda,
        &mut case,
        &priya,
        at(2, 10, 31)?,
        Command::MakeCommitment(MakeCommitment {
            commitment: CommitmentId::new("refund"),
            what: "the shipping fee refunded".into(),
            owner: priya.reference(),
            promised_for: at(4, 12, 0)?, // Wednesday noon
        }),
    )?;

    // The host's scheduler ticks; the agenda says what is due.
    for now in [at(3, 10, 30)?, at(3, 12, 30)?] {
        for item in agenda.due_until(now) {
            println!("  agenda at {}: {}", now.format("%a %H:%M"), item);
            if let AgendaKind::CommitmentAboutToBreak { commitment } = &item.kind {
                // Escalate: a supervisor takes the case over before the promise breaks.
                run(
                    &mut agenda,
                    &mut case,
                    &priya,
                    now,
                    Command::from(Escalate {
                        to: omar.reference(),
                        priority: Priority::High,
                        reason: format!("promise {commitment} is about to be broken"),
                    }),
                )?;
            }
        }
    }
    // Wednesday 09:40: the replacement parcel is delivered, well before Thursday.
    run(
        &mut agenda,
        &mut case,
        &omar,
        at(4, 9, 40)?,
        Command::KeepCommitment(KeepCommitment {
            commitment: CommitmentId::new("reship"),
        }),
    )?;

    let now = at(4, 10, 0)?;
    let case = case.ok_or("no case")?;
    println!("\nPromises:");
    for c in case.commitments() {
        println!(
            "  {:<7} {:<52} told {}  target {}  {}",
            c.id,
            c.what,
            c.promised_for.format("%a %H:%M"),
            c.internal_target.format("%a %H:%M"),
            c.status
        );
    }
    println!(
        "\nResponse targets at {} ({} priority):",
        now.format("%a %d %b %H:%M UTC"),
        case.priority()
    );
    for clock in sla::clocks(case.history(), &policy, now) {
        println!(
            "  {:<15} {:<8} elapsed {:>5} min of {:>5} min, due {}",
            clock.clock.to_string(),
            clock.status.to_string(),
            clock.elapsed.num_minutes(),
            clock.target.num_minutes(),
            clock
                .due
                .map_or("-".into(), |d| d.format("%a %H:%M").to_string()),
        );
    }
    println!(
        "\nStill on the agenda: {} item(s); next: {}",
        agenda.len(),
        agenda
            .next_due()
            .map_or_else(|| "nothing".to_owned(), |item| item.to_string())
    );
    Ok(())
}
