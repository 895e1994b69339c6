//! DF020: more than one CMD or ENTRYPOINT in a stage.

use crate::ast::{Command, Instruction, Keyword};
use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF020",
    name: "multiple-cmd-or-entrypoint",
    title: "More than one CMD or ENTRYPOINT in a stage",
    severity: Severity::Low,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires on every `CMD` after the first, and every `ENTRYPOINT` after the first, \
within one stage (`ONBUILD` ones are not counted; each stage may have its own). The finding \
points at the later instruction, as hadolint does.",
        why: "Only the last `CMD` and the last `ENTRYPOINT` of a stage take effect. The \
earlier ones never run, yet a reviewer reading the file may believe the container starts a \
different (for example, a hardened or unprivileged) command than it really does.",
        fix: "Keep one `CMD` and at most one `ENTRYPOINT` per stage; delete the others or \
chain the steps in one script.",
        bad: "FROM python:3.12-slim\nCMD [\"python\", \"migrate.py\"]\nCMD [\"python\", \"app.py\"]\n",
        good: "FROM python:3.12-slim\nCMD [\"python\", \"app.py\"]\n",
    },
    references: References {
        hadolint: &["DL4003", "DL4004"],
        trivy: &["AVD-DS-0016", "AVD-DS-0007"],
        buildkit: &["MultipleInstructionsDisallowed"],
        ..References::NONE
    },
};

pub struct MultipleCmdEntrypoint;

impl Rule<Context<'_>> for MultipleCmdEntrypoint {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        for stage in &stages.list {
            for kw in [Keyword::Cmd, Keyword::Entrypoint] {
                let all: Vec<&Instruction> = stage
                    .body
                    .iter()
                    .filter(|i| {
                        i.keyword == kw
                            && matches!(i.command, Command::Cmd(_) | Command::Entrypoint(_))
                    })
                    .collect();
                let Some(last) = all.last() else {
                    continue;
                };
                for pair in all.windows(2) {
                    let (earlier, later) = (pair[0], pair[1]);
                    let where_ = stages.stage_note(Some(stage.index));
                    out.push(
                        Finding::new(
                            &META,
                            Location::with_span(&cx.file.path, later.keyword_span),
                            format!(
                                "{} at line {} overrides the {} at line {}{where_}: only the last \
                                 {} of a stage (line {}) takes effect",
                                kw.as_str(),
                                later.line(),
                                kw.as_str(),
                                earlier.line(),
                                kw.as_str(),
                                last.line()
                            ),
                        )
                        .evidence(later.original.trim())
                        .fix(format!(
                            "keep one {kw}: delete the {kw} at line {} (or merge them into one \
                             script)",
                            earlier.line(),
                            kw = kw.as_str()
                        ))
                        .key(format!(
                            "{}:{}:{}",
                            stage.key(),
                            kw.as_str(),
                            later.original.trim()
                        ))
                        .build(),
                    );
                }
            }
        }
    }
}
