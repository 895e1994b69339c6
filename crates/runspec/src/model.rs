//! The RunSpec: every setting that decides how isolated one container is, whichever way it is
//! described — a compose service, a `docker run` command line, or a `docker inspect` result
//! (DESIGN.md "One RunSpec, three sources"). The RS rules read only this model.
//!
//! Two things every field keeps:
//! - **where it came from** ([`Origin`]: file, line and column of the compose key, the
//!   command-line flag as written, or the inspect field), so a finding points at the exact
//!   source and quotes it;
//! - **whether it was set at all**: `None` (or an empty list) means "not set, the engine's
//!   default applies", which is different from "set to the default value" (`privileged: false`
//!   written out). Rules about missing hardening need the first; evidence needs the second.

use plimsoll_core::{Location, Span};

/// Where one fact of a [`RunSpec`] came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file (compose file, script, `-` for a command line given to `plimsoll run`, or
    /// `container:<name>`) and the span of the key, flag or value inside it.
    pub location: Location,
    /// The fact as written in its source, quoted as evidence: `cap_add: SYS_ADMIN`,
    /// `--cap-add=SYS_ADMIN`, `HostConfig.CapAdd=[SYS_ADMIN]`.
    pub written: String,
    /// How the source expresses it.
    pub via: Via,
}

/// The kind of source a fact came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A compose key, as a path from the service: `cap_add[0]`, `deploy.resources.limits.memory`.
    Compose(String),
    /// A `docker run`/`docker create` flag, by its long name: `--cap-add`.
    Flag(String),
    /// A field of `docker inspect` output: `HostConfig.CapAdd`.
    Inspect(String),
    /// A fact learned from another stage, described: `final USER of api/Dockerfile`.
    Derived(String),
}

impl Origin {
    pub fn new(location: Location, written: impl Into<String>, via: Via) -> Self {
        Origin {
            location,
            written: written.into(),
            via,
        }
    }

    /// A fact at `span` of `path`.
    pub fn at(path: &str, span: Span, written: impl Into<String>, via: Via) -> Self {
        Origin::new(Location::with_span(path, span), written, via)
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Sourced<T> {
    pub fn new(value: T, origin: Origin) -> Self {
        Sourced { value, origin }
    }
}

/// Which kind of description a RunSpec was built from. Rules never read it: it picks the
/// source's [`Dialect`](crate::dialect::Dialect) ([`crate::dialect::of`]), which words fixes
/// and states where the engine's defaults differ by source (a compose service without
/// `networks` joins the project's own user-defined network, a `docker run` without
/// `--network` joins the default bridge).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SpecKind {
    /// A service of a compose project.
    ComposeService { project: String },
    /// A `docker run` / `docker create` command line (given to `plimsoll run`, or found in a
    /// script).
    #[default]
    RunCommand,
    /// A container that exists on an engine (`docker inspect`).
    Container { id: String },
}

/// How one container is (or will be) run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunSpec {
    /// The service name, the `--name` of the command (or `docker run <image>`), or the
    /// container name.
    pub name: String,
    pub kind: SpecKind,
    /// Where a finding about something *missing* points: the service's key in the compose
    /// file, the whole command line, the container.
    pub anchor: Origin,

    /// The image reference as written (`nginx:1.27`, `registry/app@sha256:…`).
    pub image: Option<Sourced<String>>,
    /// The service builds its image (compose `build:`): where from, so the binary can hand
    /// the Dockerfile's facts back as [`RunSpec::image_facts`].
    pub build: Option<Sourced<Build>>,
    /// What is known of the image's own defaults (its final `USER`, whether it has a
    /// `HEALTHCHECK`), learned from another stage. `None`: unknown.
    pub image_facts: Option<ImageFacts>,

    /// `user:` / `-u`: `name`, `uid`, `uid:gid`, `name:group`.
    pub user: Option<Sourced<String>>,
    /// `group_add:` / `--group-add`.
    pub group_add: Vec<Sourced<String>>,
    pub privileged: Option<Sourced<bool>>,
    /// Capabilities added, normalised: upper case without the `CAP_` prefix, or `ALL`.
    pub cap_add: Vec<Sourced<String>>,
    /// Capabilities dropped, normalised like `cap_add`.
    pub cap_drop: Vec<Sourced<String>>,
    pub security_opt: Vec<Sourced<SecurityOpt>>,

