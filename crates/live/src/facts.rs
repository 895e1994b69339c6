//! The daemon and host models the DM and HS rules judge: every setting CIS Docker Benchmark
//! sections 1, 2, 3 and 6 need, each with where it came from, and every host file with what
//! could be read about it.
//!
//! The collector (`plimsoll-engine`'s `host` module) fills these; the rules in
//! [`crate::rules`] only read them (no I/O), so every rule is tested with in-memory facts.
//!
//! Three states matter and are kept apart everywhere: a fact that was read
//! ([`Probe::Checked`]), a thing that is not there ([`Probe::Missing`]: no such file, no such
//! group), and a thing that could not be read ([`Probe::NotChecked`], e.g. permission denied).
//! A rule never passes on something it could not read.

use plimsoll_core::{Location, Pos, Span};

/// What the collector learnt about one thing it looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe<T> {
    /// Read.
    Checked(T),
    /// Not present (no such file, group, process).
    Missing,
    /// Could not be read; the reason says why (`permission denied`, `no dockerd process
    /// visible from this PID namespace`).
    NotChecked(String),
}

impl<T> Default for Probe<T> {
    /// Not collected yet.
    fn default() -> Self {
        Probe::NotChecked("not collected".to_string())
    }
}

impl<T> Probe<T> {
    pub fn checked(&self) -> Option<&T> {
        match self {
            Probe::Checked(v) => Some(v),
            _ => None,
        }
    }

    /// The reason, when it could not be read.
    pub fn not_checked(&self) -> Option<&str> {
        match self {
            Probe::NotChecked(r) => Some(r),
            _ => None,
        }
    }

    pub fn is_missing(&self) -> bool {
        matches!(self, Probe::Missing)
    }
}

/// Where a daemon setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A field of `GET /info` (or `/version`): the effective value, whether configured or the
    /// engine's default.
    Info {
        /// The field name as the API spells it (`LoggingDriver`, `SecurityOptions`).
        field: &'static str,
        /// `LoggingDriver: json-file`.
        written: String,
    },
    /// A key of daemon.json.
    Config {
        /// The daemon.json path as found on the host (not prefixed with the host root).
        path: String,
        /// The key's position (1-based), when the file could be scanned for it.
        pos: Option<(u32, u32)>,
        /// The top-level key (`icc`).
        key: String,
        /// `"icc": true`.
        written: String,
    },
    /// An argument of the running dockerd (`/proc/<pid>/cmdline`).
    Flag {
        /// The argument(s) as passed: `--icc=true`, `-H tcp://0.0.0.0:2375`.
        written: String,
    },
}

/// The location findings use for the dockerd command line. A `daemon:` URI like
/// [`INFO_LOCATION`], not a bare name: reports treat a path without a scheme as a file in the
/// audited tree (SARIF would point code scanning at a repository file `dockerd`).
pub const DOCKERD_LOCATION: &str = "daemon:dockerd";
/// The location findings use for a value only `GET /info` shows.
pub const INFO_LOCATION: &str = "daemon:info";

impl Origin {
    /// Where a finding about this setting points: the daemon.json line, `daemon:dockerd` (the
    /// command line), or `daemon:info`.
    pub fn location(&self) -> Location {
        match self {
            Origin::Info { .. } => Location::file(INFO_LOCATION),
            Origin::Config {
                path,
                pos: Some((line, col)),
                key,
                ..
            } => Location::with_span(
                path.clone(),
                Span::new(
                    Pos::new(*line, *col),
                    Pos::new(*line, col.saturating_add(key.chars().count() as u32 + 2)),
                ),
            ),
            Origin::Config { path, .. } => Location::file(path.clone()),
            Origin::Flag { .. } => Location::file(DOCKERD_LOCATION),
        }
    }

    /// The evidence quoted in findings.
    pub fn written(&self) -> &str {
        match self {
            Origin::Info { written, .. }
            | Origin::Config { written, .. }
            | Origin::Flag { written } => written,
        }
    }

