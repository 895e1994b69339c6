//! DM013: containers may gain new privileges by default.

use plimsoll_core::{References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

use super::UnsafeDefault;
use crate::facts::DaemonFacts;
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "DM013",
    name: "no-new-privileges-default",
    title: "Containers may acquire new privileges by default",
    severity: Severity::Medium,
    stage: Stage::Daemon,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when the daemon does not apply `no-new-privileges` to every container: \
`\"no-new-privileges\": true` is not in daemon.json, `--no-new-privileges` is not on the \
command line, and `/info` does not report `name=no-new-privileges`.",
        why: "Without it a process in any container can raise its privileges through setuid \
and setcap binaries (`su`, `sudo`, `ping`, a planted setuid shell): a foothold as an \
unprivileged user becomes root inside the container, one step from the host. Setting it \
daemon-wide protects the containers whose authors forgot `--security-opt \
no-new-privileges`.",
        fix: "Set `\"no-new-privileges\": true` in daemon.json and restart dockerd (it applies \
to containers created afterwards). Images that rely on setuid binaries at run time need to \
be changed.",
        bad: "{\n  \"icc\": false\n}\n",
        good: "{\n  \"no-new-privileges\": true\n}\n",
    },
    references: References {
        cis: &["2.14"],
        cwe: &["CWE-269"],
        links: &["https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file"],
        ..References::NONE
    },
};

/// DM013 (`no-new-privileges-default`), judged on the daemon's facts.
pub struct NoNewPrivilegesDefault;

impl Rule<DaemonFacts, CheckResult> for NoNewPrivilegesDefault {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, d: &DaemonFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(d));
    }
}

fn results(d: &DaemonFacts) -> Vec<CheckResult> {
    let rule = UnsafeDefault {
        cis: "2.14",
        meta: &META,
        key: "no-new-privileges",
        safe: true,
        flag: "--no-new-privileges",
    };
    rule.judge(
        d,
        d.no_new_privileges.as_ref(),
        |written| {
            format!(
                "`no-new-privileges` is turned off (`{written}`): setuid binaries work in every \
                 container"
            )
        },
        "the daemon does not apply `no-new-privileges` by default: setuid binaries raise \
         privileges in every container that does not opt out",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn fires_unless_set() {
        let mut d = daemon();
        assert!(!is_fail(&results(&d)[0]));
        d.no_new_privileges = None;
        assert!(is_fail(&results(&d)[0]));
        d.no_new_privileges = Some(info("SecurityOptions", true));
        assert!(!is_fail(&results(&d)[0]));
        d.no_new_privileges = None;
        assert!(is_not_checked(&results(&blind(d))[0]));
    }
}
