//! DF024: COPY/ADD with several sources to a destination not ending in `/`.

use crate::analysis::stages;
use crate::ast::Command;

use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF024",
    name: "copy-multiple-sources-dest-not-dir",
    title: "COPY with several sources to a destination not ending in /",
    severity: Severity::Low,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires on `COPY` or `ADD` (shell or JSON form, also inside `ONBUILD`) with two or \
more sources (heredocs count) whose destination, after resolving variables, does not end \
with `/`. Destinations `.`, `..` and paths ending in `/.` are directories and do not fire. A \
single wildcard source (`COPY *.jar app.jar`) is not judged, since it may match one file.",
        why: "With several sources the destination must be a directory. The classic builder \
rejects the instruction (`When using COPY with more than one source file, the destination \
must be a directory and end with a /`); other builders' behaviour depends on whether the \
path already exists as a directory, so the same Dockerfile can produce a different file \
layout — or overwrite one file with another — depending on the base image.",
        fix: "End the destination with a slash: `COPY a.txt b.txt /app/`.",
        bad: "FROM alpine:3.20\nCOPY package.json package-lock.json /app\n",
        good: "FROM alpine:3.20\nCOPY package.json package-lock.json /app/\n",
    },
    references: References {
        hadolint: &["DL3021"],
        trivy: &["AVD-DS-0011"],
        ..References::NONE
    },
};

pub struct CopyDestDir;

fn is_dir_like(dest: &str) -> bool {
    let d = dest.trim();
    d.ends_with('/')
        || d.ends_with('\\')
        || d == "."
        || d == ".."
        || d.ends_with("/.")
        || d.ends_with("/..")
}

impl Rule<Context<'_>> for CopyDestDir {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        stages::walk_all(stages, |stage, instr, onbuild, vars| {
            let (Command::Copy(spec) | Command::Add(spec)) = &instr.command else {
                return;
            };
            if spec.sources.len() < 2 {
                return;
            }
            let Ok(dest) = vars.expand(&spec.dest.value) else {
                return;
            };
            if is_dir_like(&dest) {
                return;
            }
            let kw = if onbuild {
                format!("ONBUILD {}", instr.keyword.as_str())
            } else {
                instr.keyword.as_str().to_string()
            };
            out.push(
                Finding::new(
                    &META,
                    Location::with_span(&cx.file.path, spec.dest.span),
                    format!(
                        "{kw} at line {} has {} sources but its destination `{dest}` does not end \
                         with `/`",
                        instr.line(),
                        spec.sources.len()
                    ),
                )
                .evidence(instr.original.trim())
                .fix(format!("write the destination as a directory: `{dest}/`"))
                .key(format!("{}:{}", stage.key(), instr.original.trim()))
                .build(),
            );
        });
    }
}
