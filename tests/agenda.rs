//! The agenda's laws over random histories of several cases.

mod support;

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use service_recovery::prelude::*;
use service_recovery::schedule::{Agenda, AgendaItem};
use std::collections::HashSet;
use support::*;

/// Commands for three cases, interleaved, each with the minutes since the previous
/// one (always forward, so distinct periods never share a due instant), and now and
/// then a look at the agenda.
fn arb_steps() -> impl Strategy<Value = Vec<(usize, Command, i64, bool)>> {
    let step = (
        0usize..3,
        arb_command(),
        1i64..240,
        prop::bool::weighted(0.3),
    );
    prop::collection::vec(step, 0..120)
}

fn open_as(case: usize) -> Command {
    let Command::Open(mut open) = open_case() else {
        unreachable!()
    };
    open.case = CaseId::new(format!("case-{case}"));
    Command::Open(open)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn due_until_hands_out_items_in_order_and_never_twice(steps in arb_steps()) {
        let policy = Policy::default();
        let mut agenda = Agenda::new(&policy);
        let mut cases: Vec<Option<Case>> = vec![None, None, None];
        let mut now: DateTime<Utc> = t0();
        let mut seen: HashSet<AgendaItem> = HashSet::new();
        let mut check = |agenda: &mut Agenda, now| -> Result<(), TestCaseError> {
            let next = agenda.next_due();
            let due = agenda.due_until(now);
            if let (Some(next), Some(first)) = (next, due.first()) {
                prop_assert_eq!(&next, first);
            }
            for pair in due.windows(2) {
                prop_assert!(pair[0].due <= pair[1].due, "out of order: {:?}", pair);
            }
            for item in due {
                prop_assert!(item.due <= now);
                prop_assert!(seen.insert(item.clone()), "handed out twice: {:?}", item);
            }
            prop_assert!(agenda.due_until(now).is_empty());
            Ok(())
        };
        for (i, (which, command, minutes, look)) in steps.into_iter().enumerate() {
            now += Duration::minutes(minutes);
            let command = match command {
                Command::Open(_) => open_as(which),
                // Reopening starts a new round whose items may repeat an old one's due
                // instant; keep rounds apart for the "never twice" check.
                Command::Reopen(Reopen { .. }) | Command::RecordSurvey(RecordSurvey { .. }) => Command::ReportTime(ReportTime {}),
                other => other,
            };
            let case = cases[which].take();
            let case = match decide(case.as_ref(), &command, &dana(), now, &policy) {
                Ok(events) => {
                    let mut case = case;
                    for event in events {
                        agenda.observe(&CaseId::new(format!("case-{which}")), &event);
                        case = Some(evolve(case, event).unwrap());
                    }
                    case
                }
                Err(_) => case,
            };
            if i % 17 == 0 {
                if let Some(case) = &case {
                    agenda.observe_case(case);
                }
            }
            cases[which] = case;
            if look {
                check(&mut agenda, now)?;
            }
        }
        check(&mut agenda, now + Duration::days(30))?;
        prop_assert_eq!(agenda.len(), 0);
    }
}
