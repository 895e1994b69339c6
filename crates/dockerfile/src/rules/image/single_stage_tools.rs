//! DF006: a single-stage build ships compilers and build tools.

use crate::analysis::base_images::{self, Weight};
use crate::analysis::build_tools::{self, PackageOp};
use crate::analysis::source_text;
use crate::ast::{Command, Instruction};

use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Span, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF006",
    name: "single-stage-with-build-tools",
    title: "Single-stage build ships compilers and build tools",
    severity: Severity::Medium,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires only for Dockerfiles with a single `FROM`, when the one image both \
builds and runs the application:\n\n- its base is a toolchain image (`golang`, `rust`, `gcc`, \
`maven`, `gradle`, `buildpack-deps`, a JDK, `mcr.microsoft.com/dotnet/sdk` …); or\n- a `RUN` \
installs compilers, build tools, `git` or development headers (`gcc`, `g++`, `make`, \
`cmake`, `build-essential`, `build-base`, `git`, `cargo`, `golang`, `*-dev`, `*-devel` …) \
with apt, apk, yum/dnf/microdnf or zypper and no later `RUN` removes them (`apt-get purge`, \
`apk del <virtual>`, `dnf remove`; a removal of `$buildDeps`-style variables counts); or\n- a \
`RUN` builds the application in place (`npm run build`, `yarn build`, `go build`, \
`cargo build`, `mvn package`, `gradle build`, `dotnet publish`) and removes no packages \
afterwards.\n\nMulti-stage files \
never fire: there, DF005 judges the final stage's base.",
        why: "Compilers, `git` and headers in a production image let an attacker who gains \
code execution build and fetch exploit tooling on the spot, and they add hundreds of \
packages (and CVEs) the application never uses (CIS 4.3). A multi-stage build keeps them in \
a throw-away build stage and ships only the artefact.",
        fix: "Split the Dockerfile into a build stage and a runtime stage: build in \
`FROM golang:1.22 AS build` (or the SDK/toolchain you need), then start the final stage from \
a slim or distroless image and `COPY --from=build` only the binary or bundle. Where the build \
tools are needed only for one `RUN`, install and remove them in that same `RUN` \
(`apk add --virtual .build-deps … && … && apk del .build-deps`).",
        bad: "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n\
CMD [\"/app\"]\n",
        good: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n\
RUN CGO_ENABLED=0 go build -o /app .\n\n\
FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\n\
CMD [\"/app\"]\n",
    },
    references: References {
        cis: &["4.3"],
        cwe: &["CWE-1104"],
        ..References::NONE
    },
};

pub struct SingleStageTools;

struct Install<'a> {
    instr: &'a Instruction,
    op: PackageOp,
}

