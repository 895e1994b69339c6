//! DF014: WORKDIR or VOLUME on a system path.

use crate::analysis::paths;
use crate::analysis::paths::normalize_path;
use crate::ast::Command;
use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF014",
    name: "sensitive-workdir-or-volume",
    title: "WORKDIR or VOLUME on a system path",
    severity: Severity::Medium,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when `WORKDIR` or `VOLUME` (after resolving variables and relative paths; \
`ONBUILD` included) is a kernel or system directory:\n\n- anywhere under `/proc`, `/sys`, \
`/dev`, `/boot`, `/initrd`, `/lost+found`, `/var/lib/docker`, `/var/run/docker.sock`, \
`/run/docker.sock`;\n- exactly `/etc`, `/bin`, `/sbin`, `/usr`, `/usr/bin`, `/usr/sbin`, \
`/lib`, `/lib64`, `/usr/lib`, `/var/run`, `/run` (their sub-directories, like \
`/etc/nginx`, are normal places to work);\n- for `VOLUME` also `/` itself. `WORKDIR /` and \
`/root` are not flagged.",
        why: "A `WORKDIR` on a system directory makes every following `COPY . .` and relative \
write land among the OS's own files (overwriting binaries or configuration), and at run time \
the application writes there by default. A `VOLUME` on a system path turns it into a \
persistent, shareable mount: `/etc` or `/usr/bin` content then outlives the container and \
can be modified through `--volumes-from`, and volumes over `/proc`, `/sys`, `/dev` or the \
Docker socket directory are classic container-escape ingredients.",
        fix: "Use a dedicated application directory: `WORKDIR /app`, `VOLUME /var/lib/app/data`.",
        bad: "FROM debian:12-slim\nWORKDIR /usr/bin\nCOPY tool .\n",
        good: "FROM debian:12-slim\nWORKDIR /app\nCOPY tool .\n",
    },
    references: References {
        trivy: &["AVD-DS-0030"],
        dockle: &["DKL-DI-0002"],
        ..References::NONE
    },
};

pub struct SensitivePaths;

const UNDER: &[&str] = &[
    "/proc",
    "/sys",
    "/dev",
    "/boot",
    "/initrd",
    "/lost+found",
    "/var/lib/docker",
    "/var/run/docker.sock",
    "/run/docker.sock",
];
const EXACT: &[&str] = &[
    "/etc",
    "/bin",
    "/sbin",
    "/usr",
    "/usr/bin",
    "/usr/sbin",
    "/lib",
    "/lib64",
    "/usr/lib",
    "/var/run",
    "/run",
];

/// Why a normalised absolute path is sensitive, or None.
fn sensitive(path: &str, volume: bool) -> Option<&'static str> {
    if volume && path == "/" {
        return Some("the root of the filesystem");
    }
    if UNDER
        .iter()
        .any(|d| path == *d || path.starts_with(&format!("{d}/")))
    {
        return Some("a kernel or container-runtime path");
    }
    if EXACT.contains(&path) {
        return Some("a system directory");
    }
    None
}

impl Rule<Context<'_>> for SensitivePaths {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        for stage in &stages.list {
            let mut workdir = "/".to_string();
            for &i in stages.lineage(stage.index).iter().skip(1).rev() {
                stages.walk(i, |instr, vars| {
                    if let Command::Workdir(w) = &instr.command {
                        if let Ok(v) = vars.expand(&w.value) {
                            workdir = absolute(&workdir, &v);
                        }
                    }
                });
            }
            stages.walk(stage.index, |outer, vars| {
                let (instr, onbuild) = match &outer.command {
                    Command::Onbuild(inner) => (inner.as_ref(), true),
                    _ => (outer, false),
                };
                let prefix = if onbuild { "ONBUILD " } else { "" };
                match &instr.command {
                    Command::Workdir(w) => {
                        let Ok(v) = vars.expand(&w.value) else {
                            return;
                        };
                        if paths::is_absolute_path(&v) && !v.starts_with('/') {
                            return; // Windows path
                        }
                        let path = absolute(&workdir, &v);
                        if !onbuild {
                            workdir = path.clone();
                        }
                        if let Some(why) = sensitive(&path, false) {
                            let shown = if w.value.trim() == path {
                                format!("`{path}`")
                            } else {
                                format!("`{}` (= `{path}`)", w.value.trim())
                            };
                            out.push(
                                Finding::new(
                                    &META,
                                    Location::with_span(&cx.file.path, w.span),
                                    format!(
                                        "{prefix}WORKDIR {shown} (line {}) is {why}: following \
                                         COPY and RUN steps, and the application at run time, \
                                         write among the system's own files",
                                        instr.line()
                                    ),
                                )
                                .evidence(instr.original.trim())
                                .fix("use a dedicated directory, e.g. `WORKDIR /app`")
                                .key(format!("{}:workdir:{path}", stage.key()))
                                .build(),
                            );
                        }
                    }
                    Command::Volume(paths) => {
                        for p in paths {
                            let Ok(v) = vars.expand(&p.value) else {
                                continue;
                            };
                            for part in v.split_whitespace() {
                                let path = absolute(&workdir, part);
                                if let Some(why) = sensitive(&path, true) {
                                    out.push(
                                        Finding::new(
                                            &META,
                                            Location::with_span(&cx.file.path, p.span),
                                            format!(
                                                "{prefix}VOLUME `{path}` (line {}) is {why}: it \
                                                 becomes a persistent, shareable mount that \
                                                 outlives the container",
                                                instr.line()
                                            ),
                                        )
                                        .evidence(instr.original.trim())
                                        .fix(
                                            "declare volumes only for application data, e.g. \
                                             `VOLUME /var/lib/app`",
                                        )
                                        .key(format!("{}:volume:{path}", stage.key()))
                                        .build(),
                                    );
                                }
                            }
                        }
                    }
                    _ => {}
                }
            });
        }
    }
}

fn absolute(base: &str, path: &str) -> String {
    let p = path.trim();
    if p.starts_with('/') {
        normalize_path(p)
    } else {
        normalize_path(&format!("{base}/{p}"))
    }
}
