//! RS035: the container was OOM-killed or keeps restarting (informational).

use crate::rules::resources::phrasing::spec_key;
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS035",
    name: "container-crashing",
    title: "Container OOM-killed or restarting",
    severity: Severity::Info,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Informational. Fires when the engine reports that a container's last process \
was killed by the kernel's out-of-memory killer (`State.OOMKilled: true`), that it is \
being restarted right now (`State.Status: restarting`), or that the engine has restarted \
it before (`RestartCount` above 0). One finding per container names every sign seen. \
Runtime only: a compose file or command line cannot show it.",
        why: "A container that crashes in a loop or hits its memory limit is either \
undersized or misbehaving — a leak, a flood of requests, a fork or allocation bomb, or an \
attacker exhausting it on purpose. With `--restart=always` it can keep the host busy \
restarting it and hide the failure behind `Up 3 seconds`. An OOM kill inside a cgroup \
without a memory limit means the whole host ran out of memory and the kernel picked a \
victim.",
        fix: "Read why it stopped (`docker logs <container>`, `docker inspect --format \
'{{json .State}}' <container>`, the host's `dmesg` for OOM kills), fix the cause or size \
its memory limit (`--memory`) to what it needs, and bound restarts with \
`--restart=on-failure:5` so a broken container stops instead of looping.",
        bad: "docker run -d --memory 8m --restart=always --name hog app-that-leaks\n",
        good: "docker run -d --memory 256m --restart=on-failure:5 --name app app\n",
    },
    references: References {
        cwe: &["CWE-400"],
        links: &[
            "https://docs.docker.com/engine/containers/resource_constraints/#understand-the-risks-of-running-out-of-memory",
            "https://docs.docker.com/engine/containers/start-containers-automatically/",
        ],
        ..References::NONE
    },
};

pub struct Crashing;

impl Rule<Input<'_>> for Crashing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let Some(state) = &spec.state else { return };
        let mut signs: Vec<String> = Vec::new();
        let mut evidence: Vec<String> = Vec::new();
        if let Some(oom) = state.oom_killed.as_ref().filter(|o| o.value) {
            signs.push("its last process was killed by the out-of-memory killer".to_string());
            evidence.push(oom.origin.written.clone());
        }
        if state.status == "restarting" {
            signs.push("it is restarting right now".to_string());
            evidence.push("State.Status=restarting".to_string());
        }
        if let Some(n) = state.restart_count.as_ref().filter(|n| n.value > 0) {
            signs.push(format!(
                "the engine has restarted it {} time{}",
                n.value,
                if n.value == 1 { "" } else { "s" }
            ));
            evidence.push(n.origin.written.clone());
        }
        if signs.is_empty() {
            return;
        }
        out.push(
            Finding::new(
                &META,
                spec.anchor.location.clone(),
                format!(
                    "{}: {} — find out why before it exhausts the host or hides a failure",
                    dialect.subject(spec),
                    signs.join(", ")
                ),
            )
            .evidence(evidence.join(", "))
            .fix(
                "read `docker logs` and `docker inspect --format '{{json .State}}'` (and the \
                 host's `dmesg` for OOM kills), fix the cause or raise its `--memory` limit, \
                 and bound restarts with `--restart=on-failure:5`",
            )
            .key(spec_key(spec, "crashing"))
            .build(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RunSpec;
    use crate::model::{Origin, RuntimeState, Sourced};
    use crate::rules::testing::{check, compose, container};

    fn state(status: &str, oom: bool, restarts: i64) -> RunSpec {
        container("app")
            .with(|s| {
                s.state = Some(RuntimeState {
                    status: status.into(),
                    oom_killed: Some(Sourced::new(
                        oom,
                        Origin {
                            written: format!("State.OOMKilled={oom}"),
                            ..Origin::default()
                        },
                    )),
                    restart_count: Some(Sourced::new(
                        restarts,
                        Origin {
                            written: format!("RestartCount={restarts}"),
                            ..Origin::default()
                        },
                    )),
                    ..RuntimeState::default()
                })
            })
            .build()
    }

    #[test]
    fn healthy_running_container_is_quiet() {
        assert!(check(&Crashing, &state("running", false, 0)).is_empty());
        assert!(check(&Crashing, &container("app").build()).is_empty());
        assert!(check(&Crashing, &compose("app").build()).is_empty());
    }

    #[test]
    fn every_sign_is_named_once() {
        let found = check(&Crashing, &state("restarting", true, 3));
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.severity, Severity::Info);
        assert!(f.message.contains("out-of-memory killer"));
        assert!(f.message.contains("restarting right now"));
        assert!(f.message.contains("restarted it 3 times"));
        assert_eq!(
            f.evidence.as_deref(),
            Some("State.OOMKilled=true, State.Status=restarting, RestartCount=3")
        );
        assert_eq!(f.location.path, "container:app");
    }

    #[test]
    fn oom_alone() {
        let f = &check(&Crashing, &state("exited", true, 0))[0];
        assert!(f.message.ends_with("hides a failure"));
        assert!(!f.message.contains("restarted"));
    }
}
