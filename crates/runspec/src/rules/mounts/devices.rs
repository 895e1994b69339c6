//! RS018: host devices are given to the container.

use super::normalize;
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS018",
    name: "host-devices",
    title: "Host devices exposed",
    severity: Severity::Medium,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires once per host device a container gets — compose `devices` (short \
`/dev/sda:/dev/xvda:r` or long syntax, CDI names such as `nvidia.com/gpu=all`), `docker run \
--device`, `HostConfig.Devices` — once per `device_cgroup_rules` entry (`--device-cgroup-rule`) \
and once for `gpus` (`--gpus`). The severity depends on the device: memory devices \
(`/dev/mem`, `/dev/kmem`, `/dev/port`) are critical, as are writable disks (`/dev/sd*`, \
`/dev/nvme*`, `/dev/vd*`, `/dev/xvd*`, `/dev/mmcblk*`, `/dev/dm-*`, `/dev/mapper/*`, \
`/dev/md*`, `/dev/disk/…`; permissions default to `rwm`); read-only disks, `/dev/kmsg`, \
input devices, the console and virtual terminals, and CPU MSRs are high; USB buses, \
cameras, watchdogs and most others medium; GPUs, sound, TUN, FUSE and serial ports low. A \
cgroup rule is high when it allows every device (`a *:* rwm`) or any block device with \
write access, critical for the memory devices (`c 1:1`, `c 1:2`, `c 1:4`, `c 1:*`).\n\nKICS \
has no query for devices, and docker-bench only notes them (5.18).",
        why: "A device node is a direct line to the host's hardware and kernel, outside every \
namespace. A disk device lets root in the container read every file on that disk — \
`/etc/shadow`, other containers' volumes — bypassing permissions, and with write access \
change any of them (`debugfs -w /dev/sda1`). `/dev/mem` is the host's physical memory. \
`/dev/input/*` is every keystroke typed on the host, `/dev/tty0` its console. A permissive \
`device_cgroup_rules` entry combined with the default `MKNOD` capability lets the container \
create such nodes itself.",
        fix: "Remove devices the service does not need. Give the narrowest one that works — a \
single partition or a specific `/dev/serial/by-id/…` path, not a whole disk or bus — with the \
fewest permissions (`:r` instead of the default `rwm`). Replace `device_cgroup_rules` that \
use wildcards with the exact `type major:minor` of the device.",
        bad: "services:\n  app:\n    image: nginx:1.27\n    devices:\n      - /dev/sda:/dev/sda\n",
        good: "services:\n  app:\n    image: nginx:1.27\n    volumes:\n      - data:/var/lib/app\nvolumes:\n  data: {}\n",
    },
    references: References {
        cis: &["5.18"],
        cwe: &["CWE-250", "CWE-668"],
        links: &[
            "https://docs.docker.com/reference/cli/docker/container/run/#device",
            "https://docs.docker.com/reference/cli/docker/container/run/#device-cgroup-rule",
            "https://www.kernel.org/doc/html/latest/admin-guide/devices.html",
        ],
        ..References::NONE
    },
};

pub struct Devices;

impl Rule<Input<'_>> for Devices {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        for d in &spec.devices {
            let host = d.value.host_path.trim();
            let writable = d
                .value
                .permissions
                .as_deref()
                .map(|p| p.contains('w'))
                .unwrap_or(true);
            let (severity, what) = device(host, writable);
            let shown = if host.starts_with('/') {
                normalize(host)
            } else {
                host.to_string()
            };
            push(
                input,
                &d.origin,
                Grant::Device(!writable),
                severity,
                format!("host device `{shown}`"),
                what,
                format!("{}:device:{shown}", spec.name),
                out,
            );
        }
        for r in &spec.device_cgroup_rules {
            let Some((severity, what)) = cgroup_rule(&r.value) else {
                continue;
            };
            push(
                input,
                &r.origin,
                Grant::CgroupRule,
                severity,
                format!("devices by cgroup rule `{}`", r.value.trim()),
                what,
                format!("{}:device-cgroup-rule:{}", spec.name, r.value.trim()),
                out,
            );
        }
        if let Some(g) = &spec.gpus {
            push(
                input,
                &g.origin,
                Grant::Gpus,
                Severity::Low,
                format!("GPUs (`{}`)", g.value.trim()),
                "GPU memory left behind by other workloads may be readable, and the GPU driver \
                 is a large kernel attack surface",
                format!("{}:gpus", spec.name),
                out,
            );
        }
    }
}

