//! RS021: no CPU limit.

use super::phrasing::{container_name, spec_key};
use crate::dialect::Fix;
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS021",
    name: "no-cpu-limit",
    title: "No CPU limit",
    severity: Severity::Low,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when nothing bounds the CPU time the container can take. Any of these \
counts as a bound: a CPU count (`deploy.resources.limits.cpus` or `cpus` in compose, \
`--cpus` on `docker run`, `HostConfig.NanoCpus`); a CFS quota (`cpu_quota` / \
`--cpu-quota` > 0); pinning to a set of CPUs (`cpuset` / `--cpuset-cpus`); or a relative \
weight *below* the default (`cpu_shares` / `--cpu-shares` < 1024), which deprioritises the \
container whenever the CPUs are contended (what CIS 5.12 asks for).\n\n\
It also fires when the only setting is explicitly unbounded — `cpus: 0` (the engine's \
\"no limit\"), `cpu_quota: -1` — or a weight at or above the default (`cpu_shares: 2048` \
*raises* the container's claim and caps nothing). CIS 5.12 and docker-bench accept any \
non-zero `CpuShares`; KICS (\"Cpus Not Limited\") looks only at `cpus` and \
`deploy.resources.limits.cpus`.",
        why: "CPU is shared by every container on the host. Cryptomining is the most common \
payload dropped into compromised containers (and shipped inside malicious public images): \
it runs every core at 100% for as long as nobody notices. Algorithmic-complexity and ReDoS \
requests do the same on purpose, one core per request. Without a bound, one such container \
takes all the CPU time its neighbours leave idle and its full fair share of the rest, so \
latency-sensitive services beside it slow down or time out; with `--cpus 1` the kernel's CFS \
bandwidth control throttles it to one core's worth, whatever runs inside.",
        fix: "Cap the container at the CPU it needs at peak (`docker stats`). In compose: \
`deploy: {resources: {limits: {cpus: \"1.0\"}}}` (or `cpus: 1.0`); on `docker run`: \
`--cpus 1`; for a running container: `docker update --cpus 1 <name>`, then fix its \
definition. Use `cpu_shares` below 1024 only where a relative priority is really what you \
want.",
        bad: concat!("services:\n", "  api:\n", "    image: node:22-slim\n"),
        good: concat!(
            "services:\n",
            "  api:\n",
            "    image: node:22-slim\n",
            "    deploy:\n",
            "      resources:\n",
            "        limits:\n",
            "          cpus: \"1.0\"\n",
        ),
    },
    references: References {
        cis: &["5.12"],
        kics: &["Cpus Not Limited", "6b610c50-99fb-4ef0-a5f3-e312fd945bc3"],
        cwe: &["CWE-770", "CWE-400"],
        links: &[
            "https://docs.docker.com/engine/containers/resource_constraints/#cpu",
            "https://docs.kernel.org/scheduler/sched-bwc.html",
        ],
        ..References::NONE
    },
};

pub struct NoCpuLimit;

/// The engine's default relative CPU weight (`--cpu-shares`).
const DEFAULT_SHARES: i64 = 1024;

impl Rule<Input<'_>> for NoCpuLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let cpus = spec.cpus.as_ref().filter(|c| c.value > 0.0);
        let quota = spec.cpu_quota.as_ref().filter(|q| q.value > 0);
        let cpuset = spec
            .cpuset_cpus
            .as_ref()
            .filter(|s| !s.value.trim().is_empty());
        let low_shares = spec
            .cpu_shares
            .as_ref()
            .filter(|s| s.value > 0 && s.value < DEFAULT_SHARES);
        if cpus.is_some() || quota.is_some() || cpuset.is_some() || low_shares.is_some() {
            return;
        }
        let who = dialect.subject(spec);
        // Settings written but not bounding anything: say why each does not count.
        let mut unbounded = Vec::new();
        if let Some(c) = &spec.cpus {
            unbounded.push((&c.origin, "read by the engine as no limit".to_string()));
        }
        if let Some(q) = &spec.cpu_quota {
            unbounded.push((&q.origin, "read by the engine as no quota".to_string()));
        }
        if let Some(s) = spec.cpu_shares.as_ref().filter(|s| s.value != 0) {
            unbounded.push((
                &s.origin,
                format!(
                    "a relative weight that only matters under contention and, at or above \
                     the default {DEFAULT_SHARES}, lowers nothing"
                ),
            ));
        }
        let fix = dialect
            .fix(Fix::LimitCpu)
            .replace("{name}", container_name(spec));
        let consequence = "a cryptominer or a CPU-bound request flood in it can take every \
                           core the host has, slowing every neighbour";
        match unbounded.first() {
            Some((origin, _)) => {
                let written: Vec<String> = unbounded
                    .iter()
                    .map(|(o, why_not)| format!("`{}` ({why_not})", o.written))
                    .collect();
                out.push(
                    Finding::new(
                        &META,
                        origin.location.clone(),
                        format!(
                            "{who} sets {} but nothing caps its CPU use: {consequence}",
                            written.join(" and ")
                        ),
                    )
                    .evidence(origin.written.clone())
                    .fix(fix)
                    .key(spec_key(spec, "cpu:unbounded"))
                    .build(),
                );
            }
            None => out.push(
                Finding::new(
                    &META,
                    spec.anchor.location.clone(),
                    format!("{who} has no CPU limit: {consequence}"),
                )
                .fix(fix)
                .key(spec_key(spec, "cpu:none"))
                .build(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    #[test]
    fn missing_fires() {
        let spec = compose("api").build();
        let found = check(&NoCpuLimit, &spec);
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .message
            .starts_with("service `api` has no CPU limit"));
        assert_eq!(found[0].location, spec.anchor.location);
        assert_eq!(found[0].severity, Severity::Low);
    }

    #[test]
    fn each_bound_passes() {
        for spec in [
            compose("a").cpus(0.5).build(),
            run("a").cpu_quota(50_000).cpu_period(100_000).build(),
            run("a").cpuset_cpus("0,1").build(),
            container("a").cpu_shares(512).build(),
        ] {
            assert!(check(&NoCpuLimit, &spec).is_empty(), "{spec:?}");
        }
    }

    #[test]
    fn explicit_unbounded_values_fire_at_them() {
        let spec = compose("a").cpus(0.0).build();
        let found = check(&NoCpuLimit, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence.as_deref(), Some("cpus: 0"));
        assert!(found[0]
            .message
            .contains("sets `cpus: 0` (read by the engine as no limit) but nothing caps"));

        let spec = run("a").cpu_quota(-1).build();
        let found = check(&NoCpuLimit, &spec);
        assert!(found[0]
            .message
            .contains("`--cpu-quota=-1` (read by the engine as no quota)"));
    }

    #[test]
    fn default_or_raised_shares_do_not_count() {
        for shares in [1024, 2048] {
            let spec = run("a").cpu_shares(shares).build();
            let found = check(&NoCpuLimit, &spec);
            assert_eq!(found.len(), 1);
            assert!(found[0].message.contains("only matters under contention"));
            assert!(found[0].fix.contains("`--cpus 1`"));
        }
    }

    #[test]
    fn container_fix() {
        let f = &check(&NoCpuLimit, &container("db").build())[0];
        assert!(f.fix.starts_with("`docker update --cpus 1 db`"));
    }
}
