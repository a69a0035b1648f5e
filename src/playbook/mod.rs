//! Playbooks: which recovery steps a business uses, in what order, and which are
//! required.
//!
//! A playbook is data chosen by the host at run time, so it is checked once when it is
//! built: every step it mentions is part of it, the ordering has no cycle (a cycle would
//! make its steps unreachable), nothing waits for the closing step, and a closing step
//! exists. After that, [`decide`](crate::decide) consults it with table lookups.
//!
//! [`Playbook::standard`] follows the practices in the crate documentation: thanks and
//! apology before the explanation, the customer's goal recorded before options are
//! offered, agreement before action, final thanks before closing, and a root cause at
//! closing.
//!
//! # A host's own playbook
//!
//! ```
//! use service_recovery::playbook::{Playbook, PlaybookConfig, StepKind, StepRule};
//!
//! let quick = Playbook::new(
//!     PlaybookConfig::builder()
//!         .name("quick fix")
//!         .steps(vec![
//!             StepRule::builder().step(StepKind::Apologize).required(true).build(),
//!             StepRule::builder().step(StepKind::Act).repeatable(true)
//!                 .after(vec![StepKind::Apologize]).build(),
//!             StepRule::builder().step(StepKind::Agree).repeatable(true).build(),
//!             StepRule::builder().step(StepKind::Close).required(true)
//!                 .after(vec![StepKind::Apologize]).build(),
//!         ])
//!         .require_root_cause(false)
//!         .build(),
//! )?;
//! assert!(quick.rule(StepKind::Explain).is_none());
//!
//! // The same playbook as JSON, for hosts that keep configuration in files.
//! let json = serde_json::to_string(&quick).unwrap();
//! let back: Playbook = serde_json::from_str(&json).unwrap();
//! assert_eq!(back, quick);
//! # Ok::<(), service_recovery::playbook::PlaybookError>(())
//! ```

mod step;

pub use step::{StepKind, StepRule};

use serde::{Deserialize, Serialize};
use thiserror::Error;
use typed_builder::TypedBuilder;

/// The configuration a host writes: a name, step rules, and whether closing needs a
/// root cause. Turn it into a [`Playbook`] with [`Playbook::new`], which validates it.
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TypedBuilder, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct PlaybookConfig {
    /// A name for people: "airline refunds", "retail standard".
    #[builder(setter(into))]
    pub name: String,
    /// One rule per step the playbook uses; steps not listed cannot happen.
    pub steps: Vec<StepRule>,
    /// Whether closing needs a non-empty root cause.
    #[builder(default = true)]
    #[serde(default = "yes")]
    pub require_root_cause: bool,
}

fn yes() -> bool {
    true
}

/// Why a playbook configuration was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PlaybookError {
    /// A step appears twice.
    #[error("the playbook lists the step \"{0}\" twice")]
    DuplicateStep(StepKind),
    /// A rule refers to a step the playbook does not have.
    #[error("\"{step}\" must come after \"{missing}\", but the playbook has no such step")]
    UnknownStep {
        /// The step whose rule mentions the missing step.
        step: StepKind,
        /// The step that is not in the playbook.
        missing: StepKind,
    },
    /// The ordering has a cycle, so none of its steps could ever happen.
    #[error("the steps {} wait for each other in a cycle, so none of them could ever happen", list(.0))]
    Cycle(Vec<StepKind>),
    /// There is no closing step.
    #[error("the playbook has no closing step, so no case could ever be closed")]
    NoClosingStep,
    /// A step waits for the closing step, so it could never happen while the case is open.
    #[error("\"{0}\" must come after closing the case, so it could never happen")]
    AfterClose(StepKind),
}

