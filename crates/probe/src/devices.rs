//! Device nodes in the container's `/dev` beyond what a runtime creates for every container:
//! the host's disks, memory and kernel log reach the container only through `--device` or
//! `--privileged`.

use crate::root::{EntryKind, Root};
use serde::Serialize;

/// What Docker (and Kubernetes) put in every container's `/dev`.
const DEFAULT_DEV: [&str; 18] = [
    "console",
    "core",
    "fd",
    "full",
    "mqueue",
    "null",
    "ptmx",
    "pts",
    "random",
    "shm",
    "stderr",
    "stdin",
    "stdout",
    "tty",
    "urandom",
    "zero",
    "termination-log",
    "init",
];

/// Name prefixes of host block devices and of character devices that expose the host's
/// memory, ports, kernel log or hardware.
const HOST_PREFIXES: [&str; 24] = [
    "sd", "vd", "xvd", "hd", "nvme", "mmcblk", "dm-", "loop", "nbd", "md", "sr", "mapper", "disk",
    "mem", "kmem", "port", "kmsg", "kvm", "sg", "dri", "snd", "bus", "cpu", "watchdog",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Devices {
    /// Entries of `/dev` beyond the default set.
    pub extra: Vec<String>,
    /// Of those, the ones that are host devices (block devices, memory, kernel log…).
    pub host: Vec<String>,
    /// Whether `/dev` could be listed.
    pub listed: bool,
}

fn is_host_device(name: &str, kind: EntryKind) -> bool {
    kind == EntryKind::BlockDevice || HOST_PREFIXES.iter().any(|p| name.starts_with(p))
}

impl Devices {
    pub fn read(root: &Root) -> Devices {
        let Ok(entries) = root.list("/dev") else {
            return Devices {
                extra: Vec::new(),
                host: Vec::new(),
                listed: false,
            };
        };
        let extra: Vec<(String, EntryKind)> = entries
            .into_iter()
            .filter(|(n, _)| !DEFAULT_DEV.contains(&n.as_str()))
            .collect();
        Devices {
            host: extra
                .iter()
                .filter(|(n, k)| is_host_device(n, *k))
                .map(|(n, _)| format!("/dev/{n}"))
                .collect(),
            extra: extra
                .into_iter()
                .map(|(n, _)| format!("/dev/{n}"))
                .collect(),
            listed: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_devices_by_kind_and_name() {
        assert!(is_host_device("sda1", EntryKind::File));
        assert!(is_host_device("weird", EntryKind::BlockDevice));
        assert!(!is_host_device("fuse", EntryKind::CharDevice));
    }
}
