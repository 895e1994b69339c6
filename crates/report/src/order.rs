//! The order every renderer lists things in: by path, then position, then rule id — the order
//! of `Report::sort`, applied here too so output is deterministic even when the caller did not
//! sort the report.

use plimsoll_core::{AuditError, Finding, Report};

pub fn findings(report: &Report) -> Vec<&Finding> {
    let mut findings: Vec<&Finding> = report.findings.iter().collect();
    findings.sort_by(|a, b| {
        (a.location.path.as_str(), a.location.span, a.rule_id).cmp(&(
            b.location.path.as_str(),
            b.location.span,
            b.rule_id,
        ))
    });
    findings
}

/// The human report's order: files in path order, and within each file the most severe
/// findings first, then by position and rule id — a reader fixes the critical problems first,
/// and one file's findings stay together.
pub fn findings_by_severity(report: &Report) -> Vec<&Finding> {
    let mut findings: Vec<&Finding> = report.findings.iter().collect();
    findings.sort_by(|a, b| {
        (
            a.location.path.as_str(),
            std::cmp::Reverse(a.severity),
            a.location.span,
            a.rule_id,
        )
            .cmp(&(
                b.location.path.as_str(),
                std::cmp::Reverse(b.severity),
                b.location.span,
                b.rule_id,
            ))
    });
    findings
}

pub fn errors(report: &Report) -> Vec<&AuditError> {
    sorted(&report.errors)
}

pub fn warnings(report: &Report) -> Vec<&AuditError> {
    sorted(&report.warnings)
}

fn sorted(list: &[AuditError]) -> Vec<&AuditError> {
    let mut list: Vec<&AuditError> = list.iter().collect();
    list.sort_by(|a, b| (a.path.as_str(), a.span).cmp(&(b.path.as_str(), b.span)));
    list
}
