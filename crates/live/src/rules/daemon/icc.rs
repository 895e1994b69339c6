//! DM001: containers on the default bridge can talk to each other (`icc`).

use plimsoll_core::{References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::UnsafeDefault;
use crate::facts::DaemonFacts;
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "DM001",
    name: "icc-enabled",
    title: "Containers on the default bridge can reach each other",
    severity: Severity::Medium,
    stage: Stage::Daemon,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when inter-container communication on the default bridge (`docker0`) is \
on: `icc` is not set to `false` in daemon.json and `--icc=false` is not on the dockerd command \
line (the default is `true`), or it is set to `true`.",
        why: "With `icc` on, every container on the default bridge can open any port of every \
other one there: a compromised web container can reach the database, the admin interface or \
the metrics endpoint of unrelated containers without any published port, and sniff or spoof \
ARP traffic on the shared bridge. Nothing but the application's own authentication stands in \
the way.",
        fix: "Set `\"icc\": false` in /etc/docker/daemon.json (or `--icc=false`) and restart \
dockerd; link the containers that must talk through user-defined networks, which are not \
affected and isolate each group.",
        bad: "{\n  \"log-driver\": \"json-file\"\n}\n",
        good: "{\n  \"icc\": false\n}\n",
    },
    references: References {
        cis: &["2.2"],
        links: &["https://docs.docker.com/engine/network/drivers/bridge/#differences-between-user-defined-bridges-and-the-default-bridge"],
        ..References::NONE
    },
};

/// DM001 (`icc-enabled`), judged on the daemon's facts.
pub struct IccEnabled;

impl Rule<DaemonFacts, CheckResult> for IccEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    let rule = UnsafeDefault {
        cis: "2.2",
        meta: &META,
        key: "icc",
        safe: false,
        flag: "--icc=false",
    };
    rule.judge(
        d,
        d.icc.as_ref(),
        |written| {
            format!(
                "inter-container communication on the default bridge is on (`{written}`): every \
                 container there can reach every other one's ports"
            )
        },
        "`icc` is not set, so inter-container communication on the default bridge is on (the \
         default): every container there can reach every other one's ports",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn fires_when_on_or_unset() {
        let mut d = daemon();
        assert!(!is_fail(&results(&d)[0]));
        d.icc = Some(cfg("icc", true));
        let r = results(&d);
        assert!(is_fail(&r[0]));
        assert_eq!(r[0].findings[0].location.path, "/etc/docker/daemon.json");
        assert_eq!(r[0].findings[0].line(), Some(2));
        d.icc = None;
        let r = results(&d);
        assert!(is_fail(&r[0]));
        assert!(r[0].findings[0].message.contains("not set"));
        assert!(is_not_checked(&results(&blind(d))[0]));
    }
}
