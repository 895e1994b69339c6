//! DM010: the devicemapper base device size is changed.

use plimsoll_core::{References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::{at, findings_or_unknown};
use crate::facts::DaemonFacts;
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "DM010",
    name: "storage-basesize",
    title: "The base device size is changed",
    severity: Severity::Low,
    stage: Stage::Daemon,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when `storage-opts` in daemon.json or `--storage-opt` sets \
`dm.basesize`.",
        why: "A larger base device lets every container's root filesystem grow that much: a \
few containers writing junk can fill the thin pool and stop every other container and the \
daemon.",
        fix: "Remove `dm.basesize` unless a workload needs it; prefer volumes with quotas for \
large data. (devicemapper itself is removed from current Docker: move to overlay2.)",
        bad: "{\n  \"storage-opts\": [\"dm.basesize=100G\"]\n}\n",
        good: "{\n  \"storage-driver\": \"overlay2\"\n}\n",
    },
    references: References {
        cis: &["2.11"],
        ..References::NONE
    },
};

/// DM010 (`storage-basesize`), judged on the daemon's facts.
pub struct StorageBasesize;

impl Rule<DaemonFacts, CheckResult> for StorageBasesize {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    let findings: Vec<_> = d
        .storage_opts
        .iter()
        .filter(|s| s.value.trim_start().starts_with("dm.basesize"))
        .map(|s| {
            at(
                &META,
                s,
                format!("the base device size is changed (`{}`)", s.value),
                "remove `dm.basesize` from the storage options".to_string(),
                "dm.basesize",
            )
        })
        .collect();
    findings_or_unknown("2.11", &META, d, findings, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn fires_on_basesize() {
        let mut d = daemon();
        assert!(!is_fail(&results(&d)[0]));
        d.storage_opts = vec![cfg("storage-opts", "dm.basesize=20G".to_string())];
        assert!(is_fail(&results(&d)[0]));
    }
}
