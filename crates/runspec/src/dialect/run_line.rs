//! A `docker run` / `docker create` line's wording: its flags, "the command", "the container".

use super::{Dialect, Fix};
use crate::model::{Origin, RunSpec};

/// RunLine wording.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunLineDialect;

impl Dialect for RunLineDialect {
    fn subject(&self, spec: &RunSpec) -> String {
        let name = spec.name.trim();
        if name.is_empty() {
            "the `docker run` command".to_string()
        } else if name.starts_with("docker ") {
            // An unnamed command is named after itself (`docker run nginx`).
            format!("`{name}`")
        } else if spec.image.as_ref().is_some_and(|i| i.value.trim() == name) {
            // Without `--name` the command is named after its image.
            format!("`docker run {name}`")
        } else {
            format!("the `docker run` command for `{name}`")
        }
    }

    fn remove(&self, origin: &Origin) -> Option<String> {
        Some(super::remove_as_written(origin))
    }

    fn fix(&self, fix: Fix<'_>) -> String {
        match fix {
            Fix::PublishListedPortsOnly => "replace `-P` with one `-p` per port that must be reachable, bound to an \
                address (`-p 127.0.0.1:8080:80`)",
            Fix::JoinUserDefinedNetwork => "create a network for the containers that must talk (`docker network create \
                app-net`) and add `--network app-net`",
            Fix::PublishAboveWellKnown => "publish on a host port of 1024 or above (e.g. `-p {t}`); if the well-known port \
                must be served, let a proxy or load balancer in front of the container own it",
            Fix::UseUnprivilegedUser => "use an unprivileged numeric user instead, e.g. `--user 10001:10001`, \
                and make the files it writes owned by that UID",
            Fix::AddUnprivilegedUser => "add `--user 10001:10001` (an unprivileged numeric UID), or end the image's \
                Dockerfile with `USER 10001`",
            Fix::MakeRootReadOnly => "add `--read-only`; the paths the container writes to need a `--tmpfs` or a \
                volume",
            Fix::MakeRootReadOnlyWithTmp => "add `--read-only --tmpfs /tmp` (plus a `--tmpfs` or volume for any other path \
                the container writes to)",
            Fix::SocketProxyInstead => "; if the container only reads container state, point it at a filtering proxy (e.g. \
                tecnativa/docker-socket-proxy allowing only the read endpoints it uses) on an internal \
                network",
            Fix::PrivateCgroupnsInstead => " (or use `--cgroupns private`)",
            Fix::ShareIpcWithPeerInstead => "; to share memory with another container use `--ipc shareable` there and \
                `--ipc container:<name>` here",
            Fix::PublishPortsInstead => "; publish only the needed ports with `-p` (on 127.0.0.1 for local clients) and \
                connect containers through a user-defined network (`docker network create app`, \
                `--network app`)",
            Fix::SharePidWithPeerInstead => "; to share processes with one other container use `--pid container:<name>`",
            Fix::MatchRemappedUidInstead => "; fix bind-mount ownership for the remapped UID instead, or run as a matching \
                non-root `--user`",
            Fix::SetHostnameInstead => "; set a name with `--hostname` if one is needed",
            Fix::KeepLogging => "drop `--log-driver none` so the daemon's default applies, or use \
                `--log-driver local` (bounded, rotated files) or a driver that ships logs off \
                the host",
            Fix::AddHealthcheck => "add `--health-cmd \"wget -qO- http://127.0.0.1:8080/healthz || exit 1\" \
                --health-interval 30s` (a probe of the service itself), or a `HEALTHCHECK` in its \
                image's Dockerfile",
            Fix::EnableHealthcheck => "drop `--no-healthcheck` and use the image's check or a `--health-cmd` \
                that probes the service, unless an orchestrator probe checks health",
            Fix::BoundRestarts => "bound the retries: `--restart on-failure:5`, and alert on stopped containers",
            Fix::AppArmorProfileInstead => " so the `docker-default` profile applies, or name a profile written for this \
                container (`--security-opt apparmor=<profile>`)",
            Fix::DropAllCapsSetting => "`--cap-drop=ALL`",
            Fix::AddBackNeededCaps => "then add back with `--cap-add` only what it needs (usually nothing; \
                `NET_BIND_SERVICE` for a port below 1024)",
            Fix::DropAllCaps => "add `--cap-drop=ALL` to the command",
            Fix::NoNewPrivilegesInstead => "; add `--security-opt no-new-privileges` instead",
            Fix::SetNoNewPrivileges => "add `--security-opt no-new-privileges` to the command",
            Fix::GrantNarrowlyInstead => "; grant only what the container needs: one capability with `--cap-add` (after \
                `--cap-drop=ALL`), one device with `--device`",
            Fix::SeccompProfileInstead => " so Docker's default profile applies; if one blocked system call is needed, allow \
                just that one in a copy of the default profile and use `--security-opt \
                seccomp=./profile.json`",
            Fix::ResourceLimitSettings => "`--memory`, `--cpus`, `--pids-limit`",
            Fix::SysctlSetting => "`--sysctl`",
            Fix::DefaultCgroupParent => "drop `--cgroup-parent` so the engine's default parent applies (or use a slice \
                created for this container, with its own limits)",
            Fix::LimitCpu => "cap it at the CPU it needs at peak: `--cpus 1`",
            Fix::BoundSwap => "set `--memory-swap` equal to `--memory` (no swap) or to a bounded \
                size larger than it",
            Fix::RaiseMemoryLimit => "give `{key}` a real limit based on the container's peak use, e.g. \
                `--memory 512m --memory-swap 512m`",
            Fix::AddMemoryLimit => "add `--memory 512m --memory-swap 512m`, sized from the container's peak use \
                (`docker stats`)",
            Fix::RaisePidsLimit => "set `{key}` to a positive bound above the container's normal process \
                count, e.g. `--pids-limit 200`",
            Fix::AddPidsLimit => "add `--pids-limit 200`, above the container's normal process and thread \
                count",
            Fix::RemoveUlimit => "remove the `--ulimit` flag",
            Fix::BoundMemlock => "add `--memory` so locked pages stay within the container's own budget (e.g. \
                `--memory 2g`), or remove the `--ulimit memlock`",
            Fix::NoSharedPropagation { prop } => {
                return format!(
                    "remove `{prop}` from the mount (default `rprivate`); use `rslave` \
                     (`bind-propagation=rslave` in `--mount`) if the container must see mounts \
                     the host makes later"
                )
            }
            Fix::MountReadOnly { shown, target } => {
                return format!("`-v {shown}:{target}:ro` (or `readonly` in `--mount`)")
            }
            Fix::SecretChannel => "a secret file mounted read-only from a dedicated directory",
            Fix::BindToAddress { local, .. } => {
                return format!(
                    "bind it to the address that should reach it: `-p {local}`, or a specific \
                     LAN/public address"
                )
            }
            Fix::PinImage { pinned, inspect, .. } => {
                return format!("run `{pinned}` instead ({inspect})")
            }
            Fix::SecretExposure => {
                "it is written into the command (shell history, scripts, CI logs, `ps` output) and \
                 readable by anyone who can `docker inspect` the container"
            }
            Fix::SecretToFile { name, secret_id } => {
                return format!(
                    "keep the value out of the command: mount it as a file (`-v \
                     ./{secret_id}.txt:/run/secrets/{secret_id}:ro`) and point `{name}_FILE` at it, or at \
                     least pass it with `--env-file` kept out of version control or `-e {name}` (no \
                     value); rotate the exposed value"
                )
            }
        }
        .to_string()
    }

    fn unnetworked_joins_default_bridge(&self) -> bool {
        true
    }

    fn shell_expands_values(&self) -> bool {
        true
    }
}
