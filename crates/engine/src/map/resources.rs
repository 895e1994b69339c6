//! Limits and operations: memory, CPU, pids, ulimits, devices, sysctls, read-only root,
//! restart policy, healthcheck, environment, logging, init, runtime.
//!
//! Inspect's zero values mean "not set": Memory `0` (no limit), PidsLimit `0`, `-1` or null
//! (no limit; the engine normalises `--pids-limit -1` to 0 or null), NanoCpus/CpuShares/
//! CpuQuota/CpuPeriod `0`, MemorySwap `0`. `--cpus` sets NanoCpus; `--cpu-quota` and
//! `--cpu-period` are their own fields; `--cpu-shares` is a weight, not a limit.

use bollard::models::{
    ContainerConfig, HealthConfig, HostConfig, ImageInspect, RestartPolicyNameEnum,
};
use plimsoll_runspec::{Device, EnvFrom, EnvVar, Healthcheck, RestartPolicy, RunSpec, Ulimit};

use super::Src;
use plimsoll_runspec::fields::Field;

pub(super) fn map(
    spec: &mut RunSpec,
    src: &Src,
    hc: &HostConfig,
    config: &ContainerConfig,
    image: Option<&ImageInspect>,
) {
    let positive = |v: Option<i64>| v.filter(|n| *n > 0);
    if let Some(m) = positive(hc.memory) {
        spec.memory = Some(src.field(m, Field::Memory, m));
    }
    // With `--memory` alone the engine sets MemorySwap to twice the memory: a derived default,
    // not a setting.
    let derived_swap = hc.memory.filter(|m| *m > 0).map(|m| m.saturating_mul(2));
    if let Some(m) = hc
        .memory_swap
        .filter(|n| *n != 0 && Some(*n) != derived_swap)
    {
        spec.memory_swap = Some(src.field(m, Field::MemorySwap, m));
    }
    if let Some(m) = positive(hc.memory_reservation) {
        spec.memory_reservation = Some(src.field(m, Field::MemoryReservation, m));
    }
    if hc.oom_kill_disable == Some(true) {
        spec.oom_kill_disable = Some(src.field(true, Field::OomKillDisable, "true"));
    }
    if let Some(n) = positive(hc.nano_cpus) {
        spec.cpus = Some(src.field(n as f64 / 1e9, Field::Cpus, n));
    }
    for (field, value, out) in [
        (Field::CpuShares, hc.cpu_shares, &mut spec.cpu_shares),
        (Field::CpuQuota, hc.cpu_quota, &mut spec.cpu_quota),
        (Field::CpuPeriod, hc.cpu_period, &mut spec.cpu_period),
        (Field::PidsLimit, hc.pids_limit, &mut spec.pids_limit),
    ] {
        if let Some(v) = positive(value) {
            *out = Some(src.field(v, field, v));
        }
    }
    if let Some(c) = hc.cpuset_cpus.as_deref().filter(|c| !c.is_empty()) {
        spec.cpuset_cpus = Some(src.field(c.to_string(), Field::CpusetCpus, c));
    }
    for u in hc.ulimits.iter().flatten() {
        let name = u.name.clone().unwrap_or_default();
        let (soft, hard) = (u.soft.unwrap_or_default(), u.hard.unwrap_or_default());
        spec.ulimits.push(src.sourced(
            Ulimit {
                name: name.clone(),
                soft,
                hard,
            },
            "HostConfig.Ulimits",
            format!("HostConfig.Ulimits=[{name}={soft}:{hard}]"),
        ));
    }
    for d in hc.devices.iter().flatten() {
        let host_path = d.path_on_host.clone().unwrap_or_default();
        let container_path = d.path_in_container.clone().filter(|p| !p.is_empty());
        let permissions = d.cgroup_permissions.clone().filter(|p| !p.is_empty());
        let written = format!(
            "HostConfig.Devices=[{host_path}:{}:{}]",
            container_path.as_deref().unwrap_or(&host_path),
            permissions.as_deref().unwrap_or("rwm")
        );
        spec.devices.push(src.sourced(
            Device {
                host_path,
                container_path,
                permissions,
            },
            "HostConfig.Devices",
            written,
        ));
    }
    for r in hc.device_cgroup_rules.iter().flatten() {
        spec.device_cgroup_rules.push(src.field(
            r.clone(),
            Field::DeviceCgroupRules,
            format!("[{r}]"),
        ));
    }
    let gpus: Vec<String> = hc
        .device_requests
        .iter()
        .flatten()
        .map(|r| match (&r.device_ids, r.count) {
            (Some(ids), _) if !ids.is_empty() => format!("device={}", ids.join(",")),
            (_, Some(-1)) => "all".to_string(),
            (_, Some(n)) => n.to_string(),
            _ => "all".to_string(),
        })
        .collect();
    if !gpus.is_empty() {
        let v = gpus.join(";");
        spec.gpus = Some(src.field(v.clone(), Field::Gpus, format!("[{v}]")));
    }
    let mut sysctls: Vec<(&String, &String)> = hc.sysctls.iter().flatten().collect();
    sysctls.sort();
    for (k, v) in sysctls {
        spec.sysctls.push(src.sourced(
            (k.clone(), v.clone()),
            "HostConfig.Sysctls",
            format!("HostConfig.Sysctls={k}={v}"),
        ));
    }

    if hc.readonly_rootfs == Some(true) {
        spec.read_only = Some(src.field(true, Field::ReadOnly, "true"));
    }
    if let Some(rp) = &hc.restart_policy {
        let count = rp.maximum_retry_count.unwrap_or_default();
        let policy = match rp.name {
            None | Some(RestartPolicyNameEnum::EMPTY) => None,
            Some(RestartPolicyNameEnum::NO) => Some((RestartPolicy::No, "no".to_string())),
            Some(RestartPolicyNameEnum::ALWAYS) => {
                Some((RestartPolicy::Always, "always".to_string()))
            }
            Some(RestartPolicyNameEnum::UNLESS_STOPPED) => {
                Some((RestartPolicy::UnlessStopped, "unless-stopped".to_string()))
            }
            Some(RestartPolicyNameEnum::ON_FAILURE) => Some((
                RestartPolicy::OnFailure {
                    max_retries: u32::try_from(count).ok().filter(|n| *n > 0),
                },
                format!("on-failure, MaximumRetryCount={count}"),
            )),
        };
        if let Some((p, shown)) = policy {
            spec.restart = Some(src.field(p, Field::Restart, shown));
        }
    }
    if let Some(h) = &config.healthcheck {
        if let Some((check, shown)) = healthcheck(h) {
            spec.healthcheck = Some(src.sourced(check, "Config.Healthcheck", shown));
        }
    }

    // Config.Env is the image's ENV merged with the container's own: keep only what the
    // container added or changed (the image's ENV is the Dockerfile audit's business).
    let image_env: Vec<&str> = image
        .and_then(|i| i.config.as_ref())
        .and_then(|c| c.env.as_ref())
        .map(|e| e.iter().map(String::as_str).collect())
        .unwrap_or_default();
    for entry in config.env.iter().flatten() {
        if image_env.contains(&entry.as_str()) {
            continue;
        }
        let (name, value) = match entry.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (entry.clone(), None),
        };
        if name.is_empty() {
            continue;
        }
        spec.environment.push(src.sourced(
            EnvVar {
                name: name.clone(),
                value,
                from: EnvFrom::Engine,
            },
            "Config.Env",
            // The value is not quoted here: it may be a secret. Rules redact what they show.
            format!("Config.Env=[{name}=…]"),
        ));
    }

    if let Some(log) = &hc.log_config {
        if let Some(t) = log.typ.as_deref().filter(|t| !t.is_empty()) {
            spec.log_driver = Some(src.field(t.to_string(), Field::LogDriver, t));
        }
        let mut opts: Vec<(&String, &String)> = log.config.iter().flatten().collect();
        opts.sort();
        for (k, v) in opts {
            spec.log_opts.push(src.sourced(
                (k.clone(), v.clone()),
                "HostConfig.LogConfig.Config",
                format!("HostConfig.LogConfig.Config={k}={v}"),
            ));
        }
    }
    if let Some(b) = hc.init {
        spec.init = Some(src.field(b, Field::Init, b));
    }
    if let Some(r) = hc.runtime.as_deref().filter(|r| !r.is_empty()) {
        spec.runtime = Some(src.field(r.to_string(), Field::Runtime, r));
    }
}

