//! Resource limits: memory, CPU, pids (the legacy keys and `deploy.resources`), `ulimits`,
//! `sysctls`.
//!
//! docker compose (pkg/compose/create.go `getDeployResources`) starts from `mem_limit`,
//! `cpus`, `pids_limit`, `mem_reservation`, then lets a non-zero
//! `deploy.resources.limits.{memory,cpus,pids}` / `reservations.memory` replace them;
//! compose-go refuses two different values for the same limit. Here the deploy value wins and
//! a difference is a warning.

use super::read::Mapper;
use crate::compose::Diagnostic;
use crate::fields::Field;
use crate::model::{RunSpec, Sourced, Ulimit};
use crate::yaml::Node;

pub(super) fn map(m: &mut Mapper, svc: &Node, spec: &mut RunSpec) -> Result<(), Diagnostic> {
    spec.memory = bytes(m, svc, "", Field::Memory.compose())?;
    spec.memory_swap = bytes(m, svc, "", Field::MemorySwap.compose())?;
    spec.memory_reservation = bytes(m, svc, "", Field::MemoryReservation.compose())?;
    spec.oom_kill_disable = m.bool_setting(svc, Field::OomKillDisable)?;
    if let Some(node) = svc.get(Field::Cpus.compose()) {
        if let Some(cpus) = m.float(node, Field::Cpus.compose())? {
            spec.cpus = Some(m.sourced(cpus, node, Field::Cpus.compose()));
        }
    }
    spec.cpu_shares = int(m, svc, "", Field::CpuShares.compose())?;
    spec.cpu_quota = int(m, svc, "", Field::CpuQuota.compose())?;
    spec.cpu_period = int(m, svc, "", Field::CpuPeriod.compose())?;
    spec.cpuset_cpus = m
        .string_setting(svc, Field::CpusetCpus)?
        .filter(|s| !s.value.is_empty());
    // compose passes `pids_limit` on only when it is not 0.
    spec.pids_limit = int(m, svc, "", Field::PidsLimit.compose())?.filter(|p| p.value != 0);
    deploy(m, svc, spec)?;
    if let Some(node) = svc.get(Field::Ulimits.compose()) {
        ulimits(m, node, spec)?;
    }
    if let Some(node) = svc.get(Field::Sysctls.compose()) {
        for entry in m.list_or_dict(
            node,
            Field::Sysctls.compose(),
            "`sysctls: {net.core.somaxconn: 1024}`",
        )? {
            let value = entry.value.unwrap_or_default();
            let written = format!("sysctls: {}={value}", entry.name);
            let origin = m.origin(entry.node, &entry.via, written);
            spec.sysctls.push(Sourced::new((entry.name, value), origin));
        }
    }
    Ok(())
}

/// `deploy.resources.limits` and `reservations.memory`.
fn deploy(m: &mut Mapper, svc: &Node, spec: &mut RunSpec) -> Result<(), Diagnostic> {
    let Some(deploy) = svc.get("deploy") else {
        return Ok(());
    };
    if m.map(
        deploy,
        "deploy",
        "`deploy: {resources: {limits: {memory: 512m}}}`",
    )?
    .is_none()
    {
        return Ok(());
    }
    let Some(resources) = deploy.get("resources") else {
        return Ok(());
    };
    if m.map(
        resources,
        "deploy.resources",
        "`resources: {limits: {memory: 512m}}`",
    )?
    .is_none()
    {
        return Ok(());
    }
    if let Some(limits) = resources.get("limits") {
        let via = "deploy.resources.limits";
        if m.map(
            limits,
            via,
            "`limits: {memory: 512m, cpus: 0.5, pids: 100}`",
        )?
        .is_some()
        {
            if let Some(memory) = bytes(m, limits, via, "memory")?.filter(|s| s.value != 0) {
                conflict(m, &spec.memory, &memory, |a, b| a == b);
                spec.memory = Some(memory);
            }
            if let Some(node) = limits.get("cpus") {
                let cpus_via = format!("{via}.cpus");
                if let Some(cpus) = m.float(node, &cpus_via)?.filter(|c| *c != 0.0) {
                    let cpus = m.sourced(cpus, node, &cpus_via);
                    // compose-go compares them as float32.
                    conflict(m, &spec.cpus, &cpus, |a, b| (*a as f32) == (*b as f32));
                    spec.cpus = Some(cpus);
                }
            }
            if let Some(pids) = int(m, limits, via, "pids")?.filter(|s| s.value > 0) {
                conflict(m, &spec.pids_limit, &pids, |a, b| a == b);
                spec.pids_limit = Some(pids);
            }
        }
    }
    if let Some(reservations) = resources.get("reservations") {
        let via = "deploy.resources.reservations";
        if m.map(reservations, via, "`reservations: {memory: 256m}`")?
            .is_some()
        {
            if let Some(memory) = bytes(m, reservations, via, "memory")?.filter(|s| s.value != 0) {
                conflict(m, &spec.memory_reservation, &memory, |a, b| a == b);
                spec.memory_reservation = Some(memory);
            }
        }
    }
    Ok(())
}

