//! RS022: a ulimit raised to a level that lets the container starve the host.

use super::phrasing::spec_key;
use crate::dialect::Fix;
use crate::model::{Sourced, Ulimit};
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS022",
    name: "raised-ulimit",
    title: "Ulimit raised beyond what is safe",
    severity: Severity::Medium,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires on a `ulimits:` entry (compose) or `--ulimit` flag (`docker run`; \
`HostConfig.Ulimits` on a container) that hands processes in the container a kernel \
resource limit they can use against the host:\n\n\
- `rtprio` above 0 (**medium**): unprivileged real-time scheduling;\n\
- `nice` above 20 (**low**): unprivileged negative niceness, i.e. priority over the host's \
own processes;\n\
- `memlock` unlimited (`-1`) or above 64 MiB **while the container has no memory limit** \
(**medium**): memory locked in RAM that the kernel can neither swap nor reclaim. With a \
memory limit, locked pages are charged to the container's memory cgroup and stay within it, \
so the common `memlock: -1` of Elasticsearch-style services is not reported then.\n\n\
Not reported, deliberately: `nofile` (raising it is routine for databases and proxies, and \
open files are charged to the container's memory cgroup); `nproc` (Docker's own systemd unit \
already runs containers with `LimitNPROC=infinity`, and only a PIDs limit — RS020 — bounds a \
container's processes); `core`, `stack`, `fsize`, `cpu`, `data`, `as`, `rss`, `locks`, \
`rttime` (unlimited by default, so a value there only restricts). CIS 5.19 asks that default \
ulimits be overridden only when needed; plimsoll reports the overrides that matter instead \
of every override.",
        why: "Ulimits are the kernel's per-process brakes, and the container's values are \
applied by the engine as root, so the container gets whatever is written. `rtprio` lets any \
process in the container switch itself to `SCHED_FIFO` without `CAP_SYS_NICE`: a real-time \
busy loop then owns its CPU, and the kernel leaves normal processes only the 5% of CPU time \
`sched_rt_runtime_us` reserves — on kernels built without RT group scheduling (most \
distributions) nothing else stops it. `nice` above 20 lets a compromised process outrank the \
host's own daemons. Unlimited `memlock` lets it pin host RAM the OOM killer cannot reclaim by \
swapping, which without a memory limit starves the host.",
        fix: "Remove the entry, or keep it at the engine default: `rtprio` 0, `nice` 0 (at \
most 20). If the service really needs locked memory (Elasticsearch `bootstrap.memory_lock`, \
databases), give it a memory limit as well, so the locked pages stay inside its own budget: \
in compose `deploy: {resources: {limits: {memory: 2G}}}`, on `docker run` `--memory 2g`. If \
it really needs real-time scheduling, run it on dedicated CPUs (`cpuset` / `--cpuset-cpus`) \
and bound its real-time runtime (`--cpu-rt-runtime`).",
        bad: concat!(
            "services:\n",
            "  audio:\n",
            "    image: debian:12-slim\n",
            "    ulimits:\n",
            "      rtprio: 99\n",
        ),
        good: concat!(
            "services:\n",
            "  audio:\n",
            "    image: debian:12-slim\n",
            "    ulimits:\n",
            "      nofile: 65536\n",
        ),
    },
    references: References {
        cis: &["5.19"],
        cwe: &["CWE-770"],
        links: &[
            "https://docs.docker.com/reference/cli/docker/container/run/#ulimit",
            "https://man7.org/linux/man-pages/man2/getrlimit.2.html",
            "https://docs.kernel.org/scheduler/sched-rt-group.html",
        ],
        ..References::NONE
    },
};

pub struct RaisedUlimit;

/// `RLIMIT_MEMLOCK` above this counts as raised: the kernel default is 8 MiB (64 KiB before
/// Linux 5.16), and 64 MiB already covers the buffers of io_uring, eBPF maps and GPG agents.
const MEMLOCK_SAFE: i64 = 64 * 1024 * 1024;

/// `RLIMIT_NICE` up to this only allows raising niceness (being nicer); above it, negative
/// niceness (the ceiling is `20 - rlim`).
const NICE_NEUTRAL: i64 = 20;

impl Rule<Input<'_>> for RaisedUlimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let memory_limited = spec.memory.as_ref().is_some_and(|m| m.value > 0);
        for u in &spec.ulimits {
            if let Some((severity, problem, fix)) = judge(input, u, memory_limited) {
                out.push(
                    Finding::new(
                        &META,
                        u.origin.location.clone(),
                        format!(
                            "{} sets ulimit `{}` to {}: {problem}",
                            dialect.subject(spec),
                            u.value.name,
                            shown(&u.value)
                        ),
                    )
                    .evidence(u.origin.written.clone())
                    .fix(fix)
                    .key(spec_key(spec, format!("ulimit:{}", u.value.name)))
                    .severity(severity)
                    .build(),
                );
            }
        }
    }
}

