//! The words of a [`Rejection`]: a message catalog that is data, English built in.
//!
//! A catalog maps every rejection [code](Rejection::code) to a template with named
//! placeholders (`"there is no option {option} on this case"`), filled from the
//! rejection's details, plus a few shared phrases (how a list is joined, how a moment
//! is written, the clauses of a composite message). `Display` for [`Rejection`]
//! renders the built-in English catalog ([`Catalog::english`]); a host that shows
//! messages in another language loads its own with [`Catalog::from_json`] and calls
//! [`Rejection::message_in`].
//!
//! Loading is strict, so a catalog that loads can render every rejection: it must
//! have a message for every code and every phrase, nothing else, and a template may
//! only name placeholders its rejection provides ([`Catalog::placeholders`]).
//!
//! ```
//! use service_recovery::case::{Catalog, CatalogError};
//! use service_recovery::id::OptionId;
//! use service_recovery::Rejection;
//!
//! let unknown = Rejection::UnknownOption { option: OptionId::new("o-9") };
//! assert_eq!(unknown.message_in(Catalog::english()), "there is no option o-9 on this case");
//! assert_eq!(unknown.to_string(), unknown.message_in(Catalog::english()));
//!
//! // A catalog without a message for every code is refused, naming the first missing.
//! let partial = r#"{"language":"fr","messages":{},"phrases":{}}"#;
//! assert_eq!(
//!     Catalog::from_json(partial).err(),
//!     Some(CatalogError::MissingMessage { code: "not_opened".into() })
//! );
//! ```
//!
//! Placeholders are filled with the crate's own renderings of the details: ids,
//! names, amounts (`USD 420.00`), and the English words of the domain's vocabulary
//! (step descriptions, statuses, approval requirements). A host that needs those
//! words translated too builds its message from the rejection's JSON details.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use thiserror::Error;

use super::rejection::{
    ApprovalGap, AuthorityRefusal, Conflict, DenialNote, GoodwillGap, GoodwillOverLimit,
    PendingRequest, RaisedRequirement, Rejection,
};
use crate::approval::ResolutionOption;
use crate::playbook::StepKind;
use crate::review::Finding;

/// A complete set of rejection messages in one language.
///
/// Obtain the built-in English with [`Catalog::english`] or load another with
/// [`Catalog::from_json`]; see the [module documentation](self) for the format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    language: String,
    messages: BTreeMap<&'static str, Template>,
    phrases: BTreeMap<&'static str, Template>,
}

/// Why a catalog could not be loaded. Nothing is loaded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// The text is not a catalog object: bad JSON, a missing or unknown top-level field.
    #[error("the catalog is not in the catalog's JSON form: {reason}")]
    Json {
        /// What serde said.
        reason: String,
    },
    /// A message for a code that no rejection has (a typo, or a code from a newer
    /// version of the crate).
    #[error("the catalog has a message for \"{code}\", which is not a rejection code")]
    UnknownCode {
        /// The code.
        code: String,
    },
    /// A rejection code has no message.
    #[error("the catalog has no message for the rejection code \"{code}\"")]
    MissingMessage {
        /// The code.
        code: String,
    },
    /// A phrase the crate does not use.
    #[error("the catalog has a phrase \"{key}\", which the messages do not use")]
    UnknownPhrase {
        /// The phrase's key.
        key: String,
    },
    /// A phrase the messages need is missing.
    #[error("the catalog has no phrase \"{key}\"")]
    MissingPhrase {
        /// The phrase's key.
        key: String,
    },
    /// A template names a placeholder its rejection or phrase does not provide.
    #[error(
        "the text for \"{key}\" uses the placeholder {{{placeholder}}}, which it does not \
         provide (it provides: {provided})"
    )]
    UnknownPlaceholder {
        /// The code or phrase key.
        key: String,
        /// The placeholder's name.
        placeholder: String,
        /// The placeholders it does provide, comma-separated.
        provided: String,
    },
    /// A template's braces do not pair up.
    #[error("the text for \"{key}\" is not a valid template: {reason}")]
    BadTemplate {
        /// The code or phrase key.
        key: String,
        /// What is wrong.
        reason: String,
    },
}

/// The JSON form of a catalog.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    language: String,
    messages: BTreeMap<String, String>,
    phrases: BTreeMap<String, String>,
}

