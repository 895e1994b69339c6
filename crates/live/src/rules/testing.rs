//! In-memory facts for rule tests.

use crate::facts::{
    AuditRules, DaemonFacts, DaemonSources, DataRoot, FileKind, FileRole, FileStat, HostFacts,
    HostFile, Origin, Probe, SeccompProfile, Setting, Sprawl,
};
use crate::rules::{CheckResult, Status};

/// A hardened daemon with every source read: no DM rule fails on it.
pub(crate) fn daemon() -> DaemonFacts {
    DaemonFacts {
        sources: DaemonSources {
            info: Probe::Checked(()),
            config_file: Probe::Checked("/etc/docker/daemon.json".to_string()),
            cmdline: Probe::Checked(vec!["-H".into(), "fd://".into()]),
            pid: Some(1),
            exe: Some("/usr/bin/dockerd".into()),
        },
        server_version: Some("28.0.0".into()),
        docker_root_dir: Some("/var/lib/docker".into()),
        icc: Some(cfg("icc", false)),
        iptables: None,
        storage_driver: Some(info("Driver", "overlay2".to_string())),
        hosts: vec![Setting::new("fd://".into(), flag("-H fd://"))],
        default_ulimits: vec![cfg("default-ulimits", "nofile=1024:2048".to_string())],
        userns_remap: Some(cfg("userns-remap", "default".to_string())),
        userns_active: Some(info("SecurityOptions", true)),
        authorization_plugins: vec![cfg("authorization-plugins", "opa".to_string())],
        logging_driver: Some(cfg("log-driver", "syslog".to_string())),
        live_restore: Some(cfg("live-restore", true)),
        userland_proxy: Some(cfg("userland-proxy", false)),
        seccomp: Some(info("SecurityOptions", SeccompProfile::Builtin)),
        experimental: Some(info("Experimental", false)),
        no_new_privileges: Some(cfg("no-new-privileges", true)),
        rootless: Some(info("SecurityOptions", false)),
        swarm: Some(info("Swarm.LocalNodeState", "inactive".to_string())),
        sprawl: Probe::Checked(Sprawl {
            images_total: 4,
            images_used: 3,
            containers_total: 5,
            containers_running: 5,
        }),
        ..DaemonFacts::default()
    }
}

pub(crate) fn cfg<T: std::fmt::Debug>(key: &str, v: T) -> Setting<T> {
    let written = format!("\"{key}\": {v:?}");
    Setting::new(
        v,
        Origin::Config {
            path: "/etc/docker/daemon.json".into(),
            pos: Some((2, 3)),
            key: key.into(),
            written,
        },
    )
}

pub(crate) fn flag(written: &str) -> Origin {
    Origin::Flag {
        written: written.into(),
    }
}

pub(crate) fn info<T: std::fmt::Debug>(field: &'static str, v: T) -> Setting<T> {
    let written = format!("{field}: {v:?}");
    Setting::new(v, Origin::Info { field, written })
}

/// The command line could not be read (plimsoll in a container without --pid host).
pub(crate) fn blind(mut d: DaemonFacts) -> DaemonFacts {
    d.sources.cmdline = Probe::NotChecked("no dockerd visible".into());
    d
}

pub(crate) fn stat(uid: u32, gid: u32, mode: u32, kind: FileKind) -> Probe<FileStat> {
    Probe::Checked(FileStat {
        uid,
        gid,
        user: Some(if uid == 0 {
            "root".into()
        } else {
            format!("u{uid}")
        }),
        group: Some(match gid {
            0 => "root".into(),
            999 => "docker".into(),
            g => format!("g{g}"),
        }),
        mode,
        kind,
    })
}

/// A hardened host: no HS rule fails on it.
pub(crate) fn host() -> HostFacts {
    let file = |role, path: &str, mode, kind| HostFile {
        role,
        path: path.into(),
        stat: stat(0, 0, mode, kind),
    };
    HostFacts {
        root: "/".into(),
        data_root: Probe::Checked(DataRoot {
            path: "/var/lib/docker".into(),
            mount_point: "/var/lib/docker".into(),
            source: "/dev/vdb".into(),
            fstype: "xfs".into(),
            device: "254:16".into(),
            root_device: "254:0".into(),
        }),
        docker_group: Probe::Missing,
        trusted_users: None,
        audit_rules: Probe::Checked(AuditRules {
            from: "auditctl -l".into(),
            rules: Vec::new(),
        }),
        audit_targets: Vec::new(),
        files: vec![
            file(
                FileRole::DockerService,
                "/lib/systemd/system/docker.service",
                0o644,
                FileKind::File,
            ),
            file(FileRole::EtcDocker, "/etc/docker", 0o755, FileKind::Dir),
            file(
                FileRole::DaemonJson,
                "/etc/docker/daemon.json",
                0o600,
                FileKind::File,
            ),
            HostFile {
                role: FileRole::DockerSock,
                path: "/var/run/docker.sock".into(),
                stat: stat(0, 999, 0o660, FileKind::Socket),
            },
            file(
                FileRole::TlsKey,
                "/etc/docker/key.pem",
                0o400,
                FileKind::File,
            ),
        ],
        registry_certs: Probe::Missing,
    }
}

/// The results of one CIS id.
pub(crate) fn result<'a>(all: &'a [CheckResult], cis: &str) -> &'a CheckResult {
    all.iter()
        .find(|c| c.cis == cis)
        .unwrap_or_else(|| panic!("no result for {cis}: {all:?}"))
}

pub(crate) fn is_fail(c: &CheckResult) -> bool {
    c.status == Status::Fail && !c.findings.is_empty()
}

pub(crate) fn is_not_checked(c: &CheckResult) -> bool {
    matches!(c.status, Status::NotChecked(_))
}
