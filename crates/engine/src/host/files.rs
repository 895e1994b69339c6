//! [`HostFacts`]: the data root's filesystem, the docker group, the audit rules and the
//! section-3 files, read under the host root.

use plimsoll_live::facts::{
    AuditTarget, DaemonFacts, DataRoot, DockerGroup, FileKind, FileRole, GroupMember, HostFacts,
    HostFile, Origin, Probe, Setting, DEFAULT_DAEMON_JSON,
};

use crate::host::root::HostRoot;
use crate::host::{audit, proc, HostOptions};

/// Where systemd units are looked for, in docker-bench's order (`get_service_file`:
/// /etc/systemd/system, /lib/systemd/system, then /run — `find /run` —, then
/// /usr/lib/systemd/system), without calling `systemctl`.
const UNIT_DIRS: &[&str] = &[
    "/etc/systemd/system",
    "/lib/systemd/system",
    "/run/systemd/system",
    "/run/systemd/transient",
    "/run/systemd/generator",
    "/usr/lib/systemd/system",
];

/// Where a binary of 1.1.14–1.1.18 may be installed (docker-bench looks in /usr/bin only;
/// Debian's dockerd and several distributions' runc are in /usr/sbin).
const BIN_DIRS: &[&str] = &["/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"];

/// The first existing unit file named `name`; `Missing` with the paths tried otherwise.
pub(crate) fn unit_file(host: &HostRoot, name: &str) -> (String, Probe<FileKind>) {
    for dir in UNIT_DIRS {
        let path = format!("{dir}/{name}");
        match host.stat(&path) {
            Probe::Checked(st) if st.kind == FileKind::File => {
                return (path, Probe::Checked(st.kind))
            }
            Probe::Checked(_) | Probe::Missing => {}
            Probe::NotChecked(r) => return (path, Probe::NotChecked(r)),
        }
    }
    (format!("/lib/systemd/system/{name}"), Probe::Missing)
}

/// The first of `candidates` that exists (else the first, missing).
fn first_present(host: &HostRoot, candidates: &[String]) -> (String, Probe<FileKind>) {
    for c in candidates {
        match host.stat(c) {
            Probe::Checked(st) => return (c.clone(), Probe::Checked(st.kind)),
            Probe::Missing => {}
            Probe::NotChecked(r) => return (c.clone(), Probe::NotChecked(r)),
        }
    }
    let first = candidates.first().cloned().unwrap_or_default();
    (first, Probe::Missing)
}

fn binary(host: &HostRoot, name: &str) -> (String, Probe<FileKind>) {
    let c: Vec<String> = BIN_DIRS.iter().map(|d| format!("{d}/{name}")).collect();
    first_present(host, &c)
}

/// The containerd socket: `--containerd` from dockerd's command line, the system one, or the
/// one dockerd runs itself.
fn containerd_sock(host: &HostRoot, daemon: &DaemonFacts) -> (String, Probe<FileKind>) {
    let mut c = Vec::new();
    if let Probe::Checked(args) = &daemon.sources.cmdline {
        for f in crate::host::flags::parse(args) {
            if f.name == "containerd" {
                if let Some(v) = f.value {
                    c.push(v.trim_start_matches("unix://").to_string());
                }
            }
        }
    }
    c.push("/run/containerd/containerd.sock".to_string());
    c.push("/var/run/docker/containerd/containerd.sock".to_string());
    first_present(host, &c)
}

/// The daemon.json in use: `--config-file`, else /etc/docker/daemon.json.
pub(crate) fn config_path(daemon_args: Option<&[String]>) -> String {
    daemon_args
        .map(crate::host::flags::parse)
        .and_then(|f| {
            f.into_iter()
                .rev()
                .find(|f| f.name == "config-file")
                .and_then(|f| f.value)
        })
        .unwrap_or_else(|| DEFAULT_DAEMON_JSON.to_string())
}

