//! DF001: the final stage runs as root.

use crate::analysis::base_images::{self, DefaultUser, Family};
use crate::analysis::source_text;
use crate::analysis::stages;
use crate::analysis::stages::{Stages, Unresolved};
use crate::ast::{Command, Instruction, Located};
use crate::rules::{Context, Rule};
use plimsoll_core::image_ref::ImageRef;
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF001",
    name: "root-user",
    title: "Final stage runs as root",
    severity: Severity::High,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when the image built from the final stage would run its process as root \
(UID 0):

- the final stage has no `USER` and neither has any stage it builds on (`FROM <stage>` \
inherits that stage's user), and its base image runs as root by default — which is almost \
every image, including `scratch`;
- the last `USER` in effect is `root`, `0`, `root:<group>` or `0:<gid>` — also when it is \
written as a variable (`USER ${APP_UID}`) that resolves to 0 through `ARG`/`ENV` defaults;
- a Windows image runs as `ContainerAdministrator` (the default of Server Core based images, \
or an explicit `USER ContainerAdministrator`).

It does not fire when the user is non-root, including `USER app:root` (a non-root user in \
group 0, the usual OpenShift-compatible setup); when the `USER` value depends on a build \
argument with no default (the builder decides, so plimsoll stays silent); for images known to \
default to a non-root user: distroless `:nonroot`/`:debug-nonroot` tags and Chainguard \
`cgr.dev/chainguard/*` images (except `wolfi-base`, `chainguard-base`, `busybox` and `-dev` \
tags); and for Windows Nano Server images, whose default account `ContainerUser` is not an \
administrator. Only the final stage counts: build stages may run as root, since only the \
final image is run. `ONBUILD USER` is ignored (it affects images built from this one).",
        why: "A process running as root inside a container is one kernel bug, one \
misconfigured mount or one `--privileged` away from root on the host: container escapes \
(runc CVE-2019-5736, the Dirty Pipe and `cgroups release_agent` exploits) need or are far \
easier with UID 0. Root in the container can also read every file in the image, rewrite the \
application and its libraries, bind low ports and install tools after an initial compromise \
such as a remote code execution in the app. A non-root user turns most of those into \
permission errors.",
        fix: "Create an unprivileged user with a fixed numeric UID in the final stage and \
switch to it as the last `USER` (numeric, so Kubernetes `runAsNonRoot` can verify it): \
`RUN useradd --uid 10001 --no-create-home app` then `USER 10001`. On Alpine use \
`adduser -D -H -u 10001 app`; on `scratch` and distroless images, which have no user \
database, `USER 65532:65532` works as is (or use the `:nonroot` distroless tag). On Windows \
use `USER ContainerUser`.\n\nKeep steps that need root (package installs) before the final \
`USER`.",
        bad: "FROM debian:12-slim\nCOPY app /usr/local/bin/app\nCMD [\"app\"]\n",
        good: "FROM debian:12-slim\nRUN useradd --uid 10001 --no-create-home app\n\
COPY app /usr/local/bin/app\nUSER 10001\nCMD [\"app\"]\n",
    },
    references: References {
        cis: &["4.1"],
        hadolint: &["DL3002"],
        trivy: &["AVD-DS-0002"],
        checkov: &["CKV_DOCKER_3", "CKV_DOCKER_8"],
        dockle: &["CIS-DI-0001"],
        cwe: &["CWE-250"],
        ..References::NONE
    },
};

pub struct RootUser;

/// The last `USER` in effect: its stage, instruction, value as written and expanded.
pub(crate) type LastUser<'a> = (
    usize,
    &'a Instruction,
    &'a Located<String>,
    Result<String, Unresolved>,
);