    /// Whether an administrator wrote it (daemon.json or a flag), as opposed to the engine
    /// reporting its effective value (maybe a default).
    pub fn is_configured(&self) -> bool {
        !matches!(self, Origin::Info { .. })
    }
}

/// A daemon setting's value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Setting<T> {
    pub fn new(value: T, origin: Origin) -> Self {
        Setting { value, origin }
    }
}

/// The sources the daemon facts were read from, and which of them could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaemonSources {
    /// `GET /info` answered (the error text otherwise).
    pub info: Probe<()>,
    /// The daemon.json that was read: its host path. `Missing` = no daemon.json (every key at
    /// its default).
    pub config_file: Probe<String>,
    /// The running dockerd's arguments (without `argv[0]`).
    pub cmdline: Probe<Vec<String>>,
    /// The dockerd process id, when found.
    pub pid: Option<u32>,
    /// The dockerd executable as started (`argv[0]`), when found.
    pub exe: Option<String>,
}

impl Default for DaemonSources {
    fn default() -> Self {
        DaemonSources {
            info: Probe::NotChecked("not collected".to_string()),
            config_file: Probe::Missing,
            cmdline: Probe::NotChecked("not collected".to_string()),
            pid: None,
            exe: None,
        }
    }
}

/// The daemon's default seccomp profile, from `/info` `SecurityOptions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeccompProfile {
    /// Docker's built-in profile: `profile=builtin` (engines ≥ 24) or `profile=default`.
    Builtin,
    /// A custom profile file (`seccomp-profile` in daemon.json): the path as reported.
    Custom(String),
    /// `profile=unconfined`: containers get no seccomp filter by default.
    Unconfined,
    /// No `name=seccomp` entry at all: the engine (or kernel) has no seccomp support.
    Disabled,
}

/// Counts for CIS section 6 (image and container sprawl).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sprawl {
    /// Distinct top-level images (`docker images -q | sort -u`).
    pub images_total: u64,
    /// Distinct images used by a container, running or not.
    pub images_used: u64,
    /// All containers (`docker ps -aq`).
    pub containers_total: u64,
    /// Running containers.
    pub containers_running: u64,
}

