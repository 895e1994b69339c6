//! Message snapshots of the daemon and host rules (DM001–DM019, HS001–HS007).
//!
//! The project standard asks for a snapshot of every rule's message, so that a change of
//! wording, severity, location or fix is seen and reviewed. The `#[cfg(test)]` builders of
//! `src/rules/testing.rs` are not reachable from an integration test, so the facts are built
//! here from the public fields of `plimsoll_live::facts`, with origins written the way the
//! collector (`crates/engine/src/host/daemon.rs`) writes them: daemon.json keys as
//! `"key": <json>` at their line, flags as passed, `/info` fields as `Field: value`.
//!
//! Each case starts from a well-configured daemon or host and changes one thing; it must make
//! its rule fire and nothing else (the rootful base daemon also gets DM018's informational
//! finding, which is the point of that rule). The findings of every case are rendered (rule,
//! severity, location, message, evidence, fix), one block per rule in id order, and compared
//! with `tests/snapshots/rule_messages.txt`; `UPDATE_SNAPSHOTS=1` rewrites it.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use plimsoll_core::Finding;
use plimsoll_live::facts::{
    AuditRule, AuditRules, AuditTarget, DaemonFacts, DaemonSources, DataRoot, DockerGroup,
    FileKind, FileRole, FileStat, GroupMember, HostFacts, HostFile, Origin, Probe, SeccompProfile,
    Setting, Sprawl,
};
use plimsoll_live::rules::{self, CheckResult, Status};

const DAEMON_JSON: &str = "/etc/docker/daemon.json";
const SNAPSHOT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/snapshots/rule_messages.txt"
);

// ---------------------------------------------------------------------------------------------
// Origins, written as the collector writes them.

/// A daemon.json key at `line` (column 3, as in a two-space indented file); `json` is the
/// value's JSON text.
fn cfg_at(path: &str, line: u32, key: &str, json: &str) -> Origin {
    Origin::Config {
        path: path.to_string(),
        pos: Some((line, 3)),
        key: key.to_string(),
        written: format!("\"{key}\": {json}"),
    }
}

fn cfg(line: u32, key: &str, json: &str) -> Origin {
    cfg_at(DAEMON_JSON, line, key, json)
}

fn flag(written: &str) -> Origin {
    Origin::Flag {
        written: written.to_string(),
    }
}

fn info(field: &'static str, value: &str) -> Origin {
    Origin::Info {
        field,
        written: format!("{field}: {value}"),
    }
}

fn set<T>(value: T, origin: Origin) -> Option<Setting<T>> {
    Some(Setting::new(value, origin))
}

// ---------------------------------------------------------------------------------------------
// Well-configured facts.

/// A hardened rootful daemon, every source read: only DM018 (the daemon runs as root, an
/// informational CIS 2.1 item) fires on it.
fn rootful() -> DaemonFacts {
    let opts = "name=apparmor name=seccomp,profile=builtin name=userns name=cgroupns";
    DaemonFacts {
        sources: DaemonSources {
            info: Probe::Checked(()),
            config_file: Probe::Checked(DAEMON_JSON.to_string()),
            cmdline: Probe::Checked(vec![
                "-H".into(),
                "fd://".into(),
                "--containerd=/run/containerd/containerd.sock".into(),
            ]),
            pid: Some(812),
            exe: Some("/usr/bin/dockerd".into()),
        },
        server_version: Some("28.0.4".into()),
        api_version: Some("1.48".into()),
        docker_root_dir: Some("/var/lib/docker/100000.100000".into()),
        cgroup_driver: Some("systemd".into()),
        cgroup_version: Some("2".into()),
        icc: set(false, cfg(2, "icc", "false")),
        storage_driver: set("overlay2".into(), info("Driver", "overlay2")),
        hosts: vec![Setting::new("fd://".into(), flag("-H fd://"))],
        default_ulimits: vec![Setting::new(
            "nofile=1024:4096".into(),
            cfg(
                3,
                "default-ulimits",
                r#"{"nofile":{"Hard":4096,"Name":"nofile","Soft":1024}}"#,
            ),
        )],
        userns_remap: set("default".into(), cfg(4, "userns-remap", "\"default\"")),
        userns_active: set(true, info("SecurityOptions", opts)),
        authorization_plugins: vec![Setting::new(
            "opa-docker-authz".into(),
            cfg(5, "authorization-plugins", "[\"opa-docker-authz\"]"),
        )],
        logging_driver: set("syslog".into(), cfg(6, "log-driver", "\"syslog\"")),
        live_restore: set(true, cfg(7, "live-restore", "true")),
        userland_proxy: set(false, cfg(8, "userland-proxy", "false")),
        seccomp: set(
            SeccompProfile::Builtin,
            info("SecurityOptions", "name=seccomp,profile=builtin"),
        ),
        security_options: opts.split(' ').map(String::from).collect(),
        experimental: set(false, info("Experimental", "false")),
        no_new_privileges: set(true, cfg(9, "no-new-privileges", "true")),
        rootless: set(false, info("SecurityOptions", opts)),
        swarm: set("inactive".into(), info("Swarm.LocalNodeState", "inactive")),
        sprawl: Probe::Checked(Sprawl {
            images_total: 6,
            images_used: 5,
            containers_total: 7,
            containers_running: 6,
        }),
        ..DaemonFacts::default()
    }
}

