//! PB011: a host directory such as `/`, `/etc` or `/var/run` (or a second proc/sysfs) is mounted in.

use crate::evidence::Evidence;
use plimsoll_core::{Finding, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub struct SensitiveMount;

pub static META: RuleMeta = RuleMeta {
    id: "PB011",
    name: "sensitive-host-mount",
    title: "A sensitive host path is mounted",
    severity: Severity::High,
    stage: Stage::Inside,
    status: RuleStatus::Experimental,
    since: "0.1.0",
    docs: RuleDocs {
        what: r#"Each mount (`/proc/self/mountinfo`) of a disk filesystem whose root is a sensitive host path — `/`, `/boot`, `/dev`, `/etc`, `/lib`, `/proc`, `/sys`, `/usr`, `/var/run`, `/run`, `/root`, `/var/lib/docker` or below them — and each `proc` or `sysfs` mounted anywhere but `/proc` and `/sys`. The runtime's own `/etc/hosts`, `/etc/hostname` and `/etc/resolv.conf` are not flagged.

Configuration counterpart: RS016 (`sensitive-host-path`)."#,
        why: r#"A writable host `/etc` or `/` lets the container add a user, a cron job or an SSH key on the host; even read-only it reads the host's secrets (`/etc/shadow`, kubelet credentials)."#,
        fix: r#"Mount only the application's own data: remove `--volume /etc:…` (`-v`) and the like (compose: the `volumes:` entry), and add `:ro` (compose: `read_only: true` on the volume's long form) where a host file must be read."#,
        bad: r#"docker run -v /etc:/host-etc IMAGE
# probe: mountinfo root /etc on /host-etc (ext4)"#,
        good: r#"docker run -v appdata:/data IMAGE"#,
    },
    references: References {
        cis: &["5.6"],
        cwe: &["CWE-668"],
        links: &["https://docs.docker.com/engine/storage/bind-mounts/"],
        ..References::NONE
    },
};

impl Rule<Evidence> for SensitiveMount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ev: &Evidence, out: &mut Vec<Finding>) {
        for m in &ev.facts.sensitive_mounts {
            let mode = if m.writable {
                "read-write"
            } else {
                "read-only"
            };
            out.push(
                Finding::new(
                    &META,
                    ev.location(),
                    format!(
                        "host path {} is mounted {mode} at {} ({})",
                        m.host_path, m.mount_point, m.fstype
                    ),
                )
                .evidence(format!("{} on {} {}", m.host_path, m.mount_point, m.fstype))
                .key(m.mount_point.clone())
                .build(),
            );
        }
    }
}