    /// `network_mode:` / `--network` (the first network given, for `docker run`).
    pub network_mode: Option<Sourced<NetworkMode>>,
    /// Networks a compose service joins (`networks:`), or further `--network` flags.
    pub networks: Vec<Sourced<String>>,
    pub pid: Option<Sourced<NamespaceMode>>,
    pub ipc: Option<Sourced<NamespaceMode>>,
    pub uts: Option<Sourced<NamespaceMode>>,
    pub userns: Option<Sourced<NamespaceMode>>,
    /// `cgroup:` / `--cgroupns`.
    pub cgroupns: Option<Sourced<NamespaceMode>>,
    pub cgroup_parent: Option<Sourced<String>>,

    /// Volumes, binds, tmpfs mounts (from `volumes:`, `tmpfs:`, `-v`, `--mount`, `--tmpfs`).
    pub mounts: Vec<Sourced<Mount>>,
    pub devices: Vec<Sourced<Device>>,
    pub device_cgroup_rules: Vec<Sourced<String>>,
    /// `gpus:` / `--gpus` as written.
    pub gpus: Option<Sourced<String>>,
    pub sysctls: Vec<Sourced<(String, String)>>,

    /// Memory limit in bytes (`0` means unlimited, as the engine reads it).
    pub memory: Option<Sourced<i64>>,
    /// Memory + swap limit in bytes (`-1`: unlimited swap).
    pub memory_swap: Option<Sourced<i64>>,
    pub memory_reservation: Option<Sourced<i64>>,
    pub oom_kill_disable: Option<Sourced<bool>>,
    /// CPUs (`--cpus`, `cpus:`, `deploy.resources.limits.cpus`).
    pub cpus: Option<Sourced<f64>>,
    pub cpu_shares: Option<Sourced<i64>>,
    pub cpu_quota: Option<Sourced<i64>>,
    pub cpu_period: Option<Sourced<i64>>,
    pub cpuset_cpus: Option<Sourced<String>>,
    /// Process limit (`-1` or `0`: unlimited).
    pub pids_limit: Option<Sourced<i64>>,
    pub ulimits: Vec<Sourced<Ulimit>>,

    pub read_only: Option<Sourced<bool>>,
    /// Published ports (`ports:`, `-p`).
    pub ports: Vec<Sourced<PortBinding>>,
    /// `-P` / `--publish-all`.
    pub publish_all: Option<Sourced<bool>>,
    pub restart: Option<Sourced<RestartPolicy>>,
    pub healthcheck: Option<Sourced<Healthcheck>>,
    /// Environment variables set for the container (`environment:`, `env_file:` contents,
    /// `-e`, `--env-file` contents when read).
    pub environment: Vec<Sourced<EnvVar>>,
    /// Env files named (`env_file:`, `--env-file`), whether or not they were read.
    pub env_files: Vec<Sourced<String>>,
    /// Compose secrets the service uses (`secrets:` of the service).
    pub secrets: Vec<Sourced<String>>,
    pub log_driver: Option<Sourced<String>>,
    pub log_opts: Vec<Sourced<(String, String)>>,
    pub init: Option<Sourced<bool>>,
    /// `runtime:` / `--runtime`.
    pub runtime: Option<Sourced<String>>,

    /// What only a container that exists can tell (`None` for compose services and command
    /// lines).
    pub state: Option<RuntimeState>,
}

/// Facts about a container that exists on an engine: what it is doing, not how it was asked
/// to run (filled by the engine collector from inspect and `top`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuntimeState {
    /// `running`, `exited`, `created`, `paused`, `restarting`, `dead`.
    pub status: String,
    /// The AppArmor profile the engine applied (`docker-default`, `unconfined`, empty when
    /// AppArmor is not enabled on the host).
    pub apparmor_profile: Option<Sourced<String>>,
    /// The engine's security options (`name=seccomp,profile=builtin`, `name=apparmor`,
    /// `name=selinux`, `name=userns`, `name=rootless`), so rules know which LSMs exist.
    pub engine_security_options: Vec<String>,
    /// Whether the daemon applies `no-new-privileges` to every container by default.
    pub daemon_no_new_privileges: bool,
    /// Processes seen through the `top` endpoint: (pid, command line).
    pub processes: Vec<Sourced<String>>,
    pub oom_killed: Option<Sourced<bool>>,
    pub restart_count: Option<Sourced<i64>>,
    /// `healthy`, `unhealthy`, `starting`; `None` without a healthcheck.
    pub health: Option<Sourced<String>>,
    /// Networks the container is attached to, by name (`bridge` is the default bridge).
    pub networks: Vec<Sourced<String>>,
    /// The image's registry digests (`RepoDigests`).
    pub repo_digests: Vec<String>,
}

