//! RS030: no healthcheck, or the image's healthcheck disabled.

use crate::dialect::Fix;
use crate::model::Healthcheck;
use crate::rules::resources::phrasing::{fact_source, image_name, spec_key};
use crate::rules::{Input, Rule};
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS030",
    name: "no-runtime-healthcheck",
    title: "No healthcheck, or healthcheck disabled",
    severity: Severity::Low,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when the container will run without a health check:\n\n\
- the check is switched off: `healthcheck: {disable: true}` or `test: [\"NONE\"]` in \
compose, `--no-healthcheck` on `docker run` — even when the image defines one, since this \
is exactly what turns it off;\n\
- no healthcheck is configured and the image has none either — known from the Dockerfile \
the service builds or from the image itself (`HEALTHCHECK` absent);\n\
- no healthcheck is configured and whether the image has one is unknown (a pulled image \
plimsoll has not inspected): the message says so;\n\
- only timings are set (`interval:`, `--health-interval`) while the image is known to \
define no test, so nothing runs.\n\n\
It does not fire when the service or command defines a test, or when the image is known to \
define a `HEALTHCHECK` and nothing disables it. A `docker inspect` result already carries the \
image's check merged into `Config.Healthcheck`, so an empty one there means none (CIS 5.27, \
4.6; KICS \"Healthcheck Not Set\").",
        why: "Without a health check the engine only knows whether the process exists, not \
whether it works. A service that is deadlocked, wedged by a slow-loris or resource-exhaustion \
attack, or half-killed by an intrusion keeps being reported as `Up`, `depends_on: \
{condition: service_healthy}` cannot wait for it, Swarm and orchestrators keep routing \
traffic to it instead of replacing it, and monitoring that watches health status sees \
nothing. A health status is also one of the few signals that a container stopped serving \
after someone tampered with it. (Plain Docker does not restart an unhealthy container by \
itself; the status is what operators and orchestrators act on.)",
        fix: "Probe the service itself, cheaply, from inside the container — in compose: \
`healthcheck: {test: [\"CMD\", \"wget\", \"-qO-\", \"http://127.0.0.1:8080/healthz\"], \
interval: 30s, timeout: 3s, retries: 3}`; on `docker run`: `--health-cmd \"wget -qO- \
http://127.0.0.1:8080/healthz || exit 1\" --health-interval 30s`. Better, define a \
`HEALTHCHECK` in the image's Dockerfile so every way of running it has one. Remove \
`disable: true` / `--no-healthcheck` unless something else (a Kubernetes probe) checks \
health.",
        bad: concat!("services:\n", "  api:\n", "    image: node:22-slim\n"),
        good: concat!(
            "services:\n",
            "  api:\n",
            "    image: node:22-slim\n",
            "    healthcheck:\n",
            "      test: [\"CMD\", \"node\", \"healthcheck.js\"]\n",
            "      interval: 30s\n",
            "      timeout: 3s\n",
        ),
    },
    references: References {
        cis: &["5.27", "4.6"],
        kics: &[
            "Healthcheck Not Set",
            "698ed579-b239-4f8f-a388-baa4bcb13ef8",
        ],
        cwe: &["CWE-693"],
        links: &[
            "https://docs.docker.com/reference/compose-file/services/#healthcheck",
            "https://docs.docker.com/reference/dockerfile/#healthcheck",
        ],
        ..References::NONE
    },
};

pub struct NoHealthcheck;

impl Rule<Input<'_>> for NoHealthcheck {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        let who = dialect.subject(spec);
        let image_has = spec
            .image_facts
            .as_ref()
            .and_then(|f| f.healthcheck.as_ref());
        let add = dialect.fix(Fix::AddHealthcheck);
        let consequence = "a hung or broken container keeps reporting `Up`, and nothing that \
                           depends on its health status can react";
        match &spec.healthcheck {
            Some(h) if is_disabled(&h.value) => {
                let image = match image_has {
                    Some(f) if f.value => " (its image defines one: this switches it off)",
                    _ => "",
                };
                out.push(
                    Finding::new(
                        &META,
                        h.origin.location.clone(),
                        format!(
                            "{who} disables its healthcheck (`{}`){image}: {consequence}",
                            h.origin.written
                        ),
                    )
                    .evidence(h.origin.written.clone())
                    .fix(dialect.fix(Fix::EnableHealthcheck))
                    .key(spec_key(spec, "healthcheck:disabled"))
                    .build(),
                );
            }
            Some(h) => {
                // A test of its own, or timings only (the image's test applies).
                let own_test = matches!(&h.value, Healthcheck::Check { test: Some(t), .. }
                    if !t.is_empty());
                if own_test || image_has.is_none_or(|f| f.value) {
                    return;
                }
                out.push(
                    Finding::new(
                        &META,
                        h.origin.location.clone(),
                        format!(
                            "{who} sets healthcheck timings (`{}`) but no test, and its image \
                             defines no HEALTHCHECK, so no check runs: {consequence}",
                            h.origin.written
                        ),
                    )
                    .evidence(h.origin.written.clone())
                    .fix(add)
                    .key(spec_key(spec, "healthcheck:no-test"))
                    .build(),
                );
            }
            None => {
                let why = match (image_has, dialect.describes_existing_container()) {
                    (Some(f), _) if f.value => return,
                    (Some(f), _) => format!(
                        "has no healthcheck and neither has its image ({})",
                        fact_source(&f.origin)
                    ),
                    (None, true) => {
                        "has no healthcheck (none in `Config.Healthcheck`, which includes the \
                         image's)"
                            .to_string()
                    }
                    (None, _) => format!(
                        "configures no healthcheck, and whether its image ({}) defines one is \
                         unknown",
                        image_name(spec)
                    ),
                };
                out.push(
                    Finding::new(
                        &META,
                        spec.anchor.location.clone(),
                        format!("{who} {why}: {consequence}"),
                    )
                    .fix(add)
                    .key(spec_key(spec, "healthcheck:none"))
                    .build(),
                );
            }
        }
    }
}

