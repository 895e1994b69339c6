//! RS019: no memory limit.

use super::phrasing::{container_name, setting, spec_key};
use crate::dialect::Fix;
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS019",
    name: "no-memory-limit",
    title: "No memory limit",
    severity: Severity::Medium,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when the container may use as much memory as the host has:\n\n\
- no memory limit is set — neither `deploy.resources.limits.memory` nor the legacy \
`mem_limit` in compose, no `-m`/`--memory` on `docker run`, `HostConfig.Memory` 0 on a \
container;\n\
- the limit is set to `0` (or a negative size), which the engine reads as \"unlimited\";\n\
- **high** when, on top of that, `oom_kill_disable: true` / `--oom-kill-disable` switches the \
kernel's OOM killer off for the container: with no limit, the host runs out of memory and \
*other* processes are killed (or the host stalls) instead of the culprit;\n\
- **low**, with a limit in place, when swap is unlimited (`memswap_limit: -1` / \
`--memory-swap -1`): the container can push the host into heavy swapping.\n\n\
A `mem_reservation` / `--memory-reservation` alone does not count: it is a soft target the \
kernel reclaims towards under pressure, not a cap. Unlike KICS (\"Memory Not Limited\", whose \
query only runs when the file has a top-level `version`, so modern version-less files are \
never checked), plimsoll reads both the `deploy` and the legacy keys in every file, and the \
same rule judges `docker run` lines and live containers (CIS 5.11).",
        why: "Memory is shared by every container and the host. One runaway or malicious \
process — a leak, a decompression bomb, a crafted request that makes the application buffer \
without bound, a cryptominer, a fork bomb — can take all of it, and the kernel's OOM killer \
then picks victims across the whole host: the database next door, the Docker daemon, sshd. \
Oliveira and Miers (\"Uma análise de segurança no uso de contêineres Docker em máquinas \
virtuais\", Docker 18.09.6) ran ten containers on one VM and a C fork bomb in one of them: \
without a memory limit it made the platform unusable for every other container and for the \
VM itself; with a 256 MB limit the bomb's container was stopped at its limit and its \
neighbours never noticed. Disabling the OOM killer without a limit turns a memory leak in one \
container into an outage of the host.",
        fix: "Give the service a hard memory limit sized from its observed peak (`docker \
stats`) plus headroom, and the same value for memory+swap so it cannot swap around it. In \
compose: `deploy: {resources: {limits: {memory: 512M}}}` (or `mem_limit: 512m`, plus \
`memswap_limit: 512m`); on `docker run`: `--memory 512m --memory-swap 512m`; for a running \
container: `docker update --memory 512m --memory-swap 512m <name>` (and fix its definition so \
a re-create keeps it).\n\nRemove `oom_kill_disable` unless the container also has a limit — \
on cgroup v2 hosts the engine ignores it anyway.",
        bad: concat!("services:\n", "  web:\n", "    image: nginx:1.27\n"),
        good: concat!(
            "services:\n",
            "  web:\n",
            "    image: nginx:1.27\n",
            "    deploy:\n",
            "      resources:\n",
            "        limits:\n",
            "          memory: 512M\n",
        ),
    },
    references: References {
        cis: &["5.11"],
        kics: &["Memory Not Limited", "bb9ac4f7-e13b-423d-a010-c74a1bfbe492"],
        cwe: &["CWE-770", "CWE-400"],
        links: &[
            "https://docs.docker.com/engine/containers/resource_constraints/#memory",
            "https://docs.docker.com/reference/compose-file/deploy/#resources",
        ],
        ..References::NONE
    },
};

pub struct NoMemoryLimit;