/// What to narrow a grant to, by kind of grant.
#[derive(Clone, Copy)]
enum Grant {
    /// A device; `true` when it is already read-only.
    Device(bool),
    CgroupRule,
    Gpus,
}

#[allow(clippy::too_many_arguments)]
fn push(
    input: &Input<'_>,
    origin: &crate::model::Origin,
    grant: Grant,
    severity: Severity,
    thing: String,
    what: &str,
    key: String,
    out: &mut Vec<Finding>,
) {
    let (spec, dialect) = (input.spec, input.dialect);
    let written = origin.written.trim();
    let narrow = match grant {
        Grant::Device(true) => {
            "pass the narrowest device (one partition, a `/dev/serial/by-id/…` path)"
        }
        Grant::Device(false) => {
            "pass the narrowest device (one partition, a `/dev/serial/by-id/…` path) with the \
             fewest permissions (`:r` rather than the default `rwm`)"
        }
        Grant::CgroupRule => {
            "allow only the exact `type major:minor access` of the one device needed"
        }
        Grant::Gpus => "request only the GPUs it uses (`device=0`) instead of all of them",
    };
    let fix = match dialect.remove(origin) {
        Some(removal) => format!("{removal} if it is not needed; otherwise {narrow}"),
        None => format!("re-create the container without it; if it is needed, {narrow}"),
    };
    out.push(
        Finding::new(
            &META,
            origin.location.clone(),
            format!(
                "{} gets {thing} (`{written}`): {what}",
                dialect.subject(spec)
            ),
        )
        .evidence(written)
        .fix(fix)
        .key(key)
        .severity(severity)
        .build(),
    );
}

/// The severity of giving a container the device at `host` (with write access or not), and
/// what it allows.
pub(super) fn device(host: &str, writable: bool) -> (Severity, &'static str) {
    use Severity::*;
    if !host.starts_with('/') {
        // A CDI name (`vendor.com/class=name`).
        return (
            Low,
            "a CDI device brings whatever devices, mounts and hooks its vendor's specification \
             lists",
        );
    }
    let path = normalize(host);
    let name = path.strip_prefix("/dev/").unwrap_or(&path);
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| name.starts_with(p));
    if matches!(name, "mem" | "kmem" | "port") {
        return (
            Critical,
            "it can read and write the host's physical or kernel memory, which is the kernel \
             itself",
        );
    }
    let disk = starts(&[
        "sd", "hd", "vd", "xvd", "nvme", "mmcblk", "dm-", "mapper/", "md", "disk/",
    ]);
    if disk {
        return if writable {
            (
                Critical,
                "it can read and change every file on that host disk, bypassing permissions",
            )
        } else {
            (
                High,
                "it can read every file on that host disk (password hashes, keys, other \
                 containers' data), bypassing permissions",
            )
        };
    }
    if name == "kmsg" {
        return (
            High,
            "it can read the kernel log (addresses that defeat KASLR) and forge kernel messages",
        );
    }
    if starts(&["input"]) {
        return (
            High,
            "it can read the host's keyboard and mouse events: every keystroke typed on the host",
        );
    }
    if matches!(name, "console" | "tty") || starts(&["tty0", "vcs"]) || is_vt(name) {
        return (
            High,
            "it can read the host's console and type commands into it",
        );
    }
    if starts(&["cpu/"]) {
        return (
            High,
            "it can change CPU model-specific registers or microcode for the whole host",
        );
    }
    if starts(&["loop"]) {
        return (Medium, "it can attach and read or write host disk images");
    }
    if starts(&["bus/usb", "hidraw"]) {
        return (
            Medium,
            "it gets raw access to USB devices attached to the host (keyboards, security keys, \
             storage)",
        );
    }
    if starts(&["video", "media"]) {
        return (Medium, "it can record from cameras and capture devices");
    }
    if starts(&["watchdog"]) {
        return (
            Medium,
            "stopping or misusing the hardware watchdog reboots the host",
        );
    }
    if starts(&["snd"]) {
        return (
            Low,
            "it can record from the host's microphones and play sound",
        );
    }
    if starts(&["dri", "nvidia", "kfd"]) {
        return (
            Low,
            "GPU memory left behind by other workloads may be readable, and the GPU driver is a \
             large kernel attack surface",
        );
    }
    if starts(&["net/tun"]) {
        return (
            Low,
            "it can create tunnel interfaces (with NET_ADMIN), a way around network policy",
        );
    }
    if starts(&["fuse"]) {
        return (
            Low,
            "it can serve FUSE filesystems (mounting them needs SYS_ADMIN), a common step in \
             kernel exploits",
        );
    }
    if starts(&["ttyUSB", "ttyACM", "ttyS", "ttyAMA", "serial/"]) {
        return (
            Low,
            "it can talk to whatever is attached to that serial port (controllers, modems, \
             consoles)",
        );
    }
    (
        Medium,
        "the device lies outside every namespace: its driver becomes attack surface and its \
         data reachable",
    )
}

