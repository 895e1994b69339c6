//! A compose service's wording: compose keys, "the service".

use super::{Dialect, Fix};
use crate::model::{Origin, RunSpec};

/// Compose wording.
#[derive(Debug, Clone, Copy, Default)]
pub struct ComposeDialect;

impl Dialect for ComposeDialect {
    fn subject(&self, spec: &RunSpec) -> String {
        format!("service `{}`", spec.name.trim())
    }

    fn remove(&self, origin: &Origin) -> Option<String> {
        Some(super::remove_as_written(origin))
    }

    fn fix(&self, fix: Fix<'_>) -> String {
        match fix {
            Fix::PublishListedPortsOnly => "remove `publish_all` and list the ports that must be reachable under \
                `ports:`, bound to an address (`\"127.0.0.1:8080:80\"`)",
            Fix::JoinUserDefinedNetwork => "remove `network_mode: bridge` so the service joins the project's own network, or \
                attach it to a dedicated network declared under `networks:`",
            Fix::PublishAboveWellKnown => "publish on a host port of 1024 or above (e.g. `\"{t}\"`); if the well-known port \
                must be served, let a proxy or load balancer in front of the service own it",
            Fix::UseUnprivilegedUser => "set `{key}` to an unprivileged numeric user, e.g. `user: \
                \"10001:10001\"`, and make the files it writes owned by that UID",
            Fix::AddUnprivilegedUser => "add `user: \"10001:10001\"` (an unprivileged numeric UID), or end the image's \
                Dockerfile with `USER 10001`",
            Fix::MakeRootReadOnly => "set `read_only: true`; the paths the service writes to need a `tmpfs:` entry or \
                a volume",
            Fix::MakeRootReadOnlyWithTmp => "add `read_only: true` and `tmpfs: [/tmp]` (plus a tmpfs or volume for any other \
                path the service writes to)",
            Fix::SocketProxyInstead => "; if the service only reads container state, point it at a filtering proxy (e.g. \
                tecnativa/docker-socket-proxy allowing only the read endpoints it uses) on an internal \
                network",
            Fix::PrivateCgroupnsInstead => " (or set `cgroup: private`)",
            Fix::ShareIpcWithPeerInstead => "; to share memory with another service use `ipc: shareable` there and \
                `ipc: \"service:<name>\"` here",
            Fix::PublishPortsInstead => "; publish only the needed ports with `ports:` (on 127.0.0.1 for local clients) \
                and connect services through a user-defined network",
            Fix::SharePidWithPeerInstead => "; to share processes with one sidecar use `pid: \"service:<name>\"`",
            Fix::MatchRemappedUidInstead => "; fix bind-mount ownership for the remapped UID instead, or run as a matching \
                non-root `user:`",
            Fix::SetHostnameInstead => "; set a name with `hostname:` if one is needed",
            Fix::KeepLogging => "remove `driver: none` from `logging:` so the daemon's default applies, or use \
                `logging: {driver: local}` (bounded, rotated files) or a driver that ships logs \
                off the host",
            Fix::AddHealthcheck => "add a `healthcheck:` that probes the service itself, e.g. `test: [\"CMD\", \"wget\", \
                \"-qO-\", \"http://127.0.0.1:8080/healthz\"]` with `interval: 30s`, or a \
                `HEALTHCHECK` in its image's Dockerfile",
            Fix::EnableHealthcheck => "remove `disable: true` / `test: [\"NONE\"]` and define a `test:` that \
                probes the service, unless an orchestrator probe checks health",
            Fix::BoundRestarts => "bound the retries: `restart: on-failure:5` (or `deploy: {restart_policy: \
                {condition: on-failure, max_attempts: 5}}`), and alert on stopped containers",
            Fix::AppArmorProfileInstead => " so the `docker-default` profile applies, or name a profile written for this \
                service (`apparmor:<profile>`)",
            Fix::DropAllCapsSetting => "`cap_drop: [ALL]`",
            Fix::AddBackNeededCaps => "then add back with `cap_add` only what it needs (usually nothing; \
                `NET_BIND_SERVICE` for a port below 1024)",
            Fix::DropAllCaps => "set `cap_drop: [ALL]` on the service",
            Fix::NoNewPrivilegesInstead => "; add `no-new-privileges:true` instead",
            Fix::SetNoNewPrivileges => "add `security_opt: [\"no-new-privileges:true\"]` to the service",
            Fix::GrantNarrowlyInstead => "; grant only what the service needs: one capability with `cap_add` (after \
                `cap_drop: [ALL]`), one device with `devices`",
            Fix::SeccompProfileInstead => " so Docker's default profile applies; if one blocked system call is needed, allow \
                just that one in a copy of the default profile and use `seccomp:./profile.json`",
            Fix::ResourceLimitSettings => "`mem_limit`, `cpus`, `pids_limit`",
            Fix::SysctlSetting => "`sysctls:`",
            Fix::DefaultCgroupParent => "delete `cgroup_parent:` so the engine's default parent applies (or use a slice \
                created for this service, with its own limits)",
            Fix::LimitCpu => "cap it at the CPU it needs at peak: `deploy: {resources: {limits: {cpus: \"1.0\"}}}` \
                (or `cpus: 1.0`)",
            Fix::BoundSwap => "set `memswap_limit` equal to the memory limit (no swap) or to a \
                bounded size larger than it",
            Fix::RaiseMemoryLimit => "set `{key}` to a real limit based on the service's peak use, e.g. `512M`, and \
                `memswap_limit` to the same value",
            Fix::AddMemoryLimit => "add a hard limit sized from the service's peak use: `deploy: {resources: \
                {limits: {memory: 512M}}}` (or `mem_limit: 512m`), with `memswap_limit` equal \
                to it",
            Fix::RaisePidsLimit => "set `{key}` to a positive bound above the service's normal process count, \
                e.g. `200`",
            Fix::AddPidsLimit => "add `pids_limit: 200` (or `deploy: {resources: {limits: {pids: 200}}}`), \
                above the service's normal process and thread count",
            Fix::RemoveUlimit => "remove it from `ulimits:`",
            Fix::BoundMemlock => "add a memory limit so locked pages stay within the service's own budget \
                (`deploy: {resources: {limits: {memory: 2G}}}`), or remove the `memlock` \
                entry",
            Fix::NoSharedPropagation { prop } => {
                return format!(
                    "remove `{prop}` from the volume (default `rprivate`); use `rslave` \
                     (`bind: {{propagation: rslave}}` in the long syntax) if the container must \
                     see mounts the host makes later"
                )
            }
            Fix::MountReadOnly { shown, target } => {
                return format!("`{shown}:{target}:ro` (`read_only: true` in the long syntax)")
            }
            Fix::SecretChannel => "compose `secrets:`",
            Fix::BindToAddress { local, ipv6 } => {
                return format!(
                    "bind it to the address that should reach it: `\"{local}\"` (long syntax: \
                     `host_ip: {}`), or a specific LAN/public address",
                    if ipv6 { "\"::1\"" } else { "127.0.0.1" }
                )
            }
            Fix::PinImage { pinned, inspect, .. } => {
                return format!("pin the tested digest: `image: {pinned}` ({inspect})")
            }
            Fix::SecretExposure => {
                "it is committed with the compose file and readable by anyone who can `docker \
                 inspect` the container"
            }
            Fix::SecretToFile { name, secret_id } => {
                return format!(
                    "move it to a compose secret: top-level `secrets: {{{secret_id}: {{file: \
                     ./secrets/{secret_id}.txt}}}}`, `secrets: [{secret_id}]` on the service, and read \
                     `/run/secrets/{secret_id}` (e.g. via `{name}_FILE`) instead of `{name}`; rotate the \
                     exposed value"
                )
            }
        }
        .to_string()
    }
}
