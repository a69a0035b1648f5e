//! "What may this actor do next on this case, and if not, why not?": the buttons a
//! help-desk screen enables, with a reason for each disabled one.

use crate::actor::Actor;
use crate::case::{Case, Intent, OptionStatus, Rejection, guard};
use crate::policy::Policy;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One thing an actor might do now, and whether they may.
///
/// JSON form: `{"intent":{"intent":"offer","target":"o-1"},"blocked":null}`, where
/// `blocked` is a [`Rejection`] in its JSON form. It deserializes too, and refuses
/// unknown fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NextAction {
    /// What would be done.
    pub intent: Intent,
    /// `None` if allowed; otherwise the rejection [`decide`](crate::decide) would give.
    pub blocked: Option<Rejection>,
}

impl std::fmt::Display for NextAction {
    /// `offer option o-1: not now, because ...` or just `thank the customer`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.blocked {
            None => write!(f, "{}", self.intent),
            Some(why) => write!(f, "{}: not now, because {why}", self.intent),
        }
    }
}

impl NextAction {
    /// Whether the action is allowed now.
    pub fn is_allowed(&self) -> bool {
        self.blocked.is_none()
    }
}

/// Every intent that could apply to `case` now, each with its verdict.
///
/// Intents that name something (answer *this* question, offer *this* option, carry out
/// *this* action) are listed once for every question, option or action still waiting
/// for them. For a proposed option, that includes requesting approval (when no request
/// is pending) or granting, denying and withdrawing the pending request; a blocked
/// offer says in plain words which approvals are missing, for example
/// "the refund of USD 420.00 needs a waiver of non-refundable-fare from a manager;
/// requested by Dana at 14:02 UTC on 2026-03-02; not yet granted". The verdicts come from [`guard`], the same check
/// [`decide`](crate::decide) makes first, so a button enabled here is never refused for
/// reasons of order or state (only for its content: blank words, a duplicate id).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use service_recovery::prelude::*;
///
/// # let dana = Actor::builder().id("a-7").name("Dana").build();
/// # let policy = Policy::default();
/// # let at = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
/// # let open = service_recovery::testing::open_case();
/// # let case = Case::replay(decide(None, &open, &dana, at, &policy).unwrap()).unwrap();
/// let actions = next_actions(Some(&case), &dana, at, &policy);
/// let explain = actions.iter().find(|a| a.intent == Intent::Explain).unwrap();
/// assert_eq!(
///     explain.blocked.as_ref().unwrap().to_string(),
///     "you cannot explain what happened yet: first thank the customer and apologize"
/// );
/// assert!(actions.iter().any(|a| a.intent == Intent::Thank && a.is_allowed()));
/// ```
pub fn next_actions(
    case: Option<&Case>,
    actor: &Actor,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Vec<NextAction> {
    let Some(case) = case else {
        return vec![NextAction {
            intent: Intent::Open,
            blocked: None,
        }];
    };
    candidates(case)
        .into_iter()
        .map(|intent| NextAction {
            blocked: guard(case, &intent, actor, now, policy).err(),
            intent,
        })
        .collect()
}

/// The intents worth asking about, in the order of the practice.
fn candidates(case: &Case) -> Vec<Intent> {
    let mut out = vec![Intent::Thank, Intent::Apologize, Intent::AskQuestion];
    out.extend(
        case.questions()
            .filter(|q| q.answer.is_none())
            .map(|q| Intent::RecordAnswer(q.id.clone())),
    );
    out.extend([Intent::RecordGoal, Intent::Explain, Intent::ProposeOption]);
    for (id, option) in case.options() {
        match option.status {
            OptionStatus::Proposed => {
                out.push(Intent::ReviseOption(id.clone()));
                out.push(Intent::OfferOption(id.clone()));
                let pending = case.approvals().get(id).and_then(|a| a.pending());
                if pending.is_some() {
                    out.push(Intent::GrantApproval(id.clone()));
                    out.push(Intent::DenyApproval(id.clone()));
                    out.push(Intent::WithdrawApprovalRequest(id.clone()));
                } else {
                    out.push(Intent::RequestApproval(id.clone()));
                }
            }
            OptionStatus::Offered => {
                out.push(Intent::AcceptOffer(id.clone()));
                out.push(Intent::DeclineOffer(id.clone()));
            }
            OptionStatus::Accepted | OptionStatus::Declined => {}
        }
    }
    out.push(Intent::AgreeAction);
    out.extend(
        case.actions()
            .iter()
            .filter(|(_, a)| a.outcome.is_none())
            .map(|(id, _)| Intent::CarryOut(id.clone())),
    );
    out.extend([
        Intent::Goodwill,
        Intent::FinalThanks,
        Intent::Close,
        Intent::Reopen,
        Intent::Withdraw,
        Intent::ChangeChannel,
        Intent::Reassign,
        Intent::Escalate,
        Intent::AddNote,
    ]);
    out.extend(crate::case::follow_up_candidates(case));
    out
}
