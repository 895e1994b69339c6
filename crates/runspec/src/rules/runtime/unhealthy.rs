//! RS036: the container's health check reports it unhealthy (CIS 5.27 at run time).

use crate::rules::resources::phrasing::spec_key;
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS036",
    name: "container-unhealthy",
    title: "Container health check failing",
    severity: Severity::Medium,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when the engine reports a container's health status as `unhealthy` \
(`State.Health.Status`): its health check has failed `retries` times in a row. `starting` \
and `healthy` do not fire; a container without a health check is RS030's concern. CIS 5.27 \
asks that health be checked at run time — this rule reports what the check found. Runtime \
only.",
        why: "An unhealthy container is still `Up` and still receives traffic unless \
something acts on its status: plain Docker does not restart it. A service that fails its \
own probe may be deadlocked, out of a resource, cut off from a dependency — or tampered \
with. Leaving it running unnoticed is how partial outages and compromised containers go \
unseen.",
        fix: "Read the last probe results (`docker inspect --format '{{json .State.Health}}' \
<container>`), fix the cause, and re-create or restart the container. Let something act on \
health: an orchestrator that replaces unhealthy tasks (Swarm, Kubernetes probes), \
`depends_on: {condition: service_healthy}` in compose, or monitoring that alerts on it.",
        bad: "docker run -d --health-cmd 'exit 1' --health-interval 5s --name app app\n",
        good:
            "docker run -d --health-cmd 'wget -qO- http://127.0.0.1:8080/healthz' --name app app\n",
    },
    references: References {
        cis: &["5.27"],
        cwe: &["CWE-703"],
        links: &["https://docs.docker.com/reference/dockerfile/#healthcheck"],
        ..References::NONE
    },
};

pub struct Unhealthy;

impl Rule<Input<'_>> for Unhealthy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let Some(health) = spec.state.as_ref().and_then(|s| s.health.as_ref()) else {
            return;
        };
        if health.value != "unhealthy" {
            return;
        }
        out.push(
            Finding::new(
                &META,
                health.origin.location.clone(),
                format!(
                    "{} is unhealthy: its health check keeps failing, yet it stays up and \
                     keeps receiving traffic unless something acts on its status",
                    dialect.subject(spec)
                ),
            )
            .evidence(health.origin.written.clone())
            .fix(
                "read `docker inspect --format '{{json .State.Health}}'` for the failing \
                 probe, fix the cause and restart or re-create the container",
            )
            .key(spec_key(spec, "unhealthy"))
            .build(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RunSpec;
    use crate::model::{Origin, RuntimeState, Sourced, Via};
    use crate::rules::testing::{check, container};
    use plimsoll_core::Location;

    fn health(status: Option<&str>) -> RunSpec {
        container("app")
            .with(|s| {
                s.state = Some(RuntimeState {
                    status: "running".into(),
                    health: status.map(|h| {
                        Sourced::new(
                            h.to_string(),
                            Origin::new(
                                Location::file("container:app"),
                                format!("State.Health.Status={h}"),
                                Via::Inspect("State.Health.Status".into()),
                            ),
                        )
                    }),
                    ..RuntimeState::default()
                })
            })
            .build()
    }

    #[test]
    fn only_unhealthy_fires() {
        let found = check(&Unhealthy, &health(Some("unhealthy")));
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].evidence.as_deref(),
            Some("State.Health.Status=unhealthy")
        );
        assert!(found[0].message.starts_with("container `app` is unhealthy"));
        for ok in [Some("healthy"), Some("starting"), None] {
            assert!(check(&Unhealthy, &health(ok)).is_empty(), "{ok:?}");
        }
    }
}
