//! The daemon and host collector (`plimsoll_engine::host`) as the live commands use it: the
//! daemon facts (for the daemon-wide `no-new-privileges` every container inherits), the CIS
//! verdicts of sections 1–3, 5.1 and 6 for `bench`, and the DM/HS findings.

use plimsoll_core::{Finding, Severity};
use plimsoll_engine::host::{self, HostOptions};
use plimsoll_engine::Engine;
use plimsoll_live::bench::{HostResult, Verdict};
use plimsoll_live::facts::{DaemonFacts, HostFacts, Probe};
use plimsoll_live::rules::{self, CheckResult, Status};

/// The daemon's facts from the engine's `info` and `version` plus daemon.json and dockerd's
/// command line (no image/container counts: `containers` does not need them).
pub fn daemon_facts(engine: &Engine) -> DaemonFacts {
    let info = engine.info().map_err(|e| e.to_string());
    host::collect_daemon_from(
        info.as_ref(),
        Some(engine.server_version()),
        Probe::NotChecked("not needed".to_string()),
        &HostOptions::default(),
    )
}

/// Whether the daemon gives every container `no-new-privileges`.
pub fn daemon_no_new_privileges(d: &DaemonFacts) -> bool {
    d.no_new_privileges.as_ref().is_some_and(|s| s.value)
}

/// Everything: daemon facts (with the section 6 counts) and host facts.
pub fn collect_all(engine: &Engine, opts: &HostOptions) -> (DaemonFacts, HostFacts) {
    host::collect(Some(engine), opts)
}

/// The collector's per-CIS results, and their findings.
pub fn evaluate(d: &DaemonFacts, h: &HostFacts) -> (Vec<HostResult>, Vec<Finding>) {
    let mut results = Vec::new();
    let mut findings = Vec::new();
    for c in rules::evaluate_daemon(d)
        .into_iter()
        .chain(rules::evaluate_host(h))
    {
        results.push(convert(&c));
        findings.extend(c.findings);
    }
    (results, findings)
}

fn convert(c: &CheckResult) -> HostResult {
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
