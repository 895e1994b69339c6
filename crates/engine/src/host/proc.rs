//! The running dockerd (found by scanning `/proc/*/comm`, like `pgrep -n dockerd` without
//! running it) and the mount table (`mountinfo`).

use crate::host::root::HostRoot;
use plimsoll_live::facts::{DataRoot, Probe};

/// The dockerd process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dockerd {
    pub pid: u32,
    /// argv[0].
    pub exe: String,
    /// The arguments after argv[0].
    pub args: Vec<String>,
}

/// Finds the newest dockerd visible in `/proc` (under the host root). `NotChecked` when
/// `/proc` cannot be read or no dockerd is visible (another PID namespace: plimsoll in a
/// container without `--pid host`, or a remote engine), or its command line is unreadable.
pub(crate) fn find_dockerd(host: &HostRoot) -> Probe<Dockerd> {
    let names = match host.list("/proc") {
        Probe::Checked(n) => n,
        Probe::Missing => return Probe::NotChecked("no /proc under the host root".to_string()),
        Probe::NotChecked(r) => return Probe::NotChecked(format!("/proc: {r}")),
    };
    // (start time, pid) of the newest.
    let mut best: Option<(u64, u32)> = None;
    for name in names {
        let Ok(pid) = name.parse::<u32>() else {
            continue;
        };
        let Probe::Checked(comm) = host.read_text(&format!("/proc/{pid}/comm")) else {
            continue;
        };
        if comm.trim_end() != "dockerd" {
            continue;
        }
        let start = match host.read_text(&format!("/proc/{pid}/stat")) {
            Probe::Checked(stat) => start_time(&stat).unwrap_or(0),
            _ => 0,
        };
        if best.is_none_or(|b| (start, pid) > b) {
            best = Some((start, pid));
        }
    }
    let Some((_, pid)) = best else {
        return Probe::NotChecked(
            "no dockerd process visible from this PID namespace (in a container, run with \
             --pid host; a remote engine's command line cannot be read)"
                .to_string(),
        );
    };
    match host.read_text(&format!("/proc/{pid}/cmdline")) {
        Probe::Checked(text) => {
            let mut words: Vec<String> = text.split('\0').map(str::to_string).collect::<Vec<_>>();
            while words.last().is_some_and(|w| w.is_empty()) {
                words.pop();
            }
            if words.is_empty() {
                return Probe::NotChecked(format!("/proc/{pid}/cmdline is empty"));
            }
            let exe = words.remove(0);
            Probe::Checked(Dockerd {
                pid,
                exe,
                args: words,
            })
        }
        Probe::Missing => Probe::NotChecked(format!("dockerd (pid {pid}) exited while read")),
        Probe::NotChecked(r) => Probe::NotChecked(format!("/proc/{pid}/cmdline: {r}")),
    }
}

/// Field 22 of `/proc/PID/stat` (after the parenthesised command, which may hold spaces).
fn start_time(stat: &str) -> Option<u64> {
    let after = stat.rsplit_once(')')?.1;
    after.split_whitespace().nth(19)?.parse().ok()
}

/// One mountinfo line: mount point, filesystem type, source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mount {
    pub device: String,
    pub point: String,
    pub fstype: String,
    pub source: String,
}

/// Parses mountinfo (proc(5)): `id parent maj:min root point options [optional…] - type
/// source superoptions`, with `\040`-style octal escapes in paths.
pub(crate) fn parse_mountinfo(text: &str) -> Vec<Mount> {
    let mut out = Vec::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        let Some(point) = fields.get(4) else { continue };
        let Some(dash) = fields.iter().position(|f| *f == "-") else {
            continue;
        };
        let fstype = fields.get(dash + 1).copied().unwrap_or("");
        let source = fields.get(dash + 2).copied().unwrap_or("");
        out.push(Mount {
            device: fields.get(2).copied().unwrap_or("").to_string(),
            point: unescape(point),
            fstype: fstype.to_string(),
            source: unescape(source),
        });
    }
    out
}

fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 3 < b.len() {
            let oct = s.get(i + 1..i + 4).unwrap_or("");
            if oct.len() == 3 && oct.bytes().all(|c| (b'0'..=b'7').contains(&c)) {
                if let Ok(v) = u8::from_str_radix(oct, 8) {
                    out.push(v);
                    i += 4;
                    continue;
                }
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The mount holding `path` (the longest mount point that is `path` or a parent of it; the
/// last one listed when several are stacked).
pub(crate) fn mount_of(mounts: &[Mount], path: &str) -> Option<DataRoot> {
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    let mut best: Option<&Mount> = None;
    for m in mounts {
        let p = m.point.as_str();
        let covers =
            p == "/" || path == p || (path.starts_with(p) && path[p.len()..].starts_with('/'));
        if covers && best.is_none_or(|b| p.len() >= b.point.len()) {
            best = Some(m);
        }
    }
    // The last mount of `/` is the root filesystem in force.
    let root_device = mounts
        .iter()
        .rev()
        .find(|m| m.point == "/")
        .map(|m| m.device.clone())
        .unwrap_or_default();
    best.map(|m| DataRoot {
        path: path.to_string(),
        mount_point: m.point.clone(),
        source: m.source.clone(),
        fstype: m.fstype.clone(),
        device: m.device.clone(),
        root_device,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mountinfo_and_cover() {
        let text = "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n\
                    40 27 254:1 / /var/lib/docker rw shared:1 - xfs /dev/vdb rw\n\
                    41 27 0:5 / /var/lib/docker2 rw - tmpfs tmpfs rw\n\
                    42 27 0:6 / /mnt/with\\040space rw - tmpfs none rw\n";
        let m = parse_mountinfo(text);
        assert_eq!(m.len(), 4);
        assert_eq!(m[3].point, "/mnt/with space");
        let d = mount_of(&m, "/var/lib/docker").unwrap();
        assert!(d.separate());
        assert_eq!(d.source, "/dev/vdb");
        assert_eq!(
            mount_of(&m, "/var/lib/docker/").unwrap().mount_point,
            "/var/lib/docker"
        );
        assert_eq!(mount_of(&m, "/var/lib/dock").unwrap().mount_point, "/");
        assert!(!mount_of(&m, "/srv/docker").unwrap().separate());
        // A bind mount of a directory of the root filesystem is not a partition.
        let bind = "27 1 254:0 / / rw - ext4 /dev/vda rw\n\
                    42 27 254:0 /var/lib/docker /var/lib/docker rw shared:1 - ext4 /dev/vda rw\n";
        let d = mount_of(&parse_mountinfo(bind), "/var/lib/docker").unwrap();
        assert_eq!(d.mount_point, "/var/lib/docker");
        assert!(!d.separate());
    }

    #[test]
    fn stat_start_time() {
        let stat =
            "1234 (dockerd (x)) S 1 1234 1234 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 30 0 98765 123 456";
        assert_eq!(start_time(stat), Some(98765));
    }
}
