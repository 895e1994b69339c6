//! DF010: ADD used where COPY suffices.

use super::add_url::remote_kind;
use crate::analysis::stages;
use crate::ast::Command;

use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF010",
    name: "add-instead-of-copy",
    title: "ADD used where COPY suffices",
    severity: Severity::Low,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires on `ADD` (also inside `ONBUILD`) whose sources are all local files or \
heredocs that `COPY` handles identically. It does not fire when a source is a URL or Git \
repository (DF009 judges those) or a local tar archive that `ADD` unpacks on purpose \
(`.tar`, `.tar.gz`/`.tgz`, `.tar.bz2`/`.tbz2`, `.tar.xz`/`.txz`, `.tar.zst`, `.gz`, `.bz2`, \
`.xz`), nor when a source depends on a build argument without a default. A `.zip` is not \
unpacked by `ADD`, so it fires.",
        why: "`ADD` does more than copy: it fetches URLs and silently extracts anything that \
looks like a tar archive. Using it for plain files hides that behaviour in code review — a \
later change of the source (a URL, an archive a dependency drops into the context) changes \
what gets into the image without anyone noticing. `COPY` does exactly one thing (CIS 4.9).",
        fix: "Replace `ADD` with `COPY` (flags such as `--chown`, `--chmod` and `--link` work \
the same). Keep `ADD` only for archives you want extracted, or use `ADD --checksum` for \
verified downloads.",
        bad: "FROM debian:12-slim\nADD app.py requirements.txt /app/\n",
        good: "FROM debian:12-slim\nCOPY app.py requirements.txt /app/\nADD rootfs.tar.gz /\n",
    },
    references: References {
        cis: &["4.9"],
        hadolint: &["DL3020"],
        trivy: &["AVD-DS-0005"],
        checkov: &["CKV_DOCKER_4"],
        dockle: &["CIS-DI-0009"],
        ..References::NONE
    },
};

pub struct AddInsteadOfCopy;

/// Whether a local source is an archive ADD extracts.
fn is_archive(src: &str) -> bool {
    let s = src.trim().to_ascii_lowercase();
    [
        ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.zst",
        ".tzst", ".gz", ".bz2", ".xz", ".zst", ".tar.lz4",
    ]
    .iter()
    .any(|ext| s.ends_with(ext))
}

impl Rule<Context<'_>> for AddInsteadOfCopy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        stages::walk_all(stages, |_, instr, onbuild, vars| {
            let Command::Add(spec) = &instr.command else {
                return;
            };
            let mut shown = Vec::new();
            for src in &spec.sources {
                if src.value.starts_with("<<") {
                    shown.push("a heredoc".to_string());
                    continue;
                }
                let Ok(value) = vars.expand(&src.value) else {
                    return;
                };
                if remote_kind(&value).is_some() || is_archive(&value) {
                    return;
                }
                shown.push(format!("`{value}`"));
            }
            if shown.is_empty() {
                return;
            }
            let prefix = if onbuild { "ONBUILD ADD" } else { "ADD" };
            out.push(
                Finding::new(
                    &META,
                    Location::with_span(&cx.file.path, instr.keyword_span),
                    format!(
                        "{prefix} at line {} copies only local content ({}): COPY does the same \
                         without ADD's implicit URL download and archive extraction",
                        instr.line(),
                        shown.join(", ")
                    ),
                )
                .evidence(instr.original.trim())
                .fix(format!(
                    "replace `ADD` with `COPY` on line {} (flags like --chown/--chmod stay)",
                    instr.line()
                ))
                .key(instr.original.trim().to_string())
                .build(),
            );
        });
    }
}
