//! JSON commands decided against arbitrary histories.
//!
//! Input: lines. The first byte of the input chooses the policy (the default one, or
//! the example airline approval policy). Each line is one command: its first byte
//! chooses who acts (one of the fixture cast) and how many minutes pass before it; the
//! rest of the line is the command's JSON. Each line is decoded and decided against the
//! history built so far, and the events of an accepted command are applied: so every
//! command, the last one included, meets a history made by the ones before it.
//!
//! Checked: nothing panics; the events `decide` returns always apply; a rejection
//! changes nothing; and replaying the history gives the case that was lived through.
#![no_main]

use std::sync::LazyLock;

use chrono::Duration;
use libfuzzer_sys::fuzz_target;
use service_recovery::testing::{airline_policy, cast, t0};
use service_recovery::{Actor, Case, Command, Policy, decide};

// Built once: building the policies per input would be most of the work.
static POLICIES: LazyLock<[Policy; 2]> = LazyLock::new(|| [Policy::default(), airline_policy()]);
static PEOPLE: LazyLock<Vec<Actor>> = LazyLock::new(cast);

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let policy = &POLICIES[usize::from(choice & 1)];
    let people = &*PEOPLE;
    let mut case: Option<Case> = None;
    let mut now = t0();
    let lines: Vec<&[u8]> = rest.split(|&b| b == b'\n').collect();
    for line in &lines {
        let Some((&who, json)) = line.split_first() else {
            continue;
        };
        let actor = &people[usize::from(who) % people.len()];
        now += Duration::minutes(i64::from(who / 8));
        let Ok(command) = serde_json::from_slice::<Command>(json) else {
            continue;
        };
        let before = case.clone();
        let decided = decide(case.as_ref(), &command, actor, now, policy);
        assert_eq!(case, before, "decide changed the case");
        let Ok(events) = decided else {
            continue;
        };
        for event in events {
            match case.as_mut() {
                None => case = Some(Case::replay([event]).expect("an opening decide made replays")),
                Some(case) => case.apply(event).expect("events decide made apply"),
            }
        }
    }
    if let Some(case) = case {
        let replayed = Case::replay(case.history().to_vec()).expect("the lived history replays");
        assert_eq!(replayed, case, "replaying differs from living through");
    }
});
