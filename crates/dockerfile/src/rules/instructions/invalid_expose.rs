//! DF023: EXPOSE port invalid or with a host mapping.

use crate::analysis::ports::{self, ExposedPort, PortSpec};

use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF023",
    name: "invalid-expose",
    title: "EXPOSE port invalid or with a host mapping",
    severity: Severity::Low,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires on an `EXPOSE` word (after resolving variables; unresolvable ones are \
left alone) that is not a valid container port spec: a host part (`8080:80`, \
`127.0.0.1:80:80`), a port outside 1–65535, a reversed range, a non-numeric port, or a \
protocol other than `tcp`, `udp`, `sctp` (case does not matter).",
        why: "`EXPOSE` only documents which container ports the application listens on; it \
cannot publish or bind them. A host mapping there is either rejected at build time or \
silently misread, and an invalid port breaks the build or tooling that reads the image \
metadata. It usually means someone expected `EXPOSE` to publish a port — worse, to bind it on \
a specific host address.",
        fix: "Write only the container port (`EXPOSE 80/tcp`) and publish it when the container \
runs: `docker run -p 127.0.0.1:8080:80 …` or the `ports:` of a compose service.",
        bad: "FROM nginx:1.27-alpine\nEXPOSE 8080:80\n",
        good: "FROM nginx:1.27-alpine\nEXPOSE 80\n",
    },
    references: References {
        hadolint: &["DL3011"],
        trivy: &["AVD-DS-0008"],
        buildkit: &["ExposeInvalidFormat"],
        ..References::NONE
    },
};

pub struct InvalidExpose;

impl Rule<Context<'_>> for InvalidExpose {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        ports::each_exposed(stages, |port| {
            let ExposedPort {
                stage,
                instr,
                onbuild,
                word: w,
                part,
                spec,
            } = port;
            let PortSpec::Invalid(reason) = spec else {
                return;
            };
            let container = part.rsplit(':').next().unwrap_or(part);
            let fix = if part.contains(':') {
                format!(
                    "expose only the container port (`EXPOSE {container}`) and publish \
                             it at run time, e.g. `docker run -p {part}`"
                )
            } else {
                "use a container port between 1 and 65535, optionally with /tcp, /udp or \
                         /sctp"
                    .to_string()
            };
            let shown = if part == w.value.trim() {
                format!("`{part}`")
            } else {
                format!("`{}` (= `{part}`)", w.value.trim())
            };
            out.push(
                Finding::new(
                    &META,
                    Location::with_span(&cx.file.path, w.span),
                    format!(
                        "{}EXPOSE at line {}: {shown} {reason}",
                        if onbuild { "ONBUILD " } else { "" },
                        instr.line()
                    ),
                )
                .evidence(instr.original.trim())
                .fix(fix)
                .key(format!("{}:{part}", stage.key()))
                .build(),
            );
        });
    }
}
