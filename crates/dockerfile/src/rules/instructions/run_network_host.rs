//! DF016: RUN --network=host.

use crate::analysis::stages;
use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF016",
    name: "run-network-host",
    title: "RUN --network=host",
    severity: Severity::Medium,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires on every `RUN --network=host` (also inside `ONBUILD`). `--network=none` \
and `--network=default` do not fire.",
        why: "With `--network=host` the build step shares the build host's network namespace: \
it can reach services bound to the host's `localhost` (cloud metadata proxies, Docker or \
Kubernetes APIs, databases listening on 127.0.0.1) and bind ports on the host. A malicious \
dependency installed in that step can use it to steal credentials or pivot. It also needs the \
`network.host` entitlement on the builder.",
        fix: "Remove `--network=host`; the default build network reaches the internet. If a \
step needs an internal service, expose that service on a reachable address, or pass data in \
with a secret or bind mount. Use `--network=none` for steps that need no network at all.",
        bad: "# syntax=docker/dockerfile:1\nFROM python:3.12-slim\nRUN --network=host pip install -r requirements.txt\n",
        good: "# syntax=docker/dockerfile:1\nFROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n",
    },
    references: References {
        cwe: &["CWE-668"],
        links: &["https://docs.docker.com/reference/dockerfile/#run---network"],
        ..References::NONE
    },
};

pub struct RunNetworkHost;

impl Rule<Context<'_>> for RunNetworkHost {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        stages::for_each_run_flag(stages, "network", "host", |stage, instr, onbuild, flag| {
            out.push(
                Finding::new(
                    &META,
                    Location::with_span(&cx.file.path, flag.span),
                    format!(
                        "{}RUN at line {} uses --network=host: the step shares the build \
                             host's network and can reach services on its localhost",
                        if onbuild { "ONBUILD " } else { "" },
                        instr.line()
                    ),
                )
                .evidence(instr.original.trim())
                .fix(format!(
                    "remove --network=host from line {} (use --network=none if the step \
                         needs no network)",
                    instr.line()
                ))
                .key(format!("{}:{}", stage.key(), instr.original.trim()))
                .build(),
            );
        });
    }
}