/// The docker group from /etc/group, plus users whose primary group it is (/etc/passwd):
/// `getent group docker` lists only the former, but both can use the socket.
fn docker_group(host: &HostRoot) -> Probe<DockerGroup> {
    let text = match host.read_text("/etc/group") {
        Probe::Checked(t) => t,
        Probe::Missing => return Probe::NotChecked("/etc/group not found".to_string()),
        Probe::NotChecked(r) => return Probe::NotChecked(format!("/etc/group: {r}")),
    };
    let mut found = None;
    for (i, line) in text.lines().enumerate() {
        let f: Vec<&str> = line.split(':').collect();
        if f.first() == Some(&"docker") {
            let Some(gid) = f.get(2).and_then(|g| g.trim().parse::<u32>().ok()) else {
                continue;
            };
            let members = f
                .get(3)
                .map(|m| {
                    m.split(',')
                        .map(str::trim)
                        .filter(|u| !u.is_empty())
                        .map(|u| GroupMember {
                            user: u.to_string(),
                            listed: true,
                        })
                        .collect()
                })
                .unwrap_or_default();
            found = Some(DockerGroup {
                gid,
                line: i as u32 + 1,
                members,
            });
            break;
        }
    }
    let Some(mut g) = found else {
        return Probe::Missing;
    };
    if let Probe::Checked(passwd) = host.read_text("/etc/passwd") {
        for line in passwd.lines() {
            let f: Vec<&str> = line.split(':').collect();
            let (Some(user), Some(gid)) = (f.first(), f.get(3)) else {
                continue;
            };
            if gid.trim().parse::<u32>().ok() == Some(g.gid)
                && !g.members.iter().any(|m| m.user == *user)
            {
                g.members.push(GroupMember {
                    user: user.to_string(),
                    listed: false,
                });
            }
        }
    }
    Probe::Checked(g)
}

fn data_root(host: &HostRoot, daemon: &DaemonFacts) -> Probe<DataRoot> {
    let Some(dir) = daemon.docker_root_dir.clone() else {
        return Probe::NotChecked(
            daemon
                .info_unknown()
                .unwrap_or_else(|| "the engine did not report its DockerRootDir".to_string()),
        );
    };
    // Under user-namespace remapping DockerRootDir is /var/lib/docker/100000.100000; the
    // partition question is about its parent (docker-bench does the same).
    let dir = if daemon.userns_active.as_ref().is_some_and(|s| s.value) {
        match dir.rsplit_once('/') {
            Some(("", _)) => "/".to_string(),
            Some((parent, _)) => parent.to_string(),
            None => dir,
        }
    } else {
        dir
    };
    // The host's mount table: our own on the host; pid 1's when reading a mounted host.
    let table = if host.is_slash() {
        "/proc/self/mountinfo"
    } else {
        "/proc/1/mountinfo"
    };
    match host.read_text(table) {
        Probe::Checked(text) => {
            let mounts = proc::parse_mountinfo(&text);
            match proc::mount_of(&mounts, &dir) {
                Some(d) => Probe::Checked(d),
                None => Probe::NotChecked(format!("{table} lists no mount holding {dir}")),
            }
        }
        Probe::Missing => Probe::NotChecked(format!("{table} not found")),
        Probe::NotChecked(r) => Probe::NotChecked(format!("{table}: {r}")),
    }
}

fn registry_certs(host: &HostRoot, out: &mut Vec<HostFile>) -> Probe<()> {
    let base = "/etc/docker/certs.d";
    let mut stack = vec![(base.to_string(), 0usize)];
    let mut first = true;
    let mut seen = 0usize;
    while let Some((dir, depth)) = stack.pop() {
        let names = match host.list(&dir) {
            Probe::Checked(n) => n,
            Probe::Missing if first => return Probe::Missing,
            Probe::Missing => continue,
            Probe::NotChecked(r) => return Probe::NotChecked(format!("{dir}: {r}")),
        };
        first = false;
        for n in names {
            seen += 1;
            if seen > 10_000 {
                return Probe::Checked(());
            }
            let path = format!("{dir}/{n}");
            let stat = host.stat(&path);
            let is_dir = stat.checked().is_some_and(|st| st.kind == FileKind::Dir);
            if is_dir {
                if depth < 4 {
                    stack.push((path, depth + 1));
                }
            } else if n.ends_with(".crt") {
                out.push(HostFile {
                    role: FileRole::RegistryCert,
                    path,
                    stat,
                });
            }
        }
    }
    Probe::Checked(())
}

/// Collects the host facts; `daemon` supplies the data root, TLS paths, sockets and
/// dockerd's executable.
pub fn collect_host(daemon: &DaemonFacts, opts: &HostOptions) -> HostFacts {
    let host = HostRoot::new(&opts.root);
    collect_with(&host, daemon, opts)
}