/// Every daemon setting CIS section 2 (and 5.1, 6) needs. `None` / empty = not set in any
/// source that could be read (the engine default applies); whether every source could be
/// read is in [`DaemonFacts::sources`] (see [`DaemonFacts::unknown`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DaemonFacts {
    pub sources: DaemonSources,
    /// `/version` `Version` (or `/info` `ServerVersion`).
    pub server_version: Option<String>,
    pub api_version: Option<String>,
    /// `/info` `DockerRootDir`.
    pub docker_root_dir: Option<String>,
    /// `/info` `CgroupDriver` (`cgroupfs`, `systemd`).
    pub cgroup_driver: Option<String>,
    /// `/info` `CgroupVersion` (`1`, `2`).
    pub cgroup_version: Option<String>,
    /// `icc` / `--icc` (default true).
    pub icc: Option<Setting<bool>>,
    /// `log-level` / `-l`, `--log-level` (default info).
    pub log_level: Option<Setting<String>>,
    /// `debug` / `-D` (implies log level debug).
    pub debug: Option<Setting<bool>>,
    /// `iptables` / `--iptables` (default true).
    pub iptables: Option<Setting<bool>>,
    /// Insecure registries: `/info` `RegistryConfig.InsecureRegistryCIDRs` and
    /// `IndexConfigs[*].Secure == false`, daemon.json `insecure-registries`,
    /// `--insecure-registry` — without the built-in `127.0.0.0/8` (and `::1/128`).
    pub insecure_registries: Vec<Setting<String>>,
    /// `/info` `Driver` (origin: daemon.json `storage-driver` / `-s` when configured).
    pub storage_driver: Option<Setting<String>>,
    /// `storage-opts` / `--storage-opt`, each `key=value`.
    pub storage_opts: Vec<Setting<String>>,
    /// `hosts` / `-H`, `--host`: each address the daemon listens on.
    pub hosts: Vec<Setting<String>>,
    /// `tls` / `--tls`.
    pub tls: Option<Setting<bool>>,
    /// `tlsverify` / `--tlsverify`.
    pub tls_verify: Option<Setting<bool>>,
    /// `tlscacert` / `--tlscacert`.
    pub tls_ca_cert: Option<Setting<String>>,
    /// `tlscert` / `--tlscert`.
    pub tls_cert: Option<Setting<String>>,
    /// `tlskey` / `--tlskey`.
    pub tls_key: Option<Setting<String>>,
    /// `default-ulimits` / `--default-ulimit`, each `name=soft:hard`.
    pub default_ulimits: Vec<Setting<String>>,
    /// `userns-remap` / `--userns-remap`.
    pub userns_remap: Option<Setting<String>>,
    /// `/info` `SecurityOptions` has `name=userns`: remapping is active.
    pub userns_active: Option<Setting<bool>>,
    /// `cgroup-parent` / `--cgroup-parent`.
    pub cgroup_parent: Option<Setting<String>>,
    /// `authorization-plugins` / `--authorization-plugin`.
    pub authorization_plugins: Vec<Setting<String>>,
    /// `/info` `LoggingDriver` (origin: `log-driver` / `--log-driver` when configured).
    pub logging_driver: Option<Setting<String>>,
    /// `log-opts` / `--log-opt`, each `key=value`.
    pub log_opts: Vec<Setting<String>>,
    /// `/info` `LiveRestoreEnabled` (origin: `live-restore` / `--live-restore`).
    pub live_restore: Option<Setting<bool>>,
    /// `userland-proxy` / `--userland-proxy` (default true).
    pub userland_proxy: Option<Setting<bool>>,
    /// From `/info` `SecurityOptions` (`name=seccomp,profile=…`).
    pub seccomp: Option<Setting<SeccompProfile>>,
    /// `seccomp-profile` / `--seccomp-profile` as configured.
    pub seccomp_profile: Option<Setting<String>>,
    /// `/info` `SecurityOptions`, raw.
    pub security_options: Vec<String>,
    /// `/version` `Experimental` or `/info` `ExperimentalBuild` (origin: `experimental` /
    /// `--experimental` when configured).
    pub experimental: Option<Setting<bool>>,
    /// `no-new-privileges` / `--no-new-privileges`, or `/info` `name=no-new-privileges`
    /// (engines ≥ 25 report it).
    pub no_new_privileges: Option<Setting<bool>>,
    /// `/info` `SecurityOptions` has `name=rootless`.
    pub rootless: Option<Setting<bool>>,
    /// `/info` `Swarm.LocalNodeState` (`inactive`, `active`, `pending`, `error`, `locked`).
    pub swarm: Option<Setting<String>>,
    /// Section 6 counts, when the engine answered.
    pub sprawl: Probe<Sprawl>,
}

impl DaemonFacts {
    /// Why a setting that is only in daemon.json or on the command line cannot be known to be
    /// unset: one of those two sources could not be read. `None` when both were read (or the
    /// daemon.json is absent).
    pub fn unknown(&self) -> Option<String> {
        let mut why = Vec::new();
        if let Some(r) = self.sources.cmdline.not_checked() {
            why.push(format!("dockerd command line not read: {r}"));
        }
        if let Some(r) = self.sources.config_file.not_checked() {
            why.push(format!("daemon.json not read: {r}"));
        }
        if why.is_empty() {
            None
        } else {
            Some(why.join("; "))
        }
    }

    /// Why `/info` values are unknown, when the engine did not answer.
    pub fn info_unknown(&self) -> Option<String> {
        self.sources
            .info
            .not_checked()
            .map(|r| format!("GET /info failed: {r}"))
    }

