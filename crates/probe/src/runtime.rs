//! Which container runtime (if any) the probe runs under, from every place one leaves a mark:
//! `/.dockerenv`, `/run/.containerenv`, cgroup paths, the overlay's upper directory, the
//! environment. On cgroup v2 with a private cgroup namespace `/proc/self/cgroup` says only
//! `0::/`, which is why the probe never relies on the cgroup path alone.

use crate::environment::Environment;
use crate::mounts::Mounts;
use crate::root::Root;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Runtime {
    /// `docker`, `podman`, `containerd`, `cri-o`, `kubernetes`, `lxc`, or none found.
    pub name: Option<String>,
    /// Also orchestrated by Kubernetes.
    pub kubernetes: bool,
    pub evidence: Vec<String>,
}

/// Marks in a cgroup path: `(needle, runtime)`.
const CGROUP_MARKS: [(&str, &str); 7] = [
    ("/docker/", "docker"),
    ("docker-", "docker"),
    ("libpod", "podman"),
    ("crio-", "cri-o"),
    ("cri-containerd", "containerd"),
    ("/lxc/", "lxc"),
    ("kubepods", "kubernetes"),
];

/// Marks in the root overlay's options: `(needle, runtime)`.
const OVERLAY_MARKS: [(&str, &str); 3] = [
    ("/var/lib/docker/", "docker"),
    ("/var/lib/containerd/", "containerd"),
    ("/var/lib/containers/storage/", "podman"),
];

impl Runtime {
    pub fn detect(root: &Root, env: &Environment, mounts: &Mounts, cgroup_text: &str) -> Runtime {
        let mut found: Vec<(&str, String)> = Vec::new();
        if root.read("/.dockerenv").is_ok() {
            found.push(("docker", "/.dockerenv exists".to_string()));
        }
        if root.read("/run/.containerenv").is_ok() {
            found.push(("podman", "/run/.containerenv exists".to_string()));
        }
        for (needle, name) in CGROUP_MARKS {
            if cgroup_text.contains(needle) {
                found.push((name, format!("`{needle}` in /proc/self/cgroup")));
            }
        }
        if let Some(m) = mounts.covering("/").filter(|m| m.fstype == "overlay") {
            let opts = m.options.join(",") + "," + &m.source;
            for (needle, name) in OVERLAY_MARKS {
                if opts.contains(needle) {
                    found.push((name, format!("root overlay under {needle}")));
                }
            }
        }
        if let Some(c) = &env.container {
            found.push((
                match c.as_str() {
                    "podman" => "podman",
                    "docker" => "docker",
                    "lxc" => "lxc",
                    _ => "other",
                },
                format!("container={c} in the environment"),
            ));
        }
        let kubernetes = env.kubernetes || cgroup_text.contains("kubepods");
        if env.kubernetes {
            found.push((
                "kubernetes",
                "KUBERNETES_SERVICE_HOST in the environment".to_string(),
            ));
        }
        let name = found
            .iter()
            .map(|(n, _)| *n)
            .find(|n| *n != "kubernetes")
            .or_else(|| found.first().map(|(n, _)| *n))
            .map(str::to_string);
        Runtime {
            name,
            kubernetes,
            evidence: found.into_iter().map(|(_, e)| e).collect(),
        }
    }
}
