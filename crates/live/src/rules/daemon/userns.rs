//! DM008: user namespace remapping is off.

use plimsoll_core::{References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::{not_set, where_set};
use crate::facts::DaemonFacts;
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "DM008",
    name: "no-userns-remap",
    title: "User namespace remapping is not enabled",
    severity: Severity::Medium,
    stage: Stage::Daemon,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when the daemon neither remaps container users (`userns-remap` in \
daemon.json, `--userns-remap`, `name=userns` in `/info` `SecurityOptions`) nor runs rootless \
(`name=rootless`, which gives the same protection).",
        why: "Without remapping, uid 0 in a container is uid 0 on the host. Every container \
escape — a kernel bug, a mounted socket, a writable host path — lands as real root. With \
`userns-remap` container root is an unprivileged host uid (e.g. 100000), so the same escape \
gives an unprivileged user.",
        fix: "Set `\"userns-remap\": \"default\"` in daemon.json (dockerd creates the \
`dockremap` user and its subordinate ids) and restart; containers that really need host \
root use `--userns=host`. Or run the daemon rootless.",
        bad: "{\n  \"icc\": false\n}\n",
        good: "{\n  \"userns-remap\": \"default\"\n}\n",
    },
    references: References {
        cis: &["2.9"],
        links: &["https://docs.docker.com/engine/security/userns-remap/"],
        ..References::NONE
    },
};

/// DM008 (`no-userns-remap`), judged on the daemon's facts.
pub struct NoUsernsRemap;

impl Rule<DaemonFacts, CheckResult> for NoUsernsRemap {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    let active = d.userns_active.as_ref().map(|s| s.value);
    if d.is_rootless() {
        return vec![CheckResult::pass("2.9", &META).detail("rootless daemon")];
    }
    if active == Some(true) || d.userns_remap.is_some() {
        return vec![CheckResult::pass("2.9", &META)];
    }
    not_set(
        "2.9",
        &META,
        d,
        active.is_none(),
        "user namespace remapping is off: root in a container is root on the host",
        format!(
            "add `\"userns-remap\": \"default\"` {} and restart dockerd",
            where_set(d)
        ),
        "userns-remap",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn fires_without_remap_or_rootless() {
        let mut d = daemon();
        assert!(!is_fail(&results(&d)[0]));
        d.userns_remap = None;
        d.userns_active = Some(info("SecurityOptions", false));
        assert!(is_fail(&results(&d)[0]));
        d.rootless = Some(info("SecurityOptions", true));
        assert!(!is_fail(&results(&d)[0]));
    }
}
