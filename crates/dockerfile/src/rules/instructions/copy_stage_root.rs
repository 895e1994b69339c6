//! DF017: COPY --from copies another stage's whole filesystem.

use crate::analysis::paths::normalize_path;
use crate::analysis::stages;
use crate::ast::Command;
use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF017",
    name: "copy-whole-stage-root",
    title: "COPY --from copies another stage's whole filesystem",
    severity: Severity::Low,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires on `COPY --from=<stage or image>` whose source is the root of that \
filesystem (`/`, `.`, `/.`, `/*`), whatever the destination. It does not fire when the \
source stage is built `FROM scratch` — the usual \"export\" stage that only holds the files \
copied into it on purpose.",
        why: "Copying a whole stage undoes the point of a multi-stage build: compilers, \
package caches, `.git` directories, build secrets that were written to disk, and every \
package of the build image (with its CVEs) come along into the final image, hidden behind a \
one-line COPY that looks harmless in review.",
        fix: "Copy only the artefacts: `COPY --from=build /out/app /usr/local/bin/app`. If the \
build produces many files, have it write them to one directory (or a `FROM scratch` export \
stage) and copy that.",
        bad: "FROM golang:1.22 AS build\nRUN go build -o /out/app ./...\n\n\
FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build / /\n",
        good: "FROM golang:1.22 AS build\nRUN go build -o /out/app ./...\n\n\
FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\n",
    },
    references: References {
        hadolint: &["DL3067"],
        ..References::NONE
    },
};

pub struct CopyStageRoot;

fn is_whole_root(src: &str) -> bool {
    let s = src.trim();
    let n = normalize_path(s);
    n == "/" || n.is_empty() || matches!(s, "/*" | "*" | "./*" | "/./*")
}

impl Rule<Context<'_>> for CopyStageRoot {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        stages::walk_all(stages, |stage, instr, onbuild, vars| {
            let Command::Copy(spec) = &instr.command else {
                return;
            };
            let Some(from) = instr.flag("from").and_then(|f| f.value.as_deref()) else {
                return;
            };
            let Ok(from) = vars.expand(from) else {
                return;
            };
            let source = match stages.resolve_from(&from) {
                Some(s) => {
                    if stages.built_from_scratch(s.index) {
                        return;
                    }
                    s.label()
                }
                None => format!("image `{from}`"),
            };
            for src in &spec.sources {
                let Ok(value) = vars.expand(&src.value) else {
                    continue;
                };
                if !is_whole_root(&value) {
                    continue;
                }
                out.push(
                    Finding::new(
                        &META,
                        Location::with_span(&cx.file.path, src.span),
                        format!(
                            "{}COPY --from={from} at line {} copies the whole filesystem of \
                             {source} into `{}`: its compilers, caches and leftovers ship too",
                            if onbuild { "ONBUILD " } else { "" },
                            instr.line(),
                            spec.dest.value
                        ),
                    )
                    .evidence(instr.original.trim())
                    .fix(format!(
                        "copy only what the final image needs, e.g. `COPY --from={from} \
                         /path/to/artifact {}`",
                        spec.dest.value
                    ))
                    .key(format!("{}:{from}:{}", stage.key(), value))
                    .build(),
                );
            }
        });
    }
}