fn list(steps: &[StepKind]) -> String {
    steps
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// A validated playbook. Build one with [`Playbook::new`] or use [`Playbook::standard`].
///
/// Serialized as its [`PlaybookConfig`]; deserializing validates again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "PlaybookConfig", into = "PlaybookConfig")]
pub struct Playbook {
    config: PlaybookConfig,
    /// `slots[step.index()]` is the position of that step's rule in `config.steps`.
    slots: [Option<usize>; StepKind::COUNT],
}

impl TryFrom<PlaybookConfig> for Playbook {
    type Error = PlaybookError;
    fn try_from(config: PlaybookConfig) -> Result<Self, Self::Error> {
        Self::new(config)
    }
}

impl From<Playbook> for PlaybookConfig {
    fn from(playbook: Playbook) -> Self {
        playbook.config
    }
}

impl Playbook {
    /// Validates a configuration.
    ///
    /// # Errors
    ///
    /// A [`PlaybookError`] for a step listed twice, an ordering that mentions a step the
    /// playbook does not have, a cycle, a step that waits for closing, or no closing step.
    pub fn new(config: PlaybookConfig) -> Result<Self, PlaybookError> {
        let mut slots = [None; StepKind::COUNT];
        for (position, rule) in config.steps.iter().enumerate() {
            let slot = slots
                .get_mut(rule.step.index())
                .ok_or(PlaybookError::DuplicateStep(rule.step))?;
            if slot.is_some() {
                return Err(PlaybookError::DuplicateStep(rule.step));
            }
            *slot = Some(position);
        }
        let playbook = Self { config, slots };
        if playbook.rule(StepKind::Close).is_none() {
            return Err(PlaybookError::NoClosingStep);
        }
        for rule in &playbook.config.steps {
            for &before in &rule.after {
                if playbook.rule(before).is_none() {
                    return Err(PlaybookError::UnknownStep {
                        step: rule.step,
                        missing: before,
                    });
                }
                if before == StepKind::Close {
                    return Err(PlaybookError::AfterClose(rule.step));
                }
            }
        }
        if let Some(cycle) = playbook.find_cycle() {
            return Err(PlaybookError::Cycle(cycle));
        }
        Ok(playbook)
    }

    /// The playbook that follows the practices described in the crate documentation.
    ///
    /// | step | required | repeatable | after |
    /// |---|---|---|---|
    /// | thank | yes | no | |
    /// | apologize | yes | yes | thank |
    /// | clarify | no | yes | |
    /// | record goal | no | yes | |
    /// | explain | yes | yes | thank, apologize |
    /// | offer option | no | yes | apologize, record goal |
    /// | agree | no | yes | apologize |
    /// | act | no | yes | agree |
    /// | goodwill | no | yes | apologize |
    /// | final thanks | yes | no | explain |
    /// | close | yes | no | final thanks |
    ///
    /// Closing needs a root cause.
    pub fn standard() -> Self {
        use StepKind::*;
        let rule = |step, required, repeatable, after: &[StepKind]| StepRule {
            step,
            required,
            repeatable,
            after: after.to_vec(),
            review: None,
        };
        let config = PlaybookConfig {
            name: "standard service recovery".to_owned(),
            steps: vec![
                rule(Thank, true, false, &[]),
                rule(Apologize, true, true, &[Thank]),
                rule(Clarify, false, true, &[]),
                rule(RecordGoal, false, true, &[]),
                rule(Explain, true, true, &[Thank, Apologize]),
                rule(OfferOption, false, true, &[Apologize, RecordGoal]),
                rule(Agree, false, true, &[Apologize]),
                rule(Act, false, true, &[Agree]),
                rule(Goodwill, false, true, &[Apologize]),
                rule(FinalThanks, true, false, &[Explain]),
                rule(Close, true, false, &[FinalThanks]),
            ],
            require_root_cause: true,
        };
        let mut slots = [None; StepKind::COUNT];
        for (position, r) in config.steps.iter().enumerate() {
            if let Some(slot) = slots.get_mut(r.step.index()) {
                *slot = Some(position);
            }
        }
        Self { config, slots }
    }

    /// The playbook's name.
    pub fn name(&self) -> &str {
        &self.config.name
    }

    /// The rule for `step`, or `None` if the playbook does not use that step.
    pub fn rule(&self, step: StepKind) -> Option<&StepRule> {
        let position = (*self.slots.get(step.index())?)?;
        self.config.steps.get(position)
    }

    /// The step rules, in the order the host listed them.
    pub fn steps(&self) -> &[StepRule] {
        &self.config.steps
    }

    /// The steps that must happen before the case may close.
    pub fn required_steps(&self) -> impl Iterator<Item = StepKind> + '_ {
        self.config
            .steps
            .iter()
            .filter(|r| r.required)
            .map(|r| r.step)
    }

    /// Whether closing needs a root cause.
    pub fn requires_root_cause(&self) -> bool {
        self.config.require_root_cause
    }

    /// Depth-first search for a cycle in the "must come after" relation.
    fn find_cycle(&self) -> Option<Vec<StepKind>> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Active,
            Done,
        }
        fn visit(
            playbook: &Playbook,
            step: StepKind,
            marks: &mut [Mark; StepKind::COUNT],
            path: &mut Vec<StepKind>,
        ) -> Option<Vec<StepKind>> {
            match marks.get(step.index()).copied() {
                Some(Mark::Done) | None => return None,
                Some(Mark::Active) => {
                    let start = path.iter().position(|&s| s == step).unwrap_or(0);
                    let mut cycle: Vec<StepKind> = path.get(start..).unwrap_or(&[]).to_vec();
                    cycle.push(step);
                    return Some(cycle);
                }
                Some(Mark::New) => {}
            }
            if let Some(m) = marks.get_mut(step.index()) {
                *m = Mark::Active;
            }
            path.push(step);
            for &before in playbook
                .rule(step)
                .map(|r| r.after.as_slice())
                .unwrap_or(&[])
            {
                if let Some(cycle) = visit(playbook, before, marks, path) {
                    return Some(cycle);
                }
            }
            path.pop();
            if let Some(m) = marks.get_mut(step.index()) {
                *m = Mark::Done;
            }
            None
        }
        let mut marks = [Mark::New; StepKind::COUNT];
        let mut path = Vec::new();
        self.config
            .steps
            .iter()
            .find_map(|rule| visit(self, rule.step, &mut marks, &mut path))
    }
}

