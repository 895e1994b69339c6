//! DF002: a base image without a tag or with `latest`.

use crate::analysis::pulled_images::{pulled, PullKind};
use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF002",
    name: "base-image-unpinned-tag",
    title: "Base image has no tag or uses `latest`",
    severity: Severity::Medium,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires for every image the build pulls — the base of each stage's `FROM`, and \
images named by `COPY --from=<image>` or `RUN --mount=from=<image>` — that has no tag \
(`FROM node`, which means `node:latest`) or the tag `latest`.\n\nVariables are resolved: \
`ARG BASE=node:20` + `FROM ${BASE}` does not fire, `ARG TAG=latest` + `FROM node:${TAG}` does; \
a reference that depends on a build argument without a default is left alone. References \
pinned by digest (`@sha256:…`), `scratch`, and `FROM <earlier stage>` never fire.",
        why: "`latest` is whatever the publisher pushed last. Builds stop being reproducible, \
a rebuild can silently pick up a new major version (or a compromised push to the \
repository), and two machines can build different images from the same commit. Incident \
response also needs to know exactly which base an image was built on.",
        fix: "Pin a specific version tag (`node:20.12-bookworm-slim`), ideally together with \
its digest (`node:20.12-bookworm-slim@sha256:…`, see DF003), and let a dependency bot \
(Renovate, Dependabot) propose updates.",
        bad: "FROM node\nCOPY . /app\nCMD [\"node\", \"/app/server.js\"]\n",
        good: "FROM node:20.12-bookworm-slim\nCOPY . /app\nCMD [\"node\", \"/app/server.js\"]\n",
    },
    references: References {
        cis: &["4.2"],
        hadolint: &["DL3006", "DL3007"],
        trivy: &["AVD-DS-0001"],
        checkov: &["CKV_DOCKER_7"],
        dockle: &["DKL-DI-0006"],
        cwe: &["CWE-1357"],
        ..References::NONE
    },
};

pub struct UnpinnedTag;

impl Rule<Context<'_>> for UnpinnedTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        for p in pulled(stages) {
            let Some(img) = p.undigested() else {
                continue;
            };
            let problem = match img.tag.as_deref() {
                None => format!(
                    "has no tag, so every build pulls whatever `{}:latest` is that day",
                    img.familiar_name()
                ),
                Some("latest") => {
                    "uses the moving `latest` tag, so every build may get a different image"
                        .to_string()
                }
                Some(_) => continue,
            };
            let subject = p.describe(stages);
            let example = format!("{}:<version>", img.familiar_name());
            let fix = match p.kind {
                PullKind::From => format!(
                    "pin a version: `FROM {example}` — better with its digest, \
                     `FROM {example}@sha256:<digest>`"
                ),
                _ => format!(
                    "pin a version: `--from={example}` — better with its digest, \
                     `{example}@sha256:<digest>`"
                ),
            };
            out.push(
                Finding::new(
                    &META,
                    Location::with_span(&cx.file.path, p.span),
                    format!("{subject} {problem}"),
                )
                .evidence(p.instr.original.trim())
                .fix(fix)
                .key(p.key(stages))
                .build(),
            );
        }
    }
}
