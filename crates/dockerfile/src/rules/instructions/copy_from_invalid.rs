//! DF018: COPY --from (or RUN --mount from=) names its own stage or an undefined alias.

use crate::analysis::pulled_images::looks_like_image;
use crate::analysis::source_text::find_text;
use crate::analysis::stages;
use crate::analysis::stages::{Scope, Stages};
use crate::ast::{Command, Instruction};
use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Span, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF018",
    name: "copy-from-invalid-stage",
    title: "COPY --from names its own stage or an undefined alias",
    severity: Severity::Medium,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires on `COPY --from=<x>` and `RUN --mount=…,from=<x>` (after resolving \
variables) when `<x>` is:\n\n- the stage the instruction is in, by name or index, or a stage \
that itself depends on this one (a dependency cycle, which BuildKit rejects);\n- a stage index \
that does not exist (`--from=3` in a file with two stages);\n- a bare name that is no stage \
in the file (`--from=biuld`): BuildKit then treats it as an image and pulls \
`docker.io/library/<x>:latest`. A value that looks like an image reference (has a registry, \
path, tag or digest, e.g. `nginx:1.27`) is taken as the intended image and left to \
DF002–DF004;\n- (`COPY --from` only) a stage defined *later* in the file: BuildKit fails the \
build with \"cannot copy from stage …, it needs to be defined before current stage\".",
        why: "A mistyped stage name does not fail the build: it silently pulls an image of that \
name from Docker Hub — possibly a typosquatted image planted for exactly this mistake — and \
copies its files into yours. Self-references and cycles fail the build with an obscure \
error.",
        fix: "Name an existing earlier stage (`FROM … AS build` + `COPY --from=build …`), or, \
when you really mean an external image, write it fully with a tag and digest \
(`--from=docker.io/library/busybox:1.36@sha256:…`).",
        bad: "FROM golang:1.22 AS build\nRUN go build -o /out/app .\n\n\
FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=biuld /out/app /app\n",
        good: "FROM golang:1.22 AS build\nRUN go build -o /out/app .\n\n\
FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\n",
    },
    references: References {
        hadolint: &["DL3022", "DL3023"],
        trivy: &["AVD-DS-0006"],
        cwe: &["CWE-829"],
        ..References::NONE
    },
};

pub struct CopyFromInvalid;

/// `deps[i]`: the stages stage `i` needs (its FROM parent and every resolvable `--from`).
fn dependencies(stages: &Stages<'_>) -> Vec<Vec<usize>> {
    let mut deps: Vec<Vec<usize>> = vec![Vec::new(); stages.list.len()];
    for stage in &stages.list {
        if let Some(p) = stage.parent {
            deps[stage.index].push(p);
        }
        stages.walk(stage.index, |instr, vars| {
            for (value, _) in from_values(instr) {
                if let Ok(v) = vars.expand(&value) {
                    if let Some(t) = stages.resolve_from(&v) {
                        deps[stage.index].push(t.index);
                    }
                }
            }
        });
    }
    deps
}

/// `--from` values of a COPY and `from=` of RUN mounts, with the span to search in.
fn from_values(instr: &Instruction) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    match &instr.command {
        Command::Copy(_) => {
            if let Some(f) = instr.flag("from") {
                if let Some(v) = &f.value {
                    out.push((v.clone(), f.span));
                }
            }
        }
        Command::Run { mounts, .. } => {
            for m in mounts {
                if let Some(v) = m.from() {
                    out.push((v.to_string(), m.span));
                }
            }
        }
        _ => {}
    }
    out
}

