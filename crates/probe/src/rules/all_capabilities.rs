//! PB001: the effective capability set is the kernel's full set (privileged, or `--cap-add ALL`).

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct AllCapabilities;

pub static META: RuleMeta = RuleMeta {
    id: "PB001",
    name: "all-capabilities",
    title: "Container holds every capability",
    severity: Severity::Critical,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"The probe's effective capability set (`CapEff` in `/proc/self/status`) holds every capability the running kernel knows, compared against `/proc/sys/kernel/cap_last_cap` — not against the `3fffffffff` mask other tools look for, which a full set on kernels 5.8 and later does not contain.

Configuration counterpart: RS001 (`privileged`)."#,
        why: r#"A process with every capability can load kernel modules, mount the host's disks, trace other processes and change the kernel's settings: with `--privileged` it also sees every host device and no seccomp or AppArmor confinement. It is root on the host in all but name."#,
        fix: r#"Do not run the container privileged: remove `--privileged` (compose: `privileged: true`) and `--cap-add ALL` (compose: `cap_add: [ALL]`); start from `--cap-drop ALL` (compose: `cap_drop: [ALL]`) and add back only the capabilities the process needs."#,
        bad: r#"docker run --privileged IMAGE
# probe: CapEff 000001ffffffffff, cap_last_cap 40"#,
        good: r#"docker run --cap-drop ALL IMAGE
# probe: CapEff 0000000000000000"#,
    },
    references: References {
        cis: &["5.5"],
        cwe: &["CWE-250"],
        links: &["https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities"],
        ..References::NONE
    },
};

impl Rule<Evidence> for AllCapabilities {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        let f = &ev.facts;
        if f.capabilities.full != Some(true) {
            return;
        }
        let Some(eff) = &f.process.cap_effective else {
            return;
        };
        let last = f.capabilities.last_cap.unwrap_or(0);
        out.push(
            Finding::new(
                &META,
                ev.location(),
                format!(
                    "the effective capability set {} holds all {} capabilities this kernel knows \
                     (cap_last_cap {last}): the container is privileged or has `--cap-add ALL`",
                    eff.hex,
                    last + 1
                ),
            )
            .evidence(format!("CapEff: {}", eff.hex))
            .key("full-set")
            .build(),
        );
    }
}