impl Rule<Context<'_>> for SingleStageTools {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        if stages.list.len() != 1 {
            return;
        }
        let stage = &stages.list[0];
        let source = &cx.file.source;

        // 1. A toolchain base image.
        if let Some(base) = stages.base_image(0) {
            if let Ok(img) = &base.resolved {
                if let Weight::Toolchain {
                    what,
                    runtime_capable: false,
                    ..
                } = base_images::weight(img)
                {
                    out.push(
                        Finding::new(
                            &META,
                            Location::with_span(&cx.file.path, stage.image.span),
                            format!(
                                "single-stage build on {} ships {what} in the final image",
                                base.describe()
                            ),
                        )
                        .evidence(stage.from.original.trim())
                        .fix(format!(
                            "build in `FROM {} AS build` and start a second, final stage from a \
                             slim or distroless image that copies only the artefact with \
                             `COPY --from=build`",
                            base.written
                        ))
                        .key(format!("toolchain-base:{}", base.written))
                        .build(),
                    );
                    return;
                }
            }
        }

        // 2. Build tools installed and never removed; 3. the app built in place.
        let mut installs: Vec<Install<'_>> = Vec::new();
        let mut removed: Vec<String> = Vec::new();
        let mut build: Option<(&Instruction, String)> = None;
        for instr in stage.body {
            let Command::Run { command, .. } = &instr.command else {
                continue;
            };
            let mut script = command.text();
            for h in &instr.heredocs {
                script.push('\n');
                script.push_str(&h.content);
            }
            let cmds = build_tools::commands(&script);
            // Debian's official-image idiom: remember the manual packages, install build
            // dependencies, then `apt-mark auto '.*'` + `apt-get purge --auto-remove` drops
            // everything installed in between.
            let apt_cleanup = build_tools::apt_marks_all_auto(&cmds);
            for words in cmds {
                if let Some(mut op) = build_tools::package_op(&words) {
                    if apt_cleanup && matches!(op.tool.as_str(), "apt-get" | "apt" | "aptitude") {
                        op.installed.clear();
                    }
                    removed.extend(op.removed.iter().cloned());
                    if !op.installed.is_empty() {
                        installs.push(Install { instr, op });
                    }
                } else if build.is_none() {
                    if let Some(cmd) = build_tools::build_command(&words) {
                        build = Some((instr, cmd));
                    }
                }
            }
        }
        let removes_variable = removed.iter().any(|r| r.contains('$'));
        let mut kept: Vec<(&Instruction, String)> = Vec::new();
        let mut tool = String::new();
        for inst in &installs {
            let virtual_removed = inst.op.virtual_names.iter().any(|v| removed.contains(v));
            if virtual_removed || removes_variable {
                continue;
            }
            for pkg in &inst.op.installed {
                let name = build_tools::bare_name(pkg);
                let gone = removed.iter().any(|r| build_tools::bare_name(r) == name);
                if build_tools::is_build_tool(pkg) && !gone {
                    if kept.is_empty() {
                        tool = inst.op.tool.clone();
                    }
                    kept.push((inst.instr, pkg.clone()));
                }
            }
        }

        if let Some((first_instr, first_pkg)) = kept.first() {
            let names: Vec<String> = kept.iter().map(|(_, p)| format!("`{p}`")).collect();
            let span = token_span(source, first_instr, first_pkg);
            let lines: Vec<String> = {
                let mut l: Vec<u32> = kept.iter().map(|(i, _)| i.line()).collect();
                l.dedup();
                l.iter().map(u32::to_string).collect()
            };
            out.push(
                Finding::new(
                    &META,
                    Location::with_span(&cx.file.path, span),
                    format!(
                        "single-stage build installs build tools {} (line {}) and never removes \
                         them, so they ship in the final image",
                        names.join(", "),
                        lines.join(", ")
                    ),
                )
                .evidence(first_instr.original.trim())
                .fix(format!(
                    "move the build into a separate `AS build` stage and copy only the result \
                     into a slim final stage; or remove the tools in the same RUN that uses \
                     them: {}",
                    removal_hint(&tool, &kept)
                ))
                .key(format!(
                    "tools:{}",
                    kept.iter()
                        .map(|(_, p)| p.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                ))
                .build(),
            );
            return;
        }

        if let Some((instr, cmd)) = build.filter(|_| removed.is_empty()) {
            let first = cmd.split_whitespace().next().unwrap_or("");
            let span = token_span(source, instr, first);
            out.push(
                Finding::new(
                    &META,
                    Location::with_span(&cx.file.path, span),
                    format!(
                        "single-stage build runs `{cmd}` (line {}) in the image it ships, so \
                         the build toolchain and build-time dependencies stay in the final image",
                        instr.line()
                    ),
                )
                .evidence(instr.original.trim())
                .fix(
                    "run the build in a separate `AS build` stage and `COPY --from=build` only \
                     the output into a slim or distroless final stage",
                )
                .key(format!("build:{cmd}"))
                .build(),
            );
        }
    }
}

/// How to remove these packages with this package manager in the same RUN.
fn removal_hint(tool: &str, kept: &[(&Instruction, String)]) -> String {
    let names: Vec<&str> = kept
        .iter()
        .map(|(_, p)| build_tools::bare_name(p))
        .collect();
    let names = names.join(" ");
    match tool {
        "apk" => format!("`apk add --virtual .build-deps {names} && … && apk del .build-deps`"),
        "apt-get" | "apt" | "aptitude" => format!("`… && apt-get purge -y --auto-remove {names}`"),
        "zypper" => format!("`… && zypper remove -y {names}`"),
        other => format!("`… && {other} remove -y {names}`"),
    }
}

/// The span of `token` inside an instruction (heredoc bodies included), or its first line.
fn token_span(source: &str, instr: &Instruction, token: &str) -> Span {
    source_text::find_word(source, instr.span, token)
        .unwrap_or_else(|| source_text::first_line(instr))
}
