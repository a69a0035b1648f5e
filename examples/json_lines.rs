//! The protocol over standard input and output, one JSON request per line in and one
//! JSON response per line out, the way a help desk in another language (or an editor's
//! language server) spawns a helper process:
//!
//! ```sh
//! cargo run --example json_lines -- tests/fixtures/protocol/policies.json < requests.jsonl
//! ```
//!
//! The argument is a JSON file mapping policy names to policies, loaded once at
//! start-up (without it, the example prints its usage and stops). Every line gets
//! exactly one line back, in order, so a client pairs them by position.

use service_recovery::protocol::Protocol;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: json_lines POLICIES.json < requests.jsonl\n\
reads one protocol request per line on standard input and writes one response per line; \
POLICIES.json maps policy names to policies (see PROTOCOL.md)";

fn main() -> ExitCode {
    // Without a policies file there is nothing to serve: say how to use it and stop, so
    // running every example (as CI does) never waits on standard input.
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("{USAGE}");
        return ExitCode::SUCCESS;
    };
    let loaded = std::fs::read_to_string(&path)
        .map_err(|e| e.to_string())
        .and_then(|text| {
            Protocol::new()
                .with_policies_json(&text)
                .map_err(|e| e.to_string())
        });
    let host = match loaded {
        Ok(host) => host,
        Err(error) => {
            eprintln!("json_lines: {path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let response = match line {
            Ok(line) => host.handle(&line),
            Err(error) => {
                eprintln!("json_lines: cannot read standard input: {error}");
                return ExitCode::FAILURE;
            }
        };
        // Flush every line: the client waits for this answer before it sends more.
        if writeln!(out, "{response}")
            .and_then(|()| out.flush())
            .is_err()
        {
            // The client went away; nobody is left to answer.
            return ExitCode::SUCCESS;
        }
    }
    ExitCode::SUCCESS
}
