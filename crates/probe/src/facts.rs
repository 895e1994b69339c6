//! Everything the probe reads without changing anything, gathered in one serialisable value.
//! Each part comes from its own module; this one only calls them in order and keeps the
//! errors (a missing file is an unknown, never a panic or a wrong verdict).

use crate::cgroups::Cgroups;
use crate::devices::Devices;
use crate::environment::Environment;
use crate::idmap::IdMap;
use crate::lsm::Lsm;
use crate::mounts::{Mounts, SensitiveMount};
use crate::namespaces::{host_namespaces, HostNamespace, NamespaceLinks};
use crate::root::Root;
use crate::runtime::Runtime;
use crate::sockets::{self, RuntimeSocket};
use crate::status::{cap_last_cap, ProcessStatus};
use serde::Serialize;

/// The capability facts the rules judge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Capabilities {
    /// `/proc/sys/kernel/cap_last_cap`: the highest capability this kernel knows.
    pub last_cap: Option<u32>,
    /// The effective set holds every capability the kernel knows.
    pub full: Option<bool>,
    /// Dangerous capabilities in the effective set.
    pub dangerous: Vec<&'static str>,
    /// Effective capabilities beyond Docker's default 14.
    pub beyond_default: Vec<String>,
}

/// Kernel interfaces a runtime makes read-only or masks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KernelInterfaces {
    pub proc_sys_writable: Option<bool>,
    /// A cgroup (v1 controller or v2) filesystem is mounted read-write.
    pub cgroup_fs_writable: Option<bool>,
    /// `/proc/kcore` has something mounted over it (a `/dev/null` bind).
    pub kcore_masked: Option<bool>,
    /// `/sys/firmware` has something mounted over it (an empty tmpfs) or is absent.
    pub firmware_masked: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facts {
    pub hostname: Option<String>,
    pub kernel: Option<String>,
    pub runtime: Runtime,
    pub process: ProcessStatus,
    pub capabilities: Capabilities,
    pub lsm: Lsm,
    pub uid_map: Option<IdMap>,
    pub gid_map: Option<IdMap>,
    /// The container has its own user namespace (`uid_map` is not the identity map).
    pub user_namespace: Option<bool>,
    /// The host uid the probe's uid 0 is (root without a user namespace: 0).
    pub root_is_host_uid: Option<u32>,
    pub cgroups: Cgroups,
    pub root_read_only: Option<bool>,
    pub kernel_interfaces: KernelInterfaces,
    pub sensitive_mounts: Vec<SensitiveMount>,
    pub devices: Devices,
    pub sockets: Vec<RuntimeSocket>,
    pub namespaces: NamespaceLinks,
    pub host_namespaces: Vec<HostNamespace>,
    pub environment: Environment,
    /// Files that could not be read and what that leaves unknown.
    pub errors: Vec<String>,
    #[serde(skip)]
    pub mounts: Mounts,
}

/// Whether a cgroup filesystem under `/sys/fs/cgroup` is mounted read-write (the tmpfs that
/// holds v1's controller mounts does not count: writing there changes no group).
fn cgroup_writable(mounts: &Mounts) -> Option<bool> {
    let cgroup: Vec<_> = mounts
        .mounts
        .iter()
        .filter(|m| matches!(m.fstype.as_str(), "cgroup" | "cgroup2"))
        .filter(|m| m.mount_point.starts_with("/sys/fs/cgroup"))
        .collect();
    if cgroup.is_empty() {
        return None;
    }
    Some(cgroup.iter().any(|m| !m.read_only()))
}

fn masked(root: &Root, mounts: &Mounts, path: &str) -> Option<bool> {
    if mounts.mounts.is_empty() {
        return None;
    }
    Some(mounts.masked(path) || root.kind(path).is_none())
}

impl Facts {
    pub fn collect(root: &Root) -> Facts {
        let mut errors = Vec::new();
        let process = ProcessStatus::read(root).unwrap_or_else(|e| {
            errors.push(e);
            ProcessStatus::default()
        });
        let mounts = Mounts::read(root).unwrap_or_else(|e| {
            errors.push(e);
            Mounts::default()
        });
        let last_cap = cap_last_cap(root);
        let eff = process.cap_effective.as_ref();
        let capabilities = Capabilities {
            last_cap,
            full: eff.zip(last_cap).map(|(c, last)| c.is_full(last)),
            dangerous: eff.map(|c| c.dangerous()).unwrap_or_default(),
            beyond_default: eff.map(|c| c.beyond_docker_default()).unwrap_or_default(),
        };
        let uid_map = IdMap::read(root, "uid_map");
        let gid_map = IdMap::read(root, "gid_map");
        if uid_map.is_none() {
            errors.push("/proc/self/uid_map: unreadable; user namespace unknown".to_string());
        }
        let hostname = root.read_trimmed("/proc/sys/kernel/hostname");
        let namespaces = NamespaceLinks::read(root);
        let cgroup_fs = mounts.covering("/sys/fs/cgroup").map(|m| m.fstype.clone());
        let cgroups = Cgroups::read(root, &namespaces, cgroup_fs.as_deref());
        let environment = Environment::read(root);
        let cgroup_text = cgroups.paths.join("\n");
        let runtime = Runtime::detect(root, &environment, &mounts, &cgroup_text);
        let kernel_interfaces = KernelInterfaces {
            proc_sys_writable: mounts.writable("/proc/sys"),
            cgroup_fs_writable: cgroup_writable(&mounts),
            kcore_masked: masked(root, &mounts, "/proc/kcore"),
            firmware_masked: masked(root, &mounts, "/sys/firmware"),
        };
        Facts {
            kernel: root.read_trimmed("/proc/sys/kernel/osrelease"),
            host_namespaces: host_namespaces(root, &namespaces, hostname.as_deref()),
            hostname,
            runtime,
            capabilities,
            lsm: Lsm::read(root),
            user_namespace: uid_map.as_ref().map(|m| !m.is_host()),
            root_is_host_uid: uid_map.as_ref().and_then(|m| m.outside(0)),
            uid_map,
            gid_map,
            cgroups,
            root_read_only: mounts.covering("/").map(|m| m.read_only()),
            kernel_interfaces,
            sensitive_mounts: mounts.sensitive(),
            devices: Devices::read(root),
            sockets: sockets::find(root, &mounts),
            namespaces,
            environment,
            process,
            errors,
            mounts,
        }
    }

    /// Whether the probe itself runs as root (uid 0 inside).
    pub fn runs_as_root(&self) -> Option<bool> {
        self.process.effective_uid.map(|u| u == 0)
    }

    /// The host-namespace verdict for one namespace.
    pub fn host_namespace(&self, name: &str) -> Option<&HostNamespace> {
        self.host_namespaces.iter().find(|h| h.namespace == name)
    }
}
