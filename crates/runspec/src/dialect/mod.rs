//! How each source words a fix. The RS rules judge one [`RunSpec`] whatever it came from; only
//! the wording of what to change differs — a compose key, a `docker run` flag, or what to do
//! when an existing container must be re-created. A [`Dialect`] is that wording for one
//! source: rules name the change they want ([`Fix`]) and never look at the spec's kind, so a
//! new source (a Kubernetes pod spec, say) is a new dialect and its mapper, with no rule
//! changed.
//!
//! The dialect is carried by the rules' input (a trait object, not an enum matched in rules),
//! which [`of`] picks for a spec from its [`SpecKind`]. Where the engine's behaviour differs by
//! source (a `docker run` without `--network` joins the default bridge; a shell expands `$X`
//! in a command line; `docker inspect` already merges the image's defaults), the dialect
//! states it as a fact rules ask for.

mod compose;
mod container;
mod run_line;

pub use compose::ComposeDialect;
pub use container::ContainerDialect;
pub use run_line::RunLineDialect;

use crate::fields::Field;
use crate::model::{Origin, RunSpec, SpecKind, Via};

/// The wording and the source-specific facts of one kind of source.
pub trait Dialect: Sync {
    /// How findings name the container: "service `web`", "the `docker run` command for
    /// `web`", "container `web`". Every RS message starts from it so they read alike.
    fn subject(&self, spec: &RunSpec) -> String;

    /// The first step of a fix that takes out a setting, quoting it as written: compose
    /// "remove `seccomp:unconfined` from `security_opt`", `docker run` "remove `--net=host`".
    /// `None` when the source cannot be edited (an existing container is re-created instead).
    fn remove(&self, origin: &Origin) -> Option<String>;