/// `Config.Healthcheck` → the model and its evidence. `Test: ["NONE"]` disables the image's
/// check; an empty `Test` with timings keeps the image's test.
fn healthcheck(h: &HealthConfig) -> Option<(Healthcheck, String)> {
    let test = h.test.clone().filter(|t| !t.is_empty());
    if test.as_deref().and_then(|t| t.first()).map(String::as_str) == Some("NONE") {
        return Some((
            Healthcheck::Disabled,
            "Config.Healthcheck.Test=[NONE]".to_string(),
        ));
    }
    let dur = |ns: Option<i64>| ns.filter(|n| *n > 0).map(go_duration);
    let (interval, timeout, start_period) = (dur(h.interval), dur(h.timeout), dur(h.start_period));
    let retries = h
        .retries
        .and_then(|r| u32::try_from(r).ok())
        .filter(|r| *r > 0);
    if test.is_none()
        && interval.is_none()
        && timeout.is_none()
        && start_period.is_none()
        && retries.is_none()
    {
        return None;
    }
    let check = Healthcheck::Check {
        test: test.clone(),
        interval,
        timeout,
        retries,
        start_period,
    };
    let shown = match &test {
        Some(t) => format!(
            "Config.Healthcheck.Test={}",
            serde_json::to_string(t).unwrap_or_default()
        ),
        None => "Config.Healthcheck (timings only)".to_string(),
    };
    Some((check, shown))
}

