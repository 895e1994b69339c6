//! PB014: a host disk, memory or kernel-log device node is present.

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct HostDevice;

pub static META: RuleMeta = RuleMeta {
    id: "PB014",
    name: "host-device",
    title: "A host device is in the container's /dev",
    severity: Severity::High,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"Each entry of `/dev` beyond the runtime's default set that is a block device or names a host device (`sd*`, `vd*`, `nvme*`, `dm-*`, `loop*`, `mem`, `kmem`, `port`, `kmsg`, `kvm`…).

Configuration counterpart: RS018 (`host-devices`)."#,
        why: r#"A host disk node lets the container read or rewrite the host's filesystem below every permission; `/dev/mem` and `/dev/kmem` are the host's memory. deepce calls a container that can list the host's disks privileged."#,
        fix: r#"Remove `--device` entries the application does not need (compose: `devices:`) and `--privileged` (compose: `privileged: true`), which brings every host device in."#,
        bad: r#"docker run --device /dev/sda IMAGE"#,
        good: r#"docker run IMAGE"#,
    },
    references: References {
        cis: &["5.18"],
        cwe: &["CWE-668"],
        links: &["https://docs.docker.com/reference/cli/docker/container/run/#device"],
        ..References::NONE
    },
};

impl Rule<Evidence> for HostDevice {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        for dev in &ev.facts.devices.host {
            out.push(
                Finding::new(
                    &META,
                    ev.location(),
                    format!("host device {dev} is present in the container"),
                )
                .evidence(dev.clone())
                .key(dev.clone())
                .build(),
            );
        }
    }
}
