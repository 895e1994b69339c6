//! PB008: the container's cgroup has no process-count limit.

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct NoPidsLimit;

pub static META: RuleMeta = RuleMeta {
    id: "PB008",
    name: "pids-unlimited",
    title: "No process-count limit",
    severity: Severity::Medium,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"The container's cgroup sets no process-count limit: pids.max reads `max`, `-1` or the v1 "no limit" value (cgroup v1 and v2, read where the container sees its own group).

Configuration counterpart: RS020 (`no-pids-limit`)."#,
        why: r#"The paper's scenario 3: a fork bomb creates processes until the host's process table is full, and nothing on the host can start a process any more. `pids.max` makes `fork` fail with `EAGAIN` inside the container only."#,
        fix: r#"Set a limit: `--pids-limit 200` (compose: `pids_limit: 200 (or deploy.resources.limits.pids)`)."#,
        bad: r#"docker run IMAGE
# probe: pids.max max"#,
        good: r#"docker run --pids-limit 200 IMAGE
# probe: pids.max 200"#,
    },
    references: References {
        cis: &["5.29"],
        cwe: &["CWE-770"],
        links: &["https://docs.docker.com/engine/containers/resource_constraints/"],
        ..References::NONE
    },
};

impl Rule<Evidence> for NoPidsLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        let limit = ev.facts.cgroups.limits.pids;
        super::cgroup_limit::report_unlimited(&META, ev, limit, "process-count", "pids.max", out);
    }
}