/// Nanoseconds as Go prints a `time.Duration` for whole units: `30s`, `1m30s`, `1h0m0s`,
/// `500ms`.
fn go_duration(ns: i64) -> String {
    let ms = ns / 1_000_000;
    if ns % 1_000_000_000 != 0 {
        return if ns % 1_000_000 == 0 {
            format!("{ms}ms")
        } else {
            format!("{}s", ns as f64 / 1e9)
        };
    }
    let s = ns / 1_000_000_000;
    let (h, m, s) = (s / 3600, (s % 3600) / 60, s % 60);
    if h > 0 {
        format!("{h}h{m}m{s}s")
    } else if m > 0 {
        format!("{m}m{s}s")
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_go() {
        assert_eq!(go_duration(30_000_000_000), "30s");
        assert_eq!(go_duration(90_000_000_000), "1m30s");
        assert_eq!(go_duration(3_600_000_000_000), "1h0m0s");
        assert_eq!(go_duration(500_000_000), "500ms");
    }

    #[test]
    fn healthchecks() {
        let none = HealthConfig {
            test: Some(vec!["NONE".into()]),
            ..Default::default()
        };
        assert_eq!(healthcheck(&none).map(|h| h.0), Some(Healthcheck::Disabled));
        let cmd = HealthConfig {
            test: Some(vec!["CMD".into(), "true".into()]),
            interval: Some(5_000_000_000),
            retries: Some(3),
            ..Default::default()
        };
        let (h, shown) = healthcheck(&cmd).unwrap_or((Healthcheck::Disabled, String::new()));
        assert_eq!(
            h,
            Healthcheck::Check {
                test: Some(vec!["CMD".into(), "true".into()]),
                interval: Some("5s".into()),
                timeout: None,
                retries: Some(3),
                start_period: None
            }
        );
        assert_eq!(shown, r#"Config.Healthcheck.Test=["CMD","true"]"#);
        assert_eq!(healthcheck(&HealthConfig::default()), None);
    }
}
