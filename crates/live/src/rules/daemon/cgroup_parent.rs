//! DM009: a daemon-wide cgroup parent is set.

use plimsoll_core::{References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::at;
use crate::facts::DaemonFacts;
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "DM009",
    name: "cgroup-parent",
    title: "A daemon-wide cgroup parent is set",
    severity: Severity::Info,
    stage: Stage::Daemon,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Reports `cgroup-parent` in daemon.json or `--cgroup-parent`, so it can be \
confirmed (CIS 2.10).",
        why: "Every container's cgroup hangs under that parent: its limits bound all \
containers together, and a parent shared with host services lets containers starve them (or \
be starved). It is usually fine when deliberate, and a surprise otherwise.",
        fix: "Confirm the parent cgroup is dedicated to containers and has the limits you \
expect; otherwise remove `cgroup-parent` and let Docker use its default.",
        bad: "{\n  \"cgroup-parent\": \"/system.slice\"\n}\n",
        good: "{\n  \"icc\": false\n}\n",
    },
    references: References {
        cis: &["2.10"],
        links: &["https://docs.docker.com/reference/cli/dockerd/#default-cgroup-parent"],
        ..References::NONE
    },
};

/// DM009 (`cgroup-parent`), judged on the daemon's facts.
pub struct CgroupParent;

impl Rule<DaemonFacts, CheckResult> for CgroupParent {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    let r = match &d.cgroup_parent {
        Some(s) => CheckResult::fail(
            "2.10",
            &META,
            at(
                &META,
                s,
                format!(
                    "all containers run under the cgroup `{}` (`{}`): confirm it is meant",
                    s.value,
                    s.origin.written()
                ),
                "confirm the parent cgroup is dedicated to containers, or remove the setting"
                    .to_string(),
                "cgroup-parent",
            ),
        ),
        None => match d.unknown() {
            Some(why) => CheckResult::not_checked("2.10", &META, why),
            None => CheckResult::pass("2.10", &META),
        },
    };
    vec![r]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn reports_when_set() {
        let mut d = daemon();
        assert!(!is_fail(&results(&d)[0]));
        d.cgroup_parent = Some(cfg("cgroup-parent", "/x".to_string()));
        assert!(is_fail(&results(&d)[0]));
    }
}