fn reaches(deps: &[Vec<usize>], from: usize, target: usize) -> bool {
    let mut seen = vec![false; deps.len()];
    let mut stack = vec![from];
    while let Some(n) = stack.pop() {
        if n == target {
            return true;
        }
        if n >= deps.len() || seen[n] {
            continue;
        }
        seen[n] = true;
        stack.extend(deps[n].iter().copied());
    }
    false
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

impl Rule<Context<'_>> for CopyFromInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        let deps = dependencies(stages);
        let names: Vec<String> = stages.list.iter().filter_map(|s| s.name()).collect();
        stages::walk_all(stages, |stage, instr, onbuild, vars: &Scope| {
            for (written, within) in from_values(instr) {
                let Ok(value) = vars.expand(&written) else {
                    continue;
                };
                let value = value.trim().to_string();
                let what = match &instr.command {
                    Command::Run { .. } => "RUN --mount from=",
                    _ => "COPY --from=",
                };
                let at = format!(
                    "{}{what}{value} at line {}",
                    if onbuild { "ONBUILD " } else { "" },
                    instr.line()
                );
                let problem = if let Ok(n) = value.parse::<usize>() {
                    if n >= stages.list.len() {
                        Some((
                            format!(
                                "{at} names stage index {n}, but the file has only {} stage{} \
                                 (0–{})",
                                stages.list.len(),
                                if stages.list.len() == 1 { "" } else { "s" },
                                stages.list.len().saturating_sub(1)
                            ),
                            "use the index of an existing stage, or better its name (FROM … AS \
                             <name>)"
                                .to_string(),
                        ))
                    } else {
                        cycle(stages, &deps, stage.index, n, &at)
                            .or_else(|| later(stages, stage.index, n, &at, what, onbuild))
                    }
                } else if let Some(target) = stages.by_name(&value) {
                    cycle(stages, &deps, stage.index, target.index, &at)
                        .or_else(|| later(stages, stage.index, target.index, &at, what, onbuild))
                } else if looks_like_image(&value) || onbuild {
                    None
                } else {
                    let close = names
                        .iter()
                        .filter(|n| edit_distance(n, &value.to_ascii_lowercase()) <= 2)
                        .min_by_key(|n| edit_distance(n, &value.to_ascii_lowercase()));
                    let hint = match close {
                        Some(n) => format!(" (did you mean `{n}`?)"),
                        None => String::new(),
                    };
                    Some((
                        format!(
                            "{at} names no stage in this file{hint}: BuildKit will pull the image \
                             `docker.io/library/{}:latest` instead",
                            value.to_ascii_lowercase()
                        ),
                        match close {
                            Some(n) => format!("change it to --from={n}"),
                            None => "name an existing stage (FROM … AS <name>), or write the \
                                     intended image in full with a tag and digest"
                                .to_string(),
                        },
                    ))
                };
                let Some((message, fix)) = problem else {
                    continue;
                };
                let span = find_text(&cx.file.source, within, &written).unwrap_or(within);
                out.push(
                    Finding::new(&META, Location::with_span(&cx.file.path, span), message)
                        .evidence(instr.original.trim())
                        .fix(fix)
                        .key(format!("{}:{what}{value}", stage.key()))
                        .build(),
                );
            }
        });
    }
}

/// A self-reference or a cycle through `target`.
/// `COPY --from` a stage defined after the current one: BuildKit dispatches stages in order and
/// fails with "cannot copy from stage …, it needs to be defined before current stage"
/// (dockerfile2llb `convert.go`). `RUN --mount from=` and ONBUILD copies (which run in a
/// downstream build) are not judged by this.
fn later(
    stages: &Stages<'_>,
    current: usize,
    target: usize,
    at: &str,
    what: &str,
    onbuild: bool,
) -> Option<(String, String)> {
    if onbuild || !what.starts_with("COPY") || target <= current {
        return None;
    }
    Some((
        format!(
            "{at} copies from {}, which is defined later in the file: BuildKit fails the build \
             (\"it needs to be defined before current stage\")",
            stages.list[target].label()
        ),
        format!(
            "move {} above {} in the Dockerfile",
            stages.list[target].label(),
            stages.list[current].label()
        ),
    ))
}

fn cycle(
    stages: &Stages<'_>,
    deps: &[Vec<usize>],
    current: usize,
    target: usize,
    at: &str,
) -> Option<(String, String)> {
    if target == current {
        return Some((
            format!(
                "{at} names its own stage ({}): a stage cannot copy from itself and BuildKit \
                 fails with a circular dependency",
                stages.list[current].label()
            ),
            "copy from the earlier stage that produces the files".to_string(),
        ));
    }
    if reaches(deps, target, current) {
        return Some((
            format!(
                "{at} copies from {}, which itself depends on {}: BuildKit fails with a circular \
                 dependency",
                stages.list[target].label(),
                stages.list[current].label()
            ),
            "break the cycle: move the shared files into a stage both can copy from".to_string(),
        ));
    }
    None
}