impl Default for Origin {
    fn default() -> Self {
        Origin::new(Location::file("-"), "", Via::Flag(String::new()))
    }
}

/// Where a compose service builds its image from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Build {
    /// The build context as written (`.`, `./api`, a URL).
    pub context: String,
    /// The Dockerfile path as written (`Dockerfile` when unset), relative to the context.
    pub dockerfile: String,
    /// `dockerfile_inline:` content, when the Dockerfile is written in the compose file.
    pub inline: Option<String>,
    /// The build target stage, if any.
    pub target: Option<String>,
    /// The compose file's directory (the project directory for relative contexts), as a path
    /// the binary can open.
    pub base_dir: String,
}

/// What another stage knows of an image's defaults.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImageFacts {
    /// The image's configured user (its final `USER`); `Some` with value `""` or `root` when
    /// the image runs as root, `None` when unknown.
    pub user: Option<Sourced<String>>,
    /// Whether the image defines a `HEALTHCHECK` (and its origin); `None` when unknown.
    pub healthcheck: Option<Sourced<bool>>,
}

/// One `--security-opt` / `security_opt:` entry, parsed (both `key=value` and the deprecated
/// `key:value` forms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityOpt {
    /// `seccomp=unconfined`, `seccomp=builtin`, `seccomp=/path/profile.json`.
    Seccomp(String),
    /// `apparmor=unconfined`, `apparmor=docker-default`, `apparmor=<profile>`.
    AppArmor(String),
    /// `label=disable`, `label=type:svirt_apache_t`, `label=user:…`, `label=level:…`.
    Label(String),
    /// `no-new-privileges`, `no-new-privileges=true|false`, `no-new-privileges:true`.
    NoNewPrivileges(bool),
    /// `systempaths=unconfined` (unmasks `/proc` and `/sys` paths).
    SystemPaths(String),
    /// `writable-cgroups=true|false`.
    WritableCgroups(bool),
    /// Anything else, as written.
    Other(String),
}

/// `network_mode:` / `--network`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkMode {
    /// `bridge` or `default`: the engine's default bridge (`docker0`).
    Bridge,
    Host,
    None,
    /// `container:<name|id>`.
    Container(String),
    /// `service:<name>` (compose).
    Service(String),
    /// A user-defined network by name.
    Named(String),
}

/// A namespace setting (`pid`, `ipc`, `uts`, `userns_mode`, `cgroup`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamespaceMode {
    /// Shares the host's namespace.
    Host,
    /// `private` (or an explicit empty/default value).
    Private,
    /// `shareable` (ipc).
    Shareable,
    /// `container:<name|id>`.
    Container(String),
    /// `service:<name>` (compose).
    Service(String),
    /// `none` (ipc).
    None,
    /// Anything else, as written.
    Other(String),
}

impl RunSpec {
    /// The last security option `pick` recognises, with what it took from it: the engine
    /// applies security options in order, so the last one of a kind wins.
    pub fn last_security_opt<'s, T>(
        &'s self,
        pick: impl Fn(&'s SecurityOpt) -> Option<T>,
    ) -> Option<(T, &'s Sourced<SecurityOpt>)> {
        self.security_opt
            .iter()
            .rev()
            .find_map(|o| Some((pick(&o.value)?, o)))
    }
}

/// The kind of a mount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MountKind {
    Bind,
    Volume,
    Tmpfs,
    Npipe,
    Image,
    Cluster,
    Other(String),
}

impl MountKind {
    /// The kind named by a mount's `type` (`--mount type=…`, the engine's `Mounts[].Type`).
    pub fn from_type(t: &str) -> Self {
        match t {
            "bind" => MountKind::Bind,
            "volume" => MountKind::Volume,
            "tmpfs" => MountKind::Tmpfs,
            "npipe" => MountKind::Npipe,
            "image" => MountKind::Image,
            "cluster" => MountKind::Cluster,
            other => MountKind::Other(other.to_string()),
        }
    }
}