    /// Where a finding about a setting that is not set points: the daemon.json in use (or the
    /// default path, where it would be created).
    pub fn config_location(&self) -> Location {
        match &self.sources.config_file {
            Probe::Checked(p) => Location::file(p.clone()),
            _ => Location::file(DEFAULT_DAEMON_JSON),
        }
    }

    /// Whether the daemon runs rootless (`name=rootless`).
    pub fn is_rootless(&self) -> bool {
        self.rootless.as_ref().is_some_and(|s| s.value)
    }

    /// Whether swarm mode is active on this node.
    pub fn swarm_active(&self) -> bool {
        self.swarm.as_ref().is_some_and(|s| s.value == "active")
    }
}

/// Where dockerd reads its configuration when `--config-file` is not given (rootful).
pub const DEFAULT_DAEMON_JSON: &str = "/etc/docker/daemon.json";

/// Owner and permissions of one file, as `stat` sees it (symlinks followed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStat {
    pub uid: u32,
    pub gid: u32,
    /// User and group names from the host's /etc/passwd and /etc/group, when listed there.
    pub user: Option<String>,
    pub group: Option<String>,
    /// Permission bits and setuid/setgid/sticky (`mode & 0o7777`).
    pub mode: u32,
    pub kind: FileKind,
}

impl FileStat {
    /// `root:docker`-style owner text (numbers when no name is known).
    pub fn owner_text(&self) -> String {
        format!(
            "{}:{}",
            self.user.clone().unwrap_or_else(|| self.uid.to_string()),
            self.group.clone().unwrap_or_else(|| self.gid.to_string())
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    File,
    Dir,
    Socket,
    Other,
}

/// What a section-3 file is, which decides its CIS ids and the owner and mode it should have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileRole {
    DockerService,
    DockerSocketUnit,
    EtcDocker,
    RegistryCert,
    TlsCaCert,
    TlsCert,
    TlsKey,
    DockerSock,
    DaemonJson,
    EtcDefaultDocker,
    EtcSysconfigDocker,
    ContainerdSock,
}

/// The owner a file should have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// `root:root`.
    RootRoot,
    /// `root:docker` (`root:root` is stricter and accepted).
    RootDocker,
}

impl FileRole {
    pub const ALL: [FileRole; 12] = [
        FileRole::DockerService,
        FileRole::DockerSocketUnit,
        FileRole::EtcDocker,
        FileRole::RegistryCert,
        FileRole::TlsCaCert,
        FileRole::TlsCert,
        FileRole::TlsKey,
        FileRole::DockerSock,
        FileRole::DaemonJson,
        FileRole::EtcDefaultDocker,
        FileRole::EtcSysconfigDocker,
        FileRole::ContainerdSock,
    ];

    /// `(owner check, permissions check)` in docker-bench numbering.
    pub fn cis(self) -> (&'static str, &'static str) {
        match self {
            FileRole::DockerService => ("3.1", "3.2"),
            FileRole::DockerSocketUnit => ("3.3", "3.4"),
            FileRole::EtcDocker => ("3.5", "3.6"),
            FileRole::RegistryCert => ("3.7", "3.8"),
            FileRole::TlsCaCert => ("3.9", "3.10"),
            FileRole::TlsCert => ("3.11", "3.12"),
            FileRole::TlsKey => ("3.13", "3.14"),
            FileRole::DockerSock => ("3.15", "3.16"),
            FileRole::DaemonJson => ("3.17", "3.18"),
            FileRole::EtcDefaultDocker => ("3.19", "3.20"),
            FileRole::EtcSysconfigDocker => ("3.22", "3.21"),
            FileRole::ContainerdSock => ("3.23", "3.24"),
        }
    }

    /// The most permissive mode CIS allows (compared as permission bits).
    pub fn max_mode(self) -> u32 {
        match self {
            FileRole::EtcDocker => 0o755,
            FileRole::RegistryCert | FileRole::TlsCaCert | FileRole::TlsCert => 0o444,
            FileRole::TlsKey => 0o400,
            FileRole::DockerSock | FileRole::ContainerdSock => 0o660,
            _ => 0o644,
        }
    }

