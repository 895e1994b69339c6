//! Control groups: which version the container sees, whether it has its own cgroup
//! namespace, and the memory, process and CPU limits that apply to it.
//!
//! On cgroup v1 Docker bind-mounts the container's own group at the root of each controller
//! (`/sys/fs/cgroup/memory/memory.limit_in_bytes`); on v2 with a private cgroup namespace
//! `/sys/fs/cgroup` is the container's group. Values that mean "no limit" — `max`, `-1`,
//! or v1's page-rounded 2^63 — are said as [`Limit::Unlimited`].

use crate::namespaces::NamespaceLinks;
use crate::root::Root;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CgroupVersion {
    V1,
    V2,
    /// v1 controllers with a v2 hierarchy beside them (systemd's hybrid layout).
    Hybrid,
}

/// A resource limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Limit {
    Unlimited,
    Max(u64),
}

impl Limit {
    pub fn value(self) -> Option<u64> {
        match self {
            Limit::Unlimited => None,
            Limit::Max(n) => Some(n),
        }
    }
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Limit::Unlimited => f.write_str("unlimited"),
            Limit::Max(n) => write!(f, "{n}"),
        }
    }
}

/// Values at or above this are v1's "no limit" (`9223372036854771712`, 2^63 rounded down to a
/// page), not a real limit.
const HUGE: u64 = 1 << 60;

/// Reads a limit file's value: `max`, `-1` and huge numbers are unlimited.
pub fn parse_limit(text: &str) -> Option<Limit> {
    let t = text.split_whitespace().next()?;
    if t == "max" || t == "-1" {
        return Some(Limit::Unlimited);
    }
    let n: u64 = t.parse().ok()?;
    Some(if n >= HUGE {
        Limit::Unlimited
    } else {
        Limit::Max(n)
    })
}

/// The limits of the container's group; `None` when the file could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Memory in bytes.
    pub memory: Option<Limit>,
    /// Memory plus swap in bytes (v1 `memsw`; v2 `memory.max + memory.swap.max`).
    pub memory_and_swap: Option<Limit>,
    pub pids: Option<Limit>,
    /// Processes in the group now.
    pub pids_current: Option<u64>,
    /// CPU time in thousandths of a CPU (`--cpus 1.5` → 1500).
    pub cpu_millis: Option<Limit>,
    /// OOM kills so far (`memory.events` / `memory.oom_control` `oom_kill`).
    pub oom_kills: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cgroups {
    pub version: Option<CgroupVersion>,
    /// Whether the container has its own cgroup namespace (`None`: cannot tell).
    pub private_namespace: Option<bool>,
    /// The group paths of `/proc/self/cgroup`, as `hierarchy:controllers:path` lines.
    pub paths: Vec<String>,
    pub limits: Limits,
    /// Where the limits were read (`/sys/fs/cgroup`, `/sys/fs/cgroup/memory`…).
    pub read_from: Vec<String>,
}

/// `/proc/self/cgroup` lines as `(controllers, path)`.
fn groups(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| {
            let mut parts = l.splitn(3, ':');
            let _id = parts.next()?;
            Some((parts.next()?.to_string(), parts.next()?.to_string()))
        })
        .collect()
}

fn version_of(groups: &[(String, String)], cgroup_fs: Option<&str>) -> Option<CgroupVersion> {
    let v1 = groups.iter().any(|(c, _)| !c.is_empty());
    let v2 = groups.iter().any(|(c, _)| c.is_empty());
    match (v1, v2, cgroup_fs) {
        (_, _, Some("cgroup2")) => Some(CgroupVersion::V2),
        (true, true, _) => Some(CgroupVersion::Hybrid),
        (true, false, _) => Some(CgroupVersion::V1),
        (false, true, _) => Some(CgroupVersion::V2),
        (false, false, _) => None,
    }
}

/// A limit file read from the first directory that has it.
struct Reader<'a> {
    root: &'a Root,
    read_from: Vec<String>,
}

impl Reader<'_> {
    fn text(&mut self, dirs: &[String], file: &str) -> Option<String> {
        for dir in dirs {
            let path = format!("{dir}/{file}");
            if let Ok(t) = self.root.read(&path) {
                if !self.read_from.contains(dir) {
                    self.read_from.push(dir.clone());
                }
                return Some(t);
            }
        }
        None
    }

    fn limit(&mut self, dirs: &[String], file: &str) -> Option<Limit> {
        self.text(dirs, file).and_then(|t| parse_limit(&t))
    }

    fn number(&mut self, dirs: &[String], file: &str) -> Option<u64> {
        self.text(dirs, file)?.trim().parse().ok()
    }

    fn keyed(&mut self, dirs: &[String], file: &str, key: &str) -> Option<u64> {
        let text = self.text(dirs, file)?;
        text.lines().find_map(|l| {
            let (k, v) = l.split_once(' ')?;
            (k == key).then(|| v.trim().parse().ok()).flatten()
        })
    }
}

