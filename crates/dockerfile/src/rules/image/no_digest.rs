//! DF003: a base image not pinned by digest.

use crate::analysis::pulled_images::{pulled, PullKind};
use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF003",
    name: "base-image-no-digest",
    title: "Base image not pinned by digest",
    severity: Severity::Low,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires for every image the build pulls (each stage's external `FROM` base, \
`COPY --from=<image>`, `RUN --mount=from=<image>`) that is not pinned by digest \
(`@sha256:…`), after resolving `ARG` defaults. `scratch` and `FROM <earlier stage>` never \
fire; references that depend on a build argument without a default are left alone.\n\n\
Turn it off with `require-digest = false` under `[images]` in `.plimsoll.toml` if you accept \
tag-level pinning.",
        why: "A tag is a mutable pointer: the registry owner (or anyone who compromises the \
registry account) can move `debian:12` to different content at any time, and your next \
build silently trusts it. A digest names exact content, so the build is reproducible and a \
tampered image fails to pull instead of being used (CIS 4.2 and 4.5: use trusted, verified \
base images).",
        fix: "Append the digest of the image you tested: `FROM debian:12-slim@sha256:<digest>` \
(get it with `docker buildx imagetools inspect debian:12-slim` or `crane digest`). Keep the \
tag for readability; let Renovate or Dependabot update tag and digest together.",
        bad: "FROM debian:12-slim\nRUN echo built\n",
        good: "FROM debian:12-slim@sha256:2424c1850714a4d94666ec928e24d86de958646737b1d113f5b2207be44d37d8\nRUN echo built\n",
    },
    references: References {
        cis: &["4.2", "4.5"],
        cwe: &["CWE-494"],
        ..References::NONE
    },
};

pub struct NoDigest;

impl Rule<Context<'_>> for NoDigest {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if !cx.policy.require_digest {
            return;
        }
        let stages = cx.stages();
        for p in pulled(stages) {
            let Some(img) = p.undigested() else {
                continue;
            };
            let reference = img.original.trim().to_string();
            let fix = match p.kind {
                PullKind::From => format!(
                    "pin the tested digest: `FROM {reference}@sha256:<digest>` (get it with \
                     `docker buildx imagetools inspect {reference}`)"
                ),
                _ => format!(
                    "pin the tested digest: `{reference}@sha256:<digest>` (get it with \
                     `docker buildx imagetools inspect {reference}`)"
                ),
            };
            out.push(
                Finding::new(
                    &META,
                    Location::with_span(&cx.file.path, p.span),
                    format!(
                        "{} is not pinned by digest: its content can change under the same tag",
                        p.describe(stages)
                    ),
                )
                .evidence(p.instr.original.trim())
                .fix(fix)
                .key(p.key(stages))
                .build(),
            );
        }
    }
}