/// `disable: true`, `--no-healthcheck`, and a `test: ["NONE"]` a parser left as a test.
fn is_disabled(h: &Healthcheck) -> bool {
    match h {
        Healthcheck::Disabled => true,
        Healthcheck::Check { test: Some(t), .. } => t.first().is_some_and(|c| c == "NONE"),
        Healthcheck::Check { test: None, .. } => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, compose, container, run};

    fn timings_only() -> Healthcheck {
        Healthcheck::Check {
            test: None,
            interval: Some("10s".into()),
            timeout: None,
            retries: None,
            start_period: None,
        }
    }

    #[test]
    fn none_with_unknown_image_says_unknown() {
        let spec = compose("api").build();
        let found = check(&NoHealthcheck, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].location, spec.anchor.location);
        assert!(found[0]
            .message
            .contains("whether its image (`nginx:1.27`) defines one is unknown"));
    }

    #[test]
    fn image_facts_decide() {
        let has = compose("api").image_facts(None, Some(true)).build();
        assert!(check(&NoHealthcheck, &has).is_empty());
        let lacks = compose("api").image_facts(None, Some(false)).build();
        let found = check(&NoHealthcheck, &lacks);
        assert!(found[0]
            .message
            .contains("neither has its image (final stage"));
    }

    #[test]
    fn disabled_fires_even_when_the_image_has_one() {
        let spec = compose("api")
            .image_facts(None, Some(true))
            .healthcheck("disable: true", Healthcheck::Disabled)
            .build();
        let found = check(&NoHealthcheck, &spec);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("this switches it off"));
        assert_eq!(
            found[0].evidence.as_deref(),
            Some("healthcheck: disable: true")
        );
        let spec = run("api")
            .healthcheck("--no-healthcheck", Healthcheck::Disabled)
            .build();
        assert!(check(&NoHealthcheck, &spec)[0]
            .fix
            .starts_with("drop `--no-healthcheck`"));
    }

    #[test]
    fn a_none_test_left_as_a_check_is_disabled() {
        let none = Healthcheck::Check {
            test: Some(vec!["NONE".into()]),
            interval: None,
            timeout: None,
            retries: None,
            start_period: None,
        };
        let spec = compose("api").healthcheck("test: [\"NONE\"]", none).build();
        assert!(check(&NoHealthcheck, &spec)[0]
            .message
            .contains("disables its healthcheck"));
    }

    #[test]
    fn timings_only_depend_on_the_image() {
        let unknown = compose("a")
            .healthcheck("interval: 10s", timings_only())
            .build();
        assert!(check(&NoHealthcheck, &unknown).is_empty());
        let lacks = compose("a")
            .image_facts(None, Some(false))
            .healthcheck("interval: 10s", timings_only())
            .build();
        assert!(check(&NoHealthcheck, &lacks)[0]
            .message
            .contains("timings (`healthcheck: interval: 10s`) but no test"));
    }

    #[test]
    fn a_test_passes() {
        for spec in [
            compose("a").health_cmd("true").build(),
            run("a").health_cmd("true").build(),
            container("a").health_cmd("true").build(),
        ] {
            assert!(check(&NoHealthcheck, &spec).is_empty());
        }
    }

    #[test]
    fn container_without_check() {
        let f = &check(&NoHealthcheck, &container("c").build())[0];
        assert!(f.message.contains("none in `Config.Healthcheck`"));
        assert!(f.fix.starts_with("re-create the container"));
    }
}
