//! DM011: no authorization plugin.

use plimsoll_core::{References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::{not_set, where_set};
use crate::facts::DaemonFacts;
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "DM011",
    name: "no-authorization-plugin",
    title: "No authorization plugin for client commands",
    severity: Severity::Low,
    stage: Stage::Daemon,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when no authorization plugin is configured: none in \
`authorization-plugins` (daemon.json), `--authorization-plugin`, or `/info` \
`Plugins.Authorization`.",
        why: "Without one, every client that can reach the socket may do everything — run \
privileged containers, mount `/`, read secrets. Access is all or nothing, so one compromised \
CI job or developer account in the docker group is root on the host.",
        fix: "If several people or systems share the daemon, install an authorization plugin \
(e.g. Open Policy Agent's `opa-docker-authz`) and list it in `authorization-plugins`; \
otherwise keep the docker group to trusted administrators.",
        bad: "{\n  \"icc\": false\n}\n",
        good: "{\n  \"authorization-plugins\": [\"opa-docker-authz\"]\n}\n",
    },
    references: References {
        cis: &["2.12"],
        links: &["https://docs.docker.com/engine/extend/plugins_authorization/"],
        ..References::NONE
    },
};

/// DM011 (`no-authorization-plugin`), judged on the daemon's facts.
pub struct NoAuthorizationPlugin;

impl Rule<DaemonFacts, CheckResult> for NoAuthorizationPlugin {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    if !d.authorization_plugins.is_empty() {
        return vec![CheckResult::pass("2.12", &META)];
    }
    let could_be_unseen = d.info_unknown().is_some();
    not_set(
        "2.12",
        &META,
        d,
        could_be_unseen,
        "no authorization plugin: every client of the daemon may do everything",
        format!("configure `authorization-plugins` {}", where_set(d)),
        "authorization-plugins",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn fires_without_plugin() {
        let mut d = daemon();
        assert!(!is_fail(&results(&d)[0]));
        d.authorization_plugins.clear();
        assert!(is_fail(&results(&d)[0]));
    }
}
