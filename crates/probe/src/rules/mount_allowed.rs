//! PB020: the `mount` experiment was allowed (paper scenario 1).

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct MountAllowed;

pub static META: RuleMeta = RuleMeta {
    id: "PB020",
    name: "mount-allowed",
    title: "Container may mount filesystems",
    severity: Severity::High,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"The `mount` experiment succeeded: a small tmpfs was mounted on a private temporary directory (and unmounted at once).

Configuration counterpart: RS002 (`capabilities-added`), RS006 (`apparmor-unconfined`)."#,
        why: r#"The paper's scenario 1: the `docker-default` AppArmor profile denies `mount` even to a process holding `CAP_SYS_ADMIN`. A container that may mount can mount the cgroup filesystem (the `release_agent` escape), a host disk node, or over its own files."#,
        fix: r#"Remove `--cap-add SYS_ADMIN` (compose: `cap_add: [SYS_ADMIN]`) and `--privileged` (compose: `privileged: true`), and keep the AppArmor profile: no `--security-opt apparmor=unconfined` (compose: `security_opt: [apparmor:unconfined]`)."#,
        bad: r#"docker run --cap-add SYS_ADMIN --security-opt apparmor=unconfined IMAGE
# probe: mount allowed"#,
        good: r#"docker run IMAGE
# probe: mount blocked (seccomp)"#,
    },
    references: References {
        cis: &["5.2", "5.4"],
        cwe: &["CWE-693"],
        links: &["https://docs.docker.com/engine/security/"],
        ..References::NONE
    },
};

impl Rule<Evidence> for MountAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        super::experiment::report_allowed(
            &META,
            ev,
            "mount",
            "the container may mount filesystems",
            out,
        );
    }
}
