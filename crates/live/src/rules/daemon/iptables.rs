//! DM003: dockerd may not manage iptables.

use plimsoll_core::{References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::at;
use crate::facts::DaemonFacts;
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "DM003",
    name: "iptables-disabled",
    title: "Docker is not allowed to manage iptables",
    severity: Severity::Medium,
    stage: Stage::Daemon,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when `\"iptables\": false` is in daemon.json or `--iptables=false` is on \
the dockerd command line. Unset means `true` and passes.",
        why: "Docker writes the rules that keep published ports, `icc=false` and network \
isolation working. With `iptables` off those rules are missing or hand-written: networks that \
should be isolated can reach each other, and administrators tend to \"fix\" connectivity with \
broad ACCEPT rules that expose containers to the outside.",
        fix: "Remove `iptables: false` (or `--iptables=false`) and restart dockerd; express \
firewall policy in the `DOCKER-USER` chain instead of turning Docker's rules off.",
        bad: "{\n  \"iptables\": false\n}\n",
        good: "{\n  \"icc\": false\n}\n",
    },
    references: References {
        cis: &["2.4"],
        links: &["https://docs.docker.com/engine/network/packet-filtering-firewalls/"],
        ..References::NONE
    },
};

/// DM003 (`iptables-disabled`), judged on the daemon's facts.
pub struct IptablesDisabled;

impl Rule<DaemonFacts, CheckResult> for IptablesDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    let r = match &d.iptables {
        Some(s) if !s.value => CheckResult::fail(
            "2.4",
            &META,
            at(
                &META,
                s,
                format!(
                    "Docker may not manage iptables (`{}`): network isolation and published \
                     ports rely on hand-written rules",
                    s.origin.written()
                ),
                "remove the setting and restart dockerd; put site policy in the DOCKER-USER \
                 chain"
                    .to_string(),
                "iptables",
            ),
        ),
        Some(_) => CheckResult::pass("2.4", &META),
        None => match d.unknown() {
            Some(why) => CheckResult::not_checked("2.4", &META, why),
            None => CheckResult::pass("2.4", &META),
        },
    };
    vec![r]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn fires_when_false() {
        let mut d = daemon();
        assert!(!is_fail(&results(&d)[0]));
        d.iptables = Some(crate::facts::Setting::new(false, flag("--iptables=false")));
        assert!(is_fail(&results(&d)[0]));
        d.iptables = Some(cfg("iptables", true));
        assert!(!is_fail(&results(&d)[0]));
    }
}