/// A hardened rootless daemon (its own daemon.json under the user's home): no DM rule fires
/// and every CIS item is judged.
fn rootless() -> DaemonFacts {
    let json = "/home/ops/.config/docker/daemon.json";
    let opts = "name=seccomp,profile=builtin name=rootless name=cgroupns";
    DaemonFacts {
        sources: DaemonSources {
            config_file: Probe::Checked(json.to_string()),
            cmdline: Probe::Checked(Vec::new()),
            exe: Some("dockerd".into()),
            pid: Some(2231),
            ..rootful().sources
        },
        docker_root_dir: Some("/home/ops/.local/share/docker".into()),
        icc: set(false, cfg_at(json, 2, "icc", "false")),
        hosts: Vec::new(),
        default_ulimits: vec![Setting::new(
            "nproc=2048:4096".into(),
            cfg_at(
                json,
                3,
                "default-ulimits",
                r#"{"nproc":{"Hard":4096,"Name":"nproc","Soft":2048}}"#,
            ),
        )],
        userns_remap: None,
        userns_active: set(false, info("SecurityOptions", opts)),
        authorization_plugins: vec![Setting::new(
            "opa-docker-authz".into(),
            cfg_at(json, 4, "authorization-plugins", "[\"opa-docker-authz\"]"),
        )],
        logging_driver: set(
            "fluentd".into(),
            cfg_at(json, 5, "log-driver", "\"fluentd\""),
        ),
        live_restore: set(true, cfg_at(json, 6, "live-restore", "true")),
        userland_proxy: set(false, cfg_at(json, 7, "userland-proxy", "false")),
        no_new_privileges: set(true, cfg_at(json, 8, "no-new-privileges", "true")),
        security_options: opts.split(' ').map(String::from).collect(),
        rootless: set(true, info("SecurityOptions", opts)),
        ..rootful()
    }
}

fn stat(uid: u32, gid: u32, mode: u32, kind: FileKind) -> Probe<FileStat> {
    let name = |id: u32, names: &[(u32, &str)]| {
        names
            .iter()
            .find(|(n, _)| *n == id)
            .map(|(_, s)| s.to_string())
    };
    Probe::Checked(FileStat {
        uid,
        gid,
        user: name(uid, &[(0, "root"), (1000, "alice")]),
        group: name(gid, &[(0, "root"), (999, "docker"), (50, "staff")]),
        mode,
        kind,
    })
}

fn file(role: FileRole, path: &str, stat: Probe<FileStat>) -> HostFile {
    HostFile {
        role,
        path: path.to_string(),
        stat,
    }
}