/// The placeholders each rejection provides, by code, in the order of
/// [`Rejection::CODES`]. [`arguments`] fills exactly these (a test holds them together).
const MESSAGE_PLACEHOLDERS: &[(&str, &[&str])] = &[
    ("not_opened", &[]),
    ("already_opened", &["case"]),
    ("not_open", &["status"]),
    ("still_open", &[]),
    ("clock_went_backwards", &["at", "last"]),
    ("step_not_in_playbook", &["step", "playbook"]),
    ("step_already_done", &["step"]),
    ("step_out_of_order", &["step", "missing"]),
    ("required_steps_missing", &["missing"]),
    ("root_cause_missing", &[]),
    ("actions_outstanding", &["actions"]),
    ("offers_awaiting_answer", &["options"]),
    ("blank", &["field"]),
    ("question_exists", &["question"]),
    ("unknown_question", &["question"]),
    ("question_answered", &["question"]),
    ("option_exists", &["option"]),
    ("unknown_option", &["option"]),
    ("option_already_offered", &["option", "status"]),
    ("offer_not_open", &["option", "status"]),
    ("option_not_accepted", &["option", "status"]),
    ("action_exists", &["action"]),
    ("action_not_agreed", &["action"]),
    ("action_already_done", &["action"]),
    ("same_channel", &[]),
    ("same_owner", &["owner"]),
    ("priority_would_fall", &["current", "requested"]),
    ("escalation_changes_nothing", &[]),
    ("non_positive_amount", &[]),
    ("words_need_work", &["step", "findings"]),
    ("review_unavailable", &["reason"]),
    (
        "approval_needed",
        &["option", "resolution", "missing", "request"],
    ),
    (
        "approval_denied",
        &["option", "resolution", "by", "at", "reason"],
    ),
    (
        "approval_requirement_raised",
        &["option", "resolution", "offered_by", "needed", "requested"],
    ),
    ("approval_not_needed", &["resolution", "requester"]),
    ("approval_already_requested", &["option", "by", "at"]),
    ("no_pending_approval", &["option"]),
    ("approval_conflict", &["option", "person", "conflict"]),
    ("no_such_level", &["option", "level", "levels"]),
    (
        "level_out_of_order",
        &["option", "level", "first", "needed"],
    ),
    ("level_already_granted", &["option", "level", "granted"]),
    (
        "not_authorized_to_approve",
        &["option", "acting", "level", "shortfall"],
    ),
    ("delegation_not_for_actor", &["from", "to"]),
    ("delegation_not_in_force", &["from", "starts", "ends"]),
    ("expiry_not_in_future", &["expires", "now"]),
    ("cannot_withdraw_request", &["option", "requester"]),
    ("amount_too_large", &[]),
    (
        "goodwill_limit_exceeded",
        &[
            "customer",
            "value",
            "given",
            "after",
            "limit",
            "window_days",
        ],
    ),
    ("goodwill_needs_approval", &["value", "missing"]),
    ("commitments_open", &["commitments"]),
    ("commitment_exists", &["commitment"]),
    ("unknown_commitment", &["commitment"]),
    ("commitment_settled", &["commitment", "status"]),
    ("promise_not_in_future", &["promised_for", "now"]),
    ("not_waiting", &[]),
    ("survey_score_out_of_range", &["score"]),
    ("survey_needs_closed_case", &["status"]),
    ("survey_already_recorded", &[]),
    ("invalid_identifier", &["identifier"]),
];

/// The shared phrases and their placeholders.
const PHRASE_PLACEHOLDERS: &[(&str, &[&str])] = &[
    ("list_separator", &[]),
    ("list_last_separator", &[]),
    ("moment", &["time", "date"]),
    ("resolution", &["kind"]),
    ("resolution_with_amount", &["kind", "amount"]),
    ("request_none", &[]),
    ("request_pending", &["by", "at"]),
    ("request_lapsed", &["by", "at", "lapsed"]),
    ("conflict_requested", &[]),
    ("conflict_proposed", &[]),
    ("conflict_granted_level", &["level"]),
    ("conflict_granted_this_level", &["level"]),
    ("finding", &["matched", "explanation", "suggestion"]),
    ("finding_separator", &[]),
];

