//! PB003: `Seccomp: 0` — no system-call filter.

use crate::evidence::Evidence;
use crate::status::SeccompMode;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct SeccompDisabled;

pub static META: RuleMeta = RuleMeta {
    id: "PB003",
    name: "seccomp-disabled",
    title: "No seccomp filter confines the container",
    severity: Severity::High,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"`/proc/self/status` says `Seccomp: 0`: no seccomp filter is loaded, so every system call reaches the kernel.

Configuration counterpart: RS005 (`seccomp-unconfined`)."#,
        why: r#"Docker's default profile refuses about 44 system calls that containers do not need and kernel exploits do (`unshare`, `keyctl`, `bpf`, `userfaultfd`…). Without it, the paper's scenario 4 succeeds: `unshare --map-root-user --user` gives a root shell in a new user namespace, the first step of many kernel escapes."#,
        fix: r#"Keep Docker's default seccomp profile: remove `--security-opt seccomp=unconfined` (compose: `security_opt: [seccomp:unconfined]`) and `--privileged`, or give a custom profile with `--security-opt seccomp=profile.json` (compose: `security_opt: [seccomp=profile.json]`)."#,
        bad: r#"docker run --security-opt seccomp=unconfined IMAGE
# probe: Seccomp 0"#,
        good: r#"docker run IMAGE
# probe: Seccomp 2, Seccomp_filters 1"#,
    },
    references: References {
        cis: &["5.22"],
        cwe: &["CWE-693"],
        links: &["https://docs.docker.com/engine/security/seccomp/"],
        ..References::NONE
    },
};

impl Rule<Evidence> for SeccompDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        if ev.facts.process.seccomp != Some(SeccompMode::Disabled) {
            return;
        }
        out.push(
            Finding::new(
                &META,
                ev.location(),
                "no seccomp filter is loaded: every system call reaches the kernel",
            )
            .evidence("Seccomp: 0")
            .build(),
        );
    }
}