    pub fn owner(self) -> Owner {
        match self {
            FileRole::DockerSock => Owner::RootDocker,
            _ => Owner::RootRoot,
        }
    }

    /// A short human name (`docker.service`, `the TLS server key`).
    pub fn describe(self) -> &'static str {
        match self {
            FileRole::DockerService => "the docker.service unit",
            FileRole::DockerSocketUnit => "the docker.socket unit",
            FileRole::EtcDocker => "/etc/docker",
            FileRole::RegistryCert => "a registry certificate",
            FileRole::TlsCaCert => "the daemon's TLS CA certificate",
            FileRole::TlsCert => "the daemon's TLS certificate",
            FileRole::TlsKey => "the daemon's TLS key",
            FileRole::DockerSock => "the Docker socket",
            FileRole::DaemonJson => "daemon.json",
            FileRole::EtcDefaultDocker => "/etc/default/docker",
            FileRole::EtcSysconfigDocker => "/etc/sysconfig/docker",
            FileRole::ContainerdSock => "the containerd socket",
        }
    }
}

/// One section-3 file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostFile {
    pub role: FileRole,
    /// The host path (not prefixed with the host root).
    pub path: String,
    pub stat: Probe<FileStat>,
}

/// One path CIS 1.1.3–1.1.18 wants audited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditTarget {
    /// `1.1.3` …
    pub cis: &'static str,
    /// The host path.
    pub path: String,
    /// Whether it exists (`Missing`: the check does not apply).
    pub present: Probe<FileKind>,
}

/// One audit rule line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRule {
    /// `auditctl -l` or the rules file path.
    pub source: String,
    /// 1-based line in the source.
    pub line: u32,
    pub text: String,
}

/// The audit rules in force (or configured).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRules {
    /// `auditctl -l` (loaded rules) or the files read.
    pub from: String,
    pub rules: Vec<AuditRule>,
}

impl AuditRules {
    /// The first rule that watches `path`: `-w P`, `-F path=P`, `-F dir=P`, or a directory
    /// watch on a parent (`-w /etc/docker` covers `/etc/docker/daemon.json`).
    pub fn watching(&self, path: &str) -> Option<&AuditRule> {
        self.rules.iter().find(|r| rule_watches(&r.text, path))
    }
}

/// Whether one audit rule line watches `path`.
pub fn rule_watches(text: &str, path: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.first().is_none_or(|w| w.starts_with('#')) {
        return false;
    }
    let path = path.trim_end_matches('/');
    let covers = |watched: &str, recursive: bool| {
        let watched = watched.trim_end_matches('/');
        watched == path
            || (recursive
                && !watched.is_empty()
                && path.starts_with(watched)
                && path[watched.len()..].starts_with('/'))
    };
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let next = words.get(i + 1).copied();
        match w {
            "-w" => {
                if let Some(p) = next {
                    // A watch on a directory is recursive.
                    if covers(p, true) {
                        return true;
                    }
                }
                i += 2;
                continue;
            }
            "-F" => {
                if let Some(f) = next {
                    if let Some(p) = f.strip_prefix("path=") {
                        if covers(p, false) {
                            return true;
                        }
                    } else if let Some(p) = f.strip_prefix("dir=") {
                        if covers(p, true) {
                            return true;
                        }
                    }
                }
                i += 2;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// Where the daemon's data root sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataRoot {
    /// The directory judged (`DockerRootDir`, or its parent under user-namespace remapping).
    pub path: String,
    /// The mount point holding it (from mountinfo).
    pub mount_point: String,
    /// The filesystem source (`/dev/vda1`).
    pub source: String,
    pub fstype: String,
    /// The mount's device (`254:0`, mountinfo's `major:minor`).
    pub device: String,
    /// The root filesystem's device: a bind mount of a directory of `/` has the same one.
    pub root_device: String,
}

impl DataRoot {
    /// On its own filesystem: the mount holding it is neither `/` nor a bind mount of a
    /// directory of the root filesystem (same device).
    pub fn separate(&self) -> bool {
        self.mount_point != "/" && (self.device.is_empty() || self.device != self.root_device)
    }
}

/// One member of the docker group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupMember {
    pub user: String,
    /// Listed in /etc/group (`false`: its primary group in /etc/passwd is docker).
    pub listed: bool,
}

/// The docker group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerGroup {
    pub gid: u32,
    /// `/etc/group` line.
    pub line: u32,
    pub members: Vec<GroupMember>,
}