static ENGLISH: LazyLock<Result<Catalog, CatalogError>> =
    LazyLock::new(|| Catalog::from_json(include_str!("english.json")));

/// What `english()` falls back to if the built-in file were ever broken: messages
/// render as their codes rather than panicking. A test loads the file, so this is
/// never reached in a release.
static EMPTY: Catalog = Catalog {
    language: String::new(),
    messages: BTreeMap::new(),
    phrases: BTreeMap::new(),
};

impl Catalog {
    /// The built-in English messages, the ones `Display` writes.
    ///
    /// ```
    /// use service_recovery::case::Catalog;
    ///
    /// assert_eq!(Catalog::english().language(), "en");
    /// ```
    pub fn english() -> &'static Catalog {
        match &*ENGLISH {
            Ok(catalog) => catalog,
            Err(_) => &EMPTY,
        }
    }

    /// Loads a catalog from its JSON form:
    /// `{"language": "fr", "messages": {CODE: TEMPLATE, ...}, "phrases": {KEY: TEMPLATE, ...}}`,
    /// with a message for every code of [`Rejection::CODES`] and every phrase of the
    /// English catalog (`src/case/catalog/english.json` is the reference). In a
    /// template, `{name}` is a placeholder and `{{` and `}}` are literal braces.
    ///
    /// # Errors
    ///
    /// A [`CatalogError`] naming the first problem: not the catalog's JSON form, an
    /// unknown or missing code or phrase, a placeholder the rejection does not
    /// provide, unpaired braces.
    ///
    /// ```
    /// use service_recovery::case::{Catalog, CatalogError};
    ///
    /// let typo = r#"{"language":"de","messages":{"not_openend":"..."},"phrases":{}}"#;
    /// assert_eq!(
    ///     Catalog::from_json(typo).err(),
    ///     Some(CatalogError::UnknownCode { code: "not_openend".into() })
    /// );
    /// ```
    pub fn from_json(json: &str) -> Result<Catalog, CatalogError> {
        let file: CatalogFile = serde_json::from_str(json).map_err(|e| CatalogError::Json {
            reason: e.to_string(),
        })?;
        let messages = templates(
            file.messages,
            MESSAGE_PLACEHOLDERS,
            |code| CatalogError::UnknownCode { code },
            |code| CatalogError::MissingMessage { code },
        )?;
        let phrases = templates(
            file.phrases,
            PHRASE_PLACEHOLDERS,
            |key| CatalogError::UnknownPhrase { key },
            |key| CatalogError::MissingPhrase { key },
        )?;
        Ok(Catalog {
            language: file.language,
            messages,
            phrases,
        })
    }

    /// The catalog's language, as the host wrote it (`"en"` for the built-in one).
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The placeholders a message (by rejection code) or a phrase (by key) may use,
    /// or `None` for a key no catalog has.
    ///
    /// ```
    /// use service_recovery::case::Catalog;
    ///
    /// assert_eq!(Catalog::placeholders("unknown_option"), Some(&["option"][..]));
    /// assert_eq!(Catalog::placeholders("moment"), Some(&["time", "date"][..]));
    /// assert_eq!(Catalog::placeholders("no_such_code"), None);
    /// ```
    pub fn placeholders(key: &str) -> Option<&'static [&'static str]> {
        MESSAGE_PLACEHOLDERS
            .iter()
            .chain(PHRASE_PLACEHOLDERS)
            .find(|(k, _)| *k == key)
            .map(|(_, names)| *names)
    }

    /// Renders the message for `code`; an absent code (only in the fallback) renders
    /// as the code itself.
    fn message(&self, code: &str, arguments: &[(&str, String)]) -> String {
        match self.messages.get(code) {
            Some(template) => template.render(arguments),
            None => code.to_owned(),
        }
    }

    /// Renders a phrase; an absent phrase (only in the fallback) renders as nothing.
    fn phrase(&self, key: &str, arguments: &[(&str, String)]) -> String {
        self.phrases
            .get(key)
            .map(|template| template.render(arguments))
            .unwrap_or_default()
    }
}