impl Rule<Context<'_>> for RootUser {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        let Some(fin) = stages.final_stage() else {
            return;
        };
        let label = stages::final_stage_label(stages, fin);
        let lineage = stages.lineage(fin.index);
        let root = stages.root_of(fin.index);
        let base = stages.base_image(root.index);
        let base_ref: Option<&ImageRef> = base.as_ref().and_then(|b| b.resolved.as_ref().ok());
        let family = family_of(stages, &lineage, base_ref);

        if let Some((idx, instr, user, value)) = last_user(stages, fin.index) {
            let Ok(value) = value else {
                // Decided by a build argument plimsoll cannot see.
                return;
            };
            // `user:group`: only the user decides; `app:root` is a non-root user in group 0.
            let name = value.split(':').next().unwrap_or("").trim();
            let windows_admin = is_windows_admin(name);
            if !is_root(name) && !windows_admin {
                return;
            }
            let shown = shown_user(&user.value, &value);
            let what = if windows_admin {
                "the Windows administrator account".to_string()
            } else if name == "root" {
                "root".to_string()
            } else {
                "UID 0, i.e. root".to_string()
            };
            let message = if idx == fin.index {
                format!(
                    "{label} ends with {shown} at line {}: the container runs as {what}",
                    instr.line()
                )
            } else {
                format!(
                    "{label} inherits {shown} (line {}) from {} and sets no USER of its own: \
                     the container runs as {what}",
                    instr.line(),
                    stages.list[idx].label()
                )
            };
            let fix = if windows_admin {
                "end the final stage with `USER ContainerUser` (the unprivileged Windows \
                 account); keep steps that need administrator rights before it"
                    .to_string()
            } else {
                format!(
                    "end the final stage with a non-root user instead: {}; keep steps that need \
                     root before it",
                    user_recipe(family, true)
                )
            };
            out.push(
                Finding::new(
                    &META,
                    Location::with_span(&cx.file.path, user.span),
                    message,
                )
                .evidence(instr.original.trim())
                .fix(fix)
                .key(format!("{}:{}", stages.list[idx].key(), value.trim()))
                .build(),
            );
            return;
        }

        if stages.is_export_stage(fin.index) {
            // `FROM scratch` + COPY only, no USER, CMD or ENTRYPOINT: an artefact export
            // (`docker build --output`), not an image anyone runs.
            return;
        }

        // No USER anywhere in the lineage. A base like `FROM app-$TARGETOS` builds on one of
        // several stages: judge those instead of an unknown image.
        let candidates = stages.candidate_parents(root.index);
        if !candidates.is_empty() {
            let rooted: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|&c| runs_as_root(stages, c))
                .collect();
            let Some(&first) = rooted.first() else {
                return;
            };
            let as_root: Vec<String> = rooted
                .iter()
                .map(|&c| format!("`{}`", stages.list[c].key()))
                .collect();
            let family = stages
                .base_image(stages.root_of(first).index)
                .and_then(|b| b.resolved.ok())
                .map(|img| base_images::family(&img))
                .unwrap_or(family);
            out.push(
                Finding::new(
                    &META,
                    Location::with_span(&cx.file.path, source_text::first_line(fin.from)),
                    format!(
                        "{label} runs as root: it has no USER instruction and builds on one of \
                         the stages matching `{}`, of which {} set no non-root USER",
                        root.image.value.trim(),
                        as_root.join(", ")
                    ),
                )
                .evidence(fin.from.original.trim())
                .fix(format!(
                    "{} at the end of the final stage (or in each of those stages)",
                    user_recipe(family, false)
                ))
                .key(format!("no-user:{}", fin.key()))
                .build(),
            );
            return;
        }

        // The base image's default user applies.
        let default = match base_ref {
            Some(img) => base_images::default_user(img),
            None if family == Family::Windows => DefaultUser::WindowsAdmin,
            None => DefaultUser::Root,
        };
        let written = base
            .as_ref()
            .map(|b| b.describe())
            .unwrap_or_else(|| format!("`{}`", root.image.value));
        let reason = match (default, base_ref) {
            (DefaultUser::NonRoot(_) | DefaultUser::WindowsUser, _) => return,
            (DefaultUser::WindowsAdmin, _) => format!(
                "it has no USER instruction and base image {written} runs as \
                 ContainerAdministrator, the Windows administrator account"
            ),
            (DefaultUser::Root, Some(img)) if img.is_scratch() => {
                "it is built `FROM scratch` and has no USER instruction, so the process runs \
                 as UID 0"
                    .to_string()
            }
            (DefaultUser::Root, Some(_)) => format!(
                "it has no USER instruction and base image {written} runs as root by default"
            ),
            (DefaultUser::Root, None) => {
                let var = base
                    .as_ref()
                    .and_then(|b| b.resolved.as_ref().err())
                    .map(|u| u.var.clone())
                    .unwrap_or_default();
                format!(
                    "it has no USER instruction; its base image {written} depends on build \
                     argument `{var}`, so nothing shows a non-root user"
                )
            }
        };
        let elsewhere = other_stage_user(stages, &lineage);
        let message = match elsewhere {
            Some(note) => format!("{label} runs as root: {reason} ({note})"),
            None => format!("{label} runs as root: {reason}"),
        };
        let fix = match (default, family) {
            (DefaultUser::WindowsAdmin, _) => {
                "add `USER ContainerUser` at the end of the final stage".to_string()
            }
            (_, Family::NoShell | Family::Windows) => {
                format!(
                    "add {} at the end of the final stage",
                    user_recipe(family, false)
                )
            }
            _ => format!(
                "{} at the end of the final stage",
                user_recipe(family, false)
            ),
        };
        out.push(
            Finding::new(
                &META,
                Location::with_span(&cx.file.path, source_text::first_line(fin.from)),
                message,
            )
            .evidence(fin.from.original.trim())
            .fix(fix)
            .key(format!("no-user:{}", fin.key()))
            .build(),
        );
    }
}