/// The CIS 1.1.3–1.1.18 paths a Debian host with docker-ce has.
const AUDITED: &[(&str, &str, FileKind)] = &[
    ("1.1.3", "/usr/bin/dockerd", FileKind::File),
    ("1.1.4", "/run/containerd", FileKind::Dir),
    ("1.1.5", "/var/lib/docker", FileKind::Dir),
    ("1.1.6", "/etc/docker", FileKind::Dir),
    (
        "1.1.7",
        "/lib/systemd/system/docker.service",
        FileKind::File,
    ),
    ("1.1.8", "/run/containerd/containerd.sock", FileKind::Socket),
    ("1.1.9", "/lib/systemd/system/docker.socket", FileKind::File),
    ("1.1.11", "/etc/docker/daemon.json", FileKind::File),
    ("1.1.12", "/etc/containerd/config.toml", FileKind::File),
    ("1.1.14", "/usr/bin/containerd", FileKind::File),
    ("1.1.15", "/usr/bin/containerd-shim", FileKind::File),
    ("1.1.17", "/usr/bin/containerd-shim-runc-v2", FileKind::File),
    ("1.1.18", "/usr/bin/runc", FileKind::File),
];

/// A hardened host, every fact read: data root on its own partition, a docker group of
/// trusted users, every CIS path audited, every section-3 file with the owner and mode CIS
/// wants. No HS rule fires and every item is judged.
fn host() -> HostFacts {
    let rules_file = "/etc/audit/rules.d/docker.rules";
    HostFacts {
        root: "/".into(),
        data_root: Probe::Checked(DataRoot {
            path: "/var/lib/docker".into(),
            mount_point: "/var/lib/docker".into(),
            source: "/dev/vdb1".into(),
            fstype: "xfs".into(),
            device: "254:17".into(),
            root_device: "254:1".into(),
        }),
        docker_group: Probe::Checked(DockerGroup {
            gid: 999,
            line: 41,
            members: vec![GroupMember {
                user: "alice".into(),
                listed: true,
            }],
        }),
        trusted_users: Some(vec!["alice".into()]),
        audit_rules: Probe::Checked(AuditRules {
            from: rules_file.into(),
            rules: AUDITED
                .iter()
                .zip(1..)
                .map(|((_, path, _), line)| AuditRule {
                    source: rules_file.into(),
                    line,
                    text: format!("-w {path} -k docker"),
                })
                .collect(),
        }),
        audit_targets: AUDITED
            .iter()
            .map(|(cis, path, kind)| AuditTarget {
                cis,
                path: path.to_string(),
                present: Probe::Checked(*kind),
            })
            .collect(),
        files: vec![
            file(
                FileRole::DockerService,
                "/lib/systemd/system/docker.service",
                stat(0, 0, 0o644, FileKind::File),
            ),
            file(
                FileRole::DockerSocketUnit,
                "/lib/systemd/system/docker.socket",
                stat(0, 0, 0o644, FileKind::File),
            ),
            file(
                FileRole::EtcDocker,
                "/etc/docker",
                stat(0, 0, 0o755, FileKind::Dir),
            ),
            file(
                FileRole::RegistryCert,
                "/etc/docker/certs.d/registry.internal:5000/ca.crt",
                stat(0, 0, 0o444, FileKind::File),
            ),
            file(
                FileRole::TlsCaCert,
                "/etc/docker/ca.pem",
                stat(0, 0, 0o444, FileKind::File),
            ),
            file(
                FileRole::TlsCert,
                "/etc/docker/server-cert.pem",
                stat(0, 0, 0o444, FileKind::File),
            ),
            file(
                FileRole::TlsKey,
                "/etc/docker/server-key.pem",
                stat(0, 0, 0o400, FileKind::File),
            ),
            file(
                FileRole::DockerSock,
                "/var/run/docker.sock",
                stat(0, 999, 0o660, FileKind::Socket),
            ),
            file(
                FileRole::DaemonJson,
                DAEMON_JSON,
                stat(0, 0, 0o600, FileKind::File),
            ),
            file(
                FileRole::EtcDefaultDocker,
                "/etc/default/docker",
                stat(0, 0, 0o644, FileKind::File),
            ),
            file(
                FileRole::EtcSysconfigDocker,
                "/etc/sysconfig/docker",
                Probe::Missing,
            ),
            file(
                FileRole::ContainerdSock,
                "/run/containerd/containerd.sock",
                stat(0, 0, 0o660, FileKind::Socket),
            ),
        ],
        registry_certs: Probe::Checked(()),
    }
}

