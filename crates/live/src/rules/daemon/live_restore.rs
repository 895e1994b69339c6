//! DM014: live restore is off.

use plimsoll_core::{References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::{at, info_not_read, where_set};
use crate::facts::DaemonFacts;
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "DM014",
    name: "live-restore-disabled",
    title: "Live restore is not enabled",
    severity: Severity::Low,
    stage: Stage::Daemon,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when `/info` `LiveRestoreEnabled` is false (`live-restore` in \
daemon.json, `--live-restore`). On a swarm node it passes: swarm mode and live restore do \
not go together.",
        why: "Without live restore every daemon restart — an upgrade, a crash, a \
configuration reload that needs one — stops all containers. Security updates of the engine \
get postponed because they cost downtime, and a daemon crash becomes an outage.",
        fix: "Set `\"live-restore\": true` in daemon.json and reload dockerd (`systemctl \
reload docker` applies it without restarting containers).",
        bad: "{\n  \"live-restore\": false\n}\n",
        good: "{\n  \"live-restore\": true\n}\n",
    },
    references: References {
        cis: &["2.15"],
        links: &["https://docs.docker.com/engine/daemon/live-restore/"],
        ..References::NONE
    },
};

/// DM014 (`live-restore-disabled`), judged on the daemon's facts.
pub struct LiveRestoreDisabled;

impl Rule<DaemonFacts, CheckResult> for LiveRestoreDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    if d.swarm_active() {
        return vec![CheckResult::pass("2.15", &META).detail("swarm mode is active")];
    }
    let r = match &d.live_restore {
        Some(s) if s.value => CheckResult::pass("2.15", &META),
        Some(s) => CheckResult::fail(
            "2.15",
            &META,
            at(
                &META,
                s,
                format!(
                    "live restore is off (`{}`): restarting the daemon stops every container",
                    s.origin.written()
                ),
                format!(
                    "set `\"live-restore\": true` {} and reload dockerd",
                    where_set(d)
                ),
                "live-restore",
            ),
        ),
        None => info_not_read("2.15", &META, d, "live restore unknown"),
    };
    vec![r]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn fires_when_off_outside_swarm() {
        let mut d = daemon();
        assert!(!is_fail(&results(&d)[0]));
        d.live_restore = Some(info("LiveRestoreEnabled", false));
        let r = results(&d);
        assert!(is_fail(&r[0]));
        assert_eq!(r[0].findings[0].location.path, "daemon:info");
        d.swarm = Some(info("Swarm.LocalNodeState", "active".to_string()));
        assert!(!is_fail(&results(&d)[0]));
    }
}
