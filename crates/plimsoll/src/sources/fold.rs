//! Keeping memory bounded whatever the number of findings: every finding of an input passes
//! through a [`Sink`], which applies the baseline, records it for `plimsoll baseline`, and keeps
//! only the first [`KEPT_PER_RULE`] findings of each rule in each file in full. The others are
//! *folded*: counted into one finding per file, rule, severity and suppression state, which
//! points at the first of them and says how many it stands for.
//!
//! Why fold rather than stream: the report is sorted (by file, line) and quotes source lines,
//! so every renderer needs all of a file's findings before writing the first; and a finding
//! costs about a kilobyte (message, fix, fingerprint, location), so a 4 MiB script of 40,000
//! `docker run --privileged --pid=host …` lines (780,000 findings) held 1 GB, once per file
//! audited in parallel. Folded, such a file keeps a few thousand findings.
//!
//! What stays exact: the exit status (a folded group carries the severity and suppression of
//! the findings it stands for, so a folded critical still fails the run); baselines (applied to
//! every finding *before* folding, with occurrence counts, and recorded from every finding);
//! inline pragmas and configuration (applied before findings reach the sink); and the report's
//! counts, since a folded finding carries in [`Finding::folded`] how many more it stands for.

use super::context::{AuditContext, Outcome};
use plimsoll_core::finding::fingerprint;
use plimsoll_core::suppression::{BaselineMatcher, BaselineRecorder};
use plimsoll_core::{AuditError, Finding, Severity, Suppressed};
use std::collections::{BTreeMap, HashMap};

/// How many findings of one rule in one file are kept in full. A hundred is far more than a
/// person reads for one rule in one file, and bounds a file's findings to (rules × 100).
pub const KEPT_PER_RULE: usize = 100;

/// The per-input pipeline after the rules, inline pragmas and configuration: baseline,
/// baseline recording, folding.
pub struct Sink<'a> {
    baseline: Option<BaselineMatcher<'a>>,
    recorder: Option<BaselineRecorder>,
    kept: Vec<Finding>,
    /// Findings kept so far, per file and rule.
    kept_per_rule: HashMap<String, HashMap<&'static str, usize>>,
    folds: BTreeMap<FoldKey, Fold>,
}

/// A folded group: file, rule, severity and suppression state (0 active, 1 inline, 2 baseline).
type FoldKey = (String, &'static str, Severity, u8);

/// The first finding of a folded group and how many it stands for.
struct Fold {
    first: Finding,
    count: u64,
}

impl<'a> Sink<'a> {
    pub fn new(cx: &AuditContext<'a>) -> Self {
        Sink {
            baseline: cx.baseline.map(BaselineMatcher::new),
            recorder: cx.record_baseline.then(BaselineRecorder::default),
            kept: Vec::new(),
            kept_per_rule: HashMap::new(),
            folds: BTreeMap::new(),
        }
    }

    /// Takes one finding, in the order the rules produced it.
    pub fn push(&mut self, mut finding: Finding) {
        if let Some(matcher) = &mut self.baseline {
            matcher.apply(&mut finding);
        }
        if let Some(recorder) = &mut self.recorder {
            recorder.record(&finding);
        }
        let per_rule = match self.kept_per_rule.get_mut(&finding.location.path) {
            Some(per_rule) => per_rule,
            None => self
                .kept_per_rule
                .entry(finding.location.path.clone())
                .or_default(),
        };
        let kept = per_rule.entry(finding.rule_id).or_insert(0);
        if *kept < KEPT_PER_RULE {
            *kept += 1;
            self.kept.push(finding);
            return;
        }
        let state = match finding.suppressed {
            None => 0,
            Some(Suppressed::Inline { .. }) => 1,
            Some(Suppressed::Baseline) => 2,
        };
        let key = (
            finding.location.path.clone(),
            finding.rule_id,
            finding.severity,
            state,
        );
        self.folds
            .entry(key)
            .and_modify(|fold| fold.count += 1)
            .or_insert(Fold {
                first: finding,
                count: 1,
            });
    }

    /// Takes every finding of a batch.
    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) {
        for finding in findings {
            self.push(finding);
        }
    }

    /// Moves the kept findings, one finding per folded group, a warning per folded file and
    /// the recorded baseline entries into `outcome`.
    pub fn finish(self, outcome: &mut Outcome) {
        outcome.findings = self.kept;
        let mut folded_per_file: BTreeMap<String, u64> = BTreeMap::new();
        for ((path, rule_id, severity, _), fold) in self.folds {
            *folded_per_file.entry(path.clone()).or_default() += fold.count;
            outcome
                .findings
                .push(folded_finding(fold, &path, rule_id, severity));
        }
        for (path, count) in folded_per_file {
            outcome.warnings.push(AuditError {
                path,
                span: None,
                message: format!(
                    "{count} findings folded: only the first {KEPT_PER_RULE} findings of each rule \
                     in a file are listed; the others are counted in one `… more like it` finding \
                     per rule and severity, which keeps memory bounded"
                ),
                hint: Some(
                    "the exit status and the summary count every folded finding".to_string(),
                ),
            });
        }
        outcome.recorded = self.recorder;
        outcome.sunk = true;
    }
}

