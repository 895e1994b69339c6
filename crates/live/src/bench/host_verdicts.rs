//! The DM/HS rules' results as the benchmark's host verdicts: `bench` decides sections 1–3,
//! 5.1 and 6 from what the daemon and host rules found, shown the way docker-bench shows them.

use plimsoll_core::{Finding, Severity};

use super::decide::{HostResult, Verdict};
use crate::facts::{DaemonFacts, HostFacts};
use crate::rules::{self, CheckResult, Status};

/// The daemon and host rules' per-CIS results as host verdicts, and their findings.
pub fn evaluate(d: &DaemonFacts, h: &HostFacts) -> (Vec<HostResult>, Vec<Finding>) {
    let mut results = Vec::new();
    let mut findings = Vec::new();
    for c in rules::evaluate_daemon(d)
        .into_iter()
        .chain(rules::evaluate_host(h))
    {
        results.push(host_result(&c));
        findings.extend(c.findings);
    }
    (results, findings)
}

fn host_result(c: &CheckResult) -> HostResult {
    // Under each check, what is wrong: the findings' evidence (or message); a result whose
    // finding has no evidence but which names its own offending item in its details (HS003's
    // one finding for every unwatched path) shows that item instead.
    let mut items: Vec<String> = c
        .findings
        .iter()
        .filter_map(|f| match f.evidence.as_deref() {
            Some(e) if !e.is_empty() && e.chars().count() <= 120 => Some(e.to_string()),
            _ if !c.details.is_empty() => None,
            _ => Some(f.message.clone()),
        })
        .collect();
    if items.is_empty() && c.status == Status::Fail {
        items = c.details.clone();
    }
    let verdict = match &c.status {
        Status::Pass => Verdict::Pass,
        // A failure made only of informational findings is docker-bench's INFO.
        Status::Fail
            if !c.findings.is_empty()
                && c.findings.iter().all(|f| f.severity == Severity::Info) =>
        {
            Verdict::Info
        }
        Status::Fail => Verdict::Fail,
        Status::NotApplicable(why) => Verdict::NotApplicable(why.clone()),
        Status::NotChecked(why) => Verdict::NotChecked(why.clone()),
    };
    HostResult {
        cis: c.cis.to_string(),
        verdict,
        // A detail that repeats a finding's evidence (1.1.2's `Users: …`) is printed once.
        details: c
            .details
            .iter()
            .filter(|d| !items.contains(d))
            .cloned()
            .collect(),
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_core::{Location, RuleMeta};

    fn meta(severity: Severity) -> &'static RuleMeta {
        rules::metas()
            .into_iter()
            .find(|m| m.severity == severity)
            .expect("a live rule of this severity")
    }

    fn finding(meta: &'static RuleMeta, evidence: &str) -> Finding {
        Finding::new(meta, Location::file("/etc/group"), "found")
            .evidence(evidence)
            .build()
    }

    #[test]
    fn a_detail_repeating_an_item_is_shown_once() {
        let m = meta(Severity::Medium);
        let c = CheckResult::fail("1.1.2", m, finding(m, "Users: alice")).detail("Users: alice");
        let r = host_result(&c);
        assert_eq!(r.verdict, Verdict::Fail);
        assert_eq!(r.items, ["Users: alice"]);
        assert!(r.details.is_empty());
    }

    #[test]
    fn a_failure_of_informational_findings_only_is_info() {
        let m = meta(Severity::Info);
        let r = host_result(&CheckResult::fail("2.8", m, finding(m, "x")));
        assert_eq!(r.verdict, Verdict::Info);
    }

    #[test]
    fn every_result_gives_a_verdict_and_keeps_its_findings() {
        let d = crate::rules::testing::daemon();
        let h = crate::rules::testing::host();
        let all: Vec<CheckResult> = rules::evaluate_daemon(&d)
            .into_iter()
            .chain(rules::evaluate_host(&h))
            .collect();
        let (results, findings) = evaluate(&d, &h);
        assert_eq!(results.len(), all.len());
        assert_eq!(
            findings.len(),
            all.iter().map(|c| c.findings.len()).sum::<usize>()
        );
    }
}