/// The last `USER` in effect for a stage: along its lineage, nearest stage first.
pub(crate) fn last_user<'a>(stages: &Stages<'a>, index: usize) -> Option<LastUser<'a>> {
    for idx in stages.lineage(index) {
        let mut found = None;
        stages.walk(idx, |instr, vars| {
            if let Command::User(u) = &instr.command {
                found = Some((instr, u, vars.expand(&u.value)));
            }
        });
        if let Some((instr, u, value)) = found {
            return Some((idx, instr, u, value));
        }
    }
    None
}

/// Whether a (candidate base) stage runs as root: a root USER, or no USER on a base image
/// that defaults to root. Unknown values count as not root (no guess).
fn runs_as_root(stages: &Stages<'_>, index: usize) -> bool {
    match last_user(stages, index) {
        Some((_, _, _, Ok(v))) => {
            let name = v.split(':').next().unwrap_or("").trim();
            is_root(name) || is_windows_admin(name)
        }
        Some((_, _, _, Err(_))) => false,
        None => {
            let root = stages.root_of(index);
            match stages.base_image(root.index).map(|b| b.resolved) {
                Some(Ok(img)) => matches!(
                    base_images::default_user(&img),
                    DefaultUser::Root | DefaultUser::WindowsAdmin
                ),
                _ => false,
            }
        }
    }
}

/// A `USER` for messages: as written, plus its value when a variable gave it, e.g.
/// ``USER `${UID}` (= `0`)``.
pub(crate) fn shown_user(written: &str, value: &str) -> String {
    if value.trim() == written.trim() {
        format!("USER `{}`", written.trim())
    } else {
        format!("USER `{}` (= `{}`)", written.trim(), value.trim())
    }
}

/// `root`, `0` (and `00`…): the names the kernel and `/etc/passwd` give UID 0.
pub(crate) fn is_root(name: &str) -> bool {
    name == "root" || (!name.is_empty() && name.bytes().all(|b| b == b'0'))
}

pub(crate) fn is_windows_admin(name: &str) -> bool {
    name.eq_ignore_ascii_case("ContainerAdministrator")
        || name.eq_ignore_ascii_case("Administrator")
        || name.eq_ignore_ascii_case("NT AUTHORITY\\SYSTEM")
}

/// The image family a stage builds on, given its `lineage` and its chain's resolved base
/// image: a base plimsoll cannot resolve counts as Windows when the lineage sets a Windows
/// `SHELL` (`powershell`, `cmd`), as GNU otherwise.
pub(crate) fn family_of(
    stages: &Stages<'_>,
    lineage: &[usize],
    base_ref: Option<&ImageRef>,
) -> Family {
    match base_ref {
        Some(img) => base_images::family(img),
        None if lineage
            .iter()
            .any(|&i| stages.list[i].body.iter().any(is_windows_shell)) =>
        {
            Family::Windows
        }
        None => Family::Gnu,
    }
}

fn is_windows_shell(instr: &Instruction) -> bool {
    match &instr.command {
        Command::Shell(words) => words.first().is_some_and(|w| {
            let w = w.value.to_ascii_lowercase();
            w.contains("powershell")
                || w.contains("pwsh")
                || w.ends_with("cmd")
                || w.ends_with("cmd.exe")
        }),
        _ => false,
    }
}

/// The concrete instructions to create and switch to an unprivileged user on this family;
/// `replacing` phrases it as the replacement of an existing root USER.
fn user_recipe(family: Family, replacing: bool) -> String {
    let create = match family {
        Family::NoShell => {
            return "`USER 65532:65532` (a numeric UID needs no user database; distroless \
                    images also offer a `:nonroot` tag)"
                .to_string()
        }
        Family::Windows => return "`USER ContainerUser`".to_string(),
        Family::Busybox => "RUN adduser -D -H -u 10001 app",
        Family::Gnu => "RUN useradd --uid 10001 --no-create-home app",
    };
    if replacing {
        format!("create it with `{create}` and make `USER 10001` the last USER")
    } else {
        format!("add `{create}` and `USER 10001`")
    }
}

/// A note when some other stage (not inherited by the final one) sets a USER: the classic
/// multi-stage mistake of switching user in the build stage only.
fn other_stage_user(stages: &Stages<'_>, lineage: &[usize]) -> Option<String> {
    for stage in stages.list.iter().rev() {
        if lineage.contains(&stage.index) {
            continue;
        }
        let user = stage.body.iter().rev().find_map(|i| match &i.command {
            Command::User(u) => Some((i.line(), u.value.trim().to_string())),
            _ => None,
        });
        if let Some((line, value)) = user {
            return Some(format!(
                "USER `{value}` at line {line} is set only in {}, which the final stage does not \
                 build on",
                stage.label()
            ));
        }
    }
    None
}
