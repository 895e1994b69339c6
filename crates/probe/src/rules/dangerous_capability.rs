//! PB002: a capability that opens a way to the host is in the effective set.

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct DangerousCapability;

pub static META: RuleMeta = RuleMeta {
    id: "PB002",
    name: "dangerous-capability",
    title: "Container holds a dangerous capability",
    severity: Severity::High,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"Each dangerous capability in the effective set (`SYS_ADMIN`, `SYS_MODULE`, `SYS_PTRACE`, `SYS_RAWIO`, `DAC_READ_SEARCH`, `NET_ADMIN`, `SYS_BOOT`, `SYS_TIME`, `MAC_ADMIN`, `MAC_OVERRIDE`, `BPF`, `PERFMON`, `SYSLOG`, `AUDIT_CONTROL`), one finding each. A full set is PB001's, not repeated here.

Configuration counterpart: RS002 (`capabilities-added`)."#,
        why: r#"These are the capabilities container escapes use: `SYS_ADMIN` mounts and the cgroup `release_agent`, `SYS_MODULE` loads kernel code, `SYS_PTRACE` reads other processes, `DAC_READ_SEARCH` opens host files by handle (the "shocker" escape). The paper's scenario 2 shows `SYS_ADMIN` letting a container change its hostname."#,
        fix: r#"Drop the capability: remove it from `--cap-add` (compose: `cap_add:`), or start from `--cap-drop ALL` (compose: `cap_drop: [ALL]`) and add back only what the process needs."#,
        bad: r#"docker run --cap-add SYS_ADMIN IMAGE
# probe: CapEff 00000000a82425fb (SYS_ADMIN)"#,
        good: r#"docker run IMAGE
# probe: CapEff 00000000a80425fb (Docker's default 14)"#,
    },
    references: References {
        cis: &["5.4"],
        cwe: &["CWE-250"],
        links: &["https://man7.org/linux/man-pages/man7/capabilities.7.html"],
        ..References::NONE
    },
};

impl Rule<Evidence> for DangerousCapability {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        let f = &ev.facts;
        if f.capabilities.full == Some(true) {
            return;
        }
        let Some(eff) = &f.process.cap_effective else {
            return;
        };
        for cap in &f.capabilities.dangerous {
            out.push(
                Finding::new(
                    &META,
                    ev.location(),
                    format!("the container holds CAP_{cap} in its effective capability set"),
                )
                .evidence(format!("CapEff: {} includes {cap}", eff.hex))
                .key(*cap)
                .fix(format!(
                    "Drop it: remove `--cap-add {cap}` (compose: `cap_add: [{cap}]`), or run with \
                     `--cap-drop ALL` (compose: `cap_drop: [ALL]`) and add back only what the \
                     process needs."
                ))
                .build(),
            );
        }
    }
}