/// Parses every template of one table, refusing unknown and missing keys.
fn templates(
    texts: BTreeMap<String, String>,
    table: &'static [(&'static str, &'static [&'static str])],
    unknown: impl Fn(String) -> CatalogError,
    missing: impl Fn(String) -> CatalogError,
) -> Result<BTreeMap<&'static str, Template>, CatalogError> {
    let mut parsed = BTreeMap::new();
    for (key, text) in texts {
        let Some((key, names)) = table.iter().find(|(k, _)| *k == key) else {
            return Err(unknown(key));
        };
        parsed.insert(*key, Template::parse(key, &text, names)?);
    }
    match table.iter().find(|(key, _)| !parsed.contains_key(key)) {
        Some((key, _)) => Err(missing((*key).to_owned())),
        None => Ok(parsed),
    }
}

/// A message with its placeholders resolved to the names its rejection provides.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Template(Vec<Piece>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Slot(&'static str),
}

impl Template {
    fn parse(key: &str, text: &str, names: &'static [&'static str]) -> Result<Self, CatalogError> {
        let bad = |reason: &str| CatalogError::BadTemplate {
            key: key.to_owned(),
            reason: reason.to_owned(),
        };
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    literal.push('}');
                }
                '}' => return Err(bad("a `}` closes nothing (write `}}` for a brace)")),
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some('{') | None => {
                                return Err(bad("a `{` is not closed (write `{{` for a brace)"));
                            }
                            Some(c) => name.push(c),
                        }
                    }
                    let Some(slot) = names.iter().find(|n| **n == name) else {
                        return Err(CatalogError::UnknownPlaceholder {
                            key: key.to_owned(),
                            placeholder: name,
                            provided: if names.is_empty() {
                                "none".to_owned()
                            } else {
                                names.join(", ")
                            },
                        });
                    };
                    if !literal.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut literal)));
                    }
                    pieces.push(Piece::Slot(slot));
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        Ok(Template(pieces))
    }

    fn render(&self, arguments: &[(&str, String)]) -> String {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Slot(name) => match arguments.iter().find(|(n, _)| n == name) {
                    Some((_, value)) => out.push_str(value),
                    // Loading checks every placeholder against the table, and a test
                    // checks the table against `arguments`; show the gap, never panic.
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                },
            }
        }
        out
    }
}

impl Rejection {
    /// This rejection's message in `catalog`'s language. `to_string()` is the same
    /// with [`Catalog::english`].
    ///
    /// ```
    /// use service_recovery::case::Catalog;
    /// use service_recovery::playbook::StepKind;
    /// use service_recovery::Rejection;
    ///
    /// let early = Rejection::StepOutOfOrder {
    ///     step: StepKind::Explain,
    ///     missing: vec![StepKind::Thank, StepKind::Apologize],
    /// };
    /// assert_eq!(
    ///     early.message_in(Catalog::english()),
    ///     "you cannot explain what happened yet: first thank the customer and apologize"
    /// );
    /// ```
    pub fn message_in(&self, catalog: &Catalog) -> String {
        catalog.message(self.code(), &arguments(self, catalog))
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_in(Catalog::english()))
    }
}

impl std::error::Error for Rejection {}

