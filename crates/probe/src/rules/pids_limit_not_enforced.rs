//! PB022: the `stress-pids` experiment was allowed (paper scenario 3).

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct PidsLimitNotEnforced;

pub static META: RuleMeta = RuleMeta {
    id: "PB022",
    name: "pids-limit-not-enforced",
    title: "The process limit did not stop a fork storm",
    severity: Severity::High,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"The bounded `--stress pids` experiment forked past the container's `pids.max` without a single `EAGAIN`: the limit the cgroup shows is not the one that applies. (Without a limit the stress is not run; PB008 reports that.)

Configuration counterpart: RS020 (`no-pids-limit`)."#,
        why: r#"The paper's scenario 3: only an enforced process limit keeps a fork bomb in one container from exhausting the host's process table."#,
        fix: r#"Set and check the limit: `--pids-limit 200` (compose: `pids_limit: 200`), and make sure the daemon's cgroup driver has the pids controller."#,
        bad: r#"docker run --pids-limit 50 IMAGE   # limit not enforced by this host"#,
        good: r#"docker run --pids-limit 50 IMAGE
# probe: stress-pids blocked (limit)"#,
    },
    references: References {
        cis: &["5.29"],
        cwe: &["CWE-693"],
        links: &["https://docs.docker.com/engine/security/"],
        ..References::NONE
    },
};

impl Rule<Evidence> for PidsLimitNotEnforced {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        super::experiment::report_allowed(
            &META,
            ev,
            "stress-pids",
            "the process limit did not stop the pids stress",
            out,
        );
    }
}