pub(crate) fn collect_with(host: &HostRoot, daemon: &DaemonFacts, opts: &HostOptions) -> HostFacts {
    let config = match &daemon.sources.config_file {
        Probe::Checked(p) => p.clone(),
        _ => config_path(daemon.sources.cmdline.checked().map(|v| v.as_slice())),
    };
    let (service, service_kind) = unit_file(host, "docker.service");
    let (socket_unit, socket_kind) = unit_file(host, "docker.socket");
    let (containerd_sock, containerd_kind) = containerd_sock(host, daemon);
    let data_root_dir = daemon
        .docker_root_dir
        .clone()
        .unwrap_or_else(|| "/var/lib/docker".to_string());

    // 1.1.3: the dockerd actually running when it is known, else where docker-bench looks.
    let dockerd = match daemon.sources.exe.as_deref() {
        Some(e) if e.starts_with('/') => (e.to_string(), kind(host, e)),
        _ => binary(host, "dockerd"),
    };
    let plain = |p: &str| (p.to_string(), kind(host, p));
    let targets: Vec<(&'static str, (String, Probe<FileKind>))> = vec![
        ("1.1.3", dockerd),
        ("1.1.4", plain("/run/containerd")),
        ("1.1.5", plain(&data_root_dir)),
        ("1.1.6", plain("/etc/docker")),
        ("1.1.7", (service.clone(), service_kind)),
        ("1.1.8", (containerd_sock.clone(), containerd_kind)),
        ("1.1.9", (socket_unit.clone(), socket_kind)),
        ("1.1.10", plain("/etc/default/docker")),
        ("1.1.11", plain(&config)),
        ("1.1.12", plain("/etc/containerd/config.toml")),
        ("1.1.13", plain("/etc/sysconfig/docker")),
        ("1.1.14", binary(host, "containerd")),
        ("1.1.15", binary(host, "containerd-shim")),
        ("1.1.16", binary(host, "containerd-shim-runc-v1")),
        ("1.1.17", binary(host, "containerd-shim-runc-v2")),
        ("1.1.18", binary(host, "runc")),
    ];
    let audit_targets = targets
        .into_iter()
        .map(|(cis, (path, present))| AuditTarget { cis, path, present })
        .collect();

    let mut files = Vec::new();
    let mut add = |role: FileRole, path: &str| {
        files.push(HostFile {
            role,
            path: path.to_string(),
            stat: host.stat(path),
        })
    };
    add(FileRole::DockerService, &service);
    add(FileRole::DockerSocketUnit, &socket_unit);
    add(FileRole::EtcDocker, "/etc/docker");
    for (role, setting) in [
        (FileRole::TlsCaCert, &daemon.tls_ca_cert),
        (FileRole::TlsCert, &daemon.tls_cert),
        (FileRole::TlsKey, &daemon.tls_key),
    ] {
        if let Some(s) = setting {
            add(role, &s.value);
        }
    }
    let mut sockets: Vec<String> = daemon
        .hosts
        .iter()
        .filter_map(|h| h.value.strip_prefix("unix://").map(str::to_string))
        .filter(|p| !p.is_empty())
        .collect();
    sockets.push("/var/run/docker.sock".to_string());
    let mut seen_socks = Vec::new();
    for s in sockets {
        let resolved = host.resolve(&s);
        if seen_socks.contains(&resolved) {
            continue;
        }
        seen_socks.push(resolved);
        add(FileRole::DockerSock, &s);
    }
    add(FileRole::DaemonJson, &config);
    add(FileRole::EtcDefaultDocker, "/etc/default/docker");
    add(FileRole::EtcSysconfigDocker, "/etc/sysconfig/docker");
    add(FileRole::ContainerdSock, &containerd_sock);
    let registry_certs = registry_certs(host, &mut files);

    HostFacts {
        root: host.root_text(),
        data_root: data_root(host, daemon),
        docker_group: docker_group(host),
        trusted_users: opts.trusted_users.clone(),
        audit_rules: audit::collect(host, &opts.auditctl),
        audit_targets,
        files,
        registry_certs,
    }
}

fn kind(host: &HostRoot, path: &str) -> Probe<FileKind> {
    match host.stat(path) {
        Probe::Checked(st) => Probe::Checked(st.kind),
        Probe::Missing => Probe::Missing,
        Probe::NotChecked(r) => Probe::NotChecked(r),
    }
}

/// The addresses a systemd socket unit listens on (`ListenStream=`), for a dockerd started
/// with `-H fd://`: the unit, not dockerd's flags, decides whether the API is on TCP. Paths
/// become `unix://…`, ports and `addr:port` become `tcp://…`. Drop-ins are not read.
pub(crate) fn socket_unit_listeners(host: &HostRoot) -> Vec<Setting<String>> {
    let (path, kind) = unit_file(host, "docker.socket");
    if kind.checked().is_none() {
        return Vec::new();
    }
    let Probe::Checked(text) = host.read_text(&path) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        let Some(v) = t.strip_prefix("ListenStream=") else {
            continue;
        };
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        let addr = if v.starts_with('/') {
            format!("unix://{v}")
        } else if v.starts_with('@') {
            continue;
        } else if v.chars().all(|c| c.is_ascii_digit()) {
            format!("tcp://0.0.0.0:{v}")
        } else {
            format!("tcp://{v}")
        };
        let col = line.len() - line.trim_start().len() + 1;
        out.push(Setting::new(
            addr,
            Origin::Config {
                path: path.clone(),
                pos: Some((i as u32 + 1, col as u32)),
                key: "ListenStream".to_string(),
                written: t.to_string(),
            },
        ));
    }
    out
}
