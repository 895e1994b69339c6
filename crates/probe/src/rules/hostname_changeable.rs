//! PB018: the `hostname` experiment was allowed (paper scenario 2).

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct HostnameChangeable;

pub static META: RuleMeta = RuleMeta {
    id: "PB018",
    name: "hostname-changeable",
    title: "Container may change its hostname",
    severity: Severity::Medium,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"The `hostname` experiment (run with `plimsoll-probe --experiments`) succeeded: `sethostname` was allowed in the container's own UTS namespace. The probe sets the name it already has, so nothing changes, and never tries in the host's UTS namespace.

Configuration counterpart: RS002 (`capabilities-added`)."#,
        why: r#"The paper's scenario 2: with Docker's defaults `sethostname` fails (the container lacks `CAP_SYS_ADMIN`, and the seccomp profile allows the call only with it); with `--cap-add SYS_ADMIN` it succeeds. If `sethostname` works, so does everything else `CAP_SYS_ADMIN` guards that seccomp and AppArmor do not."#,
        fix: r#"Remove `--cap-add SYS_ADMIN` (compose: `cap_add: [SYS_ADMIN]`) and `--privileged` (compose: `privileged: true`); keep the default seccomp profile."#,
        bad: r#"docker run --cap-add SYS_ADMIN IMAGE
# probe: hostname allowed"#,
        good: r#"docker run IMAGE
# probe: hostname blocked (capability, seccomp)"#,
    },
    references: References {
        cis: &["5.4"],
        cwe: &["CWE-693"],
        links: &["https://docs.docker.com/engine/security/"],
        ..References::NONE
    },
};

impl Rule<Evidence> for HostnameChangeable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        super::experiment::report_allowed(
            &META,
            ev,
            "hostname",
            "the container may change its hostname",
            out,
        );
    }
}
