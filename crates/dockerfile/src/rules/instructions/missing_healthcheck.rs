//! DF012: the final stage has no HEALTHCHECK.

use crate::analysis::source_text;
use crate::analysis::stages;
use crate::ast::Command;

use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF012",
    name: "missing-healthcheck",
    title: "Final stage has no HEALTHCHECK",
    severity: Severity::Low,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires once per file when neither the final stage nor any stage it builds on \
(`FROM <stage>`) has a `HEALTHCHECK`. `HEALTHCHECK NONE` counts as an explicit decision and \
silences it — use it when the orchestrator probes health (Kubernetes liveness/readiness \
probes ignore Docker's HEALTHCHECK). `ONBUILD HEALTHCHECK` does not count. A HEALTHCHECK \
defined by the base image cannot be seen from the Dockerfile: if yours has one, repeat it in \
the final stage (so the Dockerfile documents it) or suppress this finding.",
        why: "Without a health check Docker only knows whether the process exists, not \
whether it works: a deadlocked or half-crashed service keeps receiving traffic, restart \
policies never trigger, and `docker ps`/Swarm report it as up (CIS 4.6). Health status is \
also how operators notice a container that was tampered with or stopped serving.",
        fix: "Add a cheap probe of the service itself, in exec form: \
`HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD [\"/app\", \"healthcheck\"]` (or \
`CMD [\"wget\", \"-qO-\", \"http://127.0.0.1:8080/healthz\"]` where a client exists). If \
health is checked elsewhere (Kubernetes probes), write `HEALTHCHECK NONE` to record that.",
        bad: "FROM nginx:1.27-alpine\nCOPY site/ /usr/share/nginx/html/\n",
        good: "FROM nginx:1.27-alpine\nCOPY site/ /usr/share/nginx/html/\n\
HEALTHCHECK --interval=30s --timeout=3s CMD [\"wget\", \"-qO-\", \"http://127.0.0.1/\"]\n",
    },
    references: References {
        cis: &["4.6"],
        hadolint: &["DL3057"],
        trivy: &["AVD-DS-0026"],
        checkov: &["CKV_DOCKER_2"],
        dockle: &["CIS-DI-0006"],
        ..References::NONE
    },
};

pub struct MissingHealthcheck;

impl Rule<Context<'_>> for MissingHealthcheck {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        let Some(fin) = stages.final_stage() else {
            return;
        };
        if stages.is_export_stage(fin.index) {
            return;
        }
        let has = stages.lineage(fin.index).iter().any(|&i| {
            stages.list[i]
                .body
                .iter()
                .any(|instr| matches!(instr.command, Command::Healthcheck(_)))
        });
        if has {
            return;
        }
        out.push(
            Finding::new(
                &META,
                Location::with_span(&cx.file.path, source_text::first_line(fin.from)),
                format!(
                    "{} has no HEALTHCHECK: Docker cannot tell a hung or broken container from a \
                     healthy one",
                    stages::final_stage_label(stages, fin)
                ),
            )
            .evidence(fin.from.original.trim())
            .fix(
                "add a probe at the end of the final stage, e.g. `HEALTHCHECK --interval=30s \
                 --timeout=3s CMD [\"/app\", \"healthcheck\"]`, or `HEALTHCHECK NONE` if the \
                 orchestrator (e.g. Kubernetes probes) checks health",
            )
            .key(format!("no-healthcheck:{}", fin.key()))
            .build(),
        );
    }
}
