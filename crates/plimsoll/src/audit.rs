//! Auditing a set of inputs in parallel into one [`Report`].

use crate::input::Input;
use crate::sources::{audit_input, AuditContext, Outcome};
use plimsoll_core::suppression::Baseline;
use plimsoll_core::Report;
use rayon::prelude::*;

/// Audits every input (in parallel: each is independent, and the registry and config are
/// shared read-only), applies the baseline, and sorts the report.
pub fn audit_all(inputs: &[Input], cx: &AuditContext<'_>, baseline: Option<&Baseline>) -> Report {
    let outcomes: Vec<Outcome> = inputs
        .par_iter()
        .map(|input| audit_input(input, cx))
        .collect();
    let mut report = Report::default();
    for outcome in outcomes {
        report.targets.extend(outcome.target);
        report.findings.extend(outcome.findings);
        report.errors.extend(outcome.errors);
    }
    if let Some(baseline) = baseline {
        baseline.apply(&mut report.findings);
    }
    report.sort();
    report
}
