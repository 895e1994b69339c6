//! RS028: the container joins the engine's default bridge network (`docker0`).

use crate::dialect::Fix;
use crate::model::NetworkMode;
use crate::rules::resources::phrasing::spec_key;
use crate::rules::{Input, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "RS028",
    name: "default-bridge-network",
    title: "Container on the default bridge network",
    severity: Severity::Low,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when the container really joins the engine's default bridge, `docker0`:\n\n\
- a `docker run`/`docker create` without `--network` (or `--net`), which is where the \
engine puts it;\n\
- `network_mode: bridge` (or `default`) in compose, `--network bridge` on the command line, \
`HostConfig.NetworkMode` `bridge`/`default` on a container;\n\
- a compose service or a container attached to a network named `bridge`.\n\n\
It deliberately does **not** fire for a compose service without `networks:` — unlike KICS \
\"Networks Not Set\", which flags every such service. `docker compose` creates a \
user-defined bridge network for each project (`<project>_default`) and attaches services \
without `networks:` to it, not to `docker0`; that network already gives the isolation CIS \
5.30 asks for (only the project's own services share it, with DNS by service name). \
Host, `none`, `container:` and `service:` network modes do not fire here (host networking is \
RS009).",
        why: "Every container started without a network shares `docker0`, one layer-2 \
segment, and the engine allows all traffic between containers on it by default (`icc`). A \
compromised container can therefore reach the unpublished ports of every unrelated \
container on the host — databases, admin and metrics endpoints that were never meant to be \
reachable — and, with the `NET_RAW` capability Docker grants by default, ARP-spoof its \
neighbours to intercept their traffic. Oliveira and Miers name ARP spoofing and \
man-in-the-middle attacks between containers on the default bridge as a problem Docker \
leaves to each application. On a user-defined network only the containers attached to it \
can talk to each other.",
        fix: "Give the containers that must talk to each other a network of their own: \
`docker network create app-net`, then `docker run --network app-net …` for each. In compose, \
remove `network_mode: bridge` — services then join the project's own network — or declare a \
dedicated network under `networks:`. Daemon-wide, `\"icc\": false` in `daemon.json` (CIS \
2.2) stops traffic between containers left on `docker0`; dropping `NET_RAW` (`cap_drop: \
[ALL]`) stops ARP spoofing.",
        bad: concat!(
            "services:\n",
            "  api:\n",
            "    image: node:22-slim\n",
            "    network_mode: bridge\n",
        ),
        good: concat!(
            "services:\n",
            "  api:\n",
            "    image: node:22-slim\n",
        ),
    },
    references: References {
        cis: &["5.30"],
        kics: &["Networks Not Set", "ce14a68b-1668-41a0-ab7d-facd9f784742"],
        cwe: &["CWE-923"],
        links: &[
            "https://docs.docker.com/engine/network/drivers/bridge/#differences-between-user-defined-bridges-and-the-default-bridge",
            "https://docs.docker.com/compose/how-tos/networking/",
        ],
        ..References::NONE
    },
};

pub struct DefaultBridge;

impl Rule<Input<'_>> for DefaultBridge {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let who = dialect.subject(spec);
        let consequence = "every container left on the host's default bridge can reach its \
                           unpublished ports, and can ARP-spoof it with the default NET_RAW \
                           capability";
        let fix = dialect
            .fix(Fix::JoinUserDefinedNetwork)
            .replace("{name}", &spec.name);

        // (where, evidence, how it got there)
        let hit: Option<(Location, Option<String>, String)> = match &spec.network_mode {
            Some(m) if m.value == NetworkMode::Bridge => Some((
                m.origin.location.clone(),
                Some(m.origin.written.clone()),
                format!(
                    "`{}` puts it on the default bridge network",
                    m.origin.written
                ),
            )),
            Some(_) => None,
            None => match spec.networks.iter().find(|n| n.value == "bridge") {
                Some(n) => Some((
                    n.origin.location.clone(),
                    Some(n.origin.written.clone()),
                    format!(
                        "`{}` attaches it to the default bridge network",
                        n.origin.written
                    ),
                )),
                None if dialect.unnetworked_joins_default_bridge() && spec.networks.is_empty() => {
                    Some((
                        spec.anchor.location.clone(),
                        None,
                        "with no `--network`, the engine puts it on the default bridge network"
                            .to_string(),
                    ))
                }
                None => None,
            },
        };
        let Some((location, evidence, how)) = hit else {
            return;
        };
        let mut finding = Finding::new(
            &META,
            location,
            format!("{who} runs on `docker0`: {how}; {consequence}"),
        )
        .fix(fix)
        .key(spec_key(spec, "network:default-bridge"));
        if let Some(e) = evidence {
            finding = finding.evidence(e);
        }
        out.push(finding.build());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    #[test]
    fn run_without_network_fires() {
        let spec = run("api").build();
        let found = check(&DefaultBridge, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].location, spec.anchor.location);
        assert!(found[0].message.contains("with no `--network`"));
        assert!(found[0].fix.contains("--network app-net"));
    }

    #[test]
    fn compose_without_networks_does_not_fire() {
        assert!(check(&DefaultBridge, &compose("api").build()).is_empty());
    }

    #[test]
    fn explicit_bridge_fires_everywhere() {
        for spec in [
            compose("api")
                .network_mode("bridge", NetworkMode::Bridge)
                .build(),
            run("api")
                .network_mode("bridge", NetworkMode::Bridge)
                .build(),
            container("api")
                .network_mode("default", NetworkMode::Bridge)
                .build(),
            container("api").network("bridge").build(),
        ] {
            let found = check(&DefaultBridge, &spec);
            assert_eq!(found.len(), 1, "{spec:?}");
            assert!(found[0].evidence.is_some());
        }
    }

    #[test]
    fn other_modes_pass() {
        for spec in [
            run("a")
                .network_mode("appnet", NetworkMode::Named("appnet".into()))
                .build(),
            run("a").network_mode("none", NetworkMode::None).build(),
            run("a").network_mode("host", NetworkMode::Host).build(),
            compose("a").network("backend").build(),
            container("a").network("proj_default").build(),
            container("a").build(),
        ] {
            assert!(check(&DefaultBridge, &spec).is_empty(), "{spec:?}");
        }
    }
}
