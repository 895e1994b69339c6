//! PB004: the kernel has AppArmor or SELinux but the container runs unconfined.

use crate::evidence::Evidence;
use crate::lsm::Lsm;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct LsmUnconfined;

pub static META: RuleMeta = RuleMeta {
    id: "PB004",
    name: "lsm-unconfined",
    title: "No AppArmor or SELinux confinement",
    severity: Severity::Medium,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"The process's label (`/proc/self/attr/current`) says `unconfined` (or an unconfined SELinux type, or an AppArmor profile in complain mode) on a kernel that has a security module. On a kernel without one (the file answers "Invalid argument") the rule says nothing: there is nothing to enable.

Configuration counterparts: RS006 (`apparmor-unconfined`), RS007 (`selinux-disabled`)."#,
        why: r#"The paper's scenario 1: Docker loads the `docker-default` AppArmor profile, which denies `mount`, writes to most of `/proc` and `/sys`, and `/proc/sysrq-trigger` and `/proc/kcore` — even for a process that holds the capabilities to do them. Unconfined, only capabilities and seccomp are left."#,
        fix: r#"Keep the runtime's profile: remove `--security-opt apparmor=unconfined` (compose: `security_opt: [apparmor:unconfined]`) and `--security-opt label=disable` (compose: `security_opt: [label:disable]`), or name a profile with `--security-opt apparmor=PROFILE` (compose: `security_opt: [apparmor=PROFILE]`)."#,
        bad: r#"docker run --security-opt apparmor=unconfined IMAGE
# probe: /proc/self/attr/current = unconfined"#,
        good: r#"docker run IMAGE
# probe: /proc/self/attr/current = docker-default (enforce)"#,
    },
    references: References {
        cis: &["5.2", "5.3"],
        cwe: &["CWE-693"],
        links: &["https://docs.docker.com/engine/security/apparmor/"],
        ..References::NONE
    },
};

impl Rule<Evidence> for LsmUnconfined {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        let (label, detail) = match &ev.facts.lsm {
            Lsm::Unconfined { label } => (
                label.clone(),
                "no AppArmor or SELinux profile confines the container",
            ),
            Lsm::AppArmor { profile, mode } if mode == "complain" => (
                format!("{profile} ({mode})"),
                "the AppArmor profile only complains: it denies nothing",
            ),
            Lsm::SeLinux { label } if label.contains("spc_t") => {
                (label.clone(), "the SELinux type spc_t is unconfined")
            }
            _ => return,
        };
        let shown = if label.is_empty() {
            "unconfined".to_string()
        } else {
            label
        };
        out.push(
            Finding::new(&META, ev.location(), format!("{detail} (label `{shown}`)"))
                .evidence(format!("/proc/self/attr/current: {shown}"))
                .build(),
        );
    }
}
