//! The language gate: a playbook step can ask that its words be reviewed before they
//! are recorded, so an apology that is hedged or a date that is vague never reaches
//! the customer's history as if it were fine.

use crate::case::Case;
use crate::case::rejection::Rejection;
use crate::playbook::StepKind;
use crate::policy::Policy;
use crate::review::{ReviewContext, Reviewer};
use std::sync::OnceLock;

/// The built-in English reviewer, compiled once per process on first use.
fn english() -> Result<&'static Reviewer, Rejection> {
    static ENGLISH: OnceLock<Result<Reviewer, String>> = OnceLock::new();
    ENGLISH
        .get_or_init(|| Reviewer::english().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|reason| Rejection::ReviewUnavailable {
            reason: reason.clone(),
        })
}

/// Rejects the command if its step asks for a review and the words have a finding of
/// the step's severity or worse.
pub(crate) fn check_words(
    case: &Case,
    step: StepKind,
    words: &str,
    policy: &Policy,
) -> Result<(), Rejection> {
    let Some(threshold) = policy.playbook.rule(step).and_then(|rule| rule.review) else {
        return Ok(());
    };
    let reviewer = match &policy.language {
        Some(reviewer) => reviewer,
        None => english()?,
    };
    let context = ReviewContext {
        customer_name: Some(case.customer().name.clone()),
        step: Some(step.name().to_owned()),
        // An agreed action is a promise: it needs a date, not "soon".
        expects_date: step == StepKind::Agree,
        closing: step == StepKind::FinalThanks,
        include_quoted: false,
    };
    let findings: Vec<_> = reviewer
        .review(words, &context)
        .into_findings()
        .into_iter()
        .filter(|f| f.severity >= threshold)
        .collect();
    if findings.is_empty() {
        Ok(())
    } else {
        Err(Rejection::WordsNeedWork { step, findings })
    }
}
