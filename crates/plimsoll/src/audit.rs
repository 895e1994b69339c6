//! Auditing a set of inputs in parallel into one [`Report`].

use crate::input::Input;
use crate::sources::{audit_input, AuditContext, Outcome};
use plimsoll_core::suppression::BaselineRecorder;
use plimsoll_core::Report;
use rayon::prelude::*;

/// Inputs above this size (a hundred times a large real Dockerfile or script) are audited
/// one at a time.
pub const LARGE_INPUT_BYTES: u64 = 1024 * 1024;

/// Audits every input (in parallel: each is independent, and the registry and config are
/// shared read-only) and sorts the report. The context's baseline, if any, is applied to each
/// input's findings as they are produced (see `sources::fold`).
pub fn audit_all(inputs: &[Input], cx: &AuditContext<'_>) -> Report {
    audit_recording(inputs, cx).0
}

/// [`audit_all`], also returning every finding's fingerprint counted when the context asks to
/// record a baseline (`plimsoll baseline`), folded findings included.
pub fn audit_recording(inputs: &[Input], cx: &AuditContext<'_>) -> (Report, BaselineRecorder) {
    // Large inputs one at a time, after the others: the memory an audit needs while it runs
    // (parse trees, one RunSpec per `docker run` line) follows the input's size, and four 4 MiB
    // scripts audited at once would need four times the peak of one.
    let (large, small): (Vec<&Input>, Vec<&Input>) = inputs
        .iter()
        .partition(|input| input.size_on_disk().is_some_and(|n| n > LARGE_INPUT_BYTES));
    let mut outcomes: Vec<Outcome> = small
        .par_iter()
        .map(|input| audit_input(input, cx))
        .collect();
    outcomes.extend(large.iter().map(|input| audit_input(input, cx)));
    let mut report = Report::default();
    let mut recorded = BaselineRecorder::default();
    for outcome in outcomes {
        report.targets.extend(outcome.targets);
        report.findings.extend(outcome.findings);
        report.errors.extend(outcome.errors);
        report.warnings.extend(outcome.warnings);
        if let Some(more) = outcome.recorded {
            recorded.merge(more);
        }
    }
    dedupe(&mut report);
    report.sort();
    (report, recorded)
}

/// A file audited twice — a Dockerfile found by the walk and also built by a compose service,
/// a compose file included by two projects — is reported once: the audits are deterministic,
/// so the second copy's targets, findings and messages are identical and dropped.
fn dedupe(report: &mut Report) {
    let mut seen = std::collections::HashSet::new();
    report.targets.retain(|t| seen.insert(t.path.clone()));
    let mut seen = std::collections::HashSet::new();
    report
        .findings
        .retain(|f| seen.insert((f.fingerprint.clone(), f.location.clone(), f.message.clone())));
    for list in [&mut report.errors, &mut report.warnings] {
        let mut seen = std::collections::HashSet::new();
        list.retain(|e| seen.insert((e.path.clone(), e.span, e.message.clone())));
    }
}
