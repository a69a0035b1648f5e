//! The language review on arbitrary text: it never panics, every finding's span lies
//! on character boundaries inside the message and `matched` is that slice, and
//! applying the fixes never panics.
//!
//! Input: the first byte chooses the context (step, closing, expected date, quoted
//! text); up to the first newline after it is the customer's name; the rest is the
//! message.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use service_recovery::review::{ReviewContext, Reviewer};

static REVIEWER: LazyLock<Option<Reviewer>> = LazyLock::new(|| Reviewer::english().ok());

const STEPS: [&str; 4] = ["apology", "explanation", "commitment", "final_thanks"];

fuzz_target!(|data: &[u8]| {
    let Some(reviewer) = REVIEWER.as_ref() else {
        panic!("the English rule set does not compile");
    };
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let (name, message) = text.split_once('\n').unwrap_or(("", text));
    let step = STEPS[usize::from(flags & 3)];
    let mut context = ReviewContext::builder()
        .step(step)
        .expects_date(flags & 4 != 0)
        .closing(flags & 8 != 0)
        .include_quoted(flags & 16 != 0)
        .build();
    if !name.is_empty() {
        context.customer_name = Some(name.to_owned());
    }
    let review = reviewer.review(message, &context);
    for finding in &review.findings {
        let span = finding.span.range();
        assert!(span.start <= span.end && span.end <= message.len(), "{finding:?}");
        assert_eq!(message.get(span.clone()), Some(finding.matched.as_str()), "{finding:?}");
    }
    let _ = review.apply_fixes(message);
});