/// Warns when a legacy key and its `deploy.resources` twin disagree.
fn conflict<T>(
    m: &mut Mapper,
    legacy: &Option<Sourced<T>>,
    deploy: &Sourced<T>,
    same: impl Fn(&T, &T) -> bool,
) {
    let Some(legacy) = legacy else { return };
    if same(&legacy.value, &deploy.value) {
        return;
    }
    let message = format!(
        "services.{}: `{}` and `{}` set different values; docker compose refuses this, the `deploy` value is used here",
        m.name, legacy.origin.written, deploy.origin.written
    );
    m.push_warning(Diagnostic {
        path: deploy.origin.location.path.clone(),
        span: deploy.origin.location.span,
        message,
        hint: Some("keep one of the two".to_string()),
    });
}

/// `prefix.key`, or `key` at the service level.
fn via_of(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// A byte size at `key` of `parent` (which is at `prefix`).
fn bytes(
    m: &Mapper,
    parent: &Node,
    prefix: &str,
    key: &str,
) -> Result<Option<Sourced<i64>>, Diagnostic> {
    number_at(m, parent, prefix, key, |m, n, via| m.bytes(n, via))
}

/// An integer at `key` of `parent` (which is at `prefix`).
fn int(
    m: &Mapper,
    parent: &Node,
    prefix: &str,
    key: &str,
) -> Result<Option<Sourced<i64>>, Diagnostic> {
    number_at(m, parent, prefix, key, |m, n, via| m.int(n, via))
}

/// The number at `key` of `parent` (which is at `prefix`) as `read` takes it, with its origin.
fn number_at(
    m: &Mapper,
    parent: &Node,
    prefix: &str,
    key: &str,
    read: impl Fn(&Mapper, &Node, &str) -> Result<Option<i64>, Diagnostic>,
) -> Result<Option<Sourced<i64>>, Diagnostic> {
    let Some(node) = parent.get(key) else {
        return Ok(None);
    };
    let via = via_of(prefix, key);
    Ok(read(m, node, &via)?.map(|v| m.sourced(v, node, &via)))
}

/// `ulimits: {nproc: 65535, nofile: {soft: 20000, hard: 40000}}`: a single number sets both
/// limits (docker compose `toUlimits`).
fn ulimits(m: &mut Mapper, node: &Node, spec: &mut RunSpec) -> Result<(), Diagnostic> {
    let example = "`ulimits: {nofile: {soft: 20000, hard: 40000}}`";
    for (key, value) in m
        .map(node, Field::Ulimits.compose(), example)?
        .unwrap_or_default()
    {
        let name = m.key(key, Field::Ulimits.compose())?;
        let via = format!("ulimits.{name}");
        let (soft, hard) = if value.as_map().is_some() {
            let limit = |m: &Mapper, which: &str| -> Result<i64, Diagnostic> {
                let field_via = format!("{via}.{which}");
                match value.get(which).map(|n| m.int(n, &field_via)).transpose()?.flatten() {
                    Some(v) => Ok(v),
                    None => Err(m.bad_value(
                        value,
                        &via,
                        &format!("has no `{which}` limit"),
                        &format!("write both: `{name}: {{soft: 1024, hard: 2048}}`, or one number for both"),
                    )),
                }
            };
            (limit(m, "soft")?, limit(m, "hard")?)
        } else {
            match m.int(value, &via)? {
                Some(v) => (v, v),
                None => continue,
            }
        };
        let ulimit = Ulimit {
            name: name.to_string(),
            soft,
            hard,
        };
        spec.ulimits.push(m.sourced(ulimit, value, &via));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{map, map_err};
    use crate::model::{Ulimit, Via};

    #[test]
    fn legacy_limits() {
        let (spec, warnings) = map(r#"
            services:
              db:
                mem_limit: 512m
                memswap_limit: -1
                mem_reservation: "268435456"
                oom_kill_disable: true
                cpus: "0.5"
                cpu_shares: 512
                cpu_quota: "50000"
                cpu_period: 100000
                cpuset: "0,1"
                pids_limit: "100"
            "#);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(spec.memory.as_ref().unwrap().value, 512 << 20);
        assert_eq!(spec.memory.unwrap().origin.written, "mem_limit: 512m");
        assert_eq!(spec.memory_swap.unwrap().value, -1);
        assert_eq!(spec.memory_reservation.unwrap().value, 268_435_456);
        assert!(spec.oom_kill_disable.unwrap().value);
        assert_eq!(spec.cpus.unwrap().value, 0.5);
        assert_eq!(spec.cpu_shares.unwrap().value, 512);
        assert_eq!(spec.cpu_quota.unwrap().value, 50_000);
        assert_eq!(spec.cpu_period.unwrap().value, 100_000);
        assert_eq!(spec.cpuset_cpus.unwrap().value, "0,1");
        assert_eq!(spec.pids_limit.unwrap().value, 100);
    }

    #[test]
    fn deploy_limits_win_over_legacy_keys() {
        let (spec, warnings) = map(r#"
            services:
              db:
                mem_limit: 1g
                deploy:
                  resources:
                    limits:
                      memory: 512M
                      cpus: '0.25'
                      pids: 64
                    reservations:
                      memory: 128M
            "#);
        let memory = spec.memory.unwrap();
        assert_eq!(memory.value, 512 << 20);
        assert_eq!(
            memory.origin.via,
            Via::Compose("deploy.resources.limits.memory".into())
        );
        assert_eq!(
            memory.origin.written,
            "deploy.resources.limits.memory: 512M"
        );
        assert_eq!(spec.cpus.unwrap().value, 0.25);
        assert_eq!(spec.pids_limit.unwrap().value, 64);
        assert_eq!(spec.memory_reservation.unwrap().value, 128 << 20);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].message.contains("set different values"),
            "{warnings:?}"
        );
    }

    #[test]
    fn zero_pids_limit_is_not_passed_on() {
        let (spec, _) = map("services:\n  db:\n    pids_limit: 0\n");
        assert!(spec.pids_limit.is_none());
        let (spec, _) = map("services:\n  db:\n    pids_limit: -1\n");
        assert_eq!(spec.pids_limit.unwrap().value, -1);
    }

    #[test]
    fn bad_sizes_and_numbers() {
        let err = map_err("services:\n  db:\n    mem_limit: lots\n");
        assert!(
            err.message
                .starts_with("services.db.mem_limit: a string (`lots`) is not a size"),
            "{err:?}"
        );
        assert_eq!(err.span.unwrap().start.line, 3);
        let err = map_err("services:\n  db:\n    deploy:\n      resources:\n        limits:\n          memory: 1x\n");
        assert!(
            err.message
                .contains("services.db.deploy.resources.limits.memory"),
            "{err:?}"
        );
        let err = map_err("services:\n  db:\n    cpus: half\n");
        assert!(err.message.contains("is not a number"), "{err:?}");
        let err = map_err("services:\n  db:\n    pids_limit: 1.5\n");
        assert!(err.message.contains("is not a whole number"), "{err:?}");
        let err = map_err("services:\n  db:\n    deploy: [x]\n");
        assert!(
            err.message.contains("services.db.deploy must be a mapping"),
            "{err:?}"
        );
    }

    #[test]
    fn ulimits_and_sysctls() {
        let (spec, _) = map(r#"
            services:
              db:
                ulimits:
                  nproc: 65535
                  nofile:
                    soft: "20000"
                    hard: 40000
                sysctls:
                  net.core.somaxconn: 1024
                  net.ipv4.ip_forward:
            "#);
        let ulimits: Vec<_> = spec.ulimits.iter().map(|u| u.value.clone()).collect();
        assert_eq!(
            ulimits,
            [
                Ulimit {
                    name: "nproc".into(),
                    soft: 65535,
                    hard: 65535
                },
                Ulimit {
                    name: "nofile".into(),
                    soft: 20000,
                    hard: 40000
                },
            ]
        );
        assert_eq!(spec.ulimits[0].origin.written, "ulimits.nproc: 65535");
        let sysctls: Vec<_> = spec.sysctls.iter().map(|s| s.value.clone()).collect();
        assert_eq!(
            sysctls,
            [
                ("net.core.somaxconn".to_string(), "1024".to_string()),
                ("net.ipv4.ip_forward".to_string(), String::new()),
            ]
        );
        assert_eq!(
            spec.sysctls[0].origin.written,
            "sysctls: net.core.somaxconn=1024"
        );

        let (spec, _) = map("services:\n  db:\n    sysctls: [\"net.core.somaxconn=1024\"]\n");
        assert_eq!(spec.sysctls[0].value.1, "1024");

        let err = map_err("services:\n  db:\n    ulimits:\n      nofile: {soft: 1}\n");
        assert!(err.message.contains("no `hard` limit"), "{err:?}");
        let err = map_err("services:\n  db:\n    ulimits: [nofile]\n");
        assert!(
            err.message
                .contains("services.db.ulimits must be a mapping"),
            "{err:?}"
        );
    }
}
