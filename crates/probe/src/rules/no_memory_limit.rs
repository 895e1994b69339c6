//! PB007: the container's cgroup has no memory limit.

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct NoMemoryLimit;

pub static META: RuleMeta = RuleMeta {
    id: "PB007",
    name: "memory-unlimited",
    title: "No memory limit",
    severity: Severity::Medium,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"The container's cgroup sets no memory limit: memory.max / memory.limit_in_bytes reads `max`, `-1` or the v1 "no limit" value (cgroup v1 and v2, read where the container sees its own group).

Configuration counterpart: RS019 (`no-memory-limit`)."#,
        why: r#"The paper's scenario 3: a fork bomb without a memory limit took down every container on the host and the host itself. With a limit, the kernel's OOM killer stops the container at its limit and the neighbours live."#,
        fix: r#"Set a limit: `--memory 512m` (compose: `mem_limit: 512m (or deploy.resources.limits.memory)`)."#,
        bad: r#"docker run IMAGE
# probe: memory.max max"#,
        good: r#"docker run --memory 512m IMAGE
# probe: memory.max 536870912"#,
    },
    references: References {
        cis: &["5.11"],
        cwe: &["CWE-770"],
        links: &["https://docs.docker.com/engine/containers/resource_constraints/"],
        ..References::NONE
    },
};

impl Rule<Evidence> for NoMemoryLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        let limit = ev.facts.cgroups.limits.memory;
        super::cgroup_limit::report_unlimited(
            &META,
            ev,
            limit,
            "memory",
            "memory.max / memory.limit_in_bytes",
            out,
        );
    }
}
