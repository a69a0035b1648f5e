//! The practices of service recovery this crate encodes, and where each one lives.
//!
//! Customer-service trainers agree on how a business should recover after it has let a
//! customer down. Each practice below is a rule somewhere in this crate; the number is
//! how the crate's documentation cites it ("practice 6").
//!
//! | # | Practice | Where the crate holds it |
//! |---|---|---|
//! | 1 | Thank the customer, then apologize at once, without hedging | the thank and apology steps of the [`Playbook`](crate::playbook::Playbook), the apology response target, the [`review`](crate::review) of hedged apologies |
//! | 2 | Explain without excuses or blame | the explanation step; the review's blame and defensiveness rules |
//! | 3 | Understand before acting: questions by kind, the customer's goal | [`AskQuestion`](crate::case::AskQuestion), [`RecordGoal`](crate::case::RecordGoal); a playbook can require the goal before offers |
//! | 4 | Clear, specific words: dates, not "soon"; the customer's name | the review's vague-timing and patronizing rules; an agreed action is reviewed as needing a date |
//! | 5 | Offer options; the customer chooses | [`ProposeOption`](crate::case::ProposeOption), [`OfferOption`](crate::case::OfferOption), accept and decline |
//! | 6 | Approvals and waivers before an offer, from people with the authority | the [`approval`](crate::approval) policy and the gate in [`decide`](crate::decide) |
//! | 7 | Empower the front line within limits | [`AuthorityLimits`](crate::approval::AuthorityLimits): agents act alone below their limits |
//! | 8 | Agree on a specific action, then act | [`AgreeAction`](crate::case::AgreeAction) before [`CarryOut`](crate::case::CarryOut) |
//! | 9 | If it takes time, say when, and beat it | [`MakeCommitment`](crate::case::MakeCommitment): a date told to the customer and an earlier internal target |
//! | 10 | Follow up: do what you said, when you said | reminders and [`Escalate`](crate::case::Escalate) before a promise breaks; no closing with a promise open |
//! | 11 | Surprise the customer | [`Goodwill`](crate::case::Goodwill), within the goodwill limit |
//! | 12 | Be responsive on every channel | response targets by priority and channel in business time ([`schedule`](crate::schedule)) |
//! | 13 | Someone owns it | every case has an owner; [`Reassign`](crate::case::Reassign) and [`Escalate`](crate::case::Escalate) record hand-offs |
//! | 14 | Spot the signs early | [`IntakeSignal`](crate::complaint::IntakeSignal)s raise the priority at intake |
//! | 15 | Thank them, learn, measure | final thanks, a root cause at [`Close`](crate::case::Close), the survey after closing |