/// The finding standing for a folded group: the group's first finding, its message saying how
/// many it stands for, [`Finding::folded`] counting the others so the report's counts stay
/// exact, and a fingerprint of its own (never recorded in a baseline, which records the folded
/// findings themselves).
fn folded_finding(fold: Fold, path: &str, rule_id: &'static str, severity: Severity) -> Finding {
    let Fold { mut first, count } = fold;
    first.folded = count.saturating_sub(1);
    first.message = format!(
        "and {count} more {rule_id} ({severity}) findings in this file, folded into this one; \
         the first of them: {}",
        first.message
    );
    first.fingerprint = fingerprint(rule_id, path, &format!("folded {severity}"));
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_core::suppression::{Baseline, UNKNOWN_SUPPRESSION};
    use plimsoll_core::{Location, Pos, Span};
    use std::collections::BTreeSet;

    fn finding(line: u32) -> Finding {
        let span = Span::new(Pos::new(line, 1), Pos::new(line, 5));
        Finding::new(
            &UNKNOWN_SUPPRESSION,
            Location::with_span("run.sh", span),
            "repeated",
        )
        .key("the same on every line")
        .build()
    }

    fn context<'a>(
        config: &'a plimsoll_core::config::Config,
        settings: &'a crate::sources::RunSettings,
        dockerfiles: &'a BTreeSet<String>,
        baseline: Option<&'a Baseline>,
        record_baseline: bool,
    ) -> AuditContext<'a> {
        AuditContext {
            registry: crate::registry::registry(),
            config,
            run: settings,
            dockerfiles,
            baseline,
            record_baseline,
        }
    }

    #[test]
    fn folds_repeats_beyond_the_kept_number_and_says_how_many() {
        let (config, settings, dockerfiles) = Default::default();
        let cx = context(&config, &settings, &dockerfiles, None, true);
        let mut sink = Sink::new(&cx);
        sink.extend((1..=1000).map(finding));
        let mut outcome = Outcome::default();
        sink.finish(&mut outcome);
        assert_eq!(outcome.findings.len(), KEPT_PER_RULE + 1);
        let folded = &outcome.findings[KEPT_PER_RULE];
        assert!(
            folded.message.starts_with("and 900 more PL002"),
            "{}",
            folded.message
        );
        assert!(
            !folded.is_suppressed(),
            "a folded group still counts for the exit status"
        );
        assert!(outcome.warnings[0]
            .message
            .starts_with("900 findings folded"));
        assert_eq!(folded.folded, 899, "the others of its group");
        assert_eq!(
            outcome
                .findings
                .iter()
                .map(Finding::stands_for)
                .sum::<usize>(),
            1000,
            "every finding is counted"
        );
        let recorded = outcome.recorded.expect("recording").into_baseline();
        assert_eq!(
            recorded.findings[0].count,
            Some(1000),
            "every copy is recorded"
        );
    }

    #[test]
    fn the_baseline_applies_to_folded_findings_too() {
        let (config, settings, dockerfiles) = Default::default();
        let accepted = Baseline::from_findings(&(1..=1000).map(finding).collect::<Vec<_>>());
        let cx = context(&config, &settings, &dockerfiles, Some(&accepted), false);
        let mut sink = Sink::new(&cx);
        sink.extend((1..=1001).map(finding));
        let mut outcome = Outcome::default();
        sink.finish(&mut outcome);
        let active: Vec<&Finding> = outcome
            .findings
            .iter()
            .filter(|f| !f.is_suppressed())
            .collect();
        assert_eq!(active.len(), 1, "only the new copy is active");
        assert!(
            active[0].message.starts_with("and 1 more"),
            "{}",
            active[0].message
        );
    }
}
