//! HS001: the data root is not on its own filesystem.

use plimsoll_core::{
    Finding, Location, References, Rule, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

use crate::facts::{HostFacts, Probe};
use crate::rules::CheckResult;

pub static META: RuleMeta = RuleMeta {
    id: "HS001",
    name: "data-root-partition",
    title: "Docker's data root is not on a separate partition",
    severity: Severity::Low,
    stage: Stage::Host,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when the filesystem holding the daemon's data root (`/info` \
`DockerRootDir`, its parent under user-namespace remapping) is the root filesystem, read \
from the host's mount table (`/proc/self/mountinfo`). A separate `/var` counts as separate \
(docker-bench's `mountpoint` test only accepts a mount exactly at the data root), and a bind \
mount of a directory of the root filesystem (same device) does not (`mountpoint` accepts it).",
        why: "Images, container layers, volumes and json-file logs all grow there. On the \
root filesystem one container writing without limit fills the disk the host needs: logins, \
logging and the daemon itself fail — a denial of service any container can trigger.",
        fix: "Give /var/lib/docker its own partition or logical volume (LVM), or move the \
data root there (`\"data-root\"` in daemon.json), and mount it with `nodev`.",
        bad: "/var/lib/docker on / (ext4 /dev/vda1)\n",
        good: "/var/lib/docker on /var/lib/docker (xfs /dev/vg0/docker)\n",
    },
    references: References {
        cis: &["1.1.1"],
        links: &["https://docs.docker.com/engine/daemon/#daemon-data-directory"],
        ..References::NONE
    },
};

/// HS001 (`data-root-partition`), judged on the host's facts.
pub struct DataRootPartition;

impl Rule<HostFacts, CheckResult> for DataRootPartition {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, h: &HostFacts, out: &mut Vec<CheckResult>) {
        out.extend(results(h));
    }
}

fn results(h: &HostFacts) -> Vec<CheckResult> {
    let r = match &h.data_root {
        Probe::Checked(d) if d.separate() => CheckResult::pass("1.1.1", &META)
            .detail(format!("{} on {} ({} {})", d.path, d.mount_point, d.fstype, d.source)),
        Probe::Checked(d) => CheckResult::fail(
            "1.1.1",
            &META,
            Finding::new(
                &META,
                Location::file(d.path.clone()),
                if d.mount_point == "/" {
                    format!(
                        "the data root {} is on the root filesystem ({} {}): a container filling it fills the host's disk",
                        d.path, d.fstype, d.source
                    )
                } else {
                    format!(
                        "the data root {} is mounted at {} but from the root filesystem's device ({} {}, {}): a bind mount, not a separate partition",
                        d.path, d.mount_point, d.fstype, d.source, d.device
                    )
                },
            )
            .evidence(format!("{} on {}", d.path, d.mount_point))
            .key("data-root")
            .build(),
        ),
        Probe::Missing => CheckResult::not_checked("1.1.1", &META, "data root unknown"),
        Probe::NotChecked(r) => CheckResult::not_checked("1.1.1", &META, r.clone()),
    };
    vec![r]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn fires_on_root_fs() {
        let mut h = host();
        assert!(!is_fail(&results(&h)[0]));
        if let Probe::Checked(d) = &mut h.data_root {
            d.device = d.root_device.clone();
        }
        let r = results(&h);
        assert!(
            r[0].findings[0].message.contains("bind mount"),
            "{:?}",
            r[0].findings
        );
        if let Probe::Checked(d) = &mut h.data_root {
            d.mount_point = "/".into();
        }
        assert!(is_fail(&results(&h)[0]));
        h.data_root = Probe::NotChecked("permission denied".into());
        assert!(is_not_checked(&results(&h)[0]));
    }
}
