//! DM005: the aufs storage driver.

use plimsoll_core::{References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::{at, info_not_read};
use crate::facts::DaemonFacts;
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "DM005",
    name: "aufs-storage-driver",
    title: "The aufs storage driver is used",
    severity: Severity::Medium,
    stage: Stage::Daemon,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when the daemon's storage driver (`/info` `Driver`) is `aufs`.",
        why: "aufs is out of the mainline kernel, unmaintained, and removed from Docker 24. \
It has had kernel crashes and privilege-escalation bugs that no longer get fixed, so a \
container can take down or compromise the host through the filesystem layer.",
        fix: "Move to `overlay2`: export what you need, set `\"storage-driver\": \
\"overlay2\"` in daemon.json, restart dockerd and pull or rebuild the images.",
        bad: "{\n  \"storage-driver\": \"aufs\"\n}\n",
        good: "{\n  \"storage-driver\": \"overlay2\"\n}\n",
    },
    references: References {
        cis: &["2.6"],
        links: &["https://docs.docker.com/engine/storage/drivers/select-storage-driver/"],
        ..References::NONE
    },
};

/// DM005 (`aufs-storage-driver`), judged on the daemon's facts.
pub struct AufsStorageDriver;

impl Rule<DaemonFacts, CheckResult> for AufsStorageDriver {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    let r = match &d.storage_driver {
        Some(s) if s.value == "aufs" => CheckResult::fail(
            "2.6",
            &META,
            at(
                &META,
                s,
                "the daemon uses the unmaintained aufs storage driver".to_string(),
                "switch to overlay2 (`\"storage-driver\": \"overlay2\"`) and restart dockerd"
                    .to_string(),
                "aufs",
            ),
        ),
        Some(s) => CheckResult::pass("2.6", &META).detail(format!("Storage driver: {}", s.value)),
        None => info_not_read("2.6", &META, d, "storage driver unknown"),
    };
    vec![r]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn fires_on_aufs_only() {
        let mut d = daemon();
        assert!(!is_fail(&results(&d)[0]));
        d.storage_driver = Some(info("Driver", "aufs".to_string()));
        assert!(is_fail(&results(&d)[0]));
        d.storage_driver = None;
        assert!(is_not_checked(&results(&d)[0]));
    }
}
