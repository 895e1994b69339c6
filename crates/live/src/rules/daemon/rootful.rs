//! DM018: the daemon runs as root.

use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::{info_location, info_not_read};
use crate::facts::DaemonFacts;
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "DM018",
    name: "rootful-daemon",
    title: "The daemon runs as root",
    severity: Severity::Info,
    stage: Stage::Daemon,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Reports (CIS 2.1 is a manual check) when `/info` `SecurityOptions` has no \
`name=rootless`: the daemon runs as root. docker-bench never detects rootless mode and always \
prints a note.",
        why: "A rootful daemon is root: any container escape, API exposure or docker-group \
member is a path to root on the host. A rootless daemon runs as an ordinary user, so the \
same mistakes yield that user's rights only.",
        fix: "Where the workloads allow it (no privileged containers, ports ≥ 1024 or \
`net.ipv4.ip_unprivileged_port_start`), run the daemon rootless \
(`dockerd-rootless-setuptool.sh install`); otherwise enable `userns-remap`.",
        bad: "SecurityOptions: [name=seccomp,profile=builtin]\n",
        good: "SecurityOptions: [name=seccomp,profile=builtin name=rootless]\n",
    },
    references: References {
        cis: &["2.1"],
        links: &["https://docs.docker.com/engine/security/rootless/"],
        ..References::NONE
    },
};

/// DM018 (`rootful-daemon`), judged on the daemon's facts.
pub struct RootfulDaemon;

impl Rule<DaemonFacts, CheckResult> for RootfulDaemon {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    let r = match &d.rootless {
        Some(s) if s.value => CheckResult::pass("2.1", &META).detail("rootless daemon"),
        Some(s) => CheckResult::fail(
            "2.1",
            &META,
            Finding::new(
                &META,
                info_location(),
                "the daemon runs as root (not rootless)",
            )
            .evidence(s.origin.written())
            .key("rootful")
            .build(),
        ),
        None => info_not_read("2.1", &META, d, "security options unknown"),
    };
    vec![r]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn reports_rootful() {
        let mut d = daemon();
        assert!(is_fail(&results(&d)[0]));
        d.rootless = Some(info("SecurityOptions", true));
        assert!(!is_fail(&results(&d)[0]));
    }
}
