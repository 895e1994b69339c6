//! PB009: the container's cgroup has no CPU limit.

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct NoCpuLimit;

pub static META: RuleMeta = RuleMeta {
    id: "PB009",
    name: "cpu-unlimited",
    title: "No CPU limit",
    severity: Severity::Low,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"The container's cgroup sets no CPU limit: cpu.max / cpu.cfs_quota_us reads `max`, `-1` or the v1 "no limit" value (cgroup v1 and v2, read where the container sees its own group).

Configuration counterpart: RS021 (`no-cpu-limit`)."#,
        why: r#"A busy or compromised container can take every CPU of the host and starve its neighbours; a CPU quota bounds it."#,
        fix: r#"Set a limit: `--cpus 1.5` (compose: `cpus: 1.5 (or deploy.resources.limits.cpus)`)."#,
        bad: r#"docker run IMAGE
# probe: cpu.max max 100000"#,
        good: r#"docker run --cpus 1.5 IMAGE
# probe: cpu.max 150000 100000"#,
    },
    references: References {
        cis: &["5.12"],
        cwe: &["CWE-770"],
        links: &["https://docs.docker.com/engine/containers/resource_constraints/"],
        ..References::NONE
    },
};

impl Rule<Evidence> for NoCpuLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        let limit = ev.facts.cgroups.limits.cpu_millis;
        super::cgroup_limit::report_unlimited(
            &META,
            ev,
            limit,
            "CPU",
            "cpu.max / cpu.cfs_quota_us",
            out,
        );
    }
}
