//! DF033: setuid or setgid bits set during the build.

use crate::analysis::run::file_modes;
use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF033",
    name: "setuid-setgid-bits",
    title: "chmod sets the setuid or setgid bit",
    severity: Severity::Medium,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a RUN sets the setuid bit (`chmod u+s`, `+s`, `4755`, `6755`, \
`install -m 4755`, also in `find -exec chmod`) or the setgid bit on files (`g+s`, `2755`), \
and for `COPY`/`ADD --chmod=4755`.\n\nSetgid on a *directory* is a different thing — new \
files inherit the directory's group, the usual way to share a directory with a group — so \
setgid alone does not fire when the target is known to be a directory: created by `mkdir` \
earlier in the same RUN, written with a trailing `/`, `mkdir -m 2775`, `install -d -m 2775`, \
or found with `find … -type d -exec chmod g+s`. Removing the bits (`chmod u-s`, `a-s`) never \
fires.",
        why: "A setuid-root program runs as root whoever starts it. Each one in the image is \
a privilege-escalation path for an attacker who gets code execution as the unprivileged app \
user: a bug in it, or an option it passes to something else (GTFOBins lists dozens of \
common binaries that hand out a root shell when setuid), gives them root in the container \
— and root in the container is one kernel or runtime bug away from the host. CIS Docker \
Benchmark 4.8 asks to remove setuid and setgid permissions from images.",
        fix: "Do not add setuid/setgid bits; grant the one capability the program needs at \
run time instead (`docker run --cap-add NET_BIND_SERVICE`, or `setcap` on the binary with a \
narrow capability), or run that step as root. To strip bits the base image ships: \
`RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} + || true`.",
        bad: "FROM debian:12-slim\nCOPY tool /usr/local/bin/tool\nRUN chmod 4755 /usr/local/bin/tool\nUSER 1000\n",
        good: "FROM debian:12-slim\nCOPY tool /usr/local/bin/tool\nRUN chmod 0755 /usr/local/bin/tool \\\n \
&& find / -xdev -perm /6000 -type f -exec chmod a-s {} + || true\nUSER 1000\n",
    },
    references: References {
        cis: &["4.8"],
        dockle: &["CIS-DI-0008"],
        cwe: &["CWE-250"],
        ..References::NONE
    },
};

pub struct SetuidBits;

impl Rule<Context<'_>> for SetuidBits {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let runs = cx.runs();
        for run in &runs.list {
            let flat = &run.flat;
            for (i, c) in flat.cmds.iter().enumerate() {
                let Some(m) = file_modes::mode_use(c) else {
                    continue;
                };
                let g = m.grants;
                if !g.setuid && !g.setgid {
                    continue;
                }
                if !g.setuid {
                    // setgid only: fine on directories.
                    let made_dirs: Vec<String> = flat.cmds[..i]
                        .iter()
                        .filter(|p| p.is(&["mkdir"]))
                        .flat_map(|p| p.args().iter().filter(|w| !w.text.starts_with('-')))
                        .map(|w| w.text.trim_end_matches('/').to_string())
                        .collect();
                    let all_dirs = !m.targets.is_empty()
                        && m.targets.iter().all(|t| {
                            t.text.ends_with('/')
                                || made_dirs.contains(&t.text.trim_end_matches('/').to_string())
                        });
                    if m.directories || all_dirs {
                        continue;
                    }
                }
                let bits = match (g.setuid, g.setgid) {
                    (true, true) => "setuid and setgid bits",
                    (true, false) => "setuid bit",
                    _ => "setgid bit",
                };
                let targets: Vec<&str> = m.targets.iter().map(|w| w.text.as_str()).collect();
                let what = if targets.is_empty() || targets == ["{}"] {
                    "the files it is applied to".to_string()
                } else {
                    format!("`{}`", targets.join(" "))
                };
                let runs_as = if g.setuid {
                    "its owner (usually root)"
                } else {
                    "its group"
                };
                let message = format!(
                    "`{}` sets the {bits} on {what}: it runs with the privileges of {runs_as} \
                     whoever starts it",
                    file_modes::shown(c, &m)
                );
                out.push(
                    Finding::new(&META, run.location(run.word_span(c.origin, m.word)), message)
                        .evidence(c.text())
                        .fix(
                            "drop the setuid/setgid bit (`chmod 0755`); grant a narrow capability \
                             at run time instead (`--cap-add`, or `setcap cap_net_bind_service=+ep`)",
                        )
                        .build(),
                );
            }
        }
        for file_modes::CopyChmod {
            instr,
            flag,
            value,
            grants: g,
        } in file_modes::copy_chmods(&cx.file.instructions)
        {
            if !g.setuid && !g.setgid {
                continue;
            }
            let message = format!(
                "`{} --chmod={value}` sets the {} on the copied files",
                instr.keyword.as_str(),
                if g.setuid { "setuid bit" } else { "setgid bit" }
            );
            out.push(
                Finding::new(
                    &META,
                    Location::with_span(&cx.file.path, flag.span),
                    message,
                )
                .evidence(instr.original.trim().to_string())
                .fix("copy with a plain mode such as `--chmod=0755`")
                .build(),
            );
        }
    }
}