/// The values of the placeholders of `rejection`'s message, named as in
/// [`MESSAGE_PLACEHOLDERS`].
fn arguments(rejection: &Rejection, c: &Catalog) -> Vec<(&'static str, String)> {
    use Rejection as R;
    match rejection {
        R::NotOpened
        | R::StillOpen
        | R::RootCauseMissing
        | R::SameChannel
        | R::EscalationChangesNothing
        | R::NonPositiveAmount
        | R::AmountTooLarge
        | R::NotWaiting
        | R::SurveyAlreadyRecorded => vec![],
        R::AlreadyOpened { case } => vec![("case", case.to_string())],
        R::NotOpen { status } | R::SurveyNeedsClosedCase { status } => {
            vec![("status", status.to_string())]
        }
        R::ClockWentBackwards { at, last } => {
            vec![("at", at.to_string()), ("last", last.to_string())]
        }
        R::StepNotInPlaybook { step, playbook } => {
            vec![("step", step.to_string()), ("playbook", playbook.clone())]
        }
        R::StepAlreadyDone { step } => vec![("step", step.to_string())],
        R::StepOutOfOrder { step, missing } => {
            vec![("step", step.to_string()), ("missing", steps(c, missing))]
        }
        R::RequiredStepsMissing { missing } => vec![("missing", steps(c, missing))],
        R::ActionsOutstanding { actions } => vec![("actions", ids(c, actions))],
        R::OffersAwaitingAnswer { options } => vec![("options", ids(c, options))],
        R::Blank { field } => vec![("field", field.to_string())],
        R::QuestionExists { question }
        | R::UnknownQuestion { question }
        | R::QuestionAnswered { question } => vec![("question", question.to_string())],
        R::OptionExists { option }
        | R::UnknownOption { option }
        | R::NoPendingApproval { option } => vec![("option", option.to_string())],
        R::OptionAlreadyOffered { option, status }
        | R::OfferNotOpen { option, status }
        | R::OptionNotAccepted { option, status } => vec![
            ("option", option.to_string()),
            ("status", status.to_string()),
        ],
        R::ActionExists { action }
        | R::ActionNotAgreed { action }
        | R::ActionAlreadyDone { action } => vec![("action", action.to_string())],
        R::SameOwner { owner } => vec![("owner", owner.clone())],
        R::PriorityWouldFall { current, requested } => vec![
            ("current", current.to_string()),
            ("requested", requested.to_string()),
        ],
        R::WordsNeedWork { step, findings } => vec![
            ("step", step.to_string()),
            ("findings", findings_sentence(c, findings)),
        ],
        R::ReviewUnavailable { reason } => vec![("reason", reason.clone())],
        R::ApprovalNeeded { option, gap } => {
            let mut args = gap_arguments(c, gap);
            args.push(("option", option.to_string()));
            args
        }
        R::ApprovalDenied { option, denial } => {
            let mut args = denial_arguments(c, denial);
            args.push(("option", option.to_string()));
            args
        }
        R::ApprovalRequirementRaised { option, raised } => {
            let mut args = raised_arguments(c, raised);
            args.push(("option", option.to_string()));
            args
        }
        R::ApprovalNotNeeded {
            resolution,
            requester,
        } => vec![
            ("resolution", what(c, resolution)),
            ("requester", requester.clone()),
        ],
        R::ApprovalAlreadyRequested { option, request } => vec![
            ("option", option.to_string()),
            ("by", request.by.to_string()),
            ("at", when(c, &request.at)),
        ],
        R::ApprovalConflict {
            option,
            person,
            conflict,
        } => vec![
            ("option", option.to_string()),
            ("person", person.to_string()),
            ("conflict", conflict_clause(c, *conflict)),
        ],
        R::NoSuchLevel {
            option,
            level,
            levels,
        } => vec![
            ("option", option.to_string()),
            ("level", level.to_string()),
            ("levels", levels.to_string()),
        ],
        R::LevelOutOfOrder {
            option,
            level,
            first,
            needed,
        } => vec![
            ("option", option.to_string()),
            ("level", level.to_string()),
            ("first", first.to_string()),
            ("needed", needed.to_string()),
        ],
        R::LevelAlreadyGranted {
            option,
            level,
            granted,
        } => vec![
            ("option", option.to_string()),
            ("level", level.to_string()),
            ("granted", granted.to_string()),
        ],
        R::NotAuthorizedToApprove { option, refusal } => {
            let mut args = refusal_arguments(refusal);
            args.push(("option", option.to_string()));
            args
        }
        R::DelegationNotForActor { from, to } => {
            vec![("from", from.clone()), ("to", to.to_string())]
        }
        R::DelegationNotInForce { from, starts, ends } => vec![
            ("from", from.clone()),
            ("starts", when(c, starts)),
            ("ends", when(c, ends)),
        ],
        R::ExpiryNotInFuture { expires, now } => {
            vec![("expires", when(c, expires)), ("now", when(c, now))]
        }
        R::CannotWithdrawRequest { option, requester } => vec![
            ("option", option.to_string()),
            ("requester", requester.clone()),
        ],
        R::GoodwillLimitExceeded(over) => goodwill_arguments(over),
        R::GoodwillNeedsApproval(gap) => goodwill_gap_arguments(gap),
        R::InvalidIdentifier { identifier } => vec![("identifier", identifier.to_string())],
        R::CommitmentsOpen { commitments } => vec![("commitments", ids(c, commitments))],
        R::CommitmentExists { commitment } | R::UnknownCommitment { commitment } => {
            vec![("commitment", commitment.to_string())]
        }
        R::CommitmentSettled { commitment, status } => vec![
            ("commitment", commitment.to_string()),
            ("status", status.to_string()),
        ],
        R::PromiseNotInFuture { promised_for, now } => vec![
            ("promised_for", promised_for.to_string()),
            ("now", now.to_string()),
        ],
        R::SurveyScoreOutOfRange { score } => vec![("score", score.to_string())],
    }
}

