//! PB010: `/` is mounted read-write.

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct WritableRoot;

pub static META: RuleMeta = RuleMeta {
    id: "PB010",
    name: "root-filesystem-writable",
    title: "Root filesystem is writable",
    severity: Severity::Low,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"The mount the container's `/` lies on (`/proc/self/mountinfo`) is read-write.

Configuration counterpart: RS024 (`writable-root-filesystem`)."#,
        why: r#"An intruder can drop tools, change the application's code or configuration and persist until the container is replaced. A read-only root with tmpfs or volumes for the few writable paths leaves nothing to change."#,
        fix: r#"Run with `--read-only` (compose: `read_only: true`) and give writable paths their own `--tmpfs /tmp` (compose: `tmpfs: [/tmp]`) or volumes."#,
        bad: r#"docker run IMAGE
# probe: / overlay rw"#,
        good: r#"docker run --read-only IMAGE
# probe: / overlay ro"#,
    },
    references: References {
        cis: &["5.13"],
        cwe: &["CWE-732"],
        links: &["https://docs.docker.com/reference/cli/docker/container/run/#read-only"],
        ..References::NONE
    },
};

impl Rule<Evidence> for WritableRoot {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        if ev.facts.root_read_only != Some(false) {
            return;
        }
        out.push(
            Finding::new(
                &META,
                ev.location(),
                "the root filesystem is mounted read-write",
            )
            .evidence("/ rw")
            .build(),
        );
    }
}
