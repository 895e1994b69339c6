//! What the CIS benchmark (`plimsoll_live::bench`) reads from the engine, taken out of the
//! Engine API's models: the container list that picks what to audit, each audited container's
//! name and ports, each image's healthcheck, the parts of `info` and of the networks that
//! sections 5–7 decide from. The decisions themselves are pure and live in `plimsoll-live`.

mod container_list;

use bollard::models::{ImageInspect, LocalNodeState, Network, SystemInfo};
use plimsoll_core::Finding;
use plimsoll_live::bench::{AuditedContainer, BenchImage, BenchNetwork, EngineInfo};
use plimsoll_runspec::RunSpec;

/// The label that keeps a container or image out of `plimsoll bench` (any value): set it on
/// plimsoll's own container when it runs in one.
pub const IGNORE_LABEL: &str = "plimsoll.bench.ignore";

/// One audited container, for the benchmark: its name, its published ports as written and
/// the findings the RS rules raised on it.
pub fn audited_container<'a>(spec: &'a RunSpec, findings: &'a [Finding]) -> AuditedContainer<'a> {
    AuditedContainer {
        name: &spec.name,
        ports: spec
            .ports
            .iter()
            .map(|p| p.origin.written.as_str())
            .collect(),
        findings,
    }
}

/// What 4.6 needs of an inspected image: its name (first `repo:tag`, else short id) and
/// whether it defines a healthcheck other than `NONE`.
pub fn bench_image(inspect: &ImageInspect) -> BenchImage {
    let name = inspect
        .repo_tags
        .as_ref()
        .and_then(|t| t.iter().find(|t| !t.is_empty() && *t != "<none>:<none>"))
        .cloned()
        .unwrap_or_else(|| {
            crate::map::short_id(inspect.id.as_deref().unwrap_or_default()).to_string()
        });
    let healthcheck = inspect
        .config
        .as_ref()
        .and_then(|c| c.healthcheck.as_ref())
        .and_then(|h| h.test.as_ref())
        .and_then(|t| t.first())
        .is_some_and(|t| t != "NONE");
    BenchImage { name, healthcheck }
}

/// What sections 5–7 read of the engine's `info`: security options, container counts and the
/// swarm's state (missing numbers count as 0, a missing swarm as inactive).
pub fn engine_info(info: &SystemInfo) -> EngineInfo {
    let swarm = info.swarm.as_ref();
    EngineInfo {
        security_options: info.security_options.clone().unwrap_or_default(),
        containers: info.containers.unwrap_or(0),
        containers_running: info.containers_running.unwrap_or(0),
        swarm_active: matches!(
            swarm.and_then(|s| s.local_node_state),
            Some(LocalNodeState::ACTIVE | LocalNodeState::PENDING | LocalNodeState::LOCKED)
        ),
        managers: swarm.and_then(|s| s.managers).unwrap_or(0),
        autolock: swarm
            .and_then(|s| s.cluster.as_ref())
            .and_then(|c| c.spec.as_ref())
            .and_then(|s| s.encryption_config.as_ref())
            .and_then(|e| e.auto_lock_managers)
            .unwrap_or(false),
    }
}

/// What 7.3 reads of the networks: name, scope, overlay or not, encrypted or not.
pub fn bench_networks(networks: &[Network]) -> Vec<BenchNetwork> {
    networks
        .iter()
        .map(|n| BenchNetwork {
            name: n.name.clone().unwrap_or_default(),
            scope: n.scope.clone().unwrap_or_default(),
            overlay: n.driver.as_deref() == Some("overlay"),
            encrypted: n
                .options
                .as_ref()
                .is_some_and(|o| o.contains_key("encrypted")),
        })
        .collect()
}
