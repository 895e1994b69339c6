//! The numbers every format reports at the end: findings per severity, files, suppressed,
//! errors. Computed once here so the human line, the JSON `summary` and stderr agree.

use plimsoll_core::{Report, Severity};
use std::collections::BTreeSet;

/// Counts over a report. Only active (unsuppressed) findings are counted per severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Active findings per severity, most severe first (every severity present).
    pub by_severity: Vec<(Severity, usize)>,
    /// Active findings in total.
    pub findings: usize,
    /// Files (or other targets) audited: every target, plus any path a finding points at that
    /// is not a target (a report assembled without targets still counts its files).
    pub files: usize,
    /// Findings suppressed inline or by the baseline.
    pub suppressed: usize,
    /// Inputs that could not be (fully) audited.
    pub errors: usize,
    /// Warnings (problems that did not stop the audit).
    pub warnings: usize,
}

impl Summary {
    pub fn of(report: &Report) -> Summary {
        let counts = report.counts();
        let by_severity: Vec<(Severity, usize)> = Severity::ALL
            .iter()
            .map(|s| (*s, counts.get(s).copied().unwrap_or(0)))
            .collect();
        let findings = by_severity.iter().map(|(_, n)| n).sum();
        let files: BTreeSet<&str> = report
            .targets
            .iter()
            .map(|t| t.path.as_str())
            .chain(report.findings.iter().map(|f| f.location.path.as_str()))
            .collect();
        Summary {
            by_severity,
            findings,
            files: files.len(),
            suppressed: report.findings.iter().filter(|f| f.is_suppressed()).count(),
            errors: report.errors.len(),
            warnings: report.warnings.len(),
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.by_severity
            .iter()
            .find(|(s, _)| *s == severity)
            .map_or(0, |(_, n)| *n)
    }
}

/// One line for stderr and the end of the human report, e.g.
/// `3 findings (1 critical, 1 high, 1 medium, 0 low, 0 info) in 2 files; 1 suppressed; 1 input could not be audited`,
/// or `no findings in 2 files`. The suppressed and error parts appear only when non-zero.
pub fn summary_line(report: &Report) -> String {
    let s = Summary::of(report);
    let mut line = if s.findings == 0 {
        format!("no findings in {}", plural(s.files, "file", "files"))
    } else {
        let per: Vec<String> = s
            .by_severity
            .iter()
            .map(|(sev, n)| format!("{n} {sev}"))
            .collect();
        format!(
            "{} ({}) in {}",
            plural(s.findings, "finding", "findings"),
            per.join(", "),
            plural(s.files, "file", "files")
        )
    };
    if s.suppressed > 0 {
        line.push_str(&format!("; {} suppressed", s.suppressed));
    }
    if s.warnings > 0 {
        line.push_str(&format!("; {}", plural(s.warnings, "warning", "warnings")));
    }
    if s.errors > 0 {
        line.push_str(&format!(
            "; {} could not be audited",
            plural(s.errors, "input", "inputs")
        ));
    }
    line
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
