//! `--severity LEVEL`: show only findings at or above LEVEL, without changing what fails.
//!
//! Why a display filter and not also an exit filter: plimsoll already has `--fail-on` for the
//! exit status, and Trivy's `--severity`, which filters both, is what its users keep asking to
//! separate ("report everything, fail only on high": aquasecurity/trivy#1875, #1563,
//! trivy-action#61, #119). So `--severity` decides what the report shows (every format, SARIF
//! included, so an upload carries what the team chose to see) and `--fail-on` alone decides the
//! exit status, counting hidden findings too. A run that fails only because of hidden findings
//! says so on standard error, so a red CI job never shows an empty report without a reason.

use crate::cli::CommonArgs;
use plimsoll_core::{FailOn, Report, Severity};

/// What the filter hid.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Hidden {
    /// Findings below the display level (active or suppressed).
    pub findings: usize,
    /// Of those, active ones at or above `--fail-on`: they fail the run unseen.
    pub failing: usize,
}

/// Removes the findings below `level` from the report and counts them. Call after the exit
/// status has been computed from the whole report.
fn retain_at_or_above(report: &mut Report, level: Severity, threshold: FailOn) -> Hidden {
    let mut hidden = Hidden::default();
    report.findings.retain(|finding| {
        if finding.severity >= level {
            return true;
        }
        hidden.findings += 1;
        if finding.suppressed.is_none() && threshold.trips(finding.severity) {
            hidden.failing += 1;
        }
        false
    });
    hidden
}

/// Applies `--severity` when given; returns what it hid.
pub fn apply(report: &mut Report, common: &CommonArgs, threshold: FailOn) -> Hidden {
    match common.severity {
        Some(level) => retain_at_or_above(report, level, threshold),
        None => Hidden::default(),
    }
}

/// The standard-error note about hidden findings (none when nothing was hidden or `-q`).
pub fn note(hidden: Hidden, common: &CommonArgs, threshold: FailOn) -> Option<String> {
    let level = common.severity?;
    if hidden.findings == 0 || common.quiet {
        return None;
    }
    let mut note = format!(
        "{} finding{} below {level} not shown (--severity {level})",
        hidden.findings,
        if hidden.findings == 1 { "" } else { "s" }
    );
    if hidden.failing > 0 {
        let fail_on = match threshold {
            FailOn::Severity(s) => s.to_string(),
            FailOn::Never => "never".to_string(),
        };
        note.push_str(&format!(
            "; {} of them reach --fail-on {fail_on} and fail the run",
            hidden.failing
        ));
    }
    Some(note)
}
