//! PB021: the `sysrq` experiment was allowed (paper scenario 1).

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct SysrqTrigger;

pub static META: RuleMeta = RuleMeta {
    id: "PB021",
    name: "sysrq-trigger-writable",
    title: "/proc/sysrq-trigger can be opened for writing",
    severity: Severity::Critical,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"The `sysrq` experiment succeeded: `/proc/sysrq-trigger` opened for writing. The probe closes it without writing a byte.

Configuration counterpart: RS001 (`privileged`), RS008 (`system-paths-unmasked`)."#,
        why: r#"One byte written there reboots, crashes or freezes the host (`b`, `c`, `j`). Docker mounts it read-only and the AppArmor template denies it (the paper's scenario 1); both are gone when it opens."#,
        fix: r#"Remove `--privileged` (compose: `privileged: true`) and `--security-opt systempaths=unconfined` (compose: `security_opt: [systempaths=unconfined]`); keep the AppArmor profile."#,
        bad: r#"docker run --privileged IMAGE
# probe: sysrq allowed"#,
        good: r#"docker run IMAGE
# probe: sysrq blocked (read-only-mount)"#,
    },
    references: References {
        cis: &["5.5"],
        cwe: &["CWE-693"],
        links: &["https://docs.docker.com/engine/security/"],
        ..References::NONE
    },
};

impl Rule<Evidence> for SysrqTrigger {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        super::experiment::report_allowed(
            &META,
            ev,
            "sysrq",
            "/proc/sysrq-trigger can be opened for writing",
            out,
        );
    }
}