fn gap_arguments(c: &Catalog, gap: &ApprovalGap) -> Vec<(&'static str, String)> {
    let request = match &gap.request {
        None => c.phrase("request_none", &[]),
        Some(PendingRequest { by, at, lapsed }) => {
            let mut args = vec![("by", by.to_string()), ("at", when(c, at))];
            match lapsed {
                None => c.phrase("request_pending", &args),
                Some(lapsed) => {
                    args.push(("lapsed", when(c, lapsed)));
                    c.phrase("request_lapsed", &args)
                }
            }
        }
    };
    vec![
        ("resolution", what(c, &gap.resolution)),
        ("missing", gap.missing.to_string()),
        ("request", request),
    ]
}

fn denial_arguments(c: &Catalog, denial: &DenialNote) -> Vec<(&'static str, String)> {
    vec![
        ("resolution", what(c, &denial.resolution)),
        ("by", denial.by.to_string()),
        ("at", when(c, &denial.at)),
        ("reason", denial.reason.clone()),
    ]
}

fn raised_arguments(c: &Catalog, raised: &RaisedRequirement) -> Vec<(&'static str, String)> {
    vec![
        ("resolution", what(c, &raised.resolution)),
        ("offered_by", raised.offered_by.clone()),
        ("needed", raised.needed.to_string()),
        ("requested", raised.requested.to_string()),
    ]
}

fn refusal_arguments(refusal: &AuthorityRefusal) -> Vec<(&'static str, String)> {
    vec![
        ("acting", refusal.acting.clone()),
        ("level", refusal.level.to_string()),
        ("shortfall", refusal.shortfall.to_string()),
    ]
}

fn goodwill_arguments(over: &GoodwillOverLimit) -> Vec<(&'static str, String)> {
    vec![
        ("customer", over.customer.clone()),
        ("value", over.value.to_string()),
        ("given", over.given.to_string()),
        ("after", over.after.to_string()),
        ("limit", over.limit.to_string()),
        ("window_days", over.window_days.to_string()),
    ]
}

fn goodwill_gap_arguments(gap: &GoodwillGap) -> Vec<(&'static str, String)> {
    vec![
        ("value", gap.value.to_string()),
        ("missing", gap.missing.to_string()),
    ]
}

/// The English clauses of the composite details, for their own `Display`: one source
/// of words for a detail shown alone and inside its rejection.
pub(crate) fn english_gap(gap: &ApprovalGap) -> String {
    let c = Catalog::english();
    c.message("approval_needed", &gap_arguments(c, gap))
}

pub(crate) fn english_denial(denial: &DenialNote) -> String {
    let c = Catalog::english();
    c.message("approval_denied", &denial_arguments(c, denial))
}

pub(crate) fn english_raised(raised: &RaisedRequirement) -> String {
    let c = Catalog::english();
    c.message("approval_requirement_raised", &raised_arguments(c, raised))
}

pub(crate) fn english_refusal(refusal: &AuthorityRefusal) -> String {
    Catalog::english().message("not_authorized_to_approve", &refusal_arguments(refusal))
}

pub(crate) fn english_goodwill(over: &GoodwillOverLimit) -> String {
    Catalog::english().message("goodwill_limit_exceeded", &goodwill_arguments(over))
}

pub(crate) fn english_goodwill_gap(gap: &GoodwillGap) -> String {
    Catalog::english().message("goodwill_needs_approval", &goodwill_gap_arguments(gap))
}

pub(crate) fn english_conflict(conflict: Conflict) -> String {
    conflict_clause(Catalog::english(), conflict)
}

fn conflict_clause(c: &Catalog, conflict: Conflict) -> String {
    match conflict {
        Conflict::Requested => c.phrase("conflict_requested", &[]),
        Conflict::Proposed => c.phrase("conflict_proposed", &[]),
        Conflict::GrantedLevel(level) => {
            c.phrase("conflict_granted_level", &[("level", level.to_string())])
        }
        Conflict::GrantedThisLevel(level) => c.phrase(
            "conflict_granted_this_level",
            &[("level", level.to_string())],
        ),
    }
}

