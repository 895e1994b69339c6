//! RS020: no process (pids) limit.

use super::phrasing::{container_name, setting, spec_key};
use crate::dialect::Fix;
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS020",
    name: "no-pids-limit",
    title: "No process (PIDs) limit",
    severity: Severity::Medium,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when the number of processes and threads the container may create is not \
bounded: no `pids_limit` / `deploy.resources.limits.pids` in compose, no `--pids-limit` on \
`docker run`, `HostConfig.PidsLimit` null on a container — or the limit is set to `0` or \
`-1`, which the engine reads as \"unlimited\" (CIS 5.29; KICS \"Pids Limit Not Set\" only \
looks at the legacy `pids_limit` key and misses `0`).\n\n\
A `nproc` ulimit is not counted as a substitute: it is enforced per user ID across the whole \
host (every container running as that UID shares it), and not at all for root.",
        why: "Process IDs are a host-wide resource: the kernel has one PID table \
(`kernel.pid_max`: 32,768 by default, 4,194,304 where systemd raises it; threads count \
too) shared by every container and the host itself. A fork bomb — `:(){ :|:& };:` in a shell, or a few \
lines of C calling `fork()` in a loop — started inside one unlimited container fills it \
within seconds, after which nothing on the host can start a process: not `sshd` for a new \
login, not `dockerd` to stop the container, not the monitoring agent. It needs no privilege \
at all, so any code execution in the container (a vulnerable dependency, a malicious package \
script) is enough. Oliveira and Miers showed a fork bomb in one of ten containers on a VM \
making the platform unusable for all of them; a memory limit contained their bomb, but \
threads cost little memory, so only a PIDs limit bounds the process count itself. With \
`--pids-limit`, `fork()`/`clone()` in the container fail with EAGAIN at the limit and \
`pids.events` records it, while the host carries on.",
        fix: "Set a limit comfortably above the service's normal process and thread count \
(`docker top` / `ps -eLf | wc -l` under load; 100–500 suits most services). In compose: \
`pids_limit: 200` (or `deploy: {resources: {limits: {pids: 200}}}`); on `docker run`: \
`--pids-limit 200`; for a running container: `docker update --pids-limit 200 <name>`, then \
fix its definition.\n\nA daemon-wide default (`\"default-pids-limit\": 200` in `daemon.json`) also \
bounds containers that set nothing; it is invisible in compose files, command lines and even \
`docker inspect` (`HostConfig.PidsLimit` stays null), so plimsoll still reports the service — \
suppress the rule in `.plimsoll.toml` if your daemons all set it.",
        bad: concat!(
            "services:\n",
            "  worker:\n",
            "    image: python:3.12-slim\n",
        ),
        good: concat!(
            "services:\n",
            "  worker:\n",
            "    image: python:3.12-slim\n",
            "    pids_limit: 200\n",
        ),
    },
    references: References {
        cis: &["5.29"],
        kics: &["Pids Limit Not Set", "221e0658-cb2a-44e3-b08a-db96a341d6fa"],
        cwe: &["CWE-770", "CWE-400"],
        links: &[
            "https://docs.docker.com/reference/cli/docker/container/run/#pids-limit",
            "https://docs.kernel.org/admin-guide/cgroup-v2.html#pid",
        ],
        ..References::NONE
    },
};

pub struct NoPidsLimit;

impl Rule<Input<'_>> for NoPidsLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let who = dialect.subject(spec);
        let name = container_name(spec);
        let consequence = "a fork bomb or runaway thread pool in it can exhaust the host's \
                           process table, after which nothing on the host can start a process";
        match &spec.pids_limit {
            Some(limit) if limit.value > 0 => {}
            Some(limit) => {
                let fix = dialect
                    .fix(Fix::RaisePidsLimit)
                    .replace("{key}", setting(&limit.origin))
                    .replace("{name}", name);
                out.push(
                    Finding::new(
                        &META,
                        limit.origin.location.clone(),
                        format!(
                            "{who} sets `{}`, which the engine reads as no process limit: \
                             {consequence}",
                            limit.origin.written
                        ),
                    )
                    .evidence(limit.origin.written.clone())
                    .fix(fix)
                    .key(spec_key(spec, "pids:unlimited"))
                    .build(),
                );
            }
            None => {
                let fix = dialect.fix(Fix::AddPidsLimit).replace("{name}", name);
                out.push(
                    Finding::new(
                        &META,
                        spec.anchor.location.clone(),
                        format!("{who} has no process limit: {consequence}"),
                    )
                    .fix(fix)
                    .key(spec_key(spec, "pids:none"))
                    .build(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    #[test]
    fn missing_limit_fires() {
        for spec in [
            compose("w").build(),
            run("w").build(),
            container("w").build(),
        ] {
            let found = check(&NoPidsLimit, &spec);
            assert_eq!(found.len(), 1, "{:?}", spec.anchor.location);
            assert!(found[0].message.contains("has no process limit"));
            assert_eq!(found[0].location, spec.anchor.location);
            assert_eq!(found[0].evidence, None);
        }
    }

    #[test]
    fn zero_and_minus_one_are_unlimited() {
        for (w, v) in [("0", 0), ("-1", -1)] {
            let spec = compose("w").pids_limit(v).build();
            let found = check(&NoPidsLimit, &spec);
            assert_eq!(found.len(), 1);
            assert!(found[0]
                .message
                .contains(&format!("`pids_limit: {w}`, which the engine reads")));
            assert!(found[0]
                .fix
                .starts_with("set `pids_limit` to a positive bound"));
        }
    }

    #[test]
    fn positive_limit_passes() {
        assert!(check(&NoPidsLimit, &run("w").pids_limit(100).build()).is_empty());
    }

    #[test]
    fn fixes_by_source() {
        let f = &check(&NoPidsLimit, &run("w").build())[0];
        assert!(f.fix.starts_with("add `--pids-limit 200`"));
        let f = &check(&NoPidsLimit, &container("w").build())[0];
        assert!(f.fix.starts_with("`docker update --pids-limit 200 w`"));
    }
}
