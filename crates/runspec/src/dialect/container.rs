//! An existing container's wording: it cannot be edited, so fixes say how to re-create it
//! (with `docker run` flags, the compose key in brackets where it helps) or what
//! `docker update` changes in place.

use super::{Dialect, Fix};
use crate::model::{Origin, RunSpec};

/// Container wording.
#[derive(Debug, Clone, Copy, Default)]
pub struct ContainerDialect;

impl Dialect for ContainerDialect {
    fn subject(&self, spec: &RunSpec) -> String {
        format!("container `{}`", spec.name.trim())
    }

    fn remove(&self, _origin: &Origin) -> Option<String> {
        None
    }

    fn fix(&self, fix: Fix<'_>) -> String {
        match fix {
            Fix::PublishListedPortsOnly => "re-create the container without `-P`, publishing only the ports that must \
                be reachable, bound to an address (`-p 127.0.0.1:8080:80`)",
            Fix::JoinUserDefinedNetwork => "connect the container to a user-defined network (`docker network connect app-net \
                {name}`) and disconnect it from `bridge` (`docker network disconnect bridge \
                {name}`), and fix its definition",
            Fix::PublishAboveWellKnown => "re-create the container publishing on a host port of 1024 or above (e.g. \
                `-p {t}`)",
            Fix::UseUnprivilegedUser => "re-create the container with an unprivileged user (`--user \
                10001:10001`); a running container's user cannot be changed",
            Fix::AddUnprivilegedUser => "re-create the container with `--user 10001:10001`, or rebuild its image with a \
                final `USER 10001`",
            Fix::MakeRootReadOnly => "re-create the container with `--read-only` (and a `--tmpfs` for the paths it \
                writes to); a running container's root filesystem cannot be switched",
            Fix::MakeRootReadOnlyWithTmp => "re-create the container with `--read-only --tmpfs /tmp`; a running container's \
                root filesystem cannot be switched",
            Fix::SocketProxyInstead => "",
            Fix::PrivateCgroupnsInstead => "",
            Fix::ShareIpcWithPeerInstead => "",
            Fix::PublishPortsInstead => "",
            Fix::SharePidWithPeerInstead => "",
            Fix::MatchRemappedUidInstead => "",
            Fix::SetHostnameInstead => "",
            Fix::KeepLogging => "re-create the container without `--log-driver none` (e.g. with `--log-driver \
                local`); a running container's log driver cannot be changed",
            Fix::AddHealthcheck => "re-create the container with `--health-cmd …` (a probe of the service itself), or \
                rebuild its image with a `HEALTHCHECK`",
            Fix::EnableHealthcheck => "re-create the container without `--no-healthcheck`",
            Fix::BoundRestarts => "`docker update --restart on-failure:5 {name}` (and fix its definition), and alert \
                on stopped containers",
            Fix::AppArmorProfileInstead => "",
            Fix::DropAllCapsSetting => "`CapDrop: [ALL]`",
            Fix::AddBackNeededCaps => "adding back only what it needs",
            Fix::DropAllCaps => "re-create the container with `--cap-drop=ALL` (`cap_drop: [ALL]` in compose)",
            Fix::NoNewPrivilegesInstead => "",
            Fix::SetNoNewPrivileges => "re-create the container with `--security-opt no-new-privileges` \
                (`security_opt: [\"no-new-privileges:true\"]` in compose), or set \
                `\"no-new-privileges\": true` in daemon.json",
            Fix::GrantNarrowlyInstead => "",
            Fix::SeccompProfileInstead => "",
            Fix::ResourceLimitSettings => "`--memory`, `--cpus`, `--pids-limit`",
            Fix::SysctlSetting => "`--sysctl` (`sysctls:`)",
            Fix::DefaultCgroupParent => "re-create the container without `--cgroup-parent`",
            Fix::LimitCpu => "`docker update --cpus 1 {name}` (sized from its peak in `docker stats`), and set the \
                limit where the container is defined",
            Fix::BoundSwap => "set `--memory-swap` equal to `--memory` with `docker update` (no \
                swap), and in the container's definition",
            Fix::RaiseMemoryLimit => "`docker update --memory 512m --memory-swap 512m {name}` (sized from its peak \
                use in `docker stats`), and set the limit where the container is defined",
            Fix::AddMemoryLimit => "`docker update --memory 512m --memory-swap 512m {name}` (sized from its peak \
                use in `docker stats`), and set the limit where the container is defined",
            Fix::RaisePidsLimit => "`docker update --pids-limit 200 {name}`, and set the limit where the \
                container is defined",
            Fix::AddPidsLimit => "`docker update --pids-limit 200 {name}`, and set the limit where the \
                container is defined",
            Fix::RemoveUlimit => "re-create the container without this `--ulimit`",
            Fix::BoundMemlock => "give the container a memory limit (`docker update --memory 2g --memory-swap \
                2g <name>`), or re-create it without `--ulimit memlock`",
            Fix::NoSharedPropagation { prop } => {
                return format!(
                    "re-create the container without `{prop}` propagation (`rslave` if it must \
                     see host mounts)"
                )
            }
            Fix::MountReadOnly { shown, target } => return format!("`{shown}:{target}:ro`"),
            Fix::SecretChannel => "a secret file mounted read-only from a dedicated directory",
            Fix::BindToAddress { local, .. } => {
                return format!(
                    "re-create the container with the port bound to the address that should \
                     reach it (`-p {local}`)"
                )
            }
            Fix::PinImage { pinned, name, .. } => {
                return format!(
                    "re-create it from `{pinned}` — the digest it runs now is \
                     shown by `docker inspect --format '{{{{.Image}}}}' {name}`"
                )
            }
            Fix::SecretExposure => "it is readable by anyone who can `docker inspect` the container",
            Fix::SecretToFile { name, secret_id } => {
                return format!(
                    "re-create the container with `{name}` provided as a mounted secret file \
                     (`/run/secrets/{secret_id}`, read via `{name}_FILE`) instead of an environment \
                     variable, and rotate the exposed value"
                )
            }
        }
        .to_string()
    }

    fn describes_existing_container(&self) -> bool {
        true
    }
}
