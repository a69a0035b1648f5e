//! Several application servers share one PostgreSQL database: they open cases and
//! make promises, a pool of workers works the durable agenda of due follow-ups, and
//! a projection reads the ordered feed.
//!
//! ```sh
//! scripts/with-postgres cargo run --example postgres_workers --features postgres
//! ```
//!
//! The server's address comes from `SERVICE_RECOVERY_POSTGRES` (a libpq connection
//! string); the example works in a schema of its own and drops it at the end.

use chrono::{DateTime, Duration, TimeZone, Utc};
use service_recovery::prelude::*;
use service_recovery::schedule::AgendaKind;
use service_recovery::store::{
    CommandService, Position, PostgresOptions, PostgresStore, RetryPolicy,
};
use std::collections::BTreeMap;
use std::error::Error;

const SCHEMA: &str = "postgres_workers_example";

fn connect(address: &str) -> Result<PostgresStore, StoreError> {
    let options = PostgresOptions::builder()
        .connection(address)
        .schema(SCHEMA)
        .pool_size(2)
        .build();
    Ok(PostgresStore::connect(options)?.with_agenda(&Policy::default()))
}

fn command(json: serde_json::Value) -> Result<Command, serde_json::Error> {
    serde_json::from_value(json)
}

/// One application server: opens its cases, thanks, apologizes and promises a date.
fn app_server(
    address: &str,
    server: usize,
    start: DateTime<Utc>,
) -> Result<Vec<String>, Box<dyn Error + Send + Sync>> {
    let service = CommandService::new(connect(address)?, Policy::default(), RetryPolicy::default());
    let agent = Actor::builder()
        .id(format!("agent-{server}"))
        .name(["Dana", "Sam", "Priya"][server % 3])
        .build();
    let mut said = Vec::new();
    for n in 0..2 {
        let case = CaseId::new(format!("case-{server}-{n}"));
        let open = Command::Open(Box::new(
            OpenCase::builder()
                .case(case.clone())
                .customer(
                    Customer::builder()
                        .id(format!("c-{server}{n}"))
                        .name("Amara Okafor")
                        .address_as("Ms Okafor")
                        .build(),
                )
                .channel(Channel::Email)
                .owner(agent.reference())
                .complaint(
                    Complaint::builder()
                        .summary("parcel sent to the wrong address")
                        .build(),
                )
                .severity(Severity::Moderate)
                .build(),
        ));
        let steps = [
            open,
            command(
                serde_json::json!({"command": "thank", "words": "Thank you for telling us, Ms Okafor."}),
            )?,
            command(
                serde_json::json!({"command": "apologize", "words": "I am sorry we sent your parcel to the wrong address."}),
            )?,
            command(serde_json::json!({
                "command": "make_commitment",
                "commitment": format!("re-ship-{server}-{n}"),
                "what": "a new parcel at the right address",
                "owner": agent.reference(),
                "promised_for": start + Duration::days(2 + n),
            }))?,
        ];
        for (minute, step) in (0i64..).zip(&steps) {
            service.handle(&case, step, &agent, start + Duration::minutes(minute))?;
        }
        said.push(format!(
            "server {server}: {} opened {case}, thanked, apologized and promised a new parcel by {}",
            agent.name,
            (start + Duration::days(2 + n)).format("%a %d %b")
        ));
    }
    Ok(said)
}

/// One worker: claims due follow-ups a few at a time until none is left.
fn worker(
    address: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Vec<String>, Box<dyn Error + Send + Sync>> {
    let store = connect(address)?;
    let mut did = Vec::new();
    loop {
        let claims = store.claim_due(now, 2, name, std::time::Duration::from_secs(300))?;
        if claims.is_empty() {
            return Ok(did);
        }
        for claim in claims {
            let what = match &claim.item.kind {
                AgendaKind::CommitmentReminder { commitment } => {
                    format!("reminded the owner of promise {commitment}")
                }
                AgendaKind::CommitmentAboutToBreak { commitment } => {
                    format!("escalated promise {commitment}, about to be broken")
                }
                AgendaKind::SlaWarning { clock, percent } => {
                    format!("warned: {percent}% of the {clock:?} target used")
                }
                AgendaKind::SlaBreach { clock } => {
                    format!("reported the {clock:?} target breached")
                }
                AgendaKind::UpdateDue => "asked the owner to update the customer".to_owned(),
                AgendaKind::SurveyDue => "sent the survey".to_owned(),
            };
            did.push(format!(
                "{name}: {} (case {}, due {})",
                what,
                claim.item.case,
                claim.item.due.format("%a %d %b %H:%M")
            ));
            store.complete(&claim, now)?;
        }
    }
}

fn main() -> Result<(), Box<dyn Error + Send + Sync>> {
    let Ok(address) = std::env::var("SERVICE_RECOVERY_POSTGRES") else {
        eprintln!(
            "Set SERVICE_RECOVERY_POSTGRES to a PostgreSQL connection string, or run:\n  scripts/with-postgres cargo run --example postgres_workers --features postgres"
        );
        return Ok(());
    };
    let mut admin = postgres::Client::connect(&address, postgres::NoTls)?;
    admin.batch_execute(&format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))?;
    let store = connect(&address)?;
    let start = Utc
        .with_ymd_and_hms(2026, 3, 2, 14, 0, 0)
        .single()
        .ok_or("time")?;

    println!("== three application servers, one database ==");
    let said = std::thread::scope(|s| {
        let servers: Vec<_> = (0..3)
            .map(|server| {
                s.spawn({
                    let address = &address;
                    move || app_server(address, server, start)
                })
            })
            .collect();
        servers
            .into_iter()
            .map(|h| h.join().map_err(|_| "an app server panicked")?)
            .collect::<Result<Vec<_>, _>>()
    })?;
    for line in said.into_iter().flatten() {
        println!("{line}");
    }

    let now = start + Duration::days(2);
    println!(
        "\n== a pool of three workers, two days later ({}) ==",
        now.format("%a %d %b %H:%M")
    );
    let did = std::thread::scope(|s| {
        let workers: Vec<_> = ["worker-a", "worker-b", "worker-c"]
            .into_iter()
            .map(|name| {
                s.spawn({
                    let address = &address;
                    move || worker(address, name, now)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|h| h.join().map_err(|_| "a worker panicked")?)
            .collect::<Result<Vec<_>, _>>()
    })?;
    let done: usize = did.iter().map(Vec::len).sum();
    for line in did.into_iter().flatten() {
        println!("{line}");
    }
    let left = store
        .agenda_items()?
        .iter()
        .filter(|(_, done)| !done)
        .count();
    println!("{done} follow-ups done; {left} not yet due");

    println!("\n== a projection reading the feed ==");
    let mut by_type: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut after = Position::START;
    let mut listener = store.listen()?;
    loop {
        let page = store.read_all_waiting(
            &mut listener,
            after,
            100,
            std::time::Duration::from_millis(200),
        )?;
        let Some(last) = page.last() else { break };
        after = last.position;
        for recorded in &page {
            *by_type.entry(recorded.event.kind.name()).or_default() += 1;
        }
    }
    for (kind, count) in &by_type {
        println!("{count:>3} × {kind}");
    }
    println!("resume the projection after position {after}");

    admin.batch_execute(&format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))?;
    Ok(())
}
