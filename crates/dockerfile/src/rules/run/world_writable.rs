//! DF032: files or directories made writable by every user.

use crate::analysis::run::file_modes;
use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF032",
    name: "world-writable-permissions",
    title: "chmod makes files world-writable",
    severity: Severity::Medium,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when a RUN gives write permission to *others*: `chmod 777`/`666`/`0757` \
(any numeric mode whose last digit includes 2), `chmod o+w`, `a+w`, `a+rwx`, `ugo+w` (also \
`-R` and in `find … -exec chmod`), `install -m 777`, `mkdir -m 777`, and `COPY`/`ADD \
--chmod=777`.\n\nNot flagged: modes that also set the sticky bit (`chmod 1777 /tmp/x`, \
`a+rwxt`) — that is the standard, safe way to share a directory, as `/tmp` does; `chmod +w` \
without `o`/`a` (the build's umask 022 keeps it from reaching others); and modes held in \
variables.",
        why: "A world-writable file can be changed by every process in the container, \
whatever user it runs as. If the app runs as a non-root user to limit damage, a \
world-writable script, binary, config or library loaded by a more privileged process (the \
entrypoint, a cron job, root in `docker exec`) turns that limit into a privilege \
escalation; a world-writable directory without the sticky bit also lets any user delete or \
replace other users' files in it.",
        fix: "Give the owning user the access it needs instead: `COPY --chown=app:app`, \
`chown app:app /data && chmod 750 /data`, or `chmod 775` with a shared group. For a shared \
scratch directory, add the sticky bit (`chmod 1777`).",
        bad: "FROM debian:12-slim\nCOPY app /opt/app\nRUN chmod -R 777 /opt/app\nUSER 1000\n",
        good: "FROM debian:12-slim\nRUN useradd -r -u 1000 app\nCOPY --chown=app:app app /opt/app\nRUN chmod -R 750 /opt/app\nUSER 1000\n",
    },
    references: References {
        cwe: &["CWE-732"],
        ..References::NONE
    },
};

pub struct WorldWritable;

impl Rule<Context<'_>> for WorldWritable {
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
                if !m.grants.world_writable || m.grants.sticky {
                    continue;
                }
                let targets: Vec<&str> = m.targets.iter().map(|w| w.text.as_str()).collect();
                // A scratch directory removed again before the RUN ends never ships.
                let removed_later = !targets.is_empty()
                    && targets.iter().all(|t| {
                        flat.cmds[i + 1..].iter().any(|l| {
                            l.is(&["rm"])
                                && l.args().iter().any(|a| {
                                    a.text.trim_end_matches('/') == t.trim_end_matches('/')
                                })
                        })
                    });
                if removed_later {
                    continue;
                }
                let what = if targets.is_empty() || targets == ["{}"] {
                    "the files it is applied to".to_string()
                } else {
                    format!("`{}`", targets.join(" "))
                };
                let message = format!(
                    "`{}` makes {what} writable by every user in the container",
                    file_modes::shown(c, &m)
                );
                out.push(
                    Finding::new(
                        &META,
                        run.location(run.word_span(c.origin, m.word)),
                        message,
                    )
                    .evidence(c.text())
                    .fix(
                        "give access to the owner instead (`chown app:app <path>` + \
                             `chmod 750`/`640`), or use a group (`chmod 775`); for a shared \
                             directory add the sticky bit (`chmod 1777`)",
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
            if !g.world_writable || g.sticky {
                continue;
            }
            let message = format!(
                "`{} --chmod={value}` makes the copied files writable by every user in the container",
                instr.keyword.as_str()
            );
            out.push(
                Finding::new(&META, Location::with_span(&cx.file.path, flag.span), message)
                    .evidence(instr.original.trim().to_string())
                    .fix("copy with `--chown=<user>:<group>` and a mode such as `--chmod=750` or `--chmod=640`")
                    .build(),
            );
        }
    }
}
