//! Which of the host's namespaces the container shares, and how sure the probe is.
//!
//! The surest sign is the namespace's inode (`readlink /proc/self/ns/uts` →
//! `uts:[4026531838]`): the kernel gives its initial namespaces fixed numbers
//! (`include/linux/proc_ns.h`), so a container whose UTS, IPC, PID or cgroup namespace has
//! that number shares the host's. Network and mount namespaces got fixed numbers only in
//! recent kernels; for them the probe adds heuristics (host interfaces such as `docker0`,
//! host sockets in `/proc/net/unix`), and says which evidence it used.

use crate::root::Root;
use serde::Serialize;

/// The initial namespaces' inode numbers (`PROC_*_INIT_INO`).
const INIT_INODES: [(&str, u64); 8] = [
    ("ipc", 0xEFFF_FFFF),
    ("uts", 0xEFFF_FFFE),
    ("user", 0xEFFF_FFFD),
    ("pid", 0xEFFF_FFFC),
    ("cgroup", 0xEFFF_FFFB),
    ("time", 0xEFFF_FFFA),
    ("net", 0xEFFF_FFF9),
    ("mnt", 0xEFFF_FFF8),
];

/// The inode of each of the probe's namespaces, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NamespaceLinks {
    pub inodes: Vec<(String, u64)>,
}

impl NamespaceLinks {
    pub fn read(root: &Root) -> NamespaceLinks {
        let inodes = INIT_INODES
            .iter()
            .filter_map(|(name, _)| {
                let link = root.link(&format!("/proc/self/ns/{name}"))?;
                let inode = link
                    .strip_prefix(&format!("{name}:["))?
                    .strip_suffix(']')?
                    .parse()
                    .ok()?;
                Some((name.to_string(), inode))
            })
            .collect();
        NamespaceLinks { inodes }
    }

    pub fn inode(&self, name: &str) -> Option<u64> {
        self.inodes.iter().find(|(n, _)| n == name).map(|(_, i)| *i)
    }

    /// `Some(true)` when the namespace is the kernel's initial one. For `net` and `mnt`, a
    /// number other than the initial one proves nothing on kernels that number them
    /// dynamically, so that is `None`.
    pub fn is_initial(&self, name: &str) -> Option<bool> {
        let inode = self.inode(name)?;
        let (_, init) = INIT_INODES.iter().find(|(n, _)| *n == name)?;
        if inode == *init {
            return Some(true);
        }
        if matches!(name, "net" | "mnt") {
            return None;
        }
        Some(false)
    }

    pub fn cgroup_is_host(&self) -> Option<bool> {
        self.is_initial("cgroup")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// What the probe concludes about one namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostNamespace {
    /// `net`, `pid`, `uts` or `ipc`.
    pub namespace: &'static str,
    /// Whether the evidence says the host's namespace is shared.
    pub shared: bool,
    pub confidence: Confidence,
    pub evidence: Vec<String>,
}

/// Interfaces that only a host's network namespace has.
fn host_interface(name: &str) -> bool {
    name == "docker0"
        || name.starts_with("veth")
        || name.starts_with("br-")
        || name.starts_with("virbr")
        || name.starts_with("cni")
        || name.starts_with("flannel")
        || name.starts_with("cali")
}

fn judge(
    namespace: &'static str,
    init: Option<bool>,
    mut hints: Vec<(Confidence, String)>,
) -> HostNamespace {
    match init {
        Some(shared) => HostNamespace {
            namespace,
            shared,
            confidence: Confidence::High,
            evidence: vec![format!(
                "/proc/self/ns/{namespace} is {} initial namespace",
                if shared {
                    "the kernel's"
                } else {
                    "not the kernel's"
                }
            )],
        },
        None => {
            hints.sort_by_key(|h| std::cmp::Reverse(h.0));
            let confidence = hints.first().map(|h| h.0).unwrap_or(Confidence::Low);
            HostNamespace {
                namespace,
                shared: !hints.is_empty(),
                confidence,
                evidence: hints.into_iter().map(|(_, e)| e).collect(),
            }
        }
    }
}

/// The host-namespace verdicts for net, pid, uts and ipc.
pub fn host_namespaces(
    root: &Root,
    links: &NamespaceLinks,
    hostname: Option<&str>,
) -> Vec<HostNamespace> {
    let mut net = Vec::new();
    if let Ok(dev) = root.read("/proc/net/dev") {
        let names: Vec<&str> = dev
            .lines()
            .skip(2)
            .filter_map(|l| l.split(':').next().map(str::trim))
            .collect();
        let host: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| host_interface(n))
            .collect();
        if !host.is_empty() {
            net.push((
                Confidence::High,
                format!("host interfaces in /proc/net/dev: {}", host.join(", ")),
            ));
        } else if names.len() > 4 {
            net.push((
                Confidence::Low,
                format!("{} interfaces in /proc/net/dev", names.len()),
            ));
        }
    }
    if let Ok(unix) = root.read("/proc/net/unix") {
        if unix.contains("/run/systemd/") || unix.contains("/run/user/") {
            net.push((
                Confidence::Medium,
                "host sockets (/run/systemd/, /run/user/) in /proc/net/unix".to_string(),
            ));
        }
    }
    let mut pid = Vec::new();
    if root.read_trimmed("/proc/2/comm").as_deref() == Some("kthreadd") {
        pid.push((
            Confidence::High,
            "process 2 is the kernel's kthreadd".to_string(),
        ));
    }
    if let Some(comm) = root.read_trimmed("/proc/1/comm") {
        if matches!(comm.as_str(), "systemd" | "init" | "launchd") {
            pid.push((Confidence::Medium, format!("process 1 is `{comm}`")));
        }
    }
    let mut uts = Vec::new();
    if let Some(name) = hostname {
        let container_id = name.len() == 12 && name.bytes().all(|b| b.is_ascii_hexdigit());
        if !container_id && links.is_initial("uts").is_none() {
            uts.push((
                Confidence::Low,
                format!("hostname `{name}` is not a container id"),
            ));
        }
    }
    vec![
        judge("net", links.is_initial("net").filter(|s| *s), net),
        judge("pid", links.is_initial("pid"), pid),
        judge("uts", links.is_initial("uts"), uts),
        judge("ipc", links.is_initial("ipc"), Vec::new()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initial_inodes() {
        let links = NamespaceLinks {
            inodes: vec![
                ("uts".into(), 4026531838),
                ("pid".into(), 4026532200),
                ("net".into(), 4026532300),
            ],
        };
        assert_eq!(links.is_initial("uts"), Some(true));
        assert_eq!(links.is_initial("pid"), Some(false));
        assert_eq!(links.is_initial("net"), None);
        assert_eq!(links.is_initial("ipc"), None);
    }
}