impl Default for Playbook {
    fn default() -> Self {
        Self::standard()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use StepKind::*;

    fn rule(step: StepKind, after: &[StepKind]) -> StepRule {
        StepRule::builder().step(step).after(after.to_vec()).build()
    }

    fn config(steps: Vec<StepRule>) -> PlaybookConfig {
        PlaybookConfig::builder().name("t").steps(steps).build()
    }

    #[test]
    fn the_standard_playbook_passes_its_own_validation() {
        let standard = Playbook::standard();
        let rebuilt = Playbook::new(standard.config.clone()).unwrap();
        assert_eq!(rebuilt, standard);
    }

    #[test]
    fn a_step_listed_twice_is_refused() {
        let err = Playbook::new(config(vec![rule(Close, &[]), rule(Close, &[])])).unwrap_err();
        assert_eq!(err, PlaybookError::DuplicateStep(Close));
    }

    #[test]
    fn an_unknown_step_in_the_ordering_is_refused() {
        let err = Playbook::new(config(vec![rule(Close, &[Explain])])).unwrap_err();
        assert_eq!(
            err,
            PlaybookError::UnknownStep {
                step: Close,
                missing: Explain
            }
        );
        assert_eq!(
            err.to_string(),
            "\"close the case\" must come after \"explain what happened\", but the playbook has no such step"
        );
    }

    #[test]
    fn a_cycle_is_refused_and_named() {
        let err = Playbook::new(config(vec![
            rule(Thank, &[Explain]),
            rule(Explain, &[Apologize]),
            rule(Apologize, &[Thank]),
            rule(Close, &[]),
        ]))
        .unwrap_err();
        match err {
            PlaybookError::Cycle(steps) => {
                assert_eq!(steps.first(), steps.last());
                assert_eq!(steps.len(), 4);
            }
            other => panic!("expected a cycle, got {other:?}"),
        }
    }

    #[test]
    fn a_step_waiting_for_itself_is_a_cycle() {
        let err = Playbook::new(config(vec![rule(Thank, &[Thank]), rule(Close, &[])])).unwrap_err();
        assert_eq!(err, PlaybookError::Cycle(vec![Thank, Thank]));
    }

    #[test]
    fn a_playbook_without_a_closing_step_is_refused() {
        let err = Playbook::new(config(vec![rule(Thank, &[])])).unwrap_err();
        assert_eq!(err, PlaybookError::NoClosingStep);
    }

    #[test]
    fn a_step_after_closing_is_refused() {
        let err =
            Playbook::new(config(vec![rule(Close, &[]), rule(Goodwill, &[Close])])).unwrap_err();
        assert_eq!(err, PlaybookError::AfterClose(Goodwill));
    }

    #[test]
    fn deserializing_validates() {
        let json = r#"{"name":"bad","steps":[{"step":"thank"}]}"#;
        let err = serde_json::from_str::<Playbook>(json).unwrap_err();
        assert!(err.to_string().contains("no closing step"), "{err}");
    }

    #[test]
    fn the_root_cause_is_required_unless_the_host_says_otherwise() {
        let json = r#"{"name":"ok","steps":[{"step":"close"}]}"#;
        let playbook: Playbook = serde_json::from_str(json).unwrap();
        assert!(playbook.requires_root_cause());
    }
}
