//! Mounts as the engine applied them: `Mounts[]` (every `-v`, `--mount` and image `VOLUME`,
//! with the real host path, `RW` and `Propagation`), plus `HostConfig.Tmpfs` (`--tmpfs`,
//! which `Mounts[]` does not list).

use bollard::models::{HostConfig, MountPoint};
use plimsoll_runspec::{Mount, MountKind, RunSpec};

use super::Src;

pub(super) fn map(spec: &mut RunSpec, src: &Src, mounts: &[MountPoint], hc: &HostConfig) {
    for (i, m) in mounts.iter().enumerate() {
        let typ = m.typ.as_deref().unwrap_or("");
        let kind = MountKind::from_type(typ);
        let non_empty = |s: &Option<String>| s.clone().filter(|v| !v.is_empty());
        let source = match kind {
            // A volume is known by its name; Source is its directory under the data root.
            MountKind::Volume => non_empty(&m.name).or_else(|| non_empty(&m.source)),
            MountKind::Tmpfs => None,
            _ => non_empty(&m.source),
        };
        let target = m.destination.clone().unwrap_or_default();
        let read_only = m.rw == Some(false);
        let propagation = non_empty(&m.propagation);
        let mode = m.mode.as_deref().unwrap_or("");
        let selinux = mode
            .split(',')
            .find(|o| *o == "z" || *o == "Z")
            .map(str::to_string);
        let written = format!(
            "Mounts[{i}]={{Type:{typ}, Source:{}, Destination:{target}, RW:{}{}{}}}",
            m.source.as_deref().unwrap_or(""),
            !read_only,
            propagation
                .as_deref()
                .map(|p| format!(", Propagation:{p}"))
                .unwrap_or_default(),
            if mode.is_empty() {
                String::new()
            } else {
                format!(", Mode:{mode}")
            },
        );
        spec.mounts.push(src.sourced(
            Mount {
                kind,
                source,
                target,
                read_only,
                propagation,
                selinux,
            },
            "Mounts",
            written,
        ));
    }
    let mut tmpfs: Vec<(&String, &String)> = hc.tmpfs.iter().flatten().collect();
    tmpfs.sort();
    for (target, opts) in tmpfs {
        if spec.mounts.iter().any(|m| &m.value.target == target) {
            continue;
        }
        let read_only = opts.split(',').any(|o| o == "ro");
        let written = if opts.is_empty() {
            format!("HostConfig.Tmpfs={target}")
        } else {
            format!("HostConfig.Tmpfs={target}:{opts}")
        };
        spec.mounts.push(src.sourced(
            Mount {
                kind: MountKind::Tmpfs,
                source: None,
                target: target.clone(),
                read_only,
                propagation: None,
                selinux: None,
            },
            "HostConfig.Tmpfs",
            written,
        ));
    }
}