/// `tty1`…`tty63`: virtual terminals.
fn is_vt(name: &str) -> bool {
    name.strip_prefix("tty")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A `type major:minor access` device cgroup rule, judged.
fn cgroup_rule(rule: &str) -> Option<(Severity, &'static str)> {
    use Severity::*;
    let mut words = rule.split_whitespace();
    let kind = words.next()?;
    let numbers = words.next().unwrap_or("*:*");
    let access = words.next().unwrap_or("rwm");
    let (major, minor) = numbers.split_once(':').unwrap_or((numbers, "*"));
    let write = access.contains('w') || access.contains('m');
    Some(match (kind, major, minor) {
        ("a", _, _) => (
            High,
            "it allows every device: holding MKNOD (a default capability), the container can \
             create and open host disks and memory devices",
        ),
        ("c", "1", "1" | "2" | "4" | "*") => (
            Critical,
            "it allows the memory devices (`/dev/mem`, `/dev/kmem`, `/dev/port`), which are the \
             host kernel's memory",
        ),
        ("b", _, _) if write => (
            High,
            "it allows writing block devices: host disks can be created with MKNOD and changed \
             raw",
        ),
        ("c", "*", _) => (
            High,
            "it allows every character device, including the console and memory devices",
        ),
        ("b", _, _) => (
            Medium,
            "it allows reading block devices: host disks can be read raw",
        ),
        _ => (
            Medium,
            "it allows a class of host devices, whose nodes the container can create with MKNOD",
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    fn severity_of(device_written: &str) -> Severity {
        let spec = compose("web").device(device_written).build();
        let found = check(&Devices, &spec);
        assert_eq!(found.len(), 1, "{device_written}");
        found[0].severity
    }

    #[test]
    fn severity_by_device() {
        assert_eq!(severity_of("/dev/mem"), Severity::Critical);
        assert_eq!(severity_of("/dev/sda:/dev/sda"), Severity::Critical);
        assert_eq!(
            severity_of("/dev/nvme0n1:/dev/disk:rwm"),
            Severity::Critical
        );
        assert_eq!(severity_of("/dev/sda1:/dev/xvda:r"), Severity::High);
        assert_eq!(severity_of("/dev/kmsg"), Severity::High);
        assert_eq!(severity_of("/dev/input/event0"), Severity::High);
        assert_eq!(severity_of("/dev/tty0"), Severity::High);
        assert_eq!(severity_of("/dev/tty3"), Severity::High);
        assert_eq!(severity_of("/dev/bus/usb"), Severity::Medium);
        assert_eq!(severity_of("/dev/video0"), Severity::Medium);
        assert_eq!(severity_of("/dev/ttyUSB0"), Severity::Low);
        assert_eq!(severity_of("/dev/dri"), Severity::Low);
        assert_eq!(severity_of("/dev/net/tun"), Severity::Low);
        assert_eq!(severity_of("/dev/fuse"), Severity::Low);
        assert_eq!(severity_of("nvidia.com/gpu=all"), Severity::Low);
        assert_eq!(severity_of("/dev/something"), Severity::Medium);
    }

    #[test]
    fn cgroup_rules() {
        let judge = |r: &str| {
            let spec = run("web").device_cgroup_rule(r).build();
            check(&Devices, &spec).first().map(|f| f.severity)
        };
        assert_eq!(judge("a *:* rwm"), Some(Severity::High));
        assert_eq!(judge("c 1:1 rwm"), Some(Severity::Critical));
        assert_eq!(judge("b 8:* rw"), Some(Severity::High));
        assert_eq!(judge("b 8:* r"), Some(Severity::Medium));
        assert_eq!(judge("c 189:* rmw"), Some(Severity::Medium));
        assert_eq!(judge(""), None);
    }

    #[test]
    fn messages_name_the_device_and_gpus_are_low() {
        let spec = container("web").device("/dev//sda").gpus("all").build();
        let found = check(&Devices, &spec);
        assert_eq!(found.len(), 2);
        assert!(found[0].message.contains("host device `/dev/sda`"));
        assert_eq!(found[1].severity, Severity::Low);
        assert!(found[1].message.contains("GPUs (`all`)"));
    }

    #[test]
    fn no_devices_pass() {
        assert!(check(&Devices, &compose("web").hardened().build()).is_empty());
    }
}
