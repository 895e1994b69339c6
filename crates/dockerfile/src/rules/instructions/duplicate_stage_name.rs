//! DF019: two stages share a name.

use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF019",
    name: "duplicate-stage-name",
    title: "Two stages share a name",
    severity: Severity::Medium,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires on every `FROM … AS <name>` whose name (compared case-insensitively, as \
BuildKit does) was already used by an earlier stage.",
        why: "BuildKit resolves `COPY --from=<name>`, `FROM <name>` and `--target <name>` to \
the *first* stage with that name, so the later stage is silently unreachable by name: files \
are copied from, and images built from, a different stage than the author intended — for \
example an unhardened debug stage instead of the production one.",
        fix: "Give every stage a unique name (`build`, `test`, `runtime`…).",
        bad: "FROM golang:1.22 AS build\nRUN go build -o /app .\n\n\
FROM golang:1.22 AS build\nRUN go test ./...\n",
        good: "FROM golang:1.22 AS build\nRUN go build -o /app .\n\n\
FROM golang:1.22 AS test\nRUN go test ./...\n",
    },
    references: References {
        hadolint: &["DL3024"],
        trivy: &["AVD-DS-0012"],
        checkov: &["CKV_DOCKER_11"],
        buildkit: &["DuplicateStageName"],
        ..References::NONE
    },
};

pub struct DuplicateStageName;

impl Rule<Context<'_>> for DuplicateStageName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        for (i, stage) in stages.list.iter().enumerate() {
            let (Some(alias), Some(name)) = (stage.alias, stage.name()) else {
                continue;
            };
            let Some(first) = stages.list[..i]
                .iter()
                .find(|s| s.name().as_deref() == Some(name.as_str()))
            else {
                continue;
            };
            out.push(
                Finding::new(
                    &META,
                    Location::with_span(&cx.file.path, alias.span),
                    format!(
                        "stage name `{}` at line {} is already used by the stage at line {}: \
                         --from={name}, FROM {name} and --target {name} all resolve to the first \
                         one",
                        alias.value,
                        stage.line(),
                        first.line()
                    ),
                )
                .evidence(stage.from.original.trim())
                .fix(format!(
                    "rename one of them, e.g. `AS {name}-{}`, and update the references",
                    i
                ))
                .key(format!("{name}#{}", i))
                .build(),
            );
        }
    }
}
