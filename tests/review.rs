//! Language review: the data-driven case table, host rule sets, validation, and
//! properties of spans.

use std::collections::HashSet;

use proptest::prelude::*;
use serde::Deserialize;
use service_recovery::review::{
    Category, Condition, Escalation, ExampleFailure, Finding, FindingSeverity, Fix, Review,
    ReviewContext, ReviewError, Reviewer, Rule, RuleSet, RuleSetPatch, Span, Trigger, apply_fixes,
};

#[derive(Debug, Deserialize)]
struct Table {
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
struct Case {
    name: String,
    message: String,
    #[serde(default)]
    context: ReviewContext,
    expect: Vec<Expected>,
}

#[derive(Debug, Deserialize)]
struct Expected {
    rule: String,
    text: Option<String>,
    severity: Option<FindingSeverity>,
}

fn english() -> Reviewer {
    match Reviewer::english() {
        Ok(reviewer) => reviewer,
        Err(e) => panic!("the built-in English rules do not compile: {e}"),
    }
}

fn describe(review: &Review) -> Vec<String> {
    review
        .findings
        .iter()
        .map(|f| format!("{} {:?} {} {:?}", f.rule_id, f.matched, f.severity, f.span))
        .collect()
}

/// Every case of `tests/data/review_cases.json`: the findings' rule ids in
/// order, and matched text and severity where the case gives them.
#[test]
fn case_table() {
    let table: Table = serde_json::from_str(include_str!("data/review_cases.json"))
        .unwrap_or_else(|e| panic!("review_cases.json is malformed: {e}"));
    assert!(
        table.cases.len() >= 100,
        "the table has only {} cases",
        table.cases.len()
    );
    let reviewer = english();
    let mut failures = Vec::new();
    for case in &table.cases {
        let review = reviewer.review(&case.message, &case.context);
        let mut problems = Vec::new();
        let got: Vec<&str> = review.findings.iter().map(|f| f.rule_id.as_str()).collect();
        let want: Vec<&str> = case.expect.iter().map(|e| e.rule.as_str()).collect();
        if got != want {
            problems.push(format!("rules: got {got:?}, expected {want:?}"));
        }
        for (finding, expected) in review.findings.iter().zip(&case.expect) {
            if case.message.get(finding.span.range()) != Some(finding.matched.as_str()) {
                problems.push(format!(
                    "span {:?} does not hold {:?}",
                    finding.span, finding.matched
                ));
            }
            if let Some(text) = &expected.text {
                if &finding.matched != text {
                    problems.push(format!(
                        "{}: matched {:?}, expected {text:?}",
                        finding.rule_id, finding.matched
                    ));
                }
            }
            if let Some(severity) = expected.severity {
                if finding.severity != severity {
                    problems.push(format!(
                        "{}: severity {}, expected {severity}",
                        finding.rule_id, finding.severity
                    ));
                }
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "case {:?}\n  message: {:?}\n  context: {:?}\n  findings: {:#?}\n  {}",
                case.name,
                case.message,
                case.context,
                describe(&review),
                problems.join("\n  ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing case(s):\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn case_names_are_unique() {
    let table: Table = serde_json::from_str(include_str!("data/review_cases.json"))
        .unwrap_or_else(|e| panic!("review_cases.json is malformed: {e}"));
    let mut seen = HashSet::new();
    for case in &table.cases {
        assert!(
            seen.insert(case.name.as_str()),
            "duplicate case name {:?}",
            case.name
        );
    }
}

#[test]
fn review_helpers_summarize_findings() {
    let reviewer = english();
    let context = ReviewContext::builder().customer_name("Anna").build();
    let clean = reviewer.review("Anna, your refund arrives on Friday 14 June.", &context);
    assert!(clean.is_clean());
    assert_eq!(clean.worst_severity(), None);
    assert!(!clean.has_errors());

    let warned = reviewer.review("Thanks! It ships soon.", &context);
    assert_eq!(warned.worst_severity(), Some(FindingSeverity::Warning));
    assert!(!warned.has_errors());
    assert_eq!(warned.at_least(FindingSeverity::Warning).count(), 1);
    assert_eq!(warned.findings().len(), 2);

    let failed = reviewer.review("Calm down.", &context);
    assert!(failed.has_errors());
    assert_eq!(failed.into_findings().len(), 1);
}

#[test]
fn findings_serialize_with_stable_field_names() {
    let reviewer = english();
    let review = reviewer.review("It ships soon.", &ReviewContext::default());
    let json = serde_json::to_value(&review).unwrap_or_default();
    let finding = &json["findings"][0];
    assert_eq!(finding["rule_id"], "vague-timing.soon");
    assert_eq!(finding["category"], "vague_timing");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["span"]["start"], 9);
    assert_eq!(finding["span"]["end"], 13);
    assert_eq!(finding["matched"], "soon");
    assert!(
        finding["explanation"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    assert!(
        finding["suggestion"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    let back: Review = serde_json::from_value(json).unwrap_or_default();
    assert_eq!(back, review);
}

#[test]
fn reviewer_round_trips_as_its_rule_set() {
    let reviewer = english();
    let json = serde_json::to_string(&reviewer).unwrap_or_default();
    let back: Result<Reviewer, _> = serde_json::from_str(&json);
    assert_eq!(back.ok(), Some(reviewer));
    let broken = r#"{"language": "en", "rules": [{"id": "x", "category": "defensive",
        "severity": "info", "phrases": [""], "explanation": "e", "suggestion": "s"}]}"#;
    assert!(serde_json::from_str::<Reviewer>(broken).is_err());
}

fn rule(id: &str, phrases: &[&str]) -> Rule {
    Rule::builder()
        .id(id)
        .category(Category::Custom("house-style".into()))
        .severity(FindingSeverity::Warning)
        .patterns(phrases.iter().map(|p| p.to_string()).collect())
        .explanation("House style.")
        .suggestion("Reword.")
        .build()
}

fn rule_ids(review: &Review) -> Vec<&str> {
    review.findings.iter().map(|f| f.rule_id.as_str()).collect()
}

#[test]
fn host_additions_and_removals() {
    let mut rules = RuleSet::english().unwrap_or_else(|e| panic!("{e}"));
    let message = "Obviously we'll refund you, no worries. Ticket closed ASAP.";
    let before = Reviewer::new(rules.clone()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        rule_ids(&before.review(message, &ReviewContext::default())),
        ["patronizing.obviously", "vague-timing.asap"]
    );

    let patch: RuleSetPatch = serde_json::from_str(
        r#"{
            "remove": ["patronizing.obviously"],
            "add": [{
                "id": "house.no-worries", "category": {"custom": "house_style"},
                "severity": "info", "phrases": ["no worries"],
                "explanation": "Too casual for our brand.", "suggestion": "Say \"certainly\"."
            }],
            "date_steps": ["refund"]
        }"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    rules.apply(&patch).unwrap_or_else(|e| panic!("{e}"));
    let after = Reviewer::new(rules.clone()).unwrap_or_else(|e| panic!("{e}"));
    let review = after.review(message, &ReviewContext::builder().step("refund").build());
    assert_eq!(rule_ids(&review), ["house.no-worries", "vague-timing.asap"]);
    assert_eq!(
        review.findings[0].category,
        Category::Custom("house_style".into())
    );
    assert_eq!(
        review.findings[1].severity,
        FindingSeverity::Error,
        "the added date step escalates"
    );

    // A failing patch changes nothing.
    let snapshot = rules.clone();
    let bad = RuleSetPatch {
        remove: vec!["vague-timing.asap".into(), "no-such-rule".into()],
        ..RuleSetPatch::default()
    };
    assert_eq!(
        rules.apply(&bad),
        Err(ReviewError::UnknownRuleId {
            id: "no-such-rule".into()
        })
    );
    assert_eq!(rules, snapshot);

    // Replacing a rule: remove, then add under the same id.
    let replace = RuleSetPatch {
        remove: vec!["vague-timing.asap".into()],
        add: vec![rule("vague-timing.asap", &["pronto"])],
        ..RuleSetPatch::default()
    };
    rules.apply(&replace).unwrap_or_else(|e| panic!("{e}"));
    let replaced = Reviewer::new(rules.clone()).unwrap_or_else(|e| panic!("{e}"));
    let review = replaced.review("Done ASAP, pronto.", &ReviewContext::default());
    assert_eq!(
        review
            .findings
            .iter()
            .map(|f| f.matched.as_str())
            .collect::<Vec<_>>(),
        ["pronto"]
    );

    assert_eq!(
        rules.add(rule("vague-timing.asap", &["x"])),
        Err(ReviewError::DuplicateRuleId {
            id: "vague-timing.asap".into()
        })
    );
}

#[test]
fn another_language() {
    let french = RuleSet::from_json(
        r#"{
            "language": "fr",
            "date_steps": ["engagement"],
            "closing_steps": ["cloture"],
            "rules": [
                {"id": "excuse-conditionnelle.desole-si", "category": "hedged_apology", "severity": "error",
                 "phrases": ["désolé si", "désolée si", "nous sommes désolés si"],
                 "explanation": "Une excuse au conditionnel n'en est pas une.",
                 "suggestion": "Excusez-vous sans condition."},
                {"id": "delai-vague.bientot", "category": "vague_timing", "severity": "warning",
                 "escalation": {"when": "date_expected", "severity": "error"},
                 "phrases": ["bientôt", "dès que possible", "prochainement"],
                 "exceptions": ["à bientôt"],
                 "explanation": "Un délai vague inquiète.", "suggestion": "Donnez une date précise."},
                {"id": "politique.c-est-notre-politique", "category": "policy_voice", "severity": "error",
                 "phrases": ["c'est notre politique"],
                 "explanation": "Le règlement n'est pas une explication.", "suggestion": "Expliquez la raison."},
                {"id": "merci.sans-nom", "category": "impersonal_thanks", "severity": "info",
                 "condition": "customer_name_absent", "escalation": {"when": "closing", "severity": "warning"},
                 "phrases": ["merci"], "explanation": "Remerciez par le nom.", "suggestion": "Merci, Zoé."}
            ]
        }"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let reviewer = Reviewer::new(french).unwrap_or_else(|e| panic!("{e}"));
    let context = ReviewContext::builder()
        .customer_name("Zoé Durand")
        .step("engagement")
        .build();
    let message = "DÉSOLÉE SI le colis tarde ; il arrivera BIENTÔT. C\u{2019}est  notre politique.";
    let review = reviewer.review(message, &context);
    let found: Vec<(&str, &str, FindingSeverity)> = review
        .findings
        .iter()
        .map(|f| (f.rule_id.as_str(), f.matched.as_str(), f.severity))
        .collect();
    assert_eq!(
        found,
        [
            (
                "excuse-conditionnelle.desole-si",
                "DÉSOLÉE SI",
                FindingSeverity::Error
            ),
            ("delai-vague.bientot", "BIENTÔT", FindingSeverity::Error),
            (
                "politique.c-est-notre-politique",
                "C\u{2019}est  notre politique",
                FindingSeverity::Error
            ),
        ]
    );
    let closing = ReviewContext::builder()
        .customer_name("Zoé Durand")
        .step("cloture")
        .build();
    assert!(
        reviewer
            .review("Merci Zoé, à bientôt !", &closing)
            .is_clean()
    );
    let review = reviewer.review("Merci, à bientôt !", &closing);
    assert_eq!(rule_ids(&review), ["merci.sans-nom"]);
    assert_eq!(review.findings[0].severity, FindingSeverity::Warning);
    assert!(
        reviewer
            .review("Zoé, c'est bientôtement fini.", &context)
            .is_clean()
    );
}

#[test]
fn invalid_rule_sets_are_typed_errors() {
    let check = |rules: Vec<Rule>, expected: ReviewError| {
        let set = RuleSet {
            rules,
            ..RuleSet::new("en")
        };
        let error = Reviewer::new(set).err();
        assert_eq!(error.as_ref(), Some(&expected));
        let text = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            !text.is_empty() && !text.contains('{'),
            "unclear message {text:?}"
        );
    };
    check(
        vec![rule("a", &[""])],
        ReviewError::EmptyPhrase {
            rule_id: "a".into(),
        },
    );
    check(
        vec![rule("a", &[" \t\n "])],
        ReviewError::BlankPhrase {
            rule_id: "a".into(),
            phrase: " \t\n ".into(),
        },
    );
    check(
        vec![rule("a", &["?!"])],
        ReviewError::PhraseWithoutWords {
            rule_id: "a".into(),
            phrase: "?!".into(),
        },
    );
    check(
        vec![
            rule("a", &["soon"]),
            rule("b", &["later"]),
            rule("a", &["never"]),
        ],
        ReviewError::DuplicateRuleId { id: "a".into() },
    );
    check(
        vec![rule("", &["x"])],
        ReviewError::InvalidRuleId { id: "".into() },
    );
    check(
        vec![rule("a b", &["x"])],
        ReviewError::InvalidRuleId { id: "a b".into() },
    );
    check(
        vec![rule("a", &[])],
        ReviewError::NoPhrases {
            rule_id: "a".into(),
        },
    );
    check(
        vec![rule("a", &["That's it", "that\u{2019}s   IT"])],
        ReviewError::DuplicatePhrase {
            rule_id: "a".into(),
            phrase: "that's it".into(),
        },
    );
    let mut with_exception = rule("a", &["soon"]);
    with_exception.exceptions = vec!["   ".into()];
    check(
        vec![with_exception],
        ReviewError::BlankPhrase {
            rule_id: "a".into(),
            phrase: "   ".into(),
        },
    );

    assert_eq!(
        Reviewer::new(RuleSet::new("en GB")).err(),
        Some(ReviewError::InvalidLanguage {
            language: "en GB".into()
        })
    );
    assert!(matches!(
        RuleSet::from_json("{\"language\": \"en\"}"),
        Err(ReviewError::Malformed { .. })
    ));
    assert_eq!(
        ReviewError::DuplicateRuleId { id: "a".into() }.to_string(),
        "two rules share the id `a`; each rule needs its own id"
    );
}

#[test]
fn same_phrase_in_two_rules_reports_both() {
    let mut other = rule("b", &["no worries"]);
    other.category = Category::Custom("other".into());
    other.escalation = Some(Escalation {
        when: Trigger::Closing,
        severity: FindingSeverity::Error,
    });
    other.condition = Condition::Always;
    let set = RuleSet {
        rules: vec![rule("a", &["no worries"]), other],
        ..RuleSet::new("en")
    };
    let reviewer = Reviewer::new(set).unwrap_or_else(|e| panic!("{e}"));
    let review = reviewer.review(
        "No worries!",
        &ReviewContext::builder().closing(true).build(),
    );
    let found: Vec<(&str, FindingSeverity)> = review
        .findings
        .iter()
        .map(|f| (f.rule_id.as_str(), f.severity))
        .collect();
    assert_eq!(
        found,
        [
            ("a", FindingSeverity::Warning),
            ("b", FindingSeverity::Error)
        ]
    );
}

/// Pieces that messages are built from: the English rules' examples in mixed
/// case and spacing, words that contain rule words, and awkward characters.
fn fragment() -> impl Strategy<Value = String> {
    let rules = RuleSet::english().unwrap_or_else(|e| panic!("{e}"));
    let phrases: Vec<String> = rules
        .rules
        .iter()
        .flat_map(|r| r.examples.flag.iter().chain(&r.examples.pass).cloned())
        .collect();
    let awkward = vec![
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "\u{a0}",
        "’",
        "‘",
        "'",
        "\"",
        "“",
        "”",
        ">",
        ",",
        ".",
        "-",
        "Zoë",
        "İ",
        "ß",
        "ǅ",
        "e\u{301}",
        "\u{308}",
        "ÅSOON",
        "soonest",
        "obviousness",
        "🙏",
        "Anna",
        "ΣΑΣ",
        "x",
        "",
    ];
    prop_oneof![
        (proptest::sample::select(phrases), any::<u8>()).prop_map(|(p, style)| mangle(&p, style)),
        proptest::sample::select(awkward).prop_map(str::to_owned),
        "[a-zA-Z ’]{0,8}",
        any::<char>().prop_map(String::from),
    ]
}

/// Changes case, apostrophes and spacing of a phrase without changing its words.
fn mangle(phrase: &str, style: u8) -> String {
    let mut out = match style % 3 {
        0 => phrase.to_owned(),
        1 => phrase.to_uppercase(),
        _ => phrase
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i % 2 == 0 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect(),
    };
    if style & 4 != 0 {
        out = out.replace('\'', "’");
    }
    if style & 8 != 0 {
        out = out.replace(' ', " \t ");
    }
    out
}

fn check_spans(
    reviewer: &Reviewer,
    rules: &RuleSet,
    message: &str,
    context: &ReviewContext,
) -> Result<(), TestCaseError> {
    let review = reviewer.review(message, context);
    for Finding {
        rule_id,
        span,
        matched,
        ..
    } in &review.findings
    {
        prop_assert!(span.start < span.end, "empty span {span:?}");
        prop_assert!(
            message.is_char_boundary(span.start) && message.is_char_boundary(span.end),
            "{span:?} splits a character"
        );
        prop_assert_eq!(message.get(span.range()), Some(matched.as_str()));
        prop_assert!(rules.rule(rule_id).is_some());
        // A finding starts and ends on whole words.
        let word = |c: char| c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c);
        let (first, last) = (matched.chars().next(), matched.chars().next_back());
        prop_assert!(
            first.is_some_and(word) && last.is_some_and(word),
            "{matched:?}"
        );
        let before = message
            .get(..span.start)
            .and_then(|h| h.chars().next_back());
        let after = message.get(span.end..).and_then(|t| t.chars().next());
        prop_assert!(
            !before.is_some_and(word) && !after.is_some_and(word),
            "{matched:?} in {message:?}"
        );
    }
    for fix in review.findings.iter().filter_map(|f| f.fix.as_ref()) {
        prop_assert!(message.get(fix.span.range()).is_some(), "{fix:?}");
    }
    let fixed = review.apply_fixes(message);
    prop_assert!(fixed.len() <= message.len() + 16 * review.findings.len());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn spans_lie_on_char_boundaries_and_whole_words(
        pieces in proptest::collection::vec(fragment(), 0..16),
        closing in any::<bool>(),
        include_quoted in any::<bool>(),
    ) {
        let reviewer = english();
        let rules = reviewer.rule_set().clone();
        let message = pieces.concat();
        let context = ReviewContext::builder()
            .customer_name("Zoë Kowalski")
            .closing(closing)
            .include_quoted(include_quoted)
            .build();
        check_spans(&reviewer, &rules, &message, &context)?;
    }

    #[test]
    fn arbitrary_text_never_breaks_the_review(message in any::<String>()) {
        let reviewer = english();
        let rules = reviewer.rule_set().clone();
        check_spans(&reviewer, &rules, &message, &ReviewContext::default())?;
    }
}

/// Every rule of the built-in set carries examples to flag and to pass, and
/// gets every one of them right.
#[test]
fn every_rule_proves_itself_with_its_examples() {
    let reviewer = english();
    for rule in &reviewer.rule_set().rules {
        assert!(
            !rule.examples.flag.is_empty() && !rule.examples.pass.is_empty(),
            "the rule `{}` needs examples to flag and to pass",
            rule.id
        );
    }
    let failures = reviewer.check_examples();
    assert!(
        failures.is_empty(),
        "{} example(s) fail:\n{}",
        failures.len(),
        failures
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    #[allow(dead_code)]
    note: String,
    messages: Vec<CorpusMessage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CorpusMessage {
    id: String,
    industry: String,
    channel: String,
    /// The kind of flaw the message has (a category name), or `null` for a clean one.
    flaw: Option<String>,
    text: String,
    #[serde(default)]
    context: ReviewContext,
}

/// The category a corpus label stands for.
fn category_of(label: &str) -> Category {
    match label {
        "hedged_apology" => Category::HedgedApology,
        "policy_voice" => Category::PolicyVoice,
        "defensive" => Category::Defensive,
        "dismissive" => Category::Dismissive,
        "argumentative" => Category::Argumentative,
        "patronizing" => Category::Patronizing,
        "minimizing" => Category::Minimizing,
        "honesty" | "honesty_marker" => Category::HonestyMarker,
        "sarcasm" => Category::Sarcasm,
        "vague_timing" => Category::VagueTiming,
        "impersonal_thanks" => Category::ImpersonalThanks,
        "missing_thanks" => Category::MissingThanks,
        other => panic!("unknown flaw label {other:?}"),
    }
}

/// Recall and false positives of one split, per category.
struct Scores {
    /// Per category: flawed messages, of them caught (a finding of that category).
    recall: std::collections::BTreeMap<String, (usize, usize)>,
    /// Per category: clean messages with a finding of that category.
    false_alarms: std::collections::BTreeMap<String, usize>,
    clean: usize,
    clean_flagged: usize,
    flawed: usize,
    caught: usize,
    misses: Vec<String>,
    alarms: Vec<String>,
}

fn score(corpus: &Corpus) -> Scores {
    let reviewer = english();
    let mut s = Scores {
        recall: Default::default(),
        false_alarms: Default::default(),
        clean: 0,
        clean_flagged: 0,
        flawed: 0,
        caught: 0,
        misses: Vec::new(),
        alarms: Vec::new(),
    };
    let mut ids = HashSet::new();
    for m in &corpus.messages {
        assert!(ids.insert(m.id.as_str()), "duplicate corpus id {}", m.id);
        assert!(matches!(m.channel.as_str(), "email" | "chat"), "{}", m.id);
        assert!(!m.industry.is_empty(), "{}", m.id);
        let review = reviewer.review(&m.text, &m.context);
        match &m.flaw {
            Some(label) => {
                let category = category_of(label);
                let caught = review.findings.iter().any(|f| f.category == category);
                let entry = s.recall.entry(category.to_string()).or_default();
                entry.0 += 1;
                s.flawed += 1;
                if caught {
                    entry.1 += 1;
                    s.caught += 1;
                } else {
                    s.misses.push(format!(
                        "{} [{label}] {:?}: {:?}",
                        m.id,
                        m.text,
                        describe(&review)
                    ));
                }
            }
            None => {
                s.clean += 1;
                if !review.is_clean() {
                    s.clean_flagged += 1;
                    s.alarms
                        .push(format!("{} {:?}: {:?}", m.id, m.text, describe(&review)));
                }
                let mut seen = HashSet::new();
                for f in &review.findings {
                    if seen.insert(f.category.to_string()) {
                        *s.false_alarms.entry(f.category.to_string()).or_default() += 1;
                    }
                }
            }
        }
    }
    s
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

fn report(name: &str, corpus: &Corpus, s: &Scores) -> String {
    let industries: HashSet<&str> = corpus
        .messages
        .iter()
        .map(|m| m.industry.as_str())
        .collect();
    let mut out = format!(
        "{name}: {} messages, {} industries; recall {}/{} = {:.1} %; false positives {}/{} = {:.1} %\n",
        corpus.messages.len(),
        industries.len(),
        s.caught,
        s.flawed,
        percent(s.caught, s.flawed),
        s.clean_flagged,
        s.clean,
        percent(s.clean_flagged, s.clean)
    );
    for (category, (total, caught)) in &s.recall {
        let alarms = s.false_alarms.get(category).copied().unwrap_or(0);
        out.push_str(&format!(
            "  {category:<24} recall {caught:>3}/{total:<3} {:>5.1} %   false positives {alarms}/{} {:.1} %\n",
            percent(*caught, *total),
            s.clean,
            percent(alarms, s.clean)
        ));
    }
    for (category, alarms) in &s.false_alarms {
        if !s.recall.contains_key(category) {
            out.push_str(&format!(
                "  {category:<24} (no flawed messages)   false positives {alarms}/{} {:.1} %\n",
                s.clean,
                percent(*alarms, s.clean)
            ));
        }
    }
    for miss in &s.misses {
        out.push_str(&format!("  missed: {miss}\n"));
    }
    for alarm in &s.alarms {
        out.push_str(&format!("  false positive: {alarm}\n"));
    }
    out
}

fn corpus(json: &str) -> Corpus {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("corpus is malformed: {e}"))
}

/// The corpus figures, per category, on both splits (run with `--nocapture`
/// to see them). The tuning split must meet the targets; the held-out split
/// (written before the rules were tuned, never tuned on) is measured and
/// reported, and must stay well clear of the old figures.
#[test]
fn corpus_recall_and_false_positives() {
    let tuning = corpus(include_str!("data/review_corpus_tuning.json"));
    let held_out = corpus(include_str!("data/review_corpus_heldout.json"));
    let (t, h) = (score(&tuning), score(&held_out));
    println!("{}", report("tuning", &tuning, &t));
    println!("{}", report("held-out", &held_out, &h));
    assert!(tuning.messages.len() + held_out.messages.len() >= 400);
    assert!(held_out.messages.len() >= 100);
    assert!(
        percent(t.caught, t.flawed) >= 90.0 && percent(t.clean_flagged, t.clean) <= 2.0,
        "tuning split misses its targets:\n{}",
        report("tuning", &tuning, &t)
    );
    // The held-out split is recorded, not tuned to; it must still beat the
    // figures that opened issue 13 (recall 60 %, false positives 7.5 %).
    assert!(
        percent(h.caught, h.flawed) > 60.0 && percent(h.clean_flagged, h.clean) < 7.5,
        "held-out split fell below the old figures:\n{}",
        report("held-out", &held_out, &h)
    );
}

/// Not a check: prints every case's findings as JSON, for updating the table
/// by hand after a deliberate change to the rules (`-- --ignored --nocapture`).
#[test]
#[ignore = "a tool for maintaining the case table"]
fn dump_case_table_findings() {
    let table: Table = serde_json::from_str(include_str!("data/review_cases.json"))
        .unwrap_or_else(|e| panic!("review_cases.json is malformed: {e}"));
    let reviewer = english();
    for case in &table.cases {
        let review = reviewer.review(&case.message, &case.context);
        let found: Vec<_> = review
            .findings
            .iter()
            .map(|f| serde_json::json!({"rule": f.rule_id, "text": f.matched, "severity": f.severity}))
            .collect();
        println!(
            "DUMP {}",
            serde_json::json!({"name": case.name, "found": found})
        );
    }
    assert!(!table.cases.is_empty());
}

/// One-click fixes: the span and replacement a finding carries, and applying
/// several without overlap.
#[test]
fn one_click_fixes() {
    let reviewer = english();
    let none = ReviewContext::default();
    let message = "To be honest, the parcel is lost. I'll obviously refund it, honestly.";
    let review = reviewer.review(message, &none);
    let fixes: Vec<(&str, &str)> = review
        .findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .map(|fix| (&message[fix.span.range()], fix.replacement.as_str()))
        .collect();
    assert_eq!(
        fixes,
        [
            ("To be honest, t", "T"),
            ("obviously ", ""),
            (", honestly", "")
        ]
    );
    assert_eq!(
        review.apply_fixes(message),
        "The parcel is lost. I'll refund it."
    );
    // Findings without a direct replacement carry no fix, and leave the text alone.
    let vague = reviewer.review("It ships soon.", &none);
    assert!(vague.findings.iter().all(|f| f.fix.is_none()));
    assert_eq!(vague.apply_fixes("It ships soon."), "It ships soon.");
    // Overlapping fixes: the first (by start) wins.
    let fixes = [
        Fix {
            span: Span { start: 4, end: 9 },
            replacement: "b".into(),
        },
        Fix {
            span: Span { start: 0, end: 6 },
            replacement: "a".into(),
        },
        Fix {
            span: Span { start: 10, end: 11 },
            replacement: "c".into(),
        },
    ];
    assert_eq!(apply_fixes("0123456789X", &fixes), "a6789c");
}

#[test]
fn new_categories_and_errors_read_plainly() {
    for (category, text) in [
        (Category::Dismissive, "dismissive"),
        (Category::Minimizing, "minimizing"),
        (Category::HonestyMarker, "honesty marker"),
        (Category::Sarcasm, "sarcastic"),
        (Category::MissingThanks, "no thanks at the close"),
    ] {
        assert_eq!(category.to_string(), text);
    }
    let failure = ExampleFailure {
        rule_id: "x.y".into(),
        message: "Hi".into(),
        should_flag: true,
    };
    assert_eq!(
        failure.to_string(),
        "the rule `x.y` should flag \"Hi\" but finds nothing in it"
    );
    let failure = ExampleFailure {
        should_flag: false,
        ..failure
    };
    assert_eq!(
        failure.to_string(),
        "the rule `x.y` flags \"Hi\", which it lists as a message to pass"
    );

    let mut set = RuleSet::new("en");
    let bad = Rule::builder()
        .id("x.gap")
        .category(Category::Defensive)
        .severity(FindingSeverity::Warning)
        .patterns(vec!["sorry ...0 but".into()])
        .explanation("e")
        .suggestion("s")
        .build();
    let err = set.add(bad).map_err(|e| e.to_string());
    assert_eq!(
        err,
        Err("the pattern \"sorry ...0 but\" of rule `x.gap` cannot be used: the gap `...0` must be 1 to 12 words".into())
    );
    assert!(set.rules.is_empty(), "a refused rule is not kept");
    let mut set = RuleSet::new("en");
    set.word_sets
        .insert("pair".into(), vec!["two words".into()]);
    assert_eq!(
        set.validate().map_err(|e| e.to_string()),
        Err("the entry \"two words\" in the rule set's word set @pair cannot be used: it is not a single word".into())
    );
    // A set's name has no spaces and no `|` (it is written `@name` inside patterns).
    for name in ["two words", "a|b", ""] {
        let mut set = RuleSet::new("en");
        set.word_sets.insert(name.into(), vec!["word".into()]);
        let error = set.validate().map_err(|e| e.to_string());
        assert!(
            error
                .as_ref()
                .is_err_and(|e| e.ends_with("a set name needs letters and no spaces")),
            "{name:?}: {error:?}"
        );
    }
    let unknown = serde_json::from_str::<RuleSet>(r#"{"language": "en", "rules": [], "extra": 1}"#);
    assert!(unknown.is_err_and(|e| e.to_string().contains("unknown field `extra`")));
}

#[test]
fn quotes_of_every_kind_are_the_customers_words() {
    let reviewer = english();
    let none = ReviewContext::default();
    for message in [
        "You wrote 'this will be fixed soon', and I'm sorry: it is fixed today.",
        "You were told \u{AB}calm down\u{BB}; I'm sorry, that was wrong.",
        "You heard \u{2018}calm down\u{2019} from us; that was wrong.",
        "You quoted \"as per our policy\" from our reply; I've refunded you.",
    ] {
        assert!(reviewer.review(message, &none).is_clean(), "{message}");
    }
    let quoted = ReviewContext::builder().include_quoted(true).build();
    assert!(
        !reviewer
            .review("You wrote 'we will ship it soon'.", &quoted)
            .is_clean()
    );
}

#[test]
fn names_match_after_unicode_normalization() {
    let reviewer = english();
    let context = ReviewContext::builder()
        .customer_name("ZOE\u{308} Lambert")
        .closing(true)
        .build();
    assert!(
        reviewer
            .review("Thank you, Zo\u{eb}. The case is closed.", &context)
            .is_clean()
    );
    let ids = rule_ids_of(&reviewer.review("Thank you. The case is closed.", &context));
    assert_eq!(ids, ["impersonal-thanks.no-name"]);
    let ids = rule_ids_of(&reviewer.review("Zo\u{eb}, the case is closed.", &context));
    assert_eq!(ids, ["missing-thanks.at-close"]);
}

fn rule_ids_of(review: &Review) -> Vec<String> {
    review.findings.iter().map(|f| f.rule_id.clone()).collect()
}

/// Words longer than the sixteen bytes the fast word table packs take the general path,
/// and a rule about them still finds them, in any case and between other long words.
#[test]
fn a_rule_about_a_long_word_finds_it() {
    let rules = service_recovery::review::RuleSet::from_json(
        r#"{"language":"en","rules":[{"id":"house.no-jargon","category":{"custom":"house style"},
            "severity":"error","phrases":["incomprehensibilities", "hyperparameterization"],
            "explanation":"Plain words, please.","suggestion":"Say it simply."}]}"#,
    )
    .unwrap();
    let reviewer = service_recovery::review::Reviewer::new(rules).unwrap();
    let context = service_recovery::review::ReviewContext::default();
    let review = reviewer.review(
        "Sorry for the Incomprehensibilities of our hyperparameterization notes.",
        &context,
    );
    let matched: Vec<&str> = review.findings.iter().map(|f| f.matched.as_str()).collect();
    assert_eq!(matched, ["Incomprehensibilities", "hyperparameterization"]);
    assert!(
        reviewer
            .review("Sorry for the incomprehensible notes.", &context)
            .findings
            .is_empty()
    );
}
