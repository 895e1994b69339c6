//! DF013: more than one HEALTHCHECK in a stage.

use crate::ast::{Command, Instruction};
use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF013",
    name: "multiple-healthchecks",
    title: "More than one HEALTHCHECK in a stage",
    severity: Severity::Low,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires on every `HEALTHCHECK` after the first within one stage (`ONBUILD` ones \
are not counted; separate stages each may have their own). The finding points at the later \
instruction, as hadolint does, so existing `# hadolint ignore=DL3012` pragmas keep working.",
        why: "Only the last `HEALTHCHECK` of a stage takes effect. The earlier ones are dead \
code that reviewers will believe is active — a health check you think protects you but never \
runs (CIS 4.6).",
        fix: "Keep one `HEALTHCHECK` per stage (normally only in the final stage) and delete \
the others.",
        bad:
            "FROM nginx:1.27-alpine\nHEALTHCHECK CMD [\"wget\", \"-qO-\", \"http://127.0.0.1/\"]\n\
HEALTHCHECK CMD [\"wget\", \"-qO-\", \"http://127.0.0.1/health\"]\n",
        good: "FROM nginx:1.27-alpine\n\
HEALTHCHECK CMD [\"wget\", \"-qO-\", \"http://127.0.0.1/health\"]\n",
    },
    references: References {
        cis: &["4.6"],
        hadolint: &["DL3012"],
        trivy: &["AVD-DS-0023"],
        buildkit: &["MultipleInstructionsDisallowed"],
        ..References::NONE
    },
};

pub struct MultipleHealthchecks;

impl Rule<Context<'_>> for MultipleHealthchecks {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        for stage in &stages.list {
            let checks: Vec<&Instruction> = stage
                .body
                .iter()
                .filter(|i| matches!(i.command, Command::Healthcheck(_)))
                .collect();
            for pair in checks.windows(2) {
                let (earlier, later) = (pair[0], pair[1]);
                let where_ = stages.stage_note(Some(stage.index));
                out.push(
                    Finding::new(
                        &META,
                        Location::with_span(&cx.file.path, later.keyword_span),
                        format!(
                            "HEALTHCHECK at line {} overrides the one at line {}{where_}; only \
                             the last HEALTHCHECK of a stage takes effect",
                            later.line(),
                            earlier.line()
                        ),
                    )
                    .evidence(later.original.trim())
                    .fix(format!(
                        "keep a single HEALTHCHECK: delete the one at line {} (or merge the two)",
                        earlier.line()
                    ))
                    .key(format!("{}:{}", stage.key(), later.original.trim()))
                    .build(),
                );
            }
        }
    }
}
