//! What only an existing container can tell: status, the AppArmor profile the engine
//! actually applied, its processes (from `top`, never `docker exec`), OOM kills, restarts,
//! health, attached networks, and the image's registry digests and own defaults.

use bollard::models::{
    ContainerInspectResponse, ContainerTopResponse, HealthStatusEnum, ImageInspect,
};
use plimsoll_core::Location;
use plimsoll_runspec::{ImageFacts, Origin, RuntimeState, Sourced, Via};

use super::{EngineFacts, Src};

/// At most this many processes are kept from one `top` answer.
const MAX_PROCESSES: usize = 4096;

pub(super) fn runtime_state(
    c: &ContainerInspectResponse,
    image: Option<&ImageInspect>,
    top: Option<&ContainerTopResponse>,
    facts: &EngineFacts,
    src: &Src,
) -> RuntimeState {
    let st = c.state.clone().unwrap_or_default();
    let mut networks: Vec<String> = c
        .network_settings
        .as_ref()
        .and_then(|n| n.networks.as_ref())
        .map(|n| n.keys().cloned().collect())
        .unwrap_or_default();
    networks.sort();
    RuntimeState {
        status: st.status.map(|s| s.to_string()).unwrap_or_default(),
        apparmor_profile: c
            .app_armor_profile
            .as_ref()
            .map(|p| src.sourced(p.clone(), "AppArmorProfile", format!("AppArmorProfile={p}"))),
        engine_security_options: facts.security_options.clone(),
        daemon_no_new_privileges: facts.daemon_no_new_privileges,
        processes: top.map(|t| processes(t, src)).unwrap_or_default(),
        oom_killed: st
            .oom_killed
            .map(|b| src.sourced(b, "State.OOMKilled", format!("State.OOMKilled={b}"))),
        restart_count: c
            .restart_count
            .map(|n| src.sourced(n, "RestartCount", format!("RestartCount={n}"))),
        health: st.health.and_then(|h| h.status).and_then(|s| match s {
            HealthStatusEnum::EMPTY | HealthStatusEnum::NONE => None,
            s => {
                let s = s.to_string();
                Some(src.sourced(
                    s.clone(),
                    "State.Health.Status",
                    format!("State.Health.Status={s}"),
                ))
            }
        }),
        networks: networks
            .into_iter()
            .map(|n| {
                src.sourced(
                    n.clone(),
                    "NetworkSettings.Networks",
                    format!("NetworkSettings.Networks.{n}"),
                )
            })
            .collect(),
        repo_digests: image
            .and_then(|i| i.repo_digests.clone())
            .unwrap_or_default(),
    }
}

/// Each `top` row as its command line, with the PID in the evidence. Columns are found by
/// title (`ps` options decide them; Windows hosts answer differently).
fn processes(top: &ContainerTopResponse, src: &Src) -> Vec<Sourced<String>> {
    let titles = top.titles.as_deref().unwrap_or_default();
    let col = |names: &[&str]| {
        titles
            .iter()
            .position(|t| names.iter().any(|n| t.eq_ignore_ascii_case(n)))
    };
    let Some(cmd_col) = col(&["CMD", "COMMAND", "ARGS", "Name"]) else {
        return Vec::new();
    };
    let pid_col = col(&["PID"]);
    top.processes
        .iter()
        .flatten()
        .take(MAX_PROCESSES)
        .filter_map(|row| {
            let cmd = row.get(cmd_col)?.clone();
            let pid = pid_col.and_then(|i| row.get(i)).map(String::as_str);
            let written = match pid {
                Some(p) => format!("top: PID {p} {cmd}"),
                None => format!("top: {cmd}"),
            };
            Some(src.sourced(cmd, "top", written))
        })
        .collect()
}

/// The image's own defaults, for rules that judge a container by what its image does when
/// the container does not say: its `USER` (`Some("")` = root) and whether it defines a
/// `HEALTHCHECK` (`Test: ["NONE"]` is none).
pub fn image_facts(image: &ImageInspect, reference: &str) -> ImageFacts {
    let id = image.id.as_deref().unwrap_or_default();
    let path = if reference.is_empty() {
        format!("image:{}", super::short_id(id))
    } else {
        format!("image:{reference}")
    };
    let origin = |field: &str, written: String| {
        Origin::new(
            Location::file(path.clone()),
            written,
            Via::Inspect(field.to_string()),
        )
    };
    let Some(config) = &image.config else {
        return ImageFacts::default();
    };
    let user = config.user.clone().unwrap_or_default();
    let test = config
        .healthcheck
        .as_ref()
        .and_then(|h| h.test.clone())
        .unwrap_or_default();
    let has_check = test.first().is_some_and(|t| t != "NONE");
    ImageFacts {
        user: Some(Sourced::new(
            user.clone(),
            origin("Config.User", format!("image Config.User={user:?}")),
        )),
        healthcheck: Some(Sourced::new(
            has_check,
            origin(
                "Config.Healthcheck",
                if has_check {
                    format!(
                        "image Config.Healthcheck.Test={}",
                        serde_json::to_string(&test).unwrap_or_default()
                    )
                } else if test.is_empty() {
                    "image Config.Healthcheck not set".to_string()
                } else {
                    "image Config.Healthcheck.Test=[\"NONE\"]".to_string()
                },
            ),
        )),
    }
}
