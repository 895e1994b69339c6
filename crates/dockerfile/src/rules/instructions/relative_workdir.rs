//! DF021: WORKDIR is relative.

use crate::analysis::paths;
use crate::ast::Command;

use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF021",
    name: "relative-workdir",
    title: "WORKDIR is relative",
    severity: Severity::Low,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires on a `WORKDIR` whose value (after resolving `ARG`/`ENV`) is a relative \
path when no absolute `WORKDIR` was set before it in the same stage or in a stage it builds \
on — the same condition as BuildKit's `WorkdirRelativePath` check. Windows absolute paths \
(`C:\\app`) count as absolute; values that depend on an unknown variable (`$HOME/app`) are \
left alone.",
        why: "A relative `WORKDIR` resolves against whatever working directory the base image \
set. When the base image changes (a new tag, a different distribution), files are copied to \
and commands run in a different place than you tested — a path that may not exist, may be \
shared, or may be writable by another user.",
        fix: "Use an absolute path: `WORKDIR /app`.",
        bad: "FROM node:20-slim\nWORKDIR app\nCOPY . .\n",
        good: "FROM node:20-slim\nWORKDIR /app\nCOPY . .\n",
    },
    references: References {
        hadolint: &["DL3000"],
        trivy: &["AVD-DS-0009"],
        checkov: &["CKV_DOCKER_10"],
        buildkit: &["WorkdirRelativePath"],
        ..References::NONE
    },
};

pub struct RelativeWorkdir;

impl Rule<Context<'_>> for RelativeWorkdir {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        for stage in &stages.list {
            // An absolute WORKDIR set by a stage this one builds on counts.
            let mut absolute_set = stages.lineage(stage.index).iter().skip(1).any(|&i| {
                stages.list[i]
                    .body
                    .iter()
                    .any(|instr| match &instr.command {
                        Command::Workdir(w) => paths::is_absolute_path(w.value.trim_matches('"')),
                        _ => false,
                    })
            });
            stages.walk(stage.index, |instr, vars| {
                let Command::Workdir(w) = &instr.command else {
                    return;
                };
                let Ok(value) = vars.expand(&w.value) else {
                    return;
                };
                if paths::is_absolute_path(value.trim()) {
                    absolute_set = true;
                    return;
                }
                if absolute_set {
                    return;
                }
                let shown = if value == w.value {
                    format!("`{}`", w.value)
                } else {
                    format!("`{}` (= `{value}`)", w.value)
                };
                out.push(
                    Finding::new(
                        &META,
                        Location::with_span(&cx.file.path, w.span),
                        format!(
                            "WORKDIR {shown} at line {} is relative and no absolute WORKDIR \
                             precedes it in {}: it resolves against the base image's working \
                             directory",
                            instr.line(),
                            stage.label()
                        ),
                    )
                    .evidence(instr.original.trim())
                    .fix(format!(
                        "make it absolute, e.g. `WORKDIR /{}`",
                        value.trim().trim_start_matches("./")
                    ))
                    .key(format!("{}:{}", stage.key(), w.value))
                    .build(),
                );
            });
        }
    }
}