/// `14:02 UTC on 2026-03-02`.
fn when(c: &Catalog, at: &DateTime<Utc>) -> String {
    c.phrase(
        "moment",
        &[
            ("time", at.format("%H:%M").to_string()),
            ("date", at.format("%Y-%m-%d").to_string()),
        ],
    )
}

/// `refund of USD 420.00`, `upgrade`.
fn what(c: &Catalog, resolution: &ResolutionOption) -> String {
    let kind = resolution.kind.to_string();
    match &resolution.amount {
        Some(amount) => c.phrase(
            "resolution_with_amount",
            &[("kind", kind), ("amount", amount.to_string())],
        ),
        None => c.phrase("resolution", &[("kind", kind)]),
    }
}

/// "thank the customer, apologize and explain what happened".
fn steps(c: &Catalog, steps: &[StepKind]) -> String {
    let words: Vec<String> = steps.iter().map(|s| s.describe().to_owned()).collect();
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!(
            "{}{}{last}",
            rest.join(&c.phrase("list_separator", &[])),
            c.phrase("list_last_separator", &[])
        ),
    }
}

fn ids<T: fmt::Display>(c: &Catalog, items: &[T]) -> String {
    items
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(&c.phrase("list_separator", &[]))
}

/// "“sorry if”: hedges the apology (try: I'm sorry that …)", joined.
fn findings_sentence(c: &Catalog, findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            c.phrase(
                "finding",
                &[
                    ("matched", f.matched.clone()),
                    ("explanation", f.explanation.to_string()),
                    ("suggestion", f.suggestion.to_string()),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(&c.phrase("finding_separator", &[]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_placeholder_table_follows_the_codes() {
        let table: Vec<&str> = MESSAGE_PLACEHOLDERS.iter().map(|(code, _)| *code).collect();
        assert_eq!(table, Rejection::CODES);
    }

    #[test]
    fn every_rejection_provides_exactly_its_placeholders() {
        let samples: Vec<Rejection> =
            serde_json::from_str(include_str!("../../../tests/data/rejections.json")).unwrap();
        for rejection in &samples {
            let mut given: Vec<&str> = arguments(rejection, Catalog::english())
                .iter()
                .map(|(name, _)| *name)
                .collect();
            given.sort_unstable();
            let mut table = Catalog::placeholders(rejection.code()).unwrap().to_vec();
            table.sort_unstable();
            assert_eq!(given, table, "{}", rejection.code());
        }
        assert_eq!(samples.len(), Rejection::CODES.len());
    }

    #[test]
    fn the_english_catalog_loads() {
        let english = ENGLISH.as_ref().map(|c| c.language.as_str());
        assert_eq!(english, Ok("en"));
        assert_eq!(Catalog::english().messages.len(), Rejection::CODES.len());
    }

    #[test]
    fn templates_read_placeholders_and_escaped_braces() {
        let t = Template::parse("k", "a {x} {{b}} c", &["x"]).unwrap();
        assert_eq!(t.render(&[("x", "1".to_owned())]), "a 1 {b} c");
        assert_eq!(t.render(&[]), "a {x} {b} c");
        let err = |text: &str| Template::parse("k", text, &["x"]).unwrap_err();
        assert!(matches!(err("a {x"), CatalogError::BadTemplate { .. }));
        assert!(matches!(err("a {x{"), CatalogError::BadTemplate { .. }));
        assert!(matches!(err("a }"), CatalogError::BadTemplate { .. }));
        assert_eq!(
            err("{y}"),
            CatalogError::UnknownPlaceholder {
                key: "k".into(),
                placeholder: "y".into(),
                provided: "x".into()
            }
        );
        assert_eq!(
            Template::parse("k", "{y}", &[]).unwrap_err().to_string(),
            "the text for \"k\" uses the placeholder {y}, which it does not provide \
             (it provides: none)"
        );
    }

    #[test]
    fn the_fallback_renders_codes() {
        assert_eq!(EMPTY.message("not_opened", &[]), "not_opened");
        assert_eq!(EMPTY.phrase("moment", &[]), "");
    }
}
