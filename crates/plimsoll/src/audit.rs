//! Auditing a set of inputs in parallel into one [`Report`].

use crate::input::Input;
use crate::sources::{audit_input, AuditContext, Outcome};
use plimsoll_core::Report;
use rayon::prelude::*;

/// Audits every input (in parallel: each is independent, and the registry and config are
/// shared read-only) and sorts the report. The baseline is the caller's to apply
/// (`settings::Prepared::finish`): `plimsoll baseline` must see every finding.
pub fn audit_all(inputs: &[Input], cx: &AuditContext<'_>) -> Report {
    let outcomes: Vec<Outcome> = inputs
        .par_iter()
        .map(|input| audit_input(input, cx))
        .collect();
    let mut report = Report::default();
    for outcome in outcomes {
        report.targets.extend(outcome.targets);
        report.findings.extend(outcome.findings);
        report.errors.extend(outcome.errors);
        report.warnings.extend(outcome.warnings);
    }
    dedupe(&mut report);
    report.sort();
    report
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