/// The directories a controller's files may be in: the group's own path under the mount,
/// then the mount itself (Docker's v1 layout and a private v2 namespace).
fn dirs(base: &str, path: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(p) = path.filter(|p| *p != "/" && !p.is_empty()) {
        out.push(format!("{base}{p}"));
    }
    out.push(base.to_string());
    out
}

fn add(a: Option<Limit>, b: Option<Limit>) -> Option<Limit> {
    match (a?, b?) {
        (Limit::Max(x), Limit::Max(y)) => Some(Limit::Max(x.saturating_add(y))),
        _ => Some(Limit::Unlimited),
    }
}

fn cpu_millis(quota: Option<&str>, period: Option<&str>) -> Option<Limit> {
    let quota = quota?.trim();
    if quota == "max" || quota == "-1" {
        return Some(Limit::Unlimited);
    }
    let q: u64 = quota.parse().ok()?;
    let p: u64 = period?.trim().parse().ok()?;
    (p > 0).then(|| Limit::Max(q.saturating_mul(1000) / p))
}

impl Cgroups {
    pub fn read(root: &Root, ns: &NamespaceLinks, cgroup_fs: Option<&str>) -> Cgroups {
        let text = root.read("/proc/self/cgroup").unwrap_or_default();
        let groups = groups(&text);
        let version = version_of(&groups, cgroup_fs);
        let private_namespace = ns.cgroup_is_host().map(|host| !host);
        let path_of = |controller: &str| {
            groups
                .iter()
                .find(|(c, _)| c.split(',').any(|x| x == controller))
                .map(|(_, p)| p.as_str())
        };
        let mut r = Reader {
            root,
            read_from: Vec::new(),
        };
        let limits = if version == Some(CgroupVersion::V2) {
            let unified = groups
                .iter()
                .find(|(c, _)| c.is_empty())
                .map(|(_, p)| p.as_str());
            let d = dirs("/sys/fs/cgroup", unified);
            let memory = r.limit(&d, "memory.max");
            let cpu = r.text(&d, "cpu.max");
            let mut cpu_words = cpu.as_deref().unwrap_or_default().split_whitespace();
            Limits {
                memory,
                memory_and_swap: add(memory, r.limit(&d, "memory.swap.max")),
                pids: r.limit(&d, "pids.max"),
                pids_current: r.number(&d, "pids.current"),
                cpu_millis: cpu_millis(cpu_words.next(), cpu_words.next()),
                oom_kills: r.keyed(&d, "memory.events", "oom_kill"),
            }
        } else {
            let mem = dirs("/sys/fs/cgroup/memory", path_of("memory"));
            let pids = dirs("/sys/fs/cgroup/pids", path_of("pids"));
            let cpu = dirs("/sys/fs/cgroup/cpu", path_of("cpu"));
            let quota = r.text(&cpu, "cpu.cfs_quota_us");
            let period = r.text(&cpu, "cpu.cfs_period_us");
            Limits {
                memory: r.limit(&mem, "memory.limit_in_bytes"),
                memory_and_swap: r.limit(&mem, "memory.memsw.limit_in_bytes"),
                pids: r.limit(&pids, "pids.max"),
                pids_current: r.number(&pids, "pids.current"),
                cpu_millis: cpu_millis(quota.as_deref(), period.as_deref()),
                oom_kills: r.keyed(&mem, "memory.oom_control", "oom_kill"),
            }
        };
        Cgroups {
            version,
            private_namespace,
            paths: text.lines().map(str::to_string).collect(),
            limits,
            read_from: r.read_from,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_versions() {
        assert_eq!(parse_limit("max\n"), Some(Limit::Unlimited));
        assert_eq!(parse_limit("-1"), Some(Limit::Unlimited));
        assert_eq!(parse_limit("9223372036854771712\n"), Some(Limit::Unlimited));
        assert_eq!(parse_limit("67108864"), Some(Limit::Max(67108864)));
        assert_eq!(parse_limit("lots"), None);
        assert_eq!(
            cpu_millis(Some("50000"), Some("100000")),
            Some(Limit::Max(500))
        );
        assert_eq!(
            cpu_millis(Some("max"), Some("100000")),
            Some(Limit::Unlimited)
        );
        assert_eq!(cpu_millis(Some("5"), Some("0")), None);
        let v2 = groups("0::/\n");
        assert_eq!(version_of(&v2, None), Some(CgroupVersion::V2));
        let v1 = groups("4:memory:/docker/abc\n1:name=systemd:/docker/abc\n");
        assert_eq!(version_of(&v1, Some("tmpfs")), Some(CgroupVersion::V1));
        let hybrid = groups("4:memory:/x\n0::/x\n");
        assert_eq!(version_of(&hybrid, None), Some(CgroupVersion::Hybrid));
        assert_eq!(version_of(&[], None), None);
    }
}