/// The severity, the problem and the fix for one ulimit, or `None` when it is harmless.
fn judge(
    input: &Input<'_>,
    u: &Sourced<Ulimit>,
    memory_limited: bool,
) -> Option<(Severity, String, String)> {
    let dialect = input.dialect;
    let Ulimit { name, soft, hard } = &u.value;
    let top = highest(*soft, *hard);
    let remove = dialect.fix(Fix::RemoveUlimit);
    match name.as_str() {
        "rtprio" if top != Some(0) => Some((
            Severity::Medium,
            "any process in the container can switch itself to real-time scheduling \
             (SCHED_FIFO/SCHED_RR) without CAP_SYS_NICE, and a real-time busy loop leaves the \
             host's normal processes on that CPU only the 5% of CPU time the kernel reserves"
                .to_string(),
            format!(
                "{remove} (the default is 0); if the service truly needs real-time scheduling, \
                 pin it to dedicated CPUs and bound its real-time runtime (`--cpu-rt-runtime`)"
            ),
        )),
        "nice" if top.is_none_or(|t| t > NICE_NEUTRAL) => {
            let reach = match top {
                Some(t) => format!("niceness {}", NICE_NEUTRAL - t.min(40)),
                None => "any negative niceness".to_string(),
            };
            Some((
                Severity::Low,
                format!(
                    "processes in the container can raise their own priority to {reach} \
                     without CAP_SYS_NICE, above the host's own daemons"
                ),
                format!("{remove}, or keep it at 20 or below (positive niceness only)"),
            ))
        }
        "memlock" if !memory_limited && top.is_none_or(|t| t > MEMLOCK_SAFE) => Some((
            Severity::Medium,
            "with no memory limit, the container can lock as much host RAM as it wants, memory \
             the kernel can neither swap out nor reclaim"
                .to_string(),
            dialect.fix(Fix::BoundMemlock).to_string(),
        )),
        _ => None,
    }
}

/// The larger of soft and hard, `None` when either is unlimited (negative).
fn highest(soft: i64, hard: i64) -> Option<i64> {
    if soft < 0 || hard < 0 {
        None
    } else {
        Some(soft.max(hard))
    }
}

/// `unlimited`, `99`, or `soft 99, hard 99` when they differ.
fn shown(u: &Ulimit) -> String {
    let one = |v: i64| {
        if v < 0 {
            "unlimited".to_string()
        } else {
            v.to_string()
        }
    };
    if u.soft == u.hard {
        one(u.soft)
    } else {
        format!("soft {}, hard {}", one(u.soft), one(u.hard))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    #[test]
    fn rtprio_fires_medium() {
        let spec = compose("a").ulimit("rtprio", 99, 99).build();
        let found = check(&RaisedUlimit, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Medium);
        assert!(found[0]
            .message
            .starts_with("service `a` sets ulimit `rtprio` to 99: any process"));
        assert_eq!(found[0].evidence.as_deref(), Some("ulimits: rtprio=99:99"));
        assert!(found[0].fix.starts_with("remove it from `ulimits:`"));
        assert!(check(&RaisedUlimit, &compose("a").ulimit("rtprio", 0, 0).build()).is_empty());
    }

    #[test]
    fn nice_above_twenty() {
        let found = check(&RaisedUlimit, &run("a").ulimit("nice", 40, 40).build());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Low);
        assert!(found[0].message.contains("niceness -20"));
        assert!(check(&RaisedUlimit, &run("a").ulimit("nice", 20, 20).build()).is_empty());
        let f = &check(&RaisedUlimit, &run("a").ulimit("nice", -1, -1).build())[0];
        assert!(f.message.contains("to unlimited"));
    }

    #[test]
    fn memlock_only_without_memory_limit() {
        let spec = container("es").ulimit("memlock", -1, -1).build();
        let found = check(&RaisedUlimit, &spec);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("no memory limit"));
        let limited = container("es")
            .memory("2g", 2 << 30)
            .ulimit("memlock", -1, -1)
            .build();
        assert!(check(&RaisedUlimit, &limited).is_empty());
        let small = compose("a").ulimit("memlock", 65536, 65536).build();
        assert!(check(&RaisedUlimit, &small).is_empty());
    }

    #[test]
    fn routine_ulimits_pass() {
        let spec = compose("db")
            .ulimit("nofile", 65536, 65536)
            .ulimit("nproc", -1, -1)
            .ulimit("core", 0, 0)
            .build();
        assert!(check(&RaisedUlimit, &spec).is_empty());
    }

    #[test]
    fn differing_soft_and_hard_are_shown() {
        let f = &check(&RaisedUlimit, &run("a").ulimit("rtprio", 0, 50).build())[0];
        assert!(f.message.contains("to soft 0, hard 50"));
    }
}
