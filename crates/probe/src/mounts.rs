//! The container's mount table (`/proc/self/mountinfo`) and what it tells: whether the root
//! filesystem and kernel interfaces (`/proc/sys`, `/sys/fs/cgroup`) are writable, whether the
//! runtime masked `/proc/kcore` and `/sys/firmware`, and which mounts bring host paths in.

use crate::root::Root;
use serde::Serialize;

/// One line of mountinfo (fields per proc(5)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mount {
    /// The path inside the filesystem that is mounted (`/etc` for `-v /etc:/host-etc` when
    /// `/etc` lies on the host's root filesystem).
    pub root: String,
    pub mount_point: String,
    pub options: Vec<String>,
    pub fstype: String,
    pub source: String,
}

impl Mount {
    pub fn read_only(&self) -> bool {
        self.options.iter().any(|o| o == "ro")
    }
}

/// `\040`-style escapes of mountinfo paths.
fn unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let digits = bytes.get(i + 1..i + 4).unwrap_or_default();
        if bytes[i] == b'\\'
            && digits.len() == 3
            && digits.iter().all(|d| (b'0'..=b'7').contains(d))
        {
            let value = digits.iter().fold(0u32, |n, d| n * 8 + u32::from(d - b'0'));
            if let Ok(b) = u8::try_from(value) {
                out.push(b);
                i += 4;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Filesystems that hold files of a disk: a mount of one of these whose root is a host
/// directory brings that directory in.
const DISK_FILESYSTEMS: [&str; 8] = [
    "ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "f2fs", "vfat",
];

/// Host paths whose mount into a container CIS 5.5 calls sensitive, plus the runtime's
/// socket directories and root's home.
pub const SENSITIVE_HOST_PATHS: [&str; 12] = [
    "/",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/proc",
    "/sys",
    "/usr",
    "/var/run",
    "/run",
    "/root",
    "/var/lib/docker",
];

/// Where `plimsoll probe --launch` mounts the probe in the container it starts (read-only).
/// The probe does not count this mount of itself as a sensitive host path.
pub const LAUNCH_MOUNT: &str = "/.plimsoll-probe";

/// Files the runtime itself bind-mounts from its own state directory.
const RUNTIME_FILES: [&str; 3] = ["/etc/hosts", "/etc/hostname", "/etc/resolv.conf"];

/// A mount that brings a sensitive host path into the container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SensitiveMount {
    pub mount_point: String,
    /// The host path (as far as mountinfo tells it).
    pub host_path: String,
    pub fstype: String,
    pub writable: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Mounts {
    pub mounts: Vec<Mount>,
}

impl Mounts {
    pub fn parse(text: &str) -> Mounts {
        let mounts = text
            .lines()
            .filter_map(|line| {
                let (left, right) = line.split_once(" - ")?;
                let l: Vec<&str> = left.split(' ').collect();
                let r: Vec<&str> = right.split(' ').collect();
                Some(Mount {
                    root: unescape(l.get(3)?),
                    mount_point: unescape(l.get(4)?),
                    options: l.get(5)?.split(',').map(str::to_string).collect(),
                    fstype: r.first()?.to_string(),
                    source: unescape(r.get(1).copied().unwrap_or("")),
                })
            })
            .collect();
        Mounts { mounts }
    }

    pub fn read(root: &Root) -> Result<Mounts, String> {
        root.read("/proc/self/mountinfo")
            .map(|t| Mounts::parse(&t))
            .map_err(|e| format!("/proc/self/mountinfo: {e}"))
    }

    /// The mount a path lies on: the last-mounted one with the longest matching mount point.
    pub fn covering(&self, path: &str) -> Option<&Mount> {
        self.mounts
            .iter()
            .filter(|m| {
                let mp = m.mount_point.trim_end_matches('/');
                path == m.mount_point
                    || mp.is_empty()
                    || path.strip_prefix(mp).is_some_and(|r| r.starts_with('/'))
            })
            .max_by_key(|m| m.mount_point.trim_end_matches('/').len())
    }

    /// Whether the mount a path lies on is read-write (`None` without a mount table).
    pub fn writable(&self, path: &str) -> Option<bool> {
        self.covering(path).map(|m| !m.read_only())
    }

    /// Whether something is mounted exactly on `path` (how runtimes mask a kernel file: a
    /// `/dev/null` bind or an empty read-only tmpfs over it).
    pub fn masked(&self, path: &str) -> bool {
        self.mounts.iter().any(|m| m.mount_point == path)
    }

    /// Mounts of sensitive host paths (CIS 5.5), a second `proc` or `sysfs`.
    pub fn sensitive(&self) -> Vec<SensitiveMount> {
        let mut out = Vec::new();
        for m in &self.mounts {
            // Runtime sockets are `sockets`' (PB015), not a sensitive path of their own.
            if RUNTIME_FILES.contains(&m.mount_point.as_str())
                || m.mount_point.ends_with(".sock")
                || m.mount_point == LAUNCH_MOUNT
            {
                continue;
            }
            let under =
                |dir: &str| m.mount_point == dir || m.mount_point.starts_with(&format!("{dir}/"));
            let kernel_fs = match m.fstype.as_str() {
                "proc" if !under("/proc") => Some("/proc"),
                "sysfs" if !under("/sys") => Some("/sys"),
                _ => None,
            };
            let host_path = if let Some(path) = kernel_fs {
                path.to_string()
            } else if DISK_FILESYSTEMS.contains(&m.fstype.as_str()) && m.mount_point != "/" {
                let hit = SENSITIVE_HOST_PATHS
                    .iter()
                    .any(|p| m.root == *p || (*p != "/" && m.root.starts_with(&format!("{p}/"))));
                if !hit {
                    continue;
                }
                m.root.clone()
            } else {
                continue;
            };
            out.push(SensitiveMount {
                mount_point: m.mount_point.clone(),
                host_path,
                fstype: m.fstype.clone(),
                writable: !m.read_only(),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCKER: &str = "\
1 0 0:1 / / ro,relatime - overlay overlay rw,lowerdir=/x
2 1 0:2 / /proc rw,nosuid - proc proc rw
3 2 0:2 /sys /proc/sys ro,nosuid - proc proc rw
4 2 0:3 /null /proc/kcore rw,nosuid - tmpfs tmpfs rw
5 1 0:4 / /sys ro,nosuid - sysfs sysfs ro
6 5 0:5 / /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw
7 1 8:1 /var/lib/docker/containers/abc/hosts /etc/hosts rw - ext4 /dev/vda rw
8 1 8:1 /etc /host\\040etc rw - ext4 /dev/vda rw
9 1 0:2 / /host/proc rw - proc proc rw
10 1 8:1 /home/me /src rw - ext4 /dev/vda rw
";

    #[test]
    fn reads_docker_mountinfo() {
        let m = Mounts::parse(DOCKER);
        assert_eq!(m.writable("/"), Some(false));
        assert_eq!(m.writable("/proc/sys/kernel"), Some(false));
        assert_eq!(m.writable("/proc/self"), Some(true));
        assert_eq!(m.writable("/sys/fs/cgroup/memory.max"), Some(false));
        assert!(m.masked("/proc/kcore"));
        assert!(!m.masked("/sys/firmware"));
        let s = m.sensitive();
        let points: Vec<&str> = s.iter().map(|s| s.mount_point.as_str()).collect();
        assert_eq!(points, ["/host etc", "/host/proc"]);
        assert_eq!(Mounts::parse("garbage\n1 2 - \n").mounts, vec![]);
    }
}
