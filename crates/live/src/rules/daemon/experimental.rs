//! DM017: experimental features are on.

use plimsoll_core::{References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::{at, info_not_read};
use crate::facts::DaemonFacts;
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "DM017",
    name: "experimental",
    title: "Experimental daemon features are enabled",
    severity: Severity::Low,
    stage: Stage::Daemon,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when the engine runs with experimental features (`/version` \
`Experimental: true`; `experimental` in daemon.json, `--experimental`). docker-bench only \
checks engines up to 19.03 and marks the check deprecated; plimsoll checks every version.",
        why: "Experimental features are unfinished, change between releases and get less \
security review; some (checkpoint/restore, new network drivers) widen what the API can do.",
        fix: "Remove `experimental: true` from daemon.json (or `--experimental`) on \
production hosts and restart dockerd.",
        bad: "{\n  \"experimental\": true\n}\n",
        good: "{\n  \"experimental\": false\n}\n",
    },
    references: References {
        cis: &["2.18"],
        ..References::NONE
    },
};

/// DM017 (`experimental`), judged on the daemon's facts.
pub struct Experimental;

impl Rule<DaemonFacts, CheckResult> for Experimental {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    let r = match &d.experimental {
        Some(s) if s.value => CheckResult::fail(
            "2.18",
            &META,
            at(
                &META,
                s,
                format!("experimental features are on (`{}`)", s.origin.written()),
                "remove `experimental` and restart dockerd".to_string(),
                "experimental",
            ),
        ),
        Some(_) => CheckResult::pass("2.18", &META),
        None => info_not_read("2.18", &META, d, "experimental flag unknown"),
    };
    vec![r]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn fires_when_on() {
        let mut d = daemon();
        assert!(!is_fail(&results(&d)[0]));
        d.experimental = Some(cfg("experimental", true));
        assert!(is_fail(&results(&d)[0]));
    }
}
