//! PB006: the probe runs as uid 0 and no user namespace remaps it.

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct HostRoot;

pub static META: RuleMeta = RuleMeta {
    id: "PB006",
    name: "root-is-host-root",
    title: "The container's root is the host's root",
    severity: Severity::Medium,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"The probe runs as uid 0 and `/proc/self/uid_map` is the identity map (`0 0 4294967295`): root in the container is uid 0 on the host.

Configuration counterparts: RS025 (`container-runs-as-root`), RS013 (`host-userns`)."#,
        why: r#"Every escape — a kernel bug, a mounted host path, a runtime bug like CVE-2019-5736 — lands as the host's root. Under a user namespace (rootless Docker, `userns-remap`) the same escape lands as an unprivileged host user."#,
        fix: r#"Run as a non-root user: `--user 10001:10001` (compose: `user: "10001:10001"`, or `USER` in the Dockerfile); or remap root with the daemon's `userns-remap` or rootless Docker, and do not set `--userns=host` (compose: `userns_mode: host`)."#,
        bad: r#"docker run IMAGE   # image without USER
# probe: uid 0, uid_map 0 0 4294967295"#,
        good: r#"docker run --user 10001 IMAGE
# probe: uid 10001"#,
    },
    references: References {
        cis: &["4.1", "5.31"],
        cwe: &["CWE-250"],
        links: &["https://docs.docker.com/engine/security/userns-remap/"],
        ..References::NONE
    },
};

impl Rule<Evidence> for HostRoot {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        let f = &ev.facts;
        if f.runs_as_root() != Some(true) || f.user_namespace != Some(false) {
            return;
        }
        out.push(
            Finding::new(
                &META,
                ev.location(),
                "the probe runs as uid 0 and no user namespace remaps it: root here is root on the host",
            )
            .evidence("uid 0; uid_map 0 0 4294967295")
            .build(),
        );
    }
}
