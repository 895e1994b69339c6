//! DF022: MAINTAINER is deprecated.

use crate::ast::Command;
use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF022",
    name: "maintainer-deprecated",
    title: "MAINTAINER is deprecated",
    severity: Severity::Info,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires on every `MAINTAINER` instruction.",
        why: "`MAINTAINER` has been deprecated since Docker 1.13; the value ends up in a \
legacy image-config field that most tools (and the OCI image spec) ignore, so the image's \
ownership and security contact are effectively undocumented. Scanners and registries read \
the standard `org.opencontainers.image.authors` label instead.",
        fix: "Replace it with a label: `LABEL org.opencontainers.image.authors=\"team@example.com\"`.",
        bad: "FROM alpine:3.20\nMAINTAINER ops@example.com\n",
        good: "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"ops@example.com\"\n",
    },
    references: References {
        hadolint: &["DL4000"],
        trivy: &["AVD-DS-0022"],
        checkov: &["CKV_DOCKER_6"],
        buildkit: &["MaintainerDeprecated"],
        ..References::NONE
    },
};

pub struct Maintainer;

impl Rule<Context<'_>> for Maintainer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for instr in &cx.file.instructions {
            let Command::Maintainer(who) = &instr.command else {
                continue;
            };
            let value = who.value.trim().replace('"', "\\\"");
            out.push(
                Finding::new(
                    &META,
                    Location::with_span(&cx.file.path, instr.keyword_span),
                    format!(
                        "MAINTAINER at line {} is deprecated; its value is stored in a legacy \
                         field that tools ignore",
                        instr.line()
                    ),
                )
                .evidence(instr.original.trim())
                .fix(format!(
                    "replace line {} with `LABEL org.opencontainers.image.authors=\"{value}\"`",
                    instr.line()
                ))
                .key(instr.original.trim().to_string())
                .build(),
            );
        }
    }
}
