//! Runs a recovery case through the SQLite store, closes the database, opens it again
//! and prints the history as a timeline.
//!
//! ```text
//! cargo run --example sqlite_store --features sqlite            # a file in a temp dir
//! cargo run --example sqlite_store --features sqlite -- cases.db # your own file
//! ```

use chrono::{Duration, TimeZone, Utc};
use service_recovery::prelude::*;
use service_recovery::store::{CommandService, EventStore, RetryPolicy, SqliteStore};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let temp = tempfile::tempdir()?;
    let path = match std::env::args_os().nth(1) {
        Some(path) => PathBuf::from(path),
        None => temp.path().join("cases.db"),
    };

    let dana = Actor::builder().id("agent-7").name("Dana").build();
    // A new case each run, so that a file given as argument collects them.
    let case = CaseId::new(format!(
        "case-{}",
        SqliteStore::open(&path)?.list_cases()?.len() + 1
    ));
    let mut now = Utc
        .with_ymd_and_hms(2026, 3, 2, 14, 0, 0)
        .single()
        .ok_or("bad time")?;

    {
        let service = CommandService::new(
            SqliteStore::open(&path)?,
            Policy::default(),
            RetryPolicy::default(),
        );
        let open = Command::Open(Box::new(
            OpenCase::builder()
                .case(case.clone())
                .customer(
                    Customer::builder()
                        .id("c-1")
                        .name("Amara Okafor")
                        .address_as("Ms Okafor")
                        .build(),
                )
                .channel(Channel::Email)
                .owner(dana.reference())
                .complaint(
                    Complaint::builder()
                        .summary("parcel sent to the wrong address")
                        .build(),
                )
                .severity(Severity::Moderate)
                .build(),
        ));
        for command in [
            open,
            Command::Thank(Thank {
                words: "Thank you for telling us, Ms Okafor.".into(),
            }),
            Command::Apologize(Apologize {
                words: "I am sorry we sent your parcel to the wrong address.".into(),
            }),
            Command::Explain(Explain {
                words: "Two labels were swapped at our warehouse.".into(),
            }),
            Command::FinalThanks(FinalThanks {
                words: "Thank you for your patience, Ms Okafor.".into(),
            }),
            Command::Close(Close {
                root_cause: RootCause::builder()
                    .category("warehouse")
                    .description("label printer swapped two orders")
                    .build(),
            }),
        ] {
            service.handle(&case, &command, &dana, now)?;
            now += Duration::minutes(4);
        }
        // The store, and with it the connection, is dropped here.
    }

    let store = SqliteStore::open(&path)?;
    println!(
        "{} holds {} case(s)",
        path.display(),
        store.list_cases()?.len()
    );
    let history = store.load(&case)?;
    let replayed = Case::replay(history)?;
    println!(
        "\ncase {} ({}, version {}):",
        replayed.id(),
        replayed.status(),
        replayed.version()
    );
    for event in replayed.history() {
        println!("  {event}");
    }
    Ok(())
}