fn set_file(h: &mut HostFacts, path: &str, st: Probe<FileStat>) {
    match h.files.iter_mut().find(|f| f.path == path) {
        Some(f) => f.stat = st,
        None => panic!("the base host has no {path}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Cases.

enum Facts {
    Daemon(Box<DaemonFacts>),
    Host(Box<HostFacts>),
}

impl Facts {
    fn findings(&self) -> Vec<Finding> {
        match self {
            Facts::Daemon(d) => rules::audit_daemon(d),
            Facts::Host(h) => rules::audit_host(h),
        }
    }
}

struct Case {
    rule: &'static str,
    what: &'static str,
    facts: Facts,
    /// Rules the base facts fire by themselves (DM018 on the rootful daemon).
    also: &'static [&'static str],
}

/// The rootful daemon with one change.
fn dm(rule: &'static str, what: &'static str, edit: impl FnOnce(&mut DaemonFacts)) -> Case {
    let mut d = rootful();
    edit(&mut d);
    Case {
        rule,
        what,
        facts: Facts::Daemon(Box::new(d)),
        also: if rule == "DM018" { &[] } else { &["DM018"] },
    }
}

/// The hardened host with one change.
fn hs(rule: &'static str, what: &'static str, edit: impl FnOnce(&mut HostFacts)) -> Case {
    let mut h = host();
    edit(&mut h);
    Case {
        rule,
        what,
        facts: Facts::Host(Box::new(h)),
        also: &[],
    }
}

fn cases() -> Vec<Case> {
    vec![
        dm("DM001", "`icc` not set in daemon.json", |d| d.icc = None),
        dm("DM001", "`\"icc\": true` in daemon.json", |d| {
            d.icc = set(true, cfg(2, "icc", "true"))
        }),
        dm("DM001", "`--icc=true` on the command line", |d| {
            d.icc = set(true, flag("--icc=true"))
        }),
        dm("DM002", "`\"log-level\": \"debug\"` in daemon.json", |d| {
            d.log_level = set("debug".into(), cfg(10, "log-level", "\"debug\""))
        }),
        dm("DM002", "`-D` on the command line", |d| {
            d.debug = set(true, flag("-D"))
        }),
        dm("DM003", "`--iptables=false` on the command line", |d| {
            d.iptables = set(false, flag("--iptables=false"))
        }),
        dm(
            "DM004",
            "a registry in daemon.json, a CIDR only /info reports",
            |d| {
                d.insecure_registries = vec![
                    Setting::new(
                        "registry.internal:5000".into(),
                        cfg(10, "insecure-registries", "[\"registry.internal:5000\"]"),
                    ),
                    Setting::new(
                        "10.20.0.0/16".into(),
                        info("RegistryConfig.InsecureRegistryCIDRs", "10.20.0.0/16"),
                    ),
                ]
            },
        ),
        dm("DM005", "`/info` `Driver: aufs`", |d| {
            d.storage_driver = set("aufs".into(), info("Driver", "aufs"))
        }),
        dm("DM006", "`-H tcp://0.0.0.0:2375` without TLS", |d| {
            d.hosts.push(Setting::new(
                "tcp://0.0.0.0:2375".into(),
                flag("-H tcp://0.0.0.0:2375"),
            ))
        }),
        dm(
            "DM006",
            "`hosts` with a TCP address, `tls` without `tlsverify`",
            |d| {
                d.hosts = vec![Setting::new(
                    "tcp://10.0.0.5:2376".into(),
                    cfg(
                        10,
                        "hosts",
                        "[\"unix:///var/run/docker.sock\",\"tcp://10.0.0.5:2376\"]",
                    ),
                )];
                d.tls = set(true, cfg(11, "tls", "true"));
            },
        ),
        dm("DM007", "no `default-ulimits`", |d| {
            d.default_ulimits.clear()
        }),
        dm(
            "DM008",
            "no `userns-remap`, `/info` without name=userns",
            |d| {
                d.userns_remap = None;
                d.userns_active = set(
                    false,
                    info(
                        "SecurityOptions",
                        "name=apparmor name=seccomp,profile=builtin",
                    ),
                );
            },
        ),
        dm("DM009", "`\"cgroup-parent\": \"/system.slice\"`", |d| {
            d.cgroup_parent = set(
                "/system.slice".into(),
                cfg(10, "cgroup-parent", "\"/system.slice\""),
            )
        }),
        dm("DM010", "`--storage-opt dm.basesize=20G`", |d| {
            d.storage_opts = vec![Setting::new(
                "dm.basesize=20G".into(),
                flag("--storage-opt dm.basesize=20G"),
            )]
        }),
        dm("DM011", "no authorization plugin", |d| {
            d.authorization_plugins.clear()
        }),
        dm(
            "DM012",
            "`/info` `LoggingDriver: json-file` (the default)",
            |d| d.logging_driver = set("json-file".into(), info("LoggingDriver", "json-file")),
        ),
        dm("DM012", "`\"log-driver\": \"none\"`", |d| {
            d.logging_driver = set("none".into(), cfg(6, "log-driver", "\"none\""))
        }),
        dm("DM013", "`no-new-privileges` not set", |d| {
            d.no_new_privileges = None
        }),
        dm("DM013", "`\"no-new-privileges\": false`", |d| {
            d.no_new_privileges = set(false, cfg(9, "no-new-privileges", "false"))
        }),
        dm("DM014", "`\"live-restore\": false`", |d| {
            d.live_restore = set(false, cfg(7, "live-restore", "false"))
        }),
        dm("DM015", "`userland-proxy` not set", |d| {
            d.userland_proxy = None
        }),
        dm("DM015", "`--userland-proxy=true`", |d| {
            d.userland_proxy = set(true, flag("--userland-proxy=true"))
        }),
        dm("DM016", "`\"seccomp-profile\": \"unconfined\"`", |d| {
            d.seccomp = set(
                SeccompProfile::Unconfined,
                info("SecurityOptions", "name=seccomp,profile=unconfined"),
            );
            d.seccomp_profile = set(
                "unconfined".into(),
                cfg(10, "seccomp-profile", "\"unconfined\""),
            );
        }),
        dm("DM016", "no seccomp support reported", |d| {
            d.seccomp = set(
                SeccompProfile::Disabled,
                info("SecurityOptions", "name=apparmor name=userns"),
            )
        }),
        dm("DM017", "`/version` `Experimental: true`", |d| {
            d.experimental = set(true, info("Experimental", "true"))
        }),
        dm("DM018", "a rootful daemon", |_| {}),
        dm("DM019", "`Swarm.LocalNodeState: active`", |d| {
            d.swarm = set("active".into(), info("Swarm.LocalNodeState", "active"))
        }),
        hs("HS001", "data root on the root filesystem", |h| {
            h.data_root = Probe::Checked(DataRoot {
                path: "/var/lib/docker".into(),
                mount_point: "/".into(),
                source: "/dev/vda1".into(),
                fstype: "ext4".into(),
                device: "254:1".into(),
                root_device: "254:1".into(),
            })
        }),
        hs(
            "HS001",
            "data root bind-mounted from the root device",
            |h| {
                h.data_root = Probe::Checked(DataRoot {
                    path: "/var/lib/docker".into(),
                    mount_point: "/var/lib/docker".into(),
                    source: "/dev/vda1".into(),
                    fstype: "ext4".into(),
                    device: "254:1".into(),
                    root_device: "254:1".into(),
                })
            },
        ),
        hs("HS002", "members, no trusted-user list given", |h| {
            h.trusted_users = None;
            h.docker_group = Probe::Checked(DockerGroup {
                gid: 999,
                line: 41,
                members: vec![
                    GroupMember {
                        user: "alice".into(),
                        listed: true,
                    },
                    GroupMember {
                        user: "ci".into(),
                        listed: false,
                    },
                ],
            });
        }),
        hs("HS002", "a member who is not a trusted user", |h| {
            h.docker_group = Probe::Checked(DockerGroup {
                gid: 999,
                line: 41,
                members: vec![
                    GroupMember {
                        user: "alice".into(),
                        listed: true,
                    },
                    GroupMember {
                        user: "mallory".into(),
                        listed: true,
                    },
                ],
            });
        }),
        hs("HS003", "rules that do not watch /etc/docker", |h| {
            if let Probe::Checked(r) = &mut h.audit_rules {
                r.rules.retain(|x| !x.text.contains(" /etc/docker "));
            }
        }),
        hs("HS003", "no audit rules at all", |h| {
            h.audit_rules = Probe::Missing;
            h.audit_targets.truncate(1);
        }),
        hs(
            "HS003",
            "no audit rules, every Docker path present: one finding",
            |h| {
                h.audit_rules = Probe::Missing;
            },
        ),
        hs("HS004", "a unit owned by a user, a group-owned file", |h| {
            set_file(
                h,
                "/lib/systemd/system/docker.service",
                stat(1000, 1000, 0o644, FileKind::File),
            );
            set_file(h, DAEMON_JSON, stat(0, 50, 0o600, FileKind::File));
        }),
        hs("HS004", "the Docker socket group-owned by `staff`", |h| {
            set_file(
                h,
                "/var/run/docker.sock",
                stat(0, 50, 0o660, FileKind::Socket),
            );
        }),
        hs(
            "HS005",
            "a world-writable socket, a readable key, a group-writable unit",
            |h| {
                set_file(
                    h,
                    "/var/run/docker.sock",
                    stat(0, 999, 0o666, FileKind::Socket),
                );
                set_file(
                    h,
                    "/etc/docker/server-key.pem",
                    stat(0, 0, 0o644, FileKind::File),
                );
                set_file(
                    h,
                    "/lib/systemd/system/docker.service",
                    stat(0, 0, 0o664, FileKind::File),
                );
            },
        ),
        hs("HS005", "a world-writable /etc/docker", |h| {
            set_file(h, "/etc/docker", stat(0, 0, 0o777, FileKind::Dir));
        }),
        dm("HS006", "6 of 40 images in use", |d| {
            d.sprawl = Probe::Checked(Sprawl {
                images_total: 40,
                images_used: 6,
                containers_total: 7,
                containers_running: 6,
            })
        }),
        dm("HS007", "31 of 38 containers stopped", |d| {
            d.sprawl = Probe::Checked(Sprawl {
                images_total: 6,
                images_used: 5,
                containers_total: 38,
                containers_running: 7,
            })
        }),
    ]
}

// ---------------------------------------------------------------------------------------------
// Rendering and comparison.

fn location(f: &Finding) -> String {
    match f.location.span {
        Some(s) => format!("{}:{}:{}", f.location.path, s.start.line, s.start.column),
        None => f.location.path.clone(),
    }
}

fn render(out: &mut String, f: &Finding) {
    let _ = write!(
        out,
        "{} {} {}\n  message: {}\n  evidence: {}\n  fix: {}\n",
        f.rule_id,
        f.severity,
        location(f),
        f.message,
        f.evidence.as_deref().unwrap_or("-"),
        f.fix
    );
}

/// The first differing line with context, for the failure message.
fn diff_hint(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let at = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let from = at.saturating_sub(3);
    let mut out = format!(
        "first difference at line {} (snapshot {} lines, now {} lines):\n",
        at + 1,
        e.len(),
        a.len()
    );
    for (i, l) in e.iter().enumerate().skip(from).take(at + 4 - from) {
        let mark = if i == at { '-' } else { ' ' };
        let _ = writeln!(out, "{mark} {:>4} | {l}", i + 1);
    }
    out.push_str("  ----\n");
    for (i, l) in a.iter().enumerate().skip(from).take(at + 4 - from) {
        let mark = if i == at { '+' } else { ' ' };
        let _ = writeln!(out, "{mark} {:>4} | {l}", i + 1);
    }
    out
}

#[test]
fn every_rule_message_matches_the_snapshot() {
    let metas = rules::metas();
    let known: BTreeSet<&str> = metas.iter().map(|m| m.id).collect();
    let mut cases = cases();
    // One block per rule in id order; cases keep their order within a rule.
    cases.sort_by_key(|c| c.rule);

    let mut rendered = String::from(
        "# Messages of the DM and HS rules, one block per rule (tests/rule_messages.rs).\n\
         # Review every change; rewrite with UPDATE_SNAPSHOTS=1.\n",
    );
    let mut problems = Vec::new();
    for meta in &metas {
        let mine: Vec<&Case> = cases.iter().filter(|c| c.rule == meta.id).collect();
        if mine.is_empty() {
            problems.push(format!("{}: no firing case", meta.id));
        }
        let _ = write!(
            rendered,
            "\n== {} {} ({}): {}\n",
            meta.id, meta.name, meta.severity, meta.title
        );
        for case in mine {
            let _ = writeln!(rendered, "-- {}", case.what);
            let all = case.facts.findings();
            let fired: BTreeSet<&str> = all.iter().map(|f| f.rule_id).collect();
            let expected: BTreeSet<&str> = std::iter::once(case.rule)
                .chain(case.also.iter().copied())
                .collect();
            if fired != expected {
                problems.push(format!(
                    "{} ({}): fired {fired:?}, expected exactly {expected:?}",
                    case.rule, case.what
                ));
            }
            for f in all.iter().filter(|f| f.rule_id == case.rule) {
                if f.message.trim().is_empty() || f.fix.trim().is_empty() {
                    problems.push(format!("{}: empty message or fix: {f:?}", case.rule));
                }
                render(&mut rendered, f);
            }
        }
    }
    for c in &cases {
        if !known.contains(c.rule) {
            problems.push(format!("case for unknown rule {} ({})", c.rule, c.what));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    let update = std::env::var("UPDATE_SNAPSHOTS").as_deref() == Ok("1");
    if update {
        std::fs::write(SNAPSHOT, &rendered)
            .unwrap_or_else(|e| panic!("cannot write {SNAPSHOT}: {e}"));
        eprintln!("rule_messages: wrote {SNAPSHOT}: review it (git diff)");
        return;
    }
    let expected = std::fs::read_to_string(SNAPSHOT).unwrap_or_else(|e| {
        panic!(
            "{SNAPSHOT}: {e}\ncreate it with `UPDATE_SNAPSHOTS=1 cargo test -p plimsoll-engine \
             --test rule_messages` and review it"
        )
    });
    // Every rule has its block in the committed snapshot, with at least one finding.
    for meta in &metas {
        let header = format!("\n== {} ", meta.id);
        let finding = format!("\n{} ", meta.id);
        assert!(
            expected.contains(&header) && expected.contains(&finding),
            "{SNAPSHOT} has no firing case for {}: rerun with UPDATE_SNAPSHOTS=1 and review",
            meta.id
        );
    }
    if rendered != expected {
        let actual = format!("{}/rule_messages.txt", env!("CARGO_TARGET_TMPDIR"));
        let saved = std::fs::write(&actual, &rendered).is_ok();
        panic!(
            "rule messages differ from {SNAPSHOT}\n{}\n{}review the change, then update the \
             snapshot with `UPDATE_SNAPSHOTS=1 cargo test -p plimsoll-engine --test \
             rule_messages`",
            diff_hint(&expected, &rendered),
            if saved {
                format!("full output: {actual} (diff -u {SNAPSHOT} {actual})\n")
            } else {
                String::new()
            }
        );
    }
}

/// Every CIS item judged (no "not checked") and none failing.
fn assert_clean(what: &str, results: &[CheckResult]) {
    let bad: Vec<String> = results
        .iter()
        .filter(|c| {
            matches!(c.status, Status::Fail | Status::NotChecked(_)) || !c.findings.is_empty()
        })
        .map(|c| format!("{} {} {:?} {:?}", c.rule.id, c.cis, c.status, c.findings))
        .collect();
    assert!(bad.is_empty(), "{what}:\n{}", bad.join("\n"));
}

#[test]
fn no_rule_fires_on_well_configured_facts() {
    let d = rootless();
    assert_clean("rootless daemon", &rules::evaluate_daemon(&d));
    assert!(rules::audit_daemon(&d).is_empty());

    let h = host();
    assert_clean("hardened host", &rules::evaluate_host(&h));
    assert!(rules::audit_host(&h).is_empty());
    // Every section-3 item and every audit target was judged: the clean host is complete.
    let items: BTreeSet<&str> = rules::evaluate_host(&h).iter().map(|c| c.cis).collect();
    for (cis, _, _) in AUDITED {
        assert!(items.contains(cis), "{cis} not judged");
    }
    let passed = rules::evaluate_host(&h)
        .iter()
        .filter(|c| c.status == Status::Pass)
        .count();
    assert!(passed >= 30, "only {passed} host items passed");

    // The rootful base of the cases: only the informational "runs as root" item fires.
    let fired: BTreeSet<&str> = rules::audit_daemon(&rootful())
        .iter()
        .map(|f| f.rule_id)
        .collect();
    assert_eq!(fired, BTreeSet::from(["DM018"]));
}
