//! DM019: swarm mode is enabled.

use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::info_not_read;
use crate::facts::DaemonFacts;
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "DM019",
    name: "swarm-enabled",
    title: "Swarm mode is enabled",
    severity: Severity::Low,
    stage: Stage::Daemon,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when `/info` `Swarm.LocalNodeState` is `active` (or `pending`, \
`locked`, `error`): the engine takes part in a swarm.",
        why: "Swarm mode opens the cluster ports (2377 management, 7946 gossip, 4789 VXLAN) \
and makes the node accept tasks and secrets from the managers. When the swarm is not used, \
that is attack surface for nothing; a manager node's API also controls every other node.",
        fix: "If the node does not need swarm, leave it: `docker swarm leave` (add `--force` \
on the last manager).",
        bad: "Swarm: active\n",
        good: "Swarm: inactive\n",
    },
    references: References {
        cis: &["5.1"],
        links: &["https://docs.docker.com/engine/swarm/swarm-mode/"],
        ..References::NONE
    },
};

/// DM019 (`swarm-enabled`), judged on the daemon's facts.
pub struct SwarmEnabled;

impl Rule<DaemonFacts, CheckResult> for SwarmEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    let r = match &d.swarm {
        Some(s) if matches!(s.value.as_str(), "active" | "pending" | "locked" | "error") => {
            CheckResult::fail(
                "5.1",
                &META,
                Finding::new(
                    &META,
                    s.origin.location(),
                    format!(
                        "swarm mode is enabled on this engine (state `{}`): confirm it is needed",
                        s.value
                    ),
                )
                .evidence(s.origin.written())
                .key("swarm")
                .build(),
            )
        }
        Some(_) => CheckResult::pass("5.1", &META),
        None => info_not_read("5.1", &META, d, "swarm state unknown"),
    };
    vec![r]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn fires_when_active() {
        let mut d = daemon();
        assert!(!is_fail(&results(&d)[0]));
        d.swarm = Some(info("Swarm.LocalNodeState", "active".to_string()));
        assert!(is_fail(&results(&d)[0]));
    }
}
