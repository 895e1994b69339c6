//! DM007: no default ulimits.

use plimsoll_core::{References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::{not_set, where_set};
use crate::facts::DaemonFacts;
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "DM007",
    name: "no-default-ulimits",
    title: "No default ulimits for containers",
    severity: Severity::Info,
    stage: Stage::Daemon,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Reports (CIS 2.8 is a manual check) when neither `default-ulimits` in \
daemon.json nor `--default-ulimit` sets limits every container inherits.",
        why: "Without daemon-wide ulimits each container gets the daemon's own limits, often \
very high for `nofile` and `nproc`: one container can exhaust file descriptors or processes \
for the whole host unless every `docker run` remembers `--ulimit`.",
        fix: "Set `default-ulimits` in daemon.json, e.g. `{\"nofile\": {\"Name\": \"nofile\", \
\"Soft\": 1024, \"Hard\": 4096}}`, and raise them per container where needed.",
        bad: "{\n  \"log-level\": \"info\"\n}\n",
        good: "{\n  \"default-ulimits\": {\n    \"nofile\": {\"Name\": \"nofile\", \"Soft\": 1024, \"Hard\": 4096}\n  }\n}\n",
    },
    references: References {
        cis: &["2.8"],
        links: &["https://docs.docker.com/reference/cli/dockerd/#default-ulimit-settings"],
        ..References::NONE
    },
};

/// DM007 (`no-default-ulimits`), judged on the daemon's facts.
pub struct NoDefaultUlimits;

impl Rule<DaemonFacts, CheckResult> for NoDefaultUlimits {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    if !d.default_ulimits.is_empty() {
        let list: Vec<&str> = d.default_ulimits.iter().map(|s| s.value.as_str()).collect();
        return vec![
            CheckResult::pass("2.8", &META).detail(format!("Default ulimits: {}", list.join(", ")))
        ];
    }
    not_set(
        "2.8",
        &META,
        d,
        true,
        "no default ulimits are set: containers inherit the daemon's own limits",
        format!(
            "add `default-ulimits` (e.g. nofile, nproc) {}",
            where_set(d)
        ),
        "default-ulimits",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn reports_when_unset() {
        let mut d = daemon();
        assert!(!is_fail(&results(&d)[0]));
        d.default_ulimits.clear();
        assert!(is_fail(&results(&d)[0]));
        assert!(is_not_checked(&results(&blind(d))[0]));
    }
}