/// One mount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub kind: MountKind,
    /// The host path of a bind (as written, with a relative compose path resolved against the
    /// project directory and `~` left as written), or the volume name; `None` for an
    /// anonymous volume or a tmpfs.
    pub source: Option<String>,
    /// The path inside the container.
    pub target: String,
    pub read_only: bool,
    /// Bind propagation: `private`, `rprivate`, `shared`, `rshared`, `slave`, `rslave`.
    pub propagation: Option<String>,
    /// SELinux relabelling: `z` (shared) or `Z` (private).
    pub selinux: Option<String>,
}

impl Mount {
    /// A volume with no source, no target and default options: where a mount parser starts.
    pub fn blank_volume() -> Self {
        Mount {
            kind: MountKind::Volume,
            source: None,
            target: String::new(),
            read_only: false,
            propagation: None,
            selinux: None,
        }
    }

    /// The engine's socket bound read-write at the same path, as `--use-api-socket` (docker
    /// run) and `use_api_socket` (compose) add it.
    pub fn engine_socket() -> Self {
        Mount {
            kind: MountKind::Bind,
            source: Some("/var/run/docker.sock".to_string()),
            target: "/var/run/docker.sock".to_string(),
            read_only: false,
            propagation: None,
            selinux: None,
        }
    }
}

/// One device mapped into the container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub host_path: String,
    pub container_path: Option<String>,
    /// cgroup permissions (`rwm`).
    pub permissions: Option<String>,
}

/// One ulimit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ulimit {
    pub name: String,
    pub soft: i64,
    pub hard: i64,
}

/// An inclusive range of ports (`start == end` for one port).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PortRange {
    pub start: u16,
    pub end: u16,
}

/// One published port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortBinding {
    /// The host address it listens on; `None` means every interface (IPv4 and IPv6).
    pub host_ip: Option<String>,
    /// The host port(s); `None` means an ephemeral port chosen by the engine.
    pub host_port: Option<PortRange>,
    pub container_port: PortRange,
    /// `tcp`, `udp` or `sctp`.
    pub protocol: String,
}

/// A restart policy (`restart:`, `--restart`, `deploy.restart_policy`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestartPolicy {
    No,
    Always,
    UnlessStopped,
    /// `on-failure[:N]` (`deploy.restart_policy.condition: on-failure` with `max_attempts`).
    OnFailure {
        max_retries: Option<u32>,
    },
}

/// A healthcheck setting.
#[derive(Debug, Clone, PartialEq)]
pub enum Healthcheck {
    /// `healthcheck: {disable: true}`, `test: ["NONE"]`, `--no-healthcheck`.
    Disabled,
    /// A check. `test` is `None` when only timings are set (the image's test applies).
    Check {
        test: Option<Vec<String>>,
        interval: Option<String>,
        timeout: Option<String>,
        retries: Option<u32>,
        start_period: Option<String>,
    },
}

/// One environment variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    pub name: String,
    /// The value after interpolation; `None` when only the name is given (the value comes from
    /// the environment of whoever starts the container).
    pub value: Option<String>,
    /// Where the value is written.
    pub from: EnvFrom,
}

/// Where an environment variable's value is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvFrom {
    /// In the compose file or on the command line, literally: a secret here is committed.
    Literal,
    /// In the compose file, but entirely from interpolation (`${DB_PASSWORD}`): the secret
    /// lives in the environment or `.env`, not in this file.
    Interpolated,
    /// In an env file (path as written).
    EnvFile(String),
    /// In the project's `.env` (or `--env-file`), which compose reads for interpolation:
    /// `environment: {DB_PASSWORD: ${DB_PASSWORD}}` or `- DB_PASSWORD` with `DB_PASSWORD=…`
    /// written there. `variable` is the name in that file, `at` where its value is written.
    ProjectEnv { variable: String, at: Location },
    /// Inherited from the environment of the caller (`-e NAME`, `environment: [NAME]`).
    Caller,
    /// Reported by the engine (inspect): origin unknown.
    Engine,
}