/// Host facts for CIS sections 1 and 3.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostFacts {
    /// The host root the files were read under (`/`, or `/host` in a container).
    pub root: String,
    /// 1.1.1.
    pub data_root: Probe<DataRoot>,
    /// 1.1.2 (`Missing`: no docker group).
    pub docker_group: Probe<DockerGroup>,
    /// Users trusted to be in the docker group (docker-bench `-u`); `None`: not given.
    pub trusted_users: Option<Vec<String>>,
    /// 1.1.3–1.1.18: the rules (`Missing`: no auditctl and no rules files).
    pub audit_rules: Probe<AuditRules>,
    pub audit_targets: Vec<AuditTarget>,
    /// Section 3: one entry per file found or looked for (registry certificates: one per
    /// `*.crt`; none when /etc/docker/certs.d has none).
    pub files: Vec<HostFile>,
    /// Whether /etc/docker/certs.d could be listed (for 3.7/3.8 "not checked").
    pub registry_certs: Probe<()>,
}

impl Default for HostFacts {
    fn default() -> Self {
        HostFacts {
            root: "/".to_string(),
            data_root: Probe::NotChecked("not collected".to_string()),
            docker_group: Probe::NotChecked("not collected".to_string()),
            trusted_users: None,
            audit_rules: Probe::NotChecked("not collected".to_string()),
            audit_targets: Vec::new(),
            files: Vec::new(),
            registry_certs: Probe::Missing,
        }
    }
}

impl HostFacts {
    /// The files of one role.
    pub fn files_of(&self, role: FileRole) -> impl Iterator<Item = &HostFile> {
        self.files.iter().filter(move |f| f.role == role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_rule_matching() {
        assert!(rule_watches(
            "-w /usr/bin/dockerd -k docker",
            "/usr/bin/dockerd"
        ));
        assert!(rule_watches(
            "-w /etc/docker/ -p wa",
            "/etc/docker/daemon.json"
        ));
        assert!(rule_watches(
            "-a exit,always -F path=/run/containerd -F perm=war -k docker",
            "/run/containerd"
        ));
        assert!(rule_watches(
            "-a always,exit -F dir=/var/lib/docker",
            "/var/lib/docker"
        ));
        assert!(!rule_watches("# -w /usr/bin/dockerd", "/usr/bin/dockerd"));
        assert!(!rule_watches("-w /usr/bin/dockerd-ce", "/usr/bin/dockerd"));
        assert!(!rule_watches("-w /etc/dock", "/etc/docker"));
        assert!(!rule_watches(
            "-a always,exit -F path=/etc/docker",
            "/etc/docker/daemon.json"
        ));
        assert!(!rule_watches("", "/x"));
    }

    #[test]
    fn config_origin_location_spans_the_key() {
        let o = Origin::Config {
            path: "/etc/docker/daemon.json".into(),
            pos: Some((3, 5)),
            key: "icc".into(),
            written: "\"icc\": true".into(),
        };
        let loc = o.location();
        assert_eq!(loc.path, "/etc/docker/daemon.json");
        assert_eq!(
            loc.span
                .map(|s| (s.start.line, s.start.column, s.end.column)),
            Some((3, 5, 10))
        );
        assert_eq!(
            Origin::Flag {
                written: "--icc".into()
            }
            .location()
            .path,
            DOCKERD_LOCATION
        );
    }
}
