//! GitLab Code Quality report: the subset of the Code Climate issue format GitLab reads
//! (`artifacts: reports: codequality:`), so findings appear in merge-request widgets.
//!
//! Each active finding becomes one issue:
//!
//! ```json
//! { "type": "issue", "check_name": "DF001", "description": "high[DF001]: …",
//!   "categories": ["Security"], "fingerprint": "…", "severity": "major",
//!   "location": { "path": "app/Dockerfile", "lines": { "begin": 9, "end": 9 } } }
//! ```
//!
//! Mapping decisions:
//! - severity follows Trivy's Code Quality template, which GitLab users already see:
//!   critical → `critical`, high → `major`, medium → `minor`, low and info → `info`.
//! - GitLab drops issues with a repeated fingerprint, and plimsoll's fingerprints deliberately
//!   ignore the line (for baselines), so the second and later copies of one fingerprint get
//!   `-2`, `-3`, … appended; the first keeps the plain fingerprint, so it is stable across runs.
//! - suppressed findings are left out: Code Quality has no notion of a suppressed issue, and
//!   listing them would report accepted findings as new in every merge request.
//! - `location.lines.begin` is required; a finding without a line points at line 1.
//! - text from the audited input is redacted ([`crate::redact`]).
//! - Code Quality has no count field: a folded finding (standing for N more of its rule in its
//!   file) is one issue whose description says how many it stands for.

use crate::redact;
use plimsoll_core::{Finding, Report, Severity};
use serde::Serialize;
use std::collections::HashMap;

/// One Code Quality issue.
#[derive(Debug, Serialize)]
pub struct Issue<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub check_name: &'static str,
    pub description: String,
    pub categories: [&'static str; 1],
    pub fingerprint: String,
    pub severity: &'static str,
    pub location: IssueLocation<'a>,
}

#[derive(Debug, Serialize)]
pub struct IssueLocation<'a> {
    pub path: &'a str,
    pub lines: Lines,
}

#[derive(Debug, Serialize)]
pub struct Lines {
    pub begin: u32,
    pub end: u32,
}

/// Code Quality severity of a plimsoll severity.
pub fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "critical",
        Severity::High => "major",
        Severity::Medium => "minor",
        Severity::Low | Severity::Info => "info",
    }
}

/// The issues of a report, in report order, built one at a time while serialising.
pub struct Issues<'a> {
    findings: Vec<&'a Finding>,
}

impl<'a> Issues<'a> {
    pub fn of(report: &'a Report) -> Issues<'a> {
        let mut findings = crate::order::findings(report);
        findings.retain(|f| !f.is_suppressed());
        Issues { findings }
    }

    /// The issues, with repeated fingerprints made unique.
    pub fn iter(&self) -> impl Iterator<Item = Issue<'a>> + '_ {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        self.findings.iter().map(move |f| {
            let n = seen.entry(f.fingerprint.as_str()).or_insert(0);
            *n += 1;
            issue(f, *n)
        })
    }
}

impl Serialize for Issues<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

fn issue(f: &Finding, occurrence: usize) -> Issue<'_> {
    let span = f.location.span.filter(|s| s.start.line > 0);
    let begin = span.map_or(1, |s| s.start.line);
    let end = span.map_or(begin, |s| s.end.line.max(begin));
    Issue {
        kind: "issue",
        check_name: f.rule_id,
        description: format!(
            "{}[{}]: {}",
            f.severity,
            f.rule_id,
            redact::text(&f.message)
        ),
        categories: ["Security"],
        fingerprint: if occurrence == 1 {
            f.fingerprint.clone()
        } else {
            format!("{}-{occurrence}", f.fingerprint)
        },
        severity: severity(f.severity),
        location: IssueLocation {
            path: &f.location.path,
            lines: Lines { begin, end },
        },
    }
}

/// Writes the report as a pretty-printed JSON array with a trailing newline.
pub fn render_to(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &Issues::of(report))?;
    out.write_all(b"\n")
}
