//! DM015: the userland proxy is on.

use plimsoll_core::{References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::UnsafeDefault;
use crate::facts::DaemonFacts;
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "DM015",
    name: "userland-proxy",
    title: "The userland proxy is enabled",
    severity: Severity::Low,
    stage: Stage::Daemon,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when `\"userland-proxy\": false` is not in daemon.json and \
`--userland-proxy=false` is not on the command line (the default is on), or it is set to \
true.",
        why: "With the proxy on, each published port runs a `docker-proxy` process that \
forwards traffic: more attack surface, and connections reach the container from the proxy's \
address so the source IP is lost for logging and firewalling. Hairpin NAT through iptables \
does the same job in the kernel.",
        fix: "Set `\"userland-proxy\": false` in daemon.json and restart dockerd (needs a \
kernel with hairpin NAT, any current one).",
        bad: "{\n  \"userland-proxy\": true\n}\n",
        good: "{\n  \"userland-proxy\": false\n}\n",
    },
    references: References {
        cis: &["2.16"],
        links: &[
            "https://docs.docker.com/engine/network/packet-filtering-firewalls/#docker-on-a-router",
        ],
        ..References::NONE
    },
};

/// DM015 (`userland-proxy`), judged on the daemon's facts.
pub struct UserlandProxy;

impl Rule<DaemonFacts, CheckResult> for UserlandProxy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    let rule = UnsafeDefault {
        cis: "2.16",
        meta: &META,
        key: "userland-proxy",
        safe: false,
        flag: "--userland-proxy=false",
    };
    rule.judge(
        d,
        d.userland_proxy.as_ref(),
        |written| format!("the userland proxy is on (`{written}`)"),
        "the userland proxy is on (the default): a docker-proxy process forwards each published \
         port",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn fires_unless_disabled() {
        let mut d = daemon();
        assert!(!is_fail(&results(&d)[0]));
        d.userland_proxy = None;
        assert!(is_fail(&results(&d)[0]));
    }
}
