//! RS029: a restart policy that restarts forever.

use crate::dialect::Fix;
use crate::model::RestartPolicy;
use crate::rules::resources::phrasing::{container_name, spec_key};
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS029",
    name: "unbounded-restart",
    title: "Restart policy retries without limit",
    severity: Severity::Low,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a crashing container is restarted without end or more than 5 \
times:\n\n\
- `restart: always` / `--restart always` and `unless-stopped` (and `deploy.restart_policy` \
with `condition: any`), which never stop retrying;\n\
- `on-failure` without a count (or with `:0`) — the engine reads no count as \"retry \
forever\", not as \"once\";\n\
- `on-failure:N` (or `deploy.restart_policy.max_attempts`) with N above 5.\n\n\
`no`, an unset policy, and `on-failure:1`…`on-failure:5` do not fire. CIS 5.15 asks for \
`on-failure:5`; docker-bench only warns when the count is above 5 and so passes \
`always`, while KICS (\"Restart Policy On Failure Not Set To 5\") flags any count other than \
5 — including safer ones such as 3 — and never `always`.",
        why: "A container that keeps dying keeps being restarted: each restart re-runs its \
start-up (migrations, cache warm-up, connections to its dependencies), so a crash loop \
burns CPU and I/O on the host and hammers the services it depends on, and with many \
containers on one host it becomes a denial of service. Crashing it on purpose is also a way \
to retry an exploit — brute-forcing ASLR or a race one start at a time — and an endless loop \
hides the root cause: the container looks \"up\" between crashes and nobody investigates \
(the rationale of CIS 5.15). The engine backs off (100 ms, doubling, up to a minute between \
tries) but never gives up; a bounded count does, and leaves the container stopped where \
monitoring sees it.",
        fix: "Restart on failure a bounded number of times: `restart: on-failure:5` in \
compose (or `deploy: {restart_policy: {condition: on-failure, max_attempts: 5}}`), \
`--restart on-failure:5` on `docker run`, `docker update --restart on-failure:5 <name>` for a \
running container — and alert on containers that stop. Where a service must come back after \
host reboots, let the host's service manager (a systemd unit) own that instead of an \
endless engine policy.",
        bad: concat!(
            "services:\n",
            "  worker:\n",
            "    image: python:3.12-slim\n",
            "    restart: always\n",
        ),
        good: concat!(
            "services:\n",
            "  worker:\n",
            "    image: python:3.12-slim\n",
            "    restart: on-failure:5\n",
        ),
    },
    references: References {
        cis: &["5.15"],
        kics: &[
            "Restart Policy On Failure Not Set To 5",
            "2fc99041-ddad-49d5-853f-e35e70a48391",
        ],
        cwe: &["CWE-400"],
        links: &[
            "https://docs.docker.com/engine/containers/start-containers-automatically/",
            "https://docs.docker.com/reference/compose-file/services/#restart",
        ],
        ..References::NONE
    },
};

pub struct RestartForever;

/// The most restarts CIS 5.15 accepts.
const MAX_RETRIES: u32 = 5;

impl Rule<Input<'_>> for RestartForever {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let Some(restart) = &spec.restart else {
            return;
        };
        let problem = match restart.value {
            RestartPolicy::No => return,
            RestartPolicy::OnFailure {
                max_retries: Some(n),
            } if (1..=MAX_RETRIES).contains(&n) => return,
            RestartPolicy::OnFailure {
                max_retries: Some(n),
            } if n > MAX_RETRIES => format!(
                "restarts a failing container {n} times (more than {MAX_RETRIES}) before giving \
                 up"
            ),
            RestartPolicy::OnFailure { .. } => {
                "gives no retry count, which the engine reads as retrying a failing container \
                 forever"
                    .to_string()
            }
            RestartPolicy::Always => {
                "restarts the container forever, whether it fails or exits".to_string()
            }
            RestartPolicy::UnlessStopped => {
                "restarts the container forever unless someone stops it by hand".to_string()
            }
        };
        let fix = dialect
            .fix(Fix::BoundRestarts)
            .replace("{name}", container_name(spec));
        out.push(
            Finding::new(
                &META,
                restart.origin.location.clone(),
                format!(
                    "{}: `{}` {problem}; a crash loop burns host resources, hammers its \
                     dependencies and hides the cause",
                    dialect.subject(spec),
                    restart.origin.written
                ),
            )
            .evidence(restart.origin.written.clone())
            .fix(fix)
            .key(spec_key(spec, format!("restart:{:?}", restart.value)))
            .build(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    fn on_failure(n: Option<u32>) -> RestartPolicy {
        RestartPolicy::OnFailure { max_retries: n }
    }

    #[test]
    fn forever_policies_fire() {
        for (w, p) in [
            ("always", RestartPolicy::Always),
            ("unless-stopped", RestartPolicy::UnlessStopped),
            ("on-failure", on_failure(None)),
            ("on-failure:0", on_failure(Some(0))),
            ("on-failure:10", on_failure(Some(10))),
        ] {
            let spec = compose("w").restart(w, p).build();
            let found = check(&RestartForever, &spec);
            assert_eq!(found.len(), 1, "{w}");
            assert_eq!(
                found[0].evidence.as_deref(),
                Some(&*format!("restart: {w}"))
            );
            assert!(found[0].fix.contains("`restart: on-failure:5`"));
        }
    }

    #[test]
    fn bounded_or_no_policy_passes() {
        for (w, p) in [
            ("no", RestartPolicy::No),
            ("on-failure:5", on_failure(Some(5))),
            ("on-failure:3", on_failure(Some(3))),
        ] {
            assert!(check(&RestartForever, &run("w").restart(w, p).build()).is_empty());
        }
        assert!(check(&RestartForever, &run("w").build()).is_empty());
    }

    #[test]
    fn messages_name_the_policy() {
        let spec = run("w").restart("on-failure", on_failure(None)).build();
        let f = &check(&RestartForever, &spec)[0];
        assert!(f
            .message
            .contains("`--restart=on-failure` gives no retry count, which the engine reads"));
        let spec = container("w")
            .restart("always", RestartPolicy::Always)
            .build();
        let f = &check(&RestartForever, &spec)[0];
        assert!(f
            .fix
            .starts_with("`docker update --restart on-failure:5 w`"));
        let spec = run("w")
            .restart("on-failure:9", on_failure(Some(9)))
            .build();
        assert!(check(&RestartForever, &spec)[0]
            .message
            .contains("9 times (more than 5)"));
    }
}
