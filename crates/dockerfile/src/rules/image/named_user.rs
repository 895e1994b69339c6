//! DF050: the final stage's `USER` is a name, not a numeric UID.

use super::root_user::{family_of, is_root, is_windows_admin, last_user, shown_user};
use crate::analysis::base_images::Family;
use crate::analysis::stages;
use crate::analysis::stages::Stages;
use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF050",
    name: "user-by-name",
    title: "Final stage sets USER by name rather than numeric UID",
    severity: Severity::Low,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when the `USER` in effect for the final stage (its own last `USER`, or the \
one it inherits from a stage it builds on with `FROM <stage>`) names the user — `USER app`, \
`USER app:app` — instead of giving a numeric UID.\n\nIt does not fire for a numeric UID \
(`USER 10001`, `USER 10001:10001`; the group is not judged, since only the UID decides who the \
process is), for `root`/`0` (DF001 reports those), for Windows accounts \
(`ContainerUser`, `ContainerAdministrator`; Windows has no UIDs), for a `USER` that only a \
stage the final image does not build on sets, and when the value depends on a build argument \
without a default. A variable is judged by its value: `USER ${APP_UID}` with \
`ARG APP_UID=10001` is numeric.",
        why: "Only a number says who the process is. A name is looked up in the image's \
`/etc/passwd` when the container starts, so the UID it maps to depends on the base image and \
on the order packages and `useradd` ran — a name that is UID 1000 today may be another UID \
(or missing) after a base-image update. Policies that must check the user before the \
container runs cannot read that file: the Kubernetes kubelet refuses to start a pod with \
`runAsNonRoot: true` whose image user is a name (\"image has non-numeric user (app), cannot \
verify user is non-root\"), so teams drop `runAsNonRoot` or override the user per \
deployment. A numeric UID can be verified as non-root before start, is the same in every \
environment, and matches file ownership on volumes shared with other containers or the \
host.\n\nhadolint, Trivy, Checkov and KICS have no Dockerfile check for this. The Kubernetes \
analogues are checks on the pod spec: kube-linter `run-as-non-root`, Checkov `CKV_K8S_40` \
(high UID) and Trivy `KSV020` (UID above 10000); a numeric `USER` in the image is what lets \
those policies pass without per-deployment overrides.",
        fix: "Create the user with a fixed UID/GID and switch to the number: `RUN groupadd \
--gid 10001 app && useradd --uid 10001 --gid 10001 --no-create-home app` (Alpine: \
`addgroup -g 10001 app && adduser -D -H -u 10001 -G app app`), then `USER 10001:10001`. Keep \
the name for file ownership (`COPY --chown=app:app`) if you like; only the `USER` needs the \
number.",
        bad: "FROM debian:12-slim\nRUN useradd --uid 10001 --no-create-home app\n\
COPY app /usr/local/bin/app\nUSER app\nCMD [\"app\"]\n",
        good: "FROM debian:12-slim\nRUN useradd --uid 10001 --no-create-home app\n\
COPY app /usr/local/bin/app\nUSER 10001\nCMD [\"app\"]\n",
    },
    references: References {
        links: &[
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
            "https://docs.docker.com/reference/dockerfile/#user",
        ],
        ..References::NONE
    },
};

pub struct UserByName;

impl Rule<Context<'_>> for UserByName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        let Some(fin) = stages.final_stage() else {
            return;
        };
        let Some((idx, instr, user, Ok(value))) = last_user(stages, fin.index) else {
            // No USER (DF001's case) or one decided by a build argument plimsoll cannot see.
            return;
        };
        let name = value.split(':').next().unwrap_or("").trim();
        if name.is_empty()
            || name.bytes().all(|b| b.is_ascii_digit())
            || is_root(name)
            || is_windows_admin(name)
            || name.eq_ignore_ascii_case("ContainerUser")
            || windows_base(stages, fin.index)
        {
            return;
        }
        let label = stages::final_stage_label(stages, fin);
        let shown = shown_user(&user.value, &value);
        let whose = if idx == fin.index {
            format!("{label} ends with {shown} (line {})", instr.line())
        } else {
            format!(
                "{label} inherits {shown} (line {}) from {}",
                instr.line(),
                stages.list[idx].label()
            )
        };
        let message = format!(
            "{whose}, a user name: the UID it runs as depends on the image's /etc/passwd, and \
             Kubernetes `runAsNonRoot` cannot verify a name (the kubelet refuses to start such \
             a pod)"
        );
        let fix = match created_uid(cx, stages, fin.index, name) {
            Some(uid) => format!(
                "`{name}` is created with UID {uid} (line {}): write `USER {uid}` (with the \
                 group: `USER {uid}:<gid>`)",
                uid.line
            ),
            None => format!(
                "write a numeric UID: create `{name}` with a fixed one (`useradd --uid 10001 \
                 {name}`, then `USER 10001`, or `USER 10001:10001` with a fixed GID), or, for a \
                 user the base image defines, the UID it has there (`id -u {name}` in the image)"
            ),
        };
        out.push(
            Finding::new(
                &META,
                Location::with_span(&cx.file.path, user.span),
                message,
            )
            .evidence(instr.original.trim())
            .fix(fix)
            .key(format!("{}:{name}", stages.list[idx].key()))
            .build(),
        );
    }
}

/// Whether the final stage builds on Windows (no UIDs there): its base image, or a Windows
/// `SHELL` when the base is not known (DF001's reading).
fn windows_base(stages: &Stages<'_>, index: usize) -> bool {
    let base = stages.base_image(stages.root_of(index).index);
    let base_ref = base.as_ref().and_then(|b| b.resolved.as_ref().ok());
    family_of(stages, &stages.lineage(index), base_ref) == Family::Windows
}

/// A UID a `useradd`/`adduser` in the final image's stages gives the user, and where.
struct CreatedUid {
    uid: String,
    line: u32,
}

impl std::fmt::Display for CreatedUid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.uid)
    }
}

/// The UID `useradd -u N name` / `adduser -u N name` (in the RUNs of the final stage's
/// lineage, nearest stage first) creates `name` with, for a concrete fix. Reads the commands
/// the RUNs were already parsed into ([`crate::analysis::run::instructions`]). Only a hint: `None` when
/// not written plainly.
fn created_uid(
    cx: &Context<'_>,
    stages: &Stages<'_>,
    index: usize,
    name: &str,
) -> Option<CreatedUid> {
    let runs = &cx.runs().list;
    stages.lineage(index).into_iter().find_map(|idx| {
        runs.iter()
            .filter(|run| run.stage == idx && !run.onbuild)
            .find_map(|run| {
                run.flat.cmds.iter().find_map(|c| {
                    if !c.is(&["useradd", "adduser"]) {
                        return None;
                    }
                    let words: Vec<&str> = c.args().iter().map(|w| w.text.as_str()).collect();
                    if words.last() != Some(&name) {
                        return None;
                    }
                    let uid = words.windows(2).find_map(|w| match w {
                        ["-u" | "--uid", n] => Some(*n),
                        [opt, ..] => opt.strip_prefix("--uid="),
                        _ => None,
                    })?;
                    (!uid.is_empty() && uid.bytes().all(|b| b.is_ascii_digit())).then(|| {
                        CreatedUid {
                            uid: uid.to_string(),
                            line: run.instr.line(),
                        }
                    })
                })
            })
    })
}