    /// The words of one fix (texts may hold the placeholders the [`Fix`] variant names, which
    /// the rule fills in).
    fn fix(&self, fix: Fix<'_>) -> String;

    /// The spec describes a container that exists: its settings already include its image's
    /// defaults (inspect merges them), and it is changed by re-creating it.
    fn describes_existing_container(&self) -> bool {
        false
    }

    /// Without a network setting the engine puts the container on the default bridge (a
    /// `docker run` line; a compose service joins its project's own network instead).
    fn unnetworked_joins_default_bridge(&self) -> bool {
        false
    }

    /// Values written in this source pass through a shell first, so `$X` in them is expanded
    /// before the engine sees it (a `docker run` line in a script).
    fn shell_expands_values(&self) -> bool {
        false
    }
}

/// What a rule wants changed, named once; each dialect words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fix<'a> {
    /// Publishing every exposed port (`-P`): list only the ports that must be reachable, each bound to an address.
    PublishListedPortsOnly,
    /// Leave the default bridge for a user-defined network. `{name}`: the container.
    JoinUserDefinedNetwork,
    /// Publish on a host port of 1024 or above. `{t}`: the suggested binding.
    PublishAboveWellKnown,
    /// Replace a root user with an unprivileged numeric one. `{key}`: the setting as its source names it.
    UseUnprivilegedUser,
    /// Set an unprivileged user where none is set.
    AddUnprivilegedUser,
    /// Make the root filesystem read-only (a tmpfs already exists or the setting is written).
    MakeRootReadOnly,
    /// Make the root filesystem read-only and add a tmpfs for `/tmp`.
    MakeRootReadOnlyWithTmp,
    /// After removing the engine socket: a filtering proxy for read-only users.
    SocketProxyInstead,
    /// After removing a host cgroup namespace: the private one.
    PrivateCgroupnsInstead,
    /// After removing a host IPC namespace: share with one peer instead.
    ShareIpcWithPeerInstead,
    /// After removing host networking: publish ports and use a user-defined network.
    PublishPortsInstead,
    /// After removing a host PID namespace: share with one sidecar instead.
    SharePidWithPeerInstead,
    /// After removing `userns host`: fix ownership or run as a matching user.
    MatchRemappedUidInstead,
    /// After removing a host UTS namespace: set a hostname instead.
    SetHostnameInstead,
    /// Take out the `none` log driver.
    KeepLogging,
    /// Add a healthcheck that probes the service.
    AddHealthcheck,
    /// Take out a disabled healthcheck.
    EnableHealthcheck,
    /// Bound the restart retries. `{name}`: the container.
    BoundRestarts,
    /// After removing `apparmor=unconfined`: the default or a written profile.
    AppArmorProfileInstead,
    /// The setting that drops every capability, quoted (in a message).
    DropAllCapsSetting,
    /// After dropping every capability: add back only what is needed.
    AddBackNeededCaps,
    /// Drop every capability.
    DropAllCaps,
    /// After removing `no-new-privileges=false`: add it switched on.
    NoNewPrivilegesInstead,
    /// Set no-new-privileges.
    SetNoNewPrivileges,
    /// After removing privileged mode: grant one capability or device.
    GrantNarrowlyInstead,
    /// After removing an unconfined seccomp: the default or a copy of it.
    SeccompProfileInstead,
    /// The resource-limit settings, quoted and listed.
    ResourceLimitSettings,
    /// The namespaced kernel settings' setting, quoted.
    SysctlSetting,
    /// Take out a chosen cgroup parent.
    DefaultCgroupParent,
    /// Cap CPU use. `{name}`: the container.
    LimitCpu,
    /// Bound the swap (memory-swap unlimited).
    BoundSwap,
    /// Replace an unlimited memory setting. `{key}`: the setting as written, `{name}`: the container.
    RaiseMemoryLimit,
    /// Add a memory limit. `{name}`: the container.
    AddMemoryLimit,
    /// Replace an unlimited pids setting. `{key}`: the setting as written, `{name}`: the container.
    RaisePidsLimit,
    /// Add a pids limit. `{name}`: the container.
    AddPidsLimit,
    /// Take out one raised ulimit.
    RemoveUlimit,
    /// Bound locked memory with a memory limit.
    BoundMemlock,
    /// Take out `shared`/`rshared` propagation (`prop`: as written).
    NoSharedPropagation { prop: &'a str },
    /// The read-only form of a bind mount of `shown` at `target`.
    MountReadOnly { shown: &'a str, target: &'a str },
    /// The channel a credential should come through instead of a host mount.
    SecretChannel,
    /// Bind a published port to the address that should reach it (`local`: the binding with a
    /// loopback address; `ipv6`: the wildcard was IPv6).
    BindToAddress { local: &'a str, ipv6: bool },
    /// Pin the image by digest (`pinned`: the reference to use, `inspect`: how to get the
    /// digest, `name`: the container).
    PinImage {
        pinned: &'a str,
        inspect: &'a str,
        name: &'a str,
    },
    /// Who can read an environment variable's value written in this source.
    SecretExposure,
    /// Move the secret in variable `name` to a secret file `secret_id`.
    SecretToFile { name: &'a str, secret_id: &'a str },
}

impl Fix<'_> {
    /// The field the fix changes, so a dialect can word it from the field's name in its own
    /// source (a new source's dialect need not know every fix to say where to change it).
    pub fn field(self) -> Field {
        match self {
            Fix::PublishListedPortsOnly => Field::PublishAll,
            Fix::JoinUserDefinedNetwork => Field::NetworkMode,
            Fix::PublishAboveWellKnown | Fix::PublishPortsInstead | Fix::BindToAddress { .. } => {
                Field::Ports
            }
            Fix::UseUnprivilegedUser | Fix::AddUnprivilegedUser => Field::User,
            Fix::MakeRootReadOnly | Fix::MakeRootReadOnlyWithTmp => Field::ReadOnly,
            Fix::SocketProxyInstead
            | Fix::NoSharedPropagation { .. }
            | Fix::MountReadOnly { .. }
            | Fix::SecretChannel => Field::Volumes,
            Fix::PrivateCgroupnsInstead => Field::Cgroupns,
            Fix::ShareIpcWithPeerInstead => Field::Ipc,
            Fix::SharePidWithPeerInstead => Field::Pid,
            Fix::MatchRemappedUidInstead => Field::Userns,
            Fix::SetHostnameInstead => Field::Uts,
            Fix::KeepLogging => Field::LogDriver,
            Fix::AddHealthcheck | Fix::EnableHealthcheck => Field::Healthcheck,
            Fix::BoundRestarts => Field::Restart,
            Fix::AppArmorProfileInstead
            | Fix::NoNewPrivilegesInstead
            | Fix::SetNoNewPrivileges
            | Fix::SeccompProfileInstead => Field::SecurityOpt,
            Fix::DropAllCapsSetting | Fix::DropAllCaps => Field::CapDrop,
            Fix::AddBackNeededCaps | Fix::GrantNarrowlyInstead => Field::CapAdd,
            Fix::ResourceLimitSettings
            | Fix::RaiseMemoryLimit
            | Fix::AddMemoryLimit
            | Fix::BoundMemlock => Field::Memory,
            Fix::SysctlSetting => Field::Sysctls,
            Fix::DefaultCgroupParent => Field::CgroupParent,
            Fix::LimitCpu => Field::Cpus,
            Fix::BoundSwap => Field::MemorySwap,
            Fix::RaisePidsLimit | Fix::AddPidsLimit => Field::PidsLimit,
            Fix::RemoveUlimit => Field::Ulimits,
            Fix::PinImage { .. } => Field::Image,
            Fix::SecretExposure | Fix::SecretToFile { .. } => Field::Environment,
        }
    }
}

/// The dialect of the source `spec` came from.
pub fn of(spec: &RunSpec) -> &'static dyn Dialect {
    match spec.kind {
        SpecKind::ComposeService { .. } => &ComposeDialect,
        SpecKind::RunCommand => &RunLineDialect,
        SpecKind::Container { .. } => &ContainerDialect,
    }
}

/// "remove `<what was written>`", or for one item of a compose list "remove `<item>` from
/// `<key>`"; an interpolation note (`… (from ${X})`) is not part of what to remove.
pub(crate) fn remove_as_written(origin: &Origin) -> String {
    let written = origin.written.trim();
    let written = match written.find(" (from ") {
        Some(i) if written.ends_with(')') => written.get(..i).unwrap_or(written),
        _ => written,
    };
    match &origin.via {
        Via::Compose(path) if path.ends_with(']') => {
            let key: String = {
                let mut depth = 0usize;
                path.chars()
                    .filter(|c| match c {
                        '[' => {
                            depth += 1;
                            false
                        }
                        ']' => {
                            depth = depth.saturating_sub(1);
                            false
                        }
                        _ => depth == 0,
                    })
                    .collect()
            };
            let item = written
                .strip_prefix(key.as_str())
                .and_then(|rest| rest.strip_prefix(": "))
                .unwrap_or(written);
            format!("remove `{item}` from `{key}`")
        }
        _ => format!("remove `{written}`"),
    }
}