impl Rule<Input<'_>> for NoMemoryLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let who = dialect.subject(spec);
        let limited = spec.memory.as_ref().filter(|m| m.value > 0);
        if let Some(limit) = limited {
            if let Some(swap) = spec.memory_swap.as_ref().filter(|s| s.value < 0) {
                out.push(
                    Finding::new(
                        &META,
                        swap.origin.location.clone(),
                        format!(
                            "{who} limits memory to `{}` but allows unlimited swap \
                             (`{}`): it can push the host into heavy swapping",
                            limit.origin.written, swap.origin.written
                        ),
                    )
                    .evidence(swap.origin.written.clone())
                    .fix(dialect.fix(Fix::BoundSwap))
                    .key(spec_key(spec, "memory:swap-unlimited"))
                    .severity(Severity::Low)
                    .build(),
                );
            }
            return;
        }

        let reservation = spec
            .memory_reservation
            .as_ref()
            .filter(|r| r.value > 0)
            .map(|r| {
                format!(
                    "; `{}` is only a soft target the kernel reclaims towards under pressure, \
                     not a cap",
                    r.origin.written
                )
            })
            .unwrap_or_default();
        let oom = spec.oom_kill_disable.as_ref().filter(|o| o.value);
        let (location, evidence, state, key) = match &spec.memory {
            Some(m) => (
                m.origin.location.clone(),
                Some(m.origin.written.clone()),
                format!(
                    "sets its memory limit to `{}`, which the engine reads as unlimited",
                    m.origin.written
                ),
                "memory:unlimited",
            ),
            None => (
                spec.anchor.location.clone(),
                None,
                "has no memory limit".to_string(),
                "memory:none",
            ),
        };
        let fix = match &spec.memory {
            Some(m) => dialect
                .fix(Fix::RaiseMemoryLimit)
                .replace("{key}", setting(&m.origin)),
            None => dialect.fix(Fix::AddMemoryLimit).to_string(),
        }
        .replace("{name}", container_name(spec));

        if let Some(oom) = oom {
            out.push(
                Finding::new(
                    &META,
                    oom.origin.location.clone(),
                    format!(
                        "{who} {state} and `{}` switches the OOM killer off for it: when it \
                         exhausts the host's memory, other processes on the host are killed \
                         (or the host stalls) instead of the culprit{reservation}",
                        oom.origin.written
                    ),
                )
                .evidence(oom.origin.written.clone())
                .fix(format!(
                    "{fix}; remove `{}` (it is only safe with a limit, and cgroup v2 hosts \
                     ignore it)",
                    setting(&oom.origin)
                ))
                .key(spec_key(spec, "memory:oom-kill-disabled"))
                .severity(Severity::High)
                .build(),
            );
            return;
        }
        let mut finding = Finding::new(
            &META,
            location,
            format!(
                "{who} {state}: one runaway or malicious process can use all of the host's \
                 memory, and the kernel's OOM killer then picks victims across the host — other \
                 containers included{reservation}"
            ),
        )
        .fix(fix)
        .key(spec_key(spec, key));
        if let Some(evidence) = evidence {
            finding = finding.evidence(evidence);
        }
        out.push(finding.build());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    const MIB512: i64 = 512 * 1024 * 1024;

    #[test]
    fn missing_limit_fires_at_the_anchor() {
        let spec = compose("web").build();
        let found = check(&NoMemoryLimit, &spec);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.severity, Severity::Medium);
        assert_eq!(f.location, spec.anchor.location);
        assert!(f.message.starts_with("service `web` has no memory limit"));
        assert!(f
            .fix
            .contains("deploy: {resources: {limits: {memory: 512M}}}"));
    }

    #[test]
    fn a_positive_limit_passes() {
        for spec in [
            compose("web").memory("512m", MIB512).build(),
            run("web").memory("512m", MIB512).build(),
            container("web").memory("536870912", MIB512).build(),
        ] {
            assert!(
                check(&NoMemoryLimit, &spec).is_empty(),
                "{:?}",
                spec.anchor.location
            );
        }
    }

    #[test]
    fn zero_means_unlimited() {
        let spec = run("web").memory("0", 0).build();
        let found = check(&NoMemoryLimit, &spec);
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .message
            .contains("`--memory=0`, which the engine reads as unlimited"));
        assert_eq!(found[0].evidence.as_deref(), Some("--memory=0"));
        assert!(found[0].fix.contains("`--memory`"));
    }

    #[test]
    fn oom_kill_disable_without_limit_is_high() {
        let spec = compose("db").oom_kill_disable(true).build();
        let found = check(&NoMemoryLimit, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::High);
        assert!(found[0].message.contains("switches the OOM killer off"));
        assert_eq!(found[0].evidence.as_deref(), Some("oom_kill_disable: true"));
        // With a limit, disabling the OOM killer is the engine's documented, bounded use.
        let limited = compose("db")
            .memory("512m", MIB512)
            .oom_kill_disable(true)
            .build();
        assert!(check(&NoMemoryLimit, &limited).is_empty());
        // `oom_kill_disable: false` is the default, nothing more.
        let off = compose("db").oom_kill_disable(false).build();
        assert_eq!(check(&NoMemoryLimit, &off)[0].severity, Severity::Medium);
    }

    #[test]
    fn reservation_is_not_a_limit() {
        let spec = compose("web")
            .memory_reservation("256m", MIB512 / 2)
            .build();
        let found = check(&NoMemoryLimit, &spec);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("only a soft target"));
    }

    #[test]
    fn unlimited_swap_with_a_limit_is_low() {
        let spec = run("web")
            .memory("512m", MIB512)
            .memory_swap("-1", -1)
            .build();
        let found = check(&NoMemoryLimit, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Low);
        assert!(found[0].message.contains("unlimited swap"));
        let bounded = run("web")
            .memory("512m", MIB512)
            .memory_swap("512m", MIB512)
            .build();
        assert!(check(&NoMemoryLimit, &bounded).is_empty());
    }

    #[test]
    fn two_services_get_two_fingerprints() {
        let a = &check(&NoMemoryLimit, &compose("web").build())[0];
        let b = &check(&NoMemoryLimit, &compose("db").build())[0];
        assert_ne!(a.fingerprint, b.fingerprint);
    }

    #[test]
    fn container_fix_uses_docker_update() {
        let found = check(&NoMemoryLimit, &container("api").build());
        assert!(found[0].fix.starts_with("`docker update --memory 512m"));
        assert!(found[0].fix.contains(" api`"));
    }
}
